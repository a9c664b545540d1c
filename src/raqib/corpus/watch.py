"""Watch mode: poll directories and RSS/Atom feeds, code only what is new.

A *directory* source yields the files (``.jsonl``, ``.txt``, ``.html``, also ``.gz``) that
are new or changed since the last poll (by path, size and modification time; a JSONL file
that grew is read again and its known lines are skipped as duplicates). A *feed* source
(``http://`` or ``https://``) is fetched with the standard library; every item not seen
before (by ``guid``/Atom ``id``, else its link) becomes a document: its full content when
the feed carries it (``content:encoded``, Atom ``content``), otherwise the item's page is
fetched and its article text extracted (:func:`raqib.text.html.extract_html`); the summary
is used only when there is no link. Items whose page cannot be fetched are quarantined and
tried again on the next poll (at most :data:`MAX_ATTEMPTS` times).

What was taken from each source is recorded in the store (``watch_seen``), so a restarted
watcher does not code anything twice; document identity (id, URL, content hash) guards the
rest. The database is opened for each poll and closed in between, so other commands
(``stats``, ``export``) can read it while the watcher sleeps.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import itertools
import re
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from raqib.model import Document, Skip
from raqib.corpus.ingest import utc_now
from raqib.store import transaction

USER_AGENT = "raqib-watch/0.1 (+https://github.com/; political event coding)"
TIMEOUT = 30
MAX_BYTES = 20 * 1024 * 1024
MAX_ATTEMPTS = 3
MIN_CONTENT_CHARS = 200  # feed content shorter than this is treated as a summary


class WatchError(ValueError):
    pass


def parse_every(value: str) -> float:
    """``30s``, ``5m``, ``1h``, ``90`` (seconds) → seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value or "")
    if not m:
        raise WatchError(f"--every wants a duration like 30s, 5m or 1h (got {value!r})")
    n = float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    if n <= 0:
        raise WatchError("--every must be positive")
    return n


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


# ----------------------------------------------------------------------------- fetching
def fetch(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> tuple[bytes, str]:
    """(body, content-type) of ``url``; raises OSError/urllib errors."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                               "Accept": "*/*"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) only
        body = resp.read(max_bytes + 1)
        if len(body) > max_bytes:
            raise OSError(f"response larger than {max_bytes} bytes")
        return body, resp.headers.get("Content-Type", "")


def _decode(body: bytes, content_type: str) -> str:
    m = re.search(r"charset=([\w.-]+)", content_type or "", re.I)
    if m:
        try:
            return body.decode(m.group(1))
        except (LookupError, UnicodeDecodeError):
            pass
    from raqib.text.decode import DecodeError, decode_bytes

    try:
        return decode_bytes(body)[0]
    except DecodeError:
        return body.decode("utf-8", "replace")


# ----------------------------------------------------------------------------- feeds
@dataclass
class FeedItem:
    key: str
    guid: str
    link: str
    title: str
    date: str | None
    content: str  # HTML or text, may be empty
    summary: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el: ET.Element, *names: str) -> str:
    for child in el:
        if _local(child.tag) in names:
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return ""


def _atom_link(el: ET.Element) -> str:
    best = ""
    for child in el:
        if _local(child.tag) == "link":
            href = (child.get("href") or "").strip()
            rel = (child.get("rel") or "alternate").lower()
            if href and rel == "alternate":
                return href
            if href and not best:
                best = href
            if not href and (child.text or "").strip():
                return child.text.strip()
    return best


def _parse_date(value: str) -> str | None:
    if not value:
        return None
    value = value.strip()
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def parse_feed(data: bytes, base_url: str = "") -> list[FeedItem]:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in document order."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise WatchError(f"not a valid RSS/Atom feed ({exc})") from exc
    items = []
    for el in root.iter():
        if _local(el.tag) not in ("item", "entry"):
            continue
        link = _atom_link(el)
        if link and base_url:
            link = urljoin(base_url, link)
        guid = _child_text(el, "guid", "id")
        content = ""
        for child in el:
            if _local(child.tag) in ("encoded", "content"):
                content = "".join(child.itertext()).strip() or content
        summary = _child_text(el, "description", "summary")
        title = _child_text(el, "title")
        date = _parse_date(_child_text(el, "pubdate", "published", "updated", "date",
                                       "issued", "modified"))
        key = guid or link or title
        if not key:
            continue
        items.append(FeedItem(key, guid, link, title, date, content, summary))
    if not items and _local(root.tag) not in ("rss", "feed", "rdf"):
        raise WatchError("not an RSS/Atom feed (no <rss>, <feed> or <rdf:RDF> root)")
    return items


def _text_of(html_or_text: str) -> tuple[str, str]:
    from raqib.text.html import extract_html, strip_tags

    if "<" in html_or_text and ">" in html_or_text:
        title, body = extract_html(html_or_text)
        if not body.strip():
            title, body = strip_tags(html_or_text)
        return title, body
    return "", html_or_text


def item_document(feed_url: str, item: FeedItem,
                  fetcher: Callable[[str], tuple[bytes, str]] = fetch) -> Document | Skip:
    """The item as a Document: its content, else its page's text, else its summary."""
    where = f"{feed_url} item {item.key}"
    text, how = "", ""
    if item.content:
        _, text = _text_of(item.content)
        how = "feed content"
    if len(text.strip()) < MIN_CONTENT_CHARS and item.link:
        try:
            body, ctype = fetcher(item.link)
        except (OSError, urllib.error.URLError, ValueError) as exc:
            return Skip(where, f"cannot fetch the item page {item.link} ({exc})",
                        doc_id=item.guid or item.link)
        page_title, page_text = _text_of(_decode(body, ctype))
        if page_text.strip():
            text, how = page_text, "item page"
        elif not text.strip():
            return Skip(where, f"no article text on the item page {item.link}",
                        doc_id=item.guid or item.link)
    if not text.strip() and item.summary:
        _, text = _text_of(item.summary)
        how = "feed summary"
    if not text.strip():
        return Skip(where, "feed item without text or link", doc_id=item.guid or item.link)
    host = urlsplit(feed_url).netloc.lower()
    host = host[4:] if host.startswith("www.") else host
    meta = {"url": item.link or None, "source": host, "feed": feed_url, "text_from": how,
            "_explicit_id": True}
    return Document(id=item.guid or item.link or item.key, text=text, title=item.title,
                    date=item.date, source=where, meta=meta)


# ----------------------------------------------------------------------------- watching
@dataclass
class Cycle:
    number: int
    new_items: int = 0
    account: object = None
    problems: list[str] = field(default_factory=list)


def _file_key(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{path}|{st.st_size}|{st.st_mtime_ns}"


def _dir_files(directory: Path) -> Iterator[Path]:
    from raqib.io.readers import walk_inputs

    return walk_inputs(directory)


class Watcher:
    def __init__(self, sources: list[str], db: str, jobs: int = 1, kb_overlay=None,
                 fetcher: Callable[[str], tuple[bytes, str]] = fetch, log=print,
                 max_chars: int | None = None):
        from raqib.pipeline import Pipeline

        if not sources:
            raise WatchError("nothing to watch: give directories or feed URLs")
        for s in sources:
            if not is_url(s) and not Path(s).is_dir():
                raise WatchError(f"{s}: not a directory or an http(s) feed URL")
        self.sources = sources
        self.db = db
        self.jobs = jobs
        self.pipeline = Pipeline(kb_overlay=kb_overlay)
        self.fetcher = fetcher
        self.log = log
        self.max_chars = max_chars
        self.cycles = 0

    # -- what is new ---------------------------------------------------------------
    def _seen(self, con, source: str) -> dict[str, tuple[str, int]]:
        return {k: (s, a) for k, s, a in con.execute(
            "SELECT item_key, status, attempts FROM watch_seen WHERE watch_source = ?",
            [source]).fetchall()}

    def _collect(self, con, cycle: Cycle) -> tuple[list, list, list]:
        """(new files, feed items to ingest, watch_seen rows to record afterwards)."""
        files: list[str] = []
        items: list = []
        marks: list = []
        for source in self.sources:
            seen = self._seen(con, source)
            if not is_url(source):
                for path in _dir_files(Path(source)):
                    key = _file_key(path)
                    if key is None or key in seen:
                        continue
                    files.append(str(path))
                    marks.append((source, key, None, "read", 1))
                continue
            try:
                body, _ = self.fetcher(source)
                feed_items = parse_feed(body, source)
            except (OSError, urllib.error.URLError, WatchError, ValueError) as exc:
                msg = f"cannot read the feed {source}: {exc}"
                cycle.problems.append(msg)
                items.append(Skip(source, msg))
                continue
            for it in feed_items:
                status, attempts = seen.get(it.key, (None, 0))
                if status in ("read", "gave up"):
                    continue
                doc = item_document(source, it, self.fetcher)
                if isinstance(doc, Skip) and "cannot fetch" in doc.reason:
                    attempts += 1
                    state = "gave up" if attempts >= MAX_ATTEMPTS else "retry"
                    marks.append((source, it.key, None, state, attempts))
                else:
                    marks.append((source, it.key, getattr(doc, "id", None), "read",
                                  attempts + 1))
                items.append(doc)
        return files, items, marks

    def _mark(self, con, marks: list) -> None:
        if not marks:
            return
        now = utc_now()
        with transaction(con):
            for source, key, doc_id, status, attempts in marks:
                con.execute(
                    "INSERT INTO watch_seen VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
                    "(watch_source, item_key) DO UPDATE SET status = excluded.status, "
                    "attempts = excluded.attempts, doc_id = coalesce(excluded.doc_id, "
                    "watch_seen.doc_id)", [source, key, now, doc_id, status, attempts])

    # -- one poll --------------------------------------------------------------------
    def poll(self) -> Cycle:
        from raqib.corpus.ingest import MAX_CHARS, Ingester
        from raqib.io.readers import iter_inputs
        from raqib.store import open_store

        self.cycles += 1
        cycle = Cycle(self.cycles)
        con = open_store(self.db)
        try:
            files, items, marks = self._collect(con, cycle)
            cycle.new_items = len(files) + len(items)
            ing = Ingester(con, pipeline=self.pipeline, jobs=self.jobs, command="watch",
                           inputs=self.sources, db=self.db,
                           max_chars=self.max_chars or MAX_CHARS)
            # files are read lazily, one at a time, as the coder asks for documents
            cycle.account = ing.run(itertools.chain(items, iter_inputs(files)))
            self._mark(con, marks)
        finally:
            con.close()
        return cycle

    def run(self, every: float, max_cycles: int | None = None,
            on_cycle: Callable[[Cycle], None] | None = None,
            sleep: Callable[[float], None] = time.sleep) -> list[Cycle]:
        """Poll, then wait ``every`` seconds after each poll (a slow poll never makes the
        next one start at once), until ``max_cycles`` polls are done (None: forever)."""
        done = []
        while max_cycles is None or len(done) < max_cycles:
            cycle = self.poll()
            done.append(cycle)
            if on_cycle:
                on_cycle(cycle)
            if max_cycles is not None and len(done) >= max_cycles:
                break
            sleep(every)
        return done

"""Ingest a corpus into the event store: read, deduplicate, code, store — in batches.

Flow of one run (:class:`Ingester`)::

    iter_inputs(paths)  →  prepare (main process)  →  runner.run (N workers)  →  commit
                           identity, exact dups,        the pipeline, built       one
                           truncation, MinHash          once per worker           transaction
                                                                                 per batch

*Identity.* A document is known when its ``doc_id`` (given as ``id`` in JSONL, or by the
feed), its ``url`` or its content hash (:func:`raqib.corpus.dedup.content_hash`) is
already stored or was seen earlier in the run. Known documents are not coded again; the
account says ``duplicate`` with the reason. A document whose id was *derived* from a file
name or a line number (no ``id`` given) and clashes with a different stored text gets the
id ``<id>#<hash8>`` instead (two ``index.html`` files are two documents).

*Batches.* Results come back from the workers in input order and are written in batches
(:data:`BATCH_SIZE` inputs): the documents, texts, events, signatures and quarantine rows
of a batch are committed in one transaction. A run killed at any moment leaves whole
batches only; the next run skips what is stored (by identity) and codes the rest, so it
ends with exactly the events of a clean run. Near-duplicate decisions are made at commit
time against everything committed before, in input order, so they are the same too.

*Near-duplicates* are coded and stored, flagged ``status = 'near_duplicate'`` with
``near_duplicate_of`` = the first stored story they repeat; their events have
``independent = false`` and do not count as independent evidence in clusters.

*Size limit.* A text longer than ``max_chars`` (default :data:`MAX_CHARS`, one million
characters, several hundred pages) is cut at a line or sentence break before the limit and
coded; the document records ``truncated_from`` (its full length) and the account counts it.
The content hash is computed on the full text.

The account of a run: ``read = coded + near_duplicate + duplicate + skipped + failed``
(near-duplicates are coded too but counted separately).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from raqib.corpus import dedup
from raqib.io.writers import FLAT_COLUMNS, flatten
from raqib.model import Document, Skip
from raqib.runner import chunks
from raqib.store import bulk_insert, open_store, table_columns, transaction

MAX_CHARS = 1_000_000
MAX_TITLE_CHARS = 5_000
BATCH_SIZE = 200
_GROUP = 128  # documents looked up in the store together


@dataclass(slots=True)
class Duplicate(Skip):
    """A document not coded because it is already known (passes through the runner like a
    Skip, in input order)."""

    duplicate_of: str | None = None
    write_row: bool = False
    info: "DocInfo | None" = None


@dataclass(slots=True)
class DocInfo:
    doc_id: str
    content_hash: str
    url: str | None
    publisher: str | None
    input: str
    title: str
    text: str
    lang: str | None
    date_given: str | None
    truncated_from: int | None = None
    sig: list[int] | None = None
    keys: list[int] | None = None
    norm: str | None = None  # normalized text, until the signature is computed


@dataclass
class Account:
    """What happened to every input of a run."""

    read: int = 0
    coded: int = 0
    near_duplicate: int = 0
    duplicate: int = 0
    skipped: int = 0
    failed: int = 0
    events: int = 0
    events_near_duplicate: int = 0
    truncated: int = 0
    clusters: int = 0
    batches: int = 0
    seconds: float = 0.0
    duplicate_reasons: Counter = field(default_factory=Counter)
    skip_reasons: Counter = field(default_factory=Counter)
    failure_reasons: Counter = field(default_factory=Counter)
    run_id: str = ""
    db: str = ""

    def balanced(self) -> bool:
        return self.read == (self.coded + self.near_duplicate + self.duplicate + self.skipped
                             + self.failed)

    def to_dict(self) -> dict:
        return {
            "read": self.read, "coded": self.coded, "near_duplicate": self.near_duplicate,
            "duplicate": self.duplicate, "skipped": self.skipped, "failed": self.failed,
            "balanced": self.balanced(),
            "events": self.events, "events_near_duplicate": self.events_near_duplicate,
            "truncated": self.truncated, "clusters": self.clusters, "batches": self.batches,
            "seconds": round(self.seconds, 2),
            "duplicate_reasons": dict(self.duplicate_reasons.most_common()),
            "skip_reasons": dict(self.skip_reasons.most_common()),
            "failure_reasons": dict(self.failure_reasons.most_common()),
            "run_id": self.run_id, "db": self.db,
            "note": "read = coded + near_duplicate + duplicate + skipped + failed; "
                    "near-duplicates are coded but counted apart; events include those of "
                    "near-duplicates",
        }

    def lines(self) -> list[str]:
        out = [f"{self.read} read = {self.coded} coded + {self.near_duplicate} near-duplicate "
               f"+ {self.duplicate} duplicate + {self.skipped} skipped + {self.failed} failed"
               + ("" if self.balanced() else "  [DOES NOT ADD UP]")]
        for reason, n in self.duplicate_reasons.most_common():
            out.append(f"  duplicate {n} × {reason}")
        for reason, n in self.skip_reasons.most_common():
            out.append(f"  skipped {n} × {reason}")
        for reason, n in self.failure_reasons.most_common():
            out.append(f"  failed {n} × {reason}")
        out.append(f"{self.events} events written ({self.events_near_duplicate} from "
                   f"near-duplicates); {self.clusters} clusters in the store"
                   + (f"; {self.truncated} article(s) truncated to the size limit"
                      if self.truncated else ""))
        return out


def _reason_key(reason: str) -> str:
    """Group reasons in the account: drop the per-item details in parentheses/after ':'."""
    return re.sub(r"\s*\(.*$", "", reason).split(": ")[0][:120]


_LINE_SOURCE = re.compile(r"^(.*):(\d+)$")


def explicit_id(doc: Document) -> bool:
    """Was the document's id given by the input (JSONL ``id``, a feed guid), rather than
    derived from a file name or a line number?"""
    if doc.meta.get("_explicit_id") is not None:
        return bool(doc.meta["_explicit_id"])
    m = _LINE_SOURCE.match(doc.source or "")
    if m:
        return doc.id != f"{Path(m.group(1)).stem}-{m.group(2)}"
    name = Path(doc.source or "").name
    return doc.id != (name.split(".")[0] or name)


def _clean_url(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().split("#", 1)[0]


def publisher_of(source: object, url: str | None, input_: str | None) -> str:
    """The publishing source used for NumSources: the input's ``source`` field, else the
    URL's host, else the JSONL file the document came from, else the directory of its file
    (a directory of saved pages is taken to be one source)."""
    if isinstance(source, str) and source.strip():
        return source.strip()
    if url:
        host = urlsplit(url).netloc.lower()
        if host.startswith("www."):
            host = host[4:]
        if host:
            return host
    input_ = input_ or ""
    m = _LINE_SOURCE.match(input_)
    if m:
        return m.group(1)
    if not input_ or input_.startswith("<"):
        return input_ or "unknown"
    return str(Path(input_).parent)


def _guess_lang(text: str) -> str:
    from raqib.text.langid import lang_from_counts, looks_english, script_counts

    sample = text[:4000]
    ar, lat, total = script_counts(sample)
    decided = lang_from_counts(ar, lat, total)
    if decided:
        return decided
    if ar >= lat:
        return "ar"
    return "en" if looks_english(sample) else "other"


def _cut(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` characters, at a line, sentence or word
    break in the last 2,000 characters before the limit when there is one."""
    window = text[max(0, limit - 2000):limit]
    for sep in ("\n", ". ", ".", "، ", " "):
        i = window.rfind(sep)
        if i > 0:
            return text[:max(0, limit - 2000) + i + len(sep)].rstrip()
    return text[:limit]


def utc_now() -> dt.datetime:
    """Now in UTC, to the second (the store keeps naive UTC timestamps)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("raqib")
    except Exception:  # noqa: BLE001
        return ""


class Ingester:
    """Code documents into an open store. One instance per run (``watch`` makes one per
    polling cycle); the pipeline object may be shared between runs."""

    def __init__(self, con: duckdb.DuckDBPyConnection, pipeline=None, jobs: int = 1,
                 batch_size: int = BATCH_SIZE, max_chars: int = MAX_CHARS,
                 command: str = "ingest", inputs: Iterable[str] = (), db: str = "",
                 on_batch: Callable[[Account], None] | None = None,
                 on_item: Callable[[], None] | None = None):
        from raqib.pipeline import Pipeline

        self.con = con
        self.pipeline = pipeline if pipeline is not None else Pipeline()
        self.jobs = max(1, jobs)
        self.batch_size = max(1, batch_size)
        self.max_chars = max(1000, max_chars)
        self.command = command
        self.inputs = list(inputs)
        self.on_batch = on_batch
        self.on_item = on_item
        self.account = Account(db=db)
        self.run_id = ""
        # identities seen in this run: id -> hash, hash -> root id, url -> root id
        self._ids: dict[str, str] = {}
        self._hashes: dict[str, str] = {}
        self._urls: dict[str, str] = {}
        self._inflight: dict[str, DocInfo] = {}
        self._seq = 0
        self._store_was_empty = False
        self._tmpdir: str | None = None

    # ------------------------------------------------------------------ run records
    def _start_run(self) -> None:
        self.run_id = f"{utc_now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        self.account.run_id = self.run_id
        self._seq, n_docs = self.con.execute(
            "SELECT coalesce(max(seq), 0), count(*) FROM documents").fetchone()
        self._store_was_empty = n_docs == 0
        self.con.execute(
            "INSERT INTO runs (run_id, command, started, status, inputs, jobs, raqib_version) "
            "VALUES (?, ?, ?, 'running', ?, ?, ?)",
            [self.run_id, self.command, utc_now(), json.dumps(self.inputs, ensure_ascii=False),
             self.jobs, _version()])

    def _finish_run(self, status: str) -> None:
        a = self.account
        self.con.execute(
            "UPDATE runs SET finished = ?, status = ?, read = ?, coded = ?, near_duplicate = ?, "
            "duplicate = ?, skipped = ?, failed = ?, events = ?, truncated = ?, account = ? "
            "WHERE run_id = ?",
            [utc_now(), status, a.read, a.coded, a.near_duplicate, a.duplicate, a.skipped,
             a.failed, a.events, a.truncated, json.dumps(a.to_dict(), ensure_ascii=False),
             self.run_id])

    # ------------------------------------------------------------------ the run
    def run(self, items: Iterable[Document | Skip]) -> Account:
        from raqib.corpus.clusters import recluster, needs_recluster
        from raqib.runner import run as run_pipeline

        t0 = time.perf_counter()
        self._start_run()
        status = "failed"
        try:
            batch: list = []
            for res in run_pipeline(self._prepare(items), self.pipeline, jobs=self.jobs):
                batch.append(res)
                if self.on_item:
                    self.on_item()
                if len(batch) >= self.batch_size:
                    self._commit(batch)
                    batch = []
            if batch:
                self._commit(batch)
            if self.account.events or needs_recluster(self.con):
                self.account.clusters = recluster(self.con)
            else:
                self.account.clusters = self.con.execute(
                    "SELECT count(*) FROM clusters").fetchone()[0]
            status = "finished"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            self.account.seconds = time.perf_counter() - t0
            try:
                self._finish_run(status)
            except duckdb.Error:
                pass
        return self.account

    # ------------------------------------------------------------------ prepare
    def _describe(self, doc: Document) -> DocInfo:
        meta = doc.meta or {}
        url = _clean_url(meta.get("url")) or _clean_url(meta.get("link"))
        title = doc.title or ""
        if len(title) > MAX_TITLE_CHARS:
            title = _cut(title, MAX_TITLE_CHARS)
            doc.title = title
        truncated_from = None
        if len(doc.text) > self.max_chars:
            # hashed in pieces (the full text is never copied), then cut and coded
            h = dedup.content_hash(title, doc.text)
            truncated_from = len(doc.text)
            doc.text = _cut(doc.text, self.max_chars)
            norm = dedup.normalized_text(title, doc.text)
        else:
            norm = dedup.normalized_text(title, doc.text)
            h = dedup.hash_normalized(norm)
        return DocInfo(doc_id=doc.id, content_hash=h, url=url,
                       publisher=publisher_of(meta.get("source") or meta.get("publisher"),
                                              url, doc.source),
                       input=doc.source, title=title, text=doc.text,
                       lang=doc.lang, date_given=doc.date, truncated_from=truncated_from,
                       norm=norm)

    @staticmethod
    def _finish_description(info: DocInfo) -> None:
        """What only new documents need: the MinHash signature and the language."""
        sig = dedup.signature(dedup._WORD.findall(info.norm or ""))
        info.norm = None
        info.sig = sig
        info.keys = dedup.band_keys(sig) if sig else None
        if not info.lang:
            info.lang = _guess_lang(info.title + "\n" + info.text)

    def _lookup(self, infos: list[DocInfo]) -> tuple[dict, dict, dict]:
        """Stored identities among a group: by id (-> hash), hash (-> root), url (-> root).
        A store that was empty when the run started holds only this run's documents, all
        of which are in the run's own maps: no query is needed."""
        if not infos or self._store_was_empty:
            return {}, {}, {}
        ids = [i.doc_id for i in infos] + [f"{i.doc_id}#{i.content_hash[:8]}" for i in infos]
        hashes = [i.content_hash for i in infos]
        urls = [i.url for i in infos if i.url]
        by_id = dict(self.con.execute(
            "SELECT doc_id, content_hash FROM documents WHERE doc_id IN "
            "(SELECT unnest(?::VARCHAR[]))", [ids]).fetchall())
        by_hash: dict[str, str] = {}
        for h, root in self.con.execute(
                "SELECT content_hash, coalesce(duplicate_of, doc_id) FROM documents "
                "WHERE content_hash IN (SELECT unnest(?::VARCHAR[])) ORDER BY seq",
                [hashes]).fetchall():
            by_hash.setdefault(h, root)
        by_url: dict[str, str] = {}
        if urls:
            for u, root in self.con.execute(
                    "SELECT url, coalesce(duplicate_of, doc_id) FROM documents "
                    "WHERE url IN (SELECT unnest(?::VARCHAR[])) ORDER BY seq",
                    [urls]).fetchall():
                by_url.setdefault(u, root)
        return by_id, by_hash, by_url

    def _prepare(self, items: Iterable[Document | Skip]) -> Iterator[Document | Skip]:
        for group in chunks(items, _GROUP):
            infos: dict[int, DocInfo] = {}
            for k, item in enumerate(group):
                if isinstance(item, Document):
                    infos[k] = self._describe(item)
            by_id, by_hash, by_url = self._lookup(list(infos.values()))
            for k, item in enumerate(group):
                if not isinstance(item, Document):
                    yield item
                    continue
                yield self._decide(item, infos[k], by_id, by_hash, by_url)

    def _decide(self, doc: Document, info: DocInfo, by_id: dict, by_hash: dict,
                by_url: dict) -> Document | Duplicate:
        h = info.content_hash
        for _ in range(2):
            known = self._ids.get(doc.id)
            where = "earlier in this run"
            if known is None and doc.id in by_id:
                known, where = by_id[doc.id], "already stored"
            if known is None:
                break
            if known == h:
                return Duplicate(doc.source, f"same document {where}", doc.id)
            if explicit_id(doc):
                return Duplicate(doc.source, f"same id {where} with a different text",
                                 doc.id, duplicate_of=doc.id)
            doc.id = f"{doc.id}#{h[:8]}"
            info.doc_id = doc.id
        else:
            return Duplicate(doc.source, "same document already stored", doc.id)
        orig = self._hashes.get(h) or by_hash.get(h)
        reason = None
        if orig is not None:
            reason = "same text as an earlier document"
        elif info.url and (self._urls.get(info.url) or by_url.get(info.url)):
            orig = self._urls.get(info.url) or by_url.get(info.url)
            reason = "same URL as an earlier document"
        self._ids[doc.id] = h
        if orig is not None:
            # what a later lookup in the store would find for this row: its hash and URL
            # lead to the same original (so a resumed run decides like a clean one)
            self._hashes.setdefault(h, orig)
            if info.url:
                self._urls.setdefault(info.url, orig)
            info.norm = None
            return Duplicate(doc.source, reason, doc.id, duplicate_of=orig, write_row=True,
                             info=info)
        self._hashes[h] = doc.id
        if info.url:
            self._urls.setdefault(info.url, doc.id)
        self._finish_description(info)
        self._inflight[doc.id] = info
        return doc

    # ------------------------------------------------------------------ commit
    def _near_candidates(self, infos: list[DocInfo]) -> tuple[dict, dict]:
        """Stored documents sharing an LSH band with any of ``infos``:
        key -> [(doc_id, root, seq)], and doc_id -> signature."""
        keys = [k for i in infos if i.keys for k in i.keys]
        if not keys:
            return {}, {}
        by_key: dict[int, list] = {}
        ids: set[str] = set()
        for key, doc_id, root, seq in self.con.execute(
                "SELECT l.key, l.doc_id, coalesce(d.near_duplicate_of, d.doc_id), d.seq "
                "FROM lsh l JOIN documents d ON d.doc_id = l.doc_id "
                "WHERE l.key IN (SELECT unnest(?::BIGINT[]))", [keys]).fetchall():
            by_key.setdefault(key, []).append((doc_id, root, seq or 0))
            ids.add(doc_id)
        sigs = {}
        if ids:
            sigs = dict(self.con.execute(
                "SELECT doc_id, sig FROM signatures WHERE doc_id IN "
                "(SELECT unnest(?::VARCHAR[]))", [sorted(ids)]).fetchall())
        return by_key, sigs

    def _commit(self, batch: list) -> None:
        from raqib.runner import Result

        a = self.account
        now = utc_now()
        coded_infos = [self._inflight[r.doc_id] for r in batch
                       if isinstance(r, Result) and not r.error and r.doc_id in self._inflight]
        db_keys, db_sigs = self._near_candidates(coded_infos)
        local_keys: dict[int, list] = {}
        local_sigs: dict[str, list[int]] = {}
        docs, texts, events, sigs, quarantine = [], [], [], [], []
        counts = Counter()
        dup_reasons, skip_reasons, fail_reasons = Counter(), Counter(), Counter()
        for res in batch:
            counts["read"] += 1
            if isinstance(res, Duplicate):
                counts["duplicate"] += 1
                dup_reasons[res.reason] += 1
                if res.write_row and res.info is not None:
                    i = res.info
                    self._seq += 1
                    docs.append(self._doc_row(i, None, "duplicate", res.duplicate_of, None,
                                              None, now, n_sentences=0, n_chars=None,
                                              n_events=0))
                continue
            if isinstance(res, Skip):
                counts["skipped"] += 1
                skip_reasons[_reason_key(res.reason)] += 1
                quarantine.append([res.source, res.doc_id, res.reason, "skipped", self.run_id,
                                   now])
                continue
            info = self._inflight.pop(res.doc_id, None)
            if res.error or info is None:
                counts["failed"] += 1
                reason = res.error or "internal: no record of the document"
                fail_reasons[_reason_key(reason)] += 1
                quarantine.append([res.source, res.doc_id, f"failed: {reason}", "failed",
                                   self.run_id, now])
                continue
            near, sim = None, None
            if info.sig:
                best = None  # (similarity, -seq, root)
                cands: dict[str, tuple] = {}
                for k in info.keys:
                    for doc_id, root, seq in db_keys.get(k, ()):
                        cands[doc_id] = (root, seq)
                    for doc_id, root, seq in local_keys.get(k, ()):
                        cands[doc_id] = (root, seq)
                for doc_id, (root, seq) in cands.items():
                    other = local_sigs.get(doc_id) or db_sigs.get(doc_id)
                    s = dedup.similarity(info.sig, other) if other else 0.0
                    if s >= dedup.THRESHOLD and (best is None or (s, -seq) > best[:2]):
                        best = (s, -seq, root)
                if best is not None:
                    sim, near = round(best[0], 4), best[2]
            self._seq += 1
            status = "near_duplicate" if near else "coded"
            counts[status] += 1
            if info.truncated_from:
                counts["truncated"] += 1
                quarantine.append([res.source, info.doc_id,
                                   f"truncated: text of {info.truncated_from} characters cut "
                                   f"to {len(info.text)} (size limit {self.max_chars}); "
                                   f"the first part was coded", "truncated", self.run_id, now])
            docs.append(self._doc_row(info, res, status, None, near, sim, now,
                                      n_sentences=res.sentences, n_chars=len(info.text),
                                      n_events=len(res.records)))
            texts.append([info.doc_id, info.title, info.text])
            for rec in res.records:
                row = flatten(rec)
                day = rec["date"] if rec.get("date_precision") == "day" else None
                if day is not None:
                    try:
                        day = dt.date.fromisoformat(day[:10]).isoformat()
                    except ValueError:
                        day = None
                events.append([row[c] for c in FLAT_COLUMNS] + [near is None, day, None,
                                                                 self.run_id])
            counts["events"] += len(res.records)
            if near:
                counts["events_near_duplicate"] += len(res.records)
            if info.sig:
                root = near or info.doc_id
                sigs.append([info.doc_id, info.sig, info.keys])
                local_sigs[info.doc_id] = info.sig
                for k in info.keys:
                    local_keys.setdefault(k, []).append((info.doc_id, root, self._seq))
        self._write(docs, texts, events, sigs, quarantine)
        for k in ("read", "coded", "near_duplicate", "duplicate", "skipped", "failed",
                  "events", "events_near_duplicate", "truncated"):
            setattr(a, k, getattr(a, k) + counts[k])
        a.duplicate_reasons.update(dup_reasons)
        a.skip_reasons.update(skip_reasons)
        a.failure_reasons.update(fail_reasons)
        a.batches += 1
        if self.on_batch:
            self.on_batch(a)

    def _doc_row(self, i: DocInfo, res, status: str, duplicate_of, near, sim, now, *,
                 n_sentences, n_chars, n_events) -> list:
        return [i.doc_id, i.content_hash, i.url, i.publisher, i.input,
                res.pub_date if res is not None else i.date_given, i.title, i.lang,
                n_sentences, n_chars, n_events, status, duplicate_of, near, sim,
                i.truncated_from, self.run_id, now, self._seq]

    def _write(self, docs, texts, events, sigs, quarantine) -> None:
        con = self.con
        with transaction(con):
            bulk_insert(con, "documents", table_columns("documents"), docs,
                        self._tmpdir)
            bulk_insert(con, "texts", ["doc_id", "title", "text"], texts, self._tmpdir)
            bulk_insert(con, "events", table_columns("events"), events, self._tmpdir)
            if bulk_insert(con, "signatures", ["doc_id", "sig", "keys"], sigs, self._tmpdir):
                con.execute("INSERT INTO lsh SELECT unnest(keys), doc_id FROM signatures "
                            "WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                            [[row[0] for row in sigs]])
            bulk_insert(con, "quarantine", ["source", "doc_id", "reason", "kind", "run_id",
                                            "quarantined_at"], quarantine, self._tmpdir)


# ---------------------------------------------------------------------------- helpers
def ingest_items(items: Iterable[Document | Skip], db: str, jobs: int = 1, *,
                 command: str = "ingest", inputs: Iterable[str] = (),
                 pipeline=None, **kw) -> Account:
    """Open ``db``, ingest ``items``, close. Raises StoreError when ``db`` is unusable."""
    con = open_store(db)
    try:
        ing = Ingester(con, pipeline=pipeline, jobs=jobs, command=command, inputs=inputs,
                       db=str(db), **kw)
        return ing.run(items)
    finally:
        con.close()


def ingest_paths(paths: Iterable[str], db: str, jobs: int = 1, **kw) -> Account:
    from raqib.io.readers import iter_inputs

    paths = list(paths)
    kw.setdefault("inputs", [os.path.abspath(p) if p != "-" else p for p in paths])
    return ingest_items(iter_inputs(paths), db, jobs, **kw)

"""Read documents from paths: JSONL, plain text, HTML, gzip, directories and stdin.

Every input is accounted for: :func:`iter_inputs` yields either a :class:`Document` or a
:class:`Skip` naming the input and the reason it could not be read. It never raises for
bad input, so one broken file never stops a batch.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from raqib.model import Document, Skip
from raqib.text.decode import DecodeError, decode_bytes

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

DATE_KEYS = ("date", "pub_date", "published", "publication_date")


def _base_suffix(path: Path) -> tuple[str, bool]:
    """The meaningful suffix of ``path`` and whether it is gzip-compressed."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return (suffixes[-2] if len(suffixes) > 1 else ""), True
    return (suffixes[-1] if suffixes else ""), False


def document_from_record(record: object, source: str, fallback_id: str) -> Document | Skip:
    """Turn one parsed JSON record into a Document (FORMAT.md input), or a Skip."""
    if not isinstance(record, dict):
        return Skip(source, f"not a JSON object ({type(record).__name__})")
    text = record.get("text")
    if not isinstance(text, str):
        return Skip(source, "no 'text' field" if text is None else "'text' is not a string",
                    doc_id=str(record.get("id")) if record.get("id") is not None else None)
    doc_id = record.get("id")
    doc_id = str(doc_id) if doc_id not in (None, "") else fallback_id
    title = record.get("title") or ""
    if not isinstance(title, str):
        title = str(title)
    if not text.strip() and not title.strip():
        return Skip(source, "empty text", doc_id=doc_id)
    date = None
    for key in DATE_KEYS:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            date = value.strip()[:10]
            break
    lang = record.get("lang") if isinstance(record.get("lang"), str) else None
    meta = {k: v for k, v in record.items()
            if k not in ("id", "text", "title", "lang", *DATE_KEYS)}
    return Document(id=doc_id, text=text, title=title, date=date, lang=lang,
                    source=source, meta=meta)


def _iter_jsonl_lines(lines: Iterable[bytes], source: str) -> Iterator[Document | Skip]:
    for lineno, raw in enumerate(lines, 1):
        where = f"{source}:{lineno}"
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield Skip(where, f"invalid UTF-8 at byte {exc.start}")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skip(where, f"not valid JSON ({exc.msg}, column {exc.colno})")
            continue
        yield document_from_record(record, where, f"{Path(source).stem}-{lineno}")


def _read_bytes(path: Path, gz: bool) -> bytes:
    data = path.read_bytes()
    if gz:
        data = gzip.decompress(data)
    return data


def _iter_file(path: Path) -> Iterator[Document | Skip]:
    source = str(path)
    suffix, gz = _base_suffix(path)
    try:
        if suffix in JSONL_SUFFIXES:
            if gz:
                with gzip.open(path, "rb") as fh:
                    # Read lines lazily; a truncated stream yields what it has, then a Skip.
                    try:
                        yield from _iter_jsonl_lines(fh, source)
                    except (EOFError, OSError, zlib.error) as exc:
                        yield Skip(source, f"truncated or corrupt gzip ({exc})")
                return
            with open(path, "rb") as fh:
                yield from _iter_jsonl_lines(fh, source)
            return
        data = _read_bytes(path, gz)
    except FileNotFoundError:
        yield Skip(source, "no such file")
        return
    except IsADirectoryError:
        yield Skip(source, "is a directory")
        return
    except PermissionError:
        yield Skip(source, "permission denied")
        return
    except (EOFError, OSError, zlib.error) as exc:
        yield Skip(source, f"unreadable ({exc})")
        return
    yield _document_from_bytes(data, source, path.name, html=suffix in HTML_SUFFIXES)


def _document_from_bytes(data: bytes, source: str, name: str, html: bool) -> Document | Skip:
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        return Skip(source, str(exc))
    doc_id = name.split(".")[0] or name
    if html or (not name.lower().endswith(tuple(TEXT_SUFFIXES)) and _looks_like_html(text)):
        from raqib.text.html import extract_html

        title, body = extract_html(text)
        if not body.strip():
            return Skip(source, "HTML page without article text", doc_id=doc_id)
        return Document(id=doc_id, text=body, title=title, source=source,
                        meta={"encoding": encoding, "format": "html"})
    return Document(id=doc_id, text=text, source=source, meta={"encoding": encoding})


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<p>" in head and "</p>" in head)


def walk_inputs(directory: Path) -> Iterator[Path]:
    """Readable files (by suffix) below a directory, in a stable order."""
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            suffix, _ = _base_suffix(path)
            if suffix in KNOWN_SUFFIXES:
                yield path


def iter_inputs(inputs: Iterable[str], stdin=None) -> Iterator[Document | Skip]:
    """Yield a Document or a Skip for every document in ``inputs`` (paths or ``-``)."""
    for item in inputs:
        if item == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read()
            if isinstance(data, str):
                data = data.encode("utf-8")
            stripped = data.lstrip()
            if stripped.startswith(b"{"):
                yield from _iter_jsonl_lines(data.splitlines(), "<stdin>")
            else:
                yield _document_from_bytes(data, "<stdin>", "stdin", html=False)
            continue
        path = Path(item)
        if path.is_dir():
            found = False
            for child in walk_inputs(path):
                found = True
                yield from _iter_file(child)
            if not found:
                yield Skip(item, "directory has no .jsonl/.txt/.html files")
        elif not path.exists():
            yield Skip(item, "no such file or directory")
        else:
            yield from _iter_file(path)

"""The embedded event store (DuckDB).

One database file holds everything an analyst needs to count and compare:

``documents``
    one row per distinct input document (``doc_id`` is the primary key): its content hash
    (normalized title + text), URL, publishing ``source`` ("skynews", a feed's host…), where
    it was read from (``input``), resolved publication date, counts, and its status:
    ``coded``, ``near_duplicate`` (coded, linked by ``near_duplicate_of`` to the first
    story it repeats) or ``duplicate`` (not coded: ``duplicate_of`` names the stored copy).
``texts``
    the coded title and text of each coded document (the spans of events index into them).
``events``
    the flat columns of :data:`raqib.io.writers.FLAT_COLUMNS`, plus ``independent`` (false
    for events of near-duplicate documents), ``day`` (the event's day when the date is
    day-precise), ``cluster_id`` and the ``run_id`` that wrote them.
``clusters`` / ``cluster_events``
    cross-document event clusters (:mod:`raqib.corpus.clusters`) and the link from each
    cluster to every supporting event (document, sentence, spans).
``runs``
    one row per ``ingest``/``watch``/``demo`` run: start, end, inputs and the final account.
``quarantine``
    inputs that could not be read or coded, with the reason and the run.
``signatures`` / ``lsh``
    MinHash signatures and LSH band keys used to find near-duplicates
    (:mod:`raqib.corpus.dedup`).
``watch_seen``
    what ``raqib watch`` has already taken from each directory or feed.

All writes of one batch happen in one transaction (see :mod:`raqib.corpus.ingest`).
``raqib demo`` codes the bundled demo corpus into a (rebuilt) database file and prints what
was found.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from raqib.io.writers import FLAT_COLUMNS, _duck_type
from raqib.kb.tables import data_dir

SCHEMA_VERSION = "2"
DEFAULT_DB = "raqib.duckdb"

DOCUMENT_COLUMNS: dict[str, str] = {
    "doc_id": "VARCHAR PRIMARY KEY",
    "content_hash": "VARCHAR NOT NULL",
    "url": "VARCHAR",
    "source": "VARCHAR",
    "input": "VARCHAR",
    "pub_date": "VARCHAR",
    "title": "VARCHAR",
    "lang": "VARCHAR",
    "n_sentences": "INTEGER",
    "n_chars": "BIGINT",
    "n_events": "INTEGER",
    "status": "VARCHAR NOT NULL",
    "duplicate_of": "VARCHAR",
    "near_duplicate_of": "VARCHAR",
    "similarity": "DOUBLE",
    "truncated_from": "BIGINT",
    "run_id": "VARCHAR",
    "ingested_at": "TIMESTAMP",
    "seq": "BIGINT",
}

# events: the flat output columns, then what the store adds
EVENT_EXTRA_COLUMNS: dict[str, str] = {
    "independent": "BOOLEAN",
    "day": "DATE",
    "cluster_id": "BIGINT",
    "run_id": "VARCHAR",
}

CLUSTER_COLUMNS: dict[str, str] = {
    "cluster_id": "BIGINT PRIMARY KEY",
    "root": "VARCHAR",
    "cameo": "VARCHAR",
    "plover": "VARCHAR",
    "quad_class": "INTEGER",
    "goldstein": "DOUBLE",
    "source_country": "VARCHAR",
    "target_country": "VARCHAR",
    "reciprocal": "BOOLEAN",
    "dyad": "VARCHAR",
    "negated": "BOOLEAN",
    "modality": "VARCHAR",
    "date": "VARCHAR",
    "date_precision": "VARCHAR",
    "last_date": "VARCHAR",
    "place_name": "VARCHAR",
    "place_country": "VARCHAR",
    "lat": "DOUBLE",
    "lon": "DOUBLE",
    "n_mentions": "INTEGER",
    "n_independent_mentions": "INTEGER",
    "n_articles": "INTEGER",
    "n_documents": "INTEGER",
    "n_sources": "INTEGER",
    "n_sources_all": "INTEGER",
    "first_event_id": "VARCHAR",
    "first_doc_id": "VARCHAR",
    "first_url": "VARCHAR",
    "first_added": "TIMESTAMP",
    "rep_event_id": "VARCHAR",
}

CLUSTER_EVENT_COLUMNS: dict[str, str] = {
    "cluster_id": "BIGINT",
    "event_id": "VARCHAR",
    "doc_id": "VARCHAR",
    "story_id": "VARCHAR",
    "independent": "BOOLEAN",
    "sentence_index": "INTEGER",
    "sentence_field": "VARCHAR",
    "sentence_start": "INTEGER",
    "sentence_end": "INTEGER",
    "trigger_start": "INTEGER",
    "trigger_end": "INTEGER",
    "source_start": "INTEGER",
    "source_end": "INTEGER",
    "target_start": "INTEGER",
    "target_end": "INTEGER",
}

RUN_COLUMNS: dict[str, str] = {
    "run_id": "VARCHAR PRIMARY KEY",
    "command": "VARCHAR",
    "started": "TIMESTAMP",
    "finished": "TIMESTAMP",
    "status": "VARCHAR",
    "inputs": "VARCHAR",
    "jobs": "INTEGER",
    "read": "INTEGER",
    "coded": "INTEGER",
    "near_duplicate": "INTEGER",
    "duplicate": "INTEGER",
    "skipped": "INTEGER",
    "failed": "INTEGER",
    "events": "INTEGER",
    "truncated": "INTEGER",
    "account": "VARCHAR",
    "raqib_version": "VARCHAR",
}


def _event_columns() -> dict[str, str]:
    cols = {c: _duck_type(c) for c in FLAT_COLUMNS}
    cols.update(EVENT_EXTRA_COLUMNS)
    return cols


def _create(table: str, columns: dict[str, str], extra: str = "") -> str:
    body = ", ".join(f'"{c}" {t}' for c, t in columns.items())
    return f"CREATE TABLE IF NOT EXISTS {table} ({body}{extra})"


def schema_statements() -> list[str]:
    return [
        "CREATE TABLE IF NOT EXISTS raqib_meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        _create("documents", DOCUMENT_COLUMNS),
        "CREATE TABLE IF NOT EXISTS texts (doc_id VARCHAR PRIMARY KEY, title VARCHAR, "
        "text VARCHAR)",
        _create("events", _event_columns(), ", PRIMARY KEY (event_id)"),
        _create("clusters", CLUSTER_COLUMNS),
        _create("cluster_events", CLUSTER_EVENT_COLUMNS),
        _create("runs", RUN_COLUMNS),
        "CREATE TABLE IF NOT EXISTS quarantine (source VARCHAR, doc_id VARCHAR, "
        "reason VARCHAR, kind VARCHAR, run_id VARCHAR, quarantined_at TIMESTAMP)",
        "CREATE TABLE IF NOT EXISTS signatures (doc_id VARCHAR PRIMARY KEY, "
        "sig UINTEGER[], keys BIGINT[])",
        "CREATE TABLE IF NOT EXISTS lsh (key BIGINT, doc_id VARCHAR)",
        "CREATE TABLE IF NOT EXISTS watch_seen (watch_source VARCHAR, item_key VARCHAR, "
        "first_seen TIMESTAMP, doc_id VARCHAR, status VARCHAR, attempts INTEGER, "
        "PRIMARY KEY (watch_source, item_key))",
    ]


TABLES = ("raqib_meta", "documents", "texts", "events", "clusters", "cluster_events", "runs",
          "quarantine", "signatures", "lsh", "watch_seen")


class StoreError(RuntimeError):
    """The database cannot be opened or written (locked, read-only, wrong schema…)."""


def _explain_open_error(path: str, exc: Exception) -> str:
    msg = str(exc)
    low = msg.lower()
    if "lock" in low:
        return (f"the database {path} is in use by another process (DuckDB allows one "
                f"writer at a time); stop it or choose another --db. ({msg.splitlines()[0]})")
    if "permission" in low or "read-only" in low or "read only" in low:
        return f"cannot write the database {path}: permission denied or read-only ({msg})"
    if "not a directory" in low or "no such file" in low:
        return f"cannot create the database {path}: its directory does not exist ({msg})"
    if "not a valid duckdb" in low or "magic" in low or "not a duckdb" in low:
        return f"{path} is not a DuckDB database ({msg})"
    return f"cannot open the database {path}: {msg}"


def open_store(path: str | os.PathLike, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and create or upgrade the schema of) the store at ``path``.

    Raises :class:`StoreError` with a clear message when the file is locked by another
    process, read-only, not a DuckDB file or made by an incompatible raqib version."""
    path = str(path)
    if read_only and path != ":memory:" and not Path(path).exists():
        raise StoreError(f"no database at {path} (run `raqib ingest` first or pass --db)")
    if not read_only and path != ":memory:":
        parent = Path(path).resolve().parent
        if not parent.is_dir():
            raise StoreError(f"cannot create the database {path}: directory {parent} "
                             "does not exist")
        target = Path(path)
        if (target.exists() and not os.access(target, os.W_OK)) or (
                not target.exists() and not os.access(parent, os.W_OK)):
            raise StoreError(f"cannot write the database {path}: permission denied "
                             "(read-only file or directory)")
    try:
        con = duckdb.connect(path, read_only=read_only)
    except (duckdb.Error, OSError) as exc:
        raise StoreError(_explain_open_error(path, exc)) from exc
    try:
        _check_schema(con, path, read_only)
    except StoreError:
        con.close()
        raise
    except duckdb.Error as exc:
        con.close()
        raise StoreError(_explain_open_error(path, exc)) from exc
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """``with transaction(con): ...`` — commit on success, roll back on any exception
    (a failed rollback on a broken connection does not hide the original error)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise


def _existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()}


def _check_schema(con: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> None:
    tables = _existing_tables(con)
    if "raqib_meta" in tables:
        row = con.execute("SELECT value FROM raqib_meta WHERE key = 'schema_version'").fetchone()
        if row and row[0] != SCHEMA_VERSION:
            raise StoreError(f"{path} has raqib store schema {row[0]}; this raqib writes "
                             f"schema {SCHEMA_VERSION}. Use a new --db file.")
    elif tables & {"documents", "events"}:
        raise StoreError(f"{path} holds tables from an older raqib schema (or another "
                         "program); use a new --db file (`raqib demo` rebuilds its own file)")
    if read_only:
        if "raqib_meta" not in tables:
            raise StoreError(f"{path} is not a raqib store (no raqib_meta table)")
        return
    with transaction(con):
        for stmt in schema_statements():
            con.execute(stmt)
        _add_missing_columns(con, "events", _event_columns())
        _add_missing_columns(con, "documents", DOCUMENT_COLUMNS)
        con.execute("INSERT OR REPLACE INTO raqib_meta VALUES ('schema_version', ?)",
                    [SCHEMA_VERSION])


def _add_missing_columns(con: duckdb.DuckDBPyConnection, table: str,
                         columns: dict[str, str]) -> None:
    """New flat columns (the coder's output may grow) are added to an existing store."""
    have = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
        [table]).fetchall()}
    for col, typ in columns.items():
        if col not in have:
            typ = typ.replace("PRIMARY KEY", "").replace("NOT NULL", "").strip()
            con.execute(f'ALTER TABLE {table} ADD COLUMN "{col}" {typ}')


def connect(path: str) -> duckdb.DuckDBPyConnection:
    """Open the store for writing (kept for callers of the first schema)."""
    return open_store(path)


def table_columns(table: str) -> list[str]:
    return {
        "documents": list(DOCUMENT_COLUMNS),
        "events": list(_event_columns()),
        "clusters": list(CLUSTER_COLUMNS),
        "cluster_events": list(CLUSTER_EVENT_COLUMNS),
        "runs": list(RUN_COLUMNS),
    }[table]


def _type_of(table: str, col: str) -> str:
    cols = {"documents": DOCUMENT_COLUMNS, "events": _event_columns(),
            "clusters": CLUSTER_COLUMNS, "cluster_events": CLUSTER_EVENT_COLUMNS,
            "runs": RUN_COLUMNS}.get(table)
    if cols and col in cols:
        return cols[col].replace("PRIMARY KEY", "").replace("NOT NULL", "").strip()
    return {"sig": "UINTEGER[]", "keys": "BIGINT[]", "key": "BIGINT", "quarantined_at": "TIMESTAMP",
            "first_seen": "TIMESTAMP", "attempts": "INTEGER"}.get(col, "VARCHAR")


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


def bulk_insert(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str],
                rows: Iterable[Sequence[Any]], tmpdir: str | None = None) -> int:
    """Insert many rows fast: they are staged as newline-delimited JSON and read by DuckDB
    in one statement (row-by-row ``executemany`` is two orders of magnitude slower). Runs
    inside the caller's transaction."""
    fd, staging = tempfile.mkstemp(prefix=f"raqib-{table}-", suffix=".jsonl", dir=tmpdir)
    n = 0
    try:
        # errors="replace": a lone surrogate (possible in JSON input) becomes "?", one
        # character for one, so that offsets stay valid
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as fh:
            encode = _ENCODER.encode
            lines = []
            for row in rows:
                lines.append(encode(dict(zip(columns, row))))
                n += 1
                if len(lines) >= 1000:
                    fh.write("\n".join(lines) + "\n")
                    lines = []
            if lines:
                fh.write("\n".join(lines) + "\n")
        if n:
            spec = ", ".join(f"'{c}': '{_type_of(table, c)}'" for c in columns)
            cols = ", ".join(f'"{c}"' for c in columns)
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM read_json("
                        f"'{_sql_str(staging)}', format='newline_delimited', "
                        f"columns={{{spec}}}, maximum_object_size=536870912)")
    finally:
        os.unlink(staging)
    return n


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


# --------------------------------------------------------------------------- demo
def demo_corpus_path() -> Path:
    return data_dir("demo") / "demo.gold.jsonl"


def reset_store(path: str) -> None:
    """Drop every raqib table of ``path`` (the demo database is rebuilt on each run)."""
    try:
        con = duckdb.connect(path)
    except (duckdb.Error, OSError) as exc:
        raise StoreError(_explain_open_error(path, exc)) from exc
    try:
        for t in _existing_tables(con) & (set(TABLES) | {"skipped"}):
            con.execute(f"DROP TABLE {t}")
    finally:
        con.close()


def demo_summary(db: str, console) -> dict[str, int]:
    """Code the demo corpus into ``db`` (rebuilt) and print what was found."""
    from rich.table import Table

    from raqib.corpus.ingest import ingest_paths

    reset_store(db)
    account = ingest_paths([str(demo_corpus_path())], db, jobs=1, command="demo")
    counts = account.to_dict()
    console.print(f"[bold]raqib demo[/bold]: coded {account.coded + account.near_duplicate} of "
                  f"{account.read} demo articles into {db}: {account.events} events in "
                  f"{account.clusters} clusters ({account.skipped} skipped, "
                  f"{account.failed} failed)")
    con = open_store(db, read_only=True)
    try:
        t = Table(title="events by CAMEO root")
        for col in ("root", "PLOVER", "events", "mean Goldstein"):
            t.add_column(col)
        for root, plover, n, g in con.execute(
                "SELECT root, any_value(plover), count(*), round(avg(goldstein), 2) FROM events "
                "GROUP BY root ORDER BY root").fetchall():
            t.add_row(root, plover or "", str(n), str(g))
        console.print(t)
        t = Table(title="top dyads (source → target)")
        for col in ("source", "target", "events", "codes"):
            t.add_column(col)
        for s, tg, n, codes in con.execute(
                "SELECT coalesce(source_code, '?'), coalesce(target_code, '-'), count(*), "
                "string_agg(DISTINCT cameo, ' ') FROM events GROUP BY 1, 2 "
                "ORDER BY 3 DESC, 1, 2 LIMIT 12").fetchall():
            t.add_row(s or "?", tg or "-", str(n), codes)
        console.print(t)
        sample = con.execute("SELECT doc_id, cameo, source_code, target_code, trigger_text, "
                             "date FROM events ORDER BY doc_id, event_id LIMIT 5").fetchall()
        console.print("first events: " + json.dumps(sample, ensure_ascii=False))
    finally:
        con.close()
    return counts

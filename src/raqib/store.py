"""The embedded event store (DuckDB): documents, events and skipped inputs.

``raqib demo`` codes the bundled demo corpus into a DuckDB file and prints what was
found; the same tables are what later stages (ingest, export, stats) build on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import duckdb

from raqib.io.writers import FLAT_COLUMNS, _duck_type, flatten
from raqib.kb.tables import data_dir
from raqib.model import Skip

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS documents (
        doc_id VARCHAR PRIMARY KEY, source VARCHAR, pub_date VARCHAR, sentences INTEGER,
        chars INTEGER, n_events INTEGER)""",
    "CREATE TABLE IF NOT EXISTS events (" + ", ".join(
        f"{c} {_duck_type(c)}" for c in FLAT_COLUMNS) + ", PRIMARY KEY (event_id))",
    """CREATE TABLE IF NOT EXISTS skipped (source VARCHAR, doc_id VARCHAR, reason VARCHAR)""",
]


def connect(path: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(path)
    for stmt in SCHEMA:
        con.execute(stmt)
    return con


def store_results(con: duckdb.DuckDBPyConnection, results: Iterable) -> dict[str, int]:
    """Write coded results and skips in one transaction; returns counts."""
    counts = {"read": 0, "coded": 0, "skipped": 0, "failed": 0, "events": 0}
    con.execute("BEGIN TRANSACTION")
    try:
        for res in results:
            counts["read"] += 1
            if isinstance(res, Skip):
                counts["skipped"] += 1
                con.execute("INSERT INTO skipped VALUES (?, ?, ?)",
                            [res.source, res.doc_id, res.reason])
                continue
            if res.error:
                counts["failed"] += 1
                con.execute("INSERT INTO skipped VALUES (?, ?, ?)",
                            [res.source, res.doc_id, f"failed: {res.error}"])
                continue
            counts["coded"] += 1
            con.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?)",
                        [res.doc_id, res.source, res.pub_date, res.sentences, res.chars,
                         len(res.records)])
            con.execute("DELETE FROM events WHERE doc_id = ?", [res.doc_id])
            rows = [flatten(r) for r in res.records]
            if rows:
                con.executemany(f"INSERT INTO events VALUES ({', '.join('?' * len(FLAT_COLUMNS))})",
                                [[row[c] for c in FLAT_COLUMNS] for row in rows])
            counts["events"] += len(rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts


def demo_corpus_path() -> Path:
    return data_dir("demo") / "demo.gold.jsonl"


def demo_summary(db: str, console) -> dict[str, int]:
    from rich.table import Table

    from raqib.io.readers import iter_inputs
    from raqib.pipeline import Pipeline
    from raqib.runner import run

    con = connect(db)
    con.execute("DELETE FROM events")
    con.execute("DELETE FROM documents")
    con.execute("DELETE FROM skipped")
    counts = store_results(con, run(iter_inputs([str(demo_corpus_path())]), Pipeline()))
    console.print(f"[bold]raqib demo[/bold]: coded {counts['coded']} of {counts['read']} demo "
                  f"articles into {db}: {counts['events']} events "
                  f"({counts['skipped']} skipped, {counts['failed']} failed)")
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
    sample = con.execute("SELECT doc_id, cameo, source_code, target_code, trigger_text, date "
                         "FROM events ORDER BY doc_id, event_id LIMIT 5").fetchall()
    console.print("first events: " + json.dumps(sample, ensure_ascii=False))
    con.close()
    return counts

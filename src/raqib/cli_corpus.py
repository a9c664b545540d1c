"""Corpus commands (ingest, export, stats, watch) — registered on the main CLI app.

    raqib ingest PATH... [--db FILE] [-j N] [--json]
    raqib export --format parquet|csv|jsonl|gdelt|plover [--what events|clusters] [--out FILE]
    raqib stats [--by day|week|month] [--top dyads|roots|actors] [filters] [--format table|csv|json]
    raqib watch SOURCE... [--every 5m] [--once | --max-cycles N]

All of them use the DuckDB store described in :mod:`raqib.store` (``raqib.duckdb`` in the
working directory unless ``--db`` says otherwise).
"""

from __future__ import annotations

import csv
import json
import sys
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from raqib.store import DEFAULT_DB

err = Console(stderr=True, soft_wrap=True)
# tables keep their columns when printed to a pipe or a file
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)

DB_HELP = "DuckDB store (default: raqib.duckdb in the working directory)"


def _fail(cmd: str, message: str, code: int = 2) -> None:
    err.print(f"raqib {cmd}: {message}", markup=False, highlight=False)
    raise typer.Exit(code)


def _progress():
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn,
                               TextColumn, TimeElapsedColumn)

    return Progress(SpinnerColumn(), TextColumn("[bold]ingesting"), BarColumn(),
                    MofNCompleteColumn(), TextColumn("{task.fields[status]}"),
                    TimeElapsedColumn(), console=err, transient=True,
                    disable=not err.is_terminal)


def _print_account(cmd: str, account, seconds: float | None = None) -> None:
    lines = account.lines()
    err.print(f"[bold]raqib {cmd}:[/bold] " + lines[0], highlight=False)
    for line in lines[1:]:
        err.print("  " + line.strip() if line.startswith("  ") else line, markup=False,
                  highlight=False)
    err.print(f"time {account.seconds if seconds is None else seconds:.1f} s; "
              f"database {account.db}; run {account.run_id}", markup=False, highlight=False)


def ingest(inputs: list[str] = typer.Argument(..., help="JSONL/.txt/.html(.gz) files, directories, or - for stdin"),
           db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
           jobs: int = typer.Option(1, "-j", "--jobs", help="worker processes"),
           batch_size: int = typer.Option(200, "--batch-size", help="documents committed per transaction"),
           max_chars: int = typer.Option(1_000_000, "--max-chars", help="longer texts are truncated to this many characters (recorded)"),
           as_json: bool = typer.Option(False, "--json", help="print the account as JSON on stdout"),
           quiet: bool = typer.Option(False, "--quiet", "-q", help="no per-batch log lines"),
           kb_overlay: Optional[str] = typer.Option(None, "--kb-overlay", help="directory of extra KB files")):
    """Code a corpus into the DuckDB store: deduplicated, resumable, transactional per batch."""
    from raqib.corpus.ingest import Ingester
    from raqib.io.readers import iter_inputs
    from raqib.pipeline import Pipeline
    from raqib.store import StoreError, open_store

    import duckdb

    try:
        con = open_store(db)
    except StoreError as exc:
        _fail("ingest", str(exc))
    interactive = err.is_terminal

    with _progress() as progress:
        task = progress.add_task("ingest", total=None, status="")

        def on_item():
            progress.advance(task)

        def on_batch(a):
            status = (f"{a.coded} coded, {a.near_duplicate} near-dup, {a.duplicate} dup, "
                      f"{a.skipped} skipped, {a.failed} failed, {a.events} events")
            progress.update(task, status=status)
            if not interactive and not quiet:
                err.print(f"raqib ingest: batch {a.batches} committed: {a.read} read; "
                          + status, markup=False, highlight=False)

        ing = Ingester(con, pipeline=Pipeline(kb_overlay=kb_overlay), jobs=jobs,
                       batch_size=batch_size, max_chars=max_chars, command="ingest",
                       inputs=inputs, db=db, on_batch=on_batch, on_item=on_item)
        try:
            account = ing.run(iter_inputs(inputs))
        except KeyboardInterrupt:
            con.close()
            err.print(f"raqib ingest: interrupted; {ing.account.read} inputs in "
                      f"{ing.account.batches} committed batches are stored, the batch in "
                      "progress was not written. Run the same command again to resume.")
            raise typer.Exit(130)
        except Exception as exc:  # noqa: BLE001 - a clear message, never a half batch
            con.close()
            what = "writing the database" if isinstance(exc, (duckdb.Error, OSError)) \
                else f"ingesting ({type(exc).__name__})"
            _fail("ingest", f"{what} failed: {exc}. Committed batches are kept and the "
                  "batch in progress was not written; run the command again to resume.", 1)
    con.close()
    if as_json:
        print(json.dumps(account.to_dict(), ensure_ascii=False))
    _print_account("ingest", account)
    if account.read == 0 or account.skipped + account.failed == account.read:
        raise typer.Exit(1)


def export(fmt: str = typer.Option("jsonl", "--format", "-f", help="parquet | csv | jsonl | gdelt | plover"),
           what: Optional[str] = typer.Option(None, "--what", help="events | clusters (default: events; clusters for gdelt)"),
           out_file: Optional[str] = typer.Option(None, "--out", "-o", help="output file (default stdout; parquet needs one)"),
           db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP)):
    """Export events or clusters: parquet, csv, jsonl, GDELT 2.0 event table, PLOVER JSON."""
    from raqib.corpus.export import ExportError, export as do_export
    from raqib.store import StoreError, open_store

    import duckdb

    try:
        con = open_store(db, read_only=True)
    except StoreError as exc:
        _fail("export", str(exc))
    try:
        n = do_export(con, fmt, what, out_file, sys.stdout)
    except ExportError as exc:
        _fail("export", str(exc))
    except (duckdb.Error, OSError) as exc:
        _fail("export", f"{exc}", 1)
    finally:
        con.close()
    err.print(f"raqib export: {n} {what or ('clusters' if fmt == 'gdelt' else 'events')} "
              f"written as {fmt}" + (f" to {out_file}" if out_file else ""),
              markup=False, highlight=False)


def stats(by: Optional[str] = typer.Option(None, "--by", help="day | week | month (default month unless --top is given)"),
          top: Optional[list[str]] = typer.Option(None, "--top", help="dyads | roots | actors (repeatable, or comma-separated)"),
          actor: Optional[str] = typer.Option(None, "--actor", help="country (RUS) or actor code (RUSGOV), as source or target"),
          dyad: Optional[str] = typer.Option(None, "--dyad", help="SOURCE-TARGET, e.g. RUS-UKR"),
          root: Optional[str] = typer.Option(None, "--root", help="CAMEO root, e.g. 19"),
          country: Optional[str] = typer.Option(None, "--country", help="place country, e.g. AZE"),
          since: Optional[str] = typer.Option(None, "--since", help="first date (YYYY-MM-DD)"),
          until: Optional[str] = typer.Option(None, "--until", help="last date (YYYY-MM-DD)"),
          limit: int = typer.Option(10, "--limit", help="rows of --top tables"),
          fmt: str = typer.Option("table", "--format", "-f", help="table | csv | json"),
          db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP)):
    """Counts and mean Goldstein per period; top dyads, roots and actors."""
    from raqib.corpus.stats import Filters, StatsError, by_period, top as top_table, totals
    from raqib.store import StoreError, open_store

    if fmt not in ("table", "csv", "json"):
        _fail("stats", "--format must be table, csv or json")
    tops = [t.strip() for item in (top or []) for t in item.split(",") if t.strip()]
    try:
        con = open_store(db, read_only=True)
    except StoreError as exc:
        _fail("stats", str(exc))
    filters = Filters(actor, dyad, root, country, since, until)
    results = []
    try:
        if by or not tops:
            results.append(by_period(con, by or "month", filters))
        for t in tops:
            results.append(top_table(con, t, filters, limit))
        total = totals(con, filters)
    except StatsError as exc:
        _fail("stats", str(exc))
    finally:
        con.close()
    if fmt == "json":
        obj = {"filters": {k: v for k, v in vars(filters).items() if v}, "totals": total}
        for r in results:
            obj[r.title.replace(" ", "_")] = r.as_dicts()
            if r.notes:
                obj.setdefault("notes", []).extend(r.notes)
        print(json.dumps(obj, ensure_ascii=False, default=str))
        return
    if fmt == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        for k, r in enumerate(results):
            if len(results) > 1:
                if k:
                    sys.stdout.write("\n")
                sys.stdout.write(f"# {r.title}\n")
            w.writerow(r.columns)
            w.writerows(r.rows)
        return
    for r in results:
        t = Table(title=r.title)
        for c in r.columns:
            t.add_column(c, justify="right" if c in ("events", "clusters", "mentions",
                                                      "mean_goldstein", "as_source",
                                                      "as_target") else "left")
        for row in r.rows:
            t.add_row(*["" if v is None else str(v) for v in row])
        out.print(t)
        for n in r.notes:
            out.print(f"  note: {n}", highlight=False)
    out.print(f"total: {total['events']} events ({total['mentions']} mentions), "
              f"{total['clusters']} clusters, mean Goldstein {total['mean_goldstein']}; "
              f"{total['documents']} documents in the store", highlight=False)


def watch(sources: list[str] = typer.Argument(..., help="directories and RSS/Atom feed URLs"),
          every: str = typer.Option("5m", "--every", help="polling interval: 30s, 5m, 1h"),
          db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
          once: bool = typer.Option(False, "--once", help="poll once and exit"),
          max_cycles: Optional[int] = typer.Option(None, "--max-cycles", help="stop after N polls"),
          jobs: int = typer.Option(1, "-j", "--jobs", help="worker processes"),
          as_json: bool = typer.Option(False, "--json", help="one JSON account per poll on stdout"),
          kb_overlay: Optional[str] = typer.Option(None, "--kb-overlay", help="directory of extra KB files")):
    """Poll directories and feeds; code only what is new into the store."""
    from raqib.corpus.watch import WatchError, Watcher, parse_every
    from raqib.store import StoreError

    import duckdb

    try:
        seconds = parse_every(every)
        watcher = Watcher(sources, db, jobs=jobs, kb_overlay=kb_overlay)
    except WatchError as exc:
        _fail("watch", str(exc))
    cycles = 1 if once else max_cycles

    def on_cycle(c):
        a = c.account
        for p in c.problems:
            err.print(f"raqib watch: {p}", markup=False, highlight=False)
        err.print(f"raqib watch: poll {c.number}: {c.new_items} new inputs; " + a.lines()[0]
                  + f"; {a.events} events; {a.clusters} clusters in the store",
                  markup=False, highlight=False)
        if as_json:
            d = a.to_dict()
            d["poll"] = c.number
            print(json.dumps(d, ensure_ascii=False), flush=True)

    try:
        watcher.run(seconds, cycles, on_cycle)
    except StoreError as exc:
        _fail("watch", str(exc))
    except (duckdb.Error, OSError) as exc:
        _fail("watch", f"{exc}", 1)
    except KeyboardInterrupt:
        err.print("raqib watch: stopped")
        raise typer.Exit(130)


def register(app) -> None:
    """Add the corpus commands to ``app`` (a typer.Typer)."""
    app.command("ingest")(ingest)
    app.command("export")(export)
    app.command("stats")(stats)
    app.command("watch")(watch)

"""The ``raqib`` command line: code, eval, bench, kb, demo."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="raqib: Arabic-first political event coding (CAMEO/PLOVER).")
kb_app = typer.Typer(no_args_is_help=True, help="Inspect and validate the knowledge base.")
app.add_typer(kb_app, name="kb")
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=False)


def _progress(total: int | None = None):
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn,
                               TextColumn, TimeElapsedColumn)

    return Progress(SpinnerColumn(), TextColumn("[bold]coding"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True,
                    disable=not err.is_terminal)


def _print_summary(stats: Counter, skips: Counter, seconds: float, events: int) -> None:
    read = stats["read"]
    err.print(f"[bold]raqib:[/bold] {read} documents read, {stats['coded']} coded, "
              f"{stats['skipped']} skipped, {stats['failed']} failed; {events} events written "
              f"in {seconds:.2f} s")
    for reason, n in skips.most_common():
        err.print(f"  skipped {n} × {reason}")


@app.command()
def code(inputs: list[str] = typer.Argument(..., help="JSONL/.txt/.html files, directories, or - for stdin"),
         out_file: Optional[str] = typer.Option(None, "--out", "-o", help="output file (default stdout)"),
         fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl | csv | parquet"),
         jobs: int = typer.Option(1, "-j", "--jobs", help="worker processes"),
         explain: bool = typer.Option(False, "--explain", help="add the rule and spans behind each event"),
         kb_overlay: Optional[str] = typer.Option(None, "--kb-overlay", help="directory of extra KB files")):
    """Code documents into events (FORMAT.md output, one event a line)."""
    from raqib.io.readers import iter_inputs
    from raqib.io.writers import EventWriter
    from raqib.model import Skip
    from raqib.pipeline import Pipeline
    from raqib.runner import run

    try:
        writer = EventWriter(fmt, out_file, stdout=sys.stdout)
    except (ValueError, OSError) as exc:
        err.print(f"raqib code: {exc}")
        raise typer.Exit(2)
    t0 = time.perf_counter()
    stats, skips = Counter(), Counter()
    pipeline = Pipeline(kb_overlay=kb_overlay)
    with _progress() as progress:
        task = progress.add_task("coding", total=None)
        for res in run(iter_inputs(inputs), pipeline, jobs=jobs, explain=explain):
            stats["read"] += 1
            progress.advance(task)
            if isinstance(res, Skip):
                stats["skipped"] += 1
                skips[res.reason.split(" (")[0]] += 1
                err.print(f"raqib: skipped {res.source}: {res.reason}")
                continue
            if res.error:
                stats["failed"] += 1
                err.print(f"raqib: failed {res.source} ({res.doc_id}): {res.error}")
                continue
            stats["coded"] += 1
            if explain and fmt == "jsonl" and out_file is None:
                for r in res.records:
                    _explain_line(r)
            writer.write(res.records)
    writer.close()
    _print_summary(stats, skips, time.perf_counter() - t0, writer.count)
    if stats["coded"] == 0:
        raise typer.Exit(1)


def _explain_line(record: dict) -> None:
    ex = record.get("explain") or {}
    src, tgt = record["source"] or {}, record["target"] or {}
    err.print(f"[cyan]{record['event_id']}[/cyan] {record['cameo']} "
              f"{src.get('code', '-')}«{src.get('text', '')}» → {tgt.get('code', '-')}"
              f"«{tgt.get('text', '')}» trigger «{record['trigger']['text']}» "
              f"{record['trigger']['span']} date {record['date']} «{record['date_text']}»")
    for step in ex.get("steps", []):
        err.print(f"    · {step}")


@app.command("eval")
def eval_cmd(gold: list[Path] = typer.Argument(..., help="gold files (FORMAT.md kinds 1 and 2)"),
             as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
             limit: Optional[int] = typer.Option(None, "--limit", help="score the first N rows only")):
    """Code gold documents and print FORMAT.md metrics."""
    from raqib.eval.run import evaluate_file

    results = []
    for path in gold:
        try:
            results.append(evaluate_file(path, limit=limit))
        except (OSError, ValueError) as exc:
            err.print(f"raqib eval: {path}: {exc}")
            raise typer.Exit(2)
    if as_json:
        obj = results[0] if len(results) == 1 else {"files": results}
        print(json.dumps(obj, ensure_ascii=False))
        return
    from raqib.eval.scorer import summary_line

    for r in results:
        t = Table(title=f"{r['file']} ({r['kind']} gold, {r['rows']} rows, {r['seconds']} s)")
        t.add_column("metric")
        t.add_column("value")
        for name, value in summary_line(r["kind"], r["metrics"]):
            t.add_row(name, value)
        out.print(t)


@app.command()
def bench(corpus: Path = typer.Argument(..., help="JSONL corpus"),
          limit: Optional[int] = typer.Option(None, "--limit", help="first N articles"),
          baseline: bool = typer.Option(False, "--baseline", help="also time a bare regex tokenization pass"),
          as_json: bool = typer.Option(False, "--json")):
    """Speed of the whole pipeline and of each stage on a corpus."""
    from raqib.bench import run_bench

    try:
        r = run_bench(corpus, limit=limit, baseline=baseline)
    except (OSError, ValueError) as exc:
        err.print(f"raqib bench: {exc}")
        raise typer.Exit(2)
    if as_json:
        print(json.dumps(r, ensure_ascii=False))
        return
    t = Table(title=f"raqib bench: {r['corpus']} ({r['articles']} articles, {r['mb']:.2f} MB)")
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_row("pipeline build (KB, lexicons)", f"{r['build_s']:.2f} s")
    t.add_row("total coding time", f"{r['seconds']:.2f} s")
    t.add_row("articles/s", f"{r['articles_per_s']:.1f}")
    t.add_row("sentences/s", f"{r['sentences_per_s']:.0f}")
    t.add_row("MB/s", f"{r['mb_per_s']:.2f}")
    t.add_row("events", str(r["events"]))
    t.add_row("peak memory (RSS)", f"{r['peak_rss_mb']:.0f} MB")
    for stage, s in r["stages"].items():
        t.add_row(f"stage {stage}", f"{s['seconds']:.2f} s ({s['mb_per_s']:.1f} MB/s)")
    if baseline:
        t.add_row("baseline regex tokenization", f"{r['baseline_s']:.2f} s "
                  f"({r['baseline_mb_per_s']:.1f} MB/s)")
        t.add_row("pipeline / baseline time", f"{r['ratio']:.1f}×")
    out.print(t)


@kb_app.command("check")
def kb_check(kb_overlay: Optional[str] = typer.Option(None, "--kb-overlay")):
    """Validate every knowledge-base and lexicon file."""
    from raqib.kb.check import check_all

    problems, counts = check_all(kb_overlay)
    for p in problems:
        err.print(f"[red]problem[/red] {p}")
    err.print(f"raqib kb check: {len(problems)} problems; " +
              ", ".join(f"{k} {v}" for k, v in counts.items()))
    if problems:
        raise typer.Exit(1)


@kb_app.command("stats")
def kb_stats(kb_overlay: Optional[str] = typer.Option(None, "--kb-overlay"),
             as_json: bool = typer.Option(False, "--json")):
    """Counts of each kind of entry."""
    from raqib.kb.check import stats

    counts = stats(kb_overlay)
    if as_json:
        print(json.dumps(counts))
        return
    t = Table(title="raqib knowledge base")
    t.add_column("entries")
    t.add_column("count", justify="right")
    for k, v in counts.items():
        t.add_row(k, str(v))
    out.print(t)


@kb_app.command("lookup")
def kb_lookup(words: list[str] = typer.Argument(..., help="a phrase, e.g. «وزير الدفاع التركي»"),
              date: Optional[str] = typer.Option(None, "--date", help="YYYY-MM-DD: role on that day"),
              kb_overlay: Optional[str] = typer.Option(None, "--kb-overlay"),
              as_json: bool = typer.Option(False, "--json")):
    """What a phrase resolves to (actors with their role on --date, places)."""
    from raqib.kb.lookup import lookup

    try:
        found = lookup(" ".join(words), date, kb_overlay)
    except ValueError as exc:
        err.print(f"raqib kb lookup: {exc}")
        raise typer.Exit(2)
    if as_json:
        print(json.dumps(found, ensure_ascii=False))
        return
    if not found:
        out.print("no match")
        raise typer.Exit(1)
    for f in found:
        out.print(" ".join(f"{k}={v}" for k, v in f.items() if v not in (None, "")))


@app.command()
def demo(db: str = typer.Option("raqib.duckdb", "--db", help="DuckDB file to write")):
    """Code the bundled demo corpus into a DuckDB file and summarize what was found."""
    from raqib.store import demo_summary

    try:
        demo_summary(db, out)
    except Exception as exc:  # noqa: BLE001
        err.print(f"raqib demo: {exc}")
        raise typer.Exit(1)


from raqib.cli_corpus import register as _register_corpus_commands  # noqa: E402

_register_corpus_commands(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Throughput of the text layer (raqib.text.layer.TextLayer) on a JSONL news corpus.

Usage: python scripts/bench_text.py [CORPUS.jsonl] [--limit N] [--repeat R] [--profile]

Each line is a JSON object with "id", "text" and optionally "title", "date".  Reports
MB/s (UTF-8 bytes of title + text) and articles/s on one core; the first pass starts with
cold word caches, later passes (``--repeat``) show the warm-cache speed.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from raqib.model import Document  # noqa: E402
from raqib.text.layer import TextLayer  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus" / "ar_news_2018.jsonl"


def load(path: Path, limit: int | None) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


def run(rows: list[dict], layer: TextLayer) -> tuple[float, float, int, int]:
    """Stream the documents through the layer as a pipeline would (one at a time, each
    released after use), so the timing includes Document creation but not the cost of
    keeping millions of tokens alive."""
    t0 = time.perf_counter()
    c0 = time.process_time()
    sentences = tokens = 0
    for i, r in enumerate(rows):
        d = Document(id=str(r.get("id", i)), text=r.get("text") or "", title=r.get("title") or "", date=r.get("date"))
        layer(d)
        sentences += len(d.sentences)
        tokens += sum(len(s.tokens) for s in d.sentences)
    return time.perf_counter() - t0, time.process_time() - c0, sentences, tokens


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--profile", action="store_true", help="print the top cProfile entries")
    args = ap.parse_args()
    path = Path(args.corpus)
    if not path.exists():
        print(f"corpus not found: {path}", file=sys.stderr)
        return 2
    rows = load(path, args.limit)
    nbytes = sum(len((r.get("text") or "").encode()) + len((r.get("title") or "").encode()) for r in rows)
    mb = nbytes / 1e6
    layer = TextLayer()
    for i in range(args.repeat):
        if args.profile and i == 0:
            prof = cProfile.Profile()
            prof.enable()
        seconds, cpu, sentences, tokens = run(rows, layer)
        if args.profile and i == 0:
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(15)
        label = "cold" if i == 0 else "warm"
        print(
            f"pass {i + 1} ({label}): {len(rows)} articles, {mb:.2f} MB, {sentences} sentences, "
            f"{tokens} tokens in {seconds:.2f} s -> {mb / seconds:.2f} MB/s, "
            f"{len(rows) / seconds:.0f} articles/s (CPU time {cpu:.2f} s -> {mb / cpu:.2f} MB/s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

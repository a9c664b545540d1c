"""``raqib bench``: throughput of the whole pipeline and of each stage on a corpus."""

from __future__ import annotations

import re
import resource
import time
from pathlib import Path
from typing import Any

from raqib.io.readers import iter_inputs
from raqib.model import Document
from raqib.pipeline import Pipeline

BASELINE_TOKEN = re.compile(r"\w+|[^\w\s]")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_bench(corpus: Path, limit: int | None = None, baseline: bool = False) -> dict[str, Any]:
    docs = []
    for item in iter_inputs([str(corpus)]):
        if isinstance(item, Document):
            docs.append(item)
            if limit and len(docs) >= limit:
                break
    if not docs:
        raise ValueError(f"{corpus}: no readable documents")
    nbytes = sum(len(d.text.encode()) + len(d.title.encode()) for d in docs)
    mb = nbytes / 1e6
    t0 = time.perf_counter()
    pipeline = Pipeline().build()
    build_s = time.perf_counter() - t0
    pipeline.reset_timings()
    sentences = events = 0
    t1 = time.perf_counter()
    for k, doc in enumerate(docs):
        pipeline(doc)
        sentences += len(doc.sentences)
        events += len(doc.events)
        docs[k] = None  # stream, as `raqib code` does: coded documents are not kept
    seconds = time.perf_counter() - t1
    stages = {name: {"seconds": round(s, 3), "mb_per_s": round(mb / s, 2) if s else None}
              for name, s in pipeline.timings.items()}
    result: dict[str, Any] = {
        "corpus": str(corpus), "articles": len(docs), "mb": round(mb, 3),
        "build_s": round(build_s, 3), "seconds": round(seconds, 3),
        "articles_per_s": round(len(docs) / seconds, 1), "sentences": sentences,
        "sentences_per_s": round(sentences / seconds, 1), "mb_per_s": round(mb / seconds, 3),
        "events": events, "stages": stages, "peak_rss_mb": round(_peak_rss_mb(), 1)}
    if baseline:
        docs = [d for d in iter_inputs([str(corpus)]) if isinstance(d, Document)][:len(docs)]
        t2 = time.perf_counter()
        n = 0
        for doc in docs:
            n += len(BASELINE_TOKEN.findall(doc.title)) + len(BASELINE_TOKEN.findall(doc.text))
        b = time.perf_counter() - t2
        result.update({"baseline_s": round(b, 3), "baseline_tokens": n,
                       "baseline_mb_per_s": round(mb / b, 2), "ratio": round(seconds / b, 2)})
    return result

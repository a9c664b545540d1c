"""Run the pipeline over a stream of inputs, in this process or in N worker processes.

Each worker builds the pipeline once (the knowledge base and lexicons are loaded per
process) and codes documents in chunks; results come back in input order. A document whose
coding raises is reported as failed with the reason; the batch goes on.
"""

from __future__ import annotations

import multiprocessing as mp
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from raqib.io.writers import event_to_record
from raqib.model import Document, Skip
from raqib.pipeline import Pipeline


@dataclass
class Result:
    doc_id: str
    source: str
    records: list[dict] = field(default_factory=list)
    sentences: int = 0
    chars: int = 0
    error: str | None = None
    pub_date: str | None = None


_WORKER: Pipeline | None = None


def _init_worker(pipeline: Pipeline) -> None:
    global _WORKER
    _WORKER = pipeline.build()


def code_document(pipeline: Pipeline, doc: Document, explain: bool = False) -> Result:
    try:
        pipeline(doc)
        records = [event_to_record(ev, k, explain) for k, ev in enumerate(doc.events)]
        return Result(doc.id, doc.source, records, len(doc.sentences),
                      len(doc.text) + len(doc.title), pub_date=doc.pub_date)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Result(doc.id, doc.source, error=f"{type(exc).__name__}: {exc} "
                      f"(at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})")


def _work(args: tuple[list[Document], bool]) -> list[Result]:
    docs, explain = args
    return [code_document(_WORKER, d, explain) for d in docs]


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of at most ``size`` items."""
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(items: Iterable[Document | Skip], pipeline: Pipeline, jobs: int = 1,
        explain: bool = False, chunk_size: int = 32) -> Iterator[Result | Skip]:
    """Code every Document; pass every Skip through; in input order."""
    if jobs <= 1:
        pipeline.build()
        for item in items:
            yield item if isinstance(item, Skip) else code_document(pipeline, item, explain)
        return
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(pipeline,)) as pool:
        pending: list[tuple[list, object]] = []
        for chunk in chunks(items, chunk_size):
            docs = [x for x in chunk if isinstance(x, Document)]
            pending.append((chunk, pool.apply_async(_work, ((docs, explain),))))
            while len(pending) > jobs * 4:
                yield from _drain(pending.pop(0))
        for p in pending:
            yield from _drain(p)


def _drain(entry) -> Iterator[Result | Skip]:
    chunk, async_result = entry
    results = iter(async_result.get())
    for item in chunk:
        yield item if isinstance(item, Skip) else next(results)

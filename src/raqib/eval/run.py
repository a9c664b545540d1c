"""``raqib eval``: code the documents of a gold file and score them (see scorer.py)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from raqib.eval.scorer import gold_kind, score_detection, score_events
from raqib.io.readers import document_from_record
from raqib.model import Skip
from raqib.pipeline import Pipeline
from raqib.runner import code_document


def read_gold(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {lineno}: not valid JSON ({exc.msg})") from None
            if limit and len(rows) >= limit:
                break
    return rows


def predict(rows: list[dict[str, Any]], pipeline: Pipeline | None = None
            ) -> dict[str, list[dict[str, Any]]]:
    pipeline = (pipeline or Pipeline()).build()
    predicted: dict[str, list[dict[str, Any]]] = {}
    for k, row in enumerate(rows):
        doc = document_from_record(row, f"gold:{k + 1}", f"row-{k + 1}")
        if isinstance(doc, Skip):
            predicted[str(row.get("id"))] = []
            continue
        result = code_document(pipeline, doc)
        predicted[doc.id] = result.records
    return predicted


def evaluate_file(path: Path, limit: int | None = None,
                  pipeline: Pipeline | None = None) -> dict[str, Any]:
    t0 = time.perf_counter()
    rows = read_gold(Path(path), limit)
    kind = gold_kind(rows)
    predicted = predict(rows, pipeline)
    if kind == "detection":
        metrics = score_detection(rows, predicted)
    else:
        metrics = score_events(rows, predicted)
    return {"file": Path(path).name, "kind": kind, "rows": len(rows), "metrics": metrics,
            "seconds": round(time.perf_counter() - t0, 2)}

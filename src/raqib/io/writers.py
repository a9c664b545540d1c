"""Turn events into FORMAT.md output records and write them as JSONL, CSV or Parquet."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable
from typing import IO, Any

from raqib.kb.ontology import ontology
from raqib.model import ArgRef, Event

FORMATS = ("jsonl", "csv", "parquet")


def _actor(arg: ArgRef | None) -> dict[str, Any] | None:
    if arg is None:
        return None
    a = arg.actor
    return {"country": a.country, "sector": a.sector, "code": a.code, "name": a.name,
            "text": arg.text, "span": list(arg.span)}


def event_to_record(event: Event, index: int, explain: bool = False) -> dict[str, Any]:
    """One event as the FORMAT.md output object (key order as in FORMAT.md)."""
    code = ontology().get(event.cameo)
    place = None
    if event.place is not None:
        p = event.place
        place = {"name": p.name, "text": event.place_text, "country": p.country,
                 "lat": p.lat, "lon": p.lon}
    sentence: dict[str, Any] = {"index": event.sentence_index, "span": list(event.sentence_span)}
    if event.field == "title":
        sentence["field"] = "title"
    record: dict[str, Any] = {
        "doc_id": event.doc_id,
        "event_id": f"{event.doc_id}:{index}",
        "cameo": event.cameo,
        "root": code.root,
        "quad_class": code.quad_class,
        "goldstein": code.goldstein,
        "plover": code.plover,
        "mode": code.mode,
        "reciprocal": event.reciprocal,
        "source": _actor(event.source),
        "target": _actor(event.target),
        "date": event.date,
        "date_precision": event.date_precision,
        "date_text": event.date_text,
        "place": place,
        "trigger": {"text": event.trigger_text, "span": list(event.trigger_span)},
        "sentence": sentence,
        "negated": event.negated,
        "modality": event.modality,
        "confidence": round(event.confidence, 3),
    }
    if explain:
        record["explain"] = {"rule": event.rule, "steps": list(event.explain)}
    return record


FLAT_COLUMNS = [
    "doc_id", "event_id", "cameo", "root", "quad_class", "goldstein", "plover", "mode",
    "reciprocal", "source_country", "source_sector", "source_code", "source_name",
    "source_text", "source_start", "source_end", "target_country", "target_sector",
    "target_code", "target_name", "target_text", "target_start", "target_end", "date",
    "date_precision", "date_text", "place_name", "place_text", "place_country", "lat", "lon",
    "trigger_text", "trigger_start", "trigger_end", "sentence_index", "sentence_field",
    "sentence_start", "sentence_end", "negated", "modality", "confidence",
]


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """A FORMAT.md record as one flat row (CSV/Parquet/DuckDB)."""
    row = {k: record[k] for k in ("doc_id", "event_id", "cameo", "root", "quad_class",
                                  "goldstein", "plover", "mode", "reciprocal", "date",
                                  "date_precision", "date_text", "negated", "modality",
                                  "confidence")}
    for side in ("source", "target"):
        a = record[side] or {}
        span = a.get("span") or [None, None]
        row.update({f"{side}_country": a.get("country"), f"{side}_sector": a.get("sector"),
                    f"{side}_code": a.get("code"), f"{side}_name": a.get("name"),
                    f"{side}_text": a.get("text"), f"{side}_start": span[0],
                    f"{side}_end": span[1]})
    p = record["place"] or {}
    row.update({"place_name": p.get("name"), "place_text": p.get("text"),
                "place_country": p.get("country"), "lat": p.get("lat"), "lon": p.get("lon")})
    t = record["trigger"]
    s = record["sentence"]
    row.update({"trigger_text": t["text"], "trigger_start": t["span"][0],
                "trigger_end": t["span"][1], "sentence_index": s["index"],
                "sentence_field": s.get("field", "text"), "sentence_start": s["span"][0],
                "sentence_end": s["span"][1]})
    return {c: row.get(c) for c in FLAT_COLUMNS}


class EventWriter:
    """Streams records to a file (or stdout) in one of FORMATS."""

    def __init__(self, fmt: str, out: str | None, stdout: IO[str] | None = None):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        if fmt == "parquet" and not out:
            raise ValueError("--format parquet needs --out FILE")
        self.fmt, self.out, self.count = fmt, out, 0
        self._rows: list[dict[str, Any]] = []
        self._fh: IO[str] | None = None
        self._csv: csv.DictWriter | None = None
        if fmt in ("jsonl", "csv"):
            self._fh = open(out, "w", encoding="utf-8", newline="") if out else stdout
            if fmt == "csv":
                self._csv = csv.DictWriter(self._fh, fieldnames=FLAT_COLUMNS)
                self._csv.writeheader()

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            self.count += 1
            if self.fmt == "jsonl":
                self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif self.fmt == "csv":
                self._csv.writerow(flatten(record))
            else:
                self._rows.append(flatten(record))

    def close(self) -> None:
        if self.fmt == "parquet":
            write_parquet(self._rows, self.out)
        elif self._fh is not None:
            self._fh.flush()
            if self.out:
                self._fh.close()


def write_parquet(rows: list[dict[str, Any]], path: str) -> None:
    """Write flat rows to Parquet with DuckDB (no pyarrow needed)."""
    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        staging = os.path.join(tmp, "events.jsonl")
        with open(staging, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        con = duckdb.connect()
        cols = ", ".join(f"'{c}': '{_duck_type(c)}'" for c in FLAT_COLUMNS)
        con.execute(f"COPY (SELECT * FROM read_json('{staging}', format='newline_delimited', "
                    f"columns={{{cols}}})) TO '{_sql_str(path)}' (FORMAT PARQUET)")
        con.close()


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


_INT = {"quad_class", "source_start", "source_end", "target_start", "target_end",
        "trigger_start", "trigger_end", "sentence_index", "sentence_start", "sentence_end"}
_FLOAT = {"goldstein", "lat", "lon", "confidence"}
_BOOL = {"reciprocal", "negated"}


def _duck_type(col: str) -> str:
    if col in _INT:
        return "INTEGER"
    if col in _FLOAT:
        return "DOUBLE"
    if col in _BOOL:
        return "BOOLEAN"
    return "VARCHAR"

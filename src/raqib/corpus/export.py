"""Export events or clusters from the store: parquet, csv, jsonl, gdelt, plover.

``events`` (one row per coded event) carry the flat output columns plus ``cluster_id``,
``independent`` (false for events of near-duplicate documents) and the document's
publication date, URL and publisher. ``clusters`` carry the cluster table (counts of
mentions, articles and sources) and the ids of their supporting events.

``gdelt`` writes the 61 columns of the GDELT 2.0 event table, in GDELT's order, tab-separated,
without a header, like GDELT's ``*.export.CSV`` files. With ``--what clusters`` (the default
for this format) one row is one cluster, whose NumMentions / NumSources / NumArticles are the
cluster's deduplicated counts; with ``--what events`` one row is one event (counts of 1).
Negated events are left out (GDELT has no negation field). Mapping notes:

* ``SQLDATE``: the event's day; when the event's date is not day-precise, the document's
  publication date (as GDELT does); ``FractionDate`` = year + day-of-year / 365.
* ``Actor*Code`` = country + sector (``RUSGOV``); ``Actor*CountryCode`` the country for
  states; ``Actor*KnownGroupCode`` the organization code for IGOs/NGOs (``UNO``, ``NATO``)
  and ``INT``; ``Actor*Type1Code`` the sector. Names are upper-cased like GDELT's.
* ``IsRootEvent`` = 1 when the event is in the headline or the first sentence.
* ``AvgTone`` is empty: raqib does not measure tone. Actor geography is empty (type 0).
* ``ActionGeo_*`` from the event's place: type 1 (country) when the place is a country,
  else 4 (world city / place); country codes are FIPS 10-4 as in GDELT; ``ADM1Code`` is the
  FIPS country code (raqib does not resolve first-order divisions); ``FeatureID`` is the
  FIPS country code for countries, empty otherwise.
* ``DATEADDED``: when the document (the cluster's first document) was stored, UTC,
  ``YYYYMMDDHHMMSS``; ``SOURCEURL``: the document's URL, else its id.
* ``GLOBALEVENTID``: the cluster id, or for events a stable 63-bit hash of the event id.

``plover`` writes one POLECAT-style JSON record a line (event type, mode, context, source
and target actors, date, location, evidence sentence, story metadata).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from typing import IO, Any

import duckdb

from raqib.io.writers import FLAT_COLUMNS
from raqib.store import table_columns

FORMATS = ("parquet", "csv", "jsonl", "gdelt", "plover")
WHAT = ("events", "clusters")

GDELT_COLUMNS: list[tuple[str, str]] = [
    ("GLOBALEVENTID", "BIGINT"), ("SQLDATE", "INTEGER"), ("MonthYear", "INTEGER"),
    ("Year", "INTEGER"), ("FractionDate", "DOUBLE"),
]
for _a in ("Actor1", "Actor2"):
    GDELT_COLUMNS += [(f"{_a}{c}", "VARCHAR") for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
        "Religion2Code", "Type1Code", "Type2Code", "Type3Code")]
GDELT_COLUMNS += [
    ("IsRootEvent", "INTEGER"), ("EventCode", "VARCHAR"), ("EventBaseCode", "VARCHAR"),
    ("EventRootCode", "VARCHAR"), ("QuadClass", "INTEGER"), ("GoldsteinScale", "DOUBLE"),
    ("NumMentions", "INTEGER"), ("NumSources", "INTEGER"), ("NumArticles", "INTEGER"),
    ("AvgTone", "DOUBLE"),
]
for _g in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
    GDELT_COLUMNS += [(f"{_g}_Type", "INTEGER"), (f"{_g}_FullName", "VARCHAR"),
                      (f"{_g}_CountryCode", "VARCHAR"), (f"{_g}_ADM1Code", "VARCHAR"),
                      (f"{_g}_ADM2Code", "VARCHAR"), (f"{_g}_Lat", "DOUBLE"),
                      (f"{_g}_Long", "DOUBLE"), (f"{_g}_FeatureID", "VARCHAR")]
GDELT_COLUMNS += [("DATEADDED", "BIGINT"), ("SOURCEURL", "VARCHAR")]
assert len(GDELT_COLUMNS) == 61


class ExportError(ValueError):
    pass


# ------------------------------------------------------------------------- queries
_EVENT_EXTRA = ["cluster_id", "independent", "pub_date", "url", "publisher",
                "near_duplicate_of"]
_EVENT_ORDER = ("ORDER BY d.seq, TRY_CAST(regexp_extract(e.event_id, ':(\\d+)$', 1) AS "
                "INTEGER), e.event_id")


def _events_sql(where: str = "") -> str:
    cols = ", ".join(f'e."{c}"' for c in FLAT_COLUMNS)
    return (f"SELECT {cols}, e.cluster_id, e.independent, d.pub_date, d.url, "
            f"d.source AS publisher, d.near_duplicate_of FROM events e "
            f"JOIN documents d ON d.doc_id = e.doc_id {where} {_EVENT_ORDER}")


def _clusters_sql() -> str:
    cols = ", ".join(f'c."{c}"' for c in table_columns("clusters"))
    return (f"SELECT {cols}, list(ce.event_id ORDER BY ce.doc_id, ce.event_id) AS event_ids "
            f"FROM clusters c LEFT JOIN cluster_events ce USING (cluster_id) "
            f"GROUP BY ALL ORDER BY c.date NULLS LAST, c.cluster_id")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> Iterator[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    while True:
        chunk = cur.fetchmany(10_000)
        if not chunk:
            return
        for r in chunk:
            yield dict(zip(names, r))


# ------------------------------------------------------------------------- records
def _actor_record(row: dict[str, Any], side: str) -> dict[str, Any]:
    """One side of a flat event row as a FORMAT.md actor object."""
    return {"country": row[f"{side}_country"] or "", "sector": row[f"{side}_sector"] or "",
            "code": row[f"{side}_code"] or "", "name": row[f"{side}_name"] or "",
            "text": row[f"{side}_text"] or "",
            "span": [row[f"{side}_start"], row[f"{side}_end"]]}


def unflatten(row: dict[str, Any]) -> dict[str, Any]:
    """A flat event row back to the FORMAT.md output record."""
    def actor(side: str):
        if all(row.get(f"{side}_{k}") in (None, "") for k in ("country", "sector", "code",
                                                               "name", "text")) and \
                row.get(f"{side}_start") is None:
            return None
        return _actor_record(row, side)

    place = None
    if any(row.get(k) not in (None, "") for k in ("place_name", "place_country", "place_text")):
        place = {"name": row["place_name"], "text": row["place_text"],
                 "country": row["place_country"], "lat": row["lat"], "lon": row["lon"]}
    sentence: dict[str, Any] = {"index": row["sentence_index"],
                                "span": [row["sentence_start"], row["sentence_end"]]}
    if row.get("sentence_field") == "title":
        sentence["field"] = "title"
    return {
        "doc_id": row["doc_id"], "event_id": row["event_id"], "cameo": row["cameo"],
        "root": row["root"], "quad_class": row["quad_class"], "goldstein": row["goldstein"],
        "plover": row["plover"], "mode": row["mode"], "reciprocal": row["reciprocal"],
        "source": actor("source"), "target": actor("target"), "date": row["date"],
        "date_precision": row["date_precision"], "date_text": row["date_text"],
        "place": place,
        "trigger": {"text": row["trigger_text"],
                    "span": [row["trigger_start"], row["trigger_end"]]},
        "sentence": sentence, "negated": row["negated"], "modality": row["modality"],
        "confidence": row["confidence"],
    }


def _jsonable(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v


def event_records(con) -> Iterator[dict]:
    for row in _rows(con, _events_sql()):
        rec = unflatten(row)
        for k in _EVENT_EXTRA:
            rec[k] = _jsonable(row[k])
        yield rec


def cluster_records(con) -> Iterator[dict]:
    links: dict[int, list] = {}
    for r in _rows(con, "SELECT * FROM cluster_events ORDER BY cluster_id, doc_id, event_id"):
        links.setdefault(r["cluster_id"], []).append({
            "event_id": r["event_id"], "doc_id": r["doc_id"], "story_id": r["story_id"],
            "independent": r["independent"],
            "sentence": {"index": r["sentence_index"], "field": r["sentence_field"],
                         "span": [r["sentence_start"], r["sentence_end"]]},
            "trigger_span": [r["trigger_start"], r["trigger_end"]],
            "source_span": [r["source_start"], r["source_end"]],
            "target_span": [r["target_start"], r["target_end"]]})
    for row in _rows(con, _clusters_sql()):
        rec = {k: _jsonable(v) for k, v in row.items() if k != "event_ids"}
        rec["mentions"] = links.get(row["cluster_id"], [])
        yield rec


# ------------------------------------------------------------------------- GDELT
@lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    from raqib.kb.tables import data_dir, read_table

    try:
        table = read_table(data_dir("kb") / "states.tsv")
        return {r.get("iso3"): r.get("name_en") for r in table.rows}
    except Exception:  # noqa: BLE001 - names only decorate FullName
        return {}


@lru_cache(maxsize=1)
def _org_codes() -> frozenset[str]:
    from raqib.kb.tables import data_dir, read_table

    codes = {"INT"}
    try:
        table = read_table(data_dir("kb") / "organizations.tsv")
        codes.update(r.get("code") for r in table.rows if r.get("code"))
    except Exception:  # noqa: BLE001
        pass
    return frozenset(codes)


def _gdelt_actor(country: str | None, sector: str | None, code: str | None,
                 name: str | None) -> list[str]:
    country, sector = country or "", sector or ""
    is_org = sector in ("IGO", "NGO") and country in _org_codes() or country == "INT"
    return [code or f"{country}{sector}", (name or "").upper(),
            "" if is_org else country, country if is_org else "", "", "", "", sector, "", ""]


def _gdelt_geo(name: str | None, country: str | None, lat, lon) -> list:
    from raqib.corpus.fips import ISO3_TO_FIPS

    if not name and not country:
        return [0, "", "", "", "", None, None, ""]
    fips = ISO3_TO_FIPS.get(country or "", "")
    state = _state_names().get(country or "")
    if name and state and name == state:
        return [1, state, fips, fips, "", lat, lon, fips]
    full = ", ".join(x for x in (name, state) if x)
    return [4 if name else 1, full, fips, fips, "", lat, lon, "" if name else fips]


def _fraction(day: dt.date) -> float:
    return round(day.year + day.timetuple().tm_yday / 365.0, 4)


def _as_day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _h63(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(),
                          "little") >> 1


def _gdelt_row(gid: int, day: dt.date | None, ev: dict, is_root: int, counts: tuple,
               added, url: str) -> list:
    if day is not None:
        date_cols = [int(day.strftime("%Y%m%d")), day.year * 100 + day.month, day.year,
                     _fraction(day)]
    else:
        date_cols = [None, None, None, None]
    code = ev["cameo"] or ""
    row = [gid] + date_cols
    row += _gdelt_actor(ev["source_country"], ev["source_sector"], ev["source_code"],
                        ev["source_name"]) if ev.get("source_country") or ev.get(
        "source_sector") else [""] * 10
    row += _gdelt_actor(ev["target_country"], ev["target_sector"], ev["target_code"],
                        ev["target_name"]) if ev.get("target_country") or ev.get(
        "target_sector") else [""] * 10
    row += [is_root, code, code[:3], ev["root"], ev["quad_class"], ev["goldstein"],
            counts[0], counts[1], counts[2], None]
    row += [0, "", "", "", "", None, None, ""]
    row += [0, "", "", "", "", None, None, ""]
    row += _gdelt_geo(ev.get("place_name"), ev.get("place_country"), ev.get("lat"),
                      ev.get("lon"))
    stamp = added.strftime("%Y%m%d%H%M%S") if isinstance(added, dt.datetime) else None
    row += [int(stamp) if stamp else None, url or ""]
    return row


def gdelt_rows(con, what: str) -> Iterator[list]:
    if what == "events":
        sql = ("SELECT e.*, d.pub_date, d.url, d.ingested_at FROM events e "
               "JOIN documents d ON d.doc_id = e.doc_id WHERE NOT coalesce(e.negated, false) "
               + _EVENT_ORDER)
        for ev in _rows(con, sql):
            day = _as_day(ev["day"]) or _as_day(ev["pub_date"])
            is_root = int(ev["sentence_field"] == "title" or ev["sentence_index"] == 0)
            yield _gdelt_row(_h63(ev["event_id"]), day, ev, is_root, (1, 1, 1),
                             ev["ingested_at"], ev["url"] or ev["doc_id"])
        return
    sql = ("SELECT c.cluster_id, c.date AS c_date, c.date_precision AS c_precision, "
           "c.n_mentions, c.n_sources, c.n_articles, c.first_added, c.first_url, "
           "c.first_doc_id, e.*, d.pub_date, "
           "(SELECT max(CASE WHEN ce.sentence_field = 'title' OR ce.sentence_index = 0 "
           "THEN 1 ELSE 0 END) FROM cluster_events ce WHERE ce.cluster_id = c.cluster_id) "
           "AS is_root "
           "FROM clusters c JOIN events e ON e.event_id = c.rep_event_id "
           "JOIN documents d ON d.doc_id = e.doc_id WHERE NOT coalesce(c.negated, false) "
           "ORDER BY c.date NULLS LAST, c.cluster_id")
    for ev in _rows(con, sql):
        day = (_as_day(ev["c_date"]) if ev["c_precision"] == "day" else None) or \
            _as_day(ev["pub_date"])
        # the cluster's place is the representative's unless the cluster found one elsewhere
        yield _gdelt_row(ev["cluster_id"], day, ev, int(ev["is_root"] or 0),
                         (ev["n_mentions"], ev["n_sources"], ev["n_articles"]),
                         ev["first_added"], ev["first_url"] or ev["first_doc_id"])


def _tsv_cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return repr(round(v, 6))
    return str(v).replace("\t", " ").replace("\r", " ").replace("\n", " ")


# ------------------------------------------------------------------------- PLOVER
def plover_records(con, what: str) -> Iterator[dict]:
    from raqib.kb.ontology import ontology

    onto = ontology()
    where = ""
    if what == "clusters":
        where = "JOIN clusters c ON c.rep_event_id = e.event_id"
    sql = ("SELECT e.*, d.pub_date, d.url, d.source AS publisher, d.title AS headline, "
           "d.near_duplicate_of, "
           "CASE WHEN e.sentence_field = 'title' THEN "
           "substring(t.title, e.sentence_start + 1, e.sentence_end - e.sentence_start) ELSE "
           "substring(t.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) END "
           "AS sentence_text, "
           "cl.n_mentions, cl.n_articles, cl.n_sources "
           f"FROM events e {where} JOIN documents d ON d.doc_id = e.doc_id "
           "LEFT JOIN texts t ON t.doc_id = e.doc_id "
           "LEFT JOIN clusters cl ON cl.cluster_id = e.cluster_id " + _EVENT_ORDER)
    for ev in _rows(con, sql):
        code = onto.codes.get(ev["cameo"])
        context = [c for c in (code.context if code else "").split("|") if c]

        def actor(side: str):
            if not (ev[f"{side}_country"] or ev[f"{side}_sector"]):
                return None
            return _actor_record(ev, side)

        location = None
        if ev["place_name"] or ev["place_country"]:
            location = {"name": ev["place_name"], "country": ev["place_country"],
                        "lat": ev["lat"], "lon": ev["lon"], "text": ev["place_text"]}
        yield {
            "event_id": str(ev["cluster_id"]) if what == "clusters" else ev["event_id"],
            "event_type": ev["plover"] or "",
            "mode": ev["mode"] or "",
            "context": context,
            "date": ev["date"],
            "date_precision": ev["date_precision"],
            "source": actor("source"),
            "target": actor("target"),
            "reciprocal": ev["reciprocal"],
            "location": location,
            "negated": ev["negated"],
            "modality": ev["modality"],
            "cameo": ev["cameo"],
            "quad_class": ev["quad_class"],
            "goldstein": ev["goldstein"],
            "confidence": ev["confidence"],
            "evidence": {"text": ev["sentence_text"], "field": ev["sentence_field"],
                         "sentence_index": ev["sentence_index"],
                         "sentence_span": [ev["sentence_start"], ev["sentence_end"]],
                         "trigger": ev["trigger_text"],
                         "trigger_span": [ev["trigger_start"], ev["trigger_end"]]},
            "story": {"doc_id": ev["doc_id"], "date": ev["pub_date"], "headline":
                      ev["headline"], "url": ev["url"], "publisher": ev["publisher"],
                      "near_duplicate_of": ev["near_duplicate_of"]},
            "cluster": {"id": ev["cluster_id"], "num_mentions": ev["n_mentions"],
                        "num_articles": ev["n_articles"], "num_sources": ev["n_sources"]},
            "independent": ev["independent"],
        }


# ------------------------------------------------------------------------- writing
def _copy(con, sql: str, out: str, fmt: str) -> None:
    opts = "FORMAT PARQUET" if fmt == "parquet" else "FORMAT CSV, HEADER"
    out_sql = out.replace("'", "''")
    con.execute(f"COPY ({sql}) TO '{out_sql}' ({opts})")


def export(con: duckdb.DuckDBPyConnection, fmt: str, what: str | None = None,
           out: str | None = None, stdout: IO[str] | None = None) -> int:
    """Write the export; returns the number of records written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    what = what or ("clusters" if fmt == "gdelt" else "events")
    if what not in WHAT:
        raise ExportError(f"--what must be one of {', '.join(WHAT)}")
    if fmt == "parquet" and not out:
        raise ExportError("--format parquet needs --out FILE")
    stdout = stdout or sys.stdout
    if fmt in ("parquet", "csv"):
        if what == "events":
            sql = _events_sql()
        else:
            sql = _clusters_sql()
            if fmt == "csv":
                sql = (f"SELECT * REPLACE (array_to_string(event_ids, '|') AS event_ids) "
                       f"FROM ({sql})")
        n = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
        if out:
            _write_atomically(out, lambda tmp: _copy(con, sql, tmp, fmt))
        else:
            with tempfile.TemporaryDirectory() as d:
                tmp = os.path.join(d, "export.csv")
                _copy(con, sql, tmp, fmt)
                with open(tmp, encoding="utf-8") as fh:
                    shutil.copyfileobj(fh, stdout)
        return n

    if fmt == "jsonl":
        records = event_records(con) if what == "events" else cluster_records(con)
        lines = (json.dumps(r, ensure_ascii=False, default=str) for r in records)
    elif fmt == "plover":
        lines = (json.dumps(r, ensure_ascii=False, default=str)
                 for r in plover_records(con, what))
    else:
        lines = ("\t".join(_tsv_cell(v) for v in row) for row in gdelt_rows(con, what))
    return _write_lines(lines, out, stdout)


def _write_atomically(out: str, write) -> None:
    directory = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(prefix=".raqib-export-", dir=directory)
    os.close(fd)
    os.unlink(tmp)
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_lines(lines: Iterator[str], out: str | None, stdout: IO[str]) -> int:
    n = 0
    if not out:
        for line in lines:
            stdout.write(line + "\n")
            n += 1
        stdout.flush()
        return n

    def write(tmp: str) -> None:
        nonlocal n
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            for line in lines:
                fh.write(line + "\n")
                n += 1

    _write_atomically(out, write)
    return n


def read_gdelt(con: duckdb.DuckDBPyConnection, path: str, table: str = "gdelt") -> None:
    """Load a GDELT 2.0 event file (ours or GDELT's) into ``table`` with GDELT's column
    names and types."""
    spec = ", ".join(f"'{n}': '{t}'" for n, t in GDELT_COLUMNS)
    p = path.replace("'", "''")
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_csv('{p}', "
                f"delim='\t', header=false, quote='', escape='', columns={{{spec}}})")


__all__ = ["FORMATS", "GDELT_COLUMNS", "ExportError", "export", "read_gdelt", "unflatten",
           "event_records", "cluster_records", "plover_records", "gdelt_rows"]

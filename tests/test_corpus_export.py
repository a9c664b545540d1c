"""raqib export: parquet, csv, jsonl, gdelt (GDELT 2.0 event table) and plover."""

import csv
import datetime as dt
import json
import subprocess
import sys

import duckdb
import pytest

from conftest import valid_event
from raqib.corpus.ingest import ingest_paths
from raqib.io.writers import FLAT_COLUMNS
from raqib.store import demo_corpus_path

RAQIB = [sys.executable, "-m", "raqib.cli"]

# The GDELT 2.0 event table, in order (GDELT Event Codebook V2.0), with its types.
GDELT2 = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode "
    "Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode "
    "Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions "
    "NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code "
    "Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code "
    "Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code "
    "ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL"
).split()
INTS = {"GLOBALEVENTID": "BIGINT", "SQLDATE": "INTEGER", "MonthYear": "INTEGER",
        "Year": "INTEGER", "IsRootEvent": "INTEGER", "QuadClass": "INTEGER",
        "NumMentions": "INTEGER", "NumSources": "INTEGER", "NumArticles": "INTEGER",
        "Actor1Geo_Type": "INTEGER", "Actor2Geo_Type": "INTEGER", "ActionGeo_Type": "INTEGER",
        "DATEADDED": "BIGINT"}
FLOATS = {"FractionDate", "GoldsteinScale", "AvgTone", "Actor1Geo_Lat", "Actor1Geo_Long",
          "Actor2Geo_Lat", "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long"}


def gdelt_type(col):
    return INTS.get(col) or ("DOUBLE" if col in FLOATS else "VARCHAR")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "e.duckdb"
    acc = ingest_paths([str(demo_corpus_path())], str(path))
    assert acc.events > 0
    return str(path)


def run(args):
    return subprocess.run(RAQIB + args, capture_output=True, text=True, timeout=300)


def q(db, sql):
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_gdelt_export_loads_into_a_gdelt_2_table(db, tmp_path):
    from raqib.corpus.export import GDELT_COLUMNS

    assert [c for c, _ in GDELT_COLUMNS] == GDELT2 and len(GDELT2) == 61
    out = tmp_path / "events.export.CSV"
    r = run(["export", "--db", db, "--format", "gdelt", "--out", str(out)])
    assert r.returncode == 0, r.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(line.count("\t") == 60 for line in lines)  # no header, 61 fields
    con = duckdb.connect()
    spec = ", ".join(f"'{c}': '{gdelt_type(c)}'" for c in GDELT2)
    con.execute(f"CREATE TABLE events AS SELECT * FROM read_csv('{out}', delim='\t', "
                f"header=false, quote='', columns={{{spec}}})")
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'events'").fetchall())
    assert list(types) == GDELT2
    assert types["SQLDATE"] == "INTEGER" and types["GoldsteinScale"] == "DOUBLE"
    (n,), = con.execute("SELECT count(*) FROM events").fetchall()
    (expected,), = q(db, "SELECT count(*) FROM clusters WHERE NOT negated")
    assert n == expected == len(lines)
    (mentions,), = q(db, "SELECT sum(n_mentions) FROM clusters WHERE NOT negated")
    assert con.execute("SELECT sum(NumMentions) FROM events").fetchone()[0] == mentions
    rows = con.execute("SELECT * FROM events").fetchall()
    ids = set()
    for row in rows:
        r = dict(zip(GDELT2, row))
        ids.add(r["GLOBALEVENTID"])
        if r["SQLDATE"] is not None:
            day = dt.datetime.strptime(str(r["SQLDATE"]), "%Y%m%d").date()
            assert r["MonthYear"] == day.year * 100 + day.month and r["Year"] == day.year
            assert int(r["FractionDate"]) == day.year
        assert r["EventRootCode"] == r["EventCode"][:2] and r["EventBaseCode"] == \
            r["EventCode"][:3]
        assert r["QuadClass"] in (1, 2, 3, 4) and -10 <= r["GoldsteinScale"] <= 10
        assert r["NumMentions"] >= r["NumArticles"] >= 1 and r["NumSources"] >= 1
        assert r["IsRootEvent"] in (0, 1)
        assert len(str(r["DATEADDED"])) == 14
        assert r["SOURCEURL"]
        if r["ActionGeo_Type"]:
            assert r["ActionGeo_Type"] in (1, 4)
            assert r["ActionGeo_CountryCode"] is None or len(r["ActionGeo_CountryCode"]) == 2
        if r["Actor1Code"] and r["Actor1CountryCode"]:
            assert r["Actor1Code"].startswith(r["Actor1CountryCode"])
    assert len(ids) == len(rows)
    # a place that GDELT tooling can map: FIPS country codes
    geo = con.execute("SELECT ActionGeo_CountryCode, ActionGeo_Lat FROM events "
                      "WHERE ActionGeo_Type > 0").fetchall()
    assert geo and all(c and lat is not None for c, lat in geo)
    # the loader helper reads it the same way
    from raqib.corpus.export import read_gdelt

    read_gdelt(con, str(out), "g2")
    assert con.execute("SELECT count(*) FROM g2").fetchone()[0] == n


def test_gdelt_per_event_rows(db, tmp_path):
    out = tmp_path / "e.tsv"
    r = run(["export", "--db", db, "--format", "gdelt", "--what", "events", "--out", str(out)])
    assert r.returncode == 0, r.stderr
    (n,), = q(db, "SELECT count(*) FROM events WHERE NOT negated")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == n
    assert {line.split("\t")[31] for line in lines} == {"1"}  # NumMentions


def test_jsonl_events_are_format_records(db, tmp_path):
    texts = {}
    with open(demo_corpus_path(), encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            texts[d["id"]] = (d["text"], d.get("title", ""))
    r = run(["export", "--db", db, "--format", "jsonl"])
    assert r.returncode == 0, r.stderr
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    (n,), = q(db, "SELECT count(*) FROM events")
    assert len(recs) == n > 0
    for rec in recs:
        valid_event(rec, *texts[rec["doc_id"]])
        assert isinstance(rec["cluster_id"], int) and rec["independent"] in (True, False)


def test_stored_events_are_the_coder_records(tmp_path):
    """Ingest + export gives back exactly the records the coder makes (plus the store's
    additions). One pipeline object (one snapshot of the KB and lexicons) does both."""
    from raqib.corpus.export import event_records
    from raqib.io.readers import iter_inputs
    from raqib.pipeline import Pipeline
    from raqib.runner import run as run_pipeline
    from raqib.store import open_store

    pipeline = Pipeline().build()
    coded = [rec for res in run_pipeline(iter_inputs([str(demo_corpus_path())]), pipeline)
             for rec in res.records]
    db = str(tmp_path / "same.duckdb")
    ingest_paths([str(demo_corpus_path())], db, pipeline=pipeline)
    con = open_store(db, read_only=True)
    try:
        stored = list(event_records(con))
    finally:
        con.close()
    assert coded and len(stored) == len(coded)
    assert [{k: v for k, v in rec.items() if k in coded[0]} for rec in stored] == coded


def test_csv_and_parquet_events_and_clusters(db, tmp_path):
    (n_events,), = q(db, "SELECT count(*) FROM events")
    (n_clusters,), = q(db, "SELECT count(*) FROM clusters")
    for what, n in (("events", n_events), ("clusters", n_clusters)):
        out = tmp_path / f"{what}.csv"
        r = run(["export", "--db", db, "--format", "csv", "--what", what, "--out", str(out)])
        assert r.returncode == 0, r.stderr
        with open(out, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == n
        if what == "events":
            assert list(rows[0])[: len(FLAT_COLUMNS)] == FLAT_COLUMNS
            assert "cluster_id" in rows[0]
        else:
            assert sum(len(r["event_ids"].split("|")) for r in rows) == n_events
        pq = tmp_path / f"{what}.parquet"
        r = run(["export", "--db", db, "--format", "parquet", "--what", what, "--out", str(pq)])
        assert r.returncode == 0, r.stderr
        (m,), = duckdb.connect().execute(f"SELECT count(*) FROM '{pq}'").fetchall()
        assert m == n
    r = run(["export", "--db", db, "--format", "csv"])  # to stdout
    assert r.returncode == 0 and r.stdout.startswith("doc_id,event_id,cameo")


def test_clusters_jsonl_link_every_event(db):
    r = run(["export", "--db", db, "--format", "jsonl", "--what", "clusters"])
    assert r.returncode == 0, r.stderr
    clusters = [json.loads(x) for x in r.stdout.splitlines()]
    ids = [m["event_id"] for c in clusters for m in c["mentions"]]
    (n,), = q(db, "SELECT count(*) FROM events")
    assert len(ids) == len(set(ids)) == n
    for c in clusters:
        assert c["n_mentions"] == len(c["mentions"]) >= c["n_articles"] >= 1
        assert all(m["sentence"]["span"][0] <= m["trigger_span"][0] for m in c["mentions"])


def test_plover_records(db):
    r = run(["export", "--db", db, "--format", "plover"])
    assert r.returncode == 0, r.stderr
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    (n,), = q(db, "SELECT count(*) FROM events")
    assert len(recs) == n
    texts = dict(q(db, "SELECT doc_id, text FROM texts"))
    titles = dict(q(db, "SELECT doc_id, title FROM texts"))
    for rec in recs:
        for key in ("event_id", "event_type", "mode", "context", "date", "source", "target",
                    "location", "evidence", "story", "cameo", "goldstein"):
            assert key in rec
        ev = rec["evidence"]
        field = titles if ev["field"] == "title" else texts
        s, e = ev["sentence_span"]
        assert ev["text"] == field[rec["story"]["doc_id"]][s:e]
        assert ev["trigger"] in ev["text"]
        if rec["source"]:
            assert rec["source"]["code"].startswith(rec["source"]["country"])
    assert any(rec["event_type"] for rec in recs)
    r = run(["export", "--db", db, "--format", "plover", "--what", "clusters"])
    (k,), = q(db, "SELECT count(*) FROM clusters")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == k


def test_export_errors(db, tmp_path):
    r = run(["export", "--db", db, "--format", "parquet"])
    assert r.returncode == 2 and "needs --out" in r.stderr
    r = run(["export", "--db", db, "--format", "xml"])
    assert r.returncode == 2 and "unknown format" in r.stderr
    r = run(["export", "--db", db, "--what", "people"])
    assert r.returncode == 2
    r = run(["export", "--db", str(tmp_path / "nope.duckdb")])
    assert r.returncode == 2 and "no database" in r.stderr
    assert not (tmp_path / "nope.duckdb").exists()

"""Cross-document clusters and `raqib stats` on a store filled with hand-made events, so the
expected numbers are known exactly (independent of the coder's current output)."""

import csv
import io
import json
import subprocess
import sys

import pytest

from raqib.corpus.clusters import recluster
from raqib.corpus.stats import Filters, StatsError, by_period, top, totals
from raqib.io.writers import FLAT_COLUMNS
from raqib.store import bulk_insert, open_store, table_columns

RAQIB = [sys.executable, "-m", "raqib.cli"]
GOLDSTEIN = {"04": 1.0, "19": -10.0, "14": -6.5, "05": 3.5}


def _event(doc, k, root, s, t, date, precision="day", place="", reciprocal=False,
           negated=False, sentence=0):
    row = {c: None for c in FLAT_COLUMNS}
    row.update({
        "doc_id": doc, "event_id": f"{doc}:{k}", "cameo": root + "0", "root": root,
        "quad_class": 4 if root in ("19", "14") else 1, "goldstein": GOLDSTEIN[root],
        "plover": "", "mode": "", "reciprocal": reciprocal, "negated": negated,
        "source_country": s, "source_sector": "GOV" if s else "", "source_code":
        (s + "GOV") if s else "", "target_country": t, "target_sector": "GOV" if t else "",
        "target_code": (t + "GOV") if t else "", "date": date, "date_precision": precision,
        "date_text": "", "place_country": place or None, "place_name": place or None,
        "trigger_text": "x", "trigger_start": 0, "trigger_end": 1, "sentence_index": sentence,
        "sentence_field": "text", "sentence_start": 0, "sentence_end": 10,
        "modality": "asserted", "confidence": 0.8})
    return row


def _fill(con, docs, events):
    """docs: (doc_id, publisher, near_duplicate_of); events: rows from _event."""
    drow = []
    near = {d: n for d, _, n in docs}
    for seq, (doc_id, publisher, nd) in enumerate(docs, 1):
        r = {c: None for c in table_columns("documents")}
        r.update({"doc_id": doc_id, "content_hash": doc_id, "source": publisher,
                  "input": f"test:{doc_id}", "status": "near_duplicate" if nd else "coded",
                  "near_duplicate_of": nd, "seq": seq, "n_events": 0})
        drow.append([r[c] for c in table_columns("documents")])
    erows = []
    for e in events:
        day = e["date"] if e["date_precision"] == "day" else None
        extra = {"independent": near[e["doc_id"]] is None, "day": day, "cluster_id": None,
                 "run_id": "t"}
        erows.append([e[c] for c in FLAT_COLUMNS] + [extra[c] for c in
                                                      ("independent", "day", "cluster_id",
                                                       "run_id")])
    con.execute("BEGIN")
    bulk_insert(con, "documents", table_columns("documents"), drow)
    bulk_insert(con, "events", table_columns("events"), erows)
    con.execute("COMMIT")


@pytest.fixture()
def store(tmp_path):
    db = str(tmp_path / "h.duckdb")
    con = open_store(db)
    docs = [("a", "skynews", None), ("b", "france24", None), ("c", "bbc", "a"),
            ("d", "cnn", None), ("e", "skynews", None)]
    ev = [
        # one happening: RUS→UKR attack on 3 and 4 March in UKR, reported by a, b, c (c is a
        # near-duplicate of a), d reports it without a place
        _event("a", 0, "19", "RUS", "UKR", "2022-03-03", place="UKR"),
        _event("b", 0, "19", "RUS", "UKR", "2022-03-04", place="UKR"),
        _event("c", 0, "19", "RUS", "UKR", "2022-03-03", place="UKR"),
        _event("d", 0, "19", "RUS", "UKR", "2022-03-04"),
        # three days later: another happening
        _event("e", 0, "19", "RUS", "UKR", "2022-03-07", place="UKR"),
        # same day and dyad but another place country: another happening
        _event("e", 1, "19", "RUS", "UKR", "2022-03-07", place="POL"),
        # reciprocal consultation, reported both ways round
        _event("a", 1, "04", "RUS", "TUR", "2022-03-03", reciprocal=True),
        _event("b", 1, "04", "TUR", "RUS", "2022-03-03", reciprocal=True),
        # the opposite direction of a one-way event is another happening
        _event("d", 1, "05", "UKR", "POL", "2022-03-04"),
        _event("e", 2, "05", "POL", "UKR", "2022-03-04"),
        # negated: never merged with the asserted report
        _event("b", 2, "19", "RUS", "UKR", "2022-03-04", place="UKR", negated=True),
        # a month-precise past event reported by a and its near-duplicate c: one cluster
        _event("a", 2, "14", "UKR", "", "2022-02", precision="month"),
        _event("c", 1, "14", "UKR", "", "2022-02", precision="month"),
        # …but the same month in an unrelated story is not merged
        _event("d", 2, "14", "UKR", "", "2022-02", precision="month"),
        # no actor at all: one cluster each
        _event("a", 3, "14", "", "", "2022-03-03"),
        _event("b", 3, "14", "", "", "2022-03-03"),
    ]
    _fill(con, docs, ev)
    n = recluster(con)
    yield con, n, db
    con.close()


def _cluster_of(con, event_id):
    return con.execute("SELECT c.* FROM clusters c JOIN events e USING (cluster_id) "
                       "WHERE e.event_id = ?", [event_id]).fetchone()


def _counts(con, event_id):
    return con.execute(
        "SELECT n_mentions, n_independent_mentions, n_documents, n_articles, n_sources, "
        "n_sources_all FROM clusters c JOIN events e USING (cluster_id) "
        "WHERE e.event_id = ?", [event_id]).fetchone()


def test_clusters_group_reports_of_one_happening(store):
    con, n, _ = store
    same = {e: _cluster_of(con, e)[0] for e in ("a:0", "b:0", "c:0", "d:0")}
    assert len(set(same.values())) == 1
    # 4 mentions, 3 independent; 4 documents but 3 stories (c repeats a); sources: the
    # stories' first publishers (skynews, france24, cnn) — bbc's copy is not independent
    assert _counts(con, "a:0") == (4, 3, 4, 3, 3, 4)
    assert _cluster_of(con, "e:0")[0] != same["a:0"]  # three days later
    assert _cluster_of(con, "e:1")[0] not in (same["a:0"], _cluster_of(con, "e:0")[0])
    assert _cluster_of(con, "a:1")[0] == _cluster_of(con, "b:1")[0]  # reciprocal, both ways
    assert _cluster_of(con, "d:1")[0] != _cluster_of(con, "e:2")[0]  # opposite one-way
    assert _cluster_of(con, "b:2")[0] != same["a:0"]  # negated
    assert _cluster_of(con, "a:2")[0] == _cluster_of(con, "c:1")[0]  # same story, same month
    assert _counts(con, "a:2") == (2, 1, 2, 1, 1, 2)
    assert _cluster_of(con, "d:2")[0] != _cluster_of(con, "a:2")[0]
    assert _cluster_of(con, "a:3")[0] != _cluster_of(con, "b:3")[0]
    assert n == 11
    # links to every supporting event
    (links,), = con.execute("SELECT count(*) FROM cluster_events").fetchone(),
    assert links == 16
    row = con.execute("SELECT date, last_date, place_country, dyad, reciprocal FROM clusters "
                      "WHERE cluster_id = ?", [same["a:0"]]).fetchone()
    assert row == ("2022-03-03", "2022-03-04", "UKR", "RUS-UKR", False)
    # reclustering is deterministic
    before = sorted(con.execute("SELECT * FROM cluster_events").fetchall())
    assert recluster(con) == n
    assert sorted(con.execute("SELECT * FROM cluster_events").fetchall()) == before


def test_stats_by_period_with_filters(store):
    con, _, _ = store
    r = by_period(con, "day", Filters(dyad="RUS-UKR"))
    got = {row[0]: row[1:] for row in r.rows}
    # independent events (c is a near-duplicate), clusters, mentions, mean Goldstein
    assert got["2022-03-03"] == [1, 1, 2, -10.0]
    assert got["2022-03-04"] == [3, 2, 3, -10.0]  # b:0, d:0 and the negated b:2
    assert got["2022-03-07"] == [2, 2, 2, -10.0]
    r = by_period(con, "month", Filters(actor="UKR", root="14"))
    assert {row[0]: row[1] for row in r.rows} == {"2022-02": 2}
    r = by_period(con, "day", Filters(actor="UKR", root="14"))
    assert r.rows == [] and any("no date at day precision" in n for n in r.notes)
    r = by_period(con, "week", Filters(root="19", country="UKR"))
    assert {row[0]: row[1] for row in r.rows} == {"2022-W09": 3, "2022-W10": 1}
    r = by_period(con, "day", Filters(since="2022-03-04", until="2022-03-04", root="19"))
    assert [row[0] for row in r.rows] == ["2022-03-04"]
    # reciprocal events match a dyad in either order
    r = by_period(con, "day", Filters(dyad="RUS-TUR"))
    assert r.rows[0][1:3] == [2, 1]
    assert by_period(con, "day", Filters(dyad="TUR-RUS")).rows[0][1] == 2
    assert by_period(con, "day", Filters(dyad="POL-UKR")).rows[0][1] == 1
    with pytest.raises(StatsError):
        by_period(con, "day", Filters(dyad="RUS"))
    with pytest.raises(StatsError):
        by_period(con, "day", Filters(since="yesterday"))


def test_top_dyads_roots_actors(store):
    con, _, _ = store
    dy = top(con, "dyads").as_dicts()
    assert dy[0]["dyad"] == "RUS-UKR" and dy[0]["events"] == 6 and dy[0]["mentions"] == 7
    assert any(d["dyad"] == "RUS<>TUR" and d["events"] == 2 for d in dy)
    roots = {d["root"]: d for d in top(con, "roots").as_dicts()}
    assert roots["19"]["events"] == 6 and roots["19"]["mean_goldstein"] == -10.0
    assert roots["04"]["name"] and roots["04"]["plover"] == "CONSULT"
    actors = {d["actor"]: d for d in top(con, "actors").as_dicts()}
    assert actors["RUSGOV"]["as_source"] == 7 and actors["UKRGOV"]["as_target"] == 7
    t = totals(con)
    assert t["mentions"] == 16 and t["events"] == 14


def test_stats_command_formats(store, tmp_path):
    con, _, db = store
    con.close()  # one writer at a time: let the command open the file
    r = subprocess.run(RAQIB + ["stats", "--db", db, "--by", "day", "--dyad", "RUS-UKR",
                                "--format", "csv"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows[0] == {"period": "2022-03-03", "events": "1", "clusters": "1",
                       "mentions": "2", "mean_goldstein": "-10.0"}
    r = subprocess.run(RAQIB + ["stats", "--db", db, "--top", "dyads,roots", "--format",
                                "json", "--root", "19"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert obj["top_dyads"][0]["dyad"] == "RUS-UKR"
    assert [x["root"] for x in obj["top_roots"]] == ["19"]
    assert obj["filters"] == {"root": "19"}
    r = subprocess.run(RAQIB + ["stats", "--db", db, "--by", "month", "--top", "actors"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "events by month" in r.stdout and "top actors" in r.stdout
    r = subprocess.run(RAQIB + ["stats", "--db", db, "--by", "year"], capture_output=True,
                       text=True)
    assert r.returncode == 2 and "--by must be one of" in r.stderr
    r = subprocess.run(RAQIB + ["stats", "--db", str(tmp_path / "none.duckdb")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "no database" in r.stderr

"""The command-line contract: code / eval / bench / kb / demo, through the real console
script where it matters (subprocess) and in-process elsewhere."""

import json
import subprocess
import sys

import pytest

from conftest import SHARED, valid_event

RAQIB = [sys.executable, "-m", "raqib.cli"]
ARTICLE = ("بيروت، 3 آذار/مارس (رويترز) - استقبل الرئيس اللبناني ميشال عون اليوم الثلاثاء "
           "وزير الخارجية الفرنسي جان إيف لودريان في قصر بعبدا، وبحث الجانبان الأوضاع في "
           "المنطقة.")


def run(args, **kw):
    return subprocess.run(RAQIB + args, capture_output=True, text=True, timeout=300, **kw)


def test_code_txt_stdout_is_format_events(tmp_path):
    p = tmp_path / "beirut.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    r = run(["code", str(p)])
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert lines, r.stderr
    for ev in lines:
        valid_event(ev, ARTICLE)
    assert "1 documents read, 1 coded" in r.stderr


def test_bad_inputs_do_not_stop_the_batch(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "g", "text": ARTICLE, "date": "2020-03-03"},
                               ensure_ascii=False) + "\n{broken\n" +
                    json.dumps({"id": "nt"}) + "\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "bad.txt").write_bytes(b"\xd9\x85\xff\xfe\xfa abc \x80\x81")
    r = run(["code", str(good), str(tmp_path / "empty.txt"), str(tmp_path / "bin.txt"),
             str(tmp_path / "missing.txt")])
    assert r.returncode == 0, r.stderr
    assert "missing.txt: no such file or directory" in r.stderr
    assert "good.jsonl:2: not valid JSON" in r.stderr
    assert "good.jsonl:3: no 'text' field" in r.stderr
    assert "empty.txt: empty input" in r.stderr
    assert "bin.txt: binary data" in r.stderr
    assert any(json.loads(x)["doc_id"] == "g" for x in r.stdout.splitlines())
    # nothing codable at all: non-zero exit
    r = run(["code", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt")])
    assert r.returncode == 1


def test_code_csv_and_parquet(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    r = run(["code", str(p), "--format", "csv", "--out", str(tmp_path / "e.csv")])
    assert r.returncode == 0, r.stderr
    header = (tmp_path / "e.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("doc_id,event_id,cameo,root")
    r = run(["code", str(p), "--format", "parquet", "--out", str(tmp_path / "e.parquet")])
    assert r.returncode == 0, r.stderr
    import duckdb

    n, = duckdb.connect().execute(f"SELECT count(*) FROM '{tmp_path / 'e.parquet'}'").fetchone()
    assert n >= 1


def test_code_parallel_matches_serial(tmp_path):
    from raqib.store import demo_corpus_path

    a = run(["code", str(demo_corpus_path())])
    b = run(["code", str(demo_corpus_path()), "-j", "2"])
    assert a.returncode == 0 and b.returncode == 0
    assert a.stdout == b.stdout and a.stdout


def test_explain_prints_rules(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    r = run(["code", str(p), "--explain"])
    assert r.returncode == 0
    first = json.loads(r.stdout.splitlines()[0])
    assert first["explain"]["rule"] and first["explain"]["steps"]
    assert "matched lexicon" in r.stderr


@pytest.mark.skipif(not SHARED.exists(), reason="../shared not available")
def test_seed_article_codes_and_evaluates():
    r = run(["code", str(SHARED / "examples/karabakh_call.ar.txt")])
    assert r.returncode == 0, r.stderr
    text = (SHARED / "examples/karabakh_call.ar.txt").read_text(encoding="utf-8")
    events = [json.loads(x) for x in r.stdout.splitlines()]
    assert events
    for ev in events:
        valid_event(ev, text)
    r = run(["eval", str(SHARED / "eval/karabakh_call.gold.jsonl"), "--json"])
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    assert m["kind"] == "events"
    for key in ("detect", "root", "dyad_root", "full_actor_root"):
        assert set(m["metrics"][key]) >= {"precision", "recall", "f1"}


def test_eval_demo_gold_table_and_json():
    from raqib.store import demo_corpus_path

    r = run(["eval", str(demo_corpus_path()), "--json"])
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)["metrics"]
    assert m["docs"] >= 36 and m["gold_events"] > 100
    # the coder must find a real share of the demo events (regression guard, not a target)
    assert m["root"]["f1"] > 0.3, m["root"]
    r = run(["eval", str(demo_corpus_path())])
    assert "dyad_root" in r.stdout


def test_bench_reports_figures(tmp_path):
    from raqib.store import demo_corpus_path

    r = run(["bench", str(demo_corpus_path()), "--baseline", "--json"])
    assert r.returncode == 0, r.stderr
    b = json.loads(r.stdout)
    for key in ("articles_per_s", "sentences_per_s", "mb_per_s", "peak_rss_mb", "ratio"):
        assert b[key] > 0
    assert set(b["stages"]) == {"text", "recognize", "code", "resolve"}


def test_demo_writes_duckdb(tmp_path):
    db = tmp_path / "demo.duckdb"
    r = run(["demo", "--db", str(db)])
    assert r.returncode == 0, r.stderr
    assert "events by CAMEO root" in r.stdout
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    n_docs, = con.execute("SELECT count(*) FROM documents").fetchone()
    n_events, = con.execute("SELECT count(*) FROM events").fetchone()
    assert n_docs >= 36 and n_events > 50

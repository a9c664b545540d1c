"""raqib ingest: accounting, idempotency, kill -9 and resume, duplicates and near-duplicates,
bad input, locked and read-only databases."""

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from raqib.corpus import dedup
from raqib.corpus.ingest import ingest_items, ingest_paths
from raqib.model import Document
from raqib.store import demo_corpus_path

RAQIB = [sys.executable, "-m", "raqib.cli"]
RUN_COLUMNS = {"run_id", "ingested_at"}
SUM = ("coded", "near_duplicate", "duplicate", "skipped", "failed")


def run(args, **kw):
    return subprocess.run(RAQIB + args, capture_output=True, text=True, timeout=600, **kw)


def demo_docs():
    with open(demo_corpus_path(), encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def varied_corpus(path: Path, n: int, seed: int = 7) -> list[dict]:
    """``n`` articles made from the demo ones: distinct ids, small variations (a shifted
    date, a varied closing sentence, sometimes a dropped sentence), so that the corpus has
    distinct documents, near-duplicates and a few exact duplicates."""
    rnd = random.Random(seed)
    base = demo_docs()
    out = []
    for i in range(n):
        d = base[i % len(base)]
        k = i // len(base)
        text = d["text"]
        if k % 3 == 1:
            text += f"\nوتابع المراسل أن الاتصالات ستستمر خلال الأيام الـ{k + 2} المقبلة."
        elif k % 3 == 2:
            parts = text.split("\n")
            if len(parts) > 2:
                parts.pop(rnd.randrange(1, len(parts)))
            text = "\n".join(parts) + f"\nوفي سياق متصل، أشار مصدر مطلع إلى الجولة رقم {k}."
        date = d.get("pub_date") or "2021-05-14"
        if k % 4 == 3:
            y, m, day = date.split("-")
            date = f"{y}-{m}-{min(28, int(day) + 1):02d}"
        out.append({"id": f"v{i:05d}-{d['id']}", "title": d.get("title", ""), "text": text,
                    "date": date, "source": ["skynews", "france24", "bbc", "cnn"][i % 4],
                    "url": f"https://example.org/news/{i}"})
    with open(path, "w", encoding="utf-8") as fh:
        for r in out:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return out


def table(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def event_rows(db) -> set:
    """Events as a set of rows without the run-specific columns."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [r[0] for r in con.execute("DESCRIBE events").fetchall()
                if r[0] not in RUN_COLUMNS]
        return set(con.execute(f"SELECT {', '.join(cols)} FROM events").fetchall())
    finally:
        con.close()


def stable_rows(db, tbl, drop=()) -> set:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [r[0] for r in con.execute(f"DESCRIBE {tbl}").fetchall()
                if r[0] not in RUN_COLUMNS | set(drop)]
        return set(con.execute(f"SELECT {', '.join(cols)} FROM {tbl}").fetchall())
    finally:
        con.close()


def balanced(acc: dict) -> bool:
    return acc["read"] == sum(acc[k] for k in SUM)


# --------------------------------------------------------------------------- basics
def test_ingest_demo_account_and_second_run_adds_nothing(tmp_path):
    db = tmp_path / "s.duckdb"
    r = run(["ingest", str(demo_corpus_path()), "--db", str(db), "--json"])
    assert r.returncode == 0, r.stderr
    acc = json.loads(r.stdout)
    n = len(demo_docs())
    assert acc["read"] == n and balanced(acc) and acc["balanced"]
    assert acc["coded"] + acc["near_duplicate"] == n
    assert acc["events"] > 50
    assert f"{n} read = " in r.stderr
    (n_events,), = table(db, "SELECT count(*) FROM events")
    assert n_events == acc["events"]
    before = event_rows(db)
    # the same input again (and once more through a directory): nothing is added
    r = run(["ingest", str(demo_corpus_path()), "--db", str(db), "--json", "-j", "2"])
    assert r.returncode == 0, r.stderr
    acc2 = json.loads(r.stdout)
    assert acc2["read"] == n and acc2["duplicate"] == n and acc2["events"] == 0
    assert acc2["duplicate_reasons"] == {"same document already stored": n}
    assert event_rows(db) == before
    (runs,), = table(db, "SELECT count(*) FROM runs WHERE status = 'finished'")
    assert runs == 2
    # every event is in exactly one cluster; counts are consistent
    (orphans,), = table(db, "SELECT count(*) FROM events WHERE cluster_id IS NULL")
    assert orphans == 0
    (bad,), = table(db, "SELECT count(*) FROM clusters WHERE NOT (n_mentions >= n_documents "
                        "AND n_documents >= n_articles AND n_articles >= 1 AND n_sources >= 1 "
                        "AND n_sources <= n_articles AND n_sources_all >= n_sources)")
    assert bad == 0
    (links,), = table(db, "SELECT count(*) FROM cluster_events")
    assert links == n_events


def test_spans_and_texts_are_stored_consistently(tmp_path):
    db = tmp_path / "s.duckdb"
    acc = ingest_paths([str(demo_corpus_path())], str(db))
    assert acc.balanced() and acc.events > 0
    rows = table(db, "SELECT e.trigger_text, e.trigger_start, e.trigger_end, e.sentence_field, "
                     "t.text, t.title FROM events e JOIN texts t USING (doc_id)")
    for trig, s, e, field, text, title in rows:
        assert (title if field == "title" else text)[s:e] == trig


# --------------------------------------------------------------------------- kill -9
def test_kill_9_then_resume_gives_the_events_of_a_clean_run(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    varied_corpus(corpus, 900)
    clean, killed = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    args = ["ingest", str(corpus), "--batch-size", "40", "-j", "2"]

    proc = subprocess.Popen(RAQIB + args + ["--db", str(killed)], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, start_new_session=True)
    committed = 0
    deadline = time.monotonic() + 240
    try:
        for line in proc.stderr:
            if "committed" in line:
                committed += 1
                if committed >= 3:
                    break
            assert time.monotonic() < deadline, "ingest did not commit batches in time"
    finally:
        # SIGKILL the ingest process and its workers (its own process group)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert committed >= 3, "the run ended before it could be killed"
    assert proc.returncode == -signal.SIGKILL
    (partial,), = table(killed, "SELECT count(*) FROM documents")
    assert 0 < partial < 900, "kill -9 should leave whole batches only"
    assert partial % 40 == 0  # whole batches (no exact duplicates in the first batches)
    (status,), = table(killed, "SELECT status FROM runs")
    assert status == "running"  # the killed run never finished

    r = run(args + ["--db", str(killed), "--json", "-q"])
    assert r.returncode == 0, r.stderr
    resumed = json.loads(r.stdout)
    assert balanced(resumed) and resumed["read"] == 900
    assert resumed["duplicate_reasons"].get("same document already stored", 0) >= partial

    r = run(args + ["--db", str(clean), "--json", "-q"])
    assert r.returncode == 0, r.stderr
    fresh = json.loads(r.stdout)
    assert balanced(fresh)
    assert fresh["near_duplicate"] > 0  # the variations are found as near-duplicates

    assert event_rows(killed) == event_rows(clean)
    assert len(event_rows(clean)) == fresh["events"] > 0
    drop = ("seq",)
    assert stable_rows(killed, "documents", drop) == stable_rows(clean, "documents", drop)
    assert stable_rows(killed, "clusters", ("first_added",)) == \
        stable_rows(clean, "clusters", ("first_added",))
    assert stable_rows(killed, "cluster_events") == stable_rows(clean, "cluster_events")


# --------------------------------------------------------------------------- duplicates
ARTICLE = (
    "موسكو، 14 أيار/مايو - بحث الرئيس الروسي فلاديمير بوتين مع رئيس الوزراء الأرميني نيكول "
    "باشينيان في اتصال هاتفي اليوم الجمعة الوضع في قره باغ، وأكد الجانبان ضرورة الالتزام "
    "بوقف إطلاق النار ومواصلة الحوار بين الأطراف المعنية. وقال الكرملين في بيان إن الرئيسين "
    "ناقشا أيضا قضايا التعاون الاقتصادي بين البلدين ومشاريع النقل والطاقة، واتفقا على مواصلة "
    "الاتصالات على مختلف المستويات خلال الأسابيع المقبلة. وأضاف البيان أن الجانبين أعربا عن "
    "ارتياحهما لمستوى العلاقات الثنائية وتطورها في مختلف المجالات.")


def _doc(i, text, source, **meta):
    return Document(id=i, text=text, date="2021-05-14", source=f"test:{i}",
                    meta={"source": source, **meta})


def test_exact_and_near_duplicates_are_linked_and_not_independent(tmp_path):
    db = str(tmp_path / "d.duckdb")
    edited = ARTICLE.replace("الأسابيع المقبلة", "الأيام المقبلة").replace(
        "مختلف المجالات", "شتى المجالات")
    assert dedup.jaccard(dedup.words("", ARTICLE), dedup.words("", edited)) > 0.7
    docs = [
        _doc("orig", ARTICLE, "skynews", url="https://a.example/1"),
        _doc("copy", "  " + ARTICLE.replace(" ", "  ") + "\n", "bbc"),  # same normalized text
        _doc("edit", edited, "france24", url="https://b.example/2"),
        _doc("again", "نص آخر تماما عن موضوع مختلف " * 3, "cnn", url="https://a.example/1"),
    ]
    acc = ingest_items(docs, db)
    assert acc.balanced()
    assert (acc.coded, acc.near_duplicate, acc.duplicate) == (1, 1, 2)
    assert acc.duplicate_reasons == {"same text as an earlier document": 1,
                                     "same URL as an earlier document": 1}
    rows = {r[0]: r[1:] for r in table(db, "SELECT doc_id, status, duplicate_of, "
                                           "near_duplicate_of FROM documents")}
    assert rows["copy"] == ("duplicate", "orig", None)
    assert rows["again"] == ("duplicate", "orig", None)
    assert rows["edit"] == ("near_duplicate", None, "orig")
    (dep,), = table(db, "SELECT count(*) FROM events WHERE doc_id = 'edit' AND independent")
    assert dep == 0
    (n_orig,), = table(db, "SELECT count(*) FROM events WHERE doc_id = 'orig'")
    if n_orig:  # the coder's output may change; the invariants may not
        for n_m, n_i, n_a, n_d, n_s, n_sa in table(
                db, "SELECT n_mentions, n_independent_mentions, n_articles, n_documents, "
                    "n_sources, n_sources_all FROM clusters"):
            assert n_a == 1 and n_s == 1  # one story, one independent source
            assert n_i <= n_m and n_d <= 2 and n_sa <= 2
    # ingesting the edited version again (new id) is still a near-duplicate of the original
    acc = ingest_items([_doc("edit2", edited + " ", "alarabia")], db)
    assert acc.near_duplicate == 1 or acc.duplicate == 1


def test_signature_estimates_jaccard_and_is_stable_across_processes():
    a = dedup.words("", ARTICLE * 2)
    b = dedup.words("", ARTICLE.replace("الكرملين", "الرئاسة الروسية") * 2)
    sa, sb = dedup.signature(a), dedup.signature(b)
    assert abs(dedup.similarity(sa, sb) - dedup.jaccard(a, b)) < 0.15
    assert dedup.signature(a[:10]) is None  # too short to be a near-duplicate candidate
    code = ("from raqib.corpus import dedup; import sys; "
            "print(dedup.band_keys(dedup.signature(dedup.words('', sys.argv[1]))))")
    out = subprocess.run([sys.executable, "-c", code, ARTICLE * 2], capture_output=True,
                         text=True, env={**os.environ, "PYTHONHASHSEED": "123"}, check=True)
    assert out.stdout.strip() == str(dedup.band_keys(sa))


def test_derived_ids_that_clash_get_a_suffix(tmp_path):
    for sub, text in (("a", ARTICLE), ("b", ARTICLE + " وانتهى الاتصال."), ("c", ARTICLE)):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "index.txt").write_text(text, encoding="utf-8")
    db = str(tmp_path / "x.duckdb")
    acc = ingest_paths([str(tmp_path / d) for d in "abc"], db)
    assert acc.read == 3 and acc.duplicate == 1 and acc.coded + acc.near_duplicate == 2
    ids = sorted(r[0] for r in table(db, "SELECT doc_id FROM documents WHERE status <> "
                                         "'duplicate'"))
    assert ids[0] == "index" and ids[1].startswith("index#")


# --------------------------------------------------------------------------- bad input
def test_bad_inputs_are_quarantined_and_the_rest_ingested(tmp_path):
    good = demo_docs()[:3]
    lines = [json.dumps(d, ensure_ascii=False) for d in good]
    # a lone surrogate escape is valid JSON but not valid UTF-8 text: it must not break
    # the batch
    lone = json.dumps({"id": "lone", "text": ARTICLE[:60] + "\ud800" + ARTICLE[60:]})
    (tmp_path / "mixed.jsonl").write_text(
        lines[0] + "\n{broken json\n" + lines[1] + "\n" + json.dumps({"id": "nt"}) + "\n"
        + lone + "\n", encoding="utf-8")
    blob = gzip.compress((lines[2] + "\n" + lines[2].replace(good[2]["id"], "z") + "\n"
                          ).encode("utf-8"))
    (tmp_path / "cut.jsonl.gz").write_bytes(blob[: len(blob) // 3])
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\x03" * 200)
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.txt")
    (tmp_path / "empty").mkdir()
    extra = []
    if os.geteuid() != 0:  # permissions do not bind root
        (tmp_path / "secret.txt").write_text(ARTICLE, encoding="utf-8")
        (tmp_path / "secret.txt").chmod(0)
        extra.append(str(tmp_path / "secret.txt"))
    db = tmp_path / "q.duckdb"
    r = run(["ingest", str(tmp_path / "mixed.jsonl"), str(tmp_path / "cut.jsonl.gz"),
             str(tmp_path / "bin.txt"), str(tmp_path / "dangling.txt"), str(tmp_path / "empty"),
             str(tmp_path / "missing.jsonl"), *extra, "--db", str(db), "--json"])
    assert r.returncode == 0, r.stderr
    acc = json.loads(r.stdout)
    assert balanced(acc)
    assert acc["coded"] + acc["near_duplicate"] == 3
    assert acc["skipped"] >= 6 + len(extra)
    if extra:
        assert any("permission denied" in x[0] for x in table(db, "SELECT reason FROM "
                                                                  "quarantine"))
    reasons = [x[0] for x in table(db, "SELECT reason FROM quarantine")]
    joined = "\n".join(reasons)
    for expected in ("not valid JSON", "no 'text' field", "truncated or corrupt gzip",
                     "binary data", "no such file", "directory has no"):
        assert expected in joined, (expected, reasons)
    assert len(reasons) == acc["skipped"] + acc["failed"]
    # nothing codable at all: non-zero exit, still accounted for
    r = run(["ingest", str(tmp_path / "bin.txt"), "--db", str(db), "--json"])
    assert r.returncode == 1 and json.loads(r.stdout)["skipped"] == 1


def test_a_100_mb_article_is_truncated_with_a_reason_and_finishes(tmp_path):
    words = ("قال المتحدث باسم الحكومة إن وزير الخارجية التقى نظيره الروسي في موسكو "
             "لبحث العلاقات الثنائية وتطورات المنطقة ").split()
    chunk = " ".join(words) + " "
    big = chunk * (100 * 1024 * 1024 // len(chunk.encode("utf-8")) + 1)  # no full stops
    p = tmp_path / "big.jsonl"
    with open(p, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "big", "date": "2020-01-01", "text": big},
                            ensure_ascii=False) + "\n")
        fh.write(json.dumps({"id": "small", "date": "2020-01-01", "text": ARTICLE},
                            ensure_ascii=False) + "\n")
    assert p.stat().st_size > 100 * 1024 * 1024
    del big
    db = tmp_path / "big.duckdb"
    t0 = time.monotonic()
    code = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], "
            "capture_output=True, text=True); sys.stderr.write(r.stderr); "
            "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
            "sys.stdout.write(r.stdout)")
    r = subprocess.run([sys.executable, "-c", code, *RAQIB, "ingest", str(p), "--db", str(db),
                        "--json", "-q"], capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - t0
    first, rest = r.stdout.split("\n", 1)
    rc, maxrss_kb = map(int, first.split())
    assert rc == 0, r.stderr
    acc = json.loads(rest)
    assert acc["coded"] == 2 and acc["truncated"] == 1 and balanced(acc)
    assert "truncated" in r.stderr
    assert elapsed < 180
    assert maxrss_kb < 2 * 1024 * 1024, f"peak RSS {maxrss_kb} kB"
    (full, n_chars), = table(db, "SELECT truncated_from, n_chars FROM documents "
                                 "WHERE doc_id = 'big'")
    assert full > 50_000_000 and n_chars <= 1_000_000
    (reason,), = table(db, "SELECT reason FROM quarantine WHERE kind = 'truncated'")
    assert "size limit" in reason


# --------------------------------------------------------------------------- the database
def test_locked_database_is_refused_cleanly(tmp_path):
    db = tmp_path / "locked.duckdb"
    holder = duckdb.connect(str(db))
    holder.execute("CREATE TABLE other (x INTEGER)")
    try:
        r = run(["ingest", str(demo_corpus_path()), "--db", str(db)])
    finally:
        holder.close()
    assert r.returncode == 2
    assert "in use by another process" in r.stderr
    assert "Traceback" not in r.stderr
    tables = {x[0] for x in table(db, "SELECT table_name FROM information_schema.tables")}
    assert tables == {"other"}  # nothing half-written


def test_unwritable_database_paths_are_refused_cleanly(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    r = run(["ingest", str(demo_corpus_path()), "--db", str(afile / "db.duckdb")])
    assert r.returncode == 2 and "cannot create the database" in r.stderr
    assert "Traceback" not in r.stderr
    r = run(["ingest", str(demo_corpus_path()), "--db", str(afile)])
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert afile.read_text() == "x"
    if os.geteuid() != 0:  # permissions do not bind root
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        try:
            r = run(["ingest", str(demo_corpus_path()), "--db", str(ro / "db.duckdb")])
            assert r.returncode == 2 and "permission denied" in r.stderr
            assert not (ro / "db.duckdb").exists()
        finally:
            ro.chmod(0o755)
    else:  # a database opened read-only by the store API cannot be written either
        from raqib.store import StoreError, open_store

        with pytest.raises(StoreError, match="no database"):
            open_store(str(tmp_path / "absent.duckdb"), read_only=True)


def test_a_database_of_the_old_schema_is_refused(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE documents (doc_id VARCHAR PRIMARY KEY, source VARCHAR)")
    con.close()
    r = run(["ingest", str(demo_corpus_path()), "--db", str(db)])
    assert r.returncode == 2 and "older raqib schema" in r.stderr

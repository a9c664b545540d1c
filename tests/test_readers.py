"""Reading inputs: every input yields a Document or a Skip with a reason; nothing raises."""

import gzip
import io
import json

from raqib.io.readers import iter_inputs
from raqib.model import Document, Skip

ARTICLE = "القاهرة - استقبل الرئيس المصري اليوم وزير الخارجية الأردني في قصر الاتحادية."


def _items(paths, stdin=None):
    return list(iter_inputs([str(p) for p in paths], stdin=stdin))


def test_jsonl_with_bad_lines(tmp_path):
    p = tmp_path / "docs.jsonl"
    p.write_bytes(
        json.dumps({"id": "a", "text": ARTICLE, "date": "2021-05-14"}, ensure_ascii=False).encode()
        + b"\n{not json\n"
        + json.dumps({"id": "b", "title": "x"}).encode() + b"\n"
        + b"\n"
        + json.dumps([1, 2]).encode() + b"\n"
        + b'{"id": "c", "text": "\xff\xfe broken"}\n'
        + json.dumps({"text": "بدون معرف", "pub_date": "2020-01-02"}, ensure_ascii=False).encode())
    items = _items([p])
    docs = [x for x in items if isinstance(x, Document)]
    skips = [x for x in items if isinstance(x, Skip)]
    assert [d.id for d in docs] == ["a", "docs-7"]
    assert docs[0].date == "2021-05-14" and docs[1].date == "2020-01-02"
    reasons = {s.source.rsplit(":", 1)[1]: s.reason for s in skips}
    assert reasons["2"].startswith("not valid JSON")
    assert reasons["3"] == "no 'text' field"
    assert reasons["5"].startswith("not a JSON object")
    assert reasons["6"].startswith("invalid UTF-8")


def test_text_html_gzip_directory_and_missing(tmp_path):
    (tmp_path / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "page.html").write_text(
        "<html><head><title>عنوان</title></head><body><nav>القائمة</nav><article><p>"
        + ARTICLE + "</p><p>" + ARTICLE + "</p></article></body></html>", encoding="utf-8")
    with gzip.open(tmp_path / "more.jsonl.gz", "wb") as fh:
        fh.write(json.dumps({"id": "gz", "text": ARTICLE}, ensure_ascii=False).encode() + b"\n")
    (tmp_path / "cp.txt").write_bytes(ARTICLE.encode("cp1256"))
    items = _items([tmp_path, tmp_path / "nope.jsonl"])
    by_source = {x.source.rsplit("/", 1)[-1]: x for x in items}
    assert isinstance(by_source["one.txt"], Document)
    assert by_source["one.txt"].text == ARTICLE
    assert isinstance(by_source["empty.txt"], Skip) and "empty" in by_source["empty.txt"].reason
    assert isinstance(by_source["blob.txt"], Skip) and "binary" in by_source["blob.txt"].reason
    assert isinstance(by_source["page.html"], Document)
    assert "استقبل" in by_source["page.html"].text
    assert "more.jsonl.gz:1" in by_source and by_source["more.jsonl.gz:1"].id == "gz"
    assert by_source["cp.txt"].text == ARTICLE
    assert isinstance(by_source["nope.jsonl"], Skip)
    assert by_source["nope.jsonl"].reason == "no such file or directory"


def test_truncated_gzip_keeps_what_it_can(tmp_path):
    lines = b"".join(json.dumps({"id": f"d{i}", "text": ARTICLE}, ensure_ascii=False).encode()
                     + b"\n" for i in range(200))
    data = gzip.compress(lines)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = _items([tmp_path / "cut.jsonl.gz"])
    docs = [x for x in items if isinstance(x, Document)]
    assert docs and isinstance(items[-1], Skip) and "gzip" in items[-1].reason


def test_stdin_text_and_jsonl():
    items = _items(["-"], stdin=io.BytesIO(ARTICLE.encode()))
    assert isinstance(items[0], Document) and items[0].text == ARTICLE
    jl = (json.dumps({"id": "s1", "text": ARTICLE}, ensure_ascii=False) + "\n").encode()
    items = list(iter_inputs(["-"], stdin=io.BytesIO(jl)))
    assert items[0].id == "s1"

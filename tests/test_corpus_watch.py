"""raqib watch: polling a feed served on 127.0.0.1 by the test itself, and a directory."""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import duckdb
import pytest

from raqib.corpus.watch import (Watcher, WatchError, item_document, parse_every,
                                parse_feed)

RAQIB = [sys.executable, "-m", "raqib.cli"]

ITEM1 = ("أنقرة - استقبل الرئيس التركي رجب طيب أردوغان اليوم الثلاثاء وزير الخارجية الروسي "
         "سيرغي لافروف في المجمع الرئاسي، وبحث الجانبان تطورات الأوضاع في سوريا والتعاون "
         "الاقتصادي بين البلدين ومشاريع الطاقة المشتركة، وأكدا أهمية مواصلة التنسيق.")
ITEM2 = ("القاهرة - التقى وزير الخارجية المصري سامح شكري اليوم نظيره الأردني أيمن الصفدي في "
         "العاصمة المصرية، وبحث الوزيران العلاقات الثنائية والأوضاع الإقليمية وسبل دعم "
         "الاستقرار في المنطقة، واتفقا على مواصلة التشاور بين البلدين في المرحلة المقبلة.")
ITEM3 = ("الدوحة - أجرى أمير قطر الشيخ تميم بن حمد آل ثاني اتصالا هاتفيا اليوم مع الرئيس "
         "الفرنسي إيمانويل ماكرون، بحثا خلاله العلاقات الثنائية وتطورات الأوضاع في المنطقة "
         "والجهود المبذولة لخفض التصعيد، وأكد الجانبان أهمية الحلول الدبلوماسية للأزمات.")


class Site:
    """A tiny news site: an RSS feed and article pages; the test changes it between polls."""

    def __init__(self):
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                site.hits.append(self.path)
                ctype, body = site.pages.get(self.path, ("text/plain", None))
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def article(self, path, title, text):
        html = (f"<html><head><title>{escape(title)}</title></head><body><nav>الرئيسية | "
                f"سياسة | اقتصاد</nav><article><h1>{escape(title)}</h1><p>{escape(text)}</p>"
                f"</article><footer>جميع الحقوق محفوظة</footer></body></html>")
        self.pages[path] = ("text/html; charset=utf-8", html.encode("utf-8"))

    def feed(self, items):
        parts = []
        for guid, title, date, content, summary, link in items:
            parts.append(
                f"<item><title>{escape(title)}</title><link>{self.base}{link}</link>"
                f"<guid isPermaLink=\"false\">{guid}</guid><pubDate>{date}</pubDate>"
                + (f"<content:encoded><![CDATA[<p>{content}</p>]]></content:encoded>"
                   if content else "")
                + f"<description>{escape(summary)}</description></item>")
        xml = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
               'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
               f"<title>test news</title><link>{self.base}/</link>{''.join(parts)}"
               "</channel></rss>")
        self.pages["/feed.xml"] = ("application/rss+xml", xml.encode("utf-8"))


@pytest.fixture()
def site():
    s = Site()
    yield s
    s.close()


ITEMS = [
    # full content in the feed
    ("n-1", "أردوغان يستقبل لافروف", "Tue, 02 Mar 2021 10:00:00 +0000", ITEM1, "ملخص",
     "/news/1"),
    # only a summary: the page is fetched
    ("n-2", "شكري يلتقي الصفدي", "Tue, 02 Mar 2021 12:00:00 GMT", "", "لقاء مصري أردني",
     "/news/2"),
]


def test_watch_feed_two_polls_second_adds_one_item(site, tmp_path):
    site.article("/news/2", "شكري يلتقي الصفدي", ITEM2)
    site.article("/news/3", "أمير قطر وماكرون", ITEM3)
    site.feed(ITEMS)
    db = tmp_path / "w.duckdb"
    proc = subprocess.Popen(RAQIB + ["watch", f"{site.base}/feed.xml", "--db", str(db),
                                     "--every", "2s", "--max-cycles", "2", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = json.loads(proc.stdout.readline())
        # between the polls, the site publishes one more item (summary only)
        site.feed(ITEMS + [("n-3", "أمير قطر وماكرون", "Wed, 03 Mar 2021 09:00:00 GMT", "",
                            "اتصال هاتفي", "/news/3")])
        second = json.loads(proc.stdout.readline())
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = proc.stderr.read()
    assert proc.returncode == 0, stderr
    assert first["poll"] == 1 and first["read"] == 2 and first["coded"] == 2
    assert second["poll"] == 2 and second["read"] == 1 and second["coded"] == 1
    assert second["duplicate"] == 0  # only the new item was taken
    assert site.hits.count("/news/1") == 0  # its content was in the feed
    assert site.hits.count("/news/2") == 1 and site.hits.count("/news/3") == 1
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = {r[0]: r[1:] for r in con.execute(
            "SELECT d.doc_id, d.url, d.source, d.pub_date, t.text FROM documents d "
            "JOIN texts t USING (doc_id)").fetchall()}
        assert set(docs) == {"n-1", "n-2", "n-3"}
        assert docs["n-2"][0] == f"{site.base}/news/2"
        assert docs["n-2"][1] == "127.0.0.1:" + site.base.rsplit(":", 1)[1]
        assert docs["n-1"][2] == "2021-03-02" and docs["n-3"][2] == "2021-03-03"
        assert ITEM2[:40] in docs["n-2"][3] and "جميع الحقوق" not in docs["n-2"][3]
        assert ITEM1[:40] in docs["n-1"][3]
        (seen,), = con.execute("SELECT count(*) FROM watch_seen WHERE status = 'read'"
                               ).fetchone(),
        assert seen == 3
        (runs,), = con.execute("SELECT count(*) FROM runs WHERE command = 'watch'"
                               ).fetchone(),
        assert runs == 2
    finally:
        con.close()
    # a restarted watcher takes nothing again
    r = subprocess.run(RAQIB + ["watch", f"{site.base}/feed.xml", "--db", str(db), "--once",
                                "--json"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["read"] == 0


def test_watch_directory_takes_new_files_only(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text(ITEM1, encoding="utf-8")
    w = Watcher([str(inbox)], str(tmp_path / "d.duckdb"))
    c1 = w.poll()
    assert (c1.new_items, c1.account.read, c1.account.coded) == (1, 1, 1)
    (inbox / "b.jsonl").write_text(json.dumps({"id": "b", "text": ITEM2}, ensure_ascii=False)
                                   + "\n", encoding="utf-8")
    c2 = w.poll()
    assert (c2.new_items, c2.account.read, c2.account.coded) == (1, 1, 1)
    # a JSONL file that grows is read again: only its new line is coded
    with open(inbox / "b.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "c", "text": ITEM3}, ensure_ascii=False) + "\n")
    c3 = w.poll()
    assert (c3.account.read, c3.account.coded, c3.account.duplicate) == (2, 1, 1)
    c4 = w.poll()
    assert c4.new_items == 0 and c4.account.read == 0
    sleeps = []
    w2 = Watcher([str(inbox)], str(tmp_path / "d.duckdb"))
    done = w2.run(5.0, max_cycles=2, sleep=sleeps.append)
    assert len(done) == 2 and sleeps == [5.0]


def test_unreachable_feed_is_reported_and_quarantined(tmp_path, site):
    db = str(tmp_path / "u.duckdb")
    w = Watcher([f"{site.base}/missing.xml"], db)
    c = w.poll()
    assert c.problems and "cannot read the feed" in c.problems[0]
    assert c.account.skipped == 1
    con = duckdb.connect(db, read_only=True)
    (reason,), = con.execute("SELECT reason FROM quarantine").fetchone(),
    con.close()
    assert "404" in reason


def test_item_page_failure_is_retried_then_given_up(tmp_path, site):
    site.feed([("x-1", "عنوان", "Tue, 02 Mar 2021 10:00:00 GMT", "", "ملخص", "/gone")])
    db = str(tmp_path / "r.duckdb")
    w = Watcher([f"{site.base}/feed.xml"], db)
    for _ in range(3):
        c = w.poll()
        assert c.account.skipped == 1
    c = w.poll()
    assert c.account.read == 0  # given up after three attempts
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT status, attempts FROM watch_seen").fetchall() == [("gave up", 3)]
    con.close()


def test_parse_atom_and_rss_and_durations():
    atom = """<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>خبر</title><id>urn:x:1</id><updated>2021-05-14T10:00:00Z</updated>
        <link rel="alternate" href="/a/1"/><summary>ملخص قصير</summary></entry>
      <entry><title>آخر</title><link href="https://h.example/a/2"/>
        <content type="html">&lt;p&gt;نص كامل&lt;/p&gt;</content></entry>
    </feed>""".encode("utf-8")
    items = parse_feed(atom, "https://h.example/feed")
    assert [i.key for i in items] == ["urn:x:1", "https://h.example/a/2"]
    assert items[0].link == "https://h.example/a/1" and items[0].date == "2021-05-14"
    assert "نص كامل" in items[1].content
    with pytest.raises(WatchError):
        parse_feed(b"<html><body>no feed</body></html>")
    with pytest.raises(WatchError):
        parse_feed(b"not xml at all")
    assert parse_every("5m") == 300 and parse_every("30s") == 30 and parse_every("1h") == 3600
    assert parse_every("90") == 90
    with pytest.raises(WatchError):
        parse_every("soon")
    # no link and a summary only: the summary is the text
    from raqib.corpus.watch import FeedItem

    doc = item_document("https://h.example/feed",
                        FeedItem("k", "k", "", "t", None, "", "نص الملخص"))
    assert doc.text == "نص الملخص" and doc.meta["text_from"] == "feed summary"


def test_watch_rejects_bad_sources(tmp_path):
    r = subprocess.run(RAQIB + ["watch", str(tmp_path / "nope"), "--db",
                                str(tmp_path / "x.duckdb"), "--once"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "not a directory" in r.stderr
    r = subprocess.run(RAQIB + ["watch", str(tmp_path), "--every", "often", "--once"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "--every" in r.stderr

"""The knowledge base: validation, dated roles, metonyms, agents, places, overlay."""

import subprocess
import sys
import time

import pytest

from raqib.kb.base import KnowledgeBase, load_kb
from raqib.kb.lookup import lookup


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _actor(found):
    actors = [f for f in found if f["type"] == "actor"]
    assert actors, found
    return actors[0]


def test_kb_check_is_clean():
    r = subprocess.run([sys.executable, "-m", "raqib.cli", "kb", "check"], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "0 problems" in r.stderr


def test_sizes(kb):
    c = kb.counts()
    assert c["states"] >= 190
    assert c["organizations"] >= 40
    assert c["groups"] >= 60
    assert c["person_roles"] >= 1500
    assert c["places"] >= 20000
    assert sum(1 for k, hits in kb.names.items() if any(h.kind == "agent" for h in hits)) >= 200


def test_pashinyan_role_depends_on_date():
    a = _actor(lookup("باشينيان", "2021-05-14"))
    assert (a["country"], a["sector"]) == ("ARM", "GOV")
    assert "Pashinyan" in a["name"]
    a = _actor(lookup("باشينيان", "2017-01-01"))
    assert (a["country"], a["sector"]) == ("ARM", "OPP")


def test_metonyms_and_agents():
    assert _actor(lookup("الكرملين"))["code"] == "RUSGOV"
    assert _actor(lookup("البيت الأبيض"))["code"] == "USAGOV"
    # rule: ministers, the defence minister included, are GOV (CODING_GUIDE: GOV covers
    # ministers; the defence ministry acting militarily is MIL)
    assert _actor(lookup("وزير الدفاع التركي"))["code"] == "TURGOV"
    assert _actor(lookup("الجيش الإسرائيلي"))["code"] == "ISRMIL"
    assert _actor(lookup("رئيس الوزراء الأرميني"))["code"] == "ARMGOV"
    assert _actor(lookup("والشرطة المصرية"))["code"] == "EGYCOP"


def test_karabakh_is_a_place_in_azerbaijan():
    places = [f for f in lookup("قره باغ") if f["type"] == "place"]
    assert places and places[0]["country"] == "AZE"
    assert 39 < places[0]["lat"] < 41 and 45 < places[0]["lon"] < 48


def test_clitics_do_not_eat_names(kb):
    # «بوتين» must not be read as ب + وتين, «باكو» not as ب + اكو
    a = _actor(lookup("بوتين", "2021-05-14"))
    assert a["code"] == "RUSGOV"
    assert _actor(lookup("وباكو"))["country"] == "AZE"
    assert _actor(lookup("وباشينيان", "2021-05-14"))["text"] == "باشينيان"


def test_load_and_lookup_speed(kb):
    t0 = time.perf_counter()
    KnowledgeBase()
    load_s = time.perf_counter() - t0
    assert load_s < 10  # the target (≤ 2 s) is measured by `raqib kb stats`; this guards regressions
    keys = list(kb.names)[:20000]
    t0 = time.perf_counter()
    for k in keys:
        kb.lookup_key(k)
    per = (time.perf_counter() - t0) / len(keys)
    assert per < 50e-6


def test_overlay_adds_entries(tmp_path):
    (tmp_path / "persons").mkdir()
    (tmp_path / "persons" / "mine.tsv").write_text(
        "person_id\tname_en\tnames_ar\tnames_en\tcountry\tsector\trole\tstart\tend\tnote\n"
        "zz_test\tZayd Testawi\tزيد تستاوي|تستاوي\tTestawi\tJOR\tGOV\tforeign minister\t2030\t\t\n",
        encoding="utf-8")
    found = lookup("تستاوي", "2031-01-01", str(tmp_path))
    assert _actor(found)["code"] == "JORGOV"
    assert not [f for f in lookup("تستاوي", "2031-01-01") if f["type"] == "actor"]

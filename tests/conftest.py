"""Shared test helpers. Tests that read ../shared skip cleanly when it is absent."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).parent))

SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "OPP", "PTY", "REB", "UAF", "CVL", "MED",
           "BUS", "EDU", "REL", "REF", "CRM", "HLH", "LAB", "NGO", "IGO", ""}
KEYS = ["doc_id", "event_id", "cameo", "root", "quad_class", "goldstein", "plover", "mode",
        "reciprocal", "source", "target", "date", "date_precision", "date_text", "place",
        "trigger", "sentence", "negated", "modality", "confidence"]


def valid_event(ev: dict, text: str, title: str = "") -> None:
    """Assert that ``ev`` is a FORMAT.md output event whose spans slice the input."""
    assert list(ev)[: len(KEYS)] == KEYS, list(ev)
    assert ev["root"] == ev["cameo"][:2]
    assert ev["quad_class"] in (1, 2, 3, 4)
    assert -10 <= ev["goldstein"] <= 10
    field = title if ev["sentence"].get("field") == "title" else text
    for side in ("source", "target"):
        a = ev[side]
        if a is None:
            continue
        assert a["sector"] in SECTORS
        assert a["code"] == a["country"] + a["sector"]
        s, e = a["span"]
        if (s, e) != (0, 0):
            assert field[s:e] == a["text"], (a, field[s:e])
    s, e = ev["trigger"]["span"]
    assert field[s:e] == ev["trigger"]["text"]
    ss, se = ev["sentence"]["span"]
    assert ss <= s and e <= se
    assert 0 <= ev["confidence"] <= 1

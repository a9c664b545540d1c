"""The scorer against hand-made cases whose answers are worked out by hand."""

import pytest

from raqib.eval.scorer import gold_kind, match_events, score_detection, score_events


def ev(src, tgt, code, recip=False, date=None, place=None, ssec="GOV", tsec="GOV"):
    return {"source": {"country": src, "sector": ssec},
            "target": None if tgt is None else {"country": tgt, "sector": tsec},
            "code": code, "reciprocal": recip, "date": date,
            "place": None if place is None else {"name": "x", "country": place}}


def out(src, tgt, code, **kw):
    e = ev(src, tgt, code, **kw)
    e["cameo"] = e.pop("code")
    e["root"] = e["cameo"][:2]
    return e


def test_detection_counts_by_label():
    gold = [
        {"id": "a", "event_type": "ASSAULT", "label": "yes"},
        {"id": "b", "event_type": "ASSAULT", "label": "yes"},
        {"id": "c", "event_type": "ASSAULT", "label": "easy no"},
        {"id": "d", "event_type": "ASSAULT", "label": "difficult no"},
        {"id": "e", "event_type": "ASSAULT", "label": "ambiguous"},
        {"id": "f", "event_type": "PROTEST", "label": "yes"},
    ]
    pred = {"a": [out("", "SYR", "190")], "b": [out("", "", "141")],
            "d": [out("", "", "183")], "e": [out("", "", "190")], "c": [out("", "", "041")],
            "f": [out("", "", "141")]}
    m = score_detection(gold, pred)
    allneg = m["ASSAULT"]["all_negatives"]
    # a: TP; b: FN (only a protest); d: FP; c: TN; e: ambiguous, left out
    assert (allneg["tp"], allneg["fp"], allneg["fn"]) == (1, 1, 1)
    assert allneg["precision"] == 0.5 and allneg["recall"] == 0.5 and allneg["f1"] == 0.5
    easy = m["ASSAULT"]["easy_negatives"]
    assert (easy["tp"], easy["fp"], easy["fn"]) == (1, 0, 1)
    assert easy["precision"] == 1.0
    assert m["PROTEST"]["all_negatives"]["f1"] == 1.0


def test_events_exact_and_reciprocal_reversal():
    gold = [{"id": "d1", "events": [ev("RUS", "ARM", "041", recip=True, date="2021-05-14"),
                                    ev("ARM", "RUS", "051", date="2021-05-14")]}]
    # predicted: the reciprocal phone call reversed (allowed), and the praise reversed (not)
    pred = {"d1": [out("ARM", "RUS", "041", recip=True, date="2021-05-14"),
                   out("RUS", "ARM", "051", date="2021-05-14")]}
    m = score_events(gold, pred)
    assert m["root"]["tp"] == 2
    assert (m["dyad_root"]["tp"], m["dyad_root"]["fp"], m["dyad_root"]["fn"]) == (1, 1, 1)
    assert m["code3_acc"] == 1.0 and m["date_acc"] == 1.0
    assert m["detect"]["tp"] == 1


def test_reciprocal_marked_by_prediction_only_counts():
    gold = [{"id": "d", "events": [ev("TUR", "RUS", "057")]}]
    pred = {"d": [out("RUS", "TUR", "057", recip=True)]}
    assert score_events(gold, pred)["dyad_root"]["tp"] == 1


def test_full_actor_root_needs_sectors():
    gold = [{"id": "d", "events": [ev("ISR", "PSE", "195", ssec="MIL", tsec="REB")]}]
    pred = {"d": [out("ISR", "PSE", "190", ssec="MIL", tsec="CVL")]}
    m = score_events(gold, pred)
    assert m["dyad_root"]["tp"] == 1
    assert m["full_actor_root"]["tp"] == 0 and m["full_actor_root"]["fn"] == 1
    assert m["code3_acc"] == 0.0  # 195 vs 190


def test_one_to_one_and_null_target():
    gold = [{"id": "d", "events": [ev("", "SYR", "190"), ev("", None, "190")]}]
    pred = {"d": [out("", None, "190"), out("", None, "190"), out("", None, "190")]}
    m = score_events(gold, pred)
    assert m["root"] == {**m["root"], "tp": 2, "fp": 1, "fn": 0}
    assert (m["dyad_root"]["tp"], m["dyad_root"]["fp"], m["dyad_root"]["fn"]) == (1, 2, 1)


def test_date_and_place_accuracy_only_where_gold_has_them():
    gold = [{"id": "d", "events": [ev("USA", "IRN", "112", date=None, place="IRQ"),
                                   ev("USA", "IRQ", "042", date="2020-01-02")]}]
    pred = {"d": [out("USA", "IRN", "112", date="2020-01-01", place="SYR"),
                  out("USA", "IRQ", "042", date="2020-01-03")]}
    m = score_events(gold, pred)
    assert m["date_n"] == 1 and m["date_acc"] == 0.0
    assert m["place_country_n"] == 1 and m["place_country_acc"] == 0.0


def test_empty_gold_document_and_missing_prediction():
    gold = [{"id": "n", "events": []}, {"id": "y", "events": [ev("EGY", "", "141")]}]
    m = score_events(gold, {"n": [out("EGY", None, "141")]})
    assert (m["detect"]["tp"], m["detect"]["fp"], m["detect"]["fn"]) == (0, 1, 1)
    assert m["detect"]["f1"] == 0.0


def test_matching_is_maximum_not_greedy():
    # gold g0 can match p0 or p1 (reciprocal), g1 only p0: a greedy pass taking p0 for g0
    # would leave g1 unmatched; maximum matching finds both.
    g0 = ev("RUS", "TUR", "057", recip=True)
    g1 = ev("TUR", "RUS", "057")
    p0 = out("TUR", "RUS", "057")
    p1 = out("RUS", "TUR", "057")
    from raqib.eval.scorer import _compatible

    pairs = match_events([g0, g1], [p0, p1], lambda g, p: _compatible(g, p, False))
    assert len(pairs) == 2


def test_gold_kind():
    assert gold_kind([{"id": 1, "events": []}]) == "events"
    assert gold_kind([{"id": 1, "event_type": "PROTEST", "label": "yes"}]) == "detection"
    with pytest.raises(ValueError):
        gold_kind([{"id": 1}])

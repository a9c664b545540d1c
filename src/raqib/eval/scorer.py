"""Scoring as ../shared/eval/FORMAT.md defines it.

Two gold kinds:

* detection gold (``arabic_gsr_*.jsonl``): one sentence a row with ``event_type`` and a crowd
  ``label``; a sentence is predicted ASSAULT when any coded event has root 18/19/20 and
  PROTEST when any has root 14. Precision/recall/F1 of ``yes`` against all negatives
  (``ambiguous`` left out) and against ``easy no`` only, per event type.
* event gold (``*.gold.jsonl``): documents with gold events. Micro-averaged over documents:
  ``detect``, ``root`` (multiset), ``dyad_root`` and ``full_actor_root`` (one-to-one matching,
  reciprocal pairs may be reversed), and among ``dyad_root`` matches ``code3_acc``,
  ``date_acc`` and ``place_country_acc``.

The functions here take plain dicts (gold rows and FORMAT.md output records), so they can
be tested with hand-made cases independent of the coder.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

DETECTION_ROOTS = {"ASSAULT": {"18", "19", "20"}, "PROTEST": {"14"}}
NEGATIVE_LABELS_ALL = {"easy no", "difficult no"}
NEGATIVE_LABELS_EASY = {"easy no"}


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": fp, "fn": fn}


def gold_kind(rows: list[dict[str, Any]]) -> str:
    """'detection' when rows carry event_type+label, 'events' when they carry events."""
    if rows and all("label" in r and "event_type" in r for r in rows):
        return "detection"
    if rows and all("events" in r for r in rows):
        return "events"
    raise ValueError("not a FORMAT.md gold file: rows need either 'events' or "
                     "'event_type' and 'label'")


# --------------------------------------------------------------------------- detection

def _root(event: dict[str, Any]) -> str:
    root = event.get("root") or event.get("cameo") or event.get("code") or ""
    return str(root)[:2]


def score_detection(gold: list[dict[str, Any]],
                    predicted: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """``predicted`` maps a row id to the events coded for it."""
    out: dict[str, Any] = {}
    for etype in sorted({r["event_type"] for r in gold}):
        roots = DETECTION_ROOTS.get(etype)
        if roots is None:
            continue
        rows = [r for r in gold if r["event_type"] == etype]
        result: dict[str, Any] = {"rows": len(rows),
                                  "labels": dict(Counter(r["label"] for r in rows))}
        for name, negatives in (("all_negatives", NEGATIVE_LABELS_ALL),
                                ("easy_negatives", NEGATIVE_LABELS_EASY)):
            tp = fp = fn = 0
            for r in rows:
                label = r["label"]
                if label != "yes" and label not in negatives:
                    continue
                hit = any(_root(e) in roots for e in predicted.get(r["id"], []))
                if label == "yes":
                    tp += hit
                    fn += not hit
                else:
                    fp += hit
            result[name] = prf(tp, fp, fn)
        out[etype] = result
    return out


# --------------------------------------------------------------------------- events

def _side(event: dict[str, Any], side: str) -> dict[str, Any]:
    return event.get(side) or {}


def _gold_code(event: dict[str, Any]) -> str:
    return str(event.get("code") or event.get("cameo") or "")


def _dyad(event: dict[str, Any], sectors: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    s, t = _side(event, "source"), _side(event, "target")
    if sectors:
        return ((s.get("country") or "", s.get("sector") or ""),
                (t.get("country") or "", t.get("sector") or ""))
    return (s.get("country") or "",), (t.get("country") or "",)


def _compatible(g: dict[str, Any], p: dict[str, Any], sectors: bool) -> bool:
    if _gold_code(g)[:2] != _gold_code(p)[:2]:
        return False
    gs, gt = _dyad(g, sectors)
    ps, pt = _dyad(p, sectors)
    if (gs, gt) == (ps, pt):
        return True
    reciprocal = bool(g.get("reciprocal")) or bool(p.get("reciprocal"))
    return reciprocal and (gs, gt) == (pt, ps)


def _quality(g: dict[str, Any], p: dict[str, Any]) -> tuple[int, int, int]:
    """Tie-break between candidate matches: prefer same code3, date, place country."""
    gp, pp = g.get("place") or {}, p.get("place") or {}
    return (int(_gold_code(g)[:3] == _gold_code(p)[:3]),
            int(g.get("date") is not None and g.get("date") == p.get("date")),
            int(bool(gp) and gp.get("country") == (pp or {}).get("country")))


def match_events(gold: list[dict[str, Any]], pred: list[dict[str, Any]],
                 compatible: Callable[[dict, dict], bool]) -> list[tuple[int, int]]:
    """Maximum one-to-one matching (augmenting paths), preferring higher-quality pairs."""
    options = []
    for gi, g in enumerate(gold):
        cands = [pi for pi, p in enumerate(pred) if compatible(g, p)]
        cands.sort(key=lambda pi: _quality(g, pred[pi]), reverse=True)
        options.append(cands)
    owner: dict[int, int] = {}  # pred index -> gold index

    def augment(gi: int, seen: set[int]) -> bool:
        for pi in options[gi]:
            if pi in seen:
                continue
            seen.add(pi)
            if pi not in owner or augment(owner[pi], seen):
                owner[pi] = gi
                return True
        return False

    for gi in range(len(gold)):
        augment(gi, set())
    return sorted((gi, pi) for pi, gi in owner.items())


def score_events(gold_docs: list[dict[str, Any]],
                 predicted: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """``predicted`` maps a document id to its output records (FORMAT.md)."""
    det = Counter()
    counts = {k: Counter() for k in ("root", "dyad_root", "full_actor_root")}
    acc = {k: Counter() for k in ("code3_acc", "date_acc", "place_country_acc")}
    n_gold_events = n_pred_events = 0
    for doc in gold_docs:
        gold = list(doc.get("events") or [])
        pred = list(predicted.get(str(doc["id"]), []))
        n_gold_events += len(gold)
        n_pred_events += len(pred)
        g_has, p_has = bool(gold), bool(pred)
        det["tp"] += g_has and p_has
        det["fp"] += p_has and not g_has
        det["fn"] += g_has and not p_has
        g_roots = Counter(_gold_code(e)[:2] for e in gold)
        p_roots = Counter(_gold_code(e)[:2] for e in pred)
        hit = sum((g_roots & p_roots).values())
        counts["root"].update(tp=hit, fp=len(pred) - hit, fn=len(gold) - hit)
        for name, sectors in (("dyad_root", False), ("full_actor_root", True)):
            pairs = match_events(gold, pred, lambda g, p, s=sectors: _compatible(g, p, s))
            counts[name].update(tp=len(pairs), fp=len(pred) - len(pairs),
                                fn=len(gold) - len(pairs))
            if name != "dyad_root":
                continue
            for gi, pi in pairs:
                g, p = gold[gi], pred[pi]
                acc["code3_acc"].update(n=1, ok=_gold_code(g)[:3] == _gold_code(p)[:3])
                if g.get("date") is not None:
                    acc["date_acc"].update(n=1, ok=g.get("date") == p.get("date"))
                gp = g.get("place")
                if gp and gp.get("country"):
                    pp = p.get("place") or {}
                    acc["place_country_acc"].update(n=1, ok=gp.get("country") == pp.get("country"))
    result: dict[str, Any] = {"docs": len(gold_docs), "gold_events": n_gold_events,
                              "predicted_events": n_pred_events,
                              "detect": prf(det["tp"], det["fp"], det["fn"])}
    for name, c in counts.items():
        result[name] = prf(c["tp"], c["fp"], c["fn"])
    for name, c in acc.items():
        result[name] = round(c["ok"] / c["n"], 4) if c["n"] else None
        result[name.replace("_acc", "_n")] = c["n"]
    return result


def summary_line(kind: str, metrics: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """Rows (metric, value) for a human-readable table."""
    if kind == "detection":
        for etype, m in metrics.items():
            for neg in ("all_negatives", "easy_negatives"):
                x = m[neg]
                yield (f"{etype} vs {neg.replace('_', ' ')}",
                       f"P {x['precision']:.3f}  R {x['recall']:.3f}  F1 {x['f1']:.3f}  "
                       f"(tp {x['tp']}, fp {x['fp']}, fn {x['fn']})")
        return
    yield ("documents / gold events / predicted",
           f"{metrics['docs']} / {metrics['gold_events']} / {metrics['predicted_events']}")
    for name in ("detect", "root", "dyad_root", "full_actor_root"):
        x = metrics[name]
        yield (name, f"P {x['precision']:.3f}  R {x['recall']:.3f}  F1 {x['f1']:.3f}  "
                     f"(tp {x['tp']}, fp {x['fp']}, fn {x['fn']})")
    for name in ("code3_acc", "date_acc", "place_country_acc"):
        v = metrics[name]
        n = metrics[name.replace("_acc", "_n")]
        yield (name, "n/a" if v is None else f"{v:.3f}  (of {n})")

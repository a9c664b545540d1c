"""The event filter: a logistic model over the shape of each candidate event's evidence.

The rules propose candidates (trigger, frame, actors, date, place); the filter weighs
features such as "the trigger is a definite noun with no actor, date or place" or "a fear
marker precedes it" and keeps the candidates whose probability reaches the threshold. The
weights are a reviewed data file (``data/models/event_filter.json``) trained by
``scripts/train_filter.py`` on raqib's own gold and the shared development data; applying
them needs no machine-learning library. ``--explain`` shows the strongest features.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache

from raqib.kb.tables import data_dir
from raqib.model import Event

MODEL_FILE = "event_filter.json"


@dataclass
class EventFilter:
    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)
    root_thresholds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "EventFilter | None":
        path = data_dir("models") / MODEL_FILE
        if not path.exists():
            return None
        obj = json.loads(path.read_text(encoding="utf-8"))
        return cls(obj["weights"], obj["bias"], obj["threshold"], obj.get("meta", {}),
                   obj.get("root_thresholds", {}))

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def apply(self, ev: Event) -> bool:
        """Score the event; set its confidence; explain; return whether to keep it."""
        p = self.probability(ev.features)
        contrib = sorted(((self.weights.get(k, 0.0) * v, k) for k, v in ev.features.items()
                          if self.weights.get(k)), reverse=True)
        top = ", ".join(f"{k} {w:+.2f}" for w, k in contrib[:3])
        low = ", ".join(f"{k} {w:+.2f}" for w, k in contrib[-2:] if w < 0)
        t = self.root_thresholds.get(ev.cameo[:2], self.threshold)
        ev.explain.append(f"filter p={p:.2f} (threshold {t:.2f}; for: {top}"
                          + (f"; against: {low}" if low else "") + ")")
        ev.confidence = round(p, 3)
        return p >= t


@lru_cache(maxsize=1)
def load_filter() -> EventFilter | None:
    return EventFilter.load()

"""CAMEO codes (names, Goldstein, QuadClass) and the CAMEO→PLOVER mapping, as data."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

ONTOLOGY_VERSION = "cameo-1.1b3+plover-0.8"


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    root: str
    level: int
    quad_class: int
    goldstein: float
    description: str
    plover: str = ""
    mode: str = ""
    context: str = ""


def _rows(name: str):
    path = resources.files("raqib.data.ontology").joinpath(name)
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


class Ontology:
    def __init__(self) -> None:
        plover = {r["cameo"]: r for r in _rows("plover_map.tsv")}
        self.codes: dict[str, CameoCode] = {}
        for r in _rows("cameo_codes.tsv"):
            p = plover.get(r["code"], {})
            self.codes[r["code"]] = CameoCode(
                code=r["code"], root=r["root"], level=int(r["level"]),
                quad_class=int(r["quad_class"]), goldstein=float(r["goldstein"]),
                description=r["description"], plover=p.get("plover", ""),
                mode=p.get("mode", ""), context=p.get("context", ""))

    def __contains__(self, code: str) -> bool:
        return code in self.codes

    def get(self, code: str) -> CameoCode:
        return self.codes[code]

    def root(self, code: str) -> str:
        return code[:2]


@lru_cache(maxsize=1)
def ontology() -> Ontology:
    return Ontology()

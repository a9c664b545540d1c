"""The event lexicon (trigger expressions → CAMEO codes) and the modality markers, loaded
from ``raqib/data/lexicon``: ``events_<lang>_*.tsv`` and ``markers_<lang>.tsv``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from raqib.kb.names import key_set, name_key, token_keys, token_keys_with_suffix
from raqib.kb.tables import data_dir, files_in, read_table

POS = {"verb", "passive", "noun", "phrase"}
FRAMES = {"dir", "sym", "intr"}
EVENT_COLS = ["code", "pos", "forms", "context", "exclude", "target_preps", "frame", "note"]
GAP = "*"
MAX_GAP = 8
WINDOW = 10
QUANTITY_WORDS = {"الاف", "مئات", "عشرات", "حشود", "ملايين", "الوف", "مليون", "الف", "جموع",
                  "اعداد", "عدد", "مجموعه", "مجموعات"}
# Clitics a finite verb can carry: conjunctions, the future س, the ل of purpose/command.
VERB_PREFIXES = {"", "و", "ف", "س", "وس", "فس", "ل", "ول", "فل"}


def _nominal_prefix(prefix: str) -> bool:
    p = prefix.lstrip("وف")
    return p in ("ب", "ال", "بال", "لل", "ل", "ك", "كال") and p not in ("ل",)


_NOUN_READINGS: dict[int, "LexEntry"] = {}


def _noun_reading(e: "LexEntry") -> "LexEntry":
    n = _NOUN_READINGS.get(id(e))
    if n is None:
        n = _NOUN_READINGS[id(e)] = LexEntry(e.id, e.row, e.code, "noun", e.form, e.key,
                                             e.context, e.exclude, e.target_preps, e.frame,
                                             e.note)
    return n


def _ends_with_ta_marbuta(text: str) -> bool:
    """«وزارة» ends in ة, which normalizes to ه: that ه is no pronoun to strip."""
    t = text.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640")
    return t.endswith("\u0629")


@dataclass(slots=True)
class LexEntry:
    id: str  # file:line
    row: str  # code and first form of the row: a stable name for the entry
    code: str
    pos: str
    form: str
    key: tuple[str, ...]
    context: frozenset[str]
    exclude: frozenset[str]
    target_preps: frozenset[str]
    frame: str
    note: str

    @property
    def n_words(self) -> int:
        return sum(1 for k in self.key if k != GAP)


@dataclass(slots=True)
class TriggerMatch:
    entry: LexEntry
    start: int  # first token
    end: int  # last token + 1
    prefix_chars: int  # normalized chars of clitics on the first token
    context_hit: str = ""
    context_dist: int = 99  # words between the trigger and its context word


def _keys(cell: list[str]) -> frozenset[str]:
    out = set()
    for w in cell:
        out.update(name_key(w))
    return frozenset(out)


class _FirstIndex:
    """Entries sharing a first word, split by their second word so that a sentence word
    only tries the phrases its neighbour can continue."""

    __slots__ = ("open", "by_second")

    def __init__(self) -> None:
        self.open: list[LexEntry] = []  # one word, or a gap after the first word
        self.by_second: dict[str, list[LexEntry]] = {}

    def add(self, e: "LexEntry") -> None:
        if len(e.key) == 1 or e.key[1] == GAP:
            self.open.append(e)
        else:
            self.by_second.setdefault(e.key[1], []).append(e)

    def candidates(self, next_keys: frozenset[str]) -> list["LexEntry"]:
        if not self.by_second:
            return self.open
        out = list(self.open)
        for k in next_keys:
            more = self.by_second.get(k)
            if more:
                out.extend(more)
        return out


@dataclass
class Lexicon:
    lang: str
    entries: list[LexEntry] = field(default_factory=list)
    first: dict[str, _FirstIndex] = field(default_factory=dict)
    markers: dict[str, set[str]] = field(default_factory=dict)  # key -> kinds
    marker_phrases: dict[tuple[str, ...], set[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, lang: str) -> "Lexicon":
        from raqib.kb.ontology import ontology

        onto = ontology()
        lex = cls(lang)
        directory = data_dir("lexicon")
        for path in files_in(directory, f"events_{lang}*.tsv"):
            table = read_table(path, EVENT_COLS)
            lex.problems.extend(table.problems)
            for row in table.rows:
                code = row.get("code")
                if code not in onto:
                    lex.problems.append(f"{row.where}: unknown CAMEO code {code!r}")
                    continue
                pos = row.get("pos")
                frame = row.get("frame") or "dir"
                if pos not in POS or frame not in FRAMES:
                    lex.problems.append(f"{row.where}: bad pos/frame {pos!r}/{frame!r}")
                    continue
                ctx, exc = _keys(row.multi("context")), _keys(row.multi("exclude"))
                row_name = f"{code}:{row.get('pos')}:{(row.multi('forms') or [''])[0]}"
                preps = _keys(row.multi("target_preps")) | frozenset(row.multi("target_preps"))
                for form in row.multi("forms"):
                    key = tuple(GAP if w == GAP else k for w in form.split()
                                for k in (name_key(w) if w != GAP else (GAP,)))
                    if not key or key[0] == GAP:
                        continue
                    e = LexEntry(row.where, row_name, code, pos, form, key, ctx, exc, preps,
                                 frame, row.get("note"))
                    lex.entries.append(e)
                    lex.first.setdefault(key[0], _FirstIndex()).add(e)
        mpath = directory / f"markers_{lang}.tsv"
        if mpath.exists():
            table = read_table(mpath, ["word", "kind"])
            lex.problems.extend(table.problems)
            for row in table.rows:
                key = name_key(row.get("word"))
                if not key:
                    continue
                kind = row.get("kind")
                if len(key) == 1:
                    lex.markers.setdefault(key[0], set()).add(kind)
                else:
                    lex.marker_phrases.setdefault(key, set()).add(kind)
        return lex

    def without(self, actor_words: set[tuple[str, ...]]) -> "Lexicon":
        """A copy without one-word noun triggers that name actors («المتظاهرون» is who
        protests, not a protest): the knowledge base's agent words are actors."""
        out = Lexicon(self.lang, markers=self.markers, marker_phrases=self.marker_phrases,
                      problems=self.problems)
        single = {k[0] for k in actor_words if len(k) == 1}
        for e in self.entries:
            if e.pos == "noun" and len(e.key) == 1 and e.key in actor_words:
                continue
            words = [k for k in e.key if k != GAP]
            if e.pos in ("noun", "phrase") and len(words) > 1 and words[-1] in single and \
                    all(k in QUANTITY_WORDS for k in words[:-1]):
                continue  # «آلاف المتظاهرين»: how many protesters, not a protest
            out.entries.append(e)
            out.first.setdefault(e.key[0], _FirstIndex()).add(e)
        return out

    def known_words(self) -> set[str]:
        words = set()
        for e in self.entries:
            words.update(k for k in e.key if k != GAP)
        return words

    # ------------------------------------------------------------------ matching
    def match(self, keys: list[str], norms: list[str],
              texts: list[str] | None = None) -> list[TriggerMatch]:
        """All trigger matches in a sentence (``keys``: plain key per token, ``norms``:
        normalized token text). Context/exclude are checked here."""
        out: list[TriggerMatch] = []
        # match over word tokens only: punctuation neither breaks a phrase nor counts in
        # gaps and context windows
        idx = [i for i in range(len(keys)) if norms[i]]
        wnorms = [norms[i] for i in idx]
        window_cache: dict[int, set[str]] = {}
        first = self.first
        for w, norm in enumerate(wnorms):
            analyses = token_keys(norm) if texts is not None and _ends_with_ta_marbuta(
                texts[idx[w]]) else token_keys_with_suffix(norm)
            nxt = key_set(wnorms[w + 1]) if w + 1 < len(wnorms) else frozenset()
            for pre, k0 in analyses:
                index = first.get(k0)
                if not index:
                    continue
                entries = index.candidates(nxt)
                if not entries:
                    continue
                verbal_ok = norm[:pre] in VERB_PREFIXES
                for e in entries:
                    if e.pos in ("verb", "passive") and not verbal_ok:
                        if e.pos == "passive" or len(e.key) > 1 or not _nominal_prefix(
                                norm[:pre]):
                            continue
                        # «بخطف تسعة جنود», «القتل»: a past-verb form with ب/ال is the
                        # verbal noun of the same act
                        e = _noun_reading(e)
                    end = _match_rest(e.key, 1, wnorms, w + 1)
                    if end is None:
                        continue
                    hit, dist = "", WINDOW + 1
                    if e.context or e.exclude:
                        win = window_cache.get((w, end))
                        if win is None:
                            win = _window(wnorms, w, end)
                            window_cache[(w, end)] = win
                        if e.exclude and not e.exclude.isdisjoint(win):
                            continue
                        if e.context:
                            common = [(win[k], k) for k in e.context if k in win]
                            if not common:
                                continue
                            dist, hit = min(common)
                    out.append(TriggerMatch(e, idx[w], idx[end - 1] + 1, pre, hit, dist))
        return out

    def marker_kinds(self, keys: list[str], norms: list[str], i: int) -> set[str]:
        kinds = set(self.markers.get(keys[i], ()))
        for _, k in token_keys_with_suffix(norms[i]) if norms[i] else ():
            kinds |= self.markers.get(k, set())
        return kinds


def _match_rest(key: tuple[str, ...], ki: int, norms: list[str], ti: int) -> int | None:
    """Match key[ki:] against word tokens from ti (clitics allowed on every word, so
    «عن امتنانه» matches «عن امتنان»); returns the end token index or None."""
    if ki == len(key):
        return ti
    if key[ki] == GAP:
        for skip in range(0, MAX_GAP + 1):
            end = _match_rest(key, ki + 1, norms, ti + skip)
            if end is not None:
                return end
        return None
    if ti < len(norms) and key[ki] in key_set(norms[ti]):
        return _match_rest(key, ki + 1, norms, ti + 1)
    return None


def _window(norms: list[str], start: int, end: int) -> dict[str, int]:
    """Keys of the words within WINDOW words of [start, end) (word-token indices), with
    their distance in words from the trigger."""
    lo, hi = max(0, start - WINDOW), min(len(norms), end + WINDOW)
    win: dict[str, int] = {}
    for j in range(lo, hi):
        if start <= j < end:
            continue
        d = start - j if j < start else j - end + 1
        for k in key_set(norms[j]):
            if d < win.get(k, WINDOW + 1):
                win[k] = d
    return win


@lru_cache(maxsize=4)
def load_lexicon(lang: str) -> Lexicon:
    return Lexicon.load(lang)

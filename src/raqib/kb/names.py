"""Keys for matching names against text, clitic-aware, and a token trie over them.

A name («الرئيس الروسي», «باشينيان») and a text token («وباشينيان») meet on *keys*:
normalized words with the article ال removed. A text token offers several candidate keys
(itself, and itself with proclitics و ف ب ل ك س and ال combinations removed); a match is
accepted only where the key is known, so «بوتين» is never read as ب + وتين unless «وتين»
were a name and «بوتين» were not.
"""

from __future__ import annotations

from functools import lru_cache


# Proclitic sequences, longest first. "لل" is ل + ال (للرئيس).
PROCLITICS = (
    "وبال", "فبال", "وكال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل",
    "وب", "ول", "وك", "فب", "فل", "فك", "وس", "فس", "و", "ف", "ب", "ل", "ك", "س",
)
# Object/possessive pronouns stripped when matching event words (استقبله → استقبل). Not
# ي or ك: in news they are far more often nisba endings (الاجتماعي) or part of the stem.
ENCLITICS = ("كما", "هما", "هم", "هن", "ها", "كم", "نا", "ني", "ه")


def strip_al(word: str) -> str:
    if word.startswith("ال") and len(word) >= 4:
        return word[2:]
    return word


@lru_cache(maxsize=100_000)
def name_key(text: str) -> tuple[str, ...]:
    """The key of a name as written in a data file: its tokens as the text layer makes
    them, normalized, without ال (punctuation inside a name, as in «U.S.», is kept)."""
    from raqib.text.segment import tokenize

    out = []
    for t in tokenize(text, 0, len(text)):
        if t.kind in ("word", "latin", "num"):
            out.append(strip_al(t.norm))
        elif t.text not in ("-", "‐", "–", "_"):
            out.append(t.text)
    return tuple(out)


@lru_cache(maxsize=200_000)
def token_keys(norm: str) -> tuple[tuple[int, str], ...]:
    """Candidate (chars stripped in front, key) analyses of a normalized token, best first."""
    out: list[tuple[int, str]] = [(0, strip_al(norm))]
    seen = {out[0][1]}
    if norm.endswith(("'s", "’s")) and len(norm) > 3:  # English possessive: Iran's
        out.append((0, norm[:-2]))
        return tuple(out)
    for p in PROCLITICS:
        if norm.startswith(p):
            rest = norm[len(p):]
            if len(rest) < 2:
                continue
            key = rest if p.endswith("ال") or p.endswith("لل") else strip_al(rest)
            if key not in seen and len(key) >= 2:
                seen.add(key)
                out.append((len(p), key))
    return tuple(out)


@lru_cache(maxsize=200_000)
def token_keys_with_suffix(norm: str) -> tuple[tuple[int, str], ...]:
    """As token_keys, plus analyses with an enclitic pronoun removed (استقبله → استقبل)."""
    base = token_keys(norm)
    out = list(base)
    seen = {k for _, k in base}
    for pre, key in base:
        for s in ENCLITICS:
            if key.endswith(s) and len(key) - len(s) >= 3:
                stem = key[: -len(s)]
                # «زيارته» → زيارت → زياره: a pronoun turns ة into ت
                stems = (stem, stem[:-1] + "ه") if stem.endswith("ت") and len(stem) >= 4 \
                    else (stem,)
                for st in stems:
                    if st not in seen:
                        seen.add(st)
                        out.append((pre, st))
    return tuple(out)


class KeyTrie:
    """Multi-word keys → payloads; match from a token position, longest match first."""

    __slots__ = ("first", "max_len")

    def __init__(self) -> None:
        self.first: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        self.max_len = 1

    def add(self, key: tuple[str, ...], payload: object) -> None:
        if not key:
            return
        self.first.setdefault(key[0], []).append((key[1:], payload))
        self.max_len = max(self.max_len, len(key))

    def __contains__(self, word: str) -> bool:
        return word in self.first

    def match_at(self, cand_keys: list[tuple[tuple[int, str], ...]], plain: list[str],
                 i: int) -> tuple[int, int, list[object]] | None:
        """Longest match starting at token i.

        ``cand_keys[i]`` are token i's candidate analyses; ``plain[j]`` the key of token j
        (no clitics) used for the following words. Returns (n_tokens, prefix_chars,
        payloads) or None.
        """
        best: tuple[int, int, list[object]] | None = None
        n = len(plain)
        for pre, k0 in cand_keys[i]:
            entries = self.first.get(k0)
            if not entries:
                continue
            for rest, payload in entries:
                m = len(rest)
                if m and (i + 1 + m > n or tuple(plain[i + 1:i + 1 + m]) != rest):
                    continue
                length = m + 1
                if best is None or length > best[0] or (length == best[0] and pre < best[1]):
                    best = (length, pre, [payload])
                elif length == best[0] and pre == best[1]:
                    best[2].append(payload)
        return best


@lru_cache(maxsize=200_000)
def key_set(norm: str) -> frozenset[str]:
    """All candidate keys of a token (clitics and pronoun suffixes removed), as a set."""
    return frozenset(k for _, k in token_keys_with_suffix(norm))

"""Document identity and near-duplicate detection (standard library only).

*Exact duplicates* share a :func:`content_hash`: SHA-256 of the title and the text after
Arabic/Latin normalization (:func:`raqib.text.normalize.normalize`: diacritics, tatweel,
hamza seats, alef forms, digits, case) and whitespace collapsing. So the same article saved
twice, re-encoded, or with different line breaks is one document.

*Near-duplicates* (the same agency story republished with small edits) are found with
MinHash + LSH over word 3-gram shingles of the normalized text. The signature uses
one-permutation hashing: every shingle is hashed once (64 bits, from the BLAKE2b hashes of
its words); the low bits pick one of :data:`K` bins, the rest is the value, and each bin
keeps its minimum (K is a power of two). Empty bins borrow from the next filled bin to the
right (rotation densification), so the fraction of equal bins of two signatures estimates
the Jaccard similarity of their shingle sets. The cost is a few integer operations per
word, not ``K`` hashes per word.

LSH: the ``K`` bins are cut into :data:`BANDS` bands of :data:`ROWS` bins; two documents
become candidates when one whole band is equal (probability ``1-(1-J^ROWS)^BANDS``: 0.99+
at J = 0.7, 0.23 at J = 0.3); candidates are then confirmed by the estimated similarity
(≥ :data:`THRESHOLD`). Documents shorter than :data:`MIN_WORDS` words get no signature:
two short items (one-sentence reports) that share most words are usually two reports, not
one story, and are only ever exact duplicates.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from raqib.text.normalize import normalize

K = 128  # bins of a signature
ROWS = 4  # bins per LSH band
BANDS = K // ROWS
THRESHOLD = 0.7  # estimated Jaccard similarity for a near-duplicate
MIN_WORDS = 40  # shorter documents are not near-duplicate candidates
SHINGLE = 3  # words per shingle (signature() combines exactly three word hashes)

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_MASK32 = 0xFFFFFFFF
_EMPTY = 1 << 64


def normalized_text(title: str, text: str) -> str:
    """The comparable form of a document: normalized title + text, whitespace collapsed."""
    t = _SPACE.sub(" ", normalize(title or "")).strip()
    b = _SPACE.sub(" ", normalize(text or "")).strip()
    return f"{t}\n{b}" if t else b


_CHUNK = 1 << 20


def content_hash(title: str, text: str) -> str:
    """128-bit hex digest identifying a document's content: SHA-256 of
    :func:`normalized_text`, computed a megabyte-sized piece at a time so that a huge text
    is never copied whole (equal to hashing ``normalized_text(title, text)``)."""
    h = hashlib.sha256()
    t = _SPACE.sub(" ", normalize(title or "")).strip()
    if t:
        h.update(t.encode("utf-8", "surrogatepass") + b"\n")
    text = text or ""
    started = pending_space = False
    for i in range(0, len(text), _CHUNK):
        piece = _SPACE.sub(" ", normalize(text[i:i + _CHUNK]))
        if not piece:
            continue
        lead = piece[0] == " "
        trail = piece[-1] == " "
        core = piece.strip(" ")
        if core:
            if started and (pending_space or lead):
                h.update(b" ")
            h.update(core.encode("utf-8", "surrogatepass"))
            started = True
            pending_space = trail
        elif started:
            pending_space = True
    return h.hexdigest()[:32]


def hash_normalized(norm: str) -> str:
    """:func:`content_hash` from an already computed :func:`normalized_text`."""
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def words(title: str, text: str) -> list[str]:
    return _WORD.findall(normalized_text(title, text))


def _h64(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "little")


_WORD_HASH: dict[str, int] = {}
_M1 = 0x9E3779B97F4A7C15
_M2 = 0xC2B2AE3D27D4EB4F
_MASK64 = (1 << 64) - 1


def _word_hash(w: str) -> int:
    h = _WORD_HASH.get(w)
    if h is None:
        if len(_WORD_HASH) > 500_000:
            _WORD_HASH.clear()
        h = _WORD_HASH[w] = _h64(w)
    return h


def signature(tokens: Sequence[str]) -> list[int] | None:
    """A K-bin one-permutation MinHash of the word 3-gram shingles of ``tokens`` (32-bit
    values); None when the document is too short to be a near-duplicate candidate.

    A shingle's 64-bit hash combines the (BLAKE2b) hashes of its three words by multiply-add
    and a final xor-shift mix: deterministic across processes and runs, and one dictionary
    lookup per word instead of one cryptographic hash per shingle."""
    if len(tokens) < MIN_WORDS:
        return None
    bins = [_EMPTY] * K
    get = _WORD_HASH.get
    hs = [get(w) for w in tokens]
    for i, h in enumerate(hs):
        if h is None:
            hs[i] = _word_hash(tokens[i])
    mask64, mask32, m1, m2 = _MASK64, _MASK32, _M1, _M2
    for i in range(len(hs) - SHINGLE + 1):
        h = ((hs[i] * m1 + hs[i + 1]) * m2 + hs[i + 2]) & mask64
        h ^= h >> 31
        h = (h * m1) & mask64
        h ^= h >> 29
        b = h & (K - 1)
        v = (h >> 7) & mask32
        if v < bins[b]:
            bins[b] = v
    filled = [i for i in range(K) if bins[i] != _EMPTY]
    if not filled:
        return None
    if len(filled) < K:
        out = list(bins)
        for i in range(K):
            if bins[i] == _EMPTY:
                d = 1
                while bins[(i + d) % K] == _EMPTY:
                    d += 1
                # the borrowed value, tagged with the distance so that it only matches a
                # document whose bins are empty in the same way
                out[i] = (bins[(i + d) % K] + d * 0x9E3779B1) & _MASK32
        return out
    return bins


def band_keys(sig: Sequence[int]) -> list[int]:
    """One signed 64-bit key per LSH band (the band's index is part of the key)."""
    keys = []
    mask64, m1, m2 = _MASK64, _M1, _M2
    for b in range(BANDS):
        k = (b + 1) * m2
        for v in sig[b * ROWS:(b + 1) * ROWS]:
            k = ((k ^ v) * m1) & mask64
        k ^= k >> 29
        keys.append(k - (1 << 64) if k >= 1 << 63 else k)
    return keys


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b) if x == y) / len(a)


def jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    """Exact Jaccard similarity of the shingle sets of two token lists (for tests)."""
    sa = {" ".join(a[i:i + SHINGLE]) for i in range(len(a) - SHINGLE + 1)}
    sb = {" ".join(b[i:i + SHINGLE]) for i in range(len(b) - SHINGLE + 1)}
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


class NearDuplicateIndex:
    """An in-memory LSH index (used within one batch, and by tests)."""

    def __init__(self) -> None:
        self.buckets: dict[int, list[str]] = {}
        self.sigs: dict[str, list[int]] = {}

    def add(self, doc_id: str, sig: Sequence[int], keys: Sequence[int] | None = None) -> None:
        self.sigs[doc_id] = list(sig)
        for k in keys if keys is not None else band_keys(sig):
            self.buckets.setdefault(k, []).append(doc_id)

    def candidates(self, keys: Sequence[int]) -> list[str]:
        seen: dict[str, None] = {}
        for k in keys:
            for d in self.buckets.get(k, ()):
                seen.setdefault(d, None)
        return list(seen)

    def query(self, sig: Sequence[int], threshold: float = THRESHOLD
              ) -> tuple[str, float] | None:
        """The most similar indexed document at or above ``threshold`` (ties: the first
        indexed), or None."""
        best: tuple[str, float] | None = None
        for d in self.candidates(band_keys(sig)):
            s = similarity(sig, self.sigs[d])
            if s >= threshold and (best is None or s > best[1]):
                best = (d, s)
        return best

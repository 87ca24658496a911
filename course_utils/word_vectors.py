"""Week 6's word vectors, learned in a second from the World English Bible's co-occurrence
counts (datasets/web_cooccurrence.h5): PPMI, then a truncated SVD.

    cooc = load_cooccurrence()                     # 5,000 words, counts within 5 words
    word_to_vec_map = train_word_vectors(cooc)     # word -> unit vector of 50 numbers
    nearest("gold", word_to_vec_map)               # [("silver", 0.83), ...]

How the vectors are learned: count how often each pair of words appears near each other;
turn the counts into positive pointwise mutual information (PPMI: how much more often than
chance the two words meet, 0 when not more often); factor that 5,000 x 5,000 matrix as
U S V^T and keep the 50 strongest directions: row i of U S, scaled to length 1, is word i's
embedding. Words met in the same company get close vectors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np
from matplotlib.figure import Figure

from .data import DatasetError, _fail, _read_keys, dataset_path

__all__ = ["EQUALIZE_PAIRS", "Cooccurrence", "DatasetError", "analogy_rank", "bias_plane",
           "load_cooccurrence", "nearest", "plot_bias_plane", "ppmi", "train_word_vectors",
           "truncated_svd"]

FILE = "web_cooccurrence.h5"
KEYS = ("vocabulary", "word_counts", "rows", "cols", "counts")
# Gender pairs (male, female) for equalize: both in the vocabulary, the female word further
# along woman - man. Not husband/wife: here both lean female alike (cos 0.36 and 0.36).
EQUALIZE_PAIRS = (("man", "woman"), ("he", "she"), ("his", "her"), ("king", "queen"),
                  ("son", "daughter"), ("father", "mother"), ("brother", "sister"),
                  ("boy", "girl"), ("lord", "lady"), ("men", "women"),
                  ("sons", "daughters"), ("brothers", "sisters"), ("bridegroom", "bride"))
_FIX = (
    f"It comes with the course repository: restore it with `git checkout -- datasets/{FILE}` "
    "(or clone the repository again), or rebuild it with `python datasets/build_word_vectors.py` "
    "after `apt-get install sword-text-web libsword-utils`."
)


@dataclass(frozen=True)
class Cooccurrence:
    """The counts of web_cooccurrence.h5: `vocabulary[i]` is word i, `word_counts[i]` its count
    in the text; `(rows[k], cols[k], counts[k])` the upper triangle (rows <= cols) of the
    symmetric co-occurrence matrix; `matrix()` gives it whole."""

    vocabulary: list
    word_counts: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    counts: np.ndarray
    attrs: dict = field(default_factory=dict, repr=False)

    def matrix(self) -> np.ndarray:
        """The (V, V) float32 symmetric matrix X: X[i, j] = how often words i and j met."""
        V = len(self.vocabulary)
        X = np.zeros((V, V), np.float32)
        X[self.rows, self.cols] = self.counts
        X[self.cols, self.rows] = self.counts
        return X


def load_cooccurrence(path=None) -> Cooccurrence:
    """Read datasets/web_cooccurrence.h5 (or $COURSE_DATASETS/..., or `path`); a missing or
    damaged file raises a DatasetError that says how to restore it."""
    path = Path(path) if path is not None else dataset_path(FILE)
    if not path.exists():
        where = " ($COURSE_DATASETS is set: check it)" if os.environ.get("COURSE_DATASETS") else ""
        _fail(path, f"there is no such file{where}", _FIX)
    if path.is_dir():
        _fail(path, "it is a folder", f"Give the path of the .h5 file, e.g. datasets/{FILE}.")
    data = _read_keys(path, KEYS, _FIX)
    vocabulary, word_counts = data["vocabulary"], data["word_counts"]
    if vocabulary.ndim != 1 or vocabulary.dtype.kind != "S" or vocabulary.size < 2:
        _fail(path, f"vocabulary must be 2 or more words as byte strings (V,), not "
              f"{vocabulary.dtype} {vocabulary.shape}", _FIX)
    words = [w.decode("ascii", errors="replace") for w in vocabulary.tolist()]
    V = len(words)
    if len(set(words)) < V:
        _fail(path, "vocabulary has words more than once", _FIX)
    if word_counts.shape != (V,) or not np.issubdtype(word_counts.dtype, np.integer):
        _fail(path, f"word_counts must be {V} integers (one per word), not {word_counts.dtype} "
              f"{word_counts.shape}", _FIX)
    rows, cols, counts = data["rows"], data["cols"], data["counts"]
    if not (rows.ndim == cols.ndim == counts.ndim == 1 and rows.size == cols.size == counts.size):
        _fail(path, f"rows, cols and counts must be three 1-D arrays of one length, not "
              f"{rows.shape}, {cols.shape}, {counts.shape}", _FIX)
    if not (np.issubdtype(rows.dtype, np.integer) and np.issubdtype(cols.dtype, np.integer)):
        _fail(path, f"rows and cols must be integers, not {rows.dtype} and {cols.dtype}", _FIX)
    if rows.size and (min(rows.min(), cols.min()) < 0 or max(rows.max(), cols.max()) >= V):
        _fail(path, f"rows and cols must be word indices 0 to {V - 1}", _FIX)
    if not np.all(np.isfinite(counts)) or (counts.size and counts.min() <= 0):
        _fail(path, "counts must be positive numbers (no NaN or infinity)", _FIX)
    with h5py.File(path, "r") as f:
        attrs = {k: (v.item() if hasattr(v, "item") else v) for k, v in f.attrs.items()}
    return Cooccurrence(words, word_counts.astype(np.int64), rows.astype(np.int64),
                        cols.astype(np.int64), counts.astype(np.float32), attrs)


def _square(X) -> np.ndarray:
    if isinstance(X, Cooccurrence):
        X = X.matrix()
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[0] != X.shape[1] or X.shape[0] < 2:
        raise ValueError(f"the counts must be a square (V, V) matrix, got shape {X.shape}: give "
                         "load_cooccurrence().matrix().")
    if not np.issubdtype(X.dtype, np.number) or not np.all(np.isfinite(X)) or X.min() < 0:
        raise ValueError("the counts must be finite numbers >= 0 (how often two words met).")
    return X


def ppmi(counts, alpha: float = 0.75) -> np.ndarray:
    """Positive pointwise mutual information of a (V, V) count matrix, float32 (V, V).

    PPMI[i, j] = max(0, log(P(i, j) / (P(i) P_alpha(j)))) where the context probability is
    smoothed, P_alpha(j) = n_j^alpha / sum_k n_k^alpha (n = row sums), which keeps rare
    contexts from looking too telling; 0 where the words never met.
    """
    X = _square(counts)
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must be in (0, 1] (0.75 usually; 1 = no smoothing), got {alpha}.")
    n = X.sum(axis=1, dtype=np.float64)
    i, j = np.nonzero(X)
    context = np.where(n > 0, n, 1.0) ** alpha
    context /= context[n > 0].sum()
    pmi = np.log(X[i, j].astype(np.float64)) - np.log(n[i]) - np.log(context[j])
    keep = pmi > 0
    M = np.zeros(X.shape, np.float32)
    M[i[keep], j[keep]] = pmi[keep]
    return M


def truncated_svd(M, dim: int, seed: int = 0, power_iterations: int = 4):
    """The `dim` strongest directions of M = U S V^T: `U (V, dim), S (dim,), Vt (dim, V)`, by a
    randomized range finder (project M on dim + 10 seeded random directions, sharpen with
    `power_iterations` passes of M M^T, then an exact SVD of the small projected matrix)."""
    M = np.asarray(M)
    if M.ndim != 2:
        raise ValueError(f"M must be a matrix, got shape {M.shape}.")
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not 1 <= dim < min(
            M.shape):
        raise ValueError(f"dim must be a whole number from 1 to {min(M.shape) - 1}, got {dim!r}.")
    k = min(dim + 10, min(M.shape))
    Y = M @ np.random.default_rng(seed).standard_normal((M.shape[1], k)).astype(M.dtype)
    for _ in range(power_iterations):
        Y, _ = np.linalg.qr(Y)
        Y = M @ (M.T @ Y)
    Q, _ = np.linalg.qr(Y)
    Ub, S, Vt = np.linalg.svd(Q.T @ M, full_matrices=False)
    U = Q @ Ub[:, :dim]
    signs = np.where(U[np.abs(U).argmax(axis=0), np.arange(dim)] < 0, -1, 1).astype(U.dtype)
    return U * signs, S[:dim], Vt[:dim] * signs[:, None]


def train_word_vectors(cooc: Cooccurrence | None = None, dim: int = 50, seed: int = 0, *,
                       alpha: float = 0.75) -> dict:
    """word -> 1-D float64 unit vector (dim,): the rows of U S of PPMI(counts)'s truncated SVD,
    each scaled to length 1. `cooc` defaults to load_cooccurrence(). Same seed, same vectors."""
    cooc = load_cooccurrence() if cooc is None else cooc
    if not isinstance(cooc, Cooccurrence):
        raise TypeError("cooc must be what load_cooccurrence() returns, not "
                        f"{type(cooc).__name__}.")
    U, S, _ = truncated_svd(ppmi(cooc, alpha), dim, seed)
    E = (U * S).astype(np.float64)
    E /= np.maximum(np.linalg.norm(E, axis=1, keepdims=True), 1e-12)
    return {word: E[i] for i, word in enumerate(cooc.vocabulary)}


def _matrix(word_to_vec_map: dict) -> tuple[list, np.ndarray]:
    """The words and their vectors as the rows of one float64 matrix."""
    words = list(word_to_vec_map)
    return words, np.array([word_to_vec_map[w] for w in words], dtype=np.float64)


def _cosines(rows: np.ndarray, v) -> np.ndarray:
    """The cosine of each row of `rows` with the vector `v` (0 where either is zero)."""
    v = np.asarray(v, dtype=np.float64)
    return rows @ v / np.maximum(np.linalg.norm(rows, axis=1) * np.linalg.norm(v), 1e-12)


def nearest(word: str, word_to_vec_map: dict, k: int = 5) -> list:
    """The k words whose vectors make the smallest angle with `word`'s: [(word, cosine), ...],
    best first, `word` itself left out."""
    if not isinstance(word_to_vec_map, dict) or not word_to_vec_map:
        raise TypeError("word_to_vec_map must be a non-empty dict word -> vector "
                        "(train_word_vectors() gives one).")
    key = str(word).lower()
    if key not in word_to_vec_map:
        raise KeyError(f"{word!r} is not one of the {len(word_to_vec_map):,} words of "
                       "word_to_vec_map: try a more frequent word (the vocabulary is "
                       "lower-case, e.g. 'king', 'water', 'city').")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a whole number of at least 1, got {k!r}.")
    words, E = _matrix(word_to_vec_map)
    scores = _cosines(E, word_to_vec_map[key])
    scores[words.index(key)] = -np.inf
    order = np.argsort(-scores, kind="stable")[:k]
    return [(words[i], float(scores[i])) for i in order]


def analogy_rank(word_a: str, word_b: str, word_c: str, word_d: str,
                 word_to_vec_map: dict, *, rule: str = "differences") -> int:
    """Where `word_d` ranks (1 = best) for "a is to b as c is to ?" among the words w that are
    none of a, b, c: by cos(e_b - e_a, e_w - e_c) (rule "differences", the exercise's), or by
    cos(e_w, e_c - e_a + e_b) (rule "sum", the lecture's)."""
    if rule not in ("differences", "sum"):
        raise ValueError(f"rule must be 'differences' or 'sum', not {rule!r}.")
    missing = [w for w in (word_a, word_b, word_c, word_d) if w not in word_to_vec_map]
    if missing:
        raise KeyError(f"{', '.join(map(repr, missing))} not in word_to_vec_map: use words of "
                       "its vocabulary.")
    words, E = _matrix(word_to_vec_map)
    target = np.asarray(word_to_vec_map[word_b]) - np.asarray(word_to_vec_map[word_a])
    e_c = np.asarray(word_to_vec_map[word_c], dtype=np.float64)
    scores = _cosines(E, target + e_c) if rule == "sum" else _cosines(E - e_c, target)
    scores[[words.index(w) for w in (word_a, word_b, word_c)]] = -np.inf
    return 1 + int(np.sum(scores > scores[words.index(word_d)]))


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64).ravel()
    return v / max(float(np.linalg.norm(v)), 1e-12)


def bias_plane(word_to_vec_map: dict, g, words) -> tuple[np.ndarray, np.ndarray]:
    """Two orthonormal directions to draw embeddings on: the bias axis g, and the direction
    orthogonal to g along which `words` spread the most (their first principal direction)."""
    x = _unit(g)
    E = np.array([word_to_vec_map[w] for w in words], dtype=np.float64)
    rest = E - np.outer(E @ x, x)
    rest -= rest.mean(axis=0)
    y = np.linalg.svd(rest, full_matrices=False)[2][0]
    y = _unit(y - (y @ x) * x)
    return x, y


def plot_bias_plane(word_to_vec_map: dict, g, neutral, pairs, neutralize=None,
                    equalize=None) -> Figure:
    """The lecture's debiasing picture on real vectors: each word at (its part along the bias
    axis g, its part along a direction orthogonal to g), before, and after the learner's
    `neutralize` (neutral words) and `equalize` (pairs) when they are given."""
    for w in [*neutral, *(w for pair in pairs for w in pair)]:
        if w not in word_to_vec_map:
            raise KeyError(f"{w!r} is not in word_to_vec_map: draw words of its vocabulary.")
    x, y = bias_plane(word_to_vec_map, g, [*neutral, *(w for p in pairs for w in p)])
    before = {w: word_to_vec_map[w] for w in [*neutral, *(w for p in pairs for w in p)]}
    panels = [("before", before)]
    if neutralize is not None and equalize is not None:
        after = {w: np.asarray(neutralize(w, g, word_to_vec_map)) for w in neutral}
        for pair in pairs:
            e1, e2 = equalize(tuple(pair), g, word_to_vec_map)
            after[pair[0]], after[pair[1]] = np.asarray(e1), np.asarray(e2)
        panels.append(("after neutralize and equalize (yours)", after))
    fig = Figure(figsize=(5.2 * len(panels), 4.4), layout="constrained")
    axes = fig.subplots(1, len(panels), sharex=True, sharey=True, squeeze=False)[0]
    for ax, (title, vectors) in zip(axes, panels):
        ax.axvline(0, color="#bbbbbb", linewidth=1, zorder=0)
        points = {w: (float(np.ravel(v) @ x), float(np.ravel(v) @ y)) for w, v in vectors.items()}
        for pair in pairs:
            (x1, y1), (x2, y2) = points[pair[0]], points[pair[1]]
            ax.plot([x1, x2], [y1, y2], color="#e08a2c", linewidth=1, alpha=0.7,
                    gid=f"pair {pair[0]}-{pair[1]}")
        for kind, group, color in (("neutral", list(neutral), "#2a6ebb"),
                                   ("pair", [w for p in pairs for w in p], "#c0561b")):
            xy = np.array([points[w] for w in group])
            ax.scatter(xy[:, 0], xy[:, 1], color=color, s=18, gid=kind,
                       label="should be neutral" if kind == "neutral" else "gender pairs")
            for w, (px, py) in zip(group, xy):
                ax.annotate(w, (px, py), xytext=(3, 3), textcoords="offset points", size=8,
                            color=color)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("along the bias axis g (toward female: right)")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("along the strongest other direction")
    axes[0].legend(fontsize=8, loc="best")
    return fig

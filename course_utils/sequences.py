"""Week 6's characters: the names' vocabulary, encoding, and the unigram and bigram baselines.

Losses are in nats per character over names that each end in "\\n" (the end of a name is a
character the model must predict, as in the classic dinosaur-name assignment).
"""

import numpy as np

__all__ = [
    "ALPHAS",
    "VOCABULARY",
    "best_alpha",
    "bigram_loss",
    "char_to_ix",
    "decode",
    "encode",
    "held_out_split",
    "ix_to_char",
    "unigram_loss",
]

VOCABULARY = "\n" + "abcdefghijklmnopqrstuvwxyz"
char_to_ix = {ch: i for i, ch in enumerate(VOCABULARY)}
ix_to_char = {i: ch for i, ch in enumerate(VOCABULARY)}
# byte -> index for the vectorized counts; -1 marks a byte outside the vocabulary.
_LOOKUP = np.full(256, -1, np.int64)
_LOOKUP[np.frombuffer(VOCABULARY.encode(), np.uint8)] = np.arange(len(VOCABULARY))
ALPHAS = np.logspace(-3, 1, 41)  # best_alpha's grid: 0.001 to 10, 10 steps a decade


def _refuse(name: str, where: int, char_to_ix: dict) -> None:
    vocabulary = "".join(sorted(char_to_ix, key=char_to_ix.get))
    raise ValueError(
        f"encode: {name!r} has {name[where]!r} at index {where}, which is not in the vocabulary "
        f"{vocabulary!r} ({len(vocabulary)} characters; here index 0 is the end of a name, "
        "1-26 the letters a-z). Names are lower-cased first, so 'Anna' is fine; 'Zoë' (an "
        "accented letter) and 'ann-marie' (a hyphen) are not: leave such names out or spell "
        "them with a-z."
    )


def encode(name, char_to_ix=char_to_ix) -> list:
    """The indices of `name`'s characters, after lower-casing: encode("Anna") == [1, 14, 14, 1]."""
    if not isinstance(name, str):
        raise TypeError(f"encode: the name must be a str, not {type(name).__name__} {name!r}")
    name = name.lower()
    for where, ch in enumerate(name):
        if ch not in char_to_ix:
            _refuse(name, where, char_to_ix)
    return [char_to_ix[ch] for ch in name]


def decode(indices, ix_to_char=ix_to_char) -> str:
    """The text of indices (numpy integers too): decode([1, 14, 14, 1, 0]) == "anna\\n"."""
    out = []
    for k, ix in enumerate(indices):
        if int(ix) != ix or int(ix) not in ix_to_char:
            raise ValueError(
                f"decode: indices[{k}] is {ix!r}; the indices must be integers 0 to "
                f"{len(ix_to_char) - 1} (0 is the end of a name, \"\\n\")"
            )
        out.append(ix_to_char[int(ix)])
    return "".join(out)


def _pair_counts(names) -> np.ndarray:
    """(27, 27) counts of (previous, next) characters over the names, each ended by "\\n".

    The start of a name is row 0: the "\\n" of the previous name, as if the names were one
    text, a name a line. Inside a name "\\n" never comes before a character, so row 0 counts
    first letters only (and column 0 the ends of names).
    """
    names = [names] if isinstance(names, str) else list(names)
    for name in names:
        if not isinstance(name, str) or "\n" in name:
            raise ValueError(f"names must be str without '\\n' (it is added at each end), "
                             f"got {name!r}")
    text = ("\n" + "\n".join(names) + "\n").lower().encode("utf-8")
    ix = _LOOKUP[np.frombuffer(text, np.uint8)]
    if (ix < 0).any():
        for name in names:  # the slow path only to say which name and character
            encode(name)
    n = len(VOCABULARY)
    return np.bincount(ix[:-1] * n + ix[1:], minlength=n * n).reshape(n, n).astype(float)


def _nats(counts: np.ndarray, probabilities: np.ndarray) -> float:
    """Mean -log p over the characters counted in `counts` (same shape as `probabilities`)."""
    seen = counts > 0
    if (probabilities[seen] == 0).any():
        return float("inf")
    return float(-(counts[seen] * np.log(probabilities[seen])).sum() / counts.sum())


def unigram_loss(train, val) -> float:
    """Nats per character on `val` of the character frequencies of `train` (no context).

    p(c) = count of c in train / characters in train, over the letters and the "\\n" ending
    each name. A character of `val` never seen in `train` makes the loss infinite.
    """
    fitted = _pair_counts(train).sum(axis=0)
    return _nats(_pair_counts(val).sum(axis=0), fitted / fitted.sum())


def _bigram_probabilities(train_counts: np.ndarray, alpha: float) -> np.ndarray:
    if not alpha > 0:
        raise ValueError(f"bigram_loss: alpha must be > 0 (add-alpha smoothing), got {alpha!r}")
    smoothed = train_counts + alpha
    return smoothed / smoothed.sum(axis=1, keepdims=True)


def bigram_loss(train, val, alpha: float) -> float:
    """Nats per character on `val` of add-alpha bigram counts of `train`.

    p(next | previous) = (count(previous, next) + alpha) / (count(previous) + 27 alpha); the
    start of a name is its own context (so p(first letter) is learned too).
    """
    probabilities = _bigram_probabilities(_pair_counts(train), alpha)
    return _nats(_pair_counts(val), probabilities)


def held_out_split(names, fraction: float = 0.1, seed: int = 0) -> tuple:
    """(fit, held_out): a seeded `fraction` of `names` held out, to choose alpha without the
    validation names."""
    names = list(names)
    if not 0 < fraction < 1 or round(len(names) * fraction) in (0, len(names)):
        raise ValueError(f"held_out_split: fraction must leave names on both sides, got "
                         f"{fraction!r} of {len(names)} names")
    held = set(np.random.default_rng(seed).permutation(len(names))[: round(len(names) * fraction)])
    return ([n for i, n in enumerate(names) if i not in held],
            [n for i, n in enumerate(names) if i in held])


def best_alpha(train, val_from_train, alphas=ALPHAS) -> float:
    """The alpha of `alphas` whose bigram model of `train` has the lowest loss on
    `val_from_train`: names held out from the training names, never the validation names."""
    fitted, held = _pair_counts(train), _pair_counts(val_from_train)
    losses = [_nats(held, _bigram_probabilities(fitted, float(a))) for a in alphas]
    return float(alphas[int(np.argmin(losses))])

"""Week 6's date translation data: seeded (human-readable date, ISO date) pairs and their encoding.

Every human format spells the month out, so no date reads two ways (no "04.05.1998"); years are
four digits, 1900 to 2099; human strings are lower-case. Standard library and numpy only.
"""

import datetime

import numpy as np

__all__ = [
    "FIRST_DAY",
    "FORMATS",
    "LAST_DAY",
    "MAX_HUMAN_LENGTH",
    "T_Y",
    "date_pairs",
    "decode_dates",
    "encode_dates",
    "format_date",
    "human_vocab",
    "inv_machine_vocab",
    "machine_vocab",
]

FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)
T_Y = 10  # len("YYYY-MM-DD")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _ordinal(d: int) -> str:
    return f"{d}{'th' if 10 < d < 14 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}"


# name -> (weekday 0 = monday, day, month, year) -> text; each name shows its pattern.
FORMATS = {
    "d month yyyy": lambda w, d, m, y: f"{d} {MONTHS[m - 1]} {y}",
    "dd month yyyy": lambda w, d, m, y: f"{d:02d} {MONTHS[m - 1]} {y}",
    "month d, yyyy": lambda w, d, m, y: f"{MONTHS[m - 1]} {d}, {y}",
    "weekday, month d, yyyy": lambda w, d, m, y: f"{WEEKDAYS[w]}, {MONTHS[m - 1]} {d}, {y}",
    "d mon yyyy": lambda w, d, m, y: f"{d} {MONTHS[m - 1][:3]} {y}",
    "wkd d mon yyyy": lambda w, d, m, y: f"{WEEKDAYS[w][:3]} {d} {MONTHS[m - 1][:3]} {y}",
    "the dth of month yyyy": lambda w, d, m, y: f"the {_ordinal(d)} of {MONTHS[m - 1]} {y}",
    "mon dth, yyyy": lambda w, d, m, y: f"{MONTHS[m - 1][:3]} {_ordinal(d)}, {y}",
}


def format_date(day: datetime.date, fmt: str) -> str:
    """`day` in the human format named `fmt` (a key of FORMATS), e.g. "3 may 1979"."""
    if fmt not in FORMATS:
        raise ValueError(f"format_date: no format {fmt!r}; the formats are {', '.join(FORMATS)}")
    return FORMATS[fmt](day.weekday(), day.day, day.month, day.year)


def _every_spelling():
    # Each format, month, weekday and day (one year: all are four digits).
    for text in FORMATS.values():
        for m in range(1, 13):
            for w in range(7):
                for d in range(1, 32):
                    yield text(w, d, m, 2000)


_SPELLINGS = list(_every_spelling())
MAX_HUMAN_LENGTH = max(map(len, _SPELLINGS))  # the longest human date any format writes
human_vocab = {ch: i for i, ch in enumerate(
    sorted(set("".join(_SPELLINGS)) | set("0123456789")) + ["<unk>", "<pad>"])}
machine_vocab = {ch: i for i, ch in enumerate(sorted("0123456789-"))}
inv_machine_vocab = {i: ch for ch, i in machine_vocab.items()}
del _SPELLINGS


def date_pairs(m: int, seed: int) -> list:
    """`m` seeded pairs (human, iso), e.g. ("tuesday, march 4, 2003", "2003-03-04").

    Each pair draws a day (uniformly from FIRST_DAY to LAST_DAY), then a format (uniformly from
    FORMATS), with `numpy.random.default_rng(seed)`: the same `seed` gives the same pairs, and
    the first `m` pairs of a longer draw.
    """
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 0:
        raise ValueError(f"date_pairs: m must be a whole number of pairs >= 0, got {m!r}")
    rng = np.random.default_rng(seed)
    low, high = [FIRST_DAY.toordinal(), 0], [LAST_DAY.toordinal() + 1, len(FORMATS)]
    names = list(FORMATS)
    pairs = []
    for ordinal, k in rng.integers(low, high, size=(m, 2)).tolist():  # a day, a format, ...
        day = datetime.date.fromordinal(ordinal)
        pairs.append((format_date(day, names[k]), day.isoformat()))
    return pairs


def encode_dates(pairs, T_x: int, human_vocab=human_vocab, machine_vocab=machine_vocab):
    """X (m, T_x) and Y (m, 10), int64 indices of the human and ISO strings of `pairs`.

    Human strings are lower-cased; a character not in `human_vocab` becomes "<unk>", and each
    row is padded with "<pad>" after the string up to T_x. A human string longer than T_x is
    refused (MAX_HUMAN_LENGTH fits every generated one), as is an ISO string that is not
    YYYY-MM-DD.
    """
    if isinstance(T_x, bool) or not isinstance(T_x, (int, np.integer)) or T_x < 1:
        raise ValueError(f"encode_dates: T_x must be a whole number >= 1, got {T_x!r}")
    pairs = list(pairs)
    X = np.full((len(pairs), T_x), human_vocab["<pad>"], np.int64)
    Y = np.zeros((len(pairs), T_Y), np.int64)
    unk = human_vocab["<unk>"]
    for i, (human, iso) in enumerate(pairs):
        human = human.lower()
        if len(human) > T_x:
            raise ValueError(
                f"encode_dates: pairs[{i}] {human!r} has {len(human)} characters, more than "
                f"T_x = {T_x}: give T_x >= {len(human)} (MAX_HUMAN_LENGTH = {MAX_HUMAN_LENGTH} "
                "fits every date of date_pairs)"
            )
        X[i, : len(human)] = [human_vocab.get(ch, unk) for ch in human]
        if len(iso) != T_Y or any(ch not in machine_vocab for ch in iso):
            raise ValueError(f"encode_dates: pairs[{i}]'s ISO date {iso!r} is not YYYY-MM-DD")
        Y[i] = [machine_vocab[ch] for ch in iso]
    return X, Y


def decode_dates(Y, inv_machine_vocab=inv_machine_vocab) -> list:
    """The ISO strings of the rows of `Y` (m, 10): the inverse of encode_dates's Y."""
    return ["".join(inv_machine_vocab[int(ix)] for ix in row) for row in np.asarray(Y)]

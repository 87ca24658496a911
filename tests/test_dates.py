"""course_utils.dates: the seeded date pairs read back to the same day, and their encoding."""

import calendar
import datetime
import re

import numpy as np
import pytest

from course_utils.dates import (
    FORMATS,
    MAX_HUMAN_LENGTH,
    date_pairs,
    decode_dates,
    encode_dates,
    format_date,
    human_vocab,
    inv_machine_vocab,
    machine_vocab,
)

# This test's own reader, from the standard library's English (C locale) names.
MONTH = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MON = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
WEEKDAY = [name.lower() for name in calendar.day_name]
WKD = [name.lower() for name in calendar.day_abbr]
SUFFIX = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}
PATTERNS = {
    "d month yyyy": r"(?P<d>[1-9]\d?) (?P<month>[a-z]+) (?P<y>\d{4})",
    "dd month yyyy": r"(?P<d>\d\d) (?P<month>[a-z]+) (?P<y>\d{4})",
    "month d, yyyy": r"(?P<month>[a-z]+) (?P<d>[1-9]\d?), (?P<y>\d{4})",
    "weekday, month d, yyyy":
        r"(?P<weekday>[a-z]+), (?P<month>[a-z]+) (?P<d>[1-9]\d?), (?P<y>\d{4})",
    "d mon yyyy": r"(?P<d>[1-9]\d?) (?P<mon>[a-z]{3}) (?P<y>\d{4})",
    "wkd d mon yyyy": r"(?P<wkd>[a-z]{3}) (?P<d>[1-9]\d?) (?P<mon>[a-z]{3}) (?P<y>\d{4})",
    "the dth of month yyyy":
        r"the (?P<d>[1-9]\d?)(?P<sfx>st|nd|rd|th) of (?P<month>[a-z]+) (?P<y>\d{4})",
    "mon dth, yyyy": r"(?P<mon>[a-z]{3}) (?P<d>[1-9]\d?)(?P<sfx>st|nd|rd|th), (?P<y>\d{4})",
}  # fmt: skip


def read_one(m: re.Match) -> datetime.date | None:
    """The day of one format's reading, or None where its words are not a month's."""
    g = m.groupdict()
    month = MONTH.get(g["month"]) if "month" in g else MON.get(g["mon"])
    if month is None:
        return None
    day = datetime.date(int(g["y"]), month, int(g["d"]))
    assert "weekday" not in g or WEEKDAY[day.weekday()] == g["weekday"], m.string
    assert "wkd" not in g or WKD[day.weekday()] == g["wkd"], m.string
    assert "sfx" not in g or SUFFIX.get(day.day, "th") == g["sfx"], m.string
    return day


def read_human(text: str) -> tuple[datetime.date, set]:
    """The day a human string names and the formats that read it ("22 may 1990" is written
    alike by three); every reading must name the same day, with every stated part agreeing."""
    readings = {name: read_one(m) for name, p in PATTERNS.items() if (m := re.fullmatch(p, text))}
    readings = {name: day for name, day in readings.items() if day is not None}
    assert len(set(readings.values())) == 1, f"{text!r} reads as {readings}"
    return next(iter(readings.values())), set(readings)


@pytest.fixture(scope="module")
def pairs():
    return date_pairs(4000, seed=6)


def test_deterministic_and_seeded(pairs):
    assert date_pairs(4000, seed=6) == pairs
    assert date_pairs(50, seed=6) == pairs[:50]  # a prefix: the draws come in one order
    assert date_pairs(50, seed=7) != pairs[:50]
    assert date_pairs(0, seed=1) == []


def test_every_iso_parses_and_names_the_human_day(pairs):
    readers, alone = [], []
    for human, iso in pairs:
        assert human == human.lower() and re.fullmatch(r"\d{4}-\d\d-\d\d", iso)
        day, names = read_human(human)
        assert datetime.date.fromisoformat(iso) == day, (human, iso)
        assert 1900 <= day.year <= 2099 and str(day.year) in human  # four digits
        readers += names
        alone += names if len(names) == 1 else []
    assert set(PATTERNS) == set(FORMATS)
    for name in FORMATS:  # every format appears, on its own, and about as often as the others
        assert alone.count(name) > 100, (name, alone.count(name))
        assert readers.count(name) > 4000 / len(FORMATS) * 0.8, (name, readers.count(name))


def test_days_span_the_two_centuries(pairs):
    years = np.array([int(iso[:4]) for _, iso in pairs])
    assert years.min() < 1905 and years.max() > 2094
    assert abs(np.mean(years < 2000) - 0.5) < 0.05
    assert len({iso for _, iso in pairs}) > 3800  # days drawn from 73,049


def test_examples_of_the_brief():
    day = datetime.date(2003, 3, 4)
    assert format_date(day, "weekday, month d, yyyy") == "tuesday, march 4, 2003"
    assert format_date(datetime.date(1979, 5, 3), "d month yyyy") == "3 may 1979"
    assert format_date(datetime.date(2011, 12, 22), "the dth of month yyyy") == (
        "the 22nd of december 2011")
    assert format_date(datetime.date(2011, 12, 12), "mon dth, yyyy") == "dec 12th, 2011"
    with pytest.raises(ValueError, match="no format 'dd.mm.yyyy'; the formats are d month"):
        format_date(day, "dd.mm.yyyy")


def test_vocabularies():
    used = set("".join(h for h, _ in date_pairs(4000, seed=1)))
    assert set(human_vocab) == used | {"<unk>", "<pad>"}  # exactly the characters used
    chars = [ch for ch in human_vocab if len(ch) == 1]
    assert chars == sorted(chars) and list(human_vocab.values()) == list(range(len(human_vocab)))
    assert list(human_vocab)[-2:] == ["<unk>", "<pad>"]
    assert list(machine_vocab) == list("-0123456789")
    assert all(inv_machine_vocab[i] == ch for ch, i in machine_vocab.items())


def test_encoding_shapes_padding_and_round_trip(pairs):
    X, Y = encode_dates(pairs, 30)
    assert X.shape == (4000, 30) and Y.shape == (4000, 10) and X.dtype == Y.dtype == np.int64
    inverse = {i: ch for ch, i in human_vocab.items()}
    for row, (human, _) in zip(X[:200], pairs[:200], strict=True):
        assert "".join(inverse[i] for i in row[: len(human)]) == human
        assert (row[len(human):] == human_vocab["<pad>"]).all()
    assert decode_dates(Y) == [iso for _, iso in pairs]
    assert max(len(h) for h, _ in pairs) <= MAX_HUMAN_LENGTH == 29


def test_unknown_characters_and_capitals():
    X, Y = encode_dates([("Tuesday, March 4, 2003!", "2003-03-04")], 25)
    assert X[0, 0] == human_vocab["t"] and X[0, 22] == human_vocab["<unk>"]
    assert X[0, 23] == X[0, 24] == human_vocab["<pad>"]
    assert Y[0].tolist() == [machine_vocab[ch] for ch in "2003-03-04"]
    X, Y = encode_dates([], 30)
    assert X.shape == (0, 30) and Y.shape == (0, 10)


def test_bad_input_is_refused_with_the_fix():
    with pytest.raises(ValueError, match=r"has 22 characters, more than T_x = 10: give T_x >= 22"):
        encode_dates([("tuesday, march 4, 2003", "2003-03-04")], 10)
    with pytest.raises(ValueError, match=r"pairs\[0\]'s ISO date '4/3/2003' is not YYYY-MM-DD"):
        encode_dates([("4 march 2003", "4/3/2003")], 30)
    with pytest.raises(ValueError, match="T_x must be a whole number >= 1"):
        encode_dates([], 0)
    with pytest.raises(ValueError, match="m must be a whole number of pairs"):
        date_pairs(-1, seed=0)

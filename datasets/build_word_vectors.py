"""Rebuild datasets/web_cooccurrence.h5, week 6's word co-occurrence counts, from the World
English Bible (Debian package sword-text-web, read with mod2imp from libsword-utils).

    python datasets/build_word_vectors.py [--out FILE.h5]

`mod2imp engWEB2015eb` prints the text, one `$$$Book Chapter:Verse` header line per verse; the
prefaces and book introductions (chapter or verse 0) are left out. Each verse loses its
footnotes (`<note>`, often Hebrew or Greek), its section titles (`<title>`) and every other
OSIS tag, is lower-cased, loses the possessive `'s`, and is cut into words of letters a-z.
The VOCABULARY_SIZE most frequent words are kept (ties by alphabetical order). Two kept words
at distance d <= WINDOW in the same verse add 1/d to their count, both ways (a word paired
with itself adds 2/d to its diagonal entry), so the matrix is symmetric; only its upper
triangle is stored. Same bytes on every run.
"""

import argparse
import collections
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from debian import package_version, report_written, write_h5  # noqa: E402

PACKAGE, TOOLS = "sword-text-web", "libsword-utils"
MODULE = "engWEB2015eb"
MODULE_DIR = Path("/usr/share/sword/modules/texts/ztext") / MODULE
MODULE_CONF = Path("/usr/share/sword/mods.d") / f"{MODULE}.conf"
VOCABULARY_SIZE = 5000
WINDOW = 5
SCALE = 60  # lcm(1..WINDOW): the 1/d weights summed exactly as integers of 1/60
LICENCE = (
    "public domain (the World English Bible, as /usr/share/doc/sword-text-web/copyright says; "
    "\"World English Bible\" is a trademark of eBible.org: these counts are not the text)"
)
HEADER = re.compile(r"\$\$\$(.+) (\d+):(\d+)")
NOTE = re.compile(r"<note\b.*?</note>", re.S)
TITLE = re.compile(r"<title\b.*?</title>", re.S)
TAG = re.compile(r"<[^>]*>")
POSSESSIVE = re.compile(r"['’]s\b")
WORD = re.compile(r"[a-z]+")


def module_files() -> list:
    """The module's installed files (its .conf and data files), or a SystemExit with the fix."""
    data = sorted(MODULE_DIR.glob("*")) if MODULE_DIR.is_dir() else []
    if shutil.which("mod2imp") is None or not MODULE_CONF.is_file() or not data:
        raise SystemExit(
            f"the SWORD module {MODULE} or mod2imp is not installed: apt-get install "
            f"--no-install-recommends {PACKAGE} {TOOLS}"
        )
    return [MODULE_CONF, *data]


def read_verses() -> list:
    """[(reference, raw OSIS text)] of every verse (chapter and verse >= 1), in module order."""
    done = subprocess.run(["mod2imp", MODULE], capture_output=True, check=True)
    verses, reference, lines = [], None, []
    for line in done.stdout.decode("utf-8").split("\n") + ["$$$[end]"]:
        if not line.startswith("$$$"):
            lines.append(line)
            continue
        if reference is not None:
            verses.append((reference, " ".join(lines)))
        match = HEADER.fullmatch(line)
        keep = match is not None and int(match[2]) > 0 and int(match[3]) > 0
        reference, lines = (line[3:] if keep else None), []
    return verses


def words(osis: str) -> list:
    """The words (a-z) of one verse's OSIS text, without its footnotes and titles."""
    text = TAG.sub(" ", TITLE.sub(" ", NOTE.sub(" ", osis))).lower()
    return WORD.findall(POSSESSIVE.sub("", text))


def count(verses: list) -> tuple:
    """(vocabulary, word_counts, rows, cols, counts, facts): the upper triangle (rows <= cols)
    of the symmetric 1/d-weighted co-occurrence matrix of the kept words."""
    tokens = [words(text) for _, text in verses]
    frequency = collections.Counter(w for verse in tokens for w in verse)
    ranked = sorted(frequency.items(), key=lambda item: (-item[1], item[0]))
    vocabulary = [w for w, _ in ranked[:VOCABULARY_SIZE]]
    index = {w: i for i, w in enumerate(vocabulary)}
    ids = []
    for verse in tokens:  # -1 for a word outside the vocabulary and between verses
        ids += [index.get(w, -1) for w in verse] + [-1] * WINDOW
    ids = np.array(ids, np.int64)
    keys, weights = [], []
    for d in range(1, WINDOW + 1):
        a, b = ids[:-d], ids[d:]
        both = (a >= 0) & (b >= 0)
        low, high = np.minimum(a[both], b[both]), np.maximum(a[both], b[both])
        keys.append(low * VOCABULARY_SIZE + high)
        weights.append(np.where(low == high, 2, 1) * (SCALE // d))
    pairs, where = np.unique(np.concatenate(keys), return_inverse=True)
    sixtieths = np.bincount(where, weights=np.concatenate(weights)).astype(np.int64)
    n_tokens = sum(map(len, tokens))
    facts = {
        "verses": len(verses), "tokens": n_tokens, "distinct_words": len(frequency),
        "vocabulary": len(vocabulary),
        "kept_tokens": int(sum(frequency[w] for w in vocabulary)),
        "nonzero_pairs_upper_triangle": int(pairs.size),
    }
    rows, cols = np.divmod(pairs, VOCABULARY_SIZE)
    return (vocabulary, np.array([frequency[w] for w in vocabulary], np.int64),
            rows.astype(np.uint16), cols.astype(np.uint16), (sixtieths / SCALE).astype(np.float32),
            facts)


def build(out: Path) -> dict:
    """Write `out` from the installed module; return the counted facts."""
    files = module_files()
    vocabulary, word_counts, rows, cols, counts, facts = count(read_verses())
    digests = "; ".join(f"{p.name} {hashlib.sha256(p.read_bytes()).hexdigest()}" for p in files)
    attrs = {
        "title": (
            "Word co-occurrence counts of the World English Bible: the 5,000 most frequent "
            "words, 1/distance weighted within a window of 5 words inside a verse"
        ),
        "source": (
            f"Debian package {PACKAGE} {package_version(PACKAGE)}, SWORD module {MODULE} "
            f"(World English Bible with Deuterocanon), text printed by `mod2imp {MODULE}` "
            f"of {TOOLS} {package_version(TOOLS)}"
        ),
        "source_sha256": digests,
        "licence": LICENCE,
        "tokenization": (
            "verses with chapter and verse >= 1; <note> and <title> elements and all other tags "
            "removed; lower-cased; possessive 's removed; words = runs of letters a-z"
        ),
        "window": WINDOW,
        "weighting": (
            f"two vocabulary words at distance d <= {WINDOW} in one verse add 1/d to counts[i, j] "
            "and to counts[j, i] (2/d to counts[i, i] for a word and itself); stored: the upper "
            "triangle rows <= cols, counts float32"
        ),
        "counts": "; ".join(f"{key} {value}" for key, value in facts.items()),
        "built_by": "datasets/build_word_vectors.py (see datasets/README.md)",
    }
    arrays = {
        "vocabulary": np.array([w.encode("ascii") for w in vocabulary]),
        "word_counts": word_counts,
        "rows": rows,
        "cols": cols,
        "counts": counts,
    }
    write_h5(out, arrays, attrs, chunk=1, shuffle=True)
    return facts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "web_cooccurrence.h5")
    args = parser.parse_args(argv)
    facts = build(args.out)
    print(", ".join(f"{key} {value:,}" for key, value in facts.items()))
    report_written(args.out)


if __name__ == "__main__":
    main()

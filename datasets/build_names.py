"""Rebuild datasets/names.h5, week 6's first names, from the PyPI sdist of `names` 0.3.0.

    python datasets/build_names.py [--sdist names-0.3.0.tar.gz] [--out FILE.h5]

Without --sdist the sdist is fetched with `python -m pip download names==0.3.0 --no-deps
--no-binary :all:` into a temporary folder; a file whose sha256 is not SDIST_SHA256 is refused.
The first names of the 1990 US Census lists (`names/dist.female.first`, `names/dist.male.first`,
public domain) are lower-cased; names with a character outside a-z are dropped (counted); a
name in both lists is kept once; the names are sorted. SPLIT_SEED then draws the validation
names: `numpy.random.default_rng(SPLIT_SEED).permutation(n)[:round(n * VAL_FRACTION)]`; the
others are the training names. Each split is stored sorted. Same bytes on every run.
"""

import argparse
import hashlib
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from debian import report_written, write_h5  # noqa: E402

PACKAGE, VERSION = "names", "0.3.0"
SDIST = f"{PACKAGE}-{VERSION}.tar.gz"
SDIST_SHA256 = "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"
MEMBERS = {"female": "names/dist.female.first", "male": "names/dist.male.first"}
VAL_FRACTION = 0.1
SPLIT_SEED = 6  # week 6
LETTERS = re.compile(r"[a-z]+")
LICENCE = (
    "data public domain (derived from the 1990 US Census, as the package's README says of "
    "dist.female.first and dist.male.first); the package's code is MIT (Trey Hunner)"
)


def fetch_sdist(folder: Path) -> Path:
    """Download the sdist into `folder` with pip (the registry pip is set up to use)."""
    command = [sys.executable, "-m", "pip", "download", f"{PACKAGE}=={VERSION}", "--no-deps",
               "--no-binary", ":all:", "-d", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0 or not (folder / SDIST).is_file():
        raise SystemExit(
            f"could not fetch {SDIST} with pip ({done.stderr.strip()[-300:]}): fetch it where "
            "the package registry is reachable and give it with --sdist PATH"
        )
    return folder / SDIST


def read_lists(sdist: Path) -> tuple[dict, dict]:
    """({"female": [NAME, ...], "male": [...]}, {member: sha256}) from a checked sdist."""
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        raise SystemExit(
            f"{sdist} has sha256 {digest}, not {SDIST_SHA256} ({SDIST} as this builder knows "
            f"it): give the genuine {SDIST} with --sdist, or drop --sdist to fetch it with pip"
        )
    lists, digests = {}, {}
    with tarfile.open(sdist, "r:gz") as tar:
        for key, member in MEMBERS.items():
            raw = tar.extractfile(f"{PACKAGE}-{VERSION}/{member}").read()
            digests[member] = hashlib.sha256(raw).hexdigest()
            lists[key] = [line.split()[0] for line in raw.decode("ascii").splitlines() if line]
    return lists, digests


def clean(lists: dict) -> tuple[list, dict]:
    """The sorted unique lower-case a-z names of both lists, and what was counted on the way."""
    counts, dropped, kept = {}, [], {}
    for key, names in lists.items():
        lower = [name.lower() for name in names]
        kept[key] = {name for name in lower if LETTERS.fullmatch(name)}
        dropped += [name for name in lower if not LETTERS.fullmatch(name)]
        counts[key] = len(names)
        counts[f"{key}_repeated"] = len(lower) - len(set(lower))
    counts["in_both"] = len(kept["female"] & kept["male"])
    counts["dropped_not_a_to_z"] = len(dropped)
    names = sorted(kept["female"] | kept["male"])
    counts["unique"] = len(names)
    return names, counts | {"dropped": dropped}


def split(names: list) -> tuple[list, list]:
    """(train, val), each sorted: the seeded draw of the module docstring."""
    n_val = round(len(names) * VAL_FRACTION)
    is_val = np.zeros(len(names), bool)
    is_val[np.random.default_rng(SPLIT_SEED).permutation(len(names))[:n_val]] = True
    return [n for n, v in zip(names, is_val) if not v], [n for n, v in zip(names, is_val) if v]


def build(sdist: Path, out: Path) -> dict:
    """Write `out` from `sdist`; return the counts."""
    lists, digests = read_lists(sdist)
    names, counts = clean(lists)
    train, val = split(names)
    counts |= {"train": len(train), "validation": len(val)}
    dropped = counts.pop("dropped")
    members = "; ".join(f"{m} sha256 {d}" for m, d in digests.items())
    attrs = {
        "title": (
            "First names of the 1990 US Census lists (female and male), lower-case a-z, each "
            "once, split into training and validation names for a character-level language model"
        ),
        "source": f"PyPI sdist {SDIST} (package {PACKAGE} {VERSION}), members {members}",
        "source_sha256": f"{SDIST} {SDIST_SHA256}; {members}",
        "licence": LICENCE,
        "counts": "; ".join(f"{key} {value}" for key, value in counts.items()),
        "split": (
            f"the sorted unique names; validation = numpy.random.default_rng({SPLIT_SEED})."
            f"permutation(n)[:round(n * {VAL_FRACTION})], the others training; each split sorted"
        ),
        "dropped": "none" if not dropped else ", ".join(dropped),
        "built_by": "datasets/build_names.py (see datasets/README.md)",
    }
    arrays = {
        "train_names": np.array([n.encode("ascii") for n in train]),
        "val_names": np.array([n.encode("ascii") for n in val]),
    }
    write_h5(out, arrays, attrs, chunk=1)
    return counts | {"dropped_names": dropped}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sdist", type=Path, help=f"{SDIST} (fetched with pip if not given)")
    parser.add_argument("--out", type=Path, default=HERE / "names.h5")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.sdist is not None and not args.sdist.is_file():
            raise SystemExit(f"{args.sdist} not found: give the path of {SDIST}, or drop --sdist")
        counts = build(args.sdist or fetch_sdist(Path(tmp)), args.out)
    dropped = counts.pop("dropped_names")
    print(", ".join(f"{key} {value}" for key, value in counts.items()))
    if dropped:
        print(f"dropped (a character outside a-z): {', '.join(dropped)}")
    report_written(args.out)


if __name__ == "__main__":
    main()

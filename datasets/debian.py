"""What the dataset builders share: facts about the Debian packages they read, and the writer.

The writer makes the same bytes on every run (fixed settings, no timestamps), so a rebuild can
be compared byte for byte with the committed file.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
from pathlib import Path

import h5py

FASHION_PACKAGE = "dataset-fashion-mnist"
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_FILES = {"train": "train-images-idx3-ubyte.gz", "test": "t10k-images-idx3-ubyte.gz"}
FASHION_LICENCE = "MIT (Expat), Copyright 2017 Zalando SE (Fashion-MNIST)"


def package_version(package: str) -> str:
    """The installed version of `package` (dpkg-query), or "unknown"."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                             capture_output=True, text=True)
    except OSError:
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 else "unknown"


def source_digests(source: Path, pattern: str = "*-ubyte.gz") -> str:
    """"name sha256; name sha256; ..." of the package files in `source` that match `pattern`."""
    names = sorted(p.name for p in source.glob(pattern))
    return "; ".join(f"{n} {hashlib.sha256((source / n).read_bytes()).hexdigest()}" for n in names)


def fashion_arguments(description: str, default_out: Path, argv=None) -> argparse.Namespace:
    """--source (the package's folder) and --out of a Fashion-MNIST builder; stops with the
    install command when the package files are not there."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--source", type=Path, default=FASHION_DIR)
    parser.add_argument("--out", type=Path, default=default_out)
    args = parser.parse_args(argv)
    if not (args.source / FASHION_FILES["train"]).is_file():
        raise SystemExit(
            f"{args.source}/{FASHION_FILES['train']} not found: apt-get install {FASHION_PACKAGE}"
        )
    return args


def fashion_provenance(source: Path) -> dict:
    """The attributes `source`, `source_sha256` and `licence` of a file built from `source`."""
    return {
        "source": (
            f"Debian package {FASHION_PACKAGE} {package_version(FASHION_PACKAGE)}: training "
            f"pictures from {FASHION_FILES['train']}, test pictures from {FASHION_FILES['test']} "
            "(rows in train_set_index / test_set_index)"
        ),
        "source_sha256": source_digests(source),
        "licence": FASHION_LICENCE,
    }


def write_h5(out: Path, arrays: dict, attrs: dict, *, chunk: int, shuffle: bool = False) -> None:
    """Write `arrays` (key -> numpy array), then `attrs`, to `out`, in this order.

    Every array is gzip level 9 (with the shuffle filter if `shuffle`), except the lists of
    class names (keys ending in "classes"), stored as they are; pictures (3 or more axes) are
    cut in chunks of `chunk` pictures. No timestamps. The file is written next to `out` and
    renamed, so an interrupted build never leaves a half-written file under the real name.
    """
    tmp = out.with_name(out.name + ".tmp")
    compressed = {"compression": "gzip", "compression_opts": 9, "shuffle": shuffle}
    with h5py.File(tmp, "w") as f:
        for key, value in arrays.items():
            options = {} if key.endswith("classes") else dict(compressed)
            if value.ndim >= 3:
                options["chunks"] = (chunk, *value.shape[1:])
            f.create_dataset(key, data=value, track_times=False, **options)
        for name, text in attrs.items():
            f.attrs[name] = text
    tmp.replace(out)


def report_written(out: Path) -> None:
    """Print the size and sha256 of a file just built (for datasets/README.md)."""
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"wrote {out} ({out.stat().st_size:,} bytes, sha256 {digest})")

"""Rebuild datasets/fashion_shirts.h5, "shirt vs non-shirt" photos, from dataset-fashion-mnist.

    apt-get install dataset-fashion-mnist
    python datasets/build_fashion_shirts.py [--source DIR] [--out FILE.h5]

The split is exactly the one datasets/measure_candidates.py measured and chose (its
fashion_split, fixed before anything was trained): 2,000 training pictures, the first 1,000
shirts and 1,000 others (round-robin over the nine other classes) of seeded per-class orders
of the package's 60,000 training pictures; 2,000 test pictures, all 1,000 shirts of the
package's separate 10,000-picture test file and 1,000 others from it, round-robin again.
Pictures are stored as the package ships them (28x28 grayscale, light garment on black), with
a channel axis, (m, 28, 28, 1) uint8. The output is byte-identical on every run.
"""

import argparse
import hashlib
import sys
from pathlib import Path

import h5py
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from debian import package_version  # noqa: E402
from measure_candidates import FASHION_CLASSES, fashion_split, load_fashion  # noqa: E402

PACKAGE = "dataset-fashion-mnist"
POSITIVE, NEGATIVE, N_TRAIN = 6, "rest", 2000  # Fashion-MNIST class 6 = "Shirt"
CLASSES = np.array([b"non-shirt", b"shirt"])
FILES = {"train": "train-images-idx3-ubyte.gz", "test": "t10k-images-idx3-ubyte.gz"}
CHUNK = 250  # pictures per compressed chunk


def source_digests(source: Path) -> str:
    names = sorted(p.name for p in source.glob("*-ubyte.gz"))
    return "; ".join(f"{n} {hashlib.sha256((source / n).read_bytes()).hexdigest()}" for n in names)


def build(source: Path) -> dict:
    """{"train": {key suffix: array}, "test": ...} for the chosen pair."""
    data = load_fashion(source)
    parts = {}
    for split, (index, y) in fashion_split(data, POSITIVE, NEGATIVE, N_TRAIN).items():
        pictures, labels = data[split]
        if not np.array_equal(labels[index] == POSITIVE, y == 1):
            raise SystemExit(f"{split}: labels do not match the classes of the pictures")
        parts[split] = {
            "x": pictures[index][..., np.newaxis].astype(np.uint8),
            "y": y.astype(np.int64),
            "index": index.astype(np.int64),
            "fashion_label": labels[index].astype(np.int64),
        }
    return parts


def write_h5(parts: dict, out: Path, version: str, digests: str) -> None:
    """A gzip-compressed HDF5 file with no timestamps, so reruns give the same bytes."""
    tmp = out.with_name(out.name + ".tmp")
    opts = {"compression": "gzip", "compression_opts": 9, "track_times": False}
    with h5py.File(tmp, "w") as f:
        for split, arrays in parts.items():
            x = arrays["x"]
            f.create_dataset(f"{split}_set_x", data=x, chunks=(CHUNK, *x.shape[1:]), **opts)
            for key in ("y", "index", "fashion_label"):
                f.create_dataset(f"{split}_set_{key}", data=arrays[key], **opts)
        f.create_dataset("list_classes", data=CLASSES, track_times=False)
        names = np.array([name.encode() for name in FASHION_CLASSES])
        f.create_dataset("fashion_classes", data=names, track_times=False)
        f.attrs["title"] = (
            "shirt vs non-shirt: Fashion-MNIST photos, 28x28 grayscale, light garment on black "
            "(label 1 = shirt, Fashion-MNIST class 6 'Shirt'; label 0 = the nine other classes)"
        )
        f.attrs["source"] = (
            f"Debian package {PACKAGE} {version}: training pictures from {FILES['train']}, "
            f"test pictures from {FILES['test']} (rows in train_set_index / test_set_index)"
        )
        f.attrs["source_sha256"] = digests
        f.attrs["licence"] = "MIT (Expat), Copyright 2017 Zalando SE (Fashion-MNIST)"
        f.attrs["built_by"] = "datasets/build_fashion_shirts.py (see datasets/README.md)"
    tmp.replace(out)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=Path("/usr/share/datasets/fashion-mnist"))
    parser.add_argument("--out", type=Path, default=HERE / "fashion_shirts.h5")
    args = parser.parse_args(argv)
    if not (args.source / FILES["train"]).is_file():
        raise SystemExit(f"{args.source}/{FILES['train']} not found: apt-get install {PACKAGE}")
    parts = build(args.source)
    write_h5(parts, args.out, package_version(PACKAGE), source_digests(args.source))
    for split, arrays in parts.items():
        y = arrays["y"]
        print(f"{split}: {len(y)} pictures ({int(y.sum())} shirt, {int((y == 0).sum())} other)")
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, sha256 {digest})")


if __name__ == "__main__":
    main()

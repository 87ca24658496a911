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

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from debian import fashion_arguments, fashion_provenance, report_written, write_h5  # noqa: E402
from measure_candidates import FASHION_CLASSES, fashion_split, load_fashion  # noqa: E402

POSITIVE, NEGATIVE, N_TRAIN = 6, "rest", 2000  # Fashion-MNIST class 6 = "Shirt"
CLASSES = np.array([b"non-shirt", b"shirt"])
CHUNK = 250  # pictures per compressed chunk


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


def write(parts: dict, out: Path, source: Path) -> None:
    """The HDF5 file: pictures, labels and rows of each split, class names, provenance."""
    arrays = {
        f"{split}_set_{key}": values[key]
        for split, values in parts.items()
        for key in ("x", "y", "index", "fashion_label")
    }
    arrays["list_classes"] = CLASSES
    arrays["fashion_classes"] = np.array([name.encode() for name in FASHION_CLASSES])
    attrs = {
        "title": (
            "shirt vs non-shirt: Fashion-MNIST photos, 28x28 grayscale, light garment on black "
            "(label 1 = shirt, Fashion-MNIST class 6 'Shirt'; label 0 = the nine other classes)"
        ),
        **fashion_provenance(source),
        "built_by": "datasets/build_fashion_shirts.py (see datasets/README.md)",
    }
    write_h5(out, arrays, attrs, chunk=CHUNK)


def main(argv=None) -> None:
    args = fashion_arguments(__doc__.split("\n")[0], HERE / "fashion_shirts.h5", argv)
    parts = build(args.source)
    write(parts, args.out, args.source)
    for split, arrays in parts.items():
        y = arrays["y"]
        print(f"{split}: {len(y)} pictures ({int(y.sum())} shirt, {int((y == 0).sum())} other)")
    report_written(args.out)


if __name__ == "__main__":
    main()

"""Rebuild datasets/fashion10.h5, week 4's 10-class Fashion-MNIST subset, from the package.

    apt-get install dataset-fashion-mnist
    python datasets/build_fashion10.py [--source DIR] [--out FILE.h5]

12,000 training pictures, 1,200 of each of the 10 classes, drawn from the package's 60,000
training pictures; 2,000 test pictures, 200 of each class, from its separate 10,000-picture
test file. Each class's pictures are the first ones of its seeded order in that file (the
orders of datasets/measure_candidates.py, `class_order`); each split is then shuffled (seeded)
so the classes are mixed. Labels are Fashion-MNIST's own, 0-9. Pictures are stored as the
package ships them (28x28 grayscale, light garment on black) with a channel axis,
(m, 28, 28, 1) uint8, like fashion_shirts.h5. The output is byte-identical on every run.
"""

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from debian import fashion_arguments, fashion_provenance, report_written, write_h5  # noqa: E402
from measure_candidates import FASHION_CLASSES, class_order, load_fashion  # noqa: E402

PER_CLASS = {"train": 1200, "test": 200}
SHUFFLE_SEED = 4  # week 4
CHUNK = 250  # pictures per compressed chunk


def select(labels: np.ndarray, split: str) -> np.ndarray:
    """Rows of the package file: PER_CLASS[split] of every class, in a seeded mixed order."""
    per_class = PER_CLASS[split]
    index = np.concatenate([class_order(labels, c, split)[:per_class] for c in range(10)])
    if len(index) != 10 * per_class:
        raise SystemExit(f"{split}: fewer than {per_class} pictures of some class")
    rng = np.random.default_rng([SHUFFLE_SEED, 0 if split == "train" else 1])
    return index[rng.permutation(len(index))]


def build(source: Path) -> dict:
    """{"train_set_x": ..., "train_set_y": ..., "train_set_index": ..., "test_set_...": ...}."""
    data = load_fashion(source)
    arrays = {}
    for split in ("train", "test"):
        pictures, labels = data[split]
        index = select(labels, split)
        arrays[f"{split}_set_x"] = pictures[index][..., np.newaxis].astype(np.uint8)
        arrays[f"{split}_set_y"] = labels[index].astype(np.int64)
        arrays[f"{split}_set_index"] = index.astype(np.int64)
    arrays["list_classes"] = np.array([name.encode() for name in FASHION_CLASSES])
    return arrays


def main(argv=None) -> None:
    args = fashion_arguments(__doc__.split("\n")[0], HERE / "fashion10.h5", argv)
    arrays = build(args.source)
    attrs = {
        "title": (
            "Fashion-MNIST, 10 classes, 1,200 training and 200 test pictures per class: "
            "photos of garments, 28x28 grayscale, light garment on black (labels 0-9 as in "
            "Fashion-MNIST, names in list_classes)"
        ),
        **fashion_provenance(args.source),
        "built_by": "datasets/build_fashion10.py (see datasets/README.md)",
    }
    write_h5(args.out, arrays, attrs, chunk=CHUNK, shuffle=True)
    for split in ("train", "test"):
        counts = np.bincount(arrays[f"{split}_set_y"], minlength=10)
        print(f"{split}: {counts.sum()} pictures, per class {counts.tolist()}")
    report_written(args.out)


if __name__ == "__main__":
    main()

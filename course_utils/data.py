"""Load the course's picture data sets (HDF5) and reshape them for the exercises."""

import os
import re
from pathlib import Path

import h5py
import numpy as np

__all__ = [
    "DATASETS_DIR",
    "DatasetError",
    "dataset_path",
    "downsample_images",
    "flatten_images",
    "load_dataset",
    "load_names",
]

DATASETS_DIR = Path(__file__).resolve().parents[1] / "datasets"
KEYS = ("train_set_x", "train_set_y", "test_set_x", "test_set_y", "list_classes")
# Each committed data set: the script that rebuilds it and the Debian package it reads.
BUILDERS = {
    "animals.h5": ("build_animals.py", "openclipart-png"),
    "fashion_shirts.h5": ("build_fashion_shirts.py", "dataset-fashion-mnist"),
    "fashion10.h5": ("build_fashion10.py", "dataset-fashion-mnist"),
}


def _rebuild(path: Path) -> str:
    if path.name not in BUILDERS:
        return (
            f"The course's data sets are {', '.join(BUILDERS)} in datasets/: check the name, or "
            "give the path of a file with the same keys."
        )
    script, package = BUILDERS[path.name]
    return (
        "It comes with the course repository: restore it with `git checkout -- datasets/` (or "
        f"clone the repository again), or rebuild it with `python datasets/{script}` after "
        f"`apt-get install {package}`."
    )


class DatasetError(RuntimeError):
    """A data set file is missing or malformed; the message names the file and the fix."""


def dataset_path(name: str = "animals.h5") -> Path:
    """Path of a data set file: in $COURSE_DATASETS if set, else in the repository's datasets/."""
    return Path(os.environ.get("COURSE_DATASETS") or DATASETS_DIR) / name


def _fail(path: Path, problem: str, fix: str | None = None):
    fix = _rebuild(path) if fix is None else fix
    raise DatasetError(f"Cannot load the data set '{path}': {problem}. {fix}")


def _read(path: Path) -> dict:
    return _read_keys(path, KEYS, _rebuild(path))


def _label_range(n_classes: int) -> str:
    return "0 and 1" if n_classes == 2 else f"0 to {n_classes - 1}"


def _check(path: Path, data: dict) -> None:
    classes = data["list_classes"]
    if classes.ndim != 1 or classes.shape[0] < 2 or classes.dtype.kind != "S":
        _fail(
            path,
            "list_classes must be the class names, 2 or more byte strings, "
            f"not {classes.dtype} {classes.shape}",
        )
    for split in ("train", "test"):
        x, y = data[f"{split}_set_x"], data[f"{split}_set_y"]
        if x.dtype != np.uint8 or x.ndim != 4 or x.shape[3] not in (1, 3):
            _fail(
                path,
                f"{split}_set_x must be uint8 (m, px, px, 3), or (m, px, px, 1) for grayscale, "
                f"not {x.dtype} {x.shape}",
            )
        if not np.issubdtype(y.dtype, np.integer) or y.ndim not in (1, 2):
            _fail(path, f"{split}_set_y must be integer labels (m,), not {y.dtype} {y.shape}")
        if y.size != x.shape[0] or (y.ndim == 2 and y.shape[0] != 1):
            _fail(path, f"{split}_set_y has shape {y.shape} for {x.shape[0]} pictures")
        bad = np.setdiff1d(y, np.arange(len(classes)))
        if bad.size:
            _fail(
                path,
                f"{split}_set_y must hold only {_label_range(len(classes))} (one label per name "
                f"in list_classes), it also has {bad[:5].tolist()}",
            )
    if data["train_set_x"].shape[1:] != data["test_set_x"].shape[1:]:
        _fail(path, "train and test pictures have different sizes")


def load_dataset(path=None, *, name: str = "animals.h5"):
    """Load a picture data set: by default the "animal vs non-animal" drawings.

    Returns `train_set_x_orig (m_train, px, px, c) uint8, train_set_y (1, m_train) int,
    test_set_x_orig, test_set_y, classes` (classes: numpy bytes array, label k = `classes[k]`).
    `name="animals.h5"`: 64x64 RGB drawings (c = 3), `classes[1] == b"animal"`;
    `name="fashion_shirts.h5"`: 28x28 grayscale photos (c = 1), `classes[1] == b"shirt"`;
    `name="fashion10.h5"`: 28x28 grayscale photos (c = 1) of the 10 Fashion-MNIST classes,
    labels 0-9, 1,200 training and 200 test pictures of each.
    The file is datasets/<name> (or $COURSE_DATASETS/<name>), unless `path` is given.
    """
    path = Path(path) if path is not None else dataset_path(name)
    if not path.exists():
        where = " ($COURSE_DATASETS is set: check it)" if os.environ.get("COURSE_DATASETS") else ""
        _fail(path, f"there is no such file{where}")
    if path.is_dir():
        _fail(path, "it is a folder", "Give the path of the .h5 file, e.g. datasets/animals.h5.")
    data = _read(path)
    _check(path, data)
    return (
        data["train_set_x"],
        data["train_set_y"].reshape(1, -1),
        data["test_set_x"],
        data["test_set_y"].reshape(1, -1),
        data["list_classes"],
    )


def flatten_images(X_orig: np.ndarray) -> np.ndarray:
    """(m, px, px, c) uint8 pictures -> (px*px*c, m) float64 in [0, 1], one column per picture."""
    return X_orig.reshape(X_orig.shape[0], -1).T / 255.0


def downsample_images(X_orig: np.ndarray, factor: int) -> np.ndarray:
    """Average `factor` x `factor` pixel blocks: (m, h, w, c) -> (m, h/factor, w/factor, c).

    Returns uint8 (rounded means), so the result is used exactly like the original pictures.
    `h` and `w` must be multiples of `factor`.
    """
    m, h, w, c = X_orig.shape
    if factor < 1 or h % factor or w % factor:
        raise ValueError(f"factor must divide the picture size {h}x{w}, got {factor}")
    blocks = X_orig.reshape(m, h // factor, factor, w // factor, factor, c)
    return np.round(blocks.mean(axis=(2, 4))).astype(np.uint8)


NAMES_KEYS = ("train_names", "val_names")
_NAMES_FIX = (
    "It comes with the course repository: restore it with `git checkout -- datasets/names.h5` "
    "(or clone the repository again), or rebuild it with `python datasets/build_names.py` (pip "
    "fetches the names 0.3.0 sdist it reads)."
)
_A_TO_Z = re.compile(r"[a-z]+")


def _read_keys(path: Path, keys: tuple, fix: str) -> dict:
    # h5py reports damage as OSError, or as KeyError / RuntimeError / ValueError when the
    # damage is in the file's index; the message is raised outside the except clause so that
    # the learner sees it alone, without h5py's traceback chained under it.
    try:
        with h5py.File(path, "r") as f:
            found = sorted(f)
            data = {key: f[key][()] for key in keys if key in f}
    except (OSError, KeyError, RuntimeError, ValueError) as err:
        damage = f"{type(err).__name__}: {err}"
    else:
        missing = [key for key in keys if key not in data]
        if missing:
            _fail(path, f"it has no {', '.join(missing)} (found: {', '.join(found) or 'nothing'})",
                  fix)
        return data
    problem = "it is empty" if path.stat().st_size == 0 else (
        "it is not an HDF5 file, or it is truncated or corrupt")
    _fail(path, f"{problem} ({damage})", fix)


def _names(path: Path, key: str, array: np.ndarray) -> list:
    """The names of one split as str, or a DatasetError naming the first bad one."""
    if array.ndim != 1 or array.dtype.kind != "S" or array.size == 0:
        _fail(path, f"{key} must be names, 1 or more byte strings (m,), not {array.dtype} "
              f"{array.shape}", _NAMES_FIX)
    names = [raw.decode("utf-8", errors="replace") for raw in array.tolist()]
    for i, name in enumerate(names):
        if not _A_TO_Z.fullmatch(name):
            where = next((j for j, ch in enumerate(name) if not "a" <= ch <= "z"), None)
            what = "is empty" if where is None else (
                f"has {name[where]!r} at index {where}, not a letter a-z")
            _fail(path, f"{key}[{i}] {name!r} {what}; every name must be lower-case letters "
                  "a-z only", _NAMES_FIX)
    if len(set(names)) < len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        _fail(path, f"{key} has names more than once: {', '.join(twice[:5])}", _NAMES_FIX)
    return names


def load_names(path=None):
    """Week 6's first names: `(train_names, val_names)`, two lists of lower-case a-z str.

    The file is datasets/names.h5 (or $COURSE_DATASETS/names.h5), unless `path` is given:
    4,647 training and 516 validation names, no name in both (see datasets/README.md).
    """
    path = Path(path) if path is not None else dataset_path("names.h5")
    if not path.exists():
        where = " ($COURSE_DATASETS is set: check it)" if os.environ.get("COURSE_DATASETS") else ""
        _fail(path, f"there is no such file{where}", _NAMES_FIX)
    if path.is_dir():
        _fail(path, "it is a folder", "Give the path of the .h5 file, e.g. datasets/names.h5.")
    data = _read_keys(path, NAMES_KEYS, _NAMES_FIX)
    train, val = (_names(path, key, data[key]) for key in NAMES_KEYS)
    both = sorted(set(train) & set(val))
    if both:
        _fail(path, f"{len(both)} names are both training and validation names "
              f"({', '.join(both[:5])}); the validation names must be new names", _NAMES_FIX)
    return train, val

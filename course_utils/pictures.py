"""Week 5's real photo (Grace Hopper, public domain) for edge detection, data augmentation and
the filter explorer: load it as numbers, make it a batch of one, crop it at random."""

from __future__ import annotations

import os

import numpy as np
from PIL import Image

from .data import DatasetError, dataset_path

__all__ = ["PICTURES", "as_batch", "load_picture", "picture_path", "random_crop"]

# Each committed photo: its file in datasets/ and the script that rebuilds it.
PICTURES = {"hopper": ("hopper.png", "build_hopper.py")}


def picture_path(name: str = "hopper"):
    """Path of a photo's file: in $COURSE_DATASETS if set, else in the repository's datasets/."""
    if name not in PICTURES:
        raise DatasetError(f"There is no course picture '{name}': the course's pictures are "
                           f"{', '.join(repr(n) for n in PICTURES)}.")
    return dataset_path(PICTURES[name][0])


def _fail(name: str, path, problem: str):
    file, script = PICTURES[name]
    raise DatasetError(
        f"Cannot load the picture '{path}': {problem}. It comes with the course repository: "
        f"restore it with `git checkout -- datasets/{file}` (or clone the repository again), or "
        f"rebuild it with `python datasets/{script}` (it reads the photo matplotlib installs)."
    )


def load_picture(name: str = "hopper", grayscale: bool = False) -> np.ndarray:
    """A course photo as float64 in [0, 1]: (n_H, n_W, 3) RGB, or (n_H, n_W) with `grayscale`
    (ITU-R 601 luma, Pillow's "L": 0.299 R + 0.587 G + 0.114 B). "hopper" is 150x128."""
    path = picture_path(name)
    if not path.is_file():
        where = " ($COURSE_DATASETS is set: check it)" if os.environ.get("COURSE_DATASETS") else ""
        _fail(name, path, "it is a folder" if path.is_dir() else f"there is no such file{where}")
    # Pillow reports damage as OSError (UnidentifiedImageError, truncated data), SyntaxError
    # (a broken PNG chunk) or ValueError; the message is raised outside the except clause so
    # that the learner sees it alone, without Pillow's traceback chained under it.
    try:
        with Image.open(path) as img:
            img.load()
            mode = img.mode
            pixels = np.asarray(img.convert("L") if grayscale else img)
    except (OSError, SyntaxError, ValueError) as err:
        damage = f"{type(err).__name__}: {err}"
    else:
        if mode != "RGB":
            _fail(name, path, f"it must be an 8-bit RGB picture, not Pillow mode {mode}")
        return pixels / 255.0
    problem = "it is empty" if path.stat().st_size == 0 else \
        "it is not a PNG picture, or it is truncated or corrupt"
    _fail(name, path, f"{problem} ({damage})")


def as_batch(picture) -> np.ndarray:
    """One picture as a channels-last batch of one, (1, n_H, n_W, n_C): an (n_H, n_W) grayscale
    picture gets n_C = 1."""
    picture = np.asarray(picture)
    if picture.ndim == 2:
        picture = picture[:, :, np.newaxis]
    if picture.ndim != 3:
        raise ValueError(f"as_batch takes one picture, (n_H, n_W) or (n_H, n_W, n_C), not shape "
                         f"{picture.shape}; a batch (m, n_H, n_W, n_C) is already a batch.")
    return picture[np.newaxis]


def random_crop(picture, size, seed: int = 0) -> np.ndarray:
    """A `size` x `size` (or `size = (h, w)`) window of `picture` at a random place: the same
    place for the same seed (numpy.random.default_rng(seed)); channels, if any, are kept."""
    picture = np.asarray(picture)
    h, w = (size, size) if np.ndim(size) == 0 else size
    n_H, n_W = picture.shape[:2]
    if not (0 < h <= n_H and 0 < w <= n_W):
        raise ValueError(f"random_crop: a {h}x{w} crop does not fit in a {n_H}x{n_W} picture; "
                         f"choose a size from 1 to {min(n_H, n_W)}.")
    rng = np.random.default_rng(seed)
    top, left = int(rng.integers(0, n_H - h + 1)), int(rng.integers(0, n_W - w + 1))
    return picture[top:top + h, left:left + w].copy()

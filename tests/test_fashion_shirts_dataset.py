"""datasets/fashion_shirts.h5: its content, its provenance, and the rebuild from the package."""

import hashlib
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from course_utils.data import DATASETS_DIR, DatasetError, load_dataset

SHIRTS = DATASETS_DIR / "fashion_shirts.h5"
FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def shirts() -> dict:
    with h5py.File(SHIRTS) as f:
        return {key: f[key][()] for key in f} | {"attrs": dict(f.attrs)}


def test_shapes_keys_and_balance(shirts):
    for split in ("train", "test"):
        x, y = shirts[f"{split}_set_x"], shirts[f"{split}_set_y"]
        assert x.shape == (2000, 28, 28, 1) and x.dtype == np.uint8
        assert y.shape == (2000,) and y.dtype == np.int64
        assert y.sum() == 1000  # half shirts in each split
        assert y[:20].min() == 0 and y[:20].max() == 1  # the classes are mixed
    assert shirts["list_classes"].tolist() == [b"non-shirt", b"shirt"]
    assert shirts["fashion_classes"][6] == b"shirt"


def test_labels_follow_the_fashion_classes(shirts):
    for split in ("train", "test"):
        label, y = shirts[f"{split}_set_fashion_label"], shirts[f"{split}_set_y"]
        np.testing.assert_array_equal(y, (label == 6).astype(np.int64))
        others = np.bincount(label[y == 0], minlength=10)
        assert others[6] == 0 and others.min(initial=1000, where=np.arange(10) != 6) >= 111
        index = shirts[f"{split}_set_index"]
        assert len(np.unique(index)) == 2000  # no picture twice
        assert index.min() >= 0 and index.max() < (60000 if split == "train" else 10000)


def test_pictures_look_like_fashion_mnist(shirts):
    x = shirts["train_set_x"][..., 0]
    corners = np.concatenate([x[:, :2, :2], x[:, -2:, -2:]], axis=1)
    assert np.median(corners) == 0  # light garment on black
    assert (x > 16).mean(axis=(1, 2)).min() > 0.05  # no blank picture


def test_provenance(shirts):
    attrs = shirts["attrs"]
    assert "dataset-fashion-mnist" in attrs["source"]
    assert "MIT" in attrs["licence"] and "Zalando" in attrs["licence"]
    assert "t10k-images-idx3-ubyte.gz" in attrs["source_sha256"]
    assert attrs["built_by"].startswith("datasets/build_fashion_shirts.py")


def test_load_dataset_reads_it():
    try:
        train_x, train_y, test_x, test_y, classes = load_dataset(SHIRTS)
    except DatasetError as err:
        if "(m, px, px, 3)" in str(err) and "(m, px, px, 1)" not in str(err):
            pytest.skip("course_utils.data does not read grayscale (m, px, px, 1) pictures yet")
        raise
    assert train_x.shape == (2000, 28, 28, 1) and test_x.shape == (2000, 28, 28, 1)
    assert train_y.shape == (1, 2000) and test_y.shape == (1, 2000)
    assert classes[1] == b"shirt"


@pytest.mark.skipif(
    not FASHION_MNIST.is_dir(),
    reason="needs Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) to "
    "rebuild fashion_shirts.h5",
)
def test_rebuild_is_deterministic_and_committed_file_is_fresh(tmp_path):
    out = tmp_path / "fashion_shirts.h5"
    script = DATASETS_DIR / "build_fashion_shirts.py"
    subprocess.run([sys.executable, script, "--out", out], check=True, capture_output=True)
    if sha256(out) == sha256(SHIRTS):
        return
    with h5py.File(out) as new, h5py.File(SHIRTS) as old:
        changed = [k for k in new if not np.array_equal(new[k][()], old.get(k, [None])[()])]
        changed += [f"attrs[{k}]" for k in new.attrs if new.attrs[k] != old.attrs.get(k)]
    pytest.fail(
        f"datasets/fashion_shirts.h5 is stale (rebuilt file differs in: {changed or 'bytes only'})."
        " Run `python datasets/build_fashion_shirts.py`, check the pictures, and commit the new "
        "file and its sha256 in datasets/README.md."
    )

"""The committed Fashion-MNIST files (fashion_shirts.h5, fashion10.h5): content and provenance.

Their rebuild from the package, byte for byte, is tests/test_data.py's
test_rebuild_gives_the_committed_bytes, for every file in course_utils.data.BUILDERS.
"""

import h5py
import numpy as np
import pytest

from course_utils.data import DATASETS_DIR, load_dataset

FASHION_FILES = {"fashion_shirts.h5": 2000, "fashion10.h5": 12000}  # name: training pictures
TEST_PICTURES = {"fashion_shirts.h5": 2000, "fashion10.h5": 2000}
FASHION_NAMES = [
    b"T-shirt/top", b"trouser", b"pullover", b"dress", b"coat",
    b"sandal", b"shirt", b"sneaker", b"bag", b"ankle boot",
]  # fmt: skip


def read_all(name: str) -> dict:
    with h5py.File(DATASETS_DIR / name) as f:
        return {key: f[key][()] for key in f} | {"attrs": dict(f.attrs)}


@pytest.fixture(scope="module", params=list(FASHION_FILES))
def fashion(request) -> tuple[str, dict]:
    return request.param, read_all(request.param)


@pytest.fixture(scope="module")
def shirts() -> dict:
    return read_all("fashion_shirts.h5")


# ---------------------------------------------------------------- both files


def test_shapes_and_dtypes(fashion):
    name, data = fashion
    sizes = {"train": FASHION_FILES[name], "test": TEST_PICTURES[name]}
    for split, m in sizes.items():
        x, y = data[f"{split}_set_x"], data[f"{split}_set_y"]
        assert x.shape == (m, 28, 28, 1) and x.dtype == np.uint8
        assert y.shape == (m,) and y.dtype == np.int64
        assert len(np.unique(y[:20])) > 1  # the classes are mixed


def test_rows_come_from_the_package_files_once(fashion):
    _, data = fashion
    for split, rows in (("train", 60000), ("test", 10000)):
        index = data[f"{split}_set_index"]
        assert len(np.unique(index)) == len(index)  # no picture twice
        assert index.min() >= 0 and index.max() < rows


def test_pictures_look_like_fashion_mnist(fashion):
    _, data = fashion
    x = data["train_set_x"][..., 0]
    corners = np.concatenate([x[:, :2, :2], x[:, -2:, -2:]], axis=1)
    assert np.median(corners) == 0  # light garment on black
    assert (x > 16).mean(axis=(1, 2)).min() > 0.05  # no blank picture


def test_provenance(fashion):
    name, data = fashion
    attrs = data["attrs"]
    assert "dataset-fashion-mnist" in attrs["source"]
    assert "MIT" in attrs["licence"] and "Zalando" in attrs["licence"]
    assert "t10k-images-idx3-ubyte.gz" in attrs["source_sha256"]
    assert attrs["built_by"].startswith(f"datasets/build_{name.removesuffix('.h5')}.py")


def test_load_dataset_reads_it(fashion):
    name, _ = fashion
    train_x, train_y, test_x, test_y, classes = load_dataset(name=name)
    assert train_x.shape == (FASHION_FILES[name], 28, 28, 1) and train_x.dtype == np.uint8
    assert train_y.shape == (1, FASHION_FILES[name]) and test_y.shape == (1, TEST_PICTURES[name])
    assert np.issubdtype(train_y.dtype, np.integer) and test_x.dtype == np.uint8


# ---------------------------------------------------------------- fashion_shirts.h5


def test_shirts_balance(shirts):
    for split in ("train", "test"):
        assert shirts[f"{split}_set_y"].sum() == 1000  # half shirts in each split
    assert shirts["list_classes"].tolist() == [b"non-shirt", b"shirt"]
    assert shirts["fashion_classes"].tolist() == FASHION_NAMES


def test_shirt_labels_follow_the_fashion_classes(shirts):
    for split in ("train", "test"):
        label, y = shirts[f"{split}_set_fashion_label"], shirts[f"{split}_set_y"]
        np.testing.assert_array_equal(y, (label == 6).astype(np.int64))
        others = np.bincount(label[y == 0], minlength=10)
        assert others[6] == 0 and others.min(initial=1000, where=np.arange(10) != 6) >= 111


# ---------------------------------------------------------------- fashion10.h5


def test_fashion10_through_the_loader_is_balanced_over_ten_classes():
    train_x, train_y, test_x, test_y, classes = load_dataset(name="fashion10.h5")
    assert classes.tolist() == FASHION_NAMES
    assert np.bincount(train_y[0], minlength=10).tolist() == [1200] * 10
    assert np.bincount(test_y[0], minlength=10).tolist() == [200] * 10
    assert train_y.min() == 0 and train_y.max() == 9
    assert classes[train_y[0, 0]].decode() in [n.decode() for n in FASHION_NAMES]


def test_fashion10_labels_are_the_package_labels():
    """Each picture keeps its Fashion-MNIST label: checked against the shirts file, which
    stores the package's labels of its rows separately."""
    data, shirts = read_all("fashion10.h5"), read_all("fashion_shirts.h5")
    for split in ("train", "test"):
        rows, labels = data[f"{split}_set_index"], data[f"{split}_set_y"]
        shirt_rows = shirts[f"{split}_set_index"]
        common, here, there = np.intersect1d(rows, shirt_rows, return_indices=True)
        assert len(common) > 100
        np.testing.assert_array_equal(labels[here], shirts[f"{split}_set_fashion_label"][there])
        pictures = data[f"{split}_set_x"][here]
        np.testing.assert_array_equal(pictures, shirts[f"{split}_set_x"][there])

"""course_utils.data: the committed animals.h5, the loader's checks, and every file's rebuild."""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from course_utils.data import (
    BUILDERS,
    DATASETS_DIR,
    DatasetError,
    downsample_images,
    flatten_images,
    load_dataset,
)
from course_utils.images import image_to_input

ANIMALS = DATASETS_DIR / "animals.h5"
# Where each Debian package of BUILDERS puts the files a rebuild reads.
PACKAGE_FILES = {
    "openclipart-png": Path("/usr/share/openclipart/png"),
    "dataset-fashion-mnist": Path("/usr/share/datasets/fashion-mnist"),
}


def good_arrays(m_train=6, m_test=4, n_classes=2) -> dict:
    rng = np.random.default_rng(0)
    return {
        "train_set_x": rng.integers(0, 256, (m_train, 8, 8, 3), dtype=np.uint8),
        "train_set_y": np.arange(m_train) % n_classes,
        "test_set_x": rng.integers(0, 256, (m_test, 8, 8, 3), dtype=np.uint8),
        "test_set_y": np.arange(m_test) % n_classes,
        "list_classes": np.array([b"non-animal", b"animal", b"bird", b"fish"][:n_classes]),
    }


def write_h5(path: Path, arrays: dict) -> Path:
    with h5py.File(path, "w") as f:
        for key, value in arrays.items():
            f.create_dataset(key, data=value)
    return path


# ---------------------------------------------------------------- the committed data set


def test_committed_dataset_shapes_and_balance():
    train_x, train_y, test_x, test_y, classes = load_dataset()
    assert train_x.shape == (428, 64, 64, 3) and test_x.shape == (106, 64, 64, 3)
    assert train_x.dtype == test_x.dtype == np.uint8
    assert train_y.shape == (1, 428) and test_y.shape == (1, 106)
    assert np.issubdtype(train_y.dtype, np.integer)
    assert train_y.sum() == 214 and test_y.sum() == 53  # half animals in each split
    assert classes.tolist() == [b"non-animal", b"animal"]
    assert classes[train_y[0, 0]].decode() in ("animal", "non-animal")


def test_committed_dataset_has_no_duplicate_pictures():
    train_x, _, test_x, _, _ = load_dataset()
    pictures = np.concatenate([train_x, test_x]).reshape(534, -1)
    assert len(np.unique(pictures, axis=0)) == 534
    assert (pictures < 250).mean(axis=1).min() >= 0.01  # no blank picture


def test_committed_dataset_has_provenance():
    with h5py.File(ANIMALS) as f:
        assert "openclipart-png" in f.attrs["source"]
        assert "public domain" in f.attrs["licence"]
        assert f["train_set_files"].shape == (428,)
        assert f["train_set_files"][0].decode().endswith(".png")


def test_env_var_chooses_the_folder(tmp_path, monkeypatch):
    shutil.copy(ANIMALS, tmp_path / "animals.h5")
    monkeypatch.setenv("COURSE_DATASETS", str(tmp_path))
    assert load_dataset()[0].shape == (428, 64, 64, 3)
    (tmp_path / "animals.h5").unlink()
    with pytest.raises(DatasetError, match=r"(?s)no such file.*COURSE_DATASETS"):
        load_dataset()


# ---------------------------------------------------------------- plain-words errors


def check_error(path, *words):
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    message = str(info.value)
    assert str(path) in message, message
    for word in words:
        assert word in message, message
    err = info.value  # no chained h5py traceback under the message
    assert err.__cause__ is None and err.__context__ is None


def rebuild_command(name: str) -> tuple[str, str]:
    script, package = BUILDERS[name]
    return f"python datasets/{script}", f"apt-get install {package}"


@pytest.mark.parametrize("name", list(BUILDERS))
def test_missing_file(tmp_path, name):
    check_error(tmp_path / name, "no such file", "git checkout", *rebuild_command(name))


def test_missing_file_of_another_name(tmp_path):
    check_error(tmp_path / "mine.h5", "no such file", "fashion10.h5", "check the name")


def test_folder(tmp_path):
    check_error(tmp_path, "folder", ".h5 file")


@pytest.mark.parametrize("name", list(BUILDERS))
def test_text_file_is_not_hdf5(tmp_path, name):
    path = tmp_path / name
    path.write_text("not data\n")
    check_error(path, "not an HDF5 file", *rebuild_command(name))


@pytest.mark.parametrize("offset", [0.3, 0.999])
def test_damaged_file(tmp_path, offset):
    """64 bytes flipped in the pictures (0.3) or in the file's index at its end (0.999, where
    h5py raises KeyError or RuntimeError rather than OSError)."""
    source = DATASETS_DIR / "fashion10.h5"
    damaged = bytearray(source.read_bytes())
    start = int(len(damaged) * offset)
    damaged[start : start + 64] = bytes(byte ^ 0xA5 for byte in damaged[start : start + 64])
    path = tmp_path / "fashion10.h5"
    path.write_bytes(bytes(damaged))
    check_error(path, "corrupt", *rebuild_command("fashion10.h5"))


def test_empty_file(tmp_path):
    path = tmp_path / "animals.h5"
    path.write_bytes(b"")
    check_error(path, "empty")


def test_truncated_file(tmp_path):
    path = tmp_path / "animals.h5"
    path.write_bytes(ANIMALS.read_bytes()[: ANIMALS.stat().st_size // 2])
    check_error(path, "truncated")


def test_missing_key(tmp_path):
    arrays = good_arrays()
    del arrays["test_set_y"]
    check_error(write_h5(tmp_path / "a.h5", arrays), "no test_set_y")


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("train_set_x", np.zeros((6, 8, 8), np.uint8), "must be uint8 (m, px, px, 3)"),
        ("train_set_x", np.zeros((6, 8, 8, 3), np.float32), "must be uint8"),
        ("test_set_x", np.zeros((4, 9, 9, 3), np.uint8), "different sizes"),
        ("train_set_y", np.array([0, 1, 0, 1, 0, 2]), "only 0 and 1 (one label per name"),
        ("train_set_y", np.array([0.0, 1, 0, 1, 0, 1]), "integer labels"),
        ("test_set_y", np.array([0, 1, 1]), "for 4 pictures"),
        ("list_classes", np.array([b"cat"]), "list_classes must be the class names, 2 or more"),
        ("list_classes", np.array(["cat", "dog"], h5py.string_dtype()), "not object (2,)"),
    ],
)
def test_malformed_content(tmp_path, key, value, words):
    arrays = good_arrays()
    arrays[key] = value
    check_error(write_h5(tmp_path / "a.h5", arrays), words)


def test_more_than_two_classes(tmp_path):
    arrays = good_arrays(n_classes=4)
    _, train_y, _, _, classes = load_dataset(write_h5(tmp_path / "a.h5", arrays))
    assert train_y.tolist() == [[0, 1, 2, 3, 0, 1]] and len(classes) == 4
    arrays["test_set_y"] = np.array([0, 1, 4, 3])
    check_error(write_h5(tmp_path / "b.h5", arrays), "test_set_y must hold only 0 to 3", "[4]")


def test_row_labels_are_accepted(tmp_path):
    arrays = good_arrays()
    arrays["train_set_y"] = arrays["train_set_y"].reshape(1, -1)
    _, train_y, _, test_y, _ = load_dataset(write_h5(tmp_path / "a.h5", arrays))
    assert train_y.shape == (1, 6) and test_y.shape == (1, 4)


# ---------------------------------------------------------------- reshaping helpers


def test_flatten_matches_the_single_picture_helper():
    x = good_arrays()["train_set_x"]
    flat = flatten_images(x)
    assert flat.shape == (8 * 8 * 3, 6) and flat.dtype == np.float64
    assert 0 <= flat.min() and flat.max() <= 1
    np.testing.assert_array_equal(flat[:, [2]], image_to_input(x[2]))


def test_downsample_averages_blocks():
    x = np.zeros((2, 4, 4, 3), np.uint8)
    x[0, :2, :2] = 255  # top-left block
    x[1, 0, 0] = 100  # a quarter of a block
    small = downsample_images(x, 2)
    assert small.shape == (2, 2, 2, 3) and small.dtype == np.uint8
    assert small[0, 0, 0].tolist() == [255] * 3 and small[0, 1, 1].tolist() == [0] * 3
    assert small[1, 0, 0].tolist() == [25] * 3
    assert downsample_images(x, 1).tolist() == x.tolist()
    with pytest.raises(ValueError, match="must divide"):
        downsample_images(x, 3)


def test_downsample_real_data_keeps_the_mean():
    train_x = load_dataset()[0][:20]
    small = downsample_images(train_x, 4)
    assert small.shape == (20, 16, 16, 3)
    assert abs(small.mean() - train_x.mean()) < 0.5


# ---------------------------------------------------------------- the committed files are fresh


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", list(BUILDERS))
def test_rebuild_gives_the_committed_bytes(tmp_path, name):
    """Each builder, run again, writes exactly the committed file (when its package is here)."""
    script, package = BUILDERS[name]
    if not PACKAGE_FILES[package].is_dir():
        pytest.skip(f"needs Debian's {package} (apt-get install {package}) to rebuild {name}")
    committed, out = DATASETS_DIR / name, tmp_path / name
    command = [sys.executable, DATASETS_DIR / script, "--out", out]
    subprocess.run(command, check=True, capture_output=True)
    if sha256(out) == sha256(committed):
        return
    with h5py.File(out) as new, h5py.File(committed) as old:
        changed = [k for k in new if not np.array_equal(new[k][()], old.get(k, [None])[()])]
        changed += [f"attrs[{k}]" for k in new.attrs if new.attrs[k] != old.attrs.get(k)]
    pytest.fail(
        f"datasets/{name} is stale (rebuilt file differs in: {changed or 'bytes only'}). Run "
        f"`python datasets/{script}`, check the pictures, and commit the new file and its "
        "sha256 in datasets/README.md."
    )

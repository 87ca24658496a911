"""course_utils.pictures and datasets/hopper.png: the photo's size, range and grayscale, its
plain-words errors, the crop helper, and the byte-exact rebuild."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from course_utils.data import DATASETS_DIR, DatasetError
from course_utils.pictures import as_batch, load_picture, picture_path, random_crop

HOPPER = DATASETS_DIR / "hopper.png"
BUILDER = DATASETS_DIR / "build_hopper.py"


def test_hopper_is_a_150_by_128_rgb_photo_in_0_1():
    picture = load_picture()
    assert picture.shape == (150, 128, 3) and picture.dtype == np.float64
    assert picture.min() >= 0 and picture.max() <= 1
    assert picture.max() - picture.min() > 0.9  # a real photo's contrast, not a blank
    assert np.array_equal(picture * 255, np.asarray(Image.open(HOPPER)).astype(float))
    # a portrait: the face (the middle) is lighter than the dark uniform (the bottom rows)
    assert picture[50:80, 45:85].mean() > picture[-20:, 30:100].mean() + 0.2


def test_grayscale_is_pillows_itu_r_601_luma():
    rgb, gray = load_picture(), load_picture(grayscale=True)
    assert gray.shape == (150, 128) and gray.dtype == np.float64
    luma = rgb @ np.array([0.299, 0.587, 0.114])
    assert np.abs(gray - luma).max() <= 1 / 255 + 1e-12  # Pillow rounds to whole levels
    assert np.array_equal(np.round(gray * 255), gray * 255)


def test_as_batch_is_channels_last_with_one_example():
    rgb, gray = load_picture(), load_picture(grayscale=True)
    assert as_batch(rgb).shape == (1, 150, 128, 3)
    assert np.array_equal(as_batch(rgb)[0], rgb)
    assert as_batch(gray).shape == (1, 150, 128, 1)
    assert np.array_equal(as_batch(gray)[0, :, :, 0], gray)
    with pytest.raises(ValueError, match=r"already a batch"):
        as_batch(as_batch(rgb))


def test_the_png_says_where_it_comes_from_and_its_licence():
    info = Image.open(HOPPER).info
    assert "Public domain" in info["Copyright"] and "US Navy" in info["Copyright"]
    assert "grace_hopper.jpg" in info["Source"] and "128x150" in info["Source"]
    digest = hashlib.sha256(HOPPER.read_bytes()).hexdigest()
    assert f"`hopper.png`: `{digest}`" in (DATASETS_DIR / "README.md").read_text()


def test_random_crop_is_a_seeded_window_of_the_picture():
    picture = load_picture()
    crop = random_crop(picture, 64, seed=3)
    assert crop.shape == (64, 64, 3)
    assert np.array_equal(crop, random_crop(picture, 64, seed=3))
    assert not np.array_equal(crop, random_crop(picture, 64, seed=4))
    places = [(top, left) for top in range(150 - 63) for left in range(128 - 63)
              if np.array_equal(picture[top:top + 64, left:left + 64], crop)]
    assert len(places) == 1
    assert random_crop(load_picture(grayscale=True), (20, 30), seed=0).shape == (20, 30)
    with pytest.raises(ValueError, match="a 200x200 crop does not fit in a 150x128 picture"):
        random_crop(picture, 200)


# ---------------------------------------------------------------- plain-words errors


def check_error(tmp_path, monkeypatch, *words, content: bytes | None = None):
    monkeypatch.setenv("COURSE_DATASETS", str(tmp_path))
    if content is not None:
        (tmp_path / "hopper.png").write_bytes(content)
    with pytest.raises(DatasetError) as info:
        load_picture()
    message = str(info.value)
    for word in (str(tmp_path / "hopper.png"), "git checkout -- datasets/hopper.png",
                 "python datasets/build_hopper.py", *words):
        assert word in message, message
    assert info.value.__cause__ is None and info.value.__context__ is None  # no Pillow traceback


def test_missing_file(tmp_path, monkeypatch):
    check_error(tmp_path, monkeypatch, "no such file", "$COURSE_DATASETS is set")


def test_empty_file(tmp_path, monkeypatch):
    check_error(tmp_path, monkeypatch, "it is empty", content=b"")


def test_text_file(tmp_path, monkeypatch):
    check_error(tmp_path, monkeypatch, "not a PNG picture", content=b"not a picture\n")


@pytest.mark.parametrize("cut", [0.5, 0.95])
def test_truncated_file(tmp_path, monkeypatch, cut):
    data = HOPPER.read_bytes()
    check_error(tmp_path, monkeypatch, "truncated or corrupt", content=data[:int(len(data) * cut)])


def test_damaged_file(tmp_path, monkeypatch):
    data = bytearray(HOPPER.read_bytes())
    data[2000:2064] = bytes(byte ^ 0xA5 for byte in data[2000:2064])
    check_error(tmp_path, monkeypatch, "truncated or corrupt", content=bytes(data))


def test_a_grayscale_file_is_refused(tmp_path, monkeypatch):
    Image.open(HOPPER).convert("L").save(tmp_path / "hopper.png")
    check_error(tmp_path, monkeypatch, "8-bit RGB picture, not Pillow mode L")


def test_a_folder_is_refused(tmp_path, monkeypatch):
    (tmp_path / "hopper.png").mkdir()
    check_error(tmp_path, monkeypatch, "it is a folder")


def test_unknown_name():
    with pytest.raises(DatasetError, match="no course picture 'lena': the course's pictures are "
                                           "'hopper'"):
        picture_path("lena")


# ---------------------------------------------------------------- the committed file is fresh


def test_rebuild_gives_the_committed_bytes(tmp_path):
    """build_hopper.py, run again, writes exactly the committed file (when matplotlib's sample
    photo is installed)."""
    import matplotlib

    source = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
    if not source.is_file():
        pytest.skip(f"needs matplotlib's sample photo {source} to rebuild datasets/hopper.png "
                    "(this matplotlib was installed without its sample data)")
    out = tmp_path / "hopper.png"
    subprocess.run([sys.executable, BUILDER, "--out", out], check=True, capture_output=True)
    if out.read_bytes() == HOPPER.read_bytes():
        return
    new, old = np.asarray(Image.open(out)), np.asarray(Image.open(HOPPER))
    what = "pixels" if new.shape != old.shape or not np.array_equal(new, old) else "bytes only"
    pytest.fail(f"datasets/hopper.png is stale (the rebuilt file differs in: {what}; another "
                "Pillow, libjpeg or zlib changes them). Run `python datasets/build_hopper.py`, "
                "look at the photo, and commit it with its sha256 in datasets/README.md.")

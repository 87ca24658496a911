"""course_utils.images: every picture mode, odd sizes, and a plain-words error for bad files."""

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from course_utils.images import (
    ImageLoadError,
    image_to_input,
    load_image,
    load_image_as_input,
    to_square_rgb,
)

RED = (255, 0, 0)


def save(img: Image.Image, path, **kwargs):
    img.save(path, **kwargs)
    return path


def half_red_half_clear(mode: str) -> Image.Image:
    """40 x 20 picture: left half opaque red-ish, right half transparent (if the mode can)."""
    rgba = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    rgba.paste((255, 0, 0, 255), (0, 0, 20, 20))
    if mode == "P":
        img = rgba.convert("RGB").convert("P")
        img.info["transparency"] = img.getpixel((39, 0))
        return img
    return rgba.convert(mode)


# ---------------------------------------------------------------- modes and values


@pytest.mark.parametrize(
    "mode, left, right",
    [
        ("RGBA", RED, (255, 255, 255)),
        ("P", RED, (255, 255, 255)),  # palette with a transparent index
        ("LA", (76, 76, 76), (255, 255, 255)),  # red as gray: 0.299 * 255
        ("RGB", RED, (0, 0, 0)),
        ("L", (76, 76, 76), (0, 0, 0)),
        ("CMYK", RED, (0, 0, 0)),
    ],
)
def test_every_mode_becomes_rgb_on_white(tmp_path, mode, left, right):
    jpeg = mode == "CMYK"  # PNG cannot hold CMYK
    path = tmp_path / f"pic_{mode}.{'jpg' if jpeg else 'png'}"
    save(half_red_half_clear(mode), path, **({"quality": 100} if jpeg else {}))
    image = load_image(path)
    assert image.shape == (64, 64, 3) and image.dtype == np.uint8
    # 40 x 20 -> 64 x 32, centred: rows 16..47 hold the picture, the rest is white padding
    assert (image[:16] == 255).all() and (image[48:] == 255).all()
    tol = 6 if jpeg else 1
    assert np.abs(image[32, 10].astype(int) - left).max() <= tol
    assert np.abs(image[32, 54].astype(int) - right).max() <= tol


def test_mode_1_black_and_white(tmp_path):
    img = Image.new("1", (8, 8), 1)
    img.paste(0, (0, 0, 4, 8))
    image = load_image(save(img, tmp_path / "bw.png")).astype(int)
    assert (image == image[..., :1]).all()  # gray
    assert image[:, :8].max() < 20 and image[:, 56:].min() > 235  # smooth edge in the middle


def test_16_bit_grayscale_is_scaled_not_clipped(tmp_path):
    arr = np.full((10, 10), 32768, dtype=np.uint16)  # mid gray in 16 bits
    path = save(Image.fromarray(arr), tmp_path / "gray16.png")
    with Image.open(path) as img:
        assert img.mode.startswith("I")  # really read back as a 16-bit picture
    assert (load_image(path) == 128).all()


def test_float_image_in_unit_range():
    img = Image.fromarray(np.full((4, 4), 0.5, dtype=np.float32), "F")
    assert (np.asarray(to_square_rgb(img, 8)) == 128).all()


def test_transparent_pixels_become_white(tmp_path):
    path = save(Image.new("RGBA", (30, 30), (12, 200, 40, 0)), tmp_path / "clear.png")
    assert (load_image(path) == 255).all()


def test_pure_red_gives_exact_input_column(tmp_path):
    image, x = load_image_as_input(save(Image.new("RGB", (64, 64), RED), tmp_path / "red.png"))
    assert image.shape == (64, 64, 3) and image.dtype == np.uint8
    assert x.shape == (64 * 64 * 3, 1) and x.dtype == np.float64
    assert (x[0::3] == 1.0).all() and (x[1::3] == 0.0).all() and (x[2::3] == 0.0).all()


def test_input_is_flattened_like_the_training_data(tmp_path):
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    expected = image[None].reshape(1, -1).T / 255.0  # how the course flattens train_set_x
    np.testing.assert_array_equal(image_to_input(image), expected)
    with pytest.raises(ValueError, match="height, width, 3"):
        image_to_input(image[..., 0])


def test_num_px_and_one_pixel_image_is_upscaled(tmp_path):
    path = save(Image.new("RGB", (1, 1), RED), tmp_path / "dot.png")
    assert (load_image(path) == RED).all()  # fills the whole square
    assert load_image(path, num_px=16).shape == (16, 16, 3)


def _resized_pixels(monkeypatch) -> list[int]:
    """Records the pixel count of every image that is resampled (the costly step of a load)."""
    sizes, resize = [], Image.Image.resize

    def spy(self, *args, **kwargs):
        sizes.append(self.width * self.height)
        return resize(self, *args, **kwargs)
    monkeypatch.setattr(Image.Image, "resize", spy)
    return sizes


def test_very_wide_image_is_box_reduced_before_it_is_resampled(tmp_path, monkeypatch):
    img = Image.new("RGB", (10_000, 20), RED)
    for path in (save(img, tmp_path / "wide.png"), save(img, tmp_path / "wide.jpg")):
        sizes = _resized_pixels(monkeypatch)
        image = load_image(path)
        assert sizes and max(sizes) <= 10_000 * 20 // 4, "resampled at (nearly) full size"
        assert np.flatnonzero((image != 255).any(axis=(1, 2))).tolist() == [31]  # a 64 x 1 line
        assert image[31, 32, 0] > 200 and image[31, 32, 1] < 80


def test_large_jpeg_is_decoded_at_reduced_size(tmp_path, monkeypatch):
    import course_utils.images as images

    path = save(Image.new("RGB", (4000, 3000), (0, 0, 255)), tmp_path / "photo.jpg")
    decoded, fitted = [], images._fit_square

    def spy(img, size=64):
        decoded.append(img.size)
        return fitted(img, size)
    monkeypatch.setattr(images, "_fit_square", spy)
    image = load_image(path)
    assert decoded and decoded[0][0] * decoded[0][1] <= 4000 * 3000 // 16, decoded
    assert image[32, 32, 2] > 245 and image[32, 32, 0] < 10 and (image[:7] == 255).all()


def test_exif_orientation_is_applied(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 90 degrees clockwise to display
    path = save(Image.new("RGB", (40, 20), RED), tmp_path / "phone.jpg", exif=exif, quality=100)
    image = load_image(path)
    assert (image[:, :16] == 255).all() and (image[:, 48:] == 255).all()  # now portrait
    assert image[32, 32, 0] > 245


def test_to_square_rgb_accepts_pillow_images_directly():
    out = to_square_rgb(Image.new("LA", (10, 5), (0, 255)), size=20)
    assert out.mode == "RGB" and out.size == (20, 20)
    with pytest.raises(ImageLoadError, match="zero size"):
        to_square_rgb(Image.new("RGB", (0, 5)))


# ---------------------------------------------------------------- plain-words errors


def png_bytes(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def check_error(path, *words):
    with pytest.raises(ImageLoadError) as info:
        load_image(path)
    message = str(info.value)
    assert str(path) in message, message
    for word in words:
        assert word in message, message
    err = info.value  # no chained pillow traceback under the message
    assert err.__cause__ is None and (err.__context__ is None or err.__suppress_context__)
    assert "Traceback" not in message and len(message) < 400


def test_missing_file(tmp_path):
    check_error(tmp_path / "my_cat.jpg", "no such file", "Check the file name")


def test_directory(tmp_path):
    check_error(tmp_path, "folder", "image file inside")


def test_text_file(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("this is not a picture\n")
    check_error(path, "not a picture", "PNG or JPEG")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    check_error(path, "empty (0 bytes)")


def test_truncated_png(tmp_path):
    full = tmp_path / "full.png"
    rng = np.random.default_rng(1)
    Image.fromarray(rng.integers(0, 256, (50, 50, 3), dtype=np.uint8)).save(full)
    path = tmp_path / "cut.png"
    path.write_bytes(full.read_bytes()[:2000])
    check_error(path, "truncated or corrupt", "save it again")


def test_corrupt_png_data(tmp_path):
    data = bytearray(png_bytes(8, 8))
    data[20:24] = b"\xff\xff\xff\xff"  # breaks the header checksum
    path = tmp_path / "broken.png"
    path.write_bytes(bytes(data))
    check_error(path, "corrupt")


def test_zero_size_png(tmp_path):
    path = tmp_path / "zero.png"
    path.write_bytes(png_bytes(0, 5))
    check_error(path, "zero size (0 x 5 px)")


def test_decompression_bomb(tmp_path, monkeypatch):
    path = save(Image.new("RGB", (100, 100)), tmp_path / "huge.png")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    check_error(path, "too large (10,000 pixels)", "limit of 2,000 pixels", "Resize it")


# ---------------------------------------------------------------- grayscale (Fashion-MNIST)


def test_grayscale_inverts_a_light_background(tmp_path):
    """A dark 10 x 10 square on white, 40 x 20: gray, inverted, the padding black."""
    img = Image.new("RGB", (40, 20), (255, 255, 255))
    img.paste((0, 0, 0), (15, 5, 25, 15))
    image = load_image(save(img, tmp_path / "on_white.png"), num_px=28, grayscale=True)
    assert image.shape == (28, 28, 1) and image.dtype == np.uint8
    # 40 x 20 -> 28 x 14, centred: rows 7..20 hold the picture; the square is rows 10..16
    assert (image[:7] == 0).all() and (image[21:] == 0).all()  # padding: white -> black
    assert image[8, 2, 0] == 0  # the white background -> black
    assert image[13, 14, 0] == 255  # the black square -> white


def test_grayscale_transparent_background_becomes_black(tmp_path):
    """A clip-art drawing: red on transparent -> luma 76 inverted to 179, on black."""
    path = save(half_red_half_clear("RGBA"), tmp_path / "clip.png")
    image = load_image(path, num_px=28, grayscale=True)
    assert image.shape == (28, 28, 1)
    assert image[14, 4, 0] == 255 - 76  # red: 0.299 * 255 = 76, inverted
    assert image[14, 24, 0] == 0  # transparent -> white -> black
    assert (image[:7] == 0).all() and (image[21:] == 0).all()


def test_grayscale_keeps_a_dark_background_and_blacks_the_padding(tmp_path):
    """Already light on dark (like Fashion-MNIST): kept, and the white padding set to 0."""
    img = Image.new("L", (40, 20), 10)
    img.paste(200, (15, 5, 25, 15))
    image = load_image(save(img, tmp_path / "on_black.png"), num_px=28, grayscale=True)
    assert (image[:7] == 0).all() and (image[21:] == 0).all()  # padding black, not white
    assert image[8, 2, 0] == 10  # the dark background kept
    assert image[13, 14, 0] == 200  # the light square kept


def test_grayscale_colour_is_luma(tmp_path):
    """A colour picture becomes one channel with Pillow's ITU-R 601 luma (then inverted)."""
    img = Image.new("RGB", (28, 28), (255, 255, 255))
    img.paste((0, 0, 255), (8, 8, 20, 20))  # blue: 0.114 * 255 = 29
    image = load_image(save(img, tmp_path / "blue.png"), num_px=28, grayscale=True)
    assert image[14, 14, 0] == 255 - 29 and image[0, 0, 0] == 0


def test_grayscale_input_column_matches_the_fashion_data(tmp_path):
    img = Image.new("RGB", (28, 28), (255, 255, 255))
    img.paste((0, 0, 0), (0, 0, 14, 28))
    image, x = load_image_as_input(save(img, tmp_path / "half.png"), num_px=28, grayscale=True)
    assert image.shape == (28, 28, 1) and x.shape == (784, 1)
    np.testing.assert_array_equal(x, image[None].reshape(1, -1).T / 255.0)
    assert x[0, 0] == 1.0 and x[27, 0] == 0.0  # row 0: left half white (was black), right black
    np.testing.assert_array_equal(image_to_input(image), x)


def test_grayscale_errors_stay_in_plain_words(tmp_path):
    with pytest.raises(ImageLoadError, match="no such file"):
        load_image(tmp_path / "missing.png", num_px=28, grayscale=True)

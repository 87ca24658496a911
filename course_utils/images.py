"""Image preprocessing shared by the dataset build and by learners' own pictures.

Every picture goes through the same steps as the course data: any mode -> RGBA, EXIF
orientation applied, scaled to fit a square (aspect ratio kept), centred on white, RGB.

With `grayscale=True` the picture is made to look like Fashion-MNIST (fashion_shirts.h5): one
channel (ITU-R 601 luma, Pillow's "L"), and a light object on black: a picture whose background
is light (a shirt photographed on a white sheet, a drawing with a transparent background) is
inverted; one whose background is already dark is kept, with its padding black.
"""

import re
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

__all__ = [
    "ImageLoadError",
    "image_to_input",
    "load_image",
    "light_on_black",
    "load_image_as_input",
    "to_square_rgb",
]


class ImageLoadError(ValueError):
    """A picture could not be loaded; the message names the file and the fix."""


_REDUCING_GAP = 3  # box-reduce first when shrinking by more than 3x the output size
_STRIP_PIXELS = 1 << 22  # huge pictures are reduced in strips of about 4 Mpx


def _to_8bit(img: Image.Image) -> Image.Image:
    """Scale 16-bit and 32-bit integer / float pictures to an 8-bit grayscale ("L") picture."""
    if not (img.mode.startswith("I") or img.mode == "F"):
        return img
    arr = np.asarray(img).astype(np.float64)
    if img.mode == "F" and arr.size and arr.min() >= 0 and arr.max() <= 1:
        arr = arr * 255.0  # float picture in [0, 1]
    elif img.mode.startswith("I;16") or (arr.size and arr.max() > 255):
        arr = arr / 257.0  # 16-bit values
    return Image.fromarray(np.round(np.clip(arr, 0, 255)).astype(np.uint8), "L")


def _premultiplied(img: Image.Image) -> Image.Image:
    """Any 8-bit mode -> RGBa (colour premultiplied by alpha; palette transparency kept)."""
    if img.mode not in ("RGBA", "RGBa"):
        try:
            img = img.convert("RGBA")
        except ValueError:  # e.g. LAB, HSV
            img = img.convert("RGB").convert("RGBA")
    return img.convert("RGBa")


def _reduced(img: Image.Image, factor: int) -> Image.Image:
    """RGBa copy of `img` box-averaged by `factor`, built strip by strip to spare memory."""
    rows = max(factor, _STRIP_PIXELS // img.width // factor * factor)
    if img.height <= rows:
        small = _premultiplied(img)
        return small.reduce(factor) if factor > 1 else small
    out = Image.new("RGBa", (-(-img.width // factor), -(-img.height // factor)))
    for top in range(0, img.height, rows):
        strip = img.crop((0, top, img.width, min(img.height, top + rows)))
        out.paste(_premultiplied(strip).reduce(factor), (0, top // factor))
    return out


def to_square_rgb(img: Image.Image, size: int = 64) -> Image.Image:
    """Return `img` as an RGB `size` x `size` picture: fitted, centred on white.

    Any mode is accepted; EXIF orientation is applied; the longer side is scaled (down or up,
    LANCZOS, in premultiplied alpha) to `size`; transparent parts become white.
    """
    return _fit_square(img, size)[0]


def _fit_square(img: Image.Image, size: int) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """`to_square_rgb` and the box (top, left, height, width) the picture fills in it."""
    if img.width == 0 or img.height == 0:
        raise ImageLoadError(f"the image has zero size ({img.width} x {img.height} px)")
    if img.getexif().get(ExifTags.Base.Orientation, 1) != 1:
        img = ImageOps.exif_transpose(img)
    img = _to_8bit(img)
    w, h = img.size
    scale = size / max(w, h)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    small = _reduced(img, max(1, min(w // new_w, h // new_h) // _REDUCING_GAP))
    if small.size != (new_w, new_h):
        small = small.resize((new_w, new_h), Image.Resampling.LANCZOS)
    rgba = np.asarray(small, dtype=np.int16)
    over_white = rgba[..., :3] + (255 - rgba[..., 3:])  # premultiplied colour over white
    out = np.full((size, size, 3), 255, dtype=np.uint8)
    top, left = (size - new_h) // 2, (size - new_w) // 2
    out[top : top + new_h, left : left + new_w] = np.clip(over_white, 0, 255)
    return Image.fromarray(out, "RGB"), (top, left, new_h, new_w)


def light_on_black(square: Image.Image, box: tuple[int, int, int, int]) -> np.ndarray:
    """Gray (size, size, 1) uint8 version of a fitted RGB picture, a light object on black.

    The picture's background is read on the edge of `box` (the part the picture fills): if the
    median edge pixel is light (> 127), every pixel v becomes 255 - v (the white padding becomes
    black); otherwise the picture is kept and the padding around it set to black.
    """
    gray = np.asarray(square.convert("L"), dtype=np.uint8).copy()
    top, left, h, w = box
    inner = gray[top : top + h, left : left + w]
    edge = np.concatenate([inner[0], inner[-1], inner[:, 0], inner[:, -1]])
    if np.median(edge) > 127:
        gray = 255 - gray
    else:
        padded = np.ones(gray.shape, dtype=bool)
        padded[top : top + h, left : left + w] = False
        gray[padded] = 0
    return gray[..., None]


def _bomb_message(path: Path, err: Exception) -> str:
    numbers = [int(n) for n in re.findall(r"\d+", str(err))]
    size = f" ({numbers[0]:,} pixels)" if numbers else ""
    limit = f" of {numbers[1]:,} pixels" if len(numbers) > 1 else ""
    return (
        f"Could not load '{path}': the picture is too large{size} for Pillow's safety "
        f"limit{limit} (protection against decompression bombs). Resize it to at most a few "
        "thousand pixels per side in an image editor, save it, and load it again."
    )


def _why_unreadable(path: Path) -> str:
    """Plain-words reason for a file Pillow cannot identify (Pillow rejects zero-size images)."""
    with path.open("rb") as f:
        head = f.read(24)
    if not head:
        return "it is empty (0 bytes)"
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) == 24:
        width, height = struct.unpack(">II", head[16:])
        if width == 0 or height == 0:
            return f"the image has zero size ({width} x {height} px)"
        return "it starts like a PNG picture but its header is corrupt"
    return "it is not a picture that Pillow can read"


def load_image(path, num_px: int = 64, grayscale: bool = False) -> np.ndarray:
    """Load a picture file as a uint8 array of shape (num_px, num_px, 3).

    `grayscale=True` (for fashion_shirts.h5, e.g. `load_image(path, 28, grayscale=True)`):
    shape (num_px, num_px, 1), a light object on black like Fashion-MNIST (see
    `light_on_black`).
    """
    path = Path(path)
    where = f" (paths are relative to {Path.cwd()})" if not path.is_absolute() else ""
    if not path.exists():
        raise ImageLoadError(
            f"Could not load '{path}': there is no such file{where}. Check the file name and "
            "its folder; upload the picture next to the notebook if it is missing."
        )
    if path.is_dir():
        raise ImageLoadError(
            f"Could not load '{path}': it is a folder, not a picture. Give the path of an image "
            "file inside it, e.g. 'images/my_cat.jpg'."
        )
    fix = "Use a PNG or JPEG picture (open it in an image editor and save it again)."
    try:
        with Image.open(path) as img:
            img.draft("RGB", (num_px, num_px))  # JPEG: decode at reduced size, fast for huge files
            square, box = _fit_square(img, num_px)
    except Image.DecompressionBombError as err:
        raise ImageLoadError(_bomb_message(path, err)) from None
    except PermissionError:
        raise ImageLoadError(
            f"Could not load '{path}': permission denied. Copy the picture somewhere you can "
            "read it, or fix its permissions."
        ) from None
    except UnidentifiedImageError:
        raise ImageLoadError(f"Could not load '{path}': {_why_unreadable(path)}. {fix}") from None
    except ImageLoadError as err:
        raise ImageLoadError(f"Could not load '{path}': {err}. {fix}") from None
    except (OSError, SyntaxError, ValueError, EOFError, zlib.error) as err:
        raise ImageLoadError(
            f"Could not load '{path}': the file looks truncated or corrupt ({err}). {fix}"
        ) from None
    if grayscale:
        return light_on_black(square, box)
    return np.asarray(square, dtype=np.uint8)


def image_to_input(image: np.ndarray) -> np.ndarray:
    """Flatten an (h, w, 3) or (h, w, 1) uint8 picture to a (h*w*c, 1) float64 column in [0, 1].

    Same order as the training data: `image.reshape(1, -1).T / 255.`
    """
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] not in (1, 3):
        raise ValueError(
            "expected a picture of shape (height, width, 3), or (height, width, 1) for a gray "
            f"one, got {image.shape}"
        )
    return image.reshape(1, -1).T / 255.0


def load_image_as_input(
    path, num_px: int = 64, grayscale: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Load a picture; return `(image, x)`: the uint8 picture and its (num_px**2 * 3, 1) column.

    `grayscale=True`: a (num_px, num_px, 1) light-on-black picture and its (num_px**2, 1) column.
    """
    image = load_image(path, num_px, grayscale=grayscale)
    return image, image_to_input(image)

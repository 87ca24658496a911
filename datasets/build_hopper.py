"""Rebuild datasets/hopper.png, week 5's real photo, from matplotlib's sample data.

    python datasets/build_hopper.py [--source FILE.jpg] [--out FILE.png]

The source is `mpl-data/sample_data/grace_hopper.jpg`, which matplotlib installs (Commodore
Grace Hopper, a US Navy photo: public domain as a work of the US federal government). It is
converted to RGB, resized with Pillow's LANCZOS filter to WIDTH pixels wide (aspect ratio
kept: 512x600 -> 128x150) and written as a PNG with fixed settings and fixed text chunks (no
timestamp). Nothing in the conversion is random, so the output is byte-identical on every run
with the same source file, Pillow and zlib.
"""

import argparse
import hashlib
from pathlib import Path

import matplotlib
from PIL import Image, PngImagePlugin

HERE = Path(__file__).resolve().parent
SOURCE = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
WIDTH = 128
TEXT = {
    "Title": "Commodore Grace M. Hopper, US Navy",
    "Source": "matplotlib's mpl-data/sample_data/grace_hopper.jpg (its JPEG comment names "
              "Wikimedia Commons' File:Grace_Hopper.jpg), resized to {w}x{h} with Pillow's "
              "LANCZOS filter by datasets/build_hopper.py; source sha256 {digest}",
    "Copyright": "Public domain: a US Navy photo, a work of the US federal government",
}


def build(source: Path) -> Image.Image:
    """The source photo as RGB, WIDTH pixels wide, its height rounded to keep the aspect ratio."""
    with Image.open(source) as img:
        img = img.convert("RGB")
        height = round(img.height * WIDTH / img.width)
        return img.resize((WIDTH, height), Image.Resampling.LANCZOS)


def write_png(img: Image.Image, out: Path, digest: str) -> None:
    """Write `img` with fixed settings and text chunks, next to `out` first, then renamed."""
    info = PngImagePlugin.PngInfo()
    for key, text in TEXT.items():
        info.add_text(key, text.format(w=img.width, h=img.height, digest=digest))
    tmp = out.with_name(out.name + ".tmp")
    img.save(tmp, format="PNG", pnginfo=info, compress_level=9, optimize=False)
    tmp.replace(out)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=HERE / "hopper.png")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        raise SystemExit(f"{args.source} not found: it comes with matplotlib (reinstall "
                         "matplotlib, or give the photo with --source)")
    digest = hashlib.sha256(args.source.read_bytes()).hexdigest()
    img = build(args.source)
    write_png(img, args.out, digest)
    written = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"wrote {args.out} ({img.width}x{img.height} RGB, {args.out.stat().st_size:,} bytes, "
          f"sha256 {written})")


if __name__ == "__main__":
    main()

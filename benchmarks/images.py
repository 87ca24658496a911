"""Loading a learner's own picture: a huge file loads in milliseconds, not seconds.

Ratios against a 64x64 PNG measured in the same run, so a busy machine skews them less.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image

from course_utils.images import load_image

from .common import Row, call_times, progress, seconds

PICTURES = {  # name: (size, colour, file)
    "64x64 PNG (reference)": ((64, 64), (255, 0, 0), "small.png"),
    "10000x20 PNG": ((10_000, 20), (255, 0, 0), "wide.png"),
    "10000x20 JPEG": ((10_000, 20), (255, 0, 0), "wide.jpg"),
    "4000x3000 JPEG photo": ((4000, 3000), (0, 0, 255), "photo.jpg"),
}


def run(repeat: int) -> list[Row]:
    progress("images: loading pictures")
    rows, reference = [], None
    with tempfile.TemporaryDirectory() as tmp:
        for name, (size, colour, file) in PICTURES.items():
            path = Path(tmp) / file
            Image.new("RGB", size, colour).save(path)
            median = sorted(call_times(lambda p=path: load_image(p), repeat))[repeat // 2]
            reference = reference or median
            rows.append(Row(f"images: load_image of a {name}", seconds(median),
                            details=f"{median / reference:.1f}x the 64x64 PNG"))
    return rows

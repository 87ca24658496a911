"""Rebuild datasets/animals.h5, the "animal vs non-animal" pictures, from Debian's openclipart-png.

    apt-get install openclipart-png
    python datasets/build_animals.py [--source /usr/share/openclipart/png] [--out FILE.h5]

Rules (see datasets/README.md): positives are the drawings under animals/ minus EXCLUDED_ANIMALS;
negatives come from NEGATIVE_CATEGORIES, picked by a seeded shuffle, round-robin over the
categories, until there are as many negatives as positives. Symlinks are resolved to real files,
and every picture is preprocessed with course_utils.images (64x64 RGB on white) and de-duplicated
by the hash of those pixels, so no picture appears twice and no animal is a negative.
Split: a fixed, stratified 80/20 train/test split. The output is byte-identical on every run.
"""

import argparse
import hashlib
import sys
import warnings
from pathlib import Path

import h5py
import numpy as np
from PIL import Image
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain clone too
from course_utils.images import ImageLoadError, load_image  # noqa: E402 (load_image -> to_square_rgb)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from debian import package_version  # noqa: E402

NUM_PX = 64
SEED = 1
TEST_FRACTION = 0.2
MIN_INK = 0.01  # drop near-blank pictures: under 1% of pixels visibly differ from white
PACKAGE = "openclipart-png"
CLASSES = np.array([b"non-animal", b"animal"])
NEGATIVE_CATEGORIES = [
    "buildings", "containers", "education", "electronics", "food",
    "office", "people", "plants", "tools", "transportation",
]  # fmt: skip

# Files under animals/ that are not animals (checked by eye on a contact sheet of all 286).
EXCLUDED_ANIMALS = {
    "lucchetto_grigio_archite_01.png",  # a padlock
    "lucchetto_ottone_archite_01.png",  # a padlock
    "cymru_flag_wales_michae_.png",  # the flag of Wales
    "tatoo_tatuaggio_tatuagg_01.png",  # a tattoo pattern
    "kallisti-grenade_1_nurbl_01.png",  # a hand grenade
    "three_eyes_01.png",  # three eyeballs
    "tante_orme_sulla_neve_ar_01.png",  # footprints in the snow
    "cat_scrathing_post_benji_01.png",  # a scratching post, no cat
    "turkey_on_platter_01.png",  # a roast on a plate (food)
    "duck_yellow_ii_kurt_cagl_.png",  # renders as a "Linked Image Not Found" box
    "tux_didier_fabert_01.png",  # renders as a "Linked Image Not Found" box
    "troll_daniel_steele_r.png",  # a humanoid troll
    "mermaid_kurt_cagle_.png",  # a mermaid (human body)
}
# Files (or name prefixes) in the negative categories that show animals or placeholders.
EXCLUDED_NEGATIVES = (
    "cattle.png",  # road sign with a cow
    "horse.png",  # road sign with a horse
    "aiga_no_dogs_.png",  # "no dogs" sign
    "aiga_no_dogs1.png",  # "no dogs" sign
    "unit_blocks_lion_kimbro_01.png",  # toy blocks with a lion
    "stylized_yoga_person_ger_",  # all six show a "Linked Image Not Found" box
)


def real_files(folder: Path, root: Path) -> list[Path]:
    """Distinct real PNG files reachable under `folder` (symlinks resolved), sorted by path."""
    return sorted({p.resolve() for p in folder.rglob("*.png")}, key=lambda p: _rel(p, root))


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


class Collector:
    """Preprocesses pictures; keeps those that are readable, not blank and not seen before."""

    def __init__(self, root: Path):
        self.root, self.seen, self.skipped = root, set(), []
        self.duplicates = self.blank = 0

    def add(self, path: Path, keep: bool = True):
        """Return the (64, 64, 3) picture, or None if unreadable, near-blank or already seen."""
        try:
            image = load_image(path, NUM_PX)
        except ImageLoadError as err:
            self.skipped.append(str(err).split(". ")[0])
            return None
        digest = hashlib.sha256(image.tobytes()).digest()
        if digest in self.seen:
            self.duplicates += 1
            return None
        self.seen.add(digest)
        if (np.abs(image.astype(np.int16) - 255).max(axis=2) > 32).mean() < MIN_INK:
            self.blank += 1
            return None
        return image if keep else None


def collect(root: Path):
    """Return (positives, negatives) as lists of (relative path, picture)."""
    collector = Collector(root)
    positives = []
    animals = real_files(root / "animals", root)
    for path in tqdm(animals, desc="animals", unit="img"):
        image = collector.add(path, keep=path.name not in EXCLUDED_ANIMALS)
        if image is not None:  # excluded ones are hashed too: never used as negatives
            positives.append((_rel(path, root), image))

    rng = np.random.default_rng(SEED)
    queues = []
    for category in NEGATIVE_CATEGORIES:
        files = [  # only files that really live in this category (not symlinks to animals/)
            p
            for p in real_files(root / category, root)
            if _rel(p, root).split("/")[0] == category and not p.name.startswith(EXCLUDED_NEGATIVES)
        ]
        queues.append([files[i] for i in rng.permutation(len(files))])
    negatives = []
    with tqdm(total=len(positives), desc="non-animals", unit="img") as bar:
        for rank in range(max(map(len, queues))):
            for queue in queues:
                if rank < len(queue) and len(negatives) < len(positives):
                    image = collector.add(queue[rank])
                    if image is not None:
                        negatives.append((_rel(queue[rank], root), image))
                        bar.update()
    print(f"dropped {collector.duplicates} duplicate and {collector.blank} near-blank pictures")
    if collector.skipped:
        print(f"skipped {len(collector.skipped)} file(s) Pillow cannot open:")
        print("\n".join(f"  {line}" for line in collector.skipped))
    if len(negatives) < len(positives):
        raise SystemExit(f"only {len(negatives)} negatives for {len(positives)} positives")
    return positives, negatives


def split(positives, negatives):
    """Stratified split with a fixed seed; returns {"train": (x, y, files), "test": ...}."""
    rng = np.random.default_rng(SEED + 1)
    parts = {"train": [], "test": []}
    for label, items in ((1, positives), (0, negatives)):
        order = rng.permutation(len(items))
        n_test = round(TEST_FRACTION * len(items))
        for rank, i in enumerate(order):
            parts["test" if rank < n_test else "train"].append((label, *items[i]))
    out = {}
    for name, rows in parts.items():
        rows = [rows[i] for i in rng.permutation(len(rows))]  # mix the classes
        x = np.stack([image for _, _, image in rows]).astype(np.uint8)
        y = np.array([label for label, _, _ in rows], dtype=np.int64)
        files = np.array([f.encode() for _, f, _ in rows])
        out[name] = (x, y, files)
    return out


def write_h5(parts, out: Path, version: str) -> None:
    """Write a gzip-compressed HDF5 file with no timestamps, so reruns give the same bytes."""
    tmp = out.with_name(out.name + ".tmp")
    opts = {"compression": "gzip", "compression_opts": 9, "track_times": False}
    with h5py.File(tmp, "w") as f:
        for name, (x, y, files) in parts.items():
            f.create_dataset(f"{name}_set_x", data=x, chunks=(16, NUM_PX, NUM_PX, 3), **opts)
            f.create_dataset(f"{name}_set_y", data=y, **opts)
            f.create_dataset(f"{name}_set_files", data=files, **opts)
        f.create_dataset("list_classes", data=CLASSES, track_times=False)
        f.attrs["title"] = "animal vs non-animal drawings, 64x64 RGB on white (label 1 = animal)"
        f.attrs["source"] = f"Debian package {PACKAGE} {version}"
        f.attrs["licence"] = (
            "public domain dedication (Open Clip Art Library); the author is named in each "
            "original file name, listed in train_set_files / test_set_files"
        )
        f.attrs["built_by"] = "datasets/build_animals.py (see datasets/README.md)"
    tmp.replace(out)


def main(argv=None) -> None:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=Path("/usr/share/openclipart/png"))
    parser.add_argument("--out", type=Path, default=here / "animals.h5")
    args = parser.parse_args(argv)
    if not (args.source / "animals").is_dir():
        raise SystemExit(f"{args.source}/animals not found: apt-get install {PACKAGE}")
    warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # a few legal 168 Mpx files
    root = args.source.resolve()
    positives, negatives = collect(root)
    parts = split(positives, negatives)
    write_h5(parts, args.out, package_version(PACKAGE))
    for name, (_, y, _) in parts.items():
        print(f"{name}: {len(y)} pictures ({int(y.sum())} animal, {int((y == 0).sum())} other)")
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, sha256 {digest})")


if __name__ == "__main__":
    main()

"""Measure candidate binary picture tasks for weeks 1 and 3, with one protocol fixed in advance.

    apt-get install dataset-fashion-mnist openclipart-png
    OPENBLAS_NUM_THREADS=1 python datasets/measure_candidates.py [--only TEXT] [--json FILE]

For every candidate data set it trains week 1's logistic regression (`model`), week 3's
`two_layer_model` (7 hidden relu units) and `L_layer_model` with layers [n_x, 20, 7, 5, 1]
(relu, init_scale="xavier"), the course's own reference solutions, and prints a markdown row:
train / test accuracy of each, the standard error of the test accuracies, the 4-layer's gain
over logistic regression, the learning rates chosen and the seconds each full training took.
The table in datasets/README.md is this script's output.

The protocol (fixed, with every split, before anything was trained; never changed after):

- Splits are drawn once, seeded, stratified and balanced (SPLIT_SEED below), and never
  re-drawn. Fashion-MNIST: training pictures from the package's 60,000 training pictures, the
  first n/2 of a seeded permutation of each class (so the 1,000-picture set is part of the
  2,000-picture one); test pictures: all 1,000 + 1,000 test pictures of the two classes in the
  package's separate test file (for "X vs rest": 1,000 X and 1,000 others taken round-robin over
  the nine other classes). Openclipart pairs: distinct pictures (pixel hash), near-blank ones
  dropped, the larger class cut to the size of the smaller by a seeded shuffle, 30% of each
  class to test. The animal drawings: datasets/animals.h5 as committed (its own 80/20 split).
- Every model runs ITERATIONS = 2000 full-batch gradient-descent iterations on
  X = pictures.reshape(m, -1).T / 255 (thumbnails are course_utils.data.downsample_images of
  the stored pictures, as the notebooks make them).
- The learning rate of each model on each candidate is chosen on the TRAINING cost only: each
  value of LR_GRID is run for 201 iterations and the one with the lowest training cost at
  iteration 200 is taken (ties: the smaller). If the full run with it is unstable (a recorded
  cost is not finite, rises by more than 0.05 between two records taken every 100 iterations,
  or ends above the first record), the next smaller value is used instead. The test set is
  never looked at until the model is final.
- Test accuracy p on n_test pictures has standard error SE = sqrt(p (1 - p) / n_test). "Depth
  helps" on a candidate means: the 4-layer test accuracy beats logistic regression's by more
  than 2 SE (the larger of the two SEs) AND by more than 2 paired SEs (the standard error of the
  mean per-picture difference of the two models' correctness on the same test pictures).
- Time budget: a notebook trains each model in a few seconds on one core. A candidate is
  within budget when the 4-layer's work, n_x * m_train * ITERATIONS, is at most that of week 3's
  4-layer run on the animal thumbnails before this measurement (768 * 428 * 3000, about 4 s on
  one core). Seconds are measured with OPENBLAS_NUM_THREADS=1 (set by this script) on a shared
  machine, so they are indicative; the work count is exact.
- Week 3's pick: among candidates within budget where depth helps, the one with the largest
  gain in units of SE. Networks are not trained on 64x64 RGB pictures (12,288 inputs): about
  35 ms per 4-layer iteration, 70 s per model, far over budget; logistic regression is.

Confirmation (`--confirm`; added after the first table was seen, and committed before it was
run). About 30 candidates were measured, so one of them may pass 2 SE by luck alone (about a
2% chance each). `--confirm` re-runs the Fashion-MNIST candidates within budget (the same
splits, protocol and models, so the same numbers) and also scores every model on a
CONFIRMATION set that played no part in the choice: 2,000 + 2,000 pictures from the package's
training file that no training set uses (positions CONFIRM_FROM.. of each class's seeded
order; training sets use positions below 1,000). For each candidate where depth helps on the
test set, the 4-layer network is also trained from CONFIRM_SEEDS other random initializations
(xavier, numpy.random.default_rng(seed)) at the learning rate the protocol chose, to show how
much of the gain depends on the one initialization.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import struct
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core, as the budget assumes (before numpy is imported)

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))  # run from a plain clone too

FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
OPENCLIPART_DIR = Path("/usr/share/openclipart/png")
FASHION_CLASSES = (
    "T-shirt/top", "trouser", "pullover", "dress", "coat",
    "sandal", "shirt", "sneaker", "bag", "ankle boot",
)  # fmt: skip
SPLIT_SEED = 10
TEST_FRACTION = 0.3  # openclipart pairs
ITERATIONS = 2000
SELECT_ITERATIONS = 201
LR_GRID = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
RISE = 0.05
LAYERS = (20, 7, 5)  # hidden units of the 4-layer network
HIDDEN_2 = 7  # hidden units of the 2-layer network
BUDGET = 768 * 428 * 3000  # n_x * m * iterations of week 3's 4-layer run on the animals
MAX_NETWORK_INPUTS = 4000  # no networks on 64x64x3 pictures (far over budget)
CONFIRM_FROM = 4000  # confirmation pictures: positions 4000.. of each class's training order
CONFIRM_PER_CLASS = 2000
CONFIRM_SEEDS = (1, 2, 3, 4)

# The candidates, fixed before anything was measured: (name, source, spec, sizes, train sizes).
# Fashion-MNIST: label 1 = the first class, 0 = the second ("rest" = the nine other classes).
FASHION_PAIRS = [(6, 0), (2, 4), (7, 9), (6, 2), (6, 4), (5, 7), (0, 3), (6, "rest")]
FASHION_SIZES = [  # (px, training pictures)
    (14, 1000), (14, 2000), (7, 2000), (28, 1000),
]  # fmt: skip
FASHION_LR_ONLY = [(28, 2000)]  # week 1's view: full resolution, logistic regression only
OPENCLIPART_PAIRS = [  # (label-1 folder, label-0 folder), each only its own real files
    ("people", "food"),
    ("signs_and_symbols/flags", "computer/icons"),
]
OPENCLIPART_SIZES = [16, 32, 64]


# ---------------------------------------------------------------- Fashion-MNIST


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (gzipped) as a uint8 array: (n,) labels or (n, rows, cols) pictures."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 2049:
        return np.frombuffer(data, np.uint8, count, offset=8).copy()
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, count * rows * cols, 16).reshape(count, rows, cols)
    raise ValueError(f"{path}: not an IDX file of uint8 labels or pictures (magic {magic})")


def load_fashion(source: Path = FASHION_DIR) -> dict:
    """{"train": (pictures, labels), "test": (...)} from the package's four files."""
    out = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        x = read_idx(source / f"{prefix}-images-idx3-ubyte.gz")
        y = read_idx(source / f"{prefix}-labels-idx1-ubyte.gz")
        if x.shape[1:] != (28, 28) or len(x) != len(y):
            raise ValueError(f"{source}: unexpected {prefix} shapes {x.shape} {y.shape}")
        out[split] = (x, y)
    return out


def class_order(labels: np.ndarray, c: int, split: str) -> np.ndarray:
    """Indices of class c in a seeded order that does not depend on the pair asked for."""
    index = np.flatnonzero(labels == c)
    rng = np.random.default_rng([SPLIT_SEED, c, 0 if split == "train" else 1])
    return index[rng.permutation(len(index))]


def take(labels: np.ndarray, classes, count: int, split: str, start: int = 0) -> np.ndarray:
    """`count` indices: each class's seeded order from position `start`, round-robin."""
    orders = [class_order(labels, c, split)[start:] for c in classes]
    picked = [order[rank] for rank in range(count) for order in orders][:count]
    if len(picked) < count:
        raise ValueError(f"only {len(picked)} pictures of classes {classes} for {count}")
    return np.array(picked)


def fashion_split(data: dict, positive: int, negative, n_train: int) -> dict:
    """The fixed split of one pair: {"train": (index, y), "test": (index, y)} (index into the
    package's train or test file; label 1 = positive). Each split is in a seeded mixed order.
    The test set is all test pictures of the two classes (1,000 each), or 1,000 + 1,000 others
    for negative == "rest"."""
    negatives = [c for c in range(10) if c != positive] if negative == "rest" else [negative]
    out = {}
    for split in ("train", "test"):
        labels = data[split][1]
        half = n_train // 2 if split == "train" else int((labels == positive).sum())
        pos = take(labels, [positive], half, split)
        neg = take(labels, negatives, half, split)
        index = np.concatenate([pos, neg])
        y = np.concatenate([np.ones(half, np.int64), np.zeros(half, np.int64)])
        code = [SPLIT_SEED, positive, 10 if negative == "rest" else negative, split == "test"]
        order = np.random.default_rng(code).permutation(len(y))
        out[split] = (index[order], y[order])
    return out


def confirm_split(data: dict, positive: int, negative) -> tuple:
    """(index into the package's training file, y): CONFIRM_PER_CLASS pictures of each label
    that no training set uses, for the confirmation check only."""
    negatives = [c for c in range(10) if c != positive] if negative == "rest" else [negative]
    labels = data["train"][1]
    pos = take(labels, [positive], CONFIRM_PER_CLASS, "train", CONFIRM_FROM)
    neg = take(labels, negatives, CONFIRM_PER_CLASS, "train", CONFIRM_FROM)
    y = np.concatenate([np.ones(len(pos), np.int64), np.zeros(len(neg), np.int64)])
    return np.concatenate([pos, neg]), y


def fashion_candidates(data: dict, confirm: bool = False):
    """Yield (name, px, train_x, train_y, test_x, test_y, lr_only) for every Fashion candidate
    (with confirm: only those within budget, each followed by (confirm_x, confirm_y))."""
    from course_utils.data import downsample_images

    for positive, negative in FASHION_PAIRS:
        neg_name = "rest" if negative == "rest" else FASHION_CLASSES[negative]
        name = f"Fashion-MNIST {FASHION_CLASSES[positive]} vs {neg_name}"
        for (px, n_train), lr_only in [(s, False) for s in FASHION_SIZES] + [
            (s, True) for s in FASHION_LR_ONLY
        ]:
            if confirm and (lr_only or px * px * n_train * ITERATIONS > BUDGET):
                continue
            parts = fashion_split(data, positive, negative, n_train)
            if confirm:
                parts["confirm"] = confirm_split(data, positive, negative)
                assert not set(parts["confirm"][0]) & set(parts["train"][0])
            arrays = []
            for split, (index, y) in parts.items():
                file = "test" if split == "test" else "train"
                x = data[file][0][index][..., np.newaxis]  # (m, 28, 28, 1)
                arrays += [downsample_images(x, 28 // px), y]
            yield (name, px, *arrays[:4], lr_only, *arrays[4:])


# ---------------------------------------------------------------- openclipart


def openclipart_pair(root: Path, positive: str, negative: str):
    """Balanced, de-duplicated 64x64 pictures of two folders, split 70/30 with a fixed seed."""
    sys.path.insert(0, str(HERE))
    from build_animals import EXCLUDED_NEGATIVES, Collector, _rel, real_files

    collector = Collector(root)
    classes = []
    for folder in (positive, negative):
        files = [  # only files that really live in this folder, minus known placeholders
            p
            for p in real_files(root / folder, root)
            if _rel(p, root).startswith(folder + "/") and not p.name.startswith(EXCLUDED_NEGATIVES)
        ]
        images = [collector.add(p) for p in files]
        classes.append([image for image in images if image is not None])
    n = min(map(len, classes))
    rng = np.random.default_rng(SPLIT_SEED)
    parts = {"train": ([], []), "test": ([], [])}
    for label, images in ((1, classes[0]), (0, classes[1])):
        chosen = rng.permutation(len(images))[:n]
        n_test = round(TEST_FRACTION * n)
        for rank, i in enumerate(chosen):
            x, y = parts["test" if rank < n_test else "train"]
            x.append(images[i])
            y.append(label)
    out = []
    for split in ("train", "test"):
        x, y = parts[split]
        order = rng.permutation(len(y))
        out += [np.stack(x)[order], np.array(y, np.int64)[order]]
    return out


def openclipart_candidates(root: Path = OPENCLIPART_DIR):
    from course_utils.data import downsample_images, load_dataset

    sources = []
    train_x, train_y, test_x, test_y, _ = load_dataset(HERE / "animals.h5")
    sources.append(("openclipart animal vs non-animal (animals.h5)",
                    [train_x, train_y[0], test_x, test_y[0]]))  # fmt: skip
    for positive, negative in OPENCLIPART_PAIRS:
        name = f"openclipart {positive.split('/')[-1]} vs {negative.split('/')[-1]}"
        sources.append((name, openclipart_pair(root.resolve(), positive, negative)))
    for name, (train_x, train_y, test_x, test_y) in sources:
        for px in OPENCLIPART_SIZES:
            f = 64 // px
            yield (name, px, downsample_images(train_x, f), train_y,
                   downsample_images(test_x, f), test_y, False)  # fmt: skip


# ---------------------------------------------------------------- the protocol


def stable(costs) -> bool:
    costs = np.ravel(np.asarray(costs, dtype=float))
    if not np.all(np.isfinite(costs)):
        return False
    return bool(np.all(np.diff(costs) <= RISE) and costs[-1] <= costs[0])


def train_with_protocol(fit, X, Y):
    """fit(X, Y, learning_rate, iterations) -> (predict, costs). Returns the final model,
    its costs, the learning rate used and the seconds of the full run (training cost only)."""
    scores = []
    for lr in LR_GRID:
        with np.errstate(all="ignore"):
            _, costs = fit(X, Y, lr, SELECT_ITERATIONS)
        last = float(np.ravel(costs)[-1])
        if np.isfinite(last):
            scores.append((last, lr))
    order = [lr for _, lr in sorted(scores)]
    best = order[0]
    for lr in sorted((v for v in LR_GRID if v <= best), reverse=True):
        start = time.perf_counter()
        with np.errstate(all="ignore"):
            predict, costs = fit(X, Y, lr, ITERATIONS)
        seconds = time.perf_counter() - start
        if stable(costs):
            break
    return predict, costs, lr, seconds


def model_fits():
    """The three models, as fit(X, Y, lr, iterations) -> (predict, costs)."""
    from autograder.solution_code import solution_namespace

    week1, week3 = solution_namespace("week1"), solution_namespace("week3")

    def network_predict(parameters, X_new):  # week 3's given predict: AL > 0.5
        return (week3["L_model_forward"](X_new, parameters)[0] > 0.5).astype(float)

    def logistic(X, Y, lr, iterations):
        d = week1["model"](X, Y, X[:, :1], Y[:, :1], iterations, lr)
        w, b = d["w"], d["b"]
        return (lambda X_new: week1["predict"](w, b, X_new)), d["costs"]

    def two_layer(X, Y, lr, iterations):
        p, costs = week3["two_layer_model"](X, Y, (X.shape[0], HIDDEN_2, 1), lr, iterations)
        return (lambda X_new: network_predict(p, X_new)), costs

    def four_layer(X, Y, lr, iterations):
        dims = [X.shape[0], *LAYERS, 1]
        p, costs = week3["L_layer_model"](X, Y, dims, lr, iterations, init_scale="xavier")
        return (lambda X_new: network_predict(p, X_new)), costs

    def four_layer_seeded(X, Y, lr, iterations, seed):
        """L_layer_model's loop, from another xavier initialization."""
        dims, rng = [X.shape[0], *LAYERS, 1], np.random.default_rng(seed)
        p = {}
        for l in range(1, len(dims)):
            p[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * np.sqrt(1 / dims[l - 1])
            p[f"b{l}"] = np.zeros((dims[l], 1))
        for _ in range(iterations):
            AL, caches = week3["L_model_forward"](X, p)
            grads = week3["L_model_backward"](AL, Y, caches)
            p = week3["update_parameters"](p, grads, lr)
        return lambda X_new: network_predict(p, X_new)

    return {"LR": logistic, "2L": two_layer, "4L": four_layer, "seeded": four_layer_seeded}


def se(p: float, n: int) -> float:
    return float(np.sqrt(p * (1 - p) / n))


def as_xy(x, y):
    return x.reshape(len(x), -1).T / 255, y.reshape(1, -1).astype(float)


def compare(row: dict, correct: dict, n: int, suffix: str = "") -> None:
    """The 4-layer's gain over logistic regression, its SEs and the "depth helps" verdict."""
    gain = float(np.mean(correct["4L"]) - np.mean(correct["LR"]))
    diff = correct["4L"].astype(float) - correct["LR"].astype(float)
    paired = float(diff.std(ddof=1) / np.sqrt(n))
    worst = max(se(float(np.mean(correct[k])), n) for k in ("LR", "4L"))
    row.update({f"gain{suffix}": gain, f"se{suffix}": worst, f"paired_se{suffix}": paired,
                f"depth_helps{suffix}": bool(gain > 2 * worst and gain > 2 * paired)})  # fmt: skip


def measure(fits, name, px, train_x, train_y, test_x, test_y, lr_only, *confirm) -> dict:
    (X, Y), (Xt, Yt) = as_xy(train_x, train_y), as_xy(test_x, test_y)
    Xc, Yc = as_xy(*confirm) if confirm else (None, None)
    n_x, m, n_test = X.shape[0], X.shape[1], Xt.shape[1]
    work = n_x * m * ITERATIONS
    row = {"name": name, "px": px, "n_x": n_x, "m_train": m, "m_test": n_test,
           "work": work, "within_budget": work <= BUDGET}  # fmt: skip
    correct, correct_c, chosen = {}, {}, {}
    for key in ("LR", "2L", "4L"):
        fit = fits[key]
        if key != "LR" and (lr_only or n_x > MAX_NETWORK_INPUTS):
            continue
        predict, costs, lr, seconds = train_with_protocol(fit, X, Y)
        row[key + "_stable"] = stable(costs)
        correct[key] = (predict(Xt) == Yt)[0]
        row[key] = {
            "train": float(np.mean(predict(X) == Y)), "test": float(np.mean(correct[key])),
            "lr": lr, "seconds": round(seconds, 2), "final_cost": float(np.ravel(costs)[-1]),
        }  # fmt: skip
        chosen[key] = lr
        if confirm:
            correct_c[key] = (predict(Xc) == Yc)[0]
            row[key]["confirm"] = float(np.mean(correct_c[key]))
    row["se_LR"] = se(row["LR"]["test"], n_test)
    if "4L" in correct:
        compare(row, correct, n_test)
    if confirm:
        compare(row, correct_c, Xc.shape[1], "_confirm")
        if row["depth_helps"]:
            row["seeds"] = []
            for seed in CONFIRM_SEEDS:
                predict = fits["seeded"](X, Y, chosen["4L"], ITERATIONS, seed)
                row["seeds"].append({
                    "seed": seed, "test": float(np.mean(predict(Xt) == Yt)),
                    "confirm": float(np.mean(predict(Xc) == Yc)),
                })  # fmt: skip
    return row


def pct(v) -> str:
    return f"{100 * v:.1f}"


def markdown_row(row: dict) -> str:
    cells = [row["name"], f"{row['px']}", f"{row['m_train']}/{row['m_test']}"]
    for key in ("LR", "2L", "4L"):
        r = row.get(key)
        cells.append(f"{pct(r['train'])} / {pct(r['test'])}" if r else "not run")
    cells.append(
        f"{pct(row['se'])} / {pct(row['paired_se'])}" if "se" in row else pct(row["se_LR"])
    )
    if "gain" in row:
        gain = f"{100 * row['gain']:+.1f} ({row['gain'] / row['se']:+.1f} SE)"
        cells.append(f"**{gain}**" if row["depth_helps"] else gain)
    else:
        cells.append("")
    cells.append(" / ".join(f"{row[k]['lr']:g}" for k in ("LR", "2L", "4L") if k in row))
    cells.append(" / ".join(f"{row[k]['seconds']:.1f}" for k in ("LR", "2L", "4L") if k in row))
    cells.append(f"{row['work'] / BUDGET:.2f}" + ("" if row["within_budget"] else " (over)"))
    return "| " + " | ".join(cells) + " |"


def confirm_row(row: dict) -> str:
    cells = [row["name"], f"{row['px']}", f"{row['m_train']}"]
    for key in ("LR", "2L", "4L"):
        cells.append(f"{pct(row[key]['test'])} / {pct(row[key]['confirm'])}")
    for suffix in ("", "_confirm"):
        value, unit = row["gain" + suffix], row["se" + suffix]
        gain = f"{100 * value:+.1f} ({value / unit:+.1f} SE)"
        cells.append(f"**{gain}**" if row["depth_helps" + suffix] else gain)
    seeds = row.get("seeds")
    for split in ("test", "confirm"):
        if seeds:
            gains = [100 * (s[split] - row["LR"][split]) for s in seeds]
            cells.append(f"{min(gains):+.1f} .. {max(gains):+.1f}")
        else:
            cells.append("")
    return "| " + " | ".join(cells) + " |"


CONFIRM_HEADER = (
    "| candidate | px | train | LR test / confirm % | 2-layer test / confirm % "
    "| 4-layer test / confirm % | 4-layer - LR, test | 4-layer - LR, confirm "
    "| other seeds: 4-layer - LR, test | other seeds: confirm |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)

HEADER = (
    "| candidate | px | train/test | LR train / test % | 2-layer train / test % "
    "| 4-layer train / test % | SE / paired SE % | 4-layer - LR | lr LR / 2L / 4L "
    "| seconds LR / 2L / 4L | work / budget |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="measure only candidates whose name has TEXT")
    parser.add_argument("--json", type=Path, help="also write every number to this file")
    parser.add_argument("--skip-openclipart", action="store_true")
    parser.add_argument("--skip-fashion", action="store_true")
    parser.add_argument(
        "--confirm", action="store_true", help="the confirmation check (Fashion-MNIST only)"
    )
    args = parser.parse_args(argv)
    fits = model_fits()
    rows = []
    print(CONFIRM_HEADER if args.confirm else HEADER, flush=True)

    def run(candidates):
        for candidate in candidates:
            if args.only.lower() in candidate[0].lower():
                rows.append(measure(fits, *candidate))
                print((confirm_row if args.confirm else markdown_row)(rows[-1]), flush=True)
                if args.json:
                    args.json.write_text(json.dumps(rows, indent=1))

    if args.confirm:
        run(fashion_candidates(load_fashion(), confirm=True))
        return

    if not args.skip_fashion:
        if not FASHION_DIR.is_dir():
            raise SystemExit(f"{FASHION_DIR} not found: apt-get install dataset-fashion-mnist")
        run(fashion_candidates(load_fashion()))
    if not args.skip_openclipart:
        if not OPENCLIPART_DIR.is_dir():
            raise SystemExit(f"{OPENCLIPART_DIR} not found: apt-get install openclipart-png")
        import warnings

        from PIL import Image

        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        run(openclipart_candidates())
    qualified = [r for r in rows if r.get("depth_helps") and r["within_budget"]]
    if qualified:
        best = max(qualified, key=lambda r: r["gain"] / r["se"])
        print(f"\npick: {best['name']} at {best['px']} px, {best['m_train']} training pictures")
    else:
        print("\nno candidate within budget where depth helps by more than 2 SE")


if __name__ == "__main__":
    main()

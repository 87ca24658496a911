"""Visible checks of week 5's applications: IoU and non-max suppression (detection), the
transpose convolution (segmentation), the triplet loss (faces), and the content cost, Gram
matrix and layer style cost (neural style transfer).

A wrong answer is named from the case's inputs and the stored outputs only: the IoU, triplet
and cost slips are the values that a known wrong formula gives (never the right one); the
transpose convolution's kernel flipped or with its channel axes swapped, and its crop on one
side only, are recognised from twin cases whose stored output is what that slip gives (the
kernel flipped, the same inputs with pad 0); the style cost's unrolling reshape(n_C, -1) from
a twin whose activations are rearranged so that their right unrolling is that wrong one; and
non-max suppression's threshold rule from one more call of the learner's function with the
threshold nudged.
"""

from __future__ import annotations

import numpy as np

from ..cases import grid
from ..core import Check, describe, show
from . import WEEK


def _one_of(got: float, slips: list[tuple[float | None, str]], want: float) -> str | None:
    """The hint of the first wrong value that `got` matches (one the right answer does not)."""
    for value, hint in slips:
        if value is not None and np.isfinite(value) and not np.isclose(value, want, rtol=1e-6) \
                and np.isclose(got, value, rtol=1e-5, atol=1e-9):
            return hint
    return None


def _number(check: Check, what: str, value, hint: str) -> float:
    """A Python float (np.float64 is one), returned as such; a 0-d or (1,) array is named."""
    check.python_float(what, value, hint if np.size(value) == 1 else None)
    return float(value)


def _ratio_hint(got: float, want: float, ratios: dict) -> str | None:
    """Names a result that is a known factor times the right one (`ratios`: factor -> hint)."""
    factor = _factor(got, want)
    for ratio, hint in ratios.items():
        if factor is not None and np.isclose(factor, ratio, rtol=1e-5):
            return hint
    return None


def _factor(got, want) -> float | None:
    """The number, other than 1, that the right answer `want` times gives `got`, or None."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if got.shape != want.shape or not np.any(want) or not np.all(np.isfinite(got)):
        return None
    factor = float(np.sum(got * want) / np.sum(want * want))
    if np.isclose(factor, 1) or not np.allclose(got, factor * want, rtol=1e-5, atol=1e-12):
        return None
    return factor


# -- IoU ------------------------------------------------------------------------------------
IOU = ("intersection: xi1 = max(box1_x1, box2_x1), yi1 = max(box1_y1, box2_y1), xi2 = "
       "min(box1_x2, box2_x2), yi2 = min(box1_y2, box2_y2), inter_area = max(xi2 - xi1, 0) * "
       "max(yi2 - yi1, 0); union_area = box1_area + box2_area - inter_area; iou = inter_area / "
       "union_area (0.0 when union_area is 0).")


def _iou_slips(box1, box2) -> list[tuple[float | None, str]]:
    """What the classic wrong IoU formulas give for these boxes, each with its hint."""
    (a1, b1, a2, b2), (c1, d1, c2, d2) = (map(float, box1), map(float, box2))
    width, height = min(a2, c2) - max(a1, c1), min(b2, d2) - max(b1, d1)
    area1, area2 = (a2 - a1) * (b2 - b1), (c2 - c1) * (d2 - d1)
    inter = max(width, 0) * max(height, 0)
    hull = (max(a2, c2) - min(a1, c1)) * (max(b2, d2) - min(b1, d1))
    plus_one = (max(width + 1, 0) * max(height + 1, 0),
                (a2 - a1 + 1) * (b2 - b1 + 1) + (c2 - c1 + 1) * (d2 - d1 + 1))

    def ratio(top, bottom):
        return top / bottom if bottom else None

    return [
        (ratio(inter, area1 + area2), "the union counts the intersection twice: union_area = "
                                      "box1_area + box2_area - inter_area."),
        (ratio(max(width * height, 0), area1 + area2 - max(width * height, 0)),
         "clip the width and the height at 0 separately, max(xi2 - xi1, 0) * max(yi2 - yi1, 0): "
         "clipping their product misses boxes apart in both x and y (two negatives make a "
         "positive)."),
        (ratio(width * height, area1 + area2 - width * height),
         "boxes that do not overlap have an intersection of 0, but here xi2 - xi1 or yi2 - yi1 "
         "is negative: clip each at 0, max(xi2 - xi1, 0) * max(yi2 - yi1, 0)."),
        *((value, "this is the box around both boxes: the intersection starts at the larger "
                  "x1 and y1 (max) and ends at the smaller x2 and y2 (min).")
          for value in (ratio(hull, area1 + area2 - hull), 0.0 if area1 + area2 <= hull else None)),
        (ratio(plus_one[0], plus_one[1] - plus_one[0]),
         "the corners are coordinates, not pixel indices: a box's width is x2 - x1, with no + 1."),
        (ratio(inter, min(area1, area2)), "divide by the union, not by the smaller box's area."),
        (ratio(inter, area1), "divide by the union of both boxes, not by box1's area."),
    ]


def _box(box) -> str:
    return "(" + ", ".join(f"{float(v):g}" for v in box) + ")"


IOU_CASES = [
    {"box1": (2, 1, 4, 3), "box2": (1, 2, 3, 4)},  # the classic: 1 / 7
    {"box1": (0, 0, 4, 4), "box2": (1, 1, 2, 2)},  # one inside the other
    {"box1": (1, 1, 2, 3), "box2": (3, 2, 4, 4)},  # apart in x, overlapping in y
    {"box1": (1, 2, 3, 4), "box2": (5, 6, 7, 8)},  # apart in x and in y
    {"box1": (0, 0, 2, 2), "box2": (2, 0, 4, 2)},  # touching at an edge
    {"box1": (0.5, 0.5, 2.5, 1.5), "box2": (0.5, 0.5, 2.5, 1.5)},  # a box with itself
    {"box1": np.array([0.0, 0.0, 3.0, 2.0]), "box2": np.array([1.0, 1.0, 4.0, 3.0])},
    {"box1": (1, 1, 1, 3), "box2": (1, 1, 1, 3)},  # area 0 each: a zero union
]
ZERO_UNION = ("two boxes of area 0 have a union of 0: return 0.0 when union_area is 0 (the "
              "contract: 0 for disjoint boxes or a zero union).")


@WEEK.exercise("iou(box1, box2)", IOU_CASES, hints={"ZeroDivisionError": ZERO_UNION})
def check_iou(check, case, out, want):
    box1, box2 = case["box1"], case["box2"]
    what = f"iou({_box(box1)}, {_box(box2)})"
    got = _number(check, what, out, "the IoU is one number: return float(inter_area / "
                                    "union_area).")
    if not np.isfinite(got) and want == 0:
        check.fail(f"{what} is {got}.", ZERO_UNION)
    hint = _one_of(got, _iou_slips(box1, box2), want) or IOU
    check.true(-1e-9 <= got <= 1 + 1e-9, f"{what} is {got:.6g}, but an IoU lies between 0 "
                                         "and 1.", hint)
    check.close(what, got, want, hint)


# -- non-max suppression --------------------------------------------------------------------
NMS = ("go through the boxes from the highest score down (ties: the lower index first), keep a "
       "box unless its IoU with a box already kept is above iou_threshold, and stop when "
       "max_boxes are kept. non_max_suppression calls your iou: make check_iou pass first.")
SORT_DOWN = ("np.argsort(-scores, kind=\"stable\") lists the indices from the highest score "
             "down, ties by index (sorted(range(N), key=lambda i: -scores[i]) too).")
CHAIN_NOTE = ("box {lost} overlaps box {between}, which was dropped, but no box that was kept: "
              "only a kept box drops another, so compare each box with the list of kept boxes, "
              "not with every box of a higher score.")


def _boxes(*rows) -> np.ndarray:
    return np.array(rows, dtype=float)


# each case's own scores array carries its note (a wrong answer this case was built to show)
NMS_NOTES: dict[int, str] = {}


def _nms_case(boxes, scores, note: str = "", **settings) -> dict:
    case = {"boxes": boxes, "scores": np.array(scores, dtype=float), **settings}
    NMS_NOTES[id(case["scores"])] = note
    return case


# two clusters and a lone box, scores out of index order: kept [1, 2, 4]
CLUSTERS = _boxes((0, 0, 4, 4), (1, 0, 5, 4), (10, 10, 14, 14), (10, 11, 14, 15), (20, 0, 22, 2),
                  (2, 0, 6, 4))
NMS_CASES = [
    _nms_case(CLUSTERS, [0.6, 0.9, 0.7, 0.5, 0.3, 0.8]),
    _nms_case(CLUSTERS, [0.6, 0.9, 0.7, 0.5, 0.3, 0.8], iou_threshold=0.7),  # all six kept
    _nms_case(CLUSTERS, [0.6, 0.9, 0.7, 0.5, 0.3, 0.8], max_boxes=2),
    # box 1's IoU with box 0 is exactly 0.5: kept; box 2 overlaps both by 0.71: dropped
    _nms_case(_boxes((0, 0, 3, 1), (1, 0, 4, 1), (0.5, 0, 3.5, 1)), [0.9, 0.8, 0.7]),
    # a chain: box 2 (0.8) overlaps box 1 (0.9) by 0.6 and is dropped; box 0 (0.7) overlaps
    # box 2 by 0.6 but box 1 by 0.33 only: kept
    _nms_case(_boxes((2, 0, 6, 4), (0, 0, 4, 4), (1, 0, 5, 4)), [0.7, 0.9, 0.8],
              CHAIN_NOTE.format(lost=0, between=2)),
    # ties: boxes 0 and 2 are the same box with the same score, so are 1 and 3; box 4 ties too
    _nms_case(_boxes((0, 0, 2, 2), (5, 5, 7, 7), (0, 0, 2, 2), (5, 5, 7, 7), (10, 10, 12, 12)),
              [0.7, 0.9, 0.7, 0.9, 0.7]),
    # max_boxes=3 among five boxes, the second best overlapping the best: kept [0, 2, 3]
    _nms_case(_boxes((0, 0, 2, 2), (0, 0, 2, 1.8), (3, 3, 4, 4), (5, 5, 6, 6), (7, 7, 8, 8)),
              [0.9, 0.85, 0.8, 0.7, 0.6], max_boxes=3, iou_threshold=0.4),
    _nms_case(_boxes((1, 1, 3, 2)), [0.42]),
]


def _check_indices(check: Check, what: str, keep, n: int) -> list[int]:
    """A list of Python ints, each the index of one of the n boxes."""
    check.true(isinstance(keep, list), f"{what} must be a list of ints, but it is "
                                       f"{describe(keep)}.",
               "start with keep = [], append the index of every box you keep, keep.append(int(i)), "
               "and return keep" + (" (a list, not an array: or return keep.tolist())."
                                    if isinstance(keep, np.ndarray) else "."))
    numpy_ints = [type(i).__name__ for i in keep if isinstance(i, np.integer)]
    check.true(not numpy_ints, f"{what} holds numpy integers ({', '.join(numpy_ints[:1])}), but "
                               "the contract is a list of Python ints.",
               "append int(i): an index from np.argsort is a numpy integer.")
    wrong = [repr(i) for i in keep
             if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < n]
    check.true(not wrong, f"{what} holds {', '.join(wrong[:1])}, which is not the index of a box "
                          f"(0 to {n - 1}).",
               "append the index i of each box you keep, not the box or its score.")
    check.true(len(set(keep)) == len(keep), f"{what} holds the index of a box twice: {keep}.",
               "keep each box at most once.")
    return keep


def _nms_hint(check: Check, case, got: list[int], want: list[int]) -> str:
    """Names the wrong answer of a non-max suppression: order, ties, the threshold's side,
    stopping early, the chain of this case, or a box kept or dropped that should not be."""
    scores = case["scores"]
    threshold, max_boxes = case.given("iou_threshold"), case.given("max_boxes")
    order = scores[got]
    if len(got) > 1 and np.all(np.diff(order) > 0):
        return f"the kept boxes come lowest score first: highest first. {SORT_DOWN}"
    if np.any(np.diff(order) > 0):
        if got == sorted(got):
            return ("the boxes were taken in index order: go through them from the highest score "
                    f"down, so that the best box of each cluster is the one kept. {SORT_DOWN}")
        return f"the kept boxes are not highest score first. {SORT_DOWN}"
    if np.array_equal(order, scores[want]):
        return ("the same scores, but of other boxes: with equal scores the lower index comes "
                f"first. {SORT_DOWN} (np.argsort(scores)[::-1] puts the higher index first).")
    for name in ("iou_threshold", "max_boxes"):
        other = case.gives(got, name)
        if other is not None:
            return (f"with {name}={case.given(name)}, the boxes kept are those {name}={other} "
                    f"gives: use the {name} argument, not a fixed number.")
    if _call(check, case, iou_threshold=threshold + 1e-9) == want:
        return ("a box whose IoU with a kept box is exactly iou_threshold was dropped: drop a box "
                "only when its IoU is above the threshold (>, not >=).")
    if max_boxes < len(scores) and len(got) < max_boxes and \
            _call(check, case, max_boxes=len(scores))[:max_boxes] == want:
        return (f"only {len(got)} boxes were kept, but {len(want)} do not overlap: stop when "
                f"max_boxes={max_boxes} boxes are kept, not after looking at the {max_boxes} "
                "highest scores (suppress first, then count).")
    lost = [i for i in want if i not in got]
    if lost and NMS_NOTES.get(id(scores)):
        return NMS_NOTES[id(scores)]
    if lost:
        return (f"box {lost[0]} was dropped, but its IoU with every box kept before it is at most "
                f"iou_threshold={threshold}. {NMS}")
    extra = [i for i in got if i not in want]
    return (f"box {extra[0]} was kept, but its IoU with a box of a higher score that was kept is "
            f"above iou_threshold={threshold}. {NMS}")


def _call(check: Check, case, **changes):
    """The learner's function once more, on the case's inputs with `changes`."""
    return case.exercise.call(case._fn, {**case, **changes}, check, seed=None)


@WEEK.exercise("non_max_suppression(boxes, scores, max_boxes=10, iou_threshold=0.5)", NMS_CASES)
def check_non_max_suppression(check, case, keep, want):
    n, max_boxes = len(case["scores"]), case.given("max_boxes")
    settings = ", ".join(f"{k}={case[k]}" for k in ("max_boxes", "iou_threshold") if k in case)
    what = f"non_max_suppression of {n} boxes" + (f" ({settings})" if settings else "")
    keep = _check_indices(check, what, keep, n)
    check.true(len(keep) <= max_boxes, f"{what} kept {len(keep)} boxes: {keep}, but at most "
                                       f"max_boxes={max_boxes}.",
               "stop as soon as max_boxes boxes are kept: if len(keep) == max_boxes: break.")
    if keep != want:
        check.fail(f"{what} kept {keep}, but the boxes kept, highest score first, are {want}.\n"
                   f"  scores: {show(case['scores'])}", _nms_hint(check, case, keep, want))
    check.ok()


# -- transpose convolution ------------------------------------------------------------------
TRANSPOSE = ("for every input pixel (h, w), add its channel vector times W, A_prev[i, h, w, :] @ "
             "W[a, b] for each offset (a, b), into the output window that starts at (h * stride, "
             "w * stride); then crop pad from each side and add b once.")


def _coverage(n_prev: tuple, f: int, stride: int, pad: int) -> np.ndarray:
    """How many input windows cover each output pixel (after the crop): where windows overlap,
    their contributions add up; between them (stride > f) only b is left."""
    full = np.zeros((stride * (n_prev[0] - 1) + f, stride * (n_prev[1] - 1) + f))
    for h in range(n_prev[0]):
        for w in range(n_prev[1]):
            full[h * stride:h * stride + f, w * stride:w * stride + f] += 1
    return full[pad:full.shape[0] - pad, pad:full.shape[1] - pad]


def _first_wrong(Z: np.ndarray, want: np.ndarray) -> str:
    """Where a 4-d output goes wrong: how many numbers, and the first one, by its index."""
    wrong = ~np.isclose(Z, want, rtol=1e-6, atol=1e-8)
    index = tuple(int(i) for i in np.argwhere(wrong)[0])
    where = ", ".join(map(str, index))
    return (f"{int(wrong.sum())} of its {Z.size} numbers differ; the first, Z[{where}], is "
            f"{Z[index]:.6g} instead of {want[index]:.6g}.")


def _transpose_case(shape: tuple, f: int, n_C: int, stride: int, pad: int, seed: int) -> dict:
    m, n_H_prev, n_W_prev, n_C_prev = shape
    A_prev = grid(m, n_H_prev * n_W_prev * n_C_prev, seed).reshape(shape)
    W = grid(f * f, n_C_prev * n_C, seed + 1, 0.5).reshape(f, f, n_C_prev, n_C)
    b = grid(1, n_C, seed + 2, 0.5).reshape(1, 1, 1, n_C)
    return {"A_prev": A_prev, "W": W, "b": b, "hparameters": {"stride": stride, "pad": pad}}


T_ONE = _transpose_case((2, 2, 3, 3), 3, 2, stride=2, pad=1, seed=531)
T_TWO = _transpose_case((1, 3, 3, 2), 2, 2, stride=1, pad=0, seed=532)
TRANSPOSE_CASES = [
    T_TWO,  # overlapping windows
    {**T_TWO, "W": np.ascontiguousarray(T_TWO["W"].transpose(0, 1, 3, 2))},  # channels swapped
    {**T_TWO, "W": np.ascontiguousarray(T_TWO["W"][::-1, ::-1])},  # the kernel flipped
    T_ONE,
    {**T_ONE, "hparameters": {"stride": 2, "pad": 0}},  # the full output, before the crop
    _transpose_case((1, 2, 2, 1), 2, 3, stride=3, pad=0, seed=533),  # gaps between windows
    _transpose_case((2, 3, 2, 2), 3, 1, stride=1, pad=1, seed=534),  # the input's own size
    _transpose_case((1, 2, 2, 1), 4, 1, stride=2, pad=1, seed=535),  # twice the input's size
]
PRODUCT_HINT = ("each input pixel's channel vector, shape (n_C_prev,), times W[a, b], shape "
                "(n_C_prev, n_C), gives the n_C output channels: A_prev[i, h, w, :] @ W[a, b] (or "
                "A_prev @ W[a, b] for every pixel at once). W is (f, f, n_C_prev, n_C).")


def _transpose_hint(case, Z: np.ndarray, want: np.ndarray) -> str:
    """Names a wrong transpose convolution of the right shape."""
    A_prev, W, b, hp = case["A_prev"], case["W"], case["b"], case["hparameters"]
    stride, pad, f = hp["stride"], hp["pad"], W.shape[0]
    cover = _coverage(A_prev.shape[1:3], f, stride, pad)[None, :, :, None]
    if np.any(b) and np.allclose(Z + b, want):
        return "b is missing: add it once, to every output pixel, after the crop."
    if np.any(b) and np.any(cover != 1) and np.allclose(Z, want + (cover - 1) * b):
        return ("b was added once for every window that covers a pixel: add it once, after the "
                "sum over the windows and the crop.")
    twins = [("W", np.ascontiguousarray(W[::-1, ::-1]),
              "the kernel is flipped: the transpose convolution uses W as it is, W[a, b] "
              "adds into the output pixel (h * stride + a, w * stride + b)."),
             ("W", np.ascontiguousarray(W.transpose(0, 1, 3, 2)),
              "the channel axes of W are swapped: a pixel's channels (n_C_prev,) times W[a, b], "
              "(n_C_prev, n_C), that is A_prev[i, h, w, :] @ W[a, b], not W[a, b] @ ...")]
    for name, value, hint in twins:
        theirs = case.stored(**{name: value})
        if theirs is not None and np.shape(theirs) == Z.shape and np.allclose(Z, theirs):
            return hint
    full = case.stored(hparameters={"stride": stride, "pad": 0})
    if pad and full is not None:
        n_H, n_W = Z.shape[1:3]
        for rows, cols in ((slice(0, n_H), slice(0, n_W)),
                           (slice(2 * pad, 2 * pad + n_H), slice(2 * pad, 2 * pad + n_W))):
            if np.allclose(Z, full[:, rows, cols]):
                return (f"2 * pad was cropped from one side: crop pad={pad} from each side, "
                        "full[:, pad:pad + n_H, pad:pad + n_W, :].")
    gaps = cover[0, :, :, 0] == 0
    if np.any(gaps) and not np.allclose(Z[:, gaps, :], np.broadcast_to(b[0, 0], Z[:, gaps].shape)):
        return (f"with stride={stride} > f={f} the windows leave gaps where only b is, but your "
                "output has more there: the window of input pixel (h, w) starts at (h * stride, "
                "w * stride).")
    once, more = cover[0, :, :, 0] == 1, cover[0, :, :, 0] > 1
    if np.any(more) and np.allclose(Z[:, once], want[:, once]):
        return ("the pixels covered by one window are right, those where windows overlap are "
                "not: their contributions add up, += rather than =.")
    return TRANSPOSE


@WEEK.exercise("conv_transpose(A_prev, W, b, hparameters)", TRANSPOSE_CASES,
               hints={"not aligned": PRODUCT_HINT, "shape-mismatch": PRODUCT_HINT,
                      "could not broadcast": "a window did not fit into the output: before the "
                      "crop the output is stride * (n_H_prev - 1) + f by stride * (n_W_prev - 1) "
                      "+ f, and the window of input pixel (h, w) is rows h * stride to h * stride "
                      "+ f, columns w * stride to w * stride + f.",
                      "KeyError": "hparameters holds \"stride\" and \"pad\": "
                                  "hparameters[\"stride\"], hparameters[\"pad\"]."})
def check_conv_transpose(check, case, Z, want):
    A_prev, W, hp = case["A_prev"], case["W"], case["hparameters"]
    stride, pad, f = hp["stride"], hp["pad"], W.shape[0]
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    what = (f"conv_transpose of A_prev {A_prev.shape} with W {W.shape}, stride={stride}, "
            f"pad={pad}")
    check.is_array(what, Z, "return Z, the numpy array of the output.")
    n_H, n_W = (stride * (n - 1) + f - 2 * pad for n in (n_H_prev, n_W_prev))
    formula = (f"n_H = stride * (n_H_prev - 1) + f - 2 * pad = {stride} * ({n_H_prev} - 1) + {f} "
               f"- 2 * {pad} = {n_H} (and n_W = {n_W}), n_C = W.shape[3] = {W.shape[3]}")
    full = (n_H + 2 * pad, n_W + 2 * pad)
    hint = (f"the output was not cropped: {formula}; crop pad from each side."
            if Z.ndim == 4 and Z.shape[1:3] == full and pad else f"{formula}.")
    check.shape(what, Z, (m, n_H, n_W, W.shape[3]), hint)
    got = np.asarray(Z, dtype=float)
    if not np.allclose(got, want):
        check.fail(f"{what} is wrong: {_first_wrong(got, want)}",
                   _transpose_hint(case, got, want))
    check.ok()


# -- triplet loss ---------------------------------------------------------------------------
TRIPLET = ("loss = the sum over the examples of max(||a - p||^2 - ||a - n||^2 + alpha, 0), with "
           "the squared distances summed over the last axis: np.sum(np.square(anchor - "
           "positive), axis=-1).")


def _triplet_slips(a, p, n, alpha: float) -> list[tuple[float, str]]:
    """What the classic wrong triplet losses give for these encodings, each with its hint."""
    a, p, n = (np.atleast_2d(np.asarray(x, dtype=float)) for x in (a, p, n))
    pos, neg = np.sum((a - p) ** 2, axis=1), np.sum((a - n) ** 2, axis=1)
    basic = pos - neg + alpha
    by_dimension = np.sum((a - p) ** 2, axis=0) - np.sum((a - n) ** 2, axis=0) + alpha
    return [
        (max(np.sum(basic), 0), "the max(..., 0) belongs to every example, before the sum: "
                                "np.sum(np.maximum(basic_loss, 0)), not the max of the sum nor "
                                "a sum without the max."),
        (max(np.sum(pos) - np.sum(neg) + alpha, 0),
         "the distances were summed over the examples too: sum the squares over the last axis, "
         "axis=-1, one distance per example, then take the max per example before the sum."),
        (np.sum(np.maximum(by_dimension, 0)), "the squared distances were summed over the "
                                              "examples (axis=0): sum over the encoding's "
                                              "dimension, axis=-1."),
        (np.sum(np.maximum(np.sqrt(pos) - np.sqrt(neg) + alpha, 0)),
         "the distances are squared: ||a - p||^2 = np.sum(np.square(anchor - positive), axis=-1), "
         "not np.linalg.norm."),
        (np.mean(np.maximum(basic, 0)), "the loss is the sum over the examples, not the mean."),
        (np.sum(np.maximum(pos - neg - alpha, 0)), "alpha is added: ||a - p||^2 - ||a - n||^2 + "
                                                   "alpha."),
        (np.sum(np.maximum(neg - pos + alpha, 0)), "the distances are swapped: the anchor must "
                                                   "be close to the positive, so ||a - p||^2 "
                                                   "comes first, minus ||a - n||^2."),
        (np.sum(np.maximum(pos - neg, 0)) + alpha * len(pos),
         "alpha goes inside the max: max(||a - p||^2 - ||a - n||^2 + alpha, 0)."),
        (np.sum(pos - neg + alpha), "the max(..., 0) is missing: an example whose negative is "
                                    "already far enough away adds 0, not a negative number."),
    ]


def _encodings(m: int, d: int, seed: int, near: float, far: float) -> dict:
    """Anchors, positives about `near` away and negatives about `far` away (one (d,) each
    when m is 0)."""
    rows = max(m, 1)
    anchor = grid(rows, d, seed)
    positive = np.round(anchor + near * grid(rows, d, seed + 1), 4)
    negative = np.round(anchor + far * grid(rows, d, seed + 2), 4)
    if m == 0:
        return {"anchor": anchor[0], "positive": positive[0], "negative": negative[0]}
    return {"anchor": anchor, "positive": positive, "negative": negative}


TRIPLETS = _encodings(5, 4, 541, 0.6, 0.8)  # some examples above the margin, some below
TRIPLET_CASES = [
    TRIPLETS,
    {**TRIPLETS, "alpha": 0.5},
    _encodings(1, 6, 542, 0.8, 0.5),  # one example, (1, d)
    _encodings(0, 6, 543, 0.8, 0.5),  # one encoding, (d,)
    _encodings(0, 3, 544, 0.2, 2.0),  # the negative far enough: 0.0
    _encodings(3, 3, 545, 0.1, 3.0),  # every negative far enough: 0.0
]


@WEEK.exercise("triplet_loss(anchor, positive, negative, alpha=0.2)", TRIPLET_CASES,
               hints={"out of bounds": "a single encoding (d,) has one axis only: sum the squares "
                                       "over the last axis, axis=-1, so that (m, d) and (d,) both "
                                       "work."})
def check_triplet_loss(check, case, loss, want):
    a, p, n = case["anchor"], case["positive"], case["negative"]
    alpha = case.given("alpha")
    encodings = f"triplet_loss of encodings {a.shape}"
    what = encodings + (f" (alpha={alpha})" if "alpha" in case else "")
    got = _number(check, what, loss, "the loss is one number: return float(np.sum(...)).")
    other = case.gives(got, "alpha")
    check.true(other is None, f"with alpha={alpha}, {encodings} is what alpha={other} gives.",
               "use the alpha argument, not a fixed number.")
    check.close(what, got, want, _one_of(got, _triplet_slips(a, p, n, alpha), want) or TRIPLET)


# -- neural style transfer ------------------------------------------------------------------
def _activations(shape: tuple, seed: int) -> np.ndarray:
    """Feature maps (1, n_H, n_W, n_C) as a ReLU layer gives them: 0 or positive."""
    return np.maximum(grid(1, int(np.prod(shape)), seed).reshape(shape), 0)


CONTENT = "J_content = np.sum(np.square(a_C - a_G)) / (4 * n_H * n_W * n_C)"
CONTENT_CASES = [{"a_C": _activations(shape, seed), "a_G": _activations(shape, seed + 1)}
                 for shape, seed in (((1, 4, 3, 2), 551), ((1, 2, 5, 3), 553),
                                     ((1, 3, 3, 1), 555))]


@WEEK.exercise("compute_content_cost(a_C, a_G)", CONTENT_CASES)
def check_compute_content_cost(check, case, cost, want):
    a_C, a_G = case["a_C"], case["a_G"]
    _, n_H, n_W, n_C = a_G.shape
    size = n_H * n_W * n_C
    what = f"compute_content_cost of activations {a_G.shape}"
    got = _number(check, what, cost, "the cost is one number: return float(...).")
    diff = a_C - a_G
    hint = _ratio_hint(got, want, {
        4 * size: f"the normalization is missing: divide by 4 * n_H * n_W * n_C = {4 * size}.",
        4: "the 4 is missing: divide by 4 * n_H * n_W * n_C.",
        2: "the factor is 1 / (4 n_H n_W n_C), with 4, not 2.",
        size: "only the 4 is there: divide by 4 * n_H * n_W * n_C, the size of the "
              "activations too.",
    }) or _one_of(got, [
        (np.sqrt(np.sum(diff ** 2)) / (4 * size),
         "the distance is squared: np.sum(np.square(a_C - a_G)), not its square root "
         "(np.linalg.norm)."),
        (np.sum(diff) / (4 * size), "square the differences before the sum."),
        (np.sum(np.abs(diff)) / (4 * size), "square the differences, not their absolute values."),
    ], want)
    check.close(what, got, want, hint or CONTENT + ".")


GRAM = "GA = A @ A.T (or np.dot(A, A.T)): one row and one column per channel, (n_C, n_C)"
GRAM_CASES = [{"A": grid(3, 5, 561)}, {"A": grid(2, 4, 562)}, {"A": grid(4, 4, 563)},
              {"A": grid(1, 3, 564)}]


@WEEK.exercise("gram_matrix(A)", GRAM_CASES,
               hints={"not aligned": f"A is (n_C, n_H*n_W): {GRAM}.",
                      "broadcast": f"A is (n_C, n_H*n_W): {GRAM}."})
def check_gram_matrix(check, case, G, want):
    A = case["A"]
    n_C, n_positions = A.shape
    what = f"gram_matrix of A {A.shape}"
    check.is_array(what, G, f"{GRAM}.")
    shape_hints = {(n_positions, n_positions): f"this is A.T @ A, one row per position: {GRAM}.",
                   A.shape: f"this has A's shape: multiply A by its transpose, {GRAM}."}
    check.shape(what, G, (n_C, n_C), shape_hints.get(np.shape(G), f"{GRAM}."))
    got = np.asarray(G, dtype=float)
    factor = _factor(got, want)
    hint = ("the Gram matrix is A @ A.T itself, not divided by anything: the style cost "
            "divides later." if factor is not None and 0 < factor < 1 else None)
    if hint is None and n_C == n_positions and np.allclose(np.diag(got), np.sum(A ** 2, axis=0)):
        hint = f"this is A.T @ A: {GRAM}."
    if hint is None and n_C == n_positions and np.allclose(got, A * A):
        hint = f"A * A multiplies element by element: {GRAM}."
    check.close(what, G, want, hint or f"{GRAM}.")


STYLE = ("unroll each activation to (n_C, n_H*n_W), a_S.reshape(-1, n_C).T, take their Gram "
         "matrices with your gram_matrix, and J = np.sum(np.square(GS - GG)) / (4 * n_C**2 * "
         "(n_H * n_W)**2)")


def _wrongly_unrolled(a: np.ndarray) -> np.ndarray:
    """The activations whose right unrolling, reshape(-1, n_C).T, is a.reshape(n_C, -1): the
    style cost of a twin built from them is what the unrolling reshape(n_C, -1) gives."""
    n_C = a.shape[-1]
    return np.ascontiguousarray(a.reshape(n_C, -1).T.reshape(a.shape))


def _style_case(shape: tuple, seed: int) -> dict:
    return {"a_S": _activations(shape, seed), "a_G": _activations(shape, seed + 1)}


S_ONE, S_TWO = _style_case((1, 2, 3, 2), 571), _style_case((1, 3, 2, 3), 573)
STYLE_CASES = [
    S_ONE, {name: _wrongly_unrolled(a) for name, a in S_ONE.items()},
    S_TWO, {name: _wrongly_unrolled(a) for name, a in S_TWO.items()},
    _style_case((1, 2, 5, 5), 575),
]


@WEEK.exercise("compute_layer_style_cost(a_S, a_G)", STYLE_CASES)
def check_compute_layer_style_cost(check, case, cost, want):
    a_S, a_G = case["a_S"], case["a_G"]
    _, n_H, n_W, n_C = a_G.shape
    n = n_H * n_W
    what = f"compute_layer_style_cost of activations {a_G.shape}"
    got = _number(check, what, cost, "the cost is one number: return float(...).")
    twin = case.stored(a_S=_wrongly_unrolled(a_S), a_G=_wrongly_unrolled(a_G))
    if twin is not None and not np.isclose(twin, want) and np.isclose(got, twin, rtol=1e-5):
        check.fail(f"{what} is wrong: {got:.6g} instead of {want:.6g}. It is what the unrolling "
                   "reshape(n_C, -1) gives.",
                   "reshape(n_C, n_H * n_W) cuts the numbers in the wrong places: in memory the "
                   "channels of one position come together, so unroll with a_S.reshape(-1, "
                   "n_C).T, one row per channel (shape (n_C, n_H*n_W)).")
    hint = _ratio_hint(got, want, {
        4 * n_C ** 2 * n ** 2: "the normalization is missing: divide by 4 * n_C**2 * "
                               "(n_H * n_W)**2.",
        n_C * n: "the factors are squared: 4 * n_C**2 * (n_H * n_W)**2, not 4 * n_C * n_H * n_W.",
        4: "the 4 is missing: 4 * n_C**2 * (n_H * n_W)**2.",
        n_C: "n_C is squared in the normalization: 4 * n_C**2 * (n_H * n_W)**2.",
        n: "n_H * n_W is squared in the normalization: 4 * n_C**2 * (n_H * n_W)**2.",
    })
    check.close(what, got, want, hint or STYLE + ". The style cost uses your gram_matrix: make "
                                             "check_gram_matrix pass first.")

"""Week 5's applications checks (IoU, non-max suppression, transpose convolution, triplet loss,
content cost, Gram matrix, layer style cost) reject the stubs and the common mistakes (each
named with its fix, and each rejected by the hidden tests alone) and accept other correct code;
the twin cases store what the slips they name give."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from tests.helpers import check_suite

FUNCTIONS = ["iou", "non_max_suppression", "conv_transpose", "triplet_loss",
             "compute_content_cost", "gram_matrix", "compute_layer_style_cost"]


def changed(source: str, *replacements: tuple[str, str]) -> str:
    """The source with each (old, new) replaced; every old must be there."""
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return source


IOU = """
def iou(box1, box2):
    (box1_x1, box1_y1, box1_x2, box1_y2) = box1
    (box2_x1, box2_y1, box2_x2, box2_y2) = box2
    xi1, yi1 = max(box1_x1, box2_x1), max(box1_y1, box2_y1)
    xi2, yi2 = min(box1_x2, box2_x2), min(box1_y2, box2_y2)
    inter_area = max(xi2 - xi1, 0) * max(yi2 - yi1, 0)
    box1_area = (box1_x2 - box1_x1) * (box1_y2 - box1_y1)
    box2_area = (box2_x2 - box2_x1) * (box2_y2 - box2_y1)
    union_area = box1_area + box2_area - inter_area
    return float(inter_area / union_area) if union_area > 0 else 0.0
"""

NMS = """
def non_max_suppression(boxes, scores, max_boxes=10, iou_threshold=0.5):
    order = np.argsort(-np.asarray(scores), kind="stable")
    keep = []
    for i in order:
        if len(keep) == max_boxes:
            break
        if all(iou(boxes[i], boxes[k]) <= iou_threshold for k in keep):
            keep.append(int(i))
    return keep
"""

TRANSPOSE = """
def conv_transpose(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    full = np.zeros((m, stride * (n_H_prev - 1) + f, stride * (n_W_prev - 1) + f, n_C))
    for i in range(m):
        for h in range(n_H_prev):
            for w in range(n_W_prev):
                vert, horiz = h * stride, w * stride
                full[i, vert:vert + f, horiz:horiz + f, :] += np.tensordot(
                    A_prev[i, h, w, :], W, axes=([0], [2]))
    n_H, n_W = full.shape[1] - 2 * pad, full.shape[2] - 2 * pad
    Z = full[:, pad:pad + n_H, pad:pad + n_W, :] + b
    return Z
"""

TRIPLET = """
def triplet_loss(anchor, positive, negative, alpha=0.2):
    pos_dist = np.sum(np.square(anchor - positive), axis=-1)
    neg_dist = np.sum(np.square(anchor - negative), axis=-1)
    basic_loss = pos_dist - neg_dist + alpha
    return float(np.sum(np.maximum(basic_loss, 0.0)))
"""

CONTENT = """
def compute_content_cost(a_C, a_G):
    m, n_H, n_W, n_C = a_G.shape
    return float(np.sum(np.square(a_C - a_G)) / (4 * n_H * n_W * n_C))
"""

GRAM = """
def gram_matrix(A):
    return A @ A.T
"""

STYLE = """
def compute_layer_style_cost(a_S, a_G):
    m, n_H, n_W, n_C = a_G.shape
    a_S = a_S.reshape(-1, n_C).T
    a_G = a_G.reshape(-1, n_C).T
    GS, GG = gram_matrix(a_S), gram_matrix(a_G)
    return float(np.sum(np.square(GS - GG)) / (4 * n_C ** 2 * (n_H * n_W) ** 2))
"""

MISTAKES = [
    ("iou", "union without subtracting the intersection",
     changed(IOU, ("box1_area + box2_area - inter_area", "box1_area + box2_area")),
     "the union counts the intersection twice"),
    ("iou", "intersection not clipped",
     changed(IOU, ("max(xi2 - xi1, 0) * max(yi2 - yi1, 0)", "(xi2 - xi1) * (yi2 - yi1)")),
     "clip each at 0"),
    ("iou", "the product clipped",
     changed(IOU, ("max(xi2 - xi1, 0) * max(yi2 - yi1, 0)", "max((xi2 - xi1) * (yi2 - yi1), 0)")),
     "clipping their product misses boxes apart in both x and y"),
    ("iou", "min and max swapped",
     changed(IOU, ("max(box1_x1, box2_x1), max(box1_y1, box2_y1)",
                   "min(box1_x1, box2_x1), min(box1_y1, box2_y1)"),
             ("min(box1_x2, box2_x2), min(box1_y2, box2_y2)",
              "max(box1_x2, box2_x2), max(box1_y2, box2_y2)")),
     "this is the box around both boxes"),
    ("iou", "pixel widths (+ 1)",
     changed(IOU, ("max(xi2 - xi1, 0) * max(yi2 - yi1, 0)",
                   "max(xi2 - xi1 + 1, 0) * max(yi2 - yi1 + 1, 0)"),
             ("(box1_x2 - box1_x1) * (box1_y2 - box1_y1)",
              "(box1_x2 - box1_x1 + 1) * (box1_y2 - box1_y1 + 1)"),
             ("(box2_x2 - box2_x1) * (box2_y2 - box2_y1)",
              "(box2_x2 - box2_x1 + 1) * (box2_y2 - box2_y1 + 1)")),
     "with no + 1"),
    ("iou", "divided by the smaller box",
     changed(IOU, ("float(inter_area / union_area) if union_area > 0",
                   "float(inter_area / min(box1_area, box2_area)) if union_area > 0")),
     "not by the smaller box's area"),
    ("iou", "zero union not handled",
     changed(IOU, ("float(inter_area / union_area) if union_area > 0 else 0.0",
                   "inter_area / union_area")),
     "return 0.0 when union_area is 0"),
    ("iou", "a 0-d array",
     changed(IOU, ("float(inter_area / union_area)", "np.array(inter_area / union_area)")),
     "must be a Python float"),
    ("non_max_suppression", "index order",
     changed(NMS, ('np.argsort(-np.asarray(scores), kind="stable")', "range(len(scores))")),
     "taken in index order"),
    ("non_max_suppression", "lowest score first",
     changed(NMS, ('np.argsort(-np.asarray(scores), kind="stable")', "np.argsort(scores)")),
     "lowest score first"),
    ("non_max_suppression", "ties: the higher index first",
     changed(NMS, ('np.argsort(-np.asarray(scores), kind="stable")',
                   'np.argsort(scores, kind="stable")[::-1]')),
     "with equal scores the lower index comes first"),
    ("non_max_suppression", "dropped at exactly the threshold",
     changed(NMS, ("<= iou_threshold", "< iou_threshold")),
     "exactly iou_threshold was dropped"),
    ("non_max_suppression", "compared with every higher score",
     changed(NMS, ("    for i in order:", "    for rank, i in enumerate(order):"),
             ("for k in keep)", "for k in order[:rank])")),
     "only a kept box drops another"),
    ("non_max_suppression", "max_boxes ignored",
     changed(NMS, ("        if len(keep) == max_boxes:\n            break\n", "")),
     "but at most max_boxes=2"),
    ("non_max_suppression", "the max_boxes highest scores first",
     changed(NMS, ('kind="stable")', 'kind="stable")[:max_boxes]')),
     "not after looking at the 2 highest scores"),
    ("non_max_suppression", "iou_threshold fixed at 0.5",
     changed(NMS, ("<= iou_threshold", "<= 0.5")), "use the iou_threshold argument"),
    ("non_max_suppression", "an array",
     changed(NMS, ("    return keep", "    return np.array(keep)")), "or return keep.tolist()"),
    ("non_max_suppression", "numpy integers",
     changed(NMS, ("keep.append(int(i))", "keep.append(i)")), "append int(i)"),
    ("conv_transpose", "no bias", changed(TRANSPOSE, (" + b\n", "\n")), "b is missing"),
    ("conv_transpose", "bias in every window",
     changed(TRANSPOSE, ("axes=([0], [2]))", "axes=([0], [2])) + b[0, 0, 0]"), (" + b\n", "\n")),
     "b was added once for every window"),
    ("conv_transpose", "= instead of +=",
     changed(TRANSPOSE, ("] += np.tensordot", "] = np.tensordot")), "+= rather than ="),
    ("conv_transpose", "stride not used",
     changed(TRANSPOSE, ("vert, horiz = h * stride, w * stride", "vert, horiz = h, w")),
     "starts at (h * stride, w * stride)"),
    ("conv_transpose", "cropped on one side",
     changed(TRANSPOSE, ("full[:, pad:pad + n_H, pad:pad + n_W, :]", "full[:, :n_H, :n_W, :]")),
     "crop pad=1 from each side"),
    ("conv_transpose", "not cropped",
     changed(TRANSPOSE, ("full[:, pad:pad + n_H, pad:pad + n_W, :]", "full")),
     "the output was not cropped"),
    ("conv_transpose", "kernel flipped",
     changed(TRANSPOSE, ("A_prev[i, h, w, :], W,", "A_prev[i, h, w, :], W[::-1, ::-1],")),
     "the kernel is flipped"),
    ("conv_transpose", "channel axes swapped",
     changed(TRANSPOSE, ("axes=([0], [2])", "axes=([0], [3])")),
     "the channel axes of W are swapped"),
    ("triplet_loss", "the max of the sum",
     changed(TRIPLET, ("np.sum(np.maximum(basic_loss, 0.0))",
                       "np.maximum(np.sum(basic_loss), 0.0)")),
     "not the max of the sum"),
    ("triplet_loss", "distances not squared",
     changed(TRIPLET, ("np.sum(np.square(anchor - positive), axis=-1)",
                       "np.linalg.norm(anchor - positive, axis=-1)"),
             ("np.sum(np.square(anchor - negative), axis=-1)",
              "np.linalg.norm(anchor - negative, axis=-1)")),
     "not np.linalg.norm"),
    ("triplet_loss", "the mean", changed(TRIPLET, ("np.sum(np.maximum", "np.mean(np.maximum")),
     "not the mean"),
    ("triplet_loss", "alpha subtracted", changed(TRIPLET, ("neg_dist + alpha", "neg_dist - alpha")),
     "alpha is added"),
    ("triplet_loss", "distances swapped",
     changed(TRIPLET, ("pos_dist - neg_dist", "neg_dist - pos_dist")), "the distances are swapped"),
    ("triplet_loss", "no max", changed(TRIPLET, ("np.maximum(basic_loss, 0.0)", "basic_loss")),
     "nor a sum without the max"),
    ("triplet_loss", "axis=1", changed(TRIPLET, ("axis=-1", "axis=1")),
     "a single encoding (d,) has one axis only"),
    ("triplet_loss", "alpha fixed", changed(TRIPLET, ("neg_dist + alpha", "neg_dist + 0.2")),
     "use the alpha argument"),
    ("compute_content_cost", "no normalization",
     changed(CONTENT, (" / (4 * n_H * n_W * n_C)", "")), "the normalization is missing"),
    ("compute_content_cost", "2 instead of 4", changed(CONTENT, ("(4 * n_H", "(2 * n_H")),
     "with 4, not 2"),
    ("compute_content_cost", "the mean without the 4",
     changed(CONTENT, ("np.sum(np.square(a_C - a_G)) / (4 * n_H * n_W * n_C)",
                       "np.mean(np.square(a_C - a_G))")), "the 4 is missing"),
    ("compute_content_cost", "a norm, not squared",
     changed(CONTENT, ("np.sum(np.square(a_C - a_G))", "np.linalg.norm(a_C - a_G)")),
     "not its square root"),
    ("compute_content_cost", "not squared",
     changed(CONTENT, ("np.sum(np.square(a_C - a_G))", "np.sum(a_C - a_G)")),
     "square the differences before the sum"),
    ("gram_matrix", "A.T A", changed(GRAM, ("A @ A.T", "A.T @ A")), "this is A.T @ A"),
    ("gram_matrix", "element-wise", changed(GRAM, ("A @ A.T", "A * A")), "this has A's shape"),
    ("gram_matrix", "A A", changed(GRAM, ("A @ A.T", "np.dot(A, A)")),
     "A is (n_C, n_H*n_W): GA = A @ A.T"),
    ("gram_matrix", "normalized", changed(GRAM, ("A @ A.T", "A @ A.T / A.shape[1]")),
     "not divided by anything"),
    ("compute_layer_style_cost", "reshape(n_C, -1)",
     changed(STYLE, ("a_S.reshape(-1, n_C).T", "a_S.reshape(n_C, -1)"),
             ("a_G.reshape(-1, n_C).T", "a_G.reshape(n_C, -1)")),
     "It is what the unrolling reshape(n_C, -1) gives"),
    ("compute_layer_style_cost", "no .T",
     changed(STYLE, ("a_S.reshape(-1, n_C).T", "a_S.reshape(-1, n_C)"),
             ("a_G.reshape(-1, n_C).T", "a_G.reshape(-1, n_C)")),
     "a_S.reshape(-1, n_C).T, take their Gram matrices"),
    ("compute_layer_style_cost", "factors not squared",
     changed(STYLE, ("(4 * n_C ** 2 * (n_H * n_W) ** 2)", "(4 * n_C * n_H * n_W)")),
     "the factors are squared"),
    ("compute_layer_style_cost", "no 4",
     changed(STYLE, ("(4 * n_C ** 2 * (n_H * n_W) ** 2)", "(n_C ** 2 * (n_H * n_W) ** 2)")),
     "the 4 is missing"),
    ("compute_layer_style_cost", "n_C not squared",
     changed(STYLE, ("(4 * n_C ** 2 * (n_H * n_W) ** 2)", "(4 * n_C * (n_H * n_W) ** 2)")),
     "n_C is squared in the normalization"),
]

ALTERNATIVES = [
    ("iou", """
def iou(box1, box2):
    b1, b2 = np.asarray(box1, dtype=float), np.asarray(box2, dtype=float)
    lo, hi = np.maximum(b1[:2], b2[:2]), np.minimum(b1[2:], b2[2:])
    inter = np.prod(np.clip(hi - lo, 0, None))
    union = np.prod(b1[2:] - b1[:2]) + np.prod(b2[2:] - b2[:2]) - inter
    return float(inter / union) if union else 0.0
"""),
    ("iou", changed(IOU, ("    inter_area = max", "    if xi2 <= xi1 or yi2 <= yi1:\n"
                                                 "        return 0.0\n    inter_area = max"),
                    ("float(inter_area / union_area) if union_area > 0 else 0.0",
                     "inter_area / union_area"))),
    ("non_max_suppression", """
def non_max_suppression(boxes, scores, max_boxes=10, iou_threshold=0.5):
    remaining = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)
    keep = []
    while remaining and len(keep) < max_boxes:
        best = remaining.pop(0)
        keep.append(best)
        remaining = [i for i in remaining if iou(boxes[best], boxes[i]) <= iou_threshold]
    return keep
"""),
    ("non_max_suppression", changed(NMS, ('np.argsort(-np.asarray(scores), kind="stable")',
                                          "sorted(range(len(scores)), key=lambda i: -scores[i])"),
                                    ("keep.append(int(i))", "keep.append(i)"))),
    ("conv_transpose", """
def conv_transpose(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, n_C = W.shape[0], W.shape[3]
    full = np.zeros((m, stride * (n_H_prev - 1) + f, stride * (n_W_prev - 1) + f, n_C))
    for i in range(f):
        for j in range(f):
            full[:, i:i + stride * n_H_prev:stride, j:j + stride * n_W_prev:stride, :] += \\
                np.einsum("mhwc,cd->mhwd", A_prev, W[i, j])
    return full[:, pad:full.shape[1] - pad, pad:full.shape[2] - pad, :] + b
"""),
    ("conv_transpose", """
def conv_transpose(A_prev, W, b, hparameters):
    # zeros between the input pixels, a border of f - 1 - pad, then a convolution with the
    # flipped kernel
    s, p = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    up = np.zeros((m, s * (n_H_prev - 1) + 1, s * (n_W_prev - 1) + 1, n_C_prev))
    up[:, ::s, ::s, :] = A_prev
    e = f - 1 - p
    up = np.pad(up, ((0, 0), (e, e), (e, e), (0, 0)))
    K = W[::-1, ::-1]
    n_H, n_W = up.shape[1] - f + 1, up.shape[2] - f + 1
    Z = np.zeros((m, n_H, n_W, W.shape[3]))
    for h in range(n_H):
        for w in range(n_W):
            Z[:, h, w, :] = np.tensordot(up[:, h:h + f, w:w + f, :], K, axes=([1, 2, 3], [0, 1, 2]))
    return Z + b
"""),
    ("triplet_loss", """
def triplet_loss(anchor, positive, negative, alpha=0.2):
    total = 0.0
    for a, p, n in zip(np.atleast_2d(anchor), np.atleast_2d(positive), np.atleast_2d(negative)):
        total += max(np.linalg.norm(a - p) ** 2 - np.linalg.norm(a - n) ** 2 + alpha, 0)
    return float(total)
"""),
    ("triplet_loss", changed(TRIPLET, ("np.sum(np.square(anchor - positive), axis=-1)",
                                       "np.einsum('...d,...d->...', anchor - positive, "
                                       "anchor - positive)"),
                             ("float(np.sum(np.maximum(basic_loss, 0.0)))",
                              "np.sum(np.clip(basic_loss, 0, None))"))),
    ("compute_content_cost", """
def compute_content_cost(a_C, a_G):
    return float(np.mean((a_C - a_G) ** 2) / 4)
"""),
    ("compute_content_cost", changed(CONTENT, ("np.sum(np.square(a_C - a_G))",
                                               "np.linalg.norm(a_C - a_G) ** 2"),
                                     ("(4 * n_H * n_W * n_C)", "(4 * a_C.size)"))),
    ("gram_matrix", "def gram_matrix(A):\n    return np.dot(A, A.T)\n"),
    ("gram_matrix", "def gram_matrix(A):\n    return np.einsum('ik,jk->ij', A, A)\n"),
    ("compute_layer_style_cost", """
def compute_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_S.shape
    S = a_S.transpose(0, 3, 1, 2).reshape(n_C, n_H * n_W)
    G = np.transpose(np.reshape(a_G, (n_H * n_W, n_C)))
    return float(np.linalg.norm(gram_matrix(S) - gram_matrix(G)) ** 2
                 / (2 * n_C * n_H * n_W) ** 2)
"""),
]

globals().update(check_suite("week5", MISTAKES, ALTERNATIVES, only=FUNCTIONS))


# -- the twin cases store what the slips they name give ----------------------------------------
SOLUTION = solution_namespace("week5")


def test_a_style_twin_stores_what_the_unrolling_reshape_n_C_minus_1_gives():
    """The twin of a style case holds activations whose right unrolling is the original's wrong
    one, so its stored cost is the wrong unrolling's cost of the original."""
    from course_utils.checks.week5 import applications

    gram = SOLUTION["gram_matrix"]
    cases = applications.STYLE_CASES
    stored = applications.check_compute_layer_style_cost.expected()
    for base, twin in ((0, 1), (2, 3)):
        a_S, a_G = cases[base]["a_S"], cases[base]["a_G"]
        n_C, size = a_S.shape[-1], a_S.shape[1] * a_S.shape[2]
        GS, GG = gram(a_S.reshape(n_C, -1)), gram(a_G.reshape(n_C, -1))
        wrong = np.sum((GS - GG) ** 2) / (4 * n_C ** 2 * size ** 2)
        assert np.isclose(stored[twin], wrong, rtol=1e-6) and not np.isclose(
            stored[twin], stored[base], rtol=1e-3), (stored, wrong)


def test_each_transpose_case_is_the_adjoint_of_a_convolution():
    """The stored outputs (bias removed) satisfy sum(Z * Y) = sum(A_prev * conv(Y, W^T)) for a
    convolution with the same stride and pad, written here by hand."""
    from course_utils.checks.week5 import applications

    def conv(Y, W, stride, pad):
        Y = np.pad(Y, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
        f = W.shape[0]
        n_H, n_W = (Y.shape[1] - f) // stride + 1, (Y.shape[2] - f) // stride + 1
        return np.array([[np.tensordot(Y[:, h * stride:h * stride + f, w * stride:w * stride + f],
                                       W, axes=([1, 2, 3], [0, 1, 2])) for w in range(n_W)]
                         for h in range(n_H)]).transpose(2, 0, 1, 3)

    stored = applications.check_conv_transpose.expected()
    for case, Z in zip(applications.TRANSPOSE_CASES, stored, strict=True):
        hp = case["hparameters"]
        Y = np.random.default_rng(1).normal(size=Z.shape)
        right = np.sum(case["A_prev"] * conv(Y, case["W"].transpose(0, 1, 3, 2), hp["stride"],
                                             hp["pad"]))
        assert np.isclose(np.sum((Z - case["b"]) * Y), right, rtol=1e-5), hp


def test_non_max_suppression_names_the_case_and_the_scores():
    """A wrong answer shows what was kept, what should be, and the scores."""
    from course_utils.checks import CheckFailed, week5

    namespace = dict(SOLUTION)
    exec(changed(NMS, ('np.argsort(-np.asarray(scores), kind="stable")', "range(len(scores))")),
         namespace)
    with pytest.raises(CheckFailed) as failure:
        week5.check_non_max_suppression(namespace["non_max_suppression"])
    message = str(failure.value)
    assert "of 6 boxes kept [0, 2, 4, 5], but the boxes kept, highest score first, are [1, 2, 4]" \
        in message, message
    assert "scores: [0.6, 0.9, 0.7, 0.5, 0.3, 0.8]" in message, message

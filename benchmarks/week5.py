"""Week 5 (convolutional networks): the notebook's run time, the reference fast convolution and
pooling against the loop versions, against the machine's matrix-multiply rate for the same
FLOPs and (when PyTorch is installed) against its CPU conv2d; CNN training throughput; the
explorers' latency."""

from __future__ import annotations

import statistics

import numpy as np

from .common import Row, call_times, figures_row, progress, seconds, timing_row
from .explorer_latency import TARGET, default_moves, moves
from .notebooks import notebook_rows
from .week3 import blas

NOTEBOOK_TARGET = 60.0  # seconds, top to bottom, training included (issue 12)
GEMM_SHARE_TARGET = 0.20  # the fast conv at >= 20% of the rate of the same matrix products
TORCH_TARGET = 1.5  # at most 1.5x PyTorch's float64 CPU conv2d time
# (m, n_H, n_W, n_C_prev, f, n_C, stride, pad): the CNN's two conv layers on a mini-batch of 64
SHAPES = {"conv1 of the CNN (28x28x1 -> 8)": (64, 28, 28, 1, 3, 8, 1, 1),
          "conv2 of the CNN (14x14x8 -> 16)": (64, 14, 14, 8, 3, 16, 1, 1)}
LOOP_SHAPE = (4, 14, 14, 8, 3, 16, 1, 1)  # the loop version is timed on a smaller batch


def solution():
    from autograder.solution_code import solution_namespace

    return solution_namespace("week5")


def inputs(shape, seed=0):
    m, n_H, n_W, n_C_prev, f, n_C, stride, pad = shape
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(m, n_H, n_W, n_C_prev))
    W = rng.normal(size=(f, f, n_C_prev, n_C))
    b = rng.normal(size=(1, 1, 1, n_C))
    return A, W, b, {"stride": stride, "pad": pad}


def forward_backward(forward, backward, A, W, b, hp):
    def step():
        Z, cache = forward(A, W, b, hp)
        backward(Z, cache)
    return step


def conv_flops(shape) -> float:
    """Multiply-adds x 2 of forward, dW and dA_prev: three GEMMs of the same size."""
    m, n_H, n_W, n_C_prev, f, n_C, stride, pad = shape
    out_H = (n_H + 2 * pad - f) // stride + 1
    out_W = (n_W + 2 * pad - f) // stride + 1
    return 3 * 2.0 * m * out_H * out_W * f * f * n_C_prev * n_C


def gemm_rate(repeat: int) -> float:
    """FLOP/s of a 512x512 float64 matrix product: the machine's peak matrix-multiply rate."""
    a, b = np.random.default_rng(1).normal(size=(2, 512, 512))
    return 2.0 * 512 ** 3 / statistics.median(call_times(lambda: a @ b, repeat))


def same_gemms(shape, repeat: int) -> float:
    """Seconds of the three matrix products a convolution's forward and backward amount to
    (Z = cols W, dW = colsᵀ dZ, dcols = dZ Wᵀ), on contiguous matrices: the same FLOPs done by
    the machine's matrix multiply alone, with no unrolling, padding or scattering."""
    m, n_H, n_W, n_C_prev, f, n_C, stride, pad = shape
    rows = m * ((n_H + 2 * pad - f) // stride + 1) * ((n_W + 2 * pad - f) // stride + 1)
    rng = np.random.default_rng(3)
    cols, W, dZ = (rng.normal(size=size) for size in ((rows, f * f * n_C_prev),
                                                       (f * f * n_C_prev, n_C), (rows, n_C)))
    return statistics.median(call_times(lambda: (cols @ W, cols.T @ dZ, dZ @ W.T), repeat))


def conv_rows(repeat: int) -> list[Row]:
    progress("week 5: fast convolution against the loop version and the GEMM rate")
    ns = solution()
    per_example = {}
    for name, (fwd, bwd) in {"loop": ("conv_forward", "conv_backward"),
                             "fast": ("conv_forward_fast", "conv_backward_fast")}.items():
        step = forward_backward(ns[fwd], ns[bwd], *inputs(LOOP_SHAPE))
        per_example[name] = statistics.median(call_times(step, repeat)) / LOOP_SHAPE[0]
    rows = [Row("conv forward+backward, fast against loop (14x14x8 -> 16 filters 3x3)",
                f"{per_example['loop'] / per_example['fast']:.0f}x faster",
                details=f"loop {seconds(per_example['loop'])}, fast "
                        f"{seconds(per_example['fast'])} per example; {blas()}")]
    peak = gemm_rate(repeat)
    for label, shape in SHAPES.items():
        step = forward_backward(ns["conv_forward_fast"], ns["conv_backward_fast"], *inputs(shape))
        took = statistics.median(call_times(step, repeat))
        alone = same_gemms(shape, repeat)
        share = alone / took
        rows.append(Row(f"conv forward+backward, fast, share of the GEMM rate, {label}",
                        f"{share:.0%}", f">= {GEMM_SHARE_TARGET:.0%}", share >= GEMM_SHARE_TARGET,
                        f"{seconds(took)} per mini-batch of {shape[0]} against "
                        f"{seconds(alone)} for its three matrix products alone; "
                        f"{conv_flops(shape) / took / 1e9:.2f} GFLOP/s, "
                        f"{conv_flops(shape) / took / peak:.0%} of a 512x512 matmul's "
                        f"{peak / 1e9:.1f} GFLOP/s"))
    rows += torch_rows(ns, repeat)
    return rows


def torch_rows(ns, repeat: int) -> list[Row]:
    """The fast conv against PyTorch's float64 CPU conv2d on the same shapes (optional extra)."""
    try:
        import torch
    except ImportError:
        return [Row("conv forward+backward against PyTorch conv2d (float64, CPU)", "not measured",
                    f"<= {TORCH_TARGET}x", None,
                    "PyTorch is not installed (an optional benchmark extra, never needed by the "
                    "course: `pip install -e '.[bench]'`)")]
    torch.set_num_threads(1)
    rows = []
    for label, shape in SHAPES.items():
        A, W, b, hp = inputs(shape)
        step = forward_backward(ns["conv_forward_fast"], ns["conv_backward_fast"], A, W, b, hp)
        ours = statistics.median(call_times(step, repeat))
        x = torch.tensor(A.transpose(0, 3, 1, 2), requires_grad=True)
        w = torch.tensor(W.transpose(3, 2, 0, 1), requires_grad=True)
        bias = torch.tensor(b.ravel(), requires_grad=True)

        def theirs_step(x=x, w=w, bias=bias, hp=hp):
            z = torch.nn.functional.conv2d(x, w, bias, stride=hp["stride"], padding=hp["pad"])
            z.backward(z.detach())
        theirs = statistics.median(call_times(theirs_step, repeat))
        ratio = ours / theirs
        rows.append(Row(f"conv forward+backward against PyTorch conv2d, {label}",
                        f"{ratio:.2f}x its time", f"<= {TORCH_TARGET}x", ratio <= TORCH_TARGET,
                        f"ours {seconds(ours)}, PyTorch {torch.__version__} {seconds(theirs)} "
                        "(float64, 1 thread)"))
    return rows


def pool_rows(repeat: int) -> list[Row]:
    ns = solution()
    A = np.random.default_rng(2).normal(size=(4, 28, 28, 8))
    hp = {"f": 2, "stride": 2}
    took = {}
    for name, (fwd, bwd) in {"loop": ("pool_forward", "pool_backward"),
                             "fast": ("pool_forward_fast", "pool_backward_fast")}.items():
        def step(fwd=ns[fwd], bwd=ns[bwd]):
            P, cache = fwd(A, hp)
            bwd(P, cache)
        took[name] = statistics.median(call_times(step, repeat))
    return [Row("max pool forward+backward, fast against loop (28x28x8, 2x2)",
                f"{took['loop'] / took['fast']:.0f}x faster",
                details=f"loop {seconds(took['loop'])}, fast {seconds(took['fast'])} "
                        "per batch of 4")]


def cnn_rows(repeat: int) -> list[Row]:
    """Training throughput of the notebook's CNN with the reference fast layers."""
    from course_utils.cnn import Layers, train_cnn
    from course_utils.data import load_dataset

    progress("week 5: CNN training throughput")
    ns = solution()
    layers = Layers(ns["conv_forward_fast"], ns["conv_backward_fast"], ns["pool_forward_fast"],
                    ns["pool_backward_fast"])
    X, Y, X_test, Y_test, _ = load_dataset(name="fashion10.h5")
    rates = [train_cnn(layers, X[:2048] / 255, Y[:, :2048], X_test[:256] / 255, Y_test[:, :256],
                       epochs=1,
                       progress=False).examples_per_second for _ in range(repeat)]
    return [Row("CNN training throughput (one epoch of 2,048 photos, mini-batches of 64)",
                f"{statistics.median(rates):,.0f} photos/s",
                details=f"median of {repeat}, {min(rates):,.0f} .. {max(rates):,.0f}; {blas()}")]


def explorer_rows(repeat: int) -> list[Row]:
    """Slider and dropdown moves of the two explorers on the solution's fast functions, each
    control one step from the default and back (each move is one computation and one frame)."""
    from course_utils.cnn import Layers, init_cnn
    from course_utils.data import load_dataset
    from course_utils.widgets.feature_maps import FeatureMapBrowser
    from course_utils.widgets.filters import FilterExplorer

    progress("week 5: explorer moves")
    ns = solution()
    layers = Layers(ns["conv_forward_fast"], ns["conv_backward_fast"], ns["pool_forward_fast"],
                    ns["pool_backward_fast"])
    X, Y, *_ = load_dataset(name="fashion10.h5")
    explorers = {
        "filter explorer": FilterExplorer(ns["conv_forward_fast"], ns["pool_forward_fast"]),
        "feature-map browser": FeatureMapBrowser(layers, init_cnn(), X[:24] / 255, Y[0, :24],
                                                 [str(k) for k in range(10)]),
    }
    rows = []
    for name, explorer in explorers.items():
        moves(explorer, [{}])  # a first run: cold matplotlib, fonts, caches
        runs = default_moves(explorer, repeat)
        computing = statistics.median(r.train_seconds for r in runs)
        drawing = statistics.median(r.draw_seconds for r in runs)
        rows.append(timing_row(f"{name}: control move at the default, to the new frame",
                               [run.seconds for run in runs], TARGET,
                               f"{len(runs)} moves of {len(runs) // repeat // 2} controls; "
                               f"computing {seconds(computing)}, drawing {seconds(drawing)}"))
    return rows


def figure_rows(repeat: int) -> list[Row]:
    """Drawing each of the week's figures (built and rendered to PNG bytes)."""
    from course_utils import diagrams_cnn

    names = ["sliding_filter", "conv_volume", "max_pooling", "residual_block",
             "inception_module", "yolo_grid", "iou_and_nms", "unet", "siamese_triplet",
             "transpose_conv"]
    return [figures_row("week 5", diagrams_cnn, names, repeat)]

def run(repeat: int) -> list[Row]:
    return (notebook_rows("week5", repeat, NOTEBOOK_TARGET) + conv_rows(repeat)
            + pool_rows(repeat) + cnn_rows(repeat) + explorer_rows(repeat) + figure_rows(repeat))


__all__ = ["run", "timing_row"]

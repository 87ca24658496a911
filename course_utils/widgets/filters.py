"""Week 5's filter explorer: a 3×3 kernel slid over a real picture by the learner's own
convolution, then (optionally) pooled by the learner's own pooling.

    fx = filter_explorer(conv_forward_fast, pool_forward_fast)   # picture: Grace Hopper, gray

Controls: a kernel menu (edge, Sobel, Scharr, sharpen, blur, identity), the kernel's nine
numbers (a preset fills them; editing one makes the kernel "custom"), stride, padding, pooling
(none / max / average) and pool size. Panels: the picture, the kernel as an annotated grid, the
feature map Z = conv_forward(picture, W = kernel as (3, 3, 1, 1), b = 0, {"stride", "pad"})
on a colour scale centred on 0 with its shape and the formula in the title, and the pooled map
pool_forward(Z, {"f", "stride": f}, mode). Each control change is one run of one step (base
`Explorer` with num_iterations 1): the calls and their checks in `start`, the words in `end`.
"""

from __future__ import annotations

import numpy as np

from ..learner_code import Parts, StopRun, failure_words, return_problem
from .base import Explorer
from .controls import LOOK, choice, slider
from .frame import plain

F = 3  # the kernel is F x F
CUSTOM = "custom"
_VERTICAL, _SOBEL, _SCHARR = [[1, 0, -1]] * 3, [[1, 0, -1], [2, 0, -2], [1, 0, -1]], \
    [[3, 0, -3], [10, 0, -10], [3, 0, -3]]
PRESETS = {
    "vertical edge": np.array(_VERTICAL, dtype=float),
    "horizontal edge": np.array(_VERTICAL, dtype=float).T,
    "Sobel vertical": np.array(_SOBEL, dtype=float),
    "Sobel horizontal": np.array(_SOBEL, dtype=float).T,
    "Scharr vertical": np.array(_SCHARR, dtype=float),
    "Scharr horizontal": np.array(_SCHARR, dtype=float).T,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
    "blur (box 1/9)": np.full((F, F), 1 / 9),
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
}
KERNELS = (*PRESETS, CUSTOM)
NUMBERS = tuple(f"w{r}{c}" for r in range(F) for c in range(F))  # the kernel's W[r, c]
POOLINGS = ("none", "max", "average")
POOL_SIZES = (2, 3)
MAP_COLORS = "RdBu_r"  # diverging: red above 0, blue below, white at 0


# -- shapes and the learner's calls, shared with the feature-map browser -----------------------
def output_size(n: int, f: int, pad: int, stride: int) -> int:
    """⌊(n + 2 pad − f) / stride⌋ + 1: the height (or width) of a convolution's or a pooling's
    output on an input of height n."""
    return (n + 2 * pad - f) // stride + 1


def size_words(n: int, f: int, pad: int | None, stride: int) -> str:
    """The formula with the numbers: "⌊(150 + 2·1 − 3)/2⌋ + 1 = 75"; pad None (a pooling):
    "⌊(148 − 2)/2⌋ + 1 = 74"."""
    padded = f"{n} − {f}" if pad is None else f"{n} + 2·{pad} − {f}"
    return f"⌊({padded})/{stride}⌋ + 1 = {output_size(n, f, pad or 0, stride)}"


def learner_call(fn, contract, *args, shape_hint: str = "", **kwargs):
    """The learner's `fn`(*args, **kwargs), held to `contract` (learner_code's kinds; the first
    part of a `Parts` must also be finite): words naming fn as it was passed if it raises, breaks
    the contract (then `shape_hint` follows a wrong shape) or returns nan or inf."""
    name = getattr(fn, "__name__", "your function")
    try:
        result = fn(*args, **kwargs)
    except Exception as error:  # the learner's code may raise anything
        raise StopRun("failed", failure_words(fn, error)) from None
    problem = return_problem(name, result, contract)
    if problem and " shape " in problem:
        problem += shape_hint
    if problem is None and isinstance(contract, Parts):
        first = contract.names.split(",")[0].strip()
        values = np.asarray(result[0], dtype=float)
        if not np.isfinite(values).all():
            problem = (f"<b>{name}</b> returned <code>{first}</code> with "
                       f"{np.sum(~np.isfinite(values))} values that are nan or inf: does it "
                       "start from <code>np.empty</code> instead of <code>np.zeros</code>?")
    if problem:
        raise StopRun("failed", problem)
    return result


def conv_shape(A_prev_shape, W_shape, hparameters) -> tuple:
    """The shape of Z for conv_forward(A_prev, W, b, hparameters) (channels last)."""
    m, n_H, n_W, _ = A_prev_shape
    f, pad, stride = W_shape[0], hparameters["pad"], hparameters["stride"]
    return (m, output_size(n_H, f, pad, stride), output_size(n_W, f, pad, stride), W_shape[3])


def pool_shape(A_prev_shape, hparameters) -> tuple:
    """The shape of A for pool_forward(A_prev, hparameters) (channels last)."""
    m, n_H, n_W, n_C = A_prev_shape
    f, stride = hparameters["f"], hparameters["stride"]
    return (m, output_size(n_H, f, 0, stride), output_size(n_W, f, 0, stride), n_C)


def conv(fn, A_prev, W, b, hparameters):
    """(Z, cache) of the learner's conv_forward `fn`, held to its contract; words if not."""
    f, pad, stride = W.shape[0], hparameters["pad"], hparameters["stride"]
    hint = (f" Here n_H = {size_words(A_prev.shape[1], f, pad, stride)} and n_W = "
            f"{size_words(A_prev.shape[2], f, pad, stride)}.")
    return learner_call(fn, Parts("Z, cache", conv_shape(A_prev.shape, W.shape, hparameters),
                                  None), A_prev, W, b, hparameters, shape_hint=hint)


def pool(fn, A_prev, hparameters, mode: str):
    """(A, cache) of the learner's pool_forward `fn`, held to its contract; words if not."""
    f, stride = hparameters["f"], hparameters["stride"]
    hint = (f" Here n_H = {size_words(A_prev.shape[1], f, None, stride)} and n_W = "
            f"{size_words(A_prev.shape[2], f, None, stride)} (no padding).")
    return learner_call(fn, Parts("A, cache", pool_shape(A_prev.shape, hparameters), None),
                        A_prev, hparameters, mode=mode, shape_hint=hint)


def grayscale_picture(picture) -> np.ndarray:
    """A 2-D float picture from (n_H, n_W), (n_H, n_W, 1) or (1, n_H, n_W, 1); bad ones in words."""
    array = np.asarray(picture, dtype=float)
    if array.ndim == 4 and array.shape[0] == 1:
        array = array[0]
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim != 2:
        raise ValueError(f"filter_explorer: the picture must be grayscale, (n_H, n_W), got shape "
                         f"{np.shape(picture)}: load it with load_picture(name, grayscale=True).")
    if min(array.shape) < F or not np.isfinite(array).all():
        raise ValueError(f"filter_explorer: the picture must be at least {F}×{F} pixels of "
                         f"finite numbers, got shape {array.shape}.")
    return array


def preset_named(kernel) -> str:
    """The preset whose numbers the kernel has, else "custom"."""
    return next((name for name, numbers in PRESETS.items() if np.array_equal(numbers, kernel)),
                CUSTOM)


def _number(value: float):
    import ipywidgets

    return ipywidgets.FloatText(value=value, layout={"width": "80px"}, step=1)


# -- the explorer ----------------------------------------------------------------------------
class FilterExplorer(Explorer):
    """Controls, status line and one live figure around the learner's conv_forward and
    pool_forward (by position or by name) on a grayscale picture; settings as in DEFAULTS,
    `kernel` a preset's name or a 3×3 array of numbers."""

    NAME = "filter_explorer"
    FUNCTIONS = ("conv_forward", "pool_forward")
    DEFAULTS = {"kernel": "vertical edge", "stride": 1, "pad": 0, "pooling": "max",
                "pool_size": 2, "num_iterations": 1}  # one step: a run is one computation
    COLUMNS = (("kernel", "stride", "pad"), ("pooling", "pool_size"),
               NUMBERS[0::3], NUMBERS[1::3], NUMBERS[2::3])  # the numbers as a 3×3 grid
    EXPLODED = None
    SIZE = (11.0, 3.4)
    BOXES = ([0.01, 0.04, 0.22, 0.76], [0.255, 0.2, 0.14, 0.47], [0.42, 0.04, 0.28, 0.76],
             [0.72, 0.04, 0.27, 0.76])

    def __init__(self, conv_forward=None, pool_forward=None, picture=None, **values):
        if picture is None:
            from ..pictures import load_picture

            picture = load_picture("hopper", grayscale=True)
        self.picture = grayscale_picture(picture)
        kernel = values.get("kernel", self.DEFAULTS["kernel"])
        if isinstance(kernel, str):
            self._numbers = PRESETS.get(kernel, PRESETS["vertical edge"])
        else:
            numbers = np.asarray(kernel, dtype=float)
            if numbers.shape != (F, F) or not np.isfinite(numbers).all():
                raise ValueError(f"{self.NAME}: kernel must be a preset's name or a 3×3 array "
                                 f"of finite numbers, got shape {numbers.shape}; the presets "
                                 f"are {', '.join(PRESETS)}.")
            self._numbers, values["kernel"] = numbers, preset_named(numbers)
        functions = {name: fn for name, fn in zip(self.FUNCTIONS, (conv_forward, pool_forward))
                     if fn is not None}
        super().__init__(**functions, **values)

    def check_settings(self, values):
        for name, low in (("stride", 1), ("pad", 0)):
            value = values[name]
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"{name} must be a whole number of at least {low}, got "
                                 f"{value!r}.")
        if values["pool_size"] not in POOL_SIZES:
            raise ValueError(f"pool_size must be one of {POOL_SIZES}, got "
                             f"{values['pool_size']!r}.")

    def make_controls(self, v):
        controls = {"kernel": choice("kernel", KERNELS, v["kernel"]),
                    "stride": slider("stride s", v["stride"], 1, 3),
                    "pad": slider("padding p", v["pad"], 0, 2),
                    "pooling": choice("pooling", POOLINGS, v["pooling"]),
                    "pool_size": choice("pool size f", POOL_SIZES, v["pool_size"])}
        controls["pool_size"].layout = LOOK["layout"] | {"width": "200px"}
        return controls | {name: _number(float(x)) for name, x in zip(NUMBERS,
                                                                       self._numbers.ravel())}

    def linked(self, name, value):
        """A preset fills the nine numbers; an edited number names the kernel they make; a pool
        size chosen while pooling is off turns max pooling on (so it shows)."""
        if name == "kernel" and value != CUSTOM:
            return dict(zip(NUMBERS, PRESETS[value].ravel().tolist()))
        if name == "pool_size" and self.settings()["pooling"] == "none":
            return {"pooling": "max"}
        return {"kernel": preset_named(self.kernel(self.settings()))} if name in NUMBERS else {}

    @staticmethod
    def kernel(settings: dict) -> np.ndarray:
        """The 3×3 kernel W[r, c] of a run's settings."""
        return np.array([settings[name] for name in NUMBERS], dtype=float).reshape(F, F)

    # -- the one step ----------------------------------------------------------------------
    def start(self, run):
        s = run.settings
        kernel = self.kernel(s)
        if not np.isfinite(kernel).all():
            r, c = np.argwhere(~np.isfinite(kernel))[0]
            raise StopRun("failed", f"The kernel number W[{r}, {c}] is {kernel[r, c]}: type a "
                          "finite number.")
        A_prev = self.picture[None, :, :, None].copy()  # a copy: the learner's code may write
        hparameters = {"stride": s["stride"], "pad": s["pad"]}
        Z, _ = conv(self.functions["conv_forward"], A_prev, kernel.reshape(F, F, 1, 1),
                    np.zeros((1, 1, 1, 1)), hparameters)
        run.work["Z"] = np.asarray(Z, dtype=float)[0, :, :, 0]
        f = s["pool_size"]
        if s["pooling"] != "none" and min(run.work["Z"].shape) >= f:
            A, _ = pool(self.functions["pool_forward"], np.asarray(Z, dtype=float).copy(),
                        {"f": f, "stride": f}, s["pooling"])
            run.work["A"] = np.asarray(A, dtype=float)[0, :, :, 0]

    def step(self, run, i):
        return i + 1  # start computed the run's one result

    def end(self, run):
        s, Z = run.settings, run.work["Z"]
        n_H, n_W = self.picture.shape
        conv_name = getattr(self.functions["conv_forward"], "__name__", "conv_forward")
        words = (f"Z = <code>{conv_name}</code>(picture, W, b = 0, stride {s['stride']}, pad "
                 f"{s['pad']}): {n_H} × {n_W} → {Z.shape[0]} × {Z.shape[1]}, values "
                 f"{Z.min():.3g} to {Z.max():.3g}")
        if "A" in run.work:
            A, f = run.work["A"], s["pool_size"]
            words += (f" &middot; {s['pooling']} pooling {f}×{f}, stride {f}: {A.shape[0]} × "
                      f"{A.shape[1]}")
        run.message = words
        run.warning = " ".join(filter(None, (self._left_out(s), self._too_small(run))))

    def _left_out(self, s: dict) -> str:
        """Words for rows or columns of the padded picture that no window covers (the floor)."""
        stride, pad = s["stride"], s["pad"]
        rows, cols = ((n + 2 * pad - F) % stride for n in self.picture.shape)
        if not rows and not cols:
            return ""
        parts = [f"{k} {what}{'s' if k > 1 else ''}" for k, what in ((rows, "row"),
                                                                     (cols, "column")) if k]
        return (f"With stride {stride} the last {' and '.join(parts)} of the padded picture fall "
                "outside every window: that is the floor ⌊ ⌋ in the formula.")

    def _too_small(self, run) -> str:
        s, Z = run.settings, run.work["Z"]
        if s["pooling"] == "none" or "A" in run.work:
            return ""
        return (f"Z is {Z.shape[0]} × {Z.shape[1]}: too small for {s['pool_size']}×"
                f"{s['pool_size']} pooling.")

    # -- drawing -------------------------------------------------------------------------------
    def build(self, frame):
        """The picture (drawn once), the kernel grid and the two maps."""
        picture_ax, kernel_ax, z_ax, pool_ax = frame.axes
        n_H, n_W = self.picture.shape
        picture_ax.imshow(self.picture, cmap="gray", vmin=min(0.0, self.picture.min()),
                          vmax=max(1.0, self.picture.max()), interpolation="nearest")
        picture_ax.set_title(f"picture, {n_H} × {n_W}", fontsize=9, pad=4)
        self.kernel_image = frame.animate(kernel_ax.imshow(np.zeros((F, F)), cmap=MAP_COLORS,
                                                           vmin=-1, vmax=1))
        self.kernel_texts = [frame.animate(kernel_ax.text(c, r, "", ha="center", va="center",
                                                          fontsize=9))
                             for r in range(F) for c in range(F)]
        self.kernel_title = frame.title(kernel_ax)
        self.z_image = frame.animate(z_ax.imshow(np.zeros((1, 1)), cmap=MAP_COLORS,
                                                 interpolation="nearest"))
        self.pool_image = frame.animate(pool_ax.imshow(np.zeros((1, 1)), cmap=MAP_COLORS,
                                                       interpolation="nearest"))
        self.z_title, self.pool_title = frame.title(z_ax), frame.title(pool_ax)
        self.z_note, self.pool_note = frame.note(z_ax, "#b00", 8), frame.note(pool_ax, "#666", 8)
        for ax in frame.axes:
            ax.set(xticks=[], yticks=[])
        for ax in frame.axes[1:]:
            frame.animate(*ax.spines.values())  # over the images

    def draw(self, run):
        s = run.settings
        kernel = self.kernel(s)
        self._draw_kernel(kernel, s["kernel"])
        Z, A = run.work.get("Z"), run.work.get("A")
        n_H, n_W = self.picture.shape
        scale = float(np.abs(Z).max()) if Z is not None and Z.size else 0.0
        self.z_title.set_text(
            f"feature map Z ({s['kernel']}), {Z.shape[0]} × {Z.shape[1]}\n"
            f"n_H = {size_words(n_H, F, s['pad'], s['stride'])}" if Z is not None else
            "feature map Z")
        self._show_map(self.z_image, Z, scale)
        self.z_note.set_text(plain(self.problem(run), 40) if Z is None else "")
        f = s["pool_size"]
        if A is not None:
            self.pool_title.set_text(f"{s['pooling']} pooling {f}×{f}, stride {f}: "
                                     f"{A.shape[0]} × {A.shape[1]}\n"
                                     f"n_H = {size_words(Z.shape[0], f, None, f)}")
        else:
            self.pool_title.set_text("pooled map")
        self.pool_note.set_text(self._pool_words(run))
        self.pool_note.set_color("#b00" if Z is not None and run.state == "failed" else "#666")
        self._show_map(self.pool_image, A, scale)

    def _pool_words(self, run) -> str:
        """The pooled panel's note when it shows no map: why."""
        s = run.settings
        if "A" in run.work:
            return ""
        if s["pooling"] == "none":
            return "pooling: none\n(choose max or average)"
        if "Z" not in run.work:
            return "no Z to pool"
        if run.state == "failed":
            return plain(self.problem(run), 40)
        return self._too_small(run).replace(": ", ":\n")

    def _draw_kernel(self, kernel: np.ndarray, name: str) -> None:
        top = float(np.abs(kernel).max()) or 1.0
        self.kernel_image.set_data(kernel)
        self.kernel_image.set_clim(-top, top)
        for text, value in zip(self.kernel_texts, kernel.ravel()):
            text.set_text(f"{value:.3g}")
            text.set_color("white" if abs(value) > 0.6 * top else "black")
        self.kernel_title.set_text(f"kernel W: {name}\nsum {kernel.sum():.3g}")

    @staticmethod
    def _show_map(image, values, scale: float) -> None:
        """A map on the colour scale ±scale centred on 0, at its own size; hidden if None."""
        image.set_visible(values is not None)
        if values is None:
            return
        h, w = values.shape
        image.set_data(values)
        image.set_extent((-0.5, w - 0.5, h - 0.5, -0.5))
        image.set_clim(-(scale or 1.0), scale or 1.0)


def filter_explorer(conv_forward, pool_forward, picture=None, **defaults) -> FilterExplorer:
    """Shows the filter explorer on the learner's conv_forward and pool_forward (pass the fast
    versions) and a grayscale picture (default: Grace Hopper), and returns it; `defaults` as in
    FilterExplorer.DEFAULTS."""
    return FilterExplorer(conv_forward, pool_forward, picture, **defaults).show()


"""Week 5's feature-map browser: what each stage of the notebook's trained CNN computes on a
photo, by the learner's own layers (`cnn.feature_maps`), channel by channel or all at once.

    feature_map_browser(layers, params, X_dev[:8], Y_dev[0, :8], class_names)

Controls: the photo (an index into X), the stage (conv1, relu1, pool1, conv2, relu2, pool2), the
channel (its range follows the stage) or all channels as a grid. Panels: the photo with its true
and predicted class (`cnn.predict_cnn`), the chosen map(s) on one colour scale per stage and
photo, centred on 0, and the stage's filter: W[:, :, :, c] of its convolution summed over the
input channels (conv1 has one), annotated; all of them as a grid. The maps of a photo are
computed once, when it is first shown; a stage or channel change only redraws. A run is one
step of the base `Explorer` (num_iterations 1): the learner's code is checked in `start`.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from ..learner_code import StopRun
from .base import Explorer
from .controls import LOOK, choice, slider
from .filters import MAP_COLORS, conv, pool
from .frame import plain

STAGES = ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2")
RIGHT, WRONG = "#1a7f37", "#c0392b"
PARAMETERS = ("W1", "b1", "W2", "b2", "W3", "b3")


def layer_of(stage: str) -> int:
    """The convolution a stage belongs to: 1 for conv1, relu1, pool1; 2 for the others."""
    return int(stage[-1])


def mosaic(maps, gap: float = math.nan) -> np.ndarray:
    """The channels of `maps` (n_H, n_W, n_C) side by side in a grid of rows = ⌊√n_C⌋ rows
    (8 channels: 2 × 4; 16: 4 × 4), one `gap` pixel between tiles; unused tiles are `gap`."""
    maps = np.asarray(maps, dtype=float)
    n_H, n_W, n_C = maps.shape
    rows = max(1, math.isqrt(n_C))
    cols = -(-n_C // rows)
    grid = np.full((rows * (n_H + 1) - 1, cols * (n_W + 1) - 1), gap)
    for c in range(n_C):
        r, k = divmod(c, cols)
        grid[r * (n_H + 1):r * (n_H + 1) + n_H, k * (n_W + 1):k * (n_W + 1) + n_W] = maps[..., c]
    return grid


def filters_of(params: dict, stage: str) -> np.ndarray:
    """The stage's convolution filters summed over their input channels, (f, f, n_C)."""
    return np.asarray(params[f"W{layer_of(stage)}"], dtype=float).sum(axis=2)


def _check_inputs(layers, params, X, labels, class_names):
    """X as floats, labels as ints (m,), class names as strings; bad ones raise in words."""
    who = "feature_map_browser"
    if not all(callable(getattr(layers, role, None)) for role in ("conv_forward",
                                                                  "pool_forward")):
        raise TypeError(f"{who}: pass layers = Layers(conv_forward_fast, conv_backward_fast, "
                        "pool_forward_fast, pool_backward_fast) from course_utils.cnn, got "
                        f"{type(layers).__name__}.")
    missing = [key for key in PARAMETERS if not isinstance(params, dict) or key not in params]
    if missing:
        raise ValueError(f"{who}: params must be the trained network's dict "
                         f"({', '.join(PARAMETERS)}, as train_cnn(...).params), missing "
                         f"{', '.join(missing)}.")
    X = np.asarray(X, dtype=float)
    if X.ndim != 4 or X.shape[3] != params["W1"].shape[2] or len(X) == 0:
        hint = " Add the channel axis: X[..., np.newaxis]." if X.ndim == 3 else ""
        raise ValueError(f"{who}: X must be a few pictures (m, n_H, n_W, "
                         f"{params['W1'].shape[2]}), channels last, got shape {X.shape}.{hint}")
    labels = np.asarray(labels).reshape(-1)
    names = [str(name.decode() if isinstance(name, bytes) else name) for name in class_names]
    if labels.size != len(X) or not np.issubdtype(labels.dtype, np.integer) or \
            labels.min() < 0 or labels.max() >= len(names):
        raise ValueError(f"{who}: labels must be {len(X)} int labels (one per picture of X) "
                         f"from 0 to {len(names) - 1} (one per class name), got shape "
                         f"{labels.shape} of {labels.dtype}.")
    return X, labels, names


class FeatureMapBrowser(Explorer):
    """Controls, status line and one live figure around the learner's layers (a `cnn.Layers`)
    and the trained params, on pictures X with int labels and class names."""

    NAME = "feature_map_browser"
    FUNCTIONS = ("conv_forward", "pool_forward")
    DEFAULTS = {"index": 0, "layer": "conv1", "channel": 0, "all_channels": False,
                "num_iterations": 1}  # one step: a run shows one photo's maps
    COLUMNS = (("index", "layer"), ("channel", "all_channels"))
    EXPLODED = None
    SIZE = (11.0, 3.4)
    BOXES = ([0.01, 0.05, 0.2, 0.74], [0.25, 0.05, 0.44, 0.74], [0.75, 0.12, 0.22, 0.6])

    def __init__(self, layers, params, X, labels, class_names, **values):
        self.X, self.labels, self.class_names = _check_inputs(layers, params, X, labels,
                                                              class_names)
        self.layers, self.params = layers, params
        self.channels = {stage: params[f"W{layer_of(stage)}"].shape[3] for stage in STAGES}
        self.cache: dict = {}  # photo index -> (maps, predicted class), for these functions
        super().__init__(layers.conv_forward, layers.pool_forward, **values)
        self.controls["channel"].disabled = self.controls["all_channels"].value

    def check_settings(self, values):
        m, index = len(self.X), values["index"]
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < m:
            raise ValueError(f"index must be a whole number from 0 to {m - 1} (a picture of X), "
                             f"got {index!r}.")
        if values["layer"] in self.channels:
            n_C, channel = self.channels[values["layer"]], values["channel"]
            if isinstance(channel, bool) or not isinstance(channel, int) or \
                    not 0 <= channel < n_C:
                raise ValueError(f"channel must be a whole number from 0 to {n_C - 1} "
                                 f"({values['layer']} has {n_C} channels), got {channel!r}.")

    def make_controls(self, v):
        import ipywidgets

        return {"index": slider("photo", v["index"], 0, len(self.X) - 1),
                "layer": choice("layer", STAGES, v["layer"]),
                "channel": slider("channel", v["channel"], 0, self.channels[v["layer"]] - 1),
                "all_channels": ipywidgets.Checkbox(
                    description="all channels", value=bool(v["all_channels"]), indent=False,
                    layout=LOOK["layout"] | {"width": "160px"})}

    def linked(self, name, value):
        """The channel slider's range follows the stage (a smaller max clamps its value) and it
        is off while all channels show."""
        if name == "layer":
            self.controls["channel"].max = self.channels[value] - 1
        elif name == "all_channels":
            self.controls["channel"].disabled = bool(value)
        return {}

    # -- the one step ------------------------------------------------------------------------
    def start(self, run):
        run.work["maps"], run.work["predicted"] = self.maps(run.settings["index"])

    def maps(self, index: int):
        """(feature maps, predicted class) of photo `index` by the learner's layers: computed
        once per photo (and per pair of functions), in words if the learner's code fails."""
        from ..cnn import Layers, TrainingStopped, feature_maps, predict_cnn

        conv_forward, pool_forward = self.functions["conv_forward"], self.functions["pool_forward"]
        key = (index, conv_forward, pool_forward)
        if key not in self.cache:
            x = self.X[index:index + 1]
            W1, b1, f = self.params["W1"], self.params["b1"], self.params["W1"].shape[0]
            # the first layer by hand first: explorer words for a stub, a crash or a bad shape
            Z = conv(conv_forward, x.copy(), W1, b1, {"stride": 1, "pad": (f - 1) // 2})[0]
            pool(pool_forward, np.maximum(Z, 0), {"f": 2, "stride": 2}, "max")
            layers = self.layers
            if dataclasses.is_dataclass(layers):
                layers = dataclasses.replace(layers, conv_forward=conv_forward,
                                             pool_forward=pool_forward)
            elif not isinstance(layers, Layers):
                layers = Layers(conv_forward, layers.conv_backward, pool_forward,
                                layers.pool_backward)
            try:
                maps = feature_maps(layers, self.params, x)
                predicted = int(np.ravel(predict_cnn(layers, self.params, x))[0])
            except TrainingStopped as stopped:
                raise StopRun("failed", str(stopped).replace("then train again",
                                                             "then move a control again")) from None
            self.cache = {k: v for k, v in self.cache.items() if k[1:] == key[1:]}
            self.cache[key] = {stage: np.asarray(maps[stage], dtype=float)[0]
                               for stage in STAGES}, predicted
        return self.cache[key]

    def step(self, run, i):
        return i + 1  # start found the photo's maps

    def end(self, run):
        s, maps = run.settings, run.work["maps"]
        stage, n_C = s["layer"], self.channels[s["layer"]]
        shown = maps[stage] if s["all_channels"] else maps[stage][..., s["channel"]]
        which = f"all {n_C} channels" if s["all_channels"] else \
            f"channel {s['channel']} of {n_C}"
        truth, said = self.labels[s["index"]], run.work["predicted"]
        run.message = (f"photo {s['index']}: {self.class_names[truth]}, predicted "
                       f"{self.class_names[said]} &middot; {stage} {which}, "
                       f"{maps[stage].shape[0]} × {maps[stage].shape[1]}, values "
                       f"{shown.min():.3g} to {shown.max():.3g}")

    # -- drawing -------------------------------------------------------------------------------
    def build(self, frame):
        """The photo, the map(s) and the filter(s) with its nine numbers."""
        photo_ax, map_ax, filter_ax = frame.axes
        low, high = float(self.X.min()), float(self.X.max())
        self.photo = frame.animate(photo_ax.imshow(self.X[0, :, :, 0], cmap="gray", vmin=low,
                                                   vmax=high if high > low else low + 1,
                                                   interpolation="nearest"))
        self.photo_title = frame.title(photo_ax)
        self.map_image = frame.animate(map_ax.imshow(np.zeros((1, 1)), cmap=MAP_COLORS,
                                                     interpolation="nearest"))
        self.map_title = frame.title(map_ax)
        self.map_note = frame.note(map_ax, "#b00", 8)
        f = self.params["W1"].shape[0]
        self.filter_image = frame.animate(filter_ax.imshow(np.zeros((f, f)), cmap=MAP_COLORS,
                                                           interpolation="nearest"))
        self.filter_texts = [frame.animate(filter_ax.text(c, r, "", ha="center", va="center",
                                                          fontsize=8))
                             for r in range(f) for c in range(f)]
        self.filter_title = frame.title(filter_ax, 8)
        for ax in frame.axes:
            ax.set(xticks=[], yticks=[])
            frame.animate(*ax.spines.values())  # over the images

    def draw(self, run):
        s = run.settings
        index, stage, channel = s["index"], s["layer"], s["channel"]
        self.photo.set_data(self.X[index, :, :, 0])
        truth, said = self.labels[index], run.work.get("predicted")
        title = f"photo {index}: {self.class_names[truth]}"
        if said is not None:
            title += f"\npredicted {self.class_names[said]} {'✓' if said == truth else '✗'}"
        self.photo_title.set_text(title)
        self.photo_title.set_color("black" if said is None else RIGHT if said == truth
                                   else WRONG)
        self._draw_maps(run)
        self._draw_filters(stage, None if s["all_channels"] else channel)

    def _draw_maps(self, run) -> None:
        s, maps = run.settings, run.work.get("maps")
        stage, n_C = s["layer"], self.channels[s["layer"]]
        self.map_image.set_visible(maps is not None)
        self.map_note.set_text("" if maps is not None else plain(self.problem(run), 60))
        if maps is None:
            self.map_title.set_text(stage)
            return
        values = maps[stage]
        shown = mosaic(values) if s["all_channels"] else values[..., s["channel"]]
        scale = float(np.abs(values).max()) or 1.0  # one scale for the stage's channels
        h, w = shown.shape
        self.map_image.set_data(shown)
        self.map_image.set_extent((-0.5, w - 0.5, h - 0.5, -0.5))
        self.map_image.set_clim(-scale, scale)
        which = f"all {n_C} channels" if s["all_channels"] else \
            f"channel {s['channel']} of {n_C}"
        self.map_title.set_text(f"{stage}, {which}: {values.shape[0]} × {values.shape[1]} "
                                f"each\ncolour scale ±{scale:.3g} (red > 0, blue < 0)")

    def _draw_filters(self, stage: str, channel: int | None) -> None:
        filters = filters_of(self.params, stage)
        l, n_prev = layer_of(stage), self.params[f"W{layer_of(stage)}"].shape[2]
        scale = float(np.abs(filters).max()) or 1.0
        summed = f" summed over {n_prev} input channels" if n_prev > 1 else ""
        if channel is None:
            shown = mosaic(filters)
            title = f"W{l}: the {filters.shape[2]} filters of conv{l}\n{summed.strip()}"
        else:
            shown = filters[..., channel]
            index = ":" if n_prev > 1 else "0"
            title = f"W{l}[:, :, {index}, {channel}]{summed}"
            title = title.replace(" summed", "\nsummed") if summed else title + "\n"
        h, w = shown.shape
        self.filter_image.set_data(shown)
        self.filter_image.set_extent((-0.5, w - 0.5, h - 0.5, -0.5))
        self.filter_image.set_clim(-scale, scale)
        for text, value in zip(self.filter_texts, shown.ravel() if channel is not None else ()):
            text.set_text(f"{value:.2f}")
            text.set_color("white" if abs(value) > 0.6 * scale else "black")
        if channel is None:
            for text in self.filter_texts:
                text.set_text("")
        self.filter_title.set_text(title)


def feature_map_browser(layers, params, X, labels, class_names, **defaults) -> FeatureMapBrowser:
    """Shows the feature-map browser on the learner's layers (a `cnn.Layers` of the fast
    functions), the trained params and a few photos X (m, 28, 28, 1) with int labels (m,) and
    their class names, and returns it; `defaults` as in FeatureMapBrowser.DEFAULTS."""
    return FeatureMapBrowser(layers, params, X, labels, class_names, **defaults).show()

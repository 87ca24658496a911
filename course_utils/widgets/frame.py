"""An explorer's figure: fixed axes boxes, each frame rendered to PNG bytes with one draw and
shown in one image output updated in place, so exported HTML shows the last frame without a
kernel. Panels keep their artists (laying out axes and ticks again is most of a frame's cost)."""

from __future__ import annotations

import html
import io
import re
import textwrap

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

DPI = 90
CLASS_COLORS = ("#c0392b", "#2166ac")  # class 0, class 1
TITLE = {"fontsize": 9, "y": 1.0, "pad": 4}  # a given y: titles are not placed again each frame


class Frame:
    """A figure off pyplot (callbacks draw on any thread) without a layout engine (it draws twice):
    all but the `animate`d is drawn once into a kept background, again when axis limits change."""

    def __init__(self, size: tuple[float, float], boxes):
        self.figure = Figure(figsize=size, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = [self.figure.add_axes(box) for box in boxes]
        self.animated, self.handle, self.updates = [], None, 0
        self._background = self._limits = None

    def animate(self, *artists):
        """Marks artists as changing from frame to frame; returns the first."""
        for artist in artists:
            artist.set_animated(True)
            self.animated.append(artist)
        return artists[0]

    def remove(self, artist) -> None:
        self.animated.remove(artist)
        artist.remove()

    def title(self, ax, fontsize: float = 9):
        return self.animate(ax.set_title("", **TITLE | {"fontsize": fontsize}))

    def note(self, ax, color: str, fontsize: float):
        """An animated empty text box in the middle of `ax`, over its other artists."""
        return self.animate(ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center",
                                    va="center", fontsize=fontsize, color=color, zorder=5,
                                    bbox={"facecolor": "white", "alpha": 0.8, "linewidth": 0}))

    def png(self) -> bytes:
        """The frame as PNG bytes: at most one draw of the figure, then a fast zlib level."""
        limits = [(ax.get_xlim(), ax.get_ylim()) for ax in self.axes]
        if limits != self._limits:
            self.canvas.draw()  # all but the animated artists, laid out once
            self._background, self._limits = self.canvas.copy_from_bbox(self.figure.bbox), limits
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in sorted(self.animated, key=lambda artist: artist.get_zorder()):
            artist.draw(renderer)
        buffer = io.BytesIO()
        rgba = self.canvas.buffer_rgba()
        Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1).save(
            buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def show(self, png: bytes) -> None:
        """Sends a rendered frame into the one image output (the first call displays it)."""
        from IPython import display

        picture = display.Image(data=png, format="png")
        if self.handle is None:
            self.handle = display.display(picture, display_id=True)
        else:
            self.handle.update(picture)
        self.updates += 1


def plain(message: str, width: int) -> str:
    """HTML words as wrapped plain text, for the figure (static copies have no status line)."""
    return textwrap.fill(html.unescape(re.sub(r"<[^>]+>", "", message)), width)


def probability_colors(probabilities, shape):
    """RGB of P(class 1) on a map (red 0, blue 1), washed towards white; white if None."""
    if probabilities is None:
        return np.ones(shape + (3,))
    return 0.55 * colormaps["RdBu"](probabilities)[..., :3] + 0.45


class CostPanel:
    """Cost curves against iterations, a title, and a red note saying what went wrong."""

    def __init__(self, frame: Frame, ax, labels=(None,), wrap: int = 48, from_zero: bool = True):
        self.ax, self.wrap, self.from_zero = ax, wrap, from_zero
        self.lines = [frame.animate(ax.plot([], [], label=label)[0]) for label in labels]
        ax.set(xlabel="iteration", ylabel="cost J")
        if labels[0]:
            frame.animate(ax.legend(fontsize=8, loc="upper right"))  # over the lines
        ax.locator_params(nbins=4)  # each tick label costs a few ms per frame
        self.title, self.note = frame.title(ax), frame.note(ax, "#b00", 8)

    def show(self, iterations, curves, num_iterations: int, title: str, problem: str = ""):
        shown = [0.0] if self.from_zero else []
        for line, costs in zip(self.lines, curves):
            costs = np.array(costs, dtype=float)
            costs[~np.isfinite(costs)] = np.nan  # a gap in the line
            line.set_data(iterations, costs)
            shown += list(costs[np.isfinite(costs)])
        low, high = min(shown, default=0.0), max(shown, default=1.0)
        margin = 0.05 * (high - low) or 0.05 * abs(high) or 1.0
        self.ax.set(xlim=(0, num_iterations),
                    ylim=(low if self.from_zero else low - margin, high + margin))
        self.title.set_text(title)
        self.note.set_text(plain(problem, self.wrap))


class MapPanel:
    """P(class 1) over the plane as an image, the data points on it, and the 0.5 line."""

    def __init__(self, frame: Frame, ax, grid: int, interpolation: str = "nearest",
                 line: bool = True, colors=CLASS_COLORS):
        self.frame, self.ax, self.size, self.line, self.colors = frame, ax, grid, line, colors
        # an opaque RGB image is the cheapest image for Agg to paint
        self.image = frame.animate(ax.imshow(np.ones((grid, grid, 3)), origin="lower",
                                             interpolation=interpolation))
        frame.animate(*ax.spines.values())  # over the image
        self.points, self.contour, self.data = [], None, None
        ax.set(xticks=[], yticks=[])
        self.title = frame.title(ax)

    def show_data(self, data, styles) -> None:
        """Points (X, Y) of each part of `data` with its style (edge colour, size, width);
        also sets the map's extent and the grid of points P(class 1) is computed on."""
        if data is self.data:
            return
        self.data = data
        parts = list(zip(data[0::2], data[1::2]))[:len(styles)]  # (X, Y), (X_test, Y_test)
        X = np.hstack([X for X, _ in parts])
        lo, hi = X.min(axis=1), X.max(axis=1)
        lo, hi = lo - 0.08 * (hi - lo) - 0.1, hi + 0.08 * (hi - lo) + 0.1
        self.image.set_extent((lo[0], hi[0], lo[1], hi[1]))
        g1, g2 = np.meshgrid(*(np.linspace(a, b, self.size) for a, b in zip(lo, hi)))
        self.mesh, self.grid = (g1, g2), np.vstack([g1.ravel(), g2.ravel()])
        for points in self.points:
            self.frame.remove(points)
        self.points = [self.frame.animate(self.ax.scatter(
            X[0], X[1], c=np.where(Y[0] > 0.5, self.colors[1], self.colors[0]), s=size,
            edgecolors=edge, linewidths=line)) for (X, Y), (edge, size, line) in zip(parts, styles)]
        self.ax.set(xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]))

    def show(self, probabilities, title: str) -> None:
        """Colours the map by P(class 1) on `grid` (None: white) and draws the 0.5 line."""
        shape = (self.size, self.size)
        if probabilities is not None:
            probabilities = np.asarray(probabilities, dtype=float).reshape(shape)
            probabilities = probabilities if np.isfinite(probabilities).all() else None
        self.image.set_data(probability_colors(probabilities, shape))
        if self.contour is not None:
            self.frame.remove(self.contour)
            self.contour = None
        if self.line and probabilities is not None and probabilities.min() < 0.5 < \
                probabilities.max():
            self.contour = self.frame.animate(self.ax.contour(
                *self.mesh, probabilities, levels=[0.5], colors="k", linewidths=1.0))
        self.title.set_text(title)

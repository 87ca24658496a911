"""What the explorer tests share: what a frame shows (in its artists and in its pixels), and
the proof that a second move made while the first run trains shows only the second's result."""

from __future__ import annotations

import asyncio
import io

import numpy as np
from matplotlib.colors import to_rgb
from PIL import Image


def pixels(frame) -> np.ndarray:
    """The frame as sent (PNG bytes decoded), RGB floats in [0, 1], row 0 at the top."""
    return np.asarray(Image.open(io.BytesIO(frame.png())).convert("RGB"), dtype=float) / 255


def pixel_positions(ax, X) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns in the frame's pixels of the data points X (2, m) of axes `ax`."""
    x, y = ax.transData.transform(np.asarray(X).T).T
    height = ax.figure.bbox.height
    return np.round(height - y).astype(int), np.round(x).astype(int)


def drawn_in_class_colours(panel, X, Y) -> float:
    """The fraction of the points X (2, m) whose centre pixel in the rendered frame of a map
    panel has the colour of its class (Y), within a little antialiasing (the map is paler)."""
    image = pixels(panel.frame)
    rows, cols = pixel_positions(panel.ax, X)
    expected = np.array([to_rgb(panel.colors[int(label > 0.5)]) for label in np.ravel(Y)])
    return float(np.mean(np.abs(image[rows, cols] - expected).max(axis=1) < 0.1))


def assert_points_drawn(panel, index, X, Y) -> None:
    """Scatter `index` of a map panel holds exactly the points X (2, m), coloured by labels Y."""
    scatter = panel.points[index]
    np.testing.assert_array_equal(scatter.get_offsets(), np.asarray(X).T)
    expected = np.array([to_rgb(panel.colors[int(label > 0.5)]) for label in np.ravel(Y)])
    np.testing.assert_allclose(scatter.get_facecolors()[:, :3], expected)


def assert_curve(line, iterations, costs) -> None:
    """A cost line shows exactly the recorded costs at the recorded iterations."""
    np.testing.assert_array_equal(line.get_xdata(), iterations)
    np.testing.assert_allclose(line.get_ydata(), costs)


def second_move(explorer, first: dict, second: dict, mid_training: bool = True):
    """On a running event loop (as in a kernel), moves the controls to `first`, waits until
    that run has trained a chunk (a state, not a duration), moves them to `second` and waits
    for both runs to end. Asserts that the first run was cancelled without drawing after the
    move and that only the second's result is drawn; returns (first run, second run)."""

    async def scenario():
        run = explorer.set(**first)
        task = explorer.task
        while run.iteration == 0 and run.finished is None:
            await asyncio.sleep(0)
        assert run.state in ("running", "done") and run.finished is None, run.state
        if mid_training:
            assert run.iteration < run.settings["num_iterations"], "the first run is training"
        frames = run.redraws
        latest = explorer.set(**second)
        await explorer.task
        await task
        return run, frames, latest

    updates = explorer.frame.updates
    run, frames, latest = asyncio.run(scenario())
    assert run.state == "cancelled" and run.redraws == frames, "the stale run drew after the move"
    assert latest.state == "done", latest.message
    assert explorer.frame.updates == updates + run.redraws + latest.redraws
    assert explorer.last_run is latest
    return run, latest

"""Figures the notebooks draw: image grids and decision boundaries (frames: `widgets.frame`)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure


def image_grid(images, titles, ncols: int = 6, size: float = 1.6):
    """A figure showing uint8 images (m, h, w, 3), or gray ones (m, h, w, 1) / (m, h, w), with a
    title each. Gray pictures are drawn with cmap="gray" on the fixed range 0..255 (so a dark
    picture stays dark instead of being stretched)."""
    count = len(images)
    nrows = max(1, -(-count // ncols))
    fig = Figure(figsize=(ncols * size, nrows * (size + 0.3)), dpi=90, layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    for ax in axes:
        ax.axis("off")
    for ax, image, title in zip(axes, images, titles):
        image = np.asarray(image)
        if image.ndim == 3 and image.shape[-1] == 1:
            image = image[..., 0]
        if image.ndim == 2:
            ax.imshow(image, cmap="gray", vmin=0, vmax=255)
        else:
            ax.imshow(image)
        ax.set_title(title, fontsize=8)
    return fig


def decision_boundary(ax, predict, X, Y, resolution: int = 150, margin: float = 0.5,
                      title: str | None = None) -> None:
    """Colours the plane by `predict` (a function of a (2, k) array returning (1, k) labels or
    probabilities) and draws the points of X (2, m) coloured by Y (1, m)."""
    x0, x1 = X[0].min() - margin, X[0].max() + margin
    y0, y1 = X[1].min() - margin, X[1].max() + margin
    xx, yy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.vstack([xx.ravel(), yy.ravel()])
    zz = np.asarray(predict(grid), dtype=float).reshape(xx.shape)
    ax.contourf(xx, yy, zz, levels=[-0.01, 0.5, 1.01], colors=["#f4c7c3", "#c6dbef"], alpha=0.9)
    ax.scatter(X[0], X[1], c=np.ravel(Y), cmap="RdBu", s=12, edgecolors="k", linewidths=0.3,
               vmin=0, vmax=1)
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xticks=[], yticks=[])
    if title:
        ax.set_title(title, fontsize=9)


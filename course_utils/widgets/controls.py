"""Controls of an explorer: one look for all; sliders retrain when released, not while dragged."""

from __future__ import annotations

import math

LOOK = {"style": {"description_width": "95px"}, "layout": {"width": "290px"}}


def _make(kind: str, description: str, **options):
    import ipywidgets

    return getattr(ipywidgets, kind)(description=description, **LOOK, **options)


def slider(description: str, value, low, high, step=1):
    """A linear slider over [low, high], widened to hold `value`; whole numbers if all are."""
    whole = all(isinstance(x, int) for x in (value, low, high, step))
    return _make("IntSlider" if whole else "FloatSlider", description, value=value, step=step,
                 min=min(low, value), max=max(high, value), continuous_update=False)


def log_slider(description: str, value: float, low: int, high: int, step: float = 0.1,
               readout: str = ".3g"):
    """A slider over 10**low .. 10**high, widened to hold `value`."""
    exponent = math.log10(value)
    return _make("FloatLogSlider", description, value=value, base=10, step=step,
                 min=min(low, math.floor(exponent)), max=max(high, math.ceil(exponent)),
                 readout_format=readout, continuous_update=False)


def choice(description: str, options, value):
    """A drop-down list; an unknown `value` is a ValueError that lists the options."""
    if value not in options:
        raise ValueError(f"unknown {description} {value!r}: choose one of {tuple(options)}.")
    return _make("Dropdown", description, options=list(options), value=value)


def steps(description: str, options, value):
    """A slider over a few given values (e.g. regularization strengths), `value` among them."""
    return _make("SelectionSlider", description, options=sorted(set(options) | {value}),
                 value=value, continuous_update=False)

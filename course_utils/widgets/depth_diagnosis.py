"""Week 3's diagnosis of a deep network at initialization, from the spread of its activations
and gradients layer by layer: vanishing, exploding, a dead layer, or healthy, in words."""

from __future__ import annotations

import math

import numpy as np

VANISHING = 0.05  # spread of dW[1] below this fraction of dW[L]'s: vanishing gradients,
EXPLODING = 20.0  # above this many times dW[L]'s: exploding gradients
SHRINK = 0.1  # the activations' spread shrinking (or growing) by this factor per hidden layer,
TOTAL = 0.01  # or by this factor from the first hidden layer to the last: vanishing (exploding)
# how a ratio r of spreads reads before "those of", by range: "0.67 times", "1/45 of", "300 times"
RATIO_WORDS = ((0.05, 20, "{r:.2g} times"), (1e-3, 0.05, "1/{inverse:.0f} of"),
               (20, 1e3, "{r:.0f} times"))


def _spread(value) -> float:
    try:
        return float(np.std(np.asarray(value, dtype=float)))
    except (TypeError, ValueError):
        return math.nan


def layer_spreads(AL, caches, grads) -> dict:
    """{"A": [std A[1], ..., std A[L]], "dW": [std dW[1], ..., std dW[L]]} from what
    L_model_forward and L_model_backward returned (caches[l] = ((A[l], W, b), Z))."""
    L = len(caches)
    activations = [_spread(caches[l][0][0]) for l in range(1, L)] + [_spread(AL)]
    return {"A": activations, "dW": [_spread(grads["dW" + str(l)]) for l in range(1, L + 1)]}


def _times(ratio: float) -> str:
    if not (math.isfinite(ratio) and ratio > 0):
        return f"{ratio} times"
    for low, high, words in RATIO_WORDS:
        if low <= ratio <= high:
            return words.format(r=ratio, inverse=1 / ratio)
    return f"10<sup>{round(math.log10(ratio))}</sup> times"


def _near(width: int) -> str:
    return f"sqrt(1/width) = sqrt(1/{width}) &asymp; {math.sqrt(1 / width):.2g}"


def _fix(settings: dict, larger: bool) -> str:
    """Advice on the init scale: towards sqrt(1/width) (He's sqrt(2/width) for relu)."""
    width, scale = settings["width"], settings.get("init_scale")
    relu = settings["activation"] in ("relu", "leaky_relu")
    good, near = math.sqrt((2 if relu else 1) / width), _near(width)
    if relu:
        near += f" (or sqrt(2/width) &asymp; {good:.2g}, He's choice for relu)"
    direction = "larger" if larger else "smaller"
    if scale is None:
        return (f"Try a {direction} init scale, near {near}: give initialize_parameters_deep "
                "the keyword init_scale (see the note below).")
    if (scale < good / 1.5) if larger else (scale > good * 1.5):
        return f"Try a {direction} init scale, near {near}."
    return f"A {direction} init scale or fewer layers help."


def smaller_scale(settings: dict) -> str:
    """", or a smaller init scale (near ...)" when the init scale is above about 1, else ""."""
    scale = settings.get("init_scale")
    if scale is None or scale <= 1:
        return ""
    return f", or a smaller init scale than {scale:.3g} (near {_near(settings['width'])})"


def dead_layer(hidden) -> int | None:
    """The first hidden layer whose activations do not vary at all (1-based), or None."""
    dead = np.flatnonzero(np.asarray(hidden, dtype=float) == 0)
    return int(dead[0]) + 1 if dead.size else None


def diagnose(spreads: dict, settings: dict) -> tuple[str | None, str]:
    """(kind, a sentence) for a network at init from its `layer_spreads`; kind "dead", "exploding",
    "vanishing" or None; `settings`: width, activation, init_scale (None: fixed by the learner)."""
    A, dW = np.asarray(spreads["A"], float), np.asarray(spreads["dW"], float)
    L, hidden = len(dW), A[:-1]
    scale = settings.get("init_scale")
    scale = f"init scale {scale:.3g}" if scale is not None else "your init scale"
    if (layer := dead_layer(hidden)) is not None:
        return "dead", (f"Dead layer: the activations of layer {layer} are the same for every "
                        f"example (with relu: all its units output 0), so no gradient reaches "
                        f"the layers up to {layer}: they cannot learn. Try another width, "
                        "leaky_relu or tanh.")
    finite = bool(np.all(np.isfinite(dW)))
    growth = hidden[-1] / hidden[0] if hidden.size > 1 else 1.0
    per_layer = growth ** (1 / (hidden.size - 1)) if hidden.size > 1 else 1.0
    ratio = dW[0] / dW[-1] if dW[-1] else math.inf
    gradients = f"the gradients of layer 1 are {_times(ratio)} those of layer {L}"
    signal = (f"the spread of the activations {{}} about &times;{per_layer:.2g} per layer "
              f"(layer 1: {hidden[0]:.2g}, layer {L - 1}: {hidden[-1]:.2g})")
    if not finite or ratio > EXPLODING or per_layer > 1 / SHRINK or growth > 1 / TOTAL:
        what = (signal.format("grows") if growth > 10 else gradients if finite
                else "the weights are so large that the output saturates")
        if not finite:
            what += (", so the output sigmoid gives exactly 0 or 1 and the cost and the "
                     "gradients become infinite or nan")
        return "exploding", f"Exploding gradients with {scale}: {what}. {_fix(settings, False)}"
    if ratio < VANISHING:
        why = (" The slope of sigmoid is at most 1/4, so every sigmoid layer shrinks the gradient "
               "on its way back: tanh or relu keep it alive."
               if settings["activation"] == "sigmoid" else "")
        return "vanishing", (f"Vanishing gradients with {scale}: {gradients}, so the first "
                             f"layers barely learn. {_fix(settings, True)}{why}")
    if per_layer < SHRINK or growth < TOTAL:
        return "vanishing", (f"Vanishing gradients with {scale}: {signal.format('shrinks')}, "
                             f"and the gradients shrink with it: every dW is below "
                             f"{dW.max():.0e}, so no layer learns much. {_fix(settings, True)}")
    healthy = f"Healthy gradients at init: those of layer 1 are {_times(ratio)} those of layer {L}"
    if hidden.size == 1:
        return None, f"{healthy}."
    low, high = float(hidden.min()), float(hidden.max())
    through = f"through the {hidden.size} hidden layers ({hidden[0]:.2g} &rarr; {hidden[-1]:.2g})"
    if high <= 2 * low:
        return None, (f"{healthy}, and the spreads of the activations stay within a factor of 2 "
                      f"{through}.")
    return None, (f"{healthy}, and the spreads of the activations vary by a factor of "
                  f"{high / low:.2g} {through}, about &times;{per_layer:.2g} per layer.")


def gradient_note(kind: str | None, spreads: dict | None) -> str:
    """The diagnosis in a few words, for the gradient panel (static copies have no status)."""
    if kind is None:
        return ""
    if kind == "dead":
        return "dead layer: no gradient\nreaches the first layers"
    dW = np.asarray(spreads["dW"], dtype=float)
    ratio = dW[0] / dW[-1] if dW[-1] else None
    if not np.isfinite(dW).all():
        return f"{kind}: gradients\nare nan or infinite"
    if ratio is not None and not VANISHING <= ratio <= EXPLODING:
        return f"{kind}\ndW[1] / dW[{dW.size}] = {ratio:.0e} at init"
    if kind == "vanishing":
        return f"vanishing\nevery dW < {dW.max():.0e} at init"
    return "exploding\nthe activations grow\nlayer after layer"

"""Visible checks of week 4's initialization section: zeros, large random and He weights.

The random ones are called after the random state was set to `OUTER_SEED`, so a function that
should seed itself (seed 3 inside) but does not comes out different from the stored values.
Divided by their scales, the stored weights are the normal numbers of np.random.seed(3) in
drawing order, so a draw in another order, re-seeded, transposed or scaled wrongly is named; a
wrong scale of He is named by its formula (Xavier's, the layer's own size, no square root).
"""

from __future__ import annotations

import numpy as np

from .. import diagnoses
from ..core import Check, show
from . import WEEK

OUTER_SEED = 0  # the random state a check sets before calling; never a seed of the contract
SEED = 3  # "seed 3 inside", for both random initializations
RANDOM_SCALE = 10


def _names(dims: list[int]) -> list[str]:
    """How the hints call the layer sizes: layers_dims[0], layers_dims[1], ..."""
    return [f"layers_dims[{l}]" for l in range(len(dims))]


def _check_keys(check: Check, params, dims: list[int], context: str) -> None:
    """Exactly W1, b1, ..., WL, bL for L = len(layers_dims) - 1."""
    __tracebackhide__ = True
    L = len(dims) - 1
    keys = diagnoses.parameter_keys(L)
    check.keys(f"parameters{context}", params, keys,
               f"the network has L = len(layers_dims) - 1 = {L} layers: keys W1..W{L} and "
               f"b1..b{L}, for l in range(1, len(layers_dims)) (the last layer included).")
    extra = sorted(set(params) - set(keys))
    check.true(not extra,
               f"parameters{context} has the extra key(s) {extra}; expected exactly {keys}.",
               "l runs from 1 to L = len(layers_dims) - 1: layer 0 is the input and has no "
               "parameters, so loop for l in range(1, len(layers_dims)).")


# -- zeros ----------------------------------------------------------------------------------
@WEEK.exercise("initialize_parameters_zeros(layers_dims)",
               [{"layers_dims": [3, 2, 1]}, {"layers_dims": [4, 5, 3, 1]},
                {"layers_dims": [2, 1]}])
def check_initialize_parameters_zeros(check, case, params, want):
    dims = case["layers_dims"]
    context = f" (layers_dims={dims})"
    _check_keys(check, params, dims, context)
    for l in range(1, len(dims)):
        W, b = f"parameters['W{l}']{context}", f"parameters['b{l}']{context}"
        shape, zeros = (dims[l], dims[l - 1]), (
            f"W{l} = np.zeros((layers_dims[{l}], layers_dims[{l - 1}])): one row per unit of "
            f"layer {l}, one column per unit of layer {l - 1} (W[l] is (n[l], n[l-1])).")
        check.is_array(W, params[f"W{l}"], zeros)
        if np.shape(params[f"W{l}"]) == shape[::-1] != shape:  # no product: name the shape alone
            check.fail(f"{W} has shape {shape[::-1]}, but it must have shape {shape}.", zeros)
        check.shape(W, params[f"W{l}"], shape, zeros)
        check.true(not np.any(params[f"W{l}"]), f"{W} must be all zeros, but it is "
                                                f"{show(params[f'W{l}'])}.",
                   "this initialization sets every weight to 0: np.zeros, not np.ones or "
                   "np.random.")
        check.is_array(b, params[f"b{l}"], f"b{l} = np.zeros((layers_dims[{l}], 1)).")
        check.shape(b, params[f"b{l}"], (dims[l], 1),
                    f"b{l} is a column: np.zeros((layers_dims[{l}], 1)) (b[l] is (n[l], 1)).")
        check.true(not np.any(params[f"b{l}"]), f"{b} must be all zeros, but it is "
                                                f"{show(params[f'b{l}'])}.",
                   f"b{l} = np.zeros((layers_dims[{l}], 1)).")
    diagnoses.parameters(check, "parameters", params, want, context=context)


# -- random draws ---------------------------------------------------------------------------
def _check_draws(check: Check, case, params, want: dict, scales: list[float], scale_hint: str,
                 wrong_scales: list[tuple[list[float], str]] = ()) -> None:
    """Shapes, zero biases, seeding and the order, shape and scale of the draws; a scale in
    `wrong_scales` (the scales of a known wrong formula, and what to write instead) is named
    when every layer holds the right numbers at that scale."""
    __tracebackhide__ = True
    dims = case["layers_dims"]
    context = f" (layers_dims={dims})"
    _check_keys(check, params, dims, context)
    diagnoses.initial_parameters(check, "parameters", params, dims, context, names=_names(dims))
    diagnoses.seeds_itself(check, case, params, SEED)
    L = len(dims) - 1
    got = [np.asarray(params[f"W{l}"], dtype=float) for l in range(1, L + 1)]
    for wrong, hint in wrong_scales:
        if not all(np.allclose(g, want[f"W{l}"]) for l, g in enumerate(got, start=1)) and all(
                np.allclose(g, want[f"W{l}"] * wrong[l - 1] / scales[l - 1])
                for l, g in enumerate(got, start=1)):
            check.fail(f"the weights{context} hold the right random numbers, but at the scales "
                       + ", ".join(f"{s:.4g}" for s in wrong) + " instead of "
                       + ", ".join(f"{s:.4g}" for s in scales) + ".", hint)
    diagnoses.draws(check, params, want, scales, SEED, scale_hint,
                    seed_hint="keep the given first line np.random.seed(3) and seed nothing "
                              "else.")
    diagnoses.parameters(check, "parameters", params, want,
                         "call np.random.seed(3) once, then for l = 1 .. L in order draw "
                         "W = np.random.randn(layers_dims[l], layers_dims[l - 1]) (normal "
                         "numbers, not uniform) times the scale: " + scale_hint, context)


INIT_CASES = [{"layers_dims": [3, 2, 1]}, {"layers_dims": [5, 3, 4, 1]}]


@WEEK.exercise("initialize_parameters_random(layers_dims)", INIT_CASES, seed=OUTER_SEED)
def check_initialize_parameters_random(check, case, params, want):
    L = len(case["layers_dims"]) - 1
    _check_draws(check, case, params, want, [RANDOM_SCALE] * L,
                 "multiply every draw by 10: this exercise shows what too large weights do "
                 "(weeks 2 and 3 used 0.01).")


@WEEK.exercise("initialize_parameters_he(layers_dims)", INIT_CASES, seed=OUTER_SEED)
def check_initialize_parameters_he(check, case, params, want):
    dims = case["layers_dims"]
    inputs = range(len(dims) - 1)  # layer l + 1 has dims[l] inputs
    formula = "np.sqrt(2 / layers_dims[l - 1])"
    _check_draws(
        check, case, params, want, [np.sqrt(2 / dims[l]) for l in inputs],
        f"He multiplies layer l's draw by {formula}, the square root of 2 over the number of "
        "its inputs.",
        [([np.sqrt(2 / dims[l + 1]) for l in inputs],
          f"these are sqrt(2 / layers_dims[l]), the size of the layer itself; He uses the "
          f"number of its inputs, {formula}."),
         ([np.sqrt(1 / dims[l]) for l in inputs],
          f"this is Xavier initialization, sqrt(1 / layers_dims[l - 1]), made for tanh; He "
          f"initialization, made for ReLU, has a 2 in it: {formula}."),
         ([2 / dims[l] for l in inputs],
          f"the square root is missing: the variance is 2 / layers_dims[l - 1], so the "
          f"standard deviation that multiplies randn is {formula}."),
         ([RANDOM_SCALE] * len(inputs),
          f"this is the scale of initialize_parameters_random, 10; He uses {formula}.")])

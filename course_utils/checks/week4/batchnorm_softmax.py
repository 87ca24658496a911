"""Visible checks of week 4's batch normalization (forward and backward) and softmax output
(softmax, one_hot, compute_cost_softmax).

A slip is named by comparing the learner's value with the wrong answer that slip gives on the
case's own inputs and stored values (an unbiased variance is the stored one times m / (m - 1),
a dbeta with 1/m the stored one over m); the right answers are stored values only.
"""

from __future__ import annotations

import numpy as np

from .. import diagnoses
from ..cases import grid
from ..core import Check, describe, layout, show
from . import WEEK

BROADCAST_HINT = ("sum or average over axis=1 with keepdims=True, so that mu and var stay (n, 1) "
                  "columns and subtract from Z (n, m) unit by unit.")


def _column_hint(name: str, got: tuple, n: int, m: int, verb: str = "taken") -> str | None:
    """Names a statistic taken over the wrong axis or without keepdims, from its shape."""
    if got == (1, m) and n != 1:
        return (f"{name} was {verb} over axis 0, the units: batch norm works on each unit over "
                "the examples of the mini-batch, axis=1 (keepdims=True).")
    if got in ((n,), (m,)):
        return f"{name} lost its second dimension: add keepdims=True."
    return None


def _check_column(check: Check, what: str, name: str, value, want, m: int, hint: str,
                  verb: str = "taken") -> None:
    """An (n, 1) statistic `name` of the units (shown as `what`): its shape, then its values."""
    __tracebackhide__ = True
    n = np.shape(want)[0]
    hint_for_shape = _column_hint(name, np.shape(value), n, m, verb)
    if hint_for_shape:
        check.fail(f"{what} has shape {np.shape(value)}, but it must have shape {(n, 1)}.",
                   hint_for_shape)
    check.shape(what, value, (n, 1), hint)
    check.close(what, value, want, hint)


# -- batch norm forward ---------------------------------------------------------------------
def _forward_case(n: int, m: int, seed: int, **extra) -> dict:
    return {"Z": np.round(grid(n, m, seed, 2.0) + grid(n, 1, seed + 1, 3.0), 4),
            "gamma": grid(n, 1, seed + 2) + 1.5, "beta": grid(n, 1, seed + 3), **extra}


@WEEK.exercise("batchnorm_forward(Z, gamma, beta, epsilon=1e-8)", [
    _forward_case(3, 5, 601), _forward_case(2, 6, 605, epsilon=0.5), _forward_case(4, 4, 609)],
    hints={"broadcast": BROADCAST_HINT})
def check_batchnorm_forward(check, case, out, want):
    Z, gamma, beta, epsilon = case["Z"], case["gamma"], case["beta"], case.given("epsilon")
    (n, m), label = Z.shape, f" (Z of shape {case['Z'].shape}, epsilon={case.given('epsilon')})"
    Z_tilde, cache = diagnoses.returns(check, out, "Z_tilde, cache")
    names = ("Z", "Z_norm", "mu", "var", "gamma", "beta", "epsilon")
    check.true(isinstance(cache, tuple | list) and len(cache) == 7,
               f"cache must be the 7-tuple ({', '.join(names)}), but it is {layout(cache)}.",
               "return Z_tilde, (Z, Z_norm, mu, var, gamma, beta, epsilon), in this order.")
    _, want_norm, want_mu, want_var = want[1][:4]
    _check_column(check, f"mu, cache[2]{label},", "mu", cache[2], want_mu, m,
                  "mu = np.mean(Z, axis=1, keepdims=True): one mean per unit, over the examples.")
    var = np.asarray(cache[3], dtype=float)
    if var.shape == (n, 1) and np.allclose(var, want_var * m / (m - 1)):
        check.fail(f"var, cache[3]{label}, is the unbiased variance, with 1/(m - 1).",
                   "batch norm uses the biased variance, 1/m: np.var(Z, axis=1, keepdims=True) "
                   "(ddof=0, the default) or np.mean((Z - mu) ** 2, axis=1, keepdims=True).")
    if var.shape == (n, 1) and np.allclose(var, np.sqrt(want_var)):
        check.fail(f"var, cache[3]{label}, is the standard deviation.",
                   "store the variance itself, np.mean((Z - mu) ** 2, axis=1, keepdims=True); "
                   "the square root belongs in Z_norm, np.sqrt(var + epsilon).")
    _check_column(check, f"var, cache[3]{label},", "var", cache[3], want_var, m,
                  "var = np.mean((Z - mu) ** 2, axis=1, keepdims=True), the biased variance.")
    centred = Z - want_mu
    check.shape(f"Z_norm, cache[1]{label},", cache[1], (n, m))
    slips = [(centred / (np.sqrt(want_var) + epsilon), "epsilon goes inside the square root: "
              "Z_norm = (Z - mu) / np.sqrt(var + epsilon)."),
             *((centred / np.sqrt(want_var + fixed), f"the epsilon argument is not used (it "
                f"is {epsilon} here, not 0 or 1e-8): Z_norm = (Z - mu) / np.sqrt(var + "
                "epsilon).") for fixed in (0, 1e-8)),
             (centred / (want_var + epsilon), "divide by the standard deviation, np.sqrt(var + "
              "epsilon), not by the variance.")]
    check.close(f"Z_norm, cache[1]{label},", cache[1], want_norm,
                _slip(cache[1], want_norm, slips, "Z_norm = (Z - mu) / np.sqrt(var + epsilon)."))
    check.shape(f"Z_tilde{label}", Z_tilde, (n, m))
    slips = [(gamma * (want_norm + beta), "beta is added after the scaling: Z_tilde = gamma * "
              "Z_norm + beta, not gamma * (Z_norm + beta)."),
             (beta * want_norm + gamma, "gamma scales and beta shifts: Z_tilde = gamma * Z_norm "
              "+ beta."),
             (want_norm, "scale and shift the normalized values: Z_tilde = gamma * Z_norm + beta.")]
    check.close(f"Z_tilde{label}", Z_tilde, want[0],
                _slip(Z_tilde, want[0], slips, "Z_tilde = gamma * Z_norm + beta."))
    for index in (0, 4, 5, 6):
        check.close(f"{names[index]}, cache[{index}]{label},", cache[index], want[1][index],
                    f"the cache holds the inputs as they came: ({', '.join(names)}).")


def _slip(value, want, slips: list, hint: str) -> str:
    """The hint of the first slip whose wrong answer `value` equals, else `hint`."""
    try:
        got = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return hint
    for wrong, slip in slips:
        wrong = np.asarray(wrong, dtype=float)
        if got.shape == wrong.shape and not np.allclose(wrong, want) and np.allclose(got, wrong):
            return slip
    return hint


# -- batch norm backward --------------------------------------------------------------------
STANDARD = np.array([-1.5, -0.5, 0.0, 0.5, 1.5])  # mean 0, biased variance 1


def _backward_case(n: int, seed: int, mu: list, var: list, epsilon: float) -> dict:
    """dZ_tilde and a cache as batchnorm_forward leaves it, built backwards from rows of mean 0
    and biased variance 1 (shuffles of STANDARD): Z = mu + sqrt(var) * row has the mean mu and
    the biased variance var, so its Z_norm is row * sqrt(var / (var + epsilon))."""
    rng = np.random.default_rng(seed)
    rows = np.array([rng.permutation(STANDARD) for _ in range(n)])
    mu, var = np.array(mu, dtype=float).reshape(n, 1), np.array(var, dtype=float).reshape(n, 1)
    gamma, beta = grid(n, 1, seed + 1) + 1.0, grid(n, 1, seed + 2)
    cache = (mu + np.sqrt(var) * rows, rows * np.sqrt(var / (var + epsilon)), mu, var, gamma,
             beta, epsilon)
    return {"dZ_tilde": grid(n, STANDARD.size, seed + 3), "cache": cache}


@WEEK.exercise("batchnorm_backward(dZ_tilde, cache)", [
    _backward_case(3, 621, [1.0, -2.0, 0.5], [4.0, 0.25, 1.5], 1e-8),
    _backward_case(2, 625, [0.3, 2.0], [0.3, 2.0], 0.5)],
    hints={"broadcast": "sum over the examples with axis=1 and keepdims=True, so that every "
                        "sum is an (n, 1) column that combines with the (n, m) arrays.",
           "unpack": "the cache is the 7-tuple (Z, Z_norm, mu, var, gamma, beta, epsilon)."})
def check_batchnorm_backward(check, case, out, want):
    dZ_tilde, (Z, Z_norm, _, var, gamma, _, epsilon) = case["dZ_tilde"], case["cache"]
    (n, m), label = Z.shape, f" (m={case['dZ_tilde'].shape[1]}, epsilon={case['cache'][6]})"
    dZ, dgamma, dbeta = diagnoses.returns(check, out, "dZ, dgamma, dbeta")
    want_dZ, want_dgamma, want_dbeta = want
    for what, value, reference, formula in (
            ("dbeta", dbeta, want_dbeta, "dbeta = np.sum(dZ_tilde, axis=1, keepdims=True)"),
            ("dgamma", dgamma, want_dgamma,
             "dgamma = np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True)")):
        slips = [(reference / m, f"no 1/m here: dZ_tilde already carries it. {formula}."),
                 (want_dbeta, "dgamma multiplies each dz_tilde by its z_norm: "
                  "np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True).")]
        _check_column(check, f"{what}{label}", what, value, reference, m,
                      _slip(value, reference, slips, f"{formula}: a sum over the examples, the "
                                                     f"shape of {what[1:]}."), verb="summed")
    check.shape(f"dZ{label}", dZ, (n, m), "dZ has the shape of Z.")
    got = np.asarray(dZ, dtype=float)
    slips = [(gamma * dZ_tilde / np.sqrt(var + epsilon),
              "this is only the direct path, gamma * dZ_tilde / sqrt(var + epsilon): every z "
              "also reaches the cost through mu and var, which all examples share. Use the "
              "three-path formula of the exercise."),
             (dZ_tilde / np.sqrt(var + epsilon), "this is dZ_tilde / sqrt(var + epsilon) only: "
              "multiply by gamma (dZ_norm = gamma * dZ_tilde) and add the mean and variance "
              "paths.")]
    hint = _slip(got, want_dZ, slips, "")
    if not hint and not np.allclose(got, want_dZ):
        sums = np.sum(got, axis=1)
        ratio = got / np.where(want_dZ == 0, np.nan, want_dZ)
        if np.allclose(np.nanmax(ratio, axis=1), np.nanmin(ratio, axis=1)) and np.allclose(
                np.nanmax(ratio, axis=1), 1 / gamma.ravel()):
            hint = "gamma is missing: dZ_norm = gamma * dZ_tilde."
        elif not np.allclose(sums, 0, atol=1e-8):
            hint = (f"each row of dZ must sum to 0 (shifting a unit's z by the same amount in "
                    f"every example leaves Z_norm unchanged), but its rows sum to "
                    f"{show(sums)}: the mean path, - sum_j dz_norm(j), is missing or wrong.")
        elif not np.allclose(np.sum(got * Z_norm, axis=1), 0, atol=1e-8):
            hint = ("each row of dZ * Z_norm must sum to 0 (scaling a unit's z leaves Z_norm "
                    "unchanged): the variance path, - z_norm(i) sum_j dz_norm(j) z_norm(j), is "
                    "missing or wrong.")
    check.close(f"dZ{label}", dZ, want_dZ,
                hint or "dZ = (m * dZ_norm - sum(dZ_norm) - Z_norm * sum(dZ_norm * Z_norm)) / "
                        "(m * sqrt(var + epsilon)), with dZ_norm = gamma * dZ_tilde and the sums "
                        "over axis=1, keepdims=True.")


# -- softmax --------------------------------------------------------------------------------
BIG = np.array([[1000.0, 2.0, -5.0], [1001.0, 0.5, -3.0], [998.0, 1.0, -4.0]])


@WEEK.exercise("softmax(Z)", [{"Z": grid(3, 4, 631)}, {"Z": grid(4, 4, 632, 2.0)},
                              {"Z": BIG}, {"Z": np.array([[-1000.0, 3.0], [-1002.0, 1.0]])}])
def check_softmax(check, case, A, want):
    Z = case["Z"]
    label = f" (Z of shape {Z.shape}" + (", with large entries)" if np.abs(Z).max() > 100 else ")")
    check.is_array(f"softmax(Z){label}", A)
    check.shape(f"softmax(Z){label}", A, Z.shape, "softmax keeps the shape (C, m) of Z.")
    got = np.asarray(A, dtype=float)
    bad = ~np.all(np.isfinite(got), axis=0)
    if bad.any():
        top = np.unravel_index(np.argmax(Z), Z.shape)[1]
        one_max = not bad[top]
        check.fail(f"softmax(Z){label} has nan or inf in column(s) {np.flatnonzero(bad).tolist()}.",
                   "one max for the whole array leaves a column far below it with e^(-1000) = 0 "
                   "everywhere, 0 / 0: subtract each column's own max, Z - np.max(Z, axis=0, "
                   "keepdims=True)." if one_max else
                   "np.exp(1000) overflows to inf: subtract each column's max first, Z - "
                   "np.max(Z, axis=0, keepdims=True); softmax does not change.")
    columns, rows = got.sum(axis=0), got.sum(axis=1)
    if not np.allclose(columns, 1):
        check.fail(f"the columns of softmax(Z){label} must each sum to 1; they sum to "
                   f"{show(columns)}.",
                   "softmax here is column-wise, one column per example (unlike week 1's "
                   "row-wise softmax): sum the exponentials over axis=0 with keepdims=True."
                   if np.allclose(rows, 1) else
                   "divide the exponentials by their column sums: exps / np.sum(exps, axis=0, "
                   "keepdims=True).")
    check.close(f"softmax(Z){label}", A, want,
                "A = exps / np.sum(exps, axis=0, keepdims=True) with exps = np.exp(Z - "
                "np.max(Z, axis=0, keepdims=True)).")


# -- one-hot labels -------------------------------------------------------------------------
@WEEK.exercise("one_hot(Y, C)", [{"Y": np.array([[2, 0, 1, 2, 1]]), "C": 3},
                                 {"Y": np.array([[0, 3, 3, 1]]), "C": 5},
                                 {"Y": np.array([[1, 3, 0, 2]]), "C": 4}])
def check_one_hot(check, case, out, want):
    Y, C = case["Y"], case["C"]
    m, label = Y.shape[1], f"one_hot(Y={Y.tolist()}, C={C})"
    check.is_array(label, out)
    flat = ("Y is a row (1, m): index with its labels as a flat array, Y.reshape(-1) (or "
            "Y[0]), not with Y itself.")
    hints = {(int(Y.max()) + 1, m): "use the C argument for the number of rows: a class may "
                                    "have no example in Y.",
             (m, C): "classes are rows and examples columns: the result is (C, m), so "
                     "transpose it (np.eye(C)[labels].T).",
             (1, m, C): flat, (C, m, 1): flat}
    shape = np.shape(out)
    if shape != (C, m) and shape in hints:
        check.fail(f"{label} has shape {shape}, but it must have shape {(C, m)}.", hints[shape])
    check.shape(label, out, (C, m))
    check.true(np.issubdtype(out.dtype, np.floating),
               f"{label} must hold the floats 0. and 1., but its dtype is {out.dtype}.",
               "start from np.zeros((C, m)) or np.eye(C), which hold floats (or add "
               ".astype(float)).")
    slips = [(np.roll(want, -1, axis=0), "the 1s are one row too high: the labels start at 0, "
              "so label k goes in row k itself (no - 1)."),
             (np.roll(want, 1, axis=0), "the 1s are one row too low: the labels start at 0, so "
              "label k goes in row k itself (no + 1).")]
    check.close(label, out, want, _slip(out, want, slips, "column i has a single 1, in row "
                                                          "Y[0, i]."))


# -- softmax cost ---------------------------------------------------------------------------
def _cost_case(seed: int, Y: list) -> dict:
    """Probabilities whose columns sum to 1, and one-hot labels Y."""
    A = np.abs(grid(len(Y), len(Y[0]), seed)) + 0.1
    return {"AL": A / A.sum(axis=0, keepdims=True), "Y": np.array(Y, dtype=float)}


@WEEK.exercise("compute_cost_softmax(AL, Y)", [
    _cost_case(641, [[1, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0]]),
    _cost_case(642, [[0, 0], [0, 1], [0, 0], [1, 0]])])
def check_compute_cost_softmax(check, case, cost, want):
    AL, Y = case["AL"], case["Y"]
    (C, m), label = Y.shape, f" (C={case['Y'].shape[0]} classes, m={case['Y'].shape[1]})"
    if isinstance(cost, np.ndarray) and cost.size > 1:
        check.fail(f"the cost{label} must be one number, but it is {describe(cost)}.",
                   "sum over the classes and the examples both: np.sum(Y * np.log(AL)) "
                   "without axis, divided by m.")
    check.true(type(cost) is float,
               f"the cost{label} must be a Python float, but it is {describe(cost)}.",
               "np.sum returns a numpy number: return float(cost).")
    with np.errstate(all="ignore"):
        slips = [(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m,
                  "this is the binary cross-entropy, with (1 - Y) log(1 - AL): for a softmax "
                  "output only the right class's log-probability counts, J = -(1/m) "
                  "sum(Y * log(AL))."),
                 (want / C, f"this is a mean over all C * m = {C * m} entries: divide the sum by "
                            "m, the number of examples, only."),
                 (want / np.log(10), "use np.log, the natural logarithm, not np.log10.")]
    check.close(f"the cost{label}", cost, want,
                _slip(cost, want, slips, "J = -(1/m) np.sum(Y * np.log(AL)), m = Y.shape[1]."),
                m=m)

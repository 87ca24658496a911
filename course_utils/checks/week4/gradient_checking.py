"""Visible checks of week 4's gradient checking: J = theta x, its derivative, gradient_check and
gradient_check_n.

A relative difference of correct gradients is rounding noise, so those cases are held to the
contract's threshold (below 2e-7), never to a stored number. The definite answers come from
gradients made wrong on purpose: twice the true gradient gives ||2g - g|| / (||2g|| + ||g||) = 1/3,
whatever g is. gradient_check looks up `forward_propagation` and `backward_propagation` when it
runs, so the check swaps in a curved J = x theta^2 (with its true slope, then with twice it) and
records where J is evaluated; gradient_check_n's calls of the given `forward_propagation_n` are
recorded the same way. Every swapped name is restored afterwards.
"""

from __future__ import annotations

import contextlib
import inspect
import io

import numpy as np

from ...gradcheck import dictionary_to_vector, gradients_to_vector
from ...learner_code import recording
from ...three_layer import backward_propagation_n, forward_propagation_n
from ..cases import grid
from ..core import describe, show
from . import WEEK

THRESHOLD = 2e-7  # the notebook's "works" threshold (Exercise 10)
WORKS = "Your backward propagation works perfectly fine! difference = "
MISTAKE = "There is a mistake in the backward propagation! difference = "
FORMULA = "difference = ||grad - gradapprox|| / (||grad|| + ||gradapprox||), with np.linalg.norm"
TWO_SIDED = "gradapprox = (J_plus - J_minus) / (2 * epsilon)"


# -- shared pieces --------------------------------------------------------------------------
def _run(check, case, **changes):
    """The learner's function once more on the case's inputs with `changes` (the random state
    left alone), and what it printed."""
    __tracebackhide__ = True
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        value = case.exercise.call(case._fn, {**case, **changes}, check, seed=None)
    return value, printed.getvalue()


def _python_float(check, what: str, value) -> None:
    __tracebackhide__ = True
    numpy_hint = ("np.linalg.norm returns a numpy number: return float(numerator / denominator)."
                  if isinstance(value, np.floating) else
                  "the relative difference is one number: compute the norms of whole vectors "
                  "(np.linalg.norm without axis) and return float(numerator / denominator).")
    check.true(type(value) is float, f"{what} must be a Python float, but it is "
                                     f"{describe(value)}.", numpy_hint)


def _printed(check, what: str, text: str, value, start: str, below: bool) -> None:
    """The message print_msg=True prints: the right sentence for the difference, and the value."""
    __tracebackhide__ = True
    lines = text.strip().splitlines()
    sentence = f"a difference {'below' if below else 'of'} {value:.3g}"
    check.true(len(lines) == 1 and lines[0].startswith(start),
               f"{what}, print_msg=True printed {text.strip()!r}, but for {sentence} it must "
               f"print {start + str(value)!r}.",
               f"keep the given lines: print \"{WORKS}...\" when difference < 2e-7, else "
               f"\"{MISTAKE}...\", and nothing else.")
    number = lines[0][len(start):]
    try:
        shown = float(number)
    except ValueError:
        shown = None
    check.true(shown is not None and np.isclose(shown, value, rtol=1e-6, atol=0),
               f"{what}, print_msg=True printed the difference {number!r}, but the function "
               f"returned {value!r}.",
               "print the difference that the function returns: "
               "f\"...difference = {difference}\".")


def _doubled_hint(got, grad_norm: float) -> str:
    """Names the slip when the gradients are twice the true ones, g = 2 g_approx: then the right
    answer is 1/3, a denominator of ||grad|| alone gives 1/2, of ||gradapprox|| alone 1, the
    numerator alone ||grad|| / 2, and a gradapprox twice too large 0."""
    slips = [(1 / 2, "the denominator must be ||grad|| + ||gradapprox||, not ||grad|| alone."),
             (1.0, "the denominator must be ||grad|| + ||gradapprox||, not ||gradapprox|| alone."),
             (grad_norm / 2, "this is the numerator ||grad - gradapprox|| alone: divide it by "
                             "||grad|| + ||gradapprox||."),
             (0.0, f"gradapprox came out twice as large as the slope: {TWO_SIDED}.")]
    for value, hint in slips:
        if np.isclose(got, value, rtol=1e-4, atol=1e-7):
            return hint
    return FORMULA + "."


# -- one dimension --------------------------------------------------------------------------
ONE_D = [{"x": 2.0, "theta": 4.0}, {"x": -3.0, "theta": 1.5}, {"x": 0.5, "theta": -2.5}]


@WEEK.exercise("forward_propagation(x, theta)", ONE_D)
def check_forward_propagation(check, case, J, want):
    x, theta = case["x"], case["theta"]
    check.scalar(f"forward_propagation({x}, {theta})", J, "J = theta * x is one number.")
    slips = [(x, "this is x, the derivative dJ/dtheta (backward_propagation's answer): "
                 "forward_propagation returns the cost J = theta * x itself."),
             (theta + x, "J is the product theta * x, not the sum."),
             (theta, "J = theta * x: multiply theta by x.")]
    hint = next((h for value, h in slips if np.isclose(J, value) and not np.isclose(value, want)),
                "J = theta * x (np.dot(theta, x) is the same for two numbers).")
    check.close(f"forward_propagation({x}, {theta})", J, want, hint)


@WEEK.exercise("backward_propagation(x, theta)", ONE_D)
def check_backward_propagation(check, case, dtheta, want):
    x, theta = case["x"], case["theta"]
    check.scalar(f"backward_propagation({x}, {theta})", dtheta, "dtheta = x is one number.")
    slips = [(theta, "this is theta: the derivative of J = theta * x with respect to theta is x."),
             (theta * x, "this is J itself (forward_propagation's answer); its derivative with "
                         "respect to theta is x."),
             (1.0, "the derivative of theta is 1, but J = theta * x, so dJ/dtheta = x.")]
    hint = next((h for value, h in slips if np.isclose(dtheta, value)
                 and not np.isclose(value, want)), "dJ/dtheta = x for J = theta * x.")
    check.close(f"backward_propagation({x}, {theta})", dtheta, want, hint)


def _check_evaluations(check, where: str, calls: list, x, theta, epsilon) -> None:
    """forward_propagation was called at (x, theta + epsilon) and (x, theta - epsilon)."""
    __tracebackhide__ = True
    check.true(bool(calls), f"{where} never called forward_propagation.",
               "compute J_plus = forward_propagation(x, theta + epsilon) and J_minus = "
               "forward_propagation(x, theta - epsilon) with your forward_propagation.")
    wrong_x = [got_x for got_x, _ in calls if not np.isclose(got_x, x)]
    check.true(not wrong_x, f"{where} called forward_propagation with x = "
                            f"{wrong_x[0] if wrong_x else x}.",
               "keep the argument order: forward_propagation(x, theta + epsilon), x first.")
    nudges = [got_theta - theta for _, got_theta in calls]

    def seen(step) -> bool:
        return any(np.isclose(n, step, rtol=1e-6, atol=1e-3 * min(epsilon, 1e-7))
                   for n in nudges)

    if seen(epsilon) and seen(-epsilon):
        check.ok()
        return
    at = " and ".join("theta" if n == 0 else f"theta {'+' if n > 0 else '-'} {abs(n):.3g}"
                      for n in sorted(set(nudges)))
    if (seen(epsilon) or seen(-epsilon)) and seen(0):
        check.fail(f"{where} evaluated J at {at}: a one-sided difference.",
                   f"use the two-sided difference: J_plus = forward_propagation(x, theta + "
                   f"epsilon), J_minus = forward_propagation(x, theta - epsilon), {TWO_SIDED}.")
    if epsilon != 1e-7 and seen(1e-7) and seen(-1e-7):
        check.fail(f"{where} evaluated J at {at}.",
                   "use the epsilon argument, not a fixed 1e-7: theta + epsilon and "
                   "theta - epsilon.")
    check.fail(f"{where} evaluated J at {at}, but it must be evaluated at "
               "theta + epsilon and theta - epsilon.",
               f"J_plus = forward_propagation(x, theta + epsilon), J_minus = "
               f"forward_propagation(x, theta - epsilon), {TWO_SIDED}.")


def curved_J(x, theta):  # J = x theta^2: stands in for the learner's forward_propagation
    return x * theta ** 2


def slope(x, theta):  # its true derivative
    return 2 * x * theta


def twice_the_slope(x, theta):
    return 4 * x * theta


def _arguments(stand_in, made_call) -> tuple:
    """The arguments of one recorded call (args, kwargs, output) of `stand_in`, in its order."""
    args, kwargs, _ = made_call
    bound = inspect.signature(stand_in).bind(*args, **kwargs)
    return tuple(bound.arguments.values())


GRADIENT_CHECK = "gradient_check(x, theta, epsilon=1e-7, print_msg=False)"


@WEEK.exercise(GRADIENT_CHECK, [{"x": 2.0, "theta": 4.0},
                                {"x": -3.0, "theta": 1.5, "epsilon": 1e-3}])
def check_gradient_check(check, case, difference, want):
    x, theta, epsilon = case["x"], case["theta"], case.given("epsilon")
    _python_float(check, "the difference", difference)
    where = (f"gradient_check({x}, {theta}, epsilon={epsilon}) on a test J = x * theta**2 (in "
             "place of your forward_propagation for this check; backward_propagation gives its "
             "slope 2 * x * theta)")
    with recording(case._fn, swaps={"forward_propagation": curved_J,
                                    "backward_propagation": slope}) as made:
        right, printed = _run(check, case, print_msg=True)
    calls = [_arguments(curved_J, made_call) for made_call in made["forward_propagation"]]
    _check_evaluations(check, where, calls, x, theta, epsilon)
    check.true(bool(made["backward_propagation"]), f"{where} never called backward_propagation.",
               "grad = backward_propagation(x, theta): the slope to check comes from your "
               "backward pass.")
    _python_float(check, "the difference", right)
    check.true(right < THRESHOLD, f"{where} returned {right:.6g}, but the slope is right, "
                                  "so the difference must be below 2e-7.",
               f"gradapprox came out twice or half the slope: {TWO_SIDED}."
               if np.isclose(right, 1 / 3, rtol=1e-4) else FORMULA + ".")
    _printed(check, where, printed, right, WORKS, below=True)

    wrong_where = where.replace("its slope 2 * x * theta", "twice its slope, 4 * x * theta")
    with recording(case._fn, swaps={"forward_propagation": curved_J,
                                    "backward_propagation": twice_the_slope}):
        wrong, printed = _run(check, case, print_msg=True)
    check.true(np.isclose(wrong, 1 / 3, rtol=1e-6),
               f"{wrong_where} returned {wrong:.6g}, but a gradient twice the slope "
               "has the relative difference ||2g - g|| / (||2g|| + ||g||) = 1/3.",
               _doubled_hint(wrong, abs(4 * x * theta)))
    _printed(check, wrong_where, printed, wrong, MISTAKE, below=False)

    check.true(difference < THRESHOLD,
               f"gradient_check({x}, {theta}, epsilon={epsilon}) works on the test J, "
               f"but with your forward_propagation and backward_propagation it returns "
               f"{difference:.6g}: gradient checking found a mistake in one of those two.",
               "make the checks of forward_propagation (J = theta * x) and backward_propagation "
               "(dtheta = x) above pass, then run this check again.")


# -- a whole network ------------------------------------------------------------------------
LAYERS = (4, 5, 3, 1)  # vector_to_dictionary's default network


def _network(seed: int) -> dict:
    parameters = {}
    for l in range(1, len(LAYERS)):
        parameters[f"W{l}"] = grid(LAYERS[l], LAYERS[l - 1], seed + 2 * l, 0.8)
        parameters[f"b{l}"] = grid(LAYERS[l], 1, seed + 2 * l + 1, 0.3)
    return parameters


# every pre-activation is at least 0.05 from relu's kink, so nudges up to 1e-3 stay smooth
P_CHECK, X_CHECK, Y_CHECK = _network(410), grid(4, 3, 460), np.array([[1.0, 0.0, 1.0]])
G_TRUE = backward_propagation_n(X_CHECK, Y_CHECK, forward_propagation_n(X_CHECK, Y_CHECK,
                                                                        P_CHECK)[1])
G_BUGGY = {**G_TRUE, "dW2": G_TRUE["dW2"] * 2, "db1": G_TRUE["db1"] * 4}
G_DOUBLED = {key: 2 * value for key, value in G_TRUE.items()}
GRADIENTS = {id(G_TRUE): "the given backward pass's gradients (correct)",
             id(G_BUGGY): "the gradients of the buggy backward pass (dW2 doubled, db1 quadrupled)",
             id(G_DOUBLED): "every gradient doubled"}


def _check_nudges(check, where: str, calls: list, theta0: np.ndarray, epsilon) -> None:
    """forward_propagation_n was called at theta + epsilon e_i and theta - epsilon e_i for every
    component i, one component moved at a time."""
    __tracebackhide__ = True
    check.true(bool(calls), f"{where}, forward_propagation_n was never called.",
               "J_plus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus)), "
               "and the same for theta_minus.")
    moved = [np.flatnonzero(np.abs(v - theta0) > 1e-3 * min(epsilon, 1e-7)) for v in calls]
    several = next(((int(m[0]), int(m[1])) for m in moved if len(m) > 1), None)
    check.true(several is None,
               f"{where}, forward_propagation_n got parameters with several components "
               f"moved at once (components {several}): the nudges piled up.",
               "copy theta before each nudge: theta_plus = np.copy(parameters_values), "
               "theta_plus[i] += epsilon, and the same for theta_minus, so that J_plus and "
               "J_minus move component i only.")
    steps = [(int(m[0]), float((v - theta0)[m[0]])) for v, m in zip(calls, moved) if len(m)]
    n = len(theta0)
    up = {i for i, step in steps if np.isclose(step, epsilon, rtol=1e-3)}
    down = {i for i, step in steps if np.isclose(step, -epsilon, rtol=1e-3)}
    if len(up) == len(down) == n:
        check.ok()
        return
    sizes = sorted({f"{abs(step):.3g}" for _, step in steps})
    at_theta = len(steps) < len(calls)
    if steps and not up and not down and epsilon != 1e-7 and sizes == ["1e-07"]:
        check.fail(f"{where}, the components were nudged by 1e-07.",
                   "use the epsilon argument, not a fixed 1e-7.")
    if at_theta and (up or down) and not (up and down):
        check.fail(f"{where}, J was evaluated at theta {'+' if up else '-'} epsilon "
                   f"and at theta itself, never at theta {'-' if up else '+'} epsilon.",
                   "use the two-sided difference, and copy theta before each nudge: theta_plus "
                   "= np.copy(parameters_values), theta_minus = np.copy(parameters_values) "
                   "(theta_minus must not be theta_plus nudged back, nor J(theta)); "
                   "gradapprox[i] = (J_plus - J_minus) / (2 * epsilon).")
    if at_theta and not steps:
        check.fail(f"{where}, J was evaluated at theta itself only.",
                   "theta_plus and theta_minus must be copies: theta_plus = "
                   "np.copy(parameters_values), then theta_plus[i] += epsilon (a nudge of "
                   "parameters_values itself undone by the other is no nudge at all).")
    check.true(len(up | down) == n,
               f"{where}, only {len(up | down)} of the {n} components were nudged.",
               "loop over every component: for i in range(num_parameters).")
    check.fail(f"{where}, the components were nudged by {', '.join(sizes)}, but "
               f"each component must be evaluated at theta_i + epsilon and theta_i - epsilon "
               f"(epsilon={epsilon}).",
               "theta_plus[i] += epsilon on one copy and theta_minus[i] -= epsilon on another.")


GRADIENT_CHECK_N = "gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False)"
NETWORK = {"parameters": P_CHECK, "X": X_CHECK, "Y": Y_CHECK}


@WEEK.exercise(GRADIENT_CHECK_N, [{**NETWORK, "gradients": G_TRUE},
                                  {**NETWORK, "gradients": G_DOUBLED, "epsilon": 1e-3},
                                  {**NETWORK, "gradients": G_BUGGY}],
               hints={"theta has": "pass vector_to_dictionary a whole column theta, as "
                                   "dictionary_to_vector returns it (one copy per nudge)."})
def check_gradient_check_n(check, case, difference, want):
    epsilon = case.given("epsilon")
    where = f"with epsilon={epsilon} and {GRADIENTS[id(case['gradients'])]}"
    _python_float(check, f"the difference {where}", difference)
    theta0 = dictionary_to_vector(case["parameters"])[0].ravel()
    wants_print = want < THRESHOLD or case["gradients"] is G_BUGGY
    with recording(case._fn, swaps={"forward_propagation_n": forward_propagation_n}) as made:
        again, printed = _run(check, case, print_msg=wants_print)
    calls = [dictionary_to_vector(_arguments(forward_propagation_n, made_call)[2])[0].ravel()
             for made_call in made["forward_propagation_n"]]
    _check_nudges(check, where, calls, theta0, epsilon)
    if want < THRESHOLD:
        check.true(difference < THRESHOLD,
                   f"{where}, it returned {difference:.6g}, but these gradients "
                   "are right, so the difference must be below 2e-7.",
                   f"gradapprox came out twice or half the slope: {TWO_SIDED}."
                   if np.isclose(difference, 1 / 3, rtol=1e-4) else FORMULA + ".")
    elif case["gradients"] is G_DOUBLED:
        norm = float(np.linalg.norm(gradients_to_vector(G_DOUBLED)))
        check.true(np.isclose(difference, want, rtol=1e-6),
                   f"{where}, it returned {difference:.6g}, but gradients twice the "
                   f"true ones have the relative difference ||2g - g|| / (||2g|| + ||g||) = "
                   f"1/3 (here {show(want)}).", _doubled_hint(difference, norm))
    else:
        # a definite number: gradapprox's rounding noise (~1e-9 of g) moves it by far less
        check.close(f"the difference {where}", difference, want,
                    f"{FORMULA}, and {TWO_SIDED} for each component.")
    if wants_print:
        start, below = (WORKS, True) if want < THRESHOLD else (MISTAKE, False)
        _printed(check, where, printed, again, start, below)

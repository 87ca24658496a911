"""Week 4's gradient-checking, batch-norm and softmax checks reject the stubs and the common
mistakes and accept other correct code; the solution's batchnorm_backward agrees with a numerical
gradient, the backward cases' caches are what its batchnorm_forward leaves, and the checks that
swap the notebook's functions put them back."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks import CheckFailed
from course_utils.checks.week4 import CHECKS
from course_utils.gradcheck import numerical_gradient, relative_difference
from tests.helpers import check_suite

FUNCTIONS = ["forward_propagation", "backward_propagation", "gradient_check", "gradient_check_n",
             "batchnorm_forward", "batchnorm_backward", "softmax", "one_hot",
             "compute_cost_softmax"]
PRINTS = """
    if print_msg:
        if difference < 2e-7:
            print(f"Your backward propagation works perfectly fine! difference = {difference}")
        else:
            print(f"There is a mistake in the backward propagation! difference = {difference}")
    return difference
"""

GRADIENT_CHECK = """
def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    J_plus = forward_propagation(x, {plus})
    J_minus = forward_propagation(x, {minus})
    gradapprox = {approx}
    grad = backward_propagation(x, theta)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = {denominator}
    difference = {difference}
"""


def gradient_check_with(plus="theta + epsilon", minus="theta - epsilon",
                        approx="(J_plus - J_minus) / (2 * epsilon)",
                        denominator="np.linalg.norm(grad) + np.linalg.norm(gradapprox)",
                        difference="float(numerator / denominator)") -> str:
    return GRADIENT_CHECK.format(plus=plus, minus=minus, approx=approx, denominator=denominator,
                                 difference=difference) + PRINTS


GRADIENT_CHECK_N = """
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    gradapprox = np.zeros((num_parameters, 1))
    for i in range(num_parameters):
        theta_plus = {copy}
        theta_plus[i] += {eps}
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
        theta_minus = {copy}
        theta_minus[i] -= {minus_eps}
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
        gradapprox[i] = {approx}
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = {denominator}
    difference = {difference}
"""


def gradient_check_n_with(copy="np.copy(parameters_values)", eps="epsilon", minus_eps=None,
                          approx="(J_plus - J_minus) / (2 * epsilon)",
                          denominator="np.linalg.norm(grad) + np.linalg.norm(gradapprox)",
                          difference="float(numerator / denominator)") -> str:
    return GRADIENT_CHECK_N.format(copy=copy, eps=eps, minus_eps=minus_eps or eps, approx=approx,
                                   denominator=denominator, difference=difference) + PRINTS


BATCHNORM_FORWARD = """
def batchnorm_forward(Z, gamma, beta, epsilon=1e-8):
    mu = {mu}
    var = {var}
    Z_norm = {norm}
    Z_tilde = {tilde}
    return Z_tilde, (Z, Z_norm, mu, var, gamma, beta, epsilon)
"""


def forward_with(mu="np.mean(Z, axis=1, keepdims=True)", var="np.var(Z, axis=1, keepdims=True)",
                 norm="(Z - mu) / np.sqrt(var + epsilon)", tilde="gamma * Z_norm + beta") -> str:
    return BATCHNORM_FORWARD.format(mu=mu, var=var, norm=norm, tilde=tilde)


BATCHNORM_BACKWARD = """
def batchnorm_backward(dZ_tilde, cache):
    Z, Z_norm, mu, var, gamma, beta, epsilon = cache
    m = Z.shape[1]
    dgamma = {dgamma}
    dbeta = {dbeta}
    dZ_norm = {dz_norm}
    dZ = {dz}
    return dZ, dgamma, dbeta
"""
THREE_PATHS = ("(m * dZ_norm - np.sum(dZ_norm, axis=1, keepdims=True) - Z_norm * np.sum(dZ_norm "
               "* Z_norm, axis=1, keepdims=True)) / (m * np.sqrt(var + epsilon))")


def backward_with(dgamma="np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True)",
                  dbeta="np.sum(dZ_tilde, axis=1, keepdims=True)", dz_norm="dZ_tilde * gamma",
                  dz=THREE_PATHS) -> str:
    return BATCHNORM_BACKWARD.format(dgamma=dgamma, dbeta=dbeta, dz_norm=dz_norm, dz=dz)


SOFTMAX = """
def softmax(Z):
    exps = np.exp({shifted})
    return {result}
"""


def softmax_with(shifted="Z - np.max(Z, axis=0, keepdims=True)",
                 result="exps / np.sum(exps, axis=0, keepdims=True)") -> str:
    return SOFTMAX.format(shifted=shifted, result=result)


def one_hot_with(body: str) -> str:
    return f"def one_hot(Y, C):\n    return {body}\n"


def cost_with(body: str) -> str:
    return f"def compute_cost_softmax(AL, Y):\n    m = Y.shape[1]\n    return {body}\n"


# (function, mistake, source, a phrase the message must contain)
MISTAKES = [
    ("forward_propagation", "returns the derivative",
     "def forward_propagation(x, theta):\n    return x\n", "this is x, the derivative"),
    ("forward_propagation", "sum", "def forward_propagation(x, theta):\n    return theta + x\n",
     "not the sum"),
    ("forward_propagation", "returns theta",
     "def forward_propagation(x, theta):\n    return theta\n", "multiply theta by x"),
    ("backward_propagation", "returns theta",
     "def backward_propagation(x, theta):\n    return theta\n", "this is theta"),
    ("backward_propagation", "returns J",
     "def backward_propagation(x, theta):\n    return theta * x\n", "this is J itself"),
    ("backward_propagation", "derivative of theta",
     "def backward_propagation(x, theta):\n    return 1.0\n", "the derivative of theta is 1"),
    ("gradient_check", "one-sided",
     gradient_check_with(minus="theta", approx="(J_plus - J_minus) / epsilon"), "one-sided"),
    ("gradient_check", "no 2 in 2 epsilon",
     gradient_check_with(approx="(J_plus - J_minus) / epsilon"), "twice or half the slope"),
    ("gradient_check", "denominator ||grad||",
     gradient_check_with(denominator="np.linalg.norm(grad)"), "not ||grad|| alone"),
    ("gradient_check", "numerator", gradient_check_with(difference="float(numerator)"),
     "the numerator ||grad - gradapprox|| alone"),
    ("gradient_check", "fixed epsilon",
     gradient_check_with(plus="theta + 1e-7", minus="theta - 1e-7",
                         approx="(J_plus - J_minus) / 2e-7"), "use the epsilon argument"),
    ("gradient_check", "numpy float", gradient_check_with(difference="numerator / denominator"),
     "np.linalg.norm returns a numpy number"),
    ("gradient_check", "array",
     gradient_check_with(difference="np.array([numerator / denominator])"),
     "must be a Python float"),
    ("gradient_check_n", "one-sided",
     gradient_check_n_with(minus_eps="0", approx="(J_plus - J_minus) / epsilon"), "two-sided"),
    ("gradient_check_n", "no 2 in 2 epsilon",
     gradient_check_n_with(approx="(J_plus - J_minus) / epsilon"), "twice or half the slope"),
    ("gradient_check_n", "denominator ||grad||",
     gradient_check_n_with(denominator="np.linalg.norm(grad)"), "not ||grad|| alone"),
    ("gradient_check_n", "numerator", gradient_check_n_with(difference="float(numerator)"),
     "the numerator ||grad - gradapprox|| alone"),
    ("gradient_check_n", "fixed epsilon",
     gradient_check_n_with(eps="1e-7", approx="(J_plus - J_minus) / 2e-7"),
     "use the epsilon argument"),
    ("gradient_check_n", "no copy", gradient_check_n_with(copy="parameters_values"), "np.copy"),
    ("gradient_check_n", "numpy float",
     gradient_check_n_with(difference="numerator / denominator"),
     "np.linalg.norm returns a numpy number"),
    ("batchnorm_forward", "unbiased variance",
     forward_with(var="np.var(Z, axis=1, ddof=1, keepdims=True)"), "unbiased variance"),
    ("batchnorm_forward", "axis 0", forward_with(mu="np.mean(Z, axis=0, keepdims=True)",
                                                 var="np.var(Z, axis=0, keepdims=True)"),
     "taken over axis 0"),
    ("batchnorm_forward", "epsilon outside the sqrt",
     forward_with(norm="(Z - mu) / (np.sqrt(var) + epsilon)"), "epsilon goes inside the square"),
    ("batchnorm_forward", "fixed epsilon", forward_with(norm="(Z - mu) / np.sqrt(var + 1e-8)"),
     "the epsilon argument is not used"),
    ("batchnorm_forward", "no keepdims",
     forward_with(mu="np.mean(Z, axis=1)", var="np.var(Z, axis=1)"), "keepdims=True"),
    ("batchnorm_forward", "beta scaled too", forward_with(tilde="gamma * (Z_norm + beta)"),
     "beta is added after the scaling"),
    ("batchnorm_forward", "standard deviation in the cache",
     forward_with(var="np.std(Z, axis=1, keepdims=True)",
                  norm="(Z - mu) / np.sqrt(var ** 2 + epsilon)"), "the standard deviation"),
    ("batchnorm_backward", "direct path only",
     backward_with(dz="dZ_norm / np.sqrt(var + epsilon)"), "only the direct path"),
    ("batchnorm_backward", "dgamma without Z_norm",
     backward_with(dgamma="np.sum(dZ_tilde, axis=1, keepdims=True)"),
     "dgamma multiplies each dz_tilde by its z_norm"),
    ("batchnorm_backward", "1/m in dbeta",
     backward_with(dbeta="np.mean(dZ_tilde, axis=1, keepdims=True)"), "no 1/m here"),
    ("batchnorm_backward", "dgamma without keepdims",
     backward_with(dgamma="np.sum(dZ_tilde * Z_norm, axis=1)"), "lost its second dimension"),
    ("batchnorm_backward", "dbeta over the units",
     backward_with(dbeta="np.sum(dZ_tilde, axis=0, keepdims=True)"), "summed over axis 0"),
    ("batchnorm_backward", "no gamma", backward_with(dz_norm="dZ_tilde"), "gamma is missing"),
    ("batchnorm_backward", "no mean path", backward_with(
        dz="(m * dZ_norm - Z_norm * np.sum(dZ_norm * Z_norm, axis=1, keepdims=True)) / "
           "(m * np.sqrt(var + epsilon))"), "the mean path"),
    ("batchnorm_backward", "no variance path", backward_with(
        dz="(m * dZ_norm - np.sum(dZ_norm, axis=1, keepdims=True)) / (m * np.sqrt(var + "
           "epsilon))"), "the variance path"),
    ("softmax", "over the rows", softmax_with(
        shifted="Z - np.max(Z, axis=1, keepdims=True)",
        result="exps / np.sum(exps, axis=1, keepdims=True)"), "softmax here is column-wise"),
    ("softmax", "no shift", softmax_with(shifted="Z"), "overflows"),
    ("softmax", "one global max", softmax_with(shifted="Z - np.max(Z)"),
     "one max for the whole array"),
    ("softmax", "exp only", softmax_with(result="exps"),
     "divide the exponentials by their column sums"),
    ("one_hot", "transposed", one_hot_with("np.eye(C)[Y.reshape(-1)]"), "classes are rows"),
    ("one_hot", "indexed with the (1, m) row", one_hot_with("np.eye(C)[Y].T"),
     "Y is a row (1, m)"),
    ("one_hot", "off by one", one_hot_with("np.eye(C)[Y.reshape(-1) - 1].T"),
     "one row too high"),
    ("one_hot", "classes counted from Y", one_hot_with("np.eye(Y.max() + 1)[Y.reshape(-1)].T"),
     "use the C argument"),
    ("one_hot", "integers", one_hot_with("np.eye(C, dtype=int)[Y.reshape(-1)].T"),
     "must hold the floats 0. and 1."),
    ("compute_cost_softmax", "no 1/m", cost_with("float(-np.sum(Y * np.log(AL)))"),
     "the 1/m is missing"),
    ("compute_cost_softmax", "binary cross-entropy",
     cost_with("float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)"),
     "binary cross-entropy"),
    ("compute_cost_softmax", "mean over all entries", cost_with("float(-np.mean(Y * np.log(AL)))"),
     "a mean over all C * m"),
    ("compute_cost_softmax", "numpy float", cost_with("-np.sum(Y * np.log(AL)) / m"),
     "must be a Python float"),
    ("compute_cost_softmax", "one cost per example",
     cost_with("-np.sum(Y * np.log(AL), axis=0, keepdims=True) / m"), "must be one number"),
]

ALTERNATIVES = [
    ("forward_propagation", "def forward_propagation(x, theta):\n    return np.dot(theta, x)\n"),
    ("forward_propagation",
     "def forward_propagation(x, theta):\n    return np.multiply(x, theta)\n"),
    ("backward_propagation", "def backward_propagation(x, theta):\n    return float(x)\n"),
    ("backward_propagation", "def backward_propagation(x, theta):\n    return np.copy(x)\n"),
    ("gradient_check", gradient_check_with(
        approx="(J_plus / epsilon - J_minus / epsilon) / 2",
        denominator="abs(grad) + abs(gradapprox)",
        difference="float(abs(grad - gradapprox) / denominator)")),
    ("gradient_check", """
def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    J = [forward_propagation(x, theta + step) for step in (epsilon, -epsilon)]
    gradapprox = np.array([(J[0] - J[1]) / (2 * epsilon)])
    grad = np.array([backward_propagation(x, theta)])
    difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad)
                                                      + np.linalg.norm(gradapprox))
    difference = difference.item()
""" + PRINTS),
    ("gradient_check_n", """
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    gradapprox = np.zeros((num_parameters, 1))
    for i, step in enumerate(np.eye(num_parameters) * epsilon):
        J_plus = forward_propagation_n(X, Y, vector_to_dictionary(
            parameters_values + step.reshape(-1, 1)))[0]
        J_minus = forward_propagation_n(X, Y, vector_to_dictionary(
            parameters_values - step.reshape(-1, 1)))[0]
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    difference = float(np.linalg.norm(grad - gradapprox)
                       / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))
""" + PRINTS),
    ("gradient_check_n", gradient_check_n_with(
        copy="parameters_values.copy()",
        difference="np.sqrt(np.sum((grad - gradapprox) ** 2)).item() / denominator.item()")),
    ("batchnorm_forward", forward_with(mu="Z.mean(axis=1)[:, None]",
                                       var="((Z - mu) ** 2).sum(axis=1, keepdims=True) / "
                                           "Z.shape[1]")),
    ("batchnorm_forward", forward_with(tilde="np.multiply(gamma, Z_norm) + beta",
                                       norm="(Z - mu) * (var + epsilon) ** -0.5")),
    ("batchnorm_backward", """
def batchnorm_backward(dZ_tilde, cache):
    Z, Z_norm, mu, var, gamma, beta, epsilon = cache
    m = Z.shape[1]
    dZ_norm = dZ_tilde * gamma
    inv_std = 1 / np.sqrt(var + epsilon)
    dvar = np.sum(dZ_norm * (Z - mu), axis=1, keepdims=True) * -0.5 * inv_std ** 3
    dmu = (-np.sum(dZ_norm * inv_std, axis=1, keepdims=True)
           + dvar * np.mean(-2 * (Z - mu), axis=1, keepdims=True))
    dZ = dZ_norm * inv_std + dvar * 2 * (Z - mu) / m + dmu / m
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), dZ_tilde.sum(1, keepdims=True)
"""),
    ("batchnorm_backward", backward_with(
        dgamma="(dZ_tilde * Z_norm).sum(axis=1)[:, None]",
        dz="(dZ_norm - dZ_norm.mean(axis=1, keepdims=True) - Z_norm * (dZ_norm * Z_norm).mean("
           "axis=1, keepdims=True)) / np.sqrt(var + epsilon)")),
    ("softmax", softmax_with(shifted="Z - Z.max(axis=0)", result="exps / exps.sum(axis=0)")),
    ("softmax", """
def softmax(Z):
    A = np.zeros(Z.shape)
    for j in range(Z.shape[1]):
        e = np.exp(Z[:, j] - max(Z[:, j]))
        A[:, j] = e / sum(e)
    return A
"""),
    ("one_hot", """
def one_hot(Y, C):
    Y_one_hot = np.zeros((C, Y.shape[1]))
    Y_one_hot[Y, np.arange(Y.shape[1])] = 1
    return Y_one_hot
"""),
    ("one_hot", """
def one_hot(Y, C):
    return (np.arange(C).reshape(C, 1) == Y).astype(float)
"""),
    ("compute_cost_softmax", cost_with("float(-np.sum(np.log(AL[Y == 1])) / m)")),
    ("compute_cost_softmax", cost_with("-np.mean(np.sum(Y * np.log(AL), axis=0)).item()")),
]

globals().update(check_suite("week4", MISTAKES, ALTERNATIVES, only=FUNCTIONS))
SOLUTION = solution_namespace("week4")


# -- the solution's batch-norm backward pass ------------------------------------------------
@pytest.mark.parametrize("epsilon", [1e-8, 0.5])
@pytest.mark.parametrize(("n", "m"), [(1, 3), (3, 5), (4, 16)])  # m = 2 normalizes to +-1
def test_solution_batchnorm_backward_matches_the_numerical_gradient(n, m, epsilon):
    forward, backward = SOLUTION["batchnorm_forward"], SOLUTION["batchnorm_backward"]
    rng = np.random.default_rng(n * 100 + m)
    Z, gamma, beta = rng.normal(1.0, 2.0, (n, m)), rng.normal(size=(n, 1)), rng.normal(size=(n, 1))
    weights = rng.normal(size=(n, m))  # J = sum(weights * Z_tilde), so dZ_tilde = weights
    dZ, dgamma, dbeta = backward(weights, forward(Z, gamma, beta, epsilon)[1])

    def cost():
        return np.sum(weights * forward(Z, gamma, beta, epsilon)[0])

    for analytic, x in ((dZ, Z), (dgamma, gamma), (dbeta, beta)):
        assert np.shape(analytic) == x.shape
        assert relative_difference(analytic, numerical_gradient(cost, x, 1e-6)) < 1e-6


def test_backward_cases_hold_the_caches_the_solution_forward_leaves():
    forward = SOLUTION["batchnorm_forward"]
    for case in CHECKS["batchnorm_backward"].cases:
        Z, _, _, _, gamma, beta, epsilon = case["cache"]
        for got, want in zip(forward(Z, gamma, beta, epsilon)[1], case["cache"]):
            assert np.allclose(got, want, rtol=1e-12, atol=1e-12)


# -- the checks that swap the notebook's functions --------------------------------------------
def _namespace(*sources: str) -> dict:
    namespace = dict(SOLUTION)
    for source in sources:
        exec(source, namespace)
    return namespace


@pytest.mark.parametrize("source", [gradient_check_with(), gradient_check_with(
    minus="theta", approx="(J_plus - J_minus) / epsilon")], ids=["right", "one-sided"])
def test_gradient_check_puts_the_notebooks_functions_back(source):
    namespace = _namespace(source)
    own = namespace["forward_propagation"], namespace["backward_propagation"]
    try:
        CHECKS["gradient_check"](namespace["gradient_check"])
    except CheckFailed:
        pass
    assert (namespace["forward_propagation"], namespace["backward_propagation"]) == own


def test_gradient_check_n_puts_the_given_forward_pass_back():
    namespace = _namespace(gradient_check_n_with(copy="parameters_values"))
    given = namespace["forward_propagation_n"]
    with pytest.raises(CheckFailed):
        CHECKS["gradient_check_n"](namespace["gradient_check_n"])
    assert namespace["forward_propagation_n"] is given


def test_a_right_gradient_check_blames_a_wrong_backward_propagation(capsys):
    namespace = _namespace(gradient_check_with(),
                           "def backward_propagation(x, theta):\n    return 2 * x\n")
    with pytest.raises(CheckFailed, match="gradient checking found a mistake"):
        CHECKS["gradient_check"](namespace["gradient_check"])
    assert "passed" not in capsys.readouterr().out


def test_gradient_check_needs_the_given_message(capsys):
    namespace = _namespace(gradient_check_with().replace("works perfectly fine!", "is fine."))
    with pytest.raises(CheckFailed, match="keep the given lines"):
        CHECKS["gradient_check"](namespace["gradient_check"])


# -- inputs are never changed -----------------------------------------------------------------
IN_PLACE = [
    ("gradient_check_n", "parameters", """
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad, gradapprox = gradients_to_vector(gradients), []
    for key in ("W1", "b1", "W2", "b2", "W3", "b3"):
        for index in np.ndindex(parameters[key].shape):
            parameters[key][index] += epsilon
            J_plus = forward_propagation_n(X, Y, parameters)[0]
            parameters[key][index] -= 2 * epsilon  # and never put back
            J_minus = forward_propagation_n(X, Y, parameters)[0]
            gradapprox.append([(J_plus - J_minus) / (2 * epsilon)])
    return float(np.linalg.norm(grad - gradapprox)
                 / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))
"""),
    ("batchnorm_forward", "Z", """
def batchnorm_forward(Z, gamma, beta, epsilon=1e-8):
    mu, var = np.mean(Z, axis=1, keepdims=True), np.var(Z, axis=1, keepdims=True)
    Z -= mu
    Z_norm = Z / np.sqrt(var + epsilon)
    return gamma * Z_norm + beta, (Z, Z_norm, mu, var, gamma, beta, epsilon)
"""),
    ("batchnorm_backward", "cache", backward_with().replace(
        "    dZ_norm = dZ_tilde * gamma", "    gamma *= 2\n    dZ_norm = dZ_tilde * gamma / 2")),
    ("batchnorm_backward", "dZ_tilde", backward_with().replace(
        "    dZ_norm = dZ_tilde * gamma", "    dZ_tilde *= gamma\n    dZ_norm = dZ_tilde")),
]


@pytest.mark.parametrize(("name", "argument", "source"), IN_PLACE,
                         ids=[f"{n}-{a}" for n, a, _ in IN_PLACE])
def test_a_function_that_changes_an_input_in_place_is_named(name, argument, source):
    """Arrays inside a dict (parameters) or a tuple (cache) count as the input too."""
    with pytest.raises(CheckFailed, match=f"changed its input `{argument}` in place"):
        CHECKS[name](_namespace(source)[name])

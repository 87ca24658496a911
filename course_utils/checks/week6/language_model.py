"""Visible checks of week 6's language_model section: clip, sample (with the keyword-only
temperature), optimize and model, the classic character model of names.

sample's seeding rule (np.random.seed(counter + seed) before draw k, so draw k uses seed + 2k)
is named from cases whose distribution is the same at every step (all weights zero, only by):
there the draws of every seeding rule, argmax or a temperature multiplied in are np.random's
numbers alone, computed here without any model. Its other cases run a real model; a name that
goes wrong from its second character is compared with the first draws of the common feedback
slips, run on the learner's own draws with the given rnn_step_forward. optimize updates
`parameters` in place (the one exception to no-mutation): it gets its own copy, read after the
call, so a learner who does not update in place is failed and one who does is not. model's
printing is captured (not shown) and its calls of the learner's optimize and sample are recorded
while it runs, so a loop that does not carry a_prev, trains on the wrong name or prints every
iteration is named.
"""

from __future__ import annotations

import contextlib
import copy
import io
import re
import types

import numpy as np

from ...char_model import GRADIENT_KEYS, KEYS, get_initial_loss, rnn_step_forward, smooth
from ...learner_code import recording
from ...sequences import char_to_ix as CHAR_TO_IX
from ...sequences import ix_to_char as IX_TO_CHAR
from .. import diagnoses
from ..core import CheckFailed, Upstream, _join, describe, show
from ..exercise import Exercise
from . import WEEK

V = len(CHAR_TO_IX)
NEWLINE = CHAR_TO_IX["\n"]
LIMIT = 50


class _Exercise(Exercise):
    """An exercise whose call needs more than Check.call: stdout kept (`capture`), the learner's
    functions `watch` recorded while it runs, the input `in_place` given as a copy that the check
    reads after the call, a clearer hint when an input is changed (`mutation_hint`)."""

    capture, watch, in_place, mutation_hint = False, (), None, None

    def call(self, fn, case, check=None, **seed):
        watched = self.watch if check is not None else ()
        with contextlib.redirect_stdout(io.StringIO()) if self.capture else \
                contextlib.nullcontext() as out, recording(fn, watched) as calls:
            if check is None:
                result = super().call(fn, case, None, **seed)
            else:
                try:
                    result = super().call(_updating(fn, self.classic.index(self.in_place))
                                          if self.in_place else fn, case, check, **seed)
                except CheckFailed as failure:
                    text = str(failure)
                    if self.mutation_hint and "in place." in text.split("\n")[0]:
                        failure = CheckFailed(text.split("\nHint: ")[0] + "\nHint: "
                                              + self.mutation_hint)
                    raise failure from None
        if isinstance(case, dict) and hasattr(case, "exercise"):  # a Case, while a check runs
            case.printed = out.getvalue() if self.capture else ""
            case.calls = calls
        return result


def _declare(signature: str, cases: list, **options):
    """WEEK.exercise for an `_Exercise` with `options` (capture, watch, in_place, mutation_hint,
    and seed and hints as usual)."""
    own = {k: options.pop(k) for k in ("capture", "watch", "in_place", "mutation_hint")
           if k in options}

    def declare(body):
        exercise = WEEK.exercise(signature, cases, **options)(body)
        exercise.__class__ = _Exercise
        exercise.__dict__.update(own)
        return exercise
    return declare


def _updating(fn, position: int):
    """fn working on its own copy of its argument `position`, returning (output, that copy):
    the learner's globals are kept, so a failure still names the learner's inner function."""
    if not callable(fn):
        return fn
    deepcopy = copy.deepcopy

    def updating(*args, **kwargs):
        args = [*args]
        mine = deepcopy(args[position])
        args[position] = mine
        return fn(*args, **kwargs), mine
    if not isinstance(fn, types.FunctionType):  # the grader's stand-in: its errors name callees
        updating.__wrapped__ = fn
        return updating
    proxy = types.FunctionType(updating.__code__, fn.__globals__, fn.__name__, None,
                               updating.__closure__)
    proxy.__wrapped__ = fn  # its signature, in messages, is the learner's
    return proxy


def _grid(shape: tuple, seed: int, scale: float = 1.0) -> np.ndarray:
    return np.round(np.random.default_rng(seed).normal(size=shape) * scale, 4)


def _model(n_a: int, seed: int, scales=(1.0, 0.5, 2.0, 0.3, 0.5)) -> dict:
    """Parameters Wax Waa Wya b by of the character model, drawn without the global state."""
    shapes = {"Wax": (n_a, V), "Waa": (n_a, n_a), "Wya": (V, n_a), "b": (n_a, 1), "by": (V, 1)}
    return {k: _grid(shapes[k], seed + i, s) for i, (k, s) in enumerate(zip(KEYS, scales))}


def _text(indices) -> str:
    """Indices as the name they spell, with "\\n" shown, or their list if they are not indices."""
    try:
        return repr("".join(IX_TO_CHAR[int(i)] for i in indices))
    except (KeyError, TypeError, ValueError):
        return repr(list(indices))


# -- clip ------------------------------------------------------------------------------------
CLIP_RULE = ("clip every one of the five arrays to [-maxValue, maxValue]: np.clip(gradient, "
             "-maxValue, maxValue, out=gradient) for gradient in [dWax, dWaa, dWya, db, dby] "
             "(or gradients[key] = np.clip(gradients[key], -maxValue, maxValue) for each key).")
CLIP_SHAPES = {"dWaa": (5, 5), "dWax": (5, V), "dWya": (V, 5), "db": (5, 1), "dby": (V, 1)}


def _gradients(seed: int, scale: float) -> dict:
    return {k: _grid(s, seed + i, scale) for i, (k, s) in enumerate(CLIP_SHAPES.items())}


@_declare("clip(gradients, maxValue)", [
    {"gradients": _gradients(6101, 6.0), "maxValue": 5},
    {"gradients": _gradients(6111, 6.0), "maxValue": 10},
    {"gradients": _gradients(6121, 2.0), "maxValue": 1.5}],
    mutation_hint="keep the given first line, gradients = copy.deepcopy(gradients): a dict's "
                  ".copy() or dict(gradients) copies the dict but shares its arrays, so "
                  "np.clip(..., out=gradient) or gradient[...] = ... then changes the caller's "
                  "gradients.", hints={
    "KeyError": "the gradients' keys are exactly dWaa, dWax, dWya, db and dby."})
def check_clip(check, case, out, want):
    given, bound = case["gradients"], case["maxValue"]
    label = f"clip(gradients, maxValue={bound})"
    check.keys(f"the dict {label} returned", out, list(GRADIENT_KEYS),
               "return the dict of the five clipped arrays, with the keys dWaa, dWax, dWya, db, "
               "dby (the given last lines build it).")
    for key in GRADIENT_KEYS:
        got, g = out[key], given[key]
        what = f"gradients['{key}'] of {label}"
        check.is_array(what, got, CLIP_RULE)
        check.shape(what, got, g.shape, "clipping keeps each array's shape.")
        got = np.asarray(got, dtype=float)
        hint = None
        if not np.allclose(got, want[key]):
            others = [c for c in (5, 10, 1, 1.5) if c != bound]
            hint = next((h for value, h in [
                (g, f"{key} was not clipped: it still holds the input's values. Clip all five "
                    "arrays, dWax, dWaa, dWya, db and dby."),
                (np.minimum(g, bound), "only the values above maxValue were clipped; those "
                                       "below -maxValue must become -maxValue too: np.clip("
                                       "gradient, -maxValue, maxValue)."),
                (np.maximum(g, -bound), "only the values below -maxValue were clipped; those "
                                        "above maxValue must become maxValue too: np.clip("
                                        "gradient, -maxValue, maxValue)."),
                (np.full(g.shape, -float(bound)), "every entry became -maxValue: np.clip takes "
                                                  "the lower bound first, np.clip(gradient, "
                                                  "-maxValue, maxValue)."),
                (np.clip(g, 0, bound), "the negative values became 0: the lower bound is "
                                       "-maxValue, np.clip(gradient, -maxValue, maxValue)."),
                *((np.clip(g, -c, c), f"this is clipped at {c}, but maxValue is {bound}: use "
                                      "the argument maxValue, not a fixed number.")
                  for c in others)] if np.allclose(got, value)), None)
        check.close(what, got, want[key], _join(hint, CLIP_RULE))


# -- sample ----------------------------------------------------------------------------------
SEED_RULE = ("call np.random.seed(counter + seed) right before each np.random.choice, then add "
             "1 to both seed and counter, as the classic: draw k uses the seed seed + 2k.")
SAMPLE_RULE = ("start from x = np.zeros((vocab_size, 1)) and a_prev = np.zeros((n_a, 1)); at "
               "each step a = np.tanh(Wax @ x + Waa @ a_prev + b), y = softmax((Wya @ a + by) / "
               "temperature), draw idx = np.random.choice(range(vocab_size), p=y.ravel()), "
               "append it, then x = a new one-hot vector of idx and a_prev = a. " + SEED_RULE)
STOP_RULE = ('stop when idx is char_to_ix["\\n"] or after 50 characters: while idx != '
             'newline_character and counter != 50; if counter == 50, append char_to_ix["\\n"].')
MODEL = _model(6, 6132)
MODEL["Wax"] = MODEL["Wax"] + _grid((6, 1), 6142, 1.5)  # Wax @ y is not Wax @ 0: see below
FLAT_BY = _grid((V, 1), 6142, 0.6)  # no character likelier than 0.1: argmax is not a draw
FLAT_BY[NEWLINE] = 0.6  # names of a few to a few dozen characters
LONG_BY = _grid((V, 1), 6143, 0.8)
LONG_BY[NEWLINE] = -6.0  # the newline almost never: the 50-character limit


def _flat(by: np.ndarray, n_a: int = 4) -> dict:
    """Parameters whose distribution is softmax(by) at every step, whatever came before."""
    return {"Wax": np.zeros((n_a, V)), "Waa": np.zeros((n_a, n_a)), "Wya": np.zeros((V, n_a)),
            "b": np.zeros((n_a, 1)), "by": by}


FLAT, LONG = _flat(FLAT_BY), _flat(LONG_BY)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - np.max(z))
    return (e / e.sum()).ravel()


def _draws(p: np.ndarray, seeds=None, start: int | None = None, n: int = LIMIT) -> list[int]:
    """n indices np.random.choice draws from p: after np.random.seed(s) for each s in seeds, or
    one after the other after a single np.random.seed(start)."""
    if seeds is None:
        stream = np.random.RandomState(start)
        return [int(stream.choice(len(p), p=p)) for _ in range(n)]
    return [int(np.random.RandomState(s).choice(len(p), p=p)) for s in seeds[:n]]


def _flat_slip(got: list, by: np.ndarray, seed: int, temperature: float) -> str | None:
    """The seeding rule, argmax or temperature slip whose draws from a fixed distribution are
    `got` (every entry before the final "\\n")."""
    p = _softmax(by / temperature)
    k = np.arange(LIMIT)
    slips = [
        (_draws(p, start=seed), "np.random.seed(seed) was called once, before the loop; the "
                                "classic seeds before every draw. " + SEED_RULE),
        (_draws(p, list(k)), "the draws use the seed counter alone (0, 1, 2, ...): seed with "
                             "counter + seed, and add 1 to both after each draw. " + SEED_RULE),
        (_draws(p, list(seed + k)), "draw k used the seed seed + k: add 1 to both seed and "
                                    "counter after each draw, so the seeds go seed, seed + 2, "
                                    "seed + 4, ... " + SEED_RULE),
        (_draws(p, [seed] * LIMIT), "every draw used the same seed: add 1 to both seed and "
                                    "counter after each draw. " + SEED_RULE),
        ([int(np.argmax(p))] * LIMIT, "np.argmax picks the likeliest character every time: draw "
                                      "it at random, np.random.choice(range(vocab_size), "
                                      "p=y.ravel())."),
    ]
    if temperature != 1:
        seeds = list(seed + 2 * k)
        slips += [(_draws(_softmax(by * temperature), seeds), "the logits were multiplied by "
                   "the temperature: divide them, y = softmax((Wya @ a + by) / temperature)."),
                  (_draws(_softmax(by), seeds), "the temperature is not used: y = softmax((Wya "
                   "@ a + by) / temperature).")]
    body = got[:LIMIT]
    return next((hint for draws, hint in slips if body == draws[:len(body)]), None)


def _feedback_slip(got: list, parameters: dict, seed: int, steps: int = 6) -> str | None:
    """The feedback slip whose first draws (up to `steps`) are got's, at temperature 1: each
    variant's steps run with the given rnn_step_forward on the learner's own draws."""
    n_a = parameters["Waa"].shape[0]
    zeros = np.zeros((n_a, 1))

    def draws(feed: str, carry: bool) -> list[int]:
        a, x, out = zeros, np.zeros((V, 1)), []
        for k, idx in enumerate(got[:steps]):
            a, p = rnn_step_forward(parameters, a if carry else zeros, x)
            out += _draws(p.ravel(), [seed + 2 * k], n=1)
            x = {"one-hot": np.eye(V)[:, [idx]], "probabilities": p, "nothing": 0 * x}[feed]
        return out
    slips = [("nothing", True, "the sampled character is not fed back: after each draw, x = "
                               "np.zeros((vocab_size, 1)) and x[idx] = 1, the next step's input."),
             ("probabilities", True, "the probabilities y were fed back as the next input; the "
                                     "input is the character drawn, a one-hot vector: x = "
                                     "np.zeros((vocab_size, 1)), x[idx] = 1."),
             ("one-hot", False, "a_prev is not carried: after each step a_prev = a, the "
                                "activation the next step starts from.")]
    if draws("one-hot", True) == got[:steps]:
        return None
    found = [hint for feed, carry, hint in slips if draws(feed, carry) == got[:steps]]
    return " Or: ".join(found) or None


@_declare("sample(parameters, char_to_ix, seed, *, temperature=1.0)", [
    {"parameters": FLAT, "char_to_ix": CHAR_TO_IX, "seed": 2},
    {"parameters": FLAT, "char_to_ix": CHAR_TO_IX, "seed": 4, "temperature": 0.5},
    {"parameters": FLAT, "char_to_ix": CHAR_TO_IX, "seed": 4, "temperature": 2.0},
    {"parameters": LONG, "char_to_ix": CHAR_TO_IX, "seed": 1},
    {"parameters": MODEL, "char_to_ix": CHAR_TO_IX, "seed": 0},
    {"parameters": MODEL, "char_to_ix": CHAR_TO_IX, "seed": 0, "temperature": 0.5},
    {"parameters": MODEL, "char_to_ix": CHAR_TO_IX, "seed": 0, "temperature": 2.0},
    {"parameters": MODEL, "char_to_ix": CHAR_TO_IX, "seed": 3}], hints={
    "probabilities do not sum to 1": "p must be a probability vector: divide the logits before "
                                     "the softmax, y = softmax((Wya @ a + by) / temperature), "
                                     "and draw with p=y.ravel().",
    "probabilities are not 1-dimensional": "y is a column (vocab_size, 1): pass p=y.ravel().",
    "a must be 1-dimensional": "draw from range(vocab_size), the indices: "
                               "np.random.choice(range(vocab_size), p=y.ravel()).",
    "not aligned": "x is a one-hot column (vocab_size, 1) and a_prev a column (n_a, 1): "
                   "a = np.tanh(Wax @ x + Waa @ a_prev + b)."})
def check_sample(check, case, out, want):
    parameters, seed, temperature = case["parameters"], case["seed"], case.given("temperature")
    kind = ("a model whose distribution is the same at every step" if parameters is FLAT else
            "a model that almost never ends a name" if parameters is LONG else "a model")
    label = f"sample(seed={seed}, temperature={temperature}) of {kind}"
    check.true(isinstance(out, list), f"{label} must return a list of indices, but it returned "
                                      f"{describe(out)}.",
               "start with indices = [], append each idx, and return indices.")
    check.true(all(isinstance(i, int | np.integer) and not isinstance(i, bool) for i in out),
               f"{label} must return integer indices, but it returned {show(np.array(out))}.",
               "append idx, the index np.random.choice drew, not the probabilities or the "
               "one-hot vector.")
    got, want = [int(i) for i in out], [int(i) for i in want]
    if parameters is FLAT and seed == 2:
        again = case.again(seed=12345)
        check.true(again == out, f"{label} gave another name when the random state before the "
                                 f"call was different ({_text(out)}, then {_text(again)}).",
                   "the draws must not depend on the random state before the call. " + SEED_RULE)
    hint = None
    if got != want:
        if parameters is FLAT or parameters is LONG:
            hint = _flat_slip(got, parameters["by"], seed, temperature)
        other = case.gives(got, "temperature")
        if not hint and other is not None:
            hint = ("the temperature is not used: y = softmax((Wya @ a + by) / temperature)."
                    if other == 1 else "the logits were multiplied by the temperature: divide "
                    "them, y = softmax((Wya @ a + by) / temperature).")
        if not hint and len(got) > LIMIT + 1:
            hint = f"the name has {len(got)} characters: " + STOP_RULE
        if not hint and got == want[:-1] and len(want) == LIMIT + 1:
            hint = ('after 50 characters the "\\n" index must be appended: if counter == 50, '
                    'indices.append(char_to_ix["\\n"]).')
        if not hint and got and got[:-1] == want[:-2] and len(want) == LIMIT + 1:
            hint = ("the name stopped at 49 characters: the limit is 50 draws. " + STOP_RULE)
        if not hint and got[:1] == want[:1] and len(got) > 1 and len(want) > 1 and \
                got[1] != want[1] and parameters is MODEL and temperature == 1:
            hint = _feedback_slip(got, parameters, seed)
    check.true(got == want, f"{label} is wrong.\n  expected: {show(np.array(want))} "
                            f"{_text(want)}\n  got:      {show(np.array(got))} {_text(got)}",
               hint or SAMPLE_RULE + " " + STOP_RULE)


# -- optimize --------------------------------------------------------------------------------
OPTIMIZE_RULE = ("loss, cache = char_rnn_forward(X, Y, a_prev, parameters); gradients, a = "
                 "char_rnn_backward(X, Y, parameters, cache); gradients = clip(gradients, 5); "
                 "parameters = update_parameters(parameters, gradients, learning_rate).")
OPT_MODEL = _model(5, 6151, scales=(4.0, 4.0, 4.0, 1.0, 1.0))  # gradients up to 28
OPT_SMALL = _model(4, 6161, scales=(0.5, 0.5, 0.5, 0.2, 0.2))


def _name_pair(name: str) -> dict:
    X = [None] + [CHAR_TO_IX[ch] for ch in name]
    return {"X": X, "Y": X[1:] + [NEWLINE]}


@_declare("optimize(X, Y, a_prev, parameters, learning_rate=0.01)", [
    {**_name_pair("leonardo"), "a_prev": _grid((5, 1), 6155, 0.5), "parameters": OPT_MODEL},
    {**_name_pair("maria"), "a_prev": np.zeros((5, 1)), "parameters": OPT_MODEL,
     "learning_rate": 0.05},
    {**_name_pair("anne"), "a_prev": _grid((4, 1), 6165, 0.5), "parameters": OPT_SMALL,
     "learning_rate": 0.1}], in_place="parameters", hints={
    "update_parameters: the gradients lack": Upstream(
        "clip must return all five gradients, dWaa, dWax, dWya, db and dby: make clip's check "
        "pass first."),
    "KeyError": "the activations a are a dict by time step, from a[-1] (a_prev) to "
                "a[len(X) - 1], the last one (a[len(X)] does not exist); the parameters' keys "
                "are Wax, Waa, Wya, b and by.",
    "not enough values to unpack": "char_rnn_forward returns loss, cache and char_rnn_backward "
                                   "returns gradients, a. " + OPTIMIZE_RULE})
def check_optimize(check, case, out, want):
    output, after = out
    X, a_prev, start, lr = case["X"], case["a_prev"], case["parameters"], case.given(
        "learning_rate")
    label = f" (name of {len(X) - 1} letters, learning_rate={lr})"
    loss, gradients, a_last = diagnoses.returns(check, output, "loss, gradients, a_last")
    check.scalar(f"loss{label}", loss, "the loss is the number char_rnn_forward returns.")
    check.close(f"loss{label}", loss, want[0], "the loss is what char_rnn_forward(X, Y, a_prev, "
                "parameters) returns, before the update.")
    check.keys(f"gradients{label}", gradients, list(GRADIENT_KEYS),
               "return the clipped gradients, the dict clip returns.")
    used = max(float(np.max(np.abs(gradients[k]))) for k in GRADIENT_KEYS)
    bounds = [k for k in GRADIENT_KEYS if np.sum(np.isclose(np.abs(gradients[k]), used)) > 1]
    for key in GRADIENT_KEYS:
        got = gradients[key]
        check.shape(f"gradients['{key}']{label}", got, want[1][key].shape)
        hint = None
        if used > 5 + 1e-9 and not np.allclose(got, want[1][key]):
            hint = (f"the gradients were clipped at {used:.4g}, but optimize clips at 5: "
                    "clip(gradients, 5)." if bounds else
                    f"the gradients hold entries as large as {used:.4g}: they were not clipped. "
                    "Call gradients = clip(gradients, 5) before the update, and return them.")
        elif used < 5 - 1e-9 and bounds and not np.allclose(got, want[1][key]):
            hint = f"the gradients were clipped at {used:.4g}, but optimize clips at 5."
        check.close(f"gradients['{key}']{label}", got, want[1][key], _join(hint, OPTIMIZE_RULE))
    n_a = a_prev.shape[0]
    check.shape(f"a_last{label}", a_last, (n_a, 1), "a_last is one activation, a[len(X) - 1].")
    first = np.tanh(start["Waa"] @ a_prev + start["b"])
    hint = next((h for value, h in [
        (a_prev, "this is a[-1], the a_prev the name started from: return a[len(X) - 1], the "
                 "activation after the name's last character."),
        (first, "this is a[0], the activation of the first step: return a[len(X) - 1], the "
                "activation after the name's last character.")]
        if np.shape(a_last) == value.shape and np.allclose(a_last, value)), None)
    check.close(f"a_last{label}", a_last, want[2], hint or "return a[len(X) - 1], the last "
                "activation that char_rnn_backward gives back.")
    target = {k: start[k] - lr * want[1]["d" + k] for k in KEYS}
    check.keys(f"parameters after optimize{label}", after, list(KEYS),
               "update_parameters changes the dict in place: do not add or remove keys.")
    diagnoses.step(check, "parameters", after, start, target, lr, list(KEYS),
                   "optimize updates the parameters in place, as the classic: call "
                   "update_parameters(parameters, gradients, learning_rate) on the dict it was "
                   "given (no copy, and not before the gradients are clipped): ")
    for key in KEYS:
        step = (start[key] - np.asarray(after[key], dtype=float)) / lr
        check.true(np.max(np.abs(step)) <= 5 + 1e-6 or np.allclose(after[key], target[key]),
                   f"parameters['{key}']{label} took a step of gradients larger than 5: the "
                   "update used the gradients before clipping.",
                   "clip first and update with the clipped gradients: gradients = "
                   "clip(gradients, 5), then update_parameters(parameters, gradients, "
                   "learning_rate).")
        check.close(f"parameters['{key}'] after optimize{label}", after[key], target[key],
                    f"parameters[{key!r}] -= learning_rate * the clipped gradients['d{key}']: "
                    + OPTIMIZE_RULE)


# -- model -----------------------------------------------------------------------------------
LOOP_RULE = ("for j in range(num_iterations): idx = j % len(examples); X = [None] + "
             "[char_to_ix[ch] for ch in examples[idx]]; Y = X[1:] + [char_to_ix[\"\\n\"]]; "
             "curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, learning_rate="
             "0.01); loss = smooth(loss, curr_loss); every 2,000 iterations print and sample.")
NAMES = ["anna", "bob", "eve", "otto", "ada", "lena", "max"]
LINES = ["kim\n", "joe\n", "ida\n", "liv\n", "amos\n"]  # as read from a file: stripped


def _examples(data_x) -> list[str]:
    """The names in the order model trains on them (the given shuffle, seed 0)."""
    examples = [x.strip() for x in data_x]
    np.random.RandomState(0).shuffle(examples)
    return examples


def _learning_rate(args: tuple, kwargs: dict):
    return kwargs.get("learning_rate", args[4] if len(args) > 4 else 0.01)


def _loop_slip(check, case, calls: list, label: str) -> None:
    """The recorded optimize calls of one run: one per iteration, on examples[j % n], with the
    a_prev the previous one returned and learning_rate 0.01."""
    n, n_a, c2i = case.given("num_iterations"), case.given("n_a"), case["char_to_ix"]
    examples = _examples(case["data_x"])
    check.true(len(calls) == n, f"{label} called optimize {len(calls)} times, but it must call "
                                f"it once per iteration, {n} times.", LOOP_RULE)
    previous = np.zeros((n_a, 1))
    for j, (args, kwargs, out) in enumerate(calls):
        X, Y, a_prev = (args[i] if i < len(args) else kwargs.get(k)
                        for i, k in enumerate(("X", "Y", "a_prev")))
        name = examples[j % len(examples)]
        want_X = [None] + [c2i[ch] for ch in name]
        if X != want_X:
            hint = ("X must start with None, the empty first input: X = [None] + [char_to_ix[ch]"
                    " for ch in examples[idx]]." if X == want_X[1:] else
                    f"iteration j trains on examples[j % len(examples)]: here {name!r}."
                    if not isinstance(X, list) or X[:1] == [None] else LOOP_RULE)
            check.fail(f"{label}: at iteration {j}, optimize got X = {X}, but it must get "
                       f"{want_X} (the name {name!r}).", hint)
        if Y != want_X[1:] + [c2i["\n"]]:
            check.fail(f"{label}: at iteration {j}, optimize got Y = {Y}, but it must get "
                       f"{want_X[1:] + [c2i[chr(10)]]}.", "Y = X[1:] + [char_to_ix[\"\\n\"]]: "
                       "each next character, and the end of the name last.")
        if np.shape(a_prev) != (n_a, 1) or not np.allclose(a_prev, previous):
            carried = "zeros" if not np.any(a_prev) else "not what the last name ended with"
            check.fail(f"{label}: at iteration {j}, optimize started from an a_prev that is "
                       f"{carried}, but it must start from "
                       + ("np.zeros((n_a, 1))." if j == 0 else
                          "the a_last that optimize returned at iteration " f"{j - 1}."),
                       "carry a_prev from name to name: curr_loss, gradients, a_prev = "
                       "optimize(X, Y, a_prev, parameters, learning_rate=0.01).")
        lr = _learning_rate(args, kwargs)
        check.true(lr == 0.01, f"{label} called optimize with learning_rate={lr!r}, but the "
                               "classic trains with 0.01.", LOOP_RULE)
        if isinstance(out, tuple) and len(out) == 3:
            previous = out[2]
    check.ok()


@_declare("model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7, "
          "vocab_size=27, verbose=False)", [
    {"data_x": NAMES, "ix_to_char": IX_TO_CHAR, "char_to_ix": CHAR_TO_IX,
     "num_iterations": 18, "n_a": 5, "dino_names": 2},
    {"data_x": LINES, "ix_to_char": IX_TO_CHAR, "char_to_ix": CHAR_TO_IX,
     "num_iterations": 12, "n_a": 4, "dino_names": 3}],
    capture=True, watch=("optimize", "sample"), hints={
    "list index out of range": "the loop goes round the names again and again: iteration j "
                               "trains on examples[j % len(examples)], not examples[j].",
    "X and Y must have the same length": Upstream(
        "Y = X[1:] + [char_to_ix[\"\\n\"]]: one target per input, the end of the name last."),
    "KeyError": "X holds the indices of the name's characters: X = [None] + [char_to_ix[ch] for "
                "ch in examples[idx]]."})
def check_model(check, case, out, want):
    n, dino_names = case.given("num_iterations"), case.given("dino_names")
    label = f"model({len(case['data_x'])} names, num_iterations={n}, n_a={case.given('n_a')})"
    parameters, last_name = diagnoses.returns(check, out, "parameters, last_dino_name")
    printed = case.printed.splitlines()
    iterations = [line for line in printed if line.startswith("Iteration:")]
    times = -(-n // 2000)
    check.true(len(iterations) == times,
               f"{label} printed 'Iteration: ...' {len(iterations)} times in {n} iterations; "
               f"the classic prints every 2,000 iterations (j % 2000 == 0), so {times} here.",
               'if j % 2000 == 0: print("Iteration: %d, Loss: %f" % (j, loss) + "\\n"), then '
               "the sampled names.")
    optimize_calls, sample_calls = case.calls.get("optimize", []), case.calls.get("sample", [])
    if optimize_calls:
        _loop_slip(check, case, optimize_calls, label)
    match = re.match(r"Iteration: 0, Loss: ([-+0-9.eE]+)", iterations[0])
    if match and optimize_calls and np.ndim(optimize_calls[0][2][0]) == 0:
        shown = float(match.group(1))
        smoothed = smooth(get_initial_loss(case.given("vocab_size"), dino_names),
                          float(optimize_calls[0][2][0]))
        check.true(abs(shown - smoothed) < 1e-5, f"{label} printed the loss {shown} at "
                   f"iteration 0, but the smoothed loss is {smoothed:.6f}.",
                   "loss = smooth(loss, curr_loss) each iteration, and print loss, the smoothed "
                   "one (it starts from get_initial_loss).")
    if sample_calls:
        seeds = [(list(a) + [k.get("seed")])[2] for a, k, _ in sample_calls]
        want_seeds = list(range(dino_names)) * times
        check.true(seeds == want_seeds, f"{label} called sample with the seeds {seeds}, but "
                   f"the classic samples dino_names = {dino_names} names with the seeds "
                   f"{list(range(dino_names))} at each print.",
                   "seed = 0 before the names, then seed += 1 after each one.")
    check.keys(f"parameters of {label}", parameters, list(KEYS))
    for key in KEYS:
        check.close(f"parameters['{key}'] of {label}", parameters[key], want[0][key],
                    "the parameters after the last iteration, trained in place by optimize. "
                    "Make check_optimize pass first; then " + LOOP_RULE)
    check.true(last_name == want[1], f"{label} returned the last name {last_name!r}, but it "
                                     f"must be {want[1]!r}.",
               "last_dino_name = get_sample(sampled_indices, ix_to_char), the last of the "
               "names sampled at the last print (with seed dino_names - 1).")

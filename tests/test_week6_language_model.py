"""Week 6's language-model checks (clip, sample with its temperature, optimize, model) reject the
stubs and the common slips, each named with its fix and each rejected by the hidden tests alone,
and accept other correct code; optimize's in-place update is required, not refused; the seeding
rule is told from np.random's numbers alone; the messages read as a learner would read them."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks.week6 import CHECKS
from course_utils.checks.week6.language_model import FLAT, LONG, MODEL, NEWLINE
from tests.helpers import check_message, check_suite, implemented
from tests.test_week5_applications import changed

FUNCTIONS = ["clip", "sample", "optimize", "model"]

CLIP = """
def clip(gradients, maxValue):
    gradients = copy.deepcopy(gradients)
    dWaa, dWax, dWya, db, dby = (gradients["dWaa"], gradients["dWax"], gradients["dWya"],
                                 gradients["db"], gradients["dby"])
    for gradient in (dWax, dWaa, dWya, db, dby):
        np.clip(gradient, -maxValue, maxValue, out=gradient)
    gradients = {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}
    return gradients
"""

SAMPLE = """
def sample(parameters, char_to_ix, seed, *, temperature=1.0):
    temperature = check_temperature(temperature)
    Waa, Wax, Wya, by, b = (parameters["Waa"], parameters["Wax"], parameters["Wya"],
                            parameters["by"], parameters["b"])
    vocab_size = by.shape[0]
    n_a = Waa.shape[1]
    x = np.zeros((vocab_size, 1))
    a_prev = np.zeros((n_a, 1))
    indices = []
    idx = -1
    counter = 0
    newline_character = char_to_ix["\\n"]
    while idx != newline_character and counter != 50:
        a = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)
        z = np.dot(Wya, a) + by
        y = softmax(z / temperature)
        np.random.seed(counter + seed)
        idx = np.random.choice(range(vocab_size), p=y.ravel())
        indices.append(idx)
        x = np.zeros((vocab_size, 1))
        x[idx] = 1
        a_prev = a
        seed += 1
        counter += 1
    if counter == 50:
        indices.append(char_to_ix["\\n"])
    return indices
"""

OPTIMIZE = """
def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = char_rnn_forward(X, Y, a_prev, parameters)
    gradients, a = char_rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    parameters = update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, a[len(X) - 1]
"""

MODEL_FN = """
def model(data_x, ix_to_char, char_to_ix, num_iterations=35000, n_a=50, dino_names=7,
          vocab_size=27, verbose=False):
    n_x, n_y = vocab_size, vocab_size
    parameters = initialize_parameters(n_a, n_x, n_y)
    loss = get_initial_loss(vocab_size, dino_names)
    examples = [x.strip() for x in data_x]
    np.random.seed(0)
    np.random.shuffle(examples)
    a_prev = np.zeros((n_a, 1))
    last_dino_name = "abc"
    for j in range(num_iterations):
        idx = j % len(examples)
        single_example_ix = [char_to_ix[ch] for ch in examples[idx]]
        X = [None] + single_example_ix
        Y = X[1:] + [char_to_ix["\\n"]]
        curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, learning_rate=0.01)
        loss = smooth(loss, curr_loss)
        if j % 2000 == 0:
            print("Iteration: %d, Loss: %f" % (j, loss) + "\\n")
            seed = 0
            for name in range(dino_names):
                sampled_indices = sample(parameters, char_to_ix, seed)
                last_dino_name = get_sample(sampled_indices, ix_to_char)
                print(last_dino_name.replace("\\n", ""))
                seed += 1
            print("\\n")
    return parameters, last_dino_name
"""

STEP = "        np.clip(gradient, -maxValue, maxValue, out=gradient)"
SEED = "        np.random.seed(counter + seed)\n"
FEED = "        x = np.zeros((vocab_size, 1))\n        x[idx] = 1\n"
LIMIT = "    if counter == 50:\n        indices.append(char_to_ix[\"\\n\"])\n"
CALL = "optimize(X, Y, a_prev, parameters, learning_rate=0.01)"

# (function, mistake, source, a phrase the message must contain)
MISTAKES = [
    ("clip", "forgets dby", changed(CLIP, ("db, dby):", "db):")), "dby was not clipped"),
    ("clip", "positive only", changed(CLIP, (STEP, "        np.minimum(gradient, maxValue, "
                                                   "out=gradient)")),
     "only the values above maxValue were clipped"),
    ("clip", "negative only", changed(CLIP, (STEP, "        np.maximum(gradient, -maxValue, "
                                                   "out=gradient)")),
     "only the values below -maxValue were clipped"),
    ("clip", "shallow copy", changed(CLIP, ("copy.deepcopy(gradients)", "dict(gradients)")),
     "copies the dict but shares its arrays"),
    ("clip", "fixed bound", changed(CLIP, (STEP, "        np.clip(gradient, -5, 5, "
                                                 "out=gradient)")),
     "use the argument maxValue"),
    ("clip", "bounds swapped", changed(CLIP, (STEP, "        np.clip(gradient, maxValue, "
                                                    "-maxValue, out=gradient)")),
     "np.clip takes the lower bound first"),
    ("clip", "a key left out", changed(CLIP, (', "dby": dby}', "}")), "is missing the key(s)"),
    ("sample", "seeded once", changed(SAMPLE, (SEED, ""), ("    counter = 0\n",
                                                           "    counter = 0\n"
                                                           "    np.random.seed(seed)\n")),
     "was called once, before the loop"),
    ("sample", "counter alone", changed(SAMPLE, ("seed(counter + seed)", "seed(counter)")),
     "the seed counter alone"),
    ("sample", "seed + k", changed(SAMPLE, ("        seed += 1\n", "")),
     "draw k used the seed seed + k"),
    ("sample", "same seed", changed(SAMPLE, ("seed(counter + seed)", "seed(seed)"),
                                    ("        seed += 1\n", "")),
     "every draw used the same seed"),
    ("sample", "no seed", changed(SAMPLE, (SEED, "")),
     "when the random state before the call was different"),
    ("sample", "not fed back", changed(SAMPLE, (FEED, "")), "the sampled character is not fed"),
    ("sample", "probabilities fed back", changed(SAMPLE, (FEED, "        x = y\n")),
     "the probabilities y were fed back"),
    ("sample", "a_prev not carried", changed(SAMPLE, ("        a_prev = a\n", "")),
     "a_prev is not carried"),
    ("sample", "no 50 limit", changed(SAMPLE, (" and counter != 50", ""), (LIMIT, "")),
     "characters: stop when idx"),
    ("sample", "no final newline", changed(SAMPLE, (LIMIT, "")),
     'after 50 characters the "\\n" index must be appended'),
    ("sample", "temperature multiplied", changed(SAMPLE, ("z / temperature", "z * temperature")),
     "the logits were multiplied by the temperature"),
    ("sample", "temperature ignored", changed(SAMPLE, ("z / temperature", "z")),
     "the temperature is not used"),
    ("sample", "argmax", changed(SAMPLE, ("np.random.choice(range(vocab_size), p=y.ravel())",
                                          "np.argmax(y)")), "np.argmax picks"),
    ("sample", "temperature after the softmax", changed(SAMPLE, (
        "softmax(z / temperature)", "softmax(z) / temperature")), "divide the logits before"),
    ("optimize", "no clip", changed(OPTIMIZE, ("    gradients = clip(gradients, 5)\n", "")),
     "they were not clipped"),
    ("optimize", "clip at 10", changed(OPTIMIZE, ("clip(gradients, 5)", "clip(gradients, 10)")),
     "clipped at 10, but optimize clips at 5"),
    ("optimize", "clip at 1", changed(OPTIMIZE, ("clip(gradients, 5)", "clip(gradients, 1)")),
     "clipped at 1, but optimize clips at 5"),
    ("optimize", "a[len(X)]", changed(OPTIMIZE, ("a[len(X) - 1]", "a[len(X)]")),
     "a[len(X)] does not exist"),
    ("optimize", "a[0]", changed(OPTIMIZE, ("a[len(X) - 1]", "a[0]")), "this is a[0]"),
    ("optimize", "a[-1]", changed(OPTIMIZE, ("a[len(X) - 1]", "a[-1]")), "this is a[-1]"),
    ("optimize", "not in place", changed(OPTIMIZE, ("update_parameters(parameters,",
                                                    "update_parameters(copy.deepcopy("
                                                    "parameters),")),
     "did not change"),
    ("optimize", "no update", changed(OPTIMIZE, (
        "    parameters = update_parameters(parameters, gradients, learning_rate)\n", "")),
     "optimize updates the parameters in place"),
    ("optimize", "fixed learning rate", changed(OPTIMIZE, ("gradients, learning_rate)",
                                                           "gradients, 0.01)")),
     "use the learning_rate argument"),
    ("optimize", "update before clipping", changed(OPTIMIZE, (
        "    gradients = clip(gradients, 5)\n    parameters = update_parameters(parameters, "
        "gradients, learning_rate)\n", "    parameters = update_parameters(parameters, "
        "gradients, learning_rate)\n    gradients = clip(gradients, 5)\n")),
     "the update used the gradients before clipping"),
    ("model", "no wrap-around", changed(MODEL_FN, ("j % len(examples)", "j")),
     "examples[j % len(examples)], not examples[j]"),
    ("model", "Y without the newline", changed(MODEL_FN, (' + [char_to_ix["\\n"]]', "")),
     "one target per input"),
    ("model", "a_prev not carried", changed(MODEL_FN, (f"a_prev = {CALL}", f"_ = {CALL}")),
     "optimize started from an a_prev that is zeros"),
    ("model", "prints every iteration", changed(MODEL_FN, ("j % 2000 == 0", "True")),
     "the classic prints every 2,000 iterations"),
    ("model", "X without None", changed(MODEL_FN, ("X = [None] + single_example_ix",
                                                   "X = single_example_ix")),
     "X must start with None"),
    ("model", "sample seed stays 0", changed(MODEL_FN, ("                seed += 1\n", "")),
     "called sample with the seeds [0, 0"),
    ("model", "the loss not smoothed", changed(MODEL_FN, ("(j, loss)", "(j, curr_loss)")),
     "but the smoothed loss is"),
]

ALTERNATIVES = [
    ("clip", """
def clip(gradients, maxValue):
    return {key: np.minimum(np.maximum(value, -maxValue), maxValue)
            for key, value in gradients.items()}
"""),
    ("clip", changed(CLIP, (STEP, "        gradient[...] = np.clip(gradient, -maxValue, "
                                  "maxValue)"))),
    ("sample", """
def sample(parameters, char_to_ix, seed, *, temperature=1.0):
    temperature = check_temperature(temperature)
    W_in, W_rec, W_out = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    newline = char_to_ix["\\n"]
    vocab = W_out.shape[0]
    h = np.zeros((W_rec.shape[0], 1))
    previous = None
    out = []
    for k in range(50):
        drive = parameters["b"] + W_rec @ h
        if previous is not None:
            drive = drive + W_in[:, [previous]]   # a column of Wax: the one-hot product
        h = np.tanh(drive)
        logits = (W_out @ h + parameters["by"]) / temperature
        p = np.exp(logits - logits.max())
        np.random.seed(seed + 2 * k)
        previous = int(np.random.choice(vocab, p=(p / p.sum())[:, 0]))
        out.append(previous)
        if previous == newline:
            return out
    return out + [newline]
"""),
    ("optimize", """
def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = char_rnn_forward(X, Y, a_prev, parameters)
    gradients, a = char_rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, maxValue=5)
    for key in ("Wax", "Waa", "Wya", "b", "by"):
        parameters[key] -= learning_rate * gradients["d" + key]
    return loss, gradients, a[max(a)]
"""),
    ("model", changed(MODEL_FN, (
        "        idx = j % len(examples)\n        single_example_ix = [char_to_ix[ch] for ch in "
        "examples[idx]]\n        X = [None] + single_example_ix\n        Y = X[1:] + "
        "[char_to_ix[\"\\n\"]]\n",
        "        name = examples[j % len(examples)]\n        X = [None, *map(char_to_ix.get, "
        "name)]\n        Y = [*X[1:], char_to_ix[\"\\n\"]]\n"),
        ("            seed = 0\n            for name in range(dino_names):\n",
         "            for seed in range(dino_names):\n"),
        ("                seed += 1\n", ""))),
]

globals().update(check_suite("week6", MISTAKES, ALTERNATIVES, only=FUNCTIONS))


@pytest.fixture(scope="module")
def solution():
    return solution_namespace("week6")


implement = implemented


def failure(name: str, fn) -> str:
    return check_message(CHECKS[name], fn)


def test_a_wrong_name_is_shown_as_indices_and_text(solution):
    text = failure("sample", implement(solution, changed(SAMPLE, (FEED, "")))["sample"])
    first = text.splitlines()[0]
    assert first.startswith("sample: sample(seed=") and first.endswith("is wrong."), text
    expected, got = text.splitlines()[1:3]
    assert expected.lstrip().startswith("expected: [") and "\\n'" in expected, text
    assert got.lstrip().startswith("got:") and expected != got, text
    assert text.count("\nHint: ") == 1, text


def test_the_seeding_hint_names_the_rule_with_its_numbers(solution):
    text = failure("sample", implement(solution, changed(SAMPLE, (
        "seed(counter + seed)", "seed(counter)")))["sample"])
    assert "np.random.seed(counter + seed)" in text and "seed + 2k" in text, text


def test_the_flat_cases_draw_from_a_fixed_distribution_whatever_was_fed(solution):
    """The flat cases' names come from softmax(by) alone: feeding slips leave them as they are,
    so a seeding hint there is never a feedback slip in disguise."""
    right, wrong = solution["sample"], implement(solution, changed(SAMPLE, (FEED, "")))["sample"]
    for parameters in (FLAT, LONG):
        for seed in (0, 1, 2):
            c2i = {c: i for i, c in enumerate("\nabcdefghijklmnopqrstuvwxyz")}
            assert right(parameters, c2i, seed) == wrong(parameters, c2i, seed)
    c2i = {c: i for i, c in enumerate("\nabcdefghijklmnopqrstuvwxyz")}
    assert right(MODEL, c2i, 0) != wrong(MODEL, c2i, 0)


def test_the_cases_reach_the_limit_and_end_early(solution):
    lengths = [len(want) for want in CHECKS["sample"].expected()]
    assert 51 in lengths and min(lengths) < 30, lengths
    ends = [want[-1] for want in CHECKS["sample"].expected()]
    assert set(ends) == {NEWLINE}


def test_optimize_that_updates_in_place_passes_and_its_input_case_is_untouched(solution,
                                                                              capsys):
    case = CHECKS["optimize"].cases[0]
    before = copy.deepcopy(case["parameters"])
    CHECKS["optimize"](solution["optimize"])
    assert capsys.readouterr().out.startswith("optimize: all ")
    for key, value in before.items():
        assert np.array_equal(case["parameters"][key], value), key


def test_optimize_cases_need_clipping_at_5_and_at_10():
    grads = CHECKS["optimize"].expected()[0][1]
    assert sum(int(np.sum(np.isclose(np.abs(g), 5))) for g in grads.values()) > 5


def test_optimize_message_points_at_clip_when_a_key_is_missing(solution):
    bad_clip = implement(solution, changed(CLIP, (', "dby": dby}', "}")) + OPTIMIZE)
    text = failure("optimize", bad_clip["optimize"])
    assert "update_parameters: the gradients lack ['dby']" in text, text
    assert "make clip's check pass first" in text and "the error comes from" not in text, text


def test_optimize_names_an_unfinished_clip(solution):
    stub = 'def clip(gradients, maxValue):\n    raise NotImplementedError("replace this")\n'
    namespace = implement(solution, stub + OPTIMIZE)
    text = failure("optimize", namespace["optimize"])
    assert "calls clip, which is not implemented yet" in text, text


def test_model_does_not_show_its_training_printout_and_restores_optimize(solution, capsys):
    namespace = implement(solution, MODEL_FN + OPTIMIZE + SAMPLE)
    optimize, sample = namespace["optimize"], namespace["sample"]
    CHECKS["model"](namespace["model"])
    out = capsys.readouterr().out
    assert out.strip() == f"model: all {out.split()[2]} checks passed.", out
    assert namespace["optimize"] is optimize and namespace["sample"] is sample


def test_model_names_the_iteration_that_lost_a_prev(solution):
    source = changed(MODEL_FN, (f"a_prev = {CALL}", f"_ = {CALL}"))
    text = failure("model", implement(solution, source)["model"])
    assert "at iteration 1" in text and "returned at iteration 0" in text, text
    assert "curr_loss, gradients, a_prev = optimize(" in text, text


def test_model_with_every_print_counts_the_lines(solution):
    text = failure("model", implement(solution, changed(MODEL_FN, ("j % 2000 == 0",
                                                                   "True")))["model"])
    assert "printed 'Iteration: ...' 18 times in 18 iterations" in text and "so 1 here" in text


def test_model_hints_do_not_fire_when_optimize_is_inlined(solution, capsys):
    """A loop that trains without calling optimize is judged by its parameters alone."""
    source = changed(MODEL_FN, (
        f"curr_loss, gradients, a_prev = {CALL}",
        "curr_loss, cache = char_rnn_forward(X, Y, a_prev, parameters)\n"
        "        gradients, a = char_rnn_backward(X, Y, parameters, cache)\n"
        "        gradients = {k: np.clip(v, -5, 5) for k, v in gradients.items()}\n"
        "        update_parameters(parameters, gradients, 0.01)\n"
        "        a_prev = a[len(X) - 1]"))
    CHECKS["model"](implement(solution, source)["model"])
    assert capsys.readouterr().out.startswith("model: all ")


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_check_answers_within_a_second(solution, name, capsys):
    import time
    start = time.perf_counter()
    CHECKS[name](solution[name])
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("label", ["not fed back", "probabilities fed back", "a_prev not carried"])
def test_a_feedback_slip_gets_its_own_hint_alone(solution, label):
    source = next(m[2] for m in MISTAKES if m[0] == "sample" and m[1] == label)
    text = failure("sample", implement(solution, source)["sample"])
    assert "Or:" not in text and "seed" not in text.split("Hint: ")[1], text

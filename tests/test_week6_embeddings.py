"""Week 6's embeddings checks (cosine_similarity, complete_analogy, neutralize, equalize,
sentence_to_avg) reject the stubs and the common mistakes with a hint that names them, accept
other correct code, and name no mistake on correct code; every trap word of an analogy case is
the word its slip picks, and the cases hold what the hints rely on."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.solution_code import solution_namespace
from course_utils.checks import CheckFailed
from course_utils.checks.week6 import CHECKS
from course_utils.checks.week6.embeddings import SLIPS, TRAPS, _equalize_slip
from tests.helpers import check_message, check_suite, implemented

FUNCTIONS = ["cosine_similarity", "complete_analogy", "neutralize", "equalize", "sentence_to_avg"]

COSINE = """
def cosine_similarity(u, v):
    norm_u = np.sqrt(np.sum(u * u))
    norm_v = np.sqrt(np.sum(v * v))
    if {zero}:
        return 0.0
    return {value}
"""


def cosine_with(zero="norm_u == 0 or norm_v == 0", value="float(np.dot(u, v) / (norm_u * norm_v))"):
    return COSINE.format(zero=zero, value=value)


ANALOGY = """
def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
    {lower}
    e_a, e_b, e_c = word_to_vec_map[word_a], word_to_vec_map[word_b], word_to_vec_map[word_c]
    max_cosine_sim = {start}
    best_word = None
    for w in word_to_vec_map:
        if {skip}:
            continue
        cosine_sim = {score}
        if cosine_sim > max_cosine_sim:
            max_cosine_sim = cosine_sim
            best_word = w
    return {result}
"""


def analogy_with(lower="word_a, word_b, word_c = word_a.lower(), word_b.lower(), word_c.lower()",
                 start="-100", skip="w in (word_a, word_b, word_c)",
                 score="cosine_similarity(e_b - e_a, word_to_vec_map[w] - e_c)",
                 result="best_word"):
    return ANALOGY.format(lower=lower, start=start, skip=skip, score=score, result=result)


NEUTRALIZE = """
def neutralize(word, g, word_to_vec_map):
    e = word_to_vec_map[word]
    e_biascomponent = {bias}
    {result}
"""


def neutralize_with(bias="(np.dot(e, g) / np.sum(g * g)) * g",
                    result="return e - e_biascomponent"):
    return NEUTRALIZE.format(bias=bias, result=result)


EQUALIZE = """
def equalize(pair, bias_axis, word_to_vec_map):
    w1, w2 = pair
    e_w1, e_w2 = word_to_vec_map[w1], word_to_vec_map[w2]
    mu = (e_w1 + e_w2) / 2
    norm2 = {norm2}
    mu_B = (np.dot(mu, bias_axis) / norm2) * bias_axis
    mu_orth = mu - mu_B
    e_w1B = (np.dot(e_w1, bias_axis) / norm2) * bias_axis
    e_w2B = (np.dot(e_w2, bias_axis) / norm2) * bias_axis
    scale = {scale}
    e1 = {common} + scale * {d1}
    e2 = {common} + scale * {d2}
    return e1, e2
"""


def equalize_with(norm2="np.sum(bias_axis * bias_axis)",
                  scale="np.sqrt(np.abs(1 - np.sum(mu_orth ** 2)))", common="mu_orth",
                  d1="(e_w1B - mu_B) / np.linalg.norm(e_w1B - mu_B)",
                  d2="(e_w2B - mu_B) / np.linalg.norm(e_w2B - mu_B)"):
    return EQUALIZE.format(norm2=norm2, scale=scale, common=common, d1=d1, d2=d2)


AVERAGE = """
def sentence_to_avg(sentence, word_to_vec_map):
    any_word = next(iter(word_to_vec_map))
    avg = np.zeros(word_to_vec_map[any_word].shape)
    words = {words}
    for w in {loop}:
        avg {add} word_to_vec_map[w]
    if {guard}:
        avg = avg / {count}
    return avg
"""


def average_with(words="[w for w in sentence.lower().split() if w in word_to_vec_map]",
                 loop="words", add="+=", guard="words", count="len(words)"):
    return AVERAGE.format(words=words, loop=loop, add=add, guard=guard, count=count)


MISTAKES = [
    ("cosine_similarity", "dot product alone", cosine_with(value="float(np.dot(u, v))"),
     "the dot product u · v alone"),
    ("cosine_similarity", "norms squared",
     cosine_with(value="float(np.dot(u, v) / (np.sum(u * u) * np.sum(v * v)))"),
     "the norms are squared"),
    ("cosine_similarity", "one norm", cosine_with(value="float(np.dot(u, v) / norm_u)"),
     "divides by norm_u only"),
    ("cosine_similarity", "no zero guard", cosine_with(zero="False"), "a zero vector has no "
                                                                       "direction"),
    ("cosine_similarity", "entry by entry", cosine_with(value="u * v / (norm_u * norm_v)"),
     "u * v multiplies entry by entry"),
    ("complete_analogy", "an input word wins", analogy_with(skip="False"),
     "one of the three input words"),
    ("complete_analogy", "the candidate alone",
     analogy_with(score="cosine_similarity(e_b - e_a, word_to_vec_map[w])"),
     "this word's vector alone"),
    ("complete_analogy", "a minus b",
     analogy_with(score="cosine_similarity(e_a - e_b, word_to_vec_map[w] - e_c)"),
     "points the most AGAINST"),
    ("complete_analogy", "c minus d",
     analogy_with(score="cosine_similarity(e_b - e_a, e_c - word_to_vec_map[w])"),
     "points the most AGAINST"),
    ("complete_analogy", "max starts at 0", analogy_with(start="0"), "start at -np.inf"),
    ("complete_analogy", "dot product",
     analogy_with(score="np.dot(e_b - e_a, word_to_vec_map[w] - e_c)"),
     "the largest dot product"),
    ("complete_analogy", "not lower-cased", analogy_with(lower="pass"), "its words are lower "
                                                                         "case"),
    ("complete_analogy", "the vector returned", analogy_with(result="word_to_vec_map[best_word]"),
     "the word itself"),
    ("neutralize", "divided by the norm", neutralize_with(
        bias="(np.dot(e, g) / np.linalg.norm(g)) * g"), "divides np.dot(e, g) by ||g||"),
    ("neutralize", "not divided", neutralize_with(bias="np.dot(e, g) * g"),
     "is not divided by ||g||²"),
    ("neutralize", "the projection returned", neutralize_with(result="return e_biascomponent"),
     "this is the projection itself"),
    ("neutralize", "added", neutralize_with(result="return e + e_biascomponent"),
     "the projection is added"),
    ("neutralize", "along e", neutralize_with(bias="(np.dot(e, g) / np.sum(g * g)) * e"),
     "the projection points along g"),
    ("neutralize", "in place", neutralize_with(result="e -= e_biascomponent\n    return e"),
     "changed its input `word_to_vec_map` in place"),
    ("equalize", "the wrong side", equalize_with(
        d1="(mu_B - e_w1B) / np.linalg.norm(e_w1B - mu_B)",
        d2="(mu_B - e_w2B) / np.linalg.norm(e_w2B - mu_B)"), "e1 came out on w2's side"),
    ("equalize", "no abs", equalize_with(scale="np.sqrt(1 - np.sum(mu_orth ** 2))"),
     "with the absolute value"),
    ("equalize", "no square root", equalize_with(scale="np.abs(1 - np.sum(mu_orth ** 2))"),
     "the length along the axis is the square root"),
    ("equalize", "norm not squared", equalize_with(
        scale="np.sqrt(np.abs(1 - np.linalg.norm(mu_orth)))"), "not ||mu_orth||"),
    ("equalize", "projection by the norm", equalize_with(norm2="np.linalg.norm(bias_axis)"),
     "they divide by ||bias_axis||²"),
    ("equalize", "mu for mu_orth", equalize_with(common="mu"), "their common part is mu_orth"),
    ("equalize", "direction not normalized", equalize_with(d1="(e_w1B - mu_B)",
                                                           d2="(e_w2B - mu_B)"),
     "divided by its length"),
    ("sentence_to_avg", "divided by all words", average_with(
        count="len(sentence.split())"), "this divides by all"),
    ("sentence_to_avg", "not lower-cased", average_with(
        words="[w for w in sentence.split() if w in word_to_vec_map]"), "not lower-cased"),
    ("sentence_to_avg", "divided by zero", average_with(guard="True"), "do not divide by 0"),
    ("sentence_to_avg", "the sum", average_with(guard="False"), "this is the sum"),
    ("sentence_to_avg", "the last word", average_with(add="="), "the last known word's vector"),
    ("sentence_to_avg", "unknown words looked up", average_with(
        words="sentence.lower().split()"), "skip the words it does not know"),
    ("sentence_to_avg", "a set of words", average_with(loop="set(words)"), "counts twice"),
    ("sentence_to_avg", "characters", average_with(count="len(sentence)"),
     "the number of characters"),
    ("sentence_to_avg", "mean without axis", """
def sentence_to_avg(sentence, word_to_vec_map):
    words = [w for w in sentence.lower().split() if w in word_to_vec_map]
    if not words:
        return np.zeros(next(iter(word_to_vec_map.values())).shape)
    return np.mean([word_to_vec_map[w] for w in words])
""", "without axis averages every number"),
]

ALTERNATIVES = [
    ("cosine_similarity", """
def cosine_similarity(u, v):
    norms = np.linalg.norm(u) * np.linalg.norm(v)
    return 0.0 if norms == 0 else float(u @ v / norms)
"""),
    ("cosine_similarity", """
def cosine_similarity(u, v):
    if not np.any(u) or not np.any(v):
        return 0.0
    dot = sum(a * b for a, b in zip(u.tolist(), v.tolist()))
    return dot / (sum(a * a for a in u.tolist()) ** 0.5 * sum(b * b for b in v.tolist()) ** 0.5)
"""),
    ("complete_analogy", """
def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
    word_a, word_b, word_c = word_a.lower(), word_b.lower(), word_c.lower()
    words = [w for w in word_to_vec_map if w not in {word_a, word_b, word_c}]
    E = np.stack([word_to_vec_map[w] for w in words]) - word_to_vec_map[word_c]
    direction = word_to_vec_map[word_b] - word_to_vec_map[word_a]
    cosines = E @ direction / (np.linalg.norm(E, axis=1) * np.linalg.norm(direction))
    return words[int(np.argmax(cosines))]
"""),
    ("complete_analogy", """
def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
    a, b, c = (word_to_vec_map[w.lower()] for w in (word_a, word_b, word_c))
    inputs = {word_a.lower(), word_b.lower(), word_c.lower()}
    return max((w for w in word_to_vec_map if w not in inputs),
               key=lambda w: cosine_similarity(b - a, word_to_vec_map[w] - c))
"""),
    ("neutralize", """
def neutralize(word, g, word_to_vec_map):
    unit = g / np.linalg.norm(g)
    e = word_to_vec_map[word]
    return e - np.dot(e, unit) * unit
"""),
    ("neutralize", """
def neutralize(word, g, word_to_vec_map):
    e = word_to_vec_map[word].copy()
    e -= np.outer(g, g) @ e / (g @ g)
    return e
"""),
    ("equalize", """
def equalize(pair, bias_axis, word_to_vec_map):
    e_w1, e_w2 = (word_to_vec_map[w] for w in pair)
    unit = bias_axis / np.linalg.norm(bias_axis)
    mu = (e_w1 + e_w2) / 2
    mu_orth = mu - (mu @ unit) * unit
    half = ((e_w1 - e_w2) / 2) @ unit  # e_w1B - mu_B along the unit axis
    size = np.sqrt(abs(1 - mu_orth @ mu_orth))
    return mu_orth + size * np.sign(half) * unit, mu_orth - size * np.sign(half) * unit
"""),
    ("sentence_to_avg", """
def sentence_to_avg(sentence, word_to_vec_map):
    any_word = next(iter(word_to_vec_map))
    known = [word_to_vec_map[w] for w in sentence.lower().split() if w in word_to_vec_map]
    return np.mean(known, axis=0) if known else np.zeros_like(word_to_vec_map[any_word])
"""),
    ("sentence_to_avg", """
def sentence_to_avg(sentence, word_to_vec_map):
    any_word = next(iter(word_to_vec_map))
    total, count = np.zeros(word_to_vec_map[any_word].shape), 0
    for word in sentence.split():
        vector = word_to_vec_map.get(word.lower())
        if vector is not None:
            total, count = total + vector, count + 1
    return total / max(count, 1)
"""),
]

globals().update(check_suite("week6", MISTAKES, ALTERNATIVES, only=FUNCTIONS))
SOLUTION = solution_namespace("week6")


def implement(source: str) -> dict:
    return implemented(SOLUTION, source)


def failure(name: str, source: str) -> str:
    return check_message(CHECKS[name], implement(source)[name])


# -- the analogy traps ------------------------------------------------------------------------
SLIP_SOURCES = {
    "d_alone": analogy_with(score="cosine_similarity(e_b - e_a, word_to_vec_map[w])"),
    "reversed": analogy_with(score="cosine_similarity(e_a - e_b, word_to_vec_map[w] - e_c)"),
    "dot": analogy_with(score="np.dot(e_b - e_a, word_to_vec_map[w] - e_c)"),
}


@pytest.mark.parametrize("case", CHECKS["complete_analogy"].cases,
                         ids=lambda c: "-".join((c["word_a"], c["word_b"], c["word_c"])))
def test_each_trap_word_is_the_word_its_slip_picks(case):
    words = (case["word_a"], case["word_b"], case["word_c"])
    right = SOLUTION["complete_analogy"](*words, case["word_to_vec_map"])
    for trap, slip_name in TRAPS[words].items():
        fn = implement(SLIP_SOURCES[slip_name])["complete_analogy"]
        assert fn(*words, case["word_to_vec_map"]) == trap != right, (words, slip_name)
    assert set(TRAPS[words].values()) <= set(SLIPS)


def test_the_analogy_cases_hold_an_input_word_trap_and_an_all_negative_case():
    cases = CHECKS["complete_analogy"].cases
    skipless = implement(analogy_with(skip="False"))["complete_analogy"]
    from_zero = implement(analogy_with(start="0"))["complete_analogy"]
    inputs = [c for c in cases if skipless(c["word_a"], c["word_b"], c["word_c"],
                                           c["word_to_vec_map"]) in (c["word_a"], c["word_b"],
                                                                     c["word_c"])]
    assert len(inputs) >= 2
    assert any(from_zero(c["word_a"], c["word_b"], c["word_c"], c["word_to_vec_map"]) is None
               for c in cases)


# -- what a learner reads ---------------------------------------------------------------------
def test_a_dot_product_alone_is_told_with_its_numbers():
    text = failure("cosine_similarity", cosine_with(value="float(np.dot(u, v))"))
    lines = text.splitlines()
    assert lines[0] == "cosine_similarity: cosine_similarity([1., 2., 2.], [2., 0., 1.]) is wrong."
    assert lines[1].split() == ["expected:", f"{4 / (3 * np.sqrt(5)):.6f}"]
    assert lines[2].split() == ["got:", "4."]
    assert lines[3].startswith("Hint: this is the dot product u · v alone")


def test_an_input_word_answer_is_named():
    text = failure("complete_analogy", analogy_with(skip="False"))
    assert text.startswith("complete_analogy: complete_analogy('small', 'smaller', 'big') on a "
                           "word_to_vec_map of 6 words, vectors of 2 numbers returned 'smaller', "
                           "one of the three input words.")


def test_none_is_blamed_on_negative_cosines_only_where_they_are_all_negative():
    assert "every candidate's cosine is negative" in failure("complete_analogy",
                                                               analogy_with(start="0"))
    text = failure("complete_analogy", analogy_with(start="np.inf"))
    assert "returned None" in text and "cosine is negative" not in text
    assert "Update best_word = w whenever" in text


def test_a_wrong_analogy_shows_both_words():
    text = failure("complete_analogy", SLIP_SOURCES["d_alone"])
    assert "expected: 'queen'\n  got:      'she'" in text


def test_a_missing_zero_guard_shows_the_nan():
    text = failure("cosine_similarity", cosine_with(zero="False"))
    assert "with a zero vector, must be 0.0, but it is nan." in text


def test_a_sentence_without_lower_case_names_the_word():
    text = failure("sentence_to_avg", average_with(
        words="[w for w in sentence.split() if w in word_to_vec_map]"))
    assert text.startswith("sentence_to_avg: sentence_to_avg('I love pizza', ")
    assert "expected: [1., 1., 1.]" in text
    assert "the map knows 'i', not 'I'" in text


def test_a_nan_from_a_negative_square_root_is_told_without_the_general_nan_advice():
    text = failure("equalize", equalize_with(scale="np.sqrt(1 - np.sum(mu_orth ** 2))"))
    assert text.splitlines()[0] == ("equalize: e1 of equalize(('grandfather', 'grandmother'), "
                                    "bias_axis, ...) on a word_to_vec_map of 4 words, vectors "
                                    "of 3 numbers contains nan: [nan, nan, nan].")
    assert "Hint: nan comes from the square root of a negative number" in text


def test_equalize_names_both_vectors_and_the_pair():
    text = failure("equalize", equalize_with(common="mu"))
    assert text.startswith("equalize: e1 of equalize(('actor', 'actress'), bias_axis, ...) on a "
                           "word_to_vec_map of 3 words, vectors of 2 numbers is wrong.")


# -- hints stay quiet on correct code ---------------------------------------------------------
@pytest.mark.parametrize("index", range(len(CHECKS["equalize"].cases)))
def test_the_equalize_diagnosis_names_nothing_on_the_right_answer(index):
    exercise = CHECKS["equalize"]
    case, want = exercise.cases[index], exercise.expected()[index]
    assert _equalize_slip(case, np.array(want[0]), np.array(want[1]), want) is None


@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_slightly_perturbed_answer_gets_only_the_rule(name):
    """An answer off by a little matches no slip: the hint is the function's rule alone."""
    exercise = CHECKS[name]
    solution = SOLUTION[name]

    def nudged(*args):
        out = solution(*args)
        if isinstance(out, str):
            return "crown"
        if isinstance(out, tuple):
            return out[0] * 1.01 + 0.003, out[1]
        return out * 1.01 + 0.003 if np.ndim(out) else float(out) * 1.01 + 0.003

    with pytest.raises(CheckFailed) as caught:
        exercise(nudged)
    hint = str(caught.value).split("\nHint: ")[1]
    rules = {"cosine_similarity": "cosine_similarity = np.dot(u, v)",
             "complete_analogy": "for each word w of word_to_vec_map",
             "neutralize": "e_biascomponent = ", "equalize": "mu = (e_w1 + e_w2) / 2",
             "sentence_to_avg": "words = sentence.lower().split()"}
    assert hint.startswith(rules[name]) or "with a zero vector" in str(caught.value), hint


# -- the cases --------------------------------------------------------------------------------
def test_the_cases_separate_the_norm_slips():
    """Some axis is not of length 1 (else dividing by ||g|| or ||g||² is the same), and one
    equalize case has ||mu_orth||² > 1 (where the abs matters)."""
    assert any(not np.isclose(np.linalg.norm(c["g"]), 1) for c in CHECKS["neutralize"].cases)
    squares = [np.sum(((w[0] + w[1]) / 2) ** 2) for w in CHECKS["equalize"].expected()]
    assert max(squares) > 1 > min(squares)


def test_the_average_cases_hold_unknown_upper_case_and_repeated_words():
    sentences = [c["sentence"] for c in CHECKS["sentence_to_avg"].cases]
    assert any(s != s.lower() for s in sentences)
    assert any(len(set(s.split())) < len(s.split()) for s in sentences)
    cases = CHECKS["sentence_to_avg"].cases
    assert any(not any(w in c["word_to_vec_map"] for w in c["sentence"].lower().split())
               for c in cases)

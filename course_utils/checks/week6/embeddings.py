"""Visible checks of week 6's embeddings section: cosine_similarity, complete_analogy,
neutralize, equalize and sentence_to_avg, on small hand-built word_to_vec_map dicts (1-D
vectors) whose answers are known.

A wrong number is named from the stored right one and the inputs (the dot product alone is the
cosine times both norms, a projection divided by ||g|| is off by the factor ||g||, ...). A wrong
analogy is named by its word: each case's vocabulary holds a word that a common slip picks (the
TRAPS of the case; the tests run each slip and see it pick that word).
"""

from __future__ import annotations

import numpy as np

from .. import diagnoses
from ..core import _join, describe, show
from ..week5.convolution import matches, slip, tensor
from . import WEEK


def vectors(words: dict) -> dict:
    """A word_to_vec_map of float vectors from lists of numbers."""
    return {word: np.array(vector, dtype=float) for word, vector in words.items()}


def vocabulary(word_to_vec_map: dict) -> str:
    """A map in a label: its size and the length of its vectors."""
    size = np.shape(next(iter(word_to_vec_map.values())))[0]
    return f"a word_to_vec_map of {len(word_to_vec_map)} words, vectors of {size} numbers"


def one_d(check, what: str, value, length: int, hint: str) -> None:
    """An embedding-shaped answer: a numpy array of shape (length,)."""
    check.is_array(what, value, hint)
    check.shape(what, value, (length,), "an embedding is a 1-D vector like the ones in "
                                        "word_to_vec_map: no reshape, no [None] or keepdims.")


def norm(x) -> float:
    return float(np.sqrt(np.sum(np.asarray(x, dtype=float) ** 2)))


# -- cosine_similarity ------------------------------------------------------------------------
COSINE_RULE = ("cosine_similarity = np.dot(u, v) / (norm_u * norm_v), with norm_u = "
               "np.sqrt(np.sum(u * u)) (or np.linalg.norm(u)), as a float; 0.0 when norm_u or "
               "norm_v is 0.")
ZERO_HINT = ("a zero vector has no direction: when norm_u == 0 or norm_v == 0, return 0.0 "
             "before dividing (no division by zero).")


@WEEK.exercise("cosine_similarity(u, v)", [
    {"u": np.array([1.0, 2.0, 2.0]), "v": np.array([2.0, 0.0, 1.0])},
    {"u": np.array([3.0, 4.0]), "v": np.array([4.0, 3.0])},
    {"u": np.array([1.0, -2.0, 0.5, 3.0]), "v": np.array([-2.0, 1.0, 1.0, -1.0])},
    {"u": np.array([1.0, 1.0]), "v": np.array([-3.0, -3.0])},
    {"u": tensor((50,), 6101), "v": tensor((50,), 6102, 0.3)},
    {"u": np.zeros(3), "v": np.array([1.0, 2.0, 3.0])},
    {"u": np.array([0.5, -1.5]), "v": np.zeros(2)}], hints={
    "ZeroDivisionError": ZERO_HINT,
    "not aligned": "u and v are 1-D vectors of the same length: np.dot(u, v), no .T or reshape."})
def check_cosine_similarity(check, case, out, want):
    u, v = case["u"], case["v"]
    label = (f"cosine_similarity(u, v) of two vectors of {u.size} numbers" if u.size > 4 else
             f"cosine_similarity({show(u)}, {show(v)})")
    if isinstance(out, np.ndarray) and out.shape == u.shape:
        check.fail(f"{label} returned an array of shape {out.shape}, one number per entry; it "
                   "must be a single float.", "u * v multiplies entry by entry: the dot product "
                   "adds those products up, np.dot(u, v) (or np.sum(u * v)). " + COSINE_RULE)
    check.scalar(label, out, "return one number: " + COSINE_RULE)
    got = float(np.asarray(out, dtype=float))
    if not np.any(u) or not np.any(v):
        check.true(got == 0.0, f"{label}, with a zero vector, must be 0.0, but it is {got}.",
                   ZERO_HINT)
    else:
        nu, nv = norm(u), norm(v)
        hint = None if not np.isfinite(got) else slip(got, want, [
            (want * nu * nv, "this is the dot product u · v alone: divide it by norm_u * "
                             "norm_v."),
            (want / (nu * nv), "the norms are squared: norm_u = np.sqrt(np.sum(u * u)), the "
                               "square root of the sum of squares (or np.linalg.norm(u))."),
            (want * nu, "this divides by norm_v only: divide by norm_u * norm_v."),
            (want * nv, "this divides by norm_u only: divide by norm_u * norm_v."),
            (want * nu * nv / (nu + nv), "this divides by norm_u + norm_v: the cosine divides "
                                         "by their product, norm_u * norm_v."),
            (abs(want), "the sign is lost: the cosine of vectors pointing apart is negative "
                        "(no abs).")])
        check.close(label, got, want, _join(hint, COSINE_RULE))
    check.python_float(label, out, "wrap the result in float(...): " + COSINE_RULE)


# -- complete_analogy -------------------------------------------------------------------------
ROYALTY = vectors({"man": [1, 0, 0.1], "woman": [-1, 0, 0.1], "king": [1, 1, 0.2],
                   "queen": [-1, 1, 0.2], "she": [-1, 0, 0], "he": [1, 0, 0],
                   "prince": [1.2, 0.9, 0.6], "crown": [0.1, 1.3, -0.5], "apple": [0.2, -1, 1]})
SIZES = vectors({"small": [1, 0], "smaller": [2, 0], "big": [0, 0.1], "bigger": [1, 0.3],
                 "large": [-0.5, 1], "tiny": [1.5, -1]})
DIRECTIONS = vectors({"up": [0, 0], "down": [1, 0], "high": [5, 0], "low": [4.5, -3],
                      "above": [4, 1], "sky": [3, 0.2]})
ANALOGY_RULE = ("for each word w of word_to_vec_map except word_a, word_b and word_c: "
                "cosine_similarity(e_b - e_a, word_to_vec_map[w] - e_c); return the word with the "
                "largest, starting from max_cosine_sim = -np.inf (or -100).")
SLIPS = {
    "d_alone": "this word's vector alone points the most along e_b - e_a: compare e_b - e_a with "
               "the difference word_to_vec_map[w] - e_c, not with word_to_vec_map[w].",
    "reversed": "this word's difference points the most AGAINST e_b - e_a: compare e_b - e_a "
                "with word_to_vec_map[w] - e_c (b minus a, the candidate minus c) and keep the "
                "largest cosine.",
    "dot": "this word has the largest dot product, not the largest cosine: use cosine_similarity, "
           "which divides by the norms, so a long vector does not win by its length.",
}
TRAPS = {  # the word each slip picks (the tests run each slip on its case)
    ("man", "woman", "king"): {"she": "d_alone", "prince": "reversed"},
    ("Man", "WOMAN", "King"): {"she": "d_alone", "prince": "reversed"},
    ("king", "queen", "man"): {"she": "d_alone", "prince": "reversed"},
    ("small", "smaller", "big"): {"large": "reversed", "tiny": "dot"},
    ("up", "down", "high"): {"sky": "reversed"},
}


@WEEK.exercise("complete_analogy(word_a, word_b, word_c, word_to_vec_map)", [
    {"word_a": a, "word_b": b, "word_c": c, "word_to_vec_map": words} for (a, b, c), words in (
        (("man", "woman", "king"), ROYALTY), (("Man", "WOMAN", "King"), ROYALTY),
        (("king", "queen", "man"), ROYALTY), (("small", "smaller", "big"), SIZES),
        (("up", "down", "high"), DIRECTIONS))], hints={
    "KeyError": "a word was looked up that word_to_vec_map does not have: its words are lower "
                "case, so keep the given first line (word_a.lower(), ...) and look the three "
                "words up after it; loop over the words of word_to_vec_map itself."})
def check_complete_analogy(check, case, out, want):
    words = (case["word_a"], case["word_b"], case["word_c"])
    label = f"complete_analogy{words} on {vocabulary(case['word_to_vec_map'])}"
    lowered = tuple(w.lower() for w in words)
    negative = case["word_to_vec_map"] is DIRECTIONS
    none_hint = ("best_word stayed None: no word beat the starting max_cosine_sim. " + (
        "Here every candidate's cosine is negative, so start at -np.inf (or -100), not 0. "
        if negative else "Update best_word = w whenever cosine_sim > max_cosine_sim, and return "
        "best_word. "))
    check.true(isinstance(out, str), f"{label} must return a word (a str), but it returned "
               f"{describe(out)}.", _join(none_hint if out is None else "return best_word, the "
                                          "word itself, not its vector or its cosine.",
                                          ANALOGY_RULE))
    check.true(out not in lowered, f"{label} returned {out!r}, one of the three input words.",
               "skip word_a, word_b and word_c in the loop (`if w in (word_a, word_b, word_c): "
               "continue`): the answer is a fourth word.")
    hint = SLIPS.get(TRAPS[words].get(out))
    check.true(out == want, f"{label} is wrong.\n  expected: {want!r}\n  got:      {out!r}",
               _join(hint, ANALOGY_RULE))


# -- neutralize -------------------------------------------------------------------------------
NEUTRALIZE_RULE = ("e_biascomponent = (np.dot(e, g) / np.sum(g * g)) * g, the projection of e "
                   "on g, and e_debiased = e - e_biascomponent.")
JOBS = vectors({"receptionist": [1, 2, 3], "engineer": [-1, 0.5, 2], "woman": [-1, 0, 1],
                "man": [1, 0, 1]})
TEXT = vectors({"nurse": [0.5, -1, 2, 1], "doctor": [1, 1, -1, 0.5], "she": [1, 1, 0, -1],
                "he": [0, 0, 0, 0]})
WIDE = {word: tensor((50,), 6110 + i, 0.4) for i, word in enumerate(
    ("babysit", "programmer", "woman", "man", "technology"))}


@WEEK.exercise("neutralize(word, g, word_to_vec_map)", [
    {"word": "receptionist", "g": np.array([2.0, 0.0, 0.0]), "word_to_vec_map": JOBS},
    {"word": "receptionist", "g": JOBS["woman"] - JOBS["man"], "word_to_vec_map": JOBS},
    {"word": "engineer", "g": np.array([0.6, 0.0, 0.8]), "word_to_vec_map": JOBS},
    {"word": "nurse", "g": TEXT["she"] - TEXT["he"], "word_to_vec_map": TEXT},
    {"word": "babysit", "g": WIDE["woman"] - WIDE["man"], "word_to_vec_map": WIDE},
    {"word": "programmer", "g": WIDE["woman"] - WIDE["man"], "word_to_vec_map": WIDE}], hints={
    "KeyError": "word is a key of word_to_vec_map: e = word_to_vec_map[word]."})
def check_neutralize(check, case, out, want):
    word, g, words = case["word"], case["g"], case["word_to_vec_map"]
    e = words[word]
    label = (f"neutralize({word!r}, g, ...) with ||g|| = {norm(g):.4g} on {vocabulary(words)}")
    one_d(check, label, out, e.size, "return e_debiased, a vector like e. " + NEUTRALIZE_RULE)
    got, bias = np.asarray(out, dtype=float), e - want  # the projection of e on g
    hint = slip(got, want, [
        (e, "the vector came back unchanged: subtract its projection on g."),
        (bias, "this is the projection itself, e_biascomponent: return e - e_biascomponent."),
        (e + bias, "the projection is added: e_debiased = e - e_biascomponent."),
        (e - bias * norm(g), "the projection divides np.dot(e, g) by ||g||, but it divides by "
                             "||g||² = np.sum(g * g) (with ||g|| it is off by the factor ||g||)."),
        (e - bias * norm(g) ** 2, "np.dot(e, g) * g is not divided by ||g||² = np.sum(g * g)."),
        (e - np.dot(e, g) / np.sum(g * g) * e, "the projection points along g: (np.dot(e, g) / "
                                               "np.sum(g * g)) * g, not times e.")])
    check.close(label, out, want, _join(hint, NEUTRALIZE_RULE))


# -- equalize ---------------------------------------------------------------------------------
EQUALIZE_RULE = ("mu = (e_w1 + e_w2) / 2; mu_B, e_w1B, e_w2B their projections on bias_axis, "
                 "(np.dot(x, bias_axis) / np.sum(bias_axis ** 2)) * bias_axis; mu_orth = mu - "
                 "mu_B; e1 = mu_orth + np.sqrt(np.abs(1 - np.sum(mu_orth ** 2))) * (e_w1B - mu_B) "
                 "/ np.linalg.norm(e_w1B - mu_B), and e2 the same with e_w2B.")
GENDER = vectors({"actor": [0.6, 0.3], "actress": [-0.2, 0.5], "stage": [0.1, 0.9]})
FAMILY = vectors({"father": [0.4, 0.5, -0.3], "mother": [-0.3, 0.6, 0.1],
                  "grandfather": [1.2, 1.1, -0.9], "grandmother": [-0.5, 1.3, 0.8]})
PAIRS = {word: tensor((50,), 6120 + i, 0.15) for i, word in enumerate(
    ("boy", "girl", "man", "woman"))}


@WEEK.exercise("equalize(pair, bias_axis, word_to_vec_map)", [
    {"pair": ("actor", "actress"), "bias_axis": np.array([1.0, 0.0]), "word_to_vec_map": GENDER},
    {"pair": ("father", "mother"), "bias_axis": np.array([1.0, -0.2, -1.0]),
     "word_to_vec_map": FAMILY},
    {"pair": ("mother", "father"), "bias_axis": np.array([1.0, -0.2, -1.0]),
     "word_to_vec_map": FAMILY},
    {"pair": ("grandfather", "grandmother"), "bias_axis": np.array([2.0, 0.0, -1.0]),
     "word_to_vec_map": FAMILY},
    {"pair": ("boy", "girl"), "bias_axis": PAIRS["man"] - PAIRS["woman"],
     "word_to_vec_map": PAIRS}], hints={
    "unpack": "pair is a tuple of two words: w1, w2 = pair (given).",
    "KeyError": "the words of pair are keys of word_to_vec_map: e_w1 = word_to_vec_map[w1]."})
def check_equalize(check, case, out, want):
    axis, words = case["bias_axis"], case["word_to_vec_map"]
    label = f"equalize({case['pair']!r}, bias_axis, ...) on {vocabulary(words)}"
    e1, e2 = diagnoses.returns(check, out, "e1, e2")
    for name, e in (("e1", e1), ("e2", e2)):
        one_d(check, f"{name} of {label}", e, axis.size, "e1 and e2 are vectors like e_w1. "
              + EQUALIZE_RULE)
    got1, got2 = np.asarray(e1, dtype=float), np.asarray(e2, dtype=float)
    hint = None
    if matches(got1, want[1]) and matches(got2, want[0]):
        hint = ("e1 came out on w2's side of the axis and e2 on w1's: e1 takes the direction "
                "e_w1B - mu_B (not mu_B - e_w1B), and the function returns e1, e2 in that order.")
    elif not (np.all(np.isfinite(got1)) and np.all(np.isfinite(got2))):
        hint = ("nan comes from the square root of a negative number: here ||mu_orth||² > 1, so "
                "take np.sqrt(np.abs(1 - np.sum(mu_orth ** 2))), with the absolute value.")
    else:
        hint = _equalize_slip(case, got1, got2, want)
    for name, got, right in (("e1", e1, want[0]), ("e2", e2, want[1])):
        check.true(np.all(np.isfinite(np.asarray(got, dtype=float))), f"{name} of {label} "
                   f"contains nan: {show(np.asarray(got))}.", _join(hint, EQUALIZE_RULE))
        check.close(f"{name} of {label}", got, right, _join(hint, EQUALIZE_RULE))


def _equalize_slip(case, got1, got2, want) -> str | None:
    """Names a wrong equalize from its common part (e1 + e2) / 2, which must be mu_orth, and its
    half difference (e1 - e2) / 2, the axis part of length sqrt(|1 - ||mu_orth||²|)."""
    (w1, w2), axis, words = case["pair"], case["bias_axis"], case["word_to_vec_map"]
    e_w1, e_w2 = words[w1], words[w2]
    mu, mu_orth = (e_w1 + e_w2) / 2, (want[0] + want[1]) / 2
    common, half = (got1 + got2) / 2, (got1 - got2) / 2
    if not matches(common, mu_orth):
        return slip(common, mu_orth, [
            (mu, "e1 and e2 share mu = (e_w1 + e_w2) / 2: their common part is mu_orth = mu - "
                 "mu_B, without the part along the axis."),
            (mu - (mu - mu_orth) * norm(axis), "the projections divide np.dot(x, bias_axis) by "
                                               "||bias_axis||, but they divide by ||bias_axis||² "
                                               "= np.sum(bias_axis ** 2)."),
            (np.zeros_like(mu), "the common part mu_orth = mu - mu_B is missing: e1 = mu_orth + "
                                "...")])
    size, length = norm((want[0] - want[1]) / 2), norm(half)
    right_direction = matches(half / max(length, 1e-300), (want[0] - want[1]) / 2 / size)
    if not right_direction:
        return None
    return slip(length, size, [
        (size ** 2, "the length along the axis is the square root: np.sqrt(np.abs(1 - "
                    "np.sum(mu_orth ** 2)))."),
        (np.sqrt(abs(1 - norm(mu_orth))), "the length along the axis uses ||mu_orth||², "
                                          "np.sum(mu_orth ** 2), not ||mu_orth||."),
        (size * norm(((e_w1 - e_w2) / 2) @ axis / np.sum(axis * axis) * axis),
         "the direction e_w1B - mu_B is divided by its length, np.linalg.norm(e_w1B - mu_B), "
         "so that only the square root sets how far e1 and e2 sit along the axis."),
        (1.0, "the factor np.sqrt(np.abs(1 - np.sum(mu_orth ** 2))) is missing.")])


# -- sentence_to_avg --------------------------------------------------------------------------
AVERAGE_RULE = ("words = sentence.lower().split(); add up word_to_vec_map[w] of the words w in "
                "word_to_vec_map (skip the others) and divide by how many there were; "
                "np.zeros(shape) when none is known.")
MENU = vectors({"i": [1, 0, 2], "love": [0, 3, 1], "pizza": [2, 0, 0], "not": [-1, 1, 0.5],
                "good": [0.5, 2, -1]})
EMOTIONS = {word: tensor((50,), 6130 + i, 0.5) for i, word in enumerate(
    ("we", "are", "so", "happy", "today", "sad"))}
AVERAGE_CASES = [("I love pizza", MENU), ("I LOVE cold pizza !", MENU), ("love love i", MENU),
                 ("nothing known here", MENU), ("Not good", MENU), ("pizza", MENU),
                 ("We are so HAPPY today", EMOTIONS), ("we are not sad at all", EMOTIONS)]


def mean_of(words: list, word_to_vec_map: dict):
    """The mean of the vectors of the known `words` (a slip's answer), None when none is known."""
    known = [word_to_vec_map[w] for w in words if w in word_to_vec_map]
    return np.mean(known, axis=0) if known else None


@WEEK.exercise("sentence_to_avg(sentence, word_to_vec_map)", [
    {"sentence": sentence, "word_to_vec_map": words} for sentence, words in AVERAGE_CASES],
    hints={"KeyError": "a word of the sentence is not in word_to_vec_map: split "
                       "sentence.lower() (the map's words are lower case) and skip the words it "
                       "does not know (`if w in word_to_vec_map`).",
           "ZeroDivisionError": "when no word is known, return the zeros: do not divide by 0."})
def check_sentence_to_avg(check, case, out, want):
    sentence, words = case["sentence"], case["word_to_vec_map"]
    label = f"sentence_to_avg({sentence!r}, {vocabulary(words)})"
    split = sentence.lower().split()
    known = [w for w in split if w in words]
    if isinstance(out, int | float | np.number) or (isinstance(out, np.ndarray) and not out.ndim):
        check.fail(f"{label} returned the single number {float(out):.6g}; it must be a vector "
                   f"of shape {want.shape}.", "np.mean over a list of vectors without axis "
                   "averages every number: np.mean(vectors, axis=0), or add them up and divide. "
                   + AVERAGE_RULE)
    one_d(check, label, out, want.size, "avg starts as np.zeros(word_to_vec_map[any_word].shape) "
          "and keeps that shape. " + AVERAGE_RULE)
    got = np.asarray(out, dtype=float)
    if not known:
        check.true(np.all(got == 0), f"{label}: no word of the sentence is known, so the "
                   f"average must be zeros, but it is {show(got)}.",
                   "when no word is known, return the zeros themselves: do not divide by 0 "
                   "(0 / 0 is nan).")
        return
    upper, unique = mean_of(sentence.split(), words), list(dict.fromkeys(known))
    capital = next((w for w in sentence.split() if w not in words and w.lower() in words), "")
    last, once = words[known[-1]], mean_of(unique, words)
    hint = None if not np.all(np.isfinite(got)) else slip(got, want, [
        (want * len(known), "this is the sum of the vectors: divide it by how many known words "
                            f"there are ({len(known)} here)."),
        (want * len(known) / len(split), f"this divides by all {len(split)} words of the "
                                         f"sentence, but only the {len(known)} that "
                                         "word_to_vec_map knows are averaged."),
        (want * len(known) / len(sentence), f"this divides by len(sentence) = {len(sentence)}, "
                                            "the number of characters: divide by the number of "
                                            "known words."),
        (upper if upper is not None else np.zeros_like(got),
         f"the words were not lower-cased: the map knows {capital.lower()!r}, not {capital!r}, "
         "so split sentence.lower()."),
        *((wrong, "this is the last known word's vector (over their number): avg = avg + "
                  "word_to_vec_map[w] (or +=) adds each word's vector, then divide.")
          for wrong in (last, last / len(known))),
        *((wrong, "a word that appears twice counts twice: loop over the words of the "
                  "sentence, not over a set of them.")
          for wrong in (once, once * len(unique) / len(known)))])
    check.close(label, out, want, _join(hint, AVERAGE_RULE))

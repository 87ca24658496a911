"""Week 6's names generator: names sampled live by the learner's own `sample` from the learner's
trained character model, at a temperature and a seed.

    names_generator(sample, parameters, train_names)

Controls: the temperature (0.1 to 3, log-spaced; disabled, with a note, if `sample` has no
`temperature` keyword) and the seed. Panels: ten names, sample(parameters, char_to_ix, seed + k,
temperature=...) for k = 0..9, each marked new or known (in the training list), with the share
new; and the first character's distribution at that temperature, softmax((Wya tanh(b) + by) / T)
(the first step of `sample`: no input, a<0> = 0), beside the training names' first letters.
"""

from __future__ import annotations

import numpy as np

from ..char_model import KEYS, check_temperature, rnn_step_forward
from ..learner_code import StopRun
from ..rnn_utils import column_softmax as softmax
from ..sequences import char_to_ix as CHAR_TO_IX
from ..sequences import ix_to_char as IX_TO_CHAR
from .base import Explorer, Keyword
from .controls import slider, steps
from .frame import plain

COUNT = 10  # names a run samples
TEMPERATURES = (0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0, 1.4, 2.0, 3.0)
NEW, KNOWN = "#1a7f37", "#666666"
SHOWN = 22  # characters of a name shown (a name can be 50 long)


def first_character_distribution(parameters: dict, temperature: float) -> np.ndarray:
    """P(first character) of a sampled name, (vocab,): softmax((Wya a<1> + by) / temperature)
    with a<1> = tanh(Wax 0 + Waa 0 + b) (rnn_step_forward with no input and a<0> = 0)."""
    n_a, vocab = parameters["Waa"].shape[0], parameters["by"].shape[0]
    a, _ = rnn_step_forward(parameters, np.zeros((n_a, 1)), np.zeros((vocab, 1)))
    return softmax((parameters["Wya"] @ a + parameters["by"]) / temperature).ravel()


def first_letter_shares(names, char_to_ix=CHAR_TO_IX) -> np.ndarray:
    """The share of `names` starting with each character of the vocabulary, (vocab,)."""
    counts = np.zeros(len(char_to_ix))
    for name in names:
        if name:
            counts[char_to_ix[name[0]]] += 1
    return counts / max(1, counts.sum())


def check_parameters(who: str, parameters) -> dict:
    """The char model's parameters (keys and shapes checked), or a ValueError in words."""
    missing = [k for k in KEYS if not isinstance(parameters, dict) or k not in parameters]
    if missing:
        raise ValueError(f"{who}: parameters must be the trained model's dict ({', '.join(KEYS)}"
                         f", as model(...) returns first), missing {', '.join(missing)}.")
    n_a, vocab = np.shape(parameters["Waa"])[0], np.shape(parameters["by"])[0]
    want = {"Wax": (n_a, vocab), "Waa": (n_a, n_a), "Wya": (vocab, n_a), "b": (n_a, 1),
            "by": (vocab, 1)}
    for key, shape in want.items():
        if np.shape(parameters[key]) != shape:
            raise ValueError(f"{who}: parameters[{key!r}] has shape {np.shape(parameters[key])}"
                             f", but with n_a = {n_a} and {vocab} characters it must be {shape}.")
    return parameters


UNTRAINED = ("parameters is None: there is no trained model yet. Write `model` (Exercise 8), run "
             "the cell that trains it, then run this cell again.")


def trained_or_none(who: str, parameters):
    """None (no trained model yet: the explorer says so when it runs) or the checked dict."""
    return None if parameters is None else check_parameters(who, parameters)


def require_trained(parameters) -> dict:
    """The parameters, or a StopRun that says to train the model first."""
    if parameters is None:
        raise StopRun("failed", UNTRAINED)
    return parameters


def _indices_problem(char_to_ix):
    """The contract of `sample`'s return: a list of indices ending with that of "\\n"."""
    vocab, end = len(char_to_ix), char_to_ix["\n"]

    def problem(value):
        try:
            ints = [int(i) for i in value]
            whole = all(int(i) == i for i in value)
        except (TypeError, ValueError):
            return f"must return a list of character indices, got {type(value).__name__}."
        if not ints or not whole or min(ints) < 0 or max(ints) >= vocab:
            return (f"must return a list of whole character indices from 0 to {vocab - 1}, got "
                    f"{value!r:.80}.")
        if ints[-1] != end:
            return (f"returned {ints!r:.80}, which does not end with the index of \"\\n\" "
                    f"({end}): append it when the name stops (also after 50 characters).")
        return None

    return problem


class NamesGenerator(Explorer):
    """The learner's `sample`, the trained parameters and the training names; settings:
    DEFAULTS."""

    NAME = "names_generator"
    FUNCTIONS = ("sample",)
    DEFAULTS = {"temperature": 1.0, "seed": 0, "num_iterations": 1}  # one step: ten names
    KEYWORDS = (Keyword("temperature", ("sample",), 1.0, "{give} (the logits divided by it "
                        "before the softmax) to move the temperature"),)
    COLUMNS = (("temperature",), ("seed",))
    EXPLODED = None
    SIZE = (10.0, 3.4)
    BOXES = ([0.01, 0.04, 0.3, 0.82], [0.38, 0.14, 0.6, 0.7])

    def __init__(self, sample, parameters, train_names, char_to_ix=CHAR_TO_IX,
                 ix_to_char=IX_TO_CHAR, **values):
        self.parameters = trained_or_none(self.NAME, parameters)
        if isinstance(train_names, str) or not all(isinstance(n, str) for n in train_names):
            raise TypeError(f"{self.NAME}: train_names must be the list of training names "
                            "(str), as load_names() returns first.")
        self.known = {name.strip().lower() for name in train_names}
        self.char_to_ix, self.ix_to_char = char_to_ix, ix_to_char
        self.shares = first_letter_shares(sorted(self.known), char_to_ix)
        super().__init__(sample, **values)

    def is_new(self, name: str) -> bool:
        """Whether a sampled name is a name (not empty) that is not in the training list."""
        return bool(name) and name not in self.known

    def check_settings(self, values):
        check_temperature(values["temperature"])
        seed = values["seed"]
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ValueError(f"seed must be a whole number of at least 0, got {seed!r}.")

    def make_controls(self, v):
        return {"temperature": steps("temperature", TEMPERATURES, v["temperature"]),
                "seed": slider("seed", v["seed"], 0, 100)}

    def start(self, run):
        require_trained(self.parameters)
        run.work["names"] = []

    def step(self, run, i):
        s, contract = run.settings, _indices_problem(self.char_to_ix)
        for k in range(COUNT):
            args = (self.parameters, self.char_to_ix, s["seed"] + k)
            indices = self.check(run, "sample", contract, *args)
            name = "".join(self.ix_to_char[int(ix)] for ix in indices).strip("\n")
            run.work["names"].append(name)
        return i + 1

    def end(self, run):
        names, s = run.work["names"], run.settings
        new = sum(map(self.is_new, names))
        run.message = (f"{len(names)} names at temperature {s['temperature']:g}, seeds "
                       f"{s['seed']} to {s['seed'] + COUNT - 1}: {new} new "
                       f"({new / len(names):.0%}), {len(names) - new} in the training list")

    def build(self, frame):
        names_ax, bars_ax = frame.axes
        names_ax.set_axis_off()
        names_ax.set(xlim=(0, 1), ylim=(0, 1))
        self.name_texts = [frame.animate(names_ax.text(0.02, 0.93 - 0.09 * k, "", fontsize=10,
                                                       family="monospace", va="center"))
                           for k in range(COUNT)]
        self.names_title = frame.title(names_ax)
        vocab = len(self.char_to_ix)
        letters = [self.ix_to_char[i] if self.ix_to_char[i] != "\n" else "end"
                   for i in range(vocab)]
        self.bars = [frame.animate(bar) for bar in bars_ax.bar(range(vocab), np.zeros(vocab),
                                                               color="#4a90c2", width=0.8)]
        self.training_marks = frame.animate(bars_ax.plot(
            range(vocab), self.shares, "_", color="k", markersize=9, markeredgewidth=2,
            label="training names' first letters")[0])
        bars_ax.set_xticks(range(vocab), letters, fontsize=7)
        bars_ax.set(xlim=(-0.6, vocab - 0.4), ylabel="P(first character)")
        frame.animate(bars_ax.legend(fontsize=8, loc="upper right"))
        self.bars_title, self.panel_note = frame.title(bars_ax), frame.note(bars_ax, "#b00", 8)

    def draw(self, run):
        s, names = run.settings, run.work.get("names", [])
        p = (np.zeros(len(self.char_to_ix)) if self.parameters is None else
             first_character_distribution(self.parameters, s["temperature"]))
        for bar, height in zip(self.bars, p):
            bar.set_height(height)
        self.frame.axes[1].set_ylim(0, max(0.1, np.ceil(max(p.max(), self.shares.max()) * 11) /
                                           10))
        self.bars_title.set_text(f"the first character at temperature {s['temperature']:g}: "
                                 f"softmax((Wya a<1> + by) / {s['temperature']:g})")
        done = run.state == "done"
        shown = [(name if len(name) <= SHOWN else name[:SHOWN - 1] + "…").capitalize() or
                 "(empty)" for name in names]
        width = max(map(len, shown), default=0) + 2
        for k, text in enumerate(self.name_texts):
            name = names[k] if done and k < len(names) else ""
            text.set_text(f"{shown[k]:<{width}}{'new' if self.is_new(name) else 'known'}"
                          if done and k < len(names) else "")
            text.set_color(NEW if self.is_new(name) else KNOWN)
        new = sum(map(self.is_new, names)) if done else 0
        self.names_title.set_text(f"{COUNT} names, seeds {s['seed']}..{s['seed'] + COUNT - 1}: "
                                  f"{new / COUNT:.0%} new" if done else "no names")
        self.panel_note.set_text("" if done else plain(self.problem(run), 70))


def names_generator(sample, parameters, train_names, **defaults) -> NamesGenerator:
    """Shows the names generator on the learner's `sample`, their trained `parameters` (model's
    first return) and the training names, and returns it; `defaults` as in
    NamesGenerator.DEFAULTS (and char_to_ix, ix_to_char)."""
    return NamesGenerator(sample, parameters, train_names, **defaults).show()


__all__ = ["NamesGenerator", "first_character_distribution", "first_letter_shares",
           "names_generator"]

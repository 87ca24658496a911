"""Week 6's hidden-state viewer: the learner's trained character model reading a name the
learner types, one character at a time (the given `char_model.rnn_step_forward`).

    hidden_state_viewer(parameters)            # then type a name and press Enter

Control: the name (letters a-z; upper case is lower-cased). Panels: a heat map of the
activation a<t> (n_a rows, one column per step: the empty first input, then each letter) on
tanh's scale -1..1, and under each step the model's probability of the character that really
comes next (the name's next letter, then "\\n", the end). A character outside the vocabulary is
said in the status line with the vocabulary (`sequences.encode`'s words).
"""

from __future__ import annotations

import numpy as np

from ..char_model import rnn_step_forward
from ..learner_code import StopRun
from ..sequences import char_to_ix as CHAR_TO_IX
from ..sequences import encode
from ..sequences import ix_to_char as IX_TO_CHAR
from .base import Explorer
from .controls import LOOK
from .filters import MAP_COLORS
from .frame import plain
from .names import require_trained, trained_or_none

MAX_LETTERS = 20  # the longest training name has 11
MIN_COLUMNS = 8  # a short name is not stretched over the whole width
START, END = "start", "end"  # how the empty first input (zeros) and "\n" are labelled


def read_name(parameters: dict, name: str, char_to_ix=CHAR_TO_IX):
    """The model reading `name`: the activations a (n_a, steps) and the probabilities p
    (vocab, steps) of rnn_step_forward, steps = len(name) + 1 (the first input is empty), and
    the indices of the characters that come next (the name's letters, then "\\n")."""
    indices = encode(name, char_to_ix)
    n_a, vocab = parameters["Waa"].shape[0], parameters["by"].shape[0]
    a = np.zeros((n_a, 1))
    activations, probabilities = [], []
    for index in [None, *indices]:
        x = np.zeros((vocab, 1))
        if index is not None:
            x[index] = 1
        a, p = rnn_step_forward(parameters, a, x)
        activations.append(a[:, 0])
        probabilities.append(p[:, 0])
    return np.array(activations).T, np.array(probabilities).T, [*indices, char_to_ix["\n"]]


class HiddenStateViewer(Explorer):
    """The trained parameters (model's first return); settings: DEFAULTS."""

    NAME = "hidden_state_viewer"
    DEFAULTS = {"name": "anna", "num_iterations": 1}
    COLUMNS = (("name",),)
    EXPLODED = None
    SIZE = (10.0, 4.6)
    BOXES = ([0.07, 0.44, 0.82, 0.46], [0.07, 0.1, 0.82, 0.22], [0.91, 0.44, 0.012, 0.46])

    def __init__(self, parameters, char_to_ix=CHAR_TO_IX, ix_to_char=IX_TO_CHAR, **values):
        self.parameters = trained_or_none(self.NAME, parameters)
        self.char_to_ix, self.ix_to_char = char_to_ix, ix_to_char
        super().__init__(**values)

    def check_settings(self, values):
        if not isinstance(values["name"], str):
            raise TypeError(f"name must be a str such as 'anna', got {values['name']!r}.")

    def make_controls(self, v):
        import ipywidgets

        return {"name": ipywidgets.Text(description="name", value=v["name"],
                                        placeholder="type a name, then Enter",
                                        continuous_update=False, **LOOK)}

    def start(self, run):
        require_trained(self.parameters)
        name = run.settings["name"].strip().lower()
        if not name:
            raise StopRun("failed", "Type a name (letters a-z), then press Enter.")
        if len(name) > MAX_LETTERS:
            raise StopRun("failed", f"{name!r} has {len(name)} letters: type at most "
                                    f"{MAX_LETTERS} (the longest training name has 11).")
        try:
            run.work["read"] = read_name(self.parameters, name, self.char_to_ix)
        except ValueError as error:
            raise StopRun("failed", str(error)) from None
        run.work["name"] = name

    def step(self, run, i):
        return i + 1  # start read the name

    def end(self, run):
        a, p, following = run.work["read"]
        chance = p[following, np.arange(len(following))]
        run.message = (f"{run.work['name']!r}: {len(following)} steps, loss "
                       f"{-np.mean(np.log(chance)):.2f} nats per character (a uniform guess: "
                       f"log {p.shape[0]} = {np.log(p.shape[0]):.2f}); a&lt;t&gt; from "
                       f"{a.min():.2f} to {a.max():.2f}")

    def build(self, frame):
        heat, bars, scale = frame.axes
        n_a = 1 if self.parameters is None else self.parameters["Waa"].shape[0]
        columns = MAX_LETTERS + 1
        self.image = frame.animate(heat.imshow(np.zeros((n_a, 1)), cmap=MAP_COLORS, vmin=-1,
                                               vmax=1, aspect="auto", interpolation="nearest"))
        frame.figure.colorbar(self.image, cax=scale).ax.tick_params(labelsize=7)
        heat.set(ylabel="unit of a<t>", ylim=(n_a - 0.5, -0.5), xticks=[])
        heat.tick_params(labelsize=7)
        on_top, below = heat.get_xaxis_transform(), bars.get_xaxis_transform()
        self.inputs = [frame.animate(heat.text(t, 1.02, "", transform=on_top, ha="center",
                                               fontsize=9, family="monospace"))
                       for t in range(columns)]
        heat.text(-0.01, 1.02, "input", transform=heat.transAxes, ha="right", fontsize=8,
                  color="#666")
        bars.text(-0.01, -0.08, "next", transform=bars.transAxes, ha="right", va="top",
                  fontsize=8, color="#666")
        self.heat_title = frame.title(heat)
        self.heat_title.set_y(1.08)
        self.bars = [frame.animate(bar) for bar in bars.bar(range(columns), np.zeros(columns),
                                                            color="#4a90c2", width=0.7)]
        self.values = [frame.animate(bars.text(t, 0, "", ha="center", va="bottom", fontsize=7))
                       for t in range(columns)]
        self.nexts = [frame.animate(bars.text(t, -0.08, "", transform=below, ha="center",
                                              va="top", fontsize=9, family="monospace"))
                      for t in range(columns)]
        bars.set(ylim=(0, 1.25), xticks=[], yticks=[0, 0.5, 1], ylabel="P(next)")
        bars.tick_params(labelsize=7)
        self.bars_title = frame.title(bars, 8)
        self.panel_note = frame.note(heat, "#b00", 9)

    def draw(self, run):
        read, ok = run.work.get("read"), run.state == "done"
        heat, bars, _ = self.frame.axes
        steps = len(read[2]) if ok else 0
        right = max(steps, MIN_COLUMNS) - 0.5
        heat.set_xlim(-0.5, right)
        bars.set_xlim(-0.5, right)
        self.image.set_visible(ok)
        if ok:
            a, p, following = read
            self.image.set_data(a)
            self.image.set_extent((-0.5, steps - 0.5, a.shape[0] - 0.5, -0.5))
            chance = p[following, np.arange(steps)]
        letters = [START, *run.work["name"]] if ok else []
        for t in range(MAX_LETTERS + 1):
            shown = ok and t < steps
            nxt = self.ix_to_char[following[t]] if shown else ""
            self.inputs[t].set_text(letters[t] if shown else "")
            self.bars[t].set_height(chance[t] if shown else 0)
            self.values[t].set_text(f"{chance[t]:.2f}" if shown else "")
            self.values[t].set_y(chance[t] + 0.02 if shown else 0)
            self.nexts[t].set_text((END if nxt == "\n" else nxt) if shown else "")
        name = run.work.get("name", run.settings["name"])
        self.heat_title.set_text(f"the activation a<t> (tanh, -1 to 1) after each input of "
                                 f"{name!r}" if ok else "")
        self.bars_title.set_text("the model's probability of the character that comes next"
                                 if ok else "")
        self.panel_note.set_text("" if ok else plain(self.problem(run), 80))


def hidden_state_viewer(parameters, **defaults) -> HiddenStateViewer:
    """Shows the hidden-state viewer on the trained `parameters` (model's first return) and
    returns it; `defaults` as in HiddenStateViewer.DEFAULTS (and char_to_ix, ix_to_char)."""
    return HiddenStateViewer(parameters, **defaults).show()


__all__ = ["HiddenStateViewer", "hidden_state_viewer", "read_name"]

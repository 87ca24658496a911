"""The shared layer of the explorers: the base (on a toy explorer as thin as a new week's),
the frame, and the contracts that say a learner's wrong return in words."""

from __future__ import annotations

import asyncio
import io
import socket

import numpy as np
import pytest
from PIL import Image

from course_utils.learner_code import (
    Columns,
    Parts,
    accepts_keyword,
    learner_functions,
    return_problem,
)
from course_utils.widgets import Explorer, Keyword, base
from course_utils.widgets.controls import slider
from course_utils.widgets.frame import CostPanel, Frame
from tests.explorer_checks import assert_curve, pixels, second_move


# -- a toy explorer: gradient descent on (w - 3)^2 with the "learner's" two functions ---------
def descend(w, learning_rate, *, shrink=0.0):
    return w - learning_rate * 2 * (w - 3) - shrink * w


def cost(w):
    return (w - 3) ** 2


class Toy(Explorer):
    NAME = "toy"
    FUNCTIONS = ("descend", "cost")
    DEFAULTS = {"learning_rate": 0.1, "num_iterations": 200, "shrink": 0.0, "start": 0.0}
    COLUMNS = (("learning_rate", "num_iterations"), ("shrink",))
    KEYWORDS = (Keyword("shrink", ("descend",), 0.0, "{give} to shrink w"),)
    SIZE = (4.0, 3.0)
    BOXES = ([0.15, 0.15, 0.8, 0.7],)

    def make_controls(self, v):
        return {"learning_rate": slider("learning rate", v["learning_rate"], 0.0, 2.0, 0.01),
                "num_iterations": slider("iterations", v["num_iterations"], 10, 50_000, 10),
                "shrink": slider("shrink", v["shrink"], 0.0, 0.5, 0.01)}

    def build(self, frame):
        self.costs = CostPanel(frame, frame.axes[0])

    def start(self, run):
        self.check(run, "descend", float, run.settings["start"], run.settings["learning_rate"])
        run.work["w"] = run.settings["start"]

    def step(self, run, i):
        self.record(run, i, self.call(run, "cost", run.work["w"]), parameters=run.work["w"])
        run.work["w"] = self.call(run, "descend", run.work["w"], run.settings["learning_rate"])
        return i + 1

    def end(self, run):
        run.message = f"w = {run.work['w']:.3f}"
        if run.halt:
            run.state, run.message = "diverged", f"diverged: {run.halt}"

    def draw(self, run):
        self.costs.show(run.iterations, (run.costs,), run.settings["num_iterations"], "cost",
                        self.problem(run))


@pytest.fixture(autouse=True)
def _quiet(capsys):
    """Outside a kernel IPython's display prints a repr per frame: keep it out of the log."""
    yield


def test_a_subclass_declares_controls_once_and_the_base_lays_them_out():
    toy = Toy(descend, cost=cost, learning_rate=0.2)
    assert list(toy.controls) == ["learning_rate", "num_iterations", "shrink"]
    assert toy.settings() == {"learning_rate": 0.2, "num_iterations": 200, "shrink": 0.0,
                              "start": 0.0}
    columns = toy.view.children[0].children
    assert [list(column.children) for column in columns] == [
        [toy.controls["learning_rate"], toy.controls["num_iterations"]], [toy.controls["shrink"]]]
    assert toy.view.children[1:] == (toy.status, toy.note)
    with pytest.raises(TypeError, match="toy: no setting named speed; the settings are "):
        Toy(descend, cost, speed=1)
    with pytest.raises(TypeError, match="toy: pass your function cost itself"):
        Toy(descend, cost(1.0))
    with pytest.raises(TypeError, match="Toy.set: no control named start"):
        toy.set(start=1.0)


def test_a_run_trains_records_and_draws_its_costs():
    toy = Toy(descend, cost)
    run = toy.run()
    assert run.state == "done" and run.message == "w = 3.000"
    assert run.iterations == list(range(200)) and run.costs[0] == 9.0
    assert run.finished >= run.first_frame > run.created
    assert_curve(toy.costs.lines[0], run.iterations, run.costs)
    assert toy.frame.updates == run.redraws >= 1
    assert toy.status.value.startswith("w = 3.000 &middot; ")


class Linked(Toy):
    """The shrink follows the learning rate (a quarter of it) and the iterations' range
    shrinks with it; a changed shrink would reset the learning rate if links cascaded."""

    def linked(self, name, value):
        self.links.append(name)
        if name == "learning_rate":
            self.controls["num_iterations"].max = 100  # clamps the value: a change of its own
            return {"shrink": value / 4}
        return {"learning_rate": 0.0} if name == "shrink" else {}


def test_linked_controls_are_set_first_and_the_change_runs_once():
    toy = Linked(descend, cost)
    toy.links = []
    toy.controls["learning_rate"].value = 0.4
    assert len(toy.runs) == 1 and toy.links == ["learning_rate"]
    assert toy.last_run.settings | {"start": 0.0} == {
        "learning_rate": 0.4, "num_iterations": 100, "shrink": 0.1, "start": 0.0}
    assert toy.last_run.iterations == list(range(100))
    run = toy.set(learning_rate=0.8, num_iterations=50)  # set links too, and runs once
    assert len(toy.runs) == 2 and toy.links == ["learning_rate"] * 2 + ["num_iterations"]
    assert (run.settings["shrink"], len(run.costs)) == (0.2, 50)


def test_a_missing_keyword_disables_its_control_and_a_note_says_what_to_add():
    def classic(w, learning_rate):
        return w - learning_rate * 2 * (w - 3)

    toy = Toy(classic, cost, shrink=0.3)
    assert toy.controls["shrink"].disabled and toy.settings()["shrink"] == 0.0
    assert toy.note.value == ("<div style='color:#666;font-size:90%'>give <code>descend</code> "
                              "the keyword <code>shrink=0.0</code> to shrink w.</div>")
    assert toy.run().state == "done", "the keyword is not passed"
    toy = Toy(descend, cost, shrink=0.5)
    assert not toy.controls["shrink"].disabled and toy.note.value == ""
    assert toy.run().work["w"] == pytest.approx(0.6 / 0.7), "the keyword reaches descend"


def test_a_cost_that_blows_up_halts_the_run_and_the_subclass_words_it():
    toy = Toy(descend, cost, learning_rate=1.5)
    run = toy.run()
    assert run.state == "diverged" and run.iterations[-1] < 199
    assert "the cost grew from 9 to" in run.message and run.halt in run.message
    assert toy.costs.note.get_text().startswith("diverged: the cost grew")


def test_the_learners_failure_and_the_widgets_own_are_said_never_raised(monkeypatch):
    calls = []

    def cost(w):
        calls.append(w)
        if len(calls) > 5:
            raise ValueError("no more")
        return (w - 3) ** 2

    toy = Toy(descend, cost)
    assert toy.run().state == "failed"
    assert "<b>cost</b> raised ValueError: no more" in toy.status.value
    assert toy.frame.updates >= 1

    def broken(self, run, i):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(Toy, "step", broken)
    toy = Toy(descend, globals()["cost"])
    assert toy.run().state == "failed"
    assert "The toy itself failed (ZeroDivisionError: oops)" in toy.status.value


def test_a_chunked_run_sends_an_early_frame_then_the_final_one(monkeypatch):
    monkeypatch.setattr("course_utils.widgets.base.FRAME_WORTH", 0)
    monkeypatch.setattr("course_utils.widgets.base.MIN_REDRAW_SECONDS", 1e9)  # no others
    shown = []
    monkeypatch.setattr(Toy, "draw", lambda self, run: shown.append(len(run.costs)))
    run = Toy(descend, cost, num_iterations=1000).run()
    assert run.redraws == 2 and shown[0] < 1000 == shown[1], "an early frame, then the last"
    assert run.first_frame < run.finished


def test_a_second_move_while_the_first_trains_shows_only_the_second():
    toy = Toy(descend, cost, num_iterations=50_000)
    first, second = second_move(toy, {"num_iterations": 49_990}, {"num_iterations": 100})
    assert 0 < first.iteration < 49_990 and len(second.costs) == 100
    assert_curve(toy.costs.lines[0], second.iterations, second.costs)


def test_a_change_whose_delivery_takes_many_loop_turns_stops_the_run_after_the_chunk_under_way(
        monkeypatch):
    """In a kernel a control change goes from a socket through a stream, the shell handler and
    the comm to its callback, a turn of the loop or more each: here a byte written to a socket
    in the middle of a chunk, whose reader sets the controls 4 * LOOP_TURNS turns later. The
    pause after that chunk lets it all in, so the stale run trains no further chunk (one more
    is allowed for a busy machine that stops the process within the pause; without the pause
    it trains four more)."""
    hops = 4 * base.LOOP_TURNS
    reader, writer = socket.socketpair()
    step = Toy.step

    def step_and_send(self, run, i):
        if run.settings["num_iterations"] == 49_990 and i == 1000:
            writer.send(b"B")  # the second move reaches the kernel's socket
        return step(self, run, i)

    monkeypatch.setattr(Toy, "step", step_and_send)
    toy = Toy(descend, cost, num_iterations=50_000)
    chunk, ends = toy._chunk, []

    def counted(run, i):
        reached = chunk(run, i)
        if run.settings["num_iterations"] == 49_990:
            ends.append(run.iteration)
        return reached

    toy._chunk = counted

    async def scenario():
        loop = asyncio.get_running_loop()

        async def deliver():
            for _ in range(hops):
                await asyncio.sleep(0)
            toy.set(num_iterations=100)

        def readable():
            reader.recv(1)
            loop.remove_reader(reader)
            loop.create_task(deliver())

        loop.add_reader(reader, readable)
        first = toy.set(num_iterations=49_990)
        await toy.task
        await toy.task  # the second run's, started by deliver()
        return first

    with reader, writer:
        first = asyncio.run(scenario())
    after_the_write = [i for i in ends if i > 1000]
    assert first.state == "cancelled" and toy.last_run.state == "done"
    assert len(after_the_write) <= 2, f"chunks that ended after the change arrived: {ends}"


# -- the frame ----------------------------------------------------------------------------------
def test_a_frame_draws_the_figure_at_most_once_and_not_again_while_the_axes_stay(monkeypatch):
    frame = Frame((4, 3), [[0.1, 0.1, 0.8, 0.8]])
    panel = CostPanel(frame, frame.axes[0])
    draws = []
    draw = frame.canvas.draw
    monkeypatch.setattr(frame.canvas, "draw", lambda: draws.append(1) or draw())
    panel.show([0, 1, 2], ([3.0, 2.0, 1.0],), 2, "cost")
    first = frame.png()
    panel.show([0, 1, 2], ([3.0, 2.5, 2.0],), 2, "cost, again")
    second = frame.png()
    assert len(draws) == 1 and first != second, "the same axes: only the curve is drawn again"
    panel.show([0, 1, 2], ([6.0, 2.5, 2.0],), 2, "cost")
    frame.png()
    assert len(draws) == 2, "new limits: the figure is drawn once more"


def test_a_frame_shows_what_a_full_draw_of_its_figure_shows():
    toy = Toy(descend, cost)
    toy.run()
    kept = pixels(toy.frame)
    for artist in toy.frame.animated:
        artist.set_animated(False)
    buffer = io.BytesIO()
    toy.frame.canvas.print_png(buffer)
    full = np.asarray(Image.open(buffer).convert("RGB"), dtype=float) / 255
    assert np.mean(np.abs(kept - full).sum(axis=2) > 0.1) < 1e-3


# -- contracts: a wrong return in words -------------------------------------------------------
def test_contracts_say_what_is_wrong_with_a_return():
    assert return_problem("f", None, float) == (
        "<b>f</b> returned None: did you forget its <code>return</code>?")
    assert return_problem("f", np.zeros((1, 3)), (1, 3)) is None
    assert return_problem("f", np.zeros((3, 1)), Columns((1, 3))) == (
        "<b>f</b> returned shape (3, 1), but it must be (1, 3) (one column per example).")
    assert return_problem("f", "a", float) == "<b>f</b> must return one number, got str."
    assert return_problem("f", [1, 2], {}) == "<b>f</b> must return a dict, got list."
    assert return_problem("f", {"b": 1}, {"a": None}) == (
        "<b>f</b> returned no <code>\"a\"</code> (found: b).")
    assert return_problem("f", {"a": np.zeros(2)}, {"a": (2, 1)}) == (
        "<b>f</b> returned <code>a</code> with shape (2,), but it must be (2, 1).")
    two = Parts("A, cache", (1, 2), None)
    assert return_problem("f", np.zeros((1, 2)), two) == (
        "<b>f</b> must return two things: <code>A, cache</code>.")
    assert return_problem("f", (np.zeros((1, 2)), {}), two) is None
    assert return_problem("f", (1.0, "x"), Parts("a, b", None, float)) == (
        "<b>f</b> returned <code>b</code> as str, but it must be one number.")
    assert return_problem("f", [[1, 2], [3]], (2, 2)) == (
        "<b>f</b> returned shape ragged, but it must be (2, 2).")
    odd = lambda value: None if value % 2 else "returned an even number."  # noqa: E731
    assert return_problem("f", 2, odd) == "<b>f</b> returned an even number."
    assert return_problem("f", 3, odd) is None


def test_keywords_learner_functions_and_their_names():
    def f(x, *, lambd=0.0):
        return x

    def g(x, **options):
        return x

    assert accepts_keyword(f, "lambd") and accepts_keyword(g, "lambd")
    assert accepts_keyword(f, "lambd", literal=True)
    assert not accepts_keyword(g, "lambd", literal=True)
    assert learner_functions("e", ("f", "g"), (f,), {"g": g, "n": 1}) == {"f": f, "g": g}
    with pytest.raises(TypeError, match="e: pass your function g itself .* got nothing"):
        learner_functions("e", ("f", "g"), (f,), {})

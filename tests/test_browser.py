"""The course as a learner sees it: JupyterLab in headless Chromium.

For each week (picked up from solutions/, no edit needed when a week is added), in one pass: open
a completed copy of the student notebook, run all cells once and check every plot is drawn and
not blank (the blank-plot bug of ../shared/design.md showed in 9 of 10 runs: one run of each of
the six weeks catches it); then move every slider and dropdown of every explorer by keyboard
and by mouse (each move must change the setting: the driver moves towards the side with room):
the figure's new image must show other pixels than the last, and its screenshot must not be
blank; type two names into every text box (week 6's name box) and the figure must redraw for
each. Each week is a unit of its own on the test workers (tests/conftest.py), so the weeks
share both workers. Screenshots of every step go to artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import pytest

from tests.browser_lab import ARTIFACTS, WEEKS, NotebookPage, browser, is_blank, lab_server
from tests.browser_lab import why_no_browser as _why

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(_why() is not None, reason=_why() or "")]
# A move is over when its cell has not changed for this long and its status does not say it
# is training (FrameRecorder.settle): the explorers' last frame and status come well within it.
QUIET = 0.5



@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with lab_server(tmp_path_factory.mktemp("lab")) as running:
        yield running


@pytest.fixture(scope="module")
def chromium():
    with browser() as running:
        yield running


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("week", WEEKS)
def test_run_all_then_every_control_redraws_its_plot_by_keyboard_and_by_mouse(server, page, week):
    notebook = NotebookPage(page, server, f"learner/{week}/{week}.ipynb", ARTIFACTS / week)
    notebook.open()
    notebook.screenshot("opened")
    notebook.run_all()
    assert notebook.error_outputs() == [], f"run-all: {notebook.error_outputs()}"
    controls = notebook.controls()
    assert controls, f"{week} shows no slider or dropdown after run-all"
    for control in controls:
        assert not is_blank(notebook.pixels(notebook.figure_of(control))), "blank plot"
    notebook.screenshot("run-all", notebook.figure_of(controls[0]))
    for index, control in enumerate(notebook.controls()):
        figure = notebook.figure_of(control)
        recorder = notebook.recorder(control)
        assert recorder.settle(QUIET), f"control {index}: its plot kept changing for 15 s"
        for how, move in (("keyboard", lambda c=control: notebook.move_by_keyboard(c)),
                          ("mouse", lambda c=control: notebook.move_by_mouse(c))):
            before_src = notebook.source(figure)  # settled: the next new image is this move's
            move()
            notebook.wait_for_new_figure(figure, before_src)
            # judge the move's last frame: an explorer may draw live frames while it trains
            assert recorder.settle(QUIET), f"control {index}: its plot kept changing for 15 s"
            after = notebook.pixels(figure, save_as=f"control-{index}-after-{how}")
            assert not is_blank(after), f"control {index}: blank plot after a {how} move"
    for index, box in enumerate(notebook.text_boxes()):
        figure = notebook.figure_of(box)
        assert notebook.recorder(box).settle(QUIET), f"text box {index}: its plot kept changing"
        for typed in ("maria", "qzx"):
            before_src = notebook.source(figure)
            notebook.type_into(box, typed)
            notebook.wait_for_new_figure(figure, before_src)
            after = notebook.pixels(figure, save_as=f"text-{index}-{typed}")
            assert not is_blank(after), f"text box {index}: blank plot after typing {typed!r}"
    assert notebook.error_outputs() == []


def test_assignment_list_shows_every_released_week(server, page):
    page.goto(server.url("", "assignments"))
    page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    for week in WEEKS:
        page.get_by_text(week, exact=True).first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Fetch").first.wait_for(timeout=10_000)
    page.screenshot(path=str(_shot("assignment-list.png")))


def test_formgrader_shows_every_course_assignment(server, page):
    page.goto(server.url("", "formgrader"))
    page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Formgrader").first.click()
    frame = page.frame_locator("iframe").first
    for week in WEEKS:
        frame.locator(f"text={week}").first.wait_for(timeout=60_000)
    page.screenshot(path=str(_shot("formgrader.png")))


def _shot(name: str):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name

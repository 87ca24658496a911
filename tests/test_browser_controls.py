"""The course as a learner sees it, part 2: every slider and dropdown of every week's explorers,
moved by keyboard and by mouse in JupyterLab in headless Chromium (each move must change the
setting: the driver moves towards the side with room); the rendered figure must really change
and never be blank. Screenshots go to artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import pytest

from tests.browser_lab import ARTIFACTS, WEEKS, NotebookPage, is_blank
from tests.browser_lab import why_no_browser as _why
from tests.test_browser import chromium, page, server  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(_why() is not None, reason=_why() or "")]


@pytest.mark.parametrize("week", WEEKS)
def test_every_control_redraws_its_plot_by_keyboard_and_by_mouse(server, page, week):  # noqa: F811
    notebook = NotebookPage(page, server, f"learner/{week}/{week}.ipynb",
                            ARTIFACTS / week / "controls")
    notebook.open()
    notebook.run_all()
    for index, control in enumerate(notebook.controls()):
        figure = notebook.figure_of(control)
        recorder = notebook.recorder(control)
        for how, move in (("keyboard", lambda c=control: notebook.move_by_keyboard(c)),
                          ("mouse", lambda c=control: notebook.move_by_mouse(c))):
            # the previous move's run is over, so the next new image is this move's
            assert recorder.settle(), f"control {index}: its plot kept changing for 15 s"
            before, before_src = notebook.pixels(figure), notebook.source(figure)
            notebook.screenshot(f"control-{index}-before-{how}", figure)
            move()
            notebook.wait_for_new_figure(figure, before, before_src)
            # judge the move's last frame: an explorer may draw live frames while it trains
            assert recorder.settle(), f"control {index}: its plot kept changing for 15 s"
            after = notebook.pixels(figure)
            notebook.screenshot(f"control-{index}-after-{how}", figure)
            assert not is_blank(after), f"control {index}: blank plot after a {how} move"
        assert notebook.error_outputs() == []

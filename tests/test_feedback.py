"""Feedback keeps hidden tests secret and renders its math from the file alone
(autograder/feedback.py, registered for nbgrader's GenerateFeedback by nbgrader_config.py);
the class report (autograder/class_report.py) opens from a file with no network too."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder import toy
from autograder.course import Course
from autograder.feedback import (
    SHOWN,
    FeedbackExporter,
    HideHiddenTests,
    hide,
    mathjax_data_url,
)
from autograder.grade import grade
from autograder.release import release
from tests.browser_lab import browser, why_no_browser

HIDDEN_LINES = ("0.8807970779778823", "the interactive cell ran during grading")
TEST = 'assert f(1) == 1, "f(1) should be 1"\n### BEGIN HIDDEN TESTS\nassert f(2) == 4\n' \
       '### END HIDDEN TESTS'


def test_hide_replaces_each_hidden_block_by_one_comment_and_keeps_the_rest():
    source = ("check(f)\n### BEGIN HIDDEN TESTS\nassert f(2) == 4\n### END HIDDEN TESTS\n"
              "print('between')\nfor k in (1, 2):\n    ### BEGIN HIDDEN TESTS\n"
              "    assert f(k) > 0\n    ### END HIDDEN TESTS\n")
    assert hide(source) == (f"check(f)\n{SHOWN}\nprint('between')\nfor k in (1, 2):\n"
                            f"    {SHOWN}\n")
    assert hide("assert f(1) == 1") == "assert f(1) == 1"


def test_the_preprocessor_hides_the_code_and_cuts_the_traceback_quoting_it():
    error = new_output("error", ename="AssertionError", evalue="",
                       traceback=["AssertionError  Traceback", "----> 3 assert f(2) == 4"])
    check = new_output("error", ename="CheckFailed", evalue="f(3) should be 9: square it",
                       traceback=["CheckFailed  Traceback", "check(f)"])
    nb = new_notebook(cells=[new_markdown_cell("$x^2$"), new_code_cell(TEST, outputs=[error]),
                             new_code_cell("check(f)", outputs=[check])])
    out, _ = HideHiddenTests().preprocess(nb, {})
    assert "assert f(2)" not in out.cells[1].source and SHOWN in out.cells[1].source
    assert out.cells[1].outputs[0]["traceback"] == [
        "AssertionError (a hidden test failed; its code is not shown)"]
    assert out.cells[2].outputs[0]["traceback"] == ["CheckFailed  Traceback", "check(f)"]


def test_the_inlined_mathjax_is_mathjax_3_as_one_file():
    url = mathjax_data_url()
    assert url.startswith("data:text/javascript;base64,") and len(url) > 1_000_000


PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJ"
       "RU5ErkJggg==")


def test_the_feedback_exporter_writes_nbconvert_s_page_without_its_second_parse(monkeypatch):
    from bs4 import BeautifulSoup
    from nbconvert.exporters import HTMLExporter
    from traitlets.config import Config

    png = {"image/png": PNG, "text/plain": "<Figure>"}
    nb = new_notebook(cells=[
        new_markdown_cell("# Week\n\n$\\sigma(z)$ and an <img src='x.png'> of its own"),
        new_code_cell("import numpy as np\nx = np.arange(3)  # <img> in a comment\nx", outputs=[
            new_output("display_data", data=png),
            new_output("display_data", data=png, metadata={"image/png": {"alt": "a curve"}}),
            new_output("execute_result", data={"text/html": "<b>bold</b><img src='y.png'>"},
                       execution_count=1)]),
    ])
    nb.metadata["language_info"] = {"name": "python"}
    config = Config()
    config.HTMLExporter.template_name = "classic"
    theirs, _ = HTMLExporter(config=config).from_notebook_node(nb)
    ours, _ = FeedbackExporter(config=config).from_notebook_node(nb)
    assert ours.count('alt="No description has been provided for this image"') == 3
    assert ours.count('alt="a curve"') == 1 and "&lt;img&gt; in a comment" in ours
    assert str(BeautifulSoup(ours, features="html.parser")) == theirs
    # a second page, by a new exporter as nbgrader makes one per student: nothing compiles
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda env, *a, **k: compiled.append(a[1]) or original(env, *a, **k))
    again, _ = FeedbackExporter(config=config).from_notebook_node(nb)
    assert again == ours and compiled == []
    HTMLExporter(config=config).from_notebook_node(nb)
    assert "index.html.j2" in compiled  # (nbconvert's own does compile its templates again)


def test_nbgrader_writes_the_course_s_feedback_with_that_exporter():
    assert Course.load().config.GenerateFeedback.exporter_class is FeedbackExporter


@pytest.fixture(scope="module")
def feedback(tmp_path_factory):
    """The toy course graded for one student who fails a hidden test."""
    root = tmp_path_factory.mktemp("feedback")
    course = toy.make_course(root / "course")
    release(course, [toy.ASSIGNMENT])
    nb = nbformat.read(course.release_notebook(toy.ASSIGNMENT), as_version=4)
    nb = toy.replace_solution(toy.replace_solution(
        nb, "sigmoid", "import math\ndef sigmoid(z):\n    return 0.5 if z == 0 else 0.7"),
        "relu", "def relu(z):\n    return max(0.0, z)")
    (root / "subs" / "sam").mkdir(parents=True)
    nbformat.write(nb, root / "subs" / "sam" / f"{toy.ASSIGNMENT}.ipynb")
    (result,) = grade(course, root / "subs", root / "out", toy.ASSIGNMENT, progress=False)
    assert (result.score, result.max_score) == (3, 5), result
    out = root / "out"
    return {"html": out / "feedback" / "sam" / toy.ASSIGNMENT / f"{toy.ASSIGNMENT}.html",
            "report": out / "report" / f"{toy.ASSIGNMENT}.html",
            "autograded": out / "autograded" / "sam" / toy.ASSIGNMENT / f"{toy.ASSIGNMENT}.ipynb"}


@pytest.mark.grading
def test_feedback_shows_no_hidden_test_and_loads_nothing_from_the_network(feedback):
    html = feedback["html"].read_text(encoding="utf-8")
    assert "Score: 3.0 / 5.0" in html
    for secret in ("BEGIN HIDDEN TESTS", *HIDDEN_LINES):
        assert secret not in html, secret
    assert "a hidden test failed; its code is not shown" in html
    assert '"sigmoid(0) should be 0.5"' in html      # the visible check's code stays
    assert "cdnjs" not in html and 'src="http' not in html
    assert "data:text/javascript;base64," in html
    # the instructor's autograded notebook keeps its hidden tests
    assert "0.8807970779778823" in feedback["autograded"].read_text(encoding="utf-8")


def offline_page(chromium, path: Path, requested: list):
    """A page showing the file `path`, every request that is not file: or data: refused."""
    page = chromium.new_page()
    page.route("**/*", lambda route: (requested.append(route.request.url), route.abort())
               if not route.request.url.startswith(("file:", "data:")) else route.continue_())
    page.goto(path.as_uri())
    return page


@pytest.mark.grading
@pytest.mark.browser
@pytest.mark.skipif(why_no_browser() is not None, reason=str(why_no_browser()))
def test_feedback_and_report_opened_from_disk_render_with_the_network_blocked(feedback, tmp_path):
    copy = tmp_path / "feedback.html"          # a learner's download, away from the course
    shutil.copyfile(feedback["html"], copy)
    requested = []
    with browser() as chromium:
        page = offline_page(chromium, copy, requested)
        page.wait_for_selector("mjx-container svg", timeout=30_000)
        formulas = page.locator("mjx-container").count()
        page.screenshot(path=str(tmp_path / "feedback.png"))
        report = offline_page(chromium, feedback["report"], requested)
        widths = report.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
        text = report.inner_text("body")
    assert formulas >= 2, formulas                 # sigma(z) and relu(z) in the intro
    assert len(widths) == 2 and min(widths) > 100, widths   # histogram and pass rates drawn
    assert "Class report: week0" in text and "test_sigmoid" in text and "sam" in text
    assert requested == [], requested

"""Cheating submissions earn only what their own code earns, and the grader survives them.

Each cheat in tests/hostile.py is graded twice: with nbgrader's Execute, which runs the test
cells in the kernel the cheat ran in (the points it steals there prove the cheat works), and
with the course's TrustedExecute (autograder/trusted.py), which runs them in the grader.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from autograder import sandbox, toy
from autograder.course import Course
from autograder.grade import grade
from autograder.release import release

from . import hostile

REPO_CONFIG = (Path(__file__).resolve().parents[1] / "nbgrader_config.py").as_posix()
STUB = re.compile(r'^(\s*)raise NotImplementedError\("replace this line with your code"\)$',
                  re.MULTILINE)
RELU_WRONG = "def relu(z):\n    return z"
SIGMOID_OK = "import math\n\ndef sigmoid(z):\n    return 1 / (1 + math.exp(-z))"

# student -> (sigmoid cell, relu cell, points its own code earns)
TOY = {
    "ola": (hostile.PATCHES_THE_CHECKS, RELU_WRONG, 0),
    "pat": (hostile.SWALLOWS_EXCEPTIONS, RELU_WRONG, 0),
    "quin": (hostile.IMPORTS_THE_ANSWERS, hostile.IMPORTS_A_GRADED_NAME, 0),
    "rex": (SIGMOID_OK, hostile.FLOODS_THE_OUTPUT, 5),
    "sam": (SIGMOID_OK, hostile.EXITS_THE_KERNEL, 0),
    "tia": (SIGMOID_OK, RELU_WRONG, 2),  # graded after the others: the grader goes on
    "uma": (SIGMOID_OK, hostile.READS_THE_ANSWERS, 5),
    "val": (SIGMOID_OK, hostile.KILLS_THE_GRADER, 2),
    "wes": (SIGMOID_OK, hostile.REPLACES_THE_AGENT, 5),
    "xan": (SIGMOID_OK, hostile.SHADOWS_THE_AGENT, 5),
}
STEALERS = ("ola", "pat", "quin")


def _config(root: Path, trusted: bool) -> Path:
    path = root / f"config_{'trusted' if trusted else 'kernel'}.py"
    path.write_text(f"load_subconfig({REPO_CONFIG!r})\nc.Execute.timeout = 5\n"
                    f"c.TrustedExecute.trusted = {trusted}\n")
    return path


def _grade_both(course: Course, subs: Path, root: Path, assignment: str) -> dict:
    """Results by student: [False] as nbgrader grades (tests in the kernel, no sandbox),
    [True] as the course does."""
    scores = {}
    for trusted in (False, True):
        configured = Course.load(root=course.root, config_file=_config(root, trusted))
        results = grade(configured, subs, root / f"out_{trusted}", assignment, progress=False,
                        time_limit=300, sandbox=trusted)
        scores[trusted] = {r.student_id: r for r in results}
    return scores


@pytest.fixture(scope="module")
def toy_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    course = toy.make_course(root / "course")
    release(course)
    released = nbformat.read(course.release_notebook(toy.ASSIGNMENT), as_version=4)
    subs = root / "submissions"
    secrets = [course.source_notebook(toy.ASSIGNMENT), subs / "ola" / f"{toy.ASSIGNMENT}.ipynb"]
    for student, (sigmoid, relu, _) in TOY.items():
        relu = relu.replace("PATHS", repr([str(p) for p in secrets]))
        nb = toy.replace_solution(toy.replace_solution(released, "sigmoid", sigmoid), "relu", relu)
        (subs / student).mkdir(parents=True)
        nbformat.write(nb, subs / student / f"{toy.ASSIGNMENT}.ipynb")
    (subs / "xan" / hostile.SHADOW_FILE).write_text("# the learner's own module\n")
    return {**_grade_both(course, subs, root, toy.ASSIGNMENT), "root": root}


@pytest.mark.grading
@pytest.mark.parametrize("student", STEALERS)
def test_a_cheat_steals_points_in_the_kernel_and_none_in_the_grader(toy_class, student):
    own = TOY[student][2]
    in_kernel, trusted = toy_class[False][student], toy_class[True][student]
    assert in_kernel.score > own, f"the cheat no longer works with nbgrader's Execute: {in_kernel}"
    assert (trusted.status, trusted.score) == ("graded", own), trusted


@pytest.mark.grading
def test_a_graded_name_taken_from_elsewhere_is_named_in_the_feedback(toy_class):
    message = toy_class[True]["quin"].message
    assert "relu is not a function written in this notebook" in message, message


@pytest.mark.grading
def test_a_kernel_that_kills_its_grader_is_reported_and_in_the_sandbox_cannot(toy_class):
    unsandboxed, sandboxed = toy_class[False]["val"], toy_class[True]["val"]
    assert unsandboxed.status == "error", unsandboxed
    assert "its grading process died" in unsandboxed.message, unsandboxed
    if sandbox.available() is None:
        assert (sandboxed.status, sandboxed.score) == ("graded", 2), sandboxed


@pytest.mark.grading
@pytest.mark.parametrize("student", ["rex", "sam", "tia"])
def test_broken_code_is_graded_as_it_runs_and_the_grader_goes_on(toy_class, student):
    for trusted in (False, True):
        result = toy_class[trusted][student]
        assert result.score == TOY[student][2], result
    if student == "sam":
        assert "kernel" in toy_class[True]["sam"].message.lower(), toy_class[True]["sam"]


@pytest.mark.grading
def test_a_kernel_without_the_grader_s_agent_fails_the_tests_after_and_is_told_why(toy_class):
    assert toy_class[False]["wes"].score == TOY["wes"][2]  # right code, tests in the kernel
    result = toy_class[True]["wes"]  # its relu cell replaced the agent: sigmoid's 2 points stay
    assert (result.status, result.score) == ("graded", 2), result
    assert "test_relu (KernelUnavailable: the kernel stopped answering the grader; does the " \
           "notebook replace" in result.message, result


@pytest.mark.grading
def test_a_file_shipped_beside_the_notebook_never_reaches_the_kernel(toy_class):
    # xan's autograder.py would shadow the grader's agent in the kernel's folder; grade takes
    # the notebook alone, so the agent starts and xan's right code earns its points
    for trusted in (False, True):
        assert (toy_class[trusted]["xan"].status, toy_class[trusted]["xan"].score) == \
            ("graded", TOY["xan"][2]), toy_class[trusted]["xan"]
    graded = toy_class["root"] / "out_True" / "autograded" / "xan" / toy.ASSIGNMENT
    assert not (graded / hostile.SHADOW_FILE).exists()


def _bytes_read(root: Path, trusted: bool) -> list[int]:
    notebook = root / f"out_{trusted}" / "autograded" / "uma" / toy.ASSIGNMENT / \
        f"{toy.ASSIGNMENT}.ipynb"
    cell = next(c for c in nbformat.read(notebook, as_version=4).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "relu")
    text = "".join(o.get("text", "") for o in cell.outputs)
    return [int(line.split()[2]) for line in text.splitlines() if line.startswith("bytes read:")]


@pytest.mark.grading
def test_a_kernel_cannot_read_the_answers_the_gradebook_or_the_others_work(toy_class):
    if (why := sandbox.available()) is not None:
        pytest.skip(why)
    unsandboxed, sandboxed = (_bytes_read(toy_class["root"], t) for t in (False, True))
    assert len(unsandboxed) == len(sandboxed) == 6, (unsandboxed, sandboxed)
    assert all(n > 0 for n in unsandboxed), f"without the sandbox these are readable: {unsandboxed}"
    assert sandboxed == [0] * 6, sandboxed
    assert toy_class[True]["uma"].score == 5, "reading is refused, the code still graded"


def _week1_submission(released: dict, patch: str) -> dict:
    nb = json.loads(json.dumps(released))
    first = True
    for cell in nb["cells"]:
        if not cell["metadata"].get("nbgrader", {}).get("solution"):
            continue
        source = STUB.sub(lambda m: m.group(1) + hostile.WRONG_BODY, "".join(cell["source"]))
        if first and patch:
            source, first = patch + "\n\n" + source, False
        cell["source"] = source
    return nb


@pytest.mark.grading
def test_week1_with_numpy_s_comparisons_replaced_earns_what_its_code_earns(tmp_path):
    course = Course.load()
    released = json.loads(course.release_notebook("week1").read_text(encoding="utf-8"))
    subs = tmp_path / "submissions"
    for student, patch in (("cheat", hostile.PATCHES_NUMPY), ("twin", "")):
        (subs / student).mkdir(parents=True)
        (subs / student / "week1.ipynb").write_text(
            json.dumps(_week1_submission(released, patch)), encoding="utf-8")
    scores = _grade_both(course, subs, tmp_path, "week1")
    own = scores[True]["twin"].score
    assert scores[False]["twin"].score == own, "the cheat's own code scores the same either way"
    assert scores[False]["cheat"].score > own, scores[False]["cheat"]
    assert scores[True]["cheat"].score == own, scores[True]["cheat"]

"""A class on one JupyterHub (deploy/jupyterhub/): release, fetch, submit, collect, autograde and
feedback, each through the HTTP API a browser would use, as real local Unix accounts.

The hub runs on 127.0.0.1 with an instructor and three learners (accounts made for the test and
removed after it): ada completes week 1, bo submits it untouched, cy breaks one exercise. Then
what each may reach is tried as that Unix user, as a learner could from a terminal in the lab.
Skipped, with the reason, where the machine cannot run the hub (not root, no npm).
"""

from __future__ import annotations

import copy
import json
import pwd
import subprocess
import time
from pathlib import Path

import pytest

from deploy.jupyterhub.hub import COURSE_ID, Hub, throwaway, why_not
from tests.browser_lab import ARTIFACTS, browser, completed_notebook, why_no_browser

pytestmark = [pytest.mark.hub, pytest.mark.skipif(why_not() is not None, reason=why_not() or "")]

WEEK = "week1"
INSTRUCTOR, LEARNERS = "dlc-teacher", ["dlc-ada", "dlc-bo", "dlc-cy"]
ADA, BO, CY = LEARNERS


def _broken(nb: dict) -> dict:
    """The completed notebook with its first answer cell replaced by a wrong one."""
    nb = copy.deepcopy(nb)
    first = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")
                 and c["cell_type"] == "code")
    first["source"] = "\n".join(line if not line.lstrip().startswith("return") else
                                line.split("return")[0] + "return 0"
                                for line in first["source"].splitlines())
    return nb


class Client:
    """One user's requests to the hub: to their own server, with a token the hub made."""

    def __init__(self, hub: Hub, user: str, token: str):
        import requests

        self.hub, self.user, self.session = hub, user, requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    def server(self, path: str, method: str = "GET", user: str | None = None, **kw):
        return self.session.request(method, f"{self.hub.url}/user/{user or self.user}{path}",
                                    timeout=180, **kw)

    def ok(self, path: str, method: str = "GET", **kw):
        response = self.server(path, method, **kw)
        assert response.status_code < 300, f"{method} {path}: {response.status_code} " \
                                           f"{response.text[:2000]}"
        return response


def _admin(hub: Hub, method: str, path: str, **kw):
    import requests

    response = requests.request(method, f"{hub.url}/hub/api{path}", timeout=60,
                                headers={"Authorization": f"token {hub.api_token()}"}, **kw)
    assert response.status_code < 300, \
        f"{method} {path}: {response.status_code} {response.text}\n{hub.log()[-4000:]}"
    return response.json() if response.text else None


def _start_server(hub: Hub, user: str, timeout: float = 120) -> Client:
    token = _admin(hub, "POST", f"/users/{user}/tokens", json={"expires_in": 3600})["token"]
    _admin(hub, "POST", f"/users/{user}/server")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = (_admin(hub, "GET", f"/users/{user}").get("servers") or {}).get("")
        if server and server.get("ready"):
            return Client(hub, user, token)
        time.sleep(0.5)
    raise AssertionError(f"{user}'s server was not ready within {timeout} s:\n{hub.log()[-3000:]}")


def _assignments(response) -> list[dict]:
    """The Assignment List's answer: its list of assignments, once it says it succeeded."""
    answer = response.json()
    assert answer.get("success"), answer
    return answer["value"]


def _forge(hub: Hub, learner: str, victim: str) -> subprocess.CompletedProcess:
    """`learner` submits their copy of the week under `victim`'s name, from a terminal."""
    time.sleep(1.1)  # a later timestamp than the victim's own submission
    home = pwd.getpwnam(learner).pw_dir
    result = _as_user(learner, "env", f"HOME={home}",
                      f"JUPYTER_CONFIG_PATH={hub.state / 'jupyter'}", "sh", "-c",
                      f"cd {home} && {hub.env / 'bin' / 'nbgrader'} submit {WEEK} "
                      f"--course {COURSE_ID} --student {victim}")
    assert result.returncode == 0, result  # nbgrader's submit takes any name
    return result


def _as_user(user: str, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", user, "--", *command], capture_output=True,
                          text=True, timeout=60)


@pytest.fixture(scope="module")
def hub():
    with throwaway(INSTRUCTOR, LEARNERS) as running:
        running.start()
        yield running


@pytest.fixture(scope="module")
def graded(hub):
    """The whole round, as the class does it; what each step answered."""
    teacher = _start_server(hub, INSTRUCTOR)
    learners = {name: _start_server(hub, name) for name in LEARNERS}
    for step in ("assign", "release"):
        answer = teacher.ok(f"/formgrader/api/assignment/{WEEK}/{step}", "POST").json()
        assert answer.get("success"), (step, answer)
    course = {"assignment_id": WEEK, "course_id": COURSE_ID}
    solved = json.loads(json.dumps(completed_notebook(WEEK)))
    work = {ADA: solved, BO: None, CY: _broken(solved)}
    for name, client in learners.items():
        listed = _assignments(client.ok("/assignments/fetch", "POST", data=course))
        assert any(a["assignment_id"] == WEEK and a["status"] == "fetched" for a in listed), \
            listed
        path = f"/api/contents/{COURSE_ID}/{WEEK}/{WEEK}.ipynb"
        if work[name] is not None:
            client.ok(path, "PUT", json={"type": "notebook", "format": "json",
                                         "content": work[name]})
        submitted = _assignments(client.ok("/assignments/submit", "POST", data=course))
        assert any(a["status"] == "submitted" for a in submitted), submitted
    forged = _forge(hub, BO, ADA)  # later than ada's: nbgrader's collect would take it
    collected = teacher.ok(f"/formgrader/api/assignment/{WEEK}/collect", "POST").json()
    assert collected.get("success"), collected
    for name in LEARNERS:
        answer = teacher.ok(f"/formgrader/api/submission/{WEEK}/{name}/autograde", "POST").json()
        assert answer.get("success"), (name, answer.get("error"), answer.get("log"))
    for step in ("generate_feedback", "release_feedback"):
        answer = teacher.ok(f"/formgrader/api/assignment/{WEEK}/{step}", "POST").json()
        assert answer.get("success"), (step, answer)
    scores = {s["student"]: (s["score"], s["max_score"])
              for s in teacher.ok(f"/formgrader/api/submissions/{WEEK}").json()}
    feedback = {}
    for name, client in learners.items():
        _assignments(client.ok("/assignments/fetch_feedback", "POST", data=course))
        folder = client.ok(f"/api/contents/{COURSE_ID}/{WEEK}/feedback").json()["content"]
        html = [f for run in folder for f in
                client.ok(f"/api/contents/{run['path']}").json()["content"]
                if f["name"].endswith(".html")]
        feedback[name] = client.ok(f"/api/contents/{html[0]['path']}").json()["content"]
    return {"teacher": teacher, "learners": learners, "scores": scores, "feedback": feedback,
            "forged": forged, "collected": collected}


def test_each_learner_gets_the_score_of_their_work_and_its_feedback(graded):
    scores = graded["scores"]
    total = scores[ADA][1]
    assert total > 0 and scores[ADA] == (total, total), scores
    assert scores[BO] == (0, total), scores
    assert 0 < scores[CY][0] < total, scores
    for name in LEARNERS:
        shown = f"(Score: {round(float(scores[name][0]), 2)} / {round(float(total), 2)})"
        assert shown in graded["feedback"][name], (name, shown)


def test_a_submission_under_another_learner_s_name_is_refused_at_collect(hub, graded):
    inbound = hub.exchange / COURSE_ID / "inbound"
    bo = pwd.getpwnam(BO).pw_uid
    forged = [p for p in inbound.iterdir() if p.name.startswith(f"{ADA}+")
              and p.stat().st_uid == bo]
    assert len(forged) == 1, graded["forged"]
    assert f"Refused {forged[0].name}: it is filed under {ADA} but owned by {BO}" in \
        graded["collected"]["log"], graded["collected"]
    assert graded["scores"][ADA][0] == graded["scores"][ADA][1]  # ada's own work was graded


def test_a_learner_cannot_read_or_overwrite_the_others_work_or_the_answers(hub, graded):
    inbound = hub.exchange / COURSE_ID / "inbound"
    ada = pwd.getpwnam(ADA).pw_uid
    ada_submission = next(p for p in inbound.iterdir() if p.name.startswith(f"{ADA}+")
                          and p.stat().st_uid == ada)
    teacher_home = Path(pwd.getpwnam(INSTRUCTOR).pw_dir)
    outbound = hub.exchange / COURSE_ID / "outbound" / WEEK
    denied = {
        "list the submissions": ["ls", str(inbound)],
        "change the released week": ["sh", "-c", f"echo x > '{outbound}/{WEEK}.ipynb'"],
        "overwrite ada's submission": ["sh", "-c", f"echo x > '{ada_submission}/{WEEK}.ipynb'"],
        "read ada's home": ["ls", pwd.getpwnam(ADA).pw_dir],
        "read the answers": ["cat", str(teacher_home / "course" / "solutions" / WEEK /
                                        f"{WEEK}.ipynb")],
        "read the gradebook": ["cat", str(teacher_home / "course" / "gradebook.db")],
    }
    for what, command in denied.items():
        result = _as_user(BO, *command)
        assert result.returncode != 0 and "ermission denied" in result.stderr, (what, result)
    assert json.loads((ada_submission / f"{WEEK}.ipynb").read_text())["cells"]


def test_a_learner_has_no_formgrader_and_no_way_into_another_server(graded):
    bo = graded["learners"][BO]
    assert bo.server("/formgrader/api/assignments").status_code == 404
    assert bo.server("/api/contents", user=ADA).status_code in (403, 404)
    assert graded["teacher"].server("/formgrader/api/assignments").status_code == 200


def test_every_lab_has_the_course_s_settings_for_plots(graded):
    for client in [graded["teacher"], *graded["learners"].values()]:
        answer = client.ok("/lab/api/settings/@jupyterlab/apputils-extension:kernels-settings")
        # the environment's overrides.json sets the default the lab starts from
        default = answer.json()["schema"]["properties"]["commsOverSubshells"]["default"]
        assert default == "disabled", (client.user, default)


def _log_in(chromium, hub: Hub, user: str):
    """A page logged in as `user` through the hub's login form (PAM, the account's password),
    showing their lab."""
    page = chromium.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", hub.passwords()[user])
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{user}/lab**", timeout=60_000)
    page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=60_000)
    return page


def _menu(page) -> list[str]:
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    return [t.strip() for t in page.locator(".lm-Menu-itemLabel").all_inner_texts()]


@pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or "")
def test_in_the_browser_a_learner_sees_the_assignment_list_and_the_instructor_the_formgrader(
        hub, graded):
    shots = ARTIFACTS / "hub"
    shots.mkdir(parents=True, exist_ok=True)
    with browser() as chromium:
        page = _log_in(chromium, hub, BO)
        items = _menu(page)
        assert "Assignment List" in items and "Formgrader" not in items, items
        page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
        page.get_by_text(WEEK, exact=True).first.wait_for(timeout=60_000)
        page.get_by_role("button", name="Fetch Feedback").first.wait_for(timeout=30_000)
        page.screenshot(path=str(shots / "learner-assignment-list.png"))
        page = _log_in(chromium, hub, INSTRUCTOR)
        assert "Formgrader" in _menu(page)
        page.keyboard.press("Escape")
        # JupyterHub forbids framing a user's pages (frame-ancestors 'none'), so the lab's
        # Formgrader panel stays empty: the formgrader opens in a tab of its own
        page.goto(f"{hub.url}/user/{INSTRUCTOR}/formgrader")
        page.locator(f"text={WEEK}").first.wait_for(timeout=60_000)
        page.screenshot(path=str(shots / "instructor-formgrader.png"))


def test_a_crashed_server_leaves_the_others_running_and_the_hub_stops_cleanly(hub, graded):
    cy = pwd.getpwnam(CY).pw_uid
    subprocess.run(["pkill", "-KILL", "-U", str(cy)], check=False)
    time.sleep(1)
    assert graded["learners"][ADA].ok("/api/status").json()
    assert graded["teacher"].ok("/api/status").json()
    assert hub.stop() == 0, hub.log()[-3000:]
    for user in [INSTRUCTOR, *LEARNERS]:
        left = subprocess.run(["pgrep", "-U", user], capture_output=True, text=True)
        assert left.stdout.strip() == "", f"{user} still runs {left.stdout}"

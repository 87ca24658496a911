"""Drive the course in a real JupyterLab with the system Chromium (Playwright, no downloads).

Shared by the browser tests and the learner walk-through benchmark. A `LabServer` serves a
temporary course folder on loopback: the course's nbgrader config, every week's source and
release, an exchange with each week released, and `learner/<week>/<week>.ipynb`, a completed
copy of the student notebook, as a learner would have it after doing the exercises.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import numpy as np

from autograder.solution_code import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
WEEKS = sorted(p.name for p in (REPO / "solutions").glob("week*") if p.is_dir())
ARTIFACTS = REPO / "artifacts" / "browser"


def why_no_browser() -> str | None:
    """None when the browser tests can run, else how to enable them."""
    if not CHROMIUM:
        return ("Chromium is not installed, so the browser tests are skipped. Enable them with "
                "`apt-get install chromium` (as root), or run `bash .ci/run`, which installs it.")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python playwright is missing: run `make test` (it installs the test extra)."
    return None


def completed_notebook(week: str) -> nbformat.NotebookNode:
    """The student release with every exercise filled in from the solution notebook."""
    release = nbformat.read(REPO / "notebooks" / week / f"{week}.ipynb", as_version=4)
    source = nbformat.read(REPO / "solutions" / week / f"{week}.ipynb", as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in release.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = re.sub(r"(?m)^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", "",
                                 answers[grade_id])
    return release


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _nbgrader(root: Path, env: dict, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=env,
                            capture_output=True, text=True, timeout=180)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


class LabServer:
    """JupyterLab on 127.0.0.1 with a token, serving a temporary course folder."""

    def __init__(self, root: Path):
        self.root = root
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None
        self.env = dict(os.environ)
        self.env.pop("NBGRADER_EXECUTION", None)
        self.env.update(
            COURSE_EXCHANGE=str(root / "exchange"),
            COURSE_GRADEBOOK=str(root / "gradebook.db"),
            JUPYTERLAB_SETTINGS_DIR=str(root / ".lab-settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(root / ".lab-workspaces"),
            JUPYTER_CONFIG_DIR=str(root / ".jupyter"),
            HOME=str(root / "home"),
            # nbgrader runs the `alembic` program of the environment when it opens a gradebook
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        )

    def prepare(self) -> None:
        """Course files, exchange with every week released, completed learner copies."""
        shutil.copy(REPO / "nbgrader_config.py", self.root)
        shutil.copytree(REPO / "solutions", self.root / "solutions")
        (self.root / "home").mkdir()
        (self.root / "exchange").mkdir()
        # Every cell rendered (no virtual scrolling), so controls and plots are in the DOM.
        tracker = self.root / ".lab-settings" / "@jupyterlab" / "notebook-extension"
        tracker.mkdir(parents=True)
        (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
        for week in WEEKS:
            _nbgrader(self.root, self.env, "generate_assignment", week, "--force")
            _nbgrader(self.root, self.env, "release_assignment", week, "--force")
            learner = self.root / "learner" / week
            shutil.copytree(self.root / "notebooks" / week, learner)
            nbformat.write(completed_notebook(week), learner / f"{week}.ipynb")

    def start(self, timeout: float = 60) -> None:
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
                   "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                   "--ServerApp.port_retries=0"]
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.log = open(self.root / "lab.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, cwd=self.root, env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited:\n{(self.root / 'lab.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not start:\n{(self.root / 'lab.log').read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.process:
            self.log.close()

    def url(self, path: str, workspace: str) -> str:
        tree = f"/tree/{path}" if path else ""
        return (f"http://127.0.0.1:{self.port}/lab/workspaces/{workspace}{tree}"
                f"?reset&token={self.token}")


@contextmanager
def lab_server(root: Path):
    server = LabServer(root)
    server.prepare()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


# -- one notebook in the page --------------------------------------------------------------
KERNEL = ".jp-Notebook-ExecutionIndicator[data-status='{}']"
KERNEL_ATTACHED = ("(() => { const name = document.querySelector('.jp-Toolbar-kernelName');"
                   " return name && name.textContent.trim() !== ''"
                   " && !name.textContent.includes('No Kernel'); })()")
ERRORS = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
CONTROLS = ".widget-hslider, .widget-dropdown"
RUNNING = ("[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
           ".some(p => p.textContent.includes('*'))")


class NotebookPage:
    """A notebook opened in JupyterLab, with the few actions a learner takes."""

    def __init__(self, page, server: LabServer, path: str, shots: Path | None = None):
        self.page, self.server, self.path, self.shots = page, server, path, shots
        self.step = 0

    def open(self, timeout: float = 90) -> float:
        """Opens the notebook; returns the seconds until its kernel is idle."""
        start = time.perf_counter()
        self.page.goto(self.server.url(self.path, f"w{secrets.token_hex(4)}"))
        # the execution indicator can say idle before a kernel is attached ("No Kernel"): a Run
        # All then queues nothing, so wait for the kernel's name in the toolbar as well
        self.page.wait_for_function(KERNEL_ATTACHED, timeout=timeout * 1000)
        self.page.wait_for_selector(KERNEL.format("idle"), timeout=timeout * 1000)
        return time.perf_counter() - start

    def run_all(self, timeout: float = 180) -> float:
        """Run > Run All Cells; returns the seconds until every cell has run.

        The kernel goes idle for a moment between cells, so "idle" alone is no end signal:
        wait until no cell shows the queued/running prompt [*] any more.
        """
        start = time.perf_counter()
        self.page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        self.page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        self.page.wait_for_function(RUNNING, timeout=60_000)
        self.page.wait_for_function(f"!({RUNNING})", timeout=timeout * 1000, polling=100)
        self.page.wait_for_selector(KERNEL.format("idle"), timeout=timeout * 1000)
        self.page.wait_for_timeout(300)  # the last outputs reach the DOM
        return time.perf_counter() - start

    def error_outputs(self) -> list[str]:
        return [e.inner_text()[:500] for e in self.page.locator(ERRORS).all()]

    def controls(self):
        return self.page.locator(CONTROLS).all()

    def figure_of(self, control):
        """The last image in the output area of the cell that holds `control`."""
        cell = self.page.locator(".jp-Cell").filter(has=control)
        return cell.locator(".jp-OutputArea-output img").last

    def pixels(self, image, attempts: int = 10) -> np.ndarray:
        """The rendered image as grey levels (retrying while an update replaces the element)."""
        from PIL import Image
        from playwright.sync_api import Error

        for attempt in range(attempts):
            try:
                image.scroll_into_view_if_needed(timeout=5000)
                png = image.screenshot(timeout=5000)
                return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)
            except Error:
                if attempt == attempts - 1:
                    raise
                self.page.wait_for_timeout(100)

    def source(self, image) -> str | None:
        from playwright.sync_api import Error

        try:
            return image.get_attribute("src", timeout=2000)
        except Error:  # replaced while we looked
            return None

    def wait_for_new_figure(self, image, before: np.ndarray, before_src: str,
                            timeout: float = 20) -> float:
        """Seconds until the figure's image source changes; then its pixels must differ."""
        start = time.perf_counter()
        while self.source(image) in (before_src, None):
            if time.perf_counter() - start > timeout:
                raise AssertionError(f"the figure did not change within {timeout} s")
            self.page.wait_for_timeout(20)
        latency = time.perf_counter() - start
        after = self.pixels(image)
        assert pixels_differ(before, after), "a new image arrived, but it shows the same pixels"
        return latency

    def move_by_keyboard(self, control, presses: int = 3) -> None:
        if control.locator("select").count():
            # Home/End pick the first/last option; arrow keys only open the list in headless
            # Chromium, and letter keys are JupyterLab's notebook shortcuts
            select = control.locator("select")
            at_end = select.evaluate("s => s.selectedIndex === s.options.length - 1")
            select.focus()
            self.page.keyboard.press("Home" if at_end else "End")
            return
        control.locator(".noUi-handle").first.focus()
        for _ in range(presses):
            self.page.keyboard.press("ArrowRight")

    def move_by_mouse(self, control) -> None:
        """Picks another option, or drags the slider's handle far across its track (to 85% if
        it sits in the left half, else to 15%), so the setting really changes."""
        if control.locator("select").count():
            select = control.locator("select")
            count = select.locator("option").count()
            index = select.evaluate("s => s.selectedIndex")
            select.select_option(index=(index + count // 2) % count)
            return
        handle = control.locator(".noUi-handle").first
        track = control.locator(".noUi-target").first
        handle.scroll_into_view_if_needed()
        h, t = handle.bounding_box(), track.bounding_box()
        at = (h["x"] + h["width"] / 2 - t["x"]) / t["width"]
        fraction = 0.85 if at < 0.5 else 0.15
        self.page.mouse.move(h["x"] + h["width"] / 2, h["y"] + h["height"] / 2)
        self.page.mouse.down()
        self.page.mouse.move(t["x"] + fraction * t["width"], h["y"] + h["height"] / 2, steps=8)
        self.page.mouse.up()

    def screenshot(self, name: str, element=None) -> None:
        if not self.shots:
            return
        self.shots.mkdir(parents=True, exist_ok=True)
        self.step += 1
        target = element or self.page
        target.screenshot(path=str(self.shots / f"{self.step:02d}-{name}.png"))


def pixels_differ(before: np.ndarray, after: np.ndarray) -> bool:
    """At least a few pixels changed visibly (a subtle setting may move only a curve)."""
    return before.shape != after.shape or int((np.abs(after - before) > 25).sum()) >= 10


def is_blank(pixels: np.ndarray) -> bool:
    """A plot with no ink: (almost) one flat colour."""
    return pixels.size == 0 or pixels.std() < 5 or (pixels < 200).mean() < 0.002

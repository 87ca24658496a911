"""Drive the course in a real JupyterLab with the system Chromium (Playwright, no downloads).

Shared by the browser tests and the learner walk-through benchmark. A `LabServer` serves a
temporary course folder on loopback: the course's nbgrader config, every week's source and
release, an exchange with each week released, and `learner/<week>/<week>.ipynb`, a completed
copy of the student notebook, as a learner would have it after doing the exercises.
"""

from __future__ import annotations

import base64
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
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np

from autograder.solution_code import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
WEEKS = sorted(p.name for p in (REPO / "solutions").glob("week*")
               if p.is_dir() and not (p / "DRAFT").is_file())  # a week being written: not yet
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


def release_weeks(weeks: list[str]) -> None:
    """nbgrader's generate_assignment and release_assignment of each week, in this process (in
    a course folder, with its config): one process instead of two per week, which each spend
    seconds importing and opening the gradebook."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.apps.nbgraderapp import NbGraderApp

    app = NbGraderApp()
    app.load_config_file()
    api = NbGraderAPI(config=app.config)
    for week in weeks:
        for step in (api.generate_assignment, api.release_assignment):
            result = step(week)
            if not result["success"]:
                raise SystemExit(f"nbgrader's {step.__name__} of {week} failed:\n"
                                 f"{result.get('error')}\n{result.get('log')}")


def _release(root: Path, env: dict, weeks: list[str]) -> None:
    code = (f"import sys; sys.path.insert(0, {str(REPO)!r}); "
            "from tests.browser_lab import release_weeks; release_weeks(sys.argv[1:])")
    result = subprocess.run([sys.executable, "-c", code, *weeks], cwd=root, env=env,
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"releasing {weeks} failed:\n{result.stdout}\n{result.stderr}")


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
        _release(self.root, self.env, WEEKS)
        for week in WEEKS:
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
CELL_ANCESTOR = ("xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '),"
                 " ' jp-Cell ')][1]")
CONTROLS = ".widget-hslider, .widget-dropdown"
# ipywidgets gives number boxes (IntText) the class widget-text too: only text inputs here.
TEXT_BOXES = ".widget-text:has(> input[type=\"text\"])"
RUNNING = ("[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
           ".some(p => p.textContent.includes('*'))")


# A control's setting as the page shows it: its readout (a slider's handle also says where it
# sits in aria-valuenow/min/max; a log slider says so in exponents) or its selected option.
SETTING = """c => {
  const label = c.querySelector('.widget-label');
  const select = c.querySelector('select');
  const s = {label: label ? label.textContent.trim() : '?', now: null, low: null, high: null,
             index: null, count: null};
  if (select) return {...s, kind: 'dropdown', text: select.value, index: select.selectedIndex,
                      count: select.options.length, disabled: select.disabled};
  const handle = c.querySelector('.noUi-handle');
  const readout = c.querySelector('.widget-readout');
  const aria = name => handle && handle.hasAttribute(name) ? parseFloat(handle.getAttribute(name))
                                                          : null;
  return {...s, kind: 'slider', text: readout ? readout.textContent.trim() : '',
          now: aria('aria-valuenow'), low: aria('aria-valuemin'), high: aria('aria-valuemax'),
          disabled: c.classList.contains('mod-disabled') || !!c.querySelector('[disabled]')};
}"""


@dataclass(frozen=True)
class Setting:
    label: str
    kind: str  # "slider" or "dropdown"
    text: str  # the readout, or the selected option
    now: float | None
    low: float | None
    high: float | None
    index: int | None
    count: int | None
    disabled: bool

    def roomier_side(self) -> int:
        """+1 when there is at least as much room up as down, else -1."""
        if self.kind == "dropdown":
            return 1 if self.index <= (self.count - 1) / 2 else -1
        return 1 if self.high - self.now >= self.now - self.low else -1

    def describe(self) -> str:
        if self.kind == "dropdown":
            return f"option {self.index + 1} of {self.count}"
        return f"aria-valuenow {self.now:g} in [{self.low:g}, {self.high:g}]"


class ControlDidNotMove(AssertionError):
    """A move left the setting as it was: no new plot can come (a driver error, not the
    product's)."""


# Records, in the page, every new image and status text of one cell with its time, and the
# time of each key press or option pick (performance.now(), in ms).
RECORD = """cell => {
  if (window.__rec) window.__rec.observer.disconnect();
  const image = () => {
    const all = cell.querySelectorAll('.jp-OutputArea-output img');
    return all.length ? all[all.length - 1].getAttribute('src') : null;
  };
  const status = () => [...cell.querySelectorAll('.widget-html')]
    .map(e => e.textContent.trim()).join(' | ');
  const rec = {events: [], last: performance.now(), src: image(), text: status()};
  rec.observer = new MutationObserver(() => {
    const t = performance.now();
    rec.last = t;
    const src = image();
    if (src && src !== rec.src) { rec.src = src; rec.events.push({t, kind: 'frame', src}); }
    const text = status();
    if (text !== rec.text) { rec.text = text; rec.events.push({t, kind: 'status', text}); }
  });
  rec.observer.observe(cell, {subtree: true, childList: true, attributes: true,
                              characterData: true});
  if (!window.__recInputs) {
    window.__recInputs = true;
    const counts = e => window.__rec && (e.type === 'keydown' || e.target.tagName === 'SELECT');
    const note = e => {  // capture phase: before the control handles the input
      if (counts(e)) window.__rec.events.push(
        {t: performance.now(), kind: 'input', key: e.key || e.type, setting: null});
    };
    const handled = e => {  // bubble phase: the control has handled it, its readout says so
      const control = e.target.closest && e.target.closest('.widget-hslider, .widget-dropdown');
      const shown = control && control.querySelector('select, .widget-readout');
      const inputs = counts(e) ? window.__rec.events.filter(x => x.kind === 'input') : [];
      if (shown && inputs.length) inputs[inputs.length - 1].setting =
        shown.tagName === 'SELECT' ? shown.value : shown.textContent.trim();
    };
    for (const type of ['keydown', 'change']) {
      document.addEventListener(type, note, true);
      document.addEventListener(type, handled, false);
    }
  }
  window.__rec = rec;
}"""
PICK = """async (select, [indices, gap]) => {
  for (const [k, index] of indices.entries()) {
    if (k) await new Promise(done => setTimeout(done, gap));
    select.selectedIndex = index;
    select.dispatchEvent(new Event('input', {bubbles: true}));
    select.dispatchEvent(new Event('change', {bubbles: true}));
  }
}"""  # option picks `gap` ms apart, each made as select_option makes it
# ipywidgets 8 kernels answer every control change with an `echo_update` message as soon as
# they handle it: its arrival tells when the kernel heard of a move. Installed before the page
# loads; the echoes go to the recorder (kind 'echo').
ECHOES = """(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        const data = e.data;
        if (!window.__rec || !(typeof data === 'string' || data instanceof ArrayBuffer)) return;
        const text = typeof data === 'string' ? data : decoder.decode(data);
        if (text.includes('"echo_update"'))
          window.__rec.events.push({t: performance.now(), kind: 'echo'});
      });
    }
  };
})()"""
TRAINING = r"/training(\u2026|\.\.\.)/i"  # a status line that says a run is still going


class FrameRecorder:
    """The frames and status lines of one cell as they arrive, timed in the page."""

    def __init__(self, page, cell):
        self.page = page
        cell.evaluate(RECORD)

    def clock(self) -> float:
        """The page's clock, in ms (the events' time base)."""
        return self.page.evaluate("performance.now()")

    def events(self, since: float = -1.0) -> list[dict]:
        """Events after `since` (ms): kind 'input' (key press, option pick, with the setting it
        made), 'echo' (the kernel heard of a change), 'frame' (with its src) or 'status' (with
        its text)."""
        return self.page.evaluate("s => window.__rec.events.filter(e => e.t > s)", since)

    def current(self) -> tuple[str | None, str]:
        """The image source and status text shown now."""
        return tuple(self.page.evaluate("[window.__rec.src, window.__rec.text]"))

    def wait_for_frame(self, since: float, timeout: float) -> bool:
        """Whether a new image came after `since` (ms) within `timeout` s."""
        from playwright.sync_api import TimeoutError as Timeout

        try:
            self.page.wait_for_function(
                "s => window.__rec.events.some(e => e.t > s && e.kind === 'frame')", arg=since,
                timeout=timeout * 1000, polling=10)
            return True
        except Timeout:
            return False

    def settle(self, quiet: float = 0.8, timeout: float = 15) -> bool:
        """Waits until the cell has not changed for `quiet` s and its status does not say that
        it is training; False if that did not happen within `timeout` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            idle, busy = self.page.evaluate(
                f"[performance.now() - window.__rec.last, {TRAINING}.test(window.__rec.text)]")
            if idle >= quiet * 1000 and not busy:
                return True
            self.page.wait_for_timeout(100 if busy else max(50, quiet * 1000 - idle))
        return False


def decode_png(src: str) -> np.ndarray:
    """An image's data URI as grey levels."""
    from PIL import Image

    data = base64.b64decode(src.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=float)


class NotebookPage:
    """A notebook opened in JupyterLab, with the few actions a learner takes."""

    def __init__(self, page, server: LabServer, path: str, shots: Path | None = None):
        self.page, self.server, self.path, self.shots = page, server, path, shots
        self.shots_taken = 0

    def open(self, timeout: float = 90) -> float:
        """Opens the notebook; returns the seconds until its kernel is idle."""
        start = time.perf_counter()
        self.page.add_init_script(ECHOES)
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

    def text_boxes(self):
        """The explorers' text entries (week 6's name box), each to type into."""
        return self.page.locator(TEXT_BOXES).all()

    def type_into(self, box, text: str) -> None:
        """Replaces the entry's text by `text` and presses Enter, as a learner types it."""
        field = box.locator("input")
        field.fill(text)
        field.press("Enter")

    @staticmethod
    def cell_of(control):
        """The notebook cell that holds `control` (its nearest .jp-Cell ancestor; a filter
        `has=control` would re-apply the control's page-wide nth() inside every cell)."""
        return control.locator(CELL_ANCESTOR)

    def figure_of(self, control):
        """The last image in the output area of the cell that holds `control`."""
        return self.cell_of(control).locator(".jp-OutputArea-output img").last

    def pixels(self, image, attempts: int = 10, save_as: str | None = None) -> np.ndarray:
        """The rendered image as grey levels (retrying while an update replaces the element);
        with `save_as`, the same screenshot is kept as a numbered artifact too."""
        from PIL import Image
        from playwright.sync_api import Error

        for attempt in range(attempts):
            try:
                image.scroll_into_view_if_needed(timeout=5000)
                png = image.screenshot(timeout=5000)
                if save_as and self.shots:
                    self.shots.mkdir(parents=True, exist_ok=True)
                    self.shots_taken += 1
                    (self.shots / f"{self.shots_taken:02d}-{save_as}.png").write_bytes(png)
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

    def wait_for_new_figure(self, image, before_src: str | None, timeout: float = 20) -> float:
        """Seconds until the figure's image source changes; the new image (its PNG, decoded)
        must show other pixels than the one before."""
        start = time.perf_counter()
        while (src := self.source(image)) in (before_src, None):
            if time.perf_counter() - start > timeout:
                raise AssertionError(f"the figure did not change within {timeout} s")
            self.page.wait_for_timeout(20)
        latency = time.perf_counter() - start
        if before_src and before_src.startswith("data:image/png"):
            assert pixels_differ(decode_png(before_src), decode_png(src)), \
                "a new image arrived, but it shows the same pixels"
        return latency

    def setting(self, control) -> Setting:
        """What `control` is set to, as its readout (or selected option) shows it."""
        return Setting(**control.evaluate(SETTING))

    def move_by_keyboard(self, control, presses: int = 3, direction: int | None = None) -> int:
        """Presses arrow keys on a slider (Home/End on a dropdown) and checks that the setting
        changed; returns the direction moved (+1 right, -1 left).

        Without `direction` a slider moves towards the side with more room, so that repeated
        moves never push it against its end (where a press changes nothing and no plot comes)."""
        before = self.setting(control)
        if before.kind == "dropdown":
            # Home/End pick the first/last option; arrow keys change nothing on a closed list
            # in headless Chromium, and letter keys are JupyterLab's notebook shortcuts
            direction = -1 if before.index == before.count - 1 else 1
            control.locator("select").focus()
            self.page.keyboard.press("End" if direction > 0 else "Home")
        else:
            direction = direction or before.roomier_side()
            control.locator(".noUi-handle").first.focus()
            for _ in range(presses):
                self.page.keyboard.press("ArrowRight" if direction > 0 else "ArrowLeft")
        self._check_moved(control, before, f"{presses} x {'right' if direction > 0 else 'left'}")
        return direction

    def step(self, control, direction: int, times: int = 1, gap: float = 0.0) -> Setting:
        """One notch: an arrow key on a slider, the next (+1) or previous (-1) option of a
        dropdown (picked as with the mouse); the setting must change. Returns the new one.

        With `times` > 1, that many notches, each a change of its own, `gap` s apart (key
        presses; option picks timed in the page)."""
        before = self.setting(control)
        if before.kind == "dropdown":
            select = control.locator("select")
            if times == 1:
                select.select_option(index=before.index + direction)
            else:
                select.evaluate(PICK, [[before.index + direction * k for k in range(1, times + 1)],
                                       gap * 1000])
        else:
            control.locator(".noUi-handle").first.focus()
            for k in range(times):
                if k and gap:
                    self.page.wait_for_timeout(gap * 1000)
                self.page.keyboard.press("ArrowRight" if direction > 0 else "ArrowLeft")
        return self._check_moved(control, before,
                                 f"{times} notch(es) {'up' if direction > 0 else 'down'}")

    def _check_moved(self, control, before: Setting, how: str) -> Setting:
        after = self.setting(control)
        if (after.text, after.now) == (before.text, before.now):
            raise ControlDidNotMove(f"{before.label}: {how} left the setting at {before.text} "
                                    f"({before.describe()})")
        return after

    def move_by_mouse(self, control) -> None:
        """Picks another option, or drags the slider's handle far across its track (to 85% if
        it sits in the left half, else to 15%); the setting must change."""
        before = self.setting(control)
        if before.kind == "dropdown":
            control.locator("select").select_option(
                index=(before.index + before.count // 2) % before.count)
        else:
            handle = control.locator(".noUi-handle").first
            track = control.locator(".noUi-target").first
            handle.scroll_into_view_if_needed()
            h, t = handle.bounding_box(), track.bounding_box()
            at = (h["x"] + h["width"] / 2 - t["x"]) / t["width"]
            fraction = 0.85 if at < 0.5 else 0.15
            self.page.mouse.move(h["x"] + h["width"] / 2, h["y"] + h["height"] / 2)
            self.page.mouse.down()
            self.page.mouse.move(t["x"] + fraction * t["width"], h["y"] + h["height"] / 2,
                                 steps=8)
            self.page.mouse.up()
        self._check_moved(control, before, "a mouse move")

    def recorder(self, control) -> FrameRecorder:
        """Starts recording the frames and status lines of `control`'s cell (one at a time)."""
        return FrameRecorder(self.page, self.cell_of(control))

    def screenshot(self, name: str, element=None, attempts: int = 10) -> None:
        """Saves a screenshot of the page or `element` (retrying while an update replaces
        the element)."""
        from playwright.sync_api import Error

        if not self.shots:
            return
        self.shots.mkdir(parents=True, exist_ok=True)
        self.shots_taken += 1
        target = element or self.page
        for attempt in range(attempts):
            try:
                target.screenshot(path=str(self.shots / f"{self.shots_taken:02d}-{name}.png"),
                                  timeout=5000)
                return
            except Error:
                if attempt == attempts - 1:
                    raise
                self.page.wait_for_timeout(100)


def pixels_differ(before: np.ndarray, after: np.ndarray) -> bool:
    """At least a few pixels changed visibly (a subtle setting may move only a curve)."""
    return before.shape != after.shape or int((np.abs(after - before) > 25).sum()) >= 10


def is_blank(pixels: np.ndarray) -> bool:
    """A plot with no ink: (almost) one flat colour."""
    return pixels.size == 0 or pixels.std() < 5 or (pixels < 200).mean() < 0.002

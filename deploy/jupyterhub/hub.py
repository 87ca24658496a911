"""The course on one server: JupyterHub on loopback with local Unix accounts and nbgrader.

    .venv/bin/python deploy/jupyterhub/hub.py start [--port 8000] [--learners 3]

(`make hub` runs it.) As root, `setup` makes what the hub needs and is safe to run again:

- a local Unix account for the instructor and for each learner (home folders only their owner
  can read), with a random password each, written to STATE/passwords.txt (root only);
- the nbgrader exchange, STATE/exchange, writable by everyone as nbgrader documents (nbgrader
  itself makes each course's inbound folder unlistable), with `path_includes_course`;
- the instructor's course folder, ~INSTRUCTOR/course: the course's nbgrader_config.py and its
  solutions/, a gradebook of its own;
- STATE/jupyter/nbgrader_config.py, read by every user's server: the exchange and the course;
- for each learner, lab and server settings that leave out the formgrader and the assignment
  creator (the Assignment List stays);
- configurable-http-proxy, from npm, in node_modules beside this file;
- the course's environment, installed once for everyone in ENV (made with the system's
  python3, which every account can run; rebuilt when pyproject.toml changes), whose lab
  settings carry the course's fix for blank plots (autograder/labsettings.py).

`start` runs JupyterHub (jupyterhub_config.py, beside this file) on 127.0.0.1 until it is
stopped; the end-to-end test (tests/test_hub.py) drives it as a class would.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
COURSE_ID = "dl-from-scratch"
STATE = Path("/srv/dl-course-hub")
ENV = Path("/srv/dl-course-hub-env")  # shared by every hub on the machine
SYSTEM_PYTHON = "/usr/bin/python3"
SETTINGS = "hub.json"  # in STATE: what jupyterhub_config.py reads
CHP = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
# the lab plugins and server extensions of nbgrader a learner does not get
LEARNER_LAB_OFF = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                   "@jupyter/nbgrader:course-list"]
LEARNER_SERVER_OFF = ["nbgrader.server_extensions.formgrader",
                      "nbgrader.server_extensions.course_list"]


class HubError(RuntimeError):
    """Something the hub needs is missing: the message says what and how to get it."""


def why_not(need_root: bool = True) -> str | None:
    """None when this machine can run the hub, else what is missing and how to get it."""
    if need_root and os.geteuid() != 0:
        return "the hub makes Unix accounts and runs their servers as them: run it as root"
    if not Path(SYSTEM_PYTHON).is_file():
        return f"{SYSTEM_PYTHON} is missing: install it with `apt-get install python3-venv`"
    for program, package in (("useradd", "passwd"), ("chpasswd", "passwd"),
                             ("runuser", "util-linux"), ("npm", "npm"), ("node", "nodejs")):
        if shutil.which(program) is None:
            return f"`{program}` is missing: install it with `apt-get install {package}`"
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "JupyterHub is not installed: run `make test` (the test extra has it)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Hub:
    """One hub: where its state lives, its port and its users."""

    state: Path = STATE
    env: Path = ENV
    port: int = 8000
    instructor: str = "instructor"
    learners: list[str] = field(default_factory=lambda: ["learner1", "learner2", "learner3"])
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def users(self) -> list[str]:
        return [self.instructor, *self.learners]

    @property
    def exchange(self) -> Path:
        return self.state / "exchange"

    def home(self, user: str) -> Path:
        return Path(pwd.getpwnam(user).pw_dir)

    def course(self) -> Path:
        return self.home(self.instructor) / "course"

    def api_token(self) -> str:
        return (self.state / "api_token").read_text().strip()

    def passwords(self) -> dict[str, str]:
        lines = (self.state / "passwords.txt").read_text().splitlines()
        return dict(line.split(":", 1) for line in lines if ":" in line)

    # -- setup ---------------------------------------------------------------------------
    def setup(self) -> None:
        if (why := why_not()) is not None:
            raise HubError(why)
        self.state.mkdir(parents=True, exist_ok=True)
        self.state.chmod(0o711)  # users reach STATE/jupyter and the exchange, list nothing
        self._environment()
        self._proxy()
        passwords = self.passwords() if (self.state / "passwords.txt").is_file() else {}
        for user in self.users:
            passwords[user] = self._account(user, passwords.get(user))
        _write_private(self.state / "passwords.txt",
                       "".join(f"{u}:{p}\n" for u, p in passwords.items()))
        if not (self.state / "api_token").is_file():
            _write_private(self.state / "api_token", secrets.token_hex(32) + "\n")
        self.exchange.mkdir(exist_ok=True)
        self.exchange.chmod(0o777)  # nbgrader's documented setting for a shared exchange
        shared = self.state / "jupyter"
        shared.mkdir(exist_ok=True)
        shared.chmod(0o755)
        (shared / "nbgrader_config.py").write_text(
            "# Every user's server: the course's exchange, shared on this machine.\n"
            "c = get_config()  # noqa: F821\n"
            f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
            f"c.Exchange.root = {str(self.exchange)!r}\n"
            "c.Exchange.path_includes_course = True\n")
        (shared / "nbgrader_config.py").chmod(0o644)
        self._course()
        for learner in self.learners:
            self._learner_settings(learner)
        settings = {**asdict(self), "state": str(self.state), "env": str(self.env),
                    "repo": str(REPO), "venv_bin": str(self.env / "bin"), "proxy": str(CHP),
                    "shared": str(shared),
                    "course": str(self.course()), "hub_port": free_port(),
                    "proxy_api_port": free_port()}
        settings.pop("process")
        _write_private(self.state / SETTINGS, json.dumps(settings, indent=1))

    def _environment(self) -> None:
        """The course installed in ENV, from this repo, with the system's python3."""
        wanted = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()
        stamp = self.env / ".course-installed"
        if stamp.is_file() and stamp.read_text().strip() == f"{REPO} {wanted}":
            return
        python = self.env / "bin" / "python"
        steps = [[SYSTEM_PYTHON, "-m", "venv", "--clear", str(self.env)],
                 [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
                 [str(python), "-m", "pip", "install", "--quiet", "-e", f"{REPO}[test]"],
                 [str(python), "-m", "autograder", "install-lab-settings"]]
        for step in steps:
            result = subprocess.run(step, capture_output=True, text=True, timeout=1800)
            if result.returncode != 0:
                raise HubError(f"installing the course's environment in {self.env} failed at "
                               f"`{' '.join(step)}`:\n{result.stdout[-2000:]}\n"
                               f"{result.stderr[-2000:]}")
        for path in [self.env, *self.env.parents]:
            if path.exists() and path != Path("/"):
                path.chmod(path.stat().st_mode | 0o055)  # every account reads and runs it
        stamp.write_text(f"{REPO} {wanted}\n")

    def _proxy(self) -> None:
        if CHP.exists():
            return
        result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent",
                                 "--no-package-lock"], cwd=HERE, capture_output=True,
                                text=True, timeout=600)
        if result.returncode != 0 or not CHP.exists():
            raise HubError(f"npm could not install configurable-http-proxy in {HERE}:\n"
                           f"{result.stdout}\n{result.stderr}")

    def _account(self, user: str, password: str | None) -> str:
        try:
            pwd.getpwnam(user)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", user],
                           check=True, capture_output=True)
        self.home(user).chmod(0o700)
        password = password or secrets.token_urlsafe(12)
        subprocess.run(["chpasswd"], input=f"{user}:{password}\n", text=True, check=True,
                       capture_output=True)
        return password

    def _as(self, user: str, path: Path) -> None:
        entry = pwd.getpwnam(user)
        for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
            os.chown(p, entry.pw_uid, entry.pw_gid, follow_symlinks=False)

    def _course(self) -> None:
        course = self.course()
        course.mkdir(exist_ok=True)
        if not (course / "solutions").is_dir():
            shutil.copytree(REPO / "solutions", course / "solutions")
        (course / "nbgrader_config.py").write_text(
            "# The instructor's course on the hub: the repo's settings, this folder's paths.\n"
            "import os\n\n"
            "c = get_config()  # noqa: F821\n"
            f"load_subconfig({str(REPO / 'nbgrader_config.py')!r})  # noqa: F821\n"
            "HERE = os.path.dirname(os.path.abspath(__file__))\n"
            "c.CourseDirectory.root = HERE\n"
            "c.CourseDirectory.db_url = 'sqlite:///' + os.path.join(HERE, 'gradebook.db')\n"
            f"c.Exchange.root = {str(self.exchange)!r}\n"
            "c.Exchange.path_includes_course = True\n"
            "# a submission filed under another's name is refused (autograder/exchange.py)\n"
            "c.ExchangeFactory.collect = 'autograder.exchange.OwnedCollect'\n")
        # read by the instructor's server wherever it runs (nbgrader's one-course setup)
        jupyter = self.home(self.instructor) / ".jupyter"
        jupyter.mkdir(exist_ok=True)
        (jupyter / "nbgrader_config.py").write_text(
            "c = get_config()  # noqa: F821\n"
            f"load_subconfig({str(course / 'nbgrader_config.py')!r})  # noqa: F821\n")
        self._as(self.instructor, course)
        self._as(self.instructor, jupyter)

    def _learner_settings(self, learner: str) -> None:
        config = self.home(learner) / ".jupyter"
        (config / "labconfig").mkdir(parents=True, exist_ok=True)
        (config / "labconfig" / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {name: True for name in LEARNER_LAB_OFF}}, indent=1))
        (config / "jupyter_server_config.json").write_text(json.dumps(
            {"ServerApp": {"jpserver_extensions": {name: False for name in LEARNER_SERVER_OFF}}},
            indent=1))
        self._as(learner, config)

    # -- running -------------------------------------------------------------------------
    def start(self, timeout: float = 90) -> None:
        """Starts JupyterHub (setup first) and waits until its API answers."""
        self.setup()
        bin_ = self.env / "bin"
        env = {**os.environ, "COURSE_HUB_SETTINGS": str(self.state / SETTINGS),
               "PATH": f"{bin_}{os.pathsep}{os.environ.get('PATH', '')}"}
        log = open(self.state / "hub.log", "ab")  # noqa: SIM115 - the hub's, closed with it
        self.process = subprocess.Popen(
            [str(bin_ / "jupyterhub"), "-f", str(HERE / "jupyterhub_config.py"),
             f"--port={self.port}"], cwd=self.state, env=env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubError(f"JupyterHub exited ({self.process.returncode}):\n"
                               f"{self.log()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise HubError(f"JupyterHub did not answer within {timeout:g} s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        path = self.state / "hub.log"
        return path.read_text(errors="replace") if path.is_file() else ""

    def stop(self, timeout: float = 30) -> int | None:
        """Stops the hub (it stops the users' servers and its proxy); its exit code."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.wait()


@contextlib.contextmanager
def throwaway(instructor: str, learners: list[str], prefix: str = "dl-course-hub-"):
    """A Hub in a new state folder under /srv, not started (for tests and benchmarks): on
    leaving, it is stopped and its state and the accounts it made are removed (accounts that
    were there before are kept)."""
    users = [instructor, *learners]
    existing = {user for user in users if _account_exists(user)}
    state = Path(tempfile.mkdtemp(prefix=prefix, dir="/srv"))
    hub = Hub(state=state, port=free_port(), instructor=instructor, learners=learners)
    try:
        yield hub
    finally:
        hub.stop()
        for user in [u for u in users if u not in existing]:
            subprocess.run(["userdel", "--remove", user], capture_output=True)
        shutil.rmtree(state, ignore_errors=True)


def _account_exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
        return True
    except KeyError:
        return False


def _write_private(path: Path, text: str) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["setup", "start"])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--state", type=Path, default=STATE)
    parser.add_argument("--env", type=Path, default=ENV)
    parser.add_argument("--learners", type=int, default=3)
    args = parser.parse_args(argv)
    hub = Hub(state=args.state, env=args.env, port=args.port,
              learners=[f"learner{n}" for n in range(1, args.learners + 1)])
    try:
        if args.command == "setup":
            hub.setup()
            return 0
        hub.start()
    except HubError as error:
        print(f"hub: {error}", file=sys.stderr)
        return 2
    print(f"JupyterHub with the course: {hub.url} (passwords: {hub.state / 'passwords.txt'}); "
          "Ctrl-C stops it")
    try:
        return hub.process.wait() or 0
    except KeyboardInterrupt:
        hub.stop()
        return 0


if __name__ == "__main__":
    sys.exit(main())

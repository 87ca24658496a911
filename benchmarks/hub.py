"""Load on loopback: N learners on the course's JupyterHub at once (`--week hub`, as root).

For each class size in BENCH_HUB_SIZES (default 10 and 30), a hub from deploy/jupyterhub/ with
that many learner accounts (made for the run and removed after it) starts every learner's
server at the same moment through the hub's API. Each learner has week 1 in their home (the
release folder, as a fetch leaves it). As soon as their lab is ready, each runs the completed
week 1 notebook's code cells in a kernel of their own: given code, answers and check cells, on
the grading path (`NBGRADER_EXECUTION`, so training is short). Reported: the seconds from the
start to each ready lab and to the checks passed (median and slowest), the learners whose
checks did not all pass, and the memory the learners' processes and the hub hold at the end.
"""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import shutil
import statistics
import time
import uuid
from pathlib import Path

from deploy.jupyterhub.hub import Hub, throwaway, why_not

from .common import Row, progress, seconds

SIZES = [int(n) for n in os.environ.get("BENCH_HUB_SIZES", "10,30").split(",") if n.strip()]
WEEK = "week1"
REPO = Path(__file__).resolve().parents[1]


def _cells() -> list[str]:
    from tests.browser_lab import completed_notebook

    nb = completed_notebook(WEEK)
    return ["import os\nos.environ['NBGRADER_EXECUTION'] = 'autograde'",
            *(c.source for c in nb.cells if c.cell_type == "code" and c.source.strip())]


def _processes() -> list[dict]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        try:
            kernel = b"ipykernel" in (status.parent / "cmdline").read_bytes()
        except OSError:
            kernel = False
        found.append({"pid": int(fields["Pid"]), "ppid": int(fields["PPid"]),
                      "uid": int(fields["Uid"].split()[0]), "kernel": kernel,
                      "kb": int(fields.get("VmRSS", "0 kB").split()[0])})
    return found


def _rss_mb(uids: set[int]) -> tuple[float, float]:
    """Resident memory, in MB, of the processes owned by `uids`: (all, their kernels)."""
    mine = [p for p in _processes() if p["uid"] in uids]
    return (sum(p["kb"] for p in mine) / 1024,
            sum(p["kb"] for p in mine if p["kernel"]) / 1024)


def _hub_rss_mb(pid: int) -> float:
    """Resident memory, in MB, of the hub and the processes it runs as root (its proxy)."""
    processes, tree = _processes(), {pid}
    for _ in range(5):
        tree |= {p["pid"] for p in processes if p["ppid"] in tree and p["uid"] == 0}
    return sum(p["kb"] for p in processes if p["pid"] in tree) / 1024


class Learner:
    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.ready = self.checked = None
        self.failure = ""

    async def run(self, http, start: float, cells: list[str]) -> None:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        admin = {"Authorization": f"token {self.hub.api_token()}"}
        api = f"{self.hub.url}/hub/api/users/{self.name}"
        token = json.loads((await http.fetch(f"{api}/tokens", method="POST", headers=admin,
                                             body=json.dumps({"expires_in": 3600}))).body)
        mine = {"Authorization": f"token {token['token']}"}
        await http.fetch(f"{api}/server", method="POST", headers=admin, body="")
        while True:
            user = json.loads((await http.fetch(api, headers=admin)).body)
            if (user.get("servers") or {}).get("", {}).get("ready"):
                break
            await asyncio.sleep(0.25)
        self.ready = time.perf_counter() - start
        base = f"{self.hub.url}/user/{self.name}"
        session = json.loads((await http.fetch(
            f"{base}/api/sessions", method="POST", headers=mine, body=json.dumps(
                {"path": f"{WEEK}/{WEEK}.ipynb", "type": "notebook",
                 "kernel": {"name": "python3"}}))).body)
        ws_url = base.replace("http", "ws", 1) + f"/api/kernels/{session['kernel']['id']}/channels"
        socket = await websocket_connect(HTTPRequest(ws_url, headers=mine))
        try:
            for code in cells:
                if not await self._execute(socket, code):
                    return
            self.checked = time.perf_counter() - start
        finally:
            socket.close()

    async def _execute(self, socket, code: str) -> bool:
        msg_id = uuid.uuid4().hex
        socket.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.name,
                       "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        while True:
            message = await socket.read_message()
            if message is None:
                self.failure = "the kernel's connection closed"
                return False
            if not isinstance(message, str):
                continue
            message = json.loads(message)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if message.get("msg_type") == "error":
                self.failure = f"{message['content']['ename']}: {message['content']['evalue']}"
            if message.get("msg_type") == "execute_reply":
                return message["content"].get("status") == "ok" and not self.failure


def _class(size: int, cells: list[str]) -> list[Row]:
    from tornado.httpclient import AsyncHTTPClient

    learners = [f"load{n:02d}" for n in range(1, size + 1)]
    who = f"hub, {size} learner{'s' if size != 1 else ''} at once"
    with throwaway("load-teacher", learners, prefix="dl-course-hub-load-") as hub:
        progress(f"hub: {size} learners, setting up")
        hub.setup()
        for name in learners:
            home = Path(pwd.getpwnam(name).pw_dir)
            shutil.copytree(REPO / "notebooks" / WEEK, home / WEEK, dirs_exist_ok=True)
            hub._as(name, home / WEEK)
        hub.start()
        progress(f"hub: {size} learners start their labs and run week 1's checks at once")
        people = [Learner(hub, name) for name in learners]

        async def everyone():
            AsyncHTTPClient.configure(None, max_clients=2 * size)
            http = AsyncHTTPClient()
            start = time.perf_counter()
            await asyncio.gather(*(p.run(http, start, cells) for p in people),
                                 return_exceptions=True)

        asyncio.run(everyone())
        uids = {pwd.getpwnam(name).pw_uid for name in learners}
        learners_mb, kernels_mb = _rss_mb(uids)
        hub_mb = _hub_rss_mb(hub.process.pid)
    ready = [p.ready for p in people if p.ready is not None]
    checked = [p.checked for p in people if p.checked is not None]
    failed = [f"{p.name}: {p.failure or 'no ready lab'}" for p in people if p.checked is None]
    rows = [
        Row(f"{who}: start to a ready lab",
            seconds(statistics.median(ready)) if ready else "none",
            details=f"median; slowest {seconds(max(ready))}" if ready else ""),
        Row(f"{who}: start to week 1's checks passed",
            seconds(statistics.median(checked)) if checked else "none",
            details=(f"median; slowest {seconds(max(checked))}; " if checked else "")
            + f"{len(checked)} of {size} passed" + (f" ({'; '.join(failed[:3])})" if failed
                                                   else "")),
        Row(f"{who}: memory at the end",
            f"{learners_mb:.0f} MB", details=f"{learners_mb / size:.0f} MB a learner (their kernel "
            f"{kernels_mb / size:.0f} MB); the hub and its proxy {hub_mb:.0f} MB"),
    ]
    return rows


def run(repeat: int) -> list[Row]:
    if (why := why_not()) is not None:
        return [Row("hub: load on loopback", "skipped", details=why)]
    cells = _cells()
    rows = []
    for size in SIZES:
        rows += _class(size, cells)
    return rows

"""Every explorer in a real kernel: a control change sent as the browser sends it, while the
first run still trains, cancels that run; only the second's result is drawn. Waits are for
states (a cell awaiting a condition on the kernel's own event loop), never for durations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SETUP = {
    "playground": """
from tests.test_playground import REFERENCE
from course_utils.playground import Playground
explorer = Playground(**REFERENCE, n_h=30, num_iterations=50_000)  # seconds of training
""",
    "learning_rate": """
import numpy as np
from autograder.solution_code import solution_namespace
from course_utils.explore import LearningRateExplorer
week1 = solution_namespace("week1")
rng = np.random.default_rng(1)
X, X_test = rng.normal(size=(768, 2000)), rng.normal(size=(768, 100))
Y, Y_test = (X[:1] > 0).astype(float), (X_test[:1] > 0).astype(float)
explorer = LearningRateExplorer(*(week1[name] for name in LearningRateExplorer.FUNCTIONS),
                                X, Y, X_test, Y_test, num_iterations=50_000)
""",
    "depth": """
from autograder.solution_code import solution_namespace
from course_utils.depth_explorer import FUNCTIONS, DepthExplorer
week3 = solution_namespace("week3")
explorer = DepthExplorer(*(week3[name] for name in FUNCTIONS), num_iterations=20_000)
""",
    "regularization": """
from autograder.solution_code import solution_namespace
from course_utils.widgets.regularization import FUNCTIONS, RegularizationExplorer
week4 = solution_namespace("week4")
explorer = RegularizationExplorer(*(week4[name] for name in FUNCTIONS), num_iterations=50_000)
""",
    "optimizer_race": """
from autograder.solution_code import solution_namespace
from course_utils.widgets.optimizer_race import FUNCTIONS, OptimizerRace
week4 = solution_namespace("week4")
explorer = OptimizerRace(*(week4[name] for name in FUNCTIONS), num_iterations=50_000)
""",
}
COST_CURVE = """
line = explorer.costs.lines[0]
drawn = [explorer.last_run.iterations, explorer.last_run.costs]
"""
CURVES = {  # the figure's first cost curve and what the last run recorded for it
    "optimizer_race": """
line = explorer.curves["gd"]
losses = explorer.last_run.racers["gd"].losses
drawn = [list(range(len(losses))), losses]
""",
}
START = """
import asyncio, json
explorer.run()  # a cell runs on the kernel's event loop: this starts the task and returns
first = explorer.last_run
while first.iteration == 0:  # until the first run has trained a chunk
    await asyncio.sleep(0)
print(json.dumps([explorer.controls["num_iterations"].comm.comm_id, first.state]))
"""
END = """
while len(explorer.runs) < 2 or explorer.last_run.finished is None:
    await asyncio.sleep(0)
{curve}
print(json.dumps({"runs": [(r.state, r.iteration, r.settings["num_iterations"], r.finished,
                            r.first_frame, r.redraws) for r in explorer.runs],
                  "curve": [list(map(float, line.get_xdata())), list(map(float, line.get_ydata()))],
                  "costs": drawn,
                  "updates": explorer.frame.updates}))
"""


@pytest.mark.parametrize("week", sorted(SETUP))
def test_in_a_kernel_a_control_change_from_the_browser_cancels_the_run_in_progress(week):
    manager = pytest.importorskip("jupyter_client.manager")
    km, kc = manager.start_new_kernel(kernel_name="python3", startup_timeout=60,
                                      cwd=str(Path(__file__).resolve().parents[1]))
    outputs = []

    def execute(code):
        outputs.clear()
        reply = kc.execute_interactive(code, timeout=120, output_hook=outputs.append)
        assert reply["content"]["status"] == "ok", reply["content"]
        return "".join(m["content"].get("text", "") for m in outputs
                       if m["msg_type"] == "stream")

    try:
        execute(SETUP[week])
        comm_id, state = json.loads(execute(START))
        assert state == "running", "the first run is still training"
        kc.shell_channel.send(kc.session.msg("comm_msg", {"comm_id": comm_id, "data": {
            "method": "update", "state": {"value": 500}, "buffer_paths": []}}))
        seen = json.loads(execute(END.replace("{curve}", CURVES.get(week, COST_CURVE))))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    first, second = seen["runs"]
    assert first[0] == "cancelled" and 0 < first[1] < first[2]
    assert second[0] == "done" and second[1] == second[2] == 500
    assert first[3] <= second[4], "the stale run stopped before the new one drew"
    assert seen["updates"] == first[5] + second[5], "every frame is one of these runs'"
    assert seen["curve"] == [[float(i) for i in seen["costs"][0]], seen["costs"][1]], \
        "the figure shows the second run's costs"

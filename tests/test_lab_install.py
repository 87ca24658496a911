"""The environment `make lab` opens: nbgrader and widgets extensions on, plot-safe settings.

Runs the `jupyter` of the interpreter running the tests (.venv/bin/jupyter); the extension
lists are parsed from its output (`labextension list` prints to stderr, with colours).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.labsettings import OVERRIDES, PLUGIN, overrides_path

BIN = Path(sys.executable).parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")
LAB_EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "@jupyter/nbgrader"]
SERVER_EXTENSIONS = [
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.validate_assignment",
]


def jupyter(*args: str) -> str:
    """stdout + stderr of `jupyter ARGS`, colours stripped."""
    exe = BIN / "jupyter"
    if not exe.exists():
        pytest.fail(f"{exe} not found: install the course with `make lab` (pip install -e .)")
    proc = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return ANSI.sub("", proc.stdout + proc.stderr)


def test_lab_extensions_are_enabled_and_ok() -> None:
    listing = jupyter("labextension", "list")
    for name in LAB_EXTENSIONS:
        lines = [ln for ln in listing.splitlines() if ln.split()[:1] == [name]]
        assert lines, f"{name} is not installed:\n{listing}"
        words = lines[0].split()
        assert "enabled" in words and "OK" in words, lines[0]


def test_nbgrader_server_extensions_are_enabled_and_ok() -> None:
    listing = jupyter("server", "extension", "list")
    for name in SERVER_EXTENSIONS:
        pattern = re.escape(name)
        assert re.search(rf"^\s*{pattern}\s+enabled\s*$", listing, re.M), (
            f"{name} is not enabled:\n{listing}")
        assert re.search(rf"^\s*{pattern}\s+.*\bOK\b", listing, re.M), (
            f"{name} does not validate:\n{listing}")


def test_install_lab_settings_writes_the_override_jupyterlab_reads() -> None:
    # what the Makefile runs after installing the package
    proc = subprocess.run([sys.executable, "-m", "autograder", "install-lab-settings"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    path = overrides_path()
    assert path == Path(sys.prefix) / "share/jupyter/lab/settings/overrides.json"
    assert json.loads(path.read_text())[PLUGIN]["commsOverSubshells"] == "disabled"

    # and JupyterLab's own settings code sees it as the default for that plugin
    from jupyterlab.commands import get_app_dir
    from jupyterlab_server.settings_utils import get_settings

    app = Path(get_app_dir())
    assert app / "settings" == path.parent
    with tempfile.TemporaryDirectory() as user_settings:
        result, _ = get_settings(str(app / "settings"), str(app / "schemas"), user_settings,
                                 schema_name=PLUGIN)
    assert result["schema"]["properties"]["commsOverSubshells"]["default"] == "disabled"


def test_install_lab_settings_merges_into_an_existing_file(tmp_path, capsys) -> None:
    path = overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    existing = {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        PLUGIN: {"someOtherSetting": 3, "commsOverSubshells": "perCommTarget"},
    }
    path.write_text(json.dumps(existing))
    assert main(["install-lab-settings", "--prefix", str(tmp_path)]) == 0
    merged = json.loads(path.read_text())
    assert merged["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert merged[PLUGIN] == {"someOtherSetting": 3, **OVERRIDES[PLUGIN]}
    first = path.read_bytes()
    assert main(["install-lab-settings", "--prefix", str(tmp_path)]) == 0
    assert path.read_bytes() == first
    assert "already set" in capsys.readouterr().out


def test_install_lab_settings_refuses_to_overwrite_a_broken_file(tmp_path, capsys) -> None:
    path = overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text('{"a": 1,,}')
    assert main(["install-lab-settings", "--prefix", str(tmp_path)]) == 2
    assert "is not valid JSON (line 1" in capsys.readouterr().err
    assert path.read_text() == '{"a": 1,,}'


def test_course_kernel_keeps_a_core_free_for_jupyterlab_and_the_browser(tmp_path) -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    from autograder.labsettings import kernel_env, kernel_spec_path

    env = KernelSpecManager().get_kernel_spec("python3").env
    assert env.get("OPENBLAS_NUM_THREADS") == kernel_env()["OPENBLAS_NUM_THREADS"]
    assert main(["install-lab-settings", "--prefix", str(tmp_path)]) == 0
    spec = json.loads(kernel_spec_path(tmp_path).read_text())
    assert spec["env"] == kernel_env() and "ipykernel_launcher" in spec["argv"]

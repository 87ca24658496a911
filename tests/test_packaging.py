"""pyproject.toml and environment.yml name the same dependencies with the same versions."""

from __future__ import annotations

import re
import tomllib

import yaml

from autograder.solution_code import REPO


def _normalise(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    wanted = dict(map(_normalise, requirements))
    wanted["python"] = project["requires-python"]
    env = yaml.safe_load((REPO / "environment.yml").read_text())["dependencies"]
    conda = dict(_normalise(d) for d in env if isinstance(d, str) and d != "pip")
    pip = [d for entry in env if isinstance(entry, dict) for d in entry.get("pip", [])]
    conda.update(_normalise(d) for d in pip if not d.startswith("-"))  # pip-only packages
    assert conda == wanted


def test_readme_names_exactly_the_two_setup_commands():
    readme = (REPO / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in ci

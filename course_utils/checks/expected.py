"""Expected values of the visible checks: generated from the solution notebooks by
`python -m autograder expected`, stored as JSON next to this package, never edited by hand."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

EXPECTED_DIR = Path(__file__).resolve().parents[1] / "expected"


def encode(value):
    """Turns a function's output into JSON-safe data that keeps arrays, tuples and floats."""
    if isinstance(value, np.ndarray):
        return {"array": value.tolist(), "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return {"numpy": value.item(), "dtype": str(value.dtype)}
    if isinstance(value, dict):
        return {"dict": {str(k): encode(v) for k, v in value.items()}}
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return {"list": [encode(v) for v in value]}
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    raise TypeError(f"cannot store a {type(value).__name__} as an expected value")


def decode(data):
    """The inverse of `encode`."""
    if not isinstance(data, dict):
        return data
    if "array" in data:
        return np.array(data["array"], dtype=data["dtype"]).reshape(data["shape"])
    if "numpy" in data:
        return np.dtype(data["dtype"]).type(data["numpy"])
    if "dict" in data:
        return {k: decode(v) for k, v in data["dict"].items()}
    if "tuple" in data:
        return tuple(decode(v) for v in data["tuple"])
    if "list" in data:
        return [decode(v) for v in data["list"]]
    raise ValueError(f"unknown expected-value record {sorted(data)}")


def path_for(week: str) -> Path:
    return EXPECTED_DIR / f"{week}.json"


@cache
def _load(week: str) -> dict:
    path = path_for(week)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: the course installation is incomplete. "
            "Re-clone the course or run `python -m autograder expected`."
        )
    return json.loads(path.read_text())


def expected(week: str, function: str) -> list:
    """The stored outputs of `function`, one per case, in case order."""
    return [decode(v) for v in _load(week)[function]]

"""Expected values of the visible checks, generated from the solution notebooks by `python -m
autograder expected` (never edited by hand): one JSON file per week next to this package,
`{function: [output of each case]}`, one array per line. A float64 array is a nested list;
numbers, strings, booleans, null and dicts stand for themselves; the rest is tagged: {"tuple":
[...]}, {"list": [...]}, {"<dtype>": nested list} for another array (with "shape" when empty),
{"np.<dtype>": number} for a numpy scalar. "@path" is an array with the numbers of one of the
case's inputs ("@caches/0/0/1") or of one stored before for the same function ("@#2/1/Z1": case
2's output, item 1, key "Z1"), and {"@path": shape} the same numbers reshaped, so a cache never
repeats its inputs. A stored number has the fewest digits that keep it within RTOL (or ATOL near
0) of the solution's; `encode` alone is exact."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

EXPECTED_DIR = Path(__file__).resolve().parents[1] / "expected"
RTOL = 1e-7  # a tenth of what the checks allow (rtol 1e-6)
ATOL = 1e-9  # and a tenth of their atol (1e-8), for numbers near 0
WIDTH = 100  # a container shorter than this stays on one line
CONTAINERS = ("tuple", "list", "dict")


def _key(array: np.ndarray) -> tuple:
    return array.dtype.str, array.tobytes()


def _arrays(value, path: str = ""):
    """(path, array) for every array inside a value, e.g. ("caches/0/0/1", W1)."""
    if isinstance(value, np.ndarray):
        yield path, value
    items = value.items() if isinstance(value, dict) else (
        enumerate(value) if isinstance(value, list | tuple) else ())
    for k, v in items:
        yield from _arrays(v, f"{path}/{k}" if path else str(k))


def _numbers(x, rtol: float | None, in_array: bool = False):
    """Each float with the fewest digits that keep it within `rtol` of itself (ATOL near 0);
    an array's whole numbers as integers."""
    if isinstance(x, list):
        return [_numbers(v, rtol, in_array) for v in x]
    if not isinstance(x, float) or rtol is None or not np.isfinite(x):
        return x
    x = next(y for y in (float(f"{x:.{d}e}") for d in range(17))
             if abs(y - x) <= max(rtol * abs(x), ATOL))
    return int(x) if in_array and x.is_integer() and abs(x) < 1e15 else x


def _is_tag(key: str) -> bool:
    return key in CONTAINERS or key.startswith(("np.", "@")) or (
        key in np.sctypeDict and np.dtype(key).name == key)


def encode(value, path: str = "#0", seen: dict | None = None, rtol: float | None = None):
    """JSON-safe data that keeps arrays, tuples and numpy scalars; an array whose numbers are
    in `seen` (key -> (path, shape)) becomes a reference, a new one is added to it."""
    seen = {} if seen is None else seen
    if isinstance(value, np.ndarray):
        if _key(value) in seen:
            ref, shape = seen[_key(value)]
            return "@" + ref if shape == value.shape else {"@" + ref: value.shape}
        seen[_key(value)] = path, value.shape
        numbers = _numbers(value.tolist(), rtol, in_array=True)
        if value.dtype == np.float64 and value.ndim and value.size:
            return numbers
        return {str(value.dtype): numbers, **({"shape": value.shape} if not value.size else {})}
    if isinstance(value, np.generic):
        return {f"np.{value.dtype}": _numbers(value.item(), rtol)}
    if isinstance(value, dict):
        inner = {str(k): encode(v, f"{path}/{k}", seen, rtol) for k, v in value.items()}
        return {"dict": inner} if inner and _is_tag(next(iter(inner))) else inner
    if isinstance(value, list | tuple):
        items = [encode(v, f"{path}/{i}", seen, rtol) for i, v in enumerate(value)]
        return {type(value).__name__: items}
    if isinstance(value, bool | int | float | str) or value is None:
        if isinstance(value, str) and value.startswith("@"):
            raise ValueError(f"cannot store the text {value!r}: '@' starts a reference")
        return _numbers(value, rtol)
    raise TypeError(f"cannot store a {type(value).__name__} as an expected value")


def decode(data, path: str = "#0", seen: dict | None = None):
    """The inverse of `encode`; `seen` maps the paths of known arrays to them."""
    seen = {} if seen is None else seen
    if isinstance(data, str) and data.startswith("@"):
        data = {data: np.shape(seen[data[1:]])}
    if isinstance(data, list):
        seen[path] = np.array(data, dtype=np.float64)
        return seen[path]
    if not isinstance(data, dict) or not data:
        return data
    tag, inner = next(iter(data.items()))
    if tag == "dict" or not _is_tag(tag):
        inner = inner if tag == "dict" else data
        return {k: decode(v, f"{path}/{k}", seen) for k, v in inner.items()}
    if tag in CONTAINERS:
        items = [decode(v, f"{path}/{i}", seen) for i, v in enumerate(inner)]
        return tuple(items) if tag == "tuple" else items
    if tag.startswith("np."):
        return np.dtype(tag[3:]).type(inner)
    array = np.array(seen[tag[1:]]) if tag.startswith("@") else np.array(inner, dtype=tag)
    seen[path] = array.reshape(inner if tag.startswith("@") else data.get("shape", array.shape))
    return seen[path]


def _in_scope(seen: dict, case: dict, by_key: bool) -> dict:
    """What a case's output may refer to: the earlier outputs and this case's inputs."""
    earlier = {k: v for k, v in seen.items() if (v[0] if by_key else k).startswith("#")}
    if by_key:
        return earlier | {_key(a): (p, a.shape) for p, a in reversed(list(_arrays(case)))}
    return earlier | dict(_arrays(case))


def encode_outputs(cases: list[dict], outputs: list, rtol: float | None = RTOL) -> list:
    seen, stored = {}, []
    for index, (case, output) in enumerate(zip(cases, outputs, strict=True)):
        seen = _in_scope(seen, case, by_key=True)
        stored.append(encode(output, f"#{index}", seen, rtol))
    return stored


def dumps(data: dict[str, list]) -> str:
    """The text of a week's file: one function per key, one case and one array per line."""
    return "{\n" + ",\n".join(f"{json.dumps(name)}:[\n" + ",\n".join(map(_layout, outputs))
                              + "]" for name, outputs in data.items()) + "\n}\n"


def _layout(value) -> str:
    """An array, a number or anything short on one line; a longer container one item a line."""
    flat = json.dumps(value, separators=(",", ":"))
    tag = next(iter(value), None) if isinstance(value, dict) else None
    if tag is None or len(flat) < WIDTH or _is_tag(tag) and tag not in CONTAINERS:
        return flat
    if tag in ("tuple", "list"):
        return f'{{"{tag}":[\n' + ",\n".join(map(_layout, value[tag])) + "]}"
    inner = value["dict"] if tag == "dict" else value
    text = "{\n" + ",\n".join(f"{json.dumps(k)}:{_layout(v)}" for k, v in inner.items()) + "}"
    return f'{{"dict":{text}}}' if tag == "dict" else text


def path_for(week: str) -> Path:
    return EXPECTED_DIR / f"{week}.json"


@cache
def _load(week: str) -> dict:
    path = path_for(week)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the course installation is incomplete. "
                                "Re-clone the course or run `python -m autograder expected`.")
    return json.loads(path.read_text())


def expected(week: str, function: str, cases: list[dict]) -> list:
    seen, outputs = {}, []
    for index, (case, data) in enumerate(zip(cases, _load(week)[function], strict=True)):
        seen = _in_scope(seen, case, by_key=False)
        outputs.append(decode(data, f"#{index}", seen))
    return outputs

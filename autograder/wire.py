"""Values passed between the grader and a notebook's kernel as files that hold data only.

`dump` writes a value made of None, bools, numbers, strings, bytes, numpy arrays and scalars,
and tuples, lists, sets and dicts of these into one .npz file; anything else is written as an
`Opaque` stand-in naming its type. `load` reads it back with numpy's `allow_pickle=False`: a
file written by hostile code can hold wrong values, never code, and never an object whose
comparisons lie. Imported by the kernel's agent (autograder.agent) and by the grader.
"""

from __future__ import annotations

import base64
import json
import math

import numpy as np

TREE = "__tree__"
MAX_DEPTH = 64


class Opaque:
    """What a value that is not data became on the way: it equals nothing but itself."""

    def __init__(self, type_name: str, text: str):
        self.type_name, self.text = type_name, text

    def __repr__(self) -> str:
        return f"<{self.type_name} {self.text}>"


class WireError(ValueError):
    """A file that does not hold a value `dump` writes."""


def _encode(value, arrays: dict, depth: int = 0):
    if depth > MAX_DEPTH:
        raise WireError(f"a value nested more than {MAX_DEPTH} levels deep")
    deeper = depth + 1
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int) and not isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float) and not isinstance(value, np.floating):
        return float(value) if math.isfinite(value) else {"__float__": repr(float(value))}
    if isinstance(value, complex):
        return {"__complex__": [_encode(value.real, arrays), _encode(value.imag, arrays)]}
    if isinstance(value, np.ndarray) and value.dtype.kind not in "OV":
        key = f"a{len(arrays)}"
        arrays[key] = np.asarray(value)
        return {"__array__": key, "writeable": bool(value.flags.writeable)}
    if isinstance(value, np.generic) and np.asarray(value).dtype.kind not in "OV":
        key = f"a{len(arrays)}"
        arrays[key] = np.asarray(value)
        return {"__scalar__": key}
    if isinstance(value, (bytes, bytearray)):
        return {"__bytes__": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, arrays, deeper) for v in value]}
    if isinstance(value, list):
        return [_encode(v, arrays, deeper) for v in value]
    if isinstance(value, (set, frozenset)):
        return {"__set__": [_encode(v, arrays, deeper) for v in value]}
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k, arrays, deeper), _encode(v, arrays, deeper)]
                             for k, v in value.items()]}
    if isinstance(value, Opaque):
        return {"__opaque__": value.type_name, "text": value.text}
    try:
        text = repr(value)[:200]
    except Exception:  # noqa: BLE001 - a repr that fails is still named by its type
        text = "(no repr)"
    return {"__opaque__": type(value).__qualname__, "text": text}


def _decode(node, arrays, depth: int = 0):
    if depth > MAX_DEPTH:
        raise WireError("a value nested too deep")
    deeper = depth + 1
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if isinstance(node, list):
        return [_decode(v, arrays, deeper) for v in node]
    if not isinstance(node, dict) or len(node) not in (1, 2):
        raise WireError(f"unexpected node {str(node)[:80]}")
    if "__array__" in node:
        array = np.array(arrays[str(node["__array__"])])
        array.flags.writeable = bool(node.get("writeable", True))
        return array
    if "__scalar__" in node:
        return np.asarray(arrays[str(node["__scalar__"])])[()]
    if "__float__" in node:
        return float(str(node["__float__"]))
    if "__complex__" in node:
        real, imag = (_decode(v, arrays, deeper) for v in node["__complex__"])
        return complex(float(real), float(imag))
    if "__bytes__" in node:
        return base64.b64decode(str(node["__bytes__"]))
    if "__tuple__" in node:
        return tuple(_decode(v, arrays, deeper) for v in node["__tuple__"])
    if "__set__" in node:
        return {_decode(v, arrays, deeper) for v in node["__set__"]}
    if "__dict__" in node:
        return {_decode(k, arrays, deeper): _decode(v, arrays, deeper)
                for k, v in node["__dict__"]}
    if "__opaque__" in node:
        return Opaque(str(node["__opaque__"])[:100], str(node.get("text", ""))[:200])
    raise WireError(f"unexpected node {str(node)[:80]}")


def dump(value, path) -> None:
    """Write `value` (data, see the module's docstring) to the .npz file `path`."""
    arrays: dict = {}
    tree = json.dumps(_encode(value, arrays), allow_nan=False)
    with open(path, "wb") as fh:
        np.savez(fh, **{TREE: np.frombuffer(tree.encode("utf-8"), np.uint8)}, **arrays)


def load(path):
    """The value in the .npz file `path`; WireError if it holds anything else."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
        tree = json.loads(bytes(arrays.pop(TREE)).decode("utf-8"))
        return _decode(tree, arrays)
    except WireError:
        raise
    except Exception as failure:  # noqa: BLE001 - whatever a broken file raises
        raise WireError(f"{type(failure).__name__}: {failure}") from None

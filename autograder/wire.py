"""Values passed between the grader and a notebook's kernel as bytes that hold data only.

`pack` turns a value made of None, bools, numbers, strings, bytes, numpy arrays and scalars,
and tuples, lists, sets and dicts of these into bytes: a JSON tree, then each array's raw
bytes; anything else is packed as an `Opaque` stand-in naming its type. `unpack` reads them
back, building arrays of plain dtypes only (no object or structured dtype, so no pickle): bytes
written by hostile code can hold wrong values, never code, and never an object whose
comparisons lie. `send`/`receive` frame them on a socket, `dump`/`load` keep them in a file.
Imported by the kernel's agent (autograder.agent) and by the grader.
"""

from __future__ import annotations

import base64
import json
import math
import os
import struct

import numpy as np

MAGIC = b"course-wire-1\n"
MAX_DEPTH = 64
MAX_BYTES = 1 << 30  # a message larger than this is refused (1 GiB)


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


def _plain_dtype(text: str) -> np.dtype:
    dtype = np.dtype(str(text))
    if dtype.hasobject or dtype.kind in "OV" or dtype.fields is not None:
        raise WireError(f"an array of dtype {text!r}, which is not plain data")
    return dtype


def pack(value) -> bytes:
    """`value` (data, see the module's docstring) as bytes."""
    arrays: dict = {}
    tree = _encode(value, arrays)
    table, chunks, offset = [], [], 0
    for array in arrays.values():
        data = np.ascontiguousarray(array).tobytes()
        table.append([array.dtype.str, list(array.shape), offset, len(data)])
        chunks.append(data)
        offset += len(data)
    head = json.dumps({"tree": tree, "arrays": table}, allow_nan=False).encode("utf-8")
    return b"".join([MAGIC, struct.pack("<Q", len(head)), head, *chunks])


def unpack(data: bytes):
    """The value in `data`, bytes `pack` made; WireError if they hold anything else."""
    try:
        if not data.startswith(MAGIC):
            raise WireError("not a packed value")
        at = len(MAGIC) + 8
        (size,) = struct.unpack_from("<Q", data, len(MAGIC))
        head = json.loads(bytes(data[at:at + size]).decode("utf-8"))
        body, arrays = memoryview(data)[at + size:], {}
        for key, (dtype, shape, offset, nbytes) in enumerate(head["arrays"]):
            dtype, shape = _plain_dtype(dtype), tuple(int(n) for n in shape)
            offset, nbytes = int(offset), int(nbytes)
            if min(shape, default=0) < 0 or nbytes != int(np.prod(shape)) * dtype.itemsize \
                    or offset < 0 or offset + nbytes > len(body):
                raise WireError(f"array {key} does not fit its bytes")
            arrays[f"a{key}"] = np.frombuffer(body[offset:offset + nbytes], dtype).reshape(shape)
        return _decode(head["tree"], arrays)
    except WireError:
        raise
    except Exception as failure:  # noqa: BLE001 - whatever broken bytes raise
        raise WireError(f"{type(failure).__name__}: {failure}") from None


def dump(value, path) -> None:
    """Write `value` (data, see the module's docstring) to the file `path`."""
    with open(path, "wb") as fh:
        fh.write(pack(value))


def load(path):
    """The value in the file `path`; WireError if it holds anything else."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as failure:
        raise WireError(f"{type(failure).__name__}: {failure}") from None
    return unpack(data)


def send(sock, value) -> None:
    """`value`, packed, on the connected socket `sock`, after its length."""
    data = pack(value)
    sock.sendall(struct.pack("<Q", len(data)) + data)


def _exactly(sock, count: int) -> bytes:
    buffer = bytearray(count)
    view, got = memoryview(buffer), 0
    while got < count:
        n = sock.recv_into(view[got:])
        if not n:
            raise EOFError("the other side closed the connection")
        got += n
    return bytes(buffer)


def receive(sock):
    """The next value `send` put on `sock`; EOFError when it closed, WireError when it sent
    something else or more than MAX_BYTES."""
    (size,) = struct.unpack("<Q", _exactly(sock, 8))
    if size > MAX_BYTES:
        raise WireError(f"a message of {size} bytes, more than the {MAX_BYTES} allowed")
    return unpack(_exactly(sock, size))


def at(address: str, act) -> None:
    """`act(path)` (a Unix socket's bind or connect) for the socket file `address`: through
    /proc/self/fd/ where the path is too long for a socket's address (108 bytes)."""
    if len(os.fsencode(address)) < 100 or not os.path.isdir("/proc/self/fd"):
        act(address)
        return
    folder, name = os.path.split(address)
    fd = os.open(folder, os.O_RDONLY)
    try:
        act(f"/proc/self/fd/{fd}/{name}")
    finally:
        os.close(fd)

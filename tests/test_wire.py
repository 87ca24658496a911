"""autograder.wire: what travels between the grader and a kernel is data, and comes back equal."""

from __future__ import annotations

import json
import socket
import struct
import threading

import numpy as np
import pytest

from autograder import wire
from course_utils.checks.core import same_value


class Lies:
    """An object whose comparisons lie: it must arrive as an Opaque that equals nothing."""

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


VALUES = {
    "floats": np.linspace(-1, 1, 12).reshape(3, 4),
    "fortran order": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    "a strided view": np.arange(20)[::3],
    "ints": np.arange(5, dtype=np.int32),
    "bools": np.array([True, False]),
    "complex": np.array([1 + 2j, np.nan]),
    "unicode": np.array(["cat", "dog"]),
    "bytes array": np.array([b"ab", b"c"]),
    "empty": np.zeros((0, 3)),
    "0-d": np.array(2.5),
    "scalar": np.float32(1.5),
    "int scalar": np.int64(-3),
    "python numbers": [1, 2.5, float("inf"), float("-inf"), 3 + 4j, True, None],
    "bytes": b"\x00\xff",
    "nested": {"W1": np.ones((2, 2)), ("key", 1): [np.zeros(1), (1, "a")], 3: {"deep": {}}},
    "a set": {1, 2, "three"},
}


@pytest.mark.parametrize("name", VALUES)
def test_a_value_comes_back_equal_and_of_its_type(name):
    value = VALUES[name]
    back = wire.unpack(wire.pack(value))
    assert same_value(back, value)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape
        assert back.flags.writeable


def test_nan_and_read_only_flags_survive():
    frozen = np.array([np.nan, 1.0])
    frozen.flags.writeable = False
    back = wire.unpack(wire.pack([frozen, float("nan")]))
    assert np.isnan(back[0][0]) and not back[0].flags.writeable
    assert back[1] != back[1]


@pytest.mark.parametrize("value", [Lies(), np.array([Lies(), 1], dtype=object),
                                   np.zeros(2, dtype=[("a", "<f8")]), lambda: 1])
def test_what_is_not_data_arrives_as_an_opaque_that_equals_nothing(value):
    back = wire.unpack(wire.pack(value))
    assert isinstance(back, wire.Opaque)
    assert not isinstance(back, type(value)) and back != wire.Opaque(back.type_name, back.text)
    assert type(value).__qualname__ in repr(back)


def _forged(arrays: list, tree, body: bytes = b"") -> bytes:
    head = json.dumps({"tree": tree, "arrays": arrays}).encode()
    return wire.MAGIC + struct.pack("<Q", len(head)) + head + body


@pytest.mark.parametrize("data, why", [
    (b"PK\x03\x04 a zip file", "not a packed value"),
    (_forged([["|O", [1], 0, 8]], {"__array__": "a0"}, b"\x00" * 8), "not plain data"),
    (_forged([["|V8", [1], 0, 8]], {"__array__": "a0"}, b"\x00" * 8), "not plain data"),
    (_forged([["<f8", [2], 0, 8]], {"__array__": "a0"}, b"\x00" * 8), "does not fit"),
    (_forged([["<f8", [1], 8, 8]], {"__array__": "a0"}, b"\x00" * 8), "does not fit"),
    (_forged([["<f8", [-1], 0, 8]], {"__array__": "a0"}, b"\x00" * 8), "does not fit"),
    (_forged([], {"__pickle__": "cos\nsystem\n"}), "unexpected node"),
    (_forged([], {"__array__": "a7"}), "KeyError"),
    (wire.pack([1, 2, 3])[:-3], "JSONDecodeError"),
], ids=["zip", "object", "void", "short", "past-the-end", "negative", "pickle", "no-array",
        "cut"])
def test_bytes_that_are_not_a_packed_value_are_refused_by_name(data, why):
    with pytest.raises(wire.WireError, match=why):
        wire.unpack(data)


def test_a_value_nested_too_deep_is_refused_both_ways():
    deep: list = []
    for _ in range(wire.MAX_DEPTH + 2):
        deep = [deep]
    with pytest.raises(wire.WireError, match="nested"):
        wire.pack(deep)
    tree: object = 1
    for _ in range(wire.MAX_DEPTH + 2):
        tree = [tree]
    with pytest.raises(wire.WireError, match="too deep"):
        wire.unpack(_forged([], tree))


def test_files_keep_a_value(tmp_path):
    wire.dump({"rng": np.random.RandomState(0).get_state()}, tmp_path / "v")
    state = wire.load(tmp_path / "v")["rng"]
    assert same_value(list(state), list(np.random.RandomState(0).get_state()))
    with pytest.raises(wire.WireError, match="FileNotFoundError"):
        wire.load(tmp_path / "missing")


def test_a_socket_carries_values_framed_and_refuses_a_huge_one(monkeypatch):
    left, right = socket.socketpair()
    with left, right:
        values = [np.arange(200_000.0), {"op": "done"}]
        sender = threading.Thread(target=lambda: [wire.send(left, v) for v in values])
        sender.start()
        assert same_value(wire.receive(right), values[0])
        assert wire.receive(right) == values[1]
        sender.join()
        monkeypatch.setattr(wire, "MAX_BYTES", 100)
        wire.send(left, np.zeros(100))
        with pytest.raises(wire.WireError, match="more than the 100 allowed"):
            wire.receive(right)
    left, right = socket.socketpair()
    with right:
        left.sendall(struct.pack("<Q", 50) + b"only part of it")
        left.close()
        with pytest.raises(EOFError):
            wire.receive(right)


def test_a_socket_in_a_folder_too_long_for_its_address_still_connects(tmp_path):
    folder = tmp_path / ("f" * 120)
    folder.mkdir()
    address = str(folder / "agent.sock")
    assert len(address) > 108
    with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
        wire.at(address, server.bind)
        server.listen(1)
        wire.at(address, client.connect)
        accepted, _ = server.accept()
        with accepted:
            wire.send(client, "hello")
            assert wire.receive(accepted) == "hello"

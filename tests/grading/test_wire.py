"""Unit tests of ``coursegrade.wire``: framing, values, refusals, size caps, in-place updates.

No sandbox and no kernel: messages go through an ``io.BytesIO`` or an ``os.pipe()``.
The size caps are monkeypatched small, so nothing here allocates more than a few MiB.
"""

import io
import json
import math
import os
import struct
import threading
from pathlib import Path

import numpy as np
import pytest

from coursegrade import wire

NUMERIC_DTYPES = sorted(set(np.typecodes["AllInteger"] + np.typecodes["AllFloat"] + "?"))


# --- helpers ---------------------------------------------------------------------------------

def frame(value, **encoder_kwargs):
    """``value`` encoded and framed as one message: (bytes, encoder)."""
    encoder = wire.Encoder(**encoder_kwargs)
    header = {"op": "return", "value": encoder.encode(value)}
    header["nbuf"] = len(encoder.buffers)
    out = io.BytesIO()
    wire.write_message(out, header, encoder.buffers)
    return out.getvalue(), encoder


def roundtrip(value, **decoder_kwargs):
    """``value`` encoded, framed, read back from bytes (through JSON) and decoded."""
    data, _ = frame(value)
    header, buffers = wire.read_message(io.BytesIO(data))
    return wire.Decoder(buffers, **decoder_kwargs).decode(header["value"])


def raw_frame(header_bytes, buffers=()):
    """A frame written by hand (for headers the writer would never produce)."""
    parts = [struct.pack(">I", len(header_bytes)), header_bytes]
    for buf in buffers:
        parts += [struct.pack(">Q", len(buf)), buf]
    return b"".join(parts)


class Trickle(io.RawIOBase):
    """A stream that returns at most ``chunk`` bytes per read, as a pipe may."""

    def __init__(self, data, chunk=1):
        self.data, self.pos, self.chunk = data, 0, chunk

    def readable(self):
        return True

    def read(self, n=-1):
        n = self.chunk if n < 0 else min(n, self.chunk)
        out = self.data[self.pos:self.pos + n]
        self.pos += len(out)
        return out


def assert_same_array(got, expected):
    assert type(got) is np.ndarray
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape
    assert np.array_equal(got, expected, equal_nan=expected.dtype.kind in "fc")


# --- framing ---------------------------------------------------------------------------------

def test_message_round_trip_in_memory():
    out = io.BytesIO()
    wire.write_message(out, {"op": "call", "name": "f", "nbuf": 2}, [b"abc", memoryview(b"")])
    wire.write_message(out, {"op": "bye"})
    data = out.getvalue()
    # 4-byte big-endian header length, the JSON header, then each buffer with an 8-byte length.
    (size,) = struct.unpack(">I", data[:4])
    assert json.loads(data[4:4 + size]) == {"op": "call", "name": "f", "nbuf": 2}
    assert data[4 + size:4 + size + 11] == struct.pack(">Q", 3) + b"abc"

    stream = io.BytesIO(data)
    assert wire.read_message(stream) == ({"op": "call", "name": "f", "nbuf": 2}, [b"abc", b""])
    assert wire.read_message(stream) == ({"op": "bye"}, [])
    with pytest.raises(EOFError):
        wire.read_message(stream)


def test_buffers_are_written_as_raw_bytes_of_any_buffer_type():
    array = np.arange(6, dtype="<i2").reshape(2, 3)
    out = io.BytesIO()
    wire.write_message(out, {"nbuf": 3}, [array, bytearray(b"xy"), memoryview(b"z")])
    _, buffers = wire.read_message(io.BytesIO(out.getvalue()))
    assert buffers == [array.tobytes(), b"xy", b"z"]


def test_short_reads_are_completed():
    data, _ = frame({"a": np.arange(100.0), "b": "text"})
    for chunk in (1, 7):
        stream = Trickle(data, chunk=chunk)
        header, buffers = wire.read_message(stream)
        value = wire.Decoder(buffers).decode(header["value"])
        assert_same_array(value["a"], np.arange(100.0))
        assert value["b"] == "text" and stream.pos == len(data)


def test_message_round_trip_over_a_pipe():
    """Larger than the pipe's buffer, so writer and reader must take turns."""
    big = np.random.default_rng(0).standard_normal(300_000)          # 2.4 MB, a pipe holds 64 KiB
    read_fd, write_fd = os.pipe()
    errors = []

    def write():
        try:
            with os.fdopen(write_fd, "wb") as writer:
                for i in range(3):
                    encoder = wire.Encoder()
                    header = {"op": "return", "i": i, "value": encoder.encode((big, [i, "x"]))}
                    header["nbuf"] = len(encoder.buffers)
                    wire.write_message(writer, header, encoder.buffers)
        except BaseException as error:  # noqa: BLE001 -- reported by the test below
            errors.append(error)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    with os.fdopen(read_fd, "rb", buffering=0) as reader:   # raw: reads come back short
        for i in range(3):
            header, buffers = wire.read_message(reader)
            assert header["i"] == i
            array, rest = wire.Decoder(buffers).decode(header["value"])
            assert_same_array(array, big)
            assert rest == [i, "x"]
        thread.join(10)
        with pytest.raises(EOFError, match="closed the channel"):
            wire.read_message(reader)               # writer closed its end
    assert not errors


@pytest.mark.parametrize("cut", [0, 2, 4, 10, -12, -3])
def test_truncated_stream_is_eof(cut):
    data, _ = frame([np.arange(3.0)])
    assert len(data) > 30
    with pytest.raises(EOFError, match="closed the channel"):
        wire.read_message(io.BytesIO(data[:cut]))


@pytest.mark.parametrize("header, message", [
    (b"\xff\xfe{}", "not JSON"),
    (b"{'op': 1}", "not JSON"),
    (b"[1, 2]", "not an object"),
    (b'"op"', "not an object"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"nbuf": -1}', "bad buffer count"),
    (b'{"nbuf": "2"}', "bad buffer count"),
    (b'{"nbuf": 1.0}', "bad buffer count"),
    (b'{"nbuf": 100001}', "bad buffer count"),
])
def test_malformed_headers_are_refused(header, message):
    with pytest.raises(wire.WireError, match=message):
        wire.read_message(io.BytesIO(raw_frame(header)))


def test_header_size_cap(monkeypatch):
    monkeypatch.setattr(wire, "MAX_HEADER_BYTES", 64)
    fits = json.dumps({"op": "x" * 48}).encode()
    assert len(fits) <= 64
    assert wire.read_message(io.BytesIO(raw_frame(fits)))[0] == {"op": "x" * 48}
    # Refused from the length alone: the header itself is never read.
    with pytest.raises(wire.WireError, match="over the 64-byte limit"):
        wire.read_message(io.BytesIO(struct.pack(">I", 65)))
    with pytest.raises(wire.WireError, match="over the 64-byte limit"):
        wire.read_message(io.BytesIO(struct.pack(">I", 2**32 - 1)))


def test_total_size_cap(monkeypatch):
    monkeypatch.setattr(wire, "MAX_TOTAL_BYTES", 1000)
    header = b'{"nbuf":2}'
    exactly = raw_frame(header, [b"a" * 500, b"b" * (500 - len(header))])
    assert wire.read_message(io.BytesIO(exactly))[1][1] == b"b" * (500 - len(header))
    over = raw_frame(header, [b"a" * 500, b"b" * (501 - len(header))])
    with pytest.raises(wire.WireError, match="more than"):
        wire.read_message(io.BytesIO(over))


def test_total_size_cap_is_checked_before_reading():
    """A length prefix of 1 TiB is refused at once, not read (or waited for)."""
    data = raw_frame(b'{"nbuf":1}') + struct.pack(">Q", 2**40)
    with pytest.raises(wire.WireError, match="more than"):
        wire.read_message(io.BytesIO(data))


def test_size_cap_counts_all_buffers(monkeypatch):
    monkeypatch.setattr(wire, "MAX_TOTAL_BYTES", 100)
    data, _ = frame([np.zeros(5), np.zeros(5)])          # 2 x 40 bytes + a header of more than 20
    with pytest.raises(wire.WireError, match="more than"):
        wire.read_message(io.BytesIO(data))


# --- values: what travels ---------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 2**62, 2**63, -2**63, -2**200, 10**30, 0.1, -0.0, 1e308, 5e-324,
    "", "text with \u00e9 and \U0001f600", b"", b"\x00\xff raw", 1 + 2j, complex(-0.5, 3e300),
    range(2, 11, 3), range(0), slice(1, None, -2), slice(None),
])
def test_plain_values_round_trip(value):
    got = roundtrip(value)
    assert type(got) is type(value)
    assert got == value
    if isinstance(value, float):
        assert math.copysign(1, got) == math.copysign(1, value)


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, complex(math.nan, math.inf)])
def test_special_floats_round_trip(value):
    data, _ = frame(value)
    def refuse(token):
        raise AssertionError(f"{token} in the header: not strict JSON")
    json.loads(data[4:4 + struct.unpack(">I", data[:4])[0]], parse_constant=refuse)
    got = roundtrip(value)
    assert type(got) is type(value)
    assert repr(got) == repr(value)


def test_bytearray_arrives_as_bytes():
    assert roundtrip(bytearray(b"abc")) == b"abc"
    assert type(roundtrip(bytearray(b"abc"))) is bytes


def test_nested_containers_round_trip():
    value = {"a": (1, [2.5, {"b": None}], ()), 3: [(), [], {}], (1, "k"): "tuple key", None: b"x",
             2.5: (True, (False,))}
    got = roundtrip(value)
    assert got == value
    assert type(got["a"]) is tuple and type(got["a"][1]) is list and type(got[(1, "k")]) is str
    assert list(got) == list(value)          # key order kept


@pytest.mark.parametrize("dtype", NUMERIC_DTYPES + [">f8", ">i4", "<u2", ">c8"])
def test_arrays_of_every_numeric_dtype_round_trip(dtype):
    dtype = np.dtype(dtype)
    values = np.array([0, 1, 2, 3, 4, 5]).astype(dtype).reshape(2, 3)
    if dtype.kind in "fc":
        values[0, 0] = np.nan
        values[1, 2] = -np.inf
    got = roundtrip(values)
    assert_same_array(got, values)
    assert got.flags.writeable and got.flags.c_contiguous and got.flags.aligned and got.flags.owndata


@pytest.mark.parametrize("dtype", NUMERIC_DTYPES)
def test_numpy_scalars_keep_their_type(dtype):
    scalar = np.array(3).astype(dtype)[()]
    got = roundtrip(scalar)
    assert np.asarray(got).dtype == scalar.dtype          # (np.complex128 arrives as a Python complex)
    assert isinstance(got, np.generic) or dtype == "D"
    assert got == scalar


def test_float32_stays_float32():
    a = np.array([0.1, 1e-8, 3.4e38], dtype=np.float32)
    got = roundtrip(a)
    assert got.dtype == np.float32
    assert got.tobytes() == a.tobytes()     # bit for bit, not via float64
    assert type(roundtrip(np.float32(0.1))) is np.float32


@pytest.mark.parametrize("array", [
    np.array(2.5), np.array(7, dtype=np.int8), np.array(True), np.array(1 + 1j, dtype=np.complex64),
], ids=["f8", "i1", "bool", "c8"])
def test_zero_dimensional_arrays_stay_arrays(array):
    got = roundtrip(array)
    assert_same_array(got, array)
    assert got.shape == ()


@pytest.mark.parametrize("shape", [(0,), (0, 3), (4, 0, 2), (0, 0)])
def test_empty_arrays_keep_shape_and_dtype(shape):
    array = np.zeros(shape, dtype=np.float32)
    got = roundtrip(array)
    assert_same_array(got, array)


@pytest.mark.parametrize("make", [
    lambda a: a[:, ::2],
    lambda a: a.T,
    lambda a: np.asfortranarray(a),
    lambda a: a[::-1, 1:],
    lambda a: np.broadcast_to(a[0], (5, 6)),
    lambda a: a.reshape(3, 2, 5)[:, 1, ::3],
], ids=["strided", "transposed", "fortran", "reversed", "broadcast", "3d-slice"])
def test_non_contiguous_arrays_arrive_with_their_values(make):
    base = np.arange(30, dtype=np.float64).reshape(5, 6)
    view = make(base)
    assert not view.flags.c_contiguous or view is base
    got = roundtrip(view)
    assert_same_array(got, np.array(view))
    assert got.flags.c_contiguous and got.flags.writeable
    got[...] = -1
    assert base.min() == 0                     # a copy, never the sender's memory


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_array_subclass_arrives_as_plain_array():
    got = roundtrip(np.matrix([[1.0, 2.0]]))
    assert type(got) is np.ndarray
    assert_same_array(got, np.array([[1.0, 2.0]]))


def test_shared_objects_stay_shared():
    a = np.arange(3.0)
    inner = [1, 2]
    d = {"k": inner}
    got = roundtrip([a, a, inner, d, inner, (a, d)])
    assert got[0] is got[1] is got[5][0]
    assert got[2] is got[4] is got[3]["k"]
    assert got[3] is got[5][1]
    assert got[0] is not got[5] and got[2] == [1, 2]


def test_self_referencing_list_and_dict_round_trip():
    lst = [1]
    lst.append(lst)
    d = {"n": 1}
    d["self"] = d
    got_list, got_dict = roundtrip((lst, d))
    assert got_list[0] == 1 and got_list[1] is got_list
    assert got_dict["n"] == 1 and got_dict["self"] is got_dict


def test_objects_the_other_side_sent_come_back_as_themselves():
    """The callee returns (or syncs) the caller's own array: the caller gets *its* object."""
    x, y = np.arange(3.0), [1]
    caller = wire.Encoder()
    sent = {"value": caller.encode((x, y))}
    callee = wire.Decoder(list(caller.buffers))
    x_there, y_there = callee.decode(sent["value"])
    answer_encoder = wire.Encoder(known={id(obj): ref for ref, obj in callee.objects.items()})
    answer = answer_encoder.encode([y_there, x_there, np.arange(2)])
    assert answer["items"][0] == {"__t": "known", "ref": 1}
    assert answer["items"][1] == {"__t": "known", "ref": 0}
    back = wire.Decoder(answer_encoder.buffers, known=dict(enumerate(caller.objects))).decode(answer)
    assert back[0] is y and back[1] is x
    assert_same_array(back[2], np.arange(2))


def test_callables_travel_only_as_handles():
    def f(x):
        return x

    encoder = wire.Encoder(callable_ref=lambda fn: {"__t": "fn", "id": 7, "name": fn.__name__})
    entry = encoder.encode({"loss": f, "n": 1})
    assert entry["items"][0][1] == {"__t": "fn", "id": 7, "name": "f"}
    made = []
    decoded = wire.Decoder([], make_callable=lambda e: made.append(e) or "stub").decode(entry)
    assert decoded == {"loss": "stub", "n": 1} and made == [{"__t": "fn", "id": 7, "name": "f"}]
    with pytest.raises(wire.WireError, match="only data"):
        wire.Decoder([]).decode(entry)


# --- random generators ---------------------------------------------------------------------------

@pytest.mark.parametrize("bit_generator", ["PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"])
def test_random_generators_round_trip_in_their_state(bit_generator):
    rng = np.random.Generator(getattr(np.random, bit_generator)(1234))
    rng.standard_normal(5)                            # not at the start of its stream
    got = roundtrip(rng)
    assert type(got) is np.random.Generator and got is not rng
    assert type(got.bit_generator).__name__ == bit_generator
    assert np.array_equal(got.standard_normal(10), rng.standard_normal(10))
    assert np.array_equal(got.integers(0, 1000, 5), rng.integers(0, 1000, 5))


def test_make_generator_from_json_state():
    rng = np.random.default_rng(7)
    state = json.loads(json.dumps(wire._json_state(rng.bit_generator.state)))
    made = wire.make_generator(state)
    assert made.random() == rng.random()


@pytest.mark.parametrize("state, message", [
    ({"bit_generator": "RandomState"}, "unknown bit generator"),
    ({"bit_generator": "os.system"}, "unknown bit generator"),
    ("PCG64", "unknown bit generator"),
    ({"bit_generator": "PCG64", "state": {"state": "x", "inc": 1}, "has_uint32": 0, "uinteger": 0},
     "bad random generator state"),
    ({"bit_generator": "MT19937", "state": {"key": {"__array__": [1, 2], "dtype": "<u4"}, "pos": 0}},
     "bad random generator state"),
])
def test_bad_generator_states_are_refused(state, message):
    with pytest.raises(wire.WireError, match=message):
        wire.make_generator(state)


def test_legacy_random_state_is_refused():
    with pytest.raises(wire.Unsupported):
        wire.Encoder().encode(np.random.RandomState(0))


# --- paths -----------------------------------------------------------------------------------------

def test_path_of_a_file_travels_with_its_bytes(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "data.csv", tmp_path / "b" / "data.csv"
    first.write_bytes(b"1,2\n3,4\n")
    second.write_bytes(b"other")
    there = tmp_path / "there"
    got = roundtrip([first, second], file_dir=there)
    assert [p.name for p in got] == ["data.csv", "data.csv"]
    assert got[0] != got[1] and all(p.parent.parent == there for p in got)
    assert got[0].read_bytes() == b"1,2\n3,4\n" and got[1].read_bytes() == b"other"


def test_path_without_a_file_directory_stays_as_it_was(tmp_path):
    (tmp_path / "f.txt").write_text("x")
    got = roundtrip(tmp_path / "f.txt")
    assert got == tmp_path / "f.txt" and isinstance(got, Path)


def test_path_of_a_folder_or_missing_file_carries_no_bytes(tmp_path):
    encoder = wire.Encoder()
    assert encoder.encode(tmp_path) == {"__t": "path", "v": str(tmp_path)}
    assert encoder.encode(tmp_path / "missing") == {"__t": "path", "v": str(tmp_path / "missing")}
    assert encoder.buffers == []
    assert roundtrip(tmp_path / "missing", file_dir=tmp_path / "there") == tmp_path / "missing"


def test_file_size_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(wire, "MAX_FILE_BYTES", 10)
    small, large = tmp_path / "small", tmp_path / "large"
    small.write_bytes(b"x" * 10)
    large.write_bytes(b"x" * 11)
    encoder = wire.Encoder()
    assert "buf" in encoder.encode(small)
    assert encoder.encode(large) == {"__t": "path", "v": str(large)}
    assert encoder.buffers == [b"x" * 10]
    assert roundtrip(large, file_dir=tmp_path / "there") == large      # only the name went across


# --- what is refused ----------------------------------------------------------------------------------

class StudentClass:
    pass


@pytest.mark.parametrize("value", [
    object(), StudentClass(), {1, 2}, frozenset(), np.array([1, "a"], dtype=object), np.array(["ab"]),
    np.array([b"ab"]), np.zeros(2, dtype=[("x", "f8"), ("y", "i4")]), np.array(["2020-01-01"], dtype="M8[D]"),
    np.array([1], dtype="m8[s]"), np.datetime64("2020-01-01"), np.void(b"ab"), lambda x: x, print, StudentClass,
    [1, {"k": (object(),)}], Ellipsis, NotImplemented, iter([1]), memoryview(b"x"),
], ids=lambda v: type(v).__name__)
def test_what_is_not_data_is_refused(value):
    with pytest.raises(wire.Unsupported):
        wire.Encoder().encode(value)


def test_an_unsupported_value_is_a_type_error():
    assert issubclass(wire.Unsupported, TypeError)
    with pytest.raises(wire.Unsupported, match="StudentClass"):
        wire.Encoder().encode({"x": [StudentClass()]})
    with pytest.raises(wire.Unsupported, match="dtype object"):
        wire.Encoder().encode(np.array([None]))


def test_a_pickle_is_never_unpickled():
    import pickle
    payload = pickle.dumps(StudentClass())
    assert roundtrip(payload) == payload      # bytes stay bytes
    with pytest.raises(wire.WireError, match="unknown value kind 'pickle'"):
        wire.Decoder([payload]).decode({"__t": "pickle", "buf": 0})


def nd(dtype="<f8", shape=(2,), buf=0, ref=0):
    return {"__t": "nd", "ref": ref, "buf": buf, "dtype": dtype, "shape": list(shape)}


@pytest.mark.parametrize("entry, buffers, message", [
    (nd("|O"), [b"\0" * 16], "dtype object refused"),
    (nd("<M8[s]"), [b"\0" * 16], "refused"),
    (nd("|V8"), [b"\0" * 16], "refused"),
    (nd("<U1"), [b"\0" * 8], "refused"),
    (nd(np.dtype([("a", "<f8")]).str), [b"\0" * 16], "refused"),
    (nd(shape=(3,)), [b"\0" * 16], "needs 24 bytes, got 16"),
    (nd(shape=(-2,)), [b"\0" * 16], "bad array shape"),
    (nd(buf=1), [b"\0" * 16], "buffer 1 of 1"),
    (nd(buf=-1), [b"\0" * 16], "buffer -1 of 1"),
    (nd(buf="0"), [b"\0" * 16], "buffer '0'"),
    ({"__t": "scalar", "buf": 0, "dtype": "|O", "shape": []}, [b"\0" * 8], "refused"),
    ({"__t": "bytes", "buf": 3}, [], "buffer 3 of 0"),
    ({"__t": "list", "items": []}, [], "without a reference number"),
    ({"__t": "nd", "buf": 0, "dtype": "<f8", "shape": [0]}, [b""], "without a reference number"),
    ({"__t": "known", "ref": 0}, [], "unknown object 0"),
    ({"__t": "ref", "ref": 5}, [], "before it was sent"),
    ({"__t": "fn", "id": 1}, [], "only data"),
    ({"__t": "code", "v": "import os"}, [], "unknown value kind 'code'"),
    ({"no": "kind"}, [], "unknown value kind None"),
    ([1, 2], [], "bare JSON list"),
    ({"__t": "dict", "ref": 0, "items": [[{"__t": "list", "ref": 1, "items": []}, 1]]}, [], "unhashable"),
    ({"__t": "rng", "ref": 0, "state": {"bit_generator": "Evil"}}, [], "unknown bit generator"),
])
def test_decoder_refuses_malformed_values(entry, buffers, message):
    with pytest.raises(wire.WireError, match=message):
        wire.Decoder(buffers).decode(entry)


def test_decoder_checks_the_byte_count_of_a_large_claimed_shape():
    with pytest.raises(wire.WireError, match="needs"):
        wire.Decoder([b"\0" * 8]).decode(nd(shape=(10**6, 10**6)))


@pytest.mark.parametrize("kind", ["huge int", "deep list"])
def test_values_the_wire_cannot_carry_are_unsupported_not_a_crash(kind):
    if kind == "huge int":
        value = 10**5000
    else:
        value = []
        for _ in range(2000):
            value = [value]
    with pytest.raises(wire.Unsupported, match="4300 digits" if kind == "huge int" else "levels deep"):
        roundtrip(value)


# --- update_in_place --------------------------------------------------------------------------------

def test_update_array_in_place():
    original = np.zeros((2, 2))
    alias = original[0]
    assert wire.update_in_place(original, np.full((2, 2), 3.0)) is True
    assert np.array_equal(original, np.full((2, 2), 3.0))
    assert np.array_equal(alias, [3.0, 3.0])          # the same memory, changed


@pytest.mark.parametrize("new", [np.zeros(3), np.zeros((2, 2), dtype=np.float32), np.zeros((4,)), [0.0, 0.0]],
                         ids=["shape", "dtype", "size", "list"])
def test_update_array_refused_when_it_cannot_reflect_the_change(new):
    original = np.ones((2, 2))
    assert wire.update_in_place(original, new) is False
    assert np.array_equal(original, np.ones((2, 2)))


def test_update_read_only_array():
    original = np.array([1.0, np.nan])
    original.flags.writeable = False
    assert wire.update_in_place(original, np.array([1.0, np.nan])) is True     # unchanged: nothing to write
    assert wire.update_in_place(original, np.array([2.0, np.nan])) is False
    assert original[0] == 1.0


def test_update_list_dict_and_generator_in_place():
    lst, d = [1, 2, 3], {"a": 1, "b": 2}
    assert wire.update_in_place(lst, ["x"]) is True and lst == ["x"]
    assert wire.update_in_place(d, {"c": 3}) is True and d == {"c": 3}

    rng = np.random.default_rng(0)
    advanced = np.random.default_rng(0)
    advanced.random(17)
    assert wire.update_in_place(rng, advanced) is True
    assert rng.random() == advanced.random()


@pytest.mark.parametrize("original, new", [
    ([1], (1,)), ({"a": 1}, [("a", 1)]), (np.random.default_rng(0), {"state": 1}), ((1,), (2,)), (3, 4),
])
def test_update_of_mismatched_kinds_is_refused(original, new):
    before = repr(original)
    assert wire.update_in_place(original, new) is False
    assert repr(original) == before


def test_update_through_the_wire():
    """What Channel.request does with a callee's ``sync``: the caller's objects change."""
    params = {"W": np.zeros((2, 2)), "b": np.zeros(2)}
    history = []
    caller = wire.Encoder()
    sent = caller.encode((params, history))
    there_params, there_history = wire.Decoder(list(caller.buffers)).decode(json.loads(json.dumps(sent)))
    there_params["W"] += 1.5
    there_history.append(0.25)
    callee = wire.Encoder()
    # refs: 0 the tuple's dict, 1 W, 2 b, 3 the list (the order the caller encoded them)
    sync = [[ref, callee.encode(obj)] for ref, obj in ((1, there_params["W"]), (3, list(there_history)))]
    decoder = wire.Decoder(callee.buffers)
    for ref, state in json.loads(json.dumps(sync)):
        assert wire.update_in_place(caller.objects[ref], decoder.decode(state))
    assert np.array_equal(params["W"], np.full((2, 2), 1.5)) and not params["b"].any()
    assert history == [0.25]

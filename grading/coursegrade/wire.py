"""The wire format between the grading kernel and the sandboxed submission.

Only *data* crosses: JSON for the structure, raw bytes for NumPy arrays of numeric
dtypes. Nothing is ever unpickled, so a submission cannot smuggle code or objects
into the process that computes verdicts.

A message is one frame::

    4 bytes   big-endian length of the JSON header
    header    UTF-8 JSON; arrays in it are {"__t": "nd", "buf": i, ...}
    n times   8 bytes big-endian length, then the raw bytes of buffer i

Values (``encode``/``decode``) are trees of None, bool, int, float, str, bytes,
tuple, list, dict, NumPy arrays and scalars (dtype kinds b, i, u, f, c),
``pathlib.Path`` (the file's bytes travel with it when it exists), NumPy random
generators (their bit generator's state) and *callables*, which travel as numbered
handles: the side that receives one calls back across the channel.

Mutable objects (arrays, lists, dicts, generators) get reference numbers, so
aliasing survives the trip and the callee can send back what it changed in place
(``Encoder.refs``/``Decoder.objects``).
"""

import json
import math
import struct
from pathlib import Path

import numpy as np

#: Limits on what one message may hold. A submission that returns more is wrong or
#: hostile; either way the grader must not run out of memory reading it.
MAX_HEADER_BYTES = 16 * 2**20
MAX_TOTAL_BYTES = 512 * 2**20
MAX_FILE_BYTES = 32 * 2**20
MAX_DEPTH = 100              # levels of nested lists, tuples and dicts in one value
_NUMERIC_KINDS = "biufc"
_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class WireError(Exception):
    """A message that breaks the format or the limits (a crashed or hostile peer)."""


class Unsupported(TypeError):
    """A value the wire cannot carry (an object of a class of the student's, say)."""


# --- Framing --------------------------------------------------------------------------

def write_message(stream, header, buffers=()):
    """Write one frame (a JSON-able dict and its byte buffers) to a binary stream."""
    data = json.dumps(header, allow_nan=True, separators=(",", ":")).encode()
    parts = [struct.pack(">I", len(data)), data]
    for buf in buffers:
        view = memoryview(buf).cast("B")
        parts += [struct.pack(">Q", view.nbytes), view]
    for part in parts:
        stream.write(part)
    stream.flush()


def _read_exact(stream, n):
    chunks, missing = [], n
    while missing:
        chunk = stream.read(missing)
        if not chunk:
            raise EOFError(f"the other side closed the channel ({n - missing} of {n} bytes read)")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def read_message(stream):
    """Read one frame: returns (header dict, list of bytes buffers)."""
    (size,) = struct.unpack(">I", _read_exact(stream, 4))
    if size > MAX_HEADER_BYTES:
        raise WireError(f"message header of {size} bytes is over the {MAX_HEADER_BYTES}-byte limit")
    try:
        header = json.loads(_read_exact(stream, size))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WireError(f"message header is not JSON: {error}") from None
    except RecursionError:
        raise WireError("message header nested too deeply") from None
    if not isinstance(header, dict):
        raise WireError(f"message header is a {type(header).__name__}, not an object")
    n_buffers = header.get("nbuf", 0)
    if not isinstance(n_buffers, int) or not 0 <= n_buffers <= 100_000:
        raise WireError(f"bad buffer count {n_buffers!r}")
    buffers, total = [], size
    for _ in range(n_buffers):
        (length,) = struct.unpack(">Q", _read_exact(stream, 8))
        total += length
        if total > MAX_TOTAL_BYTES:
            raise WireError(f"message of more than {MAX_TOTAL_BYTES // 2**20} MiB")
        buffers.append(_read_exact(stream, length))
    return header, buffers


# --- Values ---------------------------------------------------------------------------

class Encoder:
    """Turn a value into JSON-able data plus byte buffers.

    ``known`` maps id(object) -> reference number for objects the *other* side sent
    us (so returning one of them sends the reference, not a copy); ``callable_ref``
    turns a callable into the handle the other side will call back with.
    """

    def __init__(self, known=None, callable_ref=None):
        self.buffers = []
        self.known = known or {}
        self.callable_ref = callable_ref
        self.refs = {}        # id(obj) -> our reference number (for mutable objects we send)
        self.objects = []     # reference number -> object
        self._keep = []       # keep encoded objects alive so their ids stay unique
        self._depth = 0       # containers being encoded (nesting)

    def _new_ref(self, obj):
        ref = len(self.objects)
        self.refs[id(obj)] = ref
        self.objects.append(obj)
        self._keep.append(obj)
        return ref

    def _array(self, a):
        a = np.asarray(a)
        if a.dtype.kind not in _NUMERIC_KINDS or a.dtype.fields is not None:
            raise Unsupported(f"a NumPy array of dtype {a.dtype} (only numbers and booleans can be checked)")
        data = a if a.flags.c_contiguous else a.copy(order="C")  # (ascontiguousarray makes 0-d 1-d)
        self.buffers.append(data.tobytes() if data.size else b"")
        return {"buf": len(self.buffers) - 1, "dtype": data.dtype.str, "shape": list(a.shape)}

    def encode(self, value):
        """The JSON-able form of ``value``; Unsupported for what the wire does not carry."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise Unsupported(f"a value nested more than {MAX_DEPTH} levels deep")
            return self._encode(value)
        finally:
            self._depth -= 1

    def _encode(self, value):
        if id(value) in self.known:
            return {"__t": "known", "ref": self.known[id(value)]}
        if id(value) in self.refs:
            return {"__t": "ref", "ref": self.refs[id(value)]}
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, int) and not isinstance(value, np.integer):
            if abs(value) < 2**63:
                return value
            try:
                return {"__t": "bigint", "v": str(value)}
            except ValueError:    # past Python's int-to-str digit limit (4300)
                raise Unsupported("an int of more than 4300 digits") from None
        if isinstance(value, float) and not isinstance(value, np.floating):
            return value if math.isfinite(value) else {"__t": "float", "v": repr(value)}
        if isinstance(value, complex):
            return {"__t": "complex", "re": self.encode(value.real), "im": self.encode(value.imag)}
        if isinstance(value, np.ndarray):
            if type(value) is not np.ndarray:
                value = np.asarray(value)
            ref = self._new_ref(value)
            return {"__t": "nd", "ref": ref, **self._array(value)}
        if isinstance(value, np.generic):
            return {"__t": "scalar", **self._array(np.asarray(value))}
        if isinstance(value, (bytes, bytearray)):
            self.buffers.append(bytes(value))
            return {"__t": "bytes", "buf": len(self.buffers) - 1}
        if isinstance(value, tuple):
            return {"__t": "tuple", "items": [self.encode(v) for v in value]}
        if isinstance(value, list):
            ref = self._new_ref(value)
            return {"__t": "list", "ref": ref, "items": [self.encode(v) for v in value]}
        if isinstance(value, dict):
            ref = self._new_ref(value)
            return {"__t": "dict", "ref": ref,
                    "items": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        if isinstance(value, range):
            return {"__t": "range", "v": [value.start, value.stop, value.step]}
        if isinstance(value, slice):
            return {"__t": "slice", "v": [self.encode(value.start), self.encode(value.stop),
                                          self.encode(value.step)]}
        if isinstance(value, np.random.Generator):
            ref = self._new_ref(value)
            return {"__t": "rng", "ref": ref, "state": _json_state(value.bit_generator.state)}
        if isinstance(value, Path):
            return self._path(value)
        if callable(value) and self.callable_ref is not None:
            return self.callable_ref(value)
        raise Unsupported(f"a value of type {type(value).__module__}.{type(value).__qualname__}")

    def _path(self, path):
        entry = {"__t": "path", "v": str(path)}
        try:
            if path.is_file() and path.stat().st_size <= MAX_FILE_BYTES:
                self.buffers.append(path.read_bytes())
                entry["buf"] = len(self.buffers) - 1
        except OSError:
            pass
        return entry


def _json_state(state):
    """A bit generator's state with NumPy integers made plain ints (JSON-able)."""
    if isinstance(state, dict):
        return {k: _json_state(v) for k, v in state.items()}
    if isinstance(state, np.ndarray):
        return {"__array__": state.tolist(), "dtype": state.dtype.str}
    if isinstance(state, np.integer):
        return int(state)
    return state


def _numpy_state(state):
    if isinstance(state, dict):
        if "__array__" in state:
            return np.array(state["__array__"], dtype=np.dtype(state["dtype"]))
        return {k: _numpy_state(v) for k, v in state.items()}
    return state


class Decoder:
    """Turn JSON-able data plus buffers back into values; never runs foreign code.

    ``known`` maps reference numbers of *our* objects (sent earlier) back to them;
    ``make_callable(handle)`` builds the stand-in for a callable handle;
    ``file_dir`` is where a Path's bytes are written (None: keep the path as it is).
    """

    def __init__(self, buffers, known=None, make_callable=None, file_dir=None):
        self.buffers = buffers
        self.known = known or {}
        self.make_callable = make_callable
        self.file_dir = file_dir
        self.objects = {}     # the sender's reference number -> decoded object

    def _buffer(self, i):
        if not isinstance(i, int) or not 0 <= i < len(self.buffers):
            raise WireError(f"reference to buffer {i!r} of {len(self.buffers)}")
        return self.buffers[i]

    def _array(self, entry):
        dtype = np.dtype(entry["dtype"])
        if dtype.kind not in _NUMERIC_KINDS or dtype.fields is not None or dtype.hasobject:
            raise WireError(f"array of dtype {dtype} refused")
        shape = tuple(int(n) for n in entry["shape"])
        if any(n < 0 for n in shape):
            raise WireError(f"bad array shape {shape}")
        data = self._buffer(entry["buf"])
        count = math.prod(shape)
        if len(data) != count * dtype.itemsize:
            raise WireError(f"array of shape {shape} and dtype {dtype} needs "
                            f"{count * dtype.itemsize} bytes, got {len(data)}")
        # A fresh NumPy allocation (aligned as NumPy aligns its own arrays): an array
        # over a bytes object's memory works, but BLAS was measured 10x slower on it.
        out = np.empty(shape, dtype=dtype)
        if count:
            out.reshape(-1).view(np.uint8)[:] = np.frombuffer(data, dtype=np.uint8)
        return out

    def decode(self, entry):
        if entry is None or isinstance(entry, (bool, int, float, str)):
            return entry
        if isinstance(entry, list):
            raise WireError("bare JSON list in a message")
        kind = entry.get("__t")
        if kind == "known":
            try:
                return self.known[entry["ref"]]
            except KeyError:
                raise WireError(f"reference to unknown object {entry.get('ref')!r}") from None
        if kind == "ref":
            try:
                return self.objects[entry["ref"]]
            except KeyError:
                raise WireError(f"reference to object {entry.get('ref')!r} before it was sent") from None
        if kind == "nd":
            return self._keep(entry, self._array(entry))
        if kind == "scalar":
            return self._array(entry)[()]
        if kind == "bigint":
            return int(entry["v"])
        if kind == "float":
            return float(entry["v"])
        if kind == "complex":
            return complex(self.decode(entry["re"]), self.decode(entry["im"]))
        if kind == "bytes":
            return bytes(self._buffer(entry["buf"]))
        if kind == "tuple":
            return tuple(self.decode(v) for v in entry["items"])
        if kind == "list":
            out = self._keep(entry, [])
            out.extend(self.decode(v) for v in entry["items"])
            return out
        if kind == "dict":
            out = self._keep(entry, {})
            for k, v in entry["items"]:
                key = self.decode(k)
                try:
                    hash(key)
                except TypeError:
                    raise WireError(f"unhashable dict key of type {type(key).__name__}") from None
                out[key] = self.decode(v)
            return out
        if kind == "range":
            return range(*(int(v) for v in entry["v"]))
        if kind == "slice":
            return slice(*(self.decode(v) for v in entry["v"]))
        if kind == "rng":
            return self._keep(entry, make_generator(entry["state"]))
        if kind == "path":
            return self._path(entry)
        if kind == "fn":
            if self.make_callable is None:
                raise WireError("a function was sent where only data is accepted")
            return self.make_callable(entry)
        raise WireError(f"unknown value kind {kind!r}")

    def _keep(self, entry, obj):
        ref = entry.get("ref")
        if not isinstance(ref, int):
            raise WireError("mutable value without a reference number")
        self.objects[ref] = obj
        return obj

    def _path(self, entry):
        path = Path(entry["v"])
        if "buf" in entry and self.file_dir is not None:
            Path(self.file_dir).mkdir(parents=True, exist_ok=True)
            local = Path(self.file_dir) / f"file{len(list(Path(self.file_dir).iterdir()))}"
            local.mkdir()
            local = local / (path.name or "file")
            local.write_bytes(self._buffer(entry["buf"]))
            return local
        return path


def make_generator(state):
    """A NumPy Generator in the given bit-generator state (JSON form from ``_json_state``)."""
    if not isinstance(state, dict) or state.get("bit_generator") not in _BIT_GENERATORS:
        raise WireError(f"unknown bit generator in {str(state)[:80]!r}")
    bit_generator = getattr(np.random, state["bit_generator"])()
    try:
        bit_generator.state = _numpy_state(state)
    except (TypeError, ValueError, KeyError, IndexError) as error:
        raise WireError(f"bad random generator state: {error}") from None
    return np.random.Generator(bit_generator)


def update_in_place(original, new):
    """Make ``original`` (an object we sent) equal to ``new`` (what the callee left).

    Arrays are overwritten element by element when shape and dtype allow it (they
    always do unless the callee resized it); lists and dicts get their items
    replaced; generators their state. Returns True when ``original`` now reflects
    ``new``.
    """
    if isinstance(original, np.ndarray) and isinstance(new, np.ndarray):
        if original.shape == new.shape and original.dtype == new.dtype:
            if not np.array_equal(original, new, equal_nan=original.dtype.kind in "fc"):
                if original.flags.writeable:
                    np.copyto(original, new)
                else:
                    return False
            return True
        return False
    if isinstance(original, list) and isinstance(new, list):
        original[:] = new
        return True
    if isinstance(original, dict) and isinstance(new, dict):
        original.clear()
        original.update(new)
        return True
    if isinstance(original, np.random.Generator) and isinstance(new, np.random.Generator):
        original.bit_generator.state = new.bit_generator.state
        return True
    return False

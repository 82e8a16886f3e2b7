"""Calls across the wire: the grading kernel calls the student's functions, and the
student's functions call back the test's own functions (a loss function handed to
``train_epoch``, say).

Both ends run the same loop: send a request, then read messages until its answer
comes; a request arriving meanwhile (a callback, or a call made *from* a callback)
is served first. So calls nest as deeply as the code nests them.

Messages (``op``):

``call``      name, args, kwargs, errstate   the grader calls the student's function
``callback``  id, args, kwargs               the student's code calls a callable it was given
``return``    value, sync, warnings          the answer; ``sync`` lists the arguments
                                             the callee changed in place
``raise``     types, message, trace          the call raised (``time_limit``: stopped
                                             by the sandbox's alarm, :func:`time_limit_answer`)

The sandbox's end (``call_timeout``) runs each call of the grader under an alarm
(:func:`time_limit`); a call it stops is answered like any other error, in the one
encoding of :func:`time_limit_answer`. The grader's own limit is a deadline on its
reads (:class:`TimedReader`): a sandbox that does not answer by then is stopped.
"""

import builtins
import contextlib
import os
import select
import signal
import time
import traceback

import numpy as np

from . import wire

#: Exceptions re-raised with their own type on the other side. Anything else
#: (a class of the student's, say) arrives as RuntimeError, its name in the message.
SAFE_EXCEPTIONS = {
    name: getattr(builtins, name) for name in (
        "ArithmeticError", "AssertionError", "AttributeError", "EOFError",
        "FileNotFoundError", "FloatingPointError", "ImportError", "IndexError",
        "KeyError", "LookupError", "MemoryError", "ModuleNotFoundError", "NameError",
        "NotImplementedError", "OSError", "OverflowError", "RecursionError",
        "RuntimeError", "TimeoutError", "TypeError", "UnboundLocalError",
        "UnicodeError", "ValueError", "ZeroDivisionError",
    )
}
ERRSTATE_KEYS = ("divide", "over", "under", "invalid")


class ChannelClosed(RuntimeError):
    """The other side is gone (it crashed, was killed, or broke the protocol)."""


class DeadlineExceeded(Exception):
    """The other side did not answer before the reader's deadline.

    Not an OSError (as TimeoutError is), so that it passes through the channel's own
    error handling to whoever set the deadline (``proxy.Student``).
    """


class TimeLimit(BaseException):
    """Raised by the sandbox's alarm inside code that runs over its time limit.

    A BaseException, so that a student's ``except Exception`` does not swallow it.
    """

    def __init__(self, seconds):
        super().__init__(f"ran over the grader's time limit of {seconds:g} s (an endless loop?) and was stopped")
        self.seconds = seconds


@contextlib.contextmanager
def time_limit(seconds):
    """Raise :class:`TimeLimit` in this (main) thread after ``seconds`` (SIGALRM)."""
    def alarm(signum, frame):
        raise TimeLimit(seconds)

    signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def time_limit_answer(seconds):
    """The ``raise`` message of a call the sandbox's alarm stopped (the only encoding)."""
    return {"op": "raise", "name": "TimeoutError", "types": ["TimeoutError", "OSError", "Exception"],
            "trace": "", "time_limit": True,
            "message": f"did not return within the grader's time limit of {seconds:g} s (an endless loop?) "
                       "and was stopped"}


class TimedReader:
    """Blocking reads from a pipe that give up at a deadline.

    ``deadline`` (``time.monotonic()`` seconds, or None) holds however much the other
    side writes meanwhile: whoever sets it decides when waiting ends. ``timeout``
    (seconds of silence, or None) is a weaker limit: proxy.Student sets only deadlines.
    """

    def __init__(self, fd, timeout=None, deadline=None):
        self.fd = fd
        self.timeout = timeout
        self.deadline = deadline

    def read(self, n):
        wait = self.timeout
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise DeadlineExceeded("the deadline has passed")
            wait = left if wait is None else min(wait, left)
        if wait is not None:
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                if self.deadline is not None and time.monotonic() >= self.deadline:
                    raise DeadlineExceeded("the deadline has passed")
                raise TimeoutError(f"no answer within {self.timeout:g} s")
        return os.read(self.fd, min(n, 1 << 20))


#: Characters of an exception's message, and of its traceback, that cross the wire.
#: The sandbox cuts them (describe_exception); the grader cuts again whatever arrives
#: (rebuild_exception), because the other side may not be the worker's own code.
MESSAGE_LIMIT = 4000


def cut(text, limit):
    """At most ``limit`` characters of ``text``, saying how many more there were."""
    if len(text) <= limit:
        return text
    return text[:limit] + f" [... {len(text) - limit} more characters cut by the grader]"


def describe_exception(error, trace=True):
    """The fields of a ``raise`` message for an exception (``trace=False``: without its traceback)."""
    if isinstance(error, TimeLimit):
        return time_limit_answer(error.seconds)
    types = [cls.__name__ for cls in type(error).__mro__ if cls.__module__ == "builtins"]
    # The student's frames only: not the grader's own (coursegrade) ones.
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "/coursegrade/" not in f.filename]
    trace = "".join(traceback.format_list(frames[-4:])) if trace else ""
    message = str(error)
    return {"op": "raise", "name": type(error).__name__, "types": types,
            "message": message[:MESSAGE_LIMIT], "trace": trace[-MESSAGE_LIMIT:]}


def rebuild_exception(header, where):
    """An exception to raise for a ``raise`` message; ``where`` says whose code raised.

    Its ``coursegrade_cut`` is True when the message or traceback was longer than
    the sandbox's worker ever sends (MESSAGE_LIMIT): a forged message, cut here.
    """
    raw_name, raw_message, raw_trace = (str(header.get(key, default)) for key, default in
                                        (("name", "Exception"), ("message", ""), ("trace", "")))
    name = cut(raw_name, 200)
    message = cut(raw_message, MESSAGE_LIMIT)
    types = header.get("types", [])
    for candidate in types[:50] if isinstance(types, list) else []:
        if candidate in SAFE_EXCEPTIONS:
            cls = SAFE_EXCEPTIONS[candidate]
            break
    else:
        cls = RuntimeError
    text = message if cls.__name__ == name else f"{name}: {message}"
    trace = cut(raw_trace, MESSAGE_LIMIT).rstrip()
    if trace and where:
        text += f"\n\n{where}:\n{trace}"
    if cls is KeyError:
        error = KeyError(text)
    else:
        try:
            error = cls(text)
        except TypeError:
            error = RuntimeError(text)
    error.coursegrade_cut = len(raw_name) > 200 or len(raw_message) > MESSAGE_LIMIT or len(raw_trace) > MESSAGE_LIMIT
    return error


class Channel:
    """One end of the request/answer loop.

    ``functions(name)`` finds the function a ``call`` asks for (the sandbox's end);
    ``file_dir`` is where files that travel with Path arguments are written;
    ``call_timeout`` (the sandbox's end) the seconds a ``call`` may run, callbacks
    and the calls made from them included. :meth:`read` and :meth:`write` carry one
    message; reads end at :attr:`deadline`.
    """

    def __init__(self, rfd, wfd, functions=None, file_dir=None, timeout=None, where="raised", send_trace=True,
                 call_timeout=None):
        self.reader = TimedReader(rfd, timeout)
        self.writer = os.fdopen(wfd, "wb", buffering=1 << 16, closefd=False)
        self._wfd = wfd
        self._closed = False
        self.functions = functions
        self.file_dir = file_dir
        self.where = where
        # The grader's end sends no traceback with a callback's error: its frames are
        # the test cells' code (hidden tests included), which the submission must not
        # read, and which the student never wrote.
        self.send_trace = send_trace
        self._callables = {}     # handle -> callable we sent (valid while its call runs)
        self._next_handle = 0
        self.warnings = []       # warnings raised by served calls (sandbox end)
        self.namespace = {}      # where 'bind' puts stand-ins (the sandbox: the notebook's globals)
        self.call_timeout = call_timeout
        self._serving = 0        # requests being served (nested: a call made from a callback)

    @property
    def deadline(self):
        """When reads give up (``time.monotonic()`` seconds, or None): DeadlineExceeded."""
        return self.reader.deadline

    @deadline.setter
    def deadline(self, value):
        self.reader.deadline = value

    def read(self):
        """The next message ``(header, buffers)``; ChannelClosed when the other side is gone
        or sent something malformed, DeadlineExceeded at the deadline."""
        try:
            return wire.read_message(self.reader)
        except (EOFError, OSError, wire.WireError) as error:
            raise ChannelClosed(str(error)) from None

    def write(self, header, buffers=()):
        """Send one message."""
        wire.write_message(self.writer, header, buffers)

    def close(self):
        """Close both pipe ends (after the other side is gone); only once: a closed fd's
        number may already belong to another file."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(OSError):
            self.writer.close()
        for fd in (self.reader.fd, self._wfd):
            with contextlib.suppress(OSError):
                os.close(fd)

    # -- sending ----------------------------------------------------------------------
    def _callable_ref(self, fn):
        student_name = getattr(fn, "__coursegrade_student_function__", None)
        if student_name is not None:
            return {"__t": "fn", "student": student_name}
        peer_handle = getattr(fn, "__coursegrade_peer_handle__", None)
        if peer_handle is not None and getattr(fn, "__coursegrade_channel__", None) is self:
            return {"__t": "fn", "peer": peer_handle}   # a callable the other side sent us
        self._next_handle += 1
        self._callables[self._next_handle] = fn
        return {"__t": "fn", "id": self._next_handle}

    def _send(self, header, values, known=None, sync=()):
        encoder = wire.Encoder(known=known, callable_ref=self._callable_ref)
        header = dict(header)
        for name, value in values.items():
            header[name] = encoder.encode(value)
        if sync:
            header["sync"] = [[ref, encoder.encode(state)] for ref, state in sync]
        header["nbuf"] = len(encoder.buffers)
        self.write(header, encoder.buffers)
        return encoder

    # -- the caller's side --------------------------------------------------------------
    def request(self, header, args, kwargs, bind=None):
        """Send a call or callback and wait for its answer (serving nested requests).

        Returns the decoded value; raises what the callee raised.
        """
        handles_before = self._next_handle
        try:
            values = {"args": tuple(args), "kwargs": dict(kwargs)}
            if bind:
                values["bind"] = dict(bind)
            encoder = self._send(header, values)
        except wire.Unsupported as error:
            raise TypeError(f"cannot pass {error} across to the other side") from None
        try:
            while True:
                reply, buffers = self.read()
                op = reply.get("op")
                if op in ("call", "callback"):
                    self.serve(reply, buffers)
                    continue
                if op == "raise":
                    error = rebuild_exception(reply, self.where)
                    error.coursegrade_time_limit = bool(reply.get("time_limit"))
                    raise error
                if op != "return":
                    raise ChannelClosed(f"unexpected message {op!r} while waiting for an answer")
                self.warnings.extend(str(w) for w in reply.get("warnings", [])[:20])
                decoder = wire.Decoder(buffers, known=dict(enumerate(encoder.objects)),
                                       make_callable=self._own_callable)
                try:
                    for ref, state in reply.get("sync", []):
                        original = encoder.objects[ref]
                        wire.update_in_place(original, decoder.decode(state))
                    return decoder.decode(reply.get("value"))
                except (wire.WireError, IndexError, KeyError, TypeError, ValueError) as error:
                    raise ChannelClosed(f"malformed answer: {error}") from None
        finally:
            for handle in range(handles_before + 1, self._next_handle + 1):
                self._callables.pop(handle, None)

    def _own_callable(self, entry):
        """In an answer, a callable may only be one we sent (it comes back in a synced dict)."""
        try:
            return self._callables[entry["peer"]]
        except KeyError:
            raise wire.WireError("a function in an answer (return numbers or arrays)") from None

    # -- the callee's side --------------------------------------------------------------
    def serve(self, header, buffers):
        """Answer one ``call`` or ``callback`` request."""
        decoder = wire.Decoder(buffers, make_callable=self._stub, file_dir=self.file_dir)
        try:
            args = decoder.decode(header.get("args"))
            kwargs = decoder.decode(header.get("kwargs"))
            kwargs_ref = header.get("kwargs", {}).get("ref")
            bind = decoder.decode(header["bind"]) if "bind" in header else {}
            skip = {kwargs_ref, header["bind"].get("ref")} if bind else {kwargs_ref}
            if header["op"] == "callback":
                fn = self._callables[header["id"]]
            else:
                fn = self.functions(header["name"])
        except BaseException as error:  # noqa: BLE001 -- reported to the caller, not swallowed
            self._send(describe_exception(error, self.send_trace), {})
            return
        pristine = {ref: obj.copy() for ref, obj in decoder.objects.items()
                    if isinstance(obj, np.ndarray)}
        namespace = self.namespace if bind else None
        saved = {name: namespace[name] for name in bind if name in namespace} if bind else {}
        # The outermost call runs under the alarm; what it calls back, and the calls made
        # from there, count against its time.
        limit = self.call_timeout if header["op"] == "call" and not self._serving else None
        self._serving += 1
        try:
            if bind:
                namespace.update(bind)
            with time_limit(limit) if limit else contextlib.nullcontext():
                result, caught = self._run(fn, args, kwargs, header.get("errstate"))
        except BaseException as error:  # noqa: BLE001 -- the caller gets it as a 'raise'
            self._send(describe_exception(error, self.send_trace), {})
            return
        finally:
            self._serving -= 1
            if bind:
                for name in bind:
                    namespace.pop(name, None)
                namespace.update(saved)
        known = {id(obj): ref for ref, obj in decoder.objects.items()}
        sync = []
        for ref, obj in decoder.objects.items():
            if ref in skip:
                continue  # the keyword-argument and bind dicts are not the caller's objects
            if isinstance(obj, np.ndarray):
                before = pristine[ref]
                if obj.shape == before.shape and np.array_equal(obj, before, equal_nan=obj.dtype.kind in "fc"):
                    continue
                sync.append((ref, obj.copy()))
            elif isinstance(obj, list):
                sync.append((ref, list(obj)))
            elif isinstance(obj, dict):
                sync.append((ref, dict(obj)))
            elif isinstance(obj, np.random.Generator):
                sync.append((ref, obj))
        try:
            self._send({"op": "return", "warnings": caught}, {"value": result}, known=known, sync=sync)
        except wire.Unsupported as error:
            name = header.get("name", "the function")
            self._send({"op": "raise", "name": "TypeError", "types": ["TypeError"],
                        "message": f"{name} returned {error}, which the grader cannot check: "
                                   "return NumPy arrays, numbers, tuples, lists or dicts of them",
                        "trace": ""}, {})

    def _run(self, fn, args, kwargs, errstate):
        """Call fn under the caller's floating-point error settings; record warnings."""
        import warnings
        errstate = {k: v for k, v in (errstate or {}).items() if k in ERRSTATE_KEYS}
        with warnings.catch_warnings(record=True) as caught, np.errstate(**errstate):
            warnings.simplefilter("always")
            result = fn(*args, **kwargs)
        return result, [f"{w.category.__name__}: {w.message}" for w in caught[:20]]

    def _stub(self, entry):
        """The stand-in for a callable the other side sent us."""
        if "student" in entry:
            return self.functions(entry["student"])
        if "peer" in entry:
            return self._own_callable(entry)
        handle = entry.get("id")

        def call_back(*args, **kwargs):
            return self.request({"op": "callback", "id": handle,
                                 "errstate": {k: v for k, v in np.geterr().items()}}, args, kwargs)
        call_back.__coursegrade_peer_handle__ = handle
        call_back.__coursegrade_channel__ = self
        return call_back

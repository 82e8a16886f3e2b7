"""Channel over real pipes: the two ends of the grader/sandbox protocol, no bubblewrap.

One end serves requests with a student function while the other calls it from a
thread: a callback of the grader (as a hidden test passes a gradient function to the
student's ``gradient_descent``) that raises, the public read/write/deadline, and the
sandbox's call time limit with its one encoding (the alarm needs the main thread, so
there the grader's end is the thread).
"""

import os
import threading

import pytest

from coursegrade.channel import Channel


def _student_gradient_descent(grad, w0):
    return grad(w0)   # crashes inside the grader's callback


def _pair():
    g_read, s_write = os.pipe()
    s_read, g_write = os.pipe()
    grader = Channel(g_read, g_write, where="in the submission's code", send_trace=False)
    sandbox = Channel(s_read, s_write, functions={"gd": _student_gradient_descent}.__getitem__)
    return grader, sandbox, (g_read, s_write, s_read, g_write)


def _serve_one(sandbox, seen):
    header, buffers = sandbox.read()
    try:
        sandbox.serve(header, buffers)
    except Exception as error:   # noqa: BLE001 -- the test reads it
        seen.append(error)


def test_a_callbacks_error_reaches_the_submission_without_the_graders_traceback():
    grader, sandbox, fds = _pair()
    seen = []
    worker = threading.Thread(target=_serve_one, args=(sandbox, seen))
    worker.start()

    def hidden_secret_gradient(w):
        hidden_matrix_of_the_test = [[1, 2]]
        raise ValueError(f"shapes do not match: {len(hidden_matrix_of_the_test)} vs {w}")

    try:
        with pytest.raises(ValueError) as raised:
            grader.request({"op": "call", "name": "gd"}, (hidden_secret_gradient, 3), {})
    finally:
        worker.join(10)
        for fd in fds:
            os.close(fd)
    message = str(raised.value)
    assert "shapes do not match: 1 vs 3" in message, message
    # The sandbox rebuilt the callback's error with no trace, so what comes back names
    # neither the hidden function nor a line of it.
    assert "hidden_" not in message, message
    assert not seen, seen


def test_the_submissions_own_traceback_still_reaches_the_grader():
    grader, sandbox, fds = _pair()
    sandbox.functions = {"gd": lambda grad, w0: [1, 2][w0]}.__getitem__
    worker = threading.Thread(target=_serve_one, args=(sandbox, []))
    worker.start()
    try:
        with pytest.raises(IndexError) as raised:
            grader.request({"op": "call", "name": "gd"}, (None, 5), {})
    finally:
        worker.join(10)
        for fd in fds:
            os.close(fd)
    assert "in the submission's code:" in str(raised.value) and "[1, 2][w0]" in str(raised.value), str(raised.value)


# --- the public face: read, write, deadline -----------------------------------------------

def test_read_and_write_carry_one_message_each_and_end_at_the_deadline():
    import time

    from coursegrade.channel import ChannelClosed, DeadlineExceeded

    grader, sandbox, fds = _pair()
    try:
        sandbox.write({"op": "cell", "index": 3})
        sandbox.write({"op": "ready", "nbuf": 1}, [b"\x00\x01"])
        assert grader.read() == ({"op": "cell", "index": 3}, [])
        header, buffers = grader.read()
        assert header["op"] == "ready" and [bytes(b) for b in buffers] == [b"\x00\x01"], (header, buffers)
        grader.deadline = time.monotonic() + 0.2
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded):
            grader.read()          # nothing comes: the read ends at the deadline
        assert time.monotonic() - started < 2
        grader.deadline = None
        os.close(fds[1])           # the sandbox's write end: the other side is gone
        with pytest.raises(ChannelClosed):
            grader.read()
    finally:
        for fd in fds[2:] + fds[:1]:
            os.close(fd)


# --- time limits: the sandbox's alarm, one encoding ------------------------------------

def _grader_calls(grader, calls, results):
    """The grader's end, in a thread (the alarm needs the sandbox's end in the main thread)."""
    for name, args in calls:
        try:
            results.append(grader.request({"op": "call", "name": name}, args, {}))
        except Exception as error:  # noqa: BLE001 -- the test reads it
            results.append(error)


def _spin():
    while True:
        pass


def test_a_call_over_its_time_limit_is_answered_as_a_time_out_and_the_channel_goes_on():
    import time

    grader, sandbox, fds = _pair()
    sandbox.call_timeout = 0.3
    sandbox.functions = {"spin": _spin, "double": lambda x: 2 * x}.__getitem__
    results = []
    worker = threading.Thread(target=_grader_calls, args=(grader, [("spin", ()), ("double", (21,))], results))
    worker.start()
    try:
        started = time.monotonic()
        for _ in range(2):
            sandbox.serve(*sandbox.read())
        seconds = time.monotonic() - started
    finally:
        worker.join(10)
        for fd in fds:
            os.close(fd)
    timeout, answer = results
    assert isinstance(timeout, TimeoutError) and timeout.coursegrade_time_limit, repr(timeout)
    assert "did not return within the grader's time limit of 0.3 s" in str(timeout), str(timeout)
    assert answer == 42, "the channel must go on after a stopped call (nothing half-written)"
    assert seconds < 3, f"the alarm did not stop the call ({seconds:.1f} s)"


def test_time_spent_in_a_callback_counts_against_the_call():
    """The student's function waits for a slow callback of the grader: the call's alarm
    still ends it (it covers the callbacks and the calls made from them)."""
    import time

    grader, sandbox, fds = _pair()
    sandbox.call_timeout = 0.3
    sandbox.functions = {"gd": _student_gradient_descent}.__getitem__
    results = []

    def slow_gradient(w):
        time.sleep(1.0)
        return w

    worker = threading.Thread(target=_grader_calls, args=(grader, [("gd", (slow_gradient, 1))], results))
    worker.start()
    try:
        sandbox.serve(*sandbox.read())
    finally:
        worker.join(10)
        for fd in fds:
            os.close(fd)
    assert isinstance(results[0], TimeoutError) and results[0].coursegrade_time_limit, repr(results[0])

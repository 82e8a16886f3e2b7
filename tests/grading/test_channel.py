"""Channel over real pipes: the two ends of the grader/sandbox protocol, no bubblewrap.

The "sandbox" end runs in a thread and serves ``call`` requests with a student function;
the "grader" end sends it a callback (as a hidden test passes a gradient function to the
student's ``gradient_descent``) that raises.
"""

import os
import threading

import pytest

from coursegrade import wire
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
    header, buffers = wire.read_message(sandbox.reader)
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

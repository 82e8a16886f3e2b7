"""The grading kernel's end: proxies that stand in for the student's functions.

The grading notebook (see ``notebook.py``) starts with::

    __student = coursegrade.proxy.Student.start("/tmp/coursegrade-.../plan.json")

and each solution cell of the instructor's notebook becomes::

    sigmoid = __student.function("sigmoid")

A proxy call sends the arguments to the sandbox, runs the student's function there
under the caller's ``np.errstate``, and returns its result as fresh NumPy data;
arguments the function changed in place are changed here too. An exception in the
student's function is raised here with the same type (NotImplementedError stays
NotImplementedError) and the student's traceback in its message.

The tests then run here, in a kernel the student's code never touches, so nothing
a submission does to its own interpreter (patching numpy, IPython hooks, input
transformers) can reach a verdict.
"""

import json
import os
import signal
import time
from pathlib import Path

import numpy as np

from . import sandbox, wire
from .channel import Channel, ChannelClosed

GRACE = 15  # seconds beyond the worker's own time limits before the grader kills it


class SubmissionUnavailable(RuntimeError):
    """The submission's process is gone, so its functions cannot be called."""


class Student:
    """A running sandboxed submission and the calls made to it."""

    def __init__(self, plan):
        self.plan = plan
        self.process = None
        self.channel = None
        self.cells = []            # what each of the submission's cells did
        self.defined = []
        self.blocked = []          # reference functions the submission tried to call
        self.problems = []         # why the submission could not be (fully) run
        self.dead = None           # reason, once the process is gone
        self.ready = False
        self.calls = 0
        self.proxies = {}          # name -> proxy handed to the grading notebook
        self.namespace = {}
        self.started = time.perf_counter()

    @classmethod
    def start(cls, plan_path, namespace=None):
        """Start the sandboxed submission; ``namespace`` is the grading notebook's globals()."""
        plan = json.loads(Path(plan_path).read_text())
        student = cls(plan)
        student.namespace = namespace if namespace is not None else {}
        student.process, rfd, wfd = sandbox.launch(plan["workdir"], plan["student_lib"],
                                                   plan["memory_mb"])
        student.channel = Channel(rfd, wfd, where="in the submission's code",
                                  timeout=plan["cell_timeout"] + GRACE)
        return student

    # -- start-up -----------------------------------------------------------------------
    def _wait_ready(self):
        if self.ready or self.dead:
            return
        current = None
        try:
            while True:
                header, _ = self.channel._read()
                op = header.get("op")
                if op == "cell":
                    current = header.get("index")
                elif op == "ready":
                    self.cells = header.get("cells", [])
                    self.defined = header.get("defined", [])
                    self.blocked = header.get("blocked", [])
                    self.ready = True
                    self.channel.reader.timeout = self.plan["call_timeout"] + GRACE
                    for record in self.cells:
                        error = record.get("error") or {}
                        if error.get("name") == "TimeoutError":
                            self.problems.append(f"cell {record['index'] + 1} ran over its time limit")
                    return
                else:
                    raise ChannelClosed(f"unexpected message {op!r} during start-up")
        except (ChannelClosed, TimeoutError) as error:
            where = f"while running cell {current + 1}" if current is not None else "while starting"
            self._stop(f"the submission's process {self._death(error)} {where}")

    def _death(self, error):
        if isinstance(error, TimeoutError):
            return f"stopped answering ({error})"
        code = self.process.poll() if self.process else None
        if code is None:
            try:
                code = self.process.wait(timeout=2)
            except Exception:  # noqa: BLE001 -- still running: described as unresponsive
                return f"broke the protocol ({error})"
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else -code
            return f"was killed by signal {name} (out of memory?)"
        return f"exited with code {code} (sys.exit/os._exit, or out of memory)"

    def _stop(self, reason):
        if self.dead is None:
            self.dead = reason
            self.problems.append(reason)
        self._kill()

    def _kill(self):
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
            self.process.wait()

    # -- calls ----------------------------------------------------------------------------
    def function(self, name):
        """A callable that runs the submission's ``name`` in the sandbox."""
        student = self

        def proxy(*args, **kwargs):
            return student.call(name, args, kwargs)

        proxy.__name__ = proxy.__qualname__ = name
        proxy.__doc__ = f"The submission's {name}, run in the grader's sandbox."
        proxy.__coursegrade_student_function__ = name
        self.proxies[name] = proxy
        return proxy

    def _stand_ins(self):
        """Student functions the tests replaced in the grading notebook's globals.

        A test may grade one exercise on its own by swapping in correct versions of
        the others (``globals().update(preprocess=hidden_preprocess)``). In stock
        nbgrader the student's function then finds the swapped-in ones; here they
        are bound in the sandbox's namespace for the duration of each call.
        """
        return {name: value for name, proxy in self.proxies.items()
                if (value := self.namespace.get(name, proxy)) is not proxy and callable(value)}

    def call(self, name, args, kwargs):
        self._wait_ready()
        if self.dead:
            raise SubmissionUnavailable(f"{name} cannot be called: {self.dead}")
        self.calls += 1
        errstate = {k: v for k, v in np.geterr().items()}
        try:
            return self.channel.request({"op": "call", "name": name, "errstate": errstate}, args, kwargs,
                                        bind=self._stand_ins())
        except TimeoutError as error:
            if getattr(error, "coursegrade_time_limit", False):   # stopped by the sandbox's alarm
                self.problems.append(f"{name} ran over its time limit and was stopped")
                raise
            self._stop(f"{name} did not return within {self.plan['call_timeout'] + GRACE} s "
                       "and the submission was stopped")
            raise TimeoutError(f"{name} did not return within the time limit (an endless loop?); "
                               "the submission was stopped, so later tests cannot call it") from None
        except ChannelClosed as error:
            self._stop(f"the submission's process {self._death(error)} while running {name}")
            raise SubmissionUnavailable(f"{name} cannot be checked: {self.dead}") from None

    # -- the end ----------------------------------------------------------------------------
    def finish(self):
        """Stop the sandbox and write the report the nbgrader preprocessor reads."""
        self._wait_ready()
        if not self.dead:
            try:
                wire.write_message(self.channel.writer, {"op": "bye"})
                header, _ = self.channel._read()
                self.blocked = header.get("blocked", self.blocked)
            except (ChannelClosed, TimeoutError, OSError):
                pass
        self._kill()
        report = {"cells": self.cells, "defined": self.defined, "blocked": sorted(set(self.blocked)),
                  "problems": self.problems, "dead": self.dead, "calls": self.calls,
                  "warnings": list(dict.fromkeys(self.channel.warnings))[:20] if self.channel else [],
                  "seconds": round(time.perf_counter() - self.started, 3)}
        Path(self.plan["report"]).write_text(json.dumps(report))

"""The grading kernel's end: proxies that stand in for the student's functions.

The grading notebook (see ``notebook.py``) starts with::

    __student = coursegrade.proxy.Student.start("/tmp/coursegrade-.../plan.json")

and each solution cell of the instructor's notebook becomes::

    sigmoid = __student.function("sigmoid")

A proxy call sends the arguments to the sandbox, runs the student's function there
under the caller's ``np.errstate``, and returns its result as fresh NumPy data.
Arguments it changed in place are changed here too only when the assignment's
contract declares that parameter (``mutates``); every other argument travels as a
copy, so a function that writes into its inputs cannot change what a test computes
from them afterwards (where the notebook asks for the inputs to be left alone, the
contract says ``keeps_inputs`` and such a call fails). An exception in the
student's function is raised here with the same type (NotImplementedError stays
NotImplementedError) and the student's traceback in its message.

The tests then run here, in a kernel the student's code never touches, so nothing
a submission does to its own interpreter (patching numpy, IPython hooks, input
transformers) can reach a verdict.
"""

import copy
import gc
import os
import signal
import sys
import time
import warnings

import numpy as np

from . import sandbox
from .channel import Channel, ChannelClosed, DeadlineExceeded, cut
from .records import ExecutionReport, GradingPlan, SandboxSpec
from .worker import OUTPUT_LIMIT

MAX_RESTARTS = 5  # times a submission whose process died is started again


# What a fresh kernel starts with, restored by fresh_state (this module is first imported
# by the first grading notebook of a kernel, before any test has run).
_PRISTINE = {"errstate": np.geterr(), "filters": list(warnings.filters)}


def fresh_state():
    """Undo what an earlier grading notebook in this kernel may have changed.

    The kernel is reused from one submission to the next (``execute._GradingKernel``);
    the notebook's first cell has cleared its variables (``%reset -f``). This restores
    numpy's error state and the warning filters, closes figures and collects garbage.
    """
    np.seterr(**_PRISTINE["errstate"])
    # resetwarnings() also marks the filters changed, so the "already warned" caches of
    # the old ones are dropped (setting warnings.filters alone would not do that).
    warnings.resetwarnings()
    warnings.filters[:] = _PRISTINE["filters"]
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    gc.collect()


class _Arguments:
    """Which arguments of a call reach the student's function as the caller's own objects.

    Only the parameters in ``mutates`` (by name; positional arguments are named by the
    solution's ``parameters``) do, so that a declared in-place change (an optimiser
    step updating ``params``) reaches the test. Every other argument is copied for the
    call: what the function writes into it never reaches the caller, whose later
    reference computation sees the inputs as it made them. A change to such a copy is
    not held against the student (a right answer may work in place), except where the
    notebook asks the function to leave its inputs alone (``keeps_inputs``: relu writing
    into z, a shuffle of X in place): there ``check`` makes the call fail, as the
    notebook's own check would have, had the copies not hidden it.
    """

    def __init__(self, parameters, mutates, keeps_inputs=False):
        self.parameters, self.mutates = list(parameters), set(mutates)
        self.keeps_inputs = keeps_inputs

    def _names(self, args):
        return self.parameters + [None] * max(0, len(args) - len(self.parameters))

    def copies(self, args, kwargs):
        memo = {}
        args = tuple(a if n in self.mutates else _copy(a, memo) for n, a in zip(self._names(args), args))
        kwargs = {k: v if k in self.mutates else _copy(v, memo) for k, v in kwargs.items()}
        return args, kwargs

    def check(self, name, given, handed):
        """Raise when the function changed an argument it was handed as a copy (and must not)."""
        if not self.keeps_inputs:
            return
        (args, kwargs), (handed_args, handed_kwargs) = given, handed
        labelled = [(n or f"number {i + 1}", a, h)
                    for i, (n, a, h) in enumerate(zip(self._names(args), args, handed_args))]
        labelled += [(k, kwargs[k], handed_kwargs[k]) for k in kwargs]
        for label, original, copied in labelled:
            if original is not copied and not _same(original, copied):
                raise ValueError(f"{name} changed its argument {label} in place. Leave the arrays it is "
                                 "given as they are and compute new ones (y = x * 2, not x *= 2).")


def _same(a, b):
    """Equal values, compared the way the wire carries them."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, np.random.Generator):
        return isinstance(b, np.random.Generator) and a.bit_generator.state == b.bit_generator.state
    return a is b or a == b


def _copy(value, memo):
    """A copy of everything mutable the wire carries (arrays, lists, dicts, generators);
    aliasing among the copied values is kept."""
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, np.ndarray):
        copied = value.copy()
    elif isinstance(value, list):
        copied = memo[id(value)] = []
        copied.extend(_copy(v, memo) for v in value)
    elif isinstance(value, dict):
        copied = memo[id(value)] = {}
        copied.update((k, _copy(v, memo)) for k, v in value.items())
    elif isinstance(value, tuple):
        copied = tuple(_copy(v, memo) for v in value)
    elif isinstance(value, np.random.Generator):
        copied = copy.deepcopy(value)
    else:
        return value        # immutable, or a callable (called back, never copied)
    memo[id(value)] = copied
    return copied


class SubmissionUnavailable(RuntimeError):
    """The submission's process is gone, so its functions cannot be called."""


class _ProtocolViolation(Exception):
    """The sandbox sent something the worker never sends there (a forged message)."""


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
        self.restarts = 0          # times the process died and was started again
        self.fatal = {}            # function -> why it is not called again (it killed the process)
        self.lost_cells = {}       # index -> record of a cell the process died in
        self.warnings = []         # warnings recorded by channels of earlier processes
        self.namespace = {}
        self.started = time.perf_counter()
        # Wall-clock limits are the grader's own: the sandbox's alarm is only a courtesy
        # that the student's code can switch off. Each read from the sandbox ends at a
        # deadline (channel.TimedReader), however much the sandbox writes meanwhile.
        self.grace = plan.grace
        self.budget = plan.submission_timeout
        self.budget_end = time.monotonic() + self.budget
        self.expected = []         # indices of the cells the running process will announce
        self._depth = 0            # calls in progress (a callback may call again)

    @classmethod
    def start(cls, plan_path, namespace=None):
        """Start the sandboxed submission; ``namespace`` is the grading notebook's globals()."""
        student = cls(GradingPlan.load(plan_path))
        student.namespace = namespace if namespace is not None else {}
        student._launch()
        return student

    def _launch(self):
        if self.channel is not None:
            self.warnings += self.channel.warnings
            self.channel.close()
        spec = SandboxSpec.load(sandbox.spec_path(self.plan.workdir))
        self.expected = [cell["index"] for cell in spec.cells]
        self.process, rfd, wfd = sandbox.launch(
            self.plan.workdir, self.plan.student_lib, self.plan.memory_mb, disk_mb=self.plan.disk_mb,
            cpu_seconds=self.budget + self.grace, uid=self.plan.uid)
        self.channel = Channel(rfd, wfd, where="in the submission's code", send_trace=False)
        self.ready = False
        self._set_deadline(self.plan.cell_timeout + self.grace)   # imports, before the first cell

    def _set_deadline(self, seconds, outer=None):
        """The next reads from the sandbox end within ``seconds`` (and within ``outer``
        and the submission's whole budget)."""
        deadline = min(time.monotonic() + seconds, self.budget_end)
        if outer is not None:
            deadline = min(deadline, outer)
        self.channel.deadline = deadline

    def _budget_used(self):
        return time.monotonic() >= self.budget_end - 0.05

    def _budget_reason(self):
        return (f"the submission used up its time budget of {self.budget:g} s "
                "(submission_timeout) and was stopped")

    def _restart(self, skip=None):
        """Start the submission again after its process died; False when it may not.

        ``skip``: the index of the cell it died in, which is left out from now on. The
        other cells run, as they do after a cell that raised an error: a kernel that
        dies in JupyterLab keeps nothing, but the student's answers in the other
        cells are their work and keep their points (the submission is flagged).
        """
        if self.restarts >= MAX_RESTARTS:
            return False
        self.restarts += 1
        if skip is not None:
            path = sandbox.spec_path(self.plan.workdir)
            SandboxSpec.load(path).without_cell(skip).save(path)
        self.process, self.ready = None, False   # started again by the next _wait_ready
        return True

    # -- start-up -----------------------------------------------------------------------
    def _wait_ready(self):
        while not (self.ready or self.dead):
            if self._budget_used():
                self._stop(self._budget_reason())
                break
            if self.process is None:
                self._launch()
            current, announced = None, 0
            try:
                while True:
                    header, _ = self.channel.read()
                    op = header.get("op")
                    if op == "cell":
                        index = header.get("index")
                        if announced >= len(self.expected) or index != self.expected[announced]:
                            raise _ProtocolViolation(f"a progress message for cell {str(index)[:20]} "
                                                     "where the grader expected another")
                        announced += 1
                        current = index
                        self._set_deadline(self.plan.cell_timeout + self.grace)
                    elif op == "ready":
                        if announced != len(self.expected):
                            raise _ProtocolViolation("a 'ready' message before its last cell ran")
                        break
                    else:
                        raise ChannelClosed(f"unexpected message {str(op)[:40]!r} during start-up")
            except (ChannelClosed, TimeoutError, DeadlineExceeded, _ProtocolViolation) as error:
                where = f"while running cell {current + 1}" if current is not None else "while starting"
                if isinstance(error, DeadlineExceeded) and self._budget_used():
                    self._stop(f"{self._budget_reason()} {where}")
                    break
                if isinstance(error, DeadlineExceeded):
                    reason = (f"the submission's process kept running past the {self.plan.cell_timeout:g} s "
                              f"time limit (+{self.grace:g} s) {where} and was stopped")
                elif isinstance(error, _ProtocolViolation):
                    reason = f"the submission's process broke the grader's protocol ({error}) {where}"
                else:
                    reason = f"the submission's process {self._death(error)} {where}"
                self._kill()
                if current is not None:
                    self.lost_cells[current] = {"index": current, "stdout": "", "stderr": "",
                                                "error": {"name": "ProcessDied", "message": reason}}
                if current is None or not self._restart(skip=current):
                    self._stop(reason)
                else:
                    self.problems.append(reason + "; the notebook was run again without that cell")
                continue
            self.cells = sorted(self._checked_records(header.get("cells")) + list(self.lost_cells.values()),
                                key=lambda record: record.get("index", -1))
            defined = header.get("defined", [])
            self.defined = [str(n)[:200] for n in defined[:1000]] if isinstance(defined, list) else []
            self.ready = True
            self._note_full(header.get("full"))
            for record in self.cells:
                error = record.get("error") or {}
                problem = f"cell {record['index'] + 1} ran over its time limit"
                if error.get("name") == "TimeoutError" and problem not in self.problems:
                    self.problems.append(problem)

    def _note_full(self, paths):
        """The worker says the submission filled its private disk (only ever its own loss)."""
        if paths and isinstance(paths, list):
            problem = (f"the submission filled its private disk space ({', '.join(str(p)[:40] for p in paths[:2])}; "
                       f"{self.plan.disk_mb} MiB each, disk_mb): writing more failed")
            if problem not in self.problems:
                self.problems.append(problem)

    def _checked_records(self, records):
        """The 'ready' message's cell records, as the worker makes them, cut to its limits.

        The submission's code can write to the pipe too, so the message may be forged:
        only known fields of known cells are kept, each at most as long as the worker
        makes it; anything longer is cut and the submission flagged.
        """
        text_limit = OUTPUT_LIMIT + 200        # the worker's cap and its note
        checked, forged = {}, False
        for record in records if isinstance(records, list) else []:
            if not isinstance(record, dict) or record.get("index") not in self.expected:
                forged = True
                continue
            entry = {"index": record["index"]}
            for stream in ("stdout", "stderr"):
                text = str(record.get(stream) or "")
                forged |= len(text) > text_limit
                entry[stream] = cut(text, text_limit)
            error = record.get("error")
            if isinstance(error, dict):
                entry["error"] = {"name": cut(str(error.get("name")), 200),
                                  "message": cut(str(error.get("message")), 2200)}
                forged |= len(str(error.get("name"))) > 200 or len(str(error.get("message"))) > 2200
            else:
                entry["error"] = None
            seconds = record.get("seconds")
            entry["seconds"] = seconds if isinstance(seconds, (int, float)) else None
            checked[entry["index"]] = entry
        if forged:
            self.problems.append("the sandbox's report of the submission's cells was not what the grader's "
                                 "worker sends (forged?): what it shows was cut")
        return list(checked.values())

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
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = -code
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
    def function(self, name, parameters=(), mutates=(), keeps_inputs=False):
        """A callable that runs the submission's ``name`` in the sandbox.

        ``parameters``: the solution's parameter names (to tell which positional
        argument is which); ``mutates``: those the contract lets it change in place;
        ``keeps_inputs``: the call fails when it changed any other argument.
        """
        student = self
        keep = _Arguments(parameters, mutates, keeps_inputs)

        def proxy(*args, **kwargs):
            handed = keep.copies(args, kwargs)
            result = student.call(name, *handed)
            keep.check(name, (args, kwargs), handed)
            return result

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
        if name in self.fatal:     # it killed the process once: not again (each restart costs time)
            raise SubmissionUnavailable(f"{name} is not called again: {self.fatal[name]}")
        self._wait_ready()
        if self.dead:
            raise SubmissionUnavailable(f"{name} cannot be called: {self.dead}")
        self.calls += 1
        errstate = {k: v for k, v in np.geterr().items()}
        # A call's deadline covers the callbacks it makes, and calls made from those
        # callbacks end within the outer call's deadline.
        channel = self.channel
        outer = channel.deadline if self._depth else None
        self._set_deadline(self.plan.call_timeout + self.grace, outer)
        self._depth += 1
        try:
            return self.channel.request({"op": "call", "name": name, "errstate": errstate}, args, kwargs,
                                        bind=self._stand_ins())
        except TimeoutError as error:
            if getattr(error, "coursegrade_time_limit", False):   # stopped by the sandbox's alarm
                self.problems.append(f"{name} ran over its time limit and was stopped")
            raise                  # (or the student's function raised TimeoutError itself)
        except DeadlineExceeded:
            if self._budget_used():
                self._stop(f"{self._budget_reason()} while running {name}")
                raise SubmissionUnavailable(f"{name} cannot be checked: {self.dead}") from None
            reason = (f"{name} did not return within {self.plan.call_timeout + self.grace:g} s "
                      "and the submission was stopped")
            self._died(name, reason)
            raise TimeoutError(f"{name} did not return within the time limit (an endless loop?) and "
                               "was stopped") from None
        except (ChannelClosed, BrokenPipeError) as error:
            if channel is not self.channel or self.process is None:
                # It died, or was stopped, in a call made from one of this call's callbacks.
                raise SubmissionUnavailable(f"{name} cannot be checked: the submission's process was "
                                            "stopped in a call made from it") from None
            reason = f"the submission's process {self._death(error)} while running {name}"
            self._died(name, reason)
            raise SubmissionUnavailable(f"{name} cannot be checked: {reason}") from None
        except Exception as error:
            if getattr(error, "coursegrade_cut", False):
                problem = f"{name} raised an error whose message was longer than the sandbox sends (forged?): cut"
                if problem not in self.problems:
                    self.problems.append(problem)
            raise
        finally:
            self._depth -= 1
            channel.deadline = outer
            # The sandbox sends up to 20 warnings with each answer: keep a few, short.
            channel.warnings[:] = [cut(str(w), 500) for w in dict.fromkeys(channel.warnings)][:20]

    def _died(self, name, reason):
        """The process died (or hung) in a call of ``name``: start it again for the other tests."""
        self.fatal[name] = reason
        self._kill()
        if self._restart():
            self.problems.append(reason + "; it was started again for the remaining tests")
        else:
            self._stop(reason)

    # -- the end ----------------------------------------------------------------------------
    def finish(self):
        """Stop the sandbox and write the report the nbgrader preprocessor reads."""
        if self.process is not None:     # None: it died in a call and no test needed it again
            self._wait_ready()
        if not self.dead and self.process is not None:
            try:
                self.channel.deadline = time.monotonic() + self.grace
                self.channel.write({"op": "bye"})
                header, _ = self.channel.read()
                self._note_full(header.get("full"))
                blocked = header.get("blocked", self.blocked)
                self.blocked = [str(b)[:200] for b in blocked[:20]] if isinstance(blocked, list) else []
            except (ChannelClosed, TimeoutError, OSError, DeadlineExceeded):
                pass
        self._kill()
        if self.channel is not None:
            self.channel.close()   # the grading kernel lives on: its pipe ends must not pile up
        ExecutionReport(cells=self.cells, defined=self.defined, blocked=sorted(set(self.blocked)),
                        problems=self.problems, dead=self.dead, calls=self.calls, restarts=self.restarts,
                        warnings=[cut(str(w), 500) for w in dict.fromkeys(
                            self.warnings + (self.channel.warnings if self.channel else []))][:20],
                        seconds=round(time.perf_counter() - self.started, 3)).save(self.plan.report)

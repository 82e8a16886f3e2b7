"""The sandboxed end: run a submission's cells, then serve calls to its functions.

Started by ``sandbox.launch`` inside bubblewrap as::

    python -m coursegrade.worker SPEC.json READ_FD WRITE_FD

SPEC.json (a :class:`~coursegrade.records.SandboxSpec`, written by the grader) holds
the submission's code cells and the time limits. Everything here runs with the student's code in the same process, so
nothing here is trusted by the grader: this side only produces *answers*; the
verdicts are computed by the tests in the grading kernel.

Each cell runs in an IPython shell (magics work, as in JupyterLab) with its output
captured and capped; an error, ``sys.exit()``, ``input()`` or a cell that runs over
its time limit is recorded and the next cell runs. The grader reads progress
messages (``cell``), then ``ready`` with what each cell did, then sends ``call``
requests until ``bye``.
"""

import contextlib
import gc
import io
import os
import shutil
import sys
import time

from .channel import Channel, ChannelClosed, TimeLimit, time_limit
from .records import SandboxSpec

OUTPUT_LIMIT = 20_000  # characters of stdout/stderr kept per cell


class CappedText(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit=OUTPUT_LIMIT):
        self.limit = limit
        self.parts, self.kept, self.dropped = [], 0, 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = self.limit - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self):
        value = "".join(self.parts)
        if self.dropped:
            value += f"\n[... {self.dropped} more characters of output not kept]\n"
        return value


def _error_record(error):
    if error is None:
        return None
    return {"name": type(error).__name__, "message": str(error)[:2000]}


def run_cells(shell, cells, cell_timeout, progress):
    """Run each cell; returns one record per cell (outputs and error)."""
    records = []
    for cell in cells:
        progress(cell["index"])
        out, err = CappedText(), CappedText()
        error = None
        started = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                with time_limit(cell_timeout):
                    result = shell.run_cell(cell["source"], store_history=True)
                error = result.error_before_exec or result.error_in_exec
                if isinstance(error, TimeLimit):  # IPython's run_code catches it itself
                    raise error
            except TimeLimit:
                error = TimeoutError(f"cell ran over its {cell_timeout:g} s time limit and was stopped")
            except BaseException as exc:  # noqa: BLE001 -- recorded; the next cell runs
                error = exc
        _close_figures()
        records.append({"index": cell["index"], "stdout": out.getvalue(),
                        "stderr": err.getvalue(), "error": _error_record(error),
                        "seconds": round(time.perf_counter() - started, 3)})
        # A failed cell's traceback keeps its frames -- and whatever they allocated --
        # alive (a MemoryError's hoard, say); the next cell would run out of memory.
        if error is not None:
            error = result = None
            _forget_last_error(shell)     # gc.collect() costs ~20 ms: only after an error
    return records


def _forget_last_error(shell):
    """Drop every reference IPython and ``sys`` keep to the last error, then collect.

    Measured on a list that grew until MemoryError: without this the process stays at
    the memory limit (1023 MiB) and the next BLAS call aborts it; with it, 191 MiB.
    """
    for name in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, name):
            with contextlib.suppress(AttributeError):
                delattr(sys, name)
    shell.last_execution_result = None
    with contextlib.suppress(AttributeError):
        shell.InteractiveTB.tb = None
    gc.collect()


def _close_figures():
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        with contextlib.suppress(Exception):
            plt.close("all")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    spec_path, rfd, wfd = argv[0], int(argv[1]), int(argv[2])
    spec = SandboxSpec.load(spec_path)
    _make_working_folder(spec)

    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    channel = Channel(rfd, wfd, file_dir=spec.file_dir, call_timeout=spec.call_timeout)

    def progress(index):
        channel.write({"op": "cell", "index": index})

    # From here on the student's code runs. The process's stderr is the grader's
    # sandbox.log, on the host's disk: it gets /dev/null (what the student's code prints
    # goes to the captured, capped streams).
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    records = run_cells(shell, spec.cells, spec.cell_timeout, progress)

    def find(name):
        try:
            return shell.user_ns[name]
        except KeyError:
            raise NameError(f"the submission defines no '{name}': was its cell deleted, or the "
                            "function renamed?") from None

    channel.functions = find
    channel.namespace = shell.user_ns
    # Only calls made while the student's functions are checked count: the notebook's
    # own demonstration cells may use a switched-off function and fail, harmlessly.
    _blocked_calls(clear=True)
    channel.write({"op": "ready", "cells": records, "blocked": [], "full": _full_disks(),
                   "defined": [n for n in spec.functions if n in shell.user_ns]})
    while True:
        try:
            header, buffers = channel.read()
        except ChannelClosed:   # the grader is gone, or sent garbage: nothing to answer
            return
        if header.get("op") == "bye":
            channel.write({"op": "bye", "blocked": _blocked_calls(), "full": _full_disks()})
            return
        if header.get("op") != "call":
            return
        channel.serve(header, buffers)     # under the call's time limit (Channel.call_timeout)


def _make_working_folder(spec):
    """Copy the submission's supporting files and matplotlib's font cache from the
    read-only input folder into the private, size-capped home; work there.

    Runs before any student code: this is still the grader's code.
    """
    work = spec.work
    os.makedirs(work, exist_ok=True)
    for source, target in ((spec.files, work), (spec.mpl, os.environ.get("MPLCONFIGDIR"))):
        if not source or not target or not os.path.isdir(source):
            continue
        os.makedirs(target, exist_ok=True)
        for name in os.listdir(source):
            try:
                shutil.copyfile(os.path.join(source, name), os.path.join(target, name))
            except OSError:     # no room (disk_mb below the files' size): the file is missing
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(target, name))
    os.chdir(work)


def _full_disks():
    """The private, size-capped file systems (home, /tmp) that are (nearly) full."""
    full = []
    for path in (os.environ.get("HOME"), "/tmp"):
        with contextlib.suppress(OSError, TypeError):
            info = os.statvfs(path)
            if info.f_bavail * info.f_frsize < 2**20:
                full.append(path)
    return full


def _blocked_calls(clear=False):
    grading = sys.modules.get("nnlearn._grading")
    calls = getattr(grading, "blocked_calls", None)
    if not isinstance(calls, list):
        return []
    names = [str(c) for c in calls[:20]]
    if clear:
        calls.clear()
    return names


if __name__ == "__main__":
    # Nothing the student's code prints reaches the grader except through the
    # captured, capped streams: the process's own stdout/stderr are /dev/null.
    main()
    sys.stdout.flush()
    os._exit(0)

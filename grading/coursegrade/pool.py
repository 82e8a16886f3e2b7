"""The worker pool of ``coursegrade grade``: submissions graded side by side, crashes contained.

Owns the pool worker processes (:class:`Pool`), what they print (all of it goes to
:data:`WORKER_LOG` in the course root, reset once per run by :meth:`Pool.start`),
the grader-error retry, and Ctrl-C. What a worker does with one submission is
:mod:`coursegrade.autograde`.
"""

import contextlib
import multiprocessing
import multiprocessing.forkserver
import os
import shutil
import signal
import sys
import threading
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from . import autograde
from .errors import CourseError, Interrupted
from .records import FAILED, Row

WORKER_LOG = "coursegrade.log"      # in the course root: the workers' stdout/stderr
PRELOAD = ["coursegrade.autograde", "coursegrade.execute", "nbgrader.apps.api", "nbgrader.apps.baseapp",
           "nbclient", "jupyter_client.manager"]


def default_jobs():
    """One worker per CPU core available to this process."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _context():
    """forkserver where there is one (Linux): workers are forked from a server process
    that imported nbgrader once, so a new pool starts in a fraction of a second; spawn
    elsewhere. Never plain fork: the main process runs threads (the progress bar's)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def preload():
    """Start the forkserver now, in the background: it imports nbgrader (about 2 s) while
    this process loads the course, so the workers started later fork at once."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        _context()
        threading.Thread(target=multiprocessing.forkserver.ensure_running, name="coursegrade-preload",
                         daemon=True).start()


def _ignore_sigint(signum, frame):
    """Ctrl-C in the terminal reaches the workers too; the main process handles it.

    A handler function rather than SIG_IGN: programs the worker starts get the
    default SIGINT behaviour back (an ignored signal would stay ignored in them).
    """


def _init_worker(root, cancel, log_path):
    """Set up one worker process: quiet, in the course root, nbgrader loaded once."""
    signal.signal(signal.SIGINT, _ignore_sigint)
    # nbgrader, kernels and sandboxes write to stdout/stderr; keep the terminal for the
    # progress bar and put all that in the course's coursegrade.log.
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    os.chdir(root)
    autograde.start_worker(root, cancel)


def _ping():
    """A no-op task: returns once a worker has started."""
    return True


def _kill_workers(executor):
    """Kill the worker processes of ``executor`` (the second Ctrl-C).

    The one use of a private attribute in the grader: ``concurrent.futures`` has no
    public way to stop running tasks before Python 3.14 (``terminate_workers``).
    """
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()


class Pool:
    """Run :func:`autograde.grade_task` over tasks in ``jobs`` worker processes.

    At most ``jobs`` tasks are handed out at once, so when a worker process dies (the
    pool breaks) only the tasks then running are suspect: they are graded again one
    at a time, each alone in a fresh pool, and the one that kills its worker again
    gets the row of ``died_row`` (without a record: the next run tries again). The
    other tasks go on in a new pool. A task that failed for the grader's own reason
    is graded once more.
    """

    def __init__(self, root, jobs):
        self.root, self.jobs = Path(root), jobs
        self.context = _context()
        self.cancel = self.context.Event()
        self._warm = None        # the executor started by start(), not yet used
        self._starting = None    # the thread that starts it

    def start(self):
        """Reset :data:`WORKER_LOG` and start the ``jobs`` workers now, without waiting:
        they load nbgrader while the main process gets the gradebook ready."""
        (self.root / WORKER_LOG).write_text("", encoding="utf-8")

        def start():
            executor = self._new_executor(self.jobs)
            for _ in range(self.jobs):
                executor.submit(_ping)
            self._warm = executor

        self._starting = threading.Thread(target=start, name="coursegrade-start", daemon=True)
        self._starting.start()

    def _take_warm(self):
        """The started executor, or None; only once."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        warm, self._warm = self._warm, None
        return warm

    def close(self):
        """Shut down started workers that :meth:`run` did not use."""
        warm = self._take_warm()
        if warm is not None:
            warm.shutdown(wait=True, cancel_futures=True)

    def grade(self, tasks, staged_root, max_scores):
        """Grade ``tasks`` with a progress bar; their rows, or None when interrupted (Ctrl-C).

        Each task's staged copy (in ``staged_root``) is removed once it is done.
        """
        from tqdm import tqdm

        rows = []
        progress = tqdm(total=len(tasks), desc="grading", unit="submission", file=sys.stderr, dynamic_ncols=True)

        def on_row(task, row):
            shutil.rmtree(Path(staged_root) / task.student / task.assignment, ignore_errors=True)
            if row is not None:
                rows.append(row)
                progress.update(1)

        def died_row(task):      # no record: the next run tries again (the cause may lie elsewhere)
            return Row.make(task.student, task.assignment, FAILED,
                            list(task.reasons) + ["the grading process died while grading this submission "
                                                  "(out of memory, or killed?); the next run tries again"],
                            0, max_scores[task.assignment])

        try:
            self.run(tasks, on_row, died_row)
        except Interrupted:
            progress.close()
            print(f"\ninterrupted after {progress.n} of {len(tasks)} submission(s); nothing graded is lost: "
                  "run the same command again to grade the rest", file=sys.stderr)
            return None
        progress.close()
        return rows

    def run(self, tasks, on_row, died_row):
        """Grade ``tasks``; ``on_row(task, row)`` for each (row None: interrupted)."""
        self.on_row, self.died_row = on_row, died_row
        self.queue = queue = deque(tasks)
        while queue:
            for task in self._run_parallel(queue):
                self._run_alone(task)

    def _finish(self, task, result):
        """Hand a row on; a row failed by the grader's own error is first graded once more."""
        row, retry = result if result is not None else (None, False)
        if retry and not task.retried:
            self.queue.append(autograde.retried(task))
            return
        self.on_row(task, row)

    def _run_parallel(self, queue):
        """Grade from ``queue`` until it is empty or the pool breaks; return the suspects."""
        outstanding, suspects = {}, []
        with self._executor(min(self.jobs, len(queue))) as executor:
            while queue or outstanding:
                while queue and len(outstanding) < self.jobs and not suspects:
                    task = queue.popleft()
                    outstanding[executor.submit(autograde.grade_task, task)] = task
                if not outstanding:
                    break
                done, _ = wait(outstanding, return_when=FIRST_COMPLETED)
                for future in done:
                    task = outstanding.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        suspects.append(task)
                    else:
                        self._finish(task, result)
        return suspects

    def _run_alone(self, task):
        with self._executor(1) as executor:
            try:
                result = executor.submit(autograde.grade_task, task).result()
            except BrokenProcessPool:
                result = (self.died_row(task), False)
            self._finish(task, result)

    def _new_executor(self, workers):
        return ProcessPoolExecutor(max_workers=workers, mp_context=self.context, initializer=_init_worker,
                                   initargs=(str(self.root), self.cancel, str(self.root / WORKER_LOG)))

    @contextlib.contextmanager
    def _executor(self, workers):
        """A pool of ``workers`` processes, shut down on leaving.

        A worker that dies while starting is the setup's fault (nothing was graded
        yet): then the command stops rather than fail every submission. On Ctrl-C the
        running tasks stop without writing records, then :class:`Interrupted` is raised.
        """
        # The started executor has ``jobs`` workers: never fewer than asked for.
        executor = self._take_warm() or self._new_executor(workers)
        try:
            try:
                executor.submit(_ping).result()
            except BrokenProcessPool:
                raise CourseError("the grading worker processes die while starting; "
                                  f"see {self.root / WORKER_LOG}") from None
            yield executor
        except KeyboardInterrupt:
            self.cancel.set()
            print("\ninterrupted: stopping the submissions being graded (their results are dropped and "
                  "they are graded again next time); press Ctrl-C again to kill them now", file=sys.stderr)
            try:
                executor.shutdown(wait=True, cancel_futures=True)
            except KeyboardInterrupt:
                _kill_workers(executor)
            raise Interrupted() from None
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

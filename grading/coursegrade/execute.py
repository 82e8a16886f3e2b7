"""``SandboxedExecute``: the nbgrader preprocessor that replaces ``Execute`` in autograde.

nbgrader_config.py puts it first in ``Autograde.autograde_preprocessors``. For each
submitted notebook it

1. builds the student's copy of ``nnlearn`` (``blocklist``) and a private working
   folder outside the course (``sandbox.prepare``);
2. runs the *grading notebook* (``notebook.grading_notebook``: the instructor's
   notebook, solutions replaced by proxies) with nbclient in a fresh kernel; its
   first cell starts the sandboxed submission;
3. copies each test cell's outputs back into the submission by ``grade_id``, with
   error tracebacks cut down to the exception's type and message (a traceback would
   quote the hidden tests), and the submission's own output into its answer cells;
4. writes the :class:`~coursegrade.records.GradingReport` ``<notebook>.grading.json``
   next to the autograded notebook: status ``graded`` or ``flagged`` and the reasons
   (a crash, a time-out, a call to a switched-off reference function), read by
   ``coursegrade grade`` for the CSV.

The grading notebook reads its :class:`~coursegrade.records.GradingPlan` (how to
start and limit the sandbox) and writes an :class:`~coursegrade.records.ExecutionReport`
(what the submission did), both in a private folder that is removed afterwards.

nbgrader's later preprocessors (SaveAutoGrades, ...) then score the test cells as
usual: a test cell with an error output scores zero.
"""

import json
import multiprocessing.util
import os
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Integer, Unicode

from . import blocklist, contract, layout, notebook, sandbox, submission
from .records import (EXECUTION_REPORT_NAME, FLAGGED, GRADED, PLAN_NAME, ExecutionReport, GradingPlan, GradingReport,
                      RecordError)

OUTPUT_TEXT_LIMIT = 10_000       # characters of one output's text in the autograded notebook
OUTPUT_DATA_LIMIT = 1_000_000    # characters of one rich output (an image, base64)
NOTEBOOK_OUTPUT_LIMIT = 2_000_000  # characters of all the outputs copied into one notebook
BACKSTOP_MARGIN = 60             # seconds a grading notebook's cell may run past the submission's budget


class SandboxedExecute(NbGraderPreprocessor):
    """Grade by running the tests in a clean kernel against the sandboxed submission."""

    cell_timeout = Integer(layout.CELL_TIMEOUT, help="Seconds one cell of the submission may run in the "
                                                     "sandbox.").tag(config=True)
    call_timeout = Integer(layout.CALL_TIMEOUT, help="Seconds one call of a student's function may "
                                                     "take.").tag(config=True)
    memory_mb = Integer(2048, help="Address-space limit of the sandboxed submission, in MiB.").tag(config=True)
    submission_timeout = Integer(layout.SUBMISSION_TIMEOUT, help="Seconds of wall-clock time for everything one submission runs, "
                                           "restarts included; the tests still to run then fail.").tag(config=True)
    disk_mb = Integer(256, help="Size of the sandbox's private home (its working folder) and, again, of its "
                                "/tmp, in MiB: both are in memory.").tag(config=True)
    sandbox_uid = Integer(65534, help="The unprivileged uid (and gid) a submission runs as when the grader "
                                      "runs as root.").tag(config=True)
    kernel_name = Unicode("python3", help="Kernel of the grading notebook.").tag(config=True)
    library = Unicode("", help="Folder of the reference library package (default: where `import nnlearn` finds it).").tag(config=True)
    keep_workdir = Bool(False, help="Keep the sandbox's working folder (for debugging).").tag(config=True)
    reuse_kernel = Bool(True, help="Grade the submissions of one process in one grading kernel, reset "
                                   "between them (it starts in ~0.6 s of CPU: a fifth of grading one "
                                   "notebook). The kernel only ever runs the instructor's code.").tag(config=True)

    _sandbox_checked = False

    def preprocess(self, nb, resources):
        if not SandboxedExecute._sandbox_checked:
            sandbox.check_available(self.sandbox_uid)   # SandboxUnavailable says how to fix it
            sandbox.check_venv_has_no_reference()
            SandboxedExecute._sandbox_checked = True
        info = resources.get("nbgrader", {})
        assignment, name = info.get("assignment"), info.get("notebook")
        coursedir = CourseDirectory(config=self.config)
        if os.environ.get(STAGED_ENV) != "1":
            refuse_unsafe_folder(coursedir, info.get("student"), assignment)
        source_path = Path(coursedir.format_path(coursedir.source_directory, ".", assignment)) / f"{name}.ipynb"
        source_nb = nbformat.read(str(source_path), as_version=4)
        build_dir = Path(resources.get("metadata", {}).get("path") or ".")

        grading_contract = contract.load(source_path.parent)   # ContractError when it has none
        student_lib = blocklist.build_student_library(self.library or _nnlearn_folder(), grading_contract)
        workdir = sandbox.new_workdir()
        report_path = workdir / EXECUTION_REPORT_NAME
        problems = []
        report = ExecutionReport()
        try:
            cells = notebook.student_cells(nb, source_nb)
            skipped = sandbox.prepare(workdir, cells, notebook.solution_functions(source_nb),
                                      self.cell_timeout, self.call_timeout, files_from=build_dir)
            if skipped:
                problems.append("files not given to the submission's code: " + "; ".join(skipped[:10]))
            plan_path = workdir / PLAN_NAME
            GradingPlan(workdir=str(workdir), student_lib=str(student_lib), report=str(report_path),
                        memory_mb=self.memory_mb, cell_timeout=self.cell_timeout, call_timeout=self.call_timeout,
                        submission_timeout=self.submission_timeout, disk_mb=self.disk_mb,
                        uid=self.sandbox_uid).save(plan_path)
            grading_nb = notebook.grading_notebook(source_nb, plan_path, cwd=workdir / "grader",
                                                   mutates=grading_contract.mutates,
                                                   keeps_inputs=grading_contract.keeps_inputs)
            problems += self._run(grading_nb, workdir)
            budget = _OutputBudget()
            self._copy_test_outputs(grading_nb, nb, budget)
            try:
                report = ExecutionReport.load(report_path)
            except RecordError as error:
                problems.append(f"the grading notebook stopped before the submission's report was written ({error})")
            self._copy_answer_outputs(report.cells, nb, budget)
            problems += budget.problems()
        finally:
            if not self.keep_workdir:
                shutil.rmtree(workdir, ignore_errors=True)

        reasons = list(dict.fromkeys(problems + report.problems))
        if report.blocked:
            reasons.append("called reference functions switched off for grading: " + ", ".join(report.blocked))
        GradingReport(status=FLAGGED if reasons else GRADED, reasons=reasons, calls=report.calls,
                      seconds=report.seconds, warnings=report.warnings).save(GradingReport.path(build_dir, name))
        return nb, resources

    def _run(self, grading_nb, workdir):
        """Execute the grading notebook; returns problems that stopped it early."""
        cwd = workdir / "grader"
        cwd.mkdir()
        kernel = _GradingKernel.get(self.kernel_name) if self.reuse_kernel else None
        # Time is limited by proxy.Student (per cell, per call, per submission); this is a
        # backstop for the instructor's own test code: a test cell may take the whole
        # submission's budget, and a minute more.
        client = NotebookClient(grading_nb, timeout=self.submission_timeout + BACKSTOP_MARGIN,
                                kernel_name=self.kernel_name,
                                allow_errors=True, km=kernel.km if kernel else None,
                                resources={"metadata": {"path": str(kernel.home if kernel else cwd)}})
        if kernel is not None:
            client.kc = kernel.kc
        try:
            client.execute()
        except BaseException as error:
            if kernel is not None:
                kernel.discard()
            if isinstance(error, (CellTimeoutError, DeadKernelError)):
                return [f"the grading kernel stopped: {type(error).__name__}"]
            raise
        if kernel is not None:
            kernel.kc = client.kc     # its channels, for the next notebook
        return []

    @staticmethod
    def _copy_test_outputs(grading_nb, nb, budget):
        outputs = {}
        for cell in grading_nb.cells:
            grade_id = notebook.nbgrader_meta(cell).get("grade_id")
            if grade_id and notebook.is_test(cell):
                outputs[grade_id] = [budget.take(_safe_output(o), f"test {grade_id}", material=True)
                                     for o in cell.get("outputs", [])]
        for cell in nb.cells:
            grade_id = notebook.nbgrader_meta(cell).get("grade_id")
            if notebook.is_test(cell):
                cell.outputs = outputs.get(grade_id, [nbformat.v4.new_output(
                    "error", ename="NotRun", evalue="this test did not run (the grader stopped early)",
                    traceback=["NotRun: this test did not run (the grader stopped early)"])])
                cell.execution_count = None

    @staticmethod
    def _copy_answer_outputs(records, nb, budget):
        """Show the student what their own cells printed (capped), as in JupyterLab."""
        for record in records:
            index = record.get("index")
            if not isinstance(index, int) or not 0 <= index < len(nb.cells):
                continue
            cell = nb.cells[index]
            if cell.cell_type != "code" or notebook.is_test(cell):
                continue
            outputs = []
            for stream in ("stdout", "stderr"):
                text = _cut(str(record.get(stream) or ""))
                if text:
                    # Shown as stdout: the student's own stderr must not score anything.
                    outputs.append(nbformat.v4.new_output("stream", name="stdout", text=text))
            error = record.get("error")
            if error:
                line = _cut(f"{error.get('name')}: {error.get('message')}")
                outputs.append(nbformat.v4.new_output("stream", name="stdout", text=line + "\n"))
            cell.outputs = [budget.take(o, f"cell {index + 1}") for o in outputs]


#: Set (to "1") by ``coursegrade grade`` while nbgrader autogrades the copy it staged.
STAGED_ENV = "COURSEGRADE_STAGED"


class UnsafeFolder(RuntimeError):
    """nbgrader, run by hand, read a submission folder that holds more than regular files."""


def refuse_unsafe_folder(coursedir, student, assignment):
    """Refuse to grade a submission folder that holds anything but regular files.

    ``coursegrade grade`` (``make grade``) never lets nbgrader read ``submitted/``: it
    grades a copy of the regular files only (``submission.stage``). But ``nbgrader
    autograde`` run by hand, and the formgrader's *Autograde* button, read
    ``submitted/<student>/<assignment>/`` themselves and copy its supporting files
    following links (a link to ``gradebook.db`` or to ``source/`` would end up in the
    student's feedback). Here, before anything of the submission runs, such a folder
    is refused: nbgrader then records the autograde as failed and removes what it
    had copied into ``autograded/`` (its ``_handle_failure``). What it cannot prevent:
    nbgrader has copied the files already, so a link to a device (``/dev/zero``)
    still hangs a hand-run ``nbgrader autograde``; use ``make grade``.
    """
    base = coursedir.format_path(coursedir.submitted_directory, ".", ".")
    try:
        found = submission.scan(submission.open_folder(base, str(student), str(assignment)))
    except (submission.UnsafePath, OSError) as error:
        raise UnsafeFolder(f"not graded: the submission folder of {student!r} cannot be read safely ({error}); "
                           "grade with `make grade` (coursegrade grade), which grades a safe copy") from None
    if found.rejected:
        raise UnsafeFolder(f"not graded: the submission folder of {student!r} holds entries that are not regular "
                           f"files, which nbgrader follows: {'; '.join(found.reasons()[:5])}. Grade with "
                           "`make grade` (coursegrade grade), which grades a copy of the regular files only")


class _GradingKernel:
    """The grading kernel this process keeps for the next submission.

    Only the instructor's notebook runs in it, and ``notebook.grading_notebook``'s
    first cell resets it (``%reset -f``, figures, numpy's error state, warning
    filters, working folder: ``proxy.fresh_state``), so one submission's grading
    cannot leave anything for the next but imported modules. It is replaced after
    ``MAX_USES`` submissions, after a time-out or when it died, and shut down when
    the process exits.
    """

    MAX_USES = 100
    _current = None

    def __init__(self, kernel_name):
        from jupyter_client.manager import AsyncKernelManager
        self.kernel_name = kernel_name
        self.km = AsyncKernelManager(kernel_name=kernel_name)
        self.kc = None
        self.uses = 0
        self.home = Path(tempfile.mkdtemp(prefix="coursegrade-kernel-"))

    @classmethod
    def get(cls, kernel_name):
        kernel = cls._current
        if kernel is not None and (kernel.kernel_name != kernel_name or kernel.uses >= cls.MAX_USES
                                   or not kernel.alive()):
            kernel.discard()
            kernel = None
        if kernel is None:
            kernel = cls._current = cls(kernel_name)
            multiprocessing.util.Finalize(kernel, kernel.discard, exitpriority=10)
        kernel.uses += 1
        return kernel

    def alive(self):
        from jupyter_core.utils import run_sync
        return self.km.has_kernel and run_sync(self.km.is_alive)()

    def discard(self):
        from jupyter_core.utils import run_sync
        if _GradingKernel._current is self:
            _GradingKernel._current = None
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 -- a kernel that is already gone needs no shutdown
            pass
        self.kc = None
        shutil.rmtree(self.home, ignore_errors=True)


def _cut(text):
    """At most OUTPUT_TEXT_LIMIT characters of a cell's output, saying when some were cut."""
    if len(text) <= OUTPUT_TEXT_LIMIT:
        return text
    return text[:OUTPUT_TEXT_LIMIT] + f"\n[... {len(text) - OUTPUT_TEXT_LIMIT} more characters not shown]\n"


def _nnlearn_folder():
    import importlib.util
    spec = importlib.util.find_spec("nnlearn")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the reference library nnlearn is not installed (pip install -e ./lib)")
    return list(spec.submodule_search_locations)[0]


def _safe_output(output):
    """A test cell's output without source context: tracebacks would show hidden tests."""
    if output.get("output_type") == "error":
        ename, evalue = output.get("ename", "Error"), output.get("evalue", "")
        return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])
    return output


class _OutputBudget:
    """Caps what goes into the autograded notebook: each output's text, each rich
    output, and all outputs together (NOTEBOOK_OUTPUT_LIMIT).

    Everything a test prints may quote what the submission returned or raised, so
    none of it is trusted to be small. A cut of a test's output, or of anything past
    the notebook's total, is a reason to flag the submission; a student's own long
    printout is only cut (with a note), as before.
    """

    def __init__(self):
        self.used = 0
        self.cuts = []

    def take(self, output, where, material=False):
        output, cut = _capped(output)
        size = len(json.dumps(output))
        if self.used + size > NOTEBOOK_OUTPUT_LIMIT:
            self.cuts.append(f"{where}: over the notebook's {NOTEBOOK_OUTPUT_LIMIT}-character output limit")
            note = (f"[output not kept: the outputs of this notebook reached the grader's limit of "
                    f"{NOTEBOOK_OUTPUT_LIMIT} characters]\n")
            output, size = nbformat.v4.new_output("stream", name="stdout", text=note), len(note)
        elif cut and material:
            self.cuts.append(f"{where}: {cut}")
        self.used += size
        return output

    def problems(self):
        if not self.cuts:
            return []
        return ["output cut by the grader's limits (" + "; ".join(self.cuts[:5])
                + (f"; and {len(self.cuts) - 5} more" if len(self.cuts) > 5 else "") + ")"]


def _capped(output):
    """``output`` with its text cut to OUTPUT_TEXT_LIMIT and rich data to OUTPUT_DATA_LIMIT;
    and what was cut (None when nothing)."""
    kind = output.get("output_type")
    if kind == "stream":
        text = str(output.get("text", ""))
        if len(text) <= OUTPUT_TEXT_LIMIT:
            return output, None
        return (nbformat.v4.new_output("stream", name=output.get("name", "stdout"), text=_cut(text)),
                f"{len(text)} characters of output")
    if kind == "error":
        ename, evalue = _cut(str(output.get("ename", "Error")))[:200], str(output.get("evalue", ""))
        if len(evalue) <= OUTPUT_TEXT_LIMIT:
            return output, None
        evalue = _cut(evalue)
        return (nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]),
                f"an error message of {len(output.get('evalue', ''))} characters")
    if kind in ("display_data", "execute_result"):
        data, cut = {}, None
        for mime, value in (output.get("data") or {}).items():
            text = value if isinstance(value, str) else json.dumps(value)
            limit = OUTPUT_TEXT_LIMIT if mime.startswith("text/") else OUTPUT_DATA_LIMIT
            if len(text) <= limit:
                data[mime] = value
            elif mime.startswith("text/"):
                data[mime], cut = _cut(text), f"{len(text)} characters of {mime}"
            else:
                cut = f"{len(text)} characters of {mime}, left out"
        if cut is None:
            return output, None
        data.setdefault("text/plain", "[output left out: over the grader's size limit]")
        if kind == "execute_result":
            return nbformat.v4.new_output(kind, data=data, execution_count=output.get("execution_count")), cut
        return nbformat.v4.new_output(kind, data=data), cut
    return output, None

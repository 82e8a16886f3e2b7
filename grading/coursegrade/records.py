"""The records that cross a process boundary, each defined once for both sides.

Grading runs in four kinds of process (grading/README.md): the ``coursegrade
grade`` command, its pool workers (nbgrader's autograde), the grading kernel (the
instructor's tests) and the sandboxed worker (the submission). What one writes and
another reads is one of these frozen dataclasses, stored as JSON (never pickle):

=====================  ==========================  ===========================  ==========================
record                 file                        written by                   read by
=====================  ==========================  ===========================  ==========================
:class:`SandboxSpec`   ``input/spec.json``         SandboxedExecute             the sandboxed worker
:class:`GradingPlan`   ``plan.json``               SandboxedExecute             the grading kernel (proxy)
:class:`ExecutionReport` ``report.json``           the grading kernel (proxy)   SandboxedExecute
:class:`GradingReport` ``<notebook>.grading.json`` SandboxedExecute             the pool worker
:class:`Record`        ``.coursegrade.json``       the pool worker              the next ``coursegrade grade``
:class:`Task`, :class:`Row`  (in memory)           the command / a pool worker  a pool worker / the command
=====================  ==========================  ===========================  ==========================

``load`` raises :class:`RecordError` (naming the file and what is wrong) for a file
that is missing, not JSON, or not what the writer writes: a field missing, one
unknown, or of the wrong type. Each reader decides what that means: a submission
whose record cannot be read is graded again; an unreadable grading report flags it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import os
import tempfile
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

GRADED, FLAGGED, FAILED = "graded", "flagged", "failed"   # the statuses of a row
STATUSES = (GRADED, FLAGGED, FAILED)                     # from best to worst

SPEC_NAME = "spec.json"                      # in the sandbox's input folder
PLAN_NAME = "plan.json"                      # in the grading process's private work folder
EXECUTION_REPORT_NAME = "report.json"        # next to the plan
GRADING_REPORT_SUFFIX = ".grading.json"      # <notebook>.grading.json, in autograded/<student>/<assignment>/
RECORD_NAME = ".coursegrade.json"            # in autograded/<student>/<assignment>/
FAILURE_LOG = ".coursegrade.log"             # nbgrader's log of a failed autograde, next to the record


def worst(*statuses):
    """The worst of some statuses (``graded`` < ``flagged`` < ``failed``)."""
    return max(statuses, key=STATUSES.index)


class RecordError(ValueError):
    """A record file is missing, not JSON, or not what its writer writes."""


def write_json_atomic(path, data):
    """Write ``data`` as JSON to ``path`` through a temporary file and os.replace (mode 0644)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _type_ok(value, annotation):
    """Does a JSON value fit a field's annotation (str, int, float, bool, list, dict, X | None)?"""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_type_ok(value, arg) for arg in typing.get_args(annotation))
    if annotation is type(None):
        return value is None
    origin = typing.get_origin(annotation) or annotation
    if origin is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if origin is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin in (list, tuple):
        return isinstance(value, list)
    return isinstance(value, origin)


class _JsonRecord:
    """``save``/``load`` for a frozen dataclass of JSON values."""

    def to_json(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data, where="the record"):
        """The record from parsed JSON; RecordError naming ``where`` when it does not fit."""
        if not isinstance(data, dict):
            raise RecordError(f"{where}: not a JSON object")
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - set(fields))
        if unknown:
            raise RecordError(f"{where}: unknown field {unknown[0]!r}")
        values = {}
        for name, f in fields.items():
            if name not in data:
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    raise RecordError(f"{where}: field {name!r} is missing")
                continue
            if not _type_ok(data[name], hints[name]):
                expected = getattr(hints[name], "__name__", None) or str(hints[name])
                raise RecordError(f"{where}: field {name!r} is {type(data[name]).__name__}, not {expected}")
            values[name] = tuple(data[name]) if typing.get_origin(hints[name]) is tuple else data[name]
        record = cls(**values)
        problem = record.problem()
        if problem:
            raise RecordError(f"{where}: {problem}")
        return record

    def problem(self):
        """What is wrong with the values beyond their types (None when nothing)."""
        return None

    def save(self, path):
        """Write the record to ``path`` atomically (readers never see half of it)."""
        write_json_atomic(path, self.to_json())

    @classmethod
    def load(cls, path):
        """The record in ``path``; RecordError when it is missing, not JSON or malformed."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise RecordError(f"{path.name}: cannot be read ({error.strerror or error})") from None
        except ValueError as error:
            raise RecordError(f"{path.name}: not JSON ({error})") from None
        return cls.from_json(data, where=path.name)


# --- the grading process and the sandbox ------------------------------------------------

@dataclass(frozen=True)
class SandboxSpec(_JsonRecord):
    """What the sandboxed worker runs: the submission's code cells and its limits.

    ``cells`` are ``{"index": i, "source": code}`` (the index is the cell's position
    in the submitted notebook); ``functions`` the names the solution cells define.
    The paths are inside the sandbox.
    """

    cells: list
    functions: list
    cell_timeout: float
    call_timeout: float
    work: str            # the working folder (in the private home)
    file_dir: str        # where files passed as Path arguments arrive
    files: str           # read-only: the submission's supporting files, copied into ``work``
    mpl: str             # read-only: matplotlib's font cache

    def without_cell(self, index):
        """The spec without the cell at ``index`` (one the process died in)."""
        return dataclasses.replace(self, cells=[c for c in self.cells if c.get("index") != index])


@dataclass(frozen=True)
class GradingPlan(_JsonRecord):
    """How the grading kernel starts and limits the sandboxed submission (``proxy.Student``)."""

    workdir: str              # the private folder holding input/ (the SandboxSpec) and the report
    student_lib: str          # the student's copy of nnlearn, reference answers switched off
    report: str               # where the ExecutionReport goes
    memory_mb: int
    cell_timeout: float
    call_timeout: float
    submission_timeout: float
    disk_mb: int = 256
    uid: int = 65534          # as root: the unprivileged uid the submission runs as
    grace: float = 5          # seconds beyond the worker's own limits before the grader kills it


@dataclass(frozen=True)
class ExecutionReport(_JsonRecord):
    """What the sandboxed submission did, from the grading kernel's side."""

    cells: list = field(default_factory=list)       # per cell: index, stdout, stderr, error, seconds
    defined: list = field(default_factory=list)     # the solution functions the submission defines
    blocked: list = field(default_factory=list)     # switched-off reference functions it called
    problems: list = field(default_factory=list)    # why it could not be (fully) run
    dead: str | None = None                         # why it stopped for good
    calls: int = 0
    restarts: int = 0
    warnings: list = field(default_factory=list)
    seconds: float = 0.0


# --- the grading process and the command ----------------------------------------------

@dataclass(frozen=True)
class GradingReport(_JsonRecord):
    """The grading preprocessor's verdict on one notebook (``<notebook>.grading.json``)."""

    status: str                   # graded or flagged (never failed: then there is no report)
    reasons: list = field(default_factory=list)
    calls: int | None = None
    seconds: float | None = None
    warnings: list = field(default_factory=list)

    def problem(self):
        if self.status not in (GRADED, FLAGGED):
            return f"status {self.status!r} is not graded or flagged"
        return None

    @staticmethod
    def path(folder, notebook):
        return Path(folder) / f"{notebook}{GRADING_REPORT_SUFFIX}"


@dataclass(frozen=True)
class Row:
    """One line of grades.csv: a student's result for one assignment."""

    student: str
    assignment: str
    score: float
    max_score: float
    status: str
    reason: str

    @classmethod
    def make(cls, student, assignment, status, reasons, score=0, max_score=0):
        return cls(student, assignment, _number(score), _number(max_score), status, "; ".join(reasons))

    @property
    def key(self):
        return self.student, self.assignment


def _number(value):
    """A score for the CSV: 17.0 -> 17, 2.5 -> 2.5."""
    value = float(value or 0)
    return int(value) if value.is_integer() else round(value, 2)


@dataclass(frozen=True)
class Record(Row, _JsonRecord):
    """A finished submission (``.coursegrade.json``): its row, and what it was graded from.

    A later run takes the row from here, without grading, while the submitted files
    (``sha256``) and what grades them (``grader``: the instructor's notebooks, the
    contract, the config, the library) are unchanged. A record with ``grader_error``
    (grading failed for the grader's own reason) is kept for the instructor but does
    not count as done.
    """

    sha256: str
    grader: str
    grader_error: bool = False
    graded_at: str = ""

    def problem(self):
        return None if self.status in STATUSES else f"status {self.status!r} is not one of {', '.join(STATUSES)}"

    @classmethod
    def of(cls, row, sha256, grader, grader_error=False):
        now = datetime.datetime.now(datetime.timezone.utc).isoformat()
        return cls(**dataclasses.asdict(row), sha256=sha256, grader=grader, grader_error=grader_error,
                   graded_at=now)

    @property
    def row(self):
        return Row(**{f.name: getattr(self, f.name) for f in dataclasses.fields(Row)})

    @classmethod
    def find(cls, autograded, sha256, grader):
        """The row of a finished submission whose files and grader are unchanged, else None."""
        try:
            record = cls.load(Path(autograded) / RECORD_NAME)
        except RecordError:
            return None
        if record.sha256 != sha256 or record.grader != grader or record.grader_error:
            return None
        return record.row

    def save_in(self, autograded):
        self.save(Path(autograded) / RECORD_NAME)


@dataclass(frozen=True)
class Task:
    """One submission for a pool worker to grade, from its staged copy."""

    student: str
    assignment: str
    sha256: str           # of the submitted files
    grader: str           # records.Record.grader
    staged: str           # the staging folder, relative to the course root
    status: str           # of the checks made before grading
    reasons: tuple = ()
    retried: bool = False

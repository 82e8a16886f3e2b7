"""coursegrade.records: the files that cross a process boundary, load/save and corruption.

Each record is written by one process and read by another (grading/README.md):
what is saved loads back equal, and a file that is missing, not JSON, or not what
the writer writes is a RecordError naming the file and the problem -- never a
KeyError three modules later.
"""

import json
import os
import stat

import pytest

from coursegrade.records import (RECORD_NAME, ExecutionReport, GradingPlan, GradingReport, Record, RecordError,
                                 Row, SandboxSpec, Task, worst)

EXAMPLES = [
    SandboxSpec(cells=[{"index": 3, "source": "x = 1"}], functions=["sigmoid"], cell_timeout=60, call_timeout=2.5,
                work="/home/student/submission", file_dir="/home/student/received",
                files="/opt/coursegrade/input/files", mpl="/opt/coursegrade/input/mpl"),
    GradingPlan(workdir="/tmp/w", student_lib="/tmp/l", report="/tmp/w/report.json", memory_mb=1024,
                cell_timeout=60, call_timeout=60, submission_timeout=600, disk_mb=16, uid=65534, grace=5),
    ExecutionReport(cells=[{"index": 0, "stdout": "hi", "stderr": "", "error": None, "seconds": 0.1}],
                    defined=["f"], blocked=["nnlearn.losses.mse"], problems=["cell 1 ran over its time limit"],
                    dead=None, calls=7, restarts=1, warnings=["RuntimeWarning: overflow"], seconds=1.5),
    GradingReport(status="flagged", reasons=["renamed"], calls=3, seconds=0.25, warnings=[]),
    Record(student="s1", assignment="03_loss", score=12.5, max_score=15, status="flagged", reason="a; b",
           sha256="a" * 64, grader="b" * 64, grader_error=False, graded_at="2026-12-05T12:00:00+00:00"),
]


@pytest.mark.parametrize("record", EXAMPLES, ids=lambda r: type(r).__name__)
def test_a_saved_record_loads_back_equal(tmp_path, record):
    path = tmp_path / "sub" / "record.json"
    record.save(path)
    assert type(record).load(path) == record
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644, "the sandbox's uid must be able to read the spec"
    assert [p.name for p in path.parent.iterdir()] == ["record.json"], "a temporary file was left behind"


@pytest.mark.parametrize("record", EXAMPLES, ids=lambda r: type(r).__name__)
def test_records_are_frozen(record):
    name = next(iter(record.__dataclass_fields__))
    with pytest.raises(AttributeError):
        setattr(record, name, None)


@pytest.mark.parametrize("content, message", [
    (None, "report.json: cannot be read"),
    (b"", "report.json: not JSON"),
    (b"{broken", "report.json: not JSON"),
    (b"[1, 2]", "report.json: not a JSON object"),
    (b'{"status": "graded", "surprise": 1}', "report.json: unknown field 'surprise'"),
    (b'{"reasons": []}', "report.json: field 'status' is missing"),
    (b'{"status": 3}', "report.json: field 'status' is int, not str"),
    (b'{"status": "graded", "reasons": "one"}', "report.json: field 'reasons' is str"),
    (b'{"status": "graded", "calls": true}', "report.json: field 'calls' is bool, not int | None"),
    (b'{"status": "failed"}', "report.json: status 'failed' is not graded or flagged"),
])
def test_a_corrupt_grading_report_names_the_file_and_the_problem(tmp_path, content, message):
    path = tmp_path / "report.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RecordError) as caught:
        GradingReport.load(path)
    assert message in str(caught.value), caught.value


def test_optional_fields_take_their_defaults_and_numbers_their_json_types(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"status": "graded"}))
    assert GradingReport.load(path) == GradingReport(status="graded", reasons=[], calls=None, seconds=None)
    path.write_text(json.dumps({"workdir": "w", "student_lib": "l", "report": "r", "memory_mb": 1, "cell_timeout": 2,
                                "call_timeout": 3.5, "submission_timeout": 4}))
    plan = GradingPlan.load(path)
    assert (plan.call_timeout, plan.disk_mb, plan.uid, plan.grace) == (3.5, 256, 65534, 5)
    path.write_text(json.dumps({"workdir": "w", "student_lib": "l", "report": "r", "memory_mb": 1.5,
                                "cell_timeout": 2, "call_timeout": 3, "submission_timeout": 4}))
    with pytest.raises(RecordError, match="'memory_mb' is float"):
        GradingPlan.load(path)


def test_a_record_is_found_only_for_the_same_files_and_grader(tmp_path):
    row = Row.make("s1", "03_loss", "graded", [], 15.0, 15)
    assert (row.score, row.max_score) == (15, 15) and isinstance(row.score, int), "17.0 is written 17"
    assert Row.make("s", "a", "flagged", ["x", "y"], 2.3456, 3).reason == "x; y"
    Record.of(row, "sha", "grader").save_in(tmp_path)
    assert Record.find(tmp_path, "sha", "grader") == row
    assert Record.find(tmp_path, "other", "grader") is None, "changed files must be graded again"
    assert Record.find(tmp_path, "sha", "other") is None, "a changed grader must grade again"
    Record.of(row, "sha", "grader", grader_error=True).save_in(tmp_path)
    assert Record.find(tmp_path, "sha", "grader") is None, "a grader error is not done"
    assert Record.find(tmp_path / "missing", "sha", "grader") is None
    (tmp_path / RECORD_NAME).write_text('{"student": "s1"}')
    assert Record.find(tmp_path, "sha", "grader") is None, "a truncated record means: grade again"
    data = Record.of(row, "sha", "grader").to_json()
    (tmp_path / RECORD_NAME).write_text(json.dumps(dict(data, status="excellent")))
    assert Record.find(tmp_path, "sha", "grader") is None, "an unknown status is not a record"


def test_the_sandbox_spec_drops_a_cell():
    spec = EXAMPLES[0]
    spec2 = SandboxSpec(**{**spec.__dict__, "cells": [{"index": 1, "source": "a"}, {"index": 4, "source": "b"}]})
    assert spec2.without_cell(1).cells == [{"index": 4, "source": "b"}]
    assert spec2.cells == [{"index": 1, "source": "a"}, {"index": 4, "source": "b"}], "the original changed"


def test_worst_and_tasks():
    assert worst("graded", "failed", "flagged") == "failed"
    assert worst("graded") == "graded" and worst("flagged", "graded") == "flagged"
    task = Task("s", "a", "sha", "g", ".staged", "graded")
    assert (task.reasons, task.retried) == ((), False)

"""Limits that a submission cannot switch off (issue 11, part 6), through the real grader.

One course (03_loss, 13 points) is graded once with small limits -- cell_timeout 5 s,
call_timeout 3 s, submission_timeout 30 s, memory_mb 1024, disk_mb 16 -- with hostile
submissions built from the solution notebook: each adds a cell, or changes one
exercise, that attacks one limit. Each limit holds (what the submission used is
bounded), the submission is flagged with the reason, and its honest exercises keep
their points. The time limits are the grader's own: every hostile cell first switches
off the sandbox's SIGALRM (the friendly first line), so only the grader's deadlines can
stop it.

Cheap checks of the pieces (the seccomp program, the copy of supporting files, the
output caps) run without the sandbox.
"""

import json
import os
import stat
import struct
import textwrap

import nbformat
import pytest

from coursegrade import channel, execute, sandbox
from grading_helpers import ASSIGNMENT, autograded, committed_notebook, grade, make_course, submit

SOLUTION = committed_notebook("solutions")
NB = f"{ASSIGNMENT}.ipynb"
MAX_SCORE = sum(cell.metadata["nbgrader"]["points"] for cell in nbformat.read(SOLUTION, as_version=4).cells
                if cell.metadata.get("nbgrader", {}).get("grade"))
LIMITS = {"cell_timeout": 5, "call_timeout": 3, "submission_timeout": 30, "memory_mb": 1024, "disk_mb": 16}
GRACE = 5                        # records.GradingPlan.grace: the grader's deadline is the limit + this

# Switches off the sandbox's own alarm: from here on only the grader's deadlines count.
NO_ALARM = """
import signal as _signal
_signal.signal(_signal.SIGALRM, _signal.SIG_IGN)
_signal.setitimer(_signal.ITIMER_REAL, 0)
"""
# Writes a frame of the grader's wire format straight to the pipe the worker answers on.
FRAME = """
import json as _json, os as _os, struct as _struct, sys as _sys
def _frame(header):
    data = _json.dumps(header).encode()
    data = _struct.pack(">I", len(data)) + data
    while data:
        data = data[_os.write(int(_sys.argv[3]), data):]
"""


def _with_cell(*sources):
    """The solution notebook with more (unmarked) code cells at the end."""
    nb = nbformat.read(SOLUTION, as_version=4)
    nb.cells += [nbformat.v4.new_code_cell(textwrap.dedent(source)) for source in sources]
    return nbformat.writes(nb).encode()


def _with_cell_before_last(source):
    """The solution notebook with one more (unmarked) code cell before the last code cell that
    the sandbox runs (``grading-skip`` cells, such as the closing *Where you stand*, it does not)."""
    nb = nbformat.read(SOLUTION, as_version=4)
    last = max(i for i, c in enumerate(nb.cells)
               if c.cell_type == "code" and "grading-skip" not in c.metadata.get("tags", []))
    nb.cells.insert(last, nbformat.v4.new_code_cell(textwrap.dedent(source)))
    return nbformat.writes(nb).encode()


def _with_function(name, *parts):
    """The solution notebook with exercise ``name`` replaced by ``def name(*args, **kwargs):``
    and the code ``parts``."""
    body = "".join(textwrap.dedent(part) for part in parts)
    nb = nbformat.read(SOLUTION, as_version=4)
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == name]
    assert len(cells) == 1, f"no solution cell {name} in {SOLUTION}"
    cells[0].source = f"def {name}(*args, **kwargs):\n" + textwrap.indent(body, "    ")
    return nbformat.writes(nb).encode()


# student -> (notebook bytes, expected score, words expected in the reason ("" = graded))
CASES = {
    "honest": (SOLUTION.read_bytes(), MAX_SCORE, ""),
    # An endless cell with the alarm off: stopped by the grader's cell deadline.
    "cell_loop": (_with_cell(NO_ALARM + "while True:\n    pass\n"), MAX_SCORE,
                  "kept running past the 5 s time limit"),
    # ... that also keeps the pipe busy with progress messages: a protocol violation.
    "keep_alive": (_with_cell(NO_ALARM + FRAME + "import time\nwhile True:\n    _frame({'op': 'cell', 'index': 0})\n"
                              "    time.sleep(0.2)\n"), MAX_SCORE, "broke the grader's protocol"),
    # A forged 'ready' message, with 5 MB of made-up output, before the last cell ran.
    # (Forged as the last cell, it would be taken for the real one, and the real one
    # would then break the first call: bounded by the restarts and the budget.)
    "forged_ready": (_with_cell_before_last(FRAME + "_frame({'op': 'ready', 'cells': [{'index': 0, 'stdout': 'x' * 5_000_000}], "
                                "'defined': []})\nimport time\ntime.sleep(60)\n"), MAX_SCORE,
                     "broke the grader's protocol"),
    # An endless call with the alarm off: stopped by the grader's call deadline;
    # only accuracy's test (1 point) fails.
    "call_loop": (_with_function("accuracy", NO_ALARM, "while True:\n    pass\n"), MAX_SCORE - 1,
                  "accuracy did not return within 8 s"),
    # Endless cell after endless cell, each stopped at 5 + 5 s and the notebook run again
    # without it: the 30 s budget for the whole submission ends it.
    "budget": (_with_cell(*[NO_ALARM + "while True:\n    pass\n"] * 6), None, "time budget of 30 s"),
    # Child processes: refused (nothing to flag: nothing was spent).
    "processes": (_with_cell("""
        import os, subprocess, multiprocessing
        for name, start in [("fork", os.fork), ("subprocess", lambda: subprocess.run(["true"])),
                            ("pool", lambda: multiprocessing.Pool(2))]:
            try:
                start()
                print(name, "STARTED")
            except OSError as error:
                print(name, "refused:", error)
        """), MAX_SCORE, ""),
    # 64 MiB into a 16 MiB home and a 16 MiB /tmp (memory, not the host's disk).
    "disk": (_with_cell("""
        import os
        for folder in (os.path.expanduser("~"), "/tmp"):
            try:
                with open(os.path.join(folder, "big"), "wb") as fh:
                    for _ in range(64):
                        fh.write(b"x" * 2**20)
                print(folder, "WROTE 64 MiB")
            except OSError as error:
                print(folder, "refused:", error)
        """), MAX_SCORE, "filled its private disk space"),
    # accuracy answers with a forged 10 MB error message (the worker cuts at 4000
    # characters; the grader cuts again), then its process ends: accuracy's test
    # (1 point) and train_test_split's (3, the process is gone) fail.
    "big_raise": (_with_function("accuracy", FRAME, """
        _frame({"op": "raise", "name": "ValueError", "types": ["ValueError"], "trace": "",
                "message": "y" * 10_000_000})
        _os._exit(0)
        """), MAX_SCORE - 4, "longer than the sandbox sends"),
}
@pytest.fixture(scope="module")
def graded(sandbox, tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("limits") / "course")
    with open(course / "nbgrader_config.py", "a") as fh:
        for key, value in LIMITS.items():
            fh.write(f"\nc.SandboxedExecute.{key} = {value}")
        fh.write("\n")
    for student, (notebook, *_) in CASES.items():
        submit(course, student, {NB: notebook})
    run = grade(course, "--jobs", "2")
    assert run.code == 0, f"coursegrade grade failed: {run!r}"
    return course, run


def _row(graded, student):
    course, run = graded
    row = run.by_key[student, ASSIGNMENT]
    return row, float(row["score"])


def _status(graded, student):
    path = autograded(graded[0], student) / f"{ASSIGNMENT}.grading.json"
    return json.loads(path.read_text()) if path.exists() else None


def _cell_text(graded, student, marker):
    nb = nbformat.read(autograded(graded[0], student) / NB, as_version=4)
    texts = ["".join(o.get("text", "") + o.get("evalue", "") for o in c.get("outputs", []))
             for c in nb.cells if c.cell_type == "code" and marker in c.source]
    assert texts, f"{student}: no autograded cell contains {marker!r}"
    return "\n".join(texts)


@pytest.mark.parametrize("student", [s for s, case in CASES.items() if case[1] is not None])
def test_each_limit_holds_and_honest_work_keeps_its_points(graded, student):
    row, score = _row(graded, student)
    _, want, reason = CASES[student]
    assert score == want, f"{student}: score {score}, expected {want}; row {row}"
    if reason:
        assert row["status"] == "flagged" and reason in row["reason"], (
            f"{student}: expected flagged with {reason!r}; row {row}")
    else:
        assert row["status"] == "graded", f"{student}: expected graded; row {row}"


def test_an_endless_cell_costs_its_limit_and_a_rerun(graded):
    status = _status(graded, "cell_loop")
    if status is not None and status.get("seconds") is not None:
        # one cell stopped at 5 + 5 s, then the notebook again without it (a few seconds)
        assert status["seconds"] < LIMITS["cell_timeout"] + GRACE + 15, status


def test_the_submission_budget_ends_everything_with_the_reason(graded):
    row, score = _row(graded, "budget")
    assert row["status"] == "flagged" and "time budget of 30 s" in row["reason"], row
    assert score == 0, f"every test ran after the budget was used up, yet it scored {score}: {row}"
    text = _cell_text(graded, "budget", "check_")     # the test cells
    assert "time budget" in text, f"the failed tests do not say why: {text[:2000]}"
    status = _status(graded, "budget")
    if status is not None and status.get("seconds") is not None:
        assert status["seconds"] < LIMITS["submission_timeout"] + 10, status


def test_child_processes_are_refused(graded):
    text = _cell_text(graded, "processes", "multiprocessing.Pool")
    assert "STARTED" not in text, text
    for name in ("fork", "subprocess", "pool"):
        assert f"{name} refused:" in text, f"{name} was not refused: {text}"


def test_disk_is_private_memory_and_capped(graded):
    text = _cell_text(graded, "disk", "for folder in")
    assert "WROTE" not in text and text.count("No space left on device") == 2, text


def test_a_forged_huge_error_message_is_cut(graded):
    course, _ = graded
    size = (autograded(course, "big_raise") / NB).stat().st_size
    honest = (autograded(course, "honest") / NB).stat().st_size
    assert size < honest + 50_000, f"autograded notebook of {size} bytes (the honest one: {honest})"
    text = _cell_text(graded, "big_raise", "accuracy(")
    assert "ValueError: yyyy" in text and text.count("y") < 2 * execute.OUTPUT_TEXT_LIMIT, text[:3000]


def test_a_forged_report_of_cells_is_not_shown(graded):
    size = (autograded(graded[0], "forged_ready") / NB).stat().st_size
    assert size < (autograded(graded[0], "honest") / NB).stat().st_size + 50_000, size


# --- the pieces, without the sandbox ------------------------------------------------------

def _decode(program):
    return [struct.unpack("=HBBI", program[i:i + 8]) for i in range(0, len(program), 8)]


@pytest.mark.parametrize("machine", ["x86_64", "aarch64"])
def test_seccomp_program_refuses_processes_and_allows_threads(machine):
    """Interpret the filter for a few system calls: fork/vfork/clone EPERM, clone3 ENOSYS,
    clone with CLONE_THREAD allowed, another architecture's calls refused."""
    program = _decode(sandbox.seccomp_program(machine))
    arch, numbers, clone, clone3 = sandbox._AUDIT_ARCH[machine]

    def run(nr, flags=0, audit_arch=arch):
        data = {0: nr, 4: audit_arch, 16: flags}
        acc, pc = 0, 0
        while True:
            code, jt, jf, k = program[pc]
            if code == 0x20:
                acc, pc = data[k], pc + 1
            elif code == 0x06:
                return k
            else:
                hit = {0x15: acc == k, 0x35: acc >= k, 0x45: bool(acc & k)}[code]
                pc += 1 + (jt if hit else jf)

    allow, eperm, enosys = 0x7FFF0000, 0x00050001, 0x00050026
    assert run(clone, flags=0x3D0F00) == allow            # what pthread_create passes
    assert run(clone, flags=0x01200011) == eperm          # what fork() passes
    assert run(clone3) == enosys
    assert run(0) == allow and run(1) == allow            # read, write (x86_64) / io_setup, ... (aarch64)
    for name in ("fork", "vfork", "unshare", "setns", "mount"):
        if name in numbers:
            assert run(numbers[name]) == eperm, name
    assert run(0, audit_arch=0x40000003) == eperm         # i386 calls on x86_64
    assert sandbox.seccomp_program("sparc64") is None


def test_supporting_files_are_regular_files_only(tmp_path):
    """Links, FIFOs, devices, hard links and files over the limit are left out, with the reason."""
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    dst.mkdir()
    (src / "data.csv").write_text("1,2\n")
    (src / "notes.ipynb").write_text("{}")
    secret = tmp_path / "secret.txt"
    secret.write_text("instructor only")
    (src / "link.txt").symlink_to(secret)
    os.link(secret, src / "hard.txt")
    os.mkfifo(src / "pipe")
    if os.geteuid() == 0:
        os.mknod(src / "zero", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    with open(src / "sparse.bin", "wb") as fh:
        fh.truncate(2 * 2**30)                              # 2 GiB that take no disk
    skipped = sandbox.copy_supporting_files(src, dst)
    assert sorted(p.name for p in dst.iterdir()) == ["data.csv"], sorted(p.name for p in dst.iterdir())
    reasons = dict(s.split(": ", 1) for s in skipped)
    assert reasons["link.txt"] == "a symbolic link", reasons
    assert reasons["hard.txt"] == "a hard link to another file", reasons
    assert reasons["pipe"] == "not a regular file", reasons
    assert "over the" in reasons["sparse.bin"], reasons
    if os.geteuid() == 0:
        assert reasons["zero"] == "not a regular file", reasons


def test_output_budget_cuts_and_flags():
    """A test's 24 MB error message becomes at most OUTPUT_TEXT_LIMIT characters, flagged;
    past the notebook's total everything is replaced by a note."""
    budget = execute._OutputBudget()
    huge = nbformat.v4.new_output("error", ename="ValueError", evalue="z" * 24_000_000, traceback=[])
    out = budget.take(huge, "test t1", material=True)
    assert len(out["evalue"]) < execute.OUTPUT_TEXT_LIMIT + 100
    assert budget.problems() and "test t1" in budget.problems()[0]
    small = nbformat.v4.new_output("stream", name="stdout", text="ok\n")
    assert budget.take(small, "cell 1") == small
    for i in range(execute.NOTEBOOK_OUTPUT_LIMIT // 9_000 + 5):
        out = budget.take(nbformat.v4.new_output("stream", name="stdout", text="w" * 9_000), f"cell {i}")
    assert "output not kept" in out["text"]
    assert budget.used < execute.NOTEBOOK_OUTPUT_LIMIT + 1000


def test_a_rebuilt_exception_is_cut_and_marked():
    error = channel.rebuild_exception({"name": "ValueError", "types": ["ValueError"], "message": "m" * 10**7,
                                       "trace": "t" * 10**6}, "in the submission's code")
    assert isinstance(error, ValueError) and error.coursegrade_cut
    assert len(str(error)) < 2 * channel.MESSAGE_LIMIT + 200
    assert not channel.rebuild_exception({"name": "KeyError", "types": ["KeyError"], "message": "k"}, "").coursegrade_cut


def test_a_call_made_from_a_callback_ends_within_the_outer_calls_deadline(sandbox, tmp_path):
    """outer(cb) calls back into the grader, whose callback calls spin (the alarm off,
    endless): the grader stops it at the call deadline, and outer fails with the reason."""
    import shutil
    import time

    from coursegrade import blocklist, contract, proxy
    from coursegrade import sandbox as sb
    from grading_helpers import ROOT

    library = blocklist.build_student_library(execute._nnlearn_folder(), contract.load(ROOT / "source" / ASSIGNMENT))
    workdir = sb.new_workdir()
    cells = [{"index": 0, "source": "def outer(callback):\n    return callback(1)\n"},
             {"index": 1, "source": "def spin(x):\n" + textwrap.indent(NO_ALARM + "while True:\n    pass\n", "    ")}]
    try:
        sb.prepare(workdir, cells, ["outer", "spin"], 2, 2)
        plan = {"workdir": str(workdir), "student_lib": str(library), "memory_mb": 1024, "cell_timeout": 2,
                "call_timeout": 2, "submission_timeout": 60, "disk_mb": 16, "report": str(workdir / "report.json")}
        (workdir / "plan.json").write_text(json.dumps(plan))
        student = proxy.Student.start(workdir / "plan.json")
        outer, spin = student.function("outer"), student.function("spin")
        started = time.monotonic()
        with pytest.raises((TimeoutError, proxy.SubmissionUnavailable)) as caught:
            outer(lambda x: spin(x))
        seconds = time.monotonic() - started
        student.finish()
        report = json.loads((workdir / "report.json").read_text())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    assert seconds < 2 + GRACE + 3, f"the nested call took {seconds:.1f} s"
    assert "stopped" in str(caught.value), caught.value
    assert any("spin did not return within 7 s" in p for p in report["problems"]), report["problems"]


def test_a_hostile_frame_is_a_wire_error():
    """Headers over the size limit, deeply nested JSON or too much data end the channel
    (WireError), never the grader."""
    import io

    from coursegrade import wire

    def frame(header_bytes, buffers=()):
        return io.BytesIO(struct.pack(">I", len(header_bytes)) + header_bytes
                          + b"".join(struct.pack(">Q", n) for n in buffers))

    nested = b"[" * 100_000 + b"]" * 100_000
    huge = struct.pack(">I", wire.MAX_HEADER_BYTES + 1)
    for stream in (frame(nested), io.BytesIO(huge),
                   frame(b'{"nbuf": 1}', buffers=[wire.MAX_TOTAL_BYTES + 1])):
        with pytest.raises(wire.WireError):
            wire.read_message(stream)

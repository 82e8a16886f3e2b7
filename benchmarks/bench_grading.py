"""Grading at scale: sandboxed autograding vs bare execution, and in parallel.

In a temporary copy of the course, N synthetic submissions of every assignment (or
of those named) are graded with the one grading command (``coursegrade grade``):
each is a solution notebook with a few exercises swapped for the untouched release
stubs (a different, seeded mix per student), so scores vary and nobody is identical.
It prints the load average first (figures from a busy machine are only indicative),
then

* per assignment, seconds per submission: bare execution, graded with
  ``--jobs 1`` (the time between one submission's record and the previous one's:
  autograde, feedback HTML and record; the run's first submission also carries the
  start-up and is left out), their ratio, and the sandbox's own seconds (the
  ``seconds`` of each ``<notebook>.grading.json``);
* overall, seconds per submission graded with ``--jobs 1`` and the ratio to bare
  execution of the *same* notebooks, one after another with nbclient in one
  process (kernel start included, no sandbox, no tests of the grader, no nbgrader)
  -- goal <= 0.6x;
* the speed-up of ``--jobs J`` (J = the number of cores) over ``--jobs 1`` on a
  fresh copy of the same submissions -- goal >= 1.85x on 2 cores;
* that both runs gave every student exactly one row, the same scores, and that
  a re-run grades nobody again.

Both grading runs include nbgrader's start-up, the feedback HTML and the CSV: what
an instructor waits for. The course's gradebook already knows the assignments, as
after ``make generate`` (creating it is a one-off of a course's first run). Usage::

    python benchmarks/bench_grading.py [--n 10] [--assignments 02_neurons_and_activations ...] [--quick]
"""

import argparse
import csv
import datetime
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from coursegrade.layout import find_assignments
from coursegrade.records import GRADING_REPORT_SUFFIX, RECORD_NAME, GradingReport, Record
from coursetools.course import grading_course
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def make_course(where, assignments):
    """A copy of the course whose gradebook knows the assignments, as an instructor's does
    after ``make generate`` (creating a gradebook is a one-off, not a cost of grading)."""
    return grading_course(where, assignments)


def synthetic_submission(assignment, seed):
    """A solution with a seeded random subset of its answers replaced by the release stubs."""
    solution = nbformat.read(str(ROOT / "solutions" / assignment / f"{assignment}.ipynb"), as_version=4)
    release = nbformat.read(str(ROOT / "release" / assignment / f"{assignment}.ipynb"), as_version=4)
    stubs = {c.metadata["nbgrader"]["grade_id"]: c.source for c in release.cells
             if c.metadata.get("nbgrader", {}).get("solution")}
    rng = random.Random(seed)
    for cell in solution.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in stubs and rng.random() < 0.3:
            cell.source = stubs[grade_id]
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return solution


def submit(course, assignments, n):
    notebooks = []
    for a in assignments:
        for i in range(n):
            nb = synthetic_submission(a, seed=f"{a}/{i}")   # str seeds are reproducible, hash() is not
            path = course / "submitted" / f"student{i:03d}" / a / f"{a}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, str(path))
            notebooks.append(path)
    return notebooks


def bare_execution(notebooks):
    """Run every notebook top to bottom with nbclient (errors allowed, as in grading).

    Returns (total seconds, {assignment: seconds of its notebooks}).
    """
    start, per_assignment = time.perf_counter(), {}
    for path in notebooks:
        began = time.perf_counter()
        nb = nbformat.read(str(path), as_version=4)
        NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        assignment = path.parent.name
        per_assignment[assignment] = per_assignment.get(assignment, 0.0) + time.perf_counter() - began
    return time.perf_counter() - start, per_assignment


def grade(course, jobs, assignments):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "coursegrade", "grade", *assignments, "--jobs", str(jobs),
                             "--course-dir", str(course)], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"coursegrade grade --jobs {jobs} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    with open(course / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return seconds, rows


def seconds_per_assignment(course):
    """From a ``--jobs 1`` run: {assignment: (seconds per submission, sandbox seconds per submission, n)}.

    The records are written one after another, so the time between a record and the
    previous one is what that submission cost (autograde, feedback, record). The
    run's first submission also carries the start-up: it is left out.
    """
    finished = []
    for path in course.glob(f"autograded/*/*/{RECORD_NAME}"):
        record = Record.load(path)
        sandbox = [GradingReport.load(report).seconds or 0.0
                   for report in path.parent.glob(f"*{GRADING_REPORT_SUFFIX}")]
        finished.append((datetime.datetime.fromisoformat(record.graded_at), record.assignment, sum(sandbox)))
    finished.sort()
    spent = {}
    for (before, _, _), (after, assignment, sandbox) in zip(finished, finished[1:]):
        spent.setdefault(assignment, []).append(((after - before).total_seconds(), sandbox))
    return {a: (sum(t for t, _ in v) / len(v), sum(s for _, s in v) / len(v), len(v)) for a, v in spent.items()}


def check_rows(rows, expected, label):
    keys = [(r["student"], r["assignment"]) for r in rows]
    missing, doubled = expected - set(keys), {k for k in keys if keys.count(k) > 1}
    bad = [r for r in rows if r["status"] != "graded"]
    print(f"  {label}: {len(rows)} rows for {len(expected)} submissions; missing {len(missing)}, "
          f"doubled {len(doubled)}, not 'graded' {len(bad)}")
    if missing or doubled or bad:
        sys.exit(f"{label}: rows wrong: missing {sorted(missing)[:5]}, doubled {sorted(doubled)[:5]}, "
                 f"not graded {[(r['student'], r['assignment'], r['reason']) for r in bad][:5]}")
    return {(r["student"], r["assignment"]): r["score"] for r in rows}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10, help="submissions per assignment (default 10)")
    parser.add_argument("--assignments", nargs="+", help="default: every assignment of the course")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel jobs to compare with 1")
    parser.add_argument("--quick", action="store_true", help="2 submissions per assignment")
    args = parser.parse_args(argv)
    args.assignments = find_assignments(ROOT, args.assignments)
    if args.quick:
        args.n = 2
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    print("load average (1, 5, 15 min) at the start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        tmp = Path(tmp)
        serial, parallel = make_course(tmp / "serial", args.assignments), make_course(tmp / "parallel", args.assignments)
        notebooks = submit(serial, args.assignments, args.n)
        submit(parallel, args.assignments, args.n)
        expected = {(p.parent.parent.name, p.parent.name) for p in notebooks}
        total = len(notebooks)
        print(f"{total} synthetic submissions ({args.n} each of {', '.join(args.assignments)}), "
              f"{os.cpu_count()} CPU(s)")

        bare, bare_each = bare_execution(notebooks)
        print(f"bare nbclient execution, one after another: {bare:.1f} s = {bare / total:.2f} s per submission")
        t1, rows1 = grade(serial, 1, args.assignments)
        scores1 = check_rows(rows1, expected, "--jobs 1")
        each = seconds_per_assignment(serial)
        print(f"  {'seconds per submission':<30}{'bare':>8}{'--jobs 1':>10}{'ratio':>8}{'sandbox':>9}")
        for a in args.assignments:
            bare_a = bare_each[a] / args.n
            if a in each:
                graded_a, sandbox_a, counted = each[a]
                print(f"  {a:<30}{bare_a:>8.2f}{graded_a:>10.2f}{graded_a / bare_a:>7.2f}x{sandbox_a:>9.2f}"
                      + ("" if counted == args.n else f"   ({counted} of {args.n}: the first carries the start-up)"))
            else:
                print(f"  {a:<30}{bare_a:>8.2f}   (its only submission was the run's first, with the start-up)")
        print(f"coursegrade grade --jobs 1: {t1:.1f} s = {t1 / total:.2f} s per submission; "
              f"ratio to bare execution {t1 / bare:.2f}x (goal <= 0.6x)")
        tj, rowsj = grade(parallel, args.jobs, args.assignments)
        scoresj = check_rows(rowsj, expected, f"--jobs {args.jobs}")
        print(f"coursegrade grade --jobs {args.jobs}: {tj:.1f} s = {tj / total:.2f} s per submission; "
              f"speed-up {t1 / tj:.2f}x (goal >= 1.85x on 2 cores)")
        if scores1 != scoresj:
            diff = [k for k in scores1 if scores1[k] != scoresj.get(k)]
            sys.exit(f"scores differ between --jobs 1 and --jobs {args.jobs}: {diff[:5]}")
        print("  same scores in both runs; score spread:",
              sorted({float(s) for s in scores1.values()})[:3], "...", max(float(s) for s in scores1.values()))
        records = sorted(parallel.glob("autograded/*/*/.coursegrade.json"))
        before = {path: path.stat().st_mtime_ns for path in records}
        again, rows_again = grade(parallel, args.jobs, args.assignments)
        check_rows(rows_again, expected, "re-run")
        regraded = [path for path in records if path.stat().st_mtime_ns != before[path]]
        if len(records) != total or regraded:
            sys.exit(f"re-run: {len(records)} records for {total} submissions, {len(regraded)} graded again")
        print(f"re-run of an already graded course: {again:.1f} s, {total} records unchanged (nobody graded twice)")


if __name__ == "__main__":
    main()

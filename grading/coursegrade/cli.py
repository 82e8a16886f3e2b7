"""``coursegrade grade``: the one grading command for instructors (``make grade``).

    coursegrade grade [ASSIGNMENT ...] [--zip FILE ...] [--jobs N] [--force]
                      [--retry-failed] [--csv FILE] [--course-dir DIR]

grades every submission ``submitted/<student>/<assignment>/`` of the named
assignments (default: every assignment in ``source/``) and writes one CSV row per
student and assignment. This module parses the arguments and runs the steps in
order; each step is one module:

1. :mod:`~coursegrade.collect`: LMS downloads (``--zip``) into ``submitted/``;
2. :mod:`~coursegrade.discover`: one scan of ``submitted/``: each submission is done
   (its record matches), unreadable (a ``failed`` row), or staged for grading;
3. :mod:`~coursegrade.gradebook`: nbgrader, the gradebook's assignments and students
   added while the :mod:`~coursegrade.pool` workers start;
4. :mod:`~coursegrade.pool` and :mod:`~coursegrade.autograde`: the staged
   submissions autograded side by side, each one's record saved when it is done (so a
   re-run, or one after Ctrl-C, grades only what is left; ``--force`` grades all);
5. :mod:`~coursegrade.grades`: grades.csv and the summary.

Statuses: ``graded`` (score stands), ``flagged`` (score computed, held for review),
``failed`` (no score). The exit code is 0 whenever every submission got its row,
failed ones included; it is non-zero only when the command itself cannot run (bad
arguments, no course, a zip that is not a zip): then :class:`CourseError` says why.
"""

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import lms, pool
from .collect import CollectError, collect_zip
from .discover import STAGING_PREFIX, check_course, choose_assignments, grader_hash, survey, zip_assignment
from .errors import CourseError
from .gradebook import (check_grading_can_run, ensure_in_gradebook, ensure_students, max_scores,
                        open_nbgrader)
from .grades import missing_or_doubled, summary, write_csv
from .records import FAILED, Record, Row


@dataclass(frozen=True)
class Options:
    """What to grade and how, from the command line."""

    root: Path              # the course root
    assignments: list       # to grade, in course order
    zips: list              # [(zip file, its assignment)], collected first
    jobs: int               # submissions graded at once (at most)
    force: bool             # grade again even what a record says is done
    retry_failed: bool      # grade again what failed before
    csv_path: Path


def options_from(args):
    """Check the command line against the course; CourseError when it does not fit."""
    root = Path(args.course_dir).resolve()
    check_course(root)
    known = choose_assignments(root, None)
    assignments = choose_assignments(root, args.assignments)
    zips = []
    for z in (Path(z).resolve() for z in args.zip):
        if not z.is_file():
            raise CourseError(f"no such zip file: {z}")
        zips.append((z, zip_assignment(z, args.assignments, known)))
    assignments = [a for a in known if a in assignments or a in {target for _, target in zips}]
    return Options(root, assignments, zips, args.jobs or pool.default_jobs(), args.force, args.retry_failed,
                   Path(args.csv).resolve() if args.csv else root / "grades.csv")


def grade(options):
    """Run ``coursegrade grade``; return the exit code."""
    pool.preload()       # the workers' server imports nbgrader while this process does
    root = options.root
    app, api = open_nbgrader(root)
    coursedir = api.coursedir
    submitted = Path(coursedir.format_path(coursedir.submitted_directory, ".", ".")).resolve()
    for z, assignment in options.zips:
        try:
            report = collect_zip(z, root, submitted, assignment)
        except CollectError as err:
            raise CourseError(str(err)) from None
        print(f"collected {z.name} into submitted/*/{assignment}/" + "".join(f"\n  {line}" for line in report))

    graders = {a: grader_hash(root, a) for a in options.assignments}
    staged_root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    workers = None
    try:
        found = survey(options, submitted, lambda student, assignment: Path(coursedir.format_path(
            coursedir.autograded_directory, student, assignment)), graders, staged_root)
        jobs = max(1, min(options.jobs, len(found.tasks)))
        if found.tasks:
            check_grading_can_run(app)
            workers = pool.Pool(root, jobs)
            workers.start()          # they load nbgrader while the gradebook gets ready
        added = ensure_in_gradebook(api, options.assignments)
        if added:
            print(f"added to the gradebook: {', '.join(added)}")
        ensure_students(api, sorted({task.student for task in found.tasks}))
        maxima = max_scores(api, options.assignments)
        rows = list(found.done)
        for item in found.unreadable:
            row = Row.make(item.student, item.assignment, FAILED, item.reasons, 0, maxima[item.assignment])
            if item.sha256 is not None:
                Record.of(row, item.sha256, graders[item.assignment]).save_in(item.autograded)
            rows.append(row)

        nothing = len(found.keys) - len(found.tasks) - len(found.done)
        print(f"{len(found.keys)} submission(s) of {', '.join(options.assignments)}: {len(found.tasks)} to grade"
              + (f" ({jobs} worker(s))" if found.tasks else "")
              + f", {len(found.done)} already graded and unchanged (--force grades them again)"
              + (f", {nothing} with nothing to grade" if nothing else ""))
        if found.tasks:
            graded = workers.grade(found.tasks, staged_root, maxima)
            if graded is None:
                return 130
            rows += graded
    finally:
        if workers is not None:
            workers.close()
        shutil.rmtree(staged_root, ignore_errors=True)

    problem = missing_or_doubled(found.keys, rows)     # nobody lost, nobody twice
    if problem:
        print(problem, file=sys.stderr)
        return 1
    rows.sort(key=lambda row: (row.assignment, row.student))
    write_csv(options.csv_path, rows)
    print("\n".join(summary(rows, options.csv_path)))
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog="coursegrade", description="Grading tools for the course.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_report_command(commands)
    cmd = commands.add_parser(
        "grade", help="grade all submissions of some or all assignments",
        description="Autograde every submitted/<student>/<assignment>/ (and LMS zips), write feedback "
                    "and one CSV row per student and assignment. Safe to re-run: unchanged submissions "
                    "that were graded before are skipped.")
    cmd.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                     help="assignments to grade (default: every assignment in source/)")
    cmd.add_argument("--zip", action="append", default=[], metavar="FILE",
                     help="an LMS download to collect into submitted/ first (repeatable): Moodle student "
                          "folders, or files named <student_id>_<anything>_<assignment>.ipynb")
    cmd.add_argument("--jobs", "-j", type=_positive_int, metavar="N",
                     help=f"submissions graded at once (default: the number of CPU cores, {pool.default_jobs()})")
    cmd.add_argument("--force", action="store_true", help="grade again even submissions graded before")
    cmd.add_argument("--retry-failed", action="store_true",
                     help="grade again the unchanged submissions whose earlier grading failed")
    cmd.add_argument("--csv", metavar="FILE", help="where to write the grades (default: grades.csv in the course)")
    cmd.add_argument("--course-dir", default=".", metavar="DIR",
                     help="the course root, with nbgrader_config.py and source/ (default: the current folder)")
    lms_cmd = commands.add_parser(
        "lms", help="write an LMS's grade import file and feedback zips from grades.csv",
        description="Write Canvas's gradebook import CSV or Moodle's grade import CSV, and one zip of feedback "
                    "pages per assignment named for the LMS's bulk upload, from grades.csv and a mapping of "
                    "student ids to LMS ids (see coursegrade/lms.py).")
    lms_cmd.add_argument("lms", choices=lms.LMSES, help="the LMS")
    lms_cmd.add_argument("--mapping", required=True, metavar="FILE",
                         help="CSV with the columns student, lms_id, name (and optional sis_user_id, sis_login_id, "
                              "section, participant_id)")
    lms_cmd.add_argument("--grades", metavar="FILE", help="grades.csv (default: grades.csv in the course)")
    lms_cmd.add_argument("--out", metavar="DIR", help="where to write the files (default: lms/ in the course)")
    lms_cmd.add_argument("--missing", choices=("error", "blank"), default="error",
                         help="a student of the mapping without a graded submission: stop with their names "
                              "(default), or leave their cell empty")
    lms_cmd.add_argument("--columns", metavar="FILE",
                         help="CSV assignment,column: the LMS's column for an assignment, e.g. 'Backprop (4711)'")
    lms_cmd.add_argument("--course-dir", default=".", metavar="DIR", help="the course root (default: .)")
    return parser


def lms_export(args):
    """``coursegrade lms``: the export, or one clear message and exit code 1."""
    course = Path(args.course_dir).resolve()
    try:
        lines = lms.export(args.lms, course, Path(args.grades) if args.grades else course / "grades.csv",
                           args.mapping, Path(args.out) if args.out else course / "lms", missing=args.missing,
                           columns_path=args.columns)
    except lms.ExportError as err:
        print(f"coursegrade lms: {err}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


def _add_report_command(commands):
    cmd = commands.add_parser(
        "report", help="a class report per assignment: scores, pass rates, the most common mistakes",
        description="From the graded submissions (autograded/ and grades.csv), write report/<assignment>.html "
                    "(score distribution, each test cell's pass rate, the most common diagnosed mistakes with "
                    "one example each, the flagged and failed submissions, plots), report/<assignment>.csv, "
                    "report/<assignment>_mistakes.csv and report/index.html (see coursegrade/report.py).")
    cmd.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                     help="assignments to report on (default: every assignment in source/)")
    cmd.add_argument("--out", metavar="DIR", help="where to write the report (default: report/ in the course)")
    cmd.add_argument("--csv", metavar="FILE",
                     help="grades.csv to read rows from when a submission has no record (default: the course's)")
    cmd.add_argument("--course-dir", default=".", metavar="DIR",
                     help="the course root, with nbgrader_config.py and source/ (default: the current folder)")


def report_command(args):
    """``coursegrade report``: write the class report; 1 with a message when there is no course."""
    from . import report

    root = Path(args.course_dir).resolve()
    try:
        check_course(root)
        assignments = choose_assignments(root, args.assignments)
    except CourseError as err:
        print(f"coursegrade report: {err}", file=sys.stderr)
        return 1
    out, reports = report.write_report(root, assignments, Path(args.out).resolve() if args.out else None,
                                       Path(args.csv).resolve() if args.csv else None)
    print("\n".join(report.summary_lines(out, reports)))
    return 0


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main(argv=None):
    """The ``coursegrade`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "lms":
        return lms_export(args)
    try:
        if args.command == "report":
            return report_command(args)
        return grade(options_from(args))
    except CourseError as err:
        print(f"coursegrade grade: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted before grading started; nothing was changed that a re-run cannot redo",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

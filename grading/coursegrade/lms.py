"""Grades and feedback for a learning management system: Canvas's and Moodle's import files.

``coursegrade lms canvas|moodle`` reads ``grades.csv`` (``coursegrade grade``: one row per
student and assignment) and a *mapping* CSV from the course's student ids -- the names of
the folders in ``submitted/`` -- to the LMS's ids, and writes into ``--out``:

* ``canvas_grades.csv``: Canvas's gradebook import (Grades > Import): the columns
  ``Student, ID, SIS User ID, SIS Login ID, Section``, a ``Points Possible`` row, and one
  column per assignment (a new column name makes Canvas create the assignment; an
  existing one is named ``Name (12345)``, see ``--column``);
* ``moodle_grades.csv``: Moodle's grade import (Grades > Import > CSV file): an
  ``ID number`` column to map to the user field of that name, ``Full name``, and one
  column per assignment to map to its grade item;
* ``<lms>_feedback_<assignment>.zip``: every student's feedback page, named as the LMS
  names the files of its own download, which is what its bulk feedback upload matches
  on -- Canvas: ``<lastfirst>_<user id>_<anything>``; Moodle: ``<Full name>_<participant
  id>_assignsubmission_file_<name>``.

The mapping CSV has a header and the columns ``student`` (the course's id), ``lms_id``
(Canvas: the user's ID; Moodle: the ID number) and ``name`` ("Last, First"), and may have
``sis_user_id``, ``sis_login_id``, ``section`` and ``participant_id`` (Moodle's number in
the names of its assignment downloads; needed for Moodle feedback zips).

Nothing is dropped silently. A student in ``grades.csv`` who is not in the mapping, a
student of the mapping without a row for an assignment, and a row whose grading was not
``graded`` (flagged for review, or failed) each stop the export with a message naming
them, unless ``--missing blank`` says to leave their cell empty (the LMS then keeps what
it has); a graded student without a feedback page stops the feedback zip.
"""

import csv
import dataclasses
import os
import re
import zipfile
from pathlib import Path

from .records import GRADED, Row

LMSES = ("canvas", "moodle")
MAPPING_REQUIRED = ("student", "lms_id", "name")
MAPPING_OPTIONAL = ("sis_user_id", "sis_login_id", "section", "participant_id")
GRADE_COLUMNS = ("student", "assignment", "score", "max_score", "status", "reason")


class ExportError(Exception):
    """What stops an export, said so that the instructor can fix it."""


@dataclasses.dataclass(frozen=True)
class LmsStudent:
    """One row of the mapping: a student of the course as the LMS knows them."""

    student: str
    lms_id: str
    name: str
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    participant_id: str = ""


def _read_csv(path, what, required):
    """(header, [(line number, row dict)]) of a CSV with the required columns; clear errors."""
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"no {what} at {path}")
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [name.strip() for name in (reader.fieldnames or [])]
            reader.fieldnames = header
            rows = [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None})
                    for row in reader]
    except (UnicodeDecodeError, csv.Error) as err:
        raise ExportError(f"{path} is not a readable CSV file ({err})") from None
    missing = [name for name in required if name not in header]
    if missing:
        raise ExportError(f"{path}: the {what} has no column {', '.join(repr(m) for m in missing)} "
                          f"(its header is {header}; needed: {', '.join(required)})")
    return header, rows


def read_mapping(path):
    """``{student: LmsStudent}`` from the mapping CSV; a clear error for a bad or ambiguous row."""
    _, rows = _read_csv(path, "mapping of student ids to LMS ids", MAPPING_REQUIRED)
    mapping, lms_ids = {}, {}
    for line, row in rows:
        if not any(row.values()):
            continue
        empty = [name for name in MAPPING_REQUIRED if not row.get(name)]
        if empty:
            raise ExportError(f"{path}, line {line}: empty {', '.join(empty)} (every row needs student, "
                              "lms_id and name)")
        student = row["student"]
        if student in mapping:
            raise ExportError(f"{path}, line {line}: student {student!r} is listed twice")
        if row["lms_id"] in lms_ids:
            raise ExportError(f"{path}, line {line}: LMS id {row['lms_id']!r} belongs to {lms_ids[row['lms_id']]!r} "
                              f"too; each student needs their own")
        lms_ids[row["lms_id"]] = student
        mapping[student] = LmsStudent(**{name: row.get(name, "") for name in MAPPING_REQUIRED + MAPPING_OPTIONAL})
    if not mapping:
        raise ExportError(f"{path}: the mapping lists no students")
    return mapping


def read_grades(path):
    """[records.Row] from grades.csv; a clear error for a row that is not one."""
    _, rows = _read_csv(path, "grades file", GRADE_COLUMNS)
    grades, seen = [], set()
    for line, row in rows:
        try:
            grade = Row(row["student"], row["assignment"], float(row["score"] or 0),
                        float(row["max_score"] or 0), row["status"], row["reason"])
        except ValueError:
            raise ExportError(f"{path}, line {line}: score {row['score']!r} or max_score {row['max_score']!r} "
                              "is not a number") from None
        if (grade.student, grade.assignment) in seen:
            raise ExportError(f"{path}, line {line}: a second row for {grade.student} and {grade.assignment}")
        seen.add((grade.student, grade.assignment))
        grades.append(grade)
    if not grades:
        raise ExportError(f"{path} has no grades (run `make grade` first)")
    return grades


def table(grades, mapping, missing="error"):
    """``({(student, assignment): score or None}, assignments, {assignment: max score})``.

    ``None`` is an empty cell. Raises ExportError naming every student of grades.csv who is
    not in the mapping, and -- unless ``missing == "blank"`` -- every student of the mapping
    without a graded row for an assignment (no row, flagged or failed), with the reason.
    """
    if missing not in ("error", "blank"):
        raise ExportError(f"--missing must be 'error' or 'blank', not {missing!r}")
    unknown = sorted({g.student for g in grades} - set(mapping))
    if unknown:
        raise ExportError(f"{len(unknown)} student(s) in the grades are not in the LMS mapping: "
                          f"{', '.join(unknown)}. Add them to the mapping (or remove their submissions), "
                          "so that no grade is lost.")
    assignments = sorted({g.assignment for g in grades})
    points = {a: max(g.max_score for g in grades if g.assignment == a) for a in assignments}
    by_key = {(g.student, g.assignment): g for g in grades}
    cells, problems = {}, []
    for student in mapping:
        for assignment in assignments:
            grade = by_key.get((student, assignment))
            if grade is not None and grade.status == GRADED:
                cells[student, assignment] = grade.score
                continue
            cells[student, assignment] = None
            why = "no submission graded" if grade is None else f"{grade.status}: {grade.reason or 'no reason given'}"
            problems.append(f"{student} ({mapping[student].name}), {assignment}: {why}")
    if problems and missing == "error":
        raise ExportError(f"{len(problems)} grade(s) cannot be exported as they stand:\n  " + "\n  ".join(problems)
                          + "\nGrade them (or review the flagged ones), or pass --missing blank to leave these "
                          "cells empty: the LMS then keeps whatever it has there.")
    return cells, assignments, points, problems


def _number(value):
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _write(path, header, rows):
    """A CSV written through a temporary file, so that a reader never sees half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(tmp, path)
    return path


def canvas_csv(path, cells, assignments, points, mapping, columns=None):
    """Canvas's gradebook import file; ``columns`` renames assignments (``{name: "Name (id)"}``)."""
    columns = columns or {}
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [columns.get(a, a) for a in assignments]
    rows = [["Points Possible", "", "", "", ""] + [_number(points[a]) for a in assignments]]
    for student, who in mapping.items():
        rows.append([who.name, who.lms_id, who.sis_user_id, who.sis_login_id, who.section]
                    + [_number(cells[student, a]) for a in assignments])
    return _write(path, header, rows)


def moodle_csv(path, cells, assignments, mapping, columns=None):
    """Moodle's grade import file: map ``ID number`` to the user field, each assignment to its grade item."""
    columns = columns or {}
    header = ["ID number", "Full name"] + [columns.get(a, a) for a in assignments]
    rows = [[who.lms_id, _full_name(who.name)] + [_number(cells[student, a]) for a in assignments]
            for student, who in mapping.items()]
    return _write(path, header, rows)


def _full_name(name):
    """ "Last, First" -> "First Last" (as Moodle writes names); other names as they are."""
    last, comma, first = name.partition(",")
    return f"{first.strip()} {last.strip()}" if comma and first.strip() else name


def _safe(text):
    """A piece of a file name: no path separators or control characters."""
    return re.sub(r"[\x00-\x1f/\\:*?\"<>|]", "", text).strip() or "student"


def feedback_name(lms, who, assignment):
    """The name the LMS's bulk feedback upload matches this student's page on."""
    if lms == "canvas":    # Canvas downloads: <lastfirst>_<user id>_<id>_<file>; it matches on the user id
        sortable = re.sub(r"[^a-z0-9]", "", who.name.lower()) or "student"
        return f"{sortable}_{_safe(who.lms_id)}_feedback_{assignment}.html"
    if not who.participant_id:
        raise ExportError(f"{who.student} ({who.name}) has no participant_id in the mapping: Moodle's feedback "
                          "upload matches files on it (the number in the names of its submission download)")
    return f"{_safe(_full_name(who.name))}_{_safe(who.participant_id)}_assignsubmission_file_feedback_{assignment}.html"


def feedback_pages(course, assignment, mapping, lms, cells):
    """[(name in the zip, page)] for every student graded in ``assignment``; an error names any page missing."""
    pages, absent = [], []
    for student, who in mapping.items():
        if cells.get((student, assignment)) is None:
            continue                                 # not graded: no feedback to send (already reported)
        page = Path(course) / "feedback" / student / assignment / f"{assignment}.html"
        if page.is_file():
            pages.append((feedback_name(lms, who, assignment), page))
        else:
            absent.append(f"{student} ({page})")
    if absent:
        raise ExportError(f"{assignment}: no feedback page for {len(absent)} graded student(s): "
                          f"{', '.join(absent)}. Run `make grade` again (it writes the feedback).")
    return sorted(pages)


def write_zip(path, pages):
    """The zip of ``pages`` ([(name, file)]), written through a temporary file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, page in pages:
            archive.write(page, name)
    os.replace(tmp, path)
    return path


def read_columns(path):
    """``{assignment: LMS column}`` from a two-column CSV ``assignment,column`` (optional)."""
    if path is None:
        return {}
    _, rows = _read_csv(path, "assignment column names", ("assignment", "column"))
    return {row["assignment"]: row["column"] for _, row in rows if row["assignment"]}


def export(lms, course, grades_path, mapping_path, out, missing="error", columns_path=None):
    """Write the LMS's grade import file and one feedback zip per assignment; return the lines to print."""
    if lms not in LMSES:
        raise ExportError(f"unknown LMS {lms!r}: choose one of {', '.join(LMSES)}")
    mapping = read_mapping(mapping_path)
    grades = read_grades(grades_path)
    columns = read_columns(columns_path)
    unknown_columns = sorted(set(columns) - {g.assignment for g in grades})
    if unknown_columns:
        raise ExportError(f"the column names name assignments with no grades: {', '.join(unknown_columns)}")
    cells, assignments, points, problems = table(grades, mapping, missing)
    pages = {a: feedback_pages(course, a, mapping, lms, cells) for a in assignments}   # every check first:
    out = Path(out)                                                                     # then write
    if lms == "canvas":
        written = canvas_csv(out / "canvas_grades.csv", cells, assignments, points, mapping, columns)
    else:
        written = moodle_csv(out / "moodle_grades.csv", cells, assignments, mapping, columns)
    lines = [f"{written}: {len(mapping)} student(s), {len(assignments)} assignment(s)"]
    for assignment in assignments:
        zip_path = write_zip(out / f"{lms}_feedback_{assignment}.zip", pages[assignment])
        lines.append(f"{zip_path}: {len(pages[assignment])} feedback page(s)")
    if problems:
        lines.append(f"left empty (--missing blank): {len(problems)} cell(s):")
        lines += [f"  {p}" for p in problems]
    return lines

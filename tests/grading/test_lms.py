"""coursegrade.lms and ``coursegrade lms``: Canvas's and Moodle's import files and feedback zips.

A small course on disk (grades.csv as ``coursegrade grade`` writes it, feedback pages where
nbgrader puts them, a mapping CSV) is exported, and the files are read back whole. Every
way of losing a grade -- a student the mapping does not know, a student of the mapping
without a graded submission, a flagged or failed submission, a missing feedback page, a
malformed or ambiguous mapping -- stops the export with a message naming it, and writes
nothing.
"""

import csv
import zipfile

import pytest

from coursegrade import cli, lms
from coursegrade.grades import write_csv
from coursegrade.records import Row

MAPPING = """student,lms_id,name,sis_user_id,sis_login_id,section,participant_id
ada,101,"Lovelace, Ada",S-1,ada@uni.example,A,9001
alan,102,"Turing, Alan",S-2,alan@uni.example,B,9002
grace,103,"Hopper, Grace",S-3,grace@uni.example,A,9003
"""


def _course(tmp_path, rows=None, mapping=MAPPING, feedback=True):
    """A course folder with grades.csv, the feedback pages of the graded rows, and lms_ids.csv."""
    rows = rows if rows is not None else [
        Row.make("ada", "03_loss", "graded", [], 15, 15), Row.make("alan", "03_loss", "graded", [], 12.5, 15),
        Row.make("grace", "03_loss", "graded", [], 7, 15), Row.make("ada", "05_backprop", "graded", [], 19, 19),
        Row.make("alan", "05_backprop", "graded", [], 0, 19), Row.make("grace", "05_backprop", "graded", [], 18, 19)]
    write_csv(tmp_path / "grades.csv", rows)
    for row in rows:
        if feedback and row.status == "graded":
            page = tmp_path / "feedback" / row.student / row.assignment / f"{row.assignment}.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"<html>{row.student} {row.assignment} {row.score}</html>")
    (tmp_path / "lms_ids.csv").write_text(mapping, encoding="utf-8")
    return tmp_path


def _export(course, which="canvas", **kwargs):
    return lms.export(which, course, course / "grades.csv", course / "lms_ids.csv", course / "lms", **kwargs)


def _read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_canvas_gradebook_import_file(tmp_path):
    course = _course(tmp_path)
    lines = _export(course)
    assert _read(course / "lms" / "canvas_grades.csv") == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "03_loss", "05_backprop"],
        ["Points Possible", "", "", "", "", "15", "19"],
        ["Lovelace, Ada", "101", "S-1", "ada@uni.example", "A", "15", "19"],
        ["Turing, Alan", "102", "S-2", "alan@uni.example", "B", "12.5", "0"],
        ["Hopper, Grace", "103", "S-3", "grace@uni.example", "A", "7", "18"],
    ]
    assert lines[0].endswith("canvas_grades.csv: 3 student(s), 2 assignment(s)")


def test_canvas_feedback_zip_is_named_for_the_bulk_upload(tmp_path):
    course = _course(tmp_path)
    _export(course)
    with zipfile.ZipFile(course / "lms" / "canvas_feedback_03_loss.zip") as archive:
        assert sorted(archive.namelist()) == ["hoppergrace_103_feedback_03_loss.html",
                                              "lovelaceada_101_feedback_03_loss.html",
                                              "turingalan_102_feedback_03_loss.html"]
        assert archive.read("turingalan_102_feedback_03_loss.html") == b"<html>alan 03_loss 12.5</html>"


def test_moodle_grade_import_file_and_feedback_zip(tmp_path):
    course = _course(tmp_path)
    _export(course, "moodle")
    assert _read(course / "lms" / "moodle_grades.csv") == [
        ["ID number", "Full name", "03_loss", "05_backprop"],
        ["101", "Ada Lovelace", "15", "19"],
        ["102", "Alan Turing", "12.5", "0"],
        ["103", "Grace Hopper", "7", "18"],
    ]
    with zipfile.ZipFile(course / "lms" / "moodle_feedback_05_backprop.zip") as archive:
        assert sorted(archive.namelist()) == [
            "Ada Lovelace_9001_assignsubmission_file_feedback_05_backprop.html",
            "Alan Turing_9002_assignsubmission_file_feedback_05_backprop.html",
            "Grace Hopper_9003_assignsubmission_file_feedback_05_backprop.html"]


def test_column_names_for_existing_lms_assignments(tmp_path):
    course = _course(tmp_path)
    (course / "columns.csv").write_text("assignment,column\n05_backprop,Backprop (4711)\n")
    _export(course, columns_path=course / "columns.csv")
    assert _read(course / "lms" / "canvas_grades.csv")[0][-2:] == ["03_loss", "Backprop (4711)"]
    (course / "columns.csv").write_text("assignment,column\n09_nothing,Nothing (1)\n")
    with pytest.raises(lms.ExportError, match="name assignments with no grades: 09_nothing"):
        _export(course, columns_path=course / "columns.csv")


def test_a_student_unknown_to_the_mapping_is_named_and_nothing_is_written(tmp_path):
    rows = [Row.make("ada", "03_loss", "graded", [], 15, 15), Row.make("mallory", "03_loss", "graded", [], 3, 15)]
    course = _course(tmp_path, rows)
    with pytest.raises(lms.ExportError, match=r"1 student\(s\) in the grades are not in the LMS mapping: mallory"):
        _export(course)
    assert not (course / "lms").exists()


def test_a_student_without_a_graded_submission_is_named_unless_left_blank(tmp_path):
    rows = [Row.make("ada", "03_loss", "graded", [], 15, 15),
            Row.make("alan", "03_loss", "flagged", ["a test cell was changed"], 0, 15),
            Row.make("ada", "05_backprop", "graded", [], 19, 19),
            Row.make("alan", "05_backprop", "failed", ["the kernel died"], 0, 19)]
    course = _course(tmp_path, rows)
    with pytest.raises(lms.ExportError) as err:
        _export(course)
    message = str(err.value)
    for expected in ["alan (Turing, Alan), 03_loss: flagged: a test cell was changed",
                     "alan (Turing, Alan), 05_backprop: failed: the kernel died",
                     "grace (Hopper, Grace), 03_loss: no submission graded",
                     "grace (Hopper, Grace), 05_backprop: no submission graded", "--missing blank"]:
        assert expected in message
    assert not (course / "lms").exists()

    lines = _export(course, missing="blank")
    table = _read(course / "lms" / "canvas_grades.csv")
    assert [row[5:] for row in table[2:]] == [["15", "19"], ["", ""], ["", ""]]
    assert "left empty (--missing blank): 4 cell(s):" in lines
    with zipfile.ZipFile(course / "lms" / "canvas_feedback_03_loss.zip") as archive:
        assert archive.namelist() == ["lovelaceada_101_feedback_03_loss.html"]


def test_a_graded_student_without_a_feedback_page_stops_the_export(tmp_path):
    course = _course(tmp_path)
    (course / "feedback" / "grace" / "05_backprop" / "05_backprop.html").unlink()
    with pytest.raises(lms.ExportError, match=r"05_backprop: no feedback page for 1 graded student\(s\): grace"):
        _export(course)
    assert not (course / "lms").exists()


def test_moodle_feedback_needs_the_participant_ids(tmp_path):
    course = _course(tmp_path, mapping="student,lms_id,name\nada,101,\"Lovelace, Ada\"\nalan,102,Alan Turing\n"
                                         "grace,103,Grace Hopper\n")
    with pytest.raises(lms.ExportError, match=r"ada \(Lovelace, Ada\) has no participant_id in the mapping"):
        _export(course, "moodle")
    _export(course, "canvas")                     # Canvas does not need them
    assert (course / "lms" / "canvas_grades.csv").is_file()


@pytest.mark.parametrize("mapping, message", [
    ("student,name\nada,Ada\n", r"has no column 'lms_id'"),
    ("student,lms_id,name\nada,101,Ada\nada,102,Ada again\n", r"line 3: student 'ada' is listed twice"),
    ("student,lms_id,name\nada,101,Ada\nalan,101,Alan\n", r"line 3: LMS id '101' belongs to 'ada' too"),
    ("student,lms_id,name\nada,,Ada\n", r"line 2: empty lms_id"),
    ("student,lms_id,name\n", r"the mapping lists no students"),
])
def test_a_bad_mapping_is_a_clear_error(tmp_path, mapping, message):
    course = _course(tmp_path, mapping=mapping)
    with pytest.raises(lms.ExportError, match=message):
        _export(course)


def test_unreadable_files_are_clear_errors(tmp_path):
    course = _course(tmp_path)
    (course / "lms_ids.csv").write_bytes(b"student,lms_id,name\n\xff\xfe,1,x\n")
    with pytest.raises(lms.ExportError, match="is not a readable CSV file"):
        _export(course)
    (course / "lms_ids.csv").write_text(MAPPING)
    with pytest.raises(lms.ExportError, match="no grades file at"):
        lms.export("canvas", course, course / "nothing.csv", course / "lms_ids.csv", course / "lms")
    (course / "grades.csv").write_text("student,assignment,score,max_score,status,reason\nada,03_loss,lots,15,graded,\n")
    with pytest.raises(lms.ExportError, match=r"line 2: score 'lots' or max_score '15' is not a number"):
        _export(course)
    with pytest.raises(lms.ExportError, match="unknown LMS 'blackboard'"):
        lms.export("blackboard", course, course / "grades.csv", course / "lms_ids.csv", course / "lms")


def test_names_cannot_escape_the_zip(tmp_path):
    mapping = MAPPING.replace('"Hopper, Grace"', '"../../Hopper, Grace"').replace(",9003", ",90/03")
    course = _course(tmp_path, mapping=mapping)
    _export(course, "moodle")
    with zipfile.ZipFile(course / "lms" / "moodle_feedback_03_loss.zip") as archive:
        names = archive.namelist()
    assert "Grace ....Hopper_9003_assignsubmission_file_feedback_03_loss.html" in names
    assert all("/" not in name for name in names)


def test_the_command_line(tmp_path, capsys):
    course = _course(tmp_path)
    assert cli.main(["lms", "moodle", "--mapping", str(course / "lms_ids.csv"), "--course-dir", str(course)]) == 0
    out = capsys.readouterr().out
    assert "moodle_grades.csv: 3 student(s), 2 assignment(s)" in out and "3 feedback page(s)" in out
    assert (course / "lms" / "moodle_feedback_03_loss.zip").is_file()
    (course / "lms_ids.csv").write_text(MAPPING.replace("grace,103", "grace,101"))
    assert cli.main(["lms", "canvas", "--mapping", str(course / "lms_ids.csv"), "--course-dir", str(course)]) == 1
    assert "coursegrade lms: " in capsys.readouterr().err

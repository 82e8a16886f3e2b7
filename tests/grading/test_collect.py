"""Collecting submissions: LMS zips (``coursegrade.collect``) and the exchange
(``coursegrade.exchange.SafeExchangeCollect``, through ``nbgrader collect``).

No grading here: the collected files are checked where they land. Whose file an
entry is comes from the LMS's own folder or file names; re-uploads keep the newest;
entry names never become paths outside ``submitted/``; nested zips are opened (a
broken one is reported); entries are size-capped before they are decompressed;
nothing stops the collection and everything skipped is reported.
"""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from coursegrade.collect import CollectError, collect_zip
from grading_helpers import ASSIGNMENT, committed_notebook, make_course

NB = f"{ASSIGNMENT}.ipynb"
SOLUTION = committed_notebook("solutions").read_bytes()


def _zip(path, entries):
    """Write a zip of entries [(name, bytes, (y, m, d, H, M, S) or None)], in that order."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data, when in entries:
            info = zipfile.ZipInfo(name, date_time=when or (2026, 11, 20, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


def _zip_bytes(tmp_path, entries):
    return _zip(tmp_path / "inner.zip.tmp", entries).read_bytes()


def _files(root):
    """{relative path: bytes} of every file below root (links not followed)."""
    root = Path(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink()}


@pytest.fixture
def course(tmp_path):
    return make_course(tmp_path / "course")


def _collect(course, download):
    report = collect_zip(download, course, course / "submitted", ASSIGNMENT)
    return report, "\n".join(report)


def test_moodle_folders_decide_the_student(course, tmp_path):
    """The folder Moodle made names the student; names inside a student's folder do not."""
    download = _zip(tmp_path / "moodle.zip", [
        ("Jane Doe_12345_assignsubmission_file_/03_loss.ipynb", SOLUTION, None),
        ("Jane Doe_12345_assignsubmission_file_/data/notes.txt", b"notes", None),
        ("Mallory M_666_assignsubmission_file_/carol_03_loss.ipynb", b"mallory's", None),
        ("Mallory M_666_assignsubmission_file_/Carol C_777_assignsubmission_file_/03_loss.ipynb", b"mal 2", None),
        ("Bob B_222_assignsubmission_file_/work.zip", _zip_bytes(tmp_path, [(NB, b"bob's", None)]), None),
    ])
    report, text = _collect(course, download)
    got = _files(course / "submitted")
    assert got == {
        f"12345/{ASSIGNMENT}/{NB}": SOLUTION,
        f"12345/{ASSIGNMENT}/notes.txt": b"notes",
        f"666/{ASSIGNMENT}/carol_03_loss.ipynb": b"mallory's",
        f"666/{ASSIGNMENT}/{NB}": b"mal 2",
        f"222/{ASSIGNMENT}/{NB}": b"bob's",
    }, f"collected {sorted(got)}\n{text}"
    assert not (course / "submitted" / "carol").exists() and not (course / "submitted" / "777").exists()
    assert "collected 12345" in text and "collected 666" in text, text


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
def test_flat_names_reuploads_and_names_that_are_not_paths(course, tmp_path):
    download = _zip(tmp_path / "canvas.zip", [
        ("s100_attempt_2026-11-20-10-00_03_loss.ipynb", b"s100", None),
        ("doejane_12345_67890_03_loss.ipynb", b"jane old", (2026, 11, 20, 10, 0, 0)),
        ("doejane_12345_67891_03_loss-1.ipynb", b"jane new", (2026, 11, 20, 10, 5, 0)),
        ("s300_03_loss.ipynb", b"s300 new", (2026, 11, 21, 9, 0, 0)),   # same name twice:
        ("s300_03_loss.ipynb", b"s300 old", (2026, 11, 20, 9, 0, 0)),   # the later date wins
        ("s400_03_loss-2.ipynb", b"s400 second", None),                 # same date: counter wins
        ("s400_03_loss-1.ipynb", b"s400 first", None),
        ("s500_late_1_2_my_answers.ipynb", b"s500", None),
        (".._03_loss.ipynb", b"dotdot", None),
        ("/tmp/abs/s600_03_loss.ipynb", b"s600", None),
        ("../../s700_03_loss.ipynb", b"s700", None),
        ("sub\\dir\\s800_03_loss.ipynb", b"s800", None),
        ("*_03_loss.ipynb", b"glob", None),
        ("s900_.hidden.ipynb", b"hidden", None),
        ("readme.txt", b"not a submission", None),
    ])
    before = sorted(p.name for p in course.parent.iterdir())
    report, text = _collect(course, download)
    got = _files(course / "submitted")
    want = {f"s100/{ASSIGNMENT}/{NB}": b"s100", f"doejane/{ASSIGNMENT}/{NB}": b"jane new",
            f"s300/{ASSIGNMENT}/{NB}": b"s300 new", f"s400/{ASSIGNMENT}/{NB}": b"s400 second",
            f"s500/{ASSIGNMENT}/my_answers.ipynb": b"s500", f"s600/{ASSIGNMENT}/{NB}": b"s600",
            f"s700/{ASSIGNMENT}/{NB}": b"s700", f"s800/{ASSIGNMENT}/{NB}": b"s800"}
    assert got == want, f"collected {got.keys()}\n{text}"
    assert sorted(p.name for p in course.parent.iterdir()) == before, "something landed beside the course"
    assert not (course / "abs").exists() and not (course / "tmp").exists()
    for skipped in (".._03_loss.ipynb: not a valid student id: '..'", "*_03_loss.ipynb: not a valid student id",
                    "s900_.hidden.ipynb: not a valid file name", "readme.txt: cannot tell whose file it is"):
        assert skipped in text, f"not reported: {skipped!r}\n{text}"
    assert "doejane: kept the newest upload of 03_loss.ipynb" in text and "doejane_12345_67890_03_loss" in text, text
    assert "s300: kept the newest upload" in text and "s400: kept the newest upload" in text, text


def test_nested_zips_broken_ones_are_reported(course, tmp_path):
    inner = _zip_bytes(tmp_path, [("s1_03_loss.ipynb", b"s1", None)])
    download = _zip(tmp_path / "outer.zip", [
        ("part1.zip", inner, None),
        ("broken.zip", b"PK\x03\x04 this is not a zip", None),
        ("s2_03_loss.ipynb", b"s2", None),
    ])
    report, text = _collect(course, download)
    assert _files(course / "submitted") == {f"s1/{ASSIGNMENT}/{NB}": b"s1", f"s2/{ASSIGNMENT}/{NB}": b"s2"}, text
    assert "broken.zip: a zip that cannot be read" in text, text


def test_a_download_that_is_not_a_zip_is_an_error(course, tmp_path):
    bad = tmp_path / "download.zip"
    bad.write_bytes(b"<html>session expired</html>")
    with pytest.raises(CollectError, match="not a readable zip file"):
        collect_zip(bad, course, course / "submitted", ASSIGNMENT)


def test_recollecting_keeps_what_was_there(course, tmp_path):
    """The same zip again changes nothing; a newer one replaces a folder, whose old files are kept aside."""
    first = _zip(tmp_path / "1.zip", [("s1_03_loss.ipynb", b"v1", None), ("s1_extra.txt", b"x", None)])
    _collect(course, first)
    folder = course / "submitted" / "s1" / ASSIGNMENT
    mtime = (folder / NB).stat().st_mtime_ns
    report, text = _collect(course, first)
    assert "unchanged s1" in text and (folder / NB).stat().st_mtime_ns == mtime, text
    second = _zip(tmp_path / "2.zip", [("s1_03_loss.ipynb", b"v2", None)])
    report, text = _collect(course, second)
    assert _files(folder) == {NB: b"v2"}, text
    kept = list((course / ".coursegrade" / "replaced").glob(f"*/s1/{ASSIGNMENT}"))
    assert len(kept) == 1 and _files(kept[0]) == {NB: b"v1", "extra.txt": b"x"}, (kept, text)
    assert "earlier files are kept in .coursegrade/replaced/" in text, text


def test_a_linked_student_folder_is_not_written_through(course, tmp_path):
    (course / "submitted").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, course / "submitted" / "s1")
    report, text = _collect(course, _zip(tmp_path / "d.zip", [("s1_03_loss.ipynb", b"s1", None)]))
    assert list(outside.iterdir()) == [], "written through a link"
    assert "submitted/s1 exists and is not a folder" in text, text


def test_a_huge_entry_is_skipped_before_it_is_decompressed(tmp_path):
    """An 800 MiB notebook (a few hundred KiB compressed): skipped, and collecting it
    costs the process little memory (measured in a child process: its peak RSS)."""
    download = tmp_path / "huge.zip"
    with zipfile.ZipFile(download, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open(zipfile.ZipInfo("s1_03_loss.ipynb", date_time=(2026, 1, 1, 0, 0, 0)), "w") as fh:
            block = b"\0" * (8 << 20)
            for _ in range(100):
                fh.write(block)
        zf.writestr("s2_03_loss.ipynb", b"small")
    course = make_course(tmp_path / "course")
    # The peak is the child's VmHWM (its own address space's high-water mark, new at
    # exec); ru_maxrss would carry over the forking pytest process's size, which grows
    # over a whole test run (319 MiB seen on CI; the collection itself peaks near 18 MiB).
    script = ("import resource, sys\nfrom coursegrade.collect import collect_zip\n"
              f"r = collect_zip({str(download)!r}, {str(course)!r}, {str(course / 'submitted')!r}, {ASSIGNMENT!r})\n"
              "print('\\n'.join(r))\n"
              "hwm = [int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:')]\n"
              "print('maxrss_kib', hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "s1_03_loss.ipynb: too big, 800.0 MiB (limit 20 MiB)" in out.stdout, out.stdout
    maxrss_mib = int(out.stdout.split("maxrss_kib")[1]) / 1024
    assert maxrss_mib < 300, f"collecting took {maxrss_mib:.0f} MiB"
    assert _files(course / "submitted") == {f"s2/{ASSIGNMENT}/{NB}": b"small"}


def test_a_lying_size_is_caught_while_reading(course, tmp_path, monkeypatch):
    """The declared size passes the cap, the data does not: reading stops at the cap."""
    from coursegrade import collect

    monkeypatch.setattr(collect, "NOTEBOOK_CAP", 1000)
    download = _zip(tmp_path / "d.zip", [("s1_03_loss.ipynb", b"x" * 5000, None), ("s2_03_loss.ipynb", b"ok", None)])
    real = collect._list

    def lying_list(archive, *args, **kwargs):
        for info in archive.infolist():
            info.file_size = 10          # what a crafted header could claim
        return real(archive, *args, **kwargs)

    monkeypatch.setattr(collect, "_list", lying_list)
    report, text = _collect(course, download)
    assert _files(course / "submitted") == {f"s2/{ASSIGNMENT}/{NB}": b"ok"}, text
    assert "s1_03_loss.ipynb: cannot be extracted" in text, text


# --- nbgrader collect from the exchange -----------------------------------------------------

def test_nbgrader_collect_copies_regular_files_only(tmp_path):
    """``nbgrader collect`` with the course's nbgrader_config.py: a link to a file outside
    and a FIFO in a student's inbox entry are skipped and logged, the notebook is copied;
    inbox entries of the student id '*' and with a time that does not parse are skipped."""
    course = make_course(tmp_path / "course")
    secret = tmp_path / "instructor-secret.txt"
    secret.write_text("SECRET")
    inbound = tmp_path / "exchange" / "nnlearn" / "inbound"
    stamp = "2026-11-20 10:00:00.000000 UTC"
    entry = inbound / f"alice+{ASSIGNMENT}+{stamp}"
    entry.mkdir(parents=True)
    (entry / NB).write_bytes(SOLUTION)
    (entry / "timestamp.txt").write_text(stamp)
    os.symlink(secret, entry / "notes.txt")
    os.mkfifo(entry / "pipe.ipynb")
    star = inbound / f"*+{ASSIGNMENT}+{stamp}"
    star.mkdir()
    (star / NB).write_bytes(b"glob")
    (inbound / f"bob+{ASSIGNMENT}+not a time").mkdir()          # nbgrader stopped the collection here

    out = subprocess.run([sys.executable, "-m", "nbgrader", "collect", ASSIGNMENT,
                          f"--Exchange.root={tmp_path / 'exchange'}", "--CourseDirectory.course_id=nnlearn"],
                         cwd=course, capture_output=True, text=True, timeout=120)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-3000:]
    folder = course / "submitted" / "alice" / ASSIGNMENT
    assert sorted(p.name for p in folder.iterdir()) == [NB, "timestamp.txt"], log[-3000:]
    assert (folder / NB).read_bytes() == SOLUTION
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["alice"], "the '*' entry was collected"
    assert "notes.txt: a symbolic link" in log and "pipe.ipynb: a FIFO" in log, log[-3000:]
    assert "not a valid student id: '*'" in log, log[-3000:]
    assert f"Skipped bob+{ASSIGNMENT}+not a time: not a submission" in log, log[-3000:]

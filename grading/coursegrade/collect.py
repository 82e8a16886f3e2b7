"""Collect an LMS download (a zip) into ``submitted/<student>/<assignment>/``.

Whose file an entry is comes only from what the LMS vouches for, never from a name
inside a student's own folder:

* a **folder made by Moodle**, ``<Full Name>_<participant>_assignsubmission_file_/``
  (or ``..._onlinetext_``), at any depth of the download: everything below it is that
  participant's, student id ``<participant>`` (the number Moodle's grading worksheet
  calls "Participant 12345"). The outermost such folder wins, so a folder a student
  made inside their own cannot hand files to someone else, and ``carol_03_loss.ipynb``
  inside Mallory's folder is Mallory's (graded under the expected name and flagged);
* otherwise a **flat file name made by Canvas** (or a similar LMS),
  ``<login>_[late_]<user id>_<submission id>_<original name>``, or the shorter
  ``<student_id>_<original name>``: student ``<login>``, file ``<original name>``. A
  name ending in ``_<assignment>.ipynb`` is collected as ``<assignment>.ipynb``.

A zip inside the download is opened too (a student's zip belongs to that student);
one that cannot be read is reported and skipped. Re-uploads of one file
(``03_loss.ipynb``, ``03_loss-1.ipynb``, or one name twice) keep the newest: by the
zip entry's date and time, then by the ``-N`` counter, then by the order in the zip.
Entry names are never used as paths: only a checked student id and a checked file
name (no folders, no leading ``.``) are. Each entry is size-capped before it is
decompressed, and read in chunks that stop at the cap. Nothing stops the
collection: every entry not collected is reported with the reason.

A student's folder that already holds other files is moved to
``.coursegrade/replaced/<time>/<student>/<assignment>/`` in the course (nothing
submitted is lost) before the new files are put in its place; one that holds the
same files is left alone.
"""

import datetime
import os
import re
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path

from .submission import FILE_CAP, NOTEBOOK_CAP, UnsafePath, id_problem, open_folder, scan, shown

NESTED_ZIP_CAP = 200 * 2**20   # bytes of a zip inside the download
MAX_NESTING = 3
CHUNK = 1 << 20
REPLACED = Path(".coursegrade") / "replaced"   # in the course root

MOODLE_FOLDER = re.compile(r"(?P<name>.+)_(?P<participant>\d+)_(?:assignsubmission_\w+?|onlinetext)_?")
FLAT_FILE = re.compile(r"(?P<student>[^_]+)_(?:late_)?(?:\d+_\d+_)?(?P<rest>.+)", re.IGNORECASE)
COUNTER = re.compile(r"(?P<stem>.+?)-(?P<n>\d+)(?P<ext>\.[^.]+)")
SAFE_NAME = re.compile(r"[^/\\\x00-\x1f]{1,200}")


class CollectError(Exception):
    """The download itself cannot be read; the message says why."""


class _Candidate:
    """One file of the download that belongs to a student."""

    def __init__(self, student, name, counter, info, archive, order, entry):
        self.student, self.name, self.counter = student, name, counter
        self.info, self.archive, self.order, self.entry = info, archive, order, entry

    def key(self):
        return (self.info.date_time, self.counter, self.order)


def collect_zip(zip_path, root, submitted, assignment):
    """Collect one LMS download; return the report lines (what was collected, kept, skipped)."""
    report, candidates, open_zips = [], [], []
    try:
        outer = zipfile.ZipFile(zip_path)
    except (OSError, zipfile.BadZipFile) as err:
        raise CollectError(f"{zip_path} is not a readable zip file: {err}") from None
    try:
        _list(outer, shown(Path(zip_path).name), None, 0, assignment, candidates, report, open_zips)
        chosen = _newest(candidates, report)
        by_student = {}
        for c in chosen:
            by_student.setdefault(c.student, []).append(c)
        for student, files in sorted(by_student.items()):
            report.extend(_write_student(root, Path(submitted), student, assignment, files))
    finally:
        for inner, spool in open_zips:
            inner.close()
            spool.close()
        outer.close()
    return report


def _list(archive, where, student, depth, assignment, candidates, report, open_zips):
    """Add the files of ``archive`` (a ZipFile) to ``candidates``; report what is skipped."""
    for order, info in enumerate(archive.infolist()):
        if info.is_dir():
            continue
        entry = f"{where}: {shown(info.filename)}"
        parts = [p for p in re.split(r"[/\\]", info.filename) if p]
        if not parts:
            report.append(f"skipped {entry}: no file name")
            continue
        owner, name, counter = _owner(parts, student, assignment)
        if owner is None:
            report.append(f"skipped {entry}: {name}")
            continue
        problem = id_problem(owner) if owner != "" else None
        if problem:
            report.append(f"skipped {entry}: {problem}")
            continue
        if name.lower().endswith(".zip"):
            _open_nested(archive, info, entry, owner if owner != "" else None, depth, assignment,
                         candidates, report, open_zips)
            continue
        if owner == "":
            report.append(f"skipped {entry}: cannot tell whose file it is (not in a Moodle student folder, "
                          "not named <student>_<file>)")
            continue
        if name.startswith(".") or not SAFE_NAME.fullmatch(name):
            report.append(f"skipped {entry}: not a valid file name for a submission")
            continue
        cap = NOTEBOOK_CAP if name.endswith(".ipynb") else FILE_CAP
        if info.file_size > cap:
            report.append(f"skipped {entry}: too big, {info.file_size / 2**20:.1f} MiB "
                          f"(limit {cap / 2**20:.0f} MiB)")
            continue
        candidates.append(_Candidate(owner, name, counter, info, archive, order, entry))


def _owner(parts, student, assignment):
    """(student id, file name, re-upload counter) of an entry from its path parts.

    The student is ``student`` (the zip this entry is in belongs to them), else the
    outermost Moodle folder, else the prefix of a flat file name. Only a flat name
    (Canvas) has a re-upload counter (``03_loss-1.ipynb``: 1, named ``03_loss.ipynb``);
    a file in a student's own folder keeps its name (``data-2020.csv``). Returns
    ``("", name, 0)`` for a nested zip nobody vouches for (its entries are judged on
    their own) and ``(None, reason, 0)`` for a file nobody vouches for.
    """
    name = parts[-1]
    if student is not None:
        return student, name, 0
    for folder in parts[:-1]:
        match = MOODLE_FOLDER.fullmatch(folder)
        if match:
            return match["participant"], name, 0
    match = FLAT_FILE.fullmatch(name)
    if match is None:
        if name.lower().endswith(".zip"):
            return "", name, 0
        return None, "cannot tell whose file it is (not in a Moodle student folder, not named <student>_<file>)", 0
    rest = match["rest"]
    notebook = re.fullmatch(rf"(?:.*_)?{re.escape(assignment)}(?P<counter>-\d+)?\.ipynb", rest)
    if notebook:
        rest = f"{assignment}{notebook['counter'] or ''}.ipynb"
    counted = COUNTER.fullmatch(rest)
    if counted:
        return match["student"], counted["stem"] + counted["ext"], int(counted["n"])
    return match["student"], rest, 0


def _open_nested(archive, info, entry, student, depth, assignment, candidates, report, open_zips):
    if depth >= MAX_NESTING:
        report.append(f"skipped {entry}: zips nested more than {MAX_NESTING} deep")
        return
    if info.file_size > NESTED_ZIP_CAP:
        report.append(f"skipped {entry}: a zip of {info.file_size / 2**20:.0f} MiB "
                      f"(limit {NESTED_ZIP_CAP / 2**20:.0f} MiB)")
        return
    spool = tempfile.TemporaryFile()
    try:
        _copy_capped(archive, info, spool, NESTED_ZIP_CAP)
        spool.seek(0)
        inner = zipfile.ZipFile(spool)
    except (OSError, zipfile.BadZipFile, _TooBig, RuntimeError, EOFError, ValueError) as err:
        spool.close()
        report.append(f"skipped {entry}: a zip that cannot be read ({err})")
        return
    open_zips.append((inner, spool))
    _list(inner, entry, student, depth + 1, assignment, candidates, report, open_zips)


class _TooBig(Exception):
    pass


def _copy_capped(archive, info, out, cap):
    """Decompress one entry into the file ``out``, at most ``cap`` bytes (else _TooBig)."""
    size = 0
    with archive.open(info) as fh:
        while True:
            block = fh.read(min(CHUNK, cap + 1 - size))
            if not block:
                return size
            size += len(block)
            if size > cap:
                raise _TooBig(f"more than {cap / 2**20:.0f} MiB when decompressed")
            out.write(block)


def _newest(candidates, report):
    """The newest candidate of each (student, file name); the others are reported."""
    groups = {}
    for c in candidates:
        groups.setdefault((c.student, c.name), []).append(c)
    chosen = []
    for (student, name), group in sorted(groups.items()):
        group.sort(key=_Candidate.key)
        newest = group[-1]
        chosen.append(newest)
        for older in group[:-1]:
            report.append(f"{student}: kept the newest upload of {name} ({newest.entry}, "
                          f"{_when(newest.info)}); not collected: {older.entry} ({_when(older.info)})")
    return chosen


def _when(info):
    return "{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}".format(*info.date_time)


def _write_student(root, submitted, student, assignment, files):
    """Put one student's files in place; return report lines."""
    submitted.mkdir(parents=True, exist_ok=True)
    student_dir = submitted / student
    try:
        st = os.lstat(student_dir)
    except FileNotFoundError:
        student_dir.mkdir()
    else:
        if not stat.S_ISDIR(st.st_mode):
            return [f"skipped {student}'s files: submitted/{student} exists and is not a folder"]
    report = []
    new = Path(tempfile.mkdtemp(prefix=f".{student}-{assignment}.", suffix=".collecting", dir=submitted))
    try:
        for c in files:
            cap = NOTEBOOK_CAP if c.name.endswith(".ipynb") else FILE_CAP
            try:
                with open(new / c.name, "xb") as out:
                    _copy_capped(c.archive, c.info, out, cap)
            except (_TooBig, zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as err:
                (new / c.name).unlink(missing_ok=True)
                report.append(f"skipped {c.entry}: cannot be extracted ({err})")
        if not any(new.iterdir()):
            return report
        report.extend(_replace(root, submitted, student, assignment, new))
    finally:
        if new.exists():
            shutil.rmtree(new)
    return report


def _replace(root, submitted, student, assignment, new):
    """Make ``new`` the folder submitted/<student>/<assignment>, keeping any other old one."""
    names = ", ".join(sorted(p.name for p in new.iterdir()))
    target = submitted / student / assignment
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        os.rename(new, target)
        return [f"collected {student}: {names}"]
    if stat.S_ISDIR(st.st_mode):
        try:
            same = scan(open_folder(submitted, student, assignment)).sha256 == \
                scan(os.open(new, os.O_RDONLY | os.O_DIRECTORY)).sha256
        except UnsafePath:
            same = False
        if same:
            return [f"unchanged {student}: {names} (already collected)"]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    keep = Path(root) / REPLACED / stamp / student
    keep.mkdir(parents=True)
    os.rename(target, keep / assignment)
    os.rename(new, target)
    return [f"collected {student}: {names} (their earlier files are kept in "
            f"{(keep / assignment).relative_to(root)})"]

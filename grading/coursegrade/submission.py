"""A submission folder, read without trusting anything in it.

Students (or whatever copied their work into ``submitted/``) choose every name and
every kind of entry in a submission folder. Nothing in it is followed or trusted as
a path:

* Only **regular files** are read. A symbolic link (even in a parent folder), a hard
  link (``st_nlink > 1``: the same file as one outside), a FIFO, a device node or a
  socket is never opened; it is *rejected* with a reason. Entries are found with
  ``lstat`` and opened relative to their folder with ``O_NOFOLLOW | O_NONBLOCK``,
  then checked again with ``fstat`` (the entry may have been swapped meanwhile).
* Every file is **size-capped before reading** (:data:`NOTEBOOK_CAP`,
  :data:`FILE_CAP`, :data:`TOTAL_CAP`) and read in chunks that stop at the cap.
* Hidden entries (``.ipynb_checkpoints``, editors' files) are skipped unread.
* **Student ids** must match :func:`id_problem`'s pattern: no glob characters, no
  ``..``, no path separators, no leading ``.`` or ``-``.

nbgrader never reads a submission folder itself: :func:`stage` copies the accepted
files into a folder the grader owns (a wrongly named notebook under the expected
name), and nbgrader grades that copy. Nothing is ever written into the student's
folder.
"""

import errno
import hashlib
import json
import os
import re
import stat
import warnings
from pathlib import Path

from .records import FAILED, FLAGGED, GRADED, worst

NOTEBOOK_CAP = 20 * 2**20   # bytes of one notebook
FILE_CAP = 20 * 2**20       # bytes of one other file
TOTAL_CAP = 100 * 2**20     # bytes of one submission
MAX_FILES = 1000            # files of one submission
MAX_DEPTH = 8               # folder levels below the submission folder
CHUNK = 1 << 20

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_SAFE_ID = re.compile(r"\w[\w.@+-]{0,99}")


class UnsafePath(Exception):
    """A path from a submission that is not read; the message says why."""


def id_problem(student_id):
    """Why ``student_id`` cannot name a student folder, or None when it can.

    Allowed: letters, digits, ``_ . @ + -``, at most 100, not starting with ``.`` or
    ``-``, no ``..``. So an id is never a glob (``*``, ``?``, ``[``) for nbgrader,
    never a path (``/``, ``\\``, ``..``) and never an option (``-x``).
    """
    if not isinstance(student_id, str) or not _SAFE_ID.fullmatch(student_id) or ".." in student_id:
        return (f"not a valid student id: {ascii(student_id)} (allowed: letters, digits and _ . @ + -, "
                "not starting with . or -, no '..', at most 100 characters)")
    return None


def shown(name):
    """A name from a submission as it may be printed or put in a CSV cell: as it is when
    it is printable and cannot start a spreadsheet formula, else as a Python literal."""
    if name.isprintable() and not name.startswith(("=", "+", "-", "@")):
        return name
    return ascii(name)


def kind(mode):
    """What a non-regular entry is, in words."""
    for test, name in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"), (stat.S_ISREG, "a file")):
        if test(mode):
            return name
    return "not a regular file"


def _mib(size):
    return f"{size / 2**20:.1f} MiB"


def open_folder(base, *parts):
    """An fd of the folder ``base/parts...``, no component of ``parts`` followed if it is a link.

    ``base`` is the instructor's (``submitted/``); ``parts`` come from names a student
    or an LMS chose. Raises :class:`UnsafePath` with the reason.
    """
    fd = os.open(base, _DIR_FLAGS & ~os.O_NOFOLLOW)
    where = Path(base).name
    try:
        for part in parts:
            where = f"{where}/{shown(part)}"
            if part in ("", ".", "..") or "/" in part:
                raise UnsafePath(f"{where}: not a plain folder name")
            try:
                st = os.stat(part, dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                raise UnsafePath(f"{where}: missing") from None
            if not stat.S_ISDIR(st.st_mode):
                raise UnsafePath(f"{where}/ is {kind(st.st_mode)}, not a folder: not followed")
            try:
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as err:
                raise UnsafePath(f"{where}/: cannot open it ({os.strerror(err.errno)})") from None
            os.close(fd)
            fd = child
        return fd
    except BaseException:
        os.close(fd)
        raise


class Scan:
    """What a submission folder holds: ``files`` (relative paths read), ``rejected``
    ([(relative path, reason)]) and ``sha256`` over both."""

    def __init__(self):
        self.files, self.rejected = [], []
        self._digest = hashlib.sha256()

    @property
    def sha256(self):
        return self._digest.hexdigest()

    def reject(self, rel, reason):
        self.rejected.append((rel, reason))
        self._digest.update(b"R\0" + rel.encode("utf-8", "surrogateescape") + b"\0" + reason.encode() + b"\n")

    def accept(self, rel, sha256):
        self.files.append(rel)
        self._digest.update(b"F\0" + rel.encode("utf-8", "surrogateescape") + b"\0" + sha256.encode() + b"\n")

    def reasons(self):
        return [f"not read: {shown(path)}: {reason}" for path, reason in self.rejected]

    def notebooks(self):
        """The accepted notebooks at the top of the folder."""
        return sorted(p for p in self.files if "/" not in p and p.endswith(".ipynb"))


def scan(folder_fd, stage_to=None):
    """Read every regular file below the open folder ``folder_fd`` (closed here).

    Returns a :class:`Scan`. With ``stage_to`` (a new, empty folder of the grader),
    each accepted file is also copied there under the same relative path.
    """
    result = Scan()
    budget = {"bytes": TOTAL_CAP, "files": MAX_FILES}
    try:
        _scan_dir(folder_fd, "", 0, result, budget, stage_to and Path(stage_to))
    finally:
        os.close(folder_fd)
    return result


def _scan_dir(dir_fd, prefix, depth, result, budget, stage_to):
    for name in sorted(os.listdir(dir_fd)):
        if name.startswith("."):
            continue   # hidden: checkpoints, editors' files; never read
        rel = prefix + name
        try:
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except OSError as err:
            result.reject(rel, f"cannot inspect it ({os.strerror(err.errno)})")
            continue
        if stat.S_ISDIR(st.st_mode):
            if depth >= MAX_DEPTH:
                result.reject(rel + "/", f"folders nested deeper than {MAX_DEPTH} levels")
                continue
            try:
                child = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
            except OSError as err:
                result.reject(rel + "/", f"cannot open it ({os.strerror(err.errno)})")
                continue
            try:
                _scan_dir(child, rel + "/", depth + 1, result, budget, stage_to)
            finally:
                os.close(child)
            continue
        problem = _file_problem(st, rel, budget)
        if problem:
            result.reject(rel, problem)
            continue
        _read_file(dir_fd, name, st, rel, result, budget, stage_to)


def _file_problem(st, rel, budget):
    """Why a file is not read, judged from its lstat, or None."""
    if not stat.S_ISREG(st.st_mode):
        return f"{kind(st.st_mode)}, not a regular file: not followed or read"
    if st.st_nlink > 1:
        return f"a hard link ({st.st_nlink} names for one file): not read"
    cap = NOTEBOOK_CAP if rel.endswith(".ipynb") else FILE_CAP
    if st.st_size > cap:
        return f"too big: {_mib(st.st_size)} (limit {_mib(cap)})"
    if st.st_size > budget["bytes"]:
        return f"over the limit of {_mib(TOTAL_CAP)} for all files of a submission"
    if budget["files"] <= 0:
        return f"more than {MAX_FILES} files in the submission"
    return None


def _read_file(dir_fd, name, st, rel, result, budget, stage_to):
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError as err:
        reason = "a symbolic link: not followed" if err.errno == errno.ELOOP else \
            f"cannot open it ({os.strerror(err.errno)})"
        result.reject(rel, reason)
        return
    with os.fdopen(fd, "rb") as fh:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(now.st_mode) \
                or now.st_nlink > 1:
            result.reject(rel, "changed while it was opened: not read")
            return
        cap = min(NOTEBOOK_CAP if rel.endswith(".ipynb") else FILE_CAP, budget["bytes"])
        digest, size, out = hashlib.sha256(), 0, None
        if stage_to is not None:
            target = stage_to / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            out = open(target, "xb")
        try:
            while True:
                block = fh.read(min(CHUNK, cap + 1 - size))
                if not block:
                    break
                size += len(block)
                if size > cap:
                    break
                digest.update(block)
                if out is not None:
                    out.write(block)
        finally:
            if out is not None:
                out.close()
        if size > cap:
            if out is not None:
                target.unlink()
            result.reject(rel, f"grew past {_mib(cap)} while it was read")
            return
    budget["bytes"] -= size
    budget["files"] -= 1
    result.accept(rel, digest.hexdigest())


def submission_hash(submitted, student, assignment):
    """SHA-256 over a submission's files and rejected entries (nothing followed)."""
    return scan(open_folder(submitted, student, assignment)).sha256


def read_regular(path, cap):
    """The bytes of the regular file ``path``, not following a link, at most ``cap``.

    Raises :class:`UnsafePath` for anything else.
    """
    try:
        fd = os.open(path, _FILE_FLAGS)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise UnsafePath(f"{Path(path).name} is a symbolic link: not followed") from None
        raise
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafePath(f"{Path(path).name} is {kind(st.st_mode)}, not a regular file: not read")
        if st.st_size > cap:
            raise UnsafePath(f"{Path(path).name} is too big: {_mib(st.st_size)} (limit {_mib(cap)})")
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise UnsafePath(f"{Path(path).name} grew past {_mib(cap)} while it was read")
    return data


def check_notebook(path):
    """Check one notebook with nbformat before grading (never following a link).

    Returns ``(status, reason)``: ``("graded", "")`` for a valid notebook;
    ``("failed", reason)`` for an unreadable or empty file, invalid JSON or JSON that
    is not a notebook; ``("flagged", reason)`` for a notebook that reads but does not
    validate (nbgrader may still grade it).
    """
    import nbformat

    path = Path(path)
    try:
        raw = read_regular(path, NOTEBOOK_CAP)
    except UnsafePath as err:
        return FAILED, str(err)
    if not raw.strip():
        return FAILED, f"empty file: {path.name} ({len(raw)} bytes)"
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        return FAILED, f"not valid JSON: {path.name} is not UTF-8 text ({err})"
    except json.JSONDecodeError as err:
        return FAILED, f"not valid JSON: {path.name}: {err}"
    if not isinstance(data, dict):
        return FAILED, f"not a notebook: {path.name} is a JSON {type(data).__name__}, not an object"
    if "nbformat" not in data:
        return FAILED, f"not a notebook: {path.name} is JSON without the field 'nbformat'"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbformat warns about missing cell ids etc.
        try:
            nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        except Exception as err:  # noqa: BLE001 -- nbformat raises many types for malformed notebooks
            return FAILED, f"not a notebook: {path.name}: {first_line(err)}"
        try:
            nbformat.validate(nb)
        except nbformat.ValidationError as err:
            return FLAGGED, f"invalid notebook: {path.name}: {first_line(err.message)}"
    return GRADED, ""


def first_line(value):
    """The first non-blank line of ``str(value)``, at most 300 characters."""
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    return lines[0][:300] if lines else type(value).__name__


def _drop_bad_timestamp(target):
    """nbgrader stops autograding at a ``timestamp.txt`` it cannot parse: drop such a
    staged one (the submission is graded as if on time) and say so."""
    from nbgrader.utils import parse_utc

    path = target / "timestamp.txt"
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    try:
        if text:
            parse_utc(text)
        return []
    except (ValueError, OverflowError) as err:
        path.unlink()
        return [f"not read: timestamp.txt: not a time nbgrader reads ({first_line(err)[:100]})"]


def stage(submitted, student, assignment, expected, staged_root):
    """Copy a submission into ``staged_root/<student>/<assignment>/`` and decide what to grade.

    ``expected`` are the assignment's notebook names (``["03_loss.ipynb"]``). When
    the only expected notebook is missing and exactly one other notebook was
    submitted, that one is staged under the expected name (the student's folder is
    not touched). Returns ``(status, reasons, gradable, sha256)``.
    """
    where = f"submitted/{student}/{assignment}/"
    target = Path(staged_root) / student / assignment
    target.mkdir(parents=True)
    try:
        result = scan(open_folder(submitted, student, assignment), stage_to=target)
    except UnsafePath as err:
        return FAILED, [f"not read: {err}"], False, None
    reasons = result.reasons() + _drop_bad_timestamp(target)
    status = FLAGGED if reasons else GRADED
    present = result.notebooks()
    if not present:
        return FAILED, reasons + [f"no notebook: {where} has no readable .ipynb file "
                                    f"(expected {', '.join(expected)})"], False, result.sha256
    missing = [name for name in expected if name not in present]
    others = [name for name in present if name not in expected]
    if len(expected) == 1 and missing and len(others) == 1:
        os.rename(target / others[0], target / expected[0])
        status = worst(status, FLAGGED)
        reasons.append(f"renamed: {others[0]} graded as {expected[0]}")
    elif missing and len(missing) == len(expected):
        return FAILED, reasons + [f"no {' or '.join(expected)} in {where}, but {len(others)} other notebooks "
                                    f"({', '.join(others)}): cannot tell which one to grade"], False, result.sha256
    elif missing:
        status = worst(status, FLAGGED)
        reasons += [f"missing notebook: {name} (scored 0)" for name in missing]
    for name in others:
        if (target / name).exists():
            (target / name).unlink()   # nbgrader would only warn "Skipping unknown notebook"
    for name in expected:
        if (target / name).is_file():
            check, reason = check_notebook(target / name)
            if check != GRADED:
                status = worst(status, check)
                reasons.append(reason)
    return status, reasons, status != FAILED, result.sha256

"""The sandbox holds when the grader runs as root (issue 11, part 1), the way CI runs.

* Straight through ``proxy.Student`` (a second each): the submission's process runs as
  the unprivileged ``sandbox_uid`` with no capability at all and a seccomp filter; the
  read-only mounts (the student library, the grader's package, the venv, the Python
  installation) can be neither remounted writable nor written, not even from a new
  user namespace.
* Through the real grader (``coursegrade grade``): a hostile submission tries to
  remount and write the venv, the student library and the grader's package, to plant a
  ``.pth`` file, to read ``source/`` and to write into the course; it scores nothing,
  an honest student graded after it in the same run and in the next run gets full
  marks, and the course folder, the venv, the grader's package, the library and
  another student's folders are unchanged, byte for byte.
"""

import hashlib
import json
import os
import sys
import textwrap
from pathlib import Path

import nbformat

from coursegrade import blocklist, contract, proxy
from coursegrade import sandbox as sb
from coursegrade.execute import _nnlearn_folder
from grading_helpers import ASSIGNMENT, ROOT, autograded, committed_notebook, grade, make_course, submit

SOLUTION = committed_notebook("solutions")
RELEASE = committed_notebook("release")
NB = f"{ASSIGNMENT}.ipynb"
MAX_SCORE = sum(cell.metadata["nbgrader"]["points"] for cell in nbformat.read(SOLUTION, as_version=4).cells
                if cell.metadata.get("nbgrader", {}).get("grade"))
PACKAGE = Path(sb.__file__).resolve().parent

# Runs inside the sandbox: tries each way to write to a read-only place; prints one
# line per attempt ("<what> <path> ok" when it worked).
ATTACK = r'''
import ctypes, errno, os, site, sys
libc = ctypes.CDLL(None, use_errno=True)
MS_REMOUNT, MS_BIND = 32, 4096
CLONE_NEWUSER, CLONE_NEWNS = 0x10000000, 0x00020000
def attempt(what, path, call):
    try:
        result = call()
        if result is not None and result < 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
        print(what, path, "ok")
    except OSError as error:
        print(what, path, "refused:", error.strerror)
targets = TARGETS + [sys.prefix, site.getsitepackages()[0], os.path.realpath(sys.base_prefix)]
for path in targets:
    attempt("remount", path, lambda: libc.mount(b"none", path.encode(), None, MS_REMOUNT | MS_BIND, None))
    attempt("write", path, lambda: open(os.path.join(path, "zz_planted.pth"), "w").write("import os\n"))
attempt("tmpfs", "/opt/coursegrade/grader", lambda: libc.mount(b"none", b"/opt/coursegrade/grader", b"tmpfs", 0, None))
attempt("unshare", "-", lambda: libc.unshare(CLONE_NEWUSER | CLONE_NEWNS))
attempt("setuid", "0", lambda: os.setuid(0))
'''


def _hash_tree(root, contents=True):
    """SHA-256 over a folder: every path, its type, mode and size -- and the bytes of each
    file (``contents``) or its modification time (a big venv: metadata only)."""
    digest = hashlib.sha256()
    root = Path(root)
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        info = path.lstat()
        digest.update(f"{path.relative_to(root)}\0{info.st_mode:o}\0{info.st_size}\0".encode())
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes() if contents else str(info.st_mtime_ns).encode())
    return digest.hexdigest()


def _site_packages():
    import site
    return Path(site.getsitepackages()[0])


# --- the sandbox itself, without nbgrader ------------------------------------------------

def _run_in_sandbox(tmp_path, source, functions=()):
    """Run one cell in the sandbox, as the grader does; returns (the cell's record, report)."""
    library = blocklist.build_student_library(_nnlearn_folder(), contract.load(ROOT / "source" / ASSIGNMENT))
    workdir = sb.new_workdir()
    try:
        sb.prepare(workdir, [{"index": 0, "source": source}], functions, 10, 10)
        plan = {"workdir": str(workdir), "student_lib": str(library), "memory_mb": 1024, "cell_timeout": 10,
                "call_timeout": 10, "submission_timeout": 60, "disk_mb": 16, "report": str(workdir / "report.json")}
        (workdir / "plan.json").write_text(json.dumps(plan))
        student = proxy.Student.start(workdir / "plan.json")
        student.finish()
        report = json.loads((workdir / "report.json").read_text())
        log = (workdir / "sandbox.log").read_text(errors="replace")
        report["log_bytes"] = (workdir / "sandbox.log").stat().st_size
    finally:
        import shutil
        shutil.rmtree(workdir, ignore_errors=True)
    assert report["cells"], f"the cell did not run: {report}; sandbox log: {log[-2000:]}"
    return report["cells"][0], report


def test_the_submission_has_no_privileges(sandbox, tmp_path):
    record, _ = _run_in_sandbox(tmp_path, textwrap.dedent("""
        import os, resource
        print("ids", os.getresuid(), os.getresgid(), os.getgroups())
        for name in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_CORE"):
            print(name, resource.getrlimit(getattr(resource, name)))
        for line in open("/proc/self/status"):
            if line.startswith(("Cap", "NoNewPrivs", "Seccomp:")):
                print(line.strip())
        """))
    out = record["stdout"]
    uid = sb.DEFAULT_UID if os.geteuid() == 0 else os.getuid()
    assert f"ids ({uid}, {uid}, {uid}) ({uid}, {uid}, {uid}) []" in out, out
    for name in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert f"{name}:\t0000000000000000" in out, f"{name} is not empty:\n{out}"
    assert "NoNewPrivs:\t1" in out and "Seccomp:\t2" in out, out
    # the plan's limits: memory_mb 1024, submission_timeout 60 (+ the grace), 256 MiB files, no core
    assert f"RLIMIT_AS ({2**30}, {2**30})" in out, out
    assert "RLIMIT_CPU (65, 70)" in out, out
    assert f"RLIMIT_FSIZE ({256 * 2**20}, {256 * 2**20})" in out and "RLIMIT_CORE (0, 0)" in out, out


def test_read_only_mounts_stay_read_only(sandbox, tmp_path):
    targets = ["/opt/coursegrade/lib", "/opt/coursegrade/lib/nnlearn", "/opt/coursegrade/grader/coursegrade",
               "/opt/coursegrade/input", "/usr", "/"]
    record, _ = _run_in_sandbox(tmp_path, ATTACK.replace("TARGETS", repr(targets)))
    out = record["stdout"]
    lines = out.strip().splitlines()
    assert len(lines) == 2 * (len(targets) + 3) + 3, out
    assert not [line for line in lines if line.endswith(" ok")], f"something worked:\n{out}"
    assert "remount /opt/coursegrade/lib refused: Operation not permitted" in out, out
    assert "unshare - refused: Operation not permitted" in out, out


# --- through the real grader --------------------------------------------------------------

def _hostile_notebook(course):
    """The release notebook (no answers) and a cell that tries everything."""
    nb = nbformat.read(RELEASE, as_version=4)
    targets = ["/opt/coursegrade/lib/nnlearn", "/opt/coursegrade/grader/coursegrade", str(course)]
    steal = textwrap.dedent(f"""
        import glob
        for pattern in [{str(course / "source" / "*" / "*")!r}, {str(course / "gradebook.db")!r},
                        {str(course / "submitted" / "*" / "*" / "*")!r}, "/home/*/*", "/root/*"]:
            print("found", pattern, glob.glob(pattern))
        try:
            print("read", open({str(course / "source" / ASSIGNMENT / NB)!r}).read()[:100])
        except OSError as error:
            print("read refused:", error.strerror)
        """)
    nb.cells.append(nbformat.v4.new_code_cell(ATTACK.replace("TARGETS", repr(targets)) + steal))
    return nbformat.writes(nb).encode()


def test_a_hostile_submission_as_root_changes_nothing(sandbox, tmp_path):
    course = make_course(tmp_path / "course")
    (course / "release" / ASSIGNMENT).mkdir(parents=True)
    (course / "release" / ASSIGNMENT / NB).write_bytes(RELEASE.read_bytes())
    submit(course, "abel", {NB: SOLUTION})
    first = grade(course)
    assert first.code == 0 and first.by_key["abel", ASSIGNMENT]["score"] == str(MAX_SCORE), repr(first)

    def state():
        return {
            "source": _hash_tree(course / "source"), "release": _hash_tree(course / "release"),
            "config": hashlib.sha256((course / "nbgrader_config.py").read_bytes()).hexdigest(),
            "abel submitted": _hash_tree(course / "submitted" / "abel"),
            "abel autograded": _hash_tree(course / "autograded" / "abel"),
            "venv": _hash_tree(Path(sys.prefix), contents=False),
            "site-packages": _hash_tree(_site_packages(), contents=False),
            "pth files": sorted(p.name for p in _site_packages().glob("*.pth")),
            "grader package": _hash_tree(PACKAGE),
            "library": _hash_tree(Path(_nnlearn_folder())),
        }

    before = state()
    submit(course, "mallory", {NB: _hostile_notebook(course)})
    submit(course, "zoe", {NB: SOLUTION})          # graded after mallory, in the same process
    second = grade(course, "--jobs", "1")
    assert second.code == 0, repr(second)
    submit(course, "zed", {NB: SOLUTION})          # the next run (a planted .pth would run there)
    third = grade(course, "--jobs", "1")
    assert third.code == 0, repr(third)
    after = state()

    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"the hostile submission's run changed {changed}"
    rows = third.by_key
    assert rows["mallory", ASSIGNMENT]["score"] == "0", rows["mallory", ASSIGNMENT]
    for student in ("abel", "zoe", "zed"):
        assert rows[student, ASSIGNMENT]["score"] == str(MAX_SCORE), (student, rows[student, ASSIGNMENT])
        assert rows[student, ASSIGNMENT]["status"] == "graded", (student, rows[student, ASSIGNMENT])

    hostile = nbformat.read(autograded(course, "mallory") / NB, as_version=4)
    text = "".join(o.get("text", "") for c in hostile.cells if "libc.mount" in c.source for o in c.outputs)
    assert "remount /opt/coursegrade/grader/coursegrade refused" in text, text
    assert not [line for line in text.splitlines() if line.endswith(" ok")], f"an attempt worked:\n{text}"
    assert "read refused" in text and "[]" in text and "found /root/* []" in text, text
    for pattern in ("/source/", "/submitted/", "gradebook.db"):
        found = [line for line in text.splitlines() if line.startswith("found") and pattern in line]
        assert found and all(line.endswith("[]") for line in found), f"{pattern}: {found}"


def test_nothing_the_submission_writes_reaches_the_host_disk(sandbox, tmp_path):
    """Its stderr (fd 2) is not the grader's log file; its files are in its private memory."""
    record, report = _run_in_sandbox(tmp_path, textwrap.dedent("""
        import os
        for _ in range(40):
            os.write(2, b"x" * 2**20)
        print("wrote 40 MiB to fd 2")
        """))
    assert "wrote 40 MiB to fd 2" in record["stdout"], record
    assert report["log_bytes"] < 100_000, f"the grader's sandbox.log grew to {report['log_bytes']} bytes"

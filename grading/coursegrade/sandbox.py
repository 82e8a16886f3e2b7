"""Start the sandboxed worker process that runs a submission.

The sandbox is bubblewrap (``bwrap``, Debian package ``bubblewrap``): a new mount,
user, PID, network, IPC and UTS namespace in which the submission sees

* the operating system (``/usr`` and friends) and the Python installation,
  read-only;
* the course's virtual environment, read-only -- and nothing else of the course
  folder: not ``source/``, ``solutions/``, ``gradebook.db``, ``submitted/`` nor
  the other students' work;
* ``/opt/coursegrade/nnlearn``: the student's copy of the library, with the
  reference answers of the assignment being graded switched off (``blocklist``);
* its own working folder (a private copy of its submission folder), a private
  ``/tmp`` and home, and no network at all.

Resource limits (``prlimit``): address space (``memory_mb``), file size, no core
dumps. The grader kills the whole sandbox (its PID namespace) when a cell or a
call runs over time.

What it does not protect against: reading what any local user may read in
``/usr`` and the virtual environment (keep solutions out of both), and exhausting
``/tmp`` (a tmpfs in memory, not counted by the address-space limit).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import coursegrade

SANDBOX_HOME = "/home/student"
SANDBOX_WORK = "/home/student/submission"
SANDBOX_OPT = "/opt/coursegrade"


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create its namespaces on this machine."""


def bwrap_path():
    return shutil.which("bwrap")


def check_available():
    """Raise SandboxUnavailable with the fix when the sandbox cannot run here."""
    path = bwrap_path()
    if path is None:
        raise SandboxUnavailable(
            "grading needs bubblewrap to keep submissions away from the instructor's files, "
            "and 'bwrap' is not on PATH: install it with 'apt-get install bubblewrap' "
            "(Debian/Ubuntu) or 'dnf install bubblewrap' (Fedora)")
    probe = subprocess.run([path, *_system_binds(), "--unshare-all", "--die-with-parent",
                            "--", "/bin/true"], capture_output=True, text=True)
    if probe.returncode != 0:
        raise SandboxUnavailable(
            f"bubblewrap is installed but cannot create a sandbox here: {probe.stderr.strip()} "
            "(unprivileged user namespaces may be disabled: sysctl kernel.unprivileged_userns_clone=1)")


def _system_binds():
    args = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ("ld.so.cache", "ld.so.conf", "localtime", "nsswitch.conf", "passwd", "group"):
        path = f"/etc/{name}"
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    return args


def _python_binds():
    """The Python installation and the virtual environment, read-only."""
    args, seen = [], set()
    for prefix in (sys.base_prefix, sys.prefix, sys.exec_prefix):
        real = os.path.realpath(prefix)
        if real in seen or real.startswith("/usr/") or real == "/usr":
            continue
        seen.add(real)
        args += ["--ro-bind", real, real]
        if prefix != real:
            args += ["--symlink", real, prefix]
    return args


def check_venv_has_no_reference():
    """The reference library must not be readable inside the sandbox through the venv."""
    import site
    for folder in site.getsitepackages():
        if (Path(folder) / "nnlearn" / "__init__.py").exists():
            raise SandboxUnavailable(
                f"the virtual environment holds a copy of nnlearn ({folder}/nnlearn), which the "
                "sandbox could read: install the library in editable mode (pip install -e ./lib), "
                "as requirements.txt does")


def _font_cache(config_dir):
    """Copy matplotlib's font cache so the sandbox does not rebuild it (seconds, and stderr)."""
    try:
        import matplotlib
        cache = Path(matplotlib.get_cachedir())
    except Exception:  # noqa: BLE001 -- no matplotlib: nothing to copy
        return
    config_dir.mkdir(parents=True, exist_ok=True)
    for path in cache.glob("fontlist-*.json"):
        shutil.copy2(path, config_dir / path.name)


def prepare(workdir, cells, functions, cell_timeout, call_timeout, files_from=None):
    """Fill ``workdir`` (a private folder outside the course) for one sandbox run.

    Returns the path of the spec file the worker reads.
    """
    workdir = Path(workdir)
    submission = workdir / "submission"
    submission.mkdir(parents=True, exist_ok=True)
    if files_from is not None:
        for path in Path(files_from).iterdir():
            if path.is_file() and path.suffix != ".ipynb" and not path.name.startswith(".") \
                    and path.stat().st_size <= 50 * 2**20:
                shutil.copy2(path, submission / path.name)
    _font_cache(workdir / "mpl")
    spec = {"cells": cells, "functions": list(functions), "cell_timeout": cell_timeout,
            "call_timeout": call_timeout, "file_dir": f"{SANDBOX_HOME}/received"}
    spec_path = workdir / "spec.json"
    spec_path.write_text(json.dumps(spec))
    return spec_path


def command(workdir, student_lib, rfd, wfd, memory_mb):
    """The argv that starts the worker inside bubblewrap, under resource limits."""
    workdir = Path(workdir)
    package_parent = Path(coursegrade.__file__).resolve().parent.parent
    venv_python = Path(sys.prefix) / "bin" / "python"
    env = {
        "HOME": SANDBOX_HOME, "USER": "student", "LANG": "C.UTF-8",
        "PATH": f"{sys.prefix}/bin:/usr/local/bin:/usr/bin:/bin",
        "PYTHONPATH": f"{SANDBOX_OPT}/lib:{SANDBOX_OPT}/grader",
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
        "MPLBACKEND": "Agg", "MPLCONFIGDIR": f"{SANDBOX_HOME}/.mpl",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "TQDM_DISABLE": "1",
    }
    args = ["prlimit", f"--as={memory_mb * 2**20}", f"--fsize={256 * 2**20}", "--core=0", "--",
            bwrap_path(), "--unshare-all", "--die-with-parent", "--new-session",
            "--hostname", "sandbox", "--clearenv",
            *_system_binds(),
            # The private /tmp first: binds made before it under /tmp (a .venv in
            # /tmp/..., say) would be hidden by it.
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--tmpfs", SANDBOX_HOME,
            *_python_binds(),
            "--bind", str(workdir / "submission"), SANDBOX_WORK,
            "--ro-bind", str(workdir / "spec.json"), f"{SANDBOX_OPT}/spec.json",
            "--bind", str(workdir / "mpl"), f"{SANDBOX_HOME}/.mpl",
            "--ro-bind", str(student_lib), f"{SANDBOX_OPT}/lib",
            "--ro-bind", str(package_parent / "coursegrade"), f"{SANDBOX_OPT}/grader/coursegrade",
            "--chdir", SANDBOX_WORK]
    for key, value in env.items():
        args += ["--setenv", key, value]
    args += ["--", str(venv_python), "-m", "coursegrade.worker", f"{SANDBOX_OPT}/spec.json", str(rfd), str(wfd)]
    return args


def launch(workdir, student_lib, memory_mb=2048):
    """Start the worker; returns (process, read_fd, write_fd) of the grader's end."""
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()
    argv = command(workdir, student_lib, to_child_r, from_child_w, memory_mb)
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=open(Path(workdir) / "sandbox.log", "wb"),
                               pass_fds=(to_child_r, from_child_w), start_new_session=True)
    os.close(to_child_r)
    os.close(from_child_w)
    return process, from_child_r, to_child_w


def new_workdir():
    return Path(tempfile.mkdtemp(prefix="coursegrade-"))

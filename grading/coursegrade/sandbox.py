"""Start the sandboxed worker process that runs a submission.

The sandbox is bubblewrap (``bwrap``, Debian package ``bubblewrap``): a new mount,
PID, network, IPC and UTS namespace in which the submission sees

* the operating system (``/usr``, ``/bin``, ``/lib*`` and a few files of ``/etc``)
  and the Python installation, read-only;
* the course's virtual environment, read-only -- and nothing else of the course
  folder: not ``source/``, ``solutions/``, ``gradebook.db``, ``submitted/`` nor
  the other students' work;
* ``/opt/coursegrade/lib`` (:data:`SANDBOX_OPT`): read-only, the student's copy of
  the library (``lib/nnlearn``), with the reference answers of the assignment being
  graded switched off (``blocklist``);
* ``/opt/coursegrade/grader/coursegrade``: read-only, this package (the worker's code);
* ``/opt/coursegrade/input`` (:data:`SANDBOX_INPUT`): read-only, the
  :class:`~coursegrade.records.SandboxSpec` (its code cells and limits), its
  supporting files and matplotlib's font cache, which the worker (before any student
  code runs) copies into its working folder :data:`SANDBOX_WORK`;
* a home :data:`SANDBOX_HOME` (holding that working folder) and ``/tmp``: private,
  in memory and size-capped (``disk_mb`` each), and no network at all.

Who it runs as. The submission never runs with a capability or as root:

* grader run as **root**: bubblewrap runs as root without a user namespace, keeps
  only CAP_SETUID/CAP_SETGID/CAP_SETPCAP for the sandbox's first program, which is
  ``setpriv``: it switches to the unprivileged ``uid`` (default 65534, ``nobody``),
  drops every capability (effective, permitted, inheritable, ambient, bounding) and
  runs the worker. (Running bubblewrap itself as that uid does not work here: it
  cannot reach a Python installed under ``/root``, mode 0700, and bubblewrap 0.8
  resolves even ``--ro-bind-fd`` sources by path.)
* grader run as an **ordinary user**: bubblewrap makes a user namespace, the
  worker runs as that user with no capabilities, and cannot make user namespaces
  of its own (``--disable-userns``).

Either way the read-only mounts cannot be made writable: mount(2) needs
CAP_SYS_ADMIN, and a seccomp filter refuses mount, unshare and setns anyway.

Processes and resources. The seccomp filter also refuses to start processes (fork,
vfork and clone without CLONE_THREAD fail with EPERM; clone3 with ENOSYS, so that
the C library falls back to clone): threads work, child processes do not. So the
address-space limit (``prlimit --as``, ``memory_mb``) bounds the submission's
memory. CPU time (``--cpu``), file size and core dumps are limited too. Wall-clock
time is enforced from outside by the grader (``proxy.Student``), which kills the
sandbox (its PID namespace) when a cell, a call or the whole submission runs over.

What it does not protect against: reading what any local user may read in
``/usr`` and the virtual environment (keep solutions out of both).
"""

import functools
import logging
import os
import platform
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import coursegrade

from .records import SPEC_NAME, SandboxSpec

SANDBOX_HOME = "/home/student"
SANDBOX_WORK = "/home/student/submission"
SANDBOX_OPT = "/opt/coursegrade"
SANDBOX_INPUT = "/opt/coursegrade/input"

DEFAULT_UID = 65534          # nobody: the uid the submission runs as when the grader is root
FILE_LIMIT = 50 * 2**20      # bytes: one supporting file copied into the sandbox
FILES_LIMIT = 100 * 2**20    # bytes: all of them together
FSIZE_LIMIT = 256 * 2**20    # bytes: one file the submission writes

log = logging.getLogger("coursegrade")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create its namespaces on this machine."""


def bwrap_path():
    return shutil.which("bwrap")


def _as_root():
    return os.geteuid() == 0


def check_available(uid=DEFAULT_UID):
    """Raise SandboxUnavailable with the fix when the sandbox cannot run here."""
    if not isinstance(uid, int) or uid <= 0:
        raise SandboxUnavailable(f"SandboxedExecute.sandbox_uid must be an unprivileged uid, not {uid!r}")
    path = bwrap_path()
    if path is None:
        raise SandboxUnavailable(
            "grading needs bubblewrap to keep submissions away from the instructor's files, "
            "and 'bwrap' is not on PATH: install it with 'apt-get install bubblewrap' "
            "(Debian/Ubuntu) or 'dnf install bubblewrap' (Fedora)")
    if _as_root() and not os.path.exists("/usr/bin/setpriv"):
        raise SandboxUnavailable(
            "grading as root needs /usr/bin/setpriv (package util-linux) to run submissions "
            "as an unprivileged user: install it with 'apt-get install util-linux'")
    probe = subprocess.run([path, *_namespaces(), *_system_binds(), "--die-with-parent",
                            "--", *_drop_privileges(uid), "/bin/true"], capture_output=True, text=True)
    if probe.returncode != 0:
        hint = (f"as root, the sandbox runs the submission as uid {uid} with setpriv"
                if _as_root() else "unprivileged user namespaces may be disabled: "
                                   "sysctl kernel.unprivileged_userns_clone=1")
        raise SandboxUnavailable(
            f"bubblewrap is installed but cannot create a sandbox here: {probe.stderr.strip()} ({hint})")


@functools.lru_cache(maxsize=None)
def _bwrap_supports(option):
    try:
        text = subprocess.run([bwrap_path(), "--help"], capture_output=True, text=True).stdout
    except OSError:
        return False
    return option in text


def _namespaces():
    """bubblewrap's namespace and capability options for whoever runs the grader."""
    if _as_root():
        # No user namespace: in one, uid 65534 would not exist. setpriv (see
        # _drop_privileges) needs these three capabilities, and drops them.
        return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
                "--cap-add", "CAP_SETPCAP"]
    args = ["--unshare-all", "--unshare-user", "--cap-drop", "ALL"]
    if _bwrap_supports("--disable-userns"):
        args.append("--disable-userns")
    return args


def _drop_privileges(uid):
    """The command prefix that makes the sandbox's process unprivileged (as root only)."""
    if not _as_root():
        return []
    return ["/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--"]


def _system_binds():
    args = ["--perms", "0755", "--dir", "/etc"]   # (bubblewrap as root makes parents 0700)
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


def _python_prefixes():
    """The Python installation and the virtual environment: {real path: path used}."""
    prefixes = {}
    for prefix in (sys.base_prefix, sys.prefix, sys.exec_prefix):
        real = os.path.realpath(prefix)
        if real == "/usr" or real.startswith("/usr/"):
            continue
        prefixes.setdefault(real, set()).add(prefix)
    return prefixes


def check_venv_has_no_reference():
    """The reference library must not be readable inside the sandbox through the venv."""
    import site
    for folder in site.getsitepackages():
        if (Path(folder) / "nnlearn" / "__init__.py").exists():
            raise SandboxUnavailable(
                f"the virtual environment holds a copy of nnlearn ({folder}/nnlearn), which the "
                "sandbox could read: install the library in editable mode (pip install -e ./lib), "
                "as requirements.txt does")


class _Tree:
    """Mount points inside the sandbox, with their parent folders made traversable.

    bubblewrap creates the parents of a mount point with mode 0700 when it runs as
    root, so the unprivileged uid could not reach a Python under /root/.pyenv.
    """

    def __init__(self, existing):
        self.args = []
        self.made = set(existing) | {"/"}

    def parents(self, dest):
        for parent in reversed(Path(dest).parents):
            if str(parent) not in self.made:
                self.args += ["--perms", "0755", "--dir", str(parent)]
                self.made.add(str(parent))
        self.made.add(str(dest))

    def ro_bind(self, src, dest):
        self.parents(dest)
        self.args += ["--ro-bind", str(src), str(dest)]

    def symlink(self, target, dest):
        self.parents(dest)
        self.args += ["--symlink", str(target), str(dest)]


def _read_regular(path, limit):
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, else a reason.

    Never follows a symbolic link, never blocks on a FIFO or device, never reads a
    file with other hard links (it may be someone else's file).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if os.path.islink(path):
            return None, "a symbolic link"
        return None, f"unreadable ({error.strerror})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, "not a regular file"
        if info.st_nlink > 1:
            return None, "a hard link to another file"
        if info.st_size > limit:
            return None, f"{info.st_size} bytes, over the {limit}-byte limit"
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return None, f"over the {limit}-byte limit"
        return b"".join(chunks), None
    finally:
        os.close(fd)


def copy_supporting_files(source, target):
    """Copy the regular files of ``source`` (not notebooks, not hidden) into ``target``.

    Returns what was left out and why (symbolic links, FIFOs, devices, sockets,
    hard links, files over FILE_LIMIT or past FILES_LIMIT in all). Folders are not
    copied.
    """
    skipped, total = [], 0
    with os.scandir(source) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            name = entry.name
            if name.startswith(".") or name.endswith(".ipynb") or entry.is_dir(follow_symlinks=False):
                continue
            data, reason = _read_regular(entry.path, min(FILE_LIMIT, FILES_LIMIT - total))
            if reason is not None:
                skipped.append(f"{name}: {reason}")
                continue
            total += len(data)
            fd = os.open(Path(target) / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
    return skipped


def _font_cache(config_dir):
    """Copy matplotlib's font cache so the sandbox does not rebuild it (seconds, and stderr)."""
    try:
        import matplotlib
        cache = Path(matplotlib.get_cachedir())
    except ImportError:      # no matplotlib: nothing to copy
        return
    for path in cache.glob("fontlist-*.json"):
        shutil.copyfile(path, config_dir / path.name)
        os.chmod(config_dir / path.name, 0o644)


def prepare(workdir, cells, functions, cell_timeout, call_timeout, files_from=None):
    """Fill ``workdir`` (a private folder outside the course) for one sandbox run.

    What the sandbox may read goes into ``workdir/input`` (mode 0755, files 0644: the
    sandbox's uid reads it, nobody but the grader writes it): the submission's
    supporting files (from ``files_from``), matplotlib's font cache, and the
    :class:`~coursegrade.records.SandboxSpec` with ``cells`` and the limits. Returns
    the supporting files that were left out, each with the reason.
    """
    workdir = Path(workdir)
    inputs = workdir / "input"
    for folder in (inputs, inputs / "files", inputs / "mpl"):
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o755)
    skipped = copy_supporting_files(files_from, inputs / "files") if files_from is not None else []
    _font_cache(inputs / "mpl")
    SandboxSpec(cells=cells, functions=list(functions), cell_timeout=cell_timeout, call_timeout=call_timeout,
                work=SANDBOX_WORK, file_dir=f"{SANDBOX_HOME}/received", files=f"{SANDBOX_INPUT}/files",
                mpl=f"{SANDBOX_INPUT}/mpl").save(spec_path(workdir))
    return skipped


def spec_path(workdir):
    """Where :func:`prepare` puts the sandbox's spec (``input/spec.json``), outside the sandbox."""
    return Path(workdir) / "input" / SPEC_NAME


# --- seccomp: no child processes -------------------------------------------------------

_AUDIT_ARCH = {
    # machine: (AUDIT_ARCH_*, syscalls refused with EPERM, clone, clone3)
    "x86_64": (0xC000003E, {"fork": 57, "vfork": 58, "unshare": 272, "setns": 308, "mount": 165,
                            "umount2": 166, "pivot_root": 155, "chroot": 161, "ptrace": 101,
                            "perf_event_open": 298, "bpf": 321, "userfaultfd": 323, "add_key": 248,
                            "request_key": 249, "keyctl": 250}, 56, 435),
    "aarch64": (0xC00000B7, {"unshare": 97, "setns": 268, "mount": 40, "umount2": 39,
                             "pivot_root": 41, "chroot": 51, "ptrace": 117, "perf_event_open": 241,
                             "bpf": 280, "userfaultfd": 282, "add_key": 217, "request_key": 218,
                             "keyctl": 219}, 220, 435),
}
# The same numbers on both architectures: the new mount API, and io_uring (less kernel
# to attack: nothing a notebook needs).
_NEW_MOUNT_API = {"io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
                  "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431,
                  "fsmount": 432, "fspick": 433, "mount_setattr": 442}
_CLONE_THREAD = 0x00010000
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_EPERM, _ENOSYS = 1, 38
_X32_BIT = 0x40000000


def seccomp_program(machine=None):
    """A classic BPF seccomp filter (bytes of ``struct sock_filter``) for bwrap --seccomp.

    It refuses child processes, the mount and namespace calls, and a few calls no
    notebook needs (ptrace, bpf, perf_event_open, userfaultfd, the key ring, io_uring);
    everything else is allowed. None on an architecture it does not know.
    """
    machine = machine or platform.machine()
    if machine not in _AUDIT_ARCH:
        return None
    arch, refused, clone, clone3 = _AUDIT_ARCH[machine]
    refused = sorted({**refused, **_NEW_MOUNT_API}.values())
    ld, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06   # BPF_LD|W|ABS, BPF_JMP|JEQ/JGE/JSET|K, BPF_RET|K
    # Each test: (code, k, target if true, target if false); targets are labels or None (next).
    body = [(ld, 4, None, None),                   # seccomp_data.arch
            (jeq, arch, None, "eperm"),            # another ABI (i386 on x86_64): refuse everything
            (ld, 0, None, None)]                   # seccomp_data.nr
    if machine == "x86_64":
        body.append((jge, _X32_BIT, "enosys", None))   # the x32 ABI
    body += [(jeq, nr, "eperm", None) for nr in refused]
    body += [(jeq, clone3, "enosys", None),
             (jeq, clone, None, "allow"),
             (ld, 16, None, None),                 # low 32 bits of args[0]: clone's flags
             (jset, _CLONE_THREAD, "allow", "eperm")]
    labels = {"allow": len(body), "eperm": len(body) + 1, "enosys": len(body) + 2}
    program = []
    for i, (code, k, if_true, if_false) in enumerate(body):
        jt = labels[if_true] - i - 1 if if_true else 0
        jf = labels[if_false] - i - 1 if if_false else 0
        program.append(struct.pack("=HBBI", code, jt, jf, k))
    for value in (_RET_ALLOW, _RET_ERRNO | _EPERM, _RET_ERRNO | _ENOSYS):
        program.append(struct.pack("=HBBI", ret, 0, 0, value))
    return b"".join(program)


# --- the command ------------------------------------------------------------------------

def command(workdir, student_lib, rfd, wfd, memory_mb, disk_mb=256, cpu_seconds=None,
            uid=DEFAULT_UID, seccomp_fd=None):
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
    limits = [f"--as={memory_mb * 2**20}", f"--fsize={FSIZE_LIMIT}", "--core=0"]
    if cpu_seconds:
        limits.append(f"--cpu={cpu_seconds}:{cpu_seconds + 5}")
    if seccomp_fd is None:
        limits.append("--nproc=256")   # the fallback (see launch): threads count too
    tmpfs = str(disk_mb * 2**20)
    tree = _Tree({"/tmp", "/home", SANDBOX_HOME, "/proc", "/dev", "/usr", "/etc"})
    for real, used in _python_prefixes().items():
        tree.ro_bind(real, real)
        for prefix in used - {real}:
            tree.symlink(real, prefix)
    tree.ro_bind(workdir / "input", SANDBOX_INPUT)
    tree.ro_bind(student_lib, f"{SANDBOX_OPT}/lib")
    tree.ro_bind(package_parent / "coursegrade", f"{SANDBOX_OPT}/grader/coursegrade")
    args = ["prlimit", *limits, "--",
            bwrap_path(), *_namespaces(), "--die-with-parent", "--new-session",
            "--hostname", "sandbox", "--clearenv",
            *_system_binds(),
            # The private /tmp first: binds made before it under /tmp (a .venv in
            # /tmp/..., say) would be hidden by it.
            "--proc", "/proc", "--dev", "/dev", "--perms", "0755", "--dir", "/home",
            "--perms", "1777", "--size", tmpfs, "--tmpfs", "/tmp",
            "--perms", "1777", "--size", tmpfs, "--tmpfs", SANDBOX_HOME,
            *tree.args,
            "--chdir", SANDBOX_HOME]
    if seccomp_fd is not None:
        args += ["--seccomp", str(seccomp_fd)]
    for key, value in env.items():
        args += ["--setenv", key, value]
    args += ["--", *_drop_privileges(uid), str(venv_python), "-m", "coursegrade.worker",
             f"{SANDBOX_INPUT}/{SPEC_NAME}", str(rfd), str(wfd)]
    return args


def _seccomp_fd():
    program = seccomp_program()
    if program is None:
        log.warning("coursegrade: no seccomp filter for the %s architecture: a submission's child "
                    "processes are limited only by RLIMIT_NPROC, and their memory is not bounded "
                    "by memory_mb", platform.machine())
        return None
    fd = os.memfd_create("coursegrade-seccomp")
    os.write(fd, program)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def launch(workdir, student_lib, memory_mb=2048, disk_mb=256, cpu_seconds=None, uid=DEFAULT_UID):
    """Start the worker; returns (process, read_fd, write_fd) of the grader's end."""
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()
    seccomp_fd = _seccomp_fd()
    argv = command(workdir, student_lib, to_child_r, from_child_w, memory_mb, disk_mb=disk_mb,
                   cpu_seconds=cpu_seconds, uid=uid, seccomp_fd=seccomp_fd)
    passed = (to_child_r, from_child_w) + ((seccomp_fd,) if seccomp_fd is not None else ())
    with open(Path(workdir) / "sandbox.log", "ab") as log_file:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=log_file, pass_fds=passed, start_new_session=True)
    for fd in passed:
        os.close(fd)
    return process, from_child_r, to_child_w


def new_workdir():
    return Path(tempfile.mkdtemp(prefix="coursegrade-"))

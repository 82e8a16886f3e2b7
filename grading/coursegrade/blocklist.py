"""The student's copy of ``nnlearn``: everything its contract does not allow switched off.

While an assignment is graded, the sandbox imports a copy of the library in which each
top-level function and class that ``source/<assignment>/contract.toml`` does not leave
on (``contract.switched_off``) has its body replaced by ``raise ReferenceUnavailable(...)``;
a class loses all its methods. The original code is not in the copy at all, so it can
be neither called, reloaded nor read. The tools the contract allows (the ones a
notebook hands the student, such as ``sigmoid`` in 01 or ``load_image`` in 06) and
everything they call keep working.

The copy is private to the grading process: built in a folder of its own made by
``tempfile.mkdtemp`` (folders 0755, files 0644, so that a sandbox running as another
user can read it and nobody else can write it, nor the folder it lies in), its
expected bytes kept in memory, and checked against them before every use. A copy that differs in any way (a changed or extra file, a mode, a link) is
thrown away and built again; nothing is trusted because it exists.
"""

import ast
import hashlib
import multiprocessing.util
import os
import shutil
import stat
import tempfile
from pathlib import Path

from . import contract as contract_module

GRADING_MODULE = '''"""Present only in the grader's sandbox: see coursegrade.blocklist."""

blocked_calls = []


class ReferenceUnavailable(RuntimeError):
    """A reference answer of the assignment being graded was called."""


def refuse(name, assignment):
    blocked_calls.append(name)
    raise ReferenceUnavailable(
        f"nnlearn.{name} is switched off while {assignment} is graded: only the tools this "
        "notebook gives you stay on (the rest of nnlearn holds the course's answers), so an "
        "exercise that calls it earns no points. Write the computation yourself.")
'''


class _Blocker(ast.NodeTransformer):
    """Replace the bodies of the named top-level functions and of all methods of the named classes."""

    def __init__(self, module, names, assignment):
        self.module, self.names, self.assignment = module, names, assignment
        self.prefix = []
        self.blocked_class = 0
        self.found = set()

    def _refusal(self, qualname):
        return ast.parse(f"from nnlearn._grading import refuse as _refuse\n"
                         f"_refuse({self.module + '.' + qualname!r}, {self.assignment!r})").body

    def _wanted(self, name):
        return name in self.names

    def visit_ClassDef(self, node):
        blocked = not self.prefix and self._wanted(node.name)
        if blocked:
            self.found.add(node.name)
        self.prefix.append(node.name)
        self.blocked_class += blocked
        self.generic_visit(node)
        self.blocked_class -= blocked
        self.prefix.pop()
        return node

    def visit_FunctionDef(self, node):
        qualname = ".".join(self.prefix + [node.name])
        if self.blocked_class or (not self.prefix and self._wanted(node.name)):
            if not self.prefix:
                self.found.add(node.name)
            docstring = ast.get_docstring(node, clean=False)
            node.body = ([ast.Expr(ast.Constant(docstring))] if docstring else []) + self._refusal(qualname)
            return node
        self.prefix.append(node.name)
        self.generic_visit(node)
        self.prefix.pop()
        return node

    visit_AsyncFunctionDef = visit_FunctionDef


def library_files(lib_package, grading_contract):
    """{relative path: bytes} of the student's copy of the package for ``grading_contract``."""
    lib_package = Path(lib_package)
    sources = sorted(lib_package.glob("*.py"))
    if not any(p.name == "__init__.py" for p in sources):
        raise FileNotFoundError(f"{lib_package} is not the nnlearn package (no __init__.py)")
    off = contract_module.switched_off(grading_contract, contract_module.Library(lib_package))
    assignment = grading_contract.assignment
    files = {}
    for path in sources:
        module = path.stem
        text = path.read_text(encoding="utf-8")
        if off.get(module):
            blocker = _Blocker(module, off[module], assignment)
            tree = ast.fix_missing_locations(blocker.visit(ast.parse(text)))
            text = ast.unparse(tree) + "\n"
        files[f"nnlearn/{path.name}"] = text.encode()
    files["nnlearn/_grading.py"] = GRADING_MODULE.encode()
    return files


_BUILT = {}   # (pid, assignment) -> (root, files, digest of library + contract): this process's copies


def build_student_library(lib_package, grading_contract):
    """The folder to put on ``sys.path`` (it holds ``nnlearn/``), checked or built afresh.

    ``lib_package`` is the real package folder (``lib/nnlearn``). Call it before every
    use: a copy whose files differ from what they should be is rebuilt.
    """
    lib_package = Path(lib_package)
    digest = hashlib.sha256(grading_contract.assignment.encode() + b"\0"
                            + grading_contract.path.read_bytes())
    for path in sorted(lib_package.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    key = (os.getpid(), grading_contract.assignment)
    digest = digest.hexdigest()
    root, files, built_from = _BUILT.get(key, (None, None, None))
    if root is not None and built_from == digest and verify(root, files):
        return root
    if root is not None:         # changed, or built from an older library or contract
        shutil.rmtree(root.parent, ignore_errors=True)
    if built_from != digest:
        files = library_files(lib_package, grading_contract)
    root = _write(files, grading_contract.assignment)
    _BUILT[key] = (root, files, digest)
    return root


def _write(files, assignment):
    """A new private copy: ``<mkdtemp>/lib/nnlearn/...``, so that the folder the sandbox
    binds (``lib``) lies in a folder of ours that no one else can write either."""
    base = Path(tempfile.mkdtemp(prefix=f"coursegrade-lib-{assignment}-"))
    multiprocessing.util.Finalize(None, _remove, args=(base, os.getpid()), exitpriority=0)
    os.chmod(base, 0o755)
    root = base / "lib"
    root.mkdir()
    os.chmod(root, 0o755)
    for name, data in files.items():
        path = root / name
        if not path.parent.exists():
            path.parent.mkdir()
            os.chmod(path.parent, 0o755)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), 0o644)
            f.write(data)
    if not verify(root, files):
        raise RuntimeError(f"the student's copy of nnlearn in {root} differs from what was just written")
    return root


def verify(root, files):
    """True when ``root`` holds ``nnlearn/`` with exactly ``files`` and nothing else, in a
    folder holding only ``root`` (folders 0755, files 0644, all ours, no links)."""
    root = Path(root)
    try:
        for folder, names in ((root.parent, {root.name}), (root, {"nnlearn"}),
                              (root / "nnlearn", {Path(n).name for n in files})):
            info = os.lstat(folder)
            if not stat.S_ISDIR(info.st_mode) or stat.S_IMODE(info.st_mode) != 0o755 \
                    or info.st_uid != os.geteuid() or set(os.listdir(folder)) != names:
                return False
        for name, data in files.items():
            fd = os.open(root / name, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as f:
                info = os.fstat(f.fileno())
                if not stat.S_ISREG(info.st_mode) or stat.S_IMODE(info.st_mode) != 0o644 \
                        or info.st_uid != os.geteuid() or info.st_nlink != 1 \
                        or f.read(len(data) + 1) != data:
                    return False
    except OSError:
        return False
    return True


def _remove(root, pid):
    if os.getpid() == pid:      # not a forked child's: the copy belongs to the process that built it
        shutil.rmtree(root, ignore_errors=True)

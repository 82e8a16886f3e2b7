"""The notebooks run: solutions reproduce their saved outputs, release notebooks fail only
where the student still has work to do.

Solutions are checked with nbval, in a separate pytest process per notebook (this keeps
``make test`` one pytest command, and a failure names the notebook and shows nbval's
cell-by-cell report). Volatile output is masked by ``nbval_sanitize.cfg``; cells whose
output may legitimately change (widgets, ``@interact``) carry ``# NBVAL_IGNORE_OUTPUT``.

Students', instructors' and CI machines run different CPUs, and OpenBLAS picks its
matrix kernels by CPU: a Haswell (AVX2) kernel and a SkylakeX (AVX-512) kernel add in a
different order and round differently in the last digits, which a training run can
amplify into a different printed accuracy. So every solution also runs under nbval
with a *second* kernel family forced through ``OPENBLAS_CORETYPE`` (see
:func:`second_blas_kernel`): a saved output that depends on the kernel fails on any
machine, not only on the one that happens to differ.
"""

import os
import platform
import subprocess
import sys
from functools import lru_cache

import pytest
from nbclient import NotebookClient

from .helpers import ASSIGNMENTS, CELL_TIMEOUT, ROOT, nbgrader_env, notebook_path, read_notebook

SANITIZE = ROOT / "tests" / "course" / "nbval_sanitize.cfg"


def _openblas_core(coretype=None):
    """The OpenBLAS kernel family numpy uses in a fresh process (``None``: not OpenBLAS).

    ``OPENBLAS_VERBOSE=2`` makes OpenBLAS print ``Core: <name>`` when it loads; an
    ``OPENBLAS_CORETYPE`` it does not know prints ``Core not found`` and falls back to
    the default, so the caller compares the answer with what it asked for.
    """
    env = dict(nbgrader_env(), OPENBLAS_VERBOSE="2")
    env.pop("OPENBLAS_CORETYPE", None)
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    # A matrix product, not only the import: a kernel this CPU cannot run (SkylakeX without
    # AVX-512) loads fine and dies with SIGILL at its first product.
    probe = "import numpy; numpy.ones((64, 64)) @ numpy.ones((64, 64))"
    proc = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        return None
    for line in (proc.stdout + proc.stderr).splitlines():
        if line.startswith("Core: "):
            return line.split(":", 1)[1].strip()
    return None


def _cpu_flags():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            return next((line.split(":", 1)[1].split() for line in cpuinfo if line.startswith("flags")), [])
    except OSError:
        return []


@lru_cache(maxsize=None)
def second_blas_kernel():
    """``(kernel, why)``: a kernel family other than this machine's default, or ``(None, why)``.

    Haswell (AVX2 + FMA, the family of most laptops and of AMD Zen) when the default is
    anything else; otherwise SkylakeX (AVX-512, many servers) when the CPU has AVX-512,
    else Sandybridge (AVX without FMA: other rounding, other blocking). Each choice is
    checked: OpenBLAS must report that it loaded the kernel asked for.
    """
    default = _openblas_core()
    if default is None:
        return None, "numpy does not report an OpenBLAS kernel here (another BLAS, or OPENBLAS_VERBOSE unsupported)"
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return None, f"only x86-64 kernel families are forced (this is {platform.machine()}, default {default})"
    if default != "Haswell":
        wanted = "Haswell"
    elif "avx512f" in _cpu_flags():
        wanted = "SkylakeX"
    else:
        wanted = "Sandybridge"
    got = _openblas_core(wanted)
    if got != wanted:
        return None, f"OPENBLAS_CORETYPE={wanted} did not load (OpenBLAS reported {got!r}; default {default})"
    return wanted, f"default {default}, second {wanted}"


def _nbval(path, env):
    cmd = [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env",
           f"--nbval-cell-timeout={CELL_TIMEOUT}", f"--nbval-sanitize-with={SANITIZE}",
           "-p", "no:cacheprovider", "-q", "--no-header", "-rN", "--color=no", str(path)]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)


def _check_nbval(proc, path, label):
    # Exit 5 means nbval collected nothing, which must fail as well.
    assert proc.returncode == 0, f"nbval on {label} (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
    n_code = sum(c.cell_type == "code" for c in read_notebook(path).cells)
    assert f"{n_code} passed" in proc.stdout, proc.stdout


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebook_reproduces_its_outputs(assignment):
    path = notebook_path("solutions", assignment)
    _check_nbval(_nbval(path, nbgrader_env()), path, f"solutions/{assignment}")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_outputs_do_not_depend_on_the_blas_kernel(assignment):
    """The saved outputs also reproduce under a second OpenBLAS kernel family.

    Skipped (with the reason) where no second family can be forced -- another BLAS, a
    non-x86 CPU -- unless ``COURSE_REQUIRE_BLAS_KERNELS=1`` (set by ``.ci/run``).
    """
    kernel, why = second_blas_kernel()
    if kernel is None:
        if os.environ.get("COURSE_REQUIRE_BLAS_KERNELS") == "1":
            pytest.fail(f"COURSE_REQUIRE_BLAS_KERNELS=1 but no second BLAS kernel: {why}", pytrace=False)
        pytest.skip(f"no second BLAS kernel to compare with: {why}")
    path = notebook_path("solutions", assignment)
    env = dict(nbgrader_env(), OPENBLAS_CORETYPE=kernel)
    _check_nbval(_nbval(path, env), path, f"solutions/{assignment} with OPENBLAS_CORETYPE={kernel} ({why})")


def _is_exercise_cell(cell):
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("solution") or meta.get("grade"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_notebook_runs_up_to_the_exercises(assignment):
    """Run the student's notebook untouched: the only errors allowed are the
    NotImplementedError stubs (and test cells calling them); nothing writes to stderr."""
    path = notebook_path("release", assignment)
    nb = read_notebook(path)
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute(env=nbgrader_env())
    problems, stubs = [], 0
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                if output.ename == "NotImplementedError" and _is_exercise_cell(cell):
                    stubs += 1
                else:
                    problems.append(f"cell {index + 1}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                problems.append(f"cell {index + 1} wrote to stderr: {output.text[:300]!r}")
    assert not problems, f"release/{assignment}: " + "; ".join(problems)
    assert stubs, f"release/{assignment}: no exercise raised NotImplementedError -- is a solution left in?"

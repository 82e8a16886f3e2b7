"""Split a notebook into what the sandbox runs and what the grading kernel runs.

* ``student_cells(submission, source)``: the submission's code cells, as the
  student left them, minus the test cells (those run only in the grading kernel)
  and the instructor's demonstration cells tagged ``grading-skip`` (they need a part
  of nnlearn that is switched off while grading; see ``contract.py``);
* ``grading_notebook(source, plan_path)``: the *instructor's* notebook reduced to
  what the tests need. Each solution cell becomes proxies of the functions it
  defines, test cells stay as they are, and every other code cell is kept only if
  a kept cell uses a name it defines (most plotting and widget cells go), so
  grading costs little more than running the submission once.
"""

import ast
import builtins
import copy
import hashlib
import json
import importlib.util
import re

import nbformat

from .layout import HIDDEN_BEGIN, HIDDEN_END

SKIP_TAG = "grading-skip"
STUDENT = "__coursegrade_student"


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_test(cell):
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_skipped(cell):
    """An instructor's cell that does not run while grading (tag ``grading-skip``)."""
    tags = cell.get("metadata", {}).get("tags") or []
    return cell.get("cell_type") == "code" and isinstance(tags, list) and SKIP_TAG in tags


def is_solution(cell):
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("solution"))


def _python(source):
    """Cell source as plain Python (IPython magics transformed); None if it does not parse."""
    from IPython.core.inputtransformer2 import TransformerManager
    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return None


def _target_names(target):
    """Names a statement target binds or changes: ``x``, ``x[i]``, ``x.attr`` all touch x."""
    while isinstance(target, (ast.Subscript, ast.Attribute, ast.Starred)):
        target = target.value
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_target_names(t) for t in target.elts)) if target.elts else set()
    return set()


def module_names(nb):
    """Names bound to modules by the notebook's imports (``np``, ``plt``, ``plotting``).

    ``from package import name`` binds a module only when ``package.name`` is one
    (looked up in the grader's own environment: this is the instructor's notebook).
    """
    names = set()
    for cell in nb.cells:
        tree = _python(cell.source) if cell.cell_type == "code" else None
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.Import):
                names |= {(a.asname or a.name).split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names |= {a.asname or a.name for a in node.names if _is_module(f"{node.module}.{a.name}")}
    return names


def _is_module(dotted):
    try:
        return importlib.util.find_spec(dotted) is not None
    except (ImportError, ValueError):
        return False


def defined_names(tree, modules=frozenset()):
    """Top-level names a cell defines or changes (conservatively).

    Besides assignments, imports and definitions, ``x.method(...)`` counts as changing
    ``x`` -- unless ``x`` is a module (``np.random.seed(0)`` does not define ``np``).
    """
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        else:
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Assign,)):
                    for t in sub.targets:
                        names |= _target_names(t)
                elif isinstance(sub, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
                    names |= _target_names(sub.target)
                elif isinstance(sub, (ast.For, ast.AsyncFor)):
                    names |= _target_names(sub.target)
                elif isinstance(sub, ast.withitem) and sub.optional_vars is not None:
                    names |= _target_names(sub.optional_vars)
                elif isinstance(sub, ast.Global):
                    names |= set(sub.names)
                elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
                    names |= _target_names(sub.func) - set(modules)    # x.method(...) may change x
    return names


def used_names(tree):
    """Names a cell reads that it does not bind anywhere itself (its free names)."""
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return loaded - bound - set(dir(builtins))


def solution_functions(source_nb):
    """Names the solution cells of the instructor's notebook define, in order."""
    names = []
    for cell in source_nb.cells:
        if is_solution(cell):
            tree = _python(cell.source)
            if tree is None:
                raise ValueError(f"solution cell {nbgrader_meta(cell).get('grade_id')} does not parse")
            names += [n for n in sorted(defined_names(tree)) if n not in names and not _is_import(tree, n)]
    return names


def solution_parameters(source_nb):
    """{function a solution cell defines: [its parameter names, in order]}."""
    found = {}
    for cell in source_nb.cells:
        tree = _python(cell.source) if is_solution(cell) else None
        for node in tree.body if tree else ():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                a = node.args
                found[node.name] = [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs]
    return found


def _is_import(tree, name):
    return any(isinstance(node, (ast.Import, ast.ImportFrom))
               and name in {(a.asname or a.name).split(".")[0] for a in node.names}
               for node in tree.body)


def normalise(source):
    return re.sub(r"\s+", " ", source).strip()


def without_hidden(source):
    return re.sub(rf"{re.escape(HIDDEN_BEGIN)}.*?{re.escape(HIDDEN_END)}\n?", "", source, flags=re.S)


def student_cells(submission_nb, source_nb):
    """The submission's code cells to run in the sandbox: [{"index", "source"}, ...].

    Test cells and the instructor's ``grading-skip`` cells are left out: recognised by
    their metadata, or, when the student's editor stripped it, by their text.
    """
    test_texts, skip_texts = set(), set()
    for cell in source_nb.cells:
        if is_test(cell):
            test_texts |= {normalise(cell.source), normalise(without_hidden(cell.source))}
        elif is_skipped(cell):
            skip_texts.add(normalise(cell.source))
    cells = []
    for index, cell in enumerate(submission_nb.cells):
        if cell.get("cell_type") != "code" or not isinstance(cell.get("source"), str):
            continue
        if is_test(cell) or normalise(cell.source) in test_texts:
            continue
        if is_skipped(cell) or normalise(cell.source) in skip_texts:
            continue
        cells.append({"index": index, "source": cell.source})
    return cells


def grading_notebook(source_nb, plan_path, cwd=None, mutates=None, keeps_inputs=()):
    """The notebook the grading kernel runs (a new notebook; ``source_nb`` is not changed).

    ``mutates``: {exercise: [parameters it may change in place]} from the assignment's
    contract. Each call of any other argument gets its own copy (``proxy.Student.call``),
    so what the student's function does to its inputs never reaches the tests.
    ``keeps_inputs``: exercises whose call fails when it changed such a copy (the
    notebook asks them to leave their inputs alone, and the copies hide it from its check).

    Its test cells keep their nbgrader metadata, so their outputs can be copied back
    to the submission by ``grade_id``. Its first cell resets the kernel (it may have
    graded another submission before: ``proxy.fresh_state``), moves to ``cwd`` and
    starts the sandboxed submission.
    """
    parameters, kept = _analyse(source_nb)
    mutates = mutates or {}
    for name, changed in mutates.items():
        unknown = sorted(set(changed) - set(parameters.get(name, [])))
        if unknown:
            raise ValueError(f"the contract says {name} may change {unknown} in place, but the solution's "
                             f"{name} has no such parameter ({parameters.get(name)})")
    code = [c for c in source_nb.cells if c.cell_type == "code"]
    keep = [(kind, code[item] if kind == "cell" else item) for kind, item in kept]

    # The working folder first: the kernel may have graded another submission, whose
    # folder is gone, and %reset needs a current folder that exists. Then a clean
    # namespace (proxy.fresh_state). One BLAS thread: the grading kernel and the sandbox
    # hand control back and forth many times a second, and OpenBLAS's spinning helper
    # threads would steal the CPU from the other side (measured: a 30x slower hidden test).
    preamble = f"__import__('os').chdir({str(cwd)!r})\n" if cwd else ""
    preamble += ("%reset -f\n"
                 "import os\n"
                 "for _name in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):\n"
                 "    os.environ[_name] = '1'\n"
                 "import coursegrade.proxy\n"
                 "coursegrade.proxy.fresh_state()\n"
                 f"{STUDENT} = coursegrade.proxy.Student.start({str(plan_path)!r}, globals())")
    nb = nbformat.v4.new_notebook(metadata=copy.deepcopy(source_nb.metadata))
    nb.cells.append(nbformat.v4.new_code_cell(preamble))
    for kind, item in keep:
        if kind == "proxy":
            nb.cells.append(nbformat.v4.new_code_cell("\n".join(
                f"{name} = {STUDENT}.function({name!r}, {parameters.get(name, [])!r}, "
                f"{mutates.get(name, [])!r}, keeps_inputs={name in keeps_inputs})"
                for name in item)))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(item.source, metadata=dict(item.metadata)))
    nb.cells.append(nbformat.v4.new_code_cell(f"{STUDENT}.finish()"))
    return nb


_ANALYSES = {}   # digest of a source notebook's code cells -> what _analyse found


def _analyse(source_nb):
    """``(parameters, kept)``: the solution functions' parameters, and which code cells the
    grading notebook keeps: ``("proxy", [names])`` for a solution cell, ``("cell", i)``
    for the i-th code cell. Cached per source notebook: parsing it is a tenth of the
    grading process's own time per submission, and every submission has the same one.
    """
    code = [c for c in source_nb.cells if c.cell_type == "code"]
    digest = hashlib.sha256(json.dumps([[c.source, c.get("metadata", {})] for c in code], sort_keys=True,
                                       default=str).encode()).hexdigest()
    if digest in _ANALYSES:
        return _ANALYSES[digest]
    functions = set(solution_functions(source_nb))
    parameters = solution_parameters(source_nb)
    modules = module_names(source_nb)
    kept, needed = [], set()
    for i in reversed(range(len(code))):
        cell = code[i]
        tree = _python(cell.source)
        if is_solution(cell):
            names = sorted(n for n in defined_names(tree) if n in functions) if tree else []
            wanted = [n for n in names if n in needed]
            if wanted:
                kept.append(("proxy", wanted))
            continue
        if tree is None:
            if is_test(cell):
                kept.append(("cell", i))
            continue
        if is_test(cell) or defined_names(tree, modules) & needed:
            kept.append(("cell", i))
            needed |= used_names(tree)
    kept.reverse()
    _ANALYSES[digest] = parameters, kept
    return parameters, kept

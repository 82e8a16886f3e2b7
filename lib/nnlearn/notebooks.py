"""Functions a student wrote in another notebook, for use in this one.

Notebook 06 can run on the student's own ``dense_forward`` (notebook 02) and
``dense_backward`` and ``softmax_cross_entropy`` (notebook 05) instead of the
library's::

    from nnlearn.notebooks import functions_from_notebook
    mine = functions_from_notebook("../05_backprop/05_backprop.ipynb",
                                   ["dense_backward", "softmax_cross_entropy"])
    dense_backward = mine["dense_backward"]

The notebook is read, not run: its code cells are parsed, and only what the named
functions need is executed — their top-level ``def`` statements, the functions of the
notebook they call (found by name, transitively), the ``import`` statements that bind
a name they use, and simple module-level constants they use (``EPS = 1e-12``). Nothing
else in the notebook runs: no training, no plots, no widgets.
"""

import ast
import json
import symtable
from pathlib import Path

__all__ = ["functions_from_notebook"]


def _cells(path):
    """[(cell number, source)] of the code cells of the notebook at path; clear errors."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {path} (looked in {path.resolve().parent}): the functions "
                                "are read from your notebook there; check the path and the file's name")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} is not a readable notebook (not valid JSON: {error})") from None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise ValueError(f"{path} is not a notebook: it has no list of cells")
    found = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        found.append((number, "".join(source) if isinstance(source, list) else str(source)))
    return found


def _parse(path, number, source):
    """The cell's module tree, with IPython magics (% and ! lines) left out; None if it does not parse."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines), filename=f"{path}, cell {number}")
    except SyntaxError:
        return None


def _bound_names(node):
    """The names an import statement or an assignment binds at module level."""
    if isinstance(node, ast.Import):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, ast.ImportFrom):
        return {alias.asname or alias.name for alias in node.names if alias.name != "*"}
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _used_names(node):
    """The names a top-level statement reads from the notebook's namespace.

    For a function these are the names its body looks up as globals -- not its
    parameters or local variables (``def init_params(sizes)`` does not need a
    notebook's ``sizes = ...``) -- plus what its decorators and default values read.
    """
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    module = symtable.symtable(ast.unparse(node), "<cell>", "exec")
    names = {s.get_name() for s in module.get_symbols() if s.is_referenced()}   # decorators, defaults
    scopes = list(module.get_children())
    while scopes:                                  # the function, and the functions inside it
        scope = scopes.pop()
        names |= {s.get_name() for s in scope.get_symbols() if s.is_global() and s.is_referenced()}
        scopes.extend(scope.get_children())
    return names


def _is_simple_constant(node):
    """An assignment whose value calls nothing but attributes of modules (np.float32(1), np.pi * 2)."""
    if isinstance(node, ast.AnnAssign) and node.value is None:
        return False
    for sub in ast.walk(node.value):
        if isinstance(sub, ast.Call) and not isinstance(sub.func, ast.Attribute):
            return False
        if isinstance(sub, (ast.Lambda, ast.ListComp, ast.GeneratorExp, ast.DictComp, ast.SetComp,
                            ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
            return False
    return True


def _still_a_stub(function):
    """True if the function's body raises NotImplementedError (the exercise's template)."""
    for sub in ast.walk(function):
        if isinstance(sub, ast.Raise) and sub.exc is not None:
            exc = sub.exc.func if isinstance(sub.exc, ast.Call) else sub.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                return True
    return False


def functions_from_notebook(path, names):
    """``{name: function}`` for the top-level functions ``names`` defined in the notebook at ``path``.

    Only what those functions need is executed (see the module's docstring); the last
    definition of a name in the notebook wins, as it would when the notebook runs from
    top to bottom. Each notebook gets a namespace of its own, and a traceback from one
    of its functions names the notebook and the cell.

    Raises FileNotFoundError if there is no notebook at ``path``, and ValueError naming
    the notebook and the function if the file is not a notebook, a function is not
    defined at the top level of any code cell, or it still raises NotImplementedError
    (the exercise is not written yet).
    """
    if isinstance(names, str):
        names = [names]
    names = list(names)
    path = Path(path)
    definitions, imports, constants = {}, [], {}
    for number, source in _cells(path):
        tree = _parse(path, number, source)
        if tree is None:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                definitions[node.name] = (number, node)
                constants.pop(node.name, None)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append((number, node))
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and _is_simple_constant(node):
                for name in _bound_names(node):
                    constants[name] = (number, node)
                    definitions.pop(name, None)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                for name in _bound_names(node):          # rebound by something we will not run
                    constants.pop(name, None)
    for name in names:
        if name not in definitions:
            raise ValueError(f"{path} defines no function {name!r} at the top level of a code cell "
                             "(a line starting with `def " + name + "(`); is it the right notebook?")
        if _still_a_stub(definitions[name][1]):
            raise ValueError(f"{name} in {path} still raises NotImplementedError: write it there (and save "
                             "the notebook) first")

    # everything the named functions use, transitively: other functions, constants, imports
    needed_functions, needed_constants, used = [], [], set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in needed_functions or name in needed_constants:
            continue
        node = definitions[name][1] if name in definitions else constants[name][1]
        (needed_functions if name in definitions else needed_constants).append(name)
        for used_name in _used_names(node):
            used.add(used_name)
            if used_name in definitions or used_name in constants:
                todo.append(used_name)
    needed_imports = [(number, node) for number, node in imports if _bound_names(node) & used]

    namespace = {"__name__": f"notebook {path.name}"}
    pieces = needed_imports + [constants[n] for n in needed_constants] + [definitions[n] for n in needed_functions]
    for number, node in sorted(pieces, key=lambda piece: (piece[0], piece[1].lineno)):
        code = compile(ast.Module(body=[node], type_ignores=[]), f"{path}, cell {number}", "exec")
        try:
            exec(code, namespace)  # noqa: S102 -- the student's own notebook, read at their request
        except ImportError:
            continue                # an import this machine cannot do: the function fails only if it uses it
        except Exception as error:  # noqa: BLE001 -- reported with where it happened
            raise ValueError(f"{path}, cell {number}: {ast.unparse(node).splitlines()[0][:80]!r} failed "
                             f"with {type(error).__name__}: {error}") from error
    return {name: namespace[name] for name in names}

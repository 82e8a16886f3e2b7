"""Single small mutations of a solution cell, for the mutation harness (benchmarks/bench_mutants.py).

A *mutant* is an answer cell with ONE small change inside its solution region (the
lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION``, :mod:`coursegrade.layout`):
the kind of slip a student makes. Good hidden tests give every mutant a lower score.

The change is made on the cell's ``ast`` and written back with ``ast.unparse`` into
the text span of the changed node only, so everything else in the cell (docstring,
comments, markers, the lines around it) stays as it was. A mutant is kept only when
its text parses back to exactly the mutated tree, compiles, and differs from the
original and from every mutant already made from that cell.

The mutation operators (each a function ``node, parent -> [(kind, new node)]``):

* ``operators``: ``+`` <-> ``-``, ``*`` <-> ``/``, in expressions and in ``x += ...``;
* ``comparisons``: ``<`` <-> ``<=``, ``>`` <-> ``>=``, ``==`` <-> ``!=``;
* ``constants``: 0 -> 1, 1 -> 0, 0.5 -> 2, any other number n -> n + 1 (not bools, not strings);
* ``sum_mean``: ``np.sum`` <-> ``np.mean`` (and the methods ``.sum`` <-> ``.mean``);
* ``axes``: ``axis=0`` <-> ``axis=1`` (another axis -> 0), ``axis=`` dropped, ``keepdims`` flipped;
* ``transposes``: ``.T`` dropped; ``.T`` added to a name that is an operand of ``@``, or of
  ``+ - * /`` when it is a matrix by the course's naming (a capital in its name: ``X``, ``dW``, ``log_P``;
  ``.T`` of a number fails at once and of a 1-D array does nothing, so those would only pad the count);
* ``dropped_terms``: ``a + b`` -> ``a`` and -> ``b``, ``a - b`` -> ``a``, ``a * b`` -> ``a`` and -> ``b``,
  ``a / b`` -> ``a``, ``-a`` -> ``a``;
* ``swaps``: the first two arguments of a call, or elements of a tuple, swapped (``f(b, a)``);
* ``returns``: ``return f(a, ...)`` -> ``return a``, ``return a.method(...)`` -> ``return a``, ``return a, b, ...`` -> ``return b, a, ...``,
  ``return a <op> b`` -> ``return a``.

Usage::

    for m in mutants(cell_source, grade_id="mse"):
        print(m.kind, m.before, "->", m.after)   # m.source: the whole mutated cell
"""

import ast
from dataclasses import dataclass

from coursegrade.layout import SOLUTION_BEGIN, SOLUTION_END


@dataclass(frozen=True)
class Mutant:
    grade_id: str   # the answer cell (nbgrader grade_id)
    kind: str       # what was changed, e.g. "+ -> -", "np.sum -> np.mean", "drop .T"
    line: int       # the cell's line (1-based) where the change starts
    before: str     # the original line(s) of the changed node, stripped
    after: str      # the same line(s) in the mutant, stripped
    source: str     # the whole mutated cell

    def describe(self):
        return f"{self.grade_id} line {self.line}: {self.kind}: {self.before}  ->  {self.after}"


# --- the mutation operators -----------------------------------------------------------

SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.MatMult: "@",
           ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
OPERATOR_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
COMPARISON_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
                    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
TRANSPOSE_OPERANDS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.MatMult)


def _swap(op, swaps):
    new = swaps[type(op)]
    return f"{SYMBOLS[type(op)]} -> {SYMBOLS[new]}", new()


def operators(node, parent):
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATOR_SWAPS:
        kind, op = _swap(node.op, OPERATOR_SWAPS)
        return [(kind, ast.BinOp(node.left, op, node.right))]
    if isinstance(node, ast.AugAssign) and type(node.op) in OPERATOR_SWAPS:
        kind, op = _swap(node.op, OPERATOR_SWAPS)
        return [(f"{SYMBOLS[type(node.op)]}= -> {SYMBOLS[type(op)]}=", ast.AugAssign(node.target, op, node.value))]
    return []


def comparisons(node, parent):
    found = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in COMPARISON_SWAPS:
                kind, new = _swap(op, COMPARISON_SWAPS)
                found.append((kind, ast.Compare(node.left, node.ops[:i] + [new] + node.ops[i + 1:],
                                                node.comparators)))
    return found


MODULES = {"np", "numpy", "math"}   # np.mean(x) is a function of x; x.astype(int) is a method of x


def _is_method(func):
    return isinstance(func, ast.Attribute) and not (isinstance(func.value, ast.Name) and func.value.id in MODULES)


def _callee(func):
    """How a called function is named in a mutant's kind: ``np.clip``, ``sigmoid``, ``.reshape``."""
    name = ast.unparse(func)
    return "." + func.attr if len(name) > 20 and isinstance(func, ast.Attribute) else name


def _changed(value):
    if value == 0:
        return type(value)(1)
    if value == 1:
        return type(value)(0)
    if value == 0.5:
        return 2.0
    return value + 1


def constants(node, parent):
    if (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool)):
        new = _changed(node.value)
        return [(f"{node.value!r} -> {new!r}", ast.Constant(new))]
    return []


def sum_mean(node, parent):
    other = {"sum": "mean", "mean": "sum"}
    if isinstance(node, ast.Attribute) and node.attr in other and isinstance(node.ctx, ast.Load):
        owner = ast.unparse(node.value) if isinstance(node.value, ast.Name) else ""
        return [(f"{owner}.{node.attr} -> {owner}.{other[node.attr]}",
                 ast.Attribute(node.value, other[node.attr], ast.Load()))]
    return []


def _with_keywords(call, keywords):
    return ast.Call(call.func, call.args, keywords)


def axes(node, parent):
    found = []
    if not isinstance(node, ast.Call):
        return found
    for i, kw in enumerate(node.keywords):
        others = node.keywords[:i] + node.keywords[i + 1:]
        if kw.arg == "axis":
            old = ast.unparse(kw.value)
            new = {"0": 1, "1": 0}.get(old, 0)
            found.append((f"axis={old} -> axis={new}",
                          _with_keywords(node, node.keywords[:i] + [ast.keyword("axis", ast.Constant(new))]
                                         + node.keywords[i + 1:])))
            found.append((f"drop axis={old}", _with_keywords(node, others)))
        if kw.arg == "keepdims" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, bool):
            flipped = not kw.value.value
            found.append((f"keepdims={kw.value.value} -> keepdims={flipped}",
                          _with_keywords(node, node.keywords[:i] + [ast.keyword("keepdims", ast.Constant(flipped))]
                                         + node.keywords[i + 1:])))
    return found


def transposes(node, parent):
    if isinstance(node, ast.Attribute) and node.attr == "T" and isinstance(node.ctx, ast.Load):
        return [("drop .T", node.value)]
    if (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and isinstance(parent, ast.BinOp)
            and isinstance(parent.op, TRANSPOSE_OPERANDS)
            and (isinstance(parent.op, ast.MatMult) or any(c.isupper() for c in node.id))):
        return [(f"{node.id} -> {node.id}.T", ast.Attribute(node, "T", ast.Load()))]
    return []


def dropped_terms(node, parent):
    found = []
    if isinstance(node, ast.BinOp):
        symbol = SYMBOLS.get(type(node.op))
        if isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            found.append((f"a {symbol} b -> a", node.left))
        if isinstance(node.op, (ast.Add, ast.Mult)):
            found.append((f"a {symbol} b -> b", node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        found.append(("-a -> a", node.operand))
    return found


def returns(node, parent):
    if not isinstance(node, ast.Return) or node.value is None:
        return []
    value = node.value
    if isinstance(value, ast.Call) and _is_method(value.func):
        return [(f"return a.{value.func.attr}(...) -> return a", ast.Return(value.func.value))]
    if isinstance(value, ast.Call) and value.args:
        return [(f"return {_callee(value.func)}(a, ...) -> return a", ast.Return(value.args[0]))]
    if isinstance(value, ast.Tuple) and len(value.elts) >= 2:
        swapped = [value.elts[1], value.elts[0]] + value.elts[2:]
        return [("return a, b -> return b, a", ast.Return(ast.Tuple(swapped, ast.Load())))]
    if isinstance(value, ast.BinOp):
        return [("return a <op> b -> return a", ast.Return(value.left))]
    return []


def swaps(node, parent):
    if (isinstance(node, ast.Call) and len(node.args) >= 2
            and not any(isinstance(a, ast.Starred) for a in node.args[:2])):
        return [(f"{_callee(node.func)}(a, b) -> (b, a)",
                 ast.Call(node.func, [node.args[1], node.args[0]] + node.args[2:], node.keywords))]
    if (isinstance(node, ast.Tuple) and isinstance(node.ctx, ast.Load) and len(node.elts) >= 2
            and not any(isinstance(e, ast.Starred) for e in node.elts[:2])):
        return [("(a, b) -> (b, a)", ast.Tuple([node.elts[1], node.elts[0]] + node.elts[2:], ast.Load()))]
    return []


OPERATORS = [operators, comparisons, axes, constants, sum_mean, transposes, dropped_terms, returns, swaps]


# --- finding the solution regions and applying a mutation ------------------------------

def regions(source):
    """[(first, last)]: the 1-based line numbers strictly between each pair of solution markers."""
    found, begin = [], None
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip() == SOLUTION_BEGIN:
            begin = number
        elif line.strip() == SOLUTION_END and begin is not None:
            found.append((begin + 1, number - 1))
            begin = None
    return found


def _inside(node, spans):
    return any(first <= node.lineno and node.end_lineno <= last for first, last in spans)


def _slots(tree):
    """(node, parent, field, index) for every node that has a position; index None unless in a list."""
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.AST) and hasattr(item, "lineno"):
                        yield item, parent, field, index
            elif isinstance(value, ast.AST) and hasattr(value, "lineno"):
                yield value, parent, field, None


def _put(parent, field, index, node):
    if index is None:
        setattr(parent, field, node)
    else:
        getattr(parent, field)[index] = node


def _byte_offset(line_starts, lineno, col):
    return line_starts[lineno - 1] + col


def _splice(source, node, text):
    """``source`` with the text span of ``node`` replaced by ``text`` (ast columns count UTF-8 bytes)."""
    data = source.encode()
    starts, total = [], 0
    for line in data.splitlines(keepends=True):
        starts.append(total)
        total += len(line)
    starts.append(total)
    start = _byte_offset(starts, node.lineno, node.col_offset)
    end = _byte_offset(starts, node.end_lineno, node.end_col_offset)
    return (data[:start] + text.encode() + data[end:]).decode()


def _lines(source, first, last):
    return " / ".join(line.strip() for line in source.splitlines()[first - 1:last])


def mutants(source, grade_id=""):
    """Every single mutation of the solution regions of one cell, as :class:`Mutant` s, by line."""
    spans = regions(source)
    if not spans:
        return []
    try:
        tree = ast.parse(source)
    except SyntaxError:      # IPython syntax (a magic): not mutated
        return []
    found, seen = [], {source}
    for order, (node, parent, field, index) in enumerate(list(_slots(tree))):
        if not _inside(node, spans):
            continue
        for operator in OPERATORS:
            for kind, new in operator(node, parent):
                _put(parent, field, index, new)
                try:
                    expected = ast.dump(tree)
                finally:
                    _put(parent, field, index, node)
                text = ast.unparse(new)
                for candidate in (_splice(source, node, text), _splice(source, node, f"({text})")):
                    try:
                        ok = ast.dump(ast.parse(candidate)) == expected
                        compile(candidate, f"<mutant of {grade_id}>", "exec")
                    except SyntaxError:
                        ok = False
                    if ok:
                        break
                if not ok or candidate in seen:
                    continue
                seen.add(candidate)
                added = candidate.count("\n") - source.count("\n")
                found.append((node.lineno, order, Mutant(
                    grade_id, kind, node.lineno, _lines(source, node.lineno, node.end_lineno),
                    _lines(candidate, node.lineno, node.end_lineno + added), candidate)))
    return [m for _, _, m in sorted(found, key=lambda item: item[:2])]


def answer_cells(notebook):
    """{grade_id: source} of the solution cells of an nbformat notebook, in notebook order."""
    cells = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            cells[meta["grade_id"]] = cell.source
    return cells

"""The mutation generator of the mutation harness (coursetools.mutants; benchmarks/bench_mutants.py).

No grading here: each operator makes the expected mutants of a small cell, every
mutant compiles, differs from the cell and from the others, and changes nothing
outside the solution region. The harness itself grades through the real grader.
"""

import ast

import nbformat
import pytest

from coursetools.mutants import answer_cells, mutants, regions

from .helpers import ASSIGNMENTS, notebook_path

CELL = '''\
def f(X, W, b, y):
    """Docstring: 1 + 2 stays."""
    before = X * 2  # outside the region
    ### BEGIN SOLUTION
    Z = X @ W.T + b
    Z = np.maximum(Z, 0.0)
    s = np.sum(Z, axis=0, keepdims=True) / 0.5
    if y < 1:
        s -= -Z.mean()
    return s, Z
    ### END SOLUTION
'''


def _after(cell=CELL):
    return {(m.kind, m.after) for m in mutants(cell, "f")}


@pytest.mark.parametrize("kind, after", [
    ("+ -> -", "Z = X @ W.T - b"),
    ("-= -> +=", "s += -Z.mean()"),
    ("/ -> *", "s = np.sum(Z, axis=0, keepdims=True) * 0.5"),
    ("< -> <=", "if y <= 1:"),
    ("1 -> 0", "if y < 0:"),
    ("0.5 -> 2.0", "s = np.sum(Z, axis=0, keepdims=True) / 2.0"),
    ("axis=0 -> axis=1", "s = np.sum(Z, axis=1, keepdims=True) / 0.5"),   # not again as the constant 0 -> 1
    ("drop axis=0", "s = np.sum(Z, keepdims=True) / 0.5"),
    ("keepdims=True -> keepdims=False", "s = np.sum(Z, axis=0, keepdims=False) / 0.5"),
    ("np.sum -> np.mean", "s = np.mean(Z, axis=0, keepdims=True) / 0.5"),
    ("Z.mean -> Z.sum", "s -= -Z.sum()"),
    ("drop .T", "Z = X @ W + b"),
    ("X -> X.T", "Z = X.T @ W.T + b"),
    ("a + b -> a", "Z = X @ W.T"),
    ("a + b -> b", "Z = b"),
    ("a / b -> a", "s = np.sum(Z, axis=0, keepdims=True)"),
    ("-a -> a", "s -= Z.mean()"),
    ("np.maximum(a, b) -> (b, a)", "Z = np.maximum(0.0, Z)"),
    ("0.0 -> 1.0", "Z = np.maximum(Z, 1.0)"),
    ("return a, b -> return b, a", "return (Z, s)"),
])
def test_each_operator_makes_its_mutant(kind, after):
    made = _after()
    found = {k for k, a in made if a == after}
    assert found, f"no mutant gives {after!r}; the mutants are:\n" + "\n".join(sorted(map(str, made)))
    assert kind in found, f"{after!r} was made by {found}, expected {kind!r}"


def test_axis_swap_and_constant_change_are_one_mutant():
    afters = [m.after for m in mutants(CELL, "f")]
    assert afters.count("s = np.sum(Z, axis=1, keepdims=True) / 0.5") == 1


def test_mutants_compile_differ_and_stay_inside_the_region():
    made = mutants(CELL, "f")
    assert len(made) >= 20
    sources = [m.source for m in made]
    assert len(set(sources)) == len(sources), "two mutants are the same text"
    original = CELL.splitlines()
    (first, last), = regions(CELL)
    assert (first, last) == (5, 10)
    for m in made:
        compile(m.source, m.grade_id, "exec")
        assert m.source != CELL
        lines = m.source.splitlines()
        assert lines[:first - 1] == original[:first - 1], f"{m.describe()} changed a line before the region"
        assert lines[len(lines) - (len(original) - last):] == original[last:], \
            f"{m.describe()} changed a line after the region"
        assert first <= m.line <= last


def test_nothing_outside_a_region_is_mutated():
    assert mutants("x = 1 + 2\n", "g") == []                       # no markers, no mutants
    assert mutants("%matplotlib inline\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", "g") == []


def test_multi_byte_text_before_a_node_keeps_columns_right():
    cell = 'def f(x):\n    ### BEGIN SOLUTION\n    s = "λ"; y = x + 1\n    return y\n    ### END SOLUTION\n'
    afters = {m.after for m in mutants(cell, "f")}
    assert 's = "λ"; y = x - 1' in afters


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebooks_have_mutants(assignment):
    """The harness finds the answer cells of each solution notebook and mutates them."""
    cells = answer_cells(nbformat.read(str(notebook_path("solutions", assignment)), as_version=4))
    made = [m for grade_id, source in cells.items() for m in mutants(source, grade_id)]
    assert cells and len(made) >= len(cells), f"{assignment}: {len(made)} mutants of {len(cells)} answer cells"
    for m in made:
        ast.parse(m.source)


def test_a_returned_call_gives_its_first_operand():
    cell = ('def g(z):\n    ### BEGIN SOLUTION\n    y = np.maximum(z, 0.0)\n    return float(np.sum(y))\n'
            '    ### END SOLUTION\n\ndef h(z):\n    ### BEGIN SOLUTION\n    return (z > 0).astype(float)\n'
            '    ### END SOLUTION\n')
    made = {(m.grade_id, m.kind, m.after) for m in mutants(cell, "g")}
    assert ("g", "return float(a, ...) -> return a", "return np.sum(y)") in made
    assert ("g", "return a.astype(...) -> return a", "return z > 0") in made       # the object, not int's type
    assert ("g", "np.maximum(a, b) -> (b, a)", "y = np.maximum(0.0, z)") in made


def _bench():
    import importlib.util
    from .helpers import ROOT
    spec = importlib.util.spec_from_file_location("bench_mutants", ROOT / "benchmarks" / "bench_mutants.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_equivalent_mutant_is_still_made_and_has_a_reason():
    """A stale EQUIVALENT entry (the solution line changed) would hide nothing and mislead a reviewer."""
    bench = _bench()
    made = set()
    for assignment in {key[0] for key in bench.EQUIVALENT}:
        cells = answer_cells(nbformat.read(str(notebook_path("solutions", assignment)), as_version=4))
        made |= {(assignment, m.grade_id, m.kind, m.after) for g, source in cells.items() for m in mutants(source, g)}
    stale = [key for key in bench.EQUIVALENT if key not in made]
    assert not stale, f"EQUIVALENT entries that no mutant matches any more: {stale}"
    assert all(isinstance(why, str) and len(why) > 20 for why in bench.EQUIVALENT.values())


def test_only_rejects_a_file_that_is_not_a_survivors_list(tmp_path, capsys):
    bad = tmp_path / "survivors.json"
    bad.write_text('{"not": "a list"}')
    with pytest.raises(SystemExit, match="not a survivors file written by --out"):
        _bench().main(["--only", str(bad), "--list"])

"""Each assignment's grading contract: ``source/<assignment>/contract.toml``.

``nnlearn`` is the course's reference implementation, so it holds the answer to most
exercises. While an assignment is graded, the sandbox imports a copy of it in which
everything is switched off (``blocklist``) except what the contract allows: the tools
the notebook hands the student, and those earlier notebooks taught that are not a
building block of this assignment's exercises. Switching off is the default, so a
detour through another module (an ``accuracy`` built from ``confusion_matrix``) is
closed without anyone thinking of it. A contract looks like::

    allow = ["plotting:*", "widgets:*", "testing:*", "activations:sigmoid"]

    [exercises.accuracy]               # one table per function a solution cell defines
    reference = ["metrics:accuracy"]   # what in nnlearn computes the same thing
    mutates = []                       # parameters it may change in place (default: none)
    keeps_inputs = false               # true: the notebook asks it to leave its inputs alone
    uses = []                          # allowed tools it may build on (default: none)

A name is ``module:name`` (a top-level function, class or constant of ``nnlearn.module``)
or ``module:*``. What an allowed function calls inside ``nnlearn`` stays on with it (it
would not work otherwise): ``switched_on`` follows the static call graph. The fast test
``tests/course/test_contracts.py`` checks that each exercise's reference, and all it
calls, is switched off (except the tools named in ``uses``).

``mutates`` matters because the tests compute their references after calling the
student's function: the grader gives each call its own copy of every argument except
those named here (``proxy._Arguments``), so a function that writes the answer into its
inputs gains nothing. A change to a copy is otherwise harmless and not held against the
student (a correct answer may work in place), except for an exercise whose notebook asks
for its inputs to be left alone (``keeps_inputs = true``: 02's relu, 03's train_test_split,
...): the copies would hide that from the notebook's own check, so the call fails instead.

An assignment without a contract is an error, never "nothing switched off".
"""

import ast
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

FILENAME = "contract.toml"
EXERCISE_KEYS = {"reference", "mutates", "uses", "keeps_inputs"}
#: Argument checks (``as_float_array``, ...): used everywhere, computing nothing graded.
SHARED = "_validation:"


class ContractError(ValueError):
    """A missing or malformed contract; the message says which file and what to fix."""


@dataclass
class Exercise:
    name: str
    reference: list
    mutates: list = field(default_factory=list)
    uses: list = field(default_factory=list)
    keeps_inputs: bool = False


@dataclass
class Contract:
    assignment: str
    path: Path
    allow: list
    exercises: dict      # name -> Exercise

    @property
    def mutates(self):
        """{exercise: [parameter names it may change in place]} (only those that declare some)."""
        return {name: list(e.mutates) for name, e in self.exercises.items() if e.mutates}

    @property
    def keeps_inputs(self):
        """Exercises whose notebook asks them to leave their (undeclared) inputs alone."""
        return sorted(name for name, e in self.exercises.items() if e.keeps_inputs)


def _names(where, value):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ContractError(f"{where} must be a list of strings, got {value!r}")
    return list(value)


def load(folder):
    """Read ``folder/contract.toml`` (``folder`` is ``source/<assignment>``)."""
    folder = Path(folder)
    path = folder / FILENAME
    if not path.is_file():
        raise ContractError(f"{path} is missing: every assignment declares what stays on in nnlearn "
                            "while it is graded, and each exercise's reference (see coursegrade/contract.py)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ContractError(f"{path}: not valid TOML: {error}") from None
    unknown = set(data) - {"allow", "exercises"}
    if unknown:
        raise ContractError(f"{path}: unknown keys {sorted(unknown)} (expected 'allow' and [exercises.<name>])")
    allow = _names(f"{path}: allow", data.get("allow", []))
    exercises = {}
    tables = data.get("exercises")
    if not isinstance(tables, dict) or not tables:
        raise ContractError(f"{path}: no [exercises.<name>] tables")
    for name, table in tables.items():
        where = f"{path}: [exercises.{name}]"
        if not isinstance(table, dict):
            raise ContractError(f"{where} must be a table")
        unknown = set(table) - EXERCISE_KEYS
        if unknown:
            raise ContractError(f"{where}: unknown keys {sorted(unknown)} (expected {sorted(EXERCISE_KEYS)})")
        if "reference" not in table:
            raise ContractError(f"{where} needs reference = [...] (the nnlearn functions that compute the "
                                "same thing; [] when nnlearn has none)")
        keeps_inputs = table.get("keeps_inputs", False)
        if not isinstance(keeps_inputs, bool):
            raise ContractError(f"{where} keeps_inputs must be true or false, got {keeps_inputs!r}")
        exercises[name] = Exercise(name, _names(f"{where} reference", table["reference"]),
                                   _names(f"{where} mutates", table.get("mutates", [])),
                                   _names(f"{where} uses", table.get("uses", [])), keeps_inputs)
    return Contract(folder.name, path, allow, exercises)


# --- The library's static call graph -----------------------------------------------------------

class Library:
    """The top-level names of each ``nnlearn`` module and what each one refers to.

    ``units[module][name]`` is the AST node of a top-level function, class or assigned
    constant; ``edges["module:name"]`` the set of ``module:name`` it mentions (calls,
    bases, values such as ``{"relu": relu}``), through ``from .m import f``,
    ``from . import m as alias`` and ``alias.f``.
    """

    def __init__(self, package):
        self.package = Path(package)
        self.units, self.edges = {}, {}
        trees = {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(self.package.glob("*.py"))}
        for module, tree in trees.items():
            self.units[module] = {}
            for node in tree.body:
                for name in _unit_names(node):
                    self.units[module][name] = node
        for module, tree in trees.items():
            functions, modules = self._imports(module, tree)
            for name, node in self.units[module].items():
                found = set()
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                        if sub.id in self.units[module]:
                            found.add(f"{module}:{sub.id}")
                        elif sub.id in functions:
                            found.add(functions[sub.id])
                    elif (isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name)
                          and sub.value.id in modules and sub.attr in self.units.get(modules[sub.value.id], {})):
                        found.add(f"{modules[sub.value.id]}:{sub.attr}")
                found.discard(f"{module}:{name}")
                self.edges[f"{module}:{name}"] = found

    def _imports(self, module, tree):
        """Names bound by imports from inside the package, anywhere in the module."""
        functions, modules = {}, {}
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level == 1:
                base = node.module
            elif node.level == 0 and (node.module or "").split(".")[0] == "nnlearn":
                base = node.module.partition(".")[2] or None
            else:
                continue
            for alias in node.names:
                bound = alias.asname or alias.name
                if base is None and alias.name in self.units:          # from . import activations
                    modules[bound] = alias.name
                elif base in self.units and alias.name in self.units[base]:
                    functions[bound] = f"{base}:{alias.name}"
        return functions, modules

    def expand(self, entries, where="contract"):
        """``module:name`` / ``module:*`` entries -> set of ``module:name``; unknown names raise."""
        found = set()
        for entry in entries:
            module, sep, name = entry.partition(":")
            if not sep or module not in self.units:
                raise ContractError(f"{where}: {entry!r} is not module:name of an nnlearn module "
                                    f"({', '.join(sorted(self.units))})")
            if name == "*":
                found |= {f"{module}:{n}" for n in self.units[module]}
            elif name in self.units[module]:
                found.add(entry)
            else:
                raise ContractError(f"{where}: nnlearn.{module} has no top-level function, class or "
                                    f"constant {name!r}")
        return found

    def closure(self, names, stop=()):
        """``names`` and everything they refer to, transitively (not beyond those in ``stop``)."""
        seen, todo = set(), list(names)
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                if name not in stop:
                    todo += self.edges.get(name, ())
        return seen

    def path(self, start, goal):
        """A chain of references from ``start`` to ``goal`` (for error messages), or None."""
        previous, todo = {start: None}, [start]
        while todo:
            name = todo.pop(0)
            if name == goal:
                chain = []
                while name is not None:
                    chain.append(name)
                    name = previous[name]
                return chain[::-1]
            for nxt in sorted(self.edges.get(name, ())):
                if nxt not in previous:
                    previous[nxt] = name
                    todo.append(nxt)
        return None


def _unit_names(node):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    targets = node.targets if isinstance(node, ast.Assign) else \
        [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]


def switched_on(contract, library):
    """The ``module:name`` units left working: the allowed ones and all they refer to."""
    return library.closure(library.expand(contract.allow, f"{contract.path}: allow"))


def switched_off(contract, library):
    """{module: set of top-level functions and classes switched off}."""
    on = switched_on(contract, library)
    off = {}
    for module, units in library.units.items():
        for name, node in units.items():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                    and f"{module}:{name}" not in on:
                off.setdefault(module, set()).add(name)
    return off


def problems(contract, library, exercises=None):
    """What makes ``contract`` incomplete or wrong: a list of messages (empty when sound).

    ``exercises``: the functions the solution notebook's solution cells define (each
    needs a table). Every exercise's references, and everything they refer to inside
    nnlearn, must be switched off, except tools named in the exercise's ``uses`` (and
    what they call) and the argument checks of ``_validation``.
    """
    found = []
    try:
        on = switched_on(contract, library)
    except ContractError as error:
        return [str(error)]
    if exercises is not None:
        missing = [n for n in exercises if n not in contract.exercises]
        extra = [n for n in contract.exercises if n not in exercises]
        if missing:
            found.append(f"{contract.path}: no [exercises.<name>] table for {missing} (defined by solution cells)")
        if extra:
            found.append(f"{contract.path}: [exercises.<name>] for {extra}, which no solution cell defines")
    for exercise in contract.exercises.values():
        where = f"{contract.path}: [exercises.{exercise.name}]"
        try:
            references = library.expand(exercise.reference, f"{where} reference")
            uses = library.expand(exercise.uses, f"{where} uses")
        except ContractError as error:
            found.append(str(error))
            continue
        not_allowed = sorted(uses - on)
        if not_allowed:
            found.append(f"{where} uses {not_allowed}, which 'allow' does not switch on")
        for reference in sorted(references):
            reached = library.closure({reference}, stop=uses) - library.closure(uses)
            for name in sorted(n for n in reached & on if not n.startswith(SHARED)):
                chain = " -> ".join(library.path(reference, name))
                found.append(f"{where}: {name} is switched on, but the reference reaches it ({chain}): "
                             f"remove what switches it on from 'allow', or name it in 'uses' if the "
                             "exercise is meant to build on it")
    return found

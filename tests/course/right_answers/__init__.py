"""The catalogue of RIGHT answers, one module per assignment, next to ``wrong_answers/``.

Hidden tests must accept every correct answer, not only the solution's way of writing
it. ``tests/course/right_answers/NN_name.py`` defines ``RIGHT``, a list of plain dicts
(those files import nothing) with the fields of :class:`Right`: each replaces one or
more solution cells (by ``grade_id``) with a correct answer written in another style
than the solution -- keyword calls, loops, in place or on a copy, float32, another
stable formula, another valid random call where the text allows one.

``test_right_answers.py`` packs them into a few submissions per assignment, grades them
through the real (sandboxed) grader and requires full marks on every test cell.
"""

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = {"name", "replace", "style"}


@dataclass(frozen=True)
class Right:
    """One right answer.

    name: unique within its assignment (a test id);
    replace: {solution grade_id: the whole source of the cell, answered another way};
    style: what makes it differ from the solution (shown when it loses points).
    """

    name: str
    replace: dict = field(compare=False)
    style: str = field(compare=False)
    assignment: str = ""

    @property
    def id(self):
        return f"{self.assignment}:{self.name}"


def load(assignment):
    """The ``RIGHT`` list of one assignment ([] if it has no catalogue yet)."""
    path = HERE / f"{assignment}.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"right_answers_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    answers, names = [], set()
    for entry in module.RIGHT:
        missing, unknown = FIELDS - set(entry), set(entry) - FIELDS
        if missing or unknown:
            raise ValueError(f"{path.name}: entry {entry.get('name')!r} has missing field(s) {sorted(missing)} "
                             f"and unknown field(s) {sorted(unknown)}; the fields are {sorted(FIELDS)}")
        if entry["name"] in names:
            raise ValueError(f"{path.name}: the name {entry['name']!r} is used twice")
        if not entry["replace"]:
            raise ValueError(f"{path.name}: {entry['name']!r} replaces no cell")
        names.add(entry["name"])
        answers.append(Right(entry["name"], dict(entry["replace"]), entry["style"], assignment))
    return answers

"""The catalogue of wrong-but-plausible answers, one module per assignment.

``tests/course/wrong_answers/NN_name.py`` defines ``WRONG``, a list of dicts with the
fields of :class:`Wrong` (plain dicts, so those files import nothing): each replaces one or more solution cells (by ``grade_id``) with a
mistake a student could make, and says which test cells must then score 0 (every
other test cell keeps its points) and what the *visible* test must say about it.

The grading tests (``test_grading.py``) autograde each one as a submission; the
message tests (``test_visible_messages.py``) run the release notebook's visible test
cells against it and check that the message names the mistake.
"""

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Wrong:
    """One wrong answer.

    student: the id it is submitted under (unique across the course);
    replace: {solution grade_id: the wrong cell source};
    fails: the grade_ids of the test cells that must score 0;
    visible: a regular expression the visible test's error message must match, or
        None when the visible tests are meant to pass and only hidden tests catch it.
    """

    student: str
    replace: dict
    fails: set
    visible: str = None
    assignment: str = field(default="", compare=False)


def load(assignment):
    """The ``WRONG`` list of one assignment ([] if it has no catalogue yet)."""
    path = HERE / f"{assignment}.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"wrong_answers_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    answers = []
    for entry in module.WRONG:
        unknown = set(entry) - {"student", "replace", "fails", "visible"}
        if unknown:
            raise ValueError(f"{path.name}: unknown field(s) {sorted(unknown)} in {entry.get('student')!r}")
        answers.append(Wrong(entry["student"], dict(entry["replace"]), set(entry["fails"]),
                             entry.get("visible"), assignment))
    return answers


def load_all(assignments):
    """Every wrong answer of the given assignments; student ids must be unique."""
    answers = [w for a in assignments for w in load(a)]
    ids = [w.student for w in answers]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"wrong-answer student ids used twice: {duplicates}")
    return answers

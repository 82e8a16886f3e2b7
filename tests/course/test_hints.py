"""Progressive hints: two or three per exercise, collapsed, revealed one at a time.

After each solution cell, a markdown cell holds the exercise's hints as nested
``<details>`` elements: opening "Hint 1 of n" shows the first hint and the summary
of the next one, so a student reads from a nudge towards a near-solution, one step
at a time. A hint never holds a line of the solution or of a hidden test (the
release leak check of test_generated.py reads every release cell, hints included;
this one also looks for solution lines *inside* a hint's text). They must survive
grading's sanitiser, which allows ``details`` and ``summary``.
"""

import re

import pytest

from coursegrade.layout import MARKER_PAIRS

from .helpers import ASSIGNMENTS, notebook_path, read_notebook

SUMMARY = re.compile(r"<details><summary><b>Hint (\d) of (\d)[^<]*</b></summary>")
REGION = re.compile("|".join(rf"{re.escape(b)}\n(.*?){re.escape(e)}" for b, e in MARKER_PAIRS), re.S)


def _is_solution(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("solution", False) and cell.cell_type == "code"


def _exercises_and_hints(nb):
    """[(grade_id, the markdown cell right after its solution cell or None)]."""
    found = []
    for i, cell in enumerate(nb.cells):
        if _is_solution(cell):
            after = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
            hint = after if after is not None and after.cell_type == "markdown" and SUMMARY.search(after.source) \
                else None
            found.append((cell.metadata["nbgrader"]["grade_id"], hint))
    return found


def _solution_lines(source_nb):
    lines = set()
    for cell in source_nb.cells:
        for match in REGION.finditer(cell.source):
            text = next(g for g in match.groups() if g is not None)
            lines |= {line.strip() for line in text.splitlines() if len(line.strip()) >= 12}
    return lines


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_has_two_or_three_nested_hints(assignment):
    release = read_notebook(notebook_path("release", assignment))
    exercises = _exercises_and_hints(release)
    assert exercises, f"release/{assignment}: no solution cells found"
    for grade_id, hint in exercises:
        assert hint is not None, (f"release/{assignment}: exercise {grade_id!r} has no hint cell right after its "
                                  "solution cell (a markdown cell of nested <details>, 'Hint 1 of n' ...)")
        numbers = [(int(i), int(n)) for i, n in SUMMARY.findall(hint.source)]
        n = numbers[0][1]
        assert 2 <= n <= 3 and numbers == [(i, n) for i in range(1, n + 1)], (
            f"release/{assignment}: the hints of {grade_id!r} are numbered {numbers}; expected 'Hint 1 of n' to "
            "'Hint n of n' in order, n = 2 or 3")
        assert hint.source.count("<details>") == hint.source.count("</details>") == n, (
            f"release/{assignment}: the hints of {grade_id!r} open {hint.source.count('<details>')} <details> and "
            f"close {hint.source.count('</details>')}; each hint must be nested in the previous one")
        closing = hint.source.rstrip().splitlines()[-n:]
        assert all(line.strip() == "</details>" for line in closing), (
            f"release/{assignment}: the hints of {grade_id!r} must all close at the end (nested), not one by one")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_hint_holds_a_solution_line(assignment):
    source = read_notebook(notebook_path("source", assignment))
    secrets = _solution_lines(source)
    assert secrets, f"source/{assignment}: found no solution lines to look for"
    for grade_id, hint in _exercises_and_hints(source):
        leaked = sorted(line for line in secrets if line in hint.source)
        assert not leaked, f"source/{assignment}: the hints of {grade_id!r} quote solution lines: {leaked}"


def test_the_sanitiser_keeps_the_hints():
    """Grading makes a submission inert before rendering it; the hints must come through."""
    from coursegrade.sanitize import sanitise_markdown

    for assignment in ASSIGNMENTS:
        for grade_id, hint in _exercises_and_hints(read_notebook(notebook_path("release", assignment))):
            cleaned, problems = sanitise_markdown(hint.source)
            assert (cleaned, problems) == (hint.source, []), (
                f"{assignment}: the sanitiser changes the hints of {grade_id!r}: {problems}")

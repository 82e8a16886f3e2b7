"""release/ and solutions/: up to date with source/, and nothing secret in release/.

The committed notebooks are compared with a fresh regeneration of the course in a
temporary folder (the ``generated_course`` fixture runs scripts/generate.py there). The
solution and hidden-test markers are ``coursegrade.layout``'s.
Cell types, ids, sources and metadata must match; outputs and execution counts are not
compared (the committed solutions are executed, the regenerated ones are not).
"""

import re

import pytest

from coursegrade.layout import MARKER_PAIRS, MARKERS

from .helpers import ASSIGNMENTS, ROOT, notebook_path, read_notebook

# What must never reach release/: the course's markers, looked for without their "### "
# (nbgrader finds its delimiters anywhere in a line), and nbgrader's mark-scheme
# delimiters (the course has no mark schemes; one would not belong in release/ either).
LEAK_MARKERS = tuple(m.lstrip("# ") for m in MARKERS) + ("BEGIN MARK SCHEME", "END MARK SCHEME")


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and ".ipynb_checkpoints" not in p.parts)


def _cells(nb):
    return [(c.cell_type, c.get("id"), c.source, dict(c.metadata)) for c in nb.cells]


def test_no_stray_folders():
    """Every folder in release/ and solutions/ comes from an assignment in source/."""
    for kind in ("release", "solutions"):
        folders = sorted(p.name for p in (ROOT / kind).iterdir() if p.is_dir())
        assert folders == ASSIGNMENTS, (
            f"{kind}/ holds {folders}, source/ has {ASSIGNMENTS}: run `make generate` "
            f"(and delete folders of assignments that no longer exist)")


@pytest.mark.parametrize("kind", ["release", "solutions"])
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_not_stale(generated_course, kind, assignment):
    fresh_dir, committed_dir = generated_course / kind / assignment, ROOT / kind / assignment
    assert _files(committed_dir) == _files(fresh_dir), f"{kind}/{assignment}: files differ; run `make generate`"
    for name in _files(fresh_dir):
        fresh, committed = fresh_dir / name, committed_dir / name
        if name.endswith(".ipynb"):
            fresh_cells, committed_cells = _cells(read_notebook(fresh)), _cells(read_notebook(committed))
            for index, (want, got) in enumerate(zip(fresh_cells, committed_cells)):
                assert got == want, f"{kind}/{assignment}/{name}: cell {index + 1} is stale; run `make generate`"
            assert len(committed_cells) == len(fresh_cells), f"{kind}/{assignment}/{name}: run `make generate`"
        else:
            assert committed.read_bytes() == fresh.read_bytes(), f"{kind}/{assignment}/{name} is stale"


# --- nothing from a solution or a hidden test reaches the students -----------------------

# A solution or hidden-test region; its text is the one group that matched (region_text).
REGION = re.compile("|".join(rf"{re.escape(begin)}\n(.*?){re.escape(end)}" for begin, end in MARKER_PAIRS), re.S)
TRIVIAL = {"return", "pass", "else:", "try:", "finally:", "continue", "break", "return out", "return result"}


def region_text(match):
    return next(text for text in match.groups() if text is not None)


def secret_lines(source_nb):
    """The substantive lines inside solution and hidden-test regions of a source notebook.

    Blank lines, lines with fewer than four letters/digits (``)``, ``])``), a few bare
    keywords, and lines that also occur outside the regions (imports, ``rng = ...``)
    are skipped: finding those in release/ would prove nothing.
    """
    inside, outside = {}, set()
    for cell in source_nb.cells:
        text = cell.source
        for match in REGION.finditer(text):
            for line in region_text(match).splitlines():
                inside.setdefault(line.strip(), cell.metadata.get("nbgrader", {}).get("grade_id"))
        for line in REGION.sub("", text).splitlines():
            outside.add(line.strip())
    return {line: where for line, where in inside.items()
            if len(re.sub(r"\W", "", line)) >= 4 and line not in TRIVIAL and line not in outside}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solutions_or_hidden_tests(assignment):
    source = read_notebook(notebook_path("source", assignment))
    secrets = secret_lines(source)
    regions = sum(len(REGION.findall(c.source)) for c in source.cells)
    assert regions and len(secrets) >= regions, "the leak check found nothing to look for: is the regex broken?"
    release_text = (ROOT / "release" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8")
    release_lines = {line.strip() for cell in read_notebook(notebook_path("release", assignment)).cells
                     for line in cell.source.splitlines()}
    leaked = sorted(f"{line!r} (from cell {where})" for line, where in secrets.items() if line in release_lines)
    assert not leaked, f"release/{assignment} contains solution or hidden-test lines: {leaked}"
    for marker in LEAK_MARKERS:
        assert marker not in release_text, f"release/{assignment} contains the marker {marker!r}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_authoring_files_and_no_outputs(assignment):
    folder = ROOT / "release" / assignment
    assert not list(folder.rglob("*.py")), f"release/{assignment} contains .py files (the solutions are in them)"
    assert not list(folder.rglob("contract.toml")), f"release/{assignment} contains the grading contract"
    nb = read_notebook(notebook_path("release", assignment))
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"release/{assignment}: cell {index + 1} has outputs; run `make generate`")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solutions_are_executed(assignment):
    nb = read_notebook(notebook_path("solutions", assignment))
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), (
        f"solutions/{assignment} is not executed; run `make generate`")
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))


def test_generating_some_assignments_leaves_the_others_alone(tmp_path):
    """``generate.py A B`` regenerates A and B only: a glob for the subset made nbgrader
    regenerate every solution, and the ones not named were left without outputs."""
    import shutil

    from .helpers import run_generate

    names = ASSIGNMENTS[:3]
    shutil.copy2(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    for kind in ("source", "release", "solutions"):
        for name in names:
            shutil.copytree(ROOT / kind / name, tmp_path / kind / name,
                            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    untouched = notebook_path("solutions", names[2], root=tmp_path)
    before = untouched.read_bytes()
    run = run_generate(tmp_path, "--no-execute", names[0], names[1])
    assert run.returncode == 0, f"generate.py failed:\n{run.stdout}{run.stderr}"
    assert untouched.read_bytes() == before, f"generating {names[:2]} rewrote solutions/{names[2]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_long_test_cells_start_collapsed_and_exercises_never(assignment):
    """A student scrolling a release notebook sees prose, exercises and pictures: visible
    test cells (and plotting helpers) of more than 10 lines start collapsed
    (``jupyter.source_hidden``; a click shows them), exercise cells never do."""
    nb = read_notebook(notebook_path("release", assignment))
    for index, cell in enumerate(nb.cells):
        grading = cell.metadata.get("nbgrader", {})
        hidden = cell.metadata.get("jupyter", {}).get("source_hidden", False)
        lines = len(cell.source.splitlines())
        where = f"release/{assignment}, cell {index + 1} ({cell.source.splitlines()[:1]})"
        if grading.get("solution"):
            assert not hidden, f"{where}: an exercise cell must never start collapsed"
        elif cell.cell_type == "code" and grading.get("grade") and lines > 10:
            assert hidden, f"{where}: a test cell of {lines} lines must start collapsed (run make generate)"
    assert any(c.metadata.get("jupyter", {}).get("source_hidden") for c in nb.cells), \
        f"release/{assignment}: nothing is collapsed"

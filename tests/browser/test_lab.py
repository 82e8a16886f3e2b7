"""The course in a real browser: JupyterLab 4 in headless Chromium, end to end.

One JupyterLab server runs in a temporary copy of the course (the committed notebooks are
never written to) and one Chromium page is reused for every notebook. For each notebook
in solutions/ and release/ the test runs every cell as a student would ("Run All") and
checks what the page shows:

* solutions: no error anywhere; every matplotlib figure is drawn; every interactive plot
  renders its controls and picture, and every control redraws it (an arrow key on a
  slider, a click on a checkbox, another option in a drop-down) without an error, at
  least one of them changing the picture; the nbgrader *Validate* button is there;
* release: the only errors are the ``NotImplementedError`` of the exercise cells (and
  of the test cells calling them) -- "Run All" stops at the first, so the run goes on
  from the next cell, as a student would after each exercise; nothing on stderr;
  figures drawn; the *Validate* button is there;
* nbgrader's *Validate* button passes a solution notebook; the formgrader lists every
  assignment; ``make course`` serves JupyterLab on release/ and a notebook opens with a
  running kernel.

Screenshots go to artifacts/screenshots/ (not committed); timings are printed at the
end of the session and written to artifacts/browser-timings.json.
"""

import shutil
import statistics
import sys
import time
from pathlib import Path

import pytest

from coursetools.lab import PLOT_SELECTOR, ROOT, Lab, LabServer, notebooks

from .conftest import SCREENSHOTS, record_time, record_widget_ms

pytestmark = pytest.mark.browser

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _is_exercise_cell(cell):
    meta = cell["nbgrader"] or {}
    return bool(meta.get("solution") or meta.get("grade"))


def _first_line(text, n=160):
    text = "".join(text) if isinstance(text, list) else (text or "")
    return text.strip().splitlines()[0][:n] if text.strip() else ""


def _expected_pictures(cells):
    """(static figures, widget views) that the kernel produced, from the notebook model."""
    figures = widgets = 0
    for cell in cells:
        for output in cell["outputs"]:
            data = output.get("data", {})
            if WIDGET_MIME in data:
                widgets += 1
            elif "image/png" in data or "image/svg+xml" in data:
                figures += 1
    return figures, widgets


def _check_pictures(nb, cells, where):
    """Every figure the kernel sent is drawn on the page; every widget view is live."""
    rendered = nb.rendered()
    figures, widgets = _expected_pictures(cells)
    problems = []
    if len(rendered["figures"]) != figures:
        problems.append(f"{figures} figures in the outputs, {len(rendered['figures'])} on the page")
    problems += [f"figure in cell {f['cell'] + 1} did not load" for f in rendered["figures"] if not f["loaded"]]
    if len(rendered["widgets"]) != widgets:
        problems.append(f"{widgets} widget views in the outputs, {len(rendered['widgets'])} rendered "
                        "(is the ipywidgets extension loaded?)")
    for w in rendered["widgets"]:  # an interactive plot: controls above one picture
        if w["plot"] and (not w["controls"] or w["images"] != 1 or w["loaded"] != 1):
            problems.append(f"interactive plot in cell {w['cell'] + 1}: {w['controls']} controls, "
                            f"{w['images']} pictures, {w['loaded']} loaded")
    problems += [f"cell {e['cell'] + 1}: {e['text']!r}" for e in rendered["widget_errors"]]
    if not rendered["validate_button"]:
        problems.append("no nbgrader Validate button in the notebook toolbar")
    assert not problems, f"{where}: " + "; ".join(problems)
    return rendered


def _screenshot_at_first(nb, locator, path):
    if locator.count():
        nb.scroll_to(locator.first, block="center")
    nb.screenshot(path)


@pytest.mark.parametrize("assignment", notebooks("solutions"))
def test_solution_notebook_in_the_browser(fresh_lab, assignment):
    rel = f"solutions/{assignment}/{assignment}.ipynb"
    t0 = time.perf_counter()
    nb = fresh_lab.open(rel)
    try:
        nb.run_all()
        cells = nb.cells()
        errors = [f"cell {c['index'] + 1}: {o.get('ename')}: {o.get('evalue', '')[:200]}"
                  for c in cells for o in c["outputs"] if o["output_type"] == "error"]
        assert not errors, f"{rel} raised: " + "; ".join(errors)
        not_run = [c["index"] + 1 for c in cells if c["type"] == "code" and c["execution_count"] is None]
        assert not not_run, f"{rel}: cells {not_run} did not run"

        rendered = _check_pictures(nb, cells, rel)
        assert rendered["figures"] or rendered["widgets"], f"{rel}: no matplotlib figure at all"
        _screenshot_at_first(nb, nb.locator.locator(PLOT_SELECTOR),
                             SCREENSHOTS / "solutions" / f"{assignment}.png")

        # every control of every interactive plot redraws it; a slider changes the picture
        problems, times = [], []
        for k, plot in enumerate(nb.interactive_plots()):
            changed = []
            for kind, name, control in nb.controls(plot):
                result = nb.move_control(k, kind, control)
                times.append(result["ms"])
                if result["error"]:
                    problems.append(f"plot {k + 1}, {kind} {name!r}: {result['error']}")
                changed.append(result["changed"])
            if not any(changed):
                problems.append(f"plot {k + 1}: no control changed the picture")
            if k == 0:
                _screenshot_at_first(nb, plot, SCREENSHOTS / "solutions" / f"{assignment}_moved.png")
        assert not problems, f"{rel}: " + "; ".join(problems)
        if times:
            record_widget_ms(assignment, statistics.median(times))
        assert not fresh_lab.page_errors, f"{rel}: JavaScript errors in the page: {fresh_lab.page_errors}"
    finally:
        nb.close()
        record_time(f"solutions/{assignment} (open {nb.timings.get('open', 0):.1f}, run {nb.timings.get('run', 0):.1f})",
                    time.perf_counter() - t0)


@pytest.mark.parametrize("assignment", notebooks("release"))
def test_release_notebook_in_the_browser(fresh_lab, assignment):
    rel = f"release/{assignment}/{assignment}.ipynb"
    t0 = time.perf_counter()
    nb = fresh_lab.open(rel)
    try:
        nb.run_all(past_errors=True)
        cells = nb.cells()
        problems, stubs = [], 0
        for c in cells:
            if c["type"] == "code" and c["execution_count"] is None:
                problems.append(f"cell {c['index'] + 1} did not run")
            for o in c["outputs"]:
                if o["output_type"] == "error":
                    if o.get("ename") == "NotImplementedError" and _is_exercise_cell(c):
                        stubs += 1
                    else:
                        problems.append(f"cell {c['index'] + 1}: {o.get('ename')}: {o.get('evalue', '')[:200]} "
                                        f"({_first_line(c['source'])!r})")
                elif o["output_type"] == "stream" and o.get("name") == "stderr":
                    problems.append(f"cell {c['index'] + 1} wrote to stderr: {_first_line(o.get('text'), 300)!r}")
        assert not problems, f"{rel}: " + "; ".join(problems)
        assert stubs, f"{rel}: no exercise raised NotImplementedError -- is a solution left in?"
        _check_pictures(nb, cells, rel)
        _screenshot_at_first(nb, nb.locator.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"),
                             SCREENSHOTS / "release" / f"{assignment}.png")
        assert not fresh_lab.page_errors, f"{rel}: JavaScript errors in the page: {fresh_lab.page_errors}"
    finally:
        nb.close()
        record_time(f"release/{assignment} (open {nb.timings.get('open', 0):.1f}, run {nb.timings.get('run', 0):.1f})",
                    time.perf_counter() - t0)


@pytest.mark.skipif(not notebooks("solutions"), reason="no solution notebook yet")
def test_validate_button_passes_a_solution(fresh_lab):
    """The student's Validate button runs nbgrader validate through the server extension."""
    assignment = notebooks("solutions")[0]
    rel = f"solutions/{assignment}/{assignment}.ipynb"
    t0 = time.perf_counter()
    nb = fresh_lab.open(rel)
    page = fresh_lab.page
    try:
        nb.locator.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).click()
        page.wait_for_function("() => { const d = document.querySelector('.jp-Dialog');"
                               " return d && /Validation Results/.test(d.textContent); }")
        text = page.locator(".jp-Dialog").inner_text()
        nb.screenshot(SCREENSHOTS / "validate.png")
        assert "Success! Your notebook passes all the tests." in text, f"Validate on {rel}:\n{text[:2000]}"
    finally:
        if page.locator(".jp-Dialog").count():
            page.keyboard.press("Escape")
        nb.close()
        record_time(f"Validate button on {rel}", time.perf_counter() - t0)


def test_formgrader_lists_the_assignments(lab_server, browser):
    """The instructor's formgrader (nbgrader's server extension) finds the course."""
    from coursetools.lab import VIEWPORT

    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(120_000)
    t0 = time.perf_counter()
    try:
        page.goto(lab_server.url("formgrader"))
        page.wait_for_selector("text=Manage Assignments")
        expected = [p.name for p in sorted((ROOT / "source").iterdir()) if p.is_dir() and p.name[:2].isdigit()]
        for name in expected:
            page.locator("#main_table, table").get_by_text(name, exact=True).first.wait_for()
        page.screenshot(path=str(SCREENSHOTS / "formgrader.png"))
    finally:
        record_time("formgrader page", time.perf_counter() - t0)
        context.close()


def test_make_course_reaches_a_running_notebook(browser, tmp_path, browser_available):
    """The README's first command: `make course` serves JupyterLab on release/, and a
    notebook opened from the file browser gets a running kernel. Run in a copy of the
    files `make course` uses, with this environment as its .venv (never reinstalled:
    `make -o` keeps the install step out of it)."""
    if shutil.which("make") is None:
        pytest.skip("`make` is not installed")
    if not (Path(sys.prefix) / "bin" / "jupyter").exists():
        pytest.skip(f"the tests do not run in the course environment ({sys.prefix} has no bin/jupyter): use `make test`")
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("Makefile", "requirements.txt", "nbgrader_config.py"):
        shutil.copy2(ROOT / name, copy / name)
    (copy / "lib").mkdir()
    shutil.copy2(ROOT / "lib" / "pyproject.toml", copy / "lib" / "pyproject.toml")
    shutil.copytree(ROOT / "release", copy / "release")
    (copy / ".venv").symlink_to(Path(sys.prefix))

    def command(server):
        lab_args = " ".join(server.lab_args())
        return (["make", "-o", ".venv/.course-installed", "course", f"LAB_ARGS={lab_args}"], copy)

    server = LabServer(tmp=tmp_path / "lab", kinds=(), command=command, timeout=120)
    server.start()
    record_time("make course: server start", server.startup_seconds)
    lab = Lab(server, browser, timeout=180)
    t0 = time.perf_counter()
    try:
        lab.page.goto(server.url(""), wait_until="domcontentloaded")  # what `make course` opens
        lab.page.wait_for_function("() => !!window.jupyterapp")
        assert "/lab/tree/release" in lab.page.url, f"make course opened {lab.page.url}, not the release folder"
        listing = lab.page.locator(".jp-DirListing-content .jp-DirListing-itemText")
        first = notebooks("release")[0]
        listing.get_by_text(first, exact=True).wait_for()
        names = listing.all_text_contents()
        assert all(a in names for a in notebooks("release")), f"file browser shows {names}"
        # open it as a student does: double-click the folder, then the notebook
        listing.get_by_text(first, exact=True).dblclick()
        listing.get_by_text(f"{first}.ipynb", exact=True).dblclick()
        lab.page.wait_for_function("() => !!document.querySelector('.jp-NotebookPanel')")
        lab.page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
            " return !!k && k.status === 'idle'; }", polling=200)
        lab.page.screenshot(path=str(SCREENSHOTS / "make_course.png"))
        record_time("make course: page to running kernel", time.perf_counter() - t0)
    finally:
        lab.close()
        server.stop()
        log = server.log_before_stop()
    assert "Traceback" not in log, f"make course logged an error:\n{log[-6000:]}"


def test_hints_open_one_at_a_time(fresh_lab):
    """The progressive hints of an exercise (tests/course/test_hints.py) render as nested
    <details>: at first only "Hint 1" shows; opening it shows its text and the summary of
    hint 2, whose own text stays hidden until that one is opened too."""
    rel = "release/03_loss/03_loss.ipynb"
    nb = fresh_lab.open(rel)
    try:
        summary1 = nb.locator.locator(".jp-RenderedMarkdown summary", has_text="Hint 1 of 3").first
        details1 = summary1.locator("xpath=..")
        summary2 = details1.locator(":scope > details > summary").first
        text1 = details1.locator(":scope > p").first
        text2 = details1.locator(":scope > details > p").first
        nb.scroll_to(summary1, block="center")
        assert summary1.is_visible(), f"{rel}: the first hint's summary is not shown"
        assert not text1.is_visible() and not summary2.is_visible(), f"{rel}: a hint is open before it is asked for"
        summary1.click()
        summary2.wait_for(state="visible", timeout=5000)
        assert text1.is_visible() and not text2.is_visible(), f"{rel}: opening hint 1 must show it, and only it"
        summary2.click()
        text2.wait_for(state="visible", timeout=5000)
        nb.screenshot(SCREENSHOTS / "hints" / "03_loss.png")
        assert not fresh_lab.page_errors, f"{rel}: JavaScript errors in the page: {fresh_lab.page_errors}"
    finally:
        nb.close()

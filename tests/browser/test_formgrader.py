"""A hostile submission runs no script in the instructor's browser (issue 11, part 3).

A student submits the solution of 03_loss (full marks) with markdown cells that, if
their script ran, would

* set ``window.__pwned`` and ``document.title``, and call ``alert``;
* read the instructor's ``source/03_loss/03_loss.ipynb`` through the Jupyter contents
  API with the instructor's session, and write it to ``pwned.txt`` in the course
  (the attack the review made: hidden tests copied into a student's folder).

The submission is graded by the real grader (``coursegrade grade``: sandbox,
autograde, feedback), then JupyterLab with nbgrader's formgrader runs as the
instructor on 127.0.0.1 (a free port, a temporary course folder, stopped by pid).
Headless Chromium (Debian's) opens what renders the submission: the formgrader's
manual grading page of the notebook, the feedback HTML (``/files/...``), and a
``notes.html`` submitted next to the notebook, through the formgrader's own file
address (``/formgrader/submissions/<id>/notes.html``: it must be gone). No
marker may appear: no ``pwned.txt``, title unchanged, no ``window.__pwned``, no
dialog. The control grades the same submission in a course whose
``nbgrader_config.py`` switches the sanitiser off (``SanitizeSubmission.enabled =
False``, ``HTMLExporter.sanitize_html = False``) and asserts that the same checks
*do* see the payload there -- including the copied ``source/`` and the script of the
served ``notes.html`` -- so the test can fail.

Every request not to 127.0.0.1 is refused (MathJax's CDN): nothing is downloaded.
Needs bubblewrap (``sandbox`` fixture) and Chromium + Playwright (``browser_available``).
"""

import json
import os
import sys
import time

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_raw_cell

from coursetools.lab import ROOT, VIEWPORT, LabServer, launch_browser
from grading_helpers import grade, make_course, submit

from .conftest import SCREENSHOTS, record_time

pytestmark = pytest.mark.browser

ASSIGNMENT = "03_loss"
STUDENT = "mallory"
TITLE_JS = "(function(t){{window.__pwned=(window.__pwned||[]).concat([t]);document.title='PWNED '+t;}})('{tag}')"
STEAL_JS = ("fetch('/api/contents/source/03_loss/03_loss.ipynb').then(function(r){return r.text();})"
            ".then(function(s){return fetch('/api/contents/pwned.txt',{method:'PUT',headers:"
            "{'Content-Type':'application/json','X-XSRFToken':(document.cookie.match(/_xsrf=([^;]+)/)||[])[1]||''},"
            "body:JSON.stringify({type:'file',format:'text',content:s})});})")


def _js(tag):
    return TITLE_JS.format(tag=tag)


PAYLOADS = [
    "# A student's notes\n\nEverything below is what a hostile student could write in a markdown cell.",
    f'<img src="x-missing.png" onerror="{_js("img")};{STEAL_JS}">',
    f'<svg onload="{_js("svg")}"></svg>',
    f"<script>{_js('script')};alert('pwned')</script>",
    f'<details open ontoggle="{_js("details")}">x</details>',
    f'```mermaid\n</pre><img src="x-missing.png" onerror="{_js("mermaid")}">\n```',
    f'<iframe srcdoc="<script>{_js("iframe").replace(chr(39), "&#39;")}</script>"></iframe>',
]


def hostile_submission(path):
    nb = nbformat.read(str(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), as_version=4)
    extra = [new_markdown_cell(p) for p in PAYLOADS] + [new_raw_cell(f"<img src=x onerror=\"{_js('raw')}\">",
                                                                     metadata={"raw_mimetype": "text/html"})]
    nb.cells[1:1] = extra
    nbformat.write(nb, str(path))


def graded_course(root, sanitise):
    """A course in ``root`` with the hostile submission graded by ``coursegrade grade``."""
    make_course(root, [ASSIGNMENT])
    if not sanitise:
        with open(root / "nbgrader_config.py", "a") as fh:
            fh.write("\n# the control of tests/browser/test_formgrader.py: the sanitiser switched off\n"
                     "c.SanitizeSubmission.enabled = False\nc.HTMLExporter.sanitize_html = False\n")
    folder = submit(root, STUDENT, {})
    hostile_submission(folder / f"{ASSIGNMENT}.ipynb")
    # a file next to the notebook: nbgrader copies it into autograded/, which the formgrader serves
    (folder / "notes.html").write_text(f"<html><body><p>my notes</p><script>{_js('file')}</script></body></html>")
    t0 = time.perf_counter()
    run = grade(root)
    record_time(f"formgrader check: grading ({'sanitised' if sanitise else 'control'})", time.perf_counter() - t0)
    full = _points(ASSIGNMENT)   # the solution's answers: full marks
    assert [(r["student"], r["score"], r["max_score"]) for r in run.rows] == [(STUDENT, full, full)], run
    return root


def _points(assignment):
    """The assignment's total points, as the grade table writes them ("15")."""
    nb = nbformat.read(str(ROOT / "source" / assignment / f"{assignment}.ipynb"), as_version=4)
    total = sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade"))
    return f"{total:g}"


def _submission_id(root):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, STUDENT).id


@pytest.fixture(scope="module")
def chromium(browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()


def _served(tmp, sanitise):
    """(server, course root): the graded course served by JupyterLab + formgrader."""
    server = LabServer(tmp=tmp, kinds=(), timeout=120)
    graded_course(server.root, sanitise)
    config = (server.root / "nbgrader_config.py").read_text()

    def command(server):  # LabServer.start copied the repository's config over ours: put it back
        (server.root / "nbgrader_config.py").write_text(config)
        cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={server.root}", *server.lab_args()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        return cmd, server.root

    server.command = command
    server.start()
    return server


def visit(browser, server, path, wait_for_file=None, expect_missing=False):
    """Open ``path`` as the logged-in instructor; return what a payload would have left
    (None for a page that is not there, when ``expect_missing``)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1:")
                  else route.abort())
    page = context.new_page()
    page.set_default_timeout(60_000)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(server.url("lab"), wait_until="domcontentloaded")  # log in: the session cookie, _xsrf
        page.wait_for_function("() => !!window.jupyterapp", timeout=120_000)
        response = page.goto(server.url(path), wait_until="load")
        status = response.status if response is not None else None
        if status == 404 and expect_missing:
            return None
        assert status == 200, f"{path}: HTTP {status}"
        # after "load" the images have failed (onerror ran); the control's fetches take longer
        deadline = time.monotonic() + (8 if wait_for_file is not None else 3)
        while time.monotonic() < deadline:
            if wait_for_file is not None and wait_for_file.exists():
                break
            page.wait_for_timeout(250)
        result = {"title": page.title(), "pwned": page.evaluate("() => window.__pwned || null"),
                  "dialogs": list(dialogs), "text": page.inner_text("body"),
                  "score_inputs": page.locator("input.score").count()}
        name = "_".join(path.strip("/").split("/")[::3])
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"formgrader_{name}_{'pwned' if result['pwned'] else 'clean'}.png"),
                        full_page=False)
        return result
    finally:
        context.close()


def _pages(server):
    submission = f"formgrader/submissions/{_submission_id(server.root)}/"
    return {"manual grading": submission,
            "feedback": f"files/feedback/{STUDENT}/{ASSIGNMENT}/{ASSIGNMENT}.html",
            "submitted file": submission + "notes.html"}


def test_a_hostile_submission_runs_no_script_in_the_formgrader(chromium, sandbox, tmp_path):
    server = _served(tmp_path / "sanitised", sanitise=True)
    marker = server.root / "pwned.txt"
    try:
        seen = {}
        for name, path in _pages(server).items():
            t0 = time.perf_counter()
            seen[name] = visit(chromium, server, path, expect_missing=name == "submitted file")
            record_time(f"formgrader check: {name} page", time.perf_counter() - t0)
    finally:
        server.stop()
    assert seen.pop("submitted file") is None, "the formgrader serves the submitted notes.html"
    leftovers = sorted(str(p.relative_to(server.root)) for p in server.root.rglob("notes.html"))
    assert leftovers == [f"submitted/{STUDENT}/{ASSIGNMENT}/notes.html"], leftovers
    for name, result in seen.items():
        assert result["pwned"] is None, f"{name}: script from the submission ran: window.__pwned = {result['pwned']}"
        assert "PWNED" not in result["title"], f"{name}: the page title was changed to {result['title']!r}"
        assert not result["dialogs"], f"{name}: dialogs opened: {result['dialogs']}"
        # the page did render the submission (and says what was removed)
        assert "A student's notes" in result["text"] and "coursegrade: this cell was sanitised" in result["text"], \
            f"{name}: the submission is not on the page:\n{result['text'][:2000]}"
    # the formgrader still works on the sanitised notebook: one score box per graded cell
    graded = [c for c in nbformat.read(str(server.root / "autograded" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
                                       as_version=4).cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert graded and seen["manual grading"]["score_inputs"] == len(graded), (seen["manual grading"]["score_inputs"],
                                                                               len(graded))
    assert not marker.exists(), f"a payload wrote {marker}: {marker.read_text()[:300]}"
    assert "Traceback" not in server.log_before_stop(), server.log()


def test_control_without_the_sanitiser_the_same_checks_see_the_payload(chromium, sandbox, tmp_path):
    server = _served(tmp_path / "control", sanitise=False)
    marker = server.root / "pwned.txt"
    try:
        pages = _pages(server)
        grading = visit(chromium, server, pages["manual grading"], wait_for_file=marker)
        feedback = visit(chromium, server, pages["feedback"])
        served = visit(chromium, server, pages["submitted file"])
        stolen = marker.read_text() if marker.exists() else ""
    finally:
        server.stop()
    assert grading["pwned"] and {"img", "svg", "script"} <= set(grading["pwned"]), grading["pwned"]
    assert grading["title"].startswith("PWNED"), grading["title"]
    assert "pwned" in grading["dialogs"], grading["dialogs"]
    # the attack of the review: the instructor's notebook (hidden tests) read and written out
    assert stolen, "the control's payload did not write pwned.txt through the contents API"
    assert json.loads(stolen)["content"]["metadata"]["kernelspec"], stolen[:300]
    # the feedback file is served in a sandboxed origin (CSP sandbox): script runs, but without the session
    assert feedback["pwned"], f"the feedback page ran no payload without the sanitiser: {feedback}"
    # and a submitted HTML file runs in the formgrader's own origin
    assert served["pwned"] == ["file"], served


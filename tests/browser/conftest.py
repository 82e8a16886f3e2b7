"""Fixtures for the browser tests: one JupyterLab server and one Chromium page per session.

The tests are marked ``browser``; ``make test`` runs them, ``PYTEST_ARGS='-m "not browser"'``
leaves them out. Without Chromium or Playwright they are skipped with a message saying
how to get them (and the summary repeats it) -- unless ``COURSE_REQUIRE_BROWSER=1``
(set by ``.ci/run``), where a missing browser is a failure.
"""

import json
import os
import time

import pytest

from coursetools.lab import ROOT, Lab, LabServer, browser_missing, launch_browser

ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
TIMINGS = {}  # name -> seconds, printed at the end of the session
WIDGET_MS = {}  # notebook -> median ms of one widget update in the page
_SKIPPED = []


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs the course in JupyterLab in headless Chromium "
                                       "(deselect with -m 'not browser')")


def record_time(name, seconds):
    TIMINGS[name] = round(seconds, 2)


def record_widget_ms(name, ms):
    WIDGET_MS[name] = round(ms, 1)


@pytest.fixture(scope="session")
def browser_available():
    reason = browser_missing()
    if reason:
        if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"COURSE_REQUIRE_BROWSER=1 but {reason}")
        _SKIPPED.append(reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def lab_server(browser_available, tmp_path_factory):
    """JupyterLab in a temporary copy of the course (release/, solutions/, source/)."""
    server = LabServer(tmp=tmp_path_factory.mktemp("lab"), timeout=120)
    server.start()
    record_time("server start", server.startup_seconds)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright_instance(browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = launch_browser(playwright_instance)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def lab(lab_server, browser):
    """JupyterLab loaded once in one page; each test opens and closes its notebooks."""
    lab = Lab(lab_server, browser, timeout=180)
    record_time("JupyterLab page load", lab.load())
    yield lab
    lab.close()


@pytest.fixture
def fresh_lab(lab):
    """The shared page, reloaded if an earlier test left it in a bad state."""
    try:
        ok = lab.page.evaluate("() => !!window.__course && !document.querySelector('.jp-Dialog')")
    except Exception:
        ok = False
    if not ok:
        lab.load()
    lab.page_errors.clear()
    return lab


def pytest_terminal_summary(terminalreporter):
    if _SKIPPED:
        terminalreporter.write_sep("=", "browser checks SKIPPED", yellow=True, bold=True)
        terminalreporter.write_line(_SKIPPED[0])
    if TIMINGS:
        terminalreporter.write_sep("-", "browser check timings (s)")
        for name, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{seconds:8.1f}  {name}")
        for name, ms in WIDGET_MS.items():
            terminalreporter.write_line(f"{ms:6.0f} ms  {name}: one widget update (key press -> new picture), median")
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "browser-timings.json").write_text(json.dumps(
            {"when": time.strftime("%Y-%m-%d %H:%M:%S"), "seconds": TIMINGS, "widget_update_ms": WIDGET_MS},
            indent=1) + "\n")

"""Drive the course in a real browser: JupyterLab 4 in headless Chromium via Playwright.

Used by the browser tests (``tests/browser``), the widget benchmark
(``benchmarks/bench_widgets.py``) and the README screenshots (``make screenshots``,
``scripts/screenshots.py``), all as ``coursetools.lab``. It works on this repository's
course (``ROOT``: coursetools is installed editable from ``tools/``).

* :class:`LabServer` copies ``release/`` and ``solutions/`` (plus ``nbgrader_config.py``
  and ``source/``, for the formgrader) into a temporary course root -- running a
  notebook in the browser saves its outputs into the ``.ipynb``, and the committed
  notebooks must never change -- and starts JupyterLab there on 127.0.0.1 with a random
  free port and a random token, news and update checks off, ``window.jupyterapp``
  exposed, and settings, workspaces and runtime files kept inside the temporary folder.
* :func:`launch_browser` starts Debian's ``/usr/bin/chromium`` (never a browser that
  Playwright downloads).
* :class:`Lab` loads JupyterLab in a page; :class:`Notebook` opens one notebook, waits for its kernel, runs every cell (for a
  release notebook: past the exercises, which stop "Run All" with their
  ``NotImplementedError``) and reads back what the student sees.

Everything here uses only 127.0.0.1; nothing is downloaded.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]   # tools/coursetools/lab.py -> the repository
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1280, "height": 800}
HOW_TO_GET_CHROMIUM = ("install Debian's chromium (`sudo apt-get install chromium`; .ci/run does this on CI) "
                       "and Playwright for Python (`make test` installs tests/requirements.txt), "
                       "or point COURSE_CHROMIUM at a Chromium binary")

# An interactive plot (nnlearn.widgets.interactive_plot) on the page: a VBox of controls
# above an Output widget that holds the picture.
PLOT_SELECTOR = ".jp-OutputArea-output > .jupyter-widgets.widget-vbox:has(> .widget-output)"

# A live playground (nnlearn.playground): buttons and controls above one picture (an
# ipywidgets Image) and an epoch counter.
PLAYGROUND_SELECTOR = ".jp-OutputArea-output .nnlearn-playground"

# JupyterLab user settings: no news or update prompt.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


def notebooks(kind, root=ROOT):
    """Assignments with a notebook ``<kind>/NN_name/NN_name.ipynb``, sorted (the course
    grows one notebook at a time, so the tests take whatever exists)."""
    base = Path(root) / kind
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / f"{p.name}.ipynb").is_file())


def browser_missing():
    """Why the browser checks cannot run here (a message saying how to fix it), or None."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM}: {HOW_TO_GET_CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"Playwright for Python is not installed: {HOW_TO_GET_CHROMIUM}"
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def course_env():
    """The course environment: this venv's bin/ first on PATH (kernels, nbgrader's alembic)."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("JUPYTER_PATH", None)
    return env


def make_course_copy(dest, kinds=("release", "solutions", "source")):
    """Copy the committed course into ``dest`` (a fresh folder) and return ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "nbgrader_config.py", dest / "nbgrader_config.py")
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    for kind in kinds:
        if (ROOT / kind).is_dir():
            shutil.copytree(ROOT / kind, dest / kind, ignore=ignore)
    return dest


class LabServer:
    """JupyterLab on 127.0.0.1 in a temporary copy of the course; a context manager.

    ``url(path)`` gives an address with the token; ``startup_seconds`` how long the
    server took to answer. The log is kept in ``<tmp>/jupyterlab.log``.
    """

    def __init__(self, tmp=None, timeout=90, kinds=("release", "solutions", "source"), command=None):
        self.command = command  # command(server) -> (argv, cwd) to start the server another way
        self._own_tmp = tmp is None
        self.tmp = Path(tmp or tempfile.mkdtemp(prefix="course-lab-"))
        self.timeout = timeout
        self.kinds = kinds
        self.root = self.tmp / "course"
        self.port = None
        self.token = secrets.token_hex(16)
        self.proc = None
        self.startup_seconds = None
        self.log_path = self.tmp / "jupyterlab.log"

    def lab_args(self):
        """Server options: 127.0.0.1, our port and token, no browser, no news or update
        check, and ``window.jupyterapp`` for the tests."""
        return ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]

    def url(self, path="lab"):
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}{sep}token={self.token}"

    def start(self):
        make_course_copy(self.root, self.kinds)
        settings = self.tmp / "lab-settings"
        for name, values in LAB_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = course_env()
        env.update({
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.tmp / "lab-workspaces"),
            "JUPYTER_CONFIG_DIR": str(self.tmp / "jupyter-config"),  # no user config
            "JUPYTER_DATA_DIR": str(self.tmp / "jupyter-data"),
            "JUPYTER_RUNTIME_DIR": str(self.tmp / "jupyter-runtime"),
            "PYTHONUNBUFFERED": "1",
        })
        self.port = free_port()
        if self.command:
            cmd, cwd = self.command(self)
        else:
            cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={self.root}", *self.lab_args()]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                cmd.append("--allow-root")
            cwd = self.root  # nbgrader's server extensions read nbgrader_config.py from the cwd
        t0 = time.perf_counter()
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = t0 + self.timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.perf_counter() > deadline:
                self.stop()
                raise RuntimeError(f"JupyterLab did not answer within {self.timeout} s:\n{self.log()}")
            time.sleep(0.25)
        self.startup_seconds = time.perf_counter() - t0
        return self

    def log(self, tail=6000):
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def log_before_stop(self):
        """The log up to our own SIGTERM ("received signal 15, stopping").

        What is logged after it is the shutdown we asked for: a websocket write cut short
        then (tornado's WebSocketClosedError, seen once in a fresh-clone CI run) is not
        an error of the course.
        """
        log = self.log(tail=10**7)
        cut = log.find("received signal 15, stopping")
        return log if cut < 0 else log[:cut]

    def stop(self):
        """Stop the server (and, through its process group, anything it started)."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=20)
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None
        if self._own_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def launch_browser(playwright):
    """Headless Debian Chromium through Playwright (no browser download)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


# --- JupyterLab in one browser page ---------------------------------------------------

# JavaScript helpers installed in the page once. `window.jupyterapp` is the JupyterLab
# application (--LabApp.expose_app_in_browser). Notebooks are found by their path.
_JS_HELPERS = r"""
() => {
  const app = window.jupyterapp;
  const H = {};
  H.panel = (path) => {
    for (const w of app.shell.widgets('main')) {
      if (w.context && w.context.path === path && w.content && w.sessionContext) return w;
    }
    return null;
  };
  H.state = (path) => {
    const w = H.panel(path);
    if (!w) return null;
    const k = w.sessionContext.session && w.sessionContext.session.kernel;
    return {ready: w.context.isReady && w.sessionContext.isReady, kernel: k ? k.status : null,
            cells: w.content.widgets.length, id: w.node.id, pending: !!w.sessionContext.pendingInput};
  };
  H.idle = (path) => { const s = H.state(path); return !!s && s.ready && s.kernel === 'idle' && !s.pending; };
  // Settled: no run in progress, kernel idle, no cell queued ([*]) -- for 500 ms on end.
  // (After an error the kernel is briefly idle between the replies to aborted cells.)
  H.settledSince = null;
  H.settled = (path) => {
    const w = H.panel(path);
    const queued = w && w.content.widgets.some((c) => c.model.type === 'code' && c.model.executionState === 'running');
    if (H.running || !H.idle(path) || queued) { H.settledSince = null; return false; }
    if (H.settledSince === null) H.settledSince = performance.now();
    return performance.now() - H.settledSince >= 500;
  };
  // Run the code cells from index `start` to the end (`notebook:run-all-below`), like a
  // student pressing "Run All". H.running is true until the run has finished or has
  // stopped at an error (Python waits for that with a timeout).
  H.running = false;
  H.runFrom = (path, start) => {
    const w = H.panel(path);
    app.shell.activateById(w.id);
    w.content.activeCellIndex = start;
    w.content.deselectAll();
    H.running = true;
    app.commands.execute('notebook:run-all-below').then(
      () => { H.running = false; }, (e) => { H.running = false; H.runError = String(e); });
    return true;
  };
  // Every cell as in the .ipynb, plus its execution count.
  H.cells = (path) => H.panel(path).content.widgets.map((cell, index) => {
    const m = cell.model, json = m.toJSON();
    return {index, type: m.type, nbgrader: (json.metadata || {}).nbgrader || null,
            execution_count: m.type === 'code' ? m.executionCount : null,
            source: json.source, outputs: m.type === 'code' ? json.outputs : []};
  });
  // Close without saving: the temporary copy of the course stays as it was.
  H.close = async (path) => {
    const w = H.panel(path);
    if (!w) return;
    const shutdown = w.sessionContext.shutdown().catch(() => null);  // the kernel may be gone
    await Promise.race([shutdown, new Promise((r) => setTimeout(r, 30000))]);
    w.context.model.dirty = false;
    w.dispose();
  };
  window.__course = H;
  return true;
}
"""

# What the student sees in the outputs of one notebook panel (given by its DOM id).
_JS_RENDERED = r"""
(id) => {
  const root = document.getElementById(id);
  const cells = [...root.querySelectorAll('.jp-Notebook .jp-Cell')];
  const loaded = (img) => img.complete && img.naturalWidth > 0;
  const out = {figures: [], widgets: [], widget_errors: [], validate_button: false};
  cells.forEach((cell, index) => {
    for (const img of cell.querySelectorAll('.jp-OutputArea-output.jp-RenderedImage img')) {
      if (!img.closest('.jupyter-widgets')) out.figures.push({cell: index, loaded: loaded(img)});
    }
    for (const box of cell.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets')) {
      const imgs = [...box.querySelectorAll('.widget-output img')];
      out.widgets.push({cell: index, plot: !!box.querySelector('.widget-output'), controls: box.querySelectorAll('.widget-slider, .widget-checkbox, .widget-dropdown, .widget-toggle-button').length,
                        images: imgs.length, loaded: imgs.filter(loaded).length});
    }
    for (const el of cell.querySelectorAll('.jp-OutputArea-output')) {
      const text = el.textContent || '';
      if (/Error displaying widget|Loading widget\.\.\.|Failed to render/i.test(text) && !el.querySelector('.jupyter-widgets'))
        out.widget_errors.push({cell: index, text: text.slice(0, 200)});
    }
  });
  const toolbar = root.querySelector('.jp-NotebookPanel-toolbar');
  out.validate_button = !!toolbar && [...toolbar.querySelectorAll('button, jp-button, .jp-ToolbarButtonComponent')]
      .some((b) => /^\s*Validate\s*$/.test(b.textContent || ''));
  return out;
}
"""

# Arm a timer for the next redraw of interactive plot `k` of the panel: t0 = the next
# input event (key press, click, change of a <select>), t1 = the first new picture in
# the plot's output area after it. Returns the current picture's data URL.
_JS_ARM = r"""
([id, k]) => {
  const PLOT_SELECTOR = '.jp-OutputArea-output > .jupyter-widgets.widget-vbox:has(> .widget-output)';
  const box = document.getElementById(id).querySelectorAll(PLOT_SELECTOR)[k];
  const out = box.querySelector('.widget-output');
  const old = out.querySelector('img');
  const t = window.__redraw = {t0: null, t1: null, changed: null, error: null};
  const start = () => { if (t.t0 === null) t.t0 = performance.now(); };
  for (const type of ['keydown', 'click', 'change']) box.addEventListener(type, start, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    const img = out.querySelector('img');
    if (img && img !== old && t.t0 !== null) {
      const done = () => { t.t1 = performance.now(); t.changed = !old || img.src !== old.src; };
      // the redraw is complete when the new picture is decoded and ready to paint
      (img.decode ? img.decode() : Promise.resolve()).then(done, done);
      observer.disconnect();
    } else if (!img && /failed:/.test(out.textContent || '')) {
      t.error = out.textContent.slice(0, 300); t.t1 = performance.now(); observer.disconnect();
    }
  });
  observer.observe(out, {childList: true, subtree: true, attributes: true});
  return old ? old.src.length : 0;
}
"""


# Arm a timer for the next frame of playground `k`: t0 = the next input event in it (click,
# key press, change of a <select>), t1 = its picture replaced and decoded. Also records the
# time of every new picture in `frames` (for the play loop).
_JS_ARM_PLAYGROUND = r"""
([id, k]) => {
  const box = document.getElementById(id).querySelectorAll('.nnlearn-playground')[k];
  const img = box.querySelector('img.nnlearn-playground-picture');
  const t = window.__frame = {t0: null, t1: null, changed: null, frames: [], src: img.src};
  const start = () => { if (t.t0 === null) t.t0 = performance.now(); };
  for (const type of ['keydown', 'click', 'change']) box.addEventListener(type, start, {capture: true, once: true});
  if (window.__frameObserver) window.__frameObserver.disconnect();
  const observer = window.__frameObserver = new MutationObserver(() => {
    if (img.src === t.src) return;
    const src = t.src = img.src;
    const done = () => {
      const now = performance.now();
      t.frames.push(now);
      if (t.t1 === null && t.t0 !== null) { t.t1 = now; t.changed = true; }
    };
    (img.decode ? img.decode() : Promise.resolve()).then(done, done);
  });
  observer.observe(img, {attributes: true, attributeFilter: ['src']});
  return true;
}
"""


class Lab:
    """JupyterLab loaded once in a browser page; notebooks are opened and closed in it."""

    def __init__(self, server, browser, timeout=180):
        self.server = server
        self.timeout_ms = timeout * 1000
        self.context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
        self.page = self.context.new_page()
        self.page.set_default_timeout(self.timeout_ms)
        self.page_errors = []
        self.page.on("pageerror", lambda err: self.page_errors.append(str(err)))
        self.load_seconds = None

    def load(self, path="lab"):
        """Load JupyterLab (an empty workspace); return seconds until it is usable."""
        t0 = time.perf_counter()
        sep = "&" if "?" in path else "?"
        self.page.goto(self.server.url(f"{path}{sep}reset"), wait_until="domcontentloaded")
        self.page.wait_for_function("() => !!(window.jupyterapp && window.jupyterapp.shell "
                                    "&& window.jupyterapp.commands.hasCommand('docmanager:open'))", polling=200)
        self.page.wait_for_selector("#jp-main-dock-panel")
        self.page.evaluate(_JS_HELPERS)
        self.load_seconds = time.perf_counter() - t0
        return self.load_seconds

    def open(self, relpath):
        """Open a notebook (relative to the course root), wait until its kernel is idle."""
        return Notebook(self, relpath).open()

    def close(self):
        self.context.close()


class Notebook:
    """One notebook open in a :class:`Lab` page."""

    def __init__(self, lab, relpath):
        self.lab = lab
        self.page = lab.page
        self.path = relpath
        self.timings = {}
        self.id = None

    def _state(self):
        return self.page.evaluate("(p) => window.__course.state(p)", self.path)

    def open(self):
        t0 = time.perf_counter()
        self.page.evaluate("(p) => { window.jupyterapp.commands.execute('docmanager:open', {path: p}); }", self.path)
        self.page.wait_for_function("(p) => window.__course.idle(p)", arg=self.path, polling=200)
        self.id = self._state()["id"]
        self.page.wait_for_selector(f"#{self.id} .jp-Notebook .jp-Cell")
        self.timings["open"] = time.perf_counter() - t0
        return self

    @property
    def locator(self):
        return self.page.locator(f"#{self.id}")

    def wait_idle(self):
        self.page.wait_for_function("(p) => window.__course.idle(p)", arg=self.path, polling=200)

    def run_all(self, past_errors=False):
        """Run every code cell ("Run All"). With ``past_errors``, a run stopped by an error
        goes on from the first cell that did not run, until every cell has run (as a
        student does after each exercise). Returns seconds."""
        t0 = time.perf_counter()
        start = 0
        for _ in range(1000):
            self.wait_idle()
            self.page.evaluate("([p, i]) => window.__course.runFrom(p, i)", [self.path, start])
            self.page.wait_for_function("(p) => window.__course.settled(p)", arg=self.path, polling=100)
            if not past_errors:
                break
            # Resume at the first cell that did not run. Not after the last one that did:
            # ipykernel aborts only the requests already queued when a cell fails
            # (stop_on_error_timeout = 0), so under load a few later cells can run out of
            # order; they are run again, in order, by the next round.
            pending = [c["index"] for c in self.cells() if c["type"] == "code" and c["execution_count"] is None]
            if not pending:
                break
            start = pending[0]
        self.timings["run"] = time.perf_counter() - t0
        return self.timings["run"]

    def cells(self):
        return self.page.evaluate("(p) => window.__course.cells(p)", self.path)

    def rendered(self):
        """Figures, widgets and the Validate button as they appear on the page."""
        return self.page.evaluate(_JS_RENDERED, self.id)

    def interactive_plots(self):
        """Locators of the interactive plots (controls above a picture), in page order."""
        boxes = self.locator.locator(PLOT_SELECTOR)
        return [boxes.nth(k) for k in range(boxes.count())]

    def controls(self, plot):
        """The controls of one interactive plot: (kind, name, locator) for each.

        A digit pad (``nnlearn.widgets.digit_pad``) has 64 toggle buttons that all do the
        same: three of them (the first, one in the middle, the last) stand for the rest.
        """
        found = []
        items = plot.locator(":scope > .widget-slider, :scope > .widget-checkbox, :scope > .widget-dropdown")
        for i in range(items.count()):
            item = items.nth(i)
            classes = item.get_attribute("class") or ""
            name = item.evaluate("""e => [...e.querySelectorAll('.widget-label, .widget-label-basic')]
                .map((l) => l.textContent.replace(/\u200b/g, '').trim()).find((t) => t) || ''""")
            kind = "slider" if "widget-slider" in classes else "checkbox" if "widget-checkbox" in classes else "dropdown"
            found.append((kind, name, item))
        toggles = plot.locator(".widget-toggle-button")
        n = toggles.count()
        for i in sorted({0, n // 2, n - 1}) if n else []:
            found.append(("toggle", toggles.nth(i).get_attribute("title") or f"toggle {i}", toggles.nth(i)))
        return found

    def move_control(self, plot_index, kind, control, direction=1, timeout=60):
        """Change one control as a student would (arrow key on a slider, click on a
        checkbox or a toggle button, another option in a drop-down); wait for the redrawn
        picture.

        Returns a dict: ms (input event -> new picture decoded in the page), changed
        (whether the picture differs), error (a draw error shown instead), value."""
        self.page.evaluate(_JS_ARM, [self.id, plot_index])
        if kind == "slider":
            handle = control.locator(".noUi-handle").first
            now = float(handle.get_attribute("aria-valuenow"))
            lo = float(handle.get_attribute("aria-valuemin"))
            hi = float(handle.get_attribute("aria-valuemax"))
            if now >= hi:
                direction = -1
            elif now <= lo:
                direction = 1
            handle.press("ArrowRight" if direction > 0 else "ArrowLeft")
            value = lambda: handle.get_attribute("aria-valuenow")  # noqa: E731
        elif kind == "checkbox":
            box = control.locator("input[type=checkbox]")
            box.click()
            value = lambda: box.is_checked()  # noqa: E731
        elif kind == "toggle":
            control.click()
            value = lambda: "mod-active" in (control.get_attribute("class") or "")  # noqa: E731
        else:
            select = control.locator("select")
            options = select.locator("option").all_text_contents()
            current = select.evaluate("s => s.selectedIndex")
            select.select_option(index=(current + 1) % len(options))
            value = lambda: select.evaluate("s => s.value")  # noqa: E731
        self.page.wait_for_function("() => window.__redraw.t1 !== null", polling="raf", timeout=timeout * 1000)
        result = self.page.evaluate("() => window.__redraw")
        return {"ms": result["t1"] - result["t0"], "changed": result["changed"], "error": result["error"],
                "value": value()}

    # --- a live playground (nnlearn.playground) ------------------------------------------

    def playgrounds(self):
        """Locators of the playgrounds, in page order."""
        boxes = self.locator.locator(PLAYGROUND_SELECTOR)
        return [boxes.nth(k) for k in range(boxes.count())]

    @staticmethod
    def playground_epoch(box):
        """The epoch counter of a playground, as shown."""
        text = box.locator(".nnlearn-playground-status").inner_text()
        return int(text.split("epoch", 1)[1].split()[0])

    def playground_action(self, k, act, timeout=60):
        """Do ``act()`` (a click, a key press, a choice) in playground ``k`` and wait for its
        next picture. Returns ms from the input event to the new picture decoded."""
        self.page.evaluate(_JS_ARM_PLAYGROUND, [self.id, k])
        act()
        self.page.wait_for_function("() => window.__frame.t1 !== null", polling="raf", timeout=timeout * 1000)
        frame = self.page.evaluate("() => window.__frame")
        return frame["t1"] - frame["t0"]

    def playground_play(self, k, seconds=3.0):
        """Press play in playground ``k`` for ``seconds``, then pause. Returns the times (ms)
        between successive pictures while playing, and the epochs it advanced."""
        box = self.playgrounds()[k]
        play_pause = box.locator(".widget-play button").first
        before = self.playground_epoch(box)
        self.page.evaluate(_JS_ARM_PLAYGROUND, [self.id, k])
        play_pause.click()                      # play
        self.page.wait_for_timeout(seconds * 1000)
        play_pause.click()                      # pause
        self.page.wait_for_timeout(500)
        self.wait_idle()
        frames = self.page.evaluate("() => window.__frame.frames")
        return [b - a for a, b in zip(frames, frames[1:])], self.playground_epoch(box) - before

    def scroll_to(self, locator, block="end"):
        locator.evaluate(f"e => e.scrollIntoView({{block: '{block}'}})")
        self.page.wait_for_timeout(300)  # let the page settle (content-visibility paints)

    def screenshot(self, path):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path))
        return path

    def close(self):
        """Shut the kernel down and close the notebook without saving."""
        self.page.evaluate("(p) => window.__course.close(p)", self.path)

"""Widget benchmark: how long one update of each interactive control takes.

Every solution notebook is run, then every control of every interactive plot
(``nnlearn.widgets.interactive_plot``) is changed ``--repeats`` times, a step at a time
(up and down alternately; the next option of a drop-down; a checkbox toggled), and the
median time of one update is printed, measured two ways:

* **in the browser** -- what the student feels: JupyterLab 4 in headless Chromium
  (``coursetools.lab``, the harness of the browser tests), from the key press (or click, or choice) to the new picture
  decoded in the page: the widget message to the kernel, the redraw, the PNG back
  over the websocket, the Output widget re-rendered;
* **in-process** -- the kernel's share: setting ``control.value`` in the notebook's own
  kernel (nbclient, no frontend) until ``InteractivePlot.redraw`` has returned, split into
  ``draw(ax, ...)`` and the figure's rendering to PNG (``savefig``).

The live playground of 05 (``nnlearn.playground``) is measured the same two ways, per
frame: a click on *step* (one frame of training steps and the new picture), a change of
the data set, of the hidden units, of the learning rate and of the noise (a new picture;
data and hidden units also start a new network), and, in the browser, the time between
pictures while *play* runs (the play loop's frame time; its ticks come every 100 ms).

Goal (issue 6): one update <= 100 ms (issue 14: a playground frame <= 100 ms). This prints figures; it asserts nothing.
Numpy's BLAS is pinned to one thread in the kernels (printed); the machine's load
average is printed too, since other processes inflate every figure.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_widgets.py [--quick]
[--no-browser] [01 04 ...]``. The browser part needs Debian's chromium and Playwright
(tests/requirements.txt); without them only the in-process figures are printed.
"""

import os

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from coursetools.lab import Lab, LabServer, browser_missing, course_env, launch_browser, make_course_copy, notebooks  # noqa: E402

# Prepended to each solution notebook: remember the interactive plots in the order
# they are made (the order they appear in the notebook).
_RECORD_PLOTS = r'''
import nnlearn.widgets as _nnlearn_widgets
__bench_plots = []
_bench_init = _nnlearn_widgets.InteractivePlot.__init__
def _bench_record(self, *args, **kwargs):
    _bench_init(self, *args, **kwargs)
    __bench_plots.append(self)
_nnlearn_widgets.InteractivePlot.__init__ = _bench_record
try:
    import nnlearn.playground as _nnlearn_playground
except ImportError:
    _nnlearn_playground = None
__bench_playgrounds = []
if _nnlearn_playground is not None:
    _bench_pg_init = _nnlearn_playground.Playground.__init__
    def _bench_pg_record(self, *args, **kwargs):
        _bench_pg_init(self, *args, **kwargs)
        __bench_playgrounds.append(self)
    _nnlearn_playground.Playground.__init__ = _bench_pg_record
'''

# Appended to each solution notebook and run in its kernel after all its cells.
_IN_KERNEL = r'''
import io as _io, json as _json, math as _math, statistics as _st, time as _time
import ipywidgets as _w

def _next_value(c, i):
    """The value one arrow-key step (or one option, or one click) away."""
    if isinstance(c, _w.Checkbox):
        return not c.value
    if isinstance(c, (_w.Dropdown, _w.Select, _w.RadioButtons, _w.ToggleButtons)):
        return c.options[(c.index + 1) % len(c.options)] if not isinstance(c.options[0], tuple) else \
            c.options[(c.index + 1) % len(c.options)][1]
    if isinstance(c, _w.FloatLogSlider):
        e = _math.log(c.value, c.base)
        e = e + c.step if (i % 2 == 0 and e + c.step <= c.max + 1e-9) or e - c.step < c.min - 1e-9 else e - c.step
        return c.base ** e
    up = (i % 2 == 0 and c.value + c.step <= c.max) or c.value - c.step < c.min
    return c.value + c.step if up else c.value - c.step

_result = []
for _k, _p in enumerate(__bench_plots):
    _render = []
    for _ in range(__REPEATS__):
        _t0 = _time.perf_counter(); _p.figure.savefig(_io.BytesIO(), format="png")
        _render.append(_time.perf_counter() - _t0)
    for _name, _c in _p.controls.items():
        _times = []
        for _i in range(__REPEATS__):
            _v = _next_value(_c, _i)
            _n = _p.n_draws
            _t0 = _time.perf_counter(); _c.value = _v; _t1 = _time.perf_counter()
            if _p.n_draws == _n + 1:
                _times.append(_t1 - _t0)
        _result.append({"plot": _k + 1, "control": _name, "ms": [1000 * t for t in _times],
                        "render_ms": 1000 * _st.median(_render)})
for _k, _pg in enumerate(__bench_playgrounds):
    def _timed(action):
        _t0 = _time.perf_counter(); action(); return 1000 * (_time.perf_counter() - _t0)
    _rows = {"step": [_timed(_pg.step) for _ in range(__REPEATS__)]}
    for _name in ("dataset", "hidden", "lr", "noise"):
        _c = _pg.controls[_name]
        _rows[_name] = [_timed(lambda: setattr(_c, "value", _next_value(_c, _i))) for _i in range(__REPEATS__)]
    for _name, _ms in _rows.items():
        _result.append({"plot": "playground %d" % (_k + 1), "control": _name, "ms": _ms, "render_ms": None})
print("BENCH_JSON " + _json.dumps(_result))
'''


def in_process(course, assignment, repeats):
    """{(plot number, control name) -> (median ms, median ms of the PNG rendering)},
    measured in the notebook's own kernel."""
    path = course / "solutions" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(_RECORD_PLOTS))
    nb.cells.append(nbformat.v4.new_code_cell(_IN_KERNEL.replace("__REPEATS__", str(repeats))))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute(env=course_env())
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    line = next((ln for ln in text.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"{assignment}: the timing cell printed no result: {text[:500]!r}")
    rows = json.loads(line[len("BENCH_JSON "):])
    return {(r["plot"], r["control"]): (statistics.median(r["ms"]) if r["ms"] else None, r["render_ms"])
            for r in rows}


def in_browser(assignments, repeats, log):
    """{(assignment, plot number, control name) -> median ms} from JupyterLab in Chromium."""
    from playwright.sync_api import sync_playwright

    results = {}
    with LabServer(kinds=("solutions",), timeout=120) as server, sync_playwright() as pw:
        log(f"JupyterLab started in {server.startup_seconds:.1f} s")
        browser = launch_browser(pw)
        lab = Lab(server, browser)
        lab.load()
        for assignment in assignments:
            nb = lab.open(f"solutions/{assignment}/{assignment}.ipynb")
            nb.run_all()
            for k, plot in enumerate(nb.interactive_plots()):
                for kind, name, control in nb.controls(plot):
                    times = []
                    for i in range(repeats):
                        r = nb.move_control(k, kind, control, direction=1 if i % 2 == 0 else -1)
                        if not r["error"]:
                            times.append(r["ms"])
                    results[(assignment, k + 1, name)] = statistics.median(times) if times else None
            results.update(playground_in_browser(nb, assignment, repeats))
            log(f"{assignment}: opened in {nb.timings['open']:.1f} s, ran in {nb.timings['run']:.1f} s")
            nb.close()
        lab.close()
        browser.close()
    return results


def playground_in_browser(nb, assignment, repeats):
    """{(assignment, "playground k", control) -> median ms} for each live playground: a click
    on step, a change of four controls, and the play loop's time between pictures."""
    results = {}
    for k, box in enumerate(nb.playgrounds()):
        plot = f"playground {k + 1}"
        nb.scroll_to(box, block="center")
        step = box.locator("button", has_text="step")
        results[(assignment, plot, "step")] = statistics.median(
            nb.playground_action(k, step.click) for _ in range(repeats))
        selects = box.locator(".widget-dropdown select")
        sliders = box.locator(".widget-slider")
        dataset, lr = selects.nth(0), selects.nth(1)
        hidden, noise = sliders.nth(0).locator(".noUi-handle").first, sliders.nth(1).locator(".noUi-handle").first

        def choose(select, i):
            n = select.locator("option").count()
            return lambda: select.select_option(index=(select.evaluate("s => s.selectedIndex") + 1 + i % 2) % n)

        def press(handle, i):
            return lambda: handle.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")

        for name, make in (("dataset", lambda i: choose(dataset, i)), ("hidden", lambda i: press(hidden, i)),
                           ("lr", lambda i: choose(lr, i)), ("noise", lambda i: press(noise, i))):
            results[(assignment, plot, name)] = statistics.median(
                nb.playground_action(k, make(i)) for i in range(repeats))
        intervals, epochs = nb.playground_play(k, seconds=4.0)
        results[(assignment, plot, "play")] = statistics.median(intervals) if intervals else None
        results[(assignment, plot, "play epochs/s")] = epochs / 4.0
    return results


def fmt(ms):
    return "      -" if ms is None else f"{ms:7.0f}"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Time one update of every interactive control.")
    parser.add_argument("--repeats", type=int, default=9, help="changes per control (default 9)")
    parser.add_argument("--quick", action="store_true", help="3 changes per control")
    parser.add_argument("--no-browser", action="store_true", help="in-process figures only")
    parser.add_argument("only", nargs="*", help="assignment prefixes, e.g. 01 04 (default: all)")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else args.repeats
    assignments = [a for a in notebooks("solutions") if not args.only or any(a.startswith(p) for p in args.only)]
    if not assignments:
        raise SystemExit("no solution notebook to measure")
    log = lambda message: print(f"  {message}", flush=True)  # noqa: E731

    print(f"widget updates: median of {repeats} changes per control; goal <= 100 ms per update")
    print(f"BLAS threads in the kernels: {os.environ['OPENBLAS_NUM_THREADS']}; "
          f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    t0 = time.perf_counter()
    kernel = {}
    with tempfile.TemporaryDirectory(prefix="bench-widgets-") as tmp:
        course = make_course_copy(Path(tmp) / "course", kinds=("solutions",))
        for assignment in assignments:
            for (plot, control), value in in_process(course, assignment, repeats).items():
                kernel[(assignment, plot, control)] = value
            log(f"{assignment}: in-process done")

    browser = {}
    reason = "--no-browser" if args.no_browser else browser_missing()
    if reason:
        print(f"in-browser figures skipped: {reason}")
    else:
        browser = in_browser(assignments, repeats, log)

    keys = list(dict.fromkeys([*kernel, *browser]))  # notebook order
    print()
    print(f"{'notebook':28s} {'plot':>4s}  {'control':10s} {'browser':>8s} {'kernel':>7s} {'= draw':>7s} {'+ png':>6s}   (ms)")
    for key in keys:
        assignment, plot, control = key
        total, render = kernel.get(key, (None, None))
        draw = None if total is None or render is None else max(total - render, 0.0)
        if isinstance(plot, str):   # a playground: frames, not redraws of a matplotlib figure
            continue
        print(f"{assignment:28s} {plot:4d}  {control[:10]:10s} {fmt(browser.get(key)):>8s} {fmt(total)} "
              f"{fmt(draw)} {fmt(render)[1:]}")
    frames = [key for key in keys if isinstance(key[1], str)]
    if frames:
        print()
        print(f"{'notebook':28s} {'playground':12s} {'frame on':14s} {'browser':>8s} {'kernel':>7s}   (ms)")
        for key in frames:
            assignment, plot, control = key
            if control == "play epochs/s":
                continue
            print(f"{assignment:28s} {plot:12s} {control:14s} {fmt(browser.get(key)):>8s} "
                  f"{fmt(kernel.get(key, (None, None))[0])}")
            if control == "play" and (assignment, plot, "play epochs/s") in browser:
                print(f"{'':28s} {'':12s} (play: median time between pictures; "
                      f"{browser[(assignment, plot, 'play epochs/s')]:.0f} epochs per second)")
    print()
    plots_only = lambda d: {k: v for k, v in d.items() if not isinstance(k[1], str)}  # noqa: E731
    for label, values in (("in the browser", [v for v in plots_only(browser).values() if v is not None]),
                          ("in the kernel", [v[0] for v in plots_only(kernel).values() if v[0] is not None])):
        if values:
            within = sum(v <= 100 for v in values)
            print(f"{label:15s}: median {statistics.median(values):6.0f} ms, max {max(values):6.0f} ms over "
                  f"{len(values)} controls; {within}/{len(values)} within 100 ms")
    print(f"load average at end: {os.getloadavg()[0]:.1f}; benchmark took {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()

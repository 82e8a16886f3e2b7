"""How long each solution notebook takes to run, top to bottom (goal: <= 10 s each).

Each ``solutions/<a>/<a>.ipynb`` is executed ``--repeats`` times in a fresh kernel
(nbclient, like nbval and the grader; the notebooks take turns, so that a drift in the
machine's speed falls on all of them alike), and the median and range of the seconds spent
executing its cells are printed -- the kernel's start-up (about 1 s) is left out, since
a student pays it once, not per notebook run. The slowest cells of each notebook are
listed, to show where the time goes.

It prints the load average first. A busy machine (load above its core count) inflates
every figure: then it says so and prints the figures as indicative only. Record a
figure only from a quiet machine, with its load.

    .venv/bin/python benchmarks/bench_notebooks.py                  # all six, 3 runs each
    .venv/bin/python benchmarks/bench_notebooks.py 05_backprop --repeats 5
    .venv/bin/python benchmarks/bench_notebooks.py --quick          # one run each
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
GOAL = 10.0


def run_once(path):
    """(seconds executing the cells, [(seconds, cell index, first line)]) for one run in a fresh kernel."""
    notebook = nbformat.read(str(path), as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    cells = []
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            start = time.perf_counter()
            client.execute_cell(cell, index)
            first = cell.source.splitlines()[0] if cell.source else ""
            cells.append((time.perf_counter() - start, index + 1, first[:60]))
    return sum(s for s, _, _ in cells), cells


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", help="default: every solution notebook")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run each (to check that the script works)")
    parser.add_argument("--slowest", type=int, default=3, help="how many of the slowest cells to list")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats = 1
    names = args.assignments or sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir())
    load = os.getloadavg()
    busy = load[0] > (os.cpu_count() or 1)
    print(f"load average (1, 5, 15 min) at the start: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} "
          f"on {os.cpu_count()} CPUs" + ("  -- BUSY: the figures below are indicative only, do not record them"
                                         if busy else ""))
    print(f"\n{'notebook':<30}{'median s':>10}{'min':>8}{'max':>8}   goal <= {GOAL:.0f} s")
    over = []
    paths = {name: ROOT / "solutions" / name / f"{name}.ipynb" for name in names}
    for name, path in paths.items():
        if not path.is_file():
            sys.exit(f"{name}: no solution notebook at {path} (run `make generate`)")
    # Round robin (every notebook once, then every notebook again, ...): the speed of a shared
    # machine drifts over minutes, and this way the drift falls on every notebook alike.
    all_runs = {name: [] for name in names}
    for _ in range(args.repeats):
        for name, path in paths.items():
            all_runs[name].append(run_once(path))
    for name in names:
        runs = all_runs[name]
        seconds = [total for total, _ in runs]
        median = statistics.median(seconds)
        print(f"{name:<30}{median:>10.1f}{min(seconds):>8.1f}{max(seconds):>8.1f}"
              + ("" if median <= GOAL else "   over the goal"))
        typical = min(range(len(runs)), key=lambda k: abs(seconds[k] - median))   # the run nearest the median
        slowest = sorted(runs[typical][1], reverse=True)[:args.slowest]
        print("    slowest cells: " + "; ".join(f"cell {i} {s:.1f} s ({first!r})" for s, i, first in slowest))
        if median > GOAL:
            over.append(name)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print("all within the goal" if not over else f"over the goal: {', '.join(over)}")
    return 0          # a benchmark prints figures; it does not fail a `make bench` run


if __name__ == "__main__":
    sys.exit(main())

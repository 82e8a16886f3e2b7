"""Regenerate the README screenshots in docs/screenshots/ (``make screenshots``).

Starts JupyterLab on a temporary copy of the course in headless Chromium (the same
harness as the browser tests: ``coursetools.lab``, installed from tools/; nothing is
imported from tests/), runs every solution notebook and
saves one 1280x800 picture per notebook, scrolled to its headline interactive plot
(``ANCHORS``: a piece of the cell's source; the first interactive plot when the anchor
is not found), plus ``00_jupyterlab.png``: what ``make course`` shows -- the release
folder in the file browser and the first notebook open. The PNGs are reduced to 256
colours so that they stay small in the repository.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [01 02 ...]
"""

import argparse
from pathlib import Path

from coursetools.lab import Lab, LabServer, browser_missing, launch_browser, notebooks

ROOT = Path(__file__).resolve().parents[1]

# The cell whose output each README picture shows (a piece of its source).
ANCHORS = {
    "01_function_approximation": "interactive_plot(draw_bumps",
    "02_neurons_and_activations": "interactive_plot(draw_neuron",
    "03_loss": "interactive_plot(draw_line_fit",
    "04_gradient_descent": "interactive_plot(draw_descent",
    "05_backprop": "interactive_plot(draw_training",
    "06_cat_vs_dog": "interactive_plot(draw_prediction",
    "07_generalisation": "digit_pad(classify_drawing",
}

# More pictures of a notebook: {assignment: {file stem: anchor}}.
EXTRA = {
    "05_backprop": {"05_playground": "playground(two_layer_loss"},
}


def _train_playground(nb, epochs=300):
    """Press play in the first playground until its epoch counter reaches ``epochs``, then pause."""
    box = nb.playgrounds()[0]
    play_pause = box.locator(".widget-play button").first
    play_pause.click()
    for _ in range(600):
        if nb.playground_epoch(box) >= epochs:
            break
        nb.page.wait_for_timeout(100)
    play_pause.click()
    nb.page.wait_for_timeout(500)
    nb.wait_idle()


# Done before a picture is taken (after scrolling to it): {file stem: action(notebook)}.
PREPARE = {"05_playground": _train_playground}

# Scroll the cell's last output to the bottom of the notebook area, so the picture and
# as much as fits of the cell above it are in view.
_JS_SCROLL_TO_CELL = r"""
async ([id, index]) => {
  const cell = document.getElementById(id).querySelectorAll('.jp-Notebook .jp-Cell')[index];
  const scroller = cell.closest('.jp-WindowedPanel-outer') || cell.closest('.jp-Notebook');
  const outputs = cell.querySelectorAll('.jp-OutputArea-child');
  const target = outputs.length ? outputs[outputs.length - 1] : cell;
  // cells off screen have estimated heights until painted: repeat until nothing moves
  for (let i = 0; i < 20; i++) {
    target.scrollIntoView({block: 'end'});
    await new Promise((r) => setTimeout(r, 150));
    const delta = target.getBoundingClientRect().bottom + 12 - scroller.getBoundingClientRect().bottom;
    if (Math.abs(delta) < 2) return i;
    scroller.scrollTop += delta;
    await new Promise((r) => setTimeout(r, 150));
  }
  return -1;
}
"""


def save_small_png(page, path):
    """Screenshot the page into ``path`` as a 256-colour PNG."""
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(page.screenshot())).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
    return path


def anchor_cell(cells, assignment, anchor=None):
    """Index of the cell to show: its anchor, else the first interactive plot, else the
    first figure, else the top."""
    anchor = anchor or ANCHORS.get(assignment)
    if anchor:
        for cell in cells:
            if anchor in "".join(cell["source"]):
                return cell["index"], anchor
    for mime in ("application/vnd.jupyter.widget-view+json", "image/png"):
        for cell in cells:
            if any(mime in o.get("data", {}) for o in cell["outputs"]):
                return cell["index"], f"first output with {mime}"
    return 0, "top"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("only", nargs="*", help="assignment prefixes, e.g. 01 04 (default: all)")
    args = parser.parse_args(argv)
    reason = browser_missing()
    if reason:
        raise SystemExit(f"cannot take screenshots: {reason}")
    chosen = [a for a in notebooks("solutions") if not args.only or any(a.startswith(p) for p in args.only)]
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with LabServer(kinds=("release", "solutions"), timeout=120) as server, sync_playwright() as pw:
        browser = launch_browser(pw)
        lab = Lab(server, browser)
        if not args.only:
            # what `make course` shows: the release folder, the first notebook open
            lab.load("lab/tree/release")
            first = notebooks("release")[0]
            nb = lab.open(f"release/{first}/{first}.ipynb")
            lab.page.wait_for_timeout(500)
            print(save_small_png(lab.page, args.out / "00_jupyterlab.png"))
            nb.close()
        lab.load()
        lab.page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
        for assignment in chosen:
            nb = lab.open(f"solutions/{assignment}/{assignment}.ipynb")
            nb.run_all()
            lab.page.wait_for_function("(id) => [...document.getElementById(id).querySelectorAll('img')]"
                                       ".every((img) => img.complete)", arg=nb.id)
            lab.page.evaluate("() => { for (const w of [...window.jupyterapp.shell.widgets('main')])"
                              " if (!w.context) w.close(); }")  # e.g. the Launcher
            cells = nb.cells()
            for stem, anchor in {assignment: ANCHORS.get(assignment), **EXTRA.get(assignment, {})}.items():
                index, why = anchor_cell(cells, assignment, anchor)
                if why != anchor:
                    print(f"  {stem}: anchor {anchor!r} not found, showing the {why}")
                lab.page.evaluate(_JS_SCROLL_TO_CELL, [nb.id, index])
                if stem in PREPARE:
                    PREPARE[stem](nb)
                    lab.page.evaluate(_JS_SCROLL_TO_CELL, [nb.id, index])
                lab.page.mouse.move(5, 795)  # no hover effects on the picture
                lab.page.wait_for_timeout(600)
                print(save_small_png(lab.page, args.out / f"{stem}.png"))
            nb.close()
        lab.close()
        browser.close()


if __name__ == "__main__":
    main()

"""05's live playground (nnlearn.playground) in JupyterLab: it renders, a click on *step*
trains one frame (the epoch counter moves, the picture changes), a control starts a new
network, and play / pause runs and stops the training."""

import statistics
import time

import pytest

from .conftest import SCREENSHOTS, record_time, record_widget_ms

pytestmark = pytest.mark.browser

NOTEBOOK = "solutions/05_backprop/05_backprop.ipynb"


def test_playground_steps_and_plays(fresh_lab):
    t0 = time.perf_counter()
    nb = fresh_lab.open(NOTEBOOK)
    try:
        nb.run_all()
        boxes = nb.playgrounds()
        assert len(boxes) == 1, f"{NOTEBOOK}: {len(boxes)} playgrounds on the page, expected 1"
        box = boxes[0]
        nb.scroll_to(box, block="center")
        picture = box.locator("img.nnlearn-playground-picture")
        assert picture.evaluate("img => img.complete && img.naturalWidth > 500"), "the picture did not load"
        assert nb.playground_epoch(box) == 0, "the playground should start untrained"

        step = box.locator("button", has_text="step")
        times = []
        for k in range(3):
            before = picture.get_attribute("src")
            times.append(nb.playground_action(0, step.click))
            assert nb.playground_epoch(box) == 5 * (k + 1), "a click on step runs one frame of 5 steps"
            assert picture.get_attribute("src") != before
        record_widget_ms("05_backprop playground step", statistics.median(times))

        select = box.locator(".widget-dropdown select").first        # the data set
        nb.playground_action(0, lambda: select.select_option("circles"))
        assert nb.playground_epoch(box) == 0, "a new data set starts a new network"

        intervals, epochs = nb.playground_play(0, seconds=2.0)
        assert epochs >= 10, f"play ran only {epochs} epochs in 2 s"
        settled = nb.playground_epoch(box)
        fresh_lab.page.wait_for_timeout(600)
        assert nb.playground_epoch(box) == settled, "pause did not stop the training"
        nb.screenshot(SCREENSHOTS / "solutions" / "05_playground.png")
        assert not fresh_lab.page_errors, f"JavaScript errors in the page: {fresh_lab.page_errors}"
    finally:
        nb.close()
        record_time(f"{NOTEBOOK} playground", time.perf_counter() - t0)

"""interactive_plot: builds controls, draws at once, redraws on change, leaks no figures."""

import base64

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nnlearn.widgets import InteractivePlot, interactive_plot, static_plot  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    plt.close("all")
    yield
    plt.close("all")


def make_draw():
    calls = []

    def draw(ax, w=1.0, n=2, show_points=False, kind="line"):
        calls.append({"w": w, "n": n, "show_points": show_points, "kind": kind})
        x = np.linspace(-1, 1, 50)
        ax.plot(x, w * x**n)

    return draw, calls


def _png_of(plot):
    (output,) = plot.output.outputs
    return base64.b64decode(output["data"]["image/png"])


def test_draws_immediately_and_redraws_on_change():
    draw, calls = make_draw()
    figs_before = len(plt.get_fignums())
    plot = interactive_plot(draw, w=(-2.0, 2.0, 0.1, 0.5), n=(1, 5, 1, 3))
    assert isinstance(plot, InteractivePlot) and isinstance(plot, widgets.VBox)
    assert calls == [{"w": 0.5, "n": 3, "show_points": False, "kind": "line"}]
    assert isinstance(plot.controls["w"], widgets.FloatSlider)
    assert isinstance(plot.controls["n"], widgets.IntSlider)
    assert plot.output in plot.children
    first_png = _png_of(plot)
    assert first_png.startswith(b"\x89PNG")

    for value in (1.5, -1.0, 0.7, 2.0, -2.0):
        plot.controls["w"].value = value
        assert calls[-1]["w"] == pytest.approx(value)
    plot.controls["n"].value = 4
    assert calls[-1] == {"w": pytest.approx(-2.0), "n": 4, "show_points": False, "kind": "line"}
    assert plot.n_draws == len(calls) == 7
    assert _png_of(plot) != first_png
    assert len(plt.get_fignums()) == figs_before, "redraws must not open new pyplot figures"
    assert len(plot.figure.axes) == 1, "the figure is cleared before each redraw"


def test_other_controls_and_values():
    draw, calls = make_draw()
    slider = widgets.FloatLogSlider(value=0.1, min=-3, max=0)
    plot = interactive_plot(draw, w=slider, show_points=True, kind=["line", "dots"])
    assert plot.controls["w"] is slider and slider.description == "w"
    assert isinstance(plot.controls["show_points"], widgets.Checkbox)
    assert isinstance(plot.controls["kind"], widgets.Dropdown)
    assert plot.values == {"w": 0.1, "show_points": True, "kind": "line"}
    plot.controls["kind"].value = "dots"
    assert calls[-1]["kind"] == "dots"


def test_draw_with_pyplot_does_not_leak_figures():
    def draw(ax, a=1.0):
        plt.figure()  # a careless draw function opening pyplot figures
        ax.plot([0, 1], [0, a])

    before = len(plt.get_fignums())
    plot = interactive_plot(draw, a=(0.0, 1.0, 0.1, 0.5))
    for v in (0.1, 0.2, 0.3):
        plot.controls["a"].value = v
    assert len(plt.get_fignums()) == before


def test_error_in_redraw_is_shown_not_raised():
    def draw(ax, a=1.0):
        if a > 0.5:
            raise ValueError("a is too large")
        ax.plot([0, 1], [0, a])

    plot = interactive_plot(draw, a=(0.0, 1.0, 0.1, 0.2))
    plot.controls["a"].value = 0.9
    (output,) = plot.output.outputs
    assert output["output_type"] == "stream" and "a is too large" in output["text"]
    plot.controls["a"].value = 0.3  # recovers
    assert "image/png" in plot.output.outputs[0]["data"]


def test_error_in_first_draw_raises():
    def draw(ax, a=1.0):
        raise RuntimeError("broken draw")

    with pytest.raises(RuntimeError, match="broken draw"):
        interactive_plot(draw, a=(0.0, 1.0, 0.1, 0.2))


def test_static_fallback_in_display_data():
    draw, _ = make_draw()
    plot = interactive_plot(draw, w=(0.0, 1.0, 0.1, 0.5))
    bundle = plot._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert bundle["text/plain"] == "InteractivePlot(w=0.5)"


def test_static_plot_and_static_flag():
    draw, calls = make_draw()
    fig = static_plot(draw, w=(0.0, 1.0, 0.1, 0.3), n=3)
    assert isinstance(fig, Figure) and len(fig.axes) == 1 and len(fig.axes[0].lines) == 1
    assert calls[-1]["w"] == 0.3 and calls[-1]["n"] == 3
    fig2 = interactive_plot(draw, static=True, w=(0.0, 1.0, 0.1, 0.4))
    assert isinstance(fig2, Figure) and calls[-1]["w"] == 0.4


@pytest.mark.parametrize("spec, error, match", [
    ((0.0, 1.0, 0.1), ValueError, r"tuple \(min, max, step, initial\)"),
    ((1.0, 0.0, 0.1, 0.5), ValueError, "min < max"),
    ((0.0, 1.0, 0.0, 0.5), ValueError, "positive step"),
    ((0.0, 1.0, 0.1, 2.0), ValueError, "outside"),
    ((0.0, np.inf, 0.1, 0.5), ValueError, "NaN or infinite"),
    ("fast", TypeError, "must be a tuple"),
    ([], ValueError, "empty list"),
])
def test_bad_controls(spec, error, match):
    draw, _ = make_draw()
    with pytest.raises(error, match=match):
        interactive_plot(draw, w=spec)


def test_bad_draw_and_no_controls():
    with pytest.raises(TypeError, match="draw must be a function"):
        interactive_plot("draw", w=(0.0, 1.0, 0.1, 0.5))
    draw, _ = make_draw()
    with pytest.raises(ValueError, match="at least one control"):
        interactive_plot(draw)


def test_layout_found_once_is_reused_and_redone_when_the_axes_change():
    def draw(ax, level):
        mesh = ax.imshow(np.full((4, 4), level), vmin=0, vmax=1)
        if level > 0.5:
            ax.figure.colorbar(mesh, ax=ax)
        ax.set_title(f"level {level:.1f}")

    plot = interactive_plot(draw, level=(0.0, 1.0, 0.1, 0.2))
    first = [tuple(ax.get_position().bounds) for ax in plot.figure.axes]
    plot.controls["level"].value = 0.3
    assert [tuple(ax.get_position().bounds) for ax in plot.figure.axes] == first
    plot.controls["level"].value = 0.9  # a colorbar appears: laid out afresh
    assert len(plot.figure.axes) == 2
    assert plot.figure.axes[0].get_position().x1 < plot.figure.axes[1].get_position().x0
    plot.controls["level"].value = 0.8  # same axes again: positions reused
    assert len(plot.figure.axes) == 2 and plot._png


# --- the digit pad ------------------------------------------------------------------------

def _recording_classifier(calls):
    def classify(image):
        calls.append(np.array(image))
        proba = np.full(10, 0.05)
        proba[int(image.sum() // 16) % 10] = 0.55
        return proba
    return classify


def test_digit_pad_classifies_the_drawing_at_every_click():
    from nnlearn.widgets import digit_pad

    calls = []
    start = np.zeros((8, 8))
    start[2, 3], start[5, 5], start[6, 6] = 16, 9, 7          # 7 is below half-dark: not drawn
    pad = digit_pad(_recording_classifier(calls), start=start)
    assert pad.n_draws == 1 and len(calls) == 1, "the pad must draw once when made"
    expected = np.zeros((8, 8))
    expected[2, 3] = expected[5, 5] = 16
    np.testing.assert_array_equal(calls[0], expected, err_msg="classify must get the drawing, 0/16, row by row")
    np.testing.assert_array_equal(pad.image, expected)
    pad.controls["p9"].value = True                             # row 1, column 1
    assert pad.n_draws == 2 and calls[-1][1, 1] == 16 and calls[-1].sum() == 48
    pad.clear()
    assert pad.n_draws == 3 and not calls[-1].any(), "Clear must wipe everything with one redraw"
    bundle = pad._repr_mimebundle_()
    assert "image/png" in bundle, "without a widget frontend the pad must still show its chart"


def test_digit_pad_says_what_is_wrong():
    from nnlearn.widgets import digit_pad

    with pytest.raises(TypeError, match="classify must be a function"):
        digit_pad("not a function")
    with pytest.raises(ValueError, match=r"8 x 8 image, got shape \(4, 4\)"):
        digit_pad(lambda image: np.full(10, 0.1), start=np.zeros((4, 4)))


def test_digit_pad_shows_ink_dark():
    from nnlearn.widgets import digit_pad

    start = np.zeros((8, 8))
    start[0, 0] = 16
    pad = digit_pad(lambda image: np.full(10, 0.1), start=start)
    assert pad.controls["p0"].button_style == "primary" and pad.controls["p1"].button_style == ""
    pad.controls["p1"].value = True
    assert pad.controls["p1"].button_style == "primary"
    pad.clear()
    assert all(toggle.button_style == "" for toggle in pad.controls.values())

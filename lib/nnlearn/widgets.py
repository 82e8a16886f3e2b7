"""One small helper for every interactive figure in the notebooks.

Write a function that draws one picture for one set of values::

    def draw(ax, w=1.0, b=0.0):
        x = np.linspace(-3, 3, 200)
        ax.plot(x, sigmoid(w * x + b))
        ax.set_ylim(-0.1, 1.1)

and get sliders that redraw it::

    interactive_plot(draw, w=(-10, 10, 0.1, 1.0), b=(-5, 5, 0.1, 0.0))

Each slider is a tuple ``(min, max, step, initial)``; ints give an integer
slider. A ``bool`` gives a checkbox, a ``list`` a drop-down menu, and any
ipywidgets widget is used as it is.

How it works, and why
---------------------
* One matplotlib :class:`~matplotlib.figure.Figure` is created per
  interactive plot and reused for every redraw: the figure is cleared,
  ``draw(ax, **values)`` draws on a fresh Axes, and the picture is rendered to a
  PNG shown in an :class:`ipywidgets.Output` below the controls. The figure is
  not registered with ``pyplot``, so moving a slider never opens a new figure
  (no "More than 20 figures" warning, no memory growth), and Jupyter's inline
  backend does not show it a second time at the end of the cell. This works the
  same with every matplotlib backend, without ``ipympl``.
* ``draw`` must draw on the ``ax`` it is given (``ax.plot``, not ``plt.plot``).
  Any pyplot figure it opens anyway is closed after the draw.
* The first picture is drawn immediately, so an error in ``draw`` shows up when
  the cell runs. Later errors (a slider value that breaks ``draw``) are shown in
  the output area instead of the plot; the controls stay usable.
* **Without a widget frontend** (nbval, nbconvert, a notebook viewed on GitHub
  or nbviewer, a kernel that is gone) sliders cannot be shown. Rather than
  guessing whether a frontend is present -- there is no reliable way to know
  from the kernel -- the returned widget carries a plain PNG of the current
  picture in its display data next to the widget view. Frontends that can show
  widgets show the live controls; everything else falls back to the static
  picture. So an executed notebook always contains the plot.
* :func:`static_plot` (or ``interactive_plot(..., static=True)``) draws the
  same picture for the initial values as an ordinary matplotlib figure with no
  widgets at all -- for scripts, tests and printed handouts.

``interactive_plot`` *returns* the widget without displaying it: put the call
on the last line of the cell, or pass the result to ``display()``. (Displaying it
inside as well would show it twice when it is the last line.)
"""

import base64
import io
import math
import numbers

import ipywidgets as widgets
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

__all__ = ["interactive_plot", "static_plot", "InteractivePlot", "digit_pad", "DigitPad"]


def _make_control(name, spec):
    """A widget for one keyword argument of :func:`interactive_plot`."""
    if isinstance(spec, widgets.ValueWidget):
        if not getattr(spec, "description", ""):
            spec.description = name
        return spec
    if isinstance(spec, bool):
        return widgets.Checkbox(value=spec, description=name)
    if isinstance(spec, list):
        if not spec:
            raise ValueError(f"the options for {name!r} are an empty list")
        return widgets.Dropdown(options=spec, value=spec[0], description=name)
    if isinstance(spec, tuple):
        if len(spec) != 4 or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in spec):
            raise ValueError(f"slider {name!r} must be a tuple (min, max, step, initial) of numbers, got {spec!r}")
        lo, hi, step, init = spec
        if not all(math.isfinite(v) for v in spec):
            raise ValueError(f"slider {name!r} has a NaN or infinite setting: {spec!r}")
        if not lo < hi:
            raise ValueError(f"slider {name!r} needs min < max, got min={lo}, max={hi}")
        if not step > 0:
            raise ValueError(f"slider {name!r} needs a positive step, got {step}")
        if not lo <= init <= hi:
            raise ValueError(f"slider {name!r} starts at {init}, outside [{lo}, {hi}]")
        style = {"description_width": "initial"}
        layout = widgets.Layout(width="420px")
        if all(isinstance(v, numbers.Integral) for v in spec):
            return widgets.IntSlider(min=lo, max=hi, step=step, value=init, description=name, style=style, layout=layout)
        decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
        return widgets.FloatSlider(min=lo, max=hi, step=step, value=init, description=name,
                                   readout_format=f".{min(decimals, 6)}f", style=style, layout=layout)
    raise TypeError(
        f"control {name!r} must be a tuple (min, max, step, initial), a bool, a list of options "
        f"or an ipywidgets widget, got {type(spec).__name__}"
    )


def _initial_value(name, spec):
    """The value a control starts at (a plain value is its own initial value)."""
    if isinstance(spec, widgets.ValueWidget):
        return spec.value
    if isinstance(spec, tuple) or isinstance(spec, list):
        return _make_control(name, spec).value
    return spec


def _check_draw(draw):
    if not callable(draw):
        raise TypeError(f"draw must be a function draw(ax, **values), got {type(draw).__name__}")


class InteractivePlot(widgets.VBox):
    """Controls above a picture that ``draw(ax, **values)`` redraws on every change.

    Made by :func:`interactive_plot`. Useful attributes:

    controls : dict of str -> widget
        One control per keyword; set ``controls["w"].value = 2.0`` to move a slider
        from code.
    output : ipywidgets.Output
        Where the picture (or an error message) appears.
    figure : matplotlib.figure.Figure
        The one figure reused for every redraw.
    values : dict
        The current value of every control.
    n_draws : int
        How many times ``draw`` has been called.
    """

    def __init__(self, draw, controls, figsize=(6, 4)):
        _check_draw(draw)
        self.draw_function = draw
        self.controls = dict(controls)
        self.output = widgets.Output()
        self.figure = Figure(figsize=figsize, layout="constrained")
        self.n_draws = 0
        self._png = None
        self._positions = None  # axes positions from the first (constrained) layout
        super().__init__(children=[*self.controls.values(), self.output])
        self.redraw()  # errors in the first draw surface when the cell runs
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    @property
    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def _draw_once(self, layout):
        before = set(plt.get_fignums())
        try:
            self.figure.set_layout_engine(layout)
            self.figure.clear()
            ax = self.figure.add_subplot()
            self.n_draws += 1
            self.draw_function(ax, **self.values)
        finally:
            for num in set(plt.get_fignums()) - before:  # figures draw() opened with pyplot
                plt.close(num)

    def redraw(self):
        """Clear the figure, call ``draw(ax, **values)`` and show the new picture.

        Speed: matplotlib's constrained layout costs about a third of a redraw. The first
        picture is laid out with it; later ones reuse the positions it found for the same
        axes (a slider rarely changes what fits where), and only a redraw that makes a
        different number of axes (e.g. a colorbar appearing) is laid out afresh.
        """
        if self._positions is None:
            self._draw_once("constrained")
        else:
            self._draw_once("none")
            if len(self.figure.axes) == len(self._positions):
                for ax, position in zip(self.figure.axes, self._positions):
                    ax.set_position(position)
            else:
                self._draw_once("constrained")
                self._positions = None
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        if self._positions is None:
            self._positions = [ax.get_position() for ax in self.figure.axes]
        self._png = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.output.outputs = (
            {"output_type": "display_data", "metadata": {},
             "data": {"image/png": self._png, "text/plain": f"<plot for {self._values_text()}>"}},
        )

    def _on_change(self, change):
        try:
            self.redraw()
        except Exception as err:  # keep the widget alive and tell the user what went wrong
            self.output.outputs = (
                {"output_type": "stream", "name": "stderr",
                 "text": f"draw({self._values_text()}) failed: {type(err).__name__}: {err}\n"},
            )

    def _values_text(self):
        return ", ".join(f"{k}={v!r}" for k, v in self.values.items())

    def _repr_mimebundle_(self, **kwargs):
        # the live widget where widgets work, the current picture everywhere else
        data = super()._repr_mimebundle_(**kwargs)
        if data is not None and self._png is not None:
            data["image/png"] = self._png
        return data

    def __repr__(self):
        return f"InteractivePlot({self._values_text()})"


def interactive_plot(draw, *, figsize=(6, 4), static=False, **controls):
    """Build controls that redraw ``draw(ax, **values)`` whenever a value changes.

    Parameters
    ----------
    draw : callable
        ``draw(ax, **values)`` draws one picture on the matplotlib Axes ``ax``; it
        receives one keyword argument per control.
    figsize : (float, float)
        Figure size in inches.
    static : bool
        If true, skip the widgets and return :func:`static_plot` for the initial
        values: an ordinary matplotlib Figure.
    **controls
        One per parameter of ``draw``: ``(min, max, step, initial)`` for a slider
        (integer slider if all four are ints), a ``bool`` for a checkbox, a
        ``list`` of options for a drop-down (first option selected), or an
        ipywidgets widget (e.g. ``widgets.FloatLogSlider(...)``).

    Returns
    -------
    InteractivePlot (an ipywidgets.VBox) or, with ``static=True``, a matplotlib Figure
        Display it (last line of the cell, or ``display(...)``). See the module
        docstring for how it degrades without a widget frontend.

    Example
    -------
    >>> def draw(ax, lr=0.1, steps=10):                             # doctest: +SKIP
    ...     ax.plot(run_gradient_descent(lr, steps))
    >>> interactive_plot(draw, lr=(0.01, 1.0, 0.01, 0.1), steps=(1, 50, 1, 10))  # doctest: +SKIP
    """
    _check_draw(draw)
    if not controls:
        raise ValueError("interactive_plot needs at least one control, e.g. w=(-5, 5, 0.1, 1.0)")
    if static:
        return static_plot(draw, figsize=figsize, **controls)
    built = {name: _make_control(name, spec) for name, spec in controls.items()}
    return InteractivePlot(draw, built, figsize=figsize)


def static_plot(draw, *, figsize=(6, 4), **values):
    """Draw ``draw(ax, **values)`` once on an ordinary matplotlib figure and return it.

    ``values`` may be plain values or the same control specifications as for
    :func:`interactive_plot` (then their initial values are used), so
    ``static_plot(draw, **sliders)`` shows what ``interactive_plot(draw,
    **sliders)`` starts with.

    Returns
    -------
    matplotlib Figure
        A pyplot figure: in Jupyter it appears at the end of the cell.
    """
    _check_draw(draw)
    plain = {name: _initial_value(name, spec) for name, spec in values.items()}
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    draw(ax, **plain)
    return fig


# --- a drawing pad for 8 x 8 digits ------------------------------------------------------

PAD_SIZE = 8          # the digits of nnlearn.datasets.load_digits are 8 x 8
PAD_INK = 16          # their darkest value (0 is blank paper)


class DigitPad(InteractivePlot):
    """An 8 x 8 grid of toggle buttons to draw a digit on, next to the ten probabilities
    that ``classify`` gives the drawing, redrawn at every click. Made by :func:`digit_pad`.

    Like every :class:`InteractivePlot` it carries a PNG of its current picture, so
    without a widget frontend (nbval, nbconvert) the notebook shows the bar chart.
    """

    def __init__(self, classify, start=None, figsize=(4.5, 2.6)):
        if not callable(classify):
            raise TypeError(f"classify must be a function of an 8 x 8 image, got {type(classify).__name__}")
        on = np.zeros((PAD_SIZE, PAD_SIZE), bool) if start is None else _ink(start)
        self.classify = classify
        toggles = {f"p{i}": widgets.ToggleButton(value=bool(on.flat[i]), tooltip=f"row {i // PAD_SIZE}, "
                                                 f"column {i % PAD_SIZE}",
                                                 layout=widgets.Layout(width="26px", height="26px", padding="0"))
                   for i in range(PAD_SIZE * PAD_SIZE)}
        for toggle in toggles.values():      # ink is dark blue, paper light grey
            toggle.button_style = "primary" if toggle.value else ""
            toggle.observe(_ink_style, names="value")
        super().__init__(self._draw, toggles, figsize=figsize)
        self.clear_button = widgets.Button(description="Clear", layout=widgets.Layout(width="80px"))
        self.clear_button.on_click(lambda _: self.clear())
        grid = widgets.GridBox(list(toggles.values()), layout=widgets.Layout(
            grid_template_columns=f"repeat({PAD_SIZE}, 26px)", grid_gap="1px"))
        # the drawing above the chart, as every interactive plot has its controls above its picture
        self.children = [widgets.HBox([grid, self.clear_button]), self.output]

    @property
    def image(self):
        """The drawing as an 8 x 8 array of 0 (paper) and 16 (ink), as in load_digits."""
        return _drawing(self.values)

    def clear(self):
        """Wipe the drawing (one redraw, not 64)."""
        for control in self.controls.values():
            control.unobserve(self._on_change, names="value")
            control.value = False
            control.observe(self._on_change, names="value")
        self._on_change(None)

    def _draw(self, ax, **values):
        image = _drawing(values)
        proba = np.asarray(self.classify(image), dtype=float).ravel()
        best = int(np.argmax(proba))
        colours = ["tab:orange" if k == best else "tab:blue" for k in range(len(proba))]
        ax.bar(range(len(proba)), proba, color=colours)
        ax.set_xticks(range(len(proba)))
        ax.set_ylim(0, 1)
        ax.set_xlabel("digit")
        ax.set_ylabel("probability")
        ax.set_title("blank: draw a digit" if not image.any() else f"the network says {best} ({proba[best]:.0%})")


def _ink_style(change):
    change["owner"].button_style = "primary" if change["new"] else ""


def _drawing(values):
    """The 8 x 8 image (0 or 16) of the toggles' values p0 .. p63, row by row."""
    return PAD_INK * np.array([values[f"p{i}"] for i in range(PAD_SIZE * PAD_SIZE)], dtype=float).reshape(
        PAD_SIZE, PAD_SIZE)


def _ink(image):
    """Which pixels of an 8 x 8 image (0..16, as in load_digits) are drawn: at least half-dark."""
    image = np.asarray(image, dtype=float)
    if image.shape != (PAD_SIZE, PAD_SIZE):
        raise ValueError(f"start must be an {PAD_SIZE} x {PAD_SIZE} image, got shape {image.shape}")
    return image >= PAD_INK / 2


def digit_pad(classify, start=None, figsize=(4.5, 2.6)):
    """A pad to draw a digit on, classified live.

    Parameters
    ----------
    classify : callable
        ``classify(image)`` gets the drawing as an 8 x 8 float array with 0 for paper and
        16 for ink (the scale of :func:`nnlearn.datasets.load_digits`) and returns the
        ten class probabilities.
    start : array (8, 8), optional
        A digit to start from (its pixels of at least 8 are drawn), e.g. a test image.
    figsize : (float, float)
        Size of the bar chart, in inches.

    Returns
    -------
    DigitPad
        Put it on the last line of a cell. Clicking a square inks or wipes it.
    """
    return DigitPad(classify, start=start, figsize=figsize)

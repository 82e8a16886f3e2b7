"""A playground that trains *your* two-layer network live (after TensorFlow Playground).

::

    playground(two_layer_loss, train_step, init_two_layer, train_step_l2=train_step_l2)

Press play and your ``train_step`` trains your ``two_layer_loss`` network on moons,
circles, XOR or spirals, a few full-batch gradient-descent steps per frame. Each frame
shows one small map per hidden unit (its tanh activation over the plane: orange -1,
white 0, blue +1), the output (the probability of the blue class, the decision boundary
as a dark line, the training points with a white rim and the validation points with a
black rim) and the training and validation loss so far. The controls change the data
set, the number of hidden units, the learning rate, the L2 strength ``lam`` (through
your ``train_step_l2``), the noise and the fraction of the points used for training (the
rest is the validation set). Changing the data or the hidden units starts a new network
from the same seed; the learning rate and ``lam`` apply from the next step on.

How it works, and why
---------------------
* Speed: one frame is drawn with numpy and Pillow, not matplotlib: the network is
  evaluated on a fixed grid of the plane (recomputed only when the data change), its
  activations are coloured through a lookup table into one RGB picture, and that
  picture goes to the browser as one PNG in an :class:`ipywidgets.Image`. A frame costs
  the kernel a few milliseconds plus the student's training steps.
* Playing: an :class:`ipywidgets.Play` ticks every ``interval`` ms; each tick runs
  ``steps_per_frame`` steps and redraws. If the kernel falls behind, ticks that arrive
  right after a frame are dropped, so a pause takes effect at once.
* Without a widget frontend (nbval, nbconvert, a notebook on GitHub) the playground
  shows a static picture, as :class:`nnlearn.widgets.InteractivePlot` does: its display
  data carry, next to the widget view, a PNG of the network trained for
  ``static_steps`` steps from the seeded start (computed when it is made, so a mistake
  in the student's functions surfaces when the cell runs). ``static=True`` returns
  that picture alone (a PIL image).
"""

import base64
import contextlib
import io
import math
import numbers
import time

import ipywidgets as widgets
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .datasets import make_circles, make_moons, make_spirals, make_xor
from .plotting import not_yet

__all__ = ["playground", "Playground", "DATASETS"]

def _two_class_spirals(n_samples, noise, seed):
    """Four interleaved arms of :func:`make_spirals`, alternate arms one class: a hard problem."""
    X, y = make_spirals(n_samples, n_classes=4, noise=noise, seed=seed)
    return X, y % 2


DATASETS = {
    "moons": make_moons,
    "circles": make_circles,
    "XOR": make_xor,
    "spirals": _two_class_spirals,
}
LEARNING_RATES = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
LAMS = [0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1]
MAX_HIDDEN = 8

# colours (TensorFlow Playground's): class 0 / negative orange, class 1 / positive blue
_ORANGE = np.array([245, 147, 34], float)
_BLUE = np.array([8, 119, 189], float)
_WHITE = np.array([255, 255, 255], float)


def _lut(strength):
    """256 RGB colours for values -1 .. 1: orange, white, blue (``strength`` < 1: paler)."""
    t = np.linspace(-1, 1, 256)[:, None]
    colour = np.where(t < 0, _ORANGE, _BLUE)
    return np.round(_WHITE + strength * np.abs(t) * (colour - _WHITE)).astype(np.uint8)


_UNIT_LUT = _lut(1.0)
_OUTPUT_LUT = _lut(0.75)
_GRID = 80          # the network is evaluated on _GRID x _GRID points of the plane
_UNIT_PX = 72       # size of one hidden unit's map
_OUT_PX = 320       # size of the output map
_CURVE = (280, 170)  # size of the loss plot


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:       # Pillow < 10.1: one bitmap size
        return ImageFont.load_default()


_FONT = _font(14)
_SMALL = _font(12)


# --- arguments ------------------------------------------------------------------------------

def _check_callable(value, name, signature):
    if not callable(value):
        raise TypeError(f"{name} must be your function {signature}, got {type(value).__name__} {value!r}")


def _check_number(value, name, low, high=math.inf, low_open=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise TypeError(f"{name} must be a finite number, got {value!r}")
    if value < low or (low_open and value == low) or value > high:
        opening = "(" if low_open else "["
        raise ValueError(f"{name} must be in {opening}{low}, {high}], got {value}")
    return float(value)


def _check_int(value, name, low, high=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < low or (high is not None and value > high):
        raise ValueError(f"{name} must be between {low} and {high if high is not None else 'any'}, got {value}")
    return int(value)


def _default_init(n_in, n_hidden, n_classes, seed=0):
    """Weights scaled by 1 / sqrt(fan-in), zero biases (as notebook 05's init_two_layer)."""
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(scale=1 / np.sqrt(n_in), size=(n_hidden, n_in)), "b1": np.zeros(n_hidden),
            "W2": rng.normal(scale=1 / np.sqrt(n_hidden), size=(n_classes, n_hidden)), "b2": np.zeros(n_classes)}


def _not_yet_text(*names, to):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        not_yet(*names, to=to)
    return buffer.getvalue().strip()


# --- one training run: data, network, history -----------------------------------------------

class _Run:
    """The data, the network and its loss history for one setting of the controls."""

    def __init__(self, fns, settings):
        self.fns = fns
        self.settings = dict(settings)
        self.new_data()

    def new_data(self):
        s = self.settings
        X, y = DATASETS[s["dataset"]](s["n_samples"], noise=s["noise"], seed=s["seed"])
        n_train = min(max(1, round(s["train_fraction"] * len(y))), len(y) - 1)
        self.X_train, self.y_train = X[:n_train], y[:n_train]     # the generators shuffle
        self.X_val, self.y_val = X[n_train:], y[n_train:]
        low, high = X.min(axis=0), X.max(axis=0)
        centre, half = (low + high) / 2, 0.55 * (high - low).max() + 0.1
        self.extent = (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)
        xs = np.linspace(self.extent[0], self.extent[1], _GRID)
        ys = np.linspace(self.extent[3], self.extent[2], _GRID)   # top row first
        gx, gy = np.meshgrid(xs, ys)
        self.grid = np.column_stack([gx.ravel(), gy.ravel()])
        self.new_network()

    def new_network(self):
        s = self.settings
        params = self.fns["init_params"](2, s["n_hidden"], 2, seed=s["seed"])
        if not isinstance(params, dict) or set(params) != {"W1", "b1", "W2", "b2"}:
            got = sorted(params) if isinstance(params, dict) else params
            raise ValueError("init_params(2, n_hidden, 2, seed=...) must return a dict with the keys "
                             f"'W1', 'b1', 'W2', 'b2', got {got!r}")
        self.params = {k: np.array(v, dtype=float) for k, v in params.items()}
        if self.params["W1"].shape != (s["n_hidden"], 2) or self.params["W2"].shape != (2, s["n_hidden"]):
            raise ValueError(f"init_params(2, {s['n_hidden']}, 2) returned W1 of shape {self.params['W1'].shape} "
                             f"and W2 of shape {self.params['W2'].shape}; expected ({s['n_hidden']}, 2) and "
                             f"(2, {s['n_hidden']})")
        self.epoch = 0
        self.history = []     # (epoch, training loss, validation loss)
        self.diverged = False
        self.record()

    def losses(self):
        loss_fn = self.fns["loss_fn"]
        with np.errstate(all="ignore"):
            return float(loss_fn(self.params, self.X_train, self.y_train)[0]), \
                float(loss_fn(self.params, self.X_val, self.y_val)[0])

    def record(self):
        if all(np.isfinite(v).all() for v in self.params.values()):
            train, val = self.losses()
        else:                       # weights blown up: a loss of them means nothing
            train = val = float("nan")
        self.history.append((self.epoch, train, val))
        self.diverged = not (math.isfinite(train) and math.isfinite(val))

    def step(self, n):
        """``n`` gradient-descent steps on the training set, then the losses are noted."""
        lam, lr = self.settings["lam"], self.settings["lr"]
        with np.errstate(all="ignore"):
            for _ in range(n):
                if lam > 0:
                    self.fns["train_step_l2"](self.fns["loss_fn"], self.params, self.X_train, self.y_train, lr, lam)
                else:
                    self.fns["train_step"](self.fns["loss_fn"], self.params, self.X_train, self.y_train, lr)
                self.epoch += 1
        self.record()

    def forward(self, X):
        """Hidden activations (N, H) and the probability of class 1 (N,)."""
        p = self.params
        with np.errstate(all="ignore"):
            hidden = np.tanh(X @ p["W1"].T + p["b1"])
            scores = hidden @ p["W2"].T + p["b2"]
            margin = np.clip(scores[:, 1] - scores[:, 0], -50, 50)
            return hidden, 1 / (1 + np.exp(-margin))

    def accuracy(self, X, y):
        return float(np.mean((self.forward(X)[1] > 0.5) == y)) if len(y) else float("nan")

    # --- the picture ---------------------------------------------------------------------

    def picture(self, note=""):
        """One RGB picture: the hidden units' maps, the output with the points, the losses."""
        s = self.settings
        hidden, proba = self.forward(self.grid)
        hidden = np.nan_to_num(hidden)
        proba = np.nan_to_num(proba, nan=0.5)
        n_hidden = hidden.shape[1]
        pad, title_h = 10, 20
        width = pad + 2 * (_UNIT_PX + 8) + pad + _OUT_PX + 2 * pad + 44 + _CURVE[0] + 2 * pad
        height = title_h + max(4 * (_UNIT_PX + 18), _OUT_PX + 16) + pad
        img = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(img)

        # hidden units: two columns of up to four maps
        draw.text((pad, 2), f"{n_hidden} hidden unit{'s' if n_hidden > 1 else ''} (tanh)", fill="black", font=_FONT)
        with np.errstate(all="ignore"):
            out_weight = self.params["W2"][1] - self.params["W2"][0]
        for j in range(n_hidden):
            x0 = pad + (j % 2) * (_UNIT_PX + 8)
            y0 = title_h + (j // 2) * (_UNIT_PX + 18)
            codes = np.clip(np.round((hidden[:, j] + 1) * 127.5), 0, 255).astype(np.uint8).reshape(_GRID, _GRID)
            unit = Image.fromarray(_UNIT_LUT[codes]).resize((_UNIT_PX, _UNIT_PX), Image.BILINEAR)
            img.paste(unit, (x0, y0))
            draw.rectangle([x0 - 1, y0 - 1, x0 + _UNIT_PX, y0 + _UNIT_PX], outline=(170, 170, 170))
            w = out_weight[j]
            draw.text((x0, y0 + _UNIT_PX + 1), f"{j + 1}: w {w:+.1f}" if math.isfinite(w) else f"{j + 1}",
                      fill="black", font=_SMALL)

        # the output: probability of class 1, the boundary, the points
        ox = pad + 2 * (_UNIT_PX + 8) + pad
        oy = title_h
        draw.text((ox, 2), f"output: {s['dataset']}, epoch {self.epoch}", fill="black", font=_FONT)
        field = Image.fromarray(proba.reshape(_GRID, _GRID).astype(np.float32), mode="F").resize(
            (_OUT_PX, _OUT_PX), Image.BILINEAR)
        p = np.asarray(field)
        codes = np.clip(np.round(p * 255), 0, 255).astype(np.uint8)
        rgb = _OUTPUT_LUT[codes]
        above = p > 0.5
        edge = np.zeros_like(above)
        edge[:-1, :] |= above[:-1, :] != above[1:, :]
        edge[:, :-1] |= above[:, :-1] != above[:, 1:]
        rgb[edge] = (60, 60, 60)
        img.paste(Image.fromarray(rgb), (ox, oy))
        draw.rectangle([ox - 1, oy - 1, ox + _OUT_PX, oy + _OUT_PX], outline=(120, 120, 120))
        x_lo, x_hi, y_lo, y_hi = self.extent

        def to_px(X):
            return (ox + (X[:, 0] - x_lo) / (x_hi - x_lo) * _OUT_PX, oy + (y_hi - X[:, 1]) / (y_hi - y_lo) * _OUT_PX)

        for X, y, rim in ((self.X_train, self.y_train, "white"), (self.X_val, self.y_val, "black")):
            px, py = to_px(X)
            for u, v, label in zip(px, py, y):
                draw.ellipse([u - 3.5, v - 3.5, u + 3.5, v + 3.5], fill=tuple(int(c) for c in
                             (_BLUE if label == 1 else _ORANGE)), outline=rim)

        # the loss curves
        cx = ox + _OUT_PX + 2 * pad + 44
        cy = title_h + 8
        cw, ch = _CURVE
        epochs = np.array([h[0] for h in self.history], float)
        train = np.array([h[1] for h in self.history], float)
        val = np.array([h[2] for h in self.history], float)
        finite = np.concatenate([train[np.isfinite(train)], val[np.isfinite(val)]])
        top = float(min(max(finite.max() if finite.size else 1.0, 0.8), 3.0))
        draw.text((cx - 44, 2), "loss", fill="black", font=_FONT)
        draw.rectangle([cx, cy, cx + cw, cy + ch], outline=(120, 120, 120))
        for value in (0.0, top / 2, top):
            yy = cy + ch - value / top * ch
            draw.line([cx - 3, yy, cx, yy], fill=(120, 120, 120))
            draw.text((cx - 40, yy - 7), f"{value:.2f}", fill="black", font=_SMALL)
        last = max(self.epoch, 1)
        draw.text((cx, cy + ch + 3), "0", fill="black", font=_SMALL)
        draw.text((cx + cw - 36, cy + ch + 3), f"{last}", fill="black", font=_SMALL)
        draw.text((cx + cw // 2 - 15, cy + ch + 3), "epoch", fill="black", font=_SMALL)
        for values, colour in ((train, (40, 40, 40)), (val, (214, 39, 40))):
            ys = np.clip(np.nan_to_num(values, nan=top, posinf=top), 0, top)
            points = list(zip((cx + epochs / last * cw).tolist(), (cy + ch - ys / top * ch).tolist()))
            if len(points) == 1:
                points = points * 2
            draw.line(points, fill=colour, width=2)
        ty = cy + ch + 24
        train_loss, val_loss = train[-1], val[-1]
        lines = [("training loss", f"{train_loss:.3f}", (40, 40, 40)),
                 ("validation loss", f"{val_loss:.3f}", (214, 39, 40)),
                 ("training accuracy", f"{self.accuracy(self.X_train, self.y_train):.2f}", "black"),
                 ("validation accuracy", f"{self.accuracy(self.X_val, self.y_val):.2f}", "black")]
        for k, (label, value, colour) in enumerate(lines):
            draw.text((cx, ty + 18 * k), f"{label}: {value}", fill=colour, font=_FONT)
        settings = (f"lr {s['lr']:g}, L2 lam {s['lam']:g}, noise {s['noise']:g}, "
                    f"{len(self.y_train)} train / {len(self.y_val)} validation")
        draw.text((cx, ty + 18 * len(lines) + 4), settings, fill=(90, 90, 90), font=_SMALL)
        if self.diverged:
            note = "the loss is not a number any more: lower the learning rate, press reset"
        if note:
            draw.text((cx, ty + 18 * len(lines) + 22), note, fill=(200, 0, 0), font=_SMALL)
        return img


def _png(picture):
    buffer = io.BytesIO()
    picture.save(buffer, format="png", compress_level=1, compress_type=3)   # fast: zlib level 1, run-length
    return buffer.getvalue()


# --- the widget -----------------------------------------------------------------------------

class Playground(widgets.VBox):
    """Play / pause / step buttons and controls above a live picture of the network.

    Made by :func:`playground`. Useful attributes and methods:

    controls : dict of str -> widget
        ``dataset``, ``hidden``, ``lr``, ``lam``, ``noise``, ``train_fraction``, ``seed``;
        set ``controls["hidden"].value = 2`` to change one from code.
    play : ipywidgets.Play
        Its ticks run the frames; ``step_button``, ``reset_button``: the other buttons.
    step(n_frames=1) : run ``n_frames`` frames (``steps_per_frame`` steps each) now.
    reset() : a new network from the seed (same data).
    epoch, history, params : the run so far; ``frame_ms``: the kernel's time of each frame.
    image : ipywidgets.Image showing the picture; ``status`` : the epoch counter line.
    """

    def __init__(self, fns, settings, steps_per_frame=5, interval=100, static_steps=300):
        self.fns = fns
        self.steps_per_frame = steps_per_frame
        self.static_steps = static_steps
        self.frame_ms = []
        self._last_frame_end = 0.0
        self._error = ""

        # the static picture first: errors in the student's functions surface when the cell runs
        self._run = _Run(fns, settings)
        static = _Run(fns, settings)
        for _ in range(static_steps // steps_per_frame):
            static.step(steps_per_frame)
        if static_steps % steps_per_frame:
            static.step(static_steps % steps_per_frame)
        self.static_picture = static.picture(note=f"static picture: {static_steps} steps from the seeded start")
        self._static_png = base64.b64encode(_png(self.static_picture)).decode("ascii")

        style = {"description_width": "initial"}
        lr_options = sorted({*LEARNING_RATES, settings["lr"]})
        lam_options = sorted({*LAMS, settings["lam"]})
        self.controls = {
            "dataset": widgets.Dropdown(options=list(DATASETS), value=settings["dataset"], description="data",
                                        layout=widgets.Layout(width="170px"), style=style),
            "hidden": widgets.IntSlider(value=settings["n_hidden"], min=1, max=MAX_HIDDEN, description="hidden units",
                                        layout=widgets.Layout(width="260px"), style=style),
            "lr": widgets.Dropdown(options=[(f"{v:g}", v) for v in lr_options], value=settings["lr"],
                                   description="learning rate", layout=widgets.Layout(width="190px"), style=style),
            "lam": widgets.Dropdown(options=[(f"{v:g}", v) for v in lam_options], value=settings["lam"],
                                    description="L2 lam", layout=widgets.Layout(width="160px"), style=style,
                                    disabled=fns["train_step_l2"] is None),
            "noise": widgets.FloatSlider(value=settings["noise"], min=0.0, max=0.5, step=0.05, description="noise",
                                         readout_format=".2f", layout=widgets.Layout(width="260px"), style=style),
            "train_fraction": widgets.FloatSlider(value=settings["train_fraction"], min=0.1, max=0.9, step=0.1,
                                                  description="training fraction", readout_format=".1f",
                                                  layout=widgets.Layout(width="300px"), style=style),
            "seed": widgets.BoundedIntText(value=settings["seed"], min=0, max=10**6, description="seed",
                                           layout=widgets.Layout(width="130px"), style=style),
        }
        if fns["train_step_l2"] is None:
            self.controls["lam"].tooltip = "pass train_step_l2=... to use weight decay"
        self.play = widgets.Play(value=0, min=0, max=10**9, step=1, interval=interval, show_repeat=False,
                                 description="play / pause", tooltip="play / pause")
        self.step_button = widgets.Button(description="step", icon="step-forward", tooltip="one frame",
                                          layout=widgets.Layout(width="80px"))
        self.reset_button = widgets.Button(description="reset", icon="refresh", tooltip="a new network",
                                           layout=widgets.Layout(width="80px"))
        self.status = widgets.HTML()
        self.status.add_class("nnlearn-playground-status")
        self.image = widgets.Image(format="png")
        self.image.add_class("nnlearn-playground-picture")
        c = self.controls
        super().__init__(children=[
            widgets.HBox([self.play, self.step_button, self.reset_button, c["dataset"], c["seed"]]),
            widgets.HBox([c["hidden"], c["lr"], c["lam"]]),
            widgets.HBox([c["noise"], c["train_fraction"]]),
            self.status, self.image])
        self.add_class("nnlearn-playground")
        self.redraw()

        self.play.observe(self._on_tick, names="value")
        self.step_button.on_click(lambda _: self._safely(self.step))
        self.reset_button.on_click(lambda _: self._safely(self.reset))
        for name in ("dataset", "noise", "train_fraction", "seed"):
            c[name].observe(lambda _: self._safely(self._new_data), names="value")
        c["hidden"].observe(lambda _: self._safely(self._new_network), names="value")
        for name in ("lr", "lam"):
            c[name].observe(lambda _: self._safely(self._new_rates), names="value")

    # --- state -------------------------------------------------------------------------------

    @property
    def settings(self):
        return dict(self._run.settings)

    @property
    def epoch(self):
        return self._run.epoch

    @property
    def history(self):
        return list(self._run.history)

    @property
    def params(self):
        return self._run.params

    @property
    def data(self):
        """(X_train, y_train, X_val, y_val) of the current run."""
        r = self._run
        return r.X_train, r.y_train, r.X_val, r.y_val

    def _read_controls(self):
        c = self.controls
        self._run.settings.update(dataset=c["dataset"].value, n_hidden=int(c["hidden"].value), lr=float(c["lr"].value),
                                  lam=float(c["lam"].value), noise=float(c["noise"].value),
                                  train_fraction=float(c["train_fraction"].value), seed=int(c["seed"].value))

    def _new_data(self):
        self._read_controls()
        self._run.new_data()
        self._error = ""
        self.redraw()

    def _new_network(self):
        self._read_controls()
        self._run.new_network()
        self._error = ""
        self.redraw()

    def _new_rates(self):
        self._read_controls()
        self._error = ""
        self.redraw()

    def reset(self):
        """A new network from the seed, on the same data; epoch 0."""
        self._new_network()

    def step(self, n_frames=1):
        """Run ``n_frames`` frames of ``steps_per_frame`` training steps each, then redraw."""
        t0 = time.perf_counter()
        if not self._run.diverged:
            for _ in range(n_frames):
                self._run.step(self.steps_per_frame)
                if self._run.diverged:
                    break
        self.redraw()
        self.frame_ms.append(1000 * (time.perf_counter() - t0))
        if self._run.diverged:
            self.play.playing = False

    def _on_tick(self, change):
        if change["new"] <= change["old"]:       # the stop button rewinds the counter
            return
        if time.perf_counter() - self._last_frame_end < 0.005:   # a tick queued behind the last frame
            return
        self._safely(self.step)
        self._last_frame_end = time.perf_counter()

    def _safely(self, action):
        """Run a button's or control's action; a mistake is shown in the status line."""
        try:
            action()
        except NotImplementedError:
            self.play.playing = False
            names = ("two_layer_loss", "train_step") + (("train_step_l2",) if self._run.settings["lam"] > 0 else ())
            self._error = _not_yet_text(*names, to="train the network here")
            self._show_status()
        except Exception as err:   # keep the widget alive and say what went wrong
            self.play.playing = False
            self._error = f"{type(err).__name__}: {err}"
            self._show_status()

    def redraw(self):
        picture = self._run.picture()
        if self.image.layout.width != f"{picture.width}px":   # shown at its own size, not stretched
            self.image.layout.width = f"{picture.width}px"
        self.image.value = _png(picture)
        self._show_status()

    def _show_status(self):
        r = self._run
        _, train, val = r.history[-1]
        text = (f"<b>epoch {r.epoch}</b> &nbsp; training loss {train:.3f} &nbsp; validation loss {val:.3f}"
                f" &nbsp; ({self.steps_per_frame} steps per frame)")
        if self._error:
            text += f"<br><span style='color:#c00'>{self._error}</span>"
        self.status.value = text

    def _repr_mimebundle_(self, **kwargs):
        # the live widget where widgets work, the static picture everywhere else
        data = super()._repr_mimebundle_(**kwargs)
        if data is not None:
            data["image/png"] = self._static_png
        return data

    def __repr__(self):
        s = self.settings
        return (f"Playground(dataset={s['dataset']!r}, n_hidden={s['n_hidden']}, lr={s['lr']:g}, lam={s['lam']:g}, "
                f"epoch={self.epoch})")


def playground(loss_fn, train_step, init_params=None, *, train_step_l2=None, dataset="moons", n_hidden=4,
               lr=1.0, lam=0.0, noise=0.1, train_fraction=0.5, n_samples=200, seed=0, steps_per_frame=5,
               interval=100, static_steps=300, static=False):
    """Train your two-layer network live, TensorFlow-Playground style.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(params, X, y) -> (loss, grads)`` for ``params`` with the keys ``W1`` (H, 2),
        ``b1`` (H,), ``W2`` (2, H), ``b2`` (2,), a tanh hidden layer (notebook 05's
        ``two_layer_loss``).
    train_step : callable
        ``train_step(loss_fn, params, X, y, lr)``: one gradient-descent step, in place.
    init_params : callable, optional
        ``init_params(n_in, n_hidden, n_classes, seed=...) -> params``; by default weights
        scaled by 1 / sqrt(fan-in) and zero biases.
    train_step_l2 : callable, optional
        ``train_step_l2(loss_fn, params, X, y, lr, lam)``, used whenever ``lam > 0``.
        Without it the L2 control is disabled.
    dataset : "moons", "circles", "XOR" or "spirals"
        The spirals are four interleaved arms of ``make_spirals``, alternate arms one class.
    n_hidden : int, 1 to 8
    lr, lam : the learning rate (> 0) and the L2 strength (>= 0) to start with
    noise : float in [0, 0.5]
        The data set's noise (on the coordinates; for the spirals on the angle).
    train_fraction : float in [0.1, 0.9]
        Share of the ``n_samples`` points used for training; the rest is the validation set.
    seed : int
        Seeds the data and the initial weights: the same seed, the same run.
    steps_per_frame : int
        Full-batch gradient-descent steps ("epochs") per frame.
    interval : int
        Milliseconds between the play button's ticks.
    static_steps : int
        Steps of the static picture shown without a widget frontend.
    static : bool
        Return only that static picture (a PIL image), no widgets.

    Returns
    -------
    Playground (an ipywidgets.VBox), or a PIL image with ``static=True``
        Put it on the last line of a cell, or ``display`` it.
    """
    _check_callable(loss_fn, "loss_fn", "loss_fn(params, X, y) -> (loss, grads)")
    _check_callable(train_step, "train_step", "train_step(loss_fn, params, X, y, lr)")
    if init_params is None:
        init_params = _default_init
    _check_callable(init_params, "init_params", "init_params(n_in, n_hidden, n_classes, seed=...)")
    if train_step_l2 is not None:
        _check_callable(train_step_l2, "train_step_l2", "train_step_l2(loss_fn, params, X, y, lr, lam)")
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {list(DATASETS)}, got {dataset!r}")
    settings = {
        "dataset": dataset,
        "n_hidden": _check_int(n_hidden, "n_hidden", 1, MAX_HIDDEN),
        "lr": _check_number(lr, "lr", 0.0, low_open=True),
        "lam": _check_number(lam, "lam", 0.0),
        "noise": _check_number(noise, "noise", 0.0, 0.5),
        "train_fraction": _check_number(train_fraction, "train_fraction", 0.1, 0.9),
        "n_samples": _check_int(n_samples, "n_samples", 10, 2000),
        "seed": _check_int(seed, "seed", 0, 10**6),
    }
    if settings["lam"] > 0 and train_step_l2 is None:
        raise ValueError(f"lam={lam} needs train_step_l2=your_train_step_l2")
    steps_per_frame = _check_int(steps_per_frame, "steps_per_frame", 1, 1000)
    interval = _check_int(interval, "interval", 10, 10_000)
    static_steps = _check_int(static_steps, "static_steps", 0, 100_000)
    fns = {"loss_fn": loss_fn, "train_step": train_step, "train_step_l2": train_step_l2, "init_params": init_params}
    if static:
        run = _Run(fns, settings)
        for _ in range(static_steps // steps_per_frame):
            run.step(steps_per_frame)
        if static_steps % steps_per_frame:
            run.step(static_steps % steps_per_frame)
        return run.picture()
    return Playground(fns, settings, steps_per_frame=steps_per_frame, interval=interval, static_steps=static_steps)

"""Matplotlib pictures for the notebooks: fits, decision boundaries, curves, images.

Every function draws on the ``ax`` you give it (or on a new figure), returns the
Axes or Figure it drew on and never calls ``plt.show()``: in Jupyter the figure
appears at the end of the cell; in a script call ``plt.show()`` yourself. (If a
function returning a Figure is the *last line* of a cell, Jupyter may show the
figure twice -- end the line with ``;`` or assign the result.)

``import nnlearn`` does not import this module, so the numerical code works on
machines without matplotlib; ``import nnlearn.plotting`` imports it.
"""

import math
import numbers
import warnings
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from ._validation import as_float_array, as_labels, check_int

__all__ = [
    "plot_function_fit",
    "plot_decision_boundary",
    "plot_history",
    "plot_trajectory",
    "plot_image_grid",
    "plot_weights_as_images",
    "plot_confusion_matrix",
    "plot_network_diagram",
    "not_yet",
]

# One colour per class, used for both the points and the regions of a decision boundary.
CLASS_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def _get_ax(ax, figsize=(6, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _class_cmap(n_classes):
    colors = [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(n_classes)]
    return ListedColormap(colors)


def _as_column_1d(a, name):
    """Accept ``(n,)`` or ``(n, 1)``; return ``(n,)``."""
    a = as_float_array(a, name, ndim=(1, 2))
    if a.ndim == 2:
        if a.shape[1] != 1:
            raise ValueError(f"{name} must have shape (n,) or (n, 1) for a 1-D function, got {a.shape}")
        a = a[:, 0]
    return a


# ---------------------------------------------------------------------------
# 1-D function approximation


def plot_function_fit(x, y, predict=None, ax=None, x_test=None, y_test=None, title=None):
    """Plot training points, optional test points, and a model's curve through them.

    Parameters
    ----------
    x, y : array-like, shape (n, 1) or (n,)
        The training points, drawn as dots.
    predict : callable, optional
        The model: maps inputs ``(m, 1)`` to outputs ``(m, 1)`` or ``(m,)``. It is
        evaluated on 400 evenly spaced inputs covering all the points and drawn
        as a line -- including *between* the training points, which is where
        you see whether the network learned the function or just the points.
    ax : matplotlib Axes, optional
    x_test, y_test : array-like, shape (n_test, 1) or (n_test,), optional
        Held-out points, drawn as crosses: a good fit passes near them too.
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    x = _as_column_1d(x, "x")
    y = _as_column_1d(y, "y")
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same number of points, got {x.shape[0]} and {y.shape[0]}")
    if (x_test is None) != (y_test is None):
        raise ValueError("give both x_test and y_test, or neither")
    xs = [x]
    if x_test is not None:
        x_test = _as_column_1d(x_test, "x_test")
        y_test = _as_column_1d(y_test, "y_test")
        if x_test.shape != y_test.shape:
            raise ValueError(f"x_test and y_test must have the same number of points, got {x_test.shape[0]} and {y_test.shape[0]}")
        xs.append(x_test)
    if predict is not None and not callable(predict):
        raise TypeError(f"predict must be a function mapping (m, 1) inputs to outputs, got {type(predict).__name__}")

    ax = _get_ax(ax)
    ax.scatter(x, y, s=25, color="tab:blue", label="training points", zorder=3)
    if x_test is not None:
        ax.scatter(x_test, y_test, s=40, marker="x", color="tab:orange", label="test points", zorder=3)
    if predict is not None:
        lo = min(a.min() for a in xs)
        hi = max(a.max() for a in xs)
        pad = 0.05 * (hi - lo) if hi > lo else 1.0
        grid = np.linspace(lo - pad, hi + pad, 400).reshape(-1, 1)
        out = np.asarray(predict(grid), dtype=np.float64)
        if out.shape not in ((400,), (400, 1)):
            raise ValueError(f"predict must map inputs of shape (m, 1) to (m, 1) or (m,); for m=400 it returned shape {out.shape}")
        ax.plot(grid[:, 0], out.reshape(-1), color="black", lw=2, label="model")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(loc="best", fontsize="small")
    if title is not None:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------------------
# 2-D classification


def plot_decision_boundary(predict, X, y, ax=None, resolution=200, title=None):
    """Colour the plane by the class a model predicts there, and draw the data on top.

    Parameters
    ----------
    predict : callable
        Maps points ``(m, 2)`` to either class labels ``(m,)``, class
        probabilities/scores ``(m, k)`` (the predicted class is the argmax), or
        the probability of class 1 ``(m,)`` / ``(m, 1)`` for a sigmoid output --
        then the plane is shaded by that probability and the 0.5 line is drawn.
    X : array-like, shape (n, 2)
        The data points.
    y : array-like, shape (n,) labels or (n, k) one-hot
        Their classes (point colours).
    ax : matplotlib Axes, optional
    resolution : int
        Grid points per axis; ``predict`` is called once on ``resolution**2`` points.
    title : str, optional

    Returns
    -------
    matplotlib Axes

    The boundary is where the colour changes. A linear model can only draw a
    straight line; each hidden layer lets the boundary bend more. A boundary
    that wiggles around individual points is a sign of overfitting.
    """
    if not callable(predict):
        raise TypeError(
            f"predict must be a function mapping (m, 2) points to labels or probabilities, got {type(predict).__name__}"
        )
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 features to draw a decision boundary in the plane, got shape {X.shape}")
    labels = as_labels(y, "y", n_samples=X.shape[0])
    resolution = check_int(resolution, "resolution", 2)

    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = np.maximum(0.1 * (hi - lo), 0.1)
    g1, g2 = np.meshgrid(np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution),
                         np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    m = grid.shape[0]
    out = np.asarray(predict(grid))
    if out.dtype == object or out.dtype.kind not in "biuf":
        raise TypeError(f"predict must return numbers, got dtype {out.dtype}")
    if out.ndim == 2 and out.shape[1] == 1:
        out = out[:, 0]
    if out.shape[0] != m or out.ndim not in (1, 2):
        raise ValueError(f"predict must map (m, 2) points to (m,) or (m, k); for m={m} it returned shape {out.shape}")
    if not np.isfinite(out).all():
        raise ValueError("predict returned NaN or infinite values")

    ax = _get_ax(ax, figsize=(5, 5))
    if out.ndim == 2:  # scores or probabilities, one column per class
        k = max(out.shape[1], int(labels.max()) + 1)
        Z = out.argmax(axis=1).reshape(g1.shape)
        ax.contourf(g1, g2, Z, levels=np.arange(k + 1) - 0.5, cmap=_class_cmap(k), alpha=0.3)
    elif out.dtype.kind in "biu" or np.all(out == np.round(out)):  # labels
        k = max(int(out.max()) + 1, int(labels.max()) + 1)
        Z = out.reshape(g1.shape)
        ax.contourf(g1, g2, Z, levels=np.arange(k + 1) - 0.5, cmap=_class_cmap(k), alpha=0.3)
    else:  # probability of class 1
        k = max(2, int(labels.max()) + 1)
        Z = out.reshape(g1.shape)
        ax.contourf(g1, g2, Z, levels=np.linspace(min(0.0, Z.min()), max(1.0, Z.max()), 11), cmap="RdBu_r", alpha=0.4)
        if Z.min() < 0.5 < Z.max():
            ax.contour(g1, g2, Z, levels=[0.5], colors="black", linewidths=1.5)
    ax.scatter(X[:, 0], X[:, 1], c=labels, cmap=_class_cmap(k), vmin=-0.5, vmax=k - 0.5, s=20, edgecolors="black", linewidths=0.5)
    ax.set_xlim(g1.min(), g1.max())
    ax.set_ylim(g2.min(), g2.max())
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title is not None:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------------------
# training curves


def plot_history(history, ax=None):
    """Plot the loss (left) and the accuracy (right) per epoch.

    Parameters
    ----------
    history : dict of lists
        ``"loss"`` (required), and optionally ``"accuracy"``, ``"val_loss"``,
        ``"val_accuracy"``: one number per epoch. NaN or infinite losses (a
        diverged run) leave a gap instead of breaking the plot.
    ax : matplotlib Axes or a pair of Axes, optional
        Where to draw. With one Axes and accuracies to show, the accuracy gets a
        second y axis on the right (``ax.twinx()``).

    Returns
    -------
    list of matplotlib Axes
        ``[loss_ax]``, or ``[loss_ax, accuracy_ax]`` when there are accuracies.

    How to read it: the training loss should go down. If the validation loss
    goes *up* while the training loss keeps falling, the network has started to
    memorise the training set (overfitting). Accuracy moves in steps and can
    stay flat while the loss still improves: the predictions are becoming more
    confident without changing class.
    """
    if not isinstance(history, Mapping):
        raise TypeError(f"history must be a dict of lists such as {{'loss': [...]}}, got {type(history).__name__}")
    if "loss" not in history:
        raise ValueError(f"history needs a 'loss' entry, got keys {sorted(history)}")
    curves = {}
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        if key in history and history[key] is not None:
            values = as_float_array(history[key], f"history[{key!r}]", ndim=1, finite=False, allow_empty=(key != "loss"))
            curves[key] = np.where(np.isfinite(values), values, np.nan)
    has_acc = "accuracy" in curves or "val_accuracy" in curves

    if ax is None:
        fig, axes = plt.subplots(1, 2 if has_acc else 1, figsize=(10 if has_acc else 5, 3.5))
        axes = list(np.atleast_1d(axes))
    elif isinstance(ax, (list, tuple, np.ndarray)):
        axes = list(np.ravel(ax))
        if len(axes) < (2 if has_acc else 1):
            raise ValueError(f"need {2 if has_acc else 1} Axes to plot this history, got {len(axes)}")
    else:
        axes = [ax, ax.twinx()] if has_acc else [ax]

    styles = {"loss": ("tab:blue", "-", "train"), "val_loss": ("tab:orange", "--", "validation"),
              "accuracy": ("tab:blue", "-", "train"), "val_accuracy": ("tab:orange", "--", "validation")}
    for key, values in curves.items():
        target = axes[1] if "accuracy" in key else axes[0]
        color, ls, label = styles[key]
        if values.size:
            marker = "o" if values.size < 30 else None
            target.plot(np.arange(1, values.size + 1), values, color=color, ls=ls, marker=marker, ms=3, label=label)
    axes[0].set_xlabel("epoch")
    axes[0].set_ylabel("loss")
    axes[0].set_title("loss")
    axes[0].legend(loc="upper right", fontsize="small")
    if has_acc:
        axes[1].set_xlabel("epoch")
        axes[1].set_ylabel("accuracy")
        axes[1].set_title("accuracy")
        axes[1].legend(loc="lower right", fontsize="small")
    return axes[: 2 if has_acc else 1]


# ---------------------------------------------------------------------------
# gradient descent on a two-parameter function


def _evaluate_on_grid(f, W1, W2):
    """``f`` on a grid: one vectorised call if that works, else one call per point."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:  # a probe: anything going wrong just means "not vectorised"
            Z = np.asarray(f(W1, W2), dtype=np.float64)
            if Z.shape == W1.shape:
                return Z
        except Exception:
            pass
        Z = np.empty(W1.shape)
        for idx in np.ndindex(W1.shape):
            Z[idx] = float(f(float(W1[idx]), float(W2[idx])))
    return Z


def _view_box(path, xlim, ylim):
    """Axis limits for a path: all of it, or only its start if it diverges."""
    start = path[0]
    finite = np.isfinite(path).all(axis=1)
    n_finite = path.shape[0] if finite.all() else int(np.argmin(finite))
    prefix = path[:n_finite]
    scale = max(1.0, float(np.abs(start).max()))
    if n_finite == path.shape[0] and np.abs(prefix).max() <= 1e3 * scale:
        view = prefix
    else:  # diverging: look at the part near the start
        far = np.abs(prefix - start).max(axis=1) > 20 * scale
        view = prefix[: int(np.argmax(far))] if far.any() else prefix
    lo, hi = view.min(axis=0), view.max(axis=0)
    span = hi - lo
    size = max(float(span.max()), 1e-3 * scale)
    centre = (lo + hi) / 2
    half = np.maximum(span / 2, size / 4) + 0.15 * size
    box = [centre[0] - half[0], centre[0] + half[0], centre[1] - half[1], centre[1] + half[1]]
    if xlim is not None:
        box[0:2] = xlim
    if ylim is not None:
        box[2:4] = ylim
    return box


def _exit_point(p, q, box):
    """Where the segment from ``p`` (inside ``box``) towards ``q`` crosses the box edge."""
    d = q - p
    t = 1.0
    with np.errstate(all="ignore"):
        for i, (lo, hi) in enumerate(((box[0], box[1]), (box[2], box[3]))):
            if d[i] > 0:
                t = min(t, (hi - p[i]) / d[i])
            elif d[i] < 0:
                t = min(t, (lo - p[i]) / d[i])
    return p + max(t, 0.0) * d


def plot_trajectory(f, path, ax=None, xlim=None, ylim=None, levels=30):
    """Draw the contour lines of ``f(w1, w2)`` and a gradient-descent path over them.

    Gradient descent is a ball rolling downhill on the loss surface: each step
    goes against the gradient, which is perpendicular to the contour line through
    the current point. With a small learning rate the path creeps; with a large
    one it zig-zags across the valley; too large and it flies off -- the points
    get further away each step (divergence).

    Parameters
    ----------
    f : callable
        ``f(w1, w2) -> float``: the function being minimised (e.g. a loss as a
        function of two weights). A vectorised ``f`` (arrays in, array out) is
        called once; otherwise it is called once per grid point.
    path : array-like, shape (k, 2)
        The parameters after each step, starting with the initial point. Values
        may grow huge, ``inf`` or ``nan`` (a diverged run): the plot then shows
        the steps near the start, an arrow towards where the path went, and a
        note saying when it left the plot.
    ax : matplotlib Axes, optional
    xlim, ylim : (float, float), optional
        Plot range. Default: the region the path visits, with a margin.
    levels : int or array-like
        Number of contour lines, or their values (as for ``ax.contour``).

    Returns
    -------
    matplotlib Axes
    """
    if not callable(f):
        raise TypeError(f"f must be a function f(w1, w2), got {type(f).__name__}")
    path = as_float_array(path, "path", ndim=2, finite=False)
    if path.shape[1] != 2:
        raise ValueError(f"path must have shape (k, 2): one (w1, w2) pair per step, got {path.shape}")
    if not np.isfinite(path[0]).all():
        raise ValueError(f"the path must start at a finite point, got path[0] = {path[0]}")
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        if lim is not None:
            lim = as_float_array(lim, name, shape=(2,))
            if not lim[0] < lim[1]:
                raise ValueError(f"{name} must be (low, high) with low < high, got {tuple(lim)}")
    if isinstance(levels, numbers.Integral) and not isinstance(levels, bool):
        check_int(levels, "levels", 1)
    box = _view_box(path, None if xlim is None else tuple(map(float, xlim)), None if ylim is None else tuple(map(float, ylim)))

    # the longest prefix of the path that is finite and not absurdly far outside the view
    width, height = box[1] - box[0], box[3] - box[2]
    with np.errstate(all="ignore"):
        ok = (np.isfinite(path).all(axis=1)
              & (path[:, 0] > box[0] - 10 * width) & (path[:, 0] < box[1] + 10 * width)
              & (path[:, 1] > box[2] - 10 * height) & (path[:, 1] < box[3] + 10 * height))
    n_shown = path.shape[0] if ok.all() else int(np.argmin(ok))
    shown = path[:n_shown]

    ax = _get_ax(ax, figsize=(6, 5))
    W1, W2 = np.meshgrid(np.linspace(box[0], box[1], 100), np.linspace(box[2], box[3], 100))
    Z = np.ma.masked_invalid(_evaluate_on_grid(f, W1, W2))
    if Z.count() and Z.max() > Z.min():
        cs = ax.contour(W1, W2, Z, levels=levels, cmap="viridis", linewidths=1)
        if len(cs.levels) <= 12:
            ax.clabel(cs, inline=True, fontsize=7, fmt="%.3g")

    ax.plot(shown[:, 0], shown[:, 1], "-", color="tab:red", lw=1.2, marker="o", ms=3, zorder=3)
    if 1 < n_shown <= 60:
        steps = np.diff(shown, axis=0)
        ax.quiver(shown[:-1, 0], shown[:-1, 1], steps[:, 0], steps[:, 1], angles="xy", scale_units="xy",
                  scale=1, color="tab:red", width=0.004, zorder=4)
    ax.plot(*shown[0], "o", color="tab:green", ms=10, mec="black", label="start", zorder=5)
    if n_shown == path.shape[0]:
        ax.plot(*shown[-1], "*", color="gold", ms=16, mec="black", label="end", zorder=5)
    else:
        nxt = path[n_shown]
        if np.isfinite(nxt).all():
            end = _exit_point(shown[-1], nxt, box)
            arrow = ax.annotate("", xy=end, xytext=shown[-1],
                                arrowprops=dict(arrowstyle="->", color="tab:red", ls="--", lw=1.5), zorder=4)
            # the last shown point may lie outside the view: keep the arrow inside the Axes
            # (annotations are not clipped by default and would cross neighbouring subplots)
            arrow.arrow_patch.set_clip_path(ax.patch)
        ax.text(0.02, 0.98, f"diverged: left the plot after step {n_shown - 1} of {path.shape[0] - 1}",
                transform=ax.transAxes, va="top", fontsize=9, color="tab:red",
                bbox=dict(facecolor="white", alpha=0.8, edgecolor="none"), zorder=6)  # above the path
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title(f"gradient descent: {path.shape[0] - 1} steps")
    ax.legend(loc="lower right", fontsize="small")
    return ax


# ---------------------------------------------------------------------------
# images


def _check_images(images, name="images"):
    arr = np.asarray(images)
    if arr.dtype != np.uint8:
        arr = as_float_array(arr, name, ndim=(3, 4))
    elif arr.ndim not in (3, 4) or arr.size == 0:
        raise ValueError(f"{name} must be (n, h, w) or (n, h, w, 3), got shape {arr.shape}")
    if arr.ndim == 4:
        if arr.shape[3] == 1:
            arr = arr[..., 0]
        elif arr.shape[3] not in (3, 4):
            raise ValueError(f"colour {name} must have 3 (RGB) or 4 (RGBA) channels last, got shape {arr.shape}")
    return arr


def _for_display(img):
    """uint8 as is; floats rescaled to [0, 1] per image (a constant image is mid-grey)."""
    if img.dtype == np.uint8:
        return img
    lo, hi = img.min(), img.max()
    if hi == lo:
        return np.full(img.shape, 0.5)
    return (img - lo) / (hi - lo)


def _mosaic_figure(tiles, texts, n_cols, ax_size, title_space, fontsize):
    """One figure, ONE axes: the RGB tiles (n, h, w, 3) in [0, 1] laid out in a grid on white,
    each text above its tile. One image and n texts draw several times faster than n axes
    with a title each (and no tight_layout pass), which matters in notebooks that show
    many grids."""
    n, h, w, _ = tiles.shape
    n_cols = min(check_int(n_cols, "n_cols", 1), n)
    n_rows = math.ceil(n / n_cols)
    gap = max(1, round(min(h, w) / 16))                         # white between the tiles, in pixels
    top = math.ceil(h * title_space / ax_size) if texts is not None else 0
    cell_h, cell_w = top + h + gap, w + gap
    canvas = np.ones((n_rows * cell_h, n_cols * cell_w, 3))
    fig, ax = plt.subplots(figsize=(n_cols * ax_size * cell_w / w, n_rows * (ax_size + title_space)))
    for i in range(n):
        row, col = divmod(i, n_cols)
        y0, x0 = row * cell_h + top, col * cell_w
        canvas[y0:y0 + h, x0:x0 + w] = tiles[i]
        if texts is not None:
            ax.text(x0 + w / 2 - 0.5, y0 - 0.5 - gap / 2, str(texts[i]), ha="center", va="bottom", fontsize=fontsize)
    ax.imshow(canvas, interpolation="nearest")
    ax.axis("off")
    fig.subplots_adjust(left=0, right=1, bottom=0, top=1)
    return fig


def plot_image_grid(images, labels=None, n_cols=8, ax_size=1.2, titles=None):
    """Show images in a grid, optionally with a title above each.

    The grid is drawn as one picture (a mosaic on white) in one axes, with each title as
    a text above its image: several times faster to draw than one axes per image.

    Parameters
    ----------
    images : array-like, shape (n, h, w) or (n, h, w, 3)
        Grey-scale or RGB images. uint8 images are shown as they are; float
        images may have any range (raw, standardised ...) and are rescaled *per
        image* to [0, 1] for display, so a standardised image still looks like a
        picture.
    labels : sequence of length n, optional
        Shown above each image (e.g. the class, or "cat 0.93").
    n_cols : int
        Images per row.
    ax_size : float
        Size of each image in inches.
    titles : sequence of str of length n, optional
        Shown instead of ``labels`` when given.

    Returns
    -------
    matplotlib Figure
    """
    arr = _check_images(images)
    n = arr.shape[0]
    if isinstance(ax_size, bool) or not isinstance(ax_size, numbers.Real) or not ax_size > 0:
        raise ValueError(f"ax_size must be a positive number of inches, got {ax_size!r}")
    text = titles if titles is not None else labels
    if text is not None:
        if isinstance(text, str) or len(text) != n:
            what = "titles" if titles is not None else "labels"
            raise ValueError(f"{what} must have one entry per image: {n} images, got {1 if isinstance(text, str) else len(text)}")
    tiles = np.array([_as_rgb(_for_display(arr[i])) for i in range(n)])
    return _mosaic_figure(tiles, text, n_cols, ax_size, 0.3 if text is not None else 0.0, fontsize=8)


def _as_rgb(img):
    """A displayable image (uint8, or floats in [0, 1]; grey, RGB or RGBA) as RGB floats in [0, 1]."""
    img = img / 255.0 if img.dtype == np.uint8 else np.asarray(img, dtype=float)
    if img.ndim == 2:
        return np.repeat(img[..., None], 3, axis=2)
    if img.shape[2] == 4:                                       # RGBA on white
        return img[..., :3] * img[..., 3:] + (1 - img[..., 3:])
    return img


def plot_weights_as_images(W, image_shape, n_cols=8):
    """Show each neuron's incoming weights as an image: what pattern does it look for?

    A first-layer neuron computes ``w . x + b`` over all pixels of the image ``x``,
    so its weight row ``w`` has one number per pixel and can be reshaped into an
    image. The neuron responds most to inputs that look like that picture: red
    where its weights are positive (bright pixels there raise its output), blue
    where they are negative, white where it does not care.

    Parameters
    ----------
    W : array-like, shape (n_out, n_in)
        A layer's weights, one row per neuron (the package convention).
    image_shape : tuple (h, w) or (h, w, c)
        Shape of one input image; ``h * w * c`` must equal ``n_in``.
    n_cols : int
        Images per row.

    Returns
    -------
    matplotlib Figure

    Each image gets its own symmetric colour scale ``[-m, m]`` with ``m`` the
    largest ``|w|`` of that neuron, so 0 is always white. RGB weights cannot use
    a colour map; they are shown as ``0.5 + 0.5 w / m`` per channel (grey = 0).
    """
    W = as_float_array(W, "W", ndim=2)
    shape = tuple(image_shape) if isinstance(image_shape, (tuple, list)) else None
    if shape is None or len(shape) not in (2, 3) or not all(isinstance(s, numbers.Integral) and s > 0 for s in shape):
        raise ValueError(f"image_shape must be (h, w) or (h, w, c) with positive integers, got {image_shape!r}")
    if len(shape) == 3 and shape[2] not in (1, 3):
        raise ValueError(f"image_shape must have 1 or 3 channels, got {shape}")
    n_pixels = int(np.prod(shape))
    if W.shape[1] != n_pixels:
        raise ValueError(
            f"W has n_in={W.shape[1]} columns but image_shape {shape} has {n_pixels} pixels; "
            "W should be (n_out, n_in) with one row per neuron -- did you pass W.T?"
        )
    n = W.shape[0]
    diverging = plt.get_cmap("RdBu_r")
    tiles = []
    for j in range(n):
        img = W[j].reshape(shape)
        m = float(np.abs(img).max()) or 1.0
        if img.ndim == 3 and img.shape[2] == 3:
            tiles.append(np.clip(0.5 + 0.5 * img / m, 0, 1))
        else:                                                   # -m blue, 0 white, +m red
            tiles.append(diverging(0.5 + 0.5 * img.reshape(shape[:2]) / m)[..., :3])
    return _mosaic_figure(np.array(tiles), [f"neuron {j}" for j in range(n)], n_cols, 1.2, 0.25, fontsize=7)


# ---------------------------------------------------------------------------
# confusion matrix


def plot_confusion_matrix(cm, class_names=None, ax=None):
    """Draw a confusion matrix as a heat map with the counts written in.

    Parameters
    ----------
    cm : array-like, shape (k, k)
        ``cm[i, j]`` = number of samples of true class ``i`` predicted as ``j``
        (see :func:`nnlearn.metrics.confusion_matrix`). Fractions work too.
    class_names : sequence of k str, optional
        Tick labels; default ``0 .. k-1``.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Rows are the truth, columns the prediction: the diagonal holds the correct
    answers, and a large off-diagonal cell tells you which class is mistaken for
    which (e.g. how many cats were called dogs).
    """
    cm = as_float_array(cm, "cm", ndim=2)
    k = cm.shape[0]
    if cm.shape != (k, k):
        raise ValueError(f"cm must be square (k, k), got shape {cm.shape}")
    if (cm < 0).any():
        raise ValueError("cm holds counts and cannot be negative")
    if class_names is None:
        class_names = [str(i) for i in range(k)]
    if isinstance(class_names, str) or len(class_names) != k:
        raise ValueError(f"class_names must have one name per class: cm is {k}x{k}, got {class_names!r}")

    ax = _get_ax(ax, figsize=(1.2 * k + 2, 1.2 * k + 1.5))
    ax.imshow(cm, cmap="Blues", vmin=0, vmax=max(cm.max(), 1e-12))
    whole = np.all(cm == np.round(cm))
    for i in range(k):
        for j in range(k):
            value = f"{int(cm[i, j])}" if whole else f"{cm[i, j]:.2f}"
            ax.text(j, i, value, ha="center", va="center", color="white" if cm[i, j] > cm.max() / 2 else "black")
    ax.set_xticks(range(k))
    ax.set_xticklabels([str(c) for c in class_names])
    ax.set_yticks(range(k))
    ax.set_yticklabels([str(c) for c in class_names])
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title("confusion matrix")
    return ax


# ---------------------------------------------------------------------------
# network diagrams


def plot_network_diagram(layer_sizes, ax=None, layer_names=None, node_labels=None, edge_labels=None, max_nodes=8):
    """Draw a fully connected network: a column of nodes per layer, a line per connection.

    Every line from a node of one layer to a node of the next stands for one
    weight; a layer with ``n_in`` inputs and ``n_out`` nodes therefore has
    ``n_out * n_in`` lines, the entries of its ``(n_out, n_in)`` weight matrix.

    Parameters
    ----------
    layer_sizes : sequence of int
        Nodes per layer, input layer first, e.g. ``(1, 4, 1)``. At least two layers.
    ax : matplotlib Axes, optional
    layer_names : sequence of str, optional
        Written under each column. Default: ``"input"``, ``"hidden"`` (or
        ``"hidden 1"``, ``"hidden 2"``, ...) and ``"output"``, each with its size.
    node_labels : sequence (one per layer) of sequences of str, optional
        Text inside the nodes, e.g. ``[["x"], ["h1", "h2"], ["y"]]``; ``None`` for
        a layer leaves its nodes empty.
    edge_labels : sequence (one per pair of layers) of nested lists, optional
        ``edge_labels[k][j][i]`` is written on the connection from node ``i`` of
        layer ``k`` to node ``j`` of layer ``k + 1`` -- indexed like the weight
        matrix ``W[j, i]``. ``None`` (for a pair, or an entry) draws no text.
    max_nodes : int
        A larger layer is drawn with its first ``max_nodes - 1`` nodes, a
        vertical ellipsis and its last node (a 784-pixel input stays readable).

    Returns
    -------
    matplotlib Axes
    """
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(f"layer_sizes must be a sequence of integers such as (1, 4, 1), got {layer_sizes!r}")
    sizes = [check_int(s, f"layer_sizes[{k}]", 1) for k, s in enumerate(layer_sizes)]
    if len(sizes) < 2:
        raise ValueError(f"a network needs at least two layers (input and output), got {list(sizes)}")
    max_nodes = check_int(max_nodes, "max_nodes", 2)
    n_layers = len(sizes)
    if layer_names is None:
        hidden = ["hidden"] if n_layers == 3 else [f"hidden {k}" for k in range(1, n_layers - 1)]
        layer_names = [f"{name}\n({size})" for name, size in zip(["input", *hidden, "output"], sizes)]
    for what, given, want in (("layer_names", layer_names, n_layers), ("node_labels", node_labels, n_layers),
                              ("edge_labels", edge_labels, n_layers - 1)):
        if given is not None and (isinstance(given, str) or len(given) != want):
            raise ValueError(f"{what} must have {want} entries for {n_layers} layers, got {given!r}")

    # which nodes are drawn, and where (None marks the ellipsis)
    shown = [list(range(s)) if s <= max_nodes else [*range(max_nodes - 1), None, s - 1] for s in sizes]
    tallest = max(len(s) for s in shown)
    gap = max(1.6, 0.45 * tallest)  # horizontal distance between layers: tall layers need room for the lines
    positions = []
    for k, nodes in enumerate(shown):
        ys = (np.arange(len(nodes)) - (len(nodes) - 1) / 2.0)[::-1]
        positions.append({node: (gap * k, float(y)) for node, y in zip(nodes, ys)})

    ax = _get_ax(ax, figsize=(0.9 * gap * (n_layers - 1) + 2, 0.55 * tallest + 1.2))
    radius = 0.22
    for k in range(n_layers - 1):
        labels = edge_labels[k] if edge_labels is not None else None
        for i, (x0, y0) in positions[k].items():
            for j, (x1, y1) in positions[k + 1].items():
                if i is None or j is None:
                    continue
                ax.plot([x0, x1], [y0, y1], color="0.6", lw=0.8, zorder=1)
                text = labels[j][i] if labels is not None else None
                if text:
                    # on the end where the lines fan out to separate nodes, so labels do not overlap
                    t = 0.7 if len(positions[k + 1]) >= len(positions[k]) else 0.3
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), str(text), fontsize=8, ha="center", va="center",
                            bbox=dict(facecolor="white", edgecolor="none", pad=0.5), zorder=2)
    colors = ["#c6dbef"] + ["#fdd0a2"] * (n_layers - 2) + ["#c7e9c0"]
    for k, layer in enumerate(positions):
        labels = node_labels[k] if node_labels is not None else None
        for node, (x, y) in layer.items():
            if node is None:
                ax.text(x, y, "\u22ee", fontsize=14, ha="center", va="center")
                continue
            ax.add_patch(plt.Circle((x, y), radius, facecolor=colors[k], edgecolor="black", zorder=3))
            if labels is not None and labels[node]:
                ax.text(x, y, str(labels[node]), fontsize=9, ha="center", va="center", zorder=4)
        ax.text(gap * k, -(tallest - 1) / 2.0 - 0.7, layer_names[k], ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.8, gap * (n_layers - 1) + 0.8)
    ax.set_ylim(-(tallest - 1) / 2.0 - 1.4, (tallest - 1) / 2.0 + 0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _listed(names):
    names = [str(n) for n in names]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def not_yet(*names, to=None, ax=None, where="above"):
    """Say, in the course's one style, that a cell needs exercises not written yet.

    A demonstration cell that calls the student's functions catches
    ``NotImplementedError`` and calls this instead of showing its result::

        try:
            show_layer(dense_forward(X, W, b))
        except NotImplementedError:
            not_yet("sigmoid", "dense_forward", to="see the layer's outputs")

    prints ``Not yet: write sigmoid and dense_forward above, then run this cell
    again to see the layer's outputs.`` The names are the functions the student
    writes (they stay right when exercises are renumbered). With ``ax`` (a
    Matplotlib Axes) the same sentence is written in the middle of that empty plot,
    without ticks, instead of being printed. ``where`` says where the functions are
    written, for a notebook that uses another one's: ``where="in notebook 06"``.
    """
    if not names:
        raise ValueError("not_yet needs at least one function name")
    text = f"Not yet: write {_listed(names)} {where}, then run this cell again"
    text += f" to {to}." if to else "."
    if ax is None:
        print(text)
        return
    lines, line = [], ""
    for word in text.split():               # wrap at about 45 characters for a small plot
        if line and len(line) + 1 + len(word) > 45:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    ax.text(0.5, 0.5, "\n".join(lines), transform=ax.transAxes, ha="center", va="center", color="0.35")
    ax.set_xticks([])
    ax.set_yticks([])

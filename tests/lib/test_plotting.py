"""Plotting helpers: each runs, returns what it drew on, draws what it should, rejects bad shapes."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nnlearn import plotting as P  # noqa: E402
from nnlearn.datasets import make_function, make_moons, make_spirals  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _n_points(ax):
    """Number of scattered points (contour sets are collections too, so pick scatter's PathCollections)."""
    return sum(len(c.get_offsets()) for c in ax.collections if type(c) is PathCollection)


# ---------------------------------------------------------------- plot_function_fit

def test_plot_function_fit():
    x, y = make_function("sine", n_samples=30, seed=0)
    xt, yt = make_function("sine", n_samples=10, seed=1)
    ax = P.plot_function_fit(x, y, predict=np.sin, x_test=xt, y_test=yt, title="fit")
    assert isinstance(ax, Axes)
    offsets = [len(c.get_offsets()) for c in ax.collections if type(c) is PathCollection]
    assert offsets == [30, 10]
    assert len(ax.lines) == 1 and len(ax.lines[0].get_xdata()) == 400
    assert ax.get_title() == "fit"


def test_plot_function_fit_on_given_ax_with_1d_inputs():
    fig, ax = plt.subplots()
    out = P.plot_function_fit(np.linspace(0, 1, 5), np.zeros(5), ax=ax)
    assert out is ax and len(ax.lines) == 0


def test_plot_function_fit_errors():
    x, y = make_function("sine", n_samples=10, seed=0)
    with pytest.raises(ValueError, match="same number of points"):
        P.plot_function_fit(x, y[:5])
    with pytest.raises(ValueError, match=r"\(n,\) or \(n, 1\)"):
        P.plot_function_fit(np.zeros((10, 2)), y)
    with pytest.raises(ValueError, match="both x_test and y_test"):
        P.plot_function_fit(x, y, x_test=x)
    with pytest.raises(ValueError, match="returned shape"):
        P.plot_function_fit(x, y, predict=lambda g: np.zeros((len(g), 3)))
    with pytest.raises(TypeError, match="predict must be a function"):
        P.plot_function_fit(x, y, predict=3)


# ---------------------------------------------------------------- plot_decision_boundary

@pytest.mark.parametrize("kind", ["labels", "probabilities", "sigmoid", "sigmoid_column"])
def test_plot_decision_boundary(kind):
    X, y = make_moons(60, seed=0)
    predictors = {
        "labels": lambda Z: (Z[:, 1] > 0).astype(int),
        "probabilities": lambda Z: np.column_stack([1 / (1 + np.exp(Z[:, 1])), 1 / (1 + np.exp(-Z[:, 1]))]),
        "sigmoid": lambda Z: 1 / (1 + np.exp(-Z[:, 1])),
        "sigmoid_column": lambda Z: 1 / (1 + np.exp(-Z[:, 1:2])),
    }
    calls = []

    def predict(Z):
        calls.append(Z.shape)
        return predictors[kind](Z)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = P.plot_decision_boundary(predict, X, y, resolution=50, title=kind)
    assert isinstance(ax, Axes)
    assert calls == [(2500, 2)]
    assert _n_points(ax) == 60
    assert ax.get_title() == kind


def test_plot_decision_boundary_multiclass_and_one_hot_labels():
    X, y = make_spirals(90, seed=0)
    fig, ax = plt.subplots()
    out = P.plot_decision_boundary(lambda Z: np.column_stack([Z[:, 0], Z[:, 1], -Z[:, 0]]), X, np.eye(3)[y], ax=ax, resolution=20)
    assert out is ax and _n_points(ax) == 90


def test_plot_decision_boundary_errors():
    X, y = make_moons(20, seed=0)
    with pytest.raises(ValueError, match="2 features"):
        P.plot_decision_boundary(lambda Z: Z[:, 0], np.zeros((20, 3)), y)
    with pytest.raises(ValueError, match="20 samples"):
        P.plot_decision_boundary(lambda Z: Z[:, 0], X, y[:10])
    with pytest.raises(ValueError, match="returned shape"):
        P.plot_decision_boundary(lambda Z: Z[:10, 0], X, y, resolution=10)
    with pytest.raises(ValueError, match="NaN or infinite"):
        P.plot_decision_boundary(lambda Z: Z[:, 0] * np.nan, X, y, resolution=10)
    with pytest.raises(TypeError, match="predict must be a function"):
        P.plot_decision_boundary("model", X, y)
    with pytest.raises(ValueError, match="resolution must be at least 2"):
        P.plot_decision_boundary(lambda Z: Z[:, 0], X, y, resolution=1)


# ---------------------------------------------------------------- plot_history

def test_plot_history_two_axes():
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6],
               "accuracy": [0.5, 0.7, 0.8], "val_accuracy": [0.5, 0.6, 0.7]}
    axes = P.plot_history(history)
    assert len(axes) == 2 and all(isinstance(a, Axes) for a in axes)
    assert len(axes[0].lines) == 2 and len(axes[1].lines) == 2
    np.testing.assert_array_equal(axes[0].lines[0].get_xdata(), [1, 2, 3])
    assert axes[0].get_ylabel() == "loss" and axes[1].get_ylabel() == "accuracy"


def test_plot_history_loss_only_and_diverged_values():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        axes = P.plot_history({"loss": [1.0, np.inf, np.nan, 1e300]})
    assert len(axes) == 1 and len(axes[0].lines) == 1


def test_plot_history_single_ax_gets_twin():
    fig, ax = plt.subplots()
    axes = P.plot_history({"loss": [1, 0.5], "accuracy": [0.5, 0.9]}, ax=ax)
    assert axes[0] is ax and axes[1] is not ax and len(fig.axes) == 2


def test_plot_history_errors():
    with pytest.raises(ValueError, match="'loss' entry"):
        P.plot_history({"accuracy": [0.5]})
    with pytest.raises(TypeError, match="dict of lists"):
        P.plot_history([1, 2, 3])
    with pytest.raises(ValueError, match="1-D"):
        P.plot_history({"loss": [[1, 2]]})


# ---------------------------------------------------------------- plot_trajectory

def bowl(w1, w2):
    return w1**2 + 10 * w2**2


def descend(lr, steps, start=(-4.0, 2.0)):
    path = [np.array(start)]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            w = path[-1]
            path.append(w - lr * np.array([2 * w[0], 20 * w[1]]))
    return np.array(path)


def test_plot_trajectory_converging():
    path = descend(0.05, 30)
    ax = P.plot_trajectory(bowl, path)
    assert isinstance(ax, Axes)
    labels = [line.get_label() for line in ax.lines]
    assert "start" in labels and "end" in labels
    main = ax.lines[0]
    assert len(main.get_xdata()) == 31
    x0, x1 = ax.get_xlim()
    assert x0 < -4 < 0 < x1  # the whole path is in view


def test_plot_trajectory_diverging_to_inf_without_warnings():
    path = descend(0.3, 500)  # |w2| grows by 5x per step: overflows to inf, then nan
    assert not np.isfinite(path).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, ax = plt.subplots()
        out = P.plot_trajectory(bowl, path, ax=ax)
        fig.canvas.draw()  # rendering must not warn either
    assert out is ax
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert np.isfinite([x0, x1, y0, y1]).all() and y1 - y0 < 1e4
    assert any("diverged" in t.get_text() for t in ax.texts)


def test_plot_trajectory_divergence_arrow_stays_inside_its_axes():
    # lr = 0.105 on the bowl: |w2| grows by 1.1x per step, the last points shown lie
    # outside the fixed view, so the arrow towards the next point starts outside it
    fig, (ax, other) = plt.subplots(2, 1)
    P.plot_trajectory(bowl, descend(0.105, 40, start=(-5.0, 2.0)), ax=ax, xlim=(-6, 6), ylim=(-3, 3))
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert arrows
    fig.canvas.draw()
    for t in arrows:
        assert t.arrow_patch.get_clip_box() is not None  # clipped to ax, not drawn over `other`
    note = next(t for t in ax.texts if "diverged" in t.get_text())
    assert note.get_zorder() > max(a.get_zorder() for a in ax.lines + ax.collections)  # readable
    plt.close(fig)


def test_plot_trajectory_non_vectorised_f_and_limits():
    calls = []

    def f(w1, w2):
        calls.append(1)
        return float(w1) ** 2 + float(w2) ** 2  # float() fails on arrays

    ax = P.plot_trajectory(f, [[1.0, 1.0], [0.5, 0.5], [0.25, 0.25]], xlim=(-2, 2), ylim=(-1, 3), levels=5)
    assert len(calls) >= 100 * 100
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-1, 3)


def test_plot_trajectory_single_point_and_inf_in_f():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = P.plot_trajectory(lambda a, b: np.log(a) + b, [[1.0, 0.0]])
        ax.figure.canvas.draw()
    assert isinstance(ax, Axes)


def test_plot_trajectory_errors():
    with pytest.raises(ValueError, match=r"shape \(k, 2\)"):
        P.plot_trajectory(bowl, np.zeros((5, 3)))
    with pytest.raises(ValueError, match="2-D"):
        P.plot_trajectory(bowl, np.zeros(4))
    with pytest.raises(ValueError, match="start at a finite point"):
        P.plot_trajectory(bowl, [[np.inf, 0.0], [0.0, 0.0]])
    with pytest.raises(TypeError, match="f must be a function"):
        P.plot_trajectory(None, [[0.0, 0.0]])
    with pytest.raises(ValueError, match="low < high"):
        P.plot_trajectory(bowl, [[0.0, 0.0]], xlim=(1, -1))


# ---------------------------------------------------------------- images

def _tiles(fig):
    """(the mosaic as an array, the texts) of a grid figure: one axes, one image."""
    assert len(fig.axes) == 1, f"one axes for the whole grid, got {len(fig.axes)}"
    ax = fig.axes[0]
    assert len(ax.images) == 1
    return np.asarray(ax.images[0].get_array()), [t.get_text() for t in ax.texts]


def test_plot_image_grid(images):
    fig = P.plot_image_grid(images, labels=list(range(10)), n_cols=4)
    assert isinstance(fig, Figure)
    mosaic, texts = _tiles(fig)
    assert texts == [str(k) for k in range(10)]
    assert mosaic.ndim == 3 and mosaic.shape[2] == 3 and mosaic.min() >= 0 and mosaic.max() <= 1
    # 3 rows of 4 cells; every image is in its cell, rescaled per image like _for_display
    h, w = images.shape[1:3]
    cell_h, cell_w = mosaic.shape[0] // 3, mosaic.shape[1] // 4
    assert cell_w > w and cell_h > h
    for k in [0, 5, 9]:
        row, col = divmod(k, 4)
        tile = mosaic[row * cell_h + cell_h - h - (cell_w - w):row * cell_h + cell_h - (cell_w - w),
                      col * cell_w:col * cell_w + w]
        expected = P._as_rgb(P._for_display(P._check_images(images)[k]))
        np.testing.assert_allclose(tile, expected, atol=1e-12)
    assert np.all(mosaic[-cell_h:, 2 * cell_w:] == 1.0)   # the two empty cells are white
    plt.close(fig)


test_plot_image_grid = pytest.mark.parametrize("images", [
    np.random.default_rng(0).normal(size=(10, 8, 8)),
    np.random.default_rng(0).normal(size=(10, 8, 8, 3)) * 50 + 3,
    np.random.default_rng(0).integers(0, 256, size=(10, 8, 8, 3)).astype(np.uint8),
    np.zeros((10, 8, 8, 1)),
])(test_plot_image_grid)


def test_plot_image_grid_titles_override_labels():
    fig = P.plot_image_grid(np.zeros((2, 4, 4)), labels=[0, 1], titles=["cat", "dog"])
    assert _tiles(fig)[1] == ["cat", "dog"]
    plt.close(fig)


def test_plot_image_grid_is_one_picture_fast_to_draw():
    """32 images in one axes: no tight_layout pass, one image to render (was 32 axes)."""
    fig = P.plot_image_grid(np.zeros((32, 16, 16)), labels=list(range(32)))
    assert len(fig.axes) == 1 and len(fig.axes[0].images) == 1 and len(fig.axes[0].texts) == 32
    plt.close(fig)


def test_plot_image_grid_errors():
    with pytest.raises(ValueError, match="3-D or 4-D"):
        P.plot_image_grid(np.zeros((4, 16)))
    with pytest.raises(ValueError, match="3 \\(RGB\\) or 4"):
        P.plot_image_grid(np.zeros((4, 8, 8, 5)))
    with pytest.raises(ValueError, match="one entry per image: 4 images, got 3"):
        P.plot_image_grid(np.zeros((4, 8, 8)), labels=[0, 1, 2])
    with pytest.raises(ValueError, match="n_cols must be at least 1"):
        P.plot_image_grid(np.zeros((4, 8, 8)), n_cols=0)
    with pytest.raises(ValueError, match="NaN or infinite"):
        P.plot_image_grid(np.full((2, 3, 3), np.nan))


@pytest.mark.parametrize("shape", [(4, 4), (4, 4, 1), (4, 4, 3)])
def test_plot_weights_as_images(shape):
    n_in = int(np.prod(shape))
    W = np.random.default_rng(0).normal(size=(5, n_in))
    W[0, 0] = 0.0
    fig = P.plot_weights_as_images(W, shape, n_cols=3)
    assert isinstance(fig, Figure)
    mosaic, texts = _tiles(fig)
    assert texts == [f"neuron {j}" for j in range(5)]
    top = mosaic.shape[0] // 2 - 4 - 1          # the first tile starts after the title space (cells of 2 rows)
    first = mosaic[top:top + 4, 0:4]
    if len(shape) == 2 or shape[2] == 1:         # each neuron on its own symmetric scale: 0 white-ish, max red
        rdbu = plt.get_cmap("RdBu_r")
        np.testing.assert_allclose(first[0, 0], rdbu(0.5)[:3])
        j = np.argmax(np.abs(W[0]))
        np.testing.assert_allclose(first.reshape(-1, 3)[j], rdbu(1.0 if W[0, j] > 0 else 0.0)[:3])
    else:
        np.testing.assert_allclose(first[0, 0, 0], 0.5)   # grey = 0
    plt.close(fig)


def test_plot_weights_as_images_errors():
    with pytest.raises(ValueError, match="n_in=12 columns but image_shape \\(4, 4\\) has 16 pixels"):
        P.plot_weights_as_images(np.zeros((3, 12)), (4, 4))
    with pytest.raises(ValueError, match="did you pass W.T"):
        P.plot_weights_as_images(np.zeros((16, 3)), (4, 4))
    with pytest.raises(ValueError, match="image_shape must be"):
        P.plot_weights_as_images(np.zeros((3, 16)), 16)
    with pytest.raises(ValueError, match="2-D"):
        P.plot_weights_as_images(np.zeros(16), (4, 4))


# ---------------------------------------------------------------- confusion matrix

def test_plot_confusion_matrix():
    cm = np.array([[5, 1], [2, 7]])
    ax = P.plot_confusion_matrix(cm, ["cat", "dog"])
    assert isinstance(ax, Axes)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2", "5", "7"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"


def test_plot_confusion_matrix_errors():
    with pytest.raises(ValueError, match="square"):
        P.plot_confusion_matrix(np.zeros((2, 3)), ["a", "b"])
    with pytest.raises(ValueError, match="one name per class: cm is 2x2"):
        P.plot_confusion_matrix(np.zeros((2, 2)), ["a", "b", "c"])
    with pytest.raises(ValueError, match="negative"):
        P.plot_confusion_matrix(-np.ones((2, 2)), ["a", "b"])


def test_no_plot_function_calls_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() was called"))
    x, y = make_function("abs", n_samples=10, seed=0)
    P.plot_function_fit(x, y, predict=np.abs)
    P.plot_history({"loss": [1, 0]})
    P.plot_trajectory(bowl, descend(0.05, 3))
    P.plot_image_grid(np.zeros((2, 3, 3)))
    P.plot_weights_as_images(np.zeros((2, 9)), (3, 3))
    P.plot_confusion_matrix(np.eye(2), ["a", "b"])


# ---------------------------------------------------------------- plot_network_diagram

def test_plot_network_diagram_draws_one_line_per_weight():
    ax = P.plot_network_diagram((1, 4, 1), node_labels=[["x"], ["h1", "h2", "h3", "h4"], ["y"]],
                                edge_labels=[[["w1"], ["w2"], ["w3"], ["w4"]], [["v1", "v2", "v3", "v4"]]])
    assert isinstance(ax, Axes)
    assert len(ax.lines) == 4 + 4            # 1*4 + 4*1 connections
    assert len(ax.patches) == 6              # one circle per node
    texts = {t.get_text() for t in ax.texts}
    assert {"x", "h1", "h4", "y", "w1", "w4", "v1", "v4"} <= texts
    assert any("hidden" in t for t in texts)


def test_plot_network_diagram_elides_large_layers():
    fig, ax = plt.subplots()
    out = P.plot_network_diagram([784, 16, 10], ax=ax, max_nodes=5, layer_names=["pixels", "h", "classes"])
    assert out is ax
    assert len(ax.patches) == 5 + 5 + 5      # 4 nodes, an ellipsis, the last node per layer
    assert len(ax.lines) == 5 * 5 * 2
    assert {"pixels", "h", "classes"} <= {t.get_text() for t in ax.texts}


def test_plot_network_diagram_errors():
    with pytest.raises(ValueError, match="at least two layers"):
        P.plot_network_diagram([3])
    with pytest.raises(TypeError, match="layer_sizes"):
        P.plot_network_diagram(3)
    with pytest.raises(ValueError, match=r"layer_sizes\[1\] must be at least 1"):
        P.plot_network_diagram([2, 0, 1])
    with pytest.raises(ValueError, match="node_labels must have 3 entries"):
        P.plot_network_diagram([1, 2, 1], node_labels=[["x"]])
    with pytest.raises(ValueError, match="edge_labels must have 2 entries"):
        P.plot_network_diagram([1, 2, 1], edge_labels=[None, None, None])


# ---- not_yet: the one style for "this cell needs an exercise not written yet" ----

def test_not_yet_prints_one_sentence_naming_the_functions(capsys):
    from nnlearn.plotting import not_yet
    not_yet("sigmoid")
    not_yet("sigmoid", "dense_forward", "softmax", to="see the layer's outputs")
    out = capsys.readouterr().out.splitlines()
    assert out == ["Not yet: write sigmoid above, then run this cell again.",
                   "Not yet: write sigmoid, dense_forward and softmax above, then run this cell again "
                   "to see the layer's outputs."], out


def test_not_yet_on_axes_writes_in_the_plot_and_prints_nothing(capsys):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from nnlearn.plotting import not_yet
    fig, ax = plt.subplots()
    not_yet("forward", "max_error", to="see the curve of the network and its error", ax=ax)
    texts = [t.get_text() for t in ax.texts]
    plt.close(fig)
    assert capsys.readouterr().out == ""
    assert len(texts) == 1 and all(len(line) <= 45 for line in texts[0].splitlines()), texts
    assert " ".join(texts[0].split()) == ("Not yet: write forward and max_error above, then run this cell "
                                          "again to see the curve of the network and its error."), texts


def test_not_yet_can_point_to_another_notebook(capsys):
    from nnlearn.plotting import not_yet
    not_yet("preprocess", "train_epoch", to="train the network", where="in notebook 06")
    assert capsys.readouterr().out == ("Not yet: write preprocess and train_epoch in notebook 06, then run this "
                                       "cell again to train the network.\n")


def test_not_yet_without_names_is_a_clear_error():
    from nnlearn.plotting import not_yet
    with pytest.raises(ValueError, match="at least one function name"):
        not_yet()

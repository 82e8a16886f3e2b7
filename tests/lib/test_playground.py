"""nnlearn.playground: trains the student's two-layer network live, resets with a seed,
shows a static picture without a widget frontend, and says clearly what is wrong."""

import base64
import io
import time

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

from nnlearn.layers import dense_backward
from nnlearn.losses import softmax_cross_entropy_loss
from nnlearn.playground import DATASETS, Playground, playground


# --- the notebook's exercises, built from the library's reference functions -------------------

def two_layer_loss(params, X, y):
    hidden = np.tanh(X @ params["W1"].T + params["b1"])
    scores = hidden @ params["W2"].T + params["b2"]
    loss, dscores = softmax_cross_entropy_loss(scores, y)
    dhidden, dW2, db2 = dense_backward(dscores, (hidden, params["W2"]))
    _, dW1, db1 = dense_backward(dhidden * (1 - hidden ** 2), (X, params["W1"]))
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def train_step(loss_fn, params, X, y, lr):
    loss, grads = loss_fn(params, X, y)
    for key in params:
        params[key] -= lr * grads[key]
    return loss


def train_step_l2(loss_fn, params, X, y, lr, lam):
    loss, grads = loss_fn(params, X, y)
    penalty = 0.0
    for key in params:
        grad = grads[key]
        if key.startswith("W"):
            penalty += 0.5 * lam * np.sum(params[key] ** 2)
            grad = grad + lam * params[key]
        params[key] -= lr * grad
    return loss + penalty


def init_two_layer(n_in, n_hidden, n_classes, seed=0):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(scale=1 / np.sqrt(n_in), size=(n_hidden, n_in)), "b1": np.zeros(n_hidden),
            "W2": rng.normal(scale=1 / np.sqrt(n_hidden), size=(n_classes, n_hidden)), "b2": np.zeros(n_classes)}


def not_written(*args, **kwargs):
    raise NotImplementedError()


def make(**options):
    options.setdefault("static_steps", 20)
    return playground(two_layer_loss, train_step, init_two_layer, train_step_l2=train_step_l2, **options)


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return Image.open(io.BytesIO(data)).size


# --- building and stepping -------------------------------------------------------------------

def test_builds_a_widget_with_every_control_and_a_picture():
    pg = make()
    assert isinstance(pg, Playground) and isinstance(pg, widgets.VBox)
    assert set(pg.controls) == {"dataset", "hidden", "lr", "lam", "noise", "train_fraction", "seed"}
    assert list(pg.controls["dataset"].options) == ["moons", "circles", "XOR", "spirals"] == list(DATASETS)
    assert isinstance(pg.play, widgets.Play)
    width, height = png_size(pg.image.value)
    assert width > 500 and height > 250
    assert pg.epoch == 0 and len(pg.history) == 1
    assert "epoch 0" in pg.status.value
    # no Output widget anywhere: the browser tests' "interactive plot" (controls above an
    # Output) is a different widget, measured differently
    assert not any(isinstance(w, widgets.Output) for w in _descendants(pg))


def _descendants(widget):
    for child in getattr(widget, "children", ()):
        yield child
        yield from _descendants(child)


def test_step_trains_and_the_loss_goes_down_on_moons():
    pg = make(dataset="moons", n_hidden=4, lr=1.0, steps_per_frame=5)
    first_png = pg.image.value
    start_train, start_val = pg.history[0][1:]
    assert abs(start_train - np.log(2)) < 0.4, f"an untrained network's loss should be near log 2, got {start_train}"
    pg.step()
    assert pg.epoch == 5 and len(pg.history) == 2
    assert pg.image.value != first_png, "a step must redraw the picture"
    assert "epoch 5" in pg.status.value
    pg.step(n_frames=39)
    assert pg.epoch == 200
    end_train, end_val = pg.history[-1][1:]
    assert end_train < 0.5 * start_train, f"training loss {start_train:.3f} -> {end_train:.3f}: it should halve"
    assert end_val < 0.6 * start_val, f"validation loss {start_val:.3f} -> {end_val:.3f}"
    X_val, y_val = pg.data[2:]
    assert pg._run.accuracy(X_val, y_val) > 0.85
    assert len(pg.frame_ms) == 2


def test_play_ticks_run_frames_and_a_rewind_does_not():
    pg = make(steps_per_frame=3)
    pg._last_frame_end = 0.0
    pg.play.value = 1
    assert pg.epoch == 3
    pg._last_frame_end = 0.0    # as if the next tick came a frame later
    pg.play.value = 2
    assert pg.epoch == 6
    pg.play.value = 0           # the stop button rewinds the counter: no frame
    assert pg.epoch == 6
    pg._last_frame_end = time.perf_counter()
    pg.play.value = 1           # right after the last frame: a tick queued behind it, dropped
    assert pg.epoch == 6


def test_the_step_button_runs_one_frame():
    pg = make(steps_per_frame=4)
    pg.step_button.click()
    pg.step_button.click()
    assert pg.epoch == 8


def test_the_same_seed_gives_the_same_run():
    a, b = make(seed=3), make(seed=3)
    a.step(4)
    b.step(4)
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])
    assert a.history == b.history
    c = make(seed=4)
    assert not np.array_equal(c.data[0], a.data[0]), "another seed, other data"


def test_changing_data_or_hidden_units_resets_the_network_from_the_seed():
    pg = make(seed=1)
    start = {k: v.copy() for k, v in pg.params.items()}
    pg.step(3)
    pg.controls["hidden"].value = 6
    assert pg.epoch == 0 and len(pg.history) == 1
    assert pg.params["W1"].shape == (6, 2) and pg.params["W2"].shape == (2, 6)
    np.testing.assert_array_equal(pg.params["W1"], init_two_layer(2, 6, 2, seed=1)["W1"])
    pg.controls["hidden"].value = 4
    for key in start:
        np.testing.assert_array_equal(pg.params[key], start[key])

    for name, value in [("dataset", "circles"), ("noise", 0.3), ("train_fraction", 0.7), ("seed", 5)]:
        pg.step(2)
        pg.controls[name].value = value
        assert pg.epoch == 0, f"changing {name} must start a new network"
    X_train, y_train, X_val, y_val = pg.data
    assert len(y_train) == 140 and len(y_val) == 60, "training fraction 0.7 of 200 points"
    X, y = DATASETS["circles"](200, noise=0.3, seed=5)
    np.testing.assert_array_equal(np.vstack([X_train, X_val]), X)

    pg.step(2)
    pg.reset_button.click()
    assert pg.epoch == 0
    np.testing.assert_array_equal(pg.params["W1"], init_two_layer(2, 4, 2, seed=5)["W1"])


def test_learning_rate_and_lam_apply_without_a_reset():
    pg = make()
    pg.step(2)
    pg.controls["lr"].value = 0.1
    pg.controls["lam"].value = 0.01
    assert pg.epoch == 10 and pg.settings["lr"] == 0.1 and pg.settings["lam"] == 0.01
    calls = []

    def counting_l2(*args):
        calls.append(args[-1])
        return train_step_l2(*args)

    pg.fns["train_step_l2"] = counting_l2
    pg.step()
    assert calls == [0.01] * 5, "with lam > 0 every step goes through train_step_l2, with that lam"


def test_weight_decay_keeps_the_weights_smaller():
    sizes = {}
    for lam in (0.0, 0.03):
        pg = make(lam=lam, n_hidden=8, train_fraction=0.2, noise=0.3)
        pg.step(40)
        sizes[lam] = np.sum(pg.params["W1"] ** 2) + np.sum(pg.params["W2"] ** 2)
    assert sizes[0.03] < 0.7 * sizes[0.0], sizes


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_every_data_set_trains(dataset):
    pg = make(dataset=dataset, n_hidden=8)
    pg.step(20)
    assert pg.history[-1][1] < pg.history[0][1], f"{dataset}: the training loss did not fall"


def test_a_diverging_run_stops_and_says_so():
    pg = make(lr=10.0, n_hidden=8)

    def exploding(loss_fn, params, X, y, lr):
        for key in params:
            params[key] *= 1e200
        return np.inf

    pg.fns["train_step"] = exploding
    pg.play.playing = True
    pg.step(3)
    assert pg.play.playing is False
    epoch = pg.epoch
    pg.step()
    assert pg.epoch == epoch, "no more steps once the loss is not a number"
    assert png_size(pg.image.value)
    pg.reset()
    assert pg.epoch == 0


# --- without a frontend ---------------------------------------------------------------------

def test_static_fallback_carries_the_picture_after_the_seeded_steps():
    pg = make(static_steps=60, steps_per_frame=5)
    bundle = pg._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    static_png = base64.b64decode(bundle["image/png"])
    assert png_size(static_png) == pg.static_picture.size
    again = make(static_steps=60, steps_per_frame=5)
    assert np.array_equal(np.asarray(again.static_picture), np.asarray(pg.static_picture)), "seeded: the same picture"
    assert pg.epoch == 0, "the live widget starts untrained"


def test_static_true_returns_a_picture_without_widgets():
    picture = playground(two_layer_loss, train_step, static=True, static_steps=30)
    assert isinstance(picture, Image.Image) and picture.size[0] > 500
    png = io.BytesIO()
    picture.save(png, format="png")
    assert png_size(png.getvalue())


# --- the student's functions not written, or wrong ----------------------------------------------

def test_unwritten_exercises_raise_not_implemented_when_the_cell_runs():
    with pytest.raises(NotImplementedError):
        playground(not_written, train_step, init_two_layer)
    with pytest.raises(NotImplementedError):
        playground(two_layer_loss, not_written, init_two_layer)


def test_an_unwritten_train_step_l2_is_said_in_the_status_line():
    pg = playground(two_layer_loss, train_step, init_two_layer, train_step_l2=not_written, static_steps=0)
    pg.play.playing = True
    pg.controls["lam"].value = 0.01
    pg.step_button.click()
    assert pg.play.playing is False
    assert ("Not yet: write two_layer_loss, train_step and train_step_l2 above, then run this cell again "
            "to train the network here.") in pg.status.value


def test_an_error_in_the_students_code_is_shown_not_raised():
    pg = make()

    def broken(loss_fn, params, X, y, lr):
        raise ValueError("shapes do not match")

    pg.fns["train_step"] = broken
    pg.step_button.click()
    assert "ValueError: shapes do not match" in pg.status.value


def test_without_train_step_l2_the_l2_control_is_off():
    pg = playground(two_layer_loss, train_step, static_steps=0)
    assert pg.controls["lam"].disabled
    with pytest.raises(ValueError, match="train_step_l2"):
        playground(two_layer_loss, train_step, lam=0.01)


@pytest.mark.parametrize("options, error, message", [
    ({"loss_fn": 3}, TypeError, "loss_fn must be your function"),
    ({"train_step": None}, TypeError, "train_step must be your function"),
    ({"init_params": "init"}, TypeError, "init_params must be your function"),
    ({"train_step_l2": 1.0}, TypeError, "train_step_l2 must be your function"),
    ({"dataset": "iris"}, ValueError, "dataset must be one of"),
    ({"n_hidden": 0}, ValueError, "n_hidden must be between 1 and 8"),
    ({"n_hidden": 2.5}, TypeError, "n_hidden must be an int"),
    ({"lr": 0}, ValueError, "lr must be in"),
    ({"lr": float("nan")}, TypeError, "lr must be a finite number"),
    ({"lam": -0.1}, ValueError, "lam must be in"),
    ({"noise": 2.0}, ValueError, "noise must be in"),
    ({"train_fraction": 1.0}, ValueError, "train_fraction must be in"),
    ({"seed": -1}, ValueError, "seed must be between"),
    ({"steps_per_frame": 0}, ValueError, "steps_per_frame"),
])
def test_bad_arguments_are_clear_errors(options, error, message):
    arguments = {"loss_fn": two_layer_loss, "train_step": train_step, "init_params": init_two_layer}
    arguments.update(options)
    with pytest.raises(error, match=message):
        playground(arguments.pop("loss_fn"), arguments.pop("train_step"), **arguments)


def test_a_wrong_init_params_is_a_clear_error():
    with pytest.raises(ValueError, match="must return a dict with the keys"):
        playground(two_layer_loss, train_step, lambda *a, **k: {"W": np.zeros((2, 2))})
    with pytest.raises(ValueError, match=r"expected \(4, 2\) and \(2, 4\)"):
        playground(two_layer_loss, train_step, lambda n_in, h, c, seed=0: init_two_layer(n_in, h + 1, c, seed))


def test_every_frame_is_timed_for_the_benchmark():
    """Each frame records its kernel time (benchmarks/bench_widgets.py prints them, with the
    browser's; speed is a benchmark figure, never a timed unit test on a shared machine)."""
    pg = make(n_hidden=8)
    for _ in range(10):
        pg.step()
    assert len(pg.frame_ms) == 10
    assert all(np.isfinite(ms) and ms > 0 for ms in pg.frame_ms), pg.frame_ms

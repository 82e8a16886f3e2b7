"""Optimisers, gradient checking helpers and the network's fit/predict."""

import numpy as np
import pytest

from nnlearn import gradcheck as gc
from nnlearn.layers import Dense, ReLU, Tanh
from nnlearn.network import Network, mlp
from nnlearn.optimizers import SGD, Adam, Momentum

rng = np.random.default_rng(1)


def xor_data(n=200, seed=0):
    r = np.random.default_rng(seed)
    X = r.uniform(-1, 1, (n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


# ------------------------------------------------------------------ gradcheck itself
def test_numerical_derivative_and_gradient():
    assert gc.numerical_derivative(np.sin, 0.3) == pytest.approx(np.cos(0.3), rel=1e-9)
    x = rng.standard_normal((3, 2))
    before = x.copy()
    g = gc.numerical_gradient(lambda: np.sum(x ** 3), x)
    np.testing.assert_allclose(g, 3 * x ** 2, rtol=1e-8, atol=1e-9)
    np.testing.assert_array_equal(x, before)  # restored


def test_relative_error_scale():
    a = rng.standard_normal(10)
    assert gc.relative_error(a, a) == 0.0
    assert gc.relative_error(a, -a) == pytest.approx(1.0)
    assert gc.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    with pytest.raises(ValueError, match="shape"):
        gc.relative_error(np.zeros(3), np.zeros(4))


def test_gradcheck_catches_a_wrong_backward():
    class WrongTanh(Tanh):
        def backward(self, dout, cache):
            return dout * (1 - cache)  # forgot the square

    assert gc.check_layer_gradients(WrongTanh(), rng.standard_normal((4, 3)))["X"] > 1e-3


def test_numerical_gradient_refuses_float32():
    with pytest.raises(TypeError, match="float64"):
        gc.numerical_gradient(lambda: 0.0, np.zeros(3, dtype=np.float32))


def test_whole_network_gradient_is_checked():
    net = mlp([3, 5, 4, 3], activation="tanh", seed=0)
    X, y = rng.standard_normal((6, 3)), rng.integers(0, 3, 6)

    def loss():
        return net._loss_and_grad(net.forward(X)[0], y)[0]

    scores, caches = net.forward(X)
    net.backward(net._loss_and_grad(scores, y)[1], caches)
    for p, g in zip(net.params, net.grads):
        assert gc.relative_error(g, gc.numerical_gradient(loss, p)) < 1e-7


@pytest.mark.parametrize("loss, n_out, y", [
    ("sigmoid_cross_entropy", 1, (rng.random(6) > 0.5).astype(float)),
    ("mse", 2, rng.standard_normal((6, 2))),
])
def test_network_gradients_for_other_losses(loss, n_out, y):
    net = mlp([3, 4, n_out], activation="sigmoid", loss=loss, seed=0)
    X = rng.standard_normal((6, 3))
    yt = net._targets(y, 6)

    def f():
        return net._loss_and_grad(net.forward(X)[0], yt)[0]

    scores, caches = net.forward(X)
    net.backward(net._loss_and_grad(scores, yt)[1], caches)
    for p, g in zip(net.params, net.grads):
        assert gc.relative_error(g, gc.numerical_gradient(f, p)) < 1e-7


# ------------------------------------------------------------------ optimisers
def test_optimisers_minimise_a_quadratic():
    target = np.array([3.0, -2.0])
    for opt, steps in ((SGD(0.1), 200), (Momentum(0.05, 0.9), 300), (Adam(0.1), 500)):
        w = np.zeros(2)
        for _ in range(steps):
            opt.step([w], [2 * (w - target)])
        np.testing.assert_allclose(w, target, atol=1e-3, err_msg=repr(opt))


def test_adam_matches_the_textbook_formula():
    w, g = np.array([1.0, -2.0]), np.array([0.5, -0.1])
    opt = Adam(lr=0.01)
    m = v = np.zeros(2)
    expected = w.copy()
    for t in range(1, 4):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g ** 2
        expected -= 0.01 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t) * m / (np.sqrt(v) + 1e-8)
        opt.step([w], [g])
    np.testing.assert_allclose(w, expected, rtol=1e-12)


def test_optimisers_update_in_place():
    w = np.ones(3)
    ref = w
    Adam().step([w], [np.ones(3)])
    assert ref is w and not np.all(w == 1)


@pytest.mark.parametrize("call, words", [
    (lambda: SGD(lr=0), "lr must be"),
    (lambda: SGD(lr=float("nan")), "lr must be"),
    (lambda: Momentum(beta=1.0), "beta must be"),
    (lambda: Adam(beta2=1.5), "beta2 must be"),
    (lambda: SGD().step([np.zeros(2)], [np.zeros(3)]), r"shape \(3,\).*\(2,\)"),
    (lambda: SGD().step([np.zeros(2)], []), "1 parameter arrays but 0 gradients"),
])
def test_optimiser_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()


# ------------------------------------------------------------------ network
def test_fit_learns_xor_and_records_history():
    X, y = xor_data()
    net = mlp([2, 16, 2], activation="tanh", seed=0)
    net.fit(X, y, epochs=60, batch_size=20, optimizer=Adam(0.02), seed=0, validation_data=xor_data(100, 1))
    assert set(net.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(net.history["loss"]) == 60
    assert net.history["loss"][-1] < net.history["loss"][0] / 3
    assert net.history["val_accuracy"][-1] > 0.9
    P = net.predict_proba(X)
    assert P.shape == (200, 2) and np.allclose(P.sum(axis=1), 1)
    np.testing.assert_array_equal(net.predict(X), P.argmax(axis=1))
    loss, acc = net.evaluate(X, np.eye(2)[y])  # one-hot works too
    assert acc > 0.9 and loss == pytest.approx(net.evaluate(X, y)[0])


def test_fit_is_reproducible_and_resumable():
    X, y = xor_data()
    a = mlp([2, 8, 2], seed=3).fit(X, y, epochs=5, seed=9)
    b = mlp([2, 8, 2], seed=3).fit(X, y, epochs=5, seed=9)
    np.testing.assert_array_equal(a.params[0], b.params[0])
    a.fit(X, y, epochs=2, seed=1)
    assert len(a.history["loss"]) == 7


def test_updates_happen_per_mini_batch_not_per_epoch():
    X, y = xor_data(100)
    net = mlp([2, 4, 2], seed=0)
    opt = SGD(0.1)
    net.fit(X, y, epochs=3, batch_size=10, optimizer=opt)
    assert opt.t == 30
    net.fit(X, y, epochs=2, batch_size=None)
    assert opt.t == 32


def test_binary_and_regression_networks():
    X, y = xor_data()
    net = mlp([2, 16, 1], activation="tanh", loss="sigmoid_cross_entropy", seed=0)
    net.fit(X, y, epochs=80, batch_size=20, optimizer=Adam(0.02), seed=0)
    assert net.predict_proba(X).shape == (200,) and (net.predict(X) == y).mean() > 0.9
    reg = mlp([1, 16, 1], activation="tanh", loss="mse", seed=0)
    x = np.linspace(-2, 2, 50).reshape(-1, 1)
    reg.fit(x, np.sin(x), epochs=300, batch_size=10, optimizer=Adam(0.02), seed=0)
    assert reg.history["loss"][-1] < 0.01 and reg.predict(x).shape == (50, 1)
    with pytest.raises(ValueError, match="predict"):
        reg.predict_proba(x)


def test_callback_and_progress_bar(capsys):
    X, y = xor_data(50)
    seen = []
    mlp([2, 4, 2], seed=0).fit(X, y, epochs=3, callback=lambda e, net: seen.append(e), progress=True)
    assert seen == [0, 1, 2]
    captured = capsys.readouterr()
    assert "epochs" in captured.out and captured.err == ""  # the bar never writes to stderr


def test_float32_training_stays_float32():
    X, y = xor_data()
    net = mlp([2, 8, 2], seed=0, dtype=np.float32).fit(X, y, epochs=2)
    assert all(p.dtype == np.float32 for p in net.params)
    assert net.predict_proba(X).dtype == np.float32


@pytest.mark.parametrize("call, error, words", [
    (lambda n: n.fit(np.zeros((5, 3)), np.zeros(5, int)), ValueError, "X has 3 features per sample"),
    (lambda n: n.fit(np.zeros((5, 2)), np.zeros(4, int)), ValueError, "4 labels but there are 5 samples"),
    (lambda n: n.fit(np.zeros((5, 2)), np.full(5, 2)), ValueError, "class label 2"),
    (lambda n: n.fit(np.full((5, 2), np.nan), np.zeros(5, int)), ValueError, "NaN"),
    (lambda n: n.fit(np.zeros((0, 2)), np.zeros(0, int)), ValueError, "empty"),
    (lambda n: n.fit(np.zeros((5, 2)), np.zeros(5, int), batch_size=0), ValueError, "batch_size"),
    (lambda n: n.fit(np.zeros((5, 2)), np.zeros(5, int), epochs=-1), ValueError, "epochs"),
    (lambda n: n.fit(np.zeros((5, 2)), np.zeros(5, int), optimizer="adam"), TypeError, "optimiser"),
    (lambda n: n.predict(np.zeros(2)), ValueError, "2-D"),
    (lambda n: n.predict([["a", "b"]]), TypeError, "real numbers"),
])
def test_network_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call(mlp([2, 3, 2], seed=0))


def test_network_construction_errors():
    with pytest.raises(ValueError, match="do not fit"):
        Network([Dense(2, 3), ReLU(), Dense(4, 2)])
    with pytest.raises(ValueError, match="starts with a Dense"):
        Network([ReLU()])
    with pytest.raises(ValueError, match="one output score"):
        mlp([2, 3, 2], loss="sigmoid_cross_entropy")
    with pytest.raises(ValueError, match="unknown loss"):
        mlp([2, 3, 2], loss="hinge")
    with pytest.raises(ValueError, match="unknown activation"):
        mlp([2, 3, 2], activation="swish")


def test_adam_moments_are_the_textbook_ones():
    g = np.array([0.5, -0.1])
    opt = Adam()
    w = np.zeros(2)
    opt.step([w], [g])
    opt.step([w], [2 * g])
    m, v = opt.moments(0)
    np.testing.assert_allclose(m, 0.9 * 0.1 * g + 0.1 * 2 * g)
    np.testing.assert_allclose(v, 0.999 * 0.001 * g ** 2 + 0.001 * 4 * g ** 2)

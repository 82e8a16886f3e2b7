"""Layers: every backward pass is gradient-checked in float64 (relative error < 1e-7)."""

import numpy as np
import pytest

from nnlearn import initializers as init
from nnlearn import layers as L
from nnlearn.gradcheck import check_layer_gradients, numerical_gradient, relative_error

TOL = 1e-7
rng = np.random.default_rng(7)


def away_from_kinks(shape):
    """Inputs at least 0.05 away from 0, where ReLU-like layers have a kink."""
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < 0.05, 0.5, x)


@pytest.mark.parametrize("layer", [
    L.Dense(4, 3, seed=0), L.Dense(1, 5, init="he", seed=1), L.Dense(6, 1, init="normal", seed=2),
    L.Sigmoid(), L.Tanh(), L.ReLU(), L.LeakyReLU(0.1), L.Softmax(),
], ids=repr)
def test_backward_matches_numerical_gradient(layer):
    n_in = layer.n_in if isinstance(layer, L.Dense) else 4
    layer.params = {k: v.astype(np.float64) for k, v in layer.params.items()}
    errors = check_layer_gradients(layer, away_from_kinks((5, n_in)))
    assert set(errors) == {"X", *layer.params}
    assert max(errors.values()) < TOL, errors


def test_dense_functions_match_layer_and_are_checked():
    X, W, b = rng.standard_normal((5, 4)), rng.standard_normal((3, 4)), rng.standard_normal(3)
    out, cache = L.dense_forward(X, W, b)
    np.testing.assert_allclose(out, X @ W.T + b)
    R = rng.standard_normal(out.shape)
    dX, dW, db = L.dense_backward(R, cache)
    for analytic, x in ((dX, X), (dW, W), (db, b)):
        numeric = numerical_gradient(lambda: np.sum(L.dense_forward(X, W, b)[0] * R), x)
        assert relative_error(analytic, numeric) < TOL
    assert dW.shape == W.shape and db.shape == b.shape and dX.shape == X.shape


def test_dense_shapes_follow_the_convention():
    layer = L.Dense(3, 2, seed=0)
    assert layer.params["W"].shape == (2, 3) and layer.params["b"].shape == (2,)
    out, cache = layer.forward(np.ones((7, 3)))
    assert out.shape == (7, 2)
    assert layer.backward(np.ones((7, 2)), cache).shape == (7, 3)
    assert layer.grads["W"].shape == (2, 3)


def test_first_layer_can_skip_input_gradient():
    layer = L.Dense(3, 2, seed=0)
    layer.needs_input_grad = False
    out, cache = layer.forward(np.ones((4, 3)))
    assert layer.backward(np.ones((4, 2)), cache) is None
    np.testing.assert_allclose(layer.grads["b"], [4.0, 4.0])


def test_float32_layer_stays_float32():
    layer = L.Dense(3, 2, seed=0, dtype=np.float32)
    out, _ = layer.forward(np.ones((4, 3), dtype=np.float32))
    assert out.dtype == np.float32 and layer.params["W"].dtype == np.float32


def test_seeds_make_layers_reproducible():
    a, b, c = L.Dense(5, 4, seed=3), L.Dense(5, 4, seed=3), L.Dense(5, 4, seed=4)
    np.testing.assert_array_equal(a.params["W"], b.params["W"])
    assert not np.array_equal(a.params["W"], c.params["W"])


@pytest.mark.parametrize("call, words", [
    (lambda: L.dense_forward(np.ones((4, 2)), np.ones((2, 3)), np.zeros(2)), r"X has shape \(4, 2\), expected \(n, 3\)"),
    (lambda: L.dense_forward(np.ones((4, 3)), np.ones((2, 3)), np.zeros(3)), r"b has shape \(3,\), expected \(2,\)"),
    (lambda: L.dense_forward(np.ones((4, 3)), np.ones((2, 3)), np.zeros((1, 2))), r"b has shape \(1, 2\)"),
    (lambda: L.Dense(3, 2).forward(np.ones((4, 2))), r"X has shape \(4, 2\), expected \(n_samples, 3\)"),
    (lambda: L.Dense(3, 2).forward(np.ones(3)), r"X has shape \(3,\), expected \(n_samples, 3\)"),
    (lambda: L.Dense(0, 2), "n_in must be a positive int"),
    (lambda: L.Dense(3, 2, init="bogus"), "unknown initialiser"),
    (lambda: L.Dense(3, 2).backward(np.ones((4, 3)), np.ones((4, 3))), r"dout has shape \(4, 3\), expected \(4, 2\)"),
])
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()


@pytest.mark.parametrize("where", ["X", "W", "b"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_dense_forward_names_a_nan_or_infinity_in_any_input(where, bad):
    """The check looks at the output first (cheap) and only then at the inputs: same messages."""
    X, W, b = np.ones((4, 3)), np.zeros((2, 3)), np.zeros(2)          # zero weights: 0 * inf is NaN
    arrays = {"X": X, "W": W, "b": b}
    arrays[where][(1,) * arrays[where].ndim] = bad
    with pytest.raises(ValueError, match=rf"{where} contains NaN or infinite values \(first at index "):
        L.dense_forward(arrays["X"], arrays["W"], arrays["b"])
    X32 = {k: v.astype(np.float32) for k, v in arrays.items()}
    with pytest.raises(ValueError, match=rf"{where} contains NaN or infinite values"):
        L.dense_forward(X32["X"], X32["W"], X32["b"])


def test_dense_forward_lets_finite_inputs_overflow_as_numpy_does():
    X, W, b = np.full((2, 2), 1e200), np.full((1, 2), 1e200), np.zeros(1)
    with np.errstate(over="ignore"):
        out, _ = L.dense_forward(X, W, b)
    assert np.isinf(out).all()


def test_initializers():
    for name in ("normal", "xavier", "he"):
        W = init.INITIALIZERS[name]((200, 300), seed=0)
        assert W.shape == (200, 300) and W.dtype == np.float64
        np.testing.assert_array_equal(W, init.INITIALIZERS[name]((200, 300), seed=0))
    assert np.std(init.he((200, 300), seed=0)) == pytest.approx(np.sqrt(2 / 300), rel=0.02)
    assert np.abs(init.xavier((200, 300), seed=0)).max() <= np.sqrt(6 / 500)
    assert np.std(init.normal((200, 300), seed=0)) == pytest.approx(0.01, rel=0.02)
    assert not init.zeros((2, 3)).any()
    with pytest.raises(ValueError, match="tuple"):
        init.he((3,))
    with pytest.raises(TypeError, match="seed"):
        init.he((3, 2), seed="x")

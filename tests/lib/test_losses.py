"""Losses: known values, gradients against finite differences, stability, bad input."""

import numpy as np
import pytest

from nnlearn import losses as L
from nnlearn.activations import sigmoid, softmax
from nnlearn.gradcheck import check_loss_gradient, numerical_gradient, relative_error

rng = np.random.default_rng(42)


def test_mse_value_and_gradient():
    y_pred, y_true = np.array([[1.0], [2.0], [4.0]]), np.array([[1.0], [3.0], [2.0]])
    assert L.mse(y_pred, y_true) == pytest.approx((0 + 1 + 4) / 3)
    assert check_loss_gradient(L.mse_loss, rng.standard_normal((5, 2)), rng.standard_normal((5, 2))) < 1e-7
    np.testing.assert_allclose(L.mse_gradient(y_pred, y_true), L.mse_loss(y_pred, y_true)[1])


def test_cat_at_75_percent():
    # a cat image (class 0) predicted as [0.75 cat, 0.25 dog] costs -log(0.75)
    assert L.categorical_cross_entropy(np.array([[0.75, 0.25]]), np.array([0])) == pytest.approx(-np.log(0.75))
    losses = [L.categorical_cross_entropy(np.array([[p, 1 - p]]), [0]) for p in (0.5, 0.75, 0.9, 0.99)]
    assert losses == sorted(losses, reverse=True) and losses[-1] < 0.011


def test_labels_and_one_hot_agree():
    Z = rng.standard_normal((6, 3))
    labels = np.array([0, 2, 1, 1, 0, 2])
    Y = np.eye(3)[labels]
    assert L.categorical_cross_entropy_with_logits(Z, labels) == pytest.approx(L.categorical_cross_entropy_with_logits(Z, Y))
    assert L.categorical_cross_entropy(softmax(Z), labels) == pytest.approx(L.categorical_cross_entropy_with_logits(Z, labels))


def test_binary_forms_agree():
    z = rng.standard_normal((8, 1)) * 3
    y = (rng.random((8, 1)) > 0.5).astype(float)
    assert L.binary_cross_entropy(sigmoid(z), y) == pytest.approx(L.binary_cross_entropy_with_logits(z, y), rel=1e-12)


@pytest.mark.parametrize("loss_and_grad, make_target", [
    (L.sigmoid_cross_entropy_loss, lambda: (rng.random((6, 1)) > 0.5).astype(float)),
    (L.softmax_cross_entropy_loss, lambda: rng.integers(0, 4, 6)),
    (lambda P, y: (L.categorical_cross_entropy(P, y), L.categorical_cross_entropy_gradient(P, y)),
     lambda: rng.integers(0, 4, 6)),
])
def test_gradients_are_checked(loss_and_grad, make_target):
    target = make_target()
    pred = rng.standard_normal((6, 1 if target.ndim == 2 else 4))
    if loss_and_grad not in (L.sigmoid_cross_entropy_loss, L.softmax_cross_entropy_loss):
        pred = softmax(pred)  # probabilities for the probability form
    assert check_loss_gradient(loss_and_grad, pred, target) < 1e-7


def test_binary_cross_entropy_gradient_from_probabilities():
    p = rng.uniform(0.1, 0.9, (5, 1))
    y = np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
    numeric = numerical_gradient(lambda: L.binary_cross_entropy(p, y), p)
    assert relative_error(L.binary_cross_entropy_gradient(p, y), numeric) < 1e-7


def test_softmax_cross_entropy_gradient_is_p_minus_y_over_n():
    Z = rng.standard_normal((5, 3))
    y = np.array([0, 1, 2, 1, 0])
    _, dZ = L.softmax_cross_entropy_loss(Z, y)
    np.testing.assert_allclose(dZ, (softmax(Z) - np.eye(3)[y]) / 5)


def test_extreme_logits_are_exact_and_quiet():
    Z = np.array([[1000.0, -1000.0], [-1000.0, 1000.0], [0.0, 0.0]])
    y = np.array([0, 0, 1])
    with np.errstate(all="raise"):
        loss, dZ = L.softmax_cross_entropy_loss(Z, y)
        bce = L.binary_cross_entropy_with_logits(np.array([[1000.0], [-1000.0]]), np.array([[0.0], [0.0]]))
        clipped = L.categorical_cross_entropy(np.array([[1.0, 0.0]]), [1])
        bce_p = L.binary_cross_entropy(np.array([[1.0], [0.0]]), np.array([[0.0], [1.0]]))
    # sample 2 is 2000 nats wrong, sample 3 is log 2 wrong, sample 1 is right
    assert loss == pytest.approx((0 + 2000 + np.log(2)) / 3)
    assert bce == pytest.approx(1000 / 2)
    assert np.isfinite(clipped) and clipped > 700 and np.isfinite(bce_p)
    assert np.all(np.isfinite(dZ))


@pytest.mark.parametrize("call, error, words", [
    (lambda: L.mse(np.zeros((3, 1)), np.zeros(3)), ValueError, r"shape \(3,\).*\(3, 1\)"),
    (lambda: L.softmax_cross_entropy_loss(np.zeros((3, 2)), [0, 1, 2]), ValueError, "only 2 classes"),
    (lambda: L.softmax_cross_entropy_loss(np.zeros((3, 2)), [0, 1]), ValueError, "2 labels but there are 3 samples"),
    (lambda: L.softmax_cross_entropy_loss(np.zeros((2, 2)), [0, -1]), ValueError, "negative"),
    (lambda: L.softmax_cross_entropy_loss(np.zeros((2, 2)), [0.5, 1]), ValueError, "whole-number"),
    (lambda: L.softmax_cross_entropy_loss(np.zeros((2, 2)), [[1, 1], [0, 1]]), ValueError, "one-hot"),
    (lambda: L.binary_cross_entropy_with_logits(np.zeros((2, 1)), np.array([[2.0], [0.0]])), ValueError, r"\[0, 1\]"),
    (lambda: L.categorical_cross_entropy(np.zeros((0, 2)), []), ValueError, "empty"),
    (lambda: L.mse(np.array([[np.nan]]), np.array([[1.0]])), ValueError, "NaN"),
    (lambda: L.mse(np.array([["a"]]), np.array([[1.0]])), TypeError, "real numbers"),
])
def test_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()

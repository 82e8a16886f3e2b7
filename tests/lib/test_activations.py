"""Activations: values, ranges, derivatives (against finite differences), stability at ±1000."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnlearn import activations as act
from nnlearn.gradcheck import numerical_gradient, relative_error

EXTREME = np.array([-1000.0, -745.0, -710.0, -100.0, -1.0, 0.0, 1.0, 100.0, 710.0, 1000.0])
finite_floats = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


def test_known_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(act.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    np.testing.assert_allclose(act.tanh(z), np.tanh(z))
    np.testing.assert_array_equal(act.relu(z), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(act.leaky_relu(z, alpha=0.1), [-0.2, 0.0, 3.0])
    np.testing.assert_array_equal(act.step(z), [0.0, 0.0, 1.0])
    P = act.softmax(np.array([[1.0, 2.0, 3.0]]))
    np.testing.assert_allclose(P, np.exp([[1, 2, 3]]) / np.exp([1, 2, 3]).sum(), rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_stable_and_exact_at_extremes_without_warnings(dtype):
    z = EXTREME.astype(dtype)
    with np.errstate(all="raise"):
        s = act.sigmoid(z)
        P = act.softmax(np.stack([z, -z, np.zeros_like(z)], axis=1))
        logP = act.log_softmax(np.stack([z, -z], axis=1))
        d = act.sigmoid_derivative(z), act.tanh_derivative(z)
    assert s.dtype == dtype and P.dtype == dtype
    assert s[0] == 0.0 and s[-1] == 1.0 and s[5] == 0.5
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(P)) and np.all(np.isfinite(logP))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-6)
    # log_softmax([1000, -1000]) is exactly [0, -2000]
    np.testing.assert_allclose(logP[-1], [0.0, -2000.0])
    assert all(np.all(np.isfinite(x)) for x in d)


def test_sigmoid_matches_naive_where_naive_is_safe():
    z = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(act.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)


@given(arrays(np.float64, st.integers(1, 20), elements=finite_floats))
def test_ranges(z):
    with np.errstate(all="raise"):
        assert np.all((act.sigmoid(z) >= 0) & (act.sigmoid(z) <= 1))
        assert np.all(np.abs(act.tanh(z)) <= 1)
        assert np.all(act.relu(z) >= 0)
        assert set(np.unique(act.step(z))) <= {0.0, 1.0}


@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(2, 6)), elements=finite_floats))
def test_softmax_rows_are_distributions_and_shift_invariant(Z):
    with np.errstate(all="raise"):
        P, P_shifted, log_P = act.softmax(Z), act.softmax(Z + 123.0), act.log_softmax(Z)
    assert np.all(P >= 0)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(P_shifted, P, atol=1e-12)
    np.testing.assert_allclose(np.exp(log_P), P, atol=1e-12)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_derivatives_match_finite_differences(name):
    f, df = act.ACTIVATIONS[name]
    z = np.array([-3.0, -0.7, -0.1, 0.2, 0.9, 2.5])  # avoid the kink at 0
    numeric = np.array([(f(np.array(x + 1e-6)) - f(np.array(x - 1e-6))) / 2e-6 for x in z])
    assert relative_error(df(z), numeric) < 1e-7


def test_tanh_derivative_reuses_value():
    z = np.linspace(-4, 4, 9)
    np.testing.assert_allclose(act.tanh_derivative(z), 1 - np.tanh(z) ** 2)
    np.testing.assert_allclose(act.sigmoid_derivative(z), act.sigmoid(z) * (1 - act.sigmoid(z)))
    assert act.sigmoid_derivative(np.array(0.0)) == 0.25


def test_step_has_no_gradient():
    assert not np.any(act.step_derivative(np.array([-1.0, 0.5, 2.0])))


def test_softmax_backward_is_gradient_checked():
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((4, 5))
    R = rng.standard_normal((4, 5))
    analytic = act.softmax_backward(R, act.softmax(Z))
    numeric = numerical_gradient(lambda: np.sum(act.softmax(Z) * R), Z)
    assert relative_error(analytic, numeric) < 1e-7


def test_dtype_and_shape_are_kept():
    z32 = np.ones((3, 4), dtype=np.float32)
    for f in (act.sigmoid, act.tanh, act.relu, act.leaky_relu, act.step, act.softmax):
        out = f(z32)
        assert out.dtype == np.float32 and out.shape == (3, 4)
    assert act.sigmoid([1, 2]).dtype == np.float64  # ints and lists become float64


@pytest.mark.parametrize("bad, error, words", [
    (np.array([1.0, np.nan]), ValueError, "NaN"),
    (np.array([1.0, np.inf]), ValueError, "infinite"),
    (np.array(["a", "b"]), TypeError, "real numbers"),
    ([[1.0, 2.0], [3.0]], ValueError, "could not be turned into an array"),
])
def test_bad_input_is_named(bad, error, words):
    with pytest.raises(error, match=words):
        act.sigmoid(bad)


def test_softmax_rejects_3d_and_bad_alpha():
    with pytest.raises(ValueError, match="1-D or 2-D"):
        act.softmax(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="alpha"):
        act.leaky_relu(np.zeros(3), alpha=-1)

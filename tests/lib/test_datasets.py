"""Data set generators: shapes, dtypes, balance, determinism, geometry, errors."""

import subprocess
import sys

import numpy as np
import pytest

from nnlearn import datasets as D

CLASSIFIERS = [
    (D.make_moons, {}, 2),
    (D.make_circles, {}, 2),
    (D.make_spirals, {}, 3),
    (D.make_spirals, {"n_classes": 5}, 5),
    (D.make_xor, {}, 2),
]


@pytest.mark.parametrize("make, kwargs, k", CLASSIFIERS)
@pytest.mark.parametrize("n", [2 * 5, 101, 200])
def test_classification_shapes_dtypes_balance(make, kwargs, k, n):
    if n < k:
        pytest.skip("fewer samples than classes")
    X, y = make(n_samples=n, seed=0, **kwargs)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype.kind == "i"
    counts = np.bincount(y, minlength=k)
    assert len(counts) == k and counts.max() - counts.min() <= 1
    assert np.isfinite(X).all()


@pytest.mark.parametrize("make, kwargs, k", CLASSIFIERS)
def test_classification_determinism_and_shuffle(make, kwargs, k):
    X1, y1 = make(seed=7, **kwargs)
    X2, y2 = make(seed=7, **kwargs)
    X3, _ = make(seed=8, **kwargs)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.allclose(X1, X3)
    # shuffled: the first quarter of the rows is not a single class
    assert len(np.unique(y1[: len(y1) // 4])) > 1
    # a Generator works too and advances
    g = np.random.default_rng(0)
    assert not np.allclose(make(seed=g, **kwargs)[0], make(seed=g, **kwargs)[0])


def test_geometry_without_noise():
    X, y = D.make_circles(100, noise=0.0, factor=0.3, seed=0)
    r = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.3)

    X, y = D.make_xor(200, noise=0.0, seed=0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))

    X, y = D.make_moons(100, noise=0.0, seed=0)
    np.testing.assert_allclose(np.linalg.norm(X[y == 0], axis=1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(X[y == 1] - [1.0, 0.5], axis=1), 1.0)

    X, y = D.make_spirals(90, n_classes=3, noise=0.0, seed=0)
    assert np.linalg.norm(X, axis=1).max() == pytest.approx(1.0)


@pytest.mark.parametrize("name", sorted(D.FUNCTIONS))
def test_make_function_named(name):
    x, y = D.make_function(name, n_samples=40, seed=0)
    assert x.shape == (40, 1) and y.shape == (40, 1)
    assert x.dtype == np.float64 and y.dtype == np.float64
    assert np.all(np.diff(x[:, 0]) >= 0), "x should be sorted"
    assert x.min() >= -3 and x.max() <= 3
    np.testing.assert_allclose(y[:, 0], D.FUNCTIONS[name](x[:, 0]))
    assert np.abs(y).max() <= 3.5


def test_make_function_noise_range_determinism():
    x, y = D.make_function("sine", n_samples=500, noise=0.1, x_range=(0, 1), seed=1)
    assert 0 <= x.min() and x.max() <= 1
    residual = y[:, 0] - np.sin(x[:, 0])
    assert 0.08 < residual.std() < 0.12
    x2, y2 = D.make_function("sine", n_samples=500, noise=0.1, x_range=(0, 1), seed=1)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(y, D.make_function("sine", n_samples=500, noise=0.1, x_range=(0, 1), seed=2)[1])


def test_make_function_callables():
    x, y = D.make_function(lambda t: 2 * t + 1, n_samples=10, seed=0)
    np.testing.assert_allclose(y, 2 * x + 1)
    import math
    x, y = D.make_function(math.sin, n_samples=10, seed=0)  # not vectorised: called per point
    np.testing.assert_allclose(y[:, 0], np.sin(x[:, 0]))


def test_make_image_like_classification():
    X, y = D.make_image_like_classification(301, 64, seed=0)
    assert X.shape == (301, 64) and X.dtype == np.float32
    assert y.shape == (301,) and y.dtype.kind == "i"
    assert abs(np.bincount(y)[0] - np.bincount(y)[1]) <= 1
    assert abs(X.mean()) < 0.1 and abs(X.std() - 1) < 0.05
    X2, y2 = D.make_image_like_classification(301, 64, seed=0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, D.make_image_like_classification(301, 64, seed=1)[0])
    X3, y3 = D.make_image_like_classification(100, 10, n_classes=4, seed=0, dtype=np.float64)
    assert X3.dtype == np.float64 and np.bincount(y3).tolist() == [25, 25, 25, 25]


def test_image_like_is_not_linearly_separable_but_learnable():
    """Class means coincide (no linear signal), yet nearby points share classes."""
    X, y = D.make_image_like_classification(2000, 200, seed=0, dtype=np.float64)
    # least-squares linear classifier on a train/test split: about chance
    Xb = np.hstack([X, np.ones((len(X), 1))])
    w = np.linalg.lstsq(Xb[:1500], 2.0 * y[:1500] - 1, rcond=None)[0]
    linear_acc = np.mean((Xb[1500:] @ w > 0) == y[1500:])
    # 5-nearest neighbours (a nonlinear method) does much better
    test, train = X[1500:], X[:1500]
    d2 = (test**2).sum(1)[:, None] - 2 * test @ train.T + (train**2).sum(1)[None, :]
    nn = np.argsort(d2, axis=1)[:, :5]
    knn_acc = np.mean((y[:1500][nn].mean(axis=1) > 0.5) == y[1500:])
    assert linear_acc < 0.6
    assert knn_acc > linear_acc + 0.1


@pytest.mark.parametrize("call, error, match", [
    (lambda: D.make_moons(0), ValueError, "n_samples must be at least 2"),
    (lambda: D.make_moons(10.5), TypeError, "n_samples must be an integer"),
    (lambda: D.make_moons(10, noise=-1), ValueError, "noise must be a finite number >= 0"),
    (lambda: D.make_circles(10, factor=1.5), ValueError, "strictly between 0 and 1"),
    (lambda: D.make_spirals(10, n_classes=1), ValueError, "n_classes must be at least 2"),
    (lambda: D.make_spirals(2, n_classes=3), ValueError, "n_samples must be at least 3"),
    (lambda: D.make_xor(10, seed="x"), TypeError, "seed"),
    (lambda: D.make_function("nope"), ValueError, "unknown function 'nope'"),
    (lambda: D.make_function(3), TypeError, "name or a callable"),
    (lambda: D.make_function("sine", n_samples=0), ValueError, "n_samples must be at least 1"),
    (lambda: D.make_function("sine", x_range=(1, -1)), ValueError, "low < high"),
    (lambda: D.make_function("sine", x_range=(0, 1, 2)), ValueError, "x_range has shape"),
    (lambda: D.make_function(lambda t: np.log(t), x_range=(-1, 1)), ValueError, "NaN or infinite"),
    (lambda: D.make_image_like_classification(10, 1), ValueError, "n_features must be at least 2"),
    (lambda: D.make_image_like_classification(10, 5, dtype=np.int32), TypeError, "floating-point"),
])
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_import_nnlearn_does_not_import_matplotlib():
    code = (
        "import sys, nnlearn, nnlearn.datasets, nnlearn.preprocessing, nnlearn.metrics\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

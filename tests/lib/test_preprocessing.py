"""Preprocessing: train/test split, one-hot, standardisation, flattening images."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlearn.preprocessing import Standardizer, flatten_images, one_hot, train_test_split


# ---------------------------------------------------------------- train_test_split

def test_default_split_is_80_20_and_a_partition():
    X = np.arange(200, dtype=float).reshape(100, 2)
    y = np.arange(100)
    X_train, X_test, y_train, y_test = train_test_split(X, y, seed=0)
    assert X_train.shape == (80, 2) and X_test.shape == (20, 2)
    assert y_train.shape == (80,) and y_test.shape == (20,)
    # rows stay paired with their labels, and every sample lands in exactly one set
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)
    np.testing.assert_array_equal(X_test[:, 0], 2 * y_test)
    assert sorted(np.concatenate([y_train, y_test])) == list(range(100))
    # shuffled, not just the last 20 rows
    assert not np.array_equal(np.sort(y_test), np.arange(80, 100))


def test_split_without_y_and_with_count():
    X = np.zeros((10, 3))
    X_train, X_test = train_test_split(X, test_size=3, seed=1)
    assert X_train.shape == (7, 3) and X_test.shape == (3, 3)


def test_split_keeps_dtype_and_image_shape():
    images = np.zeros((10, 4, 4, 3), dtype=np.uint8)
    X_train, X_test = train_test_split(images, seed=0)
    assert X_train.dtype == np.uint8 and X_train.shape == (8, 4, 4, 3) and X_test.shape == (2, 4, 4, 3)


def test_split_is_deterministic_with_seed():
    X = np.arange(50, dtype=float).reshape(50, 1)
    a = train_test_split(X, seed=3)
    b = train_test_split(X, seed=3)
    c = train_test_split(X, seed=4)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])
    g = np.random.default_rng(5)
    assert train_test_split(X, seed=g)[1].shape == (10, 1)


def test_stratified_split_keeps_class_proportions():
    y = np.array([0] * 90 + [1] * 10)
    X = np.arange(100, dtype=float).reshape(100, 1)
    for seed in range(5):
        _, _, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=seed, stratify=True)
        assert np.bincount(y_test).tolist() == [18, 2]
        assert np.bincount(y_train).tolist() == [72, 8]


def test_stratified_split_accepts_one_hot():
    y = one_hot(np.array([0, 1, 2] * 10))
    X = np.zeros((30, 2))
    _, _, y_train, y_test = train_test_split(X, y, seed=0, stratify=True)
    assert y_test.shape == (6, 3) and y_test.sum(axis=0).tolist() == [2, 2, 2]


@pytest.mark.parametrize("test_size, match", [
    (1.5, "strictly between 0 and 1"),
    (0.0, "strictly between 0 and 1"),
    (-0.2, "strictly between 0 and 1"),
    (10, "between 1 and 9"),
    (0, "between 1 and 9"),
    (0.01, "at least one sample"),
])
def test_bad_test_size(test_size, match):
    with pytest.raises(ValueError, match=match):
        train_test_split(np.zeros((10, 2)), test_size=test_size)


def test_split_bad_input():
    with pytest.raises(TypeError, match="test_size"):
        train_test_split(np.zeros((10, 2)), test_size="20%")
    with pytest.raises(ValueError, match="X has 10 samples but y has shape"):
        train_test_split(np.zeros((10, 2)), np.zeros(9))
    with pytest.raises(ValueError, match="at least 2 samples"):
        train_test_split(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="empty"):
        train_test_split(np.zeros((0, 2)))
    with pytest.raises(ValueError, match="NaN or infinite"):
        train_test_split(np.array([[1.0], [np.nan], [2.0]]))
    with pytest.raises(TypeError, match="real numbers"):
        train_test_split(np.array([["a"], ["b"]]))
    with pytest.raises(ValueError, match="needs class labels"):
        train_test_split(np.zeros((10, 2)), stratify=True)
    with pytest.raises(TypeError, match="seed"):
        train_test_split(np.zeros((10, 2)), seed="abc")


# ---------------------------------------------------------------- one_hot

def test_one_hot_values():
    Y = one_hot([2, 0, 1])
    np.testing.assert_array_equal(Y, [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert Y.dtype == np.float64
    assert one_hot([0, 1], n_classes=4).shape == (2, 4)


@given(st.lists(st.integers(0, 9), min_size=1, max_size=50), st.integers(0, 3))
def test_one_hot_round_trip(labels, extra):
    k = max(labels) + 1 + extra
    Y = one_hot(labels, n_classes=k)
    assert Y.shape == (len(labels), k)
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    np.testing.assert_array_equal(Y.argmax(axis=1), labels)


def test_one_hot_bad_input():
    with pytest.raises(ValueError, match="class label 3, but there are only 3 classes"):
        one_hot([0, 3], n_classes=3)
    with pytest.raises(ValueError, match="negative"):
        one_hot([0, -1])
    with pytest.raises(ValueError, match="whole-number"):
        one_hot([0.5, 1.0])
    with pytest.raises(ValueError, match="1-D"):
        one_hot([[0, 1]])
    with pytest.raises(ValueError, match="empty"):
        one_hot([])
    with pytest.raises(ValueError, match="at least 1"):
        one_hot([0], n_classes=0)
    with pytest.raises(TypeError, match="n_classes"):
        one_hot([0], n_classes=2.5)
    with pytest.raises(TypeError, match="integer class labels"):
        one_hot(["cat", "dog"])


# ---------------------------------------------------------------- Standardizer

def test_standardizer_fits_on_train_only():
    rng = np.random.default_rng(0)
    X_train = rng.normal(5.0, 3.0, size=(200, 4))
    X_test = rng.normal(5.0, 3.0, size=(50, 4)) + 100.0
    s = Standardizer().fit(X_train)
    Z = s.transform(X_train)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1, atol=1e-12)
    # the test set uses the training statistics, so its shift stays visible
    assert s.transform(X_test).mean() > 20
    np.testing.assert_allclose(s.mean_, X_train.mean(axis=0))


def test_standardizer_round_trip_and_fit_transform():
    X = np.random.default_rng(1).uniform(0, 1, size=(30, 3))
    s = Standardizer()
    Z = s.fit_transform(X)
    np.testing.assert_allclose(s.inverse_transform(Z), X, atol=1e-12)


def test_standardizer_constant_feature_is_only_centred():
    X = np.array([[1.0, 7.0], [3.0, 7.0], [5.0, 7.0]])
    Z = Standardizer().fit_transform(X)
    assert np.isfinite(Z).all()
    np.testing.assert_array_equal(Z[:, 1], 0.0)


def test_standardizer_keeps_float32():
    X = np.random.default_rng(2).uniform(0, 1, size=(20, 5)).astype(np.float32)
    assert Standardizer().fit_transform(X).dtype == np.float32


def test_standardizer_errors():
    with pytest.raises(ValueError, match="not fitted yet"):
        Standardizer().transform(np.zeros((2, 2)))
    s = Standardizer().fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="3 features, but the Standardizer was fitted on 2"):
        s.transform(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="2-D"):
        Standardizer().fit(np.zeros(5))
    with pytest.raises(ValueError, match="NaN or infinite"):
        Standardizer().fit([[1.0, np.inf]])
    with pytest.raises(ValueError, match="empty"):
        Standardizer().fit(np.zeros((0, 3)))


# ---------------------------------------------------------------- flatten_images

def test_flatten_images():
    images = np.arange(2 * 3 * 4 * 3).reshape(2, 3, 4, 3).astype(np.float32)
    flat = flatten_images(images)
    assert flat.shape == (2, 36) and flat.dtype == np.float32
    np.testing.assert_array_equal(flat[1], images[1].ravel())
    assert flatten_images(np.zeros((5, 8, 8), dtype=np.uint8)).shape == (5, 64)


def test_flatten_images_bad_shape():
    with pytest.raises(ValueError, match="3-D or 4-D"):
        flatten_images(np.zeros((5, 64)))


def test_standardizer_constant_float32_column_is_only_centred():
    from nnlearn.preprocessing import Standardizer
    rng = np.random.default_rng(0)
    X = np.column_stack([np.full(1000, 0.7), rng.random(1000)]).astype(np.float32)
    scaler = Standardizer().fit(X)
    assert scaler.std_[0] == 1.0
    new = scaler.transform(np.array([[0.8, 0.5]], dtype=np.float32))
    assert abs(new[0, 0] - 0.1) < 1e-4  # not blown up by a tiny rounding-error std

"""Getting data ready for a network: split, one-hot, standardise, flatten.

A network only learns something useful when it is judged on data it has not seen.
:func:`train_test_split` keeps a held-out *test set* aside (20 % by default); the
network is fitted on the rest and its score on the test set estimates how it will do
on new inputs. A network that scores much better on the training set than on the
test set has *overfitted*: it memorised the training points instead of the pattern.

The other helpers reshape data into what the rest of the package expects:

* :func:`one_hot` turns class labels ``(n,)`` into one-hot rows ``(n, k)``, the
  target format of a softmax output layer;
* :class:`Standardizer` gives every input feature mean 0 and standard deviation 1;
* :func:`flatten_images` turns a stack of images ``(n, h, w[, c])`` into rows
  ``(n, h*w*c)`` -- one sample per row, one pixel value per feature.
"""

import numbers

import numpy as np

from ._validation import as_float_array, as_labels, check_random_state

__all__ = ["train_test_split", "one_hot", "Standardizer", "flatten_images"]


def _check_test_size(test_size, n_samples):
    """Return the number of test samples for ``test_size`` (a fraction or a count)."""
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise TypeError(f"test_size must be a fraction in (0, 1) or a whole number of samples, got {test_size!r}")
    if isinstance(test_size, numbers.Integral):
        n_test = int(test_size)
        if not 1 <= n_test <= n_samples - 1:
            raise ValueError(
                f"test_size={n_test} samples leaves no training or no test data: "
                f"it must be between 1 and {n_samples - 1} for {n_samples} samples"
            )
        return n_test
    if not (0.0 < test_size < 1.0):
        raise ValueError(f"test_size must be a fraction strictly between 0 and 1 (or a sample count), got {test_size}")
    n_test = int(round(test_size * n_samples))
    if n_test < 1 or n_test > n_samples - 1:
        raise ValueError(
            f"test_size={test_size} of {n_samples} samples gives {n_test} test samples; "
            "both the training and the test set need at least one sample"
        )
    return n_test


def train_test_split(X, y=None, test_size=0.2, seed=None, stratify=False):
    """Shuffle the samples and split them into a training set and a test set.

    Parameters
    ----------
    X : array-like, shape (n_samples, ...)
        The inputs, one sample per row (images ``(n, h, w)`` are fine too; only the
        first axis is split).
    y : array-like, shape (n_samples,) or (n_samples, k), optional
        Targets: labels, one-hot rows or regression values. ``None`` splits ``X`` only.
    test_size : float in (0, 1) or int
        Fraction of the samples (default 0.2: the usual 80/20 split), or a number of
        samples, that goes into the test set.
    seed : None, int or numpy.random.Generator
        Makes the shuffle reproducible.
    stratify : bool
        If true, ``y`` must hold class labels (or one-hot rows) and every class is
        split in the same proportion, so a rare class is not left out of the test
        set by bad luck.

    Returns
    -------
    X_train, X_test, y_train, y_test
        ``X_train`` has shape ``(n_samples - n_test, ...)`` and ``X_test`` shape
        ``(n_test, ...)``; likewise for ``y``. Dtypes are kept (uint8 images stay
        uint8). If ``y`` is ``None`` only
        ``X_train, X_test`` are returned.

    Why shuffle? Data sets are often stored sorted (all cats, then all dogs); the
    last 20 % of a sorted file would be a test set of dogs only.
    """
    X_checked = as_float_array(X, "X")  # rejects text, NaN/inf and empty input
    if X_checked.ndim < 1:
        raise ValueError("X must have one sample per row, got a scalar")
    X = np.asarray(X)  # keep the caller's dtype (e.g. uint8 images stay uint8)
    n = X.shape[0]
    if n < 2:
        raise ValueError(f"X needs at least 2 samples to split into train and test, got {n}")
    if y is not None:
        y = np.asarray(y)
        if y.ndim == 0 or y.shape[0] != n:
            raise ValueError(f"X has {n} samples but y has shape {y.shape}: they need the same number of rows")
        if y.dtype == object or y.dtype.kind in "USVc":
            raise TypeError(f"y must hold numbers, got dtype {y.dtype}")
    if not isinstance(stratify, (bool, np.bool_)):
        raise TypeError(f"stratify must be True or False, got {stratify!r}")
    n_test = _check_test_size(test_size, n)
    rng = check_random_state(seed)

    if stratify:
        if y is None:
            raise ValueError("stratify=True needs class labels y")
        labels = as_labels(y, "y", n_samples=n)
        frac = n_test / n
        test_idx = []
        for c in np.unique(labels):
            members = rng.permutation(np.flatnonzero(labels == c))
            test_idx.append(members[: int(round(frac * members.size))])
        test_idx = np.concatenate(test_idx)
        is_test = np.zeros(n, dtype=bool)
        is_test[test_idx] = True
        train_idx = rng.permutation(np.flatnonzero(~is_test))
        test_idx = rng.permutation(test_idx)
        if train_idx.size == 0 or test_idx.size == 0:
            raise ValueError("stratified split left the training or the test set empty: use more samples or another test_size")
    else:
        perm = rng.permutation(n)
        test_idx, train_idx = perm[:n_test], perm[n_test:]

    if y is None:
        return X[train_idx], X[test_idx]
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


def one_hot(y, n_classes=None):
    """Encode class labels as one-hot rows.

    Parameters
    ----------
    y : array-like of int, shape (n,)
        Class labels ``0 .. n_classes - 1``.
    n_classes : int, optional
        Number of classes ``k``; default ``max(y) + 1``.

    Returns
    -------
    ndarray of float64, shape (n, k)
        Row ``i`` is all zeros except a 1 in column ``y[i]``. Label 2 of 3 classes
        becomes ``[0, 0, 1]``.

    Why one-hot? A softmax output layer produces one probability per class; the
    one-hot row is the "perfect" probability vector to compare it with: 100 % on the
    right class, 0 % elsewhere. Using the label as a single number instead would
    claim class 2 is "twice" class 1, which means nothing.
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D class labels of shape (n,), got shape {y.shape}")
    if n_classes is not None:
        if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral):
            raise TypeError(f"n_classes must be a positive integer, got {n_classes!r}")
        if n_classes < 1:
            raise ValueError(f"n_classes must be at least 1, got {n_classes}")
    labels = as_labels(y, "y", n_classes=n_classes)
    k = int(labels.max()) + 1 if n_classes is None else int(n_classes)
    out = np.zeros((labels.size, k), dtype=np.float64)
    out[np.arange(labels.size), labels] = 1.0
    return out


class Standardizer:
    """Rescale every feature to mean 0 and standard deviation 1: ``(X - mean) / std``.

    Why standardise? A neuron computes ``w . x + b``. If every input is a raw pixel
    in ``[0, 1]`` (or worse, ``[0, 255]``), all inputs are positive and of similar
    sign, so the weighted sums of a freshly initialised layer are shifted far to one
    side: many ReLU units start with a negative sum for *every* sample, output 0,
    get zero gradient and never recover ("dead ReLUs"), and gradient descent zig-zags
    because all weights of a neuron are pushed in the same direction at once.
    Centred inputs of unit scale keep the sums near 0, where activations have slope,
    and let one learning rate suit every weight. Training is faster and more stable.

    Why fit on the training set only? The mean and standard deviation are learned
    from data, just like weights. Computing them on the test set too would let
    information from the test set leak into training, and the test score would no
    longer measure performance on truly unseen data. So: ``fit`` (or
    ``fit_transform``) on ``X_train``, then ``transform`` ``X_test`` and any new
    input with the *same* numbers.

    A constant feature (standard deviation 0, e.g. a pixel that is always black) is
    only centred: its std is treated as 1 to avoid dividing by zero.

    Attributes
    ----------
    mean_ : ndarray, shape (n_features,)
    std_ : ndarray, shape (n_features,)
        Set by :meth:`fit`.

    Example
    -------
    >>> scaler = Standardizer()
    >>> X_train_s = scaler.fit_transform(X_train)   # doctest: +SKIP
    >>> X_test_s = scaler.transform(X_test)         # doctest: +SKIP
    """

    def __init__(self):
        self.mean_ = None
        self.std_ = None

    def fit(self, X):
        """Learn the per-feature mean and std of ``X`` (n_samples, n_features); return self."""
        X = as_float_array(X, "X", ndim=2)
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        # Treat (near-)constant features as std 1: they are only centred. "Near" is set by
        # the dtype's rounding error: a constant float32 column comes out with a std of
        # about 1e-8 times its mean, not 0, and dividing by that would blow new samples up.
        tol = 100 * np.finfo(X.dtype).eps * np.maximum(1.0, np.abs(self.mean_))
        self.std_ = np.where(std > tol, std, 1.0).astype(X.dtype)
        return self

    def _check_fitted(self, X, name="X"):
        if self.mean_ is None:
            raise ValueError("this Standardizer is not fitted yet: call fit(X_train) first")
        X = as_float_array(X, name, ndim=2)
        if X.shape[1] != self.mean_.shape[0]:
            raise ValueError(
                f"{name} has {X.shape[1]} features, but the Standardizer was fitted on {self.mean_.shape[0]}"
            )
        return X

    def transform(self, X):
        """Return ``(X - mean_) / std_``, shape (n_samples, n_features), same dtype as ``X``."""
        X = self._check_fitted(X)
        return ((X - self.mean_) / self.std_).astype(X.dtype, copy=False)

    def fit_transform(self, X):
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X):
        """Undo :meth:`transform`: return ``X * std_ + mean_``, shape (n_samples, n_features)."""
        X = self._check_fitted(X)
        return (X * self.std_ + self.mean_).astype(X.dtype, copy=False)

    def __repr__(self):
        fitted = "unfitted" if self.mean_ is None else f"fitted on {self.mean_.shape[0]} features"
        return f"Standardizer({fitted})"


def flatten_images(images):
    """Turn a stack of images into one row of pixel values per image.

    Parameters
    ----------
    images : array-like, shape (n, h, w) or (n, h, w, c)
        ``n`` grey-scale or colour images.

    Returns
    -------
    ndarray, shape (n, h * w * c)
        float32 input stays float32; anything else (e.g. uint8) becomes float64.
        A dense network has no notion of "neighbouring pixels": it sees each image
        as one long vector of ``h * w * c`` numbers, row by row (C order), so pixel
        ``(i, j, ch)`` becomes feature ``(i * w + j) * c + ch``.
    """
    images = as_float_array(images, "images", ndim=(3, 4))
    return images.reshape(images.shape[0], -1)

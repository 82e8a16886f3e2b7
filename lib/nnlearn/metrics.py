"""How good are the predictions? Accuracy and the confusion matrix.

The *loss* is what training minimises: smooth, so it has a gradient, and sensitive
to how confident each prediction is. The *accuracy* is what people care about: the
fraction of samples whose predicted class is right. It ignores confidence -- a cat
predicted as "51 % cat" counts exactly as much as "99 % cat" -- and it changes in
jumps, so it has no useful gradient and cannot be trained on directly.

The confusion matrix breaks the accuracy down: which classes are confused with
which.

Both functions accept labels in any of the forms the package uses:

* integer labels, shape ``(n,)``;
* one-hot rows, shape ``(n, k)``;
* for ``y_pred`` also class probabilities or scores, shape ``(n, k)`` (e.g. a
  softmax output): the predicted class is the column with the largest value
  (``argmax``);
* a single column ``(n, 1)``: for ``y_true`` the labels 0/1 as a column, for
  ``y_pred`` the probability of class 1 (a sigmoid output), thresholded at 0.5.
"""

import numbers

import numpy as np

from ._validation import as_float_array, as_labels

__all__ = ["accuracy", "confusion_matrix"]


def _true_labels(y_true, n_classes=None):
    arr = np.asarray(y_true)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    return as_labels(arr, "y_true", n_classes=n_classes)


def _pred_labels(y_pred, n_samples, n_classes=None):
    """Predicted labels from labels (n,), a probability column (n, 1) or scores (n, k)."""
    arr = np.asarray(y_pred)
    if arr.ndim == 2:
        scores = as_float_array(arr, "y_pred", ndim=2)
        if scores.shape[0] != n_samples:
            raise ValueError(f"y_pred has {scores.shape[0]} rows but y_true has {n_samples} samples")
        if scores.shape[1] == 1:
            return (scores[:, 0] >= 0.5).astype(np.intp)
        if n_classes is not None and scores.shape[1] != n_classes:
            raise ValueError(f"y_pred has {scores.shape[1]} columns (classes), expected {n_classes}")
        return scores.argmax(axis=1)
    return as_labels(arr, "y_pred", n_samples=n_samples, n_classes=n_classes)


def accuracy(y_true, y_pred):
    """Fraction of samples whose predicted class equals the true class.

    Parameters
    ----------
    y_true : array-like, shape (n,) labels, (n, k) one-hot or (n, 1) labels
        The correct classes.
    y_pred : array-like, shape (n,) labels, (n, k) one-hot *or probabilities/scores*, or (n, 1)
        The predictions. With ``k >= 2`` columns the predicted class is the
        ``argmax`` of each row, so you can pass a softmax output directly; a single
        column is read as the probability of class 1 and thresholded at 0.5.

    Returns
    -------
    float
        Between 0 and 1. ``accuracy([0, 1, 1], [0, 1, 0])`` is ``2/3``.
    """
    t = _true_labels(y_true)
    p = _pred_labels(y_pred, n_samples=t.shape[0])
    return float(np.mean(t == p))


def confusion_matrix(y_true, y_pred, n_classes=None):
    """Count how often each true class is predicted as each class.

    Parameters
    ----------
    y_true : array-like, shape (n,) labels, (n, k) one-hot or (n, 1) labels
    y_pred : array-like, shape (n,) labels, (n, k) one-hot/probabilities, or (n, 1)
        As for :func:`accuracy`.
    n_classes : int, optional
        Number of classes ``k``. Default: the number of columns of a 2-D input, or
        the largest label seen plus one.

    Returns
    -------
    ndarray of int, shape (k, k)
        ``cm[i, j]`` is the number of samples of true class ``i`` predicted as class
        ``j``: rows are the truth, columns the prediction. The diagonal holds the
        correct predictions, so ``cm.trace() / cm.sum()`` is the accuracy, and each
        row sums to the number of samples of that class.
    """
    if n_classes is not None:
        if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral):
            raise TypeError(f"n_classes must be a positive integer, got {n_classes!r}")
        if n_classes < 1:
            raise ValueError(f"n_classes must be at least 1, got {n_classes}")
    widths = {np.shape(y)[1] for y in (y_true, y_pred) if np.ndim(y) == 2 and np.shape(y)[1] > 1}
    if len(widths) > 1:
        raise ValueError(f"y_true and y_pred have different numbers of class columns: {sorted(widths)}")
    t = _true_labels(y_true, n_classes=n_classes)
    p = _pred_labels(y_pred, n_samples=t.shape[0], n_classes=n_classes)
    if n_classes is None:
        k = max([int(t.max()) + 1, int(p.max()) + 1] + sorted(widths))
    else:
        k = int(n_classes)
    cm = np.bincount(t * k + p, minlength=k * k).reshape(k, k)
    return cm.astype(np.int64)

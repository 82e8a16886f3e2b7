"""Loss functions: one number that says how wrong the network is, and its gradient.

Training means making this number small. Each loss below comes in two forms:

* ``name(prediction, target) -> float`` for looking at a loss, and
* ``name_gradient(prediction, target) -> array`` with the shape of the prediction,

plus, CS231n style, the combined forms the network uses, which return both at once:
``mse_loss``, ``sigmoid_cross_entropy_loss`` and ``softmax_cross_entropy_loss``.

Averaging: cross-entropies are averaged over the ``N`` samples (rows), so the loss
does not grow with the data set and the gradient carries a ``1/N``. The mean squared
error is averaged over every entry (samples and outputs), like scikit-learn's.

Stability: a cross-entropy computed from *probabilities* has to take ``log(p)``; when
``p`` has rounded to 0 the answer would be infinite, so probabilities are clipped at the
smallest positive normal float (the loss is then large but finite). Whenever you have
the raw scores (logits), use the ``_with_logits`` forms instead: they work in log space
and are exact even at scores of ±1000.

Shapes: ``y_pred`` and ``y_true`` are ``(n_samples,)`` or ``(n_samples, n_outputs)``;
for the categorical forms ``P``/``Z`` are ``(n_samples, n_classes)`` and the targets are
integer labels ``(n_samples,)`` or one-hot rows ``(n_samples, n_classes)``.
"""

import numpy as np

from . import activations as act
from ._validation import as_float_array, as_labels


def _pair(y_pred, y_true, pred_name="y_pred"):
    y_pred = as_float_array(y_pred, pred_name, ndim=(1, 2))
    y_true = as_float_array(y_true, "y_true")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but {pred_name} has shape {y_pred.shape}; "
                         "they must match (reshape one of them, e.g. y.reshape(-1, 1))")
    return y_pred, y_true


def _binary_targets(y_true):
    if not ((y_true >= 0) & (y_true <= 1)).all():
        raise ValueError("y_true for a binary cross-entropy must lie in [0, 1] (class labels 0 and 1)")


def _tiny(a):
    return np.finfo(a.dtype).tiny


# ---------------------------------------------------------------- mean squared error

def mse(y_pred, y_true):
    """Mean squared error ``mean((y_pred - y_true)**2)`` over all entries."""
    y_pred, y_true = _pair(y_pred, y_true)
    return float(np.mean((y_pred - y_true) ** 2))


def mse_gradient(y_pred, y_true):
    """``d mse / d y_pred = 2 (y_pred - y_true) / size``, shape of ``y_pred``."""
    y_pred, y_true = _pair(y_pred, y_true)
    return 2.0 * (y_pred - y_true) / y_pred.size


def mse_loss(y_pred, y_true):
    """Return ``(mse, d mse / d y_pred)``."""
    y_pred, y_true = _pair(y_pred, y_true)
    diff = y_pred - y_true
    return float(np.mean(diff * diff)), (2.0 / diff.size) * diff


# ---------------------------------------------------------------- binary cross-entropy

def binary_cross_entropy(p, y_true):
    """``-mean(y log p + (1 - y) log(1 - p))`` for probabilities ``p`` of class 1."""
    p, y_true = _pair(p, y_true, "p")
    _binary_targets(y_true)
    tiny = _tiny(p)
    losses = -(y_true * np.log(np.maximum(p, tiny)) + (1 - y_true) * np.log(np.maximum(1 - p, tiny)))
    return float(losses.sum() / p.shape[0])


def binary_cross_entropy_gradient(p, y_true):
    """``d BCE / d p = (p - y) / (p (1 - p)) / N`` (p clipped away from 0 and 1)."""
    p, y_true = _pair(p, y_true, "p")
    _binary_targets(y_true)
    tiny = _tiny(p)
    return (p - y_true) / np.maximum(p * (1 - p), tiny) / p.shape[0]


def binary_cross_entropy_with_logits(z, y_true):
    """Binary cross-entropy of ``sigmoid(z)``, computed from the score ``z`` in log space.

    ``-[y log s(z) + (1 - y) log(1 - s(z))] = max(z, 0) - z y + log(1 + exp(-|z|))``,
    which never exponentiates a positive number.
    """
    z, y_true = _pair(z, y_true, "z")
    _binary_targets(y_true)
    losses = np.maximum(z, 0) - z * y_true + np.log1p(act._exp_nonpositive(-np.abs(z)))
    return float(losses.sum() / z.shape[0])


def binary_cross_entropy_with_logits_gradient(z, y_true):
    """``d / dz = (sigmoid(z) - y) / N``: the sigmoid's derivative cancels the log's."""
    z, y_true = _pair(z, y_true, "z")
    _binary_targets(y_true)
    return (act._sigmoid(z) - y_true) / z.shape[0]


def sigmoid_cross_entropy_loss(z, y_true):
    """Return ``(binary_cross_entropy_with_logits, its gradient)`` for scores ``z``."""
    return (binary_cross_entropy_with_logits(z, y_true),
            binary_cross_entropy_with_logits_gradient(z, y_true))


# ---------------------------------------------------------------- categorical cross-entropy

def _class_targets(scores, y_true):
    """Labels (n,) from labels or one-hot, checked against ``scores`` (n, k)."""
    return as_labels(y_true, "y_true", n_samples=scores.shape[0], n_classes=scores.shape[1])


def categorical_cross_entropy(P, y_true):
    """``-mean_i log P[i, y_i]``: the average surprise at the true class.

    ``P`` holds probabilities (rows sum to 1), shape ``(n_samples, n_classes)``. A cat
    image predicted as [0.75 cat, 0.25 dog] costs ``-log 0.75 ≈ 0.29``; as [1, 0], 0.
    """
    P = as_float_array(P, "P", ndim=2)
    labels = _class_targets(P, y_true)
    picked = P[np.arange(P.shape[0]), labels]
    return float(-np.log(np.maximum(picked, _tiny(P))).mean())


def categorical_cross_entropy_gradient(P, y_true):
    """``d CCE / d P``: ``-1 / P[i, y_i] / N`` at the true class, 0 elsewhere."""
    P = as_float_array(P, "P", ndim=2)
    labels = _class_targets(P, y_true)
    grad = np.zeros_like(P)
    rows = np.arange(P.shape[0])
    grad[rows, labels] = -1.0 / np.maximum(P[rows, labels], _tiny(P)) / P.shape[0]
    return grad


def categorical_cross_entropy_with_logits(Z, y_true):
    """Cross-entropy of ``softmax(Z)``, from the scores: ``-mean_i log_softmax(Z)[i, y_i]``."""
    Z = as_float_array(Z, "Z", ndim=2)
    labels = _class_targets(Z, y_true)
    return float(-act._log_softmax(Z)[np.arange(Z.shape[0]), labels].mean())


def categorical_cross_entropy_with_logits_gradient(Z, y_true):
    """``d / dZ = (softmax(Z) - Y) / N`` with ``Y`` one-hot: the famous simple gradient."""
    return softmax_cross_entropy_loss(Z, y_true)[1]


def softmax_cross_entropy_loss(Z, y_true):
    """Return ``(categorical_cross_entropy_with_logits(Z, y), (softmax(Z) - Y) / N)``.

    Parameters
    ----------
    Z : array, shape (n_samples, n_classes) -- raw scores (logits)
    y_true : labels (n_samples,) or one-hot (n_samples, n_classes)
    """
    Z = as_float_array(Z, "Z", ndim=2)
    labels = _class_targets(Z, y_true)
    return _softmax_cross_entropy(Z, labels)


def _softmax_cross_entropy(Z, labels):
    """The combined loss and gradient, without input checks (used in the training loop)."""
    n = Z.shape[0]
    rows = np.arange(n)
    log_p = act._log_softmax(Z)
    loss = -log_p[rows, labels].mean()
    dZ = act._exp_nonpositive(log_p)
    dZ[rows, labels] -= 1.0
    dZ /= n
    return float(loss), dZ

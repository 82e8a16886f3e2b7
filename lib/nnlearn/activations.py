"""Activation functions and their derivatives.

A neuron computes a weighted sum of its inputs plus a bias, ``z = x @ w + b``, and then
passes ``z`` through an *activation function*. Without it, a stack of layers would be
one big linear map (see notebook 02): the non-linearity is what lets a network bend.

=============  =================  ==========================================
function       range              derivative, reusing the function's value
=============  =================  ==========================================
step           {0, 1}             0 everywhere (undefined at 0): useless for
                                  gradient descent, which is why it was replaced
sigmoid        (0, 1)             s * (1 - s)
tanh           (-1, 1)            1 - t**2
relu           [0, inf)           1 where z > 0, else 0
leaky_relu     (-inf, inf)        1 where z > 0, else alpha
softmax        (0, 1), rows sum   Jacobian diag(p) - p p^T (see ``softmax_backward``)
               to 1
=============  =================  ==========================================

So a neuron's output is *not* always between 0 and 1: that depends on its activation.

Every function takes an array of any shape (softmax and log_softmax: ``(n_samples,
n_classes)``, one row per sample), keeps float32 as float32, and is exact and
warning-free even at ``z = ±1000``: the naive ``1 / (1 + np.exp(-z))`` overflows for
``z = -1000``, so the stable forms below only ever exponentiate numbers ``<= 0``.
"""

import numpy as np

from ._validation import as_float_array


def _exp_nonpositive(a):
    """``exp(a)`` for ``a <= 0``, with no overflow *and* no underflow warning.

    ``exp`` of a number below about -708 (float64) or -87 (float32) is smaller than the
    smallest normal float; NumPy then flags an underflow. We return an exact 0 there
    instead, which is what the true value rounds to for every practical purpose.
    """
    lowest = np.log(np.finfo(a.dtype).tiny) + 1.0
    return np.where(a < lowest, 0.0, np.exp(np.maximum(a, lowest)))


def step(z):
    """Threshold unit: 1 where ``z > 0`` ("the neuron fires"), else 0. Shape of ``z``."""
    z = as_float_array(z, "z", allow_empty=True)
    return (z > 0).astype(z.dtype)


def step_derivative(z):
    """Derivative of the step: 0 everywhere (undefined at 0). Gradient descent gets no signal."""
    z = as_float_array(z, "z", allow_empty=True)
    return np.zeros_like(z)


def sigmoid(z):
    """Logistic sigmoid ``1 / (1 + exp(-z))``, computed stably. Shape of ``z``.

    For ``z >= 0`` we use ``1 / (1 + exp(-z))``; for ``z < 0`` the algebraically equal
    ``exp(z) / (1 + exp(z))``. Both only exponentiate ``-|z| <= 0``, which cannot overflow.
    """
    return _sigmoid(as_float_array(z, "z", allow_empty=True))


def _sigmoid(z):
    """The stable sigmoid on a float array, without input checks (used in training loops)."""
    e = _exp_nonpositive(-np.abs(z))  # exp(-|z|), in (0, 1]
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype, copy=False)


def sigmoid_derivative(z):
    """``d sigmoid / dz = s * (1 - s)`` with ``s = sigmoid(z)``. Shape of ``z``. At most 0.25."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent, range (-1, 1): a sigmoid stretched to be centred at 0."""
    z = as_float_array(z, "z", allow_empty=True)
    return np.tanh(z)


def tanh_derivative(z):
    """``d tanh / dz = 1 - tanh(z)**2``: the derivative reuses the function's value."""
    t = tanh(z)
    return 1.0 - t * t


def relu(z):
    """Rectified linear unit ``max(0, z)``. Shape of ``z``."""
    z = as_float_array(z, "z", allow_empty=True)
    return np.maximum(z, 0.0).astype(z.dtype, copy=False)


def relu_derivative(z):
    """1 where ``z > 0``, else 0 (we take 0 at ``z = 0``)."""
    z = as_float_array(z, "z", allow_empty=True)
    return (z > 0).astype(z.dtype)


def _check_alpha(alpha):
    if not np.isscalar(alpha) or not np.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha must be a finite number >= 0, got {alpha!r}")


def leaky_relu(z, alpha=0.01):
    """``z`` where ``z > 0``, else ``alpha * z``: negative inputs keep a small slope."""
    _check_alpha(alpha)
    z = as_float_array(z, "z", allow_empty=True)
    return np.where(z > 0, z, alpha * z).astype(z.dtype, copy=False)


def leaky_relu_derivative(z, alpha=0.01):
    """1 where ``z > 0``, else ``alpha``."""
    _check_alpha(alpha)
    z = as_float_array(z, "z", allow_empty=True)
    return np.where(z > 0, 1.0, alpha).astype(z.dtype, copy=False)


def softmax(Z):
    """Turn each row of scores into probabilities that are positive and sum to 1.

    Parameters
    ----------
    Z : array, shape (n_samples, n_classes)  (a single 1-D row of scores is accepted too)

    Returns
    -------
    P : array, same shape: ``P[i, k] = exp(Z[i, k]) / sum_j exp(Z[i, j])``.

    Subtracting each row's maximum first changes nothing mathematically (it cancels
    between numerator and denominator) but keeps every exponent ``<= 0``: no overflow.
    """
    return _softmax(as_float_array(Z, "Z", ndim=(1, 2)))


def _softmax(Z):
    """The stable softmax over the last axis, without input checks."""
    e = _exp_nonpositive(Z - Z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(Z):
    """``log(softmax(Z))`` row by row, computed without ever taking ``log(0)``.

    ``log_softmax(Z) = Z - max - log(sum(exp(Z - max)))``; the sum is at least 1, so its
    log is safe. Shape ``(n_samples, n_classes)`` in and out.
    """
    return _log_softmax(as_float_array(Z, "Z", ndim=(1, 2)))


def _log_softmax(Z):
    """The stable log-softmax over the last axis, without input checks."""
    shifted = Z - Z.max(axis=-1, keepdims=True)
    return shifted - np.log(_exp_nonpositive(shifted).sum(axis=-1, keepdims=True))


def softmax_backward(dP, P):
    """Backpropagate through softmax: given ``dL/dP`` and ``P = softmax(Z)``, return ``dL/dZ``.

    The Jacobian of one row is ``diag(p) - p p^T``, so
    ``dZ = P * (dP - sum(dP * P, axis=1))``. Shapes ``(n_samples, n_classes)``.
    (Combined with cross-entropy this simplifies to ``(P - Y) / N``: see ``losses``.)
    """
    dP = as_float_array(dP, "dP", ndim=(1, 2))
    P = as_float_array(P, "P", shape=dP.shape)
    return P * (dP - (dP * P).sum(axis=-1, keepdims=True))


ACTIVATIONS = {
    "step": (step, step_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
}
"""Name -> (function, derivative), for code that picks an activation by name."""

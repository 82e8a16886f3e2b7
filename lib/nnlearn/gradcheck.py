"""Gradient checking: trust a backward pass only after comparing it with finite differences.

The derivative is the slope ``(f(x + h) - f(x - h)) / 2h`` for a small ``h`` (the
*centred* difference, whose error shrinks like ``h**2``). Nudging each entry of an
array in turn gives the whole gradient numerically: slow, but hard to get wrong.
An analytic gradient is right when its relative error against that is tiny.

Relative error here is ``||a - n|| / max(||a|| + ||n||, tiny)`` over the whole array
(a norm, not entry by entry, so entries that are both nearly zero do not blow it up).
In float64 a correct backward pass gives about 1e-10 or less; 1e-7 is the course's
threshold; anything above 1e-4 is a bug.
"""

import numpy as np

from ._validation import as_float_array, check_random_state


def numerical_derivative(f, x, h=1e-5):
    """Centred-difference slope of a scalar function ``f`` at the number ``x``."""
    return (f(x + h) - f(x - h)) / (2.0 * h)


def numerical_gradient(f, x, h=1e-5):
    """Gradient of the scalar function ``f()`` with respect to the float64 array ``x``.

    ``f`` takes no arguments and reads ``x`` (so it can be a closure over a layer's
    parameters); ``x`` is nudged in place, one entry at a time, and always restored.
    Returns an array with the shape of ``x``.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError("numerical_gradient needs a float64 NumPy array it can nudge in place "
                        f"(float32 is too coarse for finite differences), got {type(x).__name__}"
                        + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else ""))
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        try:
            x[i] = old + h
            f_plus = float(f())
            x[i] = old - h
            f_minus = float(f())
        finally:
            x[i] = old
        grad[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(analytic, numeric):
    """``||a - n|| / max(||a|| + ||n||, tiny)``: 0 for equal arrays, 1 for opposite ones."""
    a = as_float_array(analytic, "analytic", allow_empty=True)
    n = as_float_array(numeric, "numeric", shape=a.shape, allow_empty=True)
    denom = max(np.linalg.norm(a) + np.linalg.norm(n), np.finfo(np.float64).tiny)
    return float(np.linalg.norm(a - n) / denom)


def check_layer_gradients(layer, X, seed=0, h=1e-5):
    """Compare a layer's backward pass with numerical gradients.

    Uses the scalar ``L = sum(forward(X) * R)`` for a fixed random ``R``, whose gradient
    with respect to the output is exactly ``R``: so ``backward(R, cache)`` must give
    ``dL/dX`` and ``layer.grads``.

    Parameters
    ----------
    layer : a ``nnlearn.layers.Layer`` whose parameters are float64
    X : array, shape (n_samples, n_in)

    Returns
    -------
    dict mapping "X" and each parameter name to its relative error.
    """
    X = np.array(as_float_array(X, "X", ndim=2), dtype=np.float64)
    out, cache = layer.forward(X)
    R = check_random_state(seed).standard_normal(out.shape)
    dX = layer.backward(R, cache)

    def loss():
        return np.sum(layer.forward(X)[0] * R)

    errors = {}
    if dX is not None:
        errors["X"] = relative_error(dX, numerical_gradient(loss, X, h))
    for name, p in layer.params.items():
        errors[name] = relative_error(layer.grads[name], numerical_gradient(loss, p, h))
    return errors


def check_loss_gradient(loss_and_grad, pred, target, h=1e-5):
    """Relative error of ``loss_and_grad(pred, target) -> (loss, dpred)`` against finite differences."""
    pred = np.array(as_float_array(pred, "pred"), dtype=np.float64)
    _, grad = loss_and_grad(pred, target)
    numeric = numerical_gradient(lambda: loss_and_grad(pred, target)[0], pred, h)
    return relative_error(grad, numeric)

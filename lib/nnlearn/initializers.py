"""Weight initialisers: where gradient descent starts.

Every initialiser takes the weight matrix's shape ``(n_out, n_in)`` and a ``seed``
(None, an int or a ``numpy.random.Generator``) and returns a new array.

Why not start at zero? If every weight of a layer is equal, every neuron in it
computes the same output and receives the same gradient, so they stay equal for ever:
the layer behaves like a single neuron. Random starting values *break the symmetry*.
How large they should be depends on the layer's size: the variance of ``X @ W.T``
grows with ``n_in``, so the scaled initialisers divide by it and keep signals from
exploding or vanishing as they pass through many layers.
"""

import numpy as np

from ._validation import check_random_state


def _check_shape(shape):
    if (not isinstance(shape, tuple) or len(shape) != 2
            or not all(isinstance(s, (int, np.integer)) and s > 0 for s in shape)):
        raise ValueError(f"shape must be a tuple (n_out, n_in) of two positive ints, got {shape!r}")
    return shape


def zeros(shape, seed=None, dtype=np.float64):
    """All zeros, shape ``(n_out, n_in)``. Fine for biases; fails for weights (symmetry)."""
    return np.zeros(_check_shape(shape), dtype=dtype)


def normal(shape, seed=None, std=0.01, dtype=np.float64):
    """Small Gaussian values with standard deviation ``std`` (default 0.01), shape ``(n_out, n_in)``."""
    if not std > 0:
        raise ValueError(f"std must be positive, got {std!r}")
    rng = check_random_state(seed)
    return (std * rng.standard_normal(_check_shape(shape))).astype(dtype)


def xavier(shape, seed=None, dtype=np.float64):
    """Xavier/Glorot uniform: ``U(-a, a)`` with ``a = sqrt(6 / (n_in + n_out))``.

    Keeps the variance of activations and of gradients roughly constant across layers
    for tanh and sigmoid networks (Glorot and Bengio, 2010).
    """
    n_out, n_in = _check_shape(shape)
    limit = np.sqrt(6.0 / (n_in + n_out))
    rng = check_random_state(seed)
    return rng.uniform(-limit, limit, size=(n_out, n_in)).astype(dtype)


def he(shape, seed=None, dtype=np.float64):
    """He normal: ``N(0, 2 / n_in)``. For ReLU layers, which zero half their inputs (He et al., 2015)."""
    n_out, n_in = _check_shape(shape)
    rng = check_random_state(seed)
    return (np.sqrt(2.0 / n_in) * rng.standard_normal((n_out, n_in))).astype(dtype)


INITIALIZERS = {"zeros": zeros, "normal": normal, "xavier": xavier, "he": he}


def get_initializer(init):
    """Return an initialiser from its name or pass a callable ``init(shape, seed, dtype)`` through."""
    if callable(init):
        return init
    try:
        return INITIALIZERS[init]
    except KeyError:
        raise ValueError(f"unknown initialiser {init!r}; choose one of {sorted(INITIALIZERS)}") from None

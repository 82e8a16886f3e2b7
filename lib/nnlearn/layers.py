"""Layers: the building blocks of a network, each with a forward and a backward pass.

The contract (as in CS231n's ``layers.py``)::

    out, cache = layer.forward(X)       # X: (n_samples, n_in)  ->  out: (n_samples, n_out)
    dX = layer.backward(dout, cache)    # dout = dL/dout, same shape as out; dX = dL/dX

``cache`` holds what the backward pass needs from the forward pass (the input, or the
output). Backward also stores the gradient of the loss with respect to each parameter
in ``layer.grads`` (same keys and shapes as ``layer.params``), ready for an optimiser.

The dense layer is also available as two plain functions, ``dense_forward`` and
``dense_backward``, for the notebooks that build it step by step.
"""

import numpy as np

from . import activations as act
from ._validation import as_float_array
from .initializers import get_initializer, zeros


def dense_forward(X, W, b):
    """Forward pass of a dense (fully connected) layer.

    Parameters
    ----------
    X : array, shape (n_samples, n_in)
    W : array, shape (n_out, n_in) -- row ``j`` holds neuron ``j``'s weights
    b : array, shape (n_out,)      -- one bias per neuron

    Returns
    -------
    out : array, shape (n_samples, n_out), ``out = X @ W.T + b``
    cache : (X, W), for ``dense_backward``
    """
    W = as_float_array(W, "W", ndim=2, finite=False)
    n_out, n_in = W.shape
    X = as_float_array(X, "X", shape=(None, n_in), finite=False)
    b = as_float_array(b, "b", shape=(n_out,), finite=False)
    with np.errstate(invalid="ignore"):  # 0 * inf from a bad input: reported below, as an error
        out = X @ W.T + b
    if not np.isfinite(out).all():      # a NaN or infinity in an input always reaches the output:
        for arr, name in [(W, "W"), (X, "X"), (b, "b")]:    # only then look for it (a cheaper check)
            as_float_array(arr, name)    # raises, naming the input and where the NaN or infinity is
    return out, (X, W)


def dense_backward(dout, cache):
    """Backward pass of a dense layer.

    Parameters
    ----------
    dout : array, shape (n_samples, n_out) -- dL/dout
    cache : (X, W) from ``dense_forward``

    Returns
    -------
    dX : (n_samples, n_in) = dout @ W      -- each input feeds every neuron
    dW : (n_out, n_in)     = dout.T @ X    -- summed over the samples
    db : (n_out,)          = dout.sum(axis=0)
    """
    X, W = cache
    dout = as_float_array(dout, "dout", shape=(X.shape[0], W.shape[0]))
    return dout @ W, dout.T @ X, dout.sum(axis=0)


class Layer:
    """Base class: a layer without parameters. Subclasses implement forward and backward."""

    def __init__(self):
        self.params = {}
        self.grads = {}

    def forward(self, X):
        """Return ``(out, cache)``."""
        raise NotImplementedError

    def backward(self, dout, cache):
        """Return ``dL/dX`` and fill ``self.grads``."""
        raise NotImplementedError

    def __call__(self, X):
        """Just the output of the forward pass."""
        return self.forward(X)[0]

    def __repr__(self):
        return f"{type(self).__name__}()"


def _check_input(X, name, n_features=None):
    """A cheap check for the training loop: a 2-D float array with the right width."""
    if not isinstance(X, np.ndarray) or X.dtype.kind != "f":
        X = as_float_array(X, name, ndim=2)
    if X.ndim != 2 or (n_features is not None and X.shape[1] != n_features):
        want = "(n_samples, n_features)" if n_features is None else f"(n_samples, {n_features})"
        raise ValueError(f"{name} has shape {X.shape}, expected {want}")
    return X


class Dense(Layer):
    """A fully connected layer: ``out = X @ W.T + b``.

    Parameters
    ----------
    n_in, n_out : int
        Number of inputs per sample and number of neurons.
    init : str or callable
        Weight initialiser: "xavier" (default), "he", "normal" or "zeros" (see
        ``initializers``). Biases start at zero: the random weights already break
        the symmetry.
    seed : None, int or numpy.random.Generator
    dtype : numpy float dtype, float64 by default; float32 is twice as fast.

    ``params["W"]`` has shape ``(n_out, n_in)``, ``params["b"]`` shape ``(n_out,)``.
    """

    def __init__(self, n_in, n_out, init="xavier", seed=None, dtype=np.float64):
        super().__init__()
        for name, value in (("n_in", n_in), ("n_out", n_out)):
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        self.n_in, self.n_out = int(n_in), int(n_out)
        self.params = {
            "W": np.asarray(get_initializer(init)((self.n_out, self.n_in), seed=seed, dtype=dtype)),
            "b": zeros((1, self.n_out), dtype=dtype)[0],
        }
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        # The first layer of a network does not need dL/dX (X is data, not a parameter):
        # the network switches this off and saves one matrix product per batch.
        self.needs_input_grad = True

    def forward(self, X):
        X = _check_input(X, "X", self.n_in)
        out = X @ self.params["W"].T
        out += self.params["b"]
        return out, X

    def backward(self, dout, cache):
        X = cache
        W = self.params["W"]
        if dout.shape != (X.shape[0], self.n_out):
            raise ValueError(f"dout has shape {dout.shape}, expected {(X.shape[0], self.n_out)}")
        np.matmul(dout.T, X, out=self.grads["W"])
        np.sum(dout, axis=0, out=self.grads["b"])
        return dout @ W if self.needs_input_grad else None

    def __repr__(self):
        return f"Dense(n_in={self.n_in}, n_out={self.n_out})"


class Sigmoid(Layer):
    """Element-wise sigmoid; backward uses ``s * (1 - s)`` with the cached output ``s``."""

    def forward(self, X):
        out = act._sigmoid(_check_input(X, "X"))
        return out, out

    def backward(self, dout, cache):
        s = cache
        return dout * s * (1.0 - s)


class Tanh(Layer):
    """Element-wise tanh; backward uses ``1 - t**2`` with the cached output ``t``."""

    def forward(self, X):
        out = np.tanh(_check_input(X, "X"))
        return out, out

    def backward(self, dout, cache):
        t = cache
        return dout * (1.0 - t * t)


class ReLU(Layer):
    """Element-wise ``max(0, x)``; the gradient passes only where the output is positive."""

    def forward(self, X):
        out = np.maximum(_check_input(X, "X"), 0.0)
        return out, out

    def backward(self, dout, cache):
        out = cache
        return dout * (out > 0)


class LeakyReLU(Layer):
    """Element-wise ``x if x > 0 else alpha * x``."""

    def __init__(self, alpha=0.01):
        super().__init__()
        act._check_alpha(alpha)
        self.alpha = alpha

    def forward(self, X):
        X = _check_input(X, "X")
        return np.where(X > 0, X, self.alpha * X), X

    def backward(self, dout, cache):
        X = cache
        return np.where(X > 0, dout, self.alpha * dout)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class Softmax(Layer):
    """Row-wise softmax, shape ``(n_samples, n_classes)``.

    A network trained with cross-entropy does not need this layer: the loss
    ``softmax_cross_entropy`` takes the raw scores and its gradient is simply
    ``(P - Y) / N``. It is here for completeness and for gradient-checking the
    general softmax Jacobian.
    """

    def forward(self, X):
        out = act._softmax(_check_input(X, "X"))
        return out, out

    def backward(self, dout, cache):
        P = cache
        return P * (dout - (dout * P).sum(axis=1, keepdims=True))


LAYERS = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "leaky_relu": LeakyReLU}
"""Activation name -> layer class."""

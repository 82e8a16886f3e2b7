"""Optimisers: how a gradient becomes a step.

All three walk downhill on the loss; they differ in how far and in which direction:

* ``SGD``:      ``w -= lr * g``. One step per mini-batch -- not one per epoch.
* ``Momentum``: a velocity that averages recent gradients, ``v = beta v - lr g``,
  ``w += v``: like a ball rolling downhill, it speeds up along a consistent slope
  and damps zig-zags across a narrow valley.
* ``Adam``:     keeps running averages of the gradient (``m``) and of its square
  (``v``), and steps by ``m / sqrt(v)``: each weight gets its own step size.

Usage: ``opt.step(params, grads)`` with two lists of arrays of matching shapes;
the parameters are updated *in place* (no new arrays), which is what makes a NumPy
training loop fast. The optimiser's state is tied to the position in the list, so
pass the same parameters in the same order every step.

A good learning rate depends on the problem, the model and the optimiser: typical
starting values are 0.1 for SGD on standardised inputs and 0.001 for Adam, and the
usual way to choose is to try a few values a factor of 3-10 apart.
"""

import math

import numpy as np


def _check_positive(name, value, upper=None):
    if not isinstance(value, (int, float, np.floating)) or not math.isfinite(value) or value <= 0 \
            or (upper is not None and value >= upper):
        bound = f" and < {upper}" if upper is not None else ""
        raise ValueError(f"{name} must be a finite number > 0{bound}, got {value!r}")


class Optimizer:
    """Base class. Subclasses implement ``_update(i, p, g)`` for parameter number ``i``."""

    def __init__(self, lr):
        _check_positive("lr", lr)
        self.lr = lr
        self.t = 0  # number of steps taken

    def step(self, params, grads):
        """Update every array in ``params`` in place, using the matching array in ``grads``."""
        if len(params) != len(grads):
            raise ValueError(f"got {len(params)} parameter arrays but {len(grads)} gradients")
        for p, g in zip(params, grads):
            if p.shape != g.shape:
                raise ValueError(f"a gradient has shape {g.shape} but its parameter has shape {p.shape}")
        self.t += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            self._update(i, p, g)

    def _update(self, i, p, g):
        raise NotImplementedError


class SGD(Optimizer):
    """Plain gradient descent: ``p -= lr * g``."""

    def __init__(self, lr=0.01):
        super().__init__(lr)

    def _update(self, i, p, g):
        p -= self.lr * g

    def __repr__(self):
        return f"SGD(lr={self.lr})"


class Momentum(Optimizer):
    """Gradient descent with momentum: ``v = beta * v - lr * g``; ``p += v``."""

    def __init__(self, lr=0.01, beta=0.9):
        super().__init__(lr)
        _check_positive("beta", beta, upper=1)
        self.beta = beta
        self.velocity = {}

    def _update(self, i, p, g):
        v = self.velocity.setdefault(i, np.zeros_like(p))
        v *= self.beta
        v -= self.lr * g
        p += v

    def __repr__(self):
        return f"Momentum(lr={self.lr}, beta={self.beta})"


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015).

    The textbook form, for gradient ``g`` at step ``t``::

        m = b1 m + (1 - b1) g                  # running mean of the gradient
        v = b2 v + (1 - b2) g**2               # running mean of its square
        p -= lr_t * m / (sqrt(v) + eps),  lr_t = lr * sqrt(1 - b2**t) / (1 - b1**t)

    (the bias correction folded into ``lr_t``, as scikit-learn does too).

    Speed: the update touches every weight about ten times, so in a NumPy training loop
    it costs as much as a matrix product unless it is done in place. We keep
    ``M = m / (1 - b1)`` and ``V = v / (1 - b2)`` instead of ``m`` and ``v``: then
    ``M = b1 M + g`` and ``V = b2 V + g**2`` need no multiplication by ``1 - b``, and the
    constants move into the step size. The result is the same update with two fewer
    passes over the arrays. ``moments(i)`` gives the textbook ``m`` and ``v``.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        _check_positive("beta1", beta1, upper=1)
        _check_positive("beta2", beta2, upper=1)
        _check_positive("eps", eps)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.state = {}

    def moments(self, i):
        """The textbook ``(m, v)`` of parameter number ``i`` (copies)."""
        M, V, _ = self.state[i]
        return (1.0 - self.beta1) * M, (1.0 - self.beta2) * V

    def _update(self, i, p, g):
        if i not in self.state:
            self.state[i] = (np.zeros_like(p), np.zeros_like(p), np.empty_like(p))
        M, V, tmp = self.state[i]
        b1, b2, t = self.beta1, self.beta2, self.t
        M *= b1
        M += g                                   # M = b1 M + g
        V *= b2
        np.multiply(g, g, out=tmp)
        V += tmp                                 # V = b2 V + g^2
        # lr_t * m / (sqrt(v) + eps) = step * M / (sqrt(V) + eps / sqrt(1 - b2))
        lr_t = self.lr * math.sqrt(1.0 - b2 ** t) / (1.0 - b1 ** t)
        step = lr_t * (1.0 - b1) / math.sqrt(1.0 - b2)
        np.sqrt(V, out=tmp)
        tmp += self.eps / math.sqrt(1.0 - b2)
        np.divide(M, tmp, out=tmp)
        tmp *= step
        p -= tmp

    def __repr__(self):
        return f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps})"


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}

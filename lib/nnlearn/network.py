"""A sequential network: layers applied one after another, trained by mini-batch descent.

    >>> from nnlearn.network import mlp
    >>> net = mlp([2, 16, 2], activation="tanh", seed=0)     # 2 inputs, 16 hidden, 2 classes
    >>> net.fit(X_train, y_train, epochs=100, batch_size=32)  # doctest: +SKIP
    >>> net.predict_proba(X_test)                             # doctest: +SKIP

One *epoch* is one pass over the training data. It is cut into mini-batches of
``batch_size`` samples, in a new random order each epoch, and the weights are updated
after **every** mini-batch -- ``n_samples / batch_size`` updates per epoch, not one.
``batch_size=None`` uses the whole training set per update (full-batch descent) and
``batch_size=1`` is classic stochastic gradient descent.

The last layer outputs raw scores; the loss turns them into probabilities:

=========================  ==============================  ===========================
loss                       output layer gives              ``predict_proba``
=========================  ==============================  ===========================
"softmax_cross_entropy"    scores (n, n_classes)           softmax, rows sum to 1
"sigmoid_cross_entropy"    one score (n, 1) for class 1    sigmoid, shape (n,)
"mse"                      values (n, n_outputs)           (regression: use ``predict``)
=========================  ==============================  ===========================
"""

import sys

import numpy as np

from . import activations as act
from ._validation import as_float_array, as_labels, check_random_state
from .layers import LAYERS, Dense
from .optimizers import Adam, Optimizer

LOSSES = ("softmax_cross_entropy", "sigmoid_cross_entropy", "mse")


class Network:
    """A stack of layers with a loss.

    Parameters
    ----------
    layers : list of ``nnlearn.layers.Layer``; the first must be a ``Dense`` layer.
    loss : "softmax_cross_entropy" (default), "sigmoid_cross_entropy" or "mse".

    Attributes
    ----------
    history : dict of lists, one entry per epoch trained: "loss" and (for the
        classification losses) "accuracy" on the training batches, plus "val_loss" and
        "val_accuracy" when ``fit`` gets ``validation_data``.
    optimizer : the optimiser used by the last ``fit`` (kept, so that calling ``fit``
        again continues training where it stopped).
    """

    def __init__(self, layers, loss="softmax_cross_entropy"):
        layers = list(layers)
        if not layers or not isinstance(layers[0], Dense):
            raise ValueError("a Network needs a list of layers that starts with a Dense layer")
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; choose one of {LOSSES}")
        dense = [layer for layer in layers if isinstance(layer, Dense)]
        for a, b in zip(dense, dense[1:]):
            if a.n_out != b.n_in:
                raise ValueError(f"layer sizes do not fit: {a!r} outputs {a.n_out} values "
                                 f"but the next {b!r} expects {b.n_in}")
        self.layers = layers
        self.loss = loss
        self.n_inputs = dense[0].n_in
        self.n_outputs = dense[-1].n_out
        if loss == "sigmoid_cross_entropy" and self.n_outputs != 1:
            raise ValueError(f"sigmoid_cross_entropy needs one output score, the last layer has {self.n_outputs}")
        if loss == "softmax_cross_entropy" and self.n_outputs < 2:
            raise ValueError("softmax_cross_entropy needs at least 2 outputs (one score per class)")
        self.dtype = dense[0].params["W"].dtype
        layers[0].needs_input_grad = False  # dL/dX of the data itself is never needed
        self.history = {}
        self.optimizer = None

    # ------------------------------------------------------------------ parameters
    @property
    def params(self):
        """All parameter arrays, in a fixed order (what an optimiser updates)."""
        return [p for layer in self.layers for p in layer.params.values()]

    @property
    def grads(self):
        """The gradient arrays matching ``params``, filled by ``backward``."""
        return [layer.grads[k] for layer in self.layers for k in layer.params]

    # ------------------------------------------------------------------ passes
    def forward(self, X):
        """Run every layer. Returns the scores ``(n_samples, n_outputs)`` and the caches."""
        caches = []
        out = X
        for layer in self.layers:
            out, cache = layer.forward(out)
            caches.append(cache)
        return out, caches

    def backward(self, dout, caches):
        """Backpropagate ``dL/dscores`` through every layer, last to first, filling the grads."""
        for layer, cache in zip(reversed(self.layers), reversed(caches)):
            dout = layer.backward(dout, cache)

    def _loss_and_grad(self, scores, y):
        """Loss and dL/dscores for a batch; ``y`` already prepared by ``_targets``."""
        n = scores.shape[0]
        if self.loss == "softmax_cross_entropy":
            rows = np.arange(n)
            log_p = act._log_softmax(scores)
            loss = -log_p[rows, y].mean()
            d = act._exp_nonpositive(log_p)
            d[rows, y] -= 1.0
        elif self.loss == "sigmoid_cross_entropy":
            loss = (np.maximum(scores, 0) - scores * y
                    + np.log1p(act._exp_nonpositive(-np.abs(scores)))).mean()
            d = act._sigmoid(scores) - y
        else:
            d = scores - y
            loss = np.mean(d * d)
            d *= 2.0 / scores.shape[1]
        d /= n
        return float(loss), d

    def _correct(self, scores, y):
        """Number of correctly classified samples in a batch."""
        if self.loss == "softmax_cross_entropy":
            return int(np.count_nonzero(scores.argmax(axis=1) == y))
        return int(np.count_nonzero((scores > 0) == (y > 0.5)))

    # ------------------------------------------------------------------ data checks
    def _inputs(self, X):
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.n_inputs:
            raise ValueError(f"X has {X.shape[1]} features per sample (shape {X.shape}), "
                             f"but the network's first layer expects {self.n_inputs}")
        return X.astype(self.dtype, copy=False)

    def _targets(self, y, n):
        if self.loss == "softmax_cross_entropy":
            return as_labels(y, "y", n_samples=n, n_classes=self.n_outputs)
        y = as_float_array(y, "y", ndim=(1, 2))
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if y.shape != (n, self.n_outputs):
            raise ValueError(f"y has shape {y.shape}, expected ({n}, {self.n_outputs}) "
                             f"or ({n},) to match X and the network's outputs")
        if self.loss == "sigmoid_cross_entropy" and not np.isin(y, (0, 1)).all():
            raise ValueError("y for sigmoid_cross_entropy must hold class labels 0 and 1")
        return y.astype(self.dtype, copy=False)

    # ------------------------------------------------------------------ training
    def fit(self, X, y, epochs=10, batch_size=32, optimizer=None, seed=None,
            validation_data=None, progress=False, callback=None):
        """Train with mini-batch gradient descent.

        Parameters
        ----------
        X : array, shape (n_samples, n_inputs)
        y : labels (n_samples,) or one-hot (n_samples, n_classes) for classification;
            targets (n_samples, n_outputs) or (n_samples,) for "mse"
        epochs : int, passes over the data
        batch_size : int or None (None: the whole set in one batch)
        optimizer : an ``nnlearn.optimizers`` optimiser; default ``Adam(lr=0.001)``, or
            the one from the previous ``fit`` call, so training can be resumed.
        seed : None, int or Generator, for the order of the samples in each epoch
        validation_data : optional ``(X_val, y_val)``, evaluated after every epoch
        progress : show a tqdm progress bar over the epochs
        callback : optional ``callback(epoch, network)`` called after every epoch

        Returns ``self``; the per-epoch figures are appended to ``self.history``.
        """
        X = self._inputs(X)
        n = X.shape[0]
        y = self._targets(y, n)
        if not isinstance(epochs, (int, np.integer)) or epochs < 0:
            raise ValueError(f"epochs must be an int >= 0, got {epochs!r}")
        if batch_size is None:
            batch_size = n
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")
        if optimizer is not None:
            if not isinstance(optimizer, Optimizer):
                raise TypeError(f"optimizer must be an nnlearn optimiser, got {type(optimizer).__name__}")
            self.optimizer = optimizer
        elif self.optimizer is None:
            self.optimizer = Adam(lr=0.001)
        if validation_data is not None:
            X_val, y_val = validation_data
            X_val = self._inputs(X_val)
            y_val = self._targets(y_val, X_val.shape[0])
        rng = check_random_state(seed)
        classify = self.loss != "mse"
        keys = ["loss"] + (["accuracy"] if classify else [])
        if validation_data is not None:
            keys += ["val_" + k for k in keys]
        for k in keys:
            self.history.setdefault(k, [])

        params, grads = self.params, self.grads
        epoch_iter = range(epochs)
        bar = None
        if progress:
            bar = _progress_bar(epochs)
        for epoch in epoch_iter:
            order = rng.permutation(n)
            total_loss, correct = 0.0, 0
            for start in range(0, n, batch_size):
                idx = order[start:start + batch_size]
                Xb, yb = X[idx], y[idx]
                scores, caches = self.forward(Xb)
                loss, dscores = self._loss_and_grad(scores, yb)
                self.backward(dscores, caches)
                self.optimizer.step(params, grads)
                total_loss += loss * len(idx)
                if classify:
                    correct += self._correct(scores, yb)
            figures = {"loss": total_loss / n}
            if classify:
                figures["accuracy"] = correct / n
            if validation_data is not None:
                figures["val_loss"], val_acc = self._evaluate(X_val, y_val)
                if classify:
                    figures["val_accuracy"] = val_acc
            for k, v in figures.items():
                self.history[k].append(v)
            if bar is not None:
                bar.set_postfix({k: f"{v:.3f}" for k, v in figures.items()}, refresh=False)
                bar.update(1)
            if callback is not None:
                callback(epoch, self)
        if bar is not None:
            bar.close()
        return self

    # ------------------------------------------------------------------ prediction
    def _evaluate(self, X, y, batch_size=4096):
        total_loss, correct = 0.0, 0
        for start in range(0, X.shape[0], batch_size):
            scores = self.forward(X[start:start + batch_size])[0]
            yb = y[start:start + batch_size]
            total_loss += self._loss_and_grad(scores, yb)[0] * scores.shape[0]
            if self.loss != "mse":
                correct += self._correct(scores, yb)
        n = X.shape[0]
        return total_loss / n, (correct / n if self.loss != "mse" else None)

    def evaluate(self, X, y):
        """Return ``(loss, accuracy)`` on a data set (accuracy is None for "mse")."""
        X = self._inputs(X)
        return self._evaluate(X, self._targets(y, X.shape[0]))

    def scores(self, X):
        """Raw outputs of the last layer, shape ``(n_samples, n_outputs)``."""
        return self.forward(self._inputs(X))[0]

    def predict_proba(self, X):
        """Class probabilities: ``(n_samples, n_classes)`` for softmax, ``(n_samples,)`` of
        P(class 1) for sigmoid."""
        if self.loss == "mse":
            raise ValueError("predict_proba is for classification losses; this network uses 'mse': use predict")
        s = self.scores(X)
        if self.loss == "softmax_cross_entropy":
            return act._softmax(s)
        return act._sigmoid(s[:, 0])

    def predict(self, X):
        """Class labels ``(n_samples,)`` for classification; the outputs for "mse"."""
        s = self.scores(X)
        if self.loss == "softmax_cross_entropy":
            return s.argmax(axis=1)
        if self.loss == "sigmoid_cross_entropy":
            return (s[:, 0] > 0).astype(int)
        return s

    def __repr__(self):
        inner = ",\n    ".join(repr(layer) for layer in self.layers)
        return f"Network([\n    {inner}\n], loss={self.loss!r})"


def _progress_bar(total):
    """A tqdm bar over the epochs: a widget in Jupyter, text on stdout elsewhere."""
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is in requirements.txt
        raise ImportError("progress=True needs tqdm: pip install tqdm") from None
    return tqdm(total=total, desc="epochs", unit="epoch", file=sys.stdout, leave=True)


def mlp(sizes, activation="relu", loss="softmax_cross_entropy", init=None, seed=None, dtype=np.float64):
    """Build a multi-layer perceptron: Dense layers of the given sizes with activations between.

    Parameters
    ----------
    sizes : list of int, ``[n_inputs, hidden_1, ..., n_outputs]`` (at least 2 entries)
    activation : "relu", "tanh", "sigmoid" or "leaky_relu", used after every hidden layer
    loss : see ``Network``
    init : weight initialiser name; default "he" for ReLU-like activations, "xavier" otherwise
    seed : None, int or Generator, for the initial weights
    dtype : float64 (default) or float32

    >>> mlp([3072, 64, 2], seed=0)
    Network([
        Dense(n_in=3072, n_out=64),
        ReLU(),
        Dense(n_in=64, n_out=2)
    ], loss='softmax_cross_entropy')
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least an input and an output size, got {sizes}")
    if activation not in LAYERS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {sorted(LAYERS)}")
    if init is None:
        init = "he" if activation in ("relu", "leaky_relu") else "xavier"
    rng = check_random_state(seed)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        last = i == len(sizes) - 2
        # the output layer feeds a softmax/sigmoid/identity, so Xavier suits it whatever the hidden init
        layers.append(Dense(n_in, n_out, init="xavier" if last else init, seed=rng, dtype=dtype))
        if not last:
            layers.append(LAYERS[activation]())
    return Network(layers, loss=loss)

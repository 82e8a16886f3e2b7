"""nnlearn: the small NumPy reference implementation behind "How Neural Networks Learn".

One shape convention holds everywhere in this package, in the notebooks and in the
tests:

* samples are rows: a data set ``X`` has shape ``(n_samples, n_features)``;
* labels ``y`` are either integer class labels of shape ``(n_samples,)`` or one-hot
  rows of shape ``(n_samples, n_classes)``;
* a dense layer with ``n_in`` inputs and ``n_out`` outputs stores ``W`` with shape
  ``(n_out, n_in)`` -- one *row* of weights per neuron -- and ``b`` with shape
  ``(n_out,)``, and computes ``X @ W.T + b``, an ``(n_samples, n_out)`` array.

Why ``(n_out, n_in)`` and the transpose? Row ``j`` of ``W`` is everything neuron
``j`` knows: its weight for each input. A single sample ``x`` (a vector) gives the
neuron outputs ``W @ x``; stacking samples as rows turns that into ``X @ W.T``.

Every layer follows the CS231n contract: ``forward(X) -> (out, cache)`` and
``backward(dout, cache) -> dX`` (parameter gradients land in ``layer.grads``).
Everything random takes a seed or a :class:`numpy.random.Generator`.

Modules, one concept each:

========================  ===================================================
``activations``           step, sigmoid, tanh, ReLU, leaky ReLU, softmax
``losses``                MSE and the cross-entropies, with gradients
``layers``                dense and activation layers (forward/backward)
``initializers``          zeros, small normal, Xavier/Glorot, He
``optimizers``            SGD, momentum, Adam
``network``               a sequential network with fit/predict
``gradcheck``             numerical gradients and relative errors
``preprocessing``         train/test split, one-hot, standardisation
``metrics``               accuracy, confusion matrix
``datasets``              1-D functions, moons, circles, spirals, XOR; the UCI handwritten digits (8x8, CC BY 4.0)
``images``                the built-in cat/dog pictures; photo and CIFAR-10 loaders
``plotting``, ``widgets`` matplotlib and ipywidgets helpers for the notebooks; ``not_yet``
``playground``            05's live playground: the student's two-layer network trained live
``notebooks``             a student's functions read from another notebook (06's switch)
``standing``              where a student stands: the visible tests run again, with the points
``testing``               checks with diagnostic messages for notebook tests
========================  ===================================================
"""

__version__ = "0.1.0"

"""Small synthetic data sets, generated on the spot (no downloads).

* :func:`make_function` -- noisy samples of a 1-D function, for *function
  approximation*: can a network draw a curve through points it was given, and
  predict the points in between?
* :func:`make_moons`, :func:`make_circles`, :func:`make_spirals`,
  :func:`make_xor` -- 2-D classification problems that no straight line can
  separate. Plot them, train a network, and look at its decision boundary.
* :func:`make_image_like_classification` -- a high-dimensional problem with the
  shape of flattened images, for benchmarks and the image notebook.
* :func:`load_digits` -- one *real* data set that ships with the library: 1,797
  handwritten digits, 8x8 pixels each (UCI, CC BY 4.0). Read from a file in the
  package, never downloaded.

Every generator takes ``seed`` (``None``, an int or a
:class:`numpy.random.Generator`): the same seed gives the same data. Classes are
balanced (their sizes differ by at most one) and the samples are shuffled, so the
first rows are not all of one class. Classification sets return ``X`` as float64
``(n_samples, 2)`` and integer labels ``y`` of shape ``(n_samples,)``.
"""

import hashlib
import numbers
import zipfile
import zlib
from pathlib import Path

import numpy as np

from ._validation import as_float_array, check_int, check_random_state

__all__ = [
    "FUNCTIONS",
    "make_function",
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_xor",
    "make_image_like_classification",
    "DIGITS_PATH",
    "DIGITS_CHECKSUM",
    "DIGITS_LICENSE_PATH",
    "load_digits",
]


# ---------------------------------------------------------------------------
# argument checks


def _check_nonneg(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return float(value)


def _class_sizes(n_samples, n_classes):
    """Balanced class sizes: ``n_samples`` split into ``n_classes`` parts differing by at most 1."""
    base, extra = divmod(n_samples, n_classes)
    return [base + (1 if c < extra else 0) for c in range(n_classes)]


def _shuffle(rng, X, y):
    perm = rng.permutation(len(y))
    return X[perm], y[perm]


# ---------------------------------------------------------------------------
# 1-D functions

FUNCTIONS = {
    "sine": lambda x: np.sin(x),
    "step": lambda x: np.where(x >= 0, 1.0, 0.0),
    "bump": lambda x: np.exp(-(x**2)),
    "abs": lambda x: np.abs(x),
    "cubic": lambda x: x**3 / 9.0,
    "quadratic": lambda x: x**2 / 3.0,
    "sawtooth": lambda x: (x % 2.0) - 1.0,
    "wiggle": lambda x: np.sin(3 * x) + 0.3 * x,
}
"""The named 1-D targets of :func:`make_function`; each maps an array to an array.

On the default range ``(-3, 3)`` every one of them stays within about ``[-3, 3]``:
``sine`` (smooth), ``step`` (a jump at 0 -- the hardest for smooth activations),
``bump`` (a Gaussian hill), ``abs`` (a kink: two ReLUs), ``cubic`` (``x**3 / 9``),
``quadratic`` (``x**2 / 3``), ``sawtooth`` (jumps every 2 units) and ``wiggle``
(``sin(3x) + 0.3x``).
"""


def make_function(name_or_callable, n_samples=50, noise=0.0, x_range=(-3, 3), seed=None):
    """Sample points ``(x, f(x) + noise)`` of a 1-D function, sorted by ``x``.

    Parameters
    ----------
    name_or_callable : str or callable
        One of the names in :data:`FUNCTIONS` (``"sine"``, ``"step"``, ``"bump"``,
        ``"abs"``, ``"cubic"``, ...) or your own function. A callable should work
        on a NumPy array of shape ``(n,)``; a function of one float also works
        (it is then called once per point).
    n_samples : int
        Number of points ``n``.
    noise : float
        Standard deviation of Gaussian noise added to ``y`` (0: exact values).
    x_range : (float, float)
        The ``x`` values are drawn uniformly from ``[low, high]``.
    seed : None, int or numpy.random.Generator

    Returns
    -------
    x : ndarray of float64, shape (n, 1)
        Inputs, one per row, in increasing order (so ``plt.plot(x, y)`` draws a
        clean curve).
    y : ndarray of float64, shape (n, 1)
        Targets.

    The points are scattered at random rather than evenly spaced: a network has
    to *interpolate* between them, which is the point of function approximation.
    """
    if isinstance(name_or_callable, str):
        if name_or_callable not in FUNCTIONS:
            raise ValueError(f"unknown function {name_or_callable!r}; choose one of {sorted(FUNCTIONS)} or pass a callable")
        f = FUNCTIONS[name_or_callable]
    elif callable(name_or_callable):
        f = name_or_callable
    else:
        raise TypeError(f"name_or_callable must be a function name or a callable, got {type(name_or_callable).__name__}")
    n = check_int(n_samples, "n_samples", 1)
    noise = _check_nonneg(noise, "noise")
    x_range = as_float_array(x_range, "x_range", shape=(2,))
    low, high = float(x_range[0]), float(x_range[1])
    if not low < high:
        raise ValueError(f"x_range must be (low, high) with low < high, got {tuple(x_range)}")
    rng = check_random_state(seed)

    x = np.sort(rng.uniform(low, high, size=n))
    y = _apply_1d(f, x)
    if noise > 0:
        y = y + noise * rng.standard_normal(n)
    return x.reshape(n, 1), y.reshape(n, 1)


def _apply_1d(f, x):
    """``f(x)`` as a float64 array of shape ``(n,)``; falls back to one call per point."""
    try:
        with np.errstate(all="ignore"):
            y = np.asarray(f(x), dtype=np.float64)
        if y.shape not in ((x.size,), (x.size, 1)):
            raise ValueError("not vectorised")
    except (TypeError, ValueError):
        y = np.array([float(np.asarray(f(float(v))).reshape(())) for v in x])
    y = y.reshape(-1)
    if not np.isfinite(y).all():
        raise ValueError("the function returned NaN or infinite values on x_range")
    return y


# ---------------------------------------------------------------------------
# 2-D classification problems


def make_moons(n_samples=200, noise=0.1, seed=None):
    """Two interleaving half circles ("moons"): class 0 on top, class 1 below.

    Parameters
    ----------
    n_samples : int
        Total number of points (at least 2); the classes get half each (±1).
    noise : float
        Standard deviation of Gaussian noise added to each coordinate. The moons
        have radius 1; above about 0.3 they start to overlap.
    seed : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
    y : ndarray of int, shape (n_samples,)
        Labels 0 and 1.

    A straight line gets about 85-90 % of these right; a small network with one
    hidden layer can bend its boundary around the tips of the moons.
    """
    n = check_int(n_samples, "n_samples", 2)
    noise = _check_nonneg(noise, "noise")
    rng = check_random_state(seed)
    n0, n1 = _class_sizes(n, 2)
    t0 = rng.uniform(0, np.pi, n0)
    t1 = rng.uniform(0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) + noise * rng.standard_normal((n, 2))
    y = np.repeat([0, 1], [n0, n1])
    return _shuffle(rng, X, y)


def make_circles(n_samples=200, noise=0.05, factor=0.5, seed=None):
    """A small circle (class 1) inside a large circle (class 0).

    Parameters
    ----------
    n_samples : int
        Total number of points (at least 2), half per class (±1).
    noise : float
        Standard deviation of Gaussian noise added to each coordinate.
    factor : float in (0, 1)
        Radius of the inner circle; the outer circle has radius 1.
    seed : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
    y : ndarray of int, shape (n_samples,)
        0 = outer circle, 1 = inner circle.

    No line separates the classes, but the *distance from the centre* does: a
    network has to discover a feature like ``x1**2 + x2**2`` by itself.
    """
    n = check_int(n_samples, "n_samples", 2)
    noise = _check_nonneg(noise, "noise")
    if isinstance(factor, bool) or not isinstance(factor, numbers.Real):
        raise TypeError(f"factor must be a number, got {factor!r}")
    if not 0 < factor < 1:
        raise ValueError(f"factor (inner radius / outer radius) must be strictly between 0 and 1, got {factor}")
    rng = check_random_state(seed)
    n0, n1 = _class_sizes(n, 2)
    t = rng.uniform(0, 2 * np.pi, n)
    radius = np.repeat([1.0, float(factor)], [n0, n1])
    X = radius[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    X = X + noise * rng.standard_normal((n, 2))
    y = np.repeat([0, 1], [n0, n1])
    return _shuffle(rng, X, y)


def make_spirals(n_samples=300, n_classes=3, noise=0.2, seed=None):
    """Spiral arms winding out of the origin, one arm per class (as in CS231n).

    Point ``i`` of arm ``c`` sits at radius ``r = i / (m - 1)`` (from 0 to 1)
    and angle ``t = 4 (c + r) + noise * N(0, 1)`` (in radians): each arm turns
    through 4 radians, and the arms start 4 radians apart.

    Parameters
    ----------
    n_samples : int
        Total number of points, split evenly over the classes (±1).
    n_classes : int
        Number of arms / classes ``k`` (at least 2).
    noise : float
        Standard deviation of the noise on the *angle*; 0.2 blurs the arms a
        little, above about 0.5 they merge.
    seed : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
        Inside the unit disc.
    y : ndarray of int, shape (n_samples,)
        Labels ``0 .. k-1``.

    A linear classifier (softmax regression) gets about 50 % on three spirals; a
    network with one hidden layer of 100 ReLUs gets above 95 %.
    """
    k = check_int(n_classes, "n_classes", 2)
    n = check_int(n_samples, "n_samples", k)
    noise = _check_nonneg(noise, "noise")
    rng = check_random_state(seed)
    Xs, ys = [], []
    for c, m in enumerate(_class_sizes(n, k)):
        r = np.linspace(0.0, 1.0, m) if m > 1 else np.zeros(1)
        t = 4.0 * (c + r) + noise * rng.standard_normal(m)
        Xs.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        ys.append(np.full(m, c))
    return _shuffle(rng, np.vstack(Xs), np.concatenate(ys))


def make_xor(n_samples=200, noise=0.1, seed=None):
    """The XOR problem: class 1 where the two coordinates have opposite signs.

    Points are uniform in the square ``[-1, 1] x [-1, 1]``: class 0 in the
    quadrants where ``x1`` and ``x2`` have the same sign, class 1 in the other
    two. Gaussian noise (standard deviation ``noise``) is added afterwards, so
    points near the axes can cross into the other class's quadrant.

    Parameters
    ----------
    n_samples : int
        Total number of points (at least 2), half per class (±1).
    noise : float
    seed : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
    y : ndarray of int, shape (n_samples,)

    XOR is the classic problem a single neuron cannot solve (Minsky and Papert,
    1969): no line puts (0, 0) and (1, 1) on one side and (0, 1) and (1, 0) on
    the other. Two hidden neurons are enough.
    """
    n = check_int(n_samples, "n_samples", 2)
    noise = _check_nonneg(noise, "noise")
    rng = check_random_state(seed)
    n0, n1 = _class_sizes(n, 2)
    y = np.repeat([0, 1], [n0, n1])
    magnitude = rng.uniform(0, 1, (n, 2))
    sign1 = rng.choice([-1.0, 1.0], size=n)
    sign2 = np.where(y == 0, sign1, -sign1)  # same sign for class 0, opposite for class 1
    X = magnitude * np.column_stack([sign1, sign2]) + noise * rng.standard_normal((n, 2))
    return _shuffle(rng, X, y)


# ---------------------------------------------------------------------------
# high-dimensional, image-shaped data


def make_image_like_classification(n_samples, n_features, n_classes=2, seed=None, dtype=np.float32):
    """A high-dimensional classification problem with the shape of flattened images.

    Real images are high-dimensional (a 32x32 colour image has 3072 numbers), but
    their pixels are strongly correlated: what matters is a handful of underlying
    factors. This generator imitates that:

    1. a 2-D *latent* "pinwheel": the plane is cut into ``2 k`` equal angular
       sectors and class ``c`` owns two opposite sectors, ``c`` and ``c + k``.
       For two classes this is XOR. Opposite sectors cancel, so every class has
       the same mean and **no linear model can beat chance** -- but a hidden layer
       can. Six latent "nuisance" factors (think lighting, pose) that carry no
       class information are added;
    2. a fixed random linear map embeds the 8 latent numbers into ``n_features``
       dimensions, and a smooth saturating nonlinearity (``tanh``, like a pixel
       that cannot get brighter than white) is applied to each feature;
    3. independent noise as strong as the signal is added to every feature, and
       the whole array is scaled to standard deviation 1.

    What to expect with 5000 samples, 3072 features and an 80/20 split: a linear
    (softmax) classifier stays at chance on the test set (about 50 % for two
    classes), while a one-hidden-layer MLP with 64 ReLUs reaches about 80 % --
    and, like on real images, fits the training set perfectly: it overfits.

    Parameters
    ----------
    n_samples : int
        Number of samples ``n`` (at least ``n_classes``), balanced over the
        classes (±1) and shuffled.
    n_features : int
        Number of features ``d`` (at least 2), e.g. 3072 for 32x32x3 "images".
    n_classes : int
        Number of classes ``k`` (at least 2).
    seed : None, int or numpy.random.Generator
        Fixes the data *and* the embedding.
    dtype : numpy float dtype
        dtype of ``X``; float32 by default (half the memory, about twice the
        matmul speed of float64).

    Returns
    -------
    X : ndarray of ``dtype``, shape (n, d)
        Mean about 0 and standard deviation about 1 (already standardised, so
        it can go straight into a network).
    y : ndarray of int, shape (n,)
        Labels ``0 .. k-1``.
    """
    k = check_int(n_classes, "n_classes", 2)
    n = check_int(n_samples, "n_samples", k)
    d = check_int(n_features, "n_features", 2)
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be a NumPy float dtype, got {dtype!r}") from None
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a floating-point dtype such as np.float32, got {dtype}")
    rng = check_random_state(seed)

    # 1. latent pinwheel: class c lives in sectors c and c + k (angles in units of pi / k)
    y = rng.permutation(np.arange(n) % k)
    sector = y + k * rng.integers(0, 2, n)
    angle = (sector + rng.uniform(0, 1, n)) * (np.pi / k)
    radius = rng.uniform(0.1, 1.0, n)
    Z = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    Z = (Z + 0.1 * rng.standard_normal((n, 2))) / 0.6  # blur the borders, unit-ish scale
    latent = np.hstack([Z, 0.5 * rng.standard_normal((n, 6))])  # (n, 8)

    # 2. fixed random embedding into d dimensions, then a saturating nonlinearity
    M = rng.standard_normal((latent.shape[1], d))
    M /= np.sqrt((M**2).sum(axis=0, keepdims=True))  # unit-norm weights for every feature
    work = np.float32 if dtype == np.float32 else np.float64
    X = np.tanh((latent @ M).astype(work))

    # 3. per-feature noise, overall scale 1
    X += rng.standard_normal((n, d), dtype=work)
    X /= X.std()
    return X.astype(dtype, copy=False), y.astype(np.int64)


# ---------------------------------------------------------------------------
# a real data set, shipped with the library

DIGITS_PATH = Path(__file__).resolve().parent / "data" / "digits.npz"
"""Where :func:`load_digits` reads the digits: ``nnlearn/data/digits.npz``, installed with the package."""

DIGITS_LICENSE_PATH = DIGITS_PATH.parent / "DIGITS_LICENSE"
"""The digits' source, attribution and licence (CC BY 4.0), next to the data file."""

DIGITS_CHECKSUM = "87ff0c9e40dc7e2c0e34e7257799c2e3f3aec1a016363bb11cad869ec428a826"
"""SHA-256 of the digits as stored: ``images.tobytes() + labels.tobytes()`` (both uint8).

:func:`load_digits` recomputes it on every load (a fraction of a millisecond), so a
damaged or edited data file is reported instead of silently training on wrong data.
"""

_DIGITS_SHAPE = (1797, 8, 8)


def _digits_file_error(path, reason):
    return OSError(
        f"the digits data file {str(path)!r} {reason}. It is part of the nnlearn "
        "library: reinstall the library (from the course folder: "
        "python -m pip install --force-reinstall --no-deps -e ./lib)"
    )


def _read_digits(path):
    """``(images, labels)`` as stored in ``path`` (uint8), checked, or an ``OSError`` naming the file."""
    if not path.is_file():
        raise _digits_file_error(path, "is a folder, not a file" if path.is_dir() else "is missing")
    if not zipfile.is_zipfile(path):  # an .npz is a zip archive; anything else (a pickle, a .npy) is refused here
        raise _digits_file_error(path, "is damaged: it is not a NumPy .npz archive")
    try:
        with np.load(path, allow_pickle=False) as archive:  # never unpickles anything
            arrays = {key: np.asarray(archive[key]) for key in ("images", "labels") if key in archive.files}
    except ValueError as err:
        reason = "holds pickled Python objects, which nnlearn never loads" if "pickle" in str(err) else str(err)
        raise _digits_file_error(path, f"is damaged: {reason}") from None
    except (OSError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as err:
        raise _digits_file_error(path, f"is damaged and cannot be read ({type(err).__name__}: {err})") from None
    missing = [key for key in ("images", "labels") if key not in arrays]
    if missing:
        raise _digits_file_error(path, f"is damaged: it lacks the array(s) {missing}")
    images, labels = arrays["images"], arrays["labels"]
    if images.shape != _DIGITS_SHAPE or images.dtype != np.uint8 or labels.shape != _DIGITS_SHAPE[:1] \
            or labels.dtype != np.uint8:
        raise _digits_file_error(
            path,
            f"is damaged: it holds the wrong arrays (images {images.dtype} {images.shape}, labels {labels.dtype} {labels.shape}; "
            f"expected uint8 {_DIGITS_SHAPE} and uint8 {_DIGITS_SHAPE[:1]})",
        )
    digest = hashlib.sha256(images.tobytes() + labels.tobytes()).hexdigest()
    if digest != DIGITS_CHECKSUM:
        raise _digits_file_error(path, f"is damaged or was changed (SHA-256 {digest[:12]}... instead of {DIGITS_CHECKSUM[:12]}...)")
    return images, labels


def load_digits(as_float=False, flatten=False):
    """The UCI handwritten digits: 1,797 real images of the digits 0-9, 8x8 pixels each.

    People wrote digits on a form; the scans were cut into 32x32 black-and-white
    bitmaps, and every 4x4 block of a bitmap became one pixel whose value counts
    the block's ink: 0 (white paper) to 16 (all ink). What is left is a tiny 8x8
    grey picture -- small enough that a network with one hidden layer learns it in
    seconds, yet real handwriting, from 13 writers, with all its sloppiness.

    Parameters
    ----------
    as_float : bool
        ``False`` (default): the stored integers, uint8 from 0 to 16.
        ``True``: float64 from 0.0 to 1.0 (the pixel divided by 16), ready to go
        into a network.
    flatten : bool
        ``False`` (default): images of shape ``(n, 8, 8)``, to look at
        (``plt.imshow(images[0], cmap="gray_r")``). ``True``: one row of 64 pixels
        per image, shape ``(n, 64)`` -- samples as rows, the shape a dense network
        takes (row by row: pixel ``(r, c)`` is column ``8 * r + c``).

    Returns
    -------
    images : ndarray, shape (1797, 8, 8), or (1797, 64) if ``flatten``
        uint8 in ``0 .. 16``, or float64 in ``[0, 1]`` if ``as_float``. A fresh
        copy: change it as you like.
    labels : ndarray of int64, shape (1797,)
        The digit each image shows, ``0 .. 9``.

    The classes are nearly balanced: 178, 182, 177, 183, 181, 182, 181, 179, 174
    and 180 images of the digits 0 to 9. The images come in the stored order (not
    sorted by class, but not shuffled by a seed either), so take a random split
    for training, validation and test, e.g. with ``train_test_split``.

    Source and licence: Alpaydin, E. and Kaynak, C. (1998). Optical Recognition of
    Handwritten Digits [Dataset]. UCI Machine Learning Repository.
    https://doi.org/10.24432/C50P49 -- licensed under CC BY 4.0
    (https://creativecommons.org/licenses/by/4.0/). These are the set's 1,797
    *test* images, the ones scikit-learn ships as ``load_digits``, stored
    unchanged as uint8 arrays in ``nnlearn/data/digits.npz``
    (:data:`DIGITS_PATH`); the details are in :data:`DIGITS_LICENSE_PATH`.
    Nothing is downloaded: the file comes with the library, and its content is
    checked against :data:`DIGITS_CHECKSUM` on every load (an ``OSError`` naming
    the file if it is missing or damaged).

    Examples
    --------
    >>> images, labels = load_digits()
    >>> images.shape, images.dtype, int(images.max()), labels[:10].tolist()
    ((1797, 8, 8), dtype('uint8'), 16, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    >>> X, y = load_digits(as_float=True, flatten=True)
    >>> X.shape, X.dtype, float(X.max())
    ((1797, 64), dtype('float64'), 1.0)
    """
    for flag, name in ((as_float, "as_float"), (flatten, "flatten")):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {flag!r}")
    images, labels = _read_digits(Path(DIGITS_PATH))
    images = images.astype(np.float64) / 16.0 if as_float else images.copy()
    if flatten:
        images = images.reshape(len(images), 64)
    return images, labels.astype(np.int64)

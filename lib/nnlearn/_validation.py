"""Input checks shared by every public function.

Each check raises a ``TypeError`` (not numbers at all) or a ``ValueError`` (numbers,
but the wrong shape, empty, NaN or infinite) whose message names the argument, what
was expected and what was given -- never a silent broadcast.
"""

import numbers

import numpy as np


def _shape_str(shape):
    return "(" + ", ".join("n" if s is None else str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


def as_float_array(x, name, *, ndim=None, shape=None, allow_empty=False, finite=True):
    """Return ``x`` as a float32 or float64 NumPy array, or raise a clear error.

    Parameters
    ----------
    x : array-like
    name : str
        The argument's name, used in error messages.
    ndim : int or tuple of int, optional
        Accepted numbers of dimensions.
    shape : tuple, optional
        Expected shape; ``None`` entries match any size, e.g. ``(None, 3)``.
    allow_empty : bool
        Whether an array with no elements is acceptable.
    finite : bool
        Whether to reject NaN and infinite values.

    float32 input stays float32; every other numeric input becomes float64.
    """
    if isinstance(x, np.ndarray):
        arr = x
    else:
        try:
            arr = np.asarray(x)
        except ValueError as err:  # ragged nested lists
            raise ValueError(f"{name} could not be turned into an array: {err}") from None
    if arr.dtype == object or arr.dtype.kind in "USVMm" or arr.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {arr.dtype}")
    if arr.dtype != np.float32:
        arr = arr.astype(np.float64, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, numbers.Integral) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got a {arr.ndim}-D array of shape {arr.shape}")
    if shape is not None:
        ok = arr.ndim == len(shape) and all(s is None or s == a for s, a in zip(shape, arr.shape))
        if not ok:
            raise ValueError(f"{name} has shape {arr.shape}, expected {_shape_str(shape)}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    if finite and not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        where = tuple(int(i) for i in bad) if arr.ndim else ()
        raise ValueError(f"{name} contains NaN or infinite values (first at index {where}: {arr[tuple(bad)]})")
    return arr


def as_labels(y, name, n_samples=None, n_classes=None):
    """Return integer class labels from labels ``(n,)`` or one-hot rows ``(n, k)``.

    Raises a ``ValueError`` for non-integer labels, negative labels, labels ``>=
    n_classes``, one-hot rows that are not exactly one-hot, or a sample count that
    does not match ``n_samples``.
    """
    arr = np.asarray(y)
    if arr.dtype == object or arr.dtype.kind in "USVc":
        raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if arr.ndim == 2:
        if n_classes is not None and arr.shape[1] != n_classes:
            raise ValueError(f"{name} is one-hot with {arr.shape[1]} columns, expected {n_classes} classes")
        if not (np.isin(arr, (0, 1)).all() and (arr.sum(axis=1) == 1).all()):
            raise ValueError(f"{name} is 2-D but its rows are not one-hot (each row needs exactly one 1)")
        labels = arr.argmax(axis=1)
    elif arr.ndim == 1:
        if arr.size and arr.dtype.kind == "f":
            if not np.isfinite(arr).all() or not (arr == np.round(arr)).all():
                raise ValueError(f"{name} must hold whole-number class labels, got {arr[:5]}...")
        if arr.dtype.kind not in "iuf" and arr.dtype != bool:
            raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
        labels = arr.astype(np.intp)
    else:
        raise ValueError(f"{name} must be labels (n,) or one-hot (n, k), got shape {arr.shape}")
    if labels.size == 0:
        raise ValueError(f"{name} is empty")
    if n_samples is not None and labels.shape[0] != n_samples:
        raise ValueError(f"{name} has {labels.shape[0]} labels but there are {n_samples} samples")
    if labels.min() < 0:
        raise ValueError(f"{name} contains a negative class label ({labels.min()})")
    if n_classes is not None and labels.max() >= n_classes:
        raise ValueError(f"{name} contains class label {labels.max()}, but there are only {n_classes} classes (0..{n_classes - 1})")
    return labels


def check_int(value, name, minimum):
    """Return ``value`` as an int, or raise: a TypeError for non-integers (bools
    included), a ValueError when it is below ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def check_random_state(seed):
    """Turn ``None``, an int or a Generator into a :class:`numpy.random.Generator`."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, numbers.Integral):
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be None, an int or a numpy.random.Generator, got {type(seed).__name__}")

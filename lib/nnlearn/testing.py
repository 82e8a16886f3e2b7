"""Checks with diagnostic messages, for the notebooks' visible and hidden tests.

A bare ``assert np.allclose(out, expected)`` tells a student only *that* they are
wrong. These checks say *how*: they look at the answer in three stages and stop at
the first one that fails --

1. **type**: is it a number, an array, or ``None`` because ``return`` is missing?
2. **shape**: ``(3, 2)`` where ``(2, 3)`` is expected usually means a transpose;
3. **values**: how many entries are wrong, the first wrong one, the largest
   absolute and relative errors, and a hint when the numbers show a familiar
   mistake (transposed matrix, missing 1/N, forgotten bias, overflow in ``exp``,
   integer division, a sign flip or a factor of 2).

Every check returns ``None`` when the answer is right and otherwise raises
:class:`CheckFailed`, an ``AssertionError`` whose text is the whole diagnosis. The
checks never print, never write to stderr and never emit warnings (nbgrader scores a
test cell that writes to stderr as 0). A notebook test cell looks like this::

    from nnlearn.testing import check_array
    check_array("sigmoid(z)", sigmoid(z), expected)
    print("sigmoid: all visible tests passed")   # test cells end with a statement

Tolerances follow :func:`numpy.isclose`: an entry is right when
``|got - expected| <= atol + rtol * |expected|``. NaN agrees with NaN and ``inf``
with ``inf`` of the same sign. float32 keeps only about 7 significant digits and
every rounding in a sum costs a little more, so when either side is float32 (or
float16) the tolerances are raised to at least ``rtol = 100 * eps`` and
``atol = 10 * eps`` of that type (about 1.2e-5 and 1.2e-6 for float32).
"""

import numbers

import numpy as np

__all__ = ["CheckFailed", "call", "check_type", "check_shape", "check_array", "check_scalar", "check_raises"]


class CheckFailed(AssertionError):
    """Raised by every check; ``str(err)`` is the full diagnostic message."""


# -- describing things in a few words ------------------------------------------------

def _fmt_array(a):
    return np.array2string(np.asarray(a), threshold=6, edgeitems=2, precision=4)


def _describe(x):
    """A short phrase for any object: 'None', 'a list of 3 items', ..."""
    if x is None:
        return "None"
    if isinstance(x, (bool, np.bool_)):
        return f"a bool ({x})"
    if isinstance(x, np.ndarray):
        kind = "" if x.dtype.kind in "biuf" else f" of dtype {x.dtype}"
        return f"a numpy array of shape {x.shape}{kind}"
    if isinstance(x, (str, bytes)):
        text = repr(str(x)) if len(x) <= 30 else repr(str(x[:27])) + "..."
        return f"a string ({text})"
    if isinstance(x, (numbers.Number, np.generic)):
        prefix = "a numpy " if isinstance(x, np.generic) else "an " if type(x) is int else "a "
        return f"{prefix}{type(x).__name__} ({_num(x)})"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of {len(x)} item{'s' if len(x) != 1 else ''}"
    if callable(x):
        return f"the function {getattr(x, '__name__', '?')} itself"
    return f"a {type(x).__name__}"


def _num(x, digits=4):
    """Format a number with 4 significant digits; ints stay ints, floats show a point."""
    if isinstance(x, np.ndarray):
        x = x.item()
    if isinstance(x, (bool, np.bool_, numbers.Integral)) or not isinstance(x, numbers.Real):
        return str(x)
    text = f"{float(x):.{digits}g}"
    return text if any(c in text for c in ".eni") else text + ".0"


def _pair(got, expected):
    """Format two different numbers with just enough digits to tell them apart."""
    for digits in (4, 6, 8, 12, 17):
        g, e = _num(got, digits), _num(expected, digits)
        if g != e:
            break
    return g, e


def _type_words(t):
    words = {float: "a single number (float)", int: "a whole number (int)",
             bool: "True or False (bool)", np.ndarray: "a numpy array"}
    return words.get(t, f"a {t.__name__}")


def _type_hint(got, want_number):
    """A hint for the usual type mistakes, or ''."""
    if got is None:
        return " — your function returned None: did you forget `return`?"
    if isinstance(got, tuple):
        return " — did you return several values (e.g. out, cache) where one was expected?"
    if callable(got):
        return " — did you forget the parentheses that call it?"
    numeric = isinstance(got, np.ndarray) and got.dtype.kind in "biuf"
    if want_number and numeric and got.size == 1:
        return " — take the number out with .item() or float(...)"
    if want_number and (numeric or isinstance(got, list)):
        return " — did you forget to average?"
    return ""


def _fail(message, hints=(), hint=None):
    lines = [message] + [f"Hint: {h}" for h in hints] + ([hint] if hint else [])
    raise CheckFailed("\n".join(lines))


def _with_hint(hint, check, *args):
    """Run a type or shape check, adding the caller's own hint to its message."""
    try:
        return check(*args)
    except CheckFailed as err:
        if not hint:
            raise
        raise CheckFailed(f"{err}\n{hint}") from None


# -- stage 1: type -------------------------------------------------------------------

def _is_real_number(x):
    """A Python or NumPy int/float (not a bool), or a 0-d array of one."""
    if isinstance(x, np.ndarray):
        return x.ndim == 0 and x.dtype.kind in "iuf"
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))


def check_type(name, got, expected_type):
    """Check that ``got`` is of ``expected_type`` (a type or a tuple of types).

    Numbers are accepted the way arithmetic accepts them: where a ``float`` is
    expected any real number passes -- a Python ``int``, a NumPy ``float64``, a 0-d
    array -- but a bool or an array with several entries does not. Where an ``int``
    is expected any Python or NumPy integer passes. Where ``np.ndarray`` is
    expected only a real NumPy array passes (use :func:`check_array` to accept
    lists too). For any other type this is ``isinstance``.
    """
    types = expected_type if isinstance(expected_type, tuple) else (expected_type,)
    for t in types:
        if t is float and _is_real_number(got):
            return None
        is_bool = isinstance(got, (bool, np.bool_)) or (isinstance(got, np.ndarray) and got.shape == ()
                                                         and got.dtype == bool)
        if t is int and isinstance(got, numbers.Integral) and not is_bool:
            return None
        if t is bool and is_bool:
            return None
        if t not in (float, int, bool) and isinstance(got, t):
            return None
    want = " or ".join(_type_words(t) for t in types)
    hint = _type_hint(got, want_number=any(t in (float, int) for t in types))
    if not hint and int in types and isinstance(got, (float, np.floating)):
        hint = " — use int(...) or integer division //"
    if not hint and np.ndarray in types and isinstance(got, (list, tuple)):
        hint = " — wrap it in np.array(...)"
    _fail(f"{name} should be {want}, got {_describe(got)}{hint}")


def _to_array(name, got, expected_shape):
    """Turn an array-like answer into an ndarray, or fail with a type message."""
    want = f"a numpy array of shape {tuple(expected_shape)}"
    if got is None or isinstance(got, (str, bytes, dict, set)) or callable(got):
        _fail(f"{name} should be {want}, got {_describe(got)}{_type_hint(got, False)}")
    try:
        arr = np.asarray(got)
    except (ValueError, TypeError):  # ragged nested lists, odd objects
        arr = None
    if arr is None:
        _fail(f"{name} should be {want}, got {_describe(got)} that does not form an array of numbers "
              f"(rows of different lengths?){_type_hint(got, False)}")
    if arr.dtype.kind not in "biuf":
        what = "complex numbers" if arr.dtype.kind == "c" else f"dtype {arr.dtype}"
        holding = "" if isinstance(got, np.ndarray) else f" holding {what}"
        _fail(f"{name} should be {want} of real numbers, got {_describe(got)}{holding}"
              f"{_type_hint(got, False)}")
    if arr.ndim == 0 and len(expected_shape) > 0:
        _fail(f"{name} should be {want}, got a single number ({_num(arr.item())}) — did you sum or "
              "average over everything, or return one entry instead of the whole array?")
    return arr


# -- stage 2: shape ------------------------------------------------------------------

def _shape_hint(got, expected):
    if len(got) >= 2 and tuple(reversed(got)) == expected:
        return "did you transpose?"
    if tuple(s for s in got if s != 1) == tuple(s for s in expected if s != 1):
        if len(got) == 1 and len(expected) == 2 and expected[1] == 1:
            return f"a flat vector where a column {expected} is expected: use keepdims=True or .reshape(-1, 1)"
        if len(got) == 2 and got[1] == 1 and len(expected) == 1:
            return f"a column {got} where a flat vector is expected: use .ravel() or drop keepdims=True"
        return "an extra or missing axis of size 1 — did you forget keepdims / reshape?"
    for axis in range(len(got)):
        if got[:axis] + got[axis + 1:] == expected:
            return f"did you forget to sum or average over axis {axis}?"
    for axis in range(len(expected)):
        if expected[:axis] + expected[axis + 1:] == got:
            return f"did you sum or average over axis {axis}, which should stay?"
    return ""


def check_shape(name, got, expected_shape):
    """Check that the array (or array-like) ``got`` has shape ``expected_shape``.

    ``None`` in ``expected_shape`` matches any size, e.g. ``(None, 3)``. The message
    recognises a reversed shape (a transpose), a missing or extra axis of size 1
    (``(n,)`` versus ``(n, 1)``: ``keepdims`` or ``reshape``) and a missing or extra
    reduction over one axis.
    """
    expected_shape = tuple(expected_shape)
    shape = _to_array(name, got, expected_shape).shape
    if len(shape) == len(expected_shape):  # fill the wildcards in from the answer
        want = tuple(s if e is None else e for s, e in zip(shape, expected_shape))
    else:
        want = expected_shape
    if shape != want:
        hint = _shape_hint(shape, want)
        _fail(f"Wrong shape for {name}: got {shape}, expected {expected_shape}" + (f" — {hint}" if hint else ""))


# -- stage 3: values -----------------------------------------------------------------

def _tolerances(rtol, atol, *dtypes):
    """Raise rtol/atol to what the least precise floating dtype can deliver."""
    for dt in dtypes:
        if dt.kind == "f" and dt.itemsize < 8:
            eps = float(np.finfo(dt).eps)
            rtol, atol = max(rtol, 100 * eps), max(atol, 10 * eps)
    return rtol, atol


def _close(g, e, rtol, atol):
    """Elementwise 'g agrees with e' (NaN agrees with NaN); no warnings."""
    with np.errstate(all="ignore"):
        return np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)


def _all_close(g, e, rtol, atol):
    return g.shape == e.shape and bool(_close(g, e, rtol, atol).all())


def _value_hints(g, e, rtol, atol, n=None, bias=None, int_got=False):
    """Hints that explain the numbers.

    Each hint is a guess about the mistake, tested by *redoing* the mistake on the
    expected answer: if ``expected.T``, ``n * expected`` or ``expected - b`` matches
    the answer (with the same tolerance as the check itself), that is almost
    certainly what happened. A random wrong answer matches none of them, so it gets
    no hint rather than a misleading one.
    """
    hints = []
    bad = ~np.isfinite(g) & np.isfinite(e)
    if bad.any():
        count, first = int(bad.sum()), tuple(int(i) for i in np.argwhere(bad)[0])
        where = ("your answer is" if g.ndim == 0 else
                 f"{count} entr{'ies' if count > 1 else 'y'} of your answer (first at index {first}) "
                 f"{'are' if count > 1 else 'is'}")
        hints.append(f"{where} NaN or infinite where a finite number is expected — overflow: exp of a "
                     "large number? Subtract the maximum (or use the stable form) before exponentiating.")
        return hints
    if int_got:
        hints.append("your answer holds integers but the expected values have fractions — integer "
                     "division (//), or an integer array (e.g. np.zeros_like of int data) written into?")
    if g.ndim == 2 and g.shape[0] == g.shape[1] and _all_close(g.T, e, rtol, atol):
        hints.append("your answer is the transpose of the expected matrix — did you transpose?")
    if _all_close(g, np.zeros_like(e), rtol, atol) and e.size > 1:
        hints.append("your answer is all zeros — did you forget to fill it in or update it?")
        return hints
    square = "a factor of 2: check the derivative of the square, or"
    named = [(-1, "the sign is flipped everywhere — e.g. y - ŷ instead of ŷ - y, or + instead of - in an update?"),
             (2, f"your answer is twice the expected — {square} a missing ½"),
             (0.5, f"your answer is half the expected — {square} an extra ½")]
    if n is not None and n != 0:
        named = [(n, f"your answer is {n} times too large — summed instead of averaged? (missing 1/N, N = {n})"),
                 (1 / n, f"your answer is {n} times too small — divided by N twice?")] + named
    with np.errstate(all="ignore"):
        factor = next((text for k, text in named if _all_close(g, k * e, rtol, atol)), None)
        nonzero = np.flatnonzero(e)
        if factor is None and nonzero.size >= 2:
            i = np.unravel_index(int(np.argmax(np.abs(e))), e.shape)
            k = g[i] / e[i]
            if np.isfinite(k) and k != 0 and _all_close(g, k * e, rtol, atol):
                factor = f"your answer is off by a constant factor of {_num(k)}"
    if factor:
        hints.append(factor)
    if bias is not None:
        b = np.asarray(bias, dtype=float)
        try:
            with np.errstate(all="ignore"):
                plus, minus = g + b, g - b
        except ValueError:  # bias does not broadcast against the answer
            plus = minus = None
        if plus is not None and _all_close(plus, e, rtol, atol):
            hints.append("your answer + b matches — did you forget to add the bias?")
        elif minus is not None and _all_close(minus, e, rtol, atol):
            hints.append("your answer - b matches — did you add the bias twice?")
    return hints


def _compare(name, got, expected, rtol, atol, n, bias, hint, scalar, mistakes=()):
    """Stage 3, shared by check_array and check_scalar."""
    rtol, atol = _tolerances(rtol, atol, got.dtype, expected.dtype)
    g, e = got.astype(np.float64), expected.astype(np.float64)
    close = _close(g, e, rtol, atol)
    int_got = got.dtype.kind in "biu" and expected.dtype.kind == "f"
    if close.all():
        wrong_kind = int_got or (expected.dtype.kind == "b" and got.dtype.kind != "b")
        if not scalar and got.size and wrong_kind:
            kind = {"b": "bool", "f": "float"}.get(expected.dtype.kind, "int")
            _fail(f"{name} has the right values but dtype {got.dtype}; expected {expected.dtype} — "
                  f"convert with .astype({kind}), or check how the array was made.", hint=hint)
        return None
    fractions = bool(np.any(np.isfinite(e) & (e != np.round(e))))
    hints = _value_hints(g, e, rtol, atol, n, bias, int_got and fractions)
    for wrong, why in mistakes or ():  # a known mistake, redone by the caller: name it first
        w = np.asarray(wrong)
        if w.shape == g.shape and w.dtype.kind in "biuf" and _all_close(g, w.astype(np.float64), rtol, atol):
            hints.insert(0, why)
            break
    with np.errstate(all="ignore"):
        diff = np.abs(g - e)
        rel = diff / np.abs(e)
    finite = np.isfinite(diff) & ~close
    if scalar:
        gs, es = _pair(got.item(), expected.item())
        msg = f"{name}: got {gs}, expected {es}"
        if finite.all():
            msg += f" (absolute error {_num(diff)}" + (f", relative error {_num(rel)})" if e != 0 else ")")
        _fail(msg + ".", hints, hint)
    wrong = ~close
    first = tuple(int(i) for i in np.argwhere(wrong)[0])
    gs, es = _pair(got[first].item(), expected[first].item())
    count = int(wrong.sum())
    entries = "entries" if wrong.size > 1 else "entry"
    msg = (f"{name}: {count} of {wrong.size} {entries} {'are' if count > 1 else 'is'} wrong. "
           f"First wrong entry at index {first}: got {gs}, expected {es}.")
    if finite.any():
        at = np.unravel_index(int(np.argmax(np.where(finite, diff, -1))), diff.shape)
        msg += f" Max absolute error {_num(diff[at])} at {tuple(int(i) for i in at)}"
        rel_ok = finite & (e != 0)
        if rel_ok.any():
            at = np.unravel_index(int(np.argmax(np.where(rel_ok, rel, -1))), rel.shape)
            msg += f"; max relative error {_num(rel[at])} at {tuple(int(i) for i in at)}"
        msg += "."
    _fail(msg, hints, hint)


def check_array(name, got, expected, *, rtol=1e-6, atol=1e-8, n=None, bias=None, hint=None,
                mistakes=()):
    """Compare an array answer with the expected array: type, then shape, then values.

    Parameters
    ----------
    name : str
        What the answer is, as the student would write it: ``"sigmoid(z)"``, ``"dW"``.
    got : array-like
        The student's answer. Lists of numbers are accepted; ``None``, strings,
        dicts, functions and single numbers are not.
    expected : array-like
        The right answer.
    rtol, atol : float
        Tolerances as in :func:`numpy.isclose` (raised for float32, see the module).
    n : int, optional
        The number of samples the answer should be averaged over; enables the
        "summed instead of averaged / missing 1/N" hint when ``got ≈ n * expected``.
    bias : array-like, optional
        The bias vector the answer should include; enables the "forgotten bias" hint
        when ``got + bias ≈ expected`` (broadcast over rows).
    hint : str, optional
        An extra sentence appended to the message of any failure.
    mistakes : iterable of (wrong_answer, explanation) pairs, optional
        Known wrong answers, computed by the caller by redoing a familiar mistake on
        the same inputs (e.g. ``(dout * (1 - np.tanh(t)**2), "the cache already holds
        tanh(x)...")``). When the answer matches one of them (same shape, within the
        tolerances) its explanation is the first hint of the message. Only wrong
        answers are compared with them: a right answer always passes.

    Right values are not quite enough when they have the wrong kind: an integer or
    bool array where floats are expected fails (it breaks a later in-place update
    such as ``W -= lr * dW``), and so does anything but a bool array where a bool
    mask is expected (indexing with 0/1 integers picks rows 0 and 1). A float answer
    where integers are expected passes when the values agree. Returns ``None`` on
    success.
    """
    expected = np.asarray(expected)
    if expected.ndim == 0:
        return check_scalar(name, got, expected, rtol=rtol, atol=atol, n=n, hint=hint, mistakes=mistakes)
    arr = _with_hint(hint, _to_array, name, got, expected.shape)
    _with_hint(hint, check_shape, name, arr, expected.shape)
    return _compare(name, arr, expected, rtol, atol, n, bias, hint, scalar=False, mistakes=mistakes)


def check_scalar(name, got, expected, *, rtol=1e-6, atol=1e-8, n=None, hint=None, mistakes=()):
    """Like :func:`check_array` for a single number (a Python/NumPy scalar or 0-d array).

    An ``int`` where a float is expected is fine here (``1`` and ``1.0`` agree);
    a bool passes only where a bool is expected, and an array of several numbers
    never does (the message asks whether you forgot to average). ``mistakes`` as for
    :func:`check_array`.
    """
    expected = np.asarray(expected)
    _with_hint(hint, check_type, name, got, bool if expected.dtype == bool else float)
    return _compare(name, np.asarray(got), expected, rtol, atol, n, None, hint, scalar=True, mistakes=mistakes)


def check_raises(name, func, args=(), kwargs=None, exception=ValueError, match=None):
    """Check that ``func(*args, **kwargs)`` raises ``exception`` (a type or tuple).

    ``match``, if given, must occur in the error message. A ``NotImplementedError``
    (an exercise not attempted yet) is passed through untouched unless
    ``exception`` is ``NotImplementedError`` itself.
    """
    kwargs = {} if kwargs is None else kwargs
    wanted = exception if isinstance(exception, tuple) else (exception,)
    want = " or ".join(t.__name__ for t in wanted)
    try:
        result = func(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 -- whatever is raised is the answer being checked
        attempted = not isinstance(err, NotImplementedError)
        if not attempted and not any(issubclass(t, NotImplementedError) for t in wanted):
            raise  # not attempted yet: a stub must not pass check_raises(..., exception=Exception)
        if not isinstance(err, wanted):
            _fail(f"{name} should raise {want}, but raised {type(err).__name__} instead: {str(err)[:200]}")
        if match is not None and match not in str(err):
            _fail(f"{name} raised {type(err).__name__} as it should, but its message "
                  f"{str(err)[:200]!r} does not mention {match!r}")
        return None
    shown = f": {_fmt_array(result)}" if isinstance(result, np.ndarray) and result.size else ""
    _fail(f"{name} should raise {want}, but nothing was raised; it returned {_describe(result)}{shown}")


# -- calling the student's function ------------------------------------------------------

_CRASH_HINTS = (
    (("matmul", "not aligned", "size mismatch"),
     "in A @ B the number of columns of A must equal the number of rows of B — "
     "check which matrix needs a transpose (.T); W has shape (n_out, n_in)"),
    (("could not be broadcast",),
     "two arrays of incompatible shapes were combined entry by entry — print their "
     "shapes; a row sum may need keepdims=True"),
    (("overflow",),
     "exp of a large number overflows — exponentiate only numbers <= 0 (the stable form)"),
    (("only integers", "only integer scalar", "not subscriptable", "index"),
     "an index went wrong — check the shapes and that labels are integers"),
)


def _arg_summary(args, kwargs):
    def one(value):
        if isinstance(value, np.ndarray):
            return f"array{value.shape}"
        return _describe(value) if not isinstance(value, (int, float)) else repr(value)
    parts = [one(a) for a in args] + [f"{k}={one(v)}" for k, v in kwargs.items()]
    return ", ".join(parts)


def call(func, *args, **kwargs):
    """Call the student's ``func(*args, **kwargs)`` and return its result.

    If the call crashes, raise :class:`CheckFailed` saying which call failed, with
    which argument shapes, the original error, and a hint for the familiar crashes (a
    matrix product whose inner sizes disagree -- usually a missing or extra ``.T`` --,
    a failed broadcast, an overflow). A ``NotImplementedError`` (exercise not
    attempted yet) passes through unchanged. Use it in test cells around the student's
    function::

        out = call(dense_forward, X, W, b)
        check_array("dense_forward(X, W, b)", out, expected)
    """
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as err:  # noqa: BLE001 -- any crash of the student's code is diagnosed
        crash = err
    text = str(crash)
    name = getattr(func, "__name__", "the function")
    hints = [h for keys, h in _CRASH_HINTS if any(k in text for k in keys)][:1]
    lines = [f"{name}({_arg_summary(args, kwargs)}) crashed with {type(crash).__name__}: {text[:300]}"]
    raise CheckFailed("\n".join(lines + [f"Hint: {h}" for h in hints])) from None

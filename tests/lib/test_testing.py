"""Tests for nnlearn.testing: every check passes right answers and explains wrong ones."""

import ast
import inspect
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnlearn import testing
from nnlearn.testing import CheckFailed, check_array, check_raises, check_scalar, check_shape, check_type


def failure(check, *args, **kwargs):
    """Run a check that must fail and return its message."""
    with pytest.raises(CheckFailed) as info:
        check(*args, **kwargs)
    return str(info.value)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def E(rng):
    """A (4, 3) expected answer with no zero entries."""
    return rng.uniform(0.5, 2.0, size=(4, 3)) * rng.choice([-1, 1], size=(4, 3))


def test_check_failed_is_an_assertion_error():
    assert issubclass(CheckFailed, AssertionError)


# -- check_type ------------------------------------------------------------------------

@pytest.mark.parametrize("value", [0.5, 1, np.float64(0.5), np.float32(0.5), np.int64(3), np.array(0.5)])
def test_check_type_accepts_any_real_number_as_float(value):
    assert check_type("loss", value, float) is None


@pytest.mark.parametrize("value,expected_type", [
    (3, int), (np.int32(3), int), (True, bool), (np.bool_(False), bool), (np.zeros(2), np.ndarray),
    ("abc", str), (3, (float, str)), ({"a": 1}, dict),
])
def test_check_type_accepts(value, expected_type):
    assert check_type("x", value, expected_type) is None


def test_check_type_array_where_float_expected_asks_about_averaging():
    msg = failure(check_type, "loss", np.array([1.0, 2.0, 3.0]), float)
    assert msg == ("loss should be a single number (float), got a numpy array of shape (3,) "
                   "— did you forget to average?")


def test_check_type_size_one_array_suggests_item():
    msg = failure(check_type, "loss", np.array([0.25]), float)
    assert "shape (1,)" in msg and ".item()" in msg


def test_check_type_none_asks_about_return():
    msg = failure(check_type, "loss", None, float)
    assert "got None" in msg and "did you forget `return`?" in msg


@pytest.mark.parametrize("value", [True, np.bool_(True), "0.5", [0.5]])
def test_check_type_rejects_non_numbers_as_float(value):
    msg = failure(check_type, "loss", value, float)
    assert msg.startswith("loss should be a single number (float), got ")


def test_check_type_float_where_int_expected():
    msg = failure(check_type, "n_correct", 3.0, int)
    assert "whole number (int)" in msg and "a float (3.0)" in msg and "int(...)" in msg


def test_check_type_list_where_array_expected_suggests_np_array():
    msg = failure(check_type, "W", [1, 2], np.ndarray)
    assert "a list of 2 items" in msg and "np.array(...)" in msg


def test_check_type_function_itself_suggests_calling_it():
    msg = failure(check_type, "loss", np.mean, float)
    assert "the function mean itself" in msg and "parentheses" in msg


def test_check_type_tuple_suggests_out_cache():
    msg = failure(check_type, "out", (np.zeros(2), {}), np.ndarray)
    assert "a tuple of 2 items" in msg and "(e.g. out, cache)" in msg


def test_check_type_names_all_accepted_types():
    msg = failure(check_type, "x", "s", (int, np.ndarray))
    assert "a whole number (int) or a numpy array" in msg and "a string ('s')" in msg


# -- check_shape -----------------------------------------------------------------------

def test_check_shape_passes_and_accepts_wildcards():
    assert check_shape("X", np.zeros((5, 3)), (5, 3)) is None
    assert check_shape("X", np.zeros((5, 3)), (None, 3)) is None
    assert check_shape("X", [[1, 2, 3]], (1, 3)) is None


def test_check_shape_transpose_message_matches_the_style_model():
    msg = failure(check_shape, "dW", np.zeros((3, 2)), (2, 3))
    assert msg == "Wrong shape for dW: got (3, 2), expected (2, 3) — did you transpose?"


def test_check_shape_flat_where_column_expected():
    msg = failure(check_shape, "p", np.zeros(4), (4, 1))
    assert "got (4,), expected (4, 1)" in msg and "keepdims=True" in msg and "reshape(-1, 1)" in msg


def test_check_shape_column_where_flat_expected():
    msg = failure(check_shape, "p", np.zeros((4, 1)), (4,))
    assert "got (4, 1), expected (4,)" in msg and ".ravel()" in msg


def test_check_shape_other_size_one_axis():
    msg = failure(check_shape, "b", np.zeros((1, 3)), (3,))
    assert "keepdims / reshape" in msg


def test_check_shape_forgotten_reduction():
    msg = failure(check_shape, "db", np.zeros((5, 3)), (3,))
    assert "forget to sum or average over axis 0" in msg


def test_check_shape_reduction_too_many():
    msg = failure(check_shape, "probs", np.zeros(5), (5, 3))
    assert "over axis 1, which should stay" in msg


def test_check_shape_unrelated_shapes_get_no_hint():
    msg = failure(check_shape, "X", np.zeros((5, 7)), (2, 3))
    assert msg == "Wrong shape for X: got (5, 7), expected (2, 3)"


def test_check_shape_wildcard_mismatch():
    msg = failure(check_shape, "X", np.zeros((5, 4)), (None, 3))
    assert "got (5, 4), expected (None, 3)" in msg


def test_check_shape_none_is_a_type_failure():
    msg = failure(check_shape, "X", None, (2, 3))
    assert "got None" in msg and "`return`" in msg


# -- check_array: right answers -------------------------------------------------------

def test_check_array_passes_equal_and_nearly_equal(E):
    assert check_array("out", E, E) is None
    assert check_array("out", E * (1 + 1e-8), E) is None
    assert check_array("out", E.tolist(), E) is None


def test_check_array_float32_answer_passes_against_float64(rng):
    z = rng.normal(scale=5, size=(50, 10))
    expected = 1 / (1 + np.exp(-z))
    got = (1 / (1 + np.exp(-z.astype(np.float32)))).astype(np.float32)
    assert check_array("sigmoid(z)", got, expected) is None
    with pytest.raises(CheckFailed):  # the looser float32 tolerance still catches real errors
        check_array("sigmoid(z)", got * np.float32(1.001), expected)


def test_check_array_nan_and_inf_agree_with_themselves():
    x = np.array([np.nan, np.inf, -np.inf, 1.0])
    assert check_array("x", x.copy(), x) is None
    msg = failure(check_array, "x", np.array([np.nan, np.inf, np.inf, 1.0]), x)
    assert "1 of 4 entries is wrong. First wrong entry at index (2,): got inf, expected -inf." in msg


def test_check_array_zero_d_empty_int_and_bool():
    assert check_array("s", np.float64(2.5), np.array(2.5)) is None
    assert check_array("s", np.array(2.5), np.array(2.5)) is None
    assert check_array("e", np.zeros((0, 3)), np.zeros((0, 3))) is None
    assert check_array("e", np.zeros((0, 3), dtype=int), np.zeros((0, 3))) is None
    assert check_array("y", np.array([0, 2, 1]), np.array([0, 2, 1])) is None
    assert check_array("y", np.array([0, 2, 1], dtype=np.int32), np.array([0, 2, 1])) is None
    assert check_array("m", np.array([True, False]), np.array([True, False])) is None


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
                  elements=st.floats(-1e6, 1e6) | st.just(np.nan)))
def test_check_array_passes_any_array_against_itself_and_its_float32_copy(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_array("x", x.copy(), x) is None
        assert check_array("x", x.astype(np.float32), x) is None


# -- check_array: type and shape stages -------------------------------------------------

def test_check_array_none(E):
    msg = failure(check_array, "forward(X)", None, E)
    assert msg == ("forward(X) should be a numpy array of shape (4, 3), got None — your function "
                   "returned None: did you forget `return`?")


@pytest.mark.parametrize("value,words", [
    ("abc", "a string ('abc')"), ({"W": 1}, "a dict"), ([[1, 2], [3]], "a list of 2 items that does not form"),
    (np.array(["a", "b"]), "dtype <U1"), (np.array([1j, 2j]), "dtype complex128"),
])
def test_check_array_rejects_non_numeric_answers(value, words):
    msg = failure(check_array, "x", value, np.zeros(2))
    assert msg.startswith("x should be a numpy array of shape (2,)") and words in msg


def test_check_array_scalar_where_array_expected(E):
    msg = failure(check_array, "dW", 0.5, E)
    assert "got a single number (0.5)" in msg and "sum or average over everything" in msg


def test_check_array_tuple_answer_hints_at_out_cache(E):
    msg = failure(check_array, "out", (E, {"X": E}), E)
    assert "(e.g. out, cache)" in msg


def test_check_array_type_comes_before_shape_and_shape_before_values(E):
    assert "got None" in failure(check_array, "x", None, E)
    msg = failure(check_array, "dW", E.T * 7, E)
    assert msg == "Wrong shape for dW: got (3, 4), expected (4, 3) — did you transpose?"


def test_check_array_zero_d_expected_uses_scalar_rules():
    msg = failure(check_array, "loss", np.array([1.0, 2.0]), np.array(1.5))
    assert "single number (float)" in msg and "did you forget to average?" in msg


# -- check_array: value stage -----------------------------------------------------------

def test_value_message_reports_counts_index_and_errors():
    expected = np.zeros((4, 3))
    expected[2, 1], expected[3, 0] = 0.7311, 2.0
    got = expected.copy()
    got[2, 1], got[3, 0], got[0, 2] = 0.5, 2.5, 1e-3
    msg = failure(check_array, "sigmoid(z)", got, expected)
    first = msg.splitlines()[0]
    assert first == ("sigmoid(z): 3 of 12 entries are wrong. First wrong entry at index (0, 2): got 0.001, "
                     "expected 0.0. Max absolute error 0.5 at (3, 0); max relative error 0.3161 at (2, 1).")


def test_value_message_shows_enough_digits_to_differ():
    msg = failure(check_array, "x", np.array([1.00001, 2.0]), np.array([1.0, 2.0]))
    assert "got 1.00001, expected 1.0" in msg


def test_value_message_for_one_dimensional_and_zero_d():
    msg = failure(check_array, "v", np.array([1.0, 5.0, 3.0]), np.array([1.0, 2.0, 3.0]))
    assert "1 of 3 entries is wrong. First wrong entry at index (1,): got 5.0, expected 2.0" in msg


def test_random_wrong_answer_gets_no_hint(rng, E):
    got = rng.normal(size=E.shape)
    msg = failure(check_array, "out", got, E, n=4, bias=rng.normal(size=3))
    assert "Hint" not in msg and "transpose" not in msg
    assert len(msg.splitlines()) == 1


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 5))
def test_random_wrong_square_answers_are_never_called_transposed(seed, size):
    r = np.random.default_rng(seed)
    expected, got = r.normal(size=(size, size)), r.normal(size=(size, size))
    msg = failure(check_array, "W", got, expected)
    assert "transpose" not in msg and "factor" not in msg and "bias" not in msg


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 11), st.floats(0.1, 100))
def test_one_wrong_entry_is_located(seed, flat, delta):
    r = np.random.default_rng(seed)
    expected = r.normal(size=(4, 3))
    got = expected.copy()
    idx = np.unravel_index(flat, got.shape)
    got[idx] += delta
    msg = failure(check_array, "x", got, expected)
    where = f"({idx[0]}, {idx[1]})"
    assert msg.startswith(f"x: 1 of 12 entries is wrong. First wrong entry at index {where}")
    assert f"Max absolute error {testing._num(abs(got[idx] - expected[idx]))} at {where}" in msg


def test_hint_transposed_square_matrix(rng):
    W = rng.normal(size=(3, 3))
    msg = failure(check_array, "dW", W.T, W)
    assert "Hint: your answer is the transpose of the expected matrix — did you transpose?" in msg


def test_symmetric_expected_never_gives_transpose_hint(rng):
    A = rng.normal(size=(3, 3))
    msg = failure(check_array, "S", A, A + A.T)
    assert "transpose" not in msg


def test_hint_summed_instead_of_averaged(E):
    msg = failure(check_array, "dW", 32 * E, E, n=32)
    assert "32 times too large — summed instead of averaged? (missing 1/N, N = 32)" in msg


def test_hint_divided_twice(E):
    msg = failure(check_array, "dW", E / 32, E, n=32)
    assert "32 times too small — divided by N twice?" in msg


def test_no_n_hint_without_n(E):
    msg = failure(check_array, "dW", 32 * E, E)
    assert "summed" not in msg and "constant factor of 32.0" in msg


def test_no_n_hint_when_factor_is_not_n(E):
    msg = failure(check_array, "dW", 3 * E, E, n=32)
    assert "summed" not in msg and "twice" not in msg and "constant factor of 3.0" in msg


@pytest.mark.parametrize("k,words", [
    (-1, "the sign is flipped everywhere"),
    (2, "twice the expected — a factor of 2: check the derivative of the square"),
    (0.5, "half the expected — a factor of 2"),
    (1.7, "off by a constant factor of 1.7"),
])
def test_hint_constant_factor(E, k, words):
    assert words in failure(check_array, "dW", k * E, E)


def test_hint_constant_factor_needs_every_entry(E):
    got = 2 * E
    got[0, 0] = E[0, 0]
    assert "factor" not in failure(check_array, "dW", got, E)


def test_hint_forgotten_bias(rng):
    X, W, b = rng.normal(size=(5, 2)), rng.normal(size=(3, 2)), rng.normal(size=3)
    msg = failure(check_array, "dense forward", X @ W.T, X @ W.T + b, bias=b)
    assert "Hint: your answer + b matches — did you forget to add the bias?" in msg


def test_hint_bias_added_twice(rng):
    X, W, b = rng.normal(size=(5, 2)), rng.normal(size=(3, 2)), rng.normal(size=3)
    msg = failure(check_array, "dense forward", X @ W.T + 2 * b, X @ W.T + b, bias=b)
    assert "did you add the bias twice?" in msg and "forget" not in msg


def test_bias_that_does_not_broadcast_is_ignored(E):
    msg = failure(check_array, "out", E + 1, E, bias=np.ones(7))
    assert "bias" not in msg


def test_hint_overflow_for_nan_and_inf(E):
    got = E.copy()
    got[1, 2], got[3, 0] = np.nan, np.inf
    msg = failure(check_array, "softmax(z)", got, E)
    assert msg.splitlines()[0] == ("softmax(z): 2 of 12 entries are wrong. First wrong entry at index (1, 2): "
                                   "got nan, expected " + testing._num(E[1, 2]) + ".")
    assert "2 entries of your answer (first at index (1, 2)) are NaN or infinite" in msg
    assert "exp of a large number? Subtract the maximum" in msg


def test_no_overflow_hint_when_expected_is_not_finite():
    msg = failure(check_array, "x", np.array([1.0, np.inf]), np.array([1.0, np.nan]))
    assert "overflow" not in msg


def test_hint_integer_division():
    msg = failure(check_array, "mean", np.array([1, 2]), np.array([1.5, 2.0]))
    assert "your answer holds integers" in msg and "integer division (//)" in msg


def test_no_integer_hint_for_float_answers():
    assert "integer" not in failure(check_array, "mean", np.array([1.0, 2.0]), np.array([1.5, 2.0]))


@pytest.mark.parametrize("got,expected,dtype", [
    (np.array([1, 2]), np.array([1.0, 2.0]), "int64"),
    (np.array([True, False]), np.array([1.0, 0.0]), "bool"),
    (np.array([1.0, 0.0]), np.array([True, False]), "float64"),
    (np.array([1, 0]), np.array([True, False]), "int64"),
])
def test_right_values_in_the_wrong_dtype_kind_fail(got, expected, dtype):
    msg = failure(check_array, "x", got, expected)
    assert f"right values but dtype {dtype}; expected {expected.dtype}" in msg and ".astype(" in msg


def test_float_answer_where_ints_are_expected_passes_when_values_agree():
    assert check_array("counts", np.array([1.0, 2.0]), np.array([1, 2])) is None
    assert check_array("counts", np.array([True, False]), np.array([1, 0])) is None


def test_hint_all_zeros(E):
    assert "your answer is all zeros" in failure(check_array, "dW", np.zeros_like(E), E)


def test_user_hint_is_appended(E):
    msg = failure(check_array, "dW", E + 1, E, hint="Remember: dW = dout.T @ X.")
    assert msg.splitlines()[-1] == "Remember: dW = dout.T @ X."
    msg = failure(check_array, "dW", E.T, E, hint="Remember: dW = dout.T @ X.")
    assert msg == "Wrong shape for dW: got (3, 4), expected (4, 3) — did you transpose?\nRemember: dW = dout.T @ X."
    assert failure(check_scalar, "loss", None, 1.0, hint="Use np.mean.").endswith("`return`?\nUse np.mean.")


def test_messages_stay_short_for_big_arrays(rng):
    expected = rng.normal(size=(500, 400))
    msg = failure(check_array, "big", rng.normal(size=(500, 400)), expected)
    assert len(msg) < 300
    msg = failure(check_raises, "f", lambda: np.arange(10**5), ())
    assert len(msg) < 200 and "..." in msg


# -- check_scalar ----------------------------------------------------------------------

@pytest.mark.parametrize("got", [0.5, np.float64(0.5), np.float32(0.5), np.array(0.5), 0.5 + 1e-9])
def test_check_scalar_passes(got):
    assert check_scalar("loss", got, 0.5) is None


def test_check_scalar_accepts_int_for_float_and_nan_for_nan():
    assert check_scalar("count", 3, 3.0) is None
    assert check_scalar("count", 3.0, 3) is None
    assert check_scalar("x", np.nan, np.nan) is None
    assert check_scalar("ok", np.bool_(True), True) is None


def test_check_scalar_message():
    msg = failure(check_scalar, "loss", 3.0, 2.0)
    assert msg == "loss: got 3.0, expected 2.0 (absolute error 1.0, relative error 0.5)."


def test_check_scalar_expected_zero_has_no_relative_error():
    assert failure(check_scalar, "x", 0.25, 0.0) == "x: got 0.25, expected 0.0 (absolute error 0.25)."


def test_check_scalar_summed_instead_of_averaged():
    msg = failure(check_scalar, "mse", 10.0, 2.5, n=4)
    assert "4 times too large — summed instead of averaged? (missing 1/N, N = 4)" in msg


def test_check_scalar_never_claims_an_arbitrary_constant_factor():
    assert "Hint" not in failure(check_scalar, "loss", 3.7, 1.0)


def test_check_scalar_array_where_number_expected():
    msg = failure(check_scalar, "loss", np.array([0.2, 0.3, 0.4]), 0.3)
    assert msg == ("loss should be a single number (float), got a numpy array of shape (3,) "
                   "— did you forget to average?")


def test_check_scalar_none_and_bool():
    assert "did you forget `return`?" in failure(check_scalar, "loss", None, 0.3)
    assert "got a bool (True)" in failure(check_scalar, "loss", True, 1.0)


def test_check_scalar_overflow_hint():
    msg = failure(check_scalar, "loss", np.float64(np.inf), 0.7)
    assert msg.startswith("loss: got inf, expected 0.7.")
    assert "your answer is NaN or infinite where a finite number is expected — overflow" in msg


def test_check_scalar_integer_division_hint():
    assert "integer division" in failure(check_scalar, "accuracy", 0, 0.75)


# -- check_raises ----------------------------------------------------------------------

def _needs_positive(x, *, strict=True):
    if strict and x <= 0:
        raise ValueError(f"x must be positive, got {x}")
    return np.array([x, x])


def test_check_raises_passes():
    assert check_raises("f(-1)", _needs_positive, (-1,)) is None
    assert check_raises("f(-1)", _needs_positive, (-1,), match="must be positive") is None
    assert check_raises("f(-1)", _needs_positive, (-1,), exception=(TypeError, ValueError)) is None


def test_check_raises_nothing_raised_reports_the_return_value():
    msg = failure(check_raises, "f(-1)", _needs_positive, (-1,), kwargs={"strict": False})
    assert msg == "f(-1) should raise ValueError, but nothing was raised; it returned a numpy array of shape (2,): [-1 -1]"
    assert "returned None" in failure(check_raises, "g()", lambda: None)


def test_check_raises_wrong_exception():
    msg = failure(check_raises, "f('a')", _needs_positive, ("a",))
    assert msg.startswith("f('a') should raise ValueError, but raised TypeError instead: '<=' not supported")


def test_check_raises_wrong_message():
    msg = failure(check_raises, "f(-1)", _needs_positive, (-1,), match="negative")
    assert msg == ("f(-1) raised ValueError as it should, but its message 'x must be positive, got -1' "
                   "does not mention 'negative'")


def test_check_raises_lets_not_implemented_through():
    def stub(x):
        raise NotImplementedError()
    with pytest.raises(NotImplementedError):
        check_raises("stub(1)", stub, (1,))
    with pytest.raises(NotImplementedError):
        check_raises("stub(1)", stub, (1,), exception=Exception)
    assert check_raises("stub(1)", stub, (1,), exception=NotImplementedError) is None


# -- hygiene: silent, warning-free, no bare except --------------------------------------

def _all_failing_calls():
    huge = np.array([1e308, -1e308, np.inf, np.nan, 0.0])
    expected = np.array([1.0, 0.0, 2.0, 3.0, 0.0])
    yield lambda: check_array("x", huge, expected, n=5, bias=np.full(5, 1e308))
    yield lambda: check_array("x", np.array([[1e308, -1e308, np.inf], [np.nan, 0, 1e-320], [3, 4, 5]]).T,
                              np.array([[np.inf, 0, 1e-300], [1e-320, 1, 2], [3, 4, 5]]), n=3)
    yield lambda: check_array("x", np.array([1e308, 1e308]), np.array([1e-308, 1e-308]), n=2)
    yield lambda: check_array("x", np.array([0.0, 0.0]), np.array([0.0, np.nan]))
    yield lambda: check_array("x", np.array([np.inf, 3e38], dtype=np.float32), np.array([1.0, 2.0]))
    yield lambda: check_array("x", np.array([2**62, 3]), np.array([0.5, 1e-300]))
    yield lambda: check_scalar("x", np.nan, 0.0, n=3)
    yield lambda: check_scalar("x", 1e308, 1e-308, n=10)
    yield lambda: check_scalar("x", np.float32(np.inf), np.inf * 0)
    yield lambda: check_type("x", np.array(np.nan), int)
    yield lambda: check_shape("x", [[1], [2, 3]], (2, 2))
    yield lambda: check_raises("x", lambda: np.full(3, np.nan))


def test_checks_are_silent_and_warning_free(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            for call in _all_failing_calls():
                with pytest.raises(CheckFailed) as info:
                    call()
                assert str(info.value)  # a real message, never a bare AssertionError
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_passing_checks_are_silent_too(capsys):
    check_array("x", np.array([np.nan, np.inf, 1.0]), np.array([np.nan, np.inf, 1.0]))
    check_scalar("x", np.float32(0.1), 0.1)
    assert capsys.readouterr() == ("", "")


def test_module_has_no_bare_except_print_or_stderr():
    source = inspect.getsource(testing)
    tree = ast.parse(source)
    assert not [h for h in ast.walk(tree) if isinstance(h, ast.ExceptHandler) and h.type is None]
    assert not re.search(r"\bprint\(|stderr|warnings\.warn", source.split('"""', 2)[2])


# -- call ---------------------------------------------------------------------------------

def test_call_returns_the_result():
    from nnlearn.testing import call
    assert call(lambda a, b: a + b, 1, b=2) == 3


def test_call_diagnoses_a_matmul_crash():
    from nnlearn.testing import call

    def dense_forward(X, W, b):
        return X @ W + b

    with pytest.raises(CheckFailed) as info:
        call(dense_forward, np.ones((2, 3)), np.ones((2, 3)), np.zeros(2))
    msg = str(info.value)
    assert "dense_forward(array(2, 3), array(2, 3), array(2,)) crashed with ValueError" in msg
    assert "needs a transpose" in msg
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_call_diagnoses_broadcast_and_passes_not_implemented_through():
    from nnlearn.testing import call

    def bad(a):
        return a + np.ones(4)

    def stub(a):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="keepdims"):
        call(bad, np.ones(3))
    with pytest.raises(NotImplementedError):
        call(stub, 1)


def test_call_without_a_known_hint():
    from nnlearn.testing import call

    def broken(x):
        raise KeyError("w")

    with pytest.raises(CheckFailed) as info:
        call(broken, x=[1, 2])
    assert "broken(x=a list of 2 items) crashed with KeyError" in str(info.value)
    assert "Hint" not in str(info.value)


def test_known_mistake_is_named_first(E):
    wrong = 1 - E
    msg = failure(check_array, "dX", wrong, E, mistakes=[(E + 1, "not this one"), (1 - E, "you used 1 - x")])
    hints = [line for line in msg.splitlines() if line.startswith("Hint:")]
    assert hints[0] == "Hint: you used 1 - x"
    assert "not this one" not in msg


def test_known_mistake_never_fails_a_right_answer(E):
    check_array("dX", E.copy(), E, mistakes=[(E, "the right answer listed as a mistake")])
    check_scalar("loss", 2.0, 2.0, mistakes=[(2.0, "same")])


def test_known_mistake_needs_the_same_shape_and_numbers(E):
    msg = failure(check_array, "dX", E + 1, E, mistakes=[(E.T, "transposed"), (["a"], "text"), ((E + 1)[:2], "part")])
    assert "transposed" not in msg and "text" not in msg and "part" not in msg


def test_known_mistake_for_a_scalar():
    msg = failure(check_scalar, "loss", 6.0, 2.0, mistakes=[(6.0, "summed the three losses")], n=3)
    assert "Hint: summed the three losses" in msg

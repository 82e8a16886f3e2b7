"""Metrics: accuracy and the confusion matrix, with labels, one-hot rows or probabilities."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlearn.metrics import accuracy, confusion_matrix
from nnlearn.preprocessing import one_hot

Y_TRUE = np.array([0, 1, 2, 2, 1, 0])
Y_PRED = np.array([0, 2, 2, 2, 1, 1])  # 4 of 6 right


def test_accuracy_with_labels_and_one_hot():
    assert accuracy(Y_TRUE, Y_PRED) == pytest.approx(4 / 6)
    assert accuracy(one_hot(Y_TRUE), Y_PRED) == pytest.approx(4 / 6)
    assert accuracy(Y_TRUE, one_hot(Y_PRED)) == pytest.approx(4 / 6)
    assert accuracy(one_hot(Y_TRUE), one_hot(Y_PRED, 3)) == pytest.approx(4 / 6)
    assert isinstance(accuracy(Y_TRUE, Y_PRED), float)


def test_accuracy_with_probabilities_uses_argmax():
    P = np.array([[0.6, 0.3, 0.1], [0.1, 0.2, 0.7], [0.2, 0.3, 0.5],
                  [0.1, 0.1, 0.8], [0.3, 0.4, 0.3], [0.4, 0.5, 0.1]])
    assert accuracy(Y_TRUE, P) == pytest.approx(4 / 6)
    # raw scores (logits) work the same
    assert accuracy(Y_TRUE, np.log(P)) == pytest.approx(4 / 6)


def test_accuracy_with_sigmoid_column():
    y = np.array([0, 1, 1, 0])
    p = np.array([[0.2], [0.9], [0.4], [0.5]])  # thresholded at 0.5 -> 0, 1, 0, 1
    assert accuracy(y, p) == pytest.approx(0.5)
    assert accuracy(y.reshape(-1, 1), p) == pytest.approx(0.5)


def test_accuracy_errors():
    with pytest.raises(ValueError, match="y_pred has 3 labels but there are 6 samples"):
        accuracy(Y_TRUE, [0, 1, 2])
    with pytest.raises(ValueError, match="y_pred has 2 rows"):
        accuracy(Y_TRUE, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="negative"):
        accuracy([0, -1], [0, 1])
    with pytest.raises(ValueError, match="not one-hot"):
        accuracy(np.array([[0.5, 0.5]]), [0])
    with pytest.raises(ValueError, match="NaN or infinite"):
        accuracy([0, 1], np.array([[np.nan, 1.0], [0.0, 1.0]]))
    with pytest.raises(TypeError, match="integer class labels"):
        accuracy(["cat"], ["cat"])
    with pytest.raises(ValueError, match="empty"):
        accuracy([], [])


def test_confusion_matrix_values():
    cm = confusion_matrix(Y_TRUE, Y_PRED)
    expected = np.array([[1, 1, 0],
                         [0, 1, 1],
                         [0, 0, 2]])
    np.testing.assert_array_equal(cm, expected)
    assert cm.dtype.kind == "i"
    assert cm.trace() / cm.sum() == pytest.approx(accuracy(Y_TRUE, Y_PRED))


def test_confusion_matrix_forms_and_n_classes():
    P = one_hot(Y_PRED) * 0.8 + 0.05
    np.testing.assert_array_equal(confusion_matrix(one_hot(Y_TRUE), P), confusion_matrix(Y_TRUE, Y_PRED))
    cm = confusion_matrix([0, 0], [0, 0], n_classes=3)
    assert cm.shape == (3, 3) and cm[0, 0] == 2 and cm.sum() == 2
    # a class only ever predicted still gets a row and a column
    assert confusion_matrix([0, 0], [0, 2]).shape == (3, 3)


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=60))
def test_confusion_matrix_sums(pairs):
    t, p = np.array(pairs).T
    cm = confusion_matrix(t, p, n_classes=5)
    assert cm.sum() == len(pairs)
    np.testing.assert_array_equal(cm.sum(axis=1), np.bincount(t, minlength=5))  # rows: true classes
    np.testing.assert_array_equal(cm.sum(axis=0), np.bincount(p, minlength=5))  # columns: predictions
    assert np.trace(cm) == np.sum(t == p)


def test_confusion_matrix_errors():
    with pytest.raises(ValueError, match="class label 2, but there are only 2 classes"):
        confusion_matrix([0, 1], [0, 2], n_classes=2)
    with pytest.raises(ValueError, match="y_pred has 3 columns"):
        confusion_matrix([0, 1], np.zeros((2, 3)), n_classes=2)
    with pytest.raises(ValueError, match="different numbers of class columns"):
        confusion_matrix(one_hot([0, 1]), one_hot([0, 1], 3))
    with pytest.raises(ValueError, match="at least 1"):
        confusion_matrix([0], [0], n_classes=0)
    with pytest.raises(ValueError, match="y_pred has 1 labels but there are 2 samples"):
        confusion_matrix([0, 1], [0])

# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Loss: how wrong is the network?
#
# A network that has just been created guesses. To make it better we first need
# to say, with **one number**, how bad its guesses are. That number is the
# **loss** (also called the *cost*). Training a network means changing its
# weights so that the loss goes down; the next notebooks show how. This notebook
# is about the number itself:
#
# * the **mean squared error** for predicting numbers;
# * the **cross-entropy** for predicting classes, including the loss of a network
#   that says "75 % cat" for a picture of a cat, and **why** classifiers are
#   trained with it rather than with the squared error;
# * why we train on the loss and not on the **accuracy**, although the accuracy is
#   what we care about;
# * the **loss landscape**: the loss as a function of the weights;
# * why a network is judged on data it has **never seen** (the 80/20 train/test
#   split), and what **overfitting** looks like;
# * the **validation set**: a part of the training data that chooses settings and
#   decides when to stop training (early stopping), so that the test set is used
#   only **once**, at the very end.
#
# **How to work through this notebook.** Run the cells from top to bottom. Where
# you see `# YOUR CODE HERE`, delete the `raise NotImplementedError()` line and
# write your code. The cell after each exercise tests your answer; if a check
# fails, its message tells you what is wrong and often why. The grade also uses
# hidden tests with other inputs (other shapes, extreme values), so write code
# that works in general, not just for the examples shown.
#
# Shapes follow the course's convention: **samples are rows**. A batch of
# predictions for `n` samples and `k` classes is an array of shape `(n, k)`.

# %%
import numpy as np
import matplotlib.pyplot as plt

from nnlearn.plotting import not_yet   # says which of your functions a cell still needs
from nnlearn.widgets import interactive_plot


# %% [markdown]
# ## 1. Predicting numbers: the mean squared error
#
# Suppose a network predicts a number for every sample, for example tomorrow's
# temperature. For sample $i$ it predicts $\hat y_i$, and the right answer is $y_i$.
# The error on that sample is the difference $\hat y_i - y_i$.
#
# We cannot simply average these differences: a prediction that is 2 degrees
# too warm and one that is 2 degrees too cold average to 0, as if both were
# perfect. Squaring each difference first makes every error count as positive,
# and it punishes big misses much more than small ones (an error of 3 costs 9, an
# error of 1 costs 1). The average of the squares is the **mean squared error**:
#
# $$\text{MSE} = \frac{1}{N} \sum_{i=1}^{N} (\hat y_i - y_i)^2 .$$
#
# When a network has several outputs per sample, the predictions form an array of
# shape `(n_samples, n_outputs)`. In this course the mean then runs over **all
# entries**: $N$ is the number of samples times the number of outputs. (Other
# books divide by the number of samples only; that changes the loss by a constant
# factor and nothing else.) The MSE is 0 only for perfect predictions.

# %% [markdown]
# ### Exercise 1: the mean squared error (1 point)
#
# Write `mse(y_pred, y_true)`:
#
# * `y_pred` and `y_true` are NumPy arrays of the same shape, `(n_samples,)` or
#   `(n_samples, n_outputs)`;
# * return the mean of the squared differences over **all** entries, as a single
#   number (a Python `float` or a NumPy scalar).
#
# One line is enough. There is no square root in the MSE (that would be the
# *root* mean squared error, another measure).

# %% nbgrader={"grade": false, "grade_id": "mse", "locked": false, "schema_version": 3, "solution": true}
def mse(y_pred, y_true):
    """Mean squared error: the average of (y_pred - y_true)**2 over all entries.

    y_pred, y_true: arrays of the same shape, (n_samples,) or (n_samples, n_outputs).
    Returns a single number.
    """
    ### BEGIN SOLUTION
    return float(np.mean((np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)) ** 2))
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# Three steps: the differences, their squares, the average over every entry.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# `(y_pred - y_true) ** 2` is element-wise; `np.mean` of the result averages over all entries whatever the shape. Return a plain `float`.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "mse_test", "locked": true, "points": 1, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_scalar, check_type

# Differences 0.5, 0, -1, 2; squares 0.25, 0, 1, 4; their mean is 5.25 / 4 = 1.3125.
y_true_check = np.array([1.0, 2.0, 3.0, 4.0])
y_pred_check = np.array([1.5, 2.0, 2.0, 6.0])
got = call(mse, y_pred_check, y_true_check)
check_type("mse(y_pred_check, y_true_check)", got, float)
for wrong_value, mistake in [(np.sqrt(1.3125), "the square root of the mean squared error: drop the square root"),
                             (0.375, "the mean of the plain differences, which cancel out: square each difference"),
                             (0.875, "the mean of the absolute differences: square the differences instead")]:
    if np.isclose(got, wrong_value):
        raise CheckFailed(f"mse(y_pred_check, y_true_check) = {got:.4g} is {mistake}. Expected 1.3125.")
check_scalar("mse(y_pred_check, y_true_check)", got, 1.3125, n=4)

# Two outputs per sample: the mean runs over all 6 entries (squares 0.25, 0, 0, 1, 0, 4).
y_true_2d = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
y_pred_2d = np.array([[0.5, 0.0], [0.0, 0.0], [1.0, 3.0]])
got = call(mse, y_pred_2d, y_true_2d)
check_type("mse(y_pred_2d, y_true_2d)", got, float)
if np.isclose(got, 5.25 / 3):
    raise CheckFailed(f"mse(y_pred_2d, y_true_2d) = {got:.4g}: you divided by the number of rows (3). "
                      "The mean runs over all entries, here 3 samples x 2 outputs = 6.")
check_scalar("mse(y_pred_2d, y_true_2d)", got, 5.25 / 6, n=6)
check_scalar("mse(y_true_2d, y_true_2d)", call(mse, y_true_2d, y_true_2d), 0.0)

### BEGIN HIDDEN TESTS
from nnlearn.losses import mse as reference_mse

hidden_rng = np.random.default_rng(20260301)
for hidden_shape in [(1,), (7,), (5, 3), (1, 4), (6, 1), (2, 9)]:
    hidden_pred = hidden_rng.normal(scale=3.0, size=hidden_shape)
    hidden_true = hidden_rng.normal(scale=3.0, size=hidden_shape)
    check_scalar(f"mse(y_pred, y_true) for shape {hidden_shape}", call(mse, hidden_pred, hidden_true),
                 reference_mse(hidden_pred, hidden_true), n=int(np.prod(hidden_shape)))
hidden_pred32 = hidden_rng.normal(size=(4, 3)).astype(np.float32)
hidden_true32 = hidden_rng.normal(size=(4, 3)).astype(np.float32)
check_scalar("mse(y_pred, y_true) for float32 arrays", call(mse, hidden_pred32, hidden_true32),
             reference_mse(hidden_pred32.astype(float), hidden_true32.astype(float)), rtol=1e-5)
check_scalar("mse(y, y)", call(mse, hidden_true32, hidden_true32), 0.0)
### END HIDDEN TESTS
print("mse: all tests in this cell passed.")

# %% [markdown]
# ## 2. Predicting classes: probabilities and one-hot labels
#
# Now the network has to tell cats from dogs. It has one output per class, and we
# read its outputs as **probabilities**: "75 % cat, 25 % dog" is the row
# `[0.75, 0.25]`. Each row of a batch of predictions `P` (shape `(n, k)` for `n`
# samples and `k` classes) is a probability distribution: entries between 0 and
# 1 that add up to 1.
#
# The right answers usually come as **class labels**: 0 for cat, 1 for dog. To
# compare a label with a row of probabilities we write the label as the row of
# probabilities a perfect network would give: 100 % for the right class, 0 %
# for every other. That row is the **one-hot** encoding of the label. With three
# classes, label 2 becomes `[0, 0, 1]`.
#
# Why not compare the label itself, the number 2, with the output? Because class
# numbers are names, not amounts: "dog" (1) is not half of "bird" (2), and a
# network that predicted 1.5 would be saying nothing sensible.

# %% [markdown]
# ### Exercise 2: one-hot labels (1 point)
#
# Write `one_hot(labels, n_classes)`:
#
# * `labels` is a NumPy array of integer class labels, shape `(n,)`, each between
#   0 and `n_classes - 1`;
# * return an array of shape `(n, n_classes)`: row `i` is all zeros except a 1
#   in column `labels[i]`.
#
# Use `n_classes` for the number of columns, even when some class does not occur
# in `labels` (a small batch may contain no dogs at all). Hint: create an array of
# zeros and set one entry per row; `A[rows, cols] = 1` sets `A[rows[j], cols[j]]`
# for every `j`.

# %% nbgrader={"grade": false, "grade_id": "one_hot", "locked": false, "schema_version": 3, "solution": true}
def one_hot(labels, n_classes):
    """One-hot rows for integer class labels.

    labels: integer array (n,) with values in 0 .. n_classes - 1.
    Returns an array (n, n_classes) with a single 1 per row, in column labels[i].
    """
    ### BEGIN SOLUTION
    labels = np.asarray(labels)
    Y = np.zeros((labels.shape[0], n_classes))
    Y[np.arange(labels.shape[0]), labels] = 1.0
    return Y
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# Start from an all-zero array of shape `(n, n_classes)` and put a single 1 in each row.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# Row i needs its 1 in column `labels[i]`. NumPy's fancy indexing sets them all at once: index the rows with `np.arange(n)` and the columns with the labels. (A loop over the rows is correct too.)
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "one_hot_test", "locked": true, "points": 1, "schema_version": 3, "solution": false}
from nnlearn.testing import call, check_array

check_array("one_hot(np.array([0, 2, 1, 2]), 3)", call(one_hot, np.array([0, 2, 1, 2]), 3),
            np.array([[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]]))

# Classes 2, 3 and 4 do not occur in this batch, but there are still 5 columns.
check_array("one_hot(np.array([1, 0, 1]), 5)", call(one_hot, np.array([1, 0, 1]), 5),
            np.array([[0, 1, 0, 0, 0], [1, 0, 0, 0, 0], [0, 1, 0, 0, 0]]),
            hint="Hint: the number of columns is n_classes, not the largest label + 1.")

### BEGIN HIDDEN TESTS
from nnlearn.preprocessing import one_hot as reference_one_hot

hidden_rng = np.random.default_rng(20260302)
for hidden_n, hidden_k in [(1, 2), (10, 3), (7, 7), (4, 9), (3, 1), (25, 4)]:
    hidden_labels = hidden_rng.integers(0, hidden_k, size=hidden_n)
    check_array(f"one_hot(labels, {hidden_k}) for {hidden_n} labels", call(one_hot, hidden_labels, hidden_k),
                reference_one_hot(hidden_labels, hidden_k).astype(int))
hidden_labels = np.array([3, 0, 3, 1], dtype=np.int32)
check_array("one_hot(int32 labels, 6)", call(one_hot, hidden_labels, 6),
            reference_one_hot(hidden_labels, 6).astype(int))
### END HIDDEN TESTS
print("one_hot: all tests in this cell passed.")

# %% [markdown]
# ## 3. The cross-entropy, and the loss of "75 % cat"
#
# A picture of a cat goes into the network, and out comes `[0.75, 0.25]`: 75 %
# cat, 25 % dog. The label is "cat", one-hot `[1, 0]`. How large should the loss
# be?
#
# The **cross-entropy** looks only at the probability the network gave to the
# **right** class and takes minus its logarithm:
#
# $$\text{loss} = -\log p_{\text{right class}} = -\log 0.75 \approx 0.288 .$$
#
# * A perfect prediction `[1, 0]` costs $-\log 1 = 0$.
# * As the prediction moves toward `[1, 0]` the loss shrinks toward 0:
#   0.9 costs 0.105, 0.99 costs 0.010.
# * A prediction that is confidently **wrong** costs a lot: 1 % cat costs
#   $-\log 0.01 \approx 4.6$, and as $p_{\text{cat}} \to 0$ the loss grows without
#   bound.
#
# (Here $\log$ is the natural logarithm, `np.log`.)

# %%
cat_predictions = [0.5, 0.75, 0.9, 0.99, 0.25, 0.01]
for p_cat in cat_predictions:
    print(f"prediction [{p_cat:.2f}, {1 - p_cat:.2f}] for a cat:  loss -log({p_cat:.2f}) = {-np.log(p_cat):.3f}")

# %% [markdown]
# The plot shows the whole curve. For comparison it also shows the squared error
# of the same prediction: $(1 - p_{\text{cat}})^2$, the mean of the squared
# differences between `[p_cat, 1 - p_cat]` and `[1, 0]`. The squared error stays
# below 1 however wrong and however sure of itself the network is, while the
# cross-entropy keeps growing. The height of a loss is not what training sees,
# though: training follows its **slope**. Section 4 ("Why cross-entropy") shows the
# reason that matters most: near a confident mistake the squared error's slope
# almost vanishes, and the cross-entropy's does not.

# %%
p_grid = np.linspace(0.005, 0.995, 199)
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(p_grid, -np.log(p_grid), lw=2, label=r"cross-entropy $-\log p_{cat}$")
ax.plot(p_grid, (1 - p_grid) ** 2, lw=2, ls="--", label=r"squared error $(1 - p_{cat})^2$")
for p_cat, offset in [(0.5, (0, 12)), (0.75, (0, 30)), (0.9, (25, 12))]:
    ax.plot(p_cat, -np.log(p_cat), "o", color="tab:blue")
    ax.annotate(f"{p_cat:.0%} cat: {-np.log(p_cat):.3f}", (p_cat, -np.log(p_cat)), textcoords="offset points",
                xytext=offset, ha="center", arrowprops=dict(arrowstyle="-", color="gray"))
ax.annotate("", xy=(0.98, 2.2), xytext=(0.62, 2.2), arrowprops=dict(arrowstyle="->"))
ax.text(0.8, 2.35, "toward [1, 0]: loss → 0", ha="center")
ax.annotate("", xy=(0.02, 3.6), xytext=(0.38, 3.6), arrowprops=dict(arrowstyle="->"))
ax.text(0.2, 3.75, "toward [0, 1]: loss → ∞", ha="center")
ax.set_xlabel(r"probability the network gives to 'cat', $p_{cat}$ (the picture is a cat)")
ax.set_ylabel("loss")
ax.set_ylim(0, 4.5)
ax.legend(loc="upper right")
plt.show()

# %% [markdown]
# For a batch of `n` samples we average over the samples. With one-hot labels
# `Y` (shape `(n, k)`), the probability of the right class of sample $i$ is
# $\sum_c Y_{ic} P_{ic}$, because only one $Y_{ic}$ is 1. So the **categorical
# cross-entropy** is
#
# $$L = -\frac{1}{n} \sum_{i=1}^{n} \sum_{c=1}^{k} Y_{ic} \log P_{ic} .$$
#
# Note the difference from the MSE: here we **sum over the classes** (only the
# right class contributes) and **average over the samples**.
#
# **Watch out for $\log 0$.** A prediction of exactly `[1, 0]` for a cat should
# cost 0, but `Y * np.log(P)` first computes `np.log(0)`, which is $-\infty$
# (NumPy warns "divide by zero"), and then $0 \cdot (-\infty)$, which is *not a
# number* (NaN). Taking the log of the right classes' probabilities only avoids
# the NaN, but not the other problem: when the network gives the right class
# probability exactly 0, the loss is $-\log 0 = \infty$, and one infinite sample
# makes the whole batch's loss infinite. The cure for both is to **clip** the
# probabilities into $[\varepsilon, 1]$ before taking the log, with a tiny
# $\varepsilon$ such as `1e-12`: `np.log(np.clip(P, 1e-12, 1.0))`. The loss of a
# sure mistake is then large, $-\log 10^{-12} \approx 27.6$, but finite. (You
# may still take the log of the right classes only, as long as you clip those
# probabilities first.)

# %% [markdown]
# ### Exercise 3: categorical cross-entropy (2 points)
#
# Write `categorical_cross_entropy(P, Y)`:
#
# * `P`: predicted probabilities, shape `(n, k)` (each row sums to 1; entries may
#   be exactly 0 or 1);
# * `Y`: one-hot labels, same shape;
# * return $L$ above, a single number: sum over the classes, average over the
#   samples;
# * no warnings and no NaN, also when `P` contains zeros, and a **finite** loss
#   even when the right class has probability exactly 0: clip the probabilities
#   with an $\varepsilon$ of at most `1e-7` (for example `1e-12`) before taking
#   the log, so that such a sample costs at least $-\log 10^{-7} \approx 16$.

# %% nbgrader={"grade": false, "grade_id": "categorical_cross_entropy", "locked": false, "schema_version": 3, "solution": true}
def categorical_cross_entropy(P, Y):
    """Mean over the samples of -log(probability of the right class).

    P: probabilities (n, k); Y: one-hot labels (n, k). Returns a single number.
    """
    ### BEGIN SOLUTION
    P = np.clip(np.asarray(P, dtype=float), 1e-12, 1.0)
    return float(-np.sum(Y * np.log(P)) / P.shape[0])
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# For each sample, only the probability of the right class counts: multiplying `log(P)` by the one-hot Y keeps exactly that term.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# Sum `Y * log(P)` over everything, change its sign and divide by the number of samples (rows), not by the number of entries.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# A probability of exactly 0 gives `log(0) = -inf`: clip P to `[1e-12, 1]` first.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "categorical_cross_entropy_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_scalar, check_type



def check_cce(name, P, Y, expected):
    """Check categorical_cross_entropy(P, Y) against the expected number."""
    got = call(categorical_cross_entropy, P, Y)
    check_type(name, got, float)
    n, k = P.shape
    if np.isclose(got, expected / k) and not np.isclose(got, expected):
        raise CheckFailed(f"{name} = {got:.4g}, expected {expected:.4g}: you averaged over all {n} x {k} entries. "
                          "Sum over the classes, average over the samples.")
    check_scalar(name, got, expected, n=n)


# The cat from the text: 75 % cat costs -log(0.75).
check_cce("categorical_cross_entropy(np.array([[0.75, 0.25]]), np.array([[1, 0]]))",
          np.array([[0.75, 0.25]]), np.array([[1, 0]]), -np.log(0.75))

# Three samples, two classes: the right classes get 0.75, 0.8 and 0.5.
P_check = np.array([[0.75, 0.25], [0.2, 0.8], [0.5, 0.5]])
Y_check = np.array([[1, 0], [0, 1], [1, 0]])
check_cce("categorical_cross_entropy(P_check, Y_check)", P_check, Y_check,
          -(np.log(0.75) + np.log(0.8) + np.log(0.5)) / 3)



def cce_without_warnings(P, Y):
    """Call categorical_cross_entropy with NumPy's warnings turned into errors."""
    try:
        with np.errstate(divide="raise", invalid="raise", over="raise"):
            return categorical_cross_entropy(P, Y)
    except FloatingPointError as err:
        raise CheckFailed(f"categorical_cross_entropy(P, Y) with P = {P.tolist()} and Y = {Y.tolist()} failed "
                          f"with '{err}': this is log(0). Clip the probabilities before taking the log, e.g. "
                          "np.log(np.clip(P, 1e-12, 1.0)).") from None
    except Exception:  # any other crash: let `call` explain it
        return call(categorical_cross_entropy, P, Y)


# A perfect prediction costs 0 -- without a warning about log(0).
check_scalar("categorical_cross_entropy([[1, 0], [0, 1]], [[1, 0], [0, 1]])",
             cce_without_warnings(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1, 0], [0, 1]])), 0.0, atol=1e-6)

# A sure mistake: the right class (dog) gets probability 0. The loss is large but must be finite.
sure_but_wrong = cce_without_warnings(np.array([[1.0, 0.0]]), np.array([[0, 1]]))
check_type("categorical_cross_entropy([[1, 0]], [[0, 1]])", sure_but_wrong, float)
if not (np.isfinite(sure_but_wrong) and sure_but_wrong >= 16):
    raise CheckFailed(f"categorical_cross_entropy([[1, 0]], [[0, 1]]) = {sure_but_wrong}: the right class has "
                      "probability 0, and the loss should be large but finite: at least -log(1e-7) = 16.1. "
                      + ("Clip the probabilities into [eps, 1] before taking the log." if not np.isfinite(sure_but_wrong)
                         else "Clip with an eps of at most 1e-7 (1e-12 is a good choice)."))

### BEGIN HIDDEN TESTS
from nnlearn.activations import softmax as hidden_softmax
from nnlearn.losses import categorical_cross_entropy as reference_cce
from nnlearn.preprocessing import one_hot as hidden_one_hot

hidden_rng = np.random.default_rng(20260303)
for hidden_n, hidden_k in [(1, 2), (4, 3), (10, 5), (6, 2), (3, 10)]:
    hidden_P = hidden_softmax(hidden_rng.normal(scale=2.0, size=(hidden_n, hidden_k)))
    hidden_Y = hidden_one_hot(hidden_rng.integers(0, hidden_k, size=hidden_n), hidden_k)
    check_scalar(f"categorical_cross_entropy(P, Y) for P of shape {hidden_P.shape}",
                 call(categorical_cross_entropy, hidden_P, hidden_Y), reference_cce(hidden_P, hidden_Y), n=hidden_n)
    check_scalar(f"categorical_cross_entropy(P, Y) for P of shape {hidden_P.shape} and integer one-hot Y",
                 call(categorical_cross_entropy, hidden_P, hidden_Y.astype(int)), reference_cce(hidden_P, hidden_Y))
hidden_P32 = hidden_softmax(hidden_rng.normal(size=(5, 4))).astype(np.float32)
hidden_Y = hidden_one_hot(np.array([0, 3, 2, 2, 1]), 4)
check_scalar("categorical_cross_entropy(P, Y) for float32 P", call(categorical_cross_entropy, hidden_P32, hidden_Y),
             reference_cce(hidden_P32.astype(float), hidden_Y), rtol=1e-5)

# Exact zeros and ones: right and sure costs 0; sure but wrong costs a lot, but stays finite.
hidden_P = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
hidden_Y = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1]])
hidden_right = cce_without_warnings(hidden_P, hidden_Y)
hidden_wrong = cce_without_warnings(hidden_P[:1], np.array([[1, 0, 0]]))
check_scalar("categorical_cross_entropy(P, Y) for sure and right predictions", hidden_right, 0.0, atol=1e-6)
check_type("categorical_cross_entropy(P, Y) for a sure but wrong prediction", hidden_wrong, float)
if not (np.isfinite(hidden_wrong) and hidden_wrong >= 16):
    raise CheckFailed(f"categorical_cross_entropy gave {hidden_wrong} for a prediction that gives the right "
                      "class probability 0: expected a large finite number (at least -log(1e-7) = 16.1; clip "
                      "with eps <= 1e-7).")
### END HIDDEN TESTS
print("categorical_cross_entropy: all tests in this cell passed.")

# %% [markdown]
# ### Try it: move the prediction toward `[1, 0]`
#
# The slider sets the network's probability for "cat" on a picture of a cat.
# The left panel shows the prediction next to the one-hot label; the right panel
# shows **your** `categorical_cross_entropy` and **your** `mse` of the prediction
# as $p_{\text{cat}}$ varies, with the current value marked. Slide toward 1 and
# toward 0, and compare how the two losses react to a confident mistake.

# %% tags=["nbval-ignore-output"]
# NBVAL_IGNORE_OUTPUT
cat_label = np.array([[1.0, 0.0]])            # the picture is a cat
slider_grid = np.linspace(0.01, 0.99, 99)


def draw_cat_loss(ax, p_cat=0.75):
    fig = ax.figure
    ax.remove()
    ax_bars, ax_loss = fig.subplots(1, 2, width_ratios=[1, 2])
    prediction = np.array([[p_cat, 1 - p_cat]])
    ax_bars.bar([-0.2, 0.8], prediction[0], width=0.4, label="prediction")
    ax_bars.bar([0.2, 1.2], cat_label[0], width=0.4, color="lightgray", label="label (one-hot)")
    ax_bars.set_xticks([0, 1], ["cat", "dog"])
    ax_bars.set_ylim(0, 1.15)
    ax_bars.legend(loc="upper right", fontsize="small")
    try:
        ce = [categorical_cross_entropy(np.array([[p, 1 - p]]), cat_label) for p in slider_grid]
        se = [mse(np.array([[p, 1 - p]]), cat_label) for p in slider_grid]
        ce_now = categorical_cross_entropy(prediction, cat_label)
        se_now = mse(prediction, cat_label)
    except NotImplementedError:
        not_yet("mse", "categorical_cross_entropy", to="see their curves", ax=ax_loss)
        return
    ax_loss.plot(slider_grid, ce, label="your categorical_cross_entropy")
    ax_loss.plot(slider_grid, se, ls="--", label="your mse")
    ax_loss.plot([p_cat, p_cat], [ce_now, se_now], "ko")
    ax_loss.set_xlabel("p_cat")
    ax_loss.set_ylim(0, 4.8)
    ax_loss.legend(loc="upper right", fontsize="small")
    ax_loss.set_title(f"cross-entropy {ce_now:.3f}, MSE {se_now:.3f}")


interactive_plot(draw_cat_loss, p_cat=(0.01, 0.99, 0.01, 0.75), figsize=(8, 3.5))

# %% [markdown]
# ### Two classes with one output: the binary cross-entropy
#
# With only two classes, one number is enough: the network outputs
# $p = $ the probability of class 1 ("cat", say), and the probability of class 0
# is $1 - p$. The label is $y = 1$ for a cat and $y = 0$ for a dog. The
# probability of the right class is then $p$ when $y = 1$ and $1 - p$ when
# $y = 0$, which one formula covers:
#
# $$\text{loss}_i = -\big[\, y_i \log p_i + (1 - y_i) \log (1 - p_i) \,\big]$$
#
# (one of the two terms is always 0). The **binary cross-entropy** of a batch is
# the mean of $\text{loss}_i$ over the samples. The cat at 75 % costs
# $-\log 0.75$ again: it is the same loss written for one output instead of two.

# %% [markdown]
# ### Exercise 4: binary cross-entropy (2 points)
#
# Write `binary_cross_entropy(p, y)`:
#
# * `p`: predicted probabilities of class 1, `y`: labels 0 or 1; both of shape
#   `(n,)` (or both `(n, 1)`: one column);
# * return the mean over the samples of $\text{loss}_i$, a single number;
# * `p` may be exactly 0 or 1: keep the result finite and warning-free by clipping
#   `p` into $[\varepsilon, 1 - \varepsilon]$ with a tiny $\varepsilon$ (at most
#   `1e-7`; `1e-12` is a good choice) before taking logs.

# %% nbgrader={"grade": false, "grade_id": "binary_cross_entropy", "locked": false, "schema_version": 3, "solution": true}
def binary_cross_entropy(p, y):
    """Mean over the samples of -[y log p + (1 - y) log(1 - p)].

    p: probabilities of class 1, y: labels 0/1, same shape (n,) or (n, 1).
    Returns a single number; finite even where p is exactly 0 or 1.
    """
    ### BEGIN SOLUTION
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# Each sample contributes `-log p` when its label is 1 and `-log(1 - p)` when it is 0; the formula in the docstring writes both at once with y and 1 − y.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# Average the per-sample losses with `np.mean`. Before taking logs, clip p away from 0 and 1 (to `[1e-12, 1 - 1e-12]`), so that the result stays finite.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "binary_cross_entropy_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_scalar, check_type

check_scalar("binary_cross_entropy(np.array([0.75]), np.array([1]))",
             call(binary_cross_entropy, np.array([0.75]), np.array([1])), -np.log(0.75))

# A cat at 75 %, a dog at 20 % cat (right), a dog at 90 % cat (badly wrong).
p_check = np.array([0.75, 0.2, 0.9])
y_check = np.array([1, 0, 0])
check_scalar("binary_cross_entropy(p_check, y_check)", call(binary_cross_entropy, p_check, y_check),
             -(np.log(0.75) + np.log(0.8) + np.log(0.1)) / 3, n=3)


def bce_without_warnings(p, y):
    """Call binary_cross_entropy with NumPy's warnings turned into errors."""
    try:
        with np.errstate(divide="raise", invalid="raise", over="raise"):
            return binary_cross_entropy(p, y)
    except FloatingPointError as err:
        raise CheckFailed(f"binary_cross_entropy(np.array({p.tolist()}), np.array({y.tolist()})) failed with "
                          f"'{err}': this is log(0). Clip p into [eps, 1 - eps] first, e.g. "
                          "np.clip(p, 1e-12, 1 - 1e-12).") from None
    except Exception:  # any other crash: let `call` explain it
        return call(binary_cross_entropy, p, y)


# Sure and right costs 0; sure and wrong costs a lot, but must stay a finite number.
check_scalar("binary_cross_entropy(np.array([1.0, 0.0]), np.array([1, 0]))",
             bce_without_warnings(np.array([1.0, 0.0]), np.array([1, 0])), 0.0, atol=1e-6)
sure_but_wrong = bce_without_warnings(np.array([0.0]), np.array([1]))
check_type("binary_cross_entropy(np.array([0.0]), np.array([1]))", sure_but_wrong, float)
if not (np.isfinite(sure_but_wrong) and sure_but_wrong > 15):
    raise CheckFailed(f"binary_cross_entropy(np.array([0.0]), np.array([1])) = {sure_but_wrong}: expected a "
                      "large but finite number (at least 15). Clip p with an eps of at most 1e-7.")

### BEGIN HIDDEN TESTS
from nnlearn.losses import binary_cross_entropy as reference_bce

hidden_rng = np.random.default_rng(20260304)
for hidden_shape in [(1,), (9,), (5, 1), (40,)]:
    hidden_p = hidden_rng.uniform(1e-6, 1 - 1e-6, size=hidden_shape)
    hidden_y = hidden_rng.integers(0, 2, size=hidden_shape)
    check_scalar(f"binary_cross_entropy(p, y) for shape {hidden_shape}", call(binary_cross_entropy, hidden_p, hidden_y),
                 reference_bce(hidden_p, hidden_y), n=hidden_shape[0])
hidden_p = np.array([1e-6, 1 - 1e-6, 1e-6, 1 - 1e-6])
hidden_y = np.array([1, 0, 0, 1])
check_scalar("binary_cross_entropy(p, y) for p near 0 and 1", call(binary_cross_entropy, hidden_p, hidden_y),
             reference_bce(hidden_p, hidden_y), rtol=1e-5)
hidden_p32 = hidden_rng.uniform(0.05, 0.95, size=7).astype(np.float32)
hidden_y = hidden_rng.integers(0, 2, size=7)
check_scalar("binary_cross_entropy(p, y) for float32 p", call(binary_cross_entropy, hidden_p32, hidden_y),
             reference_bce(hidden_p32.astype(float), hidden_y), rtol=1e-5)
check_scalar("binary_cross_entropy(p, y) for sure and right predictions",
             bce_without_warnings(np.array([0.0, 1.0, 1.0, 0.0]), np.array([0, 1, 1, 0])), 0.0, atol=1e-6)
hidden_wrong = bce_without_warnings(np.array([1.0]), np.array([0]))
check_type("binary_cross_entropy(np.array([1.0]), np.array([0]))", hidden_wrong, float)
if not (np.isfinite(hidden_wrong) and hidden_wrong > 15):
    raise CheckFailed(f"binary_cross_entropy(np.array([1.0]), np.array([0])) = {hidden_wrong}: expected a large "
                      "but finite number (at least 15).")
### END HIDDEN TESTS
print("binary_cross_entropy: all tests in this cell passed.")

# %% [markdown]
# ## 4. From scores to probabilities: cross-entropy from logits
#
# The last layer of a network computes weighted sums, `Z = X @ W.T + b`, and these
# **scores** (also called *logits*) can be any numbers: negative, larger than 1,
# and their rows do not add up to 1. They become probabilities only after the
# **softmax** (notebook 02):
#
# $$P_{ic} = \frac{e^{Z_{ic}}}{\sum_{j} e^{Z_{ij}}} .$$
#
# Here we import the softmax you wrote in notebook 02 from the course library.

# %%
from nnlearn.activations import softmax

Z_example = np.array([[2.0, -1.0, 0.5],
                      [-3.0, 4.0, 1.0]])       # raw scores of 2 samples for 3 classes
print("scores:\n", Z_example)
print("softmax of the scores:\n", np.round(softmax(Z_example), 3))
print("row sums:", softmax(Z_example).sum(axis=1))

# %% [markdown]
# So the loss of a network with scores `Z` could be computed as
# `categorical_cross_entropy(softmax(Z), Y)`. That works for moderate scores but
# fails for large ones. With the scores `[1000, 0]` for a **dog** (label
# `[0, 1]`), the probability of "dog" is $e^{-1000}$, a number so small that it
# rounds to exactly 0.0 in floating point. The log of it is lost: clipping turns
# a loss that should be 1000 into about 27.6.

# %%
Z_extreme = np.array([[1000.0, 0.0]])
P_extreme = softmax(Z_extreme)
print("softmax([1000, 0]) =", P_extreme)
print("loss for a dog via the clipped log of the softmax:", -np.log(np.clip(P_extreme[0, 1], 1e-12, 1.0)))

# %% [markdown]
# The way out is to never form the tiny probability at all, and to compute its
# **logarithm** straight from the scores. Taking the log of the softmax formula:
#
# $$\log P_{ic} = Z_{ic} - \log \sum_j e^{Z_{ij}} .$$
#
# The sum of exponentials can still overflow ($e^{1000}$ is infinite in floating
# point). As in notebook 02, subtract each row's maximum $m_i = \max_j Z_{ij}$
# first; it cancels out:
#
# $$\log P_{ic} = (Z_{ic} - m_i) - \log \sum_j e^{Z_{ij} - m_i} .$$
#
# Now every exponent is $\le 0$, so nothing overflows, and the sum is at least 1
# (the term of the largest score is $e^0 = 1$), so its log is safe. This is the
# **log-softmax**. For the dog above it gives $\log P_{\text{dog}} = -1000$ and a
# loss of exactly 1000.

# %% [markdown]
# ### Exercise 5: cross-entropy from the scores, stable (3 points)
#
# Write `cross_entropy_from_logits(Z, Y)`:
#
# * `Z`: scores, shape `(n, k)`, any real numbers (also $\pm 1000$);
# * `Y`: one-hot labels, shape `(n, k)`;
# * return the categorical cross-entropy of `softmax(Z)`, averaged over the
#   samples, computed through the log-softmax above (subtract each **row's**
#   maximum; `keepdims=True` keeps the shapes compatible);
# * no overflow, no `log(0)`, no warnings, for any `n` including 1.
#
# Write the log-softmax yourself; do not import it.

# %% nbgrader={"grade": false, "grade_id": "cross_entropy_from_logits", "locked": false, "schema_version": 3, "solution": true}
def cross_entropy_from_logits(Z, Y):
    """Categorical cross-entropy of softmax(Z) against one-hot Y, computed stably.

    Z: scores (n, k); Y: one-hot labels (n, k). Returns a single number.
    """
    ### BEGIN SOLUTION
    Z = np.asarray(Z, dtype=float)
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_P = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return float(-np.sum(Y * log_P) / Z.shape[0])
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# `log(softmax(z))` can be written without computing softmax: it is `z - log(sum(exp(z)))`, row by row.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# `exp` overflows for large scores. Subtracting each row's maximum from that row changes nothing in softmax but keeps every exponent ≤ 0 (use `keepdims=True` so the shapes broadcast).
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# With the log-probabilities of the shifted scores, finish as in `categorical_cross_entropy`: sum `Y * log_P`, change the sign, divide by the number of rows.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "cross_entropy_from_logits_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_scalar

# Scores [log 3, 0] give the probabilities [0.75, 0.25]: the cat again.
check_scalar("cross_entropy_from_logits(np.array([[np.log(3), 0.0]]), np.array([[1, 0]]))",
             call(cross_entropy_from_logits, np.array([[np.log(3), 0.0]]), np.array([[1, 0]])), -np.log(0.75))

# Row 1: scores 1, 2, 3 and class 2 is right: -log(e^3 / (e + e^2 + e^3)) = log(1 + e^-1 + e^-2).
# Row 2: equal scores, so each class gets 1/3 and the loss is log 3.
Z_check = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
Y_check = np.array([[0, 0, 1], [1, 0, 0]])
check_scalar("cross_entropy_from_logits(Z_check, Y_check)", call(cross_entropy_from_logits, Z_check, Y_check),
             (np.log(1 + np.exp(-1.0) + np.exp(-2.0)) + np.log(3.0)) / 2, n=2)

# Extreme scores: a warning (overflow, log of 0) is an error here, so that you see it.
Z_extreme_check = np.array([[1000.0, 0.0], [0.0, 1000.0]])
Y_extreme_check = np.array([[1, 0], [1, 0]])   # row 1 right and sure: loss 0; row 2 sure but wrong: loss 1000


def ce_logits_without_warnings(Z, Y):
    """Call cross_entropy_from_logits with NumPy's warnings turned into errors."""
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            return cross_entropy_from_logits(Z, Y)
    except FloatingPointError as err:
        hint = ("exp of a large score overflows: subtract each row's maximum before exponentiating."
                if "overflow" in str(err) else
                "a probability rounded to 0 and its log is -inf: compute the log-softmax from the scores instead.")
        raise CheckFailed(f"cross_entropy_from_logits(Z, Y) with Z = {Z.tolist()} failed with '{err}': {hint}") from None
    except Exception:  # any other crash: let `call` explain it
        return call(cross_entropy_from_logits, Z, Y)


got = ce_logits_without_warnings(Z_extreme_check, Y_extreme_check)
check_scalar("cross_entropy_from_logits(Z_extreme_check, Y_extreme_check)", got, 500.0,
             hint="Hint: with large scores the softmax rounds small probabilities to 0 and their log is lost. "
                  "Compute the log-probabilities directly with the log-softmax, not np.log(softmax(Z)).")

### BEGIN HIDDEN TESTS
from nnlearn.losses import categorical_cross_entropy_with_logits as reference_ce_logits
from nnlearn.preprocessing import one_hot as hidden_one_hot


hidden_rng = np.random.default_rng(20260305)
for hidden_n, hidden_k, hidden_scale in [(1, 2, 1.0), (1, 5, 3.0), (4, 3, 2.0), (8, 10, 5.0), (6, 2, 300.0),
                                         (5, 4, 1000.0)]:
    hidden_Z = hidden_rng.normal(scale=hidden_scale, size=(hidden_n, hidden_k))
    hidden_Y = hidden_one_hot(hidden_rng.integers(0, hidden_k, size=hidden_n), hidden_k)
    check_scalar(f"cross_entropy_from_logits(Z, Y) for Z of shape {hidden_Z.shape} and scores up to {hidden_scale:g}",
                 ce_logits_without_warnings(hidden_Z, hidden_Y), reference_ce_logits(hidden_Z, hidden_Y), n=hidden_n)

# Rows on very different scales: each row needs its own maximum.
hidden_Z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1001.0, -999.0], [0.0, 0.5, -0.5], [-1000.0, 1000.0, 999.0]])
hidden_Y = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]])
check_scalar("cross_entropy_from_logits(Z, Y) for rows with scores of very different sizes",
             ce_logits_without_warnings(hidden_Z, hidden_Y), reference_ce_logits(hidden_Z, hidden_Y))
hidden_Z = np.array([[-1000.0, -1000.0]])
check_scalar("cross_entropy_from_logits([[-1000, -1000]], [[0, 1]])",
             ce_logits_without_warnings(hidden_Z, np.array([[0, 1]])), np.log(2.0))
hidden_Z32 = hidden_rng.normal(scale=4.0, size=(3, 4)).astype(np.float32)
hidden_Y = hidden_one_hot(np.array([1, 3, 0]), 4)
check_scalar("cross_entropy_from_logits(Z, Y) for float32 Z", ce_logits_without_warnings(hidden_Z32, hidden_Y),
             reference_ce_logits(hidden_Z32.astype(float), hidden_Y), rtol=1e-5)
### END HIDDEN TESTS
print("cross_entropy_from_logits: all tests in this cell passed.")

# %% [markdown]
# ### Why cross-entropy
#
# We now have two losses that could train a classifier: the squared error and the
# cross-entropy. Both are 0 for a perfect prediction and grow with the mistake.
# What decides between them is not how high they get but their **slope**.
# Training moves every weight downhill by a step proportional to the slope of the
# loss (notebook 04), and whatever the last layer learns passes through one
# number: the slope of the loss with respect to the output's score $z$
# (notebook 05's chain rule multiplies every weight's slope by it).
#
# Take one sample with label $y$ (1 for a cat, 0 for a dog) and a sigmoid output
# $p = \sigma(z)$, whose slope is $\sigma'(z) = p\,(1 - p)$ (notebook 02).
#
# * **Cross-entropy**, $L = -[\,y \log p + (1 - y) \log(1 - p)\,]$. Its slope with
#   respect to $p$ is $\frac{p - y}{p(1 - p)}$; the chain rule multiplies by
#   $\sigma'(z) = p(1 - p)$, which cancels the denominator:
#   $$\frac{dL}{dz} = p - y .$$
# * **Squared error**, $L = (p - y)^2$. Here nothing cancels:
#   $$\frac{dL}{dz} = 2\,(p - y)\,\sigma'(z) = 2\,(p - y)\,p\,(1 - p) .$$
#
# The difference is the factor $\sigma'(z)$, and it matters most exactly where it
# hurts: when the network is **confidently wrong**. A cat ($y = 1$) with the score
# $z = -8$ gets $p \approx 0.0003$. The cross-entropy's slope is
# $p - y \approx -1$, as steep as it ever gets, so the biggest mistake gets the
# biggest correction. The squared error's slope is
# $2 \cdot (-1) \cdot 0.0003 \approx -0.0007$: the curve is almost flat there,
# the weights hardly move, and the mistake stays. The cell below checks both
# formulas against the measured slopes, draws them, and runs gradient descent on
# the score alone from $z = -8$ with each loss.

# %%
def sigmoid_of(z):
    return 1.0 / (1.0 + np.exp(-z))


def ce_of_score(z, y):
    """Binary cross-entropy of sigmoid(z), from the score: log(1 + e^z) - y z."""
    return np.logaddexp(0.0, z) - y * z


def se_of_score(z, y):
    """Squared error of sigmoid(z)."""
    return (sigmoid_of(z) - y) ** 2


h = 1e-5
print("a cat (y = 1)   | slope of the cross-entropy | slope of the squared error")
print("   z       p     |  measured     p - y        |  measured     2 (p - y) p (1 - p)")
for z in [-8.0, -4.0, 0.0, 4.0]:
    p = sigmoid_of(z)
    ce_slope = (ce_of_score(z + h, 1) - ce_of_score(z - h, 1)) / (2 * h)
    se_slope = (se_of_score(z + h, 1) - se_of_score(z - h, 1)) / (2 * h)
    print(f"{z:+5.1f}   {p:.4f}  |  {ce_slope:+.4f}      {p - 1:+.4f}      |  "
          f"{se_slope:+.4f}      {2 * (p - 1) * p * (1 - p):+.4f}")

# Gradient descent on the score alone, step size 1, starting confidently wrong.
steps_needed = {}
for name, slope in [("cross-entropy", lambda p: p - 1), ("squared error", lambda p: 2 * (p - 1) * p * (1 - p))]:
    z, steps = -8.0, 0
    while 1 / (1 + np.exp(-z)) < 0.5 and steps < 10_000:
        z -= 1.0 * slope(1 / (1 + np.exp(-z)))
        steps += 1
    steps_needed[name] = steps
    print(f"{name}: {steps} steps from z = -8 (p = 0.0003) until the cat is called a cat (p > 0.5)")

z_grid = np.linspace(-10, 10, 401)
p_grid_z = sigmoid_of(z_grid)
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(z_grid, p_grid_z - 1, lw=2, label=r"cross-entropy: $dL/dz = p - y$")
ax.plot(z_grid, 2 * (p_grid_z - 1) * p_grid_z * (1 - p_grid_z), lw=2, ls="--",
        label=r"squared error: $dL/dz = 2(p - y)\,\sigma'(z)$")
ax.axvspan(-10, -4, color="tab:red", alpha=0.08)
ax.text(-7, -0.55, "confidently wrong:\nsquared error is flat", ha="center", fontsize="small")
ax.axhline(0, color="gray", lw=0.8)
ax.set_xlabel("score z of a cat (y = 1); p = sigmoid(z)")
ax.set_ylabel("slope dL/dz")
ax.legend(loc="lower right", fontsize="small")
plt.show()

# %% [markdown]
# The same holds for several classes. With a softmax output and the categorical
# cross-entropy the slope with respect to the scores is, sample by sample,
# $P - Y$ (notebook 05 derives it; averaged over $n$ samples it is divided by
# $n$): no $\sigma'$ factor, however sure and wrong the network is. You can
# measure it on your own `cross_entropy_from_logits`:

# %%
Z_slope = np.array([[2.0, -1.0, 0.5], [-6.0, 6.0, 0.0]])   # sample 2 is a sure mistake: its right class is 0
Y_slope = np.array([[1, 0, 0], [1, 0, 0]])
try:
    measured = np.zeros_like(Z_slope)
    for i in range(Z_slope.shape[0]):
        for c in range(Z_slope.shape[1]):
            step = np.zeros_like(Z_slope)
            step[i, c] = 1e-5
            measured[i, c] = (cross_entropy_from_logits(Z_slope + step, Y_slope)
                              - cross_entropy_from_logits(Z_slope - step, Y_slope)) / 2e-5
    print("measured slope of your cross_entropy_from_logits:\n", np.round(measured, 4))
    print("(softmax(Z) - Y) / n:\n", np.round((softmax(Z_slope) - Y_slope) / Z_slope.shape[0], 4))
except NotImplementedError:
    not_yet("cross_entropy_from_logits", to="measure its slope")

# %% [markdown]
# So the cross-entropy is the loss for classifiers not mainly because it punishes
# confident mistakes with large numbers, but because its slope stays large
# exactly when the network is confidently wrong, so training corrects the worst
# mistakes fastest. A squared error after a sigmoid learns slowest when it is
# most wrong. (Notebook 05 meets the same factor $\sigma'$ inside a network: a
# saturated hidden neuron learns slowly for the same reason.)

# %% [markdown]
# ## 5. Accuracy versus loss
#
# What we usually want to know about a classifier is its **accuracy**: the
# fraction of samples whose predicted class is right. The predicted class of a
# sample is the class with the largest probability (or, the same thing, the
# largest score), `np.argmax` along each row.

# %% [markdown]
# ### Exercise 6: accuracy (1 point)
#
# Write `accuracy(P, labels)`:
#
# * `P`: probabilities or raw scores, shape `(n, k)` with `k >= 2`;
# * `labels`: the right classes as integers, shape `(n,)`;
# * return the fraction (between 0 and 1, not a count) of rows whose largest
#   entry is in the column of the right class.

# %% nbgrader={"grade": false, "grade_id": "accuracy", "locked": false, "schema_version": 3, "solution": true}
def accuracy(P, labels):
    """Fraction of samples whose highest-scoring class equals the label.

    P: probabilities or scores (n, k); labels: integer classes (n,). Returns a number in [0, 1].
    """
    ### BEGIN SOLUTION
    return float(np.mean(np.argmax(P, axis=1) == labels))
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# The predicted class of a sample is the column with the highest score in its row.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# `np.argmax(P, axis=1)` gives one class per row; compare it with the labels and take the mean of the True/False array.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "accuracy_test", "locked": true, "points": 1, "schema_version": 3, "solution": false}
from nnlearn.testing import call, check_scalar

# Predicted classes 0, 1, 0, 1, 0 against labels 0, 1, 1, 1, 1: 3 of 5 right.
P_check = np.array([[0.7, 0.3], [0.4, 0.6], [0.9, 0.1], [0.2, 0.8], [0.55, 0.45]])
check_scalar("accuracy(P_check, np.array([0, 1, 1, 1, 1]))",
             call(accuracy, P_check, np.array([0, 1, 1, 1, 1])), 0.6, n=5)

# Raw scores of three classes work the same way: predicted 0, 1, 1 against 0, 1, 2.
Z_check = np.array([[2.0, -1.0, 0.5], [-3.0, -2.0, -4.0], [0.0, 5.0, 1.0]])
check_scalar("accuracy(Z_check, np.array([0, 1, 2]))", call(accuracy, Z_check, np.array([0, 1, 2])), 2 / 3, n=3)

### BEGIN HIDDEN TESTS
from nnlearn.metrics import accuracy as reference_accuracy

hidden_rng = np.random.default_rng(20260306)
for hidden_n, hidden_k in [(1, 2), (10, 3), (7, 5), (40, 2), (3, 8)]:
    hidden_Z = hidden_rng.normal(size=(hidden_n, hidden_k))
    hidden_labels = hidden_rng.integers(0, hidden_k, size=hidden_n)
    check_scalar(f"accuracy(P, labels) for P of shape {hidden_Z.shape}", call(accuracy, hidden_Z, hidden_labels),
                 reference_accuracy(hidden_labels, hidden_Z), n=hidden_n)
hidden_Z = hidden_rng.normal(size=(6, 4))
hidden_best = np.argmax(hidden_Z, axis=1)
check_scalar("accuracy(P, labels) when every prediction is right", call(accuracy, hidden_Z, hidden_best), 1.0)
check_scalar("accuracy(P, labels) when every prediction is wrong",
             call(accuracy, hidden_Z, ((hidden_best + 1) % 4).astype(np.int32)), 0.0)
### END HIDDEN TESTS
print("accuracy: all tests in this cell passed.")

# %% [markdown]
# ### Why we cannot train on the accuracy
#
# If the accuracy is what we want, why not adjust the weights to make it larger
# directly? Because it changes in **jumps**. Take the simplest classifier with a
# single parameter: a threshold $t$ on a one-dimensional input. It calls a sample
# "cat" with probability $p = \sigma(2(x - t))$, so everything right of $t$ is
# more likely a cat. The plot shows, for every $t$, the accuracy and the
# cross-entropy of this classifier on 20 points.
#
# The accuracy is a **staircase**: it stays flat while $t$ moves between two data
# points and jumps when $t$ crosses one. Its slope is 0 almost everywhere (and
# undefined at the jumps), so it never tells us which way to move $t$. The
# cross-entropy changes smoothly with $t$; its slope points toward better
# thresholds everywhere, and its minimum sits where the accuracy is high. Training
# descends the loss and watches the accuracy.

# %%
threshold_rng = np.random.default_rng(7)
x_points = np.concatenate([threshold_rng.normal(-1.0, 1.0, 10), threshold_rng.normal(1.0, 1.0, 10)])
y_points = np.concatenate([np.zeros(10), np.ones(10)])       # 0 = dog, 1 = cat
thresholds = np.linspace(-3, 3, 601)


def threshold_accuracy(t):
    return np.mean((x_points > t) == (y_points == 1))


def threshold_loss(t):
    """Binary cross-entropy of sigmoid(2 (x - t)), from the scores: log(1 + e^z) - y z."""
    z = 2.0 * (x_points - t)
    return np.mean(np.logaddexp(0.0, z) - y_points * z)


accuracies = np.array([threshold_accuracy(t) for t in thresholds])
losses = np.array([threshold_loss(t) for t in thresholds])

fig, (ax_acc, ax_loss) = plt.subplots(2, 1, figsize=(7, 5), sharex=True)
ax_acc.plot(thresholds, accuracies, color="tab:green", lw=2, drawstyle="steps-post")
ax_acc.plot(x_points, np.full(20, 0.42), "|", color="k", markersize=12)
ax_acc.set_ylabel("accuracy")
ax_acc.set_title("accuracy: flat between the data points (marked |), jumps at them")
ax_loss.plot(thresholds, losses, lw=2)
ax_loss.axvline(thresholds[np.argmin(losses)], color="gray", ls=":", label="minimum of the loss")
ax_loss.set_xlabel("threshold t (the only parameter)")
ax_loss.set_ylabel("cross-entropy")
ax_loss.legend()
plt.show()

# Slopes estimated from a small step h: what gradient descent would see.
h = 1e-4
for t in [-1.5, 0.3, 1.2]:
    acc_slope = (threshold_accuracy(t + h) - threshold_accuracy(t - h)) / (2 * h)
    loss_slope = (threshold_loss(t + h) - threshold_loss(t - h)) / (2 * h)
    print(f"t = {t:+.1f}:  slope of the accuracy {acc_slope:+.3f},  slope of the loss {loss_slope:+.3f}")

# %% [markdown]
# The loss also tells apart predictions that the accuracy treats as equal: a cat
# called "51 % cat" and one called "99 % cat" both count as right, but the first
# costs $-\log 0.51 = 0.67$ and the second only $0.01$. Pushing the loss down makes
# the network more *sure* of its right answers, not just right by a hair.

# %% [markdown]
# ## 6. The loss landscape
#
# For a fixed data set the loss depends only on the network's parameters. Drawn
# as a function of the parameters it is the **loss landscape**, and training
# means walking downhill in it (notebook 04 shows how).
#
# Take 20 points and the simplest models for them: straight lines.
#
# * **One parameter:** the line $\hat y = w x$ through the origin. The loss
#   $\text{MSE}(w)$ is a curve over the $w$-axis: here a parabola, with a
#   lowest point at the best slope.
# * **Two parameters:** the line $\hat y = w x + b$. The loss
#   $\text{MSE}(w, b)$ is a surface over the $(w, b)$-plane. We draw it like a
#   hiking map, with contour lines through points of equal loss; the minimum is
#   in the middle of the innermost ring. The one-parameter curve is the slice of
#   this surface along $b = 0$.
#
# Each model has one best slope, and the two differ: without a bias the line must
# pass through the origin, so its best slope ($w \approx 1.43$) is a compromise;
# with a bias it can shift up and follow the data ($w \approx 1.51$).

# %%
line_rng = np.random.default_rng(11)
x_line = line_rng.uniform(-2, 2, 20)
y_line = 1.5 * x_line + 1.0 + line_rng.normal(0, 0.5, 20)

w_values = np.linspace(-1.5, 4.5, 121)
b_values = np.linspace(-2.0, 4.0, 121)
loss_1d = np.array([np.mean((w * x_line - y_line) ** 2) for w in w_values])
W_grid, B_grid = np.meshgrid(w_values, b_values)
loss_2d = np.mean((W_grid[..., None] * x_line + B_grid[..., None] - y_line) ** 2, axis=-1)

# The lowest points, exactly (the least-squares formulas; a grid would only get near them).
w_best = np.sum(x_line * y_line) / np.sum(x_line ** 2)                  # line through the origin
w_best_2d = np.sum((x_line - x_line.mean()) * (y_line - y_line.mean())) / np.sum((x_line - x_line.mean()) ** 2)
b_best_2d = y_line.mean() - w_best_2d * x_line.mean()                    # line with a bias

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
ax1.plot(w_values, loss_1d, lw=2)
ax1.plot(w_best, np.mean((w_best * x_line - y_line) ** 2), "ko")
ax1.set_xlabel("w")
ax1.set_ylabel("MSE")
ax1.set_title(r"one parameter: $\hat y = w x$")
contours = ax2.contour(W_grid, B_grid, loss_2d, levels=np.geomspace(0.25, 30, 14), cmap="viridis")
ax2.clabel(contours, fmt="%.2g", fontsize=7)
ax2.plot(w_best_2d, b_best_2d, "k*", markersize=12, label="lowest loss")
ax2.axhline(0.0, color="tab:blue", ls="--", lw=1, label="b = 0: the left curve")
ax2.set_xlabel("w")
ax2.set_ylabel("b")
ax2.set_title(r"two parameters: $\hat y = w x + b$")
ax2.legend(loc="upper left", fontsize="small")
plt.show()
mse_origin = np.mean((w_best * x_line - y_line) ** 2)
mse_bias = np.mean((w_best_2d * x_line + b_best_2d - y_line) ** 2)
print(f"best line through the origin: w = {w_best:.3f},            MSE = {mse_origin:.3f}")
print(f"best line with a bias:        w = {w_best_2d:.3f}, b = {b_best_2d:.3f}, MSE = {mse_bias:.3f}")

# %% [markdown]
# ### Try it: walk through the landscape by hand
#
# The sliders set $w$ and $b$. The left panel shows the line over the data, with
# the errors as thin vertical segments; the right panel marks where you are in
# the landscape. The title shows **your** `mse` of the line's predictions. Try to
# reach the star by moving one slider at a time.

# %% tags=["nbval-ignore-output"]
# NBVAL_IGNORE_OUTPUT
def draw_line_fit(ax, w=0.0, b=0.0):
    fig = ax.figure
    ax.remove()
    ax_fit, ax_map = fig.subplots(1, 2)
    x_draw = np.array([-2.2, 2.2])
    ax_fit.plot(x_line, y_line, "o", label="data")
    ax_fit.plot(x_draw, w * x_draw + b, "r-", lw=2, label="your line")
    ax_fit.vlines(x_line, y_line, w * x_line + b, color="r", lw=0.8, alpha=0.6)
    ax_fit.set_ylim(-6, 8)
    ax_fit.set_xlabel("x")
    ax_fit.legend(loc="upper left", fontsize="small")
    ax_map.contour(W_grid, B_grid, loss_2d, levels=np.geomspace(0.25, 30, 14), cmap="viridis")
    ax_map.plot(w_best_2d, b_best_2d, "k*", markersize=12)
    ax_map.plot(w, b, "ro", markersize=8)
    ax_map.set_xlabel("w")
    ax_map.set_ylabel("b")
    try:
        ax_fit.set_title(f"your mse: {mse(w * x_line + b, y_line):.3f}")
    except NotImplementedError:
        ax_fit.set_title("Not yet: write mse above to see the loss here")


interactive_plot(draw_line_fit, w=(-1.5, 4.5, 0.05, 0.0), b=(-2.0, 4.0, 0.05, 0.0), figsize=(10, 4))

# %% [markdown]
# Real networks have thousands or millions of parameters, so their landscape
# cannot be drawn, and it is no longer a simple bowl: it has valleys, plateaus and
# many low points. The idea stays the same: the loss is a function of all the
# weights, and training looks for a low point of it.

# %% [markdown]
# ## 7. Unseen data: the train/test split and overfitting
#
# A network is useful only if it works on inputs it has **not** seen during
# training: new photos, tomorrow's weather. A low loss on the training data does
# not show that. A model can drive its training loss to zero by memorising the
# training points and still be poor on everything else; this is called
# **overfitting**.
#
# So before training we put part of the data aside, the **test set**, and never
# train on it. A common choice is **80/20**: 80 % of the samples for training,
# 20 % for testing. The loss (or accuracy) on the test set estimates how the
# model will do on new data, as long as the test set plays no part in building
# the model: nothing is trained on it, and nothing is chosen with it (section 8
# shows where the choices are made instead).
#
# The samples must be **shuffled** before splitting. Data sets are often stored
# in order (all cats first, then all dogs, or sorted by date), and the last 20 %
# of an ordered file is not a fair sample. Shuffling must keep every input with
# its own label: move the rows of `X` and the entries of `y` with the **same**
# permutation.

# %% [markdown]
# ### Exercise 7: an 80/20 train/test split (3 points)
#
# Write `train_test_split(X, y, test_size=0.2, seed=None)`:
#
# * `X`: inputs, shape `(n, ...)` (one sample per row); `y`: targets, shape `(n,)`
#   or `(n, k)`;
# * `test_size` is the **fraction** of the samples that goes into the test set
#   (between 0 and 1): the test set gets `n_test = round(test_size * n)` samples,
#   the training set the other `n - n_test`. (The name is scikit-learn's, and the
#   course library's `train_test_split`, used in notebook 06, has it too; there it
#   may also be a whole number of samples. Here a fraction is enough.)
# * shuffle with a random generator made from the seed,
#   `rng = np.random.default_rng(seed)`, so that the same seed always gives the
#   same split. `rng.permutation(n)` returns the numbers `0 .. n-1` in random
#   order: use it to pick the rows of both `X` and `y`;
# * return `X_train, X_test, y_train, y_test`; every sample ends up in exactly one
#   of the two sets, and `X`, `y` themselves are left unchanged.

# %% nbgrader={"grade": false, "grade_id": "train_test_split", "locked": false, "schema_version": 3, "solution": true}
def train_test_split(X, y, test_size=0.2, seed=None):
    """Shuffle the samples and split them into a training and a test set.

    X: (n, ...), y: (n,) or (n, k). The test set gets round(test_size * n) samples.
    Returns X_train, X_test, y_train, y_test.
    """
    ### BEGIN SOLUTION
    X, y = np.asarray(X), np.asarray(y)
    n = X.shape[0]
    n_test = round(test_size * n)
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# Shuffle the sample indices, not X and y separately: the same permutation must reorder both, or the labels no longer belong to their samples.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# Use a generator made from the seed, `np.random.default_rng(seed)`, and its `permutation(n)`. The first `round(test_size * n)` shuffled indices are the test set, the rest the training set.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# Index X and y with the two index arrays and return them in the order the docstring gives: X_train, X_test, y_train, y_test.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "train_test_split_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_shape, check_type


def split_parts(X, y, **kwargs):
    """Call train_test_split and check that it returns four arrays."""
    parts = call(train_test_split, X, y, **kwargs)
    check_type("train_test_split(X, y, ...)", parts, (tuple, list))
    if len(parts) != 4:
        raise CheckFailed(f"train_test_split(X, y, ...) returned {len(parts)} values; expected 4: "
                          "X_train, X_test, y_train, y_test (in this order).")
    return [np.asarray(part) for part in parts]


# 30 samples whose row i is [i, i**2], with y[i] = 10 * i, so that we can tell where every row went.
X_split = np.column_stack([np.arange(30.0), np.arange(30.0) ** 2])
y_split = 10 * np.arange(30)
X_split_copy, y_split_copy = X_split.copy(), y_split.copy()
X_train, X_test, y_train, y_test = split_parts(X_split, y_split, test_size=0.2, seed=0)
for name, part, shape in [("X_train", X_train, (24, 2)), ("X_test", X_test, (6, 2)),
                          ("y_train", y_train, (24,)), ("y_test", y_test, (6,))]:
    check_shape(f"{name} of train_test_split(X_split, y_split, test_size=0.2, seed=0)", part, shape)
if not (np.array_equal(X_split, X_split_copy) and np.array_equal(y_split, y_split_copy)):
    raise CheckFailed("train_test_split changed the X or y it was given (did you shuffle them in place?). "
                      "Pick rows with an index array instead: X[order].")
ids = np.concatenate([X_train[:, 0], X_test[:, 0]])
if not np.array_equal(np.sort(ids), np.arange(30.0)) or not np.array_equal(X_train[:, 1], X_train[:, 0] ** 2):
    raise CheckFailed("Some samples of X are lost, duplicated or mixed up: every row must land, whole, in "
                      "exactly one of X_train and X_test. Take the test rows from the first n_test entries "
                      "of one permutation and the training rows from the rest.")
if not (np.array_equal(y_train, 10 * X_train[:, 0]) and np.array_equal(y_test, 10 * X_test[:, 0])):
    raise CheckFailed("X and y are no longer paired: y_train[i] must be the target of X_train[i] (the same for "
                      "the test set). Shuffle X and y with the same permutation.")
test_ids = set(X_test[:, 0].tolist())
if test_ids in ({24.0, 25.0, 26.0, 27.0, 28.0, 29.0}, {0.0, 1.0, 2.0, 3.0, 4.0, 5.0}):
    raise CheckFailed(f"The test set holds the samples {sorted(int(i) for i in test_ids)}: the first or last 20 % "
                      "of X. The split is not shuffled: use rng.permutation(n).")
again = split_parts(X_split, y_split, test_size=0.2, seed=0)
if not all(np.array_equal(a, b) for a, b in zip(again, [X_train, X_test, y_train, y_test])):
    raise CheckFailed("train_test_split(X, y, seed=0) gave a different split the second time: make the random "
                      "generator from the seed, rng = np.random.default_rng(seed).")
other = split_parts(X_split, y_split, test_size=0.2, seed=1)
if set(other[1][:, 0].tolist()) == test_ids:
    raise CheckFailed("seed=0 and seed=1 gave the same test set: is the seed used?")

# Sizes: 0.2 * 8 = 1.6, which rounds to 2 test samples.
parts = split_parts(np.arange(8.0).reshape(8, 1), np.arange(8), test_size=0.2, seed=3)
if len(parts[1]) == 1:
    raise CheckFailed("train_test_split(X with 8 rows, y, test_size=0.2) put 1 sample in the test set; expected "
                      "round(0.2 * 8) = round(1.6) = 2. int(...) rounds down: use round(test_size * n).")
check_shape("X_test of train_test_split(X with 8 rows, y, test_size=0.2)", parts[1], (2, 1))
check_shape("X_train of train_test_split(X with 8 rows, y, test_size=0.2)", parts[0], (6, 1))

### BEGIN HIDDEN TESTS
hidden_rng = np.random.default_rng(20260307)
for hidden_n, hidden_fraction, hidden_y_cols in [(5, 0.2, 0), (8, 0.2, 2), (13, 0.2, 0), (50, 0.2, 3), (101, 0.2, 0),
                                                 (10, 0.3, 0), (12, 0.25, 1), (40, 0.1, 0)]:
    hidden_n_test = round(hidden_fraction * hidden_n)
    hidden_X = np.column_stack([np.arange(hidden_n, dtype=float), hidden_rng.normal(size=(hidden_n, 2))])
    hidden_y = 100.0 * np.arange(hidden_n) if hidden_y_cols == 0 else \
        100.0 * np.arange(hidden_n)[:, None] + np.arange(hidden_y_cols)
    hidden_X_copy = hidden_X.copy()
    hidden_parts = split_parts(hidden_X, hidden_y, test_size=hidden_fraction, seed=5)
    where = f"train_test_split for n = {hidden_n}, test_size = {hidden_fraction}"
    check_shape(f"X_train of {where}", hidden_parts[0], (hidden_n - hidden_n_test, 3))
    check_shape(f"X_test of {where}", hidden_parts[1], (hidden_n_test, 3))
    check_shape(f"y_train of {where}", hidden_parts[2], (hidden_n - hidden_n_test,) + hidden_y.shape[1:])
    check_shape(f"y_test of {where}", hidden_parts[3], (hidden_n_test,) + hidden_y.shape[1:])
    if not np.array_equal(hidden_X, hidden_X_copy):
        raise CheckFailed(f"{where}: X was changed")
    hidden_all_X = np.concatenate([hidden_parts[0], hidden_parts[1]])
    hidden_all_y = np.concatenate([hidden_parts[2], hidden_parts[3]])
    if not np.array_equal(np.sort(hidden_all_X[:, 0]), np.arange(hidden_n)):
        raise CheckFailed(f"{where}: samples lost or duplicated")
    if not np.array_equal(hidden_X[hidden_all_X[:, 0].astype(int)], hidden_all_X):
        raise CheckFailed(f"{where}: rows of X are mixed up")
    hidden_first_y = hidden_all_y if hidden_y_cols == 0 else hidden_all_y[:, 0]
    if not np.array_equal(hidden_first_y, 100.0 * hidden_all_X[:, 0]) or \
            (hidden_y_cols and not np.array_equal(hidden_all_y, hidden_y[hidden_all_X[:, 0].astype(int)])):
        raise CheckFailed(f"{where}: X and y are no longer paired")
    hidden_again = split_parts(hidden_X, hidden_y, test_size=hidden_fraction, seed=5)
    if not all(np.array_equal(a, b) for a, b in zip(hidden_again, hidden_parts)):
        raise CheckFailed(f"{where}: the same seed gave a different split")
    if hidden_n >= 40:
        hidden_test_ids = set(hidden_parts[1][:, 0].astype(int).tolist())
        if hidden_test_ids in (set(range(hidden_n_test)), set(range(hidden_n - hidden_n_test, hidden_n))):
            raise CheckFailed(f"{where}: the split is not shuffled")
        hidden_other = split_parts(hidden_X, hidden_y, test_size=hidden_fraction, seed=6)
        if set(hidden_other[1][:, 0].astype(int).tolist()) == hidden_test_ids:
            raise CheckFailed(f"{where}: seeds 5 and 6 gave the same test set")
# The default fraction is 0.2, and images (n, h, w) split along the first axis only.
hidden_images = np.arange(20 * 3 * 4, dtype=float).reshape(20, 3, 4)
hidden_parts = split_parts(hidden_images, np.arange(20), seed=2)
check_shape("X_train of train_test_split(images of shape (20, 3, 4), y) with the default fraction",
            hidden_parts[0], (16, 3, 4))
check_shape("X_test of train_test_split(images of shape (20, 3, 4), y) with the default fraction",
            hidden_parts[1], (4, 3, 4))
if not np.array_equal(hidden_parts[1], hidden_images[hidden_parts[3]]):
    raise CheckFailed("train_test_split of images: the test images do not match their labels")
### END HIDDEN TESTS
print("train_test_split: all tests in this cell passed.")

# %% [markdown]
# ### Overfitting, seen
#
# Here are 30 noisy measurements of a smooth curve (the dashed line, which the
# models do not know). We split them 80/20 with your `train_test_split` and fit
# two models on the 24 training points:
#
# * a **memoriser**: for any input it looks up the nearest training point and
#   returns that point's $y$ (a "1-nearest-neighbour" model). On its own training
#   points it is perfect, so its training error is exactly 0;
# * a **small model**: a cubic polynomial, with only 4 parameters. It cannot pass
#   through every point, so its training error is not 0.
#
# The held-out test points show the difference. The memoriser has learned the
# noise of every training point along with the curve; between the training points
# it jumps around, and its test error is much larger than the cubic's.

# %%
noise_rng = np.random.default_rng(3)
x_all = noise_rng.uniform(-3, 3, 30)
y_all = np.sin(x_all) + noise_rng.normal(0, 0.35, 30)      # a smooth curve plus noise

try:
    x_train, x_test, y_train, y_test = train_test_split(x_all, y_all, test_size=0.2, seed=0)
except NotImplementedError:
    not_yet("train_test_split", to="split at random (until then, the test set here is simply the last 6 points)")
    x_train, x_test, y_train, y_test = x_all[:24], x_all[24:], y_all[:24], y_all[24:]


def memoriser(x_query):
    """Return the y of the nearest training point (1-nearest neighbour)."""
    nearest = np.abs(np.asarray(x_query)[:, None] - x_train[None, :]).argmin(axis=1)
    return y_train[nearest]


def fit_polynomial(x, y, degree):
    """Least-squares polynomial of the given degree; returns the fitted function."""
    basis = lambda v: np.polynomial.legendre.legvander(np.asarray(v) / 3.0, degree)  # well-conditioned
    coefficients, *_ = np.linalg.lstsq(basis(x), y, rcond=None)
    return lambda v: basis(v) @ coefficients


cubic = fit_polynomial(x_train, y_train, 3)
x_plot = np.linspace(-3, 3, 600)
fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
for ax, model, name in [(axes[0], memoriser, "memoriser (1-nearest neighbour)"), (axes[1], cubic, "cubic polynomial")]:
    ax.plot(x_plot, np.sin(x_plot), "k--", lw=1, label="true curve")
    ax.plot(x_plot, model(x_plot), color="tab:red", lw=2, label="model")
    ax.plot(x_train, y_train, "o", color="tab:blue", label="training points (80 %)")
    ax.plot(x_test, y_test, "s", color="tab:orange", markersize=8, label="test points (20 %)")
    ax.set_title(f"{name}\ntraining MSE {np.mean((model(x_train) - y_train) ** 2):.3f}, "
                 f"test MSE {np.mean((model(x_test) - y_test) ** 2):.3f}")
    ax.set_xlabel("x")
axes[0].legend(loc="lower right", fontsize="small")
plt.show()

# %% [markdown]
# The memoriser's training error of 0 is not a sign of quality: it says nothing
# about new inputs. Only the error on the held-out points does. A classifier
# overfits the same way: its decision boundary bends around every single
# training point instead of following the real border between the classes
# (notebook 05 shows this with a network).

# %% [markdown]
# ## 8. Choosing and stopping: the validation set
#
# Here we only *looked* at two fixed models. Building a model always involves
# choices as well: the degree of a polynomial, the number of neurons, the learning
# rate, how long to train. It is tempting to try several and keep the one with the
# lowest test error. But then the test set has taken part in building the model.
# With only a few test points, some setting will look good partly by luck, the
# luck of those particular points and their noise, and choosing it makes that luck
# part of the score. The test error of the chosen model is then too optimistic,
# and nothing is left to measure it honestly.
#
# So we split **three** ways:
#
# * a **training set** that the model is fitted to;
# * a **validation set**, taken from the training data before any fitting, on which
#   we compare settings, choose one and decide when to stop training;
# * a **test set**, put aside first and used **once**, at the very end, after every
#   choice is made, to report how good the final model is.
#
# Your `train_test_split` does both cuts: first the test set off the whole data,
# then the validation set off what is left. With 100 samples, `test_size=0.2` and
# then `test_size=0.25` give 60 samples to fit, 20 to validate and 20 to test. If
# you look at the test score and then change anything, the test set has become a
# second validation set, and you need a fresh test set to report.
#
# Below, the degree of a polynomial is chosen this way: each degree is fitted to
# the 60 fitting samples and compared on the 20 validation samples; the test set
# then measures the chosen one, once.

# %%
data_rng = np.random.default_rng(12)
x_data = data_rng.uniform(-3, 3, 100)
y_data = np.sin(x_data) + data_rng.normal(0, 0.35, 100)     # the same curve and noise as above

try:
    x_train80, x_test20, y_train80, y_test20 = train_test_split(x_data, y_data, test_size=0.2, seed=0)
    x_fit, x_val, y_fit, y_val = train_test_split(x_train80, y_train80, test_size=0.25, seed=1)
except NotImplementedError:
    not_yet("train_test_split", to="split at random (until then, the three sets here are consecutive blocks)")
    x_fit, x_val, x_test20 = x_data[:60], x_data[60:80], x_data[80:]
    y_fit, y_val, y_test20 = y_data[:60], y_data[60:80], y_data[80:]
print(f"{len(x_fit)} samples to fit, {len(x_val)} to validate, {len(x_test20)} to test")

degrees_tried = np.arange(0, 12)
fit_errors, val_errors = [], []
for degree in degrees_tried:
    model = fit_polynomial(x_fit, y_fit, degree)
    fit_errors.append(np.mean((model(x_fit) - y_fit) ** 2))
    val_errors.append(np.mean((model(x_val) - y_val) ** 2))
chosen_degree = int(degrees_tried[np.argmin(val_errors)])

fig, ax = plt.subplots(figsize=(7, 3.8))
ax.semilogy(degrees_tried, fit_errors, "o-", label="training MSE (60 samples)")
ax.semilogy(degrees_tried, val_errors, "s-", label="validation MSE (20 samples)")
ax.axvline(chosen_degree, color="gray", ls=":", label=f"chosen: degree {chosen_degree}")
ax.set_xlabel("degree of the polynomial")
ax.set_ylabel("MSE (log scale)")
ax.legend()
plt.show()

# The choice is made. Now, and only now, the test set is used, once.
final_model = fit_polynomial(x_fit, y_fit, chosen_degree)
print(f"chosen on the validation set: degree {chosen_degree} (validation MSE {min(val_errors):.3f})")
print(f"test MSE of the chosen model, measured once at the end: {np.mean((final_model(x_test20) - y_test20) ** 2):.3f}")

# %% [markdown]
# Notice that the validation MSE of the winner is the smallest of 12 numbers: it
# is itself a little optimistic, for the reason above, so it is not the number
# to report. The test MSE is an honest estimate, though with only 20 test points
# not a precise one (section 9 shows how much such an estimate scatters).
#
# ### Early stopping
#
# A network is trained in **epochs**: one epoch is one pass through the training
# data, in many small steps downhill (notebook 04). After every epoch we can
# measure the loss on the validation set. The training loss keeps falling, since
# that is what training pushes down. The validation loss usually falls at first,
# while the model learns the shape of the data, and then rises again, when the
# model begins to fit the noise of the training samples: it overfits.
#
# **Early stopping** uses that: keep the weights from the epoch with the **lowest
# validation loss**, and stop training once the validation loss has stopped
# improving. Since the validation loss wiggles from epoch to epoch, one epoch
# without improvement is no reason to stop; we wait a few. That number of epochs
# is the **patience**. Precisely:
#
# * go through the epochs in order, remembering the lowest validation loss so far
#   and its epoch;
# * an epoch **improves** if its validation loss is strictly lower than the lowest
#   so far (an equal loss does not improve);
# * as soon as `patience` epochs **in a row** have not improved, stop: the epochs
#   after that are never trained, so their losses are never seen;
# * keep the weights of the epoch with the lowest validation loss seen.
#
# For example, with the validation losses `[0.9, 0.7, 0.6, 0.65, 0.7, 0.8]` and a
# patience of 2, epoch 2 has the lowest loss; epochs 3 and 4 do not improve on it,
# so training stops after epoch 4 and keeps the weights of epoch 2. (Epoch 5 is
# never trained.) The test set plays no part in any of this: stopping is a choice,
# and choices are made on the validation set.

# %% [markdown]
# ### Exercise 8: early stopping on the validation loss (2 points)
#
# Write `best_epoch(val_losses, patience)`:
#
# * `val_losses`: the validation loss after each epoch, a list or a 1-D NumPy
#   array with at least one entry; `val_losses[0]` belongs to epoch 0 (epochs are
#   counted from 0, like the entries);
# * `patience`: a whole number, at least 1;
# * follow the rules above: stop as soon as `patience` epochs in a row have not
#   improved (do not look at the losses after that), and return the epoch of the
#   lowest validation loss seen up to then, as an `int` (its index in
#   `val_losses`);
# * if training never stops, return the epoch of the lowest loss of all; when the
#   lowest loss occurs in several epochs, the first of them.
#
# A loop over the epochs with two or three variables is enough.

# %% nbgrader={"grade": false, "grade_id": "best_epoch", "locked": false, "schema_version": 3, "solution": true}
def best_epoch(val_losses, patience):
    """Early stopping: the epoch whose weights to keep.

    val_losses: validation loss after each epoch (list or 1-D array), epoch 0 first.
    patience: stop after this many epochs in a row without a strictly lower loss.
    Returns the index of the lowest validation loss seen before stopping.
    """
    ### BEGIN SOLUTION
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        elif epoch - best >= patience:
            break
    return best
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# Walk through the epochs in order and remember the best (lowest) validation loss seen so far and the epoch it came from.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# An epoch counts as an improvement only if its loss is strictly lower than the best so far. Count how many epochs have passed since the best one; when that reaches `patience`, stop looking.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# Return the epoch of the best loss, not the epoch where you stopped. Epoch 0 is the first one, and an empty wait (patience never reached) simply means you looked at every epoch.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "best_epoch_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_type


def check_best_epoch(losses, patience, expected, story, mistakes):
    """Check best_epoch(losses, patience) against the expected epoch; `mistakes` maps the answers
    that the usual mistakes give on these losses to an explanation."""
    shown = f"np.array({losses.tolist()})" if isinstance(losses, np.ndarray) else f"{losses}"
    name = f"best_epoch({shown}, patience={patience})"
    got = call(best_epoch, losses, patience)
    if isinstance(got, (float, np.floating)) and any(got == loss for loss in losses):
        raise CheckFailed(f"{name} returned {got}, which is a validation loss. Return its epoch: the index of "
                          "that loss in val_losses, counted from 0.")
    check_type(name, got, int)
    if got != expected:
        raise CheckFailed(f"{name} = {got}, expected {expected} ({story}). "
                          + mistakes.get(got, "Go through the epochs in order and stop as the text says."))


def lowest_of_all(stop):
    return (f"That is the epoch of the lowest loss of ALL epochs. But training stopped after epoch {stop}, "
            "when the patience ran out: the later epochs are never trained, and their losses never seen.")


def stopping_epoch(stop):
    return (f"That is the epoch after which training stopped ({stop}). Return the epoch whose weights are "
            "kept: the one with the lowest validation loss seen.")


ONE_MORE = "That is one too many: epochs are counted from 0, so epoch e is val_losses[e]."

check_best_epoch([0.9, 0.7, 0.6, 0.65, 0.7, 0.8], 2, 2, "the example of the text",
                 {4: stopping_epoch(4), 3: ONE_MORE})
check_best_epoch([1.0, 0.8, 0.9, 0.95, 1.0, 1.1, 0.5], 3, 1,
                 "3 epochs without improvement after epoch 1 stop the training before the dip at epoch 6",
                 {6: lowest_of_all(4), 4: stopping_epoch(4), 2: ONE_MORE})
check_best_epoch([1.0, 0.8, 0.9, 0.95, 1.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.3], 3, 1,
                 "epochs 2, 3 and 4 do not improve on epoch 1, so epoch 5 is never trained",
                 {5: "That is what you get when you wait 4 epochs without improvement instead of 3: stop as soon "
                     "as 3 epochs in a row have not improved.",
                  10: lowest_of_all(4), 4: stopping_epoch(4), 2: ONE_MORE})
check_best_epoch([1.0, 0.8, 0.85, 0.7, 0.75, 0.6, 0.62, 0.64, 0.66, 0.4], 2, 5,
                 "single epochs without improvement do not stop the training; two in a row do",
                 {1: "That is what you get when you stop after 1 epoch without improvement instead of 2: "
                     "wait for `patience` epochs in a row.",
                  9: lowest_of_all(7), 7: stopping_epoch(7), 6: ONE_MORE})
check_best_epoch([1.0, 0.5, 0.6, 0.55, 0.58, 0.57, 0.4, 0.45, 0.5, 0.55, 0.3], 3, 1,
                 "epochs 2, 3 and 4 do not get below 0.5, although epoch 3 is lower than epoch 2",
                 {6: "That is what you get when you count only the epochs whose loss rose compared with the epoch "
                     "before. An epoch fails to improve when its loss is not lower than the lowest loss so far, "
                     "even if it is lower than the previous epoch's.",
                  10: lowest_of_all(4), 4: stopping_epoch(4), 2: ONE_MORE})
check_best_epoch([1.0, 0.7, 0.8, 0.7, 0.9], 5, 1, "epochs 1 and 3 tie; the training never stops",
                 {3: "That is a later epoch with the same loss. An equal loss is no improvement: keep the first "
                     "epoch with the lowest loss (compare with <, not <=).",
                  4: "That is the last epoch. Keep the weights of the epoch with the lowest loss.", 2: ONE_MORE})
check_best_epoch(np.array([3.0, 2.0, 1.5, 1.0]), 2, 3, "an array that keeps falling: the training never stops",
                 {4: ONE_MORE})
check_best_epoch([0.5], 1, 0, "a single epoch", {1: ONE_MORE})

### BEGIN HIDDEN TESTS
def hidden_reference_best_epoch(losses, patience):
    best = 0
    for epoch in range(1, len(losses)):
        if losses[epoch] < losses[best]:
            best = epoch
        elif epoch - best >= patience:
            break
    return best


hidden_rng = np.random.default_rng(20260308)
for hidden_case in range(40):
    hidden_n = int(hidden_rng.integers(1, 60))
    hidden_patience = int(hidden_rng.integers(1, 12))
    # A noisy U-shaped validation curve, rounded so that ties occur.
    hidden_t = np.arange(hidden_n)
    hidden_curve = 1.0 / (1.0 + 0.2 * hidden_t) + 0.004 * hidden_t + hidden_rng.normal(0, 0.03, hidden_n)
    hidden_losses = np.round(hidden_curve, 2)
    hidden_as = [hidden_losses.tolist(), hidden_losses, hidden_losses.astype(np.float32)][hidden_case % 3]
    hidden_expected = hidden_reference_best_epoch(hidden_losses.tolist(), hidden_patience)
    hidden_got = call(best_epoch, hidden_as, hidden_patience)
    hidden_name = (f"best_epoch(val_losses, patience={hidden_patience}) for {hidden_n} epochs given as "
                   f"{['a list', 'a float64 array', 'a float32 array'][hidden_case % 3]}")
    check_type(hidden_name, hidden_got, int)
    if hidden_got != hidden_expected:
        raise CheckFailed(f"{hidden_name} = {hidden_got}, expected {hidden_expected}, "
                          f"for val_losses = {hidden_losses.tolist()}")
for hidden_losses, hidden_patience, hidden_expected in [
        ([2.0, 2.0, 2.0, 2.0], 2, 0), ([2.0, 2.0, 2.0, 1.0], 3, 3), ([2.0, 2.0, 2.0, 1.0], 2, 0),
        ([5.0, 4.0, 3.0, 2.0, 1.0], 1, 4), ([1.0, 2.0, 0.5], 1, 0), ([1.0, 2.0, 0.5], 2, 2),
        ([0.3, 0.2, 0.25, 0.2, 0.1], 2, 1), ([0.3, 0.2, 0.25, 0.2, 0.1], 3, 4), ([7.0], 4, 0)]:
    hidden_got = call(best_epoch, hidden_losses, patience=hidden_patience)
    hidden_name = f"best_epoch({hidden_losses}, patience={hidden_patience})"
    check_type(hidden_name, hidden_got, int)
    if hidden_got != hidden_expected:
        raise CheckFailed(f"{hidden_name} = {hidden_got}, expected {hidden_expected}")
### END HIDDEN TESTS
print("best_epoch: all tests in this cell passed.")

# %% [markdown]
# ### Early stopping, seen
#
# A model with 16 parameters (a polynomial of degree 15) is trained on the 60
# fitting samples in small steps, 6 mini-batches of 10 samples per epoch, the way
# notebook 04 will train networks. We train for 200 epochs, longer than early
# stopping would, so that you can see what the epochs after the stop would have
# done; your `best_epoch`, with a patience of 10, decides which weights to keep.
# The test set stays untouched.

# %%
n_params = 16
features_fit = np.polynomial.legendre.legvander(x_fit / 3.0, n_params - 1)
features_val = np.polynomial.legendre.legvander(x_val / 3.0, n_params - 1)
step_rng = np.random.default_rng(0)
weights = np.zeros(n_params)
train_losses, val_losses, weights_per_epoch = [], [], []
# np.einsum("ij,j->i", A, w) is A @ w computed without BLAS: the same numbers on every CPU.
for epoch in range(200):
    order = step_rng.permutation(len(x_fit))
    for start in range(0, len(x_fit), 10):
        batch = order[start:start + 10]
        residual = np.einsum("ij,j->i", features_fit[batch], weights) - y_fit[batch]
        weights -= 0.1 * 2 * np.einsum("ij,i->j", features_fit[batch], residual) / len(batch)
    weights_per_epoch.append(weights.copy())
    train_losses.append(np.mean((np.einsum("ij,j->i", features_fit, weights) - y_fit) ** 2))
    val_losses.append(np.mean((np.einsum("ij,j->i", features_val, weights) - y_val) ** 2))

patience = 10
try:
    kept_epoch = best_epoch(val_losses, patience)
except NotImplementedError:
    not_yet("best_epoch", to="see early stopping (until then, the plot marks the lowest validation loss "
            "of all 200 epochs)")
    kept_epoch = int(np.argmin(val_losses))
stop_epoch = min(kept_epoch + patience, len(val_losses) - 1)
kept_weights = weights_per_epoch[kept_epoch]

fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(train_losses, label="training MSE")
ax.plot(val_losses, label="validation MSE")
ax.axvline(kept_epoch, color="tab:green", ls=":", label=f"kept: epoch {kept_epoch}")
ax.axvspan(stop_epoch, len(val_losses) - 1, color="gray", alpha=0.15, label="never trained with early stopping")
ax.set_xlabel("epoch")
ax.set_ylabel("MSE")
ax.set_ylim(0, 0.5)
ax.legend()
plt.show()
print(f"patience {patience}: training stops after epoch {stop_epoch} and keeps the weights of epoch {kept_epoch}")
print(f"validation MSE at epoch {kept_epoch}: {val_losses[kept_epoch]:.3f};  "
      f"after all 200 epochs it would be {val_losses[-1]:.3f}")
print(f"training MSE at epoch {kept_epoch}: {train_losses[kept_epoch]:.3f};  "
      f"after all 200 epochs it would be {train_losses[-1]:.3f}")

# %% [markdown]
# The training loss would have kept falling for all 200 epochs; the validation
# loss says that after the kept epoch the extra training only fitted noise.
# The patience costs a few epochs of training after the best one; in return, a
# single unlucky epoch does not end the training. If this were the final model,
# its test error would now be measured, once.

# %% [markdown]
# ## 9. Common misconceptions
#
# **"The cost function is the difference between the output and the expected
# value."** A plain difference can be negative, so errors in opposite directions
# cancel: the predictions below are wrong by 1 on every sample, yet the average
# difference is 0. A loss must be 0 only for perfect predictions and positive for
# every mistake, which is why the MSE squares the differences and the
# cross-entropy takes $-\log$ of a probability.

# %%
targets = np.array([1.0, 1.0, 3.0, 3.0])
predictions = np.array([2.0, 0.0, 4.0, 2.0])          # off by 1 everywhere
print("mean difference:        ", np.mean(predictions - targets))
print("mean squared difference:", np.mean((predictions - targets) ** 2))

# %% [markdown]
# **"The network outputs a list of probabilities between 0 and 1."** The output
# layer computes weighted sums, which can be any numbers. They are probabilities
# only after a softmax (or, for one output, a sigmoid) turns them into numbers
# between 0 and 1 that sum to 1.

# %%
layer_rng = np.random.default_rng(0)
X_demo = layer_rng.normal(size=(2, 4))                 # 2 samples, 4 inputs
W_demo = layer_rng.normal(size=(3, 4))                 # 3 output neurons (classes)
b_demo = layer_rng.normal(size=3)
scores = X_demo @ W_demo.T + b_demo
print("raw outputs (scores):\n", np.round(scores, 2), "\nrow sums:", np.round(scores.sum(axis=1), 2))
print("after softmax:\n", np.round(softmax(scores), 3), "\nrow sums:", softmax(scores).sum(axis=1))

# %% [markdown]
# **"The smaller the cost, the better the network."** Only the cost on data the
# network has not trained on, and that played no part in choosing it, says that.
# The memoriser from section 7 reaches a training cost of exactly 0 and is still
# the worse model:

# %%
print(f"memoriser: training MSE {np.mean((memoriser(x_train) - y_train) ** 2):.3f}, "
      f"test MSE {np.mean((memoriser(x_test) - y_test) ** 2):.3f}")
print(f"cubic:     training MSE {np.mean((cubic(x_train) - y_train) ** 2):.3f}, "
      f"test MSE {np.mean((cubic(x_test) - y_test) ** 2):.3f}")

# %% [markdown]
# **"To avoid overfitting, create a deeper network."** Depth is no remedy for
# overfitting. More layers, more neurons, more parameters: all of them add
# *capacity*, the ability to fit more shapes, and a model with more capacity finds
# it easier to memorise the training points, noise included. Below, polynomials
# with more and more parameters stand in for bigger and bigger networks, fitted to
# the same 24 training points: the training error keeps falling, but beyond a few
# parameters the error on unseen points rises steeply (the plot's scale is
# logarithmic). That error is measured on 2,000 fresh points from the same curve,
# so that it is a precise estimate.

# %%
fresh_rng = np.random.default_rng(4)
x_fresh = fresh_rng.uniform(-3, 3, 2000)
y_fresh = np.sin(x_fresh) + fresh_rng.normal(0, 0.35, 2000)

degrees = np.arange(0, 16)
train_errors, test_errors = [], []
for degree in degrees:
    model = fit_polynomial(x_train, y_train, degree)
    train_errors.append(np.mean((model(x_train) - y_train) ** 2))
    test_errors.append(np.mean((model(x_fresh) - y_fresh) ** 2))

fig, ax = plt.subplots(figsize=(7, 3.8))
ax.semilogy(degrees + 1, train_errors, "o-", label="training MSE")
ax.semilogy(degrees + 1, test_errors, "s-", label="test MSE (unseen points)")
ax.set_xlabel("number of parameters of the model (polynomial degree + 1)")
ax.set_ylabel("MSE (log scale)")
ax.legend()
plt.show()

# %% [markdown]
# What does help against overfitting: **more training data**, **regularisation**
# (a penalty in the loss for large weights), **early stopping** on the validation
# loss (section 8), and a **smaller model**, with its size chosen on the validation
# set (section 8 chose a degree that way). Here is the first of these: the same
# 12-parameter polynomial, fitted to 24 and then to 400 training points.

# %%
big_rng = np.random.default_rng(5)
x_many = big_rng.uniform(-3, 3, 400)
y_many = np.sin(x_many) + big_rng.normal(0, 0.35, 400)
for x_sample, y_sample in [(x_train, y_train), (x_many, y_many)]:
    model = fit_polynomial(x_sample, y_sample, 11)
    print(f"12 parameters, {len(x_sample):3d} training points: test MSE "
          f"{np.mean((model(x_fresh) - y_fresh) ** 2):.3f}")

# %% [markdown]
# **"…or you could always add more test data."** Test data is never trained on,
# so adding more of it cannot change the model; it only measures the model more
# precisely. (Training on the test data, or choosing settings on it, would be
# worse still: then the test score would no longer say anything about unseen
# data.) Below, the memoriser is measured on five different test sets of each
# size. With 6 test points the estimates scatter widely; with 600 they agree. The
# model, and its error of about 0.34, stay exactly the same.

# %%
measure_rng = np.random.default_rng(6)
for n_test in [6, 60, 600]:
    estimates = []
    for repeat in range(5):
        x_new = measure_rng.uniform(-3, 3, n_test)
        y_new = np.sin(x_new) + measure_rng.normal(0, 0.35, n_test)
        estimates.append(np.mean((memoriser(x_new) - y_new) ** 2))
    print(f"{n_test:3d} test points, five test sets: test MSE", "  ".join(f"{e:.3f}" for e in estimates))

# %% [markdown]
# One more claim from the articles, "the gradients are the minimum value of the
# cost function", needs the gradient first: notebook 04 introduces it and shows,
# with a runnable cell, why the claim is wrong.


# %% [markdown]
# ## Where you stand
#
# The next cell runs the visible tests of every exercise again, against your
# functions as they are now, and lists the points at stake. Passing them is a good
# sign, not a grade: the grade also uses hidden tests, on other inputs.

# %% tags=["grading-skip"]
from nnlearn.standing import where_you_stand

where_you_stand("03_loss.ipynb")

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
# # 01 · Function approximation
#
# If you know a function's formula, you can compute its output for any input.
# Often you do not. What you have instead are **examples**: a list of inputs
# together with the outputs that were observed for them — house sizes and their
# prices, temperatures and electricity demand, images and the word "cat" or
# "dog". Drawn on a graph, such examples are loose dots with nothing joining them.
#
# The task is to find a function that passes close to the dots *and* gives
# sensible outputs for inputs that are not among them. Such an output is a
# **prediction**. A neural network is one way to build that function: a formula
# with many adjustable numbers, which can bend into almost any shape.
#
# In this notebook you build such a function yourself, from the ground up:
#
# 1. the simplest possible model, a straight line, and how to measure its error;
# 2. a single neuron, first as an on/off step, then as a smooth sigmoid;
# 3. a *bump* made from two neurons;
# 4. a network with one hidden layer — and a proof by construction that enough
#    bumps approximate any reasonable curve as closely as you like;
# 5. how well such a network predicts points it was never shown.
#
# Here you set the network's numbers by hand. Later notebooks let the network
# find them itself (loss, gradient descent, backpropagation).
#
# **How to work through this notebook.** Run the cells from top to bottom. Where
# you see `# YOUR CODE HERE`, delete the `raise NotImplementedError()` line and
# write your code. The cell after each exercise tests your answer; if a check
# fails, its message says what is wrong and often why. Cells that use your
# functions print a short note instead of a plot until you have written them.

# %%
import numpy as np
import matplotlib.pyplot as plt

from nnlearn.activations import sigmoid   # a given tool: the numerically stable sigmoid of notebook 02
from nnlearn.datasets import FUNCTIONS, make_function
from nnlearn.plotting import not_yet, plot_function_fit, plot_network_diagram   # not_yet: "write ... first"
from nnlearn.widgets import interactive_plot


# %% [markdown]
# ## 1. Points without a function
#
# Here are 24 measured points. They come from a formula, but pretend you do not
# know it — that is the normal situation. (A little noise is added, as real
# measurements always have some.)

# %%
x_points, y_points = make_function("wiggle", n_samples=24, noise=0.05, seed=1)
print("x_points:", x_points.shape, " y_points:", y_points.shape)

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.scatter(x_points, y_points, color="tab:blue", zorder=3)
for x_new in (0.3, 1.7):
    ax.axvline(x_new, color="gray", ls=":")
ax.set_xlabel("input x")
ax.set_ylabel("output y")
ax.set_title("24 examples — what is y at the dotted lines?")
plt.show()

# %% [markdown]
# Neither $x = 0.3$ nor $x = 1.7$ is among the examples, yet we would like a
# value for $y$ there. We need a **model**: a formula $\hat y = f(x)$ with a few
# adjustable numbers (its *parameters*), chosen so that $f$ comes close to the
# examples. Once the parameters are fixed, $f$ can be evaluated at *any* input.
#
# Machine-learning libraries split this into two steps, for example in
# scikit-learn:
#
# ```python
# model.fit(X, y)            # choose the parameters from the examples
# model.predict(X_new)       # use them on any inputs, seen or not
# ```
#
# Everything in this course follows that pattern; what changes is the model and
# how `fit` chooses the parameters. Note the shapes: `x_points` is `(24, 1)`, one
# sample per **row** and one column per input feature. Samples are rows
# throughout the course.

# %% [markdown]
# ## 2. The simplest model: a straight line
#
# A line $\hat y = a x + c$ has two parameters, the slope $a$ and the intercept
# $c$. The **least-squares** line is the one that makes the sum of squared
# vertical distances $\sum_i (y_i - a x_i - c)^2$ as small as possible. Setting
# the derivatives with respect to $a$ and $c$ to zero gives a closed form, with
# $\bar x$ and $\bar y$ the means of the $x_i$ and $y_i$:
#
# $$a = \frac{\sum_i (x_i - \bar x)(y_i - \bar y)}{\sum_i (x_i - \bar x)^2},
# \qquad c = \bar y - a \bar x.$$
#
# (Equally good: `np.polyfit(x, y, 1)`, or `np.linalg.lstsq` with a column of
# ones next to the column of $x$ values.)
#
# ### Exercise 1: fit a line (2 points)
#
# Write `linear_fit(x, y)`:
#
# * `x` and `y` hold the same number $n \ge 2$ of values, each as a flat array
#   `(n,)` or as a column `(n, 1)` (use `np.ravel` to flatten both);
# * return the least-squares `(slope, intercept)`, in that order, as two
#   numbers (if your computation gives arrays, take the numbers out with
#   `float(...)` or `.item()`).

# %% nbgrader={"grade": false, "grade_id": "linear_fit", "locked": false, "schema_version": 3, "solution": true}
def linear_fit(x, y):
    """Least-squares line through the points (x[i], y[i]).

    x, y: arrays of n values each, shape (n,) or (n, 1). Returns (slope, intercept).
    """
    ### BEGIN SOLUTION
    x = np.ravel(x).astype(float)
    y = np.ravel(y).astype(float)
    dx = x - x.mean()
    slope = float(dx @ (y - y.mean()) / (dx @ dx))
    intercept = float(y.mean() - slope * x.mean())
    return slope, intercept
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# The best line goes through the point of means (mean x, mean y). Work with the deviations from the means: `dx = x - mean(x)`, `dy = y - mean(y)`.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# Least squares gives slope = (sum of dx·dy) / (sum of dx·dx); a dot product of two 1-D arrays computes such a sum in one step.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# Flatten both inputs first (they may arrive as `(n, 1)` columns), then: slope from the two sums above, intercept = mean(y) − slope · mean(x). Return them as plain floats.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "linear_fit_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_scalar, check_type


def check_line(name, fit, slope, intercept, x, y):
    """Check a (slope, intercept) answer; name the usual mix-ups."""
    check_type(name, fit, (tuple, list, np.ndarray))
    if np.ndim(fit) != 1 or len(fit) != 2:
        raise CheckFailed(f"{name} should return two numbers (slope, intercept), got {np.size(fit)} values.")
    got_slope, got_intercept = fit
    check_type(f"the slope returned by {name}", got_slope, float)
    check_type(f"the intercept returned by {name}", got_intercept, float)
    if np.isclose(got_slope, intercept) and np.isclose(got_intercept, slope) and not np.isclose(slope, intercept):
        raise CheckFailed(f"{name} returned ({float(got_slope):.4g}, {float(got_intercept):.4g}), which is "
                          "(intercept, slope): return (slope, intercept).")
    xf, yf = np.ravel(x), np.ravel(y)
    if np.isclose(got_intercept, 0.0) and not np.isclose(intercept, 0.0) and np.isclose(got_slope, xf @ yf / (xf @ xf)):
        raise CheckFailed(f"{name} returned a line through the origin (intercept 0): did you leave out the "
                          "intercept? Both the slope and the intercept are free.")
    check_scalar(f"the slope returned by {name}", got_slope, slope)
    check_scalar(f"the intercept returned by {name}", got_intercept, intercept)


# Points exactly on the line y = 2x - 1, as columns (n, 1): the fit must find that line.
x_check = np.array([[-1.0], [0.0], [2.0], [3.5]])
y_check = 2.0 * x_check - 1.0
check_line("linear_fit(x_check, y_check)", call(linear_fit, x_check, y_check), 2.0, -1.0, x_check, y_check)

# Four points not on a line, as flat arrays. By hand: means 1.5 and 3,
# sum (x - 1.5)(y - 3) = 7, sum (x - 1.5)^2 = 5, so slope 1.4 and intercept 3 - 1.4 * 1.5 = 0.9.
x_check = np.array([0.0, 1.0, 2.0, 3.0])
y_check = np.array([1.0, 3.0, 2.0, 6.0])
check_line("linear_fit(x_check, y_check)", call(linear_fit, x_check, y_check), 1.4, 0.9, x_check, y_check)

### BEGIN HIDDEN TESTS
hidden_rng = np.random.default_rng(20260101)
for hidden_n, hidden_low, hidden_high, hidden_column in [(2, -1.0, 4.0, True), (7, 0.0, 1.0, False),
                                                         (50, -3.0, 3.0, True), (200, 100.0, 105.0, False),
                                                         (31, -1000.0, -990.0, True)]:
    hidden_x = hidden_rng.uniform(hidden_low, hidden_high, hidden_n)
    hidden_y = hidden_rng.normal(scale=3.0) * hidden_x + hidden_rng.normal(scale=10.0) + hidden_rng.normal(size=hidden_n)
    hidden_slope, hidden_intercept = np.polyfit(hidden_x, hidden_y, 1)
    if hidden_column:
        hidden_x, hidden_y = hidden_x.reshape(-1, 1), hidden_y.reshape(-1, 1)
    check_line(f"linear_fit(x, y) for {hidden_n} points of shape {hidden_x.shape}",
               call(linear_fit, hidden_x, hidden_y), hidden_slope, hidden_intercept, hidden_x, hidden_y)

# A horizontal line (slope 0), a column x with a flat y, and float32 data.
hidden_x = np.linspace(-2.0, 2.0, 9)
check_line("linear_fit(x, y) for a horizontal line", call(linear_fit, hidden_x, np.full(9, 4.5)), 0.0, 4.5,
           hidden_x, np.full(9, 4.5))
check_line("linear_fit(x, y) for x (9, 1) and y (9,)", call(linear_fit, hidden_x.reshape(-1, 1), 3 * hidden_x + 1),
           3.0, 1.0, hidden_x, 3 * hidden_x + 1)
hidden_x = hidden_rng.uniform(-1, 1, 20).astype(np.float32)
hidden_y = (0.7 * hidden_x - 0.2 + 0.1 * hidden_rng.normal(size=20)).astype(np.float32)
hidden_fit = call(linear_fit, hidden_x, hidden_y)
hidden_slope, hidden_intercept = np.polyfit(hidden_x.astype(float), hidden_y.astype(float), 1)
check_type("linear_fit(x, y) for float32 data", hidden_fit, (tuple, list, np.ndarray))
check_scalar("the slope for float32 data", hidden_fit[0], hidden_slope, rtol=1e-4, atol=1e-5)
check_scalar("the intercept for float32 data", hidden_fit[1], hidden_intercept, rtol=1e-4, atol=1e-5)
### END HIDDEN TESTS
print("linear_fit: all tests in this cell passed.")

# %% [markdown]
# Now fit the line to the 24 points and use it: `linear_fit` is our `fit`, and
# evaluating $a x + c$ is `predict` — at the examples and anywhere else.

# %%
try:
    slope, intercept = linear_fit(x_points, y_points)
except NotImplementedError:
    not_yet("linear_fit")
else:
    def predict_line(x):
        return slope * x + intercept

    print(f"slope {slope:.3f}, intercept {intercept:.3f}")
    for x_new in (0.3, 1.7):
        print(f"prediction at x = {x_new}: {predict_line(x_new):.3f}")
    ax = plot_function_fit(x_points, y_points, predict=predict_line, title="the least-squares line")
    plt.show()

# %% [markdown]
# The line gives an answer for every input, seen or not. But it cannot bend: it
# runs straight through the wiggles and is far off at many of the examples. A
# model can only take the shapes its formula allows. To follow a curve we need a
# more flexible formula — that is what the neurons below provide.

# %% [markdown]
# ## 3. How wrong is a fit? The maximum error
#
# To compare models we need a number for "how far off". One simple choice is the
# **maximum error**: the largest distance between a target $y_i$ and the model's
# prediction $\hat y_i$ over all points,
#
# $$\max_i \, |y_i - \hat y_i|.$$
#
# It is a guarantee: "the model is never off by more than this, at these
# points". (The other common choice, the mean squared error, follows in
# notebook 03.)
#
# Careful with shapes. Targets often come as a column `(n, 1)` and predictions
# as a flat `(n,)`, or the other way round. Subtracting them then does not fail —
# NumPy *broadcasts* them into an `(n, n)` table of every target minus every
# prediction:

# %%
targets = np.array([[1.0], [2.0], [3.0]])      # a column (3, 1)
predictions = np.array([1.0, 2.0, 3.0])        # flat (3,)
print((targets - predictions).shape)          # (3, 3), not (3,)!
print(np.ravel(targets) - np.ravel(predictions))

# %% [markdown]
# ### Exercise 2: the maximum error (1 point)
#
# Write `max_error(y_true, y_pred)`:
#
# * `y_true` and `y_pred` hold the same $n$ numbers, each as `(n,)` or `(n, 1)`
#   — possibly one of each;
# * return $\max_i |y_{\text{true},i} - y_{\text{pred},i}|$ as a single number.

# %% nbgrader={"grade": false, "grade_id": "max_error", "locked": false, "schema_version": 3, "solution": true}
def max_error(y_true, y_pred):
    """Largest absolute difference between targets and predictions.

    y_true, y_pred: n values each, shape (n,) or (n, 1). Returns a float.
    """
    ### BEGIN SOLUTION
    return float(np.max(np.abs(np.ravel(y_true) - np.ravel(y_pred))))
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# You need the size of each error, whatever its sign, and then the largest one.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# `np.abs` gives sizes, `np.max` the largest. Shapes `(n,)` and `(n, 1)` must not broadcast into an `(n, n)` table: flatten both with `np.ravel` before subtracting.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "max_error_test", "locked": true, "points": 1, "schema_version": 3, "solution": false}
from nnlearn.testing import call, check_scalar

absolute_hint = ("Hint: a prediction 3 below its target is as wrong as one 3 above it — take the absolute "
                 "value of the differences (np.abs) before the maximum.")
check_scalar("max_error(np.zeros(3), np.array([0.5, -3.0, 1.0]))",
             call(max_error, np.zeros(3), np.array([0.5, -3.0, 1.0])), 3.0, hint=absolute_hint)
check_scalar("max_error(np.zeros(3), np.array([-0.5, 3.0, -1.0]))",
             call(max_error, np.zeros(3), np.array([-0.5, 3.0, -1.0])), 3.0, hint=absolute_hint)

# Columns (4, 1), and then a column with a flat array: the largest error is 1.0 (at 4 vs 3).
y_col = np.array([[1.0], [2.0], [4.0], [8.0]])
pred_col = np.array([[1.5], [2.0], [3.0], [8.25]])
check_scalar("max_error(y_col, pred_col) with two columns (4, 1)", call(max_error, y_col, pred_col), 1.0)
check_scalar("max_error(y_col, pred_col.ravel()) with a column (4, 1) and a flat (4,)",
             call(max_error, y_col, pred_col.ravel()), 1.0,
             hint="Hint: y_col - pred_col.ravel() broadcasts to a (4, 4) table of every pair — flatten both "
                  "with np.ravel before subtracting.")

### BEGIN HIDDEN TESTS
hidden_rng = np.random.default_rng(20260102)
for hidden_n, hidden_true_shape, hidden_pred_shape in [(1, (1,), (1,)), (5, (5,), (5, 1)), (9, (9, 1), (9,)),
                                                        (40, (40, 1), (40, 1)), (300, (300,), (300,))]:
    hidden_true = hidden_rng.normal(scale=5.0, size=hidden_n)
    hidden_pred = hidden_true + hidden_rng.normal(size=hidden_n)
    hidden_expected = np.max(np.abs(hidden_true - hidden_pred))
    check_scalar(f"max_error(y_true, y_pred) for shapes {hidden_true_shape} and {hidden_pred_shape}",
                 call(max_error, hidden_true.reshape(hidden_true_shape), hidden_pred.reshape(hidden_pred_shape)),
                 hidden_expected)
# A perfect prediction, large values, float32.
check_scalar("max_error(y, y)", call(max_error, np.arange(5.0), np.arange(5.0)), 0.0)
check_scalar("max_error for values near 1e6", call(max_error, np.array([1e6, -1e6]), np.array([1e6 + 2.5, -1e6 - 4.0])), 4.0)
hidden_true = hidden_rng.normal(size=(12, 1)).astype(np.float32)
hidden_pred = (hidden_true[:, 0] - np.linspace(-2, 1, 12)).astype(np.float32)
check_scalar("max_error for float32 arrays", call(max_error, hidden_true, hidden_pred),
             np.max(np.abs(hidden_true[:, 0].astype(float) - hidden_pred.astype(float))), rtol=1e-5)
### END HIDDEN TESTS
print("max_error: all tests in this cell passed.")

# %% [markdown]
# ### Points held out: predicting what the model has not seen
#
# The error at the points a model was fitted to says how well it reproduces what
# it was given. What we really want to know is how well it predicts **inputs it
# was not given**. The honest way to measure that is to *hold some points back*:
# fit on the rest, then measure the error on the held-out points only. Here every
# fourth point is held out (not the first or the last point: those mark the ends of
# the range we have examples for).

# %%
held_out = np.arange(len(x_points)) % 4 == 2       # True for points 2, 6, 10, ..., 22
x_fit, y_fit = x_points[~held_out], y_points[~held_out]
x_held, y_held = x_points[held_out], y_points[held_out]
print(f"{len(x_fit)} points to fit, {len(x_held)} held out")

try:
    slope, intercept = linear_fit(x_fit, y_fit)
    line_fit_error = max_error(y_fit, slope * x_fit + intercept)
    line_held_error = max_error(y_held, slope * x_held + intercept)
except NotImplementedError:
    not_yet("linear_fit", "max_error")
else:
    print(f"line: max error {line_fit_error:.3f} on the fitted points, {line_held_error:.3f} on the held-out points")
    plot_function_fit(x_fit, y_fit, predict=lambda x: slope * x + intercept, x_test=x_held, y_test=y_held,
                      title="the line, fitted without the crosses")
    plt.show()

# %% [markdown]
# The line misses by about as much on the held-out points as on the others: it is
# too simple for this curve everywhere. We will come back to these held-out points
# with a network in section 9.

# %% [markdown]
# ## 4. One neuron: a step and a sigmoid
#
# A neuron with one input $x$ has a **weight** $w$ and a **bias** $b$. It forms
# the weighted sum plus bias $z = w x + b$ and passes $z$ through its
# **activation function**.
#
# The oldest kind of neuron is a **step**: it outputs 1 ("fires") when $z > 0$
# and 0 otherwise. As a function of $x$ it jumps where $w x + b = 0$, that is at
#
# $$x = -\frac{b}{w}.$$
#
# So the bias moves the jump left and right, and the sign of $w$ decides whether
# the neuron fires to the right of the jump ($w > 0$) or to the left ($w < 0$).
#
# ### Exercise 3: a step neuron (1 point)
#
# Write `step_neuron(x, w, b)`:
#
# * `x` is an array of any shape (a flat array of inputs, or a column), `w` and
#   `b` are numbers;
# * return an array of the shape of `x` holding the float `1.0` where
#   $w x + b > 0$ and `0.0` elsewhere (not `True`/`False`: we will subtract and
#   add these outputs, and NumPy refuses to subtract booleans).

# %% nbgrader={"grade": false, "grade_id": "step_neuron", "locked": false, "schema_version": 3, "solution": true}
def step_neuron(x, w, b):
    """Output of a step neuron: 1.0 where w * x + b > 0, else 0.0. Same shape as x."""
    ### BEGIN SOLUTION
    return (w * np.asarray(x) + b > 0).astype(float)
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# Compute the neuron's input `w * x + b` for every x at once; NumPy does it element-wise.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# A comparison such as `z > 0` gives an array of True/False of the same shape; `.astype(float)` turns it into 1.0/0.0.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "step_neuron_test", "locked": true, "points": 1, "schema_version": 3, "solution": false}
from nnlearn.testing import call, check_array

# w = 2, b = 1: z = 2x + 1 is -3, -1, 2, 7 -- the neuron fires for the last two inputs.
check_array("step_neuron(np.array([-2.0, -1.0, 0.5, 3.0]), 2.0, 1.0)",
            call(step_neuron, np.array([-2.0, -1.0, 0.5, 3.0]), 2.0, 1.0), [0.0, 0.0, 1.0, 1.0])
# w = -1, b = 0.5: z = -x + 0.5 is 2.5, 0.75, -0.5, -2.5 -- it fires to the LEFT of x = 0.5.
check_array("step_neuron(np.array([-2.0, -0.25, 1.0, 3.0]), -1.0, 0.5)",
            call(step_neuron, np.array([-2.0, -0.25, 1.0, 3.0]), -1.0, 0.5), [1.0, 1.0, 0.0, 0.0],
            hint="Hint: with a negative weight the neuron fires for x below -b/w, not above it. Compare "
                 "w * x + b with 0 rather than x with -b/w.")
# A column of inputs keeps its shape.
check_array("step_neuron(np.array([[-1.0], [4.0]]), 0.5, -1.0)",
            call(step_neuron, np.array([[-1.0], [4.0]]), 0.5, -1.0), [[0.0], [1.0]])

### BEGIN HIDDEN TESTS
from nnlearn.activations import step as reference_step

hidden_rng = np.random.default_rng(20260103)
for hidden_shape, hidden_w, hidden_b in [((7,), 1.5, -0.3), ((4, 1), -3.0, 2.0), ((2, 5), 0.25, 0.1),
                                         ((50,), 1e4, -1e3), ((6,), -1e-3, 1e-4)]:
    hidden_x = hidden_rng.normal(scale=3.0, size=hidden_shape)
    check_array(f"step_neuron(x, {hidden_w}, {hidden_b}) for x of shape {hidden_shape}",
                call(step_neuron, hidden_x, hidden_w, hidden_b), reference_step(hidden_w * hidden_x + hidden_b))
# w = 0: the neuron ignores x and fires everywhere or nowhere, depending on b.
hidden_x = np.linspace(-5.0, 5.0, 11)
check_array("step_neuron(x, 0.0, 1.0)", call(step_neuron, hidden_x, 0.0, 1.0), np.ones(11))
check_array("step_neuron(x, 0.0, -1.0)", call(step_neuron, hidden_x, 0.0, -1.0), np.zeros(11))
# Exactly at the switch, w * x + b = 0 (0.5 * 2.0 - 1.0 and -2.0 * -0.75 - 1.5 are exact in floats): the neuron
# does not fire yet, because it fires where w * x + b > 0, not >= 0.
check_array("step_neuron(np.array([0.5, 0.25, 1.0]), 2.0, -1.0)  (w * x + b = 0 at x = 0.5)",
            call(step_neuron, np.array([0.5, 0.25, 1.0]), 2.0, -1.0), [0.0, 0.0, 1.0],
            hint="Hint: at w * x + b = 0 exactly the step neuron gives 0.0: it fires where w * x + b > 0 (not >= 0).")
check_array("step_neuron(np.array([-0.75, 0.0]), -2.0, -1.5)  (w * x + b = 0 at x = -0.75)",
            call(step_neuron, np.array([-0.75, 0.0]), -2.0, -1.5), [0.0, 0.0],
            hint="Hint: at w * x + b = 0 exactly the step neuron gives 0.0: it fires where w * x + b > 0 (not >= 0).")
### END HIDDEN TESTS
print("step_neuron: all tests in this cell passed.")

# %% [markdown]
# A step is either on or off, which makes it useless for learning: nudging $w$
# or $b$ a little almost never changes the output, so there is no signal telling
# us which way to adjust them (notebook 04 needs exactly that signal). The
# **sigmoid** neuron replaces the jump by a smooth S-curve:
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \text{output} = \sigma(w x + b).$$
#
# It is 0.5 exactly where the step jumps ($x = -b/w$), and the larger $|w|$, the
# steeper the S: a very steep sigmoid *is* practically a step, one we can place
# wherever we like.
#
# ### Exercise 4: a sigmoid neuron (1 point)
#
# Write `sigmoid_neuron(x, w, b)`: like `step_neuron`, but return
# $\sigma(w x + b)$. Use the `sigmoid` imported at the top of the notebook: it
# is numerically stable, so even $w = 1000$ causes no overflow. (Writing that
# stable sigmoid yourself is an exercise of notebook 02.)

# %% nbgrader={"grade": false, "grade_id": "sigmoid_neuron", "locked": false, "schema_version": 3, "solution": true}
def sigmoid_neuron(x, w, b):
    """Output of a sigmoid neuron, sigmoid(w * x + b). Same shape as x."""
    ### BEGIN SOLUTION
    return sigmoid(w * np.asarray(x, dtype=float) + b)
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# Same input as the step neuron, `w * x + b`; only the activation changes.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# Pass that whole array to the `sigmoid` the notebook gives you; it works element-wise and keeps the shape of x.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "sigmoid_neuron_test", "locked": true, "points": 1, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_array

half_way_hint = "Hint: a sigmoid neuron outputs 0.5 exactly where w * x + b = 0, i.e. at x = -b/w."
# w = 2, b = -1: z = 2x - 1 is -3, -1, 0, 1; sigmoid(0) = 0.5 at x = 0.5.
check_array("sigmoid_neuron(np.array([-1.0, 0.0, 0.5, 1.0]), 2.0, -1.0)",
            call(sigmoid_neuron, np.array([-1.0, 0.0, 0.5, 1.0]), 2.0, -1.0),
            [0.04742587317756679, 0.2689414213699951, 0.5, 0.7310585786300049], hint=half_way_hint)
# w = -0.5, b = 0.5 on a column: z = -0.5x + 0.5 is 1.5, 0.5, 0, -1.5.
check_array("sigmoid_neuron(np.array([[-2.0], [0.0], [1.0], [4.0]]), -0.5, 0.5)",
            call(sigmoid_neuron, np.array([[-2.0], [0.0], [1.0], [4.0]]), -0.5, 0.5),
            [[0.8175744761936437], [0.6224593312018546], [0.5], [0.18242552380635632]], hint=half_way_hint)
# A very steep neuron: practically a step, and no overflow.
try:
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        steep = call(sigmoid_neuron, np.array([-1.0, 1.0]), 1000.0, 0.0)
except CheckFailed as err:
    raise CheckFailed(f"{err}\nUse the sigmoid imported at the top of the notebook: it never overflows.") from None
check_array("sigmoid_neuron(np.array([-1.0, 1.0]), 1000.0, 0.0)", steep, [0.0, 1.0])

### BEGIN HIDDEN TESTS
hidden_rng = np.random.default_rng(20260104)
for hidden_shape, hidden_w, hidden_b, hidden_dtype in [((9,), 0.7, -0.2, float), ((3, 1), -2.5, 4.0, float),
                                                       ((2, 4), 1.0, 0.0, float), ((30,), 1e4, 2e3, float),
                                                       ((8,), -3.0, 1.0, np.float32)]:
    hidden_x = hidden_rng.normal(scale=2.0, size=hidden_shape).astype(hidden_dtype)
    hidden_expected = sigmoid(hidden_w * hidden_x.astype(float) + hidden_b)
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            hidden_got = call(sigmoid_neuron, hidden_x, hidden_w, hidden_b)
    except CheckFailed as err:
        raise CheckFailed(f"{err}\nUse the sigmoid imported at the top of the notebook.") from None
    check_array(f"sigmoid_neuron(x, {hidden_w}, {hidden_b}) for x of shape {hidden_shape}", hidden_got,
                hidden_expected, rtol=1e-5, atol=1e-7)
check_array("sigmoid_neuron(x, 0.0, 0.0)", call(sigmoid_neuron, np.linspace(-3, 3, 5), 0.0, 0.0), np.full(5, 0.5))
### END HIDDEN TESTS
print("sigmoid_neuron: all tests in this cell passed.")

# %% [markdown]
# Below, the step (dashed) and the sigmoid neuron for a few weights and biases.
# Look at where each one switches, and how the weight sets the steepness.

# %%
x_plot = np.linspace(-4, 4, 401)
try:
    fig, axes = plt.subplots(1, 3, figsize=(11, 3), sharey=True)
    for ax, (w, b) in zip(axes, [(1.0, 0.0), (5.0, -5.0), (-2.0, -2.0)]):
        ax.plot(x_plot, step_neuron(x_plot, w, b), "--", color="gray", label="step")
        ax.plot(x_plot, sigmoid_neuron(x_plot, w, b), color="tab:blue", label="sigmoid")
        ax.axvline(-b / w, color="tab:red", lw=0.8)
        ax.set_title(f"w = {w:g}, b = {b:g}\nswitches at x = -b/w = {-b / w + 0.0:g}", fontsize=10)
        ax.set_xlabel("x")
    axes[0].legend()
    plt.show()
except NotImplementedError:
    plt.close(fig)
    not_yet("step_neuron", "sigmoid_neuron")


# %% [markdown]
# Now try it yourself: move the sliders. (If you read this notebook without a
# running kernel, you see the picture for the starting values.) Make the sigmoid
# switch at $x = 2$ and look almost like a step; then make it fire to the *left*
# of $x = 2$ instead.

# %%
# NBVAL_IGNORE_OUTPUT
def draw_neuron(ax, w=1.0, b=0.0):
    x = np.linspace(-5, 5, 401)
    try:
        ax.plot(x, step_neuron(x, w, b), "--", color="gray", label="step neuron")
        ax.plot(x, sigmoid_neuron(x, w, b), color="tab:blue", lw=2, label="sigmoid neuron")
    except NotImplementedError:
        not_yet("step_neuron", "sigmoid_neuron", to="see the curves", ax=ax)
        return
    if w != 0:
        ax.axvline(-b / w, color="tab:red", lw=0.8)
        ax.set_title(f"switches at x = -b/w = {-b / w + 0.0:.2f}")
    else:
        ax.set_title("w = 0: the neuron ignores x")
    ax.set_ylim(-0.1, 1.1)
    ax.set_xlabel("x")
    ax.legend(loc="center right")


interactive_plot(draw_neuron, figsize=(6, 3), w=(-10.0, 10.0, 0.1, 1.0), b=(-20.0, 20.0, 0.1, 0.0))

# %% [markdown]
# A handy way to write a steep sigmoid: to switch at position $p$ with steepness
# $s$, take $w = s$ and $b = -s p$. Then $w x + b = s (x - p)$, which is 0 at
# $x = p$:
#
# $$\sigma\big(s (x - p)\big).$$

# %% [markdown]
# ## 5. A bump from two steep sigmoids
#
# One sigmoid rises once. Subtract a second one that rises a little further to
# the right, and the two cancel out again: what is left is a **bump**, about 1
# between the two switching points and about 0 elsewhere. Multiply by a height
# and you have a bump of any height (a negative height makes a dip):
#
# $$\text{bump}(x) = h \,\Big[\sigma\big(s (x - \ell)\big) - \sigma\big(s (x - r)\big)\Big]$$
#
# with left edge $\ell$, right edge $r > \ell$, height $h$ and steepness $s$. At
# the left edge the first sigmoid is exactly half-way up, $\sigma(0) = 1/2$, but
# the second one has not quite fallen to 0 there: it still holds
# $\sigma\big(-s (r - \ell)\big)$. So the bump's value at $x = \ell$ is
# $h \big[\tfrac12 - \sigma\big(-s (r - \ell)\big)\big]$, a little *under* half
# its height, and the same holds at the right edge. How little depends on
# $s (r - \ell)$: for $s (r - \ell) = 10$ the shortfall is $h \sigma(-10)$, about
# $0.00005\,h$; for a gentle bump with $s (r - \ell) = 2$ it is $0.12\,h$.
#
# ### Exercise 5: a bump (2 points)
#
# Write `bump(x, left, right, height, steepness)`:
#
# * `x` is an array of any shape, the other arguments are numbers
#   (`left < right`, `steepness > 0`);
# * return the array of the bump's values, of the shape of `x`, using the
#   formula above (your `sigmoid_neuron` or the `sigmoid` both work).

# %% nbgrader={"grade": false, "grade_id": "bump", "locked": false, "schema_version": 3, "solution": true}
def bump(x, left, right, height, steepness):
    """height * [sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right))]. Same shape as x."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    return height * (sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right)))
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# A bump is a step up at `left` minus a step up at `right`: two sigmoid neurons with the same steepness.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# The rising edge at `left` is `sigmoid(steepness * (x - left))`; the one at `right` is built the same way. Their difference is close to 1 between the edges and close to 0 outside.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# Multiply the difference by `height`. Convert x with `np.asarray(x, dtype=float)` first so that lists and integer arrays work too.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "bump_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_array

edge_hint = ("Hint: at x = left the rising sigmoid is exactly half-way up, so bump(left) is about height / 2 "
             "(and so is bump(right)). Each sigmoid needs steepness * (x - edge).")
# left = -1, right = 1, height 2, steepness 10: about 0 far outside, just under 1 (half the height) at both
# edges, almost 2 in the middle.
check_array("bump(np.array([-3.0, -1.0, 0.0, 1.0, 3.0]), -1.0, 1.0, 2.0, 10.0)",
            call(bump, np.array([-3.0, -1.0, 0.0, 1.0, 3.0]), -1.0, 1.0, 2.0, 10.0),
            [4.122307227883698e-09, 0.9999999958776927, 1.9998184085251904, 0.9999999958776926,
             4.1223073843355e-09], hint=edge_hint)
# A dip (negative height), not centred at 0, gentle sides.
check_array("bump(np.array([0.5, 1.0, 2.0, 2.5, 4.0]), 1.0, 2.5, -0.5, 4.0)",
            call(bump, np.array([0.5, 1.0, 2.0, 2.5, 4.0]), 1.0, 2.5, -0.5, 4.0),
            [-0.05943378594582553, -0.24876368842168262, -0.43140543400789544, -0.24876368842168267,
             -0.0012332394910162248], hint=edge_hint)
# Very steep sides on a column of inputs: a clean box, and no overflow.
try:
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        steep = call(bump, np.array([[-0.5], [0.0], [0.5], [1.5]]), 0.0, 1.0, 3.0, 1e4)
except CheckFailed as err:
    raise CheckFailed(f"{err}\nUse the sigmoid imported at the top of the notebook: it never overflows.") from None
check_array("bump(np.array([[-0.5], [0.0], [0.5], [1.5]]), 0.0, 1.0, 3.0, 1e4)", steep,
            [[0.0], [1.5], [3.0], [0.0]], hint=edge_hint)

### BEGIN HIDDEN TESTS
hidden_rng = np.random.default_rng(20260105)
for hidden_shape in [(11,), (6, 1), (3, 4), (1,)]:
    hidden_left = hidden_rng.uniform(-5, 5)
    hidden_right = hidden_left + hidden_rng.uniform(0.1, 4)
    hidden_height = hidden_rng.normal(scale=3)
    hidden_s = hidden_rng.choice([0.5, 3.0, 40.0, 5e3])
    hidden_x = hidden_rng.uniform(hidden_left - 2, hidden_right + 2, size=hidden_shape)
    hidden_expected = hidden_height * (sigmoid(hidden_s * (hidden_x - hidden_left))
                                       - sigmoid(hidden_s * (hidden_x - hidden_right)))
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            hidden_got = call(bump, hidden_x, hidden_left, hidden_right, hidden_height, hidden_s)
    except CheckFailed as err:
        raise CheckFailed(f"{err}\nUse the sigmoid imported at the top of the notebook.") from None
    check_array(f"bump(x, {hidden_left:.3f}, {hidden_right:.3f}, {hidden_height:.3f}, {hidden_s}) for x of shape "
                f"{hidden_shape}", hidden_got, hidden_expected, rtol=1e-6, atol=1e-9, hint=edge_hint)
### END HIDDEN TESTS
print("bump: all tests in this cell passed.")

# %% [markdown]
# The same bump with steeper and steeper sides: with a large steepness it is
# almost a rectangle.

# %%
try:
    fig, ax = plt.subplots(figsize=(6, 3))
    for s in (2, 5, 20, 100):
        ax.plot(x_plot, bump(x_plot, -1.0, 1.5, 1.0, s), label=f"steepness {s}")
    ax.axvline(-1.0, color="gray", lw=0.8, ls=":")
    ax.axvline(1.5, color="gray", lw=0.8, ls=":")
    ax.set_xlabel("x")
    ax.set_title("bump(x, left=-1, right=1.5, height=1, steepness)")
    ax.legend(fontsize="small")
    plt.show()
except NotImplementedError:
    plt.close(fig)
    not_yet("bump")

# %% [markdown]
# ## 6. A network with one hidden layer
#
# A bump is already a tiny **neural network**. Drawn the usual way it has three
# **layers** of **nodes**, joined by **connections**, and every connection
# carries a **weight**:

# %%
fig, ax = plt.subplots(figsize=(6, 4))
plot_network_diagram((1, 4, 1), ax=ax, node_labels=[["x"], ["1", "2", "3", "4"], ["ŷ"]],
                     edge_labels=[[["$w_1$"], ["$w_2$"], ["$w_3$"], ["$w_4$"]], [["$v_1$", "$v_2$", "$v_3$", "$v_4$"]]],
                     layer_names=["input\nlayer", "hidden\nlayer", "output\nlayer"])
plt.show()

# %% [markdown]
# * The **input layer** just holds the input $x$; it computes nothing.
# * Each node $j$ of the **hidden layer** is a sigmoid neuron with its own weight
#   $w_j$ (on its connection from the input) and its own bias $b_j$. It outputs
#   $\sigma(w_j x + b_j)$. "Hidden" only means that we never see these values
#   directly: they are neither the input nor the answer.
# * The **output layer** has one node that adds up the hidden outputs, each
#   multiplied by the weight $v_j$ of its connection, plus its own bias $c$. It
#   applies **no** activation function, so the output can be any number, not
#   just one between 0 and 1:
#
# $$\hat y = c + \sum_{j=1}^{H} v_j \, \sigma(w_j x + b_j).$$
#
# Computing $\hat y$ from $x$, layer by layer from input to output, is the
# **forward pass**. A bump is the case $H = 2$: $w_1 = w_2 = s$,
# $b_1 = -s \ell$, $b_2 = -s r$, $v_1 = h$, $v_2 = -h$ and $c = 0$.
#
# **In matrix form.** With many inputs at once we follow the course's
# convention: samples are rows, and a layer with `n_in` inputs and `n_out`
# neurons has a weight matrix of shape `(n_out, n_in)` and computes
# `inputs @ W.T + b` (notebook 02 builds this *dense layer* in detail). Here:
#
# | array | shape | holds |
# |---|---|---|
# | `x` | `(n, 1)` | $n$ inputs, one per row |
# | `W1` | `(H, 1)` | the hidden weights $w_j$, one row per hidden neuron |
# | `b1` | `(H,)` | the hidden biases $b_j$ |
# | `W2` | `(1, H)` | the output weights $v_j$, one row for the one output node |
# | `b2` | `(1,)` | the output bias $c$ |
#
# Then `x @ W1.T + b1` has shape `(n, H)`: column $j$ holds $w_j x + b_j$ for
# every input. The sigmoid of it is the hidden layer's output, and multiplying
# that by `W2.T` (shape `(H, 1)`) and adding `b2` gives the `(n, 1)` outputs.
#
# ### Exercise 6: the forward pass (2 points)
#
# Write `forward(x, W1, b1, W2, b2)` for this network: the shapes are those of
# the table, for any $n$ and any number of hidden neurons $H$. Return the
# outputs as an array of shape `(n, 1)`. Use the given `sigmoid` for the hidden
# layer, and nothing on the output. Two lines are enough.

# %% nbgrader={"grade": false, "grade_id": "forward", "locked": false, "schema_version": 3, "solution": true}
def forward(x, W1, b1, W2, b2):
    """Forward pass of a 1 -> H -> 1 network with a sigmoid hidden layer and a linear output.

    x: (n, 1), W1: (H, 1), b1: (H,), W2: (1, H), b2: (1,). Returns (n, 1).
    """
    ### BEGIN SOLUTION
    hidden = sigmoid(x @ W1.T + b1)
    return hidden @ W2.T + b2
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# Two layers: hidden = sigmoid(scores of the first layer), output = linear scores of the second. Samples are rows, and W has shape `(n_out, n_in)`.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# With x of shape `(n, 1)` and W1 of shape `(H, 1)`, `x @ W1.T` has shape `(n, H)`; add `b1` (shape `(H,)`, broadcast over the rows) before the sigmoid.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# The output layer is the same pattern without an activation: `hidden @ W2.T + b2`, shape `(n, 1)`.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "forward_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_array


def check_forward(name, got, expected, b2):
    """Compare a forward pass with the expected outputs; recognise a squashed output."""
    expected = np.asarray(expected)
    if np.shape(got) == expected.shape and np.allclose(got, sigmoid(expected)):
        raise CheckFailed(f"{name}: your outputs are sigmoid(expected outputs) — did you apply the sigmoid to the "
                          "output layer too? The output node only adds up (weights times hidden outputs, plus b2).")
    check_array(name, got, expected, bias=b2)


# Three inputs, two hidden neurons. For x = 0: sigmoid(0) = 0.5 and sigmoid(1) = 0.731,
# so the output is 3 * 0.5 - 1 * 0.731 + 0.5 = 1.269.
x_check = np.array([[-1.0], [0.0], [2.0]])
W1_check, b1_check = np.array([[1.0], [-2.0]]), np.array([0.0, 1.0])
W2_check, b2_check = np.array([[3.0, -1.0]]), np.array([0.5])
check_forward("forward(x_check, W1_check, b1_check, W2_check, b2_check)",
              call(forward, x_check, W1_check, b1_check, W2_check, b2_check),
              [[0.35425013728755195], [1.2689414213699952], [3.0949653607560803]], b2_check)

# Four inputs, three hidden neurons: n and H differ.
x_check = np.array([[-2.0], [-0.5], [0.5], [3.0]])
W1_check, b1_check = np.array([[2.0], [1.0], [-4.0]]), np.array([1.0, -1.0, 2.0])
W2_check, b2_check = np.array([[1.0, -2.0, 0.5]]), np.array([-1.0])
check_forward("forward(x_check, W1_check, b1_check, W2_check, b2_check)",
              call(forward, x_check, W1_check, b1_check, W2_check, b2_check),
              [[-0.547448572111918], [-0.37384415259375836], [-0.6242842596184086], [-1.762482508215814]], b2_check)

# Very steep hidden neurons: the hidden outputs are (0, 1) and (1, 0), and nothing overflows.
try:
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        steep = call(forward, np.array([[-1.0], [1.0]]), np.array([[1000.0], [-1000.0]]), np.zeros(2),
                     np.array([[1.0, 2.0]]), np.zeros(1))
except CheckFailed as err:
    raise CheckFailed(f"{err}\nUse the sigmoid imported at the top of the notebook: it never overflows.") from None
check_forward("forward for steep hidden neurons", steep, [[2.0], [1.0]], np.zeros(1))

### BEGIN HIDDEN TESTS
from nnlearn.layers import dense_forward as reference_dense_forward

hidden_rng = np.random.default_rng(20260106)
for hidden_n, hidden_H, hidden_scale in [(1, 1, 1.0), (5, 3, 2.0), (3, 5, 1.0), (40, 25, 3.0), (7, 2, 1e4)]:
    hidden_x = hidden_rng.uniform(-3, 3, size=(hidden_n, 1))
    hidden_W1 = hidden_rng.normal(scale=hidden_scale, size=(hidden_H, 1))
    hidden_b1 = hidden_rng.normal(scale=hidden_scale, size=hidden_H)
    hidden_W2 = hidden_rng.normal(size=(1, hidden_H))
    hidden_b2 = hidden_rng.normal(size=1)
    hidden_hidden, _ = reference_dense_forward(hidden_x, hidden_W1, hidden_b1)
    hidden_expected, _ = reference_dense_forward(sigmoid(hidden_hidden), hidden_W2, hidden_b2)
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            hidden_got = call(forward, hidden_x, hidden_W1, hidden_b1, hidden_W2, hidden_b2)
    except CheckFailed as err:
        raise CheckFailed(f"{err}\nUse the sigmoid imported at the top of the notebook.") from None
    check_forward(f"forward(x, W1, b1, W2, b2) with n = {hidden_n} inputs and H = {hidden_H} hidden neurons",
                  hidden_got, hidden_expected, hidden_b2)
### END HIDDEN TESTS
print("forward: all tests in this cell passed.")

# %% [markdown]
# Check that the network with the bump's weights really is the bump:

# %%
s, left, right, height = 10.0, -1.0, 1.5, 2.0
x_col = x_plot.reshape(-1, 1)                 # inputs as a column (n, 1)
try:
    from_network = forward(x_col, np.array([[s], [s]]), np.array([-s * left, -s * right]),
                           np.array([[height, -height]]), np.zeros(1))
    from_bump = bump(x_plot, left, right, height, s)
except NotImplementedError:
    not_yet("forward", "bump")
else:
    print("largest difference:", np.max(np.abs(from_network[:, 0] - from_bump)))

# %% [markdown]
# ## 7. Build your own approximator
#
# Here is a network with **three** hidden neurons. The sliders set all of its
# numbers: the weight `w` and bias `b` of each hidden neuron, the output weights
# `v`, and the output bias `c`. The black curve is your network's output (drawn
# with *your* `forward`), the thin coloured curves are the three hidden neurons'
# contributions $v_j \sigma(w_j x + b_j)$, and the title shows the maximum error
# at the 25 target points.
#
# The target has a dip on the left and a hill on the right. Can you bring the
# maximum error below 0.2? Below 0.1? Hints: give each neuron one change in the
# curve to take care of (where the curve goes down, where it goes up, where it
# comes back); place it with $-b/w$, set its steepness with $w$ and the size of
# the change with $v$.

# %%
# NBVAL_IGNORE_OUTPUT
x_target, y_target = make_function("sine", n_samples=25, seed=3)


def draw_approximator(ax, w1=3.0, b1=6.0, v1=-1.0, w2=1.0, b2=0.0, v2=0.0, w3=1.0, b3=0.0, v3=0.0, c=0.0):
    W_hidden = np.array([[w1], [w2], [w3]])
    b_hidden = np.array([b1, b2, b3])
    W_out = np.array([[v1, v2, v3]])
    b_out = np.array([c])
    x = np.linspace(-3.5, 3.5, 300).reshape(-1, 1)
    ax.scatter(x_target, y_target, color="tab:blue", zorder=3, label="target points")
    try:
        y_network = forward(x, W_hidden, b_hidden, W_out, b_out)
        error = max_error(y_target, forward(x_target, W_hidden, b_hidden, W_out, b_out))
    except NotImplementedError:
        not_yet("forward", "max_error", to="see the curve", ax=ax)
        return
    for j, color in enumerate(["tab:orange", "tab:green", "tab:purple"]):
        contribution = W_out[0, j] * sigmoid(x @ W_hidden[j:j + 1].T + b_hidden[j])
        ax.plot(x, contribution, color=color, lw=1, alpha=0.8, label=f"neuron {j + 1}: v{j + 1}·σ(w{j + 1}x + b{j + 1})")
    ax.plot(x, y_network, color="black", lw=2, label="network output")
    ax.set_ylim(-2.5, 2.5)
    ax.set_xlabel("x")
    ax.set_title(f"max error at the target points: {error:.3f}")
    ax.legend(fontsize="x-small", loc="lower right")


weight, bias, out_weight = (-10.0, 10.0, 0.1), (-20.0, 20.0, 0.1), (-3.0, 3.0, 0.05)
interactive_plot(draw_approximator, figsize=(7, 4.5),
                 w1=(*weight, 3.0), b1=(*bias, 6.0), v1=(*out_weight, -1.0),
                 w2=(*weight, 1.0), b2=(*bias, 0.0), v2=(*out_weight, 0.0),
                 w3=(*weight, 1.0), b3=(*bias, 0.0), v3=(*out_weight, 0.0),
                 c=(-2.0, 2.0, 0.05, 0.0))

# %% [markdown]
# Placing neurons by hand works for three of them, not for three hundred.
# Notebooks 03–05 show how a network finds its weights itself, by measuring its
# error and adjusting every weight a little to reduce it. Before that, the next
# section answers a more basic question: *can* a network of this shape match any
# curve at all, if only it has enough hidden neurons?

# %% [markdown]
# ## 8. Many bumps: approximating any curve
#
# Cut the range of $x$ into $N$ short pieces, put a narrow bump on each piece,
# and make each bump as tall as the target function in the middle of its piece.
# Added up, the bumps form a staircase that follows the function. More bumps
# make narrower steps, and the staircase hugs the curve more closely. Since each
# bump is two hidden neurons, this builds a one-hidden-layer network with
# $2N$ hidden neurons — for *any* continuous function on a closed range. That is
# the idea behind the **universal approximation theorem**: one hidden layer is
# enough to approximate such a function on such a range as closely as you like,
# given enough neurons. (It says nothing about how to *find* the weights, or how
# many neurons that takes.)
#
# ### Exercise 7: an approximation by N bumps (3 points)
#
# Write `bumps_approximation(f, n_bumps, x_range)` that returns the parameters
# `(W1, b1, W2, b2)` of a network (in the shapes of the table in section 6) that
# approximates the function `f` on `x_range = (low, high)` with `n_bumps` bumps:
#
# * `f` is a Python function that takes an array and returns an array, like
#   `np.sin`; `n_bumps` $= N \ge 2$;
# * bump centres: `np.linspace(low, high, n_bumps)` (the first and last at the
#   ends of the range); width $w = (\text{high} - \text{low}) / (N - 1)$; bump $j$
#   runs from $c_j - w/2$ to $c_j + w/2$, so neighbours touch;
# * height of bump $j$: $f(c_j)$;
# * steepness $s = 20 / w$ (or steeper). The steepness must *grow* as the bumps
#   get narrower: otherwise the sides of neighbouring bumps smear into each
#   other and the error stops falling;
# * each bump is two hidden neurons, as in section 6: $H = 2N$, with weights $s$
#   and biases $-s \cdot \text{left}$ and $-s \cdot \text{right}$, and output
#   weights $+f(c_j)$ and $-f(c_j)$. The order of the hidden neurons does not
#   matter. The output bias is 0.
#
# No loop is needed: build the arrays for all bumps at once (`np.concatenate`
# and `reshape` help). (Neighbouring bumps share an edge, so $N + 1$ neurons
# would also do — any network whose error falls like this one's is accepted.)

# %% nbgrader={"grade": false, "grade_id": "bumps_approximation", "locked": false, "schema_version": 3, "solution": true}
def bumps_approximation(f, n_bumps, x_range):
    """Parameters (W1, b1, W2, b2) of a 1 -> H -> 1 sigmoid network made of n_bumps bumps
    that approximates f on x_range = (low, high).

    Returns W1 (H, 1), b1 (H,), W2 (1, H), b2 (1,).
    """
    ### BEGIN SOLUTION
    low, high = x_range
    centres = np.linspace(low, high, n_bumps)
    width = (high - low) / (n_bumps - 1)
    s = 20.0 / width
    heights = np.asarray(f(centres), dtype=float)
    edges = np.concatenate([centres - width / 2, centres + width / 2])   # rising edges, then falling ones
    W1 = np.full((2 * n_bumps, 1), s)
    b1 = -s * edges
    W2 = np.concatenate([heights, -heights]).reshape(1, -1)
    b2 = np.zeros(1)
    return W1, b1, W2, b2
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# Split x_range into n_bumps equal pieces, one bump per piece, each as high as f at the piece's centre. Every bump needs two hidden neurons (its rising and its falling edge), so H = 2 · n_bumps.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# For the edges at positions e: a steep sigmoid `sigmoid(s * (x - e))` has weight s and bias −s·e. Choose s large compared to 1 / (width of a piece), e.g. 20 / width, so the steps are sharp.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# Put all rising edges (centre − width/2) first and all falling edges (centre + width/2) after them in W1 and b1; the output weights W2 are then the heights for the rising edges and minus the heights for the falling ones, with b2 = 0. Check the shapes against the docstring.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "bumps_approximation_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_shape, check_type


def check_network(name, params):
    """Check that params is (W1, b1, W2, b2) in the course's shapes; return them as float arrays."""
    check_type(name, params, (tuple, list))
    if len(params) != 4:
        raise CheckFailed(f"{name} should return four arrays (W1, b1, W2, b2), got {len(params)} values.")
    convention = "The shapes for H hidden neurons are W1 (H, 1), b1 (H,), W2 (1, H), b2 (1,)."
    try:
        check_shape(f"b1 from {name}", params[1], (None,))
        n_hidden = np.shape(params[1])[0]
        check_shape(f"W1 from {name}", params[0], (n_hidden, 1))
        check_shape(f"W2 from {name}", params[2], (1, n_hidden))
        check_shape(f"b2 from {name}", params[3], (1,))
    except CheckFailed as err:
        raise CheckFailed(f"{err}\n{convention}") from None
    return tuple(np.asarray(p, dtype=float) for p in params)


def network_output(x, W1, b1, W2, b2):
    """The network's outputs for a flat array x, neuron by neuron:
    b2[0] + sum over hidden neurons j of W2[0, j] * sigmoid(W1[j, 0] * x + b1[j])."""
    out = np.full(x.shape, b2[0])
    for j in range(b1.shape[0]):
        out = out + W2[0, j] * sigmoid(W1[j, 0] * x + b1[j])
    return out


# Approximate np.sin on (-3, 3) with 10 and with 40 bumps, and measure the max error on a fine grid.
x_check = np.linspace(-3.0, 3.0, 601)
errors = {}
for n_bumps in (10, 40):
    name = f"bumps_approximation(np.sin, {n_bumps}, (-3.0, 3.0))"
    params = check_network(name, call(bumps_approximation, np.sin, n_bumps, (-3.0, 3.0)))
    if not all(np.isfinite(p).all() for p in params):
        raise CheckFailed(f"{name} returned NaN or infinite parameters — a division by zero in the width?")
    errors[n_bumps] = np.max(np.abs(network_output(x_check, *params) - np.sin(x_check)))
print(f"max error for np.sin on (-3, 3): {errors[10]:.4f} with 10 bumps, {errors[40]:.4f} with 40 bumps")
if not errors[40] < errors[10]:
    raise CheckFailed(f"The max error should fall as the number of bumps grows, but it is {errors[10]:.3g} with 10 "
                      f"bumps and {errors[40]:.3g} with 40. Narrower bumps need steeper sides: steepness = 20 / width.")
if not errors[40] < 0.1:
    raise CheckFailed(f"With 40 bumps the max error for np.sin on (-3, 3) should be below 0.1, got {errors[40]:.3g}. "
                      "Plot the network's output next to np.sin, and check the bumps' centres (np.linspace over "
                      "the range), edges (centre -/+ width / 2), heights (f at the centres) and steepness.")

# A short range away from 0: 40 bumps on (2, 3) are 1/39 = 0.026 wide, six times narrower than on (-3, 3).
# A staircase of such narrow steps stays within about 0.01 of np.sin; 0.025 is allowed.
name = "bumps_approximation(np.sin, 40, (2.0, 3.0))"
short = check_network(name, call(bumps_approximation, np.sin, 40, (2.0, 3.0)))
x_short = np.linspace(2.0, 3.0, 501)
gaps = np.abs(network_output(x_short, *short) - np.sin(x_short))
if not gaps.max() < 0.025:
    message = (f"{name}: the network is off by {gaps.max():.3g} at x = {x_short[np.argmax(gaps)]:.3f}; the max "
               "error on (2, 3) should be below 0.025.")
    W1_short, b1_short = short[0][:, 0], short[1]
    moving = W1_short != 0
    switches = -b1_short[moving] / W1_short[moving]            # where each hidden neuron switches
    steepness = np.median(np.abs(W1_short[moving])) if moving.any() else 0.0
    steepness_wide = np.median(np.abs(params[0]))                # the 40 bumps on (-3, 3) above
    if moving.any() and (switches.min() < 2.0 - 1 / 39 - 1e-9 or switches.max() > 3.0 + 1 / 39 + 1e-9):
        message += (f" Your hidden neurons switch (at x = -b1 / W1) from x = {switches.min():.3g} to "
                    f"{switches.max():.3g}, outside x_range = (2.0, 3.0): place the bumps on the range you are "
                    "given, not on (-3, 3).")
    elif steepness < 10 * 39:
        message += (f" Your hidden weights (the steepness) are about {steepness:.3g} here and {steepness_wide:.3g} "
                    "on (-3, 3), but these bumps are six times narrower. With a steepness below about 10 / width, "
                    "neighbouring bumps smear into each other and the sum sags, most at the ends of the range. "
                    "Make the steepness grow as the bumps get narrower: steepness = 20 / width.")
    else:
        message += (" Check the bumps' centres (np.linspace over the range), edges (centre -/+ width / 2) and "
                    "heights (f at the centres).")
    raise CheckFailed(message)

### BEGIN HIDDEN TESTS
from nnlearn.datasets import FUNCTIONS as HIDDEN_FUNCTIONS
from nnlearn.layers import dense_forward as reference_dense_forward


def hidden_max_error(f, params, x_range):
    hidden_grid = np.linspace(x_range[0], x_range[1], 2001).reshape(-1, 1)
    hidden_W1, hidden_b1, hidden_W2, hidden_b2 = params
    hidden_h, _ = reference_dense_forward(hidden_grid, hidden_W1, hidden_b1)
    hidden_out, _ = reference_dense_forward(sigmoid(hidden_h), hidden_W2, hidden_b2)
    hidden_truth = np.asarray(f(hidden_grid[:, 0]), dtype=float)
    return np.max(np.abs(hidden_out[:, 0] - hidden_truth)), np.ptp(hidden_truth)


# Several continuous targets, several ranges (not only (-3, 3)), x_range given as a list or a tuple:
# the max error must fall from 8 to 32 to 128 bumps and end below 5 % of the function's spread.
for hidden_name in ["sine", "bump", "abs", "cubic", "quadratic", "wiggle"]:
    hidden_f = HIDDEN_FUNCTIONS[hidden_name]
    for hidden_range in [(0.0, 1.0), [-5.0, 2.0], (-3, 3)]:
        hidden_errors = []
        for hidden_n in (8, 32, 128):
            hidden_name_call = f"bumps_approximation({hidden_name}, {hidden_n}, {hidden_range})"
            hidden_params = check_network(hidden_name_call, call(bumps_approximation, hidden_f, hidden_n, hidden_range))
            hidden_error, hidden_spread = hidden_max_error(hidden_f, hidden_params, hidden_range)
            hidden_errors.append(hidden_error)
        if not (hidden_errors[2] < hidden_errors[1] < hidden_errors[0]):
            raise CheckFailed(f"For {hidden_name} on {hidden_range} the max error does not fall as the number of "
                              f"bumps grows: {hidden_errors} for 8, 32, 128 bumps.")
        if not hidden_errors[2] <= 0.05 * hidden_spread:
            raise CheckFailed(f"For {hidden_name} on {hidden_range} with 128 bumps the max error is "
                              f"{hidden_errors[2]:.3g}, more than 5 % of the function's spread ({hidden_spread:.3g}).")

# The smallest case: two bumps still make a valid network.
hidden_params = check_network("bumps_approximation(f, 2, (0.0, 2.0))",
                              call(bumps_approximation, lambda v: 1.0 + v, 2, (0.0, 2.0)))
if not all(np.isfinite(p).all() for p in hidden_params):
    raise CheckFailed("bumps_approximation(f, 2, (0.0, 2.0)) returned NaN or infinite parameters.")
### END HIDDEN TESTS
print("bumps_approximation: all tests in this cell passed.")

# %% [markdown]
# Here is the wiggly curve of section 1, this time with the formula known,
# approximated by 4, 10 and 40 bumps:

# %%
f_wiggle = FUNCTIONS["wiggle"]
x_grid = np.linspace(-3, 3, 601).reshape(-1, 1)
try:
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.2), sharey=True)
    for ax, n_bumps in zip(axes, (4, 10, 40)):
        params = bumps_approximation(f_wiggle, n_bumps, (-3, 3))
        y_network = forward(x_grid, *params)
        ax.plot(x_grid, f_wiggle(x_grid), color="tab:blue", lw=3, alpha=0.4, label="target")
        ax.plot(x_grid, y_network, color="black", lw=1.2, label="network")
        ax.set_title(f"{n_bumps} bumps ({2 * n_bumps} hidden neurons): "
                     f"max error {max_error(f_wiggle(x_grid), y_network):.3f}", fontsize=9)
        ax.set_xlabel("x")
    axes[0].legend(fontsize="small")
    plt.show()
except NotImplementedError:
    plt.close(fig)
    not_yet("bumps_approximation", "forward", "max_error")

# %% [markdown]
# And the maximum error against the number of bumps, on logarithmic axes. With 4
# or 8 bumps the error hardly falls: the curve, $\sin(3x) + 0.3x$, goes up and
# down every 2.1 units, and bumps 2 or 0.86 units wide are too coarse to follow
# its hills and valleys. From about 16 bumps on, the points fall on a line of
# slope about $-1$: twice as many bumps, about half the error. Once the steps are
# short compared with the wiggles, a step misses the curve by at most about the
# curve's slope times half a step's width, so the error shrinks as fast as the
# bumps get narrower. (The dashed line $\propto 1/N$ is drawn through the last
# point.)

# %%
try:
    counts = np.array([4, 8, 16, 32, 64, 128, 256])
    errors_by_count = [max_error(f_wiggle(x_grid), forward(x_grid, *bumps_approximation(f_wiggle, n, (-3, 3))))
                       for n in counts]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.loglog(counts, errors_by_count, "o-", label="max error")
    ax.loglog(counts, errors_by_count[-1] * counts[-1] / counts, "--", color="gray", label="∝ 1 / N")
    ax.set_xlabel("number of bumps N")
    ax.set_ylabel("max error")
    ax.legend()
    plt.show()
    for n, e in zip(counts, errors_by_count):
        print(f"{n:4d} bumps: max error {e:.4f}")
except NotImplementedError:
    not_yet("bumps_approximation", "forward", "max_error")

# %% [markdown]
# Try other targets and numbers of bumps. Watch the two functions with jumps,
# `step` and `sawtooth`: the error away from the jumps shrinks, but right at a
# jump it stays at about half the jump. A sum of sigmoids is continuous, so it
# has to pass through the middle of every jump — such functions can be matched
# everywhere except in an ever narrower strip around the jumps.

# %%
# NBVAL_IGNORE_OUTPUT
def draw_bumps(ax, target="sine", n_bumps=10):
    f = FUNCTIONS[target]
    x = np.linspace(-3, 3, 801).reshape(-1, 1)
    ax.plot(x, f(x), color="tab:blue", lw=3, alpha=0.4, label=f"target: {target}")
    try:
        y_network = forward(x, *bumps_approximation(f, n_bumps, (-3, 3)))
        error = max_error(f(x), y_network)
    except NotImplementedError:
        not_yet("bumps_approximation", "forward", "max_error", to="see the network", ax=ax)
        return
    ax.plot(x, y_network, color="black", lw=1.2, label="network")
    ax.set_title(f"{n_bumps} bumps, {2 * n_bumps} hidden neurons: max error {error:.3f}")
    ax.set_xlabel("x")
    ax.legend(fontsize="small")


interactive_plot(draw_bumps, target=list(FUNCTIONS), n_bumps=(2, 80, 1, 10))

# %% [markdown]
# ## 9. From points to predictions
#
# Back to the 24 measured points of section 1, where the formula is unknown.
# The bumps still need a height for each centre; without $f$ we take it from the
# examples, by joining neighbouring points with straight lines (`np.interp`) and
# reading off the height there. Then we measure the error on the six held-out
# points, which the network never saw, and compare with the line.

# %%
def from_points(x_known, y_known):
    """A function that joins the given points with straight lines (and is flat beyond them)."""
    return lambda x: np.interp(x, np.ravel(x_known), np.ravel(y_known))


data_range = (float(x_fit.min()), float(x_fit.max()))


def predict_network(x):
    """The network of 40 bumps whose heights come from the 18 fitted points."""
    return forward(x, *bumps_approximation(from_points(x_fit, y_fit), 40, data_range))


try:
    slope, intercept = linear_fit(x_fit, y_fit)
    print("max error          on the 18 fitted points   on the 6 held-out points")
    print(f"line               {max_error(y_fit, slope * x_fit + intercept):10.3f}"
          f"   {max_error(y_held, slope * x_held + intercept):24.3f}")
    print(f"network (40 bumps) {max_error(y_fit, predict_network(x_fit)):10.3f}"
          f"   {max_error(y_held, predict_network(x_held)):24.3f}")
    plot_function_fit(x_fit, y_fit, predict=predict_network, x_test=x_held, y_test=y_held,
                      title="a network built from the 18 dots; the crosses were held out")
    plt.show()
except NotImplementedError:
    not_yet("linear_fit", "max_error", "bumps_approximation", "forward")

# %% [markdown]
# The network predicts the held-out points far better than the line: its curve
# passes close to them even though it was built without them. Between the
# examples it **interpolates**. Be clear about where that skill came from,
# though: the heights of its bumps were read off the examples joined by straight
# lines, so between two examples the network follows that ruler-drawn join, give
# or take its steps. We chose how it fills the gaps; it did not learn it. A
# network that finds its own weights from the examples appears in section 10.
# Only the held-out error measures how well a model predicts between the
# examples. The error at the fitted points says how well a model reproduces what
# it was given, and a model can reproduce its examples perfectly yet predict
# badly between them — notebook 03 shows such a model (*overfitting*).
#
# Outside the range of the examples the picture is different. There are no
# bumps out there, so the output falls back to the output bias, 0, while the
# true curve carries on. Networks **extrapolate** badly: beyond the data, a
# prediction says more about how the network was built than about the world.

# %%
x_wide = np.linspace(-6, 6, 601).reshape(-1, 1)
try:
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.axvspan(*data_range, color="tab:green", alpha=0.08, label="range of the examples")
    ax.plot(x_wide, f_wiggle(x_wide), color="tab:blue", lw=3, alpha=0.4, label="true function (unknown to us)")
    ax.plot(x_wide, predict_network(x_wide), color="black", label="network")
    ax.scatter(x_fit, y_fit, color="tab:blue", s=15, zorder=3)
    ax.set_xlabel("x")
    ax.legend(fontsize="small", loc="lower right")
    ax.set_title("inside the examples: interpolation; outside: extrapolation")
    plt.show()
except NotImplementedError:
    plt.close(fig)
    not_yet("bumps_approximation", "forward")

# %% [markdown]
# ## 10. Common misconceptions
#
# **"A network can only predict inputs it has seen: it is a lookup table of its
# training examples."** A lookup table stores its examples and has an answer for
# those inputs only. The network of section 9 would be a weak witness against the
# claim: it was built from the examples joined by straight lines, and a table of
# points with a ruler for the gaps *is* a lookup table. So take a network that
# nobody built by hand: 1 input, 20 sigmoid hidden neurons and 1 output,
# started from random weights and **trained** on the 18 fitted points (with the
# course library's training loop; notebooks 03 to 05 show how training works).
# It never saw the six held-out points, nor $x = 0.3$.

# %% tags=["grading-skip"]
from nnlearn.network import mlp
from nnlearn.optimizers import Adam

trained = mlp([1, 20, 1], activation="sigmoid", loss="mse", seed=0)   # random starting weights
trained.fit(x_fit, y_fit, epochs=2000, batch_size=None, optimizer=Adam(0.02), seed=0)

lookup_table = {float(xi): float(yi) for xi, yi in zip(x_fit[:, 0], y_fit[:, 0])}
print("lookup table at x = 0.3:   ", lookup_table.get(0.3, "no entry"))
print(f"trained network at x = 0.3: {trained.predict(np.array([[0.3]]))[0, 0]:.2f}"
      f"   (true value {f_wiggle(0.3):.2f})")
print(f"max error on the 18 points it was trained on: {np.max(np.abs(trained.predict(x_fit) - y_fit)):.2f}")
print(f"max error on the 6 held-out points:           {np.max(np.abs(trained.predict(x_held) - y_held)):.2f}")
print(f"it holds {sum(p.size for p in trained.params)} weights and biases, and none of its 18 examples")
plot_function_fit(x_fit, y_fit, predict=trained.predict, x_test=x_held, y_test=y_held,
                  title="a trained network (20 sigmoid neurons); the crosses were held out")
plt.show()

# %% [markdown]
# A lookup table would give back its 18 examples exactly and nothing else. The
# trained network does neither. It does not even reproduce its own examples
# exactly (it misses them by up to about 0.1): it stored none of them, only 61
# numbers, chosen so that one smooth curve passes near all the examples at once.
# And it answers everywhere, close to the truth between the examples: within
# about 0.1 at the held-out points, where the line was off by 1. What it says
# between the examples comes from the shape of that curve, not from stored
# answers. (These numbers come from one run. Eight random starts, `seed=0` to
# `seed=7`, gave held-out errors between 0.10 and 0.15 and errors at the
# training points between 0.03 and 0.09: never zero.) Outside the examples it is
# another story, as the next claim shows.

# %% [markdown]
# **"A network predicts well for any input."** Only where it has examples around
# to interpolate between. Far outside them, its output is whatever its
# construction (or its training) happened to leave there:

# %%
print(f"the examples cover x from {data_range[0]:.2f} to {data_range[1]:.2f}")
try:
    for x_far in (2.0, 3.0, 4.0, 5.0, 6.0):
        y_far = np.round(predict_network(np.array([[x_far]]))[0, 0], 3) + 0.0   # no '-0.000'
        print(f"x = {x_far}: network {y_far:6.3f}, true value {f_wiggle(x_far):6.3f}")
except NotImplementedError:
    not_yet("bumps_approximation", "forward")

# %% [markdown]
# The built network falls back to its output bias, 0. The trained network of the
# previous claim does something else out there, and is no better for it:

# %% tags=["grading-skip"]
for x_far in (2.0, 3.0, 4.0, 5.0, 6.0):
    print(f"x = {x_far}: trained network {trained.predict(np.array([[x_far]]))[0, 0]:5.2f}, "
          f"true value {f_wiggle(x_far):5.2f}")

# %% [markdown]
# Beyond the last example its output drifts slowly towards a constant, as one
# hidden sigmoid after another settles fully on or off, while the true curve
# keeps rising and falling. Neither network has any information about that
# region; what each says there comes from how it was made.

# %% [markdown]
# **"The output neuron holds a number between 0 and 1, how confident the network
# is."** That is true of an output neuron with a sigmoid (or softmax) in a
# classifier. A network that approximates a function has a plain weighted sum as
# its output: the output *is* the predicted value, and it can be any number.
# Here is the network for `cubic` on $(-3, 3)$, whose values run from $-3$ to
# $3$:

# %%
try:
    y_cubic = forward(x_grid, *bumps_approximation(FUNCTIONS["cubic"], 40, (-3, 3)))
    print(f"network outputs from {y_cubic.min():.2f} to {y_cubic.max():.2f}")
except NotImplementedError:
    not_yet("bumps_approximation", "forward")

# %% [markdown]
# **"A neuron whose weighted sum is below its threshold passes nothing on to the
# next layer; only when it fires does it send a value."** That describes the
# step neuron. A sigmoid neuron always sends its value on, also below the
# half-way point, and the next layer uses those in-between values: they are what
# makes the bumps' sides smooth and the network's output a smooth curve.

# %%
z_values = np.array([-3.0, -1.0, -0.1, 0.1, 1.0])
try:
    print("z:               ", z_values)
    print("step neuron:     ", step_neuron(z_values, 1.0, 0.0))
    print("sigmoid neuron:  ", np.round(sigmoid_neuron(z_values, 1.0, 0.0), 3))
except NotImplementedError:
    not_yet("step_neuron", "sigmoid_neuron")


# %% [markdown]
# ## Where you stand
#
# The next cell runs the visible tests of every exercise again, against your
# functions as they are now, and lists the points at stake. Passing them is a good
# sign, not a grade: the grade also uses hidden tests, on other inputs.

# %% tags=["grading-skip"]
from nnlearn.standing import where_you_stand

where_you_stand("01_function_approximation.ipynb")

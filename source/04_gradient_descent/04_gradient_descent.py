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
# # 04 · Gradient descent
#
# A network starts with random weights and is useless. Training turns it into
# something useful by changing the weights, a little at a time, so that the loss
# (the single number from notebook 03 that says how wrong the network is) goes
# down. This notebook is about *how* to change them:
#
# 1. the **derivative** tells you how the loss responds when you nudge one weight;
# 2. the **gradient** collects those responses for all weights at once;
# 3. **gradient descent** steps against the gradient, again and again;
# 4. the **learning rate** decides how long the steps are: too short and training
#    crawls, too long and it blows up;
# 5. **mini-batches** make each step cheap, **momentum** and **Adam** make the
#    steps smarter.
#
# You will write each of these as a small function and then watch them work on
# pictures you can play with.
#
# **How to work through this notebook.** Run the cells from top to bottom. Where
# you see `# YOUR CODE HERE`, delete the `raise NotImplementedError()` line and
# write your code. The cell after each exercise tests your answer; if a check
# fails, its message says what is wrong. Cells that draw pictures with your
# functions print a note until you have written them: come back and run them
# again.

# %%
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from nnlearn.plotting import not_yet, plot_trajectory   # not_yet: which of your functions a cell still needs
from nnlearn.widgets import interactive_plot


# %% [markdown]
# ## 1. The derivative is a slope
#
# Take a function of one number, $f(x)$. Its **derivative** $f'(x)$ at a point is
# the slope of the curve there: how many units $f$ goes up per unit step to the
# right, if the step is tiny. Draw the straight line that just touches the curve
# at that point — the **tangent** — and $f'(x)$ is its slope.
#
# You can estimate the slope without any calculus. Pick a small $h$, look at the
# curve a little to the left and a little to the right of $x$, and divide the rise
# by the run:
#
# $$f'(x) \approx \frac{f(x + h) - f(x - h)}{2h}.$$
#
# The line through those two points is a *secant*. As $h$ shrinks, the secant
# turns into the tangent. Below, $f(x) = x^3/3 - x$, whose exact derivative is
# $f'(x) = x^2 - 1$, so at $x = 1.5$ the slope is $1.25$.

# %%
def f_curve(x):
    return x**3 / 3 - x


x0 = 1.5
xs = np.linspace(-2.5, 2.5, 300)
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(xs, f_curve(xs), color="black", lw=2, label="$f(x) = x^3/3 - x$")
for h, color in [(1.0, "tab:orange"), (0.5, "tab:olive"), (0.1, "tab:green")]:
    slope = (f_curve(x0 + h) - f_curve(x0 - h)) / (2 * h)
    ax.plot(xs, f_curve(x0) + slope * (xs - x0), color=color, lw=1,
            label=f"secant with h = {h}: slope {slope:.3f}")
    ax.plot([x0 - h, x0 + h], f_curve(np.array([x0 - h, x0 + h])), "o", color=color, ms=4)
ax.plot(xs, f_curve(x0) + (x0**2 - 1) * (xs - x0), "--", color="tab:blue",
        label="tangent: slope f'(1.5) = 1.25")
ax.plot(x0, f_curve(x0), "o", color="tab:blue", ms=8)
ax.set_ylim(-3, 3)
ax.set_xlabel("x")
ax.set_ylabel("f(x)")
ax.legend(fontsize="small", loc="lower right")
plt.show()

# %% [markdown]
# Why does this matter for learning? Think of $x$ as a weight and $f$ as the loss.
# The sign of the slope says which way is downhill: where $f'(x) > 0$ the loss
# falls if you *decrease* $x$, where $f'(x) < 0$ it falls if you *increase* $x$.
# Its size says how steep the hill is there. At the bottom of a valley the slope
# is zero.
#
# ### Exercise 1: a numerical derivative (2 points)
#
# Write `numerical_derivative(f, x, h=1e-5)` that returns the **centred
# difference** $\big(f(x + h) - f(x - h)\big) / (2h)$.
#
# * `f` is a function of one number that also works entry by entry on arrays
#   (like `np.sin`);
# * `x` is a number or a NumPy array of points; for an array, return the slope at
#   every point (an array of the same shape) — the formula does that by itself;
# * use the `h` you are given.
#
# Why centred and not the one-sided $\big(f(x + h) - f(x)\big)/h$? The one-sided
# difference is off by about $\frac{h}{2} f''(x)$; in the centred one that error
# cancels between the two sides and what is left is of order $h^2$: for
# $h = 10^{-5}$ an error around $10^{-10}$ instead of $10^{-5}$.

# %% nbgrader={"grade": false, "grade_id": "numerical_derivative", "locked": false, "schema_version": 3, "solution": true}
def numerical_derivative(f, x, h=1e-5):
    """Slope of f at x by the centred difference (f(x + h) - f(x - h)) / (2h).

    f: a function of one number that also works entry by entry on arrays.
    x: a number or an array of any shape. Returns the slope(s), with the shape of x.
    """
    ### BEGIN SOLUTION
    return (f(x + h) - f(x - h)) / (2 * h)
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# Step a little to each side of x, by h, and see how much f changed over that distance.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# The change over the distance: (value a step to the right − value a step to the left) divided by the width of the interval, which is 2h. Because f works entry by entry, the same expression handles a number and an array of x values.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "numerical_derivative_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import call, check_array, check_scalar

centred_hint = ("Hint: use the centred difference (f(x + h) - f(x - h)) / (2 * h), with the h you are "
                "given: it is accurate to about 1e-10 here, the one-sided (f(x + h) - f(x)) / h "
                "only to about 1e-5.")

# Derivatives you know: d/dx x**3 = 3 x**2, d/dx sin(x) = cos(x), d/dx exp(x) = exp(x).
check_scalar("numerical_derivative(lambda x: x**3, 2.0)",
             call(numerical_derivative, lambda x: x**3, 2.0), 12.0, rtol=1e-8, hint=centred_hint)
check_scalar("numerical_derivative(np.sin, 1.0)",
             call(numerical_derivative, np.sin, 1.0), 0.5403023058681398, rtol=1e-8, hint=centred_hint)
check_scalar("numerical_derivative(np.exp, 0.0)",
             call(numerical_derivative, np.exp, 0.0), 1.0, rtol=1e-8, hint=centred_hint)

# Several points at once: the slope of x**2 is 2x at every point.
x_points = np.array([-1.0, 0.0, 0.5, 3.0])
check_array("numerical_derivative(lambda x: x**2, np.array([-1.0, 0.0, 0.5, 3.0]))",
            call(numerical_derivative, lambda x: x**2, x_points), 2 * x_points, rtol=1e-8,
            hint=centred_hint)

# Another h: with h = 0.1 the centred difference of x**3 at 2 is 3 * 2**2 + h**2 = 12.01, not 12.
check_scalar("numerical_derivative(lambda x: x**3, 2.0, h=0.1)",
             call(numerical_derivative, lambda x: x**3, 2.0, h=0.1), 12.01, rtol=1e-9,
             hint="Hint: use the h that is passed in, not a fixed number. With h = 0.1 the centred "
                  "difference of x**3 at 2 is exactly 3 * 2**2 + h**2 = 12.01.")

### BEGIN HIDDEN TESTS
# Other functions and points, arrays of several shapes, and another h. With h = 1e-2
# the centred difference of x**3 is 3 x**2 + h**2 exactly: an answer that ignores h is off.
hidden_rng = np.random.default_rng(20260401)
hidden_cases = [
    (np.tanh, lambda x: 1 - np.tanh(x)**2, hidden_rng.normal(size=(5,))),
    (np.exp, np.exp, hidden_rng.uniform(-3, 10, size=(2, 3))),
    (lambda x: 1 / (1 + x**2), lambda x: -2 * x / (1 + x**2)**2, hidden_rng.normal(scale=2, size=(3, 1, 2))),
    (lambda x: x**4 - 2 * x, lambda x: 4 * x**3 - 2, np.array(-1.7)),
    (np.cos, lambda x: -np.sin(x), 7.25),
]
for hidden_k, (hidden_f, hidden_df, hidden_x) in enumerate(hidden_cases):
    check_array(f"numerical_derivative(f, x) for function {hidden_k} and x of shape {np.shape(hidden_x)}",
                call(numerical_derivative, hidden_f, hidden_x), hidden_df(np.asarray(hidden_x)),
                rtol=1e-7, atol=1e-8, hint=centred_hint)
for hidden_h in [1e-2, 1e-3]:
    hidden_x = np.array([-2.0, 0.5, 1.0, 4.0])
    check_array(f"numerical_derivative(lambda x: x**3, x, h={hidden_h})",
                call(numerical_derivative, lambda x: x**3, hidden_x, h=hidden_h),
                3 * hidden_x**2 + hidden_h**2, rtol=1e-9, atol=1e-9,
                hint="Hint: use the h that is passed in, not a fixed number.")
    check_scalar(f"numerical_derivative(np.sin, 0.3, {hidden_h})",
                 call(numerical_derivative, np.sin, 0.3, hidden_h),
                 (np.sin(0.3 + hidden_h) - np.sin(0.3 - hidden_h)) / (2 * hidden_h), rtol=1e-9,
                 hint="Hint: use the h that is passed in, not a fixed number.")
### END HIDDEN TESTS
print("numerical_derivative: all tests in this cell passed.")

# %% [markdown]
# Move the point along the curve. The tangent is drawn with *your*
# `numerical_derivative`: where it slopes up, downhill is to the left; where it
# slopes down, downhill is to the right; at the bottom of the dip (and at the top
# of the hump) it is flat.

# %%
# NBVAL_IGNORE_OUTPUT
def draw_tangent(ax, x0=1.5):
    ax.plot(xs, f_curve(xs), color="black", lw=2)
    ax.set_ylim(-3, 3)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    try:
        slope = numerical_derivative(f_curve, x0)
    except NotImplementedError:
        ax.set_title("Not yet: write numerical_derivative above to see the tangent")
        return
    ax.plot(xs, f_curve(x0) + slope * (xs - x0), "--", color="tab:blue")
    downhill = "nowhere: flat" if abs(slope) < 1e-3 else "left" if slope > 0 else "right"
    if abs(slope) >= 1e-3:
        ax.annotate("", xy=(x0 - 0.6 * np.sign(slope), f_curve(x0)), xytext=(x0, f_curve(x0)),
                    arrowprops=dict(arrowstyle="->", color="tab:red", lw=2))
    ax.plot(x0, f_curve(x0), "o", color="tab:blue", ms=8)
    ax.set_title(f"slope at x = {x0:.2f}: {slope:.3f}   (downhill: {downhill})")


interactive_plot(draw_tangent, x0=(-2.4, 2.4, 0.05, 1.5))

# %% [markdown]
# ## 2. Many weights: the gradient
#
# A network has many weights, so its loss is a function of a whole array of
# numbers $\mathbf{w} = (w_1, \dots, w_n)$. Nudge one of them, $w_i$, and keep
# the others fixed: the slope you measure is the **partial derivative**
# $\partial f / \partial w_i$. Doing that for every weight gives the
# **gradient**, an array with one slope per weight:
#
# $$\nabla f(\mathbf{w}) = \left(\frac{\partial f}{\partial w_1}, \dots, \frac{\partial f}{\partial w_n}\right).$$
#
# The gradient has the same shape as $\mathbf{w}$. Seen as an arrow, it points in
# the direction in which $f$ climbs fastest — **steepest ascent** — and its length
# says how steep that climb is. So $-\nabla f$ points the way down, and at a
# minimum, where the surface is flat, the gradient is zero.
#
# ### Exercise 2: a numerical gradient (3 points)
#
# Write `numerical_gradient(f, w, h=1e-5)`:
#
# * `f` takes an array shaped like `w` and returns a single number;
# * `w` is a float array of any shape (a vector, a matrix, ...);
# * return an array with the shape of `w` whose entry at index `i` is the centred
#   difference for that entry alone: `f` with `w[i]` raised by `h`, minus `f` with
#   `w[i]` lowered by `h`, divided by `2h`;
# * when you return, `w` must hold exactly its original values again: if you nudge
#   `w` itself, save each entry and assign it back (adding `h` back after
#   subtracting it can be off in the last digit); or nudge a copy.
#
# `np.ndindex(w.shape)` runs through every index of an array of any shape, and
# `np.zeros_like(w)` makes an array of zeros of the right shape. A loop is fine
# here: networks use backpropagation (notebook 05) for speed, and numerical
# gradients to check it.

# %% nbgrader={"grade": false, "grade_id": "numerical_gradient", "locked": false, "schema_version": 3, "solution": true}
def numerical_gradient(f, w, h=1e-5):
    """Gradient of the scalar function f at the array w, by centred differences.

    f: function mapping an array shaped like w to a number. w: float array of any shape.
    Returns an array with the shape of w. w is left unchanged.
    """
    ### BEGIN SOLUTION
    grad = np.zeros_like(w, dtype=float)
    for i in np.ndindex(w.shape):
        old = w[i]
        w[i] = old + h
        f_plus = f(w)
        w[i] = old - h
        f_minus = f(w)
        w[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# Treat each entry of w on its own: nudge only that entry, keep the others fixed, and measure the slope as in `numerical_derivative`.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# `np.ndindex(w.shape)` visits every position of an array of any shape. At each position, change the entry to old + h and evaluate f, then to old − h and evaluate f, and put the centred difference into a result array shaped like w.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# Put the entry back to its old value after each nudge (or work on a copy of w): the docstring promises that w is left unchanged. Build the result with `np.zeros_like(w, dtype=float)` so an integer w still gets float slopes.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "numerical_gradient_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_array


def check_gradient(name, f, w, expected):
    """Run numerical_gradient(f, w) on a copy of w; check w is restored and the values."""
    w_before = w.copy()
    got = call(numerical_gradient, f, w)
    if w.shape != w_before.shape or not np.array_equal(w, w_before):
        raise CheckFailed(f"{name} changed w: it was {w_before.tolist()} before the call and "
                          f"{w.tolist()} after. Put every nudged entry back to exactly its old value: "
                          "save it (old = w[i]) and assign it back (w[i] = old), or nudge a copy of w. "
                          "Adding h back after subtracting 2 * h can be off in the last digit.")
    check_array(name, got, expected, rtol=1e-7, atol=1e-8)


# f(w) = w0**2 + 3 w0 w1 + 5 has the partial derivatives 2 w0 + 3 w1 and 3 w0.
check_gradient("numerical_gradient(f, np.array([1.0, 2.0]))",
               lambda w: w[0]**2 + 3 * w[0] * w[1] + 5, np.array([1.0, 2.0]), [8.0, 3.0])

# A matrix of weights: f(W) = sum(C * W**2) has the gradient 2 C W, of the shape of W.
C = np.array([[1.0, 2.0, 3.0],
              [4.0, 5.0, 6.0]])
W_test = np.array([[0.5, -1.0, 2.0],
                   [1.5, 0.0, -0.25]])
check_gradient("numerical_gradient(lambda W: np.sum(C * W**2), W_test)",
               lambda W: np.sum(C * W**2), W_test, 2 * C * W_test)

# Another h: for f(w) = sum(w**3) the centred difference is 3 w**2 + h**2 exactly.
check_array("numerical_gradient(lambda w: np.sum(w**3), np.array([1.0, -2.0]), h=0.1)",
            call(numerical_gradient, lambda w: np.sum(w**3), np.array([1.0, -2.0]), h=0.1),
            [3.01, 12.01], rtol=1e-9, atol=1e-9,
            hint="Hint: use the h that is passed in, not a fixed number. With h = 0.1 the centred "
                 "difference of sum(w**3) is exactly 3 * w**2 + h**2.")

### BEGIN HIDDEN TESTS
# Several shapes and functions, so that code written for vectors or for two entries fails.
hidden_rng = np.random.default_rng(20260402)
for hidden_shape in [(1,), (5,), (3, 1), (2, 4), (2, 2, 3)]:
    hidden_w = hidden_rng.normal(size=hidden_shape)
    hidden_c = hidden_rng.normal(size=hidden_shape)
    check_gradient(f"numerical_gradient(f, w) for w of shape {hidden_shape}",
                   lambda w, c=hidden_c: np.sum(w**3) / 3 + np.sum(c * w), hidden_w, hidden_w**2 + hidden_c)
    check_gradient(f"numerical_gradient(log(1 + |w|^2), w) for w of shape {hidden_shape}",
                   lambda w: np.log1p(np.sum(w**2)), hidden_w, 2 * hidden_w / (1 + np.sum(hidden_w**2)))
# A function mixing the entries, with large weights.
hidden_w = np.array([[100.0, -50.0], [3.0, 0.5]])
check_gradient("numerical_gradient(lambda w: w[0, 0] * w[1, 1] - w[0, 1]**2, w)",
               lambda w: w[0, 0] * w[1, 1] - w[0, 1]**2, hidden_w, [[0.5, 100.0], [0.0, 100.0]])
# Another h: for f = sum(w**3) the centred difference is 3 w**2 + h**2.
hidden_w = np.array([1.0, -2.0, 0.5])
check_array("numerical_gradient(lambda w: np.sum(w**3), w, h=0.01)",
            call(numerical_gradient, lambda w: np.sum(w**3), hidden_w.copy(), 0.01),
            3 * hidden_w**2 + 1e-4, rtol=1e-9, atol=1e-9,
            hint="Hint: use the h that is passed in, not a fixed number.")
### END HIDDEN TESTS
print("numerical_gradient: all tests in this cell passed.")

# %% [markdown]
# Here is a bowl-shaped function of two weights,
# $f(w_1, w_2) = w_1^2 + 4 w_2^2$, drawn as contour lines (each line joins points
# of equal height, like a map of a valley). The red arrows are the gradients your
# `numerical_gradient` computes at a few points. Each one is perpendicular to the
# contour line through its point and points *uphill*, away from the minimum at
# $(0, 0)$; the closer the lines, the steeper the slope and the longer the arrow.
# Gradient descent walks the opposite way.

# %%
def bowl(w1, w2):
    return w1**2 + 4 * w2**2


grid = np.linspace(-3, 3, 101)
G1, G2 = np.meshgrid(grid, grid)
fig, ax = plt.subplots(figsize=(6, 5))
ax.contour(G1, G2, bowl(G1, G2), levels=15, cmap="viridis", linewidths=1)
ax.plot(0, 0, "*", color="gold", ms=15, mec="black", label="minimum: gradient (0, 0)")
try:
    points = np.array([[-2.5, 1.0], [2.0, 1.5], [1.5, -1.0], [-1.0, -2.0], [0.5, 0.5], [-2.0, -0.5]])
    arrows = np.array([numerical_gradient(lambda w: bowl(w[0], w[1]), p.copy()) for p in points])
except NotImplementedError:
    not_yet("numerical_gradient", to="see the arrows", ax=ax)
else:
    ax.quiver(points[:, 0], points[:, 1], arrows[:, 0], arrows[:, 1], color="tab:red",
              angles="xy", scale_units="xy", scale=10, width=0.006, label="gradient (1/10 scale)")
    ax.plot(points[:, 0], points[:, 1], "o", color="tab:red", ms=4)
ax.set_aspect("equal")
ax.set_xlabel("$w_1$")
ax.set_ylabel("$w_2$")
ax.legend(loc="lower right", fontsize="small")
plt.show()

# %% [markdown]
# ## 3. Gradient descent: the update rule
#
# Picture a ball on a hilly landscape. Wherever it is, it rolls in the direction
# in which the ground falls most steeply. Gradient descent does the same with the
# weights: start somewhere, compute the gradient of the loss, take a small step
# *against* it, and repeat:
#
# $$\mathbf{w} \leftarrow \mathbf{w} - \eta \, \nabla f(\mathbf{w}).$$
#
# The number $\eta$ (eta) is the **learning rate**; in code it is usually called
# `lr`. It scales the step: the step is long where the slope is steep and short
# where the ground is nearly flat, so the walk slows down as it approaches the
# bottom, where the gradient vanishes.
#
# ### Exercise 3: gradient descent (3 points)
#
# Write `gradient_descent(grad, w0, lr, n_steps)`:
#
# * `grad(w)` returns the gradient at `w` (an array of the shape of `w`);
# * `w0` is the starting point, a float array of shape `(n,)`;
# * take `n_steps` steps of the update rule with learning rate `lr`;
# * return the whole **path**: an array of shape `(n_steps + 1, n)` whose row 0 is
#   `w0` and whose row `k` is the point after `k` steps;
# * do not change the caller's `w0`.
#
# A trap: if you append `w` to a list and then update it *in place* with
# `w -= ...`, every entry of the list is the same array and the whole path ends up
# being the last point. Write `w = w - lr * grad(w)` (a new array each step), or
# append `w.copy()`.

# %% nbgrader={"grade": false, "grade_id": "gradient_descent", "locked": false, "schema_version": 3, "solution": true}
def gradient_descent(grad, w0, lr, n_steps):
    """Run n_steps steps of w <- w - lr * grad(w) from w0.

    grad: function mapping w (n,) to its gradient (n,). w0: starting point (n,).
    Returns the path, shape (n_steps + 1, n): w0 first, then the point after each step.
    """
    ### BEGIN SOLUTION
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(n_steps):
        w = w - lr * grad(w)
        path.append(w)
    return np.array(path)
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# The path starts with w0 and gets one new point per step: n_steps + 1 points in all.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# In each step compute the new point as w minus lr times the gradient at w, and append it to a list. Make a new array each step (`w = w - ...`) rather than changing w in place, or every entry of your list would be the same array.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# Start from a float copy of w0 (`np.array(w0, dtype=float)`), and turn the list into an array of shape `(n_steps + 1, n)` at the end.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "gradient_descent_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_array

path_hint = ("Hint: the path holds the starting point and the point after every step: "
             "n_steps + 1 rows of n numbers.")


def check_path(name, grad, w0, lr, n_steps, expected):
    """Check a gradient-descent path: w0 untouched, shape, first step, every point."""
    w0_before = np.array(w0, copy=True)
    path = call(gradient_descent, grad, w0, lr, n_steps)
    if not np.array_equal(w0, w0_before):
        raise CheckFailed(f"{name} changed the caller's w0 from {w0_before.tolist()} to "
                          f"{np.asarray(w0).tolist()}: work on a copy, e.g. w = np.array(w0, dtype=float).")
    expected = np.asarray(expected, dtype=float)
    if isinstance(path, (list, tuple)):
        raise CheckFailed(f"{name} returned a Python {type(path).__name__} of {len(path)} points; return one "
                          f"array of shape {expected.shape} instead: np.array(path) stacks the points as rows.")
    if np.shape(path) != expected.shape:
        check_array(name, path, expected, hint=path_hint)  # explains the wrong shape
    path = np.asarray(path, dtype=float)
    if n_steps >= 2 and np.allclose(path, path[-1]) and not np.allclose(expected, expected[-1]):
        raise CheckFailed(f"{name}: every row of your path is the same point {path[-1].tolist()}. "
                          "Did you append w to the list and then change it in place (w -= ...)? "
                          "Then all rows are one array. Write w = w - lr * grad(w), or append w.copy().")
    check_array(f"row 0 of {name} (the starting point)", path[0], expected[0])
    if n_steps >= 1:
        check_array(f"the first step of {name}, path[1] - path[0]", path[1] - path[0],
                    expected[1] - expected[0],
                    hint="Hint: one step is w_new = w - lr * grad(w): against the gradient, scaled by lr.")
    check_array(name, path, expected)


# f(w) = w1**2 + w2**2 has the gradient 2 w, so each step multiplies w by (1 - 2 lr).
# With lr = 0.25 every step halves w.
w0_test = np.array([4.0, -2.0])
check_path("gradient_descent(lambda w: 2 * w, w0_test, 0.25, 3)", lambda w: 2 * w, w0_test, 0.25, 3,
           [[4.0, -2.0], [2.0, -1.0], [1.0, -0.5], [0.5, -0.25]])

# A bowl that is steeper along w2: the gradient of w1**2 + 5 w2**2 is (2 w1, 10 w2).
check_path("gradient_descent(lambda w: np.array([2 * w[0], 10 * w[1]]), w0_test, 0.1, 2)",
           lambda w: np.array([2 * w[0], 10 * w[1]]), w0_test, 0.1, 2,
           [[4.0, -2.0], [3.2, 0.0], [2.56, 0.0]])

### BEGIN HIDDEN TESTS
# Other dimensions, learning rates and gradients; zero steps; a diverging run.
def hidden_reference_path(grad, w0, lr, n_steps):
    hidden_points = [np.array(w0, dtype=float)]
    for _ in range(n_steps):
        hidden_points.append(hidden_points[-1] - lr * grad(hidden_points[-1]))
    return np.array(hidden_points)


hidden_rng = np.random.default_rng(20260403)
for hidden_n, hidden_lr, hidden_steps in [(1, 0.3, 5), (3, 0.05, 20), (5, 0.01, 7), (2, 0.7, 4), (4, 0.1, 0)]:
    hidden_A = hidden_rng.normal(size=(hidden_n, hidden_n))
    hidden_A = hidden_A @ hidden_A.T + np.eye(hidden_n)
    hidden_b = hidden_rng.normal(size=hidden_n)
    hidden_grad = (lambda A, b: (lambda w: A @ w - b))(hidden_A, hidden_b)
    hidden_w0 = hidden_rng.normal(size=hidden_n)
    check_path(f"gradient_descent(grad, w0 of shape ({hidden_n},), lr={hidden_lr}, n_steps={hidden_steps})",
               hidden_grad, hidden_w0, hidden_lr, hidden_steps,
               hidden_reference_path(hidden_grad, hidden_w0, hidden_lr, hidden_steps))
# A gradient that is not linear.
hidden_w0 = np.array([0.5, -1.5, 2.0])
check_path("gradient_descent(lambda w: np.sin(w) + w**3, w0, 0.02, 15)", lambda w: np.sin(w) + w**3,
           hidden_w0, 0.02, 15, hidden_reference_path(lambda w: np.sin(w) + w**3, hidden_w0, 0.02, 15))
# Too large a learning rate: the path grows, and must still be recorded exactly.
hidden_w0 = np.array([1.0, -1.0])
check_path("gradient_descent(lambda w: 2 * w, w0, 1.5, 10)", lambda w: 2 * w, hidden_w0, 1.5, 10,
           hidden_reference_path(lambda w: 2 * w, hidden_w0, 1.5, 10))
### END HIDDEN TESTS
print("gradient_descent: all tests in this cell passed.")

# %% [markdown]
# ## 4. The learning rate: too small crawls, too large diverges
#
# Here is a valley that is much steeper across than along:
# $f(w_1, w_2) = w_1^2 + 10\, w_2^2$, with the gradient $(2 w_1, 20 w_2)$. The
# widget runs *your* `gradient_descent` from $(-5, 2)$ and draws the path on the
# contour lines. Drag the learning rate (the slider is logarithmic: each notch
# multiplies it) and the number of steps, and find
#
# * a learning rate so small that the ball hardly moves in 100 steps;
# * one that reaches the bottom quickly;
# * one that zig-zags across the valley;
# * one that makes every step *longer* than the last, so the path flies off
#   (divergence). Where does that start?

# %%
def valley(w1, w2):
    return w1**2 + 10 * w2**2


def valley_grad(w):
    return np.array([2 * w[0], 20 * w[1]])


w_start = np.array([-5.0, 2.0])


def draw_descent(ax, lr=0.02, steps=30):
    try:
        path = gradient_descent(valley_grad, w_start, lr, steps)
    except NotImplementedError:
        not_yet("gradient_descent", to="see the path", ax=ax)
        return
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging path may overflow
        plot_trajectory(valley, path, ax=ax, xlim=(-6, 6), ylim=(-3, 3), levels=20)
        end_loss = valley(*path[-1])
    ax.set_title(f"lr = {lr:.3g}, {steps} steps: loss {valley(*w_start):.0f} -> {end_loss:.3g}")


# %%
# NBVAL_IGNORE_OUTPUT
interactive_plot(draw_descent,
                 lr=widgets.FloatLogSlider(value=0.02, base=10, min=-4, max=0, step=0.05, description="lr"),
                 steps=(1, 100, 1, 30), figsize=(7, 4))

# %% [markdown]
# The same four behaviours side by side, 40 steps each, and the loss after every
# step (note the logarithmic loss axis):

# %%
lrs_shown = {"0.002: crawls": 0.002, "0.03: steady": 0.03, "0.095: zig-zags": 0.095, "0.105: diverges": 0.105}
fig, axes = plt.subplots(2, 2, figsize=(12, 6.5), layout="constrained")
fig_loss, ax_loss = plt.subplots(figsize=(6, 3.5), layout="constrained")
try:
    paths = {label: gradient_descent(valley_grad, w_start, lr, 40) for label, lr in lrs_shown.items()}
except NotImplementedError:
    for ax in [*axes.flat, ax_loss]:
        not_yet("gradient_descent", to="see the path", ax=ax)
else:
    for ax, (label, path) in zip(axes.flat, paths.items()):
        plot_trajectory(valley, path, ax=ax, xlim=(-6, 6), ylim=(-3, 3), levels=20)
        ax.set_title(f"lr = {label}")
        ax.get_legend().remove()
        ax_loss.semilogy(valley(path[:, 0], path[:, 1]), label=f"lr = {label}")
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("loss")
    ax_loss.legend(fontsize="small")
    ax_loss.minorticks_off()  # ticks at every power of 10 are enough (and the minor ones are slow to draw)
plt.show()

# %% [markdown]
# Why exactly there? Along $w_2$ the update is
# $w_2 \leftarrow w_2 - \eta \cdot 20\, w_2 = (1 - 20\eta)\, w_2$. Every step
# multiplies $w_2$ by the same factor $1 - 20\eta$:
#
# * $\eta$ tiny: the factor is just below 1, and $w_2$ shrinks very slowly;
# * $0.05 < \eta < 0.1$: the factor is negative, so $w_2$ flips sign every step —
#   the zig-zag — but still shrinks;
# * $\eta > 0.1$: the factor is below $-1$, and $w_2$ grows every step.
#
# In general a direction in which the loss curves with second derivative $c$ is
# stable only when $\eta < 2 / c$. The steepest direction sets the limit, and the
# flattest direction then decides how slowly the rest converges. So **there is no
# universally right learning rate**: it depends on how curved the loss is, which
# depends on the data (its scale!), the model and the loss.

# %% [markdown]
# ## 5. Epochs, mini-batches and stochastic gradient descent
#
# In a network the loss is an average over the training samples, for example the
# mean squared error $L(\mathbf{w}) = \frac{1}{N}\sum_{i=1}^N (\hat y_i - y_i)^2$.
# Its gradient is the average of one gradient per sample, so a full gradient
# needs a pass over the whole data set — expensive when there are millions of
# images. The usual way out:
#
# * shuffle the samples and cut them into **mini-batches** of, say, 32;
# * compute the gradient on one mini-batch (a noisy but cheap estimate of the full
#   gradient) and **update the weights right away**;
# * move on to the next mini-batch. One pass through all mini-batches is an
#   **epoch**; training runs for many epochs, with a new shuffle each time.
#
# With batch size $N$ this is plain (**full-batch**) gradient descent: one update
# per epoch. With batch size 1 it is **stochastic gradient descent** (SGD) in the
# strict sense: $N$ updates per epoch. Anything in between is **mini-batch**
# gradient descent — and what libraries call "SGD" today.
#
# ### Exercise 4: mini-batches (2 points)
#
# Write `minibatches(n_samples, batch_size, seed)` that returns a **list of
# integer index arrays** for one epoch:
#
# * shuffle the indices `0, 1, ..., n_samples - 1` with
#   `np.random.default_rng(seed).permutation(n_samples)`;
# * cut the shuffled indices into consecutive pieces of `batch_size`; the last
#   piece holds what is left and may be smaller (e.g. 10 samples in batches of 4:
#   sizes 4, 4, 2). If `batch_size >= n_samples` there is one batch;
# * so every sample appears in exactly one batch, and the same seed gives the same
#   batches.

# %% nbgrader={"grade": false, "grade_id": "minibatches", "locked": false, "schema_version": 3, "solution": true}
def minibatches(n_samples, batch_size, seed):
    """Split the shuffled indices 0..n_samples-1 into batches of batch_size (the last may be smaller).

    Returns a list of integer arrays; together they hold every index exactly once.
    """
    ### BEGIN SOLUTION
    order = np.random.default_rng(seed).permutation(n_samples)
    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# First shuffle the indices 0 … n_samples − 1 once, with a generator made from the seed; then cut the shuffled order into pieces.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# `np.random.default_rng(seed).permutation(n_samples)` gives the shuffled order. The batches are the slices that start at 0, batch_size, 2·batch_size, …; slicing past the end simply gives a shorter last batch.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "minibatches_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call


def check_minibatches(n, batch_size, seed):
    """Check minibatches(n, batch_size, seed) and return its batches as a list of arrays."""
    name = f"minibatches({n}, {batch_size}, {seed})"
    got = call(minibatches, n, batch_size, seed)
    if got is None:
        raise CheckFailed(f"{name} returned None — did you forget `return`?")
    try:
        batches = [np.asarray(batch) for batch in got]
    except TypeError:
        raise CheckFailed(f"{name} should return a list of index arrays, got {type(got).__name__}") from None
    for k, batch in enumerate(batches):
        if batch.ndim != 1 or (batch.size and batch.dtype.kind not in "iu"):
            raise CheckFailed(f"batch {k} of {name} should be a 1-D array of integer indices, got shape "
                              f"{batch.shape} and dtype {batch.dtype}")
    every = np.concatenate(batches) if batches else np.array([], dtype=int)
    counts = np.bincount(every[(every >= 0) & (every < n)], minlength=n) if every.size else np.zeros(n, int)
    if every.size and (every.min() < 0 or every.max() >= n):
        raise CheckFailed(f"{name} holds the index {every.max() if every.max() >= n else every.min()}, "
                          f"but the samples are numbered 0 to {n - 1}")
    if (counts > 1).any():
        i = int(np.argmax(counts))
        raise CheckFailed(f"{name}: sample {i} appears {counts[i]} times in one epoch. Every sample must "
                          "appear exactly once: shuffle with a permutation, do not draw indices at random "
                          "with replacement.")
    if (counts == 0).any():
        missing = np.flatnonzero(counts == 0)
        raise CheckFailed(f"{name}: {missing.size} of {n} samples never appear (e.g. sample {missing[0]}). "
                          "Did you drop the last, smaller batch? It must hold the samples that are left.")
    sizes = [b.size for b in batches]
    want = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    if n <= batch_size:
        want = [n]
    if sizes != want:
        raise CheckFailed(f"{name}: batch sizes {sizes}, expected {want} — every batch holds batch_size "
                          "samples except the last one, which holds the rest.")
    if n >= 10 and np.array_equal(every, np.arange(n)):
        raise CheckFailed(f"{name}: the samples come in their original order 0, 1, 2, ... — shuffle them "
                          "first with np.random.default_rng(seed).permutation(n_samples).")
    return batches


# 10 samples in batches of 4: sizes 4, 4, 2, every sample once, in a shuffled order.
batches_a = check_minibatches(10, 4, seed=0)
batches_b = check_minibatches(10, 4, seed=0)
if not all(np.array_equal(a, b) for a, b in zip(batches_a, batches_b)):
    raise CheckFailed("minibatches(10, 4, 0) gave different batches on two calls with the same seed: "
                      "make the generator with np.random.default_rng(seed).")
batches_c = check_minibatches(10, 4, seed=1)
if all(np.array_equal(a, c) for a, c in zip(batches_a, batches_c)):
    raise CheckFailed("minibatches(10, 4, 0) and minibatches(10, 4, 1) are the same: use the seed "
                      "you are given, np.random.default_rng(seed).")
check_minibatches(12, 3, seed=5)  # batches that fit exactly: 3, 3, 3, 3

### BEGIN HIDDEN TESTS
# Batch size 1 (pure SGD), larger than the data (one batch), exact and inexact splits.
for hidden_n, hidden_bs in [(1, 1), (7, 1), (7, 7), (5, 16), (100, 32), (64, 8), (33, 10)]:
    check_minibatches(hidden_n, hidden_bs, seed=hidden_n + hidden_bs)
hidden_a = check_minibatches(50, 6, seed=123)
hidden_b = check_minibatches(50, 6, seed=124)
if all(np.array_equal(a, b) for a, b in zip(hidden_a, hidden_b)):
    raise CheckFailed("minibatches with seeds 123 and 124 gave the same batches: use the seed.")
if not all(np.array_equal(a, b) for a, b in zip(hidden_a, check_minibatches(50, 6, seed=123))):
    raise CheckFailed("minibatches(50, 6, 123) is not reproducible: use np.random.default_rng(seed).")
### END HIDDEN TESTS
print("minibatches: all tests in this cell passed.")

# %% [markdown]
# ### Exercise 5: mini-batch SGD for a linear model (4 points)
#
# Now put the pieces together on the simplest model there is, a linear one:
# $\hat{\mathbf y} = X \mathbf w$, with `X` of shape `(n_samples, n_features)`
# (samples are rows) and `w` of shape `(n_features,)`. (A bias is just a weight
# for a column of ones in `X`; the data below has that column.) The loss on a
# batch of $m$ samples is the mean squared error, and its gradient is
#
# $$L_B(\mathbf w) = \frac{1}{m} \sum_{i \in B} (\mathbf x_i \cdot \mathbf w - y_i)^2, \qquad
#   \nabla L_B(\mathbf w) = \frac{2}{m} X_B^\top (X_B \mathbf w - \mathbf y_B),$$
#
# where $X_B$ and $\mathbf y_B$ are the rows of the batch (`X[idx]`, `y[idx]`).
#
# Write `sgd_linear_regression(X, y, lr, epochs, batch_size, seed)`:
#
# * start from `w = 0` (zeros of shape `(n_features,)`);
# * for each epoch `e = 0, 1, ..., epochs - 1`, go through
#   `minibatches(n_samples, batch_size, seed + e)` (a new shuffle each epoch) and
#   **update `w` after every mini-batch**: `w = w - lr * gradient on that batch`;
# * return the path of the weights, an array of shape `(n_updates + 1, n_features)`:
#   row 0 is the zero start, then one row after each update. So one epoch of
#   `N` samples in batches of `b` adds $\lceil N / b \rceil$ rows.

# %% nbgrader={"grade": false, "grade_id": "sgd_linear_regression", "locked": false, "schema_version": 3, "solution": true}
def sgd_linear_regression(X, y, lr, epochs, batch_size, seed):
    """Fit y ≈ X @ w by mini-batch gradient descent on the mean squared error.

    X: (n_samples, n_features), y: (n_samples,). Starts from w = 0 and updates w after
    every mini-batch (minibatches(n_samples, batch_size, seed + epoch)).
    Returns the weights after every update, shape (n_updates + 1, n_features), row 0 = zeros.
    """
    ### BEGIN SOLUTION
    n_samples, n_features = X.shape
    w = np.zeros(n_features)
    path = [w]
    for epoch in range(epochs):
        for idx in minibatches(n_samples, batch_size, seed + epoch):
            X_batch, y_batch = X[idx], y[idx]
            grad = 2 / len(idx) * X_batch.T @ (X_batch @ w - y_batch)
            w = w - lr * grad
            path.append(w)
    return np.array(path)
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# Two loops: over the epochs, and inside each over the mini-batches of `minibatches(n_samples, batch_size, seed + epoch)`. The weights change after every batch, not once per epoch.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# For a batch (X_b, y_b) of m samples, the gradient of the mean squared error of X_b @ w against y_b is (2 / m) · X_bᵀ (X_b w − y_b): a vector with one entry per feature.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# Start from zero weights, one per feature, keep a list with that first w, append the new w after every update (a new array each time), and return the list as an array of shape `(n_updates + 1, n_features)`.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "sgd_linear_regression_test", "locked": true, "points": 4, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_array

updates_hint = ("One row per update, plus the start: epochs × (number of mini-batches) + 1 rows. "
                "The weights change after every mini-batch, not once per epoch.")


def check_rows(name, path, n_rows, n_cols):
    """Check the shape of a path of weights: one row per update plus the start."""
    if path is None:
        raise CheckFailed(f"{name} returned None — did you forget `return`?")
    if isinstance(path, (list, tuple)):
        raise CheckFailed(f"{name} returned a Python {type(path).__name__}; return one array of shape "
                          f"({n_rows}, {n_cols}) instead: np.array(path) stacks the weights as rows.")
    if np.shape(path) != (n_rows, n_cols):
        raise CheckFailed(f"Wrong shape for {name}: got {np.shape(path)}, expected ({n_rows}, {n_cols}). "
                          + updates_hint)

# sgd_linear_regression uses your minibatches: it must hold every sample exactly once.
batches_used = [np.asarray(batch) for batch in call(minibatches, 10, 4, 0)]
if sorted(np.concatenate(batches_used).tolist()) != list(range(10)):
    raise CheckFailed("sgd_linear_regression uses your minibatches, but minibatches(10, 4, 0) does not hold "
                      "each of the samples 0..9 exactly once: fix exercise 4 first.")

# Four points on the line y = 1 + 2x; the first column of X is the column of ones.
X_line = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
y_line = np.array([1.0, 3.0, 5.0, 7.0])

# Full batch (batch_size = 4): the order of the samples does not matter, so the path is
# plain gradient descent. From w = 0: gradient = 2/4 * X.T @ (0 - y) = [-8, -17];
# with lr = 0.1 the first step goes to [0.8, 1.7].
full_path = call(sgd_linear_regression, X_line, y_line, 0.1, 3, 4, 0)
check_rows("sgd_linear_regression(X_line, y_line, lr=0.1, epochs=3, batch_size=4, seed=0)", full_path, 4, 2)
full_path = np.asarray(full_path, dtype=float)
check_array("row 0 of the path (the start)", full_path[0], [0.0, 0.0])
check_array("the first full-batch update, path[1] - path[0]", full_path[1] - full_path[0], [0.8, 1.7],
            n=4, hint="Hint: the gradient of the mean squared error on a batch of m samples is "
                      "2/m * X_B.T @ (X_B @ w - y_B); the update is w - lr * gradient.")
check_array("the full-batch path", full_path,
            [[0.0, 0.0], [0.8, 1.7], [0.93, 1.97], [0.953, 2.012]])

# Batch size 1: 4 updates per epoch, so 2 epochs give 8 updates and 9 rows.
check_rows("sgd_linear_regression(X_line, y_line, 0.05, epochs=2, batch_size=1, seed=0)",
           call(sgd_linear_regression, X_line, y_line, 0.05, 2, 1, 0), 9, 2)
# Batch size 3: batches of 3 and 1, so 2 updates per epoch.
check_rows("sgd_linear_regression(X_line, y_line, 0.05, epochs=2, batch_size=3, seed=0)",
           call(sgd_linear_regression, X_line, y_line, 0.05, 2, 3, 0), 5, 2)
# Enough epochs of SGD find the line y = 1 + 2x.
check_array("the last row of sgd_linear_regression(X_line, y_line, 0.05, epochs=300, batch_size=1, seed=0)",
            call(sgd_linear_regression, X_line, y_line, 0.05, 300, 1, 0)[-1], [1.0, 2.0], rtol=1e-3, atol=1e-3)

### BEGIN HIDDEN TESTS
# Noisy data with other numbers of features: full-batch paths exactly, and for several
# batch sizes the number of updates and a final loss close to the least-squares optimum.
hidden_rng = np.random.default_rng(20260405)
for hidden_n, hidden_d in [(40, 3), (25, 1), (60, 5)]:
    hidden_X = np.column_stack([np.ones(hidden_n), hidden_rng.normal(size=(hidden_n, hidden_d - 1))])
    hidden_y = hidden_X @ hidden_rng.normal(size=hidden_d) + 0.1 * hidden_rng.normal(size=hidden_n)
    hidden_best = np.linalg.lstsq(hidden_X, hidden_y, rcond=None)[0]
    hidden_min_loss = np.mean((hidden_X @ hidden_best - hidden_y)**2)

    hidden_full = [np.zeros(hidden_d)]
    for _ in range(6):
        hidden_w = hidden_full[-1]
        hidden_full.append(hidden_w - 0.1 * 2 / hidden_n * hidden_X.T @ (hidden_X @ hidden_w - hidden_y))
    for hidden_bs in [hidden_n, hidden_n + 7]:
        hidden_path = call(sgd_linear_regression, hidden_X, hidden_y, 0.1, 6, hidden_bs, 3)
        check_rows(f"the full-batch path for X {hidden_X.shape}, batch_size={hidden_bs}", hidden_path, 7, hidden_d)
        check_array(f"full-batch path for X {hidden_X.shape}, batch_size={hidden_bs}",
                    hidden_path, np.array(hidden_full), rtol=1e-9, atol=1e-12)

    for hidden_bs, hidden_lr, hidden_epochs in [(1, 0.01, 40), (7, 0.05, 60), (hidden_n, 0.2, 200)]:
        hidden_path = call(sgd_linear_regression, hidden_X, hidden_y, hidden_lr, hidden_epochs, hidden_bs, 11)
        hidden_updates = hidden_epochs * -(-hidden_n // hidden_bs)
        check_rows(f"the path for X {hidden_X.shape}, batch_size={hidden_bs}, epochs={hidden_epochs}",
                   hidden_path, hidden_updates + 1, hidden_d)
        hidden_path = np.asarray(hidden_path, dtype=float)
        check_array("row 0 of the path", hidden_path[0], np.zeros(hidden_d))
        hidden_loss = np.mean((hidden_X @ hidden_path[-1] - hidden_y)**2)
        if not hidden_loss <= 1.2 * hidden_min_loss + 1e-4:
            raise CheckFailed(f"after {hidden_epochs} epochs with batch_size={hidden_bs}, lr={hidden_lr} the loss "
                              f"is {hidden_loss:.4g}; least squares reaches {hidden_min_loss:.4g}.")
        check_array(f"final weights for batch_size={hidden_bs}", hidden_path[-1], hidden_best,
                    rtol=0, atol=0.05)

# Mini-batch paths, update by update: epoch e shuffles with minibatches(n_samples, batch_size, seed + e),
# so each epoch visits the samples in a new order (and two seeds give two paths). While these checks run,
# the name minibatches stands for a correct version (same signature), so that a mistake in Exercise 4 is
# not charged twice, and the order of the batches is known.
def hidden_minibatches(n_samples, batch_size, seed):
    hidden_order = np.random.default_rng(seed).permutation(n_samples)
    return [hidden_order[start:start + batch_size] for start in range(0, n_samples, batch_size)]


hidden_saved_minibatches = minibatches
minibatches = hidden_minibatches
try:
    hidden_X = np.column_stack([np.ones(10), hidden_rng.normal(size=(10, 2))])
    hidden_y = hidden_X @ np.array([0.5, -1.0, 2.0]) + 0.1 * hidden_rng.normal(size=10)
    for hidden_bs, hidden_seed in [(3, 5), (4, 0), (1, 2)]:
        hidden_expected = [np.zeros(3)]
        for hidden_epoch in range(3):
            for hidden_idx in hidden_minibatches(10, hidden_bs, hidden_seed + hidden_epoch):
                hidden_w, hidden_Xb, hidden_yb = hidden_expected[-1], hidden_X[hidden_idx], hidden_y[hidden_idx]
                hidden_expected.append(hidden_w - 0.05 * 2 / len(hidden_idx) * hidden_Xb.T @ (hidden_Xb @ hidden_w - hidden_yb))
        hidden_path = call(sgd_linear_regression, hidden_X, hidden_y, 0.05, 3, hidden_bs, hidden_seed)
        check_rows(f"the path for batch_size={hidden_bs}, epochs=3, seed={hidden_seed}", hidden_path,
                   len(hidden_expected), 3)
        check_array(f"sgd_linear_regression(X (10, 3), y, lr=0.05, epochs=3, batch_size={hidden_bs}, "
                    f"seed={hidden_seed}), update by update", hidden_path, np.array(hidden_expected),
                    rtol=1e-9, atol=1e-12,
                    hint="Hint: epoch e (0, 1, 2, ...) takes its batches from minibatches(n_samples, batch_size, "
                         "seed + e), in that order, and the weights change after every batch "
                         "(2/m * X_B.T @ (X_B @ w - y_B)).")
finally:
    minibatches = hidden_saved_minibatches
### END HIDDEN TESTS
print("sgd_linear_regression: all tests in this cell passed.")

# %% [markdown]
# ### Which batch size is best? A fair comparison
#
# The data: 200 samples with two standardised features and a column of ones,
# $y = 1 + 2 x_1 - 3 x_2 + \text{noise}$. Below we measure the loss on all 200
# samples after every update, and we compare the batch sizes in two ways:
#
# * per **epoch**: after the same amount of data looked at, which on a plain CPU
#   is about the same amount of computation;
# * per **update**: after the same number of steps.

# %%
data_rng = np.random.default_rng(0)
n_samples = 200
X_lin = np.column_stack([np.ones(n_samples), data_rng.normal(size=(n_samples, 2))])
y_lin = X_lin @ np.array([1.0, 2.0, -3.0]) + 0.5 * data_rng.normal(size=n_samples)
w_best = np.linalg.lstsq(X_lin, y_lin, rcond=None)[0]


def loss_along(path, X, y):
    """The mean squared error on (X, y) of every row of a path of weights."""
    return np.mean((X @ path.T - y[:, None])**2, axis=0)


print(f"least squares: w = {np.round(w_best, 3)}, loss = {loss_along(w_best[None], X_lin, y_lin)[0]:.4f}")

# %% [markdown]
# A comparison at one learning rate for all batch sizes would not be fair. A
# single sample's gradient is a noisy guess of the full gradient, so SGD needs
# short steps; the full-batch gradient is exact, so full batch can take long ones.
# Each batch size must get **its own best learning rate**, found the same way for
# all of them:
#
# * the same grid of learning rates, each about 2 to 2.5 times the last, from
#   0.001 to 1;
# * the same budget: 3 epochs;
# * the same rule: train with three shuffles (seeds 0, 1, 2) and keep the
#   learning rate with the lowest mean loss at the end.
#
# Which loss? In notebook 03 settings were chosen on a *validation* set, because
# the question there was how well a model predicts data it has not seen. The
# question here is another one: how fast does each batch size minimise the loss it
# is given? That is a question about the optimiser, and its yardstick is the
# training loss itself. (A model of 3 weights fitted to 200 samples hardly
# overfits anyway.)

# %%
batch_lr_grid = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]


def losses_after(X, y, lr, epochs, batch_size, seeds):
    """The loss on all of (X, y) after `epochs` epochs, one per shuffle seed; inf if it diverged."""
    with np.errstate(over="ignore", invalid="ignore"):
        losses = np.array([loss_along(sgd_linear_regression(X, y, lr, epochs, batch_size, seed)[-1:], X, y)[0]
                           for seed in seeds])
    return np.where(np.isfinite(losses) & (losses < 1e10), losses, np.inf)


def tune_learning_rates(X, y, batch_sizes, epochs, seeds=(0, 1, 2)):
    """Print the mean final loss for every batch size and learning rate; return the best lr per batch size."""
    print(f"mean loss after {epochs} epoch(s), shuffles {seeds}:")
    print(f"{'batch size':>10s} | lr" + "".join(f"{lr:>9g}" for lr in batch_lr_grid) + " | best lr")
    best = {}
    for batch_size in batch_sizes:
        means = [np.mean(losses_after(X, y, lr, epochs, batch_size, seeds)) for lr in batch_lr_grid]
        best[batch_size] = batch_lr_grid[int(np.argmin(means))]
        print(f"{batch_size:10d} |   " + "".join(f"{m:9.4f}" if np.isfinite(m) else f"{'diverged':>9s}"
                                             for m in means) + f" | {best[batch_size]:g}")
    return best


try:
    best_lr_small = tune_learning_rates(X_lin, y_lin, [200, 20, 1], epochs=3)
except NotImplementedError:
    best_lr_small = None
    not_yet("sgd_linear_regression")

# %% [markdown]
# Read one column first: at lr = 0.02 for everybody, SGD (batch size 1) is nearly
# done after 3 epochs while full batch has hardly started. That is the unfair
# comparison: 0.02 is close to the best rate for SGD and 25 times too small for full
# batch. Each row has its own window of learning rates that work, and they differ:
# full batch's best, 0.5, makes SGD diverge.
#
# Now the chosen learning rates, run again with **three new shuffles** (seeds 3, 4,
# 5), so that the numbers we report are not the ones we chose on. The lines give
# the range over the three shuffles; the plots show the first one. They plot how far
# the loss is *above* the least-squares loss (the lowest possible), on a
# logarithmic scale; the dotted line is 1 % of the least-squares loss.

# %%
def span(values, fmt):
    """'low to high' of some numbers at the format fmt, or one number if they all print the same."""
    low, high = format(min(values), fmt), format(max(values), fmt)
    return low if low == high else f"{low} to {high}"


def compare_batch_sizes(X, y, best_lr, epochs, seeds=(3, 4, 5)):
    """Run each batch size at its chosen lr with every seed; print the ranges, plot the first seed's run."""
    n = len(y)
    least = loss_along(np.linalg.lstsq(X, y, rcond=None)[0][None], X, y)[0]
    fig, (ax_epoch, ax_update) = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
    print(f"least squares: loss {least:.4f}")
    for batch_size, lr in best_lr.items():
        finals, reached = [], []
        for seed in seeds:
            path = sgd_linear_regression(X, y, lr, epochs, batch_size, seed)
            above = loss_along(path, X, y) - least  # how far above the lowest possible loss
            finals.append(above[-1] + least)
            close = np.flatnonzero(above <= 0.01 * least)
            reached.append(close[0] if close.size else np.inf)
            if seed == seeds[0]:
                # Per epoch: the weights stay put until a batch has been looked at, hence the steps.
                looked_at = np.concatenate([[1 / n], np.arange(1, len(path)) * batch_size / n])
                name = "full batch" if batch_size >= n else "batch size"
                label = f"{name} {batch_size}, lr = {lr:g}"
                ax_epoch.loglog(looked_at, above, drawstyle="steps-post", label=label)
                ax_update.loglog(np.arange(1, len(path)), above[1:], ".-" if len(path) < 60 else "-", label=label)
        print(f"batch size {batch_size:5d}, lr {lr:<5g}: final loss {span(finals, '.4f')}; within 1 % of "
              f"least squares after {span(np.array(reached) * batch_size / n, '.2g')} epochs "
              f"({span(reached, 'g')} updates)")
    ax_epoch.set_xlabel("epochs (data looked at, in passes over all samples)")
    ax_update.set_xlabel("updates")
    for ax in (ax_epoch, ax_update):
        ax.axhline(0.01 * least, color="gray", ls=":", label="1 % of the least-squares loss")
        ax.set_ylabel("loss above least squares")
        ax.legend(fontsize="small")
        ax.minorticks_off()  # ticks at every power of 10 are enough (and the minor ones are slow to draw)
    plt.show()


if best_lr_small is None:
    not_yet("sgd_linear_regression", to="compare the batch sizes (run the cell above first)")
else:
    compare_batch_sizes(X_lin, y_lin, best_lr_small, epochs=3)

# %% [markdown]
# On this small data set the mini-batches do **not** win:
#
# * **per update** full batch wins by far. Each of its updates uses the exact
#   gradient, and at lr = 0.5 three of them bring the loss to the least-squares
#   loss at four decimals. (Why 0.5? The features are standardised and nearly
#   uncorrelated, so the loss is a round bowl whose second derivative is about 2 in
#   every direction. Section 4's rule allows any $\eta < 2/2 = 1$, and $\eta = 1/2$
#   lands almost at the bottom in one step.)
# * **per epoch** it is close. Full batch waits a whole pass over the data for each
#   of its steps: through the first epoch it has not moved, and while it waits for
#   its next step the mini-batch runs catch up, so they cross the 1 % line a little
#   earlier (after 2 to 2.7 epochs, full batch after 3). But right after each of
#   its exact steps full batch is ahead, and it ends closest to the optimum. The
#   mini-batch runs get near the optimum early and then *jitter*: each step follows
#   the gradient of its own few samples, which does not vanish at the optimum of
#   all of them, so with a fixed learning rate they hover above it. A smaller
#   learning rate lowers that floor but slows the start; the grid search picked the
#   balance for a 3-epoch budget.
#
# The numbers come from three shuffles each; the ranges show how much of them is
# luck. Full batch does not depend on the shuffle at all.

# %% [markdown]
# ### Where mini-batches win: large, redundant data
#
# Now 10,000 new samples from the same distribution: 50 times more data, which
# says almost the same as the first 200 (the least-squares weights change in the
# second decimal). That is typical of real data sets — many pictures of cats look
# alike. A full-batch update now costs the gradients of 10,000 samples; a mini-batch
# update still costs those of its 20. Same procedure, with a budget of one epoch
# (on a large data set that is often all the time there is) and batch sizes 10,000
# (full), 200 and 20:

# %%
big_rng = np.random.default_rng(1)
n_big = 10_000
X_big = np.column_stack([np.ones(n_big), big_rng.normal(size=(n_big, 2))])
y_big = X_big @ np.array([1.0, 2.0, -3.0]) + 0.5 * big_rng.normal(size=n_big)
print(f"least squares on the 10,000 samples: w = {np.round(np.linalg.lstsq(X_big, y_big, rcond=None)[0], 3)}")
try:
    best_lr_big = tune_learning_rates(X_big, y_big, [n_big, 200, 20], epochs=1)
    compare_batch_sizes(X_big, y_big, best_lr_big, epochs=1)
except NotImplementedError:
    not_yet("sgd_linear_regression")

# %% [markdown]
# Per epoch the mini-batches win now. Full batch cannot move at all before it has
# looked at every one of the 10,000 samples; then it takes its one step. The
# mini-batch runs are far down long before that: batch size 20 is within 1 % of
# the optimum after less than half an epoch, because a gradient from 20 samples of
# redundant data points almost the same way as the gradient from all of them, at a
# five-hundredth of the cost. At the end of the epoch both mini-batch runs are also
# closer to the optimum than full batch's single step. Per update full batch still
# wins — but an update is no longer the unit of cost.
#
# So: on a small data set, full-batch gradient descent with a well-chosen learning
# rate is hard to beat; on large, redundant data, mini-batches reach a good model
# with a fraction of the computation. Real networks add two things that favour
# mini-batches further (not shown here): their losses are far from round bowls, so
# full batch needs many passes, not one or three; and on real hardware a batch of
# 32 samples costs little more time than a single one, because the arithmetic runs
# in parallel — which is why batch size 1 is rarely used and mini-batches of a few
# dozen to a few hundred are the usual choice.

# %% [markdown]
# ## 6. Momentum: a ball that gathers speed
#
# Plain gradient descent has no memory: each step looks only at the slope where it
# stands. In a long narrow valley that is a poor strategy. The slope points mostly
# *across* the valley, so the steps zig-zag from wall to wall and progress *along*
# the valley is slow — and raising the learning rate to go faster makes the
# zig-zag diverge.
#
# A real ball behaves better because it has momentum. **Gradient descent with
# momentum** keeps a velocity $\mathbf v$ (start: zeros) that remembers recent
# steps:
#
# $$\mathbf v \leftarrow \beta\, \mathbf v - \eta\, \mathbf g, \qquad
#   \mathbf w \leftarrow \mathbf w + \mathbf v,$$
#
# with $\mathbf g$ the gradient at the current $\mathbf w$ and $\beta$ (typically
# 0.9) saying how much of the old velocity survives each step. Along the valley
# the gradients keep pointing the same way, so the velocity builds up (up to
# $1/(1-\beta)$ = ten times a plain step); across the valley they alternate and
# cancel out.
#
# ### Exercise 6: one momentum step (2 points)
#
# Write `momentum_step(w, v, g, lr, beta)` that applies the two updates above once
# and returns the pair `(w_new, v_new)`. All arrays have the same shape (any
# shape). Returning new arrays and updating `w` and `v` in place are both fine.

# %% nbgrader={"grade": false, "grade_id": "momentum_step", "locked": false, "schema_version": 3, "solution": true}
def momentum_step(w, v, g, lr, beta):
    """One step of gradient descent with momentum.

    w: weights, v: velocity, g: gradient at w (all of the same shape).
    Returns (w_new, v_new) with v_new = beta * v - lr * g and w_new = w + v_new.
    """
    ### BEGIN SOLUTION
    v = beta * v - lr * g
    return w + v, v
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# The velocity remembers past steps: it keeps a fraction beta of its old value and adds the new downhill push −lr·g.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# Compute the new velocity first, exactly as the docstring writes it, then move the weights by the new velocity. Return both, the weights first.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "momentum_step_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_array


def unpack(name, result, k):
    """The k arrays a step function returned, or a clear message."""
    if not isinstance(result, (tuple, list)) or len(result) != k:
        what = f"a {type(result).__name__} of {len(result)} items" if isinstance(result, (tuple, list)) \
            else ("None — did you forget `return`?" if result is None else type(result).__name__)
        raise CheckFailed(f"{name} should return {k} arrays, e.g. `return w, v`; got {what}")
    return [np.array(r, dtype=float, copy=True) for r in result]


def run_momentum(w0, gradients, lr, beta):
    """Call momentum_step once per gradient, from v = 0; return the list of weights."""
    w, v = np.array(w0, dtype=float), np.zeros(np.shape(w0))
    weights = []
    for t, g in enumerate(gradients, start=1):
        w, v = unpack(f"momentum_step (step {t})", call(momentum_step, w.copy(), v.copy(), np.asarray(g, float),
                                                        lr, beta), 2)
        weights.append(w)
    return weights


# The first step from v = 0 is a plain gradient step: v = -lr g, w = w - lr g.
w_m = run_momentum([1.0, -2.0, 0.5], [[1.0, -1.0, 4.0]], lr=0.1, beta=0.9)
check_array("the first momentum step, w_new - w", w_m[0] - np.array([1.0, -2.0, 0.5]), [-0.1, 0.1, -0.4],
            hint="Hint: v_new = beta * v - lr * g (from v = 0 that is -lr * g), then w_new = w + v_new.")
# Three steps with the same gradient: the velocity grows, -0.1, -0.19, -0.271.
w_m = run_momentum([0.0], [[1.0], [1.0], [1.0]], lr=0.1, beta=0.9)
check_array("w after 3 momentum steps with g = [1.0] each time (lr=0.1, beta=0.9)",
            np.array(w_m).ravel(), [-0.1, -0.29, -0.561],
            hint="Hint: the velocity carries over: v_new = beta * v - lr * g, then w_new = w + v_new.")

### BEGIN HIDDEN TESTS
# Several steps with changing gradients, other shapes and betas, against the library's
# Momentum (the same formulation; the weights are compared, so v = beta v + g with
# w = w - lr v, which gives the same weights, passes too).
from nnlearn.optimizers import Momentum as HiddenMomentum

hidden_rng = np.random.default_rng(20260406)
for hidden_shape, hidden_lr, hidden_beta in [((3,), 0.1, 0.9), ((2, 4), 0.01, 0.5), ((1,), 0.5, 0.99), ((3, 2), 0.05, 0.0001)]:
    hidden_w0 = hidden_rng.normal(size=hidden_shape)
    hidden_gs = [hidden_rng.normal(scale=3.0, size=hidden_shape) for _ in range(6)]
    hidden_opt, hidden_p = HiddenMomentum(lr=hidden_lr, beta=hidden_beta), hidden_w0.copy()
    hidden_expected = []
    for hidden_g in hidden_gs:
        hidden_opt.step([hidden_p], [hidden_g.copy()])
        hidden_expected.append(hidden_p.copy())
    check_array(f"weights after each of 6 momentum steps, shape {hidden_shape}, lr={hidden_lr}, beta={hidden_beta}",
                np.array(run_momentum(hidden_w0, hidden_gs, hidden_lr, hidden_beta)), np.array(hidden_expected))
### END HIDDEN TESTS
print("momentum_step: all tests in this cell passed.")

# %% [markdown]
# Plain gradient descent against momentum on a narrow valley,
# $f(w_1, w_2) = \tfrac12 (w_1^2 + 30\, w_2^2)$, with the same learning rate 0.03
# and the same 60 steps. Plain gradient descent cannot go much faster: above
# $2/30 \approx 0.067$ it diverges across the valley.

# %%
def narrow(w1, w2):
    return 0.5 * (w1**2 + 30 * w2**2)


def narrow_grad(w):
    return np.array([w[0], 30 * w[1]])


narrow_start = np.array([-9.0, 1.5])


def run_optimizer(step, w0, grad, n_steps, *state_names):
    """Path of an optimizer: step(w, *state, g) -> (w, *state), from zero state."""
    w, state = np.array(w0, dtype=float), [np.zeros_like(w0, dtype=float) for _ in state_names]
    path = [w.copy()]  # a copy: a step function may update w in place
    for t in range(1, n_steps + 1):
        w, *state = step(w, *state, grad(w), t)
        path.append(np.array(w, dtype=float))
    return np.array(path)


def momentum_path(w0, grad, lr, beta, n_steps):
    return run_optimizer(lambda w, v, g, t: momentum_step(w, v, g, lr, beta), w0, grad, n_steps, "v")


fig, axes = plt.subplots(1, 3, figsize=(16, 4), layout="constrained")
try:
    gd_run = gradient_descent(narrow_grad, narrow_start, 0.03, 60)
    mom_run = momentum_path(narrow_start, narrow_grad, 0.03, 0.8, 60)
except NotImplementedError:
    for ax in axes:
        not_yet("gradient_descent", "momentum_step", to="see the paths", ax=ax)
else:
    for ax, path, title in [(axes[0], gd_run, "plain gradient descent, lr = 0.03"),
                            (axes[1], mom_run, "momentum, lr = 0.03, beta = 0.8")]:
        plot_trajectory(narrow, path, ax=ax, xlim=(-10, 4), ylim=(-2.5, 2.5), levels=20)
        ax.set_title(title)
    axes[2].semilogy(narrow(*gd_run.T), label="plain gradient descent")
    axes[2].semilogy(narrow(*mom_run.T), label="momentum")
    axes[2].set_xlabel("step")
    axes[2].set_ylabel("loss")
    axes[2].legend()
    axes[2].minorticks_off()
plt.show()

# %% [markdown]
# Plain gradient descent drops to the floor of the valley at once and then creeps
# along it: there the slope is gentle, so the steps are short. With momentum the
# ball swings across the valley a few times (the swings die out because the
# velocity across keeps reversing) while it gathers speed along the floor, and it
# reaches the bottom long before. Its loss is not monotone — a rolling ball climbs
# a little when it overshoots — but it falls far faster overall.

# %% [markdown]
# ## 7. Adam: a step size for every weight
#
# Momentum speeds the ball up, but it still uses one learning rate for all weights,
# and the steep direction still limits it. **Adam** (Kingma and Ba, 2015), the
# most widely used optimiser for neural networks, also gives each weight its own
# step size. It keeps two running averages per weight, of the gradient ($m$) and
# of its square ($v$), and divides one by the square root of the other:
#
# $$\begin{aligned}
# m &\leftarrow \beta_1 m + (1 - \beta_1)\, g, &
# v &\leftarrow \beta_2 v + (1 - \beta_2)\, g^2, \\
# \hat m &= \frac{m}{1 - \beta_1^{\,t}}, &
# \hat v &= \frac{v}{1 - \beta_2^{\,t}}, \\
# w &\leftarrow w - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}.
# \end{aligned}$$
#
# Everything is entry by entry ($g^2$ squares each entry). $t = 1, 2, \dots$
# counts the steps. The division makes the step about $\eta$ long whatever the
# size of the gradient: a weight with tiny gradients moves as fast as one with
# huge gradients. The **bias correction** $\hat m, \hat v$ repairs the start:
# $m$ and $v$ begin at zero, so for the first steps they are far too small, and
# dividing by $1 - \beta^t$ (small for small $t$, close to 1 later) scales them back
# up. $\epsilon$ (e.g. $10^{-8}$) only prevents a division by zero. Common
# defaults: $\eta = 0.001$, $\beta_1 = 0.9$, $\beta_2 = 0.999$.
#
# ### Exercise 7: one Adam step (3 points)
#
# Write `adam_step(w, m, v, g, t, lr, beta1, beta2, eps)` that applies the
# formulas above once (step number `t`, counted from 1) and returns
# `(w_new, m_new, v_new)`, where `m_new` and `v_new` are the running averages
# **before** bias correction (they are what the next step needs). All arrays have
# the same shape (any shape). The equivalent form that folds the bias correction
# into the learning rate, $\eta_t = \eta \sqrt{1 - \beta_2^t} / (1 - \beta_1^t)$,
# $w \leftarrow w - \eta_t\, m / (\sqrt{v} + \epsilon)$, is accepted too.

# %% nbgrader={"grade": false, "grade_id": "adam_step", "locked": false, "schema_version": 3, "solution": true}
def adam_step(w, m, v, g, t, lr, beta1, beta2, eps):
    """One Adam step (t = 1, 2, ...).

    w, m, v, g: weights, running mean of the gradient, running mean of its square,
    gradient (all of the same shape). Returns (w_new, m_new, v_new); m_new and v_new
    are not bias-corrected.
    """
    ### BEGIN SOLUTION
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# Adam keeps two running averages: m of the gradient and v of the squared gradient, each updated like the momentum velocity but with weights beta and 1 − beta.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# Early on, m and v are biased towards their zero start. Divide them by (1 − beta1ᵗ) and (1 − beta2ᵗ) to correct that, but only for the step: return the uncorrected m and v.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# The step itself divides the corrected m by the square root of the corrected v plus eps, times lr; subtract it from w. `g**2` and `np.sqrt` work entry by entry, so w can have any shape.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "adam_step_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_array

bias_hint = ("Hint: after the first step from m = v = 0, the bias-corrected averages are m_hat = g and "
             "v_hat = g**2, so Adam moves every weight with a nonzero gradient by almost exactly lr. "
             "Check the bias correction m / (1 - beta1**t) and v / (1 - beta2**t), with t counted from 1.")

w_a = np.array([1.0, -2.0, 0.5])
g_a = np.array([0.5, -4.0, 0.0])
w1_a, m1_a, v1_a = unpack("adam_step", call(adam_step, w_a.copy(), np.zeros(3), np.zeros(3), g_a.copy(),
                                            1, 0.1, 0.9, 0.999, 1e-8), 3)
check_array("m after step 1", m1_a, 0.1 * g_a, hint="Hint: m_new = beta1 * m + (1 - beta1) * g, not bias-corrected.")
check_array("v after step 1", v1_a, 0.001 * g_a**2,
            hint="Hint: v_new = beta2 * v + (1 - beta2) * g**2, not bias-corrected.")
check_array("w after step 1 (lr = 0.1)", w1_a, [0.9, -1.9, 0.5], rtol=1e-6, atol=1e-7, hint=bias_hint)

# A second step, t = 2, with a new gradient.
g2_a = np.array([0.5, 1.0, 2.0])
w2_a, m2_a, v2_a = unpack("adam_step", call(adam_step, w1_a.copy(), m1_a.copy(), v1_a.copy(), g2_a.copy(),
                                            2, 0.1, 0.9, 0.999, 1e-8), 3)
check_array("m after step 2", m2_a, [0.095, -0.26, 0.2])
check_array("v after step 2", v2_a, [0.00049975, 0.016984, 0.004])
check_array("w after step 2", w2_a, [0.800000004, -1.85305318329, 0.425586318169], rtol=1e-6, atol=1e-7,
            hint=bias_hint)

### BEGIN HIDDEN TESTS
# Several steps with other shapes, hyperparameters and gradient scales, against the
# textbook Adam of the library (its moments(0) gives the textbook m and v).
from nnlearn.optimizers import Adam as HiddenAdam

hidden_rng = np.random.default_rng(20260407)
for hidden_shape, hidden_lr, hidden_b1, hidden_b2, hidden_scale in [
        ((4,), 0.01, 0.9, 0.999, 1.0), ((2, 3), 0.05, 0.8, 0.99, 10.0), ((1,), 0.001, 0.5, 0.9, 0.3),
        ((3, 1), 0.1, 0.95, 0.9999, 1e4)]:
    hidden_w = hidden_rng.normal(size=hidden_shape)
    hidden_m, hidden_v = np.zeros(hidden_shape), np.zeros(hidden_shape)
    hidden_opt, hidden_p = HiddenAdam(lr=hidden_lr, beta1=hidden_b1, beta2=hidden_b2, eps=1e-8), hidden_w.copy()
    for hidden_t in range(1, 8):
        hidden_g = hidden_rng.normal(scale=hidden_scale, size=hidden_shape)
        hidden_opt.step([hidden_p], [hidden_g.copy()])
        hidden_m_ref, hidden_v_ref = hidden_opt.moments(0)
        hidden_w, hidden_m, hidden_v = unpack(
            "adam_step", call(adam_step, hidden_w.copy(), hidden_m.copy(), hidden_v.copy(), hidden_g.copy(),
                              hidden_t, hidden_lr, hidden_b1, hidden_b2, 1e-8), 3)
        hidden_where = f"step {hidden_t}, shape {hidden_shape}, lr={hidden_lr}, betas=({hidden_b1}, {hidden_b2})"
        check_array(f"m after {hidden_where}", hidden_m, hidden_m_ref, rtol=1e-6, atol=1e-10 * hidden_scale)
        check_array(f"v after {hidden_where}", hidden_v, hidden_v_ref, rtol=1e-6, atol=1e-10 * hidden_scale**2)
        check_array(f"w after {hidden_where}", hidden_w, hidden_p, rtol=1e-6, atol=1e-6 * hidden_lr,
                    hint=bias_hint)
        hidden_w = hidden_p.copy()  # continue from the exact weights
# A zero gradient leaves a weight where it is; eps keeps it finite.
hidden_w, _, _ = unpack("adam_step", call(adam_step, np.array([3.0, -1.0]), np.zeros(2), np.zeros(2),
                                          np.zeros(2), 1, 0.1, 0.9, 0.999, 1e-8), 3)
check_array("w after a step with a zero gradient", hidden_w, [3.0, -1.0])
# A tiny gradient (1e-10, much smaller than eps = 1e-8): the step is small (eps dominates the denominator,
# in the textbook and in the folded form alike) but still goes against the gradient. With eps subtracted
# instead of added, the denominator turns negative and the step goes the wrong way.
hidden_w, _, _ = unpack("adam_step", call(adam_step, np.array([1.0, 1.0]), np.zeros(2), np.zeros(2),
                                          np.array([1e-10, -1e-10]), 1, 0.1, 0.9, 0.999, 1e-8), 3)
hidden_step = np.asarray(hidden_w, dtype=float) - 1.0
if not (hidden_step[0] < 0 < hidden_step[1] and np.all(np.abs(hidden_step) <= 0.1)):
    raise CheckFailed(f"after one step with the tiny gradient [1e-10, -1e-10] (lr=0.1, eps=1e-8) from w = [1, 1], "
                      f"w moved by {hidden_step.tolist()}; it should move against the gradient (first entry down, "
                      "second up), by at most lr. Hint: the step is lr * m_hat / (np.sqrt(v_hat) + eps): eps is "
                      "added to the square root, so the denominator is never 0 or negative.")
### END HIDDEN TESTS
print("adam_step: all tests in this cell passed.")

# %% [markdown]
# Adam on the same narrow valley, next to the two runs above. Its first steps move
# both weights by about the learning rate, although the slope across the valley is
# much steeper than along it, so it heads diagonally instead of first falling to
# the floor; then it curves in.

# %%
def adam_path(w0, grad, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    return run_optimizer(lambda w, m, v, g, t: adam_step(w, m, v, g, t, lr, beta1, beta2, eps),
                         w0, grad, n_steps, "m", "v")


fig, axes = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
try:
    adam_run = adam_path(narrow_start, narrow_grad, 0.3, 60)
    gd_run = gradient_descent(narrow_grad, narrow_start, 0.03, 60)
    mom_run = momentum_path(narrow_start, narrow_grad, 0.03, 0.8, 60)
except NotImplementedError:
    for ax in axes:
        not_yet("gradient_descent", "momentum_step", "adam_step", to="see the paths", ax=ax)
else:
    plot_trajectory(narrow, adam_run, ax=axes[0], xlim=(-10, 4), ylim=(-2.5, 2.5), levels=20)
    axes[0].set_title("Adam, lr = 0.3")
    for path, label in [(gd_run, "plain gradient descent, lr = 0.03"),
                        (mom_run, "momentum, lr = 0.03, beta = 0.8"), (adam_run, "Adam, lr = 0.3")]:
        axes[1].semilogy(narrow(*path.T), label=label)
    axes[1].set_xlabel("step")
    axes[1].set_ylabel("loss")
    axes[1].legend()
    axes[1].minorticks_off()
plt.show()

# %% [markdown]
# On this valley Adam is not faster than well-tuned momentum. Its strength is
# elsewhere: because it divides by the size of the gradient, it does not care how
# the loss is scaled. Multiply the loss by 100 (for instance, because the targets
# are measured in other units) and every gradient is 100 times larger. Plain
# gradient descent with the learning rate that just worked now diverges; Adam
# takes the same steps as before.

# %%
def scaled_grad(w):
    return 100 * narrow_grad(w)


try:
    with np.errstate(over="ignore", invalid="ignore"):
        for name, run in [("gradient descent, lr = 0.03", lambda g: gradient_descent(g, narrow_start, 0.03, 60)),
                          ("Adam, lr = 0.3", lambda g: adam_path(narrow_start, g, 0.3, 60))]:
            ends = [run(g)[-1] for g in (narrow_grad, scaled_grad)]
            where = [f"{np.round(e, 4)}" if np.all(np.abs(e) < 1e6) else "infinity (diverged)" for e in ends]
            print(f"{name:28s} ends at {where[0]} on the valley, at {where[1]} on the valley x 100")
except NotImplementedError:
    not_yet("gradient_descent", "adam_step")

# %% [markdown]
# ## 8. What the success of training depends on
#
# How well training works depends on the **model** (its architecture: how many
# layers and neurons, which activations), on the **optimiser** and on the
# **learning rate** — and they interact. Here is the narrow valley again, 100
# steps from the same start, for each optimiser and a range of learning rates.
# Each entry is the final loss (it starts at 74); "diverged" means it blew up.

# %%
lr_grid = [1e-4, 1e-3, 1e-2, 0.03, 0.1, 0.3, 1.0]
optimizers = {
    "gradient descent": lambda lr: gradient_descent(narrow_grad, narrow_start, lr, 100),
    "momentum (0.9)": lambda lr: momentum_path(narrow_start, narrow_grad, lr, 0.9, 100),
    "Adam": lambda lr: adam_path(narrow_start, narrow_grad, lr, 100),
}
print("learning rate     " + "".join(f"{lr:>10g}" for lr in lr_grid))
for name, run in optimizers.items():
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            finals = [narrow(*run(lr)[-1]) for lr in lr_grid]
    except NotImplementedError:
        print(f"{name:18s}(not yet: write the exercises above)")
        continue
    print(f"{name:18s}" + "".join(f"{v:10.3g}" if np.isfinite(v) and v < 1e6 else f"{'diverged':>10s}"
                                  for v in finals))

# %% [markdown]
# Every optimiser has a window of learning rates that works, and the windows
# differ. Plain gradient descent diverges as soon as $\eta > 2/30$ (the steep
# direction) and crawls below it; momentum does far better at the same learning
# rates but diverges too, a little later. Adam never diverges here, because its steps are about
# $\eta$ long whatever the gradient — but for the same reason it needs many steps
# when $\eta$ is small: from 9 units away, 100 steps of 0.001 cannot get far. A good
# learning rate for one optimiser is a bad one for another. In practice one tries
# a few values a factor of 3 to 10 apart and keeps the best. Notebook 05 varies
# the other ingredient, the architecture.

# %% [markdown]
# ## 9. Common misconceptions
#
# **"The learning rate is usually very small, between 0.001 and 0.00001."** A
# good learning rate is whatever makes *this* problem converge fast without
# diverging, and that depends on the curvature of the loss — on the data, the
# model and the optimiser. On the standardised data of section 5, mini-batch SGD
# with 0.00001 has hardly started after 20 epochs (400 updates), 0.1 has
# converged and 1 diverges (one run each, shuffle seed 0; other shuffles change
# the numbers a little, not the picture):

# %%
def final_loss(lr, X, y, epochs=20, batch_size=10):
    with np.errstate(over="ignore", invalid="ignore"):
        path = sgd_linear_regression(X, y, lr, epochs, batch_size, seed=0)
        loss = loss_along(path[-1:], X, y)[0]
    return f"{loss:.4g}" if np.isfinite(loss) and loss < 1e10 else "diverged"


try:
    print(f"start (w = 0): loss {loss_along(np.zeros((1, 3)), X_lin, y_lin)[0]:.4g}; "
          f"least squares: {loss_along(w_best[None], X_lin, y_lin)[0]:.4g}")
    for lr in [1e-5, 1e-3, 1e-1, 1.0]:
        print(f"lr = {lr:<7g} final loss {final_loss(lr, X_lin, y_lin)}")
except NotImplementedError:
    not_yet("sgd_linear_regression")

# %% [markdown]
# The same model on the same data, with the two features measured in other units
# (say centimetres instead of metres: numbers 100 times larger). The loss is now
# $10^4$ times more curved along their weights: 0.1 and even 0.001 diverge.
# 0.00001 is stable, but the loss stalls far above the optimum, because the bias
# (whose input, the column of ones, was not rescaled) hardly moves at that rate. No
# single learning rate suits weights whose inputs differ in scale; standardising
# the inputs (notebook 06) or an optimiser with a step size per weight (Adam)
# fixes that.

# %%
X_cm = X_lin * np.array([1.0, 100.0, 100.0])
try:
    for lr in [1e-5, 1e-3, 1e-1]:
        print(f"lr = {lr:<7g} final loss {final_loss(lr, X_cm, y_lin)}")
except NotImplementedError:
    not_yet("sgd_linear_regression")

# %% [markdown]
# **"The gradients are the minimum value of the cost function."** These are two
# different things. The minimum value of the cost is **one number**: the lowest the
# cost can go. The gradient is **a vector of slopes**, one per weight; it changes
# from point to point and points the way in which the cost *rises* fastest, so a
# small step along it raises the cost and a small step against it lowers it. At
# the minimum the gradient is zero — whatever the minimum value is. Take a bowl
# whose lowest value is 3, at $w = (1, -0.5)$:
# $\text{cost}(w) = (w_1 - 1)^2 + 4 (w_2 + 0.5)^2 + 3$.

# %%
def cost(w):
    return (w[0] - 1)**2 + 4 * (w[1] + 0.5)**2 + 3


print(f"the minimum value of the cost: {cost(np.array([1.0, -0.5])):.2f}, one number (at w = [1, -0.5])")
try:
    for point in [np.array([3.0, 1.0]), np.array([-1.0, 0.0]), np.array([1.0, -0.5])]:
        g = numerical_gradient(cost, point.copy())
        print(f"w = {point}: cost {cost(point):5.2f}, gradient {np.round(g, 6) + 0.0}, "
              f"cost after a step of 0.01 along it {cost(point + 0.01 * g):5.2f}, "
              f"against it {cost(point - 0.01 * g):5.2f}")
except NotImplementedError:
    not_yet("numerical_gradient")

# %% [markdown]
# The gradient at the minimum is $(0, 0)$, not 3, and nowhere else is it zero.
# Gradient descent knows neither the minimum value nor where it is: it only ever
# follows the local slope, and stops where the slope vanishes.

# %% [markdown]
# **"The weights are updated once per epoch."** Only in full-batch gradient descent.
# With mini-batches they are updated after every batch: count the rows of the
# path (minus the starting point) after one epoch of the 200 samples.

# %%
try:
    for batch_size in [200, 32, 10, 1]:
        path = sgd_linear_regression(X_lin, y_lin, 0.01, 1, batch_size, seed=0)
        print(f"batch size {batch_size:3d}: {len(path) - 1:3d} weight updates in one epoch")
except NotImplementedError:
    not_yet("sgd_linear_regression")

# %% [markdown]
# **"SGD steadily works to minimise the loss; each update brings the weights closer
# to the optimum."** Each update lowers the loss *of its own mini-batch* (if the
# learning rate is small enough), not necessarily the loss on all the data. With
# single samples close to half of the updates make the total loss worse, whatever
# the shuffle; only the trend goes down.

# %%
try:
    for seed in range(5):
        path = sgd_linear_regression(X_lin, y_lin, 0.02, 5, 1, seed=seed)
        changes = np.diff(loss_along(path, X_lin, y_lin))
        print(f"shuffle seed {seed}: {np.sum(changes > 0)} of {len(changes)} SGD updates increased the loss "
              "on the whole data set")
        if seed == 0:
            fig, ax = plt.subplots(figsize=(7, 3))
            ax.plot(loss_along(path, X_lin, y_lin)[200:], lw=0.8)
            ax.set_xlabel("update (epochs 2 to 5)")
            ax.set_ylabel("loss on all 200 samples")
            ax.set_title("SGD with batch size 1 (seed 0): noisy, not monotone")
    plt.show()
except NotImplementedError:
    not_yet("sgd_linear_regression")

# %% [markdown]
# **"Like a ball rolling downhill, gradient descent ends at the lowest point."** It
# ends at *a* low point: the bottom of the valley it starts in. On a loss with
# several valleys the starting point decides which one. (With too large a learning
# rate it does not settle anywhere, as section 4 showed.) The curve below,
# $f(w) = w^4 - 3 w^2 + w$, has its lowest point near $w = -1.3$ and a shallower
# valley near $w = 1.13$:

# %%
def two_valleys(w):
    return w**4 - 3 * w**2 + w


def two_valleys_grad(w):
    return 4 * w**3 - 6 * w + 1


try:
    for start in [-2.0, -0.5, 0.5, 2.0]:
        end = gradient_descent(two_valleys_grad, np.array([start]), 0.01, 500)[-1, 0]
        print(f"start at w = {start:4.1f}: ends at w = {end:6.3f}, loss {two_valleys(end):6.3f}")
except NotImplementedError:
    not_yet("gradient_descent")


# %% [markdown]
# ## Where you stand
#
# The next cell runs the visible tests of every exercise again, against your
# functions as they are now, and lists the points at stake. Passing them is a good
# sign, not a grade: the grade also uses hidden tests, on other inputs.

# %% tags=["grading-skip"]
from nnlearn.standing import where_you_stand

where_you_stand("04_gradient_descent.ipynb")

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
# # 02 · Neurons and activations
#
# A neural network is built from one small piece repeated many times: the
# **neuron**. In this notebook you write that piece yourself, and everything a
# layer of such pieces needs.
#
# A neuron receives a few numbers $x_1, \dots, x_n$ (the outputs of the previous
# layer, or the raw inputs). It does two things with them:
#
# 1. it forms a **weighted sum plus a bias**
#    $z = w_1 x_1 + w_2 x_2 + \dots + w_n x_n + b = \mathbf{w} \cdot \mathbf{x} + b$,
# 2. it passes $z$ through an **activation function** $f$ and sends $a = f(z)$ on
#    to the next layer.
#
# The weights $w_i$ say how strongly each input pulls on the neuron (a negative
# weight pulls the other way); the single bias $b$ shifts the point at which the
# neuron starts to respond. Training a network means nothing more than adjusting
# all the $w$ and $b$ until the network's outputs are useful — later notebooks
# show how.
#
# **What you will write** (17 points in all):
#
# | # | function | points | what it is |
# |---|---|---|---|
# | 1 | `sigmoid` | 3 | the classic squashing activation, safe for any input |
# | 2 | `relu`, `leaky_relu` | 2 | the activations most networks use today |
# | 3 | `sigmoid_derivative`, `tanh_derivative`, `relu_derivative` | 3 | the slopes that training needs |
# | 4 | `dense_forward` | 2 | a whole layer of neurons in one line |
# | 5 | `softmax` | 3 | scores → class probabilities, safe for any input |
# | 6 | `collapse_linear` | 2 | proof that linear layers alone add nothing |
# | 7 | `init_weights` | 2 | random starting weights of the right shape and size |
#
# **How to work through this notebook.** Run the cells from top to bottom. Where
# you see `# YOUR CODE HERE`, delete the `raise NotImplementedError()` line and
# write your code. The cell after each exercise tests your answer; if a check
# fails, its message tells you what is wrong (shape, which entry, by how much) and
# often why. The plots and sliders further down use *your* functions: until an
# exercise is done they show a note instead.

# %%
import numpy as np
import matplotlib.pyplot as plt

from nnlearn.plotting import not_yet   # says which of your functions a cell still needs
from nnlearn.widgets import interactive_plot


def try_call(func, *args, **kwargs):
    """func(*args, **kwargs), or None while that exercise is still to be done.

    The demonstrations below use your functions; this lets them show a note instead
    of an error until you have written them.
    """
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        return None


# %% [markdown]
# ## 1. One neuron
#
# Here is a neuron with three inputs. Change the numbers and re-run the cell to
# get a feeling for what the weights and the bias do.

# %%
x = np.array([0.5, -1.0, 2.0])   # three inputs
w = np.array([0.8, 0.2, -0.5])   # one weight per input
b = 0.1                          # one bias for the whole neuron

z = w @ x + b                    # the weighted sum plus bias
print(f"z = {z:.2f}")

# %% [markdown]
# `w @ x` is NumPy's dot product: it multiplies the inputs by their weights and
# adds the products up. On its own, $z$ can be any number, large or small,
# positive or negative.
#
# ### The bias is just one more weight
#
# Some diagrams of networks draw an extra node in each layer that is not
# connected to anything before it and always outputs 1, a **bias node**. Its
# connection to a neuron carries a weight like every other connection, and
# $1 \times$ that weight is exactly the neuron's bias. So "a neuron with a bias"
# and "a neuron with one more input that is always 1" are the same thing:

# %%
x_with_one = np.append(x, 1.0)   # the constant input of a "bias node"
w_with_b = np.append(w, b)       # its weight is the bias

print(f"w @ x + b                  = {w @ x + b:.2f}")
print(f"w_with_b @ x_with_one      = {w_with_b @ x_with_one:.2f}")

# %% [markdown]
# That is why the bias is trained exactly like a weight: it *is* one. What does it
# add? Without it, $z = \mathbf{w} \cdot \mathbf{x}$ is 0 whenever all the inputs
# are 0, whatever the weights — the neuron could never move its switching point
# away from the origin. You will see this in the neuron playground (section 6).

# %% [markdown]
# ## 2. Activation functions
#
# ### The step: a neuron that "fires"
#
# The first artificial neurons (McCulloch and Pitts, 1943; Rosenblatt's
# perceptron, 1958) copied an idea from biology: a nerve cell either sends a pulse
# or it does not. Their activation was a **step** (threshold): output 1 — the
# neuron *fires* — when $z > 0$, and 0 otherwise.
#
# The step is too abrupt to learn with. Nudging a weight a little changes $z$ a
# little, and that almost never changes the output at all: it is still 0 or
# still 1. Training (notebooks 04 and 05) works by asking *"if I nudge this
# weight, how much does the output move?"*, and for a step the answer is
# "not at all" almost everywhere.
#
# ### The sigmoid
#
# The **sigmoid** (or logistic function) is a smooth version of the step:
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}}$$
#
# It turns any number into one strictly between 0 and 1: very negative $z$ give
# outputs near 0, very positive $z$ outputs near 1, and $\sigma(0) = 0.5$. In
# between it rises gently, so every nudge of a weight moves the output a little.

# %%
zs = np.linspace(-8, 8, 201)
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(zs, (zs > 0).astype(float), label="step: fires when z > 0")
ax.plot(zs, 1 / (1 + np.exp(-zs)), label="sigmoid")
ax.set_xlabel("z")
ax.set_ylabel("output")
ax.legend()
plt.show()

# %% [markdown]
# ### The formula breaks at extreme inputs
#
# Typed in directly, the formula has a weak spot. For $z = -1000$ it computes
# $e^{1000}$, which is far larger than the largest floating-point number (about
# $1.8 \times 10^{308}$). NumPy then warns about an *overflow* and carries on with
# infinity. Here we turn that warning into an error so that it cannot be missed:

# %%
z_extreme = np.array([-1000.0, 0.0, 1000.0])
with np.errstate(over="raise"):
    try:
        print(1 / (1 + np.exp(-z_extreme)))
    except FloatingPointError as err:
        print("The direct formula failed:", err)

# %% [markdown]
# The way out is to exponentiate only numbers that are zero or negative, because
# then $e^{(\cdot)}$ lies between 0 and 1 and cannot overflow. For $z \ge 0$ the
# formula above already does that: it computes $e^{-z}$. For $z < 0$, multiply
# the top and the bottom of the fraction by $e^{z}$:
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}} = \frac{e^{z}}{e^{z} + 1} \qquad (z < 0),$$
#
# which only needs $e^{z}$, a number between 0 and 1. Both forms are written
# with $e^{-|z|}$: it is $e^{-z}$ when $z \ge 0$ and $e^{z}$ when $z < 0$.

# %% [markdown]
# ### Exercise 1: a numerically stable sigmoid (3 points)
#
# Write `sigmoid(z)`:
#
# * `z` is a NumPy array of any shape (a vector, a matrix, ...);
# * return an array of the same shape with $\sigma$ applied to every entry;
# * it must not overflow or warn, even for entries like $-1000$ and $1000$. Use the
#   two forms above; `np.where(condition, a, b)` picks entries from `a` where the
#   condition holds and from `b` elsewhere.
#
# Careful with `np.where`: it is an ordinary function, so Python computes the whole
# of `a` and the whole of `b`, for every entry of `z`, before `np.where` picks from
# them. A form that is only safe for $z \ge 0$ is still evaluated at the negative
# entries (and the other way round), and overflows there even though its value is
# thrown away. So build **both** forms from $e^{-|z|}$ (`np.exp(-np.abs(z))`),
# which lies between 0 and 1 for every entry.
#
# No Python loops are needed.

# %% nbgrader={"grade": false, "grade_id": "sigmoid", "locked": false, "schema_version": 3, "solution": true}
def sigmoid(z):
    """The logistic sigmoid 1 / (1 + exp(-z)), applied entry by entry.

    z: array of any shape. Returns an array of the same shape, with values in (0, 1).
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # exponent <= 0: between 0 and 1, never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# The formula is fine on paper; the trouble is `np.exp(-z)` for a large negative z: it overflows (and NumPy warns).
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# Keep every exponent at most 0: for z ≥ 0 use 1 / (1 + e^(−z)); for z < 0 multiply top and bottom by e^z, which gives e^z / (1 + e^z). Both are the same function.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# With `e = np.exp(-np.abs(z))` both cases use the same small number e; choose between the two fractions entry by entry with `np.where(z >= 0, ..., ...)`.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "sigmoid_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, check_array

# Values you can check by hand: sigma(0) = 0.5 and sigma(-z) = 1 - sigma(z).
check_array("sigmoid(np.array([-2.0, 0.0, 2.0]))", sigmoid(np.array([-2.0, 0.0, 2.0])),
            [0.11920292202211755, 0.5, 0.8807970779778823])
check_array("sigmoid(np.array([0.5, 1.0, -3.0, 10.0]))", sigmoid(np.array([0.5, 1.0, -3.0, 10.0])),
            [0.6224593312018546, 0.7310585786300049, 0.04742587317756678, 0.9999546021312976])


def fails_at(z):
    """The floating-point error sigmoid(np.array([z])) raises, or None."""
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            sigmoid(np.array([z]))
    except FloatingPointError as err:
        return err
    return None


# Extreme inputs: an overflow warning becomes an error here, so that you see it.
try:
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        extreme = sigmoid(np.array([-1000.0, 1000.0]))
except FloatingPointError as err:
    message = f"sigmoid(np.array([-1000.0, 1000.0])) failed with '{err}'."
    if fails_at(1000.0):
        message += (" It fails for z = 1000 alone too, although for z >= 0 the formula needs only exp(-1000), "
                    "a tiny number: your code also computes a form meant for z < 0 (such as exp(z)) at z = 1000. "
                    "If you pick between the two forms with np.where(condition, a, b): NumPy computes all of a "
                    "and all of b, for every entry, before it picks, so each form is also computed where it is "
                    "not used. Build both forms from e = np.exp(-np.abs(z)), which never overflows.")
    elif fails_at(-1000.0):
        message += (" At z = -1000, exp(-z) is exp(1000), far above the largest float. Exponentiate only "
                    "numbers <= 0: for z < 0 use the second form, exp(z) / (1 + exp(z)), or build both forms "
                    "from e = np.exp(-np.abs(z)).")
    else:
        message += " Exponentiate only numbers <= 0: use the two forms of the formula shown above."
    raise CheckFailed(message) from None
check_array("sigmoid(np.array([-1000.0, 1000.0]))", extreme, [0.0, 1.0])

### BEGIN HIDDEN TESTS
from nnlearn.activations import sigmoid as reference_sigmoid

# Other shapes and values, so that code written for one shape or for a few
# hand-picked numbers fails.
hidden_rng = np.random.default_rng(20251102)
for hidden_shape in [(7,), (3, 4), (2, 3, 5), (1, 1)]:
    hidden_z = hidden_rng.normal(scale=6.0, size=hidden_shape)
    check_array(f"sigmoid(z) for z of shape {hidden_shape}", sigmoid(hidden_z),
                reference_sigmoid(hidden_z))

# Extreme values. Every floating-point problem is an error here except underflow:
# exp(-1000) rounding to 0.0 is the right answer, and NumPy ignores it by default.
hidden_z = np.array([[-1000.0, -745.5, -710.0, -40.0, -1e-12],
                     [0.0, 1e-12, 40.0, 710.0, 1000.0]])
hidden_expected = reference_sigmoid(hidden_z)
try:
    with np.errstate(all="raise", under="ignore"):
        hidden_got = sigmoid(hidden_z)
except FloatingPointError as err:
    raise CheckFailed(f"sigmoid(z) failed for extreme z with '{err}': it is not numerically "
                      "stable.") from None
check_array("sigmoid(z) for extreme z", hidden_got, hidden_expected)
### END HIDDEN TESTS
print("sigmoid: all tests in this cell passed.")

# %% [markdown]
# ## 3. tanh, ReLU and leaky ReLU
#
# The sigmoid is one of several activation functions in common use. They differ
# in the **range** of values they produce and in how they bend:
#
# | activation | formula | range | typical use |
# |---|---|---|---|
# | step | 1 if $z > 0$, else 0 | $\{0, 1\}$ | history; cannot be trained by gradient descent |
# | sigmoid | $1 / (1 + e^{-z})$ | $(0, 1)$ | an output that is a probability (yes/no) |
# | tanh | $(e^{z} - e^{-z}) / (e^{z} + e^{-z})$ | $(-1, 1)$ | hidden layers of small networks |
# | ReLU | $\max(0, z)$ | $[0, \infty)$ | hidden layers: the usual default today |
# | leaky ReLU | $z$ if $z > 0$, else $\alpha z$ | $(-\infty, \infty)$ | like ReLU, but negative inputs keep a small slope $\alpha$ (e.g. 0.01) |
#
# **tanh** is a sigmoid stretched to the range $(-1, 1)$ and centred at 0:
# $\tanh(z) = 2\sigma(2z) - 1$. Its outputs are positive and negative, which
# makes it easier for the next layer to learn than the always-positive sigmoid.
# NumPy has it as `np.tanh`, already stable for any input.

# %%
z_demo = np.linspace(-3, 3, 7)
print("np.tanh(z)       :", np.round(np.tanh(z_demo), 4))
print("2 sigma(2z) - 1  :", np.round(2 / (1 + np.exp(-2 * z_demo)) - 1, 4))

# %% [markdown]
# **ReLU** (rectified linear unit) lets positive numbers through unchanged and
# replaces negative ones by 0. It is cheap to compute, and for $z > 0$ its slope
# never fades away (the sigmoid's and tanh's slopes become tiny for large $|z|$,
# which slows learning in deep networks). Its weak spot: a neuron whose $z$ is
# negative for every input outputs 0 and has slope 0, so training can no longer
# move it — it is "dead". **Leaky ReLU** keeps a small slope $\alpha$ on the
# negative side so that such a neuron can recover.
#
# ### Exercise 2: ReLU and leaky ReLU (2 points)
#
# Write `relu(z)` and `leaky_relu(z, alpha=0.01)`:
#
# * `z` is a NumPy array of any shape; return a **new** array of the same shape;
#   do not change `z` itself (no `z[z < 0] = 0` on the input);
# * `relu` returns $\max(0, z)$ entry by entry. Careful: `np.max(z)` is the single
#   largest entry of `z`; the entry-by-entry maximum of two arrays (or of an array
#   and a number) is `np.maximum`;
# * `leaky_relu` returns $z$ where $z > 0$ and $\alpha z$ elsewhere, with the
#   `alpha` it is given (`0 <= alpha < 1`).

# %% nbgrader={"grade": false, "grade_id": "relu", "locked": false, "schema_version": 3, "solution": true}
def relu(z):
    """max(0, z) entry by entry. z: array of any shape; returns a new array of the same shape."""
    ### BEGIN SOLUTION
    return np.maximum(z, 0.0)
    ### END SOLUTION


def leaky_relu(z, alpha=0.01):
    """z where z > 0, alpha * z elsewhere. z: array of any shape; returns a new array."""
    ### BEGIN SOLUTION
    return np.where(z > 0, z, alpha * z)
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# Both are an entry-by-entry choice between z and something else, with no loop needed.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# `np.maximum(z, 0)` compares every entry with 0. For leaky ReLU, `np.where(condition, value_if_true, value_if_false)` picks z where z > 0 and alpha · z elsewhere. Neither may change z itself.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "relu_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_array

z_check = np.array([-3.0, -0.5, 0.0, 0.25, 4.0])
check_array("relu(z_check)", call(relu, z_check.copy()), [0.0, 0.0, 0.0, 0.25, 4.0],
            hint="Hint: np.maximum(a, b) compares entry by entry; np.max(a) returns one number, the "
                 "largest entry of a.")
check_array("leaky_relu(z_check)", call(leaky_relu, z_check.copy()), [-0.03, -0.005, 0.0, 0.25, 4.0])
check_array("leaky_relu(z_check, alpha=0.2)", call(leaky_relu, z_check.copy(), alpha=0.2),
            [-0.6, -0.1, 0.0, 0.25, 4.0],
            hint="Hint: the negative side must use the alpha your function is given (here 0.2), "
                 "not a fixed 0.01.")
check_array("relu(np.array([-1000.0, 1000.0]))", call(relu, np.array([-1000.0, 1000.0])), [0.0, 1000.0])

# Your functions must leave their input alone: later code still needs z.
for name, func in [("relu", relu), ("leaky_relu", leaky_relu)]:
    z_before = np.array([-2.0, 3.0, -1.0])
    z_passed = z_before.copy()
    call(func, z_passed)
    if not np.array_equal(z_passed, z_before):
        raise CheckFailed(f"{name}(z) changed the array z it was given (it wrote into it in place): "
                          f"z was {z_before}, afterwards it is {z_passed}. Compute a new array "
                          "(np.maximum, np.where) and return that.")

### BEGIN HIDDEN TESTS
from nnlearn.activations import leaky_relu as reference_leaky_relu
from nnlearn.activations import relu as reference_relu

hidden_rng = np.random.default_rng(20251104)
for hidden_shape in [(6,), (4, 3), (2, 3, 2), (1, 1)]:
    hidden_z = hidden_rng.normal(scale=5.0, size=hidden_shape)
    hidden_copy = hidden_z.copy()
    check_array(f"relu(z) for z of shape {hidden_shape}", call(relu, hidden_z), reference_relu(hidden_copy))
    if not np.array_equal(hidden_z, hidden_copy):
        raise CheckFailed(f"relu(z) changed its input z (shape {hidden_shape}) in place.")
    for hidden_alpha in [0.0, 0.01, 0.3]:
        hidden_z = hidden_copy.copy()
        check_array(f"leaky_relu(z, alpha={hidden_alpha}) for z of shape {hidden_shape}",
                    call(leaky_relu, hidden_z, alpha=hidden_alpha),
                    reference_leaky_relu(hidden_copy, alpha=hidden_alpha))
        if not np.array_equal(hidden_z, hidden_copy):
            raise CheckFailed(f"leaky_relu(z) changed its input z (shape {hidden_shape}) in place.")
hidden_z = np.array([[-1000.0, -1e-9, 1e-9], [1000.0, -7.5, 2.5]])
check_array("relu(z) for extreme z", call(relu, hidden_z.copy()), reference_relu(hidden_z))
check_array("leaky_relu(z, alpha=0.1) for extreme z", call(leaky_relu, hidden_z.copy(), alpha=0.1),
            reference_leaky_relu(hidden_z, alpha=0.1))
### END HIDDEN TESTS
print("relu, leaky_relu: all tests in this cell passed.")

# %% [markdown]
# Here are all five activations side by side, drawn with your functions (NumPy's
# `np.tanh` for tanh). The dashed lines mark each range's limits: only the step and
# the sigmoid stay between 0 and 1.

# %%
def step(z):
    """The threshold unit: 1.0 where z > 0 ("fires"), else 0.0."""
    return (np.asarray(z) > 0).astype(float)


zs = np.linspace(-4, 4, 401)
curves = {"step": step(zs), "sigmoid": try_call(sigmoid, zs), "tanh": np.tanh(zs),
          "ReLU": try_call(relu, zs), "leaky ReLU (α = 0.1)": try_call(leaky_relu, zs, alpha=0.1)}
limits = {"step": (0, 1), "sigmoid": (0, 1), "tanh": (-1, 1), "ReLU": (0,), "leaky ReLU (α = 0.1)": ()}
yours = {"sigmoid": "sigmoid", "ReLU": "relu", "leaky ReLU (α = 0.1)": "leaky_relu"}   # who writes which curve
fig, axes = plt.subplots(1, 5, figsize=(13, 2.8), sharex=True)
for ax, (name, values) in zip(axes, curves.items()):
    for level in limits[name]:
        ax.axhline(level, color="gray", lw=0.8, ls="--")
    if values is None:
        not_yet(yours[name], to="see this curve", ax=ax)
    else:
        ax.plot(zs, values, lw=2)
    ax.set_title(name)
    ax.set_xlabel("z")
    ax.set_ylim(-1.5, 4.2)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 4. Derivatives: how fast the output moves
#
# Training (notebooks 04 and 05) adjusts every weight in the direction that
# improves the network's output, and to find that direction it needs, for every
# neuron, the **derivative** $f'(z)$ of its activation: the slope of the curve at
# $z$, or how much the output moves per unit change of $z$.
#
# You can *measure* a slope without any calculus: move $z$ a tiny step $h$ either
# way and divide the change of $f$ by the distance travelled,
#
# $$f'(z) \approx \frac{f(z + h) - f(z - h)}{2h}.$$
#
# This *finite difference* is slow (two evaluations of $f$ per slope) and
# slightly inexact, but it is a perfect check for a formula. The test below uses it.

# %%
def slope(f, z, h=1e-5):
    """The slope of f at z, measured by a central finite difference."""
    return (f(z + h) - f(z - h)) / (2 * h)


z_demo = np.array([-2.0, 0.0, 0.5, 3.0])
print("measured slope of tanh :", np.round(slope(np.tanh, z_demo), 6))
print("1 - tanh(z)**2         :", np.round(1 - np.tanh(z_demo) ** 2, 6))

# %% [markdown]
# The second line is the exact derivative, and it has a pleasant property: it is
# written with the function's own value $t = \tanh(z)$. The same holds for the
# sigmoid. With $s = \sigma(z) = (1 + e^{-z})^{-1}$ the chain rule gives
#
# $$\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2}
#             = \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}}
#             = s\,(1 - s).$$
#
# | activation | derivative | largest slope |
# |---|---|---|
# | step | 0 (undefined at 0) | 0: no signal for training |
# | sigmoid | $\sigma(z)\,(1 - \sigma(z))$ | 0.25, at $z = 0$ |
# | tanh | $1 - \tanh(z)^2$ | 1, at $z = 0$ |
# | ReLU | 1 where $z > 0$, 0 where $z < 0$ | 1 |
# | leaky ReLU | 1 where $z > 0$, $\alpha$ where $z < 0$ | 1 |
#
# A network computes $\sigma(z)$ or $\tanh(z)$ anyway on its way forward; reusing
# that value makes the derivative nearly free on the way back. At $z = 0$ the
# ReLU has a corner and no slope; programs simply pick 0 (or 1) there.
#
# ### Exercise 3: derivatives of the activations (3 points)
#
# Write `sigmoid_derivative(z)`, `tanh_derivative(z)` and `relu_derivative(z)`:
#
# * `z` is an array of any shape; return an array of the same shape holding the
#   derivative at every entry;
# * reuse the function's value as in the table: call your `sigmoid` (or
#   `np.tanh`) once and build the derivative from the result (any other correct
#   formula is accepted too);
# * `sigmoid_derivative` must give 0 (not NaN) at $z = \pm 1000$: there the curve
#   is flat. If it uses your stable `sigmoid`, it does.
#
# At exactly $z = 0$ the ReLU's derivative may be 0 or 1: the tests do not look there.

# %% nbgrader={"grade": false, "grade_id": "activation_derivatives", "locked": false, "schema_version": 3, "solution": true}
def sigmoid_derivative(z):
    """d sigmoid / dz at every entry of z (any shape)."""
    ### BEGIN SOLUTION
    s = sigmoid(z)
    return s * (1.0 - s)
    ### END SOLUTION


def tanh_derivative(z):
    """d tanh / dz at every entry of z (any shape)."""
    ### BEGIN SOLUTION
    t = np.tanh(z)
    return 1.0 - t ** 2
    ### END SOLUTION


def relu_derivative(z):
    """d relu / dz at every entry of z (any shape): 1 where z > 0, 0 where z < 0."""
    ### BEGIN SOLUTION
    return (np.asarray(z) > 0).astype(float)
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# Each derivative can be written with the activation's own value: compute the activation once and reuse it.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# σ′(z) = σ(z) · (1 − σ(z)); tanh′(z) = 1 − tanh(z)²; ReLU′(z) is 1 where z > 0 and 0 elsewhere (a comparison turned into floats).
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "activation_derivatives_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from nnlearn.testing import call, check_array


def measured_slope(f, z, h=1e-5):
    """The slope of f at z, measured by a central finite difference."""
    return (f(z + h) - f(z - h)) / (2 * h)


def as_numbers(a):
    """A 0/1 answer may come as True/False or as integers: compare it as floats."""
    return a.astype(float) if isinstance(a, np.ndarray) and a.dtype.kind in "biu" else a


z_check = np.array([-4.0, -1.5, -0.2, 0.3, 1.0, 3.0])   # no 0: ReLU has no slope there
check_array("sigmoid_derivative(z_check)", call(sigmoid_derivative, z_check.copy()),
            measured_slope(lambda v: 1 / (1 + np.exp(-v)), z_check), rtol=1e-5, atol=1e-8,
            hint="Hint: the derivative is s * (1 - s) with s = sigmoid(z).")
check_array("tanh_derivative(z_check)", call(tanh_derivative, z_check.copy()),
            measured_slope(np.tanh, z_check), rtol=1e-5, atol=1e-8,
            hint="Hint: the derivative is 1 - t**2 with t = np.tanh(z) — is the square missing?")
check_array("relu_derivative(z_check)", as_numbers(call(relu_derivative, z_check.copy())),
            measured_slope(lambda v: np.maximum(v, 0.0), z_check), rtol=1e-5, atol=1e-8,
            hint="Hint: ReLU's slope is 1 where z > 0 and 0 where z < 0.")

# Far out the curves are flat: every slope is 0. Any correct formula is accepted here,
# even one that passes through a huge intermediate number (warnings are silenced), but
# not one that ends in NaN.
z_far = np.array([-1000.0, -100.0, 100.0, 1000.0])
with np.errstate(all="ignore"):
    far = {name: call(func, z_far.copy()) for name, func in
           [("sigmoid_derivative", sigmoid_derivative), ("tanh_derivative", tanh_derivative)]}
for name, got in far.items():
    check_array(f"{name}(np.array([-1000.0, -100.0, 100.0, 1000.0]))", got, [0.0, 0.0, 0.0, 0.0])

### BEGIN HIDDEN TESTS
from nnlearn.activations import relu as reference_relu
from nnlearn.activations import relu_derivative as reference_relu_derivative
from nnlearn.activations import sigmoid as reference_sigmoid
from nnlearn.activations import sigmoid_derivative as reference_sigmoid_derivative
from nnlearn.activations import tanh_derivative as reference_tanh_derivative

# This exercise is graded on its own: while these checks run, the names sigmoid and relu
# stand for correct versions, so that a mistake in Exercise 1 or 2 is not charged twice.
hidden_saved = {name: globals().get(name) for name in ("sigmoid", "relu")}
globals().update(sigmoid=reference_sigmoid, relu=reference_relu)
try:
    hidden_rng = np.random.default_rng(20251105)
    for hidden_shape in [(5,), (3, 4), (2, 2, 3), (1, 1)]:
        hidden_z = hidden_rng.normal(scale=4.0, size=hidden_shape)
        hidden_z[np.abs(hidden_z) < 1e-3] = 0.5  # keep away from ReLU's corner
        for hidden_name, hidden_func, hidden_ref in [
                ("sigmoid_derivative", sigmoid_derivative, reference_sigmoid_derivative),
                ("tanh_derivative", tanh_derivative, reference_tanh_derivative),
                ("relu_derivative", relu_derivative, reference_relu_derivative)]:
            check_array(f"{hidden_name}(z) for z of shape {hidden_shape}",
                        as_numbers(call(hidden_func, hidden_z.copy())), hidden_ref(hidden_z))
    hidden_z = np.array([[-1000.0, -745.5, -40.0, -1e-6], [1e-6, 40.0, 745.5, 1000.0]])
    with np.errstate(all="ignore"):
        for hidden_name, hidden_func, hidden_ref in [
                ("sigmoid_derivative", sigmoid_derivative, reference_sigmoid_derivative),
                ("tanh_derivative", tanh_derivative, reference_tanh_derivative),
                ("relu_derivative", relu_derivative, reference_relu_derivative)]:
            check_array(f"{hidden_name}(z) for extreme z", as_numbers(call(hidden_func, hidden_z.copy())),
                        hidden_ref(hidden_z), atol=1e-12)
finally:
    globals().update(hidden_saved)
### END HIDDEN TESTS
print("sigmoid_derivative, tanh_derivative, relu_derivative: all tests in this cell passed.")

# %% [markdown]
# Each activation (top) with its derivative (bottom), from your functions. Look
# at the sigmoid: its slope is never more than 0.25, and for $|z| > 5$ it is
# almost 0 — the neuron is **saturated**: it has stopped responding to small
# changes, so training moves it only very slowly. ReLU's slope is 1 for every
# positive $z$; the step's is 0 everywhere.

# %%
zs = np.linspace(-6, 6, 601)
yours = {"sigmoid": "sigmoid", "sigmoid'": "sigmoid_derivative", "tanh'": "tanh_derivative",
         "ReLU": "relu", "ReLU'": "relu_derivative"}   # who writes which curve
rows = [("step", step(zs), np.zeros_like(zs)),
        ("sigmoid", try_call(sigmoid, zs), try_call(sigmoid_derivative, zs)),
        ("tanh", np.tanh(zs), try_call(tanh_derivative, zs)),
        ("ReLU", try_call(relu, zs), try_call(relu_derivative, zs))]
fig, axes = plt.subplots(2, 4, figsize=(12, 4.5), sharex=True)
for col, (name, values, derivative) in enumerate(rows):
    for row, (curve, label) in enumerate([(values, name), (derivative, f"{name}'")]):
        ax = axes[row, col]
        if curve is None:
            not_yet(yours[label], to="see this curve", ax=ax)
        else:
            ax.plot(zs, np.asarray(curve, dtype=float), lw=2, color="C0" if row == 0 else "C3")
        ax.set_title(label)
        ax.set_ylim(-1.2, 3.2 if row == 0 else 1.2)
        ax.axhline(0, color="gray", lw=0.6)
    axes[1, col].set_xlabel("z")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 5. A layer of neurons
#
# A **dense** (fully connected) layer is a row of neurons that all see the same
# inputs. Each neuron has its own weights and its own single bias. With `n_in`
# inputs and `n_out` neurons we store:
#
# * the weights in a matrix `W` of shape `(n_out, n_in)`: **row `j` holds the
#   weights of neuron `j`**, one per input;
# * the biases in a vector `b` of shape `(n_out,)`: one number per neuron, not one
#   per connection.
#
# For one input vector `x`, neuron `j` computes `W[j] @ x + b[j]`, so all neurons
# together compute `W @ x + b`.
#
# Data sets hold many samples. Throughout this course **samples are rows**: `X`
# has shape `(n_samples, n_in)`, one sample per row. Sample `i` is `X[i]`, and
# the output of neuron `j` for it is `X[i] @ W[j] + b[j]`. The loop below
# computes exactly that, entry by entry:

# %%
X_small = np.array([[1.0, 2.0, 3.0],
                    [0.0, -1.0, 0.5]])        # 2 samples, 3 inputs each
W_small = np.array([[0.1, 0.2, 0.3],
                    [-0.5, 0.0, 0.5]])        # 2 neurons, 3 weights each
b_small = np.array([0.0, 1.0])                # one bias per neuron

out_small = np.zeros((2, 2))                  # (n_samples, n_out)
for i in range(2):                            # sample i
    for j in range(2):                        # neuron j
        out_small[i, j] = X_small[i] @ W_small[j] + b_small[j]
print(out_small)

# %% [markdown]
# Loops like this are slow in Python. Matrix products do the same work in one
# go. In `A @ B`, entry `(i, j)` is row `i` of `A` times column `j` of `B`. We want
# row `i` of `X` times row `j` of `W`, so `W` must be turned on its side first:
# the columns of `W.T` are the rows of `W`, and `X[i] @ W[j]` is entry `(i, j)` of
# `X @ W.T`. The shapes confirm it — the inner sizes must agree, and the outer ones
# are what you get:
#
# $$\underbrace{X}_{(n_\text{samples},\ n_\text{in})} \;@\;
#   \underbrace{W^\top}_{(n_\text{in},\ n_\text{out})} \;=\;
#   \underbrace{Z}_{(n_\text{samples},\ n_\text{out})}$$
#
# Adding `b` (shape `(n_out,)`) to an `(n_samples, n_out)` array adds the same
# bias vector to every row — NumPy calls this *broadcasting*.
#
# Some texts put the samples in *columns* instead, `X` of shape
# `(n_in, n_samples)`, and write `W @ X + b[:, None]`. That is the same
# computation, transposed; pick one convention and keep to it. This course's is
# the one NumPy data tables and scikit-learn use: samples are rows.
#
# ### Exercise 4: the forward pass of a dense layer (2 points)
#
# Write `dense_forward(X, W, b)`:
#
# * `X` has shape `(n_samples, n_in)`, `W` has shape `(n_out, n_in)`, `b` has shape
#   `(n_out,)`;
# * return the layer's output, an array of shape `(n_samples, n_out)` whose entry
#   `(i, j)` is `X[i] @ W[j] + b[j]`.
#
# One line is enough. It must work for any number of samples, inputs and neurons.

# %% nbgrader={"grade": false, "grade_id": "dense_forward", "locked": false, "schema_version": 3, "solution": true}
def dense_forward(X, W, b):
    """Output of a dense layer for a batch of samples.

    X: (n_samples, n_in), W: (n_out, n_in), b: (n_out,). Returns (n_samples, n_out).
    """
    ### BEGIN SOLUTION
    return X @ W.T + b
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# Every sample (row of X) needs every neuron's weighted sum: a matrix product, then the bias.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# W is `(n_out, n_in)` and X is `(n_samples, n_in)`: multiply X by the transpose of W to get `(n_samples, n_out)`, and add b, which broadcasts over the rows.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "dense_forward_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import call, check_array

# The small example above: compare with the loop. (`call` runs your function and, if it
# crashes, explains the crash.)
check_array("dense_forward(X_small, W_small, b_small)",
            call(dense_forward, X_small, W_small, b_small), [[1.4, 2.0], [-0.05, 1.25]], bias=b_small)

# Four samples, three inputs, two neurons: now n_in and n_out differ.
X_check = np.arange(12.0).reshape(4, 3)
W_check = np.array([[1.0, 0.0, -1.0],
                    [0.5, 0.5, 0.5]])
b_check = np.array([10.0, -1.0])
check_array("dense_forward(X_check, W_check, b_check)",
            call(dense_forward, X_check, W_check, b_check),
            [[8.0, 0.5], [8.0, 5.0], [8.0, 9.5], [8.0, 14.0]], bias=b_check)

### BEGIN HIDDEN TESTS
from nnlearn.layers import dense_forward as reference_dense_forward

# Several shapes, so that hard-coded sizes or a missing transpose fail.
hidden_rng = np.random.default_rng(20251103)
for hidden_n, hidden_in, hidden_out in [(1, 1, 1), (5, 3, 2), (3, 2, 5), (8, 4, 4), (2, 6, 1)]:
    hidden_X = hidden_rng.normal(size=(hidden_n, hidden_in))
    hidden_W = hidden_rng.normal(size=(hidden_out, hidden_in))
    hidden_b = hidden_rng.normal(size=hidden_out)
    hidden_expected, _ = reference_dense_forward(hidden_X, hidden_W, hidden_b)
    check_array(f"dense_forward(X, W, b) with X {hidden_X.shape}, W {hidden_W.shape}, b {hidden_b.shape}",
                call(dense_forward, hidden_X, hidden_W, hidden_b), hidden_expected, bias=hidden_b)
### END HIDDEN TESTS
print("dense_forward: all tests in this cell passed.")

# %% [markdown]
# A whole layer *with* its activation is then one line: `sigmoid(dense_forward(X, W, b))`.
# Every neuron of the layer sends its value on to every neuron of the next layer —
# also when that value is small, or 0.

# %%
hidden = try_call(lambda: sigmoid(dense_forward(X_small, W_small, b_small)))
if hidden is None:
    not_yet("sigmoid", "dense_forward", to="see the layer's outputs")
else:
    print("outputs of a sigmoid layer, one row per sample:")
    print(np.round(hidden, 3))

# %% [markdown]
# ## 6. The neuron playground
#
# What does one neuron *do* with two inputs $x_1, x_2$? Its weighted sum
# $z = w_1 x_1 + w_2 x_2 + b$ is 0 along a straight line, the **decision
# boundary**: on one side $z > 0$ and the sigmoid's output is above 0.5, on the
# other side $z < 0$ and the output is below 0.5.
#
# * The weights $(w_1, w_2)$ form an arrow that points across the line, towards
#   the side where the output grows. Turning the arrow turns the line.
# * Longer arrows (larger weights) make the change from 0 to 1 sharper; short ones
#   make it gradual.
# * The bias slides the line without turning it. With $b = 0$ the line always
#   passes through the origin.
#
# Move the sliders. The points are two interleaving half moons; try to put the
# red class (label 1) on the red side. The title counts the points on the correct
# side. No setting gets them all: a single neuron can only draw a straight line,
# and the best line here gets about 91 %. Bending the boundary takes a layer of
# several neurons — you will train one in notebook 05.

# %%
from nnlearn.datasets import make_moons

X_moons, y_moons = make_moons(200, noise=0.15, seed=1)
grid_1, grid_2 = np.meshgrid(np.linspace(-1.6, 2.6, 169), np.linspace(-1.2, 1.6, 113))
grid = np.column_stack([grid_1.ravel(), grid_2.ravel()])   # (n_points, 2): one point per row


def draw_neuron(ax, w1=1.0, w2=1.0, b=0.0):
    """One sigmoid neuron on the plane: its output as shading, its boundary as a line."""
    W_neuron, b_neuron = np.array([[w1, w2]]), np.array([b])   # 1 neuron, 2 inputs
    try:
        out = sigmoid(dense_forward(grid, W_neuron, b_neuron))[:, 0].reshape(grid_1.shape)
        correct = np.mean((sigmoid(dense_forward(X_moons, W_neuron, b_neuron))[:, 0] > 0.5) == y_moons)
    except NotImplementedError:
        not_yet("sigmoid", "dense_forward", to="see the neuron's output", ax=ax)
        return
    shading = ax.contourf(grid_1, grid_2, out, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.45)
    ax.figure.colorbar(shading, ax=ax, label="neuron output σ(z)")
    norm2 = w1 ** 2 + w2 ** 2
    if norm2 > 0:
        if abs(w2) > abs(w1):   # the line w1 x1 + w2 x2 + b = 0
            ax.plot(grid_1[0], -(w1 * grid_1[0] + b) / w2, color="black", lw=2, label="boundary: z = 0")
        else:
            ax.plot(-(w2 * grid_2[:, 0] + b) / w1, grid_2[:, 0], color="black", lw=2, label="boundary: z = 0")
        foot = -b / norm2 * np.array([w1, w2])     # the point of the line closest to the origin
        ax.annotate("", xy=foot + 0.5 * np.array([w1, w2]) / np.sqrt(norm2), xytext=foot,
                    arrowprops=dict(arrowstyle="->", lw=2, color="black"))
    ax.scatter(*X_moons[y_moons == 0].T, s=18, color="tab:blue", edgecolors="black", linewidths=0.4, label="label 0")
    ax.scatter(*X_moons[y_moons == 1].T, s=18, color="tab:red", edgecolors="black", linewidths=0.4, label="label 1")
    ax.set_xlim(grid_1.min(), grid_1.max())
    ax.set_ylim(grid_2.min(), grid_2.max())
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="lower left", fontsize="small")
    ax.set_title(f"{correct:.0%} of the points on the correct side")


# %%
# NBVAL_IGNORE_OUTPUT
interactive_plot(draw_neuron, figsize=(7, 4.5),
                 w1=(-6.0, 6.0, 0.1, 1.0), w2=(-6.0, 6.0, 0.1, 1.0), b=(-5.0, 5.0, 0.1, 0.0))

# %% [markdown]
# Things to try: set $w_2 = 0$ (the line stands upright: only $x_1$ matters);
# double both weights (same line, sharper edge); change only $b$ (the line moves
# sideways); flip the sign of both weights and of $b$ (same line, colours swap).
#
# ## 7. Softmax: from scores to probabilities
#
# For a classifier with $K$ classes (cat, dog, bird, ...) the output layer has
# one neuron per class. Their weighted sums $z_1, \dots, z_K$ are **scores**
# (also called *logits*): any real numbers, larger meaning "more likely this
# class". To read them as probabilities they must become positive and add up
# to 1. The **softmax** does both:
#
# $$p_k = \frac{e^{z_k}}{e^{z_1} + e^{z_2} + \dots + e^{z_K}}.$$
#
# The exponential makes every score positive (and keeps their order: a larger
# score gets a larger probability); dividing by the sum makes them add up to 1.
# With a batch of samples, `Z` has shape `(n_samples, n_classes)` and the
# softmax works on **each row separately**: every sample gets its own
# probabilities.
#
# It has the same weak spot as the sigmoid: $e^{1000}$ overflows. The cure is a
# property of the formula — adding the same number $c$ to every score of a row
# changes nothing, because $e^{z_k + c} = e^{z_k} e^{c}$ and the factor $e^{c}$
# cancels between the top and the bottom:

# %%
scores = np.array([2.0, 1.0, -1.0])
for shift in [0.0, 10.0, -2.0]:
    e = np.exp(scores + shift)
    print(f"scores + {shift:5.1f}: probabilities {np.round(e / e.sum(), 4)}")

with np.errstate(over="raise"):
    try:
        e = np.exp(scores + 1000.0)
    except FloatingPointError as err:
        print("scores + 1000: the direct formula failed:", err)

# %% [markdown]
# So subtract each row's **largest** score before exponentiating. Then the
# largest exponent is exactly 0 ($e^0 = 1$, so the sum is at least 1 and never 0),
# and all others are negative: nothing can overflow.
#
# ### Exercise 5: a numerically stable softmax (3 points)
#
# Write `softmax(Z)`:
#
# * `Z` is a 2-D array of shape `(n_samples, n_classes)`, one row of scores per
#   sample; return an array of the same shape, each row the probabilities of that
#   sample;
# * subtract each row's maximum first, so that rows like `[1000, 1000, -1000]`
#   work (answer `[0.5, 0.5, 0]`) without overflow or warnings;
# * `Z.max(axis=1, keepdims=True)` gives each row's maximum as a column of shape
#   `(n_samples, 1)`, which subtracts from every entry of its row; `sum` takes
#   `axis` and `keepdims` the same way.
#
# Only 2-D input is required (and tested). The scores of a single sample go in as a
# one-row matrix, `z.reshape(1, -1)`.

# %% nbgrader={"grade": false, "grade_id": "softmax", "locked": false, "schema_version": 3, "solution": true}
def softmax(Z):
    """Row-wise softmax. Z: (n_samples, n_classes) scores. Returns probabilities, same shape."""
    ### BEGIN SOLUTION
    e = np.exp(Z - Z.max(axis=1, keepdims=True))   # every exponent <= 0
    return e / e.sum(axis=1, keepdims=True)
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# Softmax is exp of each score divided by the sum of the exps of its row, so each row sums to 1.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# Large scores overflow `np.exp`. Subtracting the row's maximum from every score of the row changes nothing in the result but keeps the exponents ≤ 0; use `keepdims=True` so that shapes broadcast row by row.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "softmax_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_array, check_shape

# Scores log(1), log(2), log(3) become 1/6, 2/6, 3/6; equal scores share equally.
Z_check = np.array([[0.0, np.log(2.0), np.log(3.0)],
                    [5.0, 5.0, 5.0]])                     # 2 samples, 3 classes
P_check = call(softmax, Z_check.copy())
check_shape("softmax(Z_check)", P_check, (2, 3))
check_array("softmax(Z_check).sum(axis=1), the total of each row", np.asarray(P_check).sum(axis=1), [1.0, 1.0],
            hint="Hint: every row (one sample) must add up to 1 on its own — divide each row by its own "
                 "sum, e.sum(axis=1, keepdims=True), not by the sum of the whole array or of a column.")
check_array("softmax(Z_check)", P_check, [[1 / 6, 2 / 6, 3 / 6], [1 / 3, 1 / 3, 1 / 3]])

# Four samples, two classes: a score difference of log(3) means odds of 3 to 1.
Z_check = np.array([[0.0, 0.0], [np.log(3.0), 0.0], [0.0, np.log(3.0)], [10.0 + np.log(3.0), 10.0]])
check_array("softmax(Z_check) for 4 samples and 2 classes", call(softmax, Z_check.copy()),
            [[0.5, 0.5], [0.75, 0.25], [0.25, 0.75], [0.75, 0.25]])

# Extreme scores: a floating-point problem becomes an error here, so that you see it.
Z_extreme = np.array([[-1000.0, 0.0, 1000.0],
                      [1000.0, 1000.0, -1000.0]])
try:
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        P_extreme = softmax(Z_extreme.copy())
except FloatingPointError as err:
    raise CheckFailed(f"softmax(Z_extreme) failed with '{err}': exp(1000) overflows. Subtract each "
                      "row's maximum from that row before exponentiating (it cancels out).") from None
check_array("softmax(Z_extreme)", P_extreme, [[0.0, 0.0, 1.0], [0.5, 0.5, 0.0]])

### BEGIN HIDDEN TESTS
from nnlearn.activations import softmax as reference_softmax

hidden_rng = np.random.default_rng(20251106)
for hidden_shape in [(1, 1), (1, 5), (6, 2), (3, 10), (2, 4)]:
    hidden_Z = hidden_rng.normal(scale=5.0, size=hidden_shape)
    hidden_P = call(softmax, hidden_Z.copy())
    check_array(f"softmax(Z) for Z of shape {hidden_shape}", hidden_P, reference_softmax(hidden_Z))
    check_array(f"softmax(Z + 7) for Z of shape {hidden_shape} (a shift changes nothing)",
                call(softmax, hidden_Z + 7.0), reference_softmax(hidden_Z))
hidden_Z32 = hidden_rng.normal(scale=3.0, size=(4, 3)).astype(np.float32)
check_array("softmax(Z) for float32 Z", call(softmax, hidden_Z32.copy()), reference_softmax(hidden_Z32))

# Rows on very different scales: each row needs its own maximum.
hidden_Z = np.array([[1000.0, 999.0, 998.0],
                     [-2.0, 1.0, 0.0],
                     [-1000.0, -1000.0, -999.0],
                     [0.0, 745.5, -745.5]])
try:
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        hidden_P = softmax(hidden_Z.copy())
except FloatingPointError as err:
    raise CheckFailed(f"softmax(Z) failed with '{err}' for rows on very different scales "
                      "(is the maximum taken per row?).") from None
check_array("softmax(Z) for rows on very different scales", hidden_P, reference_softmax(hidden_Z))
### END HIDDEN TESTS
print("softmax: all tests in this cell passed.")

# %% [markdown]
# Move the scores and watch the probabilities (your `softmax`). Raising one score
# by 1 multiplies its share by $e \approx 2.7$ relative to the others; adding the
# same amount to all three changes nothing.

# %%
def draw_softmax(ax, cat=2.0, dog=1.0, bird=-1.0):
    """Bar chart of softmax([[cat, dog, bird]])."""
    P = try_call(softmax, np.array([[cat, dog, bird]]))
    if P is None:
        not_yet("softmax", to="see the probabilities", ax=ax)
        return
    probabilities = np.asarray(P, dtype=float)[0]
    bars = ax.bar(["cat", "dog", "bird"], probabilities, color=["tab:orange", "tab:brown", "tab:cyan"])
    ax.bar_label(bars, labels=[f"{p:.1%}" for p in probabilities])
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("probability")
    ax.set_title(f"scores ({cat:.1f}, {dog:.1f}, {bird:.1f}) → probabilities; total {probabilities.sum():.3f}")


# %%
# NBVAL_IGNORE_OUTPUT
interactive_plot(draw_softmax, figsize=(6, 3.2),
                 cat=(-5.0, 5.0, 0.1, 2.0), dog=(-5.0, 5.0, 0.1, 1.0), bird=(-5.0, 5.0, 0.1, -1.0))

# %% [markdown]
# With two classes, softmax and sigmoid say the same thing: the probability of
# the second class is $\sigma(z_2 - z_1)$. A sigmoid output neuron is a two-class
# softmax that only reports the *difference* of the two scores.

# %%
Z_two = np.array([[0.0, 2.0], [1.5, -0.5], [3.0, 3.0]])
p_softmax = try_call(softmax, Z_two)
p_sigmoid = try_call(sigmoid, Z_two[:, 1] - Z_two[:, 0])
if p_softmax is None or p_sigmoid is None:
    not_yet("sigmoid", "softmax", to="compare them")
else:
    print("softmax(Z)[:, 1]      :", np.round(p_softmax[:, 1], 4))
    print("sigmoid(z_2 - z_1)    :", np.round(p_sigmoid, 4))

# %% [markdown]
# ## 8. Why the activation matters: stacked linear layers collapse
#
# Why not leave the activation out and stack plain dense layers? Because the
# result would be no better than **one** dense layer. Feed the output of layer 1
# into layer 2 (one sample, $\mathbf{x}$ a column):
#
# $$W_2 (W_1 \mathbf{x} + \mathbf{b}_1) + \mathbf{b}_2
#   = \underbrace{(W_2 W_1)}_{W} \mathbf{x} + \underbrace{(W_2 \mathbf{b}_1 + \mathbf{b}_2)}_{\mathbf{b}}.$$
#
# Multiplying out the brackets gives a single weight matrix $W = W_2 W_1$ and a
# single bias $\mathbf{b} = W_2\mathbf{b}_1 + \mathbf{b}_2$. However many linear
# layers you stack, and however wide they are, they compute what one layer can:
# a flat plane (a straight line, in the playground). The activation between the
# layers is what lets a network bend.
#
# ### Exercise 6: collapse two linear layers into one (2 points)
#
# Write `collapse_linear(W1, b1, W2, b2)`:
#
# * layer 1 has `W1` of shape `(n_hidden, n_in)` and `b1` of shape `(n_hidden,)`;
#   layer 2 has `W2` of shape `(n_out, n_hidden)` and `b2` of shape `(n_out,)`;
# * return a tuple `(W, b)` with `W` of shape `(n_out, n_in)` and `b` of shape
#   `(n_out,)` such that `dense_forward(X, W, b)` equals
#   `dense_forward(dense_forward(X, W1, b1), W2, b2)` for every `X`.

# %% nbgrader={"grade": false, "grade_id": "collapse_linear", "locked": false, "schema_version": 3, "solution": true}
def collapse_linear(W1, b1, W2, b2):
    """The single dense layer (W, b) equal to layer (W1, b1) followed by layer (W2, b2)."""
    ### BEGIN SOLUTION
    return W2 @ W1, W2 @ b1 + b2
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# Write the two layers as formulas: h = W1 x + b1, then y = W2 h + b2. Substitute the first into the second.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# Expanding gives y = (W2 W1) x + (W2 b1 + b2): one weight matrix and one bias. Check the shapes: W2 @ W1 is `(n_out, n_in)`.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "collapse_linear_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_array, check_type

W1_check = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])   # layer 1: 2 inputs -> 3 neurons
b1_check = np.array([1.0, 0.0, -2.0])
W2_check = np.array([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.0]])     # layer 2: 3 inputs -> 2 neurons
b2_check = np.array([0.5, -0.5])

result = call(collapse_linear, W1_check, b1_check, W2_check, b2_check)
check_type("collapse_linear(W1_check, b1_check, W2_check, b2_check)", result, (tuple, list))
if len(result) != 2:
    raise CheckFailed(f"collapse_linear(...) should return two things, (W, b); it returned {len(result)}.")
W_got, b_got = result
check_array("W, the first value collapse_linear returns", W_got, [[7.0, 4.0], [-1.0, -3.0]],
            hint="Hint: the order matters — x passes through layer 1 first, so W1 is the factor next "
                 "to x: W = W2 @ W1.")
check_array("b, the second value collapse_linear returns", b_got, [-2.5, -1.5],
            hint="Hint: the bias b1 also passes through layer 2, so it is multiplied by W2 before b2 is "
                 "added.")

### BEGIN HIDDEN TESTS
hidden_rng = np.random.default_rng(20251107)
for hidden_in, hidden_mid, hidden_out in [(1, 1, 1), (4, 3, 2), (2, 5, 3), (3, 3, 3), (5, 2, 1)]:
    hidden_W1 = hidden_rng.normal(size=(hidden_mid, hidden_in))
    hidden_b1 = hidden_rng.normal(size=hidden_mid)
    hidden_W2 = hidden_rng.normal(size=(hidden_out, hidden_mid))
    hidden_b2 = hidden_rng.normal(size=hidden_out)
    hidden_result = call(collapse_linear, hidden_W1, hidden_b1, hidden_W2, hidden_b2)
    check_type("collapse_linear(W1, b1, W2, b2)", hidden_result, (tuple, list))
    if len(hidden_result) != 2:
        raise CheckFailed("collapse_linear(...) should return two things, (W, b).")
    hidden_W, hidden_b = hidden_result
    sizes = f"n_in={hidden_in}, n_hidden={hidden_mid}, n_out={hidden_out}"
    check_array(f"W for {sizes}", hidden_W, hidden_W2 @ hidden_W1)
    check_array(f"b for {sizes}", hidden_b, hidden_W2 @ hidden_b1 + hidden_b2)
    hidden_X = hidden_rng.normal(size=(6, hidden_in))
    check_array(f"one collapsed layer versus two stacked layers for {sizes}",
                np.asarray(hidden_X @ np.asarray(hidden_W).T + hidden_b),
                (hidden_X @ hidden_W1.T + hidden_b1) @ hidden_W2.T + hidden_b2)
### END HIDDEN TESTS
print("collapse_linear: all tests in this cell passed.")

# %% [markdown]
# See it: a network with one input, two hidden layers of 8 neurons and one output,
# with random weights. Without activations (left) every choice of weights gives a
# straight line, exactly the one your `collapse_linear` predicts (dashed). With a
# ReLU after each hidden layer (middle) the same weights give a bent line, with
# tanh (right) a curve.

# %%
rng_demo = np.random.default_rng(3)
sizes_demo = [1, 8, 8, 1]
layers_demo = [(rng_demo.normal(size=(n_out, n_in)), rng_demo.normal(size=n_out))
               for n_in, n_out in zip(sizes_demo, sizes_demo[1:])]
x_line = np.linspace(-3, 3, 301).reshape(-1, 1)          # 301 samples, 1 input each


def run_stack(X, activation):
    """Pass X through layers_demo, with `activation` between the layers (None: no activation)."""
    out = X
    for k, (W_k, b_k) in enumerate(layers_demo):
        out = dense_forward(out, W_k, b_k)
        if activation is not None and k < len(layers_demo) - 1:
            out = activation(out)
    return out


outputs = {"no activation": try_call(run_stack, x_line, None),
           "ReLU between layers": try_call(run_stack, x_line, relu),
           "tanh between layers": try_call(run_stack, x_line, np.tanh)}
collapsed = try_call(lambda: collapse_linear(*layers_demo[0], *layers_demo[1]))
if collapsed is not None:
    collapsed = try_call(collapse_linear, *collapsed, *layers_demo[2])
fig, axes = plt.subplots(1, 3, figsize=(12, 3))
for ax, (title, y_out) in zip(axes, outputs.items()):
    if y_out is None:
        not_yet(*(["dense_forward", "relu"] if "ReLU" in title else ["dense_forward"]), to="see this curve", ax=ax)
    else:
        ax.plot(x_line[:, 0], y_out[:, 0], lw=2)
    ax.set_title(title)
    ax.set_xlabel("input x")
if collapsed is not None and outputs["no activation"] is not None:
    W_one, b_one = collapsed
    axes[0].plot(x_line[:, 0], (x_line @ np.asarray(W_one).T + b_one)[:, 0], "k--", lw=1.5,
                 label="one layer (W, b)\nfrom collapse_linear")
    axes[0].legend(fontsize="small")
axes[0].set_ylabel("network output")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 9. Where to start: initialisation and symmetry
#
# Before training, every weight needs a starting value. The obvious choice, all
# zeros, fails — and so does any choice that gives all neurons of a layer the
# same weights. Such neurons compute the same output for every input; training
# then hands each of them exactly the same correction, so after every step they
# are still identical. A layer of 8 identical neurons is no better than a layer
# of one. Starting from **random** weights breaks this symmetry: each neuron
# starts out different and is pulled in its own direction.
#
# The biases do not need it: once the weights differ, the neurons differ, so biases
# usually start at 0.
#
# How large should the random weights be? A neuron adds up $n_\text{in}$ products
# $w_i x_i$. If the inputs are of size about 1 and the weights have standard
# deviation $s$, the sum $z$ has standard deviation about $s\sqrt{n_\text{in}}$:
# many terms partly cancel, but the spread still grows with the number of inputs.
# With $s = 1$ and 400 inputs, $z$ is typically around $\pm 20$, where the sigmoid
# is flat and its slope almost 0 — training would hardly move. With
# $s = 1/\sqrt{n_\text{in}}$, $z$ stays of size about 1.
#
# Too small is no better. With $s = 0.001$ every $z$ is close to 0, so every
# neuron outputs about $\sigma(0) = 0.5$ whatever the input: the differences
# between inputs, which are all the next layer has to work with, shrink to almost
# nothing. Near 0 the sigmoid is also almost a straight line,
# $\sigma(z) \approx 0.5 + z/4$, so such a layer is nearly linear (section 8 showed
# what stacked linear layers are worth). And in a deep stack the differences
# shrink again at every layer, and so do the corrections that training computes
# for the early layers (notebook 05). The last column below is the spread of
# each neuron's output over the 1000 inputs:

# %%
rng_scale = np.random.default_rng(0)
n_inputs = 400
X_scale = rng_scale.normal(size=(1000, n_inputs))                 # 1000 samples, inputs of size ~1
for s in [1.0, 1.0 / np.sqrt(n_inputs), 0.001]:
    W_scale = s * rng_scale.normal(size=(50, n_inputs))           # 50 neurons
    Z_scale = X_scale @ W_scale.T
    flat = np.mean(np.abs(Z_scale) > 5)                           # sigmoid slope < 0.007 there
    spread = (1 / (1 + np.exp(-Z_scale))).std(axis=0).mean()     # std of each neuron's output, averaged
    print(f"weights with std {s:.3f}: z has std {Z_scale.std():5.2f}; "
          f"{flat:4.0%} of the z in the flat part of the sigmoid; outputs spread {spread:.3f}")

# %% [markdown]
# This recipe, a standard deviation of $1/\sqrt{n_\text{in}}$ (variance
# $1/n_\text{in}$), is **LeCun's** (Yann LeCun and colleagues, *Efficient
# BackProp*, 1998), and it is the one this course uses. Two relatives are just as
# common, and section 10 puts all of them to work in a deep network:
#
# * **Xavier/Glorot** (2010): variance $2/(n_\text{in} + n_\text{out})$, a
#   compromise between keeping the signal's size on the way forward (which needs
#   $1/n_\text{in}$) and the gradient's size on the way back (which needs
#   $1/n_\text{out}$). For a layer with as many outputs as inputs it *is* LeCun's.
# * **He** (Kaiming He and colleagues, 2015): variance $2/n_\text{in}$, standard
#   deviation $\sqrt{2/n_\text{in}}$, for ReLU layers: ReLU sets about half of its
#   inputs to 0, and the factor 2 makes up for the half that is lost.
#
# ### Exercise 7: random initial weights (2 points)
#
# Write `init_weights(n_in, n_out, seed=None)`:
#
# * return a weight matrix of shape `(n_out, n_in)`: one row per neuron, as in
#   `dense_forward`;
# * fill it with random numbers from a normal distribution with mean 0 and
#   standard deviation $1/\sqrt{n_\text{in}}$, LeCun's scale. The tests draw large
#   matrices and measure them: the mean must be near 0 and the standard deviation
#   within 10 % of $1/\sqrt{n_\text{in}}$. Anything much smaller or larger fails —
#   and so do Xavier's and He's scales: they are good recipes, but not the one this
#   exercise asks for (for the layer sizes the tests use they differ from
#   $1/\sqrt{n_\text{in}}$ by 30 % or more);
# * the `seed` decides the numbers: make a generator with
#   `rng = np.random.default_rng(seed)` and draw from it (`rng.normal(...)` or
#   `rng.standard_normal(...)`). The same seed must give the same matrix, different
#   seeds different matrices.

# %% nbgrader={"grade": false, "grade_id": "init_weights", "locked": false, "schema_version": 3, "solution": true}
def init_weights(n_in, n_out, seed=None):
    """Random weights of shape (n_out, n_in): mean 0, standard deviation 1 / sqrt(n_in)."""
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 2 (a nudge)</b></summary>
#
# The shape is `(n_out, n_in)`: one row of weights per neuron. Draw from a normal distribution with mean 0.
#
# <details><summary><b>Hint 2 of 2</b></summary>
#
# Use a generator made from the seed, `np.random.default_rng(seed)`, and its `normal(mean, standard deviation, size=...)`. The standard deviation the text derives is 1 / sqrt(n_in), not its square and not 1.
#
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "init_weights_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_shape


def check_random_weights(n_in, n_out, seed):
    """Shape, determinism and symmetry of init_weights(n_in, n_out, seed); returns the matrix."""
    name = f"init_weights({n_in}, {n_out}, seed={seed})"
    W_first = call(init_weights, n_in, n_out, seed=seed)
    check_shape(name, W_first, (n_out, n_in))
    W_first = np.asarray(W_first)
    if W_first.dtype.kind != "f":
        raise CheckFailed(f"{name} should hold floating-point numbers, got dtype {W_first.dtype}.")
    if not np.array_equal(np.asarray(call(init_weights, n_in, n_out, seed=seed)), W_first):
        raise CheckFailed(f"Two calls of {name} gave different matrices: the seed must decide the numbers. "
                          "Make the generator with np.random.default_rng(seed) and draw from it.")
    if W_first.size > 1 and np.all(W_first == W_first.flat[0]):
        raise CheckFailed(f"{name}: every weight is {W_first.flat[0]}. With equal weights all neurons "
                          "compute the same thing and stay identical (symmetry): draw random numbers.")
    if n_out > 1 and len(np.unique(W_first, axis=0)) < n_out:
        raise CheckFailed(f"{name}: some neurons (rows) got identical weights; every row must be "
                          "drawn at random.")
    return W_first


def check_scale(n_in, n_out, seed):
    """The mean and standard deviation of a large init_weights matrix, against 1/sqrt(n_in)."""
    name = f"init_weights({n_in}, {n_out}, seed={seed})"
    W = check_random_weights(n_in, n_out, seed)
    std, taught = W.std(), 1 / np.sqrt(n_in)
    times = lambda ratio: f"{ratio:,.0f}" if ratio >= 100 else f"{ratio:.3g}"
    if abs(W.mean()) > 0.1 * std:
        raise CheckFailed(f"{name} has mean {W.mean():.4g} but standard deviation {std:.4g}: the weights should "
                          "be centred at 0 (positive and negative, like rng.normal(0, ...)).")
    # At least 6,000 weights: their standard deviation is measured to within about 1 %, so
    # 10 % separates the right scale from the others with room to spare.
    if abs(std / taught - 1) <= 0.1:
        return
    if std < taught:
        message = (f"{name} has standard deviation {std:.3g}: too small, {times(taught / std)} times smaller than "
                   f"1/sqrt(n_in) = {taught:.3g}.")
        if std * np.sqrt(n_in) < 0.3:
            message += (f" With {n_in} inputs the weighted sums spread only about {std * np.sqrt(n_in):.2g}: every "
                        "neuron outputs about 0.5 whatever the input, so the layer passes on almost nothing of "
                        "how inputs differ.")
    else:
        message = (f"{name} has standard deviation {std:.3g}: too large, {times(std / taught)} times larger than "
                   f"1/sqrt(n_in) = {taught:.3g}.")
        if std * np.sqrt(n_in) > 3:
            message += (f" With {n_in} inputs the weighted sums spread about {std * np.sqrt(n_in):.3g}, deep in "
                        "the flat part of the sigmoid.")
    # Which other scale it is, if it is one of the usual ones (the closest within 5 %).
    known = [
        (1 / n_in, " That is 1/n_in: the standard deviation is the square root of 1/n_in (rng.normal's scale is "
                   "the standard deviation, not the variance)."),
        (1 / np.sqrt(n_out), " That is 1/sqrt(n_out): scale by the number of inputs, n_in, not of neurons."),
        (1.0, " That is the unscaled normal distribution: multiply by 1/sqrt(n_in)."),
        (np.sqrt(2 / n_in), " That is He's sqrt(2/n_in), the recipe for ReLU layers; this exercise asks for "
                            "LeCun's 1/sqrt(n_in)."),
        (np.sqrt(2 / (n_in + n_out)), " That is Xavier's sqrt(2/(n_in + n_out)); this exercise asks for LeCun's "
                                      "1/sqrt(n_in), which depends on the number of inputs only."),
        (taught / np.sqrt(3), " That is what a uniform distribution on (-1/sqrt(n_in), 1/sqrt(n_in)) gives: a "
                              "uniform distribution on (-a, a) has standard deviation a/sqrt(3), not a. Use "
                              "rng.normal(0, 1/sqrt(n_in), ...)."),
    ]
    scale, diagnosis = min(known, key=lambda item: abs(std / item[0] - 1))
    if abs(std / scale - 1) <= 0.05:
        message += diagnosis
    raise CheckFailed(message + f" Expected: a standard deviation within 10 % of 1/sqrt(n_in) = {taught:.3g}.")


W_a = check_random_weights(3, 5, seed=0)
W_b = check_random_weights(3, 5, seed=1)
if np.array_equal(W_a, W_b):
    raise CheckFailed("init_weights(3, 5, seed=0) and init_weights(3, 5, seed=1) are equal: different seeds "
                      "must give different weights. Pass seed to np.random.default_rng(seed).")

# A large layer: the statistics of 20,000 weights are reliable (their standard deviation is
# measured to within about 1 %).
check_scale(400, 50, seed=2)

### BEGIN HIDDEN TESTS
for hidden_in, hidden_out in [(1, 1), (1, 7), (6, 1), (10, 3), (2, 8)]:
    check_random_weights(hidden_in, hidden_out, seed=123)
for hidden_in, hidden_out, hidden_seed in [(1000, 20, 5), (50, 400, 6), (3, 2000, 7), (20, 1000, 8)]:
    check_scale(hidden_in, hidden_out, seed=hidden_seed)
    hidden_W = np.asarray(call(init_weights, hidden_in, hidden_out, seed=hidden_seed))
    if np.array_equal(hidden_W, np.asarray(call(init_weights, hidden_in, hidden_out, seed=hidden_seed + 100))):
        raise CheckFailed(f"init_weights({hidden_in}, {hidden_out}) gives the same matrix for different seeds.")
### END HIDDEN TESTS
print("init_weights: all tests in this cell passed.")

# %% [markdown]
# Now the experiment. Two networks with 2 inputs, a hidden layer of 8 sigmoid
# neurons and 2 outputs are trained on the half moons in exactly the same way,
# with the course library's `nnlearn.network`. Its training loop repeats one step
# 300 times: run all 200 points forward through the network, measure how wrong
# the outputs are (the cross-entropy loss of notebook 03), work out for every
# weight and bias which way and how strongly it moves the loss (its gradient, by
# backpropagation, notebook 05), and move every one of them a little in the
# direction that lowers the loss (the Adam rule of notebook 04). The only difference between the two networks is the
# start: all weights 0, or your random weights.

# %% tags=["grading-skip"]
from nnlearn.network import mlp
from nnlearn.optimizers import Adam
from nnlearn.plotting import plot_decision_boundary


def train_from(first_W, second_W):
    """Train a 2-8-2 sigmoid network on the moons, starting from the given weight matrices."""
    net = mlp([2, 8, 2], activation="sigmoid", seed=0)
    dense_layers = [layer for layer in net.layers if "W" in layer.params]
    for layer, W_start in zip(dense_layers, [first_W, second_W]):
        layer.params["W"][...] = W_start                # biases start at 0
    net.fit(X_moons, y_moons, epochs=300, batch_size=None, optimizer=Adam(0.05), seed=0)
    return net, dense_layers[0].params["W"]


zero_net, zero_W1 = train_from(np.zeros((8, 2)), np.zeros((2, 8)))
random_start = try_call(lambda: (init_weights(2, 8, seed=1), init_weights(8, 2, seed=2)))

print("Started from zeros. Hidden weights after 300 training steps (one row per neuron):")
print(np.round(zero_W1, 3))
print("all 8 neurons identical:", bool(np.all(zero_W1 == zero_W1[0])))
if random_start is None:
    print()
    not_yet("init_weights", to="train the second network")
else:
    random_net, random_W1 = train_from(*random_start)
    print("\nStarted from init_weights. Hidden weights after 300 training steps:")
    print(np.round(random_W1, 3))

# %% [markdown]
# Started at zero, the 8 hidden neurons moved — but all together, so they remain
# one neuron copied 8 times, and the network draws a straight boundary (left).
# Started at random, they learned 8 different features and the boundary bends
# around the moons (right).

# %% tags=["grading-skip"]
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
accuracy = zero_net.evaluate(X_moons, y_moons)[1]
plot_decision_boundary(zero_net.predict_proba, X_moons, y_moons, ax=axes[0], resolution=120,
                       title=f"zero start: accuracy {accuracy:.1%}")
if random_start is None:
    not_yet("init_weights", to="see the randomly started network", ax=axes[1])
else:
    accuracy = random_net.evaluate(X_moons, y_moons)[1]
    plot_decision_boundary(random_net.predict_proba, X_moons, y_moons, ax=axes[1], resolution=120,
                           title=f"random start: accuracy {accuracy:.1%}")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 10. Deep stacks: vanishing and exploding signals
#
# A badly scaled layer is a nuisance; ten of them in a row are a disaster, because
# every layer multiplies the damage of the one before. Here is the experiment.
# 50 random inputs with 100 features each pass through a stack of **10 dense
# layers of 100 neurons** (biases 0), with the same activation after every layer.
# The weights of all layers are drawn with one of four standard deviations:
#
# | standard deviation | with $n_\text{in} = 100$ | what it is |
# |---|---|---|
# | 0.01 | $0.1/\sqrt{n_\text{in}}$ | too small (a fixed 0.01 was once a popular default) |
# | $1/\sqrt{n_\text{in}}$ | 0.1 | LeCun's, the one this course uses (Xavier's too, as $n_\text{in} = n_\text{out}$) |
# | $\sqrt{2/n_\text{in}}$ | 0.14 | He's, for ReLU |
# | 1 | $10/\sqrt{n_\text{in}}$ | too large: `rng.normal` without any scaling |
#
# Training also needs the way **back**. To improve a weight, it needs the
# gradient of the loss with respect to that weight, and it gets it by passing a
# gradient from the output back through the stack, layer by layer (this is
# *backpropagation*, notebook 05 derives it). At every layer, on the way back, the
# gradient is multiplied by the activation's slope $f'(z)$ at every neuron and
# then by the layer's weight matrix: with samples as rows, `dZ = dA * f'(Z)` and
# `dA_before = dZ @ W`. So whatever shrinks or grows the signal on its way forward
# shrinks or grows the gradient on its way back, and the slopes add a factor of
# their own. Below, a random gradient starts at the top (it stands in for what a
# loss would send back), and we measure the size of the gradient $\partial L /
# \partial z$ that reaches each layer. The gradient of a layer's weights is built
# from it (notebook 05): where it is tiny, that layer hardly learns.

# %% tags=["grading-skip"]
n_layers, width, n_samples = 10, 100, 50
deep_activations = {   # name: (f, its slope f' computed from a = f(z) and z)
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda a, z: a * (1 - a)),
    "tanh": (np.tanh, lambda a, z: 1 - a ** 2),
    "ReLU": (lambda z: np.maximum(z, 0.0), lambda a, z: (z > 0).astype(float)),
}
deep_scales = {"0.01 (too small)": 0.01, "1/√n_in = 0.1": 1 / np.sqrt(width),
               "√(2/n_in) ≈ 0.14": np.sqrt(2 / width), "1 (too large)": 1.0}


def run_deep_stack(f, f_slope, std, seed=0):
    """Forward and backward through n_layers dense layers (width x width) with weights of this std.

    Returns the outputs of every layer, each (n_samples, width), and the size of the
    gradient dL/dZ that reaches every layer, from the first layer to the last.
    """
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n_samples, width))                   # samples are rows
    Ws = [std * rng.normal(size=(width, width)) for _ in range(n_layers)]   # (n_out, n_in)
    outputs, sums = [], []
    for W in Ws:                                              # forward, biases 0
        sums.append(A @ W.T)
        A = f(sums[-1])
        outputs.append(A)
    dA = rng.normal(size=(n_samples, width))                  # the gradient arriving at the top
    gradient_sizes = np.zeros(n_layers)
    for k in reversed(range(n_layers)):                       # backward, last layer first
        dZ = dA * f_slope(outputs[k], sums[k])                # through the activation's slope
        gradient_sizes[k] = np.sqrt(np.mean(dZ ** 2))         # root mean square of dL/dZ
        dA = dZ @ Ws[k]                                       # through the weights
    return outputs, gradient_sizes


with np.errstate(over="ignore"):                              # sigmoid's exp(-z) for z << 0: inf, result 0
    deep_runs = {(act, scale): run_deep_stack(f, f_slope, std)
                 for act, (f, f_slope) in deep_activations.items()
                 for scale, std in deep_scales.items()}

# %% [markdown]
# First the way forward. Each small panel shows, for one activation (row) and one
# scale (column), the histogram of the outputs of each layer, turned on its side:
# layer 1 on the left, layer 10 on the right, the width of the shape is how many
# outputs have that value. ReLU's outputs range over 20 powers of ten here, so its
# row uses a logarithmic scale (and leaves out the outputs that are exactly 0,
# about half of them).

# %% tags=["grading-skip"]
fig, axes = plt.subplots(3, 4, figsize=(12, 6.6), sharex=True)
layer_numbers = np.arange(1, n_layers + 1)
for row, act in enumerate(deep_activations):
    if act == "ReLU":
        edges = np.logspace(-13, 10, 47)
    else:
        edges = np.linspace(0 if act == "sigmoid" else -1, 1, 41)
    centres = (edges[:-1] + edges[1:]) / 2
    for col, scale in enumerate(deep_scales):
        ax = axes[row, col]
        for k, out in enumerate(deep_runs[act, scale][0]):
            counts, _ = np.histogram(out, bins=edges)
            half = 0.45 * counts / counts.max()
            ax.fill_betweenx(centres, k + 1 - half, k + 1 + half, color=f"C{row}", lw=0)
        if act == "ReLU":
            ax.set_yscale("log")
        ax.set_ylim(edges[0], edges[-1])
        ax.set_xticks(layer_numbers)
        if row == 0:
            ax.set_title(f"weights' std {scale}", fontsize=10)
        if row == 2:
            ax.set_xlabel("layer")
    axes[row, 0].set_ylabel(f"{act} outputs" + ("\n(log scale, zeros left out)" if act == "ReLU" else ""))
fig.subplots_adjust(left=0.08, right=0.99, bottom=0.07, top=0.95, wspace=0.22, hspace=0.12)
plt.show()

# %% [markdown]
# Then the way back: the size of the gradient that reaches each layer, on a
# logarithmic scale (every line starts from the same random gradient arriving at
# the top), and a table of the numbers at both ends of the stack:

# %% tags=["grading-skip"]
fig, axes = plt.subplots(1, 3, figsize=(12, 3.2))
for ax, act in zip(axes, deep_activations):
    for scale in deep_scales:
        ax.semilogy(layer_numbers, deep_runs[act, scale][1], "o-", ms=3, label=scale)
    ax.set_title(act)
    ax.set_xlabel("layer")
    ax.set_xticks(layer_numbers)
axes[0].set_ylabel("size of the gradient\nreaching the layer")
axes[0].legend(title="weights' std", fontsize="small")
fig.tight_layout()
plt.show()

print("                            spread of layer 10's outputs   gradient at layer 1 / at layer 10")
for (act, scale), (outputs, gradient_sizes) in deep_runs.items():
    print(f"{act:8} std {scale:18} {outputs[-1].std():12.0e} {gradient_sizes[0] / gradient_sizes[-1]:30.0e}")

# %% [markdown]
# What the pictures say, scale by scale:
#
# * **Too small (0.01).** Near 0, tanh and ReLU are straight lines, so each layer
#   only multiplies the spread by about $0.01 \cdot \sqrt{100} = 0.1$ (ReLU: $0.1 /
#   \sqrt 2$, it zeroes half). After 10 layers their outputs are $10^{-10}$ or
#   smaller, and the sigmoid's all about 0.5: every input gives the same output. On
#   the way back the gradient shrinks by the same factor per layer: it **vanishes**,
#   and the first layers do not learn.
# * **Too large (1).** Each layer multiplies by about 10. tanh and the sigmoid
#   **saturate**: their outputs pile up at $\pm 1$ (or 0 and 1), the flat ends of the
#   curve, close to the step of section 2. ReLU does not saturate, so its outputs
#   **explode**, about 7 times larger per layer, to $10^8$; so does the gradient
#   on the way back, in tanh's stack too.
# * **$1/\sqrt{n_\text{in}}$.** The weighted sum of 100 inputs keeps the spread of
#   its inputs (section 9), and tanh, whose slope is about 1 near 0, keeps the
#   signal and the gradient at roughly the same size: both change by a factor of
#   about 3 over the 10 layers. ReLU passes on only its positive half, so its
#   signal loses a factor of about $\sqrt 2$ per layer: after 10 layers the spread
#   of its outputs is 50 times smaller than the inputs', after 50 layers it would
#   be more than $10^7$ times smaller.
# * **$\sqrt{2/n_\text{in}}$ (He).** The factor $\sqrt 2$ makes up for ReLU's lost
#   half: the ReLU stack keeps roughly its size all the way, forward and back. For
#   tanh the same factor makes the signal a little larger, still fine here.
#
# The rule behind all of it: a layer keeps the signal's size when its weights'
# standard deviation is about $1/\sqrt{n_\text{in}}$ times a gain that makes up for
# what the activation removes (1 for tanh, $\sqrt 2$ for ReLU). A constant like 0.01
# or 1 is right for one layer width at most: it is the $\sqrt{n_\text{in}}$ that
# makes the recipe work for every width.
#
# **Why sigmoid stacks stall.** No scale rescues the sigmoid. Its slope is at most
# $1/4$ (section 4), so even when the weights keep the size of the signal, the
# gradient is divided by about 4 at every layer on the way back (about 3 with He's
# scale): over the 10 layers by $10^4$ to $10^6$. With $1/\sqrt{n_\text{in}}$ the
# gradient reaching layer 1 is about 500,000 times smaller than at layer 10, so
# the first layers hardly move while the last ones learn. Larger weights would
# make up for the factor, but then the neurons saturate, as the right-hand column
# shows. The same factor 1/4 works
# on the way forward: in the sigmoid's middle columns the histograms break up into
# spikes, one per neuron, because each neuron's output barely changes from input to
# input any more. The neurons still differ from each other (the spread of all the
# outputs stays near 0.1), but the differences *between inputs*, which are what the
# next layer needs, shrink by 3 to 4 times per layer. The sigmoid's outputs also
# all lie between 0 and 1, around 0.5, never centred at 0, which makes the next
# layer's job harder. This is why deep networks use ReLU (or its relatives) in their
# hidden layers and keep the sigmoid for an output that is a probability.
#
# Deeper networks than these use further tools to keep the signals in shape
# (normalisation layers and shortcut connections); the starting scale of the
# weights is the first, and the one you have written.

# %% [markdown]
# ## 11. Common misconceptions
#
# Texts about neural networks, including the articles this course draws on, repeat
# a few claims that are wrong or misleading. Each one below comes with a cell that
# shows what is actually true.
#
# **"A neuron always holds a value between 0 and 1."** Only if its activation
# function squashes into that range. The weighted sum itself can be any number,
# and other common activations have other ranges: tanh gives values between
# $-1$ and $1$, ReLU ($\max(0, z)$) any number from 0 upwards.

# %%
z_demo = np.array([-5.0, -1.0, 0.0, 1.0, 5.0])
print("weighted sums z:", z_demo)
print("sigmoid(z):     ", np.round(1 / (1 + np.exp(-z_demo)), 3))
print("tanh(z):        ", np.round(np.tanh(z_demo), 3))
print("relu(z):        ", np.maximum(0.0, z_demo))

# %% [markdown]
# **"A neuron has a bias for each incoming connection."** It has one bias. Giving
# every connection its own bias adds nothing: the biases are all added to the same
# sum, so together they act as a single number.

# %%
x_demo = np.array([1.0, -2.0, 3.0])
w_demo = np.array([0.5, 0.25, -1.0])
b_per_connection = np.array([0.1, 0.3, -0.2])

with_many_biases = np.sum(w_demo * x_demo + b_per_connection)
with_one_bias = w_demo @ x_demo + b_per_connection.sum()
print(f"{with_many_biases:.3f} == {with_one_bias:.3f}")

# %% [markdown]
# **"Bias nodes are special nodes" / "the bias is a variable used for the
# optimisation".** A bias is an ordinary parameter of the model, learned from the
# data exactly like a weight — it is not a setting of the training procedure (that
# would be the learning rate, notebook 04). A bias node is just a constant input 1
# whose weights are the biases: a layer with a bias node, and a layer with a bias
# vector, compute the same thing. And training changes the biases along with the
# weights:

# %% tags=["grading-skip"]
ones = np.ones((X_small.shape[0], 1))
X_with_bias_node = np.hstack([X_small, ones])           # every sample gets a constant input 1
W_with_bias_column = np.hstack([W_small, b_small[:, None]])
with_vector = X_small @ W_small.T + b_small
with_node = X_with_bias_node @ W_with_bias_column.T     # no separate bias at all
print("with a bias vector:\n", with_vector)
print("with a bias node instead:\n", with_node)
print("biases of the zero-started network's hidden layer after training (they started at 0):")
print(np.round(zero_net.layers[0].params["b"], 3))

# %% [markdown]
# **"The activation function normalises the values into a range that is easy to
# process."** Some activations have a bounded range, but none of them normalises:
# ReLU passes large numbers through unchanged, and a sigmoid layer's outputs have
# no particular mean or spread (they need not even be spread over their range).
# *Normalising* the inputs — shifting and scaling each feature to mean 0 and
# standard deviation 1 — is a separate step applied to the data before it enters
# the network (notebook 06). The activation's real job is to be **non-linear**:
# without it, section 8 showed, any stack of layers is one linear layer.

# %%
z_big = np.array([[3.0, 50.0, 1000.0]])
print("relu of large sums stays large:", np.maximum(z_big, 0.0).ravel())
feature = np.array([150.0, 160.0, 170.0, 180.0, 190.0])  # heights in cm
sig_feature = 1 / (1 + np.exp(-feature))
standardised = (feature - feature.mean()) / feature.std()
print("sigmoid of the raw feature  :", np.round(sig_feature, 6), "(all 1.0: the differences are lost)")
print("the standardised feature    :", np.round(standardised, 3),
      f"(mean {standardised.mean():.1f}, std {standardised.std():.1f})")

# %% [markdown]
# **"A neuron only passes its value on when it is above a threshold; otherwise it
# does not fire."** That describes the step neuron of the 1950s. In today's
# networks every neuron sends its value to every neuron of the next layer, every
# time: the next layer's matrix product uses all of them. A sigmoid neuron with a
# very negative sum sends a small positive number, a ReLU neuron sends 0 — and 0
# is a value like any other (it just contributes nothing to the next sums).

# %%
z_hidden = np.array([[-4.0, -1.0, 0.5, 3.0]])           # one sample, four hidden neurons
sig_hidden = 1 / (1 + np.exp(-z_hidden))
W_next = np.ones((1, 4))                                # the next neuron adds them all up
print("sigmoid outputs sent on:", np.round(sig_hidden.ravel(), 3))
print("the next neuron's sum uses all four:", np.round((sig_hidden @ W_next.T).item(), 3))

# %% [markdown]
# **"The weighted sum is multiplied by the sigmoid."** The activation is a
# *function applied to* the sum, not a factor: $\sigma(z)$, not $\sigma \cdot z$.
# Doubling the sum does not double the output:

# %%
z_demo = np.array([1.0, 2.0, 4.0])
print("sigmoid(z):      ", np.round(1 / (1 + np.exp(-z_demo)), 3))
print("sigmoid(2 z):    ", np.round(1 / (1 + np.exp(-2 * z_demo)), 3))
print("2 * sigmoid(z):  ", np.round(2 / (1 + np.exp(-z_demo)), 3))

# %% [markdown]
# **"More layers always make a network more powerful."** Not without activations
# between them: two, three or thirty linear layers collapse into one (section 8).
# Here three stacked linear layers and their single-layer equivalent give the same
# outputs:

# %%
rng_collapse = np.random.default_rng(7)
X_demo = rng_collapse.normal(size=(4, 3))
stack = [(rng_collapse.normal(size=(5, 3)), rng_collapse.normal(size=5)),
         (rng_collapse.normal(size=(6, 5)), rng_collapse.normal(size=6)),
         (rng_collapse.normal(size=(2, 6)), rng_collapse.normal(size=2))]
out_stack = X_demo
for W_k, b_k in stack:
    out_stack = out_stack @ W_k.T + b_k
W_one, b_one = stack[0]
for W_k, b_k in stack[1:]:
    W_one, b_one = W_k @ W_one, W_k @ b_one + b_k
print("three layers:\n", np.round(out_stack, 4))
print("one layer:\n", np.round(X_demo @ W_one.T + b_one, 4))

# %% [markdown]
# **"All weights and biases must start random; if the neurons start out alike,
# learning just takes longer."** The weights must start different, the biases
# need not: random weights alone already make every neuron different, and zero
# biases are the usual choice. And identical neurons do not merely learn slowly —
# with the same starting weights they receive the same updates for ever, as the
# zero-started network in section 9 showed (here after another 500 steps):

# %% tags=["grading-skip"]
zero_net.fit(X_moons, y_moons, epochs=500, batch_size=None, seed=0)
W_hidden = zero_net.layers[0].params["W"]
print("after 800 steps in all, the 8 hidden neurons are still identical:",
      bool(np.all(W_hidden == W_hidden[0])))


# %% [markdown]
# ## Where you stand
#
# The next cell runs the visible tests of every exercise again, against your
# functions as they are now, and lists the points at stake. Passing them is a good
# sign, not a grade: the grade also uses hidden tests, on other inputs.

# %% tags=["grading-skip"]
from nnlearn.standing import where_you_stand

where_you_stand("02_neurons_and_activations.ipynb")

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
# **neuron**. In this notebook you write that piece yourself, first a single
# squashing function and then a whole layer of neurons at once.
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
# **How to work through this notebook.** Run the cells from top to bottom. Where
# you see `# YOUR CODE HERE`, delete the `raise NotImplementedError()` line and
# write your code. The cell after each exercise tests your answer; if a check
# fails, its message tells you what is wrong (shape, which entry, by how much) and
# often why.

# %%
import numpy as np
import matplotlib.pyplot as plt

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

# %% [markdown]
# ## 2. Squashing the sum: the sigmoid
#
# Early artificial neurons simply *fired* (output 1) when $z > 0$ and stayed
# silent (output 0) otherwise. That step is too abrupt to learn with: nudging a
# weight a little almost never changes the output at all. The **sigmoid** (or
# logistic function) is a smooth version of the step:
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}}$$
#
# It turns any number into one strictly between 0 and 1: very negative $z$ give
# outputs near 0, very positive $z$ outputs near 1, and $\sigma(0) = 0.5$.

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


# %% nbgrader={"grade": true, "grade_id": "sigmoid_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, check_array

# Values you can check by hand: sigma(0) = 0.5 and sigma(-z) = 1 - sigma(z).
check_array("sigmoid(np.array([-2.0, 0.0, 2.0]))", sigmoid(np.array([-2.0, 0.0, 2.0])),
            [0.11920292202211755, 0.5, 0.8807970779778823])
check_array("sigmoid(np.array([0.5, 1.0, -3.0, 10.0]))", sigmoid(np.array([0.5, 1.0, -3.0, 10.0])),
            [0.6224593312018546, 0.7310585786300049, 0.04742587317756678, 0.9999546021312976])

# Extreme inputs: an overflow warning becomes an error here, so that you see it.
try:
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        extreme = sigmoid(np.array([-1000.0, 1000.0]))
except FloatingPointError as err:
    raise CheckFailed(f"sigmoid(np.array([-1000.0, 1000.0])) failed with '{err}'. "
                      "Exponentiate only numbers <= 0: use the two forms of the formula "
                      "shown above.") from None
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
# ## 3. A layer of neurons
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
# go: `X[i] @ W[j]` is entry `(i, j)` of `X @ W.T`, because the columns of `W.T`
# are the rows of `W`. Adding `b` (shape `(n_out,)`) to an `(n_samples, n_out)`
# array adds the same bias vector to every row — NumPy calls this
# *broadcasting*.
#
# ### Exercise 2: the forward pass of a dense layer (2 points)
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
# ## 4. Common misconceptions
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

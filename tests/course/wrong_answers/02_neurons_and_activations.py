"""Wrong-but-plausible answers for 02_neurons_and_activations (see __init__.py)."""

NAIVE_SIGMOID = '''\
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
'''

# Right for vectors (the visible tests), wrong for matrices (the hidden tests).
LOOP_SIGMOID = '''\
import math

def sigmoid(z):
    out = []
    for v in z:
        if v >= 0:
            out.append(1 / (1 + math.exp(-v)))
        else:
            out.append(math.exp(v) / (1 + math.exp(v)))
    return np.array(out)
'''

# The two stable forms, picked with np.where, each written with its own exponential:
# np.where evaluates both for every entry, so exp(z) overflows at z = 1000 (and exp(-z)
# at z = -1000) even where that form is not picked.
WHERE_BOTH_FORMS = '''\
def sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
'''

# --- Exercise 2: relu, leaky_relu ------------------------------------------------------

LEAKY_RELU = '''

def leaky_relu(z, alpha=0.01):
    return np.where(z > 0, z, alpha * z)
'''

# np.max(z, 0) is the largest entry along axis 0, not max(0, z) entry by entry.
RELU_NP_MAX = '''\
def relu(z):
    return np.max(z, 0)
''' + LEAKY_RELU

# Right values, but the caller's array is overwritten.
RELU_IN_PLACE = '''\
def relu(z):
    z[z < 0] = 0
    return z
''' + LEAKY_RELU

# Right for vectors (the visible tests), wrong for matrices (the hidden tests).
RELU_LIST = '''\
def relu(z):
    return np.array([max(0.0, v) for v in z])
''' + LEAKY_RELU

LEAKY_RELU_FIXED_ALPHA = '''\
def relu(z):
    return np.maximum(z, 0.0)


def leaky_relu(z, alpha=0.01):
    return np.where(z > 0, z, 0.01 * z)
'''

# --- Exercise 3: derivatives -----------------------------------------------------------

TANH_AND_RELU_DERIVATIVES = '''

def tanh_derivative(z):
    return 1 - np.tanh(z) ** 2


def relu_derivative(z):
    return np.where(z > 0, 1, 0)
'''

# The textbook form of the sigmoid's derivative: exp(1000) / inf**2 is NaN at z = -1000.
SIGMOID_DERIVATIVE_OVERFLOW = '''\
def sigmoid_derivative(z):
    return np.exp(-z) / (1 + np.exp(-z)) ** 2
''' + TANH_AND_RELU_DERIVATIVES

TANH_DERIVATIVE_NO_SQUARE = '''\
def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh_derivative(z):
    return 1 - np.tanh(z)


def relu_derivative(z):
    return (z > 0).astype(float)
'''

# --- Exercise 5: softmax ---------------------------------------------------------------

SOFTMAX_NO_MAX = '''\
def softmax(Z):
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)
'''

SOFTMAX_WHOLE_ARRAY = '''\
def softmax(Z):
    e = np.exp(Z - Z.max())
    return e / e.sum()
'''

SOFTMAX_NO_KEEPDIMS = '''\
def softmax(Z):
    e = np.exp(Z - Z.max())
    return e / e.sum(axis=1)
'''

# One maximum for the whole array: fine while all rows are on one scale (the visible
# tests), NaN for a row far below the largest score (the hidden tests).
SOFTMAX_GLOBAL_MAX = '''\
def softmax(Z):
    e = np.exp(Z - Z.max())
    return e / e.sum(axis=1, keepdims=True)
'''

# --- Exercise 6: collapse_linear -------------------------------------------------------

COLLAPSE_WRONG_ORDER = '''\
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, W2 @ b1 + b2
'''

COLLAPSE_BIAS_NOT_THROUGH_W2 = '''\
def collapse_linear(W1, b1, W2, b2):
    return W2 @ W1, b2
'''

# --- Exercise 7: init_weights ----------------------------------------------------------

INIT_ZEROS = '''\
def init_weights(n_in, n_out, seed=None):
    return np.zeros((n_out, n_in))
'''

INIT_TRANSPOSED = '''\
def init_weights(n_in, n_out, seed=None):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1 / np.sqrt(n_in), size=(n_in, n_out))
'''

INIT_SEED_IGNORED = '''\
def init_weights(n_in, n_out, seed=None):
    return np.random.normal(0, 1 / np.sqrt(n_in), size=(n_out, n_in))
'''

INIT_UNSCALED = '''\
def init_weights(n_in, n_out, seed=None):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_out, n_in))
'''

# A tiny scale: random and centred, but every weighted sum is almost 0.
INIT_TINY = '''\
def init_weights(n_in, n_out, seed=None):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1e-6, size=(n_out, n_in))
'''

# The variance 1/n_in passed as rng.normal's scale (a standard deviation).
INIT_VARIANCE_AS_SCALE = '''\
def init_weights(n_in, n_out, seed=None):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1 / n_in, size=(n_out, n_in))
'''

# Scaled by the number of neurons instead of the number of inputs.
INIT_N_OUT = '''\
def init_weights(n_in, n_out, seed=None):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1 / np.sqrt(n_out), size=(n_out, n_in))
'''

# He's scale for ReLU where the text asks for LeCun's 1/sqrt(n_in).
INIT_HE = '''\
def init_weights(n_in, n_out, seed=None):
    rng = np.random.default_rng(seed)
    return rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in))
'''

# Xavier's scale where the text asks for LeCun's 1/sqrt(n_in).
INIT_XAVIER = '''\
def init_weights(n_in, n_out, seed=None):
    rng = np.random.default_rng(seed)
    return rng.normal(0, np.sqrt(2 / (n_in + n_out)), size=(n_out, n_in))
'''

# A uniform distribution with bound 1/sqrt(n_in): its standard deviation is 1/sqrt(3 n_in).
INIT_UNIFORM_BOUND = '''\
def init_weights(n_in, n_out, seed=None):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1 / np.sqrt(n_in), 1 / np.sqrt(n_in), size=(n_out, n_in))
'''

# The right scale, but drawn in the transposed shape (n_in, n_out) and returned as it is.
INIT_TRANSPOSED_SCALE_N_OUT = '''\
def init_weights(n_in, n_out, seed=None):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1 / np.sqrt(n_out), size=(n_in, n_out)).T
'''

WRONG = [
    dict(student="naive_sigmoid", replace={"sigmoid": NAIVE_SIGMOID},
         fails={"sigmoid_test"}, visible=r"overflow"),
    dict(student="where_both_forms_sigmoid", replace={"sigmoid": WHERE_BOTH_FORMS},
         fails={"sigmoid_test"}, visible=r"fails for z = 1000 alone too.*np\.where\(condition, a, b\): NumPy "
                                         r"computes all of a and all of b.*np\.exp\(-np\.abs\(z\)\)"),
    dict(student="loop_sigmoid", replace={"sigmoid": LOOP_SIGMOID},
         fails={"sigmoid_test"}, visible=None),
    dict(student="relu_np_max", replace={"relu": RELU_NP_MAX},
         fails={"relu_test"}, visible=r"np\.maximum\(a, b\) compares entry by entry"),
    dict(student="relu_list_comprehension", replace={"relu": RELU_LIST},
         fails={"relu_test"}, visible=None),
    dict(student="sigmoid_derivative_overflow", replace={"activation_derivatives": SIGMOID_DERIVATIVE_OVERFLOW},
         fails={"activation_derivatives_test"}, visible=r"NaN or infinite.*overflow"),
    dict(student="w_not_transposed", replace={"dense_forward": "def dense_forward(X, W, b):\n    return X @ W + b\n"},
         fails={"dense_forward_test"}, visible=r"transpose"),
    dict(student="bias_forgotten", replace={"dense_forward": "def dense_forward(X, W, b):\n    return X @ W.T\n"},
         fails={"dense_forward_test"}, visible=r"forget to add the bias"),
    dict(student="softmax_without_max", replace={"softmax": SOFTMAX_NO_MAX},
         fails={"softmax_test"}, visible=r"overflows\. Subtract each row's maximum"),
    dict(student="softmax_whole_array_sum", replace={"softmax": SOFTMAX_WHOLE_ARRAY},
         fails={"softmax_test"}, visible=r"every row .* must add up to 1"),
    dict(student="softmax_global_max", replace={"softmax": SOFTMAX_GLOBAL_MAX},
         fails={"softmax_test"}, visible=None),
    dict(student="collapse_wrong_order", replace={"collapse_linear": COLLAPSE_WRONG_ORDER},
         fails={"collapse_linear_test"}, visible=r"the order matters"),
    dict(student="init_zeros", replace={"init_weights": INIT_ZEROS},
         fails={"init_weights_test"}, visible=r"symmetry"),
    dict(student="init_unscaled", replace={"init_weights": INIT_UNSCALED},
         fails={"init_weights_test"}, visible=r"too large.*1/sqrt\(n_in\).*unscaled normal"),
    dict(student="init_tiny", replace={"init_weights": INIT_TINY},
         fails={"init_weights_test"},
         visible=r"standard deviation 9\.99e-07: too small, 50,\d{3} times smaller than 1/sqrt\(n_in\) = 0\.05.*"
                 r"about 0\.5 whatever the input"),
    dict(student="init_variance_as_scale", replace={"init_weights": INIT_VARIANCE_AS_SCALE},
         fails={"init_weights_test"}, visible=r"too small, 20 times smaller.*That is 1/n_in.*not the variance"),
    dict(student="init_n_out", replace={"init_weights": INIT_N_OUT},
         fails={"init_weights_test"}, visible=r"too large, 2\.8\d* times larger.*That is 1/sqrt\(n_out\)"),
    dict(student="init_he", replace={"init_weights": INIT_HE},
         fails={"init_weights_test"}, visible=r"too large, 1\.4\d* times larger.*He's sqrt\(2/n_in\).*LeCun's"),
    dict(student="init_xavier", replace={"init_weights": INIT_XAVIER},
         fails={"init_weights_test"}, visible=r"too large, 1\.3\d* times larger.*Xavier's sqrt\(2/\(n_in \+ n_out\)\)"),
    dict(student="init_uniform_bound", replace={"init_weights": INIT_UNIFORM_BOUND},
         fails={"init_weights_test"}, visible=r"too small, 1\.7\d* times smaller.*a/sqrt\(3\)"),
    dict(student="init_transposed_scale_n_out", replace={"init_weights": INIT_TRANSPOSED_SCALE_N_OUT},
         fails={"init_weights_test"}, visible=r"too large, 2\.8\d* times larger.*1/sqrt\(n_out\)"),
    # Every submission costs a full run of the notebook in the grading test, so the
    # remaining mistakes travel together: each one sits in a different exercise (the
    # exercises are graded independently), and each failing test's message must name
    # one of them.
    # One mistake per entry, so that each visible message is checked on its own; the
    # grading test packs entries that touch different cells into shared submissions.
    dict(student="relu_in_place", replace={"relu": RELU_IN_PLACE},
         fails={"relu_test"}, visible=r"in place"),
    dict(student="tanh_derivative_no_square", replace={"activation_derivatives": TANH_DERIVATIVE_NO_SQUARE},
         fails={"activation_derivatives_test"}, visible=r"square missing"),
    dict(student="collapse_bias_not_through_w2", replace={"collapse_linear": COLLAPSE_BIAS_NOT_THROUGH_W2},
         fails={"collapse_linear_test"}, visible=r"b1 also passes through layer 2"),
    dict(student="init_transposed", replace={"init_weights": INIT_TRANSPOSED},
         fails={"init_weights_test"}, visible=r"did you transpose"),
    dict(student="leaky_relu_fixed_alpha", replace={"relu": LEAKY_RELU_FIXED_ALPHA},
         fails={"relu_test"}, visible=r"alpha your function is given"),
    dict(student="softmax_no_keepdims", replace={"softmax": SOFTMAX_NO_KEEPDIMS},
         fails={"softmax_test"}, visible=r"keepdims=True"),
    dict(student="init_seed_ignored", replace={"init_weights": INIT_SEED_IGNORED},
         fails={"init_weights_test"}, visible=r"default_rng\(seed\)"),
]

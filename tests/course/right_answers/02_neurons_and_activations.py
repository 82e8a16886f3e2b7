"""Right answers for 02_neurons_and_activations, in other styles than the solution (see __init__.py)."""

# --- Exercise 1: sigmoid ---------------------------------------------------------------

SIGMOID_MASKS = '''\
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))     # each form only where it is safe
    e = np.exp(z[~positive])
    out[~positive] = e / (1.0 + e)
    return out
'''

SIGMOID_TANH = '''\
def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))
'''

SIGMOID_LOGADDEXP = '''\
def sigmoid(z):
    # 1 / (1 + e^-z) = exp(-log(1 + e^-z)) = exp(-logaddexp(0, -z)), and logaddexp never overflows
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))
'''

SIGMOID_ONE_WHERE = '''\
def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z < 0, e, 1.0) / (1.0 + e)
'''

SIGMOID_PIECEWISE = '''\
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.piecewise(z, [z >= 0, z < 0],
                        [lambda v: 1 / (1 + np.exp(-v)), lambda v: np.exp(v) / (1 + np.exp(v))])
'''

# --- Exercise 2: relu, leaky_relu (one cell) -------------------------------------------

RELU_MULTIPLY = '''\
def relu(z):
    return z * (z > 0)


def leaky_relu(z, alpha=0.01):
    return np.maximum(z, alpha * z)          # alpha < 1: alpha * z is the larger one only for z < 0
'''

RELU_WHERE_COPY = '''\
def relu(z):
    return np.where(z > 0, z, 0.0)


def leaky_relu(z, alpha=0.01):
    out = z.copy()
    out[out < 0] *= alpha                    # in place, but on a copy
    return out
'''

RELU_CLIP = '''\
def relu(z):
    return np.clip(z, 0.0, None)


def leaky_relu(z, alpha=0.01):
    return np.where(z > 0, 1.0, alpha) * z
'''

RELU_COPY_IN_PLACE = '''\
def relu(z):
    out = np.array(z, dtype=float, copy=True)
    out[out < 0] = 0.0
    return out


def leaky_relu(z, alpha=0.01):
    return np.maximum(z, 0) + alpha * np.minimum(z, 0)
'''

RELU_LOOP = '''\
def relu(z):
    z = np.asarray(z, dtype=float)
    return np.array([v if v > 0 else 0.0 for v in z.ravel()]).reshape(z.shape)


def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.array([v if v > 0 else alpha * v for v in z.flat]).reshape(z.shape)
'''

# --- Exercise 3: derivatives (one cell) ------------------------------------------------

DERIVATIVES_TANH_FORMS = '''\
def sigmoid_derivative(z):
    return 0.25 * (1.0 - np.tanh(0.5 * z) ** 2)      # sigma'(z) = 1 / (4 cosh^2(z / 2))


def tanh_derivative(z):
    return 1.0 / np.cosh(z) ** 2


def relu_derivative(z):
    return np.heaviside(z, 0.0)
'''

DERIVATIVES_EXPANDED = '''\
def sigmoid_derivative(z):
    s = sigmoid(z)
    return s - s ** 2


def tanh_derivative(z):
    t = np.tanh(z)
    return (1 - t) * (1 + t)


def relu_derivative(z):
    return np.where(z > 0, 1.0, 0.0)
'''

DERIVATIVES_STABLE_EXP = '''\
def sigmoid_derivative(z):
    e = np.exp(-np.abs(z))        # the derivative is symmetric in z, and e never overflows
    return e / (1 + e) ** 2


def tanh_derivative(z):
    t = np.tanh(z)
    return 1 - t * t


def relu_derivative(z):
    return (z > 0) * 1             # integers 0 and 1
'''

DERIVATIVES_PRODUCT = '''\
def sigmoid_derivative(z):
    return sigmoid(z) * sigmoid(-z)      # 1 - sigma(z) = sigma(-z)


def tanh_derivative(z):
    return 1 - np.square(np.tanh(z))


def relu_derivative(z):
    return np.greater(z, 0)              # True/False
'''

# --- Exercise 4: dense_forward ---------------------------------------------------------

DENSE_DOT = '''\
def dense_forward(X, W, b):
    return np.dot(X, W.T) + b
'''

DENSE_EINSUM = '''\
def dense_forward(X, W, b):
    return np.einsum("ni,oi->no", X, W) + b
'''

DENSE_COLUMNS = '''\
def dense_forward(X, W, b):
    return (W @ X.T).T + b[None, :]
'''

DENSE_LOOP = '''\
def dense_forward(X, W, b):
    return np.stack([X @ W[j] + b[j] for j in range(W.shape[0])], axis=1)
'''

DENSE_IN_PLACE = '''\
def dense_forward(X, W, b):
    out = np.matmul(X, W.transpose())
    out += b.reshape(1, -1)
    return out
'''

# --- Exercise 5: softmax ---------------------------------------------------------------

SOFTMAX_IN_PLACE = '''\
def softmax(Z):
    P = Z - Z.max(axis=1, keepdims=True)     # a new array: Z itself is left alone
    np.exp(P, out=P)
    P /= P.sum(axis=1, keepdims=True)
    return P
'''

SOFTMAX_LOG_SUM_EXP = '''\
def softmax(Z):
    shifted = Z - np.max(Z, axis=1)[:, None]
    log_total = np.log(np.sum(np.exp(shifted), axis=1))[:, None]
    return np.exp(shifted - log_total)
'''

SOFTMAX_ROWS = '''\
def softmax(Z):
    rows = []
    for row in Z:
        e = np.exp(row - row.max())
        rows.append(e / e.sum())
    return np.array(rows)
'''

SOFTMAX_RESHAPE = '''\
def softmax(Z):
    m = np.max(Z, axis=1).reshape(-1, 1)
    e = np.exp(Z - m)
    return e / np.sum(e, axis=1).reshape(-1, 1)
'''

# --- Exercise 6: collapse_linear -------------------------------------------------------

COLLAPSE_DOT = '''\
def collapse_linear(W1, b1, W2, b2):
    return np.dot(W2, W1), np.dot(W2, b1) + b2
'''

COLLAPSE_LIST = '''\
def collapse_linear(W1, b1, W2, b2):
    W = W2 @ W1
    b = W2 @ b1 + b2
    return [W, b]
'''

COLLAPSE_EINSUM = '''\
def collapse_linear(W1, b1, W2, b2):
    return np.einsum("oh,hi->oi", W2, W1), np.einsum("oh,h->o", W2, b1) + b2
'''

COLLAPSE_ROWS = '''\
def collapse_linear(W1, b1, W2, b2):
    # samples-as-rows view: (X @ W1.T + b1) @ W2.T + b2 = X @ (W1.T @ W2.T) + (b1 @ W2.T + b2)
    return (W1.T @ W2.T).T, b1 @ W2.T + b2
'''

COLLAPSE_PUSH_THROUGH = '''\
def collapse_linear(W1, b1, W2, b2):
    n_in = W1.shape[1]
    b = W2 @ b1 + b2                                   # the output for the input 0
    W = np.column_stack([W2 @ (W1 @ np.eye(n_in)[:, k]) for k in range(n_in)])   # column k: input e_k
    return W, b
'''

# --- Exercise 7: init_weights ----------------------------------------------------------

INIT_STANDARD_NORMAL = '''\
def init_weights(n_in, n_out, seed=None):
    return np.random.default_rng(seed).standard_normal((n_out, n_in)) / np.sqrt(n_in)
'''

INIT_UNIFORM_SAME_STD = '''\
def init_weights(n_in, n_out, seed=None):
    # a uniform distribution on (-a, a) has standard deviation a / sqrt(3): a = sqrt(3 / n_in)
    limit = np.sqrt(3.0 / n_in)
    return np.random.default_rng(seed).uniform(-limit, limit, size=(n_out, n_in))
'''

INIT_VARIANCE_KEYWORDS = '''\
def init_weights(n_in, n_out, seed=None):
    variance = 1.0 / n_in
    rng = np.random.default_rng(seed=seed)
    return rng.normal(loc=0.0, scale=np.sqrt(variance), size=(n_out, n_in))
'''

INIT_LOOPS = '''\
import math


def init_weights(n_in, n_out, seed=None):
    rng = np.random.default_rng(seed)
    W = np.empty((n_out, n_in))
    for j in range(n_out):
        for i in range(n_in):
            W[j, i] = rng.normal() / math.sqrt(n_in)
    return W
'''

INIT_ROWS = '''\
def init_weights(n_in, n_out, seed=None):
    rng = np.random.default_rng(seed)
    return np.array([rng.normal(0.0, 1 / np.sqrt(n_in), n_in) for _ in range(n_out)])
'''

INIT_TRANSPOSED_DRAW = '''\
def init_weights(n_in, n_out, seed=None):
    rng = np.random.Generator(np.random.PCG64(seed))
    return rng.normal(0.0, n_in ** -0.5, size=(n_in, n_out)).T
'''

INIT_FLOAT32 = '''\
def init_weights(n_in, n_out, seed=None):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_out, n_in), dtype=np.float32) * np.float32(1 / np.sqrt(n_in))
'''

RIGHT = [
    dict(name="sigmoid_masks", replace={"sigmoid": SIGMOID_MASKS},
         style="boolean masks: each form computed only on its own entries"),
    dict(name="sigmoid_tanh", replace={"sigmoid": SIGMOID_TANH},
         style="the stable identity (1 + tanh(z / 2)) / 2"),
    dict(name="sigmoid_logaddexp", replace={"sigmoid": SIGMOID_LOGADDEXP},
         style="exp(-logaddexp(0, -z))"),
    dict(name="sigmoid_one_where", replace={"sigmoid": SIGMOID_ONE_WHERE},
         style="one np.where for the numerator over a shared 1 + exp(-|z|)"),
    dict(name="sigmoid_piecewise", replace={"sigmoid": SIGMOID_PIECEWISE},
         style="np.piecewise, which evaluates each form only where it applies"),
    dict(name="relu_multiply", replace={"relu": RELU_MULTIPLY},
         style="z * (z > 0); leaky ReLU as np.maximum(z, alpha * z)"),
    dict(name="relu_where_copy", replace={"relu": RELU_WHERE_COPY},
         style="np.where; leaky ReLU in place on a copy"),
    dict(name="relu_clip", replace={"relu": RELU_CLIP},
         style="np.clip; leaky ReLU as a slope factor times z"),
    dict(name="relu_copy_in_place", replace={"relu": RELU_COPY_IN_PLACE},
         style="a copy zeroed in place; leaky ReLU as max + alpha * min"),
    dict(name="relu_loop", replace={"relu": RELU_LOOP},
         style="Python loops over the entries, reshaped back"),
    dict(name="derivatives_tanh_forms", replace={"activation_derivatives": DERIVATIVES_TANH_FORMS},
         style="sigma' from tanh(z / 2), tanh' as 1 / cosh^2 (inf in between, silenced), np.heaviside"),
    dict(name="derivatives_expanded", replace={"activation_derivatives": DERIVATIVES_EXPANDED},
         style="s - s**2, (1 - t)(1 + t), np.where"),
    dict(name="derivatives_stable_exp", replace={"activation_derivatives": DERIVATIVES_STABLE_EXP},
         style="sigma' from exp(-|z|) without sigmoid; ReLU' as integers"),
    dict(name="derivatives_product", replace={"activation_derivatives": DERIVATIVES_PRODUCT},
         style="sigma(z) * sigma(-z), np.square, ReLU' as booleans"),
    dict(name="dense_dot", replace={"dense_forward": DENSE_DOT}, style="np.dot"),
    dict(name="dense_einsum", replace={"dense_forward": DENSE_EINSUM}, style="np.einsum"),
    dict(name="dense_columns", replace={"dense_forward": DENSE_COLUMNS},
         style="samples as columns, transposed back; b[None, :]"),
    dict(name="dense_loop", replace={"dense_forward": DENSE_LOOP},
         style="one neuron at a time, stacked as columns"),
    dict(name="dense_in_place", replace={"dense_forward": DENSE_IN_PLACE},
         style="np.matmul and the bias added in place"),
    dict(name="softmax_in_place", replace={"softmax": SOFTMAX_IN_PLACE},
         style="exp and division in place on the shifted copy"),
    dict(name="softmax_log_sum_exp", replace={"softmax": SOFTMAX_LOG_SUM_EXP},
         style="exp(shifted - log(sum(exp(shifted)))), the log-sum-exp form"),
    dict(name="softmax_rows", replace={"softmax": SOFTMAX_ROWS},
         style="a Python loop over the rows"),
    dict(name="softmax_reshape", replace={"softmax": SOFTMAX_RESHAPE},
         style="reshape(-1, 1) instead of keepdims"),
    dict(name="collapse_dot", replace={"collapse_linear": COLLAPSE_DOT}, style="np.dot"),
    dict(name="collapse_list", replace={"collapse_linear": COLLAPSE_LIST}, style="returns a list [W, b]"),
    dict(name="collapse_einsum", replace={"collapse_linear": COLLAPSE_EINSUM}, style="np.einsum"),
    dict(name="collapse_rows", replace={"collapse_linear": COLLAPSE_ROWS},
         style="derived in the samples-as-rows form and transposed"),
    dict(name="collapse_push_through", replace={"collapse_linear": COLLAPSE_PUSH_THROUGH},
         style="the unit inputs pushed through both layers, one column at a time"),
    dict(name="init_standard_normal", replace={"init_weights": INIT_STANDARD_NORMAL},
         style="standard_normal divided by sqrt(n_in), no rng variable"),
    dict(name="init_uniform_same_std", replace={"init_weights": INIT_UNIFORM_SAME_STD},
         style="a uniform distribution with the taught standard deviation 1/sqrt(n_in)"),
    dict(name="init_variance_keywords", replace={"init_weights": INIT_VARIANCE_KEYWORDS},
         style="the variance 1/n_in, its square root as rng.normal's scale, keyword arguments"),
    dict(name="init_loops", replace={"init_weights": INIT_LOOPS},
         style="one rng.normal() per entry in two Python loops, math.sqrt"),
    dict(name="init_rows", replace={"init_weights": INIT_ROWS},
         style="one rng.normal call per row"),
    dict(name="init_transposed_draw", replace={"init_weights": INIT_TRANSPOSED_DRAW},
         style="np.random.Generator(PCG64(seed)), drawn as (n_in, n_out) and transposed"),
    dict(name="init_float32", replace={"init_weights": INIT_FLOAT32},
         style="float32 weights"),
]

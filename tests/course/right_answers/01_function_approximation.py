"""Right answers for 01_function_approximation, in other styles than the solution (see __init__.py)."""

# --- Exercise 1: linear_fit ------------------------------------------------------------

LINEAR_FIT_POLYFIT = '''\
def linear_fit(x, y):
    slope, intercept = np.polyfit(np.ravel(x), np.ravel(y), deg=1)
    return float(slope), float(intercept)
'''

LINEAR_FIT_LSTSQ = '''\
def linear_fit(x, y):
    x = np.ravel(x)
    A = np.column_stack([x, np.ones_like(x)])
    coefficients, *_ = np.linalg.lstsq(A, np.ravel(y), rcond=None)
    return coefficients[0].item(), coefficients[1].item()
'''

LINEAR_FIT_LOOP = '''\
def linear_fit(x, y):
    xs = [float(v) for v in np.ravel(x)]
    ys = [float(v) for v in np.ravel(y)]
    n = len(xs)
    x_mean = sum(xs) / n
    y_mean = sum(ys) / n
    top, bottom = 0.0, 0.0
    for xi, yi in zip(xs, ys):
        top += (xi - x_mean) * (yi - y_mean)
        bottom += (xi - x_mean) ** 2
    slope = top / bottom
    return slope, y_mean - slope * x_mean
'''

LINEAR_FIT_COV = '''\
def linear_fit(x, y):
    x, y = np.ravel(x).astype(np.float64), np.ravel(y).astype(np.float64)
    slope = np.cov(x, y, bias=True)[0, 1] / np.var(x)
    intercept = np.mean(y) - slope * np.mean(x)
    return [slope, intercept]
'''

LINEAR_FIT_NORMAL_EQUATIONS = '''\
def linear_fit(x, y):
    x, y = np.ravel(x).astype(float), np.ravel(y).astype(float)
    A = np.stack([x, np.ones(len(x))], axis=1)
    slope, intercept = np.linalg.solve(A.T @ A, A.T @ y)
    return slope, intercept
'''

# --- Exercise 2: max_error -------------------------------------------------------------

MAX_ERROR_RESHAPE = '''\
def max_error(y_true, y_pred):
    difference = np.asarray(y_true).reshape(-1) - np.asarray(y_pred).reshape(-1)
    return np.abs(difference).max()
'''

MAX_ERROR_LOOP = '''\
def max_error(y_true, y_pred):
    worst = 0.0
    for target, prediction in zip(np.ravel(y_true), np.ravel(y_pred)):
        worst = max(worst, abs(float(target) - float(prediction)))
    return worst
'''

MAX_ERROR_NORM = '''\
def max_error(y_true, y_pred):
    return float(np.linalg.norm(np.ravel(y_true).astype(float) - np.ravel(y_pred).astype(float), ord=np.inf))
'''

MAX_ERROR_BOTH_SIDES = '''\
def max_error(y_true, y_pred):
    t, p = np.asarray(y_true, dtype=float).flatten(), np.asarray(y_pred, dtype=float).flatten()
    return float(np.max(np.maximum(t - p, p - t)))
'''

# --- Exercise 3: step_neuron -----------------------------------------------------------

STEP_WHERE = '''\
def step_neuron(x, w, b):
    return np.where(w * np.asarray(x) + b > 0, 1.0, 0.0)
'''

STEP_HEAVISIDE = '''\
def step_neuron(x, w, b):
    return np.heaviside(w * np.asarray(x, dtype=float) + b, 0.0)
'''

STEP_IN_PLACE = '''\
def step_neuron(x, w, b):
    x = np.asarray(x)
    out = np.zeros(x.shape)
    out[w * x + b > 0] = 1.0
    return out
'''

STEP_LOOP = '''\
def step_neuron(x, w, b):
    x = np.asarray(x)
    values = [1.0 if w * v + b > 0 else 0.0 for v in x.ravel()]
    return np.array(values).reshape(x.shape)
'''

# --- Exercise 4: sigmoid_neuron --------------------------------------------------------

SIGMOID_NEURON_NO_CAST = '''\
def sigmoid_neuron(x, w, b):
    z = np.multiply(w, x) + b
    return sigmoid(z)
'''

SIGMOID_NEURON_TANH = '''\
def sigmoid_neuron(x, w, b):
    z = w * np.asarray(x, dtype=float) + b
    return 0.5 * (1.0 + np.tanh(0.5 * z))
'''

SIGMOID_NEURON_OWN_STABLE = '''\
def sigmoid_neuron(x, w, b):
    z = w * np.asarray(x, dtype=float) + b
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
'''

SIGMOID_NEURON_LOOP = '''\
import math


def sigmoid_neuron(x, w, b):
    x = np.asarray(x, dtype=float)
    out = np.empty(x.shape)
    for index, v in np.ndenumerate(x):
        z = w * v + b
        if z >= 0:
            out[index] = 1.0 / (1.0 + math.exp(-z))
        else:
            out[index] = math.exp(z) / (1.0 + math.exp(z))
    return out
'''

# --- Exercise 5: bump ------------------------------------------------------------------

BUMP_FROM_NEURONS = '''\
def bump(x, left, right, height, steepness):
    rising = sigmoid_neuron(x, steepness, -steepness * left)
    falling = sigmoid_neuron(x, steepness, -steepness * right)
    return height * (rising - falling)
'''

BUMP_KEYWORDS = '''\
def bump(x, left, right, height, steepness):
    return height * (sigmoid_neuron(x, w=steepness, b=-steepness * left)
                     - sigmoid_neuron(x, w=steepness, b=-steepness * right))
'''

BUMP_TANH = '''\
def bump(x, left, right, height, steepness):
    x = np.asarray(x, dtype=float)
    return 0.5 * height * (np.tanh(0.5 * steepness * (x - left)) - np.tanh(0.5 * steepness * (x - right)))
'''

BUMP_IN_PLACE = '''\
def bump(x, left, right, height, steepness):
    x = np.asarray(x, dtype=float)
    out = sigmoid(steepness * (x - left))
    out -= sigmoid(steepness * (x - right))
    out *= height
    return out
'''

# --- Exercise 6: forward ---------------------------------------------------------------

FORWARD_DOT = '''\
def forward(x, W1, b1, W2, b2):
    hidden = sigmoid(np.dot(x, W1.T) + b1)
    return np.dot(hidden, W2.T) + b2
'''

FORWARD_EINSUM = '''\
def forward(x, W1, b1, W2, b2):
    hidden = sigmoid(np.einsum("ni,hi->nh", x, W1) + b1)
    return np.einsum("nh,oh->no", hidden, W2) + b2
'''

FORWARD_COLUMNS = '''\
def forward(x, W1, b1, W2, b2):
    hidden = sigmoid(W1 @ x.T + b1[:, None])        # samples as columns, then back
    return (W2 @ hidden + b2[:, None]).T
'''

FORWARD_LOOP = '''\
def forward(x, W1, b1, W2, b2):
    out = np.zeros((x.shape[0], 1)) + b2
    for j in range(W1.shape[0]):
        out += W2[0, j] * sigmoid(x * W1[j, 0] + b1[j])
    return out
'''

FORWARD_TANH = '''\
def forward(x, W1, b1, W2, b2):
    z = x @ W1.T + b1
    hidden = 0.5 * (1.0 + np.tanh(0.5 * z))
    return hidden @ W2.T + b2
'''

# --- Exercise 7: bumps_approximation ---------------------------------------------------

BUMPS_LOOP = '''\
def bumps_approximation(f, n_bumps, x_range):
    low, high = x_range
    width = (high - low) / (n_bumps - 1)
    s = 20.0 / width
    weights, biases, out_weights = [], [], []
    for centre in np.linspace(low, high, n_bumps):
        height = float(np.asarray(f(np.array([centre])))[0])
        for edge, sign in [(centre - width / 2, 1.0), (centre + width / 2, -1.0)]:
            weights.append(s)
            biases.append(-s * edge)
            out_weights.append(sign * height)
    return (np.array(weights).reshape(-1, 1), np.array(biases),
            np.array([out_weights]), np.zeros(1))
'''

BUMPS_SHARED_EDGES = '''\
def bumps_approximation(f, n_bumps, x_range):
    low, high = x_range
    width = (high - low) / (n_bumps - 1)
    s = 20.0 / width
    heights = np.asarray(f(np.linspace(low, high, n_bumps)), dtype=float)
    edges = np.linspace(low - width / 2, high + width / 2, n_bumps + 1)   # neighbours share an edge
    steps = np.diff(np.concatenate([[0.0], heights, [0.0]]))            # the change at each edge
    return s * np.ones((n_bumps + 1, 1)), -s * edges, steps.reshape(1, -1), np.array([0.0])
'''

BUMPS_INTERLEAVED = '''\
def bumps_approximation(f, n_bumps, x_range):
    low, high = float(x_range[0]), float(x_range[1])
    centres = np.linspace(low, high, n_bumps)
    width = (high - low) / (n_bumps - 1)
    steepness = 30.0 / width
    heights = np.asarray(f(centres), dtype=float)
    edges = np.stack([centres - width / 2, centres + width / 2], axis=1).ravel()   # left, right, left, ...
    out = np.stack([heights, -heights], axis=1).ravel()
    return np.full((edges.size, 1), steepness), -steepness * edges, out[np.newaxis, :], np.zeros(1)
'''

BUMPS_FALLING_NEURONS = '''\
def bumps_approximation(f, n_bumps, x_range):
    # bump = h * [sigmoid(s(x - left)) + sigmoid(-s(x - right)) - 1]: the right edge is a neuron with
    # weight -s that falls, and the -h of every bump goes into the output bias.
    low, high = x_range
    centres = np.linspace(low, high, n_bumps)
    width = (high - low) / (n_bumps - 1)
    s = 20.0 / width
    heights = np.asarray(f(centres), dtype=float)
    W1 = np.concatenate([np.full(n_bumps, s), np.full(n_bumps, -s)]).reshape(-1, 1)
    b1 = np.concatenate([-s * (centres - width / 2), s * (centres + width / 2)])
    W2 = np.concatenate([heights, heights]).reshape(1, -1)
    return W1, b1, W2, np.array([-heights.sum()])
'''

RIGHT = [
    dict(name="linear_fit_polyfit", replace={"linear_fit": LINEAR_FIT_POLYFIT},
         style="np.polyfit with a keyword argument"),
    dict(name="linear_fit_lstsq", replace={"linear_fit": LINEAR_FIT_LSTSQ},
         style="np.linalg.lstsq with a column of ones; numbers taken out with .item()"),
    dict(name="linear_fit_loop", replace={"linear_fit": LINEAR_FIT_LOOP},
         style="a Python loop over the points with Python floats"),
    dict(name="linear_fit_cov", replace={"linear_fit": LINEAR_FIT_COV},
         style="covariance over variance; returns a list of NumPy floats"),
    dict(name="linear_fit_normal_equations", replace={"linear_fit": LINEAR_FIT_NORMAL_EQUATIONS},
         style="the normal equations solved with np.linalg.solve; NumPy floats"),
    dict(name="max_error_reshape", replace={"max_error": MAX_ERROR_RESHAPE},
         style="reshape(-1) and the array's .max(); returns a NumPy float"),
    dict(name="max_error_loop", replace={"max_error": MAX_ERROR_LOOP},
         style="a Python loop with abs and max"),
    dict(name="max_error_norm", replace={"max_error": MAX_ERROR_NORM},
         style="the infinity norm, np.linalg.norm(..., ord=np.inf)"),
    dict(name="max_error_both_sides", replace={"max_error": MAX_ERROR_BOTH_SIDES},
         style="no np.abs: the larger of t - p and p - t, flatten()"),
    dict(name="step_where", replace={"step_neuron": STEP_WHERE},
         style="np.where(condition, 1.0, 0.0)"),
    dict(name="step_heaviside", replace={"step_neuron": STEP_HEAVISIDE},
         style="np.heaviside with 0 at the jump"),
    dict(name="step_in_place", replace={"step_neuron": STEP_IN_PLACE},
         style="a zero array filled in place through a mask"),
    dict(name="step_loop", replace={"step_neuron": STEP_LOOP},
         style="a Python loop over the entries, reshaped back"),
    dict(name="sigmoid_neuron_no_cast", replace={"sigmoid_neuron": SIGMOID_NEURON_NO_CAST},
         style="np.multiply without converting x (float32 stays float32)"),
    dict(name="sigmoid_neuron_tanh", replace={"sigmoid_neuron": SIGMOID_NEURON_TANH},
         style="the stable identity sigmoid(z) = (1 + tanh(z / 2)) / 2"),
    dict(name="sigmoid_neuron_own_stable", replace={"sigmoid_neuron": SIGMOID_NEURON_OWN_STABLE},
         style="its own stable sigmoid from exp(-|z|) instead of the given one"),
    dict(name="sigmoid_neuron_loop", replace={"sigmoid_neuron": SIGMOID_NEURON_LOOP},
         style="a loop over the entries with math.exp, both stable forms"),
    dict(name="bump_from_neurons", replace={"bump": BUMP_FROM_NEURONS},
         style="two calls of the student's sigmoid_neuron with w = s and b = -s * edge"),
    dict(name="bump_keywords", replace={"bump": BUMP_KEYWORDS},
         style="sigmoid_neuron called with keyword arguments"),
    dict(name="bump_tanh", replace={"bump": BUMP_TANH},
         style="the difference of two tanh (sigmoid(a) - sigmoid(b) = (tanh(a/2) - tanh(b/2)) / 2)"),
    dict(name="bump_in_place", replace={"bump": BUMP_IN_PLACE},
         style="in-place -= and *= on a fresh array"),
    dict(name="forward_dot", replace={"forward": FORWARD_DOT},
         style="np.dot instead of @"),
    dict(name="forward_einsum", replace={"forward": FORWARD_EINSUM},
         style="np.einsum"),
    dict(name="forward_columns", replace={"forward": FORWARD_COLUMNS},
         style="samples as columns inside, transposed back at the end"),
    dict(name="forward_loop", replace={"forward": FORWARD_LOOP},
         style="a loop over the hidden neurons, accumulating in place"),
    dict(name="forward_tanh", replace={"forward": FORWARD_TANH},
         style="the hidden sigmoid written as (1 + tanh(z / 2)) / 2"),
    dict(name="bumps_loop", replace={"bumps_approximation": BUMPS_LOOP},
         style="a Python loop over the bumps, f called on one centre at a time"),
    dict(name="bumps_shared_edges", replace={"bumps_approximation": BUMPS_SHARED_EDGES},
         style="N + 1 neurons: neighbouring bumps share an edge (the text allows it)"),
    dict(name="bumps_interleaved", replace={"bumps_approximation": BUMPS_INTERLEAVED},
         style="neurons in the order left, right, left, ...; a steeper steepness 30 / width"),
    dict(name="bumps_falling_neurons", replace={"bumps_approximation": BUMPS_FALLING_NEURONS},
         style="the right edges as falling neurons (weight -s) with the heights in the output bias"),
]

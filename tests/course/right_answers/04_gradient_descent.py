"""Right answers for 04_gradient_descent, in other styles than the solution (see __init__.py)."""

# -- numerical_derivative ----------------------------------------------------------------

DERIVATIVE_NAMED_SIDES = '''\
def numerical_derivative(f, x, h=1e-5):
    forward = f(x + h)
    backward = f(x - h)
    return (forward - backward) / (2 * h)
'''

DERIVATIVE_HALF_TIMES = '''\
def numerical_derivative(f, x, h=1e-5):
    return 0.5 * (f(x + h) - f(x - h)) / h
'''

DERIVATIVE_NUMPY_UFUNCS = '''\
def numerical_derivative(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return np.divide(np.subtract(f(np.add(x, h)), f(np.subtract(x, h))), 2.0 * h)
'''

DERIVATIVE_LOOP = '''\
def numerical_derivative(f, x, h=1e-5):
    if np.ndim(x) == 0:
        return (f(x + h) - f(x - h)) / (2 * h)
    x = np.asarray(x, dtype=float)
    slopes = np.empty(x.shape)
    for i in np.ndindex(x.shape):
        slopes[i] = (f(x[i] + h) - f(x[i] - h)) / (2 * h)
    return slopes
'''

# -- numerical_gradient ------------------------------------------------------------------

GRADIENT_NUDGED_COPIES = '''\
def numerical_gradient(f, w, h=1e-5):
    grad = np.zeros(w.shape)
    for i in np.ndindex(w.shape):
        w_plus = w.copy()
        w_plus[i] += h
        w_minus = w.copy()
        w_minus[i] -= h
        grad[i] = (f(w_plus) - f(w_minus)) / (2 * h)
    return grad
'''

GRADIENT_BASIS_STEPS = '''\
def numerical_gradient(f, w, h=1e-5):
    grad = np.empty_like(w, dtype=float)
    for i in np.ndindex(*w.shape):
        step = np.zeros_like(w, dtype=float)
        step[i] = h
        grad[i] = (f(w + step) - f(w - step)) / (2 * h)
    return grad
'''

GRADIENT_FLAT_INDEX = '''\
def numerical_gradient(f, w, h=1e-5):
    grad = np.zeros(w.shape)
    for k in range(w.size):
        i = np.unravel_index(k, w.shape)
        old = w[i]
        w[i] = old + h
        f_plus = f(w)
        w[i] = old - h
        f_minus = f(w)
        w[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
'''

GRADIENT_ITERTOOLS_TRY_FINALLY = '''\
import itertools


def numerical_gradient(f, w, h=1e-5):
    grad = np.zeros(np.shape(w))
    for index in itertools.product(*[range(n) for n in w.shape]):
        saved = w[index]
        try:
            w[index] = saved + h
            up = f(w)
            w[index] = saved - h
            down = f(w)
        finally:
            w[index] = saved
        grad[index] = (up - down) / (2 * h)
    return grad
'''

# -- gradient_descent --------------------------------------------------------------------

GD_PREALLOCATED = '''\
def gradient_descent(grad, w0, lr, n_steps):
    path = np.empty((n_steps + 1, len(w0)))
    path[0] = w0
    for k in range(n_steps):
        path[k + 1] = path[k] - lr * grad(path[k])
    return path
'''

GD_IN_PLACE_COPIES = '''\
def gradient_descent(grad, w0, lr, n_steps):
    w = w0.astype(float)
    path = [w.copy()]
    for _ in range(n_steps):
        w -= lr * grad(w)
        path.append(w.copy())
    return np.vstack(path)
'''

GD_WHILE = '''\
def gradient_descent(grad, w0, lr, n_steps):
    points = [np.array(w0, dtype=float, copy=True)]
    step = 0
    while step < n_steps:
        current = points[-1]
        points.append(current - lr * np.asarray(grad(current)))
        step += 1
    return np.stack(points, axis=0)
'''

GD_KEYWORDS_TUPLE = '''\
def gradient_descent(grad, w0, lr, n_steps):
    w = np.copy(w0).astype(np.float64)
    path = (w,)
    for _ in range(n_steps):
        w = np.subtract(w, np.multiply(lr, grad(w)))
        path = path + (w,)
    return np.array(path, dtype=np.float64)
'''

# -- minibatches -------------------------------------------------------------------------

MINIBATCHES_ARRAY_SPLIT = '''\
def minibatches(n_samples, batch_size, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    return np.array_split(order, range(batch_size, n_samples, batch_size))
'''

MINIBATCHES_WHILE = '''\
def minibatches(n_samples, batch_size, seed):
    rng = np.random.default_rng(seed=seed)
    order = rng.permutation(n_samples)
    batches = []
    start = 0
    while start < n_samples:
        batches.append(order[start:start + batch_size])
        start += batch_size
    return batches
'''

MINIBATCHES_COUNTED = '''\
import math


def minibatches(n_samples, batch_size, seed):
    shuffled = np.random.default_rng(seed).permutation(n_samples)
    n_batches = math.ceil(n_samples / batch_size)
    return [shuffled[k * batch_size:min((k + 1) * batch_size, n_samples)] for k in range(n_batches)]
'''

MINIBATCHES_INT32_COPIES = '''\
def minibatches(n_samples, batch_size, seed):
    generator = np.random.default_rng(seed)
    order = generator.permutation(n_samples).astype(np.int32)
    batches = []
    for start in range(0, n_samples, batch_size):
        batches.append(order[start:start + batch_size].copy())
    return batches
'''

# -- sgd_linear_regression ---------------------------------------------------------------

SGD_PREALLOCATED = '''\
def sgd_linear_regression(X, y, lr, epochs, batch_size, seed):
    n_samples, n_features = X.shape
    per_epoch = -(-n_samples // batch_size)
    path = np.zeros((epochs * per_epoch + 1, n_features))
    row = 0
    for epoch in range(epochs):
        for batch in minibatches(n_samples=n_samples, batch_size=batch_size, seed=seed + epoch):
            w = path[row]
            residual = X[batch] @ w - y[batch]
            path[row + 1] = w - lr * 2 * X[batch].T @ residual / len(batch)
            row += 1
    return path
'''

SGD_IN_PLACE_COPIES = '''\
def sgd_linear_regression(X, y, lr, epochs, batch_size, seed):
    w = np.zeros(X.shape[1])
    path = [w.copy()]
    for epoch in range(epochs):
        for idx in minibatches(len(X), batch_size, seed + epoch):
            grad = 2.0 / len(idx) * np.dot(X[idx].T, np.dot(X[idx], w) - y[idx])
            w -= lr * grad
            path.append(w.copy())
    return np.array(path)
'''

SGD_SAMPLE_LOOP = '''\
def sgd_linear_regression(X, y, lr, epochs, batch_size, seed):
    n_samples, n_features = X.shape
    w = np.zeros(n_features)
    path = [w]
    for epoch in range(epochs):
        for idx in minibatches(n_samples, batch_size, seed + epoch):
            grad = np.zeros(n_features)
            for i in idx:
                grad += 2 * (X[i] @ w - y[i]) * X[i]
            w = w - lr * grad / len(idx)
            path.append(w)
    return np.array(path)
'''

SGD_MEAN_OF_ROWS = '''\
def sgd_linear_regression(X, y, lr, epochs, batch_size, seed):
    w = np.zeros(X.shape[1])
    path = [w]
    for e in range(epochs):
        batches = minibatches(X.shape[0], batch_size, seed=seed + e)
        for idx in batches:
            X_b, y_b = X[idx], y[idx]
            errors = X_b @ w - y_b
            grad = 2 * np.mean(errors[:, None] * X_b, axis=0)
            w = w - lr * grad
            path.append(w)
    return np.vstack(path)
'''

# -- momentum_step -----------------------------------------------------------------------

MOMENTUM_IN_PLACE = '''\
def momentum_step(w, v, g, lr, beta):
    v *= beta
    v -= lr * g
    w += v
    return w, v
'''

MOMENTUM_UFUNC_OUT = '''\
def momentum_step(w, v, g, lr, beta):
    v_new = np.empty_like(v, dtype=float)
    np.multiply(beta, v, out=v_new)
    np.subtract(v_new, lr * g, out=v_new)
    return np.add(w, v_new), v_new
'''

MOMENTUM_NAMED_COPIES = '''\
def momentum_step(w, v, g, lr, beta):
    velocity = np.array(v, dtype=float, copy=True)
    velocity = beta * velocity - lr * np.asarray(g, dtype=float)
    weights = np.array(w, dtype=float) + velocity
    return (weights, velocity)
'''

MOMENTUM_LIST_RETURN = '''\
def momentum_step(w, v, g, lr, beta):
    v_new = -(lr * g - beta * v)
    w_new = w + v_new
    return [w_new, v_new]
'''

# -- adam_step ---------------------------------------------------------------------------

ADAM_FOLDED_LR = '''\
def adam_step(w, m, v, g, t, lr, beta1, beta2, eps):
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    lr_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    return w - lr_t * m_new / (np.sqrt(v_new) + eps), m_new, v_new
'''

ADAM_IN_PLACE = '''\
def adam_step(w, m, v, g, t, lr, beta1, beta2, eps):
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * np.square(g)
    w -= lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return w, m, v
'''

ADAM_POWERS = '''\
def adam_step(w, m, v, g, t, lr, beta1, beta2, eps):
    m_next = np.add(np.multiply(beta1, m), np.multiply(1.0 - beta1, g))
    v_next = np.add(np.multiply(beta2, v), np.multiply(1.0 - beta2, np.power(g, 2)))
    m_hat = m_next / (1.0 - np.power(beta1, t))
    v_hat = v_next / (1.0 - np.power(beta2, t))
    w_next = w - lr * m_hat / (v_hat ** 0.5 + eps)
    return w_next, m_next, v_next
'''

ADAM_DICT_STATE = '''\
def adam_step(w, m, v, g, t, lr, beta1, beta2, eps):
    state = {"m": np.array(m, dtype=float), "v": np.array(v, dtype=float)}
    state["m"] = beta1 * state["m"] + (1 - beta1) * g
    state["v"] = beta2 * state["v"] + (1 - beta2) * g**2
    correction1, correction2 = 1 - beta1**t, 1 - beta2**t
    step = lr * (state["m"] / correction1) / (np.sqrt(state["v"] / correction2) + eps)
    return w - step, state["m"], state["v"]
'''

RIGHT = [
    dict(name="derivative_named_sides", replace={"numerical_derivative": DERIVATIVE_NAMED_SIDES},
         style="the two sides in named variables"),
    dict(name="derivative_half_times", replace={"numerical_derivative": DERIVATIVE_HALF_TIMES},
         style="0.5 * (...) / h instead of / (2 * h)"),
    dict(name="derivative_numpy_ufuncs", replace={"numerical_derivative": DERIVATIVE_NUMPY_UFUNCS},
         style="np.asarray and NumPy ufuncs; returns a 0-d array for a number"),
    dict(name="derivative_loop", replace={"numerical_derivative": DERIVATIVE_LOOP},
         style="a Python loop over the points of an array"),
    dict(name="gradient_nudged_copies", replace={"numerical_gradient": GRADIENT_NUDGED_COPIES},
         style="nudges copies of w, never w itself"),
    dict(name="gradient_basis_steps", replace={"numerical_gradient": GRADIENT_BASIS_STEPS},
         style="f(w + step) with a one-hot step array"),
    dict(name="gradient_flat_index", replace={"numerical_gradient": GRADIENT_FLAT_INDEX},
         style="a flat loop over w.size with np.unravel_index"),
    dict(name="gradient_itertools_try_finally", replace={"numerical_gradient": GRADIENT_ITERTOOLS_TRY_FINALLY},
         style="itertools.product over the indices, restored in a finally block"),
    dict(name="gd_preallocated", replace={"gradient_descent": GD_PREALLOCATED},
         style="a preallocated path array filled row by row"),
    dict(name="gd_in_place_copies", replace={"gradient_descent": GD_IN_PLACE_COPIES},
         style="w -= ... in place, appending copies; np.vstack"),
    dict(name="gd_while", replace={"gradient_descent": GD_WHILE},
         style="a while loop; np.stack"),
    dict(name="gd_keywords_tuple", replace={"gradient_descent": GD_KEYWORDS_TUPLE},
         style="np.subtract / np.multiply, a growing tuple"),
    dict(name="minibatches_array_split", replace={"minibatches": MINIBATCHES_ARRAY_SPLIT},
         style="np.array_split at the batch boundaries"),
    dict(name="minibatches_while", replace={"minibatches": MINIBATCHES_WHILE},
         style="default_rng(seed=seed) by keyword, a while loop"),
    dict(name="minibatches_counted", replace={"minibatches": MINIBATCHES_COUNTED},
         style="math.ceil for the number of batches, explicit slice ends"),
    dict(name="minibatches_int32_copies", replace={"minibatches": MINIBATCHES_INT32_COPIES},
         style="int32 indices, copied slices"),
    dict(name="sgd_preallocated", replace={"sgd_linear_regression": SGD_PREALLOCATED},
         style="a preallocated path; minibatches called with keywords"),
    dict(name="sgd_in_place_copies", replace={"sgd_linear_regression": SGD_IN_PLACE_COPIES},
         style="w -= ... in place with copies in the path; np.dot"),
    dict(name="sgd_sample_loop", replace={"sgd_linear_regression": SGD_SAMPLE_LOOP},
         style="the batch gradient summed sample by sample in a Python loop"),
    dict(name="sgd_mean_of_rows", replace={"sgd_linear_regression": SGD_MEAN_OF_ROWS},
         style="the gradient as np.mean of per-sample gradients; seed by keyword"),
    dict(name="momentum_in_place", replace={"momentum_step": MOMENTUM_IN_PLACE},
         style="updates w and v in place (the text allows it)"),
    dict(name="momentum_ufunc_out", replace={"momentum_step": MOMENTUM_UFUNC_OUT},
         style="ufuncs writing into a new array with out="),
    dict(name="momentum_named_copies", replace={"momentum_step": MOMENTUM_NAMED_COPIES},
         style="explicit float copies, a parenthesised tuple"),
    dict(name="momentum_list_return", replace={"momentum_step": MOMENTUM_LIST_RETURN},
         style="v_new = -(lr g - beta v), returns a list"),
    dict(name="adam_folded_lr", replace={"adam_step": ADAM_FOLDED_LR},
         style="bias correction folded into the learning rate (the text allows it)"),
    dict(name="adam_in_place", replace={"adam_step": ADAM_IN_PLACE},
         style="m, v and w updated in place; np.square"),
    dict(name="adam_powers", replace={"adam_step": ADAM_POWERS},
         style="np.power, ufuncs and ** 0.5"),
    dict(name="adam_dict_state", replace={"adam_step": ADAM_DICT_STATE},
         style="moments kept in a dict, corrections computed first"),
]

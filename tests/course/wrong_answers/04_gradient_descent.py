"""Wrong-but-plausible answers for 04_gradient_descent (see __init__.py)."""

# -- numerical_derivative ----------------------------------------------------------------

DERIVATIVE_ONE_SIDED = '''\
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h
'''

# Ignores the h it is given (right for the default h, which most visible checks use).
DERIVATIVE_FIXED_H = '''\
def numerical_derivative(f, x, h=1e-5):
    return (f(x + 1e-5) - f(x - 1e-5)) / 2e-5
'''

# -- numerical_gradient ------------------------------------------------------------------

# Nudges w in place and never puts the entries back: w ends up shifted by -h.
GRADIENT_NOT_RESTORED = '''\
def numerical_gradient(f, w, h=1e-5):
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        w[i] += h
        f_plus = f(w)
        w[i] -= 2 * h
        f_minus = f(w)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
'''

# Ignores the h it is given.
GRADIENT_FIXED_H = '''\
def numerical_gradient(f, w, h=1e-5):
    step = 1e-5
    grad = np.zeros_like(w, dtype=float)
    for i in np.ndindex(w.shape):
        old = w[i]
        w[i] = old + step
        f_plus = f(w)
        w[i] = old - step
        f_minus = f(w)
        w[i] = old
        grad[i] = (f_plus - f_minus) / (2 * step)
    return grad
'''

# Restores each entry by arithmetic (+h, -2h, +h): off in the last digit for some
# entries, so w is not exactly what it was (the text and the grader ask for exactly).
GRADIENT_RESTORED_BY_ARITHMETIC = '''\
def numerical_gradient(f, w, h=1e-5):
    grad = np.zeros_like(w, dtype=float)
    for i in np.ndindex(w.shape):
        w[i] += h
        f_plus = f(w)
        w[i] -= 2 * h
        f_minus = f(w)
        w[i] += h
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
'''

# -- gradient_descent --------------------------------------------------------------------

GD_PLUS = '''\
def gradient_descent(grad, w0, lr, n_steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(n_steps):
        w = w + lr * grad(w)
        path.append(w)
    return np.array(path)
'''

GD_OFF_BY_ONE = '''\
def gradient_descent(grad, w0, lr, n_steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(n_steps - 1):
        w = w - lr * grad(w)
        path.append(w)
    return np.array(path)
'''

# Right for two weights (the visible tests), wrong for any other number (the hidden tests).
GD_TWO_WEIGHTS = '''\
def gradient_descent(grad, w0, lr, n_steps):
    path = np.zeros((n_steps + 1, 2))
    path[0] = w0
    for k in range(n_steps):
        path[k + 1] = path[k] - lr * grad(path[k])
    return path
'''

# -- minibatches -------------------------------------------------------------------------

MINIBATCHES_NOT_SHUFFLED = '''\
def minibatches(n_samples, batch_size, seed):
    order = np.arange(n_samples)
    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]
'''

# -- sgd_linear_regression ---------------------------------------------------------------

# Averages the mini-batch gradients over the epoch and updates once per epoch.
SGD_ONCE_PER_EPOCH = '''\
def sgd_linear_regression(X, y, lr, epochs, batch_size, seed):
    n_samples, n_features = X.shape
    w = np.zeros(n_features)
    path = [w]
    for epoch in range(epochs):
        batches = minibatches(n_samples, batch_size, seed + epoch)
        grad = np.zeros(n_features)
        for idx in batches:
            grad += 2 / len(idx) * X[idx].T @ (X[idx] @ w - y[idx])
        w = w - lr * grad / len(batches)
        path.append(w)
    return np.array(path)
'''

# -- momentum_step and adam_step ---------------------------------------------------------

MOMENTUM_PLUS = '''\
def momentum_step(w, v, g, lr, beta):
    v = beta * v + lr * g
    return w + v, v
'''

ADAM_NO_BIAS_CORRECTION = '''\
def adam_step(w, m, v, g, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    return w - lr * m / (np.sqrt(v) + eps), m, v
'''

# Right for the default betas (the visible tests), wrong for others (the hidden tests).
ADAM_FIXED_BETAS = '''\
def adam_step(w, m, v, g, t, lr, beta1, beta2, eps):
    m = 0.9 * m + 0.1 * g
    v = 0.999 * v + 0.001 * g**2
    return w - lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + eps), m, v
'''

# Keeps the path as a Python list of points (plot_trajectory would take it, path[:, 0] would not).
GD_PATH_AS_LIST = '''\
def gradient_descent(grad, w0, lr, n_steps):
    path = [np.array(w0, dtype=float)]
    for _ in range(n_steps):
        path.append(path[-1] - lr * grad(path[-1]))
    return path
'''

# Shuffles every epoch with the same seed: every epoch visits the samples in one order.
SGD_SAME_SHUFFLE = '''\
def sgd_linear_regression(X, y, lr, epochs, batch_size, seed):
    w = np.zeros(X.shape[1])
    path = [w]
    for epoch in range(epochs):
        for idx in minibatches(X.shape[0], batch_size, seed):
            w = w - lr * 2 / len(idx) * X[idx].T @ (X[idx] @ w - y[idx])
            path.append(w)
    return np.array(path)
'''

# Subtracts eps: right whenever sqrt(v_hat) >> eps (every visible check), wrong for tiny gradients.
ADAM_EPS_SUBTRACTED = '''\
def adam_step(w, m, v, g, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) - eps), m, v
'''

WRONG = [
    dict(student="gd04_derivative_one_sided", replace={"numerical_derivative": DERIVATIVE_ONE_SIDED},
         fails={"numerical_derivative_test"}, visible=r"one-sided"),
    dict(student="gd04_derivative_fixed_h", replace={"numerical_derivative": DERIVATIVE_FIXED_H},
         fails={"numerical_derivative_test"}, visible=r"(?s)h=0\.1.*h that is passed in"),
    dict(student="gd04_gradient_fixed_h", replace={"numerical_gradient": GRADIENT_FIXED_H},
         fails={"numerical_gradient_test"}, visible=r"(?s)h=0\.1.*h that is passed in"),
    dict(student="gd04_gradient_not_restored", replace={"numerical_gradient": GRADIENT_NOT_RESTORED},
         fails={"numerical_gradient_test"}, visible=r"changed w.*Put every nudged entry back"),
    dict(student="gd04_gradient_restored_by_arithmetic",
         replace={"numerical_gradient": GRADIENT_RESTORED_BY_ARITHMETIC},
         fails={"numerical_gradient_test"}, visible=r"(?s)changed w.*exactly its old value.*last digit"),
    dict(student="gd04_plus_instead_of_minus", replace={"gradient_descent": GD_PLUS},
         fails={"gradient_descent_test"}, visible=r"sign is flipped.*\+ instead of -"),
    dict(student="gd04_off_by_one_steps", replace={"gradient_descent": GD_OFF_BY_ONE},
         fails={"gradient_descent_test"}, visible=r"(?s)Wrong shape.*n_steps \+ 1 rows"),
    dict(student="gd04_two_weights_only", replace={"gradient_descent": GD_TWO_WEIGHTS},
         fails={"gradient_descent_test"}, visible=None),
    dict(student="gd04_batches_not_shuffled", replace={"minibatches": MINIBATCHES_NOT_SHUFFLED},
         fails={"minibatches_test"}, visible=r"original order.*shuffle"),
    dict(student="gd04_update_once_per_epoch", replace={"sgd_linear_regression": SGD_ONCE_PER_EPOCH},
         fails={"sgd_linear_regression_test"}, visible=r"not once per epoch"),
    dict(student="gd04_momentum_plus", replace={"momentum_step": MOMENTUM_PLUS},
         fails={"momentum_step_test"}, visible=r"sign is flipped"),
    dict(student="gd04_adam_no_bias_correction", replace={"adam_step": ADAM_NO_BIAS_CORRECTION},
         fails={"adam_step_test"}, visible=r"bias correction"),
    dict(student="gd04_adam_fixed_betas", replace={"adam_step": ADAM_FIXED_BETAS},
         fails={"adam_step_test"}, visible=None),
    dict(student="gd04_path_as_list", replace={"gradient_descent": GD_PATH_AS_LIST},
         fails={"gradient_descent_test"}, visible=r"returned a Python list of 4 points.*np\.array\(path\)"),
    dict(student="gd04_same_shuffle_every_epoch", replace={"sgd_linear_regression": SGD_SAME_SHUFFLE},
         fails={"sgd_linear_regression_test"}, visible=None),
    dict(student="gd04_adam_eps_subtracted", replace={"adam_step": ADAM_EPS_SUBTRACTED},
         fails={"adam_step_test"}, visible=None),
]

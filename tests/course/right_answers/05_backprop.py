"""Right answers for 05_backprop, in other styles than the solution (see __init__.py).

Each replaces the whole solution cell. Later exercises call earlier ones, so an answer
here must be right for every caller too (two_layer_loss uses the student's
dense_backward, tanh_backward and softmax_cross_entropy; overfit_tiny_batch uses
train_step).
"""

# -- neuron_backward ---------------------------------------------------------------------

NEURON_LOOP = '''\
def neuron_backward(x, w, b, t):
    """Loss (sigmoid(w @ x + b) - t)**2 of one neuron and its gradients."""
    z = b
    for i in range(len(x)):
        z = z + w[i] * x[i]
    a = sigmoid(z)
    loss = (a - t) ** 2
    dz = 2 * (a - t) * a * (1 - a)
    dw = np.zeros(len(w))
    for i in range(len(w)):
        dw[i] = dz * x[i]
    return loss, dw, dz
'''

NEURON_KEYWORD_SIGMOID_DERIVATIVE_TABLE = '''\
def neuron_backward(x, w, b, t):
    """Loss (sigmoid(w @ x + b) - t)**2 of one neuron and its gradients."""
    a = sigmoid(z=np.dot(w, x) + b)
    dL_da = 2.0 * (a - t)
    da_dz = a * (1.0 - a)
    dL_dz = dL_da * da_dz
    return float(np.square(a - t)), np.multiply(dL_dz, x), float(dL_dz)
'''

NEURON_TANH_FORM = '''\
def neuron_backward(x, w, b, t):
    """Loss (sigmoid(w @ x + b) - t)**2 of one neuron and its gradients."""
    z = np.sum(w * x) + b
    a = 0.5 * (1.0 + np.tanh(0.5 * z))     # the same sigmoid, written with tanh (no overflow)
    dz = 2.0 * (a - t) * a * (1.0 - a)
    return (a - t) * (a - t), x * dz, np.asarray(dz)
'''

NEURON_DERIVATIVE_FROM_Z = '''\
def neuron_backward(x, w, b, t):
    """Loss (sigmoid(w @ x + b) - t)**2 of one neuron and its gradients."""
    z = x @ w + b
    a = sigmoid(z)
    slope = sigmoid(z) * sigmoid(-z)       # a (1 - a), computed from z
    grad_z = 2 * (a - t) * slope
    dw = grad_z * np.asarray(x, dtype=float)
    db = grad_z * 1.0
    return (a - t) ** 2, dw, db
'''

# -- dense_backward ----------------------------------------------------------------------

DENSE_SAMPLE_LOOP = '''\
def dense_backward(dout, cache):
    """Backward pass of a dense layer."""
    X, W = cache
    dX = np.zeros((dout.shape[0], W.shape[1]), dtype=np.result_type(dout, W))
    dW = np.zeros(W.shape, dtype=np.result_type(dout, X))
    db = np.zeros(W.shape[0], dtype=dout.dtype)
    for i in range(dout.shape[0]):
        dX[i] = W.T @ dout[i]
        dW += np.outer(dout[i], X[i])
        db += dout[i]
    return dX, dW, db
'''

DENSE_EINSUM = '''\
def dense_backward(dout, cache):
    """Backward pass of a dense layer."""
    X, W = cache
    dX = np.einsum("ij,jk->ik", dout, W)
    dW = np.einsum("ij,ik->jk", dout, X)
    db = np.einsum("ij->j", dout)
    return dX, dW, db
'''

DENSE_KEYWORDS_AND_DOT = '''\
def dense_backward(dout, cache):
    """Backward pass of a dense layer."""
    X, W = cache
    dX = np.matmul(dout, W)
    dW = np.dot(X.T, dout).T
    db = np.sum(dout, axis=0, keepdims=False)
    return (dX, dW, db)
'''

DENSE_ONES_VECTOR = '''\
def dense_backward(dout, cache):
    """Backward pass of a dense layer."""
    X, W = cache
    n = dout.shape[0]
    db = np.ones(n, dtype=dout.dtype) @ dout      # a sum over the samples, as a product
    dW = np.transpose(dout) @ X
    dX = (W.T @ dout.T).T
    return dX, dW, db
'''

# -- tanh_backward -----------------------------------------------------------------------

TANH_SQUARE = '''\
def tanh_backward(dout, cache):
    """Backward pass of tanh. cache = t = tanh(X)."""
    return dout * (1 - cache ** 2)
'''

TANH_FACTORED = '''\
def tanh_backward(dout, cache):
    """Backward pass of tanh. cache = t = tanh(X)."""
    t = cache
    return (1 - t) * (1 + t) * dout
'''

TANH_INPLACE_ON_COPY = '''\
def tanh_backward(dout, cache):
    """Backward pass of tanh. cache = t = tanh(X)."""
    dX = np.array(dout, copy=True)
    dX *= 1 - np.square(cache)
    return dX
'''

TANH_UFUNCS = '''\
def tanh_backward(dout, cache):
    """Backward pass of tanh. cache = t = tanh(X)."""
    return np.subtract(dout, np.multiply(dout, np.multiply(cache, cache)))
'''

# -- relu_backward -----------------------------------------------------------------------

RELU_WHERE = '''\
def relu_backward(dout, cache):
    """Backward pass of ReLU. cache = X, the input."""
    return np.where(cache > 0, dout, 0.0)
'''

RELU_MASKED_COPY = '''\
def relu_backward(dout, cache):
    """Backward pass of ReLU. cache = X, the input."""
    dX = dout.copy()
    dX[cache <= 0] = 0
    return dX
'''

RELU_SLOPE_ONE_AT_ZERO = '''\
def relu_backward(dout, cache):
    """Backward pass of ReLU. cache = X, the input. Slope 1 at exactly 0 (the other convention)."""
    return dout * np.heaviside(cache, 1.0)
'''

RELU_FLOAT_MASK = '''\
def relu_backward(dout, cache):
    """Backward pass of ReLU. cache = X, the input."""
    mask = (np.asarray(cache) > 0).astype(np.asarray(dout).dtype)
    return np.multiply(dout, mask)
'''

# -- softmax_cross_entropy ---------------------------------------------------------------

SOFTMAX_ROW_LOOP = '''\
def softmax_cross_entropy(Z, y):
    """Average cross-entropy of softmax(Z) with integer labels y, and its gradient."""
    n = Z.shape[0]
    loss = 0.0
    dZ = np.zeros(Z.shape)
    for i in range(n):
        shifted = Z[i] - np.max(Z[i])
        log_norm = np.log(np.sum(np.exp(shifted)))
        log_p = shifted - log_norm
        loss -= log_p[y[i]]
        dZ[i] = np.exp(log_p)
        dZ[i, y[i]] -= 1
    return loss / n, dZ / n
'''

SOFTMAX_ONE_HOT = '''\
def softmax_cross_entropy(Z, y):
    """Average cross-entropy of softmax(Z) with integer labels y, and its gradient."""
    n, k = Z.shape
    Y = np.eye(k)[y]                               # one-hot labels
    shifted = Z - np.max(Z, axis=1)[:, None]
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1))[:, None]
    loss = -np.sum(Y * log_p) / n
    return loss, (np.exp(log_p) - Y) / n
'''

SOFTMAX_LOGADDEXP = '''\
def softmax_cross_entropy(Z, y):
    """Average cross-entropy of softmax(Z) with integer labels y, and its gradient."""
    log_norm = np.logaddexp.reduce(Z, axis=1, keepdims=True)   # log sum exp, computed stably
    log_p = Z - log_norm
    rows = np.arange(len(y))
    loss = float(-np.mean(log_p[rows, y]))
    grad = np.exp(log_p)
    grad[rows, y] = grad[rows, y] - 1.0
    return loss, grad / len(y)
'''

SOFTMAX_TAKE_ALONG_AXIS = '''\
def softmax_cross_entropy(Z, y):
    """Average cross-entropy of softmax(Z) with integer labels y, and its gradient."""
    shifted = Z - Z.max(axis=1, keepdims=True)
    exps = np.exp(shifted)
    sums = exps.sum(axis=1, keepdims=True)
    P = exps / sums
    log_p_true = np.take_along_axis(shifted, y[:, None], axis=1) - np.log(sums)
    dZ = P.copy()
    np.add.at(dZ, (np.arange(len(y)), y), -1.0)
    return -log_p_true.mean(), dZ / Z.shape[0]
'''

# -- two_layer_loss ----------------------------------------------------------------------

TWO_LAYER_KEYWORDS = '''\
def two_layer_loss(params, X, y):
    """Loss and gradients of a dense-tanh-dense network with a softmax cross-entropy loss."""
    A1, cache1 = dense_forward(X=X, W=params["W1"], b=params["b1"])
    H1, cache_tanh = tanh_forward(X=A1)
    Z, cache2 = dense_forward(X=H1, W=params["W2"], b=params["b2"])
    loss, dZ = softmax_cross_entropy(Z=Z, y=y)
    dH1, dW2, db2 = dense_backward(dout=dZ, cache=cache2)
    dA1 = tanh_backward(dout=dH1, cache=cache_tanh)
    dX, dW1, db1 = dense_backward(dout=dA1, cache=cache1)
    return loss, dict(W1=dW1, b1=db1, W2=dW2, b2=db2)
'''

TWO_LAYER_LAYER_LOOP = '''\
def two_layer_loss(params, X, y):
    """Loss and gradients of a dense-tanh-dense network with a softmax cross-entropy loss."""
    caches = []
    out = X
    for layer in (1, 2):
        out, cache = dense_forward(out, params[f"W{layer}"], params[f"b{layer}"])
        caches.append(("dense", layer, cache))
        if layer == 1:
            out, cache = tanh_forward(out)
            caches.append(("tanh", layer, cache))
    loss, dout = softmax_cross_entropy(out, y)
    grads = {}
    for kind, layer, cache in reversed(caches):
        if kind == "tanh":
            dout = tanh_backward(dout, cache)
        else:
            dout, grads[f"W{layer}"], grads[f"b{layer}"] = dense_backward(dout, cache)
    return loss, grads
'''

TWO_LAYER_WORKS_ON_COPIES = '''\
def two_layer_loss(params, X, y):
    """Loss and gradients of a dense-tanh-dense network with a softmax cross-entropy loss."""
    W1, b1, W2, b2 = (params[k].copy() for k in ("W1", "b1", "W2", "b2"))
    hidden_pre, c1 = dense_forward(X.copy(), W1, b1)
    hidden, c_tanh = tanh_forward(hidden_pre)
    scores, c2 = dense_forward(hidden, W2, b2)
    loss, d_scores = softmax_cross_entropy(scores, y)
    grads = {}
    d_hidden, grads["W2"], grads["b2"] = dense_backward(d_scores, c2)
    _, grads["W1"], grads["b1"] = dense_backward(tanh_backward(d_hidden, c_tanh), c1)
    return loss, grads
'''

TWO_LAYER_NP_TANH = '''\
def two_layer_loss(params, X, y):
    """Loss and gradients of a dense-tanh-dense network with a softmax cross-entropy loss."""
    pre = X @ params["W1"].T + params["b1"]
    H = np.tanh(pre)                       # the tanh layer's output is its cache
    scores = H @ params["W2"].T + params["b2"]
    loss, d_scores = softmax_cross_entropy(scores, y)
    dH, dW2, db2 = dense_backward(d_scores, (H, params["W2"]))
    d_pre = tanh_backward(dH, H)
    _, dW1, db1 = dense_backward(d_pre, (X, params["W1"]))
    return float(loss), {"b2": db2, "W2": dW2, "b1": db1, "W1": dW1}
'''

# -- train_step --------------------------------------------------------------------------

TRAIN_STEP_REPLACE = '''\
def train_step(loss_fn, params, X, y, lr):
    """One step of gradient descent on every array of params; returns the loss before the step."""
    loss, grads = loss_fn(params, X, y)
    for key in list(params):
        params[key] = params[key] - lr * grads[key]
    return loss
'''

TRAIN_STEP_KEYWORDS = '''\
def train_step(loss_fn, params, X, y, lr):
    """One step of gradient descent on every array of params; returns the loss before the step."""
    loss, grads = loss_fn(params=params, X=X, y=y)
    for name, grad in grads.items():
        np.subtract(params[name], lr * grad, out=params[name])
    return loss
'''

TRAIN_STEP_UPDATE_DICT = '''\
def train_step(loss_fn, params, X, y, lr):
    """One step of gradient descent on every array of params; returns the loss before the step."""
    result = loss_fn(params, X, y)
    params.update({key: value - lr * result[1][key] for key, value in params.items()})
    return result[0]
'''

TRAIN_STEP_ITEMS_INPLACE = '''\
def train_step(loss_fn, params, X, y, lr):
    """One step of gradient descent on every array of params; returns the loss before the step."""
    loss_before, gradients = loss_fn(params, X, y)
    for key, value in params.items():
        value -= gradients[key] * lr        # in place: the array in the dict changes
    return loss_before
'''

# -- overfit_tiny_batch ------------------------------------------------------------------

OVERFIT_DEEPCOPY_WHILE = '''\
import copy


def overfit_tiny_batch(loss_fn, params, X, y, lr, n_steps, n_samples=20):
    """Train a copy of params on the first n_samples samples for n_steps steps of train_step."""
    tiny_params = copy.deepcopy(params)
    X_tiny = X[:n_samples]
    y_tiny = y[:n_samples]
    losses = []
    while len(losses) < n_steps:
        losses.append(train_step(loss_fn, tiny_params, X_tiny, y_tiny, lr))
    return losses
'''

OVERFIT_ARRAY_OF_LOSSES = '''\
def overfit_tiny_batch(loss_fn, params, X, y, lr, n_steps, n_samples=20):
    """Train a copy of params on the first n_samples samples for n_steps steps of train_step."""
    tiny_params = {key: np.array(value) for key, value in params.items()}
    losses = np.zeros(n_steps)
    for step in range(n_steps):
        losses[step] = train_step(loss_fn, tiny_params, X[0:n_samples], y[0:n_samples], lr)
    return losses
'''

OVERFIT_KEYWORDS = '''\
def overfit_tiny_batch(loss_fn, params, X, y, lr, n_steps, n_samples=20):
    """Train a copy of params on the first n_samples samples for n_steps steps of train_step."""
    tiny_params = dict((key, np.copy(value)) for key, value in params.items())
    X_tiny, y_tiny = np.asarray(X)[:n_samples], np.asarray(y)[:n_samples]
    return [train_step(loss_fn=loss_fn, params=tiny_params, X=X_tiny, y=y_tiny, lr=lr) for _ in range(n_steps)]
'''

OVERFIT_OWN_UPDATE = '''\
def overfit_tiny_batch(loss_fn, params, X, y, lr, n_steps, n_samples=20):
    """Train a copy of params on the first n_samples samples for n_steps steps of gradient descent."""
    current = params                        # never changed: every step builds new arrays
    losses = []
    for _ in range(n_steps):
        loss, grads = loss_fn(current, X[:n_samples], y[:n_samples])
        losses.append(float(loss))
        current = {key: current[key] - lr * grads[key] for key in current}
    return losses
'''

OVERFIT_TUPLE_OF_FLOATS = '''\
def overfit_tiny_batch(loss_fn, params, X, y, lr, n_steps, n_samples=20):
    """Train a copy of params on the first n_samples samples for n_steps steps of train_step."""
    copied = {}
    for key in params:
        copied[key] = params[key] + 0.0     # a new array with the same values
    batch = (X[:n_samples].copy(), y[:n_samples].copy())
    return list(float(train_step(loss_fn, copied, *batch, lr)) for _ in range(n_steps))
'''

# -- train_step_l2 -----------------------------------------------------------------------

L2_WRAPS_TRAIN_STEP = '''\
def train_step_l2(loss_fn, params, X, y, lr, lam):
    """One step of gradient descent with L2 weight decay on the weight matrices."""
    def regularised_loss(params, X, y):
        loss, grads = loss_fn(params, X, y)
        grads = dict(grads)
        for key in params:
            if key.startswith("W"):
                loss = loss + lam / 2 * np.sum(params[key] ** 2)
                grads[key] = grads[key] + lam * params[key]
        return loss, grads
    return train_step(regularised_loss, params, X, y, lr)
'''

L2_MULTIPLICATIVE_DECAY = '''\
def train_step_l2(loss_fn, params, X, y, lr, lam):
    """One step of gradient descent with L2 weight decay on the weight matrices."""
    loss, grads = loss_fn(params, X, y)
    weights = [key for key in params if key[0] == "W"]
    loss = loss + 0.5 * lam * sum(float(np.vdot(params[key], params[key])) for key in weights)
    for key in weights:
        params[key] *= 1 - lr * lam          # decay first: (1 - lr lam) W - lr dW is the same step
    for key in params:
        params[key] -= lr * grads[key]
    return loss
'''

L2_NDIM_REPLACE = '''\
def train_step_l2(loss_fn, params, X, y, lr, lam):
    """One step of gradient descent with L2 weight decay on the weight matrices."""
    loss, grads = loss_fn(params=params, X=X, y=y)
    new_params, penalty = {}, 0.0
    for key, value in params.items():
        if np.ndim(value) >= 2:              # the weight matrices (the biases are vectors)
            penalty = penalty + lam * np.sum(value * value) / 2
            new_params[key] = value - lr * (grads[key] + lam * value)
        else:
            new_params[key] = value - lr * grads[key]
    params.update(new_params)
    return loss + penalty
'''

L2_NORM_AND_LOOPS = '''\
def train_step_l2(loss_fn, params, X, y, lr, lam):
    """One step of gradient descent with L2 weight decay on the weight matrices."""
    data_loss, grads = loss_fn(params, X, y)
    penalty = 0.0
    for key in sorted(params):
        if not key.startswith("b"):
            penalty += 0.5 * lam * np.linalg.norm(params[key]) ** 2
    for key, value in params.items():
        step = grads[key].copy()
        if key.startswith("W"):
            step += lam * value
        np.subtract(value, lr * step, out=value)
    return float(data_loss + penalty)
'''

RIGHT = [
    dict(name="neuron_loop", replace={"neuron_backward": NEURON_LOOP},
         style="Python loops for the weighted sum and for dw"),
    dict(name="neuron_keyword_table", replace={"neuron_backward": NEURON_KEYWORD_SIGMOID_DERIVATIVE_TABLE},
         style="sigmoid(z=...) by keyword, np.dot, one variable per row of the table, floats returned"),
    dict(name="neuron_tanh_form", replace={"neuron_backward": NEURON_TANH_FORM},
         style="the sigmoid written as (1 + tanh(z / 2)) / 2; db as a 0-d array"),
    dict(name="neuron_slope_from_z", replace={"neuron_backward": NEURON_DERIVATIVE_FROM_Z},
         style="x @ w; the slope as sigmoid(z) * sigmoid(-z)"),
    dict(name="dense_sample_loop", replace={"dense_backward": DENSE_SAMPLE_LOOP},
         style="a Python loop over the samples, outer products"),
    dict(name="dense_einsum", replace={"dense_backward": DENSE_EINSUM}, style="np.einsum"),
    dict(name="dense_dot_keywords", replace={"dense_backward": DENSE_KEYWORDS_AND_DOT},
         style="np.matmul, (X.T @ dout).T, np.sum(axis=0, keepdims=False)"),
    dict(name="dense_ones_vector", replace={"dense_backward": DENSE_ONES_VECTOR},
         style="db as ones @ dout, dX as (W.T @ dout.T).T"),
    dict(name="tanh_square", replace={"tanh_backward": TANH_SQUARE}, style="cache ** 2"),
    dict(name="tanh_factored", replace={"tanh_backward": TANH_FACTORED}, style="(1 - t)(1 + t)"),
    dict(name="tanh_inplace_on_copy", replace={"tanh_backward": TANH_INPLACE_ON_COPY},
         style="*= on a copy of dout"),
    dict(name="tanh_ufuncs", replace={"tanh_backward": TANH_UFUNCS}, style="dout - dout t t with ufuncs"),
    dict(name="relu_where", replace={"relu_backward": RELU_WHERE}, style="np.where"),
    dict(name="relu_masked_copy", replace={"relu_backward": RELU_MASKED_COPY},
         style="a copy of dout with the blocked entries set to 0"),
    dict(name="relu_slope_one_at_zero", replace={"relu_backward": RELU_SLOPE_ONE_AT_ZERO},
         style="np.heaviside: slope 1 at exactly 0, the other accepted convention"),
    dict(name="relu_float_mask", replace={"relu_backward": RELU_FLOAT_MASK},
         style="a float mask of dout's dtype, np.multiply"),
    dict(name="softmax_row_loop", replace={"softmax_cross_entropy": SOFTMAX_ROW_LOOP},
         style="a Python loop over the rows"),
    dict(name="softmax_one_hot", replace={"softmax_cross_entropy": SOFTMAX_ONE_HOT},
         style="one-hot labels from np.eye, (P - Y) / n"),
    dict(name="softmax_logaddexp", replace={"softmax_cross_entropy": SOFTMAX_LOGADDEXP},
         style="np.logaddexp.reduce for the log of the sum, without shifting by the maximum"),
    dict(name="softmax_take_along_axis", replace={"softmax_cross_entropy": SOFTMAX_TAKE_ALONG_AXIS},
         style="np.take_along_axis for the true class, np.add.at for the one-hot subtraction"),
    dict(name="two_layer_keywords", replace={"two_layer_loss": TWO_LAYER_KEYWORDS},
         style="every helper called with keyword arguments; grads built with dict(...)"),
    dict(name="two_layer_layer_loop", replace={"two_layer_loss": TWO_LAYER_LAYER_LOOP},
         style="a loop over the layers, caches in a list, backward in reverse"),
    dict(name="two_layer_on_copies", replace={"two_layer_loss": TWO_LAYER_WORKS_ON_COPIES},
         style="works on copies of the parameters and of X"),
    dict(name="two_layer_np_tanh", replace={"two_layer_loss": TWO_LAYER_NP_TANH},
         style="forward pass written out with @ and np.tanh, caches built by hand; a float loss"),
    dict(name="train_step_replace", replace={"train_step": TRAIN_STEP_REPLACE},
         style="params[key] = params[key] - ... (replaces the arrays in the dict)"),
    dict(name="train_step_keywords", replace={"train_step": TRAIN_STEP_KEYWORDS},
         style="loss_fn called by keyword; np.subtract(..., out=...) over grads.items()"),
    dict(name="train_step_update_dict", replace={"train_step": TRAIN_STEP_UPDATE_DICT},
         style="params.update with a dict comprehension"),
    dict(name="train_step_items_inplace", replace={"train_step": TRAIN_STEP_ITEMS_INPLACE},
         style="value -= ... over params.items()"),
    dict(name="overfit_deepcopy_while", replace={"overfit_tiny_batch": OVERFIT_DEEPCOPY_WHILE},
         style="copy.deepcopy and a while loop"),
    dict(name="overfit_array_of_losses", replace={"overfit_tiny_batch": OVERFIT_ARRAY_OF_LOSSES},
         style="np.array copies, X[0:n], the losses in a preallocated array"),
    dict(name="overfit_keywords", replace={"overfit_tiny_batch": OVERFIT_KEYWORDS},
         style="train_step called by keyword; np.copy; np.asarray before slicing"),
    dict(name="overfit_own_update", replace={"overfit_tiny_batch": OVERFIT_OWN_UPDATE},
         style="its own gradient-descent update with new arrays instead of train_step"),
    dict(name="overfit_tuple_of_floats", replace={"overfit_tiny_batch": OVERFIT_TUPLE_OF_FLOATS},
         style="copies made with + 0.0, the batch as a tuple unpacked into train_step"),
    dict(name="l2_wraps_train_step", replace={"train_step_l2": L2_WRAPS_TRAIN_STEP},
         style="wraps loss_fn in a regularised loss and hands it to the student's own train_step"),
    dict(name="l2_multiplicative_decay", replace={"train_step_l2": L2_MULTIPLICATIVE_DECAY},
         style="decays first, W *= 1 - lr * lam, then the plain step; penalty with np.vdot"),
    dict(name="l2_ndim_replace", replace={"train_step_l2": L2_NDIM_REPLACE},
         style="weights found by ndim >= 2, new arrays put in with params.update, loss_fn by keyword"),
    dict(name="l2_norm_and_loops", replace={"train_step_l2": L2_NORM_AND_LOOPS},
         style="penalty from np.linalg.norm(W)**2 over the keys not starting with b, np.subtract(..., out=...)"),
]

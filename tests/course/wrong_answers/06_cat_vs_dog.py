"""Wrong-but-plausible answers for 06_cat_vs_dog (see __init__.py).

Every submission costs a full run of the notebook in the grading test, so the mistakes
travel in groups: each group has at most one mistake per exercise (the exercises are
graded independently), and each failing test's visible message must name its mistake.
"""

# --- Exercise 1: preprocess ------------------------------------------------------------

# Standardises every set with its own statistics: right for the training set, wrong for
# the test set and for a single new picture.
PREPROCESS_OWN_STATS = '''\
def preprocess(images, mean=None, std=None):
    X = images.reshape(images.shape[0], -1).astype(np.float32) / 255
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std = np.where(std < 1e-6, 1.0, std)
    return (X - mean) / std, mean, std
'''

# Divides the uint8 pixels in place: NumPy refuses to store fractions in uint8.
PREPROCESS_UINT8_IN_PLACE = '''\
def preprocess(images, mean=None, std=None):
    X = images.reshape(images.shape[0], -1)
    X /= 255
    if mean is None:
        mean = X.mean(axis=0)
        std = X.std(axis=0)
        std[std < 1e-6] = 1.0
    return (X - mean) / std, mean, std
'''

# Replaces only an exact 0 by 1: fine for the visible tests, where a constant column's
# std comes out as exactly 0, but rounding leaves ~3e-8 for other constant columns, and
# dividing a new picture by that blows it up (hidden tests).
PREPROCESS_EXACT_ZERO = '''\
def preprocess(images, mean=None, std=None):
    X = images.reshape(images.shape[0], -1).astype(np.float32) / 255
    if mean is None:
        mean = X.mean(axis=0)
        std = X.std(axis=0)
        std[std == 0] = 1.0
    return (X - mean) / std, mean, std
'''

# Scales and standardises the pictures but keeps their shape (n, h, w, 3).
PREPROCESS_NOT_FLATTENED = '''\
def preprocess(images, mean=None, std=None):
    X = images.astype(np.float32) / 255
    if mean is None:
        mean = X.mean(axis=0)
        std = X.std(axis=0)
        std[std < 1e-6] = 1.0
    return (X - mean) / std, mean, std
'''

# --- Exercise 2: predict_proba ---------------------------------------------------------

PREDICT_PROBA_SCORES = '''\
def predict_proba(params, X):
    out = X
    n_layers = len(params) // 2
    for k in range(1, n_layers + 1):
        out = out @ params[f"W{k}"].T + params[f"b{k}"]
        if k < n_layers:
            out = np.maximum(out, 0)
    return out
'''

PREDICT_PROBA_NAIVE_SOFTMAX = '''\
def predict_proba(params, X):
    out = X
    n_layers = len(params) // 2
    for k in range(1, n_layers + 1):
        out = out @ params[f"W{k}"].T + params[f"b{k}"]
        if k < n_layers:
            out = np.maximum(out, 0)
    e = np.exp(out)
    return e / e.sum(axis=1, keepdims=True)
'''

# Right for the two-layer network of the visible tests, a KeyError for one layer and
# wrong for three (hidden tests).
PREDICT_PROBA_TWO_LAYERS = '''\
def predict_proba(params, X):
    hidden = np.maximum(X @ params["W1"].T + params["b1"], 0)
    scores = hidden @ params["W2"].T + params["b2"]
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
'''

# --- Exercise 3a: loss_and_gradients -----------------------------------------------------

# The scores' gradient written by hand without the 1/n of the mean (the loss itself is the mean):
# every gradient n times too large.
LOSS_GRADS_MISSING_N = '''\
def loss_and_gradients(params, X, y):
    n_layers = len(params) // 2
    As, Zs = [X], []
    for k in range(1, n_layers + 1):
        Z = As[-1] @ params[f"W{k}"].T + params[f"b{k}"]
        Zs.append(Z)
        As.append(np.maximum(Z, 0) if k < n_layers else Z)
    scores = As[-1]
    shifted = scores - scores.max(axis=1, keepdims=True)
    P = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    rows = np.arange(len(y))
    loss = -np.log(P[rows, y]).mean()
    dZ = P.copy()
    dZ[rows, y] -= 1
    grads = {}
    for k in range(n_layers, 0, -1):
        grads[f"W{k}"] = dZ.T @ As[k - 1]
        grads[f"b{k}"] = dZ.sum(axis=0)
        if k > 1:
            dZ = (dZ @ params[f"W{k}"]) * (Zs[k - 2] > 0)
    return loss, grads
'''

# The gradient passes back through the ReLUs as if they were not there.
LOSS_GRADS_NO_MASK = '''\
def loss_and_gradients(params, X, y):
    n_layers = len(params) // 2
    caches, out = [], X
    for k in range(1, n_layers + 1):
        Z, cache = dense_forward(out, params[f"W{k}"], params[f"b{k}"])
        caches.append(cache)
        out = np.maximum(Z, 0) if k < n_layers else Z
    loss, d_out = softmax_cross_entropy_loss(out, y)
    grads = {}
    for k in range(n_layers, 0, -1):
        d_out, grads[f"W{k}"], grads[f"b{k}"] = dense_backward(d_out, caches[k - 1])
    return loss, grads
'''

# A ReLU mask on every layer, the last one included (its forward pass has no ReLU).
LOSS_GRADS_MASK_ON_LAST = '''\
def loss_and_gradients(params, X, y):
    n_layers = len(params) // 2
    caches, out = [], X
    for k in range(1, n_layers + 1):
        Z, cache = dense_forward(out, params[f"W{k}"], params[f"b{k}"])
        caches.append((cache, Z))
        out = np.maximum(Z, 0) if k < n_layers else Z
    loss, d_out = softmax_cross_entropy_loss(out, y)
    grads = {}
    for k in range(n_layers, 0, -1):
        cache, Z = caches[k - 1]
        d_out = d_out * (Z > 0)
        d_out, grads[f"W{k}"], grads[f"b{k}"] = dense_backward(d_out, cache)
    return loss, grads
'''

# The bias gradient summed over the units instead of over the samples.
LOSS_GRADS_BIAS_AXIS = '''\
def loss_and_gradients(params, X, y):
    n_layers = len(params) // 2
    As, Zs = [X], []
    for k in range(1, n_layers + 1):
        Z = As[-1] @ params[f"W{k}"].T + params[f"b{k}"]
        Zs.append(Z)
        As.append(np.maximum(Z, 0) if k < n_layers else Z)
    loss, dZ = softmax_cross_entropy_loss(As[-1], y)
    grads = {}
    for k in range(n_layers, 0, -1):
        grads[f"W{k}"] = dZ.T @ As[k - 1]
        grads[f"b{k}"] = dZ.sum(axis=1)
        dZ = (dZ @ params[f"W{k}"]) * (Zs[k - 2] > 0) if k > 1 else None
    return loss, grads
'''

# The weight gradient the wrong way round: (n_in, n_out) instead of W's (n_out, n_in).
LOSS_GRADS_TRANSPOSED_W = '''\
def loss_and_gradients(params, X, y):
    n_layers = len(params) // 2
    As, Zs = [X], []
    for k in range(1, n_layers + 1):
        Z = As[-1] @ params[f"W{k}"].T + params[f"b{k}"]
        Zs.append(Z)
        As.append(np.maximum(Z, 0) if k < n_layers else Z)
    loss, dZ = softmax_cross_entropy_loss(As[-1], y)
    grads = {}
    for k in range(n_layers, 0, -1):
        grads[f"W{k}"] = As[k - 1].T @ dZ
        grads[f"b{k}"] = dZ.sum(axis=0)
        if k > 1:
            dZ = (dZ @ params[f"W{k}"]) * (Zs[k - 2] > 0)
    return loss, grads
'''

# Backpropagates one step only: the gradients of the last layer, nothing below it.
LOSS_GRADS_LAST_LAYER_ONLY = '''\
def loss_and_gradients(params, X, y):
    n_layers = len(params) // 2
    out = X
    for k in range(1, n_layers + 1):
        Z, cache = dense_forward(out, params[f"W{k}"], params[f"b{k}"])
        out = np.maximum(Z, 0) if k < n_layers else Z
    loss, d_scores = softmax_cross_entropy_loss(out, y)
    _, dW, db = dense_backward(d_scores, cache)
    return loss, {f"W{n_layers}": dW, f"b{n_layers}": db}
'''

# The loss summed over the samples, not averaged (the gradients are right).
LOSS_SUMMED = '''\
def loss_and_gradients(params, X, y):
    n_layers = len(params) // 2
    caches, out = [], X
    for k in range(1, n_layers + 1):
        Z, cache = dense_forward(out, params[f"W{k}"], params[f"b{k}"])
        caches.append((cache, Z))
        out = np.maximum(Z, 0) if k < n_layers else Z
    loss, d_out = softmax_cross_entropy_loss(out, y)
    grads = {}
    for k in range(n_layers, 0, -1):
        cache, Z = caches[k - 1]
        if k < n_layers:
            d_out = d_out * (Z > 0)
        d_out, grads[f"W{k}"], grads[f"b{k}"] = dense_backward(d_out, cache)
    return loss * X.shape[0], grads
'''

# Written out for exactly three layers, the network of the visible test: a KeyError for
# fewer layers, the fourth layer ignored for more (hidden tests).
LOSS_GRADS_THREE_LAYERS = '''\
def loss_and_gradients(params, X, y):
    Z1, c1 = dense_forward(X, params["W1"], params["b1"])
    A1 = np.maximum(Z1, 0)
    Z2, c2 = dense_forward(A1, params["W2"], params["b2"])
    A2 = np.maximum(Z2, 0)
    scores, c3 = dense_forward(A2, params["W3"], params["b3"])
    loss, d_scores = softmax_cross_entropy_loss(scores, y)
    dA2, dW3, db3 = dense_backward(d_scores, c3)
    dA1, dW2, db2 = dense_backward(dA2 * (Z2 > 0), c2)
    _, dW1, db1 = dense_backward(dA1 * (Z1 > 0), c1)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "W3": dW3, "b3": db3}
'''

# --- Exercise 3b: train_epoch -----------------------------------------------------------

# "The weights are adjusted once per epoch": gradients summed over the mini-batches.
TRAIN_ONCE_PER_EPOCH = '''\
def train_epoch(params, X, y, lr, batch_size, rng, loss_fn=loss_and_gradients):
    order = rng.permutation(X.shape[0])
    summed = {key: np.zeros_like(value) for key, value in params.items()}
    total = 0.0
    for start in range(0, X.shape[0], batch_size):
        idx = order[start:start + batch_size]
        loss, grads = loss_fn(params, X[idx], y[idx])
        total += loss * len(idx)
        for key in params:
            summed[key] += grads[key]
    for key in params:
        params[key] -= lr * summed[key]
    return total / X.shape[0]
'''

TRAIN_UPHILL = '''\
def train_epoch(params, X, y, lr, batch_size, rng, loss_fn=loss_and_gradients):
    order = rng.permutation(X.shape[0])
    total = 0.0
    for start in range(0, X.shape[0], batch_size):
        idx = order[start:start + batch_size]
        loss, grads = loss_fn(params, X[idx], y[idx])
        for key in params:
            params[key] += lr * grads[key]
        total += loss * len(idx)
    return total / X.shape[0]
'''

TRAIN_NO_SHUFFLE = '''\
def train_epoch(params, X, y, lr, batch_size, rng, loss_fn=loss_and_gradients):
    total = 0.0
    for start in range(0, X.shape[0], batch_size):
        loss, grads = loss_fn(params, X[start:start + batch_size], y[start:start + batch_size])
        for key in params:
            params[key] -= lr * grads[key]
        total += loss * len(X[start:start + batch_size])
    return total / X.shape[0]
'''

# Updates only the keys of a two-layer network: passes the visible tests (two layers),
# leaves a third layer untouched and crashes for one layer (hidden tests).
TRAIN_FIXED_KEYS = '''\
def train_epoch(params, X, y, lr, batch_size, rng, loss_fn=loss_and_gradients):
    order = rng.permutation(X.shape[0])
    total = 0.0
    for start in range(0, X.shape[0], batch_size):
        idx = order[start:start + batch_size]
        loss, grads = loss_fn(params, X[idx], y[idx])
        for key in ("W1", "b1", "W2", "b2"):
            params[key] -= lr * grads[key]
        total += loss * len(idx)
    return total / X.shape[0]
'''

# Averages the mini-batch losses without weighting them by their sizes: the last, short
# batch counts as much as a full one. The visible test's seed makes that batch's mean differ.
TRAIN_UNWEIGHTED_MEAN = '''\
def train_epoch(params, X, y, lr, batch_size, rng, loss_fn=loss_and_gradients):
    order = rng.permutation(X.shape[0])
    losses = []
    for start in range(0, X.shape[0], batch_size):
        idx = order[start:start + batch_size]
        loss, grads = loss_fn(params, X[idx], y[idx])
        for key in params:
            params[key] -= lr * grads[key]
        losses.append(loss)
    return float(np.mean(losses))
'''

# --- Exercise 4: confusion_matrix ------------------------------------------------------

CONFUSION_TRANSPOSED = '''\
def confusion_matrix(y_true, y_pred, n_classes):
    cm = np.zeros((n_classes, n_classes), dtype=int)
    for t, p in zip(y_true, y_pred):
        cm[p, t] += 1
    return cm
'''

CONFUSION_TWO_CLASSES = '''\
def confusion_matrix(y_true, y_pred, n_classes):
    cm = np.zeros((2, 2), dtype=int)
    for t, p in zip(y_true, y_pred):
        cm[t, p] += 1
    return cm
'''

# --- Exercise 5: misclassified ---------------------------------------------------------

MISCLASSIFIED_ASCENDING = '''\
def misclassified(proba, y):
    predicted = proba.argmax(axis=1)
    wrong = np.flatnonzero(predicted != y)
    return wrong[np.argsort(proba[wrong, predicted[wrong]])]
'''

MISCLASSIFIED_MASK = '''\
def misclassified(proba, y):
    return proba.argmax(axis=1) != y
'''

# --- Exercise 6: predict_file ----------------------------------------------------------

PREDICT_FILE_OWN_STATS = '''\
def predict_file(path, params, mean, std, size=32):
    image = load_image(path, size)
    X_new = preprocess(image[None])[0]
    return predict_proba(params, X_new)[0]
'''

WRONG = [
    dict(student="nb06_stats_scores_transposed_epoch_transpose",
         replace={"preprocess": PREPROCESS_OWN_STATS, "predict_proba": PREDICT_PROBA_SCORES,
                  "loss_and_gradients": LOSS_GRADS_TRANSPOSED_W,
                  "train_epoch": TRAIN_ONCE_PER_EPOCH, "confusion_matrix": CONFUSION_TRANSPOSED},
         fails={"preprocess_test", "predict_proba_test", "loss_and_gradients_test", "train_epoch_test",
                "confusion_matrix_test"},
         visible=r"own mean and std|apply the softmax|the transpose of W|not once at the end|did you transpose"),
    dict(student="nb06_uint8_overflow_nomask_uphill_ascending",
         replace={"preprocess": PREPROCESS_UINT8_IN_PLACE, "predict_proba": PREDICT_PROBA_NAIVE_SOFTMAX,
                  "loss_and_gradients": LOSS_GRADS_NO_MASK,
                  "train_epoch": TRAIN_UPHILL, "misclassified": MISCLASSIFIED_ASCENDING},
         fails={"preprocess_test", "predict_proba_test", "loss_and_gradients_test", "train_epoch_test",
                "misclassified_test"},
         visible=r"uint8|overflow|ReLU mask|uphill|most confident mistake comes first"),
    dict(student="nb06_lastmask_no_shuffle_mask_file_own_stats",
         replace={"loss_and_gradients": LOSS_GRADS_MASK_ON_LAST, "train_epoch": TRAIN_NO_SHUFFLE,
                  "misclassified": MISCLASSIFIED_MASK, "predict_file": PREDICT_FILE_OWN_STATS},
         fails={"loss_and_gradients_test", "train_epoch_test", "misclassified_test", "predict_file_test"},
         visible=r"it has no ReLU|shuffle them first|True/False mask|own mean and std"),
    dict(student="nb06_preprocess_not_flattened_bias_axis_unweighted_mean",
         replace={"preprocess": PREPROCESS_NOT_FLATTENED, "loss_and_gradients": LOSS_GRADS_BIAS_AXIS,
                  "train_epoch": TRAIN_UNWEIGHTED_MEAN},
         fails={"preprocess_test", "loss_and_gradients_test", "train_epoch_test"},
         visible=r"flatten each image into one row|one number per sample|averaged the mini-batch losses "
                 r"without weighting"),
    dict(student="nb06_hard_coded_for_the_visible_tests",
         replace={"preprocess": PREPROCESS_EXACT_ZERO, "predict_proba": PREDICT_PROBA_TWO_LAYERS,
                  "loss_and_gradients": LOSS_GRADS_THREE_LAYERS,
                  "train_epoch": TRAIN_FIXED_KEYS, "confusion_matrix": CONFUSION_TWO_CLASSES},
         fails={"preprocess_test", "predict_proba_test", "loss_and_gradients_test", "train_epoch_test",
                "confusion_matrix_test"},
         visible=None),
    dict(student="nb06_gradients_n_times_too_large",
         replace={"loss_and_gradients": LOSS_GRADS_MISSING_N},
         fails={"loss_and_gradients_test"},
         visible=r"n = 6 times too large: the 1/n of the mean is missing"),
    dict(student="nb06_gradients_of_the_last_layer_only",
         replace={"loss_and_gradients": LOSS_GRADS_LAST_LAYER_ONLY},
         fails={"loss_and_gradients_test"},
         visible=r"grads from .* has no 'W1', 'b1', 'W2', 'b2'.*Every layer needs its gradients"),
    dict(student="nb06_loss_summed_not_averaged",
         replace={"loss_and_gradients": LOSS_SUMMED},
         fails={"loss_and_gradients_test"},
         visible=r"summed the loss over the .*samples"),
]

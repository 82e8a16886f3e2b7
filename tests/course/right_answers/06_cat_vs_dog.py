"""Right answers for 06_cat_vs_dog in other styles than the solution (see __init__.py)."""

RIGHT = [
    # --- preprocess --------------------------------------------------------------------------------
    dict(name="preprocess_float64_true_division", style="float64 from dividing the uint8 pixels by 255.0; "
         "np.where with the comparison the other way round", replace={"preprocess": '''\
def preprocess(images, mean=None, std=None):
    X = images.reshape(len(images), -1) / 255.0
    if mean is None:
        mean = np.mean(X, axis=0)
        std = np.std(X, axis=0)
        std = np.where(std >= 1e-6, std, 1.0)
    return (X - mean) / std, mean, std
'''}),
    dict(name="preprocess_in_place_on_a_copy", style="a float32 copy scaled and standardised in place; the std "
         "fixed in place", replace={"preprocess": '''\
def preprocess(images, mean=None, std=None):
    n = images.shape[0]
    X = images.astype(np.float32).reshape(n, -1)      # a new array: safe to change in place
    X /= 255
    if mean is None or std is None:
        mean = X.mean(axis=0)
        std = X.std(axis=0)
        std[std < 1e-6] = 1.0
    X -= mean
    X /= std
    return X, mean, std
'''}),
    dict(name="preprocess_manual_std", style="the standard deviation written out as sqrt(mean of squares), "
         "keepdims then ravel, a dict of the statistics", replace={"preprocess": '''\
def preprocess(images, mean=None, std=None):
    X = np.asarray(images, dtype=np.float64).reshape(images.shape[0], images.shape[1] * images.shape[2] * 3)
    X = X * (1 / 255)
    stats = {"mean": mean, "std": std}
    if stats["mean"] is None:
        m = X.mean(axis=0, keepdims=True)
        s = np.sqrt(((X - m) ** 2).mean(axis=0, keepdims=True))
        s[s < 1e-6] = 1
        stats = {"mean": m.ravel(), "std": s.ravel()}
    X_standardised = (X - stats["mean"]) / stats["std"]
    return X_standardised, stats["mean"], stats["std"]
'''}),
    dict(name="preprocess_column_loop", style="a Python loop over the columns for the statistics",
         replace={"preprocess": '''\
def preprocess(images, mean=None, std=None):
    X = images.reshape(images.shape[0], -1).astype(float) / 255
    if mean is None:
        mean = np.empty(X.shape[1])
        std = np.empty(X.shape[1])
        for j in range(X.shape[1]):
            column = X[:, j]
            mean[j] = column.mean()
            spread = column.std()
            std[j] = spread if spread >= 1e-6 else 1.0
    out = np.empty_like(X)
    for j in range(X.shape[1]):
        out[:, j] = (X[:, j] - mean[j]) / std[j]
    return out, mean, std
'''}),
    dict(name="preprocess_maximum_mask", style="np.divide and np.subtract with keyword out=, the constant "
         "columns found with a boolean mask and np.putmask", replace={"preprocess": '''\
def preprocess(images, mean=None, std=None):
    flat = np.reshape(images, (np.shape(images)[0], -1))
    X = np.divide(flat, 255, dtype=np.float32)
    if mean is None:
        mean = np.average(X, axis=0)
        std = np.std(X, axis=0, ddof=0)
        np.putmask(std, std < 1e-6, 1)
    result = np.subtract(X, mean)
    np.divide(result, std, out=result)
    return result, mean, std
'''}),

    # --- predict_proba -----------------------------------------------------------------------------
    dict(name="predict_proba_while_logsumexp", style="a while loop over the keys that exist; softmax through "
         "a stable log-sum-exp", replace={"predict_proba": '''\
def predict_proba(params, X):
    A = X
    k = 1
    while f"W{k}" in params:
        Z = np.dot(A, params[f"W{k}"].T) + params[f"b{k}"]
        A = Z if f"W{k + 1}" not in params else np.maximum(Z, 0)
        k += 1
    m = A.max(axis=1, keepdims=True)
    log_sum = m + np.log(np.exp(A - m).sum(axis=1, keepdims=True))
    return np.exp(A - log_sum)
'''}),
    dict(name="predict_proba_dense_forward", style="the library's dense_forward (notebook 02) for every layer, "
         "a list of layers, ReLU as Z * (Z > 0)", replace={"predict_proba": '''\
from nnlearn.layers import dense_forward


def predict_proba(params, X):
    layers = [(params[f"W{k}"], params[f"b{k}"]) for k in range(1, len(params) // 2 + 1)]
    out = X
    for i, (W, b) in enumerate(layers):
        out, _ = dense_forward(out, W, b)
        if i < len(layers) - 1:
            out = out * (out > 0)
    shifted = out - np.max(out, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)
'''}),
    dict(name="predict_proba_einsum_rowloop", style="einsum for the products; the softmax row by row in a loop",
         replace={"predict_proba": '''\
def predict_proba(params, X):
    n_layers = len(params) // 2
    A = np.asarray(X)
    for k in range(1, n_layers + 1):
        A = np.einsum("ij,kj->ik", A, params["W" + str(k)]) + params["b" + str(k)]
        if k != n_layers:
            A = np.where(A > 0, A, 0)
    P = np.empty(A.shape, dtype=np.result_type(A, np.float32))
    for i, row in enumerate(A):
        e = np.exp(row - row.max())
        P[i] = e / e.sum()
    return P
'''}),
    dict(name="predict_proba_recursive_float64", style="a recursive forward pass in float64; softmax via "
         "exp(z - max) normalised by np.sum with keepdims", replace={"predict_proba": '''\
def predict_proba(params, X):
    L = len(params) // 2

    def forward(A, k):
        Z = A @ np.asarray(params[f"W{k}"], dtype=np.float64).T + np.asarray(params[f"b{k}"], dtype=np.float64)
        return Z if k == L else forward(np.maximum(0, Z), k + 1)

    scores = forward(np.asarray(X, dtype=np.float64), 1)
    e = np.exp(scores - scores.max(axis=1)[:, None])
    return e / np.sum(e, axis=1, keepdims=True)
'''}),

    # --- loss_and_gradients ------------------------------------------------------------------------
    dict(name="loss_and_gradients_recursive", style="recursion: each call handles one layer and hands the "
         "gradient of its output back; grads merged with dict unpacking", replace={"loss_and_gradients": '''\
def loss_and_gradients(params, X, y):
    n_layers = len(params) // 2

    def through(k, A):
        Z, cache = dense_forward(A, params[f"W{k}"], params[f"b{k}"])
        if k == n_layers:
            loss, dZ = softmax_cross_entropy_loss(Z, y)
            grads = {}
        else:
            loss, dA_next, grads = through(k + 1, np.maximum(Z, 0))
            dZ = dA_next * (Z > 0)
        dA, dW, db = dense_backward(dZ, cache)
        return loss, dA, {**grads, f"W{k}": dW, f"b{k}": db}

    loss, _, grads = through(1, X)
    return loss, grads
'''}),
    dict(name="loss_and_gradients_by_hand_where", style="no library tools: X @ W.T + b, a one-hot softmax "
         "cross-entropy, dZ.T @ A and sums written out; np.where for the mask, taken from the ReLU's output",
         replace={"loss_and_gradients": '''\
def loss_and_gradients(params, X, y):
    L = len(params) // 2
    activations = [X]
    for k in range(1, L + 1):
        Z = activations[-1] @ params["W" + str(k)].T + params["b" + str(k)]
        activations.append(np.where(Z > 0, Z, 0.0) if k < L else Z)
    scores = activations[-1]
    n, C = scores.shape
    log_p = scores - scores.max(axis=1, keepdims=True)
    log_p = log_p - np.log(np.sum(np.exp(log_p), axis=1, keepdims=True))
    Y = np.eye(C)[y]
    loss = -np.sum(Y * log_p) / n
    dZ = (np.exp(log_p) - Y) / n
    grads = {}
    for k in range(L, 0, -1):
        A_prev = activations[k - 1]
        grads["W" + str(k)] = dZ.T @ A_prev
        grads["b" + str(k)] = np.sum(dZ, axis=0)
        if k > 1:
            dZ = np.where(A_prev > 0, dZ @ params["W" + str(k)], 0.0)
    return float(loss), grads
'''}),
    dict(name="loss_and_gradients_float32_reversed_zip", style="computes in float32 whatever it is given; "
         "layers as a list of (W, b) pairs walked with reversed(); the mask from the post-activation A > 0; "
         "dense tools called by keyword", replace={"loss_and_gradients": '''\
def loss_and_gradients(params, X, y):
    layers = [(params[f"W{k}"].astype(np.float32), params[f"b{k}"].astype(np.float32))
              for k in range(1, len(params) // 2 + 1)]
    A = np.asarray(X, dtype=np.float32)
    record = []
    for i, (W, b) in enumerate(layers):
        Z, cache = dense_forward(X=A, W=W, b=b)
        A = Z if i == len(layers) - 1 else np.maximum(Z, np.float32(0))
        record.append((cache, A))
    loss, grad = softmax_cross_entropy_loss(A, y)
    grad = grad.astype(np.float32)
    grads = {}
    for i, (cache, A_out) in reversed(list(enumerate(record))):
        if i < len(layers) - 1:
            grad = grad * (A_out > 0)
        grad, grads[f"W{i + 1}"], grads[f"b{i + 1}"] = dense_backward(grad, cache)
    return loss, grads
'''}),
    dict(name="loss_and_gradients_while_keys", style="while loops over the keys that exist; caches in a dict; "
         "the ReLU's derivative as a float array multiplied in; grads built with a dict comprehension",
         replace={"loss_and_gradients": '''\
def loss_and_gradients(params, X, y):
    stash = {}
    k, out = 1, X
    while f"W{k}" in params:
        out, stash[k] = dense_forward(out, params[f"W{k}"], params[f"b{k}"])
        if f"W{k + 1}" in params:
            stash[k] = (stash[k], (out > 0).astype(out.dtype))
            out = out * stash[k][1]
        k += 1
    last = k - 1
    loss, g = softmax_cross_entropy_loss(out, y)
    found = {}
    k = last
    while k >= 1:
        cache = stash[k] if k == last else stash[k][0]
        g, dW, db = dense_backward(g, cache)
        found[k] = (dW, db)
        if k > 1:
            g = g * stash[k - 1][1]
        k -= 1
    return loss, {key: found[int(key[1:])][0 if key[0] == "W" else 1] for key in params}
'''}),
    dict(name="loss_and_gradients_copies_in_place", style="works on copies of the parameters; the mask "
         "applied in place with dZ[Z <= 0] = 0 on a fresh array; np.mean of the per-sample losses",
         replace={"loss_and_gradients": '''\
def loss_and_gradients(params, X, y):
    own = {key: value.copy() for key, value in params.items()}
    L = len(own) // 2
    inputs, pre = [], []
    A = X
    for k in range(1, L + 1):
        inputs.append(A)
        Z = A @ own[f"W{k}"].T
        Z += own[f"b{k}"]
        pre.append(Z)
        A = np.maximum(Z, 0) if k < L else Z
    shifted = A - A.max(axis=1, keepdims=True)
    P = np.exp(shifted)
    P /= P.sum(axis=1, keepdims=True)
    rows = np.arange(X.shape[0])
    loss = np.mean(-(shifted[rows, y] - np.log(np.exp(shifted).sum(axis=1))))
    dZ = P
    dZ[rows, y] -= 1
    dZ /= X.shape[0]
    grads = {}
    for k in range(L, 0, -1):
        grads[f"W{k}"] = np.einsum("ni,nj->ij", dZ, inputs[k - 1])
        grads[f"b{k}"] = dZ.sum(0)
        if k > 1:
            dZ = dZ @ own[f"W{k}"]
            dZ[pre[k - 2] <= 0] = 0
    return loss, grads
'''}),

    # --- train_epoch -------------------------------------------------------------------------------
    dict(name="train_epoch_split_average", style="np.split at multiples of batch_size; new arrays put into the "
         "dict; np.average with weights", replace={"train_epoch": '''\
def train_epoch(params, X, y, lr, batch_size, rng, loss_fn=loss_and_gradients):
    n = len(X)
    order = rng.permutation(n)
    losses, counts = [], []
    for idx in np.split(order, np.arange(batch_size, n, batch_size)):
        loss, grads = loss_fn(params, X[idx], y[idx])
        for key in list(params):
            params[key] = params[key] - lr * grads[key]
        losses.append(loss)
        counts.append(len(idx))
    return float(np.average(losses, weights=counts))
'''}),
    dict(name="train_epoch_shuffle_while", style="an index array shuffled with rng.shuffle; a while loop; "
         "keyword call of loss_fn", replace={"train_epoch": '''\
def train_epoch(params, X, y, lr, batch_size, rng, loss_fn=loss_and_gradients):
    n_samples = X.shape[0]
    order = np.arange(n_samples)
    rng.shuffle(order)
    total, start = 0.0, 0
    while start < n_samples:
        idx = order[start:start + batch_size]
        loss, grads = loss_fn(params=params, X=X[idx], y=y[idx])
        for key, grad in grads.items():
            params[key] -= lr * grad
        total += loss * idx.size
        start += batch_size
    return total / n_samples
'''}),
    dict(name="train_epoch_choice_items", style="rng.choice without replacement for the order; np.subtract "
         "with out= over params.items()", replace={"train_epoch": '''\
def train_epoch(params, X, y, lr, batch_size, rng, loss_fn=loss_and_gradients):
    n = len(y)
    order = rng.choice(n, size=n, replace=False)
    weighted = []
    for b in range(int(np.ceil(n / batch_size))):
        idx = order[b * batch_size:(b + 1) * batch_size]
        batch_loss, batch_grads = loss_fn(params, X[idx], y[idx])
        for key, value in params.items():
            np.subtract(value, lr * batch_grads[key], out=value)
        weighted.append(batch_loss * len(idx))
    return sum(weighted) / n
'''}),
    dict(name="train_epoch_batches_list", style="the batches built first as a list; the sum of the per-sample "
         "losses kept as a NumPy float64", replace={"train_epoch": '''\
def train_epoch(params, X, y, lr, batch_size, rng, loss_fn=loss_and_gradients):
    order = rng.permutation(np.arange(X.shape[0]))
    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    total = np.float64(0)
    for batch in batches:
        X_batch, y_batch = X[batch], y[batch]
        loss, grads = loss_fn(params, X_batch, y_batch)
        for name in params.keys():
            params[name] = params[name] - grads[name] * lr
        total += np.float64(loss) * X_batch.shape[0]
    return total / len(order)
'''}),

    # --- confusion_matrix --------------------------------------------------------------------------
    dict(name="confusion_matrix_loop", style="a Python loop over the pairs, cm[t][p] indexing",
         replace={"confusion_matrix": '''\
def confusion_matrix(y_true, y_pred, n_classes):
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        cm[int(t)][int(p)] += 1
    return cm
'''}),
    dict(name="confusion_matrix_bincount", style="np.bincount of the flat index true * n_classes + pred",
         replace={"confusion_matrix": '''\
def confusion_matrix(y_true, y_pred, n_classes):
    flat = np.asarray(y_true) * n_classes + np.asarray(y_pred)
    return np.bincount(flat, minlength=n_classes * n_classes).reshape(n_classes, n_classes)
'''}),
    dict(name="confusion_matrix_one_hot_product", style="a product of one-hot matrices made by broadcasting",
         replace={"confusion_matrix": '''\
def confusion_matrix(y_true, y_pred, n_classes):
    classes = np.arange(n_classes)
    T = (np.asarray(y_true)[:, None] == classes).astype(int)
    P = (np.asarray(y_pred)[:, None] == classes).astype(int)
    return T.T @ P
'''}),
    dict(name="confusion_matrix_counts_per_cell", style="a nested list comprehension counting every cell",
         replace={"confusion_matrix": '''\
def confusion_matrix(y_true, y_pred, n_classes):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return np.array([[np.count_nonzero((y_true == i) & (y_pred == j)) for j in range(n_classes)]
                     for i in range(n_classes)], dtype=int)
'''}),

    # --- misclassified -----------------------------------------------------------------------------
    dict(name="misclassified_sorted_key", style="a list of wrong indices sorted with key=, returned as int array",
         replace={"misclassified": '''\
def misclassified(proba, y):
    wrong = [i for i in range(len(y)) if np.argmax(proba[i]) != y[i]]
    wrong.sort(key=lambda i: proba[i].max(), reverse=True)
    return np.array(wrong, dtype=int)
'''}),
    dict(name="misclassified_reversed_argsort", style="np.where and an ascending argsort reversed",
         replace={"misclassified": '''\
def misclassified(proba, y):
    predicted = np.argmax(proba, axis=1)
    wrong = np.where(predicted != y)[0]
    confidence = np.max(proba, axis=1)[wrong]
    return wrong[np.argsort(confidence)[::-1]]
'''}),
    dict(name="misclassified_lexsort", style="np.lexsort on the negated confidence over all samples, then the "
         "mistakes filtered", replace={"misclassified": '''\
def misclassified(proba, y):
    proba = np.asarray(proba, dtype=np.float64)
    by_confidence = np.lexsort((np.arange(len(proba)), -proba.max(axis=1)))
    predicted = proba.argmax(axis=1)
    return np.array([i for i in by_confidence if predicted[i] != y[i]], dtype=np.intp)
'''}),
    dict(name="misclassified_take_along_axis", style="np.take_along_axis for the predicted probability, "
         "np.flatnonzero, stable sort kind='mergesort'", replace={"misclassified": '''\
def misclassified(proba, y):
    predicted = proba.argmax(axis=1)
    p_predicted = np.take_along_axis(proba, predicted[:, None], axis=1)[:, 0]
    wrong = np.flatnonzero(predicted != np.asarray(y))
    return wrong[np.argsort(-p_predicted[wrong], kind="mergesort")].astype(int)
'''}),

    # --- predict_file ------------------------------------------------------------------------------
    dict(name="predict_file_keywords", style="keyword calls: preprocess(image, mean=mean, std=std) and "
         "predict_proba(params=params, X=X)", replace={"predict_file": '''\
def predict_file(path, params, mean, std, size=32):
    image = load_image(path, size=size)
    X_new, _, _ = preprocess(images=image[None], mean=mean, std=std)
    return predict_proba(params=params, X=X_new)[0]
'''}),
    dict(name="predict_file_expand_dims", style="np.expand_dims; P[0, :] for the one row",
         replace={"predict_file": '''\
def predict_file(path, params, mean, std, size=32):
    batch = np.expand_dims(load_image(path, size), axis=0)
    X = preprocess(batch, mean, std)[0]
    P = predict_proba(params, X)
    return P[0, :]
'''}),
    dict(name="predict_file_reshape_squeeze", style="reshape to a batch of one; np.squeeze with axis=0",
         replace={"predict_file": '''\
def predict_file(path, params, mean, std, size=32):
    image = load_image(path=path, size=size)
    one = image.reshape((1,) + image.shape)
    X_one = preprocess(one, mean=mean, std=std)[0]
    return np.squeeze(predict_proba(params, X_one), axis=0)
'''}),
    dict(name="predict_file_newaxis_ravel", style="image[np.newaxis, ...]; the probabilities flattened with "
         "ravel and copied as float64", replace={"predict_file": '''\
def predict_file(path, params, mean, std, size=32):
    pixels = load_image(path, size)[np.newaxis, ...]
    features, used_mean, used_std = preprocess(pixels, mean, std)
    return np.asarray(predict_proba(params, features), dtype=np.float64).ravel()
'''}),
]

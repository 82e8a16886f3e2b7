"""Right answers for 03_loss in other styles than the solution (see __init__.py)."""

RIGHT = [
    # --- mse ---------------------------------------------------------------------------------------
    dict(name="mse_loop", style="a Python loop over the flattened entries", replace={"mse": '''\
def mse(y_pred, y_true):
    total, count = 0.0, 0
    for p, t in zip(np.ravel(y_pred), np.ravel(y_true)):
        total += (float(p) - float(t)) ** 2
        count += 1
    return total / count
'''}),
    dict(name="mse_square_method", style="np.square and the .mean() method, .item() for the number",
         replace={"mse": '''\
def mse(y_pred, y_true):
    return np.square(np.subtract(y_true, y_pred)).mean().item()
'''}),
    dict(name="mse_average_keyword", style="np.average with keyword arguments, difference taken the other way",
         replace={"mse": '''\
def mse(y_pred, y_true):
    return np.average(a=(np.asarray(y_true) - np.asarray(y_pred)) ** 2, axis=None)
'''}),
    dict(name="mse_norm", style="the squared Euclidean norm divided by the number of entries",
         replace={"mse": '''\
def mse(y_pred, y_true):
    difference = np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)
    return np.linalg.norm(difference) ** 2 / difference.size
'''}),
    dict(name="mse_dot", style="a dot product of the flattened difference with itself", replace={"mse": '''\
def mse(y_pred, y_true):
    d = (np.asarray(y_pred, dtype=np.float64) - y_true).reshape(-1)
    return d @ d / len(d)
'''}),

    # --- one_hot -----------------------------------------------------------------------------------
    dict(name="one_hot_eye", style="rows of the identity matrix picked by the labels", replace={"one_hot": '''\
def one_hot(labels, n_classes):
    return np.eye(n_classes)[labels]
'''}),
    dict(name="one_hot_loop_int", style="an integer array filled in a loop", replace={"one_hot": '''\
def one_hot(labels, n_classes):
    Y = np.zeros((len(labels), n_classes), dtype=int)
    for i, label in enumerate(labels):
        Y[i, label] = 1
    return Y
'''}),
    dict(name="one_hot_broadcast", style="a broadcast comparison with np.arange, cast to float",
         replace={"one_hot": '''\
def one_hot(labels, n_classes):
    return (np.asarray(labels)[:, None] == np.arange(n_classes)[None, :]).astype(float)
'''}),
    dict(name="one_hot_put_along_axis", style="np.put_along_axis with keyword arguments", replace={"one_hot": '''\
def one_hot(labels, n_classes):
    labels = np.asarray(labels)
    Y = np.zeros(shape=(labels.size, n_classes))
    np.put_along_axis(Y, indices=labels.reshape(-1, 1).astype(np.intp), values=1.0, axis=1)
    return Y
'''}),

    # --- categorical_cross_entropy -----------------------------------------------------------------
    dict(name="cce_maximum", style="np.maximum instead of np.clip, np.mean over the per-sample sums",
         replace={"categorical_cross_entropy": '''\
def categorical_cross_entropy(P, Y):
    return float(np.mean(-np.sum(Y * np.log(np.maximum(P, 1e-12)), axis=1)))
'''}),
    dict(name="cce_right_class_clipped", style="the log of the right class's probability only, clipped first",
         replace={"categorical_cross_entropy": '''\
def categorical_cross_entropy(P, Y):
    p_right = np.sum(P * Y, axis=1)
    return -np.mean(np.log(np.clip(p_right, 1e-12, None)))
'''}),
    dict(name="cce_loop_math", style="a loop over the samples with math.log and max()",
         replace={"categorical_cross_entropy": '''\
import math


def categorical_cross_entropy(P, Y):
    total = 0.0
    for p_row, y_row in zip(P, Y):
        right = int(np.argmax(y_row))
        total -= math.log(max(float(p_row[right]), 1e-12))
    return total / len(P)
'''}),
    dict(name="cce_take_along_axis_eps_1e7", style="np.take_along_axis and the largest allowed eps, 1e-7",
         replace={"categorical_cross_entropy": '''\
def categorical_cross_entropy(P, Y):
    right = np.argmax(Y, axis=1)[:, None]
    p_right = np.take_along_axis(np.asarray(P), right, axis=1).clip(min=1e-7)
    return float(-np.log(p_right).mean())
'''}),
    dict(name="cce_where", style="np.where picks -log p where Y is 1, keyword axis",
         replace={"categorical_cross_entropy": '''\
def categorical_cross_entropy(P, Y):
    losses = np.where(np.asarray(Y) == 1, -np.log(np.clip(P, a_min=1e-12, a_max=1.0)), 0.0)
    return losses.sum(axis=1).mean(axis=0)
'''}),

    # --- binary_cross_entropy ----------------------------------------------------------------------
    dict(name="bce_where", style="np.where on the labels picks log p or log(1 - p)",
         replace={"binary_cross_entropy": '''\
def binary_cross_entropy(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.where(np.asarray(y) == 1, np.log(p), np.log(1 - p))))
'''}),
    dict(name="bce_loop_math", style="a loop over the samples with math.log",
         replace={"binary_cross_entropy": '''\
import math


def binary_cross_entropy(p, y):
    total = 0.0
    for p_i, y_i in zip(np.ravel(p), np.ravel(y)):
        p_i = min(max(float(p_i), 1e-12), 1 - 1e-12)
        total += -math.log(p_i) if y_i == 1 else -math.log(1 - p_i)
    return total / np.size(p)
'''}),
    dict(name="bce_log1p", style="np.log1p(-p) for log(1 - p)", replace={"binary_cross_entropy": '''\
def binary_cross_entropy(p, y):
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    return -np.mean(y * np.log(p) + (1 - y) * np.log1p(-p))
'''}),
    dict(name="bce_min_max_eps_1e7", style="np.minimum/np.maximum with the largest allowed eps, 1e-7",
         replace={"binary_cross_entropy": '''\
def binary_cross_entropy(p, y):
    eps = 1e-7
    p = np.minimum(np.maximum(p, eps), 1 - eps)
    per_sample = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return np.average(per_sample)
'''}),

    # --- cross_entropy_from_logits -----------------------------------------------------------------
    dict(name="logits_row_loop", style="a loop over the rows, each with its own maximum",
         replace={"cross_entropy_from_logits": '''\
def cross_entropy_from_logits(Z, Y):
    total = 0.0
    for z_row, y_row in zip(np.asarray(Z, dtype=float), Y):
        m = z_row.max()
        log_p = z_row - m - np.log(np.exp(z_row - m).sum())
        total -= np.dot(y_row, log_p)
    return total / len(Z)
'''}),
    dict(name="logits_logsumexp_minus_right", style="log-sum-exp of each row minus the right class's score",
         replace={"cross_entropy_from_logits": '''\
def cross_entropy_from_logits(Z, Y):
    Z = np.asarray(Z, dtype=float)
    m = Z.max(axis=1)
    log_sum = m + np.log(np.sum(np.exp(Z - m[:, None]), axis=1))
    right_score = np.sum(Z * Y, axis=1)
    return float(np.mean(log_sum - right_score))
'''}),
    dict(name="logits_in_place_on_copy", style="in-place subtraction on a copy of Z",
         replace={"cross_entropy_from_logits": '''\
def cross_entropy_from_logits(Z, Y):
    S = np.array(Z, dtype=float)
    S -= S.max(axis=1, keepdims=True)
    S -= np.log(np.exp(S).sum(axis=1, keepdims=True))
    return -(Y * S).sum() / S.shape[0]
'''}),
    dict(name="logits_argmax_index", style="the right class picked by np.argmax(Y) and fancy indexing",
         replace={"cross_entropy_from_logits": '''\
def cross_entropy_from_logits(Z, Y):
    Z = np.asarray(Z, dtype=float)
    shifted = Z - np.max(Z, axis=1, keepdims=True)
    right = np.argmax(Y, axis=1)
    log_p_right = shifted[np.arange(len(Z)), right] - np.log(np.sum(np.exp(shifted), axis=1))
    return float(-np.mean(log_p_right))
'''}),

    # --- accuracy ----------------------------------------------------------------------------------
    dict(name="accuracy_loop", style="a loop that counts the right rows", replace={"accuracy": '''\
def accuracy(P, labels):
    right = 0
    for row, label in zip(P, labels):
        if np.argmax(row) == label:
            right += 1
    return right / len(labels)
'''}),
    dict(name="accuracy_count_nonzero", style="np.count_nonzero and the .argmax method",
         replace={"accuracy": '''\
def accuracy(P, labels):
    return np.count_nonzero(np.asarray(P).argmax(axis=1) == labels) / np.size(labels)
'''}),
    dict(name="accuracy_equal_keyword", style="np.equal and np.mean with keyword arguments, axis=-1",
         replace={"accuracy": '''\
def accuracy(P, labels):
    return np.mean(np.equal(np.argmax(P, axis=-1), np.asarray(labels)).astype(float))
'''}),
    dict(name="accuracy_sum_bool", style="the sum of a boolean array divided by the number of rows",
         replace={"accuracy": '''\
def accuracy(P, labels):
    predicted = np.argmax(P, 1)
    return float(np.sum(predicted == labels)) / P.shape[0]
'''}),

    # --- train_test_split --------------------------------------------------------------------------
    dict(name="split_shuffle_indices", style="rng.shuffle on an index array, keyword seed",
         replace={"train_test_split": '''\
def train_test_split(X, y, test_size=0.2, seed=None):
    X, y = np.asarray(X), np.asarray(y)
    n = len(X)
    n_test = round(test_size * n)
    rng = np.random.default_rng(seed=seed)
    indices = np.arange(n)
    rng.shuffle(indices)
    return X[indices[n_test:]], X[indices[:n_test]], y[indices[n_test:]], y[indices[:n_test]]
'''}),
    dict(name="split_test_from_the_end", style="the test rows from the END of the permutation, np.take",
         replace={"train_test_split": '''\
def train_test_split(X, y, test_size=0.2, seed=None):
    rng = np.random.default_rng(seed)
    n = np.shape(X)[0]
    n_train = n - round(test_size * n)
    order = rng.permutation(n)
    train, test = order[:n_train], order[n_train:]
    return (np.take(X, train, axis=0), np.take(X, test, axis=0),
            np.take(y, train, axis=0), np.take(y, test, axis=0))
'''}),
    dict(name="split_boolean_mask", style="a boolean mask from the permutation; both sets keep the data's order",
         replace={"train_test_split": '''\
def train_test_split(X, y, test_size=0.2, seed=None):
    X, y = np.asarray(X), np.asarray(y)
    n = X.shape[0]
    is_test = np.zeros(n, dtype=bool)
    is_test[np.random.default_rng(seed).permutation(n)[:round(test_size * n)]] = True
    return X[~is_test], X[is_test], y[~is_test], y[is_test]
'''}),
    dict(name="split_shuffled_copies", style="shuffled copies of X and y first, then slices; a list",
         replace={"train_test_split": '''\
def train_test_split(X, y, test_size=0.2, seed=None):
    order = np.random.default_rng(seed).permutation(len(X))
    X_shuffled, y_shuffled = np.asarray(X)[order].copy(), np.asarray(y)[order].copy()
    n_test = int(round(test_size * len(X)))
    return [X_shuffled[n_test:], X_shuffled[:n_test], y_shuffled[n_test:], y_shuffled[:n_test]]
'''}),

    # --- best_epoch --------------------------------------------------------------------------------
    dict(name="best_epoch_counter", style="a counter of epochs without improvement, enumerate and inf",
         replace={"best_epoch": '''\
def best_epoch(val_losses, patience):
    best_loss, best, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best_loss:
            best_loss, best, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                break
    return best
'''}),
    dict(name="best_epoch_while", style="a while loop that runs until the patience is used up",
         replace={"best_epoch": '''\
def best_epoch(val_losses, patience):
    best, epoch = 0, 1
    while epoch < len(val_losses) and epoch - best <= patience:
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        elif epoch - best == patience:
            break
        epoch += 1
    return best
'''}),
    dict(name="best_epoch_prefix_argmin", style="find the stopping epoch first, then np.argmin of the epochs seen",
         replace={"best_epoch": '''\
def best_epoch(val_losses, patience):
    losses = np.asarray(val_losses, dtype=float)
    stop, best = len(losses) - 1, 0
    for epoch in range(1, len(losses)):
        if losses[epoch] < losses[best]:
            best = epoch
        if epoch - best == patience:
            stop = epoch
            break
    return int(np.argmin(losses[:stop + 1]))
'''}),
    dict(name="best_epoch_vectorised", style="vectorised: running minimum and the last improvement per epoch",
         replace={"best_epoch": '''\
def best_epoch(val_losses, patience):
    losses = np.asarray(val_losses, dtype=np.float64)
    epochs = np.arange(losses.size)
    previous_best = np.concatenate([[np.inf], np.minimum.accumulate(losses)[:-1]])
    improved = losses < previous_best
    last_improvement = np.maximum.accumulate(np.where(improved, epochs, 0))
    stops = np.flatnonzero(epochs - last_improvement >= patience)
    end = stops[0] if stops.size else losses.size - 1
    return int(last_improvement[end])
'''}),
    dict(name="best_epoch_list_index", style="a list: min() and .index() over the epochs seen",
         replace={"best_epoch": '''\
def best_epoch(val_losses, patience):
    seen = []
    for loss in list(val_losses):
        seen.append(float(loss))
        if len(seen) - 1 - seen.index(min(seen)) >= patience:
            break
    return seen.index(min(seen))
'''}),
]

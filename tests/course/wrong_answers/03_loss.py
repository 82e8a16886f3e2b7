"""Wrong-but-plausible answers for 03_loss (see __init__.py)."""

MSE_SUMMED = '''\
def mse(y_pred, y_true):
    return np.sum((y_pred - y_true) ** 2)
'''

# The number of columns taken from the data instead of n_classes.
ONE_HOT_LARGEST_LABEL = '''\
def one_hot(labels, n_classes):
    return np.eye(labels.max() + 1)[labels]
'''

# Y * log(P) where P has zeros: log(0) = -inf, then 0 * -inf = NaN.
CCE_LOG_OF_ZERO = '''\
def categorical_cross_entropy(P, Y):
    return -np.sum(Y * np.log(P)) / P.shape[0]
'''

BCE_UNCLIPPED = '''\
def binary_cross_entropy(p, y):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
'''

LOGITS_NAIVE_SOFTMAX = '''\
def cross_entropy_from_logits(Z, Y):
    P = np.exp(Z) / np.sum(np.exp(Z), axis=1, keepdims=True)
    return -np.sum(Y * np.log(P)) / Z.shape[0]
'''

# A stable softmax, then the (clipped) log: the log of a probability that rounded to 0 is lost.
LOGITS_LOG_OF_SOFTMAX = '''\
def cross_entropy_from_logits(Z, Y):
    shifted = Z - Z.max(axis=1, keepdims=True)
    P = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
    return -np.sum(Y * np.log(np.clip(P, 1e-12, 1.0))) / Z.shape[0]
'''

# Subtracts the maximum of the whole batch instead of each row's: no overflow, and right
# while all rows have similar scores (the visible tests); a row far below the batch's
# maximum underflows to exp(...) = 0 everywhere and takes log(0) (the hidden tests).
LOGITS_GLOBAL_MAX = '''\
def cross_entropy_from_logits(Z, Y):
    shifted = Z - Z.max()
    log_P = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.sum(Y * log_P) / Z.shape[0]
'''

SPLIT_NOT_SHUFFLED = '''\
def train_test_split(X, y, test_fraction=0.2, seed=None):
    n_train = len(X) - round(test_fraction * len(X))
    return X[:n_train], X[n_train:], y[:n_train], y[n_train:]
'''

# X and y shuffled with two different permutations.
SPLIT_UNPAIRED = '''\
def train_test_split(X, y, test_fraction=0.2, seed=None):
    rng = np.random.default_rng(seed)
    n_test = round(test_fraction * len(X))
    X, y = X[rng.permutation(len(X))], y[rng.permutation(len(y))]
    return X[n_test:], X[:n_test], y[n_test:], y[:n_test]
'''

WRONG = [
    dict(student="l03_mse_summed", replace={"mse": MSE_SUMMED},
         fails={"mse_test"}, visible=r"summed instead of averaged"),
    dict(student="l03_one_hot_largest_label", replace={"one_hot": ONE_HOT_LARGEST_LABEL},
         fails={"one_hot_test"}, visible=r"n_classes"),
    dict(student="l03_cce_log_of_zero", replace={"categorical_cross_entropy": CCE_LOG_OF_ZERO},
         fails={"categorical_cross_entropy_test"}, visible=r"log\(0\)"),
    dict(student="l03_bce_unclipped", replace={"binary_cross_entropy": BCE_UNCLIPPED},
         fails={"binary_cross_entropy_test"}, visible=r"log\(0\).*[Cc]lip"),
    dict(student="l03_logits_naive_softmax", replace={"cross_entropy_from_logits": LOGITS_NAIVE_SOFTMAX},
         fails={"cross_entropy_from_logits_test"}, visible=r"overflow"),
    dict(student="l03_logits_log_of_softmax", replace={"cross_entropy_from_logits": LOGITS_LOG_OF_SOFTMAX},
         fails={"cross_entropy_from_logits_test"}, visible=r"log-softmax"),
    dict(student="l03_logits_global_max", replace={"cross_entropy_from_logits": LOGITS_GLOBAL_MAX},
         fails={"cross_entropy_from_logits_test"}, visible=None),
    dict(student="l03_split_not_shuffled", replace={"train_test_split": SPLIT_NOT_SHUFFLED},
         fails={"train_test_split_test"}, visible=r"not shuffled"),
    dict(student="l03_split_unpaired", replace={"train_test_split": SPLIT_UNPAIRED},
         fails={"train_test_split_test"}, visible=r"no longer paired"),
]

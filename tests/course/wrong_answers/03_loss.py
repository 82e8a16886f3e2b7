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

# The log of the right class's probability only, as the text allows, but not clipped: no NaN,
# but a right class with probability 0 costs log(0) = -inf (the text asks for a finite loss).
CCE_RIGHT_CLASS_UNCLIPPED = '''\
def categorical_cross_entropy(P, Y):
    return float(-np.mean(np.log(np.sum(P * Y, axis=1))))
'''

# Clipped, but with an eps so large that a sure mistake costs only -log(1e-3) = 6.9.
CCE_EPS_TOO_LARGE = '''\
def categorical_cross_entropy(P, Y):
    return float(-np.sum(Y * np.log(np.clip(P, 1e-3, 1.0))) / len(P))
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
def train_test_split(X, y, test_size=0.2, seed=None):
    n_train = len(X) - round(test_size * len(X))
    return X[:n_train], X[n_train:], y[:n_train], y[n_train:]
'''

# X and y shuffled with two different permutations.
SPLIT_UNPAIRED = '''\
def train_test_split(X, y, test_size=0.2, seed=None):
    rng = np.random.default_rng(seed)
    n_test = round(test_size * len(X))
    X, y = X[rng.permutation(len(X))], y[rng.permutation(len(y))]
    return X[n_test:], X[:n_test], y[n_test:], y[:n_test]
'''

# Early stopping that looks at every epoch: the lowest validation loss of all, also after the stop.
BEST_EPOCH_ARGMIN = '''\
def best_epoch(val_losses, patience):
    return int(np.argmin(val_losses))
'''

# Returns the epoch at which training stopped instead of the one whose weights are kept.
BEST_EPOCH_STOP_EPOCH = '''\
def best_epoch(val_losses, patience):
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best, waited = epoch, 0
        else:
            waited += 1
            if waited == patience:
                return epoch
    return len(val_losses) - 1
'''

# Stops only when MORE than `patience` epochs have not improved (one epoch too late).
BEST_EPOCH_ONE_TOO_LATE = '''\
def best_epoch(val_losses, patience):
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        elif epoch - best > patience:
            break
    return best
'''

# Counts the epochs whose loss rose compared with the epoch before, not those that failed to
# beat the best loss so far.
BEST_EPOCH_AGAINST_PREVIOUS = '''\
def best_epoch(val_losses, patience):
    best, rises = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        rises = rises + 1 if val_losses[epoch] > val_losses[epoch - 1] else 0
        if rises >= patience:
            break
    return best
'''

# Patience ignored: stops at the first epoch that does not improve.
BEST_EPOCH_FIRST_MISS = '''\
def best_epoch(val_losses, patience):
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] >= val_losses[best]:
            break
        best = epoch
    return best
'''

# <= instead of <: a later epoch with the same loss counts as an improvement.
BEST_EPOCH_TIES_LATER = '''\
def best_epoch(val_losses, patience):
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] <= val_losses[best]:
            best = epoch
        elif epoch - best >= patience:
            break
    return best
'''

# Epochs counted from 1.
BEST_EPOCH_ONE_BASED = '''\
def best_epoch(val_losses, patience):
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        elif epoch - best >= patience:
            break
    return best + 1
'''

WRONG = [
    dict(student="l03_mse_summed", replace={"mse": MSE_SUMMED},
         fails={"mse_test"}, visible=r"summed instead of averaged"),
    dict(student="l03_one_hot_largest_label", replace={"one_hot": ONE_HOT_LARGEST_LABEL},
         fails={"one_hot_test"}, visible=r"n_classes"),
    dict(student="l03_cce_log_of_zero", replace={"categorical_cross_entropy": CCE_LOG_OF_ZERO},
         fails={"categorical_cross_entropy_test"}, visible=r"log\(0\)"),
    dict(student="l03_cce_right_class_unclipped", replace={"categorical_cross_entropy": CCE_RIGHT_CLASS_UNCLIPPED},
         fails={"categorical_cross_entropy_test"}, visible=r"log\(0\)\. Clip"),
    dict(student="l03_cce_eps_too_large", replace={"categorical_cross_entropy": CCE_EPS_TOO_LARGE},
         fails={"categorical_cross_entropy_test"}, visible=r"eps of at most 1e-7"),
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
    dict(student="l03_best_epoch_argmin", replace={"best_epoch": BEST_EPOCH_ARGMIN},
         fails={"best_epoch_test"}, visible=r"lowest loss of ALL epochs"),
    dict(student="l03_best_epoch_stop_epoch", replace={"best_epoch": BEST_EPOCH_STOP_EPOCH},
         fails={"best_epoch_test"}, visible=r"after which training stopped"),
    dict(student="l03_best_epoch_one_too_late", replace={"best_epoch": BEST_EPOCH_ONE_TOO_LATE},
         fails={"best_epoch_test"}, visible=r"wait 4 epochs without improvement instead of 3"),
    dict(student="l03_best_epoch_first_miss", replace={"best_epoch": BEST_EPOCH_FIRST_MISS},
         fails={"best_epoch_test"}, visible=r"stop after 1 epoch without improvement instead of 2"),
    dict(student="l03_best_epoch_against_previous", replace={"best_epoch": BEST_EPOCH_AGAINST_PREVIOUS},
         fails={"best_epoch_test"}, visible=r"compared with the epoch before"),
    dict(student="l03_best_epoch_ties_later", replace={"best_epoch": BEST_EPOCH_TIES_LATER},
         fails={"best_epoch_test"}, visible=r"not <="),
    dict(student="l03_best_epoch_one_based", replace={"best_epoch": BEST_EPOCH_ONE_BASED},
         fails={"best_epoch_test"}, visible=r"counted from 0"),
]

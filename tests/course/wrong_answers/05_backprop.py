"""Wrong-but-plausible answers for 05_backprop (see __init__.py).

Later exercises use earlier ones: two_layer_loss calls the student's dense_backward,
tanh_backward and softmax_cross_entropy, so a mistake there also costs the
two_layer_loss test (and its visible message names the same mistake). train_step is
tested with a stand-in loss function, so it never depends on the other exercises;
overfit_tiny_batch runs the student's train_step (with stand-in loss functions), so a
wrong train_step also costs the overfit_tiny_batch test.
"""

NEURON_NO_SIGMOID_SLOPE = '''\
def neuron_backward(x, w, b, t):
    a = sigmoid(w @ x + b)
    dz = 2 * (a - t)            # forgot da/dz = a (1 - a)
    return (a - t) ** 2, dz * x, dz
'''

DENSE_DW_TRANSPOSED = '''\
def dense_backward(dout, cache):
    X, W = cache
    return dout @ W, X.T @ dout, dout.sum(axis=0)
'''

TANH_CACHE_AS_INPUT = '''\
def tanh_backward(dout, cache):
    return dout * (1 - np.tanh(cache) ** 2)
'''

RELU_ON_DOUT = '''\
def relu_backward(dout, cache):
    return np.maximum(dout, 0)
'''

SOFTMAX_NAIVE_EXP = '''\
def softmax_cross_entropy(Z, y):
    n = Z.shape[0]
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    loss = -np.log(P[np.arange(n), y]).mean()
    dZ = P.copy()
    dZ[np.arange(n), y] -= 1
    return loss, dZ / n
'''

SOFTMAX_SUMMED_GRADIENT = '''\
def softmax_cross_entropy(Z, y):
    n = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dZ = np.exp(log_p)
    dZ[np.arange(n), y] -= 1
    return -log_p[np.arange(n), y].mean(), dZ      # forgot the 1/N of the average
'''

TRAIN_STEP_UPHILL = '''\
def train_step(loss_fn, params, X, y, lr):
    loss, grads = loss_fn(params, X, y)
    for key in params:
        params[key] += lr * grads[key]
    return loss
'''

# Right for the two-layer network (the visible test), wrong for any other model.
TRAIN_STEP_FIXED_KEYS = '''\
def train_step(loss_fn, params, X, y, lr):
    loss, grads = loss_fn(params, X, y)
    for key in ["W1", "b1", "W2", "b2"]:
        params[key] -= lr * grads[key]
    return loss
'''

OVERFIT_ALL_SAMPLES = '''\
def overfit_tiny_batch(loss_fn, params, X, y, lr, n_steps, n_samples=20):
    tiny_params = {key: value.copy() for key, value in params.items()}
    return [train_step(loss_fn, tiny_params, X, y, lr) for _ in range(n_steps)]   # forgot to cut
'''

OVERFIT_LAST_SAMPLES = '''\
def overfit_tiny_batch(loss_fn, params, X, y, lr, n_steps, n_samples=20):
    tiny_params = {key: value.copy() for key, value in params.items()}
    return [train_step(loss_fn, tiny_params, X[-n_samples:], y[-n_samples:], lr) for _ in range(n_steps)]
'''

# The shallow copy: dict(params) is a new dict holding the same arrays, which train_step's -= changes.
OVERFIT_SHALLOW_COPY = '''\
def overfit_tiny_batch(loss_fn, params, X, y, lr, n_steps, n_samples=20):
    tiny_params = dict(params)
    return [train_step(loss_fn, tiny_params, X[:n_samples], y[:n_samples], lr) for _ in range(n_steps)]
'''

OVERFIT_NO_COPY = '''\
def overfit_tiny_batch(loss_fn, params, X, y, lr, n_steps, n_samples=20):
    return [train_step(loss_fn, params, X[:n_samples], y[:n_samples], lr) for _ in range(n_steps)]
'''

OVERFIT_LAST_LOSS_ONLY = '''\
def overfit_tiny_batch(loss_fn, params, X, y, lr, n_steps, n_samples=20):
    tiny_params = {key: value.copy() for key, value in params.items()}
    for _ in range(n_steps):
        loss = train_step(loss_fn, tiny_params, X[:n_samples], y[:n_samples], lr)
    return loss
'''

OVERFIT_LOSSES_AFTER_THE_STEP = '''\
def overfit_tiny_batch(loss_fn, params, X, y, lr, n_steps, n_samples=20):
    tiny_params = {key: value.copy() for key, value in params.items()}
    losses = []
    for _ in range(n_steps):
        train_step(loss_fn, tiny_params, X[:n_samples], y[:n_samples], lr)
        losses.append(loss_fn(tiny_params, X[:n_samples], y[:n_samples])[0])
    return losses
'''

OVERFIT_ONE_STEP_SHORT = '''\
def overfit_tiny_batch(loss_fn, params, X, y, lr, n_steps, n_samples=20):
    tiny_params = {key: value.copy() for key, value in params.items()}
    return [train_step(loss_fn, tiny_params, X[:n_samples], y[:n_samples], lr) for _ in range(1, n_steps)]
'''

L2_DECAYS_BIASES = '''\
def train_step_l2(loss_fn, params, X, y, lr, lam):
    loss, grads = loss_fn(params, X, y)
    penalty = sum(0.5 * lam * np.sum(params[key] ** 2) for key in params)   # biases included
    for key in params:
        params[key] -= lr * (grads[key] + lam * params[key])
    return loss + penalty
'''

L2_TWICE_THE_DECAY = '''\
def train_step_l2(loss_fn, params, X, y, lr, lam):
    loss, grads = loss_fn(params, X, y)
    penalty = 0.0
    for key in params:
        grad = grads[key]
        if key.startswith("W"):
            penalty += 0.5 * lam * np.sum(params[key] ** 2)
            grad = grad + 2 * lam * params[key]          # d/dW of lam * W**2, but the penalty has lam / 2
        params[key] -= lr * grad
    return loss + penalty
'''

L2_HALF_THE_DECAY = '''\
def train_step_l2(loss_fn, params, X, y, lr, lam):
    loss, grads = loss_fn(params, X, y)
    penalty = 0.0
    for key in params:
        grad = grads[key]
        if key.startswith("W"):
            penalty += 0.5 * lam * np.sum(params[key] ** 2)
            grad = grad + lam / 2 * params[key]          # copied the 1/2 of the penalty
        params[key] -= lr * grad
    return loss + penalty
'''

L2_DECAY_AFTER_THE_STEP = '''\
def train_step_l2(loss_fn, params, X, y, lr, lam):
    loss, grads = loss_fn(params, X, y)
    penalty = sum(0.5 * lam * np.sum(params[key] ** 2) for key in params if key.startswith("W"))
    for key in params:
        params[key] -= lr * grads[key]
        if key.startswith("W"):
            params[key] -= lr * lam * params[key]        # decays the weights already moved
    return loss + penalty
'''

L2_LOSS_WITHOUT_PENALTY = '''\
def train_step_l2(loss_fn, params, X, y, lr, lam):
    loss, grads = loss_fn(params, X, y)
    for key in params:
        grad = grads[key] + lam * params[key] if key.startswith("W") else grads[key]
        params[key] -= lr * grad
    return loss
'''

L2_DECAY_WITHOUT_LR = '''\
def train_step_l2(loss_fn, params, X, y, lr, lam):
    loss, grads = loss_fn(params, X, y)
    penalty = sum(0.5 * lam * np.sum(params[key] ** 2) for key in params if key.startswith("W"))
    for key in params:
        if key.startswith("W"):
            params[key] -= lam * params[key]
        params[key] -= lr * grads[key]
    return loss + penalty
'''

L2_PENALTY_WITHOUT_HALF = '''\
def train_step_l2(loss_fn, params, X, y, lr, lam):
    loss, grads = loss_fn(params, X, y)
    penalty = sum(lam * np.sum(params[key] ** 2) for key in params if key.startswith("W"))
    for key in params:
        grad = grads[key] + lam * params[key] if key.startswith("W") else grads[key]
        params[key] -= lr * grad
    return loss + penalty
'''

WRONG = [
    dict(student="bp_neuron_no_sigmoid_slope", replace={"neuron_backward": NEURON_NO_SIGMOID_SLOPE},
         fails={"neuron_backward_test"}, visible=r"sigmoid's slope"),
    dict(student="bp_dense_dW_transposed", replace={"dense_backward": DENSE_DW_TRANSPOSED},
         fails={"dense_backward_test", "two_layer_loss_test"}, visible=r"did you transpose\?"),
    dict(student="bp_tanh_cache_as_input", replace={"tanh_backward": TANH_CACHE_AS_INPUT},
         fails={"tanh_backward_test", "two_layer_loss_test"}, visible=r"tanh"),
    dict(student="bp_relu_on_dout", replace={"relu_backward": RELU_ON_DOUT},
         fails={"relu_backward_test"}, visible=r"applied ReLU to dout"),
    dict(student="bp_softmax_naive_exp", replace={"softmax_cross_entropy": SOFTMAX_NAIVE_EXP},
         fails={"softmax_cross_entropy_test"}, visible=r"overflow"),
    dict(student="bp_softmax_summed", replace={"softmax_cross_entropy": SOFTMAX_SUMMED_GRADIENT},
         fails={"softmax_cross_entropy_test", "two_layer_loss_test"}, visible=r"summed instead of averaged"),
    # overfit_tiny_batch runs the student's own train_step: a wrong train_step costs its test too
    dict(student="bp_train_step_uphill", replace={"train_step": TRAIN_STEP_UPHILL},
         fails={"train_step_test", "overfit_tiny_batch_test"}, visible=r"sign is flipped"),
    dict(student="bp_train_step_fixed_keys", replace={"train_step": TRAIN_STEP_FIXED_KEYS},
         fails={"train_step_test", "overfit_tiny_batch_test"}, visible=None),
    dict(student="bp_overfit_all_samples", replace={"overfit_tiny_batch": OVERFIT_ALL_SAMPLES},
         fails={"overfit_tiny_batch_test"}, visible=r"was given all 50 samples.*first n_samples = 20"),
    dict(student="bp_overfit_last_samples", replace={"overfit_tiny_batch": OVERFIT_LAST_SAMPLES},
         fails={"overfit_tiny_batch_test"}, visible=r"not the first 20"),
    dict(student="bp_overfit_shallow_copy", replace={"overfit_tiny_batch": OVERFIT_SHALLOW_COPY},
         fails={"overfit_tiny_batch_test"}, visible=r"(?s)changed params\['W1'\].*copies the dict but not the arrays"),
    dict(student="bp_overfit_no_copy", replace={"overfit_tiny_batch": OVERFIT_NO_COPY},
         fails={"overfit_tiny_batch_test"}, visible=r"should train a copy"),
    dict(student="bp_overfit_last_loss_only", replace={"overfit_tiny_batch": OVERFIT_LAST_LOSS_ONLY},
         fails={"overfit_tiny_batch_test"}, visible=r"list of all n_steps = 30 losses"),
    dict(student="bp_overfit_losses_after", replace={"overfit_tiny_batch": OVERFIT_LOSSES_AFTER_THE_STEP},
         fails={"overfit_tiny_batch_test"}, visible=r"losses \*after\* each step"),
    dict(student="bp_overfit_one_step_short", replace={"overfit_tiny_batch": OVERFIT_ONE_STEP_SHORT},
         fails={"overfit_tiny_batch_test"}, visible=r"shape"),
    dict(student="bp_l2_decays_biases", replace={"train_step_l2": L2_DECAYS_BIASES},
         fails={"train_step_l2_test"}, visible=r"is a bias and was decayed too"),
    dict(student="bp_l2_twice_the_decay", replace={"train_step_l2": L2_TWICE_THE_DECAY},
         fails={"train_step_l2_test"}, visible=r"2 \* lam \* W, twice too strong"),
    dict(student="bp_l2_half_the_decay", replace={"train_step_l2": L2_HALF_THE_DECAY},
         fails={"train_step_l2_test"}, visible=r"lam / 2 \* W, half what it should be"),
    dict(student="bp_l2_decay_after_the_step", replace={"train_step_l2": L2_DECAY_AFTER_THE_STEP},
         fails={"train_step_l2_test"}, visible=r"\*after\* the gradient step"),
    dict(student="bp_l2_loss_without_penalty", replace={"train_step_l2": L2_LOSS_WITHOUT_PENALTY},
         fails={"train_step_l2_test"}, visible=r"loss_fn's loss alone"),
    dict(student="bp_l2_decay_without_lr", replace={"train_step_l2": L2_DECAY_WITHOUT_LR},
         fails={"train_step_l2_test"}, visible=r"not multiplied by the learning rate"),
    dict(student="bp_l2_penalty_without_half", replace={"train_step_l2": L2_PENALTY_WITHOUT_HALF},
         fails={"train_step_l2_test"}, visible=r"twice too large"),
]

"""Wrong-but-plausible answers for 02_neurons_and_activations (see __init__.py)."""

NAIVE_SIGMOID = '''\
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
'''

# Right for vectors (the visible tests), wrong for matrices (the hidden tests).
LOOP_SIGMOID = '''\
import math

def sigmoid(z):
    out = []
    for v in z:
        if v >= 0:
            out.append(1 / (1 + math.exp(-v)))
        else:
            out.append(math.exp(v) / (1 + math.exp(v)))
    return np.array(out)
'''

WRONG = [
    dict(student="naive_sigmoid", replace={"sigmoid": NAIVE_SIGMOID},
         fails={"sigmoid_test"}, visible=r"overflow"),
    dict(student="loop_sigmoid", replace={"sigmoid": LOOP_SIGMOID},
         fails={"sigmoid_test"}, visible=None),
    dict(student="w_not_transposed", replace={"dense_forward": "def dense_forward(X, W, b):\n    return X @ W + b\n"},
         fails={"dense_forward_test"}, visible=r"transpose"),
    dict(student="bias_forgotten", replace={"dense_forward": "def dense_forward(X, W, b):\n    return X @ W.T\n"},
         fails={"dense_forward_test"}, visible=r"forget to add the bias"),
]

"""Wrong-but-plausible answers for 01_function_approximation (see __init__.py)."""

# np.polyfit's order read backwards: (intercept, slope).
SWAPPED_LINE = '''\
def linear_fit(x, y):
    slope, intercept = np.polyfit(np.ravel(x), np.ravel(y), 1)
    return intercept, slope
'''

# The largest signed difference: errors below the target are ignored.
SIGNED_MAX_ERROR = '''\
def max_error(y_true, y_pred):
    return float(np.max(np.ravel(y_true) - np.ravel(y_pred)))
'''

# Compares x with the threshold -b/w: right for w > 0, backwards for w < 0.
THRESHOLD_STEP = '''\
def step_neuron(x, w, b):
    return (np.asarray(x) > -b / w).astype(float)
'''

# The edges are not scaled by the steepness: sigmoid(s*x - left) switches at left/s.
UNSCALED_BUMP = '''\
def bump(x, left, right, height, steepness):
    return height * (sigmoid(steepness * x - left) - sigmoid(steepness * x - right))
'''

# A sigmoid on the output node as well: outputs squashed into (0, 1).
FORWARD_SIGMOID_OUTPUT = '''\
def forward(x, W1, b1, W2, b2):
    hidden = sigmoid(x @ W1.T + b1)
    return sigmoid(hidden @ W2.T + b2)
'''

# A fixed steepness: fine for 10 and 40 bumps on (-3, 3), but the sides smear together
# when the bumps get narrow (short ranges, many bumps): the visible test on (2, 3) says so.
FIXED_STEEPNESS = '''\
def bumps_approximation(f, n_bumps, x_range):
    low, high = x_range
    centres = np.linspace(low, high, n_bumps)
    width = (high - low) / (n_bumps - 1)
    s = 10.0
    heights = f(centres)
    W1 = np.full((2 * n_bumps, 1), s)
    b1 = -s * np.concatenate([centres - width / 2, centres + width / 2])
    W2 = np.concatenate([heights, -heights]).reshape(1, -1)
    return W1, b1, W2, np.zeros(1)
'''

# The range (-3, 3) written in: wrong for every other range (the visible test on (2, 3)).
HARDCODED_RANGE = '''\
def bumps_approximation(f, n_bumps, x_range):
    centres = np.linspace(-3, 3, n_bumps)
    width = 6 / (n_bumps - 1)
    s = 20 / width
    heights = f(centres)
    W1 = np.full((2 * n_bumps, 1), s)
    b1 = -s * np.concatenate([centres - width / 2, centres + width / 2])
    W2 = np.concatenate([heights, -heights]).reshape(1, -1)
    return W1, b1, W2, np.zeros(1)
'''

# Fires at w * x + b = 0 too (>= instead of >): the text's step gives 0 there.
STEP_AT_ZERO = '''\
def step_neuron(x, w, b):
    return (w * np.asarray(x) + b >= 0).astype(float)
'''

WRONG = [
    dict(student="fa_swapped_line", replace={"linear_fit": SWAPPED_LINE},
         fails={"linear_fit_test"}, visible=r"\(intercept, slope\): return \(slope, intercept\)"),
    dict(student="fa_signed_max_error", replace={"max_error": SIGNED_MAX_ERROR},
         fails={"max_error_test"}, visible=r"absolute"),
    dict(student="fa_threshold_step", replace={"step_neuron": THRESHOLD_STEP},
         fails={"step_neuron_test"}, visible=r"negative weight"),
    dict(student="fa_step_fires_at_zero", replace={"step_neuron": STEP_AT_ZERO},
         fails={"step_neuron_test"}, visible=None),
    dict(student="fa_unscaled_bump", replace={"bump": UNSCALED_BUMP},
         fails={"bump_test"}, visible=r"steepness \* \(x - edge\)"),
    dict(student="fa_forward_sigmoid_output", replace={"forward": FORWARD_SIGMOID_OUTPUT},
         fails={"forward_test"}, visible=r"sigmoid to the output layer"),
    dict(student="fa_fixed_steepness", replace={"bumps_approximation": FIXED_STEEPNESS},
         fails={"bumps_approximation_test"},
         visible=r"off by 0\.4\d* at x = 2\.000.*steepness\) are about 10 here and 10 on \(-3, 3\).*"
                 r"steepness = 20 / width"),
    dict(student="fa_hardcoded_range", replace={"bumps_approximation": HARDCODED_RANGE},
         fails={"bumps_approximation_test"},
         visible=r"switch \(at x = -b1 / W1\) from x = -3\.08 to 3\.08, outside x_range = \(2\.0, 3\.0\)"),
]

"""Wrong-but-plausible answers for 07_generalisation (see __init__.py).

One mistake per entry (each replaces one exercise), so that each visible message is
matched against the one mistake it must name; test_grading.py packs an answer to each
exercise into one submission.
"""

# --- Exercise 1: accuracy_and_confidence ---------------------------------------------------

# The "confidence" as the mean probability of the TRUE class (what the loss looks at).
CONFIDENCE_OF_TRUE_CLASS = '''\
def accuracy_and_confidence(proba, y):
    n = len(y)
    accuracy = np.mean(proba.argmax(axis=1) == y)
    confidence = np.mean(proba[np.arange(n), y])
    return float(accuracy), float(confidence)
'''

# The mean of every probability in the table: 1 / n_classes whatever the network says.
CONFIDENCE_MEAN_OF_ALL = '''\
def accuracy_and_confidence(proba, y):
    accuracy = np.mean(proba.argmax(axis=1) == y)
    confidence = np.mean(proba)
    return float(accuracy), float(confidence)
'''

# The largest probability of each column (class), not of each row.
CONFIDENCE_MAX_ALONG_AXIS_0 = '''\
def accuracy_and_confidence(proba, y):
    accuracy = np.mean(proba.argmax(axis=1) == y)
    confidence = np.mean(proba.max(axis=0))
    return float(accuracy), float(confidence)
'''

# The answers taken along the wrong axis: one per class, compared with one label per sample.
ARGMAX_ALONG_AXIS_0 = '''\
def accuracy_and_confidence(proba, y):
    accuracy = np.mean(proba.argmax(axis=0) == y)
    confidence = np.mean(proba.max(axis=1))
    return float(accuracy), float(confidence)
'''

ACCURACY_AND_CONFIDENCE_SWAPPED = '''\
def accuracy_and_confidence(proba, y):
    accuracy = np.mean(proba.argmax(axis=1) == y)
    confidence = np.mean(proba.max(axis=1))
    return float(confidence), float(accuracy)
'''

ACCURACY_AND_CONFIDENCE_PERCENT = '''\
def accuracy_and_confidence(proba, y):
    accuracy = 100 * np.mean(proba.argmax(axis=1) == y)
    confidence = 100 * np.mean(proba.max(axis=1))
    return accuracy, confidence
'''

ACCURACY_COUNT = '''\
def accuracy_and_confidence(proba, y):
    right = np.sum(proba.argmax(axis=1) == y)
    confidence = np.mean(proba.max(axis=1))
    return right, float(confidence)
'''

# A sample counts as right when its true class has the largest probability, even if it
# shares it with an earlier class (argmax, and the text, take the first): the visible
# examples have no ties, the hidden "a tie" case does.
ACCURACY_TIE_COUNTS_AS_RIGHT = '''\
def accuracy_and_confidence(proba, y):
    largest = proba.max(axis=1)
    accuracy = np.mean(proba[np.arange(len(y)), y] == largest)
    return float(accuracy), float(np.mean(largest))
'''

# --- Exercise 2: dead_units -----------------------------------------------------------------

# A unit that is 0 for SOME picture counted as dead.
DEAD_UNITS_ANY = '''\
def dead_units(H):
    return float(np.mean(np.any(H == 0, axis=0)))
'''

# All zero along the rows: the share of the pictures for which every unit is 0.
DEAD_UNITS_AXIS_1 = '''\
def dead_units(H):
    return float(np.mean(np.all(H == 0, axis=1)))
'''

# The share of the zero entries of H, not of the always-zero columns.
DEAD_UNITS_MEAN_OF_ZEROS = '''\
def dead_units(H):
    return float(np.mean(H == 0))
'''

DEAD_UNITS_COUNT = '''\
def dead_units(H):
    return int(np.sum(np.all(H == 0, axis=0)))
'''

DEAD_UNITS_PERCENT = '''\
def dead_units(H):
    return 100 * float(np.mean(np.all(H == 0, axis=0)))
'''

# The number of dead units divided by the number of pictures (rows), not of units.
DEAD_UNITS_PER_SAMPLE = '''\
def dead_units(H):
    return np.sum(np.all(H == 0, axis=0)) / H.shape[0]
'''

WRONG = [
    dict(student="nb07_confidence_of_the_true_class",
         replace={"accuracy_and_confidence": CONFIDENCE_OF_TRUE_CLASS},
         fails={"accuracy_and_confidence_test"},
         visible=r"mean probability of the \*true\* class"),
    dict(student="nb07_confidence_mean_of_all_probabilities",
         replace={"accuracy_and_confidence": CONFIDENCE_MEAN_OF_ALL},
         fails={"accuracy_and_confidence_test"},
         visible=r"the mean of all the probabilities"),
    dict(student="nb07_confidence_max_along_axis_0",
         replace={"accuracy_and_confidence": CONFIDENCE_MAX_ALONG_AXIS_0},
         fails={"accuracy_and_confidence_test"},
         visible=r"largest probability of each \*class\* .*axis=0"),
    dict(student="nb07_argmax_along_axis_0",
         replace={"accuracy_and_confidence": ARGMAX_ALONG_AXIS_0},
         fails={"accuracy_and_confidence_test"},
         visible=r"could not be broadcast(.|\n)*argmax\(axis=1\): one per sample(.|\n)*one per class"),
    dict(student="nb07_accuracy_and_confidence_swapped",
         replace={"accuracy_and_confidence": ACCURACY_AND_CONFIDENCE_SWAPPED},
         fails={"accuracy_and_confidence_test"},
         visible=r"the two numbers are in the wrong order"),
    dict(student="nb07_accuracy_and_confidence_in_percent",
         replace={"accuracy_and_confidence": ACCURACY_AND_CONFIDENCE_PERCENT},
         fails={"accuracy_and_confidence_test"},
         visible=r"the accuracy.*got 75\.0, expected 0\.75(.|\n)*it is a percentage"),
    dict(student="nb07_accuracy_as_a_count",
         replace={"accuracy_and_confidence": ACCURACY_COUNT},
         fails={"accuracy_and_confidence_test"},
         visible=r"it is the number of right answers"),
    dict(student="nb07_accuracy_tie_counts_as_right",
         replace={"accuracy_and_confidence": ACCURACY_TIE_COUNTS_AS_RIGHT},
         fails={"accuracy_and_confidence_test"},
         visible=None),
    dict(student="nb07_dead_units_any",
         replace={"dead_units": DEAD_UNITS_ANY},
         fails={"dead_units_test"},
         visible=r"0 for \*some\* picture \(np\.any\)"),
    dict(student="nb07_dead_units_along_axis_1",
         replace={"dead_units": DEAD_UNITS_AXIS_1},
         fails={"dead_units_test"},
         visible=r"the check ran along the wrong axis"),
    dict(student="nb07_dead_units_share_of_zero_entries",
         replace={"dead_units": DEAD_UNITS_MEAN_OF_ZEROS},
         fails={"dead_units_test"},
         visible=r"share of the zero outputs among all entries of H"),
    dict(student="nb07_dead_units_count",
         replace={"dead_units": DEAD_UNITS_COUNT},
         fails={"dead_units_test"},
         visible=r"that is the number of dead units; divide by the number of units"),
    dict(student="nb07_dead_units_in_percent",
         replace={"dead_units": DEAD_UNITS_PERCENT},
         fails={"dead_units_test"},
         visible=r"got 50\.0, expected 0\.5(.|\n)*it is a percentage"),
    dict(student="nb07_dead_units_divided_by_the_samples",
         replace={"dead_units": DEAD_UNITS_PER_SAMPLE},
         fails={"dead_units_test"},
         visible=r"divided by the number of pictures"),
]

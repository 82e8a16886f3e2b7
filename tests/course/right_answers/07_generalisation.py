"""Right answers for 07_generalisation in other styles than the solution (see __init__.py)."""

RIGHT = [
    # --- accuracy_and_confidence -------------------------------------------------------------------
    dict(name="accuracy_and_confidence_loops", style="Python loops over the rows: the first largest entry found "
         "by hand, the counts and the sum kept in the input's dtype (float32 sums for float32 input)",
         replace={"accuracy_and_confidence": '''\
def accuracy_and_confidence(proba, y):
    right, total = 0, 0.0
    for row, label in zip(proba, y):
        best = 0
        for j in range(1, len(row)):
            if row[j] > row[best]:
                best = j
        if best == label:
            right += 1
        total += row[best]
    n = len(y)
    return right / n, total / n
'''}),
    dict(name="accuracy_and_confidence_take_along_axis_list", style="np.take_along_axis at the argmax instead "
         "of max; count_nonzero divided by n; a list of two NumPy scalars returned", replace={
             "accuracy_and_confidence": '''\
def accuracy_and_confidence(proba, y):
    P = np.asarray(proba)
    answers = np.argmax(P, axis=-1)
    top = np.take_along_axis(P, answers[:, None], axis=1)[:, 0]
    accuracy = np.count_nonzero(answers == y) / len(y)
    return [accuracy, top.mean()]
'''}),
    dict(name="accuracy_and_confidence_fancy_index_float32", style="the largest probabilities read by fancy "
         "indexing proba[rows, answers]; sums then divisions; both results returned as np.float32",
         replace={"accuracy_and_confidence": '''\
def accuracy_and_confidence(proba, y):
    n = proba.shape[0]
    predicted = proba.argmax(1)
    largest = proba[np.arange(n), predicted]
    hits = (predicted == y).sum()
    return np.float32(hits / n), np.float32(largest.sum() / n)
'''}),
    dict(name="accuracy_and_confidence_sort_keywords", style="np.sort along the rows, the last column as the "
         "largest; np.equal and np.argmax called with keywords; a tuple of NumPy float64", replace={
             "accuracy_and_confidence": '''\
def accuracy_and_confidence(proba, y):
    ordered = np.sort(proba, axis=1)
    confidence = ordered[:, -1].mean()
    hits = np.equal(np.argmax(a=proba, axis=1), np.asarray(y))
    return hits.mean(), confidence
'''}),
    dict(name="accuracy_and_confidence_one_hot_copy", style="works on a float copy: a one-hot matrix of the "
         "answers (np.eye), the accuracy read from it at the true labels, the confidence as sum(one_hot * P) / n",
         replace={"accuracy_and_confidence": '''\
def accuracy_and_confidence(proba, y):
    P = np.array(proba, dtype=float, copy=True)
    n, k = P.shape
    one_hot = np.eye(k)[P.argmax(axis=1)]
    accuracy = one_hot[np.arange(n), np.asarray(y, dtype=int)].sum() / n
    P *= one_hot
    confidence = P.sum() / n
    return float(accuracy), float(confidence)
'''}),
    dict(name="accuracy_and_confidence_python_lists", style="plain Python lists (tolist): list.index(max(row)) "
         "for the first largest entry, sum() of booleans and of floats", replace={"accuracy_and_confidence": '''\
def accuracy_and_confidence(proba, y):
    rows = np.asarray(proba).tolist()
    labels = [int(label) for label in y]
    answers = [row.index(max(row)) for row in rows]
    accuracy = sum(a == t for a, t in zip(answers, labels)) / len(rows)
    confidence = sum(max(row) for row in rows) / len(rows)
    return accuracy, confidence
'''}),

    # --- dead_units --------------------------------------------------------------------------------
    dict(name="dead_units_not_any_nonzero", style="~np.any(H != 0, axis=0); count_nonzero divided by the number "
         "of columns", replace={"dead_units": '''\
def dead_units(H):
    dead = ~np.any(H != 0, axis=0)
    return np.count_nonzero(dead) / H.shape[1]
'''}),
    dict(name="dead_units_all_at_most_zero", style="(H <= 0).all(axis=0) (the entries are never negative); "
         "the NumPy float64 mean returned as it is", replace={"dead_units": '''\
def dead_units(H):
    return (np.asarray(H) <= 0).all(axis=0).mean()
'''}),
    dict(name="dead_units_column_loop", style="nested Python loops over the columns and rows, a count divided "
         "by the number of units", replace={"dead_units": '''\
def dead_units(H):
    n_samples, n_units = len(H), len(H[0])
    dead = 0
    for j in range(n_units):
        if all(H[i][j] == 0 for i in range(n_samples)):
            dead += 1
    return dead / n_units
'''}),
    dict(name="dead_units_max_keywords_float32", style="np.max with keywords: a column is dead when its largest "
         "output is 0; the count divided by the width, returned as np.float32", replace={"dead_units": '''\
def dead_units(H):
    largest = np.max(a=H, axis=0)
    return np.float32(np.sum(largest == 0) / np.shape(H)[1])
'''}),
    dict(name="dead_units_alive_in_place", style="an 'alive' mask updated in place row by row (|=); one minus "
         "the share alive", replace={"dead_units": '''\
def dead_units(H):
    alive = np.zeros(H.shape[1], dtype=bool)
    for row in H:
        alive |= row > 0
    return 1.0 - alive.sum() / alive.size
'''}),
    dict(name="dead_units_columns_comprehension", style="the columns of H.T in a generator; not column.any(); "
         "sum of booleans over len", replace={"dead_units": '''\
def dead_units(H):
    columns = np.asarray(H).T
    return sum(not column.any() for column in columns) / len(columns)
'''}),
]

# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 07 · What the network learned, and where it fails
#
# In notebook 06 you built a classifier from your own functions, chose its settings
# on a validation set and scored it once on the test set: about 93 % of the cartoon
# cats and dogs right. This notebook asks what that number does and does not promise.
#
# * **Distribution shift.** What happens when new pictures differ from the training
#   pictures — noisier, other colours, smaller heads, a strange background — and why
#   the network stays just as *sure* of itself while its accuracy falls. And an
#   honest account of real photos.
# * **Common misconceptions** about probabilities, weight updates, learning rates,
#   raw pixels and what training promises for a single picture, each checked with
#   your network.
# * **Ten classes, real handwriting.** Your code, unchanged, trained on 1,797 real
#   handwritten digits, with a pad to draw your own on.
#
# **What you will write** (4 points in all):
#
# | # | function | points | what it does |
# |---|---|---|---|
# | 1 | `accuracy_and_confidence` | 2 | how often the network is right, and how sure it is on average |
# | 2 | `dead_units` | 2 | the share of ReLU units that never fire |
#
# Everything else runs on **your functions from notebook 06**: `preprocess`,
# `init_params`, `predict_proba`, `loss_and_gradients`, `train_epoch`, `fit`,
# `confusion_matrix`, `misclassified` and `predict_file`. They are read from your
# notebook `../06_cat_vs_dog/06_cat_vs_dog.ipynb`, next to this one (read, not run:
# only the functions and what they need). Until one of them is written there, the
# cells that need it say so instead of showing their result.
#
# **How to work through this notebook.** Run the cells from top to bottom. Where
# you see `# YOUR CODE HERE`, delete the `raise NotImplementedError()` line and write
# your code. The cell after each exercise tests it and, when something is wrong,
# says what. The grade uses hidden tests too, on other shapes and numbers. While
# grading, only this notebook is there — not your notebook 06 — so the experiments
# are not run (they earn no points), and in your feedback those cells show no output.

# %%
import os

# One BLAS thread: on a small machine the matrix products of this notebook are too
# small to gain from a second thread, which mostly waits and makes timings erratic.
# (It only takes effect before NumPy is imported, hence the very first line.)
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from nnlearn.images import make_cats_and_dogs
from nnlearn.losses import categorical_cross_entropy              # notebook 03
from nnlearn.plotting import (not_yet, plot_confusion_matrix, plot_history, plot_image_grid,
                              plot_weights_as_images)
from nnlearn.preprocessing import train_test_split                # notebook 03


def try_call(func, *args, **kwargs):
    """func(*args, **kwargs), or None while that exercise is still to be done."""
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        return None


def within(value, low, high):
    """True if value lies in [low, high]: the ranges the course measured for correct code."""
    return bool(low <= value <= high)


NOTEBOOK_06 = "../06_cat_vs_dog/06_cat_vs_dog.ipynb"
FROM_06 = ("preprocess", "init_params", "predict_proba", "loss_and_gradients", "train_epoch", "fit",
           "confusion_matrix", "misclassified", "predict_file")
TRAINING = ("preprocess", "init_params", "predict_proba", "loss_and_gradients", "train_epoch", "fit")
IN_06 = "in notebook 06"        # where those functions are written, for not_yet(..., where=IN_06)

# %% [markdown]
# ## 1. Your network from notebook 06
#
# The next cell reads your functions from notebook 06. A function that is not written
# there yet (or that the cell cannot read) is replaced by one that raises
# `NotImplementedError`, so the cells below say which one they still need.

# %% tags=["grading-skip"]
from nnlearn.notebooks import functions_from_notebook


def still_to_write(name, reason):
    """A stand-in for a function of notebook 06 that cannot be used yet: it raises NotImplementedError."""
    def stand_in(*args, **kwargs):
        raise NotImplementedError(f"{name} from notebook 06: {reason}")
    return stand_in


mine_06, missing = {}, {}            # missing: name -> why it cannot be read from notebook 06 (yet)
try:
    mine_06 = functions_from_notebook(NOTEBOOK_06, list(FROM_06))
except FileNotFoundError as err:
    print(f"Notebook 06 is not next to this one, so the experiments cannot run: {err}")
    missing = {name: "notebook 06 was not found" for name in FROM_06}
except ValueError:
    mine_06 = {}                   # read them one by one, to find the ones that can be used
    for name in FROM_06:
        try:
            mine_06[name] = functions_from_notebook(NOTEBOOK_06, [name])[name]
        except ValueError as err:
            missing[name] = str(err)
    unwritten = [name for name, why in missing.items() if "still raises NotImplementedError" in why]
    if unwritten:
        print("still to write in notebook 06 (and save there):", ", ".join(unwritten))
    for name, why in missing.items():
        if name not in unwritten:
            print(f"cannot use {name}: {why}")
for name, why in missing.items():
    mine_06[name] = still_to_write(name, why)
(preprocess, init_params, predict_proba, loss_and_gradients, train_epoch, fit,
 confusion_matrix, misclassified, predict_file) = (mine_06[name] for name in FROM_06)
print(f"read from {NOTEBOOK_06}: {', '.join(n for n in FROM_06 if n not in missing) or 'nothing yet'}")

# %% [markdown]
# The same pictures as in notebook 06 — the same seed, the same training,
# validation and test split, the training set's statistics for the preprocessing —
# and the same network, trained again with your `fit` and the settings notebook 06
# chose on the validation set: one hidden layer of 64 ReLU units, learning rate
# 0.03, 20 epochs (one run, seed 0). The test set plays no part in this notebook.

# %% tags=["grading-skip"]
images, labels = make_cats_and_dogs(2000, seed=0)
images_train, images_test, y_train, y_test = train_test_split(images, labels, test_size=0.2, seed=0)
images_train, images_val, y_train, y_val = train_test_split(images_train, y_train, test_size=0.2, seed=1)

sizes = [3072, 64, 2]
trained = False
try:
    X_train, pixel_mean, pixel_std = preprocess(images_train)
    X_val = preprocess(images_val, pixel_mean, pixel_std)[0]
    params = init_params(sizes, seed=0)
    history = fit(params, X_train, y_train, X_val, y_val, epochs=20, lr=0.03, progress=False)[0]
    trained = True
except NotImplementedError:
    not_yet(*TRAINING, to="train the network", where=IN_06)
if trained:
    print(f"trained with your functions: training accuracy {history['accuracy'][-1]:.0%}, "
          f"validation accuracy {history['val_accuracy'][-1]:.0%} (one run, seed 0)")

# %% [markdown]
# ## 2. Distribution shift: sure of itself on pictures unlike its training set
#
# The network was trained, chosen and tested on one kind of picture. Validation and
# test scores promise something only for new pictures **of the same kind**. What
# happens when the pictures change systematically — a *distribution shift*? A
# controlled experiment: 400 new cartoons (another seed; neither the validation nor
# the test set), each changed by an amount from 0 (unchanged) to 1, in four ways:
#
# * **noise**: random pixel noise, with a standard deviation of up to 80 grey levels;
# * **colours**: every pixel blended towards its own colour with the channels
#   rotated (red takes green's value, green blue's, blue red's); at 1, ginger fur is
#   green and blue skies are red;
# * **smaller heads**: the picture shrunk to as little as half its width, in the
#   middle, the border around it filled by repeating the edge pixels, so that the
#   background simply continues;
# * **other background**: the same shrinking, but the border filled with diagonal
#   stripes in two random colours, a background no training picture had.
#
# For every amount we measure the accuracy and the **mean confidence**: the average,
# over the pictures, of the largest probability the network gives, i.e. how sure it
# is of its answers. Both are yours to compute:
#
# ### Exercise 1: `accuracy_and_confidence` (2 points)
#
# Write `accuracy_and_confidence(proba, y)`:
#
# * `proba` holds class probabilities, shape `(n_samples, n_classes)`, one row per
#   picture, each row adding up to 1 (what `predict_proba` returns);
# * `y` holds the true labels, integers, shape `(n_samples,)`;
# * return the pair `(accuracy, confidence)`, two numbers between 0 and 1:
#   * the **accuracy** is the share of the samples whose largest probability is at
#     their true class;
#   * the **confidence** is the mean, over the samples, of the largest probability
#     of each row: how sure the network is of its answers, right or wrong. It does
#     not use `y` — the network does not know the true labels either.
#
# (When two classes share the largest probability, count the first of them as the
# answer, as `argmax` does.)

# %% nbgrader={"grade": false, "grade_id": "accuracy_and_confidence", "locked": false, "schema_version": 3, "solution": true}
def accuracy_and_confidence(proba, y):
    """(accuracy, mean confidence) of the probabilities proba (n_samples, n_classes) for the labels y."""
    ### BEGIN SOLUTION
    proba = np.asarray(proba)
    accuracy = np.mean(proba.argmax(axis=1) == np.asarray(y))
    confidence = np.mean(proba.max(axis=1))
    return float(accuracy), float(confidence)
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# Both numbers work row by row: first find, for every row, the class with the largest probability and that probability itself; then average over the rows.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# `proba.argmax(axis=1)` gives every row's answer and `proba.max(axis=1)` its largest probability. The answer is right where it equals `y`; the mean of a boolean array is the share of `True`.
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# The confidence is not the probability of the *true* class (`proba[i, y[i]]`): for a picture the network gets wrong, that is the small one. Take the largest probability of each row, whatever its class, and return the two means as a pair, accuracy first.
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "accuracy_and_confidence_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_scalar


def check_accuracy_and_confidence(what, proba, y):
    """Check accuracy_and_confidence(proba, y) against the definition; name the familiar mistakes."""
    proba_given, y_given = np.array(proba, copy=True), np.array(y, copy=True)
    try:
        result = call(accuracy_and_confidence, proba, y)
    except CheckFailed as err:
        if "could not be broadcast" not in str(err):
            raise
        raise CheckFailed(f"{err}\nHint: proba has one row per sample and one column per class. Each sample's "
                          "answer is the largest entry of its row, proba.argmax(axis=1): one per sample, like y "
                          "(along axis=0 you get one per class).") from None
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise CheckFailed(f"accuracy_and_confidence({what}) returned {result!r:.80}; return the pair "
                          "(accuracy, confidence), e.g. `return accuracy, confidence`.")
    P, labels = np.asarray(proba, dtype=np.float64), np.asarray(y)
    accuracy, confidence = np.mean(P.argmax(axis=1) == labels), np.mean(P.max(axis=1))
    p_true = np.mean(P[np.arange(len(labels)), labels])
    got_accuracy, got_confidence = result
    try:
        swapped = (abs(float(got_accuracy) - confidence) < 1e-6 and abs(float(got_confidence) - accuracy) < 1e-6
                   and abs(accuracy - confidence) > 1e-6)
    except (TypeError, ValueError):
        swapped = False
    if swapped:
        raise CheckFailed(f"accuracy_and_confidence({what}) returned ({float(got_accuracy):.4g}, "
                          f"{float(got_confidence):.4g}): the two numbers are in the wrong order. Return "
                          "(accuracy, confidence), accuracy first.")
    check_scalar(f"the accuracy, accuracy_and_confidence({what})[0]", got_accuracy, accuracy, rtol=1e-5,
                 mistakes=[(100 * accuracy, "it is a percentage; return the share, between 0 and 1."),
                           (np.sum(P.argmax(axis=1) == labels), "it is the number of right answers; divide by "
                            "the number of samples (or take the mean of the boolean array).")])
    check_scalar(f"the confidence, accuracy_and_confidence({what})[1]", got_confidence, confidence, rtol=1e-5,
                 mistakes=[(p_true, "that is the mean probability of the *true* class. The confidence is the "
                            "largest probability of each row, whatever its class: the network does not know "
                            "the true label."),
                           (np.mean(P), "that is the mean of all the probabilities (1 / n_classes when the rows "
                            "add up to 1); take the largest one of each row: proba.max(axis=1)."),
                           (np.mean(P.max(axis=0)), "that is the mean of the largest probability of each *class* "
                            "(column), along axis=0; take the largest one of each row (sample): proba.max(axis=1)."),
                           (100 * confidence, "it is a percentage; return the mean probability, between 0 and 1.")])
    if not (np.array_equal(np.asarray(proba), proba_given) and np.array_equal(np.asarray(y), y_given)):
        raise CheckFailed(f"accuracy_and_confidence({what}) changed its inputs; leave proba and y as they are.")


# Four pictures, two classes: the answers are cat, dog, cat, cat; the last one is wrong.
check_accuracy_and_confidence("4 pictures, 2 classes",
                              np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.8, 0.2]]), np.array([0, 1, 0, 1]))
# Three classes: one right answer out of three, and a network that is sure of its wrong ones.
check_accuracy_and_confidence("3 pictures, 3 classes",
                              np.array([[0.1, 0.8, 0.1], [0.05, 0.05, 0.9], [0.2, 0.5, 0.3]]), np.array([1, 0, 2]))

### BEGIN HIDDEN TESTS
hidden_rng = np.random.default_rng(20261205)
for hidden_n, hidden_k in [(1, 2), (7, 3), (50, 10), (200, 2)]:
    hidden_scores = hidden_rng.normal(scale=2.0, size=(hidden_n, hidden_k))
    hidden_P = np.exp(hidden_scores) / np.exp(hidden_scores).sum(axis=1, keepdims=True)
    hidden_y = hidden_rng.integers(0, hidden_k, size=hidden_n)
    check_accuracy_and_confidence(f"{hidden_n} samples, {hidden_k} classes", hidden_P, hidden_y)
    check_accuracy_and_confidence(f"{hidden_n} samples, {hidden_k} classes, in float32",
                                  hidden_P.astype(np.float32), hidden_y)
# every answer right, every answer wrong, a tie (argmax takes the first class)
check_accuracy_and_confidence("all right", np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 1]))
check_accuracy_and_confidence("all wrong", np.array([[0.3, 0.7], [0.99, 0.01]]), np.array([0, 1]))
check_accuracy_and_confidence("a tie", np.array([[0.5, 0.5], [0.5, 0.5]]), np.array([0, 1]))
### END HIDDEN TESTS
print("accuracy_and_confidence: all tests in this cell passed.")

# %% [markdown]
# The four shifts, at amounts 0, 0.5 and 1, on the first of the 400 new pictures:

# %% tags=["grading-skip"]
def shift_pictures(pictures, kind, amount, seed=0):
    """The uint8 pictures (n, size, size, 3) shifted by `amount` (0 to 1) in one of four ways."""
    rng = np.random.default_rng(seed)
    x = pictures.astype(np.float64)
    n, size = pictures.shape[:2]
    if kind == "noise":
        x = x + rng.normal(0.0, 80.0 * amount, x.shape)
    elif kind == "colours":
        x = (1 - amount) * x + amount * x[..., [1, 2, 0]]
    elif kind in ("smaller heads", "other background"):
        scale = 1 - 0.5 * amount                                 # 1: unchanged, 0.5: half the width
        centres = (np.arange(size) * 2 + 1 - size) / size         # pixel centres from -1 to 1
        source = np.floor((centres / scale + 1) / 2 * size).astype(int)   # the pixel each one shows
        x = x[:, np.clip(source, 0, size - 1)][:, :, np.clip(source, 0, size - 1)]
        if kind == "other background":
            inside = (source >= 0) & (source < size)
            border = ~(inside[:, None] & inside[None, :])
            stripes = ((np.arange(size)[:, None] + np.arange(size)[None, :]) // 3) % 2 == 1
            colours = rng.integers(0, 256, (n, 2, 3))
            texture = np.where(stripes[None, :, :, None], colours[:, None, None, 0], colours[:, None, None, 1])
            x = np.where(border[None, :, :, None], texture, x)
    return np.clip(np.rint(x), 0, 255).astype(np.uint8)


shift_kinds = ["noise", "colours", "smaller heads", "other background"]
shift_amounts = np.linspace(0.0, 1.0, 5)
shift_images, shift_labels = make_cats_and_dogs(400, seed=11)
fig, axes = plt.subplots(len(shift_kinds), 3, figsize=(5, 7))
for row, kind in enumerate(shift_kinds):
    for col, amount in enumerate([0.0, 0.5, 1.0]):
        axes[row, col].imshow(shift_pictures(shift_images[:1], kind, amount)[0])
        axes[row, col].set_xticks([])
        axes[row, col].set_yticks([])
        axes[0, col].set_title(f"amount {amount:g}")
    axes[row, 0].set_ylabel(kind)
fig.tight_layout()
plt.show()

# %% tags=["grading-skip"]
shift_results = None
if not trained:
    not_yet(*TRAINING, to="run this experiment", where=IN_06)
elif try_call(accuracy_and_confidence, np.array([[0.9, 0.1]]), np.array([0])) is None:
    not_yet("accuracy_and_confidence", to="run this experiment")
else:
    shift_results = {}
    for kind in shift_kinds:
        for amount in shift_amounts:
            X_shift = preprocess(shift_pictures(shift_images, kind, amount), pixel_mean, pixel_std)[0]
            P_shift = np.asarray(predict_proba(params, X_shift), dtype=np.float64)
            shift_results[kind, amount] = tuple(accuracy_and_confidence(P_shift, shift_labels))
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4), sharey=True)
    for kind in shift_kinds:
        axes[0].plot(shift_amounts, [shift_results[kind, a][0] for a in shift_amounts], "o-", label=kind)
        axes[1].plot(shift_amounts, [shift_results[kind, a][1] for a in shift_amounts], "o-", label=kind)
    axes[0].set_title("accuracy")
    axes[1].set_title("mean confidence (largest probability)")
    for ax in axes:
        ax.axhline(0.5, color="gray", ls="--", lw=0.8)
        ax.set_xlabel("amount of shift")
        ax.set_ylim(0.4, 1.0)
    axes[0].legend(fontsize="small", loc="lower left")
    fig.tight_layout()
    plt.show()

# %% tags=["grading-skip"]
# NBVAL_IGNORE_OUTPUT
# The last digit can depend on the CPU's rounding (the network is one training
# run); the summary cell below checks the ranges.
if shift_results is not None:
    print("amount of shift:      " + "".join(f"{a:>12g}" for a in shift_amounts))
    for kind in shift_kinds:
        print(f"{kind:>17}:    " + "".join(f"{acc:>6.0%} ({conf:.2f})" for acc, conf in
                                           (shift_results[kind, a] for a in shift_amounts)))
    print("(accuracy, and the mean confidence in brackets)")

# %% tags=["grading-skip"]
if shift_results is not None:
    worst_kind = min(shift_kinds, key=lambda kind: shift_results[kind, 1.0][0])
    print("the largest shift costs the most accuracy for:", ", ".join(
        kind for kind in shift_kinds if shift_results[kind, 1.0][0] <= shift_results[worst_kind, 1.0][0] + 0.1))
    checks = [(kind, shift_results[kind, 1.0][0], shift_results[kind, 1.0][1], lows)
              for kind, lows in [("noise", (0.65, 0.85, 0.85)), ("colours", (0.82, 0.97, 0.85)),
                                 ("smaller heads", (0.5, 0.7, 0.78)), ("other background", (0.5, 0.7, 0.8))]]
    outside = [f"{kind}: accuracy {acc:.0%}, confidence {conf:.2f}" for kind, acc, conf, (low, high, conf_low) in checks
               if not (within(acc, low, high) and conf >= conf_low)]
    print("at amount 1, every accuracy and confidence lies in the range the course measured" if not outside else
          "outside the ranges the course measured:\n  " + "\n  ".join(outside))

# %% [markdown]
# Colour changes hardly matter: colour told nothing about cat or dog in the
# training pictures, and the network learned to ignore it. Noise, smaller heads
# and a strange background matter a lot: the accuracy falls towards guessing. But
# look at the right-hand plot: the **confidence barely falls**. The softmax always
# picks a side, and nothing in training ever showed the network a picture it should
# be unsure about; a high probability measures how far a picture lies from the
# learned boundary, not whether the picture resembles anything the network knows.
#
# The same happens, much worse, with real photos. Trained on these cartoons, this
# network was asked about 800 real photos of cats and dogs from Kaggle's "Dogs vs.
# Cats": **46 % right — worse than a coin — with a mean confidence of 0.93**.
#
# For `predict_file` on a photo of your own this means: the answer comes with a
# number that looks like certainty, and that number means nothing here. Your photo
# differs from every training picture in background, size, lighting and detail, so
# the validation and test scores do not apply to it. A model's scores hold for data
# like the data it was validated on; to know how it does on photos, validate and
# test it on labelled photos.
#
# To try a picture of your own anyway, put its path in a cell such as
# `predict_file("my_cat.jpg", params, pixel_mean, pixel_std)`. The next part
# explains why even a network like ours *trained* on real photos is not much better.
#
# ### Real photos: an honest account
#
# The cartoons were drawn so that a small dense network can learn them in seconds.
# Real photos of cats and dogs are a different matter. On 32 × 32 colour photos
# (the cats and dogs of CIFAR-10, or Kaggle's "Dogs vs. Cats" shrunk to 32 × 32) a
# network like ours — flattened pixels, one or two dense hidden layers — reaches
# roughly **60–65 % test accuracy**, while its accuracy on its own training photos
# keeps climbing far above that. A bigger hidden layer or a better optimiser
# (scikit-learn's and PyTorch's, with Adam, land in the same place) changes little.
# Why so little?
#
# * **It sees pixels, not shapes.** Each first-layer weight belongs to one fixed
#   pixel position. A real cat may sit anywhere, at any size, turned any way, in
#   front of any background: move it a few pixels and nearly every input number
#   changes. To recognise an ear everywhere, a dense network would have to learn
#   it separately at every position, from examples at every position.
# * **Too many weights for too few pictures.** 3072 × 64 ≈ 200,000 weights in the
#   first layer, but only a few thousand training photos: the network memorises
#   the training photos instead of learning what generalises.
# * **The differences are subtle.** At 32 × 32 pixels a cat's and a dog's face
#   differ in a handful of pixels; colour and background — what a dense network
#   picks up most easily — say almost nothing about the class.
#
# **What would change it** is a pointer for the next course, not a chapter of this
# one: **convolutional networks**. A convolutional layer slides one small filter
# (say 3 × 3 pixels) over the whole picture, so the same few weights look for the
# same pattern — an edge, an eye, an ear — at every position. Far fewer weights,
# and a shift of the animal only shifts the response. Stacks of such layers do
# much better than a dense network on the very same photos.
#
# If you have real photos on disk, point one of these two names at them and run the
# cell: it trains the same network with your code, with a validation set split off
# the training photos, and scores the test photos once at the end. (Nothing is
# downloaded; with both left at `None` the cell does nothing.)

# %%
PHOTO_FOLDER = None   # a folder with cat/ and dog/ subfolders, or Kaggle names like cat.1.jpg, dog.7.jpg
CIFAR_PATH = None     # the folder with CIFAR-10's python batches (data_batch_1 ... test_batch)

if PHOTO_FOLDER is None and CIFAR_PATH is None:
    print("No real photos configured: set PHOTO_FOLDER or CIFAR_PATH above to try them.")
else:
    from nnlearn.images import load_cifar10_catdog, load_image_folder

    if CIFAR_PATH is not None:
        real_train, real_y_train, real_test, real_y_test = load_cifar10_catdog(CIFAR_PATH)
    else:
        real_images, real_labels, real_info = load_image_folder(PHOTO_FOLDER, size=32, max_per_class=3000)
        print(real_info)
        real_train, real_test, real_y_train, real_y_test = train_test_split(
            real_images, real_labels, test_size=0.2, seed=0, stratify=True)
    real_train, real_val, real_y_train, real_y_val = train_test_split(
        real_train, real_y_train, test_size=0.2, seed=1, stratify=True)
    print(f"{len(real_y_train)} training, {len(real_y_val)} validation, {len(real_y_test)} test photos")
    X_real_train, real_mean, real_std = preprocess(real_train)
    X_real_val = preprocess(real_val, real_mean, real_std)[0]
    real_params = init_params([X_real_train.shape[1], 64, 2], seed=0)
    real_history, _, _ = fit(real_params, X_real_train, real_y_train, X_real_val, real_y_val,
                             epochs=30, lr=0.01)
    plot_history(real_history)
    plt.show()
    X_real_test = preprocess(real_test, real_mean, real_std)[0]
    real_test_accuracy = np.mean(np.argmax(predict_proba(real_params, X_real_test), axis=1) == real_y_test)
    print(f"real photos: training accuracy {real_history['accuracy'][-1]:.1%}, "
          f"validation accuracy {real_history['val_accuracy'][-1]:.1%}, test accuracy {real_test_accuracy:.1%}")

# %% [markdown]
# ## 3. Common misconceptions
#
# Notebook 06 ended with two of them; here are three more, each checked with your
# network and your training loop.
#
# **"The weights are adjusted once per epoch, after all the data has passed
# through."** They are adjusted after **every mini-batch**. Counting the calls your
# `train_epoch` makes to the gradient function shows it: 1280 pictures in batches
# of 32 give 40 updates per epoch. Updating only once per epoch (a single batch of
# all 1280) is legitimate — it is full-batch gradient descent — but in the same
# number of epochs it makes 40 times fewer steps and learns far less (one run each,
# scored on the validation set):

# %% tags=["grading-skip"]
three_epoch_runs = {}     # (lr, batch size) -> (params, training loss per epoch, updates)


def three_epochs(lr, batch_size=32):
    """A fresh network trained for 3 epochs with your train_epoch (seed 0); count the gradient computations.

    Each run is trained once and kept: the misconceptions below reuse the run at lr 0.03."""
    if (lr, batch_size) not in three_epoch_runs:
        calls = []

        def counting_loss(params, X, y):
            calls.append(len(X))
            return loss_and_gradients(params, X, y)

        params_run = init_params(sizes, seed=0)
        rng = np.random.default_rng(0)
        losses = [train_epoch(params_run, X_train, y_train, lr, batch_size, rng, loss_fn=counting_loss)
                  for _ in range(3)]
        three_epoch_runs[lr, batch_size] = params_run, losses, len(calls)
    return three_epoch_runs[lr, batch_size]


def count_updates_and_score(batch_size):
    """The number of weight updates in 3 epochs at lr 0.03, and the validation accuracy after them."""
    params_count, _, updates = three_epochs(0.03, batch_size)
    return updates, float(np.mean(predict_proba(params_count, X_val).argmax(axis=1) == y_val))


if trained:
    for batch_size in [32, len(y_train)]:
        updates, score = count_updates_and_score(batch_size)
        print(f"batch size {batch_size:>4}: {updates:>3} weight updates in 3 epochs, "
              f"validation accuracy {score:.0%}")
else:
    not_yet(*TRAINING, to="run this demonstration", where=IN_06)

# %% [markdown]
# **"The learning rate is usually very small, between 0.001 and 0.00001."** It
# depends entirely on the optimiser and the scale of the data and the loss. For
# plain gradient descent on this problem, 0.00001 is so small that the weights
# barely move: in three epochs — 120 updates — they change by a few hundredths of a
# percent of their size, and the network is still guessing. With 0.03, the same
# 120 updates take it to about three in four right (one run each). Notebook 06 chose 0.03 on the
# validation set; Adam (notebook 04) is usually started at 0.001, and unscaled
# inputs need far smaller steps (next misconception). The only reliable recipe is to
# try values a factor of 3–10 apart and compare them on validation.

# %% tags=["grading-skip"]
def relative_change_and_score(lr):
    """How much 3 epochs at lr change W1, relative to its size, and the validation accuracy after them."""
    params_lr = three_epochs(lr)[0]
    W_start = init_params(sizes, seed=0)["W1"]
    change = np.linalg.norm(params_lr["W1"] - W_start) / np.linalg.norm(W_start)
    return change, float(np.mean(predict_proba(params_lr, X_val).argmax(axis=1) == y_val))


if trained:
    for lr in [1e-5, 0.03]:
        change, score = relative_change_and_score(lr)
        print(f"learning rate {lr:<7g}: W1 changed by {change:.0e} of its size, validation accuracy {score:.0%}")
else:
    not_yet(*TRAINING, to="run this demonstration", where=IN_06)

# %% [markdown]
# The next misconception is about ReLU units that stop working. First a way to
# count them.
#
# ### Exercise 2: `dead_units` (2 points)
#
# A ReLU unit is **dead** on a set of pictures when it outputs 0 for every one of
# them: it then passes no signal forward and, since the ReLU's slope is 0 there,
# no gradient back — training cannot revive it. Write `dead_units(H)`:
#
# * `H` holds the outputs of a ReLU layer, shape `(n_samples, n_units)`: one row per
#   picture, one column per unit, every entry 0 or positive;
# * return the **share** of the units that are dead, a number between 0 and 1: the
#   columns of `H` that are 0 in every row, divided by the number of columns.
#
# A unit that fires for even one picture is alive.

# %% nbgrader={"grade": false, "grade_id": "dead_units", "locked": false, "schema_version": 3, "solution": true}
def dead_units(H):
    """The share of the units (columns of H, shape (n_samples, n_units)) that output 0 for every sample."""
    ### BEGIN SOLUTION
    H = np.asarray(H)
    return float(np.mean(np.all(H == 0, axis=0)))
    ### END SOLUTION


# %% [markdown]
# <details><summary><b>Hint 1 of 3 (a nudge)</b></summary>
#
# Decide for each unit — each column — whether it is dead, then count the dead units and divide by the number of units.
#
# <details><summary><b>Hint 2 of 3</b></summary>
#
# `H == 0` is a boolean table of the same shape. A column is dead when it is `True` in *every* row: `np.all(..., axis=0)` asks that for every column at once (axis 0 runs down the rows).
#
# <details><summary><b>Hint 3 of 3 (nearly there)</b></summary>
#
# `np.all(H == 0, axis=0)` has one entry per unit; its mean is the share of dead units. Not `np.any` (a unit that is 0 for *some* pictures is merely off for them), and not the mean of `H == 0` over all entries (that is the share of zero outputs, not of dead units).
#
# </details>
# </details>
# </details>


# %% nbgrader={"grade": true, "grade_id": "dead_units_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from nnlearn.testing import CheckFailed, call, check_scalar


def check_dead_units(what, H):
    """Check dead_units(H) against the definition; name the familiar mistakes."""
    H_given = np.array(H, copy=True)
    zero = np.asarray(H) == 0
    expected = np.mean(np.all(zero, axis=0))
    check_scalar(f"dead_units({what})", call(dead_units, H), expected,
                 mistakes=[(np.mean(np.any(zero, axis=0)), "that is the share of the units that are 0 for *some* "
                            "picture (np.any). A unit is dead only when it is 0 for every picture: np.all."),
                           (np.mean(np.all(zero, axis=1)), "that is the share of the *pictures* (rows) for which "
                            "every unit is 0: the check ran along the wrong axis. The units are the columns: axis=0."),
                           (np.mean(zero), "that is the share of the zero outputs among all entries of H, not the "
                            "share of the units that are always 0."),
                           (np.sum(np.all(zero, axis=0)), "that is the number of dead units; divide by the number "
                            "of units (or take the mean of the boolean array)."),
                           (np.sum(np.all(zero, axis=0)) / zero.shape[0], "that is the number of dead units divided "
                            "by the number of pictures (rows); divide by the number of units, the columns: H.shape[1]."),
                           (100 * expected, "it is a percentage; return the share, between 0 and 1.")])
    if not np.array_equal(np.asarray(H), H_given):
        raise CheckFailed(f"dead_units({what}) changed H; leave its input as it is.")


# 3 pictures, 4 units: units 1 and 3 never fire; unit 0 fires only for the second picture, unit 2 for the
# first two.
check_dead_units("H with 3 pictures and 4 units", np.array([[0.0, 0.0, 1.5, 0.0],
                                                             [2.0, 0.0, 0.3, 0.0],
                                                             [0.0, 0.0, 0.0, 0.0]]))
check_dead_units("H where every unit fires", np.array([[0.1, 2.0], [0.5, 0.0]]))

### BEGIN HIDDEN TESTS
hidden_rng = np.random.default_rng(2026120507)
for hidden_n, hidden_units in [(1, 5), (10, 3), (40, 64), (200, 16)]:
    hidden_Z = hidden_rng.normal(size=(hidden_n, hidden_units)) - hidden_rng.uniform(0, 3, size=hidden_units)
    hidden_H = np.maximum(hidden_Z, 0)
    check_dead_units(f"H of shape {hidden_H.shape}", hidden_H)
    check_dead_units(f"H of shape {hidden_H.shape} in float32", hidden_H.astype(np.float32))
check_dead_units("H where every unit is dead", np.zeros((6, 4)))
check_dead_units("H with one unit", np.array([[0.0], [0.0], [3.0]]))
### END HIDDEN TESTS
print("dead_units: all tests in this cell passed.")

# %% [markdown]
# **"Raw pixels are fine: the network learns the scale by itself."** Here is the
# same network, trained for 3 epochs (one run each) on three versions of the same
# pictures:
# standardised (as so far), raw pixels scaled to $[0, 1]$ (all positive), and raw
# pixels 0–255. A claim often heard is that raw inputs "kill the ReLU units". Before
# blaming that, separate the two things that change with the inputs:
#
# 1. **the step size.** A weight's gradient is proportional to its input, so with
#    inputs 255 times larger the same learning rate takes far larger steps. A fair
#    test gives every version **its own learning rate**, chosen on validation;
# 2. **the inputs themselves**: all positive and uncentred, every picture's weighted
#    sums share one large common part (the average picture), and the differences
#    that tell a cat from a dog are small on top of it.
#
# So each version runs at lr 0.03 and at the best of a grid of learning rates; we
# look at the training loss after every epoch, the validation accuracy, and the
# share of dead ReLU units (units that output 0 for every training picture).

# %% tags=["grading-skip"]
def train_on(X_tr, X_va, lr, epochs=3):
    """Train a fresh network on the inputs X_tr: (training loss per epoch, validation accuracy, dead share)."""
    with np.errstate(over="ignore", invalid="ignore"):
        if X_tr is X_train and epochs == 3:         # the standardised run of the misconceptions above
            params_raw, losses, _ = three_epochs(lr)
        else:
            params_raw = init_params(sizes, seed=0)
            rng = np.random.default_rng(0)
            losses = []
            try:
                for _ in range(epochs):
                    losses.append(train_epoch(params_raw, X_tr, y_train, lr, 32, rng))
            except ValueError as err:       # the loss refuses scores that have become NaN or infinite
                if "NaN or infinite" not in str(err):
                    raise
                return losses + [float("nan")], float("nan"), 1.0
        hidden_units = np.maximum(X_tr @ params_raw["W1"].T + params_raw["b1"], 0)
        accuracy = float(np.mean(np.argmax(predict_proba(params_raw, X_va), axis=1) == y_val))
    return losses, accuracy, dead_units(hidden_units)


raw_results = None
if not trained:
    not_yet(*TRAINING, to="run this demonstration", where=IN_06)
elif try_call(dead_units, np.zeros((2, 3))) is None:
    not_yet("dead_units", to="run this demonstration")
else:
    raw_train = images_train.reshape(len(images_train), -1).astype(np.float32)
    raw_val = images_val.reshape(len(images_val), -1).astype(np.float32)
    versions = {"standardised": (X_train, X_val, [0.03]),
                "raw, in [0, 1]": (raw_train / 255, raw_val / 255, [0.01, 0.03]),
                "raw, 0 to 255": (raw_train, raw_val, [1e-5, 1e-4, 0.03])}
    raw_results = {}
    for version, (X_tr, X_va, grid_lrs) in versions.items():
        runs = {lr: train_on(X_tr, X_va, lr) for lr in grid_lrs}
        tuned = max(grid_lrs, key=lambda lr: np.nan_to_num(runs[lr][1], nan=-1))
        raw_results[version] = (runs, tuned)
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.2))
    for ax, (version, (runs, tuned)) in zip(axes, raw_results.items()):
        for lr, (losses, _, _) in runs.items():
            note = " (chosen in notebook 06)" if len(runs) == 1 else " (best on validation)" if lr == tuned else ""
            ax.plot(range(1, len(losses) + 1), losses, "o-", label=f"lr {lr:g}{note}")
        if np.nanmax([loss for losses, _, _ in runs.values() for loss in losses]) > 10:
            ax.set_yscale("log")                      # losses from millions down to below 1
        ax.axhline(np.log(2), color="gray", ls=":", lw=0.8)
        ax.set_title(f"inputs {version}")
        ax.set_xlabel("epoch")
        ax.set_xticks([1, 2, 3])
        ax.legend(fontsize="x-small")
    axes[0].set_ylabel("training loss")
    fig.tight_layout()
    plt.show()

# %% tags=["grading-skip"]
# NBVAL_IGNORE_OUTPUT
# One run each; at lr 0.03 the raw runs blow up, and how far depends on the CPU's
# rounding. The cell after this one checks the ranges.
if raw_results is not None:
    for version, (runs, tuned) in raw_results.items():
        for lr, (losses, accuracy, dead) in runs.items():
            print(f"{version:>14}, lr {lr:<6g}: training loss per epoch "
                  + ", ".join(f"{loss:.3g}" for loss in losses)
                  + f";  validation accuracy {accuracy:.0%}, dead units {dead:.0%}"
                  + ("   <- best on validation" if lr == tuned and len(runs) > 1 else ""))

# %% tags=["grading-skip"]
if raw_results is not None:
    std_losses, std_accuracy, std_dead = raw_results["standardised"][0][0.03]
    big_losses, _, big_dead = raw_results["raw, 0 to 255"][0][0.03]
    tuned_255 = raw_results["raw, 0 to 255"][0][raw_results["raw, 0 to 255"][1]]
    tuned_01 = raw_results["raw, in [0, 1]"][0][raw_results["raw, in [0, 1]"][1]]
    facts = [("standardised: no dead units, validation accuracy 70-85 %",
              std_dead == 0 and within(std_accuracy, 0.7, 0.85)),
             ("0-255 at lr 0.03: the first epoch's loss explodes and at least 90 % of the units die",
              (np.isnan(big_losses[0]) or big_losses[0] > 100) and big_dead >= 0.9),
             ("0-255 at its best lr: the loss starts far above log 2 (above 10)", tuned_255[0][0] > 10),
             ("0-255 at its best lr: most units alive (at most a third dead), yet near guessing (below 62 %)",
              tuned_255[2] <= 1 / 3 and tuned_255[1] < 0.62),
             ("[0, 1] at its best lr: most units alive (at most a third dead), yet below 65 %",
              tuned_01[2] <= 1 / 3 and tuned_01[1] < 0.65)]
    for fact, holds in facts:
        print(("holds:    " if holds else "NOT SEEN: ") + fact)

# %% [markdown]
# The two causes, separated:
#
# * **At lr 0.03, raw 0–255 inputs make steps hundreds of times too large.** The
#   first epoch's loss shoots into the millions, and those giant steps throw
#   nearly every ReLU unit into the region where it outputs 0 for every picture:
#   dead units, and a network that can only guess. That is the *learning rate*
#   being wrong for these inputs, not something raw pixels do at a suitable rate.
# * **At a learning rate tuned for them, most units stay alive — and the network
#   still learns almost nothing in 3 epochs.** Four live units were plenty for
#   standardised inputs in notebook 06, so the dead ones are not what is missing.
#   With 0–255 inputs the untrained network's scores are already huge (a loss of
#   about 30 at the start: the sanity check of notebook 06 would have flagged it);
#   with inputs in $[0, 1]$, all positive, the weighted sums of all pictures move
#   together. In both cases one learning rate cannot suit all directions at once:
#   a rate small enough for the large common part is far too small for the small
#   differences that matter. Standardising removes the common part and gives every
#   input the same scale.
#
# The effectiveness of training depends on the architecture, the optimiser and the
# learning rate — and just as much on the **data** and how it is prepared.


# %% [markdown]
# ## 4. Ten classes, real handwriting
#
# Nothing you wrote is about cats. `preprocess` flattens any images, `predict_proba`
# ends in a softmax over however many classes the last layer has, `train_epoch` does
# not care what the labels mean. So the same code can read **handwritten digits**:
# 1,797 digits written by 13 people, scanned and reduced to 8 × 8 pixels of ink from
# 0 (paper) to 16 (the UCI "optical recognition of handwritten digits" set by
# Alpaydın and Kaynak, 1998, shipped with `nnlearn` under its licence, CC BY 4.0).
#
# The method is the one of notebook 06: 360 digits are put aside as the test set
# and 360 more as the validation set, the preprocessing statistics come from the
# remaining 1,077 training digits only, the learning rate is chosen on validation,
# and the test set is scored once, at the end.

# %% tags=["grading-skip"]
from nnlearn.datasets import load_digits
from nnlearn.widgets import digit_pad

digit_images, digit_labels = load_digits()
print(f"{len(digit_labels)} digits of {digit_images.shape[1]} x {digit_images.shape[2]} pixels, ink "
      f"{digit_images.min()} to {digit_images.max()}; digits per class: {np.bincount(digit_labels).tolist()}")
digit_order = np.random.default_rng(0).permutation(len(digit_labels))
digit_test, digit_val, digit_train = digit_order[:360], digit_order[360:720], digit_order[720:]
plot_image_grid(digit_images[digit_train[:20]] / 16, labels=[str(d) for d in digit_labels[digit_train[:20]]],
                n_cols=10, ax_size=0.8)
plt.show()

# %% [markdown]
# With ten classes, an untrained network that has no reason to prefer any of them
# should give each a probability of 1/10: a loss of $\log 10 \approx 2.303$, the
# number to check before training (notebook 06 did the same with $\log 2$). On blank
# pictures it is exact, because every score is then a bias, and the biases start at 0.

# %% tags=["grading-skip"]
digits_ready = False
prepared = try_call(preprocess, digit_images[digit_train])
if prepared is None:
    not_yet("preprocess", to="prepare the digits", where=IN_06)
else:
    Xd_train, digit_mean, digit_std = prepared
    Xd_val = preprocess(digit_images[digit_val], digit_mean, digit_std)[0]
    Xd_test = preprocess(digit_images[digit_test], digit_mean, digit_std)[0]
    yd_train, yd_val, yd_test = (digit_labels[part] for part in (digit_train, digit_val, digit_test))
    digit_sizes = [64, 64, 10]
    P_blank = try_call(lambda: predict_proba(init_params(digit_sizes, seed=0), np.zeros((4, 64), np.float32)))
    if P_blank is None:
        not_yet("init_params", "predict_proba", to="run the check", where=IN_06)
    else:
        blank_loss = categorical_cross_entropy(np.asarray(P_blank, np.float64), np.arange(4))
        print(f"untrained network on 4 blank pictures: loss {blank_loss:.3f}; expected log 10 = {np.log(10):.3f}")
        digits_ready = True

# %% tags=["grading-skip"]
# NBVAL_IGNORE_OUTPUT
# Single runs: the last digit of an accuracy can depend on the CPU's rounding; the
# cell after the next one checks the ranges.
digit_runs = None
if digits_ready:
    digit_runs = {}
    for lr in [0.03, 0.1, 0.3]:
        rng = np.random.default_rng(0)
        try:
            digit_params = init_params(digit_sizes, seed=0)
            for _ in range(20):
                train_epoch(digit_params, Xd_train, yd_train, lr, 32, rng)
        except NotImplementedError:
            not_yet("loss_and_gradients", "train_epoch", to="train on the digits", where=IN_06)
            digit_runs = None
            break
        accuracy = float(np.mean(predict_proba(digit_params, Xd_val).argmax(axis=1) == yd_val))
        digit_runs[lr] = digit_params, accuracy
        print(f"lr {lr:<4g}: validation accuracy {accuracy:.1%} after 20 epochs (one run)")

# %% [markdown]
# The learning rate with the best validation accuracy is kept, and only now is the
# test set used, once:

# %% tags=["grading-skip"]
# NBVAL_IGNORE_OUTPUT
if digit_runs:
    digit_lr = max(digit_runs, key=lambda lr: digit_runs[lr][1])
    digit_params = digit_runs[digit_lr][0]
    Pd_test = predict_proba(digit_params, Xd_test)
    digit_test_accuracy = float(np.mean(Pd_test.argmax(axis=1) == yd_test))
    print(f"chosen on validation: lr {digit_lr:g}. Test accuracy, measured once: {digit_test_accuracy:.1%} "
          f"of {len(yd_test)} digits")
else:
    not_yet(*TRAINING, to="train the network on the digits", where=IN_06)

# %% tags=["grading-skip"]
if digit_runs:
    print(("holds:    " if digit_test_accuracy >= 0.95 else "NOT SEEN: ")
          + "at least 95 % of the test digits are read correctly")

# %% [markdown]
# Which digits does it confuse, and what do its worst mistakes look like? Your
# `confusion_matrix` and `misclassified` answer, as they did for cats and dogs:

# %% tags=["grading-skip"]
if digit_runs:
    digit_predicted = Pd_test.argmax(axis=1)
    digit_cm = try_call(confusion_matrix, yd_test, digit_predicted, 10)
    digit_wrong = try_call(misclassified, Pd_test, yd_test)
    if digit_cm is None or digit_wrong is None:
        not_yet("confusion_matrix", "misclassified", to="see the mistakes", where=IN_06)
    else:
        fig, ax = plt.subplots(figsize=(4.8, 4.4))
        plot_confusion_matrix(digit_cm, ax=ax)
        ax.set_title("360 test digits: true (rows), read as (columns)", fontsize="medium")
        plt.show()
        shown = digit_wrong[:10]
        plot_image_grid(digit_images[digit_test][shown] / 16, n_cols=10, ax_size=0.9,
                        labels=[f"{yd_test[i]} read as {digit_predicted[i]}" for i in shown])
        plt.show()
else:
    print("Train the network above to see its mistakes.")

# %% [markdown]
# Look at the mistakes before blaming the network: at 8 × 8 pixels, many of them are
# digits a person would hesitate over too, where a stroke or a gap of one pixel
# decides between two digits.
#
# **What the first layer looks for.** As in notebook 06, each first-layer unit has one
# weight per pixel, so its weights can be drawn as an 8 × 8 picture: red where ink
# raises the unit's output, blue where ink lowers it. The starting weights are random
# noise, so what is worth drawing is what training *added*: `W1` now minus `W1` at the
# start, here for the 16 units that changed most. Many show pieces of strokes — a bar,
# an arc, the edge of a loop, ink here and no ink there — which the next layer
# combines into digits.

# %% tags=["grading-skip"]
if digit_runs:
    learned = digit_params["W1"] - init_params(digit_sizes, seed=0)["W1"]
    most = np.argsort(-np.linalg.norm(learned, axis=1), kind="stable")[:16]
    fig = plot_weights_as_images(learned[most], (8, 8), n_cols=8)
    plt.show()
else:
    print("Train the network above to see its weights.")

# %% [markdown]
# **Draw a digit.** Click the squares to ink them (click again to wipe one); the
# network you trained reads your drawing at every click and shows its ten
# probabilities. It starts from a digit of the test set. Try a 1 with and without
# a foot, or a 4 that slowly closes into a 9. Your drawing is prepared like the
# training digits, with the *training* statistics, by your own `preprocess`.
# (Drawn squares are full ink, 16; the scanned digits have softer edges, so the
# network is a little less sure of a drawing than of a real digit.)

# %% tags=["grading-skip"]
def classify_drawing(image):
    """The ten probabilities of the trained digit network for one 8 x 8 drawing."""
    X_drawing = preprocess(image[None], digit_mean, digit_std)[0]
    return predict_proba(digit_params, X_drawing)[0]


if digit_runs:
    pad = digit_pad(classify_drawing, start=digit_images[digit_test][0])
else:
    pad = None
    print("Train the network above to draw a digit for it.")
pad

# %% [markdown]
# Dropout, convolutional layers and more training data take such a network further;
# the one you built, from your own functions, already reads most real handwriting
# it has never seen.


# %% [markdown]
# ## Where you stand
#
# The next cell runs the visible tests of every exercise again, against your
# functions as they are now, and lists the points at stake. Passing them is a good
# sign, not a grade: the grade also uses hidden tests, on other inputs.

# %% tags=["grading-skip"]
from nnlearn.standing import where_you_stand

where_you_stand("07_generalisation.ipynb")

"""Training benchmark: nnlearn's MLP against scikit-learn's MLPClassifier, in one run.

Both train the same network (3072 -> 64 ReLU -> 1 logistic output, no weight decay)
with Adam (lr 0.001) on the same standardised float32 data, for the same number of
epochs and the same batch size, on ONE BLAS thread (pinned and printed: under load,
two threads stalled small products on this 2-core machine). Printed figures:

* seconds for each library (median of ``--repeats`` alternating runs) and their ratio;
* both test accuracies;
* the achieved GFLOP/s of a training epoch (matrix-product flops / epoch time) against
  NumPy's own matmul throughput measured in the same run, both on the very products an
  epoch performs (same shapes and dtype) and on a large square product (the peak).

Goals (issue 2): time ratio <= 0.8 at equal accuracy (within one point); at least 50 %
of the matmul throughput. This prints figures; it is not a test and asserts nothing.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_training.py [--quick]``.
scikit-learn is a benchmark-only dependency (benchmarks/requirements.txt).
"""

import os

# Pin BLAS to one thread before NumPy loads (threadpoolctl below double-checks it).
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

from nnlearn.datasets import make_image_like_classification  # noqa: E402
from nnlearn.network import mlp  # noqa: E402
from nnlearn.optimizers import Adam  # noqa: E402
from nnlearn.preprocessing import Standardizer, train_test_split  # noqa: E402

try:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # pragma: no cover
    raise SystemExit("this benchmark needs scikit-learn: .venv/bin/pip install -r benchmarks/requirements.txt")


def matmul_gflops(a_shape, b_shape, dtype, seconds=0.5):
    """Throughput of ``A @ B`` for the given shapes, best of a few timed bursts."""
    rng = np.random.default_rng(0)
    A = rng.standard_normal(a_shape).astype(dtype)
    B = rng.standard_normal(b_shape).astype(dtype)
    flops = 2.0 * a_shape[0] * a_shape[1] * b_shape[1]
    A @ B
    best = 0.0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        reps = max(1, int(2e8 / flops))
        t0 = time.perf_counter()
        for _ in range(reps):
            A @ B
        best = max(best, reps * flops / (time.perf_counter() - t0))
    return best / 1e9


def time_nnlearn(X_train, y_train, X_test, y_test, hidden, epochs, batch_size, seed):
    net = mlp([X_train.shape[1], hidden, 1], activation="relu", loss="sigmoid_cross_entropy",
              seed=seed, dtype=np.float32)
    t0 = time.perf_counter()
    net.fit(X_train, y_train, epochs=epochs, batch_size=batch_size, optimizer=Adam(lr=1e-3), seed=seed)
    seconds = time.perf_counter() - t0
    return seconds, float((net.predict(X_test) == y_test).mean())


def time_sklearn(X_train, y_train, X_test, y_test, hidden, epochs, batch_size, seed):
    clf = MLPClassifier(hidden_layer_sizes=(hidden,), activation="relu", solver="adam", alpha=0.0,
                        batch_size=batch_size, learning_rate_init=1e-3, max_iter=epochs, shuffle=True,
                        tol=0.0, n_iter_no_change=epochs + 1, early_stopping=False, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        clf.fit(X_train, y_train)
        seconds = time.perf_counter() - t0
    return seconds, float(clf.score(X_test, y_test))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=5000, help="train + test samples (80/20)")
    parser.add_argument("--features", type=int, default=3072, help="32 x 32 x 3 pixels")
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=200, help="scikit-learn's default")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="a small run to check the script works")
    args = parser.parse_args()
    if args.quick:
        args.samples, args.epochs, args.repeats = 1000, 5, 1

    with threadpool_limits(limits=1):
        blas = [f"{i['internal_api']} {i.get('version', '')} ({i['num_threads']} thread)" for i in threadpool_info()]
        print(f"BLAS: {', '.join(blas)}; NumPy {np.__version__}")
        X, y = make_image_like_classification(args.samples, args.features, seed=0, dtype=np.float32)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
        scaler = Standardizer().fit(X_train)
        X_train = scaler.transform(X_train).astype(np.float32)
        X_test = scaler.transform(X_test).astype(np.float32)
        n, d, h, b = X_train.shape[0], X_train.shape[1], args.hidden, args.batch_size
        print(f"data: {n} train / {X_test.shape[0]} test samples x {d} features (float32, standardised); "
              f"network {d}-{h}-1, ReLU, Adam lr 0.001, {args.epochs} epochs, batch {b}")

        runs = {"nnlearn": [], "scikit-learn": []}
        for r in range(args.repeats):
            for name, fn in (("nnlearn", time_nnlearn), ("scikit-learn", time_sklearn)):
                runs[name].append(fn(X_train, y_train, X_test, y_test, h, args.epochs, b, seed=r))
        med = {name: statistics.median(s for s, _ in rs) for name, rs in runs.items()}
        acc = {name: statistics.mean(a for _, a in rs) for name, rs in runs.items()}
        for name in runs:
            times = ", ".join(f"{s:.2f}" for s, _ in runs[name])
            print(f"{name:13s} median {med[name]:6.2f} s  (runs: {times})  test accuracy {acc[name]:.3f}")
        ratio = med["nnlearn"] / med["scikit-learn"]
        gap = 100 * (acc["nnlearn"] - acc["scikit-learn"])
        print(f"time ratio nnlearn / scikit-learn: {ratio:.2f}  (goal <= 0.80)   "
              f"accuracy difference: {gap:+.1f} points (goal within 1)")

        # flops of one epoch's matrix products: forward (2dh + 2h), dW1 (2dh), dW2 and dX2 (4h) per sample
        epoch_flops = n * (4.0 * d * h + 6.0 * h)
        achieved = epoch_flops * args.epochs / med["nnlearn"] / 1e9
        same_shape = 2.0 / (1 / matmul_gflops((b, d), (d, h), np.float32) + 1 / matmul_gflops((h, b), (b, d), np.float32))
        # the peak is easily disturbed by other work on a shared machine: best of two measurements
        peak = max(matmul_gflops((2048, 2048), (2048, 2048), np.float32, seconds=1.0) for _ in range(2))
        print(f"training epoch: {achieved:.1f} GFLOP/s; NumPy float32 matmul, 1 thread: {same_shape:.1f} GFLOP/s "
              f"on the epoch's own product shapes, {peak:.1f} GFLOP/s on 2048x2048")
        print(f"epoch throughput: {100 * achieved / same_shape:.0f} % of the same-shape matmul, "
              f"{100 * achieved / peak:.0f} % of the square-matmul peak (goal >= 50 %)")


if __name__ == "__main__":
    main()

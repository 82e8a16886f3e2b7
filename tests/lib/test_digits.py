"""The UCI digits shipped with nnlearn: the file, its licence, the loader and its errors."""

import fnmatch
import hashlib
import shutil
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from nnlearn import datasets as D

LIB = Path(__file__).resolve().parents[2] / "lib"

# SHA-256 of the file nnlearn/data/digits.npz as committed. The file is written once
# (an authoring step, see DIGITS_LICENSE); if it is ever regenerated, np.savez_compressed
# stores new zip timestamps and this hash changes even though the arrays do not -- then
# check D.DIGITS_CHECKSUM (the arrays) still holds and update this line.
FILE_SHA256 = "b2dab7b501728c22e9119ad76740b2e17c77a231e42d1e592380d90886f1a05e"
# SHA-256 of images.tobytes() + labels.tobytes() (uint8), the loader's own check.
ARRAYS_SHA256 = "87ff0c9e40dc7e2c0e34e7257799c2e3f3aec1a016363bb11cad869ec428a826"

CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]  # UCI's optdigits.tes
FIRST_IMAGE = [  # a 0, the first row of scikit-learn's digits.csv.gz
    [0, 0, 5, 13, 9, 1, 0, 0],
    [0, 0, 13, 15, 10, 15, 5, 0],
    [0, 3, 15, 2, 0, 11, 8, 0],
    [0, 4, 12, 0, 0, 8, 8, 0],
    [0, 5, 8, 0, 0, 9, 8, 0],
    [0, 4, 11, 0, 1, 12, 7, 0],
    [0, 2, 14, 5, 10, 12, 0, 0],
    [0, 0, 6, 13, 10, 0, 0, 0],
]


def sha256_of(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ---------------------------------------------------------------------------
# the file


def test_data_file_checksum_and_size():
    path = D.DIGITS_PATH
    assert path == LIB / "nnlearn" / "data" / "digits.npz", f"DIGITS_PATH points to {path}"
    assert path.is_file(), f"{path} is missing"
    got = sha256_of(path)
    assert got == FILE_SHA256, f"{path} changed: SHA-256 {got}, pinned {FILE_SHA256}"
    assert 20_000 < path.stat().st_size < 150_000, f"{path} has {path.stat().st_size} bytes"


def test_data_file_holds_two_plain_uint8_arrays():
    with np.load(D.DIGITS_PATH, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["images", "labels"]
        images, labels = archive["images"], archive["labels"]
    assert images.dtype == np.uint8 and images.shape == (1797, 8, 8)
    assert labels.dtype == np.uint8 and labels.shape == (1797,)
    assert D.DIGITS_CHECKSUM == ARRAYS_SHA256
    assert hashlib.sha256(images.tobytes() + labels.tobytes()).hexdigest() == ARRAYS_SHA256


def test_licence_file_names_source_licence_and_changes():
    path = D.DIGITS_LICENSE_PATH
    assert path == D.DIGITS_PATH.parent / "DIGITS_LICENSE" and path.is_file(), f"{path} is missing"
    text = path.read_text(encoding="utf-8")
    for needle in [
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "https://doi.org/10.24432/C50P49",
        "Alpaydin, E. and Kaynak, C. (1998)",
        "Optical Recognition of Handwritten Digits",
        "UCI Machine Learning Repository",
        "1,797",
        "What was changed",
    ]:
        assert needle in text, f"{path.name} should mention {needle!r}"


def test_package_data_is_configured():
    """A non-editable install must carry the data file and its licence."""
    config = tomllib.loads((LIB / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "nnlearn.data" in config["packages"], "nnlearn.data must be listed in [tool.setuptools] packages"
    patterns = config["package-data"]["nnlearn.data"]
    for name in ("digits.npz", "DIGITS_LICENSE"):
        assert any(fnmatch.fnmatch(name, p) for p in patterns), f"{name} is not matched by package-data {patterns}"


def test_build_contains_the_data(tmp_path):
    """setuptools' build (what a wheel is made from) copies the data files, without warnings."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(LIB / "pyproject.toml", src)
    shutil.copytree(LIB / "nnlearn", src / "nnlearn", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    result = subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build", "--build-base", str(tmp_path / "b")],
        cwd=src, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Package would be ignored" not in result.stderr, result.stderr
    built = tmp_path / "b" / "lib" / "nnlearn" / "data"
    assert sha256_of(built / "digits.npz") == FILE_SHA256
    assert (built / "DIGITS_LICENSE").is_file()


# ---------------------------------------------------------------------------
# the loader


def test_load_digits_default():
    images, labels = D.load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.min() == 0 and images.max() == 16
    assert labels.min() == 0 and labels.max() == 9
    assert np.bincount(labels, minlength=10).tolist() == CLASS_COUNTS
    np.testing.assert_array_equal(images[0], FIRST_IMAGE)
    assert labels[:10].tolist() == list(range(10))
    assert int(labels[-1]) == 8
    assert int(images.sum(dtype=np.int64)) == 561718


def test_load_digits_every_class_looks_different():
    """A sanity check that labels belong to their images: class mean images differ clearly."""
    images, labels = D.load_digits(as_float=True, flatten=True)
    means = np.stack([images[labels == c].mean(axis=0) for c in range(10)])
    dist = np.linalg.norm(means[:, None] - means[None, :], axis=2)
    assert dist[~np.eye(10, dtype=bool)].min() > 0.5
    # the nearest class mean already classifies most images correctly
    nearest = np.argmin(((images[:, None, :] - means[None]) ** 2).sum(axis=2), axis=1)
    assert np.mean(nearest == labels) > 0.85


@pytest.mark.parametrize("as_float", [False, True])
@pytest.mark.parametrize("flatten", [False, True])
def test_load_digits_options(as_float, flatten):
    raw, labels_raw = D.load_digits()
    images, labels = D.load_digits(as_float=as_float, flatten=flatten)
    assert images.shape == ((1797, 64) if flatten else (1797, 8, 8))
    assert images.dtype == (np.float64 if as_float else np.uint8)
    expected = raw.reshape(images.shape)
    if as_float:
        assert images.min() == 0.0 and images.max() == 1.0
        np.testing.assert_allclose(images, expected / 16.0)
    else:
        np.testing.assert_array_equal(images, expected)
    np.testing.assert_array_equal(labels, labels_raw)
    if flatten:  # row by row: pixel (r, c) is column 8 r + c
        np.testing.assert_array_equal(images[0, 8 * 2 + 5], raw[0, 2, 5] / (16.0 if as_float else 1))


def test_load_digits_positional_and_numpy_bool():
    X, _ = D.load_digits(True, np.True_)
    assert X.shape == (1797, 64) and X.dtype == np.float64


def test_load_digits_returns_fresh_copies():
    images, labels = D.load_digits()
    images[:] = 0
    labels[:] = 0
    again, labels_again = D.load_digits()
    np.testing.assert_array_equal(again[0], FIRST_IMAGE)
    assert labels_again[1] == 1
    assert again.flags.writeable and again.flags.c_contiguous


def test_load_digits_needs_no_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("load_digits tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    images, _ = D.load_digits()
    assert images.shape == (1797, 8, 8)


@pytest.mark.parametrize("kwargs, match", [
    ({"as_float": 1}, "as_float must be True or False, got 1"),
    ({"as_float": "yes"}, "as_float must be True or False"),
    ({"flatten": None}, "flatten must be True or False, got None"),
])
def test_load_digits_bad_flags(kwargs, match):
    with pytest.raises(TypeError, match=match):
        D.load_digits(**kwargs)


# ---------------------------------------------------------------------------
# a missing or damaged file: a clear error that names the file, never a pickle load


def _real_arrays():
    with np.load(D.DIGITS_PATH, allow_pickle=False) as archive:
        return archive["images"].copy(), archive["labels"].copy()


def _write_bytes(path, data):
    path.write_bytes(data)
    return path


def _truncated(tmp_path):
    return _write_bytes(tmp_path / "digits.npz", D.DIGITS_PATH.read_bytes()[:20_000])


def _garbage(tmp_path):
    return _write_bytes(tmp_path / "digits.npz", np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes())


def _empty(tmp_path):
    return _write_bytes(tmp_path / "digits.npz", b"")


def _plain_npy(tmp_path):
    path = tmp_path / "digits.npz"
    with open(path, "wb") as f:
        np.save(f, _real_arrays()[0])
    return path


def _pickled_objects(tmp_path):
    path = tmp_path / "digits.npz"
    images, labels = _real_arrays()
    np.savez(path, images=np.array([images, "x"], dtype=object), labels=labels)
    return path


def _pickle_file(tmp_path):
    import pickle
    return _write_bytes(tmp_path / "digits.npz", pickle.dumps(_real_arrays()))


def _missing_key(tmp_path):
    path = tmp_path / "digits.npz"
    np.savez_compressed(path, images=_real_arrays()[0])
    return path


def _wrong_dtype(tmp_path):
    path = tmp_path / "digits.npz"
    images, labels = _real_arrays()
    np.savez_compressed(path, images=images.astype(np.float64), labels=labels)
    return path


def _wrong_shape(tmp_path):
    path = tmp_path / "digits.npz"
    images, labels = _real_arrays()
    np.savez_compressed(path, images=images[:100], labels=labels[:100])
    return path


def _one_pixel_changed(tmp_path):
    path = tmp_path / "digits.npz"
    images, labels = _real_arrays()
    images[5, 3, 3] ^= 1
    np.savez_compressed(path, images=images, labels=labels)
    return path


def _one_label_changed(tmp_path):
    path = tmp_path / "digits.npz"
    images, labels = _real_arrays()
    labels[0] = 6
    np.savez_compressed(path, images=images, labels=labels)
    return path


def _damaged_member(tmp_path):
    """A valid zip directory whose compressed data is corrupt: the damage shows only when reading."""
    data = bytearray(D.DIGITS_PATH.read_bytes())
    for i in range(1000, 1200):
        data[i] ^= 0xFF
    return _write_bytes(tmp_path / "digits.npz", bytes(data))


def _a_folder(tmp_path):
    path = tmp_path / "digits.npz"
    path.mkdir()
    return path


@pytest.mark.parametrize("make_file, reason", [
    (lambda tmp_path: tmp_path / "nothing_here.npz", "is missing"),
    (_a_folder, "is a folder, not a file"),
    (_empty, "is not a NumPy .npz archive"),
    (_truncated, "is not a NumPy .npz archive"),
    (_garbage, "is not a NumPy .npz archive"),
    (_plain_npy, "is not a NumPy .npz archive"),
    (_pickle_file, "is not a NumPy .npz archive"),
    (_pickled_objects, "holds pickled Python objects, which nnlearn never loads"),
    (_missing_key, "lacks the array(s) ['labels']"),
    (_wrong_dtype, "holds the wrong arrays (images float64 (1797, 8, 8)"),
    (_wrong_shape, "holds the wrong arrays (images uint8 (100, 8, 8)"),
    (_one_pixel_changed, "is damaged or was changed (SHA-256"),
    (_one_label_changed, "is damaged or was changed (SHA-256"),
    (_damaged_member, "is damaged and cannot be read"),
])
def test_load_digits_bad_file(tmp_path, monkeypatch, make_file, reason):
    path = make_file(tmp_path)
    monkeypatch.setattr(D, "DIGITS_PATH", path)
    with pytest.raises(OSError) as info:
        D.load_digits()
    message = str(info.value)
    assert str(path) in message, f"the error should name the file: {message}"
    assert reason in message, f"expected {reason!r} in: {message}"
    assert "reinstall the library" in message, message


def test_a_pickle_is_never_loaded(tmp_path, monkeypatch):
    """A file that would run code when unpickled is refused, and the code never runs."""
    import pickle

    class Boom:
        def __reduce__(self):
            return (exec, ("raise SystemExit('unpickled!')",))

    path = _write_bytes(tmp_path / "digits.npz", pickle.dumps(Boom()))
    monkeypatch.setattr(D, "DIGITS_PATH", path)
    with pytest.raises(OSError, match="is not a NumPy .npz archive"):
        D.load_digits()

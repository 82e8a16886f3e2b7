"""Cat and dog pictures as NumPy arrays: a built-in set, and loaders for real photos.

To a network an image is just numbers. A colour image of ``size x size`` pixels is
a uint8 array of shape ``(size, size, 3)``: row, column, and the three colour
channels red, green, blue, each from 0 (dark) to 255 (bright). A stack of ``n``
images is ``(n, size, size, 3)``. Labels follow one convention in this module:

    0 = cat, 1 = dog        (``CLASS_NAMES[label]`` gives the name)

Where the pictures come from:

* :func:`make_cats_and_dogs` draws small cartoon cats and dogs with NumPy alone,
  works offline, and gives the same pixels on every machine for a given seed
  (:data:`BUILTIN_CHECKSUM` pins the default set). A small network learns it in
  seconds, and a linear model clearly cannot do as well: the network has to notice
  *shapes* (pointed ears on top or floppy ears at the sides), not just colours.
* :func:`load_image_folder` reads your own photos: a folder with ``cat/`` and
  ``dog/`` subfolders, or Kaggle-style names ``cat.123.jpg`` / ``dog.45.jpg``.
  Every picture is cropped to a square, shrunk to ``size x size`` and cached, and
  files that are not readable images are skipped and counted, never a crash.
* :func:`load_cifar10_catdog` picks the cats and dogs out of the CIFAR-10 "python
  version" batches, if you have them on disk.
* :func:`load_image` reads one file the same way -- e.g. to ask a trained network
  about a photo of your own pet -- and :func:`images_to_features` turns images into
  the rows ``(n, size * size * 3)`` a dense network takes.

Nothing here downloads anything.
"""

import dataclasses
import hashlib
import importlib
import json
import numbers
import os
import pickle
import re
import struct
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from ._validation import check_random_state

__all__ = [
    "CLASS_NAMES",
    "BUILTIN_CHECKSUM",
    "make_cats_and_dogs",
    "checksum",
    "images_to_features",
    "load_image",
    "save_image",
    "ImageReadError",
    "load_image_folder",
    "FolderInfo",
    "load_cifar10_catdog",
]

CLASS_NAMES = ("cat", "dog")
"""Class names by label: ``CLASS_NAMES[0] == "cat"``, ``CLASS_NAMES[1] == "dog"``."""

BUILTIN_CHECKSUM = "cbced4626d752b1fccaecde40dfec1787886218b33c30f9af96ea6b6d2640f4f"
"""SHA-256 of the default built-in set, ``make_cats_and_dogs()``.

Computed by :func:`checksum` over ``images.tobytes() + labels.astype("<i8").tobytes()``.
The generator uses only operations that round identically on every machine, so
any computer gives this hash -- as long as NumPy's random streams stay as they are
(they have been stable for years, but NumPy does not promise it across versions;
the course pins NumPy, and a test checks the hash).
"""


# ---------------------------------------------------------------------------
# argument checks


def _check_int(value, name, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


# ---------------------------------------------------------------------------
# the built-in cartoon set
#
# Reproducibility: the random numbers come from NumPy's PCG64 generator through
# ``integers`` and ``uniform`` only (both are exact bit manipulations, the same on
# every platform). Shapes are drawn with +, -, *, / and comparisons on float64
# grids -- IEEE 754 rounds each of these exactly the same everywhere -- and no
# sin, cos, exp or sum, whose last bits may differ between maths libraries.
# Colours are integers from the start.

# part numbers of the painted picture, and how many there are
_BACKGROUND, _EAR, _FUR, _MUZZLE, _PINK, _DARK, _WHISKER = range(7)
_N_PARTS = 7

# fur colours shared by both classes (ginger, grey, brown, black, white, cream,
# tan, dark grey): colour alone cannot tell a cat from a dog
_FUR_COLOURS = np.array(
    [[214, 120, 40], [128, 128, 132], [112, 72, 40], [40, 36, 36],
     [236, 232, 224], [232, 200, 150], [190, 140, 80], [80, 80, 88]],
    dtype=np.int64,
)


def _ellipse(u, v, cx, cy, ax, ay):
    """Mask of the pixels inside an axis-aligned ellipse (centre cx, cy; semi-axes ax, ay)."""
    du = (u - cx) / ax
    dv = (v - cy) / ay
    return du * du + dv * dv <= 1.0


def _triangle(u, v, p0, p1, p2):
    """Mask of the pixels inside the triangle with corners p0, p1, p2 (each a pair (x, y)).

    A point is inside when it lies on the same side of all three edges; the side is
    the sign of a 2-D cross product (only products and differences: exact).
    """
    def side(a, b):
        return (b[0] - a[0]) * (v - a[1]) - (b[1] - a[1]) * (u - a[0])

    s0, s1, s2 = side(p0, p1), side(p1, p2), side(p2, p0)
    return ((s0 >= 0) & (s1 >= 0) & (s2 >= 0)) | ((s0 <= 0) & (s1 <= 0) & (s2 <= 0))


def _segment(u, v, p0, p1, half_width):
    """Mask of the pixels within ``half_width`` (measured vertically) of the segment p0-p1."""
    (x0, y0), (x1, y1) = p0, p1
    slope = (y1 - y0) / (x1 - x0)
    lo, hi = np.minimum(x0, x1), np.maximum(x0, x1)
    dy = v - (y0 + slope * (u - x0))
    return (np.abs(dy) <= half_width) & (u >= lo) & (u <= hi)


def _paint(canvas, mask, part):
    """Paint the part number ``part`` onto ``canvas`` (n, s, s) wherever ``mask`` is true.

    The picture is first painted as a map of *part numbers* (background, ear, fur,
    ...), later parts covering earlier ones like layers of paint; the colours are
    looked up at the end. Cheaper than painting three colour channels each time.
    """
    np.copyto(canvas, part, where=mask)


def make_cats_and_dogs(n_samples=2000, size=32, seed=0):
    """Draw ``n_samples`` small cartoon cats and dogs, deterministically.

    Every picture is a head on a background. What makes a **cat**: pointed
    triangular ears on top of the head, a slightly narrower face, a small pink nose
    and whiskers. What makes a **dog**: floppy ears hanging down at the sides of the
    head, a broad light muzzle with a big dark nose, and often a pink tongue.
    Everything else is random and shared by both classes: fur colour (from the same
    palette), the ear and muzzle shades, the head's position and size, the
    background (two colours blended across the picture) and pixel noise. So the
    classes have about the same average colour, and a model has to combine pixels
    -- "fur-coloured here *and* background-coloured there" -- to find the ears.

    What to expect (the default 2000 images, flattened and standardised, 80/20
    split, Adam, 25 epochs, batch 64): a one-hidden-layer network
    ``mlp([3072, 64, 2])`` reaches 91-95 % test accuracy in one to two seconds
    (and 100 % on the training set: it overfits), a linear softmax model
    ``mlp([3072, 2])`` only 72-77 %, and the best threshold on the mean colour
    about 50 %, i.e. chance.

    Parameters
    ----------
    n_samples : int
        Number of images ``n`` (at least 2); half cats, half dogs (±1), shuffled.
    size : int
        Width and height in pixels (at least 8); 32 by default, like CIFAR-10.
    seed : None, int or numpy.random.Generator
        The same seed gives the same pixels, on any machine.

    Returns
    -------
    images : ndarray of uint8, shape (n, size, size, 3)
        RGB pictures, values 0-255.
    labels : ndarray of int, shape (n,)
        0 for a cat, 1 for a dog (see :data:`CLASS_NAMES`).
    """
    n = _check_int(n_samples, "n_samples", 2)
    size = _check_int(size, "size", 8)
    rng = check_random_state(seed)

    labels = rng.permutation(np.arange(n) % 2)
    params = _draw_cartoons(rng, labels)
    # draw the pictures in chunks of about 260,000 pixels: little memory at any size
    images = np.empty((n, size, size, 3), dtype=np.uint8)
    chunk = max(1, 2**18 // (size * size))
    for start in range(0, n, chunk):
        part = {name: value[start:start + chunk] for name, value in params.items()}
        images[start:start + chunk] = _render_cartoons(part, size, rng)
    return images, labels.astype(np.intp)


def _draw_cartoons(rng, labels):
    """Every random number of every picture except the pixel noise: a dict of per-image arrays.

    Lengths are in units of the picture's half-width (the picture spans -1 to 1);
    ``ax`` and ``ay`` are the head's half-width and half-height, and the face's
    features are placed relative to them.
    """
    n = labels.shape[0]
    dog = labels == 1

    def unif(low, high):
        return rng.uniform(low, high, n)

    def by_class(cat_range, dog_range):
        """One number per image from a class-dependent range (where both matter, they overlap)."""
        t = rng.uniform(0.0, 1.0, n)
        low = np.where(dog, dog_range[0], cat_range[0])
        high = np.where(dog, dog_range[1], cat_range[1])
        return low + t * (high - low)

    p = {"dog": dog}
    # the head: position, size and shape (dogs a little wider on average)
    p["cx"], p["cy"] = unif(-0.3, 0.3), unif(-0.1, 0.3)
    r = unif(0.34, 0.54)
    p["ax"] = r * by_class((0.80, 0.98), (0.92, 1.10))
    p["ay"] = r * by_class((0.85, 1.00), (0.82, 0.97))
    # dog ears (the cat ranges are unused): offset from the centre, half-axes
    p["ear_dx"] = by_class((0, 0), (0.80, 1.00)) * p["ax"]
    p["ear_dy"] = by_class((0, 0), (0.05, 0.40)) * p["ay"]
    p["ear_ax"] = by_class((1, 1), (0.28, 0.40)) * p["ax"]
    p["ear_ay"] = by_class((1, 1), (0.60, 0.85)) * p["ay"]
    # cat ears (the dog ranges are unused): apex, inner and outer corner of the base
    p["apex_dx"] = by_class((0.55, 0.80), (0, 0)) * p["ax"]
    p["apex_dy"] = by_class((1.25, 1.60), (0, 0)) * p["ay"]
    p["base_in"] = by_class((0.05, 0.25), (0, 0)) * p["ax"]
    p["base_out"] = by_class((0.75, 0.95), (0, 0)) * p["ax"]
    p["tongue"] = dog & (unif(0.0, 1.0) < 0.6)
    p["eye_dx"] = by_class((0.34, 0.44), (0.30, 0.40)) * p["ax"]
    # background: two colours blended along the direction (bg_du, bg_dv)
    p["bg0"] = rng.integers(0, 256, (n, 3))
    p["bg1"] = rng.integers(0, 256, (n, 3))
    p["bg_du"], p["bg_dv"] = unif(-0.5, 0.5), unif(-0.5, 0.5)
    p["noise"] = rng.integers(4, 21, n)  # pixel noise amplitude

    # colours, all integers: one palette row per image, indexed by part number
    fur = _FUR_COLOURS[rng.integers(0, len(_FUR_COLOURS), n)] + rng.integers(-25, 26, (n, 3))
    fur = np.clip(fur, 0, 255)
    palette = np.zeros((n, _N_PARTS, 3), dtype=np.int64)
    palette[:, _FUR] = fur
    palette[:, _EAR] = fur * rng.integers(40, 101, (n, 1)) // 100  # fur, 40-100 % as bright
    light = rng.integers(30, 81, (n, 1))  # the muzzle: fur, 30-80 % of the way to cream
    palette[:, _MUZZLE] = fur + (np.array([245, 235, 215]) - fur) * light // 100
    palette[:, _PINK] = np.clip(np.array([230, 110, 130]) + rng.integers(-20, 21, (n, 3)), 0, 255)
    palette[:, _DARK] = rng.integers(0, 41, (n, 1))
    # whiskers contrast with the fur: dark on light fur, light on dark fur
    palette[:, _WHISKER] = np.where(fur.sum(axis=1, keepdims=True) > 380, 30, 235)
    p["palette"] = palette
    return p


def _render_cartoons(p, size, rng):
    """Draw the pictures described by ``p`` (from :func:`_draw_cartoons`): uint8 (m, size, size, 3)."""
    m = p["dog"].shape[0]
    # every per-image number as (m, 1, 1), to broadcast over the pixel grid
    cx, cy, ax, ay = (p[k][:, None, None] for k in ("cx", "cy", "ax", "ay"))
    is_dog = p["dog"][:, None, None]
    is_cat = ~is_dog

    # pixel-centre coordinates: u to the right, v downwards, both in (-1, 1)
    coords = (np.arange(size) * 2 + 1 - size) / size
    u = coords[None, None, :]  # (1, 1, size): varies along a row
    v = coords[None, :, None]  # (1, size, 1): varies down a column

    # paint part numbers; later parts cover earlier ones
    canvas = np.zeros((m, size, size), dtype=np.uint8)  # 0 = background everywhere

    # ears first, so that the head covers their base. Dogs: long ellipses hanging
    # at the sides; cats: triangles on top, apex up and a little outwards
    ear_dx, ear_dy, ear_ax, ear_ay = (p[k][:, None, None] for k in ("ear_dx", "ear_dy", "ear_ax", "ear_ay"))
    apex_dx, apex_dy, base_in, base_out = (p[k][:, None, None] for k in ("apex_dx", "apex_dy", "base_in", "base_out"))
    base_y = cy - 0.55 * ay
    for side in (-1.0, 1.0):
        floppy = _ellipse(u, v, cx + side * ear_dx, cy + ear_dy, ear_ax, ear_ay)
        pointed = _triangle(
            u, v,
            (cx + side * apex_dx, cy - apex_dy),
            (cx + side * base_in, base_y),
            (cx + side * base_out, base_y + 0.25 * ay),
        )
        _paint(canvas, (floppy & is_dog) | (pointed & is_cat), _EAR)

    _paint(canvas, _ellipse(u, v, cx, cy, ax, ay), _FUR)

    # dog: a broad light muzzle low on the face, often a tongue, a big dark nose
    _paint(canvas, _ellipse(u, v, cx, cy + 0.45 * ay, 0.52 * ax, 0.36 * ay) & is_dog, _MUZZLE)
    tongue = p["tongue"][:, None, None]
    _paint(canvas, _ellipse(u, v, cx, cy + 0.80 * ay, 0.16 * ax, 0.22 * ay) & tongue, _PINK)
    _paint(canvas, _ellipse(u, v, cx, cy + 0.25 * ay, 0.20 * ax, 0.13 * ay) & is_dog, _DARK)

    # cat: a small pink nose and three thin whiskers on each side
    nose = _triangle(u, v, (cx - 0.12 * ax, cy + 0.22 * ay), (cx + 0.12 * ax, cy + 0.22 * ay), (cx, cy + 0.36 * ay))
    _paint(canvas, nose & is_cat, _PINK)
    for side in (-1.0, 1.0):
        for rise in (-0.18, 0.0, 0.18):
            whisker = _segment(
                u, v,
                (cx + side * 0.25 * ax, cy + 0.40 * ay),
                (cx + side * 1.15 * ax, cy + (0.40 + rise) * ay),
                half_width=1.0 / size,  # half a pixel: lines about one pixel thick
            )
            _paint(canvas, whisker & is_cat, _WHISKER)

    # eyes for everyone
    eye_dx, eye_r = p["eye_dx"][:, None, None], 0.12 * ax
    for side in (-1.0, 1.0):
        _paint(canvas, _ellipse(u, v, cx + side * eye_dx, cy - 0.15 * ay, eye_r, eye_r), _DARK)

    # look up the colours: (m, size*size) part numbers -> (m, size*size, 3) colours
    flat = canvas.reshape(m, size * size, 1).astype(np.intp)
    img = np.take_along_axis(p["palette"], flat, axis=1).reshape(m, size, size, 3)

    # the background: two colours blended along a direction, t = 0..1 across the picture
    t = np.clip(0.5 + p["bg_du"][:, None, None] * u + p["bg_dv"][:, None, None] * v, 0.0, 1.0)[..., None]
    c0, c1 = p["bg0"][:, None, None, :], p["bg1"][:, None, None, :]
    background = np.rint(c0 + t * (c1 - c0)).astype(np.int64)
    img = np.where((canvas == _BACKGROUND)[..., None], background, img)

    # pixel noise, uniform in about [-amp, amp] with a random amp per picture
    amp = p["noise"][:, None, None, None]
    noise = rng.integers(-1000, 1001, img.shape, dtype=np.int16) * amp // 1000
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def checksum(images, labels):
    """SHA-256 (hex) of a labelled image set, as used for :data:`BUILTIN_CHECKSUM`.

    Hashes ``images.tobytes() + labels.astype("<i8").tobytes()``: the raw uint8
    pixels in C order, then the labels as little-endian 64-bit integers. Two sets
    with the same hash have the same pixels and labels, on any machine.

    >>> images, labels = make_cats_and_dogs()
    >>> checksum(images, labels) == BUILTIN_CHECKSUM
    True
    """
    images = np.ascontiguousarray(images)
    if images.dtype != np.uint8:
        raise TypeError(f"images must be uint8, got dtype {images.dtype}")
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.shape[0] != images.shape[0]:
        raise ValueError(f"labels must have shape ({images.shape[0]},) to match the images, got {labels.shape}")
    return hashlib.sha256(images.tobytes() + labels.astype("<i8").tobytes()).hexdigest()


def images_to_features(images):
    """Flatten images into rows of pixel values in [0, 1].

    Parameters
    ----------
    images : array-like of uint8, shape (n, size, size, 3) -- or one image (size, size, 3)

    Returns
    -------
    ndarray of float32, shape (n, size * size * 3)
        One row per image, the pixels in C order (row by row, R G B per pixel),
        divided by 255. A single image gives one row, shape (1, size * size * 3).
        Standardise the rows before training (:class:`nnlearn.preprocessing.Standardizer`).
    """
    arr = np.asarray(images)
    if arr.ndim == 3:
        arr = arr[None]
    if arr.ndim != 4 or arr.shape[-1] != 3:
        raise ValueError(f"images must have shape (n, size, size, 3) or (size, size, 3), got {np.asarray(images).shape}")
    if arr.dtype != np.uint8:
        raise TypeError(f"images must be uint8 (0-255), got dtype {arr.dtype}; convert with images.astype(np.uint8)")
    return arr.reshape(arr.shape[0], -1).astype(np.float32) / np.float32(255.0)


# ---------------------------------------------------------------------------
# one image file


class ImageReadError(ValueError):
    """A file that is not a readable image. A ``ValueError`` with two extra attributes:

    ``path`` -- the file; ``reason`` -- a short explanation, e.g. ``"empty file
    (0 bytes)"``, ``"not an image file"`` or ``"truncated image data"``.
    """

    def __init__(self, path, reason):
        super().__init__(f"cannot read {os.fspath(path)!r} as an image: {reason}")
        self.path = os.fspath(path)
        self.reason = reason


def _pil():
    """Import Pillow, or say how to get it."""
    try:
        from PIL import Image, ImageOps
    except ImportError:  # pragma: no cover - pillow is in requirements.txt
        raise ImportError("reading image files needs Pillow: pip install pillow") from None
    return Image, ImageOps


def _pil_errors(Image):
    """The exceptions Pillow raises for files it cannot decode."""
    return (
        Image.UnidentifiedImageError,  # not an image format Pillow knows (an OSError)
        Image.DecompressionBombError,  # absurdly many pixels: refuse, do not eat the memory
        OSError,  # truncated or broken data ("image file is truncated", "broken data stream")
        SyntaxError,  # some decoders report malformed headers this way
        EOFError,  # data ends early (e.g. GIF, PNG chunks)
        ValueError,  # impossible header values
        struct.error,  # header fields that cannot be unpacked
    )


def _short_reason(err):
    """Turn a Pillow exception into a short human reason (without the long file path)."""
    Image, _ = _pil()
    if isinstance(err, Image.UnidentifiedImageError):
        return "not an image file (Pillow cannot identify it)"
    if isinstance(err, PermissionError):
        return "no permission to read it"
    if isinstance(err, Image.DecompressionBombError):
        return "too many pixels (Pillow refuses it as a possible decompression bomb)"
    text = str(err)
    if "truncated" in text.lower():
        return "truncated image data"
    text = re.sub(r"'[^']*'", "'...'", text)  # drop file names quoted in the message
    if len(text) > 60:
        text = text[:57] + "..."
    return f"broken image ({type(err).__name__}: {text})" if text else f"broken image ({type(err).__name__})"


def _to_rgb(im, Image):
    """Any Pillow image as RGB; transparent pixels become white (not whatever colour hides there)."""
    if im.mode == "RGB":
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, im).convert("RGB")
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):  # 16-bit, 32-bit or float grey
        arr = np.asarray(im.convert("F"), dtype=np.float64)
        if im.mode.startswith("I;16"):
            arr = arr / 257.0  # 0..65535 -> 0..255
        elif arr.max() > 255:
            arr = arr * (255.0 / arr.max())  # unknown range: stretch the brightest to white
        return Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8)).convert("RGB")
    return im.convert("RGB")  # grey "L", palette "P", "1", "CMYK", "YCbCr", ...


def load_image(path, size=32):
    """Read one image file as a ``(size, size, 3)`` uint8 RGB array, ready for a network.

    The steps, in order:

    1. open the file with Pillow (any format it knows: JPEG, PNG, GIF, BMP, WebP,
       ...; of an animation only the first frame) and turn it upright if the camera
       stored a rotation in its EXIF data;
    2. convert to RGB: grey images get three equal channels, palette images their
       colours, and transparent pixels (RGBA, transparent PNG/GIF) become white;
    3. cut the largest centred square out of it (a network needs every input the
       same shape, and squashing a wide photo would distort the animal);
    4. shrink it to ``size x size`` pixels with a high-quality (Lanczos) filter,
       which averages neighbouring pixels instead of just dropping them.

    Parameters
    ----------
    path : str or os.PathLike
        The image file.
    size : int
        Width and height of the result in pixels (at least 1; 32 by default).

    Returns
    -------
    ndarray of uint8, shape (size, size, 3)

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ImageReadError (a ValueError)
        If the file is not a readable image: empty, not an image at all, truncated
        or corrupt. The message names the file and the reason.

    Example: ask a trained network about your own photo::

        x = images_to_features(load_image("my_cat.jpg"))      # (1, 3072)
        proba = net.predict_proba(scaler.transform(x))[0]    # [P(cat), P(dog)]
    """
    size = _check_int(size, "size", 1)
    try:
        path = Path(path)
    except TypeError:
        raise TypeError(f"path must be a file name (str or os.PathLike), got {type(path).__name__}") from None
    if not path.exists():
        raise FileNotFoundError(f"no such image file: {os.fspath(path)!r}")
    if not path.is_file():
        raise ImageReadError(path, "not a file (a directory?)")
    if path.stat().st_size == 0:
        raise ImageReadError(path, "empty file (0 bytes)")
    Image, ImageOps = _pil()
    try:
        with Image.open(path) as im:
            if im.format == "JPEG":
                # let the JPEG decoder shrink big photos by 2, 4 or 8 while decoding:
                # much faster, and we throw those pixels away anyway
                im.draft("RGB", (2 * size, 2 * size))
            im.load()  # decode now, inside the try: truncated data shows up here
            im = ImageOps.exif_transpose(im)
            im = _to_rgb(im, Image)
            width, height = im.size
            side = min(width, height)
            left, top = (width - side) // 2, (height - side) // 2
            # crop first, so that the filter sees no pixels from outside the square
            im = im.crop((left, top, left + side, top + side))
            im = im.resize((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)
            arr = np.array(im, dtype=np.uint8)
    except _pil_errors(Image) as err:
        raise ImageReadError(path, _short_reason(err)) from None
    if arr.shape != (size, size, 3):  # pragma: no cover - a Pillow surprise
        raise ImageReadError(path, f"decoded to an unexpected shape {arr.shape}")
    return arr


def save_image(image, path):
    """Write one ``(h, w, 3)`` uint8 RGB image (or ``(h, w)`` grey) to a file; the format follows the suffix.

    Handy to turn a generated picture into a "new photo" to feed to
    :func:`load_image`, or to look at an image outside Python. PNG keeps every
    pixel exactly; JPEG is smaller but changes pixels slightly.
    """
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        raise TypeError(f"image must be uint8 (0-255), got dtype {arr.dtype}")
    if not (arr.ndim == 2 or (arr.ndim == 3 and arr.shape[2] == 3)):
        raise ValueError(f"image must have shape (h, w, 3) or (h, w), got {arr.shape}")
    Image, _ = _pil()
    Image.fromarray(arr).save(path)


# ---------------------------------------------------------------------------
# a folder of photos

_CLASS_DIRS = {"cat": 0, "cats": 0, "dog": 1, "dogs": 1}
_KAGGLE_NAME = re.compile(r"^(cats?|dogs?)[._\-\s]*\d", re.IGNORECASE)  # cat.123.jpg, dog_7.png
_CACHE_VERSION = 1
_PROGRESS_MIN_FILES = 50


@dataclasses.dataclass
class FolderInfo:
    """What :func:`load_image_folder` found. ``print(info)`` gives a summary.

    Attributes
    ----------
    folder : str
        The folder that was read.
    layout : str
        ``"subfolders"`` (cat/ and dog/), ``"file names"`` (cat.123.jpg) or both.
    size : int
        Images were resized to ``size x size``.
    counts : dict
        Images loaded per class, e.g. ``{"cat": 120, "dog": 118}``.
    files : list of str
        The loaded files, relative to ``folder``, in the order of the returned images.
    skipped : list of (str, str)
        ``(file, reason)`` for every file that was not a readable image.
    ignored : list of str
        Files in ``folder`` whose name says neither cat nor dog (not counted as skipped).
    cache_path : str or None
        Where the resized arrays are cached (None: no cache).
    from_cache : bool
        True if the images came from the cache without opening any image file.
    cache_note : str
        Why the cache was not used or not written, if it was not ("" otherwise).
    """

    folder: str
    layout: str
    size: int
    counts: dict
    files: list
    skipped: list
    ignored: list
    cache_path: object = None
    from_cache: bool = False
    cache_note: str = ""

    @property
    def n_loaded(self):
        """Number of images loaded."""
        return sum(self.counts.values())

    @property
    def n_skipped(self):
        """Number of files skipped because they were not readable images."""
        return len(self.skipped)

    def __str__(self):
        per_class = ", ".join(f"{k} {v}" for k, v in self.counts.items())
        lines = [f"{self.n_loaded} images ({per_class}) of {self.size}x{self.size} from {self.folder} [{self.layout}]"]
        if self.skipped:
            lines.append(f"skipped {self.n_skipped} file(s) that are not readable images:")
            for name, reason in self.skipped[:10]:
                lines.append(f"  {name}: {reason}")
            if self.n_skipped > 10:
                lines.append(f"  ... and {self.n_skipped - 10} more (see info.skipped)")
        if self.ignored:
            lines.append(f"ignored {len(self.ignored)} file(s) whose name says neither cat nor dog")
        if self.cache_path is not None:
            lines.append(f"cache: {self.cache_path} ({'used' if self.from_cache else 'written'})")
        if self.cache_note:
            lines.append(f"cache: {self.cache_note}")
        return "\n".join(lines)


def _visible_files(folder):
    """Regular files in ``folder`` (not in subfolders), hidden ones (``.xyz``) left out, sorted."""
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def _find_labelled_files(folder):
    """Return ``(candidates, ignored, layout)``: candidates are ``(relative name, label, path)``."""
    candidates, ignored, layouts = [], [], []
    class_dirs = sorted(p for p in folder.iterdir() if p.is_dir() and p.name.lower() in _CLASS_DIRS)
    for d in class_dirs:
        for p in _visible_files(d):
            candidates.append((f"{d.name}/{p.name}", _CLASS_DIRS[d.name.lower()], p))
    if class_dirs:
        layouts.append("subfolders")
    named = 0
    for p in _visible_files(folder):
        m = _KAGGLE_NAME.match(p.name)
        if m:
            candidates.append((p.name, _CLASS_DIRS[m.group(1).lower()], p))
            named += 1
        else:
            ignored.append(p.name)
    if named:
        layouts.append("file names")
    return candidates, ignored, " + ".join(layouts) or "none"


def _fingerprint(candidates, size, max_per_class):
    """A hash of what decides the cached arrays: every file's name, size and modification time, and ``size``."""
    entries = []
    for name, label, path in candidates:
        st = path.stat()
        entries.append([name, label, st.st_size, st.st_mtime_ns])
    blob = json.dumps([_CACHE_VERSION, size, max_per_class, entries], separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _default_cache_path(folder, size, cache_dir):
    if cache_dir is None:
        return folder / f".nnlearn_cache_{size}.npz"
    # one cache directory may serve several folders: put the folder's identity in the name
    tag = hashlib.sha256(os.fspath(folder.resolve()).encode("utf-8")).hexdigest()[:12]
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", folder.resolve().name)[:40]
    return Path(cache_dir) / f"nnlearn_cache_{safe}_{tag}_{size}.npz"


def _read_cache(cache_path, fingerprint, size):
    """The cached ``(images, labels, files, skipped)`` if the cache is valid for ``fingerprint``, else None.

    Anything wrong with the file (missing, not a zip, truncated, wrong keys, shapes
    or fingerprint) just means "no usable cache": it is rebuilt. ``allow_pickle=False``:
    a cache file can never run code.
    """
    try:
        # open the file ourselves: np.load leaves it open when the zip is damaged
        with open(cache_path, "rb") as f, np.load(f, allow_pickle=False) as data:
            if str(data["fingerprint"]) != fingerprint:
                return None
            images, labels = data["images"], data["labels"]
            files = [str(f) for f in data["files"]]
            skipped = [(str(a), str(b)) for a, b in zip(data["skipped_files"], data["skipped_reasons"])]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error):
        return None
    n = len(files)
    if (images.dtype != np.uint8 or images.shape != (n, size, size, 3)
            or labels.shape != (n,) or not np.isin(labels, (0, 1)).all()):
        return None
    return images, labels.astype(np.intp), files, skipped


def _write_cache(cache_path, fingerprint, images, labels, files, skipped):
    """Write the cache atomically (a temporary file, then a rename); return "" or why it failed."""
    try:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".nnlearn_tmp_", suffix=".npz", dir=cache_path.parent)
    except OSError as err:
        return f"not written ({type(err).__name__}: {err.strerror or err}); pass cache_dir= to cache elsewhere"
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez_compressed(
                f,
                fingerprint=np.array(fingerprint),
                images=images,
                labels=labels.astype(np.int64),
                files=np.array(files, dtype=str),
                skipped_files=np.array([s[0] for s in skipped], dtype=str),
                skipped_reasons=np.array([s[1] for s in skipped], dtype=str),
            )
        os.replace(tmp, cache_path)
    except OSError as err:
        try:
            os.remove(tmp)
        except OSError:
            pass
        return f"not written ({type(err).__name__}: {err.strerror or err}); pass cache_dir= to cache elsewhere"
    return ""


def _progress(iterable, total, show):
    if not show or total < _PROGRESS_MIN_FILES:
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is in requirements.txt
        return iterable
    return tqdm(iterable, total=total, desc="loading images", unit="img", file=sys.stdout)


def load_image_folder(folder, size=32, cache=True, cache_dir=None, progress=True, max_per_class=None):
    """Load a folder of cat and dog photos as ``(n, size, size, 3)`` uint8 arrays with labels.

    Two layouts are understood (and may be mixed):

    * **subfolders**: ``folder/cat/*`` and ``folder/dog/*`` (also ``cats``/``dogs``,
      any upper or lower case); every file in them is tried as an image;
    * **file names**, as in Kaggle's "Dogs vs. Cats": ``folder/cat.123.jpg``,
      ``folder/dog.45.jpg`` (also ``cat_1.png``, ``Dog-7.jpeg``). Other files in
      ``folder`` are ignored and listed in ``info.ignored``.

    Every image goes through :func:`load_image` (RGB, centre square, resized).
    Files that are not readable images -- text files, empty, truncated or corrupt
    files -- are **skipped and counted** in ``info.skipped``, never a crash.

    The resized arrays are **cached** in a compressed ``.npz`` file, so the second
    call takes a fraction of a second instead of decoding every photo again. The
    cache belongs to a *fingerprint* of the folder: every file's name, byte size
    and modification time, plus ``size``. Add, remove, replace or touch a file and
    the cache is rebuilt; a damaged cache file is ignored and rebuilt too.

    Parameters
    ----------
    folder : str or os.PathLike
    size : int
        Images are resized to ``size x size`` (default 32).
    cache : bool
        Read and write the cache (default True). False decodes every file, every time.
    cache_dir : str or os.PathLike, optional
        Where to keep the cache. Default: inside ``folder`` as
        ``.nnlearn_cache_<size>.npz``. Use this when ``folder`` is read-only.
    progress : bool
        Show a tqdm progress bar while decoding (only for 50 files or more; never
        when the cache is used).
    max_per_class : int, optional
        Load at most this many images per class (the first ones in file-name
        order), e.g. to try out a big data set quickly.

    Returns
    -------
    images : ndarray of uint8, shape (n, size, size, 3)
    labels : ndarray of int, shape (n,)
        0 = cat, 1 = dog. Sorted by class, then file name: shuffle before you
        split (``train_test_split`` does).
    info : FolderInfo
        Counts per class, the loaded files, the skipped files with reasons, and
        where the cache is. ``print(info)`` summarises it.

    Raises
    ------
    FileNotFoundError, NotADirectoryError
        If ``folder`` does not exist or is not a folder.
    ValueError
        If no readable cat or dog image is found; the message says which layouts
        are expected and what was found instead.
    """
    size = _check_int(size, "size", 1)
    if max_per_class is not None:
        max_per_class = _check_int(max_per_class, "max_per_class", 1)
    for flag, name in ((cache, "cache"), (progress, "progress")):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {flag!r}")
    try:
        folder = Path(folder)
    except TypeError:
        raise TypeError(f"folder must be a folder name (str or os.PathLike), got {type(folder).__name__}") from None
    if not folder.exists():
        raise FileNotFoundError(f"no such folder: {os.fspath(folder)!r}")
    if not folder.is_dir():
        raise NotADirectoryError(f"{os.fspath(folder)!r} is a file, not a folder; load_image() reads a single image")

    candidates, ignored, layout = _find_labelled_files(folder)
    if max_per_class is not None:
        kept, seen = [], [0, 0]
        for c in sorted(candidates, key=lambda c: (c[1], c[0])):
            if seen[c[1]] < max_per_class:
                kept.append(c)
                seen[c[1]] += 1
        candidates = kept
    candidates.sort(key=lambda c: (c[1], c[0]))  # cats first, then by name

    fingerprint = _fingerprint(candidates, size, max_per_class)
    cache_path = _default_cache_path(folder, size, cache_dir) if cache else None
    cached = _read_cache(cache_path, fingerprint, size) if cache else None
    note = ""
    if cached is not None:
        images, labels, files, skipped = cached
        from_cache = True
    else:
        from_cache = False
        arrays, labels, files, skipped = [], [], [], []
        for name, label, path in _progress(candidates, len(candidates), progress):
            try:
                arrays.append(load_image(path, size))
            except ImageReadError as err:
                skipped.append((name, err.reason))
                continue
            except OSError as err:  # vanished or unreadable (permissions) since the listing
                skipped.append((name, f"cannot open ({type(err).__name__})"))
                continue
            labels.append(label)
            files.append(name)
        images = np.stack(arrays) if arrays else np.zeros((0, size, size, 3), dtype=np.uint8)
        labels = np.array(labels, dtype=np.intp)
        if cache and len(files):
            note = _write_cache(cache_path, fingerprint, images, labels, files, skipped)
            if note:
                cache_path = None

    if len(files) == 0:
        found = f"{len(candidates)} cat/dog file(s), none readable" if candidates else "no cat or dog files"
        raise ValueError(
            f"no usable cat or dog images in {os.fspath(folder)!r} ({found}). Expected either "
            "subfolders cat/ and dog/ (or cats/, dogs/) holding image files, or image files "
            "named like cat.123.jpg and dog.45.jpg directly in the folder."
            + (f" Skipped: {', '.join(n for n, _ in skipped[:5])}." if skipped else "")
            + (f" Ignored (no cat/dog in the name): {', '.join(ignored[:5])}." if ignored else "")
        )
    counts = {name: int(np.sum(labels == k)) for k, name in enumerate(CLASS_NAMES)}
    info = FolderInfo(
        folder=os.fspath(folder), layout=layout, size=size, counts=counts, files=list(files),
        skipped=list(skipped), ignored=ignored,
        cache_path=None if cache_path is None else os.fspath(cache_path),
        from_cache=from_cache, cache_note=note,
    )
    return images, labels, info


# ---------------------------------------------------------------------------
# CIFAR-10, python version

_CIFAR_TRAIN = tuple(f"data_batch_{i}" for i in range(1, 6))
_CIFAR_TEST = "test_batch"
_CIFAR_CAT, _CIFAR_DOG = 3, 5

# The only things a CIFAR-10 batch pickle may construct: numpy arrays and dtypes
# (under their NumPy 1 and NumPy 2 module names) and bytes written by Python 3.
_CIFAR_GLOBALS = {
    ("numpy", "ndarray"): ("numpy", "ndarray"),
    ("numpy", "dtype"): ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"): ("numpy._core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"): ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"): ("numpy._core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"): ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"): ("numpy._core.numeric", "_frombuffer"),
    ("numpy._core.numeric", "_frombuffer"): ("numpy._core.numeric", "_frombuffer"),
    ("_codecs", "encode"): ("_codecs", "encode"),
}


class _CifarUnpickler(pickle.Unpickler):
    """``pickle.load(f, encoding="bytes")`` that refuses to build anything but arrays.

    A pickle can name any Python function to call while loading -- a booby-trapped
    file could run code. The CIFAR batches only need NumPy arrays, so every other
    name is refused.
    """

    def find_class(self, module, name):
        target = _CIFAR_GLOBALS.get((module, name))
        if target is None:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name}: a CIFAR-10 batch holds only arrays")
        mod_name, attr = target
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:  # NumPy 1.x has numpy.core instead of numpy._core
            mod = importlib.import_module(mod_name.replace("numpy._core", "numpy.core"))
        return getattr(mod, attr)


def _cifar_dir(path):
    """The folder holding the batch files: ``path`` itself or ``path/cifar-10-batches-py``."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such folder: {os.fspath(path)!r}")
    if path.is_file():
        hint = " -- extract it first (tar xzf cifar-10-python.tar.gz)" if path.name.endswith((".tar.gz", ".tgz")) else ""
        raise ValueError(f"{os.fspath(path)!r} is a file; pass the folder with the CIFAR-10 python batches{hint}")
    for d in (path, path / "cifar-10-batches-py"):
        if any((d / f).is_file() for f in _CIFAR_TRAIN + (_CIFAR_TEST,)):
            return d
    raise ValueError(
        f"no CIFAR-10 python batches in {os.fspath(path)!r} or its cifar-10-batches-py/ subfolder: "
        f"expected files {', '.join(_CIFAR_TRAIN)} and {_CIFAR_TEST} "
        "(from cifar-10-python.tar.gz, the 'python version')"
    )


def _read_cifar_batch(file):
    """Return ``(data (N, 3072) uint8, labels (N,) int)`` of one batch file, or raise a clear ValueError."""
    where = os.fspath(file)
    try:
        with open(file, "rb") as f:
            batch = _CifarUnpickler(f, encoding="bytes").load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            IndexError, KeyError, ImportError, struct.error, UnicodeDecodeError) as err:
        raise ValueError(
            f"{where} is not a readable CIFAR-10 python batch ({type(err).__name__}: {str(err)[:100]})"
        ) from None
    if not isinstance(batch, dict):
        raise ValueError(f"{where} should hold a dict with b'data' and b'labels', got a {type(batch).__name__}")

    def entry(key):
        for k in (key.encode(), key):
            if k in batch:
                return batch[k]
        extra = " (b'fine_labels' means CIFAR-100, not CIFAR-10)" if key == "labels" and b"fine_labels" in batch else ""
        raise ValueError(f"{where} has no {key.encode()!r} entry; its keys are {sorted(map(repr, batch))[:6]}{extra}")

    data, labels = entry("data"), entry("labels")
    if not isinstance(data, np.ndarray):
        raise ValueError(f"{where}: b'data' should be a NumPy array, got {type(data).__name__}")
    if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3 * 32 * 32:
        raise ValueError(
            f"{where}: b'data' should be uint8 of shape (N, 3072) -- 32x32 pixels x 3 channels -- "
            f"got {data.dtype} of shape {data.shape}"
        )
    try:
        labels = np.asarray(labels)
    except ValueError:
        labels = np.array([])
    if labels.ndim != 1 or labels.shape[0] != data.shape[0] or labels.dtype.kind not in "iu":
        raise ValueError(
            f"{where}: b'labels' should be {data.shape[0]} integers (one per image), "
            f"got {labels.dtype} of shape {labels.shape}"
        )
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        raise ValueError(f"{where}: b'labels' should be classes 0-9, found {labels.min()}..{labels.max()}")
    return data, labels


def _cifar_catdog(files):
    """Cats and dogs of several batch files: images (n, 32, 32, 3) uint8, labels (n,) with 0 = cat, 1 = dog."""
    images, labels = [], []
    for file in files:
        data, y = _read_cifar_batch(file)
        keep = (y == _CIFAR_CAT) | (y == _CIFAR_DOG)
        # each row is 1024 red values, then 1024 green, then 1024 blue ("channels first"),
        # each 32 rows of 32 pixels: reshape to (n, 3, 32, 32), then move channels last
        images.append(data[keep].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        labels.append((y[keep] == _CIFAR_DOG).astype(np.intp))
    return np.ascontiguousarray(np.concatenate(images)), np.concatenate(labels)


def load_cifar10_catdog(path):
    """The cats and dogs of CIFAR-10, from the "python version" batch files on disk.

    CIFAR-10 has 60,000 colour photos of 32x32 pixels in 10 classes; class 3 is
    *cat* and class 5 is *dog* -- 6,000 each (5,000 for training, 1,000 for
    testing). Real photos are much harder than the built-in cartoons: expect a
    dense network on raw pixels to reach only about 60 % here.

    Parameters
    ----------
    path : str or os.PathLike
        The folder holding ``data_batch_1`` ... ``data_batch_5`` and ``test_batch``
        (the content of ``cifar-10-python.tar.gz``), or the folder that holds
        ``cifar-10-batches-py/``. Nothing is downloaded.

    Returns
    -------
    X_train : ndarray of uint8, shape (n_train, 32, 32, 3)
    y_train : ndarray of int, shape (n_train,)
    X_test : ndarray of uint8, shape (n_test, 32, 32, 3)
    y_test : ndarray of int, shape (n_test,)
        Labels 0 = cat, 1 = dog (CIFAR's 3 and 5), in the files' order. Images are
        RGB with channels last, like everything else in this module.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If batch files are missing or malformed; the message names the file and
        what is wrong with it.

    Only these six files are read, with an unpickler that refuses anything but
    NumPy arrays (a pickle file can otherwise run arbitrary code).
    """
    d = _cifar_dir(path)
    missing = [f for f in _CIFAR_TRAIN + (_CIFAR_TEST,) if not (d / f).is_file()]
    if missing:
        raise ValueError(f"CIFAR-10 batch file(s) missing in {os.fspath(d)!r}: {', '.join(missing)}")
    X_train, y_train = _cifar_catdog([d / f for f in _CIFAR_TRAIN])
    X_test, y_test = _cifar_catdog([d / _CIFAR_TEST])
    return X_train, y_train, X_test, y_test

"""nnlearn.notebooks.functions_from_notebook: a student's functions read from another notebook."""

import nbformat
import numpy as np
import pytest

from nnlearn.notebooks import functions_from_notebook


def _notebook(tmp_path, *cells, name="mine.ipynb"):
    """A notebook of code cells (markdown for strings starting with '#md ') written to tmp_path."""
    nb = nbformat.v4.new_notebook()
    for source in cells:
        if source.startswith("#md "):
            nb.cells.append(nbformat.v4.new_markdown_cell(source[4:]))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(source))
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_returns_the_named_functions_with_their_imports_helpers_and_constants(tmp_path):
    path = _notebook(
        tmp_path,
        "import numpy as np\nimport matplotlib.pyplot as plt\nfrom math import sqrt",
        "#md Some prose with def dense_forward( in it.",
        "EPS = 1e-12\nSCALE = np.float64(2.0)",
        "def relu(Z):\n    return np.maximum(Z, 0)",
        "def dense_forward(X, W, b):\n    return relu(X @ W.T + b) * SCALE + EPS",
        "def softmax(Z):\n    e = np.exp(Z - Z.max(axis=1, keepdims=True))\n    return e / e.sum(axis=1, keepdims=True)",
    )
    mine = functions_from_notebook(path, ["dense_forward", "softmax"])
    assert set(mine) == {"dense_forward", "softmax"}
    X, W, b = np.array([[1.0, -2.0]]), np.array([[1.0, 1.0], [2.0, 0.0]]), np.array([0.5, 0.0])
    np.testing.assert_allclose(mine["dense_forward"](X, W, b), [[0.0 + 1e-12, 4.0 + 1e-12]])
    np.testing.assert_allclose(mine["softmax"](np.zeros((2, 4))), np.full((2, 4), 0.25))
    # only what the functions use was imported: matplotlib and sqrt are not in their namespace
    namespace = mine["dense_forward"].__globals__
    assert "plt" not in namespace and "sqrt" not in namespace and "relu" in namespace


def test_a_single_name_as_a_string_and_paths_as_strings(tmp_path):
    path = _notebook(tmp_path, "def f(x):\n    return 2 * x")
    assert functions_from_notebook(str(path), "f")["f"](3) == 6


def test_nothing_else_in_the_notebook_runs(tmp_path):
    marker = tmp_path / "ran.txt"
    path = _notebook(
        tmp_path,
        "import numpy as np",
        f"open({str(marker)!r}, 'w').write('the training ran')\nraise RuntimeError('a cell that must not run')",
        "history = train_for_an_hour()",
        "%matplotlib inline\n!pip list\ndef double(x):\n    return np.asarray(x) * 2",
    )
    assert functions_from_notebook(path, ["double"])["double"]([1, 2]).tolist() == [2, 4]
    assert not marker.exists()


def test_the_last_definition_wins_as_when_the_notebook_runs(tmp_path):
    path = _notebook(tmp_path, "def f():\n    return 'first try'", "def f():\n    return 'fixed'")
    assert functions_from_notebook(path, ["f"])["f"]() == "fixed"


def test_a_traceback_names_the_notebook_and_the_cell(tmp_path):
    path = _notebook(tmp_path, "x = 1", "def broken(a):\n    return a / 0")
    broken = functions_from_notebook(path, ["broken"])["broken"]
    assert broken.__code__.co_filename == f"{path}, cell 2"
    with pytest.raises(ZeroDivisionError):
        broken(1)


def test_a_missing_notebook_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no notebook at .*02_neurons\.ipynb"):
        functions_from_notebook(tmp_path / "02_neurons.ipynb", ["dense_forward"])


def test_a_missing_function_names_the_notebook_and_the_function(tmp_path):
    path = _notebook(tmp_path, "def dense_forward(X, W, b):\n    return X @ W.T + b")
    with pytest.raises(ValueError, match=r"mine\.ipynb defines no function 'dense_backward'"):
        functions_from_notebook(path, ["dense_forward", "dense_backward"])


def test_a_function_only_called_or_defined_inside_another_is_not_top_level(tmp_path):
    path = _notebook(tmp_path, "def outer():\n    def inner():\n        return 1\n    return inner()")
    with pytest.raises(ValueError, match="no function 'inner'"):
        functions_from_notebook(path, ["inner"])


def test_an_unwritten_exercise_is_a_clear_error(tmp_path):
    stub = ('def dense_backward(dout, cache):\n    """Backward pass."""\n    # YOUR CODE HERE\n'
            "    raise NotImplementedError()")
    path = _notebook(tmp_path, stub)
    with pytest.raises(ValueError, match=r"dense_backward in .*mine\.ipynb still raises NotImplementedError"):
        functions_from_notebook(path, ["dense_backward"])


@pytest.mark.parametrize("content, message", [
    ("this is not json", "not valid JSON"),
    ('{"nbformat": 4}', "no list of cells"),
    ("[1, 2, 3]", "no list of cells"),
])
def test_a_malformed_notebook_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "broken.ipynb"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=rf"broken\.ipynb .*{message}"):
        functions_from_notebook(path, ["f"])


def test_parameters_and_locals_are_not_looked_up_in_the_notebook(tmp_path):
    """06 has `def init_params(sizes, ...)` and, later, `sizes = [3072, hidden_size, 2]`: not needed."""
    path = _notebook(tmp_path, "import numpy as np",
                     "def init_params(sizes, seed=0):\n    rng = np.random.default_rng(seed)\n"
                     "    total = [rng.normal(size=n) for n in sizes]\n    return total",
                     "sizes = [3072, hidden_size, 2]\nrng = None",
                     "def train(params, loss_fn=init_params):\n    def step(batch):\n        return loss_fn(batch)\n"
                     "    return step")
    mine = functions_from_notebook(path, ["init_params", "train"])
    assert [len(w) for w in mine["init_params"]([2, 3])] == [2, 3]
    assert len(mine["train"](None)([4])[0]) == 4
    assert "sizes" not in mine["init_params"].__globals__


def test_a_cell_with_a_syntax_error_is_skipped_not_fatal(tmp_path):
    path = _notebook(tmp_path, "def half_written(:\n", "def f(x):\n    return x + 1")
    assert functions_from_notebook(path, ["f"])["f"](1) == 2


def test_a_constant_that_fails_is_reported_with_its_cell(tmp_path):
    path = _notebook(tmp_path, "import numpy as np", "SCALE = np.no_such_function(3)",
                     "def f(x):\n    return x * SCALE")
    with pytest.raises(ValueError, match=r"mine\.ipynb, cell 2: 'SCALE = np\.no_such_function\(3\)' failed"):
        functions_from_notebook(path, ["f"])


def test_the_course_solution_notebooks_give_working_functions():
    from pathlib import Path

    from nnlearn.layers import dense_backward
    from nnlearn.losses import softmax_cross_entropy_loss

    root = Path(__file__).resolve().parents[2] / "solutions"
    own_02 = functions_from_notebook(root / "02_neurons_and_activations" / "02_neurons_and_activations.ipynb",
                                     ["dense_forward", "softmax"])
    own_05 = functions_from_notebook(root / "05_backprop" / "05_backprop.ipynb",
                                     ["dense_backward", "softmax_cross_entropy"])
    rng = np.random.default_rng(0)
    X, W, b, y = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=4), np.array([0, 1, 3, 2, 1])
    Z = own_02["dense_forward"](X, W, b)
    np.testing.assert_allclose(Z, X @ W.T + b)
    loss, dZ = own_05["softmax_cross_entropy"](Z, y)
    expected_loss, expected_dZ = softmax_cross_entropy_loss(Z, y)
    np.testing.assert_allclose([loss], [expected_loss])
    np.testing.assert_allclose(dZ, expected_dZ)
    for got, expected in zip(own_05["dense_backward"](dZ, (X, W)), dense_backward(dZ, (X, W))):
        np.testing.assert_allclose(got, expected)

"""Unit tests of ``coursegrade.blocklist`` (the student's copy of the library) and of
``coursegrade.contract`` (loading ``contract.toml``), on a tiny fake library.

The fake package (two modules, functions, a class, a constant) is written into
``tmp_path``; its built copy is imported in this process with ``sys.modules`` and
``sys.path`` saved and restored around it (and no bytecode written: a ``__pycache__``
in the copy would be a foreign entry). ``tests/course/test_contracts.py`` checks the
real ``nnlearn`` and the course's contracts.
"""

import contextlib
import importlib
import inspect
import os
import shutil
import stat
import sys
import textwrap
import uuid

import pytest

from coursegrade import blocklist, contract

CORE = '''\
"""Core of the fake library."""
SCALE = 2


def double(x):
    """Twice x (allowed)."""
    return _times(x, SCALE)


def _times(x, k):
    return x * k


def secret_answer(x):
    """The reference answer."""
    marker = "SECRET-BODY-OF-secret_answer"
    return x + 1000


class Model:
    """A model."""
    kind = "model"

    def predict(self, x):
        marker = "SECRET-BODY-OF-predict"
        return x - 7

    @staticmethod
    def build():
        return Model()
'''
EXTRA = '''\
"""The second module: it builds on core."""
from .core import double
from . import core


def quadruple(x):
    return double(double(x))


async def fetch(x):
    return x


def detour(x):
    marker = "SECRET-BODY-OF-detour"
    return core.secret_answer(x)
'''
CONTRACT = '''\
allow = ["core:double"]

[exercises.answer]
reference = ["core:secret_answer"]
mutates = ["state"]
keeps_inputs = true

[exercises.other]
reference = []
uses = ["core:double"]
'''


@pytest.fixture
def fake_library(tmp_path):
    package = tmp_path / "fakelib"
    package.mkdir()
    (package / "__init__.py").write_text('"""A fake nnlearn."""\n')
    (package / "core.py").write_text(CORE)
    (package / "extra.py").write_text(EXTRA)
    return package


def write_contract(folder, text=CONTRACT):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / contract.FILENAME).write_text(textwrap.dedent(text))
    return folder


@pytest.fixture
def grading_contract(tmp_path):
    """A contract of an assignment named uniquely: the built copies are cached per assignment."""
    return contract.load(write_contract(tmp_path / f"99_fake_{uuid.uuid4().hex[:8]}"))


@pytest.fixture
def built(fake_library, grading_contract):
    root = blocklist.build_student_library(fake_library, grading_contract)
    yield root
    shutil.rmtree(root.parent, ignore_errors=True)


@contextlib.contextmanager
def imported_from(root):
    """Import ``nnlearn`` from ``root`` in this process, then put everything back."""
    saved_modules = {name: module for name, module in sys.modules.items()
                     if name == "nnlearn" or name.startswith("nnlearn.")}
    saved_path, saved_bytecode = list(sys.path), sys.dont_write_bytecode
    for name in saved_modules:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    sys.dont_write_bytecode = True
    importlib.invalidate_caches()
    try:
        yield importlib.import_module
    finally:
        for name in [n for n in sys.modules if n == "nnlearn" or n.startswith("nnlearn.")]:
            del sys.modules[name]
        sys.modules.update(saved_modules)
        sys.path[:] = saved_path
        sys.dont_write_bytecode = saved_bytecode
        importlib.invalidate_caches()


# --- what is switched off -----------------------------------------------------------------------------

def test_switched_off_follows_the_call_graph(fake_library, grading_contract):
    library = contract.Library(fake_library)
    assert library.edges["core:double"] == {"core:_times", "core:SCALE"}
    assert library.edges["extra:quadruple"] == {"core:double"}
    assert library.edges["extra:detour"] == {"core:secret_answer"}
    assert contract.switched_on(grading_contract, library) == {"core:double", "core:_times", "core:SCALE"}
    assert contract.switched_off(grading_contract, library) == {
        "core": {"secret_answer", "Model"}, "extra": {"quadruple", "fetch", "detour"}}


def test_allowing_a_function_of_another_module_keeps_what_it_calls(fake_library, tmp_path):
    allowed = contract.load(write_contract(tmp_path / "quad", 'allow = ["extra:quadruple"]\n'
                                                              '[exercises.f]\nreference = []\n'))
    library = contract.Library(fake_library)
    assert contract.switched_on(allowed, library) == {"extra:quadruple", "core:double", "core:_times",
                                                      "core:SCALE"}
    assert contract.switched_off(allowed, library) == {"core": {"secret_answer", "Model"},
                                                       "extra": {"fetch", "detour"}}


def test_an_unknown_allowed_name_is_a_contract_error(fake_library, tmp_path):
    bad = contract.load(write_contract(tmp_path / "bad", 'allow = ["core:nothing"]\n'
                                                         '[exercises.f]\nreference = []\n'))
    with pytest.raises(contract.ContractError,
                       match="nnlearn.core has no top-level function, class or constant 'nothing'"):
        blocklist.library_files(fake_library, bad)


def test_library_files(fake_library, grading_contract):
    files = blocklist.library_files(fake_library, grading_contract)
    assert sorted(files) == ["nnlearn/__init__.py", "nnlearn/_grading.py", "nnlearn/core.py", "nnlearn/extra.py"]
    assert files["nnlearn/__init__.py"] == b'"""A fake nnlearn."""\n'       # nothing switched off: as it was
    assert files["nnlearn/_grading.py"] == blocklist.GRADING_MODULE.encode()
    text = b"".join(files.values()).decode()
    assert "SECRET-BODY-OF" not in text and "1000" not in text and "x - 7" not in text
    core = files["nnlearn/core.py"].decode()
    assert "return _times(x, SCALE)" in core and "return x * k" in core          # allowed: as written
    assert "_refuse('core.secret_answer', " in core and "_refuse('core.Model.predict', " in core
    assert "The reference answer." in core                                        # docstrings stay


def test_a_folder_without_init_is_refused(tmp_path, grading_contract):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "core.py").write_text("def f(): pass\n")
    with pytest.raises(FileNotFoundError, match="no __init__.py"):
        blocklist.library_files(tmp_path / "empty", grading_contract)


# --- the built copy ----------------------------------------------------------------------------------

def test_switched_off_functions_refuse_and_allowed_ones_work(built, grading_contract):
    assignment = grading_contract.assignment
    with imported_from(built) as load:
        core, extra, grading = load("nnlearn.core"), load("nnlearn.extra"), load("nnlearn._grading")
        assert core.__file__ == str(built / "nnlearn" / "core.py")
        assert core.double(21) == 42 and core._times(2, 3) == 6 and core.SCALE == 2
        assert issubclass(grading.ReferenceUnavailable, RuntimeError)

        with pytest.raises(grading.ReferenceUnavailable,
                           match=f"nnlearn.core.secret_answer is switched off while {assignment} is graded"):
            core.secret_answer(1)
        model = core.Model()                     # no __init__ of its own: it can be made...
        assert model.kind == "model"
        with pytest.raises(grading.ReferenceUnavailable, match=r"nnlearn\.core\.Model\.predict"):
            model.predict(1)                     # ...but every method refuses
        with pytest.raises(grading.ReferenceUnavailable, match=r"nnlearn\.core\.Model\.build"):
            core.Model.build()
        with pytest.raises(grading.ReferenceUnavailable, match=r"nnlearn\.extra\.quadruple"):
            extra.quadruple(1)                   # calls only allowed code, but is not allowed itself
        with pytest.raises(grading.ReferenceUnavailable, match=r"nnlearn\.extra\.detour"):
            extra.detour(1)
        coroutine = extra.fetch(1)
        with pytest.raises(grading.ReferenceUnavailable, match=r"nnlearn\.extra\.fetch"):
            coroutine.send(None)
        assert grading.blocked_calls == ["core.secret_answer", "core.Model.predict", "core.Model.build",
                                         "extra.quadruple", "extra.detour", "extra.fetch"]
        assert "SECRET-BODY-OF" not in inspect.getsource(core) + inspect.getsource(extra)
        assert core.secret_answer.__doc__ == "The reference answer."
    assert not (built / "nnlearn" / "__pycache__").exists()


def test_the_import_helper_puts_the_real_library_back(built):
    import nnlearn
    real = sys.modules["nnlearn"]
    with imported_from(built) as load:
        assert load("nnlearn") is not real
    assert sys.modules["nnlearn"] is real is nnlearn and str(built) not in sys.path


def test_the_copy_is_private_and_checked(built, fake_library, grading_contract):
    package = built / "nnlearn"
    assert built.name == "lib" and os.listdir(built.parent) == ["lib"] and os.listdir(built) == ["nnlearn"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o755 for p in (built.parent, built, package))
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in package.iterdir())
    assert fake_library not in built.parents
    files = blocklist.library_files(fake_library, grading_contract)
    assert blocklist.verify(built, files)
    assert blocklist.build_student_library(fake_library, grading_contract) == built    # used as it is


def _edit(p, outside):
    (p / "core.py").write_text(CORE)                              # the original source put back in

def _extra(p, outside):
    (p / "evil.pth").write_text("import os\n")

def _missing(p, outside):
    (p / "extra.py").unlink()

def _mode(p, outside):
    os.chmod(p / "core.py", 0o666)

def _folder_mode(p, outside):
    os.chmod(p, 0o777)

def _link(p, outside):
    (outside / "elsewhere.py").write_text("")
    (p / "core.py").unlink()
    (p / "core.py").symlink_to(outside / "elsewhere.py")

def _hard_link(p, outside):
    os.link(p / "core.py", outside / "second-name.py")

def _beside(p, outside):
    (p.parent.parent / "nnlearn").mkdir()                        # next to the folder on sys.path

def _pycache(p, outside):
    (p / "__pycache__").mkdir()

def _empty(p, outside):
    (p / "_grading.py").write_bytes(b"")

def _appended(p, outside):
    with open(p / "_grading.py", "ab") as f:
        f.write(b"\nblocked_calls = None\n")


TAMPERING = [_edit, _extra, _missing, _mode, _folder_mode, _link, _hard_link, _beside, _pycache, _empty, _appended]


@pytest.mark.parametrize("tamper", TAMPERING, ids=lambda f: f.__name__.strip("_"))
def test_verify_detects_tampering_and_the_copy_is_rebuilt(built, fake_library, grading_contract, tmp_path, tamper):
    files = blocklist.library_files(fake_library, grading_contract)
    assert blocklist.verify(built, files)
    tamper(built / "nnlearn", tmp_path)
    assert not blocklist.verify(built, files)

    rebuilt = blocklist.build_student_library(fake_library, grading_contract)
    try:
        assert rebuilt != built and not built.parent.exists()      # the tampered copy is gone
        assert blocklist.verify(rebuilt, files)
        with imported_from(rebuilt) as load:
            with pytest.raises(load("nnlearn._grading").ReferenceUnavailable):
                load("nnlearn.core").secret_answer(1)
    finally:
        shutil.rmtree(rebuilt.parent, ignore_errors=True)


def test_verify_of_a_missing_folder(tmp_path):
    assert not blocklist.verify(tmp_path / "gone" / "lib", {"nnlearn/__init__.py": b""})


def test_a_changed_library_or_contract_gets_a_new_copy(built, fake_library, grading_contract):
    (fake_library / "core.py").write_text(CORE.replace("return x * k", "return k * x"))
    after_library = blocklist.build_student_library(fake_library, grading_contract)
    assert after_library != built and not built.parent.exists()
    assert "return k * x" in (after_library / "nnlearn" / "core.py").read_text()

    write_contract(grading_contract.path.parent, CONTRACT.replace('"core:double"', '"core:double", "extra:*"'))
    reloaded = contract.load(grading_contract.path.parent)
    after_contract = blocklist.build_student_library(fake_library, reloaded)
    try:
        assert after_contract != after_library and not after_library.parent.exists()
        with imported_from(after_contract) as load:
            assert load("nnlearn.extra").quadruple(1) == 4
            assert load("nnlearn.extra").detour(1) == 1001     # allowed: what it calls stays on with it
    finally:
        shutil.rmtree(after_contract.parent, ignore_errors=True)
    # ...which is why the contract check reports a reference that an allowed tool reaches.
    found = contract.problems(reloaded, contract.Library(fake_library), ["answer", "other"])
    assert found and "core:secret_answer is switched on" in found[0] and "extra:detour" not in found[0]


@pytest.mark.xfail(strict=True, reason=(
    "blocklist gap: contract.Library only sees definitions directly in a module's body, so a function "
    "defined under a top-level if/try, or a top-level lambda, is never switched off -- switching off is "
    "not the default for them (nnlearn has none today; datasets.FUNCTIONS holds lambdas but is allowed)"))
@pytest.mark.parametrize("definition", [
    "try:\n    import no_such_module\nexcept ImportError:\n    def reference(x):\n        return x + 1000\n",
    "reference = lambda x: x + 1000\n",
], ids=["conditional-def", "lambda"])
def test_every_module_level_function_is_switched_off(tmp_path, definition):
    package = tmp_path / "lib"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "core.py").write_text("def allowed(x):\n    return x\n\n" + definition)
    folder = write_contract(tmp_path / f"99_gap_{uuid.uuid4().hex[:8]}",
                            'allow = ["core:allowed"]\n[exercises.f]\nreference = []\n')
    files = blocklist.library_files(package, contract.load(folder))
    assert "1000" not in files["nnlearn/core.py"].decode()


# --- contract.load ------------------------------------------------------------------------------------

def test_load_a_good_contract(tmp_path):
    folder = write_contract(tmp_path / "07_fake")
    loaded = contract.load(folder)
    assert loaded.assignment == "07_fake" and loaded.path == folder / "contract.toml"
    assert loaded.allow == ["core:double"]
    assert loaded.exercises == {
        "answer": contract.Exercise("answer", ["core:secret_answer"], ["state"], [], True),
        "other": contract.Exercise("other", [], [], ["core:double"], False),
    }
    assert loaded.mutates == {"answer": ["state"]}
    assert loaded.keeps_inputs == ["answer"]


@pytest.mark.parametrize("text, message", [
    ('allow = []\nblock = ["x"]\n[exercises.f]\nreference = []\n', r"unknown keys \['block'\]"),
    ('[exercises.f]\nreference = []\nmutate = ["p"]\n', r"\[exercises.f\]: unknown keys \['mutate'\]"),
    ('allow = "core:double"\n[exercises.f]\nreference = []\n', "allow must be a list of strings"),
    ('[exercises.f]\nreference = ["a", 1]\n', "reference must be a list of strings"),
    ('[exercises.f]\nreference = []\nkeeps_inputs = "yes"\n', "keeps_inputs must be true or false"),
    ('[exercises.f]\nuses = []\n', "needs reference"),
    ('exercises = 3\n', "no \\[exercises.<name>\\] tables"),
    ('allow = [\n', "not valid TOML"),
])
def test_load_refuses_a_malformed_contract(tmp_path, text, message):
    folder = write_contract(tmp_path / "08_bad", text)
    with pytest.raises(contract.ContractError, match=message) as caught:
        contract.load(folder)
    assert str(caught.value).startswith(str(folder / "contract.toml"))      # names the file


def test_load_without_a_contract_is_an_error_that_says_what_to_do(tmp_path):
    with pytest.raises(contract.ContractError) as caught:
        contract.load(tmp_path / "09_none")
    message = str(caught.value)
    assert message.startswith(str(tmp_path / "09_none" / "contract.toml") + " is missing")
    assert "every assignment declares what stays on" in message
    assert issubclass(contract.ContractError, ValueError)


def test_a_folder_named_contract_toml_is_not_a_contract(tmp_path):
    (tmp_path / "10_dir" / "contract.toml").mkdir(parents=True)
    with pytest.raises(contract.ContractError, match="is missing"):
        contract.load(tmp_path / "10_dir")

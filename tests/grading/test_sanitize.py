"""``coursegrade.sanitize.SanitizeSubmission``: a hostile notebook renders inert.

A catalogue of payloads -- each carrying its own marker (``PWN_<name>``) in the part
that would run -- is put into a notebook (markdown, raw cells, attachments, outputs,
cell and notebook metadata). The notebook is exported to HTML with nbconvert's
``HTMLExporter`` in the templates that show submissions to an instructor: nbgrader's
``formgrade`` (the manual grading page) and ``feedback``, and nbconvert's ``lab`` and
``classic``. :func:`live_markers` reads the page as a browser would (html5lib) and
reports every marker found where it could run: inside a ``<script>``, ``<style>``,
``<iframe>``, ``<object>``, ``<embed>``, ``<svg>``, ``<math>`` or ``<template>``
element, in an event-handler attribute, in any attribute but ``alt``/``title``
(``href``, ``src``, ``srcdoc``, ``style``, ``id``, ...). Text is never counted: an
escaped payload shows as text and runs nothing.

Each payload is checked both ways: without the sanitiser the catalogue says whether
nbconvert alone lets it run (so the check can fail, and the catalogue stays honest),
with it nothing runs in any template. Honest content -- headings, math, code, tables,
links, png images -- survives unchanged. Fast: no sandbox, no kernel.
"""

import base64
import copy
import re
from pathlib import Path

import nbformat
import pytest
from bleach import html5lib_shim
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell
from traitlets.config import Config

import nbgrader
from coursegrade.sanitize import SanitizeSubmission, UnsafeSubmission, audit_html, link_ok, sanitise_markdown

# A 1x1 png, as matplotlib would embed it.
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")).decode()
SVG_SCRIPT = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg" onload="PWN_svgatt()">'
                              b'<script>PWN_svgatt2()</script></svg>').decode()
NBGRADER_TEMPLATES = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
NBGRADER_CSS = NBGRADER_TEMPLATES.parent / "static" / "node_modules" / "bootstrap" / "dist" / "css"
RUNNABLE_ELEMENTS = {"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript",
                     "xmp", "noembed", "noframes", "frame", "frameset", "applet", "base", "meta", "link", "form"}

# (name, markdown, what nbconvert's page makes of it without the sanitiser):
#   "live": it runs;  "text": shown as text (the sanitiser keeps the cell as it is);
#   "lost": not live, but mangled by nbconvert's re-parse (BeautifulSoup): the sanitiser cleans it
MARKDOWN = [
    ("img_onerror", "<img src=x onerror=PWN_img_onerror()>", "live"),
    ("img_onerror_mixed_case", "<IMG SRC=x OnErRoR=PWN_img_onerror_mixed_case()>", "live"),
    ("img_slashes", "<img/src=x/onerror=PWN_img_slashes()>", "text"),
    ("img_unclosed", "a\n\n<img src=x onerror=PWN_img_unclosed() \n\nb", "text"),
    ("svg_onload", "<svg onload=PWN_svg_onload()></svg>", "live"),
    ("svg_script", "<svg><script>PWN_svg_script()</script></svg>", "live"),
    ("script", "<script>PWN_script()</script>", "live"),
    ("script_mixed_case", "<ScRiPt>PWN_script_mixed_case()</sCrIpT>", "live"),
    ("script_unclosed", "<script>PWN_script_unclosed()", "lost"),
    ("javascript_link", "[click](javascript:PWN_javascript_link())", "live"),
    ("javascript_link_entities", "[click](jav&#x09;ascript:PWN_javascript_link_entities())", "live"),
    ("javascript_link_html", "<a href=' JaVaScRiPt:PWN_javascript_link_html()'>click</a>", "live"),
    ("javascript_autolink", "<javascript:PWN_javascript_autolink()>", "live"),
    ("data_html_link", "<a href='data:text/html;base64,PHNjcmlwdD5QV048L3NjcmlwdD4=#PWN_data_html_link'>x</a>",
     "live"),
    ("data_html_markdown_link", "[x](data:text/html,<script>PWN_data_html_markdown_link()</script>)", "live"),
    ("iframe_srcdoc", "<iframe srcdoc='<script>PWN_iframe_srcdoc()</script>'></iframe>", "live"),
    ("iframe_src", "<iframe src='javascript:PWN_iframe_src()'></iframe>", "live"),
    ("object", "<object data='javascript:PWN_object()'></object>", "live"),
    ("embed", "<embed src='javascript:PWN_embed()'>", "live"),
    ("style_element", "<style>body{background:url(javascript:PWN_style_element())}</style>", "live"),
    ("style_attr", "<div style='width: expression(PWN_style_attr())'>x</div>", "live"),
    ("form", "<form action='javascript:PWN_form()'><button>go</button></form>", "live"),
    ("button_formaction", "<button formaction='javascript:PWN_button_formaction()'>go</button>", "live"),
    ("meta_refresh", "<meta http-equiv=refresh content='0;url=javascript:PWN_meta_refresh()'>", "live"),
    ("base", "<base href='javascript:PWN_base()//'>", "live"),
    ("link_import", "<link rel=stylesheet href='javascript:PWN_link_import()'>", "live"),
    ("details_ontoggle", "<details open ontoggle=PWN_details_ontoggle()>x</details>", "live"),
    ("mermaid_breakout", "```mermaid\n</pre><img src=x onerror=PWN_mermaid_breakout()>\n```", "live"),
    ("math_mglyph", "<math><mtext><table><mglyph><style><img src=x onerror=PWN_math_mglyph()>", "lost"),
    ("noscript_title", "<noscript><p title=\"</noscript><img src=x onerror=PWN_noscript_title()>\">", "live"),
    ("comment_breakout", "<!--><img src=x onerror=PWN_comment_breakout()>-->", "live"),
    ("entities_in_attr", "<a href='&#106;avascript:PWN_entities_in_attr()'>x</a>", "live"),
    ("inline_in_heading", "# Title <img src=x onerror=PWN_inline_in_heading()>", "live"),
    ("in_table", "| a |\n|---|\n| <img src=x onerror=PWN_in_table()> |", "live"),
    ("in_list", "- <svg/onload=PWN_in_list()>", "text"),
    ("formgrader_class", "<button class='full-credit' data-toggle=tooltip data-html=true "
                         "title='<img src=x onerror=PWN_formgrader_class()>'>x</button>", "live"),
    # nbconvert escapes these by itself: shown as text, in the catalogue so that a change is noticed
    ("html_entities", "&lt;script&gt;PWN_html_entities()&lt;/script&gt;", "text"),
    ("code_span", "`<script>PWN_code_span()</script>`", "text"),
    ("code_block", "```\n<img src=x onerror=PWN_code_block()>\n```", "text"),
    ("image_alt_quote", '![x" onerror="PWN_image_alt_quote()](a.png)', "text"),
    ("link_url_quote", '[a](https://x" onmouseover="PWN_link_url_quote())', "text"),
    ("math", "$<img src=x onerror=PWN_math()>$", "text"),
]

HONEST = """# A heading

## What's next? "Quotes" & a < b

Some text with **bold**, *italic*, `code` and math $x^2 + \\frac{1}{2}$ and $a < b$.

$$
\\sigma(z) = \\frac{1}{1 + e^{-z}}
$$

```python
def sigmoid(z):
    return 1 / (1 + np.exp(-z))  # z < 0 is fine
```

| x | sigmoid(x) |
|---|-----------:|
| 0 | 0.5 |

- one
- two

> a quote

See [the numpy docs](https://numpy.org/doc/) and [above](#A-heading).

![a plot](attachment:plot.png)
"""


def live_markers(page):
    """The markers (``PWN_...``) found in ``page`` where a browser could run them."""
    parser = html5lib_shim.BleachHTMLParser(tags=None, strip=False, consume_entities=False,
                                            namespaceHTMLElements=False)
    found, stack = set(), []
    for token in html5lib_shim.getTreeWalker("etree")(parser.parseFragment(page)):
        kind = token["type"]
        if kind in ("StartTag", "EmptyTag"):
            name = token["name"].lower()
            for (_, attr), value in token["data"].items():
                scripted = any(a.startswith("data-") for (_, a) in token["data"])  # bootstrap's data-html
                if attr.lower() not in ("alt", "title") or name in RUNNABLE_ELEMENTS or scripted:
                    found.update(re.findall(r"PWN_\w+", value))
            if kind == "StartTag":
                stack.append(name)
        elif kind == "EndTag" and stack:
            stack.pop()
        elif kind in ("Characters", "SpaceCharacters") and RUNNABLE_ELEMENTS.intersection(stack):
            found.update(re.findall(r"PWN_\w+", token["data"]))
    return found


def _grade_cell(cell, grade_id, **meta):
    cell.metadata["nbgrader"] = {"grade": False, "solution": False, "locked": False, "grade_id": grade_id,
                                 "schema_version": 3, **meta}
    return cell


def hostile_notebook(markdown=True):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.2",
                                    "codemirror_mode": {"name": "ipython", "version": 3}}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"x": {"model_name": "HTMLModel", "state": {"value": "<img src=x onerror=PWN_widget_state()>"}}},
        "version_major": 2, "version_minor": 0}}
    nb.metadata["title"] = "</title><script>PWN_nb_title()</script>"
    honest = new_markdown_cell(HONEST, attachments={"plot.png": {"image/png": PNG}})
    nb.cells.append(honest)
    for name, source, _ in MARKDOWN if markdown else []:
        nb.cells.append(new_markdown_cell(source))
    nb.cells.append(new_markdown_cell("![svg](attachment:evil.svg)",
                                      attachments={"evil.svg": {"image/svg+xml": SVG_SCRIPT}}))
    nb.cells.append(new_markdown_cell("![png](attachment:a.png)",
                                      attachments={"a.png": {"image/png": "x\" onload=\"PWN_attachment_quote()"}}))
    nb.cells.append(new_markdown_cell("![gone](attachment:nothing.png)"))
    nb.cells.append(new_raw_cell("<img src=x onerror=PWN_raw_html()>", metadata={"raw_mimetype": "text/html"}))
    nb.cells.append(new_raw_cell("<script>PWN_raw_plain()</script>"))
    code = new_code_cell("print(1)", execution_count=1)
    code.outputs = [
        new_output("display_data", data={"text/html": "<img src=x onerror=PWN_out_html()>",
                                         "text/plain": "<HTML object>"}),
        new_output("display_data", data={"text/html": "<script>PWN_out_html_only()</script>"}),
        new_output("display_data", data={"text/markdown": "<img src=x onerror=PWN_out_markdown()>"}),
        new_output("display_data", data={"application/javascript": "PWN_out_js()"}),
        new_output("display_data", data={"image/svg+xml": "<svg onload='PWN_out_svg()'></svg>"}),
        new_output("display_data", data={"application/vnd.jupyter.widget-view+json":
                                         {"model_id": "x", "version_major": 2, "version_minor": 0},
                                         "text/plain": "HTML(value='<img src=x onerror=PWN_out_widget()>')"}),
        new_output("display_data", data={"image/png": PNG},
                   metadata={"image/png": {"width": "1 onload=PWN_out_png_width()", "height": 2}}),
        new_output("display_data", data={"image/png": "x\" onload=\"PWN_out_png_data()"}),
        new_output("execute_result", data={"text/plain": "<script>PWN_text_plain()</script>"}, execution_count=1),
        new_output("stream", name="stdout", text="<script>PWN_stream()</script>"),
        new_output("error", ename="E", evalue="<script>PWN_error()</script>",
                   traceback=["<img src=x onerror=PWN_traceback()>"]),
    ]
    nb.cells.append(code)
    evil_id = new_markdown_cell("a written answer")
    _grade_cell(evil_id, 'x"><img src=x onerror=PWN_grade_id()>', grade=True, solution=True, points=1)
    nb.cells.append(evil_id)
    tagged = new_code_cell("x = 1", metadata={"tags": ['"><img src=x onerror=PWN_tag()>', "ok-tag"],
                                               "alt": "x", "vscode": {"languageId": "<script>"}})
    nb.cells.append(tagged)
    weird_id = new_code_cell("y = 2")
    weird_id["id"] = '"><img src=x onerror=PWN_cell_id()>'
    nb.cells.append(weird_id)
    graded = new_code_cell("assert True", execution_count=2)
    _grade_cell(graded, "test_ok", grade=True, points=2, score=2.0, comment="<b>well done</b>")
    nb.cells.append(graded)
    return nb


def _resources():
    return {"nbgrader": {"student": "mallory", "assignment": "03_loss", "notebook": "03_loss",
                         "score": 2, "max_score": 3, "late_penalty": 0}}


def sanitised(nb, resources=None):
    pre = SanitizeSubmission()
    nb, _ = pre.preprocess(copy.deepcopy(nb), resources or _resources())
    return nb


_EXPORTERS = {}


def _exporter(template):
    if template in _EXPORTERS:
        return _EXPORTERS[template]
    config = Config()
    config.HTMLExporter.template_name = template
    if template in ("formgrade", "feedback"):
        config.HTMLExporter.extra_template_basedirs = [str(NBGRADER_TEMPLATES)]
        config.HTMLExporter.extra_template_paths = [str(NBGRADER_CSS)]
    _EXPORTERS[template] = HTMLExporter(config=config)
    return _EXPORTERS[template]


def export(nb, template):
    """The page ``template`` makes of ``nb``: nbgrader's formgrade/feedback or nbconvert's lab/classic."""
    for cell in nb.cells:   # the feedback template formats every graded cell's score
        meta = cell.metadata.get("nbgrader")
        if meta and meta.get("grade"):
            meta.setdefault("score", 0.0)
            meta.setdefault("points", 1.0)
    resources = {**_resources(), "base_url": "/base", "submission_id": "sub1", "notebook_id": "03_loss",
                 "assignment_id": "03_loss", "index": 0, "total": 1, "student": "mallory",
                 "first_name": None, "last_name": None, "notebook_path": "autograded/mallory/03_loss/03_loss.ipynb"}
    page, _ = _exporter(template).from_notebook_node(copy.deepcopy(nb), resources=resources)
    return page


TEMPLATES = ["formgrade", "feedback", "lab", "classic"]


@pytest.fixture(scope="module")
def hostile():
    return hostile_notebook()


def _exportable(nb):
    """nbconvert refuses a notebook with these two outright: let the raw export run."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if "nothing.png" in cell.source:
            cell.source = "(missing attachment)"
        if "PWN_cell_id" in cell.get("id", ""):
            cell["id"] = "weird-id"
    return nb


@pytest.fixture(scope="module")
def pages(hostile):
    clean = sanitised(hostile)
    return {template: export(clean, template) for template in TEMPLATES}


@pytest.mark.parametrize("template", TEMPLATES)
def test_nothing_runs_in_the_sanitised_page(pages, template):
    page = pages[template]
    live = live_markers(page)
    assert not live, f"{template}: script-capable payloads survived sanitising: {sorted(live)}"
    # and the page is whole (a <math><mtext><table><mglyph><style> in a raw page cuts it off there)
    assert "a written answer" in page


@pytest.mark.parametrize("name,markdown,raw_page", MARKDOWN, ids=[m[0] for m in MARKDOWN])
def test_markdown_payload_is_live_without_and_inert_with_the_sanitiser(name, markdown, raw_page):
    marker = f"PWN_{name}"
    nb = new_notebook(cells=[new_markdown_cell("before"), new_markdown_cell(markdown),
                             new_markdown_cell("after")])
    clean = sanitised(nb)
    for template in ("formgrade", "feedback"):
        raw = live_markers(export(nb, template))
        assert (marker in raw) == (raw_page == "live"), (
            f"{template} without the sanitiser: {marker} {'runs' if marker in raw else 'does not run'}, "
            f"the catalogue says {raw_page!r}")
        page = export(clean, template)
        assert marker not in live_markers(page), f"{template}: {marker} survived"
        assert "before" in page and "after" in page
    assert (clean.cells[1].source == markdown) == (raw_page == "text")


def test_the_unsanitised_page_shows_the_other_payloads():
    """Not markdown: outputs, attachments, metadata. The control for the checks above."""
    nb = _exportable(hostile_notebook(markdown=False))
    raw = set().union(*(live_markers(export(nb, template)) for template in TEMPLATES))
    expected = {"PWN_out_html", "PWN_out_html_only", "PWN_out_markdown", "PWN_out_js", "PWN_out_png_width",
                "PWN_grade_id", "PWN_widget_state"}
    assert expected <= raw, f"not live without the sanitiser: {sorted(expected - raw)}"
    clean = set().union(*(live_markers(export(sanitised(nb), template)) for template in TEMPLATES))
    assert not clean, sorted(clean)


def test_honest_content_survives(hostile, pages):
    clean = sanitised(hostile)
    assert clean.cells[0].source == HONEST, "an honest markdown cell was changed"
    assert clean.cells[0].attachments == {"plot.png": {"image/png": PNG}}
    page = pages["formgrade"]
    for expected in ('<h1 id="A-heading">', "What's next? \"Quotes\" &amp; a &lt; b", "<strong>bold</strong>",
                     "<em>italic</em>", "$x^2 + \\frac{1}{2}$",
                     "$a &lt; b$", "\\sigma(z)", "<table>", '<a href="https://numpy.org/doc/">',
                     '<a href="#A-heading">', f'src="data:image/png;base64,{PNG}"', "<blockquote>",
                     'class="k">def</span>'):
        assert expected in page, f"{expected!r} is not in the sanitised formgrader page"
    # the code cell keeps its png and the plain text of its outputs; the grade cell its metadata
    code = next(c for c in clean.cells if c.cell_type == "code" and c.source == "print(1)")
    kinds = [sorted(o.get("data", {})) or o.output_type for o in code.outputs]
    assert ["image/png"] in kinds and ["text/plain"] in kinds and "stream" in kinds and "error" in kinds
    graded = next(c for c in clean.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_ok")
    assert graded.metadata.nbgrader.points == 2 and graded.metadata.nbgrader.grade is True


def test_what_the_sanitiser_removes(hostile):
    clean = sanitised(hostile)
    assert set(clean.metadata) == {"kernelspec", "language_info"}
    assert clean.metadata.language_info.codemirror_mode == {"name": "ipython", "version": 3}
    svg = clean.cells[hostile.cells.index(next(c for c in hostile.cells if "evil.svg" in c.source))]
    assert "attachments" not in svg and "svg" not in svg.source.lower().replace('alt="svg"', ""), svg
    mimes = {m for c in clean.cells if c.cell_type == "code" for o in c.outputs for m in o.get("data", {})}
    assert mimes <= {"text/plain", "image/png", "image/jpeg"}, mimes
    note = [o for c in clean.cells if c.cell_type == "code" for o in c.outputs
            if "application/javascript" in o.get("data", {}).get("text/plain", "")]
    assert note, "a dropped output leaves no note saying so"
    for cell in clean.cells:
        assert set(cell.metadata) <= {"nbgrader", "tags", "deletable", "editable", "collapsed", "scrolled",
                                      "jupyter"}, cell.metadata
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", cell.id)
    assert not any("PWN_grade_id" in str(c.metadata) for c in clean.cells), "a hostile grade_id was kept"
    tagged = next(c for c in clean.cells if c.source == "x = 1")
    assert tagged.metadata.tags == ["ok-tag"]
    raw = [c for c in clean.cells if c.cell_type == "raw"]
    assert [c.source for c in raw] == ["&lt;img src=x onerror=PWN_raw_html()&gt;",
                                       "&lt;script&gt;PWN_raw_plain()&lt;/script&gt;"]
    assert all(not c.metadata for c in raw)
    changed = [c for c in clean.cells if "coursegrade: this cell was sanitised" in c.source]
    # + the three cells whose attachment is missing or went
    assert len(changed) == sum(1 for m in MARKDOWN if m[2] != "text") + 3


def test_sanitising_twice_changes_nothing(hostile):
    once = sanitised(hostile)
    twice = sanitised(once)
    assert nbformat.writes(once) == nbformat.writes(twice)


@pytest.mark.parametrize("student", ['mallory"><script>x</script>', "a b", "<x>", "a&b", "it's"])
def test_a_student_id_that_means_html_is_refused(student):
    nb = new_notebook(cells=[new_markdown_cell("hi")])
    with pytest.raises(UnsafeSubmission, match="student id"):
        sanitised(nb, {"nbgrader": {"student": student, "assignment": "a", "notebook": "n"}})


@pytest.mark.parametrize("url,ok", [
    ("https://example.org", True), ("http://x", True), ("mailto:a@b.c", True), ("#anchor", True),
    ("javascript:alert(1)", False), (" JAVASCRIPT:alert(1)", False), ("java\tscript:x", False),
    ("&#106;avascript:x", False), ("data:text/html,x", False), ("vbscript:x", False),
    ("other.html", False), ("/files/source/x.py", False), ("file:///etc/passwd", False),
])
def test_links(url, ok):
    assert link_ok(url) is ok


def test_audit_sees_what_a_browser_sees():
    assert audit_html("<p>fine <b>bold</b></p>") == []
    assert audit_html("<IMG SRC=x ONERROR=y>") == ["<img onerror='y'>"]
    assert audit_html("<p><svg/onload=x>") != []
    assert audit_html("<a href='java&#x0A;script:x'>x</a>") != []


def test_a_cell_that_fails_cleaning_becomes_text():
    """The fallback path: whatever is left after cleaning must pass the audit again."""
    source = "<img src=x onerror=PWN()>\n\n<b>kept</b>"
    new, problems = sanitise_markdown(source)
    assert problems and "<b>kept</b>" in new and "onerror" not in new
    assert sanitise_markdown(new) == (new, [])


@pytest.mark.parametrize("step", ["autograded", "submitted"])
def test_files_a_browser_would_run_go_from_autograded_only(tmp_path, step):
    """The formgrader serves autograded/<student>/<assignment>/<file> from the Jupyter origin."""
    folder = tmp_path / step / "mallory" / "03_loss"
    (folder / "data").mkdir(parents=True)
    names = ["notes.html", "x.SVG", "data/page.xhtml", "data/a.js", "data/table.csv", "w.npy", "plot.png", "r.txt"]
    for name in names:
        (folder / name).write_text("<script>PWN_file()</script>")
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    pre = SanitizeSubmission(config=config)
    pre.preprocess(new_notebook(cells=[new_markdown_cell("hi")]),
                   {**_resources(), "metadata": {"path": str(folder)}})
    left = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    if step == "autograded":
        assert left == ["data/table.csv", "plot.png", "r.txt", "w.npy"]
    else:
        assert left == sorted(names), "the sanitiser deleted something outside autograded/"


def test_nbgrader_config_sanitises_everything_that_renders_a_submission():
    """First on what the student sent, last on what the grader wrote (autograded/ is what
    the formgrader shows), first in feedback; nbconvert's own option on too."""
    from traitlets.config.loader import PyFileConfigLoader

    root = Path(__file__).resolve().parents[2]
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    assert config.Autograde.sanitize_preprocessors[0] is SanitizeSubmission
    assert config.Autograde.autograde_preprocessors[-1] is SanitizeSubmission
    assert config.GenerateFeedback.preprocessors[0] is SanitizeSubmission
    assert config.HTMLExporter.sanitize_html is True
    assert "enabled" not in config.SanitizeSubmission, "the sanitiser is switched off"

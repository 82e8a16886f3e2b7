"""``SanitizeSubmission``: make a submitted notebook inert for every page that renders it.

nbgrader renders submissions as HTML in the instructor's browser -- the formgrader's
manual grading page (``autograded/``) and the feedback HTML -- with nbconvert, whose
markdown renderer passes raw HTML through and whose nbgrader templates interpolate
cell metadata unescaped. A ``<img src=x onerror=...>`` in a markdown cell then runs
in the instructor's logged-in session, which can read ``source/`` through the
Jupyter contents API. This preprocessor runs where every renderer reads from
(``nbgrader_config.py``: first in ``Autograde.sanitize_preprocessors``, last in
``Autograde.autograde_preprocessors``, first in ``GenerateFeedback.preprocessors``):

* **markdown cells**: rendered with nbconvert's own markdown renderer (the one the
  nbgrader pages use) and the HTML audited against an allowlist (:func:`audit_html`:
  tags, attributes, URL schemes, CSS). A cell that passes is kept as written. One
  that does not is replaced by that HTML *cleaned* by bleach with the same allowlist
  (what was safe keeps its look: headings, math, code, tables, png images), in one
  HTML block, followed by a note; the result is audited again (if it still failed,
  the cell would become its text in ``<pre>``). Links go only to ``http(s)``,
  ``mailto`` and ``#anchors`` (a relative link would open a student's file from
  the grader's own server); images are ``data:image/png|jpeg|gif``, ``http(s)``,
  relative paths or png/jpeg/gif attachments.
* **raw cells**: no ``raw_mimetype``; their text HTML-escaped if it holds markup
  outside the allowlist.
* **attachments**: ``image/png``, ``image/jpeg`` and ``image/gif`` only, valid
  base64 (SVG can carry script).
* **code-cell outputs**: ``stream``, ``error`` and ``text/plain``, ``image/png``,
  ``image/jpeg`` (valid base64) only; anything else (``text/html``,
  ``text/markdown``, ``image/svg+xml``, ``application/javascript``, widget views,
  ...) is replaced by a ``text/plain`` note. Output metadata is dropped except a
  numeric image width and height (nbconvert writes them into an *unquoted*
  attribute).
* **metadata**: a cell keeps ``nbgrader`` (known keys with the right types, and a
  ``grade_id`` of letters, digits, ``_``, ``-``, ``.``: the formgrader writes it
  unescaped into ``id="..."``; a cell with any other keeps no ``nbgrader`` at all),
  ``tags`` (plain words), ``deletable``, ``editable``, ``collapsed``, ``scrolled``
  and ``jupyter.source_hidden/outputs_hidden``; the notebook keeps ``kernelspec``
  and ``language_info`` (plain values). ``widgets`` (saved widget state, which
  nbconvert turns into widget-rendering script) and everything else goes. Cell ids
  that are not nbformat's ``[A-Za-z0-9_-]{1,64}`` get a new one; execution counts
  must be integers.
* **files next to the notebook** in ``autograded/`` that a browser would run (HTML,
  SVG, XML, JavaScript, by name): deleted. The formgrader serves that folder from
  the Jupyter origin (``/formgrader/submissions/<id>/<file>``), and feedback copies
  it on. ``submitted/`` is never touched.
* **the student id** (written unescaped into the formgrader page) must not contain
  characters that mean something in HTML: :class:`UnsafeSubmission` otherwise.

Every change is logged as a warning, so the grading log says which submission
carried what.
"""

import base64
import binascii
import functools
import html
import mimetypes
import os
import re
import uuid
from pathlib import Path

import bleach
from bleach import html5lib_shim
from bleach.css_sanitizer import CSSSanitizer
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

# --- what may appear in rendered HTML ----------------------------------------------------

ALLOWED_TAGS = frozenset("""
    a abbr b blockquote br caption code dd del details div dl dt em h1 h2 h3 h4 h5 h6 hr i img
    input kbd li mark ol p pre q s samp small span strike strong sub summary sup table tbody td
    tfoot th thead tr tt u ul var
""".split())

IMAGE_DATA_URL = re.compile(r"data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*", re.I)
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# A class token the renderer emits (pygments' short token classes, language-xxx on code,
# its own anchor and task-list classes). Longer names are the page's own (formgrader's
# .score, .comment, ... which its script binds to; .mermaid, which mermaid.js renders).
CLASS_TOKEN = re.compile(r"^(?:[a-z][a-z0-9]{0,2}|language-[A-Za-z0-9_+#-]{1,40}|highlight|anchor-link|"
                         r"task-list-item|task-list-item-checkbox)$")
HEADING_ID = re.compile(r"^\S{1,300}$")                 # from the heading's text; quoted by nbconvert
NUMBER = re.compile(r"^\d{1,5}%?$")
TEXT_ALIGN = re.compile(r"^\s*text-align\s*:\s*(?:left|right|center)\s*;?\s*$", re.I)

SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")        # grade_id
CELL_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")           # nbformat 4.5
TAG = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")
HTML_UNSAFE = re.compile(r"[<>\"'`&\s\x00-\x1f\x7f]")   # in a student id

ATTACHMENT_MIMES = ("image/png", "image/jpeg", "image/gif")
OUTPUT_MIMES = ("text/plain", "image/png", "image/jpeg")
BASE64 = re.compile(r"^[A-Za-z0-9+/\s]*={0,2}\s*$")

NOTE = ("<p><em>[coursegrade: this cell was sanitised for grading: markup that could run "
        "script in a browser was removed]</em></p>")


class UnsafeSubmission(ValueError):
    """A submission whose names would be written unescaped into the grader's pages."""


def normalised_url(value):
    """A URL as a browser reads it, for the scheme check: entities decoded, the
    characters browsers drop (whitespace, controls, backtick, non-ASCII) removed,
    lower case. (The same steps as bleach's ``sanitize_uri_value``.)"""
    value = html.unescape(value)
    value = re.sub(r"[`\000-\040\177-\240\s]+", "", value)
    value = re.sub(r"[^\x00-\x7f]", "", value)
    return value.lower()


def link_ok(url):
    """``href``: http(s), mailto or an anchor on the same page."""
    url = normalised_url(url)
    if url.startswith("#"):
        return True
    if url.startswith("//"):           # protocol-relative: another site, over http(s)
        return True
    match = SCHEME.match(url)
    return bool(match) and match.group(1) in ("http", "https", "mailto")


def image_ok(url):
    """``img src``: a png/jpeg/gif data URL, http(s), or a relative path (an image
    cannot run script; ``javascript:``, ``data:`` of other types and other schemes
    are refused anyway)."""
    norm = normalised_url(url)
    match = SCHEME.match(norm)
    if not match:
        return True
    if match.group(1) in ("http", "https"):
        return True
    return match.group(1) == "data" and bool(IMAGE_DATA_URL.fullmatch(html.unescape(url).strip()))


def attribute_ok(tag, name, value):
    """The attribute allowlist, per tag (never an event handler, never a style but
    table-cell alignment, URLs only as :func:`link_ok` / :func:`image_ok` say)."""
    if name == "class":
        return all(CLASS_TOKEN.match(token) for token in value.split())
    if tag == "a":
        return (name == "href" and link_ok(value)) or name == "title"
    if tag == "img":
        if name == "src":
            return image_ok(value)
        if name in ("width", "height"):
            return bool(NUMBER.match(value))
        return name in ("alt", "title")
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return name == "id" and bool(HEADING_ID.match(value))
    if tag in ("th", "td"):
        if name == "style":
            return bool(TEXT_ALIGN.match(value))
        if name in ("colspan", "rowspan"):
            return bool(NUMBER.match(value))
        return name == "align" and value.lower() in ("left", "right", "center")
    if tag == "ol":
        return name == "start" and value.isdigit()
    if tag == "input":
        return (name == "type" and value.lower() == "checkbox") or name in ("checked", "disabled")
    if tag == "abbr":
        return name == "title"
    if tag == "details":
        return name == "open"
    return False


def _cleaner(tags, attributes):
    return bleach.Cleaner(tags=tags, attributes=attributes,
                          protocols={"http", "https", "mailto", "data"},  # then attribute_ok decides
                          strip=True, strip_comments=True,
                          css_sanitizer=CSSSanitizer(allowed_css_properties=["text-align"]))


def audit_html(text):
    """What in ``text`` (HTML) is outside the allowlist: a list of descriptions,
    empty when nothing is. Parsed as bleach parses (html5lib: as a browser does),
    but with no tag treated specially, and every element and attribute checked."""
    parser = html5lib_shim.BleachHTMLParser(tags=None, strip=False, consume_entities=False,
                                            namespaceHTMLElements=False)
    problems = []
    for token in html5lib_shim.getTreeWalker("etree")(parser.parseFragment(text)):
        if token["type"] not in ("StartTag", "EmptyTag"):
            continue
        tag = token["name"].lower()
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}>")
        for (_, name), value in token["data"].items():
            if not attribute_ok(tag, name.lower(), value):
                problems.append(f"<{tag} {name}={value[:60]!r}>")
    return list(dict.fromkeys(problems))


def clean_html(text):
    """``text`` (HTML) with everything outside the allowlist removed."""
    return _cleaner(ALLOWED_TAGS, attribute_ok).clean(text)


class _Renderer(IPythonRenderer):
    """nbconvert's markdown renderer, as HTMLExporter sets it up, noting the
    attachments that a cell refers to but does not have (nbconvert's page would fail
    on them: ``InvalidNotebook``) instead of raising."""

    def __init__(self, attachments):
        super().__init__(escape=False, attachments=attachments)
        self.missing = []

    def _embed_image_or_attachment(self, src):
        if src.startswith("attachment:") and src[len("attachment:"):] not in self.attachments:
            self.missing.append(src)
            return ""
        return super()._embed_image_or_attachment(src)


def render_markdown(source, attachments=None):
    """(HTML as nbconvert renders the markdown, missing attachment references)."""
    renderer = _Renderer(attachments or {})
    return MarkdownWithMath(renderer=renderer).render(source), renderer.missing


def markdown_problems(source, attachments=None):
    rendered, missing = render_markdown(source, attachments)
    return [f"missing attachment {m!r}" for m in missing] + audit_html(rendered)


def _one_html_block(text):
    """HTML that a markdown renderer passes through whole: in a <div>, no blank line
    (a blank line ends a CommonMark HTML block; inside <pre> &#10; keeps it)."""
    text = re.sub(r"\n(?=[ \t]*\n)", "&#10;", text.strip())
    return f"<div>\n{text}\n</div>"


def sanitise_markdown(source, attachments=None):
    """(new source, problems found): the source itself when nothing was found."""
    if not attachments:   # most cells: the instructor's, the same in every submission and pass
        new, problems = _sanitise_cached(source)
        return new, list(problems)
    return _sanitise(source, attachments)


@functools.lru_cache(maxsize=4096)
def _sanitise_cached(source):
    new, problems = _sanitise(source, None)
    return new, tuple(problems)


def _sanitise(source, attachments):
    problems = markdown_problems(source, attachments)
    if not problems:
        return source, []
    rendered, _ = render_markdown(source, attachments)
    candidates = [_one_html_block(clean_html(rendered) + "\n" + NOTE),
                  _one_html_block(f"<pre>{html.escape(source)}</pre>\n{NOTE}"),
                  NOTE]
    for candidate in candidates:
        if not markdown_problems(candidate, attachments):
            return candidate, problems
    raise AssertionError("the sanitiser's own note failed its audit")  # pragma: no cover


ACTIVE_SUFFIXES = {".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt",
                   ".js", ".mjs", ".swf"}


def active_file(name):
    """Whether a browser shown this file (by its name, as Tornado's file handler
    types it) could run script in it."""
    suffix = Path(name).suffix.lower()
    kind = (mimetypes.guess_type(name)[0] or "").lower()
    return suffix in ACTIVE_SUFFIXES or any(w in kind for w in ("html", "xml", "svg", "javascript", "ecmascript"))


def _text(value):
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else str(value)


def _base64_ok(value):
    if not isinstance(value, str) or not BASE64.match(value):
        return False
    try:
        base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


NBGRADER_TYPES = {"grade": bool, "solution": bool, "locked": bool, "task": bool, "grade_id": str,
                  "points": (int, float), "schema_version": int, "cell_type": str, "checksum": str}
CELL_FLAGS = ("deletable", "editable", "collapsed")
KERNELSPEC_KEYS = ("name", "display_name", "language")
LANGUAGE_INFO_KEYS = ("name", "version", "mimetype", "file_extension", "pygments_lexer",
                      "nbconvert_exporter", "codemirror_mode")
PLAIN_VALUE = re.compile(r"^[A-Za-z0-9_ .+#/()-]{0,100}$")


def _plain(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) or \
        isinstance(value, str) and bool(PLAIN_VALUE.match(value))


class SanitizeSubmission(NbGraderPreprocessor):
    """Make a submitted notebook inert for every renderer (see the module docstring)."""

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader") or {}
        student = info.get("student")
        if student is not None and (not isinstance(student, str) or HTML_UNSAFE.search(student)):
            raise UnsafeSubmission(f"student id {student!r} contains characters that the formgrader "
                                   "would write into its pages as HTML; rename the submission folder")
        self._where = f"{info.get('student', '?')}/{info.get('assignment', '?')}/{info.get('notebook', '?')}"
        nb.metadata = self._notebook_metadata(nb.get("metadata", {}))
        self._remove_active_files(resources)
        return super().preprocess(nb, resources)

    def _remove_active_files(self, resources):
        """Delete files a browser would run (HTML, SVG, XML, JavaScript) from the
        notebook's folder when that folder is in ``autograded/``: the formgrader serves
        ``autograded/<student>/<assignment>/<file>`` from the Jupyter origin, with the
        instructor's session, and feedback copies them on. (Never in ``submitted/``.)"""
        folder = (resources.get("metadata") or {}).get("path")
        if not folder:
            return
        coursedir = CourseDirectory(config=self.config)
        autograded = Path(coursedir.root, coursedir.autograded_directory).resolve()
        folder = Path(folder).resolve()
        if folder == autograded or autograded not in folder.parents:
            return
        for parent, dirs, files in os.walk(folder, followlinks=False):
            for name in files:
                path = Path(parent, name)
                if active_file(name):
                    path.unlink()
                    self.log.warning("SanitizeSubmission %s: removed %s from %s: a browser would run it",
                                     self._where, path.relative_to(folder), folder)

    def _warn(self, index, what):
        self.log.warning("SanitizeSubmission %s, cell %d: %s", self._where, index + 1, what)

    def _notebook_metadata(self, metadata):
        from nbformat import NotebookNode
        kept = NotebookNode()
        dropped = sorted(set(metadata) - {"kernelspec", "language_info"})
        if dropped:
            self.log.warning("SanitizeSubmission %s: notebook metadata dropped: %s",
                             getattr(self, "_where", "?"), ", ".join(dropped))
        spec = metadata.get("kernelspec")
        if isinstance(spec, dict):
            kept["kernelspec"] = NotebookNode({k: spec[k] for k in KERNELSPEC_KEYS if _plain(spec.get(k))})
        lang = metadata.get("language_info")
        if isinstance(lang, dict):
            out = NotebookNode()
            for key in LANGUAGE_INFO_KEYS:
                value = lang.get(key)
                if isinstance(value, dict) and key == "codemirror_mode":
                    value = NotebookNode({k: v for k, v in value.items() if k in ("name", "version") and _plain(v)})
                    if value:
                        out[key] = value
                elif _plain(value):
                    out[key] = value
            kept["language_info"] = out
        return kept

    def preprocess_cell(self, cell, resources, index):
        cell_id = cell.get("id")
        if cell_id is not None and not (isinstance(cell_id, str) and CELL_ID.match(cell_id)):
            cell["id"] = uuid.uuid4().hex[:8]
            self._warn(index, "cell id replaced")
        cell.metadata = self._cell_metadata(cell.get("metadata", {}), index)
        cell.source = _text(cell.get("source", ""))
        if cell.cell_type == "markdown":
            self._attachments(cell, index)
            cell.source, problems = sanitise_markdown(cell.source, cell.get("attachments"))
            if problems:
                self._warn(index, "markdown sanitised: " + "; ".join(problems[:10]))
        elif cell.cell_type == "raw":
            self._attachments(cell, index)
            problems = audit_html(cell.source) if cell.source else []
            if problems:   # escaped once: escaped text audits clean, so a second pass keeps it
                cell.source = html.escape(cell.source)
                self._warn(index, "raw cell escaped: " + "; ".join(problems[:10]))
        elif cell.cell_type == "code":
            count = cell.get("execution_count")
            if count is not None and not (isinstance(count, int) and not isinstance(count, bool) and count >= 0):
                cell.execution_count = None
            cell.outputs = [self._output(o, index) for o in cell.get("outputs", [])]
            cell.pop("attachments", None)
        return cell, resources

    def _cell_metadata(self, metadata, index):
        from nbformat import NotebookNode
        kept = NotebookNode()
        meta = metadata.get("nbgrader")
        if isinstance(meta, dict):
            grader = NotebookNode({k: v for k, v in meta.items()
                                   if k in NBGRADER_TYPES and isinstance(v, NBGRADER_TYPES[k])
                                   and not (NBGRADER_TYPES[k] is not bool and isinstance(v, bool))})
            if "grade_id" in meta and not SAFE_ID.match(grader.get("grade_id", "")):
                self._warn(index, f"nbgrader metadata dropped: grade_id {meta.get('grade_id')!r}")
            elif meta and not grader:
                self._warn(index, "nbgrader metadata dropped: no known key")
            elif meta:
                kept["nbgrader"] = grader
        tags = metadata.get("tags")
        if isinstance(tags, list):
            kept["tags"] = [t for t in tags if isinstance(t, str) and TAG.match(t)]
        for flag in CELL_FLAGS:
            if isinstance(metadata.get(flag), bool):
                kept[flag] = metadata[flag]
        if metadata.get("scrolled") in (True, False, "auto"):
            kept["scrolled"] = metadata["scrolled"]
        jupyter = metadata.get("jupyter")
        if isinstance(jupyter, dict):
            hidden = {k: v for k, v in jupyter.items() if k in ("source_hidden", "outputs_hidden")
                      and isinstance(v, bool)}
            if hidden:
                kept["jupyter"] = NotebookNode(hidden)
        dropped = sorted(set(metadata) - set(kept) - {"nbgrader", "tags", "jupyter"})
        if dropped:
            self._warn(index, "cell metadata dropped: " + ", ".join(map(str, dropped)))
        return kept

    def _attachments(self, cell, index):
        attachments = cell.get("attachments")
        if attachments is None:
            return
        kept = {}
        if isinstance(attachments, dict):
            for name, bundle in attachments.items():
                if not isinstance(bundle, dict):
                    continue
                safe = {m: bundle[m] for m in ATTACHMENT_MIMES if _base64_ok(bundle.get(m))}
                if safe:
                    kept[name] = safe
                if set(bundle) - set(safe):
                    self._warn(index, f"attachment {name!r}: dropped {sorted(set(bundle) - set(safe))}")
        from nbformat import NotebookNode
        cell["attachments"] = NotebookNode(kept)
        if not kept:
            del cell["attachments"]

    def _output(self, output, index):
        from nbformat.v4 import new_output
        kind = output.get("output_type")
        if kind == "stream":
            name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
            return new_output("stream", name=name, text=_text(output.get("text", "")))
        if kind == "error":
            traceback = output.get("traceback")
            return new_output("error", ename=_text(output.get("ename", "")), evalue=_text(output.get("evalue", "")),
                              traceback=[_text(line) for line in traceback] if isinstance(traceback, list) else [])
        if kind in ("display_data", "execute_result"):
            data = output.get("data") if isinstance(output.get("data"), dict) else {}
            kept, metadata = {}, {}
            for mime in OUTPUT_MIMES:
                value = data.get(mime)
                if mime == "text/plain" and value is not None:
                    kept[mime] = _text(value)
                elif mime != "text/plain" and _base64_ok(value):
                    kept[mime] = value
                    size = (output.get("metadata") or {}).get(mime)
                    if isinstance(size, dict):
                        dims = {k: size[k] for k in ("width", "height")
                                if isinstance(size.get(k), int) and not isinstance(size.get(k), bool)}
                        if dims:
                            metadata[mime] = dims
            dropped = sorted(set(data) - set(kept))
            if dropped:
                self._warn(index, "output types dropped: " + ", ".join(map(str, dropped)))
                if not kept:
                    kept["text/plain"] = (f"[coursegrade: output of type {', '.join(map(str, dropped))} "
                                          "not shown: it could run script]")
            if kind == "execute_result":
                count = output.get("execution_count")
                count = count if isinstance(count, int) and not isinstance(count, bool) else None
                return new_output("execute_result", data=kept, metadata=metadata, execution_count=count)
            return new_output("display_data", data=kept, metadata=metadata)
        self._warn(index, f"output of type {kind!r} dropped")
        return new_output("stream", name="stdout", text=f"[coursegrade: output of type {kind!r} not shown]\n")

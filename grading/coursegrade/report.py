"""``coursegrade report``: where the class struggles, per assignment (``make report``).

Reads what ``coursegrade grade`` left in the course -- the rows (each submission's
``autograded/<student>/<assignment>/.coursegrade.json``, and ``grades.csv`` for rows
without one) and the autograded notebooks, whose failing test cells hold the
diagnostic message of ``nnlearn.testing`` -- and writes, per assignment,

* ``report/<assignment>.html``: the score distribution, each test cell's pass rate,
  the most common diagnosed mistakes (count, students, exercises, one example
  message), the flagged and failed submissions with their reasons, and plots
  (matplotlib, Agg, embedded as base64 PNG: the page is one self-contained file);
* ``report/<assignment>.csv``: one row per submission, with a column per test cell
  holding ``pass`` or the category of its failure;
* ``report/<assignment>_mistakes.csv``: the mistakes table;

and ``report/index.html`` linking them. Everything a student wrote (messages, which
quote their answers; reasons; student ids) is untrusted: it is escaped with
``html.escape`` in the page, and a CSV cell that a spreadsheet would read as a
formula gets a leading ``'``.

A failed test cell is *diagnosed* with :data:`CATEGORIES`, a table of regular
expressions over its error (``Ename: message``), in this order:

1. the error's type: not attempted (``NotImplementedError``), a switched-off
   reference called, the submission's process died or ran out of time;
2. the first ``Hint:`` line of the message (``nnlearn.testing`` puts the most
   specific explanation first: a test's own ``mistakes=`` explanation comes before
   the generic value hints), matched against the generic categories; a first hint
   that matches none is the test's own explanation of a known mistake: category
   ``named``, one line of the table per distinct hint;
3. without a hint line, the whole message (the type and shape stages put their
   hint after a dash on the first line: ``did you transpose?``, ``keepdims``, ...);
4. anything else: ``other`` (a crash is ``crashed``).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .records import FAILED, FLAGGED, GRADED, RECORD_NAME, Record, RecordError, Row

REPORT_DIR = "report"


@dataclass(frozen=True)
class Category:
    """One kind of diagnosed mistake: its key (for CSVs), its words, and what recognises it."""

    key: str
    label: str
    pattern: str          # a regular expression (re.search, case-insensitive)
    on: str = "hint"      # "error": matched against the error type at the start; "hint": against the hint


# The order matters: the first category whose pattern matches wins.
CATEGORIES = (
    Category("not_attempted", "not attempted (the exercise still raises NotImplementedError)",
             r"^NotImplementedError\b", on="error"),
    Category("reference_called", "called a switched-off reference of nnlearn", r"^ReferenceUnavailable\b",
             on="error"),
    Category("process_died", "the submission's process died, or a call ran out of time",
             r"^(SubmissionUnavailable|ProcessDied|TimeoutError|CellTimeoutError|DeadKernelError)\b", on="error"),
    Category("missing_return", "returned None (forgot `return`)", r"returned None|forget `return`"),
    Category("several_values", "returned several values where one was expected", r"return(ed)? several values"),
    Category("forgot_bias", "forgot the bias", r"forget to add the bias|forgotten bias"),
    Category("bias_twice", "added the bias twice", r"add(ed)? the bias twice"),
    Category("transposed", "transposed (W, or the result)",
             r"did you transpose|transpose of the expected|needs a transpose|\(\.T\)"),
    Category("summed_not_averaged", "summed instead of averaged (missing 1/N)",
             r"summed instead of averaged|missing 1/N|forget to average"),
    Category("divided_twice", "divided by N twice", r"divided by N twice"),
    Category("keepdims", "a missing or extra axis of size 1 (keepdims / reshape, a row sum that fails to broadcast)",
             r"keepdims|\.reshape|\.ravel\(\)|axis of size 1"),
    Category("wrong_axis", "summed or averaged over the wrong axis",
             r"over axis \d|over everything"),
    Category("overflow", "overflow: NaN or inf (exp of a large number)", r"overflow|NaN or infinite"),
    Category("sign_flipped", "the sign is flipped", r"sign is flipped"),
    Category("factor", "off by a constant factor (a factor of 2, a missing ½)",
             r"twice the expected|half the expected|constant factor"),
    Category("integer_division", "integers where fractions are expected (integer division?)",
             r"integer division|holds integers"),
    Category("wrong_dtype", "right values, wrong dtype", r"right values but dtype"),
    Category("all_zeros", "all zeros (not filled in or not updated)", r"all zeros"),
    Category("broadcast", "arrays of incompatible shapes combined", r"could not be broadcast|incompatible shapes"),
    Category("bad_index", "an index went wrong", r"an index went wrong"),
    Category("wrong_type", "the wrong type of answer", r"should be (a|an|True) .*, got"),
)
GENERIC = tuple(c for c in CATEGORIES if c.on == "hint")
NAMED = Category("named", "a known mistake named by the test", "")
CRASHED = Category("crashed", "the function raised an error", "")
OTHER = Category("other", "other (not diagnosed)", "")
ALL = CATEGORIES + (NAMED, CRASHED, OTHER)
BY_KEY = {c.key: c for c in ALL}
CHECK_ERRORS = ("CheckFailed", "AssertionError")
UNDIAGNOSED = ("not_attempted", CRASHED.key, OTHER.key)   # listed after the diagnosed ones


@dataclass(frozen=True)
class Diagnosis:
    """One failed test cell of one submission, and what kind of mistake it shows."""

    student: str
    assignment: str
    test: str          # the test cell's grade_id
    category: str      # a key of CATEGORIES, or named / crashed / other
    detail: str        # for ``named``: the test's own explanation (its first hint line); else ""
    message: str       # "Ename: message" as the cell shows it

    @property
    def mistake(self):
        """What the mistakes table counts: the category, or a named mistake's own words."""
        return (self.category, self.detail)


# The traceback of the student's own code that the grader appends to an error raised in the
# sandbox (``channel.rebuild_exception``): it quotes the student's source, so it is not matched.
_STUDENT_TRACE = re.compile(r"\n*^in the submission's code:\n(?:[ \t].*(?:\n|$))*", re.MULTILINE)


def diagnose(message):
    """``(category key, detail)`` for the error text ``Ename: message`` of a failed test cell."""
    text = _STUDENT_TRACE.sub("\n", message.strip()).strip()
    for category in CATEGORIES:
        if category.on == "error" and re.search(category.pattern, text, re.IGNORECASE):
            return category.key, ""
    hints = [line[len("Hint:"):].strip() for line in text.splitlines() if line.startswith("Hint:")]
    if hints:
        first = hints[0]
        for category in GENERIC:
            if re.search(category.pattern, first, re.IGNORECASE):
                return category.key, ""
        return NAMED.key, first[:300]
    for category in GENERIC:
        if re.search(category.pattern, text, re.IGNORECASE):
            return category.key, ""
    ename = text.split(":", 1)[0]
    if re.fullmatch(r"[A-Za-z_][\w.]*", ename) and ename not in CHECK_ERRORS:
        return CRASHED.key, ""
    return OTHER.key, ""


# --- reading the course --------------------------------------------------------------------

@dataclass(frozen=True)
class TestCell:
    grade_id: str
    points: float


@dataclass
class Submission:
    """One student's result for the assignment: its row and, if it was graded, its test cells."""

    row: Row
    results: dict = field(default_factory=dict)   # test grade_id -> None (passed) or the error text


def test_cells(root, assignment):
    """The assignment's graded test cells, in notebook order, from ``source/``."""
    path = Path(root) / "source" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    cells = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            cells.append(TestCell(meta["grade_id"], float(meta.get("points", 0))))
    return cells


def _error_text(cell):
    """The error a graded cell shows (``Ename: message``), None when it passed."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename', '')}: {output.get('evalue', '')}"
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return "stderr: " + "".join(output.get("text", ""))[:500]   # nbgrader scores this 0 too
    return None


def read_results(notebook, tests):
    """{test grade_id: None or error text} for an autograded notebook; a missing cell counts as failed."""
    nb = nbformat.read(str(notebook), as_version=4)
    found = {}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in tests:
            found[grade_id] = _error_text(cell)
    return {t: found.get(t, "Missing: the test cell is not in the autograded notebook") for t in tests}


def read_rows(root, assignment, csv_path=None):
    """{student: Row} of one assignment: each submission's record, else its grades.csv row."""
    root = Path(root)
    rows = {}
    csv_path = Path(csv_path) if csv_path else root / "grades.csv"
    if csv_path.is_file():
        with open(csv_path, newline="", encoding="utf-8") as fh:
            for line in csv.DictReader(fh):
                if line.get("assignment") == assignment:
                    try:
                        rows[line["student"]] = Row(line["student"], assignment, float(line["score"] or 0),
                                                    float(line["max_score"] or 0), line["status"],
                                                    line.get("reason") or "")
                    except (KeyError, ValueError):
                        continue
    for record_path in sorted((root / "autograded").glob(f"*/{assignment}/{RECORD_NAME}")):
        try:
            record = Record.load(record_path)
        except RecordError:
            continue
        if record.assignment == assignment and record.student == record_path.parent.parent.name:
            rows[record.student] = record.row
    return dict(sorted(rows.items()))


def read_class(root, assignment, csv_path=None):
    """(test cells, [Submission]) of one assignment."""
    root = Path(root)
    tests = test_cells(root, assignment)
    ids = [t.grade_id for t in tests]
    submissions = []
    for student, row in read_rows(root, assignment, csv_path).items():
        submission = Submission(row)
        notebook = root / "autograded" / student / assignment / f"{assignment}.ipynb"
        if row.status != FAILED and notebook.is_file():
            try:
                submission.results = read_results(notebook, ids)
            except (OSError, ValueError, nbformat.ValidationError):
                submission.results = {}
        submissions.append(submission)
    return tests, submissions


# --- the numbers ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PassRate:
    test: str
    points: float
    passed: int
    graded: int          # submissions with an autograded notebook

    @property
    def rate(self):
        return self.passed / self.graded if self.graded else 0.0


@dataclass(frozen=True)
class Mistake:
    """A line of the mistakes table: one category (or named mistake), how often, one example."""

    category: str
    detail: str
    count: int           # failed test cells
    students: tuple
    tests: tuple
    example: str         # one message, as a student saw it
    example_student: str

    @property
    def label(self):
        base = BY_KEY[self.category].label
        return f"{base}: {self.detail}" if self.detail else base


@dataclass
class ClassReport:
    assignment: str
    tests: list
    submissions: list
    diagnoses: list
    pass_rates: list
    mistakes: list

    @property
    def scored(self):
        """The submissions that have a score (graded or flagged)."""
        return [s for s in self.submissions if s.row.status != FAILED]

    @property
    def max_score(self):
        return max((s.row.max_score for s in self.submissions), default=0) or sum(t.points for t in self.tests)

    @property
    def problems(self):
        """The flagged and failed submissions, failed first."""
        return sorted((s for s in self.submissions if s.row.status in (FLAGGED, FAILED)),
                      key=lambda s: (s.row.status != FAILED, s.row.student))

    def status_counts(self):
        counts = Counter(s.row.status for s in self.submissions)
        return {status: counts.get(status, 0) for status in (GRADED, FLAGGED, FAILED)}

    def score_stats(self):
        scores = [s.row.score for s in self.scored]
        if not scores:
            return {}
        return {"n": len(scores), "mean": statistics.fmean(scores), "median": statistics.median(scores),
                "min": min(scores), "max": max(scores)}


def analyse(assignment, tests, submissions):
    """The report's numbers from the rows and test results."""
    diagnoses = []
    for s in submissions:
        for test in tests:
            message = s.results.get(test.grade_id) if s.results else None
            if message is not None:
                category, detail = diagnose(message)
                diagnoses.append(Diagnosis(s.row.student, assignment, test.grade_id, category, detail, message))
    graded = [s for s in submissions if s.results]
    pass_rates = [PassRate(t.grade_id, t.points, sum(1 for s in graded if s.results.get(t.grade_id) is None),
                           len(graded)) for t in tests]
    groups = defaultdict(list)
    for d in diagnoses:
        groups[d.mistake].append(d)
    order = {c.key: i for i, c in enumerate(ALL)}
    mistakes = [Mistake(key[0], key[1], len(ds), tuple(sorted({d.student for d in ds})),
                        tuple(dict.fromkeys(d.test for d in ds)), ds[0].message, ds[0].student)
                for key, ds in groups.items()]
    mistakes.sort(key=lambda m: (m.category in UNDIAGNOSED, -m.count, order[m.category], m.detail))
    return ClassReport(assignment, tests, submissions, diagnoses, pass_rates, mistakes)


def build(root, assignment, csv_path=None):
    tests, submissions = read_class(root, assignment, csv_path)
    return analyse(assignment, tests, submissions)


# --- plots ------------------------------------------------------------------------------------

def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def plots(report):
    """{name: base64 PNG}: the score histogram, the pass rates, the mistakes."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure   # no pyplot: no global state, no GUI

    out = {}
    top = report.max_score or 1
    fig = Figure(figsize=(6, 3))
    ax = fig.subplots()
    scores = [s.row.score for s in report.scored]
    bins = min(20, max(1, int(top))) if float(top).is_integer() else 20
    ax.hist(scores, bins=bins, range=(0, top), color="#4c72b0", edgecolor="white")
    ax.set_xlabel(f"score (out of {top:g})")
    ax.set_ylabel("submissions")
    ax.set_title("Score distribution (graded and flagged)")
    ax.yaxis.get_major_locator().set_params(integer=True)
    out["scores"] = _png(fig)

    fig = Figure(figsize=(6, 0.4 * len(report.pass_rates) + 1))
    ax = fig.subplots()
    names = [p.test for p in report.pass_rates][::-1]
    ax.barh(names, [100 * p.rate for p in report.pass_rates][::-1], color="#55a868")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of graded submissions that pass")
    ax.set_title("Pass rate per test cell")
    out["pass_rates"] = _png(fig)

    shown = report.mistakes[:12]
    if shown:
        fig = Figure(figsize=(7, 0.4 * len(shown) + 1))
        ax = fig.subplots()
        labels = [(m.label if len(m.label) <= 60 else m.label[:57] + "...") for m in shown][::-1]
        ax.barh(range(len(shown)), [m.count for m in shown][::-1], color="#c44e52")
        ax.set_yticks(range(len(shown)), labels)
        ax.set_xlabel("failed test cells")
        ax.set_title("Most common mistakes")
        ax.xaxis.get_major_locator().set_params(integer=True)
        out["mistakes"] = _png(fig)
    return out


# --- writing ----------------------------------------------------------------------------------

def _e(value):
    return html.escape(str(value), quote=True)


def _safe_cell(value):
    """A CSV cell a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _num(x):
    return f"{x:g}" if isinstance(x, (int, float)) else str(x)


STYLE = """
body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;
vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;
font-size:.85em;max-width:42em}td.ex{min-width:24em}img{max-width:100%}.failed{color:#a00}.flagged{color:#a60}
"""


def _page(title, body):
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
            "style-src 'unsafe-inline'\">"
            f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>\n{body}\n</body></html>\n")


def render_html(report, images=None):
    """The assignment's page (a str); ``images`` from :func:`plots` (computed when None)."""
    images = plots(report) if images is None else images
    a = report.assignment
    counts = report.status_counts()
    stats = report.score_stats()
    parts = [f"<h1>Class report: {_e(a)}</h1>",
             f"<p>{len(report.submissions)} submission(s): {counts[GRADED]} graded, {counts[FLAGGED]} flagged, "
             f"{counts[FAILED]} failed. Maximum score {_e(_num(report.max_score))}.</p>",
             "<h2>Score distribution</h2>"]
    if stats:
        parts.append("<table><tr>" + "".join(f"<th>{k}</th>" for k in stats) + "</tr><tr>"
                     + "".join(f"<td class=n>{v:.2f}</td>" if isinstance(v, float) else f"<td class=n>{v}</td>"
                               for v in stats.values()) + "</tr></table>")
        parts.append("<p>Of the graded and flagged submissions; failed ones have no score.</p>")
    else:
        parts.append("<p>No submission has a score yet.</p>")
    if "scores" in images:
        parts.append(f'<img alt="score histogram" src="data:image/png;base64,{images["scores"]}">')

    parts.append("<h2>Pass rate per test cell</h2><table><tr><th>test cell</th><th>points</th>"
                 "<th>passed</th><th>of</th><th>rate</th></tr>")
    for p in report.pass_rates:
        parts.append(f"<tr><td>{_e(p.test)}</td><td class=n>{_e(_num(p.points))}</td><td class=n>{p.passed}</td>"
                     f"<td class=n>{p.graded}</td><td class=n>{100 * p.rate:.0f} %</td></tr>")
    parts.append("</table>")
    if "pass_rates" in images:
        parts.append(f'<img alt="pass rates" src="data:image/png;base64,{images["pass_rates"]}">')

    parts.append("<h2>Most common mistakes</h2>")
    if report.mistakes:
        parts.append("<p>Each failed test cell counted once, by the first hint of its message "
                     "(categories: <code>coursegrade/report.py</code>).</p>"
                     "<table><tr><th>mistake</th><th>failed cells</th><th>students</th><th>test cells</th>"
                     "<th>one example</th></tr>")
        for m in report.mistakes:
            parts.append(f"<tr><td>{_e(m.label)}</td><td class=n>{m.count}</td><td class=n>{len(m.students)}</td>"
                         f"<td>{_e(', '.join(m.tests))}</td><td class=ex><pre>{_e(m.example[:1500])}</pre>"
                         f"<small>({_e(m.example_student)})</small></td></tr>")
        parts.append("</table>")
        if "mistakes" in images:
            parts.append(f'<img alt="mistakes" src="data:image/png;base64,{images["mistakes"]}">')
    else:
        parts.append("<p>No failed test cell.</p>")

    parts.append("<h2>Flagged and failed submissions</h2>")
    if report.problems:
        parts.append("<table><tr><th>student</th><th>status</th><th>score</th><th>reason</th></tr>")
        for s in report.problems:
            r = s.row
            parts.append(f"<tr><td>{_e(r.student)}</td><td class={_e(r.status)}>{_e(r.status)}</td>"
                         f"<td class=n>{_e(_num(r.score))}</td><td><pre>{_e(r.reason)}</pre></td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>None.</p>")
    return _page(f"Class report: {a}", "\n".join(parts))


def write_csvs(report, folder):
    """``<assignment>.csv`` (one row per submission) and ``<assignment>_mistakes.csv``."""
    folder = Path(folder)
    ids = [t.grade_id for t in report.tests]
    by_cell = {(d.student, d.test): d.category for d in report.diagnoses}
    with open(folder / f"{report.assignment}.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "score", "max_score", "status", "reason", *ids])
        for s in report.submissions:
            r = s.row
            cells = [("pass" if s.results.get(t) is None else by_cell[r.student, t]) if s.results else ""
                     for t in ids]
            writer.writerow([_safe_cell(v) for v in (r.student, _num(r.score), _num(r.max_score), r.status,
                                                     r.reason, *cells)])
    with open(folder / f"{report.assignment}_mistakes.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["category", "detail", "label", "count", "students", "test_cells", "example_student",
                         "example"])
        for m in report.mistakes:
            writer.writerow([_safe_cell(v) for v in (m.category, m.detail, m.label, m.count, len(m.students),
                                                     " ".join(m.tests), m.example_student, m.example)])


def render_index(reports):
    rows = []
    for r in reports:
        counts, stats = r.status_counts(), r.score_stats()
        mean = f"{stats['mean']:.2f}" if stats else ""
        top = r.mistakes[0].label if r.mistakes else ""
        rows.append(f'<tr><td><a href="{_e(r.assignment)}.html">{_e(r.assignment)}</a></td>'
                    f"<td class=n>{len(r.submissions)}</td><td class=n>{counts[FLAGGED]}</td>"
                    f"<td class=n>{counts[FAILED]}</td><td class=n>{mean}</td><td class=n>{_e(_num(r.max_score))}</td>"
                    f"<td>{_e(top)}</td></tr>")
    body = ("<h1>Class report</h1><table><tr><th>assignment</th><th>submissions</th><th>flagged</th>"
            "<th>failed</th><th>mean score</th><th>of</th><th>most common mistake</th></tr>"
            + "\n".join(rows) + "</table>")
    return _page("Class report", body)


def write_report(root, assignments, out=None, csv_path=None):
    """Write the report of each assignment and the index; return ``(out folder, [ClassReport])``."""
    root = Path(root)
    out = Path(out) if out else root / REPORT_DIR
    out.mkdir(parents=True, exist_ok=True)
    reports = []
    for assignment in assignments:
        report = build(root, assignment, csv_path)
        (out / f"{assignment}.html").write_text(render_html(report), encoding="utf-8")
        write_csvs(report, out)
        reports.append(report)
    (out / "index.html").write_text(render_index(reports), encoding="utf-8")
    return out, reports


def summary_lines(out, reports):
    lines = []
    for r in reports:
        c = r.status_counts()
        top = ", ".join(f"{m.label} ({m.count})" for m in r.mistakes[:3]) or "none"
        lines.append(f"{r.assignment}: {len(r.submissions)} submission(s) ({c[GRADED]} graded, {c[FLAGGED]} "
                     f"flagged, {c[FAILED]} failed); most common: {top}")
    lines.append(f"report written to {out / 'index.html'}")
    return ["".join(ch if ch.isprintable() else "?" for ch in line) for line in lines]


def to_json(report):
    """A plain summary (for tests and scripts)."""
    return json.dumps({"assignment": report.assignment, "status": report.status_counts(),
                       "pass_rates": {p.test: [p.passed, p.graded] for p in report.pass_rates},
                       "mistakes": [[m.category, m.detail, m.count] for m in report.mistakes]})

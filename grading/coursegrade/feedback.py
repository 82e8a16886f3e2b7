"""The exporter of the feedback pages (``nbgrader generate_feedback``).

nbgrader's feedback template, with one change: code cells are shown as escaped plain
text, without syntax highlighting. Pygments wraps every token in a ``<span>``, and
nbconvert then parses the whole page again (its ``sanitize_html`` pass): together
about 70 % of the time of ``generate_feedback`` (measured: 0.7--1.35 s per notebook
before, 0.25--0.30 s after). What a student reads -- their code, its outputs, the
scores and the test results -- is the same text. nbgrader_config.py sets it as
``GenerateFeedback.exporter_class``; the formgrader keeps its highlighting.
"""

import html

from nbconvert.exporters import HTMLExporter
from traitlets import default


def plain_code(source, language=None, metadata=None, strip_verbatim=False):
    """A code cell's text, escaped, in the markup of nbconvert's Highlight2HTML (without its spans)."""
    return f'<div class="highlight hl-ipython3"><pre>{html.escape(source)}</pre></div>'


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter whose ``highlight_code`` filter is :func:`plain_code`."""

    @default("filters")
    def _filters_default(self):
        return {"highlight_code": plain_code}

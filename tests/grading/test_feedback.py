"""coursegrade.feedback: the feedback page's exporter, on a small notebook (no grading)."""

import nbformat

from coursegrade.feedback import FeedbackExporter, plain_code


def test_plain_code_escapes_what_a_student_wrote():
    out = plain_code("x = '</pre><script>alert(1)</script>' < 2 & 3")
    assert "<script>" not in out and "&lt;/pre&gt;&lt;script&gt;" in out and "&lt; 2 &amp; 3" in out, out
    assert out.startswith('<div class="highlight hl-ipython3"><pre>') and out.endswith("</pre></div>"), out


def test_the_exporter_shows_code_and_outputs_without_token_spans():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Loss"),
        nbformat.v4.new_code_cell("def mse(y, t):\n    return ((y - t) ** 2).mean()  # <b>", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="the answer is 42\n")]),
    ])
    body, _ = FeedbackExporter().from_notebook_node(nb)
    assert "def mse(y, t):" in body and "# &lt;b&gt;" in body, "the student's code must be shown, escaped"
    assert "the answer is 42" in body, "the cell's output must be shown"
    assert '<span class="k">def</span>' not in body, "code cells must not be highlighted token by token"

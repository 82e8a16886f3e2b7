"""Course-level tests: notebooks, the nbgrader pipeline and grading."""

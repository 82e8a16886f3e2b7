"""``RestoreCells``: nbgrader's ``OverwriteCells``, able to restore any missing test cell.

Autograde first *sanitises* a submission: ``OverwriteCells`` puts the instructor's
version back into every cell that carries nbgrader metadata and, with
``add_missing_cells``, re-adds test cells the student deleted. nbgrader 0.9.6 places
a re-added cell after the cell that precedes it in the instructor's notebook, and
raises ``KeyError`` when that cell is missing too -- a deleted exercise (its answer
cell and its test cell), or a notebook whose editor stripped all cell metadata. The
whole notebook then fails to grade. This subclass

1. gives an unmarked cell back its metadata when its text is exactly a test cell's
   (with or without its hidden part; whitespace aside), so
   a notebook whose metadata was stripped keeps its test cells where they were;
2. re-adds every test cell that is still missing, in the instructor's order, after
   the nearest earlier nbgrader cell that is present (at the top if there is none);
3. turns a cell that nbgrader's ``DeduplicateIds`` unmarked (a copied answer or test
   cell: the copy keeps the ``grade_id``, the other one is left with an empty
   ``nbgrader`` dict) into an ordinary cell. nbgrader 0.9.6's
   ``add_missing_task_cells`` fails on the empty dict (``KeyError: 'grade_id'``, the
   whole notebook unscored); now the notebook is graded with the last copy.

The instructor's notebook (``source/<assignment>/<notebook>.ipynb``) gives the
order and metadata; the cells' text comes from the gradebook, as in nbgrader.
"""

from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import OverwriteCells

from .notebook import is_test, nbgrader_meta, normalise, without_hidden


class RestoreCells(OverwriteCells):
    """OverwriteCells that re-marks stripped test cells and restores any missing one."""

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if "nbgrader" in cell.metadata and not cell.metadata["nbgrader"]:
                del cell.metadata["nbgrader"]      # unmarked by DeduplicateIds
        self._source_nb = self._read_source(resources)
        if self._source_nb is not None:
            self._remark_test_cells(nb)
        return super().preprocess(nb, resources)

    def _read_source(self, resources):
        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        path = Path(coursedir.format_path(coursedir.source_directory, ".", info.get("assignment"))) \
            / f"{info.get('notebook')}.ipynb"
        if not path.exists():
            self.log.warning("RestoreCells: no instructor notebook %s; restoring as stock nbgrader", path)
            return None
        return nbformat.read(str(path), as_version=4)

    def _remark_test_cells(self, nb):
        present = {nbgrader_meta(c).get("grade_id") for c in nb.cells} - {None}
        by_text = {}
        for cell in self._source_nb.cells:
            grade_id = nbgrader_meta(cell).get("grade_id")
            if is_test(cell) and grade_id not in present:
                for text in (cell.source, without_hidden(cell.source)):   # the solutions' and the release's
                    by_text.setdefault(normalise(text), cell)
        for cell in nb.cells:
            if cell.get("cell_type") != "code" or nbgrader_meta(cell):
                continue
            source_cell = by_text.get(normalise(cell.get("source", "")))
            grade_id = nbgrader_meta(source_cell).get("grade_id") if source_cell is not None else None
            if grade_id is not None and grade_id not in present:
                present.add(grade_id)
                self.log.warning("Test cell %s had lost its nbgrader metadata; restored from its text",
                                 nbgrader_meta(source_cell)["grade_id"])
                cell.metadata = nbformat.NotebookNode(dict(source_cell.metadata))

    def add_missing_grade_cells(self, nb, resources):
        if self._source_nb is None:
            return super().add_missing_grade_cells(nb, resources)
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = {cell.name: cell for cell in source_nb.source_cells}
        grade_cells = {cell.name: cell for cell in source_nb.grade_cells}
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        order = [nbgrader_meta(c).get("grade_id") for c in self._source_nb.cells if nbgrader_meta(c).get("grade_id")]

        for position, grade_id in enumerate(order):
            if grade_id not in grade_cells or grade_id not in source_cells or self._find(nb, grade_id) is not None:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_id)
            cell = self.missing_cell_transform(source_cells[grade_id], grade_cells[grade_id].max_score,
                                               is_solution=grade_id in solution_ids)
            earlier = [self._find(nb, g) for g in order[:position]]
            earlier = [i for i in earlier if i is not None]
            nb.cells.insert(max(earlier) + 1 if earlier else 0, cell)
        return nb, resources

    @staticmethod
    def _find(nb, grade_id):
        for index, cell in enumerate(nb.cells):
            if nbgrader_meta(cell).get("grade_id") == grade_id:
                return index
        return None

"""``SafeExchangeCollect``: nbgrader's ``collect`` that copies regular files only.

``nbgrader collect`` copies each submission out of the exchange inbox, where every
student can write, with ``shutil.copytree`` -- following symbolic links, as the
instructor. A student could submit a link to ``source/``, to ``gradebook.db`` or to a
classmate's notebook, and the instructor's ``collect`` would copy the target into
``submitted/``. This subclass of nbgrader's default collect (set in
``nbgrader_config.py`` as ``c.ExchangeFactory.collect``)

* skips a submission whose student id (the inbox name ``<student>+<assignment>+<time>``)
  is not a safe id (:func:`coursegrade.submission.id_problem`: no globs, no ``..``),
  and an inbox entry whose name is not of that form or whose time does not parse
  (nbgrader stopped the whole collection there);
* copies only regular files, with the size caps and the checks of
  :mod:`coursegrade.submission` (no links followed, no FIFOs, devices or sockets,
  no hard links), and logs every entry it skipped with the reason.
"""

import datetime
import os

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange import ExchangeError

from .submission import UnsafePath, id_problem, open_folder, scan


class SafeExchangeCollect(ExchangeCollect):
    """nbgrader's ExchangeCollect, copying regular files only and checking student ids."""

    def _path_to_record(self, path):
        try:
            return super()._path_to_record(path)
        except (ExchangeError, ValueError, OverflowError) as err:   # nbgrader's fail() raises ExchangeError
            name = os.path.basename(path)
            return {"username": name, "filename": name, "problem": f"not a submission: {err}",
                    "timestamp": datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)}

    def init_src(self):
        super().init_src()
        safe = []
        for record in self.src_records:
            problem = record.get("problem") or id_problem(record["username"])
            if problem:
                self.log.warning("Skipped %s: %s", record["filename"], problem)
            else:
                safe.append(record)
        self.src_records = safe

    def do_copy(self, src, dest, log=None):
        """Copy the regular files of the submission ``src`` into the new folder ``dest``."""
        os.makedirs(dest)
        inbox, name = os.path.split(os.path.normpath(src))
        try:
            result = scan(open_folder(inbox, name), stage_to=dest)
        except UnsafePath as err:
            self.log.error("Skipped the whole submission %s: %s", name, err)
            return
        for path, reason in result.rejected:
            self.log.warning("Skipped %s/%s: %s", name, path, reason)

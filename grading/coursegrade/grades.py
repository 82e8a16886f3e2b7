"""grades.csv and what ``coursegrade grade`` prints at the end of a run.

Owns the CSV's columns (:data:`CSV_FIELDS`, one row per student and assignment:
``records.Row``), writing it so that a reader never sees half of it, the check that
every submission got exactly one row, and the summary on the terminal.
"""

import csv
import dataclasses
import os
from collections import Counter
from pathlib import Path

from .records import GRADED, Row

CSV_FIELDS = tuple(f.name for f in dataclasses.fields(Row))


def write_csv(path, rows):
    """Write the rows to ``path`` (through a temporary file and os.replace)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        writer.writeheader()
        writer.writerows(dataclasses.asdict(row) for row in rows)
    os.replace(tmp, path)


def missing_or_doubled(keys, rows):
    """A message when some submission has no row or several (None when each has one)."""
    counts = Counter(row.key for row in rows)
    lost = sorted(set(keys) - set(counts))
    doubled = sorted(key for key, n in counts.items() if n > 1)
    if not (lost or doubled):
        return None
    return (f"coursegrade: internal error: {len(lost)} submission(s) without a row {lost[:5]}, "
            f"{len(doubled)} with several rows {doubled[:5]}; grades.csv not written")


def summary(rows, csv_path):
    """The lines printed after the CSV is written: the tally, then each row not ``graded``."""
    tally = Counter(row.status for row in rows)
    lines = [f"graded {tally['graded']}, flagged {tally['flagged']}, failed {tally['failed']}: "
             f"{len(rows)} row(s) in {csv_path}"]
    for row in rows:
        if row.status != GRADED:   # a reason may quote a submission: no control characters
            line = f"  {row.status:7} {row.assignment} {row.student}: {row.reason}"
            lines.append("".join(c if c.isprintable() else ascii(c)[1:-1] for c in line))
    return lines

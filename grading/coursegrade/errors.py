"""The two ways ``coursegrade grade`` stops early, shared by its modules.

Every other problem is one submission's: it becomes that submission's row
(``records.Row``) and the run goes on.
"""


class CourseError(Exception):
    """The command cannot run (bad arguments, no course, no sandbox); the message says why."""


class Interrupted(Exception):
    """Ctrl-C: the running submissions were stopped without records; re-run to resume."""

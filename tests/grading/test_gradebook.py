"""coursegrade.gradebook: the checks made before nbgrader touches the gradebook."""

import re

import pytest

from coursegrade.errors import CourseError
from coursegrade.gradebook import check_gradebook_url, failure_reason


@pytest.mark.parametrize("db_url, course_id, message", [
    ("postgresql://nbgrader@localhost/course", "nnlearn", "postgresql+psycopg2://"),
    ("postgresql+psycopg2://nbgrader@localhost/course", "", "needs a course id"),
])
def test_database_gradebook_settings_are_checked(db_url, course_id, message):
    """Two settings nbgrader 0.9.6 needs with a PostgreSQL gradebook, said before anything runs."""
    with pytest.raises(CourseError, match=re.escape(message)):
        check_gradebook_url(db_url, course_id)
    check_gradebook_url("sqlite:///gradebook.db?timeout=60", "")   # the default: fine


def test_failure_reason_prefers_the_real_error():
    """nbgrader logs the real error, then raises a generic one: the row gets the real one."""
    log = ("[AutogradeApp | ERROR] There was an error processing assignment: x\n"
           "Traceback (most recent call last):\n  File ...\nValueError: the notebook is broken\n"
           "nbgrader.utils.NbGraderException: Please see the error log\n")
    assert failure_reason({"log": log, "error": ""}) == "ValueError: the notebook is broken"
    assert failure_reason({"log": "sqlite3.OperationalError: database is locked", "error": ""}) == \
        "the gradebook database stayed locked"
    assert failure_reason({"log": "", "error": ""}) == "unknown error"
    assert failure_reason({"log": "[ERROR] no notebook\nmore", "error": None}) == "[ERROR] no notebook"

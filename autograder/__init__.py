"""nbgrader tooling for the course: release, grading, feedback, reports, lab settings.

Run ``python -m autograder --help``. Every function takes a :class:`Course`, so the same
code works on the repo and on a course built elsewhere (see :mod:`autograder.toy`).
"""

from .course import Course, CourseError

__all__ = ["Course", "CourseError"]

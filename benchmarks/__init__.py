"""Benchmarks of the course: `python -m benchmarks [--week week1] [--repeat N]`.

Each week's module has `run(repeat) -> list[Row]`; add later weeks to WEEKS. `images`
measures loading a learner's own picture (used from week 1 on), `grading` a class graded in
parallel against nbgrader's serial autograde, `hub` a class on the course's JupyterHub.
"""

from . import grading, hub, images, week1, week2, week3, week4, week5, week6

WEEKS = {"grading": grading.run, "hub": hub.run, "images": images.run, "week1": week1.run,
         "week2": week2.run, "week3": week3.run, "week4": week4.run, "week5": week5.run,
         "week6": week6.run}

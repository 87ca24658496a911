"""What the course notebooks import: data loading, images, plots, widgets and visible checks.

The given-code rule (held for every week, present and future, by tests/test_given_code.py):
- course_utils may ship data and its loaders, plots, widgets, the visible checks (fixed cases
  and generated expected values, never a solution), the helpers that ../shared/api.md names as
  given for a week (week 3's layer-style `sigmoid`/`relu` and their backward helpers), and an
  earlier week's model as a baseline under a name of its own (`baselines.logistic_regression`).
- It never ships a graded function of any week under that function's name; a given helper that
  api.md names like a graded function of another week has another contract, and that week's
  check rejects it (week 3's `sigmoid` returns `(A, cache)`, which week 1's check refuses).
"""

"""One exercise in one place: the contract's signature, the fixed cases, the seeding rule and
the check of one case, declared together with `Week.exercise` (the package docstring says how)."""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable

import numpy as np

from .core import Check, alike, same_value
from .expected import expected

_ITS_SEED = object()  # "the exercise's own seed"
KEYWORDS_HINT = ("this week's functions take keyword-only extras after the *, as given: keep the "
                 "signature def {}.")


class Case(dict):
    """One case's inputs by the contract's names, while a check runs it."""

    def __init__(self, values: dict, exercise: Exercise, fn: Callable, check: Check):
        super().__init__(values)
        self.exercise, self._fn, self._check = exercise, fn, check

    def given(self, name: str):
        """The value of `name` in this call: the case's, or the contract's default."""
        return self.get(name, self.exercise.defaults.get(name))

    def again(self, seed: int):
        """The learner's function on the same inputs, after np.random.seed(seed)."""
        return self.exercise.call(self._fn, self, self._check, seed=seed)

    def stored(self, **changes):
        """The stored output of the case with this one's inputs but `changes`, or None."""
        return self.exercise.stored(**{**self, **changes})

    def gives(self, value, name: str, part: int | None = None):
        """The other value of the input `name` whose case, alike but for it, stores `value` (as
        its item `part`): an argument that made no difference. None if there is none."""
        defaults = self.exercise.defaults
        for theirs in dict.fromkeys(c.get(name, defaults.get(name)) for c in self.exercise.cases):
            want = None if theirs == self.given(name) else self.stored(**{name: theirs})
            if want is not None and alike(value, want if part is None else want[part]):
                return theirs
        return None


class Exercise:
    """The visible check of one graded function: `check_<name>(fn)` runs every case through
    `body(check, case, output, expected output)` and prints one line when all pass."""

    def __init__(self, week: str, signature: str, cases: list[dict], body: Callable, *,
                 seed: int | None = None, hints: dict | None = None):
        args = ast.parse(f"def {signature}: pass").body[0].args
        self.name, self.week, self.signature = signature.split("(")[0], week, signature
        self.classic = [a.arg for a in args.args]
        pairs = [*zip(args.args[::-1], args.defaults[::-1]),
                 *zip(args.kwonlyargs, args.kw_defaults)]
        self.defaults = {a.arg: ast.literal_eval(d) for a, d in pairs if d is not None}
        names = set(self.classic) | {a.arg for a in args.kwonlyargs}
        if unknown := [sorted(set(case) - names) for case in cases if set(case) - names]:
            raise TypeError(f"a case of {signature} has {unknown[0]}")
        self.cases, self.body, self.seed, self.hints = cases, body, seed, hints
        self.__doc__ = f"check_{self.name}(fn): checks your {self.name} on {len(cases)} cases."

    def arguments(self, case: dict) -> tuple[tuple, dict]:
        """The classic parameters by position up to the last one the case gives (a skipped one at
        its default), the extensions by keyword unless at their default (the classic call)."""
        given = [i for i, name in enumerate(self.classic) if name in case]
        positional = self.classic[:given[-1] + 1] if given else []
        return (tuple(case[n] if n in case else self.defaults[n] for n in positional),
                {k: v for k, v in case.items() if k not in self.classic
                 and not (k in self.defaults and same_value(v, self.defaults[k]))})

    def call(self, fn: Callable, case: dict, check: Check | None = None, *, seed=_ITS_SEED):
        """fn on the case, after np.random.seed(seed) unless None; through `check` if given."""
        args, kwargs = self.arguments(case)
        seed = self.seed if seed is _ITS_SEED else seed
        if seed is not None:
            np.random.seed(seed)
        if check is None:
            return fn(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        return check.call(fn, *args, exception_hints=self.hints, **kwargs)

    def expected(self) -> list:
        return expected(self.week, self.name, self.cases)

    def stored(self, **inputs):
        """The stored output of the first case whose inputs (or defaults) are `inputs`, or None."""
        for case, want in zip(self.cases, self.expected()):
            if all(same_value(case.get(k, self.defaults.get(k)), v) for k, v in inputs.items()):
                return want
        return None

    def __call__(self, fn: Callable) -> None:
        check = Check(self.name)
        for values, want in zip(self.cases, self.expected(), strict=True):
            case = Case(values, self, fn, check)
            self.body(check, case, self.call(fn, case, check), want)
        check.done()


class Week:
    """A week's exercises in notebook order: `CHECKS = WEEK.exercises` in its checks module."""

    def __init__(self, name: str):
        self.name, self.exercises = name, {}

    def exercise(self, signature: str, cases: list[dict], *, seed: int | None = None,
                 hints: dict | None = None) -> Callable[[Callable], Exercise]:
        """Declares the exercise whose check of one case it decorates; a call that lacks the
        extensions of this or an earlier exercise gets a hint with its signature."""
        signatures = [*(e.signature for e in self.exercises.values()), signature]
        hints = {**(hints or {}), **{
            f"{s.split('(')[0]}() got an unexpected keyword argument": KEYWORDS_HINT.format(s)
            for s in signatures if "*" in s}}

        def declare(body: Callable) -> Exercise:
            exercise = Exercise(self.name, signature, cases, body, seed=seed, hints=hints)
            self.exercises[exercise.name] = exercise
            return exercise
        return declare

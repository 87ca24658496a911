"""nbgrader's collect for a shared exchange: a submission filed under another learner's name is
refused, not collected.

nbgrader names each submission `<student>+<assignment>+<time>+<random>` and lets the
submitter choose the student (`nbgrader submit --student NAME`, or a folder written into the
inbound by hand); its own collect only warns when the folder's Unix owner is someone else and
then collects it as NAME's, so a later forged submission replaces NAME's work. `OwnedCollect`
leaves out every submission its owner did not file under their own name, logs each refusal as
an error, and collects each student's latest own submission. The hub's course config
(deploy/jupyterhub/hub.py) sets it: `c.ExchangeFactory.collect = OwnedCollect`. One account
that submits for pretend learners (the README's one-machine flow) keeps nbgrader's collect.
"""

from __future__ import annotations

import os
import pwd

from nbgrader.exchange.default.collect import ExchangeCollect


class OwnedCollect(ExchangeCollect):
    """ExchangeCollect that refuses submissions not owned by the student they name."""

    def _owner(self, record: dict) -> str:
        try:
            path = os.path.join(self.inbound_path, record["filename"])
            return pwd.getpwuid(os.lstat(path).st_uid).pw_name
        except (KeyError, OSError):
            return ""

    def _owned(self, record: dict) -> bool:
        return self._owner(record) == record["username"]

    def _sort_by_timestamp(self, records):
        # called once per student: say so of each refused one; nbgrader's code takes the first
        # of what this returns, so it is the latest submission of their own where there is one
        for record in records:
            if not self._owned(record):
                self.log.error("Refused %s: it is filed under %s but owned by %s, so it is "
                               "not collected", record["filename"], record["username"],
                               self._owner(record) or "an unknown account")
        return super()._sort_by_timestamp([r for r in records if self._owned(r)] or records)

    def copy_files(self):
        self.src_records = [r for r in self.src_records if self._owned(r)]
        super().copy_files()

"""How the suite shares the two test workers (`make test` runs `-n 2 --dist loadfile`).

As with xdist's own loadfile, every test file is one unit run whole on one worker (so its module
fixtures, a notebook run or a lab server, are made once), except that each week's browser pass
in tests/test_browser.py is a unit of its own, so those long passes spread over both workers.
Units go out in collection order (no reordering by size), one at a time to whichever worker is
free: tests/test_browser.py comes first, so the longest units start first and short ones fill
in at the end. (xdist's loadgroup would do this with marks, but it loses its groups on pytest
9.2's node ids, pytest-xdist issue 1386.)
"""

from __future__ import annotations

import pytest

OWN_UNITS = "tests/test_browser.py::test_run_all_then_every_control"  # one unit per week


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByFileBrowserByWeek(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return nodeid if nodeid.startswith(OWN_UNITS) else nodeid.split("::", 1)[0]

    config.option.loadscopereorder = False
    return ByFileBrowserByWeek(config, log)

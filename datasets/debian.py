"""What the dataset builders read about the Debian package their pictures come from."""

from __future__ import annotations

import subprocess


def package_version(package: str) -> str:
    """The installed version of `package` (dpkg-query), or "unknown"."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                             capture_output=True, text=True)
    except OSError:
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 else "unknown"

"""What goes wrong when reading reports, said so that a reader can fix it.

A :class:`ReportError` names the file and says what to do; a
:class:`ReportWarning` tells about something a reader should check in a report
that still loaded (e.g. a file the manifest does not list).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ReportError", "ReportWarning", "shown"]


class ReportError(ValueError):
    """A report or manifest that cannot be read, with the file named and a fix suggested."""


class ReportWarning(UserWarning):
    """Something a reader should know about a report that still loaded (e.g. no manifest row)."""


def shown(path: str | Path) -> str:
    """A path for messages, exactly as the user gave it (a relative path stays relative).

    Example:
        >>> shown(Path("../seeds") / "manifest.csv")
        '../seeds/manifest.csv'
    """
    return Path(path).as_posix()

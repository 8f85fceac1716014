"""Problems found in a user's file, and the one exception that carries them all.

Why: a coordinator fixing a plan wants every problem in one pass, each with the
file, the line and the field path, not a traceback or the first error only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from i18n import _

Loc = tuple[str | int, ...]


def format_loc(loc: Loc) -> str:
    """('roles', 3, 'deputies', 0) -> 'roles[3].deputies[0]'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or _("(top level)")


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem: where it is and what is wrong."""

    loc: Loc
    """Field path inside the document."""
    msg: str
    """What is wrong, in words that say what to fix."""
    line: int | None = None
    """1-based line in the file, where known."""

    @property
    def path(self) -> str:
        """The field path as people write it, e.g. 'roles[3].deputies[0]'."""
        return format_loc(self.loc)

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON output."""
        return {"path": self.path, "line": self.line, "message": self.msg}


class ModelFileError(Exception):
    """A file could not be read into a model; ``issues`` lists every problem found."""

    def __init__(self, path: str | Path, issues: Sequence[Issue]) -> None:
        self.path = str(path)
        self.issues = tuple(issues)
        super().__init__(self.__str__())

    def lines(self) -> list[str]:
        """One line per issue: 'file:line: path: message'."""
        out = []
        for issue in self.issues:
            where = f"{self.path}:{issue.line}" if issue.line else self.path
            field = f"{issue.path}: " if issue.loc else ""
            out.append(f"{where}: {field}{issue.msg}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

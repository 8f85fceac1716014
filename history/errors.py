"""The one exception a history export that cannot be used raises, with every problem named.

Why one exception carrying rows of problems and not the first error: a planner fixing an
ACD export wants to see in one pass what is wrong where (line, column, reason), and how
many rows are affected in all, not a traceback or the first bad row only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from history.records import MAX_SHOWN, RowProblem
from i18n import _, ngettext


class HistoryError(Exception):
    """A history file that cannot be fitted: why, and the problems found in its rows.

    ``problems`` holds the first :data:`history.records.MAX_SHOWN`; ``count`` all of them.
    """

    def __init__(
        self,
        path: str | Path,
        reason: str,
        problems: Sequence[RowProblem] = (),
        count: int | None = None,
    ) -> None:
        self.path = str(path)
        self.reason = reason
        self.problems = tuple(problems)[:MAX_SHOWN]
        self.count = len(tuple(problems)) if count is None else count
        super().__init__(self.__str__())

    def lines(self) -> list[str]:
        """The reason first, then one line a problem: 'file:line: column: reason'."""
        out = [f"{self.path}: {self.reason}"]
        out.extend(problem_line(self.path, p) for p in self.problems)
        hidden = self.count - len(self.problems)
        if hidden > 0:
            out.append(
                ngettext(
                    "... and {n} more problem not shown",
                    "... and {n} more problems not shown",
                    hidden,
                ).format(n=hidden)
            )
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def problem_line(path: str, problem: RowProblem) -> str:
    """One problem as a person reads it: 'file:line: column: reason'."""
    where = f"{path}:{problem.line}" if problem.line else path
    if problem.column:
        return _("{where}: column '{column}': {reason}").format(
            where=where, column=problem.column, reason=problem.reason
        )
    return f"{where}: {problem.reason}"

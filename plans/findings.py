"""A readiness finding: what an analysis found, how serious, and which ids it concerns.

Why a plain record: analyses are pure functions that return findings and never
print, so the CLI, the console and the after-action report can all present the same
findings their own way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One weakness of a plan."""

    code: str
    """Stable machine name of the check, e.g. 'spof.node'."""
    severity: Severity
    """'error' breaks a target or a required arrangement; 'warning' weakens the response."""
    message: str
    """What was found and why it matters, in one or two sentences."""
    ids: tuple[str, ...] = ()
    """Plan ids involved (roles, people, systems, ...), most important first."""
    data: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    """Figures behind the finding (minutes, counts) for reports and charts."""

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON output."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "ids": list(self.ids),
            "data": dict(self.data),
        }


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; stable within each severity."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])

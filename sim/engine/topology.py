"""Which channels work, given what is down and which backups are active.

Why not reuse :func:`plans.spof.service_ok`: that readiness check assumes a
standby can always be brought up; inside a run a standby helps only once someone has
actually activated it. Here a system works when it is up, its site is up and every
system it depends on works, or when its standby has been activated and works.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plans.model import Plan


@dataclass
class Infrastructure:
    """The run's view of systems and sites: what is down, what backup is active."""

    plan: Plan
    down: dict[str, float] = field(default_factory=dict)
    """Failed systems, sites and channels, with the share of capacity lost (1: fully)."""
    active_backups: set[str] = field(default_factory=set)
    """Standby systems and backup sites that have been activated."""

    def __post_init__(self) -> None:
        self._systems = {s.id: s for s in self.plan.systems}
        self._sites = {s.id: s for s in self.plan.sites}

    def works(self, node: str, seen: frozenset[str] = frozenset()) -> bool:
        """Whether a system, site or resource is usable now."""
        if node in seen:
            return False
        seen = seen | {node}
        if node in self._systems:
            system = self._systems[node]
            own = (
                self.down.get(node, 0.0) < 1.0
                and (system.site is None or self._site_up(system.site))
                and all(self.works(d, seen) for d in system.depends_on)
            )
            if own:
                return True
            standby = system.standby
            return (
                standby is not None and standby in self.active_backups and self.works(standby, seen)
            )
        if node in self._sites:
            return self._site_up(node) and all(
                self.works(d, seen) for d in self._sites[node].depends_on
            )
        return self.down.get(node, 0.0) < 1.0  # resources fail only when a scenario says so

    def _site_up(self, site_id: str) -> bool:
        return self.down.get(site_id, 0.0) < 1.0

    def site_working(self, site_id: str) -> bool:
        """A site staff can work at: up, with everything it depends on."""
        return self.works(site_id)

    def channel_up(self, channel_id: str) -> bool:
        """A channel is up when all it depends on works and one of its sites works."""
        channel = next(c for c in self.plan.channels if c.id == channel_id)
        if self.down.get(channel_id, 0.0) >= 1.0:
            return False
        if not all(self.works(d) for d in channel.depends_on):
            return False
        return not channel.sites or any(
            self.site_working(s) or self._backup_site_for(s) for s in channel.sites
        )

    def backup_site_active_for(self, site_id: str) -> bool:
        """Whether the site's backup site has been activated and works."""
        return self._backup_site_for(site_id)

    def _backup_site_for(self, site_id: str) -> bool:
        backup = self._sites[site_id].backup_site
        return backup is not None and backup in self.active_backups and self.site_working(backup)

    def channel_block_share(self, channel_id: str) -> float:
        """Share of arrivals a partial outage turns away (the largest that applies)."""
        channel = next(c for c in self.plan.channels if c.id == channel_id)
        shares = [self.down.get(channel_id, 0.0)] + [
            self.down.get(d, 0.0) for d in channel.depends_on
        ]
        partial = [s for s in shares if s < 1.0]
        return max(partial, default=0.0)

    def handle_factor(self, channel_id: str) -> float:
        """Handle-time multiplier from systems the channel leans on being down."""
        channel = next(c for c in self.plan.channels if c.id == channel_id)
        factor = 1.0
        for d in channel.degraded_by:
            if not self.works(d.system):
                factor = max(factor, d.handle_time_factor)
        return factor

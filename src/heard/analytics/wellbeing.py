"""Who sees an agent's fatigue signals: the agent first, a lead only as the policy allows.

Fatigue signals (:mod:`heard.analytics.fatigue`) are the agent's own. The agent always sees all
of them, with suggestions. A lead always sees the team's counts (withheld below five agents),
and sees an individual's signals only under the team's ``WellbeingPolicy``:

- ``lead_sees = "never"``: team counts only, never an individual.
- ``lead_sees = "after_agent"`` (the default): a signal reaches the lead only once the agent has
  seen it, at least ``grace_days`` [3] days ago by the clock, in a view of about the same period
  (the agent's view was as of no more than ``window_days`` before the lead's), and only when at
  least ``min_signals`` [2] such signals still fire. The agent hears it first and has a few days to
  act on it (a break, a peer session) before anyone else does; a lone signal is often a blip.
- ``lead_sees = "threshold"``: a lead sees an agent's fired signals when at least
  ``min_signals`` fire at once, whether or not the agent has looked yet; for teams that agreed
  that a cluster of signals should prompt a lead's check-in straight away.

There is no ranking anywhere: a lead's list of individuals is in name order and shows only the
signals the policy allows, never a count to sort by. Pure functions: the caller passes the views
and both times (``as_of``: the end of the analysed window; ``clock``: the wall-clock time).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from heard.analytics.fatigue import AgentFatigue, FatigueSettings, TeamFatigue

LeadSees = Literal["never", "after_agent", "threshold"]
LEAD_SEES: tuple[LeadSees, ...] = ("never", "after_agent", "threshold")


@dataclass(frozen=True)
class WellbeingPolicy:
    lead_sees: LeadSees = "after_agent"
    grace_days: float = 3.0
    min_signals: int = 2

    def __post_init__(self) -> None:
        if self.lead_sees not in LEAD_SEES:
            raise ValueError(
                f"lead_sees must be one of {', '.join(LEAD_SEES)}, not {self.lead_sees!r}"
            )
        if self.grace_days < 0:
            raise ValueError(f"grace_days must be >= 0, not {self.grace_days!r}")
        if self.min_signals < 1:
            raise ValueError(f"min_signals must be >= 1, not {self.min_signals!r}")

    def describe(self) -> str:
        if self.lead_sees == "never":
            return "Leads see team counts only, never an individual's signals."
        if self.lead_sees == "threshold":
            return f"Leads see an agent's signals when at least {self.min_signals} fire at once."
        return (
            f"Leads see an agent's signals only after the agent has seen them ({self.grace_days:g} "
            f"days before), and only when at least {self.min_signals} still fire."
        )


@dataclass(frozen=True)
class SeenView:
    """The agent looked at their own signals: when (clock), for which window, what fired."""

    seen_at: datetime
    as_of: datetime
    fired: tuple[str, ...]


@dataclass(frozen=True)
class Visibility:
    signals: tuple[str, ...]  # the fired signals the lead may see (empty: none)
    reason: str


def lead_visibility(
    result: AgentFatigue,
    views: Sequence[SeenView],
    *,
    policy: WellbeingPolicy,
    clock: datetime,
    window_days: int,
) -> Visibility:
    """Which of ``result``'s fired signals a lead may see under ``policy``."""
    fired = result.fired_names
    if not fired:
        return Visibility((), "No signal fired.")
    if policy.lead_sees == "never":
        return Visibility((), "The policy shows leads team counts only.")
    if policy.lead_sees == "threshold":
        if len(fired) >= policy.min_signals:
            return Visibility(fired, f"{len(fired)} signals fire (policy: {policy.min_signals}).")
        return Visibility((), f"Fewer than {policy.min_signals} signals fire.")
    latest_seen = clock - timedelta(days=policy.grace_days)
    oldest_window = result.now - timedelta(days=window_days)
    seen: set[str] = set()
    for view in views:
        if view.seen_at <= latest_seen and view.as_of >= oldest_window:
            seen.update(view.fired)
    shared = tuple(name for name in fired if name in seen)
    if not shared:
        return Visibility((), "The agent has not seen these signals yet, or only just now.")
    if len(shared) < policy.min_signals:
        return Visibility(
            (), f"Only {len(shared)} seen signal(s) still fire (policy: {policy.min_signals})."
        )
    return Visibility(
        shared,
        f"The agent saw these signals at least {policy.grace_days:g} days ago and they still fire.",
    )


@dataclass(frozen=True)
class MySignals:
    agent_id: str
    name: str
    fatigue: AgentFatigue


@dataclass(frozen=True)
class SharedSignals:
    """One agent's signals as a lead may see them: only ``visibility.signals``."""

    agent_id: str
    name: str
    fatigue: AgentFatigue
    visibility: Visibility


@dataclass(frozen=True)
class TeamSignals:
    team: str | None  # None: everyone
    as_of: datetime
    counts: TeamFatigue
    shared: tuple[SharedSignals, ...]  # in name order; only agents the policy shows
    policy: WellbeingPolicy


@dataclass(frozen=True, slots=True)
class WellbeingCounts:
    """What the wellbeing section shows (``heard.services.wellbeing.team_counts``): how many
    agents show each fatigue signal, for everyone and per team; never which agents."""

    as_of: datetime  # the end of the recent window
    overall: TeamFatigue
    teams: Mapping[str, TeamFatigue]
    settings: FatigueSettings

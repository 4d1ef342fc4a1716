"""The wellbeing use cases: an agent's own fatigue signals, and what a lead may see.

- ``my_signals``: one agent's signals (:func:`heard.analytics.fatigue.fatigue_signals`), all of
  them, with suggestions. Showing them records a view (``fatigue_views``): that is what lets the
  ``after_agent`` policy show a signal to a lead only once the agent has seen it.
- ``team_signals``: the team's counts (withheld below ``team_min_agents`` agents), and the
  individual signals the ``WellbeingPolicy`` allows (:mod:`heard.analytics.wellbeing`), in name
  order. A lead's view is never recorded as the agent's.

``as_of`` (the end of the analysed window) defaults to midnight after the last stored reply, so
an export analysed later still has a recent window; ``clock`` (for the policy's grace period) is
the real time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from heard.analytics.fatigue import (
    FatigueSettings,
    TeamFatigue,
    count_signals,
    fatigue_signals,
)
from heard.analytics.fatigue import team_fatigue as count_team
from heard.analytics.rows import ConversationRow, ReplyRow
from heard.analytics.wellbeing import (
    MySignals,
    SeenView,
    SharedSignals,
    TeamSignals,
    WellbeingPolicy,
    lead_visibility,
)
from heard.errors import InputError
from heard.services.rows import scored_rows
from heard.storage.conversations import last_message_time, people
from heard.storage.database import Database
from heard.storage.wellbeing import add_fatigue_view, fatigue_views


def _clock() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def default_as_of(database: Database) -> datetime:
    """Midnight after the last stored agent reply (the data's "now")."""
    with database.session() as session:
        last = last_message_time(session, "agent")
    if last is None:
        raise InputError("no agent replies are stored; run `heard analyze EXPORT` first")
    return datetime.combine(last.date() + timedelta(days=1), time(0))


def _rows(
    database: Database, model_version: str, as_of: datetime, settings: FatigueSettings
) -> tuple[list[ReplyRow], list[ConversationRow]]:
    start = as_of - timedelta(days=settings.window_days + settings.baseline_days)
    return scored_rows(database, model_version, since=start, until=as_of)


def _agents(database: Database) -> list[tuple[str, str, str | None]]:
    with database.session() as session:
        return [(a, name or a, team) for a, name, team in people(session)]


def find_agent(database: Database, name: str) -> tuple[str, str]:
    """(agent id, display name) of the agent called ``name`` (id or name, any case)."""
    key = name.strip().casefold()
    agents = _agents(database)
    hits = sorted(
        {(a, n) for a, n, _ in agents if key in (a.casefold(), n.casefold())},
    )
    if not hits:
        known = ", ".join(sorted({n for _, n, _ in agents})) or "none"
        raise InputError(f"no agent called {name!r}; agents: {known}", field="--agent")
    if len(hits) > 1:
        ids = ", ".join(a for a, _ in hits)
        raise InputError(f"{name!r} names several agents ({ids}); give the id", field="--agent")
    return hits[0]


def my_signals(
    database: Database,
    model_version: str,
    agent: str,
    *,
    settings: FatigueSettings | None = None,
    as_of: datetime | None = None,
    record_view: bool = True,
    clock: datetime | None = None,
) -> MySignals:
    s = settings or FatigueSettings()
    agent_id, name = find_agent(database, agent)
    when = as_of or default_as_of(database)
    replies, conversations = _rows(database, model_version, when, s)
    result = fatigue_signals(replies, conversations, agent_id=agent_id, now=when, settings=s)
    if record_view and result.enough_data:
        with database.session() as session, session.begin():
            add_fatigue_view(
                session,
                agent=agent_id,
                seen_at=clock or _clock(),
                as_of=when,
                fired=list(result.fired_names),
            )
    return MySignals(agent_id, name, result)


def team_signals(
    database: Database,
    model_version: str,
    *,
    team: str | None = None,
    settings: FatigueSettings | None = None,
    policy: WellbeingPolicy | None = None,
    as_of: datetime | None = None,
    clock: datetime | None = None,
) -> TeamSignals:
    s = settings or FatigueSettings()
    rules = policy or WellbeingPolicy()
    agents = _agents(database)
    if team is not None:
        teams = {t for _, _, t in agents if t}
        match = next((t for t in teams if t.casefold() == team.strip().casefold()), None)
        if match is None:
            raise InputError(
                f"no team called {team!r}; teams: {', '.join(sorted(teams)) or 'none'}",
                field="--team",
            )
        team = match
    members = {a: n for a, n, t in agents if team is None or t == team}
    when = as_of or default_as_of(database)
    replies, conversations = _rows(database, model_version, when, s)
    mine = [r for r in replies if r.agent_id in members]
    counts = count_team(mine, conversations, now=when, settings=s)
    views = _views(database, list(members))
    shared: list[SharedSignals] = []
    for agent_id in sorted(members, key=lambda a: (members[a].casefold(), a)):
        if not any(r.agent_id == agent_id for r in mine):
            continue
        result = fatigue_signals(mine, conversations, agent_id=agent_id, now=when, settings=s)
        visibility = lead_visibility(
            result,
            views.get(agent_id, []),
            policy=rules,
            clock=clock or _clock(),
            window_days=s.window_days,
        )
        if visibility.signals:
            shared.append(SharedSignals(agent_id, members[agent_id], result, visibility))
    return TeamSignals(team, when, counts, tuple(shared), rules)


def team_counts(
    database: Database,
    model_version: str,
    *,
    settings: FatigueSettings | None = None,
    as_of: datetime | None = None,
) -> tuple[datetime, TeamFatigue, dict[str, TeamFatigue]]:
    """Counts only, for reports: everyone's, and each team's (withheld below the minimum)."""
    s = settings or FatigueSettings()
    when = as_of or default_as_of(database)
    replies, conversations = _rows(database, model_version, when, s)
    team_of: dict[str, str | None] = {}
    for r in replies:
        team_of.setdefault(r.agent_id, r.team)
    results = {
        agent: fatigue_signals(replies, conversations, agent_id=agent, now=when, settings=s)
        for agent in sorted(team_of)
    }
    teams = {
        team: count_signals([results[a] for a in results if team_of[a] == team], settings=s)
        for team in sorted({t for t in team_of.values() if t})
    }
    return when, count_signals(list(results.values()), settings=s), teams


def _views(database: Database, agents: Sequence[str]) -> dict[str, list[SeenView]]:
    out: dict[str, list[SeenView]] = {}
    with database.session() as session:
        for view in fatigue_views(session, agents):
            out.setdefault(view.agent, []).append(
                SeenView(view.seen_at, view.as_of, tuple(view.fired))
            )
    return out

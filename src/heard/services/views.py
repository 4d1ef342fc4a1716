"""What a signed-in person may read of the help desk, for every front end alike.

Each use case takes the :class:`Viewer` (who is asking, of which database and model version),
applies the access rules of :mod:`heard.services.access` and records the audit row for a read
of other people's data, then returns values. The web API and the pages call these and only
shape the results, so a rule is written once: a new front end cannot forget one.

The rules, in one list (``ForbiddenError`` is 403, ``NotFoundError`` 404):

- an agent reads their own scorecard, conversations, wellbeing signals and practice;
- a lead reads their own team's agents, scorecards, outcomes, wellbeing (as the wellbeing
  policy allows) and practice, and measures the training of their own team's agents only;
  asking for another team is a denial, not a quiet answer about their own;
- an admin reads everything;
- a conversation nobody visible to the caller replied in is "not found", like one that does
  not exist, so that a denial does not tell it exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from heard.analytics.aggregates import Analysis
from heard.analytics.fatigue import FatigueSettings
from heard.analytics.impact import ImpactReport
from heard.analytics.outcomes import OutcomesReport
from heard.analytics.wellbeing import MySignals, TeamSignals, WellbeingPolicy
from heard.errors import ForbiddenError, NotFoundError
from heard.practice.progress import Progress
from heard.services import access, dashboard
from heard.services.access import AgentRef
from heard.services.accounts import Account, audit
from heard.services.dashboard import ConversationBrief
from heard.services.impact import resolve_trained, training_impact
from heard.services.outcomes import outcomes_report
from heard.services.practice import trainee_progress
from heard.services.practice_web import trainee_name
from heard.services.wellbeing import my_signals, team_signals
from heard.storage.database import Database


@dataclass(frozen=True)
class Viewer:
    """Who is asking, and of which help desk: the database and the model version whose scores
    they read."""

    account: Account
    database: Database
    model_version: str

    def audit(self, action: str, subject: str, detail: dict[str, Any] | None = None) -> None:
        audit(self.database, self.account, action, subject, detail)


# --- agents, teams, scorecards ----------------------------------------------------------------


def agents(viewer: Viewer) -> list[AgentRef]:
    """The agents whose data the viewer may read: themselves, their team, or everyone."""
    return access.visible_agents(viewer.database, viewer.account)


def own_agent(viewer: Viewer) -> AgentRef | None:
    """The help-desk agent the viewer is, when they are one."""
    return access.own_agent(viewer.database, viewer.account)


def teams(viewer: Viewer) -> list[str]:
    """Every team's name (leads and admins)."""
    access.require_lead(viewer.account)
    return sorted({a.team for a in access.all_agents(viewer.database) if a.team})


def team_members(viewer: Viewer, team: str) -> list[AgentRef]:
    """The agents of ``team`` (a lead's own team, any team for an admin)."""
    access.require_team(viewer.account, team)
    return [a for a in access.all_agents(viewer.database) if a.team == team]


def chosen_team(viewer: Viewer, team: str | None) -> str | None:
    """The team a lead or admin looks at: a lead's own (naming another is a denial); the named
    team, or the whole help desk (None), for an admin."""
    access.require_lead(viewer.account)
    if viewer.account.role == "lead":
        if team is not None and team != viewer.account.team:
            access.require_team(viewer.account, team)
        return viewer.account.team
    return team


def agent_analysis(viewer: Viewer, agent_id: str) -> tuple[AgentRef, Analysis | None]:
    """An agent the viewer may read, and the analysis of their replies (None: none scored)."""
    agent = access.require_agent(viewer.database, viewer.account, agent_id)
    analysis = dashboard.analysis_for(viewer.database, viewer.model_version, [agent.id])
    viewer.audit("view_scorecard", f"agent:{agent.id}")
    return agent, analysis


def team_analysis(viewer: Viewer, team: str) -> Analysis | None:
    """The analysis of a team's replies (None when none are scored)."""
    members = team_members(viewer, team)
    analysis = dashboard.analysis_for(
        viewer.database, viewer.model_version, [a.id for a in members]
    )
    viewer.audit("view_scorecard", f"team:{team}")
    return analysis


def agent_scorecard(viewer: Viewer, agent_id: str) -> dict[str, Any]:
    _, analysis = agent_analysis(viewer, agent_id)
    if analysis is None or not analysis.agents:
        raise NotFoundError(f"no scored replies for agent {agent_id!r}")
    return dashboard.scorecard(analysis.agents[0], "agent")


def team_scorecard(viewer: Viewer, team: str) -> dict[str, Any]:
    analysis = team_analysis(viewer, team)
    if analysis is None or not analysis.teams:
        raise NotFoundError(f"no scored replies for team {team!r}")
    return dashboard.scorecard(analysis.teams[0], "team")


# --- conversations ----------------------------------------------------------------------------


def conversations(
    viewer: Viewer, *, agent: str | None = None, limit: int = 50, offset: int = 0
) -> list[ConversationBrief]:
    """Conversations the viewer may see, newest first; ``agent`` narrows them to one agent."""
    if agent is not None:
        ids = [access.require_agent(viewer.database, viewer.account, agent).id]
    else:
        ids = [a.id for a in agents(viewer)]
    found = dashboard.conversations_of(
        viewer.database, viewer.model_version, ids, limit=limit, offset=offset
    )
    viewer.audit(
        "list_conversations",
        f"agent:{ids[0]}" if agent is not None else "agents:visible",
        {"count": len(found)},
    )
    return found


def conversation(viewer: Viewer, key: str) -> tuple[ConversationBrief, list[dict[str, Any]]]:
    """One conversation's summary and messages, each reply with its assessment."""
    detail = dashboard.conversation_detail(viewer.database, viewer.model_version, key)
    visible = {a.id for a in agents(viewer)}
    if detail is None or not (detail[2] & visible):
        raise NotFoundError(f"There is no conversation {key!r}, or it is not yours to see.")
    brief, messages, _ = detail
    viewer.audit("view_conversation", f"conversation:{key}")
    return brief, messages


# --- outcomes, impact, wellbeing --------------------------------------------------------------


def outcomes(viewer: Viewer, *, team: str | None = None, repeat_days: int = 7) -> OutcomesReport:
    """Empathy against outcomes: a lead's own team, a named team or everyone for an admin."""
    chosen = chosen_team(viewer, team)
    report = outcomes_report(
        viewer.database, viewer.model_version, repeat_days=repeat_days, team=chosen
    )
    viewer.audit("view_outcomes", f"team:{chosen or '*'}")
    return report


def impact(
    viewer: Viewer,
    *,
    trained: Sequence[str],
    since: datetime,
    until: datetime | None = None,
    repeat_days: int = 7,
) -> ImpactReport:
    """Training impact; a lead may name only their own team's agents (or their team)."""
    access.require_lead(viewer.account)
    people = resolve_trained(viewer.database, trained)
    if viewer.account.role != "admin" and not set(people) <= {a.id for a in agents(viewer)}:
        raise ForbiddenError("a lead may measure training of their own team only")
    report = training_impact(
        viewer.database,
        viewer.model_version,
        trained=list(trained),
        since=since,
        until=until,
        repeat_days=repeat_days,
    )
    viewer.audit("view_impact", "agents:" + ",".join(sorted(people)))
    return report


def my_wellbeing(viewer: Viewer, settings: FatigueSettings) -> MySignals:
    """The viewer's own fatigue signals, all of them; reading them records that they have seen
    them (which is what lets the policy show them to a lead later)."""
    agent = own_agent(viewer)
    if agent is None:
        raise NotFoundError("your account is not linked to a help-desk agent")
    return my_signals(viewer.database, viewer.model_version, agent.id, settings=settings)


def team_wellbeing(
    viewer: Viewer,
    *,
    team: str | None = None,
    settings: FatigueSettings,
    policy: WellbeingPolicy,
) -> TeamSignals:
    """A team's counts per signal, and each agent's signals only as ``policy`` allows."""
    chosen = chosen_team(viewer, team)
    shared = team_signals(
        viewer.database, viewer.model_version, team=chosen, settings=settings, policy=policy
    )
    viewer.audit(
        "view_wellbeing", f"team:{chosen or '*'}", {"shared": [s.agent_id for s in shared.shared]}
    )
    return shared


# --- practice ---------------------------------------------------------------------------------


def progress(viewer: Viewer, trainee: str | None = None) -> Progress:
    """Practice progress per skill: the viewer's own by default; a lead may name an agent of
    their team, an admin anyone."""
    mine = trainee_name(viewer.account)
    name = trainee or mine
    allowed = access.trainee_names(viewer.database, viewer.account)
    if allowed is not None and name.casefold() not in allowed:
        raise ForbiddenError(f"not allowed to read {name!r}'s practice")
    if name != mine:
        viewer.audit("view_practice", f"trainee:{name}")
    return trainee_progress(viewer.database, name)

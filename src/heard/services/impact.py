"""The training-impact use case: did the trained agents change, against everyone else?

``--trained`` names agents (by id or name) or teams; the comparison group is every other agent
with scored conversations. ``until`` ends the after period (to keep a later change, such as a
new product or a second training, out of it); the before period is everything before ``since``.
Each metric (the empathy score, each of the seven skills, each outcome) gets a
difference-in-differences over conversations (:func:`heard.analytics.impact.did`), credited to
the conversation's main agent.

Practice data joins in: role-play sessions and drill attempts whose trainee name is one of the
trained agents (their id or their name, in any case). For each skill, the trained agents' share
in their first and their latest role-play sits beside the live estimate for that skill: did the
skills trained in role-play move in live conversations?
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from statistics import fmean

from heard.analytics.impact import ImpactEstimate, ImpactReport, SkillPractice, did
from heard.analytics.outcomes import OUTCOMES
from heard.assessment.skills import SKILL_NAMES
from heard.errors import InputError
from heard.services.outcomes import load_outcome_rows
from heard.storage import practice as stored_practice
from heard.storage.conversations import people as stored_people
from heard.storage.database import Database

EMPATHY = "empathy"
METRICS: tuple[str, ...] = (EMPATHY, *SKILL_NAMES, *OUTCOMES)


def resolve_trained(database: Database, wanted: Sequence[str]) -> dict[str, str]:
    """Agent id → display name for every agent or team named in ``wanted`` (case-insensitive)."""
    names = [w.strip() for item in wanted for w in item.split(",") if w.strip()]
    if not names:
        raise InputError("name at least one agent or team", field="--trained")
    with database.session() as session:
        agents = stored_people(session)
    found: dict[str, str] = {}
    missing: list[str] = []
    for name in names:
        key = name.casefold()
        hits = [
            (agent_id, label or agent_id)
            for agent_id, label, team in agents
            if key in (agent_id.casefold(), (label or "").casefold(), (team or "").casefold())
        ]
        if not hits:
            missing.append(name)
        found.update(hits)
    if missing:
        teams = sorted({team for _, _, team in agents if team})
        people = sorted({label or agent_id for agent_id, label, _ in agents})
        raise InputError(
            f"no agent or team called {', '.join(map(repr, missing))}; teams: "
            f"{', '.join(teams) or 'none'}; agents: {', '.join(people) or 'none'}",
            field="--trained",
        )
    return found


def training_impact(
    database: Database,
    model_version: str,
    *,
    trained: Sequence[str],
    since: datetime,
    until: datetime | None = None,
    metrics: Sequence[str] = METRICS,
    repeat_days: int = 7,
    n_boot: int = 2000,
    seed: int = 0,
) -> ImpactReport:
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise InputError(
            f"unknown metric(s) {', '.join(unknown)}; choose from {', '.join(METRICS)}",
            field="--metric",
        )
    people = resolve_trained(database, trained)
    if until is not None and until <= since:
        raise InputError("must be after --since", field="--until")
    rows, _, _ = load_outcome_rows(database, model_version, until=until, repeat_days=repeat_days)
    estimates = tuple(
        did(rows, trained=set(people), since=since, metric=m, n_boot=n_boot, seed=seed)
        for m in metrics
    )
    with_data = {r.agent_id for r in rows if r.agent_id is not None}
    by_metric = {e.metric: e for e in estimates}
    practice, drills = _practice(database, people, by_metric)
    return ImpactReport(
        since=since,
        until=until,
        trained=tuple(sorted((a, n) for a, n in people.items() if a in with_data)),
        comparison=len(with_data - set(people)),
        estimates=estimates,
        practice=practice,
        drills=drills,
    )


def _practice(
    database: Database, people: dict[str, str], by_metric: dict[str, ImpactEstimate]
) -> tuple[tuple[SkillPractice, ...], int]:
    aliases = {key.casefold(): agent for agent, name in people.items() for key in (agent, name)}
    sessions: dict[str, list[dict[str, float]]] = defaultdict(list)
    with database.session() as session:
        for row in stored_practice.sessions(session):
            agent = aliases.get(row.trainee.casefold())
            if agent is not None:
                sessions[agent].append({k: float(v) for k, v in row.skills.items()})
        drills = sum(
            1
            for trainee in stored_practice.drill_trainees(session)
            if trainee.casefold() in aliases
        )
    if not sessions:
        return (), drills
    out: list[SkillPractice] = []
    for skill in SKILL_NAMES:
        live = by_metric.get(skill)
        if live is None:
            continue
        firsts = [s[0][skill] for s in sessions.values() if skill in s[0]]
        latests = [s[-1][skill] for s in sessions.values() if len(s) > 1 and skill in s[-1]]
        out.append(
            SkillPractice(
                skill=skill,
                sessions=sum(len(s) for s in sessions.values()),
                trainees=len(sessions),
                first=fmean(firsts) if firsts else None,
                latest=fmean(latests) if latests else None,
                live=live,
            )
        )
    return tuple(out), drills

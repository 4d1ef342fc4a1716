"""The outcome, impact and wellbeing results as JSON-ready documents (``heard ... --json``).

The documents mirror the result values field by field (so the names match the docs of
:mod:`heard.analytics.outcomes`, :mod:`heard.analytics.impact` and
:mod:`heard.analytics.fatigue`): datetimes as ISO 8601, floats rounded to 4 places, unknown as
``null``. A lead's wellbeing document holds only what the policy lets a lead see.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from heard.analytics.fatigue import AgentFatigue
from heard.analytics.impact import ImpactReport
from heard.analytics.outcomes import OutcomesReport
from heard.analytics.wellbeing import MySignals, TeamSignals


def plain(value: Any) -> Any:
    """Dataclasses, mappings, sequences, datetimes and floats as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4) if math.isfinite(value) else None
    if isinstance(value, frozenset | set):
        return sorted(plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def outcomes_json(report: OutcomesReport) -> dict[str, Any]:
    document: dict[str, Any] = plain(report)
    return document


def impact_json(report: ImpactReport) -> dict[str, Any]:
    document: dict[str, Any] = plain(report)
    document["trained"] = [{"id": a, "name": n} for a, n in report.trained]
    for skill in document["practice"]:
        skill["live"] = skill["live"]["estimate"]  # the full estimate is in "estimates"
    return document


def fatigue_json(result: AgentFatigue, *, only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """One agent's signals; with ``only``, just those signals (what a lead may see)."""
    document: dict[str, Any] = plain(result)
    signals = [s for s in result.signals if only is None or s.name in only]
    document["signals"] = [{**plain(s), "details": dict(plain(s.details))} for s in signals]
    document["fired_names"] = [name for name in result.fired_names if only is None or name in only]
    if only is not None:  # no count to sort people by, no summary of the hidden signals
        document.pop("fired")
        document.pop("reason")
    return document


def my_signals_json(mine: MySignals) -> dict[str, Any]:
    return {"agent_id": mine.agent_id, "name": mine.name, **fatigue_json(mine.fatigue)}


def team_signals_json(team: TeamSignals) -> dict[str, Any]:
    return {
        "team": team.team,
        "as_of": team.as_of.isoformat(),
        "policy": {**plain(team.policy), "description": team.policy.describe()},
        "counts": plain(team.counts),
        "shared": [
            {
                "agent_id": s.agent_id,
                "name": s.name,
                "why": s.visibility.reason,
                **fatigue_json(s.fatigue, only=s.visibility.signals),
            }
            for s in team.shared
        ],
    }

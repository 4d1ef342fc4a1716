"""The report's tables as data: ``to_json(analysis)`` and ``write_csv(analysis, directory)``.

The same tables, with the same numbers, as the HTML report: one row per agent, team and period
(and team in a period), the rate of every finding code per group, the conversation outcomes per
group, the score distribution and the commonest gaps. Rates are shares in [0, 1]; every interval
is at the analysis' confidence; a missing value is ``null`` in JSON and an empty cell in CSV,
never 0. Floats are rounded to 4 decimals.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from heard.analytics.aggregates import Analysis, Group
from heard.analytics.conversations import UNKNOWN
from heard.analytics.stats import Mean, Rate
from heard.analytics.trajectory import TRAJECTORIES
from heard.results import MECHANISMS

Row = dict[str, Any]
CSV_TABLES = ("agents", "teams", "periods", "findings", "conversations")


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _mean(prefix: str, mean: Mean) -> Row:
    return {
        f"{prefix}_n": mean.n,
        f"{prefix}_mean": _round(mean.mean),
        f"{prefix}_low": _round(mean.low),
        f"{prefix}_high": _round(mean.high),
    }


def _rate(prefix: str, rate: Rate) -> Row:
    return {
        f"{prefix}_k": rate.k,
        f"{prefix}_n": rate.n,
        f"{prefix}_rate": _round(rate.rate),
        f"{prefix}_low": _round(rate.low),
        f"{prefix}_high": _round(rate.high),
    }


def _group_row(group: Group) -> Row:
    replies = group.replies
    row: Row = {"replies": replies.n, "small_sample": group.small}
    row |= _mean("score", replies.score)
    row |= _mean("first_reply_score", replies.first_reply)
    for mechanism in replies.mechanisms:
        row |= _rate(mechanism.name, mechanism.shown)
        row[f"{mechanism.name}_strong_rate"] = _round(mechanism.strong.rate)
    strength, gap = replies.top("strength"), replies.top("gap", "anti_pattern")
    row["top_strength"] = strength.code if strength else None
    row["top_strength_rate"] = _round(strength.rate.rate) if strength else None
    row["top_gap"] = gap.code if gap else None
    row["top_gap_kind"] = gap.kind if gap else None
    row["top_gap_rate"] = _round(gap.rate.rate) if gap else None
    row |= _rate("scripted", replies.scripted)
    row["conversations"] = group.conversations.n
    row |= _rate("calmed", group.conversations.calmed)
    row["escalated_rate"] = _round(group.conversations.escalated.rate)
    trend = group.trend
    row["trend"] = trend.direction if trend else None
    row["trend_slope"] = _round(trend.slope) if trend else None
    row["trend_p"] = _round(trend.p_value) if trend else None
    row["trend_periods"] = trend.periods if trend else None
    return row


def agent_rows(analysis: Analysis) -> list[Row]:
    return [
        {"agent_id": g.key, "agent": g.label, "team": g.team} | _group_row(g)
        for g in analysis.agents
    ]


def team_rows(analysis: Analysis) -> list[Row]:
    return [{"team": g.key} | _group_row(g) for g in analysis.teams]


def period_rows(analysis: Analysis) -> list[Row]:
    """Every period for all teams together (``team`` empty), then every team's periods."""
    rows = []
    for g in (*analysis.periods, *analysis.team_periods):
        assert g.period is not None  # periods always have one
        rows.append(
            {
                "team": g.team,
                "period": g.period.key,
                "period_start": g.period.start.isoformat(),
                "period_end": g.period.end.isoformat(),
            }
            | _group_row(g)
        )
    return rows


def _groups(analysis: Analysis) -> Iterable[Group]:
    yield analysis.overall
    yield from analysis.teams
    yield from analysis.agents
    yield from analysis.periods
    yield from analysis.team_periods


def _identity(group: Group) -> Row:
    return {"group_kind": group.kind, "group": group.key, "label": group.label}


def finding_rows(analysis: Analysis) -> list[Row]:
    """The share of replies with each finding code, for every group."""
    return [
        _identity(g)
        | {"code": f.code, "kind": f.kind}
        | _rate("replies", f.rate)
        | {"small_sample": f.rate.small}
        for g in _groups(analysis)
        for f in g.replies.findings
    ]


def conversation_rows(analysis: Analysis) -> list[Row]:
    """How conversations went, for every group."""
    rows = []
    for g in _groups(analysis):
        c = g.conversations
        row = _identity(g) | {"conversations": c.n, "distressed": c.distressed}
        row |= _rate("calmed", c.calmed) | _rate("escalated", c.escalated)
        row |= {f"trajectory_{name}": c.trajectories[name] for name in (*TRAJECTORIES, UNKNOWN)}
        row |= _rate("resolved", c.resolved) | _mean("csat", c.csat)
        rows.append(row)
    return rows


def distribution_rows(analysis: Analysis) -> list[Row]:
    counts = analysis.overall.replies.histogram
    return [
        {"from": 10 * i, "to": 100 if i == len(counts) - 1 else 10 * i + 9, "replies": count}
        for i, count in enumerate(counts)
    ]


def common_finding_rows(analysis: Analysis) -> list[Row]:
    rows = []
    for f in analysis.common_findings:
        example = None
        if f.example is not None:
            e = f.example
            example = {
                "conversation_id": e.conversation_id,
                "message_id": e.message_id,
                "agent_id": e.agent_id,
                "score": e.score,
                "reply": e.reply,
                "evidence": [
                    {"source": h.source, "start": h.start, "end": h.end, "text": h.text}
                    for h in e.highlights
                ],
            }
        rows.append(
            {"code": f.code, "kind": f.kind}
            | _rate("replies", f.rate)
            | {"agents": f.agents, "example": example}
        )
    return rows


def to_json(analysis: Analysis) -> dict[str, Any]:
    """Every table of the report as JSON-serialisable data."""
    return {
        "meta": {
            "period": analysis.unit,
            "confidence": analysis.confidence,
            "min_n": analysis.min_n,
            "distressed_threshold": analysis.distressed,
            "scripted_threshold": analysis.scripted_threshold,
            "first_reply_at": analysis.first_at.isoformat() if analysis.first_at else None,
            "last_reply_at": analysis.last_at.isoformat() if analysis.last_at else None,
            "undated_replies": analysis.undated,
            "mechanisms": list(MECHANISMS),
        },
        "overall": _identity(analysis.overall) | _group_row(analysis.overall),
        "agents": agent_rows(analysis),
        "teams": team_rows(analysis),
        "periods": period_rows(analysis),
        "findings": finding_rows(analysis),
        "conversations": conversation_rows(analysis),
        "distribution": distribution_rows(analysis),
        "common_findings": common_finding_rows(analysis),
    }


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write(path: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    columns: dict[str, None] = {}
    for row in rows:
        columns |= dict.fromkeys(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _cell(value) for key, value in row.items()})


def write_csv(analysis: Analysis, directory: str | Path) -> list[Path]:
    """``agents.csv``, ``teams.csv``, ``periods.csv``, ``findings.csv`` and
    ``conversations.csv`` in ``directory`` (created if needed); returns their paths."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "agents": agent_rows(analysis),
        "teams": team_rows(analysis),
        "periods": period_rows(analysis),
        "findings": finding_rows(analysis),
        "conversations": conversation_rows(analysis),
    }
    paths = []
    for name in CSV_TABLES:
        path = folder / f"{name}.csv"
        _write(path, tables[name])
        paths.append(path)
    return paths

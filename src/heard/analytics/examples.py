"""Example replies with their evidence, ready to show with the quoted words highlighted.

An example carries the reply, the customer's words it answered, and every finding's evidence as
``Highlight`` spans (kind strength, gap or anti-pattern) whose offsets index the reply or the
context. A span whose offsets do not match its text is dropped, never shown at the wrong place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from heard.analytics.rows import ReplyRow
from heard.results import Finding

STRENGTH, GAP, ANTI_PATTERN = "strength", "gap", "anti_pattern"
KINDS: tuple[str, ...] = (STRENGTH, GAP, ANTI_PATTERN)


@dataclass(frozen=True, slots=True)
class Highlight:
    """A quoted piece of the reply or the context that a finding rests on."""

    source: str  # "reply" or "context"
    start: int
    end: int
    text: str
    kind: str
    code: str
    message: str


@dataclass(frozen=True)
class ReplyExample:
    """One reply, what it answered, its score and its findings' evidence."""

    conversation_id: str
    message_id: str
    agent_id: str
    agent_name: str | None
    team: str | None
    timestamp: datetime | None
    score: int
    reply: str
    context: str
    findings: tuple[tuple[str, str, str], ...]  # (code, kind, message) in the assessment's order
    highlights: tuple[Highlight, ...]

    def highlights_in(self, source: str) -> tuple[Highlight, ...]:
        return tuple(h for h in self.highlights if h.source == source)

    def codes(self, kind: str) -> tuple[str, ...]:
        return tuple(code for code, k, _ in self.findings if k == kind)


def spans(texts: Mapping[str, str], finding: Finding) -> Iterable[Highlight]:
    """A finding's evidence in ``texts`` (source → text), dropping spans that do not match."""
    for span in finding.evidence:
        source, start, end = str(span.source), span.start, span.end
        text = texts.get(source)
        if text is not None and 0 <= start < end <= len(text) and text[start:end] == span.text:
            yield Highlight(
                source, start, end, span.text, str(finding.kind), finding.code, finding.message
            )


def example_of(row: ReplyRow, *, only: str | None = None) -> ReplyExample:
    """``row`` as an example; with ``only``, just that finding code's evidence is highlighted."""
    findings = row.assessment.findings
    highlights = tuple(
        highlight
        for finding in findings
        if only is None or finding.code == only
        for highlight in spans({"reply": row.reply, "context": row.context}, finding)
    )
    return ReplyExample(
        conversation_id=row.conversation_id,
        message_id=row.message_id,
        agent_id=row.agent_id,
        agent_name=row.agent_name,
        team=row.team,
        timestamp=row.timestamp,
        score=row.score,
        reply=row.reply,
        context=row.context,
        findings=tuple((f.code, str(f.kind), f.message) for f in findings),
        highlights=highlights,
    )


def _order(row: ReplyRow) -> tuple[str, str, str]:
    """A stable tie-break: the earliest reply first (undated last), then by id."""
    moment = row.timestamp.isoformat() if row.timestamp is not None else "~"
    return moment, row.conversation_id, row.message_id


def best_and_weakest(rows: Sequence[ReplyRow]) -> tuple[ReplyExample | None, ReplyExample | None]:
    """The highest- and lowest-scoring replies (the earliest of equals); None when no rows.

    The weakest is None when it would be the best one again (a single reply, or all equal).
    """
    if not rows:
        return None, None
    ordered = sorted(rows, key=_order)
    best = max(ordered, key=lambda row: row.score)  # max/min keep the first of equals
    weakest = min(ordered, key=lambda row: row.score)
    if weakest.score == best.score:
        return example_of(best), None
    return example_of(best), example_of(weakest)


def pick_examples(rows: Sequence[ReplyRow], codes: Sequence[str]) -> dict[str, ReplyExample | None]:
    """An example reply for each code: the lowest-scoring reply with that finding whose evidence
    could be placed. So that the examples vary, a reply already shown for an earlier code is
    avoided, and so is an agent already shown, when another reply has the finding."""
    used_replies: set[tuple[str, str]] = set()
    used_agents: set[str] = set()
    chosen: dict[str, ReplyExample | None] = {}
    ordered = sorted(rows, key=lambda row: (row.score, *_order(row)))
    for code in codes:
        # preference: 0 fresh reply by a fresh agent, 1 fresh reply, 2 placed evidence, 3 any
        best: list[ReplyExample | None] = [None, None, None, None]
        for row in ordered:
            if code not in row.finding_codes:
                continue
            example = example_of(row, only=code)
            fresh = (row.conversation_id, row.message_id) not in used_replies
            ranks = [3]
            if example.highlights:
                ranks.append(2)
                if fresh:
                    ranks.append(1)
                    if row.agent_id not in used_agents:
                        ranks.append(0)
            for rank in ranks:
                best[rank] = best[rank] or example
            if best[0] is not None:
                break
        pick = next((example for example in best if example is not None), None)
        if pick is not None:
            used_replies.add((pick.conversation_id, pick.message_id))
            used_agents.add(pick.agent_id)
        chosen[code] = pick
    return chosen

"""Aggregates on small hand-built corpora whose expected figures are computed here, by hand."""

from __future__ import annotations

import math
import random
import string
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from heard.analytics.aggregates import NO_TEAM, analyse
from heard.analytics.examples import best_and_weakest, example_of
from heard.analytics.rows import ConversationRow, ReplyRow
from heard.analytics.scripted import masked_tokens, scripted_flags
from heard.analytics.stats import histogram, mean_ci, wilson
from heard.analytics.trends import period_of, score_trend
from support.documents import assessment_document

T_975_DF4 = 2.7764451051977987  # Student's t, 97.5th percentile, 4 degrees of freedom (tables)
Z_975 = 1.959963984540054  # standard normal, 97.5th percentile
MONDAY = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # ISO week 2026-W41

_counter = iter(range(1, 1_000_000))


def finding(code: str, kind: str, *spans: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "kind": kind, "message": f"about {code}", "evidence": list(spans)}


def span(text: str, part: str, source: str = "reply") -> dict[str, Any]:
    start = text.index(part)
    return {"source": source, "start": start, "end": start + len(part), "text": part}


def row(
    agent: str,
    score: int,
    *,
    team: str | None = "Billing",
    at: datetime | None = MONDAY,
    levels: Sequence[int] = (0, 0, 0),
    findings: Sequence[dict[str, Any]] = (),
    reply: str | None = None,
    context: str = "My card was charged twice.",
    first: bool = False,
    conversation: str | None = None,
) -> ReplyRow:
    number = next(_counter)
    return ReplyRow(
        conversation_id=conversation or f"t:c{number}",
        message_id=f"m{number}",
        agent_id=agent,
        agent_name=agent.title(),
        team=team,
        timestamp=at,
        channel="chat",
        reply=reply if reply is not None else f"Reply number {number} about case {number}.",
        context=context,
        document=assessment_document(score, findings=findings, levels=levels),
        first_reply=first,
    )


def talk(
    agent: str | None,
    trajectory: str | None,
    *,
    start: tuple[str, float] | None = ("frustrated", 0.8),
    team: str | None = "Billing",
    resolved: bool | None = None,
    csat: float | None = None,
    at: datetime | None = MONDAY,
) -> ConversationRow:
    number = next(_counter)
    return ConversationRow(
        conversation_id=f"t:c{number}",
        agent_id=agent,
        team=team,
        channel="chat",
        started_at=at,
        customer_turns=2,
        agent_turns=1,
        start_emotion=start[0] if start else None,
        start_intensity=start[1] if start else None,
        peak_emotion=None,
        peak_intensity=None,
        end_emotion=None,
        end_intensity=None,
        trajectory=trajectory,
        first_reply_score=None,
        resolved=resolved,
        csat=csat,
    )


def by_key(groups: Sequence[Any]) -> dict[str, Any]:
    return {g.key: g for g in groups}


# --- statistics --------------------------------------------------------------------------------


def test_mean_ci_is_the_t_interval() -> None:
    scores = [40, 50, 60, 70, 80]
    mean = sum(scores) / 5
    sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / 4)
    half = T_975_DF4 * sd / math.sqrt(5)
    result = mean_ci(scores, confidence=0.95, min_n=5)
    assert result.mean == pytest.approx(60)
    assert result.low == pytest.approx(mean - half, abs=1e-9)
    assert result.high == pytest.approx(mean + half, abs=1e-9)
    assert not result.small
    assert mean_ci(scores, min_n=6).small


def test_mean_ci_clips_to_the_scale_and_handles_tiny_samples() -> None:
    clipped = mean_ci([95, 100, 100, 60], scale=(0, 100))
    assert clipped.high == 100
    assert clipped.low is not None and clipped.low < 95
    assert mean_ci([]) == mean_ci([], confidence=0.9)
    assert mean_ci([]).mean is None and mean_ci([]).low is None
    one = mean_ci([42])
    assert (one.n, one.mean, one.low, one.high) == (1, 42, None, None)


def wilson_by_hand(k: int, n: int, z: float = Z_975) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


@pytest.mark.parametrize(("k", "n"), [(3, 5), (0, 7), (7, 7), (12, 40)])
def test_wilson_interval_matches_the_formula(k: int, n: int) -> None:
    low, high = wilson_by_hand(k, n)
    rate = wilson(k, n, confidence=0.95, min_n=30)
    assert rate.rate == pytest.approx(k / n)
    assert rate.low == pytest.approx(low, abs=1e-9)
    assert rate.high == pytest.approx(high, abs=1e-9)
    assert rate.small is (n < 30)


def test_wilson_of_nothing_is_missing_not_zero() -> None:
    empty = wilson(0, 0)
    assert (empty.rate, empty.low, empty.high) == (None, None, None)
    with pytest.raises(ValueError, match="0 <= k <= n"):
        wilson(3, 2)


def test_histogram_bins_of_ten_with_100_in_the_last() -> None:
    assert histogram([0, 9, 10, 55, 99, 100]) == (2, 1, 0, 0, 0, 1, 0, 0, 0, 2)


# --- periods and trends -----------------------------------------------------------------------


def test_periods_are_iso_weeks_months_and_days() -> None:
    sunday = datetime(2026, 10, 11, 23, 59)
    week = period_of(sunday, "week")
    assert week.start == date(2026, 10, 5) and week.key == "2026-W41" and week.end.day == 11
    assert period_of(sunday, "month").key == "2026-10"
    assert period_of(sunday, "month").end == date(2026, 10, 31)
    assert period_of(datetime(2026, 12, 3), "month").end == date(2026, 12, 31)
    assert period_of(sunday, "day").key == "2026-10-11"
    assert period_of(sunday + timedelta(days=1), "week").index == week.index + 1
    assert period_of(datetime(2027, 1, 4), "month").index == period_of(sunday, "month").index + 3


def test_trend_finds_a_planted_rising_series() -> None:
    noise = [-3, 0, 3]
    points = [(week, 40 + 10 * week + e) for week in range(5) for e in noise]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)
    trend = score_trend(points, confidence=0.95)
    assert trend.direction == "improving"
    assert trend.slope == pytest.approx(slope) == pytest.approx(10)
    assert trend.p_value is not None and trend.p_value < 0.001
    assert trend.periods == 5 and trend.n == 15


def test_trend_declining_steady_and_not_enough_data() -> None:
    falling = [(w, 90 - 8 * w + e) for w in range(4) for e in (-2, 2)]
    assert score_trend(falling, confidence=0.95).direction == "declining"
    wobbly = [(w, s) for w, s in enumerate([60, 40, 70, 45, 62, 50])]
    assert score_trend(wobbly, confidence=0.95).direction == "steady"
    flat = [(w, 50) for w in range(4)]
    assert score_trend(flat, confidence=0.95).direction == "steady"
    two = [(0, 10), (0, 20), (1, 90), (1, 95)]
    short = score_trend(two, confidence=0.95)
    assert short.direction == "not enough data" and short.slope is None


# --- scripted replies -------------------------------------------------------------------------

TEMPLATE = (
    "Hi {name}, thank you for contacting us about order {order}. We apologise for any "
    "inconvenience this may have caused. Our team will review your request and reply to "
    "{email} within {days} working days. Thank you for your patience."
)
VARIED = [
    "I've refunded the £34.99 charge now, so it should be back on your card by Friday.",
    "That sounds really stressful with the party on Saturday; I've sent a replacement today.",
    "Could you tell me which page shows the error? I'd like to see exactly what you see.",
    "Your router needs a firmware update; I've pushed it remotely and it will restart at 2am.",
    "I'm so sorry about your father. I've closed the account and cancelled the direct debit.",
]


def test_masking_hides_names_numbers_and_placeholders() -> None:
    tokens = masked_tokens(
        "Hi Dana, order 48213 (£34.99) is on its way to [EMAIL]. Kind regards, Priya",
        "Where is my order? Dana",
    )
    assert tokens[:2] == ["hi", "#name"]
    assert "48213" not in tokens and tokens.count("#num") == 2
    assert "#pii" in tokens and "dana" not in tokens
    assert "priya" in tokens  # the agent's own name is not the customer's


def test_scripted_share_on_planted_templates() -> None:
    template_rows = [
        row(
            "tom",
            30,
            reply=TEMPLATE.format(name=name, order=order, email="[EMAIL]", days=days),
            context=f"Where is my order? {name}",
        )
        for name, order, days in [("Dana", 48213, 3), ("Ali", 1177, 5), ("Kim", 99, 2)]
    ]
    template_rows.append(  # the template with a personal clause added is still the template
        row(
            "tom",
            30,
            reply=TEMPLATE.format(name="Jo", order=5, email="[EMAIL]", days=4)
            + " I know this is the second time you have asked.",
        )
    )
    varied_rows = [row("tom", 60, reply=text) for text in VARIED[:3]]
    short = [row("tom", 70, reply="Thanks!"), row("tom", 70, reply="Thanks!")]
    others = [row("maya", 80, reply=text) for text in VARIED]
    # the same template once by another agent: not scripted (near-duplicates of their own only)
    others.append(row("maya", 40, reply=TEMPLATE.format(name="X", order=1, email="a", days=1)))
    rows = template_rows + varied_rows + short + others
    result = analyse(rows, period="week", min_n=1)
    agents = by_key(result.agents)
    assert agents["tom"].replies.scripted.k == 4
    assert agents["tom"].replies.scripted.n == 9
    assert agents["tom"].replies.scripted.rate == pytest.approx(4 / 9)
    assert agents["maya"].replies.scripted.k == 0
    assert result.overall.replies.scripted.k == 4


def test_scripted_flags_order_and_threshold() -> None:
    replies = [
        (TEMPLATE.format(name=n, order=i, email="[EMAIL]", days=i), "")
        for i, n in enumerate(["Dana", "Ali"])
    ]
    replies.insert(1, (VARIED[0], ""))
    assert scripted_flags(replies) == [True, False, True]
    with pytest.raises(ValueError, match="threshold"):
        scripted_flags(replies, threshold=0)


def test_scripted_detection_scales_without_pairwise_loops() -> None:
    # 3,300 replies: comparing every pair in Python would take far longer than this test does
    rnd = random.Random(0)
    vocabulary = ["".join(rnd.choices(string.ascii_lowercase, k=6)) for _ in range(400)]
    replies = [(" ".join(rnd.choices(vocabulary, k=20)), "") for _ in range(3000)]
    replies += [
        (TEMPLATE.format(name="Sam", order=i, email="[EMAIL]", days=2), "") for i in range(300)
    ]
    flags = scripted_flags(replies)
    assert sum(flags[3000:]) == 300
    assert sum(flags[:3000]) == 0


# --- aggregates --------------------------------------------------------------------------------


def corpus() -> tuple[list[ReplyRow], list[ConversationRow]]:
    acknowledges = "I can see how worrying this is."
    text = f"{acknowledges} I've refunded it today."
    strength = finding("acknowledges_feeling", "strength", span(text, acknowledges))
    gap = finding("no_timeline", "gap", span("It was charged twice!", "charged twice", "context"))
    blame = finding(
        "blames_customer", "anti_pattern", span("You should have checked.", "You should have")
    )
    replies = [
        row("maya", 40, levels=(2, 1, 0), findings=[strength], reply=text, first=True),
        row(
            "maya", 50, levels=(1, 0, 0), findings=[strength, gap], context="It was charged twice!"
        ),
        row(
            "maya",
            60,
            levels=(0, 0, 1),
            findings=[gap],
            context="It was charged twice!",
            first=True,
        ),
        row("maya", 70, levels=(2, 2, 0), findings=[strength]),
        row("maya", 80, levels=(0, 1, 2), findings=[]),
        row(
            "tom",
            10,
            levels=(0, 0, 0),
            findings=[blame],
            reply="You should have checked.",
            first=True,
        ),
        row("tom", 30, levels=(1, 0, 0), findings=[blame, gap], context="It was charged twice!"),
        row("jo", 90, team="Tech", levels=(2, 2, 2), findings=[strength], reply=text, first=True),
        row("jo", 55, team=None, at=None),
    ]
    talks = [
        talk("maya", "de-escalated", resolved=True, csat=1.0),
        talk("maya", "recovered", resolved=False, csat=0.5),
        talk("maya", "escalated", resolved=None, csat=None),
        talk("maya", "steady", start=("anxious", 0.3), resolved=True),  # not distressed
        talk("maya", "escalated", start=("satisfied", 0.9)),  # calm start, escalated
        talk("maya", None, start=None),  # no customer turn
        talk("tom", "de-escalated", start=("confused", 0.5)),
        talk("tom", "steady", start=("frustrated", 0.49)),
        talk("jo", "steady", team="Tech", start=("neutral", 0.2), csat=None),
    ]
    return replies, talks


def test_agent_means_and_intervals_by_hand() -> None:
    replies, talks = corpus()
    result = analyse(replies, talks, period="week", min_n=5)
    maya = by_key(result.agents)["maya"]
    scores = [40, 50, 60, 70, 80]
    sd = math.sqrt(sum((s - 60) ** 2 for s in scores) / 4)
    assert maya.replies.n == 5
    assert maya.replies.score.mean == pytest.approx(60)
    assert maya.replies.score.low == pytest.approx(60 - T_975_DF4 * sd / math.sqrt(5))
    assert maya.replies.score.high == pytest.approx(60 + T_975_DF4 * sd / math.sqrt(5))
    assert not maya.small
    tom = by_key(result.agents)["tom"]
    assert tom.small and tom.replies.score.mean == pytest.approx(20)
    assert maya.replies.first_reply.mean == pytest.approx(50)  # 40 and 60
    assert maya.label == "Maya" and maya.team == "Billing"
    assert [a.key for a in result.agents] == ["jo", "maya", "tom"]


def test_mechanism_and_finding_rates_with_wilson_bounds() -> None:
    replies, talks = corpus()
    maya = by_key(analyse(replies, talks, min_n=5).agents)["maya"]
    reactions = maya.replies.mechanism("emotional_reactions")
    assert (reactions.shown.k, reactions.shown.n) == (3, 5)  # levels 2, 1, 0, 2, 0
    assert reactions.strong.k == 2
    low, high = wilson_by_hand(3, 5)
    assert reactions.shown.low == pytest.approx(low) and reactions.shown.high == pytest.approx(high)
    assert maya.replies.mechanism("explorations").shown.k == 2
    assert maya.replies.mechanism("explorations").strong.k == 1
    acknowledges = maya.replies.finding("acknowledges_feeling")
    assert acknowledges is not None and acknowledges.kind == "strength"
    assert (acknowledges.rate.k, acknowledges.rate.n) == (3, 5)
    blames = maya.replies.finding("blames_customer")  # every code of the corpus, even at 0
    assert (
        blames is not None
        and blames.rate.k == 0
        and blames.rate.high == pytest.approx(wilson_by_hand(0, 5)[1])
    )
    top_strength, top_gap = maya.replies.top("strength"), maya.replies.top("gap", "anti_pattern")
    assert top_strength is not None and top_strength.code == "acknowledges_feeling"
    assert top_gap is not None and top_gap.code == "no_timeline"


def test_teams_periods_and_undated_replies() -> None:
    replies, talks = corpus()
    result = analyse(replies, talks, min_n=5)
    teams = by_key(result.teams)
    assert set(teams) == {"Billing", "Tech", NO_TEAM}
    assert teams["Billing"].replies.n == 7
    assert teams["Billing"].replies.score.mean == pytest.approx(340 / 7)
    assert result.undated == 1
    assert [p.key for p in result.periods] == ["2026-W41"]
    assert result.periods[0].replies.n == 8  # the undated reply is in no period
    assert {(g.team, g.period.key if g.period else None) for g in result.team_periods} == {
        ("Billing", "2026-W41"),
        ("Tech", "2026-W41"),
    }
    assert result.overall.replies.n == 9


def test_conversation_outcomes_keep_missing_missing() -> None:
    replies, talks = corpus()
    result = analyse(replies, talks, min_n=5)
    maya = by_key(result.agents)["maya"].conversations
    # started distressed (negative emotion, intensity >= 0.5): the first three
    assert maya.distressed == 3
    assert (maya.calmed.k, maya.calmed.n) == (2, 3)  # de-escalated + recovered
    assert (maya.escalated.k, maya.escalated.n) == (2, 5)  # of the 5 with a trajectory
    assert maya.trajectories == {
        "escalated": 2,
        "de-escalated": 1,
        "recovered": 1,
        "steady": 1,
        "unknown": 1,
    }
    assert (maya.resolved.k, maya.resolved.n) == (2, 3)
    assert maya.csat.n == 2 and maya.csat.mean == pytest.approx(0.75)
    tom = by_key(result.agents)["tom"].conversations
    assert (tom.distressed, tom.calmed.k) == (1, 1)  # 0.5 counts, 0.49 does not
    assert tom.csat.mean is None and tom.csat.n == 0  # no CSAT: missing, not 0
    assert tom.resolved.rate is None
    jo = by_key(result.agents)["jo"].conversations
    assert jo.calmed.rate is None and jo.distressed == 0


def test_trends_per_agent_on_planted_series() -> None:
    rows = [
        row(agent, base + step * week + e, at=MONDAY + timedelta(weeks=week, hours=i))
        for agent, base, step in [("rising", 30, 10), ("falling", 90, -10)]
        for week in range(4)
        for i, e in enumerate((-2, 0, 2))
    ]
    rows.append(row("new", 50, at=MONDAY))
    rows.append(row("new", 60, at=MONDAY + timedelta(weeks=1)))
    result = analyse(rows, period="week", min_n=5)
    agents = by_key(result.agents)
    assert agents["rising"].trend.direction == "improving"
    assert agents["rising"].trend.slope == pytest.approx(10)
    assert agents["falling"].trend.direction == "declining"
    assert agents["new"].trend.direction == "not enough data"
    by_month = by_key(analyse(rows, period="month", min_n=5).agents)
    assert by_month["rising"].trend.direction == "not enough data"  # all in October
    assert len(result.periods) == 4
    assert [g.replies.n for g in result.periods] == [7, 7, 6, 6]


def test_best_and_weakest_carry_their_evidence() -> None:
    replies, _ = corpus()
    best, weakest = best_and_weakest([r for r in replies if r.agent_id == "maya"])
    assert best is not None and weakest is not None
    assert (best.score, weakest.score) == (80, 40)
    (highlight,) = weakest.highlights
    assert weakest.reply[highlight.start : highlight.end] == highlight.text
    assert highlight.kind == "strength" and highlight.code == "acknowledges_feeling"
    only, again = best_and_weakest([replies[0]])
    assert only is not None and again is None


def test_evidence_that_does_not_match_its_text_is_dropped() -> None:
    text = "Sorry about that."
    wrong = {"source": "reply", "start": 0, "end": 5, "text": "Hello"}
    outside = {"source": "reply", "start": 10, "end": 99, "text": "x"}
    good = span(text, "Sorry")
    example = example_of(
        row("a", 50, reply=text, findings=[finding("apology", "strength", wrong, outside, good)])
    )
    assert [(h.start, h.end, h.text) for h in example.highlights] == [(0, 5, "Sorry")]


def test_commonest_gaps_with_an_example_each() -> None:
    replies, talks = corpus()
    result = analyse(replies, talks, min_n=5)
    codes = [(f.code, f.rate.k, f.agents) for f in result.common_findings]
    assert codes == [("no_timeline", 3, 2), ("blames_customer", 2, 1)]
    blame = result.common_findings[1]
    assert blame.example is not None and blame.example.score == 10
    assert [h.code for h in blame.example.highlights] == ["blames_customer"]
    timeline = result.common_findings[0]
    assert timeline.example is not None and timeline.example.agent_id == "tom"  # lowest score


def test_score_distribution_and_kinds() -> None:
    replies, talks = corpus()
    result = analyse(replies, talks)
    # 10, 30, 40, 50 and 55, 60, 70, 80, 90
    assert result.overall.replies.histogram == (0, 1, 0, 1, 1, 2, 1, 1, 1, 1)
    assert dict(result.kinds) == {
        "acknowledges_feeling": "strength",
        "no_timeline": "gap",
        "blames_customer": "anti_pattern",
    }


def test_empty_input_gives_empty_groups() -> None:
    result = analyse([], [])
    assert result.overall.replies.n == 0 and result.overall.replies.score.mean is None
    assert result.agents == () and result.periods == () and result.first_at is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"period": "year"}, "unknown period 'year'"),
        ({"confidence": 1.5}, "confidence"),
        ({"min_n": 0}, "min_n"),
    ],
    ids=["period", "confidence", "min_n"],
)
def test_bad_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        analyse([], [], **options)

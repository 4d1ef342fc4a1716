"""The HTML report and the CSV/JSON exports, on a small hand-built corpus."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from heard.analytics.aggregates import Analysis, analyse
from heard.analytics.examples import Highlight
from heard.analytics.rows import ConversationRow, ReplyRow
from heard.report import render_html, to_json, write_csv
from heard.report.format import number, signed
from heard.report.html import highlight
from support.documents import assessment_document

START = datetime(2026, 9, 7, 10, 0, tzinfo=UTC)
GENERATED = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
EVIL = '<script>alert("x")</script> & <b>bold</b>'
GOOD = "I'm so sorry your parcel is late. I've sent a new one today; it arrives by Friday."
BAD = "As I said before, you should have checked the address. Please calm down."
CONTEXT = "My parcel is STILL not here and I'm really upset!!"


def _span(text: str, part: str, source: str = "reply") -> dict[str, Any]:
    start = text.index(part)
    return {"source": source, "start": start, "end": start + len(part), "text": part}


def _assessment(score: int, reply: str) -> dict[str, Any]:
    findings = []
    if "sorry" in reply:
        findings.append(
            {
                "code": "apology",
                "kind": "strength",
                "message": "Owns the problem with a genuine apology.",
                "evidence": [_span(reply, "I'm so sorry your parcel is late")],
            }
        )
    if "you should have" in reply:
        findings.append(
            {
                "code": "blames_customer",
                "kind": "anti_pattern",
                "message": "Puts the fault on the customer.",
                "evidence": [_span(reply, "you should have checked the address")],
            }
        )
        findings.append(
            {
                "code": "unacknowledged_emotion",
                "kind": "gap",
                "message": "The customer is upset and the reply does not say so.",
                "evidence": [_span(CONTEXT, "really upset", "context")],
            }
        )
    return assessment_document(
        score,
        findings=findings,
        levels=(2 if "sorry" in reply else 0, 0, 0),
        emotion=("frustrated", 0.9),
    )


def _row(i: int, agent: str, name: str, team: str, score: int, reply: str) -> ReplyRow:
    return ReplyRow(
        conversation_id=f"t:c{i}",
        message_id=f"m{i}",
        agent_id=agent,
        agent_name=name,
        team=team,
        timestamp=START + timedelta(days=3 * i),
        channel="chat",
        reply=reply,
        context=CONTEXT,
        document=_assessment(score, reply),
        first_reply=True,
    )


def corpus() -> tuple[list[ReplyRow], list[ConversationRow]]:
    rows = []
    for i in range(12):  # Priya: strong, enough replies
        rows.append(_row(i, "priya", "Priya", "Orders", 70 + i, f"{GOOD} (case {i})"))
    for i in range(12, 18):  # Tom: weak and a small sample
        rows.append(_row(i, "tom", "Tom", "Billing", 10 + i, BAD))
    rows.append(_row(18, "eve", "Eve <b>", "Billing", 50, EVIL))
    talks = [
        ConversationRow(
            conversation_id=row.conversation_id,
            agent_id=row.agent_id,
            team=row.team,
            channel="chat",
            started_at=row.timestamp,
            customer_turns=2,
            agent_turns=1,
            start_emotion="frustrated",
            start_intensity=0.9,
            peak_emotion=None,
            peak_intensity=None,
            end_emotion=None,
            end_intensity=None,
            trajectory="de-escalated" if row.agent_id == "priya" else "escalated",
            first_reply_score=row.score,
            resolved=None if row.agent_id == "tom" else True,
            csat=0.8 if row.agent_id == "priya" else None,
        )
        for row in rows
    ]
    return rows, talks


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    rows, talks = corpus()
    return analyse(rows, talks, period="week", min_n=10)


@pytest.fixture(scope="module")
def page(analysis: Analysis) -> str:
    return render_html(
        analysis, title="Team <report>", generated_at=GENERATED, source_note="test & fixtures"
    )


@pytest.fixture(scope="module")
def soup(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def test_page_is_html_with_a_title(soup: BeautifulSoup) -> None:
    assert soup.html is not None and soup.html.get("lang") == "en"
    assert soup.title is not None and soup.title.string == "Team <report>"
    assert soup.h1 is not None and soup.h1.get_text() == "Team <report>"
    ids = {tag.get("id") for tag in soup.find_all("section")}
    assert {
        "scores",
        "trends",
        "teams",
        "agents",
        "replies",
        "deescalation",
        "gaps",
        "howto",
    } <= ids


def test_page_is_self_contained(page: str, soup: BeautifulSoup) -> None:
    assert "http://" not in page and "https://" not in page
    assert not soup.find_all(["script", "link", "img", "iframe"])
    assert not [tag for tag in soup.find_all(True) if tag.get("src")]


def test_charts_are_accessible_inline_svg(soup: BeautifulSoup) -> None:
    charts = soup.find_all("svg")
    assert len(charts) == 4  # distribution, team trends, agent means, calmed
    for svg in charts:
        assert svg.get("role") == "img"
        title = svg.find("title")
        assert title is not None and title.get_text().strip()
        assert svg.get("aria-labelledby") == title.get("id")
        caption = svg.find_parent("figure").find("figcaption")
        assert caption is not None and len(caption.get_text()) > 20
    element_ids = [tag["id"] for tag in soup.find_all(True) if tag.get("id")]
    assert len(element_ids) == len(set(element_ids))  # several charts, no clashing ids


def _table(soup: BeautifulSoup, section: str) -> Tag:
    found = soup.find("section", id=section)
    assert isinstance(found, Tag)
    table = found.find("table")
    assert isinstance(table, Tag)
    return table


def test_agent_scorecard_rows(soup: BeautifulSoup, analysis: Analysis) -> None:
    rows = _table(soup, "agents").find("tbody").find_all("tr")
    assert [row["data-key"] for row in rows] == ["eve", "priya", "tom"]
    by_key = {row["data-key"]: row for row in rows}
    priya = analysis.agents[1]
    cells = by_key["priya"].find_all("td")
    assert cells[0].get_text() == "12"
    assert cells[1].find(class_="value").get_text() == number(priya.replies.score.mean)
    assert "small" not in by_key["priya"].get("class", [])
    assert "small" in by_key["tom"]["class"]  # 6 replies < min_n = 10
    assert "small sample" in by_key["tom"].get_text()
    assert "Eve <b>" in by_key["eve"].th.get_text()  # the name is text, not markup
    assert by_key["eve"].th.find("b") is None


def test_best_reply_evidence_is_marked_at_the_right_words(soup: BeautifulSoup) -> None:
    article = soup.find("article", id="agent-2")  # Priya
    assert isinstance(article, Tag) and "Priya" in article.h3.get_text()
    reply = article.find("figure", class_="reply").blockquote
    (mark,) = reply.find_all("mark")
    assert mark["class"] == ["strength"]
    assert mark.get_text() == "I'm so sorry your parcel is late"
    assert reply.get_text().startswith(GOOD)


def test_weakest_reply_marks_the_customer_words_it_missed(soup: BeautifulSoup) -> None:
    article = soup.find("article", id="agent-3")  # Tom: every reply the same, so one example
    assert isinstance(article, Tag)
    marks = {m.get_text(): m["class"] for m in article.find_all("mark")}
    assert marks == {
        "you should have checked the address": ["anti_pattern"],
        "really upset": ["gap"],
    }


def test_malicious_reply_is_escaped(page: str, soup: BeautifulSoup) -> None:
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    article = soup.find("article", id="agent-1")  # Eve
    assert isinstance(article, Tag)
    assert EVIL in article.find("figure", class_="reply").get_text()
    assert soup.find("b") is None  # not in the reply, the scorecard or the charts' labels


def test_highlight_escapes_around_overlapping_marks() -> None:
    text = 'a < b & "c" > d'
    spans = [
        Highlight("reply", 2, 7, text[2:7], "strength", "apology", ""),
        Highlight("reply", 4, 11, text[4:11], "anti_pattern", "blames_customer", ""),
        Highlight("reply", 0, 99, "", "gap", "out_of_range", ""),  # dropped
    ]
    html = str(highlight(text, spans))
    assert html == (
        'a <mark class="strength" title="Apology (strength)">&lt; </mark>'
        '<mark class="anti_pattern" title="Apology (strength); Blames customer (anti-pattern)">'
        "b &amp;</mark>"
        '<mark class="anti_pattern" title="Blames customer (anti-pattern)"> &#34;c&#34;</mark>'
        " &gt; d"
    )
    assert BeautifulSoup(html, "html.parser").get_text() == text


def test_small_samples_and_how_to_read(soup: BeautifulSoup, analysis: Analysis) -> None:
    howto = soup.find("section", id="howto").get_text()
    assert "0–100" in howto and "confidence" in howto.lower() and "fewer than 10" in howto
    gaps = soup.find("section", id="gaps")
    assert [h.get_text() for h in gaps.find_all("h3")] == [
        "Blames customer",
        "Unacknowledged emotion",
    ]


def test_json_export_has_the_reports_numbers(analysis: Analysis, soup: BeautifulSoup) -> None:
    data = json.loads(json.dumps(to_json(analysis)))  # JSON-serialisable as it is
    agents = {row["agent_id"]: row for row in data["agents"]}
    for group in analysis.agents:
        row = agents[group.key]
        assert row["replies"] == group.replies.n
        assert row["score_mean"] == pytest.approx(group.replies.score.mean, abs=1e-4)
        assert row["score_low"] == pytest.approx(group.replies.score.low, abs=1e-4)
        assert row["small_sample"] is group.small
        shown = soup.find("tr", attrs={"data-key": group.key}).find(class_="value").get_text()
        assert shown == number(row["score_mean"])
    assert agents["tom"]["calmed_rate"] == 0 and agents["tom"]["escalated_rate"] == 1
    conversations = {(r["group_kind"], r["group"]): r for r in data["conversations"]}
    assert conversations[("agent", "tom")]["csat_mean"] is None  # missing, not 0
    assert conversations[("agent", "priya")]["csat_mean"] == pytest.approx(0.8)
    assert conversations[("agent", "tom")]["resolved_rate"] is None
    assert sum(row["replies"] for row in data["distribution"]) == 19
    assert data["common_findings"][0]["code"] == "blames_customer"
    assert data["common_findings"][0]["example"]["evidence"][0]["text"] == (
        "you should have checked the address"
    )
    assert {row["period"] for row in data["periods"]} == {
        g.period.key for g in analysis.periods if g.period
    }


def test_csv_export_matches_json(analysis: Analysis, tmp_path: Path) -> None:
    paths = write_csv(analysis, tmp_path / "out")
    assert [p.name for p in paths] == [
        "agents.csv",
        "teams.csv",
        "periods.csv",
        "findings.csv",
        "conversations.csv",
    ]
    data = to_json(analysis)

    def read(name: str) -> list[dict[str, str]]:
        with (tmp_path / "out" / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    agents = read("agents.csv")
    assert [row["agent_id"] for row in agents] == [row["agent_id"] for row in data["agents"]]
    for row, expected in zip(agents, data["agents"], strict=True):
        assert float(row["score_mean"]) == expected["score_mean"]
        assert row["small_sample"] == ("true" if expected["small_sample"] else "false")
    findings = read("findings.csv")
    codes = len(analysis.kinds)
    groups = 1 + len(analysis.teams) + len(analysis.agents)
    groups += len(analysis.periods) + len(analysis.team_periods)
    assert len(findings) == codes * groups
    tom = next(r for r in read("conversations.csv") if r["group"] == "tom")
    assert tom["csat_mean"] == "" and tom["csat_n"] == "0"
    assert len(read("teams.csv")) == 2


def test_trend_and_periods_in_the_page(soup: BeautifulSoup, analysis: Analysis) -> None:
    priya = analysis.agents[1]
    assert priya.trend is not None and priya.trend.direction == "improving"
    cell = soup.find("tr", attrs={"data-key": "priya"}).find("td", class_="trend")
    assert (
        "improving" in cell["class"] and cell.get_text().strip() == f"↑ {signed(priya.trend.slope)}"
    )
    assert "7 Sep – " in soup.find(class_="sub").get_text()


def test_empty_analysis_still_renders() -> None:
    page = render_html(analyse([], []), generated_at=GENERATED)
    soup = BeautifulSoup(page, "html.parser")
    assert len(soup.find_all("svg")) == 1  # the (empty) distribution only
    assert "No dated replies" in page and "No gaps or anti-patterns found" in page
    assert not re.search(r"https?://", page)


def test_signed_never_prints_minus_zero() -> None:
    assert signed(-0.04) == "0.0" and signed(1.25) == "+1.2" and signed(-2) == "-2.0"


def test_report_of_the_bundled_sample() -> None:
    """End to end on real assessments: every agent has a row, every mark quotes real evidence."""
    from heard.services.models import assessor
    from heard.services.samples import assess_conversations, load_conversations

    rows = []
    for i, item in enumerate(assess_conversations(assessor("fast"), load_conversations())):
        context = next(
            r.context_text
            for r in item.conversation.replies_in_context()
            if r.reply.id == item.turn.id
        )
        rows.append(
            ReplyRow(
                conversation_id=item.conversation.id,
                message_id=item.turn.id,
                agent_id=item.agent.id,
                agent_name=item.agent.name,
                team=item.agent.team,
                timestamp=(item.turn.timestamp or START) + timedelta(weeks=i % 4),
                channel=item.conversation.channel,
                reply=item.turn.text,
                context=context,
                document=item.assessment.to_dict(),
            )
        )
    analysis = analyse(rows, [], period="week")
    soup = BeautifulSoup(render_html(analysis, generated_at=GENERATED), "html.parser")
    names = [tr.th.contents[0].get_text() for tr in _table(soup, "agents").tbody.find_all("tr")]
    assert names == ["Gareth", "Jordan", "Maya", "Priya", "Tom"]
    evidence = {
        span.text
        for row in rows
        for finding in row.assessment.findings
        for span in finding.evidence
    }
    marks = soup.find_all("mark")
    assert len(marks) > 20
    for mark in marks:
        if mark.find_parent("p", class_="legend") is None:
            assert any(mark.get_text() in text for text in evidence), mark.get_text()

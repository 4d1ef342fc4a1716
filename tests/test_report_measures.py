"""The report's outcomes, training-impact and wellbeing sections, on the bundled sample help desk
imported, redacted, stored and scored with the fast tier (one database for the whole module)."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from sqlalchemy import select

from heard.analytics.aggregates import analyse
from heard.analytics.fatigue import FatigueSettings
from heard.errors import InputError
from heard.report import charts, render_html
from heard.report.files import ReportFiles, write_report
from heard.report.format import rho, signed
from heard.services.config import Config
from heard.services.impact import ImpactReport
from heard.services.models import assessor
from heard.services.outcomes import OutcomesReport, outcomes_report
from heard.services.samples import helpdesk_path
from heard.storage.database import Database, open_database
from heard.storage.tables import Agent

GENERATED = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
TRAINED_ON = datetime(2026, 10, 5)
SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Written:
    files: ReportFiles
    page: str
    soup: BeautifulSoup
    data: dict[str, Any]

    def section(self, name: str) -> Tag:
        found = self.soup.find("section", id=name)
        assert isinstance(found, Tag), f"no section {name!r}"
        return found

    def text(self, name: str) -> str:
        return " ".join(self.section(name).get_text().split())


@dataclass
class Sample:
    database: Database
    version: str
    folder: Path

    def write(self, name: str, **options: Any) -> Written:
        out, data = self.folder / f"{name}.html", self.folder / f"{name}.json"
        files = write_report(
            self.database, self.version, out=out, json_path=data, now=GENERATED, **options
        )
        page = out.read_text(encoding="utf-8")
        document = json.loads(data.read_text(encoding="utf-8"))
        return Written(files, page, BeautifulSoup(page, "html.parser"), document)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    from heard.services.imports import import_export
    from heard.services.scoring import score_pending

    folder = tmp_path_factory.mktemp("report-measures")
    database = open_database(str(folder / "heard.db"))
    import_export(database, helpdesk_path())
    engine = assessor("fast")
    score_pending(database, engine)
    return Sample(database, engine.model_version, folder)


@pytest.fixture(scope="module")
def with_impact(sample: Sample) -> Written:
    """The default settings, with the training impact of Marcus from 5 October."""
    return sample.write("impact", impact_trained=["Marcus"], impact_since=TRAINED_ON)


@pytest.fixture(scope="module")
def without_impact(sample: Sample) -> Written:
    """No training impact; team counts shown from 2 agents with enough data (default 5)."""
    config = Config(fatigue=FatigueSettings(team_min_agents=2))
    return sample.write("plain", config=config)


@pytest.fixture(scope="module")
def agent_names(sample: Sample) -> list[str]:
    with sample.database.session() as session:
        agents = list(session.scalars(select(Agent)))
        names = [a.name for a in agents if a.name] + [a.external_id for a in agents]
    assert "Marcus" in names and len(names) >= 8
    return names


def test_outcomes_section_shows_the_csat_rho_and_its_n(
    sample: Sample, with_impact: Written
) -> None:
    expected = outcomes_report(sample.database, sample.version)  # same period and repeat days
    csat = next(a for a in expected.analyses if a.outcome == "csat")
    assert csat.n > 30 and csat.empathy.rho is not None
    card = with_impact.section("outcomes").find("article", id="outcome-csat")
    assert isinstance(card, Tag)
    text = " ".join(card.get_text().split())
    assert f"ρ = {rho(csat.empathy.rho)}" in text
    assert f"n = {csat.empathy.n:,}" in text and f"known for {csat.n:,} conversations" in text
    assert f"unknown for {csat.n_missing:,}, left out" in text  # missing is not zero
    adjusted = csat.adjusted
    assert adjusted is not None and adjusted.coefficient is not None
    assert f"+10 empathy points go with {signed(adjusted.coefficient * 1000)} CSAT points" in text
    for warning in csat.warnings:
        assert " ".join(warning.split()) in text
    table_row = with_impact.section("outcomes").find("tr", attrs={"data-measure": "empathy"})
    assert isinstance(table_row, Tag) and rho(csat.empathy.rho) in table_row.get_text()


def test_measures_table_marks_only_intervals_that_exclude_zero(with_impact: Written) -> None:
    report = with_impact.files.data.outcomes
    assert report is not None
    with_data = [a for a in report.analyses if a.n]
    rows = with_impact.section("outcomes").select("table.measures tbody tr[data-measure]")
    assert len(rows) == 1 + len(with_data[0].dimensions)
    marked = unmarked = 0
    for row in rows:
        for analysis, cell in zip(with_data, row.find_all("td"), strict=True):
            found = {c.measure: c for c in (analysis.empathy, *analysis.dimensions)}
            c = found[row["data-measure"]]
            assert c.low is not None and c.high is not None
            clear = c.low > 0 or c.high < 0
            assert ("clear" in cell["class"]) is clear, (row["data-measure"], c)
            assert cell.get_text().split()[0] == rho(c.rho)
            marked, unmarked = marked + clear, unmarked + (not clear)
    assert marked and unmarked


def test_outcomes_without_data_read_not_in_the_data(with_impact: Written) -> None:
    report = with_impact.files.data.outcomes
    assert report is not None
    empty = [a for a in report.analyses if a.n == 0]
    assert [a.outcome for a in empty] == ["escalated"]  # the sample carries no escalation
    line = with_impact.section("outcomes").find(id="outcome-escalated")
    assert isinstance(line, Tag) and "not in the data" in line.get_text()
    assert line.name == "p"  # one line, not a card of zeros
    columns = [th.get_text() for th in with_impact.section("outcomes").select("table thead th")]
    assert not any("Escalation" in c for c in columns)


def test_impact_section_only_when_asked_for(without_impact: Written) -> None:
    assert without_impact.soup.find("section", id="impact") is None
    assert 'href="#impact"' not in without_impact.page
    assert without_impact.files.data.impact is None
    assert without_impact.data["impact"] is None


def test_impact_section_with_the_trained_agent(with_impact: Written) -> None:
    report = with_impact.files.data.impact
    assert isinstance(report, ImpactReport)
    assert [name for _, name in report.trained] == ["Marcus"]
    text = with_impact.text("impact")
    assert "Marcus" in text and "5 Oct 2026" in text
    empathy = report.estimate("empathy")
    assert empathy.estimate is not None and empathy.pre_trend is not None
    drifting = [w for w in empathy.warnings if "drifting apart" in w]
    assert drifting, empathy.warnings  # the sample's groups were already moving apart
    for warning in drifting:
        assert " ".join(warning.split()) in text
    row = with_impact.section("impact").find("tr", attrs={"data-metric": "empathy"})
    assert isinstance(row, Tag)
    cells = " ".join(row.get_text().split())
    assert f"{signed(empathy.estimate)} points" in cells
    for group in ("trained", "comparison"):
        before, after = empathy.cell(group, "before"), empathy.cell(group, "after")
        assert f"{before.n:,} · {after.n:,}" in cells
    skill = report.estimate("acknowledge")
    assert skill.estimate is not None
    skill_row = with_impact.section("impact").find("tr", attrs={"data-metric": "acknowledge"})
    assert isinstance(skill_row, Tag) and f"{signed(100 * skill.estimate)} pp" in skill_row.text
    svg_ids = {svg.find_parent("figure")["id"] for svg in with_impact.section("impact")("svg")}
    assert svg_ids == {"chart-impact", "chart-impact-skills"}
    assert "difference in differences" in with_impact.text("howto").lower()


def test_impact_needs_the_agents_and_the_date(sample: Sample) -> None:
    for options in ({"impact_trained": ["Marcus"]}, {"impact_since": TRAINED_ON}):
        with pytest.raises(InputError, match="both"):
            write_report(sample.database, sample.version, out=None, **options)


def test_wellbeing_section_names_no_agent(
    with_impact: Written, without_impact: Written, agent_names: list[str]
) -> None:
    for written in (with_impact, without_impact):
        section = str(written.section("wellbeing"))
        for name in agent_names:
            assert name not in section
        wellbeing = json.dumps(written.data["wellbeing"], ensure_ascii=False)
        for name in agent_names:
            assert name not in wellbeing
        assert "heard fatigue --agent NAME" in section
        assert "never shown in this report" in written.text("wellbeing")


def test_wellbeing_counts_are_withheld_below_five_agents(with_impact: Written) -> None:
    counts = with_impact.files.data.wellbeing
    assert counts is not None and counts.overall.withheld  # 2 of 7 agents have enough data
    assert all(team.withheld for team in counts.teams.values())
    section = with_impact.section("wellbeing")
    text = with_impact.text("wellbeing")
    assert "withheld" in text and "fewer than 5 agents have enough data" in text
    header = [th.get_text() for th in section.select("table thead th")]
    assert header == ["Signal", "What it means"]  # no count column at all
    assert not section.select("td.num")
    assert len(section.select("tbody tr")) == 7  # one line per signal


def test_wellbeing_counts_shown_when_not_withheld(without_impact: Written) -> None:
    counts = without_impact.files.data.wellbeing
    assert counts is not None and not counts.overall.withheld
    section = without_impact.section("wellbeing")
    header = [" ".join(th.get_text().split()) for th in section.select("table thead th")]
    assert header[2].startswith("All agents")
    shown = {
        tr["data-signal"]: tr.select("td.num")[0].get_text()
        for tr in section.select("tbody tr[data-signal]")
    }
    assert shown == {name: str(count) for name, count in counts.overall.fired_counts}
    withheld = [name for name, team in counts.teams.items() if team.withheld]
    assert withheld  # teams of 2 or 3 agents stay withheld
    note = section.find("p", class_="withheld")
    assert isinstance(note, Tag)
    for team in withheld:
        assert team in note.get_text()
    assert without_impact.data["wellbeing"]["overall"]["fired_counts"] == [
        [name, count] for name, count in counts.overall.fired_counts
    ]


def test_json_export_has_the_new_keys(with_impact: Written, without_impact: Written) -> None:
    for written in (with_impact, without_impact):
        data = written.data
        assert {"outcomes", "impact", "wellbeing", "agents", "overall"} <= set(data)
        csat = next(a for a in data["outcomes"]["analyses"] if a["outcome"] == "csat")
        assert written.files.data.outcomes is not None
        expected = next(a for a in written.files.data.outcomes.analyses if a.outcome == "csat")
        assert csat["n"] == expected.n
        assert csat["empathy"]["rho"] == pytest.approx(expected.empathy.rho, abs=1e-4)
        escalated = next(a for a in data["outcomes"]["analyses"] if a["outcome"] == "escalated")
        assert escalated["n"] == 0 and escalated["empathy"]["rho"] is None  # null, not 0
        assert set(data["wellbeing"]) == {
            "as_of",
            "window_days",
            "baseline_days",
            "min_agents",
            "overall",
            "teams",
        }
    impact = with_impact.data["impact"]
    assert impact["trained"] == [{"id": "agt-126", "name": "Marcus"}]
    assert impact["estimates"][0]["metric"] == "empathy"
    assert with_impact.data["wellbeing"]["overall"]["fired_counts"][0][1] is None  # withheld


def test_page_stays_offline_and_accessible(with_impact: Written) -> None:
    page, soup = with_impact.page, with_impact.soup
    assert "http://" not in page and "https://" not in page
    assert not soup.find_all(["script", "link", "img", "iframe"])
    for svg in soup.find_all("svg"):
        title = svg.find("title")
        assert svg.get("role") == "img" and title is not None
        assert svg.get("aria-labelledby") == title.get("id")
        caption = svg.find_parent("figure").find("figcaption")
        assert len(caption.get_text()) > 40
    ids = [tag["id"] for tag in soup.find_all(True) if tag.get("id")]
    assert len(ids) == len(set(ids))
    toc = [a["href"] for a in soup.select("nav.toc a")]
    sections = ["#outcomes", "#impact", "#wellbeing"]
    assert [href for href in toc if href in sections] == sections
    assert toc.index("#wellbeing") < toc.index("#howto")


def test_standalone_svg_is_an_svg_document(with_impact: Written) -> None:
    assert with_impact.files.data.outcomes is not None and with_impact.files.data.impact is not None
    made = [
        charts.outcomes_chart(with_impact.files.data.outcomes),
        charts.impact_chart(with_impact.files.data.impact),
        charts.impact_estimates_chart(with_impact.files.data.impact),
    ]
    for chart in made:
        assert chart is not None
        document = charts.standalone_svg(chart)
        assert document.startswith("<?xml")
        root = ET.fromstring(document.encode("utf-8"))
        assert root.tag == f"{SVG}svg"
        assert root.get("width", "").endswith("pt") and root.get("viewBox")
        title = root.find(f"{SVG}title")
        assert title is not None and title.text == chart.title
        assert 'xmlns:xlink="http://www.w3.org/1999/xlink"' in document
        assert root.find(f".//{SVG}text") is not None


def test_charts_without_data_are_none(with_impact: Written) -> None:
    assert charts.outcomes_chart(OutcomesReport(0, 7, ())) is None
    assert with_impact.files.data.impact is not None
    empty = dataclasses.replace(
        with_impact.files.data.impact, trained=(), estimates=(), practice=()
    )
    assert charts.impact_chart(empty) is None and charts.impact_estimates_chart(empty) is None


def test_report_without_the_sections_renders_as_before() -> None:
    soup = BeautifulSoup(render_html(analyse([], []), generated_at=GENERATED), "html.parser")
    ids = {tag.get("id") for tag in soup.find_all("section")}
    assert not ids & {"outcomes", "impact", "wellbeing"}
    assert [a.get_text() for a in soup.select("nav.toc a")][-1] == "How to read this"
    assert "Outcomes" not in soup.find("section", id="howto").get_text()

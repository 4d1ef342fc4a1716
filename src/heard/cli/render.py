"""Terminal rendering with Rich: assessments with highlighted evidence, the demo summary, figures.

Only the CLI imports this module; the library never prints.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from heard.analytics.aggregates import Analysis
from heard.analytics.stats import Mean
from heard.results import Assessment, EmotionReading, FindingKind, Source

KIND_STYLE = {
    FindingKind.STRENGTH: "green",
    FindingKind.GAP: "yellow",
    FindingKind.ANTI_PATTERN: "red",
}
KIND_MARK = {FindingKind.STRENGTH: "+", FindingKind.GAP: "?", FindingKind.ANTI_PATTERN: "!"}
LEVEL = {0: "none", 1: "weak", 2: "strong"}


def score_style(score: int) -> str:
    return "bold green" if score >= 70 else "bold yellow" if score >= 45 else "bold red"


def highlighted(text: str, assessment: Assessment, source: Source) -> Text:
    """The text with each finding's evidence coloured by kind (problems drawn over strengths)."""
    rich_text = Text(text)
    order = (FindingKind.STRENGTH, FindingKind.GAP, FindingKind.ANTI_PATTERN)
    for kind in order:
        for finding in assessment.findings_of(kind):
            for span in finding.evidence:
                if span.source is source and span.end <= len(text):
                    rich_text.stylize(f"underline {KIND_STYLE[kind]}", span.start, span.end)
    return rich_text


def emotion_line(emotion: EmotionReading) -> str:
    top = sorted(emotion.scores.items(), key=lambda kv: -kv[1])[:3]
    spread = ", ".join(f"{label} {p:.2f}" for label, p in top)
    return f"{emotion.label} (intensity {emotion.intensity:.2f}; {spread})"


def render_assessment(assessment: Assessment, console: Console) -> None:
    customer = assessment.customer
    header = Text.assemble(
        ("Score ", "bold"),
        (f"{assessment.score}/100", score_style(assessment.score)),
        (f"   {assessment.model_version}", "dim"),
    )
    console.print(header)
    if assessment.context.strip():
        console.print(
            f"Customer: {emotion_line(customer.emotion)} · {customer.complexity.label} issue · "
            f"{customer.style.formality}, {customer.style.directness}"
        )
        console.print(
            Panel(
                highlighted(assessment.context, assessment, Source.CONTEXT),
                title="customer",
                title_align="left",
            )
        )
    console.print(
        Panel(
            highlighted(assessment.reply, assessment, Source.REPLY),
            title="reply",
            title_align="left",
        )
    )
    mechanisms = " · ".join(
        f"{name.replace('_', ' ')}: {LEVEL[m.level]} ({m.probabilities[m.level]:.2f})"
        for name, m in assessment.mechanisms.items()
    )
    console.print(f"Empathy mechanisms: {mechanisms}")
    for kind, title in (
        (FindingKind.STRENGTH, "What works"),
        (FindingKind.ANTI_PATTERN, "Anti-patterns"),
        (FindingKind.GAP, "Gaps"),
    ):
        findings = assessment.findings_of(kind)
        if not findings:
            continue
        console.print(Text(title, style=f"bold {KIND_STYLE[kind]}"))
        for finding in findings:
            quotes = "; ".join(f'"{_short(s.text)}"' for s in finding.evidence[:2])
            line = Text(f"  {KIND_MARK[kind]} {finding.message} ", style=KIND_STYLE[kind])
            line.append(quotes, style="italic")
            console.print(line)
    if assessment.tips:
        console.print(Text("Tips", style="bold"))
        for number, tip in enumerate(assessment.tips, start=1):
            console.print(f"  {number}. {tip.text}")
    console.print(
        Panel(
            Text(assessment.rewrite),
            title="suggested rewrite",
            title_align="left",
            border_style="cyan",
        )
    )
    if assessment.truncated:
        console.print(
            Text(
                "Note: a text over 10,000 characters was assessed on its first 10,000.", style="dim"
            )
        )


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def render_agent_table(analysis: Analysis, console: Console) -> None:
    """The demo's summary: one row per agent, best first, and the commonest gaps."""
    overall = analysis.overall.replies
    table = Table(
        title=f"Agents ({overall.n} replies scored, mean {_mean(overall.score)})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for column in ("agent", "team", "replies", "mean (95% CI)", "trend", "scripted"):
        table.add_column(column, no_wrap=True)
    ranked = sorted(analysis.agents, key=lambda g: -(g.replies.score.mean or 0.0))
    for group in ranked:
        score = group.replies.score
        scripted = group.replies.scripted.rate
        table.add_row(
            group.label,
            group.team or "",
            str(group.replies.n) + (" (small)" if group.small else ""),
            Text(_mean(score), style=score_style(round(score.mean or 0))),
            group.trend.arrow if group.trend else "",
            f"{scripted:.0%}" if scripted is not None else "-",
        )
    console.print(table)
    gaps = ", ".join(
        f"{finding.code} ({finding.rate.k})" for finding in analysis.common_findings[:4]
    )
    if gaps:
        console.print(f"Commonest gaps: {gaps}", highlight=False)


def _mean(mean: Mean) -> str:
    if mean.mean is None:
        return "-"
    if mean.low is None or mean.high is None:
        return f"{mean.mean:.0f}"
    return f"{mean.mean:.0f} ({mean.low:.0f}-{mean.high:.0f})"


def render_figures(figures: dict[str, Any], console: Console) -> None:
    emotion = figures["emotion"]
    mechanisms = figures["mechanisms"]
    table = Table(title=f"Dev-set figures: {figures['model_version']}")
    table.add_column("task")
    table.add_column("macro-F1", justify="right")
    table.add_column("other", justify="left")
    table.add_row(
        f"customer emotion, GoEmotions dev ({emotion['goemotions_dev_rows']:,} single-label rows)",
        f"{emotion['goemotions_dev_macro_f1']:.3f}",
        f"accuracy {emotion['goemotions_dev_accuracy']:.3f}",
    )
    table.add_row(
        f"customer emotion, TweetEval val ({emotion['tweeteval_val_rows']} rows, 3 labels)",
        f"{emotion['tweeteval_val_macro_f1']:.3f}",
        "",
    )
    for name in ("emotional_reactions", "interpretations", "explorations"):
        m = mechanisms[name]
        table.add_row(
            f"EPITOME {name.replace('_', ' ')} ({mechanisms['epitome_dev_pairs']} dev pairs)",
            f"{m['macro_f1']:.3f}",
            f"accuracy {m['accuracy']:.3f}; evidence F1 {m['evidence_f1']}",
        )
    table.add_row(
        "overall score vs summed EPITOME levels",
        "",
        f"Spearman {mechanisms['score_spearman_vs_summed_levels']:.3f} "
        f"(p={mechanisms['score_spearman_p_value']:.1e})",
    )
    console.print(table)
    console.print(
        Group(Text(f"GoEmotions F1 by label: {emotion['goemotions_dev_f1_by_label']}", style="dim"))
    )


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def render_suite(figures: dict[str, Any], console: Console, *, failures: bool = False) -> None:
    """The behavioural suite's figures: pairs per category, bands, emotions, rewrites."""
    pairs, bands = figures["pairs"], figures["bands"]
    emotions, rewrites = figures["emotions"], figures["rewrites"]
    table = Table(title=f"Behavioural suite: {figures['model_version']}")
    table.add_column("category")
    table.add_column("pairs", justify="right")
    table.add_column("better scores higher", justify="right")
    for category, result in pairs["by_category"].items():
        table.add_row(category, str(result["count"]), _percent(result["better_wins"]))
    table.add_row("all pairs", str(pairs["count"]), _percent(pairs["better_wins"]), style="bold")
    console.print(table)
    console.print(
        f"Bands respected: {_percent(bands['respected'])} of {bands['count']} replies ("
        + ", ".join(
            f"{band} {_percent(r['respected'])} of {r['count']}"
            for band, r in bands["by_band"].items()
        )
        + f"); the better reply is not the longer one in {_percent(pairs['better_is_not_longer'])}"
        " of pairs",
        highlight=False,
    )
    if emotions.get("count"):
        console.print(
            f"Emotions: macro-F1 {emotions['macro_f1']:.3f}, accuracy "
            f"{_percent(emotions['accuracy'])} on {emotions['count']} messages ("
            + ", ".join(f"{lb} {r['f1']:.2f}" for lb, r in emotions["by_label"].items())
            + ")",
            highlight=False,
        )
        console.print(
            "  by tag: "
            + ", ".join(
                f"{tag} {_percent(r['accuracy'])} of {r['count']}"
                for tag, r in emotions["by_tag"].items()
            ),
            highlight=False,
        )
    if rewrites.get("count"):
        console.print(
            f"Rewrites: {_percent(rewrites['passed'])} of {rewrites['count']} pass ("
            + ", ".join(
                f"{rule} {_percent(r['passed'])} of {r['count']}"
                for rule, r in rewrites["by_rule"].items()
            )
            + ")",
            highlight=False,
        )
    if not failures:
        return
    for failure in pairs["failures"]:
        console.print(
            f"  pair {failure['id']} ({failure['category']}): better {failure['better']}, "
            f"worse {failure['worse']}",
            highlight=False,
        )
    for miss in bands["misses"]:
        console.print(
            f"  band {miss['id']} {miss['reply']}: {miss['band']} but scored {miss['score']}",
            highlight=False,
        )
    for miss in emotions.get("misses", []):
        console.print(
            f"  emotion {miss['id']}: {miss['emotion']}, read as {miss['predicted']}",
            highlight=False,
        )
    for failure in rewrites.get("failures", []):
        console.print(
            f"  rewrite {failure['id']} ({failure['rule']}): " + "; ".join(failure["problems"]),
            highlight=False,
        )

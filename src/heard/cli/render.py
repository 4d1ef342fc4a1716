"""Terminal rendering with Rich: assessments with highlighted evidence, the demo summary, figures.

Only the CLI imports this module; the library never prints.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from statistics import mean
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from heard.assessment.overall import points_for
from heard.results import Assessment, EmotionReading, FindingKind, Source
from heard.services.samples import AssessedReply

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


def render_demo(replies: Sequence[AssessedReply], console: Console) -> None:
    by_agent: dict[str, list[AssessedReply]] = defaultdict(list)
    for reply in replies:
        by_agent[reply.agent.name or reply.agent.id].append(reply)
    conversations = len({r.conversation.id for r in replies})
    table = Table(title=f"Agents ({len(replies)} replies in {conversations} conversations)")
    for column in (
        "agent",
        "team",
        "replies",
        "mean score",
        "most common strength",
        "most common issue",
    ):
        table.add_column(column)
    for name, items in sorted(
        by_agent.items(), key=lambda kv: -mean(r.assessment.score for r in kv[1])
    ):
        strengths = Counter(
            f.code for r in items for f in r.assessment.findings_of(FindingKind.STRENGTH)
        )
        issues = Counter(
            f.code
            for r in items
            for f in r.assessment.findings
            if f.kind is not FindingKind.STRENGTH
        )
        score = round(mean(r.assessment.score for r in items))
        table.add_row(
            name,
            items[0].agent.team or "",
            str(len(items)),
            Text(str(score), style=score_style(score)),
            _top(strengths),
            _top(issues),
        )
    console.print(table)
    detail = Table(title="Every reply")
    for column in ("conversation", "agent", "customer", "score", "top issue or strength"):
        detail.add_column(column)
    for reply in replies:
        a = reply.assessment
        problems = sorted(
            (f for f in a.findings if f.kind is not FindingKind.STRENGTH), key=points_for
        )
        top = problems[0] if problems else (a.findings[0] if a.findings else None)
        detail.add_row(
            f"{reply.conversation.id} {reply.turn.id.split('-')[-1]}",
            reply.agent.name or reply.agent.id,
            f"{a.customer.emotion.label} {a.customer.emotion.intensity:.1f}",
            Text(str(a.score), style=score_style(a.score)),
            Text(
                f'{top.code}: "{_short(top.evidence[0].text, 50)}"' if top and top.evidence else "",
                style=KIND_STYLE[top.kind] if top else "",
            ),
        )
    console.print(detail)
    if replies:
        worst = min(replies, key=lambda r: r.assessment.score)
        console.print(
            Text(
                f"\nThe weakest reply, in full ({worst.conversation.id}, {worst.agent.name}):",
                style="bold",
            )
        )
        render_assessment(worst.assessment, console)


def _top(counter: Counter[str]) -> str:
    if not counter:
        return "-"
    code, count = counter.most_common(1)[0]
    return f"{code} ({count})"


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

"""The assessment engine: customer reading + mechanisms + rule scorers → an :class:`Assessment`.

The engine is pure: models are handed to it (see ``heard.services.models`` for loading the shipped
tiers), it reads no files and keeps no clock. It works in batches so that the learned models see
many texts at once; ``assess`` is the one-reply convenience.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from heard.assessment.overall import Situation, overall_score
from heard.assessment.rewrite import suggest_rewrite
from heard.assessment.tiers import MechanismOutput, Tier
from heard.assessment.tips import coaching_tips
from heard.errors import InputError
from heard.model import join_context
from heard.results import (
    EMOTIONS,
    MECHANISMS,
    Assessment,
    CustomerReading,
    EmotionReading,
    MechanismResult,
    Source,
    Span,
)
from heard.scoring.exchange import Exchange
from heard.scoring.mechanisms import REFLECTIVE_FORM
from heard.scoring.registry import run_all
from heard.scoring.specifics import SPECIFIC_DETAILS, specifics
from heard.text import normalise, truncate, word_count
from heard.understanding.complexity import assess_complexity
from heard.understanding.emotion_priors import support_priors
from heard.understanding.intensity import intensity, intensity_cues
from heard.understanding.needs import read_needs, settle_needs
from heard.understanding.self_report import apply_self_reports, self_denials, self_reports
from heard.understanding.style import assess_style

_NO_EMOTION = {label: (1.0 if label == "neutral" else 0.0) for label in EMOTIONS}


class Assessor:
    """Assesses agent replies in context with one tier of models."""

    def __init__(self, tier: Tier) -> None:
        self.tier = tier

    @property
    def model_version(self) -> str:
        return f"{self.tier.name}-{self.tier.version}"

    # --- the customer ------------------------------------------------------------------------

    def detect_emotions(self, texts: Sequence[str]) -> list[EmotionReading]:
        """The emotion of each text (label, a probability for each of the six, intensity, cues)."""
        prepared = [truncate(text)[0] for text in texts]
        present = [i for i, text in enumerate(prepared) if text.strip()]
        probabilities = (
            self.tier.emotion.predict_proba([prepared[i] for i in present])
            if present
            else np.zeros((0, len(EMOTIONS)))
        )
        readings = [EmotionReading("neutral", 0.0, _NO_EMOTION) for _ in prepared]
        for row, index in enumerate(present):
            model_scores = {
                label: float(p) for label, p in zip(EMOTIONS, probabilities[row], strict=True)
            }
            text = prepared[index]
            cues, cue_total = intensity_cues(text, Source.CONTEXT)
            prior_scores, complaint_cues = support_priors(model_scores, text, heated=cue_total > 0)
            scores, report_cues = apply_self_reports(
                prior_scores, self_reports(text), self_denials(text)
            )
            label = max(scores, key=scores.__getitem__)
            readings[index] = EmotionReading(
                label,
                # how strongly: the model's own confidence (before the adjustments, which choose
                # the label but should not make a calm complaint sound heated) plus the cues
                intensity(label, model_scores, cue_total),
                scores,
                tuple(report_cues + complaint_cues + cues),
            )
        return readings

    def read_customers(self, contexts: Sequence[str]) -> list[CustomerReading]:
        emotions = self.detect_emotions(contexts)
        return [
            CustomerReading(
                emotion,
                assess_complexity(context),
                assess_style(context),
                settle_needs(read_needs(context), emotion),
            )
            for emotion, context in zip(emotions, contexts, strict=True)
        ]

    # --- replies -----------------------------------------------------------------------------

    def assess_many(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        histories: Sequence[str] | None = None,
        listen: bool = False,
    ) -> list[Assessment]:
        """Assess each ``(reply, context)`` pair. Raises InputError for an empty reply.

        The listening model reads a pair when the score can use it (a complex issue, where
        understanding is needed) or the reply is shaped as a reflection; ``listen=True`` reads
        every pair (the listening drills do).

        ``histories`` (optional, one per pair) are the customer's earlier messages in the
        conversation; they only help recognise a reply that uses the customer's specifics.
        """
        if histories is not None and len(histories) != len(pairs):
            raise InputError(
                f"{len(histories)} histories for {len(pairs)} pairs", field="histories"
            )
        replies: list[str] = []
        contexts: list[str] = []
        cut: list[bool] = []
        for index, (reply, context) in enumerate(pairs):
            if not isinstance(reply, str) or not reply.strip():
                raise InputError(
                    "the reply is empty: give the agent's reply text to assess",
                    where=f"item {index}" if len(pairs) > 1 else None,
                    field="reply",
                )
            reply_text, reply_cut = truncate(reply)
            context_text, context_cut = truncate(context or "")
            replies.append(reply_text)
            contexts.append(context_text)
            cut.append(reply_cut or context_cut)
        customers = self.read_customers(contexts)
        mechanism_outputs = self.tier.mechanisms.predict(contexts, replies)
        reflections = self._reflections(contexts, replies, customers, listen=listen)
        earlier = (
            [truncate(h)[0] for h in histories] if histories is not None else [""] * len(replies)
        )
        return [
            self._assess_one(reply, context, customer, output, truncated, history, reflection)
            for reply, context, customer, output, truncated, history, reflection in zip(
                replies,
                contexts,
                customers,
                mechanism_outputs,
                cut,
                earlier,
                reflections,
                strict=True,
            )
        ]

    def assess(
        self, reply: str, context: str | Sequence[str] = "", *, listen: bool = False
    ) -> Assessment:
        if not isinstance(context, str):
            context = join_context(list(context))
        return self.assess_many([(reply, context)], listen=listen)[0]

    def _reflections(
        self,
        contexts: Sequence[str],
        replies: Sequence[str],
        customers: Sequence[CustomerReading],
        *,
        listen: bool,
    ) -> list[float | None]:
        """P(reflection) for the pairs the listening model should read (see ``assess_many``)."""
        listening = self.tier.listening
        if listening is None:
            return [None] * len(replies)
        wanted = [
            i
            for i, (reply, customer) in enumerate(zip(replies, customers, strict=True))
            if listen
            or customer.complexity.label == "complex"
            or REFLECTIVE_FORM.search(normalise(reply))
        ]
        reflections: list[float | None] = [None] * len(replies)
        if wanted:
            read = listening.reflection([contexts[i] for i in wanted], [replies[i] for i in wanted])
            for i, p in zip(wanted, read, strict=True):
                reflections[i] = float(p)
        return reflections

    def _assess_one(
        self,
        reply: str,
        context: str,
        customer: CustomerReading,
        output: MechanismOutput,
        truncated: bool,
        history: str = "",
        reflection: float | None = None,
    ) -> Assessment:
        mechanisms = {}
        for name in MECHANISMS:
            probabilities = output.probabilities[name]
            level = int(np.argmax(probabilities))
            evidence = (
                tuple(
                    Span.of(Source.REPLY, reply, s.start, s.end, name)
                    for s in output.evidence[name]
                )
                if level > 0
                else ()
            )
            mechanisms[name] = MechanismResult(name, level, probabilities, evidence)
        exchange = Exchange.of(reply, context, customer, mechanisms, history, reflection)
        findings = run_all(exchange)
        situation = Situation.of(
            customer,
            has_specifics=len({s.stem for s in specifics(context)}) >= SPECIFIC_DETAILS,
            words=word_count(context),
        )
        score, parts = overall_score(mechanisms, findings, situation)
        return Assessment(
            reply=reply,
            context=context,
            score=score,
            mechanisms=mechanisms,
            customer=customer,
            findings=findings,
            tips=coaching_tips(findings, customer, situation),
            rewrite=suggest_rewrite(reply, context, findings, customer),
            tier=self.tier.name,
            model_version=self.model_version,
            truncated=truncated,
            score_parts=parts,
        )

"""The behavioural suite (``heard evaluate --suite behaviour``): minimal pairs of replies, customer
messages with their honest emotion, and rewrite expectations, all data in
``heard/data/behaviour/`` (its README documents the format).

Figures:
- **pairs**: the share of pairs whose better reply scores strictly higher, overall and per
  category;
- **bands**: the share of replies whose score falls in their band (exemplary at least
  ``EXEMPLARY_AT``, poor below ``POOR_BELOW``, adequate between), overall and per band;
- **emotions**: macro-F1 of the customer's main emotion over the six labels, with accuracy per tag;
- **rewrites**: the share of drafts whose suggested rewrite keeps what it must and adds nothing it
  must not, per rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from heard.assessment.engine import Assessor
from heard.errors import InputError
from heard.model import join_context
from heard.results import EMOTIONS
from heard.text import word_count

EXEMPLARY_AT = 80
POOR_BELOW = 40
Band = Literal["exemplary", "adequate", "poor"]
BAND_ORDER: dict[str, int] = {"poor": 0, "adequate": 1, "exemplary": 2}
CATEGORIES: tuple[str, ...] = (
    "acknowledge_before_fix",
    "empathy_vs_sympathy",
    "apology",
    "next_steps",
    "routine_efficiency",
    "complex_depth",
    "active_listening",
    "blame",
    "minimising",
    "tone_policing",
    "policy_alternative",
    "personalised",
    "plain_language",
    "cultural_understatement",
    "style_match",
    "sarcasm",
    "non_native",
    "grief",
    "positive_customers",
    "de_escalation",
)
REWRITE_RULES: tuple[str, ...] = (
    "keeps_acknowledgement",
    "keeps_apology",
    "keeps_facts",
    "feeling_fits",
    "no_slot_when_answered",
    "register",
)


def _one_of(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {list(allowed)}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SuiteReply(_Strict):
    band: Band
    reply: str = Field(min_length=1)


def _joined(value: Any) -> Any:
    return join_context([str(v) for v in value]) if isinstance(value, list) else value


class Pair(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    industry: str
    channel: Literal["chat", "email", "phone"]
    customer: str = Field(min_length=1)
    better: SuiteReply
    worse: SuiteReply
    why: str = ""

    _customer = field_validator("customer", mode="before")(_joined)

    @field_validator("worse")
    @classmethod
    def _bands_ordered(cls, worse: SuiteReply, info: Any) -> SuiteReply:
        better = info.data.get("better")
        if better is not None and BAND_ORDER[worse.band] > BAND_ORDER[better.band]:
            raise ValueError(f"the worse reply's band ({worse.band}) is above the better one's")
        return worse


class PairFile(_Strict):
    category: str
    principle: str
    cases: list[Pair] = Field(min_length=1)

    @field_validator("category")
    @classmethod
    def _known(cls, category: str) -> str:
        return _one_of(category, CATEGORIES, "category")


class EmotionMessage(_Strict):
    id: str
    text: str = Field(min_length=1)
    emotion: str
    tags: list[str] = Field(default_factory=list)

    @field_validator("emotion")
    @classmethod
    def _known_emotion(cls, emotion: str) -> str:
        return _one_of(emotion, EMOTIONS, "emotion")


class EmotionFile(_Strict):
    messages: list[EmotionMessage] = Field(min_length=1)


class RewriteCase(_Strict):
    id: str
    rule: str
    customer: str = Field(min_length=1)
    draft: str = Field(min_length=1)
    keep: list[str] = Field(default_factory=list)
    forbid: list[str] = Field(default_factory=list)

    _customer = field_validator("customer", mode="before")(_joined)

    @field_validator("rule")
    @classmethod
    def _known_rule(cls, rule: str) -> str:
        return _one_of(rule, REWRITE_RULES, "rule")


class RewriteFile(_Strict):
    cases: list[RewriteCase] = Field(min_length=1)


@dataclass(frozen=True)
class Suite:
    """The whole suite, validated."""

    pairs: dict[str, tuple[Pair, ...]]  # category -> its pairs
    emotions: tuple[EmotionMessage, ...]
    rewrites: tuple[RewriteCase, ...]

    @property
    def pair_count(self) -> int:
        return sum(len(p) for p in self.pairs.values())


def suite_root() -> Traversable:
    return resources.files("heard") / "data" / "behaviour"


def _read(source: Traversable | Path, model: type[BaseModel]) -> Any:
    name = getattr(source, "name", str(source))
    try:
        document = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InputError(f"{name}: not valid YAML ({error})") from error
    try:
        return model.model_validate(document)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = _where(document, item["loc"])
            problems.append(f"{name}, {where}: {item['msg']}")
        raise InputError("; ".join(problems[:5])) from error


def _where(document: Any, location: Sequence[Any]) -> str:
    """'case 'sympathy-01', field better.band' from a pydantic location."""
    parts = list(location)
    if len(parts) >= 2 and parts[0] in ("cases", "messages") and isinstance(parts[1], int):
        try:
            case_id = document[parts[0]][parts[1]].get("id", f"#{parts[1] + 1}")
        except (AttributeError, IndexError, KeyError, TypeError):
            case_id = f"#{parts[1] + 1}"
        rest = ".".join(str(p) for p in parts[2:])
        return f"case {case_id!r}" + (f", field {rest!r}" if rest else "")
    return "field " + repr(".".join(str(p) for p in parts))


def load_suite(root: Traversable | Path | None = None) -> Suite:
    """Read and validate every file of the suite (``root`` defaults to the shipped one)."""
    base = root if root is not None else suite_root()
    pairs: dict[str, tuple[Pair, ...]] = {}
    folder = base / "pairs"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    for file in files:
        parsed: PairFile = _read(file, PairFile)
        if file.name != f"{parsed.category}.yaml":
            raise InputError(f"{file.name}: holds category {parsed.category!r}; name it after it")
        pairs[parsed.category] = tuple(parsed.cases)
    emotions: EmotionFile = _read(base / "emotions.yaml", EmotionFile)
    rewrites: RewriteFile = _read(base / "rewrites.yaml", RewriteFile)
    seen: set[str] = set()
    everything: Iterable[Any] = [
        *(p for group in pairs.values() for p in group),
        *emotions.messages,
        *rewrites.cases,
    ]
    for item in everything:
        if item.id in seen:
            raise InputError(f"the suite has two cases with id {item.id!r}")
        seen.add(item.id)
    return Suite(pairs, tuple(emotions.messages), tuple(rewrites.cases))


def band_of(score: int) -> str:
    if score >= EXEMPLARY_AT:
        return "exemplary"
    if score < POOR_BELOW:
        return "poor"
    return "adequate"


def _share(passed: int, total: int) -> float | None:
    return round(passed / total, 3) if total else None


def run_suite(assessor: Assessor, suite: Suite | None = None) -> dict[str, Any]:
    """Every figure of the suite for one tier, with the failures listed."""
    suite = suite if suite is not None else load_suite()
    flat = [(category, pair) for category, group in suite.pairs.items() for pair in group]
    requests = [
        (reply.reply, pair.customer) for _, pair in flat for reply in (pair.better, pair.worse)
    ]
    assessments = assessor.assess_many(requests) if requests else []
    per_category: dict[str, list[bool]] = defaultdict(list)
    band_hits: dict[str, list[bool]] = defaultdict(list)
    failures: list[dict[str, Any]] = []
    band_misses: list[dict[str, Any]] = []
    shorter_better = 0
    for index, (category, pair) in enumerate(flat):
        better, worse = assessments[2 * index], assessments[2 * index + 1]
        passed = better.score > worse.score
        per_category[category].append(passed)
        if word_count(pair.better.reply) <= word_count(pair.worse.reply):
            shorter_better += 1
        if not passed:
            failures.append(
                {
                    "id": pair.id,
                    "category": category,
                    "better": better.score,
                    "worse": worse.score,
                }
            )
        for which, reply, assessment in (
            ("better", pair.better, better),
            ("worse", pair.worse, worse),
        ):
            hit = band_of(assessment.score) == reply.band
            band_hits[reply.band].append(hit)
            if not hit:
                band_misses.append(
                    {"id": pair.id, "reply": which, "band": reply.band, "score": assessment.score}
                )
    all_pairs = [p for results in per_category.values() for p in results]
    all_bands = [b for results in band_hits.values() for b in results]
    figures: dict[str, Any] = {
        "tier": assessor.tier.name,
        "model_version": assessor.model_version,
        "pairs": {
            "count": len(all_pairs),
            "better_wins": _share(sum(all_pairs), len(all_pairs)),
            "better_is_not_longer": _share(shorter_better, len(all_pairs)),
            "by_category": {
                category: {"count": len(r), "better_wins": _share(sum(r), len(r))}
                for category, r in per_category.items()
            },
            "failures": failures,
        },
        "bands": {
            "count": len(all_bands),
            "respected": _share(sum(all_bands), len(all_bands)),
            "by_band": {
                band: {"count": len(r), "respected": _share(sum(r), len(r))}
                for band, r in sorted(band_hits.items(), key=lambda kv: -BAND_ORDER[kv[0]])
            },
            "misses": band_misses,
        },
        "emotions": _emotion_figures(assessor, suite.emotions),
        "rewrites": _rewrite_figures(assessor, suite.rewrites),
    }
    return figures


def _emotion_figures(assessor: Assessor, messages: Sequence[EmotionMessage]) -> dict[str, Any]:
    if not messages:
        return {"count": 0}
    readings = assessor.detect_emotions([m.text for m in messages])
    truth: list[str] = [m.emotion for m in messages]
    predicted = [r.label for r in readings]
    by_label = {}
    for label in EMOTIONS:
        tp = sum(t == p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(p == label != t for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label != p for t, p in zip(truth, predicted, strict=True))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
        by_label[label] = {"count": truth.count(label), "f1": round(f1, 3)}
    tags: dict[str, list[bool]] = defaultdict(list)
    misses = []
    for message, guess in zip(messages, predicted, strict=True):
        right = guess == message.emotion
        for tag in message.tags:
            tags[tag].append(right)
        if not right:
            misses.append({"id": message.id, "emotion": message.emotion, "predicted": guess})
    present = [label for label in EMOTIONS if by_label[label]["count"]]
    return {
        "count": len(messages),
        "macro_f1": round(sum(float(by_label[lb]["f1"]) for lb in present) / len(present), 3),
        "accuracy": _share(sum(t == p for t, p in zip(truth, predicted, strict=True)), len(truth)),
        "by_label": by_label,
        "by_tag": {
            tag: {"count": len(r), "accuracy": _share(sum(r), len(r))}
            for tag, r in sorted(tags.items())
        },
        "misses": misses,
    }


def rewrite_problems(case: RewriteCase, rewrite: str) -> list[str]:
    """What the rewrite lost (``keep``) or added (``forbid``); empty when it passes."""
    lowered = rewrite.lower()
    problems = [f"lost {text!r}" for text in case.keep if text.lower() not in lowered]
    problems += [
        f"added {text!r}"
        for text in case.forbid
        if text.lower() in lowered and text.lower() not in case.draft.lower()
    ]
    return problems


def _rewrite_figures(assessor: Assessor, cases: Sequence[RewriteCase]) -> dict[str, Any]:
    if not cases:
        return {"count": 0}
    assessments = assessor.assess_many([(c.draft, c.customer) for c in cases])
    by_rule: dict[str, list[bool]] = defaultdict(list)
    failures = []
    for case, assessment in zip(cases, assessments, strict=True):
        problems = rewrite_problems(case, assessment.rewrite)
        by_rule[case.rule].append(not problems)
        if problems:
            failures.append({"id": case.id, "rule": case.rule, "problems": problems})
    everything = [ok for results in by_rule.values() for ok in results]
    return {
        "count": len(cases),
        "passed": _share(sum(everything), len(everything)),
        "by_rule": {
            rule: {"count": len(r), "passed": _share(sum(r), len(r))} for rule, r in by_rule.items()
        },
        "failures": failures,
    }

"""One contract test over every registered scorer (the scikit-learn habit of a common test)."""

from __future__ import annotations

import re

import pytest

import heard
from heard.errors import InputError
from heard.results import Finding
from heard.scoring import registry
from heard.scoring.exchange import Exchange

SCORERS = registry.scorers()
EXCHANGES = [
    (
        "As I said, you should have read the FAQ. Please calm down, it's just a glitch.",
        "This is the THIRD time!!",
    ),
    (
        "I'm so sorry, I can see how stressful this is. I've refunded £20 today. What else happened?",
        "I was charged twice",
    ),
    ("ok", ""),
    (
        "We apologise for any inconvenience. Thank you for your patience.",
        "my parcel is lost and I need it for Friday",
    ),
]


@pytest.mark.parametrize("scorer", SCORERS, ids=[s.name for s in SCORERS])
def test_scorer_contract(scorer: registry.Scorer) -> None:
    assert re.fullmatch(r"heard\.[a-z_]+\.v\d+", scorer.name)
    assert scorer.codes and len(set(scorer.codes)) == len(scorer.codes)
    assert registry.get(scorer.name) is scorer
    for reply, context in EXCHANGES:
        assessment = heard.assess(reply, context)
        exchange = Exchange.of(reply, context, assessment.customer, assessment.mechanisms)
        earlier = tuple(f for f in assessment.findings if f.scorer != scorer.name)
        findings = scorer(exchange, earlier)
        assert isinstance(findings, list)
        for found in findings:
            assert isinstance(found, Finding)
            assert found.scorer == scorer.name
            assert found.code in scorer.codes
            assert found.evidence, f"{found.code} has no evidence"
            for span in found.evidence:
                source = reply if span.source == "reply" else context
                assert source[span.start : span.end] == span.text


def test_names_are_unique() -> None:
    names = [s.name for s in SCORERS]
    assert len(names) == len(set(names))


def test_codes_are_owned_by_one_scorer() -> None:
    codes = [code for s in SCORERS for code in s.codes]
    assert len(codes) == len(set(codes))


def test_unknown_scorer_lists_the_valid_names() -> None:
    with pytest.raises(InputError, match=r"unknown scorer 'heard\.nope\.v1'.*heard\.blame\.v1"):
        registry.get("heard.nope.v1")


def test_scorer_rejects_an_undeclared_code() -> None:
    rogue = registry.Scorer(
        "rogue",
        1,
        lambda exchange, earlier: [registry.get("heard.blame.v1").finding("x", "gap", "", [])],
        ("y",),  # type: ignore[arg-type]
    )
    assessment = heard.assess("ok", "")
    with pytest.raises(AssertionError, match="undeclared code 'x'"):
        rogue(Exchange.of("ok", "", assessment.customer, assessment.mechanisms), ())

"""Positive and negative examples for every rule-based finding code.

The cases are data, in ``tests/cases/detectors.yaml``: each is a realistic customer message and an
agent reply. Positives check that the finding is there, with the kind ``KINDS`` gives its code and
from one of heard's scorers, that its evidence is non-empty, that every span quotes its source
exactly (``source_text[start:end] == text``), and that the evidence quotes the words that trigger
it. Negatives include the traps a naive keyword detector falls into ("no problem at all", "it's not
your fault", "I just checked", "kindly"...).

Each top-level group of the file is one test here, ``test_<group>`` (``test_acknowledgement``,
``test_apology``...), with one parameter per case, whose id is ``<code>-yes-<id>`` for a positive
and ``<code>-no-<id>`` for a negative; ``contexts`` is no group but the customer messages several
cases share (``&NAME`` there, ``context: *NAME`` in a case). To add a case, append it to the group
of its area (a new group is a new test; a code new to these tests goes into ``KINDS``)::

    - code: apology
      expect: found                    # or absent, with no trigger
      id: sorry-for-the-wait           # lower-case words and dashes
      context: I've been on hold for an hour.
      reply: I'm sorry for the wait. I've refunded the call.
      trigger: I'm sorry               # words the finding's evidence must quote

Cases the engine currently gets wrong are kept as strict xfails, with the reason as ``xfail: ...``,
so that fixing the engine turns them into passes. The file is checked as it is read: an unknown code
or key, a positive without a trigger (or with one its texts do not contain), a negative with one, or
an id used twice fails the collection of this module with the file and the case named.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from yaml.constructor import ConstructorError

import heard
from heard.results import Assessment, Finding, FindingKind

CASES_FILE = Path(__file__).parent / "cases" / "detectors.yaml"

STRENGTH, GAP, ANTI = FindingKind.STRENGTH, FindingKind.GAP, FindingKind.ANTI_PATTERN

KINDS: dict[str, FindingKind] = {
    **dict.fromkeys(
        (
            "acknowledges_feeling",
            "validates_feeling",
            "apology",
            "ownership",
            "clear_next_steps",
            "action_taken",
            "next_steps",
            "personalised",
            "open_question",
            "closed_question",
            "answers_question",
            "warm_tone",
            "gives_steps",
        ),
        STRENGTH,
    ),
    **dict.fromkeys(
        (
            "unacknowledged_emotion",
            "no_acknowledgement",
            "complex_without_exploration",
            "excessive_sympathy",
            "no_next_steps",
            "no_timeline",
            "not_personalised",
            "unanswered_question",
        ),
        GAP,
    ),
    **dict.fromkeys(
        (
            "blames_customer",
            "bare_refusal",
            "misread_tone",
            "sales_push",
            "deflection",
            "minimising",
            "tone_policing",
            "policy_shield",
            "non_apology",
            "generic_reply",
            "defensive_but",
            "sympathy_not_empathy",
            "jargon",
            "scripted_phrase",
            "repeats_tried",
        ),
        ANTI,
    ),
}


# --- the cases file -------------------------------------------------------------------------------

SHARED = "contexts"  # customer messages several cases share (YAML anchors); not a group
EXPECT: dict[str, bool] = {"found": True, "absent": False}
KEYS = ("code", "expect", "id", "context", "reply", "trigger", "xfail")
GROUP = re.compile(r"[a-z][a-z0-9_]*")
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class CaseError(ValueError):
    """A cases file that cannot be run as it is; the message names the file and the case."""


@dataclass(frozen=True)
class Case:
    """``code`` must be found (``expected``) in the reply to ``context``, or must not be."""

    code: str
    expected: bool
    context: str
    reply: str
    trigger: str | None  # a positive's: words the finding's evidence must quote
    name: str  # the case's ``id`` in the file
    xfail: str = ""  # why the engine gets it wrong today: a strict xfail

    @property
    def id(self) -> str:
        return f"{self.code}-{'yes' if self.expected else 'no'}-{self.name}"

    def param(self) -> pytest.ParameterSet:
        marks = [pytest.mark.xfail(reason=self.xfail, strict=True)] if self.xfail else []
        return pytest.param(self, id=self.id, marks=marks)


class _Loader(yaml.SafeLoader):
    """``yaml.SafeLoader``, but a key given twice in one mapping is an error (not the last one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        keys = [self.construct_object(key_node, deep=deep) for key_node, _ in node.value]
        for index, (key_node, _) in enumerate(node.value):
            if keys[index] in keys[:index]:
                raise ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found the key {keys[index]!r} twice",
                    key_node.start_mark,
                )
        return super().construct_mapping(node, deep=deep)


def load_cases(path: Path) -> dict[str, list[Case]]:
    """The groups of cases in a cases file, checked."""
    source = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    return read_cases(path.read_text(encoding="utf-8"), str(source))


def read_cases(text: str, source: str) -> dict[str, list[Case]]:
    """The groups of cases in the YAML ``text``, checked; ``source`` names it in errors."""
    loader = _Loader(text)
    loader.name = source  # YAML's own errors say where, by file, line and column
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as error:
        raise CaseError(f"{source}: not a readable cases file: {error}") from error
    finally:
        loader.dispose()
    if not isinstance(document, dict):
        raise CaseError(f"{source}: expected groups of cases, found {type(document).__name__}")
    shared = document.get(SHARED, {})
    if not isinstance(shared, dict) or not all(isinstance(v, str) for v in shared.values()):
        raise CaseError(f"{source}: {SHARED!r} holds customer messages by name")
    groups: dict[str, list[Case]] = {}
    places: dict[str, str] = {}  # case id -> where it is
    for group, items in document.items():
        if group == SHARED:
            continue
        if not isinstance(group, str) or not GROUP.fullmatch(group):
            raise CaseError(
                f"{source}: group {group!r} is not a lower_case name (its test is test_<group>)"
            )
        if not isinstance(items, list) or not items:
            raise CaseError(f"{source}: group {group!r} is not a list of cases")
        cases = []
        for number, item in enumerate(items, start=1):
            place = f"{group} #{number}"
            case = _case(item, f"{source}: case {_label(item, place)}")
            if case.id in places:
                raise CaseError(
                    f"{source}: case {case.name!r} ({place}): {case.id!r} is the id of "
                    f"{places[case.id]} too"
                )
            places[case.id] = place
            cases.append(case)
        groups[group] = cases
    return groups


def _label(item: object, place: str) -> str:
    name = item.get("id") if isinstance(item, dict) else None
    return f"{name!r} ({place})" if isinstance(name, str) else place


def _case(item: object, where: str) -> Case:
    if not isinstance(item, dict):
        raise CaseError(f"{where}: not a mapping of {', '.join(KEYS)}")
    unknown = [key for key in item if key not in KEYS]
    if unknown:
        raise CaseError(f"{where}: unknown key {unknown[0]!r} (a case has {', '.join(KEYS)})")
    for key in ("code", "expect", "id", "context", "reply"):
        if key not in item:
            raise CaseError(f"{where}: no {key!r}")
    for key, value in item.items():
        if not isinstance(value, str):
            raise CaseError(f"{where}: {key!r} is {value!r}, not text (quote it)")
        if not value.strip() and key != "context":  # a reply may come with no customer message
            raise CaseError(f"{where}: {key!r} is empty")
    code, expect, name = item["code"], item["expect"], item["id"]
    if code not in KINDS:
        raise CaseError(f"{where}: unknown code {code!r} (not in KINDS)")
    if expect not in EXPECT:
        raise CaseError(f"{where}: expect is {expect!r}, not found or absent")
    if not NAME.fullmatch(name):
        raise CaseError(f"{where}: id {name!r} is not lower-case words and dashes")
    trigger = item.get("trigger")
    if EXPECT[expect] and trigger is None:
        raise CaseError(f"{where}: a positive (expect: found) needs a trigger")
    if not EXPECT[expect] and trigger is not None:
        raise CaseError(f"{where}: a negative (expect: absent) has no trigger")
    if trigger is not None and not any(
        trigger.lower() in text.lower() for text in (item["context"], item["reply"])
    ):
        raise CaseError(f"{where}: the trigger {trigger!r} is not in the context or the reply")
    return Case(
        code=code,
        expected=EXPECT[expect],
        context=item["context"],
        reply=item["reply"],
        trigger=trigger,
        name=name,
        xfail=item.get("xfail", ""),
    )


# --- the checks -----------------------------------------------------------------------------------


def describe(assessment: Assessment) -> str:
    emotion = assessment.customer.emotion
    lines = [
        f"customer: {emotion.label} {emotion.intensity:.2f}, "
        f"{assessment.customer.complexity.label} ({assessment.customer.complexity.score})",
    ]
    lines += [f"  {f.code}: {[s.text for s in f.evidence]}" for f in assessment.findings]
    return "\n".join(lines)


def the_finding(assessment: Assessment, code: str) -> Finding:
    found = [f for f in assessment.findings if f.code == code]
    assert len(found) == 1, f"expected exactly one {code!r} finding\n{describe(assessment)}"
    return found[0]


def check_evidence(assessment: Assessment, finding: Finding, trigger: str) -> None:
    assert finding.evidence, f"{finding.code} has no evidence"
    for span in finding.evidence:
        source_text = assessment.reply if span.source == "reply" else assessment.context
        assert span.source in ("reply", "context")
        assert 0 <= span.start <= span.end <= len(source_text)
        assert source_text[span.start : span.end] == span.text, span
        assert span.text.strip(), f"empty span in {finding.code}"
    quoted = [span.text.lower() for span in finding.evidence]
    assert any(trigger.lower() in text for text in quoted), (
        f"{trigger!r} not quoted in the evidence of {finding.code}: {quoted}"
    )


def check(case: Case) -> None:
    assessment = heard.assess(case.reply, context=case.context)
    if not case.expected:
        assert not assessment.has(case.code), f"unexpected {case.code!r}\n{describe(assessment)}"
        return
    assert assessment.has(case.code), f"missing {case.code!r}\n{describe(assessment)}"
    finding = the_finding(assessment, case.code)
    assert finding.kind is KINDS[case.code]
    assert finding.scorer.startswith("heard.")
    assert case.trigger is not None
    check_evidence(assessment, finding, case.trigger)


# --- the loader on malformed cases ----------------------------------------------------------------

A_CASE = """\
  - code: apology
    expect: found
    id: sorry-for-the-wait
    context: I've been on hold for an hour.
    reply: I'm sorry for the wait. I've refunded the call.
    trigger: I'm sorry
"""


def test_a_case_reads_as_its_parameter() -> None:
    text = "apology:\n" + A_CASE + "    xfail: the engine misses it\n"
    [case] = read_cases(text, "memory.yaml")["apology"]
    assert case == Case(
        code="apology",
        expected=True,
        context="I've been on hold for an hour.",
        reply="I'm sorry for the wait. I've refunded the call.",
        trigger="I'm sorry",
        name="sorry-for-the-wait",
        xfail="the engine misses it",
    )
    param = case.param()
    assert param.id == "apology-yes-sorry-for-the-wait"
    [mark] = param.marks
    assert (mark.name, mark.kwargs) == ("xfail", {"reason": "the engine misses it", "strict": True})


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            "code: apology", "code: apologies", "unknown code 'apologies'", id="unknown-code"
        ),
        pytest.param("    trigger: I'm sorry\n", "", "needs a trigger", id="positive-no-trigger"),
        pytest.param("expect: found", "expect: absent", "has no trigger", id="negative-trigger"),
        pytest.param("trigger:", "triger:", "unknown key 'triger'", id="unknown-key"),
        pytest.param("expect: found", "expect: yes", "not text", id="yaml-boolean"),
        pytest.param(
            "I'm sorry\n", "We apologise\n", "'We apologise' is not in", id="trigger-not-in-text"
        ),
        pytest.param(A_CASE, A_CASE + A_CASE, "is the id of apology #1 too", id="duplicate-id"),
    ],
)
def test_a_malformed_case_fails_naming_the_file_and_the_case(
    old: str, new: str, message: str
) -> None:
    assert old in A_CASE
    text = "apology:\n" + A_CASE.replace(old, new)
    with pytest.raises(CaseError, match=re.escape(message)) as raised:
        read_cases(text, "memory.yaml")
    assert str(raised.value).startswith("memory.yaml: case 'sorry-for-the-wait' (apology #")


def test_a_key_given_twice_fails_naming_the_file_and_the_line() -> None:
    text = "apology:\n" + A_CASE + "    reply: I'm sorry.\n"
    with pytest.raises(
        CaseError, match=r"found the key 'reply' twice\n  in \"memory.yaml\", line 8"
    ):
        read_cases(text, "memory.yaml")


# --- the cases, one test per group: test_acknowledgement, test_validation, test_apology... -------

CASES = load_cases(CASES_FILE)


def _test_of(group: str, cases: list[Case]) -> Callable[[Case], None]:
    @pytest.mark.parametrize("case", [case.param() for case in cases])
    def test(case: Case) -> None:
        check(case)

    test.__name__ = test.__qualname__ = f"test_{group}"
    test.__doc__ = f"The cases of {group!r} in {CASES_FILE.name}."
    return test


for _group, _cases in CASES.items():
    if f"test_{_group}" in globals():
        raise CaseError(f"{CASES_FILE}: group {_group!r} is named like a test of this module")
    globals()[f"test_{_group}"] = _test_of(_group, _cases)

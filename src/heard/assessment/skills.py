"""The seven skills heard trains and measures, read from an assessment.

One definition for role-play scorecards, practice progress and live conversations, so that
"did the skills trained in role-play improve in live conversations?" compares like with like.
A reply *shows* a skill when its assessment has one of the skill's codes; the EPITOME mechanisms
count only at the strong level (2), where the engine is confident.

- ``acknowledge``, ``reflect``, ``explore``, ``own``, ``next_steps``: see ``SKILLS``;
- ``no_anti_patterns``: no anti-pattern finding (blame, minimising, policy shield...);
- ``fit``: none of the misfit findings (``MISFIT``: an emotion left unacknowledged, a complex
  issue answered without exploring it, excessive sympathy).
"""

from __future__ import annotations

from heard.results import Assessment, FindingKind

STRONG = 2  # the mechanism level that counts
MECHANISM_CODES = {
    "emotional_reactions": "emotional_reaction",
    "interpretations": "interpretation",
    "explorations": "exploration",
}
# Each skill and the codes that show it in a reply (mechanisms count when strong).
SKILLS: dict[str, frozenset[str]] = {
    "acknowledge": frozenset({"acknowledges_feeling", "validates_feeling", "emotional_reaction"}),
    "reflect": frozenset({"interpretation", "personalised"}),
    "explore": frozenset({"exploration", "open_question"}),
    "own": frozenset({"ownership", "apology"}),
    "next_steps": frozenset({"clear_next_steps", "next_steps", "action_taken", "gives_steps"}),
}
MISFIT = frozenset(
    {
        "unacknowledged_emotion",
        "no_acknowledgement",
        "off_target_acknowledgement",
        "handed_back",
        "complex_without_exploration",
        "excessive_sympathy",
        "slow_for_stakes",
    }
)
SKILL_NAMES: tuple[str, ...] = (*SKILLS, "no_anti_patterns", "fit")


def codes_of(assessment: Assessment) -> set[str]:
    """The finding codes of an assessment, with the mechanisms the engine rates strong (level
    2): the weak level is too uncertain to count."""
    mechanisms = set(MECHANISM_CODES.values())
    codes = {f.code for f in assessment.findings if f.code not in mechanisms}
    for name, mechanism in assessment.mechanisms.items():
        if mechanism.level >= STRONG:
            codes.add(MECHANISM_CODES.get(name, name))
    return codes


def reply_skills(assessment: Assessment) -> dict[str, bool]:
    """Which of the seven skills (``SKILL_NAMES``) one reply shows."""
    codes = codes_of(assessment)
    shown = {name: bool(codes & wanted) for name, wanted in SKILLS.items()}
    shown["no_anti_patterns"] = not assessment.findings_of(FindingKind.ANTI_PATTERN)
    shown["fit"] = not codes & MISFIT
    return shown

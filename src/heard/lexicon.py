"""Word classes and phrase patterns shared by the rule-based scorers and the readings of the
customer (``heard.understanding``), which is why they live beside both, not inside either.

Patterns match the normalised text (lower case, straight apostrophes; see ``heard.text.normalise``),
so they are written in lower case. Each list is a documented, editable piece of the rubric.
"""

from __future__ import annotations

import re


def phrases(*alternatives: str) -> re.Pattern[str]:
    """One compiled pattern matching any alternative as whole words."""
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


def words_re(words: str) -> str:
    """A regex alternation for a space-separated word list (each may itself be a regex)."""
    return "(?:" + "|".join(words.split()) + ")"


# Feelings a customer may have, as an agent would name them ("how frustrating", "your frustration").
FEELING = words_re(
    r"frustrat\w* upset\w* annoy\w* stress\w* worr\w* anxi\w* concern\w* disappoint\w* confus\w* "
    r"angry anger infuriat\w* exasperat\w* irritat\w* distress\w* overwhelm\w* unsettl\w* "
    r"scar(?:y|ed|ing) alarm\w* nerv\w* maddening heartbreaking painful inconvenien\w* "
    r"hard difficult tough awful horrible rough unacceptable unfair draining exhausting "
    r"discourag\w* disheartening fed-up frighten\w* terrifying terrible rotten rubbish miserable "
    r"horrid dreadful nightmare urgent serious upsetting worrying galling infuriating gutting gutted "
    r"heartbreaking steep harsh"
)
# The same without words that are often literal ("the hard drive", "it is difficult to say").
FEELING_STRICT = words_re(
    r"frustrat\w* upset\w* annoy\w* stress\w* worr\w* anxi\w* concern\w* disappoint\w* confus\w* "
    r"angry anger infuriat\w* exasperat\w* irritat\w* distress\w* overwhelm\w* unsettl\w* "
    r"scar(?:y|ed|ing) alarm\w* nerv\w* maddening heartbreaking painful inconvenien\w* "
    r"unacceptable unfair draining exhausting discourag\w* disheartening fed-up frighten\w* "
    r"terrifying rotten miserable dreadful nightmare upsetting worrying galling gutting gutted urgent "
    r"serious awful horrible terrible"
)
INTENSIFIER = words_re(
    r"so really very incredibly truly extremely understandably genuinely completely totally "
    r"absolutely deeply terribly particularly especially quite clearly rightly"
)
# Verbs of recognising someone's experience.
RECOGNISE = words_re(
    r"see hear imagine understand appreciate know sense get recognise recognize realise realize"
)
I_WILL = r"(?:i'll|i will|i am going to|i'm going to|i'm gonna|we'll|we will|we are going to|we're going to)"

# Actions an agent commits to or reports as done (base form; past forms are matched separately).
ACTION = words_re(
    r"send resend refund credit issue process escalate call ring email e-mail text message contact "
    r"update check fix repair replace reset ship dispatch arrange book schedule reschedule cancel "
    r"reverse waive add apply confirm deliver reactivate unlock restore investigate review "
    r"follow chase raise open close remove transfer move change correct adjust reimburse "
    r"compensate reach get put keep monitor track expedite prioriti[sz]e speak talk look sort "
    r"handle resolve arrange organi[sz]e cover pay credit void release lift approve unblock "
    r"activate reissue post courier collect return authori[sz]e rebook reorder renew"
)
# Completed service actions reported in the passive ("the charge has been refunded"); states such
# as "closed" or "changed" are left out ("the branch is closed" commits to nothing).
PASSIVE_DONE = words_re(
    r"refunded credited booked rebooked cancelled canceled dispatched shipped sent resent scheduled "
    r"rescheduled arranged processed reversed waived replaced fixed repaired restored unlocked "
    r"reactivated resolved approved released escalated logged raised reset applied issued reissued "
    r"activated renewed expedited prioriti[sz]ed reimbursed compensated unblocked authori[sz]ed "
    r"voided corrected unfrozen lifted upgraded cleared chased rolled\sback rebilled attached "
    r"uploaded linked"
)
# Present-progressive commitments: "I'm refunding", "we're sending".
ACTION_ING = (
    r"(?:refund|resend|send|credit|issu|process|escalat|call|email|text|messag|contact|updat|check|fix|repair|"
    r"replac|reset|ship|dispatch|arrang|rebook|book|schedul|cancel|revers|waiv|add|apply|confirm|"
    r"deliver|reactivat|unlock|restor|investigat|review|follow|chas|rais|look|sort|handl|resolv|"
    r"organi[sz]|cover|pay|releas|lift|approv|unblock|activat|reissu|post|collect|return|"
    r"authori[sz]|transfer|mov|chang|correct|adjust|reimburs|compensat|monitor|track|expedit|"
    r"prioriti[sz]|speak|talk|get|put|open|clos|remov)\w{0,3}ing"
)
ACTION_DONE = words_re(
    r"sent resent refunded credited issued processed escalated called rang emailed e-mailed "
    r"texted messaged contacted updated checked fixed repaired replaced reset shipped dispatched "
    r"arranged booked scheduled rescheduled cancelled canceled reversed waived added applied "
    r"confirmed delivered reactivated unlocked restored investigated reviewed chased raised "
    r"opened closed removed transferred moved changed corrected adjusted reimbursed compensated "
    r"put kept monitored tracked expedited prioriti[sz]ed spoken talked looked sorted handled "
    r"resolved organi[sz]ed covered paid voided released lifted approved unblocked activated "
    r"reissued posted collected returned authori[sz]ed started submitted logged flagged rebooked "
    r"reordered renewed done booked re-sent withdrawn frozen unfrozen taken given made put set "
    r"shown written held kept found brought rebilled reopened voided upgraded downgraded pushed "
    r"restarted rebooted cleared credited topped attached uploaded linked"
)
WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun)"
NUMBER_WORD = (
    r"(?:\d+(?:\s?(?:-|to|\u2013)\s?\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"twenty-four|a few|a couple of)"
)
TIME_UNIT = r"(?:minutes?|mins?|hours?|hrs?|business days?|working days?|days?|weeks?|months?)"
# A concrete "when".
WHEN = phrases(
    r"today",
    r"tonight",
    r"tomorrow(?: morning| afternoon| evening)?",
    r"this (?:morning|afternoon|evening|week|weekend)",
    r"next " + WEEKDAY,
    r"next week",
    r"(?:on|by|before|until|this|for) (?:next )?" + WEEKDAY,
    r"by (?:tomorrow|tonight|noon|midday|midnight|the end of (?:the )?(?:day|week|month)|end of (?:day|week)|eod)",
    r"by the end of (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*",
    r"(?:by|before|on|until|from) \d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*",
    r"(?:for you |it |this |that |them )?now(?=\s*[,.!;]|\s+(?:and|so|while|then)\b|\s*$)",
    r"the (?:day|moment|minute|second) (?:you|it|we|they)",
    r"as soon as (?:you|it|the \w+|they|your \w+) (?:\w+ )?(?:arrive|arrives|land|lands|return|returns|confirm|confirms|send|sends|get|gets|is|are)",
    r"(?:this|tomorrow|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)) (?:morning|afternoon|evening|night)",
    r"while you (?:wait|hold|are on the (?:line|phone))",
    r"effective (?:now|immediately|today|straight away)",
    r"whenever (?:suits you|you like|you're ready|you are ready|works for you|is convenient|you want)",
    r"at a time that suits you",
    r"(?:by|at|before|after|around|from) \d{1,2}(?::\d{2})?\s?(?:am|pm)?",
    r"\d{1,2}(?::\d{2})?\s?(?:am|pm)",
    r"(?:within|in) (?:the next )?" + NUMBER_WORD + r" " + TIME_UNIT,
    r"(?:on|by|before) (?:the )?\d{1,2}(?:st|nd|rd|th)?(?: of)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\w*",
    r"(?:on|by|before) (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\w* \d{1,2}(?:st|nd|rd|th)?",
    r"(?:within|in|for) (?:the|an|the next) (?:hour|day|week|half hour|half an hour)",
    r"(?:for|in) the next " + NUMBER_WORD + r" " + TIME_UNIT,
    r"(?:the )?same day",
    r"later today",
    r"by return",
    r"right now",
    r"right away",
    r"straight away",
    r"immediately",
    r"as we speak",
    # done with them here and now: "I can take the details here in the chat", "on this call"
    r"here (?:in|on) (?:the|this) (?:chat|call|line)|(?:in|on) this (?:chat|call)",
    r"here and now",
)
# Noting it down is not doing it: "I've noted all of that down", "we've logged it".
NOTED = (
    r"(?:i've|i have|we've|we have|i|we) (?:\w+ )?(?:noted|logged|recorded|made a note|"
    r"taken (?:a )?note|written down|added a note|put a note)\b"
)
# Time words that promise nothing definite.
VAGUE_WHEN = phrases(
    r"shortly",
    r"soon",
    r"as soon as (?:possible|we can)",
    r"asap",
    r"in due course",
    r"at some point",
)

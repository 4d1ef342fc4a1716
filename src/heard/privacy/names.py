"""Personal names that the writer introduces: "my name is ...", "Name: ...", "I'm ...",
"this is ... speaking". No language model is used (none ships with heard), so a name is only
taken where the sentence says it is one.

- After a naming cue ("my name is", "my name's", "my full/first/last name is", "my surname is",
  "Name:", "Full name:", "First name", "Surname:", "name on the account:"): up to four
  capitalised words, with particles (``van der``, ``bin``, ``de la``) and a title (``Mrs``,
  ``Dr``); in lower case ("my name is tom okafor") up to three words that are not phrases such
  as "my name is spelled wrong" or "my name is on the account". Not after "company name",
  "user name", "my dog's name" and the like.
- After "I'm" / "I am", "this is", "it's": a capitalised name (``Priya``, ``Yuki Tanaka``) that
  is not an ordinary word ("I'm Sorry", "I'm Furious", "I'm Back"), a nationality ("I'm
  British") or a bot ("I'm Helpbot"), followed by the end of the clause or by "and", "from",
  "here", "speaking"... A name that is also a word ("I'm Grace") is taken only with a surname
  ("I'm Grace O'Malley"). "this is" and "it's" need a greeting before them ("Hi, this is
  Helen") or "speaking", "here", "calling", "from" after the name ("This is Sofia from ...").

Ordinary words are told from names with the English lexicon that ``lemminflect`` ships (a
dependency of heard's scoring, loaded on first use). Names of other people ("ask for Kwame",
"Hi Dana,"), sign-offs and names in running text are not taken.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from heard.privacy.context import NAME, Found

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")
_SPACE = re.compile(r"[ \t]+")
_QUALIFIER = r"(?:(?:full|first|last|given|family|maiden)[ \t]+)?"
_STRONG = re.compile(
    rf"(?<![\w'’])(?:(?i:(?P<my>my[ \t]+){_QUALIFIER}(?:sur)?name(?:[ \t]+is|['’]s|s(?![\w]))"
    rf"|{_QUALIFIER}(?:sur)?name(?:[ \t]*:|[ \t]+on[ \t]+(?:the|my)[ \t]+(?:account|card|order"
    r"|booking|reservation|passport|ticket)(?:[ \t]+is|[ \t]*:)))"
    r"|(?i:(?:first|last|full|given|family)[ \t]+name|surname)(?=[ \t]+[A-Z]))[ \t]*"
)
# "I'm", "I am", "this is", "it's". Written to start with a character class, which the regular
# expression engine scans for quickly (this runs on every message).
_WEAK = re.compile(
    r"[IiTt](?<![\w'’][IiTt])(?:(?<=I)(?P<self>['’]m|[ \t]+am)|(?<=[Tt])his[ \t]+is"
    r"|(?<=[Ii])t['’]s)[ \t]+"
)
_GREETING = re.compile(
    r"(?:^|[.!?\n][ \t]*)(?i:(?:hi|hello|hey|hiya|good[ \t]+(?:morning|afternoon|evening)"
    r"|greetings)(?:[ \t]+(?:there|team|all|again|everyone|folks|support))?[ \t]*[,!.—–-]*[ \t]*"
    r"|(?:yes|ok|okay|so)[ \t]*,?[ \t]*)$"
)
_TITLES = frozenset("mr mrs ms miss mx dr prof sir dame".split())
_PARTICLES = frozenset(
    "van von der den de da di du del della la le bin binti ibn al el dos das ter ten y".split()
)
# Words after which "name" names something else: "company name:", "my dog's name is".
_NOT_PERSON = frozenset(
    "company business user username file product brand shop store street pet dog dog's cat "
    "cat's wifi network display screen model device app domain team host project event venue "
    "hotel restaurant song book band ship boat horse baby's".split()
)
# Words that follow "my name is" in sentences that give no name.
_NOT_NAME = frozenset(
    "not on in at for as to by from with under also still now already just actually really "
    "spelled spelt misspelled misspelt wrong incorrect correct missing different changed the a "
    "an listed shown showing written printed there here too being same right fine ok okay and "
    "but so has was is isn't legally officially displayed visible cut truncated mixed wrongly "
    "incorrectly hyphenated long short unusual common pronounced attached linked registered "
    "only my your his her their our its this that these those what which who whom none nothing "
    "nobody something someone private confidential unknown yes no i me you he she we they it "
    "name".split()
)
# Words that end a name ("Dana And I ...", "Rahul Please help").
_NOT_NEXT = frozenset(
    "and but so the a i is was from here speaking calling please thanks thank hi hello my "
    "your our this that it".split()
)
# Capitalised words after "I'm" that are not names (and are not in the lexicon as words).
_NOT_SELF = frozenset(
    "i im i'm ok okay ill american british english scottish welsh irish canadian australian "
    "indian pakistani bangladeshi nigerian kenyan ghanaian german french spanish italian "
    "portuguese dutch belgian swiss austrian polish swedish danish norwegian finnish russian "
    "ukrainian chinese japanese korean vietnamese thai filipino malaysian indonesian mexican "
    "brazilian argentinian colombian chilean peruvian turkish greek egyptian moroccan "
    "european asian african latino latina muslim jewish hindu sikh catholic protestant "
    "jordanian lebanese syrian iranian iraqi saudi emirati israeli palestinian ethiopian "
    "somali sudanese zimbabwean nepali afghan romanian bulgarian hungarian czech slovak "
    "croatian serbian bosnian albanian lithuanian latvian estonian icelandic cuban venezuelan "
    "ecuadorian jamaican haitian dominican guatemalan honduran salvadoran bolivian uruguayan "
    "paraguayan taiwanese singaporean cambodian burmese mongolian kazakh uzbek armenian "
    "azerbaijani tunisian algerian libyan cameroonian senegalese ivorian ugandan tanzanian "
    "rwandan zambian malawian namibian angolan congolese scandinavian hispanic caribbean arab "
    "persian kurdish tamil punjabi gujarati bengali sri lankan kiwi aussie "
    "buddhist mormon monday tuesday wednesday thursday friday saturday sunday january february "
    "march april may june july august september october november december christmas easter".split()
)
# What may follow a name introduced with "I'm", "this is" or "it's".
_AFTER_NAME = re.compile(
    r"[ \t]*(?:$|[,.!?;:)\n—–-]|(?i:and|from|here|speaking|calling|writing|with|again|at|of|by"
    r"|on[ \t]+behalf)(?![\w]))"
)
_INTRODUCED = re.compile(r"[ \t]+(?i:speaking|here|calling|from|writing)(?![\w])")
_MAX_WORDS = 4


class _Name(NamedTuple):
    start: int
    end: int
    words: tuple[str, ...]  # the name's words, particles and title left out


@lru_cache(maxsize=4096)
def is_word(word: str) -> bool:
    """Whether ``word`` (lower case) is an ordinary English word in lemminflect's lexicon."""
    from lemminflect import getAllLemmas

    return bool(getAllLemmas(word))


def _capitalised(word: str) -> bool:
    letters = word.rstrip(".")
    return letters[:1].isupper() and (len(letters) == 1 or not letters.isupper())


def _read_name(text: str, position: int, *, lower: bool) -> _Name | None:
    """The name that starts at ``position``: a title, then capitalised words and particles (or
    lower-case words when ``lower``), at most `_MAX_WORDS` words."""
    words: list[str] = []
    start = end = position
    cursor = position
    while len(words) < _MAX_WORDS:
        token = _TOKEN.match(text, cursor)
        if token is None:
            break
        word = token.group()
        bare = word.rstrip(".").lower()
        if not words and start == end and bare in _TITLES and _capitalised(word):
            start = end = cursor = _skip_space(text, token.end())
            continue
        if words and word in _PARTICLES:
            following = _after_particles(text, token.end())
            if following is not None:
                cursor = following
                continue
        sentence_end = word.endswith(".") and len(word) > 2
        word = word[:-1] if sentence_end else word
        if not _name_word(word, lower=lower, first=not words):
            break
        words.append(word)
        end = token.start() + len(word)
        cursor = _skip_space(text, end)
        if sentence_end:
            break
    if words and words[0].islower() and is_word(words[0]) and len(words) < 2:
        return None  # "my name is tom" could be a word; "my name is tom okafor" is a name
    if not any(len(word.rstrip(".")) > 1 for word in words):
        return None  # initials alone ("Name: N/A") are not a name
    return _Name(start, end, tuple(words)) if words else None


def _after_particles(text: str, position: int) -> int | None:
    """Where the capitalised word after a run of particles ("van der Berg") starts, if one
    does."""
    cursor = _skip_space(text, position)
    while (token := _TOKEN.match(text, cursor)) is not None:
        if _capitalised(token.group()):
            return cursor
        if token.group() not in _PARTICLES:
            return None
        cursor = _skip_space(text, token.end())
    return None


def _skip_space(text: str, position: int) -> int:
    space = _SPACE.match(text, position)
    return space.end() if space else position


def _name_word(word: str, *, lower: bool, first: bool) -> bool:
    """Whether ``word`` can be part of a name read after a cue: capitalised, or (when
    ``lower``) a lower-case word that is not an ordinary one."""
    bare = word.lower()
    if bare in (_NOT_NAME if first else _NOT_NEXT) or bare in _NOT_SELF:
        return False
    if bare.endswith(("bot", "'s", "’s")):  # "I'm Helpbot", "I'm Dana's husband"
        return False
    if _capitalised(word):
        return True
    return lower and word.islower() and (first or not is_word(bare))


def _greeted(text: str, start: int) -> bool:
    """Whether the sentence before ``start`` is only a greeting ("Hi,", "Hello there!")."""
    return bool(_GREETING.search(text, max(0, start - 60), start))


def _after_strong(text: str, cue: re.Match[str]) -> _Name | None:
    """The name after a naming cue ("my name is", "Name:")."""
    before = text[max(0, cue.start() - 20) : cue.start()].split()
    if not cue["my"] and before and before[-1].lower() in _NOT_PERSON:
        return None
    return _read_name(text, cue.end(), lower=True)


def _after_weak(text: str, cue: re.Match[str]) -> _Name | None:
    """The name after "I'm", "this is" or "it's", when the sentence says it is a name."""
    name = _read_name(text, cue.end(), lower=False)
    greeted: bool | None = None
    if name is None and not cue["self"]:  # "hi this is jake": lower case after a greeting
        greeted = _greeted(text, cue.start())
        name = _read_name(text, cue.end(), lower=True) if greeted else None
    if name is None or not _AFTER_NAME.match(text, name.end):
        return None
    if is_word(name.words[0].lower()) and (len(name.words) < 2 or is_word(name.words[1].lower())):
        return None
    if cue["self"]:
        return name
    if _INTRODUCED.match(text, name.end):
        return name
    if greeted if greeted is not None else _greeted(text, cue.start()):
        return name
    return None


def find_names(text: str) -> list[Found]:
    """Names the writer introduces in ``text`` (their own, or "this is ... speaking")."""
    found: list[Found] = []
    lowered = text.lower()
    if "name" in lowered:
        for cue in _STRONG.finditer(text):
            if (name := _after_strong(text, cue)) is not None:
                found.append(Found(NAME, name.start, name.end))
    for cue in _WEAK.finditer(text):
        if (name := _after_weak(text, cue)) is not None:
            found.append(Found(NAME, name.start, name.end))
    return found

"""Message bodies to the words their author wrote: HTML to text, quoted e-mail and signatures out.

HTML (BeautifulSoup's ``html.parser``): scripts, styles and comments are dropped; paragraphs,
headings, lists and tables are separated by a blank line, ``<div>``, ``<li>`` and table rows by a
line break, ``<br>`` is a line break; entities are decoded and runs of spaces collapsed (kept
inside ``<pre>``). Quote containers are removed before the text is taken: Gmail's
``div.gmail_quote``, Apple Mail's ``blockquote type="cite"``, Thunderbird's
``div.moz-cite-prefix``, Yahoo's ``div.yahoo_quoted``, Outlook's ``div#divRplyFwdMsg`` header and
Freshdesk's ``freshdesk_quote``; any other ``<blockquote>`` only in a reply (``is_reply``), since a
first message may quote something on purpose.

Quoted e-mail in text: an attribution line such as ``On Mon, 4 Mar 2024, Maya wrote:`` (also
French, German, Spanish, Italian and Dutch forms, and when wrapped over two lines) and everything
after it, unless ``>``-quoted lines follow it, in which case only the attribution goes and the
author's own lines below are kept (bottom posting); every ``>``-quoted line;
``-----Original Message-----`` and what follows; an Outlook header block (``From:`` followed
within a few lines by ``Sent:``/``Date:`` and ``To:``/``Subject:``) and what follows; help-desk
"reply above this line" markers and what follows.

Signatures, only near the end: the ``-- `` delimiter and what follows; "Sent from my iPhone",
"Get Outlook for Android" and the like; a closing block, that is a valediction line ("Kind
regards,", "Best", "Cheers") followed by at most five short lines (name, title, company, phone),
removed whole. A thanks line ("Thanks,", "Thank you!") is what the author said, so it stays and
only the name block under it goes. A line that reads like a sentence (long, or ending in "?",
"!" or a full stop after several words) is content, and stops the closing-block rule.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.element import (
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    PageElement,
    ProcessingInstruction,
    Tag,
)

_DROP = frozenset(
    {"script", "style", "head", "title", "meta", "link", "noscript", "template", "svg", "object"}
)
_PARAGRAPH = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre", "hr"}
)
_LINE = frozenset(
    {
        "div", "li", "tr", "dt", "dd", "section", "article", "header", "footer", "main", "nav",
        "aside", "address", "figure", "figcaption", "form", "fieldset", "center", "caption",
    }
)  # fmt: skip
_CELL = frozenset({"td", "th"})
_SKIPPED_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)
_QUOTE_CLASSES = frozenset(
    {"gmail_quote", "gmail_quote_container", "yahoo_quoted", "moz-cite-prefix", "freshdesk_quote"}
)
_QUOTE_IDS = frozenset({"divRplyFwdMsg", "appendonsend"})

_ATTRIBUTION = re.compile(
    r"^(?:on|le|am|el|il|op)\b.{0,300}?\b"
    r"(?:wrote|a écrit|schrieb|escribió|ha scritto|schreef)\s*:$",
    re.IGNORECASE,
)
_ATTRIBUTION_END = re.compile(
    r"\b(?:wrote|a écrit|schrieb|escribió|ha scritto|schreef)\s*:$", re.IGNORECASE
)
_ATTRIBUTION_START = re.compile(r"^(?:on|le|am|el|il|op)\s+\S", re.IGNORECASE)
_QUOTED_LINE = re.compile(r"^\s*>")
_ORIGINAL = re.compile(
    r"^-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine)\s*-{2,}$",
    re.IGNORECASE,
)
_REPLY_ABOVE = re.compile(
    r"^(?:#+\s*-?\s*)?(?:please )?(?:type your )?reply above this line\b", re.IGNORECASE
)
_HEADER_FROM = re.compile(r"^\*?(?:from|von|de)\s*:\*?\s*\S", re.IGNORECASE)
_HEADER_SENT = re.compile(r"^\*?(?:sent|date|gesendet|envoyé)\s*:", re.IGNORECASE)
_HEADER_SUBJECT = re.compile(r"^\*?(?:subject|betreff|objet|asunto)\s*:", re.IGNORECASE)
_RULE = re.compile(r"^[_\-=]{8,}$")

_SIG_DELIMITER = re.compile(r"^--\s?$")
_MOBILE_FOOTER = re.compile(
    r"^(?:sent from my \w[\w ]{0,30}|sent from (?:mail|outlook|yahoo mail|gmail|samsung)\b.*|"
    r"get outlook for \w+.*|sent via \w[\w ]{0,30}|sent from my mobile( device)?)\.?$",
    re.IGNORECASE,
)
_GRATITUDE = re.compile(
    r"^(?:thanks|thank you|thanks again|thanks so much|thank you so much|many thanks|"
    r"thanks in advance|thx|ty)[\s,.!]*$",
    re.IGNORECASE,
)
_VALEDICTION = re.compile(
    r"^(?:(?:kind|best|warm|warmest|kindest|many|with)\s+)?(?:regards|wishes)[\s,.!]*$|"
    r"^(?:best|cheers|sincerely|yours sincerely|yours truly|yours faithfully|faithfully|"
    r"all the best|take care|warmly|respectfully|cordially|talk soon|speak soon|"
    r"have a (?:great|nice|good) (?:day|one|weekend))[\s,.!]*$",
    re.IGNORECASE,
)
_CONTACT = re.compile(r"@\w|https?://|www\.|\+?\d[\d\s().-]{6,}\d")
_SIGNATURE_TAIL = 5  # lines after a valediction that may still be a name/title/company block
_DELIMITER_TAIL = 12  # lines after "-- " that may be a signature


# -- HTML --------------------------------------------------------------------------------------


def html_to_text(html: str, *, is_reply: bool = False) -> str:
    """The visible text of an HTML body, without quote containers (see the module doc)."""
    if "<" not in html and "&" not in html:
        return normalise_whitespace(html)
    with warnings.catch_warnings():  # a body that is only a URL is still a body
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(_QuoteMatcher(is_reply)):
        if isinstance(element, Tag) and not element.decomposed:
            element.decompose()
    return normalise_whitespace("".join(_text_pieces(soup)))


class _QuoteMatcher:
    """Whether a tag holds quoted earlier e-mail (see the module doc)."""

    def __init__(self, is_reply: bool) -> None:
        self.is_reply = is_reply

    def __call__(self, tag: Tag) -> bool:
        if tag.name == "blockquote" and (self.is_reply or tag.get("type") == "cite"):
            return True
        if any(name in _QUOTE_CLASSES for name in tag.get_attribute_list("class")):
            return True
        return tag.get("id") in _QUOTE_IDS


def _text_pieces(root: Tag) -> list[str]:
    """The text with line breaks for block elements, walked without recursion.

    Block boundaries ask for "at least" one or two line breaks, so nested blocks (``<ul><li>``)
    do not pile up blank lines; each ``<br>`` adds one.
    """
    pieces: list[str] = []
    pending = 0  # line breaks owed before the next text
    stack: list[tuple[PageElement | int, bool]] = [(root, False)]
    while stack:
        node, in_pre = stack.pop()
        if isinstance(node, int):
            pending = max(pending, node)  # a block closing
        elif isinstance(node, NavigableString):
            if isinstance(node, _SKIPPED_STRINGS):
                continue
            text = str(node) if in_pre else re.sub(r"\s+", " ", str(node))
            if not text.strip() and (pending or not pieces):
                continue
            if pending:
                pieces.append("\n" * pending)
                pending = 0
            pieces.append(text)
        elif not isinstance(node, Tag) or node.name in _DROP:
            continue
        elif node.name == "br":
            pending += 1
        else:
            breaks = _breaks(node.name)
            if breaks:
                pending = max(pending, breaks)
                stack.append((breaks, in_pre))
            elif node.name in _CELL:
                stack.append((NavigableString(" "), in_pre))
            inner_pre = in_pre or node.name == "pre"
            stack.extend((child, inner_pre) for child in reversed(node.contents))
    return pieces


def _breaks(name: str) -> int:
    if name in _PARAGRAPH:
        return 2
    if name in _LINE:
        return 1
    return 0


def normalise_whitespace(text: str) -> str:
    """Spaces collapsed within lines, lines trimmed, at most one blank line in a row."""
    lines = [re.sub(r"[ \t\f\v\u00a0\u200b]+", " ", line).strip() for line in text.splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()


# -- quoted e-mail -----------------------------------------------------------------------------


def strip_quoted(text: str) -> str:
    """The text without quoted earlier e-mail (see the module doc)."""
    lines = text.split("\n")
    cut = _quote_cut(lines)
    if cut is not None:
        lines = lines[:cut]
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        span = _attribution_span(lines, index)
        if span:  # followed by ">" lines: drop the attribution, keep what the author wrote below
            index += span
            continue
        if not _QUOTED_LINE.match(line):
            kept.append(lines[index])
        index += 1
    return normalise_whitespace("\n".join(kept))


def _quote_cut(lines: list[str]) -> int | None:
    """Where the quoted tail starts, or None."""
    for index, raw in enumerate(lines):
        line = raw.strip()
        if _ORIGINAL.match(line) or _REPLY_ABOVE.match(line):
            return index
        span = _attribution_span(lines, index)
        if span and not _next_is_quoted(lines, index + span):
            return index
        if _HEADER_FROM.match(line) and _outlook_header(lines, index):
            return index - 1 if index and _RULE.match(lines[index - 1].strip()) else index
    return None


def _attribution_span(lines: list[str], index: int) -> int:
    """How many lines an attribution ("On ... wrote:") starting at ``index`` takes: 0, 1 or 2."""
    line = lines[index].strip()
    if not line or len(line) > 400:
        return 0
    if _ATTRIBUTION.match(line) and _has_digit(line):
        return 1
    if _ATTRIBUTION_START.match(line) and index + 1 < len(lines):
        following = lines[index + 1].strip()
        if (
            len(following) <= 200
            and _ATTRIBUTION_END.search(following)
            and _has_digit(line + following)
        ):
            return 2
    return 0


def _has_digit(text: str) -> bool:
    """Attributions carry a date; "On Monday I wrote:" in a customer's own words does not."""
    return any(char.isdigit() for char in text)


def _next_is_quoted(lines: list[str], index: int) -> bool:
    for line in lines[index:]:
        if line.strip():
            return _QUOTED_LINE.match(line) is not None
    return False


def _outlook_header(lines: list[str], index: int) -> bool:
    window = [line.strip() for line in lines[index + 1 : index + 6]]
    return any(_HEADER_SENT.match(line) for line in window) and any(
        _HEADER_SUBJECT.match(line) for line in window
    )


# -- signatures --------------------------------------------------------------------------------


def strip_signature(text: str) -> str:
    """The text without a trailing signature (see the module doc). Never empties a message
    that has content before the signature; a message that is only a signature stays as it is."""
    lines = text.split("\n")
    lines = _cut_delimiter(lines)
    lines = _cut_mobile_footer(lines)
    lines = _cut_closing_block(lines)
    return normalise_whitespace("\n".join(lines))


def _content_before(lines: list[str], index: int) -> bool:
    return any(line.strip() for line in lines[:index])


def _cut_delimiter(lines: list[str]) -> list[str]:
    for index in range(len(lines) - 1, -1, -1):
        if _SIG_DELIMITER.match(lines[index].rstrip("\r")) and _content_before(lines, index):
            if len(lines) - index - 1 <= _DELIMITER_TAIL:
                return lines[:index]
            break
    return lines


def _cut_mobile_footer(lines: list[str]) -> list[str]:
    nonblank = [index for index, line in enumerate(lines) if line.strip()]
    for index in reversed(nonblank[-3:]):
        if _MOBILE_FOOTER.match(lines[index].strip()) and _content_before(lines, index):
            return lines[:index]
    return lines


def _cut_closing_block(lines: list[str]) -> list[str]:
    nonblank = [index for index, line in enumerate(lines) if line.strip()]
    for position in range(len(nonblank) - 1, max(-1, len(nonblank) - 2 - _SIGNATURE_TAIL), -1):
        index = nonblank[position]
        line = lines[index].strip()
        after = nonblank[position + 1 :]
        if _GRATITUDE.match(line):
            return lines[: index + 1] if after else lines
        if _VALEDICTION.match(line):
            return lines[:index] if _content_before(lines, index) else lines
        if not _signature_like(line):
            return lines
    return lines


def _signature_like(line: str) -> bool:
    """A name, title, company, phone, e-mail or web address line rather than a sentence: short,
    and one word or mostly capitalised words ("Maya Lopez", "Head of Support", "Acme Ltd.")."""
    words = line.split()
    if len(line) > 60 or len(words) > 6 or line.endswith(("?", "!", ":")):
        return False
    if _CONTACT.search(line):
        return True
    if line.endswith(".") and len(words) >= 3:
        return False
    capitalised = sum(1 for word in words if not word[0].isalpha() or word[0].isupper())
    return len(words) == 1 or capitalised / len(words) >= 0.6


# -- together ----------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Plain text without quoted e-mail and signature."""
    return strip_signature(strip_quoted(normalise_whitespace(text)))


def clean_html(html: str, *, is_reply: bool = False) -> str:
    """HTML to clean text: markup, quoted e-mail and signature removed."""
    return strip_signature(strip_quoted(html_to_text(html, is_reply=is_reply)))

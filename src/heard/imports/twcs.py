"""Customer Support on Twitter (``twcs.csv``, Thought Vector's Kaggle data set): one tweet a row.

Columns: ``tweet_id``, ``author_id``, ``inbound`` (True for customers), ``created_at`` (``Tue Oct
31 22:10:47 +0000 2017``), ``text``, ``response_tweet_id`` (comma-separated) and
``in_response_to_tweet_id`` (empty for a thread's first tweet; ``123.0`` is read as 123).

Threads become conversations. The conversation id is the id of the thread's root: the tweet
reached by following ``in_response_to_tweet_id`` until a tweet that answers nothing, or answers a
tweet that is not in the file (``response_tweet_id`` carries the same links the other way, so it
is not needed). Tweets caught in a reply cycle (only in damaged files) each start their own
thread.

Streaming in two passes over the file: the first keeps only integer ids (each tweet and the one
it answers, in NumPy arrays: 16 bytes a tweet) to find every thread's root and size; the second
groups tweets by root and yields a thread as soon as all its tweets have been read. At most
``max_buffered`` tweets wait at a time: past that, the longest waiting threads are yielded as
pieces until half that many wait, and the rest of each later under the same id (storage merges
pieces by message id).

Mapping:

- ``inbound`` True → the customer (``author_id``, an anonymised number in the data set);
  False → an agent, whose team is the company handle (``AppleSupport``). Many companies sign
  tweets with the agent's initials or name (``... ^JK``, ``-JK``, ``~Sarah``): the agent is then
  ``AppleSupport/JK`` named ``JK``, so that agents of one handle are told apart; without a
  sign-off the agent is the handle itself.
- text: HTML entities decoded (the data set keeps ``&amp;``), and the leading ``@handle``
  mentions removed (``@AppleSupport my phone...`` → ``my phone...``), since they address the
  tweet rather than say anything; mentions later in the text are kept, and so is the sign-off.
- channel ``twitter``; no outcomes (the data set has none).

A row that cannot be read (an id that is not a number, a date that is not one, ``inbound`` not
True/False, no text left) is a ``Reject`` at ``tweet <id>`` (``line <n>`` if the id is
unreadable); a second row with the same tweet id is rejected and the first kept.
"""

from __future__ import annotations

import functools
import html
import logging
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import numpy.typing as npt

from heard.errors import InputError
from heard.imports import streams
from heard.imports.records import ImportedAgent, ImportedConversation, ImportedMessage, Reject
from heard.imports.values import MalformedError, in_time_order, parse_bool, parse_timestamp
from heard.model import Role
from heard.times import storable

log = logging.getLogger(__name__)

SOURCE = "twcs"
COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id")
MAX_BUFFERED = 5000  # tweets held in memory while their threads are incomplete
_TWITTER_TIME = re.compile(  # "Tue Oct 31 22:10:47 +0000 2017", faster than strptime
    r"[A-Z][a-z]{2} (?P<month>[A-Z][a-z]{2}) (?P<day>\d{1,2}) "
    r"(?P<hour>\d\d):(?P<minute>\d\d):(?P<second>\d\d) (?P<zone>[+-]\d{4}) (?P<year>\d{4})"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_NO_PARENT = -1
_LEADING_MENTIONS = re.compile(r"^(?:\s*@\w+[,:]?)+\s*")
_TRAILING_LINKS = re.compile(r"(?:\s+https?://\S+)+\s*$")
_SIGN_OFF = re.compile(r"(?:^|\s)[\^~*/\-–—]\s?([A-Z][A-Za-z]{1,11})[.!]?\s*$")
_WHOLE_NUMBER = re.compile(r"\s*(\d{1,19})(?:\.0*)?\s*")

Ids = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class _Tweet:
    id: int
    parent: int | None
    author: str
    inbound: bool
    time: datetime | None
    text: str
    sign_off: str | None
    line: int


@dataclass(frozen=True, slots=True)
class _Threads:
    """Every readable tweet id (sorted), its thread root's index, and each root's thread size."""

    ids: Ids
    root: npt.NDArray[np.intp]
    size: npt.NDArray[np.intp]

    def root_and_size(self, tweet_id: int) -> tuple[int, int]:
        index = int(np.searchsorted(self.ids, tweet_id))
        root = int(self.root[index])
        return int(self.ids[root]), int(self.size[root])


def read_twcs(
    path: Path, *, max_buffered: int = MAX_BUFFERED
) -> Iterator[ImportedConversation | Reject]:
    """The threads of a twcs.csv file as conversations (see the module doc)."""
    position = _columns(path)
    ids: array[int] = array("q")
    parents: array[int] = array("q")
    for row in _body(path):
        if isinstance(row, streams.BadRow):
            yield Reject(str(path), f"line {row.line}", row.problem)
            continue
        line, fields = row
        tweet = _tweet_or_reject(path, line, fields, position)
        if isinstance(tweet, Reject):
            yield tweet
            continue
        ids.append(tweet.id)
        parents.append(_NO_PARENT if tweet.parent is None else tweet.parent)
    threads, duplicates = _threads(ids, parents)
    del ids, parents
    yield from _grouped(path, position, threads, duplicates, max_buffered)


def _columns(path: Path) -> dict[str, int]:
    header = [name.strip().lower() for name in streams.csv_header(path)]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise InputError(
            f"lacks the twcs column(s) {', '.join(missing)} (has {', '.join(header)})",
            where=str(path),
        )
    return {column: header.index(column) for column in COLUMNS}


def _body(path: Path) -> Iterator[tuple[int, list[str]] | streams.BadRow]:
    rows = streams.csv_rows(path)
    next(rows, None)
    yield from rows


def _tweet_or_reject(
    path: Path, line: int, fields: list[str], position: dict[str, int]
) -> _Tweet | Reject:
    try:
        return _tweet(line, fields, position)
    except MalformedError as error:
        tweet_id = fields[position["tweet_id"]] if len(fields) > position["tweet_id"] else ""
        where = f"tweet {tweet_id.strip()}" if _WHOLE_NUMBER.fullmatch(tweet_id) else f"line {line}"
        return Reject(str(path), where, error.problem, error.field)


def _tweet(line: int, fields: list[str], position: dict[str, int]) -> _Tweet:
    if len(fields) <= max(position.values()):
        raise MalformedError(f"has {len(fields)} fields, fewer than the header's columns")

    def get(column: str) -> str:
        return fields[position[column]]

    tweet_id = _integer(get("tweet_id"), "tweet_id")
    if tweet_id is None:
        raise MalformedError("is empty", "tweet_id")
    parent = _integer(get("in_response_to_tweet_id"), "in_response_to_tweet_id")
    author = get("author_id").strip()
    if not author:
        raise MalformedError("is empty", "author_id")
    try:
        inbound = parse_bool(get("inbound"))
    except ValueError as error:
        raise MalformedError(str(error), "inbound") from None
    if inbound is None:
        raise MalformedError("is empty", "inbound")
    raw_text = html.unescape(get("text"))
    text = " ".join(_LEADING_MENTIONS.sub("", raw_text).split())
    if not text:
        raise MalformedError("has no text once the leading @mentions are removed", "text")
    sign_off = None if inbound else _sign_off(raw_text)
    return _Tweet(tweet_id, parent, author, inbound, _time(get("created_at")), text, sign_off, line)


def _integer(value: str, field: str) -> int | None:
    if not value.strip():
        return None
    match = _WHOLE_NUMBER.fullmatch(value)
    if match is None or int(match.group(1)) >= 2**63:
        raise MalformedError(f"{value!r} is not a tweet id", field)
    return int(match.group(1))


def _time(value: str) -> datetime:
    match = _TWITTER_TIME.fullmatch(value.strip())
    if match and match["month"] in _MONTHS:
        sign = -1 if match["zone"][0] == "-" else 1
        offset = sign * (int(match["zone"][1:3]) * 60 + int(match["zone"][3:]))
        try:
            moment = datetime(
                int(match["year"]),
                _MONTHS[match["month"]],
                int(match["day"]),
                int(match["hour"]),
                int(match["minute"]),
                int(match["second"]),
                tzinfo=_zone(offset),
            )
        except ValueError:
            pass
        else:
            try:
                return storable(moment)
            except ValueError as error:
                raise MalformedError(str(error), "created_at") from None
    try:
        parsed = parse_timestamp(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise MalformedError(
            f"{value!r} is not a time like 'Tue Oct 31 22:10:47 +0000 2017'", "created_at"
        )
    return parsed


@functools.cache
def _zone(minutes: int) -> timezone:
    return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))


def _sign_off(text: str) -> str | None:
    """The agent's initials or name at the end of a tweet (``^JK``, ``-JK``, ``~Sarah``)."""
    match = _SIGN_OFF.search(_TRAILING_LINKS.sub("", text))
    return match.group(1) if match else None


def _threads(ids: array[int], parents: array[int]) -> tuple[_Threads, set[int]]:
    """Each tweet's thread root, by pointer jumping over the parent links (log depth passes)."""
    all_ids = np.frombuffer(ids, dtype=np.int64) if len(ids) else np.empty(0, np.int64)
    all_parents = np.frombuffer(parents, dtype=np.int64) if len(parents) else all_ids.copy()
    order = np.argsort(all_ids, kind="stable")
    sorted_ids, sorted_parents = all_ids[order], all_parents[order]
    first = np.ones(len(sorted_ids), dtype=bool)
    first[1:] = sorted_ids[1:] != sorted_ids[:-1]
    duplicates = {int(value) for value in sorted_ids[~first]}
    unique_ids, unique_parents = sorted_ids[first], sorted_parents[first]
    count = len(unique_ids)
    own = np.arange(count, dtype=np.intp)
    if count == 0:
        return _Threads(unique_ids, own, own.copy()), duplicates
    at = np.searchsorted(unique_ids, unique_parents)
    found = (unique_parents != _NO_PARENT) & (at < count)
    found &= unique_ids[np.minimum(at, count - 1)] == unique_parents
    root = np.where(found, at, own).astype(np.intp)
    for _ in range(64):
        following = root[root]
        if np.array_equal(following, root):
            break
        root = following
    stuck = root[root] != root  # a reply cycle: no tweet in it answers nothing
    root[stuck] = own[stuck]
    size = np.bincount(root, minlength=count).astype(np.intp)
    return _Threads(unique_ids, root, size), duplicates


def _grouped(
    path: Path,
    position: dict[str, int],
    threads: _Threads,
    duplicates: set[int],
    max_buffered: int,
) -> Iterator[ImportedConversation | Reject]:
    waiting: dict[int, list[_Tweet]] = {}
    read: dict[int, int] = {}  # tweets of each waiting thread read so far, pieces included
    buffered = 0
    seen_duplicates: set[int] = set()
    conversations = 0
    for row in _body(path):
        if isinstance(row, streams.BadRow):
            continue  # rejected in the first pass
        line, fields = row
        try:
            tweet = _tweet(line, fields, position)
        except MalformedError:
            continue  # rejected in the first pass
        if tweet.id in duplicates:
            if tweet.id in seen_duplicates:
                yield Reject(
                    str(path), f"tweet {tweet.id}", f"appears again (line {line}); first kept"
                )
                continue
            seen_duplicates.add(tweet.id)
        root, size = threads.root_and_size(tweet.id)
        waiting.setdefault(root, []).append(tweet)
        read[root] = read.get(root, 0) + 1
        buffered += 1
        if read[root] == size:
            del read[root]
            buffered -= len(waiting[root])
            conversations += 1
            yield _conversation(path, root, waiting.pop(root))
        if buffered > max_buffered:  # the longest waiting threads go, down to half the limit
            for longest in sorted(waiting, key=lambda key: -len(waiting[key])):
                if buffered <= max_buffered // 2:
                    break
                buffered -= len(waiting[longest])
                conversations += 1
                yield _conversation(path, longest, waiting.pop(longest))
    for root in sorted(waiting):
        conversations += 1
        yield _conversation(path, root, waiting[root])
    log.info("%s: %d conversation pieces", path, conversations)


def _conversation(path: Path, root: int, tweets: list[_Tweet]) -> ImportedConversation:
    messages: list[ImportedMessage] = []
    agents: dict[str, ImportedAgent] = {}
    for tweet in tweets:
        if tweet.inbound:
            author, name, role = tweet.author, None, Role.CUSTOMER
        else:
            author = f"{tweet.author}/{tweet.sign_off}" if tweet.sign_off else tweet.author
            name, role = tweet.sign_off, Role.AGENT
            agents.setdefault(author, ImportedAgent(id=author, name=name, team=tweet.author))
        messages.append(
            ImportedMessage(
                id=str(tweet.id),
                author_id=author,
                role=role,
                text=tweet.text,
                timestamp=tweet.time,
                author_name=name,
            )
        )
    ordered = in_time_order(sorted(messages, key=lambda message: int(message.id)))
    customers = [t.author for t in sorted(tweets, key=lambda t: t.id != root) if t.inbound]
    stamps = [message.timestamp for message in ordered if message.timestamp]
    first_line = next((t.line for t in tweets if t.id == root), min(t.line for t in tweets))
    return ImportedConversation(
        source=SOURCE,
        id=str(root),
        messages=ordered,
        channel="twitter",
        customer_id=customers[0] if customers else None,
        created_at=min(stamps) if stamps else None,
        updated_at=max(stamps) if stamps else None,
        agents=tuple(agents.values()),
        location=f"{path}:{first_line}",
    )

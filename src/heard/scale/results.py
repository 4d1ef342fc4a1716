"""What travels between the driver and the workers: plain picklable values.

The driver sends each worker the cache keys already stored for the model version
(:class:`KnownKeys`, broadcast once); each worker sends back one :class:`ScoredPartition` per
partition: the redacted conversations, what scoring found in them, and its new assessments as
JSON text (serialised on the worker, so that the driver only passes them on to the database).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from heard.analytics.scored import ScoredConversation
from heard.imports.records import ImportedConversation, Reject


class KnownKeys:
    """A set of cache keys (SHA-256 in hex) held as a sorted array of 32-byte digests: a fifth
    of the memory of a Python set of the strings, which matters when it is copied to every
    worker. Called with keys, it answers which of them it holds (``score_conversations``'s
    ``known``)."""

    __slots__ = ("_digests",)

    def __init__(self, keys: Iterable[str] = ()) -> None:
        digests = sorted({bytes.fromhex(key) for key in keys})
        self._digests: npt.NDArray[np.bytes_] = np.array(digests, dtype="S32")

    def __len__(self) -> int:
        return len(self._digests)

    def __call__(self, keys: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(keys))
        if not wanted or not len(self._digests):
            return set()
        probe = np.array([bytes.fromhex(key) for key in wanted], dtype="S32")
        at = np.searchsorted(self._digests, probe)
        inside = at < len(self._digests)
        found = np.zeros(len(wanted), dtype=bool)
        found[inside] = self._digests[at[inside]] == probe[inside]
        return {key for key, hit in zip(wanted, found.tolist(), strict=True) if hit}

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self([key]))


@dataclass
class ScoredPartition:
    """One partition's results. ``scored[i]`` belongs to ``conversations[i]`` (redacted); its
    replies' ``assessment`` is always None here: new assessments are in ``assessments`` (cache
    key → (score, the assessment as JSON text)), and a reply whose key is not there was already
    stored.
    """

    number: int
    model_version: str
    conversations: list[ImportedConversation] = field(default_factory=list)
    scored: list[ScoredConversation] = field(default_factory=list)
    assessments: dict[str, tuple[int, str]] = field(default_factory=dict)
    rejects: list[tuple[int, Reject]] = field(default_factory=list)  # (row order, reject)
    # what the partition's conversations say of each agent, from the conversation latest in the
    # archive that says it: (source, agent id) → (that conversation's first row order, value)
    agent_names: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    agent_teams: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    rows: int = 0
    messages: int = 0
    seconds: float = 0.0  # the worker's time on this partition, from rows to results

    @property
    def replies(self) -> int:
        return sum(len(scored.replies) for scored in self.scored)

    def note_agents(self, conversation: ImportedConversation, order: int) -> None:
        """Remember the conversation's agent names and teams if it is the latest to give them."""
        for agent in conversation.agents:
            key = (conversation.source, agent.id)
            for value, latest in ((agent.name, self.agent_names), (agent.team, self.agent_teams)):
                if value is not None and (key not in latest or latest[key][0] < order):
                    latest[key] = (order, value)


class LatestAgents:
    """The driver's record of each agent's name and team from the conversation latest in the
    archive, over the partitions written so far. Partitions arrive in any order, and the local
    engine keeps what the last conversation in the file says (an agent renamed, or moved to
    another team): the writer stores these values, not the partition's own."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, str], tuple[int, str]] = {}
        self.teams: dict[tuple[str, str], tuple[int, str]] = {}

    def add(self, partition: ScoredPartition) -> None:
        for mine, theirs in (
            (self.names, partition.agent_names),
            (self.teams, partition.agent_teams),
        ):
            for key, (order, value) in theirs.items():
                if key not in mine or mine[key][0] < order:
                    mine[key] = (order, value)

    def name(self, source: str, agent_id: str) -> str | None:
        found = self.names.get((source, agent_id))
        return found[1] if found else None

    def team(self, source: str, agent_id: str) -> str | None:
        found = self.teams.get((source, agent_id))
        return found[1] if found else None

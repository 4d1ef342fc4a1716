"""An optional language-model customer: an OpenAI-compatible chat-completions endpoint writes the
customer's lines from the persona, the facts and the current state.

The engine still decides the emotion, the needs met and the ending; the model only words the line.
Nothing is sent anywhere unless an endpoint is configured (``HEARD_LLM_BASE_URL`` and
``HEARD_LLM_MODEL``, optionally ``HEARD_LLM_API_KEY``), and any failure (timeout, HTTP error, a
reply that is not the expected JSON, an empty line or a refusal) raises ``LLMError``: the session
then falls back to the authored lines and says so.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from heard.practice.customer import CustomerState
from heard.practice.scenario import Scenario
from heard.practice.session import WriterError

TIMEOUT = 15.0
_REFUSAL = re.compile(
    r"\b(?:as an ai|i(?:'m| am) an ai|language model|i can(?:not|'t) (?:help|assist|comply|"
    r"role-?play)|i(?:'m| am) (?:not able|unable) to (?:help|assist|comply))\b",
    re.IGNORECASE,
)


class LLMError(WriterError):
    """The language-model customer could not give a line (the reason is the message)."""


@dataclass(frozen=True)
class LLMSettings:
    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = TIMEOUT

    @classmethod
    def from_environment(cls) -> LLMSettings | None:
        base_url = os.environ.get("HEARD_LLM_BASE_URL")
        model = os.environ.get("HEARD_LLM_MODEL")
        if not base_url or not model:
            return None
        return cls(base_url.rstrip("/"), model, os.environ.get("HEARD_LLM_API_KEY") or None)


def prompt(
    scenario: Scenario, state: CustomerState, direction: str, open_needs: Sequence[str]
) -> str:
    persona = scenario.persona
    needs = {need.id: need.description for need in scenario.needs}
    if state.outcome == "resolved":
        goal = "Your needs are met and you are calm: close the conversation warmly."
    elif state.outcome == "escalated":
        goal = "You have had enough: ask for a manager or say you are leaving."
    else:
        goal = (
            f"The agent's last reply made you {direction}. Still needed: "
            + ("; ".join(needs[n] for n in open_needs) or "nothing")
            + "."
        )
    return (
        f"You are {persona.name}, a customer in a {scenario.channel} conversation with customer "
        f"service about: {scenario.title}. Style: {persona.style.directness}, "
        f"{persona.style.formality}. {persona.cultural_notes}\n"
        f"Facts: {'; '.join(fact.text for fact in scenario.facts)}.\n"
        f"You feel {state.emotion} (intensity {state.intensity:.1f} of 1). {goal}\n"
        "Write only your next message: one to three sentences, in character. Never say you are "
        "an AI, never invent new facts, never write the agent's part."
    )


class LLMCustomer:
    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings

    def line(
        self,
        scenario: Scenario,
        state: CustomerState,
        direction: str,
        open_needs: Sequence[str],
        history: Sequence[tuple[str, str]],
    ) -> str:
        """The customer's next line. ``history``: (role, text), role "customer" or "agent"."""
        messages: list[dict[str, str]] = [
            {"role": "system", "content": prompt(scenario, state, direction, open_needs)}
        ]
        for role, text in history:
            messages.append(
                {"role": "assistant" if role == "customer" else "user", "content": text}
            )
        body = json.dumps(
            {"model": self.settings.model, "messages": messages, "temperature": 0.7}
        ).encode()
        request = urllib.request.Request(
            f"{self.settings.base_url}/chat/completions",
            data=body,
            headers={"Content-Type": "application/json"}
            | (
                {"Authorization": f"Bearer {self.settings.api_key}"}
                if self.settings.api_key
                else {}
            ),
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            raise LLMError(f"the endpoint answered HTTP {error.code}") from error
        except TimeoutError as error:
            raise LLMError(f"no answer within {self.settings.timeout:g} s") from error
        except (urllib.error.URLError, OSError) as error:
            raise LLMError(f"cannot reach the endpoint ({error})") from error
        return _content(payload)


def _content(payload: bytes) -> str:
    try:
        document: Any = json.loads(payload)
        message = document["choices"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise LLMError("the answer is not a chat completion (bad JSON)") from error
    if not isinstance(message, dict):
        raise LLMError("the answer is not a chat completion (bad JSON)")
    if message.get("refusal"):
        raise LLMError("the model refused")
    content = message.get("content")
    if not isinstance(content, str) or not content.strip():
        raise LLMError("the model gave an empty line")
    if _REFUSAL.search(content):
        raise LLMError("the model refused or broke character")
    return content.strip()

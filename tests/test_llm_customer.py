"""The optional language-model customer against a local server on loopback that speaks the
chat-completions protocol, including its failures: the session falls back and says so."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from heard.practice.llm import LLMCustomer, LLMError, LLMSettings
from heard.practice.scenario import library_path, load_scenario
from heard.practice.session import RolePlay
from heard.services.models import assessor


class ChatServer(BaseHTTPRequestHandler):
    mode: ClassVar[str] = "ok"
    requests: ClassVar[list[dict[str, Any]]] = []

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ChatServer.requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
        )
        if self.mode == "slow":
            time.sleep(1.5)
        if self.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        message: dict[str, Any] = {
            "role": "assistant",
            "content": "Fine. When do I get my $59.99 back?",
        }
        if self.mode == "refusal":
            message = {"role": "assistant", "content": None, "refusal": "I can't help with that."}
        if self.mode == "ai":
            message = {"role": "assistant", "content": "As an AI language model, I cannot pretend."}
        payload = (
            b"{not json"
            if self.mode == "bad-json"
            else json.dumps({"choices": [{"message": message}]}).encode()
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ChatServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    ChatServer.requests = []
    ChatServer.mode = "ok"
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def session(base_url: str) -> RolePlay:
    writer = LLMCustomer(LLMSettings(base_url, "local-model", api_key="k", timeout=0.5))
    return RolePlay(
        load_scenario(library_path() / "double-charge.yaml"),
        assessor("fast"),
        seed=2,
        writer=writer,
    )


def test_the_model_words_the_line_and_the_engine_keeps_the_state(server: str) -> None:
    play = session(server)
    turn = play.reply("Let me check that.")
    assert turn.customer_line == "Fine. When do I get my $59.99 back?" and turn.fallback is None
    [request] = ChatServer.requests
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer k"
    messages = request["body"]["messages"]
    assert request["body"]["model"] == "local-model"
    assert messages[0]["role"] == "system" and "Dana" in messages[0]["content"]
    assert "frustrated" in messages[0]["content"] and "refunded" in messages[0]["content"]
    assert [m["role"] for m in messages[1:]] == ["assistant", "user"]  # the opening, the reply
    assert turn.state.outcome is None and turn.state.intensity > 0.8  # the engine decides


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("slow", "no answer within 0.5 s"),
        ("error", "HTTP 500"),
        ("bad-json", "bad JSON"),
        ("refusal", "refused"),
        ("ai", "refused or broke character"),
    ],
)
def test_failures_fall_back_to_the_authored_lines(server: str, mode: str, reason: str) -> None:
    ChatServer.mode = mode
    play = session(server)
    turn = play.reply("Let me check that.")
    assert turn.fallback is not None and reason in turn.fallback
    authored = load_scenario(library_path() / "double-charge.yaml").lines
    assert any(
        turn.customer_line.startswith(line)
        for line in authored.same + authored.angrier + authored.calmer
    )
    assert turn.to_dict()["fallback"] == turn.fallback


def test_no_endpoint_no_language_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEARD_LLM_BASE_URL", raising=False)
    assert LLMSettings.from_environment() is None
    monkeypatch.setenv("HEARD_LLM_BASE_URL", "http://127.0.0.1:9/v1/")
    monkeypatch.setenv("HEARD_LLM_MODEL", "m")
    settings = LLMSettings.from_environment()
    assert settings is not None and settings.base_url == "http://127.0.0.1:9/v1"
    with pytest.raises(LLMError, match="cannot reach"):
        LLMCustomer(settings).line(
            load_scenario(library_path() / "double-charge.yaml"), session_state(), "same", [], []
        )


def session_state():  # type: ignore[no-untyped-def]
    from heard.practice.customer import start

    return start(load_scenario(library_path() / "double-charge.yaml"))

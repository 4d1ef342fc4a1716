"""Hostile input shared by the readers' fuzz tests and benchmarks/hostile_inputs.py: bytes that
break readers, the generic fields, and good records to surround a bad one with."""

from __future__ import annotations

# Bytes that have broken readers: NUL, Latin-1, a UTF-16 mark, a bare CR, a lone-surrogate
# escape, deep brackets, numbers past 64 bits, a time past 9999, rich markup, structure.
HOSTILE_BYTES = [
    b"\x00",
    b"\xe9",
    b"\xff\xfe",
    b"\r",
    b'"',
    b"\\udc80",
    b"[" * 500,
    b"1e400",
    b"100000000000000000000000000000",
    b"9999-12-31T23:59:59-14:00",
    b"[/bold]",
    b"\n",
    b",",
    b"{",
    b"}",
]
GENERIC_FIELDS = [
    "conversation_id",
    "message_id",
    "timestamp",
    "author_id",
    "role",
    "text",
    "csat",
    "resolved",
    "reopens",
    "channel",
    "team",
    "agent_name",
    "wait_minutes",
]
TICKET_FIELDS = ["created_at", "via", "status", "tags", "satisfaction_rating", "comments"]


def good_rows(first: int, count: int) -> list[dict[str, object]]:
    """Generic JSONL rows, one customer message each: conversations ``good-N``."""
    return [
        {
            "conversation_id": f"good-{n}",
            "message_id": f"good-{n}-1",
            "timestamp": "2026-03-02T10:00:00Z",
            "author_id": "cust",
            "role": "customer",
            "text": "Where is my order?",
        }
        for n in range(first, first + count)
    ]


def good_tickets(first: int, count: int) -> list[dict[str, object]]:
    """Zendesk tickets ``4700 + N`` with one public comment each."""
    return [
        {
            "id": 4700 + n,
            "created_at": "2024-03-04T09:12:00Z",
            "requester_id": 9001,
            "comments": [
                {
                    "id": 10 * n + 1,
                    "author_id": 9001,
                    "public": True,
                    "body": "Order late?",
                    "created_at": "2024-03-04T09:12:00Z",
                }
            ],
        }
        for n in range(first, first + count)
    ]

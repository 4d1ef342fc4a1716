"""Help-desk exports in, ``ImportedConversation`` values out.

``read_export(path)`` detects the format (``detect_format``) and streams the conversations and
``Reject`` values of a Zendesk, Freshdesk, Intercom, Customer Support on Twitter (twcs) or
generic CSV/JSONL export; ``parse_mapping`` reads the CLI's ``--map TARGET=COLUMN`` items for
generic files. Each reader's module documents its format and how it maps onto the records.
"""

from __future__ import annotations

from heard.imports.detect import FORMATS, detect_format, read_export
from heard.imports.generic import parse_mapping
from heard.imports.records import (
    ImportedAgent,
    ImportedConversation,
    ImportedMessage,
    Outcomes,
    Reject,
)

__all__ = [
    "FORMATS",
    "ImportedAgent",
    "ImportedConversation",
    "ImportedMessage",
    "Outcomes",
    "Reject",
    "detect_format",
    "parse_mapping",
    "read_export",
]

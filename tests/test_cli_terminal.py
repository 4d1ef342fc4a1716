"""On a terminal, a long batch shows a progress bar (the piped case is in test_cli.py)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

HEARD = Path(sys.executable).parent / "heard"


def test_a_batch_on_a_terminal_shows_a_progress_bar(tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for i in range(600):
            handle.write(
                json.dumps(
                    {
                        "id": i,
                        "context": f"Where is order {i}?!",
                        "reply": "Sorry! I've chased it today.",
                    }
                )
                + "\n"
            )
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")} | {
        "TERM": "xterm",
        "COLUMNS": "100",
    }
    process = subprocess.Popen(
        [str(HEARD), "assess", "--input", str(source), "--output", str(tmp_path / "out.jsonl")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not data:
            break
        chunks.append(data)
    assert process.wait(timeout=120) == 0
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "assess (fast)" in shown and "600" in shown  # the bar's label and its "n/600" count
    assert "600 of 600 lines written" in shown
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 600

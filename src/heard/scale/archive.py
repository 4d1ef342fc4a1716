"""Finding an archive's files and reading them as a Dask DataFrame, one partition per piece of
conversations.

An archive is generic message rows (see ``heard.imports.generic``) in Parquet (a file, or a
folder of files, searched recursively as Dask reads them) or JSON Lines (a file or a glob of
files; ``.gz``/``.bz2``/``.xz`` files are read whole, one partition each). Nothing requires the
rows of a conversation to be together: the rows are shuffled on the conversation id, so that
every conversation's rows end up in one partition, whatever file or block they came from.

Dask is imported here, so this module is imported only once the scale extra is known to be
installed (see ``heard.scale.dask_engine``).
"""

from __future__ import annotations

import glob
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import pyarrow.parquet as pq

from heard.errors import InputError
from heard.imports.generic import REQUIRED
from heard.scale.rows import (
    KEY,
    RAW,
    empty_frame,
    field_columns,
    prepare,
    prepared_meta,
    read_jsonl_block,
)

log = logging.getLogger(__name__)

PARQUET = (".parquet", ".parq", ".pq")
COMPRESSED = (".gz", ".bz2", ".xz", ".zst")
_MAGIC = b"PAR1"
_SAMPLE = 1 << 16  # bytes read from a JSON Lines file to estimate its rows


@dataclass(frozen=True)
class Archive:
    """The files of an archive, their format and about how many rows they hold."""

    label: str  # what the user named: reported as the file of every reject
    kind: str  # "parquet" | "jsonl" | "empty" (only empty files: nothing to read)
    files: tuple[str, ...]
    rows: int  # exact for Parquet (from the footers), estimated for JSON Lines
    line_bytes: float = 0.0  # JSON Lines: average bytes per line in the first file's head


def _is_glob(text: str) -> bool:
    return any(char in text for char in "*?[")


def _looks_parquet(path: Path) -> bool:
    if path.suffix.lower() in PARQUET:
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(4) == _MAGIC
    except OSError:
        return False


def find_archive(archive: str | Path) -> Archive:
    """The archive's files, or an ``InputError`` naming what is missing or wrong."""
    label = str(archive)
    path = Path(label).expanduser()
    if _is_glob(label):
        files = [Path(p) for p in sorted(glob.glob(str(path), recursive=True))]
        files = [p for p in files if p.is_file()]
        if not files:
            raise InputError("no file matches this pattern", where=label)
    elif path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PARQUET)
        if not files:
            raise InputError(
                f"this folder holds no Parquet files ({', '.join(PARQUET)}); for JSON Lines, "
                "give a file or a pattern such as 'exports/*.jsonl'",
                where=label,
            )
    elif path.is_file():
        files = [path]
    else:
        raise InputError("no such file or folder", where=label)
    files = [p for p in files if p.stat().st_size > 0]
    if not files:
        return Archive(label, "empty", (), 0)
    kinds = {"parquet" if _looks_parquet(p) else "jsonl" for p in files}
    if len(kinds) > 1:
        raise InputError("mixes Parquet and JSON Lines files; give one kind", where=label)
    kind = kinds.pop()
    names = tuple(str(p) for p in files)
    if kind == "parquet":
        return Archive(label, kind, names, _parquet_rows(label, files))
    line_bytes = _line_bytes(files[0])
    size = sum(p.stat().st_size for p in files)
    return Archive(label, kind, names, max(1, round(size / line_bytes)), line_bytes)


def _parquet_rows(label: str, files: list[Path]) -> int:
    rows = 0
    for path in files:
        try:
            metadata = pq.read_metadata(path)
        except (OSError, ValueError) as error:
            raise InputError(f"is not a readable Parquet file ({error})", where=str(path)) from None
        rows += metadata.num_rows
    schema = pq.read_schema(files[0])
    found = field_columns(list(schema.names))
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise InputError(
            f"lacks the column(s) {', '.join(missing)} (has {', '.join(schema.names)}); a "
            "generic archive has one row per message with the columns conversation_id, "
            "message_id, timestamp, author_id, role and text",
            where=str(files[0]) if len(files) > 1 else label,
        )
    return rows


def _line_bytes(path: Path) -> float:
    with path.open("rb") as handle:
        head = handle.read(_SAMPLE)
    lines = head.count(b"\n")
    if path.suffix.lower() in COMPRESSED or not lines:
        return float(max(len(head), 1))
    return len(head) / lines


def read_archive(archive: Archive, *, partition_rows: int, workers: int) -> tuple[Any, int]:
    """The archive as a Dask DataFrame of prepared rows (``heard.scale.rows.prepare``), shuffled
    so that each conversation is in one partition; and the number of partitions: about
    ``partition_rows`` rows each, and a multiple of ``workers`` (so that none waits for one last
    partition while the others are idle)."""
    if archive.kind == "parquet":
        names = field_columns(list(pq.read_schema(archive.files[0]).names))
        frame = dd.read_parquet(list(archive.files), columns=list(names.values()))
    else:
        compressed = any(name.lower().endswith(COMPRESSED) for name in archive.files)
        blocksize = None if compressed else max(1 << 20, int(partition_rows * archive.line_bytes))
        frame = dd.read_json(
            list(archive.files),
            lines=True,
            blocksize=blocksize,
            errors="surrogateescape",  # a line that is not UTF-8 is one reject, not a failure
            engine=read_jsonl_block,
            meta=empty_frame(RAW),
        )
    partitions = max(1, math.ceil(archive.rows / max(1, partition_rows)))
    partitions = math.ceil(partitions / max(1, workers)) * max(1, workers)
    prepared = frame.map_partitions(prepare, meta=prepared_meta())
    log.info(
        "%s: %s, %d files, about %d rows in %d partitions",
        archive.label,
        archive.kind,
        len(archive.files),
        archive.rows,
        partitions,
    )
    return prepared.shuffle(on=KEY, npartitions=partitions), partitions

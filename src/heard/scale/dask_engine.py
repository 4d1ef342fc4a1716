"""Scoring an archive on a Dask cluster: ``heard analyze ARCHIVE --engine dask``.

The driver (this process) finds the archive, starts a local cluster (worker processes with one
thread each) or connects to a running scheduler, and broadcasts the cache keys already stored
for the model version. The workers read the archive (so they need to see it, never the
database), shuffle the rows on the conversation id, and turn each partition into redacted,
scored conversations (``heard.scale.worker``). The driver writes each partition's results as
soon as it arrives, in one transaction per partition, while the workers go on with the next
(``heard.scale.writer``): the stored rows are those ``heard analyze`` writes with the local
engine. Running it again neither duplicates nor assesses again.

Dask is an optional extra (``pip install 'heard[scale]'``), imported only when used.
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heard.errors import InputError
from heard.imports.records import Reject
from heard.services.models import check_tier
from heard.storage.assessments import stored_keys
from heard.storage.conversations import pseudonym_key
from heard.storage.database import Database

if TYPE_CHECKING:
    from heard.scale.archive import Archive
    from heard.scale.results import KnownKeys

log = logging.getLogger(__name__)

PARTITION_ROWS = 10_000  # message rows per partition
CONNECT_TIMEOUT = 30  # seconds to reach a scheduler
WORKERS_TIMEOUT = 120  # seconds to wait for the workers asked for on a running cluster
INSTALL_HINT = "the dask engine needs the scale extra: pip install 'heard[scale]'"
# The local cluster's housekeeping, made less frequent: its tasks last seconds, nobody watches a
# dashboard, and on a small machine every periodic callback is CPU taken from the scoring. With
# Dask's defaults an idle local cluster of 2 workers used 3% of a core in the driver and 3% in
# each worker (the statistical profiler samples a worker's stack every 10 ms); with these, 1%
# and 0.3%. A cluster started with `dask scheduler`/`dask worker` keeps its own settings.
LOCAL_CLUSTER_CONFIG: dict[str, object] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.work-stealing-interval": "1s",
}


@dataclass
class ArchiveSummary:
    """What one run did, and where its time went (wall-clock seconds)."""

    archive: str
    model_version: str = ""
    conversations: int = 0  # conversations in the archive, stored
    messages: int = 0  # their messages
    replies: int = 0  # agent replies among them
    assessed: int = 0  # replies the engine assessed (the rest were already stored)
    rejects: list[Reject] = field(default_factory=list)
    partitions: int = 0
    workers: int = 0
    seconds: float = 0.0  # the whole run
    startup_seconds: float = 0.0  # starting or reaching the cluster, loading the models
    compute_seconds: float = 0.0  # from submitting the work to the last partition's results
    worker_seconds: float = 0.0  # the workers' time scoring partitions, summed
    write_seconds: float = 0.0  # the driver's time writing to the database
    driver_cpu_seconds: float = 0.0  # CPU time of this process (all its threads) while scoring
    inserted: int = 0  # conversations new to the database
    updated: int = 0  # conversations already stored, merged with the archive's rows
    rescored: int = 0  # of those, merged with messages the archive lacks: scored on the driver
    unchanged: int = 0  # already scored and unchanged: left as they are


def require_dask() -> None:
    """An ``InputError`` with the install command when the scale extra is missing."""
    try:
        for name in ("dask.dataframe", "distributed", "pandas", "pyarrow"):
            importlib.import_module(name)
    except ImportError as error:
        raise InputError(f"{INSTALL_HINT} ({error.name or error} is not installed)") from None


def analyze_archive(
    database: Database,
    archive: str | Path,
    *,
    tier: str = "fast",
    scheduler: str | None = None,
    workers: int | None = None,
    partition_rows: int = PARTITION_ROWS,
    progress: Callable[[int, int], None] | None = None,
) -> ArchiveSummary:
    """Import, redact, store and score a Parquet or JSON Lines archive of generic message rows
    on Dask: a local cluster of ``workers`` processes (default: one per CPU), or the cluster of
    the ``scheduler`` at that address (``tcp://host:8786``), where ``workers`` is how many to
    wait for. ``progress(done, total)`` counts partitions written."""
    started = time.perf_counter()
    check_tier(tier)
    if partition_rows < 1:
        raise InputError(f"{partition_rows} is not a number of rows", field="partition_rows")
    if workers is not None and workers < 1:
        raise InputError(f"{workers} is not a number of workers", field="workers")
    require_dask()
    from heard.scale.archive import find_archive

    found = find_archive(archive)
    summary = ArchiveSummary(str(archive))
    if not found.files:
        log.info("%s: only empty files, nothing to analyse", found.label)
        summary.seconds = time.perf_counter() - started
        return summary
    with _client(scheduler, workers) as client:
        summary.model_version = _warm_up(client, tier)
        summary.workers = len(client.scheduler_info()["workers"])
        summary.startup_seconds = time.perf_counter() - started
        known = _known_keys(database, summary.model_version)
        log.info(
            "%d workers, %s; %d assessments already stored",
            summary.workers,
            summary.model_version,
            len(known),
        )
        with _frozen_heap():
            _run(client, database, found, known, tier, partition_rows, progress, summary)
    summary.seconds = time.perf_counter() - started
    return summary


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Keep the objects that exist now (Dask, SQLAlchemy, the archive's plan) out of the garbage
    collector's full collections while the results stream in: each partition's results are
    hundreds of thousands of new objects, and every full collection they trigger would scan the
    whole heap again (a fifth of the driver's CPU time, measured). Left alone if the caller
    froze objects already."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _distributed() -> Any:
    """The ``distributed`` module (its classes are untyped: used through ``Any``)."""
    return importlib.import_module("distributed")


@contextmanager
def _client(scheduler: str | None, workers: int | None) -> Iterator[Any]:
    dist = _distributed()
    if scheduler is None:
        count = workers or os.cpu_count() or 1
        config = importlib.import_module("dask").config
        with (
            config.set(LOCAL_CLUSTER_CONFIG),
            dist.LocalCluster(
                n_workers=count,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # a free port: never a clash with another cluster
                silence_logs=logging.ERROR,
            ) as cluster,
            dist.Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = dist.Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError(
            f"cannot reach the Dask scheduler ({error}); start one with `dask scheduler` and "
            "its workers with `dask worker ADDRESS`",
            where=scheduler,
            field="--scheduler",
        ) from None
    with client:
        try:
            client.wait_for_workers(workers or 1, timeout=WORKERS_TIMEOUT)
        except TimeoutError:
            raise InputError(
                f"fewer than {workers or 1} workers joined the scheduler in "
                f"{WORKERS_TIMEOUT} s; start them with `dask worker {scheduler}`",
                where=scheduler,
                field="--scheduler",
            ) from None
        yield client


def _warm_up(client: Any, tier: str) -> str:
    """Load the models on every worker; the model version they score with (all the same)."""
    from heard.scale.worker import warm_up

    try:
        versions = client.run(warm_up, tier)
    except Exception as error:  # whatever a worker raised: heard missing, models missing...
        raise InputError(
            f"the workers cannot load heard's {tier} models ({type(error).__name__}: {error}); "
            "install the same heard[scale] on every worker"
        ) from error
    found = set(versions.values())
    if len(found) != 1:
        raise InputError(
            f"the workers score with different model versions ({', '.join(sorted(found))}); "
            "install the same heard on every worker"
        )
    return str(found.pop())


def _known_keys(database: Database, model_version: str) -> KnownKeys:
    from heard.scale.results import KnownKeys

    with database.session() as session:
        return KnownKeys(stored_keys(session, model_version))


def _run(
    client: Any,
    database: Database,
    archive: Archive,
    known: KnownKeys,
    tier: str,
    partition_rows: int,
    progress: Callable[[int, int], None] | None,
    summary: ArchiveSummary,
) -> None:
    from heard.scale.archive import read_archive
    from heard.scale.results import LatestAgents
    from heard.scale.worker import score_partition
    from heard.scale.writer import WriteCounts, write_partition

    submitted, cpu = time.perf_counter(), time.process_time()
    frame, total = read_archive(archive, partition_rows=partition_rows, workers=summary.workers)
    summary.partitions = total
    if progress:
        progress(0, total)
    with database.session() as session, session.begin():
        key = pseudonym_key(session)
    known_future = client.scatter(known, broadcast=True)
    parts = client.compute(frame.to_delayed())
    futures = client.map(
        score_partition,
        parts,
        range(total),
        tier=tier,
        source=archive.label,
        known=known_future,
        pure=False,
    )
    del parts  # each partition is released once scored
    counts = WriteCounts()
    agents = LatestAgents()
    rejects: list[tuple[int, Reject]] = []
    for done, (future, partition) in enumerate(
        _distributed().as_completed(futures, with_results=True), 1
    ):
        summary.compute_seconds = time.perf_counter() - submitted
        future.release()
        if partition.model_version != summary.model_version:
            raise InputError(
                f"a worker scored with {partition.model_version}, not "
                f"{summary.model_version}; install the same heard on every worker"
            )
        writing = time.perf_counter()
        with database.session() as session, session.begin():
            written = write_partition(
                session,
                partition,
                key=key,
                model_version=summary.model_version,
                tier=tier,
                agents=agents,
            )
        summary.write_seconds += time.perf_counter() - writing
        summary.worker_seconds += partition.seconds
        summary.replies += partition.replies
        summary.assessed += len(partition.assessments)
        rejects.extend(partition.rejects)
        counts.add(written)
        if progress:
            progress(done, total)
    summary.driver_cpu_seconds = time.process_time() - cpu
    summary.conversations = counts.conversations
    summary.messages = counts.messages
    summary.inserted, summary.updated = counts.inserted, counts.updated
    summary.rescored, summary.unchanged = counts.rescored, counts.unchanged
    summary.rejects = [reject for _, reject in sorted(rejects, key=lambda item: item[0])]

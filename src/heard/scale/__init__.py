"""Scale-out: scoring archives of message rows on a Dask cluster (``heard[scale]``).

``analyze_archive`` is importable without Dask; calling it without the extra installed is an
``InputError`` that gives the install command.
"""

from heard.scale.dask_engine import ArchiveSummary, analyze_archive

__all__ = ["ArchiveSummary", "analyze_archive"]

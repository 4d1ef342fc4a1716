"""Reports of an analysis (``heard.analytics.aggregates.analyse``).

- ``render_html(analysis, title=..., generated_at=..., source_note=..., outcomes=...,
  impact=..., wellbeing=...)``: one self-contained HTML page (inline CSS and SVG charts, no
  script, nothing fetched), with the outcomes, training-impact and wellbeing sections when given;
- ``to_json(analysis)``: the report's tables as JSON-serialisable data;
- ``write_csv(analysis, directory)``: the same tables as CSV files.
"""

from heard.report.exports import to_json, write_csv
from heard.report.html import render_html

__all__ = ["render_html", "to_json", "write_csv"]

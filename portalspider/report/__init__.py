"""The rectification report (自查整改报告): data from the store, rendered as HTML, Markdown or CSV.

``data.build_report`` reads the database once into plain dataclasses; ``render`` turns them
into files. Keeping the two apart lets tests assert on numbers without parsing HTML.
"""

from portalspider.report.data import Report, build_report
from portalspider.report.render import FORMATS, render_report

__all__ = ["FORMATS", "Report", "build_report", "render_report"]

"""``-O columns.csv``: one row per column, every column field, Excel-safe.

Scrapy's ``CsvItemExporter`` takes its header from the first item, and the first item of a
crawl is the ``site`` item: the column rows lost ``last_update``, ``age_days``, ``unit``.
A CSV holds one kind of row, so this exporter (registered for ``csv`` in
``FEED_EXPORTERS``) writes column items only, with ``ColumnItem``'s full field list
(unless ``FEED_EXPORT_FIELDS`` names others); the other item types are in the JSON feeds.
The file starts with a UTF-8 BOM and every cell goes through ``csvsafe.cell``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exporters import CsvItemExporter

from portalspider import csvsafe
from portalspider.items import ColumnItem

COLUMN_FIELDS = tuple(f.name for f in dataclasses.fields(ColumnItem))
PATH_SEPARATOR = " > "


class ColumnCsvItemExporter(CsvItemExporter):
    """CSV of column items: fixed header, BOM, path joined with " > ", cells neutralised."""

    def __init__(self, file: Any, **kwargs: Any) -> None:
        if not kwargs.get("fields_to_export"):
            kwargs["fields_to_export"] = list(COLUMN_FIELDS)
        kwargs.setdefault("join_multivalued", PATH_SEPARATOR)
        kwargs["encoding"] = "utf-8"  # the BOM below says so to Excel
        super().__init__(file, **kwargs)

    def start_exporting(self) -> None:
        self.stream.write(csvsafe.BOM)
        super().start_exporting()
        if not self._headers_not_written:
            return
        # Header now, even for a crawl that found no column (a site that is down).
        self._headers_not_written = False
        self._write_headers_and_set_fields_to_export(ColumnItem(url="", name=""))

    def export_item(self, item: Any) -> None:
        if ItemAdapter(item).get("type") != "column":
            return
        super().export_item(item)

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        value = super().serialize_field(field, name, value)
        return csvsafe.cell(value)

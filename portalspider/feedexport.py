"""Feed exporters: ``-O columns.jsonl`` (and ``.json``) without the per-item adapter walk;
``-O columns.csv``: one row per column, every column field, Excel-safe.

Scrapy's JSON exporters wrap each item in an ``ItemAdapter`` and ask it, field by field,
which fields are set and what their metadata is: for the spider's dataclass items (no
field metadata, every field set) that is the declared fields in order, read straight off
the item here; the JSON encoder then writes what it wrote before.

Scrapy's ``CsvItemExporter`` takes its header from the first item, and the first item of a
crawl is the ``site`` item: the column rows lost ``last_update``, ``age_days``, ``unit``.
A CSV holds one kind of row, so this exporter (registered for ``csv`` in
``FEED_EXPORTERS``) writes column items only, with ``ColumnItem``'s full field list
(unless ``FEED_EXPORT_FIELDS`` names others); the other item types are in the JSON feeds.
The file starts with a UTF-8 BOM and every cell goes through ``csvsafe.cell``.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exporters import (
    BaseItemExporter,
    CsvItemExporter,
    JsonItemExporter,
    JsonLinesItemExporter,
)

from portalspider import csvsafe
from portalspider.items import ColumnItem, field_names

COLUMN_FIELDS = field_names(ColumnItem)
PATH_SEPARATOR = " > "
_MISSING = object()


@functools.cache
def _plain_fields(cls: type) -> tuple[str, ...] | None:
    """The fields of a dataclass item class none of whose fields names a ``serializer``
    (what the exporters would apply), else None: such items take Scrapy's own way."""
    if not dataclasses.is_dataclass(cls):
        return None
    if any("serializer" in f.metadata for f in dataclasses.fields(cls)):
        return None
    return field_names(cls)


class _DataclassFields(BaseItemExporter):
    """Scrapy's ``get_serialized_fields`` for a plain dataclass item, without ItemAdapter:
    the fields set, in declaration order, as they are (no serializer to apply)."""

    def get_serialized_fields(
        self, item: Any, default_value: Any = None, include_empty: bool | None = None
    ) -> Iterable[tuple[str, Any]]:
        names = _plain_fields(type(item))
        empty = self.export_empty_fields if include_empty is None else include_empty
        if names is None or self.fields_to_export is not None or empty:
            return super().get_serialized_fields(item, default_value, include_empty)
        values = ((name, getattr(item, name, _MISSING)) for name in names)
        return [(name, value) for name, value in values if value is not _MISSING]


class JsonLinesExporter(_DataclassFields, JsonLinesItemExporter):
    """``-O x.jsonl`` (``jsonlines``, ``jl``): Scrapy's exporter, items read directly."""


class JsonExporter(_DataclassFields, JsonItemExporter):
    """``-O x.json``: Scrapy's exporter, items read directly."""


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

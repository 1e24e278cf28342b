"""data/impacts.yml: the two tables of what contamination costs (impacts) and what clearance
brings (benefits), each row with its sources."""

from __future__ import annotations

from portal.load.yamlload import Loaded
from portal.model.builders.checks import Checker
from portal.model.model import ImpactRow, Text


def impacts(check: Checker, loaded: Loaded, sources: dict) -> tuple[tuple[ImpactRow, ...], tuple[ImpactRow, ...]]:
    tables = []
    check.checked_date(loaded)
    data = loaded.data if isinstance(loaded.data, dict) else {}
    for table in ("impacts", "benefits"):
        rows = []
        check.unique_ids(loaded, data.get(table), (table,))
        for i, item in enumerate(data.get(table) or []):
            if not isinstance(item, dict):
                continue
            check.refs(loaded, (table, i, "sources"), item.get("sources"), sources, "source")
            for field in ("title", "description"):
                check.links(loaded, (table, i, field), item.get(field))
            try:
                rows.append(
                    ImpactRow(
                        id=item["id"],
                        table=table,
                        title=Text.of(item["title"]),
                        description=Text.of(item["description"]),
                        sources=tuple(item["sources"]),
                    )
                )
            except (KeyError, TypeError, AttributeError):
                continue
        tables.append(tuple(rows))
    return tables[0], tables[1]

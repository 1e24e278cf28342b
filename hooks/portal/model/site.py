"""Load every data file once, validate it all, and build the model.

``load_site(data_dir)`` returns a :class:`~portal.model.model.Site` or raises
:class:`~portal.problems.DataError` carrying every problem of the run, so that an editor
sees all their mistakes at once. The files are found, parsed and schema-checked by
:mod:`portal.load.discovery`; each kind is then built and checked by its module of
:mod:`portal.model.builders`, after the kinds it refers to.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Mapping
from pathlib import Path

from portal.check import schemacheck, untrusted
from portal.load.discovery import DataFiles, find_files
from portal.load.yamlload import Loaded
from portal.model.builders.checks import Checker
from portal.model.builders.demands import demands
from portal.model.builders.events import events
from portal.model.builders.figures import figures
from portal.model.builders.geo import geo
from portal.model.builders.glossary import glossary
from portal.model.builders.impacts import impacts
from portal.model.builders.places import places
from portal.model.builders.sources import actors, sources
from portal.model.model import Site
from portal.problems import DataError, Problem


def _check_file(loaded: Loaded, raw: bytes, schema: str, schema_dir: str) -> list[Problem]:
    """The checks of one parsed file that need no other file: its schema (when the YAML could
    be read) and what no field may hold."""
    problems = [] if loaded.problems else schemacheck.check(loaded, schema, schema_dir)
    return problems + untrusted.file_problems(loaded, raw)


def _build(files: DataFiles, check: Checker) -> Site:
    singles, folders = files.singles, files.folders
    source_ids = sources(check, singles["sources"])
    actor_ids = actors(check, singles["actors"])
    figure_ids = figures(check, singles["figures"])
    countries = places(check, folders["country"], "country", source_ids, actor_ids, figure_ids, {})
    regions = places(check, folders["region"], "region", source_ids, actor_ids, figure_ids, countries)
    impact_rows, benefits = impacts(check, singles["impacts"], source_ids)
    demand_list = demands(check, singles["demands"], source_ids, actor_ids, regions)
    features = geo(check, files, regions, source_ids, countries)
    event_list = events(check, folders["event"], source_ids, actor_ids, figure_ids, regions, demand_list)
    terms = glossary(check, singles["glossary"], source_ids)

    if any(p.severity == "error" for p in check.problems):
        raise DataError(check.problems)
    ordered = dict(sorted(regions.items(), key=lambda kv: (kv[1].name.get("en").casefold(), kv[0])))
    return Site(
        sources=source_ids,
        actors=actor_ids,
        figures=figure_ids,
        countries=countries,
        regions=ordered,
        impacts=impact_rows,
        benefits=benefits,
        demands=demand_list,
        geo=features,
        events=event_list,
        warnings=tuple(check.problems),
        glossary=terms,
        checked=dict(sorted(check.checked.items())),
        draft_translations=dict(sorted(check.drafts.items())),
    )


def load_site(data_dir: Path, today: dt.date | None = None, *, reserved_ids: Mapping[str, str] | None = None) -> Site:
    """Load, validate and model everything in ``data_dir``; raise DataError on any error.

    ``reserved_ids`` is {id: the generated page's address} for the ids a region may not take
    because a page made from data/ as a whole lives at that address (``regions/index.md``). The
    addresses are the renderer's (``portal.render.routes.reserved_region_ids``), which the model
    does not import: the callers that validate or build (``portal.inputs``, ``diff``,
    ``new``) pass them; without them no id is refused for that reason.
    """
    # Loading allocates a few objects per key of every file and frees almost none of them
    # until the end: the cyclic garbage collector would walk the growing heap again and again
    # for nothing (a sixth of the time at 5,000 regions). Reference counting still frees the rest.
    collecting = gc.isenabled()
    gc.disable()
    try:
        files = find_files(Path(data_dir), _check_file)
        check = Checker(today or dt.date.today(), reserved_ids or {}, files.problems, set(files.unreadable))
        return _build(files, check)
    finally:
        if collecting:
            gc.enable()

"""From the model to page text: the one table of every generated page (routes), formatting,
views, the Jinja environment, the renderer (pages), directives, the editors' field tables
(schemadocs), the shared tables, the stash of finished HTML, maps (maps, maplayers, mapsvg),
charts (charts, figurecharts), ages and dates (freshness), glossary markers, the register."""

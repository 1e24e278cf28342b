"""The build glue: the only place beside ``hooks/portal_hook.py`` that runs MkDocs, and what the
hook and ``python -m portal export`` share.

Knows MkDocs (the hook's events call these): ``edition`` (on_config: the inputs checked, the
edition's language and address, its renderers), ``sitefiles`` (on_files: the pages in the
edition's language, the generated files, sitemaps, robots.txt), ``page`` (one page's events),
``material`` (every workaround of Material, MkDocs and lunr, with the upstream issues).

Knows no MkDocs (``export`` uses them too, or tests use them alone): ``prerender`` (the
generated output, on the second core), ``searchtext`` (what Material's search reads of a page),
``csp`` (the Content-Security-Policy), ``servepage`` (the served error page), ``atomic`` (the
swap of the site folder).
"""

"""The Jinja environment of the portal's templates (``overrides/portal/``): autoescaping always
on (MkDocs's own environment has it off), undefined names an error, and the filters and globals
the templates use, in one edition's language.

The templates take a generated page's address from the route table (:mod:`portal.render.routes`),
never spell it: ``url(region_url(r))``, ``url(country_url(id))``, ``url(address(pages.timeline,
e.id))``; ``url()`` (given to each render, :meth:`portal.render.pages.Renderer._render`) makes the
link from the page being rendered, in the build's form. ``tests/render/test_routes.py`` fails on
a template that spells one by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from portal.check.pocheck import translated_markup
from portal.render import routes
from portal.render.formatting import (
    CAVEAT_LABELS,
    CAVEAT_NOTES,
    EFFECTS,
    EVENT_KINDS,
    KIND_LABELS,
    format_amount,
    inline_markdown,
    md_text,
    no_final_stop,
)
from portal.render.maps import Maps, caption_id
from portal.render.views import Views

TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "overrides" / "portal"
# Where a template wants the "not yet translated" note (filled in once the page is rendered).
UNTRANSLATED_MARK = "<!--portal-untranslated-->"


def environment(views: Views, maps: Maps, tiles: dict[str, str] | None, template_dir: Path = TEMPLATE_DIR) -> jinja2.Environment:
    site, _ = views.site, views._
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=True,  # MkDocs's own environment does not autoescape; ours always does
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(gl=views.marked, nostop=no_final_stop, md=md_text, inline_md=inline_markdown, number=views.number, date=views.date, t=views.t, tl=views.shown,
        tmd=lambda text: views.shown(text, markdown=True),
    )
    env.globals.update(
        site=site,
        views=views,
        kind_labels={k: _(v) for k, v in KIND_LABELS.items()},
        tiles=tiles,
        event_kinds={k: _(v) for k, v in EVENT_KINDS.items()},
        effects={k: _(v) for k, v in EFFECTS.items()},
        lang=views.lang,
        maps=maps,
        map_caption_id=lambda focus, figure: caption_id("-".join(focus) or "all", figure),
        focus_names=lambda ids: ", ".join(views.t(site.regions[i].name) for i in ids),
        untranslated_mark=Markup(UNTRANSLATED_MARK),
        pages=routes.PAGES,
        address=routes.address,
        region_url=routes.region_url,
        country_url=routes.country_url,
        format_amount=lambda value, unit, qualifier=None: format_amount(value, unit, qualifier, views.language),
        checked_of=lambda place: getattr(place, "checked", None),
        caveats_of=lambda sid: getattr(site.sources[sid], "caveats", ()) if sid in site.sources else (),
        caveat_labels={k: _(v) for k, v in CAVEAT_LABELS.items()},
        caveat_notes={k: _(v) for k, v in CAVEAT_NOTES.items()},
        _=_MarkupGettext(views),
        ngettext=_MarkupGettext(views).ngettext,
    )
    return env


class _MarkupGettext:
    """_() and ngettext() in templates, as Jinja's i18n extension does them with "newstyle"
    gettext (the translation is markup, the values are escaped into it), without its per-call
    context machinery: 30 calls a region page.

    The translation is not trusted: its text is escaped and its tags are the English's
    (:func:`portal.check.pocheck.translated_markup`); the English comes from the templates."""

    def __init__(self, views: Views):
        self.language = views.language

    def __call__(self, message: str, **values: Any) -> Markup:
        text = translated_markup(message, self.language.lookup(message))
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> Markup:
        values.setdefault("num", self.language.number(n))
        text = self.language.translations.ngettext(singular, plural, int(n))
        # the markup of every form is the singular's (portal.check.pocheck checks the plural forms against it)
        return (Markup(plural) if text == plural else translated_markup(singular, text)) % values


def render(env: jinja2.Environment, views: Views, template: str, **context: Any) -> str:
    """A template rendered, with the "not yet translated" note where the template asks for it
    (once the page knows whether it showed a data text in English)."""
    views.fallbacks = 0
    html = env.get_template(template).render(**context)
    return html.replace(UNTRANSLATED_MARK, views.untranslated_note(), 1).replace(UNTRANSLATED_MARK, "")

"""How a reader sees numbers, dates and words of the data: amounts with their unit and
qualifier ("about 300,000 mines"), dates, the labels of kinds, effects and caveats, and the few
text helpers of the page text (headings Markdown shows as written, the summaries' Markdown
subset). One home for every module that shows a value: the pages, the maps, the downloads'
page and ``python -m portal diff``. Nothing here knows Jinja or MkDocs."""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from portal.i18n.i18n import N_, Language, N_plural
from portal.model.model import Observation, PartialDate

ENGLISH = Language("en")

# A Markdown link [text](target) in a summary, for the plain-text description. Linear time: the
# text cannot contain a bracket and the target no parenthesis, so each scan stops at the next one
# and no character is scanned from two starting points (the former [^\]]* scanned "[[[[…" again
# from every bracket: 200 s for a 400 KB summary).
_SUMMARY_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~^=:<>&\"'$%@]")


def md_text(value: Any) -> Markup:
    """Text that Markdown and HTML both show exactly as written (for headings)."""
    return Markup(_MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", str(value)))


_inline = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(["emphasis", "link"])
_inline.validateLink = lambda url: url.strip().lower().startswith(("https://", "mailto:"))


def inline_markdown(value: Any) -> Markup:
    """The small Markdown subset of summaries: *emphasis*, **strong** and https/mailto links.

    Raw HTML is shown as text; links open in the same tab and carry rel=nofollow."""
    html = _inline.renderInline(str(value))
    html = html.replace("<a href=", '<a rel="nofollow noopener" href=')
    return Markup(html)


def no_final_stop(html: Any) -> Markup:
    """A text that ends a sentence, put inside brackets in another: its final full stop goes, so
    that "(… the last of five dates.)." reads "(… the last of five dates)."
    """
    text = str(html).rstrip()
    for end in (".</span>", "."):
        if text.endswith(end) and not text.endswith(".." + end[1:]):
            text = text[: -len(end)] + end[1:]
            break
    return Markup(text)


def shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"



def plain_summary(text: str) -> str:
    """A summary without its Markdown: link texts without their targets, no emphasis marks."""
    return _SUMMARY_LINK.sub(r"\1", text).replace("*", "")


# Units and qualifiers as a reader sees them: the number is the plural's count ({num} is the
# formatted number, so that a translation can put it where its language wants it).
UNIT_FORMS = {
    "mines": N_plural("%(num)s mine", "%(num)s mines"),
    "items": N_plural("%(num)s item", "%(num)s items"),
    "people": N_plural("%(num)s person", "%(num)s people"),
    "maps": N_plural("%(num)s map", "%(num)s maps"),
    "documents": N_plural("%(num)s document", "%(num)s documents"),
    "ha": N_plural("%(num)s ha", "%(num)s ha"),
    "km2": N_plural("%(num)s km²", "%(num)s km²"),
}
UNIT_HEADINGS = {
    "mines": N_("mines"),
    "items": N_("items"),
    "people": N_("people"),
    "maps": N_("maps"),
    "documents": N_("documents"),
    "percent": "%",
    "ha": N_("hectares"),
    "km2": N_("square kilometres"),
}
QUALIFIER_FORMS = {
    "about": N_("about %(value)s"),
    "more_than": N_("more than %(value)s"),
    "at_least": N_("at least %(value)s"),
    "at_most": N_("at most %(value)s"),
    "fewer_than": N_("fewer than %(value)s"),
}


def format_amount(value: int | float, unit: str, qualifier: str | None = None, language: Language | None = None) -> str:
    """A number with its unit and qualifier, as a reader of the edition reads it: "about 300,000 mines"."""
    language = language or ENGLISH
    if unit == "percent":
        text = language.percent(value)
    else:
        singular, plural = UNIT_FORMS[unit]
        # a fraction takes the plural (English) or the "few" form (Russian): count it as 2
        text = language.ngettext(singular, plural, value if float(value).is_integer() else 2, num=language.number(value))
    if qualifier:
        text = language.gettext(QUALIFIER_FORMS[qualifier], value=text)
    return text


def format_value(obs: Observation, language: Language | None = None) -> str:
    return format_amount(obs.value, obs.unit, obs.qualifier, language)


def format_date(value: PartialDate | None, approximate: bool = False, language: Language | None = None) -> str:
    language = language or ENGLISH
    if value is None:
        return language.gettext("date not stated")
    text = language.date(value)
    return language.gettext("about %(date)s", date=text) if approximate else text


KIND_LABELS = {
    "main_town": N_("main town"),
    "boundary": N_("boundary"),
    "suspected_hazard_area": N_("suspected hazard area"),
    "confirmed_hazard_area": N_("confirmed hazard area"),
    "released_land": N_("released land"),
}

EVENT_KINDS = {
    "demand": N_("Demand"),
    "handover": N_("Handover"),
    "statement": N_("Statement"),
    "agreement": N_("Agreement"),
    "incident": N_("Incident"),
    "clearance": N_("Clearance report"),
    "court_filing": N_("Court filing"),
    "court_ruling": N_("Court ruling"),
    "baseline": N_("Baseline"),
}

EFFECTS = {
    "made": N_("demand made or repeated"),
    "answered": N_("said to be fully answered"),
    "claimed_answered": N_("claimed answered; disputed"),
    "partly_answered": N_("partly answered: data handed over"),
    "disputed": N_("data handed over disputed as inaccurate or incomplete"),
    "rejected": N_("request rejected"),
    "not_granted": N_("provisional measures not granted"),
}

# Source caveats (data/sources.yml, `caveats:`): a short label beside every figure resting on
# the source, linking to its entry, and a longer note for the link's title.
CAVEAT_LABELS = {
    "undated": N_("undated source"),
    "names_no_source": N_("names no source"),
    "secondary_report": N_("second-hand report"),
    "own_estimate": N_("outlet's own estimate"),
}
CAVEAT_NOTES = {
    "undated": N_("The source gives no publication date."),
    "names_no_source": N_("The source gives figures without naming where they come from."),
    "secondary_report": N_("The source reports what another outlet or body said."),
    "own_estimate": N_("The figure is the outlet's own estimate."),
}

# A demand's state (portal.model.derived.DemandStatus.state), as its label.
DEMAND_STATES = {
    "open": N_("Open: no handover of data recorded"),
    "claimed_answered": N_("Claimed answered; disputed"),
    "disputed": N_("Partly answered; the data handed over is disputed"),
    "answered": N_("Said to be answered"),
    "partly_answered": N_("Partly answered"),
}


def demand_state(site, status, language: Language | None = None) -> str:
    """The label of a demand's status (:class:`portal.model.derived.DemandStatus`): "Said to be
    answered, according to ANAMA" where the answering event says who."""
    language = language or ENGLISH
    if status.state == "answered" and status.answered_by:
        return language.gettext("Said to be answered, according to %(who)s", who=site.actors[status.answered_by].short_name.get(language.code))
    return language.gettext(DEMAND_STATES[status.state])

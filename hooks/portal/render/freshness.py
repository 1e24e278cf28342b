"""How old each figure is, as a reader reads it, and when the data was last checked.

Ages are worked out on the day of the build. The deploy workflow rebuilds the site every
Monday (``schedule:`` in ``.github/workflows/deploy.yml``), so that a published age is at most a
week behind the day it is read; ages are given in whole months or years, and each value keeps
its absolute date beside its age, so a reader never depends on the age alone. A script that
rewrote the ages in the browser would need the plural rules of every edition in JavaScript and
would still leave readers without JavaScript with the build's ages: the weekly rebuild covers
both at once.

``PORTAL_TODAY`` (YYYY-MM-DD) sets the day, for tests and for reproducing a past build.
"""

from __future__ import annotations

import datetime as dt
import os

from portal.i18n.i18n import N_, Language, N_plural
from portal.model.model import PartialDate

DEFAULT_STALE_AFTER_MONTHS = 12

AGE_MONTHS = N_plural("%(num)s month old", "%(num)s months old")
AGE_YEARS = N_plural("%(num)s year old", "%(num)s years old")
AGE_NEW = N_("less than a month old")


def today() -> dt.date:
    """The day ages are counted to: ``PORTAL_TODAY`` if set, else the build's day."""
    value = os.environ.get("PORTAL_TODAY", "").strip()
    if value:
        return dt.date.fromisoformat(value)
    return dt.date.today()


def months_old(date: PartialDate, on: dt.date) -> int:
    """Whole months from the last day ``date`` can mean to ``on`` (0 if in the future)."""
    last = date.last_day
    months = (on.year - last.year) * 12 + on.month - last.month - (on.day < last.day)
    return max(0, months)


def age_text(date: PartialDate, on: dt.date, language: Language) -> str:
    """ "less than a month old", "5 months old", "3 years old" (years from 24 months on)."""
    months = months_old(date, on)
    if months < 1:
        return language.gettext(AGE_NEW)
    if months < 24:
        return language.ngettext(*AGE_MONTHS, months)
    return language.ngettext(*AGE_YEARS, months // 12)


def is_stale(date: PartialDate, on: dt.date, stale_after_months: int = DEFAULT_STALE_AFTER_MONTHS) -> bool:
    return months_old(date, on) >= stale_after_months


def last_check(site) -> dt.date | None:
    """When the data was last compared with its sources: the newest ``checked`` date of any data
    file where the data has them, else the newest date a source was accessed."""
    checked = getattr(site, "checked", None) or {}
    dates = [d.last_day for d in checked.values() if d is not None]
    if not dates:
        dates = [s.accessed.last_day for s in site.sources.values() if s.accessed is not None]
    return max(dates) if dates else None


def footer_facts(site, language: Language, on: dt.date | None = None) -> dict[str, str]:
    """What every page's footer says: the data's last check and the build's day."""
    on = on or today()
    checked = last_check(site)
    return {
        "checked": language.date(checked) if checked else language.gettext("not recorded"),
        "checked_iso": checked.isoformat() if checked else "",
        "built": language.date(on),
        "built_iso": on.isoformat(),
    }

"""The built site serves the portal's stylesheets and scripts minified (portal.glue.minify),
while overrides/assets/ keeps them readable; vendored scripts and Material's files are copied
as they are. That the minified scripts still work is what the browser tests show (tests/browser)."""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

import material

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))

from portal.glue.minify import minified, minifies  # noqa: E402

ASSETS = ROOT / "overrides" / "assets"


def _tokens(css: str) -> str:
    """A stylesheet without its comments and whitespace (and a block's last semicolon)."""
    return re.sub(r"\s+", "", re.sub(r"/\*.*?\*/", "", css, flags=re.S)).replace(";}", "}")


def test_which_files_are_minified():
    assert minifies("assets/portal.css") and minifies("assets/portal.js") and minifies("assets/portal-map.js")
    assert minifies("assets/vendor/leaflet/leaflet.css")  # Leaflet ships its stylesheet unminified
    assert not minifies("assets/vendor/leaflet/leaflet.js") and not minifies("assets/vendor/tablesort/tablesort.min.js")
    assert not minifies("assets/map/countries.geojson") and not minifies("main.html")


def test_a_licence_comment_is_kept_and_other_comments_go():
    assert minified("a.js", "/*! Licence: MIT */\n// a note\nvar a = 1; /* why */\n") == "/*! Licence: MIT */var a=1;"
    assert minified("a.css", "/*! Licence */\n/* a note */\n.a  {\n  color: red;\n}\n") == "/*! Licence */.a{color:red}"


def test_the_site_serves_the_portals_files_minified_and_the_rest_as_they_are(built_site):
    for edition in (built_site, built_site / "az", built_site / "ru"):
        for name in ("portal.css", "portal.js", "portal-map.js", "vendor/leaflet/leaflet.css"):
            source, served = (ASSETS / name).read_text("utf-8"), (edition / "assets" / name).read_text("utf-8")
            assert served == minified(f"assets/{name}", source), name
            assert len(gzip.compress(served.encode())) < len(gzip.compress(source.encode())), name
            if name.endswith(".css"):
                assert _tokens(served) == _tokens(source), name  # the same rules, only shorter
            else:
                assert "\n  " not in served and "// " not in served, name  # no indentation, no comment
        assert (edition / "assets/vendor/leaflet/leaflet.js").read_bytes() == (ASSETS / "vendor/leaflet/leaflet.js").read_bytes()
        bundle = next((Path(material.__file__).parent / "templates" / "assets" / "javascripts").glob("bundle.*.min.js"))
        assert (edition / "assets/javascripts" / bundle.name).read_bytes() == bundle.read_bytes()

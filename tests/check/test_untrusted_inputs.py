"""Every file the build reads is untrusted (issue 13): hand-written pages, the translators'
catalogues and the configuration, as a hostile contributor or a careless translator would
write them.

Each table holds at least two cases of every class of mistake. The cases of one input kind are
put into one copy of the project together (every problem of a run is reported together), and
each case's exact message is then asserted in what ``python -m portal validate`` prints and in
what the build prints, both exiting non-zero, with a site folder filled before the build left
exactly as it was (the checks run in on_config, before MkDocs empties site_dir)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import REPOSITORY, ROOT, Project, build, copy_project

sys.path.insert(0, str(ROOT / "hooks"))
from portal.check.pagecheck import ALLOWED_TAGS, SNIPPET_FILES  # noqa: E402

TAGS = ", ".join(sorted(ALLOWED_TAGS))
SNIPPETS = ", ".join(SNIPPET_FILES)
LINKS = "links must be https://…, mailto:… or within the site"
IMAGES = "images must come from the site (a path such as ../assets/picture.png), never from another host"
HANDLERS = "event handlers and style attributes are not allowed in a page"


def validate(project: Project, **env: str) -> subprocess.CompletedProcess:
    environment = {"PYTHONPATH": str(project.root / "hooks"), "PATH": "", "PORTAL_REPOSITORY_URL": REPOSITORY, **env}
    return subprocess.run(
        [sys.executable, "-m", "portal", "validate", "--no-translations", "--data", str(project.data), "--content", str(project.root / "content")],
        env=environment, capture_output=True, text=True, timeout=120,
    )


PREVIOUS = "<!doctype html><title>the published site</title>\n"


def refused_everywhere(project: Project, expected: list[str], **env: str) -> None:
    """validate and the build both refuse, each with every expected line; the site folder is untouched."""
    result = validate(project, **env)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    for message in expected:
        assert message in lines, f"validate did not say:\n{message}\n---\n{result.stderr}"
    assert "Traceback" not in result.stderr
    site = project.root / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text(PREVIOUS, "utf-8")
    (site / "kept.txt").write_text("kept", "utf-8")
    result = build(project.root, site, **env)
    assert result.returncode != 0
    for message in expected:
        assert message in result.stderr, f"the build did not say:\n{message}\n---\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "kept.txt"]
    assert (site / "index.html").read_text("utf-8") == PREVIOUS


# -- Markdown pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class PageCase:
    kind: str  # the class of mistake
    name: str
    text: str | bytes
    line: int
    message: str


PAGE_CASES = [
    PageCase("tag", "script", "# A page\n\n<script>alert(1)</script>\n", 3, f"<script>: this HTML tag is not allowed in a page; allowed: {TAGS}"),
    PageCase("tag", "iframe", "# A page\n\nText <iframe src=\"/\"></iframe> here.\n", 3, f"<iframe>: this HTML tag is not allowed in a page; allowed: {TAGS}"),
    PageCase("tag", "meta-refresh", '<meta http-equiv="refresh" content="0;url=https://example.org/">\n', 1, f"<meta>: this HTML tag is not allowed in a page; allowed: {TAGS}"),
    PageCase("tag", "form", "# A page\n\n<form action=\"https://example.org/\"><p>x</p></form>\n", 3, f"<form>: this HTML tag is not allowed in a page; allowed: {TAGS}"),
    PageCase("attribute", "onclick", '<div onclick="alert(1)">x</div>\n', 1, f"<div onclick>: {HANDLERS}"),
    PageCase("attribute", "style", 'A <span style="color:red">word</span>.\n', 1, f"<span style>: {HANDLERS}"),
    PageCase("attribute", "onerror", '# T\n\n<img src="x.png" alt="" onerror="alert(1)">\n', 3, f"<img onerror>: {HANDLERS}"),
    PageCase("link", "javascript", "# T\n\nSee [this](javascript:alert(1)).\n", 3, f"link 'javascript:alert(1)': {LINKS}"),
    PageCase("link", "http", "See [this](http://example.org/).\n", 1, f"link 'http://example.org/': {LINKS}"),
    PageCase("link", "html-href", '<a href="javascript:alert(1)">x</a>\n', 1, f"<a href='javascript:alert(1)'>: {LINKS}"),
    PageCase("link", "tab-in-scheme", '<a href="java&#9;script:alert(1)">x</a>\n', 1, f"<a href='java\\tscript:alert(1)'>: {LINKS}"),
    PageCase("link", "data", "[x](data:text/html;base64,PHNjcmlwdD4=)\n", 1, f"link 'data:text/html;base64,PHNjcmlwdD4=': {LINKS}"),
    PageCase("image", "remote", "![a map](https://example.org/x.png)\n", 1, f"image 'https://example.org/x.png': {IMAGES}"),
    PageCase("image", "protocol-relative", '<img src="//example.org/x.png" alt="x">\n', 1, f"<img src='//example.org/x.png'>: {IMAGES}"),
    PageCase("snippet", "git-config", '# T\n\n--8<-- ".git/config"\n', 3, f"snippet '.git/config': only these files may be included: {SNIPPETS}"),
    PageCase("snippet", "block", "--8<--\nmkdocs.yml\n--8<--\n", 2, f"snippet 'mkdocs.yml': only these files may be included: {SNIPPETS}"),
    PageCase("directive", "unclosed", "# T\n\n<!-- portal:events limit=5 ->\n\nThe rest of the page.\n", 3, "portal:events: the directive's comment is not closed; end it with --> on the same line"),
    PageCase("directive", "duplicate", "<!-- portal:events limit=3 limit=4 -->\n", 1, "portal:events: argument 'limit' is given twice; give it once"),
    PageCase("directive", "superscript-digit", "<!-- portal:events limit=² -->\n", 1, "portal:events: limit must be a whole number from 1 to 100; got '²'"),
    PageCase("directive", "arabic-indic-digit", "# T\n\n<!-- portal:events limit=٣ -->\n", 3, "portal:events: limit must be a whole number from 1 to 100; got '٣'"),
    PageCase("front-matter", "yaml", "---\ntitle: [unclosed\n---\n\n# T\n", 2,
        "front matter: YAML syntax error: the '[' on line 2 is not closed; a list in brackets [ ] ends with ']' on the same line (`title: [unclosed]`), or write one item a line instead, each starting with '- ' (YAML: did not find expected ',' or ']')"),
    PageCase("front-matter", "markup", "---\ndescription: A <b>bold</b> claim\n---\n\n# T\n", 2, "front matter: description: '<' is not allowed in plain text (no HTML here)"),
    PageCase("front-matter", "comment-then-list", "---\n# the page's settings\n\n- title: T\n---\n\n# T\n", 4, "front matter: must be 'key: value' lines (title:, description:)"),
    PageCase("front-matter", "script-after-empty-block", "---\n# nothing yet\n---\n\n# T\n\n<script>alert(1)</script>\n", 7, f"<script>: this HTML tag is not allowed in a page; allowed: {TAGS}"),
    PageCase("front-matter", "unknown-key", "---\ntitle: T\nextra_css: x.css\n---\n\n# T\n", 3, "front matter: unknown key 'extra_css'; allowed: title, description, search, hide, template, status"),
    PageCase("encoding", "latin-1", b"# Caf\xe9\n", 1, "the file is not UTF-8 text (byte 0xe9); save it with UTF-8 encoding"),
    PageCase("encoding", "second-line", b"# T\n\n\xff\xfe\n", 3, "the file is not UTF-8 text (byte 0xff); save it with UTF-8 encoding"),
    PageCase("title", "entity-script", "# A &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n", 1, "the page's title (its first-level heading) is plain text: no '<' or '>', not even as &lt; or in `code`"),
    PageCase("title", "code-script", "Intro.\n\nA title `</title><script>alert(1)</script>`\n===\n", 3, "the page's title (its first-level heading) is plain text: no '<' or '>', not even as &lt; or in `code`"),
    PageCase("other-file", "page.html", "<script>alert(1)</script>\n", 0, "only Markdown pages (.md) and .png, .jpg, .jpeg, .gif, .webp, .avif, .pdf, .csv files are published from content/; remove it or move it to overrides/assets/ (reviewed as code)"),
    PageCase("other-file", "drawing.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n', 0,
        "only Markdown pages (.md) and .png, .jpg, .jpeg, .gif, .webp, .avif, .pdf, .csv files are published from content/; remove it or move it to overrides/assets/ (reviewed as code)"),
    PageCase("attribute-list", "attr-list-onclick", "# T\n\nA [link](https://example.org/){: onclick=\"alert(1)\" } here.\n", 3, '{: onclick="alert(1)" }: event handlers and style attributes are not allowed in a page'),
    PageCase("attribute-list", "attr-list-href", "## Part {: href='javascript:alert(1)' }\n", 1, "{: href='javascript:alert(1)' }: the attribute 'href' is not allowed in an attribute list; allowed: class, dir, id, lang, markdown, role, title, aria-*"),
    PageCase("in-code", "list-indent", "# T\n\n- item\n\n       <script>alert(1)</script>\n", 5, "<script> in code: not even in code (Markdown readers differ on what is code); describe it in words"),
    PageCase("in-code", "span", "# T\n\nWrite `<iframe src=x onload=alert(1)>` here.\n", 3, "<iframe> in code: not even in code (Markdown readers differ on what is code); describe it in words"),
    PageCase("unreadable-html", "declaration-in-code", "# T\n\n`<![ x`\n", 3, "HTML that cannot be read (a '<!' that is neither a comment nor a known declaration)"),
    PageCase("unreadable-html", "declaration-in-block", "# T\n\n<div><![ x</div>\n", 3, "HTML that cannot be read (a '<!' that is neither a comment nor a known declaration)"),
    PageCase("reserved", "stash-placeholder", "# T\n\n<!--portal-stash-0-->\n", 3, "<!--portal-stash-0-->: comments starting with 'portal' are the portal's own; a directive is written <!-- portal:NAME -->"),
    PageCase("reserved", "untranslated-mark", "# T\n\n<!--portal-untranslated-->\n", 3, "<!--portal-untranslated-->: comments starting with 'portal' are the portal's own; a directive is written <!-- portal:NAME -->"),
]


def test_the_page_table_has_two_cases_of_every_class():
    kinds = [c.kind for c in PAGE_CASES]
    assert all(kinds.count(k) >= 2 for k in kinds)


def test_every_page_mistake_is_refused_at_its_line_by_validate_and_by_the_build(project):
    expected = []
    for case in PAGE_CASES:
        rel = f"content/case-{case.name}" + ("" if "." in case.name else ".md")
        path = project.root / rel
        path.write_bytes(case.text if isinstance(case.text, bytes) else case.text.encode("utf-8"))
        expected.append(f"{rel}:{case.line}: {case.message}" if case.line else f"{rel}: {case.message}")
    refused_everywhere(project, expected)


EMPTY_BLOCKS = {"two-lines": "---\n---\n", "blank-lines": "---\n\n\n---\n\n", "comments": "---\n# title: later\n  # description: later\n...\n"}


def test_an_empty_front_matter_block_is_no_metadata_and_no_text_of_the_page(project):
    """MkDocs reads no metadata from a block with nothing but blank lines or comments in it (and
    leaves its lines in the page, where they would read as a heading "---" or as rules); validate
    and the build accept it, and the page shows its own title and text only."""
    for name, block in EMPTY_BLOCKS.items():
        project.write(f"content/empty-{name}.md", f"{block}# Page with an empty block ({name})\n\nIts text.\n")
    result = validate(project)
    assert result.returncode == 0, result.stderr
    result = project.build()
    assert result.returncode == 0, result.stderr
    for name in EMPTY_BLOCKS:
        html = project.page(f"empty-{name}")
        article = html[html.index('<article class="md-content__inner') : html.index("</article>")]
        headings = re.findall(r"<h([1-6])[^>]*>(.*?)<a class=\"headerlink\"", article)
        assert headings == [("1", f"Page with an empty block ({name})")], article
        assert "<hr" not in article and "---" not in article and "later" not in article
        assert f"<title>Page with an empty block ({name}) - " in html


def test_a_directive_shown_in_code_is_left_alone_as_documentation(project):
    project.write("content/about.md", project.read("content/about.md") + "\n\nWrite `<!-- portal:events limit=² -->` on a line.\n\n```\n<!-- portal:events limit=٣ ->\n```\n\n    <!-- portal:map figure=nothing -->\n")
    result = validate(project)
    assert result.returncode == 0, result.stderr
    result = project.build()
    assert result.returncode == 0, result.stderr
    html = project.page("about")
    assert "<code>&lt;!-- portal:events limit=² --&gt;</code>" in html
    assert "&lt;!-- portal:events limit=٣ -&gt;" in html and "&lt;!-- portal:map figure=nothing --&gt;" in html


def test_the_files_a_page_may_include_are_checked_like_pages(project):
    line = len(project.read("CONTRIBUTING.md").splitlines()) + 2
    project.write("CONTRIBUTING.md", project.read("CONTRIBUTING.md") + '\n<iframe src="/"></iframe>\n')
    refused_everywhere(project, [f"CONTRIBUTING.md:{line}: <iframe>: this HTML tag is not allowed in a page; allowed: {TAGS}"])


# -- PO catalogues -------------------------------------------------------------------------


@dataclass(frozen=True)
class PoCase:
    kind: str
    name: str
    file: str  # az or ru
    change: Callable[[Project, str], Callable[[], int]]  # changes the file; returns how to find the line the message names
    message: str


def _msgid_line(project: Project, rel: str, msgid: str) -> int:
    return project.line_of(rel, f'msgid "{msgid}"')


def _replace(old: str, new: str, msgid: str | None = None, line_of: str | None = None, above: int = 0):
    def change(project: Project, rel: str) -> int:
        project.replace(rel, old, new)
        return lambda: (project.line_of(rel, line_of) - above) if line_of else _msgid_line(project, rel, msgid)
    return change


def _append(text: str, msgid: str):
    def change(project: Project, rel: str) -> int:
        project.write(rel, project.read(rel) + text)
        return lambda: project.line_of(rel, f'msgid "{msgid}"', occurrence=2)
    return change


def _bytes(old: str, new: bytes):
    def change(project: Project, rel: str) -> int:
        raw = (project.root / rel).read_bytes()
        at = raw.index(old.encode("utf-8"))
        (project.root / rel).write_bytes(raw[:at] + new + raw[at + len(old.encode("utf-8")):])
        return lambda: raw[:at].count(b"\n") + 1
    return change


DATAPACKAGE = "<a href=\"%(url)s\">datapackage.json</a> <a href=\"https://specs.frictionlessdata.io/\">Frictionless</a> </a> </a>"
# Group 1: entry-level mistakes (both catalogues read line by line); groups 2-4: mistakes that
# make a file unreadable, so each is with one other file's header mistake.
PO_GROUPS: list[list[PoCase]] = [
    [
        PoCase("markup-in-plain-text", "script-in-nav-title", "ru", _replace('msgid "Regions"\nmsgstr "Районы"', 'msgid "Regions"\nmsgstr "Районы<script>alert(1)</script>"', "Regions"),
               "translation of 'Regions': markup in a translation of plain text (<script> </script>); write text only"),
        PoCase("markup-in-plain-text", "image-in-site-name", "ru", _replace('msgstr "Портал карт минных полей"', 'msgstr "Портал <img src=x onerror=alert(1)>"', "Minefield Maps Portal"),
               "translation of 'Minefield Maps Portal': markup in a translation of plain text (<img src=\"x\" onerror=\"alert(1)\">); write text only"),
        PoCase("markup-changed", "link-retargeted", "ru", _replace('href=\\"https://specs.frictionlessdata.io/\\">Frictionless</a> (Table', 'href=\\"https://example.org/\\">Frictionless</a> (Table', line_of='"<a href=\\"%(url)s\\">datapackage.json</a> (%(size)s KB)',
            above=1),
               None),
        PoCase("markup-changed", "handler-added", "az", _replace('<a href=\\"%(url)s\\">xronologiya', '<a href=\\"%(url)s\\" onclick=\\"alert(1)\\">xronologiya', line_of='" from the dated events on the <a href=\\"%(url)s\\">timeline</a>', above=2),
               None),
        PoCase("placeholder", "renamed", "ru", _replace('msgstr "Район (%(country)s)"', 'msgstr "Район (%(contry)s)"', "District of %(country)s"),
               "translation of 'District of %(country)s': unknown named placeholder 'contry'; keep every %(name)s of the English as it is"),
        PoCase("placeholder", "dropped", "az", _replace('msgstr "%(country)s rayonu"', 'msgstr "rayon"', "District of %(country)s"),
               "translation of 'District of %(country)s': the placeholder %(country)s is missing; keep every %(name)s of the English as it is"),
        PoCase("percent", "lone-percent", "ru", _replace('msgstr[0] "%(num)s мина"', 'msgstr[0] "%(num)s мина, 100%"', "%(num)s mine"),
               "translation of '%(num)s mine': the translation cannot be formatted (incomplete format); write a percent sign as %%"),
        PoCase("percent", "percent-space", "az", _replace('msgstr[0] "%(num)s ədəd"', 'msgstr[0] "%(num)s ədəd (% ilə)"', "%(num)s item"),
               "translation of '%(num)s item': the translation cannot be formatted (not enough arguments for format string); write a percent sign as %%"),
        PoCase("duplicate", "second-entry", "ru", _append('\nmsgid "Regions"\nmsgstr "Области"\n', "Regions"), None),
        PoCase("duplicate", "second-entry-az", "az", _append('\nmsgid "Timeline"\nmsgstr "Tarix"\n', "Timeline"), None),
        PoCase("plural-forms", "too-few", "ru", _replace('msgstr[2] "%(num)s предметов"\n', "", "%(num)s item"),
               "translation of '%(num)s item': 3 plural forms expected (msgstr[0] to msgstr[2]); found 2"),
        PoCase("plural-forms", "too-many", "az", _replace('msgstr[1] "%(num)s mina"\n', 'msgstr[1] "%(num)s mina"\nmsgstr[2] "%(num)s mina"\n', "%(num)s mine"),
               "translation of '%(num)s mine': 2 plural forms expected (msgstr[0] to msgstr[1]); found 3"),
        PoCase("plural-forms", "one-form-empty", "ru", _replace('msgstr[1] "%(num)s человека"', 'msgstr[1] ""', "%(num)s person"),
               "translation of '%(num)s person': msgstr[1] is empty; translate every plural form, or none (then the English is shown)"),
    ],
    [
        PoCase("syntax", "unterminated-string", "az", _replace('msgstr "%(country)s rayonu"', 'msgstr "%(country)s rayonu', line_of='msgstr "%(country)s rayonu'),
               'a quoted string is not closed (a line must end with ")'),
        PoCase("header", "broken-plural-expression", "ru", _replace("plural=n % 10 == 1 && n % 100", "plural=n % 10 == 1 &&& n % 100", line_of='msgid ""'),
               "header: Plural-Forms: the expression 'n % 10 == 1 &&& n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2' cannot be read (invalid token in plural form: &)"),
    ],
    [
        PoCase("encoding", "latin-1-byte", "ru", _bytes("Районы", b"\xd0"), "byte 0xd0 is not UTF-8; save the file as UTF-8"),
        PoCase("header", "wrong-nplurals", "az", _replace("nplurals=2; plural=(n != 1);", "nplurals=3; plural=(n != 1);", line_of='msgid ""'),
               "header: Plural-Forms: az has 2 plural forms; nplurals is 3"),
    ],
    [
        PoCase("syntax", "text-after-string", "az", _replace('msgstr "%(country)s rayonu"', 'msgstr "%(country)s" rayonu', line_of='msgstr "%(country)s" rayonu'),
               "not a PO line: 'msgstr \"%(country)s\" rayonu'; expected msgid, msgstr, a quoted string or a # comment"),
        PoCase("encoding", "lone-continuation-byte", "ru", _bytes("Хронология", b"\x80"), "byte 0x80 is not UTF-8; save the file as UTF-8"),
    ],
]


def _po_message(project: Project, case: PoCase, line: int) -> str:
    rel = f"overrides/locale/{case.file}.po"
    if case.message is not None:
        return f"{rel}:{line}: {case.message}"
    # the cases whose message quotes long English texts: written out from the file itself
    messages = {
        "link-retargeted": lambda: "the markup must be the English's (<a href=\"%(url)s\"> </a> <a href=\"https://specs.frictionlessdata.io/\"> </a>); found <a href=\"%(url)s\"> </a> <a href=\"https://example.org/\"> </a>",
        "handler-added": lambda: "the markup must be the English's (<a href=\"%(url)s\"> </a>); found <a href=\"%(url)s\" onclick=\"alert(1)\"> </a>",
        "second-entry": lambda: "a second entry for the same text (the first is at line {}); keep one".format(project.line_of(rel, 'msgid "Regions"')),
        "second-entry-az": lambda: "a second entry for the same text (the first is at line {}); keep one".format(project.line_of(rel, 'msgid "Timeline"')),
    }
    tail = messages[case.name]()
    msgid = _entry_id(project, rel, line)
    return f"{rel}:{line}: translation of {msgid!r}: {tail}"


def _entry_id(project: Project, rel: str, line: int) -> str:
    import portal.check.pocheck as pocheck

    entries = [e for e in pocheck.parse(project.root / rel, rel).entries if e.line == line]
    assert entries, (rel, line)
    return entries[0].id


def test_the_catalogue_table_has_two_cases_of_every_class():
    kinds = [c.kind for group in PO_GROUPS for c in group]
    assert all(kinds.count(k) >= 2 for k in kinds), kinds


@pytest.mark.parametrize("group", range(len(PO_GROUPS)), ids=lambda g: "+".join(c.name for c in PO_GROUPS[g]))
def test_every_catalogue_mistake_is_refused_at_its_line_by_validate_and_by_the_build(project, group):
    lines = [(case, case.change(project, f"overrides/locale/{case.file}.po")) for case in PO_GROUPS[group]]
    messages = [_po_message(project, case, line()) for case, line in lines]  # the lines once every change is made
    refused_everywhere(project, messages)


# -- configuration -------------------------------------------------------------------------


def _nav_index(title: str) -> int:
    """The position of the top-level entry ``title`` in mkdocs.yml's nav, as the messages number it."""
    block = (ROOT / "mkdocs.yml").read_text("utf-8").split("\nnav:\n", 1)[1]
    entries = []
    for line in block.splitlines():
        if line and not line.startswith(" "):
            break  # the next top-level setting
        if line.startswith("  - "):
            entries.append(line[4:].split(":", 1)[0].strip())
    return entries.index(title)


CONFIG_GROUPS = [
    (
        {"SITE_URL": 'https://example.org/"><script>alert(1)</script>/', "PORTAL_REPOSITORY_URL": 'https://github.com/o/r" onmouseover="alert(1)'},
        [("url: https://tile.openstreetmap.org/{z}/{x}/{y}.png", "url: http://tile.example.org/{z}/{x}/{y}.png"),
         ("site_name: Minefield Maps Portal", "site_name: Minefield <script>alert(1)</script>"),
         ("  - Timeline: timeline.md", "  - Timeline <img src=x onerror=alert(1)>: timeline.md"),
         ("  generator: false", "  generator: false\n  analytics:\n    provider: google\n    property: G-XXXX"),
         ("  - assets/portal.js      #", "  - https://example.org/evil.js\n  - assets/portal.js      #"),
         ("      check_paths: true", "      check_paths: true\n      auto_append: [.git/config]")],
        [
            "mkdocs.yml: site_url (SITE_URL): must be an https:// address without quotes, spaces or angle brackets; '\"' found in 'https://example.org/\"><script>alert(1)</script>/'",
            "mkdocs.yml: extra.portal.repository (PORTAL_REPOSITORY_URL): must be an https:// address without quotes, spaces or angle brackets; '\"' found in 'https://github.com/o/r\" onmouseover=\"alert(1)'",
            "mkdocs.yml: extra.portal.map.tiles.url: must be an https:// address; got 'http://tile.example.org/{z}/{x}/{y}.png'",
            "mkdocs.yml: site_name: '<' is not allowed in plain text (no HTML here)",
            f"mkdocs.yml: nav[{_nav_index('Timeline')}] title 'Timeline <img src=x onerror=alert(1)>': '<' is not allowed in plain text (no HTML here)",
            "mkdocs.yml: extra.analytics: not a setting of the portal (Material's extra settings add scripts or requests to other hosts); allowed: portal, generator",
            "mkdocs.yml: extra_javascript[0]: must be a file of the site (such as assets/portal.js), not an address; got 'https://example.org/evil.js'",
            "mkdocs.yml: markdown_extensions: pymdownx.snippets: auto_append: '.git/config' is not in the files pages may include (CONTRIBUTING.md: hooks/portal/check/pagecheck.py), which are checked like pages",
        ],
    ),
    (
        {"SITE_URL": "http://example.org/", "PORTAL_REPOSITORY_URL": "https://user:secret@github.com/o/r"},
        [("url: https://tile.openstreetmap.org/{z}/{x}/{y}.png", "url: 'https://tile.example.org/{z}/{x}/{y}.png\" onerror=\"alert(1)'"),
         ("attribution: '&copy; <a", "attribution: '<img src=x onerror=alert(1)> <a"),
         ("site_description: >-", "copyright: Made by <b>us</b>\nsite_description: >-"),
         ("      - About this portal: about.md", "      - \"About \\u202e this portal\": about.md"),
         ("    branch: main", "    branch: main\"><script>alert(1)</script>"),
         ("  - assets/portal.css", "  - //example.org/evil.css"),
         ("      check_paths: true", "      check_paths: true\n      url_download: true")],
        [
            "mkdocs.yml: site_url (SITE_URL): must be an https:// address (http:// only for 127.0.0.1 or localhost); got 'http://example.org/'",
            "mkdocs.yml: extra.portal.repository (PORTAL_REPOSITORY_URL): must not carry a user name or password; got 'https://user:secret@github.com/o/r'",
            "mkdocs.yml: extra.portal.map.tiles.url: must be an https:// address without quotes, spaces or angle brackets; '\"' found in 'https://tile.example.org/{z}/{x}/{y}.png\" onerror=\"alert(1)'",
            "mkdocs.yml: extra.portal.map.tiles.attribution: only text and links (<a href=\"https://…\">) are allowed",
            "mkdocs.yml: copyright: '<' is not allowed in plain text (no HTML here)",
            f"mkdocs.yml: nav[{_nav_index('About')}].About[0] title 'About \\u202e this portal': U+202E RIGHT-TO-LEFT OVERRIDE is not allowed; remove it",
            "mkdocs.yml: extra.portal.branch: must be a branch name (letters, digits, '.', '_', '-', '/'); got 'main\"><script>alert(1)</script>'",
            "mkdocs.yml: extra_css[0]: must be a file of the site (such as assets/portal.js), not an address; got '//example.org/evil.css'",
            "mkdocs.yml: markdown_extensions: pymdownx.snippets: url_download: must be false: a page never includes a file from another host",
        ],
    ),
]


def test_the_configuration_table_has_two_cases_of_every_class():
    settings = [m.split(": ")[1].split(" ")[0].split("[")[0] for _, _, messages in CONFIG_GROUPS for m in messages]
    assert all(settings.count(s) >= 2 for s in ("site_url", "extra.portal.repository", "extra.portal.map.tiles.url", "nav")), settings
    assert sum(s in ("site_name", "copyright") for s in settings) >= 2
    assert sum(s in ("extra_javascript", "extra_css") for s in settings) >= 2
    assert settings.count("markdown_extensions") >= 2


@pytest.mark.parametrize("group", range(len(CONFIG_GROUPS)))
def test_every_configuration_mistake_is_refused_naming_the_setting_by_validate_and_by_the_build(project, group):
    env, edits, expected = CONFIG_GROUPS[group]
    for old, new in edits:
        project.replace("mkdocs.yml", old, new)
    refused_everywhere(project, expected, **env)


def test_the_repository_from_github_actions_is_checked_too(project):
    env = {"PORTAL_REPOSITORY_URL": "", "GITHUB_REPOSITORY": 'o/r"><script>alert(1)</script>'}
    refused_everywhere(project, ["mkdocs.yml: the repository (GITHUB_SERVER_URL/GITHUB_REPOSITORY): must be an https:// address without quotes, spaces or angle brackets; '\"' found in 'https://github.com/o/r\"><script>alert(1)</script>'"], **env)


# -- the built page's own check ------------------------------------------------------------


def test_an_inline_script_that_no_template_has_is_a_build_error_naming_the_page(project):
    """Defence in depth: a script that came past the input checks (here through a template of the
    portal's own, as a bug in the portal's code would put it) is refused when the page is built."""
    project.replace("overrides/main.html", "{%- set description", "{{ '<scr' ~ 'ipt>window.injected = 1</scr' ~ 'ipt>' }}\n  {%- set description")
    result = project.build()
    assert result.returncode != 0
    assert "404.html (the template, a translation or mkdocs.yml): an inline script that is not one of the templates' (Material's or overrides/): 'window.injected = 1'; refused" in result.stderr


def test_the_templates_inline_scripts_are_the_ones_allowed():
    """The allowed scripts are read from the templates: changing a template's script changes what is allowed."""
    import material

    from portal.glue import csp

    material_templates = Path(material.__file__).parent / "templates"
    overrides = ROOT / "overrides"
    scripts = csp.template_scripts([overrides, material_templates])
    main = (overrides / "main.html").read_text("utf-8")
    ours = main.split("<script>", 1)[1].split("</script>", 1)[0]
    assert scripts.allows(ours) and not scripts.allows(ours + "alert(1)")
    assert scripts.allows('__md_scope=new URL("../..",location)' + (material_templates / "partials/javascripts/base.html").read_text("utf-8").split('location)', 1)[1].split("</script>")[0])
    assert not scripts.allows('__md_scope=new URL("x",alert(1),location)' + (material_templates / "partials/javascripts/base.html").read_text("utf-8").split('location)', 1)[1].split("</script>")[0])
    with pytest.raises(csp.ForeignScript):
        csp.allowed_hashes("<p>x</p><SCRIPT >alert(1)</SCRIPT >", scripts)
    with pytest.raises(csp.ForeignScript):
        csp.allowed_hashes('<script type="application/json">{}</script>', scripts)


# -- property: no translation puts raw markup into a built file ------------------------------

MARKER = "data-injected"
FRAGMENTS = [
    f"<script {MARKER}>alert(1)</script>", f"<img src=x {MARKER} onerror=alert(1)>", f"<b {MARKER}>", "</a>", "</b>",
    f'<a {MARKER} href="https://example.org/">', f"&lt;b {MARKER}&gt;", f"&#60;script {MARKER}&#62;", f"<svg {MARKER} onload=alert(1)>",
    '"', "'", "&", "&amp;", "<", ">", "< 5", "%%", "%", "\x00", "\x1b", "\x7f", "\u202e", "\u200b", "<!--", "-->", "]]>", "\\", "\n", "\t",
    "javascript:", '" onmouseover="alert(1)', "' onfocus='alert(1)", "{{ 7*7 }}", "{% raw %}", "`code`", "*em*", "[x](javascript:alert(1))",
]
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=4)), min_size=1, max_size=6).map("".join)
RAW_MARKUP = __import__("re").compile(rf"<\s*(?:script|img|b|a|svg)\b[^>]*\s{MARKER}", __import__("re").I)
PLAIN_MSGIDS = ("Regions", "Timeline", "Minefield Maps Portal", "Minefield maps: timeline of demands and handovers")


def _markup_tokens(text: str) -> list:
    from portal.check.pocheck import tokens

    return sorted((t for t in tokens(str(text)) if t[0] != "text"), key=repr)


def _markup_msgid() -> str:
    from portal.check import pocheck

    entries = pocheck.parse(ROOT / "overrides" / "locale" / "portal.pot", "portal.pot").entries
    return next(e.id for e in entries if e.id and "datapackage.json</a>" in e.id)


@given(TEXT)
@settings(max_examples=400, deadline=None)
def test_a_translation_never_brings_markup_of_its_own_into_a_template(text):
    """Whatever a translator writes, a template gets the English's tags and escaped text."""
    from portal.check.pocheck import translated_markup

    markup = _markup_msgid()
    for msgid, msgstr in ((PLAIN_MSGIDS[0], text), (markup, text), (markup, markup.replace("describes", text, 1))):
        shown = translated_markup(msgid, msgstr)
        assert _markup_tokens(shown) == _markup_tokens(msgid)
        assert not RAW_MARKUP.search(str(shown))


def _po_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


@given(st.lists(TEXT, min_size=len(PLAIN_MSGIDS) + 1, max_size=len(PLAIN_MSGIDS) + 1))
@example([f"&lt;b {MARKER}&gt; \"quoted\" 'x' & < 5", f"&#60;script {MARKER}&#62;", "A &amp; B", "Tom's \"map\"", f"with &lt;img src=x {MARKER}&gt; inside"])
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_no_raw_markup_from_a_catalogue_reaches_any_built_file(tmp_path_factory, texts):
    """Random translations of the site's name, navigation titles, a feed's title and a string with
    links: the ru edition is either refused (with the catalogue's line) or built, and then no
    file of it (HTML, XML, JSON, CSV, GeoJSON, feeds, search index, sitemaps) carries raw markup
    from them."""
    project = copy_project(tmp_path_factory.mktemp("property") / "project")
    rel = "overrides/locale/ru.po"
    po = project.read(rel)
    for msgid, text in zip(PLAIN_MSGIDS, texts, strict=False):  # texts has one more: the string with links
        start = po.index(f'msgid "{msgid}"\nmsgstr "')
        end = po.index("\n", po.index("msgstr", start))
        po = po[:start] + f'msgid "{msgid}"\nmsgstr "{_po_string(text)}"' + po[end:]
    po = po.replace("описывает", _po_string(texts[-1]), 1)
    project.write(rel, po)
    site = project.root / "site" / "ru"
    result = build(project.root, site, PORTAL_EDITION="ru")
    if result.returncode != 0:
        assert f"{rel}:" in result.stderr and "Traceback" not in result.stderr, result.stderr[-2000:]
        assert not site.exists() or not any(site.iterdir())
        return
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".csv", ".geojson", ".atom", ".txt")]
    assert any(p.name == "search_index.json" for p in files) and any(p.suffix == ".atom" for p in files)
    for path in files:
        text = path.read_text("utf-8")
        assert not RAW_MARKUP.search(text), (path, RAW_MARKUP.search(text).group())


MARKDOWN = st.lists(st.one_of(st.sampled_from(FRAGMENTS + ["\n", "```\n", "    ", "- ", "# ", "---\n", "<!-- portal:", "-->", "--8<-- ", '"', "{: ", "}", "[", "](", ")", "`", "<![", "<!", "<?", "&#", ";"]), st.text(max_size=3)), max_size=30).map("".join)


@given(MARKDOWN)
@settings(max_examples=300, deadline=None)
def test_the_page_check_reads_any_text_without_a_traceback(text):
    import tempfile

    from portal.check.pagecheck import check_page
    from portal.render.directives import find_directives

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.md"
        path.write_text(text, "utf-8")
        checked = check_page(path, "content/x.md")
        assert all(e.startswith("content/x.md:") for e in checked.errors)
        if checked.text is not None:
            find_directives(checked.text, "content/x.md", None)


@given(st.lists(st.one_of(st.sampled_from(['msgid "', 'msgstr "', 'msgstr[0] "', 'msgid_plural "', '"', "\\", "\n", "#, python-format\n", "%(", ")s", "%", "\\n"]), st.text(max_size=3)), max_size=25).map("".join))
@settings(max_examples=300, deadline=None)
def test_the_catalogue_check_reads_any_text_without_a_traceback(text):
    import tempfile

    from portal.check.pocheck import check_catalogue

    header = (ROOT / "overrides" / "locale" / "az.po").read_text("utf-8").split("\n\n", 1)[0]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "az.po"
        path.write_bytes((header + "\n\n" + text).encode("utf-8", "replace"))
        errors = check_catalogue(path, "overrides/locale/az.po", "az")
        assert all(e.startswith("overrides/locale/az.po:") for e in errors)
        if not errors:  # what the check accepts, the build reads (Babel) and formats without an error
            from portal.i18n.i18n import Language

            language = Language("az", Path(folder))
            for message in language.translations._catalog:
                if isinstance(message, str) and message:
                    language.gettext(message, **{name: "x" for name in __import__("re").findall(r"%\(([^)]*)\)", message)})


def test_a_template_script_with_jinja_statements_cannot_be_allowed(tmp_path):
    from portal.glue import csp

    (tmp_path / "partial.html").write_text("<script>{% if config.x %}var a=1{% endif %}</script>\n", "utf-8")
    with pytest.raises(csp.TemplateError, match="partial.html: an inline script with Jinja statements"):
        csp.template_scripts([tmp_path])
    (tmp_path / "partial.html").write_text('<script>var base="{{ base_url }}"</script>\n', "utf-8")
    scripts = csp.template_scripts([tmp_path])
    assert scripts.allows('var base="../.."') and not scripts.allows('var base=""+alert(1)+""')


def test_a_page_named_like_a_generated_one_or_a_missing_snippet_is_refused_before_anything_is_written(project):
    project.write("content/timeline.md", "# My timeline\n")
    project.write("content/regions/agdam.az.md", "# Ağdam\n")
    line = project.line_of("content/contribute.md", "--8<--")
    (project.root / "CONTRIBUTING.md").unlink()
    refused_everywhere(project, [
        "content/timeline.md: this page is generated from data/; rename or remove the hand-written file",
        "content/regions/agdam.az.md: this page is generated from data/; rename or remove the hand-written file",
        f"content/contribute.md:{line}: snippet 'CONTRIBUTING.md': the file does not exist",
    ])

"""The hand-written pages (``content/*.md``, and the files they include) are checked like data.

A pull request can change a page as easily as a data file, so a page is read as untrusted
input, and every problem is an error at ``content/x.md:LINE``, reported with every other
problem of the run by ``python -m portal validate`` and by every build, before anything is
written:

- the file is UTF-8 text, a regular file (not a link to a file elsewhere);
- its front matter is strict YAML (:mod:`portal.load.yamlload`) with known keys, and its texts are
  plain text (they reach Material's templates, which do not escape);
- raw HTML only from an allow-list of tags and attributes (:data:`ALLOWED_TAGS`): no script,
  style, iframe, object, embed, form, meta or base, no event handler and no style attribute;
  HTML comments only as directives (``<!-- portal:… -->``) or remarks, never the portal's own
  placeholders;
- links only to ``https:``, ``mailto:`` or within the site; images only from the site;
- snippets (``--8<--``, pymdownx.snippets) only of the files in :data:`SNIPPET_FILES`.

The Markdown is read with markdown-it-py (CommonMark, with tables), its HTML with the stdlib's
HTML tokenizer; the snippet lines with pymdownx.snippets' own pattern, since that
preprocessor runs before Markdown and sees every line, code blocks included. markdown-it-py
is not the Markdown that MkDocs renders with (Python-Markdown, which has no token stream with
lines); where the two could read a page differently, the built page's own check remains
(:mod:`portal.glue.csp`: no script that is not the templates'). Nothing here knows MkDocs's build;
the front matter is found where MkDocs finds it (:mod:`portal.load.frontmatter`, without MkDocs).
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from portal.load import frontmatter, yamlload

# Files that a page may include with pymdownx.snippets ("--8<--"), relative to the project's
# root (snippets' base_path in mkdocs.yml). Another file (a glossary, say) is added here.
SNIPPET_FILES: list[str] = ["CONTRIBUTING.md"]

# Raw HTML a page may contain: tag -> its own attributes, on top of GLOBAL_ATTRIBUTES.
ALLOWED_TAGS: dict[str, frozenset[str]] = {
    **{tag: frozenset() for tag in (
        "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
        "tfoot", "thead", "tr", "u", "ul",
    )},
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope"}),
    "ol": frozenset({"start", "reversed"}),
}
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "role", "markdown"})
# Front matter keys MkDocs and Material read, with the type each must have.
FRONT_MATTER = {"title": str, "description": str, "search": dict, "hide": list, "template": None, "status": None}

_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_DIRECTIVE_START = re.compile(r"<!--\s*portal:")
_RESERVED_COMMENT = re.compile(r"\s*portal(?!:)")


def plain_text_problem(value: str) -> str | None:
    """Why a text that reaches a template unescaped as plain text is not plain text, or None."""
    for char in value:
        if char in "<>":
            return f"'{char}' is not allowed in plain text (no HTML here)"
        if char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            return f"U+{ord(char):04X} {unicodedata.name(char, 'a control character')} is not allowed; remove it"
    return None


def url_problem(url: str, image: bool = False) -> str | None:
    """Why a link (or an image's address) is not allowed, or None.

    Browsers drop tabs and line breaks in addresses and read a backslash as a slash, so the
    address is judged as a browser reads it."""
    seen = re.sub(r"[\t\n\r]", "", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ").replace("\\", "/")
    scheme = _URL_SCHEME.match(seen)
    if image:
        if scheme or seen.startswith("//"):
            return "images must come from the site (a path such as ../assets/picture.png), never from another host"
        return None
    if seen.startswith("//"):
        return "links must be https://…, mailto:… or within the site"
    if scheme and scheme.group(1).lower() not in ("https", "mailto"):
        return "links must be https://…, mailto:… or within the site"
    if scheme and scheme.group(1).lower() == "https" and not re.match(r"https://[^/?#\s]+", seen, re.I):
        return "an https:// link needs a host"
    return None


# Refused even in code: Python-Markdown (which renders the pages) and markdown-it-py (which
# checks them) do not always agree on what is code (indented code in lists, for one), so a tag
# that would be dangerous as HTML is not written in code either.
DANGEROUS_TAGS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "meta", "base",
    "link", "svg", "math", "template", "portal", "noscript", "xmp", "plaintext", "textarea", "title",
})
_ATTR_LIST = re.compile(r"\{:?[ ]*([^}\n ][^}\n]*?)[ ]*\}")


class _HtmlCheck(HTMLParser):
    """The raw HTML of one block or inline piece: every tag and attribute against the allow-list."""

    def __init__(self, report, line: int, refused: set[str] | None = None):
        super().__init__(convert_charrefs=True)
        self.report = report
        self.base = line
        self.refused = set() if refused is None else refused  # tags already reported: their end tags are not

    def _line(self) -> int:
        return self.base + self.getpos()[0] - 1

    def handle_starttag(self, tag, attrs):
        line = self._line()
        if tag not in ALLOWED_TAGS:
            self.report(line, f"<{tag}>: this HTML tag is not allowed in a page; allowed: {', '.join(sorted(ALLOWED_TAGS))}")
            self.refused.add(tag)
            return
        allowed = ALLOWED_TAGS[tag] | GLOBAL_ATTRIBUTES
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.report(line, f"<{tag} {name}>: event handlers and style attributes are not allowed in a page")
            elif name not in allowed and not name.startswith("aria-"):
                self.report(line, f"<{tag} {name}>: this attribute is not allowed; allowed on <{tag}>: {', '.join(sorted(allowed))}, aria-*")
            elif name in ("href", "src"):
                problem = url_problem(value or "", image=name == "src")
                if problem:
                    self.report(line, f"<{tag} {name}={value!r}>: {problem}")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag not in ALLOWED_TAGS and tag not in self.refused:
            self.report(self._line(), f"</{tag}>: this HTML tag is not allowed in a page; allowed: {', '.join(sorted(ALLOWED_TAGS))}")

    def handle_comment(self, data):
        if _RESERVED_COMMENT.match(data):
            self.report(self._line(), f"<!--{data[:40]}-->: comments starting with 'portal' are the portal's own; a directive is written <!-- portal:NAME -->")
        elif "<" in data or ">" in data:
            self.report(self._line(), "an HTML comment may not contain '<' or '>'")

    def handle_decl(self, decl):
        self.report(self._line(), f"<!{decl[:20]}>: declarations are not allowed in a page")

    def unknown_decl(self, data):
        self.report(self._line(), f"<![{data[:20]}]>: CDATA and similar sections are not allowed in a page")

    def handle_pi(self, data):
        self.report(self._line(), f"<?{data[:20]}>: processing instructions are not allowed in a page")


class _CodeCheck(_HtmlCheck):
    """HTML written in code: only what would be dangerous if a renderer read it as HTML."""

    def handle_starttag(self, tag, attrs):
        line = self._line()
        if tag in DANGEROUS_TAGS:
            self.report(line, f"<{tag}> in code: not even in code (Markdown readers differ on what is code); describe it in words")
        for name, _ in attrs:
            if name.startswith("on") or name == "style":
                self.report(line, f"<{tag} {name}> in code: {name}= is not written even in code (Markdown readers differ on what is code)")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        pass

    def handle_comment(self, data):
        pass

    def handle_decl(self, decl):
        pass

    def unknown_decl(self, data):
        pass

    def handle_pi(self, data):
        pass


def attr_list_problem(text: str) -> str | None:
    """Why an attribute list (``{: .class #id key=value }``, Python-Markdown's attr_list, which
    mkdocs.yml enables) in ``text`` is not allowed, or None: no event handler, no style, and
    key=value only for the attributes allowed everywhere (a bare word, ``{x}``, is harmless: prose
    may have braces)."""
    from markdown.extensions.attr_list import get_attrs_and_remainder

    for match in _ATTR_LIST.finditer(text):
        attrs, _ = get_attrs_and_remainder(match.group(1))
        for key, value in attrs:
            key = str(key).lower()
            if key.startswith("on") or key == "style":
                return f"{match.group(0)[:60]}: event handlers and style attributes are not allowed in a page"
            if value is not None and key not in ("id", ".") and key not in GLOBAL_ATTRIBUTES and not key.startswith("aria-"):
                return f"{match.group(0)[:60]}: the attribute '{key}' is not allowed in an attribute list; allowed: {', '.join(sorted(GLOBAL_ATTRIBUTES))}, aria-*"
    return None


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.validateLink = lambda url: True  # every link is judged here, not dropped silently (Python-Markdown keeps them)
    return md


_MD = _markdown()


def _inline_lines(token, start: int):
    """The children of an inline token, each with its line."""
    line = start
    for child in token.children or ():
        yield child, line
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type in ("text", "html_inline", "code_inline"):
            line += child.content.count("\n")


class PageCheck:
    """Every problem of one Markdown file, and where its directives are (not in code)."""

    def __init__(self, path: Path, shown: str, root: Path | None = None):
        self.path = Path(path)
        self.shown = shown
        self.root = root  # the project's folder, where snippets are read from
        self.errors: list[str] = []
        self.text: str | None = None
        self.code_lines: set[int] = set()
        self.code_spans: dict[int, list[str]] = {}
        self.refused: set[str] = set()

    def report(self, line: int, message: str) -> None:
        self.errors.append(f"{self.shown}:{line}: {message}")

    def read(self) -> str | None:
        if self.path.is_symlink() or not self.path.is_file():
            self.errors.append(f"{self.shown}: not a regular file (a link or a folder); pages are plain files in content/")
            return None
        raw = self.path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.report(raw.count(b"\n", 0, exc.start) + 1, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it with UTF-8 encoding")
            return None
        self.text = text.removeprefix("\ufeff")
        return self.text

    def check(self) -> PageCheck:
        text = self.read()
        if text is None:
            return self
        body_offset = self._front_matter(text)
        self._snippets(text)
        self._markdown(text, body_offset)
        return self

    # front matter --------------------------------------------------------------------

    def _front_matter(self, text: str) -> int:
        """Checks the front matter; the line (0-based) where the Markdown starts."""
        empty = frontmatter.empty_block(text)
        if empty is not None:  # no metadata; the build leaves the block out of the page (frontmatter.without_empty_block)
            return text.count("\n", 0, empty.end())
        block = frontmatter.FENCED.match(text)
        if block is not None:
            # after the opening '---' line, so that lines (also those quoted in a message) are the page's
            loaded = yamlload.load_text("\n" + block.group(1), yamlload.Loaded(file=self.shown))
            for problem in loaded.problems:
                self.report(problem.line, f"front matter: {problem.message}")
            if loaded.problems:
                return text.count("\n", 0, block.end())
            data, lines = loaded.data, dict(loaded.lines)
            if not isinstance(data, dict):  # said at its first line that is not blank or a comment
                first = next((i for i, line in enumerate(block.group(1).split("\n")) if line.strip() and not line.lstrip().startswith("#")), 0)
                self.report(2 + first, "front matter: must be 'key: value' lines (title:, description:)")
                return text.count("\n", 0, block.end())
            start = text.count("\n", 0, block.end())
        else:
            data = frontmatter.unfenced(text)
            if not data:
                return 0
            lines = {}
            start = 0
            self.report(1, "front matter: write it between two '---' lines (MkDocs read the first lines of the page as its front matter)")
        for key, value in data.items():
            line = lines.get((key,), 1)
            if key not in FRONT_MATTER:
                self.report(line, f"front matter: unknown key '{key}'; allowed: {', '.join(FRONT_MATTER)}")
                continue
            kind = FRONT_MATTER[key]
            if kind is not None and not isinstance(value, kind):
                self.report(line, f"front matter: {key} must be {'a text' if kind is str else 'a list' if kind is list else 'key: value lines'}")
                continue
            for where, item in _strings((key,), value):
                problem = plain_text_problem(item)
                if problem:
                    self.report(lines.get(where, line), f"front matter: {'.'.join(map(str, where))}: {problem}")
        return start

    # snippets ------------------------------------------------------------------------

    def _snippets(self, text: str) -> None:
        from pymdownx.snippets import SnippetPreprocessor

        all_snippets, in_block = SnippetPreprocessor.RE_ALL_SNIPPETS, False
        for number, line in enumerate(text.split("\n"), start=1):
            match = all_snippets.match(line)
            if match and match.group("escape"):
                continue
            if match and match.group("block_marker"):
                in_block = not in_block
                continue
            if match and match.group("snippet"):
                self._snippet(number, match.group("snippet")[1:-1])
            elif in_block and line.strip():
                self._snippet(number, line.strip())
            elif "8<" in line and not match and re.match(r"\s*;*-+8<-+", line):
                self.report(number, f"a snippet line must be --8<-- \"FILE\" (one of: {', '.join(SNIPPET_FILES)})")

    def _snippet(self, line: int, path: str) -> None:
        # a snippet's name may end in line numbers or a section (file.md:3:9, file.md:intro)
        name = path if path in SNIPPET_FILES else re.sub(r"(?::-?[0-9]*(?:,-?[0-9]*)*)+$|:[A-Za-z][-_0-9A-Za-z]*$", "", path[:300])
        if name not in SNIPPET_FILES:
            self.report(line, f"snippet {path[:80]!r}: only these files may be included: {', '.join(SNIPPET_FILES)}")
        elif self.root is not None and not (self.root / name).is_file():
            self.report(line, f"snippet {path[:80]!r}: the file does not exist")

    # Markdown ------------------------------------------------------------------------

    def _markdown(self, text: str, offset: int) -> None:
        lines = text.split("\n")
        body = "\n".join(lines[offset:])
        try:
            tokens = _MD.parse(body)
        except Exception as exc:  # pragma: no cover - markdown-it reads any text
            self.report(offset + 1, f"the page cannot be read as Markdown: {exc}")
            return
        heading = False
        for token in tokens:
            start = offset + (token.map[0] if token.map else 0) + 1
            if token.type == "heading_open":
                heading = token.tag == "h1"  # the page's title (the others are escaped in the table of contents)
            elif token.type == "heading_close":
                heading = False
            elif token.type == "inline" and heading:
                self._heading(token, start)
            if token.type in ("fence", "code_block"):
                end = offset + token.map[1] if token.map else start
                self.code_lines.update(range(start, end + 1))
                self._code(token.content, start + (1 if token.type == "fence" else 0))
            elif token.type == "html_block":
                self._html(token.content, start)
            elif token.type == "inline":
                for child, line in _inline_lines(token, start):
                    self._inline(child, line)

    def _heading(self, token, line: int) -> None:
        """A first-level heading's text becomes the page's title, which Material writes with its
        entities decoded (striptags): plain text, even written as &lt; or in code."""
        for child, at in _inline_lines(token, line):
            if child.type in ("text", "code_inline") and ("<" in child.content or ">" in child.content):
                self.report(at, "the page's title (its first-level heading) is plain text: no '<' or '>', not even as &lt; or in `code`")
                return

    def _inline(self, child, line: int) -> None:
        if child.type == "html_inline":
            self._html(child.content, line)
        elif child.type == "code_inline":
            self.code_spans.setdefault(line, []).append(child.content)
            self._code(child.content, line)
        elif child.type == "text":
            problem = attr_list_problem(child.content)
            if problem:
                self.report(line, problem)
        elif child.type == "link_open":
            href = child.attrGet("href") or ""
            problem = url_problem(str(href))
            if problem:
                self.report(line, f"link {str(href)[:80]!r}: {problem}")
        elif child.type == "image":
            src = child.attrGet("src") or ""
            problem = url_problem(str(src), image=True)
            if problem:
                self.report(line, f"image {str(src)[:80]!r}: {problem}")
            for grandchild in child.children or ():
                self._inline(grandchild, line)

    def _code(self, code: str, line: int) -> None:
        if "<" in code:
            self._feed(_CodeCheck(self.report, line), code, line)

    def _html(self, html: str, line: int) -> None:
        self._feed(_HtmlCheck(self.report, line, self.refused), html, line)

    def _feed(self, checker: HTMLParser, html: str, line: int) -> None:
        try:
            checker.feed(html)
            checker.close()
        except AssertionError:  # html.parser gives up on some malformed declarations ("<![x")
            self.report(line, "HTML that cannot be read (a '<!' that is neither a comment nor a known declaration)")

    def in_code(self, line: int, text: str) -> bool:
        """Whether a directive at ``line`` is shown in code (left alone, as documentation)."""
        if line in self.code_lines:
            return True
        return any(text.strip() in span or span in text for span in self.code_spans.get(line, ()) if "portal:" in span)


def _strings(path: tuple, value):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(path + (key,), item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(path + (index,), item)


def check_page(path: Path, shown: str, root: Path | None = None) -> PageCheck:
    return PageCheck(path, shown, root).check()


# What content/ may hold besides pages: MkDocs publishes every other file of it as it is (an
# .html file would be a page without any of these checks, an .svg or .js file could carry a script).
ASSET_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".pdf", ".csv")


def other_files(docs_dir: Path) -> list[str]:
    """The files of ``docs_dir`` that are neither pages nor allowed assets, as errors."""
    docs_dir = Path(docs_dir)
    out = []
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir.parent).as_posix()
        if path.is_symlink():
            out.append(f"{rel}: a link to another file or folder; content/ holds plain files only")
        elif path.is_file() and path.suffix.lower() != ".md" and path.suffix.lower() not in ASSET_SUFFIXES:
            out.append(f"{rel}: only Markdown pages (.md) and {', '.join(ASSET_SUFFIXES)} files are published from {docs_dir.name}/; remove it or move it to overrides/assets/ (reviewed as code)")
    return out


def snippet_pages(root: Path) -> list[tuple[Path, str]]:
    """The files that pages may include: checked like pages, since they are published."""
    return [(Path(root) / name, name) for name in SNIPPET_FILES if (Path(root) / name).exists()]


def code_map(markdown: str):
    """``in_code(line, text)``: whether the text at that line of ``markdown`` is shown in code."""
    page = PageCheck(Path(), "")
    page._markdown(markdown, 0)
    return page.in_code

"""The translators' catalogues (``overrides/locale/*.po``) are data, checked like data.

A catalogue reaches every page of its edition, so nothing in it is trusted:

- the file is read strictly, line by line (:func:`parse`): a line that is not a comment, a
  keyword with one complete quoted string, or a quoted continuation is an error at its line; so
  are a byte that is not UTF-8, a duplicate entry, a plural entry with the wrong number of forms,
  and a header whose ``Plural-Forms`` or ``Content-Type`` is broken. Babel's reader is not used
  for this part: it is lenient by design (an unterminated string loses its last word, a duplicate
  entry is merged silently, a ``Plural-Forms`` expression is not parsed, missing plural forms
  are filled with empty strings), so it cannot say where a translator's file is broken.
- each translation keeps the placeholders of its English (Babel's ``python_format`` checker,
  plus dropped placeholders, which that checker does not look for), formats without error
  where gettext formats it, and carries exactly the markup of its English: the same tags with
  the same attributes (so the same link targets), and none where the English has none
  (:func:`markup_signature`, with the stdlib's HTML tokenizer).

The build does not rely on these checks alone: :func:`translated_markup` rebuilds each
translation that goes into a template from its English's tags and its own escaped text.
Nothing here knows MkDocs.
"""

from __future__ import annotations

import gettext as _gettext
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from babel.core import UnknownLocaleError
from babel.messages.catalog import Message
from babel.messages.checkers import python_format
from babel.messages.plurals import get_plural
from markupsafe import Markup, escape

_STRING = r'"(?P<text>(?:[^"\\]|\\.)*)"'
_KEYWORD = re.compile(r"(?P<key>msgctxt|msgid_plural|msgid|msgstr(?:\[(?P<index>[0-9]+)\])?)[ \t]+" + _STRING + r"[ \t]*")
_CONTINUATION = re.compile(r"[ \t]*" + _STRING + r"[ \t]*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPE = re.compile(r"\\(.)")
_PLACEHOLDER = re.compile(r"%\((?P<name>[^)]*)\)")
_PLURAL_FORMS = re.compile(r"\s*nplurals\s*=\s*(?P<n>[0-9]+)\s*;\s*plural\s*=\s*(?P<expr>[^;]+?)\s*;?\s*")


@dataclass
class Entry:
    line: int  # of its msgid (of msgctxt, if it has one)
    flags: set[str] = field(default_factory=set)
    context: str | None = None
    id: str | None = None
    plural: str | None = None
    strings: dict[int | None, str] = field(default_factory=dict)  # None: a plain msgstr; 0, 1…: msgstr[i]
    string_lines: dict[int | None, int] = field(default_factory=dict)
    obsolete: bool = False

    @property
    def shown_id(self) -> str:
        return repr(self.id)


class CatalogueFile:
    """One catalogue as the checks see it: its entries, with lines, and the syntax errors."""

    def __init__(self, path: Path, shown: str):
        self.path = path
        self.shown = shown
        self.entries: list[Entry] = []
        self.errors: list[str] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(f"{self.shown}:{line}: {message}")


def _unquote(text: str) -> str | None:
    bad = [m.group(1) for m in _ESCAPE.finditer(text) if m.group(1) not in _ESCAPES]
    if bad:
        return None
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(1)], text)


class _Reader:
    """The state of :func:`parse` between lines: the entry being read, the keyword a
    continuation line adds to, and the flags (``#, fuzzy``) waiting for the next entry.

    A blank line ends an entry; a comment after its msgstr too; a msgctxt or msgid after a
    complete msgid starts the next one."""

    def __init__(self, result: CatalogueFile):
        self.result = result
        self.entry: Entry | None = None
        self.last: tuple[str, int | None] | None = None  # the keyword a continuation line adds to
        self.flags: set[str] = set()

    def finish(self) -> None:
        entry, result = self.entry, self.result
        if entry is not None:
            if entry.id is None:
                result.error(entry.line, "an entry without msgid")
            elif not entry.strings:
                result.error(entry.line, f"the entry {entry.id!r} has no msgstr")
            else:
                result.entries.append(entry)
        self.entry, self.last = None, None

    def line(self, number: int, body: str) -> None:
        stripped = body.strip()
        if stripped.startswith("#~"):  # an old translation kept by the tools: read as text, never used
            return
        if not stripped:
            self.finish()
            self.flags = set()
            return
        if stripped.startswith("#"):
            if self.entry is not None and self.entry.strings:
                self.finish()
            if stripped.startswith("#,"):
                self.flags |= {f.strip() for f in stripped[2:].split(",") if f.strip()}
            return
        keyword = _KEYWORD.fullmatch(stripped)
        continuation = None if keyword else _CONTINUATION.fullmatch(body)
        if keyword is None and continuation is None:
            if '"' in stripped and stripped.count('"') % 2:
                self.result.error(number, "a quoted string is not closed (a line must end with \")")
            else:
                self.result.error(number, f"not a PO line: {stripped[:60]!r}; expected msgid, msgstr, a quoted string or a # comment")
            self.entry, self.last = None, None
            return
        value = _unquote((keyword or continuation).group("text"))
        if value is None:
            self.result.error(number, "an unknown escape sequence (only \\n, \\t, \\\" and \\\\ are used)")
        elif continuation is not None:
            self.continued(number, value)
        else:
            self.keyword(number, keyword.group("key"), keyword.group("index"), value)

    def continued(self, number: int, value: str) -> None:
        """A quoted string alone on its line: more of the last keyword's text."""
        entry = self.entry
        if entry is None or self.last is None:
            self.result.error(number, "a quoted string outside an entry")
            return
        key, index = self.last
        if key == "msgstr":
            entry.strings[index] += value
        else:
            setattr(entry, key, getattr(entry, key) + value)

    def keyword(self, number: int, key: str, index: str | None, value: str) -> None:
        if key in ("msgctxt", "msgid"):
            if self.entry is not None and (self.entry.id is not None or (key == "msgctxt" and self.entry.context is not None)):
                self.finish()
            if self.entry is None:
                self.entry = Entry(line=number, flags=self.flags)
                self.flags = set()
        entry = self.entry
        if entry is None:
            self.result.error(number, f"{key} without a msgid before it")
            return
        if key == "msgctxt":
            entry.context = value
            self.last = ("context", None)
        elif key == "msgid":
            entry.id = value
            self.last = ("id", None)
        elif key == "msgid_plural":
            if entry.id is None or entry.strings:
                self.result.error(number, "msgid_plural must follow its msgid")
                return
            entry.plural = value
            self.last = ("plural", None)
        else:
            self.msgstr(number, key, int(index) if index is not None else None, value)

    def msgstr(self, number: int, key: str, slot: int | None, value: str) -> None:
        entry = self.entry
        if entry.id is None:
            self.result.error(number, "msgstr without a msgid before it")
            return
        if slot in entry.strings:
            self.result.error(number, f"{key} is written twice in the entry {entry.id!r}")
            return
        entry.strings[slot] = value
        entry.string_lines[slot] = number
        self.last = ("msgstr", slot)


def parse(path: Path, shown: str) -> CatalogueFile:
    """Read a catalogue strictly (see the module's docstring); every error has its line."""
    result = CatalogueFile(path, shown)
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        result.error(line, f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8")
        return result
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = _Reader(result)
    for number, line in enumerate(text.split("\n"), start=1):
        reader.line(number, line.rstrip("\r"))
    reader.finish()
    return result


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        if self.tokens and self.tokens[-1][0] == "text":
            self.tokens[-1] = ("text", self.tokens[-1][1] + data)
        else:
            self.tokens.append(("text", data))

    def handle_comment(self, data):
        self.tokens.append(("other", "<!--" + data + "-->"))

    def handle_decl(self, decl):
        self.tokens.append(("other", "<!" + decl + ">"))

    def handle_pi(self, data):
        self.tokens.append(("other", "<?" + data + ">"))

    def unknown_decl(self, data):
        self.tokens.append(("other", "<![" + data + "]>"))


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[tuple, ...]:
    parser = _Tokens()
    try:
        parser.feed(text)
        parser.close()
    except AssertionError:  # html.parser gives up on some malformed declarations ("<![x")
        return (("other", "<unreadable markup>"),)
    return tuple(parser.tokens)


def markup_signature(text: str) -> tuple[tuple, ...]:
    """The markup of a string, in a comparable form: its tags (sorted, with their attributes), and
    anything else that is not text (comments, declarations). Empty for plain text."""
    return tuple(sorted((t for t in tokens(text) if t[0] != "text"), key=repr))


def _describe(signature: tuple[tuple, ...]) -> str:
    parts = []
    for token in signature:
        if token[0] == "start":
            attrs = "".join(f' {k}="{v}"' if v is not None else f" {k}" for k, v in token[2])
            parts.append(f"<{token[1]}{attrs}>")
        elif token[0] == "end":
            parts.append(f"</{token[1]}>")
        else:
            parts.append(token[1])
    return " ".join(parts) or "none"


def _serialise(parts: tuple[tuple, ...]) -> str:
    out = []
    for token in parts:
        if token[0] == "text":
            out.append(str(escape(token[1])))
        elif token[0] == "start":
            out.append("<" + token[1] + "".join(f' {k}="{escape(v)}"' if v is not None else f" {k}" for k, v in token[2]) + ">")
        elif token[0] == "end":
            out.append(f"</{token[1]}>")
    return "".join(out)


@lru_cache(maxsize=8192)
def translated_markup(msgid: str, msgstr: str) -> Markup:
    """A translation for a template, never trusted: its text escaped, its tags those of the English
    (``msgid``, from the portal's own templates). A translation whose markup differs from the
    English's (which :func:`catalogue_problems` refuses) is replaced by the English."""
    if msgstr == msgid:
        return Markup(msgid)
    if markup_signature(msgstr) != markup_signature(msgid):
        return Markup(msgid)
    return Markup(_serialise(tokens(msgstr)))


class _AnyValue(dict):
    def __missing__(self, key):
        return 0


def _names(text: str) -> set[str]:
    return {m.group("name") for m in _PLACEHOLDER.finditer(text)}


def _formats(text: str) -> str | None:
    """Why ``text % values`` would fail, or None."""
    try:
        text % _AnyValue()
    except (ValueError, TypeError, KeyError) as exc:
        return str(exc)
    return None


def _control(text: str) -> str | None:
    for char in text:
        if char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            name = unicodedata.name(char, "a control character")
            return f"U+{ord(char):04X} {name}"
    return None


def _check_header(cat: CatalogueFile, entry: Entry, lang: str) -> int | None:
    """The header's problems; the number of plural forms it declares (None if broken)."""
    header = entry.strings.get(None, "")
    fields = {}
    for raw in header.split("\n"):
        if raw.strip():
            key, colon, value = raw.partition(":")
            if not colon:
                cat.error(entry.line, f"header: the line {raw!r} is not 'Name: value'")
                continue
            fields[key.strip().lower()] = value.strip()
    content_type = fields.get("content-type", "")
    if not re.search(r"charset\s*=\s*utf-8\b", content_type, re.I):
        cat.error(entry.line, f"header: Content-Type must be 'text/plain; charset=UTF-8'; got {content_type!r}")
    language = fields.get("language")
    if language is not None and language.replace("-", "_").split("_")[0] != lang:
        cat.error(entry.line, f"header: Language is {language!r} in the {lang} catalogue")
    try:
        expected = get_plural(lang).num_plurals
    except UnknownLocaleError:  # pragma: no cover - the editions are known locales
        expected = None
    forms = fields.get("plural-forms")
    if forms is None:
        cat.error(entry.line, f"header: no Plural-Forms line; for {lang}: {str(get_plural(lang)).strip()}")
        return None
    match = _PLURAL_FORMS.fullmatch(forms)
    if not match:
        cat.error(entry.line, f"header: Plural-Forms {forms!r} is not 'nplurals=N; plural=EXPRESSION;'")
        return None
    n = int(match.group("n"))
    try:
        plural = _gettext.c2py(match.group("expr"))
        values = {plural(k) for k in range(0, 1001)}
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError) as exc:
        cat.error(entry.line, f"header: Plural-Forms: the expression {match.group('expr')!r} cannot be read ({exc})")
        return None
    if expected is not None and n != expected:
        cat.error(entry.line, f"header: Plural-Forms: {lang} has {expected} plural forms; nplurals is {n}")
        return None
    if not values <= set(range(n)):
        cat.error(entry.line, f"header: Plural-Forms: the expression gives form {max(values)} for some numbers; nplurals is {n}")
        return None
    return n


def check_entry(cat: CatalogueFile, entry: Entry, nplurals: int | None) -> None:
    where = f"translation of {entry.id!r}"
    if entry.plural is None and set(entry.strings) != {None}:
        cat.error(entry.line, f"{where}: msgstr[N] without a msgid_plural; write msgstr \"…\"")
        return
    if entry.plural is not None:
        if None in entry.strings:
            cat.error(entry.line, f"{where}: a plural entry needs msgstr[0], msgstr[1]…, not msgstr")
            return
        if nplurals is not None and any(entry.strings.values()) and sorted(entry.strings) != list(range(nplurals)):
            cat.error(entry.line, f"{where}: {nplurals} plural forms expected (msgstr[0] to msgstr[{nplurals - 1}]); found {len(entry.strings)}")
            return
        empty = [k for k, v in sorted(entry.strings.items()) if not v]
        if empty and len(empty) < len(entry.strings):
            cat.error(entry.line, f"{where}: msgstr[{empty[0]}] is empty; translate every plural form, or none (then the English is shown)")
            return
    english = [entry.id] + ([entry.plural] if entry.plural is not None else [])
    english_names = set().union(*map(_names, english))
    formatted = "python-format" in entry.flags or entry.plural is not None or any("%" in e for e in english)
    english_markup = markup_signature(entry.id)
    for slot, string in sorted(entry.strings.items(), key=lambda kv: -1 if kv[0] is None else kv[0]):
        if not string:
            continue
        problem = _control(string)
        if problem:
            cat.error(entry.line, f"{where}: {problem} in the translation; remove it")
            continue
        if formatted:
            failure = _formats(string)
            if failure:
                cat.error(entry.line, f"{where}: the translation cannot be formatted ({failure}); write a percent sign as %%")
                continue
            message = Message(entry.id if slot in (None, 0) else entry.plural, string, flags={"python-format"})
            try:
                python_format(None, message)
            except Exception as exc:  # Babel's TranslationError
                cat.error(entry.line, f"{where}: {exc}; keep every %(name)s of the English as it is")
                continue
            dropped = sorted(english_names - _names(string) - ({"num"} if entry.plural is not None else set()))
            if dropped:
                cat.error(entry.line, f"{where}: the placeholder {', '.join(f'%({d})s' for d in dropped)} is missing; keep every %(name)s of the English as it is")
                continue
        signature = markup_signature(string)
        if signature != english_markup:
            found = _describe(tuple(t for t in tokens(string) if t[0] != "text"))
            if not english_markup:
                cat.error(entry.line, f"{where}: markup in a translation of plain text ({found}); write text only")
            else:
                cat.error(entry.line, f"{where}: the markup must be the English's ({_describe(tuple(t for t in tokens(entry.id) if t[0] != 'text'))}); found {found}")


def check_catalogue(path: Path, shown: str, lang: str) -> list[str]:
    cat = parse(path, shown)
    if cat.errors:  # a file that cannot be read line by line: its entries are not trustworthy
        return cat.errors
    seen: dict[tuple[str | None, str], int] = {}
    header = next((e for e in cat.entries if e.id == "" and e.context is None), None)
    nplurals = None
    if header is None:
        cat.error(1, "the catalogue has no header (msgid \"\")")
    else:
        nplurals = _check_header(cat, header, lang)
    for entry in cat.entries:
        key = (entry.context, entry.id)
        if key in seen:
            cat.error(entry.line, f"translation of {entry.id!r}: a second entry for the same text (the first is at line {seen[key]}); keep one")
            continue
        seen[key] = entry.line
        if entry is not header:
            check_entry(cat, entry, nplurals)
    return cat.errors


def catalogue_problems(locale_dir: Path, editions: tuple[str, ...], default: str) -> list[str]:
    """Every problem of every edition's catalogue, as ``overrides/locale/xx.po:LINE: message``."""
    out: list[str] = []
    locale_dir = Path(locale_dir)
    for lang in editions:
        path = locale_dir / f"{lang}.po"
        if lang == default:
            continue
        shown = f"{locale_dir.parent.name}/{locale_dir.name}/{lang}.po"
        if path.is_symlink() or (path.exists() and not path.is_file()):
            out.append(f"{shown}: not a regular file")
            continue
        if not path.is_file():
            continue
        try:
            out += check_catalogue(path, shown, lang)
        except OSError as exc:
            out.append(f"{shown}: could not be read: {exc.strerror or exc}")
    return out

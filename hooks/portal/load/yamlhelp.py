"""libyaml's syntax errors, said in plain words, with the line to fix and what to type there.

libyaml reports where it gave up (``did not find expected '-' indicator``), which is often not
the line an editor got wrong, in words only a programmer reads. :func:`explain` looks at the
lines around the error and names the usual slips: a tab, a line indented one space too many or
too few, a list item without its dash, ``: `` inside an unquoted text, a quote or bracket left
open, a value starting with a character YAML reserves. Every message says which line to change
and shows that line as it should be written; libyaml's own words follow in brackets (for
searching, and for the cases no rule here recognises).

Hand-written: no YAML library explains its errors for non-programmers. Nothing here knows MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

_KEY = re.compile(r"^(?P<indent> *)(?P<dashes>(?:- +)*)(?P<key>[^\s:#'\"\[\]{},][^:#]*?):(?P<after>\s.*|)$")
_KEY_NO_SPACE = re.compile(r"^(?P<indent> *)(?P<dashes>(?:- +)*)(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/][^:]*)$")


def _spaces(n: int) -> str:
    return "1 space" if n == 1 else f"{n} spaces"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _code(line: str) -> str:
    return f"`{line.rstrip()}`"


def _with_space(match: re.Match) -> str:
    """The line of a ``name:value`` match written ``name: value`` (quoted if it would read as a comment)."""
    value = match.group("value")
    value = _quoted(value) if value.startswith("#") else value
    return f"{match.group('indent')}{match.group('dashes')}{match.group('key')}: {value}"


def _quoted(value: str) -> str:
    """``value`` in double quotes, as YAML reads it back unchanged."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _previous(lines: list[str], index: int) -> int | None:
    """The index of the nearest line before ``index`` that holds something (not blank, not a comment)."""
    for i in range(index - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i
    return None


def _field_column(line: str) -> int:
    """Where the field of ``line`` starts: after its indentation and any ``- `` of list items."""
    match = re.match(r"^( *)((?:- +)*)", line)
    return len(match.group(1)) + len(match.group(2))


def _unclosed(lines: list[str], upto: int, opening: str) -> int | None:
    """The last line before ``upto`` on which ``opening`` ([ or {) is opened and not closed."""
    closing = {"[": "]", "{": "}"}[opening]
    for i in range(min(upto, len(lines) - 1), -1, -1):
        text = re.sub(r"'[^']*'|\"[^\"]*\"", "", lines[i].split(" #")[0])
        if text.count(opening) > text.count(closing):
            return i
    return None


def _first_item(lines: list[str], index: int, column: int) -> int | None:
    """The index of the first item ('- ') of the list whose dashes are at ``column``, next to line
    ``index`` (which is at that column without a dash); None when no such list is there."""

    def items(indices) -> list[int]:
        found = []
        for j in indices:
            stripped = lines[j].strip()
            if not stripped or stripped.startswith("#"):
                continue
            if _indent(lines[j]) < column or (_indent(lines[j]) == column and not stripped.startswith("-")):
                break
            if _indent(lines[j]) == column:
                found.append(j)
        return found

    before = items(range(index - 1, -1, -1))
    if before:
        return before[-1]
    after = items(range(index + 1, len(lines)))
    return after[0] if after else None


def _quote_run_on(text: str, line: int) -> tuple[int, int] | None:
    """(line, column) of a quote opened on an earlier line whose text runs on to ``line``: a quote
    never closed on its own line, which the next quote in the file closes (0-based)."""
    try:
        for token in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if token.start_mark.line > line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") and token.start_mark.line < line == token.end_mark.line:
                return token.start_mark.line, token.start_mark.column
    except yaml.YAMLError:
        pass
    return None


@dataclass
class _Error:
    """One libyaml error and the text it was found in; lines and columns 0-based, as libyaml gives them."""

    problem: str
    context: str | None
    text: str
    line: int  # where libyaml stopped
    column: int
    context_line: int | None  # what it was reading then, when it says
    context_column: int | None
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")

    @property
    def raw(self) -> str:
        """libyaml's own words, after every message (for searching, and for the cases no rule knows)."""
        return f" (YAML: {self.problem})"

    def at(self, i: int) -> str:
        return self.lines[i] if 0 <= i < len(self.lines) else ""


Said = tuple[int, str] | None  # (1-based line, message), or None: the rule does not apply


def _tab(e: _Error) -> Said:
    """A tab, wherever libyaml noticed it: on the line it stopped at, or on the one it was reading."""
    for i in dict.fromkeys(x for x in (e.line, e.context_line) if x is not None):
        if "\t" in e.at(i)[: _indent(e.at(i).replace("\t", " ")) + 1] or ("\t" in e.at(i) and "tab" in e.problem):
            fixed = re.sub(r"^[ \t]+", lambda m: m.group(0).replace("\t", "  "), e.at(i))
            return i + 1, f"line {i + 1} is indented with a tab; indent with spaces only (two for each level), as in {_code(fixed)}{e.raw}"
    return None


def _never_closed(e: _Error, i: int, column: int | None) -> tuple[int, str]:
    line = e.at(i)
    quote = line[column] if column is not None and column < len(line) else '"'
    return i + 1, (
        f"the quote ({quote}) opened on line {i + 1} is never closed; end the text with {quote} on that line: "
        f"{_code(line.rstrip() + quote)}{e.raw}"
    )


def _quote_left_open(e: _Error) -> Said:
    """A quote left open, closed only by the next quote further down: libyaml stops after that one."""
    run_on = _quote_run_on(e.text, e.line)
    return _never_closed(e, *run_on) if run_on is not None else None


def _field_above(e: _Error, before: int) -> Said:
    """``mapping values are not allowed`` caused by the line above: no space after its ':', an
    item without its dash, or a text that runs on to a line indented deeper."""
    line, above = e.at(e.line), e.at(before)
    no_space = _KEY_NO_SPACE.match(above)
    if no_space and _indent(line) >= _indent(above) and not _KEY.match(above):
        fixed = _with_space(no_space)
        return before + 1, f"line {before + 1} has no space after the ':' of '{no_space.group('key')}'; write {_code(fixed)}{e.raw}"
    field = _KEY.match(above)
    # A list whose dashes stand at its field's own column (`sources:` then `- id: ...`): an
    # item without its dash reads as a field of the file, and the item's next field as its text.
    item = _first_item(e.lines, before, _indent(above)) if field and not field.group("dashes") else None
    if item is not None and _indent(line) == _field_column(e.at(item)):
        stripped, dash_column, fields = above.strip(), _indent(above), _field_column(e.at(item))
        if item > before:  # the list's first item: no item above it to belong to
            return before + 1, (
                f"line {before + 1} is at the level of the list's dashes ('- ', line {item + 1}) but has none; each item of the list "
                f"starts with '- ': {_code(' ' * dash_column + '- ' + stripped)}{e.raw}"
            )
        return before + 1, (
            f"line {before + 1} is at the level of the list's dashes ('- ', line {item + 1}) but has none. "
            f"If it starts a new item, write {_code(' ' * dash_column + '- ' + stripped)}; if it belongs to the item above, "
            f"indent it {_spaces(fields)}, in line with the fields above: {_code(' ' * fields + stripped)}{e.raw}"
        )
    value_above = field.group("after").strip() if field else ""
    if field and value_above and not value_above.startswith(("|", ">")) and _indent(line) > _field_column(above):
        fixed = " " * _field_column(above) + line.strip()
        return e.line + 1, (
            f"line {e.line + 1} is indented {_spaces(_indent(line))}, more than the field '{field.group('key').strip()}' above it "
            f"({_field_column(above)}), so it reads as part of that field's text; line it up with the field above: {_code(fixed)}{e.raw}"
        )
    return None


def _mapping_values(e: _Error) -> Said:
    if not e.problem.startswith("mapping values are not allowed"):
        return None
    line = e.at(e.line)
    before = _previous(e.lines, e.line)
    said = _field_above(e, before) if before is not None else None
    if said is not None:
        return said
    field = _KEY.match(line)
    if field:
        value = field.group("after").strip()
        fixed = f"{field.group('indent')}{field.group('dashes')}{field.group('key')}: {_quoted(value)}"
        return e.line + 1, (
            f"the text of '{field.group('key').strip()}' on line {e.line + 1} contains ': ', which YAML reads as the start of another field; "
            f"put the whole text in double quotes: {_code(fixed)}{e.raw}"
        )
    return e.line + 1, f"line {e.line + 1} contains ': ' where YAML does not expect a field; put the text in double quotes{e.raw}"


def _expected_dash(e: _Error) -> Said:
    if e.problem != "did not find expected '-' indicator" or e.context_line is None:
        return None
    line = e.at(e.line)
    dash_column = e.context_column or 0
    item = e.at(e.context_line)
    fields = _field_column(item) if item.lstrip().startswith("-") else dash_column + 2
    stripped = line.strip()
    if _indent(line) == dash_column:
        return e.line + 1, (
            f"line {e.line + 1} is at the level of the list's dashes ('- ', line {e.context_line + 1}) but has none. "
            f"If it starts a new item, write {_code(' ' * dash_column + '- ' + stripped)}; if it belongs to the item above, "
            f"indent it {_spaces(fields)}, in line with the fields above: {_code(' ' * fields + stripped)}{e.raw}"
        )
    return e.line + 1, (
        f"line {e.line + 1} is indented {_spaces(_indent(line))}, but the fields of this list item are indented {fields}; "
        f"line it up with the fields above: {_code(' ' * fields + stripped)}{e.raw}"
    )


def _expected_colon(e: _Error) -> Said:
    if e.problem != "could not find expected ':'":
        return None
    i = e.context_line if e.context_line is not None else e.line
    line = e.at(i)
    stripped = line.strip()
    no_space = _KEY_NO_SPACE.match(line)
    if no_space:
        fixed = _with_space(no_space)
        return i + 1, f"line {i + 1} has no space after the ':' of '{no_space.group('key')}'; write {_code(fixed)}{e.raw}"
    before = _previous(e.lines, i)
    above = e.at(before) if before is not None else ""
    if above.lstrip().startswith("- ") and _indent(above) == _indent(line):
        return i + 1, f"line {i + 1} is in a list but has no dash; each item of a list starts with '- ': {_code(' ' * _indent(line) + '- ' + stripped)}{e.raw}"
    opener = next((e.at(j) for j in range(i - 1, -1, -1) if _KEY.match(e.at(j)) and _indent(e.at(j)) <= _indent(line)), "")
    if re.search(r":\s*[|>][-+]?\s*$", opener):
        deeper = _indent(opener) + 2
        return i + 1, (
            f"line {i + 1} continues the text of '{opener.strip().split(':')[0]}' but is not indented under it; "
            f"indent every line of that text by {_spaces(deeper)}: {_code(' ' * deeper + stripped)}{e.raw}"
        )
    return i + 1, (
        f"line {i + 1} is not a field ('name: value', with a space after the ':') nor a list item ('- value'); "
        f"if it continues the text of the line above, indent it more than that field's name{e.raw}"
    )


def _misplaced_item(e: _Error, line: str, column: int) -> tuple[int, str]:
    """A list item ('- ') where libyaml expected a field."""
    sibling = next((e.at(j) for j in range(e.line - 1, -1, -1) if e.at(j).lstrip().startswith("- ") and _indent(e.at(j)) < _indent(line)), None)
    if sibling is not None:
        return e.line + 1, (
            f"line {e.line + 1} starts a list item but is indented {_spaces(_indent(line))}, the other items of the list {_indent(sibling)}; "
            f"line it up with them: {_code(' ' * _indent(sibling) + line.strip())}{e.raw}"
        )
    return e.line + 1, (
        f"line {e.line + 1} starts a list item ('- ') where a field is expected; a list belongs under a field that ends with ':' "
        f"and is indented more than it: {_code(' ' * (column + 2) + line.strip())}{e.raw}"
    )


def _expected_key(e: _Error) -> Said:
    if e.problem != "did not find expected key":
        return None
    line = e.at(e.line)
    head = line[: e.column]
    field = _KEY.match(line)
    if field and re.search(r"[\"'] +$", head) and e.column > _indent(line):
        value = field.group("after").strip()
        fixed = f"{field.group('indent')}{field.group('dashes')}{field.group('key')}: '{value.replace(chr(39), chr(39) * 2)}'"
        return e.line + 1, (
            f"line {e.line + 1} has text after a closing quote; put the whole text in quotes "
            f"(a ' inside single quotes is written ''): {_code(fixed)}{e.raw}"
        )
    column = e.context_column or 0
    if line.strip().startswith("- "):
        return _misplaced_item(e, line, column)
    before = _previous(e.lines, e.line)
    deeper = _field_column(e.at(before)) if before is not None else column
    if column < _indent(line) < deeper:
        return e.line + 1, (
            f"line {e.line + 1} is indented {_spaces(_indent(line))}: between the field above it ({_spaces(deeper)}) and the fields "
            f"of the level above ({column}); line it up with the one it belongs to: {_code(' ' * deeper + line.strip())} "
            f"or {_code(' ' * column + line.strip())}{e.raw}"
        )
    if _indent(line) != column:
        return e.line + 1, (
            f"line {e.line + 1} is indented {_spaces(_indent(line))}, but the fields around it {column}; "
            f"line it up: {_code(' ' * column + line.strip())}{e.raw}"
        )
    return e.line + 1, (
        f"line {e.line + 1} does not read as a field ('name: value'); look for an invisible character, or a quote closed too early{e.raw}"
    )


def _quoted_scalar(e: _Error) -> Said:
    if e.context and e.context.startswith("while scanning a quoted scalar") and e.context_line is not None:
        return _never_closed(e, e.context_line, e.context_column)
    return None


def _not_closed(e: _Error, i: int, opening: str) -> tuple[int, str]:
    closing = {"[": "]", "{": "}"}[opening]
    what = "a list in brackets [ ]" if opening == "[" else "a mapping in braces { }"
    return i + 1, (
        f"the '{opening}' on line {i + 1} is not closed; {what} ends with '{closing}' on the same line "
        f"({_code(e.at(i).rstrip() + closing)}), or write one item a line instead, each starting with '- '{e.raw}"
    )


def _brackets(e: _Error) -> Said:
    for opening, closing in (("[", "]"), ("{", "}")):
        if e.problem == f"did not find expected ',' or '{closing}'" and e.context_line is not None:
            return _not_closed(e, e.context_line, opening)
    return None


def _node_content(e: _Error) -> Said:
    if e.problem != "did not find expected node content":
        return None
    for opening in ("[", "{"):
        start = _unclosed(e.lines, e.line, opening)
        if start is not None:
            return _not_closed(e, start, opening)
    return e.line + 1, f"a value is missing on line {e.line + 1}: write it after the ':' or remove the line{e.raw}"


def _cannot_start_token(e: _Error) -> Said:
    if e.problem != "found character that cannot start any token":
        return None
    line = e.at(e.line)
    char = line[e.column] if e.column < len(line) else "?"
    field = _KEY.match(line)
    if field:
        fixed = f"{field.group('indent')}{field.group('dashes')}{field.group('key')}: {_quoted(field.group('after').strip())}"
        return e.line + 1, f"a value cannot start with '{char}' unless it is in quotes: {_code(fixed)}{e.raw}"
    return e.line + 1, f"a value cannot start with '{char}' unless it is in quotes{e.raw}"


def _escape(e: _Error) -> Said:
    if e.problem != "found unknown escape character":
        return None
    return e.line + 1, (
        f"inside double quotes a backslash starts a code; on line {e.line + 1} write \\\\ for one backslash, or use single quotes "
        f"instead of double quotes{e.raw}"
    )


def _item_after_field(e: _Error) -> Said:
    if e.problem != "block sequence entries are not allowed in this context":
        return None
    field = _KEY.match(e.at(e.line))
    name = field.group("key").strip() if field else "name"
    return e.line + 1, (
        f"a list item ('- ') cannot follow '{name}:' on the same line (line {e.line + 1}); put each item on its own line, "
        f"indented under the field, or write the list in brackets: `{name}: [a, b]`{e.raw}"
    )


def _after_value(e: _Error) -> Said:
    if e.problem != "did not find expected comment or line break":
        return None
    line = e.at(e.line)
    block = re.match(r"^(?P<head>.*:\s*[|>][-+]?)\s*(?P<rest>\S.*)$", line)
    if block:
        return e.line + 1, (
            f"on line {e.line + 1}, nothing may follow '{block.group('head').strip().split()[-1]}' on the same line: the text starts on the "
            f"next line, indented two spaces more than the field: {_code(block.group('head'))}{e.raw}"
        )
    return e.line + 1, f"line {e.line + 1} has something after its value that YAML cannot place; put the whole value in quotes{e.raw}"


def _document(e: _Error) -> Said:
    """A line less indented than the file's first field (libyaml: a new document), or a real
    second document after '---' or '...'."""
    if "document start" in e.problem and not any(e.at(j).strip() in ("...", "---") for j in range(e.line)):
        first = next((j for j in range(len(e.lines)) if e.at(j).strip() and not e.at(j).lstrip().startswith("#")), e.line)
        if _indent(e.at(first)) > _indent(e.at(e.line)):
            return first + 1, (
                f"line {first + 1}, the file's first field, is indented {_spaces(_indent(e.at(first)))}, more than the fields after it; "
                f"the fields of the file start at the beginning of the line: {_code(e.at(first).strip())}{e.raw}"
            )
        return e.line + 1, f"line {e.line + 1} is indented less than the fields above it; line it up with them{e.raw}"
    if "document start" in e.problem or "document end" in e.problem:
        return e.line + 1, f"line {e.line + 1} follows the end of the document ('...' or '---' above it); a data file holds one document: remove that marker{e.raw}"
    return None


def _reserved_character(e: _Error) -> Said:
    """A line starting with % (a directive), or & and * (an anchor, an alias) at a value's start."""
    if "directive" in e.problem:
        return e.line + 1, f"a line starting with % is a YAML directive, not data; remove line {e.line + 1}{e.raw}"
    if e.context and ("anchor" in e.context or "alias" in e.context):
        return e.line + 1, f"& and * have a meaning in YAML; put the value on line {e.line + 1} in quotes{e.raw}"
    return None


# In this order: the first rule that applies says the error. A tab or a quote left open explains
# any error; the others each read one of libyaml's problems.
_RULES = (
    _tab,
    _quote_left_open,
    _mapping_values,
    _expected_dash,
    _expected_colon,
    _expected_key,
    _quoted_scalar,
    _brackets,
    _node_content,
    _cannot_start_token,
    _escape,
    _item_after_field,
    _after_value,
    _document,
    _reserved_character,
)


def explain_syntax_error(exc, text: str) -> tuple[int, str]:
    """The line (1-based) and plain words for a libyaml ``MarkedYAMLError`` in ``text``: what the
    data files and mkdocs.yml report alike."""
    problem, context = exc.problem or "the file cannot be read as YAML", exc.context
    mark, around = exc.problem_mark or exc.context_mark, exc.context_mark
    try:
        return explain(
            problem, context, text, mark.line if mark else 0, mark.column if mark else 0,
            around.line if around else None, around.column if around else None,
        )
    except Exception:  # pragma: no cover - never a traceback for a broken file: libyaml's own words
        return (mark.line + 1 if mark else 1), problem


def explain(problem: str, context: str | None, text: str, problem_line: int, problem_column: int, context_line: int | None, context_column: int | None) -> tuple[int, str]:
    """(line, message) for one libyaml error; lines and columns are 0-based as libyaml gives them."""
    error = _Error(problem, context, text, problem_line, problem_column, context_line, context_column)
    for rule in _RULES:
        said = rule(error)
        if said is not None:
            return said
    return problem_line + 1, (
        f"line {problem_line + 1} (or the one above it) cannot be read: indent with two spaces for each level, put a space after every ':', "
        f"and put in quotes any text that contains ': ' or starts with a character such as @ ` % & * ! |{error.raw}"
    )


def explain_reader_error(character: int | str, position: int, text: str) -> tuple[int, str]:
    """A control character (a character no text file should hold), with its line."""
    line = text[:position].count("\n") + 1
    code = character if isinstance(character, int) else ord(character[:1] or "\0")
    return line, (
        f"line {line} holds an invisible control character (U+{code:04X}), often pasted from another program; "
        "delete it (retype the text around it)"
    )

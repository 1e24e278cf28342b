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


def explain(problem: str, context: str | None, text: str, problem_line: int, problem_column: int, context_line: int | None, context_column: int | None) -> tuple[int, str]:
    """(line, message) for one libyaml error; lines and columns are 0-based as libyaml gives them."""
    lines = text.split("\n")
    raw = f" (YAML: {problem})"

    def at(i: int) -> str:
        return lines[i] if 0 <= i < len(lines) else ""

    # A tab, wherever libyaml noticed it: on the line it stopped at, or on the one it was reading.
    for i in dict.fromkeys(x for x in (problem_line, context_line) if x is not None):
        if "\t" in at(i)[: _indent(at(i).replace("\t", " ")) + 1] or ("\t" in at(i) and "tab" in problem):
            fixed = re.sub(r"^[ \t]+", lambda m: m.group(0).replace("\t", "  "), at(i))
            return i + 1, f"line {i + 1} is indented with a tab; indent with spaces only (two for each level), as in {_code(fixed)}{raw}"

    def never_closed(i: int, column: int | None) -> tuple[int, str]:
        line = at(i)
        quote = line[column] if column is not None and column < len(line) else '"'
        return i + 1, (
            f"the quote ({quote}) opened on line {i + 1} is never closed; end the text with {quote} on that line: "
            f"{_code(line.rstrip() + quote)}{raw}"
        )

    # A quote left open, closed only by the next quote further down: libyaml stops after that one.
    run_on = _quote_run_on(text, problem_line)
    if run_on is not None:
        return never_closed(*run_on)

    if problem.startswith("mapping values are not allowed"):
        line = at(problem_line)
        before = _previous(lines, problem_line)
        if before is not None:
            above = at(before)
            no_space = _KEY_NO_SPACE.match(above)
            if no_space and _indent(line) >= _indent(above) and not _KEY.match(above):
                fixed = _with_space(no_space)
                return before + 1, f"line {before + 1} has no space after the ':' of '{no_space.group('key')}'; write {_code(fixed)}{raw}"
            field = _KEY.match(above)
            # A list whose dashes stand at its field's own column (`sources:` then `- id: ...`): an
            # item without its dash reads as a field of the file, and the item's next field as its text.
            item = _first_item(lines, before, _indent(above)) if field and not field.group("dashes") else None
            if item is not None and _indent(line) == _field_column(at(item)):
                stripped, dash_column, fields = above.strip(), _indent(above), _field_column(at(item))
                if item > before:  # the list's first item: no item above it to belong to
                    return before + 1, (
                        f"line {before + 1} is at the level of the list's dashes ('- ', line {item + 1}) but has none; each item of the list "
                        f"starts with '- ': {_code(' ' * dash_column + '- ' + stripped)}{raw}"
                    )
                return before + 1, (
                    f"line {before + 1} is at the level of the list's dashes ('- ', line {item + 1}) but has none. "
                    f"If it starts a new item, write {_code(' ' * dash_column + '- ' + stripped)}; if it belongs to the item above, "
                    f"indent it {_spaces(fields)}, in line with the fields above: {_code(' ' * fields + stripped)}{raw}"
                )
            value_above = field.group("after").strip() if field else ""
            if field and value_above and not value_above.startswith(("|", ">")) and _indent(line) > _field_column(above):
                fixed = " " * _field_column(above) + line.strip()
                return problem_line + 1, (
                    f"line {problem_line + 1} is indented {_spaces(_indent(line))}, more than the field '{field.group('key').strip()}' above it "
                    f"({_field_column(above)}), so it reads as part of that field's text; line it up with the field above: {_code(fixed)}{raw}"
                )
        field = _KEY.match(line)
        if field:
            value = field.group("after").strip()
            fixed = f"{field.group('indent')}{field.group('dashes')}{field.group('key')}: {_quoted(value)}"
            return problem_line + 1, (
                f"the text of '{field.group('key').strip()}' on line {problem_line + 1} contains ': ', which YAML reads as the start of another field; "
                f"put the whole text in double quotes: {_code(fixed)}{raw}"
            )
        return problem_line + 1, f"line {problem_line + 1} contains ': ' where YAML does not expect a field; put the text in double quotes{raw}"

    if problem == "did not find expected '-' indicator" and context_line is not None:
        line = at(problem_line)
        dash_column = context_column or 0
        item = at(context_line)
        fields = _field_column(item) if item.lstrip().startswith("-") else dash_column + 2
        stripped = line.strip()
        if _indent(line) == dash_column:
            return problem_line + 1, (
                f"line {problem_line + 1} is at the level of the list's dashes ('- ', line {context_line + 1}) but has none. "
                f"If it starts a new item, write {_code(' ' * dash_column + '- ' + stripped)}; if it belongs to the item above, "
                f"indent it {_spaces(fields)}, in line with the fields above: {_code(' ' * fields + stripped)}{raw}"
            )
        return problem_line + 1, (
            f"line {problem_line + 1} is indented {_spaces(_indent(line))}, but the fields of this list item are indented {fields}; "
            f"line it up with the fields above: {_code(' ' * fields + stripped)}{raw}"
        )

    if problem == "could not find expected ':'":
        i = context_line if context_line is not None else problem_line
        line = at(i)
        stripped = line.strip()
        no_space = _KEY_NO_SPACE.match(line)
        if no_space:
            fixed = _with_space(no_space)
            return i + 1, f"line {i + 1} has no space after the ':' of '{no_space.group('key')}'; write {_code(fixed)}{raw}"
        before = _previous(lines, i)
        above = at(before) if before is not None else ""
        if above.lstrip().startswith("- ") and _indent(above) == _indent(line):
            return i + 1, f"line {i + 1} is in a list but has no dash; each item of a list starts with '- ': {_code(' ' * _indent(line) + '- ' + stripped)}{raw}"
        opener = next((at(j) for j in range(i - 1, -1, -1) if _KEY.match(at(j)) and _indent(at(j)) <= _indent(line)), "")
        if re.search(r":\s*[|>][-+]?\s*$", opener):
            deeper = _indent(opener) + 2
            return i + 1, (
                f"line {i + 1} continues the text of '{opener.strip().split(':')[0]}' but is not indented under it; "
                f"indent every line of that text by {_spaces(deeper)}: {_code(' ' * deeper + stripped)}{raw}"
            )
        return i + 1, (
            f"line {i + 1} is not a field ('name: value', with a space after the ':') nor a list item ('- value'); "
            f"if it continues the text of the line above, indent it more than that field's name{raw}"
        )

    if problem == "did not find expected key":
        line = at(problem_line)
        head = line[:problem_column]
        field = _KEY.match(line)
        if field and re.search(r"[\"'] +$", head) and problem_column > _indent(line):
            value = field.group("after").strip()
            fixed = f"{field.group('indent')}{field.group('dashes')}{field.group('key')}: '{value.replace(chr(39), chr(39) * 2)}'"
            return problem_line + 1, (
                f"line {problem_line + 1} has text after a closing quote; put the whole text in quotes "
                f"(a ' inside single quotes is written ''): {_code(fixed)}{raw}"
            )
        column = context_column or 0
        if line.strip().startswith("- "):
            sibling = next((at(j) for j in range(problem_line - 1, -1, -1) if at(j).lstrip().startswith("- ") and _indent(at(j)) < _indent(line)), None)
            if sibling is not None:
                return problem_line + 1, (
                    f"line {problem_line + 1} starts a list item but is indented {_spaces(_indent(line))}, the other items of the list {_indent(sibling)}; "
                    f"line it up with them: {_code(' ' * _indent(sibling) + line.strip())}{raw}"
                )
            return problem_line + 1, (
                f"line {problem_line + 1} starts a list item ('- ') where a field is expected; a list belongs under a field that ends with ':' "
                f"and is indented more than it: {_code(' ' * (column + 2) + line.strip())}{raw}"
            )
        before = _previous(lines, problem_line)
        deeper = _field_column(at(before)) if before is not None else column
        if column < _indent(line) < deeper:
            return problem_line + 1, (
                f"line {problem_line + 1} is indented {_spaces(_indent(line))}: between the field above it ({_spaces(deeper)}) and the fields "
                f"of the level above ({column}); line it up with the one it belongs to: {_code(' ' * deeper + line.strip())} "
                f"or {_code(' ' * column + line.strip())}{raw}"
            )
        if _indent(line) != column:
            return problem_line + 1, (
                f"line {problem_line + 1} is indented {_spaces(_indent(line))}, but the fields around it {column}; "
                f"line it up: {_code(' ' * column + line.strip())}{raw}"
            )
        return problem_line + 1, (
            f"line {problem_line + 1} does not read as a field ('name: value'); look for an invisible character, or a quote closed too early{raw}"
        )

    if context and context.startswith("while scanning a quoted scalar") and context_line is not None:
        return never_closed(context_line, context_column)

    def not_closed(i: int, opening: str) -> tuple[int, str]:
        closing = {"[": "]", "{": "}"}[opening]
        what = "a list in brackets [ ]" if opening == "[" else "a mapping in braces { }"
        return i + 1, (
            f"the '{opening}' on line {i + 1} is not closed; {what} ends with '{closing}' on the same line "
            f"({_code(at(i).rstrip() + closing)}), or write one item a line instead, each starting with '- '{raw}"
        )

    for opening, closing in (("[", "]"), ("{", "}")):
        if problem == f"did not find expected ',' or '{closing}'" and context_line is not None:
            return not_closed(context_line, opening)

    if problem == "did not find expected node content":
        for opening in ("[", "{"):
            start = _unclosed(lines, problem_line, opening)
            if start is not None:
                return not_closed(start, opening)
        return problem_line + 1, f"a value is missing on line {problem_line + 1}: write it after the ':' or remove the line{raw}"

    if problem == "found character that cannot start any token":
        line = at(problem_line)
        char = line[problem_column] if problem_column < len(line) else "?"
        field = _KEY.match(line)
        if field:
            fixed = f"{field.group('indent')}{field.group('dashes')}{field.group('key')}: {_quoted(field.group('after').strip())}"
            return problem_line + 1, f"a value cannot start with '{char}' unless it is in quotes: {_code(fixed)}{raw}"
        return problem_line + 1, f"a value cannot start with '{char}' unless it is in quotes{raw}"

    if problem == "found unknown escape character":
        return problem_line + 1, (
            f"inside double quotes a backslash starts a code; on line {problem_line + 1} write \\\\ for one backslash, or use single quotes "
            f"instead of double quotes{raw}"
        )

    if problem == "block sequence entries are not allowed in this context":
        field = _KEY.match(at(problem_line))
        name = field.group("key").strip() if field else "name"
        return problem_line + 1, (
            f"a list item ('- ') cannot follow '{name}:' on the same line (line {problem_line + 1}); put each item on its own line, "
            f"indented under the field, or write the list in brackets: `{name}: [a, b]`{raw}"
        )

    if problem == "did not find expected comment or line break":
        line = at(problem_line)
        block = re.match(r"^(?P<head>.*:\s*[|>][-+]?)\s*(?P<rest>\S.*)$", line)
        if block:
            return problem_line + 1, (
                f"on line {problem_line + 1}, nothing may follow '{block.group('head').strip().split()[-1]}' on the same line: the text starts on the "
                f"next line, indented two spaces more than the field: {_code(block.group('head'))}{raw}"
            )
        return problem_line + 1, f"line {problem_line + 1} has something after its value that YAML cannot place; put the whole value in quotes{raw}"

    if "document start" in problem and not any(at(j).strip() in ("...", "---") for j in range(problem_line)):
        first = next((j for j in range(len(lines)) if at(j).strip() and not at(j).lstrip().startswith("#")), problem_line)
        if _indent(at(first)) > _indent(at(problem_line)):
            return first + 1, (
                f"line {first + 1}, the file's first field, is indented {_spaces(_indent(at(first)))}, more than the fields after it; "
                f"the fields of the file start at the beginning of the line: {_code(at(first).strip())}{raw}"
            )
        return problem_line + 1, f"line {problem_line + 1} is indented less than the fields above it; line it up with them{raw}"

    if "document start" in problem or "document end" in problem:
        return problem_line + 1, f"line {problem_line + 1} follows the end of the document ('...' or '---' above it); a data file holds one document: remove that marker{raw}"

    if "directive" in problem:
        return problem_line + 1, f"a line starting with % is a YAML directive, not data; remove line {problem_line + 1}{raw}"

    if context and ("anchor" in context or "alias" in context):
        return problem_line + 1, f"& and * have a meaning in YAML; put the value on line {problem_line + 1} in quotes{raw}"

    return problem_line + 1, (
        f"line {problem_line + 1} (or the one above it) cannot be read: indent with two spaces for each level, put a space after every ':', "
        f"and put in quotes any text that contains ': ' or starts with a character such as @ ` % & * ! |{raw}"
    )


def explain_reader_error(character: int | str, position: int, text: str) -> tuple[int, str]:
    """A control character (a character no text file should hold), with its line."""
    line = text[:position].count("\n") + 1
    code = character if isinstance(character, int) else ord(character[:1] or "\0")
    return line, (
        f"line {line} holds an invisible control character (U+{code:04X}), often pasted from another program; "
        "delete it (retype the text around it)"
    )

"""The docs cannot drift from the tree: every path and module of the repository that the
developers' docs, the editors' pages or a comment or docstring of the code names exists.

Read: README.md, CONTRIBUTING.md, content/*.md, overrides/locale/README.md, and the files that
name code for a tool (Makefile, pyproject.toml, .importlinter, mkdocs.yml, the requirements, the
workflows), all of their text; and the comments and docstrings of every Python file under hooks/, tests/ and bench/. (bench's
results, bench/*.md, are records of past runs: they name the code as it was then.)

Checked there:

- a path with a folder: ``hooks/…``, ``tests/…``, ``bench/…`` or ``portal/…`` (a file or a
  folder; ``portal/…`` under hooks/ or, for a template, overrides/), and any ``….py`` whose first folder is one of the repository's or of hooks/portal's
  (``render/routes.py``; under tests/ too: ``check/test_geo.py``). Other projects' files
  (``mkdocs/commands/build.py``) and names with a placeholder (``tests/<stage>/``) are not ours;
- a dotted name from ``portal.``: its longest leading part must be a module or package of
  hooks/portal, and what follows a name defined at the top of that module (``portal.model.site.load_site``),
  then, for a class, in its body (``DemandStatus.state``, a dataclass field). ``portal.pot`` and
  ``portal.css`` are files, not modules.

Fast by design: the whole text of every file is searched with two regular expressions (tens of
milliseconds); only a file with a name that does not exist is tokenized, to tell a comment or a
docstring (a mistake) from code (a test's made-up path, or an import Python checks itself).
"""

from __future__ import annotations

import ast
import io
import re
import time
import tokenize
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "hooks" / "portal"

# a path: at least one folder, not part of an address (https://…/x.py) or of a longer path
PATH = re.compile(r"(?<![\w./:~@-])((?:[\w.-]+/)+[\w.-]*)")
DOTTED = re.compile(r"(?<![\w./-])portal(?:\.\w+)+")
FILE_SUFFIXES = {"pot", "po", "css", "js", "html", "json", "yml", "yaml", "md", "txt", "svg", "xml", "py", "geojson"}
ALWAYS_CHECKED = {"hooks", "tests", "bench", "portal"}


def documents() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "content").glob("*.md")), ROOT / "overrides/locale/README.md"]


def configuration() -> list[Path]:
    """The files that name code for a tool: the import contracts, the build, the workflows."""
    named = ["Makefile", "pyproject.toml", ".importlinter", "mkdocs.yml", "requirements.txt", "requirements-dev.txt"]
    return [ROOT / name for name in named] + sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def sources() -> list[Path]:
    skipped = {"vendor", "fixtures", "__pycache__", "node_modules"}
    return [p for top in ("hooks", "tests", "bench") for p in sorted((ROOT / top).rglob("*.py")) if not skipped & set(p.relative_to(ROOT).parts)]


@cache
def _subpackages() -> dict[str, list[Path]]:
    """hooks/portal's folders by name (``render`` -> hooks/portal/render), and tests/' of the same name."""
    found: dict[str, list[Path]] = {}
    for init in PACKAGE.rglob("__init__.py"):
        if init.parent != PACKAGE:
            found.setdefault(init.parent.name, []).append(init.parent)
    for name, folders in found.items():
        if (ROOT / "tests" / name).is_dir():
            folders.append(ROOT / "tests" / name)
    return found


def path_exists(token: str) -> bool | None:
    """Whether the path exists; None if it is not one of ours (or not a path at all)."""
    if any(mark in token for mark in ("...", "…", "<", "*", "{")):
        return None
    first = token.split("/", 1)[0]
    if first in ALWAYS_CHECKED:
        # portal/… is the package, or the templates of generated pages (overrides/portal/region.html)
        bases = [PACKAGE.parent, ROOT / "overrides"] if first == "portal" else [ROOT]
    elif not token.endswith(".py"):
        return None
    elif (ROOT / first).is_dir():
        bases = [ROOT]
    elif first in _subpackages():
        bases = [folder.parent for folder in _subpackages()[first]]
    else:
        return None
    return any((base / token.rstrip("/")).exists() for base in bases)


@cache
def _names(module: Path) -> dict[str, set[str] | None]:
    """The names a module defines at its top: a class's maps to the names of its body."""
    names: dict[str, set[str] | None] = {}

    def add(body, into):
        for node in body:
            if isinstance(node, ast.ClassDef):  # its body's names, and the attributes its methods set
                into[node.name] = set(_names_in(node.body)) | {
                    n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store) and isinstance(n.value, ast.Name) and n.value.id == "self"}
            elif isinstance(node, (ast.If, ast.Try)):
                add(node.body + getattr(node, "orelse", []) + [n for h in getattr(node, "handlers", []) for n in h.body], into)
            else:
                into.update(dict.fromkeys(_names_in([node])))

    add(ast.parse(module.read_text("utf-8")).body, names)
    return names


def _names_in(body) -> list[str]:
    out = []
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.append(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out += [(alias.asname or alias.name).split(".")[0] for alias in node.names]
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            out += [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    return out


def module_exists(dotted: str) -> bool | None:
    parts = dotted.split(".")
    if parts[-1] in FILE_SUFFIXES and len(parts) == 2:
        return None  # portal.pot, portal.css: a file's name
    for n in range(len(parts), 0, -1):
        where = PACKAGE.parent.joinpath(*parts[:n])
        module = where / "__init__.py" if where.is_dir() else where.with_suffix(".py")
        if module.is_file():
            break
    else:
        return False
    rest = parts[n:]
    if not rest:
        return True
    names = _names(module)
    if rest[0] not in names:
        return False
    return len(rest) == 1 or names[rest[0]] is None or rest[1] in names[rest[0]]


def named(text: str) -> list[tuple[int, int, str, bool]]:
    """(line, column, name, exists) of every path or module of ours that the text names."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for m in PATH.finditer(line):
            token = m.group(1).rstrip(".,:;")
            exists = path_exists(token)
            if exists is not None:
                found.append((number, m.start(1), token, exists))
        for m in DOTTED.finditer(line):
            exists = module_exists(m.group(0))
            if exists is not None:
                found.append((number, m.start(), m.group(0), exists))
    return found


def _prose(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The spans of a Python file's comments and docstrings (any string that is a statement)."""
    statements = {(node.lineno, node.col_offset) for node in ast.walk(ast.parse(text))
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}
    return [(tok.start, tok.end) for tok in tokenize.generate_tokens(io.StringIO(text).readline)
            if tok.type == tokenize.COMMENT or (tok.type == tokenize.STRING and tok.start in statements)]


def missing(path: Path, shown: str | None = None) -> list[str]:
    """``file:line: name`` for each name of ours that does not exist."""
    text = path.read_text("utf-8")
    wrong = [(line, col, name) for line, col, name, exists in named(text) if not exists]
    if wrong and path.suffix == ".py":
        spans = _prose(text)
        wrong = [(line, col, name) for line, col, name in wrong if any(start <= (line, col) < end for start, end in spans)]
    return [f"{shown or path.relative_to(ROOT)}:{line}: {name}" for line, col, name in wrong]


def test_every_path_and_module_the_docs_and_comments_name_exists():
    started = time.process_time()  # CPU time: what a loaded machine does not change
    files = documents() + configuration() + sources()
    problems = [problem for path in files for problem in missing(path)]
    assert problems == [], "names that are not in the repository (moved? say where it is now):\n" + "\n".join(problems)
    assert time.process_time() - started < 1.0, "the check is meant to cost well under a second"
    # what was checked: the readme's paths among them (else the check above read nothing)
    assert "hooks/portal_hook.py" in {name for _, _, name, _ in named((ROOT / "README.md").read_text("utf-8"))}


def test_the_documents_name_only_python_files_that_exist():
    """In the docs, a file named without its folder (`sitefiles.py`) is one of the repository's
    (in code comments such a name may be another project's: mkdocs's ``plugin.py``)."""
    ours = {p.name for top in ("hooks", "tests", "bench") for p in (ROOT / top).rglob("*.py")}
    for path in documents():
        bare = set(re.findall(r"(?<![\w./-])([\w-]+\.py)\b", path.read_text("utf-8")))
        assert bare <= ours, f"{path.relative_to(ROOT)}: {sorted(bare - ours)}"


def test_the_readme_names_every_module_of_the_package():
    """"How it works" names each module of hooks/portal, so that a new one is described where a
    newcomer looks first (and a removed one is no longer)."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## How it works") :]
    section = section[: section.index("\n## ", 1)]
    modules = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")
    assert modules, PACKAGE
    assert [m for m in modules if f"{Path(m).name}`" not in section] == []

def test_a_moved_module_or_path_is_found(tmp_path):
    """What the check above would say of a stale comment, a stale docstring, and stale docs."""
    source = tmp_path / "stale.py"
    source.write_text(
        '"""Loads with portal.dataset (hooks/portal/dataset.py)."""\n'
        "# tests/test_prerender.py shows it; tests/glue/test_prerender.py does\n"
        'NOT_PROSE = "portal/nowhere.py"  # a made-up path in code is not a mistake\n'
        "def f():\n"
        '    """portal.model.site.load_site, portal.model.site.no_such_name, portal.model.derived.DemandStatus.state"""\n',
        encoding="utf-8",
    )
    assert missing(source, "stale.py") == [
        "stale.py:1: hooks/portal/dataset.py", "stale.py:1: portal.dataset", "stale.py:2: tests/test_prerender.py", "stale.py:5: portal.model.site.no_such_name"]
    prose = "see `render/routes.py`, `render/nowhere.py`, `check/test_geo.py`, `portal/region.html`, `portal/nowhere.html` and `mkdocs/commands/build.py`"
    assert [name for _, _, name, exists in named(prose) if not exists] == ["render/nowhere.py", "portal/nowhere.html"]


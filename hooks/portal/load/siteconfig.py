"""``mkdocs.yml`` read without MkDocs, for ``python -m portal validate`` (the build hands the
hook's own configuration to :func:`portal.check.configcheck.config_problems` instead).

The values are those MkDocs 1.6 reads (``mkdocs.utils.yaml.yaml_load``), for the settings the
checks look at, with the tags it defines:

- ``!ENV NAME`` and ``!ENV [NAME, OTHER, default]``: the first variable set, its text typed by
  YAML's implicit rules (``SITE_URL=1`` is the number 1), else the default (typed the same way)
  or None; as pyyaml-env-tag, which MkDocs registers;
- ``!relative``, ``!relative $config_dir/…``, ``!relative $docs_dir/…``: a :class:`Tagged` value
  (MkDocs makes a placeholder path of it), with MkDocs's two errors (an unknown ``$`` prefix, a
  value after a plain ``!relative``);
- ``INHERIT: other.yml``: the parent file read the same way and merged below this one
  (mappings key by key, anything else replaced), as mergedeep's default that MkDocs uses.

One difference, on purpose: MkDocs reads mkdocs.yml with PyYAML's full ``Loader``, which runs
``!!python/name:…`` and ``!!python/object/apply:…`` (it imports the module named and calls it:
Material's emoji settings, the toc's slugify). Here they are :class:`Tagged` values: reading the
configuration runs no code and imports neither MkDocs nor Material.

Hand-written rather than MkDocs's loader so that ``validate`` runs without MkDocs (the generator
can change); PyYAML's SafeLoader does the parsing, this module only adds the tags. A syntax error
is said in plain words with its line (:mod:`portal.load.yamlhelp`, as in the data files), a tag's
error in MkDocs's words: ``mkdocs.yml:LINE: …``. ``tests/check/test_mkdocs_rules.py`` compares the values
with MkDocs's own loader's.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from portal.load import yamlhelp


@dataclass(frozen=True)
class Tagged:
    """A value that MkDocs would turn into an object (a path placeholder, a Python function):
    kept as its tag and text, never run."""

    tag: str
    value: Any

    def __str__(self) -> str:
        return f"{self.tag} {self.value}" if self.value not in ("", None) else self.tag


# libyaml's parser where there is one: its messages are those portal.load.yamlhelp puts into words
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(yaml.MarkedYAMLError):
    """A tag's value that MkDocs refuses, with the line of the tag."""


def _loader(env: Mapping[str, str]) -> type[yaml.SafeLoader]:
    class Loader(_SafeLoader):
        pass

    def env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        default, names = None, None
        if isinstance(node, yaml.ScalarNode):
            names = [loader.construct_scalar(node)]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
            if len(children) > 1:
                default = loader.construct_object(children[-1])
                children = children[:-1]
            names = [loader.construct_scalar(child) for child in children]
        else:
            raise _Refused(None, None, f"!ENV expects a variable's name or a list [NAME, default], but found {node.id}", node.start_mark)
        for name in names:
            if name in env:
                text = env[name]
                tag = loader.resolve(yaml.ScalarNode, text, (True, False))
                return loader.construct_object(yaml.ScalarNode(tag, text))
        return default

    def relative_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Tagged:
        value = loader.construct_scalar(node) or ""
        prefix, _, _ = value.partition("/")
        if prefix.startswith("$") and prefix not in ("$config_dir", "$docs_dir"):
            raise _Refused(None, None, f"Unknown prefix {prefix!r} in !relative {value!r}", node.start_mark)
        if value and not prefix.startswith("$"):
            raise _Refused(None, None, f"'!relative' tag does not expect any value; received {value!r}", node.start_mark)
        return Tagged("!relative", value)

    def python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
        tag = "!!python/" + suffix
        if isinstance(node, yaml.MappingNode):
            return Tagged(tag, loader.construct_mapping(node, deep=True))
        if isinstance(node, yaml.SequenceNode):
            return Tagged(tag, loader.construct_sequence(node, deep=True))
        return Tagged(tag, loader.construct_scalar(node))

    Loader.add_constructor("!ENV", env_tag)
    Loader.add_constructor("!relative", relative_tag)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", python_tag)
    return Loader


def _merge(parent: dict, child: Mapping) -> dict:
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(parent.get(key), Mapping):
            parent[key] = _merge(dict(parent[key]), value)
        else:
            parent[key] = value
    return parent


def _load(path: Path, shown: str, env: Mapping[str, str], seen: tuple[Path, ...]) -> dict[str, Any]:
    """One file and the files it inherits from; a :class:`ValueError` says why not, file:line first."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise ValueError(f"{shown}: could not be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValueError(f"{shown}:{line}: the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it with UTF-8 encoding") from None
    try:
        loaded = yaml.load(text, Loader=_loader(env))  # noqa: S506 - a SafeLoader with three tags added
    except (_Refused, yaml.constructor.ConstructorError) as exc:  # a tag: MkDocs's words
        mark = exc.problem_mark or exc.context_mark
        raise ValueError(f"{shown}:{mark.line + 1 if mark else 1}: could not be read: {exc.problem}") from None
    except yaml.MarkedYAMLError as exc:  # the syntax: in plain words, as in the data files
        raise ValueError(_syntax_error(exc, text, shown)) from None
    except yaml.reader.ReaderError as exc:
        line, message = yamlhelp.explain_reader_error(exc.character, exc.position, text)
        raise ValueError(f"{shown}:{line}: {message}") from None
    except yaml.YAMLError as exc:  # pragma: no cover - the parser raises the ones above
        raise ValueError(f"{shown}: could not be read: {exc}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ValueError(f"{shown}: could not be read: not key: value lines")
    if "INHERIT" in loaded:
        relpath = loaded.pop("INHERIT")
        parent = Path(os.path.normpath(path.parent / str(relpath))).resolve()
        if not parent.exists():
            raise ValueError(f"{shown}: INHERIT: the file {relpath!r} does not exist (looked for {parent})")
        if parent in seen:
            raise ValueError(f"{shown}: INHERIT: {relpath!r} inherits from this file again")
        loaded = _merge(_load(parent, str(relpath), env, (*seen, parent)), loaded)
    return loaded


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, shown: str) -> str:
    line, message = yamlhelp.explain_syntax_error(exc, text)
    return f"{shown}:{line}: YAML syntax error: {message}"


def read_config(path: Path, env: Mapping[str, str] | None = None) -> dict[str, Any] | str:
    """mkdocs.yml's values as a build reads them (``!ENV`` resolved from ``env``, the environment
    by default), or why not, as ``mkdocs.yml:LINE: could not be read: …``."""
    path = Path(path)
    try:
        return _load(path, path.name, os.environ if env is None else env, (path.resolve(),))
    except ValueError as exc:
        return str(exc)

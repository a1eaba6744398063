"""Jinja extensions of the template (`_extensions` in cookiecutter.json): answers are plain text.

`PlainAnswers` stops generation before an answer holding Jinja syntax is rendered: cookiecutter
renders the answers given on its command line, in a user config file or by cruft as templates,
which would run any code they hold. `LiteralFilters` writes answers into generated code and data
files as literals of each format, so that every character (an emoji too) arrives intact and the
file still parses and passes the project's linters.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

TEMPLATE_ROOT = Path(__file__).resolve().parents[1]
# The openers of Jinja's expressions, statements and comments.
JINJA_SYNTAX = re.compile(r"\{[#%{]")
# The only Jinja in the template's file and folder names, which cookiecutter renders as strings.
NAME_REFERENCE = re.compile(r"\{\{cookiecutter\.(?:project_slug|package_name)\}\}")
# Line length of the generated project (its pyproject.toml), for long Python literals.
LINE_LENGTH = 100
TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _own_sources() -> frozenset[str]:
    """What the template itself gives cookiecutter to render as strings: the values of
    cookiecutter.json (the derived names) and the hooks."""
    context = json.loads((TEMPLATE_ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    hooks = (path.read_text(encoding="utf-8") for path in (TEMPLATE_ROOT / "hooks").glob("*.py"))
    return frozenset([*_strings(context), *hooks])


def is_rendered_safely(source: str, own: frozenset[str]) -> bool:
    """Whether cookiecutter may render `source`: it has no Jinja, or it is the template's own."""
    return source in own or not JINJA_SYNTAX.search(NAME_REFERENCE.sub("", source))


class PlainAnswers(Extension):
    """Refuses to render a string with Jinja syntax that is not the template's own."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.own = _own_sources()

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        # Files are rendered by name; answers, file names and hooks come as nameless strings.
        if name is None and not is_rendered_safely(source, self.own):
            print(
                f"ERROR: the answer {source!r} holds Jinja syntax, which would run as code:"
                " answers are plain text",
                file=sys.stderr,
            )
            raise SystemExit(1)
        return source


def _unicode_escape(character: str) -> str:
    code = ord(character)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def toml_string(value: object) -> str:
    """A TOML basic string: every character as it is, except quotes, backslashes and control
    characters, which are escaped."""
    characters = (
        TOML_ESCAPES.get(character)
        or (_unicode_escape(character) if unicodedata.category(character) == "Cc" else character)
        for character in str(value)
    )
    return '"' + "".join(characters) + '"'


def _python_escape(character: str, quote: str) -> str:
    if character in (quote, "\\"):
        return "\\" + character
    return character if " " <= character <= "~" else _unicode_escape(character)


def _python_literal(text: str) -> str:
    """`text` quoted as black would have it: double quotes unless single ones need fewer escapes."""
    quote = "'" if text.count("'") < text.count('"') else '"'
    return quote + "".join(_python_escape(character, quote) for character in text) + quote


def python_string(value: object, indent: int = 0) -> str:
    """A Python string literal: printable ASCII as it is, every other character escaped exactly,
    so that no linter sees a look-alike character. A literal too long for the line (starting at
    column `indent`, followed by a comma) is split into adjacent literals."""
    width = LINE_LENGTH - indent - len('"",')
    chunks, chunk, length = [], "", 0
    for character in str(value):
        # Either quote may be the escaped one.
        size = 2 if character in "\"'" else len(_python_escape(character, '"'))
        if length + size > width:
            chunks.append(chunk)
            chunk, length = "", 0
        chunk, length = chunk + character, length + size
    chunks.append(chunk)
    return ("\n" + " " * indent).join(map(_python_literal, chunks))


def python_constant(value: object, name: str) -> str:
    """The assignment `name = <value as a Python string>`, as black lays it out: on one line when
    it fits, else the adjacent literals in parentheses, one per line."""
    literal = python_string(value, indent=len(f"{name} = "))
    if "\n" not in literal:
        return f"{name} = {literal}"
    return f"{name} = (\n    {python_string(value, indent=4)}\n)"


class LiteralFilters(Extension):
    """The filters `toml_string`, `python_string` and `python_constant`."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["toml_string"] = toml_string
        environment.filters["python_string"] = python_string
        environment.filters["python_constant"] = python_constant

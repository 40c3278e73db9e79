"""YAML front matter: the `---` block at the top of every course file."""

from __future__ import annotations

from typing import Any

import yaml
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.content.errors import ContentError
from lms.content.limits import MAX_NESTING, too_deep


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """Split `text` into (metadata, body, line number where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError(
            path,
            1,
            _l("the file must start with YAML front matter between '---' lines"),
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            break
    else:
        raise ContentError(path, 1, _l("front matter is not closed by a '---' line"))
    depth, line = _deepest(lines[1:index])
    if depth > MAX_NESTING:
        raise ContentError(path, line + 1, too_deep(depth, line).message)
    try:
        meta = yaml.safe_load("".join(lines[1:index])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(
            path, line, _l("invalid YAML in front matter: %(problem)s", problem=problem)
        ) from None
    if not isinstance(meta, dict):
        raise ContentError(
            path, 2, _l("front matter must be a mapping of 'key: value' lines")
        )
    return meta, "".join(lines[index + 1 :]), index + 2


def _deepest(lines: list[str]) -> tuple[int, int]:
    """Return how deep the YAML lines nest at most (indentation or brackets), and where.

    PyYAML reads nesting recursively: a few thousand levels take seconds, then fail.
    """
    deepest, where, brackets = 0, 1, 0
    for number, line in enumerate(lines, start=1):
        brackets += line.count("[") + line.count("{")
        depth = (len(line) - len(line.lstrip(" "))) // 2 + brackets
        brackets -= line.count("]") + line.count("}")
        if depth > deepest:
            deepest, where = depth, number
    return deepest, where


def key_line(text: str, key: str) -> int:
    """Return the file line where front-matter `key` is written (1 if not found)."""
    return key_lines(text).get(key, 1)


def key_lines(text: str) -> dict[str, int]:
    """Return the file line of each top-level key of the front matter, in one pass."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if number > 1 and line.strip() == "---":
            break
        key, colon, _ = line.partition(":")
        if colon:
            found.setdefault(key, number)
    return found


class FieldSpec:
    """What a front-matter key must hold: a type, whether it is required, and its default."""

    def __init__(
        self,
        kind: type | tuple[type, ...],
        required: bool = False,
        default: Any = None,
        choices: tuple | None = None,
        minimum: float | None = None,
    ):
        self.kind, self.required, self.default = kind, required, default
        self.choices, self.minimum = choices, minimum


def validate_meta(
    meta: dict, fields: dict[str, FieldSpec], path: str, text: str
) -> dict[str, Any]:
    """Check `meta` against `fields`, returning it with defaults filled in; raise on any problem."""
    from lms.content.errors import ContentProblem

    problems: list[ContentProblem] = []
    lines = key_lines(text)
    for key in meta:
        if key not in fields:
            known = ", ".join(sorted(fields))
            problems.append(
                ContentProblem(
                    path,
                    lines.get(str(key), 1),
                    _l(
                        "unknown key '%(key)s' (known: %(known)s)", key=key, known=known
                    ),
                )
            )
    result: dict[str, Any] = {}
    for key, spec in fields.items():
        if key not in meta or meta[key] is None:
            if spec.required:
                problems.append(
                    ContentProblem(
                        path, 1, _l("required key '%(key)s' is missing", key=key)
                    )
                )
            result[key] = spec.default() if callable(spec.default) else spec.default
            continue
        value = meta[key]
        problem = _check_value(key, value, spec)
        if problem:
            problems.append(ContentProblem(path, lines.get(key, 1), problem))
        result[key] = value
    if problems:
        raise ContentError(problems)
    return result


def _check_value(key: str, value: Any, spec: FieldSpec) -> str | None:
    kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        return _l(
            "'%(key)s' must be %(kind)s, not %(value)s",
            key=key,
            kind=_kind_name(kinds),
            value=repr(value),
        )
    if list in kinds and not all(isinstance(item, str) for item in value):
        return _l("'%(key)s' must be a list of texts", key=key)
    if spec.choices and value not in spec.choices:
        return _l(
            "'%(key)s' must be one of %(choices)s, not %(value)s",
            key=key,
            choices=", ".join(map(str, spec.choices)),
            value=repr(value),
        )
    if spec.minimum is not None and value < spec.minimum:
        return _l(
            "'%(key)s' must be at least %(minimum)s, not %(value)s",
            key=key,
            minimum=spec.minimum,
            value=repr(value),
        )
    if isinstance(value, str) and not value.strip():
        return _l("'%(key)s' must not be empty", key=key)
    return None


def _kind_name(kinds: tuple[type, ...]) -> str:
    names = {
        str: _l("a text"),
        int: _l("a whole number"),
        float: _l("a number"),
        bool: _l("true or false"),
        list: _l("a list"),
    }
    return gettext(" or ").join(str(names.get(k, k.__name__)) for k in kinds)

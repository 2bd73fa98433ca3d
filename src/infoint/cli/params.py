"""Typer's parameters made cheap: plain converters and a plain parameter class for
infoint's plain options (strings, numbers, choices), their metavars and words, and each
command's short help shown whole. `Group` (in `infoint.cli`) applies them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

import typer


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "on"):
        return True
    if text in ("0", "false", "no", "n", "off"):
        return False
    raise ValueError(f"{value!r} is not a valid boolean.")


def _plain_converter(annotation: Any) -> Callable[[Any], Any] | None:
    """A converter for the simple option types infoint uses (str, int, Literal, list,
    Optional of those); None for anything else, which Typer then handles itself."""
    origin = get_origin(annotation)
    if origin in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _plain_converter(args[0]) if len(args) == 1 else None
    if annotation is str:
        return str
    if annotation is bool:
        return _to_bool
    if annotation is int:

        def to_int(value: Any) -> int:
            try:
                return int(value)
            except (TypeError, ValueError):
                raise ValueError(f"{value!r} is not a valid integer.") from None

        return to_int
    if origin is Literal:
        choices = get_args(annotation)

        def to_choice(value: Any) -> Any:
            # one spelling per concept, two ways to type it: moved-on is moved_on
            for spelling in (value, str(value).replace("-", "_"), str(value).replace("_", "-")):
                if spelling in choices:
                    return spelling
            listed = ", ".join(repr(c) for c in choices)
            raise ValueError(f"{value!r} is not one of {listed}.")

        return to_choice
    if origin is list:
        item = _plain_converter(get_args(annotation)[0])
        if item is None:
            return None
        return lambda values: [item(v) for v in values]
    return None


_PLAIN_PARAM: Any = None


def _plain_param_class() -> Any:
    """A Typer RuntimeParam that converts with a plain function (made once)."""
    global _PLAIN_PARAM
    if _PLAIN_PARAM is None:
        from typer._coercion import RuntimeParam

        @dataclass(frozen=True)
        class PlainParam(RuntimeParam):
            convert: Callable[[Any], Any]

            def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
                try:
                    return self.convert(value)
                except ValueError as exc:
                    raise typer.BadParameter(str(exc), ctx=ctx, param=param) from None

        _PLAIN_PARAM = PlainParam
    return _PLAIN_PARAM


def _fast_params(command: Any) -> None:
    """Typer builds a pydantic TypeAdapter per parameter on every run (~80 ms of
    imports). infoint's parameters are plain strings, numbers and choices, so give
    them a plain converter instead; anything else keeps Typer's own coercion."""
    try:
        PlainParam = _plain_param_class()
    except ImportError:  # pragma: no cover - another Typer: its own coercion works too
        return

    def patch(param: Any) -> Any:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            return param
        convert = _plain_converter(descriptor.annotation)
        if convert is not None:
            param._runtime_param = PlainParam(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
                convert=convert,
            )
        return param

    for param in getattr(command, "params", ()):
        patch(param)
        _plain_words(param)
    help_option = getattr(command, "get_help_option", None)
    if help_option is not None and not getattr(help_option, "_infoint_fast", False):

        def get_help_option(ctx: Any) -> Any:
            return patch(help_option(ctx))

        get_help_option._infoint_fast = True  # type: ignore[attr-defined]
        command.get_help_option = get_help_option


def _plain_metavar(annotation: Any) -> str | None:
    """What a value is, in the words of the help: TEXT, N, or the choices."""
    origin = get_origin(annotation)
    if origin in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _plain_metavar(args[0]) if len(args) == 1 else None
    if origin is list:
        return _plain_metavar(get_args(annotation)[0])
    if origin is Literal:
        return "|".join(str(choice) for choice in get_args(annotation))
    return {str: "TEXT", int: "N", float: "NUMBER"}.get(annotation)


def _plain_words(param: Any) -> None:
    """Help in plain words: `--company TEXT`, `--limit N`, `CONTACT`; never the
    Python types Typer would show (`<str>`, `<list[str]>`)."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_infoint_plain", False):
        return
    param._infoint_plain = True
    if param.param_type_name == "argument":
        if param.metavar is None:
            param.metavar = str(param.name).upper()
        param.display_type_rich = lambda ctx: None
    elif param.metavar is None and not getattr(param, "is_flag", False):
        param.metavar = _plain_metavar(descriptor.annotation)


def _short_help(command: Any) -> None:
    """The list of commands shows each one's first paragraph whole, never cut with "…"."""
    if getattr(command, "short_help", None) is None and getattr(command, "help", None):
        import inspect

        first = inspect.cleandoc(command.help).split("\n\n")[0]
        command.short_help = " ".join(first.split())

"""The exceptions of the template engine (the same family as Jinja2's)."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from .runtime import Undefined


class TemplateError(Exception):
    """Base class of every template error."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message)

    @property
    def message(self) -> str | None:
        """The error message (``None`` when none was given)."""
        return self.args[0] if self.args else None


class TemplateNotFound(IOError, LookupError, TemplateError):
    """A loader could not find the template named ``name``."""

    #: Set by :class:`TemplatesNotFound`; ``None`` means "the name itself".
    message: str | None = None

    def __init__(self, name: str | Undefined | None, message: str | None = None) -> None:
        IOError.__init__(self, name)
        if message is None:
            from .runtime import Undefined  # cycle: the runtime imports this module

            if isinstance(name, Undefined):
                name._fail_with_undefined_error()
            message = name
        self.message = message  # pyright: ignore[reportIncompatibleMethodOverride]  # as Jinja2: an attribute here, a property on the base
        #: The template name that was asked for.
        self.name = name
        #: Every name that was tried.
        self.templates = [name]

    def __str__(self) -> str:
        return str(self.message)


class TemplatesNotFound(TemplateNotFound):
    """None of several candidate templates exists (see ``select_template``)."""

    def __init__(
        self, names: t.Sequence[str | Undefined] = (), message: str | None = None
    ) -> None:
        if message is None:
            from .runtime import Undefined  # cycle: the runtime imports this module

            parts = []
            for name in names:
                if isinstance(name, Undefined):
                    parts.append(name._undefined_message)
                else:
                    parts.append(name)
            listing = ", ".join(map(str, parts))
            message = f"none of the templates given were found: {listing}"
        super().__init__(names[-1] if names else None, message)
        self.templates = list(names)


class TemplateSyntaxError(TemplateError):
    """The template source is malformed or uses a construct this engine refuses.

    :param message: what is wrong.
    :param lineno: the 1-based line of the template where it was found.
    :param name: the template's load name, if any.
    :param filename: the template's file name, if any.
    """

    def __init__(
        self,
        message: str,
        lineno: int,
        name: str | None = None,
        filename: str | None = None,
    ) -> None:
        super().__init__(message)
        self.lineno = lineno
        self.name = name
        self.filename = filename
        #: The template source, filled in by the environment when known.
        self.source: str | None = None
        #: Set once the location note has been attached.
        self.translated = False

    def add_location_note(self) -> None:
        """Replace the parser's frames in the traceback by one at the template line."""
        from .debug import translate_syntax_error  # cycle: debug imports this module

        translate_syntax_error(self)

    def __str__(self) -> str:
        # once the traceback shows the location, the message alone is enough
        if self.translated:
            return str(self.message)
        location = f"line {self.lineno}"
        where = self.filename or self.name
        if where:
            location = f'File "{where}", {location}'
        lines = [str(self.message), "  " + location]
        if self.source is not None:
            source_lines = self.source.splitlines()
            if 0 < self.lineno <= len(source_lines):
                lines.append("    " + source_lines[self.lineno - 1].strip())
        return "\n".join(lines)

    def __reduce__(self) -> tuple[t.Any, ...]:
        # the untranslated form travels: the traceback does not
        return self.__class__, (self.message, self.lineno, self.name, self.filename)


class TemplateAssertionError(TemplateSyntaxError):
    """The template parses but is invalid (unknown filter or test, bad import...)."""


class TemplateRuntimeError(TemplateError):
    """A generic error while rendering."""


class UndefinedError(TemplateRuntimeError):
    """An undefined value was used in a way that needs a real value."""


class SecurityError(TemplateRuntimeError):
    """A sandboxed template tried something the sandbox refuses (see :mod:`.sandbox`)."""


class FilterArgumentError(TemplateRuntimeError):
    """A filter was given an argument it cannot use."""

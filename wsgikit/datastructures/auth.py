"""``Authorization`` and ``WWW-Authenticate`` header values.

Both hold an auth scheme (``type``, lower-cased when parsed), and either
``parameters`` (``key=value`` pairs, or the decoded user and password for
Basic) or a single ``token`` (``Bearer abc``). Parameters also read as
attributes: ``auth.username``, ``www_auth.realm``.
"""

from __future__ import annotations

import base64
import binascii
import typing as t

from .._http_text import dump_header
from .._http_text import parse_dict_header
from .._http_text import quote_header_value
from .structures import CallbackDict

if t.TYPE_CHECKING:
    import typing_extensions as te

#: Digest challenge parameters that must be quoted strings (RFC 7616).
_DIGEST_QUOTED = frozenset(("realm", "domain", "nonce", "opaque", "qop"))


def _split_scheme(value: str) -> tuple[str, str]:
    scheme, _, rest = value.partition(" ")
    return scheme.lower(), rest.strip()


def _looks_like_parameters(rest: str) -> bool:
    # A token68 (base64-ish) may end with "=" padding; an "=" before the
    # padding means key=value parameters.
    return "=" in rest.rstrip("=")


def _is_special(name: str) -> bool:
    """Names never looked up as parameters: private and dunder names (so
    copy/pickle protocols and half-built objects behave).
    """
    return name.startswith("_")


class Authorization:
    """An ``Authorization`` request header.

    :param auth_type: the scheme, e.g. ``"basic"``, ``"bearer"``.
    :param data: the parameters (``username``/``password`` for Basic).
    :param token: the token, for token schemes such as Bearer.
    """

    def __init__(
        self,
        auth_type: str,
        data: dict[str, str | None] | None = None,
        token: str | None = None,
    ) -> None:
        #: The scheme, lower-cased when parsed from a header.
        self.type = auth_type
        #: The parameters, or an empty dict for a token scheme.
        self.parameters: dict[str, str | None] = {} if data is None else data
        #: The token, or ``None`` for a parameter scheme.
        self.token = token

    def __getattr__(self, name: str) -> str | None:
        if _is_special(name) or name == "parameters":
            raise AttributeError(name)
        return self.parameters.get(name)

    def __getitem__(self, name: str) -> str | None:
        return self.parameters.get(name)

    def get(self, key: str, default: str | None = None) -> str | None:
        """Return parameter ``key``, or ``default``."""
        return self.parameters.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self.parameters

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Authorization):
            return NotImplemented
        return (
            other.type == self.type
            and other.token == self.token
            and other.parameters == self.parameters
        )

    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable

    @classmethod
    def from_header(cls, value: str | None) -> te.Self | None:
        """Parse a header value; ``None`` if it is empty or a Basic
        credential does not decode (characters outside the base64 alphabet,
        bad padding, or not UTF-8).
        """
        if not value:
            return None
        scheme, rest = _split_scheme(value)
        if scheme == "basic":
            try:
                decoded = base64.b64decode(rest, validate=True).decode()
            except (binascii.Error, UnicodeError, ValueError):
                return None
            username, _, password = decoded.partition(":")
            return cls(scheme, {"username": username, "password": password})
        if _looks_like_parameters(rest):
            return cls(scheme, parse_dict_header(rest), None)
        return cls(scheme, None, rest)

    def to_header(self) -> str:
        """Format as a header value."""
        if self.type == "basic":
            credentials = f"{self.username}:{self.password}".encode()
            return f"Basic {base64.b64encode(credentials).decode('ascii')}"
        if self.token is not None:
            return f"{self.type.title()} {self.token}"

        return f"{self.type.title()} {dump_header(self.parameters)}"

    def __str__(self) -> str:
        return self.to_header()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.to_header()}>"


class WWWAuthenticate:
    """A ``WWW-Authenticate`` challenge.

    Parameters are editable as items or attributes (``w.realm = "x"``;
    ``None`` removes one). After each change, the callable stored in
    ``_on_update`` (set by the response that owns the object) is called
    with the object.

    :param auth_type: the scheme, e.g. ``"basic"`` (lower-cased).
    :param values: the parameters.
    :param token: the token, for token schemes.
    """

    # Attributes that are real attributes; any other assignment sets a
    # parameter.
    _OWN = frozenset(("type", "parameters", "token"))

    def __init__(
        self,
        auth_type: str,
        values: dict[str, str | None] | None = None,
        token: str | None = None,
    ):
        self._type = auth_type.lower()
        self._parameters: CallbackDict[str, str | None] = CallbackDict(
            values, lambda _: self._trigger_on_update()
        )
        self._token = token
        self._on_update: t.Callable[[WWWAuthenticate], None] | None = None

    def _trigger_on_update(self) -> None:
        if self._on_update is not None:
            self._on_update(self)

    @property
    def type(self) -> str:
        """The scheme, lower-cased."""
        return self._type

    @type.setter
    def type(self, value: str) -> None:
        self._type = value
        self._trigger_on_update()

    @property
    def parameters(self) -> dict[str, str | None]:
        """The parameters; editing the dict reports the change."""
        return self._parameters

    @parameters.setter
    def parameters(self, value: dict[str, str]) -> None:
        self._parameters = CallbackDict(value, lambda _: self._trigger_on_update())
        self._trigger_on_update()

    @property
    def token(self) -> str | None:
        """The token, for token schemes, or ``None``."""
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value
        self._trigger_on_update()

    def __getitem__(self, key: str) -> str | None:
        return self.parameters.get(key)

    def __setitem__(self, key: str, value: str | None) -> None:
        if value is None:
            self.parameters.pop(key, None)
        else:
            self.parameters[key] = value

    def __delitem__(self, key: str) -> None:
        self.parameters.pop(key, None)

    def __getattr__(self, name: str) -> str | None:
        if _is_special(name):
            raise AttributeError(name)
        return self[name]

    def __setattr__(self, name: str, value: str | None) -> None:
        if _is_special(name) or name in self._OWN:
            super().__setattr__(name, value)
        else:
            self[name] = value

    def __delattr__(self, name: str) -> None:
        if _is_special(name):
            super().__delattr__(name)
        else:
            del self[name]

    def __contains__(self, key: str) -> bool:
        return key in self.parameters

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WWWAuthenticate):
            return NotImplemented
        return (
            other.type == self.type
            and other.token == self.token
            and other.parameters == self.parameters
        )

    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable

    def get(self, key: str, default: str | None = None) -> str | None:
        """Return parameter ``key``, or ``default``."""
        return self.parameters.get(key, default)

    @classmethod
    def from_header(cls, value: str | None) -> te.Self | None:
        """Parse a header value; ``None`` if it is empty."""
        if not value:
            return None
        scheme, rest = _split_scheme(value)
        if _looks_like_parameters(rest):
            return cls(scheme, parse_dict_header(rest), None)
        return cls(scheme, None, rest)

    def to_header(self) -> str:
        """Format as a header value (Digest quotes the parameters RFC 7616
        requires quoted).
        """
        if self._token is not None:
            return f"{self._type.title()} {self._token}"
        if not self._parameters:
            return self._type.title()
        if self._type == "digest":
            items = [
                f"{key}={quote_header_value(value, allow_token=key not in _DIGEST_QUOTED)}"
                for key, value in self._parameters.items()
            ]
            return f"Digest {', '.join(items)}"
        return f"{self._type.title()} {dump_header(self._parameters)}"

    def __str__(self) -> str:
        return self.to_header()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.to_header()}>"

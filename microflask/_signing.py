"""Timestamped, URL-safe signed tokens compatible with itsdangerous' format.

Theory of operation: a token is three dot-separated, URL-safe base64 fields
(padding stripped)::

    payload . timestamp . signature

``payload`` is the serialized value as UTF-8 bytes; when zlib shrinks it by
more than one byte the compressed form is used instead and the field is
prefixed with one more ``"."`` (so a compressed token starts with a dot).
``timestamp`` is the signing time in whole Unix seconds as a big-endian,
minimal-length unsigned integer. ``signature`` is an HMAC (SHA-1 by default)
over ``payload.timestamp``, keyed with a key *derived* from the secret key and
the salt (``"hmac"`` derivation: ``HMAC(secret_key, salt)``). That layout is
what itsdangerous' ``URLSafeTimedSerializer`` writes, so the same secret key
and salt make tokens either side can read.

Key rotation: several secret keys may be given, oldest first. The newest
(last) key signs; every key verifies, newest first. Signatures are compared
in constant time with :func:`hmac.compare_digest`.
"""

from __future__ import annotations

import binascii
import json
import time
import typing as t
import zlib
from binascii import a2b_base64
from binascii import b2a_base64

__all__ = [
    "BadData",
    "BadPayload",
    "BadSignature",
    "BadTimeSignature",
    "SignatureExpired",
    "URLSafeTimedSerializer",
    "base64_decode",
    "base64_encode",
]


class BadData(Exception):
    """A token could not be used: the base of every signing error."""

    #: The human readable reason.
    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadSignature(BadData):
    """The signature does not match: the token was tampered with, or signed
    with another key or salt.
    """

    def __init__(self, message: str, payload: t.Any | None = None) -> None:
        super().__init__(message)
        #: The unverified payload bytes, when they could be split off. Never
        #: trust them; they are kept for debugging only.
        self.payload = payload


class BadTimeSignature(BadSignature):
    """The signature was fine but the timestamp field is unusable."""

    def __init__(self, message: str, payload: t.Any | None = None, date_signed: t.Any | None = None) -> None:
        super().__init__(message, payload)
        #: When the token was signed, if known (a timezone-aware datetime).
        self.date_signed = date_signed


class SignatureExpired(BadTimeSignature):
    """The signature is valid but older than ``max_age`` (or from the future)."""


class BadPayload(BadData):
    """The signature is valid but the payload cannot be decoded."""

    def __init__(self, message: str, original_error: Exception | None = None) -> None:
        super().__init__(message)
        #: The exception raised while decoding, if any.
        self.original_error = original_error


#: Standard to URL-safe base64 alphabet, and back.
_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


def _b64(data: bytes) -> bytes:
    # PERF: what ``base64.urlsafe_b64encode(data).rstrip(b"=")`` computes,
    # without the module wrapper's argument checks and extra call layers
    # (about half the time for the short fields of a token).
    return b2a_base64(data, newline=False).translate(_TO_URLSAFE).rstrip(b"=")


def base64_encode(data: str | bytes) -> bytes:
    """URL-safe base64 without the ``=`` padding.

    :param data: bytes, or a string that is encoded as UTF-8 first.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    return _b64(data)


def base64_decode(data: str | bytes) -> bytes:
    """Decode :func:`base64_encode` output (padding optional).

    :param data: the encoded text.
    :raise BadData: the input is not valid base64.
    """
    if isinstance(data, str):
        try:
            data = data.encode("ascii")
        except UnicodeEncodeError:
            raise BadData("Invalid base64-encoded data") from None
    try:
        # PERF: ``base64.urlsafe_b64decode`` is this translate plus the
        # (non-strict) a2b_base64 behind two wrapper calls; same result and
        # same errors, in half the time.
        return a2b_base64(data.translate(_FROM_URLSAFE) + b"=" * (-len(data) % 4))
    except (AttributeError, TypeError, ValueError, binascii.Error):
        raise BadData("Invalid base64-encoded data") from None


def _derive_key(secret_key: bytes, salt: bytes, derivation: str, digest_method: t.Any) -> bytes:
    """Turn a secret key into the HMAC key, the way itsdangerous' signer does."""
    if derivation == "hmac":
        # Cold start: hmac loads OpenSSL's hashes; the first signer needs them, not the app.
        import hmac

        return hmac.new(secret_key, salt, digest_method).digest()
    if derivation == "concat":
        return t.cast(bytes, digest_method(salt + secret_key).digest())
    if derivation == "django-concat":
        return t.cast(bytes, digest_method(salt + b"signer" + secret_key).digest())
    if derivation == "none":
        return secret_key
    raise TypeError(f"Unknown key derivation method {derivation!r}.")


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def lazy_sha1(string: bytes = b"") -> t.Any:
    """``hashlib.sha1(string)``, with :mod:`hashlib` loaded on the first call.

    The default digest of the session interface, as in Flask: an
    interpreter without SHA-1 (a FIPS build) fails when a session is
    signed, not when the application is imported, and OpenSSL's hashes
    are not loaded before a request needs them (PERF: cold start). A
    signer treats it as ``hashlib.sha1`` itself.
    """
    # Cold start: hashlib loads OpenSSL.
    import hashlib

    return hashlib.sha1(string)


def _plain_digests() -> frozenset[t.Any]:
    """Hash constructors whose block size is known and whose objects copy
    in C: for them :func:`_mac_states` precomputes the HMAC prefix states
    itself."""
    # Cold start: hashlib loads OpenSSL; the first signer needs it, not the app.
    import hashlib

    return frozenset({hashlib.md5, hashlib.sha1, hashlib.sha224, hashlib.sha256, hashlib.sha384, hashlib.sha512})


def _mac_states(key: bytes, digest_method: t.Any) -> tuple[t.Any, t.Any]:
    """The states a signature continues from: ``(inner, outer)`` hash
    objects that have absorbed the padded key, or ``(hmac_object, None)``.

    PERF: copying two hashlib objects and feeding them is about twice as
    fast as copying an :class:`hmac.HMAC`, whose ``copy``/``update``/
    ``digest`` are Python-level wrappers. It is the textbook HMAC
    construction; any other digest goes through :mod:`hmac` itself.
    """
    if digest_method not in _plain_digests():
        # Cold start: hmac loads OpenSSL's hashes.
        import hmac

        return hmac.new(key, None, digest_method), None
    inner = digest_method()
    outer = digest_method()
    block_size = inner.block_size
    if len(key) > block_size:
        key = digest_method(key).digest()
    key = key.ljust(block_size, b"\0")
    inner.update(key.translate(_IPAD))
    outer.update(key.translate(_OPAD))
    return inner, outer


#: XOR of every byte value with HMAC's inner and outer pad bytes.
_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


def _key_list(secret_key: str | bytes | t.Iterable[str | bytes]) -> list[bytes]:
    if isinstance(secret_key, (str, bytes)):
        return [_as_bytes(secret_key)]
    keys = [_as_bytes(key) for key in secret_key]
    if not keys:
        raise ValueError("At least one secret key is required.")
    return keys


class _JSONText:
    """The default payload serializer: compact JSON text."""

    @staticmethod
    def dumps(obj: t.Any) -> str:
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)

    @staticmethod
    def loads(s: str) -> t.Any:
        return json.loads(s)


class URLSafeTimedSerializer:
    """Serialize a value and sign it into a timestamped URL-safe token.

    Mirrors the parts of itsdangerous' class of the same name that a session
    backend uses: ``dumps`` to make a token, ``loads`` to check and decode one.

    :param secret_key: the key, or a list of keys ordered oldest to newest;
        the last one signs and all of them verify.
    :param salt: namespaces the signature, so a token made for one purpose
        does not verify for another.
    :param serializer: an object with ``dumps(obj) -> str`` and
        ``loads(str)``; compact JSON when not given.
    :param signer_kwargs: ``key_derivation`` (``"hmac"``, ``"concat"``,
        ``"django-concat"`` or ``"none"``; default ``"django-concat"`` as in
        itsdangerous) and ``digest_method`` (a hashlib constructor, default
        SHA-1).
    """

    #: The separator between the three fields of a token.
    sep = b"."

    def __init__(
        self,
        secret_key: str | bytes | t.Iterable[str | bytes],
        salt: str | bytes | None = b"itsdangerous",
        serializer: t.Any = None,
        signer_kwargs: dict[str, t.Any] | None = None,
    ) -> None:
        kwargs = dict(signer_kwargs or ())
        derivation = kwargs.pop("key_derivation", "django-concat")
        # Cold start: hashlib and hmac load OpenSSL's hashes, with the first
        # signer rather than with the application.
        import hashlib
        import hmac

        digest_method = kwargs.pop("digest_method", None) or hashlib.sha1
        if digest_method is lazy_sha1:
            digest_method = hashlib.sha1
        self._compare_digest = hmac.compare_digest
        if kwargs:
            raise TypeError(f"Unsupported signer option(s): {', '.join(sorted(kwargs))}.")
        #: The secret keys, oldest first, as bytes.
        self.secret_keys = _key_list(secret_key)
        #: The salt, as bytes.
        self.salt = _as_bytes(salt if salt is not None else b"itsdangerous")
        #: The payload serializer.
        self.serializer = serializer if serializer is not None else _JSONText
        #: How the HMAC key is derived from the secret key.
        self.key_derivation = derivation
        #: The hash constructor the HMAC uses.
        self.digest_method = digest_method
        # PERF: key derivation costs two hash runs per key; it is done once
        # here instead of per token, and keys are stored newest first, which
        # is the order verification tries them in.
        self._derived = [_derive_key(k, self.salt, derivation, digest_method) for k in reversed(self.secret_keys)]
        # PERF: the MAC state after absorbing the key is computed once per
        # derived key and copied for each signature, skipping the digest
        # lookup and the hashing of the padded key that ``hmac.new`` redoes
        # on every call (more work than the MAC of a short token itself).
        # See :func:`_mac_states`.
        self._macs = {key: _mac_states(key, digest_method) for key in self._derived}

    def get_timestamp(self) -> int:
        """The current time in whole seconds; override to freeze time in tests."""
        return int(time.time())

    def _signature(self, key: bytes, value: bytes) -> bytes:
        inner, outer = self._macs[key]
        if outer is None:
            mac = inner.copy()
            mac.update(value)
            return _b64(mac.digest())
        # HMAC (RFC 2104): H(K ^ opad || H(K ^ ipad || value)), from the two
        # precomputed prefix states.
        ihash = inner.copy()
        ihash.update(value)
        ohash = outer.copy()
        ohash.update(ihash.digest())
        return _b64(ohash.digest())

    def dump_payload(self, obj: t.Any) -> bytes:
        """Serialize ``obj`` to the (maybe compressed) base64 payload field."""
        data = self.serializer.dumps(obj)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if _may_compress(data):
            compressed = zlib.compress(data)
            if len(compressed) < len(data) - 1:
                return b"." + _b64(compressed)
        return _b64(data)

    def load_payload(self, payload: bytes) -> t.Any:
        """Decode the payload field made by :meth:`dump_payload`.

        :raise BadPayload: not base64, not zlib data, or not serializer input.
        """
        decompress = payload[:1] == b"."
        if decompress:
            payload = payload[1:]
        try:
            data = base64_decode(payload)
        except BadData as e:
            raise BadPayload("Could not base64 decode the payload because of an exception", e) from None
        if decompress:
            try:
                data = zlib.decompress(data)
            except zlib.error as e:
                raise BadPayload("Could not zlib decompress the payload before decoding the payload", e) from None
        try:
            return self.serializer.loads(data.decode("utf-8"))
        except Exception as e:
            raise BadPayload("Could not load the payload because an exception occurred on unserializing the data.", e) from None

    def dumps(self, obj: t.Any, timestamp: int | None = None) -> str:
        """Serialize and sign ``obj`` into a token.

        :param obj: the value to serialize.
        :param timestamp: the signing time; the current time when not given.
        """
        if timestamp is None:
            timestamp = self.get_timestamp()
        ts = _b64(timestamp.to_bytes((timestamp.bit_length() + 7) // 8 or 1, "big"))
        value = self.dump_payload(obj) + b"." + ts
        return (value + b"." + self._signature(self._derived[0], value)).decode("ascii")

    def unsign(self, token: str | bytes, max_age: int | float | None = None) -> tuple[bytes, int]:
        """Check a token's signature and age; return ``(payload, timestamp)``.

        :param token: the token.
        :param max_age: reject tokens signed more than this many seconds ago
            (or dated in the future).
        :raise BadSignature: the signature does not verify.
        :raise BadTimeSignature: the timestamp field is malformed.
        :raise SignatureExpired: the token is too old.
        """
        if isinstance(token, str):
            token = token.encode("utf-8")
        value, sep, sig = token.rpartition(b".")
        if not sep:
            raise BadSignature("No '.' found in value")
        for key in self._derived:
            # Comparing the encoded forms is stricter than decoding first: a
            # non-canonical base64 spelling of the right MAC is refused too.
            if self._compare_digest(self._signature(key, value), sig):
                break
        else:
            raise BadSignature(f"Signature {sig!r} does not match", payload=value)
        payload, sep, ts_field = value.rpartition(b".")
        if not sep:
            raise BadTimeSignature("timestamp missing", payload=value)
        timestamp = _decode_timestamp(ts_field, payload)
        if max_age is not None:
            age = self.get_timestamp() - timestamp
            if age > max_age:
                raise SignatureExpired(f"Signature age {age} > {max_age} seconds", payload, _to_datetime(timestamp))
            if age < 0:
                raise SignatureExpired(f"Signature age {age} < 0 seconds", payload, _to_datetime(timestamp))
        return payload, timestamp

    def loads(self, token: str | bytes, max_age: int | float | None = None, return_timestamp: bool = False) -> t.Any:
        """Verify a token and return the value it carries.

        :param token: the token.
        :param max_age: the oldest acceptable token, in seconds.
        :param return_timestamp: return ``(value, datetime_signed)`` instead.
        :raise BadData: any reason the token cannot be trusted or decoded.
        """
        payload, timestamp = self.unsign(token, max_age)
        obj = self.load_payload(payload)
        if return_timestamp:
            return obj, _to_datetime(timestamp)
        return obj


def _may_compress(data: bytes) -> bool:
    """Whether zlib can possibly make ``data`` more than one byte shorter.

    PERF: ``zlib.compress`` costs several microseconds even for a handful of
    bytes (setting up a deflate stream allocates and clears ~256 KB), and a
    small session payload never compresses well enough to be used. This
    answers ``False`` only where *no* deflate encoder could win, so the
    token does not depend on zlib's internals:

    * A zlib stream is a 2-byte header, the deflate data (at least 2 bytes)
      and a 4-byte checksum, so under 10 bytes nothing can win.
    * To win, the deflate data must fit in ``8 * (n - 8)`` bits. Without a
      3-byte sequence occurring twice (overlaps included) there is no
      back-reference to use, only literals. Then a stored block costs
      ``n + 5`` bytes, a fixed-code block at least ``8 * n + 10`` bits, and a
      dynamic-code block at least ``n + 47`` bits: 17 header bits, 15 for
      the code-length code (at least 5 entries, as no nonzero length comes
      among the first four), 14 to encode at least 240 zero code lengths
      (138 per 8-bit code at best), and one bit per literal plus the end
      code. More blocks only add headers. ``n + 47 <= 8 * (n - 8)`` needs
      ``n >= 16``.
    """
    n = len(data)
    if n < 10:
        return False
    if n < 16:
        return len(set(zip(data, data[1:], data[2:]))) < n - 2
    return True


def _decode_timestamp(field: bytes, payload: bytes) -> int:
    try:
        raw = base64_decode(field)
    except BadData:
        raise BadTimeSignature("Malformed timestamp", payload=payload) from None
    if not raw or len(raw) > 8:
        raise BadTimeSignature("Malformed timestamp", payload=payload)
    return int.from_bytes(raw, "big")


def _to_datetime(timestamp: int) -> t.Any:
    import datetime

    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)

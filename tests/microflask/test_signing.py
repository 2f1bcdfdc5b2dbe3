"""microflask._signing: itsdangerous-compatible timestamped tokens.

The literal tokens below were produced by itsdangerous 2.2 (through Flask
3.1's session interface) for the given key, salt and timestamp.
"""

from __future__ import annotations

import base64 as _base64
import hashlib
import hmac as _hmac
import json as _json
import typing as t
import zlib as _zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microflask._signing import BadData
from microflask._signing import BadPayload
from microflask._signing import BadSignature
from microflask._signing import BadTimeSignature
from microflask._signing import SignatureExpired
from microflask._signing import URLSafeTimedSerializer
from microflask._signing import _mac_states
from microflask._signing import _may_compress
from microflask._signing import base64_decode
from microflask._signing import base64_encode

NOW = 1750000000

#: (key derivation, digest, data, token itsdangerous wrote at NOW for
#: keys ["old", "key"] and salt "s", default JSON serializer).
ITSDANGEROUS_VECTORS = [
    ("hmac", hashlib.sha1, {"a": 1}, "eyJhIjoxfQ.aE7hgA.olGl0ADAvqrWik9Ax2TvtnZ4rq4"),
    ("django-concat", hashlib.sha1, {"a": 1}, "eyJhIjoxfQ.aE7hgA.rXK6Cjg4YycZNGhraMadYBHh1UE"),
    ("concat", hashlib.sha256, [1, 2], "WzEsMl0.aE7hgA.dVHYu6NSdazIPxzPEj376_Pv00RGWtScZnhczy63DHg"),
    ("none", hashlib.sha1, "é", "IsOpIg.aE7hgA.rKZD6xjRENOfVoZjl3hLdItcqpA"),
    ("hmac", hashlib.sha1, "x" * 100, ".eJxTqqADUAIAfKsvJQ.aE7hgA.VcFfZAp0f9rspA7mfaCXJncq00E"),
]


def make(derivation: str = "hmac", digest: object = hashlib.sha1, keys: object = ("old", "key"), salt: str = "s") -> URLSafeTimedSerializer:
    signer = URLSafeTimedSerializer(
        list(keys),  # type: ignore[call-overload]
        salt=salt,
        signer_kwargs={"key_derivation": derivation, "digest_method": digest},
    )
    signer.get_timestamp = lambda: NOW  # type: ignore[method-assign]
    return signer


@pytest.mark.parametrize(("derivation", "digest", "data", "token"), ITSDANGEROUS_VECTORS)
def test_matches_itsdangerous_output(derivation: str, digest: object, data: object, token: str) -> None:
    signer = make(derivation, digest)
    assert signer.dumps(data) == token
    assert signer.loads(token, max_age=10) == data


def test_itsdangerous_defaults() -> None:
    # Default salt "itsdangerous", "django-concat" derivation, SHA-1.
    signer = URLSafeTimedSerializer("k")
    assert signer.dumps({"a": [1]}, timestamp=NOW) == "eyJhIjpbMV19.aE7hgA.hQAmOQFHTdKlAYl8t8asGdNwb4o"


def test_newest_key_signs_and_every_key_verifies() -> None:
    both = make(keys=["old", "key"])
    old_only = make(keys=["old"])
    new_only = make(keys=["key"])
    token = both.dumps({"a": 1})
    assert token == new_only.dumps({"a": 1})
    assert both.loads(old_only.dumps({"a": 1})) == {"a": 1}
    with pytest.raises(BadSignature):
        old_only.loads(token)


@pytest.mark.parametrize(
    "token",
    [
        "eyJhIjoxfQ.aE7hgA.olGl0ADAvqrWik9Ax2TvtnZ4rq5",  # signature changed
        "eyJhIjoyfQ.aE7hgA.olGl0ADAvqrWik9Ax2TvtnZ4rq4",  # payload changed
        "eyJhIjoxfQ.aE7hgB.olGl0ADAvqrWik9Ax2TvtnZ4rq4",  # timestamp changed
        "eyJhIjoxfQ.aE7hgA.",  # signature removed
        "eyJhIjoxfQaE7hgAolGl0ADAvqrWik9Ax2TvtnZ4rq4",  # no separator
        "",
        "...",
        "é.é.é",
        "eyJhIjoxfQ.aE7hgA.olGl0ADAvqrWik9Ax2TvtnZ4rq4=",  # padding appended
    ],
)
def test_tampered_tokens_are_rejected(token: str) -> None:
    with pytest.raises(BadSignature):
        make().loads(token)


@pytest.mark.parametrize(("salt", "keys"), [("other", ["key"]), ("s", ["other-key"])])
def test_other_salt_or_key_rejects(salt: str, keys: list[str]) -> None:
    with pytest.raises(BadSignature):
        make(salt=salt, keys=keys).loads("eyJhIjoxfQ.aE7hgA.olGl0ADAvqrWik9Ax2TvtnZ4rq4")


def test_max_age() -> None:
    signer = make()
    token = signer.dumps({"a": 1}, timestamp=NOW - 100)
    assert signer.loads(token, max_age=100) == {"a": 1}
    with pytest.raises(SignatureExpired) as info:
        signer.loads(token, max_age=99)
    assert info.value.date_signed.timestamp() == NOW - 100
    assert signer.loads(token) == {"a": 1}  # no max_age: age is not checked


def test_token_from_the_future_is_expired() -> None:
    signer = make()
    with pytest.raises(SignatureExpired):
        signer.loads(signer.dumps(1, timestamp=NOW + 5), max_age=1000)


def test_return_timestamp() -> None:
    signer = make()
    value, signed = signer.loads(signer.dumps([1]), return_timestamp=True)
    assert value == [1]
    assert signed.timestamp() == NOW
    assert signed.tzinfo is not None


def test_validly_signed_garbage_is_bad_payload() -> None:
    signer = make()
    # Sign raw fields ourselves: valid signature over undecodable payloads.
    for payload in (b"!!!!", b".bm90emxpYg", base64_encode(b"{not json")):
        value = payload + b"." + base64_encode(NOW.to_bytes(4, "big"))
        token = value + b"." + signer._signature(signer._derived[0], value)
        with pytest.raises(BadPayload):
            signer.loads(token)


def test_validly_signed_bad_timestamp() -> None:
    signer = make()
    for value in (b"eyJhIjoxfQ", b"eyJhIjoxfQ.", b"eyJhIjoxfQ.QUFBQUFBQUFBQUFB"):
        token = value + b"." + signer._signature(signer._derived[0], value)
        with pytest.raises(BadTimeSignature):
            signer.loads(token, max_age=10)


def test_errors_share_a_base() -> None:
    assert issubclass(SignatureExpired, BadSignature)
    assert issubclass(BadPayload, BadData)
    assert str(BadSignature("nope")) == "nope"


def test_bytes_token_and_bytes_key() -> None:
    signer = URLSafeTimedSerializer(b"key", salt=b"s", signer_kwargs={"key_derivation": "hmac"})
    assert signer.loads(signer.dumps({"x": [1]}).encode()) == {"x": [1]}


def test_unknown_options_are_refused() -> None:
    with pytest.raises(TypeError, match="key derivation"):
        URLSafeTimedSerializer("k", signer_kwargs={"key_derivation": "rot13"})
    with pytest.raises(TypeError, match="sep"):
        URLSafeTimedSerializer("k", signer_kwargs={"sep": "|"})
    with pytest.raises(ValueError):
        URLSafeTimedSerializer([])


def test_custom_digest_object_signs_the_same() -> None:
    def sha1(data: bytes = b"") -> object:
        return hashlib.sha1(data)

    generic = make(digest=sha1)
    token = generic.dumps({"a": 1})
    assert token == ITSDANGEROUS_VECTORS[0][3]
    # The keyed MAC is reused: signing twice and verifying give the same.
    assert generic.dumps({"a": 1}) == token
    assert generic.loads(token) == {"a": 1}


@pytest.mark.parametrize(
    ("data", "encoded"),
    [(b"", b""), (b"\xff", b"_w"), (b"\xfb\xff", b"-_8"), ("é", b"w6k"), (b"abc", b"YWJj")],
)
def test_base64_round_trip(data: str | bytes, encoded: bytes) -> None:
    assert base64_encode(data) == encoded
    raw = data.encode() if isinstance(data, str) else data
    assert base64_decode(encoded) == raw
    assert base64_decode(encoded.decode()) == raw


@pytest.mark.parametrize("bad", ["é", "a", b"abcde"])
def test_base64_decode_errors(bad: str | bytes) -> None:
    with pytest.raises(BadData):
        base64_decode(bad)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c), max_leaves=20))
def test_round_trip(value: object) -> None:
    signer = make()
    assert signer.loads(signer.dumps(value), max_age=0) == value


def test_huge_tampered_token_is_rejected_quickly() -> None:
    token = "a" * 400_000 + "." + "b" * 400_000 + "." + "c" * 27
    with pytest.raises(BadSignature):
        make().loads(token)


# Fast paths: same bytes as the straightforward construction -----------------


def _reference_payload(data: bytes) -> bytes:
    """dump_payload as itsdangerous writes it: always try zlib."""
    compressed = _zlib.compress(data)
    if len(compressed) < len(data) - 1:
        return b"." + _base64.urlsafe_b64encode(compressed).rstrip(b"=")
    return _base64.urlsafe_b64encode(data).rstrip(b"=")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", False),
        (b"a" * 9, False),  # under 10 bytes nothing can win
        (b'{"visits":1}', False),  # no repeated 3-byte sequence
        (b'{"visits":1234}', False),  # 15 bytes, the largest skipped size
        (b'{"visits":12345}', True),  # 16 bytes: zlib decides
        (b"a" * 10, True),  # repeats: zlib decides (and wins)
        (b'{"a":1,"b":1,"c"', True),
        (b"abcabc", False),
    ],
)
def test_may_compress_table(data: bytes, expected: bool) -> None:
    assert _may_compress(data) is expected
    if not expected:
        assert len(_zlib.compress(data)) >= len(data) - 1


_SMALL_ALPHABETS = st.sampled_from([b"ab", b"abc", b"abcd", b'{}":,_visitrue0123456789', bytes(range(256))])


@given(st.data())
def test_skipped_compression_never_wins(data: st.DataObject) -> None:
    alphabet = data.draw(_SMALL_ALPHABETS)
    raw = bytes(data.draw(st.lists(st.sampled_from(list(alphabet)), max_size=40)))
    if not _may_compress(raw):
        assert len(_zlib.compress(raw)) >= len(raw) - 1
    signer = URLSafeTimedSerializer("k", serializer=_Raw)
    assert signer.dump_payload(raw.decode("latin1")) == _reference_payload(raw.decode("latin1").encode("utf-8"))


class _Raw:
    @staticmethod
    def dumps(obj: str) -> str:
        return obj

    @staticmethod
    def loads(s: str) -> str:
        return s


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=8,
)


@given(_json_values)
def test_dump_payload_matches_reference(value: object) -> None:
    signer = URLSafeTimedSerializer("k")
    data = _json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert signer.dump_payload(value) == _reference_payload(data)
    assert signer.load_payload(signer.dump_payload(value)) == value


@given(st.binary(max_size=64))
def test_base64_helpers_match_stdlib(raw: bytes) -> None:
    encoded = base64_encode(raw)
    assert encoded == _base64.urlsafe_b64encode(raw).rstrip(b"=")
    assert base64_decode(encoded) == raw
    assert base64_decode(encoded.decode("ascii")) == raw


@pytest.mark.parametrize(
    "text",
    [b"a+b/", b"a-b_", b"YW Jj", b"Y\nW\nJ\nj", b"YWJj====", b"a!b", b"YWJ\x00j", b"-_-_-_", b"", b"="],
)
def test_base64_decode_leniency_matches_stdlib(text: bytes) -> None:
    try:
        expected: bytes | None = _base64.urlsafe_b64decode(text + b"=" * (-len(text) % 4))
    except ValueError:
        expected = None
    if expected is None:
        with pytest.raises(BadData, match="^Invalid base64-encoded data$"):
            base64_decode(text)
    else:
        assert base64_decode(text) == expected


@pytest.mark.parametrize("bad", ["abcé", memoryview(b"YWJj"), 12, b"a", b"abcde"])
def test_base64_decode_errors(bad: t.Any) -> None:
    with pytest.raises(BadData, match="^Invalid base64-encoded data$"):
        base64_decode(bad)


def test_bad_payload_messages_unchanged() -> None:
    signer = URLSafeTimedSerializer("k")
    with pytest.raises(BadPayload, match="^Could not base64 decode the payload because of an exception$"):
        signer.load_payload(b"a")
    with pytest.raises(BadPayload, match="^Could not zlib decompress the payload before decoding the payload$"):
        signer.load_payload(b".YWJj")


@pytest.mark.parametrize(
    "digest", [hashlib.md5, hashlib.sha1, hashlib.sha224, hashlib.sha256, hashlib.sha384, hashlib.sha512]
)
@pytest.mark.parametrize("key_size", [0, 1, 20, 64, 65, 128, 129, 300])
def test_precomputed_mac_states_are_hmac(digest: t.Any, key_size: int) -> None:
    key = bytes(range(256))[:key_size] * 1 if key_size <= 256 else b"k" * key_size
    inner, outer = _mac_states(key, digest)
    assert outer is not None
    for message in (b"", b"payload.ts", b"x" * 500):
        ihash = inner.copy()
        ihash.update(message)
        ohash = outer.copy()
        ohash.update(ihash.digest())
        assert ohash.digest() == _hmac.new(key, message, digest).digest()


def test_other_digests_go_through_hmac() -> None:
    def sha1(data: bytes = b"") -> t.Any:
        return hashlib.sha1(data)

    mac, outer = _mac_states(b"key", sha1)
    assert isinstance(mac, _hmac.HMAC) and outer is None
    custom = URLSafeTimedSerializer(["old", "key"], salt="s", signer_kwargs={"key_derivation": "hmac", "digest_method": sha1})
    stock = URLSafeTimedSerializer(["old", "key"], salt="s", signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1})
    assert custom.dumps({"a": 1}, timestamp=NOW) == stock.dumps({"a": 1}, timestamp=NOW) == ITSDANGEROUS_VECTORS[0][3]
    blake = URLSafeTimedSerializer("k", signer_kwargs={"digest_method": hashlib.blake2b})
    assert blake.loads(blake.dumps([1]), max_age=10) == [1]

"""Tests for wsgikit.security: password hashes (Werkzeug-compatible) and safe_join."""

from __future__ import annotations

import pytest

from wsgikit import security
from wsgikit.security import DEFAULT_PBKDF2_ITERATIONS
from wsgikit.security import SALT_CHARS
from wsgikit.security import check_password_hash
from wsgikit.security import gen_salt
from wsgikit.security import generate_password_hash
from wsgikit.security import safe_join

# Hashes made by Werkzeug 3.1 for these passwords: they must verify here.
WERKZEUG_HASHES = [
    ("correct horse", "scrypt:32768:8:1$ksqBYD04$dbf2aff39189aac9df9977f2dcbb45533df3f303dbb597a80e33bf27dff211a01675f53d9c604be38ddda99896381acd05810b08953a7a114bc156d1736afc6b"),
    ("correct horse", "pbkdf2:sha256:1000000$vrobT5wY$7caa15ef68bfc6f8ba64f9eab6d7726e7084fa99c92bceb9e7122769c055ea94"),
    ("correct horse", "pbkdf2:sha1:1000$Rf5bqd4T$6996a32a5bd8831276844d87bff8942472f8f4b6"),
    ("correct horse", "scrypt:1024:8:1$lmeWsfIv$13f99b7545bd12a76cd0ad9e4e59fc25e61f45ff7750b396c6a454d9b0715a1d0f3f3488a5c6e80e2f256fd0a04cb279f86b5ea365714497bef750707e8a83f0"),
    ("correct horse", "pbkdf2:sha512:10$QFJAzGyv$15fd9c117db39199109248ecc4357f0f56710bc6c829cf58690ebd087dadabf91e06d4abe6b7fa35b83f719863bf996d26a815c815b8c4344943fd7d6aaec9fa"),
    ("pä$sw0rd ☃", "scrypt:32768:8:1$vEx1p91H16eBpSQH$5a767765fa55f3ca3378e266fd81518d336dd8c41fcb22a521d520e633ea1617c1a401ac4de71554e07d2c47984360bc8f209f0ecbf2ea69e9aa1dd21bdf7ede"),
]  # fmt: skip


@pytest.mark.parametrize(("password", "pwhash"), WERKZEUG_HASHES)
def test_werkzeug_hashes_verify(password: str, pwhash: str) -> None:
    assert check_password_hash(pwhash, password)
    assert not check_password_hash(pwhash, password + "x")
    assert not check_password_hash(pwhash, password.upper())


def test_hash_internal_matches_werkzeug() -> None:
    digest, method = security._hash_internal("scrypt:1024:8:1", "salt", "pw")
    assert method == "scrypt:1024:8:1"
    assert digest == (
        "9f1f8695838e682c1689750f45a69fb95645b4a27f0c9994c696b1c98c0a1671"
        "ffffb615a347a197185c56762f9facab613a97be907c513ae0247e55b777e15b"
    )
    assert security._hash_internal("pbkdf2:sha256:10", "salt", "pw") == (
        "72aecd14244887c316e24019c7e020b58888f029861490804d36e20b42d9321a",
        "pbkdf2:sha256:10",
    )


@pytest.mark.parametrize(
    ("method", "prefix", "digest_len"),
    [
        ("scrypt", "scrypt:32768:8:1$", 128),
        ("scrypt:1024:8:2", "scrypt:1024:8:2$", 128),
        ("pbkdf2:sha256:1000", "pbkdf2:sha256:1000$", 64),
        ("pbkdf2:sha1:10", "pbkdf2:sha1:10$", 40),
        ("pbkdf2:sha512:10", "pbkdf2:sha512:10$", 128),
    ],
)
def test_generate_format_and_round_trip(method: str, prefix: str, digest_len: int) -> None:
    pwhash = generate_password_hash("s3cret", method, salt_length=12)
    assert pwhash.startswith(prefix)
    _, salt, digest = pwhash.split("$")
    assert len(salt) == 12 and set(salt) <= set(SALT_CHARS)
    assert len(digest) == digest_len
    assert check_password_hash(pwhash, "s3cret")
    assert not check_password_hash(pwhash, "s3cret ")


def test_default_pbkdf2_parameters() -> None:
    assert DEFAULT_PBKDF2_ITERATIONS == 1_000_000
    assert security._hash_internal("pbkdf2", "s", "p")[1] == "pbkdf2:sha256:1000000"
    assert security._hash_internal("pbkdf2:sha1", "s", "p")[1] == "pbkdf2:sha1:1000000"


def test_salts_differ() -> None:
    assert generate_password_hash("x", "pbkdf2:sha256:1") != generate_password_hash("x", "pbkdf2:sha256:1")


@pytest.mark.parametrize(
    ("method", "message"),
    [
        ("plain", "Invalid hash method 'plain'."),
        ("md5", "Invalid hash method 'md5'."),
        ("SCRYPT", "Invalid hash method 'SCRYPT'."),
        ("", "Invalid hash method ''."),
        ("scrypt:x", "'scrypt' takes 3 arguments."),
        ("scrypt:1:2:3:4", "'scrypt' takes 3 arguments."),
        ("scrypt::8:1", "'scrypt' takes 3 arguments."),
        ("scrypt:1024:8:1:", "'scrypt' takes 3 arguments."),
        ("pbkdf2:sha256:1:2", "'pbkdf2' takes 2 arguments."),
        ("pbkdf2:sha256:x", "invalid literal for int"),
        ("scrypt:3:8:1", "n must be a power of 2"),
    ],
)
def test_bad_methods(method: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        generate_password_hash("s", method, 4)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("pwhash", ["", "scrypt$x", "pbkdf2:sha256:1000$salt", "nodollar"])
def test_malformed_hash_is_false(pwhash: str) -> None:
    assert check_password_hash(pwhash, "s") is False


def test_wrong_digest_shapes_are_false() -> None:
    good = generate_password_hash("pw", "pbkdf2:sha256:1", 4)
    method, salt, digest = good.split("$")
    assert not check_password_hash(f"{method}${salt}${digest.upper()}", "pw")
    assert not check_password_hash(f"{method}${salt}${digest[:-1]}", "pw")
    assert not check_password_hash(f"{method}${salt}${digest[:-1]}é", "pw")
    assert not check_password_hash(f"{method}$x{salt}${digest}", "pw")
    with pytest.raises(ValueError, match="Invalid hash method"):
        check_password_hash("bogus$x$y", "pw")


def test_gen_salt() -> None:
    assert len(gen_salt(10)) == 10
    assert set(gen_salt(200)) <= set(SALT_CHARS)
    for bad in (0, -1):
        with pytest.raises(ValueError, match="Salt length must be at least 1."):
            gen_salt(bad)


# -- safe_join ---------------------------------------------------------------------

JOINS = [
    (("a", "b"), "a/b"),
    (("a", "b/c"), "a/b/c"),
    (("a", ""), "a"),
    (("a", "."), "a/."),
    (("a", "./x"), "a/x"),
    (("a", "x/.."), "a/."),
    (("a", "x/../y"), "a/y"),
    (("/a/", "b"), "/a/b"),
    (("a/", "b"), "a/b"),
    (("a", "b", "c"), "a/b/c"),
    (("", "x"), "./x"),
    (("a", "b//c"), "a/b/c"),
    (("a", "b/"), "a/b"),
    (("a", "CON"), "a/CON"),
    (("a", "..."), "a/..."),
    (("a", "..a"), "a/..a"),
    (("a", "a.."), "a/a.."),
    (("a",), "a"),
    (("a", "", ""), "a"),
    (("a", "", "b"), "a/b"),
    (("a/", ""), "a/"),
    (("", ""), "."),
    (("",), "."),
    (("a", " .."), "a/ .."),
    (("a", ".. "), "a/.. "),
    (("a", "x/C:y"), "a/x/C:y"),
    (("//a", "b"), "//a/b"),
    (("a/b/..", "c"), "a/b/../c"),
    (("a", "x", "."), "a/x/."),
    # one real segment followed by empty ones (the single-segment fast path)
    (("a", "b", ""), "a/b"),
    (("/srv/", "x.txt", "", ""), "/srv/x.txt"),
    (("", "b", ""), "./b"),
    # names the "already normal" shortcut must still normalise
    (("a", "b/./c/"), "a/b/c"),
    (("a", ".hidden/x"), "a/.hidden/x"),
    (("a", "x/.y"), "a/x/.y"),
    (("a", "x//y/"), "a/x/y"),
]


@pytest.mark.parametrize(("args", "expected"), JOINS)
def test_safe_join(args: tuple[str, ...], expected: str) -> None:
    assert safe_join(*args) == expected


TRAVERSALS = [
    "..",
    "../x",
    "../../etc/passwd",
    "a/../../x",
    "b/../../c",
    "./..",
    ".//..",
    "x/./../..",
    "/etc/passwd",
    "/",
    "//",
    "//host/share/x",
    "\\x",
    "\\\\host\\share\\x",
    "..\\x",
    "x/..\\..\\y",
    "x\\y",
    "C:x",
    "c:/x",
    "C:\\x",
    "Z:",
    "a:b",
    "x\x00y",
    "\x00",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_safe_join_refuses_traversal(path: str) -> None:
    assert safe_join("/srv/files", path) is None
    assert safe_join("/srv/files", "ok", path) is None


WINDOWS_REFUSED = [
    "CON",
    "con",
    "con.txt",
    "CON.tar.gz",
    "nul",
    "NUL.",
    "PRN ",
    "aux  .txt",
    "COM1",
    "com9.log",
    "LPT1",
    "lpt9.x",
    "COM¹",
    "CONIN$",
    "conout$.txt",
    "sub/CON",
    "sub/nul.txt/x",
    "a/b/COM3 ",
    "file.",
    "file ",
    "dir./x",
    "x:stream",
    "x/y:z",
]
WINDOWS_ALLOWED = ["CONX", "COM0", "LPT10", "con_x", "xcon.txt", "nullable", "a.con", "sub/file.txt"]


@pytest.mark.parametrize("path", WINDOWS_REFUSED)
def test_safe_join_windows_device_names(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "_os_is_windows", True)
    assert safe_join("base", path) is None


@pytest.mark.parametrize("path", WINDOWS_ALLOWED)
def test_safe_join_windows_allows_normal_names(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "_os_is_windows", True)
    assert safe_join("base", path) == f"base/{path}"


@pytest.mark.parametrize("path", ["CON", "nul.txt", "COM1", "file.", "file "])
def test_device_names_allowed_with_posix_rules(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "_os_is_windows", False)
    assert safe_join("base", path) == f"base/{path}"


def test_safe_join_large_input() -> None:
    deep = "/".join(["d"] * 100_000)
    assert safe_join("base", deep) == f"base/{deep}"
    assert safe_join("base", "/".join(["d"] * 100_000 + [".."] * 100_001)) is None

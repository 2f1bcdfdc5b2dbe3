"""Password hashing and safe path joining.

Password hashes use Werkzeug's format, ``method$salt$hexdigest``, so a hash
made by Werkzeug verifies here and the other way round::

    scrypt:32768:8:1$<16 salt chars>$<128 hex digits>
    pbkdf2:sha256:1000000$<salt>$<64 hex digits>

:func:`safe_join` joins untrusted path segments under a trusted directory
and refuses every form of escaping it (see its docstring).
"""

from __future__ import annotations

import os
import posixpath

#: The alphabet :func:`gen_salt` draws from.
SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#: Iterations for ``pbkdf2`` when the method string gives none.
DEFAULT_PBKDF2_ITERATIONS = 1_000_000

#: Apply Windows path rules in :func:`safe_join` (device names, ``:``,
#: trailing dots and spaces). Set from the OS; tests may patch it.
_os_is_windows = os.name == "nt"

#: Base names Windows opens as devices, in any directory, with any extension.
_windows_device_files = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "CONIN$",
    "CONOUT$",
    *(f"COM{i}" for i in (*"123456789", "¹", "²", "³")),
    *(f"LPT{i}" for i in (*"123456789", "¹", "²", "³")),
}


def gen_salt(length: int) -> str:
    """Return ``length`` random characters from :data:`SALT_CHARS`, from a
    cryptographically secure source.

    :raises ValueError: ``length`` is below 1.
    """
    if length <= 0:
        raise ValueError("Salt length must be at least 1.")
    # Cold start: secrets loads hmac and OpenSSL's hashes.
    import secrets

    return "".join(secrets.choice(SALT_CHARS) for _ in range(length))


def _hash_internal(method: str, salt: str, password: str) -> tuple[str, str]:
    """Hash ``password`` with ``salt`` as ``method`` describes; return the
    hex digest and the method string with every parameter filled in."""
    # Cold start: hashlib loads OpenSSL; wsgikit.utils imports this module.
    import hashlib

    name, *args = method.split(":")
    salt_bytes = salt.encode()
    password_bytes = password.encode()

    if name == "scrypt":
        if not args:
            n, r, p = 2**15, 8, 1
        else:
            try:
                n, r, p = map(int, args)
            except ValueError:
                raise ValueError("'scrypt' takes 3 arguments.") from None
        # OpenSSL needs a little over 128 * n * r * p bytes; the default
        # 32 MiB limit would refuse the default parameters.
        maxmem = 132 * n * r * p
        digest = hashlib.scrypt(password_bytes, salt=salt_bytes, n=n, r=r, p=p, maxmem=maxmem)
        return digest.hex(), f"scrypt:{n}:{r}:{p}"

    if name == "pbkdf2":
        if len(args) > 2:
            raise ValueError("'pbkdf2' takes 2 arguments.")
        hash_name = args[0] if args else "sha256"
        iterations = int(args[1]) if len(args) == 2 else DEFAULT_PBKDF2_ITERATIONS
        digest = hashlib.pbkdf2_hmac(hash_name, password_bytes, salt_bytes, iterations)
        return digest.hex(), f"pbkdf2:{hash_name}:{iterations}"

    raise ValueError(f"Invalid hash method '{name}'.")


def generate_password_hash(password: str, method: str = "scrypt", salt_length: int = 16) -> str:
    """Hash a password for storage; check it later with
    :func:`check_password_hash`.

    :param password: the plain-text password.
    :param method: ``"scrypt"`` (default, ``scrypt:32768:8:1``), or
        ``"scrypt:n:r:p"``; ``"pbkdf2"`` (``pbkdf2:sha256:1000000``), or
        ``"pbkdf2:<hashlib name>"`` / ``"pbkdf2:<name>:<iterations>"``.
    :param salt_length: characters of random salt.
    :raises ValueError: unknown method or bad parameters.
    """
    salt = gen_salt(salt_length)
    digest, actual_method = _hash_internal(method, salt, password)
    return f"{actual_method}${salt}${digest}"


def check_password_hash(pwhash: str, password: str) -> bool:
    """Check ``password`` against a hash from :func:`generate_password_hash`
    (or Werkzeug's). The digests are compared in constant time.

    A string that is not ``method$salt$digest`` gives ``False``; an
    unknown method raises :exc:`ValueError`.
    """
    try:
        method, salt, expected = pwhash.split("$", 2)
    except ValueError:
        return False
    actual = _hash_internal(method, salt, password)[0]
    # compare_digest refuses non-ASCII str; such a digest can never match.
    if not expected.isascii():
        return False
    # Cold start: hmac loads OpenSSL's hashes.
    import hmac

    return hmac.compare_digest(actual, expected)


def _segment_is_unsafe_on_windows(segment: str) -> bool:
    # Windows drops trailing dots and spaces ("..  " is ".."), reads ":" as a
    # drive or stream separator, and opens device names in any directory,
    # with any extension ("nul.txt", "COM1 .log").
    if ":" in segment or segment[-1:] in (".", " "):
        return True
    return segment.split(".", 1)[0].strip(" ").upper() in _windows_device_files


def _is_unsafe(filename: str) -> bool:
    """Whether a normalised, non-empty untrusted path could leave the base
    directory or name something other than a plain file under it."""
    if (
        filename[0] == "/"  # absolute, including //host/share
        or filename == ".."
        or filename.startswith("../")
        or "\\" in filename  # a separator on Windows; never needed in a URL path
        or "\x00" in filename
        # A drive: "C:x" (drive-relative) or "C:/x". normpath keeps a
        # leading "x:" intact, so looking at the start is enough.
        or (filename[1:2] == ":" and filename[0].isascii() and filename[0].isalpha())
    ):
        return True
    if _os_is_windows:
        return any(_segment_is_unsafe_on_windows(seg) for seg in filename.split("/") if seg != ".")
    return False


def safe_join(directory: str, *untrusted: str) -> str | None:
    """Join untrusted path segments onto a trusted base directory, or return
    ``None`` if the result could point outside it.

    Each segment is normalised first (``a/./b/../c`` -> ``a/c``); then it is
    refused if it is absolute (``/x``, ``//host/share``), climbs out
    (``..``, ``../x``, ``a/../../x``), contains a backslash or NUL, or starts
    with a drive (``C:x``). With Windows rules (on Windows) a segment is also
    refused for a device name (``CON``, ``nul.txt``, ``COM1``, ``LPT9 .log``),
    a ``:`` or a trailing dot or space.

    :param directory: the trusted base directory (``""`` means ``"."``).
    :param untrusted: path segments from the client, joined with ``/``.
    """
    if not directory:
        directory = "."
    parts = [directory]
    for filename in untrusted:
        if filename:
            filename = _normpath(filename)
            if _is_unsafe(filename):
                return None
            parts.append(filename)
    if len(parts) == 2:
        # PERF: posixpath.join for the usual one relative segment.
        segment = parts[1]
        return f"{directory}{segment}" if directory[-1] == "/" else f"{directory}/{segment}"
    return posixpath.join(*parts)


def _normpath(path: str) -> str:
    # PERF: a path with no empty, "." or ".." segment and no trailing slash
    # is already normal; only the rest pays for posixpath.normpath.
    if "//" in path or "/." in path or path[0] == "." or path[-1] == "/":
        return posixpath.normpath(path)
    return path

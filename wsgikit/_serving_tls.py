"""TLS for the development server: server contexts from certificate
files, and ad-hoc self-signed certificates for trying HTTPS locally.

The ad-hoc certificates need the optional ``cryptography`` package; it is
imported only when one is made, and its absence is reported with a clear
error. The standard library's :mod:`ssl` does everything else.

Layers (the dev server's modules; imports only point down)::

    _serving_input, _serving_tls (this module)
    -> _serving_handler (the request handler)
    -> serving (the servers, run_simple; re-exports every public name)

Import the public names from :mod:`wsgikit.serving`.
"""

from __future__ import annotations

import os
import ssl
import sys
import typing as t
from datetime import datetime as dt
from datetime import timedelta
from datetime import timezone

if t.TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKeyWithSerialization
    from cryptography.x509 import Certificate

#: What ``ssl_context`` arguments accept: a context, a (cert, key) pair of
#: paths, or ``"adhoc"``.
_TSSLContextArg = t.Optional[t.Union["ssl.SSLContext", t.Tuple[str, t.Optional[str]], t.Literal["adhoc"]]]


def _import_cryptography() -> t.Any:
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID
    except ImportError:
        raise TypeError("Using ad-hoc certificates requires the cryptography library.") from None
    return x509, hashes, serialization, rsa, NameOID


def generate_adhoc_ssl_pair(cn: str | None = None) -> tuple[Certificate, RSAPrivateKeyWithSerialization]:
    """Create a self-signed certificate and its RSA key (needs ``cryptography``).

    :param cn: the certificate's common name; ``"*"`` when not given.
    """
    x509, hashes, _, rsa, NameOID = _import_cryptography()
    if cn is None:
        cn = "*"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Dummy Certificate"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )
    now = dt.now(timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _pem_pair(cn: str | None) -> tuple[bytes, bytes]:
    _, _, serialization, _, _ = _import_cryptography()
    cert, key = generate_adhoc_ssl_pair(cn=cn)
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.TraditionalOpenSSL,
        encryption_algorithm=serialization.NoEncryption(),
    )
    return cert_pem, key_pem


def make_ssl_devcert(base_path: str, host: str | None = None, cn: str | None = None) -> tuple[str, str]:
    """Write a self-signed certificate to ``<base_path>.crt`` and its key to
    ``<base_path>.key``; return both paths.

    :param base_path: path prefix of the two files.
    :param host: the host name the certificate is for (sets the common name).
    :param cn: the common name, when ``host`` is not given.
    """
    if host is not None:
        cn = host
    cert_pem, key_pem = _pem_pair(cn)
    cert_file = f"{base_path}.crt"
    pkey_file = f"{base_path}.key"
    with open(cert_file, "wb") as f:
        f.write(cert_pem)
    with open(pkey_file, "wb") as f:
        f.write(key_pem)
    return cert_file, pkey_file


def generate_adhoc_ssl_context() -> ssl.SSLContext:
    """A server :class:`ssl.SSLContext` with a fresh self-signed certificate."""
    import tempfile

    cert_pem, key_pem = _pem_pair(None)
    with tempfile.TemporaryDirectory() as tmp:
        cert_file = os.path.join(tmp, "adhoc.crt")
        pkey_file = os.path.join(tmp, "adhoc.key")
        with open(cert_file, "wb") as f:
            f.write(cert_pem)
        with open(pkey_file, "wb") as f:
            f.write(key_pem)
        return load_ssl_context(cert_file, pkey_file)


def load_ssl_context(cert_file: str, pkey_file: str | None = None, protocol: int | None = None) -> ssl.SSLContext:
    """Load a server TLS context from a certificate (and key) file.

    :param cert_file: PEM certificate chain (may include the key).
    :param pkey_file: PEM private key, when not in ``cert_file``.
    :param protocol: an ``ssl.PROTOCOL_*`` constant; TLS server by default.
    """
    if protocol is None:
        protocol = ssl.PROTOCOL_TLS_SERVER
    ctx = ssl.SSLContext(protocol)
    ctx.load_cert_chain(cert_file, pkey_file)
    return ctx


def is_ssl_error(error: Exception | None = None) -> bool:
    """Whether ``error`` (default: the one being handled) is a TLS error."""
    if error is None:
        error = t.cast(Exception, sys.exc_info()[1])
    return isinstance(error, ssl.SSLError)

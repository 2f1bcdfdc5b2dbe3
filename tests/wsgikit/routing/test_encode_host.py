"""``_encode_host`` checks ASCII names without the idna codec; the answer
(the host, or BadHost) is the codec's for every name."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wsgikit.exceptions import BadHost
from wsgikit.routing.map import _encode_host


def _by_codec(host: str) -> str:
    name, sep, port = host.partition(":")
    try:
        encoded = name.encode("idna").decode("ascii")
    except UnicodeError:
        return "BadHost"
    return f"{name if name.isascii() else encoded}{sep}{port}"


def _ours(host: str) -> str:
    try:
        return _encode_host(host)
    except BadHost:
        return "BadHost"


LABEL = st.text(alphabet="aZ09-_.ü", min_size=0, max_size=70)


@settings(max_examples=500)
@given(st.lists(LABEL, max_size=4).map(".".join), st.sampled_from(["", ":80", ":x"]))
def test_same_answer_as_the_codec(name: str, port: str) -> None:
    assert _ours(name + port) == _by_codec(name + port)


def test_edges() -> None:
    for host in ["localhost", "a..b", "a" * 64 + ".x", "x." + "a" * 63, "ex.com.", "", ".a", "bücher.de:80"]:
        assert _ours(host) == _by_codec(host), host

"""microflask's self-contained parts against the packages Flask uses for them:
the tagged JSON serializer (flask.json.tag), session cookie signing
(itsdangerous with Flask's settings), signals (blinker) and Config (flask).
"""

from __future__ import annotations

import datetime
import typing as t
import uuid
import warnings

from benchmarks._harness import Comparison
from benchmarks._harness import scenario
from benchmarks._harness import try_import

#: A typical session: a user id, a flash list (tuples), CSRF bytes, a UUID.
_SESSION: dict[str, t.Any] = {
    "_fresh": True,
    "_id": "d4f1c9a2b7e84c0f",
    "user_id": 42,
    "_flashes": [("message", "Welcome back!")],
    "csrf": b"\x8f\x02\xa1\x99" * 4,
    "cart": [1, 2, 3],
    "visit": uuid.UUID(int=123456789),
    "seen": datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc),
}


def _flask_tag() -> t.Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return try_import("flask.json.tag")


@scenario("microflask.tag.dumps_loads")
def tag_roundtrip() -> Comparison:
    from microflask.json.tag import TaggedJSONSerializer

    ours = TaggedJSONSerializer()
    peer_module = _flask_tag()
    peer = peer_module.TaggedJSONSerializer() if peer_module else None
    return Comparison(
        ours=lambda: ours.loads(ours.dumps(_SESSION)),
        peer=(lambda: peer.loads(peer.dumps(_SESSION))) if peer is not None else None,
        peer_name="flask.json.tag",
        unit="roundtrip",
        target=1.0,
    )


@scenario("microflask.session.sign_verify")
def session_sign_verify() -> Comparison:
    import hashlib

    from microflask._signing import URLSafeTimedSerializer
    from microflask.json.tag import TaggedJSONSerializer

    keys = ["old-key", "current-secret-key"]
    ours = URLSafeTimedSerializer(
        keys,
        salt="cookie-session",
        serializer=TaggedJSONSerializer(),
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )
    its = try_import("itsdangerous")
    peer_tag = _flask_tag()
    peer = None
    if its is not None and peer_tag is not None:
        peer = its.URLSafeTimedSerializer(
            keys,
            salt="cookie-session",
            serializer=peer_tag.TaggedJSONSerializer(),
            signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
        )
    return Comparison(
        ours=lambda: ours.loads(ours.dumps(_SESSION), max_age=2678400),
        peer=(lambda: peer.loads(peer.dumps(_SESSION), max_age=2678400)) if peer is not None else None,
        peer_name="itsdangerous",
        unit="sign+verify",
        target=1.0,
    )


def _blinker_signal() -> t.Any:
    blinker = try_import("blinker")
    return blinker.Signal() if blinker else None


class _App:
    """Stands in for the Flask app, the usual sender."""


@scenario("microflask.signals.send_no_receivers")
def send_no_receivers() -> Comparison:
    from microflask.signals import Signal

    ours, peer, app = Signal(), _blinker_signal(), _App()
    return Comparison(
        ours=lambda: ours.send(app, response=None),
        peer=(lambda: peer.send(app, response=None)) if peer is not None else None,
        peer_name="blinker",
        unit="send",
        target=1.0,
    )


def _receiver(sender: t.Any, **kwargs: t.Any) -> None:
    return None


@scenario("microflask.signals.send_one_receiver")
def send_one_receiver() -> Comparison:
    from microflask.signals import Signal

    ours, peer, app = Signal(), _blinker_signal(), _App()
    ours.connect(_receiver)
    if peer is not None:
        peer.connect(_receiver)
    return Comparison(
        ours=lambda: ours.send(app, response=None),
        peer=(lambda: peer.send(app, response=None)) if peer is not None else None,
        peer_name="blinker",
        unit="send",
        target=1.0,
    )


_MAPPING = {
    "SECRET_KEY": "dev",
    "DEBUG": False,
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 25,
    "lowercase_ignored": 1,
    "UPLOAD_FOLDER": "/tmp/uploads",
    "ITEMS_PER_PAGE": 20,
}


@scenario("microflask.config.from_mapping")
def config_from_mapping() -> Comparison:
    from microflask.config import Config

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        flask_config = try_import("flask.config")
    ours = Config("/srv/app")
    peer = flask_config.Config("/srv/app") if flask_config else None
    return Comparison(
        ours=lambda: ours.from_mapping(_MAPPING, TESTING=True),
        peer=(lambda: peer.from_mapping(_MAPPING, TESTING=True)) if peer is not None else None,
        peer_name="flask",
        unit="call",
        target=1.0,
    )

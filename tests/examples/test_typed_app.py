"""The typed sample app (examples/typed_app) runs: driven with the test
client and the CLI runner. This file is typed and checked with the app
(tests/test_types.py), so the test client's API is checked too."""

from __future__ import annotations

import json
import pathlib
import typing as t

import pytest

from examples.typed_app import create_app
from microflask import Flask
from microflask.testing import FlaskClient


@pytest.fixture
def notes_file(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "instance" / "notes.json"


@pytest.fixture
def app(notes_file: pathlib.Path) -> Flask:
    return create_app({"TESTING": True, "NOTES_PER_PAGE": 2, "NOTES_FILE": str(notes_file)})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def login(client: FlaskClient, username: str = "ann") -> None:
    response = client.post("/auth/login", data={"username": username})
    assert response.status_code == 303


def add_notes(client: FlaskClient, *titles: str) -> list[int]:
    ids = []
    for title in titles:
        response = client.post("/notes/", json={"title": title, "body": f"About {title}."})
        assert response.status_code == 201, response.get_data(as_text=True)
        ids.append(response.get_json()["id"])
    return ids


def titles(client: FlaskClient, query: str) -> list[str]:
    response = client.get(f"/notes/{query}")
    assert response.status_code == 200
    return [note["title"] for note in response.get_json()["notes"]]


def test_index_pages_searches_and_orders(client: FlaskClient) -> None:
    login(client)
    add_notes(client, "apples", "bread", "apricots")
    assert titles(client, "") == ["apples", "bread"]
    assert titles(client, "?page=2") == ["apricots"]
    # type=int: a page that is not a number falls back to the default.
    assert titles(client, "?page=x") == ["apples", "bread"]
    assert titles(client, "?q=AP") == ["apples", "apricots"]
    assert titles(client, "?order=newest") == ["bread", "apples"]
    body = client.get("/notes/?q=ap&page=3").get_json()
    assert body["page"] == 3
    assert body["next"] == "/notes/?page=4&q=ap&order=oldest"


def test_creating_needs_a_login(client: FlaskClient, notes_file: pathlib.Path) -> None:
    response = client.post("/notes/", json={"title": "anonymous"})
    assert response.status_code == 401
    assert response.get_json() == {"error": "Unauthorized", "description": "Log in first."}
    assert not notes_file.exists()


def test_a_created_note_has_a_location_and_is_saved(client: FlaskClient, notes_file: pathlib.Path) -> None:
    login(client)
    response = client.post("/notes/", json={"title": " Groceries ", "body": "milk"})
    assert response.status_code == 201
    assert response.headers["Location"] == "/notes/1"
    assert response.get_json() == {"id": 1, "title": "Groceries", "body": "milk", "author": "ann"}
    assert json.loads(notes_file.read_text()) == [response.get_json()]
    assert client.get("/notes/1").get_json()["title"] == "Groceries"
    assert titles(client, "by/ann") == ["Groceries"]
    assert titles(client, "by/bob") == []


@pytest.mark.parametrize(
    ("body", "description"),
    [
        ([1, 2], "The body must be a JSON object."),
        ({}, "'title' is required."),
        ({"title": 3}, "'title' must be a non-empty string."),
        ({"title": "   "}, "'title' must be a non-empty string."),
        ({"title": "ok", "body": ["no"]}, "'body' must be a string."),
    ],
)
def test_an_invalid_note_is_a_422(client: FlaskClient, body: t.Any, description: str) -> None:
    login(client)
    response = client.post("/notes/", json=body)
    assert response.status_code == 422
    assert response.get_json() == {"error": "Invalid note", "description": description}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/notes/7", 404), ("PUT", "/notes/7", 405), ("GET", "/notes/seven", 404), ("GET", "/nowhere", 404)],
)
def test_http_errors_are_json(client: FlaskClient, method: str, path: str, status: int) -> None:
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.is_json
    assert set(response.get_json()) == {"error", "description"}


def test_only_the_author_changes_or_deletes_a_note(app: Flask) -> None:
    ann, bob = app.test_client(), app.test_client()
    login(ann, "ann")
    login(bob, "bob")
    (note_id,) = add_notes(ann, "mine")
    assert bob.patch(f"/notes/{note_id}", json={"title": "bob's"}).status_code == 403
    assert bob.delete(f"/notes/{note_id}").status_code == 403
    response = ann.patch(f"/notes/{note_id}", json={"body": "edited"})
    assert response.status_code == 200
    assert response.get_json() == {"id": note_id, "title": "mine", "body": "edited", "author": "ann"}
    assert ann.delete(f"/notes/{note_id}").status_code == 204
    assert ann.get(f"/notes/{note_id}").status_code == 404
    # Ids are never reused.
    assert add_notes(ann, "next") == [note_id + 1]


def test_login_flashes_and_redirects_only_within_the_site(client: FlaskClient) -> None:
    response = client.post("/auth/login?next=/notes/by/ann", data={"username": "ann"})
    assert response.headers["Location"] == "/notes/by/ann"
    response = client.post("/auth/login?next=//elsewhere.example/", data={"username": "ann"})
    assert response.headers["Location"] == "/notes/"
    # Logging in starts a new session: the first login's message went with it.
    assert client.get("/auth/me").get_json() == {"user": "ann", "messages": [["message", "Welcome, ann."]]}
    assert client.get("/auth/me").get_json()["messages"] == []


def test_login_needs_a_name_and_logout_forgets_it(client: FlaskClient) -> None:
    response = client.post("/auth/login", data={"username": " "})
    assert response.headers["Location"] == "/auth/me"
    assert client.get("/auth/me").get_json() == {"user": None, "messages": [["error", "A username is required."]]}
    login(client)
    assert client.post("/auth/logout").status_code == 303
    messages = [["message", "Welcome, ann."], ["message", "Logged out."]]
    assert client.get("/auth/me").get_json() == {"user": None, "messages": messages}


def test_flashed_messages_show_on_the_index(client: FlaskClient) -> None:
    login(client)
    assert client.get("/notes/").get_json()["messages"] == ["Welcome, ann."]


def test_answers_are_never_cached(client: FlaskClient) -> None:
    assert client.get("/notes/").headers["Cache-Control"] == "no-store"
    assert client.get("/notes/1").headers["Cache-Control"] == "no-store"


def test_the_seed_command_adds_notes_that_the_next_start_sees(app: Flask, notes_file: pathlib.Path) -> None:
    result = app.test_cli_runner().invoke(args=["seed", "--count", "2", "--author", "bob"])
    assert result.exit_code == 0, result.output
    assert result.output == "Added 2 notes by bob.\n"
    restarted = create_app({"TESTING": True, "NOTES_FILE": str(notes_file)})
    assert titles(restarted.test_client(), "by/bob") == ["Sample note 1", "Sample note 2"]

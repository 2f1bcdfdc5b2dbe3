"""The notes API: list and search (paginated), read, create, edit, delete.

Anyone may read; creating needs a login; editing and deleting are for the
note's author.
"""

# The negative check at the bottom (a call the checkers must refuse) relies
# on unneeded ignores being errors: mypy --strict reports them, and so does
# pyright with this switch.
# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

import typing as t

from microflask import Blueprint
from microflask import Response
from microflask import abort
from microflask import current_app
from microflask import g
from microflask import get_flashed_messages
from microflask import jsonify
from microflask import request
from microflask import url_for
from microflask.views import MethodView

from ._checks import assert_type
from .auth import login_required
from .store import Note
from .store import get_store

bp = Blueprint("notes", __name__, url_prefix="/notes")


class InvalidNote(ValueError):
    """A request body that does not describe a note (answered with 422)."""


@bp.get("/")
def index() -> Response:
    page = request.args.get("page", 1, type=int)
    assert_type(page, int)
    search = request.args.get("q")
    assert_type(search, str | None)
    order = request.args.get("order", "oldest")
    assert_type(order, str)
    g.page = page
    notes = get_store().page(page, current_app.config["NOTES_PER_PAGE"], search)
    if order == "newest":
        notes.reverse()
    response = jsonify(
        notes=[note.to_json() for note in notes],
        page=page,
        next=url_for("notes.index", page=page + 1, q=search, order=order),
        messages=get_flashed_messages(),
    )
    assert_type(response, Response)
    return response


@bp.get("/by/<author>")
def by_author(author: str) -> Response:
    return jsonify(notes=[note.to_json() for note in get_store().by_author(author)])


@bp.post("/")
@login_required
def create() -> tuple[Response, int, dict[str, str]]:
    fields = _note_fields(request.get_json())
    title = fields.get("title")
    if title is None:
        raise InvalidNote("'title' is required.")
    note = get_store().add(title, fields.get("body", ""), g.user)
    location = url_for("notes.item", note_id=note.id)
    assert_type(location, str)
    return jsonify(note.to_json()), 201, {"Location": location}


class NoteItem(MethodView):
    """One note, at ``/notes/<id>``."""

    init_every_request = False

    def get(self, note_id: int) -> Response:
        return jsonify(_note_or_404(note_id).to_json())

    @login_required
    def patch(self, note_id: int) -> Response:
        note = _own_note(note_id)
        fields = _note_fields(request.get_json())
        get_store().update(note, title=fields.get("title"), body=fields.get("body"))
        return jsonify(note.to_json())

    @login_required
    def delete(self, note_id: int) -> tuple[str, int]:
        get_store().delete(_own_note(note_id).id)
        return "", 204


bp.add_url_rule("/<int:note_id>", view_func=NoteItem.as_view("item"))


def _note_or_404(note_id: int) -> Note:
    note = get_store().get(note_id)
    if note is None:
        abort(404, description=f"There is no note {note_id}.")
    assert_type(note, Note)  # abort() never returns
    return note


def _own_note(note_id: int) -> Note:
    note = _note_or_404(note_id)
    if note.author != g.user:
        abort(403, description="Only its author may change a note.")
    return note


def _note_fields(data: t.Any) -> dict[str, str]:
    """The ``title`` and ``body`` of a JSON body, checked."""
    if not isinstance(data, dict):
        raise InvalidNote("The body must be a JSON object.")
    fields: dict[str, str] = {}
    for name in ("title", "body"):
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or (name == "title" and not value.strip()):
            raise InvalidNote(f"{name!r} must be a non-empty string." if name == "title" else f"{name!r} must be a string.")
        fields[name] = value.strip() if name == "title" else value
    return fields


if t.TYPE_CHECKING:
    # Route decorators and login_required hand back the functions they were
    # given: the views are still callable with their own arguments and
    # return what they say, and refuse what their signatures refuse.
    assert_type(index(), Response)
    assert_type(by_author(author="ann"), Response)
    assert_type(create(), tuple[Response, int, dict[str, str]])
    assert_type(NoteItem().patch(note_id=1), Response)
    by_author(1)  # type: ignore[arg-type]  # the checkers must still see by_author(author: str)

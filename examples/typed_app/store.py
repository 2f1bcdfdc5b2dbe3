"""The notes, kept in a JSON file: one :class:`NoteStore` per application."""

from __future__ import annotations

import dataclasses
import json
import os
import typing as t

from microflask import current_app


@dataclasses.dataclass
class Note:
    id: int
    title: str
    body: str
    author: str

    def to_json(self) -> dict[str, t.Any]:
        return dataclasses.asdict(self)


class NoteStore:
    """Notes by id, oldest first, saved to ``path`` after every change
    (``None``: kept in memory only)."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._notes: dict[int, Note] = {}
        self._next_id = 1
        if path is not None and os.path.exists(path):
            with open(path, encoding="utf-8") as file:
                for fields in json.load(file):
                    note = Note(**fields)
                    self._notes[note.id] = note
            self._next_id = max(self._notes, default=0) + 1

    def add(self, title: str, body: str, author: str) -> Note:
        note = Note(self._next_id, title, body, author)
        self._notes[note.id] = note
        self._next_id += 1
        self._save()
        return note

    def get(self, note_id: int) -> Note | None:
        return self._notes.get(note_id)

    def by_author(self, author: str) -> list[Note]:
        return [note for note in self._notes.values() if note.author == author]

    def page(self, number: int, per_page: int, search: str | None = None) -> list[Note]:
        """The ``number``-th page (from 1) of the notes whose title contains ``search``."""
        notes = [n for n in self._notes.values() if search is None or search.lower() in n.title.lower()]
        start = max(number - 1, 0) * per_page
        return notes[start : start + per_page]

    def update(self, note: Note, title: str | None = None, body: str | None = None) -> None:
        if title is not None:
            note.title = title
        if body is not None:
            note.body = body
        self._save()

    def delete(self, note_id: int) -> bool:
        found = self._notes.pop(note_id, None) is not None
        self._save()
        return found

    def _save(self) -> None:
        if self.path is None:
            return
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        with open(self.path, "w", encoding="utf-8") as file:
            json.dump([note.to_json() for note in self._notes.values()], file, indent=1)


def get_store() -> NoteStore:
    """The current application's store (``create_app`` puts it in ``app.extensions``)."""
    store: NoteStore = current_app.extensions["notes"]
    return store

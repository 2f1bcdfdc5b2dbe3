"""Posts: the list on the front page, one post's page, and writing,
editing and deleting your own posts.

Anyone may read; writing needs an account (:func:`~.auth.login_required`),
and only a post's author may change or delete it (:func:`get_post` answers
403 to anyone else, 404 for an id that doesn't exist).
"""

from __future__ import annotations

import sqlite3
import typing as t

from microflask import Blueprint
from microflask import abort
from microflask import flash
from microflask import g
from microflask import redirect
from microflask import render_template
from microflask import request
from microflask import url_for

from .auth import login_required
from .db import get_db

bp = Blueprint("blog", __name__)

#: The longest title accepted.
MAX_TITLE_LENGTH = 200
#: The longest body accepted (about twenty pages of text).
MAX_BODY_LENGTH = 50_000

#: sqlite's largest integer: a bigger id in the URL can't name a post (and
#: would make sqlite3 raise OverflowError instead of finding nothing).
MAX_ID = 2**63 - 1

#: The columns every page shows, with the author's name joined in.
POST_QUERY = (
    "SELECT p.id, p.title, p.body, p.created, p.author_id, u.username"
    " FROM post p JOIN user u ON p.author_id = u.id"
)


@bp.route("/")
def index() -> t.Any:
    """Every post, newest first."""
    posts = get_db().execute(POST_QUERY + " ORDER BY p.created DESC, p.id DESC").fetchall()
    return render_template("blog/index.html", posts=posts)


def get_post(post_id: int, check_author: bool = True) -> sqlite3.Row:
    """The post with ``post_id`` and its author's name.

    :param check_author: refuse (403) unless the logged-in user wrote it.
    :raise NotFound: no such post.
    :raise Forbidden: ``check_author`` and someone else's post.
    """
    post = None
    if post_id <= MAX_ID:
        post = get_db().execute(POST_QUERY + " WHERE p.id = ?", (post_id,)).fetchone()
    if post is None:
        abort(404, f"There is no post with id {post_id}.")
    if check_author and (g.user is None or post["author_id"] != g.user["id"]):
        abort(403, "Only the author of a post can change it.")
    return t.cast(sqlite3.Row, post)


@bp.route("/<int:post_id>")
def show(post_id: int) -> t.Any:
    """One post on its own page."""
    return render_template("blog/show.html", post=get_post(post_id, check_author=False))


def read_post_form() -> tuple[str, str, list[str]]:
    """The submitted title and body, and what is wrong with them."""
    title = request.form.get("title", "").strip()
    body = request.form.get("body", "").strip()
    errors = []
    if not title:
        errors.append("Title is required.")
    elif len(title) > MAX_TITLE_LENGTH:
        errors.append(f"Title must be at most {MAX_TITLE_LENGTH} characters (it has {len(title)}).")
    if len(body) > MAX_BODY_LENGTH:
        errors.append(f"The text must be at most {MAX_BODY_LENGTH} characters (it has {len(body)}).")
    return title, body, errors


@bp.route("/create", methods=("GET", "POST"))
@login_required
def create() -> t.Any:
    """The new-post form; a valid POST stores the post and shows it."""
    title = body = ""
    errors: list[str] = []
    if request.method == "POST":
        title, body, errors = read_post_form()
        if not errors:
            db = get_db()
            cursor = db.execute(
                "INSERT INTO post (title, body, author_id) VALUES (?, ?, ?)",
                (title, body, g.user["id"]),
            )
            db.commit()
            flash("Your post is published.", "success")
            return redirect(url_for("blog.show", post_id=cursor.lastrowid))
    status = 400 if errors else 200
    return render_template("blog/create.html", title=title, body=body, errors=errors), status


@bp.route("/<int:post_id>/update", methods=("GET", "POST"))
@login_required
def update(post_id: int) -> t.Any:
    """The edit form for one of your posts; a valid POST saves the changes."""
    post = get_post(post_id)
    title, body = post["title"], post["body"]
    errors: list[str] = []
    if request.method == "POST":
        title, body, errors = read_post_form()
        if not errors:
            db = get_db()
            db.execute("UPDATE post SET title = ?, body = ? WHERE id = ?", (title, body, post_id))
            db.commit()
            flash("Your changes are saved.", "success")
            return redirect(url_for("blog.show", post_id=post_id))
    status = 400 if errors else 200
    return render_template("blog/update.html", post=post, title=title, body=body, errors=errors), status


@bp.route("/<int:post_id>/delete", methods=("POST",))
@login_required
def delete(post_id: int) -> t.Any:
    """Delete one of your posts."""
    get_post(post_id)
    db = get_db()
    db.execute("DELETE FROM post WHERE id = ?", (post_id,))
    db.commit()
    flash("The post is deleted.", "success")
    return redirect(url_for("blog.index"))

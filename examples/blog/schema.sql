-- The blog's tables. Every start runs this file under one write lock
-- (see db.ensure_db), so it only creates what is missing; `init-db` drops
-- the tables first and then runs it.

CREATE TABLE IF NOT EXISTS user (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT UNIQUE NOT NULL,
  password TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS post (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  author_id INTEGER NOT NULL REFERENCES user (id),
  -- UTC, minute precision, as text: read back as a plain string, so no
  -- sqlite3 type converter is involved.
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M', 'now')),
  title TEXT NOT NULL,
  body TEXT NOT NULL
);

-- The blog's tables. `init-db` runs this whole file, so it starts by
-- dropping what a previous run created; the application runs it by itself
-- only when the database has no tables yet.
DROP TABLE IF EXISTS post;
DROP TABLE IF EXISTS user;

CREATE TABLE user (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT UNIQUE NOT NULL,
  password TEXT NOT NULL
);

CREATE TABLE post (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  author_id INTEGER NOT NULL REFERENCES user (id),
  -- UTC, minute precision, as text: read back as a plain string, so no
  -- sqlite3 type converter is involved.
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M', 'now')),
  title TEXT NOT NULL,
  body TEXT NOT NULL
);

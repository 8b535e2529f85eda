-- 001: documents and the change sequence.
--
-- Migrations are applied in file-name order at open, each in its own transaction, and
-- recorded in PRAGMA user_version (the number before the first '_' of the file name).

-- The change sequence: one row holding the highest number handed out so far. Every write
-- of a document increments it inside the writing transaction and stamps the document with
-- the new value, so numbers follow commit order (there is one writer at a time). A number
-- is never handed out twice: deleting or replacing documents never lowers the counter, and
-- an increment rolled back with its transaction was never visible to anyone. (MAX(seq) of
-- the documents would not do: it can fall when the newest row goes away.)
CREATE TABLE sequence (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL CHECK (value >= 0)
);
INSERT INTO sequence (id, value) VALUES (1, 0);

CREATE TABLE documents (
  id          TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
  title       TEXT NOT NULL CHECK (title <> ''),
  date        TEXT NOT NULL DEFAULT '',   -- 'YYYY-MM-DD', 'YYYY' or ''
  category    TEXT NOT NULL DEFAULT '',
  subcategory TEXT NOT NULL DEFAULT '',
  source      TEXT NOT NULL DEFAULT '',
  url         TEXT NOT NULL DEFAULT '',
  seq         INTEGER NOT NULL UNIQUE,    -- change sequence number of the latest write
  views       INTEGER NOT NULL DEFAULT 0 CHECK (views >= 0),
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  created_at  TEXT NOT NULL,              -- 'YYYY-MM-DD HH:MM:SS' UTC
  updated_at  TEXT NOT NULL,
  -- Last, so reading the columns above never walks the overflow pages of a long text.
  content     TEXT NOT NULL DEFAULT ''    -- paragraphs joined by '\n'
);

-- Listings only ever show live documents, so the listing indexes are partial. Each one
-- matches an ORDER BY of SqliteStore::list (ties broken by seq for stable paging).
CREATE INDEX documents_newest ON documents (date DESC, created_at DESC, seq DESC)
  WHERE deleted = 0;
CREATE INDEX documents_category_newest
  ON documents (category, date DESC, created_at DESC, seq DESC) WHERE deleted = 0;
CREATE INDEX documents_most_viewed ON documents (views DESC, seq DESC) WHERE deleted = 0;
CREATE INDEX documents_category_most_viewed ON documents (category, views DESC, seq DESC)
  WHERE deleted = 0;

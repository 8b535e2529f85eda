-- 004: site data (issue 6): counted views per day, the admin's categories and 专题
-- collections, 联系客服 feedback, site settings and uploaded site files. None of it carries a
-- change sequence number except where it moves documents (a category rename rewrites them).

-- Counted views per document and calendar day ('YYYY-MM-DD', the server's local day): the
-- source of hot lists (a window of recent days) and of the dashboard's chart. documents.views
-- keeps the all-time total. One row per (day, document) that had views, so ~23k documents
-- stay within ~1M rows for over a month of full traffic. The primary key leads with the day:
-- hot() and views_per_day() read one contiguous range of it, and as the table is WITHOUT
-- ROWID that range holds `views` too (no second lookup per row).
CREATE TABLE view_days (
  day   TEXT NOT NULL,
  id    TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  views INTEGER NOT NULL CHECK (views > 0),
  PRIMARY KEY (day, id)
) WITHOUT ROWID;
-- For the cascade when a document row goes away.
CREATE INDEX view_days_id ON view_days (id);

-- Which visitor was already counted for which document on which day, so that a visitor
-- counts once per document per day across server processes and restarts: add_views counts an
-- event only when its INSERT OR IGNORE here adds a row. Only the current day and the one or two
-- before it can still receive events, so add_views deletes days older than that.
CREATE TABLE view_seen (
  day     TEXT NOT NULL,
  id      TEXT NOT NULL,
  visitor TEXT NOT NULL,
  PRIMARY KEY (day, id, visitor)
) WITHOUT ROWID;

-- documents_per_day(): the documents created on recent days, without scanning the texts.
CREATE INDEX documents_created ON documents (created_at);
-- list() of the 回收站 (soft-deleted documents) in its default order; few rows.
CREATE INDEX documents_deleted_newest ON documents (date DESC, created_at DESC, seq DESC)
  WHERE deleted = 1;

-- Categories the admin defined or ordered. A category exists by being used by documents
-- (documents.category); a row here only adds a display position, or keeps a category that
-- has no documents yet. '' is 未分类, which may be ordered but not created.
CREATE TABLE categories (
  name     TEXT PRIMARY KEY NOT NULL,
  position INTEGER NOT NULL
) WITHOUT ROWID;

-- 专题 collections: curated, ordered lists of documents, shown at /topic/{slug}.
CREATE TABLE collections (
  slug        TEXT PRIMARY KEY NOT NULL CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),
  title       TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  position    INTEGER NOT NULL DEFAULT 0  -- display order on the home page
) WITHOUT ROWID;
-- The documents of each collection in their curated order (position ascending); a document
-- appears at most once per collection. Rows of soft-deleted documents stay (restoring the
-- document brings it back) but are not read.
CREATE TABLE collection_docs (
  slug     TEXT NOT NULL REFERENCES collections (slug) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  id       TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  PRIMARY KEY (slug, position),
  UNIQUE (slug, id)
) WITHOUT ROWID;
CREATE INDEX collection_docs_id ON collection_docs (id);

-- Messages left through 联系客服, newest (highest id) first in the admin's list.
CREATE TABLE feedback (
  id         INTEGER PRIMARY KEY,
  contact    TEXT NOT NULL DEFAULT '',
  message    TEXT NOT NULL,
  created_at TEXT NOT NULL,             -- 'YYYY-MM-DD HH:MM:SS' UTC
  client     TEXT NOT NULL DEFAULT '',  -- opaque client key, for rate limiting only
  handled    INTEGER NOT NULL DEFAULT 0 CHECK (handled IN (0, 1))
);
CREATE INDEX feedback_unhandled ON feedback (id) WHERE handled = 0;
CREATE INDEX feedback_client ON feedback (client, created_at);

-- The admin's review list of near-duplicate links (similar_docs of 003), closest first.
CREATE INDEX similar_docs_distance ON similar_docs (distance, a, b);

-- Site settings chosen by the web layer (key -> value).
CREATE TABLE settings (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Files the admin uploaded for the site (the 微信订阅号 QR image, ...), raw bytes.
CREATE TABLE site_files (
  name         TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),
  content_type TEXT NOT NULL,
  data         BLOB NOT NULL,
  updated_at   TEXT NOT NULL            -- 'YYYY-MM-DD HH:MM:SS' UTC
);

-- One row counting changes to settings and site files: every server process caches them and
-- re-reads only when this number moved, one cheap read per check.
CREATE TABLE settings_version (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL CHECK (value >= 0)
);
INSERT INTO settings_version (id, value) VALUES (1, 0);

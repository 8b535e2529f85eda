-- 007: what the import clean-up (io::clean_up) moved out of a document's text, and whether its
-- title was derived from the text rather than given by it (issue 18): doc::Document's
-- source_note ('' when nothing was moved) and title_derived (0 or 1).
--
-- The table is rebuilt as in 006_accounts.sql, not altered: ALTER TABLE ADD COLUMN would put
-- the columns after `content`, and reading them would then walk every overflow page of a long
-- text, which get_text and stamp exist to avoid (001_init.sql). Rowids are kept, so the rows
-- of the other tables that refer to documents refer to the same ones.
CREATE TABLE documents_007 (
  id            TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
  title         TEXT NOT NULL CHECK (title <> ''),
  date          TEXT NOT NULL DEFAULT '',   -- 'YYYY-MM-DD', 'YYYY' or ''
  category      TEXT NOT NULL DEFAULT '',
  subcategory   TEXT NOT NULL DEFAULT '',
  source        TEXT NOT NULL DEFAULT '',
  url           TEXT NOT NULL DEFAULT '',
  seq           INTEGER NOT NULL UNIQUE,    -- change sequence number of the latest write
  views         INTEGER NOT NULL DEFAULT 0 CHECK (views >= 0),
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  visibility    TEXT NOT NULL DEFAULT 'members' CHECK (visibility IN ('public', 'members', 'vip')),
  title_derived INTEGER NOT NULL DEFAULT 0 CHECK (title_derived IN (0, 1)),
  source_note   TEXT NOT NULL DEFAULT '',   -- lines joined by '\n'
  created_at    TEXT NOT NULL,              -- 'YYYY-MM-DD HH:MM:SS' UTC
  updated_at    TEXT NOT NULL,
  -- Last, so reading the columns above never walks the overflow pages of a long text.
  content       TEXT NOT NULL DEFAULT ''    -- paragraphs joined by '\n'
);
INSERT INTO documents_007 (rowid, id, title, date, category, subcategory, source, url, seq, views,
                           deleted, visibility, created_at, updated_at, content)
  SELECT rowid, id, title, date, category, subcategory, source, url, seq, views, deleted,
         visibility, created_at, updated_at, content
  FROM documents;
DROP TABLE documents;
ALTER TABLE documents_007 RENAME TO documents;
-- The indexes of 006_accounts.sql, gone with the old table.
CREATE INDEX documents_newest ON documents (date DESC, created_at DESC, seq DESC)
  WHERE deleted = 0;
CREATE INDEX documents_category_newest
  ON documents (category, date DESC, created_at DESC, seq DESC) WHERE deleted = 0;
CREATE INDEX documents_most_viewed ON documents (views DESC, seq DESC) WHERE deleted = 0;
CREATE INDEX documents_category_most_viewed ON documents (category, views DESC, seq DESC)
  WHERE deleted = 0;
CREATE INDEX documents_created ON documents (created_at);
CREATE INDEX documents_deleted_newest ON documents (date DESC, created_at DESC, seq DESC)
  WHERE deleted = 1;

-- 006: per-document visibility and member accounts (issue 17): accounts, their login sessions,
-- failed logins for throttling, 我的收藏 and 阅读历史.

-- Who may read each document's whole text (doc::Visibility): 'public' (公开, guests too),
-- 'members' (登录可读) or 'vip' (会员专享). 'members' is the default, the login wall every
-- document stored before this migration already had. Only Store::set_visibility changes it.
--
-- The table is rebuilt, not altered: ALTER TABLE ADD COLUMN would put the column after
-- `content`, and reading it would then walk every overflow page of a long text, which
-- get_text and stamp exist to avoid (001_init.sql). sqlite::migrate applies migrations with
-- foreign keys off, so dropping the old table deletes no row referring to it (the rows of
-- doc_features, doc_keywords, similar_docs, view_days and collection_docs name the new table
-- once it is renamed), and checks the keys before committing. Rowids are kept.
CREATE TABLE documents_006 (
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
  visibility  TEXT NOT NULL DEFAULT 'members' CHECK (visibility IN ('public', 'members', 'vip')),
  created_at  TEXT NOT NULL,              -- 'YYYY-MM-DD HH:MM:SS' UTC
  updated_at  TEXT NOT NULL,
  -- Last, so reading the columns above never walks the overflow pages of a long text.
  content     TEXT NOT NULL DEFAULT ''    -- paragraphs joined by '\n'
);
INSERT INTO documents_006 (rowid, id, title, date, category, subcategory, source, url, seq, views,
                           deleted, created_at, updated_at, content)
  SELECT rowid, id, title, date, category, subcategory, source, url, seq, views, deleted,
         created_at, updated_at, content
  FROM documents;
DROP TABLE documents;
ALTER TABLE documents_006 RENAME TO documents;
-- The indexes of 001_init.sql and 004_site.sql, gone with the old table.
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

-- Site accounts. Names are unique byte for byte (the BINARY collation); the web layer
-- validates and normalises them before they get here. Only a password's crypto_pwhash_str
-- hash is kept. A 'vip' role lapses after vip_until ('YYYY-MM-DD'; '' never), which readers
-- check: the row is not rewritten when it lapses.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE CHECK (name <> ''),
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'vip', 'admin')),
  vip_until     TEXT NOT NULL DEFAULT '',
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    TEXT NOT NULL,              -- 'YYYY-MM-DD HH:MM:SS' UTC
  last_login_at TEXT NOT NULL DEFAULT ''    -- same format; '' before the first login
);

-- Login sessions, shared by every server process: a request's cookie token is hashed and
-- looked up here, so logging out or disabling an account ends its sessions everywhere at once.
-- Only the token's hash is kept, so a copy of the database opens no session. Times are Unix
-- seconds; expires_at is the absolute end, which the web layer checks and
-- delete_expired_sessions clears.
CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY NOT NULL CHECK (token_hash <> ''),
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  user_agent   TEXT NOT NULL DEFAULT ''   -- as sent at login, shown on /me
) WITHOUT ROWID;
-- An account's sessions (/me, logging out elsewhere, disabling).
CREATE INDEX sessions_user ON sessions (user_id);
-- delete_expired_sessions.
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed logins per throttle key ('user:NAME', 'client:HASH', ...), one row each, so every
-- server process counts the same failures (a per-process counter would let N workers allow N
-- times the attempts). Throttling only looks back a short while, so add_login_failure deletes
-- rows older than a day, of every key: keys tried once and never again would pile up otherwise.
CREATE TABLE login_failures (
  key TEXT NOT NULL,
  at  INTEGER NOT NULL  -- Unix seconds
);
-- login_failures(key, since): one range per key.
CREATE INDEX login_failures_key_at ON login_failures (key, at);
-- The pruning by age.
CREATE INDEX login_failures_at ON login_failures (at);

-- 我的收藏: documents a member keeps, with when each was added (or last re-added). Rows of
-- soft-deleted documents stay (restoring the document brings them back) but are not listed.
CREATE TABLE favorites (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  doc_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  at      INTEGER NOT NULL,  -- Unix seconds
  PRIMARY KEY (user_id, doc_id)
) WITHOUT ROWID;
-- A member's list, newest first (doc_id breaks ties so pages neither repeat nor skip rows).
CREATE INDEX favorites_newest ON favorites (user_id, at DESC, doc_id);
-- For the cascade when a document row goes away.
CREATE INDEX favorites_doc ON favorites (doc_id);

-- 阅读历史: one row per (member, document), re-dated on every read, at most
-- store::kMaxHistory rows per member (add_history deletes the oldest beyond that). Rows of
-- soft-deleted documents stay but are not listed, as for favorites.
CREATE TABLE history (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  doc_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  at      INTEGER NOT NULL,  -- Unix seconds of the latest read
  PRIMARY KEY (user_id, doc_id)
) WITHOUT ROWID;
CREATE INDEX history_newest ON history (user_id, at DESC, doc_id);
CREATE INDEX history_doc ON history (doc_id);

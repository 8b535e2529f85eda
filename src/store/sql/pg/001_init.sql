-- The PostgreSQL schema of the store: the same tables, keys and checks as the SQLite schema
-- after its migrations 001–009 (src/store/sql/), in PostgreSQL's types. Every text column
-- compares byte by byte (COLLATE "C"), as SQLite's do, so orders and the a < b rule of
-- similar_docs agree with the program's std::string order whatever the database's locale.
-- Times are text 'YYYY-MM-DD HH:MM:SS' UTC as in SQLite (wenku_now()).

CREATE FUNCTION wenku_now() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') $$;

-- The change sequence: one row, whose lock also orders the writers of documents (a writer
-- takes its numbers at the start of its transaction and holds the row until it commits, so
-- transactions commit in the order of their numbers: a follower reading seq > N never skips a
-- number that commits later).
CREATE TABLE sequence (
  id    integer PRIMARY KEY CHECK (id = 1),
  value bigint NOT NULL CHECK (value >= 0)
);
INSERT INTO sequence (id, value) VALUES (1, 0);

CREATE TABLE documents (
  id            text COLLATE "C" PRIMARY KEY CHECK (id <> ''),
  title         text COLLATE "C" NOT NULL CHECK (title <> ''),
  date          text COLLATE "C" NOT NULL DEFAULT '',   -- 'YYYY-MM-DD', 'YYYY' or ''
  category      text COLLATE "C" NOT NULL DEFAULT '',
  subcategory   text COLLATE "C" NOT NULL DEFAULT '',
  source        text COLLATE "C" NOT NULL DEFAULT '',
  url           text COLLATE "C" NOT NULL DEFAULT '',
  seq           bigint NOT NULL UNIQUE,                 -- change sequence number of the latest write
  views         bigint NOT NULL DEFAULT 0 CHECK (views >= 0),
  deleted       boolean NOT NULL DEFAULT false,
  visibility    text COLLATE "C" NOT NULL DEFAULT 'members'
                CHECK (visibility IN ('public', 'members', 'vip')),
  title_derived boolean NOT NULL DEFAULT false,
  source_note   text COLLATE "C" NOT NULL DEFAULT '',   -- lines joined by '\n'
  created_at    text COLLATE "C" NOT NULL,              -- 'YYYY-MM-DD HH:MM:SS' UTC
  updated_at    text COLLATE "C" NOT NULL,
  content       text COLLATE "C" NOT NULL DEFAULT ''    -- paragraphs joined by '\n'
);
-- Uncompressed out-of-line storage, so the opening of a long text (get_text for lists of
-- hits) is read as a slice, without reading and decompressing the whole value.
ALTER TABLE documents ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE INDEX documents_newest ON documents (date DESC, created_at DESC, seq DESC)
  WHERE NOT deleted;
CREATE INDEX documents_category_newest
  ON documents (category, date DESC, created_at DESC, seq DESC) WHERE NOT deleted;
CREATE INDEX documents_most_viewed ON documents (views DESC, seq DESC) WHERE NOT deleted;
CREATE INDEX documents_category_most_viewed ON documents (category, views DESC, seq DESC)
  WHERE NOT deleted;
CREATE INDEX documents_created ON documents (created_at);
CREATE INDEX documents_deleted_newest ON documents (date DESC, created_at DESC, seq DESC)
  WHERE deleted;

CREATE TABLE doc_features (
  id       text COLLATE "C" PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  simhash  bigint NOT NULL DEFAULT 0,             -- 64-bit SimHash as its two's-complement int64
  analysis text COLLATE "C" NOT NULL DEFAULT ''   -- JSON: outline, template, tasks
);

CREATE TABLE doc_keywords (
  id       text COLLATE "C" PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  keywords text COLLATE "C" NOT NULL DEFAULT '[]'  -- JSON array of strings, best first
);

CREATE TABLE similar_docs (
  a        text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  b        text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  distance integer NOT NULL CHECK (distance BETWEEN 0 AND 64),  -- Hamming distance
  PRIMARY KEY (a, b),
  CHECK (a < b)
);
CREATE INDEX similar_docs_b ON similar_docs (b);
CREATE INDEX similar_docs_distance ON similar_docs (distance, a, b);

CREATE TABLE word_df (
  word text COLLATE "C" PRIMARY KEY,
  df   bigint NOT NULL CHECK (df > 0)
);
CREATE TABLE word_df_documents (
  id        integer PRIMARY KEY CHECK (id = 1),
  documents bigint NOT NULL CHECK (documents >= 0),
  version   bigint NOT NULL DEFAULT 0
);
INSERT INTO word_df_documents (id, documents) VALUES (1, 0);

CREATE TABLE view_days (
  day   text COLLATE "C" NOT NULL,
  id    text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  views bigint NOT NULL CHECK (views > 0),
  PRIMARY KEY (day, id)
);
CREATE INDEX view_days_id ON view_days (id);
CREATE TABLE view_seen (
  day     text COLLATE "C" NOT NULL,
  id      text COLLATE "C" NOT NULL,
  visitor text COLLATE "C" NOT NULL,
  PRIMARY KEY (day, id, visitor)
);

CREATE TABLE categories (
  name     text COLLATE "C" PRIMARY KEY,
  position integer NOT NULL
);
CREATE TABLE category_kinds (
  name text COLLATE "C" PRIMARY KEY,  -- '' is 未分类
  kind text COLLATE "C" NOT NULL CHECK (kind IN ('model', 'reference'))
);
-- The defaults, as in SQLite's 008_category_kind.sql.
INSERT INTO category_kinds (name, kind) VALUES
  ('新闻联播', 'reference'),
  ('典型案例', 'reference'),
  ('法律', 'reference'),
  ('行政法规', 'reference'),
  ('地方性法规', 'reference'),
  ('司法解释', 'reference'),
  ('部门规章', 'reference');

CREATE TABLE collections (
  slug        text COLLATE "C" PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]+$'),
  title       text COLLATE "C" NOT NULL,
  description text COLLATE "C" NOT NULL DEFAULT '',
  position    integer NOT NULL DEFAULT 0
);
CREATE TABLE collection_docs (
  slug     text COLLATE "C" NOT NULL REFERENCES collections (slug) ON DELETE CASCADE,
  position integer NOT NULL,
  id       text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  PRIMARY KEY (slug, position),
  UNIQUE (slug, id)
);
CREATE INDEX collection_docs_id ON collection_docs (id);

CREATE TABLE feedback (
  id         bigserial PRIMARY KEY,
  contact    text COLLATE "C" NOT NULL DEFAULT '',
  message    text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  client     text COLLATE "C" NOT NULL DEFAULT '',
  handled    boolean NOT NULL DEFAULT false
);
CREATE INDEX feedback_unhandled ON feedback (id) WHERE NOT handled;
CREATE INDEX feedback_client ON feedback (client, created_at);

CREATE TABLE settings (
  key   text COLLATE "C" PRIMARY KEY,
  value text COLLATE "C" NOT NULL
);
CREATE TABLE settings_version (
  id    integer PRIMARY KEY CHECK (id = 1),
  value bigint NOT NULL CHECK (value >= 0)
);
INSERT INTO settings_version (id, value) VALUES (1, 0);
CREATE TABLE site_files (
  name         text COLLATE "C" PRIMARY KEY CHECK (name <> ''),
  content_type text COLLATE "C" NOT NULL,
  data         bytea NOT NULL,
  updated_at   text COLLATE "C" NOT NULL
);

CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  name          text COLLATE "C" NOT NULL UNIQUE CHECK (name <> ''),
  password_hash text COLLATE "C" NOT NULL,
  role          text COLLATE "C" NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'vip', 'admin')),
  vip_until     text COLLATE "C" NOT NULL DEFAULT '',
  disabled      boolean NOT NULL DEFAULT false,
  created_at    text COLLATE "C" NOT NULL,
  last_login_at text COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TABLE sessions (
  token_hash   text COLLATE "C" PRIMARY KEY CHECK (token_hash <> ''),
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  expires_at   bigint NOT NULL,
  user_agent   text COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE TABLE login_failures (
  key text COLLATE "C" NOT NULL,
  at  bigint NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
CREATE INDEX login_failures_at ON login_failures (at);
CREATE TABLE favorites (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  doc_id  text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  at      bigint NOT NULL,
  PRIMARY KEY (user_id, doc_id)
);
CREATE INDEX favorites_newest ON favorites (user_id, at DESC, doc_id);
CREATE INDEX favorites_doc ON favorites (doc_id);
CREATE TABLE history (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  doc_id  text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  at      bigint NOT NULL,
  PRIMARY KEY (user_id, doc_id)
);
CREATE INDEX history_newest ON history (user_id, at DESC, doc_id);
CREATE INDEX history_doc ON history (doc_id);

-- 005: keywords in a table of their own. They are rewritten for every document after an
-- import and by `wenku keywords`; in doc_features that rewrote each whole row, the analysis
-- with it (SQLite writes rows whole): ~120 MB of analysis for ~2.5 MB of keywords on the
-- corpus.
CREATE TABLE doc_keywords (
  id       TEXT PRIMARY KEY NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  keywords TEXT NOT NULL DEFAULT '[]'  -- JSON array of strings, best first
) WITHOUT ROWID;
INSERT INTO doc_keywords (id, keywords) SELECT id, keywords FROM doc_features;
ALTER TABLE doc_features DROP COLUMN keywords;

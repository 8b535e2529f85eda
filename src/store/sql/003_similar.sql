-- 003: near-duplicate links (相似文档) and the library's word document frequencies.

-- Pairs of documents whose SimHashes (doc_features.simhash) differ in few bits, found at
-- import. Each pair is stored once, with a < b; both directions are read through
-- Store::similar.
CREATE TABLE similar_docs (
  a        TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  b        TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  distance INTEGER NOT NULL CHECK (distance BETWEEN 0 AND 64),  -- Hamming distance
  PRIMARY KEY (a, b),
  CHECK (a < b)
) WITHOUT ROWID;
CREATE INDEX similar_docs_b ON similar_docs (b);

-- Document frequencies of word keys (text::normalize_key form) over the library's live
-- documents, the IDF source of keyword extraction. Recomputed as a whole (`wenku keywords`,
-- or after an import that changed the library's size a lot), never edited row by row.
CREATE TABLE word_df (
  word TEXT PRIMARY KEY NOT NULL,
  df   INTEGER NOT NULL CHECK (df > 0)
) WITHOUT ROWID;
-- The number of documents word_df was counted over (one row).
CREATE TABLE word_df_documents (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  documents INTEGER NOT NULL CHECK (documents >= 0)
);
INSERT INTO word_df_documents (id, documents) VALUES (1, 0);

-- 002: features derived from each document's text at import (keywords, SimHash, analysis).
--
-- Kept apart from `documents` so that scanning every SimHash (near-duplicate checks) never
-- reads the long texts, and so that features can be recomputed without touching the text.
CREATE TABLE doc_features (
  id       TEXT PRIMARY KEY NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  keywords TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings, best first
  simhash  INTEGER NOT NULL DEFAULT 0,  -- 64-bit SimHash stored as its two's-complement int64
  analysis TEXT NOT NULL DEFAULT ''     -- JSON: outline, template, tasks (doc::analysis_to_json)
);

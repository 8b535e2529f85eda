-- 009: a version of the stored word document frequencies, raised by every replacement, so
-- that each process keeping a copy of them (a server worker's keyword extraction) can tell
-- with one cheap read that another process (the server's follower, `wenku import`,
-- `wenku keywords`) has replaced them.
ALTER TABLE word_df_documents ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

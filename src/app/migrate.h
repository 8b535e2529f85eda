// `wenku migrate --from URL --to URL`: a whole library copied from one database to another
// (SQLite to PostgreSQL and back, store::copy_library), verified table by table.
#pragma once

#include <string>

namespace wenku::app {

// Copies the library at `from` into the empty library at `to` (database URLs: sqlite:PATH or
// postgresql://…) with store::copy_library, drawing a progress bar on standard error (one
// line per table copied when standard error is not a terminal). Then prints to standard
// output the verification — every table's row count on both sides, its checksum and OK or
// MISMATCH — and that the search index is not copied (each node builds it from the
// database). Returns the exit status: 0 when every table matches, 1 on any mismatch (the
// copy stays committed; the message says not to use it). Throws what copy_library throws:
// std::invalid_argument for a bad URL, store::CopyRefused when the destination is not empty
// (nothing changed), store::StoreError when a database fails (the destination is left as it
// was).
int migrate_command(const std::string& from, const std::string& to);

}  // namespace wenku::app

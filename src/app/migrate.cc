#include "app/migrate.h"

#include <fmt/format.h>

#include <cstdio>
#include <string_view>

#include "app/progress.h"
#include "store/copy.h"

namespace wenku::app {

int migrate_command(const std::string& from, const std::string& to) {
  fmt::print("migrating {} -> {}\n", store::redact_url(from), store::redact_url(to));
  std::fflush(stdout);
  ProgressBar bar(stderr, "rows");
  std::string last_reported;
  const auto report = store::copy_library(from, to, [&](const store::CopyProgress& p) {
    bar.update(static_cast<std::uint64_t>(p.rows), static_cast<std::uint64_t>(p.total),
               static_cast<std::uint64_t>(p.rows));
    // Without a terminal, one line per table as it is done.
    if (!bar.enabled() && p.table_rows == p.table_total && p.table != last_reported) {
      last_reported = p.table;
      fmt::print(stderr, "copied {}: {} rows\n", p.table, p.table_rows);
    }
  });
  bar.finish();
  fmt::print("copied {} rows in {:.1f} s (one transaction); verified in {:.1f} s:\n", report.rows,
             report.copy_seconds, report.verify_seconds);
  fmt::print("{:<18} {:>12} {:>12}  {:<32}  {}\n", "table", "source rows", "copied rows",
             "checksum (XXH3-128)", "result");
  std::size_t mismatches = 0;
  for (const auto& t : report.tables) {
    const bool ok = t.ok();
    if (!ok) ++mismatches;
    fmt::print("{:<18} {:>12} {:>12}  {:<32}  {}\n", t.source.table, t.source.rows,
               t.destination.rows, t.source.checksum,
               ok ? std::string("OK")
                  : fmt::format("MISMATCH (destination: {})",
                                t.destination.checksum.empty() ? "-" : t.destination.checksum));
  }
  if (mismatches > 0) {
    fmt::print(
        "MISMATCH in {} of {} tables: the destination differs from the source; do not use it\n",
        mismatches, report.tables.size());
    return 1;
  }
  fmt::print("all {} tables match\n", report.tables.size());
  fmt::print(
      "the search index is not copied: each node builds it from the database when it opens the "
      "library (wenku serve --db …), or run `wenku reindex --data DIR --db {}`\n",
      store::redact_url(to));
  return 0;
}

}  // namespace wenku::app

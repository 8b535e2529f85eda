#include "app/cli.h"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "app/backup.h"
#include "app/enricher.h"
#include "app/ingest.h"
#include "app/library.h"
#include "app/migrate.h"
#include "app/progress.h"
#include "app/users.h"
#include "app/workers.h"
#include "doc/analysis.h"
#include "doc/tasks.h"
#include "io/cleanup.h"
#include "io/export.h"
#include "io/import.h"
#include "io/word.h"
#include "search/searcher.h"
#include "text/segmenter.h"
#include "text/utf8.h"
#include "web/admin/admin.h"
#include "web/server.h"

namespace wenku::app {

namespace {

namespace fs = std::filesystem;

// Options every command that opens a library shares.
void add_library_options(CLI::App& cmd, LibraryConfig& config) {
  cmd.add_option("--data", config.data_dir, "data directory (SQLite file + index)")
      ->capture_default_str();
  cmd.add_option("--db", config.db_url,
                 "database URL: sqlite:PATH or postgresql://USER@HOST[:PORT]/DB (default: the "
                 "SQLite file in --data)");
  cmd.add_option("--db-read", config.db_read_url,
                 "a hot standby of the PostgreSQL --db, read while the primary is down "
                 "(postgresql://…)");
  cmd.add_option("--dict", config.dict_dir, "segmentation dictionary directory");
}

// Splits "HOST:PORT" (or ":PORT"); throws CLI::ValidationError on anything else.
void parse_listen(const std::string& listen, web::ServerOptions& options) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw CLI::ValidationError("--listen", "expected HOST:PORT");
  std::string host = listen.substr(0, colon);
  std::string port = listen.substr(colon + 1);
  if (!std::regex_match(port, std::regex("[0-9]{1,5}")) || std::stoi(port) > 65535) {
    throw CLI::ValidationError("--listen", "bad port '" + port + "'");
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);  // [::1]:8080
  }
  if (!host.empty()) options.host = host;
  options.port = static_cast<std::uint16_t>(std::stoi(port));
}

int serve_command(const LibraryConfig& config, web::ServerOptions options, bool demo,
                  unsigned workers) {
  web::hold_stop_signals();  // a SIGTERM while the library opens stops the server once it listens
  Library library(config);
  if (!library.index().writable()) {
    throw std::runtime_error("another wenku process is using the index in " +
                             config.data_dir.string() + "; stop it before serving");
  }
  if (demo && library.store().count() == 0) {
    const auto written = Ingest(library.store(), library.enricher()).add(io::demo_documents());
    library.index().catch_up(library.store());
    fmt::print("loaded {} sample documents (--demo)\n", written.inserted + written.updated);
  }
  const bool token_generated = options.admin_token.empty();
  if (token_generated) {
    options.admin_token = web::new_admin_token();
  } else if (options.admin_token.size() < web::kMinAdminTokenChars) {
    throw std::runtime_error(
        fmt::format("the admin token must have at least {} characters", web::kMinAdminTokenChars));
  }
  // What one serving process works with: its store connection and index. An upload goes
  // through the import's pipeline; its keywords are refreshed, when the library's size has
  // changed enough, by this process's IndexFollower, not in the request.
  auto services_of = [&library](store::Store& store, search::Index& index) {
    return web::Services{store, index, library.enricher().places(),
                         [&library, &store](std::vector<doc::Document> docs) {
                           return Ingest(store, library.enricher()).add(std::move(docs));
                         }};
  };
  // Bound before any worker is forked; they all accept on it (web::ListeningSocket).
  const web::ListeningSocket socket(options.host, options.port);
  options.port = socket.port();
  options.listening_fd = socket.fd();
  auto listening = [&] {
    fmt::print("文库 Wenku serving {} documents at http://{}:{}/ ({} worker{})\n",
               library.store().count(), options.host, options.port, workers,
               workers == 1 ? "" : "s");
    std::fflush(stdout);
    fmt::print(stderr, "admin: http://{}:{}/admin/login{}\n", options.host, options.port,
               token_generated ? "  token: " + options.admin_token : "");
  };
  if (workers <= 1) {
    IndexFollower follower(library);
    web::serve(services_of(library.store(), library.index()), options, listening);
    return 0;
  }
  // Pre-forked workers (docs/architecture.md "Serving model"): this process stays the index
  // writer; each worker reads the index and has its own store connection. The rate limits
  // and metrics are mapped here, before the fork, so that every worker shares them.
  web::SharedServerState shared;
  options.shared = &shared;
  return run_workers(library, {workers,
                               [&](const std::function<void()>& worker_listening) {
                                 auto store = open_database(config);
                                 search::Index index(config.data_dir / "index", library.segmenter(),
                                                     library.aliases());
                                 web::serve(services_of(*store, index), options, worker_listening);
                                 return 0;
                               },
                               listening});
}

// Lists the first few near-duplicate pairs an import found and linked as 相似文档.
void print_near_duplicates(const std::vector<store::SimilarPair>& pairs) {
  if (pairs.empty()) return;
  constexpr std::size_t kMaxShown = 20;
  fmt::print("{} near-duplicate pairs (相似文档, SimHash distance <= {}) linked:\n", pairs.size(),
             text::kNearDuplicateDistance);
  for (std::size_t i = 0; i < pairs.size() && i < kMaxShown; ++i) {
    fmt::print("  {} ~ {} (distance {})\n", pairs[i].b, pairs[i].a, pairs[i].distance);
  }
  if (pairs.size() > kMaxShown) fmt::print("  … and {} more\n", pairs.size() - kMaxShown);
}

// Reports a keyword refresh of `documents` documents that began at `start`.
void print_keywords_refreshed(std::int64_t documents, std::chrono::steady_clock::time_point start) {
  fmt::print("keywords computed with word frequencies over {} documents in {:.1f} s\n", documents,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

// What the clean-up changed in each imported file (io::clean_up).
void print_cleanup(const io::ImportStats& stats) {
  for (const auto& file : stats.files) {
    const io::CleanupTally& c = file.cleanup;
    if (c.changed == 0) {
      fmt::print("clean-up of {}: {} documents, none changed\n", file.file, c.documents);
      continue;
    }
    fmt::print(
        "clean-up of {}: {} of {} documents changed; titles: {} from the text's title line, {} "
        "derived; {} texts split ({} -> {} paragraphs); {} lines moved to the source note\n",
        file.file, c.changed, c.documents, c.titles_fixed, c.titles_derived, c.texts_split,
        c.paragraphs_before, c.paragraphs_after, c.lines_moved);
  }
}

int import_command(const LibraryConfig& config, const std::vector<fs::path>& files,
                   std::size_t batch_size, bool raw) {
  Library library(config);
  // Each text is segmented for its keywords and SimHash, then again by the index and by a
  // keyword refresh: remembered, it is segmented once (memory: about the texts' size).
  constexpr std::size_t kRememberedWordsBytes = std::size_t{1} << 30;
  library.segmenter().remember_words(kRememberedWordsBytes);
  ProgressBar bar(stderr);
  io::ImportOptions options;
  options.batch_size = batch_size;
  options.clean = !raw;
  // Into a library that never held a document, the import's own word counts are the
  // library's: keywords are computed once, after the import, from the tally.
  Ingest ingest(library.store(), library.enricher(), /*tally_first_import=*/true);
  options.commit = [&ingest](std::vector<doc::Document> docs) {
    const auto written = ingest.add(std::move(docs));
    return io::Committed{static_cast<std::uint64_t>(written.inserted),
                         static_cast<std::uint64_t>(written.updated)};
  };
  // Without a terminal to draw the bar on, each committed batch is acknowledged on standard
  // error: the documents counted there are durable (Store::put commits them) when it appears.
  std::uint64_t acknowledged = 0;
  options.progress = [&bar, &acknowledged](std::uint64_t done, std::uint64_t total,
                                           std::uint64_t docs) {
    bar.update(done, total, docs);
    if (!bar.enabled() && docs != acknowledged) {
      acknowledged = docs;
      fmt::print(stderr, "committed {} documents\n", docs);
    }
  };
  auto stats = io::import_files(library.store(), files, options);
  bar.finish();
  constexpr std::size_t kMaxIssuesShown = 100;
  for (std::size_t i = 0; i < stats.issues.size() && i < kMaxIssuesShown; ++i) {
    const auto& issue = stats.issues[i];
    if (issue.line) {
      fmt::print(stderr, "{}:{}: {}\n", issue.file, issue.line, issue.reason);
    } else {
      fmt::print(stderr, "{}: {}\n", issue.file, issue.reason);
    }
  }
  if (stats.issues.size() > kMaxIssuesShown) {
    fmt::print(stderr, "… and {} more problems\n", stats.issues.size() - kMaxIssuesShown);
  }
  if (options.clean) print_cleanup(stats);
  std::uint64_t committed = stats.inserted + stats.updated;
  fmt::print(
      "imported {} documents ({} new, {} updated, {} skipped) from {} files in {:.1f} s "
      "({:.0f} docs/s)",
      committed, stats.inserted, stats.updated, stats.skipped, files.size(), stats.seconds,
      stats.seconds > 0 ? static_cast<double>(committed) / stats.seconds : 0.0);
  if (library.index().writable()) {
    auto index_start = std::chrono::steady_clock::now();
    library.index().catch_up(library.store());
    fmt::print(
        "; indexed in {:.1f} s\n",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - index_start).count());
  } else {
    fmt::print("; the running server indexes them\n");
  }
  print_near_duplicates(ingest.near_duplicates());
  const auto refresh_start = std::chrono::steady_clock::now();
  if (const auto counted = ingest.finish()) print_keywords_refreshed(*counted, refresh_start);
  return committed == 0 && !stats.issues.empty() ? 1 : 0;
}

// Turns the HTML snippet into terminal text: marks become bold on a terminal, 【】 otherwise.
std::string snippet_for_terminal(std::string html, bool tty) {
  auto replace_all = [&html](std::string_view from, std::string_view to) {
    for (auto pos = html.find(from); pos != std::string::npos;
         pos = html.find(from, pos + to.size())) {
      html.replace(pos, from.size(), to);
    }
  };
  replace_all("<mark>", tty ? "\x1b[1;31m" : "【");
  replace_all("</mark>", tty ? "\x1b[0m" : "】");
  replace_all("&lt;", "<");
  replace_all("&gt;", ">");
  replace_all("&quot;", "\"");
  replace_all("&#39;", "'");
  replace_all("&amp;", "&");
  return html;
}

// The command line is the operator's own tool: it sees every text in full.
const access::Viewer kOperator{access::Role::kAdmin, "cli"};

// What `wenku search` was asked, besides the library.
struct SearchOptions {
  search::SearchRequest request;
  std::string sort;
  std::size_t page = 1;
  bool json = false;
};

int search_command(const LibraryConfig& config, SearchOptions options) {
  auto& request = options.request;
  if (!text::is_valid_utf8(request.query) || !text::is_valid_utf8(request.category)) {
    fmt::print(stderr, "error: the query is not valid UTF-8\n");
    return 1;
  }
  auto sort = search::parse_sort(options.sort);
  if (!sort) {
    fmt::print(stderr, "error: --sort takes relevance (相关度), newest (最新) or hot (最热)\n");
    return 2;
  }
  request.sort = *sort;
  request.offset = (options.page - 1) * request.limit;
  Library library(config);
  auto response =
      search::run_search(library.index(), library.store(), request, kOperator, access::Policy{});
  if (options.json) {
    std::cout << search::search_response_json(request.query, options.page, response).dump() << '\n';
    return 0;
  }
  bool tty = isatty(fileno(stdout)) != 0;
  fmt::print("{} 条结果 ({} hits, {:.1f} ms)\n", response.total, response.total, response.took_ms);
  if (!response.notice.empty()) fmt::print("提示：{}\n", response.notice);
  if (!response.did_you_mean.empty()) fmt::print("您是不是要找：{}\n", response.did_you_mean);
  std::size_t rank = request.offset;
  for (const auto& hit : response.hits) {
    fmt::print("\n{}. {}  [{}]  {}  {}  score {:g}\n   {}\n", ++rank, hit.title, hit.id,
               hit.date.empty() ? "-" : hit.date, hit.category.empty() ? "未分类" : hit.category,
               hit.score, snippet_for_terminal(hit.snippet_html, tty));
  }
  return 0;
}

int related_command(const LibraryConfig& config, const std::string& id, std::size_t limit,
                    bool json) {
  Library library(config);
  auto related = search::find_related(library.index(), library.store(), id, limit, kOperator,
                                      access::Policy{});
  if (!related) {
    fmt::print(stderr, "error: no document {}\n", id);
    return 1;
  }
  if (json) {
    std::cout << nlohmann::json{{"id", id}, {"related", search::related_json(*related)}}.dump()
              << '\n';
    return 0;
  }
  std::size_t rank = 0;
  for (const auto& r : *related) {
    fmt::print("{}. {}  [{}]  {}  {}  score {:g}\n", ++rank, r.title, r.id,
               r.date.empty() ? "-" : r.date, r.category.empty() ? "未分类" : r.category, r.score);
  }
  return 0;
}

int reindex_command(const LibraryConfig& config) {
  Library library(config);
  auto start = std::chrono::steady_clock::now();
  auto n = library.index().rebuild(library.store());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("reindexed {} documents in {:.1f} s\n", n, seconds);
  return 0;
}

int segment_command(const fs::path& dict_dir) {
  text::Segmenter segmenter(text::find_dict_dir(dict_dir));
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (auto bad = text::find_invalid_utf8(line)) {
      fmt::print(stderr, "stdin:{}: invalid UTF-8 at byte {}\n", line_number, *bad);
      return 1;
    }
    auto words = segmenter.cut(line);
    fmt::print("{}\n", fmt::join(words, " "));
  }
  return 0;
}

int analyze_command(const fs::path& file, const fs::path& dict_dir, bool json, bool raw) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = io::parse_plain_text(bytes, file.filename().string());
  if (!parsed.doc) {
    fmt::print(stderr, "{}: {}\n", file.string(), parsed.error);
    return 1;
  }
  // The text as an import would store it: cleaned of what a copy from a web page brings.
  if (!raw) io::clean_up(*parsed.doc);
  const auto dict = text::find_dict_dir(dict_dir);
  const text::Segmenter segmenter(dict);
  const Enricher enricher(dict, segmenter);
  enricher.add_text_features(*parsed.doc);
  auto analysis = enricher.analyze(*parsed.doc);
  analysis.template_text = doc::make_template(parsed.doc->content, enricher.places());
  analysis.tasks = doc::extract_tasks(*parsed.doc);
  if (json) {
    std::cout << doc::analysis_to_json(analysis).dump() << '\n';
    return 0;
  }
  fmt::print("标题：{}\n\n提纲：\n", analysis.title);
  for (const auto& item : analysis.outline) {
    fmt::print("{}{}  (第{}段)\n", std::string(2 * static_cast<std::size_t>(item.level), ' '),
               item.text, item.para + 1);
  }
  fmt::print("\n任务分解：\n");
  for (const auto& t : analysis.tasks) {
    // The 任务分解表's columns (io::task_columns), those the text leaves empty left out.
    std::string line = "  - " + t.task;
    const std::string partners = fmt::format("{}", fmt::join(t.partners, "、"));
    for (const auto& [name, value] :
         {std::pair<std::string_view, const std::string&>{"类别", t.section},
          {"责任领导", t.leader},
          {"牵头单位", t.lead_unit},
          {"配合单位", partners},
          {"具体落实", t.implementer},
          {"完成时限", t.deadline}}) {
      if (!value.empty()) line += fmt::format(" | {}：{}", name, value);
    }
    fmt::print("{}\n", line);
  }
  fmt::print("\n模板版：\n{}\n", analysis.template_text);
  return 0;
}

// What `wenku export` writes.
struct ExportRequest {
  std::string format = "csv";  // csv, xlsx, txt or docx
  bool template_text = false;  // txt and docx: the 模板版 instead of the text
  bool tasks = false;          // docx: the 任务分解表 instead of the text
  fs::path out;
  std::string id;
};

// The bytes of `request` for document `d`, as the operator (admin) may see it.
std::string export_bytes(const Library& library, const doc::Document& d,
                         const ExportRequest& request) {
  // The command line is the operator's own tool: it sees every text in full (a soft-deleted
  // one included, so `readable` always answers).
  const auto r =
      *access::readable(d, access::Viewer{access::Role::kAdmin, "cli"}, access::Policy{});
  const auto& places = library.enricher().places();
  if (request.format == "txt") {
    return io::plain_text(r.title(),
                          request.template_text ? io::visible_template(r, places).text : r.text());
  }
  if (request.format == "docx" && !request.tasks) {
    return io::text_docx(r, request.template_text, places);
  }
  const auto rows = io::visible_tasks(r, doc::extract_tasks(d));
  if (request.format == "docx") return io::word_tasks(r.title(), rows);
  return request.format == "xlsx" ? io::tasks_xlsx(rows, r.title()) : io::tasks_csv(rows);
}

int export_command(const LibraryConfig& config, const ExportRequest& request) {
  Library library(config);
  const auto d = library.store().get(request.id);
  if (!d) {
    fmt::print(stderr, "error: no document {}\n", request.id);
    return 1;
  }
  const std::string bytes = export_bytes(library, *d, request);
  std::ofstream out(request.out, std::ios::binary);
  out << bytes;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + request.out.string());
  fmt::print("wrote {} ({} bytes)\n", request.out.string(), bytes.size());
  return 0;
}

int backup_command(const LibraryConfig& config, const fs::path& out) {
  const auto start = std::chrono::steady_clock::now();
  const auto report = backup_library(config, out);
  fmt::print("backed up {} documents from {} to {} ({:.1f} MiB) in {:.1f} s\n", report.documents,
             sqlite_path(config).string(), out.string(),
             static_cast<double>(report.bytes) / (1024.0 * 1024.0),
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

int restore_command(const LibraryConfig& config, const fs::path& in) {
  const auto report = restore_library(config, in);
  fmt::print("restored {} documents from {} into {} (index built in {:.1f} s)\n", report.documents,
             in.string(), config.data_dir.string(), report.index_seconds);
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  // Logs go to standard error: standard output is what a command prints (`search --json`,
  // `analyze --json`), which a log line must never break.
  spdlog::set_default_logger(spdlog::stderr_color_mt("wenku"));
  CLI::App app{"文库 Wenku — a library of Chinese official-document model texts"};
  app.set_version_flag("--version", WENKU_VERSION);
  app.require_subcommand(1);

  LibraryConfig config;
  web::ServerOptions server_options;
  std::string listen = "127.0.0.1:8080";
  bool demo = false;
  bool guest_full_text = false;
  auto* serve = app.add_subcommand("serve", "run the website");
  add_library_options(*serve, config);
  serve->add_option("--listen", listen, "address to listen on, HOST:PORT (port 0: any free port)")
      ->capture_default_str();
  unsigned workers = available_cpus();
  serve
      ->add_option("--workers", workers,
                   "worker processes sharing the port (default: one per CPU; 1: one process)")
      ->check(CLI::Range(1u, 256u))
      ->capture_default_str();
  serve->add_option("--threads", server_options.threads, "threads per worker process")
      ->check(CLI::Range(1u, 256u))
      ->capture_default_str();
  serve->add_flag("--demo", demo, "load sample documents when the library is empty");
  serve->add_option("--trusted-proxy", server_options.trusted_proxies,
                    "IP address of a reverse proxy whose X-Forwarded-For names the client "
                    "(repeatable)");
  serve
      ->add_option("--admin-token", server_options.admin_token,
                   "token opening /admin (default: $WENKU_ADMIN_TOKEN, else a random one printed "
                   "at start-up)")
      ->envname("WENKU_ADMIN_TOKEN");
  serve->add_flag("--guest-full-text", guest_full_text,
                  "open every full text to guests (no login wall; admin settings can change it)");
  std::string rate_limits = "on";
  serve
      ->add_option("--rate-limits", rate_limits,
                   "per-client limits on searches, suggestions and document views (off: for "
                   "benchmarks and tests only)")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  std::string access_log = "on";
  serve->add_option("--access-log", access_log, "one line per request on standard error")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();

  std::vector<fs::path> files;
  std::size_t batch_size = 500;
  auto* import =
      app.add_subcommand("import", "import .jsonl .jsonl.zst .txt .md .html .htm .docx files");
  add_library_options(*import, config);
  import->add_option("--batch", batch_size, "documents per transaction")->capture_default_str();
  bool raw = false;
  import->add_flag("--raw", raw,
                   "import the texts as given, without the clean-up of titles, news wrapping and "
                   "flattened paragraphs");
  import->add_option("files", files, "files to import")->required()->check(CLI::ExistingFile);

  std::vector<std::string> query_words;
  SearchOptions search_options;
  std::size_t limit = 10;
  bool json = false;
  auto* search = app.add_subcommand("search", "search the library");
  add_library_options(*search, config);
  search->add_flag("--json", json, "print one JSON object");
  search->add_option("--limit", limit, "number of hits to print")->capture_default_str();
  search->add_option("--page", search_options.page, "page of --limit hits")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  search->add_option("--sort", search_options.sort,
                     "relevance (相关度), newest (最新) or hot (最热)");
  search->add_option("--cat", search_options.request.category, "only this category");
  search->add_option("--year", search_options.request.year, "only this year");
  search
      ->add_option("query", query_words,
                   "query: words, \"phrase\", -word, A OR B, 分类:…, "
                   "年份:2018..2021, 标题:…, 提纲:…")
      ->required();

  std::string related_id;
  auto* related = app.add_subcommand("related", "documents related to one document");
  add_library_options(*related, config);
  related->add_flag("--json", json, "print one JSON object");
  related->add_option("--limit", limit, "number of documents to print")->capture_default_str();
  related->add_option("id", related_id, "document id")->required();

  auto* reindex = app.add_subcommand("reindex", "rebuild the search index from the store");
  add_library_options(*reindex, config);

  fs::path backup_file;
  auto* backup = app.add_subcommand(
      "backup",
      "write the library's database (documents, settings, accounts, site files) to "
      "one new file, also while the server runs");
  add_library_options(*backup, config);
  backup->add_option("out", backup_file, "backup file to create (never overwritten)")->required();
  auto* restore = app.add_subcommand(
      "restore", "restore a backup into an empty or absent data directory and rebuild the index");
  add_library_options(*restore, config);
  restore->add_option("in", backup_file, "backup file made by wenku backup")
      ->required()
      ->check(CLI::ExistingFile);
  std::string migrate_from;
  std::string migrate_to;
  auto* migrate = app.add_subcommand(
      "migrate",
      "copy a whole library into an empty database (sqlite:PATH or postgresql://…), verified "
      "by row counts and checksums; the search index is rebuilt by each node");
  migrate->add_option("--from", migrate_from, "database to copy (never changed)")->required();
  migrate->add_option("--to", migrate_to, "empty database to copy into (no documents, no accounts)")
      ->required();

  auto* keywords = app.add_subcommand(
      "keywords", "recount the library's word frequencies and recompute every document's keywords");
  add_library_options(*keywords, config);

  fs::path analyze_file;
  auto* analyze = app.add_subcommand("analyze", "outline, template and tasks of one text file");
  analyze->add_flag("--json", json, "print one JSON object");
  bool analyze_raw = false;
  analyze->add_flag("--raw", analyze_raw,
                    "analyze the text as given, without the import's clean-up");
  analyze->add_option("--dict", config.dict_dir, "dictionary directory");
  analyze->add_option("file", analyze_file, "UTF-8 text file, first line the title")
      ->required()
      ->check(CLI::ExistingFile);

  ExportRequest export_request;
  auto* export_cmd = app.add_subcommand(
      "export",
      "write a stored document's task table (csv, xlsx, docx) or text / 模板版 (txt, docx: "
      "GB/T 9704 Word)");
  add_library_options(*export_cmd, config);
  export_cmd->add_option("--format", export_request.format, "csv, xlsx, txt or docx")
      ->check(CLI::IsMember({"csv", "xlsx", "txt", "docx"}))
      ->capture_default_str();
  export_cmd->add_flag("--template", export_request.template_text,
                       "with --format txt or docx: the templated version (模板版)");
  export_cmd->add_flag("--tasks", export_request.tasks,
                       "with --format docx: the task table (任务分解表) as a Word table");
  export_cmd->add_option("--out", export_request.out, "output file")->required();
  export_cmd->add_option("id", export_request.id, "document id")->required();

  UserCommand user_command;
  auto* user = app.add_subcommand("user", "member accounts (passwords are read from stdin)");
  add_library_options(*user, config);
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "create an account; password: first line of stdin");
  user_add->add_option("name", user_command.name, "user name")->required();
  user_add->add_option("--role", user_command.role, "member, vip or admin")
      ->check(CLI::IsMember({"member", "vip", "admin"}))
      ->capture_default_str();
  user_add->add_option("--vip-until", user_command.vip_until, "last day of a vip role, YYYY-MM-DD");
  auto* user_passwd =
      user->add_subcommand("passwd", "set a password (first line of stdin); ends its sessions");
  user_passwd->add_option("name", user_command.name, "user name")->required();
  auto* user_role = user->add_subcommand("role", "change an account's role");
  user_role->add_option("name", user_command.name, "user name")->required();
  user_role->add_option("role", user_command.role, "member, vip or admin")
      ->required()
      ->check(CLI::IsMember({"member", "vip", "admin"}));
  user_role->add_option("--vip-until", user_command.vip_until,
                        "last day of the vip role, YYYY-MM-DD");
  user->add_subcommand("list", "list the accounts");
  auto* user_disable = user->add_subcommand("disable", "disable an account; ends its sessions");
  user_disable->add_option("name", user_command.name, "user name")->required();
  auto* user_enable = user->add_subcommand("enable", "enable a disabled account");
  user_enable->add_option("name", user_command.name, "user name")->required();
  for (auto* sub : user->get_subcommands({})) sub->fallthrough();  // `user add X --data D`

  auto* routes = app.add_subcommand("routes", "list every route the website answers");
  add_library_options(*routes, config);

  auto* segment = app.add_subcommand("segment", "segment stdin, one line of words per line");
  segment->add_option("--dict", config.dict_dir, "segmentation dictionary directory");

  try {
    app.parse(argc, argv);
    if (serve->parsed()) parse_listen(listen, server_options);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  try {
    if (serve->parsed()) {
      server_options.site.guests_read_full_text = guest_full_text;
      server_options.rate_limits = rate_limits == "on";
      server_options.access_log = access_log == "on";
      return serve_command(config, server_options, demo, workers);
    }
    if (import->parsed()) return import_command(config, files, batch_size, raw);
    if (search->parsed()) {
      for (const auto& word : query_words) {
        search_options.request.query += (search_options.request.query.empty() ? "" : " ") + word;
      }
      search_options.request.limit = limit;
      search_options.json = json;
      return search_command(config, std::move(search_options));
    }
    if (related->parsed()) return related_command(config, related_id, limit, json);
    if (reindex->parsed()) return reindex_command(config);
    if (backup->parsed()) return backup_command(config, backup_file);
    if (restore->parsed()) return restore_command(config, backup_file);
    if (migrate->parsed()) return migrate_command(migrate_from, migrate_to);
    if (keywords->parsed()) {
      Library library(config);
      const auto start = std::chrono::steady_clock::now();
      print_keywords_refreshed(refresh_keywords(library.store(), library.enricher()), start);
      return 0;
    }
    if (user->parsed()) {
      using Action = UserCommand::Action;
      user_command.action = user_add->parsed()       ? Action::kAdd
                            : user_passwd->parsed()  ? Action::kPasswd
                            : user_role->parsed()    ? Action::kRole
                            : user_disable->parsed() ? Action::kDisable
                            : user_enable->parsed()  ? Action::kEnable
                                                     : Action::kList;
      auto store = open_database(config);
      return run_user_command(*store, user_command, std::cin, std::cout, std::cerr);
    }
    if (routes->parsed()) {
      Library library(config);
      const web::Services services{
          library.store(), library.index(), library.enricher().places(), {}};
      for (const auto& route : web::route_table(services, server_options)) {
        fmt::print("{} {}\n", route.method, route.path);
      }
      return 0;
    }
    if (segment->parsed()) return segment_command(config.dict_dir);
    if (analyze->parsed()) {
      return analyze_command(analyze_file, config.dict_dir, json, analyze_raw);
    }
    if (export_cmd->parsed()) {
      if (export_request.template_text && export_request.format != "txt" &&
          export_request.format != "docx") {
        fmt::print(stderr, "error: --template needs --format txt or docx\n");
        return 2;
      }
      if (export_request.tasks && export_request.format != "docx") {
        fmt::print(stderr, "error: --tasks needs --format docx (csv and xlsx are task tables)\n");
        return 2;
      }
      if (export_request.tasks && export_request.template_text) {
        fmt::print(stderr, "error: --tasks and --template cannot be used together\n");
        return 2;
      }
      return export_command(config, export_request);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 2;
}

}  // namespace wenku::app

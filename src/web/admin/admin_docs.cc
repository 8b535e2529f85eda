// Admin documents: upload, list and title search, edit, soft delete and restore.
#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include <algorithm>
#include <exception>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "access/visible.h"
#include "io/import.h"
#include "io/upload.h"
#include "io/validate.h"
#include "search/searcher.h"
#include "store/store.h"
#include "text/utf8.h"
#include "web/admin/admin.h"
#include "web/admin/admin_impl.h"
#include "web/http/url.h"

namespace wenku::web::admin {

namespace {

constexpr std::size_t kDocsPageSize = 30;
constexpr std::size_t kMaxTitleChars = 300;
constexpr std::size_t kMaxCategoryChars = 50;
constexpr std::size_t kMaxReportedIds = 100;        // per uploaded file
constexpr std::size_t kMaxReportedDuplicates = 20;  // per uploaded file

std::string edit_href(std::string_view id) {
  return "/admin/docs/" + encode_query_value(id) + "/edit";
}

std::string doc_href(std::string_view id) { return "/doc/" + encode_query_value(id); }

// The names of the defined and used categories, except 未分类 (""), in the admin's order.
mstch::array category_names(store::Store& store) {
  mstch::array names;
  for (const auto& c : store.category_list()) {
    if (!c.name.empty()) names.push_back(mstch::map{{"name", c.name}});
  }
  return names;
}

bool is_category(store::Store& store, std::string_view name) {
  const auto list = store.category_list();
  return std::any_of(list.begin(), list.end(), [&](const auto& c) { return c.name == name; });
}

// A query finding every one of `words` (split on white space) in titles: 标题:w1 标题:w2 …
std::string title_query(std::string_view words) {
  std::string spaced(words);
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  for (auto pos = spaced.find(kIdeographicSpace); pos != std::string::npos;
       pos = spaced.find(kIdeographicSpace, pos)) {
    spaced.replace(pos, kIdeographicSpace.size(), " ");
  }
  std::istringstream in(spaced);
  std::string query;
  for (std::string word; in >> word;) query += (query.empty() ? "标题:" : " 标题:") + word;
  return query;
}

mstch::map summary_row(const doc::Summary& d, bool deleted, const std::string& return_to) {
  return mstch::map{{"id", d.id},
                    {"title", d.title},
                    {"date", d.date},
                    {"category", category_label(d.category)},
                    {"views", std::to_string(d.views)},
                    {"edit_href", edit_href(d.id)},
                    {"doc_href", doc_href(d.id)},
                    {"deleted", deleted},
                    {"delete_action", "/admin/docs/" + encode_query_value(d.id) + "/delete"},
                    {"restore_action", "/admin/docs/" + encode_query_value(d.id) + "/restore"},
                    {"return_to", return_to}};
}

// The checked values of the edit form, or the reason they are refused.
struct EditedFields {
  std::string title;
  std::string category;
  std::string date;
  std::string content;
  std::string error;  // "" when the fields are acceptable
};

EditedFields check_edit(const Form& form) {
  EditedFields f{form.value("title"), form.value("category"), form.value("date"),
                 io::detail::normalize_paragraphs(form.value("content")), ""};
  if (f.title.empty()) {
    f.error = "标题不能为空。";
  } else if (f.title.find_first_of("\r\n") != std::string::npos ||
             text::count_code_points(f.title) > kMaxTitleChars) {
    f.error = fmt::format("标题须为一行，不超过 {} 个字。", kMaxTitleChars);
  } else if (f.category.find_first_of("\r\n") != std::string::npos ||
             text::count_code_points(f.category) > kMaxCategoryChars) {
    f.error = fmt::format("分类须为一行，不超过 {} 个字。", kMaxCategoryChars);
  } else if (!io::detail::is_valid_date(f.date)) {
    f.error = "日期格式应为 YYYY、YYYY-MM 或 YYYY-MM-DD，且须是真实的日期。";
  } else if (f.content.empty()) {
    f.error = "正文不能为空。";
  } else if (f.content.size() > io::kMaxDocumentBytes) {
    f.error = "正文超过 8 MiB。";
  }
  return f;
}

}  // namespace

Status Admin::upload_page(const Request& req, const Session& session) {
  mstch::map context{{"categories", category_names(services_.store)},
                     {"max_mib", static_cast<int>(kMaxRequestBytes >> 20)},
                     {"max_bytes", std::to_string(kMaxRequestBytes)}};
  return render(req, restinio::status_ok(), "admin_upload", "上传文档", "upload", &session,
                std::move(context));
}

Status Admin::upload(const Request& req, const Session& session, const Form& form) {
  if (!services_.ingest) return fail(req, 500, "此服务器未开启上传。", &session);
  io::UploadOptions options;
  options.category = form.value("category");
  if (!options.category.empty() && !is_category(services_.store, options.category)) {
    return fail(req, 400, "所选分类不存在。", &session);
  }
  std::vector<const UploadedFile*> files;
  for (const auto& f : form.files) {
    if (f.field == "files") files.push_back(&f);
  }
  if (files.empty()) return fail(req, 400, "请选择要上传的文件。", &session);

  nlohmann::json report = nlohmann::json::array();
  mstch::array rows;
  for (const auto* file : files) {
    auto parsed = io::parse_upload(file->name, file->bytes, options);
    std::vector<std::string> errors;
    for (const auto& issue : parsed.issues) {
      errors.push_back(issue.line ? fmt::format("第 {} 行：{}", issue.line, issue.reason)
                                  : issue.reason);
    }
    std::vector<std::pair<std::string, std::string>> committed;  // id, title
    for (const auto& d : parsed.documents) {
      if (committed.size() < kMaxReportedIds) committed.emplace_back(d.id, d.title);
    }
    IngestReport ingested;
    if (!parsed.documents.empty()) {
      try {
        ingested = services_.ingest(std::move(parsed.documents));
      } catch (const std::exception& e) {
        errors.push_back(fmt::format("保存失败：{}", e.what()));
        committed.clear();
      }
    }
    nlohmann::json duplicates = nlohmann::json::array();
    mstch::array duplicate_rows;
    for (const auto& pair : ingested.near_duplicates) {
      if (duplicates.size() >= kMaxReportedDuplicates) break;
      // NearDuplicateFinder pairs: `a` was there before, `b` is the new text.
      const auto a = services_.store.get(pair.a);
      const auto b = services_.store.get(pair.b);
      const std::string a_title = a ? a->title : pair.a;
      const std::string b_title = b ? b->title : pair.b;
      duplicates.push_back({{"id", pair.b},
                            {"title", b_title},
                            {"similar_to", pair.a},
                            {"similar_title", a_title},
                            {"distance", pair.distance}});
      duplicate_rows.push_back(mstch::map{{"title", b_title},
                                          {"href", doc_href(pair.b)},
                                          {"similar_title", a_title},
                                          {"similar_href", doc_href(pair.a)},
                                          {"distance", pair.distance}});
    }
    nlohmann::json ids = nlohmann::json::array();
    mstch::array doc_rows;
    for (const auto& [id, title] : committed) {
      ids.push_back({{"id", id}, {"title", title}});
      doc_rows.push_back(mstch::map{{"title", title}, {"href", doc_href(id)}});
    }
    report.push_back({{"name", file->name},
                      {"inserted", ingested.inserted},
                      {"updated", ingested.updated},
                      {"errors", errors},
                      {"documents", ids},
                      {"near_duplicates", duplicates}});
    mstch::array error_rows;
    for (auto& e : errors) error_rows.push_back(mstch::map{{"error", std::move(e)}});
    rows.push_back(mstch::map{{"name", file->name},
                              {"inserted", std::to_string(ingested.inserted)},
                              {"updated", std::to_string(ingested.updated)},
                              {"errors", std::move(error_rows)},
                              {"documents", std::move(doc_rows)},
                              {"near_duplicates", std::move(duplicate_rows)}});
  }
  if (wants_json(req)) {
    return send(req, restinio::status_ok(), kJson, nlohmann::json{{"files", report}}.dump(),
                no_store());
  }
  mstch::map context{{"categories", category_names(services_.store)},
                     {"max_mib", static_cast<int>(kMaxRequestBytes >> 20)},
                     {"max_bytes", std::to_string(kMaxRequestBytes)},
                     {"report", std::move(rows)}};
  return render(req, restinio::status_ok(), "admin_upload", "上传文档", "upload", &session,
                std::move(context));
}

Status Admin::documents(const Request& req, const Session& session) {
  const auto query = query_of(req);
  const std::size_t page = query ? page_param(*query) : 0;
  if (page == 0) return fail(req, 400, "页码无效。", &session);
  const std::string q = param(*query, "q");
  const bool deleted = param(*query, "deleted") == "1";
  const std::vector<std::pair<std::string, std::string>> params = {{"q", q},
                                                                   {"deleted", deleted ? "1" : ""}};
  const std::string return_to = link(
      "/admin/docs",
      {{"q", q}, {"deleted", deleted ? "1" : ""}, {"page", page > 1 ? std::to_string(page) : ""}});
  auto& store = services_.store;
  mstch::array rows;
  bool has_next = false;
  if (!q.empty() && !deleted) {
    // An exact id first, then the title search (search index, newest first).
    if (page == 1) {
      if (const auto d = store.get(q))
        rows.push_back(summary_row(doc::summarize(*d), d->deleted, return_to));
    }
    search::SearchRequest request;
    request.query = title_query(q);
    request.limit = kDocsPageSize;
    request.offset = (page - 1) * kDocsPageSize;
    request.sort = search::SortOrder::kNewest;
    request.facets = false;
    const auto response = search::run_search(services_.index, store, request, session.viewer,
                                             settings_.get()->policy());
    for (const auto& hit : response.hits) {
      if (hit.id == q) continue;
      doc::Summary s{hit.id, hit.title, hit.date, hit.category, 0, "", ""};
      if (const auto d = store.get(hit.id)) s = doc::summarize(*d);
      rows.push_back(summary_row(s, false, return_to));
    }
    has_next = static_cast<std::int64_t>(request.offset + response.hits.size()) < response.total;
  } else {
    store::ListQuery list;
    list.deleted = deleted;
    list.limit = kDocsPageSize + 1;
    list.offset = (page - 1) * kDocsPageSize;
    auto summaries = store.list(list);
    has_next = summaries.size() > kDocsPageSize;
    if (has_next) summaries.pop_back();
    for (const auto& s : summaries) rows.push_back(summary_row(s, deleted, return_to));
  }
  mstch::map context{
      {"q", q}, {"deleted_view", deleted}, {"has_rows", !rows.empty()}, {"rows", std::move(rows)}};
  add_pager(context, "/admin/docs", params, page, has_next);
  return render(req, restinio::status_ok(), "admin_docs", deleted ? "回收站" : "文档", "docs",
                &session, std::move(context));
}

Status Admin::edit_page(const Request& req, const Session& session, std::string_view id,
                        const Form* input, std::string_view error) {
  const auto d = services_.store.get(id);
  if (!d) return fail(req, 404, "没有这篇文档。", &session);
  mstch::map context{{"id", d->id},
                     {"action", edit_href(d->id)},
                     {"doc_href", doc_href(d->id)},
                     {"title", input ? input->value("title") : d->title},
                     {"category", input ? input->value("category") : d->category},
                     {"date", input ? input->value("date") : d->date},
                     {"content", input ? input->value("content") : d->content},
                     {"visibility_" + (input ? input->value("visibility")
                                             : std::string(doc::visibility_name(d->visibility))),
                      true},
                     {"created_at", d->created_at},
                     {"updated_at", d->updated_at},
                     {"views", std::to_string(d->views)},
                     {"deleted", d->deleted},
                     {"delete_action", "/admin/docs/" + encode_query_value(d->id) + "/delete"},
                     {"restore_action", "/admin/docs/" + encode_query_value(d->id) + "/restore"},
                     {"categories", category_names(services_.store)}};
  if (!error.empty()) context["error"] = std::string(error);
  return render(req, error.empty() ? restinio::status_ok() : restinio::status_bad_request(),
                "admin_edit", "编辑文档", "docs", &session, std::move(context));
}

Status Admin::edit(const Request& req, const Session& session, std::string_view id,
                   const Form& form) {
  if (!services_.ingest) return fail(req, 500, "此服务器未开启编辑。", &session);
  auto d = services_.store.get(id);
  if (!d) return fail(req, 404, "没有这篇文档。", &session);
  auto fields = check_edit(form);
  if (!fields.error.empty()) return edit_page(req, session, id, &form, fields.error);
  // A title the admin changed is the site's own, no longer one derived from the text.
  if (fields.title != d->title) d->title_derived = false;
  d->title = std::move(fields.title);
  d->category = std::move(fields.category);
  d->date = std::move(fields.date);
  d->content = std::move(fields.content);
  const auto visibility = form.value("visibility").empty()
                              ? std::optional<doc::Visibility>(d->visibility)
                              : doc::parse_visibility(form.value("visibility"));
  if (!visibility) return edit_page(req, session, id, &form, "请选择阅读权限。");
  services_.ingest({std::move(*d)});
  services_.store.set_visibility(id, *visibility);
  return see_other(req, with_flash(edit_href(id), "saved"));
}

Status Admin::set_deleted(const Request& req, const Session& session, std::string_view id,
                          bool deleted, const Form& form) {
  if (!services_.store.set_deleted(id, deleted)) return fail(req, 404, "没有这篇文档。", &session);
  const std::string back = form.value("return");
  return see_other(req, with_flash(is_admin_path(back) ? back : edit_href(id),
                                   deleted ? "deleted" : "restored"));
}

}  // namespace wenku::web::admin

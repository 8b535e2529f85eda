// Admin site data: categories, 专题 collections, settings and the 微信订阅号 image, the
// 联系客服 inbox and near-duplicate review.
#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "io/validate.h"
#include "store/store.h"
#include "text/utf8.h"
#include "web/admin/admin.h"
#include "web/admin/admin_impl.h"
#include "web/http/url.h"

namespace wenku::web::admin {

namespace {

constexpr std::size_t kListPageSize = 30;
constexpr std::size_t kMaxNameChars = 50;  // category, site name, caption
constexpr std::size_t kMaxSlugChars = 64;
constexpr std::size_t kMaxTopicTitleChars = 100;
constexpr std::size_t kMaxDescriptionChars = 1000;
constexpr std::size_t kMaxTopicDocs = 500;
constexpr std::size_t kMaxContactChars = 500;
constexpr std::size_t kMaxBaseUrlChars = 200;

// True when `s` is one line of 1..`max_chars` characters.
bool is_short_line(std::string_view s, std::size_t max_chars) {
  return !s.empty() && s.find_first_of("\r\n") == std::string_view::npos &&
         text::count_code_points(s) <= max_chars;
}

// Reads a whole decimal integer (optionally negative).
template <typename Int>
std::optional<Int> parse_int(std::string_view s) {
  Int value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

bool is_slug(std::string_view s) {
  return !s.empty() && s.size() <= kMaxSlugChars && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// "" or an absolute http(s) address of printable ASCII without quotes, brackets or spaces.
bool is_base_url(std::string_view s) {
  if (s.empty()) return true;
  const bool scheme = s.starts_with("http://") || s.starts_with("https://");
  const auto host_start = s.find("//") + 2;
  return scheme && s.size() > host_start && s.size() <= kMaxBaseUrlChars &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return c > ' ' && c < 0x7f && c != '"' && c != '\'' && c != '<' && c != '>' &&
                  c != '`' && c != '\\';
         });
}

// The content type of an image by its magic bytes: PNG, JPEG, GIF or WebP; "" otherwise.
std::string image_type(std::string_view bytes) {
  if (bytes.starts_with("\x89PNG\r\n\x1a\n")) return "image/png";
  if (bytes.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  if (bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a")) return "image/gif";
  if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP") {
    return "image/webp";
  }
  return "";
}

// The bounds settings_from clamps a preview length to (it is their one definition).
std::pair<std::size_t, std::size_t> preview_bounds() {
  const auto clamp = [](std::size_t n) {
    return settings_from({{setting_keys::kPreviewChars, std::to_string(n)}}, {}).preview_chars;
  };
  return {clamp(0), clamp(std::numeric_limits<std::size_t>::max())};
}

std::string first_value(const Form& form, std::string_view name) {
  auto values = form.values(name);
  return values.empty() ? std::string() : std::move(values.front());
}

mstch::map summary_context(const doc::Summary& d) {
  return mstch::map{{"id", d.id},
                    {"title", d.title},
                    {"date", d.date},
                    {"category", category_label(d.category)},
                    {"href", "/doc/" + encode_query_value(d.id)},
                    {"delete_action", "/admin/docs/" + encode_query_value(d.id) + "/delete"}};
}

}  // namespace

// ---- categories ----

Status Admin::categories_page(const Request& req, const Session& session, std::string_view error) {
  mstch::array rows;
  mstch::array ordered;
  mstch::array names;
  int position = 0;
  for (const auto& c : services_.store.category_list()) {
    rows.push_back(mstch::map{{"name", c.name},
                              {"label", category_label(c.name)},
                              {"count", std::to_string(c.count)},
                              {"href", category_path(c.name)},
                              {"model", c.kind == store::CategoryKind::kModel}});
    if (c.name.empty()) continue;
    ordered.push_back(
        mstch::map{{"name", c.name}, {"position", ++position}, {"count", std::to_string(c.count)}});
    names.push_back(mstch::map{{"name", c.name}});
  }
  mstch::map context{
      {"rows", std::move(rows)}, {"ordered", std::move(ordered)}, {"names", std::move(names)}};
  if (!error.empty()) context["error"] = std::string(error);
  return render(req, error.empty() ? restinio::status_ok() : restinio::status_bad_request(),
                "admin_categories", "分类", "categories", &session, std::move(context));
}

Status Admin::create_category(const Request& req, const Session& session, const Form& form) {
  const std::string name = form.value("name");
  if (!is_short_line(name, kMaxNameChars)) {
    return categories_page(req, session,
                           fmt::format("分类名须为一行，1 到 {} 个字。", kMaxNameChars));
  }
  services_.store.create_category(name);
  return see_other(req, "/admin/categories?ok=created");
}

Status Admin::rename_category(const Request& req, const Session& session, const Form& form) {
  const std::string from = form.value("from");
  const std::string to = form.value("to");
  const auto list = services_.store.category_list();
  const auto known = [&list](std::string_view name) {
    return std::any_of(list.begin(), list.end(), [&](const auto& c) { return c.name == name; });
  };
  if (!known(from)) return categories_page(req, session, "要改名的分类不存在。");
  if (!is_short_line(to, kMaxNameChars)) {
    return categories_page(req, session,
                           fmt::format("新分类名须为一行，1 到 {} 个字。", kMaxNameChars));
  }
  if (to == from) return categories_page(req, session, "新旧分类名相同。");
  const bool merge = known(to);
  const auto moved = services_.store.rename_category(from, to);
  return see_other(req, with_flash("/admin/categories", merge ? "merged" : "renamed", moved));
}

Status Admin::order_categories(const Request& req, const Session& session, const Form& form) {
  const auto names = form.values("name");
  const auto positions = form.values("position");
  if (names.size() != positions.size()) return categories_page(req, session, "排序表单不完整。");
  std::set<std::string> known;
  for (const auto& c : services_.store.category_list()) known.insert(c.name);
  std::vector<std::pair<int, std::string>> order;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto position = parse_int<int>(text::trim(positions[i]));
    if (!position) return categories_page(req, session, "排序须为整数。");
    if (names[i].empty() || !known.contains(names[i])) {
      return categories_page(req, session, "排序表单中有不存在的分类。");
    }
    order.emplace_back(*position, names[i]);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> sorted;
  for (auto& [position, name] : order) sorted.push_back(std::move(name));
  services_.store.set_category_order(sorted);
  return see_other(req, "/admin/categories?ok=ordered");
}

Status Admin::set_category_kinds(const Request& req, const Session& session, const Form& form) {
  const auto names = form.values("name");
  const auto kinds = form.values("kind");
  if (names.size() != kinds.size()) return categories_page(req, session, "类型表单不完整。");
  std::map<std::string, store::CategoryKind> current;
  for (const auto& c : services_.store.category_list()) current.emplace(c.name, c.kind);
  std::vector<std::pair<std::string, store::CategoryKind>> changes;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto it = current.find(names[i]);
    if (it == current.end()) return categories_page(req, session, "类型表单中有不存在的分类。");
    if (kinds[i] != "model" && kinds[i] != "reference") {
      return categories_page(req, session, "分类类型须为范文或资料。");
    }
    const auto kind =
        kinds[i] == "reference" ? store::CategoryKind::kReference : store::CategoryKind::kModel;
    if (kind != it->second) changes.emplace_back(names[i], kind);
  }
  for (const auto& [name, kind] : changes) services_.store.set_category_kind(name, kind);
  return see_other(
      req, with_flash("/admin/categories", "kinds", static_cast<std::int64_t>(changes.size())));
}

// ---- 专题 ----

Status Admin::topics_page(const Request& req, const Session& session, std::string_view slug,
                          const Form* input, std::string_view error) {
  auto& store = services_.store;
  mstch::array rows;
  for (const auto& c : store.collections()) {
    rows.push_back(mstch::map{{"slug", c.slug},
                              {"title", c.title},
                              {"count", static_cast<int>(c.ids.size())},
                              {"position", c.position},
                              {"edit_href", "/admin/topics/" + c.slug},
                              {"public_href", "/topic/" + c.slug},
                              {"delete_action", "/admin/topics/" + c.slug + "/delete"}});
  }
  mstch::map context{{"rows", std::move(rows)}};
  if (input) {
    context["original"] = input->value("original");
    context["slug"] = input->value("slug");
    context["title"] = input->value("title");
    context["description"] = input->value("description");
    context["position"] = input->value("position");
    context["ids"] = first_value(*input, "ids");
    context["editing"] = !input->value("original").empty();
  } else if (!slug.empty()) {
    const auto c = store.collection(slug);
    if (!c) return fail(req, 404, "没有这个专题。", &session);
    std::string ids;
    for (const auto& id : c->ids) ids += id + "\n";
    context["original"] = c->slug;
    context["slug"] = c->slug;
    context["title"] = c->title;
    context["description"] = c->description;
    context["position"] = std::to_string(c->position);
    context["ids"] = ids;
    context["editing"] = true;
  } else {
    context["position"] = std::string("0");
  }
  if (!error.empty()) context["error"] = std::string(error);
  return render(req, error.empty() ? restinio::status_ok() : restinio::status_bad_request(),
                "admin_topics", "专题", "topics", &session, std::move(context));
}

Status Admin::save_topic(const Request& req, const Session& session, const Form& form) {
  auto& store = services_.store;
  const auto refuse = [&](std::string_view why) {
    return topics_page(req, session, "", &form, why);
  };
  store::Collection c;
  c.slug = form.value("slug");
  c.title = form.value("title");
  c.description = form.value("description");
  const std::string original = form.value("original");
  if (!is_slug(c.slug)) {
    return refuse(
        fmt::format("标识只能由小写字母、数字和连字符组成（1 到 {} 个）。", kMaxSlugChars));
  }
  if (!is_short_line(c.title, kMaxTopicTitleChars)) {
    return refuse(fmt::format("标题须为一行，1 到 {} 个字。", kMaxTopicTitleChars));
  }
  if (text::count_code_points(c.description) > kMaxDescriptionChars) {
    return refuse(fmt::format("简介不能超过 {} 个字。", kMaxDescriptionChars));
  }
  const auto position =
      parse_int<int>(form.value("position").empty() ? "0" : form.value("position"));
  if (!position) return refuse("排序须为整数。");
  c.position = *position;
  if (c.slug != original && store.collection(c.slug)) {
    return refuse("这个标识已被另一个专题使用。");
  }
  std::istringstream lines(first_value(form, "ids"));
  std::set<std::string> seen;
  std::vector<std::string> unknown;
  for (std::string line; std::getline(lines, line);) {
    const std::string id(text::trim(line));
    if (id.empty() || !seen.insert(id).second) continue;
    const auto d = io::detail::is_valid_id(id) ? store.get(id) : std::nullopt;
    if (!d || d->deleted) {
      unknown.push_back(id);
    } else {
      c.ids.push_back(id);
    }
  }
  if (!unknown.empty()) {
    std::string shown;
    for (std::size_t i = 0; i < unknown.size() && i < 5; ++i) shown += (i ? "、" : "") + unknown[i];
    return refuse(
        fmt::format("以下文档编号不存在或已删除：{}{}", shown, unknown.size() > 5 ? " 等" : ""));
  }
  if (c.ids.size() > kMaxTopicDocs) {
    return refuse(fmt::format("一个专题最多 {} 篇文档。", kMaxTopicDocs));
  }
  store.put_collection(c);
  if (!original.empty() && original != c.slug) store.delete_collection(original);
  return see_other(req, with_flash("/admin/topics/" + c.slug, "topic_saved"));
}

Status Admin::delete_topic(const Request& req, const Session& session, std::string_view slug) {
  if (!services_.store.delete_collection(slug)) return fail(req, 404, "没有这个专题。", &session);
  return see_other(req, "/admin/topics?ok=topic_deleted");
}

// ---- settings ----

Status Admin::settings_page(const Request& req, const Session& session, const Form* input,
                            std::string_view error) {
  // Fresh from the store: another server process may have saved them a moment ago, and a
  // form filled with stale values would undo that change when saved.
  settings_.invalidate();
  const auto site = settings_.get();
  const auto [min_preview, max_preview] = preview_bounds();
  mstch::map context{
      {"site_name", input ? input->value("site_name") : site->site_name},
      {"base_url", input ? input->value("base_url") : site->base_url},
      {"preview_chars",
       input ? input->value("preview_chars") : std::to_string(site->preview_chars)},
      {"guests_read_full_text",
       input ? input->value("guests_read_full_text") == "1" : site->guests_read_full_text},
      {"title_date_prefix",
       input ? input->value("title_date_prefix") == "1" : site->title_date_prefix},
      {"contact_text", input ? input->value("contact_text") : site->contact_text},
      {"wechat_caption", input ? input->value("wechat_caption") : site->wechat_caption},
      {"registration_" + (input ? input->value("registration") : site->registration), true},
      {"invite_code", input ? input->value("invite_code") : site->invite_code},
      {"min_preview", std::to_string(min_preview)},
      {"max_preview", std::to_string(max_preview)},
      {"has_wechat_image", site->has_wechat_image},
      {"wechat_image_src", fmt::format("/site/wechat-qr?v={}", site->version)},
      {"max_image_kib", static_cast<int>(kMaxSiteImageBytes >> 10)}};
  if (!error.empty()) context["error"] = std::string(error);
  return render(req, error.empty() ? restinio::status_ok() : restinio::status_bad_request(),
                "admin_settings", "站点设置", "settings", &session, std::move(context));
}

Status Admin::save_settings(const Request& req, const Session& session, const Form& form) {
  const auto refuse = [&](std::string_view why) { return settings_page(req, session, &form, why); };
  settings_.invalidate();  // start from the stored values (see settings_page)
  SiteSettings s = *settings_.get();
  s.site_name = form.value("site_name");
  s.base_url = form.value("base_url");
  while (s.base_url.ends_with('/')) s.base_url.pop_back();
  s.guests_read_full_text = form.value("guests_read_full_text") == "1";
  s.title_date_prefix = form.value("title_date_prefix") == "1";
  s.contact_text = form.value("contact_text");
  s.wechat_caption = form.value("wechat_caption");
  if (!form.value("registration").empty()) {  // forms without the field keep the setting
    s.registration = form.value("registration");
    s.invite_code = form.value("invite_code");
  }
  if (s.registration != "open" && s.registration != "invite" && s.registration != "closed") {
    return refuse("请选择注册方式。");
  }
  if (s.registration == "invite" && !is_short_line(s.invite_code, kMaxNameChars)) {
    return refuse(fmt::format("邀请注册须填写邀请码（一行，1 到 {} 个字）。", kMaxNameChars));
  }
  const auto [min_preview, max_preview] = preview_bounds();
  const auto preview = parse_int<std::size_t>(form.value("preview_chars"));
  if (!is_short_line(s.site_name, kMaxNameChars)) {
    return refuse(fmt::format("站点名称须为一行，1 到 {} 个字。", kMaxNameChars));
  }
  if (!is_base_url(s.base_url)) {
    return refuse("网站地址须以 http:// 或 https:// 开头，不含空格和引号（可留空）。");
  }
  if (!preview || *preview < min_preview || *preview > max_preview) {
    return refuse(fmt::format("预览长度须为 {} 到 {} 之间的整数。", min_preview, max_preview));
  }
  s.preview_chars = *preview;
  if (text::count_code_points(s.contact_text) > kMaxContactChars) {
    return refuse(fmt::format("客服说明不能超过 {} 个字。", kMaxContactChars));
  }
  if (!is_short_line(s.wechat_caption, kMaxNameChars)) {
    return refuse(fmt::format("订阅号说明须为一行，1 到 {} 个字。", kMaxNameChars));
  }
  services_.store.set_settings(settings_to_values(s));
  settings_.invalidate();
  return see_other(req, "/admin/settings?ok=saved");
}

Status Admin::save_wechat_image(const Request& req, const Session& session, const Form& form) {
  const auto file = std::find_if(form.files.begin(), form.files.end(),
                                 [](const UploadedFile& f) { return f.field == "image"; });
  if (file == form.files.end() || file->bytes.empty()) {
    return settings_page(req, session, nullptr, "请选择图片文件。");
  }
  if (file->bytes.size() > kMaxSiteImageBytes) {
    return settings_page(req, session, nullptr,
                         fmt::format("图片不能超过 {} KiB。", kMaxSiteImageBytes >> 10));
  }
  const std::string type = image_type(file->bytes);
  if (type.empty()) {
    return settings_page(req, session, nullptr, "只接受 PNG、JPEG、GIF 或 WebP 图片。");
  }
  services_.store.put_site_file({kWechatImageFile, type, std::string(file->bytes), ""});
  settings_.invalidate();
  return see_other(req, "/admin/settings?ok=image_saved");
}

// ---- feedback ----

Status Admin::feedback_page(const Request& req, const Session& session) {
  const auto query = query_of(req);
  const std::size_t page = query ? page_param(*query) : 0;
  if (page == 0) return fail(req, 400, "页码无效。", &session);
  const bool all = param(*query, "all") == "1";
  const std::string return_to = link(
      "/admin/feedback", {{"all", all ? "1" : ""}, {"page", page > 1 ? std::to_string(page) : ""}});
  auto& store = services_.store;
  auto messages = store.feedback(!all, kListPageSize + 1, (page - 1) * kListPageSize);
  const bool has_next = messages.size() > kListPageSize;
  if (has_next) messages.pop_back();
  mstch::array rows;
  for (const auto& m : messages) {
    rows.push_back(mstch::map{{"created_at", m.created_at},
                              {"contact", m.contact},
                              {"message", m.message},
                              {"handled", m.handled},
                              {"action", fmt::format("/admin/feedback/{}/handled", m.id)},
                              {"next_state", std::string(m.handled ? "0" : "1")},
                              {"return_to", return_to}});
  }
  mstch::map context{{"all", all},
                     {"unhandled", std::to_string(store.feedback_count(true))},
                     {"total", std::to_string(store.feedback_count(false))},
                     {"has_rows", !rows.empty()},
                     {"rows", std::move(rows)}};
  add_pager(context, "/admin/feedback", {{"all", all ? "1" : ""}}, page, has_next);
  return render(req, restinio::status_ok(), "admin_feedback", "留言", "feedback", &session,
                std::move(context));
}

Status Admin::set_feedback_handled(const Request& req, const Session& session, std::string_view id,
                                   const Form& form) {
  const auto number = parse_int<std::int64_t>(id);
  const std::string state = form.value("handled");
  if (state != "0" && state != "1") return fail(req, 400, "处理状态无效。", &session);
  if (!number || !services_.store.set_feedback_handled(*number, state == "1")) {
    return fail(req, 404, "没有这条留言。", &session);
  }
  const std::string back = form.value("return");
  return see_other(req, with_flash(is_admin_path(back) ? back : "/admin/feedback",
                                   state == "1" ? "handled" : "unhandled"));
}

// ---- near-duplicates ----

Status Admin::duplicates_page(const Request& req, const Session& session) {
  const auto query = query_of(req);
  const std::size_t page = query ? page_param(*query) : 0;
  if (page == 0) return fail(req, 400, "页码无效。", &session);
  const std::string return_to =
      link("/admin/duplicates", {{"page", page > 1 ? std::to_string(page) : ""}});
  auto& store = services_.store;
  auto pairs = store.similar_pairs(kListPageSize + 1, (page - 1) * kListPageSize);
  const bool has_next = pairs.size() > kListPageSize;
  if (has_next) pairs.pop_back();
  mstch::array rows;
  for (const auto& p : pairs) {
    rows.push_back(mstch::map{{"a", summary_context(p.a)},
                              {"b", summary_context(p.b)},
                              {"distance", p.distance},
                              {"return_to", return_to}});
  }
  mstch::map context{{"total", std::to_string(store.similar_pair_count())},
                     {"has_rows", !rows.empty()},
                     {"rows", std::move(rows)}};
  add_pager(context, "/admin/duplicates", {}, page, has_next);
  return render(req, restinio::status_ok(), "admin_duplicates", "近似重复", "duplicates", &session,
                std::move(context));
}

Status Admin::unlink_duplicates(const Request& req, const Session& session, const Form& form) {
  if (!services_.store.unlink_similar(form.value("a"), form.value("b"))) {
    return fail(req, 404, "这两篇文档之间没有近似重复记录。", &session);
  }
  const std::string back = form.value("return");
  return see_other(req, with_flash(is_admin_path(back) ? back : "/admin/duplicates", "unlinked"));
}

// ---- member accounts ----

Status Admin::users_page(const Request& req, const Session& session) {
  const auto query = query_of(req);
  const std::size_t page = query ? page_param(*query) : 0;
  if (page == 0) return fail(req, 400, "页码无效。", &session);
  const std::string return_to =
      link("/admin/users", {{"page", page > 1 ? std::to_string(page) : ""}});
  auto& store = services_.store;
  auto users = store.users(kListPageSize + 1, (page - 1) * kListPageSize);
  const bool has_next = users.size() > kListPageSize;
  if (has_next) users.pop_back();
  mstch::array rows;
  for (const auto& u : users) {
    rows.push_back(
        mstch::map{{"id", std::to_string(u.id)},
                   {"name", u.name},
                   {"role_" + u.role, true},
                   {"vip_until", u.vip_until},
                   {"disabled", u.disabled},
                   {"created_at", u.created_at},
                   {"last_login_at", u.last_login_at.empty() ? std::string("-") : u.last_login_at},
                   {"return_to", return_to}});
  }
  mstch::map context{{"total", std::to_string(store.user_count())},
                     {"has_rows", !rows.empty()},
                     {"rows", std::move(rows)}};
  add_pager(context, "/admin/users", {}, page, has_next);
  return render(req, restinio::status_ok(), "admin_users", "会员", "users", &session,
                std::move(context));
}

Status Admin::save_user(const Request& req, const Session& session, std::string_view id,
                        const Form& form) {
  const auto number = parse_int<std::int64_t>(id);
  auto user = number ? services_.store.user(*number) : std::nullopt;
  if (!user) return fail(req, 404, "没有这个账号。", &session);
  const std::string role = form.value("role");
  const std::string vip_until = form.value("vip_until");
  const bool disabled = form.value("disabled") == "1";
  if (!access::parse_role(role)) return fail(req, 400, "会员类型无效。", &session);
  if (!vip_until.empty() && !std::regex_match(vip_until, std::regex(R"(\d{4}-\d{2}-\d{2})"))) {
    return fail(req, 400, "VIP 到期日须为 YYYY-MM-DD（可留空）。", &session);
  }
  if (user->name == session.name && (role != "admin" || disabled)) {
    return fail(req, 400, "不能取消自己的管理员身份或停用自己的账号。", &session);
  }
  accounts_.set_role(user->id, role, role == "vip" ? vip_until : "");
  if (disabled != user->disabled) accounts_.set_disabled(user->id, disabled);
  const std::string back = form.value("return");
  return see_other(req, with_flash(is_admin_path(back) ? back : "/admin/users", "user_saved"));
}

}  // namespace wenku::web::admin

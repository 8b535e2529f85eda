// Member accounts over HTTP against the real `wenku serve` (two worker processes): register,
// login, the full text behind the 阅读全文 wall, CSRF, throttling shared by the workers,
// sessions, roles and per-document visibility, 收藏 (and merging a guest's 收藏) and 阅读历史.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "access/accounts.h"
#include "store/store.h"
#include "testing/test_support.h"
#include "testing/unzipped.h"
#include "web/http/url.h"
#include "web/http_client.h"
#include "web/site/members.h"
#include "web/visitor.h"

namespace wenku::web {
namespace {

using testing_http::Reply;
using testing_http::Visitor;
namespace http = testing_http::http;

constexpr const char* kSecret = "青鸟专项行动";  // only in the tail of the gated texts
constexpr const char* kPassword = "correct-horse-9";

// A long speech whose tail (far beyond the guest preview) names kSecret.
std::string long_text(const std::string& id, const std::string& title) {
  std::string content;
  for (int i = 0; i < 40; ++i)
    content += "各级各部门要切实加强安全生产工作，压实责任，排查隐患。\\n";
  content += std::string("最后，要全力推进") + kSecret + "，确保年底前取得实效。";
  return fmt::format(
             R"({{"id":"{}","title":"{}","date":"2024-03-15","category":"讲话稿","source":"test","content":"{}"}})",
             id, title, content) +
         "\n";
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

class MembersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto data = dir_.path() / "data";
    auto file = dir_.path() / "docs.jsonl";
    testing::write_file(file, long_text("gated", "在全区安全生产工作会议上的讲话") +
                                  long_text("vip-only", "会员专享的安全生产讲话") +
                                  long_text("open", "公开的安全生产讲话"));
    auto imported = testing::run({testing::wenku_binary(), "import", "--data", data, file});
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
    store_ = store::open_sqlite(data / "wenku.sqlite");
    ASSERT_TRUE(store_->set_visibility("vip-only", doc::Visibility::kVip));
    ASSERT_TRUE(store_->set_visibility("open", doc::Visibility::kPublic));
    access::Accounts accounts(*store_, "");
    accounts.create("vip读者", kPassword, access::Role::kVip);
    accounts.create("管理员", kPassword, access::Role::kAdmin);
    server_ = std::make_unique<testing::ServerProcess>(
        std::vector<std::string>{testing::wenku_binary(), "serve", "--data", data.string(),
                                 "--workers", "2", "--admin-token", "bootstrap-token-0123456789"});
    port_ = server_->port();
    ASSERT_NE(port_, 0) << "wenku serve did not start";
  }

  // A visitor logged in as `name`.
  Visitor member(const std::string& name, const std::string& source = "127.0.0.1") {
    Visitor v(port_, source);
    auto r = v.submit("/login", "/login", {{"username", name}, {"password", kPassword}});
    EXPECT_EQ(r.status, 303) << r.body;
    return v;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<testing::ServerProcess> server_;
  int port_ = 0;
};

TEST_F(MembersTest, RegisterReadTheWholeTextLogOut) {
  Visitor guest(port_);
  EXPECT_FALSE(contains(guest.get("/doc/gated").body, kSecret));
  EXPECT_TRUE(contains(guest.get("/doc/gated").body, R"(id="read-more")"));

  Visitor v(port_);
  auto r = v.submit("/register?next=/doc/gated", "/register",
                    {{"username", "张三"}, {"password", kPassword}, {"next", "/doc/gated"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header(http::field::location), "/doc/gated");
  EXPECT_TRUE(
      std::regex_match(v.set_cookie_header, std::regex("wk_session=[0-9a-f]{64}; Path=/; HttpOnly; "
                                                       "SameSite=Lax; Max-Age=[0-9]+")))
      << v.set_cookie_header;
  auto page = v.get("/doc/gated");
  EXPECT_TRUE(contains(page.body, kSecret));
  EXPECT_FALSE(contains(page.body, R"(id="read-more")"));
  EXPECT_TRUE(contains(page.body, R"(class="nav-me" href="/me">张三</a>)"));
  EXPECT_TRUE(contains(v.get("/api/v1/docs/gated").body, kSecret));
  EXPECT_TRUE(contains(v.get("/doc/gated/template").body, "确保年底前取得实效"));

  auto stored = store_->user_by_name("张三");
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->password_hash.starts_with("$argon2id$"));
  EXPECT_FALSE(contains(stored->password_hash, kPassword));

  auto me = v.get("/me");
  auto out = v.post("/logout", {{"csrf_token", Visitor::csrf_of(me.body)}});
  EXPECT_EQ(out.status, 303);
  EXPECT_FALSE(v.has_cookie("wk_session"));
  EXPECT_FALSE(contains(v.get("/doc/gated").body, kSecret));
  EXPECT_EQ(v.get("/me").status, 303) << "logged out: /me sends to /login";
}

TEST_F(MembersTest, AMissingOrWrongCsrfTokenChangesNothing) {
  Visitor v(port_);
  v.get("/register");  // the form cookie, but no token sent
  auto r = v.post("/register", {{"username", "李四"}, {"password", kPassword}});
  EXPECT_EQ(r.status, 403);
  r = v.post("/register",
             {{"username", "李四"}, {"password", kPassword}, {"csrf_token", std::string(64, 'a')}});
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(store_->user_by_name("李四"));

  auto m = member("vip读者");
  EXPECT_EQ(m.post("/logout", {{"csrf_token", std::string(64, 'b')}}).status, 403);
  EXPECT_TRUE(contains(m.get("/doc/vip-only").body, kSecret)) << "still logged in";
}

TEST_F(MembersTest, UnknownUsersAndWrongPasswordsGetOneAnswer) {
  Visitor v(port_);
  auto unknown = v.submit("/login", "/login", {{"username", "nobody"}, {"password", kPassword}});
  auto wrong =
      v.submit("/login", "/login", {{"username", "vip读者"}, {"password", "wrong-password"}});
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  const std::string message = "用户名或密码错误。";
  EXPECT_TRUE(contains(unknown.body, message));
  EXPECT_TRUE(contains(wrong.body, message));
  EXPECT_FALSE(v.has_cookie("wk_session"));
}

// Five wrong passwords for one account lock that account for the client that tried them,
// whichever worker answered each try, while its owner on another address still gets in.
TEST_F(MembersTest, ThrottlingIsSharedByTheWorkersAndSparesOtherClients) {
  Visitor attacker(port_, "127.0.0.21");
  for (int i = 0; i < access::kAccountFreeFailures; ++i) {
    auto r = attacker.submit("/login", "/login",
                             {{"username", "vip读者"}, {"password", "guess-" + std::to_string(i)}});
    ASSERT_EQ(r.status, 401) << i;
  }
  auto locked =
      attacker.submit("/login", "/login", {{"username", "vip读者"}, {"password", kPassword}});
  EXPECT_EQ(locked.status, 429);
  EXPECT_TRUE(contains(locked.body, "登录失败次数过多"));
  EXPECT_GT(std::stoi(locked.header(http::field::retry_after)), 0);
  EXPECT_FALSE(attacker.has_cookie("wk_session"));

  auto owner = member("vip读者", "127.0.0.22");
  EXPECT_TRUE(owner.has_cookie("wk_session"));
}

TEST_F(MembersTest, APasswordChangeEndsTheOtherSessions) {
  auto phone = member("vip读者", "127.0.0.31");
  auto laptop = member("vip读者", "127.0.0.32");
  const std::string fresh = "another-pass-77";
  auto r = phone.submit("/me/password", "/me/password",
                        {{"password", kPassword}, {"new_password", fresh}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(phone.get("/me").status, 200) << "the changing session stays";
  EXPECT_EQ(laptop.get("/me").status, 303) << "other sessions end";
  Visitor again(port_, "127.0.0.33");
  EXPECT_EQ(again.submit("/login", "/login", {{"username", "vip读者"}, {"password", fresh}}).status,
            303);
  Visitor old(port_, "127.0.0.34");
  EXPECT_EQ(
      old.submit("/login", "/login", {{"username", "vip读者"}, {"password", kPassword}}).status,
      401);
}

TEST_F(MembersTest, VisibilityDecidesWhoReadsTheWholeText) {
  Visitor guest(port_);
  EXPECT_TRUE(contains(guest.get("/doc/open").body, kSecret)) << "公开: guests too";
  EXPECT_FALSE(contains(guest.get("/doc/vip-only").body, kSecret));

  Visitor v(port_);
  ASSERT_EQ(
      v.submit("/register", "/register", {{"username", "王五"}, {"password", kPassword}}).status,
      303);
  EXPECT_TRUE(contains(v.get("/doc/gated").body, kSecret));
  auto vip_page = v.get("/doc/vip-only");
  EXPECT_FALSE(contains(vip_page.body, kSecret)) << "会员专享 stays cut for a member";
  EXPECT_TRUE(contains(vip_page.body, "会员专享内容"));
  EXPECT_FALSE(contains(v.get("/api/v1/docs/vip-only").body, kSecret));

  auto vip = member("vip读者");
  EXPECT_TRUE(contains(vip.get("/doc/vip-only").body, kSecret));
}

// 下载Word: for whoever reads the whole text; a guest of a gated text is told to log in, a
// member of a 会员专享 text to become a VIP, and neither gets the file.
TEST_F(MembersTest, WordDownloadsAreForReadersOfTheWholeText) {
  Visitor guest(port_);
  const auto gated_page = guest.get("/doc/gated");
  EXPECT_TRUE(contains(gated_page.body, R"(href="/login?next=/doc/gated">登录后下载Word</a>)"));
  EXPECT_FALSE(contains(gated_page.body, "/doc/gated/word.docx"));
  EXPECT_TRUE(contains(guest.get("/doc/gated/template").body,
                       R"(href="/login?next=/doc/gated/template">登录后下载Word</a>)"));
  for (const char* target : {"/doc/gated/word.docx", "/doc/gated/template.docx"}) {
    const auto refused = guest.get(target);
    EXPECT_EQ(refused.status, 403) << target;
    EXPECT_TRUE(contains(refused.body, "登录后才能下载这篇文档的 Word 文件")) << target;
    EXPECT_FALSE(contains(refused.body, kSecret)) << target;
  }
  // 公开: a guest downloads it.
  const auto open = guest.get("/doc/open/word.docx");
  EXPECT_EQ(open.status, 200);
  EXPECT_TRUE(contains(testing::unzipped(open.body), kSecret));

  Visitor v(port_);
  ASSERT_EQ(
      v.submit("/register", "/register", {{"username", "赵六"}, {"password", kPassword}}).status,
      303);
  EXPECT_TRUE(
      contains(v.get("/doc/gated").body, R"(href="/doc/gated/word.docx" download>下载Word)"));
  const auto text = v.get("/doc/gated/word.docx");
  ASSERT_EQ(text.status, 200);
  EXPECT_EQ(text.header(http::field::content_type),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_TRUE(contains(testing::unzipped(text.body), kSecret));
  EXPECT_EQ(v.get("/doc/gated/template.docx").status, 200);
  const auto vip_only = v.get("/doc/vip-only/word.docx");
  EXPECT_EQ(vip_only.status, 403);
  EXPECT_TRUE(contains(vip_only.body, "开通 VIP 会员后才能下载"));
  EXPECT_FALSE(contains(v.get("/doc/vip-only").body, "下载Word"));

  auto vip = member("vip读者");
  EXPECT_TRUE(contains(testing::unzipped(vip.get("/doc/vip-only/word.docx").body), kSecret));
}

TEST_F(MembersTest, FavoritesAndHistoryFollowTheMember) {
  auto m = member("vip读者");
  m.get("/doc/gated");
  auto history = m.get("/me/history");
  EXPECT_TRUE(contains(history.body, R"(href="/doc/gated")"));
  auto page = m.get("/doc/gated");
  auto added = m.post("/me/favorites", {{"csrf_token", Visitor::csrf_of(page.body)},
                                        {"doc_id", "gated"},
                                        {"action", "add"},
                                        {"back", "/doc/gated"}});
  EXPECT_EQ(added.status, 303);
  EXPECT_EQ(added.header(http::field::location), "/doc/gated");
  EXPECT_TRUE(contains(m.get("/me/favorites").body, R"(href="/doc/gated")"));
  EXPECT_TRUE(contains(m.get("/doc/gated").body, "已收藏"));

  auto list = m.get("/me/favorites");
  m.post("/me/favorites",
         {{"csrf_token", Visitor::csrf_of(list.body)}, {"doc_id", "gated"}, {"action", "remove"}});
  EXPECT_FALSE(contains(m.get("/me/favorites").body, R"(href="/doc/gated")"));

  auto cleared = m.submit("/me/history", "/me/history/clear", {});
  EXPECT_EQ(cleared.status, 303);
  EXPECT_FALSE(contains(m.get("/me/history").body, R"(href="/doc/gated")"));
  Visitor guest(port_);
  EXPECT_EQ(guest.get("/me/favorites").status, 303) << "guests are sent to /login";
}

// POST /me/favorites/merge with `ids` and the member's token from /me (or `token` when given).
Reply merge_favorites(Visitor& v, const std::string& ids,
                      std::optional<std::string> token = std::nullopt,
                      std::vector<std::pair<std::string, std::string>> extra = {}) {
  extra.emplace_back("csrf_token", token ? *token : Visitor::csrf_of(v.get("/me").body));
  extra.emplace_back("ids", ids);
  return v.post("/me/favorites/merge", extra);
}

// The favourites of `user` as "id@at" in list order (newest first).
std::vector<std::string> favorites_of(store::Store& store, const std::string& user) {
  std::vector<std::string> out;
  for (const auto& d : store.favorites(store.user_by_name(user)->id, 1000, 0))
    out.push_back(d.doc.id + "@" + std::to_string(d.at));
  return out;
}

// A guest's 收藏 (kept in the browser) joins the account after login: known, undeleted ids
// are added in the guest's order (newest first), unknown and deleted ones are skipped, ones
// already there keep their date, and sending the same list again adds nothing.
TEST_F(MembersTest, MergingAGuestsFavoritesAddsTheKnownOnesOnce) {
  ASSERT_TRUE(store_->set_deleted("open", true));
  const auto user = store_->user_by_name("vip读者")->id;
  ASSERT_TRUE(store_->add_favorite(user, "vip-only", 1000));
  auto m = member("vip读者");
  auto r = merge_favorites(m, "gated,no-such-doc,open,vip-only,gated");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.header(http::field::content_type).starts_with("application/json"));
  EXPECT_EQ(r.body, R"({"added":1,"already":1,"skipped":2})");
  auto listed = favorites_of(*store_, "vip读者");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_TRUE(listed[0].starts_with("gated@"));
  EXPECT_EQ(listed[1], "vip-only@1000") << "an existing favourite is left alone";
  EXPECT_TRUE(contains(m.get("/me/favorites").body, R"(href="/doc/gated")"));

  r = merge_favorites(m, "gated,vip-only");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"added":0,"already":2,"skipped":0})");
  EXPECT_EQ(favorites_of(*store_, "vip读者"), listed) << "merging twice changes nothing";

  // The order of the guest's list (newest first) is the order of 我的收藏.
  ASSERT_TRUE(store_->set_deleted("open", false));
  ASSERT_TRUE(store_->remove_favorite(user, "gated"));
  r = merge_favorites(m, "open,gated");
  EXPECT_EQ(r.body, R"({"added":2,"already":0,"skipped":0})");
  listed = favorites_of(*store_, "vip读者");
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_TRUE(listed[0].starts_with("open@")) << listed[0];
  EXPECT_TRUE(listed[1].starts_with("gated@")) << listed[1];
}

// A missing or wrong token, a body too large, too many or malformed ids: a clear 4xx (JSON
// with an error) and nothing stored.
TEST_F(MembersTest, MergingRefusesBadRequestsAndChangesNothing) {
  auto m = member("vip读者");
  const std::string token = Visitor::csrf_of(m.get("/me").body);
  ASSERT_FALSE(token.empty());
  Reply r = m.post("/me/favorites/merge", {{"ids", "gated"}});
  EXPECT_EQ(r.status, 403) << "no token";
  EXPECT_TRUE(contains(r.body, R"("error":)")) << r.body;
  EXPECT_EQ(merge_favorites(m, "gated", std::string(64, 'c')).status, 403) << "a wrong token";
  Visitor other = member("管理员", "127.0.0.41");
  EXPECT_EQ(merge_favorites(m, "gated", Visitor::csrf_of(other.get("/me").body)).status, 403)
      << "another member's token";

  std::string many = "gated";
  for (std::size_t i = 1; i <= kMaxMergeIds; ++i) many += ",id" + std::to_string(i);
  r = merge_favorites(m, many, token);
  EXPECT_EQ(r.status, 400) << "201 ids";
  EXPECT_TRUE(contains(r.body, "一次最多合并 200 篇收藏")) << r.body;
  EXPECT_EQ(merge_favorites(m, "gated," + std::string(kMaxMergeIdBytes + 1, 'a'), token).status,
            400)
      << "an id of 129 characters";
  EXPECT_EQ(merge_favorites(m, "gated,../etc/passwd", token).status, 400);
  EXPECT_EQ(merge_favorites(m, "gated,,open", token).status, 400) << "an empty id";
  EXPECT_EQ(merge_favorites(m, "", token).status, 400);
  EXPECT_EQ(
      merge_favorites(m, "gated", token, {{"pad", std::string(kMaxMergeFormBytes, 'x')}}).status,
      413);
  EXPECT_EQ(favorites_of(*store_, "vip读者"), std::vector<std::string>{});

  // The most ids a request may carry, and the longest id, are taken.
  std::string most = "gated";
  for (std::size_t i = 1; i < kMaxMergeIds - 1; ++i) most += ",id" + std::to_string(i);
  most += "," + std::string(kMaxMergeIdBytes, 'a');
  r = merge_favorites(m, most, token);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"added":1,"already":0,"skipped":199})");
}

TEST_F(MembersTest, AGuestCannotMergeFavorites) {
  Visitor guest(port_);
  // A guest's own form token (bound to the wk_form cookie) does not open the route.
  const std::string token = Visitor::csrf_of(guest.get("/login").body);
  ASSERT_FALSE(token.empty());
  auto r = guest.post("/me/favorites/merge", {{"csrf_token", token}, {"ids", "gated,open"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(r.header(http::field::content_type).starts_with("application/json"));
  EXPECT_EQ(favorites_of(*store_, "vip读者"), std::vector<std::string>{});
  EXPECT_EQ(favorites_of(*store_, "管理员"), std::vector<std::string>{});
}

TEST_F(MembersTest, AnAdminAccountOpensAdminAndRetiresTheToken) {
  auto admin = member("管理员");
  EXPECT_EQ(admin.get("/admin").status, 200);
  EXPECT_TRUE(contains(admin.get("/doc/gated").body, kSecret));
  Visitor token(port_);
  auto r = token.post("/admin/login", {{"token", "bootstrap-token-0123456789"}});
  EXPECT_EQ(r.status, 403) << "an admin account exists: the bootstrap token no longer opens /admin";
  auto vip = member("vip读者");
  EXPECT_NE(vip.get("/admin").status, 200);
}

TEST_F(MembersTest, RegistrationCanBeClosedOrNeedAnInvitationCode) {
  store_->set_settings({{"registration", "invite"}, {"invite_code", "邀请2025"}});
  Visitor v(port_);
  // The settings reach every worker within their 1 s check: wait for the invitation field.
  for (int i = 0; i < 200 && !contains(v.get("/register").body, "invite_code"); ++i) {
    v.get("/healthz");
  }
  ASSERT_TRUE(contains(v.get("/register").body, "invite_code"));
  EXPECT_EQ(v.submit("/register", "/register",
                     {{"username", "赵六"}, {"password", kPassword}, {"invite_code", "wrong"}})
                .status,
            403);
  EXPECT_EQ(v.submit("/register", "/register",
                     {{"username", "赵六"}, {"password", kPassword}, {"invite_code", "邀请2025"}})
                .status,
            303);
}

}  // namespace
}  // namespace wenku::web

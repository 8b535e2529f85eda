#include "app/users.h"

#include <istream>
#include <ostream>
#include <regex>

#include <fmt/format.h>

#include "access/accounts.h"

namespace wenku::app {

namespace {

// The first line of `in` without its line end; throws AccountError when there is none.
std::string read_password(std::istream& in) {
  std::string line;
  if (!std::getline(in, line)) throw access::AccountError("请在标准输入的第一行提供密码。");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

store::User existing(store::Store& store, const std::string& raw_name) {
  auto user = store.user_by_name(access::normalize_username(raw_name));
  if (!user) throw access::AccountError("没有这个用户：" + raw_name);
  return *user;
}

void list(store::Store& store, std::ostream& out) {
  out << fmt::format("{:>6}  {:<20}  {:<7}  {:<10}  {:<8}  {:<19}  {}\n", "id", "name", "role",
                     "vip_until", "status", "created_at", "last_login_at");
  constexpr std::size_t kPage = 500;
  for (std::size_t offset = 0;; offset += kPage) {
    const auto users = store.users(kPage, offset);
    for (const auto& u : users) {
      out << fmt::format("{:>6}  {:<20}  {:<7}  {:<10}  {:<8}  {:<19}  {}\n", u.id, u.name, u.role,
                         u.vip_until.empty() ? "-" : u.vip_until,
                         u.disabled ? "disabled" : "active", u.created_at,
                         u.last_login_at.empty() ? "-" : u.last_login_at);
    }
    if (users.size() < kPage) break;
  }
}

}  // namespace

int run_user_command(store::Store& store, const UserCommand& command, std::istream& in,
                     std::ostream& out, std::ostream& err) {
  using Action = UserCommand::Action;
  try {
    const auto role = access::parse_role(command.role);
    if ((command.action == Action::kAdd || command.action == Action::kRole) && !role) {
      throw access::AccountError("角色须为 member、vip 或 admin：" + command.role);
    }
    if (!command.vip_until.empty() &&
        !std::regex_match(command.vip_until, std::regex(R"(\d{4}-\d{2}-\d{2})"))) {
      throw access::AccountError("--vip-until 须为 YYYY-MM-DD：" + command.vip_until);
    }
    access::Accounts accounts(store, "");  // no forms here: the CSRF key is not used
    switch (command.action) {
      case Action::kAdd: {
        const auto id = accounts.create(command.name, read_password(in), *role);
        if (*role == access::Role::kVip && !command.vip_until.empty()) {
          store.set_role(id, command.role, command.vip_until);
        }
        out << fmt::format("user {} added (id {}, role {})\n",
                           access::normalize_username(command.name), id, command.role);
        return 0;
      }
      case Action::kPasswd:
        accounts.set_password(command.name, read_password(in));
        out << fmt::format("password of {} changed; its sessions ended\n", command.name);
        return 0;
      case Action::kRole: {
        const auto user = existing(store, command.name);
        const bool vip = *role == access::Role::kVip;
        store.set_role(user.id, command.role, vip ? command.vip_until : "");
        out << fmt::format("{} is now {}{}\n", user.name, command.role,
                           vip && !command.vip_until.empty() ? " until " + command.vip_until : "");
        return 0;
      }
      case Action::kDisable:
      case Action::kEnable: {
        const auto user = existing(store, command.name);
        const bool disable = command.action == Action::kDisable;
        store.set_disabled(user.id, disable);
        out << fmt::format("{} {}\n", user.name,
                           disable ? "disabled; its sessions ended" : "enabled");
        return 0;
      }
      case Action::kList:
        list(store, out);
        return 0;
    }
  } catch (const access::AccountError& e) {
    err << e.what() << "\n";
    return 1;
  }
  return 1;
}

}  // namespace wenku::app

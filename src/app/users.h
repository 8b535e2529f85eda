// `wenku user …`: member accounts from the command line (the operator's tool, and the way to
// create the first admin). Passwords are read from standard input (its first line), never
// from an argument, where other users of the machine could read them in the process list.
#pragma once

#include <iosfwd>
#include <string>

#include "store/store.h"

namespace wenku::app {

struct UserCommand {
  enum class Action { kAdd, kPasswd, kRole, kList, kDisable, kEnable } action = Action::kList;
  std::string name;
  std::string role = "member";  // add, role: member, vip or admin
  std::string vip_until;        // role vip: "YYYY-MM-DD" (inclusive), "" no expiry
};

// Runs `command` on `store`, reading a password from `in` where one is needed and writing
// what was done (or the account table, for kList) to `out`. Returns the exit status: 0 done,
// 1 refused (the reason, in Chinese, written to `err`).
int run_user_command(store::Store& store, const UserCommand& command, std::istream& in,
                     std::ostream& out, std::ostream& err);

}  // namespace wenku::app

// The `wenku` command line.
#pragma once

namespace wenku::app {

// Parses `argv` and runs the chosen command (README.md lists them: serve, import, search,
// related, reindex, backup, restore, keywords, analyze, export, user, routes, segment).
// Returns the process exit code: 0 on success, 1 on a failure the command reported on
// stderr, 2 on a usage error.
int run_cli(int argc, char** argv);

}  // namespace wenku::app

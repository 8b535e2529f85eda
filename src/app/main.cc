#include "app/cli.h"

int main(int argc, char** argv) { return wenku::app::run_cli(argc, argv); }

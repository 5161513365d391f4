// The claimcheck executable: forwards argv to claimcheck::cli::run_cli.
#include <iostream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return claimcheck::cli::run_cli(args, std::cout, std::cerr);
}

// Reading claim specs from disk: one claims/<id>.json, or every one in a directory (spec.h).
#include "harness/claims/spec.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "harness/claims/json_reader.h"

namespace claimcheck::claims {
namespace fs = std::filesystem;

ClaimSpec load_claim(const fs::path& file) {
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    throw SpecError(file.string() +
                    ": is a directory, not a claim spec file; move it out of the "
                    "claims directory or rename it (claim specs are <id>.json files)");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw SpecError(file.string() + ": cannot open the claim spec (" + std::strerror(errno) + ")");
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) throw SpecError(file.string() + ": cannot read the claim spec");
  nlohmann::json json;
  try {
    json = parse_json_strict(text.str());
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range 406: 1e999
    throw SpecError(file.string() + ": not valid JSON (" + e.what() + ")");
  } catch (const std::invalid_argument& e) {  // a duplicate key, or absurd nesting
    throw SpecError(file.string() + ": " + e.what());
  }
  ClaimSpec spec = parse_claim(json, file.string());
  if (file.stem().string() != spec.id) {
    throw SpecError(file.string() + ": id: '" + spec.id + "' must equal the file name ('" +
                    file.stem().string() + "'); rename one of them");
  }
  return spec;
}

std::vector<ClaimSpec> load_all_claims(const fs::path& dir) {
  if (!fs::is_directory(dir)) {
    throw SpecError(dir.string() + ": not a directory of claim specs (check --claims-dir)");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<ClaimSpec> specs;
  for (const auto& f : files)
    specs.push_back(load_claim(f));
  return specs;
}

}  // namespace claimcheck::claims

#include "harness/base/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace claimcheck::base {
namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(buffer).str();
}

void fsync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) {
    throw std::runtime_error(path.string() + ": cannot open to sync: " + std::strerror(errno));
  }
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error(path.string() + ": fsync failed: " + std::strerror(errno));
}

void write_file_atomically(const fs::path& file, std::string_view bytes, const std::string& what) {
  const fs::path tmp = file.string() + ".tmp";
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      out.flush();
      if (!out) throw std::runtime_error(tmp.string() + ": cannot write " + what);
    }
    fsync_path(tmp);
    fs::rename(tmp, file);
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);  // the old file stands; leave no half-written file beside it
    throw;
  }
  fsync_path(file.parent_path().empty() ? fs::path(".") : file.parent_path(), true);
}

}  // namespace claimcheck::base

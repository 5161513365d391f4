#include "harness/claims/run_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace claimcheck::claims {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void io_error(const fs::path& file, const std::string& what) {
  throw std::runtime_error(file.string() + ": " + what + ": " + std::strerror(errno) +
                           " (the existing records are untouched)");
}

// Holds an flock on a file descriptor for one scope.
class FileLock {
 public:
  FileLock(int fd, const fs::path& file) : fd_(fd) {
    while (flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) io_error(file, "cannot lock");
    }
  }
  ~FileLock() { flock(fd_, LOCK_UN); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

void write_all(int fd, const std::string& data, const fs::path& file) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      io_error(file, "write failed");
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

RunStore::RunStore(fs::path file) : file_(std::move(file)) {
  if (file_.has_parent_path()) fs::create_directories(file_.parent_path());
  reload();
}

void RunStore::add_record(const nlohmann::json& record) {
  const std::string key = record.at("key").get<std::string>();
  if (index_.count(key) != 0) return;  // a duplicate (two writers raced): the first one stands
  index_[key] = records_.size();
  records_.push_back(record);
}

void RunStore::reload() {
  std::lock_guard<std::mutex> guard(mutex_);
  records_.clear();
  index_.clear();
  warnings_.clear();
  std::ifstream in(file_, std::ios::binary);
  if (!in) return;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::size_t start = 0;
  int line_number = 0;
  while (start < text.size()) {
    ++line_number;
    const std::size_t end = text.find('\n', start);
    const bool complete = end != std::string::npos;
    const std::string line = text.substr(start, complete ? end - start : std::string::npos);
    start = complete ? end + 1 : text.size();
    if (line.empty()) continue;
    const std::string where = file_.string() + ":" + std::to_string(line_number) + ": ";
    nlohmann::json record;
    try {
      record = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error&) {
      warnings_.push_back(where + (complete ? "not valid JSON, skipped"
                                            : "torn last line (a run was interrupted while "
                                              "being written), skipped; that run will be redone"));
      continue;
    }
    if (!record.is_object() || !record.contains("key") || !record["key"].is_string()) {
      warnings_.push_back(where + "record without a \"key\", skipped");
      continue;
    }
    add_record(record);
  }
}

bool RunStore::contains(const std::string& key) const {
  std::lock_guard<std::mutex> guard(mutex_);
  return index_.count(key) != 0;
}

const nlohmann::json& RunStore::at(const std::string& key) const {
  std::lock_guard<std::mutex> guard(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) throw std::out_of_range(file_.string() + ": no run with key " + key);
  return records_[it->second];
}

void RunStore::append(const nlohmann::json& record) {
  if (!record.contains("key")) throw std::invalid_argument("run record without a \"key\"");
  std::lock_guard<std::mutex> guard(mutex_);
  const int fd = ::open(file_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) io_error(file_, "cannot open for appending");
  try {
    FileLock lock(fd, file_);
    // After a crash mid-write the file ends without a newline: start on a fresh line so the
    // torn fragment stays a line of its own (skipped on load) instead of corrupting this one.
    std::string line = record.dump() + "\n";
    const off_t size = ::lseek(fd, 0, SEEK_END);
    if (size > 0) {
      char last = '\n';
      if (::pread(fd, &last, 1, size - 1) == 1 && last != '\n') line.insert(0, "\n");
    }
    write_all(fd, line, file_);
    if (::fsync(fd) != 0) io_error(file_, "fsync failed");
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  add_record(record);
}

std::vector<nlohmann::json> merge_stores(const std::vector<fs::path>& files) {
  std::vector<nlohmann::json> merged;
  std::map<std::string, bool> seen;
  for (const auto& f : files) {
    const RunStore store(f);
    for (const auto& r : store.records()) {
      if (seen.emplace(r.at("key").get<std::string>(), true).second) merged.push_back(r);
    }
  }
  return merged;
}

}  // namespace claimcheck::claims

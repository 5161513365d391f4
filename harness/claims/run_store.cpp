#include "harness/claims/run_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "harness/claims/run_record.h"

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

StoreWriterLock::StoreWriterLock(const fs::path& store_file) {
  if (store_file.has_parent_path()) fs::create_directories(store_file.parent_path());
  const fs::path lock_file = store_file.string() + ".lock";
  fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) io_error(lock_file, "cannot open the store's lock file");
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    std::string holder(256, '\0');
    const ssize_t n = ::pread(fd_, holder.data(), holder.size() - 1, 0);
    holder.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0'))
      holder.pop_back();
    ::close(fd_);
    fd_ = -1;
    if (error != EWOULDBLOCK) {
      errno = error;
      io_error(lock_file, "cannot lock");
    }
    throw StoreBusy(store_file.string() + ": another claimcheck is writing this store (" +
                    (holder.empty() ? "holder unknown" : holder) +
                    "); wait for it to finish, stop it, or use another --store");
  }
  // The holder's identity, for the message a second writer gets.
  const std::time_t now = std::time(nullptr);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
  const std::string text = "PID " + std::to_string(::getpid()) + ", started " + when + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    (void)::pwrite(fd_, text.data(), text.size(), 0);
  }
}

StoreWriterLock::~StoreWriterLock() {
  if (fd_ >= 0) {
    flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

RunStore::RunStore(fs::path file) : file_(std::move(file)) {
  reload();
}

void RunStore::add_record(const nlohmann::json& record, int line) {
  const std::string key = record.at("key").get<std::string>();
  const auto it = index_.find(key);
  if (it != index_.end()) {
    // The same run again: it was trained again on purpose (its artifact was damaged), so the
    // later record stands, in the earlier one's place.
    records_[it->second] = record;
    lines_[key] = line;
    return;
  }
  index_[key] = records_.size();
  lines_[key] = line;
  records_.push_back(record);
}

void RunStore::reload() {
  std::lock_guard<std::mutex> guard(mutex_);
  records_.clear();
  index_.clear();
  lines_.clear();
  warnings_.clear();
  std::error_code code;
  const fs::file_status status = fs::status(file_, code);
  if (status.type() == fs::file_type::not_found) return;  // an empty store
  if (status.type() != fs::file_type::regular) {
    throw std::runtime_error(file_.string() +
                             ": is not a run store file (a directory, or not a regular file); "
                             "move it aside: the store must be a file written by `claimcheck run`");
  }
  // A store that exists but cannot be read is an error, never an empty store: read as empty, its
  // runs would be reported missing and trained again.
  std::ifstream in(file_, std::ios::binary);
  if (!in) {
    throw std::runtime_error(file_.string() + ": cannot read the run store (" +
                             std::strerror(errno) +
                             "); fix its permissions or run as its owner: its records are "
                             "untouched");
  }
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
    } catch (const nlohmann::json::exception&) {  // parse_error, or out_of_range 406: 1e999
      warnings_.push_back(where + (complete ? "not valid JSON, skipped (not a run record: if "
                                              "it was one, `claimcheck run` trains that run "
                                              "again; the line itself can be deleted)"
                                            : "torn last line (a run was interrupted while "
                                              "being written), skipped; that run will be redone"));
      continue;
    }
    if (has_foreign_format(record)) {
      throw std::runtime_error(where + "a run record of format " + record["format"].dump() +
                               "; this claimcheck reads format " +
                               std::to_string(kRunRecordFormat) +
                               ". Use the claimcheck that wrote it, or move the store aside");
    }
    const std::string problem = run_record_problem(record);
    if (!problem.empty()) {
      warnings_.push_back(where + problem + "; line skipped (its run will be trained again)");
      continue;
    }
    add_record(record, line_number);
  }
}

std::map<std::string, nlohmann::json> RunStore::by_key() const {
  std::map<std::string, nlohmann::json> out;
  for (const auto& r : records_)
    out.emplace(r.at("key").get<std::string>(), r);
  return out;
}

bool RunStore::contains(const std::string& key) const {
  std::lock_guard<std::mutex> guard(mutex_);
  return index_.count(key) != 0;
}

std::string RunStore::location(const std::string& key) const {
  std::lock_guard<std::mutex> guard(mutex_);
  const auto it = lines_.find(key);
  return it == lines_.end() || it->second == 0 ? file_.string()
                                               : file_.string() + ":" + std::to_string(it->second);
}

const nlohmann::json& RunStore::at(const std::string& key) const {
  std::lock_guard<std::mutex> guard(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) throw std::out_of_range(file_.string() + ": no run with key " + key);
  return records_[it->second];
}

void RunStore::append(const nlohmann::json& record) {
  const std::string problem = run_record_problem(record);
  if (!problem.empty()) throw std::invalid_argument("not a valid run record: " + problem);
  std::lock_guard<std::mutex> guard(mutex_);
  if (file_.has_parent_path()) fs::create_directories(file_.parent_path());
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
  add_record(record, 0);
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

// Whole-file IO with the guarantees stored results need: a read that reports why it failed, and a
// write that is atomic and durable (the old file or the new one survives a crash, never half of
// either).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace claimcheck::base {

/// The bytes of `file`, or nullopt when it cannot be opened or read (errno says why; callers
/// word the error for their file kind).
std::optional<std::string> read_file(const std::filesystem::path& file);

/// fsync of a file or directory; throws std::runtime_error naming the path.
void fsync_path(const std::filesystem::path& path, bool directory = false);

/// Writes `bytes` to `file` through `<file>.tmp`: write, fsync, rename over `file`, fsync the
/// directory. Throws std::runtime_error "<file>.tmp: cannot write <what>" (or the failing fsync or
/// rename), removes the temporary file, and leaves any old `file` untouched on failure.
void write_file_atomically(const std::filesystem::path& file, std::string_view bytes,
                           const std::string& what);

}  // namespace claimcheck::base

// Ctrl-C (SIGINT) and SIGTERM during `claimcheck run`: the first signal asks the executor to stop
// (in-flight runs are abandoned at their next step, finished runs are already in the store) so
// the command can say how many runs were kept; a second signal kills the process at once.
#pragma once

#include <atomic>

namespace claimcheck::cli {

/// Installs the handlers for its lifetime and restores the previous ones afterwards.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

/// The flag the handlers set (false until a signal arrives; reset by InterruptGuard).
const std::atomic<bool>* interrupt_flag();

}  // namespace claimcheck::cli

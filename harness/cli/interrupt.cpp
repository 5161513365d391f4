#include "harness/cli/interrupt.h"

#include <csignal>

namespace claimcheck::cli {
namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

struct sigaction g_old_int;
struct sigaction g_old_term;

void on_signal(int signal) {
  if (g_interrupted.exchange(true)) {
    // Second signal: the user means it. Default action, re-raised.
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_interrupted = false;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_old_int);
  sigaction(SIGTERM, &action, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

const std::atomic<bool>* interrupt_flag() {
  return &g_interrupted;
}

}  // namespace claimcheck::cli

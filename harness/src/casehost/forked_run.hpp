// forked_run.hpp - one run of a variant in a child process of its own, for the property check.
//
// A property runs a variant hundreds of times. In one process every run would inherit what
// the runs before it left behind: the allocator's state (glibc raises its mmap threshold after
// the first large free, so a later use-after-free reads intact stale memory instead of
// faulting), static state, threads a broken variant forgot to join. And a crash would end the
// whole search with no input to shrink. Forking per run gives each run the state of a fresh
// program and turns a crash into a failing input like any other, which rapidcheck shrinks.
//
// Internal to the case host (plain configuration) and the property test program. The caller
// must have no other threads running: fork() copies only the calling thread.
#pragma once

#include <string>

#include "registry.hpp"

namespace casebook::casehost {

struct forked_outcome {
  cb::outcome outcome;  // what run() returned; holds == false when the child died
  bool crashed = false;
  std::string death;  // crashed: how it ended, "was killed by signal 11 (Segmentation fault)"
};

// Runs v.spec.run(p) in a forked child and waits for it. Throws std::runtime_error when the
// child cannot be started.
forked_outcome run_forked(const registered_variant& v, const cb::params& p);

}  // namespace casebook::casehost

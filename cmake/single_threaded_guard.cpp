// single_threaded_guard.cpp - linked into each test program marked casebook_single_threaded()
// (cmake/self_check.cmake), which the harness's TSan self-check leaves out because the program
// never starts a thread. This pthread_create takes the place of the C library's for the whole
// process (std::thread and every library reach it through the dynamic linker), so a marked
// program that does start a thread stops at once, saying which mark to remove, instead of
// keeping its concurrent code away from the self-check unseen.
#include <pthread.h>

#include <cstdio>
#include <cstdlib>

#ifndef CASEBOOK_SINGLE_THREADED_TARGET
#error "compiled through casebook_single_threaded(), which names the target"
#endif

extern "C" int pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*) {
  std::fprintf(stderr,
               "casebook: test program %s started a thread, but it is marked "
               "casebook_single_threaded() (cmake/self_check.cmake), so the harness's TSan "
               "self-check does not run it. Remove the mark (and its folder's "
               "CASEBOOK_THREADED_TESTS_ONLY guard) so its tests run under TSan.\n",
               CASEBOOK_SINGLE_THREADED_TARGET);
  std::abort();
}

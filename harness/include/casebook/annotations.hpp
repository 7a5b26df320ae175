// annotations.hpp - Clang thread-safety annotations for case code: which lock guards which
// data, which functions need a lock held or not held, and in what order locks are taken.
//
//   struct tally {
//     cb::mutex lock;
//     cb::shared<std::int64_t> count CB_GUARDED_BY(lock){0};
//   };
//   void bump(tally& t) CB_REQUIRES(t.lock);
//
// The `thread-safety` detector compiles a variant with clang's -Wthread-safety analysis in the
// thread-safety configuration (CASEBOOK_FACADE_THREAD_SAFETY), where the cb:: mutexes and lock
// holders are annotated wrappers (casebook/thread_safety/facade.hpp). Only there do the macros
// expand to the attributes. Everywhere else, and under every compiler but clang, they expand to
// nothing: the real builds' cb::mutex is std::mutex, which carries no capability attribute,
// so an attribute naming it would only draw -Wthread-safety-attributes warnings.
//
// The harness's own locked state is annotated with the same macros (its annotated mutex is
// harness/src/common/mutex.hpp): its targets define CASEBOOK_ANNOTATE_HARNESS
// (cmake/warnings.cmake), so under clang its code is always analysed.
#pragma once

#if defined(__clang__) && \
    (defined(CASEBOOK_FACADE_THREAD_SAFETY) || defined(CASEBOOK_ANNOTATE_HARNESS))
#define CB_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define CB_THREAD_ANNOTATION(x)
#endif

// On a type: values of it are locks the analysis tracks ("mutex", "token", ...).
#define CB_CAPABILITY(name) CB_THREAD_ANNOTATION(capability(name))
// On a type: an RAII holder that acquires in its constructor and releases in its destructor.
#define CB_SCOPED_CAPABILITY CB_THREAD_ANNOTATION(scoped_lockable)
// On data: reading or writing it requires holding m (reads: shared or exclusive).
#define CB_GUARDED_BY(m) CB_THREAD_ANNOTATION(guarded_by(m))
// On a pointer: what it points to requires holding m (the pointer itself does not).
#define CB_PT_GUARDED_BY(m) CB_THREAD_ANNOTATION(pt_guarded_by(m))
// On a lock: it must be taken before (after) the named locks whenever both are held.
#define CB_ACQUIRED_BEFORE(...) CB_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define CB_ACQUIRED_AFTER(...) CB_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
// On a function: callers must hold the locks (exclusively / at least shared).
#define CB_REQUIRES(...) CB_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define CB_REQUIRES_SHARED(...) CB_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
// On a function: it takes (gives back) the locks and returns holding (not holding) them.
#define CB_ACQUIRE(...) CB_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define CB_ACQUIRE_SHARED(...) CB_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define CB_RELEASE(...) CB_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define CB_RELEASE_SHARED(...) CB_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
// On a function: it holds the locks when it returns `result` (try_lock and friends).
#define CB_TRY_ACQUIRE(...) CB_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define CB_TRY_ACQUIRE_SHARED(...) CB_THREAD_ANNOTATION(try_acquire_shared_capability(__VA_ARGS__))
// On a function: callers must not hold the locks (it takes them itself).
#define CB_EXCLUDES(...) CB_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// On a function: it returns a reference to the given lock.
#define CB_RETURN_CAPABILITY(x) CB_THREAD_ANNOTATION(lock_returned(x))
// On a function: the analysis does not check its body (say why beside it).
#define CB_NO_THREAD_SAFETY_ANALYSIS CB_THREAD_ANNOTATION(no_thread_safety_analysis)

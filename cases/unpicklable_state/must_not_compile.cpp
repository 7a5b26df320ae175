// unpicklable_state, compile probe: the broken variant's hand-off written through
// cb::send_record, the checked way to send a value to another process. It must be refused,
// and for the right reason; the compile detector checks both. Not part of any build.
//
// casebook-expect-error: cannot cross a process boundary
#include <casebook/crossing.hpp>

#include "audit_job.hpp"

bool hand_off(int to_worker, const audit_job& job) {
  return cb::send_record(to_worker, job);  // refused: a mutex, a string and a vector inside
}

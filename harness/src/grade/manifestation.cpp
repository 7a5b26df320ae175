#include "grade/manifestation.hpp"

namespace casebook {

Manifestation measure_manifestation(const Expectation& expected,
                                    const std::vector<TrialRecord>& trials) {
  const bool expects_finding = expected.want == Want::finds || expected.want == Want::may_find;
  return results::measure_manifestation(expects_finding, expected.kinds, trials);
}

}  // namespace casebook

// manifestation.hpp - a pair's manifestation measured from the runner's own records: the rule
// and the statistics are results/manifestation.hpp's, shared with every report.
#pragma once

#include <vector>

#include "catalog/catalog.hpp"
#include "grade/trial_record.hpp"
#include "results/manifestation.hpp"

namespace casebook {

using results::Manifestation;
using results::wilson_interval;

// A hit is a trial with one of expected's kinds when it finds or may find, any finding else.
Manifestation measure_manifestation(const Expectation& expected,
                                    const std::vector<TrialRecord>& trials);

}  // namespace casebook

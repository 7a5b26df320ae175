// The `property` command in the sanitizer and model case hosts: properties run in the plain
// build only (see property_command.hpp).
#include <iostream>

#include "property_command.hpp"

namespace casebook::casehost {

int property_command(const std::vector<std::string_view>&) {
  std::cerr << "casebook case host: `property` runs in casebook-cases-plain only; this is "
            << CASEBOOK_CONFIGURATION_BINARY << "\n";
  return 2;
}

}  // namespace casebook::casehost

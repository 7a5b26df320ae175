#include "outcome_file.hpp"

#include <fstream>
#include <iostream>

namespace casebook::casehost {

int write_outcome(const nlohmann::json& out, const std::string& path) {
  if (path.empty()) {
    std::cout << out.dump() << std::endl;
    return 0;
  }
  std::ofstream file(path, std::ios::trunc);
  file << out.dump() << "\n";
  file.close();
  if (!file) {
    std::cerr << "casebook case host: cannot write outcome file '" << path << "'\n";
    return 3;
  }
  return 0;
}

}  // namespace casebook::casehost

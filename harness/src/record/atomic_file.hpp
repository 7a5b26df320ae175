// atomic_file.hpp - write a file so that readers see the old content or the new, never half.
#pragma once

#include <string>

namespace casebook {

// Writes text to a temporary file beside path, flushes it to disk, then renames it over path.
// Throws InfraError naming the path and the system's reason when any step fails; on failure
// the previous file at path is untouched and the temporary is removed.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace casebook

// compiler_diagnostics.hpp - a compiler's error output -> diagnostics, for the compile
// detector.
//
// Reads what clang and gcc print on stderr, in the shapes a failed template instantiation
// produces:
//
//   clang: /src/h.hpp:37:3: error: static assertion failed due to requirement '...': message
//          /src/p.cpp:12:7: note: in instantiation of function template specialization
//          'cb::send_record<account>' requested here
//   gcc:   /src/h.hpp: In instantiation of 'constexpr void cb::f() [with T = account]':
//          /src/p.cpp:12:17:   required from here
//          /src/h.hpp:37:17: error: static assertion failed: message
//
// Lines of source and caret markers that compilers echo under a diagnostic, and gcc's
// "In instantiation of" headers, are skipped.
//
// All functions here are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace casebook {

struct Diagnostic {
  std::string file;      // normalised, repo-relative under source_root
  int line = 0;          // 0 when the compiler printed none
  int column = 0;        // 0 when the compiler printed none
  std::string severity;  // "error", "fatal error", "warning" or "note" (gcc's "required
                         // from ..." lines are notes)
  std::string message;
};

// Every "<file>:<line>[:<col>]: <severity>: <message>" line of text, in order, and gcc's
// "<file>:<line>:<col>:   required from ..." lines as notes. Cost: linear in text.
std::vector<Diagnostic> parse_compiler_diagnostics(std::string_view text,
                                                   std::string_view source_root);

}  // namespace casebook

// discovery.hpp - the standalone programs in the folders a user names with --programs.
//
// A program is a .c or .cpp file with its own main(), run unchanged: no cb:: API, no
// CASEBOOK_VARIANT. The shapes a folder may hold:
//
//   DIR/broken.c + DIR/fixed.c          DIR itself is a pair (case = DIR's name)
//   DIR/<name>/broken.cpp + fixed.cpp   a pair (case = <name>), as in the catalog
//   DIR/<name>/*.c, *.cpp               one program of several files (case = <name>)
//   DIR/<name>.c                        one program (case = <name>, variant "program")
//
// A pair's variants are "broken" and "fixed"; a single program's is "program". Files without
// main() and folders without a program are passed over (a corpus's shared utility code), and
// so is everything that is not C or C++ (READMEs, Makefiles, headers on their own). A named
// path that is not a folder or a C/C++ file, or a folder with no program at all, is a
// UsageError naming it. Pure apart from reading the folders; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace casebook {

struct ProgramSource {
  std::string case_name;
  std::string variant;  // "broken", "fixed" or "program"
  std::string root;     // the --programs folder it was found under (absolute)
  // Its files, relative to root ("pair/broken.cpp", "DRB001-x-yes.c"); the first holds
  // main() and is the file its evidence and declarations are located in.
  std::vector<std::string> files;
  bool cxx = false;  // some file is C++ (.cpp, .cc, .cxx): link with the C++ driver
};

// The programs under each path of roots, in path order, each path's programs sorted by case
// and variant. Throws UsageError for a path that is missing, not a folder or C/C++ file, or
// holds no program, and for two programs with one case/variant name.
std::vector<ProgramSource> discover_programs(const std::vector<std::string>& roots);

// Whether source text defines main() (a heuristic over the text with comments removed: a
// `main` followed by `(` at the start of a line or after a type).
bool defines_main(const std::string& source_text);

// Whether path names a C or C++ source file by its extension.
bool is_c_or_cxx_source(const std::string& path);

}  // namespace casebook

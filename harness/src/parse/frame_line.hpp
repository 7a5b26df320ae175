// frame_line.hpp - one printed stack frame -> Frame, and the path rules every parser shares.
//
// The sanitizers print frames in a few shapes, all starting with "#N" after some indentation:
//
//   TSan (clang):  #0 ns::f(int) const /src/x.cpp:4:56 (bin+0xd4522) (BuildId: 93b6...)
//                  #0 pthread_create <null> (bin+0x5340d)           (no source location)
//                  #6 <null> <null> (libstdc++.so.6+0xd44a2)        (nothing symbolized)
//                  #0 f(void*) /src/x.cpp (bin+0xd4406)             (file without line)
//   TSan (gcc):    #0 bump /src/x.cpp:10 (bin+0x11d6)                (no column)
//   ASan/LSan/UBSan:
//                  #0 0x55d0c4a3b1c2 in worker(int) /src/x.cpp:10:5
//                  #3 0x7f12 (/lib/x86_64-linux-gnu/libc.so.6+0x27249)   (no function)
//                  #0 0x7f12 in operator delete(void*) (/usr/lib/libasan.so.8+0xd9a5f)
//
// Function names hold spaces, parentheses, templates and lambdas, so a frame is read from its
// end: the trailing "(module+0x...)" and "(BuildId: ...)" groups first, then the last token if
// it is a source location ("<path>:<line>[:<col>]", a bare path, or "<null>"), and whatever is
// left is the function. gdb's frames have another shape; gdb_parser.hpp reads those.
//
// All functions here are pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "parse/finding.hpp"

namespace casebook {

// A file position as a tool printed it, with the file already normalised.
struct SourceLocation {
  std::string file;
  int line = 0;    // 0 when not printed
  int column = 0;  // 0 when not printed
};

// Normalises a path as the parsers report it: "." and "dir/.." segments are removed lexically
// (no file system access, symlinks are not resolved; leading ".." of a relative path stay), and
// a path under `source_root` (an absolute directory, trailing slash optional) becomes relative
// to it ("cases/x/broken.cpp"). Other paths keep their absolute or relative form. An empty
// source_root makes nothing relative.
std::string normalize_source_path(std::string_view path, std::string_view source_root);

// Parses "<path>:<line>:<col>", "<path>:<line>" or "<path>" (a bare path only when
// allow_bare_path is set and the text has a '/' or looks like a source file). Returns nullopt
// for anything else, including "<null>" and text with spaces. The file is normalised as by
// normalize_source_path.
std::optional<SourceLocation> parse_source_location(std::string_view text,
                                                    std::string_view source_root,
                                                    bool allow_bare_path = false);

// True when `line` looks like a sanitizer frame: optional blanks, '#', digits, a blank.
bool is_frame_line(std::string_view line);

// Parses one sanitizer frame line (any form above) into a Frame: index, function ("<null>"
// when the tool printed none or "<null>"), file (normalised; empty when unknown), line and
// column (0 when unknown) and module (the base name of the binary or shared object in the
// "(module+0x...)" group; empty when not printed). Returns nullopt when `line` is not a frame.
std::optional<Frame> parse_frame_line(std::string_view line, std::string_view source_root);

}  // namespace casebook

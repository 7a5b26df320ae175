// input_file.hpp - reading a file a person named on `casebook report`'s command line.
//
// Every reader of an input (results.json, bench-summary.json) meets the same ways a path can
// be wrong before its content is even looked at: missing, a folder, unreadable, empty. Each
// gets one message naming the file, what is wrong and how to get a good one, in the words of
// the kind of file expected; the readers then check their own content.
#pragma once

#include <optional>
#include <string>

namespace casebook::reports {

// How to talk about one kind of input in an error message.
struct InputFileKind {
  std::string file_name;  // "results.json": what to pass instead of a folder
  std::string made_by;    // "the results.json that `casebook run --out DIR` wrote (...)"
  std::string producer;   // "run": "the run that should have written it did not finish"
  std::string remake;     // "Run it again." - the sentence that says how to write it anew
};

// The file's whole text; or nothing, with *problem set to a message for the person.
std::optional<std::string> read_input_file(const std::string& path, const InputFileKind& kind,
                                           std::string* problem);

}  // namespace casebook::reports

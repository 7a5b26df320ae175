// valgrind_parser.cpp - see valgrind_parser.hpp.
#include "parse/valgrind_parser.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <map>
#include <utility>

#include "parse/frame_line.hpp"
#include "parse/report_text.hpp"

namespace casebook {
namespace {

using parse_text::trim;

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string text_of(const pugi::xml_node& node) {
  return std::string(trim(node.child_value()));
}

// A whole decimal number in an element ("27"), or 0: pugixml's as_int would also read "-27",
// "0x1b" and "27abc", which Valgrind never writes for a line or a count.
int whole_number(const pugi::xml_node& node) {
  std::string_view text = node.text().get();
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
  if (text.empty() || text.size() > 9) return 0;
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + (c - '0');
  }
  return value;
}

// One <stack> -> Stack (without title or thread: the caller knows those).
Stack read_stack(const pugi::xml_node& stack, std::string_view source_root) {
  Stack out;
  int index = 0;
  for (const auto& frame : stack.children("frame")) {
    Frame f;
    f.index = index++;
    f.function = text_of(frame.child("fn"));
    if (f.function.empty()) f.function = "<null>";
    const std::string file = text_of(frame.child("file"));
    if (!file.empty()) {
      const std::string dir = text_of(frame.child("dir"));
      const std::string path = dir.empty() || starts_with(file, "/") ? file : dir + "/" + file;
      f.file = normalize_source_path(path, source_root);
      f.line = whole_number(frame.child("line"));
    }
    const std::string obj = text_of(frame.child("obj"));
    const auto slash = obj.rfind('/');
    f.module = slash == std::string::npos ? obj : obj.substr(slash + 1);
    out.frames.push_back(std::move(f));
  }
  return out;
}

// Helgrind names threads "#N"; an <xwhat>/<xauxwhat> lists the ones its text mentions, the
// thread that ran the stack after it first.
std::string helgrind_thread(const pugi::xml_node& described) {
  const std::string id = text_of(described.child("hthreadid"));
  return id.empty() ? std::string() : "thread #" + id;
}

// The title of a stack inside one of DRD's wrapper elements.
std::string drd_wrapper_title(const pugi::xml_node& wrapper) {
  const std::string name = wrapper.name();
  if (name == "first_observed_at") {
    return text_of(wrapper.child("what")) + " " + text_of(wrapper.child("address")) +
           " first observed at";
  }
  if (name == "acquired_at") return "lock acquired at";
  if (name == "other_segment_start") return "other segment start";
  if (name == "other_segment_end") return "other segment end";
  return name;
}

bool describes_address(std::string_view text) {
  return starts_with(text, "Address ") || starts_with(text, "Location ") ||
         starts_with(text, "Allocation context:") || contains(text, " bytes inside ");
}

// Thread creation stacks of a document, by Helgrind thread id.
using Announcements = std::map<std::string, Stack>;

class DocumentReader {
 public:
  DocumentReader(std::string_view doc, std::string_view source_root, std::string tool, int number,
                 ValgrindOutput& out)
      : doc_(doc), root_(source_root), tool_(std::move(tool)), number_(number), out_(out) {}

  // Reads every complete <announcethread> and <error>; returns what was wrong, or "".
  std::string read() {
    std::string cut_inside;              // the element the text ends in, if any
    std::vector<std::string> malformed;  // elements pugixml refused
    std::size_t pos = 0;
    int errors = 0;
    while (true) {
      const std::size_t error_at = doc_.find("<error>", pos);
      const std::size_t thread_at = doc_.find("<announcethread>", pos);
      const bool is_error = error_at <= thread_at;
      const std::size_t start = is_error ? error_at : thread_at;
      if (start == std::string_view::npos) break;
      const std::string_view close = is_error ? "</error>" : "</announcethread>";
      const std::size_t end = doc_.find(close, start);
      if (end == std::string_view::npos) {
        cut_inside = is_error ? "inside an <error> (cut off: the tool was stopped while writing it)"
                              : "inside a thread announcement";
        break;
      }
      const std::string_view element = doc_.substr(start, end + close.size() - start);
      pos = end + close.size();
      pugi::xml_document parsed;
      const pugi::xml_parse_result result = parsed.load_buffer(element.data(), element.size());
      if (!result) {
        malformed.push_back("has a malformed element at offset " + std::to_string(start) + " (" +
                            result.description() + ")");
        continue;
      }
      if (is_error) {
        ++errors;
        read_error(parsed.first_child(), element);
      } else {
        read_announcement(parsed.first_child());
      }
    }
    std::vector<std::string> parts;
    if (!contains(doc_, "</valgrindoutput>")) {
      parts.push_back("ends before </valgrindoutput>" +
                      (cut_inside.empty() ? "" : ", " + cut_inside) + " after " +
                      std::to_string(errors) + " complete error(s)");
    }
    parts.insert(parts.end(), malformed.begin(), malformed.end());
    std::string problem;
    for (const auto& part : parts) {
      problem += (problem.empty() ? "document " + std::to_string(number_) + " " : "; ") + part;
    }
    return problem;
  }

 private:
  void read_announcement(const pugi::xml_node& node) {
    const std::string id = text_of(node.child("hthreadid"));
    const pugi::xml_node stack = node.child("stack");
    if (id.empty() || !stack) return;
    Stack s = read_stack(stack, root_);
    s.title = "thread #" + id + " was created";
    announced_[id] = std::move(s);
  }

  void read_error(const pugi::xml_node& error, std::string_view element) {
    Finding f;
    f.tool = tool_.empty() ? "valgrind" : tool_;
    f.raw = std::string(element);
    const std::string drd_thread = text_of(error.child("tid"));
    std::string title;   // for the next <stack>
    std::string thread;  // for the next <stack>
    std::vector<std::string> named_threads;
    auto note_threads = [&](const pugi::xml_node& described) {
      for (const auto& id : described.children("hthreadid")) {
        named_threads.push_back(text_of(id));
      }
    };
    for (const auto& child : error.children()) {
      const std::string name = child.name();
      if (name == "xwhat") {
        f.summary = parse_text::strip_source_root(text_of(child.child("text")), root_);
        title = f.summary;
        thread = helgrind_thread(child);
        note_threads(child);
      } else if (name == "what") {
        f.summary = parse_text::strip_source_root(text_of(child), root_);
        title = f.summary;
        thread = drd_thread.empty() ? "" : "thread " + drd_thread;
      } else if (name == "auxwhat") {
        title = parse_text::strip_source_root(text_of(child), root_);
        thread.clear();
        if (f.location.empty() && describes_address(title)) f.location = title;
      } else if (name == "xauxwhat") {
        title = parse_text::strip_source_root(text_of(child.child("text")), root_);
        thread = helgrind_thread(child);
        note_threads(child);
        if (f.location.empty() && describes_address(title)) f.location = title;
      } else if (name == "stack") {
        Stack s = read_stack(child, root_);
        s.title = std::exchange(title, "");
        s.thread = std::exchange(thread, "");
        f.stacks.push_back(std::move(s));
      } else if (child.child("stack")) {
        // DRD's wrappers: <first_observed_at>, <acquired_at>, <other_segment_start|end>.
        Stack s = read_stack(child.child("stack"), root_);
        s.title = drd_wrapper_title(child);
        f.stacks.push_back(std::move(s));
      }
    }
    f.kind = valgrind_kind(f.tool, text_of(error.child("kind")), f.summary);
    if (f.kind == "data-race") {
      // Like TSan's "Thread T1 created by main thread at": where each racing thread came from.
      for (const auto& id : named_threads) {
        auto it = announced_.find(id);
        bool already = false;
        for (const auto& s : f.stacks)
          already = already || s.title == "thread #" + id + " was created";
        if (it != announced_.end() && !already) f.stacks.push_back(it->second);
      }
    }
    out_.findings.push_back(std::move(f));
  }

  std::string_view doc_;
  std::string_view root_;
  std::string tool_;
  int number_;
  ValgrindOutput& out_;
  Announcements announced_;
};

// The text between <tag> and </tag> at or after pos, or "".
std::string element_text(std::string_view doc, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  const std::size_t start = doc.find(open);
  if (start == std::string_view::npos) return "";
  const std::size_t end = doc.find(close, start);
  if (end == std::string_view::npos) return "";
  return std::string(trim(doc.substr(start + open.size(), end - start - open.size())));
}

// Where each document starts: at its root element (the <?xml ...?> line before it belongs to
// no error, so it may fall into the previous document's span).
std::vector<std::size_t> document_starts(std::string_view text) {
  std::vector<std::size_t> starts;
  for (std::size_t pos = text.find("<valgrindoutput>"); pos != std::string_view::npos;
       pos = text.find("<valgrindoutput>", pos + 1)) {
    starts.push_back(pos);
  }
  return starts;
}

// Adds the document's <suppcounts> pairs to `into`, summing counts of one name.
void read_suppcounts(std::string_view doc, std::vector<SuppressionCount>& into) {
  constexpr std::string_view kClose = "</suppcounts>";
  const std::size_t start = doc.find("<suppcounts>");
  if (start == std::string_view::npos) return;
  const std::size_t end = doc.find(kClose, start);
  if (end == std::string_view::npos) return;
  const std::string_view element = doc.substr(start, end + kClose.size() - start);
  pugi::xml_document parsed;
  if (!parsed.load_buffer(element.data(), element.size())) return;
  for (const auto& pair : parsed.first_child().children("pair")) {
    const std::string name = text_of(pair.child("name"));
    const int count = whole_number(pair.child("count"));
    if (name.empty() || count <= 0) continue;
    auto it = std::find_if(into.begin(), into.end(),
                           [&](const SuppressionCount& s) { return s.name == name; });
    if (it == into.end()) {
      into.push_back({name, count});
    } else {
      it->count += count;
    }
  }
}

}  // namespace

std::string valgrind_kind(std::string_view tool, std::string_view xml_kind, std::string_view what) {
  (void)tool;  // the two tools' kind names do not overlap
  if (xml_kind == "Race" || xml_kind == "ConflictingAccess") return "data-race";
  if (xml_kind == "LockOrder") return "lock-order-inversion";
  if (xml_kind == "CondRaceErr") return "unlocked-signal";
  if (xml_kind == "HoldtimeErr") return "lock-hold-too-long";
  if (xml_kind == "UnlockUnlocked" || xml_kind == "UnlockForeign" || xml_kind == "UnlockBogus" ||
      xml_kind == "MutexErr" || xml_kind == "RwlockErr") {
    return "mutex-misuse";
  }
  if (xml_kind == "Misc") {
    // Helgrind's grab bag: only the text says what it is.
    if (contains(what, "cond_{signal,broadcast}") && contains(what, "not held")) {
      return "unlocked-signal";
    }
    if (contains(what, "pthread_cond") || contains(what, "barrier") || contains(what, "sem_")) {
      return "api-misuse";
    }
    if (contains(what, "lock") || contains(what, "mutex")) return "mutex-misuse";
    return "api-misuse";
  }
  for (std::string_view api :
       {"PthAPIerror", "CondErr", "CondDestrErr", "CondWaitErr", "SemaphoreErr", "BarrierErr",
        "GenericErr", "InvalidThreadId", "UnimpHgClReq", "UnimpDrdClReq"}) {
    if (xml_kind == api) return "api-misuse";
  }
  const std::string slug = parse_text::slugify(xml_kind);
  return "valgrind-" + (slug.empty() ? std::string("unknown") : slug);
}

std::vector<std::string> valgrind_known_kinds() {
  return {"data-race",          "lock-order-inversion", "unlocked-signal",
          "lock-hold-too-long", "mutex-misuse",         "api-misuse"};
}

ValgrindOutput parse_valgrind_xml(std::string_view text, std::string_view source_root) {
  ValgrindOutput out;
  const std::vector<std::size_t> starts = document_starts(text);
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : text.size();
    const std::string_view doc = text.substr(starts[i], end - starts[i]);
    std::string tool = element_text(doc, "protocoltool");
    if (tool.empty()) tool = element_text(doc, "tool");
    if (out.tool.empty()) out.tool = tool;
    DocumentReader reader(doc, source_root, tool, static_cast<int>(i) + 1, out);
    const std::string problem = reader.read();
    if (!problem.empty()) problems.push_back(problem);
    read_suppcounts(doc, out.suppressed);
  }
  out.documents = static_cast<int>(starts.size());
  if (starts.empty()) problems.emplace_back("no Valgrind XML output");
  for (const auto& p : problems) out.problem += (out.problem.empty() ? "" : "; ") + p;
  out.complete = problems.empty();
  return out;
}

}  // namespace casebook

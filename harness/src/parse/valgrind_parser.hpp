// valgrind_parser.hpp - Valgrind's XML output (--xml=yes, protocol 4) of Helgrind and DRD ->
// Findings.
//
// Valgrind writes one XML document per process to --xml-file, error by error as it finds them:
//
//   <?xml version="1.0"?>
//   <valgrindoutput>
//   <protocolversion>4</protocolversion>
//   <protocoltool>helgrind</protocoltool>
//   ...
//   <announcethread><hthreadid>2</hthreadid><stack>...</stack></announcethread>
//   <error>
//     <unique>0x0</unique> <tid>2</tid> <kind>Race</kind>
//     <xwhat><text>Possible data race during read of size 8 at 0x.. by thread #3</text>
//            <hthreadid>3</hthreadid></xwhat>
//     <stack><frame><ip>..</ip><obj>..</obj><fn>..</fn><dir>..</dir><file>..</file>
//            <line>..</line></frame>...</stack>
//     <xauxwhat><text>This conflicts with a previous write ...</text>...</xauxwhat>
//     <stack>...</stack>
//     <auxwhat>Address 0x.. is 0 bytes inside data symbol "counter"</auxwhat>
//   </error>
//   ...
//   <status><state>FINISHED</state>...</status> <errorcounts>...</errorcounts>
//   <suppcounts><pair><count>5</count><name>helgrind-libgcc-...</name></pair>...</suppcounts>
//   </valgrindoutput>
//
// DRD says <what> where Helgrind says <xwhat>, and puts further stacks inside
// <first_observed_at>, <acquired_at>, <other_segment_start> and <other_segment_end>.
//
// A child killed by a timeout leaves its document cut off, possibly in the middle of an error.
// The parser therefore reads error by error: every complete <error>...</error> element becomes
// a Finding, an incomplete last one is dropped, and ValgrindOutput::problem says what was
// missing. Several documents may be concatenated (one file per process, read one after
// another); each is read the same way.
//
// Pure and thread-safe; cost linear in the size of the text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parse/finding.hpp"

namespace casebook {

struct ValgrindOutput {
  std::string tool;  // the <protocoltool> ("helgrind", "drd") of the first document; "" if none
  std::vector<Finding> findings;  // one per complete <error>, in order
  // The suppressions that matched (<suppcounts>, written when a process ends), summed by name
  // over the documents, in order of first appearance. A document cut off before its end has
  // none, and reports suppressed there are not counted.
  std::vector<SuppressionCount> suppressed;
  int documents = 0;  // <valgrindoutput> elements seen (one per process)
  // True when every document read ended with </valgrindoutput> and every error parsed.
  bool complete = false;
  // What kept the output from being complete, in words ("document 1 ends before
  // </valgrindoutput>, inside an <error> (cut off: the tool was stopped while writing it)");
  // "" when complete. Text without any document gives "no Valgrind XML output".
  std::string problem;
};

// Parses Valgrind XML text (see above). Each Finding has:
//   tool     - the document's tool ("helgrind", "drd"; "valgrind" when the header is missing);
//   kind     - valgrind_kind() of the error's <kind> and its text;
//   summary  - Helgrind's <xwhat><text> or DRD's <what>, with "<source_root>/" removed;
//   stacks   - every <stack> of the error in order, each frame with function (<fn>, or
//              "<null>" when Valgrind had none), file (<dir>/<file>, normalised and made
//              repo-relative as by normalize_source_path), line, module (the base name of
//              <obj>); titled by the text before it (xwhat/what, auxwhat, xauxwhat) or by the
//              DRD element holding it ("mutex 0x.. first observed at", "lock acquired at",
//              "other segment start"); thread: "thread #N" (Helgrind's <hthreadid>) or
//              "thread N" (DRD's <tid>) when the tool names it. Helgrind races also get the
//              creation stack of each thread they name ("thread #3 was created"), from the
//              document's <announcethread> records;
//   location - the <auxwhat> that describes the address ("Address 0x.. is 0 bytes inside data
//              symbol \"counter\"", "Allocation context: BSS section of ..."), else "";
//   raw      - the <error> element's text as written.
ValgrindOutput parse_valgrind_xml(std::string_view text, std::string_view source_root);

// The stable finding kind for a Valgrind error: tool is "helgrind" or "drd", xml_kind the
// <kind> text, what the error's description (Helgrind's Misc errors say what they are only
// there).
//   data-race             Helgrind Race; DRD ConflictingAccess
//   lock-order-inversion  Helgrind LockOrder
//   unlocked-signal       DRD CondRaceErr; Helgrind Misc "pthread_cond_{signal,broadcast}:
//                         dubious: associated lock is not held by any thread"
//   lock-hold-too-long    DRD HoldtimeErr (--exclusive-threshold, --shared-threshold)
//   mutex-misuse          Helgrind UnlockUnlocked, UnlockForeign, UnlockBogus and Misc about a
//                         lock ("Exiting thread still holds 1 lock", "pthread_mutex_destroy of
//                         a locked mutex"); DRD MutexErr, RwlockErr
//   api-misuse            Helgrind PthAPIerror and other Misc; DRD CondErr, CondDestrErr,
//                         CondWaitErr, SemaphoreErr, BarrierErr, GenericErr, InvalidThreadId,
//                         UnimpHgClReq, UnimpDrdClReq
//   otherwise             "valgrind-" + the slugified <kind> ("valgrind-newkind")
std::string valgrind_kind(std::string_view tool, std::string_view xml_kind, std::string_view what);

// The kinds valgrind_kind names above, without the open-ended "valgrind-<kind>".
std::vector<std::string> valgrind_known_kinds();

}  // namespace casebook

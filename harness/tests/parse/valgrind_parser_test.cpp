// valgrind_parser_test.cpp - hand-written Valgrind XML (shaped after real Valgrind 3.19
// Helgrind and DRD output) for the edge cases: both tools' layouts, cut-off and malformed
// output, several processes' documents, escapes, frames Valgrind could not symbolize, and the
// kind table.
#include "parse/valgrind_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace casebook {
namespace {

constexpr std::string_view kRoot = "/home/dev/casebook";

// Helgrind, one race, with the thread announcements it writes before the first error naming
// a thread. Frame 2 is Helgrind's preload library, which has no symbol for it.
constexpr std::string_view kHelgrindRace = R"(<?xml version="1.0"?>

<valgrindoutput>

<protocolversion>4</protocolversion>
<protocoltool>helgrind</protocoltool>

<preamble>
  <line>Helgrind, a thread error detector</line>
</preamble>

<pid>4242</pid>
<tool>helgrind</tool>

<status>
  <state>RUNNING</state>
  <time>00:00:00:00.153 </time>
</status>

<announcethread>
  <hthreadid>1</hthreadid>
  <isrootthread></isrootthread>
</announcethread>

<announcethread>
  <hthreadid>2</hthreadid>
  <stack>
    <frame>
      <ip>0x4C88B0F</ip>
      <obj>/usr/lib/x86_64-linux-gnu/libc.so.6</obj>
      <fn>clone</fn>
      <dir>./misc/../sysdeps/unix/sysv/linux/x86_64</dir>
      <file>clone.S</file>
      <line>76</line>
    </frame>
    <frame>
      <ip>0x10930D</ip>
      <obj>/home/dev/casebook/build/bin/race</obj>
      <fn>main</fn>
      <dir>/home/dev/casebook/cases/race</dir>
      <file>broken.cpp</file>
      <line>22</line>
    </frame>
  </stack>
</announcethread>

<announcethread>
  <hthreadid>3</hthreadid>
  <stack>
    <frame>
      <ip>0x10931D</ip>
      <obj>/home/dev/casebook/build/bin/race</obj>
      <fn>main</fn>
      <dir>/home/dev/casebook/cases/race</dir>
      <file>broken.cpp</file>
      <line>23</line>
    </frame>
  </stack>
</announcethread>

<error>
  <unique>0x0</unique>
  <tid>3</tid>
  <kind>Race</kind>
  <xwhat>
    <text>Possible data race during read of size 8 at 0x10C030 by thread #3</text>
    <hthreadid>3</hthreadid>
  </xwhat>
  <stack>
    <frame>
      <ip>0x109204</ip>
      <obj>/home/dev/casebook/build/bin/race</obj>
      <fn>(anonymous namespace)::bump_once()</fn>
      <dir>/home/dev/casebook/cases/race</dir>
      <file>broken.cpp</file>
      <line>10</line>
    </frame>
    <frame>
      <ip>0x1091E4</ip>
      <obj>/home/dev/casebook/build/bin/race</obj>
      <fn>std::thread::_State_impl&lt;std::thread::_Invoker&lt;std::tuple&lt;main::$_0&gt; &gt; &gt;::_M_run()</fn>
      <dir>/usr/include/c++/12/bits</dir>
      <file>std_thread.h</file>
      <line>210</line>
    </frame>
    <frame>
      <ip>0x484C7D6</ip>
      <obj>/usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so</obj>
    </frame>
  </stack>
  <xauxwhat>
    <text>This conflicts with a previous write of size 8 by thread #2</text>
    <hthreadid>2</hthreadid>
  </xauxwhat>
  <stack>
    <frame>
      <ip>0x109204</ip>
      <obj>/home/dev/casebook/build/bin/race</obj>
      <fn>(anonymous namespace)::bump_once()</fn>
      <dir>/home/dev/casebook/cases/race</dir>
      <file>broken.cpp</file>
      <line>10</line>
    </frame>
  </stack>
  <auxwhat>Address 0x10c030 is 0 bytes inside data symbol "counter"</auxwhat>
</error>


<status>
  <state>FINISHED</state>
  <time>00:00:00:00.640 </time>
</status>

<errorcounts>
  <pair>
    <count>1</count>
    <unique>0x0</unique>
  </pair>
</errorcounts>

<suppcounts>
</suppcounts>

</valgrindoutput>

)";

// DRD: a hold-time error, with its <acquired_at> before the <what> and a <first_observed_at>.
constexpr std::string_view kDrdHoldtime = R"(<?xml version="1.0"?>
<valgrindoutput>
<protocolversion>4</protocolversion>
<protocoltool>drd</protocoltool>
<error>
  <unique>0xc</unique>
  <tid>1</tid>
  <kind>HoldtimeErr</kind>
  <acquired_at>
  <stack>
    <frame>
      <ip>0x484A2C3</ip>
      <obj>/usr/libexec/valgrind/vgpreload_drd-amd64-linux.so</obj>
      <fn>pthread_mutex_lock@*</fn>
    </frame>
    <frame>
      <ip>0x1091D4</ip>
      <obj>/home/dev/casebook/build/bin/hold</obj>
      <fn>main</fn>
      <dir>/home/dev/casebook/cases/hold</dir>
      <file>broken.cpp</file>
      <line>30</line>
    </frame>
  </stack>
  </acquired_at>
  <what>Lock on mutex 0x10c0a8 was held during 59 ms (threshold: 10 ms).</what>
  <stack>
    <frame>
      <ip>0x484B7F5</ip>
      <obj>/usr/libexec/valgrind/vgpreload_drd-amd64-linux.so</obj>
      <fn>pthread_mutex_unlock@*</fn>
    </frame>
    <frame>
      <ip>0x1091F0</ip>
      <obj>/home/dev/casebook/build/bin/hold</obj>
      <fn>main</fn>
      <dir>/home/dev/casebook/cases/hold</dir>
      <file>broken.cpp</file>
      <line>32</line>
    </frame>
  </stack>
  <first_observed_at>
    <what>mutex</what>
    <address>0x10c0a8</address>
  <stack>
    <frame>
      <ip>0x1091D4</ip>
      <obj>/home/dev/casebook/build/bin/hold</obj>
      <fn>main</fn>
      <dir>/home/dev/casebook/cases/hold</dir>
      <file>broken.cpp</file>
      <line>30</line>
    </frame>
  </stack>
  </first_observed_at>
</error>
<error>
  <unique>0xd</unique>
  <tid>3</tid>
  <kind>ConflictingAccess</kind>
  <what>Conflicting store by thread 3 at 0x0010c030 size 8</what>
  <stack>
    <frame>
      <ip>0x109204</ip>
      <obj>/home/dev/casebook/build/bin/hold</obj>
      <fn>bump()</fn>
      <dir>/home/dev/casebook/cases/hold</dir>
      <file>broken.cpp</file>
      <line>12</line>
    </frame>
  </stack>
  <auxwhat>Allocation context: BSS section of /home/dev/casebook/build/bin/hold</auxwhat>
  <other_segment_start>
  <stack>
    <frame>
      <ip>0x10925A</ip>
      <obj>/home/dev/casebook/build/bin/hold</obj>
      <fn>main</fn>
      <dir>/home/dev/casebook/cases/hold</dir>
      <file>broken.cpp</file>
      <line>20</line>
    </frame>
  </stack>
  </other_segment_start>
  <other_segment_end>
  </other_segment_end>
</error>
</valgrindoutput>
)";

TEST(ValgrindParser, HelgrindRaceFields) {
  ValgrindOutput out = parse_valgrind_xml(kHelgrindRace, kRoot);
  EXPECT_EQ(out.tool, "helgrind");
  EXPECT_EQ(out.documents, 1);
  EXPECT_TRUE(out.complete) << out.problem;
  EXPECT_EQ(out.problem, "");
  ASSERT_EQ(out.findings.size(), 1u);
  const Finding& f = out.findings[0];
  EXPECT_EQ(f.tool, "helgrind");
  EXPECT_EQ(f.kind, "data-race");
  EXPECT_EQ(f.summary, "Possible data race during read of size 8 at 0x10C030 by thread #3");
  EXPECT_EQ(f.location, "Address 0x10c030 is 0 bytes inside data symbol \"counter\"");
  // Both accesses, then where each racing thread was created (from the announcements).
  ASSERT_EQ(f.stacks.size(), 4u);
  EXPECT_EQ(f.stacks[0].title, f.summary);
  EXPECT_EQ(f.stacks[0].thread, "thread #3");
  EXPECT_EQ(f.stacks[1].title, "This conflicts with a previous write of size 8 by thread #2");
  EXPECT_EQ(f.stacks[1].thread, "thread #2");
  EXPECT_EQ(f.stacks[2].title, "thread #3 was created");
  EXPECT_EQ(f.stacks[3].title, "thread #2 was created");
  ASSERT_EQ(f.stacks[3].frames.size(), 2u);
  EXPECT_EQ(f.stacks[3].frames[1].file, "cases/race/broken.cpp");
  EXPECT_EQ(f.stacks[3].frames[1].line, 22);
  // Frames: repo-relative files, modules by base name, escapes decoded, unknown functions.
  const auto& frames = f.stacks[0].frames;
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].index, 0);
  EXPECT_EQ(frames[0].function, "(anonymous namespace)::bump_once()");
  EXPECT_EQ(frames[0].file, "cases/race/broken.cpp");
  EXPECT_EQ(frames[0].line, 10);
  EXPECT_EQ(frames[0].module, "race");
  EXPECT_EQ(frames[1].function,
            "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::$_0> > >::_M_run()");
  EXPECT_EQ(frames[1].file, "/usr/include/c++/12/bits/std_thread.h");
  EXPECT_EQ(frames[2].index, 2);
  EXPECT_EQ(frames[2].function, "<null>");
  EXPECT_EQ(frames[2].file, "");
  EXPECT_EQ(frames[2].line, 0);
  EXPECT_EQ(frames[2].module, "vgpreload_helgrind-amd64-linux.so");
  // raw is the error element itself, nothing of the document around it.
  EXPECT_EQ(f.raw.rfind("<error>", 0), 0u);
  EXPECT_EQ(f.raw.substr(f.raw.size() - 8), "</error>");
}

TEST(ValgrindParser, DrdWrappersAndThreads) {
  ValgrindOutput out = parse_valgrind_xml(kDrdHoldtime, kRoot);
  EXPECT_EQ(out.tool, "drd");
  EXPECT_TRUE(out.complete) << out.problem;
  ASSERT_EQ(out.findings.size(), 2u);
  const Finding& hold = out.findings[0];
  EXPECT_EQ(hold.tool, "drd");
  EXPECT_EQ(hold.kind, "lock-hold-too-long");
  EXPECT_EQ(hold.summary, "Lock on mutex 0x10c0a8 was held during 59 ms (threshold: 10 ms).");
  ASSERT_EQ(hold.stacks.size(), 3u);
  EXPECT_EQ(hold.stacks[0].title, "lock acquired at");
  EXPECT_EQ(hold.stacks[0].frames[0].function, "pthread_mutex_lock@*");
  EXPECT_EQ(hold.stacks[0].frames[1].line, 30);
  EXPECT_EQ(hold.stacks[1].title, hold.summary);
  EXPECT_EQ(hold.stacks[1].thread, "thread 1");
  EXPECT_EQ(hold.stacks[1].frames[1].line, 32);
  EXPECT_EQ(hold.stacks[2].title, "mutex 0x10c0a8 first observed at");
  EXPECT_EQ(hold.location, "");

  const Finding& race = out.findings[1];
  EXPECT_EQ(race.kind, "data-race");
  EXPECT_EQ(race.location, "Allocation context: BSS section of build/bin/hold");
  // The empty <other_segment_end> holds no stack and adds none.
  ASSERT_EQ(race.stacks.size(), 2u);
  EXPECT_EQ(race.stacks[0].thread, "thread 3");
  EXPECT_EQ(race.stacks[0].frames[0].file, "cases/hold/broken.cpp");
  EXPECT_EQ(race.stacks[1].title, "other segment start");
  EXPECT_EQ(race.stacks[1].frames[0].line, 20);
}

// A line Valgrind would write is digits; "-27", "0x1b" or "27abc" (the fuzz target found the
// first, tests/fuzz/regressions/valgrind_parser) is no line: 0, unknown.
TEST(ValgrindParser, ALineThatIsNotAWholeNumberIsUnknown) {
  for (const std::string bad : {"-27", "0x1b", "27abc", "99999999999"}) {
    std::string text(kHelgrindRace);
    const std::size_t at = text.find("<line>76</line>");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 15, "<line>" + bad + "</line>");
    const ValgrindOutput out = parse_valgrind_xml(text, kRoot);
    ASSERT_EQ(out.findings.size(), 1u) << bad;
    for (const auto& s : out.findings[0].stacks) {
      for (const auto& f : s.frames) {
        EXPECT_TRUE(f.line >= 0 && f.line != 27 && f.line < 100000) << bad << ": " << f.line;
      }
    }
  }
}

TEST(ValgrindParser, CutOffInsideAnErrorKeepsTheCompleteOnes) {
  // The child was killed while Valgrind wrote its second error.
  const std::string text(kDrdHoldtime.substr(0, kDrdHoldtime.find("<other_segment_start>")));
  ValgrindOutput out = parse_valgrind_xml(text, kRoot);
  EXPECT_FALSE(out.complete);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].kind, "lock-hold-too-long");
  EXPECT_EQ(out.problem,
            "document 1 ends before </valgrindoutput>, inside an <error> (cut off: the tool was "
            "stopped while writing it) after 1 complete error(s)");
}

TEST(ValgrindParser, CutOffBetweenErrors) {
  const std::string text(kHelgrindRace.substr(0, kHelgrindRace.find("<status>\n  <state>FIN")));
  ValgrindOutput out = parse_valgrind_xml(text, kRoot);
  EXPECT_FALSE(out.complete);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].kind, "data-race");
  EXPECT_EQ(out.problem, "document 1 ends before </valgrindoutput> after 1 complete error(s)");
}

TEST(ValgrindParser, EveryPrefixParsesWithoutCrashing) {
  // Whatever point a kill cuts the file at: never a crash, never a finding from half an error.
  for (std::size_t n = 0; n <= kDrdHoldtime.size(); n += 7) {
    ValgrindOutput out = parse_valgrind_xml(kDrdHoldtime.substr(0, n), kRoot);
    const std::size_t complete_errors = [&] {
      std::size_t count = 0;
      for (auto pos = kDrdHoldtime.find("</error>"); pos != std::string_view::npos && pos + 8 <= n;
           pos = kDrdHoldtime.find("</error>", pos + 1)) {
        ++count;
      }
      return count;
    }();
    EXPECT_EQ(out.findings.size(), complete_errors) << "cut at " << n;
    const bool ended =
        kDrdHoldtime.substr(0, n).find("</valgrindoutput>") != std::string_view::npos;
    EXPECT_EQ(out.complete, ended) << "cut at " << n;
    EXPECT_FALSE(out.problem.empty() && !out.complete) << "cut at " << n;
  }
}

TEST(ValgrindParser, MalformedErrorIsSkippedAndReported) {
  std::string text(kDrdHoldtime);
  // Break the first error's nesting: </acquired_at> without its opening tag.
  text.erase(text.find("<acquired_at>"), std::string("<acquired_at>").size());
  ValgrindOutput out = parse_valgrind_xml(text, kRoot);
  EXPECT_FALSE(out.complete);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].kind, "data-race");
  EXPECT_EQ(out.problem.rfind("document 1 has a malformed element at offset ", 0), 0u)
      << out.problem;
}

TEST(ValgrindParser, NoXmlAtAll) {
  for (std::string_view text : {std::string_view(""), std::string_view("counter=200\n"),
                                std::string_view("<?xml version=\"1.0\"?>\n")}) {
    ValgrindOutput out = parse_valgrind_xml(text, kRoot);
    EXPECT_TRUE(out.findings.empty());
    EXPECT_EQ(out.documents, 0);
    EXPECT_FALSE(out.complete);
    EXPECT_EQ(out.problem, "no Valgrind XML output");
    EXPECT_EQ(out.tool, "");
  }
}

TEST(ValgrindParser, SeveralProcessesDocuments) {
  // Two processes' files, read one after the other.
  const std::string text = std::string(kHelgrindRace) + std::string(kHelgrindRace);
  ValgrindOutput out = parse_valgrind_xml(text, kRoot);
  EXPECT_EQ(out.documents, 2);
  EXPECT_TRUE(out.complete) << out.problem;
  ASSERT_EQ(out.findings.size(), 2u);
  // Each document's announcements serve its own errors only.
  EXPECT_EQ(out.findings[1].stacks.size(), 4u);

  // A second document cut off is named as document 2.
  const std::string cut = std::string(kHelgrindRace) +
                          std::string(kHelgrindRace.substr(0, kHelgrindRace.find("<error>")));
  ValgrindOutput partial = parse_valgrind_xml(cut, kRoot);
  EXPECT_EQ(partial.findings.size(), 1u);
  EXPECT_EQ(partial.problem, "document 2 ends before </valgrindoutput> after 0 complete error(s)");
}

// The <suppcounts> block Valgrind writes at the end of a document (at verbosity 1 or more).
std::string with_suppcounts(std::string_view document, const std::string& pairs) {
  constexpr std::string_view kEmpty = "<suppcounts>\n</suppcounts>";
  std::string text(document);
  text.replace(text.find(kEmpty), kEmpty.size(), "<suppcounts>\n" + pairs + "</suppcounts>");
  return text;
}

std::string suppcount_pair(int count, const std::string& name) {
  return "  <pair>\n    <count>" + std::to_string(count) + "</count>\n    <name>" + name +
         "</name>\n  </pair>\n";
}

TEST(ValgrindParser, SuppressionCountsAreSummedByNameOverDocuments) {
  const std::string first =
      with_suppcounts(kHelgrindRace, suppcount_pair(6, "helgrind-libgcc-unwind-raise-inner") +
                                         suppcount_pair(1, "helgrind-glibc2X-005"));
  const std::string second =
      with_suppcounts(kHelgrindRace, suppcount_pair(3, "helgrind-libgcc-unwind-raise-inner"));
  ValgrindOutput out = parse_valgrind_xml(first + second, kRoot);
  EXPECT_TRUE(out.complete) << out.problem;
  EXPECT_EQ(out.findings.size(), 2u);  // the suppressed reports are not findings
  const std::vector<SuppressionCount> expected = {{"helgrind-libgcc-unwind-raise-inner", 9},
                                                  {"helgrind-glibc2X-005", 1}};
  EXPECT_EQ(out.suppressed, expected);
  // An empty block (nothing suppressed) and a document cut off before its block: none.
  EXPECT_TRUE(parse_valgrind_xml(kHelgrindRace, kRoot).suppressed.empty());
  EXPECT_TRUE(parse_valgrind_xml(first.substr(0, first.find("<suppcounts>") + 20), kRoot)
                  .suppressed.empty());
}

TEST(ValgrindParser, HeaderlessErrorsStillCount) {
  // No <protocoltool>: the tool is unknown, but the error is still read.
  const std::string text =
      "<valgrindoutput>\n<error><kind>UnlockForeign</kind><xwhat><text>Thread #1 unlocked lock "
      "at 0x10C058 currently held by thread #2</text><hthreadid>1</hthreadid>"
      "<hthreadid>2</hthreadid></xwhat><stack><frame><fn>main</fn><dir>/home/dev/casebook/cases/"
      "u</dir><file>broken.cpp</file><line>20</line></frame></stack></error>\n</valgrindoutput>\n";
  ValgrindOutput out = parse_valgrind_xml(text, kRoot);
  EXPECT_TRUE(out.complete) << out.problem;
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].tool, "valgrind");
  EXPECT_EQ(out.findings[0].kind, "mutex-misuse");
  ASSERT_EQ(out.findings[0].stacks.size(), 1u);
  EXPECT_EQ(out.findings[0].stacks[0].thread, "thread #1");
  EXPECT_EQ(out.findings[0].stacks[0].frames[0].file, "cases/u/broken.cpp");
}

TEST(ValgrindParser, KindTable) {
  EXPECT_EQ(valgrind_kind("helgrind", "Race", ""), "data-race");
  EXPECT_EQ(valgrind_kind("drd", "ConflictingAccess", ""), "data-race");
  EXPECT_EQ(valgrind_kind("helgrind", "LockOrder", ""), "lock-order-inversion");
  for (std::string_view k : {"UnlockUnlocked", "UnlockForeign", "UnlockBogus"}) {
    EXPECT_EQ(valgrind_kind("helgrind", k, ""), "mutex-misuse") << k;
  }
  EXPECT_EQ(valgrind_kind("drd", "MutexErr", "Mutex not locked: mutex 0x10c058"), "mutex-misuse");
  EXPECT_EQ(valgrind_kind("drd", "RwlockErr", ""), "mutex-misuse");
  EXPECT_EQ(valgrind_kind("drd", "CondRaceErr", ""), "unlocked-signal");
  EXPECT_EQ(valgrind_kind("drd", "HoldtimeErr", ""), "lock-hold-too-long");
  for (std::string_view k : {"CondErr", "CondDestrErr", "CondWaitErr", "SemaphoreErr", "BarrierErr",
                             "GenericErr", "InvalidThreadId"}) {
    EXPECT_EQ(valgrind_kind("drd", k, ""), "api-misuse") << k;
  }
  EXPECT_EQ(valgrind_kind("helgrind", "PthAPIerror", ""), "api-misuse");
  // Helgrind's Misc errors, told apart by their text.
  EXPECT_EQ(valgrind_kind("helgrind", "Misc",
                          "Thread #1: pthread_cond_{signal,broadcast}: dubious: associated lock "
                          "is not held by any thread"),
            "unlocked-signal");
  EXPECT_EQ(valgrind_kind("helgrind", "Misc",
                          "Thread #1: pthread_cond_{signal,broadcast}: associated lock is not "
                          "held by calling thread"),
            "unlocked-signal");
  EXPECT_EQ(valgrind_kind("helgrind", "Misc", "Thread #2: Exiting thread still holds 1 lock"),
            "mutex-misuse");
  EXPECT_EQ(valgrind_kind("helgrind", "Misc", "Thread #1: pthread_mutex_destroy of a locked mutex"),
            "mutex-misuse");
  EXPECT_EQ(valgrind_kind("helgrind", "Misc",
                          "Thread #1: Attempt to re-lock a non-recursive lock I already hold"),
            "mutex-misuse");
  EXPECT_EQ(valgrind_kind("helgrind", "Misc",
                          "Thread #1: pthread_cond_{timed}wait called with un-held mutex"),
            "api-misuse");
  EXPECT_EQ(valgrind_kind("helgrind", "Misc",
                          "Thread #1: pthread_barrier_wait: barrier is uninitialised"),
            "api-misuse");
  // Unknown kinds keep a recognisable, stable name.
  EXPECT_EQ(valgrind_kind("drd", "FutureErr", ""), "valgrind-futureerr");
  EXPECT_EQ(valgrind_kind("drd", "", ""), "valgrind-unknown");
}

}  // namespace
}  // namespace casebook

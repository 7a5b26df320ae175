// Tests of the run journal (record/run_journal.hpp): what a run writes reads back line for
// line; a last line cut short by a kill is dropped and cut off before the journal grows again;
// a damaged line in the middle is an error naming it; records from many threads at once each
// land whole (run under the self-TSan build too).
#include "record/run_journal.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "results/json_fields.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path fresh_path(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("casebook-journal-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / name;
  fs::remove(path);
  return path;
}

json header() {
  return {{"casebook_journal", kJournalVersion},
          {"identity", {{"--repeat", 1}}},
          {"seed", 42},
          {"started_at", "2026-12-06T10:00:00Z"},
          {"resumed", 0},
          {"command", "casebook run"}};
}

void append_raw(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::app | std::ios::binary) << text;
}

TEST(RunJournal, NoFileIsNoJournal) {
  EXPECT_FALSE(read_journal(fresh_path("none")).has_value());
}

TEST(RunJournal, WhatIsRecordedReadsBackInOrder) {
  const fs::path path = fresh_path("order.jsonl");
  {
    RunJournal journal(path.string(), header());
    journal.record({{"case", "a"}}, 1.5);
    journal.record({{"case", "b"}}, 2.5);
    EXPECT_EQ(journal.error(), "");
  }
  const auto read = read_journal(path.string());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->header, header());
  ASSERT_EQ(read->verdicts.size(), 2u);
  EXPECT_EQ(read->verdicts[1].at("case"), "b");
  EXPECT_DOUBLE_EQ(read->elapsed_seconds, 2.5);
  EXPECT_FALSE(read->torn_tail);
  EXPECT_EQ(read->complete_bytes, fs::file_size(path));
}

TEST(RunJournal, ATornLastLineIsDroppedAndCutOffWhenTheJournalGoesOn) {
  const fs::path path = fresh_path("torn.jsonl");
  {
    RunJournal journal(path.string(), header());
    journal.record({{"case", "a"}}, 1);
  }
  const auto whole = fs::file_size(path);
  append_raw(path, R"({"elapsed_seconds": 2, "verdict": {"case": "b", "tri)");
  auto read = read_journal(path.string());
  ASSERT_TRUE(read.has_value());
  EXPECT_TRUE(read->torn_tail);
  EXPECT_EQ(read->verdicts.size(), 1u);
  EXPECT_EQ(read->complete_bytes, whole);
  {
    RunJournal journal(path.string(), read->complete_bytes);
    journal.note_resumed();
    journal.record({{"case", "c"}}, 3);
  }
  read = read_journal(path.string());
  ASSERT_TRUE(read.has_value());
  EXPECT_FALSE(read->torn_tail);
  ASSERT_EQ(read->verdicts.size(), 2u);
  EXPECT_EQ(read->verdicts[1].at("case"), "c");
  EXPECT_EQ(read->resumes, 1);
}

TEST(RunJournal, ADamagedLineInTheMiddleIsAnErrorNamingIt) {
  const fs::path path = fresh_path("damaged.jsonl");
  {
    RunJournal journal(path.string(), header());
    journal.record({{"case", "a"}}, 1);
  }
  append_raw(path, "{not json\n");
  append_raw(path, json{{"elapsed_seconds", 3}, {"verdict", json::object()}}.dump() + "\n");
  try {
    read_journal(path.string());
    FAIL() << "a damaged line must not be skipped silently";
  } catch (const FieldError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string() + " line 3: not a line of JSON"),
              std::string::npos)
        << e.what();
  }
}

TEST(RunJournal, AHeaderOfAnotherVersionIsRefused) {
  const fs::path path = fresh_path("version.jsonl");
  json other = header();
  other["casebook_journal"] = kJournalVersion + 1;
  append_raw(path, other.dump() + "\n");
  EXPECT_THROW(read_journal(path.string()), FieldError);
}

TEST(RunJournal, RecordsFromManyThreadsEachLandWhole) {
  const fs::path path = fresh_path("threads.jsonl");
  {
    RunJournal journal(path.string(), header());
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&journal, t] {
        for (int i = 0; i < 25; ++i) {
          journal.record({{"thread", t}, {"i", i}, {"pad", std::string(5000, 'p')}}, i);
        }
      });
    }
  }
  const auto read = read_journal(path.string());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->verdicts.size(), 100u);
  EXPECT_FALSE(read->torn_tail);
}

TEST(RunJournal, RemoveDeletesTheFile) {
  const fs::path path = fresh_path("remove.jsonl");
  RunJournal journal(path.string(), header());
  journal.remove();
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace casebook

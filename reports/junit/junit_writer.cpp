#include "junit/junit_writer.hpp"

#include <fmt/format.h>

#include <map>
#include <pugixml.hpp>
#include <sstream>
#include <vector>

#include "writing/text.hpp"
#include "writing/verdict_words.hpp"

namespace casebook::reports {

namespace {

std::string clean(const std::string& text) {
  return xml_safe(strip_ansi(text));
}

std::string seconds(double s) {
  return fmt::format("{:.3f}", s);
}

// The failure body: what was expected, what happened, the evidence, and how to rerun it.
std::string failure_body(const results::Verdict& v) {
  std::string body = fmt::format("{}/{} under {}: {}.\n{}\n", v.case_name, v.variant, v.detector,
                                 verdict_with_expectation(v), v.reason);
  for (const results::Trial& t : v.trials) {
    body += fmt::format("\ntrial {} seed {}: {}\n", t.index + 1, t.seed, t.status);
    if (!t.anomaly.empty()) body += "  " + t.anomaly + "\n";
    if (!t.infra_error.empty()) body += "  " + t.infra_error + "\n";
    for (const results::Finding& f : t.findings) {
      body += fmt::format("  {}: {}\n", f.kind, f.summary);
      if (!f.raw.empty()) {
        body += f.raw.substr(0, 4000) + (f.raw.size() > 4000 ? "\n[...]\n" : "\n");
      }
    }
    if (!t.command.empty()) body += "  by hand: " + t.command + "\n";
  }
  if (!v.repro.empty()) body += "\nreproduce: " + v.repro + "\n";
  return clean(body);
}

}  // namespace

std::string junit_from_results(const results::Results& results) {
  // Cases in first-seen order, so the XML follows results.json.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const results::Verdict*>> by_case;
  for (const results::Verdict& v : results.verdicts) {
    if (!by_case.count(v.case_name)) order.push_back(v.case_name);
    by_case[v.case_name].push_back(&v);
  }

  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto root = doc.append_child("testsuites");
  root.append_attribute("name") = "casebook";
  int all_tests = 0, all_failures = 0, all_errors = 0, all_skipped = 0;
  double all_time = 0;

  for (const auto& name : order) {
    auto suite = root.append_child("testsuite");
    int tests = 0, failures = 0, errors = 0, skipped = 0;
    double time = 0;
    for (const results::Verdict* vp : by_case[name]) {
      const results::Verdict& v = *vp;
      const std::string& verdict = v.verdict;
      const double t = v.duration_seconds;
      auto tc = suite.append_child("testcase");
      tc.append_attribute("classname") = clean("casebook." + v.detector + "." + name).c_str();
      tc.append_attribute("name") = clean(v.variant).c_str();
      tc.append_attribute("time") = seconds(t).c_str();
      ++tests;
      time += t;
      if (verdict == "skipped") {
        ++skipped;
        tc.append_child("skipped").append_attribute("message") = clean(v.reason).c_str();
      } else if (!v.passed) {
        const bool is_error = verdict == "error";
        (is_error ? errors : failures)++;
        auto f = tc.append_child(is_error ? "error" : "failure");
        f.append_attribute("message") = clean(verdict + ": " + v.reason).c_str();
        f.append_attribute("type") = verdict.c_str();
        f.text().set(failure_body(v).c_str());
      } else {
        tc.append_child("system-out").text().set(clean(shown_verdict(v) + ": " + v.reason).c_str());
      }
    }
    suite.append_attribute("name") = clean("casebook." + name).c_str();
    suite.append_attribute("tests") = tests;
    suite.append_attribute("failures") = failures;
    suite.append_attribute("errors") = errors;
    suite.append_attribute("skipped") = skipped;
    suite.append_attribute("time") = seconds(time).c_str();
    all_tests += tests;
    all_failures += failures;
    all_errors += errors;
    all_skipped += skipped;
    all_time += time;
  }
  root.append_attribute("tests") = all_tests;
  root.append_attribute("failures") = all_failures;
  root.append_attribute("errors") = all_errors;
  root.append_attribute("skipped") = all_skipped;
  root.append_attribute("time") = seconds(all_time).c_str();

  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace casebook::reports

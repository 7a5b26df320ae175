#!/usr/bin/python3
"""Unit tests of bench/suite_stages.py: the stages read from the lines ci/run-suite.sh prints
(timestamps made up, the lines as the scripts print them). Run: python3 -m unittest discover -s
bench/tests"""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suite_stages  # noqa: E402

LOG = [
    (1.0, "ci/setup.sh [0:01] configuring /tmp/fresh/build"),
    (2.0, "ci/setup.sh [0:02] building casebook-suite in /tmp/fresh/build (log: x)"),
    (32.0, "ci/setup.sh [0:32] building [19/69]"),
    (500.0, "ci/setup.sh [8:20] built casebook-suite"),
    (501.0, "casebook: 62 variant(s), 459 (variant, detector) pair(s), seed 1, 2 job(s)"),
    (570.0, "Wrote /tmp/fresh/reports/out/results.json and /tmp/fresh/reports/out/junit.xml (68.6 s)"),
    (570.5, "361 passed, 0 failed, 98 skipped"),
    (571.0, "== the Valgrind pass: helgrind and drd =="),
    (700.0, "Wrote /tmp/fresh/reports/out/valgrind/results.json and /tmp/fresh/reports/out/valgrind/junit.xml (129.0 s)"),
    (744.0, "475 passed, 0 failed, 108 skipped"),
    (744.1, "<end>"),
]


class Stages(unittest.TestCase):
    def test_each_stage_is_the_time_between_its_lines(self):
        s = suite_stages.stages(LOG)
        self.assertEqual(s["install and configure"], 2.0)
        self.assertEqual(s["build"], 498.0)
        self.assertEqual(s["default pass"], 70.0)
        self.assertEqual(s["Valgrind pass"], 129.0)
        self.assertAlmostEqual(s["benchmarks and reports"], 44.1)
        self.assertEqual(s["whole job"], 744.1)

    def test_a_run_without_the_valgrind_pass_leaves_it_unknown(self):
        log = [line for line in LOG if "valgrind" not in line[1].lower()]
        s = suite_stages.stages(log)
        self.assertIsNone(s["Valgrind pass"])
        self.assertAlmostEqual(s["benchmarks and reports"], 744.1 - 570.0)

    def test_format(self):
        self.assertEqual(suite_stages.fmt(744.0), "12 min 24 s")
        self.assertEqual(suite_stages.fmt(3.24), "3.2 s")
        self.assertEqual(suite_stages.fmt(None), "–")


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/python3
"""Unit tests of bench/summarise.py: tolerant reading, names, speedup and efficiency arithmetic,
overhead factors, and the Markdown. Run: python3 -m unittest discover -s bench/tests"""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import summarise  # noqa: E402


def run(name, real_ms, config=None, workers=None, **extra):
    entry = {"name": name, "run_name": name, "run_type": "iteration", "iterations": 1,
             "real_time": real_ms, "cpu_time": real_ms, "time_unit": "ms"}
    if workers is not None:
        entry["workers"] = workers
    if config:
        entry["casebook_configuration"] = config
    entry.update(extra)
    return entry


def document(*runs, config="plain"):
    return {"context": {"casebook_configuration": config}, "benchmarks": list(runs)}


def summary_of(*docs):
    return summarise.summarise([("doc%d" % i, d, []) for i, d in enumerate(docs)])


class ReadingTest(unittest.TestCase):
    def test_nan_and_infinity_tokens_become_null(self):
        text = ('{"context": {}, "benchmarks": [{"name": "a/sequential", "real_time": NaN, '
                '"cpu_time": -NaN, "x": Infinity, "y": -Infinity, "z": nan, "w": -inf, '
                '"label": "NaN stays text"}]}')
        doc, _ = summarise.loads_tolerant(text)
        b = doc["benchmarks"][0]
        for key in ("real_time", "cpu_time", "x", "y", "z", "w"):
            self.assertIsNone(b[key], key)
        self.assertEqual(b["label"], "NaN stays text")

    def test_nan_run_is_kept_without_a_time(self):
        doc, _ = summarise.loads_tolerant(
            '{"benchmarks": [{"name": "a/sequential", "real_time": NaN, "time_unit": "ms"}]}')
        (record,) = summarise.records_of(doc)
        self.assertIsNone(record["real_s"])
        self.assertEqual(summarise.derive_series(summarise.collapse([record])), [])

    def test_text_before_the_json_is_skipped(self):
        doc, notes = summarise.loads_tolerant(
            '***WARNING*** Library was built as DEBUG. Timings may be affected.\n'
            '{"context": {}, "benchmarks": []}')
        self.assertEqual(doc["benchmarks"], [])
        self.assertTrue(notes)

    def test_truncated_file_keeps_complete_runs(self):
        full = json.dumps(document(run("a/sequential/n:1", 10), run("a/threads/workers:2/n:1", 6),
                                   run("a/threads/workers:4/n:1", 4)), indent=1)
        cut = full[:full.rfind('"real_time"')]  # the last run is cut in the middle
        doc, notes = summarise.loads_tolerant(cut)
        self.assertEqual(len(doc["benchmarks"]), 2)
        self.assertIn("truncated", notes[0])

    def test_garbage_raises(self):
        with self.assertRaises(ValueError):
            summarise.loads_tolerant("no json here")
        with self.assertRaises(ValueError):
            summarise.loads_tolerant('{"benchmarks": [{"name": ')

    def test_main_reads_a_nan_file_and_writes_strict_json(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "in.json")
            with open(path, "w") as f:
                f.write('{"context": {}, "benchmarks": ['
                        '{"name": "w/sequential/n:1", "real_time": 10, "time_unit": "ms"},'
                        '{"name": "w/threads/workers:2/n:1", "real_time": 5, "time_unit": "ms",'
                        ' "workers": 2, "odd": NaN}]}')
            out = os.path.join(tmp, "s.json")
            md = os.path.join(tmp, "s.md")
            merged = os.path.join(tmp, "m.json")
            self.assertEqual(summarise.main([path, "--json", out, "--markdown", md,
                                             "--merged", merged]), 0)
            with open(out) as f:
                s = json.load(f)  # strict: would fail on NaN
            self.assertAlmostEqual(s["series"][0]["points"][0]["speedup"], 2.0)
            with open(merged) as f:
                m = f.read()
            self.assertNotIn("NaN", m)
            self.assertEqual(json.loads(m)["benchmarks"][1]["casebook_configuration"], "plain")

    def test_unreadable_inputs_exit_2(self):
        self.assertEqual(summarise.main(["/nonexistent/bench.json"]), 2)


class NameTest(unittest.TestCase):
    def test_parse(self):
        p = summarise.parse_name("primes/gil/threads/workers:2/limit:300000/process_time/real_time")
        self.assertEqual((p["workload"], p["variant"], p["mode"]), ("primes", "gil", "threads"))
        self.assertEqual(p["args"], {"workers": 2, "limit": 300000})
        self.assertEqual(p["key"], "primes/gil/threads/workers:2/limit:300000")

    def test_sequential_and_modeless(self):
        p = summarise.parse_name("simpson/sequential/points:10/real_time")
        self.assertEqual((p["workload"], p["variant"], p["mode"]), ("simpson", "", "sequential"))
        q = summarise.parse_name("queue/spsc/latency/messages:500/iterations:3/repeats:2")
        self.assertEqual((q["workload"], q["variant"], q["mode"]), ("queue", "spsc/latency", None))
        self.assertEqual(q["key"], "queue/spsc/latency/messages:500")


class ArithmeticTest(unittest.TestCase):
    def test_speedup_and_efficiency_against_sequential(self):
        s = summary_of(document(
            run("w/sequential/n:8", 100),
            run("w/threads/workers:1/n:8", 110, workers=1),
            run("w/threads/workers:2/n:8", 50, workers=2),
            run("w/threads/workers:4/n:8", 40, workers=4)))
        (series,) = s["series"]
        self.assertEqual(series["baseline"]["kind"], "sequential")
        points = {p["workers"]: p for p in series["points"]}
        self.assertAlmostEqual(points[1]["speedup"], 100 / 110)
        self.assertAlmostEqual(points[2]["speedup"], 2.0)
        self.assertAlmostEqual(points[2]["efficiency"], 1.0)
        self.assertAlmostEqual(points[4]["speedup"], 2.5)
        self.assertAlmostEqual(points[4]["efficiency"], 0.625)
        self.assertAlmostEqual(points[2]["speedup_vs_1_worker"], 2.2)

    def test_cores_used_counts_children(self):
        s = summary_of(document(
            run("w/sequential/n:1", 100),
            run("w/threads/workers:2/n:1", 50, workers=2, cpu_time=95),
            run("w/processes/workers:2/n:1", 50, workers=2, cpu_time=1, children_cpu_s=0.099)))
        used = {x["mode"]: x["points"][0]["cores_used"] for x in s["series"]}
        self.assertAlmostEqual(used["threads"], 1.9)
        self.assertAlmostEqual(used["processes"], 2.0)  # (0.001 + 0.099) s over 0.05 s

    def test_one_worker_baseline_without_sequential(self):
        s = summary_of(document(run("io/copy/threads/workers:1/mib:8", 90, workers=1),
                                run("io/copy/threads/workers:2/mib:8", 60, workers=2)))
        (series,) = s["series"]
        self.assertEqual(series["baseline"]["kind"], "1 worker")
        self.assertAlmostEqual(series["points"][1]["speedup"], 1.5)
        self.assertAlmostEqual(series["points"][1]["efficiency"], 0.75)

    def test_sizes_and_modes_are_separate_series(self):
        s = summary_of(document(
            run("w/sequential/n:1", 10), run("w/sequential/n:2", 20),
            run("w/threads/workers:2/n:1", 5, workers=2),
            run("w/threads/workers:2/n:2", 20, workers=2),
            run("w/processes/workers:2/n:2", 8, workers=2)))
        got = {(x["mode"], x["size"]["n"]): x["points"][0]["speedup"] for x in s["series"]}
        self.assertEqual(got, {("threads", 1): 2.0, ("threads", 2): 1.0, ("processes", 2): 2.5})

    def test_time_units_are_converted(self):
        s = summary_of(document(
            {"name": "w/sequential/n:1", "real_time": 2.0, "time_unit": "s"},
            {"name": "w/threads/workers:2/n:1", "real_time": 1000.0, "time_unit": "ms",
             "workers": 2}))
        self.assertAlmostEqual(s["series"][0]["points"][0]["speedup"], 2.0)

    def test_repetitions_use_the_median(self):
        s = summary_of(document(
            run("w/sequential/n:1", 100), run("w/sequential/n:1", 300), run("w/sequential/n:1", 90),
            run("w/threads/workers:2/n:1", 50, workers=2)))
        self.assertAlmostEqual(s["series"][0]["baseline"]["real_time_s"], 0.1)

    def test_median_aggregate_wins_over_iterations(self):
        median = run("w/sequential/n:1", 40)
        median.update(run_type="aggregate", aggregate_name="median")
        mean = run("w/sequential/n:1", 999)
        mean.update(run_type="aggregate", aggregate_name="mean")
        s = summary_of(document(run("w/sequential/n:1", 10), median, mean,
                                run("w/threads/workers:2/n:1", 20, workers=2)))
        self.assertAlmostEqual(s["series"][0]["points"][0]["speedup"], 2.0)

    def test_overhead_factors_and_geomean(self):
        plain = document(run("counters/mutex/threads/workers:2/increments:8", 10, workers=2),
                         run("queue/spsc/throughput/messages:8", 4, workers=2))
        tsan = document(run("counters/mutex/threads/workers:2/increments:8", 80, workers=2),
                        run("queue/spsc/throughput/messages:8", 8, workers=2), config="tsan")
        asan = document(run("counters/mutex/threads/workers:2/increments:8", 20, workers=2),
                        config="asan")
        san = summary_of(plain, tsan, asan)["sanitizer_overhead"]
        factors = {(r["configuration"], r["name"]): r["factor"] for r in san["rows"]}
        self.assertAlmostEqual(factors[("tsan", "counters/mutex/threads/workers:2/increments:8")], 8)
        self.assertAlmostEqual(factors[("asan", "counters/mutex/threads/workers:2/increments:8")], 2)
        self.assertAlmostEqual(san["geomean"]["tsan"], 4.0)  # sqrt(8 * 2)
        self.assertAlmostEqual(san["geomean"]["asan"], 2.0)
        # Per run, the worker count taken out: what every report draws.
        runs = {r["name"]: r for r in san["runs"]}
        self.assertEqual(sorted(runs), ["counters/mutex/threads/increments:8",
                                        "queue/spsc/throughput/messages:8"])
        self.assertAlmostEqual(runs["counters/mutex/threads/increments:8"]["tsan"], 8)
        self.assertAlmostEqual(runs["counters/mutex/threads/increments:8"]["asan"], 2)
        self.assertAlmostEqual(runs["queue/spsc/throughput/messages:8"]["tsan"], 2)
        self.assertIsNone(runs["queue/spsc/throughput/messages:8"]["asan"])

    def test_python_ratio_and_gil_rows(self):
        plain = document(run("primes/sequential/limit:9", 10),
                         run("primes/gil/threads/workers:2/limit:9", 11, workers=2),
                         run("primes/gil/processes/workers:2/limit:9", 5, workers=2))
        python = document(run("primes/sequential/limit:9", 400),
                          run("primes/tasks/threads/workers:2/limit:9", 420, workers=2),
                          config="python")
        s = summary_of(plain, python)
        self.assertAlmostEqual(s["python_vs_cpp"]["rows"][0]["factor"], 40.0)
        gil = {(g["configuration"], g["series"]): g["speedup_at_2"] for g in s["gil"]}
        self.assertAlmostEqual(gil[("plain", "primes/gil/threads")], 10 / 11)
        self.assertAlmostEqual(gil[("plain", "primes/gil/processes")], 2.0)
        self.assertAlmostEqual(gil[("python", "primes/tasks/threads")], 400 / 420)

    def test_errors_are_listed_and_left_out_of_series(self):
        s = summary_of(document(
            run("w/sequential/n:1", 10),
            run("w/threads/workers:2/n:1", 1, workers=2, error_occurred=True,
                error_message="pi off by 0.1")))
        self.assertEqual(s["errors"][0]["message"], "pi off by 0.1")
        self.assertEqual(s["series"], [])

    def test_zero_and_missing_times_give_no_ratio(self):
        s = summary_of(document(run("w/sequential/n:1", 0),
                                run("w/threads/workers:2/n:1", 5, workers=2)))
        self.assertIsNone(s["series"][0]["points"][0]["speedup"])
        self.assertIsNone(s["series"][0]["points"][0]["efficiency"])

    def test_markdown_renders_every_section(self):
        plain = document(run("primes/sequential/limit:9", 10),
                         run("primes/gil/threads/workers:2/limit:9", 11, workers=2),
                         run("counters/mutex/threads/workers:2/increments:8", 10, workers=2),
                         run("counters/unsynchronised/threads/workers:2/increments:8", 1,
                             workers=2, lost_fraction=0.25))
        tsan = document(run("counters/mutex/threads/workers:2/increments:8", 80, workers=2),
                        config="tsan")
        python = document(run("primes/sequential/limit:9", 400), config="python")
        harness = document(run("harness/runner_trial/trials:5", 6, workers=1, overhead_ms=2.5),
                           config="harness")
        md = summarise.render_markdown(summary_of(plain, tsan, python, harness))
        for heading in ("## Scaling", "## The GIL", "## C++ against Python",
                        "## Sanitizer overhead", "lost 25.0%", "2.5 ms per trial"):
            self.assertIn(heading, md)


def model_run(variant, ops, steps_per_second):
    """A run in the shape casebook-bench-model writes (bench/model_scheduler.cpp): its
    `ns_per_step` counter is an inverted rate, so it holds seconds per step."""
    return run("model/%s/ops:%d" % (variant, ops), 1000 * 2 * ops / steps_per_second,
               workers=2, items_per_second=steps_per_second,
               steps_per_second=steps_per_second, ns_per_step=1 / steps_per_second)


class BrokenFixedTest(unittest.TestCase):
    def counters(self, workers):
        runs = [run("counters/sequential/increments:64", 1.0)]
        for variant, ms in (("unsynchronised", 0.8), ("mutex", 90), ("atomic", 18),
                            ("sharded", 0.5), ("false_sharing", 1.6), ("padded", 0.3)):
            for k in workers:
                extra = {"lost_fraction": 0.4} if variant == "unsynchronised" else {}
                runs.append(run("counters/%s/threads/workers:%d/increments:64" % (variant, k),
                                ms * k, workers=k, **extra))
        return runs

    def test_counters_at_the_cpu_count_with_the_broken_ones_marked(self):
        doc = document(*self.counters([1, 2, 4]))
        doc["context"]["num_cpus"] = 2
        s = summarise.summarise([("plain.json", doc, [])])
        (counters,) = [c for c in s["broken_vs_fixed"] if c["workload"] == "counters"]
        self.assertEqual(counters["workers"], 2)
        rows = {r["variant"]: r for r in counters["rows"]}
        self.assertEqual(list(rows), ["sequential", "unsynchronised", "mutex", "atomic",
                                      "sharded", "false_sharing", "padded"])
        self.assertEqual({v for v, r in rows.items() if r["broken"]},
                         {"unsynchronised", "false_sharing"})
        self.assertAlmostEqual(rows["mutex"]["real_time_s"], 0.180)
        self.assertAlmostEqual(rows["unsynchronised"]["lost_fraction"], 0.4)

    def test_counters_fall_back_to_the_most_workers(self):
        s = summary_of(document(*self.counters([1, 3])))  # no num_cpus in the context
        (counters,) = [c for c in s["broken_vs_fixed"] if c["workload"] == "counters"]
        self.assertEqual(counters["workers"], 3)

    def test_queues_throughput_and_latency_at_the_largest_size(self):
        runs = []
        for variant, rate, p50 in (("condvar", 2e6, 12), ("polling", 5e6, 105), ("spsc", 8e7, 1)):
            for n in (8, 64):
                runs.append(run("queue/%s/throughput/messages:%d" % (variant, n), n / rate * 1e3,
                                items_per_second=rate * (2 if n == 64 else 1)))
            runs.append(run("queue/%s/latency/messages:5" % variant, 1, rtt_p50_us=p50,
                            rtt_p99_us=2 * p50))
        s = summary_of(document(*runs))
        by = {c["workload"]: c for c in s["broken_vs_fixed"]}
        throughput = {r["variant"]: r for r in by["queue/throughput"]["rows"]}
        self.assertEqual(by["queue/throughput"]["size"], {"messages": 64})
        self.assertAlmostEqual(throughput["spsc"]["items_per_second"], 1.6e8)
        self.assertTrue(throughput["polling"]["broken"])
        self.assertFalse(throughput["condvar"]["broken"])
        latency = {r["variant"]: r for r in by["queue/latency"]["rows"]}
        self.assertEqual(latency["polling"]["rtt_p99_us"], 210)
        md = summarise.render_markdown(s)
        self.assertIn("## Broken against fixed", md)
        self.assertIn("**broken** `polling`", md)


class HarnessSpeedTest(unittest.TestCase):
    def test_model_steps_switch_cost_runner_and_parsers(self):
        model = document(model_run("steps", 4096, 2.5e6),
                         model_run("steps", 1024, 1.0e6),  # smaller size: not the figure
                         model_run("steps_no_switch", 4096, 5e6),
                         model_run("context_switch", 4096, 2e6), config="model")
        harness = document(run("harness/bare_spawn/trials:5", 3, workers=1),
                           run("harness/runner_trial/trials:5", 5, workers=1, overhead_ms=2.0),
                           config="harness")
        plain = document(run("harness/parse_tsan/reports:10", 10, bytes_per_second=1.1e8))
        speed = summary_of(plain, harness, model)["harness_speed"]
        self.assertAlmostEqual(speed["model_steps_per_second"], 2.5e6)
        self.assertAlmostEqual(speed["model_decision_ns"], 200)
        self.assertAlmostEqual(speed["model_switch_step_ns"], 500)
        self.assertAlmostEqual(speed["model_context_switch_ns"], 300)
        self.assertAlmostEqual(speed["runner_overhead_ms"], 2.0)
        self.assertAlmostEqual(speed["parsers"][0]["mb_per_s"], 110)
        self.assertEqual(len(speed["model"]), 4)

    def test_a_negative_switch_cost_is_no_figure(self):
        model = document(model_run("steps_no_switch", 8, 5e6),
                         model_run("context_switch", 8, 6e6), config="model")
        self.assertIsNone(summary_of(model)["harness_speed"]["model_context_switch_ns"])

    def test_failed_model_run_is_an_error_not_a_figure(self):
        bad = model_run("steps", 8, 1e6)
        bad.update(error_occurred=True, error_message="model run failed: lost")
        s = summary_of(document(bad, config="model"))
        self.assertIsNone(s["harness_speed"]["model_steps_per_second"])
        self.assertEqual(s["errors"][0]["configuration"], "model")

    def test_markdown_shows_the_model_rate(self):
        model = document(model_run("steps", 64, 1.5e6),
                         model_run("steps_no_switch", 64, 4e6),
                         model_run("context_switch", 64, 2e6), config="model")
        md = summarise.render_markdown(summary_of(model))
        self.assertIn("## The harness's own speed", md)
        self.assertIn("model scheduler steps/s", md)
        self.assertIn("| 1.5e+06 |", md)
        self.assertIn("one context switch (the difference) | 250 ns", md)

    def test_real_model_output(self):
        """The JSON casebook-bench-model wrote in a real short pass (data/bench-model.json)."""
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                            "bench-model.json")
        doc, _ = summarise.load_file(path)
        speed = summarise.summarise([(path, doc, [])])["harness_speed"]
        names = {m["variant"] for m in speed["model"]}
        self.assertEqual(names, {"steps", "steps_no_switch", "context_switch"})
        self.assertGreater(speed["model_steps_per_second"], 0)
        self.assertGreater(speed["model_switch_step_ns"], 0)
        self.assertGreater(speed["model_decision_ns"], 0)
        # Nanoseconds, not the seconds the raw counter holds: a step takes 10 ns to 100 µs.
        self.assertTrue(10 < speed["model_decision_ns"] < 1e5, speed["model_decision_ns"])


if __name__ == "__main__":
    unittest.main()

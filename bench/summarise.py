#!/usr/bin/python3
"""summarise.py - turn casebook benchmark JSON into speedups, efficiencies and overheads.

Reads Google Benchmark JSON files (casebook-bench, -tsan, -asan, bench/python/reference.py, or a
bench.json merged by this script) and writes:

  --json F      a compact summary: every threads/processes series with speedup and parallel
                efficiency per worker count, the GIL comparison, C++ against Python, sanitizer
                overhead factors, broken against fixed (the counter and queue variants side by
                side), queue and counter figures, the harness's own speed (runner overhead,
                parser MB/s, the model scheduler's steps/s and switch cost) and every failed
                self-check;
  --markdown F  the same as Markdown tables;
  --merged F    all inputs in one Google Benchmark-shaped file, each run tagged with its
                `casebook_configuration` (plain, tsan, asan, python, harness, model).

Reading is tolerant, because Debian's libbenchmark is a debug build and runs get cut short:
text before the first '{' is skipped, the bare tokens NaN, -NaN, nan, Infinity, inf (which
strict JSON forbids) become null, and a file truncated mid-array keeps its complete runs.

Definitions. A run's time is its real (wall-clock) time; with repetitions, the median. A
series is all runs of one configuration, workload, variant, mode (threads or processes) and
size. Its baseline is the `<workload>/sequential` run of the same size when there is one, else
the series' own 1-worker run. speedup(k) = baseline time / time(k); efficiency(k) =
speedup(k) / k. An overhead factor is a run's time in a configuration divided by the time of
the run of the same name in the plain build.

Exit status: 0; 1 when some run reported an error (a failed self-check: a fast wrong result
must not pass); 2 when no input could be read. Python 3 standard library only.
"""

import argparse
import json
import math
import re
import statistics
import sys

SCHEMA_VERSION = 1
MODES = ("sequential", "threads", "processes")
# Parts Google Benchmark appends to a name that are not ours.
SUFFIX = re.compile(r"^(real_time|process_time|manual_time|(min_time|min_warmup_time|"
                    r"iterations|repeats|threads):.*)$")
NOT_COUNTERS = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
    "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
    "aggregate_name", "aggregate_unit", "error_occurred", "error_message", "label", "big_o",
    "rms", "casebook_configuration", "skipped",
}
UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
DOCUMENTED_OVERHEAD = {"tsan": "5-15x (time)", "asan": "about 2x (time)"}
GIL_SERIES = ("primes/gil", "primes/chunks", "primes/tasks")
# Workloads without a scaling series whose rates go into the "other" table.
OTHER_WORKLOADS = ("queue", "counters", "spawn", "ipc", "io", "harness")
# Broken against fixed: each variant of the counter and queue workloads with what it is, in the
# order a reader compares them. `broken` says which one a case of the catalog would call broken:
# a wrong answer (unsynchronised) or a needless cost (false sharing, polling).
COUNTER_ROLES = (
    ("sequential", False, "reference: one thread, no sharing"),
    ("unsynchronised", True, "broken: relaxed load + store, loses increments"),
    ("mutex", False, "correct: one contended lock"),
    ("atomic", False, "correct: fetch_add on one contended line"),
    ("sharded", False, "fixed: a local per thread, added once"),
    ("false_sharing", True, "broken: adjacent per-thread slots share a cache line"),
    ("padded", False, "fixed: per-thread slots alignas(64)"),
)
QUEUE_ROLES = (
    ("polling", True, "broken: mutex + 50 us sleeps (cases/busy_wait_polling)"),
    ("condvar", False, "fixed: mutex + two condition variables"),
    ("spsc", False, "lock-free single-producer single-consumer ring"),
)
# The model scheduler's target rate (bench/model_scheduler.cpp): scheduling steps per second.
MODEL_TARGET_STEPS_PER_SECOND = 1e6


# ---------------------------------------------------------------------------------------------
# Reading


def _sanitise_tokens(text):
    """Replaces bare NaN/Infinity spellings outside strings by null (strict JSON has neither)."""
    out, i, n = [], 0, len(text)
    token = re.compile(r"-?(NaN|nan|Infinity|infinity|inf|Inf)\b")
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
            continue
        m = token.match(text, i)
        if m and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            out.append("null")
            i = m.end()
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _null_non_finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _null_non_finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_null_non_finite(v) for v in value]
    return value


def loads_tolerant(text):
    """Parses benchmark JSON text as tolerantly as described above; returns (document, notes).

    Raises ValueError when nothing usable is left."""
    notes = []
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON object in the input")
    if text[:start].strip():
        notes.append("skipped text before the JSON")
    text = _sanitise_tokens(text[start:])
    try:
        return _null_non_finite(json.loads(text)), notes
    except json.JSONDecodeError:
        pass
    # Truncated: keep every complete run of the benchmarks array. Cut after each '}' from the
    # end backwards and close the array and the document.
    cut = len(text)
    for _ in range(2000):
        cut = text.rfind("}", 0, cut)
        if cut < 0:
            break
        try:
            document = json.loads(text[:cut + 1] + "]}")
        except json.JSONDecodeError:
            continue
        if isinstance(document, dict) and isinstance(document.get("benchmarks"), list):
            notes.append("truncated input: kept %d complete run(s)" % len(document["benchmarks"]))
            return _null_non_finite(document), notes
    raise ValueError("not JSON, and no complete run could be recovered")


def load_file(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return loads_tolerant(f.read())


# ---------------------------------------------------------------------------------------------
# Names and records


def parse_name(name):
    """'primes/gil/threads/workers:2/limit:300000/process_time/real_time' ->
    {'workload': 'primes', 'variant': 'gil', 'mode': 'threads', 'args': {...}, 'key': ...}.

    The key is the name without Google Benchmark's suffixes: it names the same run in every
    configuration."""
    parts = [p for p in name.split("/") if p and not SUFFIX.match(p)]
    words = [p for p in parts if ":" not in p]
    args = {}
    for p in parts:
        if ":" in p:
            k, _, v = p.partition(":")
            try:
                args[k] = int(v)
            except ValueError:
                args[k] = v
    mode = words[-1] if words and words[-1] in MODES else None
    body = words[:-1] if mode else words
    return {
        "key": "/".join(parts),
        "workload": body[0] if body else "",
        "variant": "/".join(body[1:]),
        "mode": mode,
        "args": args,
    }


def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def records_of(document, source="?"):
    """One record per benchmark entry of a document (aggregates included, marked)."""
    context = document.get("context") or {}
    default_config = context.get("casebook_configuration") or "plain"
    records = []
    for b in document.get("benchmarks") or []:
        if not isinstance(b, dict) or "name" not in b:
            continue
        name = b.get("run_name") or b["name"]
        parsed = parse_name(name)
        scale = UNIT_SECONDS.get(b.get("time_unit", "ns"), 1e-9)
        real, cpu = _number(b.get("real_time")), _number(b.get("cpu_time"))
        iterations = _number(b.get("iterations")) or 1
        counters = {k: v for k, v in b.items() if k not in NOT_COUNTERS and _number(v) is not None}
        workers = counters.get("workers", parsed["args"].get("workers"))
        error = b.get("error_message") if b.get("error_occurred") else None
        if b.get("skipped") and not error:
            error = b.get("skip_message") or "skipped"
        records.append({
            "configuration": b.get("casebook_configuration") or default_config,
            "source": source,
            "name": b["name"],
            **parsed,
            "aggregate": b.get("aggregate_name") if b.get("run_type") == "aggregate" else None,
            "real_s": real * scale if real is not None else None,
            "cpu_s": cpu * scale if cpu is not None else None,
            "iterations": iterations,
            "workers": int(workers) if workers is not None else None,
            "counters": counters,
            "error": error,
        })
    return records


def collapse(records):
    """One record per (configuration, key): the median aggregate when there is one, else the
    median of the repetitions. A record carries an error when any repetition did."""
    groups = {}
    for r in records:
        groups.setdefault((r["configuration"], r["key"]), []).append(r)
    out = {}
    for group_key, group in groups.items():
        runs = [r for r in group if r["aggregate"] is None]
        medians = [r for r in group if r["aggregate"] == "median"]
        errors = [r["error"] for r in group if r["error"]]
        if medians:
            chosen = dict(medians[0])
        elif runs:
            chosen = dict(runs[0])
            times = [r["real_s"] for r in runs if r["real_s"] is not None]
            cpus = [r["cpu_s"] for r in runs if r["cpu_s"] is not None]
            chosen["real_s"] = statistics.median(times) if times else None
            chosen["cpu_s"] = statistics.median(cpus) if cpus else None
            counters = {}
            for k in chosen["counters"]:
                values = [r["counters"][k] for r in runs if r["counters"].get(k) is not None]
                counters[k] = statistics.median(values) if values else None
            chosen["counters"] = counters
        else:
            continue  # only mean/stddev/cv aggregates: nothing to time
        chosen["repetitions"] = max(1, len(runs))
        chosen["error"] = errors[0] if errors else None
        out[group_key] = chosen
    return out


# ---------------------------------------------------------------------------------------------
# Derived figures


def _size_key(args):
    return tuple(sorted((k, v) for k, v in args.items() if k != "workers"))


def _size_text(args):
    return ",".join("%s=%s" % kv for kv in _size_key(args))


def _ratio(a, b):
    if a is None or b is None or a <= 0 or b <= 0:
        return None  # a zero time is a broken measurement, not an infinite speedup
    return a / b


def cores_used(run):
    """CPU seconds per real second of a run: the parallelism it actually got. A run of k busy
    workers on k free cores gets about k; on a machine where another job holds a core, less,
    whatever the code does. Processes count their children's CPU (children_cpu_s per
    iteration), threads their process's CPU time (MeasureProcessCPUTime)."""
    cpu = run["cpu_s"]
    children = run["counters"].get("children_cpu_s")
    if cpu is None or run["real_s"] is None or run["real_s"] <= 0:
        return None
    return (cpu + (children or 0.0)) / run["real_s"]


def derive_series(runs):
    """Every threads/processes series with speedup and efficiency per point (see the top)."""
    sequential = {}
    grouped = {}
    for (config, _), r in runs.items():
        if r["error"] or r["real_s"] is None:
            continue
        if r["mode"] == "sequential":
            sequential[(config, r["workload"], _size_key(r["args"]))] = r
        elif r["mode"] in ("threads", "processes") and r["workers"]:
            key = (config, r["workload"], r["variant"], r["mode"], _size_key(r["args"]))
            grouped.setdefault(key, []).append(r)
    series = []
    for (config, workload, variant, mode, size), points in sorted(grouped.items()):
        points.sort(key=lambda r: r["workers"])
        base = sequential.get((config, workload, size))
        kind = "sequential"
        if base is None:
            ones = [p for p in points if p["workers"] == 1]
            if not ones:
                continue
            base, kind = ones[0], "1 worker"
        one = next((p for p in points if p["workers"] == 1), None)
        rows = []
        for p in points:
            speedup = _ratio(base["real_s"], p["real_s"])
            rows.append({
                "workers": p["workers"],
                "real_time_s": p["real_s"],
                "cpu_time_s": p["cpu_s"],
                "items_per_second": p["counters"].get("items_per_second"),
                "speedup": speedup,
                "efficiency": speedup / p["workers"] if speedup is not None else None,
                "speedup_vs_1_worker": _ratio(one["real_s"], p["real_s"]) if one else None,
                "cores_used": cores_used(p),
            })
        series.append({
            "configuration": config,
            "workload": workload,
            "variant": variant,
            "mode": mode,
            "size": dict(size),
            "baseline": {"kind": kind, "name": base["key"], "real_time_s": base["real_s"]},
            "points": rows,
        })
    return series


def overheads(runs, against="plain"):
    """Time of every run outside `against` divided by the same run's time in `against`."""
    rows = []
    for (config, key), r in sorted(runs.items()):
        if config == against:
            continue
        base = runs.get((against, key))
        if base is None or base["error"] or r["error"]:
            continue
        factor = _ratio(r["real_s"], base["real_s"])
        if factor is None:
            continue
        rows.append({"configuration": config, "name": key, "factor": factor,
                     "real_time_s": r["real_s"], against + "_real_time_s": base["real_s"]})
    return rows


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def sanitizer_runs(rows):
    """One entry per run name with its worker count taken out: each sanitizer's geometric mean
    over the worker counts, and the plain run's median time. What every report of the pass
    draws, computed here only."""
    groups = {}
    for r in rows:
        entry = groups.setdefault(_without_workers(r["name"]),
                                  {"tsan": [], "asan": [], "plain": []})
        if r["configuration"] in ("tsan", "asan"):
            entry[r["configuration"]].append(r["factor"])
        entry["plain"].append(r["plain_real_time_s"])
    return [{"name": name,
             "plain_median_s": statistics.median(g["plain"]) if g["plain"] else None,
             "tsan": geomean(g["tsan"]),
             "asan": geomean(g["asan"])}
            for name, g in sorted(groups.items())]


def _point(series, workers):
    return next((p for p in series["points"] if p["workers"] == workers), None)


def gil_comparison(series):
    """Speedup at 2 workers (and at the most workers) of the prime series, threads against
    processes, C++ and Python: the GIL's effect from one run."""
    rows = []
    for s in series:
        name = s["workload"] + ("/" + s["variant"] if s["variant"] else "")
        if s["workload"] != "primes" or s["configuration"] not in ("plain", "python"):
            continue
        if s["configuration"] == "plain" and name not in GIL_SERIES:
            continue
        two = _point(s, 2)
        last = s["points"][-1]
        rows.append({
            "configuration": s["configuration"],
            "series": name + "/" + s["mode"],
            "size": s["size"],
            "speedup_at_2": two["speedup"] if two else None,
            "efficiency_at_2": two["efficiency"] if two else None,
            "max_workers": last["workers"],
            "speedup_at_max": last["speedup"],
        })
    return rows


def _largest_size(candidates):
    """The runs of the largest size among candidates (dicts with "args"): the figures to show
    when the full pass also ran the short sizes."""
    if not candidates:
        return []
    biggest = max(_size_key(r["args"]) for r in candidates)
    return [r for r in candidates if _size_key(r["args"]) == biggest]


def contrast_workers(runs, num_cpus):
    """The worker count the broken/fixed comparison is shown at: the machine's CPU count when
    the counters ran at it (every thread on its own core: contention at its worst without
    oversubscription), else the largest worker count they ran at."""
    counts = sorted({r["workers"] for (c, _), r in runs.items()
                     if c == "plain" and r["workload"] == "counters" and r["mode"] == "threads"
                     and r["workers"]})
    if not counts:
        return None
    return num_cpus if num_cpus in counts else counts[-1]


def _role_rows(by_variant, roles, extra_counters):
    """One row per (variant, broken, role) that ran: its time, items/s and the named counters."""
    rows = []
    for variant, broken, role in roles:
        r = by_variant.get(variant)
        if r is None:
            continue
        row = {"variant": variant, "broken": broken, "role": role, "name": r["key"],
               "error": r["error"], "real_time_s": r["real_s"],
               "items_per_second": r["counters"].get("items_per_second")}
        for counter in extra_counters:
            row[counter] = r["counters"].get(counter)
        rows.append(row)
    return rows


def broken_vs_fixed(runs, num_cpus):
    """The counter variants at one worker count and the queue variants, plain build, each row
    with its role and whether it is the broken one (see COUNTER_ROLES and QUEUE_ROLES)."""
    out = []
    workers = contrast_workers(runs, num_cpus)
    plain = [r for (c, _), r in sorted(runs.items()) if c == "plain" and r["real_s"] is not None]
    if workers is not None:
        counters = _largest_size([r for r in plain if r["workload"] == "counters" and (
            r["mode"] == "sequential" or (r["mode"] == "threads" and r["workers"] == workers))])
        by_variant = {("sequential" if r["mode"] == "sequential" else r["variant"]): r
                      for r in counters}
        rows = _role_rows(by_variant, COUNTER_ROLES, ("lost_fraction",))
        if rows:
            out.append({"workload": "counters", "title": "Counting N increments on %d threads"
                        % workers, "workers": workers, "size": dict(_size_key(counters[0]["args"])),
                        "metric": "real_time_s", "rows": rows})
    for kind, metric, title in (("throughput", "items_per_second",
                                 "Producer/consumer throughput (messages/s, higher is better)"),
                                ("latency", "rtt_p50_us",
                                 "Producer/consumer round trip (p50, lower is better)")):
        queues = _largest_size([r for r in plain if r["workload"] == "queue"
                                and r["variant"].endswith("/" + kind)])
        by_variant = {r["variant"].split("/")[0]: r for r in queues}
        rows = _role_rows(by_variant, QUEUE_ROLES, ("rtt_p50_us", "rtt_p99_us"))
        if rows:
            out.append({"workload": "queue/" + kind, "title": title, "workers": 2,
                        "size": dict(_size_key(queues[0]["args"])), "metric": metric,
                        "rows": rows})
    return out


def harness_speed(runs):
    """The harness's own speed: what the runner adds per trial (bench/harness_overhead.py),
    the log parsers' MB/s (harness/parse_*) and the model scheduler's steps/s and switch cost
    (casebook-bench-model). The suite's wall time is not measured by the pass: it is the
    results file's run.duration_seconds, which the HTML report shows beside these."""
    ok = {k: r for k, r in runs.items() if not r["error"] and r["real_s"] is not None}
    runner = [{"name": r["key"], "real_time_s": r["real_s"],
               "overhead_ms": r["counters"].get("overhead_ms")}
              for (c, _), r in sorted(ok.items()) if c == "harness"]
    parsers = [{"name": r["key"], "real_time_s": r["real_s"],
                "mb_per_s": r["counters"]["bytes_per_second"] / 1e6}
               for (c, _), r in sorted(ok.items())
               if r["workload"] == "harness" and r["variant"].startswith("parse_")
               and r["counters"].get("bytes_per_second")]
    # Time per step comes from the rate: the executable's own `ns_per_step` counter is Google
    # Benchmark's inverted rate, which is in seconds per step whatever its name says.
    model = []
    for (c, _), r in sorted(ok.items()):
        if c != "model" or r["workload"] != "model":
            continue
        rate = r["counters"].get("steps_per_second") or r["counters"].get("items_per_second")
        model.append({"name": r["key"], "variant": r["variant"], "size": r["args"],
                      "real_time_s": r["real_s"], "steps_per_second": rate,
                      "ns_per_step": 1e9 / rate if rate else None})
    # Each figure at the largest size the pass ran (full also runs the short size).
    largest = {}
    for m in model:
        size = tuple(sorted(m["size"].items()))
        if m["variant"] not in largest or size > largest[m["variant"]][0]:
            largest[m["variant"]] = (size, m)
    steps = largest.get("steps", (None, {}))[1].get("steps_per_second")
    switch = largest.get("context_switch", (None, {}))[1].get("ns_per_step")
    decision = largest.get("steps_no_switch", (None, {}))[1].get("ns_per_step")
    # A switch step is one ucontext switch plus one decision; the no-switch run is the decision
    # alone. On a noisy machine the difference can come out negative: then there is none.
    switch_cost = switch - decision if switch is not None and decision is not None else None
    return {
        "runner": runner,
        "runner_overhead_ms": next((r["overhead_ms"] for r in runner
                                    if r["name"].startswith("harness/runner_trial")), None),
        "parsers": parsers,
        "model": model,
        "model_steps_per_second": steps,
        "model_target_steps_per_second": MODEL_TARGET_STEPS_PER_SECOND,
        "model_decision_ns": decision,
        "model_switch_step_ns": switch,
        "model_context_switch_ns": switch_cost if switch_cost and switch_cost > 0 else None,
    }


def summarise(documents):
    """documents: [(source name, parsed document, notes)]. Returns the summary dict."""
    records, sources = [], []
    for source, document, notes in documents:
        context = document.get("context") or {}
        recs = records_of(document, source)
        records.extend(recs)
        configs = sorted({r["configuration"] for r in recs})
        sources.append({
            "file": source,
            "configurations": configs,
            "runs": len(recs),
            "notes": notes,
            "scale": context.get("casebook_scale"),
            "date": context.get("date"),
            "num_cpus": context.get("num_cpus"),
            "load_avg": context.get("load_avg"),
            "library_build_type": context.get("library_build_type"),
            "compiler": context.get("compiler"),
            "python_version": context.get("python_version"),
        })
    runs = collapse(records)
    series = derive_series(runs)
    factor_rows = overheads(runs)
    sanitizer = [r for r in factor_rows if r["configuration"] in ("tsan", "asan")]
    python = [r for r in factor_rows if r["configuration"] == "python"]
    errors = [{"configuration": c, "name": k, "message": r["error"]}
              for (c, k), r in sorted(runs.items()) if r["error"]]
    extras = []
    for (c, k), r in sorted(runs.items()):
        if r["workload"] in OTHER_WORKLOADS and not r["error"]:
            wanted = ("items_per_second", "bytes_per_second", "rtt_p50_us", "rtt_p99_us",
                      "lost_fraction", "overhead_ms")
            extras.append({"configuration": c, "name": k, "real_time_s": r["real_s"],
                           **{x: r["counters"][x] for x in wanted if x in r["counters"]}})
    return {
        "schema_version": SCHEMA_VERSION,
        "sources": sources,
        "errors": errors,
        "series": series,
        "gil": gil_comparison(series),
        "python_vs_cpp": {
            "note": "factor = Python time / C++ (plain) time of the same run name and size",
            "rows": python,
            "geomean": geomean([r["factor"] for r in python]),
        },
        "sanitizer_overhead": {
            "note": "factor = sanitized time / plain time of the same run, both at -O2",
            "documented": DOCUMENTED_OVERHEAD,
            "geomean": {c: geomean([r["factor"] for r in sanitizer if r["configuration"] == c])
                        for c in ("tsan", "asan")},
            "rows": sanitizer,
            "runs": sanitizer_runs(sanitizer),
        },
        "broken_vs_fixed": broken_vs_fixed(runs, next(
            (src["num_cpus"] for src in sources if "plain" in src["configurations"]), None)),
        "harness_speed": harness_speed(runs),
        "other": extras,
    }


def merged_document(documents):
    """All inputs as one Google Benchmark-shaped document, runs tagged with their configuration."""
    contexts, benchmarks = {}, []
    for source, document, _ in documents:
        context = document.get("context") or {}
        config = context.get("casebook_configuration") or "plain"
        contexts.setdefault(config, context)
        for b in document.get("benchmarks") or []:
            tagged = dict(b)
            tagged.setdefault("casebook_configuration", config)
            benchmarks.append(tagged)
    context = dict(contexts.get("plain") or next(iter(contexts.values()), {}))
    context["casebook_contexts"] = contexts
    return {"context": context, "benchmarks": benchmarks}


# ---------------------------------------------------------------------------------------------
# Markdown


def summarise_workers(name):
    """The workers argument of a run name, or None."""
    return parse_name(name)["args"].get("workers")


def _without_workers(name):
    return "/".join(p for p in name.split("/") if not p.startswith("workers:"))


def _fmt(value, spec="%.2f", none="–"):
    return none if value is None else spec % value


def _seconds(value):
    if value is None:
        return "–"
    if value >= 1:
        return "%.2f s" % value
    if value >= 1e-3:
        return "%.1f ms" % (value * 1e3)
    return "%.1f µs" % (value * 1e6)


def render_markdown(summary):
    out = ["# Benchmark summary", ""]
    out += ["%s  " % note for note in summary.get("notes") or []]
    if summary.get("notes"):
        out.append("")
    for s in summary["sources"]:
        load = s.get("load_avg")
        out.append("- `%s`: %s, %d run(s), scale %s, %s CPUs, load average %s%s%s" % (
            s["file"], "/".join(s["configurations"]) or "no runs", s["runs"], s.get("scale"),
            s.get("num_cpus"), " ".join("%.1f" % x for x in load) if load else "?",
            ", libbenchmark %s build" % s["library_build_type"] if s.get("library_build_type")
            else "", "; " + "; ".join(s["notes"]) if s["notes"] else ""))
    out.append("")
    if summary["errors"]:
        out += ["## Failed self-checks", "", "| configuration | run | error |", "|---|---|---|"]
        out += ["| %s | `%s` | %s |" % (e["configuration"], e["name"], e["message"])
                for e in summary["errors"]]
        out.append("")

    series = summary["series"]
    if series:
        counts = sorted({p["workers"] for s in series for p in s["points"]})
        out += ["## Scaling: speedup (parallel efficiency) against the baseline", "",
                "Real time. Baseline: the sequential run of the same size, else the series' "
                "1-worker run.", "",
                "The last column is the parallelism the 2-worker run actually got: its CPU "
                "seconds (children's included) per real second. Below 2 on 2 idle cores "
                "means the code waited; below 2 on a shared machine may mean another job "
                "held a core.", "",
                "| configuration | series | size | baseline | " +
                " | ".join("%d" % k for k in counts) + " | cores used at 2 |",
                "|---|---|---|---|" + "---|" * len(counts) + "---|"]
        for s in series:
            name = "/".join(x for x in (s["workload"], s["variant"], s["mode"]) if x)
            cells = []
            for k in counts:
                p = _point(s, k)
                cells.append("–" if p is None or p["speedup"] is None else
                             "%.2fx (%.0f%%)" % (p["speedup"], 100 * p["efficiency"]))
            two = _point(s, 2)
            out.append("| %s | `%s` | %s | %s | %s | %s |" % (
                s["configuration"], name, _size_text(s["size"]),
                _seconds(s["baseline"]["real_time_s"]), " | ".join(cells),
                _fmt(two and two["cores_used"], "%.2f")))
        out.append("")

    if summary["gil"]:
        out += ["## The GIL: threads against processes on the prime sums", "",
                "| configuration | series | size | speedup at 2 | efficiency at 2 | "
                "speedup at max workers |", "|---|---|---|---|---|---|"]
        for g in summary["gil"]:
            out.append("| %s | `%s` | %s | %s | %s | %s (%d) |" % (
                g["configuration"], g["series"], _size_text(g["size"]),
                _fmt(g["speedup_at_2"], "%.2fx"), _fmt(g["efficiency_at_2"] and
                                                       100 * g["efficiency_at_2"], "%.0f%%"),
                _fmt(g["speedup_at_max"], "%.2fx"), g["max_workers"]))
        out.append("")

    py = summary["python_vs_cpp"]
    if py["rows"]:
        out += ["## C++ against Python (same run, same size, one run)", "",
                "Sequential and 2-worker runs; every worker count is in the JSON.", "",
                "| run | C++ | Python | Python / C++ |", "|---|---|---|---|"]
        for r in py["rows"]:
            workers = summarise_workers(r["name"])
            if workers not in (None, 2):
                continue
            out.append("| `%s` | %s | %s | %.0fx |" % (
                r["name"], _seconds(r["plain_real_time_s"]), _seconds(r["real_time_s"]),
                r["factor"]))
        out += ["", "Geometric mean over all matched runs: %s." % _fmt(py["geomean"], "%.0fx"),
                ""]

    san = summary["sanitizer_overhead"]
    if san["rows"]:
        out += ["## Sanitizer overhead (sanitized time / plain time, both -O2)", "",
                "Geometric mean over the worker counts of each run.", "",
                "| run | plain (median) | tsan | asan |", "|---|---|---|---|"]
        for run in san["runs"]:
            out.append("| `%s` | %s | %s | %s |" % (
                run["name"], _seconds(run["plain_median_s"]), _fmt(run["tsan"], "%.1fx"),
                _fmt(run["asan"], "%.1fx")))
        out += ["| **all runs** | | **%s** | **%s** |" % (
            _fmt(san["geomean"].get("tsan"), "%.1fx"), _fmt(san["geomean"].get("asan"), "%.1fx")),
            "| documented | | %s | %s |" % (DOCUMENTED_OVERHEAD["tsan"],
                                          DOCUMENTED_OVERHEAD["asan"]), ""]

    other = [o for o in summary["other"] if o["configuration"] in ("plain", "harness")]
    if other:
        out += ["## Queues, counters, creation, I/O and the harness's own speed (plain)", "",
                "| run | time | items/s | other |", "|---|---|---|---|"]
        for o in other:
            notes = []
            if "rtt_p50_us" in o:
                notes.append("round trip p50 %.1f µs, p99 %.1f µs" % (o["rtt_p50_us"],
                                                                    o["rtt_p99_us"]))
            if "lost_fraction" in o:
                notes.append("lost %.1f%% of the increments" % (100 * o["lost_fraction"]))
            if "bytes_per_second" in o:
                notes.append("%.0f MB/s" % (o["bytes_per_second"] / 1e6))
            if "overhead_ms" in o:
                notes.append("%.1f ms per trial over a bare spawn" % o["overhead_ms"])
            out.append("| `%s` | %s | %s | %s |" % (
                o["name"], _seconds(o["real_time_s"]),
                _fmt(o.get("items_per_second"), "%.3g"), "; ".join(notes)))
        out.append("")

    contrasts = summary.get("broken_vs_fixed") or []
    if contrasts:
        out += ["## Broken against fixed (plain)", ""]
        for c in contrasts:
            out += ["%s, %s:" % (c["title"], _size_text(c["size"])), "",
                    "| variant | what it is | time | items/s | other |", "|---|---|---|---|---|"]
            for r in c["rows"]:
                notes = []
                if r.get("lost_fraction") is not None:
                    notes.append("lost %.1f%% of the increments" % (100 * r["lost_fraction"]))
                if r.get("rtt_p50_us") is not None:
                    notes.append("round trip p50 %.1f µs, p99 %.1f µs" % (
                        r["rtt_p50_us"], r.get("rtt_p99_us") or 0))
                out.append("| %s`%s` | %s | %s | %s | %s |" % (
                    "**broken** " if r["broken"] else "", r["variant"], r["role"],
                    _seconds(r["real_time_s"]), _fmt(r.get("items_per_second"), "%.3g"),
                    "; ".join(notes)))
            out.append("")

    speed = summary.get("harness_speed") or {}
    if speed.get("runner") or speed.get("parsers") or speed.get("model"):
        out += ["## The harness's own speed", "", "| what | figure |", "|---|---|"]
        if speed.get("runner_overhead_ms") is not None:
            out.append("| runner overhead per trial (over a bare spawn) | %.1f ms |"
                       % speed["runner_overhead_ms"])
        for p in speed.get("parsers") or []:
            out.append("| `%s` | %.0f MB/s |" % (p["name"], p["mb_per_s"]))
        if speed.get("model_steps_per_second") is not None:
            out.append("| model scheduler steps/s (random strategy, about half the steps "
                       "switch; target %.3g) | %.3g |" % (speed["model_target_steps_per_second"],
                                                       speed["model_steps_per_second"]))
        if speed.get("model_decision_ns") is not None:
            out.append("| model scheduler: one decision, no switch | %.0f ns/step |"
                       % speed["model_decision_ns"])
        if speed.get("model_switch_step_ns") is not None:
            out.append("| model scheduler: a step that switches threads | %.0f ns/step |"
                       % speed["model_switch_step_ns"])
        if speed.get("model_context_switch_ns") is not None:
            out.append("| model scheduler: one context switch (the difference) | %.0f ns |"
                       % speed["model_context_switch_ns"])
        out += ["", "The suite's wall time is the results file's `run.duration_seconds` (the HTML "
                "report shows it here); this pass does not measure it.", ""]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help="Google Benchmark JSON files")
    parser.add_argument("--json", help="write the summary JSON here")
    parser.add_argument("--markdown", help="write the Markdown tables here")
    parser.add_argument("--merged", help="write all inputs as one tagged JSON here")
    parser.add_argument("--note", action="append", default=[],
                        help="a line to carry into the summary (how it was run, what was skipped)")
    args = parser.parse_args(argv)

    documents = []
    for path in args.inputs:
        try:
            document, notes = load_file(path)
        except (OSError, ValueError) as e:
            print("summarise.py: %s: %s" % (path, e), file=sys.stderr)
            continue
        for note in notes:
            print("summarise.py: %s: %s" % (path, note), file=sys.stderr)
        documents.append((path, document, notes))
    if not documents:
        print("summarise.py: no input could be read", file=sys.stderr)
        return 2
    summary = summarise(documents)
    summary["notes"] = args.note
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=1, allow_nan=False)
            f.write("\n")
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(render_markdown(summary))
    if args.merged:
        with open(args.merged, "w", encoding="utf-8") as f:
            json.dump(_null_non_finite(merged_document(documents)), f, indent=1, allow_nan=False)
            f.write("\n")
    for e in summary["errors"]:
        print("summarise.py: self-check failed: %s %s: %s" % (e["configuration"], e["name"],
                                                              e["message"]), file=sys.stderr)
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

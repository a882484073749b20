#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Post-process one `make bench` results directory (host side).

Reads what bench/guest.sh left (workloads.tsv, runs.tsv, raw/*.json,
env.txt) plus host.txt from scripts/bench, and writes into the same
directory:
  bench.json  every raw figure of every run, the per-engine medians and
              ranges, the per-round ratios dsaio / fio, dsaio-libaio /
              fio libaio, dsaio-uring / fio io_uring (with the noise they
              are judged against: fio io_uring / fio libaio and each
              engine's round-to-round spread), each dsaio engine's peak
              buffer memory against io_size ("memory") and the targets
  table.txt   the table printed on the terminal
  chart.dat   the chart's data (one line per workload)
Python 3 standard library only.
"""
import argparse
import json
import os
import statistics
import sys

# chart.dat's engines, in bench/chart.gp's column order (the cost variants
# traced and untraced have no bar of their own); "best-fio" is the
# workload's best peer, whichever fio setting that is
CHART_ENGINES = ["dsaio", "dsaio-nohist", "io_uring", "libaio", "dsaio-uring", "dsaio-libaio",
                 "best-fio"]
# fio: at its defaults (io_uring, libaio) and io_uring at its best (guest.sh's
# FIO_VARIANTS: registered buffers and file, + SQ polling, its thread
# pinned apart from fio, + polled completions); the best of them per workload is the peer dsaio is held to
FIO_ENGINES = ["io_uring", "libaio", "io_uring-reg", "io_uring-sqpoll", "io_uring-sqpin",
               "io_uring-hipri"]
# dsaio-user's user-space engines, each with its fio twin and the name
# dsaio-user's --json gives it ("engine"); the module's is "kernel".
USER_ENGINES = {"dsaio-libaio": "libaio", "dsaio-uring": "io_uring"}
JSON_ENGINE = {"dsaio": "kernel", "dsaio-nohist": "kernel", "dsaio-traced": "kernel",
               "dsaio-poll": "kernel",
               "dsaio-untraced": "kernel", "dsaio-sweep": "kernel",
               "dsaio-libaio": "libaio", "dsaio-uring": "io_uring"}
LABEL = {"dsaio": "dsaio", "dsaio-nohist": "dsaio (no hist)",
         "dsaio-traced": "dsaio (traced)", "dsaio-untraced": "dsaio (untraced)",
         "dsaio-sweep": "dsaio sweep", "dsaio-poll": "dsaio (polled)",
         "io_uring": "fio io_uring", "libaio": "fio libaio",
         "dsaio-uring": "dsaio-uring", "dsaio-libaio": "dsaio-libaio",
         "io_uring-reg": "fio uring+reg", "io_uring-sqpoll": "fio uring+sqpoll",
         "io_uring-sqpin": "fio uring+sqpin",
         "io_uring-hipri": "fio uring+poll"}


def fail(msg):
    print("report.py: " + msg, file=sys.stderr)
    sys.exit(1)


def read_tsv(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                rows.append(line.split("\t"))
    return rows


def base_op(op):
    """read or write: a random workload's (randread, randwrite) direction,
    the key fio's JSON and dsaio-user's --op use."""
    return op[len("rand"):] if op.startswith("rand") else op


def parse_fio(path, op):
    """IOPS, bytes/s, p99 and mean latency (ns) from fio's JSON output."""
    with open(path) as f:
        text = f.read()
    # fio may print notes before the JSON object when --output is not used
    d = json.loads(text[text.index("{"):])
    j = d["jobs"][0]
    if j.get("error"):
        raise ValueError("fio job error %s" % j["error"])
    s = j[op]
    lat = s.get("lat_ns", {})
    pct = lat.get("percentile", {})
    return {
        "iops": float(s["iops"]),
        "bw_Bps": float(s["bw_bytes"]),
        "bytes": int(s["io_bytes"]),
        "requests": int(s["total_ios"]),
        "runtime_s": s["runtime"] / 1000.0,
        "lat_mean_ns": float(lat.get("mean", 0)) or None,
        "lat_p99_ns": float(pct["99.000000"]) if "99.000000" in pct else None,
        "lat_p50_ns": float(pct["50.000000"]) if "50.000000" in pct else None,
    }


def parse_dsaio(path, op, engine=None):
    """The same figures from `dsaio-user run --json` (engine: the name its
    "engine" field must have, when it has one)."""
    with open(path) as f:
        text = f.read()
    d = json.loads(text[text.index("{"):])
    if engine and d.get("engine", engine) != engine:
        raise ValueError("dsaio-user ran engine %r, not %r" % (d.get("engine"), engine))
    if d.get("state") not in (None, "done"):
        raise ValueError("dsaio job ended %s (error %s)" % (d.get("state"), d.get("error")))
    if d.get("errors"):
        raise ValueError("dsaio: %s requests failed" % d["errors"])
    t = float(d["task_latency_sec"])
    if t <= 0:
        raise ValueError("dsaio: task time 0")
    lat = d.get("latency_ns", {})
    return {
        "iops": float(d["requests"]) / t,
        "bw_Bps": float(d["bytes"]) / t,
        "bytes": int(d["bytes"]),
        "requests": int(d["requests"]),
        "runtime_s": t,
        "lat_mean_ns": float(lat["mean"]) if "mean" in lat else None,
        "lat_p99_ns": float(lat["p99"]) if "p99" in lat else None,
        "lat_p50_ns": float(lat["p50"]) if "p50" in lat else None,
        # the engine's own count of the I/O buffer it held (0: not said)
        "buffer_bytes": int(d["buffer_bytes"]) if d.get("buffer_bytes") else None,
    }


def parse_sweep(path):
    """A whole `dsaio-user sweep --json`: its points' measured E2E, their
    warm-up share and set-up, for the sweep's cost against its wall time."""
    with open(path) as f:
        text = f.read()
    d = json.loads(text[text.index("{"):])
    pts = d["points"]
    if not d.get("complete") or d.get("failures") or not pts:
        raise ValueError("sweep incomplete (%s failures)" % d.get("failures"))
    e2e = sum(float(p["e2e_latency_sec"]) for p in pts)
    # the warm-up loops move as much as the measured ones, untimed
    warm = sum(float(p["e2e_latency_sec"]) * p.get("warmup_loops", 0) / max(p["loops"], 1)
               for p in pts)
    setup = [float(p["setup_latency_sec"]) for p in pts]
    return {"points": len(pts), "e2e_s": e2e, "warmup_s": warm, "setup_s": sum(setup),
            "setup_per_point_s": statistics.median(setup), "iops": None,
            "bytes": sum(int(p["bytes"]) for p in pts)}


def summary(values):
    v = [x for x in values if x is not None and x == x]
    if not v:
        return None
    return {"median": statistics.median(v), "min": min(v), "max": max(v), "n": len(v)}


def spread(s):
    """The min-max range over rounds as a fraction of the median."""
    if not s or not s["median"]:
        return None
    return (s["max"] - s["min"]) / s["median"]


def user_verdict(u):
    """A user-space engine against its fio twin: is the per-round ratio
    within the noise? The noise is half the relative range of the per-round
    ratio fio io_uring / fio libaio (two engines in the same rounds, like
    the pair compared), or, without it, of the fio twin's own figure."""
    s, noise = u["ratio"], u["noise_half_range"]
    if not s:
        return "n/a (not run)"
    if s["n"] < 2:
        return "n/a (one round)"
    if s["min"] <= 1.0 <= s["max"]:
        return "within noise: the per-round ratio spans 1.0"
    side = "lower" if s["max"] < 1.0 else "higher"
    dev = abs(s["median"] - 1.0)
    if noise is None:
        return "%s in every round, by %.1f %% (no noise reference)" % (side, 100 * dev)
    if dev <= noise:
        return ("not resolved: %s in every round, by %.1f %%, but the noise is "
                "+-%.1f %%" % (side, 100 * dev, 100 * noise))
    return ("differs: %s in every round, by %.1f %%, more than the noise (+-%.1f %%)"
            % (side, 100 * dev, 100 * noise))


def fmt_range(s, scale=1.0, digits=0, pct=False):
    if s is None:
        return "-"
    if digits and s["median"] * scale >= 1000:
        digits = 0
    f = "{:.%df}" % digits
    m, lo, hi = s["median"] * scale, s["min"] * scale, s["max"] * scale
    suffix = "%" if pct else ""
    return (f + suffix + " [" + f + ".." + f + "]").format(m, lo, hi)


def target(wid, text, s, lim, at_least=True, pct=False):
    """A target row: ratio summary s against lim (at least lim, or at most
    it); met by the median, resolved when the whole range is on one side."""
    t = {"workload": wid, "target": text, "median": s and s["median"], "range": s}
    if pct:
        t["pct"] = True
    if at_least:
        t["met"] = bool(s and s["median"] >= lim)
        t["resolved"] = bool(s and (s["min"] >= lim or s["max"] < lim))
    else:
        t["met"] = bool(s and s["median"] <= lim)
        t["resolved"] = bool(s and (s["max"] <= lim or s["min"] > lim))
    return t


def verdict(t):
    """MET / MISSED by the median; "within noise" when the min-max range
    over rounds reaches across the threshold, so that more rounds or a
    quieter machine could turn the verdict."""
    if t["median"] is None:
        return "n/a (not run)"
    v = "MET" if t["met"] else "MISSED"
    if not t.get("resolved"):
        v += " (within noise: the range spans the threshold)"
    return v


# The runs that measure a cost of dsaio itself: the variant engine, what
# its row says and its ratio's key; and the ratio's (key, engine with the
# cost, engine without). dsaio-untraced is the module built without
# tracepoints (DSAIO_TRACE=0): against it, dsaio (compiled in, off) shows
# what the tracepoints cost when nobody traces.
COSTS = {"dsaio-nohist": ("histogram", "histogram_cost"),
         "dsaio-traced": ("tracing on", "tracepoint_cost"),
         "dsaio-untraced": ("tracepoints compiled in, off", "tracepoint_off_cost")}
# issue 17's targets against the best peer: workload, figure, its words, limit
TARGETS_BEST = (("w9", "iops", "IOPS", 1.5),
                ("w9", "req_per_cpu_s", "requests per CPU-second", 2.0),
                ("w3", "bw_Bps", "throughput", 1.0),
                ("w4", "bw_Bps", "throughput", 1.0),
                ("w16", "bw_Bps", "file engine throughput on ext4", 1.0))
TARGETS_USER = ("w3", "w9")
# Peak buffer memory, the engines' own counts (issue 17): a table line per
# engine on these workloads (NVMe 1M and 128K); bench.json has every one.
# The module should hold queue depth x block size per worker, DeepSpeed's
# handle (and dsaio-user's libaio and io_uring engines) the whole io_size.
MEMORY_WORKLOADS = ("w3", "w5")
MEMORY_ENGINES = ("dsaio", "dsaio-libaio", "dsaio-uring")
COST_PAIRS = (("histogram_cost", "dsaio", "dsaio-nohist"),
              ("tracepoint_cost", "dsaio-traced", "dsaio"),
              ("tracepoint_off_cost", "dsaio", "dsaio-untraced"))


def memory(w, engines):
    """Each dsaio engine's peak buffer memory on workload w (its median over
    rounds; it does not change between them) against io_size, and against
    what its design says it holds: QD x block size x workers for the
    module (each worker's buffer is at most its slice), io_size per handle
    for the user-space engines, as DeepSpeed's handle."""
    out = {}
    slice_ = w["io_size"] // max(w["workers"], 1)
    for eng in MEMORY_ENGINES:
        s = (engines.get(eng) or {}).get("buffer_bytes")
        if not s:
            continue
        if eng == "dsaio":
            design = w["workers"] * min(w["queue_depth"] * w["block_size"], slice_)
            why = "QD x bs x workers"
        else:
            design = w["io_size"]
            why = "io_size, as DeepSpeed's handle"
        out[eng] = {"buffer_bytes": s, "io_size": w["io_size"],
                    "ratio_io_size": s["median"] / float(w["io_size"]),
                    "design_bytes": design, "design": why,
                    "as_designed": s["min"] == s["max"] == design}
    return out


def memory_lines(mem):
    """A table line per engine: its peak buffer memory, the ratio to
    io_size, and whether it is what its design holds."""
    lines = []
    for eng, m in mem.items():
        s = m["buffer_bytes"]
        varies = "" if s["min"] == s["max"] else " [%.1f..%.1f]" % (
            s["min"] / 2.0 ** 20, s["max"] / 2.0 ** 20)
        lines.append("%-4s memory %-13s peak buffer %.1f MiB%s = %.3f x io_size; %s: %s" % (
            "", LABEL[eng], s["median"] / 2.0 ** 20, varies, m["ratio_io_size"], m["design"],
            "as designed" if m["as_designed"] else
            "differs (%.1f MiB)" % (m["design_bytes"] / 2.0 ** 20)))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", help="results directory (from bench/guest.sh)")
    args = ap.parse_args()
    d = args.dir
    for f in ("workloads.tsv", "runs.tsv"):
        if not os.path.exists(os.path.join(d, f)):
            fail("%s/%s missing: the guest side did not run" % (d, f))

    workloads = []
    for r in read_tsv(os.path.join(d, "workloads.tsv")):
        wid, dev, op, bs, qd, thr, size, loops, engs, title = r[:10]
        workloads.append({"id": wid, "device": dev, "op": op, "block_size": int(bs),
                          "queue_depth": int(qd), "workers": int(thr),
                          "io_size": int(size), "loops": int(loops),
                          "engines": engs.split(","), "title": title.replace("_", " "),
                          "targets": len(dev.split(",")),
                          "nomerges": int(r[10]) if len(r) > 10 and r[10].isdigit() else 0})

    runs = []
    problems = []
    for r in read_tsv(os.path.join(d, "runs.tsv")):
        rnd, wid, eng, rel, rc, secs = r[:6]
        w = next((x for x in workloads if x["id"] == wid), None)
        run = {"round": int(rnd), "workload": wid, "engine": eng, "file": rel,
               "exit_status": int(rc), "wall_s": float(secs), "ok": False}
        # what the device saw: requests completed and bios merged into them
        if len(r) >= 8 and r[6].isdigit() and r[7].isdigit():
            run["dev_requests"], run["dev_merges"] = int(r[6]), int(r[7])
        # the guest's CPU time over the whole command (busy: not idle or
        # iowait, every CPU, kernel threads included: fio's SQ thread and
        # dsaio's workers alike), against the bios the device queue got
        # over the same span (requests + merges, warm-up loop included)
        if len(r) >= 10:
            try:
                run["cpu_busy_s"], run["cpu_total_s"] = float(r[8]), float(r[9])
            except ValueError:
                pass
        bios = run.get("dev_requests", 0) + run.get("dev_merges", 0)
        if bios and run.get("cpu_busy_s"):
            run["cpu_s_per_Mreq"] = run["cpu_busy_s"] / (bios / 1e6)
            run["req_per_cpu_s"] = bios / run["cpu_busy_s"]
        path = os.path.join(d, rel)
        try:
            if int(rc) != 0:
                raise ValueError("exit status %s" % rc)
            if eng == "dsaio-sweep":
                run.update(parse_sweep(path))
                run["wall_over_e2e"] = run["wall_s"] / run["e2e_s"]
                run["wall_over_io"] = run["wall_s"] / (run["e2e_s"] + run["warmup_s"])
            elif eng.startswith("dsaio"):
                run.update(parse_dsaio(path, base_op(w["op"]), JSON_ENGINE.get(eng)))
            else:
                run.update(parse_fio(path, base_op(w["op"])))
            # several devices (w18: comma-separated) move io_size each
            want = w["io_size"] * w["loops"] * run.get("points", 1) * w["targets"]
            if run["bytes"] != want:
                raise ValueError("moved %d bytes, expected %d" % (run["bytes"], want))
            if run.get("dev_requests"):
                run["merged_frac"] = run["dev_merges"] / float(
                    run["dev_requests"] + run["dev_merges"])
            run["ok"] = True
        except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
            run["problem"] = str(e)
            errf = path[:-5] + ".err"
            if os.path.exists(errf):
                with open(errf) as ef:
                    run["stderr"] = ef.read()[-2000:]
            problems.append("%s round %d %s: %s" % (wid, int(rnd), eng, e))
        runs.append(run)

    def fig(wid, eng, key):
        return {x["round"]: x.get(key) for x in runs
                if x["workload"] == wid and x["engine"] == eng and x["ok"]}

    out_w = []
    lines = []
    targets = []
    for w in workloads:
        wid = w["id"]
        ent = {"workload": w, "engines": {}, "ratios": {}}
        for eng in w["engines"]:
            ent["engines"][eng] = {k: summary(list(fig(wid, eng, k).values()))
                                   for k in ("iops", "bw_Bps", "lat_p99_ns", "lat_mean_ns",
                                             "merged_frac", "cpu_s_per_Mreq", "req_per_cpu_s",
                                             "wall_over_e2e", "wall_over_io",
                                             "setup_per_point_s", "buffer_bytes")}
        # ratios within a round: dsaio's figure over fio's of the same round
        for eng in FIO_ENGINES:
            if eng not in w["engines"]:
                continue
            rat = {}
            for key in ("iops", "bw_Bps"):
                a, b = fig(wid, "dsaio", key), fig(wid, eng, key)
                rat[key] = summary([a[r] / b[r] for r in a if r in b and b[r]])
            ent["ratios"]["dsaio/" + eng] = rat
        # the module against each user-space engine (the "dsaio/engine"
        # column of their rows), each user-space engine against its fio
        # twin, and fio against fio: the noise reference of a ratio
        # between two engines of the same rounds
        pairs = [("dsaio", u) for u in USER_ENGINES]
        pairs += [(u, f) for u, f in USER_ENGINES.items()] + [("io_uring", "libaio")]
        # tracepoints compiled in (off) / compiled out: 1.0 is zero cost
        pairs += [("dsaio", "dsaio-untraced")]
        # polled against polled (fio's hipri), and what polling gives dsaio
        pairs += [("dsaio-poll", "io_uring-hipri"), ("dsaio-poll", "dsaio")]
        for num, den in pairs:
            if num not in w["engines"] or den not in w["engines"]:
                continue
            rat = {}
            for key in ("iops", "bw_Bps"):
                a, b = fig(wid, num, key), fig(wid, den, key)
                rat[key] = summary([a[r] / b[r] for r in a if r in b and b[r]])
            ent["ratios"][num + "/" + den] = rat
        # the best peer: the fio setting with the highest median IOPS here
        meds = {e: ent["engines"][e]["iops"]["median"] for e in FIO_ENGINES
                if e in ent["engines"] and ent["engines"][e]["iops"]}
        if meds:
            best = max(meds, key=meds.get)
            bp = {"engine": best}
            for key in ("iops", "bw_Bps", "req_per_cpu_s"):
                a, b = fig(wid, "dsaio", key), fig(wid, best, key)
                bp["dsaio/best_" + key] = summary([a[r] / b[r] for r in a
                                                   if r in b and a[r] and b[r]])
            ent["best_peer"] = bp
        ent["spread"] = {eng: spread(ent["engines"][eng]["iops"]) for eng in w["engines"]}
        ent["memory"] = memory(w, ent["engines"])
        ent["user_engines"] = []
        for u, f in USER_ENGINES.items():
            rat = ent["ratios"].get(u + "/" + f, {}).get("iops")
            if not rat:
                continue
            ff = ent["ratios"].get("io_uring/libaio", {}).get("iops")
            if ff and ff["n"] >= 2:
                ref, noise = "fio io_uring / fio libaio", spread(ff) / 2
            else:
                ref, noise = LABEL[f] + " round to round", (
                    spread(ent["engines"][f]["iops"]) or 0) / 2 or None
            ue = {"workload": wid, "engine": u, "fio": f, "ratio": rat,
                  "noise_reference": ref, "noise_half_range": noise}
            ue["verdict"] = user_verdict(ue)
            ent["user_engines"].append(ue)
        # what the histogram and the dsaio tracepoints (when on) cost
        for name, on, off in COST_PAIRS:
            if on not in w["engines"] or off not in w["engines"]:
                continue
            a, b = fig(wid, on, "iops"), fig(wid, off, "iops")
            ent["ratios"][name] = summary(
                [1.0 - a[r] / b[r] for r in a if r in b and b[r]])
            # Noise on a shared host only ever slows a run down: the best
            # round of each setting is the other estimate worth showing.
            if a and b:
                ent["ratios"][name + "_best_of"] = 1.0 - max(a.values()) / max(b.values())
        out_w.append(ent)

        # targets
        if wid == "w1":
            s = ent["ratios"].get("dsaio/io_uring", {}).get("iops")
            targets.append(target(wid, "dsaio IOPS / fio io_uring IOPS >= 1.00", s, 1.0))
        # w3 and w4 are held to the best fio setting (TARGETS_BEST)
        if wid == "w5":
            meds = {e: (ent["engines"][e]["bw_Bps"] or {}).get("median", 0)
                    for e in ("io_uring", "libaio") if e in ent["engines"]}
            if meds:
                best = max(meds, key=meds.get)
                s = ent["ratios"].get("dsaio/" + best, {}).get("bw_Bps")
                targets.append(target(wid, "dsaio throughput / better fio (%s) >= 0.95" % best,
                                      s, 0.95))
        if "dsaio-sweep" in ent["engines"]:
            s = ent["engines"]["dsaio-sweep"]["wall_over_e2e"]
            targets.append(target(wid, "whole-sweep wall / sum of measured E2E <= 1.3", s, 1.3,
                                  at_least=False))
        if wid == "w6":
            s = ent["ratios"].get("histogram_cost")
            targets.append(target(wid, "histogram cost <= 1 % of IOPS", s, 0.01,
                                  at_least=False, pct=True))
        # issue 17's: DeepSpeed's path from user space against fio's same engine
        if wid in TARGETS_USER:
            s = ent["ratios"].get("dsaio-libaio/libaio", {}).get("iops")
            if s:
                targets.append(target(wid, "dsaio-libaio / fio libaio >= 0.97", s, 0.97))
        # and against the best fio setting of the same rounds
        bp = ent.get("best_peer")
        for tid, key, what, lim in TARGETS_BEST:
            if wid != tid or not bp:
                continue
            s = bp.get("dsaio/best_" + key)
            targets.append(target(wid, "dsaio %s / best fio (%s) >= %.2f"
                                  % (what, LABEL[bp["engine"]], lim), s, lim))

    # ---- the table ------------------------------------------------------
    env = {}
    for name in ("env.txt", "host.txt"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            with open(p) as f:
                for line in f:
                    if ": " in line:
                        k, v = line.rstrip("\n").split(": ", 1)
                        env[k] = v
    rounds = max([x["round"] for x in runs] or [0])
    lines.append("dsaio vs fio -- %s, guest kernel %s, %s round(s), host %s"
                 % (env.get("date", "?"), env.get("kernel", "?"), rounds,
                    env.get("host_cpu", "?")))
    lines.append("fio: direct=1, iodepth_batch_submit=%s, iodepth_batch_complete_min=1; "
                 "dsaio: single_submit=0, overlap_events=1" % env.get("fio_batch", "?").replace("qd", "the queue depth"))
    if env.get("dsaio_warmup_loops", "default") != "default":
        lines.append("dsaio-user --warmup-loops %s (fio runs none)" % env["dsaio_warmup_loops"])
    lines.append("median [min..max] over rounds; ratios are taken within each round; "
                 "merged: share of bios the block layer merged into another request")
    lines.append("CPUs/M: the guest's busy CPU-seconds (all CPUs, kernel threads included) "
                 "per million bios the device queue got, over the whole command")
    if any(x["engine"] in USER_ENGINES for x in runs):
        lines.append("dsaio-libaio, dsaio-uring: dsaio-user run --engine libaio / io_uring "
                     "(user space, no module; one io_size buffer, as DeepSpeed), "
                     "the dsaio run's options; guest memory %s%s" % (
                         env.get("guest_mem", "?"),
                         "; every dsaio engine runs one untimed warm-up loop first (dsaio-user's default)"
                         if env.get("dsaio_warmup_loops", "default") == "default" else ""))
    hdr = "%-4s %-16s %-24s %-19s %-22s %-7s %-8s %s" % (
        "", "engine", "IOPS", "MB/s", "p99 lat (us)", "merged", "CPUs/M", "dsaio/engine (IOPS)")
    for ent in out_w:
        w = ent["workload"]
        lines.append("")
        lines.append("%s  %s  (%s %s, bs %d, QD %d, %d worker(s), %d MiB x %d loop(s)%s)"
                     % (w["id"], w["title"], w["device"], w["op"], w["block_size"],
                        w["queue_depth"], w["workers"], w["io_size"] >> 20, w["loops"],
                        ", nomerges=%d" % w["nomerges"] if w["nomerges"] else ""))
        lines.append(hdr)
        for eng in w["engines"]:
            e = ent["engines"][eng]
            if e["iops"] is None and not any(
                    x["workload"] == w["id"] and x["engine"] == eng for x in runs):
                continue    # engine not run (--engines)
            rat = ent["ratios"].get("dsaio/" + eng, {}).get("iops")
            if eng in COSTS:
                what, key = COSTS[eng]
                rat_s = "cost of %s: " % what + fmt_range(
                    ent["ratios"].get(key), 100.0, 1, pct=True)
                bo = ent["ratios"].get(key + "_best_of")
                if bo is not None:
                    rat_s += "; best round of each: %.1f%%" % (100 * bo)
                io = ent["ratios"].get("dsaio/" + eng, {}).get("iops")
                if eng == "dsaio-untraced" and io:
                    rat_s += "; compiled in, off / compiled out (IOPS): " + fmt_range(io, 1.0, 3)
            else:
                rat_s = fmt_range(rat, 1.0, 3) if rat else ""
            if eng == "dsaio-sweep":
                n = next((x["points"] for x in runs if x["workload"] == w["id"]
                          and x["engine"] == eng and x["ok"]), 0)
                lines.append("%-4s %-16s %d points: wall / sum of E2E %s; wall / (E2E + warm-up "
                             "loops) %s; set-up per point %s ms" % (
                                 "", LABEL[eng], n, fmt_range(e["wall_over_e2e"], 1.0, 2),
                                 fmt_range(e["wall_over_io"], 1.0, 2),
                                 fmt_range(e["setup_per_point_s"], 1e3, 1)))
                continue
            mf, cpu = e.get("merged_frac"), e.get("cpu_s_per_Mreq")
            lines.append("%-4s %-16s %-24s %-19s %-22s %-7s %-8s %s" % (
                "", LABEL.get(eng, eng), fmt_range(e["iops"]),
                fmt_range(e["bw_Bps"], 1e-6), fmt_range(e["lat_p99_ns"], 1e-3, 1),
                "-" if mf is None else "%.0f%%" % (100 * mf["median"]),
                "-" if cpu is None else "%.1f" % cpu["median"], rat_s))
        bp = ent.get("best_peer")
        if bp:
            lines.append("%-4s best peer: %s%s" % ("", LABEL[bp["engine"]], "" if (
                "dsaio" not in w["engines"]) else
                "; dsaio / it, per round: IOPS %s, MB/s %s, requests per CPU-second %s" % (
                    fmt_range(bp["dsaio/best_iops"], 1.0, 3),
                    fmt_range(bp["dsaio/best_bw_Bps"], 1.0, 3),
                    fmt_range(bp["dsaio/best_req_per_cpu_s"], 1.0, 3))))
        if w["id"] in MEMORY_WORKLOADS:
            lines.extend(memory_lines(ent["memory"]))
        for num, den in (("dsaio-poll", "io_uring-hipri"), ("dsaio-poll", "dsaio")):
            rat = ent["ratios"].get(num + "/" + den, {}).get("iops")
            if rat:
                lines.append("%-4s %s / %s (IOPS, per round): %s" % (
                    "", LABEL[num], LABEL[den], fmt_range(rat, 1.0, 3)))
        for ue in ent["user_engines"]:
            lines.append("%-4s %s / %s (IOPS, per round): %s" % (
                "", LABEL[ue["engine"]], LABEL[ue["fio"]], fmt_range(ue["ratio"], 1.0, 3)))
        if ent["user_engines"]:
            ff = ent["ratios"].get("io_uring/libaio", {}).get("iops")
            sp = ", ".join("%s %.0f%%" % (LABEL[e], 100 * ent["spread"][e])
                           for e in w["engines"] if ent["spread"].get(e) is not None)
            lines.append("%-4s noise: fio io_uring / fio libaio %s%s; round-to-round range: %s" % (
                "", fmt_range(ff, 1.0, 3) if ff else "-",
                " (+-%.1f%%)" % (50 * spread(ff)) if ff and ff["n"] >= 2 else "", sp or "-"))
    uelist = [ue for ent in out_w for ue in ent["user_engines"]]
    if uelist:
        lines.append("")
        lines.append("User-space engines vs fio (per-round ratio of IOPS, median [min..max]; "
                     "noise: half the relative range of fio io_uring / fio libaio):")
        for ue in uelist:
            lines.append("  %-3s %-28s %-22s %s" % (
                ue["workload"], "%s / %s" % (LABEL[ue["engine"]], LABEL[ue["fio"]]),
                fmt_range(ue["ratio"], 1.0, 3), ue["verdict"]))
    lines.append("")
    lines.append("Targets:")
    for t in targets:
        med = "-" if t["median"] is None else (
            "%.1f %%" % (100 * t["median"]) if t.get("pct") else "%.3f" % t["median"])
        rng = t["range"]
        rs = "" if not rng else (
            " [%.1f..%.1f %%]" % (100 * rng["min"], 100 * rng["max"]) if t.get("pct")
            else " [%.3f..%.3f]" % (rng["min"], rng["max"]))
        lines.append("  %-3s %-62s median %s%s  %s" % (t["workload"], t["target"], med, rs,
                                                        verdict(t)))
    if problems:
        lines.append("")
        lines.append("Failed runs (left out of the figures):")
        lines.extend("  " + p for p in problems)
    table = "\n".join(lines) + "\n"
    with open(os.path.join(d, "table.txt"), "w") as f:
        f.write(table)
    sys.stdout.write(table)

    # ---- chart data: one row per workload; per engine median/min/max of
    # MB/s then p99 us; "?" where an engine did not run that workload.
    with open(os.path.join(d, "chart.dat"), "w") as f:
        f.write("# label " + " ".join(
            "%s_bw_med %s_bw_min %s_bw_max" % (e, e, e) for e in CHART_ENGINES) + " "
            + " ".join("%s_p99_med %s_p99_min %s_p99_max" % (e, e, e) for e in CHART_ENGINES)
            + "\n")
        for ent in out_w:
            w = ent["workload"]
            cols = ['"%s %s"' % (w["id"], w["title"])]
            for key, scale in (("bw_Bps", 1e-6), ("lat_p99_ns", 1e-3)):
                for e in CHART_ENGINES:
                    if e == "best-fio":
                        e = ent.get("best_peer", {}).get("engine")
                    s = (ent["engines"].get(e) or {}).get(key)
                    if s:
                        cols += ["%.6g" % (s[k] * scale) for k in ("median", "min", "max")]
                    else:
                        cols += ["?", "?", "?"]
            f.write(" ".join(cols) + "\n")

    with open(os.path.join(d, "bench.json"), "w") as f:
        json.dump({"environment": env, "rounds": rounds, "workloads": out_w,
                   "targets": targets, "user_engines": uelist, "runs": runs}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

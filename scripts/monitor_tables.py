#!/usr/bin/env python3
"""Summary tables for docs/monitor.md from the monitor.json files that `drift4j power --monitor` writes.

    python3 scripts/monitor_tables.py NAME=DIR/monitor.json [NAME=DIR/monitor.json ...]
    python3 scripts/monitor_tables.py --across NAME=GLOB [NAME=GLOB ...]

Prints (1) the mean clean run length over the ERT with its 95% interval for every detector, and
(2) per data set and ERT, the median detection delay with its 95% interval (images from the change to
the end of the alarmed request) of the DriftMonitor beside the fastest per-batch rank test and the
fastest CvM monitor (fastest by median), for every request size measured, with the ratio of medians
for the DriftMonitor and for the same statistic calibrated at confidence 0.5 ("c=0.5", the median
baseline, as the comparators are calibrated on average), where the run has it. With --across, each NAME stands for the runs its glob finds (one baseline
each) and the table gives, per ERT and detector, the mean clean run length / ERT over the baselines
(min, upper median, max), how many are at least 0.9 and how many have their 95% interval below 0.9.
"""
import glob
import json
import sys


def load(args):
    runs = []
    for a in args:
        name, path = a.split("=", 1)
        with open(path, encoding="utf-8") as f:
            runs.append((name, json.load(f)))
    return runs


def clean_table(runs):
    detectors = []
    for _, r in runs:
        for row in r["clean"]:
            if row["detector"] not in detectors:
                detectors.append(row["detector"])
    out = ["| data | ERT | " + " | ".join(detectors) + " |", "|---|---|" + "---|" * len(detectors)]
    for name, r in runs:
        for ert in sorted({row["expectedRunTime"] for row in r["clean"]}):
            cells = []
            for d in detectors:
                row = next((x for x in r["clean"] if x["expectedRunTime"] == ert and x["detector"] == d), None)
                if row is None:
                    cells.append("")
                elif row["censored"] and row["runs"] == 0:
                    cells.append("never alarmed")
                else:
                    cells.append("%.2f [%.2f, %.2f]%s" % (row["mean"] / ert, row["low"] / ert, row["high"] / ert,
                                                           " (cens.)" if row["censored"] else ""))
            out.append("| %s | %s | %s |" % (name, f"{ert:,}", " | ".join(cells)))
    return "\n".join(out)


def best(rows, prefix):
    rows = [x for x in rows if x["detector"].startswith(prefix)]
    return min(rows, key=lambda x: x["median"]) if rows else None


def fmt(row, label=True):
    if row is None:
        return ""
    s = "%s [%s, %s]" % (f"{row['median']:,.0f}", f"{row['medianLow']:,.0f}", f"{row['medianHigh']:,.0f}")
    if row["censored"]:
        s += " (%d cens.)" % row["censored"]
    if label:
        s += " " + row["detector"].replace("rankTest ", "").replace("CvM ", "")
    return s


def delay_tables(runs):
    out = []
    for name, r in runs:
        sizes = r["settings"]["requestSizes"]
        for ert in sorted({x["expectedRunTime"] for x in r["delays"]}):
            head = "| shift |"
            for s in sizes:
                head += (" DriftMonitor, R=%d | best rank test, R=%d | best CvM, R=%d | DM / best, R=%d |"
                         " c=0.5 / best, R=%d |") % (s, s, s, s, s)
            out.append("\n**%s, ERT %s**: median delay [95%% interval] in images, %d runs per cell\n" % (
                name, f"{ert:,}", r["settings"]["delayRuns"]))
            out.append(head)
            out.append("|---|" + "---|---|---|---|---|" * len(sizes))
            scenarios = []
            for x in r["delays"]:
                if x["expectedRunTime"] == ert and x["scenario"] not in scenarios:
                    scenarios.append(x["scenario"])
            for sc in scenarios:
                line = "| %s |" % sc
                for s in sizes:
                    rows = [x for x in r["delays"] if x["expectedRunTime"] == ert and x["scenario"] == sc
                            and x["requestSize"] == s]
                    dm = next((x for x in rows if x["detector"] == "DriftMonitor"), None)
                    half = next((x for x in rows if x["detector"] == "DriftMonitor c=0.5"), None)
                    rank = best(rows, "rankTest")
                    cvm = best(rows, "CvM")
                    comp = min([c for c in (rank, cvm) if c is not None], key=lambda c: c["median"], default=None)
                    ratio = "%.2f" % (dm["median"] / comp["median"]) if dm and comp else ""
                    ratio_half = "%.2f" % (half["median"] / comp["median"]) if half and comp else ""
                    line += " %s | %s | %s | %s | %s |" % (fmt(dm, False), fmt(rank), fmt(cvm), ratio, ratio_half)
                out.append(line)
    return "\n".join(out)


def across(args):
    out = ["| data | ERT | detector | baselines | min / median / max | ≥ 0.9 | below |", "|---|---|---|---|---|---|---|"]
    for a in args:
        name, pattern = a.split("=", 1)
        per = {}
        for path in sorted(glob.glob(pattern)):
            with open(path, encoding="utf-8") as f:
                for row in json.load(f)["clean"]:
                    if row["runs"] > 0:
                        e = row["expectedRunTime"]
                        per.setdefault((e, row["detector"]), []).append((row["mean"] / e, row["high"] / e))
        for (e, d), v in sorted(per.items()):
            ms = sorted(m for m, _ in v)
            out.append("| %s | %s | %s | %d | %.2f / %.2f / %.2f | %d | %d |" % (
                name, f"{e:,}", d, len(v), ms[0], ms[len(ms) // 2], ms[-1], sum(m >= 0.9 for m in ms),
                sum(h < 0.9 for _, h in v)))
    return "\n".join(out)


def main():
    if sys.argv[1:2] == ["--across"]:
        print(across(sys.argv[2:]))
        return
    runs = load(sys.argv[1:])
    print("Mean clean run length / ERT [95% interval], given the one baseline of each run\n")
    print(clean_table(runs))
    print(delay_tables(runs))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The monitor against comparators whose settings are fixed in advance.

docs/monitor.md section 6.2 compares the monitor with the fastest of seven comparator settings,
chosen per shift after the fact. A user picks one window before seeing the drift; this script picks,
per comparator family (per-batch rank test, online CvM), the setting with the smallest geometric
mean median delay over the shifts of a TUNING run (MNIST), then compares the monitor with the
better of those two fixed settings on every run given (Fashion-MNIST is the held-out one).

Usage: monitor_fixed_comparators.py --tune MNIST_monitor.json NAME=monitor.json [NAME=monitor.json ...]
(requests of 1 image, at each run's largest ERT; the no-drift control row is left out).
"""
import argparse
import collections
import json
import math


def medians(path):
    """Median delays by shift and detector at the largest ERT of the run, and that ERT."""
    d = json.load(open(path))
    ert = max(x["expectedRunTime"] for x in d["delays"])
    t = collections.defaultdict(dict)
    for x in d["delays"]:
        if x["requestSize"] == 1 and x["expectedRunTime"] == ert and not x["scenario"].startswith("none"):
            t[x["scenario"]][x["detector"]] = x["median"]
    return t, ert


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tune", required=True, help="monitor.json of the run the settings are chosen on")
    p.add_argument("runs", nargs="+", help="NAME=monitor.json")
    a = p.parse_args()
    tune, _ = medians(a.tune)
    settings = [k for k in next(iter(tune.values())) if not k.startswith("DriftMonitor") and k != "rankTest m=1"]
    chosen = {}
    for family in ("rankTest", "CvM"):
        members = [k for k in settings if k.startswith(family)]
        chosen[family] = min(members, key=lambda k: sum(math.log(tune[s][k]) for s in tune) / len(tune))
    print("chosen on %s: %s" % (a.tune, ", ".join(chosen.values())))
    for run in a.runs:
        name, path = run.split("=", 1)
        t, ert = medians(path)
        rows = []
        for s, v in t.items():
            best = min(v[chosen["rankTest"]], v[chosen["CvM"]])
            rows.append((s, v["DriftMonitor"], best, v["DriftMonitor"] / best))
        slower = ["%s %.2f" % (s, r) for s, _, _, r in rows if r > 1]
        print("\n%s (ERT %s): slower on %d of %d shifts%s" % (name, ert, len(slower), len(rows),
                                                             ": " + "; ".join(slower) if slower else ""))
        print("| shift | monitor | better fixed comparator | ratio |\n|---|---|---|---|")
        for s, m, b, r in rows:
            print("| %s | %.0f | %.0f | %.2f |" % (s, m, b, r))


if __name__ == "__main__":
    main()

"""`make bench`: every benchmark in turn, each in its own process, printing its figures against its baseline."""

import subprocess
import sys
import time

BENCHMARKS = [
    "geo_bulk",
    "geo_single",
    "geo_http",
    "photo_ingest",
    "photo_lookalike",
    "issue_list",
    "stats_dashboard",
    "patrol_coverage",
    "cost_limits",
]


def main(names: list[str]) -> int:
    failed = []
    for name in names or BENCHMARKS:
        module = name if name.startswith("benchmarks.") else f"benchmarks.{name}"
        print(f"\n===== {module}", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", module])
        print(f"===== {module}: {time.perf_counter() - start:.0f} s, exit {code}", flush=True)
        if code:
            failed.append(module)
    if failed:
        print(f"failed to run: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

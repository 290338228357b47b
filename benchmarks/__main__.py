"""`make bench`: every benchmark in turn, each printing its figures against its baseline."""

import runpy
import sys
import time

BENCHMARKS = [
    "benchmarks.geo_bulk",
    "benchmarks.geo_single",
    "benchmarks.geo_http",
    "benchmarks.photo_ingest",
    "benchmarks.photo_lookalike",
    "benchmarks.issue_list",
    "benchmarks.stats_dashboard",
]


def main(names: list[str]) -> None:
    for name in names or BENCHMARKS:
        module = name if name.startswith("benchmarks.") else f"benchmarks.{name}"
        print(f"\n===== {module}", flush=True)
        start = time.perf_counter()
        saved = sys.argv
        sys.argv = [module]
        try:
            runpy.run_module(module, run_name="__main__")
        finally:
            sys.argv = saved
        print(f"===== {module}: {time.perf_counter() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

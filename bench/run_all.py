"""`make bench`: make sure the bench database is there, run every benchmark, print a table.

.venv/bin/python bench/run_all.py [--only sweep,status,api,export,pages,import]
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ALL = ("import", "status", "sweep", "api", "export", "pages")


def import_bench(results: list) -> None:
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_import.py")], capture_output=True, text=True, check=True
    ).stdout
    print("\n== import: parse + preview + JSON of a 150 KB and a 2 MB plan\n" + out.strip(), flush=True)
    inputs = re.findall(r"^input: .*$", out, re.M)
    floors = [float(x) / 1000 for x in re.findall(r"floor \(read \+ decode\):\s+([\d.]+) ms", out)]
    figures = [float(x) / 1000 for x in re.findall(r"parse \+ preview \+ json:\s+([\d.]+) ms", out)]
    for label, figure, floor, line in zip(("150 KB", "2 MB"), figures, floors, inputs, strict=True):
        results.append((f"import: parse + preview of {label}", figure, floor, line, ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(ALL))
    args = parser.parse_args()
    wanted = args.only.split(",")
    subprocess.run([sys.executable, str(HERE / "ensure_db.py")], check=True)

    sys.path.insert(0, str(HERE))
    import bench_api
    import bench_export
    import bench_import_jobs
    import bench_pages
    import bench_status
    import bench_sweep

    results: list = []
    if "import" in wanted:
        import_bench(results)
        bench_import_jobs.main(results)
    for name, module in (
        ("status", bench_status),
        ("sweep", bench_sweep),
        ("api", bench_api),
        ("export", bench_export),
        ("pages", bench_pages),
    ):
        if name in wanted:
            module.main(results)

    print("\n| benchmark | figure | floor | ratio | notes |\n|---|---|---|---|---|")
    for name, figure, floor, extra, _ in results:
        print(f"| {name} | {_ms(figure)} | {_ms(floor)} | {figure / floor:.1f}× | {extra} |")


def _ms(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


if __name__ == "__main__":
    main()

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
    print("\n== import: parse + preview + JSON of a 150 KB plan\n" + out.strip(), flush=True)
    floor = float(re.search(r"floor \(read \+ decode\):\s+([\d.]+) ms", out).group(1)) / 1000
    figure = float(re.search(r"parse \+ preview \+ json:\s+([\d.]+) ms", out).group(1)) / 1000
    results.append(("import: parse + preview of 150 KB", figure, floor, out.strip().splitlines()[0], ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(ALL))
    args = parser.parse_args()
    wanted = args.only.split(",")
    subprocess.run([sys.executable, str(HERE / "ensure_db.py")], check=True)

    sys.path.insert(0, str(HERE))
    import bench_api
    import bench_export
    import bench_pages
    import bench_status
    import bench_sweep

    results: list = []
    if "import" in wanted:
        import_bench(results)
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

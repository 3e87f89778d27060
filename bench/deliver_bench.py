"""Time reading a recipients file of 100,000 rows, as Excel in a Vietnamese locale
exports it (semicolons, a BOM, SĐT as the header, some numbers mangled by Excel).

    python bench/deliver_bench.py [--rows 100000] [--repeat 5]

Prints the median of --repeat reads by toolkit.deliver.recipients.read_recipients
(decoding, finding the delimiter and the phone column, normalising, recovering
mangled numbers, removing repeats), in a temporary folder that is removed after.
Goal from issue 9: under 2 s for 100,000 rows (a list lookup per row made it 97 s).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from toolkit.deliver.recipients import read_recipients

PREFIXES = ("090", "091", "093", "097", "098", "032", "035", "070", "077", "081", "086")
MANGLED = ("{bare}", "{bare}.0", "{bare},0", "{head},{tail}E+08")


def recipients_file(folder: Path, rows: int, seed: int = 9) -> Path:
    """A semicolon CSV with a BOM: name, number (1 in 10 as Excel mangles it), note;
    about 1 in 100 numbers repeated."""
    rng = random.Random(seed)
    lines = ["\ufeffHọ và tên;SĐT;Ghi chú"]
    numbers: list[str] = []
    for i in range(rows):
        if numbers and rng.random() < 0.01:
            number = rng.choice(numbers)
        else:
            number = rng.choice(PREFIXES) + f"{rng.randrange(10_000_000):07d}"
            numbers.append(number)
        bare = number[1:]
        cell = rng.choice(MANGLED).format(bare=bare, head=bare[0], tail=bare[1:]) \
            if rng.random() < 0.1 else number
        lines.append(f"Nguyễn Văn {i};{cell};\"khu phố {i % 40}; phường Tân Phong\"")
    path = folder / "recipients.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = recipients_file(Path(folder), args.rows)
        size = path.stat().st_size
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            found = read_recipients(path)
            times.append(time.perf_counter() - started)
    print(f"{args.rows} rows ({size / 1e6:.1f} MB): {len(found.numbers)} numbers, "
          f"{len(found.problems)} problems")
    print(f"read_recipients: median {statistics.median(times):.3f} s of {args.repeat} "
          f"(min {min(times):.3f} s, max {max(times):.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Reading a history export: rows per second and peak memory against the file's size.

Run: ``.venv/bin/python bench/bench_history.py`` (``--rows N`` for another size, default
1,000,000 contact records; ``--quick`` for 100,000).

Prints the file's size, the read's wall time and rows per second, and the peak memory
the read added (the child process's maximum resident size after the read less before
it, so the interpreter and numpy are not counted), and that peak over the file's size.
The read streams the file (a megabyte at a time), so memory follows the rows kept, not
the file's text: 8 bytes a number, a shared string a repeated text, and a Python string
(about 60 bytes) a customer id, plus a copy while the columns are sorted at the end.
CPU time is printed beside wall time because the machine it runs on may be shared.
The file is a simple synthetic contact history written here (uniform arrivals over
08:00-20:00, lognormal handle times, exponential patience and waits) in the default
columns. Why not the fitting's generator (:mod:`history.synthetic`): it plays a queue
contact by contact to get waits consistent with patience, which a reader's bench does
not need and which would make writing a million rows the slow part.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHANNELS = ("phone", "chat", "app", "web", "counter")
TYPES = ("complaint", "consultation", "repair", "business")
CLASSES = ("urgent", "ordinary", "complex")
HEADER = (
    "arrived_at",
    "channel",
    "request_type",
    "class",
    "waited_s",
    "handled_s",
    "outcome",
    "customer_id",
)


def write_contacts(path: Path, rows: int, seed: int = 1) -> None:
    """A contact history of ``rows`` rows, in time order, in the default columns."""
    rng = np.random.default_rng(seed)
    per_day = 20_000
    days = -(-rows // per_day)
    start = dt.datetime(2025, 1, 6, 8, 0)
    day_s = np.sort(rng.uniform(0, 12 * 3600, size=(days, per_day)), axis=1)
    offsets = (np.arange(days)[:, None] * 86400 + day_s).ravel()[:rows]
    waited = rng.exponential(40, rows).round(1)
    patience = rng.exponential(180, rows)
    handled = rng.lognormal(np.log(280), 0.5, rows).round(1)
    channel = rng.choice(len(CHANNELS), rows, p=[0.5, 0.2, 0.1, 0.1, 0.1])
    rtype = rng.choice(len(TYPES), rows, p=[0.15, 0.5, 0.2, 0.15])
    sclass = rng.choice(len(CLASSES), rows, p=[0.05, 0.85, 0.1])
    customer = rng.integers(0, rows // 3, rows)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(rows):
            t = start + dt.timedelta(seconds=float(offsets[i]))
            abandoned = patience[i] < waited[i]
            w.writerow(
                (
                    t.isoformat(sep=" ", timespec="seconds"),
                    CHANNELS[channel[i]],
                    TYPES[rtype[i]],
                    CLASSES[sclass[i]],
                    round(float(patience[i]), 1) if abandoned else waited[i],
                    "" if abandoned else handled[i],
                    "abandoned" if abandoned else "answered",
                    f"c{customer[i]:07d}",
                )
            )


def _max_rss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss if sys.platform == "darwin" else rss * 1024)


def child(path: str) -> None:
    """Read the file once in this fresh process; print rows, seconds and the RSS added."""
    from history.reader import read_history

    before = _max_rss_bytes()
    t0, c0 = time.perf_counter(), time.process_time()
    history = read_history(path, time_zone="Asia/Shanghai", channels=CHANNELS)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(history.provenance.rows_used, seconds, cpu, _max_rss_bytes() - before, before)


def main() -> None:
    """Write the file, read it in a child process, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    rows = 100_000 if args.quick else args.rows
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.csv"
        t0 = time.perf_counter()
        write_contacts(path, rows)
        size = path.stat().st_size
        took = time.perf_counter() - t0
        print(f"wrote {rows:,} contact rows, {size / 1e6:,.1f} MB, in {took:.1f} s")
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        )
        used, seconds, cpu, added, base = done.stdout.split()
        used_n, secs, peak = int(used), float(seconds), int(added)
        print(
            f"read {used_n:,} rows in {secs:.1f} s wall, {float(cpu):.1f} s CPU: "
            f"{used_n / secs:,.0f} rows/s (wall), {used_n / float(cpu):,.0f} rows/s (CPU)"
        )
        print(
            f"peak memory added by the read: {peak / 1e6:,.1f} MB "
            f"(interpreter and imports before it: {int(base) / 1e6:,.1f} MB)"
        )
        print(f"peak memory / file size: {peak / size:.2f}")


if __name__ == "__main__":
    main()

"""`make bench`: what a `make run` stack left alone costs. Every process of the stack (the
launcher with its broker and mail server, and each service) is measured by the CPU time
the kernel accounts to it over a minute of nothing to do.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.bench.stack import dev_stack

SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "60"))
SETTLE = 15.0  # after ready: first sweeps, consumers joined and quiet, trend's first run
TICK = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += _children(current)
    return pids


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def name_of(pid: int) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return str(pid)
    words = [a.decode(errors="replace") for a in args if a]
    return " ".join(w for w in words[-3:] if not w.startswith("/"))[:40] or str(pid)


def main() -> None:
    # the trend's start-up work falls inside SETTLE
    with dev_stack(IRP_TREND_REFRESH_DELAY="5") as stack:
        if stack is None:
            print("idle cost: the stack did not start")
            return
        time.sleep(SETTLE)
        pids = tree(stack.process.pid)
        before = {p: cpu_seconds(p) for p in pids}
        started = time.monotonic()
        time.sleep(SECONDS)
        elapsed = time.monotonic() - started
        used = {p: cpu_seconds(p) - before[p] for p in pids}
        names = {p: name_of(p) for p in pids}  # while the processes still run
    total = sum(used.values()) / elapsed * 100
    print(f"idle cost of a make run stack left alone ({len(pids)} processes, {elapsed:.0f} s)")
    print(f"  all processes: {total:.2f} % of one core (target < 2 %)")
    for pid, seconds in sorted(used.items(), key=lambda kv: -kv[1]):
        print(f"    {names[pid]:<40} {seconds / elapsed * 100:6.2f} %")


if __name__ == "__main__":
    main()

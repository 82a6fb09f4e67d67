"""`make bench`: the machine the figures were measured on, printed first."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def describe() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = os.cpu_count() or 0
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"machine: {model}, {cores} cores; Python {platform.python_version()} on "
            f"{platform.system()} {platform.release()}; load average {load}")  # fmt: skip


if __name__ == "__main__":
    print(describe())

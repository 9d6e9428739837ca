"""The memory a process and its children hold together, sampled while they run.

Workers forked from the writer share its pages until one of them writes to a page: the peak
resident set of each (``ru_maxrss``) counts those shared pages in every process that has read
them, so their sum overstates what the machine gives them. The proportional set size (PSS,
``/proc/PID/smaps_rollup``) counts a page shared by ``n`` processes as ``1/n`` in each: its sum
over the processes is the memory they hold between them.

    with MemoryWatch() as watch:
        ingest(...)
    print(watch.peak_mb)
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_PROC = Path("/proc")


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone since the listing
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (command) "
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def pss_kb(pid: int) -> int:
    """The proportional set size of a process in kB (0 for one that has gone)."""
    try:
        for line in (_PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def total_mb(pid: int | None = None) -> float:
    """The PSS of ``pid`` (this process) and of its children together, MB."""
    pid = os.getpid() if pid is None else pid
    return sum(pss_kb(p) for p in [pid, *children(pid)]) / 1024


class MemoryWatch:
    """Samples :func:`total_mb` every ``interval`` seconds on a thread while it is entered, and keeps
    the peak (also sampled on entry and on exit, so that a short run has two samples)."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-watch", daemon=True)

    def sample(self) -> float:
        now = total_mb()
        self.peak_mb = max(self.peak_mb, now)
        return now

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> MemoryWatch:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

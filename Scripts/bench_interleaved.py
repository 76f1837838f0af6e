#!/usr/bin/env python3
"""Ratios against the peers from interleaved rounds (called by Scripts/bench --peers).

hyperfine times each command's runs back to back, so pstudio's runs and a peer's fall minutes apart; this VM's
speed drifts by 20-45 % within minutes, which moves a ratio of two such medians by as much. Here each round runs
pstudio and every peer of a workload once, one after the other (the order rotating from round to round), and the
ratio is taken within the round: the median of the rounds' ratios compares the renderers at the same minutes.

    bench_interleaved.py ROUNDS CWD WORKLOAD=pstudio-command|peer=command|peer=command ...

Each argument after CWD is one workload: its name, '=', then '|'-separated name=command pairs, pstudio's first.
Prints one line per workload and peer: the median ratio (peer's wall time over pstudio's), the range and the
medians of both walls, and the ratio to the faster peer of each round. A renderer that fails in any round is
left out of the ratios (and said so). Spawning from Python adds ~1 ms to every command alike.

Before every timed command the page cache is written out (`sync`, not timed), so no renderer is charged for the
one before it: the peers write their output through the page cache without flushing it, and the next
renderer's run then shared the disk with ~69 MB of their writeback (measured on W2: Pattern Studio 0.098 s right
after Csound, 0.092 s with a `sync` between them, 0.088 s after itself; medians of 8 alternations). Every
renderer also replaces an output that is already on disk, as Pattern Studio's own always is. Pattern Studio's
own `fsync` stays inside its timing, so the ratios stay on the conservative side. (hyperfine runs each command
after its own runs only, so it never charged one renderer for another.)
"""

import os
import shlex
import statistics
import subprocess
import sys
import time


def wall(command: str, cwd: str) -> float | None:
    """Seconds from spawn to exit, output discarded (as hyperfine -N runs it: no shell); None if it failed. The
    page cache is written out first, untimed."""
    os.sync()
    start = time.perf_counter()
    try:
        done = subprocess.run(shlex.split(command), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None
    return time.perf_counter() - start if done.returncode == 0 else None


def main() -> None:
    rounds, cwd = int(sys.argv[1]), sys.argv[2]
    print(f"\ninterleaved rounds ({rounds} per workload; each round runs every renderer once, ratio within the round):")
    for spec in sys.argv[3:]:
        workload, rest = spec.split("=", 1)
        pairs = [p.split("=", 1) for p in rest.split("|")]
        names = [n for n, _ in pairs]
        times: dict[str, list[float | None]] = {n: [] for n in names}
        for n, c in pairs:  # one warm-up each: page cache, instrument files
            wall(c, cwd)
        for r in range(rounds):
            k = r % len(pairs)
            for n, c in pairs[k:] + pairs[:k]:
                times[n].append(wall(c, cwd))
        ours = times[names[0]]
        if any(o is None for o in ours):
            print(f"  {workload.upper()}: pstudio failed; no ratios")
            continue
        peers = [p for p in names[1:] if all(t is not None for t in times[p])]
        for peer in names[1:]:
            if peer not in peers:
                print(f"  {workload.upper()}: {peer} failed in a round; left out")
                continue
            ratios = [p / o for p, o in zip(times[peer], ours)]
            print(f"  {workload.upper()}: {statistics.median(ratios):.2f}× {peer} (rounds {min(ratios):.2f}–"
                  f"{max(ratios):.2f}×; medians {statistics.median(ours):.3f} s against "
                  f"{statistics.median(times[peer]):.3f} s)")
        if len(peers) > 1:
            faster = [min(times[p][i] for p in peers) / ours[i] for i in range(rounds)]
            print(f"  {workload.upper()}: {statistics.median(faster):.2f}× the faster peer of each round "
                  f"(rounds {min(faster):.2f}–{max(faster):.2f}×)")


if __name__ == "__main__":
    main()

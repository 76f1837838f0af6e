"""Concurrent HTTP client for Scripts/load (standard library only).

Each client thread keeps one keep-alive connection and picks requests from a weighted mix until the time is up.
Prints requests/s, latency percentiles per endpoint, status counts and the server's peak RSS (VmHWM), and
exits 1 on any 5xx or connection failure.
"""

import argparse
import http.client
import json
import random
import threading
import time
import urllib.parse

SONG = """import piano from "grand";
import drums from "drums";
tempo 120;
melody { piano C4 0; piano E4 0.5; piano G4 1; piano C5 1.5; }
rhythm { drums Kick 0; drums Snare 1; drums HiHat 0.5; drums HiHat 1.5; }
"""
BROKEN = 'import piano from "grand";\nmelody { pino C4 0; }\n'


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, int(round(p / 100.0 * (len(ordered) - 1)))))
    return ordered[k]


def peak_rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Client(threading.Thread):
    def __init__(self, url, deadline, mix, seed, results, lock, ids):
        super().__init__(daemon=True)
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.deadline, self.mix, self.rng = deadline, mix, random.Random(seed)
        self.results, self.lock, self.ids = results, lock, ids
        self.conn = None

    def request(self, method, path, body=None):
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                data = json.dumps(body).encode() if body is not None else None
                headers = {"Content-Type": "application/json"} if data else {}
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                return response.status, payload
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
        raise RuntimeError("unreachable")

    def run(self):
        kinds = [k for k, _ in self.mix]
        weights = [w for _, w in self.mix]
        while time.monotonic() < self.deadline:
            kind = self.rng.choices(kinds, weights)[0]
            with self.lock:
                known = list(self.ids[-50:])
            start = time.perf_counter()
            try:
                if kind == "parse":
                    code = SONG if self.rng.random() < 0.8 else BROKEN
                    status, _ = self.request("POST", "/api/parse", {"pattern_code": code})
                elif kind == "save":
                    status, payload = self.request("POST", "/api/save", {"name": "load", "pattern_code": SONG})
                    if status == 201:
                        with self.lock:
                            self.ids.append(json.loads(payload)["id"])
                elif kind == "load" and known:
                    status, _ = self.request("GET", "/api/load/" + self.rng.choice(known))
                elif kind == "list":
                    status, _ = self.request("GET", "/api/patterns?limit=20")
                elif kind == "render":
                    status, _ = self.request("POST", "/api/render", {"pattern_code": SONG})
                else:
                    continue
            except Exception as error:  # connection failure: counted, reported, fails the run
                status = f"conn:{type(error).__name__}"
            elapsed = (time.perf_counter() - start) * 1000
            with self.lock:
                self.results.append((kind, status, elapsed))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--mix", default="parse=60,save=15,load=10,list=5,render=10")
    ap.add_argument("--song", help="a pattern file to parse, save and render instead of the built-in 2-beat song")
    args = ap.parse_args()
    if args.song:
        global SONG
        with open(args.song, encoding="utf-8") as f:
            SONG = f.read()
    mix = [(k, float(v)) for k, v in (part.split("=") for part in args.mix.split(","))]

    results, ids, lock = [], [], threading.Lock()
    started = time.monotonic()
    deadline = started + args.seconds
    threads = [Client(args.url, deadline, mix, n, results, lock, ids) for n in range(args.clients)]
    for t in threads:
        t.start()
    rss_samples = []
    while any(t.is_alive() for t in threads):
        rss_samples.append(peak_rss_kib(args.pid))
        time.sleep(0.2)
    wall = time.monotonic() - started

    print(f"Scripts/load: {args.clients} clients for {args.seconds:.0f} s against {args.url}")
    print(f"{'endpoint':<8} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}  statuses")
    kinds = [k for k, _ in mix] + ["all"]
    for kind in kinds:
        rows = [r for r in results if kind == "all" or r[0] == kind]
        if not rows:
            continue
        lat = [r[2] for r in rows]
        statuses = {}
        for r in rows:
            statuses[str(r[1])] = statuses.get(str(r[1]), 0) + 1
        status_text = " ".join(f"{k}×{v}" for k, v in sorted(statuses.items()))
        print(
            f"{kind:<8} {len(rows):>8} {len(rows) / wall:>8.1f} {percentile(lat, 50):>8.1f} {percentile(lat, 90):>8.1f}"
            f" {percentile(lat, 99):>8.1f} {max(lat):>8.1f}  {status_text}"
        )
    server_errors = sum(1 for r in results if isinstance(r[1], int) and r[1] >= 500)
    failures = sum(1 for r in results if not isinstance(r[1], int))
    peak = max([peak_rss_kib(args.pid)] + rss_samples)
    print(f"5xx: {server_errors}   connection failures: {failures}   server peak RSS: {peak / 1024:.1f} MiB")
    raise SystemExit(1 if server_errors or failures else 0)


if __name__ == "__main__":
    main()

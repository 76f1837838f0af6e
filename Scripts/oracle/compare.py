#!/usr/bin/env python3
"""Compare two renders of the same note(s): ours (Pattern Studio) against a reference player.

Both WAVs must have the same sample rate; each may be mono or stereo (analysed as the mean of its
channels; per-channel levels are reported too when both are stereo). The notes are given with their
nominal onset and note-off times in seconds (and, for the pitch, their MIDI key). For each note:

  onset     first frame at which the short-time energy (1 ms trailing window) rises above -50 dB
            relative to the note's peak short-time energy, refined to the first frame in that
            window whose instantaneous power is above the threshold. Searched from 20 ms before the
            nominal onset. If the previous note still sounds above the threshold there, the
            threshold becomes 6 dB over that level ("overlap": true). The reference is then
            ALIGNED to ours by the difference of the two onsets: every later measurement of the
            reference is taken at ours' time + that shift.
  pitch     in a steady window 100-300 ms after the onset (shortened for short notes): the
            spectral peak nearest the expected fundamental (±100 cents; Blackman-Harris window,
            8x zero padding, parabolic interpolation on the log magnitude). Without a MIDI key the
            expected fundamental comes from YIN, which is also reported as a cross-check.
  envelope  RMS in dBFS of 20 ms windows at 10 points evenly spaced from the onset to the end of
            the release (the later of the two files' release ends), first window starting at the
            onset, last ending at the release end. Levels are absolute (nothing normalised);
            where both are under the floor (-90 dBFS) they compare as equal. The overall level
            difference (RMS over the whole span) and the envelope difference with that gain
            removed ("shape") are reported separately so a gain offset shows as such.
  release   time from the note-off to the last moment the RMS (20 ms centred window) is at or above
            max(level at note-off - 60 dB, -90 dBFS); the level at note-off is the RMS of the 20 ms
            before it. The reference's note-off is ours + the onset shift ("measured", default),
            or FluidSynth's predicted block-quantised note-off ("fluidsynth"), or given explicitly.

Pass/fail (defaults are the issue's tolerances): |pitch difference| <= 5 cents, |envelope
difference| <= 1.5 dB at all 10 points, |release difference| <= 10 ms.

CLI:
  compare.py OURS.wav REF.wav --note 0.1,1.1,60 [--note ON,OFF[,KEY] ...] [--json out.json]
  compare.py OURS.wav REF.wav --midi notes.mid          # notes (times, keys) from a MIDI file
  options: --pitch-tol 5 --env-tol 1.5 --release-tol 10 --ref-timing measured|fluidsynth|exact
           --ref-offs 1.1023,...  --criteria pitch,envelope,release
Prints the JSON; exit status 0 if every selected criterion passes for every note, 1 if not, 2 on error.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wavio import read_wav  # noqa: E402

DEFAULTS = dict(
    pitch_tol_cents=5.0,
    env_tol_db=1.5,
    release_tol_ms=10.0,
    onset_db=-50.0,
    onset_win_ms=1.0,
    onset_pre_ms=20.0,
    pitch_window=(0.100, 0.300),
    env_points=10,
    env_win_ms=20.0,
    release_drop_db=60.0,
    floor_dbfs=-90.0,
)

EPS = 1e-30


def db_power(p):
    return 10.0 * np.log10(np.maximum(p, EPS))


def midi_to_hz(key: float) -> float:
    return 440.0 * 2.0 ** ((key - 69.0) / 12.0)


def cents(f: float, ref: float) -> float:
    return 1200.0 * math.log2(f / ref)


class Signal:
    """Mono mix of a WAV plus running sums for fast windowed power."""

    def __init__(self, path: str, gain_db: float = 0.0):
        x, rate, info = read_wav(path)
        if gain_db:
            # A player's fixed output gain (sfizz's master bus), applied once for every note.
            x = x * 10 ** (gain_db / 20)
        self.path, self.rate, self.info = path, rate, info
        self.channels = x.shape[1]
        self.multi = x
        self.x = x.mean(axis=1)
        self.n = len(self.x)
        self.c2 = np.concatenate([[0.0], np.cumsum(self.x ** 2)])
        self.c2ch = np.vstack([np.zeros((1, self.channels)), np.cumsum(x ** 2, axis=0)])

    def mean_power(self, a: int, b: int, ch: int | None = None) -> float:
        """Mean power over frames [a, b) with zeros outside the file."""
        if b <= a:
            return 0.0
        aa, bb = min(max(a, 0), self.n), min(max(b, 0), self.n)
        c = self.c2 if ch is None else self.c2ch[:, ch]
        return float((c[bb] - c[aa]) / (b - a))

    def power_track(self, a: int, b: int, win: int, align: str = "trailing") -> np.ndarray:
        """Mean power of a `win`-frame window for every frame n in [a, b): trailing [n-win+1, n],
        or centred [n - win//2, n - win//2 + win)."""
        n = np.arange(a, b)
        lo = n - win + 1 if align == "trailing" else n - win // 2
        hi = lo + win
        lo_c, hi_c = np.clip(lo, 0, self.n), np.clip(hi, 0, self.n)
        return (self.c2[hi_c] - self.c2[lo_c]) / win

    def segment(self, a: int, b: int) -> np.ndarray:
        out = np.zeros(max(b - a, 0))
        aa, bb = max(a, 0), min(b, self.n)
        if bb > aa:
            out[aa - a:bb - a] = self.x[aa:bb]
        return out


# ---------------------------------------------------------------- onset

def find_onset(sig: Signal, nominal: float, region_end: float, p) -> dict:
    r = sig.rate
    win = max(1, int(round(p["onset_win_ms"] * r / 1000)))
    start = max(0, int(round((nominal - p["onset_pre_ms"] / 1000) * r)))
    end = min(sig.n, int(round(region_end * r)))
    if end <= start + win:
        return {"onset_frame": None, "error": "region empty"}
    e = sig.power_track(start, end, win, "trailing")
    peak = float(e.max())
    if peak <= 0:
        return {"onset_frame": None, "error": "silent"}
    thr = peak * 10 ** (p["onset_db"] / 10)
    overlap = False
    base = float(e[0])
    if base > thr:  # a previous note still sounds: require a rise of 6 dB over its level
        overlap = True
        thr = base * 10 ** 0.6
    idx = np.nonzero(e > thr)[0]
    if len(idx) == 0:
        return {"onset_frame": None, "error": "no rise over the previous note", "overlap": True}
    n = start + int(idx[0])
    # refine: first frame in the trailing window whose instantaneous power is above the threshold
    seg = sig.x[max(0, n - win + 1):n + 1] ** 2
    hit = np.nonzero(seg > thr)[0]
    onset = max(0, n - win + 1) + int(hit[0]) if len(hit) else n
    return {"onset_frame": onset, "onset_s": onset / r, "peak_db": float(db_power(peak)),
            "overlap": overlap}


# ---------------------------------------------------------------- pitch

def yin(x: np.ndarray, rate: int, fmin: float = 30.0, fmax: float = 4000.0, thresh: float = 0.1):
    n = len(x)
    w = n // 2
    tmax = min(w, int(rate / fmin))
    tmin = max(2, int(rate / fmax))
    if tmax <= tmin + 2:
        return None
    nfft = 1 << int(math.ceil(math.log2(n + w)))
    X = np.fft.rfft(x, nfft)
    Y = np.fft.rfft(x[:w], nfft)
    cross = np.fft.irfft(X * np.conj(Y), nfft)[:tmax + 1]  # sum_j x[j] x[j+tau], j < w
    c = np.concatenate([[0.0], np.cumsum(x ** 2)])
    e0 = c[w]
    etau = c[np.arange(tmax + 1) + w] - c[np.arange(tmax + 1)]
    d = e0 + etau - 2 * cross
    d[0] = 0
    cmnd = np.ones_like(d)
    cs = np.cumsum(d[1:])
    cmnd[1:] = d[1:] * np.arange(1, tmax + 1) / np.maximum(cs, EPS)
    tau = None
    for t in range(tmin, tmax):
        if cmnd[t] < thresh:
            while t + 1 < tmax and cmnd[t + 1] < cmnd[t]:
                t += 1
            tau = t
            break
    if tau is None:
        tau = tmin + int(np.argmin(cmnd[tmin:tmax]))
    if 1 <= tau < tmax:
        a, b, cc = cmnd[tau - 1], cmnd[tau], cmnd[tau + 1]
        den = a - 2 * b + cc
        shift = 0.5 * (a - cc) / den if den != 0 else 0.0
    else:
        shift = 0.0
    return rate / (tau + shift)


def _bh4(n):
    k = np.arange(n)
    a = (0.35875, 0.48829, 0.14128, 0.01168)
    return (a[0] - a[1] * np.cos(2 * np.pi * k / (n - 1)) + a[2] * np.cos(4 * np.pi * k / (n - 1))
            - a[3] * np.cos(6 * np.pi * k / (n - 1)))


def spectral_peak(x: np.ndarray, rate: int, f_est: float, span_cents: float = 100.0):
    n = len(x)
    nfft = 1 << int(math.ceil(math.log2(n * 8)))
    mag = np.abs(np.fft.rfft((x - x.mean()) * _bh4(n), nfft))
    lo = int(math.floor(f_est * 2 ** (-span_cents / 1200) * nfft / rate))
    hi = int(math.ceil(f_est * 2 ** (span_cents / 1200) * nfft / rate))
    lo, hi = max(lo, 1), min(hi, len(mag) - 2)
    if hi <= lo:
        return None, None
    k = lo + int(np.argmax(mag[lo:hi + 1]))
    la, lb, lc = (math.log(max(mag[k + d], EPS)) for d in (-1, 0, 1))
    den = la - 2 * lb + lc
    shift = 0.5 * (la - lc) / den if den != 0 else 0.0
    peak_db = 20 * math.log10(max(mag[k], EPS))
    strongest_db = 20 * math.log10(max(mag[1:].max(), EPS))
    return (k + shift) * rate / nfft, peak_db - strongest_db


def measure_pitch(sig: Signal, onset: int, off: int, key, p) -> dict:
    r = sig.rate
    a_s, b_s = p["pitch_window"]
    dur = (off - onset) / r
    if dur < b_s:  # short note: keep the window inside the note, after the attack
        a_s, b_s = 0.33 * dur, dur
    a, b = onset + int(round(a_s * r)), onset + int(round(b_s * r))
    x = sig.segment(a, b)
    if len(x) < 64 or not np.any(x):
        return {"pitch_hz": None, "pitch_window_s": [a_s, b_s]}
    f_yin = yin(x, r)
    f_est = midi_to_hz(key) if key is not None else f_yin
    out = {"pitch_window_s": [round(a_s, 4), round(b_s, 4)], "yin_hz": f_yin}
    if f_est is None:
        out["pitch_hz"] = None
        return out
    f, rel_db = spectral_peak(x, r, f_est)
    out["pitch_hz"] = f
    out["fundamental_rel_db"] = rel_db  # fundamental's peak vs the strongest spectral peak
    if key is not None and f:
        out["cents_vs_key"] = cents(f, midi_to_hz(key))
    return out


# ---------------------------------------------------------------- release / envelope

def rms_db(sig: Signal, a: int, b: int, ch=None) -> float:
    return float(db_power(sig.mean_power(a, b, ch)))


def measure_release(sig: Signal, off: int, region_end: int, p, next_note: bool = False) -> dict:
    r = sig.rate
    win = int(round(p["env_win_ms"] * r / 1000))
    level_off = rms_db(sig, off - win, off)
    target = max(level_off - p["release_drop_db"], p["floor_dbfs"])
    # a centred window must not reach into the next note
    end = region_end - win if next_note else min(region_end, sig.n + win)
    if end <= off:
        return {"level_at_off_db": level_off, "release_s": None}
    tr = db_power(sig.power_track(off, end, win, "centred"))
    above = np.nonzero(tr >= target)[0]
    if len(above) == 0:
        rel = 0
    else:
        rel = int(above[-1]) + 1
        if off + rel >= end:  # still sounding at the end of the region
            return {"level_at_off_db": level_off, "target_db": target, "release_s": None,
                    "error": "release does not fall below the target before the region ends"}
    return {"level_at_off_db": level_off, "target_db": target, "release_s": rel / r,
            "release_end_frame": off + rel}


def envelope(sig: Signal, onset: int, span: int, p) -> list[float]:
    r = sig.rate
    win = int(round(p["env_win_ms"] * r / 1000))
    k = p["env_points"]
    starts = [onset + int(round(i * max(span - win, 0) / (k - 1))) for i in range(k)]
    return [rms_db(sig, s, s + win) for s in starts], [(s - onset) / r for s in starts]


# ---------------------------------------------------------------- FluidSynth timing model

def fluidsynth_event_frame(t: float, rate: int = 48000, ticks_per_beat: int = 24000,
                           tempo_us: int = 500000) -> int:
    """Frame at which FluidSynth 2.3's MIDI player (fast render, -F) starts acting on an event
    written at `t` seconds: the player runs once per 64-frame block with a millisecond clock
    msec = floor(1000 * frames_so_far / rate) taken one block before, and fires events whose tick
    <= msec * ticks_per_ms. Measured and verified for 48 kHz (see README)."""
    ticks = int(round(t * 1e6 * ticks_per_beat / tempo_us))
    ticks_per_ms = 1000.0 * ticks_per_beat / tempo_us
    b = max(1, int(ticks / ticks_per_ms * rate / 64000) - 2)
    while True:
        msec = (b - 1) * 64 * 1000 // rate
        if int(msec * ticks_per_ms) >= ticks:
            return b * 64
        b += 1


# ---------------------------------------------------------------- compare

def compare(ours_path: str, ref_path: str, notes: list[dict], ref_timing: str = "measured",
            ref_offs: list[float] | None = None, ref_gain_db: float = 0.0, **params) -> dict:
    """notes: [{"on": s, "off": s, "key": midi or None}], sorted by onset."""
    p = dict(DEFAULTS)
    p.update({k: v for k, v in params.items() if v is not None})
    A, B = Signal(ours_path), Signal(ref_path, ref_gain_db)
    if A.rate != B.rate:
        raise ValueError(f"sample rates differ: {A.rate} vs {B.rate}")
    r = A.rate
    notes = sorted(notes, key=lambda n: n["on"])
    res_notes = []
    for i, nt in enumerate(notes):
        on, off, key = nt["on"], nt["off"], nt.get("key")
        nxt = notes[i + 1]["on"] if i + 1 < len(notes) else None
        end_a = nxt if nxt is not None else A.n / r
        end_b = nxt + 0.25 if nxt is not None else B.n / r  # the reference may be late
        oa = find_onset(A, on, min(end_a, off + 1.0) if nxt else end_a, p)
        ob = find_onset(B, on, min(end_b, off + 1.0) if nxt else end_b, p)
        item = {"index": i, "nominal_on_s": on, "nominal_off_s": off, "key": key,
                "expected_hz": midi_to_hz(key) if key is not None else None,
                "ours": dict(oa), "ref": dict(ob)}
        res_notes.append(item)
        if oa.get("onset_frame") is None or ob.get("onset_frame") is None:
            item["pass"] = {"pitch": False, "envelope": False, "release": False}
            item["error"] = "onset not found"
            continue
        fa, fb = oa["onset_frame"], ob["onset_frame"]
        nom = int(round(on * r))
        item["ours"]["onset_late_frames"] = fa - nom
        item["ref"]["onset_late_frames"] = fb - nom
        shift = fb - fa
        item["align_shift_frames"] = shift
        item["align_shift_ms"] = shift * 1000.0 / r
        off_a = int(round(off * r))
        if ref_offs is not None:
            off_b = int(round(ref_offs[i] * r))
        elif ref_timing == "fluidsynth":
            off_b = fluidsynth_event_frame(off, r)
        elif ref_timing == "exact":
            off_b = off_a
        else:
            off_b = off_a + shift
        item["ref"]["off_frame_used"] = off_b
        # pitch
        pa = measure_pitch(A, fa, off_a, key, p)
        pb = measure_pitch(B, fb, off_b, key, p)
        item["ours"].update(pa)
        item["ref"].update(pb)
        if pa.get("pitch_hz") and pb.get("pitch_hz"):
            item["pitch_diff_cents"] = cents(pa["pitch_hz"], pb["pitch_hz"])
        else:
            item["pitch_diff_cents"] = None
        # release (each file in its own time; region up to the next onset, else the file end)
        reg_a = int(round(nxt * r)) if nxt is not None else A.n
        reg_b = int(round(nxt * r)) + shift if nxt is not None else B.n
        ra = measure_release(A, off_a, reg_a, p, nxt is not None)
        rb = measure_release(B, off_b, reg_b, p, nxt is not None)
        item["ours"].update(ra)
        item["ref"].update(rb)
        if ra.get("release_s") is not None and rb.get("release_s") is not None:
            item["release_diff_ms"] = (ra["release_s"] - rb["release_s"]) * 1000.0
        else:
            item["release_diff_ms"] = None
        # envelope over onset .. the later release end (ours' time; the reference shifted)
        rel = max([x for x in (ra.get("release_s"), rb.get("release_s")) if x is not None] or [0.5])
        span = max(off_a + int(round(rel * r)) - fa, int(round(p["env_win_ms"] * r / 1000)) * 2)
        if nxt is not None:
            span = min(span, reg_a - fa)
        ea, times = envelope(A, fa, span, p)
        eb, _ = envelope(B, fb, span, p)
        fl = p["floor_dbfs"]
        diffs = [max(a, fl) - max(b, fl) for a, b in zip(ea, eb)]
        item["env_times_s"] = [round(t, 5) for t in times]
        item["ours"]["envelope_db"] = ea
        item["ref"]["envelope_db"] = eb
        item["env_diff_db"] = diffs
        item["env_max_abs_diff_db"] = float(max(abs(d) for d in diffs))
        la = rms_db(A, fa, fa + span)
        lb = rms_db(B, fb, fb + span)
        item["ours"]["level_db"], item["ref"]["level_db"] = la, lb
        item["level_diff_db"] = la - lb
        shape = [d - (la - lb) for a, b, d in zip(ea, eb, diffs) if max(a, b) > fl]
        item["env_shape_max_abs_diff_db"] = float(max((abs(s) for s in shape), default=0.0))
        if A.channels == 2 and B.channels == 2:
            item["channel_level_diff_db"] = [rms_db(A, fa, fa + span, c) - rms_db(B, fb, fb + span, c)
                                             for c in (0, 1)]
        pd, rd = item["pitch_diff_cents"], item["release_diff_ms"]
        item["pass"] = {
            "pitch": pd is not None and abs(pd) <= p["pitch_tol_cents"],
            "envelope": item["env_max_abs_diff_db"] <= p["env_tol_db"],
            "release": rd is not None and abs(rd) <= p["release_tol_ms"],
        }
    overall = {c: all(n["pass"][c] for n in res_notes) for c in ("pitch", "envelope", "release")}
    return {
        "ours": ours_path, "ref": ref_path, "rate": r,
        "channels": {"ours": A.channels, "ref": B.channels},
        "ref_timing": "explicit" if ref_offs is not None else ref_timing,
        "tolerances": {"pitch_cents": p["pitch_tol_cents"], "envelope_db": p["env_tol_db"],
                       "release_ms": p["release_tol_ms"]},
        "notes": res_notes,
        "pass": overall,
    }


def notes_from_midi(path: str) -> list[dict]:
    import mido
    t = 0.0
    active: dict[tuple[int, int], list[float]] = {}
    out = []
    for msg in mido.MidiFile(path):
        t += msg.time
        if msg.type == "note_on" and msg.velocity > 0:
            active.setdefault((msg.channel, msg.note), []).append(t)
        elif msg.type in ("note_off", "note_on"):
            ons = active.get((msg.channel, msg.note))
            if ons:
                out.append({"on": ons.pop(0), "off": t, "key": msg.note})
    return sorted(out, key=lambda n: n["on"])


def _jsonable(o):
    if isinstance(o, dict):
        return {k: _jsonable(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_jsonable(v) for v in o]
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating, float)):
        v = float(o)
        return None if math.isnan(v) or math.isinf(v) else round(v, 6)
    return o


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ours")
    ap.add_argument("ref")
    ap.add_argument("--note", action="append", default=[], help="ON_S,OFF_S[,MIDI_KEY] (repeat per note)")
    ap.add_argument("--midi", help="take the notes from this MIDI file instead")
    ap.add_argument("--pitch-tol", type=float, default=DEFAULTS["pitch_tol_cents"], help="cents (5)")
    ap.add_argument("--env-tol", type=float, default=DEFAULTS["env_tol_db"], help="dB (1.5)")
    ap.add_argument("--release-tol", type=float, default=DEFAULTS["release_tol_ms"], help="ms (10)")
    ap.add_argument("--onset-db", type=float, default=DEFAULTS["onset_db"])
    ap.add_argument("--floor-db", type=float, default=DEFAULTS["floor_dbfs"])
    ap.add_argument("--pitch-window", default="0.1,0.3", help="seconds after onset (0.1,0.3)")
    ap.add_argument("--ref-timing", choices=("measured", "fluidsynth", "exact"), default="measured",
                    help="reference note-off: ours + onset shift (measured), FluidSynth's block "
                         "quantisation model (fluidsynth), or the nominal time (exact, e.g. sfizz)")
    ap.add_argument("--ref-offs", help="explicit reference note-off times, comma-separated seconds")
    ap.add_argument("--criteria", default="pitch,envelope,release",
                    help="criteria that decide the exit status")
    ap.add_argument("--ref-gain-db", type=float, default=0.0,
                    help="gain applied to the reference first, dB (a player's fixed output level)")
    ap.add_argument("--json", help="also write the JSON here")
    a = ap.parse_args(argv)
    try:
        if a.midi:
            notes = notes_from_midi(a.midi)
        else:
            notes = []
            for s in a.note:
                f = s.split(",")
                notes.append({"on": float(f[0]), "off": float(f[1]),
                              "key": float(f[2]) if len(f) > 2 and f[2] else None})
        if not notes:
            ap.error("give --note or --midi")
        ref_offs = [float(v) for v in a.ref_offs.split(",")] if a.ref_offs else None
        pw = tuple(float(v) for v in a.pitch_window.split(","))
        res = compare(a.ours, a.ref, notes, ref_timing=a.ref_timing, ref_offs=ref_offs, ref_gain_db=a.ref_gain_db,
                      pitch_tol_cents=a.pitch_tol, env_tol_db=a.env_tol, release_tol_ms=a.release_tol,
                      onset_db=a.onset_db, floor_dbfs=a.floor_db, pitch_window=pw)
    except (OSError, ValueError) as e:
        print(f"compare.py: {e}", file=sys.stderr)
        return 2
    res = _jsonable(res)
    text = json.dumps(res, indent=1)
    print(text)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text + "\n")
    crit = [c.strip() for c in a.criteria.split(",") if c.strip()]
    return 0 if all(res["pass"][c] for c in crit) else 1


if __name__ == "__main__":
    sys.exit(main())

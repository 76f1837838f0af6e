#!/usr/bin/env python3
"""Validate the harness on the reference players alone (no Pattern Studio needed).

  (a) FluidSynth vs FluidSynth, the MIDI shifted by 0.37 ms: must pass (alignment works); also the
      same render delayed by 18 frames in numpy (a sub-block shift, as our exact renderer would be).
  (b) FluidSynth sf_GMbank.sf2 program 0, C4 at velocity 100 vs 50: must FAIL the envelope.
  (c) sfizz on the SFZ fixture: non-silent; C4 (both velocity layers) within 5 cents of 261.63 Hz;
      C3 and the looped C5 too, the C5 held 3 s (longer than its sample) still sounding at 3 s.
  (d) three sf_GMbank.sf2 presets (0 piano, 19 church organ, 24 nylon guitar; 48 strings as an
      extra), one C4 each with FluidSynth: pitch, onset, release length; FluidSynth's onset
      against the block-quantisation model; run-to-run determinism.

Usage: validate.py [--work /tmp/oracle/validate] [--json out.json]; exit 0 when every check holds.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare import compare, fluidsynth_event_frame, _jsonable  # noqa: E402
from make_midi import Note, write_midi  # noqa: E402
from make_sfz_fixture import build  # noqa: E402
from render_refs import render_fluidsynth, render_sfizz  # noqa: E402
from wavio import read_wav, write_wav  # noqa: E402

GM = "/usr/share/sounds/sf2/sf_GMbank.sf2"
RATE = 48000


def single(path, on, off, key):
    """Measurements of one file (compared with itself)."""
    r = compare(path, path, [{"on": on, "off": off, "key": key}])
    n = r["notes"][0]
    o = n["ours"]
    return {k: o.get(k) for k in ("onset_frame", "onset_late_frames", "pitch_hz", "cents_vs_key", "yin_hz",
                                  "fundamental_rel_db", "release_s", "level_at_off_db", "level_db",
                                  "peak_db", "envelope_db")}


def brief(n):
    keys = ("align_shift_frames", "pitch_diff_cents", "env_max_abs_diff_db", "env_shape_max_abs_diff_db",
            "level_diff_db", "release_diff_ms", "pass")
    out = {k: n.get(k) for k in keys}
    out["onset_frames"] = [n["ours"].get("onset_frame"), n["ref"].get("onset_frame")]
    out["release_s"] = [n["ours"].get("release_s"), n["ref"].get("release_s")]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default="/tmp/oracle/validate")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    w = a.work
    os.makedirs(w, exist_ok=True)
    P = lambda f: os.path.join(w, f)  # noqa: E731
    report, ok = {}, True

    # (a)
    write_midi(P("a0.mid"), [Note(60, 100, 0.1, 1.0, 0)])
    write_midi(P("a1.mid"), [Note(60, 100, 0.1 + 0.00037, 1.0, 0)])
    render_fluidsynth(GM, P("a0.mid"), P("a0.wav"))
    render_fluidsynth(GM, P("a1.mid"), P("a1.wav"))
    ra = compare(P("a0.wav"), P("a1.wav"), [{"on": 0.1, "off": 1.1, "key": 60}])
    x, r, _ = read_wav(P("a0.wav"))
    write_wav(P("a0_d18.wav"), np.vstack([np.zeros((18, x.shape[1])), x]), r, bits=32)
    ra2 = compare(P("a0_d18.wav"), P("a0.wav"), [{"on": 0.1, "off": 1.1, "key": 60}])
    # the 0.37 ms-late MIDI against the on-time render, with FluidSynth's note-off model
    ra3 = compare(P("a0.wav"), P("a1.wav"), [{"on": 0.1, "off": 1.1, "key": 60}], ref_timing="fluidsynth")
    report["a_midi_shift_0.37ms"] = brief(ra["notes"][0])
    report["a_numpy_delay_18_frames"] = brief(ra2["notes"][0])
    report["a_midi_shift_fluidsynth_timing"] = brief(ra3["notes"][0])
    ok &= all(ra["pass"].values()) and all(ra2["pass"].values())

    # (b)
    write_midi(P("b50.mid"), [Note(60, 50, 0.1, 1.0, 0)])
    render_fluidsynth(GM, P("b50.mid"), P("b50.wav"))
    rb = compare(P("a0.wav"), P("b50.wav"), [{"on": 0.1, "off": 1.1, "key": 60}])
    report["b_vel100_vs_vel50"] = brief(rb["notes"][0])
    report["b_vel100_vs_vel50"]["env_diff_db"] = rb["notes"][0]["env_diff_db"]
    ok &= not rb["pass"]["envelope"]

    # (c)
    fx = P("fixture")
    build(fx, seed=1)
    sfz = os.path.join(fx, "oracle_piano.sfz")
    c = {}
    for name, key, vel, dur in (("C4_vel100_loud_layer", 60, 100, 1.0), ("C4_vel50_soft_layer", 60, 50, 1.0),
                                ("C3", 48, 100, 1.0), ("C5_loop_held_3s", 72, 100, 3.0)):
        write_midi(P(f"c_{name}.mid"), [Note(key, vel, 0.1, dur, 0)])
        out = render_sfizz(sfz, P(f"c_{name}.mid"), P(f"c_{name}.wav"))
        m = single(out, 0.1, 0.1 + dur, key)
        xx = read_wav(out)[0].mean(axis=1)
        m["peak_dbfs"] = float(20 * np.log10(max(np.abs(xx).max(), 1e-30)))
        if name.startswith("C5"):
            s = int(3.0 * RATE)
            m["rms_dbfs_at_3.0s"] = float(10 * np.log10(np.mean(xx[s:s + 960] ** 2) + 1e-30))
            m["rms_dbfs_at_0.5s"] = float(10 * np.log10(np.mean(xx[24000:24960] ** 2) + 1e-30))
        c[name] = m
        good = m["peak_dbfs"] > -60 and m["cents_vs_key"] is not None and abs(m["cents_vs_key"]) <= 5
        if name.startswith("C5"):
            good &= m["rms_dbfs_at_3.0s"] > m["rms_dbfs_at_0.5s"] - 3
        c[name]["ok"] = bool(good)
        ok &= good
    # run-to-run determinism of sfizz (both engines)
    render_sfizz(sfz, P("c_C4_vel100_loud_layer.mid"), P("c_rep.wav"))
    c["python_engine_repeat_identical"] = open(P("c_rep.wav"), "rb").read() == open(P("c_C4_vel100_loud_layer.wav"), "rb").read()
    render_sfizz(sfz, P("c_C4_vel100_loud_layer.mid"), P("c_cli1.wav"), engine="cli")
    render_sfizz(sfz, P("c_C4_vel100_loud_layer.mid"), P("c_cli2.wav"), engine="cli")
    c["cli_engine_repeat_identical"] = open(P("c_cli1.wav"), "rb").read() == open(P("c_cli2.wav"), "rb").read()
    rc = compare(P("c_cli1.wav"), P("c_C4_vel100_loud_layer.wav"), [{"on": 0.1, "off": 1.1, "key": 60}],
                 ref_timing="exact")
    c["cli_vs_python_engine"] = brief(rc["notes"][0])
    report["c_sfizz_fixture"] = c

    # (d)
    d = {}
    for prog, name in ((0, "Piano 1"), (19, "Church Organ"), (24, "Nylon Guitar"), (48, "Strings")):
        mid = P(f"d_{prog}.mid")
        write_midi(mid, [Note(60, 100, 0.1, 1.0, prog)])
        render_fluidsynth(GM, mid, P(f"d_{prog}.wav"))
        render_fluidsynth(GM, mid, P(f"d_{prog}_rep.wav"))
        m = single(P(f"d_{prog}.wav"), 0.1, 1.1, 60)
        xa, xb = read_wav(P(f"d_{prog}.wav"))[0], read_wav(P(f"d_{prog}_rep.wav"))[0]
        m["name"] = name
        m["fluidsynth_note_on_frame_model"] = fluidsynth_event_frame(0.1, RATE)
        m["fluidsynth_note_off_frame_model"] = fluidsynth_event_frame(1.1, RATE)
        m["first_nonzero_frame"] = int(np.nonzero(np.abs(xa).max(axis=1) > 0)[0][0])
        m["repeat_audio_identical"] = bool(xa.shape == xb.shape and np.array_equal(xa, xb))
        # release measured from FluidSynth's real note-off frame
        rr = compare(P(f"d_{prog}.wav"), P(f"d_{prog}.wav"), [{"on": 0.1, "off": 1.1, "key": 60}],
                     ref_offs=[m["fluidsynth_note_off_frame_model"] / RATE])
        m["release_s_from_model_off"] = rr["notes"][0]["ref"]["release_s"]
        d[f"program_{prog}"] = m
        ok &= m["repeat_audio_identical"] and m["cents_vs_key"] is not None and abs(m["cents_vs_key"]) < 50
    report["d_sf_GMbank_presets"] = d
    report["all_ok"] = bool(ok)
    text = json.dumps(_jsonable(report), indent=1)
    print(text)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

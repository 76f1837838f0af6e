#!/usr/bin/env python3
"""Render a MIDI file with the reference players.

render_fluidsynth(font, midi, out_wav, rate=48000, gain=1.0)
    fluidsynth -ni -q -F OUT -r RATE -R 0 -C 0 -g GAIN -O float -T wav FONT MIDI
    Reverb and chorus off, 32-bit float output (no clipping, no 16-bit dither), gain 1.0 = the
    synth's own mix unscaled (FluidSynth's default -g is 0.2, i.e. -13.98 dB). Audio is identical run
    to run; only the libsndfile PEAK chunk's timestamp in the header changes.
render_sfizz(sfz, midi, out_wav, rate=48000, blocksize=64, quality=None, engine="python")
    engine="python" (default): the same sfizz library through pysfizz's bindings, freewheeling,
    events placed to the frame (delay inside the block), written as 32-bit float WAV; stops when
    no voice is active after the last event (or at the end-of-track + 30 s).
    engine="cli": sfizz_render --sfz SFZ --midi MIDI --wav OUT -s RATE -b BLOCKSIZE [-q QUALITY]
    (--use-eot not passed: rendering runs on until the voices are silent). sfizz_render writes
    16-bit PCM only, and its silence is -1 LSB (a -90.3 dBFS DC offset), so the float engine is
    preferred for level and release measurements.

CLI: render_refs.py fluidsynth FONT.sf2 in.mid out.wav [--rate 48000] [--gain 1.0]
     render_refs.py sfizz INSTR.sfz in.mid out.wav [--rate 48000] [--blocksize 64] [--quality N]
                    [--engine python|cli]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig


def fluidsynth_path() -> str:
    p = shutil.which("fluidsynth")
    if not p:
        raise FileNotFoundError("fluidsynth not on PATH (apt-get install fluidsynth)")
    return p


def sfizz_render_path() -> str:
    p = shutil.which("sfizz_render") or shutil.which("sfizz-render")
    if p:
        return p
    # pysfizz's wheel installs it under site-packages/bin, which is not on the PATH
    cands = [os.path.join(sys.prefix, "bin", "sfizz_render")]
    for key in ("purelib", "platlib"):
        cands.append(os.path.join(sysconfig.get_paths()[key], "bin", "sfizz_render"))
    for c in cands:
        if os.access(c, os.X_OK):
            return c
    raise FileNotFoundError("sfizz_render not found (pip install pysfizz)")


def fluidsynth_cmd(font: str, midi: str, out_wav: str, rate: int = 48000, gain: float = 1.0,
                   extra: list[str] | None = None) -> list[str]:
    return [fluidsynth_path(), "-ni", "-q", "-F", out_wav, "-r", str(rate), "-R", "0", "-C", "0",
            "-g", repr(float(gain)), "-O", "float", "-T", "wav", *(extra or []), font, midi]


def render_fluidsynth(font: str, midi: str, out_wav: str, rate: int = 48000, gain: float = 1.0,
                      extra: list[str] | None = None) -> str:
    cmd = fluidsynth_cmd(font, midi, out_wav, rate, gain, extra)
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(out_wav):
        raise RuntimeError(f"fluidsynth failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    return out_wav


def sfizz_cmd(sfz: str, midi: str, out_wav: str, rate: int = 48000, blocksize: int = 64,
              quality: int | None = None) -> list[str]:
    cmd = [sfizz_render_path(), "--sfz", sfz, "--midi", midi, "--wav", out_wav,
           "-s", str(rate), "-b", str(blocksize)]
    if quality is not None:
        cmd += ["-q", str(quality)]
    return cmd


def midi_events_seconds(midi: str):
    """[(t_seconds, mido.Message)] for channel messages, and the end time of the file."""
    import mido
    t = 0.0
    out = []
    for msg in mido.MidiFile(midi):
        t += msg.time
        if not msg.is_meta:
            out.append((t, msg))
    return out, t


def render_sfizz_python(sfz: str, midi: str, out_wav: str, rate: int = 48000, blocksize: int = 64,
                        quality: int | None = None, max_tail: float = 30.0) -> str:
    import numpy as np
    from pysfizz import _sfizz
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from wavio import write_wav
    synth = _sfizz.Synth(rate, blocksize)
    synth.enable_freewheeling()
    if quality is not None:
        synth.set_sample_quality(quality)
    if not synth.load_sfz_file(os.path.abspath(sfz)) or synth.get_num_regions() == 0:
        raise RuntimeError(f"sfizz could not load {sfz}")
    events, end_t = midi_events_seconds(midi)
    ev = [(int(round(t * rate)), m) for t, m in events]
    last = max([f for f, _ in ev] + [int(round(end_t * rate))])
    limit = last + int(max_tail * rate)
    left, right = [], []
    pos, i = 0, 0
    while True:
        while i < len(ev) and ev[i][0] < pos + blocksize:
            f, m = ev[i]
            d = f - pos
            if m.type == "note_on" and m.velocity > 0:
                synth.note_on(d, m.note, m.velocity)
            elif m.type in ("note_on", "note_off"):
                synth.note_off(d, m.note, m.velocity)
            elif m.type == "control_change":
                synth.cc(d, m.control, m.value)
            elif m.type == "pitchwheel":
                synth.pitch_wheel(d, m.pitch)
            i += 1
        l, r = synth.render_block()
        left.append(np.array(l, dtype=np.float64))
        right.append(np.array(r, dtype=np.float64))
        pos += blocksize
        if pos > last and synth.get_num_active_voices() == 0 or pos >= limit:
            break
    x = np.stack([np.concatenate(left), np.concatenate(right)], axis=1)
    write_wav(out_wav, x, rate, bits=32)
    return out_wav


class ram_based_sfz:
    """Context manager: a wrapper .sfz next to `sfz` reading `<control> hint_ram_based=1` then
    #include-ing it, so sfizz loads whole samples instead of streaming past its preload (streamed
    renders differ run to run, in sfizz_render and in the bindings alike)."""

    def __init__(self, sfz: str):
        self.sfz = os.path.abspath(sfz)

    def __enter__(self) -> str:
        d, base = os.path.split(self.sfz)
        self.path = os.path.join(d, f".oracle_ram_{os.getpid()}_{base}")
        with open(self.path, "w") as f:
            f.write(f'<control>\nhint_ram_based=1\n#include "{base}"\n')
        return self.path

    def __exit__(self, *exc):
        try:
            os.unlink(self.path)
        except OSError:
            pass


def render_sfizz(sfz: str, midi: str, out_wav: str, rate: int = 48000, blocksize: int = 64,
                 quality: int | None = None, engine: str = "python", ram_based: bool = True) -> str:
    if ram_based:
        with ram_based_sfz(sfz) as wrapped:
            return render_sfizz(wrapped, midi, out_wav, rate, blocksize, quality, engine, False)
    if engine == "python":
        return render_sfizz_python(sfz, midi, out_wav, rate, blocksize, quality)
    cmd = sfizz_cmd(sfz, midi, out_wav, rate, blocksize, quality)
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(out_wav):
        raise RuntimeError(f"sfizz_render failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout}{r.stderr}")
    return out_wav


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("player", choices=("fluidsynth", "sfizz"))
    ap.add_argument("instrument", help=".sf2 for fluidsynth, .sfz for sfizz")
    ap.add_argument("midi")
    ap.add_argument("out")
    ap.add_argument("--rate", type=int, default=48000)
    ap.add_argument("--gain", type=float, default=1.0, help="fluidsynth -g (1.0)")
    ap.add_argument("--blocksize", type=int, default=64, help="sfizz_render -b (64)")
    ap.add_argument("--quality", type=int, help="sfizz_render -q")
    ap.add_argument("--engine", choices=("python", "cli"), default="python",
                    help="sfizz: pysfizz bindings, float WAV (python) or sfizz_render, 16-bit (cli)")
    a = ap.parse_args(argv)
    if a.player == "fluidsynth":
        render_fluidsynth(a.instrument, a.midi, a.out, a.rate, a.gain)
    else:
        render_sfizz(a.instrument, a.midi, a.out, a.rate, a.blocksize, a.quality, a.engine)
    print(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

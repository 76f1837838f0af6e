#!/usr/bin/env python3
"""Write a Standard MIDI File that plays exactly the given notes (for FluidSynth / sfizz_render).

Timing: one tempo (120 BPM, 500,000 µs per beat) and 24,000 ticks per beat, so one tick is exactly
1/48,000 s — a tick is a frame at 48 kHz and note times are written to the frame (rounded to the
nearest tick). Each channel used gets, at tick 0 and in this order, bank select MSB (CC0), bank select
LSB (CC32) and a program change, before any note. A note-off (0x80, velocity 0) sorts before a
note-on at the same tick, so a repeated key is released before it is struck again. The end-of-track
comes `tail` seconds after the last note-off so the players render the release.

Module use:
    from make_midi import Note, write_midi
    write_midi("a.mid", [Note(note=60, velocity=100, start=0.1, dur=1.0, program=0)])

CLI (one --note per note; fields note,vel,start,dur[,program[,bank_msb[,bank_lsb[,channel]]]]):
    make_midi.py out.mid --note 60,100,0.1,1.0,0 --note 64,80,1.5,0.5,0
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import mido

TICKS_PER_BEAT = 24000
TEMPO_US = 500000  # 120 BPM -> 1 tick = 500000/24000 µs = 1/48000 s


@dataclass
class Note:
    note: int
    velocity: int
    start: float        # seconds
    dur: float          # seconds (note-off at start + dur)
    program: int = 0    # 0-127
    bank_msb: int = 0   # CC0
    bank_lsb: int = 0   # CC32
    channel: int = 0    # 0-15 (9 = GM drums in FluidSynth)

    @property
    def end(self) -> float:
        return self.start + self.dur


def seconds_to_ticks(t: float, ticks_per_beat: int = TICKS_PER_BEAT, tempo_us: int = TEMPO_US) -> int:
    return int(round(t * 1e6 * ticks_per_beat / tempo_us))


def ticks_to_seconds(ticks: int, ticks_per_beat: int = TICKS_PER_BEAT, tempo_us: int = TEMPO_US) -> float:
    return ticks * tempo_us / (1e6 * ticks_per_beat)


def build_midi(notes: list[Note], tail: float = 3.0, ticks_per_beat: int = TICKS_PER_BEAT,
               tempo_us: int = TEMPO_US, extra_cc: dict[int, dict[int, int]] | None = None) -> mido.MidiFile:
    """Type-0 file, one track. `extra_cc` = {channel: {cc: value}} written at tick 0 after the program."""
    for n in notes:
        if not (0 <= n.note <= 127 and 1 <= n.velocity <= 127 and 0 <= n.program <= 127
                and 0 <= n.bank_msb <= 127 and 0 <= n.bank_lsb <= 127 and 0 <= n.channel <= 15):
            raise ValueError(f"note out of range: {n}")
        if n.start < 0 or n.dur <= 0:
            raise ValueError(f"bad timing: {n}")
    events: list[tuple[int, int, mido.Message]] = []  # (tick, order, msg); order: 0 setup, 1 off, 2 on
    setup: dict[int, tuple[int, int, int]] = {}
    for n in sorted(notes, key=lambda n: n.start):
        prev = setup.setdefault(n.channel, (n.bank_msb, n.bank_lsb, n.program))
        if prev != (n.bank_msb, n.bank_lsb, n.program):
            raise ValueError(f"channel {n.channel}: one bank/program per channel (got {prev} and "
                             f"{(n.bank_msb, n.bank_lsb, n.program)}); use another channel")
    for ch, (msb, lsb, prog) in sorted(setup.items()):
        events.append((0, 0, mido.Message("control_change", channel=ch, control=0, value=msb)))
        events.append((0, 0, mido.Message("control_change", channel=ch, control=32, value=lsb)))
        events.append((0, 0, mido.Message("program_change", channel=ch, program=prog)))
        for cc, val in sorted((extra_cc or {}).get(ch, {}).items()):
            events.append((0, 0, mido.Message("control_change", channel=ch, control=cc, value=val)))
    last = 0
    for n in notes:
        on = seconds_to_ticks(n.start, ticks_per_beat, tempo_us)
        off = seconds_to_ticks(n.end, ticks_per_beat, tempo_us)
        if off <= on:
            off = on + 1
        events.append((on, 2, mido.Message("note_on", channel=n.channel, note=n.note, velocity=n.velocity)))
        events.append((off, 1, mido.Message("note_off", channel=n.channel, note=n.note, velocity=0)))
        last = max(last, off)
    events.sort(key=lambda e: (e[0], e[1]))
    mid = mido.MidiFile(type=0, ticks_per_beat=ticks_per_beat)
    tr = mido.MidiTrack()
    mid.tracks.append(tr)
    tr.append(mido.MetaMessage("set_tempo", tempo=tempo_us, time=0))
    now = 0
    for tick, _, msg in events:
        tr.append(msg.copy(time=tick - now))
        now = tick
    end = last + seconds_to_ticks(tail, ticks_per_beat, tempo_us)
    tr.append(mido.MetaMessage("end_of_track", time=end - now))
    return mid


def write_midi(path: str, notes: list[Note], tail: float = 3.0, **kw) -> str:
    build_midi(notes, tail=tail, **kw).save(path)
    return path


def parse_note(s: str) -> Note:
    f = s.split(",")
    if not 4 <= len(f) <= 8:
        raise argparse.ArgumentTypeError("note,vel,start,dur[,program[,bank_msb[,bank_lsb[,channel]]]]")
    ints = [int(x) for x in f[4:]]
    return Note(int(f[0]), int(f[1]), float(f[2]), float(f[3]), *ints)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--note", action="append", type=parse_note, required=True,
                    help="note,vel,start_s,dur_s[,program[,bank_msb[,bank_lsb[,channel]]]]")
    ap.add_argument("--tail", type=float, default=3.0, help="seconds after the last note-off (default 3)")
    a = ap.parse_args(argv)
    write_midi(a.out, a.note, tail=a.tail)
    return 0


if __name__ == "__main__":
    sys.exit(main())

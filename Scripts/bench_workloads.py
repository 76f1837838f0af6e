#!/usr/bin/env python3
"""Writes the standard benchmark workloads as Pattern Studio files: OUTDIR/w1.pattern, w2.pattern and w3.pattern
(and stress.pattern, W2's blocks repeated to just under 4 MB, for the front end's throughput);
with --peers also W3 for the peers that have effects: OUTDIR/w3.csd (Csound) and OUTDIR/w3.osc (scsynth -N).

Usage: Scripts/bench_workloads.py OUTDIR [PEERS_DIR] [--peers]

The definitions of W1 and W2 are those of ../shared/peers/gen.py (its docstring); W2's events are taken from
gen.py itself (w2_events(), including its seeded lead melody) so every renderer plays exactly the same notes.
 W1: 64 band-limited saws, MIDI 33..96, 60 s at 48 kHz, amp 0.05, 10 ms attack, hold, 0.5 s release,
     equal-power pan spread left to right.
 W2: 180 s at 120 BPM, 3,960 events: bass saw 8ths, 4-note sine pads every half bar, square lead 16ths,
     kick, snare, hi-hat.
 W3: W2's exact notes (the same code path writes both) through a mixer with effects; 180 s of notes plus a
     3 s tail (W3_TAIL) in which the reverbs and echoes ring out. Four tracks, as W2's blocks:
       bass = contrast, pad = harmony, lead = melody, drums (kick, snare, hi-hat) = rhythm.
     - Track inserts, in this order on every track (stereo):
         EQ: low shelf -2 dB at 200 Hz and high shelf +2 dB at 6 kHz (RBJ cookbook shelves, slope S = 1;
             the frequency is the half-gain point), then a 40 Hz high-pass (2nd-order Butterworth, Q = 1/sqrt 2);
         compressor: threshold -18 dBFS, ratio 3, hard knee, attack 10 ms, release 200 ms, no make-up gain,
             stereo-linked (one detector on max(|L|, |R|)).
     - Sends, post-insert, from every track: room -12 dB, hall -18 dB, echo -20 dB. The track itself goes to
       the master at 0 dB; the three buses return 100 % wet at 0 dB.
     - Send buses (stereo in, stereo out):
         room: reverb, decay (RT60) 1.6 s, predelay 0.02 s, damp 0.4;
         hall: reverb, decay 3.0 s, predelay 0.03 s, damp 0.5;
         echo: ping-pong delay, time 3/4 beat (0.375 s), feedback 0.35, damp 0.3: the mono sum (L+R)/2 enters
               the left line; echo n (n = 1, 2, ...) sounds at n x 0.375 s, on the left for odd n and on the
               right for even n, scaled by 0.35^(n-1) and low-passed n-1 times by y = 0.7 x + 0.3 y[-1].
       "damp" of a reverb is Freeverb's: a one-pole low-pass y = (1-p) x + p y[-1] with p = 0.4 x damp in
       every feedback loop. "decay" sets the loop gain g = 10^(-3 L / decay) of a loop of length L.
     - Master: compressor (threshold -12 dBFS, ratio 2, attack 10 ms, release 200 ms, linked), then a
       look-ahead limiter with ceiling -1 dBFS (per channel).
   Per renderer (the patches are equivalent in topology and nominal parameters; the reverb algorithms
   differ, so decay and damp are mapped onto each algorithm's own loop gain and damping filter):
     Pattern Studio  the .pattern below (bus / master / block attributes; the language's own effects).
     Csound          gen.py's W2 orchestra and score; each instrument's `outs` becomes a sum into global track
                     buses (ga variables), and instruments numbered after the voices (Csound runs instruments
                     in number order each k-cycle) do the strips (rbjeq shelves + rbjeq high-pass, compress2),
                     the sends into two reverbsc and a delayr/delayw ping-pong, and the master (compress2, then
                     a 10 ms look-ahead compress2 at 100:1 and a hard `limit` at the ceiling).
     scsynth         gen.py's W2 SynthDefs with an `out` bus parameter added (the voices are unchanged); voices
                     at the head of group 1000, the four strips (BLowShelf, BHiShelf, BHiPass, Compander) in
                     group 1001 after it, the two reverbs (DelayN predelay + FreeVerb2) and the echo (DelayN
                     + LocalIn/LocalOut + OnePole) in group 1002, the master (Compander, Limiter) in group 1003.
"""
import math
import os
import sys
import tempfile
from fractions import Fraction

args = [a for a in sys.argv[1:] if a != "--peers"]
with_peers = "--peers" in sys.argv[1:]
out = args[0]
peers = args[1] if len(args) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "peers")
sys.path.insert(0, os.path.abspath(peers))
import gen  # noqa: E402  (the peers' generator: one definition of the workloads)

# Built-in patch gains (Sources/PatternEngine/Patch.swift): velocity = wanted amplitude / patch gain.
PATCH_GAIN = {"saw": 0.175, "sine": 0.25, "square": 0.15, "kit": 0.3}


def num(x):
    f = Fraction(x).limit_denominator(1_000_000)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def pan(p):  # gen.py pans 0 (left) … 1 (right); ours −1 … 1
    return num(Fraction(p).limit_denominator(1000) * 2 - 1)


def db(x):  # dB → linear amplitude
    return 10 ** (x / 20)


os.makedirs(out, exist_ok=True)

# ----------------------------------------------------------------------------------------------------------------- W1
# One beat = one second (60 BPM).
lines = ["// W1 stress: 64 saw voices, 60 s (generated by Scripts/bench_workloads.py)", "tempo 60;", "melody {"]
vel = num(Fraction(gen.W1_AMP).limit_denominator(10**6) / Fraction(PATCH_GAIN["saw"]).limit_denominator(10**6))
for midi, _, p in gen.w1_voices():
    lines.append(
        f"  saw {midi} 0 dur={num(gen.W1_DUR - gen.W1_REL)} vel={vel} pan={pan(p)} "
        f"attack={gen.W1_ATT} decay=0 sustain=1 release={gen.W1_REL};")
lines.append("}")
open(os.path.join(out, "w1.pattern"), "w").write("\n".join(lines) + "\n")

# ------------------------------------------------------------------------------------------- W3's mixer (all renderers)
# One set of numbers; the .pattern, the .csd and the .osc below are all written from these.
W3_TAIL = 3.0                       # s after the last note's start at 180 s: the hall's RT60
TRACKS = ("bass", "pad", "lead", "drums")
TRACK_OF = {"bass": "bass", "pad": "pad", "lead": "lead", "kick": "drums", "snare": "drums", "hat": "drums"}
BLOCK_OF_TRACK = {"bass": "contrast", "pad": "harmony", "lead": "melody", "drums": "rhythm"}
REVERBS = {"room": {"decay": 1.6, "predelay": 0.02, "damp": 0.4},
           "hall": {"decay": 3.0, "predelay": 0.03, "damp": 0.5}}
ECHO = {"time": Fraction(3, 4), "feedback": 0.35, "damp": 0.3}   # time in beats (120 BPM: 0.375 s)
ECHO_SECONDS = float(ECHO["time"]) * gen.BEAT
SENDS = {"room": -12, "hall": -18, "echo": -20}                 # dB, the same from every track, post-insert
EQ = {"low": -2, "low_hz": 200, "high": 2, "high_hz": 6000, "hp": 40}
TRACK_COMP = {"threshold": -18, "ratio": 3, "attack": 0.01, "release": 0.2}
MASTER_COMP = {"threshold": -12, "ratio": 2, "attack": 0.01, "release": 0.2}  # attack/release: the defaults assumed
LIMIT = {"ceiling": -1, "lookahead": 0.01}


def g(x):  # plain number for the .pattern: 1.6, 3, 0.02, -12
    return f"{x:g}"


def fx_pattern():
    """The W3 header lines and the attribute list each block gets (the Pattern Studio effect syntax)."""
    head = [f"bus {name} = reverb(decay={g(r['decay'])}, predelay={g(r['predelay'])}, damp={g(r['damp'])});"
            for name, r in REVERBS.items()]
    head.append(f"bus echo = delay(time={num(ECHO['time'])}, feedback={g(ECHO['feedback'])}, "
                f"damp={g(ECHO['damp'])}, pingpong=1);")
    head.append(f"master(fx=comp(threshold={g(MASTER_COMP['threshold'])}, ratio={g(MASTER_COMP['ratio'])}) "
                f"-> limit(ceiling={g(LIMIT['ceiling'])}));")
    attrs = ", ".join(f"send {b}={g(v)}" for b, v in SENDS.items())
    attrs += (f", fx=eq(low={g(EQ['low'])}, high={g(EQ['high'])}, hp={g(EQ['hp'])}) -> "
              f"comp(threshold={g(TRACK_COMP['threshold'])}, ratio={g(TRACK_COMP['ratio'])}, "
              f"attack={g(TRACK_COMP['attack'])}, release={g(TRACK_COMP['release'])})")
    return head, attrs


# ------------------------------------------------------------------------------------------------------------- W2, W3
# 120 BPM, so beats = seconds × 2. W3 is W2 with the effect lines and block attributes: same notes, same code.
instrument = {"bass": "saw", "pad": "sine", "lead": "square"}
drum = {"kick": "Kick", "snare": "Snare", "hat": "HiHat"}
body = {b: [] for b in ("contrast", "harmony", "melody", "rhythm")}
for start, dur, kind, midi in gen.w2_events():
    beat = num(Fraction(start).limit_denominator(1000) * 2)
    v = min(Fraction(1), Fraction(gen.GAIN[kind]).limit_denominator(1000) /
            Fraction(PATCH_GAIN[instrument.get(kind, "kit")]).limit_denominator(1000))
    block = BLOCK_OF_TRACK[TRACK_OF[kind]]
    if kind in drum:
        body[block].append(f"kit {drum[kind]} {beat} vel={num(v)} pan={pan(gen.PAN[kind])};")
    else:
        a, d, s, r = gen.ADSR[kind]
        body[block].append(
            f"{instrument[kind]} {midi} {beat} dur={num(Fraction(dur).limit_denominator(1000) * 2)} vel={num(v)} "
            f"pan={pan(gen.PAN[kind])} attack={a} decay={d} sustain={s} release={r};")


def song(effects):
    if effects:
        lines = ["// W3 song + effects: W2's 3,960 events through EQ + compressor on each track, two reverbs and a",
                 "// ping-pong delay on send buses, compressor + limiter on the master (Scripts/bench_workloads.py)"]
    else:
        lines = ["// W2 song: 180 s at 120 BPM, 3,960 events (generated by Scripts/bench_workloads.py)"]
    lines += ['import kit from "drums";', "tempo 120;"]
    head, attrs = fx_pattern()
    if effects:
        lines += head
    for block, notes in body.items():
        lines.append(f"{block}({attrs}) {{" if effects else block + " {")
        lines += ["  " + n for n in notes]
        lines.append("}")
    return "\n".join(lines) + "\n"


def front_end_stress():
    """W2's four blocks again and again, each copy a later stretch of the song, to just under the 4 MB source limit:
    the front end's throughput on the largest file it takes (what `Scripts/bench` reports in MB/s)."""
    lines = ["// Front-end stress: W2's blocks repeated to just under 4 MB (generated by Scripts/bench_workloads.py)",
             'import kit from "drums";', "tempo 120;"]
    size, copy = sum(len(x) + 1 for x in lines), 0
    while True:
        shift = 360 * copy  # each copy plays the 180 s after the last
        chunk = []
        for block, notes in body.items():
            chunk.append(block + " {")
            for n in notes:
                instrument, note, beat, rest = n.split(" ", 3)
                chunk.append(f"  {instrument} {note} {num(Fraction(beat) + shift)} {rest}")
            chunk.append("}")
        added = sum(len(x) + 1 for x in chunk)
        if size + added >= 4 << 20:
            return "\n".join(lines) + "\n"
        lines += chunk
        size += added
        copy += 1


open(os.path.join(out, "w2.pattern"), "w").write(song(effects=False))
open(os.path.join(out, "w3.pattern"), "w").write(song(effects=True))
open(os.path.join(out, "stress.pattern"), "w").write(front_end_stress())
print(f"wrote {out}/w1.pattern ({len(gen.w1_voices())} notes), {out}/w2.pattern and {out}/w3.pattern "
      f"({sum(len(n) for n in body.values())} notes each)")

# ----------------------------------------------------------------------------------- reverb parameters per algorithm
# decay → loop gain: a recirculating loop of length L with gain g decays by 60 dB in T60 = −3 L / log10(g), so
# g = 10^(−3 L / T60), L = the algorithm's mean loop length.
#  reverbsc (Csound): 8 delay lines in a lossless (Householder) feedback matrix, each loop scaled by kfblvl;
#    lengths 2473 … 1933 samples at 44.1 kHz (fixed in seconds), mean 68.4 ms.
#  FreeVerb2 (SC): 8 parallel combs per channel with feedback 0.7 + 0.28 × room; lengths 1116 … 1617 samples
#    whatever the sample rate (SC does not rescale them), mean 28.7 ms at 48 kHz.
# damp → damping filter: Freeverb's own parameter for FreeVerb2. reverbsc (like `tone`) damps with
#  y = (1−a) x + a y[−1], a = b − sqrt(b² − 1), b = 2 − cos(2π kfco / sr); solving for the pole a = 0.4 × damp
#  gives kfco. Its smallest pole, at kfco = sr/2, is 0.172 (damp 0.43), so the room's damp 0.4 is clamped there.
REVERBSC_LOOP = sum((2473, 2767, 3217, 3557, 3907, 4127, 2143, 1933)) / 8 / 44100.0
FREEVERB_LOOP = sum((1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617)) / 8 / gen.SR


def loop_gain(decay, loop):
    return 10 ** (-3 * loop / decay)


def onepole_fc(p):
    """Cut-off that gives Csound's one-pole low-passes (tone, reverbsc's damping) the pole p."""
    c = 2 - (1 + p * p) / (2 * p)
    return math.acos(max(-1.0, min(1.0, c))) * gen.SR / (2 * math.pi)


def reverbsc_fco(damp):
    return onepole_fc(0.4 * damp)


def freeverb_room(decay):
    return min(1.0, max(0.0, (loop_gain(decay, FREEVERB_LOOP) - 0.7) / 0.28))


# ---------------------------------------------------------------------------------------------------------- Csound W3
def csound_w3():
    """gen.py's W2 .csd with its instruments' outputs routed into the W3 mixer."""
    with tempfile.TemporaryDirectory() as tmp:
        gen.gen_csound(tmp)
        w2 = open(os.path.join(tmp, "w2.csd")).read()
    orc, score = w2.split("</CsInstruments>")
    # Route each W2 instrument's stereo output into its track's bus instead of the output.
    instr_track = {10: "bass", 11: "pad", 12: "lead", 20: "drums", 21: "drums", 22: "drums"}
    parts = orc.split("\ninstr ")
    for i in range(1, len(parts)):
        n = int(parts[i].split(None, 1)[0])
        if n in instr_track:
            t = instr_track[n].capitalize()
            assert parts[i].count(" outs aL, aR\n") == 1, f"gen.py's instr {n} changed"
            parts[i] = parts[i].replace(" outs aL, aR\n", f" ga{t}L = ga{t}L + aL\n ga{t}R = ga{t}R + aR\n")
    orc = "\ninstr ".join(parts)
    assert "outs aL, aR" not in orc.split("instr 10")[1], "a W2 instrument still writes to the output"

    def comp2(out, sig, ctl, threshold, ratio, attack, release):
        """compress2 with a hard knee at `threshold` dBFS. compress2 takes dB with 0 dB = 90 dB above 1/32768 of
        0dbfs (−0.31 dBFS), hence the offset; its gate is put at −200 dB (off); its look-ahead window is one
        sample, so it is a plain attack/release peak follower like SC's Compander (and delays the audio by one
        sample)."""
        t = threshold + 20 * math.log10(32768 / 10 ** 4.5)
        return f" {out} compress2 {sig}, {ctl}, -200, {t:.4f}, {t:.4f}, {ratio}, {attack}, {release}, {1 / gen.SR:.10f}"

    tc, mc = TRACK_COMP, MASTER_COMP
    buses = [f"ga{b.capitalize()}{c}" for b in TRACKS + ("room", "hall", "echo", "mix") for c in "LR"]
    # The buses are declared in the header (before the instruments that use them).
    assert orc.count("\nseed 1\n") == 1
    orc = orc.replace("\nseed 1\n", "\nseed 1\n\n; W3 stereo buses: one per track (the W2 instruments sum into them), "
                      "the three sends, the master mix\n" + "".join(f"{b} init 0\n" for b in buses))
    track_buses = [f"ga{t.capitalize()}{c}" for t in TRACKS for c in "LR"]
    strips = "\n".join(f" Strip ga{t.capitalize()}L, ga{t.capitalize()}R" for t in TRACKS)
    verbs = "\n".join(
        f" aL, aR Verb ga{n.capitalize()}L, ga{n.capitalize()}R, {r['predelay']}, "
        f"{loop_gain(r['decay'], REVERBSC_LOOP):.6f}, {reverbsc_fco(r['damp']):.1f}"
        f" ; {n}: decay {r['decay']} s, damp {r['damp']}\n gaMixL = gaMixL + aL\n gaMixR = gaMixR + aR"
        for n, r in REVERBS.items())
    mixer = f"""
; ---------------------------------------------------------------- W3 mixer (Scripts/bench_workloads.py)

; EQ + compressor of one track: RBJ low shelf {EQ['low']} dB at {EQ['low_hz']} Hz and high shelf +{EQ['high']} dB at
; {EQ['high_hz']} Hz (slope 1), RBJ high-pass {EQ['hp']} Hz with Q 0.7071 (= 2nd-order Butterworth); then compress2,
; hard knee at {tc['threshold']} dBFS, {tc['ratio']}:1, attack {tc['attack']} s, release {tc['release']} s, linked by
; one control signal max(|L|, |R|); no look-ahead, no gate.
opcode TrackFx, aa, aa
 aL, aR xin
 aL rbjeq aL, {EQ['low_hz']}, {db(EQ['low']):.9f}, 0.7071, 1, 10
 aR rbjeq aR, {EQ['low_hz']}, {db(EQ['low']):.9f}, 0.7071, 1, 10
 aL rbjeq aL, {EQ['high_hz']}, {db(EQ['high']):.9f}, 0.7071, 1, 12
 aR rbjeq aR, {EQ['high_hz']}, {db(EQ['high']):.9f}, 0.7071, 1, 12
 aL rbjeq aL, {EQ['hp']}, 1, 0.7071, 1, 2
 aR rbjeq aR, {EQ['hp']}, 1, 0.7071, 1, 2
 actl max abs(aL), abs(aR)
{comp2('aL', 'aL', 'actl', **tc)}
{comp2('aR', 'aR', 'actl', **tc)}
 xout aL, aR
endop

; One track strip: inserts, then the track to the master at 0 dB and post-insert sends to the three buses.
opcode Strip, 0, aa
 aL, aR xin
 aL, aR TrackFx aL, aR
 gaMixL = gaMixL + aL
 gaMixR = gaMixR + aR
 gaRoomL = gaRoomL + aL*{db(SENDS['room']):.9f}
 gaRoomR = gaRoomR + aR*{db(SENDS['room']):.9f}
 gaHallL = gaHallL + aL*{db(SENDS['hall']):.9f}
 gaHallR = gaHallR + aR*{db(SENDS['hall']):.9f}
 gaEchoL = gaEchoL + aL*{db(SENDS['echo']):.9f}
 gaEchoR = gaEchoR + aR*{db(SENDS['echo']):.9f}
endop

; Reverb bus: predelay, then reverbsc 100 % wet (feedback level and cut-off from decay and damp, see the generator).
opcode Verb, aa, aaiii
 aL, aR, ipre, ifb, ifco xin
 aL delay aL, ipre
 aR delay aR, ipre
 aL, aR reverbsc aL, aR, ifb, ifco
 xout aL, aR
endop

instr 100 ; the four track strips (after the voices, instr 10..22, in every k-cycle)
{strips}
 clear {", ".join(track_buses)}
endin

instr 200 ; the send buses, returned to the master at 0 dB
{verbs}
 ; echo: ping-pong. Two delay lines of {ECHO_SECONDS} s (delayr/delayw pairs are matched in order: the first
 ; delayw writes the first delayr). Left line in: (L+R)/2 + feedback × damped right output; right line in:
 ; feedback × damped left output. One-pole damping y = (1-d) x + d y[-1] with d = {ECHO['damp']}.
 ain = (gaEchoL + gaEchoR) * 0.5
 aYL delayr {ECHO_SECONDS}
 aYR delayr {ECHO_SECONDS}
 aDL tone aYL, {onepole_fc(ECHO['damp']):.1f}
 aDR tone aYR, {onepole_fc(ECHO['damp']):.1f}
 delayw ain + {ECHO['feedback']} * aDR
 delayw {ECHO['feedback']} * aDL
 gaMixL = gaMixL + aYL
 gaMixR = gaMixR + aYR
 clear gaRoomL, gaRoomR, gaHallL, gaHallR, gaEchoL, gaEchoR
endin

instr 300 ; master: compressor {mc['threshold']} dBFS {mc['ratio']}:1, look-ahead limiter at {LIMIT['ceiling']} dBFS
 actl max abs(gaMixL), abs(gaMixR)
{comp2('aL', 'gaMixL', 'actl', **mc)}
{comp2('aR', 'gaMixR', 'actl', **mc)}
 ; limiter per channel: the audio is delayed by {LIMIT['lookahead']} s and the detector is not, so a 100:1 compressor
 ; with a 1 ms attack has closed before a peak arrives; `limit` then clamps what little overshoots.
 aDL delay aL, {LIMIT['lookahead']}
 aDR delay aR, {LIMIT['lookahead']}
{comp2('aL', 'aDL', 'aL', LIMIT['ceiling'], 100, 0.001, 0.05)}
{comp2('aR', 'aDR', 'aR', LIMIT['ceiling'], 100, 0.001, 0.05)}
 aL limit aL, -{db(LIMIT['ceiling']):.9f}, {db(LIMIT['ceiling']):.9f}
 aR limit aR, -{db(LIMIT['ceiling']):.9f}, {db(LIMIT['ceiling']):.9f}
 outs aL, aR
 clear gaMixL, gaMixR
endin
"""
    end = gen.SONG_DUR + W3_TAIL
    score = score.replace("e\n</CsScore>",
                          f"; W3 mixer, 180 s + {W3_TAIL} s tail\ni100 0 {end}\ni200 0 {end}\ni300 0 {end}\n"
                          "e\n</CsScore>")
    assert f"i300 0 {end}" in score
    return orc + mixer + "</CsInstruments>" + score


# --------------------------------------------------------------------------------------------------------- scsynth W3
BUS = {"bass": 16, "pad": 18, "lead": 20, "drums": 22, "room": 24, "hall": 26, "echo": 28, "mix": 30}  # private, stereo
VOICES, STRIPS, RETURNS, MASTER = 1000, 1001, 1002, 1003  # groups, in this order of execution
BLOCK = 64  # scsynth's block size: a LocalIn/LocalOut loop is one block late


def routed(d):
    """gen.py's W2 voice SynthDef with a bus parameter `out` in place of its constant bus 0 (nothing else changes)."""
    cls, rate, ins, n_out, special = d.ugens[0]
    assert cls == "Control" and n_out == len(d.params)
    d.params = d.params + [("out", 0.0)]  # a new list: gen.py's tonal voices share one
    d.ugens[0] = (cls, rate, ins, n_out + 1, special)
    outs = [k for k, u in enumerate(d.ugens) if u[0] == "Out"]
    assert len(outs) == 1 and d.ugens[outs[0]][2][0] == d.c(0), f"gen.py's {d.name} changed"
    cls, rate, ins, n_out, special = d.ugens[outs[0]]
    d.ugens[outs[0]] = (cls, rate, [d.p("out")] + ins[1:], n_out, special)
    return d


def sc_w3_defs():
    SD = gen.SynthDef
    defs = [routed(d) for d in gen.sc_defs() if d.name != "w1saw"]

    def binop(d, op, a, b):  # BinaryOpUGen special indices: + 0, * 2, max 13
        return d.u("BinaryOpUGen", 2, [a, b], 1, op)

    def absmax(d, a, b):  # max(|a|, |b|): UnaryOpUGen abs = 5
        return binop(d, 13, d.u("UnaryOpUGen", 2, [a], 1, 5), d.u("UnaryOpUGen", 2, [b], 1, 5))

    def compander(d, x, ctl, c):  # Compander(in, control, thresh, slopeBelow, slopeAbove, clampTime, relaxTime)
        return d.u("Compander", 2, [x, ctl, db(c["threshold"]), 1, 1 / c["ratio"], c["attack"], c["release"]])

    # Track strip: EQ (RBJ shelves, rs = 1/S = 1; RBJ high-pass, rq = sqrt 2), linked compressor, master + sends.
    d = SD("w3strip", [("in", 0.0), ("out", 0.0), ("room", 0.0), ("hall", 0.0), ("echo", 0.0)])
    ch = d.u("In", 2, [d.p("in")], 2)
    for i, x in enumerate(ch):
        x = d.u("BLowShelf", 2, [x, EQ["low_hz"], 1, EQ["low"]])
        x = d.u("BHiShelf", 2, [x, EQ["high_hz"], 1, EQ["high"]])
        ch[i] = d.u("BHiPass", 2, [x, EQ["hp"], math.sqrt(2)])
    ctl = absmax(d, *ch)
    ch = [compander(d, x, ctl, TRACK_COMP) for x in ch]
    d.u("Out", 2, [d.p("out")] + ch, 0)
    for bus in ("room", "hall", "echo"):
        d.u("Out", 2, [d.p(bus)] + [d.mul(x, db(SENDS[bus])) for x in ch], 0)
    defs.append(d)

    # Reverb bus: DelayN predelay, FreeVerb2 100 % wet.
    d = SD("w3reverb", [("in", 0.0), ("out", 0.0), ("predelay", 0.02), ("room", 0.5), ("damp", 0.5)])
    ch = [d.u("DelayN", 2, [x, 0.05, d.p("predelay")]) for x in d.u("In", 2, [d.p("in")], 2)]
    ch = d.u("FreeVerb2", 2, ch + [1, d.p("room"), d.p("damp")], 2)
    d.u("Out", 2, [d.p("out")] + ch, 0)
    defs.append(d)

    # Echo bus: ping-pong. LocalIn returns the last block's LocalOut, so the lines are one block shorter than
    # the echo time and the dry input is delayed by one block to match: echo n lands at exactly n × time.
    d = SD("w3echo", [("in", 0.0), ("out", 0.0), ("time", 0.375), ("fb", 0.35), ("damp", 0.3)])
    fb_l, fb_r = d.u("LocalIn", 2, [0, 0], 2)
    l, r = d.u("In", 2, [d.p("in")], 2)
    mono = d.u("DelayN", 2, [d.mul(binop(d, 0, l, r), 0.5), BLOCK / gen.SR, BLOCK / gen.SR])
    # time − one block, at control rate (declared audio rate with no audio input, scsynth computes garbage)
    line_time = d.u("BinaryOpUGen", 1, [d.p("time"), -BLOCK / gen.SR], 1, 0)
    y_l = d.u("DelayN", 2, [binop(d, 0, mono, fb_l), 1.0, line_time])
    y_r = d.u("DelayN", 2, [fb_r, 1.0, line_time])
    damped = [d.mul(d.u("OnePole", 2, [y, d.p("damp")]), d.p("fb")) for y in (y_r, y_l)]
    d.u("LocalOut", 2, damped, 0)  # right output → left line, left output → right line
    d.u("Out", 2, [d.p("out"), y_l, y_r], 0)
    defs.append(d)

    # Master: linked compressor, then Limiter (look-ahead, per channel) at the ceiling, to the output bus 0.
    d = SD("w3master", [("in", 0.0)])
    ch = d.u("In", 2, [d.p("in")], 2)
    ctl = absmax(d, *ch)
    ch = [d.u("Limiter", 2, [compander(d, x, ctl, MASTER_COMP), db(LIMIT["ceiling"]), LIMIT["lookahead"]])
          for x in ch]
    d.u("Out", 2, [0] + ch, 0)
    defs.append(d)
    return defs


def scsynth_w3():
    msg, bundle = gen.osc_msg, gen.osc_bundle
    # One /d_recv per SynthDef: with all ten in one 6 KB /d_recv, scsynth 3.13 -N ran the echo from a corrupted
    # definition (its delay read garbage); with one each, renders are bit-identical to /d_load from a file.
    sc = [bundle(0.0, [msg("/d_recv", gen.synthdef_file([d])) for d in sc_w3_defs()])]
    setup = [msg("/g_new", VOICES, 0, 0), msg("/g_new", STRIPS, 3, VOICES), msg("/g_new", RETURNS, 3, STRIPS),
             msg("/g_new", MASTER, 3, RETURNS)]
    for t in TRACKS:
        setup.append(msg("/s_new", "w3strip", -1, 1, STRIPS, "in", BUS[t], "out", BUS["mix"],
                         "room", BUS["room"], "hall", BUS["hall"], "echo", BUS["echo"]))
    for name, r in REVERBS.items():
        setup.append(msg("/s_new", "w3reverb", -1, 1, RETURNS, "in", BUS[name], "out", BUS["mix"],
                         "predelay", r["predelay"], "room", freeverb_room(r["decay"]), "damp", r["damp"]))
    setup.append(msg("/s_new", "w3echo", -1, 1, RETURNS, "in", BUS["echo"], "out", BUS["mix"],
                     "time", ECHO_SECONDS, "fb", ECHO["feedback"], "damp", ECHO["damp"]))
    setup.append(msg("/s_new", "w3master", -1, 1, MASTER, "in", BUS["mix"]))
    sc.append(bundle(0.0, setup))
    # The voices exactly as gen.gen_sc writes W2's, plus "out" and at the head of the voice group.
    by_t = {}
    for t, d, k, midi in gen.w2_events():
        where = ("/s_new", k, -1, 0, VOICES)
        if k in gen.ADSR:
            a, dd, s, r = gen.ADSR[k]
            m = msg(*where, "freq", gen.mtof(midi), "amp", gen.GAIN[k], "pos", gen.PAN[k] * 2 - 1,
                    "a", a, "d", dd, "s", s, "sus", max(0.0, d - a - dd), "r", r, "out", BUS[TRACK_OF[k]])
        else:
            m = msg(*where, "amp", gen.GAIN[k], "pos", gen.PAN[k] * 2 - 1, "out", BUS[TRACK_OF[k]])
        by_t.setdefault(round(t, 9), []).append(m)
    for t in sorted(by_t):
        sc.append(bundle(t, by_t[t]))
    sc.append(bundle(gen.SONG_DUR + W3_TAIL, [msg("/c_set", 0, 0)]))  # the render ends at the last bundle
    return b"".join(sc)


if with_peers:
    open(os.path.join(out, "w3.csd"), "w").write(csound_w3())
    open(os.path.join(out, "w3.osc"), "wb").write(scsynth_w3())
    print(f"wrote {out}/w3.csd and {out}/w3.osc (W3 for Csound and scsynth)")

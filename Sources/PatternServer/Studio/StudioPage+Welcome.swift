// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/welcome.js`: the song a first visit opens.
  static let welcomeScript = #"""
// The song a first visit opens: short, every kind of block, a reverb bus, and a hint of what to press.
export const welcome = `// Welcome to Pattern Studio. Ctrl+Enter renders and plays, Ctrl+S saves, ? lists the keys.
title "First steps";
tempo 108;
import keys from "grand";
import kit from "drums";

bus room = reverb(decay=2.2, mix=1);

rhythm(send room=-20) {
  repeat 4 every 4 { kit Kick 0; kit Snare 1; kit Kick 2; kit Kick 5/2 vel=0.6; kit Snare 3; }
  repeat 32 every 1/2 { kit HiHat 0 vel=0.35; }
}
harmony(send room=-12, gain=-4) {
  keys A3'min7 0 dur=4 vel=0.6; keys F3'maj7 4 dur=4 vel=0.6;
  keys C4'maj 8 dur=4 vel=0.6; keys G3'maj 12 dur=4 vel=0.6;
}
contrast(pan=-0.1) {
  saw A1 0 dur=3/2 vel=0.7; saw A2 3/2 dur=1/2; saw A1 2 dur=2 vel=0.6;
  saw F1 4 dur=3/2 vel=0.7; saw F2 11/2 dur=1/2; saw F1 6 dur=2 vel=0.6;
  saw C2 8 dur=3/2 vel=0.7; saw C3 19/2 dur=1/2; saw C2 10 dur=2 vel=0.6;
  saw G1 12 dur=3/2 vel=0.7; saw G2 27/2 dur=1/2; saw G1 14 dur=2 vel=0.6;
}
melody(send room=-8, pan=0.2) {
  keys E5 0 dur=1/2; keys G5 1/2 dur=1/2; keys A5 1 dur=2; keys C6 4 dur=1/2; keys A5 9/2 dur=3/2;
  keys G5 8 dur=1; keys E5 9 dur=1; keys D5 12 dur=1/2; keys E5 25/2 dur=7/2;
}
`;
"""#
}

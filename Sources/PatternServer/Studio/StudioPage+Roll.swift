// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/roll.js`: the piano roll (SVG, one rect per event).
  static let rollScript = #"""
// The piano roll: one <rect class="note"> per event of /api/events — x = time, y = pitch, a colour per
// instrument, a lane per kit sound under the pitches — lit while the playhead is inside it; a click on a note
// moves the editor's cursor to the statement that played it.

const svgNS = "http://www.w3.org/2000/svg";
const labelWidth = 52;

function el(name, attributes, parent) {
  const node = document.createElementNS(svgNS, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

const noteNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

/** A colour per instrument, far apart on the hue circle (golden angle), readable on the dark background. */
export function instrumentColour(index) {
  return "hsl(" + Math.round((index * 137.508 + 195) % 360) + ", 70%, 62%)";
}

export class Roll {
  constructor(svg, frame, onNote) {
    this.svg = svg;
    this.frame = frame;
    this.onNote = onNote;
    this.events = [];
    this.rects = [];
    this.lit = [];
    this.duration = 0;
    this.time = 0;
    this.playhead = null;
    this.scale = 1;
    svg.addEventListener("click", (e) => {
      const rect = e.target.closest ? e.target.closest("rect.note") : null;
      if (rect) this.onNote(Number(rect.dataset.line), Number(rect.dataset.col));
    });
    let width = 0;
    new ResizeObserver(() => {
      if (frame.clientWidth !== width) {
        width = frame.clientWidth;
        this.draw();
      }
    }).observe(frame);
  }

  /** The `/api/events` object of the rendered song; `audioSeconds` is the render's length (tails included). */
  setEvents(json, audioSeconds) {
    this.events = (json && json.events) || [];
    const last = this.events.reduce((m, e) => Math.max(m, e.endSeconds), 0);
    this.duration = Math.max(last, audioSeconds || 0, 0.001);
    this.draw();
  }

  draw() {
    const svg = this.svg;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    this.rects = [];
    this.lit = [];
    const events = this.events;
    const width = Math.max(200, this.frame.clientWidth - 2);
    if (!events.length) {
      svg.setAttribute("width", width);
      svg.setAttribute("height", 40);
      el("text", { x: 12, y: 24, class: "lane-label" }, svg).textContent = "Notes appear here after a render.";
      return;
    }
    // Rows: every pitch from the lowest to the highest played (at least an octave), then one lane per kit sound.
    let low = 127;
    let high = 0;
    const instruments = [];
    const hitLanes = [];
    for (const e of events) {
      if (!instruments.includes(e.instrument)) instruments.push(e.instrument);
      if (typeof e.midi === "number") {
        low = Math.min(low, e.midi);
        high = Math.max(high, e.midi);
      } else {
        const lane = e.instrument + " " + e.note;
        if (!hitLanes.includes(lane)) hitLanes.push(lane);
      }
    }
    const pitched = high >= low;
    if (pitched && high - low < 12) {
      const pad = 12 - (high - low);
      low = Math.max(0, low - Math.floor(pad / 2));
      high = Math.min(127, low + 12);
    }
    const pitchRows = pitched ? high - low + 1 : 0;
    const rows = pitchRows + hitLanes.length;
    const available = Math.max(120, this.frame.clientHeight - 4);
    const rowHeight = Math.max(4, Math.min(12, Math.floor(available / Math.max(1, rows))));
    const laneHeight = Math.max(rowHeight, 10);
    const height = pitchRows * rowHeight + hitLanes.length * laneHeight + 2;
    const scale = (width - labelWidth - 6) / this.duration;
    this.scale = scale;
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);

    const background = el("g", {}, svg);
    // Octave bands and C labels; a label per kit lane.
    for (let m = high; pitched && m >= low; m--) {
      const y = (high - m) * rowHeight;
      if (m % 12 === 0) {
        el("rect", { x: labelWidth, y, width: width - labelWidth, height: rowHeight, class: "octave" }, background);
        if (rowHeight >= 5 || m % 24 === 0) {
          const label = el("text", { x: 4, y: y + rowHeight, class: "lane-label" }, background);
          label.textContent = noteNames[m % 12] + (Math.floor(m / 12) - 1);
        }
      }
    }
    hitLanes.forEach((lane, i) => {
      const y = pitchRows * rowHeight + i * laneHeight;
      el("line", { x1: 0, x2: width, y1: y, y2: y, class: "grid" }, background);
      const label = el("text", { x: 4, y: y + laneHeight - 2, class: "lane-label" }, background);
      label.textContent = lane.split(" ").pop();
    });
    const seconds = this.duration;
    const step = seconds > 120 ? 30 : seconds > 40 ? 10 : seconds > 12 ? 5 : 1;
    for (let t = step; t < seconds; t += step) {
      const x = labelWidth + t * scale;
      el("line", { x1: x, x2: x, y1: 0, y2: height, class: "grid bar" }, background);
    }

    const notes = el("g", {}, svg);
    events.forEach((e, i) => {
      let y;
      let h;
      if (typeof e.midi === "number") {
        y = (high - e.midi) * rowHeight;
        h = rowHeight;
      } else {
        y = pitchRows * rowHeight + hitLanes.indexOf(e.instrument + " " + e.note) * laneHeight;
        h = laneHeight;
      }
      const x = labelWidth + e.startSeconds * scale;
      const w = Math.max(2, (e.endSeconds - e.startSeconds) * scale);
      const r = el(
        "rect",
        {
          x: x.toFixed(2), y: y + 0.5, width: w.toFixed(2), height: Math.max(1, h - 1), rx: 1.5, class: "note",
          fill: instrumentColour(instruments.indexOf(e.instrument)), "data-line": e.line, "data-col": e.column,
          "data-index": i,
        },
        notes);
      el("title", {}, r).textContent =
        e.instrument + " " + e.note + " at " + e.startSeconds.toFixed(2) + " s, vel " + e.velocity + ", line " + e.line;
      this.rects.push(r);
      this.lit.push(false);
    });
    this.playhead = el("line", { x1: labelWidth, x2: labelWidth, y1: 0, y2: height, class: "playhead" }, svg);
    this.update(this.time);
  }

  /** Lights the notes sounding at `t` seconds and moves the playhead there. */
  update(t) {
    this.time = t;
    if (!this.playhead) return;
    const x = labelWidth + t * this.scale;
    this.playhead.setAttribute("x1", x);
    this.playhead.setAttribute("x2", x);
    const events = this.events;
    for (let i = 0; i < this.rects.length; i++) {
      const e = events[i];
      // Short hits stay lit long enough to see (80 ms).
      const on = t >= e.startSeconds && t < Math.max(e.endSeconds, e.startSeconds + 0.08);
      if (on !== this.lit[i]) {
        this.lit[i] = on;
        this.rects[i].classList.toggle("on", on);
      }
    }
  }
}
"""#
}

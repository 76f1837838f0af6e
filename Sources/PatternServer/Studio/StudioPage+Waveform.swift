// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/waveform.js`: WAV decoding, min/max per pixel, playhead, seek and loop.
  static let waveformScript = #"""
// The waveform: min/max per pixel column of the decoded audio, a playhead, click to seek, drag to choose a
// loop, and the keyboard (arrows seek, space plays, Home/End, Escape clears the loop).

/** Reads a RIFF/WAVE file (PCM 16/24/32-bit or IEEE float 32, any channel count) → { rate, channels, frames, at }. */
export function decodeWav(buffer) {
  const view = new DataView(buffer);
  const tag = (o) => String.fromCharCode(view.getUint8(o), view.getUint8(o + 1), view.getUint8(o + 2), view.getUint8(o + 3));
  if (buffer.byteLength < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") return null;
  let format = null;
  let offset = 12;
  while (offset + 8 <= buffer.byteLength) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") {
      let code = view.getUint16(body, true);
      if (code === 0xfffe && size >= 26) code = view.getUint16(body + 24, true);
      format = {
        code, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === "data" && format) {
      const bytes = format.bits / 8;
      const frameBytes = bytes * format.channels;
      const length = Math.min(size, buffer.byteLength - body);
      const frames = Math.floor(length / frameBytes);
      let read;
      if (format.code === 3 && format.bits === 32) read = (o) => view.getFloat32(o, true);
      else if (format.code === 1 && format.bits === 16) read = (o) => view.getInt16(o, true) / 32768;
      else if (format.code === 1 && format.bits === 24) {
        read = (o) => ((view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getInt8(o + 2) << 16)) / 8388608);
      } else if (format.code === 1 && format.bits === 32) read = (o) => view.getInt32(o, true) / 2147483648;
      else return null;
      const at = (frame, channel) => read(body + frame * frameBytes + channel * bytes);
      // The common case (16-bit or float, aligned) as a typed array over the file: no copy, no per-sample call.
      let samples = null;
      let scale = 1;
      if (format.code === 1 && format.bits === 16 && body % 2 === 0) {
        samples = new Int16Array(buffer, body, frames * format.channels);
        scale = 1 / 32768;
      } else if (format.code === 3 && format.bits === 32 && body % 4 === 0) {
        samples = new Float32Array(buffer, body, frames * format.channels);
      }
      return { rate: format.rate, channels: format.channels, frames, at, samples, scale };
    }
    offset = body + size + (size & 1);
  }
  return null;
}

/** 75.3 → "1:15". */
function clock(seconds) {
  const s = Math.floor(seconds);
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}

export class Waveform {
  constructor(canvas, audio) {
    this.canvas = canvas;
    this.audio = audio;
    this.audioData = null;
    this.peaks = null;
    this.image = null;
    this.loop = null;
    this.drag = null;
    this.onLoopChange = () => {};
    canvas.addEventListener("pointerdown", (e) => this.pointerDown(e));
    canvas.addEventListener("pointermove", (e) => this.pointerMove(e));
    canvas.addEventListener("pointerup", (e) => this.pointerUp(e));
    canvas.addEventListener("pointercancel", () => {
      this.drag = null;
      this.draw();
    });
    canvas.addEventListener("keydown", (e) => this.keydown(e));
    new ResizeObserver(() => this.layout()).observe(canvas);
  }

  /** The decoded audio of a render (from decodeWav). */
  setAudio(decoded) {
    this.audioData = decoded;
    this.loop = null;
    this.onLoopChange(this.loop);
    this.layout();
  }

  get duration() {
    return this.audioData ? this.audioData.frames / this.audioData.rate : 0;
  }

  layout() {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.peaks = this.computePeaks(width);
    this.image = null;
    this.draw();
  }

  /** Min and max of every channel over each pixel column's frames. */
  computePeaks(width) {
    const a = this.audioData;
    if (!a || a.frames === 0) return null;
    const mins = new Float32Array(width);
    const maxs = new Float32Array(width);
    for (let x = 0; x < width; x++) {
      const from = Math.floor((x * a.frames) / width);
      const to = Math.max(from + 1, Math.floor(((x + 1) * a.frames) / width));
      let lo = 1;
      let hi = -1;
      if (a.samples) {
        const s = a.samples;
        const last = Math.min(to, a.frames) * a.channels;
        for (let i = from * a.channels; i < last; i++) {
          const v = s[i] * a.scale;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      } else {
        for (let f = from; f < to && f < a.frames; f++) {
          for (let c = 0; c < a.channels; c++) {
            const v = a.at(f, c);
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
        }
      }
      mins[x] = lo > hi ? 0 : lo;
      maxs[x] = lo > hi ? 0 : hi;
    }
    return { mins, maxs };
  }

  /** The waveform without playhead, drawn once per layout and blitted under the moving parts. */
  background() {
    const { width, height } = this.canvas;
    const off = document.createElement("canvas");
    off.width = width;
    off.height = height;
    const g = off.getContext("2d");
    g.fillStyle = "#0c1016";
    g.fillRect(0, 0, width, height);
    const mid = height / 2;
    g.fillStyle = "#223044";
    g.fillRect(0, Math.floor(mid), width, 1);
    if (this.peaks) {
      g.fillStyle = "#5ec8f2";
      const scale = (height / 2) * 0.95;
      for (let x = 0; x < width; x++) {
        const top = mid - this.peaks.maxs[x] * scale;
        const bottom = mid - this.peaks.mins[x] * scale;
        g.fillRect(x, top, 1, Math.max(1, bottom - top));
      }
      // Seconds along the bottom.
      const seconds = this.duration;
      const step = seconds > 120 ? 30 : seconds > 40 ? 10 : seconds > 12 ? 5 : 1;
      g.fillStyle = "#6b7a90";
      g.font = Math.round(10 * (window.devicePixelRatio || 1)) + "px monospace";
      for (let t = step; t < seconds; t += step) {
        const x = Math.round((t / seconds) * width);
        g.fillRect(x, height - 6, 1, 6);
        g.fillText(t + "s", x + 3, height - 3);
      }
    } else {
      g.fillStyle = "#6b7a90";
      g.font = Math.round(12 * (window.devicePixelRatio || 1)) + "px sans-serif";
      g.fillText("Render (Ctrl+Enter) to see the waveform", 12, mid - 8);
    }
    return off;
  }

  /** Draws the waveform, the loop region and the playhead at the player's time. */
  draw() {
    const g = this.canvas.getContext("2d");
    const { width, height } = this.canvas;
    if (!this.image) this.image = this.background();
    g.drawImage(this.image, 0, 0);
    const d = this.duration;
    if (!d) return;
    const region = this.drag && this.drag.moved ? this.drag : this.loop;
    if (region) {
      const a = (Math.min(region.a, region.b) / d) * width;
      const b = (Math.max(region.a, region.b) / d) * width;
      g.fillStyle = "rgba(242, 180, 94, 0.18)";
      g.fillRect(a, 0, Math.max(1, b - a), height);
      g.fillStyle = "#f2b45e";
      g.fillRect(a, 0, 1, height);
      g.fillRect(b, 0, 1, height);
    }
    const now = this.audio.currentTime;
    const second = Math.floor(now);
    if (second !== this.announced) {
      // What assistive technology reads for the waveform (a slider over the song's time).
      this.announced = second;
      this.canvas.setAttribute("aria-valuemax", String(Math.round(d)));
      this.canvas.setAttribute("aria-valuenow", String(second));
      this.canvas.setAttribute("aria-valuetext", clock(now) + " of " + clock(d));
    }
    const x = Math.round((now / d) * width);
    g.fillStyle = "#ffd166";
    g.fillRect(x, 0, Math.max(1, Math.round(window.devicePixelRatio || 1)), height);
  }

  timeAt(event) {
    const rect = this.canvas.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
    return f * this.duration;
  }

  seek(t) {
    if (!this.duration) return;
    this.audio.currentTime = Math.min(Math.max(0, t), this.duration);
    this.draw();
  }

  pointerDown(e) {
    if (!this.duration || e.button !== 0) return;
    this.canvas.setPointerCapture(e.pointerId);
    const t = this.timeAt(e);
    this.drag = { a: t, b: t, x: e.clientX, moved: false };
  }

  pointerMove(e) {
    if (!this.drag) return;
    if (Math.abs(e.clientX - this.drag.x) > 4) this.drag.moved = true;
    this.drag.b = this.timeAt(e);
    if (this.drag.moved) this.draw();
  }

  pointerUp(e) {
    if (!this.drag) return;
    const drag = this.drag;
    this.drag = null;
    if (drag.moved) {
      const a = Math.min(drag.a, drag.b);
      const b = Math.max(drag.a, drag.b);
      this.setLoop(b - a > 0.05 ? { a, b } : null);
      this.seek(a);
    } else {
      this.seek(this.timeAt(e));
    }
  }

  /** A loop region { a, b } in seconds, or null for none (the Loop button then loops the whole song). */
  setLoop(region) {
    this.loop = region;
    this.onLoopChange(region);
    this.draw();
  }

  keydown(e) {
    if (!this.duration) return;
    const step = e.shiftKey ? 5 : 1;
    if (e.key === "ArrowLeft") this.seek(this.audio.currentTime - step);
    else if (e.key === "ArrowRight") this.seek(this.audio.currentTime + step);
    else if (e.key === "Home") this.seek(this.loop ? this.loop.a : 0);
    else if (e.key === "End") this.seek(this.duration);
    else if (e.key === "Escape" && this.loop) this.setLoop(null);
    else if (e.key === " ") {
      if (this.audio.paused) this.audio.play().catch(() => {});
      else this.audio.pause();
    } else return;
    e.preventDefault();
  }
}
"""#
}

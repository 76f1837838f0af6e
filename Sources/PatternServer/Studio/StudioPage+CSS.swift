// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/studio.css`: the layout (1280 × 720 and phones) and the colours.
  static let css = #"""
/* Pattern Studio: one dark theme, a monospace editor whose highlighted copy lies exactly under the text. */
:root {
  --bg: #11151c; --panel: #171d27; --panel-2: #1d2532; --line: #2a3444; --text: #d8dee9; --dim: #8a96a8;
  --accent: #5ec8f2; --accent-2: #f2b45e; --error: #ff6b6b; --warning: #f2c94c; --ok: #9be37a;
  --focus: #ffd166;
  --code-font: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
  --code-size: 13px; --code-line: 20px; --code-pad: 8px;
}
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body {
  background: var(--bg); color: var(--text); font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  display: flex; flex-direction: column; overflow: hidden;
}
button, input { font: inherit; color: inherit; }
button {
  background: var(--panel-2); border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; cursor: pointer;
}
button:hover { border-color: var(--accent); }
button:disabled { opacity: 0.5; cursor: progress; }
button.primary { background: #1f5f7a; border-color: #2f86a8; font-weight: 600; }
button[aria-pressed="true"] { background: #2f5a2a; border-color: var(--ok); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.source:focus-visible { outline: none; }
.editor-frame:focus-within { box-shadow: 0 0 0 2px var(--focus); }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }

.bar {
  display: flex; flex-wrap: wrap; align-items: center; gap: 8px; padding: 6px 10px; background: var(--panel);
  border-bottom: 1px solid var(--line);
}
.brand { font-size: 16px; margin: 0 6px 0 0; white-space: nowrap; }
.logo { color: var(--accent); }
.name {
  background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; min-width: 0;
  width: 14em; flex: 0 1 14em;
}
.actions { display: flex; flex-wrap: wrap; gap: 6px; }
.share-box {
  display: flex; gap: 8px; align-items: center; padding: 6px 10px; background: var(--panel-2);
  border-bottom: 1px solid var(--line); flex-wrap: wrap;
}
.share-box[hidden] { display: none; }
.share-box input { flex: 1 1 20em; min-width: 0; background: var(--bg); border: 1px solid var(--line); padding: 4px; }

.layout {
  flex: 1; min-height: 0; display: grid; gap: 1px; background: var(--line);
  grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr) 200px;
}
.pane { background: var(--panel); min-height: 0; min-width: 0; display: flex; flex-direction: column; }
.small-title { font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--dim); margin: 8px 10px 4px; }
.count { color: var(--error); }

/* The editor: gutter | (highlight under a transparent textarea). Same font, size, line height and padding. */
.editor-frame { flex: 1; min-height: 0; display: flex; background: var(--bg); position: relative; }
.gutter {
  flex: 0 0 auto; min-width: 3.2em; padding: var(--code-pad) 6px var(--code-pad) 4px; overflow: hidden;
  font: var(--code-size)/var(--code-line) var(--code-font); color: #566276; text-align: right; user-select: none;
  background: var(--panel);
}
.gutter div { height: var(--code-line); white-space: nowrap; }
.gutter .error { color: var(--error); font-weight: 700; }
.gutter .warning { color: var(--warning); }
.gutter .error::before { content: "\25CF "; }
.gutter .warning::before { content: "\25B2 "; font-size: 9px; }
.code { position: relative; flex: 1; min-width: 0; }
.highlight, .source {
  position: absolute; inset: 0; margin: 0; padding: var(--code-pad); border: 0;
  font: var(--code-size)/var(--code-line) var(--code-font); white-space: pre; tab-size: 2; letter-spacing: 0;
  overflow: auto;
}
.highlight { overflow: hidden; color: var(--text); pointer-events: none; }
.source {
  color: transparent; background: transparent; caret-color: #fff; resize: none; outline: none;
}
.source::selection { background: rgba(94, 200, 242, 0.3); color: transparent; }
.t-comment { color: #6b7a90; font-style: italic; }
.t-string { color: #b5e48c; }
.t-number { color: #f4a261; }
.t-keyword { color: #c792ea; font-weight: 600; }
.t-instrument { color: #5ec8f2; }
.t-note { color: #ffd166; }
.t-attr { color: #89ddff; }
.t-punct { color: #8a96a8; }
.d-error { text-decoration: underline wavy var(--error); text-decoration-skip-ink: none; text-underline-offset: 3px; }
.d-warning { text-decoration: underline wavy var(--warning); text-decoration-skip-ink: none; text-underline-offset: 3px; }
.d-empty::after { content: " "; }
.d-current { background: rgba(255, 107, 107, 0.18); }

.problems { flex: 0 0 auto; max-height: 28%; overflow: auto; border-top: 1px solid var(--line); }
.diagnostics { list-style: none; margin: 0; padding: 0 6px 6px; }
.diagnostics li {
  display: block; width: 100%; text-align: left; padding: 3px 6px; border-radius: 4px; cursor: pointer;
  font: 12px/1.4 var(--code-font);
}
.diagnostics li:hover { background: var(--panel-2); }
.diagnostics .where { color: var(--dim); margin-right: 6px; }
.diagnostics .error .sev { color: var(--error); }
.diagnostics .warning .sev { color: var(--warning); }
.diagnostics .hint { color: var(--dim); display: block; padding-left: 2em; }
.diagnostics .clean { color: var(--ok); cursor: default; }

.status { padding: 8px 10px; min-height: 2.6em; border-bottom: 1px solid var(--line); font-variant-numeric: tabular-nums; }
.status.error { color: var(--error); }
.status.busy { color: var(--accent); }
.transport { display: flex; gap: 8px; align-items: center; padding: 8px 10px; }
.transport audio { flex: 1; min-width: 0; height: 36px; }
.waveform {
  display: block; width: 100%; height: 110px; background: #0c1016; cursor: crosshair; flex: 0 0 auto;
  touch-action: none;
}
.roll-frame { flex: 1; min-height: 80px; overflow: auto; background: #0c1016; border-top: 1px solid var(--line); }
.roll { display: block; }
.roll .note { stroke: rgba(0, 0, 0, 0.35); stroke-width: 0.5; cursor: pointer; }
.roll .note:hover { stroke: #fff; stroke-width: 1; }
.roll .note.on { fill: #fff; }
.roll .lane-label { fill: var(--dim); font: 10px var(--code-font); }
.roll .grid { stroke: #1e2633; stroke-width: 1; }
.roll .grid.bar { stroke: #2c3848; }
.roll .octave { fill: #141a23; }
.roll .playhead { stroke: var(--focus); stroke-width: 1.5; }

.library-pane { overflow: hidden; }
.filter { margin: 0 10px 6px; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; }
.instruments { list-style: none; margin: 0; padding: 0 6px 10px; overflow: auto; flex: 1; }
.instruments li { margin: 0; }
.instruments .group { color: var(--dim); font-size: 11px; text-transform: uppercase; margin: 8px 4px 2px; }
.instruments button {
  width: 100%; text-align: left; border: 0; background: transparent; padding: 3px 6px; display: flex;
  justify-content: space-between; gap: 6px;
}
.instruments button:hover { background: var(--panel-2); }
.instruments .inst-name { color: var(--accent); font-family: var(--code-font); overflow: hidden; text-overflow: ellipsis; }
.instruments .inst-range { color: var(--dim); font-size: 11px; white-space: nowrap; }

.keys { background: var(--panel); color: var(--text); border: 1px solid var(--line); border-radius: 10px; max-width: 34em; }
.keys::backdrop { background: rgba(0, 0, 0, 0.6); }
.account { display: flex; align-items: center; gap: 6px; margin-left: auto; }
.who { color: var(--dim); font-size: 0.9em; }
.render-progress { width: 100%; height: 6px; display: block; }
.render-progress[hidden], .live-note[hidden], .account button[hidden] { display: none; }
.live-note { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; padding: 6px 10px;
  border-bottom: 1px solid var(--line); color: var(--accent); }
.login-form { display: grid; gap: 6px; min-width: 16em; }
.login-form input { background: var(--bg); color: var(--text); border: 1px solid var(--line); padding: 4px; }
.login-error { color: var(--error); min-height: 1.2em; margin: 0; }
.login-buttons { display: flex; gap: 6px; }
.keys dl { display: grid; grid-template-columns: auto 1fr; gap: 6px 14px; }
.keys dt { white-space: nowrap; }
.keys dd { margin: 0; color: var(--dim); }
kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 4px; font: 12px var(--code-font); }

/* Narrow screens (a phone, 390 × 844): one column, the page scrolls, the editor keeps half the height. */
@media (max-width: 900px) {
  body { overflow: auto; }
  .layout { display: flex; flex-direction: column; flex: none; }
  .editor-pane { height: 52vh; }
  .output-pane { min-height: 60vh; }
  .library-pane { max-height: 40vh; }
  .name { flex: 1 1 8em; width: auto; }
  .brand { font-size: 15px; }
}
"""#
}

// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/`: the page (`{{BUILTINS}}` becomes the built-in instrument names).
  static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="dark">
<meta name="pstudio-builtins" content="{{BUILTINS}}">
<title>Pattern Studio</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/studio/studio.css">
<script type="module" src="/studio/app.js"></script>
</head>
<body>
<header class="bar">
  <h1 class="brand"><span class="logo" aria-hidden="true">&#9835;</span> Pattern Studio</h1>
  <input id="name" class="name" type="text" value="Untitled" maxlength="200" spellcheck="false"
    aria-label="Song name (used when saving and for downloads)">
  <div class="actions" role="toolbar" aria-label="Song actions">
    <button id="render" class="primary" type="button" aria-label="Render and play (Ctrl+Enter)"
      title="Render and play (Ctrl+Enter)">&#9654; Render</button>
    <button id="save" type="button" aria-label="Save on the server (Ctrl+S)" title="Save (Ctrl+S)">Save</button>
    <button id="share" type="button" aria-label="Make a share link"
      title="Share link (read-only on this server once saved; else the code travels in the link)">Share</button>
    <button id="download-wav" type="button" aria-label="Download WAV">WAV</button>
    <button id="download-flac" type="button" aria-label="Download FLAC">FLAC</button>
    <button id="download-midi" type="button" aria-label="Download MIDI">MIDI</button>
    <button id="help" type="button" aria-label="Keyboard shortcuts (?)" title="Keyboard shortcuts (?)">?</button>
  </div>
  <div class="account" aria-label="Account">
    <span id="who" class="who" aria-live="polite"></span>
    <button id="login-open" type="button" hidden>Log in</button>
    <button id="logout" type="button" hidden>Log out</button>
  </div>
</header>
<div id="share-box" class="share-box" hidden>
  <label id="share-label" for="share-link">Share link:</label>
  <input id="share-link" type="text" readonly aria-label="Share link">
  <button id="share-close" type="button" aria-label="Close the share link">Close</button>
</div>
<main class="layout">
  <section class="pane editor-pane" aria-label="Editor">
    <div id="editor-frame" class="editor-frame">
      <div id="gutter" class="gutter" aria-hidden="true"></div>
      <div class="code">
        <pre id="highlight" class="highlight" aria-hidden="true"></pre>
        <textarea id="editor" class="source" spellcheck="false" autocapitalize="off" autocomplete="off"
          wrap="off" aria-label="Pattern source code" aria-describedby="diagnostics-title"></textarea>
      </div>
    </div>
    <div class="problems">
      <h2 id="diagnostics-title" class="small-title">Problems <span id="diagnostic-count" class="count" aria-live="polite"></span></h2>
      <ul id="diagnostics" class="diagnostics" aria-label="Problems in the code: activate one to go to it"></ul>
    </div>
  </section>
  <section class="pane output-pane" aria-label="Audio and notes">
    <div id="status" class="status" role="status" aria-live="polite">Ready. Ctrl+Enter renders.</div>
    <progress id="render-progress" class="render-progress" max="100" value="0" hidden
      aria-label="Render progress"></progress>
    <div id="live-note" class="live-note" role="alert" hidden>
      <span id="live-text"></span>
      <button id="live-reload" type="button">Reload</button>
      <button id="live-dismiss" type="button" aria-label="Keep my text">Keep mine</button>
    </div>
    <div class="transport">
      <audio id="player" controls preload="auto" aria-label="Rendered audio"></audio>
      <button id="loop" type="button" aria-pressed="false"
        aria-label="Loop playback (drag across the waveform to loop a part)">Loop</button>
    </div>
    <canvas id="waveform" class="waveform" tabindex="0" role="slider" aria-valuemin="0" aria-valuemax="0"
      aria-valuenow="0"
      aria-label="Waveform: click to seek, drag to choose a loop; arrow keys seek, space plays or pauses"></canvas>
    <div id="roll-frame" class="roll-frame">
      <svg id="roll" class="roll" role="img" aria-label="Piano roll: one bar per note; click a note to find it in the code"
        xmlns="http://www.w3.org/2000/svg"></svg>
    </div>
  </section>
  <aside class="pane library-pane" aria-label="Instruments">
    <h2 class="small-title">Instruments</h2>
    <input id="instrument-filter" class="filter" type="search" placeholder="Filter" spellcheck="false"
      aria-label="Filter instruments">
    <ul id="instruments" class="instruments" aria-label="Instruments: activate one to insert its name"></ul>
  </aside>
</main>
<dialog id="login" class="keys" aria-labelledby="login-title">
  <h2 id="login-title">Log in</h2>
  <form id="login-form" class="login-form">
    <label for="login-name">Name</label>
    <input id="login-name" type="text" autocomplete="username" spellcheck="false" required>
    <label for="login-password">Password</label>
    <input id="login-password" type="password" autocomplete="current-password" required>
    <p id="login-error" class="login-error" role="alert"></p>
    <div class="login-buttons">
      <button id="login-submit" class="primary" type="submit">Log in</button>
      <button id="login-cancel" type="button">Cancel</button>
    </div>
  </form>
</dialog>
<dialog id="keys" class="keys" aria-labelledby="keys-title">
  <h2 id="keys-title">Keyboard</h2>
  <dl>
    <dt><kbd>Ctrl</kbd>/<kbd>&#8984;</kbd> + <kbd>Enter</kbd></dt><dd>Render and play</dd>
    <dt><kbd>Ctrl</kbd>/<kbd>&#8984;</kbd> + <kbd>S</kbd></dt><dd>Save (the address becomes its link)</dd>
    <dt><kbd>Ctrl</kbd>/<kbd>&#8984;</kbd> + <kbd>/</kbd></dt><dd>Comment or uncomment the lines</dd>
    <dt><kbd>Tab</kbd> / <kbd>Shift</kbd> + <kbd>Tab</kbd></dt><dd>Indent / outdent (in the editor)</dd>
    <dt><kbd>Esc</kbd> then <kbd>Tab</kbd></dt><dd>Leave the editor with the keyboard</dd>
    <dt><kbd>Alt</kbd> + <kbd>&#8595;</kbd> / <kbd>&#8593;</kbd></dt><dd>Next / previous problem</dd>
    <dt><kbd>Ctrl</kbd> + <kbd>Space</kbd></dt><dd>Play or pause</dd>
    <dt>Waveform: <kbd>&#8592;</kbd> <kbd>&#8594;</kbd>, <kbd>Space</kbd>, <kbd>Home</kbd></dt>
    <dd>Seek 1 s (with Shift 5 s), play or pause, back to the start</dd>
    <dt><kbd>?</kbd></dt><dd>This list (outside the editor)</dd>
  </dl>
  <button id="keys-close" type="button" aria-label="Close the keyboard list">Close</button>
</dialog>
</body>
</html>
"""#
}

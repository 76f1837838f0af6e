// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/app.js`: the page's wiring: render, save, load, share, download, keys.
  static let appScript = #"""
// Pattern Studio in the browser: wires the editor, the API, the player, the waveform, the piano roll, the
// instrument panel and what is kept without the server (share links, the draft).
import * as api from "./api.js";
import { Editor } from "./editor.js";
import { Waveform, decodeWav } from "./waveform.js";
import { Roll } from "./roll.js";
import { InstrumentPanel } from "./library.js";
import { codeFromFragment, loadDraft, storeDraft } from "./storage.js";
import { Problems } from "./problems.js";
import { welcome } from "./welcome.js";
import { Account, Live, shareSong, resetProgress, showProgress } from "./account.js";
import { fileBase, saveBlob } from "./files.js";

const $ = (id) => document.getElementById(id);
const meta = document.querySelector('meta[name="pstudio-builtins"]');
const builtins = new Set(((meta && meta.content) || "").split(/\s+/).filter(Boolean));

const state = {
  id: null, version: null, overwrite: false, parseSeq: 0, rendering: false, saving: false, audioURL: null,
  wav: null, renderedCode: null, looping: false, ticking: false, fromLink: false,
  // The text as saved on the server (a render of exactly that goes by id or share link, with live progress).
  savedCode: null, share: null,
};
const account = new Account();
const live = new Live(
  () => state.version, () => location.assign("/?id=" + encodeURIComponent(state.id)), () => state.saving);

const editor = new Editor($("editor"), $("highlight"), $("gutter"));
const player = $("player");
const waveform = new Waveform($("waveform"), player);
const roll = new Roll($("roll"), $("roll-frame"), (line, column) => editor.goTo(line, column));
const problems = new Problems($("diagnostics"), $("diagnostic-count"), editor);
const panel = new InstrumentPanel($("instruments"), $("instrument-filter"), builtins, (name, importLine) => {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (importLine && !new RegExp("\\bimport\\s+" + escaped + "\\s+from\\b").test(editor.value)) {
    editor.prependLine(importLine);
  }
  editor.insert(name + " ");
});

function status(text, kind = "") {
  const s = $("status");
  s.textContent = text;
  s.className = "status" + (kind ? " " + kind : "");
}

function songName() {
  return $("name").value.trim() || "Untitled";
}

/** `{ share }` or `{ id }` when `code` is the saved text (the server renders what it stores), else null. */
function savedSource(code) {
  if (code !== state.savedCode) return null;
  return state.share ? { share: state.share } : state.id ? { id: state.id } : null;
}

async function runParse(code) {
  // A visitor with a share link and no account may load and render, not check arbitrary code.
  if (account.needsLogin) return;
  const seq = ++state.parseSeq;
  const r = await api.parse(code);
  if (seq !== state.parseSeq || editor.value !== code) return;
  if (r.ok) problems.show(r.diagnostics);
  else status("Checking failed: " + r.error, "error");
}

let parseTimer = 0;
let draftTimer = 0;
editor.onChange = (code) => {
  clearTimeout(parseTimer);
  parseTimer = setTimeout(() => runParse(code), 300);
  clearTimeout(draftTimer);
  draftTimer = setTimeout(keepDraft, 400);
};
$("name").addEventListener("input", () => {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(keepDraft, 400);
});

function keepDraft() {
  if (state.fromLink) {
    state.fromLink = false;
    history.replaceState(null, "", "/");
  }
  storeDraft({ code: editor.value, name: $("name").value, id: state.id, version: state.version });
}

// MARK: Render and play

async function render() {
  if (state.rendering) return;
  state.rendering = true;
  $("render").disabled = true;
  const code = editor.value;
  status("Rendering\u2026", "busy");
  const started = performance.now();
  const saved = savedSource(code);
  resetProgress();
  const [r, ev] = await Promise.all([api.render(code, "wav", saved), api.events(code, saved)]);
  if (r.ok) showProgress(100);
  const roundTrip = (performance.now() - started) / 1000;
  state.rendering = false;
  $("render").disabled = false;
  if (!r.ok) {
    // Diagnostics of the text as it was sent; if it changed since, the next parse shows the current ones.
    if (r.diagnostics && editor.value === code) {
      state.parseSeq++;
      problems.show(r.diagnostics);
    }
    const kept = state.audioURL ? " The previous audio is kept." : "";
    status("Render failed: " + r.error + "." + kept, "error");
    return;
  }
  const decoded = decodeWav(await r.blob.arrayBuffer());
  const url = URL.createObjectURL(r.blob);
  const previous = state.audioURL;
  state.audioURL = url;
  state.wav = r.blob;
  state.renderedCode = code;
  const seconds = Number(r.headers.get("X-Render-Seconds")) || (decoded ? decoded.frames / decoded.rate : 0);
  const took = Number(r.headers.get("X-Render-Time")) || roundTrip;
  const rate = decoded ? decoded.rate : 48000;
  player.src = url;
  if (previous) URL.revokeObjectURL(previous);
  waveform.setAudio(decoded);
  roll.setEvents(ev.ok ? ev.json : null, seconds);
  const speed = took > 0 ? Math.round(seconds / took) : 0;
  const partial = ev.ok && ev.json.truncated
    ? " The roll shows the first " + ev.json.events.length + " of " + ev.json.totalEvents + " notes."
    : "";
  status(
    seconds.toFixed(2) + " s at " + rate / 1000 + " kHz \u00b7 rendered in " + took.toFixed(2) + " s (" + speed +
      "\u00d7 realtime; " + roundTrip.toFixed(2) + " s with the transfer)." + partial);
  if (state.looping) applyLoop();
  player.play().catch(() => {});
}

function applyLoop() {
  player.loop = state.looping && !waveform.loop;
  const button = $("loop");
  button.setAttribute("aria-pressed", String(state.looping));
  button.textContent = waveform.loop
    ? "Loop " + waveform.loop.a.toFixed(1) + "\u2013" + waveform.loop.b.toFixed(1) + " s"
    : "Loop";
}

waveform.onLoopChange = (region) => {
  if (region) state.looping = true;
  applyLoop();
};
$("loop").addEventListener("click", () => {
  state.looping = !state.looping;
  if (!state.looping && waveform.loop) waveform.setLoop(null);
  applyLoop();
});

function holdLoop() {
  const region = waveform.loop;
  if (state.looping && region && !player.paused && player.currentTime >= region.b) player.currentTime = region.a;
}
// Animation frames stop in a background tab; the player's own time updates keep the loop there.
player.addEventListener("timeupdate", holdLoop);

function tick() {
  holdLoop();
  waveform.draw();
  roll.update(player.currentTime);
  if (player.paused) state.ticking = false;
  else requestAnimationFrame(tick);
}
function startTicking() {
  if (!state.ticking) {
    state.ticking = true;
    requestAnimationFrame(tick);
  }
}
player.addEventListener("play", startTicking);
player.addEventListener("seeked", () => {
  waveform.draw();
  roll.update(player.currentTime);
});
player.addEventListener("pause", () => {
  waveform.draw();
  roll.update(player.currentTime);
});
player.addEventListener("ended", () => {
  if (state.looping && waveform.loop) {
    player.currentTime = waveform.loop.a;
    player.play().catch(() => {});
  }
});

// MARK: Save, load, share, download

async function saveSong() {
  if (state.saving) return;
  state.saving = true;
  try {
    await saveOnce();
  } finally {
    state.saving = false;
  }
}

async function saveOnce() {
  const code = editor.value;
  const name = songName();
  status("Saving\u2026", "busy");
  let r = state.id ? await api.update(state.id, name, code, state.overwrite ? null : state.version) : null;
  if (r && r.status === 404) r = null; // Deleted elsewhere: save it as a new pattern.
  if (r && r.status === 409) {
    state.overwrite = true;
    status("Someone saved a newer version of this pattern since you opened it. Save again to put your text on top.", "error");
    return;
  }
  if (!r) r = await api.save(name, code);
  if (!r.ok) {
    status("Save failed: " + r.error, "error");
    return;
  }
  state.id = r.json.id;
  state.version = r.json.version;
  state.overwrite = false;
  state.fromLink = false;
  state.savedCode = code;
  state.share = null;
  live.watch(state.id);
  live.savedHere(state.version);
  history.replaceState(null, "", "/?id=" + encodeURIComponent(state.id));
  keepDraft();
  const errors = (r.json.diagnostics || []).filter((d) => d.severity === "error").length;
  const note = r.json.valid === false ? " It has " + errors + " error" + (errors === 1 ? "" : "s") + " to fix." : "";
  status("Saved \u201c" + r.json.name + "\u201d, version " + r.json.version + ". The address is its link." + note);
}

async function share() {
  await shareSong({ id: state.share ? null : state.id, code: editor.value, name: songName() }, status);
}

async function download(kind) {
  const code = editor.value;
  const extension = kind === "midi" ? "mid" : kind;
  let blob = kind === "wav" && state.renderedCode === code ? state.wav : null;
  if (!blob) {
    status("Preparing " + kind.toUpperCase() + "\u2026", "busy");
    const r = kind === "midi" ? await api.midi(code, savedSource(code)) : await api.render(code, kind, savedSource(code));
    if (!r.ok) {
      if (r.diagnostics && editor.value === code) {
        state.parseSeq++;
        problems.show(r.diagnostics);
      }
      status(kind.toUpperCase() + " export failed: " + r.error, "error");
      return;
    }
    blob = r.blob;
  }
  const fileName = fileBase(songName()) + "." + extension;
  saveBlob(blob, fileName);
  status("Downloaded " + fileName + " (" + Math.round(blob.size / 1024) + " KB).");
}

function open(text, name, id = null, version = null, saved = null) {
  // A textarea keeps \n only; the same here, so "is this still the text I sent" compares like with like.
  const code = text.replace(/\r\n?/g, "\n");
  editor.value = code;
  $("name").value = name || "Untitled";
  state.id = id;
  state.version = version;
  state.overwrite = false;
  state.savedCode = saved;
  runParse(code);
  api.events(code, saved !== null && state.share ? { share: state.share } : null).then((ev) => {
    if (ev.ok && editor.value === code && !state.renderedCode) roll.setEvents(ev.json, 0);
  });
}

async function start() {
  await account.refresh();
  const shared = new URLSearchParams(location.search).get("share");
  if (account.needsLogin && !shared) account.openDialog();
  if (account.needsLogin) $("instruments").textContent = "Log in to list the instruments.";
  else api.instruments().then((r) => {
    if (r.ok) {
      const { names, hits } = panel.load(r.json);
      editor.setVocabulary(names, hits);
    } else {
      $("instruments").textContent = "Could not list instruments: " + r.error;
    }
  });
  const draft = loadDraft();
  const fallback = () =>
    draft ? open(draft.code, draft.name, draft.id, draft.version) : open(welcome, "First steps");
  const fromLink = codeFromFragment(location.hash);
  const id = new URLSearchParams(location.search).get("id");
  if (shared) {
    const r = await api.loadShared(shared);
    if (r.ok) {
      state.share = shared;
      open(r.json.pattern_code, r.json.name, null, r.json.version, r.json.pattern_code);
      live.watch(r.json.id, shared);
      status("Opened \u201c" + r.json.name + "\u201d from a share link (read-only: saving makes your own copy).");
    } else {
      fallback();
      status("Could not open the share link: " + r.error + ".", "error");
    }
  } else if (fromLink && !fromLink.error) {
    open(fromLink.code, fromLink.name || "Shared pattern");
    // Your draft stays until you edit this code; then the address drops the link, so a reload shows the edits.
    state.fromLink = true;
    status("Opened the pattern carried by the link. Your own draft is kept until you edit this.");
  } else if (fromLink) {
    fallback();
    status("Could not open the link: " + fromLink.error + ". Showing " + (draft ? "your draft" : "the example") + ".", "error");
  } else if (id) {
    const r = await api.load(id);
    if (r.ok) {
      // Unsaved edits of this very version survive a reload; anything else opens the saved text.
      const mine = draft && draft.id === r.json.id && draft.version === r.json.version && draft.code !== r.json.pattern_code;
      if (mine) {
        open(draft.code, draft.name, r.json.id, r.json.version, r.json.pattern_code);
        status("Opened \u201c" + r.json.name + "\u201d version " + r.json.version + " with your unsaved changes.");
      } else {
        open(r.json.pattern_code, r.json.name, r.json.id, r.json.version, r.json.pattern_code);
        status("Opened \u201c" + r.json.name + "\u201d, version " + r.json.version + ".");
      }
      live.watch(r.json.id);
    } else {
      fallback();
      history.replaceState(null, "", "/");
      status("Could not open the saved pattern \u2018" + id + "\u2019: " + r.error + ". Showing " +
        (draft ? "your draft" : "the example") + " instead.", "error");
    }
  } else {
    fallback();
    status(draft ? "Restored your draft. Ctrl+Enter renders." : "Ready. Ctrl+Enter renders and plays; ? lists the keys.");
  }
  if (account.needsLogin && !shared) status("This server asks for an account: log in to open, save and render patterns.");
  applyLoop();
}

// MARK: Keys and buttons

function typing(target) {
  return target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.isContentEditable);
}

function showKeys() {
  const dialog = $("keys");
  if (!dialog.open) dialog.showModal();
  $("keys-close").focus();
}

document.addEventListener("keydown", (e) => {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && e.key === "Enter") {
    e.preventDefault();
    render();
  } else if (mod && !e.shiftKey && !e.altKey && (e.key === "s" || e.key === "S")) {
    e.preventDefault();
    saveSong();
  } else if (mod && e.code === "Space") {
    e.preventDefault();
    if (player.src && player.paused) player.play().catch(() => {});
    else player.pause();
  } else if (e.altKey && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
    e.preventDefault();
    problems.step(e.key === "ArrowDown" ? 1 : -1);
  } else if (e.key === "?" && !mod && !typing(e.target)) {
    e.preventDefault();
    showKeys();
  } else if (e.key === "Escape" && !$("share-box").hidden && e.target === $("share-link")) {
    $("share-box").hidden = true;
    $("share").focus();
  }
});

$("render").addEventListener("click", render);
$("save").addEventListener("click", saveSong);
$("share").addEventListener("click", share);
$("share-close").addEventListener("click", () => {
  $("share-box").hidden = true;
  $("share").focus();
});
$("download-wav").addEventListener("click", () => download("wav"));
$("download-flac").addEventListener("click", () => download("flac"));
$("download-midi").addEventListener("click", () => download("midi"));
$("help").addEventListener("click", showKeys);
$("keys-close").addEventListener("click", () => $("keys").close());

start();
"""#
}

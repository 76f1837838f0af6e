// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/account.js`: login and logout, server share links, live updates and the render progress bar.
  static let accountScript = #"""
// What the page does with a server shared by a group (pstudio serve --auth): who is signed in (login dialog,
// logout), read-only share links minted by the server, and the live socket of the open pattern, which reports
// saves made elsewhere (with a Reload offer) and the progress of its renders.
import * as api from "./api.js";
import { shareLink } from "./storage.js";

const $ = (id) => document.getElementById(id);

/** The signed-in user: `auth` (does the server ask for accounts?) and `name` (null when signed out). */
export class Account {
  constructor() {
    this.auth = false;
    this.name = null;
    $("login-open").addEventListener("click", () => this.openDialog());
    $("logout").addEventListener("click", () => this.logout());
    $("login-cancel").addEventListener("click", () => $("login").close());
    $("login-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.login();
    });
  }

  /** Asks the server who this page is. */
  async refresh() {
    const r = await api.me();
    this.auth = !!(r.ok && r.json.auth);
    this.name = r.ok ? r.json.name : null;
    $("who").textContent = this.auth ? (this.name ? "Signed in as " + this.name : "Not signed in") : "";
    $("login-open").hidden = !this.auth || !!this.name;
    $("logout").hidden = !this.auth || !this.name;
    return this;
  }

  /** Whether the API needs a login this page does not have. */
  get needsLogin() {
    return this.auth && !this.name;
  }

  openDialog() {
    $("login-error").textContent = "";
    const dialog = $("login");
    if (!dialog.open) dialog.showModal();
    $("login-name").focus();
  }

  async login() {
    const r = await api.login($("login-name").value.trim(), $("login-password").value);
    if (!r.ok) {
      $("login-error").textContent = r.status === 401 ? "Wrong name or password." : r.error;
      return;
    }
    $("login-password").value = "";
    $("login").close();
    // Everything the page loaded as a stranger (instruments, the pattern) loads again as this user.
    location.reload();
  }

  async logout() {
    await api.logout();
    location.reload();
  }
}

/**
 * A read-only link to the saved pattern `id`, made by the server (revocable by its owner). Resolves to the
 * absolute address, or to `{ error }`.
 */
export async function serverShareLink(id) {
  const r = await api.share(id);
  if (!r.ok) return { error: r.error };
  return { link: new URL(r.json.url, location.href).href, token: r.json.token };
}

/**
 * Shows a share link of the song in the share box and copies it: a read-only server link for a saved pattern
 * (`id`), else a link that carries the code. `status(text, kind)` reports.
 */
export async function shareSong({ id, code, name }, status) {
  const made = id ? await serverShareLink(id) : null;
  if (made && made.error) {
    status("Could not make a share link: " + made.error, "error");
    return;
  }
  const link = made ? made.link : shareLink(code, name);
  $("share-label").textContent = made
    ? "Share link (read-only; opens this pattern on this server without an account):"
    : "Share link (the code travels in the link; no server needed):";
  $("share-box").hidden = false;
  const input = $("share-link");
  input.value = link;
  input.focus();
  input.select();
  const done = () =>
    status(made ? "Share link copied." : "Share link copied (" + link.length + " characters). It carries the code itself.");
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(link).then(done, () => status("Copy the share link shown above."));
  } else {
    status("Copy the share link shown above.");
  }
}

/** The live socket of the open pattern: `GET /api/live?id=…` (with the share token when opened from a link). */
export class Live {
  /**
   * @param {() => number|null} currentVersion the version the editor holds.
   * @param {() => void} reload opens the newest version.
   * @param {() => boolean} saving whether this page is saving (its own save comes back on the socket too).
   */
  constructor(currentVersion, reload, saving) {
    this.currentVersion = currentVersion;
    this.saving = saving;
    this.held = null;
    this.socket = null;
    this.key = null;
    $("live-reload").addEventListener("click", () => {
      $("live-note").hidden = true;
      reload();
    });
    $("live-dismiss").addEventListener("click", () => {
      $("live-note").hidden = true;
    });
  }

  /** Listens to pattern `id` (null: to nothing). */
  watch(id, share = null) {
    const key = id ? id + "|" + (share || "") : null;
    if (key === this.key) return;
    this.key = key;
    if (this.socket) this.socket.close();
    this.socket = null;
    $("live-note").hidden = true;
    delete document.body.dataset.live;
    if (!id) return;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const query = "?id=" + encodeURIComponent(id) + (share ? "&share=" + encodeURIComponent(share) : "");
    const socket = new WebSocket(scheme + location.host + "/api/live" + query);
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      // The server went away or restarted: try again a little later, while the same pattern is open.
      setTimeout(() => {
        if (this.key === key && !this.socket) {
          this.key = null;
          this.watch(id, share);
        }
      }, 5000);
    });
    this.socket = socket;
  }

  /** This page saved `version`: a save elsewhere that came in meanwhile is announced only if it is newer. */
  savedHere(version) {
    const held = this.held;
    this.held = null;
    if (held && held.version > version) this.announce(held.version);
  }

  announce(version) {
    const mine = this.currentVersion();
    if (mine !== null && version <= mine) return;
    $("live-text").textContent = "Version " + version + " of this pattern was saved elsewhere.";
    $("live-note").hidden = false;
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch (e) {
      return;
    }
    if (message.type === "ready") {
      // The page listens (tests and the curious can see it on <body data-live>).
      document.body.dataset.live = "ready";
    } else if (message.type === "saved") {
      // While this page saves, the message may be its own save: decide once the save has answered.
      if (this.saving()) this.held = message;
      else this.announce(message.version);
    } else if (message.type === "progress") {
      showProgress(message.percent);
    }
  }
}

/** The render progress bar at `percent` (0 … 100); hidden again shortly after 100. */
export function showProgress(percent) {
  const bar = $("render-progress");
  bar.hidden = false;
  bar.value = Math.max(Number(bar.value) || 0, percent);
  bar.setAttribute("aria-valuenow", String(bar.value));
  if (percent >= 100) setTimeout(() => resetProgress(), 1500);
}

/** A new render starts at 0 %. */
export function resetProgress() {
  const bar = $("render-progress");
  bar.value = 0;
  bar.hidden = true;
}
"""#
}

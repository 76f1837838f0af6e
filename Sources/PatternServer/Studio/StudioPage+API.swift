// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/api.js`: the API calls; every one resolves to a result, never throws.
  static let apiScript = #"""
// The studio's calls to the pstudio API on this origin. Every call resolves to a result object, never throws:
// { ok, status, json, blob, headers, error, diagnostics }. `error` is a sentence a person can act on.

async function call(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    return { ok: false, status: 0, error: "the server does not answer (is pstudio serve still running?)" };
  }
  const type = response.headers.get("Content-Type") || "";
  const result = { ok: response.ok, status: response.status, headers: response.headers };
  try {
    if (type.startsWith("application/json")) {
      result.json = await response.json();
    } else {
      result.blob = await response.blob();
    }
  } catch (e) {
    result.ok = false;
    result.error = "the answer was cut off (" + response.status + ")";
    return result;
  }
  if (!response.ok && result.json) {
    result.error = result.json.error || response.statusText;
    result.diagnostics = result.json.diagnostics;
    const retry = response.headers.get("Retry-After");
    if (retry) result.error += " (try again in " + retry + " s)";
  } else if (!response.ok) {
    result.error = response.status + " " + response.statusText;
  }
  return result;
}

/** `POST /api/parse`: 200 when the code compiles, 422 with every diagnostic when not (both are answers). */
export async function parse(code) {
  const r = await call("POST", "/api/parse", { pattern_code: code });
  if (r.status === 200 || r.status === 422) {
    r.ok = true;
    r.diagnostics = (r.json && r.json.diagnostics) || [];
    r.error = undefined;
  }
  return r;
}

/** `POST /api/events`: the expanded note events, with seconds. */
export const events = (code, saved = null) => call("POST", "/api/events", saved || { pattern_code: code });

/**
 * `POST /api/render`: the audio file (WAV 16-bit or FLAC) and its X-Render-* headers. With `saved` (`{ id }` or
 * `{ share }`) the server renders the stored pattern instead, and streams its progress to the live socket.
 */
export const render = (code, format = "wav", saved = null) =>
  call("POST", "/api/render", saved ? { ...saved, format } : { pattern_code: code, format });

/** `POST /api/midi`: a Standard MIDI File. */
export const midi = (code, saved = null) => call("POST", "/api/midi", saved || { pattern_code: code });

/** `POST /api/save`: a new pattern, version 1. */
export const save = (name, code) => call("POST", "/api/save", { name, pattern_code: code });

/** `PUT /api/patterns/{id}`: a new version on top of `baseVersion` (409 when someone saved in between). */
export const update = (id, name, code, baseVersion) =>
  call("PUT", "/api/patterns/" + encodeURIComponent(id), { name, pattern_code: code, base_version: baseVersion });

/** `GET /api/patterns/{id}`: the latest version. */
export const load = (id) => call("GET", "/api/patterns/" + encodeURIComponent(id));

/** `GET /api/me`: `{ auth, name }` — does the server ask for accounts, and who is this page. */
export const me = () => call("GET", "/api/me");

/** `POST /api/login`: sets the session cookie (401 when wrong, 429 after too many tries). */
export const login = (name, password) => call("POST", "/api/login", { name, password });

/** `POST /api/logout`: ends the session. */
export const logout = () => call("POST", "/api/logout");

/** `POST /api/patterns/{id}/share`: a new read-only link `{ token, url }`. */
export const share = (id) => call("POST", "/api/patterns/" + encodeURIComponent(id) + "/share");

/** `GET /api/shared/{token}`: the pattern a share link opens. */
export const loadShared = (token) => call("GET", "/api/shared/" + encodeURIComponent(token));

/** `GET /api/instruments`: instrument name → the notes or hits it plays. */
export const instruments = () => call("GET", "/api/instruments");
"""#
}

// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/storage.js`: share links (`#code=`) and the draft in localStorage.
  static let storageScript = #"""
// What the page keeps without the server: share links that carry the code (`#code=<base64url>`) and a draft
// in localStorage.

const draftKey = "pattern-studio.draft";

/** UTF-8 text → base64url without padding (RFC 4648 §5), the form a URL fragment carries untouched. */
export function encodeCode(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** base64url (padded or not) → UTF-8 text; null when it is not valid base64url or not UTF-8. */
export function decodeCode(encoded) {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(encoded)) return null;
  const b64 = encoded.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  if (b64.length % 4 === 1) return null;
  try {
    const binary = atob(b64 + "===".slice((b64.length + 3) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    return null;
  }
}

/** A link to this page that opens `code` (and the song name) with no server state. */
export function shareLink(code, name) {
  const url = new URL("/", location.href);
  const params = new URLSearchParams();
  if (name) params.set("name", name);
  return url.origin + "/#" + (name ? params.toString() + "&" : "") + "code=" + encodeCode(code);
}

/** The fragment's `code=` and `name=`, or null when there is no `code=`; `{ error }` when it cannot be read. */
export function codeFromFragment(hash) {
  const fragment = hash.startsWith("#") ? hash.slice(1) : hash;
  if (!fragment) return null;
  let code = null;
  let name = null;
  for (const part of fragment.split("&")) {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    if (key === "code") code = value;
    if (key === "name") {
      try {
        name = decodeURIComponent(value.replace(/\+/g, " "));
      } catch (e) {
        name = null;
      }
    }
  }
  if (code === null) return null;
  const text = decodeCode(code);
  return text === null ? { error: "the link's code= part is damaged (not base64url UTF-8)" } : { code: text, name };
}

/** The draft `{ code, name, id, version }` kept across visits, or null. */
export function loadDraft() {
  try {
    const raw = localStorage.getItem(draftKey);
    const draft = raw ? JSON.parse(raw) : null;
    return draft && typeof draft.code === "string" ? draft : null;
  } catch (e) {
    return null;
  }
}

/** Keeps the draft; a full or disabled storage is not an error worth interrupting anyone for. */
export function storeDraft(draft) {
  try {
    localStorage.setItem(draftKey, JSON.stringify(draft));
    return true;
  } catch (e) {
    return false;
  }
}
"""#
}

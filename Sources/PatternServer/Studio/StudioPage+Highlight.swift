// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/highlight.js`: the tokenizer and the highlighted HTML with diagnostic underlines.
  static let highlightScript = #"""
// Syntax colouring for the pattern language: a tokenizer that follows the lexer (docs/LANGUAGE.md, "Grammar")
// closely enough to colour, and the HTML of the highlighted copy with diagnostic underlines laid over it.

/** Words with a meaning somewhere in the grammar (keywords are contextual; colouring them everywhere is fine). */
export const keywords = new Set([
  "import", "from", "tempo", "meter", "seed", "title", "artist", "album", "swing", "per", "over", "at", "let",
  "section", "arrange", "repeat", "every", "play", "euclid", "step", "choose", "bus", "master", "send", "fx",
  "melody", "rhythm", "harmony", "contrast", "x", "scale", "arp", "for", "reverse", "invert", "curve", "lfo", "cycles",
]);

const notePattern = /^[A-Ga-g](#|b)?-?\d+('[A-Za-z0-9]*)?$/;
const identStart = /[A-Za-z_]/;
const identPart = /[A-Za-z0-9_#']/;
const digit = /[0-9]/;

/**
 * Tokens of `text` as [start, end, class] in UTF-16 offsets, in order, never overlapping.
 * `names` are instrument names (the library's and the file's imports); `hits` are kit sounds (Kick, Snare…).
 */
export function tokenize(text, names, hits) {
  const tokens = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "/" && text[i + 1] === "/") {
      let j = text.indexOf("\n", i);
      if (j < 0) j = n;
      tokens.push([i, j, "t-comment"]);
      i = j;
    } else if (c === "/" && text[i + 1] === "*") {
      let j = text.indexOf("*/", i + 2);
      j = j < 0 ? n : j + 2;
      tokens.push([i, j, "t-comment"]);
      i = j;
    } else if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"' && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      if (j < n && text[j] === '"') j++;
      tokens.push([i, Math.min(j, n), "t-string"]);
      i = Math.min(j, n);
    } else if (digit.test(c) || (c === "." && digit.test(text[i + 1] || ""))) {
      let j = i + 1;
      while (j < n && (digit.test(text[j]) || text[j] === ".")) j++;
      tokens.push([i, j, "t-number"]);
      i = j;
    } else if (c === "^" && /[#b0-9]/.test(text[i + 1] || "")) {
      // A scale degree: ^1 … ^15, with accidentals (^b3, ^#4).
      let j = i + 1;
      while (j < n && (text[j] === "#" || text[j] === "b")) j++;
      while (j < n && digit.test(text[j])) j++;
      tokens.push([i, j, "t-note"]);
      i = j;
    } else if (identStart.test(c)) {
      let j = i + 1;
      while (j < n && identPart.test(text[j])) j++;
      const word = text.slice(i, j);
      let k = j;
      while (k < n && (text[k] === " " || text[k] === "\t")) k++;
      let cls = null;
      if (text[k] === "=" && !keywords.has(word)) cls = "t-attr";
      else if (keywords.has(word)) cls = "t-keyword";
      else if (names.has(word)) cls = "t-instrument";
      else if (notePattern.test(word) || hits.has(word)) cls = "t-note";
      if (cls) tokens.push([i, j, cls]);
      i = j;
    } else {
      const two = text.slice(i, i + 2);
      const len = two === "->" ? 2 : 1;
      if ("{}()[];,=:/-+~'".includes(c) || len === 2) tokens.push([i, i + len, "t-punct"]);
      i += len;
    }
  }
  return tokens;
}

/** The names a file imports (`import keys from "grand";` → keys). */
export function importedNames(text) {
  const found = new Set();
  const re = /\bimport\s+([A-Za-z_][A-Za-z0-9_]*)\s+from\b/g;
  let m;
  while ((m = re.exec(text)) !== null) found.add(m[1]);
  return found;
}

function escapeHTML(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The highlighted copy of `text` as HTML. `marks` are diagnostics as { start, end, cls } in UTF-16 offsets; an
 * empty mark (a missing ';') underlines the character there, or a blank at the end of a line.
 */
export function highlightHTML(text, tokens, marks) {
  const n = text.length;
  const spans = marks.map((m) => {
    let { start, end } = m;
    if (end <= start) {
      // One whole character (both halves of a surrogate pair) to underline, or a blank at a line's end.
      const code = text.charCodeAt(start);
      end = start < n && text[start] !== "\n" ? start + (code >= 0xd800 && code <= 0xdbff ? 2 : 1) : start;
    }
    return { start, end, cls: m.cls + (m.current ? " d-current" : "") };
  });
  const cuts = new Set([0, n]);
  for (const t of tokens) {
    cuts.add(t[0]);
    cuts.add(t[1]);
  }
  for (const s of spans) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = Array.from(cuts).filter((x) => x >= 0 && x <= n).sort((a, b) => a - b);
  let out = "";
  let ti = 0;
  for (let p = 0; p < points.length; p++) {
    const a = points[p];
    // Zero-width marks (at a line end or the end of the file) get a blank to underline.
    for (const s of spans) {
      if (s.start === a && s.end === a) out += '<span class="' + s.cls + ' d-empty"></span>';
    }
    if (p + 1 >= points.length) break;
    const b = points[p + 1];
    while (ti < tokens.length && tokens[ti][1] <= a) ti++;
    const classes = [];
    if (ti < tokens.length && tokens[ti][0] <= a && a < tokens[ti][1]) classes.push(tokens[ti][2]);
    for (const s of spans) if (s.start <= a && a < s.end) classes.push(s.cls);
    const piece = escapeHTML(text.slice(a, b));
    out += classes.length ? '<span class="' + classes.join(" ") + '">' + piece + "</span>" : piece;
  }
  // A final newline needs a line of its own in the <pre>, as the textarea shows one.
  return out + "\n";
}
"""#
}

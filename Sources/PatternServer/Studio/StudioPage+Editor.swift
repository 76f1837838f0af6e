// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/editor.js`: the editor (a textarea over its highlighted copy, a gutter, diagnostics).
  static let editorScript = #"""
// The code editor: a plain <textarea> (so typing, selection, undo, IME and screen readers behave as the
// browser's own) over a highlighted copy in a <pre>, with line numbers and diagnostic marks in a gutter.
import { tokenize, highlightHTML, importedNames } from "./highlight.js";

export class Editor {
  /**
   * @param {HTMLTextAreaElement} area the text (id "editor")
   * @param {HTMLElement} copy the highlighted <pre> under it
   * @param {HTMLElement} gutter line numbers
   */
  constructor(area, copy, gutter) {
    this.area = area;
    this.copy = copy;
    this.gutter = gutter;
    this.libraryNames = new Set();
    this.hits = new Set();
    /** Diagnostics as UTF-16 ranges of the current text: { start, end, cls, index }. */
    this.marks = [];
    this.text = "";
    this.current = -1;
    this.tabLeaves = false;
    this.onChange = () => {};
    this.renderedLines = -1;
    this.renderedGutterKey = "";
    area.addEventListener("input", () => this.changed());
    area.addEventListener("scroll", () => this.syncScroll());
    area.addEventListener("keydown", (e) => this.keydown(e));
    new ResizeObserver(() => this.syncScroll()).observe(area);
  }

  get value() {
    return this.area.value;
  }

  /** Replaces the whole text (a load), cursor at the start; not an edit the page reports as a change. */
  set value(text) {
    this.area.value = text;
    this.area.setSelectionRange(0, 0);
    this.area.scrollTop = 0;
    this.area.scrollLeft = 0;
    this.text = this.area.value;
    this.marks = [];
    this.refresh();
  }

  /** Instrument names and kit sounds the highlighter colours (from /api/instruments). */
  setVocabulary(names, hits) {
    this.libraryNames = names;
    this.hits = hits;
    this.refresh();
  }

  changed() {
    this.mapMarks(this.text, this.value);
    this.text = this.value;
    this.refresh();
    this.onChange(this.value);
  }

  /**
   * Carries the marks through an edit until the next parse replaces them: marks after the edited stretch move
   * with the text, marks it touched go (the parse of the new text decides about them).
   */
  mapMarks(before, after) {
    if (!this.marks.length) return;
    const max = Math.min(before.length, after.length);
    let prefix = 0;
    while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (
      suffix < max - prefix &&
      before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
    ) suffix++;
    const editedEnd = before.length - suffix;
    const delta = after.length - before.length;
    this.marks = this.marks
      .filter((m) => m.end <= prefix || m.start >= editedEnd)
      .map((m) => (m.start >= editedEnd && m.end > prefix ? { ...m, start: m.start + delta, end: m.end + delta } : m));
  }

  refresh() {
    const text = this.value;
    const names = new Set([...this.libraryNames, ...importedNames(text)]);
    const marks = this.marks.map((m) => ({ ...m, current: m.index === this.current }));
    this.copy.innerHTML = highlightHTML(text, tokenize(text, names, this.hits), marks);
    this.renderGutter(text);
    this.syncScroll();
  }

  renderGutter(text) {
    const starts = [0];
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    const lines = starts.length;
    const lineOf = (offset) => {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo + 1;
    };
    const worst = new Map();
    for (const m of this.marks) {
      const line = lineOf(m.start);
      if (m.cls === "d-error" || !worst.has(line)) worst.set(line, m.cls === "d-error" ? "error" : "warning");
    }
    const key = lines + "|" + [...worst].join(";");
    if (key === this.renderedGutterKey) return;
    this.renderedGutterKey = key;
    const parts = [];
    for (let n = 1; n <= lines; n++) {
      const sev = worst.get(n);
      parts.push(sev ? '<div class="' + sev + '">' + n + "</div>" : "<div>" + n + "</div>");
    }
    // Room for the scroll bar's height so the last number stays beside the last line.
    parts.push("<div></div>");
    this.gutter.innerHTML = parts.join("");
  }

  syncScroll() {
    // The copy's view is the textarea's minus its scroll bars, so both scroll exactly as far.
    const area = this.area;
    const right = area.offsetWidth - area.clientWidth + "px";
    const bottom = area.offsetHeight - area.clientHeight + "px";
    if (this.copy.style.right !== right) this.copy.style.right = right;
    if (this.copy.style.bottom !== bottom) this.copy.style.bottom = bottom;
    this.copy.scrollTop = this.area.scrollTop;
    this.copy.scrollLeft = this.area.scrollLeft;
    this.gutter.scrollTop = this.area.scrollTop;
  }

  /** Shows diagnostics (the API's objects: line, column, endLine, endColumn 1-based, columns in code points). */
  setDiagnostics(list) {
    this.marks = (list || []).map((d, index) => ({
      start: this.offsetOf(d.line, d.column),
      end: this.offsetOf(d.endLine || d.line, d.endColumn || d.column),
      cls: d.severity === "error" ? "d-error" : "d-warning",
      index,
    }));
    this.current = -1;
    this.refresh();
  }

  /** The UTF-16 offset of a 1-based line and code-point column (clamped to the text). */
  offsetOf(line, column) {
    const text = this.value;
    let offset = 0;
    for (let l = 1; l < line; l++) {
      const next = text.indexOf("\n", offset);
      if (next < 0) return text.length;
      offset = next + 1;
    }
    for (let c = 1; c < column && offset < text.length && text[offset] !== "\n"; c++) {
      const code = text.charCodeAt(offset);
      offset += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
    }
    return offset;
  }

  /** Moves the cursor to a place (selecting to the end place when given), scrolls it into view, focuses. */
  goTo(line, column, endLine, endColumn, index = -1) {
    const start = this.offsetOf(line, column);
    const end = endLine ? Math.max(start, this.offsetOf(endLine, endColumn)) : start;
    this.current = index;
    this.area.focus({ preventScroll: true });
    this.area.setSelectionRange(start, end);
    const lineHeight = parseFloat(getComputedStyle(this.area).lineHeight) || 20;
    const top = (line - 1) * lineHeight;
    if (top < this.area.scrollTop || top > this.area.scrollTop + this.area.clientHeight - 2 * lineHeight) {
      this.area.scrollTop = Math.max(0, top - this.area.clientHeight / 3);
    }
    const charWidth = this.charWidth();
    const left = (column - 1) * charWidth;
    if (left < this.area.scrollLeft || left > this.area.scrollLeft + this.area.clientWidth - 4 * charWidth) {
      this.area.scrollLeft = Math.max(0, left - this.area.clientWidth / 3);
    }
    this.refresh();
  }

  charWidth() {
    if (!this.measured) {
      const probe = document.createElement("span");
      probe.textContent = "0".repeat(40);
      this.copy.appendChild(probe);
      this.measured = probe.getBoundingClientRect().width / 40 || 8;
      probe.remove();
    }
    return this.measured;
  }

  /** Replaces [start, end) with text through the browser's editing (so Ctrl+Z undoes it), then selects. */
  replace(start, end, text, selStart, selEnd) {
    const area = this.area;
    area.focus({ preventScroll: true });
    area.setSelectionRange(start, end);
    const done = text === "" ? document.execCommand("delete") : document.execCommand("insertText", false, text);
    if (!done) {
      area.setRangeText(text, start, end, "end");
      this.changed();
    }
    if (selStart !== undefined) area.setSelectionRange(selStart, selEnd === undefined ? selStart : selEnd);
  }

  /** Inserts text at the cursor (over the selection). */
  insert(text) {
    const { selectionStart: s, selectionEnd: e } = this.area;
    this.replace(s, e, text, s + text.length);
  }

  /** Adds a line at the top of the file, keeping the cursor where it was in the text. */
  prependLine(line) {
    const { selectionStart: s, selectionEnd: e } = this.area;
    const added = line + "\n";
    this.replace(0, 0, added, s + added.length, e + added.length);
  }

  /** The whole lines the selection touches: [start, end) offsets. */
  selectedLines() {
    const text = this.value;
    const { selectionStart: s, selectionEnd: e } = this.area;
    const start = text.lastIndexOf("\n", s - 1) + 1;
    const last = e > s && text[e - 1] === "\n" ? e - 1 : e;
    let end = text.indexOf("\n", last);
    if (end < 0) end = text.length;
    return [start, end];
  }

  /** Ctrl+/: comments the selected lines with `// `, or uncomments them when every non-blank one is. */
  toggleComment() {
    const [start, end] = this.selectedLines();
    const lines = this.value.slice(start, end).split("\n");
    const filled = lines.filter((l) => l.trim() !== "");
    const commented = filled.length > 0 && filled.every((l) => /^\s*\/\//.test(l));
    const indent = Math.min(...filled.map((l) => l.match(/^\s*/)[0].length), 1e9);
    const out = lines.map((l) => {
      if (l.trim() === "") return l;
      if (commented) return l.replace(/^(\s*)\/\/ ?/, "$1");
      return l.slice(0, indent) + "// " + l.slice(indent);
    });
    const text = out.join("\n");
    this.replace(start, end, text, start, start + text.length);
  }

  /** Tab / Shift+Tab over a selection of lines: two spaces in or out. */
  indentLines(outdent) {
    const [start, end] = this.selectedLines();
    const lines = this.value.slice(start, end).split("\n");
    const out = lines.map((l) => (outdent ? l.replace(/^ {1,2}|^\t/, "") : l === "" ? l : "  " + l));
    const text = out.join("\n");
    this.replace(start, end, text, start, start + text.length);
  }

  keydown(e) {
    const mod = e.ctrlKey || e.metaKey;
    // A modifier on its own (the Shift of Shift+Tab) changes nothing.
    if (e.key === "Shift" || e.key === "Control" || e.key === "Alt" || e.key === "Meta") return;
    if (e.key === "Escape") {
      // The next Tab leaves the editor (keyboard users must never be trapped in it).
      this.tabLeaves = true;
      return;
    }
    if (e.key === "Tab" && !mod && !e.altKey) {
      if (this.tabLeaves) {
        this.tabLeaves = false;
        return;
      }
      e.preventDefault();
      const { selectionStart: s, selectionEnd: end } = this.area;
      if (e.shiftKey || this.value.slice(s, end).includes("\n")) this.indentLines(e.shiftKey);
      else this.insert("  ");
      return;
    }
    this.tabLeaves = false;
    if (mod && (e.key === "/" || e.code === "Slash")) {
      e.preventDefault();
      this.toggleComment();
    } else if (e.key === "Enter" && !mod && !e.shiftKey && !e.altKey && !e.isComposing) {
      // Keep the line's indentation; one step more after an opening brace.
      const s = this.area.selectionStart;
      const text = this.value;
      const lineStart = text.lastIndexOf("\n", s - 1) + 1;
      const before = text.slice(lineStart, s);
      let indent = before.match(/^[ \t]*/)[0];
      if (/\{\s*$/.test(before)) indent += "  ";
      e.preventDefault();
      this.insert("\n" + indent);
    }
  }
}
"""#
}

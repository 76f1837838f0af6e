// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/problems.js`: the problems list under the editor.
  static let problemsScript = #"""
// The problems list: one entry per diagnostic (data-line and data-col, 1-based as the API reports them) that
// moves the editor's cursor to its place; "No problems." when the code is valid.

export class Problems {
  /**
   * @param {HTMLElement} list the <ul id="diagnostics">
   * @param {HTMLElement} count the label with the number of errors and warnings
   * @param {import("./editor.js").Editor} editor
   */
  constructor(list, count, editor) {
    this.list = list;
    this.count = count;
    this.editor = editor;
    this.diagnostics = [];
  }

  /** Shows the API's diagnostics: underlines and gutter marks in the editor, one entry each in the list. */
  show(diagnostics) {
    this.diagnostics = diagnostics || [];
    this.editor.setDiagnostics(this.diagnostics);
    const ul = this.list;
    ul.textContent = "";
    const errors = this.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = this.diagnostics.length - errors;
    const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");
    this.count.textContent = this.diagnostics.length
      ? "\u2014 " + plural(errors, "error") + ", " + plural(warnings, "warning")
      : "";
    if (!this.diagnostics.length) {
      const li = document.createElement("li");
      li.className = "clean";
      li.textContent = "No problems.";
      ul.appendChild(li);
      return;
    }
    this.diagnostics.forEach((d, i) => ul.appendChild(this.entry(d, i)));
  }

  entry(d, index) {
    const li = document.createElement("li");
    li.className = d.severity === "error" ? "error" : "warning";
    li.dataset.line = d.line;
    li.dataset.col = d.column;
    li.tabIndex = 0;
    li.setAttribute("role", "button");
    li.setAttribute("aria-label", d.severity + " at line " + d.line + ", column " + d.column + ": " + d.message);
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = d.line + ":" + d.column;
    const severity = document.createElement("span");
    severity.className = "sev";
    severity.textContent = d.severity + ": ";
    li.append(where, severity, document.createTextNode(d.message));
    if (d.hint) {
      const hint = document.createElement("span");
      hint.className = "hint";
      hint.textContent = "hint: " + d.hint;
      li.appendChild(hint);
    }
    const go = () => this.editor.goTo(d.line, d.column, d.endLine, d.endColumn, index);
    li.addEventListener("click", go);
    li.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        go();
      }
    });
    return li;
  }

  /** Alt+↓ / Alt+↑: the next (1) or previous (−1) problem after the cursor, wrapping around. */
  step(direction) {
    const list = this.diagnostics;
    if (!list.length) return;
    const editor = this.editor;
    const here = editor.area.selectionStart;
    const at = (d) => editor.offsetOf(d.line, d.column);
    const ordered = direction > 0 ? list : [...list].reverse();
    const next = ordered.find((d) => (direction > 0 ? at(d) > here : at(d) < here)) || ordered[0];
    editor.goTo(next.line, next.column, next.endLine, next.endColumn, list.indexOf(next));
  }
}
"""#
}

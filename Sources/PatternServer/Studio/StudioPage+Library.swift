// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/library.js`: the instrument panel.
  static let libraryScript = #"""
// The instrument panel: every name /api/instruments lists, with its range or its kit sounds; activating one
// inserts the name at the cursor (and the import line the song needs, when the name is not built in).

const pitch = /^[A-G](#|b)?-?\d+$/;

/** An identifier a SoundFont preset can be imported as (`FluidR3_GM#0` → `fluidr3_gm_0`). */
export function aliasFor(name) {
  const alias = name.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return /^[a-z_]/.test(alias) ? alias : "i_" + alias;
}

export class InstrumentPanel {
  /**
   * @param {HTMLElement} list the <ul id="instruments">
   * @param {HTMLInputElement} filter the filter box
   * @param {Set<string>} builtins names a song may use without an import
   * @param {(name: string, importLine: string|null) => void} onPick
   */
  constructor(list, filter, builtins, onPick) {
    this.list = list;
    this.filter = filter;
    this.builtins = builtins;
    this.onPick = onPick;
    this.entries = [];
    filter.addEventListener("input", () => this.show());
  }

  /** Loads the listing; returns { names, hits } for the highlighter, or { error }. */
  load(listing) {
    this.entries = Object.keys(listing).map((name) => {
      const notes = listing[name] || [];
      const kit = notes.length > 0 && !notes.every((n) => pitch.test(n));
      const range = kit ? notes.length + " sounds" : notes.length ? notes[0] + "\u2013" + notes[notes.length - 1] : "";
      return { name, notes, kit, range, font: name.includes("#") ? name.slice(0, name.indexOf("#")) : null };
    });
    this.show();
    const hits = new Set();
    for (const e of this.entries) if (e.kit) for (const n of e.notes) if (!pitch.test(n)) hits.add(n);
    return { names: new Set(this.entries.filter((e) => !e.font).map((e) => e.name)), hits };
  }

  show() {
    const query = this.filter.value.trim().toLowerCase();
    const list = this.list;
    list.textContent = "";
    const groups = new Map();
    for (const e of this.entries) {
      if (query && !e.name.toLowerCase().includes(query)) continue;
      const group = e.font ? "SoundFont " + e.font : this.builtins.has(e.name) ? "Built in" : "Library (imported)";
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group).push(e);
    }
    if (groups.size === 0) {
      const li = document.createElement("li");
      li.className = "group";
      li.textContent = this.entries.length ? "No instrument matches." : "No instruments listed.";
      list.appendChild(li);
      return;
    }
    for (const [group, entries] of groups) {
      const head = document.createElement("li");
      head.className = "group";
      head.textContent = group;
      head.setAttribute("role", "presentation");
      list.appendChild(head);
      for (const e of entries) {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.name = e.name;
        const what = e.kit ? "kit: " + e.notes.slice(0, 12).join(", ") : "plays " + e.range;
        button.setAttribute("aria-label", "Insert " + e.name + " (" + what + ")");
        button.title = what;
        const name = document.createElement("span");
        name.className = "inst-name";
        name.textContent = e.name;
        const range = document.createElement("span");
        range.className = "inst-range";
        range.textContent = e.range;
        button.append(name, range);
        button.addEventListener("click", () => this.pick(e));
        li.appendChild(button);
        list.appendChild(li);
      }
    }
  }

  pick(entry) {
    if (this.builtins.has(entry.name)) return this.onPick(entry.name, null);
    // A module named like an identifier is imported under its own name; others (`upright-bass`, a SoundFont
    // preset `FluidR3_GM#0`) under one made from it.
    const alias = /^[A-Za-z_][A-Za-z0-9_]*$/.test(entry.name) ? entry.name : aliasFor(entry.name);
    this.onPick(alias, "import " + alias + " from " + JSON.stringify(entry.name) + ";");
  }
}
"""#
}

// The review page: shows the state from /api/doc, sends actions to /api/action.
// Every text from the file is put in the page with textContent / text nodes,
// never parsed as HTML.  Flags, term spans and counts come from the server.
"use strict";

(function () {
  const $ = (selector) => document.querySelector(selector);

  const view = {
    data: null, // the last state from the server
    filter: "all", // all | flagged | unreviewed
    currentId: null,
    currentIndex: 0, // position in the visible list, used when the current id goes away
    editing: null, // id of the pair being edited
    busy: false,
    query: "", // the search box
    autoFocus: false, // true while the page itself moves the focus (not a cursor the reviewer placed)
  };

  const STATUS_LABEL = { unreviewed: "to review", approved: "approved", rejected: "rejected" };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function say(text, kind) {
    const box = $("#message");
    box.textContent = text;
    box.className = "message show" + (kind === "error" ? " error" : "");
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { box.className = "message"; }, kind === "error" ? 8000 : 2500);
  }

  // ---- state --------------------------------------------------------------

  // A text as the search compares it: case folded, and Arabic folded as the
  // glossary matches it (alef and hamza forms, yeh, teh marbuta, Persian
  // letters, harakat): the server sends the character map (data.fold).
  function folded(text) {
    const fold = (view.data && view.data.fold) || {};
    let out = "";
    for (const ch of (text || "").normalize("NFKC")) out += ch in fold ? fold[ch] : ch;
    return out.toLowerCase();
  }

  // A pair matches the search when its Arabic or English holds the query, or
  // one of its glossary terms does (Arabic, English or entry), folded.
  function matchesQuery(pair) {
    const query = folded(view.query).trim();  // folded first: an invisible mark before a space goes
    if (!query) return true;
    const texts = [pair.source, pair.target];
    for (const term of pair.terms || []) texts.push(term.source, term.en, term.entry);
    return texts.some((text) => folded(text).includes(query));
  }

  function visible() {
    let pairs = view.data ? view.data.pairs : [];
    if (view.filter === "flagged") pairs = pairs.filter((p) => p.flags.length > 0);
    if (view.filter === "unreviewed") pairs = pairs.filter((p) => p.status === "unreviewed");
    return pairs.filter(matchesQuery);
  }

  function syncCurrent(list) {
    let index = list.findIndex((p) => p.id === view.currentId);
    if (index < 0) index = Math.min(view.currentIndex, list.length - 1);
    if (index < 0) {
      view.currentId = null;
      return -1;
    }
    view.currentIndex = index;
    view.currentId = list[index].id;
    return index;
  }

  function currentPair() {
    const list = visible();
    const index = syncCurrent(list);
    return index < 0 ? null : list[index];
  }

  async function load() {
    try {
      const res = await fetch("/api/doc", { cache: "no-store" });
      const payload = await res.json();
      if (!res.ok) throw new Error(payload.error || "HTTP " + res.status);
      view.data = payload;
      render();
    } catch (err) {
      say("Cannot load the document: " + err.message, "error");
    }
  }

  // Send one request (an action, or an entry for the glossary); on a refusal
  // other than a stale version, onRefused(message) is told, else say() shows it.
  async function post(body, url, onRefused) {
    if (view.busy || !view.data) return false;
    view.busy = true;
    try {
      const res = await fetch(url || "/api/action", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(Object.assign({}, body, { version: view.data.version })),
        cache: "no-store",
      });
      const payload = await res.json().catch(() => ({ error: "HTTP " + res.status }));
      if (res.ok) {
        view.data = payload;
        return true;
      }
      if (res.status === 409) {
        view.editing = null;
        closeAddForm();
        await load();
        say("The file changed in another tab; this is the latest version. Please repeat your action.", "error");
        return false;
      }
      (onRefused || ((text) => say(text, "error")))(payload.error || "HTTP " + res.status);
      return false;
    } catch (err) {
      say("Cannot reach the review server: " + err.message, "error");
      return false;
    } finally {
      view.busy = false;
    }
  }

  // ---- rendering ----------------------------------------------------------

  function highlighted(text, spans) {
    const out = document.createDocumentFragment();
    const chars = Array.from(text); // the server's offsets count code points
    let pos = 0;
    for (const [start, end, status, en, entry, extra] of spans) {
      if (start < pos || end > chars.length) continue;
      if (start > pos) out.append(chars.slice(pos, start).join(""));
      const mark = el("mark", "term term-" + status, chars.slice(start, end).join(""));
      const more = extra || {};
      mark.title = en + " — " + status + (entry ? " (glossary: " + entry + ")" : "")
        + (more.via ? "; short form of " + more.via : "")
        + (more.ambiguous ? "; ambiguous: more than one entity could be meant, check it" : "");
      if (more.ambiguous) mark.classList.add("term-ambiguous");
      if (more.via) mark.classList.add("term-short");
      out.append(mark);
      pos = end;
    }
    if (pos < chars.length) out.append(chars.slice(pos).join(""));
    return out;
  }

  function sideCell(pair, side) {
    const arabic = side === "source";
    const cell = el("div", "side " + (arabic ? "ar" : "en"));
    cell.lang = arabic ? "ar" : "en";
    cell.dir = arabic ? "auto" : "ltr";  // Arabic side from its text: a caption copied in English reads left to right
    const text = el("p", "text");
    if (pair[side]) text.append(highlighted(pair[side], pair.highlights[side]));
    else {
      text.classList.add("blank");
      text.textContent = arabic ? "(no Arabic)" : "(no English)";
    }
    cell.append(text);
    const original = pair["original_" + side];
    if (original !== null && original !== undefined) {
      const machine = el("p", "machine");
      const label = el("span", "machine-label", "machine");
      label.lang = "en";
      // "": the second part of a split edited side; its machine text went to the first part
      machine.append(label, " ", original || "(with the part before: split after an edit)");
      cell.append(machine);
    }
    return cell;
  }

  function button(label, title, onClick, className) {
    const b = el("button", className || "", label);
    b.type = "button";
    b.title = title;
    b.setAttribute("aria-label", title);
    b.addEventListener("click", (ev) => {
      ev.stopPropagation();
      onClick();
    });
    return b;
  }

  function editCells(pair) {
    const cells = [];
    for (const side of ["target", "source"]) {
      const arabic = side === "source";
      const cell = el("div", "side editing " + (arabic ? "ar" : "en"));
      const area = el("textarea");
      area.value = pair[side];
      area.dir = arabic ? "auto" : "ltr";
      // Split needs a cursor the reviewer put in each side, not one left at the end.
      const placed = () => { if (!view.autoFocus) area.dataset.placed = "1"; };
      for (const kind of ["focus", "mousedown", "keydown"]) area.addEventListener(kind, placed);
      area.lang = arabic ? "ar" : "en";
      area.dataset.side = side;
      area.spellcheck = !arabic;
      area.setAttribute("aria-label", arabic ? "Arabic text" : "English text");
      cell.append(area);
      cells.push(cell);
    }
    const bar = el("div", "editbar");
    bar.append(
      button("Save", "Save (Ctrl+Enter)", saveEdit, "primary save"),
      button("Split at cursor", "Split this pair where the cursor is on each side (Alt+S)", splitAtCursor, "split"),
      button("Cancel", "Cancel (Esc)", cancelEdit, "cancel"),
      el("span", "hint", "To split, put the cursor where each side should break, then press Split at cursor.")
    );
    cells.push(bar);
    return cells;
  }

  function renderPair(pair) {
    const row = el("article", "pair status-" + pair.status);
    row.dataset.id = pair.id;
    if (pair.edited) row.classList.add("edited");
    if (pair.flags.length) row.classList.add("flagged");

    const gutter = el("div", "gutter");
    gutter.append(el("span", "pid", "#" + pair.id));
    gutter.append(el("span", "badge badge-" + pair.status, STATUS_LABEL[pair.status] || pair.status));
    if (pair.edited) gutter.append(el("span", "badge badge-edited", "edited"));
    if (pair.confidence !== null && pair.confidence !== undefined) {
      const low = pair.flags.some((f) => f.code === "low-confidence");  // the server's threshold
      const conf = el("span", "confidence" + (low ? " low" : ""), pair.confidence.toFixed(2));
      conf.title = "alignment confidence" + (pair.type ? " (" + pair.type + ")" : "");
      gutter.append(conf);
    }
    const last = pair.history.length ? pair.history[pair.history.length - 1] : null;
    if (last) gutter.title = "last: " + last.action + " at " + last.at;
    const actions = el("div", "actions");
    actions.append(
      button("✓", "Approve (a)", () => { select(pair.id); setStatus("approve"); }, "approve"),
      button("✗", "Reject (r)", () => { select(pair.id); setStatus("reject"); }, "reject"),
      button("✎", "Edit (e)", () => { select(pair.id); startEdit(); }, "edit"),
      button("⇣", "Merge with next (m)", () => { select(pair.id); mergeNext(); }, "merge")
    );
    gutter.append(actions);
    row.append(gutter);

    if (view.editing === pair.id) row.append(...editCells(pair));
    else row.append(sideCell(pair, "target"), sideCell(pair, "source"));

    if (pair.flags.length) {
      const list = el("ul", "flags");
      for (const flag of pair.flags) list.append(el("li", "flag flag-" + flag.code, flag.message));
      row.append(list);
    }
    row.addEventListener("click", () => { if (!view.editing) select(pair.id); });
    row.addEventListener("dblclick", (ev) => {
      if (view.editing || ev.target.closest("button")) return;
      select(pair.id);
      startEdit();
    });
    return row;
  }

  function renderCounts(counts) {
    const box = $("#counts");
    const chip = (kind, n) => {
      const c = el("span", "count count-" + kind);
      c.append(el("b", null, String(n)), " " + kind);
      return c;
    };
    box.replaceChildren(
      chip("approved", counts.approved),
      chip("rejected", counts.rejected),
      chip("edited", counts.edited),
      chip("left", counts.left),
      el("span", "total", "of " + counts.total)
    );
    const done = counts.total ? (counts.total - counts.left) / counts.total : 0;
    $("#progress").style.width = (done * 100).toFixed(1) + "%";
  }

  function render() {
    const data = view.data;
    if (!data) return;
    document.body.dataset.version = String(data.version);
    document.title = "Review · " + (data.meta.doc || data.file);
    $("#doc").textContent = data.meta.doc || data.file;
    $("#doc").title = data.file;
    renderCounts(data.counts);
    const undo = $("#undo");
    undo.disabled = !data.undo;
    undo.textContent = data.undo ? "Undo " + data.undo : "Undo";
    for (const b of document.querySelectorAll(".filters button")) {
      b.classList.toggle("on", b.dataset.filter === view.filter);
      b.setAttribute("aria-pressed", String(b.dataset.filter === view.filter));
    }
    const list = visible();
    const index = syncCurrent(list);
    const rows = list.map(renderPair);
    if (index >= 0) rows[index].classList.add("current");
    $("#pairs").replaceChildren(...rows);
    $("#empty").hidden = list.length > 0;
    if (view.editing) {
      const area = document.querySelector('.pair textarea[data-side="target"]');
      if (area) focusQuietly(area, area.value.length);
    }
  }

  // Focus a textarea without counting it as a cursor the reviewer placed.
  function focusQuietly(area, at) {
    view.autoFocus = true;
    try {
      area.focus();
      area.setSelectionRange(at, at);
    } finally {
      view.autoFocus = false;
    }
  }

  function markCurrent() {
    for (const row of document.querySelectorAll(".pair.current")) row.classList.remove("current");
    const row = rowOf(view.currentId);
    if (row) {
      row.classList.add("current");
      showBelowHeader(row);
    }
  }

  // Scroll a row fully into view below the sticky header (whose height
  // changes as its bar wraps on a narrow screen), or as much of it as fits.
  function showBelowHeader(row) {
    const header = document.querySelector("header.top");
    const top = header ? header.getBoundingClientRect().bottom : 0;
    const box = row.getBoundingClientRect();
    const gap = 8;
    if (box.top < top + gap) {
      window.scrollBy(0, box.top - top - gap);
    } else if (box.bottom > window.innerHeight - gap) {
      // as far down as it goes, but never its first line under the header
      window.scrollBy(0, Math.min(box.bottom - window.innerHeight + gap, box.top - top - gap));
    }
  }

  // ---- actions ------------------------------------------------------------

  function select(id) {
    view.currentId = id;
    syncCurrent(visible());
    markCurrent();
  }

  function move(delta) {
    const list = visible();
    const index = syncCurrent(list);
    if (index < 0) return;
    const next = Math.max(0, Math.min(list.length - 1, index + delta));
    select(list[next].id);
  }

  async function setStatus(kind) {
    const list = visible();
    const index = syncCurrent(list);
    if (index < 0) return;
    const pair = list[index];
    const next = list[index + 1];
    if (!(await post({ action: kind, id: pair.id }))) return;
    view.currentId = next ? next.id : pair.id;
    render();
    markCurrent();
    say((kind === "approve" ? "Approved #" : "Rejected #") + pair.id);
  }

  async function mergeNext() {
    const pair = currentPair();
    if (!pair) return;
    if (!(await post({ action: "merge", id: pair.id }))) return;
    view.currentId = null;
    render();
    markCurrent();
    say("Merged #" + pair.id + " with the next pair");
  }

  async function undoLast() {
    const what = view.data && view.data.undo;
    if (!what) {
      say("Nothing to undo");
      return;
    }
    if (!(await post({ action: "undo" }))) return;
    render();
    markCurrent();
    say("Undid " + what);
  }

  function startEdit(forSplit) {
    const pair = currentPair();
    if (!pair) return;
    view.editing = pair.id;
    render();
    if (forSplit) say("Put the cursor where each side should break, then press Split at cursor (Alt+S)");
  }

  function cancelEdit() {
    $("#message").className = "message";
    view.editing = null;
    render();
    markCurrent();
  }

  function rowOf(id) {
    return [...document.querySelectorAll(".pair")].find((r) => r.dataset.id === id);
  }

  function editAreas() {
    const row = rowOf(view.editing);
    return {
      source: row.querySelector('textarea[data-side="source"]'),
      target: row.querySelector('textarea[data-side="target"]'),
    };
  }

  function pairById(id) {
    return view.data.pairs.find((p) => p.id === id);
  }

  function editBody(pair, areas) {
    const body = { action: "edit", id: pair.id };
    for (const side of ["source", "target"]) {
      if (areas[side].value.trim() !== pair[side]) body[side] = areas[side].value;
    }
    return "source" in body || "target" in body ? body : null;
  }

  async function saveEdit() {
    const pair = pairById(view.editing);
    if (!pair) return cancelEdit();
    const body = editBody(pair, editAreas());
    if (body && !(await post(body))) return;
    view.editing = null;
    render();
    markCurrent();
    if (body) say("Saved #" + pair.id);
  }

  // The cursor's offset in code points into the text as the server will store it (trimmed).
  function caretOffset(area) {
    const value = area.value;
    const lead = value.length - value.trimStart().length;
    const trimmed = value.trim();
    const pos = Math.max(0, Math.min(trimmed.length, area.selectionStart - lead));
    return Array.from(trimmed.slice(0, pos)).length;
  }

  async function splitAtCursor() {
    const pair = pairById(view.editing);
    if (!pair) return cancelEdit();
    const areas = editAreas();
    for (const [side, name] of [["source", "Arabic"], ["target", "English"]]) {
      const area = areas[side];
      if (area.value.trim() && !area.dataset.placed) {
        say("Put the cursor in the " + name + " box where the " + name + " should break, then press Split at cursor (Alt+S)");
        focusQuietly(area, area.selectionStart);
        return;
      }
    }
    const offsets = { source_offset: caretOffset(areas.source), target_offset: caretOffset(areas.target) };
    const body = editBody(pair, areas);
    if (body && !(await post(body))) return;
    if (!(await post(Object.assign({ action: "split", id: pair.id }, offsets)))) {
      if (body) {
        view.editing = null;
        render();
      }
      return;
    }
    view.editing = null;
    view.currentId = null;
    render();
    markCurrent();
    say("Split #" + pair.id);
  }

  // ---- add to glossary ----------------------------------------------------

  // The selected text and the pair and side it lies in, or null.
  function selectionInPair() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    const text = sel.toString().trim();
    const node = sel.getRangeAt(0).commonAncestorContainer;
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const side = element && element.closest(".side");
    const row = element && element.closest(".pair");
    if (!text || !side || !row || side.classList.contains("editing")) return null;
    return { id: row.dataset.id, side: side.classList.contains("ar") ? "source" : "target", text: text };
  }

  const adding = { pairId: null, english: null }; // the open form's pair; the last English selected per pair

  function openAddForm() {
    const picked = selectionInPair();
    if (!picked || picked.side !== "source") {
      say("Select an Arabic name in a pair first (and, if you like, its English), then press g", "error");
      return;
    }
    if (!view.data.glossary) {
      say("No glossary to add to: start mt review with --glossary FILE", "error");
      return;
    }
    select(picked.id);
    adding.pairId = picked.id;
    const form = $("#add-term");
    form.elements.ar.value = picked.text;
    const english = adding.english && adding.english.id === picked.id ? adding.english.text : "";
    form.elements.en.value = english;
    $("#add-term-glossary").textContent = view.data.glossary;
    $("#add-term-error").textContent = "";
    $("#message").className = "message";  // a hint from before ("Select an Arabic name …") no longer applies
    form.hidden = false;
    form.elements.en.focus();  // Enter there saves
  }

  function closeAddForm() {
    const form = $("#add-term");
    if (!form || form.hidden) return;
    if (form.contains(document.activeElement)) document.activeElement.blur();  // the page's keys work again
    form.hidden = true;
    adding.pairId = null;
  }

  async function saveAddForm() {
    const form = $("#add-term");
    const body = {
      ar: form.elements.ar.value,
      en: form.elements.en.value,
      type: form.elements.type.value,
      id: adding.pairId,
    };
    const refused = (text) => {
      $("#add-term-error").textContent = text;
      form.elements.ar.focus();
    };
    if (!(await post(body, "/api/glossary", refused))) return;
    closeAddForm();
    render();
    markCurrent();
    say(view.data.message || "Added to the glossary");
  }

  // An English selection in a pair fills the open form's English (or waits for it).
  document.addEventListener("selectionchange", () => {
    const picked = selectionInPair();
    if (!picked || picked.side !== "target") return;
    adding.english = { id: picked.id, text: picked.text };
    const form = $("#add-term");
    if (form && !form.hidden && adding.pairId === picked.id) form.elements.en.value = picked.text;
  });

  // ---- wiring -------------------------------------------------------------

  const KEYS = {
    "/": () => $("#search").focus(),
    j: () => move(1),
    ArrowDown: () => move(1),
    k: () => move(-1),
    ArrowUp: () => move(-1),
    a: () => setStatus("approve"),
    r: () => setStatus("reject"),
    e: () => startEdit(false),
    s: () => startEdit(true),
    m: () => mergeNext(),
    u: () => undoLast(),
    g: () => openAddForm(),
  };

  document.addEventListener("keydown", (ev) => {
    if (view.editing) {
      if (ev.key === "Escape") {
        ev.preventDefault();
        cancelEdit();
      } else if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        saveEdit();
      } else if (ev.altKey && (ev.key === "s" || ev.key === "S")) {
        ev.preventDefault();
        splitAtCursor();
      }
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const target = ev.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target.isContentEditable) return;
    const handler = KEYS[ev.key];
    if (!handler) return;
    ev.preventDefault();
    handler();
  });

  document.addEventListener("DOMContentLoaded", () => {
    for (const b of document.querySelectorAll(".filters button")) {
      b.addEventListener("click", () => {
        view.filter = b.dataset.filter;
        view.editing = null;
        render();
        markCurrent();
        b.blur();
      });
    }
    $("#undo").addEventListener("click", () => undoLast());
    const form = $("#add-term");
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      saveAddForm();
    });
    form.addEventListener("keydown", (ev) => {
      ev.stopPropagation();  // the page's keys are not for the form's fields
      if (ev.key === "Escape") {
        ev.preventDefault();
        closeAddForm();
      }
    });
    $("#add-term-cancel").addEventListener("click", () => closeAddForm());
    $("#search").addEventListener("input", (ev) => {
      view.query = ev.target.value;
      render();
      markCurrent();
    });
    // Esc empties the search and gives the keys back to the page: the next
    // j moves to the next pair instead of being typed into the box.
    $("#search").addEventListener("keydown", (ev) => {
      if (ev.key !== "Escape") return;
      ev.preventDefault();
      ev.target.value = "";
      view.query = "";
      render();
      markCurrent();
      ev.target.blur();
    });
    load();
  });
})();

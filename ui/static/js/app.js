/* Atrium: the little behaviour the server-rendered pages need.
   Loaded with <script src defer>; no inline handlers, no inline styles
   (custom properties are set through the CSSOM, which a strict CSP allows).
   Everything is delegated from document, so it survives htmx swaps. */
(function () {
  "use strict";

  var doc = document;

  function closest(el, selector) {
    return el && el.nodeType === 1 && el.closest ? el.closest(selector) : null;
  }

  /* ---------- Mobile navigation ---------- */

  function sidebarFor(toggle) {
    var id = toggle.getAttribute("aria-controls") || "sidebar";
    return doc.getElementById(id);
  }

  function setNav(toggle, open) {
    var sidebar = sidebarFor(toggle);
    if (!sidebar) return;
    sidebar.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function openToggle() {
    return doc.querySelector('button.menu-toggle[aria-expanded="true"]');
  }

  doc.addEventListener("click", function (evt) {
    var toggle = closest(evt.target, "button.menu-toggle[aria-controls]");
    if (toggle) {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      setNav(toggle, open);
      if (open) {
        var first = sidebarFor(toggle) && sidebarFor(toggle).querySelector("a[href], button");
        if (first) first.focus();
      }
      return;
    }
    // A click outside the open sidebar, or on one of its links, closes it.
    var current = openToggle();
    if (current) {
      var sidebar = sidebarFor(current);
      if (!sidebar || !sidebar.contains(evt.target) || closest(evt.target, "a[href]")) {
        setNav(current, false);
      }
    }
  });

  doc.addEventListener("keydown", function (evt) {
    if (evt.key !== "Escape") return;
    var current = openToggle();
    if (current) {
      setNav(current, false);
      current.focus();
      return;
    }
    // Escape also closes an open user menu.
    var menu = closest(doc.activeElement, "details.user-menu[open]") || doc.querySelector("details.user-menu[open]");
    if (menu) {
      menu.open = false;
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    }
  });

  // The user menu closes when focus or a click goes elsewhere.
  doc.addEventListener("click", function (evt) {
    var menus = doc.querySelectorAll("details.user-menu[open]");
    for (var i = 0; i < menus.length; i++) {
      if (!menus[i].contains(evt.target)) menus[i].open = false;
    }
  });

  /* ---------- Focus across swaps ---------- */

  // A form's button is disabled while its request runs (hx-disabled-elt),
  // which drops the keyboard's focus; when the answer brings back a button
  // with the same id, it gets the focus again.
  var refocusID = null;

  doc.addEventListener("submit", function (evt) {
    var b = evt.submitter;
    refocusID = b && b.id ? b.id : null;
  }, true);

  doc.addEventListener("htmx:afterSettle", function () {
    if (!refocusID) return;
    var el = doc.getElementById(refocusID);
    refocusID = null;
    var active = doc.activeElement;
    if (el && (!active || active === doc.body)) el.focus();
  });

  /* ---------- Toasts ---------- */

  var TOAST_MS = 4000;

  // htmx 2 dispatches HX-Trigger: {"toast": {...}} with the object itself as
  // evt.detail (plus detail.elt); a plain value arrives as {value: ...}.
  function toastFrom(detail) {
    var d = detail || {};
    var v = d.value;
    if (v && typeof v === "object") d = v;
    else if (typeof v === "string" && d.message === undefined) d = { message: v };
    var message = d.message != null ? String(d.message) : "";
    var kind = String(d.kind || "success").toLowerCase().replace(/[^a-z0-9-]/g, "") || "success";
    return { message: message, kind: kind };
  }

  function showToast(message, kind) {
    var region = doc.getElementById("toasts");
    if (!region || !message) return;
    var el = doc.createElement("div");
    el.className = "toast toast-" + (kind || "success");
    el.setAttribute("role", kind === "error" ? "alert" : "status");
    el.textContent = message;
    region.appendChild(el);
    setTimeout(function () {
      el.classList.add("leaving");
      setTimeout(function () {
        if (el.parentNode) el.parentNode.removeChild(el);
      }, 250);
    }, TOAST_MS);
  }

  function onToast(evt) {
    var t = toastFrom(evt.detail);
    showToast(t.message, t.kind);
  }

  /* ---------- Confirmation ---------- */

  // Elements the user confirmed a moment ago (click/submit below), so that
  // the htmx:confirm that follows for the same element does not ask twice.
  var confirmed = typeof WeakMap === "function" ? new WeakMap() : null;

  function ask(el) {
    var q = el.getAttribute("data-confirm");
    if (!q) return true;
    var ok = window.confirm(q);
    if (ok && confirmed) confirmed.set(el, Date.now());
    return ok;
  }

  function recentlyConfirmed(el) {
    if (!confirmed) return false;
    var t = confirmed.get(el);
    if (t === undefined) return false;
    confirmed["delete"](el);
    return Date.now() - t < 2000;
  }

  function refuse(evt) {
    evt.preventDefault();
    evt.stopImmediatePropagation();
  }

  // Capture phase: runs before htmx's own listeners on the element, so a
  // refusal stops plain navigation, plain form posts and htmx requests alike.
  doc.addEventListener("click", function (evt) {
    if (evt.button !== undefined && evt.button !== 0) return;
    var el = closest(evt.target, "a[data-confirm], button[data-confirm], input[type=submit][data-confirm]");
    if (el && !el.disabled && !ask(el)) refuse(evt);
  }, true);

  doc.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!form || !form.matches || !form.matches("form[data-confirm]")) return;
    if (!ask(form)) refuse(evt);
  }, true);

  // htmx requests started by anything else (hx-trigger="change", keyup, …).
  doc.addEventListener("htmx:confirm", function (evt) {
    var el = evt.detail && evt.detail.elt;
    if (!el || !el.getAttribute || !el.hasAttribute("data-confirm")) return;
    if (recentlyConfirmed(el)) return;
    if (!window.confirm(el.getAttribute("data-confirm"))) evt.preventDefault();
  });

  /* ---------- Branding preview ---------- */

  function parseHex(value) {
    var m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(value || "").trim());
    if (!m) return null;
    var h = m[1];
    if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }

  // WCAG 2 relative luminance.
  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v = v / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  function ratio(l1, l2) {
    var hi = Math.max(l1, l2), lo = Math.min(l1, l2);
    return (hi + 0.05) / (lo + 0.05);
  }

  // Black or white, whichever reads better on the colour.
  function contrastText(rgb) {
    var l = luminance(rgb);
    return ratio(l, 0) > ratio(l, 1) ? "#000" : "#fff";
  }

  function cssEscape(s) {
    return window.CSS && CSS.escape ? CSS.escape(s) : String(s).replace(/["\\]/g, "\\$&");
  }

  // A colour as the server takes it: #RRGGBB, spaces around it ignored.
  function strictHex(value) {
    return /^#[0-9a-f]{6}$/i.test(String(value || "").trim());
  }

  // A contrast ratio as tenant.FormatRatio writes it: a whole number
  // without decimals, else one decimal cut, never rounded up to a minimum.
  function formatRatio(r) {
    if (r === Math.trunc(r)) return String(r);
    return (Math.floor(r * 10) / 10).toFixed(1);
  }

  // The note under a colour field. Its rule comes from the server in data
  // attributes (tenant.ContrastRule): the background, the minimum and the
  // sentences with {ratio}, {min} and {text}; so the live note and the
  // server's answer on save are the same sentence. Without a minimum it
  // only informs (the accent, which gets black or white text).
  function contrastNote(note, value) {
    var low = false, text = "";
    if (strictHex(value)) {
      var rgb = parseHex(value);
      var against = parseHex(note.getAttribute("data-contrast-against") || "");
      var minAttr = note.getAttribute("data-contrast-min") || "";
      var black = contrastText(rgb) === "#000";
      var l = luminance(rgb);
      var r = against ? ratio(l, luminance(against)) : ratio(l, black ? 0 : 1);
      var min = minAttr === "" ? NaN : parseFloat(minAttr);
      low = !isNaN(min) && r < min;
      text = (low ? note.getAttribute("data-contrast-message") : note.getAttribute("data-contrast-ok")) || "";
      text = text.split("{ratio}").join(formatRatio(r)).split("{min}").join(isNaN(min) ? "" : formatRatio(min))
        .split("{text}").join(black ? "black" : "white");
    } else if (String(value || "").trim() !== "") {
      low = true;
      text = note.getAttribute("data-format-message") || "";
    }
    note.textContent = text;
    note.classList.toggle("warn", low);
  }

  // live: the person is typing or picking. A field the server refused
  // keeps its message until then, without the same sentence repeated in
  // the note; once they change it, the note speaks and the stale message goes.
  function updateColor(input, live) {
    var name = input.getAttribute("data-preview-var");
    if (!name || name.slice(0, 2) !== "--") return;
    var rgb = strictHex(input.value) ? parseHex(input.value) : null;
    var preview = doc.getElementById("brand-preview");
    if (rgb && preview && preview.style && preview.style.setProperty) {
      var hex = "#" + rgb.map(function (v) { return ("0" + v.toString(16)).slice(-2); }).join("").toUpperCase();
      preview.style.setProperty(name, hex);
      preview.style.setProperty(name + "-contrast", contrastText(rgb));
    }
    if (!input.id) return;
    if (input.getAttribute("aria-invalid") === "true") {
      if (!live) return;
      input.removeAttribute("aria-invalid");
      var stale = doc.getElementById(input.id + "-error");
      if (stale) stale.hidden = true;
      var field = closest(input, ".field");
      if (field) field.classList.remove("has-error");
    }
    var notes = doc.querySelectorAll('[data-contrast-for="' + cssEscape(input.id) + '"]');
    for (var i = 0; i < notes.length; i++) contrastNote(notes[i], input.value);
  }

  function updateText(input) {
    var sel = input.getAttribute("data-preview-text");
    if (!sel) return;
    var target;
    try { target = doc.querySelector(sel); } catch (e) { return; }
    if (target) target.textContent = input.value;
  }

  function onPreviewInput(evt) {
    var el = evt.target;
    if (!el || !el.getAttribute) return;
    if (el.hasAttribute("data-preview-var")) updateColor(el, true);
    if (el.hasAttribute("data-preview-text")) updateText(el);
  }
  doc.addEventListener("input", onPreviewInput);
  doc.addEventListener("change", onPreviewInput);

  // Bring preview and contrast notes in line with the fields on page load and
  // whenever htmx swaps in new content (a re-rendered form keeps its values).
  function initPreview(root) {
    if (!root || !root.querySelectorAll) return;
    var colors = root.querySelectorAll("[data-preview-var]");
    for (var i = 0; i < colors.length; i++) updateColor(colors[i]);
    var texts = root.querySelectorAll("[data-preview-text]");
    for (var j = 0; j < texts.length; j++) updateText(texts[j]);
  }

  /* ---------- Forms ---------- */

  // The user form adapts to the chosen kind. Each part that applies to some
  // kinds only carries them in data-kinds (from app/policy, rendered by the
  // server); parts for other kinds are hidden and their fields disabled, so
  // they are not sent either. Without JavaScript every part shows, labelled
  // with its kinds, and the server refuses what does not apply.
  function applyKind(select) {
    var form = select.form;
    if (!form) return;
    var kind = select.value;
    var parts = form.querySelectorAll("[data-kinds]");
    for (var i = 0; i < parts.length; i++) {
      var kinds = parts[i].getAttribute("data-kinds");
      parts[i].hidden = kinds !== "" && kinds.split(/\s+/).indexOf(kind) < 0;
    }
    // A field in a hidden part, or in a part within one, is not sent.
    var fields = form.querySelectorAll("[data-kinds] input, [data-kinds] select, [data-kinds] textarea");
    for (var j = 0; j < fields.length; j++) {
      fields[j].disabled = !!closest(fields[j], "[data-kinds][hidden]");
    }
  }

  // A colour picker beside a #RRGGBB text field: the text field is the
  // one that is sent and works alone; the picker shows once this script
  // runs, and each follows the other.
  function pickerFor(text) {
    return text.id ? doc.querySelector('[data-color-picker-for="' + cssEscape(text.id) + '"]') : null;
  }

  function onFormInput(evt) {
    var el = evt.target;
    if (!el || !el.getAttribute) return;
    if (el.hasAttribute("data-kind-select")) {
      applyKind(el);
      return;
    }
    var textID = el.getAttribute("data-color-picker-for");
    if (textID) {
      var text = doc.getElementById(textID);
      if (!text) return;
      text.value = el.value.toUpperCase();
      updateColor(text, true);
      return;
    }
    if (el.hasAttribute("data-preview-var") && strictHex(el.value)) {
      var picker = pickerFor(el);
      if (picker) picker.value = el.value.trim().toLowerCase();
    }
  }
  doc.addEventListener("input", onFormInput);
  doc.addEventListener("change", onFormInput);

  function initForms(root) {
    if (!root || !root.querySelectorAll) return;
    var selects = root.querySelectorAll("select[data-kind-select]");
    for (var i = 0; i < selects.length; i++) applyKind(selects[i]);
    var pickers = root.querySelectorAll("[data-color-picker-for]");
    for (var j = 0; j < pickers.length; j++) {
      var text = doc.getElementById(pickers[j].getAttribute("data-color-picker-for"));
      if (text && strictHex(text.value)) pickers[j].value = text.value.trim().toLowerCase();
      pickers[j].hidden = false;
    }
  }

  /* ---------- Copy a secret ---------- */

  // A button[data-copy=ID] copies the value of the field ID (a new API
  // token). It is hidden until this script runs: without it, the field is
  // still there to select and copy by hand.
  doc.addEventListener("click", function (evt) {
    var btn = closest(evt.target, "button[data-copy]");
    if (!btn) return;
    var field = doc.getElementById(btn.getAttribute("data-copy"));
    if (!field) return;
    field.focus();
    field.select();
    var done = function () { showToast("Copied.", "success"); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, function () {});
    } else if (doc.execCommand && doc.execCommand("copy")) {
      done();
    }
  });

  function initCopy(root) {
    if (!root || !root.querySelectorAll) return;
    var btns = root.querySelectorAll("button[data-copy]");
    for (var i = 0; i < btns.length; i++) btns[i].hidden = false;
  }

  /* ---------- Print (a report's print view) ---------- */

  doc.addEventListener("click", function (evt) {
    if (closest(evt.target, "button[data-print]")) window.print();
  });

  /* ---------- Start ---------- */

  function start() {
    if (doc.body) doc.body.addEventListener("toast", onToast);
    initPreview(doc);
    initForms(doc);
    initCopy(doc);
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start);
  else start();

  doc.addEventListener("htmx:load", function (evt) {
    var el = evt.target;
    if (el && el !== doc.body) {
      initPreview(el.parentNode || el);
      initForms(el.parentNode || el);
      initCopy(el.parentNode || el);
    }
  });

  // For other scripts and for tests.
  window.Atrium = { toast: showToast, contrastText: contrastText, formatRatio: formatRatio };
})();

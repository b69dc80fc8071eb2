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
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
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

  function updateColor(input) {
    var name = input.getAttribute("data-preview-var");
    if (!name || name.slice(0, 2) !== "--") return;
    var rgb = parseHex(input.value);
    var preview = doc.getElementById("brand-preview");
    if (rgb && preview && preview.style && preview.style.setProperty) {
      var hex = "#" + rgb.map(function (v) { return ("0" + v.toString(16)).slice(-2); }).join("").toUpperCase();
      preview.style.setProperty(name, hex);
      preview.style.setProperty(name + "-contrast", contrastText(rgb));
    }
    // The hex value shown next to a colour picker.
    var row = closest(input, ".color-row");
    var code = row && row.querySelector("code");
    if (code && rgb) code.textContent = input.value;

    if (!input.id) return;
    var notes = doc.querySelectorAll('[data-contrast-for="' + cssEscape(input.id) + '"]');
    for (var i = 0; i < notes.length; i++) {
      var note = notes[i];
      if (!rgb) {
        note.textContent = "";
        note.classList.remove("warn");
        continue;
      }
      var l = luminance(rgb);
      // The primary colour is also text and buttons on white, so it is measured
      // against white. Other colours (the accent) always get black or white
      // text, whichever reads better: say which, and how well.
      var onWhite = name === "--brand";
      var black = !onWhite && contrastText(rgb) === "#000";
      var r = ratio(l, black ? 0 : 1);
      var shown = (Math.floor(r * 10) / 10).toFixed(1); // never round up past 4.5
      var low = r < 4.5;
      note.textContent = (onWhite ? "Contrast with white text: " : "Contrast with " + (black ? "black" : "white") + " text: ") +
        shown + ":1" + (low ? " — below 4.5:1, hard to read" : "");
      note.classList.toggle("warn", low);
    }
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
    if (el.hasAttribute("data-preview-var")) updateColor(el);
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

  /* ---------- Start ---------- */

  function start() {
    if (doc.body) doc.body.addEventListener("toast", onToast);
    initPreview(doc);
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start);
  else start();

  doc.addEventListener("htmx:load", function (evt) {
    var el = evt.target;
    if (el && el !== doc.body) initPreview(el.parentNode || el);
  });

  // For other scripts and for tests.
  window.Atrium = { toast: showToast, contrastText: contrastText };
})();

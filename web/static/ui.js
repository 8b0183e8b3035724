// Progressive enhancement for Quire's pages: a live countdown, times in the
// viewer's own zone, an upload progress bar and a silent session refresh.
// Every page works without this file; it only makes them nicer.
(function () {
  "use strict";

  var root = document.documentElement;
  // Count from the server's clock: a viewer's clock may be off, and a
  // countdown to a deadline must not be.
  var serverNow = Date.parse(root.getAttribute("data-server-now") || "");
  var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();
  function now() { return Date.now() + skew; }

  function plural(n, unit) { return n + " " + unit + (n === 1 ? "" : "s"); }

  function timeLeft(ms) {
    if (ms <= 0) { return "closed"; }
    var s = Math.floor(ms / 1000);
    var d = Math.floor(s / 86400); s -= d * 86400;
    var h = Math.floor(s / 3600); s -= h * 3600;
    var m = Math.floor(s / 60); s -= m * 60;
    var parts = [];
    if (d) { parts.push(plural(d, "day")); }
    if (d || h) { parts.push(plural(h, "hour")); }
    parts.push(plural(m, "minute"), plural(s, "second"));
    return parts.join(" ") + " left";
  }

  function tick() {
    var els = document.querySelectorAll("[data-countdown]");
    for (var i = 0; i < els.length; i++) {
      var end = Date.parse(els[i].getAttribute("data-countdown"));
      if (!isNaN(end)) { els[i].textContent = timeLeft(end - now()); }
    }
  }

  function localTimes(scope) {
    if (!window.Intl || !Intl.DateTimeFormat) { return; }
    var fmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "long" });
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "your zone";
    var times = scope.querySelectorAll("time[data-local]");
    for (var i = 0; i < times.length; i++) {
      var t = new Date(times[i].getAttribute("datetime"));
      if (!isNaN(t.getTime())) { times[i].textContent = fmt.format(t); }
    }
    // Schedule times: the wall clock alone, 24-hour, in the reader's zone.
    var hm = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    var slots = scope.querySelectorAll("time[data-local-hm]");
    for (var h = 0; h < slots.length; h++) {
      var s = new Date(slots[h].getAttribute("datetime"));
      if (!isNaN(s.getTime())) { slots[h].textContent = hm.format(s); }
    }
    var zones = scope.querySelectorAll("[data-local-zone]");
    for (var j = 0; j < zones.length; j++) { zones[j].textContent = zone; }
    var hidden = scope.querySelectorAll(".local[hidden]");
    for (var k = 0; k < hidden.length; k++) { hidden[k].hidden = false; }
  }

  function cookie(name) {
    var parts = document.cookie.split("; ");
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].split("=");
      if (kv[0] === name) { return decodeURIComponent(kv.slice(1).join("=")); }
    }
    return "";
  }

  function api(path) {
    return fetch(path, {
      method: "POST", credentials: "same-origin", body: "{}",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": cookie("quire_csrf") }
    });
  }

  // refresh rotates the session through the API, which sets new cookies;
  // the forms on the page then need the new CSRF token.
  function refresh() {
    return api("/api/v1/auth/refresh").then(function (r) {
      if (!r.ok) { return false; }
      return r.json().then(function (t) {
        var inputs = document.querySelectorAll("input[name=csrf]");
        for (var i = 0; i < inputs.length; i++) { inputs[i].value = t.csrf_token; }
        return true;
      });
    }).catch(function () { return false; });
  }

  function enhanceLogin(form) {
    // A session that ended for want of a visit may still be renewable: the
    // CSRF cookie lives as long as the refresh token does.
    var next = form.querySelector("input[name=next]");
    if (!cookie("quire_csrf") || /signed_out=/.test(location.search)) { return; }
    refresh().then(function (ok) { if (ok) { location.replace(next ? next.value : "/"); } });
  }

  function enhanceAuthors(fieldset) {
    var add = fieldset.querySelector("[data-add-author]");
    if (!add) { return; }
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = fieldset.querySelectorAll("[data-author-row]");
      var last = rows[rows.length - 1];
      var n = rows.length; // the new row's index
      var row = last.cloneNode(true);
      var re = /authors-\d+-/;
      var els = row.querySelectorAll("[id], [for], input");
      for (var i = 0; i < els.length; i++) {
        var el = els[i];
        if (el.id) { el.id = el.id.replace(re, "authors-" + n + "-"); }
        if (el.htmlFor) { el.htmlFor = el.htmlFor.replace(re, "authors-" + n + "-"); }
        if (el.tagName === "INPUT") { el.value = ""; el.removeAttribute("aria-invalid"); el.removeAttribute("aria-describedby"); }
      }
      var errs = row.querySelectorAll(".field-error");
      for (var j = 0; j < errs.length; j++) { errs[j].remove(); }
      var numbers = row.querySelectorAll("[data-n]");
      for (var k = 0; k < numbers.length; k++) { numbers[k].textContent = String(n + 1); }
      add.parentNode.insertBefore(row, add);
      row.querySelector("input").focus();
    });
  }

  // enhanceTrackFields shows the venue's questions of the chosen track
  // only (all of them while none is chosen); without the script every
  // question shows with the tracks that ask it, and the server keeps the
  // chosen track's answers.
  function enhanceTrackFields(form) {
    var track = form.querySelector("#f-track");
    if (!track) { return; }
    function show() {
      each(form, "[data-tracks]", function (el) {
        el.hidden = track.value !== "" && el.getAttribute("data-tracks").split(" ").indexOf(track.value) < 0;
      });
    }
    track.addEventListener("change", show);
    show();
  }

  // enhanceUpload sends the form with XMLHttpRequest to show progress. An
  // accepted upload redirects, and the page follows; a refused one answers
  // with the page showing the report, which replaces this one's content.
  // If anything goes wrong on the way, the plain form is sent instead.
  function enhanceUpload(form) {
    var box = form.querySelector("[data-progress]");
    var bar = form.querySelector("progress");
    var text = form.querySelector("[data-progress-text]");
    var button = form.querySelector("button[type=submit]");
    var file = form.querySelector("input[type=file]");
    if (!window.FormData || !box || !bar || !file) { return; }
    form.addEventListener("submit", function (ev) {
      if (!file.files || !file.files.length) { return; }
      ev.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      box.hidden = false;
      button.disabled = true;
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        bar.value = Math.round(e.loaded * 100 / e.total);
        text.textContent = bar.value + "%";
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value");
        text.textContent = "Checking the PDF…";
      });
      xhr.addEventListener("load", function () {
        if (xhr.responseURL && xhr.responseURL !== form.action) {
          location.assign(xhr.responseURL);
          return;
        }
        swapMain(xhr.responseText);
      });
      xhr.addEventListener("error", function () { form.submit(); });
      xhr.send(new FormData(form));
    });
  }

  function swapMain(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var next = doc.querySelector("main");
    if (!next) { location.reload(); return; }
    document.title = doc.title;
    document.querySelector("main").replaceWith(next);
    enhance(next);
    tick();
    (next.querySelector("[data-refused]") || next.querySelector("[aria-invalid]") || next).focus();
  }

  function each(scope, sel, f) {
    var els = scope.querySelectorAll(sel);
    for (var i = 0; i < els.length; i++) { f(els[i]); }
  }

  function enhance(scope) {
    localTimes(scope);
    each(scope, "form[data-upload]", enhanceUpload);
    each(scope, "fieldset.authors", enhanceAuthors);
    each(scope, "form[data-login]", enhanceLogin);
    each(scope, "form[data-details]", enhanceTrackFields);
    var summary = scope.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    tick();
    setInterval(tick, 1000);
    if (document.body.hasAttribute("data-signed-in")) {
      // Access tokens live 15 minutes: renew well before.
      setInterval(refresh, 10 * 60 * 1000);
    }
  });
})();

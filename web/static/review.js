// Progressive enhancement for the reviewers' pages: drafts of a review are
// saved every 20 seconds while it changes, a review's answers outlive a
// session that ends before they are sent, and a bid is saved as soon as
// it is chosen. The saves post the very forms that work without this file,
// to the same handlers, asking for JSON instead of a new page.
(function () {
  "use strict";

  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }

  function cookie(name) {
    var parts = document.cookie.split("; ");
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].split("=");
      if (kv[0] === name) { return decodeURIComponent(kv.slice(1).join("=")); }
    }
    return "";
  }

  function post(form, extra) {
    var body = new URLSearchParams(new FormData(form));
    var before = cookie("quire_csrf");
    var current = before !== "" && body.get("csrf") === before;
    for (var k in extra) {
      if (has(extra, k)) { body.set(k, extra[k]); }
    }
    // form.action would be the button named "action", not the attribute.
    return fetch(form.getAttribute("action"), {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Accept": "application/json" }
    }).then(function (r) {
      // The server renews an expired session within the request, and the
      // page's forms then need the new session's CSRF token, which the
      // cookie holds. Only a token that followed the form's own is taken.
      var after = cookie("quire_csrf");
      if (current && after && after !== before) {
        var inputs = document.querySelectorAll("input[name=csrf]");
        for (var i = 0; i < inputs.length; i++) { inputs[i].value = after; }
      }
      return r.json().then(function (data) { return { ok: r.ok, data: data }; },
        function () { return { ok: false, data: { error: "The server answered " + r.status + "." } }; });
    });
  }

  function serialize(form) {
    var body = new URLSearchParams(new FormData(form));
    body.delete("csrf"); // renewed by the session refresh; not a change
    return body.toString();
  }

  function hhmm(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return ""; }
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(d.getHours()) + ":" + two(d.getMinutes());
  }

  // enhanceAutosave saves a changed draft once the period has passed since
  // the last save. The period is read from data-autosave (seconds) on each
  // tick, 20 unless set.
  function enhanceAutosave(form) {
    var status = form.querySelector("[data-autosave-status]");
    var last = serialize(form);
    var lastAt = Date.now();
    var busy = false;
    var leaving = false;
    form.addEventListener("submit", function () { leaving = true; });
    setInterval(function () {
      var period = parseInt(form.getAttribute("data-autosave"), 10) || 20;
      if (busy || leaving || Date.now() - lastAt < period * 1000) { return; }
      var now = serialize(form);
      if (now === last) { return; }
      busy = true;
      post(form, { action: "draft" }).then(function (res) {
        busy = false;
        lastAt = Date.now();
        if (res.ok) {
          last = now;
          status.textContent = "Draft saved at " + hhmm(res.data.saved_at);
          var badge = document.querySelector("[data-review-status]");
          if (badge && res.data.status === "draft") { badge.textContent = "Draft"; badge.className = "review-status status-draft"; }
        } else {
          status.textContent = "Draft not saved: " + (res.data.error || "please try again.");
        }
      }, function () {
        busy = false;
        lastAt = Date.now();
        status.textContent = "Draft not saved: the server could not be reached.";
      });
    }, 1000);
  }

  // answers are what a person typed and chose in form: not its CSRF
  // token, nor the button it was sent with.
  function answers(form) {
    var out = {};
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!el.name || el.name === "csrf" || el.name === "action") { continue; }
      if (el.type === "radio") {
        if (el.checked) { out[el.name] = el.value; }
      } else if (el.tagName === "TEXTAREA" || el.type === "text") {
        out[el.name] = el.value;
      }
    }
    return out;
  }

  function sameAnswers(a, b) {
    function differ(x, y) {
      for (var k in x) {
        if (has(x, k) && String(x[k] || "").trim() !== String(y[k] || "").trim()) { return true; }
      }
      return false;
    }
    return !differ(a, b) && !differ(b, a);
  }

  // enhanceKeep keeps a review's answers in this tab's sessionStorage as
  // the form is sent, under the form's address and its author's id. When
  // the form comes back without them (the session had ended and the person
  // signed in again, or the server failed), they are put back, with a
  // message; a form that shows them (saved, or refused with its messages)
  // no longer needs them.
  function enhanceKeep(form) {
    var key = "quire-kept:" + form.getAttribute("action");
    var owner = form.getAttribute("data-keep");
    var store, kept;
    try {
      store = window.sessionStorage;
      kept = JSON.parse(store.getItem(key) || "null");
    } catch (e) {
      return; // storage refused (private mode, say): nothing to keep with
    }
    form.addEventListener("submit", function () {
      try { store.setItem(key, JSON.stringify({ owner: owner, answers: answers(form) })); } catch (e) { /* full */ }
    });
    if (!kept || !kept.answers) { return; }
    if (kept.owner !== owner || sameAnswers(kept.answers, answers(form))) {
      store.removeItem(key);
      return;
    }
    for (var name in kept.answers) {
      var field = has(kept.answers, name) && form.elements.namedItem(name);
      if (field) { field.value = kept.answers[name]; } // a radio group checks the radio of that value
    }
    var notice = document.querySelector("[data-kept-notice]");
    if (notice) {
      notice.hidden = false;
      notice.focus();
    }
  }

  // enhanceBid saves the bid when the select changes; the Save button is
  // only for pages without this script.
  function enhanceBid(form) {
    var select = form.querySelector("select");
    var button = form.querySelector("[data-bid-save]");
    var status = form.querySelector("[data-bid-status]");
    if (!select || !status) { return; }
    if (button) { button.hidden = true; }
    select.addEventListener("change", function () {
      status.textContent = "Saving…";
      status.classList.remove("bad");
      post(form, {}).then(function (res) {
        if (res.ok) {
          status.textContent = res.data.message;
        } else {
          status.textContent = "Not saved: " + (res.data.error || "please try again.");
          status.classList.add("bad");
        }
      }, function () {
        status.textContent = "Not saved: the server could not be reached.";
        status.classList.add("bad");
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.fetch || !window.URLSearchParams || !window.FormData) { return; }
    var forms = document.querySelectorAll("form[data-autosave]");
    for (var i = 0; i < forms.length; i++) { enhanceAutosave(forms[i]); }
    // After the autosave has taken the form as shown, so that it saves
    // answers put back as a draft.
    var keeps = document.querySelectorAll("form[data-keep]");
    for (var n = 0; n < keeps.length; n++) { enhanceKeep(keeps[n]); }
    var bids = document.querySelectorAll("form[data-bid]");
    for (var j = 0; j < bids.length; j++) { enhanceBid(bids[j]); }
  });
})();

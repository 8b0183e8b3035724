// Progressive enhancement for the reviewers' pages: drafts of a review are
// saved every 20 seconds while it changes, and a bid is saved as soon as
// it is chosen. Both post the very forms that work without this file, to
// the same handlers, asking for JSON instead of a new page.
(function () {
  "use strict";

  function post(form, extra) {
    var body = new URLSearchParams(new FormData(form));
    for (var k in extra) {
      if (Object.prototype.hasOwnProperty.call(extra, k)) { body.set(k, extra[k]); }
    }
    // form.action would be the button named "action", not the attribute.
    return fetch(form.getAttribute("action"), {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Accept": "application/json" }
    }).then(function (r) {
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
    var bids = document.querySelectorAll("form[data-bid]");
    for (var j = 0; j < bids.length; j++) { enhanceBid(bids[j]); }
  });
})();

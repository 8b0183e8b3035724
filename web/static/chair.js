// The assignment run page, with script: follow the run's progress through
// the API (the session cookie authenticates the request) instead of
// reloading the page, and reload once the run has finished so the server
// renders the proposal. Without this file the page refreshes itself.
(function () {
  "use strict";

  var run = document.querySelector("[data-run][data-poll]");
  if (!run || !window.fetch) { return; }
  var url = run.getAttribute("data-poll");
  var bar = run.querySelector("[data-run-progress]");
  var percent = run.querySelector("[data-run-percent]");
  var phase = run.querySelector("[data-run-phase]");
  var phases = { "": "Starting", check: "Checking that an assignment exists", place: "Placing every review",
    optimise: "Improving the assignment", done: "Done" };
  var failures = 0;

  function show(r) {
    var p = Math.round((r.progress || 0) * 100);
    if (bar) { bar.value = p; bar.textContent = p + "%"; }
    if (percent) { percent.textContent = p + "%"; }
    if (phase) { phase.textContent = (phases[r.phase || ""] || r.phase) + "…"; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (res) {
        if (!res.ok) { throw new Error("status " + res.status); }
        return res.json();
      })
      .then(function (r) {
        failures = 0;
        if (r.status !== "running") {
          window.location.reload();
          return;
        }
        show(r);
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        // A lost connection or an expired session: the reload brings the
        // sign-in page or the result; keep trying a few times first.
        failures++;
        if (failures > 5) { window.location.reload(); return; }
        window.setTimeout(poll, 2000);
      });
  }

  window.setTimeout(poll, 1000);
})();

/* Refresh oversight figures without reloading the page. Progressive enhancement: the page works without it.
   The dashboard polls its JSON endpoint every 30 s and, when the figures changed, swaps in the server-rendered
   fragment. A job page polls the job's JSON and updates the counts until the job is done. */
(function () {
  "use strict";
  var EVERY = 30000;
  function announce(text) {
    var status = document.getElementById("segar");
    if (status) { status.textContent = text; }
  }
  function time() { return new Date().toLocaleTimeString("id-ID"); }
  var board = document.getElementById("dasbor");
  if (board) {
    var last = null;
    var poll = function () {
      fetch(board.getAttribute("data-refresh"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          var key = JSON.stringify([data.totals, data.open_breakers.length, data.sla]);
          if (last !== null && key !== last) {
            return fetch(board.getAttribute("data-fragment"), { credentials: "same-origin" })
              .then(function (r) { return r.ok ? r.text() : null; })
              .then(function (html) { if (html) { board.innerHTML = html; announce("Data diperbarui pukul " + time() + "."); } });
          }
          last = key;
        })
        .catch(function () { /* offline: try again next time */ });
    };
    poll();
    window.setInterval(poll, EVERY);
  }
  var job = document.getElementById("pekerjaan");
  if (job) {
    var timer = window.setInterval(function () {
      fetch(job.getAttribute("data-job"), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          ["done", "total", "changed", "status"].forEach(function (name) {
            var field = job.querySelector('[data-field="' + name + '"]');
            if (field) { field.textContent = data[name === "status" ? "status_text" : name]; }
          });
          var bar = job.querySelector("progress");
          if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
          if (data.status === "done" || data.status === "failed") { window.clearInterval(timer); announce("Selesai."); }
        })
        .catch(function () {});
    }, 2000);
  }
})();

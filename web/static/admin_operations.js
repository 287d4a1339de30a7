/* Kader JKN dashboard, operations pages: the broadcast form's live count and previews, an import's progress. */
(function () {
  "use strict";

  function widths() {  /* the CSP allows no inline style: bars take their width from data-width */
    document.querySelectorAll("[data-width]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.getAttribute("data-width")) || 0)) + "%";
    });
  }

  function previewBox(preview) {
    var box = document.createElement("div");
    box.className = "preview";
    box.setAttribute("data-channel", preview.channel);
    box.setAttribute("data-language", preview.language);
    var title = document.createElement("strong");
    title.textContent = preview.channel + " · " + preview.language.toUpperCase();
    var body = document.createElement("pre");
    body.textContent = preview.body;
    box.appendChild(title);
    box.appendChild(body);
    if (preview.note) {
      var note = document.createElement("small");
      note.textContent = preview.note;
      box.appendChild(note);
    }
    return box;
  }

  function broadcastForm() {
    var form = document.getElementById("broadcast-form");
    if (!form) { return; }
    var count = document.getElementById("recipients");
    var previews = document.getElementById("previews");
    var timers = {}, asked = {};
    function ask(what) {  /* "count": the segment changed (costly on a large branch); "text": the message did */
      var fields = ["region", "class", "months", "plan", "cadre", "text_id", "text_en"];
      var query = fields.map(function (name) {
        return encodeURIComponent(name) + "=" + encodeURIComponent(form.elements[name].value);
      }).join("&") + (what === "count" ? "&count=1" : "");
      var mine = asked[what] = (asked[what] || 0) + 1;
      fetch(form.getAttribute("data-preview") + "?" + query, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || mine !== asked[what]) { return; }  /* only the latest answer counts */
          if (what === "count" || data.error) {
            count.textContent = data.error ? data.error : data.segment + ": " + data.line;
            count.className = data.error ? "count error" : "count";
            count.setAttribute("data-reachable", data.error || !data.count ? "" : String(data.count.reachable));
          }
          previews.textContent = "";
          data.previews.forEach(function (preview) { previews.appendChild(previewBox(preview)); });
        });
    }
    function later(what, delay) {
      clearTimeout(timers[what]);
      timers[what] = setTimeout(function () { ask(what); }, delay);
    }
    form.addEventListener("input", function (event) {
      var segment = event.target.closest("fieldset.segment") !== null;
      later(segment ? "count" : "text", segment ? 400 : 200);
    });
    ask("count");
  }

  function importProgress() {
    var job = document.getElementById("import-job");
    if (!job) { return; }
    var status = job.getAttribute("data-status");
    if (status === "done" || status === "failed") { return; }
    var bar = document.querySelector("#job-progress span");
    function poll() {
      fetch(job.getAttribute("data-poll"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { setTimeout(poll, 2000); return; }
          bar.setAttribute("data-width", String(data.percent));
          document.getElementById("job-progress").setAttribute("aria-valuenow", String(data.percent));
          widths();
          var label = document.getElementById("job-status");
          var phase = label.getAttribute("data-" + data.phase);
          if (phase) { label.textContent = phase + " " + data.percent + "%"; }
          if (data.status === "done" || data.status === "failed") {
            window.location.reload();  /* the page renders the report */
          } else {
            setTimeout(poll, 700);
          }
        });
    }
    poll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    widths();
    broadcastForm();
    importProgress();
  });
})();

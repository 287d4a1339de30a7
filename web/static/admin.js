/* Kader JKN dashboard: small charts from the app's own JSON (Chart.js, vendored), sortable and filterable tables. */
(function () {
  "use strict";

  function drawCharts() {
    if (typeof window.Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-series]").forEach(function (canvas) {
      fetch(canvas.getAttribute("data-series"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          var datasets = data.series.map(function (series, index) {
            var colours = ["#0b6e4f", "#1565c0", "#b3261e", "#8a5a00"];
            return { label: series.label, data: series.values, borderColor: colours[index % colours.length],
                     backgroundColor: colours[index % colours.length], tension: 0.25, pointRadius: 2 };
          });
          new window.Chart(canvas, {
            type: canvas.getAttribute("data-kind") || "line",
            data: { labels: data.labels, datasets: datasets },
            options: { responsive: true, maintainAspectRatio: false, animation: false,
                       plugins: { legend: { display: datasets.length > 1, labels: { boxWidth: 10 } } },
                       scales: { y: { beginAtZero: true, ticks: { maxTicksLimit: 4 } },
                                 x: { ticks: { maxTicksLimit: 6 } } } }
          });
          canvas.setAttribute("data-drawn", "1");
        });
    });
  }

  function cellValue(row, index) {
    var cell = row.children[index];
    var sortKey = cell.getAttribute("data-sort");
    var text = sortKey !== null ? sortKey : cell.textContent.trim();
    var number = Number(text);
    return text !== "" && !isNaN(number) ? number : text.toLowerCase();
  }

  function sortableTables() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("th").forEach(function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          table.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = cellValue(a, index), y = cellValue(b, index);
            return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    sortableTables();
    drawCharts();
  });
})();

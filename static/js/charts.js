/* Video Creator — draws the staff dashboards' charts with plotly.js (static/vendor/plotly.min.js,
   the copy the Python plotly package ships). Each chart is a
   <div class="chart" data-chart="ID"> next to <script type="application/json" id="ID">, whose
   JSON is a plotly figure built on the server ({data, layout}) with every text already in the
   reader's language. No inline script, no CDN. */
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    // The mode bar's buttons speak English only and the tables below each chart have the
    // figures (and their CSV): no mode bar.
    displayModeBar: false
  };

  function draw(holder) {
    var source = document.getElementById(holder.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var figure;
    try {
      figure = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    window.Plotly.newPlot(holder, figure.data, figure.layout, CONFIG).then(function () {
      holder.setAttribute("data-drawn", "true");
    });
  }

  function drawAll() {
    if (!window.Plotly) {
      return; // the tables show the same figures
    }
    var holders = document.querySelectorAll(".chart[data-chart]");
    for (var i = 0; i < holders.length; i += 1) {
      draw(holders[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();

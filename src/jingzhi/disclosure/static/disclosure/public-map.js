/* The public map: geo's map component with the districts and the public points (JSON, no personal data). */
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  document.querySelectorAll("[data-public-map]").forEach(function (element) {
    const options = JSON.parse(document.getElementById(element.dataset.publicMap).textContent);
    const m = jingzhiMap(element.id, options);
    fetch(element.dataset.pointsUrl, {headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.points.forEach(function (p) {
          m.addPoint(p.lon, p.lat, "<a href=\"" + escapeHtml(p.url) + "\"><b>" + escapeHtml(p.category) + "</b><br>" +
            escapeHtml(p.number) + " · " + escapeHtml(p.stage) + "</a>");
        });
        element.dataset.points = String(data.points.length);
      });
  });
})();

/* Case pages on top of geo's map component (geo/static/geo/map.js): one point or a queue of
 * points with links, and a location picker for the report form. No other map code. */
(function (global) {
  "use strict";

  function readJSON(id) { return JSON.parse(document.getElementById(id).textContent); }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function popup(point) {
    let html = "<b>" + escapeHtml(point.number) + "</b>";
    if (point.category) { html += "<br>" + escapeHtml(point.category) + " · " + escapeHtml(point.state); }
    if (point.photo) { html += "<br><img src=\"" + escapeHtml(point.photo) + "\" alt=\"\" class=\"map-photo\">"; }
    if (point.url) { html = "<a href=\"" + escapeHtml(point.url) + "\">" + html + "</a>"; }
    return html;
  }

  /* Draw one point (an object) or several (an array); rows with data-case highlight theirs. */
  function jingzhiCaseMap(elementId, optionsId, pointsId) {
    const data = readJSON(pointsId);
    const points = Array.isArray(data) ? data : [data];
    const m = jingzhiMap(elementId, readJSON(optionsId));
    const markers = {};
    points.forEach(function (point) { markers[point.id || point.number] = m.addPoint(point.lon, point.lat, popup(point)); });
    document.getElementById(elementId).dataset.points = String(points.length);
    if (points.length > 1) {
      m.map.fitBounds(L.latLngBounds(points.map(function (p) { return [p.lat, p.lon]; })).pad(0.2));
    }
    document.querySelectorAll("tr[data-case]").forEach(function (row) {
      row.addEventListener("mouseenter", function () {
        const marker = markers[row.dataset.case];
        if (marker) { marker.openPopup(); }
      });
    });
    return m;
  }

  function jingzhiCasePicker(elementId, optionsId, lonId, latId) {
    const m = jingzhiMap(elementId, readJSON(optionsId));
    let marker = null;
    m.map.on("click", function (event) {
      document.getElementById(lonId).value = event.latlng.lng.toFixed(6);
      document.getElementById(latId).value = event.latlng.lat.toFixed(6);
      if (marker) { m.points.removeLayer(marker); }
      marker = m.addPoint(event.latlng.lng, event.latlng.lat);
    });
    return m;
  }

  global.jingzhiCaseMap = jingzhiCaseMap;
  global.jingzhiCasePicker = jingzhiCasePicker;

  /* Pages declare their maps in markup, since the Content-Security-Policy allows no inline script:
   *   <div id="case-map" data-case-map="options-id" data-case-points="points-id">   a point or a queue
   *   <div id="case-map" data-case-picker="options-id" data-case-lon="lon-input-id" data-case-lat="…">
   * (the ids name json_script elements and form inputs). */
  document.querySelectorAll("[data-case-map]").forEach(function (element) {
    jingzhiCaseMap(element.id, element.dataset.caseMap, element.dataset.casePoints);
  });
  document.querySelectorAll("[data-case-picker]").forEach(function (element) {
    jingzhiCasePicker(element.id, element.dataset.casePicker, element.dataset.caseLon, element.dataset.caseLat);
  });
})(window);

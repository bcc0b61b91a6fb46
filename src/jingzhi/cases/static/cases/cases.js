/* Case pages on top of geo's map component (geo/static/geo/map.js): one point or a queue of
 * points with links, and the dispatch console's department lists. The report form's location picker
 * is cases/report-form.js. */
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

  global.jingzhiCaseMap = jingzhiCaseMap;

  /* Pages declare their maps in markup, since the Content-Security-Policy allows no inline script:
   *   <div id="case-map" data-case-map="options-id" data-case-points="points-id">   a point or a queue
   * (the ids name json_script elements). The report form's map is cases/report-form.js's. */
  document.querySelectorAll("[data-case-map]").forEach(function (element) {
    jingzhiCaseMap(element.id, element.dataset.caseMap, element.dataset.casePoints);
  });

  /* The dispatch console: a row's list holds its suggested department; "其他部门…" fills it with every
   * department from the page's one <template> (kept selected: the suggestion). Without script the link
   * opens the case page, whose dispatch form lists them all. */
  const departments = document.getElementById("dispatch-departments");
  document.querySelectorAll("[data-all-departments]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!departments) { return; }
      event.preventDefault();
      const select = link.closest("form").querySelector("select[name=department]");
      const chosen = select.value;
      select.textContent = "";
      select.appendChild(departments.content.cloneNode(true));
      if (chosen) { select.value = chosen; }
      link.remove();
      select.focus();
    });
  });
})(window);

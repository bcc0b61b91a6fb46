/* An asset's record: its geometry on geo's map component (geo/static/geo/map.js), WGS84 GeoJSON.
 * Declared in markup, since the Content-Security-Policy allows no inline script:
 *   <div id="asset-map" data-asset-map="options-id" data-asset-geometry="geometry-id"> */
(function () {
  "use strict";

  function readJSON(id) { return JSON.parse(document.getElementById(id).textContent); }

  document.querySelectorAll("[data-asset-map]").forEach(function (element) {
    const m = jingzhiMap(element.id, readJSON(element.dataset.assetMap));
    const shape = L.geoJSON(readJSON(element.dataset.assetGeometry), {
      style: {color: "#c0392b", weight: 5, opacity: 0.9, fillOpacity: 0.25},
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {radius: 8, color: "#c0392b", fillOpacity: 0.8});
      },
    }).addTo(m.map);
    const bounds = shape.getBounds();
    if (bounds.isValid() && !bounds.getNorthEast().equals(bounds.getSouthWest())) {
      m.map.fitBounds(bounds.pad(0.3));
    }
    element.dataset.shapes = String(shape.getLayers().length);
  });
})();

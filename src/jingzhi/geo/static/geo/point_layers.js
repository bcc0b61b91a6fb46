/* Point layers on the staff map: one overlay per layer of options.pointLayers (e.g. the registries'
 * toilets, bins, street lights), clustered so that 100,000 points stay fluid.
 *
 * Load before geo/map.js; it adds itself to every map through window.jingzhiMapPlugins. Nothing is
 * fetched until the user switches a layer on in the layer control: then Supercluster (npm, served as a
 * static file, never a CDN) is loaded once, the layer's compact JSON is fetched
 *   {"count": n, "ids": [...], "lons": [...], "lats": [...]}   (WGS84, the URL carries a version tag,
 * so the browser caches it until the records change) and indexed once (a k-d tree per zoom level).
 * After that only what is in view is drawn: at each move or zoom the index answers the clusters and
 * points of the visible box (a few hundred markers at most, however many points the layer has).
 * A cluster zooms in on click; a point opens a popup from layer.popupUrl ("{id}" replaced):
 * {"title", "rows": [[label, value]], "links": [[label, url]]}.
 *
 * The map element reports for tests and the bench: data-layer-<key> = points indexed, and
 * data-layer-<key>-ms = milliseconds from the switch to the first view drawn.
 */
(function (global) {
  "use strict";

  const loaded = {};
  //: Deepest zoom at which points are still clustered; beyond it every point is drawn.
  const CLUSTER_MAX_ZOOM = 17;

  function load(tag, url) {
    if (!loaded[url]) {
      loaded[url] = new Promise(function (resolve, reject) {
        const element = document.createElement(tag);
        if (tag === "link") {
          element.rel = "stylesheet";
          element.href = url;
        } else {
          element.src = url;
        }
        element.onload = resolve;
        element.onerror = function () { reject(new Error(url)); };
        document.head.appendChild(element);
      });
    }
    return loaded[url];
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function popupHtml(data) {
    const rows = ["<b>" + escapeHtml(data.title) + "</b>"];
    (data.rows || []).forEach(function (row) { rows.push(escapeHtml(row[0]) + "：" + escapeHtml(row[1])); });
    const links = (data.links || []).map(function (link) {
      return "<a href=\"" + escapeHtml(link[1]) + "\">" + escapeHtml(link[0]) + "</a>";
    });
    if (links.length) { rows.push(links.join(" · ")); }
    return "<div class=\"jingzhi-point-popup\">" + rows.join("<br>") + "</div>";
  }

  function getJSON(url) {
    return fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.json();
      });
  }

  function clusterIcon(layer, count) {
    const size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
    return L.divIcon({
      html: "<span>" + count + "</span>",
      className: "jingzhi-cluster jingzhi-cluster-" + size + " jingzhi-cluster-" + layer.key,
      iconSize: [40, 40],
    });
  }

  function pointLayers(api, opts) {
    const layers = opts.pointLayers || [];
    if (!layers.length || !opts.clusterScript) { return; }
    const map = api.map;
    const labels = opts.labels || {};

    function index(layer, data) {
      const features = new Array(data.ids.length);
      for (let i = 0; i < data.ids.length; i++) {
        features[i] = {type: "Feature", properties: {id: data.ids[i]},
                       geometry: {type: "Point", coordinates: [data.lons[i], data.lats[i]]}};
      }
      return new global.Supercluster({radius: 70, maxZoom: CLUSTER_MAX_ZOOM}).load(features);
    }

    function openPoint(layer, marker, id) {
      marker.bindPopup("…").openPopup();
      getJSON(layer.popupUrl.replace("{id}", encodeURIComponent(id)))
        .then(function (detail) { marker.setPopupContent(popupHtml(detail)); })
        .catch(function () { marker.setPopupContent(escapeHtml(labels.failed || "—")); });
    }

    function show(layer, holder, clusters) {
      // Each layer in its own colour, so two layers switched on together stay apart.
      function paint(marker) {
        if (layer.color) { marker.on("add", function () { marker.getElement().style.backgroundColor = layer.color; }); }
      }
      const bounds = map.getBounds().pad(0.2);
      const zoom = Math.round(map.getZoom());
      const box = [bounds.getWest(), Math.max(bounds.getSouth(), -85), bounds.getEast(), Math.min(bounds.getNorth(), 85)];
      holder.clearLayers();
      clusters.getClusters(box, zoom).forEach(function (feature) {
        const lonLat = feature.geometry.coordinates;
        const latLng = [lonLat[1], lonLat[0]];
        const p = feature.properties;
        if (p.cluster) {
          const marker = L.marker(latLng, {icon: clusterIcon(layer, p.point_count), keyboard: false});
          marker.on("click", function () {
            map.setView(latLng, Math.min(clusters.getClusterExpansionZoom(p.cluster_id), CLUSTER_MAX_ZOOM + 1));
          });
          paint(marker);
          holder.addLayer(marker);
        } else {
          const marker = L.marker(latLng, {
            icon: L.divIcon({className: "jingzhi-point jingzhi-point-" + layer.key, iconSize: [12, 12]}),
            keyboard: false,
          });
          marker.on("click", function () { openPoint(layer, marker, p.id); });
          paint(marker);
          holder.addLayer(marker);
        }
      });
    }

    layers.forEach(function (layer) {
      const holder = L.layerGroup();
      let clusters = null;
      let requested = false;
      api.layerControl.addOverlay(holder, escapeHtml(layer.label));
      function redraw() { if (clusters && map.hasLayer(holder)) { show(layer, holder, clusters); } }
      map.on("moveend", redraw);
      map.on("overlayadd", function (event) {
        if (event.layer !== holder) { return; }
        if (clusters) { redraw(); return; }
        if (requested) { return; }
        requested = true;
        const started = performance.now();
        const styles = (opts.clusterStyles || []).map(function (url) { return load("link", url); });
        Promise.all([getJSON(layer.url), load("script", opts.clusterScript)].concat(styles))
          .then(function (results) {
            clusters = index(layer, results[0]);
            show(layer, holder, clusters);
            api.element.setAttribute("data-layer-" + layer.key, String(results[0].ids.length));
            api.element.setAttribute("data-layer-" + layer.key + "-ms", String(Math.round(performance.now() - started)));
          })
          .catch(function (error) { requested = false; api.element.dataset.layerError = String(error); });
      });
    });
  }

  (global.jingzhiMapPlugins = global.jingzhiMapPlugins || []).push(pointLayers);
})(window);

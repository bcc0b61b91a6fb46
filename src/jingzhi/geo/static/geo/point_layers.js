/* Point layers on the staff map: one overlay per layer of options.pointLayers (e.g. the registries'
 * toilets, bins, street lights), clustered so that 100,000 points stay fluid.
 *
 * Load before geo/map.js; it adds itself to every map through window.jingzhiMapPlugins. Nothing is
 * fetched until the user switches a layer on in the layer control: then Leaflet.markercluster (npm,
 * served as a static file, never a CDN) is loaded once, the layer's compact JSON is fetched
 *   {"count": n, "ids": [...], "lons": [...], "lats": [...]}   (WGS84, the URL carries a version tag,
 * so the browser caches it until the records change) and drawn in a cluster group, in chunks so the
 * page stays responsive; a point is a small DOM marker, made only while it is unclustered and in view. A point opens a popup from layer.popupUrl
 * ("{id}" replaced): {"title", "rows": [[label, value]], "links": [[label, url]]}.
 *
 * The map element reports for tests and the bench: data-layer-<key> = points drawn, and
 * data-layer-<key>-ms = milliseconds from the switch to the last chunk drawn.
 */
(function (global) {
  "use strict";

  const loaded = {};

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

  function pointLayers(api, opts) {
    const layers = opts.pointLayers || [];
    if (!layers.length || !opts.clusterScript) { return; }
    const map = api.map;

    function draw(layer, holder, data, started) {
      // The clusters need the map's deepest zoom, which a map without tiles does not have.
      if (!isFinite(map.getMaxZoom())) { map.setMaxZoom(19); }
      const group = L.markerClusterGroup({
        chunkedLoading: true,
        chunkInterval: 50,
        showCoverageOnHover: false,
        maxClusterRadius: 60,
        iconCreateFunction: function (cluster) {
          const count = cluster.getChildCount();
          const size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
          return L.divIcon({
            html: "<div><span>" + count + "</span></div>",
            className: "marker-cluster marker-cluster-" + size + " jingzhi-cluster-" + layer.key,
            iconSize: L.point(40, 40),
          });
        },
        chunkProgress: function (processed, total) {
          if (processed === total) {
            api.element.setAttribute("data-layer-" + layer.key, String(total));
            api.element.setAttribute("data-layer-" + layer.key + "-ms",
              String(Math.round(performance.now() - started)));
          }
        },
      });
      // One small DOM marker per point, created here but drawn only while unclustered and in view.
      const icon = L.divIcon({className: "jingzhi-point jingzhi-point-" + layer.key, iconSize: [12, 12]});
      const markers = new Array(data.ids.length);
      for (let i = 0; i < data.ids.length; i++) {
        const marker = L.marker([data.lats[i], data.lons[i]], {icon: icon, keyboard: false});
        marker.pointId = data.ids[i];
        markers[i] = marker;
      }
      if (layer.color) {
        group.on("layeradd", function (event) {
          const element = event.layer.getElement && event.layer.getElement();
          if (element && element.classList.contains("jingzhi-point")) { element.style.background = layer.color; }
        });
      }
      group.on("click", function (event) {
        const marker = event.layer;
        const url = layer.popupUrl.replace("{id}", encodeURIComponent(marker.pointId));
        marker.bindPopup("…").openPopup();
        getJSON(url).then(function (detail) { marker.setPopupContent(popupHtml(detail)); })
          .catch(function () { marker.setPopupContent(escapeHtml(opts.labels && opts.labels.failed || "—")); });
      });
      holder.addLayer(group);
      group.addLayers(markers);
      if (!data.ids.length) {
        api.element.setAttribute("data-layer-" + layer.key, "0");
        api.element.setAttribute("data-layer-" + layer.key + "-ms", String(Math.round(performance.now() - started)));
      }
    }

    layers.forEach(function (layer) {
      const holder = L.layerGroup();
      let requested = false;
      api.layerControl.addOverlay(holder, escapeHtml(layer.label));
      map.on("overlayadd", function (event) {
        if (event.layer !== holder || requested) { return; }
        requested = true;
        const started = performance.now();
        const styles = (opts.clusterStyles || []).map(function (url) { return load("link", url); });
        Promise.all([getJSON(layer.url), load("script", opts.clusterScript)].concat(styles))
          .then(function (results) { draw(layer, holder, results[0], started); })
          .catch(function (error) { requested = false; api.element.dataset.layerError = String(error); });
      });
    });
  }

  (global.jingzhiMapPlugins = global.jingzhiMapPlugins || []).push(pointLayers);
})(window);

/* Jingzhi map component (Leaflet from the XStatic-Leaflet package; no CDN, no build step).
 *
 *   const m = jingzhiMap("element-id", {tileUrl: "", labels: {...}});
 *   m.addPoint(lon, lat, "<b>html</b>");   // WGS84 points, e.g. cases
 *   m.onPick(function (lon, lat) {...});   // a point chosen by a click or by the keyboard crosshair
 *
 * or, with no script on the page, <div id="element-id" data-map="options-json-script-id">.
 *
 * Keyboard (docs/geo.md, "Maps and the keyboard"): the map is one tab stop (role "application", named);
 * a crosshair marks its centre while it has keyboard focus, the arrow keys move the map under it,
 * + and - zoom, and Enter chooses the point under it: the page's onPick handler, or else what is there
 * (the same popup a click on a grid opens). A skip link before the map jumps past it and its
 * controls. Vector layers (districts, grids, zones, points) are never tab stops. Control names come
 * from options.labels (translated by geo.views.map_options). A district's name shows while the
 * pointer is over it (one shared tooltip, not bindTooltip: see below).
 *
 * District boundaries are always drawn as vector layers; grids are fetched for the visible extent
 * once the map is zoomed in far enough; clicking a grid asks /api/geo/locate for its responsible
 * units. Responsibility zones (roads, rivers, parks) are an overlay the user switches on in the layer
 * control; they are fetched the first time it is shown. A tile layer is added only when
 * options.tileUrl is set, so the map works offline.
 */
(function (global) {
  "use strict";

  const DEFAULTS = {
    center: [34.757, 113.665],  // lat, lon (WGS84): central Zhengzhou
    zoom: 12,
    tileUrl: "",
    tileAttribution: "",
    areasUrl: "/api/geo/areas.geojson?level=district",
    gridsUrl: "/api/geo/grids.geojson",
    locateUrl: "/api/geo/locate",
    zonesUrl: "/api/geo/zones.geojson",
    gridMinZoom: 15,
    gridMaxSpan: 0.08,  // degrees per side, the API's limit
    labels: {grid: "网格", district: "区县", subdistrict: "街道", outside: "不在服务范围内",
             zoomIn: "放大地图以显示单元网格", districts: "区县边界", grids: "单元网格", zones: "责任区",
             duties: {}, map: "地图", zoomInTitle: "放大", zoomOutTitle: "缩小", closePopup: "关闭",
             skip: "跳过地图", crosshair: "十字准星：经度 {lon}，纬度 {lat}",
             keyboardHelp: "方向键移动地图，加号和减号缩放，回车键选定十字准星处。"},
  };

  /* ``url`` with ``params`` set in its query (a layer URL may carry its version tag, ?v=). */
  function withParams(url, params) {
    const parsed = new URL(url, global.location.href);
    Object.keys(params).forEach(function (key) { parsed.searchParams.set(key, params[key]); });
    return parsed.pathname + parsed.search;
  }

  function getJSON(url) {
    return fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.json();
      });
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function jingzhiMap(elementId, options) {
    const opts = Object.assign({}, DEFAULTS, options || {});
    const labels = Object.assign({}, DEFAULTS.labels, opts.labels || {});
    const element = document.getElementById(elementId);
    const map = L.map(element, {zoomControl: false}).setView(opts.center, opts.zoom);
    L.control.zoom({zoomInTitle: labels.zoomInTitle, zoomOutTitle: labels.zoomOutTitle}).addTo(map);
    if (opts.tileUrl) {
      L.tileLayer(opts.tileUrl, {attribution: opts.tileAttribution, maxZoom: 19}).addTo(map);
    }

    // Outlines are a backdrop, never a tab stop. Leaflet's bindTooltip listens for focus on each
    // outline's <path>, and Chromium makes an SVG element with a focus listener focusable: each outline
    // was a nameless tab stop. So a name shows in one shared tooltip that follows the pointer instead:
    // the outline answers only the pointer's hover events, which Leaflet hears on the map's container
    // (nothing is added to the <path>), and a click on it still reaches the map. On a device that
    // cannot hover (a phone) the outlines stay not interactive at all.
    const hovers = !global.matchMedia || global.matchMedia("(any-hover: hover)").matches;
    const nameTip = L.tooltip({direction: "top", offset: [0, -6], className: "jingzhi-outline-name"});
    function nameOnHover(layer, name) {
      if (!hovers || !name) { return; }
      layer.on("mouseover mousemove", function (event) {
        nameTip.setContent(escapeHtml(name)).setLatLng(event.latlng);
        if (!map.hasLayer(nameTip)) { nameTip.openOn(map); }
      });
      layer.on("mouseout", function () { map.closeTooltip(nameTip); });
    }
    const districts = L.geoJSON(null, {
      style: {color: "#123a6b", weight: 2, fillOpacity: 0.03, className: "jingzhi-district"},
      interactive: hovers,
      onEachFeature: function (feature, layer) { nameOnHover(layer, feature.properties.name); },
    }).addTo(map);
    const grids = L.geoJSON(null, {  // a grid has a code, no name: it answers a click (showPlace)
      style: {color: "#2e86c1", weight: 1, fillOpacity: 0.06, className: "jingzhi-grid"},
      onEachFeature: function (feature, layer) {
        layer.on("click", function (event) { showPlace(event.latlng); });
        nameOnHover(layer, feature.properties.name);
      },
    }).addTo(map);
    const points = L.layerGroup().addTo(map);
    const zones = L.geoJSON(null, {
      style: function (feature) {
        const line = feature.geometry.type.indexOf("Line") !== -1;
        return {color: "#b9770e", weight: line ? 5 : 2, opacity: 0.8, fillOpacity: 0.15, className: "jingzhi-zone"};
      },
      onEachFeature: function (feature, layer) {
        const p = feature.properties;
        layer.bindPopup("<div class=\"jingzhi-zone-popup\"><b>" + escapeHtml(p.name) + "</b><br>" +
          escapeHtml(labels.duties[p.duty] || p.duty_label) + "：" + escapeHtml(p.unit.name) + "</div>");
      },
    });
    let zonesLoaded = false;
    map.on("overlayadd", function (event) {
      if (event.layer !== zones || zonesLoaded || !opts.zonesUrl) { return; }
      zonesLoaded = true;
      getJSON(opts.zonesUrl).then(function (data) {
        zones.addData(data);
        element.dataset.zones = String(data.features.length);
      });
    });
    const overlays = {};  // a layer without its URL (e.g. on the public map) is left out
    overlays[escapeHtml(labels.districts)] = districts;
    if (opts.gridsUrl) { overlays[escapeHtml(labels.grids)] = grids; }
    if (opts.zonesUrl) { overlays[escapeHtml(labels.zones)] = zones; }
    const layerControl = L.control.layers(null, overlays, {collapsed: false}).addTo(map);
    const hint = L.control({position: "topright"});
    hint.onAdd = function () {
      const div = L.DomUtil.create("div", "jingzhi-map-hint");
      div.textContent = labels.zoomIn;
      return div;
    };

    if (opts.areasUrl) {
      getJSON(opts.areasUrl).then(function (data) {
        districts.addData(data);
        districts.bringToBack();  // grids may have arrived first: keep them clickable on top
        element.dataset.areas = String(data.features.length);
      });
    }

    let request = 0;
    function refreshGrids() {
      const bounds = map.getBounds();
      const span = Math.max(bounds.getEast() - bounds.getWest(), bounds.getNorth() - bounds.getSouth());
      if (!opts.gridsUrl) { return; }  // a map without grids (e.g. a public page) has no hint either
      if (map.getZoom() < opts.gridMinZoom || span > opts.gridMaxSpan) {
        grids.clearLayers();
        if (opts.gridsUrl) { hint.addTo(map); }
        return;
      }
      hint.remove();
      const bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
        .map(function (value) { return value.toFixed(6); }).join(",");
      const mine = ++request;
      getJSON(withParams(opts.gridsUrl, {bbox: bbox})).then(function (data) {
        if (mine !== request) { return; }  // a newer view replaced this one
        grids.clearLayers();
        grids.addData(data);
        element.dataset.grids = String(data.features.length);
      });
    }
    map.on("moveend", refreshGrids);
    refreshGrids();

    function unitName(unit) { return unit ? escapeHtml(unit.name) : "—"; }

    /* What is at a point: its grid, district, sub-district and responsible units (a click on a grid,
     * or Enter at the crosshair on a map without a pick handler). */
    function showPlace(latlng) {
      if (!opts.locateUrl) { return; }
      const popup = L.popup().setLatLng(latlng).setContent("…").openOn(map);
      getJSON(withParams(opts.locateUrl, {lon: latlng.lng.toFixed(7), lat: latlng.lat.toFixed(7)}))
        .then(function (location) {
          const rows = location.grid_code ? ["<b>" + labels.grid + " " + escapeHtml(location.grid_code) + "</b>"] : [];
          if (!location.inside) { rows.push(escapeHtml(labels.outside)); }
          rows.push(labels.district + "：" + unitName(location.district));
          rows.push(labels.subdistrict + "：" + unitName(location.subdistrict));
          Object.keys(location.responsible_units).forEach(function (duty) {
            rows.push(escapeHtml(labels.duties[duty] || duty) + "：" + unitName(location.responsible_units[duty]));
          });
          popup.setContent("<div class=\"jingzhi-grid-popup\">" + rows.join("<br>") + "</div>");
        });
    }

    // ── keyboard: one named tab stop, a crosshair at the centre, Enter chooses; a skip link past it ──
    let pick = null;
    map.on("click", function (event) { if (pick) { pick(event.latlng.lng, event.latlng.lat); } });
    const help = L.DomUtil.create("span", "jingzhi-map-help");
    help.id = elementId + "-keyboard-help";
    help.hidden = true;
    help.textContent = labels.keyboardHelp;
    element.appendChild(help);
    element.setAttribute("role", "application");
    element.setAttribute("aria-roledescription", labels.map);
    element.setAttribute("aria-label", opts.name || labels.map);
    element.setAttribute("aria-describedby", help.id);
    L.DomUtil.create("div", "jingzhi-crosshair", element).setAttribute("aria-hidden", "true");
    const readout = L.control({position: "bottomleft"});
    readout.onAdd = function () {
      const div = L.DomUtil.create("div", "jingzhi-crosshair-readout");
      div.setAttribute("aria-live", "polite");
      return div;
    };
    readout.addTo(map);
    function describeCentre() {
      const centre = map.getCenter();
      readout.getContainer().textContent = labels.crosshair.replace("{lon}", centre.lng.toFixed(6))
        .replace("{lat}", centre.lat.toFixed(6));
    }
    element.addEventListener("focus", describeCentre);
    map.on("moveend", function () { if (document.activeElement === element) { describeCentre(); } });
    element.addEventListener("keydown", function (event) {
      if (event.target !== element || (event.key !== "Enter" && event.key !== " ")) { return; }
      event.preventDefault();  // keys inside a control or a popup are theirs
      const centre = map.getCenter();
      if (pick) { pick(centre.lng, centre.lat); } else { showPlace(centre); }
    });
    map.on("popupopen", function (event) {  // Leaflet names its close button in English
      const close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", labels.closePopup); close.title = labels.closePopup; }
    });
    const end = document.createElement("span");
    end.id = elementId + "-end";
    end.className = "jingzhi-map-end";
    end.tabIndex = -1;
    element.after(end);
    const skip = document.createElement("a");
    skip.href = "#" + end.id;
    skip.className = "jingzhi-map-skip";
    skip.textContent = labels.skip;
    skip.addEventListener("click", function (event) { event.preventDefault(); end.focus(); });
    element.before(skip);

    const api = {
      map: map,
      element: element,
      layerControl: layerControl,
      districts: districts,
      grids: grids,
      zones: zones,
      points: points,
      addPoint: function (lon, lat, html) {
        const marker = L.circleMarker([lat, lon], {radius: 6, color: "#c0392b", fillOpacity: 0.8});
        if (html) { marker.bindPopup(html); }
        return marker.addTo(points);
      },
      /* Choosing a point (a click, or Enter at the crosshair) calls handler(lon, lat) in the map's datum. */
      onPick: function (handler) { pick = handler; },
    };
    // Scripts loaded before this one add to every map (e.g. geo/point_layers.js: the registries' layers).
    (global.jingzhiMapPlugins || []).forEach(function (plugin) { plugin(api, opts); });
    return api;
  }

  global.jingzhiMap = jingzhiMap;

  /* A page declares its map in markup, since the Content-Security-Policy allows no inline script:
   * <div id="geo-map" data-map="geo-map-options"> draws a map with the options of that json_script. */
  document.querySelectorAll("[data-map]").forEach(function (element) {
    jingzhiMap(element.id, JSON.parse(document.getElementById(element.dataset.map).textContent));
  });
})(window);

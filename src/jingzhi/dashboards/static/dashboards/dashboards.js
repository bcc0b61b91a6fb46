/* Dashboard charts drawn with ECharts (npm package, served as a static file; no CDN).
 *
 * The page carries its chart data in a json_script element (#dashboard-charts: {name: spec});
 * each <div data-chart="name"> is drawn from its spec (a map's outlines fetched from spec.shapesUrl). Every point's data carries the URL of its
 * drill-down, so a click on a bar, a line point, a district or a grid opens the cases behind it.
 * A drawn chart's element gets data-drawn="true" (the browser tests wait for it).
 */
(function () {
  "use strict";

  // The state colours are the palette's design tokens (core/jingzhi.css), read once, so the charts
  // match the badges and follow the 大字模式's higher-contrast palette.
  const TOKENS = window.getComputedStyle(document.documentElement);
  function token(name) { return TOKENS.getPropertyValue(name).trim(); }
  const COLORS = {done: token("--green"), on_track: token("--blue"), lagging: token("--amber"),
                  overdue: token("--red"), not_started: token("--muted")};
  const DENSITY = ["#eaf2fb", "#aed6f1", "#5dade2", "#2874a6", "#c0392b"];

  function categoryChart(spec, horizontal) {
    const category = {type: "category", data: spec.labels};
    const value = {type: "value", minInterval: 1};
    return {
      tooltip: {trigger: "axis"},
      legend: {top: 0},
      grid: {left: 8, right: 16, top: 32, bottom: 8, containLabel: true},
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: spec.series.map(function (series) {
        const drawn = {name: series.name, type: series.type, stack: series.stack, data: series.data,
                       cursor: "pointer"};
        if (series.status) { drawn.itemStyle = {color: COLORS[series.status]}; }
        return drawn;
      }),
    };
  }

  function mapChart(spec, id, specs) {
    // A map drawn over another chart's areas (the grids over the districts) takes their outlines.
    const outlines = spec.outlines ? specs[spec.outlines].features.map(function (f) {
      return {type: "Feature", geometry: f.geometry, properties: {name: "outline:" + f.properties.name, outline: true}};
    }) : [];
    echarts.registerMap(id, {type: "FeatureCollection", features: outlines.concat(spec.features)});
    const data = spec.features.filter(function (f) { return !f.properties.outline; })
      .map(function (f) { return {name: f.properties.name, value: f.properties.value, url: f.properties.url}; });
    const max = Math.max(1, ...data.map(function (d) { return d.value; }));
    const series = {
      name: spec.name, type: "map", map: id, roam: true, data: data, selectedMode: false,
      label: {show: false}, emphasis: {label: {show: false}},
      itemStyle: {areaColor: "#f4f6f7", borderColor: "#123a6b", borderWidth: 0.6},
    };
    if (spec.bounds) { series.boundingCoords = spec.bounds; }
    return {
      tooltip: {trigger: "item", formatter: function (p) {
        return p.data ? echarts.format.encodeHTML(p.name) + "：" + p.data.value : "";
      }},
      visualMap: {min: 0, max: max, calculable: true, left: 8, bottom: 8, itemHeight: 90,
                  inRange: {color: DENSITY}},
      series: [series],
    };
  }

  const BUILDERS = {
    trend: function (spec) { return categoryChart(spec, false); },
    stack: function (spec) { return categoryChart(spec, true); },
    map: mapChart,
  };

  function draw(element, spec, specs) {
    const chart = echarts.init(element, null, {renderer: "canvas"});
    chart.on("finished", function () { element.dataset.drawn = "true"; });
    chart.setOption(BUILDERS[spec.kind](spec, element.id, specs));
    chart.on("click", function (params) {
      if (params.data && params.data.url) { window.location.assign(params.data.url); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  /* A map whose outlines are not in the page (spec.shapesUrl: geo's districts layer under its version
   * tag, which the browser keeps) gets them first, matched by name; areas without one are left out. */
  function withShapes(spec) {
    if (!spec.shapesUrl) { return Promise.resolve(spec); }
    return fetch(spec.shapesUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(spec.shapesUrl + ": HTTP " + response.status); }
        return response.json();
      })
      .then(function (layer) {
        const shapes = {};
        layer.features.forEach(function (f) { if (f.properties.unit) { shapes[f.properties.unit] = f.geometry; } });
        spec.features = spec.features.filter(function (f) { return shapes[f.properties.name]; })
          .map(function (f) { return Object.assign({}, f, {geometry: shapes[f.properties.name]}); });
        return spec;
      });
  }

  const source = document.getElementById("dashboard-charts");
  if (!source || typeof echarts === "undefined") { return; }
  const specs = JSON.parse(source.textContent);
  Promise.all(Object.keys(specs).map(function (name) { return withShapes(specs[name]); })).then(function () {
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      const spec = specs[element.dataset.chart];
      if (spec) { draw(element, spec, specs); }
    });
  });
})();

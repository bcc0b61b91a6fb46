/* The import page's progress bar: while the import runs, poll its progress record every second and
 * move the bar; when it has finished, reload the page to show the outcome and the report. */
(function () {
  "use strict";
  const box = document.getElementById("import-status");
  if (!box || !box.dataset.progressUrl) { return; }
  const bar = document.getElementById("import-bar");
  const label = document.getElementById("import-label");
  const count = document.getElementById("import-count");

  function poll() {
    fetch(box.dataset.progressUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        label.textContent = data.status_label;
        count.textContent = data.total ? data.processed + " / " + data.total : "";
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();

/* The inspection fill page (templates/inspections/fill.html), on a phone:
 * - "use my location": the phone's WGS84 position into the lon/lat inputs (as the report form does);
 * - "add a sample point": one more row of the item's samples table (net grams, frame area).
 * Words come from the form's data- attributes (translated by the template). No inline script. */
(function () {
  "use strict";

  const form = document.querySelector("form[data-fill-form]");
  if (!form) { return; }
  const words = form.dataset;
  const status = form.querySelector("[data-place-status]");

  form.querySelector("[data-locate]").addEventListener("click", function () {
    if (!navigator.geolocation) { status.textContent = words.locateFailed; return; }
    status.textContent = words.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      form.querySelector("#id_lon").value = position.coords.longitude.toFixed(6);
      form.querySelector("#id_lat").value = position.coords.latitude.toFixed(6);
      status.textContent = words.located;
      status.classList.remove("error");
      form.dataset.located = "true";
    }, function () {
      status.textContent = words.locateFailed;
      status.classList.add("error");
      form.querySelector("details.coordinates").open = true;
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  });

  form.querySelectorAll("[data-add-sample]").forEach(function (button) {
    button.addEventListener("click", function () {
      const body = button.previousElementSibling.querySelector("tbody");
      const rows = body.querySelectorAll("tr");
      if (rows.length >= 50) { return; }
      const row = rows[rows.length - 1].cloneNode(true);
      row.querySelector("td").textContent = String(rows.length + 1);
      const inputs = row.querySelectorAll("input");
      inputs[0].value = "";
      inputs[1].value = "1";
      body.appendChild(row);
      inputs[0].focus();
    });
  });

  let sending = false;
  form.addEventListener("submit", function (event) {
    if (sending) { event.preventDefault(); return; }  // a second tap sends nothing (the form token also guards)
    sending = true;
    form.setAttribute("aria-busy", "true");
  });
}());

/* The report form (templates/cases/_report_form.html), for citizens and staff alike:
 * - the category: a search box filters the grouped tiles; nothing is chosen until the reporter chooses;
 * - the place: "use my location" (WGS84 from the phone), a tap on the map or Enter at its keyboard
 *   crosshair (in the tiles' datum, options.tileCoordSystem, converted by the server), or coordinates
 *   typed in the box behind the map (they draw the marker);
 * - possible duplicates (when the page gives data-duplicates-url): open cases of that category
 *   near the place, each with "我也遇到了" to follow it instead;
 * - sending: once (a second tap does nothing); without a network the report is kept on the phone
 *   (cases/report-drafts.js) and sent with the same form token when the network returns.
 * Words come from the form's data- attributes (translated by the template). No inline script. */
(function (global) {
  "use strict";

  const form = document.querySelector("form[data-report-form]");
  if (!form) { return; }
  const words = form.dataset;

  // ── category ──
  const search = form.querySelector("[data-category-search]");
  const tiles = Array.prototype.slice.call(form.querySelectorAll("[data-category-tile]"));
  const groups = Array.prototype.slice.call(form.querySelectorAll("[data-category-group]"));
  const chosen = form.querySelector("[data-chosen-category]");

  function checkedCategory() { return form.querySelector("input[name=category]:checked"); }

  function filterCategories() {
    const query = search.value.trim().toLowerCase();
    tiles.forEach(function (tile) {
      tile.hidden = query !== "" && tile.dataset.search.toLowerCase().indexOf(query) === -1;
    });
    groups.forEach(function (group) {
      const shown = group.querySelectorAll("[data-category-tile]:not([hidden])").length;
      group.hidden = shown === 0;
      group.open = query !== "" && shown > 0 && shown <= 12;
    });
  }
  search.addEventListener("input", filterCategories);
  // Words typed before this script ran (a slow phone) or kept by the browser (back button) filter too.
  if (search.value.trim() !== "") { filterCategories(); }
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); }  // Enter filters; it does not send the report
  });

  function showChosen() {
    const radio = checkedCategory();
    if (!radio) { return; }
    const group = radio.closest("[data-category-group]");
    chosen.textContent = group.querySelector("summary span").textContent + " · " +
      radio.parentElement.querySelector("span").textContent;
    chosen.classList.remove("muted", "error");
    form.dataset.category = radio.value;
  }

  // ── place ──
  const mapElement = form.querySelector("[data-report-map]");
  const options = JSON.parse(document.getElementById(mapElement.dataset.reportMap).textContent || "{}");
  const m = global.jingzhiMap(mapElement.id, options);
  const lon = form.querySelector("#id_lon");
  const lat = form.querySelector("#id_lat");
  const system = form.querySelector("#id_coord_system");
  const placeStatus = form.querySelector("[data-place-status]");
  let marker = null;

  function mark(mapLon, mapLat) {
    if (marker) { m.points.removeLayer(marker); }
    marker = m.addPoint(mapLon, mapLat);
  }

  function setPlace(x, y, coordSystem) {
    lon.value = x.toFixed(6);
    lat.value = y.toFixed(6);
    system.value = coordSystem;
    mark(x, y);
    lookForDuplicates();
  }

  // A tap on the map, or Enter at its keyboard crosshair (geo/map.js).
  m.onPick(function (mapLon, mapLat) {
    setPlace(mapLon, mapLat, options.tileCoordSystem || "wgs84");
    placeStatus.textContent = words.picked;
    placeStatus.classList.remove("error");
  });

  /* Coordinates typed by hand draw the marker as soon as both are numbers on the globe (brought into
   * view); the server still checks them. */
  function typedPlace() {
    system.value = "wgs84";  // typed by hand: the phone's datum, as the hint says
    const x = Number(lon.value), y = Number(lat.value);
    if (!lon.value.trim() || !lat.value.trim() || !isFinite(x) || !isFinite(y) || Math.abs(x) > 180 ||
        Math.abs(y) > 90) {
      return false;
    }
    mark(x, y);
    if (!m.map.getBounds().contains([y, x])) { m.map.panTo([y, x]); }
    return true;
  }
  [lon, lat].forEach(function (input) {
    input.addEventListener("input", typedPlace);
    input.addEventListener("change", function () { if (typedPlace()) { lookForDuplicates(); } });
  });

  form.querySelector("[data-locate]").addEventListener("click", function () {
    if (!navigator.geolocation) { placeStatus.textContent = words.locateFailed; return; }
    placeStatus.textContent = words.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      setPlace(position.coords.longitude, position.coords.latitude, "wgs84");
      m.map.setView([position.coords.latitude, position.coords.longitude], 17);
      placeStatus.textContent = words.located;
      placeStatus.classList.remove("error");
      form.dataset.located = "true";
    }, function () {
      placeStatus.textContent = words.locateFailed;
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  });

  // ── possible duplicates ──
  const duplicates = form.parentElement.querySelector("[data-duplicates]");
  const list = duplicates && duplicates.querySelector("[data-duplicate-list]");
  let asked = 0;

  function candidateItem(candidate) {
    const item = document.createElement("li");
    item.className = "duplicate";
    item.dataset.number = candidate.number;
    if (candidate.thumbnail) {
      const image = document.createElement("img");
      image.src = candidate.thumbnail;
      image.alt = "";
      item.appendChild(image);
    }
    const about = document.createElement("div");
    const title = document.createElement("b");
    title.textContent = candidate.category;
    const facts = document.createElement("span");
    facts.className = "muted";
    facts.textContent = candidate.status + " · " + words.distance.replace("{metres}", candidate.distance_m) +
      " · " + candidate.reported_on + " · " + candidate.number;
    about.appendChild(title);
    about.appendChild(facts);
    if (candidate.description) {
      const text = document.createElement("p");
      text.textContent = candidate.description;
      about.appendChild(text);
    }
    item.appendChild(about);
    if (words.followUrl) {
      const follow = document.createElement("button");
      follow.type = "submit";
      follow.setAttribute("form", "follow-form");
      follow.formAction = words.followUrl.replace("NUMBER", encodeURIComponent(candidate.number));
      follow.textContent = words.follow;
      item.appendChild(follow);
    }
    return item;
  }

  function lookForDuplicates() {
    const radio = checkedCategory();
    if (!words.duplicatesUrl || !duplicates || !radio || !lon.value || !lat.value) { return; }
    const mine = ++asked;
    const query = new URLSearchParams({category: radio.value, lon: lon.value, lat: lat.value,
                                       coord_system: system.value});
    fetch(words.duplicatesUrl + "?" + query.toString(), {credentials: "same-origin",
                                                         headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || mine !== asked) { return; }
        if (data.point && system.value !== (options.tileCoordSystem || "wgs84")) {
          mark(data.point.lon, data.point.lat);  // the phone's WGS84 point drawn on tiles of another datum
        }
        list.textContent = "";
        data.candidates.forEach(function (candidate) { list.appendChild(candidateItem(candidate)); });
        duplicates.hidden = data.candidates.length === 0;
        duplicates.dataset.count = String(data.candidates.length);
      })
      .catch(function () { return null; });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "category") { showChosen(); lookForDuplicates(); }
  });

  // ── photos: at most the form's number ──
  const photos = form.querySelector("input[name=photos]");
  photos.addEventListener("change", function () {
    const most = Number(photos.dataset.maxFiles);
    photos.setCustomValidity(most && photos.files.length > most ? words.tooManyPhotos : "");
  });

  // ── required inputs out of sight (a closed group, the coordinates behind the map) ──
  form.addEventListener("invalid", function (event) {
    const name = event.target.name;
    if (name === "category") {
      chosen.textContent = words.chooseCategory;
      chosen.classList.add("error");
      document.getElementById("report-category").scrollIntoView({block: "start"});
    } else if (name === "lon" || name === "lat") {
      placeStatus.textContent = words.choosePlace;
      placeStatus.classList.add("error");
      document.getElementById("report-place").scrollIntoView({block: "start"});
    }
  }, true);

  // ── sending: once; kept on the phone without a network ──
  // Under the portal's service worker the page may be a kept copy, the same for every report written
  // offline: each opened form gets its own token (the idempotency key), as a rendered one would.
  const token = form.querySelector("[name=form_token]");
  if (token && navigator.serviceWorker && navigator.serviceWorker.controller && global.crypto) {
    const bytes = global.crypto.getRandomValues(new Uint8Array(16));
    token.value = Array.from(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  const notice = form.querySelector("[data-report-notice]");
  const button = form.querySelector(".form-actions button");
  let sending = false;

  function keepOffline(draft) {
    global.jingzhiDrafts.save(draft).then(function () {
      notice.textContent = words.offlineSaved;
      notice.hidden = false;
      form.dataset.saved = "true";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) { return; }
    sending = true;
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    const draft = {
      token: form.querySelector("[name=form_token]").value, action: form.action, page: global.location.href,
      fields: Array.from(new FormData(form).entries()), saved: Date.now(),
    };
    if (navigator.onLine === false || !global.fetch) {
      keepOffline(draft);
      return;
    }
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin"}).then(
      function (response) {
        if (response.ok && response.redirected) {
          global.location.assign(response.url);
          return;
        }
        // Refused (bad input) or a server error: send it the ordinary way, so the page shows the answer.
        HTMLFormElement.prototype.submit.call(form);
      },
      function () { keepOffline(draft); });
  });

  if (lon.value && lat.value) { mark(Number(lon.value), Number(lat.value)); }
  const preset = checkedCategory();
  if (preset) { preset.closest("[data-category-group]").open = true; showChosen(); lookForDuplicates(); }
})(window);

/* Staff POST forms are sent once: the first submit of a form marks it as sending and disables its
 * buttons; a second submit (double click, Enter pressed again) is dropped. The server holds the
 * real guarantee (each form's token, core/idempotency.py); this only spares the round trip.
 * A page restored by "back" (bfcache) gets its forms usable again. Loaded by core/base.html. */
(function () {
  "use strict";

  function buttonsOf(form) {
    return form.querySelectorAll("button, input[type=submit]");
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    // POST forms only: a GET form (filters, an export download) may be sent again on purpose.
    if (!(form instanceof HTMLFormElement) || form.method !== "post" || event.defaultPrevented) { return; }
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "true";
    form.setAttribute("aria-busy", "true");
    // After this turn, so the clicked button still sends its own name and value.
    window.setTimeout(function () {
      buttonsOf(form).forEach(function (button) { button.disabled = true; });
    }, 0);
  });

  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
      buttonsOf(form).forEach(function (button) { button.disabled = false; });
    });
  });
})();

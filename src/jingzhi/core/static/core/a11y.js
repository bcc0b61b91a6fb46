/* Accessibility of the shell, for every page (loaded by core/base.html; docs/accessibility.md):
 * - 大字模式: the header's switch flips html.large-text in place and remembers it in the jz_text cookie,
 *   which the server reads to class <html> before the first paint (without JavaScript the form posts
 *   to /display/, which sets the same cookie).
 * - A refused form: focus moves to its error summary (core/_error_summary.html), whose links focus
 *   the field they name.
 * - Lists on small screens: each cell of a table.data gets its column's heading as data-label, which
 *   core/jingzhi.css shows in front of the value when the rows reflow to cards. */
(function () {
  "use strict";

  const COOKIE = "jz_text", LARGE = "large", YEAR = 365 * 24 * 3600;

  function displayModeSwitch(form) {
    const button = form.querySelector("button");
    // On the form itself, so it runs before forms.js's document-wide "send once" listener.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const large = document.documentElement.classList.toggle("large-text");
      document.cookie = COOKIE + "=" + (large ? LARGE : "") + "; path=/; SameSite=Lax; max-age=" +
        (large ? YEAR : 0) + (window.location.protocol === "https:" ? "; Secure" : "");
      button.setAttribute("aria-pressed", large ? "true" : "false");
    });
  }

  function errorSummary(summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      const link = event.target.closest("a[href^='#']");
      const field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      // A field inside a closed <details> (the report form's typed coordinates) is opened first.
      // A whole form inside a <details> (a case action) is opened and its summary focused.
      const details = field.closest("details");
      if (details) { details.open = true; }
      const target = field.matches("details") ? field.querySelector("summary") : field;
      target.focus();
      target.scrollIntoView({block: "center"});
    });
  }

  function labelCells(table) {
    const headings = Array.from(table.querySelectorAll(":scope > thead > tr:last-child > th"));
    if (headings.some(function (th) { return th.colSpan > 1; })) { return; }
    table.querySelectorAll(":scope > tbody > tr").forEach(function (row) {
      Array.from(row.children).forEach(function (cell, index) {
        const heading = headings[index];
        const label = heading ? heading.textContent.trim() : "";
        if (label && cell.colSpan === 1 && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", label); }
      });
    });
  }

  function start() {
    document.querySelectorAll("form[data-display-mode]").forEach(displayModeSwitch);
    const summary = document.querySelector("[data-error-summary]");
    if (summary) { errorSummary(summary); }
    document.querySelectorAll("table.data").forEach(labelCells);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

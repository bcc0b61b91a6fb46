/* The header on a phone: the menu (main navigation and account) folds behind the 菜单 button, so the
 * header takes one line of the screen. Without this script (or on a wide screen) everything shows:
 * the stylesheet folds the menu only when the header carries the class this script sets.
 * Loaded by core/base.html; no inline script (the Content-Security-Policy forbids it). */
(function () {
  "use strict";

  const header = document.getElementById("topbar");
  const button = header && header.querySelector(".menu-toggle");
  if (!button) { return; }
  header.classList.add("foldable");

  function setOpen(open) {
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();

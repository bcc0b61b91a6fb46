/* /p/login/: the "send the code again" button waits out the resend cool-down, counting down the seconds
 * (data-resend-after, from the server). Without script the button works and the server answers 429. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const button = document.querySelector("button[data-resend-after]");
    if (!button) { return; }
    const label = button.textContent;
    let left = parseInt(button.dataset.resendAfter, 10) || 0;
    function tick() {
      if (left <= 0) {
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.disabled = true;
      button.textContent = left + " " + button.dataset.waitLabel;
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
  });
}());

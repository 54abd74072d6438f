// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".nav-toggle");
    if (toggle) {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
    }
    // One menu drop-down open at a time; a click elsewhere closes it.
    var current = event.target.closest(".nav-group details");
    document.querySelectorAll(".nav-group details[open]").forEach(function (group) {
      if (group !== current) group.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".nav-group details[open]").forEach(function (group) {
      group.removeAttribute("open");
      group.querySelector("summary").focus();
    });
  });
})();

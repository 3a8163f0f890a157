// The header on narrow screens and tables as cards (issue 18); no inline script anywhere.
//   <button id="menu-toggle" aria-controls="site-menu site-me" hidden>  shown and wired here, so
//       without script the menu simply stays open
//   <details class="user-menu">  closes on Escape or a click elsewhere
//   <table class="list">  each cell gets data-label from its column heading (CSS shows it as a
//       caption when the table turns into cards at phone width); also after htmx swaps
(function () {
  "use strict";

  function setUpMenu() {
    var toggle = document.getElementById("menu-toggle");
    var header = document.getElementById("top");
    if (!toggle || !header) {
      return;
    }
    header.classList.add("js-menu");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("menu-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = open ? "收起" : "菜单";
    });
  }

  function closeUserMenus(except) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (menu !== except) {
        menu.open = false;
      }
    });
  }

  document.addEventListener("click", function (event) {
    var inside = event.target instanceof Element ? event.target.closest("details.user-menu") : null;
    closeUserMenus(inside);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      closeUserMenus(null);
    }
  });

  function labelCells(root) {
    root.querySelectorAll("table.list").forEach(function (table) {
      var headings = table.querySelectorAll("thead th, thead td");
      if (!headings.length) {
        var first = table.querySelector("tr");
        headings = first && !first.querySelector("td") ? first.children : [];
      }
      var names = Array.prototype.map.call(headings, function (cell) {
        return cell.colSpan > 1 ? "" : cell.textContent.trim();
      });
      table.querySelectorAll("tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && names[index]) {
            cell.setAttribute("data-label", names[index]);
          }
        });
      });
    });
  }

  function start() {
    setUpMenu();
    labelCells(document);
  }

  document.addEventListener("htmx:afterSwap", function () {
    labelCells(document);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

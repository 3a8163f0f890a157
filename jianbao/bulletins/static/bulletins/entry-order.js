// Drag and drop ordering of an issue's entries (SortableJS, vendored). A drop fills the hidden
// form #entry-order-form with the new order and submits it through htmx: one request, saved
// at once by the server, which answers with the entry list as saved (or as it stands now, with
// a message, when the page was stale). The ↑/↓ buttons stay for the keyboard.
(function () {
  "use strict";

  function currentOrder(list) {
    return Array.prototype.map.call(
      list.querySelectorAll(":scope > [data-entry-id]"),
      function (el) { return el.dataset.entryId; }
    ).join(",");
  }

  function editing(list) {
    // An entry open for editing keeps its typed text: no drop re-renders the list meanwhile.
    return list.querySelector("form.entry[data-entry-id]") !== null;
  }

  function setUp(list) {
    var form = list.querySelector("#entry-order-form");
    if (!form || typeof window.Sortable === "undefined") {
      return;
    }
    var existing = window.Sortable.get(list);
    if (existing) {
      existing.option("disabled", editing(list));
      return;
    }
    window.Sortable.create(list, {
      disabled: editing(list),
      draggable: "[data-entry-id]",
      handle: ".drag-handle",
      animation: 150,
      ghostClass: "drag-ghost",
      chosenClass: "drag-chosen",
      forceFallback: true,  // the same mouse/touch path everywhere (no native drag image)
      fallbackTolerance: 3,
      onEnd: function () {
        var order = currentOrder(list);
        if (order === form.elements.before.value) {
          return;
        }
        form.elements.order.value = order;
        list.classList.add("saving");
        form.requestSubmit();
      }
    });
  }

  function setUpAll() {
    document.querySelectorAll("[data-entry-order]").forEach(setUp);
  }

  function failed(event) {
    var form = event.detail.elt;
    if (!form || form.id !== "entry-order-form") {
      return;
    }
    var list = form.closest("[data-entry-order]");
    if (list) {
      list.classList.remove("saving");
      var note = document.createElement("p");
      note.className = "errorlist order-message";
      note.setAttribute("role", "alert");
      note.textContent = "顺序未能保存（网络或服务器错误），请刷新页面后重试。";
      list.insertBefore(note, list.firstChild);
    }
  }

  document.addEventListener("htmx:afterSettle", setUpAll);
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();

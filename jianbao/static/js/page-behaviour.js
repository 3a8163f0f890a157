// Behaviour the templates ask for with data- attributes, so that no page needs inline script
// or on* handlers (the Content-Security-Policy allows scripts from this server only).
//   <form data-confirm="…">        asks before submitting
//   <iframe data-fit-height>        grows to its (same-origin) document's height
//   <form data-swap-errors>         htmx swaps 4xx answers into it too (the form with its errors)
//   <select multiple data-click-toggles>  a click selects or unselects one option, no Ctrl needed
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }
  }, true);

  document.addEventListener("mousedown", function (event) {
    var option = event.target;
    if (!(option instanceof HTMLOptionElement)) return;
    var select = option.parentElement;
    if (select instanceof HTMLOptGroupElement) select = select.parentElement;
    if (!(select instanceof HTMLSelectElement) || !select.multiple) return;
    if (!("clickToggles" in select.dataset) || select.disabled || option.disabled) return;
    event.preventDefault();
    var top = select.scrollTop;
    option.selected = !option.selected;
    select.focus();
    select.scrollTop = top;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });

  function fit(frame) {
    try {
      frame.style.height = (frame.contentDocument.documentElement.scrollHeight + 20) + "px";
    } catch (error) {
      // A document from elsewhere keeps its default height.
    }
  }

  function fitAll() {
    document.querySelectorAll("iframe[data-fit-height]").forEach(function (frame) {
      frame.addEventListener("load", function () { fit(frame); });
      if (frame.contentDocument && frame.contentDocument.readyState === "complete") {
        fit(frame);
      }
    });
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var status = event.detail.xhr.status;
    if (target && target.closest("[data-swap-errors]") && status < 500) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fitAll);
  } else {
    fitAll();
  }
})();

/* Keeps the text typed into a form in this browser (localStorage, keyed by the page's path), so
   that a session that timed out does not lose it: after signing in again the text comes back.
   A draft is dropped once its form was submitted and the next page is not the login page, and
   any draft older than a day is dropped. Password fields are never stored. */
(function () {
  "use strict";
  var PREFIX = "jb-draft:";
  var PENDING = "jb-draft-pending";
  var SUBMITTED = "jb-draft-submitted";
  var DAY = 24 * 3600 * 1000;
  var store;
  try {
    store = window.localStorage;
  } catch (e) {
    return;
  }
  if (!store) return;
  var path = location.pathname;
  var onLogin = path.indexOf("/accounts/login/") === 0;

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.disabled) return false;
      if (el.tagName === "TEXTAREA") return true;
      return el.tagName === "INPUT" && (el.type === "text" || el.type === "search" || el.type === "date");
    });
  }

  function draftable(form) {
    return (form.method || "").toLowerCase() === "post" && !form.querySelector("input[type=password]") &&
      !form.hasAttribute("data-no-draft") && fields(form).some(function (el) { return el.tagName === "TEXTAREA"; });
  }

  function save(form, index) {
    var values = {};
    fields(form).forEach(function (el) { values[el.name] = el.value; });
    try {
      store.setItem(PREFIX + path, JSON.stringify({ form: index, values: values, saved: Date.now() }));
    } catch (e) { /* storage full: nothing to do */ }
  }

  function cleanOld() {
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (!key || key.indexOf(PREFIX) !== 0) continue;
      try {
        if (Date.now() - JSON.parse(store.getItem(key)).saved > DAY) store.removeItem(key);
      } catch (e) {
        store.removeItem(key);
      }
    }
  }

  function restore(forms) {
    var raw = store.getItem(PREFIX + path);
    store.removeItem(PENDING);
    if (!raw) return;
    var draft = JSON.parse(raw);
    var form = forms[draft.form];
    if (!form) return;
    fields(form).forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(draft.values, el.name)) {
        el.value = draft.values[el.name];
        el.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    var note = document.createElement("p");
    note.className = "messages info draft-restored";
    note.id = "draft-restored";
    note.textContent = "已恢复超时前未保存的文字，请检查后再保存。";
    form.parentNode.insertBefore(note, form);
  }

  window.jianbaoDrafts = {
    keepForLogin: function () {
      if (store.getItem(PREFIX + path)) store.setItem(PENDING, path);
    }
  };

  cleanOld();
  var submitted = store.getItem(SUBMITTED);
  if (submitted) {
    store.removeItem(SUBMITTED);
    if (onLogin) store.setItem(PENDING, submitted);  // the post met an expired session
    else store.removeItem(PREFIX + submitted);
  }
  if (onLogin) return;
  var forms = Array.prototype.filter.call(document.forms, draftable);
  if (store.getItem(PENDING) === path) restore(forms);
  forms.forEach(function (form, index) {
    form.addEventListener("input", function () { save(form, index); });
    form.addEventListener("submit", function () { store.setItem(SUBMITTED, path); });
  });
})();

/* Video Creator — small progressive enhancements. No libraries.
   Every text shown to people comes from data- attributes set in templates. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("js");

  /* Submit the form of any <select data-autosubmit> when it changes.
     Delegated, so it also works for content swapped in by htmx. */
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-autosubmit")) {
      return;
    }
    var form = select.form;
    if (!form) {
      return;
    }
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  /* Copy buttons: <button data-copy="element-id" data-copied="Copied!"> */
  var copyTimers = new WeakMap();

  function textOf(element) {
    if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
      return element.value;
    }
    return (element.textContent || "").trim();
  }

  function selectContents(element) {
    if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
      element.focus();
      element.select();
      return;
    }
    var selection = window.getSelection();
    if (!selection) {
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(element);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function legacyCopy(element) {
    selectContents(element);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function showCopied(button) {
    var copiedLabel = button.getAttribute("data-copied");
    if (!copiedLabel) {
      return;
    }
    if (!copyTimers.has(button)) {
      button.setAttribute("data-copy-label", button.textContent);
    } else {
      window.clearTimeout(copyTimers.get(button));
    }
    button.textContent = copiedLabel;
    copyTimers.set(button, window.setTimeout(function () {
      button.textContent = button.getAttribute("data-copy-label");
      button.removeAttribute("data-copy-label");
      copyTimers.delete(button);
    }, 2000));
  }

  function copyFrom(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) {
      return;
    }
    var text = textOf(target);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        showCopied(button);
      }, function () {
        if (legacyCopy(target)) {
          showCopied(button);
        }
      });
    } else if (legacyCopy(target)) {
      showCopied(button);
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    if (target.closest("[data-print]")) {
      window.print();
      return;
    }
    var button = target.closest("[data-copy]");
    if (button) {
      event.preventDefault();
      copyFrom(button);
    }
    /* Close open account menus when clicking anywhere outside them. */
    var menus = document.querySelectorAll("details.account-menu[open]");
    for (var i = 0; i < menus.length; i++) {
      if (!menus[i].contains(target)) {
        menus[i].removeAttribute("open");
      }
    }
  });

  /* Escape closes an open account menu and returns focus to its summary. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") {
      return;
    }
    var menus = document.querySelectorAll("details.account-menu[open]");
    for (var i = 0; i < menus.length; i++) {
      var menu = menus[i];
      var hadFocus = menu.contains(document.activeElement);
      menu.removeAttribute("open");
      if (hadFocus) {
        var summary = menu.querySelector("summary");
        if (summary) {
          summary.focus();
        }
      }
    }
  });
})();

/* Sign-up: tell the server the browser's time zone, so times show in it from the start. */
document.addEventListener("DOMContentLoaded", function () {
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    zone = "";
  }
  document.querySelectorAll('input[type="hidden"][name="time_zone"]').forEach(function (input) {
    if (!input.value && zone) {
      input.value = zone;
    }
  });
});

/* Forms with data-confirm ask before they submit (the text comes translated from the page), and
   so do buttons with data-confirm: one form may serve many buttons, each with its own
   formaction (the review page's comment actions), and only some of them need asking. */
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement)) {
    return;
  }
  var submitter = event.submitter;
  var question = submitter && submitter.hasAttribute("data-confirm")
    ? submitter.getAttribute("data-confirm")
    : form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

/* The analytics consent banner: answer without leaving the page. Without this script the
   banner is an ordinary form that posts and comes back to the page. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-consent-form]");
  if (!form || typeof window.fetch !== "function") {
    return;
  }
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.name) {
      return; /* an old browser without `submitter`: let the form post */
    }
    event.preventDefault();
    var data = new FormData(form);
    data.set(button.name, button.value);
    function postInstead() {
      var choice = document.createElement("input");
      choice.type = "hidden";
      choice.name = button.name;
      choice.value = button.value;
      form.appendChild(choice);
      form.submit();
    }
    window.fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) {
        postInstead();
        return;
      }
      var banner = document.getElementById("consent-banner");
      if (banner) {
        banner.hidden = true;
      }
      var main = document.getElementById("main");
      if (main) {
        main.focus(); /* focus was on the banner's button, which is gone */
      }
    }, postInstead);
  });
})();

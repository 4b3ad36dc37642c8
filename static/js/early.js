/* Loaded in <head> before the page renders: marks that scripts run, so the CSS can hide the
   no-script fallbacks without a flash. (An inline script would break the Content-Security-Policy.) */
document.documentElement.classList.add("js");

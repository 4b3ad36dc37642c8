/* Review page: the player seeks to comments, comments take the player's time, and
   "@" offers the workspace's members. Works on top of plain forms and links. */
(function () {
  "use strict";

  var player = document.querySelector(".media-frame video");

  /* The timeline: a marker link per thread, drawn from the compact list the page's
     data-markers-url answers ([thread, time_ms, end_ms or null, resolved]) rather than sent
     as thousands of links. Each sits where its thread is, as percentages of the version's length
     (the Content-Security-Policy refuses inline style attributes, not styles set from here). */
  var timeline = document.querySelector(".comment-timeline[data-duration-ms]");
  var durationMs = timeline ? parseInt(timeline.getAttribute("data-duration-ms"), 10) || 1 : 1;
  /* Markers whose threads are not on the page yet, by thread id: "Load more" may bring them. */
  var markersElsewhere = {};

  function percent(ms) {
    return (Math.min(ms / durationMs, 1) * 100).toFixed(2) + "%";
  }

  /* Milliseconds as teams/timecodes.py format_timecode writes them: "0:05", "1:02.5",
     "1:02:05" (tenths only when there are some). */
  function timecode(ms) {
    var seconds = Math.floor(ms / 1000);
    var tenths = Math.floor((ms - seconds * 1000) / 100);
    var minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    var hours = Math.floor(minutes / 60);
    minutes -= hours * 60;
    var text = hours
      ? hours + ":" + (minutes < 10 ? "0" : "") + minutes + ":" + (seconds < 10 ? "0" : "") + seconds
      : minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    return tenths ? text + "." + tenths : text;
  }

  function loadMarkers() {
    var url = timeline && timeline.getAttribute("data-markers-url");
    if (!url || !window.fetch) {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(drawMarkers)
      .catch(function () {
        /* no markers: the comment list keeps its timecodes */
      });
  }

  function drawMarkers(markers) {
    var label = timeline.getAttribute("data-marker-label") || "%(at)s";
    var filter = timeline.hasAttribute("data-hide-resolved") ? "&resolved=hide" : "";
    var links = document.createDocumentFragment();
    markers.forEach(function (row) {
      var thread = row[0];
      var start = row[1];
      var end = row[2];
      var link = document.createElement("a");
      link.className =
        "comment-marker" + (row[3] ? " is-resolved" : "") + (end ? " is-range" : "");
      if (document.getElementById("comment-" + thread)) {
        link.href = "#comment-" + thread;
      } else {
        /* not on the page: the link loads the page that shows its thread */
        link.href = "?thread=" + thread + filter + "#comment-" + thread;
        markersElsewhere[thread] = link;
      }
      link.title = label.replace("%(at)s", timecode(start));
      link.setAttribute("data-time-ms", start);
      if (end) {
        link.setAttribute("data-end-ms", end);
      }
      link.style.setProperty("--start", percent(start));
      link.style.setProperty("--length", percent((end || start) - start));
      links.appendChild(link);
    });
    timeline.appendChild(links);
    timeline.setAttribute("data-markers-drawn", markers.length);
  }

  /* "Load more comments" brought threads in: their markers link to them here now. */
  function relinkMarkers() {
    Object.keys(markersElsewhere).forEach(function (thread) {
      if (document.getElementById("comment-" + thread)) {
        markersElsewhere[thread].href = "#comment-" + thread;
        delete markersElsewhere[thread];
      }
    });
  }

  loadMarkers();
  document.body.addEventListener("htmx:afterSettle", relinkMarkers);

  function formatTime(seconds) {
    var total = Math.max(0, Math.floor(seconds * 10) / 10);
    var minutes = Math.floor(total / 60);
    var rest = total - minutes * 60;
    var whole = Math.floor(rest);
    var tenths = Math.round((rest - whole) * 10);
    return minutes + ":" + (whole < 10 ? "0" : "") + whole + (tenths ? "." + tenths : "");
  }

  function seek(ms) {
    if (!player || isNaN(ms)) {
      return;
    }
    player.pause();
    player.currentTime = ms / 1000;
  }

  /* The comment a link or the address points at ("…#comment-12"), if it is on the page. */
  function commentOf(href) {
    var match = /#comment-(\d+)$/.exec(href || "");
    return match ? document.getElementById("comment-" + match[1]) : null;
  }

  function highlight(hash) {
    var item = commentOf(hash);
    if (!item) {
      return;
    }
    document.querySelectorAll(".comment.is-highlighted").forEach(function (other) {
      other.classList.remove("is-highlighted");
    });
    item.classList.add("is-highlighted");
    seek(parseInt(item.getAttribute("data-time-ms"), 10));
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-seek-ms], .comment-marker");
    if (link) {
      seek(parseInt(link.getAttribute("data-seek-ms") || link.getAttribute("data-time-ms"), 10));
      var item = commentOf(link.getAttribute("href"));
      if (item) {
        /* The thread is on the page (the link may still say ?thread= if it came some other
           way than "Load more"): stay, and show it. */
        event.preventDefault();
        window.location.hash = item.id;
        highlight("#" + item.id);
      }
      return; /* not on the page: the link loads the page that shows its thread */
    }
    var button = event.target.closest("[data-use-player-time]");
    if (button && player) {
      var input = document.getElementById(button.getAttribute("data-use-player-time"));
      input.value = formatTime(player.currentTime);
      input.setAttribute("data-touched", "");
    }
  });

  window.addEventListener("hashchange", function () {
    highlight(window.location.hash);
  });
  highlight(window.location.hash);

  /* An older link to a comment whose thread is not among the threads shown (notifications
     saved before threads came in chunks): ask for the page that shows its thread. */
  var wanted = /^#comment-(\d+)$/.exec(window.location.hash);
  var query = new URLSearchParams(window.location.search);
  if (wanted && !commentOf(window.location.hash) && !query.has("thread")) {
    query.delete("threads_after");
    query.set("thread", wanted[1]);
    window.location.replace("?" + query.toString() + window.location.hash);
  }

  /* The new comment takes the paused player's position unless the time was typed. */
  var at = document.getElementById("comment-at");
  if (at) {
    at.addEventListener("input", function () {
      at.setAttribute("data-touched", "");
    });
    var text = document.getElementById("comment-text");
    if (text && player) {
      text.addEventListener("focus", function () {
        if (!at.hasAttribute("data-touched") && player.currentTime > 0) {
          at.value = formatTime(player.currentTime);
        }
      });
    }
  }

  /* @mentions: a listbox under the textarea, driven by keyboard or pointer. Whom to offer is
     asked of the server (data-mentions-url) the first time a comment box is focused, once per
     page: most visits write nothing, and a workspace may have hundreds of members. */
  var candidates = {};

  function mentionCandidates(url) {
    if (!candidates[url]) {
      candidates[url] = fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .catch(function () {
          delete candidates[url]; /* offline for a moment: ask again on the next focus */
          return [];
        });
    }
    return candidates[url];
  }

  function setUpMentions(textarea) {
    var url = textarea.getAttribute("data-mentions-url");
    var members = [];
    var list = document.createElement("ul");
    list.className = "mention-options";
    list.id = textarea.id + "-mentions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);
    textarea.setAttribute("aria-expanded", "false");
    var active = -1;
    var matches = [];
    var start = -1;

    function query() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var atIndex = before.lastIndexOf("@");
      if (atIndex < 0 || (atIndex > 0 && !/\s/.test(before.charAt(atIndex - 1)))) {
        return null;
      }
      var typed = before.slice(atIndex + 1);
      if (typed.length > 40 || /\n/.test(typed)) {
        return null;
      }
      start = atIndex;
      return typed.toLowerCase();
    }

    function close() {
      list.hidden = true;
      textarea.setAttribute("aria-expanded", "false");
      textarea.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function render() {
      list.innerHTML = "";
      matches.forEach(function (member, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + member.id;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", index === active ? "true" : "false");
        option.textContent = member.name + " ";
        var email = document.createElement("span");
        email.className = "muted";
        email.textContent = member.email;
        option.appendChild(email);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(member);
        });
        list.appendChild(option);
      });
      if (active >= 0) {
        textarea.setAttribute("aria-activedescendant", list.id + "-" + matches[active].id);
      }
    }

    function choose(member) {
      var caret = textarea.selectionStart;
      var inserted = "@" + member.handle + " ";
      textarea.value = textarea.value.slice(0, start) + inserted + textarea.value.slice(caret);
      var position = start + inserted.length;
      textarea.setSelectionRange(position, position);
      textarea.focus();
      close();
    }

    function offer() {
      var typed = query();
      if (typed === null) {
        close();
        return;
      }
      matches = members
        .filter(function (member) {
          return (
            member.name.toLowerCase().indexOf(typed) === 0 ||
            member.email.toLowerCase().indexOf(typed) === 0 ||
            member.name.toLowerCase().indexOf(" " + typed) >= 0
          );
        })
        .slice(0, 8);
      if (!matches.length) {
        close();
        return;
      }
      active = 0;
      list.hidden = false;
      textarea.setAttribute("aria-expanded", "true");
      render();
    }

    var asked = false;

    function load() {
      if (asked) {
        return;
      }
      asked = true;
      mentionCandidates(url).then(function (found) {
        members = Array.isArray(found) ? found : [];
        asked = members.length > 0; /* none came (offline?): ask again on the next focus */
        if (document.activeElement === textarea) {
          offer(); /* what was typed before the members arrived */
        }
      });
    }

    textarea.addEventListener("focus", load);
    textarea.addEventListener("input", function () {
      load();
      offer();
    });
    if (document.activeElement === textarea) {
      load(); /* an autofocused reply box had its focus before this script ran */
    }

    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        active = (active + step + matches.length) % matches.length;
        render();
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        choose(matches[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    textarea.addEventListener("blur", close);
  }

  document.querySelectorAll("textarea[data-mentions-url]").forEach(setUpMentions);
})();

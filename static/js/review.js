/* Review page: the player seeks to comments, comments take the player's time, and
   "@" offers the workspace's members. Works on top of plain forms and links. */
(function () {
  "use strict";

  var player = document.querySelector(".media-frame video");

  /* Markers sit where their comments are on the timeline (percentages from data- attributes:
     the Content-Security-Policy refuses inline style attributes, not styles set from here). */
  document.querySelectorAll(".comment-marker[data-start-pct]").forEach(function (marker) {
    marker.style.setProperty("--start", marker.getAttribute("data-start-pct") + "%");
    marker.style.setProperty("--length", (marker.getAttribute("data-length-pct") || "0") + "%");
  });

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

  function highlight(hash) {
    var match = /^#comment-(\d+)$/.exec(hash || "");
    if (!match) {
      return;
    }
    var item = document.getElementById("comment-" + match[1]);
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
      highlight(link.getAttribute("href"));
      return;
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

  /* @mentions: a listbox under the textarea, driven by keyboard or pointer. */
  function setUpMentions(textarea) {
    var source = document.getElementById(textarea.getAttribute("data-mentions"));
    if (!source) {
      return;
    }
    var members = JSON.parse(source.textContent);
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

    textarea.addEventListener("input", function () {
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
    });

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

  document.querySelectorAll("textarea[data-mentions]").forEach(setUpMentions);
})();

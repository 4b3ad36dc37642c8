/* Video Creator — client events. `vcTrack(name, properties)` puts an event in a queue kept in
   localStorage; the queue is sent to POST /api/v1/events/batch/ in batches of at most 500 when
   the browser is online: on load, when it comes back online, every 15 seconds, and when the
   page is hidden. An event leaves the queue only once the server has stored it, already had
   it (same uuid), or refused it for good; anything else (offline, a network error, a server
   error, too many requests) keeps it for the next try. Nothing recorded offline is lost, and
   nothing is stored twice: each event carries its own uuid. No library, no third party. */
(function () {
  "use strict";

  var KEY = "vc_events_queue";
  var BATCH = 500; /* the server's limit per request */
  var KEEP = 5000; /* the oldest events go first beyond this, so storage never fills up */
  var INTERVAL_MS = 15000;
  var KEEPALIVE_BYTES = 60000; /* browsers cap a keepalive request's body at 64 KB */

  var script = document.currentScript;
  var endpoint = script && script.getAttribute("data-endpoint");
  if (!endpoint || !window.localStorage || !window.fetch) {
    window.vcTrack = function () {};
    return;
  }
  var sending = false;

  function load() {
    try {
      var queue = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (error) {
      return [];
    }
  }

  function save(queue) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(queue.slice(-KEEP)));
    } catch (error) {
      /* storage full or forbidden: the events stay in this page only */
    }
  }

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    /* crypto.randomUUID needs a secure context; plain http on a LAN address has none. */
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function csrfToken() {
    /* base.html hands htmx the token; the cookie is the fallback. */
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) {
        return headers["X-CSRFToken"];
      }
    } catch (error) {
      /* fall through */
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function request(batch, keepalive) {
    return window.fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken()
      },
      body: JSON.stringify({ events: batch })
    });
  }

  /* Drop the sent events from the queue as it is now (another tab, or vcTrack, may have
     changed it while the request was out). */
  function forget(sent) {
    var gone = {};
    sent.forEach(function (event) {
      gone[event.uuid] = true;
    });
    save(load().filter(function (event) {
      return !gone[event.uuid];
    }));
  }

  function flush() {
    if (sending || !navigator.onLine) {
      return Promise.resolve();
    }
    var batch = load().slice(0, BATCH);
    if (!batch.length) {
      return Promise.resolve();
    }
    sending = true;
    return request(batch, false).then(function (response) {
      /* 200: every item was stored, a duplicate, or refused for good (the answer's
         `errors`: the same item would be refused again). 400: the request as a whole can
         never be accepted. Anything else (403, 429, 5xx) is worth another try. */
      if (response.ok || response.status === 400) {
        forget(batch);
        return batch.length === BATCH;
      }
      return false;
    }, function () {
      return false;
    }).then(function (more) {
      sending = false;
      if (more) {
        return flush();
      }
    });
  }

  /* The page is going away: send what fits in one keepalive request, without waiting for the
     answer. The events stay queued, so the next page sends them again if this one was lost;
     the server stores each uuid once. */
  function flushOnLeave() {
    if (!navigator.onLine) {
      return;
    }
    var queue = load();
    var batch = [];
    var size = 20;
    for (var i = 0; i < queue.length && batch.length < BATCH; i++) {
      size += JSON.stringify(queue[i]).length + 1;
      if (size > KEEPALIVE_BYTES) {
        break;
      }
      batch.push(queue[i]);
    }
    if (batch.length) {
      request(batch, true).catch(function () {});
    }
  }

  window.vcTrack = function (name, properties) {
    var queue = load();
    queue.push({
      uuid: newId(),
      name: String(name),
      occurred_at: new Date().toISOString(),
      properties: properties && typeof properties === "object" ? properties : {}
    });
    save(queue);
  };

  window.addEventListener("online", flush);
  window.addEventListener("pagehide", flushOnLeave);
  window.setInterval(flush, INTERVAL_MS);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", flush);
  } else {
    flush();
  }
})();

/* The session's watch page: tells the server "join" on opening, "beat" every minute while open
   and "leave" on closing (sendBeacon, so it goes out as the page unloads). events/presence.py turns
   these into minutes attended. The chosen interpretation language travels with the beats. */
(function () {
  "use strict";
  const node = document.getElementById("presence-config");
  if (!node) return;
  const config = JSON.parse(node.textContent);
  if (!config.counts) return; // someone else's page (an organiser checking it): not counted
  let language = "";
  function form(event) {
    const data = new FormData();
    data.append("event", event);
    data.append("language", language);
    data.append("r", config.r);
    data.append("key", config.key);
    data.append("csrfmiddlewaretoken", config.csrf);
    return data;
  }
  function send(event) {
    return fetch(config.url, { method: "POST", body: form(event), credentials: "same-origin", keepalive: true }).catch(() => {});
  }
  document.querySelectorAll("#stream-links a[data-language]").forEach((a) => {
    a.addEventListener("click", () => {
      language = a.dataset.language;
      send("beat");
    });
  });
  send("join");
  setInterval(() => send("beat"), config.heartbeat * 1000);
  window.addEventListener("pagehide", () => navigator.sendBeacon(config.url, form("leave")));
})();

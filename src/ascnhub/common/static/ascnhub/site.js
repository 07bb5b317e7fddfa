// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Tell the server the browser's time zone once, so times are shown in it from the next page on.
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && document.cookie.indexOf("ascnhub_tz=") === -1) {
      // Zone names ("Asia/Tokyo") are valid cookie values as they are: no encoding.
      document.cookie = "ascnhub_tz=" + tz + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* old browser: the site default zone is used */ }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    document.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
    // A table that scrolls sideways in its own box (phones) must be reachable by keyboard.
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1 && !table.querySelector("a, button, input, select, textarea")) {
        table.tabIndex = 0;
      }
    });

    // City map: Leaflet from our own static files. Country outlines (vendored Natural Earth) are
    // drawn under the markers, so the map reads without a tile server; tiles only when configured.
    var mapEl = document.getElementById("city-map");
    var dataEl = document.getElementById("map-points");
    if (mapEl && dataEl && window.L) {
      var points = JSON.parse(dataEl.textContent);
      var map = L.map(mapEl, { scrollWheelZoom: false });
      if (mapEl.dataset.tiles) {
        L.tileLayer(mapEl.dataset.tiles, { attribution: mapEl.dataset.attribution, maxZoom: 18 }).addTo(map);
      }
      var outlines = document.querySelector('meta[name="ascnhub-outlines"]');
      if (outlines) {
        map.createPane("outlines");
        map.getPane("outlines").style.zIndex = 350; // under the markers' overlay pane (400)
        fetch(outlines.content).then(function (r) { return r.json(); }).then(function (data) {
          L.geoJSON(data, {
            pane: "outlines",
            interactive: false,
            style: { color: "#6b7f8e", weight: 1, fillColor: "#e8eef2", fillOpacity: 1 }
          }).addTo(map);
          map.attributionControl.addAttribution("Natural Earth");
          mapEl.classList.add("outlines-ready");
        }).catch(function () { /* markers alone still show where the cities are */ });
      }
      var bounds = [];
      points.forEach(function (p) {
        var marker = L.circleMarker([p.lat, p.lng], { radius: 7, color: "#0b4f8a", fillColor: "#f2a900", fillOpacity: 0.9, weight: 2 }).addTo(map);
        var label = document.createElement("span");
        if (p.url) {
          var a = document.createElement("a"); a.href = p.url; a.textContent = p.name; label.appendChild(a);
        } else { label.textContent = p.name; }
        label.appendChild(document.createTextNode(" · " + p.country));
        marker.bindTooltip(p.name).bindPopup(label);
        bounds.push([p.lat, p.lng]);
      });
      if (bounds.length === 1) { map.setView(bounds[0], 11); } else { map.fitBounds(bounds, { padding: [20, 20] }); }
      var fallback = mapEl.querySelector(".map-fallback"); if (fallback) { fallback.remove(); }
      mapEl.classList.add("map-ready");
    }
  });
})();

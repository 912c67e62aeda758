/* LabCommons page helpers (loaded by the layout after htmx). */
(function () {
  'use strict';

  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute('content') : null;
  }

  /* htmx: every unsafe request carries the session's CSRF token (SessionFilter checks X-CSRF-Token). */
  document.addEventListener('htmx:configRequest', function (e) {
    var token = meta('csrf-token');
    if (token && !/^(get|head|options|trace)$/i.test(e.detail.verb)) {
      e.detail.headers['X-CSRF-Token'] = token;
    }
  });

  /* Maps: <div class="map" data-map data-lat=".." data-lon=".." data-label=".." data-zoom="16"> with
     Leaflet loaded (fragments/layout :: leaflet); tiles from labcommons.web.map-tiles. */
  function initMaps(root) {
    if (!window.L) {
      return [];
    }
    var maps = [];
    (root || document).querySelectorAll('[data-map]').forEach(function (el) {
      if (el.lcMap) {
        return;
      }
      var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
      if (isNaN(lat) || isNaN(lon)) {
        return;
      }
      var map = L.map(el, {scrollWheelZoom: false}).setView([lat, lon], parseInt(el.dataset.zoom || '16', 10));
      L.tileLayer(meta('lc-map-tiles'), {maxZoom: 19, attribution: meta('lc-map-attribution') || ''}).addTo(map);
      var marker = L.marker([lat, lon]).addTo(map);
      if (el.dataset.label) {
        var label = document.createElement('span');
        label.textContent = el.dataset.label; /* text, never HTML */
        marker.bindPopup(label);
      }
      el.lcMap = map;
      maps.push(map);
    });
    return maps;
  }

  window.LabCommons = {csrfToken: function () { return meta('csrf-token'); }, initMaps: initMaps};
  document.addEventListener('DOMContentLoaded', function () { initMaps(); });
  document.addEventListener('htmx:load', function (e) { initMaps(e.detail.elt); });
})();

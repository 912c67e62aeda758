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

  /* The phone's menu button (#nav-toggle, aria-controls="nav"): below 48rem the navigation starts folded and
     the button opens and closes it (a <button>, so Enter and Space work; Escape closes and returns focus).
     From 48rem the CSS hides the button and always shows the navigation. Without this script the button
     stays hidden and the navigation open. */
  function initNavToggle() {
    var button = document.getElementById('nav-toggle');
    var nav = document.getElementById('nav');
    if (!button || !nav || button.lcReady) {
      return;
    }
    button.lcReady = true;
    var narrow = window.matchMedia('(max-width: 47.99rem)');
    function set(open) {
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
      nav.classList.toggle('folded', !open);
    }
    button.hidden = false;
    set(!narrow.matches);
    button.addEventListener('click', function () {
      set(button.getAttribute('aria-expanded') !== 'true');
    });
    nav.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && narrow.matches) {
        set(false);
        button.focus();
      }
    });
    narrow.addEventListener('change', function () { set(!narrow.matches); });
  }

  /* Every table in a page's main scrolls inside its own box (.table-wrap); a template that forgot the
     wrapper gets one here. */
  function wrapTables(root) {
    (root || document).querySelectorAll('main table').forEach(function (table) {
      if (table.closest('.table-wrap') || table.closest('.calendar')) {
        return;
      }
      var wrap = document.createElement('div');
      wrap.className = 'table-wrap';
      table.parentNode.insertBefore(wrap, table);
      wrap.appendChild(table);
    });
  }

  window.LabCommons = {csrfToken: function () { return meta('csrf-token'); }, initMaps: initMaps};
  document.addEventListener('DOMContentLoaded', function () { initNavToggle(); wrapTables(); initMaps(); });
  document.addEventListener('htmx:load', function (e) { wrapTables(e.detail.elt); initMaps(e.detail.elt); });
})();

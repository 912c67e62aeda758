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

  /* A lat/lon grid for the plain background: about three to eight lines each way at any zoom. */
  var GRID_STEPS = [30, 10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0002, 0.0001];

  function drawGrid(map, grid) {
    grid.clearLayers();
    var b = map.getBounds();
    var south = Math.max(b.getSouth(), -85), north = Math.min(b.getNorth(), 85);
    var west = b.getWest(), east = b.getEast();
    var span = Math.max(north - south, east - west);
    var step = GRID_STEPS[GRID_STEPS.length - 1];
    for (var i = 0; i < GRID_STEPS.length; i++) {
      if (span / GRID_STEPS[i] >= 3) {
        step = GRID_STEPS[i];
        break;
      }
    }
    var style = {className: 'map-grid', interactive: false, weight: 1, color: '#b9b2a4', opacity: 0.8};
    for (var lat = Math.ceil(south / step) * step; lat <= north; lat += step) {
      L.polyline([[lat, west], [lat, east]], style).addTo(grid);
    }
    for (var lon = Math.ceil(west / step) * step; lon <= east; lon += step) {
      L.polyline([[south, lon], [north, lon]], style).addTo(grid);
    }
  }

  /* The tiles of every map (LabCommons.mapTiles(map, el)), from the map element's data-tile-url,
     data-subdomains, data-attribution, data-max-zoom, data-tile-key and data-tile-timeout (the
     deployment's labcommons.maps.*, Pages' mapTiles). When none can load (every tile failed, none
     arrived within data-tile-timeout ms, or the browser is offline) the tile layer goes and the markers
     stay on a plain background with a lat/lon grid (class map-offline, data-fallback = error, timeout or
     offline), and the note whose id data-note names (default map-note) is shown. */
  function mapTiles(map, el) {
    var note = document.getElementById(el.dataset.note || 'map-note');
    var loaded = 0, failed = 0, fallen = false, timer = null;
    var layer = null;

    function fallback(reason) {
      if (fallen || loaded > 0) {
        return;
      }
      fallen = true;
      clearTimeout(timer);
      if (layer) {
        map.removeLayer(layer);
      }
      el.classList.add('map-offline');
      el.dataset.fallback = reason;
      if (note) {
        note.hidden = false;
      }
      var grid = L.layerGroup().addTo(map);
      drawGrid(map, grid);
      map.on('moveend', function () { drawGrid(map, grid); });
    }

    var url = el.dataset.tileUrl;
    if (!url || navigator.onLine === false) {
      fallback('offline');
      return;
    }
    var options = {
      maxZoom: parseInt(el.dataset.maxZoom, 10) || 19,
      attribution: el.dataset.attribution || ''
    };
    if (el.dataset.subdomains) {
      options.subdomains = el.dataset.subdomains;
    }
    if (el.dataset.tileKey) {
      options.key = el.dataset.tileKey;
    }
    layer = L.tileLayer(url, options);
    layer.on('tileload', function () {
      loaded++;
      clearTimeout(timer);
    });
    layer.on('tileerror', function () { failed++; });
    layer.on('load', function () {
      if (!loaded && failed) {
        fallback('error');
      }
    });
    timer = setTimeout(function () {
      if (!loaded) {
        fallback('timeout');
      }
    }, parseInt(el.dataset.tileTimeout, 10) || 8000);
    window.addEventListener('offline', function () { fallback('offline'); });
    layer.addTo(map);
  }

  /* Maps: <div class="map" data-map data-lat=".." data-lon=".." data-map-lat=".." data-map-lon=".."
     data-label=".." data-zoom="16" data-tile-…> with Leaflet loaded (fragments/layout :: leaflet). The
     marker goes to data-map-lat/-lon (the place in the tiles' coordinate system, GCJ-02 for such a
     provider), else data-lat/-lon; the tiles and their fallback: mapTiles. */
  function initMaps(root) {
    if (!window.L) {
      return [];
    }
    var maps = [];
    (root || document).querySelectorAll('[data-map]').forEach(function (el) {
      if (el.lcMap) {
        return;
      }
      var lat = parseFloat(el.dataset.mapLat || el.dataset.lat), lon = parseFloat(el.dataset.mapLon || el.dataset.lon);
      if (isNaN(lat) || isNaN(lon)) {
        return;
      }
      var zoom = Math.min(parseInt(el.dataset.zoom || '16', 10), parseInt(el.dataset.maxZoom, 10) || 19);
      var map = L.map(el, {scrollWheelZoom: false}).setView([lat, lon], zoom);
      var marker = L.marker([lat, lon]).addTo(map);
      if (el.dataset.label) {
        var label = document.createElement('span');
        label.textContent = el.dataset.label; /* text, never HTML */
        marker.bindPopup(label);
      }
      mapTiles(map, el);
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

  window.LabCommons = {csrfToken: function () { return meta('csrf-token'); }, initMaps: initMaps, mapTiles: mapTiles};
  document.addEventListener('DOMContentLoaded', function () { initNavToggle(); wrapTables(); initMaps(); });
  document.addEventListener('htmx:load', function (e) { wrapTables(e.detail.elt); initMaps(e.detail.elt); });
})();

/* The search page (views/search/page.html), progressively enhanced; without this file the page is a
   plain form with links. Adds:
   - autocomplete on #q: debounced requests to its data-suggest-url (the session-aware
     /search/suggest, same JSON as /api/v1/search/suggest) in the page's language, shown as an ARIA
     listbox (arrow keys move, Enter picks, Escape closes, a click picks);
   - "near me": the browser's position into the form's lat/lon, then sorted by distance; choosing a
     radius without a position asks for it first;
   - sort and radius apply on change; a new search text drops the chosen facets;
   - the map of the located results (Leaflet; the tile source from the map's data-tile-* attributes,
     labcommons.maps.*, drawn by app.js's LabCommons.mapTiles), or, when no tile loads, the markers on a plain
     background with a grid and a note;
   - the facets start closed on a narrow screen. */
(function () {
  'use strict';

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function initAutocomplete(input) {
    var list = document.getElementById(input.getAttribute('aria-controls'));
    if (!list || input.lcCombo) {
      return;
    }
    input.lcCombo = true;
    var seq = 0, active = -1, items = [];

    function close() {
      list.hidden = true;
      list.textContent = '';
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
      items = [];
    }

    function highlight(i) {
      var options = list.querySelectorAll('[role=option]');
      options.forEach(function (o, n) {
        o.setAttribute('aria-selected', n === i ? 'true' : 'false');
        o.classList.toggle('active', n === i);
      });
      active = i;
      if (i >= 0 && options[i]) {
        input.setAttribute('aria-activedescendant', options[i].id);
        options[i].scrollIntoView({block: 'nearest'});
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function choose(i) {
      input.value = items[i].text;
      close();
      submit(input.form);
    }

    function render(found) {
      list.textContent = '';
      items = found;
      found.forEach(function (s, i) {
        var li = document.createElement('li');
        li.id = 'suggestion-' + i;
        li.className = 'suggestion';
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.dataset.kind = s.kind;
        var text = document.createElement('span');
        text.className = 'suggestion-text';
        text.textContent = s.text; /* text, never HTML */
        li.appendChild(text);
        var kind = s.kind === 'classification' ? input.dataset.kindClassification : input.dataset.kindInstrument;
        if (kind) {
          var k = document.createElement('span');
          k.className = 'suggestion-kind';
          k.textContent = kind;
          li.appendChild(k);
        }
        li.addEventListener('mousedown', function (e) {
          e.preventDefault(); /* keep the focus in the input */
          choose(i);
        });
        list.appendChild(li);
      });
      if (found.length) {
        list.hidden = false;
        input.setAttribute('aria-expanded', 'true');
        active = -1;
      } else {
        close();
      }
    }

    var ask = debounce(function () {
      var q = input.value.trim();
      var mine = ++seq;
      if (!q) {
        close();
        return;
      }
      var url = input.dataset.suggestUrl + '?q=' + encodeURIComponent(q) + '&lang=' + encodeURIComponent(input.dataset.lang || 'zh') + '&size=8';
      fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
        .then(function (r) { return r.ok ? r.json() : {items: []}; })
        .then(function (body) {
          if (mine === seq && document.activeElement === input) {
            render(body.items || []);
          }
        })
        .catch(function () { /* no suggestions; the form still works */ });
    }, 200);

    input.addEventListener('input', ask);
    input.addEventListener('keydown', function (e) {
      if (list.hidden) {
        if (e.key === 'ArrowDown' && input.value.trim()) {
          e.preventDefault();
          ask();
        }
        return;
      }
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        highlight((active + 1) % items.length);
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (e.key === 'Enter' && active >= 0) {
        e.preventDefault();
        choose(active);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        close();
      } else if (e.key === 'Tab') {
        close();
      }
    });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
  }

  /* A new search text starts without the facets chosen for the old one. */
  function submit(form) {
    var q = form.querySelector('#q');
    if (q && q.value.trim() !== (q.defaultValue || '').trim()) {
      form.querySelectorAll('input[data-facet-input]').forEach(function (i) { i.remove(); });
    }
    form.querySelectorAll('select').forEach(function (s) {
      if (s.value === '') {
        s.disabled = true; /* no empty parameters in the address */
      }
    });
    form.submit();
  }

  function setHidden(form, name, value) {
    var input = form.querySelector('input[type=hidden][name="' + name + '"]');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  function initNear(form) {
    var button = document.getElementById('near-me');
    var status = document.getElementById('geo-status');
    var sort = form.querySelector('#sort');
    var radius = form.querySelector('#radius');
    var hasPoint = !!form.querySelector('input[type=hidden][name=lat]');

    function locate(then) {
      if (!navigator.geolocation) {
        return false;
      }
      if (status) {
        status.hidden = false;
        status.textContent = button.dataset.locating;
      }
      navigator.geolocation.getCurrentPosition(function (pos) {
        setHidden(form, 'lat', pos.coords.latitude.toFixed(5));
        setHidden(form, 'lon', pos.coords.longitude.toFixed(5));
        then();
        submit(form);
      }, function () {
        if (status) {
          status.textContent = button.dataset.denied;
        }
        if (radius && !hasPoint) {
          radius.value = '';
        }
      }, {timeout: 15000, maximumAge: 600000});
      return true;
    }

    if (button && navigator.geolocation) {
      button.hidden = false;
      var radiusField = document.getElementById('radius-field');
      if (radiusField) {
        radiusField.hidden = false;
      }
      button.addEventListener('click', function () {
        locate(function () {
          var distance = sort && sort.querySelector('option[value=distance]');
          if (distance) {
            distance.disabled = false;
            sort.value = 'distance';
          }
        });
      });
    }
    if (sort) {
      sort.addEventListener('change', function () { submit(form); });
    }
    if (radius) {
      radius.addEventListener('change', function () {
        if (radius.value !== '' && !hasPoint) {
          if (!locate(function () {})) {
            submit(form); /* the server explains that a radius needs a position */
          }
          return;
        }
        submit(form);
      });
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      submit(form);
    });
  }

  /* The map of the located hits. Positions come from data-map-lat/-lon (the server has already moved
     them into the tiles' coordinate system: GCJ-02 for such a provider), the browser's position from
     the map's data-here-lat/-lon; the view fits all of them. */
  function initResultsMap() {
    var el = document.querySelector('[data-results-map]');
    if (!el || !window.L || el.lcMap) {
      return;
    }
    var map = L.map(el, {scrollWheelZoom: false, maxZoom: parseInt(el.dataset.maxZoom, 10) || 19});
    el.lcMap = map;
    var points = [];
    document.querySelectorAll('#result-list .hit[data-map-lat][data-map-lon]').forEach(function (li) {
      var lat = parseFloat(li.dataset.mapLat), lon = parseFloat(li.dataset.mapLon);
      var name = li.querySelector('a.name');
      if (isNaN(lat) || isNaN(lon) || !name) {
        return;
      }
      var popup = document.createElement('div');
      popup.className = 'map-popup';
      var link = document.createElement('a');
      link.href = name.getAttribute('href');
      link.textContent = name.textContent; /* text, never HTML */
      popup.appendChild(link);
      var owner = li.querySelector('.owner');
      if (owner) {
        var o = document.createElement('div');
        o.textContent = owner.textContent;
        popup.appendChild(o);
      }
      var rate = li.querySelector('.prices, .price-on-request');
      if (rate) {
        var r = document.createElement('div');
        r.className = 'muted';
        r.textContent = rate.textContent.replace(/\s+/g, ' ').trim();
        popup.appendChild(r);
      }
      var marker = L.marker([lat, lon], {title: name.textContent, alt: name.textContent, hitId: li.dataset.id});
      marker.on('add', function () { marker.getElement().dataset.id = li.dataset.id; });
      marker.addTo(map).bindPopup(popup);
      points.push([lat, lon]);
    });
    var here = [parseFloat(el.dataset.hereLat), parseFloat(el.dataset.hereLon)];
    if (!isNaN(here[0]) && !isNaN(here[1])) {
      L.circleMarker(here, {radius: 7, color: '#0b6bcb', fillOpacity: 0.6}).addTo(map);
      points.push(here);
    }
    if (points.length === 1) {
      map.setView(points[0], 14);
    } else if (points.length > 1) {
      map.fitBounds(points, {padding: [24, 24], maxZoom: 14});
    } else {
      map.setView([35, 105], 4);
    }
    LabCommons.mapTiles(map, el); /* app.js: the tiles, or the plain background with the note */
  }

  function init() {
    var form = document.getElementById('search-form');
    if (!form) {
      return;
    }
    var q = form.querySelector('#q');
    if (q) {
      initAutocomplete(q);
    }
    initNear(form);
    initResultsMap();
    var facets = document.getElementById('facets');
    if (facets && window.matchMedia && window.matchMedia('(max-width: 47.99rem)').matches) {
      facets.open = false;
    }
  }

  /* After DOMContentLoaded: this deferred script runs before the layout's app.js (LabCommons.mapTiles). */
  if (document.readyState === 'complete') {
    init();
  } else {
    document.addEventListener('DOMContentLoaded', init);
  }
})();

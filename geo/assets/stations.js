// Draws the stations and the title/legend/credit overlay. Rendered by geo/view/mapping.py.
// Every text from the data reaches the page through textContent, never innerHTML, and every
// link was checked server-side (http/https, host, no credentials) and is checked again here.
// Stations arrive as columns (geo/view/payload.py), deflated when there are many; one popup and
// one tooltip are shared by all markers and filled only when a reader asks for a station.
// Loaded once as a file (/app/static/stations.js, cached by the browser, or inlined in an export);
// each map page then calls it with its stations: apsStations(data, map).
window.apsStations = function (data, parent) {
  var FIELDS = ['id', 'city', 'region', 'country', 'cc', 'precision', 'bureau', 'bureau_detail', 'year',
                'status', 'status_date', 'first_reported', 'evidence', 'notes', 'label', 'as_reported'];
  var T = data.words;
  // Numbers and plurals in the reader's language (the words come translated from the catalogs).
  var LANG = data.lang || 'en', PLURAL = new Intl.PluralRules(LANG), NUM = new Intl.NumberFormat(LANG);
  function count(forms, k) { return (forms[PLURAL.select(k)] || forms.other).replace('{n}', NUM.format(k)); }
  function statusWord(s) { return T.statuses[s] || s; }
  function evidenceWord(s) { return T.evidence_words[s] || s; }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function safeHref(url) {
    return typeof url === 'string' && /^https?:\/\/[^\s\/@]+(\/|$|\?|#)/i.test(url) ? url : null;
  }
  function line(box, label, value) {
    if (!value) { return; }
    var p = el('div', null, 'aps-row');
    p.appendChild(el('span', label + (data.colon || ': '), 'aps-label'));
    p.appendChild(el('span', value));
    box.appendChild(p);
  }
  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }
  // A column is a plain array, or {v: distinct values, k: index per station}.
  function getter(c) {
    if (!c) { return function () { return ''; }; }
    return Array.isArray(c) ? function (i) { return c[i]; } : function (i) { return c.v[c.k[i]]; };
  }
  function unpack(text) {
    var bytes;
    if (Uint8Array.fromBase64) {
      bytes = Uint8Array.fromBase64(text);
    } else {
      var bin = atob(text);
      bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Response(stream).text().then(JSON.parse);
  }
  function whenBasemap(fn) {
    if (window.apsBasemap !== undefined) { fn(); return; }
    window.addEventListener('aps-basemap', function () { fn(); }, {once: true});
  }

  function draw(cols) {
    var get = {};
    FIELDS.forEach(function (f) { get[f] = getter(cols[f]); });
    var n = data.n;
    function colourOf(i) { return data.colours[get.bureau(i)] || data.colours['other named bureau']; }
    function nStations(k) { return count(T.n_stations, k); }
    function bureauWord(b) { return b === 'unknown' ? T.bureau_unknown : b + (data.bureau_zh[b] ? ' ' + data.bureau_zh[b] : ''); }
    function placeName(i) { return get.city(i) || get.region(i) || get.country(i); }
    function place(i) {
      var first = get.city(i) || get.region(i);
      return [first, get.country(i)].filter(function (x) { return x; }).join(', ');
    }
    // A reader's as-of month may rewind a station's status: these hold what is shown now.
    var statusNow = [], statusDateNow = [];
    for (var s0 = 0; s0 < n; s0++) { statusNow.push(get.status(s0)); statusDateNow.push(get.status_date(s0)); }
    function accessibleName(i) {
      var b = get.bureau(i);
      return (get.label(i) ? get.label(i) + ', ' : '') + place(i) + ': ' + T.alleged_station + ', ' +
        (b === 'unknown' ? T.bureau_unknown : T.bureau_named.replace('{b}', b)) +
        (statusNow[i] ? ', ' + T.host_response + ': ' + statusWord(statusNow[i]) : '') + ', ' + T.Location.toLowerCase() + ' ' +
        (data.precision_words[get.precision(i)] || '');
    }

    // Stations that share one point form a place: its popup pages through them ("1 of 3 at Prato").
    var placeOf = new Int32Array(n), places = [], byKey = {};
    for (var i = 0; i < n; i++) {
      var key = cols.lat[i] + ',' + cols.lon[i];
      if (byKey[key] === undefined) { byKey[key] = places.length; places.push([]); }
      placeOf[i] = byKey[key];
      places[byKey[key]].push(i);
    }

    function link(s, text) {
      var href = safeHref(s[3]);
      if (!href) { return el('span', text); }
      var a = el('a', text);
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.title = s[0] + ' \u2014 ' + s[1] + (s[2] ? ', ' + s[2] : '');
      return a;
    }
    function historyList(i) {
      // The station's dated events, oldest first, each with links to what reports it.
      var list = el('ol', null, 'aps-history');
      if (!cols.ev_at) { return list; }
      cols.ev.slice(cols.ev_at[i], cols.ev_at[i + 1]).forEach(function (e) {
        var item = el('li');
        item.appendChild(el('span', e[0], 'aps-when'));
        item.appendChild(el('span', ' ' + (T.events[e[1]] || e[1]), 'aps-what'));
        item.appendChild(el('span', ' (' + e[2] + '): ' + e[3] + ' '));
        e[4].forEach(function (j, k) {
          var s = cols.sources[j];
          item.appendChild(link(s, '[' + (s[0].split(' (')[0]) + ']'));
          if (k < e[4].length - 1) { item.appendChild(document.createTextNode(' ')); }
        });
        list.appendChild(item);
      });
      return list;
    }
    function sourceList(i) {
      var list = el('ol', null, 'aps-list');
      cols.src.slice(cols.src_at[i], cols.src_at[i + 1]).forEach(function (j) {
        var s = cols.sources[j];
        var item = el('li');
        var text = s[0] + ' \u2014 ' + s[1];
        var href = safeHref(s[3]);
        if (href) {
          var a = el('a', text);
          a.href = href;
          a.target = '_blank';
          a.rel = 'noopener noreferrer';
          item.appendChild(a);
        } else {
          item.appendChild(el('span', text));
        }
        var meta = [s[2] || T.undated, s[4] ? (T.kinds[s[4]] || s[4]) : ''].filter(function (x) { return x; });
        item.appendChild(el('span', ' (' + meta.join(', ') + ')', 'aps-meta'));
        list.appendChild(item);
      });
      return list;
    }
    function popupBox(i) {
      var box = el('div', null, 'aps-popup');
      box.setAttribute('role', 'dialog');
      box.setAttribute('aria-label', place(i));
      var here = places[placeOf[i]];
      if (here.length > 1) {
        var at = here.indexOf(i);
        var nav = el('div', null, 'aps-nav');
        var prev = el('button', '\u2039', 'aps-prev');
        prev.type = 'button';
        prev.setAttribute('aria-label', T.previous);
        var next = el('button', '\u203a', 'aps-next');
        next.type = 'button';
        next.setAttribute('aria-label', T.next);
        // The content is replaced after the click is done: Leaflet would take a click on a button
        // that left the page for a click on the map, and close the popup and the spider.
        var go = function (to, focus) {
          return function (ev) {
            L.DomEvent.stop(ev);
            setTimeout(function () { openStation(here[(to + here.length) % here.length], {focus: focus}); }, 0);
          };
        };
        prev.onclick = go(at - 1, 'aps-prev');
        next.onclick = go(at + 1, 'aps-next');
        nav.appendChild(prev);
        nav.appendChild(el('span', T.of_at.replace('{i}', at + 1).replace('{n}', here.length)
                                      .replace('{place}', placeName(i)), 'aps-count'));
        nav.appendChild(next);
        box.appendChild(nav);
      }
      if (T.kicker) { box.appendChild(el('div', T.kicker, 'aps-kicker')); }
      box.appendChild(el('div', get.label(i) || place(i), 'aps-title'));
      if (get.label(i)) { box.appendChild(el('div', place(i), 'aps-place-line')); }
      var detail = get.bureau_detail(i), status_date = get.status_date(i);
      line(box, T.Bureau, bureauWord(get.bureau(i)) + (detail ? ' (' + detail + ')' : ''));
      line(box, T.Opened, get.year(i) || T.not_reported);
      status_date = statusDateNow[i];
      line(box, T.Host_response, statusWord(statusNow[i]) + (status_date ? ', ' + status_date : ''));
      line(box, T.First_reported, get.first_reported(i));
      line(box, T.Evidence, evidenceWord(get.evidence(i)));
      line(box, T.Location, data.precision_words[get.precision(i)] || get.precision(i));
      if (cols.ev_at && cols.ev_at[i + 1] > cols.ev_at[i]) {
        box.appendChild(el('div', T.History, 'aps-label aps-sources'));
        box.appendChild(historyList(i));
      }
      line(box, T.Notes, get.notes(i));
      (cols.extra ? cols.extra[i] : []).forEach(function (kv) { line(box, kv[0], kv[1]); });
      box.appendChild(el('div', T.Sources, 'aps-label aps-sources'));
      box.appendChild(sourceList(i));
      return box;
    }

    var map = null;  // set when the overlay joins the map
    var shared = L.popup({maxWidth: 340, minWidth: 200, className: 'aps-leaflet-popup', autoPanPadding: [10, 10]});
    var tip = L.tooltip({direction: 'top', offset: [0, -8]});
    var markers = [];
    var overlayBox = null;
    var restore = null;  // where the reader was before a popup panned the map

    function frameRects() {
      // The parts of the map that the title card, the legend band, the inset and the zoom buttons cover.
      var out = {head: null, foot: null, inset: null, zoom: null}, base = map.getContainer().getBoundingClientRect();
      function rel(e) {
        if (!e || !e.offsetParent) { return null; }
        var r = e.getBoundingClientRect();
        return {left: r.left - base.left, top: r.top - base.top, right: r.right - base.left, bottom: r.bottom - base.top};
      }
      if (overlayBox) {
        out.head = rel(overlayBox.querySelector('.aps-head'));
        out.foot = rel(overlayBox.querySelector('.aps-foot'));
      }
      out.inset = rel(map.getContainer().querySelector('.aps-inset'));
      out.zoom = rel(map.getContainer().querySelector('.leaflet-control-zoom'));
      return out;
    }

    function fitPopup() {
      // Keep the popup inside the visible map, clear of the title card and the legend band.
      var size = map.getSize(), r = frameRects();
      var top = r.head ? r.head.bottom + 8 : 10, bottom = r.foot ? size.y - r.foot.top + 8 : 10;
      if (size.y - top - bottom < 180) { top = 10; bottom = r.foot ? Math.min(bottom, 40) : 10; }
      var width = Math.max(160, Math.min(340, size.x - 60));
      shared.options.maxWidth = width;
      shared.options.minWidth = Math.min(200, width);
      shared.options.maxHeight = Math.max(120, size.y - top - bottom - 40);  // 40: tip and margins
      shared.options.autoPanPaddingTopLeft = L.point(10, top);
      shared.options.autoPanPaddingBottomRight = L.point(10, bottom);
    }

    function markerAt(i) { return markers[i]; }
    function visibleLatLng(i) {
      var m = markerAt(i);
      return m && m._map ? m.getLatLng() : L.latLng(cols.lat[i], cols.lon[i]);
    }
    function openStation(i, opts) {
      opts = opts || {};
      var wasOpen = map.hasLayer(shared);
      if (!wasOpen) { restore = {center: map.getCenter(), zoom: map.getZoom(), after: null}; }
      fitPopup();
      shared.station = i;
      shared.setLatLng(visibleLatLng(i)).setContent(popupBox(i));
      if (!wasOpen) { map.openPopup(shared); } else { shared.update(); }
      map.getContainer().classList.add('aps-popup-open');  // labels step aside (they sit above the map's panes)
      if (restore) {
        map.once('moveend', function () { if (restore) { restore.after = map.getCenter(); } });
        setTimeout(function () { if (restore && !restore.after) { restore.after = map.getCenter(); } }, 400);
      }
      if (opts.focus) {
        var target = shared.getElement() && shared.getElement().querySelector('.' + opts.focus);
        (target || (shared.getElement() && shared.getElement().querySelector('a, button'))).focus({preventScroll: true});
      }
    }
    shared.on('remove', function () {
      if (map) { map.getContainer().classList.remove('aps-popup-open'); }
      // Closing a popup takes the reader back to where they were, unless they moved the map since.
      var back = restore;
      restore = null;
      if (!map || !back || !back.after) { return; }
      if (map.getZoom() === back.zoom && map.latLngToContainerPoint(back.after)
            .distanceTo(map.latLngToContainerPoint(map.getCenter())) < 2) {
        map.panTo(back.center, {animate: true, duration: 0.25});
      }
    });

    function tipFor(i) {
      var here = places[placeOf[i]].length;
      return el('span', (get.label(i) ? get.label(i) + ', ' : '') + place(i) + ' \u00b7 ' + bureauWord(get.bureau(i)) +
                (here > 1 ? ' \u00b7 ' + count(T.n_here, here) : ''));
    }

    // ---- markers: focusable HTML icons, one per station, named for screen readers -----------
    var StationIcon = L.DivIcon.extend({
      createIcon: function (old) {
        var div = L.DivIcon.prototype.createIcon.call(this, old);
        var o = this.options;
        div.setAttribute('aria-label', o.label);
        div.style.setProperty('--c', o.colour);
        div.style.setProperty('--f', o.fillColour);
        return div;
      }
    });
    function iconFor(i) {
      var precision = get.precision(i), st = data.styles[precision] || data.styles.city;
      var d = 2 * st.radius;
      return new StationIcon({className: 'aps-mark aps-' + precision, iconSize: [d, d], html: '',
                              label: accessibleName(i), colour: colourOf(i),
                              fillColour: rgba(colourOf(i), st.fill)});
    }

    // ---- clusters that say their bureau mix --------------------------------------------------
    function mix(rows) {
      var counts = {}, order = [];
      rows.forEach(function (i) {
        var b = get.bureau(i);
        if (counts[b] === undefined) { counts[b] = 0; order.push(b); }
        counts[b]++;
      });
      order.sort(function (a, b) { return counts[b] - counts[a] || (a === 'unknown') - (b === 'unknown'); });
      return order.map(function (b) { return {bureau: b, n: counts[b]}; });
    }
    function areaName(rows) {
      var seen = {}, names = [], countries = {};
      rows.forEach(function (i) {
        var p = placeName(i);
        seen[p] = (seen[p] || 0) + 1;
        if (seen[p] === 1) { names.push(p); }
        countries[get.country(i)] = true;
      });
      if (names.length === 1) { return names[0]; }
      names.sort(function (a, b) { return seen[b] - seen[a]; });
      var nc = Object.keys(countries).length;
      return T.area.replace('{place}', names[0]) + (nc > 1 ? ' (' + count(T.n_countries, nc) + ')' : '');
    }
    function clusterName(rows) {
      return areaName(rows) + ': ' + nStations(rows.length) + ': ' + mix(rows).map(function (m) {
        return m.n + ' ' + bureauWord(m.bureau);
      }).join(', ');
    }
    var ClusterIcon = L.DivIcon.extend({
      createIcon: function (old) {
        var div = L.DivIcon.prototype.createIcon.call(this, old);
        div.textContent = '';
        div.setAttribute('aria-label', this.options.label);
        div.style.background = this.options.ring;
        div.appendChild(el('span', this.options.count, 'aps-cluster-n'));
        return div;
      }
    });
    function clusterIcon(cluster) {
      var rows = cluster.getAllChildMarkers().map(function (m) { return m.row; });
      var parts = mix(rows), at = 0, stops = [];
      parts.forEach(function (p) {
        var c = data.colours[p.bureau] || data.colours['other named bureau'];
        var to = at + 360 * p.n / rows.length;
        stops.push(c + ' ' + at.toFixed(1) + 'deg ' + to.toFixed(1) + 'deg');
        at = to;
      });
      var size = rows.length < 10 ? 30 : (rows.length < 100 ? 36 : 42);
      cluster.rows = rows;
      return new ClusterIcon({className: 'aps-cluster', iconSize: L.point(size, size), html: '',
                              ring: 'conic-gradient(' + stops.join(',') + ')', count: rows.length,
                              label: clusterName(rows)});
    }

    var clustered = data.cluster && L.markerClusterGroup && !data.canvas;
    var ready = !clustered;  // markercluster adds big sets in chunks; the map is drawn after the last
    var group;
    if (data.canvas) {
      group = window.apsDotLayer(data, cols, get, {colourOf: colourOf, tipFor: tipFor, places: places,
                                                   placeOf: placeOf, open: function (i) { openStation(i); },
                                                   tip: tip});
    } else {
      group = clustered ? L.markerClusterGroup({
        maxClusterRadius: 24, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
        spiderfyDistanceMultiplier: 1.6,
        chunkedLoading: true, chunkInterval: 100, chunkDelay: 1,  // yield to the page, but do not idle
        spiderLegPolylineOptions: {weight: 1.2, color: '#333', opacity: 0.7},
        chunkProgress: function (done, total) {
          if (done === total) { setTimeout(function () { ready = true; announce(); }, 0); }
        },
        iconCreateFunction: clusterIcon
      }) : L.featureGroup();
      markers = new Array(n);
      for (var k = 0; k < n; k++) {
        var m = L.marker([cols.lat[k], cols.lon[k]], {icon: iconFor(k), keyboard: true, riseOnHover: true});
        m.row = k;
        m.stationId = get.id(k);
        m.home = m.getLatLng();
        markers[k] = m;
      }
      group.on('click', function (e) {
        if (e.layer && e.layer.row !== undefined) { openStation(e.layer.row); }
      });
      group.on('mouseover', function (e) {
        var m = e.layer;
        if (!m || m.row === undefined || !m._map) { return; }
        m._map.openTooltip(tip.setLatLng(m.getLatLng()).setContent(tipFor(m.row)));
      });
      group.on('mouseout', function (e) { if (e.layer && e.layer._map) { e.layer._map.closeTooltip(tip); } });
      if (clustered) {
        // A cluster of one place opens on its first station, with "1 of 3 at Prato" to page on.
        group.on('spiderfied', function (e) {
          var rows = e.markers.map(function (m) { return m.row; });
          if (places[placeOf[rows[0]]].length === rows.length && rows.every(function (r) {
            return placeOf[r] === placeOf[rows[0]];
          })) {
            openStation(places[placeOf[rows[0]]][0], {focus: group._viaKeyboard ? 'aps-next' : null});
          } else if (group._viaKeyboard && e.markers[0]._icon) {
            e.markers[0]._icon.focus({preventScroll: true});
          }
          group._viaKeyboard = false;
          order();
        });
        group.on('unspiderfied', order);
        group.on('animationend', order);
      }
    }

    // ---- keyboard: Enter/Space opens, Escape closes, Tab runs west to east --------------------
    function onKey(e) {
      var target = e.target;
      if (!map) { return; }
      var inMap = map.getContainer().contains(target) || target === document.body;
      if (e.key === 'Escape' && map.hasLayer(shared) && inMap) {
        var back = shared.station;
        map.closePopup(shared);
        var m = markers[back];
        var icon = m && m._map ? m._icon : (group.getVisibleParent && group.getVisibleParent(m) || {})._icon;
        (icon || map.getContainer()).focus({preventScroll: true});
        e.preventDefault();
        return;
      }
      if (e.key !== 'Enter' && e.key !== ' ') { return; }
      if (!target.classList || !map.getContainer().contains(target)) { return; }
      tag();
      if (target.classList.contains('aps-mark') && target.__row !== undefined) {
        e.preventDefault();
        e.stopPropagation();
        openStation(target.__row, {focus: 'aps-next'});
        if (!shared.getElement().querySelector('.aps-next')) {
          var first = shared.getElement().querySelector('a, button');
          if (first) { first.focus({preventScroll: true}); }
        }
      } else if (target.classList.contains('aps-cluster') && target.__cluster) {
        e.preventDefault();
        e.stopPropagation();
        var cluster = target.__cluster, bottom = cluster;
        while (bottom._childClusters.length === 1) { bottom = bottom._childClusters[0]; }
        if (bottom._zoom === group._maxZoom && bottom._childCount === cluster._childCount) {
          group._viaKeyboard = true;
          cluster.spiderfy();
        } else {
          var area = cluster.getBounds();
          map.once('moveend', function () {
            setTimeout(function () {
              order();
              var first = focusables().filter(function (x) { return area.contains(x.at); })[0];
              (first ? first.icon : map.getContainer()).focus({preventScroll: true});
            }, 350);
          });
          cluster.zoomToBounds({padding: [40, 40]});
        }
      }
    }
    function focusables() {
      var out = [];
      var pane = map.getPane('markerPane');
      Array.prototype.forEach.call(pane.children, function (icon) {
        var layer = icon.__layer;
        if (!layer) { return; }
        out.push({icon: icon, at: layer.home || layer.getLatLng(), layer: layer});
      });
      return out;
    }
    function tag() {
      // Tie each icon element to its layer, for the keyboard and for ordering.
      markers.forEach(function (m) {
        if (m._icon) { m._icon.__layer = m; m._icon.__row = m.row; }
      });
      if (group._featureGroup) {
        group._featureGroup.eachLayer(function (c) {
          if (c._icon && c.getAllChildMarkers) { c._icon.__layer = c; c._icon.__cluster = c; }
        });
      }
    }
    function order() {
      // Focus order = reading a map: west to east, then north to south; a spider's legs after its centre.
      if (!map) { return; }
      tag();
      var items = focusables();
      items.forEach(function (x) {
        var p = map.project(x.at, 0);
        x.key = Math.round(p.x * 4) * 1e6 + Math.round(p.y * 4);
      });
      items.sort(function (a, b) { return a.key - b.key; });
      var pane = map.getPane('markerPane');
      items.forEach(function (x) { pane.appendChild(x.icon); });
    }

    // ---- pictures: every station distinguishable, labels without collisions -------------------
    var legs = L.layerGroup();
    function relax(list, project, unproject, gap) {
      // Push overlapping marks apart (a few rounds of pairwise repulsion) and join each to its place.
      var pts = list.map(function (m) {
        var p = project(m.home);
        var half = m.options.icon.options.iconSize[0] / 2, square = /aps-country/.test(m.options.icon.options.className);
        return {m: m, x: p.x, y: p.y, hx: p.x, hy: p.y, r: square ? half * 1.42 : half};  // a square's corners
      });
      var same = {};
      pts.forEach(function (p) {  // stations on one point start on a small circle around it
        var key = Math.round(p.x) + ',' + Math.round(p.y);
        (same[key] = same[key] || []).push(p);
      });
      Object.keys(same).forEach(function (key) {
        var g = same[key];
        if (g.length < 2) { return; }
        g.forEach(function (p, j) {
          var a = -Math.PI / 2 + 2 * Math.PI * j / g.length;
          p.x += Math.cos(a) * (p.r + 1);
          p.y += Math.sin(a) * (p.r + 1);
        });
      });
      for (var round = 0; round < 80; round++) {
        var moved = false;
        for (var a = 0; a < pts.length; a++) {
          for (var b = a + 1; b < pts.length; b++) {
            var p = pts[a], q = pts[b], dx = q.x - p.x, dy = q.y - p.y, d = Math.sqrt(dx * dx + dy * dy);
            var want = p.r + q.r + gap;
            if (d >= want) { continue; }
            if (d < 0.01) { dx = 1; dy = 0; d = 1; }
            var push = (want - d) / 2 + 0.1;
            p.x -= dx / d * push; p.y -= dy / d * push;
            q.x += dx / d * push; q.y += dy / d * push;
            moved = true;
          }
        }
        if (!moved) { break; }
      }
      var out = L.layerGroup();
      pts.forEach(function (p) {
        var at = unproject(L.point(p.x, p.y));
        p.m.setLatLng(at);
        if (Math.abs(p.x - p.hx) + Math.abs(p.y - p.hy) > 1.5) {
          out.addLayer(L.polyline([p.m.home, at], {weight: 1, color: '#333', opacity: 0.75, interactive: false}));
          out.addLayer(L.circleMarker(p.m.home, {radius: 1.8, color: '#333', weight: 0, fillOpacity: 1,
                                                 interactive: false}));
        }
      });
      return out;
    }
    function spread() {
      legs.clearLayers();
      var shown = markers.filter(function (m) { return !m.inInset; });
      var layer = relax(shown, function (ll) { return map.latLngToLayerPoint(ll); },
                        function (p) { return map.layerPointToLatLng(p); }, 1.5);
      layer.eachLayer(function (l) { legs.addLayer(l); });
    }

    var labels = null;
    function labelAll(target, rows, obstacles, withCountries) {
      // Greedy placement, largest places first; a label that would collide is left out.
      var container = target.getContainer(), size = target.getSize();
      var box = el('div', null, 'aps-labels');
      box.setAttribute('aria-hidden', 'true');
      container.appendChild(box);
      var taken = obstacles.slice();
      function free(r) {
        if (r.left < 2 || r.top < 2 || r.right > size.x - 2 || r.bottom > size.y - 2) { return false; }
        for (var t = 0; t < taken.length; t++) {
          var o = taken[t];
          if (r.left < o.right && r.right > o.left && r.top < o.bottom && r.bottom > o.top) { return false; }
        }
        return true;
      }
      var groups = {}, list = [];
      rows.forEach(function (i) {
        if (get.precision(i) === 'country') { return; }
        var key = placeName(i) + '|' + get.cc(i);
        if (!groups[key]) { groups[key] = {name: placeName(i), n: 0, at: L.latLng(cols.lat[i], cols.lon[i])}; list.push(groups[key]); }
        groups[key].n++;
      });
      list.sort(function (a, b) { return b.n - a.n; });
      var measure = document.createElement('canvas').getContext('2d');
      function place_(text, at, cls, font, reach) {
        measure.font = font;
        var w = Math.ceil(measure.measureText(text).width) + 6, h = 15;
        var p = target.latLngToContainerPoint(at);
        var tries = reach === 0 ? [[-w / 2, -h / 2]] : [];
        [reach, reach + 10, reach + 20].forEach(function (d) {
          if (reach === 0) { return; }
          tries.push([d, -h / 2], [-d - w, -h / 2], [-w / 2, -d - h], [-w / 2, d],
                     [d, -h], [d, 0], [-d - w, -h], [-d - w, 0]);
        });
        for (var t = 0; t < tries.length; t++) {
          var r = {left: p.x + tries[t][0], top: p.y + tries[t][1]};
          r.right = r.left + w;
          r.bottom = r.top + h;
          if (free(r)) {
            taken.push(r);
            var lab = el('div', text, 'aps-label-text ' + cls);
            lab.style.left = r.left + 'px';
            lab.style.top = r.top + 'px';
            box.appendChild(lab);
            return true;
          }
        }
        return false;
      }
      list.forEach(function (g) {
        place_(g.n > 1 ? g.name + ' ' + g.n : g.name, g.at, 'aps-place', '600 12px system-ui, Arial, sans-serif', 11);
      });
      if (withCountries && window.apsCountries) {
        window.apsCountries.features.forEach(function (f) {
          var pr = f.properties;
          var name = (data.country_names && data.country_names[pr.iso_a2]) || pr.name;
          if (!name || pr.label_lat === undefined) { return; }
          var at = L.latLng(pr.label_lat, pr.label_lon);
          if (!target.getBounds().contains(at)) { return; }
          var b = L.geoJSON(f).getBounds(), w = target.latLngToContainerPoint(b.getNorthEast()).x -
            target.latLngToContainerPoint(b.getSouthWest()).x;
          measure.font = '11px system-ui, Arial, sans-serif';
          if (w < measure.measureText(name).width + 10) { return; }
          place_(name, at, 'aps-country-name', '11px system-ui, Arial, sans-serif', 0);
        });
      }
      return box;
    }
    function markRects(target, list) {
      var base = target.getContainer().getBoundingClientRect(), out = [];
      list.forEach(function (m) {
        if (!m._icon) { return; }
        var r = m._icon.getBoundingClientRect();
        out.push({left: r.left - base.left - 1, top: r.top - base.top - 1,
                  right: r.right - base.left + 1, bottom: r.bottom - base.top + 1});
      });
      return out;
    }
    function relabel() {
      if (!map || !data.labels) { return; }
      if (labels) { labels.remove(); labels = null; }
      var r = frameRects(), obstacles = [r.head, r.foot, r.inset, r.zoom].filter(function (x) { return x; });
      var shown = markers.filter(function (m) { return m._map && m._icon && !m.inInset; });
      var clusters = [];
      if (group._featureGroup) {
        group._featureGroup.eachLayer(function (c) { if (c._icon && c.getAllChildMarkers) { clusters.push(c); } });
      }
      obstacles = obstacles.concat(markRects(map, shown), markRects(map, clusters));
      // Interactive: label only what is not inside a cluster of several places.
      var rows = shown.map(function (m) { return m.row; });
      clusters.forEach(function (c) {
        var rs = c.getAllChildMarkers().map(function (m) { return m.row; });
        if (rs.every(function (x) { return placeOf[x] === placeOf[rs[0]]; })) { rows = rows.concat(rs); }
      });
      // A spiderfied cluster's legs are shown markers too: count each station once ("Milan 2").
      rows = Array.from(new Set(rows));
      labels = labelAll(map, rows, obstacles, data.spread && window.apsCountries);
    }

    // ---- country-level stations: the country hatched, never a dot that reads as a place -------
    var hatched = [];
    function hatch(only) {
      var layer = window.apsCountryLayer;
      if (!layer || !map) { return; }
      var svg = map.getPanes().overlayPane.querySelector('svg');
      if (!svg) { return; }
      var defs = svg.querySelector('defs') || svg.insertBefore(document.createElementNS('http://www.w3.org/2000/svg', 'defs'), svg.firstChild);
      var byCode = {};
      for (var i = 0; i < n; i++) {
        if (get.precision(i) === 'country' && (!only || only[i])) { byCode[get.cc(i)] = colourOf(i); }
      }
      layer.eachLayer(function (f) {
        var code = f.feature && f.feature.properties.iso_a2, colour = byCode[code];
        if (!colour) { return; }
        var id = 'aps-hatch-' + colour.slice(1);
        if (!defs.querySelector('#' + id)) {
          var NS = 'http://www.w3.org/2000/svg', pat = document.createElementNS(NS, 'pattern');
          pat.setAttribute('id', id);
          pat.setAttribute('width', '6');
          pat.setAttribute('height', '6');
          pat.setAttribute('patternUnits', 'userSpaceOnUse');
          pat.setAttribute('patternTransform', 'rotate(45)');
          var bg = document.createElementNS(NS, 'rect');
          bg.setAttribute('width', '6');
          bg.setAttribute('height', '6');
          bg.setAttribute('fill', '#f4f1ea');
          var stroke = document.createElementNS(NS, 'line');
          stroke.setAttribute('x1', '0'); stroke.setAttribute('y1', '0');
          stroke.setAttribute('x2', '0'); stroke.setAttribute('y2', '6');
          stroke.setAttribute('stroke', colour);
          stroke.setAttribute('stroke-width', '2.2');
          stroke.setAttribute('stroke-opacity', '0.55');
          pat.appendChild(bg);
          pat.appendChild(stroke);
          defs.appendChild(pat);
        }
        f.setStyle({fillColor: 'url(#' + id + ')', color: colour, weight: 1.2});
        hatched.push(f);
      });
    }
    function unhatch() {
      var layer = window.apsCountryLayer;
      hatched.forEach(function (f) { if (layer) { layer.resetStyle(f); } });
      hatched = [];
    }

    // ---- the inset: a dense region drawn larger in a corner that holds no station -------------
    var inset = null, shownRows = null;  // the reader's filter: only the stations it shows go in the inset
    function drawInset() {
      if (inset) { inset.remove(); inset = null; }
      markers.forEach(function (m) { m.inInset = false; });
      if (!data.inset || !window.apsCountries) { return; }
      var area = L.latLngBounds(data.inset.bounds), size = map.getSize();
      if (shownRows && !markers.some(function (m) { return shownRows[m.row] && area.contains(m.home); })) { return; }
      var view = map.getBounds();
      // Only while the map shows much more than the region: zoomed in, the map is the inset.
      var spanView = view.getEast() - view.getWest(), spanArea = area.getEast() - area.getWest();
      if (spanView < 2.5 * spanArea) { return; }
      var r = frameRects(), top = (r.head ? r.head.bottom : 0) + 8, bottom = size.y - (r.foot ? size.y - r.foot.top : 0) - 8;
      var pts = [];
      for (var i = 0; i < n; i++) {
        var ll = L.latLng(cols.lat[i], cols.lon[i]);
        if (!area.contains(ll) && (!shownRows || shownRows[i])) { pts.push(map.latLngToContainerPoint(ll)); }
      }
      var home = {nw: map.latLngToContainerPoint(area.getNorthWest()), se: map.latLngToContainerPoint(area.getSouthEast())};
      // Search corners first, then positions along the edges, at shrinking sizes: the inset goes
      // where it hides no station, no title card and not the region it shows.
      var best = null, room = reserved();
      if (room) { best = {c: {left: room.left, top: room.top}, w: room.w, h: room.h}; }
      [1, 0.85, 0.7].some(function (scale) {
        if (best) { return true; }
        var w = Math.round(Math.min(size.x * 0.4, 460) * scale), h = Math.round(Math.min(size.y * 0.5, w * 0.8));
        if (w < 150 || h < 110 || bottom - top < h) { return false; }
        var spots = [[8, bottom - h], [size.x - w - 8, bottom - h], [size.x - w - 8, top], [8, top]];
        for (var fx = 0.1; fx < 0.95; fx += 0.1) {
          spots.push([Math.round((size.x - w) * fx), bottom - h], [Math.round((size.x - w) * fx), top]);
        }
        for (var fy = 0.25; fy < 0.8; fy += 0.25) {
          spots.push([8, Math.round(top + (bottom - h - top) * fy)], [size.x - w - 8, Math.round(top + (bottom - h - top) * fy)]);
        }
        spots.some(function (s) {
          var c = {left: s[0], top: s[1]};
          var clear = c.left > home.se.x + 8 || c.left + w < home.nw.x - 8 || c.top > home.se.y + 8 || c.top + h < home.nw.y - 8;
          if (!clear || (r.head && c.top < r.head.bottom + 4 && c.left < r.head.right + 4)) { return false; }
          var hit = pts.some(function (p) {
            return p.x > c.left - 14 && p.x < c.left + w + 14 && p.y > c.top - 14 && p.y < c.top + h + 14;
          });
          if (!hit) { best = {c: c, w: w, h: h}; }
          return !hit;
        });
        return !!best;
      });
      if (!best) { return; }
      var w = best.w, h = best.h;
      var div = el('div', null, 'aps-inset');
      div.style.left = best.c.left + 'px';
      div.style.top = best.c.top + 'px';
      div.style.width = w + 'px';
      div.style.height = h + 'px';
      div.setAttribute('aria-hidden', 'true');
      map.getContainer().appendChild(div);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      var mini = L.map(div, {zoomControl: false, attributionControl: false, dragging: false, keyboard: false,
                             scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, touchZoom: false,
                             zoomSnap: 0.1, fadeAnimation: false, zoomAnimation: false});
      mini.fitBounds(area, {padding: [6, 6], animate: false});
      L.geoJSON(window.apsCountries, {interactive: false,
        style: {color: '#a9a59d', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: 1}}).addTo(mini);
      div.style.background = data.sea;
      var inside = markers.filter(function (m) { return area.contains(m.home) && (!shownRows || shownRows[m.row]); });
      var copies = inside.map(function (m) {
        var c = L.marker(m.home, {icon: iconFor(m.row), keyboard: false, interactive: !data.spread});
        c.home = m.home;
        c.row = m.row;
        c.on('click', function () { map.fitBounds(area); });
        return c;
      });
      var mlegs = relax(copies, function (ll) { return mini.latLngToLayerPoint(ll); },
                        function (p) { return mini.layerPointToLatLng(p); }, 1.5);
      mlegs.addTo(mini);
      copies.forEach(function (c) { c.addTo(mini); });
      var cap = el('div', data.inset.name + ' \u00b7 ' + nStations(inside.length), 'aps-inset-cap');
      div.appendChild(cap);
      var rect = L.rectangle(area, {color: '#333', weight: 1, dashArray: '4 3', fill: false, interactive: false});
      rect.addTo(map);
      if (data.spread) {
        inside.forEach(function (m) { m.inInset = true; group.removeLayer(m); });
        var rc = map.latLngToContainerPoint(area.getNorthWest());
        var tag_ = el('div', T.see_inset, 'aps-inset-tag');
        tag_.style.left = Math.max(4, rc.x) + 'px';
        tag_.style.top = Math.max(4, rc.y - 16) + 'px';
        map.getContainer().appendChild(tag_);
      }
      var capRect = cap.getBoundingClientRect(), base = div.getBoundingClientRect();
      var capBox = {left: capRect.left - base.left, top: capRect.top - base.top,
                    right: capRect.right - base.left, bottom: capRect.bottom - base.top};
      var miniLabels = data.labels ? labelAll(mini, inside.map(function (m) { return m.row; }),
                                              [capBox].concat(markRects(mini, copies)), false) : null;
      inset = {remove: function () {
        mini.remove();
        div.remove();
        rect.remove();
        if (miniLabels) { miniLabels.remove(); }
        var t = map.getContainer().querySelector('.aps-inset-tag');
        if (t) { t.remove(); }
        markers.forEach(function (m) { if (m.inInset) { m.inInset = false; group.addLayer(m); } });
      }};
    }

    // ---- the overlay: title card, legend band, credit -----------------------------------------
    var overlayOn = false;
    function announce() {
      // For tests, the benchmark and the exports: how many stations this draw holds, once drawn.
      if (!ready || !overlayOn) { return; }
      setTimeout(function () {  // after the markers join the map in this same turn
        order();
        relabel();
        window.apsLayer = {group: group, markers: markers, places: places, placeOf: placeOf,
                           open: openStation, popup: shared, refit: refit};
        if (readerApply && !readerDone) { readerDone = true; readerApply(); return; }
        window.apsReady = shownCount !== null ? {stations: shownCount, drawn: shownCount}
          : {stations: n, drawn: data.canvas ? n : markers.length};
      }, 0);
    }
    function legendBox(o) {
      var legend = el('div', null, 'aps-legend');
      legend.id = 'aps-legend-' + Math.random().toString(36).slice(2);
      legend.appendChild(el('div', T.legend_bureau, 'aps-legend-h'));
      o.bureaus.forEach(function (b) {
        var row = el('div', null, 'aps-legend-row');
        var dot = el('span', null, 'aps-dot');
        dot.style.background = b.colour;
        row.appendChild(dot);
        row.appendChild(el('span', b.label + ' (' + b.count + ')'));
        legend.appendChild(row);
      });
      legend.appendChild(el('div', T.legend_precision, 'aps-legend-h'));
      o.precisions.forEach(function (p) {
        var row = el('div', null, 'aps-legend-row');
        row.appendChild(el('span', null, 'aps-dot aps-' + p.key));
        row.appendChild(el('span', p.label + ' (' + p.count + ')'));
        legend.appendChild(row);
      });
      if (o.cluster_note) { legend.appendChild(el('div', o.cluster_note, 'aps-legend-note')); }
      return legend;
    }
    function narrow() {
      var c = map.getContainer(), small = c.clientWidth < 640;
      c.classList.toggle('aps-narrow', small);
      // Leaflet's own credit: top right on a wide map, so the legend band's credit line never runs
      // under it (a longer credit, in Italian or German, did); on a phone the title card fills the
      // top, and the legend band covers it as before.
      var a = map.attributionControl, want = small ? 'bottomright' : 'topright';
      if (a && a.getPosition() !== want) { a.setPosition(want); }
    }
    var observer = null, hint = null, wheelGuard = null, lastWidth = 0, lastHeight = 0, fillFrame = null;
    function reserved() {
      // A picture with an inset keeps a band free for it (right on landscape, bottom on portrait),
      // so the inset never hides a station and the main map is fitted to what is left.
      if (!data.spread || !data.inset || !data.bounds) { return null; }
      var size = map.getSize(), r = frameRects();
      var top = (r.head ? r.head.bottom : 0) + 8, bottom = size.y - (r.foot ? size.y - r.foot.top : 0) - 8;
      if (size.x >= size.y) {
        var w = Math.round(Math.min(size.x * 0.36, 480)), h = Math.round(Math.min(bottom - top, w * 0.9));
        return {side: 'right', w: w, h: h, left: size.x - w - 8, top: bottom - h};
      }
      var hh = Math.round(Math.min((bottom - top) * 0.42, size.x * 0.8)), ww = Math.round(Math.min(size.x - 16, hh * 1.3));
      return {side: 'bottom', w: ww, h: hh, left: size.x - ww - 8, top: bottom - hh};
    }
    function wide(bounds) {
      var b = L.latLngBounds(bounds), a = data.inset ? L.latLngBounds(data.inset.bounds) : null;
      return a && (b.getEast() - b.getWest()) > 2.5 * (a.getEast() - a.getWest());
    }
    function refit(bounds, maxZoom) {
      // Fit stations to what the title card, the legend band (and a picture's inset) leave free.
      bounds = bounds || data.bounds;
      if (!bounds || (bounds === data.bounds && !data.fit)) { return; }
      var r = frameRects(), size = map.getSize();
      var top = (r.head ? r.head.bottom : 0) + 14, bottom = (r.foot ? size.y - r.foot.top : 0) + 14;
      if (size.y - top - bottom < size.y * 0.4) { top = 10; bottom = 10; }  // a small map: fit the stations first
      var right = 24, room = wide(bounds) ? reserved() : null;
      if (room && room.side === 'right') { right += room.w; }
      if (room && room.side === 'bottom') { bottom += room.h; }
      var single = bounds[0][0] === bounds[1][0] && bounds[0][1] === bounds[1][1];
      map.fitBounds(bounds, {paddingTopLeft: [data.spread ? 44 : 24, top], paddingBottomRight: [right, bottom],
                             maxZoom: maxZoom || (single ? 6 : data.max_fit_zoom), animate: false});
    }
    function layout() {
      if (!map) { return; }
      narrow();
      drawInset();
      if (data.spread) { spread(); }
      relabel();
    }

    // ---- the reader embed: filters built into the file, the view in the URL fragment ----------
    function fold(s) { return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); }
    function sortKey(d) {
      var p = d.split('-').map(Number);
      while (p.length < 3) { p.push(99); }
      return p[0] * 10000 + p[1] * 100 + p[2];
    }
    function monthOf(d) { return d.length >= 7 ? d.slice(0, 7) : d.slice(0, 4) + '-12'; }
    function rewind(month) {
      // Status as of the end of a month: the latest government or court action by then.
      for (var i = 0; i < n; i++) {
        var best = null;
        if (cols.ev_at) {
          cols.ev.slice(cols.ev_at[i], cols.ev_at[i + 1]).forEach(function (e) {
            if (!data.status_of[e[1]] || (month && monthOf(e[0]) > month)) { return; }
            if (!best || sortKey(e[0]) >= sortKey(best[0])) { best = e; }
          });
        }
        var was = statusNow[i];
        statusNow[i] = best ? data.status_of[best[1]] : (month ? data.no_action : get.status(i));
        statusDateNow[i] = best ? best[0] : (month ? '' : get.status_date(i));
        if (was !== statusNow[i] && markers[i]) { markers[i].setIcon(iconFor(i)); }
      }
    }
    function firstMonth(i) {
      if (!cols.ev_at) { return ''; }
      var e = cols.ev.slice(cols.ev_at[i], cols.ev_at[i + 1]).filter(function (x) { return x[1] === 'reported'; })[0];
      return e ? monthOf(e[0]) : '';
    }
    function reader(head, subtitle, setLegend) {
      var R = data.reader, W = T.reader;
      var text = [];
      for (var i = 0; i < n; i++) {
        text.push(fold([get.city(i), get.region(i), get.country(i), get.bureau(i), data.bureau_zh[get.bureau(i)] || '',
                        get.bureau_detail(i), get.first_reported(i), get.notes(i), get.as_reported(i)].join(' ')));
      }
      var box = el('details', null, 'aps-reader');
      box.open = !map.getContainer().classList.contains('aps-narrow');
      box.appendChild(el('summary', W.filter));
      var form = el('form', null, 'aps-reader-form');
      form.setAttribute('role', 'search');
      form.onsubmit = function (ev) { ev.preventDefault(); };
      box.appendChild(form);
      var fields = {};
      function choice(key, label, options) {
        var id = 'aps-r-' + key, row = el('div', null, 'aps-r-row');
        var lab = el('label', label);
        lab.htmlFor = id;
        var sel = el('select');
        sel.id = id;
        sel.appendChild(new Option(W.all, ''));
        options.forEach(function (o) { sel.appendChild(new Option(o[1], o[0])); });
        sel.onchange = apply;
        row.appendChild(lab);
        row.appendChild(sel);
        form.appendChild(row);
        fields[key] = sel;
      }
      function distinct(fn, label) {
        var seen = {}, out = [];
        for (var i = 0; i < n; i++) { var v = fn(i); if (v && !seen[v]) { seen[v] = 1; out.push([v, label ? label(v, i) : v]); } }
        return out.sort(function (a, b) { return a[1].localeCompare(b[1]); });
      }
      choice('country', W.country, distinct(get.cc, function (v, i) { return get.country(i); }));
      choice('bureau', W.bureau, distinct(get.bureau, bureauWord));
      choice('status', W.status, data.statuses.map(function (s) { return [s, statusWord(s)]; }));
      if (get.evidence(0)) { choice('evidence', W.evidence, data.evidence_levels.map(function (s) { return [s, evidenceWord(s)]; })); }
      var qrow = el('div', null, 'aps-r-row'), qlab = el('label', W.search), q = el('input');
      q.id = 'aps-r-q';
      q.type = 'search';
      q.placeholder = W.search_hint;
      qlab.htmlFor = q.id;
      q.oninput = apply;
      qrow.appendChild(qlab);
      qrow.appendChild(q);
      form.appendChild(qrow);
      fields.q = q;
      var months = R.months || [], asof = null, asofOut = null;
      if (months.length > 1) {
        var arow = el('div', null, 'aps-r-row'), alab = el('label', W.as_of);
        asof = el('input');
        asof.id = 'aps-r-asof';
        asof.type = 'range';
        asof.min = 0;
        asof.max = months.length - 1;
        asof.value = months.length - 1;
        alab.htmlFor = asof.id;
        asofOut = el('output', W.latest);
        asof.oninput = apply;
        arow.appendChild(alab);
        arow.appendChild(asof);
        arow.appendChild(asofOut);
        form.appendChild(arow);
      }
      var countLine = el('div', null, 'aps-r-count');
      countLine.setAttribute('role', 'status');
      countLine.setAttribute('aria-live', 'polite');
      form.appendChild(countLine);
      head.appendChild(box);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);

      function monthName(m) { return R.month_labels[months.indexOf(m)] || m; }
      function apply() {
        var month = asof && Number(asof.value) < months.length - 1 ? months[Number(asof.value)] : null;
        if (asofOut) { asofOut.textContent = month ? monthName(month) : W.latest; }
        rewind(month);
        var words = fold(q.value).split(/\s+/).filter(function (w) { return w; });
        var shown = [], countries = {}, byBureau = {}, byPrecision = {};
        for (var i = 0; i < n; i++) {
          if (fields.country.value && get.cc(i) !== fields.country.value) { continue; }
          if (fields.bureau.value && get.bureau(i) !== fields.bureau.value) { continue; }
          if (fields.status.value && statusNow[i] !== fields.status.value) { continue; }
          if (fields.evidence && fields.evidence.value && get.evidence(i) !== fields.evidence.value) { continue; }
          if (month && firstMonth(i) && firstMonth(i) > month) { continue; }
          if (!words.every(function (w) { return text[i].indexOf(w) >= 0; })) { continue; }
          shown.push(markers[i]);
          countries[get.cc(i)] = 1;
          byBureau[get.bureau(i)] = (byBureau[get.bureau(i)] || 0) + 1;
          byPrecision[get.precision(i)] = (byPrecision[get.precision(i)] || 0) + 1;
        }
        map.closePopup(shared);
        var on = {};
        shown.forEach(function (m) { on[m.row] = true; });
        unhatch();
        hatch(on);
        group.clearLayers();
        group.addLayers ? group.addLayers(shown) : shown.forEach(function (m) { group.addLayer(m); });
        var nc = Object.keys(countries).length;
        subtitle.textContent = count(W.n_alleged, shown.length) + ' ' + count(W.in_n_countries, nc) +
          (month ? ', ' + W.as_of_lower + ' ' + monthName(month) : '');
        countLine.textContent = count(W.showing, shown.length).replace('{total}', NUM.format(n));
        var o2 = {bureaus: data.overlay.bureaus.filter(function (b) { return byBureau[b.key]; }).map(function (b) {
                    return {label: b.label, colour: b.colour, count: byBureau[b.key]}; }),
                  precisions: data.overlay.precisions.filter(function (p) { return byPrecision[p.key]; }).map(function (p) {
                    return {key: p.key, label: p.label, count: byPrecision[p.key]}; }),
                  cluster_note: data.overlay.cluster_note};
        setLegend(o2);
        var state = [];
        ['country', 'bureau', 'status', 'evidence'].forEach(function (k) {
          if (fields[k] && fields[k].value) { state.push(k + '=' + encodeURIComponent(fields[k].value)); }
        });
        if (q.value) { state.push('q=' + encodeURIComponent(q.value)); }
        if (month) { state.push('asof=' + month); }
        try { history.replaceState(null, '', state.length ? '#' + state.join('&') : location.pathname + location.search); }
        catch (err) { /* a sandboxed frame may refuse: the view still works */ }
        if (shown.length) {
          var b = L.latLngBounds(shown.map(function (m) { return m.home; }));
          refit([[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]], 8);
        }
        shownCount = shown.length;
        shownRows = on;
        drawInset();
        window.apsReady = {stations: shown.length, drawn: shown.length};
      }
      // A link's fragment opens the view it names: #country=IT&bureau=Fuzhou&asof=2023-03
      function fromHash() {
        ['country', 'bureau', 'status', 'evidence'].forEach(function (k) { if (fields[k]) { fields[k].value = ''; } });
        q.value = '';
        if (asof) { asof.value = months.length - 1; }
        (location.hash || '').replace(/^#/, '').split('&').forEach(function (pair) {
          var kv = pair.split('='), k = kv[0], v = '';
          try { v = decodeURIComponent(kv[1] || ''); } catch (err) { return; }
          if (fields[k] && fields[k].tagName === 'SELECT') {
            if (Array.prototype.some.call(fields[k].options, function (o) { return o.value === v; })) { fields[k].value = v; }
          } else if (k === 'q') { q.value = v.slice(0, 200); }
          else if (k === 'asof' && asof && months.indexOf(v) >= 0) { asof.value = months.indexOf(v); }
        });
      }
      fromHash();
      window.addEventListener('hashchange', function () { if (map) { fromHash(); apply(); } });
      return apply;
    }
    var readerApply = null, readerDone = false, shownCount = null;

    var Overlay = L.Layer.extend({
      onAdd: function (m) {
        map = m;
        var container = map.getContainer();
        container.style.background = data.sea;
        container.classList.toggle('aps-still', !!data.spread);
        container.classList.toggle('aps-clean', !!data.clean);
        if (data.clean) {
          // Clean mode sizes the frame to the window: the map fills the frame, so the legend and
          // the credit stay in the picture (the map's own height was set for the normal page).
          fillFrame = function () {
            if (Math.abs(container.clientHeight - window.innerHeight) > 1) {
              container.style.height = window.innerHeight + 'px';
              map.invalidateSize({pan: false});  // Leaflet caches its size: tell it
            }
          };
          fillFrame();
          window.addEventListener('resize', fillFrame);
        }
        if (data.spread) { map.options.zoomSnap = 0.25; }  // pictures: a tight fit, not the next whole zoom
        narrow();
        try {  // the app's iframe gets a name for screen readers (same origin in Streamlit)
          if (window.frameElement) { window.frameElement.setAttribute('title', count(T.frame_title, n)); }
        } catch (err) { /* cross-origin embed: the host page names its iframe */ }
        container.setAttribute('aria-label', count(T.frame_title, n));
        var o = data.overlay;
        var box = el('div', null, 'aps-overlay');
        var head = el('div', null, 'aps-head');
        head.appendChild(el('div', o.title, 'aps-maptitle'));
        var subtitle = el('div', o.subtitle, 'aps-subtitle');
        head.appendChild(subtitle);
        if (o.filters && !data.reader) { head.appendChild(el('div', o.filters, 'aps-filters')); }
        box.appendChild(head);
        var foot = el('div', null, 'aps-foot');
        var legend = legendBox(o);
        if (data.reader) { readerApply = reader(head, subtitle, function (o2) {
          var fresh = legendBox(o2);
          fresh.id = legend.id;
          legend.replaceWith(fresh);
          legend = fresh;
        }); }
        var toggle = el('button', T.legend, 'aps-legend-toggle');
        toggle.type = 'button';
        toggle.setAttribute('aria-expanded', 'false');
        toggle.setAttribute('aria-controls', legend.id);
        toggle.onclick = function () {
          var open = !container.classList.contains('aps-legend-open');
          container.classList.toggle('aps-legend-open', open);
          toggle.setAttribute('aria-expanded', String(open));
          relabel();
        };
        foot.appendChild(toggle);
        foot.appendChild(legend);
        foot.appendChild(el('div', o.credit, 'aps-credit'));
        box.appendChild(foot);
        hint = el('div', T.wheel_hint, 'aps-hint');
        hint.setAttribute('role', 'status');
        box.appendChild(hint);
        L.DomEvent.disableClickPropagation(foot);
        L.DomEvent.disableScrollPropagation(foot);
        container.appendChild(box);
        overlayBox = box;
        this._box = box;

        // A click on the map must act where it lands: Leaflet focuses the map on mousedown, and
        // without preventScroll the page scrolls the map's iframe into view under the pointer.
        if (map.keyboard && !map.keyboard._apsPatched) {
          map.keyboard.disable();
          map.keyboard._onMouseDown = function () {
            if (!this._focused) { this._map._container.focus({preventScroll: true}); }
          };
          map.keyboard._apsPatched = true;
          map.keyboard.enable();
        }
        // The wheel scrolls the page unless the reader has clicked the map or holds Ctrl/Cmd.
        var active = false;
        wheelGuard = {
          wheel: function (e) {
            if (!container.contains(e.target) || active || e.ctrlKey || e.metaKey) { return; }
            e.stopPropagation();  // Leaflet never sees it, so the page scrolls
            hint.classList.add('aps-show');
            clearTimeout(hint._t);
            hint._t = setTimeout(function () { hint.classList.remove('aps-show'); }, 1400);
          },
          on: function () { active = true; },
          off: function () { active = false; }
        };
        document.addEventListener('wheel', wheelGuard.wheel, {capture: true, passive: true});
        container.addEventListener('mousedown', wheelGuard.on);
        container.addEventListener('mouseleave', wheelGuard.off);
        document.addEventListener('keydown', onKey, true);

        // The overlay's stylesheet may still be loading (the app adds it to the page): fit only once
        // the title card and legend band are laid out, or the fit would leave room for nothing.
        var tries = 0;
        (function fitWhenStyled() {
          if (!map) { return; }
          if (getComputedStyle(head).position !== 'absolute' && tries++ < 100) { setTimeout(fitWhenStyled, 30); return; }
          refit();
          layout();
          overlayOn = true;
          announce();
        })();
        map.on('zoomend', layout);
        map.on('moveend', relabel);
        lastWidth = container.clientWidth;
        lastHeight = container.clientHeight;
        if (window.ResizeObserver) {
          // The map learns its new size (clean mode, a resized frame) and fits its stations again.
          observer = new ResizeObserver(function () {
            if (container.clientWidth === lastWidth && container.clientHeight === lastHeight) { return; }
            lastWidth = container.clientWidth;
            lastHeight = container.clientHeight;
            map.invalidateSize({pan: false});
            narrow();
            refit();
            layout();
          });
          observer.observe(container);
        }
        whenBasemap(function () { if (map) { hatch(); if (overlayOn) { layout(); } } });
      },
      onRemove: function (m) {
        if (this._box) { this._box.remove(); }
        if (observer) { observer.disconnect(); }
        if (fillFrame) { window.removeEventListener('resize', fillFrame); }
        if (inset) { inset.remove(); inset = null; }
        if (labels) { labels.remove(); labels = null; }
        unhatch();
        document.removeEventListener('wheel', wheelGuard.wheel, {capture: true});
        m.getContainer().removeEventListener('mousedown', wheelGuard.on);
        m.getContainer().removeEventListener('mouseleave', wheelGuard.off);
        document.removeEventListener('keydown', onKey, true);
        m.off('zoomend', layout);
        m.off('moveend', relabel);
        m.closePopup(shared);
        m.closeTooltip(tip);
        map = null;
      }
    });
    // The overlay first: it fits the view, so clusters are computed once, at the final zoom.
    new Overlay().addTo(parent);
    if (clustered) {
      // Markers go in once the cluster group is on the map: before that, markercluster checks
      // each new marker against every queued one (quadratic: 10k stations took seconds).
      group.once('add', function () { group.addLayers(markers); });
    } else if (!data.canvas) {
      markers.forEach(function (m) { group.addLayer(m); });
    }
    if (data.spread) { legs.addTo(parent); }
    group.addTo(parent);
  }

  if (data.packed) {
    unpack(data.packed).then(draw);
  } else {
    draw(data.cols);
  }
};

// Draws the stations and the title/legend/credit overlay. Rendered by geo/mapping.py.
// Every text from the data reaches the page through textContent, never innerHTML, and every
// link was checked server-side (http/https, host, no credentials) and is checked again here.
// Stations arrive as columns (geo/payload.py), deflated when there are many; one popup and one
// tooltip are shared by all markers and filled only when a reader points at a station.
(function () {
  var data = {{ this.payload }};
  var parent = {{ this._parent.get_name() }};
  var FIELDS = ['id', 'city', 'region', 'country', 'precision', 'bureau', 'bureau_detail', 'year',
                'status', 'status_date', 'first_reported', 'notes'];

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
    p.appendChild(el('span', label + ': ', 'aps-label'));
    p.appendChild(el('span', value));
    box.appendChild(p);
  }
  // A column is a plain array, or {v: distinct values, k: index per station}.
  function getter(c) {
    return Array.isArray(c) ? function (i) { return c[i]; } : function (i) { return c.v[c.k[i]]; };
  }
  function unpack(text) {
    var bin = atob(text), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Response(stream).text().then(JSON.parse);
  }

  function draw(cols) {
    var get = {};
    FIELDS.forEach(function (f) { get[f] = getter(cols[f]); });
    function place(i) {
      return [get.city(i) || get.region(i), get.country(i)].filter(function (x) { return x; }).join(', ');
    }
    function popup(i) {
      var box = el('div', null, 'aps-popup');
      var bureau = get.bureau(i), detail = get.bureau_detail(i), status_date = get.status_date(i);
      box.appendChild(el('div', 'Alleged police "service station"', 'aps-kicker'));
      box.appendChild(el('div', place(i), 'aps-title'));
      line(box, 'Bureau', bureau + (detail ? ' (' + detail + ')' : ''));
      line(box, 'Opened', get.year(i) || 'not reported');
      line(box, 'Host response', get.status(i) + (status_date ? ', ' + status_date : ''));
      line(box, 'First reported', get.first_reported(i));
      line(box, 'Location known to', data.precision_words[get.precision(i)] || get.precision(i));
      line(box, 'Notes', get.notes(i));
      box.appendChild(el('div', 'Sources', 'aps-label aps-sources'));
      var list = el('ol', null, 'aps-list');
      cols.src[i].forEach(function (j) {
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
        if (s[2]) { item.appendChild(el('span', ', ' + s[2])); }
        list.appendChild(item);
      });
      box.appendChild(list);
      return box;
    }

    var renderer = data.canvas ? L.canvas({padding: 0.5}) : undefined;
    var clustered = data.cluster && L.markerClusterGroup;
    var ready = !clustered;  // markercluster adds big sets in chunks; the map is drawn after the last
    var group = clustered ? L.markerClusterGroup({
      maxClusterRadius: 18, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
      chunkedLoading: true, spiderLegPolylineOptions: {weight: 1, color: '#333', opacity: 0.6},
      chunkProgress: function (done, total) {
        if (done === total) { setTimeout(function () { ready = true; announce(); }, 0); }
      },
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        var size = n < 10 ? 26 : (n < 100 ? 32 : 38);
        return L.divIcon({html: '<span>' + Number(n) + '</span>', className: 'aps-cluster',
                          iconSize: L.point(size, size)});
      }
    }) : L.featureGroup();

    // Options are made once per (bureau, precision) pair, not once per station.
    var looks = {};
    function look(bureau, precision) {
      var key = bureau + '\u0000' + precision;
      if (!looks[key]) {
        var style = data.styles[precision] || data.styles.city;
        var colour = data.colours[bureau] || data.colours['other named bureau'];
        looks[key] = {radius: style.radius, weight: style.weight, dashArray: style.dash || null,
                      color: style.outline || colour, fillColor: colour, fillOpacity: style.fill,
                      opacity: 1, renderer: renderer};
      }
      return looks[key];
    }
    var markers = new Array(data.n);
    for (var i = 0; i < data.n; i++) {
      var m = L.circleMarker([cols.lat[i], cols.lon[i]], look(get.bureau(i), get.precision(i)));
      m.row = i;
      m.stationId = get.id(i);
      m.home = m.getLatLng();
      markers[i] = m;
    }

    var shared = L.popup({maxWidth: 340, minWidth: 220});
    var tip = L.tooltip({direction: 'top', offset: [0, -6]});
    group.on('click', function (e) {
      var m = e.layer;
      if (!m || m.row === undefined || !m._map) { return; }
      shared.setLatLng(m.getLatLng()).setContent(popup(m.row)).openOn(m._map);
    });
    group.on('mouseover', function (e) {
      var m = e.layer;
      if (!m || m.row === undefined || !m._map) { return; }
      tip.setLatLng(m.getLatLng()).setContent(el('span', place(m.row) + ' \u00b7 ' + get.bureau(m.row)));
      m._map.openTooltip(tip);
    });
    group.on('mouseout', function (e) { if (e.layer && e.layer._map) { e.layer._map.closeTooltip(tip); } });

    // For still pictures: stations sharing one point are fanned out around it, each joined to
    // the true position by a thin line, so every colour shows without a click.
    var legs = L.layerGroup();
    function spread(map) {
      var groups = {};
      markers.forEach(function (m) {
        var key = m.home.lat + ',' + m.home.lng;
        (groups[key] = groups[key] || []).push(m);
      });
      legs.clearLayers();
      Object.keys(groups).forEach(function (key) {
        var g = groups[key];
        if (g.length < 2) { return; }
        var centre = map.latLngToLayerPoint(g[0].home);
        var radius = 10 + 3 * g.length;
        legs.addLayer(L.circleMarker(g[0].home, {radius: 2, color: '#333', weight: 1, fillOpacity: 1,
                                                 interactive: false}));
        g.forEach(function (m, i) {
          var angle = -Math.PI / 2 + 2 * Math.PI * i / g.length;
          var at = map.layerPointToLatLng(centre.add(L.point(Math.cos(angle) * radius, Math.sin(angle) * radius)));
          m.setLatLng(at);
          legs.addLayer(L.polyline([g[0].home, at], {weight: 1, color: '#333', opacity: 0.7, interactive: false}));
        });
      });
    }

    var overlayOn = false;
    function announce() {
      // For tests, the benchmark and the PNG export: how many stations this draw holds, once drawn.
      if (!ready || !overlayOn) { return; }
      setTimeout(function () {  // after the markers join the map in this same turn
        window.apsLayer = {group: group, markers: markers};
        window.apsReady = {stations: data.n, drawn: markers.length};
      }, 0);
    }
    var Overlay = L.Layer.extend({
      onAdd: function (map) {
        map.getContainer().style.background = data.sea;
        var o = data.overlay;
        var box = el('div', null, 'aps-overlay');
        var head = el('div', null, 'aps-head');
        head.appendChild(el('div', o.title, 'aps-maptitle'));
        head.appendChild(el('div', o.subtitle, 'aps-subtitle'));
        if (o.filters) { head.appendChild(el('div', o.filters, 'aps-filters')); }
        box.appendChild(head);
        var legend = el('div', null, 'aps-legend');
        legend.appendChild(el('div', 'Founding bureau (as reported):', 'aps-legend-h'));
        o.bureaus.forEach(function (b) {
          var row = el('div', null, 'aps-legend-row');
          var dot = el('span', null, 'aps-dot');
          dot.style.background = b.colour;
          row.appendChild(dot);
          row.appendChild(el('span', b.label + ' (' + b.count + ')'));
          legend.appendChild(row);
        });
        legend.appendChild(el('div', 'Location known to:', 'aps-legend-h'));
        o.precisions.forEach(function (p) {
          var row = el('div', null, 'aps-legend-row');
          var dot = el('span', null, 'aps-dot aps-' + p.key);
          row.appendChild(dot);
          row.appendChild(el('span', p.label + ' (' + p.count + ')'));
          legend.appendChild(row);
        });
        if (o.cluster_note) { legend.appendChild(el('div', o.cluster_note, 'aps-legend-note')); }
        box.appendChild(legend);
        box.appendChild(el('div', o.credit, 'aps-credit'));
        L.DomEvent.disableClickPropagation(legend);
        L.DomEvent.disableScrollPropagation(legend);
        map.getContainer().appendChild(box);
        this._box = box;
        if (data.fit && data.bounds) {
          map.fitBounds(data.bounds, {paddingTopLeft: [30, 100], paddingBottomRight: [30, 100],
                                      maxZoom: data.max_fit_zoom, animate: !data.spread});
        }
        if (data.spread) {
          map.getContainer().classList.add('aps-still');
          spread(map);
          map.on('zoomend', function () { spread(map); });
        }
        overlayOn = true;
        announce();
      },
      onRemove: function (map) {
        if (this._box) { this._box.remove(); }
        map.closePopup(shared);
        map.closeTooltip(tip);
      }
    });
    // The overlay first: it fits the view, so clusters are computed once, at the final zoom.
    new Overlay().addTo(parent);
    if (group.addLayers) { group.addLayers(markers); } else { markers.forEach(function (m) { group.addLayer(m); }); }
    if (data.spread) { legs.addTo(parent); }
    group.addTo(parent);
  }

  if (data.packed) {
    unpack(data.packed).then(draw);
  } else {
    draw(data.cols);
  }
})();

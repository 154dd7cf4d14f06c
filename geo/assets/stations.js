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
        if (s[2]) { item.appendChild(el('span', ', ' + s[2])); }
        list.appendChild(item);
      });
      box.appendChild(list);
      return box;
    }

    // Many stations: one canvas, drawn in a few batched paths (one per colour and precision)
    // instead of one Leaflet layer per station; a grid of screen cells finds the station under
    // the pointer. Positions use Leaflet's own projection, so they match every other layer.
    var ORDER = {country: 0, region: 1, city: 2, address: 3};  // big hollow rings first, dots on top
    var DotLayer = L.Layer.extend({
      onAdd: function (map) {
        var n = data.n, i;
        if (!this._px) {
          this._px = new Float64Array(n);
          this._py = new Float64Array(n);
          this._look = new Uint8Array(n);
          var keys = {}, styles = [];
          for (i = 0; i < n; i++) {
            var p = map.project([cols.lat[i], cols.lon[i]], 0);
            this._px[i] = p.x;
            this._py[i] = p.y;
            var bureau = get.bureau(i), precision = get.precision(i);
            var colour = data.colours[bureau] || data.colours['other named bureau'];
            var key = colour + ' ' + precision;
            if (keys[key] === undefined) {
              var st = data.styles[precision] || data.styles.city;
              keys[key] = styles.length;
              styles.push({colour: colour, radius: st.radius, weight: st.weight, fill: st.fill,
                           outline: st.outline || colour, dash: st.dash ? st.dash.split(' ').map(Number) : [],
                           order: ORDER[precision] === undefined ? 2 : ORDER[precision]});
            }
            this._look[i] = keys[key];
          }
          this._styles = styles;
          this._reach = Math.max.apply(null, styles.map(function (s) { return s.radius + s.weight; }));
        }
        // Its own pane, above the countries (overlay pane) and below tooltips and popups.
        var pane = map.getPane('apsDots') || map.createPane('apsDots');
        pane.style.zIndex = 450;
        pane.style.pointerEvents = 'none';
        this._canvas = L.DomUtil.create('canvas', 'aps-dots leaflet-zoom-hide', pane);
        map.on('moveend viewreset resize', this._redraw, this);
        map.on('mousemove', this._hover, this);
        map.on('click', this._click, this);
        map.on('mouseout', this._leave, this);
        this._redraw();
      },
      onRemove: function (map) {
        map.off('moveend viewreset resize', this._redraw, this);
        map.off('mousemove', this._hover, this);
        map.off('click', this._click, this);
        map.off('mouseout', this._leave, this);
        L.DomUtil.remove(this._canvas);
        map.getContainer().style.cursor = '';
      },
      _redraw: function () {
        var map = this._map, size = map.getSize(), pad = 0.25;  // drawn beyond the edges, for panning
        var min = map.containerPointToLayerPoint([-size.x * pad, -size.y * pad]).round();
        var w = Math.round(size.x * (1 + 2 * pad)), h = Math.round(size.y * (1 + 2 * pad));
        var ratio = window.devicePixelRatio || 1, canvas = this._canvas;
        L.DomUtil.setPosition(canvas, min);
        canvas.width = w * ratio;
        canvas.height = h * ratio;
        canvas.style.width = w + 'px';
        canvas.style.height = h + 'px';
        var ctx = canvas.getContext('2d');
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        var scale = map.getZoomScale(map.getZoom(), 0), origin = map.getPixelOrigin();
        var ox = origin.x + min.x, oy = origin.y + min.y, reach = this._reach;
        var n = data.n, styles = this._styles, look = this._look, px = this._px, py = this._py;
        var xs = new Float32Array(n), ys = new Float32Array(n), shown = new Int32Array(n), count = 0;
        var layers = [[], [], [], []];  // by precision: rings first, dots on top; data order within
        for (var i = 0; i < n; i++) {
          var x = px[i] * scale - ox, y = py[i] * scale - oy;
          if (x < -reach || y < -reach || x > w + reach || y > h + reach) { continue; }
          xs[count] = x;
          ys[count] = y;
          shown[count] = i;
          layers[styles[look[i]].order].push(count);
          count++;
        }
        // Each style is drawn once into a small sprite, then stamped: far cheaper than
        // filling and stroking (and dashing) one path per station, or one huge path.
        styles.forEach(function (s) {
          s.half = Math.ceil(s.radius + s.weight) + 1;
          if (s.sprite && s.ratio === ratio) { return; }
          var sprite = document.createElement('canvas');
          sprite.width = sprite.height = 2 * s.half * ratio;
          var sc = sprite.getContext('2d');
          sc.scale(ratio, ratio);
          sc.beginPath();
          sc.arc(s.half, s.half, s.radius, 0, 2 * Math.PI);
          sc.globalAlpha = s.fill;
          sc.fillStyle = s.colour;
          sc.fill();
          sc.globalAlpha = 1;
          sc.lineWidth = s.weight;
          sc.setLineDash(s.dash);
          sc.strokeStyle = s.outline;
          sc.stroke();
          s.sprite = sprite;
          s.ratio = ratio;
        });
        var stamped = new Set();  // one stamp per style and pixel: stations sharing a place draw once
        layers.forEach(function (list) {
          for (var j = 0; j < list.length; j++) {
            var c = list[j], k = look[shown[c]], s = styles[k];
            var x = Math.round(xs[c]), y = Math.round(ys[c]), key = (k * 8192 + y + 4096) * 8192 + x + 4096;
            if (stamped.has(key)) { continue; }
            stamped.add(key);
            ctx.drawImage(s.sprite, x - s.half, y - s.half, 2 * s.half, 2 * s.half);
          }
        });
        // Screen-cell index of what was drawn: counting sort by cell.
        var cell = Math.max(8, Math.ceil(reach)), cols_ = Math.ceil(w / cell) + 2, rows_ = Math.ceil(h / cell) + 2;
        var start = new Int32Array(cols_ * rows_ + 1), cellOf = new Int32Array(count), sorted = new Int32Array(count);
        for (var a = 0; a < count; a++) {
          var cx = Math.min(cols_ - 1, Math.max(0, Math.floor(xs[a] / cell) + 1));
          var cy = Math.min(rows_ - 1, Math.max(0, Math.floor(ys[a] / cell) + 1));
          cellOf[a] = cy * cols_ + cx;
          start[cellOf[a] + 1]++;
        }
        for (var b = 0; b < cols_ * rows_; b++) { start[b + 1] += start[b]; }
        var fill = start.slice(0, cols_ * rows_);
        for (var d = 0; d < count; d++) { sorted[fill[cellOf[d]]++] = d; }
        this._grid = {min: min, cell: cell, cols: cols_, rows: rows_, start: start, sorted: sorted,
                      xs: xs, ys: ys, shown: shown};
        this._drawn = count;
      },
      // The station under a point of the map (nearest centre within its ring), or -1.
      _at: function (containerPoint) {
        var g = this._grid;
        if (!g) { return -1; }
        var p = this._map.containerPointToLayerPoint(containerPoint).subtract(g.min);
        var best = -1, bestD = Infinity, styles = this._styles, look = this._look;
        var cx = Math.floor(p.x / g.cell) + 1, cy = Math.floor(p.y / g.cell) + 1;
        for (var y = cy - 1; y <= cy + 1; y++) {
          for (var x = cx - 1; x <= cx + 1; x++) {
            if (x < 0 || y < 0 || x >= g.cols || y >= g.rows) { continue; }
            var c = y * g.cols + x;
            for (var k = g.start[c]; k < g.start[c + 1]; k++) {
              var a = g.sorted[k], i = g.shown[a], s = styles[look[i]];
              var dx = g.xs[a] - p.x, dy = g.ys[a] - p.y, dd = dx * dx + dy * dy;
              var r = s.radius + s.weight / 2 + 1;
              if (dd <= r * r && dd < bestD) { best = i; bestD = dd; }
            }
          }
        }
        return best;
      },
      _here: function (i) {
        var rows = [], px = this._px, py = this._py;
        for (var j = 0; j < data.n; j++) { if (px[j] === px[i] && py[j] === py[i]) { rows.push(j); } }
        return rows;
      },
      _hover: function (e) {
        var i = this._at(e.containerPoint), map = this._map;
        map.getContainer().style.cursor = i >= 0 ? 'pointer' : '';
        if (i === this._hovered) { return; }
        this._hovered = i;
        if (i < 0) { map.closeTooltip(tip); return; }
        map.openTooltip(tip.setLatLng([cols.lat[i], cols.lon[i]]).setContent(tipFor(i, this._here(i).length)));
      },
      _leave: function () {
        this._hovered = -1;
        this._map.closeTooltip(tip);
        this._map.getContainer().style.cursor = '';
      },
      _click: function (e) {
        var i = this._at(e.containerPoint);
        if (i < 0) { return; }
        shared.setLatLng([cols.lat[i], cols.lon[i]]).setContent(popupFor(this._here(i))).openOn(this._map);
      }
    });

    var shared = L.popup({maxWidth: 340, minWidth: 220});
    var tip = L.tooltip({direction: 'top', offset: [0, -6]});
    var MAX_LISTED = 500;
    // Stations that share one point are listed together (the canvas has no spiderfy).
    function popupFor(rows) {
      if (rows.length === 1) { return popup(rows[0]); }
      var box = el('div', null, 'aps-popup-list');
      box.appendChild(el('div', rows.length + ' alleged stations at this point', 'aps-title'));
      rows.slice(0, MAX_LISTED).forEach(function (i) { box.appendChild(popup(i)); });
      if (rows.length > MAX_LISTED) {
        box.appendChild(el('div', 'and ' + (rows.length - MAX_LISTED) + ' more here: narrow the filters to see them.',
                           'aps-row'));
      }
      return box;
    }
    function tipFor(i, shared_) {
      return el('span', place(i) + ' \u00b7 ' + get.bureau(i) + (shared_ > 1 ? ' \u00b7 ' + shared_ + ' stations here' : ''));
    }

    var clustered = data.cluster && L.markerClusterGroup && !data.canvas;
    var ready = !clustered;  // markercluster adds big sets in chunks; the map is drawn after the last
    var markers = [];
    var group;
    if (data.canvas) {
      group = new DotLayer();
    } else {
      group = clustered ? L.markerClusterGroup({
        maxClusterRadius: 18, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
        chunkedLoading: true, chunkInterval: 100, chunkDelay: 1,  // yield to the page, but do not idle
        spiderLegPolylineOptions: {weight: 1, color: '#333', opacity: 0.6},
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
      var look = function (bureau, precision) {
        var key = bureau + '\u0000' + precision;
        if (!looks[key]) {
          var style = data.styles[precision] || data.styles.city;
          var colour = data.colours[bureau] || data.colours['other named bureau'];
          looks[key] = {radius: style.radius, weight: style.weight, dashArray: style.dash || null,
                        color: style.outline || colour, fillColor: colour, fillOpacity: style.fill, opacity: 1};
        }
        return looks[key];
      };
      markers = new Array(data.n);
      for (var i = 0; i < data.n; i++) {
        var m = L.circleMarker([cols.lat[i], cols.lon[i]], look(get.bureau(i), get.precision(i)));
        m.row = i;
        m.stationId = get.id(i);
        m.home = m.getLatLng();
        markers[i] = m;
      }
      group.on('click', function (e) {
        var m = e.layer;
        if (!m || m.row === undefined || !m._map) { return; }
        shared.setLatLng(m.getLatLng()).setContent(popup(m.row)).openOn(m._map);
      });
      group.on('mouseover', function (e) {
        var m = e.layer;
        if (!m || m.row === undefined || !m._map) { return; }
        m._map.openTooltip(tip.setLatLng(m.getLatLng()).setContent(tipFor(m.row, 1)));
      });
      group.on('mouseout', function (e) { if (e.layer && e.layer._map) { e.layer._map.closeTooltip(tip); } });
    }

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
        window.apsReady = {stations: data.n, drawn: data.canvas ? data.n : markers.length};
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
                                      maxZoom: data.max_fit_zoom,
                                      animate: !data.spread && !data.canvas});  // canvas: one redraw, not two
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
    if (clustered) {
      // Markers go in once the cluster group is on the map: before that, markercluster checks
      // each new marker against every queued one (quadratic: 10k stations took seconds).
      group.once('add', function () { group.addLayers(markers); });
    } else {
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
})();

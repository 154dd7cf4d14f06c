// The canvas layer for many stations (above mapping.CLUSTER_MAX): drawn in a few batched stamps
// instead of one Leaflet layer per station; a grid of screen cells finds the station under the
// pointer. Positions use Leaflet's own projection, so they match every other layer.
// Defined once per page; geo/assets/stations.js calls it with the decoded columns.
window.apsDotLayer = function (data, cols, get, h) {
  var tip = h.tip;
  function tipFor(i) { return h.tipFor(i); }
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
      // Density: where many stations share a patch of screen, a badge says how many, so 12,000
      // points never look like the 60 dots they cover. Counted in cells of DENSITY px.
      var DENSITY = 44, bins = {}, order = [];
      for (var e = 0; e < count; e++) {
        var bx = Math.floor(xs[e] / DENSITY), by = Math.floor(ys[e] / DENSITY), bk = bx + ',' + by;
        if (!bins[bk]) { bins[bk] = {n: 0, x: 0, y: 0}; order.push(bk); }
        bins[bk].n++;
        bins[bk].x += xs[e];
        bins[bk].y += ys[e];
      }
      // Largest first; a patch whose badge would overlap a placed one joins it (its count too).
      var placed = [];
      order.map(function (bk) { return bins[bk]; }).sort(function (p, q) { return q.n - p.n; }).forEach(function (bin) {
        var x = bin.x / bin.n, y = bin.y / bin.n;
        for (var k = 0; k < placed.length; k++) {
          var o = placed[k];
          if ((o.x - x) * (o.x - x) + (o.y - y) * (o.y - y) < 34 * 34) { o.n += bin.n; return; }
        }
        placed.push({x: x, y: y, n: bin.n});
      });
      var badges = 0;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.font = '700 11px system-ui, Arial, sans-serif';
      placed.forEach(function (bin) {
        if (bin.n < 5) { return; }
        var x = bin.x, y = bin.y, label = bin.n >= 1000 ? Math.round(bin.n / 100) / 10 + 'k' : String(bin.n);
        var r = Math.min(17, 8 + 2 * Math.log10(bin.n) + label.length);
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fillStyle = 'rgba(25,25,25,0.78)';
        ctx.fill();
        ctx.lineWidth = 1.5;
        ctx.strokeStyle = '#fff';
        ctx.stroke();
        ctx.fillStyle = '#fff';
        ctx.fillText(label, x, y + 0.5);
        badges++;
      });
      this._density = {badges: badges, counted: count};
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
    _hover: function (e) {
      var i = this._at(e.containerPoint), map = this._map;
      map.getContainer().style.cursor = i >= 0 ? 'pointer' : '';
      if (i === this._hovered) { return; }
      this._hovered = i;
      if (i < 0) { map.closeTooltip(tip); return; }
      map.openTooltip(tip.setLatLng([cols.lat[i], cols.lon[i]]).setContent(tipFor(i)));
    },
    _leave: function () {
      this._hovered = -1;
      this._map.closeTooltip(tip);
      this._map.getContainer().style.cursor = '';
    },
    _click: function (e) {
      var i = this._at(e.containerPoint);
      if (i < 0) { return; }
      h.open(i);
    }
  });
  return new DotLayer();
};

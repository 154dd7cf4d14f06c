// Draws the stations and the title/legend/credit overlay. Rendered by geo/mapping.py.
// Every text from the data reaches the page through textContent, never innerHTML, and every
// link was checked server-side (http/https, host, no credentials) and is checked again here.
(function () {
  var data = {{ this.payload }};
  var parent = {{ this._parent.get_name() }};

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function safeHref(url) {
    return typeof url === 'string' && /^https?:\/\/[^\s\/@]+(\/|$|\?|#)/i.test(url) ? url : null;
  }
  function place(r) {
    return [r.city || r.region, r.country].filter(function (x) { return x; }).join(', ');
  }
  function line(box, label, value) {
    if (!value) { return; }
    var p = el('div', null, 'aps-row');
    p.appendChild(el('span', label + ': ', 'aps-label'));
    p.appendChild(el('span', value));
    box.appendChild(p);
  }
  function popup(r) {
    var box = el('div', null, 'aps-popup');
    box.appendChild(el('div', 'Alleged police "service station"', 'aps-kicker'));
    box.appendChild(el('div', place(r), 'aps-title'));
    line(box, 'Bureau', r.bureau + (r.bureau_detail ? ' (' + r.bureau_detail + ')' : ''));
    line(box, 'Opened', r.year || 'not reported');
    line(box, 'Host response', r.status + (r.status_date ? ', ' + r.status_date : ''));
    line(box, 'First reported', r.first_reported);
    line(box, 'Location known to', data.precision_words[r.precision] || r.precision);
    line(box, 'Notes', r.notes);
    box.appendChild(el('div', 'Sources', 'aps-label aps-sources'));
    var list = el('ol', null, 'aps-list');
    r.sources.forEach(function (i) {
      var s = data.sources[i];
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
  var group = data.cluster && L.markerClusterGroup ? L.markerClusterGroup({
    maxClusterRadius: 18, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
    chunkedLoading: true, spiderLegPolylineOptions: {weight: 1, color: '#333', opacity: 0.6},
    iconCreateFunction: function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? 26 : (n < 100 ? 32 : 38);
      return L.divIcon({html: '<span>' + Number(n) + '</span>', className: 'aps-cluster',
                        iconSize: L.point(size, size)});
    }
  }) : L.featureGroup();
  var markers = [];
  data.stations.forEach(function (r) {
    var style = data.styles[r.precision] || data.styles.city;
    var colour = data.colours[r.bureau] || data.colours['other named bureau'];
    var m = L.circleMarker([r.lat, r.lon], {
      radius: style.radius, weight: style.weight, dashArray: style.dash || null,
      color: style.outline || colour, fillColor: colour, fillOpacity: style.fill,
      opacity: 1, renderer: renderer
    });
    m.bindPopup(function () { return popup(r); }, {maxWidth: 340, minWidth: 220});
    m.bindTooltip(function () { return el('span', place(r) + ' \u00b7 ' + r.bureau); });
    m.stationId = r.id;
    markers.push(m);
  });
  if (group.addLayers) { group.addLayers(markers); } else { markers.forEach(function (m) { group.addLayer(m); }); }
  group.addTo(parent);

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
      legend.appendChild(el('div', 'Founding bureau (as reported)', 'aps-legend-h'));
      o.bureaus.forEach(function (b) {
        var row = el('div', null, 'aps-legend-row');
        var dot = el('span', null, 'aps-dot');
        dot.style.background = b.colour;
        row.appendChild(dot);
        row.appendChild(el('span', b.label + ' (' + b.count + ')'));
        legend.appendChild(row);
      });
      legend.appendChild(el('div', 'Location known to', 'aps-legend-h'));
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
        map.fitBounds(data.bounds, {paddingTopLeft: [30, 90], paddingBottomRight: [30, 40], maxZoom: data.max_fit_zoom});
      }
      // For tests and the PNG export: how many stations this draw holds, and the markers.
      window.apsReady = {stations: data.stations.length, drawn: markers.length};
      window.apsLayer = {group: group, markers: markers};
    },
    onRemove: function () { if (this._box) { this._box.remove(); } }
  });
  new Overlay().addTo(parent);
})();

// The map as one SVG document, for print desks: countries, legs and rings stay the paths Leaflet
// drew; stations become circles and squares; every word (title, legend, labels, credit) stays
// <text>, editable in Illustrator or Inkscape. Used by geo/view/picture.py on a standalone map.
window.apsToSVG = function () {
  var NS = 'http://www.w3.org/2000/svg';
  var root = document.querySelector('.leaflet-container');
  var base = root.getBoundingClientRect();
  var W = Math.round(base.width), H = Math.round(base.height);
  var svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('xmlns', NS);
  svg.setAttribute('width', W);
  svg.setAttribute('height', H);
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  var defs = document.createElementNS(NS, 'defs');
  svg.appendChild(defs);

  function node(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (parent || svg).appendChild(e);
    return e;
  }
  function box(e) {
    var r = e.getBoundingClientRect();
    return {x: r.left - base.left, y: r.top - base.top, w: r.width, h: r.height};
  }
  function visible(c) { return c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c); }
  function hatch(colour) {
    var id = 'h' + colour.replace(/[^0-9a-z]/gi, '');
    if (!defs.querySelector('#' + id)) {
      var p = node('pattern', {id: id, width: 6, height: 6, patternUnits: 'userSpaceOnUse',
                               patternTransform: 'rotate(45)'}, defs);
      node('rect', {width: 6, height: 6, fill: '#ffffff'}, p);
      node('line', {x1: 0, y1: 0, x2: 0, y2: 6, stroke: colour, 'stroke-width': 2.4}, p);
    }
    return 'url(#' + id + ')';
  }
  function rectOf(e, parent) {
    var s = getComputedStyle(e), b = box(e);
    if (!visible(s.backgroundColor) && !(parseFloat(s.borderTopWidth) > 0)) { return; }
    node('rect', {x: b.x, y: b.y, width: b.w, height: b.h, rx: parseFloat(s.borderTopLeftRadius) || 0,
                  fill: visible(s.backgroundColor) ? s.backgroundColor : 'none',
                  stroke: parseFloat(s.borderTopWidth) > 0 ? s.borderTopColor : 'none',
                  'stroke-width': parseFloat(s.borderTopWidth) || 0}, parent);
  }
  function mark(e, parent) {
    // A station (or a legend key): circle or square, filled, outlined as the CSS draws it.
    var s = getComputedStyle(e), b = box(e), bw = parseFloat(s.borderTopWidth) || 0;
    var colour = s.getPropertyValue('--c').trim() || s.borderTopColor;
    var square = parseFloat(s.borderTopLeftRadius) < b.w / 3;
    var fill = /gradient/.test(s.backgroundImage) ? hatch(colour || '#555555') : s.backgroundColor;
    var attrs = {fill: fill, stroke: bw ? s.borderTopColor : 'none', 'stroke-width': bw};
    if (s.borderTopStyle === 'dashed') { attrs['stroke-dasharray'] = '4 3'; }
    if (s.borderTopStyle === 'dotted') { attrs['stroke-dasharray'] = '1 3'; }
    if (square) {
      attrs.x = b.x + bw / 2; attrs.y = b.y + bw / 2; attrs.width = b.w - bw; attrs.height = b.h - bw; attrs.rx = 2;
      node('rect', attrs, parent);
    } else {
      attrs.cx = b.x + b.w / 2; attrs.cy = b.y + b.h / 2; attrs.r = Math.max(0.5, (b.w - bw) / 2);
      if (/rgba?\(255, 255, 255/.test(s.borderTopColor) && s.boxShadow !== 'none') {
        node('circle', {cx: attrs.cx, cy: attrs.cy, r: b.w / 2 + 0.5, fill: '#555555'}, parent);
      }
      node('circle', attrs, parent);
    }
  }
  function text(e, parent, halo) {
    // One <text> per rendered line, found with a Range over the words of each text node.
    var s = getComputedStyle(e);
    var size = parseFloat(s.fontSize);
    Array.prototype.forEach.call(e.childNodes, function (t) {
      if (t.nodeType !== 3 || !t.textContent.trim()) { return; }
      // Words, and each CJK character on its own (Chinese breaks between characters, not at spaces).
      var lines = [], text = t.textContent, range = document.createRange(), m;
      var token = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+/g;
      while ((m = token.exec(text)) !== null) {
        range.setStart(t, m.index);
        range.setEnd(t, m.index + m[0].length);
        var r = range.getClientRects()[0];
        if (!r) { continue; }
        var last = lines[lines.length - 1];
        if (last && Math.abs(last.top - r.top) < size / 2) { last.end = m.index + m[0].length; } else {
          lines.push({top: r.top, left: r.left, bottom: r.bottom, start: m.index, end: m.index + m[0].length});
        }
      }
      lines.forEach(function (l) {
        var attrs = {x: (l.left - base.left).toFixed(1), y: (l.bottom - base.top - (l.bottom - l.top - size) / 2 - size * 0.22).toFixed(1),
                     'font-family': s.fontFamily, 'font-size': size, 'font-weight': s.fontWeight, fill: s.color};
        if (s.letterSpacing !== 'normal') { attrs['letter-spacing'] = s.letterSpacing; }
        if (halo) { attrs.stroke = '#ffffff'; attrs['stroke-width'] = 3; attrs['paint-order'] = 'stroke'; attrs['stroke-linejoin'] = 'round'; }
        var tx = node('text', attrs, parent);
        tx.textContent = text.slice(l.start, l.end);
      });
    });
  }
  function vectors(container, parent) {
    // Leaflet's own SVG (countries, spider legs, rings), placed where the browser shows it.
    container.querySelectorAll('.leaflet-overlay-pane svg').forEach(function (layer) {
      var b = box(layer), copy = layer.cloneNode(true);
      copy.removeAttribute('style');
      copy.setAttribute('x', b.x);
      copy.setAttribute('y', b.y);
      copy.querySelectorAll('pattern').forEach(function (p) { defs.appendChild(p); });
      parent.appendChild(copy);
    });
  }
  function marks(container, parent) {
    container.querySelectorAll('.leaflet-marker-pane .aps-mark').forEach(function (e) { mark(e, parent); });
    container.querySelectorAll('.leaflet-marker-pane .aps-cluster').forEach(function (e) {
      var b = box(e);
      node('circle', {cx: b.x + b.w / 2, cy: b.y + b.h / 2, r: b.w / 2, fill: '#555555'}, parent);
      text(e.querySelector('.aps-cluster-n'), parent);
    });
  }
  function texts(scope, selector, parent, halo) {
    scope.querySelectorAll(selector).forEach(function (e) { text(e, parent, halo); });
  }

  node('rect', {x: 0, y: 0, width: W, height: H, fill: getComputedStyle(root).backgroundColor});
  var clip = node('clipPath', {id: 'aps-frame'}, defs);
  node('rect', {x: 0, y: 0, width: W, height: H}, clip);
  var mapLayer = node('g', {id: 'map', 'clip-path': 'url(#aps-frame)'});
  vectors(root.querySelector('.leaflet-map-pane'), mapLayer);
  marks(root.querySelector('.leaflet-map-pane'), mapLayer);
  var labelLayer = node('g', {id: 'labels'});
  root.querySelectorAll(':scope > .aps-labels').forEach(function (l) {
    texts(l, '.aps-country-name', labelLayer, false);
    texts(l, '.aps-place', labelLayer, true);
  });
  var inset = root.querySelector('.aps-inset');
  if (inset) {
    var b = box(inset), g = node('g', {id: 'inset'});
    var ic = node('clipPath', {id: 'aps-inset-frame'}, defs);
    node('rect', {x: b.x, y: b.y, width: b.w, height: b.h}, ic);
    node('rect', {x: b.x, y: b.y, width: b.w, height: b.h, fill: getComputedStyle(inset).backgroundColor}, g);
    var inner = node('g', {'clip-path': 'url(#aps-inset-frame)'}, g);
    vectors(inset, inner);
    marks(inset, inner);
    inset.querySelectorAll('.aps-labels').forEach(function (l) { texts(l, '.aps-place', inner, true); });
    var cap = inset.querySelector('.aps-inset-cap');
    rectOf(cap, inner);
    text(cap, inner);
    node('rect', {x: b.x, y: b.y, width: b.w, height: b.h, fill: 'none', stroke: '#333333', 'stroke-width': 1.5}, g);
  }
  root.querySelectorAll('.aps-inset-tag').forEach(function (t) { rectOf(t, svg); text(t, svg); });
  var over = node('g', {id: 'overlay'});
  ['.aps-head', '.aps-foot'].forEach(function (sel) {
    var e = root.querySelector('.aps-overlay ' + sel);
    if (!e || !e.offsetParent) { return; }
    rectOf(e, over);
    e.querySelectorAll('.aps-dot').forEach(function (d) { mark(d, over); });
    e.querySelectorAll('*').forEach(function (c) { if (c.offsetParent) { text(c, over); } });
  });
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
};

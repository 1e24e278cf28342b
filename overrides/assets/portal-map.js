/* The portal's maps: an enhancement of a static SVG map (made at build time) and of tables that
   say the same.

   - Starts from Material's document$ (instant navigation swaps pages without a load): on every
     navigation it removes the previous page's maps and everything they added, then draws the
     new page's maps.
   - Leaflet's stylesheet is put back into <head> before every drawing (instant navigation drops
     what a script added there) and the map is drawn only once it applies: without it, Leaflet's
     panes, markers and controls fall out of the map's box over the page.
   - Finds maps by the data-portal-map attribute, never by id; loads Leaflet (vendored, same
     origin) only when a page has a map.
   - Fetches static files of the built site: every region's shape (or, on a district page, its
     neighbourhood only) and each figure's values; the default base layer is the local Natural
     Earth outline, so no request goes to another host unless the reader switches on tiles.
   - A choropleth: the classes, colours and words come from the build (portal/maps.py), the same
     as the static SVG's; "no value" is a hatch pattern. Each district's name is a marker that
     Tab reaches; Enter (or a click on the district) opens its popup.
   - Builds popups, labels and legends from text nodes only: Leaflet treats strings as HTML. */
(function () {
  "use strict";

  var live = [];
  var leafletLoading = null;
  var counter = 0;
  var PHONE = "(max-width: 44.9375em)";

  function assetUrl(el, attribute) {
    return new URL(el.getAttribute(attribute), window.location.href).href;
  }

  function leafletCss(container) {
    var href = assetUrl(container, "data-leaflet-css");
    var link = document.querySelector("link[data-portal-leaflet]");
    if (!link) {
      link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.setAttribute("data-portal-leaflet", "");
      document.head.appendChild(link);
    }
    if (link.sheet) return Promise.resolve();
    return new Promise(function (resolve, reject) {
      link.addEventListener("load", function () { resolve(); });
      link.addEventListener("error", function () { link.remove(); reject(new Error("Leaflet's styles could not be loaded")); });
    });
  }

  function loadLeaflet(container) {
    var css = leafletCss(container);
    if (window.L) return css.then(function () { return window.L; });
    if (!leafletLoading) {
      leafletLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = assetUrl(container, "data-leaflet-js");
        script.onload = function () { resolve(window.L); };
        script.onerror = function () { leafletLoading = null; script.remove(); reject(new Error("Leaflet could not be loaded")); };
        document.head.appendChild(script);
      });
    }
    return Promise.all([leafletLoading, css]).then(function (both) { return both[0]; });
  }

  var cache = {};
  function getJson(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function say(container, key, values) {
    return (container.dataset[key] || "").replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  var SVG = "http://www.w3.org/2000/svg";
  function svgEl(tag, attributes) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  // -- one map ------------------------------------------------------------------------------

  function LiveMap(L, container, layer, base) {
    this.L = L;
    this.container = container;
    this.layer = layer;
    this.figureBox = container.closest("[data-portal-map-figure]") || container.parentNode;
    this.words = layer.words || {};
    this.near = !!layer.values; // a district page's file carries every figure's values
    this.focus = (container.dataset.focus || "").split(",").filter(Boolean);
    this.regionUrl = container.dataset.regionUrl; // "{id}" stands for the district's id
    this.hatch = "portal-map-live-hatch-" + (++counter);
    this.added = []; // nodes this map put outside its box (the switcher)
    this.shapes = {};
    this.labels = {};
    this.data = null;
    this.draw(base);
  }

  function asText(text) {
    var holder = document.createElement("div");
    holder.textContent = text || "";
    return holder.innerHTML;
  }

  LiveMap.prototype.draw = function (base) {
    var L = this.L, container = this.container, self = this;
    container.hidden = false;
    this.figureBox.classList.add("portal-map-figure--live");
    var map = this.map = L.map(container, { keyboard: true, scrollWheelZoom: false, attributionControl: true, zoomSnap: 0.25 });
    var renderer = this.renderer = L.svg({ padding: 0.2 });
    var outline = L.geoJSON(base, { interactive: false, renderer: renderer, style: { color: "#5c6770", weight: 1, fillColor: "#eef0f2", fillOpacity: 1 } });
    // Leaflet shows attributions as HTML: the translated outline credit is text (the tiles' credit
    // is the site owner's, from mkdocs.yml, and checked by portal.configcheck).
    var baseAttribution = asText(container.dataset.baseAttribution);
    outline.getAttributionText = function () { return baseAttribution; };
    var baseLayers = {};
    baseLayers[say(container, "textOutline")] = outline;
    if (container.dataset.tilesUrl) {
      var host = new URL(container.dataset.tilesUrl.replace(/\{[a-z]\}/g, "a")).hostname;
      baseLayers[say(container, "textTiles", { host: host })] = L.tileLayer(container.dataset.tilesUrl, { attribution: container.dataset.tilesAttribution, maxZoom: 18 });
    }
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(baseAttribution);
    if (Object.keys(baseLayers).length > 1) L.control.layers(baseLayers, null, { collapsed: true }).addTo(map);
    map.on("baselayerchange", function (event) {
      // districts stay on top of tiles; the outline's pane is below them already
      self.each(function (shape) { if (shape.bringToFront) shape.bringToFront(); });
      if (event.layer !== outline) outline.remove();
    });

    var areas = L.featureGroup(), fit = [];
    var order = this.layer.features.slice().sort(function (a, b) {
      return (self.focus.indexOf(b.id) !== -1) - (self.focus.indexOf(a.id) !== -1);
    });
    this.layer.features.forEach(function (feature) {
      var shape;
      if (feature.geometry.type === "Point") {
        shape = L.circleMarker([feature.geometry.coordinates[1], feature.geometry.coordinates[0]], { renderer: renderer, radius: 12 }); // a 24 px target
      } else {
        shape = L.geoJSON(feature, { renderer: renderer });
      }
      shape.bindPopup(function () { return self.popup(feature); }, self.popupOptions());
      areas.addLayer(shape);
      self.shapes[feature.id] = shape;
      if (!self.focus.length || self.near || self.focus.indexOf(feature.id) !== -1) fit.push(shape);
    });
    // the view first: layers are added to a map only once it has one (and the renderer's <svg>)
    map.fitBounds(L.featureGroup(fit).getBounds().pad(this.focus.length && !this.near ? 0.6 : 0.08));
    renderer.addTo(map);
    this.patterns();
    areas.addTo(map);
    outline.addTo(map);
    outline.bringToBack();
    this.layer.features.forEach(function (feature) { self.focusable(feature); });
    order.forEach(function (feature) { self.label(feature); });
    this.labelOrder = order.map(function (f) { return f.id; });

    map.on("zoomend moveend resize", function () { self.declutter(); });
    // Escape closes a popup wherever the focus is in the map (Leaflet listens only while the
    // map's box itself has the focus)
    this.onKey = function (event) {
      if (event.key === "Escape" && self.map && self.popupOpen) self.map.closePopup();
    };
    container.addEventListener("keydown", this.onKey);
    map.on("popupopen", function () { self.popupOpen = true; });
    map.on("popupclose", function () {
      self.popupOpen = false;
      var opener = self.opener;
      self.opener = null;
      if (opener && document.body.contains(opener)) opener.focus({ preventScroll: true });
    });
    this.switcher();
    this.foldLegend();
  };

  LiveMap.prototype.patterns = function () {
    var svg = this.renderer._container || this.container.querySelector(".leaflet-overlay-pane svg");
    var defs = svgEl("defs", {});
    var pattern = svgEl("pattern", { id: this.hatch, width: "8", height: "8", patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
    pattern.appendChild(svgEl("rect", { width: "8", height: "8", fill: "#ffffff" }));
    pattern.appendChild(svgEl("line", { x1: "0", y1: "0", x2: "0", y2: "8", stroke: "#6b7280", "stroke-width": "3" }));
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  };

  LiveMap.prototype.each = function (fn) {
    var shapes = this.shapes;
    Object.keys(shapes).forEach(function (id) {
      var shape = shapes[id];
      if (shape.eachLayer) shape.eachLayer(fn); else fn(shape);
    });
  };

  LiveMap.prototype.popupOptions = function () {
    var width = Math.max(160, Math.min(280, this.container.clientWidth - 64));
    return { maxWidth: width, minWidth: Math.min(200, width), autoPanPadding: [12, 12], keepInView: true };
  };

  // The keyboard path: each district's shape is a button (Tab reaches it, Enter or Space opens
  // its popup, Escape closes it and gives the focus back); its name says the value.
  LiveMap.prototype.focusable = function (feature) {
    var self = this, shape = this.shapes[feature.id];
    var at = feature.properties.label || feature.geometry.coordinates;
    this.paths(feature.id).forEach(function (node) {
      node.setAttribute("tabindex", "0");
      node.setAttribute("role", "button");
      node.setAttribute("aria-haspopup", "dialog");
      node.classList.add("portal-map-district");
      node.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        event.stopPropagation();
        self.opener = node;
        shape.openPopup(self.L.latLng(at[1], at[0]));
      });
    });
    this.describe(feature.id);
  };

  LiveMap.prototype.paths = function (id) {
    var out = [], shape = this.shapes[id];
    if (!shape) return out;
    (shape.eachLayer ? shape.getLayers() : [shape]).forEach(function (layer) {
      var node = layer.getElement && layer.getElement();
      if (node) out.push(node);
    });
    return out;
  };

  // Names are a picture of text (the shapes carry them for screen readers and the keyboard).
  LiveMap.prototype.label = function (feature) {
    var L = this.L, focus = this.focus.indexOf(feature.id) !== -1;
    var text = el("span", "portal-map-label__name" + (focus ? " portal-map-label__name--focus" : ""), feature.properties.name);
    var icon = L.divIcon({ html: text, className: "portal-map-label", iconSize: null });
    var at = feature.properties.label || feature.geometry.coordinates; // a point's name goes at the point
    var marker = L.marker([at[1], at[0]], { icon: icon, interactive: false, keyboard: false, title: "" });
    marker.on("add", function () {
      var node = marker.getElement();
      if (node) node.setAttribute("aria-hidden", "true");
      centre(marker);
    });
    marker.addTo(this.map);
    this.labels[feature.id] = marker;
  };

  // A name is centred on its point: Leaflet centres icons of a known size only.
  function centre(marker) {
    var node = marker.getElement();
    if (!node) return;
    node.style.marginLeft = -Math.round(node.offsetWidth / 2) + "px";
    node.style.marginTop = -Math.round(node.offsetHeight / 2) + "px";
  }

  LiveMap.prototype.value = function (id) {
    return this.data && this.data.values[id];
  };

  LiveMap.prototype.describe = function (id) {
    var feature = this.layer.features.filter(function (f) { return f.id === id; })[0];
    var v = this.value(id), text = feature.properties.name + ": " + (v ? v.t : this.words.none);
    this.paths(id).forEach(function (node) { node.setAttribute("aria-label", text); });
  };

  LiveMap.prototype.popup = function (feature) {
    var words = this.words, v = this.value(feature.id), legend = this.data.legend;
    var box = el("div", "portal-popup");
    var title = el("p", "portal-popup__title");
    var link = el("a", null, feature.properties.name);
    link.href = new URL(this.regionUrl.replace("{id}", encodeURIComponent(feature.id)), window.location.href).href;
    title.appendChild(link);
    box.appendChild(title);
    box.appendChild(el("p", "portal-popup__value", legend.title + ": " + (v ? v.t : words.none)));
    if (v) {
      // its age as on the cards and tables ("3 years old", marked when older than the figure's limit)
      box.appendChild(el("p", null, words.date + ": " + v.d + (v.a ? " · " + (v.s ? "⚠ " : "") + v.a : "")));
      box.appendChild(el("p", "portal-popup__source", words.who + ": " + v.w));
      if (v.k) box.appendChild(el("p", "portal-popup__caveat", words.caveat + ": " + v.k));
      if (v.o) box.appendChild(el("p", null, v.o));
    }
    return box;
  };

  LiveMap.prototype.style = function () {
    var self = this, colours = this.data.legend.classes.map(function (c) { return c.colour; });
    Object.keys(this.shapes).forEach(function (id) {
      var v = self.value(id), focus = self.focus.indexOf(id) !== -1;
      var style = {
        color: focus ? "#111827" : "#374151",
        weight: focus ? 3 : 1,
        opacity: 1,
        fillColor: v ? colours[v.c] : "url(#" + self.hatch + ")",
        fillOpacity: 0.85
      };
      self.shapes[id].setStyle(style);
      self.describe(id);
    });
  };

  LiveMap.prototype.setFigure = function (id) {
    var self = this;
    var values = this.near
      ? Promise.resolve({ legend: this.layer.legends[id], values: this.layer.values[id] || {} })
      : getJson(new URL(this.container.dataset.values + id + ".json", window.location.href).href);
    this.container.dataset.portalMapFigure = id;
    return values.then(function (data) {
      if (!self.map || self.container.dataset.portalMapFigure !== id) return;
      self.data = data;
      self.map.closePopup();
      self.style();
      self.legend();
    });
  };

  LiveMap.prototype.legend = function () {
    var legend = this.data.legend, box = this.figureBox.querySelector(".portal-map-legend");
    if (!box) return;
    var title = box.querySelector(".portal-map-legend__title");
    if (title) title.textContent = legend.title + " (" + legend.unit + ")";
    var list = box.querySelector(".portal-map-legend__classes");
    while (list.firstChild) list.removeChild(list.firstChild);
    legend.classes.forEach(function (c) {
      var item = el("li");
      var swatch = svgEl("svg", { "class": "portal-map-swatch", viewBox: "0 0 16 16", "aria-hidden": "true", focusable: "false" });
      swatch.appendChild(svgEl("rect", { x: "0.5", y: "0.5", width: "15", height: "15", fill: c.colour, stroke: "#374151" }));
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + c.label));
      list.appendChild(item);
    });
    if (legend.none) {
      var none = el("li");
      var hatch = el("span", "portal-map-swatch portal-map-swatch--none");
      hatch.setAttribute("aria-hidden", "true");
      none.appendChild(hatch);
      none.appendChild(document.createTextNode(" " + legend.none));
      list.appendChild(none);
    }
    var dates = box.querySelector(".portal-map-legend__dates");
    if (dates) dates.textContent = legend.dates;
    var sources = box.querySelector(".portal-map-legend__sources");
    if (!sources && legend.sources) {
      sources = el("p", "portal-map-legend__sources");
      box.appendChild(sources);
    }
    if (sources) sources.textContent = legend.sources;
  };

  LiveMap.prototype.switcher = function () {
    var figures = this.layer.figures || [], self = this;
    if (figures.length < 2) return;
    var id = "portal-map-figure-" + counter;
    var wrap = el("p", "portal-map-switch");
    var label = el("label", null, this.words.figure + " ");
    label.htmlFor = id;
    var select = el("select");
    select.id = id;
    figures.forEach(function (f) {
      var option = el("option", null, f.label);
      option.value = f.id;
      select.appendChild(option);
    });
    select.value = this.container.dataset.figure;
    select.addEventListener("change", function () { self.setFigure(select.value); });
    wrap.appendChild(label);
    wrap.appendChild(select);
    this.figureBox.insertBefore(wrap, this.figureBox.firstChild);
    this.added.push(wrap);
  };

  LiveMap.prototype.foldLegend = function () {
    var box = this.figureBox.querySelector("details.portal-map-legend");
    if (box && window.matchMedia && window.matchMedia(PHONE).matches) box.open = false;
  };

  // Names that would cover another, or cross the map's edge, are left out until a zoom makes
  // room (the district's shape still says its name); the focus comes first.
  LiveMap.prototype.declutter = function () {
    if (!this.map) return;
    var box = this.container.getBoundingClientRect(), taken = [], labels = this.labels;
    this.labelOrder.forEach(function (id) {
      var node = labels[id] && labels[id].getElement();
      if (!node) return;
      node.classList.remove("portal-map-label--away");
      centre(labels[id]);
      var r = node.getBoundingClientRect();
      var outside = r.left < box.left + 2 || r.right > box.right - 2 || r.top < box.top + 2 || r.bottom > box.bottom - 2;
      var covers = taken.some(function (t) { return r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom; });
      if (outside || covers) node.classList.add("portal-map-label--away");
      else taken.push(r);
    });
  };

  LiveMap.prototype.remove = function () {
    if (this.onKey) this.container.removeEventListener("keydown", this.onKey);
    if (this.map) this.map.remove();
    this.map = null;
    this.added.forEach(function (node) { if (node.parentNode) node.parentNode.removeChild(node); });
    this.added = [];
    this.figureBox.classList.remove("portal-map-figure--live");
  };

  // -- the page's maps ----------------------------------------------------------------------

  function start(container) {
    container.dataset.portalMapReady = "loading";
    return Promise.all([loadLeaflet(container), getJson(assetUrl(container, "data-layer")), getJson(assetUrl(container, "data-base"))])
      .then(function (all) {
        if (!document.body.contains(container)) return null; // the reader has moved on
        var map = new LiveMap(all[0], container, all[1], all[2]);
        live.push(map);
        return map.setFigure(container.dataset.figure).then(function () {
          map.declutter();
          // again once the page's fonts apply: a name's width changes with them
          if (document.fonts && document.fonts.ready) document.fonts.ready.then(function () { map.declutter(); });
          container.dataset.portalMapReady = "true";
          container.dataset.portalMapFeatures = String(all[1].features.length);
        });
      })
      .catch(function (error) {
        container.dataset.portalMapReady = "failed";
        var box = container.closest("[data-portal-map-figure]");
        if (box) box.classList.remove("portal-map-figure--live");
        container.hidden = true;
        container.parentNode.insertBefore(el("p", "portal-map-error", say(container, "textError")), container.nextSibling);
        if (window.console) console.warn(error);
      });
  }

  document$.subscribe(function () {
    while (live.length) live.pop().remove();
    document.querySelectorAll("[data-portal-map]").forEach(start);
  });
})();

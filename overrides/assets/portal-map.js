/* The portal's maps: an enhancement on top of tables that say the same.

   - Starts from Material's document$ (instant navigation swaps pages without a load) and
     removes the previous page's maps first.
   - Finds maps by the data-portal-map attribute, never by id.
   - Loads Leaflet (vendored, same origin) only when a page has a map.
   - Fetches its data as static .geojson files of the built site; the default base layer is the
     local Natural Earth outline, so no request goes to another host unless the reader switches
     on OpenStreetMap tiles in the layer control.
   - Builds popups and labels from text nodes only: Leaflet treats strings as HTML. */
(function () {
  "use strict";

  var maps = [];
  var leafletLoading = null;

  function assetUrl(el, attribute) {
    return new URL(el.getAttribute(attribute), window.location.href).href;
  }

  function loadLeaflet(el) {
    if (window.L) return Promise.resolve(window.L);
    if (leafletLoading) return leafletLoading;
    leafletLoading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = assetUrl(el, "data-leaflet-css");
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = assetUrl(el, "data-leaflet-js");
      script.onload = function () { resolve(window.L); };
      script.onerror = function () { leafletLoading = null; reject(new Error("Leaflet could not be loaded")); };
      document.head.appendChild(script);
    });
    return leafletLoading;
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // The page's words, translated per edition: data-text-* attributes of the map's container,
  // with {name} placeholders filled in as text (never as HTML).
  function say(container, key, values) {
    return (container.dataset[key] || "").replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  function popupFor(props, root, container) {
    var box = el("div", "portal-popup");
    var title = el("p", "portal-popup__title");
    var link = el("a", null, props.name);
    link.href = new URL(props.url, root).href;
    title.appendChild(link);
    box.appendChild(title);
    if (props.value_text) {
      box.appendChild(el("p", null, props.figure_label + ": " + props.value_text));
      box.appendChild(el("p", "portal-popup__source", props.claim + " (" + props.source + ", " + props.date + ")"));
    } else {
      box.appendChild(el("p", null, props.figure_label + ": " + say(container, "textNoData")));
    }
    if (props.town) box.appendChild(el("p", "portal-popup__town", say(container, "textTown", { town: props.town })));
    return box;
  }

  function radius(value, max) {
    if (!value || !max) return 6;
    return 6 + 22 * Math.sqrt(value / max);
  }

  function legend(L, container, data) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = el("div", "portal-map-legend");
      box.appendChild(el("p", "portal-map-legend__title", data.figure_label + " (" + data.unit_label + ")"));
      box.appendChild(el("p", null, say(container, "textLegendSize")));
      box.appendChild(el("p", null, say(container, "textLegendNone")));
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    return control;
  }

  function asText(text) {
    var holder = document.createElement("div");
    holder.textContent = text || "";
    return holder.innerHTML;
  }

  function draw(L, container, data, base) {
    var focus = (container.dataset.focus || "").split(",").filter(Boolean);
    var map = L.map(container, {
      keyboard: true,
      scrollWheelZoom: false,
      attributionControl: true,
      zoomSnap: 0.25
    });
    var outline = L.geoJSON(base, {
      interactive: false,
      style: { color: "#5c6770", weight: 1, fillColor: "#eef0f2", fillOpacity: 1 }
    });
    // Leaflet shows attributions as HTML: the translated outline credit is text (the tiles' credit
    // is the site owner's, from mkdocs.yml, and checked by portal.configcheck).
    var baseAttribution = asText(container.dataset.baseAttribution);
    outline.getAttributionText = function () { return baseAttribution; };
    var baseLayers = {};
    baseLayers[say(container, "textOutline")] = outline.addTo(map);
    if (container.dataset.tilesUrl) {
      baseLayers[say(container, "textTiles", { host: new URL(container.dataset.tilesUrl.replace(/\{[a-z]\}/g, "a")).hostname })] =
        L.tileLayer(container.dataset.tilesUrl, { attribution: container.dataset.tilesAttribution, maxZoom: 18 });
    }
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(baseAttribution);

    var max = 0;
    data.features.forEach(function (f) { if (f.properties.value > max) max = f.properties.value; });
    var focusBounds = [];
    var markers = L.featureGroup();
    data.features.forEach(function (f) {
      var p = f.properties;
      var highlighted = focus.length === 0 || focus.indexOf(p.id) !== -1;
      if (f.geometry.type !== "Point") {
        var shape = L.geoJSON(f, { style: { color: highlighted ? "#b3261e" : "#6b7280", weight: highlighted ? 2 : 1, fillOpacity: 0.1 } });
        shape.bindPopup(popupFor(p, container.dataset.siteRoot, container));
        markers.addLayer(shape);
        if (highlighted) focusBounds.push(shape.getBounds());
        return;
      }
      var size = Math.round(2 * radius(p.value, max));
      var dot = el("span", "portal-dot" + (p.value ? "" : " portal-dot--none") + (highlighted ? "" : " portal-dot--muted"));
      dot.style.width = dot.style.height = size + "px";
      var target = Math.max(size, 24); // a touch target of at least 24 px around small dots
      var icon = L.divIcon({ html: dot, className: "portal-dot-icon", iconSize: [target, target] });
      var latlng = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
      var marker = L.marker(latlng, { icon: icon, keyboard: true, title: p.name, riseOnHover: true });
      marker.bindPopup(popupFor(p, container.dataset.siteRoot, container));
      marker.on("add", function () {
        var node = marker.getElement();
        if (node) node.setAttribute("aria-label", p.name + (p.value_text ? ": " + p.value_text : ": no data"));
      });
      markers.addLayer(marker);
      if (highlighted) focusBounds.push(L.latLngBounds([latlng, latlng]));
    });
    markers.addTo(map);
    legend(L, container, data).addTo(map);
    if (Object.keys(baseLayers).length > 1) L.control.layers(baseLayers, null, { collapsed: true }).addTo(map);

    var bounds = focusBounds.length ? focusBounds.reduce(function (a, b) { return a.extend(b); }, L.latLngBounds(focusBounds[0].getSouthWest(), focusBounds[0].getNorthEast())) : markers.getBounds();
    map.fitBounds(bounds.pad(focus.length ? 1.5 : 0.15), { maxZoom: focus.length ? 9 : 8 });
    container.dataset.portalMapReady = "true";
    container.dataset.portalMapFeatures = String(data.features.length);
    return map;
  }

  function start(container) {
    container.dataset.portalMapReady = "loading";
    return loadLeaflet(container)
      .then(function (L) {
        return Promise.all([getJson(assetUrl(container, "data-layer")), getJson(assetUrl(container, "data-base"))]).then(function (both) {
          if (!document.body.contains(container)) return; // the reader has moved on
          maps.push(draw(L, container, both[0], both[1]));
        });
      })
      .catch(function (error) {
        container.dataset.portalMapReady = "failed";
        container.appendChild(el("p", "portal-map-error", say(container, "textError")));
        if (window.console) console.warn(error);
      });
  }

  document$.subscribe(function () {
    while (maps.length) maps.pop().remove();
    document.querySelectorAll("[data-portal-map]").forEach(function (container) {
      container.dataset.siteRoot = new URL(container.dataset.root, window.location.href).href;
      start(container);
    });
  });
})();

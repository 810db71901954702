// LandHub maps: draw landscapes from a GeoJSON URL with Leaflet, with or without a tile layer.
// A map element declares what it shows:
//   <div class="map" data-geojson-url="..." data-tile-url="..." data-attribution="..."
//        data-draw-target="id-of-textarea">
// With no tile URL (no internet, or none configured) the boundaries still draw on a plain
// background, so a landscape leader on a slow link sees her boundary without loading tiles.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function style(feature) {
    var status = feature && feature.properties && feature.properties.initiative_status;
    var colour = status === "member" ? "#1f4d2b" : status === "engaged" ? "#2a6f97" : "#8a5a00";
    return { color: colour, weight: 2, fillOpacity: 0.25 };
  }

  function popup(feature, layer) {
    var p = feature.properties || {};
    if (!p.name) { return; }
    var a = document.createElement("a");
    a.href = p.url || "#";
    a.textContent = p.name;
    layer.bindPopup(a);
  }

  function makeMap(element) {
    var map = L.map(element, { worldCopyJump: true, attributionControl: true });
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: element.getAttribute("data-attribution") || "" }).addTo(map);
    }
    map.setView([5, 20], 2);
    return map;
  }

  // On a world view a landscape polygon is a few pixels wide: mark each one with a dot too, so
  // the map of many landscapes is readable without tiles.
  function addMarkers(map, layer, markers) {
    markers.clearLayers();
    if (layer.getLayers().length < 2) { return; }
    layer.eachLayer(function (item) {
      if (!item.getBounds) { return; }
      var props = (item.feature && item.feature.properties) || {};
      var dot = L.circleMarker(item.getBounds().getCenter(), { radius: 6, weight: 2, color: style(item.feature).color, fillOpacity: 0.7 });
      popup({ properties: props }, dot);
      markers.addLayer(dot);
    });
  }

  function load(element) {
    var map = makeMap(element);
    element._landhubMap = map;
    var url = element.getAttribute("data-geojson-url");
    var layer = L.geoJSON(null, {
      style: style,
      onEachFeature: popup,
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, { radius: 6, color: style(feature).color }); }
    }).addTo(map);
    element._landhubLayer = layer;
    var markers = L.layerGroup().addTo(map);
    element._landhubMarkers = markers;
    if (url) {
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || (data.type === "Feature" && !data.geometry)) { return; }
          layer.addData(data);
          addMarkers(map, layer, markers);
          var bounds = layer.getBounds();
          if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 10, padding: [10, 10] }); }
          element.setAttribute("data-loaded", String(layer.getLayers().length));
        });
    }
    var target = element.getAttribute("data-draw-target");
    if (target) { enableDrawing(map, document.getElementById(target), element); }
  }

  // A small polygon tool: click to add vertices, "Finish" closes the ring into the textarea.
  function enableDrawing(map, textarea, element) {
    var points = [];
    var line = L.polyline([], { color: "#b00020" }).addTo(map);
    var finish = document.getElementById(element.getAttribute("data-draw-finish"));
    var reset = document.getElementById(element.getAttribute("data-draw-reset"));
    map.on("click", function (event) {
      points.push([event.latlng.lng, event.latlng.lat]);
      line.addLatLng(event.latlng);
    });
    if (finish) {
      finish.addEventListener("click", function () {
        if (points.length < 3) { return; }
        var ring = points.concat([points[0]]);
        textarea.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
        line.addLatLng([points[0][1], points[0][0]]);
      });
    }
    if (reset) {
      reset.addEventListener("click", function () {
        points = [];
        line.setLatLngs([]);
        textarea.value = "";
      });
    }
  }

  function init(root) {
    (root || document).querySelectorAll("[data-geojson-url], [data-draw-target]").forEach(function (el) {
      if (!el._landhubMap) { load(el); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // When htmx swaps the results, the map follows the new filter.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var map = document.getElementById("landscape-map");
    var holder = event.detail.target.querySelector("[data-map-url]") || event.detail.target;
    var url = holder.getAttribute("data-map-url");
    if (map && url && map._landhubMap) {
      map.setAttribute("data-geojson-url", url);
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        map._landhubLayer.clearLayers();
        map._landhubLayer.addData(data);
        addMarkers(map._landhubMap, map._landhubLayer, map._landhubMarkers);
        var bounds = map._landhubLayer.getBounds();
        if (bounds.isValid()) { map._landhubMap.fitBounds(bounds, { maxZoom: 10 }); }
        map.setAttribute("data-loaded", String(map._landhubLayer.getLayers().length));
      });
    }
  });
})();

/* The portal's page scripts. Material's instant navigation swaps page content without a full
   load, so every script starts from Material's document$ observable, never DOMContentLoaded.
   Libraries are loaded only by the pages that use them (a region page has no sortable table). */
(function () {
  "use strict";

  var loaded = {};

  /* Load a same-origin script once; the URL comes from a data attribute of the page. */
  function loadScript(url) {
    if (!loaded[url]) {
      loaded[url] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.onload = resolve;
        script.onerror = function () { delete loaded[url]; reject(new Error(url + " could not be loaded")); };
        document.head.appendChild(script);
      });
    }
    return loaded[url];
  }

  /* Sortable tables (tablesort): complete without JavaScript, sortable with it. */
  function sortableTables() {
    var tables = document.querySelectorAll("table[data-portal-sortable]:not([data-portal-sortable=ready])");
    if (!tables.length) return;
    var base = new URL(tables[0].dataset.portalSortable || ".", window.location.href);
    loadScript(new URL("tablesort.min.js", base).href)
      .then(function () { return loadScript(new URL("tablesort.number.min.js", base).href); })
      .then(function () {
        tables.forEach(function (table) {
          if (!document.body.contains(table)) return;
          new Tablesort(table);
          table.dataset.portalSortable = "ready";
          table.classList.add("portal-sortable-ready");
        });
      })
      .catch(function (error) { if (window.console) console.warn(error); });
  }

  /* Timeline filters. Without JavaScript every event is listed; with it, readers filter by
     kind, actor, region and year, and the address keeps the filter (?kind=handover&region=agdam)
     so that it can be shared. */
  function timelineFilters() {
    var form = document.querySelector("form[data-portal-filters]");
    if (!form) return;
    var fields = ["kind", "actor", "region", "year"];
    var events = Array.prototype.slice.call(document.querySelectorAll(".portal-timeline .portal-event"));
    var count = form.querySelector(".portal-filter-count");

    function matches(item, filter) {
      return (!filter.kind || item.dataset.kind === filter.kind) &&
        (!filter.year || item.dataset.year === filter.year) &&
        (!filter.actor || item.dataset.actors.split(" ").indexOf(filter.actor) !== -1) &&
        (!filter.region || item.dataset.regions.split(" ").indexOf(filter.region) !== -1);
    }

    function apply(updateAddress) {
      var filter = {};
      var params = new URLSearchParams(window.location.search);
      fields.forEach(function (name) {
        filter[name] = form.elements[name].value;
        if (filter[name]) params.set(name, filter[name]); else params.delete(name);
      });
      var shown = 0;
      events.forEach(function (item) {
        item.hidden = !matches(item, filter);
        if (!item.hidden) shown += 1;
      });
      document.querySelectorAll(".portal-year").forEach(function (section) {
        section.hidden = !section.querySelector(".portal-event:not([hidden])");
      });
      // the sentence comes translated from the page (data-count-text), with {shown} and {total}
      count.textContent = (form.dataset.countText || "Showing {shown} of {total} events.")
        .replace("{shown}", shown).replace("{total}", events.length);
      if (updateAddress) {
        var query = params.toString();
        history.replaceState(history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      }
    }

    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (name) {
      var value = params.get(name);
      var select = form.elements[name];
      if (value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) select.value = value;
    });
    form.hidden = false;
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply(false);
  }

  document$.subscribe(function () {
    sortableTables();
    timelineFilters();
  });
})();

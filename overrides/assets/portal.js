/* The portal's page scripts. Material's instant navigation swaps page content without a full
   load, so every script starts from Material's document$ observable, never DOMContentLoaded. */
document$.subscribe(function () {
  document.querySelectorAll("table[data-portal-sortable]").forEach(function (table) {
    if (table.dataset.portalSortable === "ready" || typeof Tablesort === "undefined") return;
    table.dataset.portalSortable = "ready";
    new Tablesort(table);
    table.classList.add("portal-sortable-ready");
  });
});

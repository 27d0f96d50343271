/* comex-territoires — the index page, offline: filter the table by name or code, sort it by any column,
   recolour the tile map by the chosen indicator (colours are computed at build time, in the page's JSON).
   URL parameters ?q=…, ?sort=<column>&dir=asc|desc and ?indicator=<key> set the initial state. */
(function () {
  "use strict";

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  }

  var params = new URLSearchParams(window.location.search);

  /* search */
  var input = document.getElementById("search");
  var tbody = document.querySelector("#overview tbody");
  var rows = Array.prototype.slice.call(tbody.rows);
  var count = document.getElementById("count");
  function filter() {
    var q = fold(input.value);
    var shown = 0;
    rows.forEach(function (tr) {
      var hit = !q || tr.getAttribute("data-search").indexOf(q) !== -1;
      tr.hidden = !hit;
      if (hit) { shown += 1; }
    });
    count.textContent = shown + " territoire" + (shown > 1 ? "s" : "");
  }
  input.addEventListener("input", filter);
  if (params.get("q")) { input.value = params.get("q"); }
  filter();

  /* sort: missing values (data-value="") always last */
  var headers = Array.prototype.slice.call(document.querySelectorAll("#overview thead th"));
  function compare(index, numeric, dir) {
    return function (a, b) {
      var va = a.cells[index].getAttribute("data-value");
      var vb = b.cells[index].getAttribute("data-value");
      if (va === "" || vb === "") { return (va === "") - (vb === ""); }
      var c = numeric ? parseFloat(va) - parseFloat(vb) : va.localeCompare(vb, "fr");
      return dir === "asc" ? c : -c;
    };
  }
  function sortBy(key, dir) {
    var index = -1;
    headers.forEach(function (th, i) {
      var match = th.querySelector("button").getAttribute("data-sort") === key;
      if (match) { index = i; }
      th.setAttribute("aria-sort", match ? (dir === "asc" ? "ascending" : "descending") : "none");
    });
    if (index < 0) { return; }
    var numeric = headers[index].querySelector("button").getAttribute("data-type") === "num";
    rows.slice().sort(compare(index, numeric, dir)).forEach(function (tr) { tbody.appendChild(tr); });
  }
  headers.forEach(function (th) {
    var button = th.querySelector("button");
    button.addEventListener("click", function () {
      var current = th.getAttribute("aria-sort");
      var first = button.getAttribute("data-type") === "num" && button.getAttribute("data-sort") !== "level" ? "desc" : "asc";
      var dir = current === "none" ? first : (current === "ascending" ? "desc" : "asc");
      sortBy(button.getAttribute("data-sort"), dir);
    });
  });
  if (params.get("sort")) { sortBy(params.get("sort"), params.get("dir") === "asc" ? "asc" : "desc"); }

  /* map */
  var layers = JSON.parse(document.getElementById("map-layers").textContent);
  var select = document.getElementById("indicator");
  var tiles = Array.prototype.slice.call(document.querySelectorAll("a.tile"));
  function paint(key) {
    var layer = layers[key];
    if (!layer) { return; }
    tiles.forEach(function (a) {
      var look = layer.tiles[a.getAttribute("data-code")];
      if (!look) { return; }
      a.style.background = look[0];
      a.style.color = look[1];
      a.title = look[2];
      a.setAttribute("aria-label", look[2]);
    });
    document.getElementById("legend-bar").style.background = layer.gradient;
    document.getElementById("legend-low").textContent = layer.legend[0];
    document.getElementById("legend-mid").textContent = layer.legend[1];
    document.getElementById("legend-high").textContent = layer.legend[2];
    document.body.setAttribute("data-indicator", key);
  }
  select.addEventListener("change", function () { paint(select.value); });
  if (params.get("indicator") && layers[params.get("indicator")]) { select.value = params.get("indicator"); }
  paint(select.value);
})();

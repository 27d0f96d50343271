/* comex-territoires — draws every chart of a fiche from its embedded JSON, offline, then writes a
   machine-readable report of what was actually drawn into <pre id="render-report"> (used by the
   browser tests; hidden from readers). */
(function () {
  "use strict";
  var errors = [];
  window.addEventListener("error", function (e) { errors.push(String(e.message || e)); });
  window.addEventListener("unhandledrejection", function (e) { errors.push("unhandled rejection: " + String(e.reason)); });
  var consoleError = console.error;
  console.error = function () {
    errors.push(Array.prototype.map.call(arguments, String).join(" "));
    return consoleError.apply(console, arguments);
  };

  var BAR_KINDS = ["balance", "annual", "quarterly", "exposure", "rca", "us"];

  function columns(nodes) {
    // group drawn Sankey nodes by their x translation: left column, right column
    var xs = {};
    nodes.forEach(function (el) {
      var m = /translate\(\s*([-\d.e]+)/.exec(el.getAttribute("transform") || "");
      var x = m ? Math.round(parseFloat(m[1])) : 0;
      xs[x] = (xs[x] || 0) + 1;
    });
    var keys = Object.keys(xs).map(Number).sort(function (a, b) { return a - b; });
    return keys.map(function (k) { return xs[k]; });
  }

  function describe(div) {
    var kind = div.getAttribute("data-kind");
    var out = { id: div.id, kind: kind, flow: div.getAttribute("data-flow"), scope: div.getAttribute("data-scope"),
      width: Math.round(div.getBoundingClientRect().width) };
    if (kind === "sankey") {
      var nodes = Array.prototype.slice.call(div.querySelectorAll("g.sankey-node"));
      var links = Array.prototype.slice.call(div.querySelectorAll("path.sankey-link"));
      var cols = columns(nodes);
      out.nodes = nodes.length;
      out.left_nodes = cols.length ? cols[0] : 0;
      out.right_nodes = cols.length > 1 ? cols[cols.length - 1] : 0;
      out.links = links.length;
      out.highlighted_links = links.filter(function (el) {
        var fill = (el.style.fill || getComputedStyle(el).fill || "").replace(/\s/g, "");
        return fill.indexOf("rgb(214,39,40") === 0 || fill.indexOf("rgba(214,39,40") === 0;
      }).length;
      out.node_labels = Array.prototype.map.call(div.querySelectorAll("g.sankey-node text.node-label"), function (t) {
        return t.textContent;
      });
    } else if (kind === "treemap") {
      out.tiles = div.querySelectorAll("g.slice").length;
      // each tile's label as drawn ("<b>3</b>" for a numbered tile) and whether Plotly showed it
      out.tile_labels = [];
      Array.prototype.forEach.call(div.querySelectorAll("g.slice text.slicetext"), function (t) {
        var label = (t.getAttribute("data-unformatted") || "").trim();
        if (label) { out.tile_labels.push({ label: label, shown: t.style.display !== "none" }); }
      });
    } else if (BAR_KINDS.indexOf(kind) !== -1) {
      out.bars = div.querySelectorAll("g.trace.bars g.point").length;
      out.bar_texts = Array.prototype.map.call(div.querySelectorAll("g.trace.bars text.bartext"), function (t) {
        return t.textContent;
      });
    }
    return out;
  }

  function render() {
    var report = { charts: [], errors: errors, plotly: window.Plotly ? window.Plotly.version : null };
    if (!window.Plotly) { errors.push("Plotly not loaded"); }
    var divs = Array.prototype.slice.call(document.querySelectorAll("div.chart[data-figure]"));
    var pending = !window.Plotly ? [] : divs.map(function (div) {
      var spec = JSON.parse(document.getElementById(div.getAttribute("data-figure")).textContent);
      return window.Plotly.newPlot(div, spec.data, spec.layout, {
        displaylogo: false, responsive: true, displayModeBar: false
      });
    });
    Promise.all(pending).then(function () {
      report.charts = divs.map(describe);
    }).catch(function (e) {
      errors.push("render failed: " + String(e && e.stack || e));
    }).then(function () {
      var pre = document.getElementById("render-report");
      if (pre) { pre.textContent = JSON.stringify(report); }
      document.body.setAttribute("data-rendered", errors.length ? "error" : "ok");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();

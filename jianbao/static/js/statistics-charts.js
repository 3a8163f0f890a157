/* 统计分析 charts: reads the page's data from the json_script element #chart-data and draws one
 * ECharts chart into every [data-chart] element. No inline script (the CSP forbids it). */
(function () {
  "use strict";

  var COLORS = ["#c0392b", "#2c6fbb", "#e39b1b", "#3c9d5d", "#7d5ba6", "#7f8c8d"];
  var BASE = { animation: false, color: COLORS, textStyle: { fontFamily: "sans-serif" } };

  function bars(names, series, horizontal) {
    var category = { type: "category", data: names, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var value = { type: "value" };
    return Object.assign({}, BASE, {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: horizontal ? 160 : 48, right: 24, top: 32, bottom: horizontal ? 24 : 72 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({}, category, { inverse: true, axisLabel: { width: 150, overflow: "truncate" } }) : value,
      series: series
    });
  }

  var OPTIONS = {
    units: function (d) {
      return bars(d.units.names, [
        { name: "得分", type: "bar", data: d.units.points },
        { name: "采用次数", type: "bar", data: d.units.adoptions }
      ]);
    },
    classes: function (d) {
      return bars(d.classes.names, [
        { name: "报送", type: "bar", data: d.classes.submitted },
        { name: "被采用", type: "bar", data: d.classes.adopted }
      ]);
    },
    trend: function (d) {
      return Object.assign({}, BASE, {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: 56, top: 32, bottom: 48 },
        xAxis: { type: "category", data: d.trend.months, axisLabel: { rotate: 30 } },
        yAxis: [{ type: "value", name: "条/次" }, { type: "value", name: "分" }],
        series: [
          { name: "报送", type: "line", data: d.trend.submitted },
          { name: "采用", type: "line", data: d.trend.adoptions },
          { name: "得分", type: "line", yAxisIndex: 1, data: d.trend.points }
        ]
      });
    },
    levels: function (d) {
      return Object.assign({}, BASE, {
        tooltip: { trigger: "item" },
        legend: { top: 0 },
        series: [{ name: "采用级别", type: "pie", radius: ["30%", "65%"], top: 24, data: d.levels,
                   label: { formatter: "{b}\n{c}次（{d}%）" } }]
      });
    },
    outlets: function (d) {
      return bars(d.outlets.names, [{ name: "采用次数", type: "bar", data: d.outlets.values }], true);
    },
    commissions: function (d) {
      var rows = d.commissions || [];
      var names = rows.map(function (r) { return r["class"]; });
      function pick(key) { return rows.map(function (r) { return r[key]; }); }
      return bars(names, [
        { name: "按时", type: "bar", stack: "all", data: pick("on_time") },
        { name: "逾期", type: "bar", stack: "all", data: pick("late") },
        { name: "未报", type: "bar", stack: "all", data: pick("missed") },
        { name: "未到期", type: "bar", stack: "all", data: pick("open") }
      ]);
    },
    items: function (d) {
      return bars(d.items.names, [{ name: "采用次数", type: "bar", data: d.items.values }], true);
    }
  };

  function charts() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
  }

  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    charts().forEach(function (node) {
      var make = OPTIONS[node.getAttribute("data-chart")];
      if (!make) { return; }
      var existing = window.echarts.getInstanceByDom(node);
      if (existing) { existing.dispose(); }
      window.echarts.init(node, null, { renderer: "canvas" }).setOption(make(data));
    });
  }

  function resize() {
    charts().forEach(function (node) {
      var chart = window.echarts && window.echarts.getInstanceByDom(node);
      if (chart) { chart.resize(); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  document.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
})();

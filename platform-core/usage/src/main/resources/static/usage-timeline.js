/* The usage timeline's chart (views/usage/timeline.html): the day's power curve with the sessions and the
   bookings as bands, drawn by ECharts from the JSON in #usage-chart-data. Times are the institution's wall
   clock given as UTC milliseconds, so the chart runs in UTC (useUTC) and shows the institution's local times. */
(function () {
  'use strict';
  function bands(list) {
    return list.map(function (b) { return [{ xAxis: b[0], name: b[2] }, { xAxis: b[1] }]; });
  }
  function init() {
    var el = document.getElementById('usage-chart');
    var source = document.getElementById('usage-chart-data');
    if (!el || !source || !window.echarts) { return; }
    var d = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption({
      useUTC: true,
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [d.labels.power, d.labels.sessions, d.labels.bookings] },
      grid: { left: 44, right: 12, top: 40, bottom: 28 },
      xAxis: { type: 'time', min: d.from, max: d.to, axisLabel: { formatter: '{HH}:{mm}', hideOverlap: true } },
      yAxis: { type: 'value', name: d.labels.watts, min: 0 },
      series: [
        { id: 'power', name: d.labels.power, type: 'line', showSymbol: false, data: d.power, lineStyle: { width: 1.5 } },
        { id: 'sessions', name: d.labels.sessions, type: 'line', data: [], itemStyle: { color: '#12b76a' },
          markArea: { silent: true, itemStyle: { color: 'rgba(18,183,106,0.25)' }, label: { show: false }, data: bands(d.sessions) } },
        { id: 'bookings', name: d.labels.bookings, type: 'line', data: [], itemStyle: { color: '#2e90fa' },
          markArea: { silent: true, itemStyle: { color: 'rgba(46,144,250,0.12)' }, label: { show: false }, data: bands(d.bookings) } }
      ]
    });
    window.addEventListener('resize', function () { chart.resize(); });
    el.setAttribute('data-rendered', 'true');
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();

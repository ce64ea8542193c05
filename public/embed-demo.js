// Host side of the Civic Atlas embed API v1: two maps, one driving the other.
(function () {
  'use strict';
  var base = new URL('./', location.href);
  var origin = base.origin;
  var left = document.getElementById('left');
  var right = document.getElementById('right');
  left.src = new URL('?mode=embed&city=qingdao&layers=air,parks&origins=' + encodeURIComponent(location.origin), base).toString();
  right.src = new URL('?mode=embed&city=qingdao&layers=lifecircle&controls=off&origins=' + encodeURIComponent(location.origin), base).toString();
  var log = document.getElementById('log');
  var n = 0;

  function write(line) {
    log.textContent = (line + '\n' + log.textContent).slice(0, 4000);
  }
  function send(frame, type, payload) {
    frame.contentWindow.postMessage({ source: 'civic-atlas-host', version: 1, id: 'demo-' + ++n, type: type, payload: payload || {} }, origin);
  }
  function both(type, payload) {
    send(left, type, payload);
    send(right, type, payload);
  }

  window.addEventListener('message', function (e) {
    // Only the maps' origin, and only messages in the API's envelope; data is shown as text.
    if (e.origin !== origin || !e.data || e.data.source !== 'civic-atlas') return;
    var from = e.source === left.contentWindow ? 'left' : e.source === right.contentWindow ? 'right' : '?';
    var m = e.data;
    if (m.type === 'viewChanged' && from === 'left') send(right, 'setView', m.payload);
    if (m.type !== 'viewChanged') write(from + ' ← ' + m.type + ' ' + JSON.stringify(m.payload).slice(0, 200));
  });

  document.querySelectorAll('[data-city]').forEach(function (b) {
    b.addEventListener('click', function () { both('setCity', { city: b.getAttribute('data-city') }); });
  });
  document.querySelectorAll('[data-layers]').forEach(function (b) {
    b.addEventListener('click', function () { send(left, 'setLayers', { layers: b.getAttribute('data-layers').split(',') }); });
  });
  document.querySelector('[data-play]').addEventListener('click', function () { send(left, 'play', { speed: 8 }); });
  document.querySelector('[data-pause]').addEventListener('click', function () { send(left, 'pause', {}); });
})();

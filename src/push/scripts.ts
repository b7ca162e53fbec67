/*
 * The browser side of web push, served by the engine itself (no build step, no third-party script): the page's
 * subscribe script and the service worker that shows notifications and opens their (tracked) link on a click.
 */

/**
 * The subscribe script: shows the page's «Получать уведомления» box where the browser can push, and on a press
 * registers the service worker, subscribes with the VAPID public key and posts the subscription with the page token.
 */
export const SUBSCRIBE_SCRIPT = `(function () {
  'use strict';
  var box = document.getElementById('af-push');
  if (!box) return;
  var button = box.querySelector('button');
  var note = box.querySelector('[role=status]');
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window) || Notification.permission === 'denied') return;
  box.hidden = false;
  function bytes(b64) {
    var s = (b64 + '==='.slice((b64.length + 3) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(s), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function activated(reg) {
    return new Promise(function (done) {
      var w = reg.installing || reg.waiting;
      if (!w) return done(reg);
      w.addEventListener('statechange', function () { if (w.state === 'activated') done(reg); });
    });
  }
  button.addEventListener('click', function () {
    button.disabled = true;
    var d = box.dataset;
    navigator.serviceWorker.register(d.worker, { scope: d.scope }).then(activated).then(function (reg) {
      return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes(d.key) });
    }).then(function (sub) {
      return fetch(d.endpoint, {
        method: 'POST', headers: { 'content-type': 'application/json' }, credentials: 'omit',
        body: JSON.stringify({ funnelId: d.funnel, pageId: d.page, token: d.token, subscription: sub.toJSON(), wording: button.textContent }),
      });
    }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      note.textContent = d.done;
    }).catch(function () {
      note.textContent = d.failed;
      button.disabled = false;
    });
  });
})();
`;

/** The service worker: a push shows the notification; a click closes it and opens its URL (a tracked link). */
export const SERVICE_WORKER = `'use strict';
self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener('push', function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data ? event.data.text() : '' }; }
  event.waitUntil(self.registration.showNotification(data.title || '', {
    body: data.body || '', icon: data.icon, tag: data.tag, data: { url: data.url || null },
  }));
});
self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = event.notification.data && event.notification.data.url;
  if (url) event.waitUntil(self.clients.openWindow(url));
});
`;

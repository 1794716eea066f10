// Starts a trace page's trace request while the app's code is still loading
// (a classic script, run before the deferred module bundle): the hub is
// producing the trace meanwhile. getTrace (src/api/client.ts) takes the
// response over when it asks for the same URL; otherwise it is ignored.
(function () {
  var m = /^\/trace\/([^/]+)\/?$/.exec(location.pathname);
  if (!m || typeof fetch !== 'function' || typeof URLSearchParams !== 'function') return;
  var params = new URLSearchParams(location.search);
  var q = new URLSearchParams({ format: params.get('wire') === 'json' ? 'json' : 'compact' });
  var root = params.get('root');
  if (root) q.set('root', root);
  var url = '/api/v1/traces/' + encodeURIComponent(decodeURIComponent(m[1])) + '?' + q;
  var response = fetch(url, { headers: { accept: 'application/json' } });
  // A failure is reported by getTrace when it takes the response; not here.
  response.catch(function () {});
  window.__tracehubPrefetch = { url: url, response: response };
})();

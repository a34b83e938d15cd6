// YASGUI with its default request (POST, form-encoded, Accept: application/sparql-results+json,*/*;q=0.9) to the
// endpoint in ?to=, running the query in ?run= once the page is up. window.__done is set when YASR has
// the response (ok or not): the test waits for it.
(function () {
  const params = new URLSearchParams(window.location.search);
  const yasgui = new Yasgui(document.getElementById('yasgui'), {
    requestConfig: { endpoint: params.get('to') },
    copyEndpointOnNewTab: false,
    persistenceId: null,
  });
  const tab = yasgui.getTab();
  window.__done = false;
  tab.on('queryResponse', function () { window.__done = true; });
  tab.on('queryAbort', function () { window.__done = true; });
  tab.setQuery(params.get('run'));
  tab.query();
  window.yasgui = yasgui;
})();

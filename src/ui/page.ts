// The live view's page: static HTML and one script, shipped as strings (no framework, no build step, no asset to
// copy). The script listens to /events (Server-Sent Events) and draws one card per request, newest first; every
// value is put in with textContent, never as HTML, so a user name or a Status message cannot inject markup.

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>kube-auth-mock live view</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  :root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --mute:#6a7180; --line:#dde1e7; --ok:#17823b; --bad:#c4291c; --warn:#9a6200; --chip:#eef1f6; --link:#1f5fbf; }
  * { box-sizing: border-box; }
  body { margin:0; font:13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:var(--bg); }
  header { position:sticky; top:0; z-index:2; display:flex; gap:16px; align-items:baseline; padding:10px 16px; background:#222b3a; color:#fff; }
  header h1 { font-size:16px; margin:0; font-weight:600; }
  header .sub { color:#b8c2d3; }
  #status.live { color:#7be39b; } #status.down { color:#ff9b8f; }
  main { display:grid; grid-template-columns:minmax(0,1fr) minmax(340px,40%); gap:14px; padding:14px; align-items:start; }
  #requests { display:flex; flex-direction:column; gap:10px; }
  .empty { color:var(--mute); padding:24px; text-align:center; }
  .req { background:var(--card); border:1px solid var(--line); border-left:5px solid var(--mute); border-radius:6px; padding:8px 12px; }
  .req.ok { border-left-color:var(--ok); } .req.forbidden, .req.error { border-left-color:var(--bad); } .req.unauthorized { border-left-color:var(--warn); }
  .head { display:flex; gap:10px; align-items:baseline; flex-wrap:wrap; }
  .id { color:var(--mute); font-variant-numeric:tabular-nums; } .time { color:var(--mute); }
  .method { font-weight:700; } .uri { font-family:ui-monospace, "DejaVu Sans Mono", monospace; word-break:break-all; }
  .badge { margin-left:auto; font-weight:700; border-radius:10px; padding:0 9px; border:0; font:inherit; font-weight:700; }
  .badge.s2 { background:#dff3e5; color:var(--ok); } .badge.s4, .badge.s5 { background:#fbe3e0; color:var(--bad); }
  button.badge.explain { cursor:pointer; text-decoration:underline dotted; }
  dl { display:grid; grid-template-columns:110px minmax(0,1fr); gap:2px 10px; margin:6px 0 0; }
  dt { color:var(--mute); } dd { margin:0; min-width:0; }
  .chip { display:inline-block; background:var(--chip); border-radius:4px; padding:0 6px; margin:1px 4px 1px 0; }
  button.cert { cursor:pointer; border:1px solid #b9c6dc; background:#f2f6fd; color:var(--link); border-radius:4px; padding:0 6px; margin:1px 4px 1px 0; font:inherit; }
  button.cert:hover, button.explain:hover { filter:brightness(0.95); }
  .step.authenticated { color:var(--ok); font-weight:600; } .step.failed { color:var(--bad); } .step.not-mine { color:var(--mute); }
  .allow { color:var(--ok); font-weight:600; } .forbid { color:var(--bad); font-weight:600; }
  .mono { font-family:ui-monospace, "DejaVu Sans Mono", monospace; font-size:12px; }
  aside { position:sticky; top:56px; background:var(--card); border:1px solid var(--line); border-radius:6px; padding:10px 12px; max-height:calc(100vh - 72px); overflow:auto; }
  aside h2 { font-size:14px; margin:0 0 6px; }
  #detail { white-space:pre-wrap; word-break:break-word; margin:0; font:12px/1.45 ui-monospace, "DejaVu Sans Mono", monospace; }
</style>
</head>
<body>
<header><h1>kube-auth-mock live view</h1><span class="sub">each API request: TLS, authentication, authorization, response</span><span id="status" class="down">connecting</span><span id="count" class="sub"></span></header>
<main>
  <section id="requests"><div class="empty" id="empty">No request yet. Run kubectl against the server and watch it appear here.</div></section>
  <aside><h2 id="detail-title">Explanation</h2><pre id="detail">Click a certificate for what it says, or a 403 for RBAC's step-by-step decision.</pre></aside>
</main>
<script src="/app.js"></script>
</body>
</html>
`;

export const PAGE_SCRIPT = `'use strict';
(function () {
  var list = document.getElementById('requests');
  var empty = document.getElementById('empty');
  var statusEl = document.getElementById('status');
  var countEl = document.getElementById('count');
  var detail = document.getElementById('detail');
  var detailTitle = document.getElementById('detail-title');
  var count = 0;

  // Every value is attacker-controlled (a path, a header, a certificate's CN) and goes in as text, never as HTML.
  // Characters that are invisible or reorder what follows them (C0/C1 controls, bidi overrides and isolates, zero
  // width marks, the line and paragraph separators) are shown as \\uXXXX escapes: a CN ending in U+202E must not
  // turn ",O=dev" into "ved=O," on screen, nor a newline split a name. The detail pane keeps its own newlines.
  var INVISIBLE = /[\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb]/g;
  var INVISIBLE_BUT_LINES = /[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb]/g;
  function escapeChar(c) { return '\\\\u' + ('000' + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4); }
  function visible(text) { return String(text).replace(INVISIBLE, escapeChar); }
  function visibleLines(text) { return String(text).replace(INVISIBLE_BUT_LINES, escapeChar); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = visible(text);
    return e;
  }
  function row(dl, label, content) {
    dl.appendChild(el('dt', '', label));
    var dd = el('dd');
    (Array.isArray(content) ? content : [content]).forEach(function (c) { dd.appendChild(typeof c === 'string' ? document.createTextNode(visible(c)) : c); });
    dl.appendChild(dd);
  }
  function chip(text) { return el('span', 'chip', text); }
  // The CN of an RFC 2253 name, escapes kept: a CN of "x,O=system:masters" is printed "CN=x\\,O=system:masters" and is
  // shown whole, not cut at its escaped comma into something that looks like a shorter, other name.
  function cn(dn) { var m = /(?:^|,)CN=((?:\\\\.|[^,\\\\])*)/.exec(dn); return m ? m[1] : dn; }

  function certButton(r, index, label, cert) {
    var b = el('button', 'cert', label + ': ' + cert.subject);
    b.type = 'button';
    b.title = visible('issued by ' + cert.issuer + ', valid until ' + cert.notAfter + ', SHA-256 ' + cert.sha256);
    b.dataset.request = String(r.id);
    b.dataset.index = String(index);
    b.addEventListener('click', function () { show('Certificate: ' + cert.subject, '/certificate?request=' + r.id + '&index=' + index); });
    return b;
  }

  function show(title, url) {
    detailTitle.textContent = visible(title);
    detail.textContent = 'loading...';
    detail.dataset.state = 'loading';
    fetch(url).then(function (res) { return res.text(); }).then(function (t) {
      detail.textContent = visibleLines(t);
      detail.dataset.state = 'loaded';
      detail.dataset.url = url;
    }, function (err) { detail.textContent = 'failed: ' + err; detail.dataset.state = 'failed'; });
  }

  function credential(c) {
    if (c.kind === 'client-certificate') return chip('client certificate ' + cn(c.subject));
    if (c.kind === 'bearer-token') return chip(c.tokenKind + ' bearer token sha256:' + c.sha256Prefix + '...');
    if (c.kind === 'basic') return chip('basic auth as ' + c.username + ' (password not shown)');
    if (c.kind === 'unread-authorization') return chip('Authorization header no authenticator reads (' + c.scheme + ', value not shown)');
    return chip('none');
  }

  function card(r) {
    var status = r.response.status;
    var kind = status === 403 ? 'forbidden' : status === 401 ? 'unauthorized' : status >= 400 ? 'error' : 'ok';
    var c = el('article', 'req ' + kind);
    c.dataset.id = String(r.id);
    c.dataset.status = String(status);
    if (r.user) c.dataset.user = r.user.name;
    var head = el('div', 'head');
    head.appendChild(el('span', 'id', '#' + r.id));
    head.appendChild(el('span', 'time', r.time.slice(11, 23)));
    head.appendChild(el('span', 'method', r.verb ? r.verb : r.method));
    head.appendChild(el('span', 'uri', r.uri));
    var badge;
    // Only a refusal that authorization made is RBAC's to explain: a 403 after an allow (RBAC's escalation check on a
    // RoleBinding, a refused impersonation is not this case) would open an explanation that says "allowed".
    if (r.authorization && r.authorization.explainable && r.authorization.decision === 'forbid' && status === 403) {
      badge = el('button', 'badge s4 explain', '403 Forbidden: why?');
      badge.type = 'button';
      badge.dataset.request = String(r.id);
      badge.addEventListener('click', function () { show('Why request #' + r.id + ' was forbidden (RBAC, step by step)', '/explain?request=' + r.id); });
    } else badge = el('span', 'badge s' + String(status).charAt(0), String(status));
    head.appendChild(badge);
    c.appendChild(head);

    var dl = el('dl');
    if (r.tls) {
      var t = r.tls;
      var facts = [t.protocol, t.cipherSuite];
      if (t.keyExchangeGroup) facts.push(t.keyExchangeGroup);
      facts.push('ALPN ' + (t.alpn || 'none'), 'SNI ' + (t.sni || 'none'), t.resumed ? 'resumed' : 'full handshake');
      if (t.verdict) facts.push(t.verdict);
      row(dl, 'TLS', facts.map(chip));
    }
    var certs = [];
    r.clientChain.forEach(function (cert, i) { certs.push(certButton(r, i, i === 0 ? 'client' : 'chain ' + i, cert)); });
    if (r.serverCertificate) certs.push(certButton(r, 'server', 'server', r.serverCertificate));
    if (certs.length) row(dl, 'Certificates', certs);
    row(dl, 'Credentials', r.credentials.map(credential));
    var steps = r.authentication.steps.map(function (s) {
      var text = s.outcome === 'authenticated' ? s.authenticator + ': ' + s.detail : s.outcome === 'failed' ? s.authenticator + ': ' + s.detail : s.authenticator + ': not its kind';
      return el('span', 'chip step ' + s.outcome, text);
    });
    if (steps.length) row(dl, 'Authenticators', steps);
    if (r.user) row(dl, 'User', [el('strong', '', r.user.name), ' groups ' + JSON.stringify(r.user.groups)]);
    else if (r.authentication.failure) row(dl, 'User', el('span', 'forbid', 'not authenticated: ' + r.authentication.failure));
    if (r.impersonation) row(dl, 'Impersonation', (r.impersonation.impersonator ? r.impersonation.impersonator + ' acts as ' : 'asked for ') + r.impersonation.requested.join(', '));
    if (r.authorization) {
      var a = r.authorization;
      var parts = [el('span', a.decision, a.decision === 'allow' ? 'allowed' : 'forbidden')];
      if (a.decidedBy) parts.push(' by membership of ' + a.decidedBy + ' (before any authorization mode)');
      else if (a.binding) {
        parts.push(' by ' + a.binding + ' \\u2192 ' + a.role);
        if (a.rule) parts.push(el('div', 'mono', 'rule: ' + a.rule));
      } else if (a.reason) parts.push(': ' + a.reason);
      else if (a.decision === 'forbid') parts.push(': no authorizer allowed it' + (a.explainable ? ' (click the 403 to see why)' : ''));
      // Authorization allowed it, the API still refused it (escalation prevention, admission, a handler's own check):
      // the row says so, so "allowed" is never read as the outcome.
      if (a.decision === 'allow' && status >= 400) parts.push(el('div', 'forbid', 'but the request was refused after authorization: see Response'));
      row(dl, 'Authorization', parts);
    }
    row(dl, 'Response', String(status) + (r.response.reason ? ' ' + r.response.reason : '') + (r.response.message ? ': ' + r.response.message : ''));
    c.appendChild(dl);
    return c;
  }

  function add(r) {
    if (empty) { empty.remove(); empty = null; }
    if (document.querySelector('.req[data-id="' + r.id + '"]')) return;
    var node = card(r);
    // Newest first, by arrival (a request whose explanation took longer may be recorded after a later one).
    var after = null;
    var cards = list.querySelectorAll('.req');
    for (var i = 0; i < cards.length; i++) if (Number(cards[i].dataset.id) < r.id) { after = cards[i]; break; }
    list.insertBefore(node, after);
    count++;
    countEl.textContent = count + ' request' + (count === 1 ? '' : 's');
  }

  var source = new EventSource('/events');
  source.addEventListener('request', function (e) { add(JSON.parse(e.data)); });
  source.addEventListener('ready', function () { statusEl.textContent = 'live'; statusEl.className = 'live'; document.body.dataset.ready = 'true'; });
  source.onerror = function () { statusEl.textContent = 'reconnecting'; statusEl.className = 'down'; };
})();
`;

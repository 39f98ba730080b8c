/**
 * The small script the dev server adds to every HTML page it serves (never
 * to build output, never to the email itself): it listens to the server's
 * events, reloads the page when what it shows has changed, and shows a
 * corner badge and an error overlay, both inside a shadow root so the
 * site's CSS and the overlay's cannot touch each other.
 */
import {createHash} from 'node:crypto'

/** Where the dev server's own routes live; no site path starts with it. */
export const devPrefix = '/__letterpress/'

/** What the client needs to know about the page it was added to. */
export interface ClientPage {
  /** Hash of the response body as rendered (the server compares it after each rebuild). */
  hash: string
  /** The site's base path (`/`), for the badge's link back to the site. */
  basePath: string
}

/**
 * Add the dev client to an HTML document, just before `</body>` (or at the
 * end when there is none).
 */
export function injectDevClient(html: string, page: ClientPage): string {
  const tag =
    `<script src="${devPrefix}client.js?v=${devClientVersion}" data-hash="${escapeAttribute(page.hash)}" ` +
    `data-base="${escapeAttribute(page.basePath)}" defer></script>`
  const at = html.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i)
  return at === -1 ? html + '\n' + tag + '\n' : html.slice(0, at) + tag + '\n' + html.slice(at)
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}

const styles = `
:host { all: initial; }
* { box-sizing: border-box; }
.badge {
  position: fixed; right: 14px; bottom: 14px; z-index: 2147483647;
  display: flex; align-items: stretch; overflow: hidden;
  font: 500 12px/1 system-ui, -apple-system, "Segoe UI", sans-serif; letter-spacing: .01em;
  color: #e6e9ef; background: #1c2029; border: 1px solid #2f3542; border-radius: 999px;
  box-shadow: 0 4px 14px rgba(15, 18, 25, .28);
}
.badge button, .badge a {
  all: unset; cursor: pointer; display: flex; align-items: center; gap: 7px; padding: 8px 12px;
  color: inherit; font: inherit;
}
.badge a { border-left: 1px solid #2f3542; color: #b9c2d0; }
.badge button:hover, .badge a:hover { background: #262b36; color: #fff; }
.badge button:focus-visible, .badge a:focus-visible, .close:focus-visible { outline: 2px solid #6ea8fe; outline-offset: -2px; }
.name { color: #8f9bb0; font-weight: 600; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: #3fb950; flex: none; }
.dot.warning { background: #e3b341; }
.dot.error { background: #f85149; }
.dot.busy { background: #6ea8fe; animation: pulse 0.9s ease-in-out infinite alternate; }
.dot.offline { background: #6e7681; }
@keyframes pulse { from { opacity: 1; } to { opacity: .3; } }
@media (prefers-reduced-motion: reduce) { .dot.busy { animation: none; } }
.panel {
  position: fixed; right: 14px; bottom: 58px; z-index: 2147483647;
  width: min(780px, calc(100vw - 28px)); max-height: min(72vh, 680px); overflow: auto;
  color: #e6e9ef; background: #161a22; border: 1px solid #2f3542; border-radius: 10px;
  box-shadow: 0 12px 40px rgba(15, 18, 25, .45);
  font: 13px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
}
.panel[hidden] { display: none; }
.panel.has-errors { border-top: 4px solid #f85149; }
.panel.has-warnings { border-top: 4px solid #e3b341; }
header { position: sticky; top: 0; display: flex; gap: 12px; align-items: flex-start; justify-content: space-between;
  padding: 12px 14px 10px 16px; background: #161a22; border-bottom: 1px solid #262b36; }
h2 { margin: 0; font-size: 14px; font-weight: 650; }
.sub { margin: 2px 0 0; color: #8f9bb0; font-size: 12px; }
.close { all: unset; cursor: pointer; color: #8f9bb0; font-size: 18px; line-height: 1; padding: 2px 6px; border-radius: 6px; }
.close:hover { color: #fff; background: #262b36; }
h3 { margin: 0; padding: 10px 16px 4px; font-size: 11px; font-weight: 650; text-transform: uppercase; letter-spacing: .06em; color: #8f9bb0; }
ul { list-style: none; margin: 0; padding: 0 0 6px; }
li { display: grid; grid-template-columns: minmax(0, 1fr) auto; grid-template-areas: "loc rule" "msg msg"; gap: 2px 12px;
  padding: 9px 16px 10px; border-top: 1px solid #20252f; }
li:first-child { border-top: 0; }
.loc { grid-area: loc; font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #79c0ff; word-break: break-all; }
.error .loc { color: #ff9b94; }
.msg { grid-area: msg; white-space: pre-wrap; overflow-wrap: anywhere; }
.rule { grid-area: rule; align-self: start; padding: 0 6px; border-radius: 4px; background: #232833;
  font: 11px/18px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #aab4c3; }
.msg code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: 0 3px; border-radius: 3px; background: #232833; color: #e6e9ef; }
.more { padding: 6px 16px 10px; color: #8f9bb0; font-size: 12px; }
`

// Plain ES2017 run in the page: the project's TypeScript has no DOM types,
// and the page must not depend on a bundler. No template literals inside,
// so this file's own template literal stays simple.
const script = `(function () {
  'use strict';
  if (window.__letterpressDev) return;
  window.__letterpressDev = true;
  var me = document.currentScript;
  var hash = (me && me.getAttribute('data-hash')) || '';
  var basePath = (me && me.getAttribute('data-base')) || '/';
  var prefix = ${JSON.stringify(devPrefix)};
  var state = null;
  var offline = false;
  var open = false;
  var openedFor = '';
  var dismissed = '';
  var source = null;

  var host = document.createElement('letterpress-dev');
  var root = host.attachShadow({mode: 'open'});
  var style = document.createElement('style');
  style.textContent = ${JSON.stringify(styles)};
  root.appendChild(style);

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var badge = el('div', 'badge');
  var toggle = el('button');
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', 'letterpress-panel');
  var dot = el('span', 'dot busy');
  var label = el('span', '', 'connecting');
  toggle.appendChild(dot);
  toggle.appendChild(el('span', 'name', 'letterpress'));
  toggle.appendChild(label);
  var link = el('a');
  badge.appendChild(toggle);
  badge.appendChild(link);
  var panel = el('section', 'panel');
  panel.id = 'letterpress-panel';
  panel.hidden = true;
  panel.setAttribute('aria-label', 'letterpress build messages');
  root.appendChild(panel);
  root.appendChild(badge);

  var month = /\\/newsletter\\/(\\d{4}-\\d{2})\\/$/.exec(location.pathname);
  if (location.pathname.indexOf(prefix + 'email/') === 0) {
    link.textContent = 'Site';
    link.href = basePath;
    link.title = 'Back to the site';
  } else {
    link.textContent = 'Email preview';
    link.href = prefix + 'email/' + (month ? month[1] + '/' : '');
    link.title = month ? 'This issue as an email' : 'Every issue as an email';
  }

  function plural(count, word) { return count + ' ' + word + (count === 1 ? '' : 's'); }
  function signature(list) { return list.map(function (item) { return item.file + ':' + item.line + ':' + item.column + item.rule; }).join('|'); }

  // Messages quote names and values in backticks, as Markdown does: show those as code.
  function message(text) {
    var node = el('span', 'msg');
    text.split('\u0060').forEach(function (part, index, parts) {
      var odd = index % 2 === 1 && index < parts.length - 1;
      node.appendChild(odd ? el('code', '', part) : document.createTextNode(index % 2 === 0 ? part : '\u0060' + part));
    });
    return node;
  }

  function renderList(title, items, total, kind) {
    var fragment = document.createDocumentFragment();
    if (items.length === 0) return fragment;
    fragment.appendChild(el('h3', '', title));
    var list = el('ul');
    items.forEach(function (item) {
      var row = el('li', kind);
      row.appendChild(el('span', 'loc', item.file + ':' + item.line + ':' + item.column));
      row.appendChild(document.createTextNode(' '));
      row.appendChild(message(item.message));
      row.appendChild(document.createTextNode(' '));
      row.appendChild(el('span', 'rule', item.rule));
      list.appendChild(row);
    });
    fragment.appendChild(list);
    if (total > items.length) fragment.appendChild(el('p', 'more', 'and ' + (total - items.length) + ' more; the terminal has them all'));
    return fragment;
  }

  function render() {
    var errors = state ? state.errors : [];
    var warnings = state ? state.warnings : [];
    dot.className = 'dot ' + (offline ? 'offline' : state && state.building ? 'busy' : errors.length ? 'error' : warnings.length ? 'warning' : '');
    label.textContent = offline ? 'disconnected' : !state ? 'connecting' : state.building ? 'rebuilding' :
      errors.length ? plural(state.errorCount, 'error') : warnings.length ? plural(state.warningCount, 'warning') : 'up to date';
    toggle.title = offline ? 'The dev server is not answering; this page reconnects when it is back' : 'Show the build messages';
    var errorKey = signature(errors);
    if (errors.length && errorKey !== dismissed && errorKey !== openedFor) { open = true; openedFor = errorKey; }
    if (!errors.length && openedFor) { open = false; openedFor = ''; }
    panel.hidden = !open || !state;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
    panel.className = 'panel' + (errors.length ? ' has-errors' : warnings.length ? ' has-warnings' : '');
    panel.textContent = '';
    if (!state) return;
    var header = el('header');
    var heading = el('div');
    heading.appendChild(el('h2', '', errors.length ? plural(state.errorCount, 'error') + (warnings.length ? ', ' + plural(state.warningCount, 'warning') : '') :
      warnings.length ? plural(state.warningCount, 'warning') : 'No problems'));
    heading.appendChild(el('p', 'sub', errors.length ? (state.generation > 0 ? 'This page shows the last good render. ' : 'Nothing has rendered yet. ') + 'Fix these and the page reloads by itself.' :
      'Built ' + plural(state.stats.posts, 'post') + ', ' + plural(state.stats.pages, 'page') + ', ' + plural(state.stats.issues, 'issue') + ' in ' + state.stats.ms + ' ms.'));
    var close = el('button', 'close', '\\u00d7');
    close.type = 'button';
    close.setAttribute('aria-label', 'Close');
    close.addEventListener('click', function () { open = false; dismissed = errorKey; render(); });
    header.appendChild(heading);
    header.appendChild(close);
    panel.appendChild(header);
    var body = el('div');
    if (errors.length) body.setAttribute('role', 'alert');
    body.appendChild(renderList('Errors', errors, state.errorCount, 'error'));
    body.appendChild(renderList('Warnings', warnings, state.warningCount, 'warning'));
    panel.appendChild(body);
  }

  toggle.addEventListener('click', function () {
    open = panel.hidden;
    if (!open && state && state.errors.length) dismissed = signature(state.errors);
    render();
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && open) { open = false; if (state) dismissed = signature(state.errors); render(); }
  });

  function connect() {
    if (source) return;
    source = new EventSource(prefix + 'events?path=' + encodeURIComponent(location.pathname) + '&hash=' + encodeURIComponent(hash));
    source.addEventListener('state', function (event) {
      offline = false;
      state = JSON.parse(event.data);
      render();
    });
    source.addEventListener('reload', function () { location.reload(); });
    source.addEventListener('error', function () { offline = true; render(); });
  }
  function disconnect() {
    if (source) { source.close(); source = null; }
  }
  // Only visible pages hold a connection: browsers allow six per host, and
  // a page coming back asks again (the server reloads it if it is stale).
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') disconnect(); else connect();
  });
  window.addEventListener('pagehide', disconnect);
  window.addEventListener('pageshow', function (event) { if (event.persisted) connect(); });

  function mount() {
    (document.body || document.documentElement).appendChild(host);
    render();
    if (document.visibilityState !== 'hidden') connect();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount); else mount();
})();
`

/** The client script served at `/__letterpress/client.js`. */
export const devClientScript: string = script

/** A version of the script for its URL: a browser keeps it while the server runs, and a new one is a new URL. */
export const devClientVersion: string = createHash('sha256').update(script).digest('hex').slice(0, 10)

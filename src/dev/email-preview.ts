/**
 * The dev server's email preview: a list of the issues, and one page per
 * issue with its email at 600 and 375 px side by side, a light/dark switch,
 * the inbox line (sender, subject, preheader), the HTML size against
 * Gmail's clipping limit, the issue's warnings and the plain-text part.
 * Pages are built as hast, so every value from the content is escaped.
 */
import type {Element, ElementContent, Root} from 'hast'
import {toHtml} from 'hast-util-to-html'
import {h} from 'hastscript'
import {htmlSizeLimit, htmlSizeWarning, type IssueSummary} from '../email/index.js'
import {monthDisplay} from '../source/dates.js'
import type {Outputs} from '../pipeline/write.js'
import {devPrefix} from './client.js'
import {shortHash, type DevSnapshot} from './dev-build.js'

/** Where the preview lives. */
export const emailPreviewPath = `${devPrefix}email/`

/** One issue as the preview needs it. */
interface PreviewIssue {
  month: string
  summary: IssueSummary
  html: string
  text: string
  /** UTF-8 size of issue.html as `build` writes it (with the site's own baseUrl). */
  htmlBytes: number
}

/** The months that have an issue, newest first. */
export function issueMonths(outputs: Outputs): string[] {
  const months: string[] = []
  for (const name of outputs.keys()) {
    const match = /^email\/(\d{4}-\d{2})\/issue\.json$/.exec(name)
    if (match) months.push(match[1]!)
  }
  return months.sort().reverse()
}

/** The list of issues (`/__letterpress/email/`), as a whole HTML document. */
export function renderEmailIndex(snapshot: DevSnapshot): string {
  const issues = issueMonths(snapshot.outputs)
    .map((month) => readIssue(snapshot, month))
    .filter((issue): issue is PreviewIssue => issue !== undefined)
  const language = snapshot.config?.language ?? 'en'
  const rows = issues.map((issue) => {
    const warnings = issue.summary.warnings.length
    return h('tr', [
      h('td', h('a', {href: `${emailPreviewPath}${issue.month}/`}, monthDisplay(issue.month, language))),
      h('td.num', `No. ${issue.summary.number}`),
      h('td', [h('a', {href: `${emailPreviewPath}${issue.month}/`}, issue.summary.subject), issue.summary.preheader ? h('div.muted', issue.summary.preheader) : '']),
      h('td.num', String(issue.summary.posts.length)),
      h('td.num', [kilobytes(issue.htmlBytes), ' ', sizeDot(issue.htmlBytes)]),
      h('td.num', warnings === 0 ? h('span.muted', 'none') : h('span.warn-count', String(warnings)))
    ])
  })
  const body = [
    topBar(snapshot, []),
    h('main', [
      h('h1', 'Email preview'),
      h('p.lede', [
        'Every monthly issue, drafts included, as it would be sent. Sizes are counted as ',
        h('code', 'letterpress build'),
        ' writes them; Gmail clips HTML beyond ',
        kilobytes(htmlSizeLimit),
        '.'
      ]),
      issues.length === 0
        ? h(
            'div.card.empty',
            snapshot.generation === 0
              ? [h('p', 'Nothing has rendered yet.'), h('p.muted', 'The issues appear here once the errors in the panel are fixed.')]
              : [h('p', 'No issues yet.'), h('p.muted', 'A month has an issue when it has at least one post with a date (drafts count here in dev).')]
          )
        : h('div.card.flush', [
            h('table.issues', [
              h('thead', h('tr', [h('th', 'Month'), h('th.num', 'Issue'), h('th', 'Subject'), h('th.num', 'Posts'), h('th.num', 'HTML'), h('th.num', 'Warnings')])),
              h('tbody', rows)
            ])
          ])
    ])
  ]
  return documentHtml('Email preview', body, '')
}

/**
 * One issue's preview (`/__letterpress/email/YYYY-MM/`), or `undefined`
 * when the month has no issue.
 */
export function renderEmailPreview(snapshot: DevSnapshot, month: string): string | undefined {
  const issue = readIssue(snapshot, month)
  if (!issue) return undefined
  const {summary} = issue
  const config = snapshot.config
  const language = config?.language ?? 'en'
  const from = config?.newsletter.from ?? ''
  const fromName = /^\s*"?([^"<]*?)"?\s*</.exec(from)?.[1] || from
  const months = issueMonths(snapshot.outputs)
  const at = months.indexOf(month)
  const newer = at > 0 ? months[at - 1] : undefined
  const older = at >= 0 && at < months.length - 1 ? months[at + 1] : undefined
  const version = shortHash(issue.html)
  const fileUrl = (name: string) => `${emailPreviewPath}${month}/${name}`
  const webView = `${snapshot.basePath}newsletter/${month}/`

  const share = issue.htmlBytes / htmlSizeLimit
  const level = issue.htmlBytes > htmlSizeLimit ? 'over' : issue.htmlBytes >= htmlSizeWarning ? 'near' : 'ok'
  const textBytes = Buffer.byteLength(issue.text)

  const body = [
    topBar(snapshot, [
      older ? h('a', {href: `${emailPreviewPath}${older}/`, title: 'Older issue'}, `← ${older}`) : '',
      newer ? h('a', {href: `${emailPreviewPath}${newer}/`, title: 'Newer issue'}, `${newer} →`) : ''
    ]),
    h('main', [
      h('div.heading', [
        h('div', [
          h('h1', `Issue No. ${summary.number} · ${monthDisplay(month, language)}`),
          h('p.lede', [
            `${summary.posts.length} ${summary.posts.length === 1 ? 'post' : 'posts'}; drafts are included in dev. `,
            h('a', {href: webView}, 'Web version'),
            ' · ',
            h('a', {href: '#text-title'}, 'Plain text'),
            ' · Files: ',
            ...joinLinks(
              ['issue.html', 'issue.txt', 'issue.eml', 'issue.mjml', 'issue.json'].map((name) => h('a', {href: fileUrl(name)}, name))
            )
          ])
        ])
      ]),
      h('div.cards', [
        h('section.card', {'aria-labelledby': 'inbox-title'}, [
          h('h2#inbox-title', 'In the inbox'),
          h('div.inbox', [
            h('span.avatar', {'aria-hidden': 'true'}, (fromName.trim()[0] ?? '?').toUpperCase()),
            h('div.inbox-text', [
              h('div.inbox-from', fromName),
              h('div.inbox-line', [h('span.subject', summary.subject), summary.preheader ? h('span.preheader', ` — ${summary.preheader}`) : ''])
            ])
          ]),
          h('dl.meta', [
            h('dt', 'Subject'),
            h('dd.subject-text', summary.subject),
            h('dt', 'Preheader'),
            h('dd.preheader-text', summary.preheader || h('span.muted', '(none: clients show the first words of the email)')),
            h('dt', 'From'),
            h('dd', from),
            h('dt', 'Posts'),
            h('dd', h('ol.posts', summary.posts.map((post) => h('li', h('a', {href: post.url}, post.title)))))
          ])
        ]),
        h('section.card', {'aria-labelledby': 'size-title'}, [
          h('h2#size-title', 'Size'),
          h('p.size-figure', [h('strong.size-value', kilobytes(issue.htmlBytes)), h('span.muted', ` of HTML; Gmail clips beyond ${kilobytes(htmlSizeLimit)}`)]),
          h(
            'div.meter',
            {
              role: 'meter',
              'aria-label': 'HTML size against Gmail\'s clipping limit',
              'aria-valuemin': '0',
              'aria-valuemax': String(htmlSizeLimit),
              'aria-valuenow': String(issue.htmlBytes),
              'aria-valuetext': `${kilobytes(issue.htmlBytes)} of ${kilobytes(htmlSizeLimit)}`
            },
            [
              h(`div.fill.${level}`, {style: `width:${Math.min(100, share * 100).toFixed(1)}%`}),
              h('div.tick', {style: `left:${((htmlSizeWarning / htmlSizeLimit) * 100).toFixed(1)}%`, title: `Warning from ${kilobytes(htmlSizeWarning)}`})
            ]
          ),
          h('div.scale', [h('span', '0'), h('span', `${Math.round(share * 100)}% of the budget`), h('span', kilobytes(htmlSizeLimit))]),
          h('p.muted.small', [
            `Plain text: ${kilobytes(textBytes)}. `,
            snapshot.siteBaseUrl && snapshot.renderedBaseUrl !== snapshot.siteBaseUrl
              ? `Counted with your baseUrl (${snapshot.siteBaseUrl}); the preview links to this server instead.`
              : ''
          ]),
          h('h2.warnings-title', summary.warnings.length === 0 ? 'Warnings' : `Warnings (${summary.warnings.length})`),
          summary.warnings.length === 0
            ? h('p.muted.none', 'None for this issue.')
            : h(
                'ul.warnings',
                summary.warnings.map((warning) =>
                  h('li', [
                    h('code.loc', `${warning.file}:${warning.line}`),
                    ' ',
                    h('span.msg', warning.message),
                    ' ',
                    h('code.rule', warning.rule)
                  ])
                )
              )
        ])
      ]),
      h('div.toolbar', [
        h('h2', 'The email'),
        h('div.segmented', {role: 'group', 'aria-label': 'Colour scheme'}, [
          h('button', {type: 'button', 'data-scheme': 'light', 'aria-pressed': 'true'}, 'Light'),
          h('button', {type: 'button', 'data-scheme': 'dark', 'aria-pressed': 'false'}, 'Dark')
        ]),
        h(
          'p.muted.small.scheme-note',
          'Dark applies the email\'s prefers-color-scheme styles, as Apple Mail, iOS Mail and Thunderbird do; Gmail and Outlook apps recolour emails their own way.'
        )
      ]),
      h('div.frames', [frame(600, 'Desktop', fileUrl('issue.html'), version), frame(375, 'Phone', fileUrl('issue.html'), version)]),
      h('section.text-part', {'aria-labelledby': 'text-title'}, [
        h('h2#text-title', ['Plain-text part ', h('span.muted.small', `(${textLines(issue.text)} lines, ${kilobytes(textBytes)})`)]),
        h('pre.text', issue.text)
      ])
    ])
  ]
  return documentHtml(`${summary.subject} · email preview`, body, previewScript)
}

function frame(width: number, name: string, src: string, version: string): Element {
  return h(`figure.frame.w${width}`, [
    h('figcaption', [h('span', name), h('span.muted', `${width} px`)]),
    h('iframe', {src: `${src}?v=${version}`, title: `The email at ${width} px`, width: String(width), height: '900', 'data-email': ''})
  ])
}

function topBar(snapshot: DevSnapshot, extra: Array<ElementContent | string>): Element {
  return h('header.top', [
    h('a.brand', {href: emailPreviewPath}, [h('span.brand-name', 'letterpress'), ' email preview']),
    h('nav', [
      ...extra,
      h('a', {href: emailPreviewPath}, 'All issues'),
      h('a', {href: snapshot.basePath}, 'Site')
    ])
  ])
}

function joinLinks(links: Element[]): Array<Element | string> {
  return links.flatMap((link, index) => (index === 0 ? [link] : [' ', link]))
}

function readIssue(snapshot: DevSnapshot, month: string): PreviewIssue | undefined {
  const text = (name: string) => {
    const content = snapshot.outputs.get(`email/${month}/${name}`)
    if (content === undefined) return undefined
    if (typeof content === 'string') return content
    return content instanceof Uint8Array ? Buffer.from(content).toString('utf8') : undefined
  }
  const json = text('issue.json')
  const html = text('issue.html')
  if (json === undefined || html === undefined) return undefined
  const summary = JSON.parse(json) as IssueSummary
  return {month, summary, html, text: text('issue.txt') ?? '', htmlBytes: builtSize(html, snapshot)}
}

/**
 * The size issue.html has when `build` writes it: the preview renders with
 * the server's address where the site's `baseUrl` goes, and every absolute
 * link starts with it, so the difference is known exactly.
 */
export function builtSize(html: string, snapshot: Pick<DevSnapshot, 'renderedBaseUrl' | 'siteBaseUrl'>): number {
  const bytes = Buffer.byteLength(html)
  const {renderedBaseUrl, siteBaseUrl} = snapshot
  if (!renderedBaseUrl || !siteBaseUrl || renderedBaseUrl === siteBaseUrl) return bytes
  const count = html.split(renderedBaseUrl).length - 1
  return bytes + count * (Buffer.byteLength(siteBaseUrl) - Buffer.byteLength(renderedBaseUrl))
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}

function sizeDot(bytes: number): Element {
  const level = bytes > htmlSizeLimit ? 'over' : bytes >= htmlSizeWarning ? 'near' : 'ok'
  return h(`span.size-dot.${level}`, {title: level === 'ok' ? 'Within the budget' : level === 'near' ? 'Near Gmail\'s limit' : 'Gmail clips it'})
}

function textLines(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
}


function documentHtml(title: string, body: Array<Element | string>, script: string): string {
  const tree: Root = {
    type: 'root',
    children: [
      {type: 'doctype'},
      h('html', {lang: 'en'}, [
        h('head', [
          h('meta', {charset: 'utf-8'}),
          h('meta', {name: 'viewport', content: 'width=device-width, initial-scale=1'}),
          h('meta', {name: 'robots', content: 'noindex'}),
          h('title', title),
          h('style', previewCss)
        ]),
        h('body', [...body, ...(script ? [h('script', script)] : [])])
      ])
    ]
  }
  return toHtml(tree)
}

const previewCss = `
:root { color-scheme: light; --ink: #1b2130; --muted: #5f6878; --line: #e2e5eb; --bg: #f3f4f7; --card: #fff; --link: #2457c5; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--link); text-underline-offset: 2px; }
.top { display: flex; align-items: center; justify-content: space-between; gap: 16px; padding: 10px 24px; background: #1c2029; color: #e6e9ef; }
.top a { color: #b9c2d0; text-decoration: none; }
.top a:hover { color: #fff; }
.top nav { display: flex; gap: 18px; font-size: 13px; }
.brand { font-weight: 500; }
.brand-name { font-weight: 700; color: #fff; }
main { max-width: 1060px; margin: 0 auto; padding: 22px 24px 72px; }
h1 { font-size: 22px; line-height: 1.25; margin: 0 0 4px; }
h2 { font-size: 13px; font-weight: 650; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 0 0 10px; }
.lede { color: var(--muted); margin: 0 0 18px; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.cards { display: grid; grid-template-columns: minmax(0, 1.35fr) minmax(0, 1fr); gap: 16px; align-items: start; }
@media (max-width: 860px) { .cards { grid-template-columns: 1fr; } }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
.card.flush { padding: 0; overflow: hidden; }
.card.empty p { margin: 0 0 4px; }
.inbox { display: flex; gap: 12px; align-items: center; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; background: #fafbfc; }
.avatar { flex: none; width: 34px; height: 34px; border-radius: 50%; display: grid; place-items: center; background: #3b5bdb; color: #fff; font-weight: 700; }
.inbox-text { min-width: 0; }
.inbox-from { font-weight: 700; }
.inbox-line { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.inbox-line .subject { font-weight: 600; }
.inbox-line .preheader { color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 6px 16px; margin: 14px 0 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
ol.posts { margin: 0; padding-left: 1.3em; }
.size-figure { margin: 0 0 8px; }
.size-value { font-size: 22px; font-variant-numeric: tabular-nums; margin-right: 2px; }
.meter { position: relative; height: 10px; border-radius: 999px; background: #e8ebf0; overflow: hidden; }
.fill { height: 100%; border-radius: 999px; }
.fill.ok, .size-dot.ok { background: #2da44e; }
.fill.near, .size-dot.near { background: #d4a72c; }
.fill.over, .size-dot.over { background: #cf222e; }
.tick { position: absolute; top: 0; bottom: 0; width: 2px; background: rgba(27, 33, 48, .35); }
.scale { display: flex; justify-content: space-between; margin: 4px 0 10px; font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
.size-dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; vertical-align: 1px; }
.warnings-title { margin-top: 18px; }
.none { margin: 0; }
ul.warnings { list-style: none; margin: 0; padding: 0; }
ul.warnings li { padding: 8px 10px; margin: 0 0 6px; border-radius: 6px; background: #fff8e6; border: 1px solid #f1dfa8; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.loc { color: #8a5a00; }
.msg { display: block; margin: 2px 0; }
.rule { color: var(--muted); }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; margin: 28px 0 12px; }
.toolbar h2 { margin: 0; }
.scheme-note { margin: 0; flex: 1 1 300px; }
.segmented { display: inline-flex; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; background: var(--card); }
.segmented button { border: 0; background: transparent; padding: 5px 14px; font: inherit; color: var(--muted); cursor: pointer; }
.segmented button + button { border-left: 1px solid var(--line); }
.segmented button[aria-pressed="true"] { background: #1c2029; color: #fff; }
.segmented button:focus-visible { outline: 2px solid var(--link); outline-offset: -2px; }
.frames { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.frame { margin: 0; }
.frame figcaption { display: flex; justify-content: space-between; margin: 0 0 6px; font-size: 12px; font-weight: 600; }
.frame iframe { display: block; box-sizing: content-box; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
.frame.w600 iframe { width: 600px; }
.frame.w375 iframe { width: 375px; border-radius: 18px; }
body.dark-email .frame iframe { border-color: #2b303b; background: #111; }
.text-part { margin-top: 32px; }
pre.text { margin: 0; padding: 16px 18px; max-width: 100%; overflow: auto; background: var(--card); border: 1px solid var(--line); border-radius: 10px; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre; tab-size: 4; }
table.issues { width: 100%; border-collapse: collapse; }
table.issues th, table.issues td { padding: 10px 14px; text-align: left; vertical-align: top; border-top: 1px solid var(--line); }
table.issues thead th { border-top: 0; font-size: 12px; font-weight: 650; color: var(--muted); background: #fafbfc; }
table.issues .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.warn-count { color: #8a5a00; font-weight: 650; }
`

// Runs in the preview page. The email documents are same-origin, so the
// page can reach into them: it sizes each frame to its email, sends link
// clicks to a new tab, and emulates dark mode by switching the email's own
// prefers-color-scheme media rules on or off (the colour-scheme of an
// <iframe> element does not reach the media queries inside it in Chromium).
const previewScript = `(function () {
  'use strict';
  var key = 'letterpress-email-scheme';
  var scheme = 'light';
  try { if (localStorage.getItem(key) === 'dark') scheme = 'dark'; } catch (error) {}
  var frames = Array.prototype.slice.call(document.querySelectorAll('iframe[data-email]'));
  var buttons = Array.prototype.slice.call(document.querySelectorAll('[data-scheme]'));
  var originals = new WeakMap();
  var feature = /\\(\\s*prefers-color-scheme\\s*:\\s*(dark|light)\\s*\\)/g;

  function eachMediaRule(rules, visit) {
    for (var i = 0; i < rules.length; i++) {
      var rule = rules[i];
      if (rule.media && rule.cssRules) visit(rule);
      if (rule.cssRules) eachMediaRule(rule.cssRules, visit);
    }
  }

  function size(frame) {
    var doc = frame.contentDocument;
    if (!doc || !doc.body) return;
    var height = Math.max(doc.body.scrollHeight, doc.documentElement.offsetHeight);
    frame.style.height = Math.ceil(height) + 'px';
  }

  function applyScheme(frame) {
    var doc = frame.contentDocument;
    if (!doc) return;
    for (var s = 0; s < doc.styleSheets.length; s++) {
      var rules;
      try { rules = doc.styleSheets[s].cssRules; } catch (error) { continue; }
      eachMediaRule(rules, function (rule) {
        var original = originals.has(rule) ? originals.get(rule) : rule.media.mediaText;
        if (original.indexOf('prefers-color-scheme') === -1) return;
        originals.set(rule, original);
        rule.media.mediaText = original.replace(feature, function (match, wanted) {
          return wanted === scheme ? '(min-width: 0px)' : '(max-width: 0px) and (min-width: 1px)';
        });
      });
    }
    doc.documentElement.style.colorScheme = scheme;
    frame.style.colorScheme = scheme;
    size(frame);
  }

  function setScheme(next) {
    scheme = next;
    try { localStorage.setItem(key, scheme); } catch (error) {}
    document.body.classList.toggle('dark-email', scheme === 'dark');
    buttons.forEach(function (button) { button.setAttribute('aria-pressed', String(button.getAttribute('data-scheme') === scheme)); });
    frames.forEach(applyScheme);
  }

  function prepare(frame) {
    var doc = frame.contentDocument;
    if (!doc || !doc.body) return;
    applyScheme(frame);
    doc.addEventListener('click', function (event) {
      var link = event.target && event.target.closest ? event.target.closest('a[href]') : null;
      if (!link) return;
      event.preventDefault();
      window.open(link.href, '_blank', 'noopener');
    });
    var Observer = frame.contentWindow && frame.contentWindow.ResizeObserver;
    if (Observer) new Observer(function () { size(frame); }).observe(doc.body);
    Array.prototype.forEach.call(doc.images, function (image) { image.addEventListener('load', function () { size(frame); }); });
  }

  frames.forEach(function (frame) {
    frame.addEventListener('load', function () { prepare(frame); });
    var doc = frame.contentDocument;
    // The frame may have loaded before this script ran (the initial about:blank does not count).
    if (doc && doc.URL !== 'about:blank' && doc.readyState === 'complete') prepare(frame);
  });
  buttons.forEach(function (button) {
    button.addEventListener('click', function () { setScheme(button.getAttribute('data-scheme')); });
  });
  setScheme(scheme);
})();
`

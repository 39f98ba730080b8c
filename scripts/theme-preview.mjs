#!/usr/bin/env node
// Renders every template of the built-in web theme with realistic sample
// contexts to /tmp/theme-preview/*.html, with the theme's assets, KaTeX and
// the sample images, so the theme can be looked at (and screenshotted) without
// a build. Code blocks go through Shiki and math through KaTeX, as in a build.
//
//   node scripts/theme-preview.mjs                 write the pages
//   node scripts/theme-preview.mjs --shots         also take PNG screenshots
//                                                  (1280 and 375 px, light and dark)
//   node scripts/theme-preview.mjs --overflow      report elements wider than
//                                                  320 and 375 px viewports
//
// Each page also has a `<name>.dark.html` twin with `<html data-theme="dark">`,
// the state theme.js sets when a visitor picks dark; `--force-dark-mode` in
// Chromium exercises the prefers-color-scheme path instead.
//
// The template engine is src/web/templates.ts itself, transpiled on the fly with
// TypeScript (Node 20 cannot import .ts), so the preview renders exactly what a
// build renders.
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import katex from 'katex'
import {codeToHtml} from 'shiki'
import ts from 'typescript'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = process.env.THEME_PREVIEW_OUT ?? '/tmp/theme-preview'
const args = new Set(process.argv.slice(2))

// ------------------------------------------------------------ engine --

async function loadTemplates() {
  const source = fs.readFileSync(path.join(root, 'src/web/templates.ts'), 'utf8')
  const {outputText} = ts.transpileModule(source, {
    compilerOptions: {module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022}
  })
  const engineDir = path.join(root, 'node_modules/.cache/theme-preview')
  fs.mkdirSync(engineDir, {recursive: true})
  // Inside node_modules/.cache so `liquidjs` resolves from the project.
  const file = path.join(engineDir, 'templates.mjs')
  fs.writeFileSync(file, outputText)
  return import(pathToFileURL(file).href + '?t=' + Date.now())
}

// ----------------------------------------------------------- helpers --

const shikiThemes = {light: 'github-light-default', dark: 'github-dark-default'}

/** A code block the way the build emits it: optional title, Shiki dual themes, highlighted lines. */
async function code(text, lang, {title, highlight = [], linenums} = {}) {
  const lines = new Set(highlight)
  const html = await codeToHtml(text.replace(/\n$/, ''), {
    lang,
    themes: shikiThemes,
    defaultColor: false,
    transformers: [
      {
        pre(node) {
          if (linenums !== undefined) this.addClassToHast(node, 'linenums')
        },
        line(node, line) {
          if (lines.has(line)) this.addClassToHast(node, 'highlighted')
          if (linenums !== undefined) {
            node.children.unshift({type: 'element', tagName: 'span', properties: {class: 'linenos', 'data-linenos': String(linenums + line - 1)}, children: []})
          }
        }
      }
    ]
  })
  if (!title) return html
  return `<div class="code-block"><div class="code-title">${title}</div>${html}</div>`
}

const math = (tex, displayMode = false) => katex.renderToString(tex, {displayMode, output: 'htmlAndMathml'})
const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function heading(depth, id, text) {
  return `<h${depth} id="${id}">${text}<a class="headerlink" href="#${id}" aria-label="Permalink to this heading">¶</a></h${depth}>`
}

function admonition(kind, title, body, {collapsible = false, open = false, extra = ''} = {}) {
  const classes = [kind, ...extra.split(' ').filter(Boolean)].join(' ')
  if (collapsible) {
    return `<details class="${classes}"${open ? ' open' : ''}><summary>${title}</summary>${body}</details>`
  }
  const titleHtml = title === '' ? '' : `<p class="admonition-title">${title}</p>`
  return `<div class="admonition ${classes}">${titleHtml}${body}</div>`
}

let tabSet = 0
function tabs(entries) {
  tabSet++
  const inputs = entries
    .map((_, index) => `<input${index === 0 ? ' checked' : ''} id="__tabbed_${tabSet}_${index + 1}" name="__tabbed_${tabSet}" type="radio">`)
    .join('')
  const labels = entries.map(([label], index) => `<label for="__tabbed_${tabSet}_${index + 1}">${label}</label>`).join('')
  const blocks = entries.map(([, body]) => `<div class="tabbed-block">${body}</div>`).join('')
  return `<div class="tabbed-set tabbed-alternate" data-tabs="${tabSet}:${entries.length}">${inputs}<div class="tabbed-labels">${labels}</div><div class="tabbed-content">${blocks}</div></div>`
}

// ----------------------------------------------------------- samples --

const site = {
  title: 'Shadow Traffic',
  description: 'Notes on running machine learning in production: deployments, evaluation, data contracts and the on-call life.',
  language: 'en',
  baseUrl: 'https://shadow-traffic.example/',
  basePath: '/',
  nav: [
    {title: 'About', url: '/about/'},
    {title: 'Archive', url: '/archive/'},
    {title: 'Tags', url: '/tags/'},
    {title: 'Newsletter', url: '/newsletter/'}
  ],
  subscribeUrl: 'https://letters.example/subscribe/shadow-traffic',
  newsletterName: 'The Shadow Traffic monthly',
  feeds: {rss: '/feed.xml', atom: '/atom.xml', json: '/feed.json'},
  stylesheet: 'assets/theme.css',
  script: 'assets/theme.js',
  katexStylesheet: 'katex/katex.min.css',
  authors: [{name: 'Robin Okafor', url: 'https://shadow-traffic.example/about/'}],
  copyrightYear: '2026'
}

function term(name, count) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-')
  return {name, slug, url: `/tags/${slug}/`, count}
}

const tags = {
  deployment: term('deployment', 6),
  evaluation: term('evaluation', 4),
  llm: term('LLM', 3),
  monitoring: term('monitoring', 5),
  dataContracts: term('data contracts', 2),
  gpu: term('GPU scheduling', 1),
  oncall: term('on-call', 2),
  featureStores: term('feature stores', 1)
}

function postView(fields) {
  return {
    title: '',
    url: '',
    absoluteUrl: '',
    date: '',
    dateDisplay: '',
    datetime: '',
    updated: '',
    updatedDisplay: '',
    readingMinutes: 5,
    words: 1100,
    tags: [],
    categories: [],
    authors: ['Robin Okafor'],
    description: '',
    excerptHtml: '',
    hasMore: true,
    draft: false,
    page: false,
    sourcePath: 'posts/x.md',
    ...fields,
    absoluteUrl: 'https://shadow-traffic.example' + (fields.url ?? '/')
  }
}

const posts = [
  postView({
    title: 'Shadow deployments: testing a model on real traffic without betting on it',
    url: '/posts/shadow-deployments/',
    date: '2026-10-14',
    dateDisplay: 'October 14, 2026',
    datetime: '2026-10-14T09:00:00.000Z',
    updated: '2026-10-20T08:00:00.000Z',
    updatedDisplay: 'October 20, 2026',
    readingMinutes: 11,
    words: 2400,
    tags: [tags.deployment, tags.monitoring, tags.evaluation],
    categories: [term('Platform', 7)],
    description: 'Mirror production requests to a candidate model, compare answers offline, and promote with evidence.',
    excerptHtml:
      '<p>Every model release is a bet. A <strong>shadow deployment</strong> lets you place that bet with play money: the candidate sees every real request, answers it, and nobody ever reads the answer, except you, the next morning, with a notebook and a strong coffee.</p>',
    sourcePath: 'posts/2026/10/shadow-deployments.md'
  }),
  postView({
    title: 'Sharing sixteen GPUs between four teams',
    url: '/posts/sharing-sixteen-gpus/',
    date: '2026-10-02',
    dateDisplay: 'October 2, 2026',
    datetime: '2026-10-02T09:00:00.000Z',
    readingMinutes: 8,
    tags: [tags.gpu, tags.deployment],
    excerptHtml:
      '<p>Queues, quotas and a little diplomacy. What we learned when the training cluster stopped being one team’s toy and became everybody’s bottleneck, including the week utilisation sat at <code>31%</code> while every queue was full.</p>',
    sourcePath: 'posts/2026/10/sharing-sixteen-gpus.md'
  }),
  postView({
    title: 'Contracts between teams, written as schemas',
    url: '/posts/contracts-between-teams/',
    date: '2026-09-21',
    dateDisplay: 'September 21, 2026',
    datetime: '2026-09-21T09:00:00.000Z',
    readingMinutes: 6,
    tags: [tags.dataContracts],
    draft: true,
    excerptHtml: '<p>A data contract is a promise with a test suite. Here is the smallest one that actually held.</p>',
    hasMore: true,
    sourcePath: 'posts/2026/10/contracts-between-teams.md'
  }),
  postView({
    title: 'Evaluating LLM features before they ship',
    url: '/posts/evaluating-llm-features/',
    date: '2026-09-09',
    dateDisplay: 'September 9, 2026',
    datetime: '2026-09-09T09:00:00.000Z',
    readingMinutes: 9,
    tags: [tags.llm, tags.evaluation],
    excerptHtml:
      '<p>Golden sets, pairwise judgments and the uncomfortable question of who grades the grader. A practical loop for teams that ship a prompt change every week.</p>',
    sourcePath: 'posts/2026/09/evaluating-llm-features.md'
  }),
  postView({
    title: 'Housekeeping, September',
    url: '/posts/housekeeping-september/',
    date: '2026-09-01',
    dateDisplay: 'September 1, 2026',
    datetime: '2026-09-01T09:00:00.000Z',
    readingMinutes: 1,
    tags: [],
    hasMore: false,
    excerptHtml: '<p>The newsletter moves to the first Tuesday of the month, and the archive finally has a search-friendly URL for every issue.</p>',
    sourcePath: 'posts/2026/09/housekeeping-september.md'
  })
]

async function sampleContent() {
  const rollout = await code(
    `from dataclasses import dataclass

@dataclass
class ShadowConfig:
    candidate: str               # model registry alias, e.g. "ranker@candidate"
    sample_rate: float = 1.0     # share of production requests mirrored
    timeout_ms: int = 150        # the shadow never slows the user down
    log_to: str = "s3://ml-shadow/ranker/"

def mirror(request, config: ShadowConfig):
    if random.random() > config.sample_rate:
        return
    submit_async(config.candidate, request, timeout=config.timeout_ms / 1000)
`,
    'python',
    {title: 'shadow/config.py', highlight: [6, 7]}
  )
  const shell = await code(
    `# promote only when the shadow agreed with production for a full week
letterpress-ml compare --baseline ranker@prod --candidate ranker@candidate \\
    --since 7d --metric ndcg@10 --metric p95_latency_ms --fail-under 0.98
`,
    'bash'
  )
  const yaml = await code(
    `shadow:
  candidate: ranker@candidate
  sample_rate: 0.25
  timeout_ms: 150
`,
    'yaml',
    {title: 'deploy/ranker.yaml'}
  )
  const toml = await code(
    `[shadow]
candidate = "ranker@candidate"
sample_rate = 0.25
timeout_ms = 150
`,
    'toml'
  )
  const sql = await code(
    `select date_trunc('hour', ts) as hour,
       avg(case when prod_rank = shadow_rank then 1.0 else 0.0 end) as agreement,
       percentile_cont(0.95) within group (order by shadow_latency_ms) as p95_shadow_latency_ms
from shadow_log
where ts > now() - interval '7 days'
group by 1
order by 1;`,
    'sql',
    {highlight: [2], linenums: 1}
  )
  const plain = await code('pip install letterpress-ml==0.4.2', 'text')

  return [
    `<p>Every model release is a bet. A <strong>shadow deployment</strong> lets you place that bet with play money: the candidate model receives a copy of every real request, computes its answer, and that answer goes into a log instead of back to the user.<sup><a href="#user-content-fn-1" id="user-content-fnref-1" data-footnote-ref aria-describedby="footnote-label">1</a></sup> You compare, you wait, and you promote only when the evidence says so.</p>`,
    `<p>This post walks through the setup we run for a ranking model serving around <abbr title="Requests per second">RPS</abbr> peaks of 4,000, what we measure, and the ways it fooled us. Press <span class="keys"><kbd class="key-control">Ctrl</kbd><span>+</span><kbd class="key-shift">Shift</kbd><span>+</span><kbd class="key-p">P</kbd></span> in the dashboard to pin a comparison.</p>`,
    admonition('abstract', 'In short', '<ul><li>Mirror a sample of production traffic to the candidate, asynchronously.</li><li>Log both answers with the same request id; compare offline.</li><li>Promote on agreement <em>and</em> latency, over a full weekly cycle.</li></ul>'),
    heading(2, 'why-shadow', 'Why shadow at all?'),
    `<p>Offline evaluation tells you how a model does on last month’s data. Production tells you how it does on <em>today’s</em> data, with today’s bugs in the feature pipeline. A canary answers that question too, but it does so by letting real users see the candidate’s answers. A shadow never does: it is ==risk-free for users==, though not free of cost.</p>`.replace('==risk-free for users==', '<mark>risk-free for users</mark>'),
    `<p>The cost is real: we pay for twice the inference, and <del>the shadow path shares nothing with production</del> <ins>the shadow path shares the feature cache with production</ins>, which matters when the cache is cold. Water is H<sub>2</sub>O, the cache hit rate is about 10<sup>-2</sup> lower on the shadow, and the footnote explains why.<sup><a href="#user-content-fn-2" id="user-content-fnref-2" data-footnote-ref aria-describedby="footnote-label">2</a></sup></p>`,
    admonition('note', 'Shadow is not canary', '<p>A canary sends a small share of users to the new model and they <strong>see</strong> its output. A shadow sends every request (or a sample) to the new model and nobody sees its output. Use both: shadow first, canary second.</p>'),
    heading(2, 'setting-it-up', 'Setting it up'),
    `<p>The mirroring lives in the serving layer. It must be asynchronous and must never fail the user request; the highlighted lines below are the two settings that protect production.</p>`,
    rollout,
    `<p>The same settings, as the deploy tool reads them:</p>`,
    tabs([
      ['YAML', yaml],
      ['TOML', toml],
      ['Environment', `<p>Every key also reads from the environment, upper-cased and prefixed: <code>SHADOW_SAMPLE_RATE=0.25</code>.</p>`]
    ]),
    admonition('tip', 'Start with a small sample', '<p>A <code>sample_rate</code> of <code>0.05</code> is enough to catch crashes and schema errors in an hour. Raise it once the logs look sane.</p>'),
    admonition('warning', 'Side effects', '<p>The candidate must be <strong>read-only</strong>. If it writes to a feature store, sends a notification or charges a card, it is not a shadow, it is a second production.</p>'),
    heading(3, 'comparing', 'Comparing the answers'),
    `<p>We join the two logs on the request id and compute agreement per hour. Agreement is the share of requests where the top result matches:</p>`,
    `<div class="math math-display">${math(String.raw`\operatorname{agreement} = \frac{1}{N}\sum_{i=1}^{N} \mathbf{1}\left[\operatorname{top}_1^{\text{prod}}(q_i) = \operatorname{top}_1^{\text{shadow}}(q_i)\right] \qquad \text{and} \qquad \Delta\mathrm{NDCG@10} = \mathrm{NDCG@10}_{\text{shadow}} - \mathrm{NDCG@10}_{\text{prod}}`, true)}</div>`,
    `<p>With inline math too: a drift score of ${math(String.raw`\mathrm{PSI} = \sum_k (p_k - q_k)\ln\frac{p_k}{q_k}`)} above ${math('0.2')} pauses the rollout.</p>`,
    sql,
    `<table><thead><tr><th>Check</th><th align="right">Threshold</th><th>Window</th><th>Action when it fails</th></tr></thead><tbody>`,
    `<tr><td>Top-1 agreement</td><td align="right">≥ 0.92</td><td>7 days</td><td>Investigate diffs by query segment</td></tr>`,
    `<tr><td>ΔNDCG@10 (labelled sample)</td><td align="right">≥ −0.005</td><td>7 days</td><td>Block promotion</td></tr>`,
    `<tr><td>p95 latency, shadow path</td><td align="right">≤ 120 ms</td><td>24 hours</td><td>Lower <code>sample_rate</code>, page the owner</td></tr>`,
    `<tr><td>Error rate</td><td align="right">≤ 0.1 %</td><td>1 hour</td><td>Stop mirroring automatically</td></tr>`,
    `</tbody></table>`.replace(/^/, ''),
    `<figure><img src="img/drift.png" alt="A line chart of hourly top-1 agreement over a week, dipping every night at the batch feature refresh" width="1200" height="630" loading="lazy"><figcaption>Hourly agreement over one week. The nightly dips are the batch feature refresh, not the model.</figcaption></figure>`,
    heading(3, 'promotion', 'Promotion checklist'),
    `<ul class="contains-task-list"><li class="task-list-item"><input type="checkbox" checked disabled> Agreement and latency within thresholds for 7 days</li><li class="task-list-item"><input type="checkbox" disabled checked> Diffs reviewed for the three largest query segments</li><li class="task-list-item"><input type="checkbox" disabled> Canary at 5 % for 24 hours</li><li class="task-list-item"><input type="checkbox" disabled> Registry alias <code>ranker@prod</code> moved, old version kept warm</li></ul>`,
    shell,
    admonition('question', 'What about models with side inputs?', '<p>If the candidate needs a feature production does not compute yet, compute it in the shadow path only and log its latency separately.</p>', {collapsible: true}),
    admonition('success', 'It paid off', '<p>The last three ranker releases were promoted with no rollback, and one was <em>stopped</em> in shadow after it doubled p95 latency for long queries.</p>', {collapsible: true, open: true}),
    heading(2, 'failure-modes', 'How it fooled us'),
    admonition('failure', 'Cold caches', '<p>For the first day the shadow path looked 40 ms slower than it was: its feature cache was cold.</p>'),
    admonition('danger', 'Mirrored writes', '<p>One early version of the candidate logged impressions to the production topic. Dashboards doubled overnight.</p>'),
    admonition('bug', 'Request ids reused by retries', '<p>Client retries reuse the request id, so the join produced duplicates. Deduplicate on <code>(request_id, attempt)</code>.</p>'),
    admonition('info', 'Cost', '<p>At a 25 % sample the shadow costs us about a fifth of the serving bill during the evaluation week.</p>'),
    admonition('example', 'A diff worth reading', `<p>Query <code>"gpu quota"</code>: production ranked the quota policy page first; the candidate ranked last week’s incident report first. Both defensible, which is why humans still read diffs.</p>${plain}`),
    admonition('quote', 'From the incident review', '<p>“The shadow did exactly what we told it to. We told it the wrong thing.”</p>'),
    admonition('custom-kind', 'A kind the theme has never heard of', '<p>Unknown kinds fall back to a neutral style with a speech-bubble icon.</p>'),
    admonition('note', '', '<p>An admonition with an empty title shows only its body.</p>'),
    admonition('tip', 'Nested', `<p>Admonitions nest, with their own code:</p>${admonition('warning', 'Inner warning', '<p>Even two levels deep the colours stay distinct.</p>')}`),
    admonition('info', 'Beside the text', '<p>An <code>inline end</code> admonition floats on wide screens.</p>', {extra: 'inline end'}),
    `<p>Floating boxes leave room for the paragraph to wrap around them. This one holds a small aside about sampling while the main text goes on about how the review meeting actually works: one person reads the diffs out loud, one person keeps the checklist, and nobody promotes a model on a Friday.</p>`,
    `<blockquote><p>Measure twice, promote once. The shadow is the first measurement, the canary the second.</p></blockquote>`,
    heading(4, 'glossary', 'Glossary'),
    `<dl><dt>Shadow</dt><dd>A deployment that receives copies of real requests and whose answers nobody sees.</dd><dt>Canary</dt><dd>A deployment that serves a small share of real users.</dd></dl>`,
    `<p>A very long identifier for narrow screens: <code>ranker_candidate_2026_10_14_feature_refresh_nightly_backfill_v3</code>, and a long URL: https://shadow-traffic.example/posts/shadow-deployments/a/very/long/path/that/keeps/going/and/going/</p>`,
    `<p>Emoji, as the author typed them: <span class="emoji" role="img" aria-label="rocket">🚀</span> shipped, <span class="emoji" role="img" aria-label="fire">🔥</span> on fire, <span class="emoji" role="img" aria-label="white check mark">✅</span> done.</p>`,
    `<hr>`,
    `<p>Thanks to the platform team for reading drafts of this post.</p>`,
    `<section data-footnotes class="footnotes"><h2 class="sr-only" id="footnote-label">Footnotes</h2><ol><li id="user-content-fn-1"><p>Strictly, the answer is also kept for the comparison job, which reads it the next morning. <a href="#user-content-fnref-1" data-footnote-backref="" aria-label="Back to reference 1" class="data-footnote-backref">↩</a></p></li><li id="user-content-fn-2"><p>The shadow runs in a separate pod pool with its own warm-up schedule. <a href="#user-content-fnref-2" data-footnote-backref="" aria-label="Back to reference 2" class="data-footnote-backref">↩</a></p></li></ol></section>`
  ].join('\n')
}

const toc = [
  {depth: 2, text: 'Why shadow at all?', id: 'why-shadow'},
  {depth: 2, text: 'Setting it up', id: 'setting-it-up'},
  {depth: 3, text: 'Comparing the answers', id: 'comparing'},
  {depth: 3, text: 'Promotion checklist', id: 'promotion'},
  {depth: 2, text: 'How it fooled us', id: 'failure-modes'}
]

function page(kind, fields) {
  return {
    site,
    kind,
    pageTitle: site.title,
    pageDescription: site.description,
    canonical: site.baseUrl,
    url: '/',
    ogType: 'website',
    ogImage: '',
    jsonLdHtml: '',
    hasMath: false,
    showDrafts: true,
    ...fields
  }
}

async function sampleContexts() {
  const contentHtml = await sampleContent()
  const post = {
    ...posts[0],
    cover: {url: 'img/shadow.png', width: 1200, height: 630, alt: 'Two request paths, one drawn solid and one dashed, leaving the same load balancer'},
    contentHtml,
    toc,
    showToc: true,
    previous: {title: 'Sharing sixteen GPUs between four teams', url: '/posts/sharing-sixteen-gpus/'},
    next: {title: 'Registry aliases: the smallest useful model registry feature', url: '/posts/registry-aliases/'},
    related: [posts[3], posts[1]]
  }
  const jsonLd = JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: post.title,
    datePublished: post.datetime
  }).replace(/</g, '\\u003c')
  const about = {
    ...postView({
      title: 'About',
      url: '/about/',
      page: true,
      readingMinutes: 2,
      updated: '2026-09-30T00:00:00.000Z',
      updatedDisplay: 'September 30, 2026',
      sourcePath: 'posts/about.md'
    }),
    contentHtml: [
      '<p>I am Robin, and I run the machine learning platform team at a mid-sized logistics company. This blog is where I write down what worked, what did not, and what I would do differently, usually a month after the incident review.</p>',
      heading(2, 'what-you-will-find', 'What you will find here'),
      '<ul><li>Deployment patterns: shadows, canaries, rollbacks.</li><li>Evaluation of LLM features, with real numbers.</li><li>The human side: on-call, reviews, contracts between teams.</li></ul>',
      admonition('tip', 'The monthly letter', '<p>Every post of the month, in one email, on the first Tuesday.</p>')
    ].join('\n'),
    toc: [],
    showToc: false,
    related: []
  }
  const archive = [
    {
      year: '2026',
      months: [
        {month: '10', name: 'October', posts: posts.slice(0, 2)},
        {month: '09', name: 'September', posts: posts.slice(2)}
      ]
    },
    {year: '2025', months: [{month: '12', name: 'December', posts: [postView({title: 'Why this blog exists', url: '/posts/why/', date: '2025-12-28', dateDisplay: 'December 28, 2025', datetime: '2025-12-28T09:00:00.000Z'})]}]}
  ]
  return {
    home: page('home', {posts, pagination: {page: 1, pages: 3, next: '/page/2/'}, jsonLdHtml: jsonLd}),
    'home-page-2': page('home', {
      url: '/page/2/',
      pageTitle: `Posts, page 2 — ${site.title}`,
      posts: posts.slice(2),
      pagination: {page: 2, pages: 3, previous: '/', next: '/page/3/'}
    }),
    post: page('post', {
      pageTitle: `${post.title} — ${site.title}`,
      pageDescription: post.description,
      canonical: post.absoluteUrl,
      url: post.url,
      ogType: 'article',
      ogImage: 'https://shadow-traffic.example/assets/covers/shadow.png',
      jsonLdHtml: jsonLd,
      hasMath: true,
      post
    }),
    page: page('page', {pageTitle: `About — ${site.title}`, url: '/about/', canonical: 'https://shadow-traffic.example/about/', post: about}),
    tag: page('tag', {
      pageTitle: `Posts tagged “evaluation” — ${site.title}`,
      url: tags.evaluation.url,
      term: tags.evaluation,
      termKind: 'tag',
      posts: [posts[0], posts[3]]
    }),
    tags: page('tags', {pageTitle: `Tags — ${site.title}`, url: '/tags/', terms: Object.values(tags), termKind: 'tag'}),
    archive: page('archive', {pageTitle: `Archive — ${site.title}`, url: '/archive/', archive}),
    404: page('404', {pageTitle: `Page not found — ${site.title}`, url: '/404.html', posts: posts.slice(0, 3)}),
    redirect: page('redirect', {
      pageTitle: post.title,
      url: '/2026/10/shadow/',
      canonical: post.absoluteUrl,
      redirectTo: post.url
    })
  }
}

// ------------------------------------------------------------ output --

function copyAssets() {
  fs.mkdirSync(path.join(out, 'assets'), {recursive: true})
  for (const name of ['theme.css', 'theme.js']) {
    fs.copyFileSync(path.join(root, 'templates/web/assets', name), path.join(out, 'assets', name))
  }
  fs.cpSync(path.join(root, 'node_modules/katex/dist/katex.min.css'), path.join(out, 'katex/katex.min.css'))
  fs.cpSync(path.join(root, 'node_modules/katex/dist/fonts'), path.join(out, 'katex/fonts'), {recursive: true})
  const covers = path.join(root, 'posts/assets/covers')
  fs.mkdirSync(path.join(out, 'img'), {recursive: true})
  if (fs.existsSync(covers)) {
    for (const name of fs.readdirSync(covers)) fs.copyFileSync(path.join(covers, name), path.join(out, 'img', name))
  }
}

/**
 * A page that loads `name.html` in iframes 320 and 375 px wide and lists
 * every element sticking out of them (outside anything that scrolls), for
 * `--overflow`. Headless Chromium's window has a minimum width, iframes do not.
 */
function overflowProbe(name) {
  return `<!doctype html><meta charset="utf-8"><body>
<iframe src="${name}.html" style="width:320px;height:900px;border:0"></iframe>
<iframe src="${name}.html" style="width:375px;height:900px;border:0"></iframe>
<pre id="overflow-report"></pre>
<script>
addEventListener('load', () => {
  const lines = []
  for (const frame of document.querySelectorAll('iframe')) {
    const doc = frame.contentDocument
    const width = doc.documentElement.clientWidth
    const wide = []
    for (const element of doc.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect()
      if (box.width === 0) continue
      let clipped = false
      for (let parent = element.parentElement; parent && parent !== doc.body; parent = parent.parentElement) {
        if (/(auto|scroll|hidden|clip)/.test(frame.contentWindow.getComputedStyle(parent).overflowX)) { clipped = true; break }
      }
      if (!clipped && (box.right > width + 0.5 || box.left < -0.5)) {
        wide.push('  ' + element.tagName.toLowerCase() + '.' + String(element.className).trim().replace(/ +/g, '.') + ' ' + Math.round(box.left) + '..' + Math.round(box.right))
      }
    }
    lines.push('@' + width + ': scrollWidth ' + doc.documentElement.scrollWidth + (wide.length ? '\\n' + wide.slice(0, 20).join('\\n') : ''))
  }
  document.getElementById('overflow-report').textContent = lines.join('\\n')
})
</script>`
}

/** Full-page heights of every page at every width, measured in iframes. */
function measureHeights(names, widths) {
  const frames = names.flatMap((name) =>
    widths.map((width) => `<iframe data-key="${name}@${width}" src="${name}.html" style="width:${width}px;height:50px;border:0"></iframe>`)
  )
  const probe = `<!doctype html><meta charset="utf-8"><body>${frames.join('')}<pre id="heights"></pre><script>
addEventListener('load', () => {
  const heights = {}
  for (const frame of document.querySelectorAll('iframe')) {
    // The redirect page navigates away (to a URL that is not in the preview).
    try { heights[frame.dataset.key] = frame.contentDocument.documentElement.scrollHeight } catch {}
  }
  document.getElementById('heights').textContent = JSON.stringify(heights)
})
</script>`
  fs.writeFileSync(path.join(out, 'heights.probe.html'), probe)
  const dom = chromium(['--allow-file-access-from-files', '--window-size=1400,1000', '--virtual-time-budget=5000', '--dump-dom', `file://${out}/heights.probe.html`])
  const json = /<pre id="heights">([^<]*)<\/pre>/.exec(dom)?.[1]
  return json ? JSON.parse(json.replace(/&quot;/g, '"')) : {}
}

function chromium(argv) {
  return execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--hide-scrollbars', ...argv], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore']
  })
}

async function main() {
  const {createTemplates} = await loadTemplates()
  const templates = createTemplates({dirs: [path.join(root, 'templates/web')]})
  fs.mkdirSync(out, {recursive: true})
  // Start clean, but keep earlier screenshots for comparison.
  for (const name of fs.readdirSync(out)) {
    if (name !== 'shots') fs.rmSync(path.join(out, name), {recursive: true, force: true})
  }
  copyAssets()
  const contexts = await sampleContexts()
  const written = []
  for (const [name, context] of Object.entries(contexts)) {
    const html = await templates.render(context.kind, context)
    fs.writeFileSync(path.join(out, `${name}.html`), html)
    fs.writeFileSync(path.join(out, `${name}.dark.html`), html.replace('<html ', '<html data-theme="dark" '))
    if (args.has('--overflow')) fs.writeFileSync(path.join(out, `${name}.probe.html`), overflowProbe(name))
    written.push(name)
  }
  console.log(`wrote ${written.length} pages to ${out}: ${written.join(', ')}`)

  if (args.has('--overflow')) {
    for (const name of written) {
      const dom = chromium(['--allow-file-access-from-files', '--window-size=800,1000', '--virtual-time-budget=5000', '--dump-dom', `file://${out}/${name}.probe.html`])
      const report = /<pre id="overflow-report">([\s\S]*?)<\/pre>/.exec(dom)?.[1] ?? '(no report)'
      console.log(`${name} ${report.trim().replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&')}`)
    }
  }

  if (args.has('--shots')) {
    const shots = path.join(out, 'shots')
    fs.mkdirSync(shots, {recursive: true})
    const widths = [[1280, 'wide'], [375, 'narrow']]
    // The redirect page navigates away at once: nothing to look at.
    const pages = written.filter((name) => name !== 'redirect')
    const heights = measureHeights(pages, widths.map(([width]) => width))
    for (const name of pages) {
      for (const [width, label] of widths) {
        const height = Math.min(heights[`${name}@${width}`] ?? 600, 16000)
        for (const theme of ['light', 'dark']) {
          const file = theme === 'dark' ? `${name}.dark.html` : `${name}.html`
          chromium([`--window-size=${width},${height}`, '--virtual-time-budget=3000', `--screenshot=${shots}/${name}-${label}-${theme}.png`, `file://${out}/${file}`])
        }
      }
    }
    console.log(`screenshots in ${shots}: <page>-<wide|narrow>-<light|dark>.png`)
  }
}

await main()

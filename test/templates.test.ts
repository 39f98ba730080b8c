import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fromHtml} from 'hast-util-from-html'
import {afterEach, describe, expect, it} from 'vitest'
import {
  builtInWebTemplatesDir,
  createTemplates,
  findTemplateFile,
  TemplateError
} from '../src/web/templates.js'
import type {PageContext, PostPageView, PostView, SiteView} from '../src/web/views.js'

const temporary: string[] = []

/** A folder of templates written for one test. */
function templateDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-templates-'))
  temporary.push(dir)
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), {recursive: true})
    fs.writeFileSync(path.join(dir, name), text)
  }
  return dir
}

afterEach(() => {
  for (const dir of temporary.splice(0)) fs.rmSync(dir, {recursive: true, force: true})
})

const site: SiteView = {
  title: 'Model Notes',
  description: 'Notes on serving models.',
  language: 'en',
  baseUrl: 'https://notes.example/',
  basePath: '/',
  nav: [
    {title: 'About', url: '/about/'},
    {title: 'Archive', url: '/archive/'},
    {title: 'Tags', url: '/tags/'}
  ],
  subscribeUrl: 'https://letters.example/join',
  newsletterName: 'Model Notes monthly',
  feeds: {rss: '/feed.xml', atom: '/atom.xml', json: '/feed.json'},
  stylesheet: '/assets/theme.css',
  script: '/assets/theme.js',
  katexStylesheet: '/assets/katex/katex.min.css',
  authors: [{name: 'Ada Ops', url: 'https://notes.example/about/'}],
  copyrightYear: '2026',
  copyrightHtml: '',
  theme: {
    favicon: {url: '/assets/favicon.svg', type: 'image/svg+xml'},
    accentStyleHtml: '',
    stylesheets: [],
    headHtml: '',
    commentsHtml: '',
    footerLinks: []
  }
}

function postView(fields: Partial<PostView> = {}): PostView {
  return {
    title: 'Canary releases for rankers',
    url: '/posts/canary/',
    absoluteUrl: 'https://notes.example/posts/canary/',
    date: '2026-10-03',
    dateDisplay: 'October 3, 2026',
    datetime: '2026-10-03T08:00:00.000Z',
    updated: '',
    updatedDisplay: '',
    readingMinutes: 4,
    words: 800,
    tags: [{name: 'deployment', slug: 'deployment', url: '/tags/deployment/', count: 2}],
    categories: [],
    authors: ['Ada Ops'],
    description: 'Ship a ranker to five percent of users first.',
    excerptHtml: '<p>Ship a ranker to <em>five percent</em> of users first.</p>',
    hasMore: true,
    draft: false,
    page: false,
    sourcePath: 'posts/canary.md',
    ...fields
  }
}

function postPage(fields: Partial<PostPageView> = {}): PostPageView {
  return {
    ...postView(),
    contentHtml: '<h2 id="why">Why</h2><p>Because <strong>rollbacks</strong> are cheap.</p>',
    toc: [],
    showToc: false,
    related: [],
    ...fields
  }
}

function context(kind: string, fields: Partial<PageContext> = {}): PageContext {
  return {
    site,
    kind,
    pageTitle: 'Model Notes',
    pageDescription: 'Notes on serving models.',
    canonical: 'https://notes.example/',
    url: '/',
    ogType: 'website',
    ogImage: '',
    jsonLdHtml: '',
    hasMath: false,
    showDrafts: false,
    ...fields
  }
}

/** Every built-in page kind with the fields it needs. */
function builtInContexts(): Record<string, PageContext> {
  const tag = {name: 'deployment', slug: 'deployment', url: '/tags/deployment/', count: 2}
  return {
    home: context('home', {posts: [postView(), postView({title: 'Shadow traffic', hasMore: false})], pagination: {page: 1, pages: 2, next: '/page/2/'}}),
    post: context('post', {
      ogType: 'article',
      url: '/posts/canary/',
      post: postPage({
        toc: [{depth: 2, level: 1, text: 'Why', id: 'why'}],
        showToc: true,
        previous: {title: 'Older', url: '/posts/older/'},
        next: {title: 'Newer', url: '/posts/newer/'},
        related: [postView({title: 'Shadow traffic', url: '/posts/shadow/'})],
        cover: {url: '/assets/covers/canary.png', width: 1200, height: 630, alt: 'A canary on a server rack'},
        categories: [{name: 'Platform', slug: 'platform', url: '/categories/platform/', count: 3}],
        updated: '2026-10-09T00:00:00.000Z',
        updatedDisplay: 'October 9, 2026'
      })
    }),
    page: context('page', {url: '/about/', post: postPage({title: 'About', page: true, date: '', dateDisplay: '', datetime: ''})}),
    tag: context('tag', {term: tag, termKind: 'tag', posts: [postView()]}),
    tags: context('tags', {terms: [tag], termKind: 'tag'}),
    archive: context('archive', {
      archive: [{year: '2026', months: [{month: '10', name: 'October', posts: [postView()]}]}]
    }),
    404: context('404'),
    redirect: context('redirect', {redirectTo: '/posts/canary/', canonical: 'https://notes.example/posts/canary/'})
  }
}

async function catchError(promise: Promise<unknown>): Promise<TemplateError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError)
    return error as TemplateError
  }
  throw new Error('Expected the render to fail')
}

describe('createTemplates', () => {
  it('should take each file from the first folder that has it', async () => {
    const site = templateDir({
      'post.liquid': "{% layout 'base' %}{% block content %}<p class=\"mine\">{{ post.title }}</p>{% endblock %}",
      'partials/subscribe.liquid': '<p class="my-subscribe">Join us</p>'
    })
    const templates = createTemplates({dirs: [site, builtInWebTemplatesDir]})
    const html = await templates.render('post', builtInContexts().post!)
    expect(html).toContain('<p class="mine">Canary releases for rankers</p>')
    // The layout still comes from the built-in theme, the partial from the site.
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('<p class="my-subscribe">Join us</p>')
    expect(html).not.toContain('class="subscribe"')
    // Pages the site did not override keep the built-in template, with the site's partial.
    const tags = await templates.render('tags', builtInContexts().tags!)
    expect(tags).toContain('<ul class="term-index">')
    expect(tags).toContain('<p class="my-subscribe">Join us</p>')
  })

  it('should fail with the file, line and column of an unknown variable', async () => {
    const dir = templateDir({'post.liquid': '<h1>{{ post.title }}</h1>\n<p>\n  {{ post.subtitle }}</p>\n'})
    const templates = createTemplates({dirs: [dir]})
    const error = await catchError(templates.render('post', builtInContexts().post!))
    expect(error.file).toBe(path.join(dir, 'post.liquid'))
    expect(error.line).toBe(3)
    // The column of the variable itself, inside `{{ }}`.
    expect(error.column).toBe(6)
    expect(error.reason).toBe('undefined variable: post.subtitle')
    expect(error.message).toBe(`${path.join(dir, 'post.liquid')}:3:6: undefined variable: post.subtitle (rendering /posts/canary/)`)
    expect(error.frame).toContain('>> 3|')
  })

  it('should point at the layout when the unknown variable is in the layout', async () => {
    const dir = templateDir({
      'base.liquid': '<html>\n<title>{{ site.tagline }}</title>\n{% block content %}{% endblock %}</html>',
      'home.liquid': "{% layout 'base' %}{% block content %}hi{% endblock %}"
    })
    const error = await catchError(createTemplates({dirs: [dir]}).render('home', context('home')))
    expect(error.file).toBe(path.join(dir, 'base.liquid'))
    expect(error.line).toBe(2)
    expect(error.reason).toBe('undefined variable: site.tagline')
  })

  it('should fail on an unknown filter, naming the file and line', async () => {
    const dir = templateDir({'home.liquid': 'a\nb {{ site.title | shout }}'})
    const error = await catchError(createTemplates({dirs: [dir]}).render('home', context('home')))
    expect(error.message).toBe(`${path.join(dir, 'home.liquid')}:2:3: undefined filter: shout (rendering /)`)
  })

  it('should fail on a syntax error, naming the file and line', async () => {
    const dir = templateDir({'home.liquid': 'one\n{% if site.title %}\nnever closed'})
    const error = await catchError(createTemplates({dirs: [dir]}).render('home', context('home')))
    expect(error.file).toBe(path.join(dir, 'home.liquid'))
    expect(error.line).toBe(2)
    expect(error.reason).toContain('not closed')
  })

  it('should fail clearly on a template no folder has', async () => {
    const dir = templateDir({})
    const templates = createTemplates({dirs: [dir]})
    expect(templates.has('newsletter')).toBe(false)
    const error = await catchError(templates.render('newsletter', context('newsletter')))
    expect(error.message).toContain('No template `newsletter.liquid`')
    await catchError(templates.render('../secret', context('x')))
  })

  it('should escape variables by default and print `raw` output as is', async () => {
    const dir = templateDir({'post.liquid': '<h1>{{ post.title }}</h1>{{ post.contentHtml | raw }}'})
    const html = await createTemplates({dirs: [dir]}).render(
      'post',
      context('post', {post: postPage({title: '<script>alert(1)</script> & "quotes"', contentHtml: '<p><em>body</em></p>'})})
    )
    expect(html).toBe('<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;</h1><p><em>body</em></p>')
  })

  it('should compile each template once and reuse it', async () => {
    const dir = templateDir({'home.liquid': 'first {{ site.title }}'})
    const templates = createTemplates({dirs: [dir]})
    expect(await templates.render('home', context('home'))).toBe('first Model Notes')
    fs.writeFileSync(path.join(dir, 'home.liquid'), 'second {{ site.title }}')
    expect(await templates.render('home', context('home'))).toBe('first Model Notes')
  })

  it('should find theme files the way templates are found', () => {
    const site = templateDir({'assets/theme.css': 'body{}'})
    expect(findTemplateFile([site, builtInWebTemplatesDir], 'assets/theme.css')).toBe(path.join(site, 'assets/theme.css'))
    expect(findTemplateFile([site, builtInWebTemplatesDir], 'assets/theme.js')).toBe(path.join(builtInWebTemplatesDir, 'assets/theme.js'))
    expect(findTemplateFile([site], '../outside.css')).toBeUndefined()
  })
})

describe('built-in web theme', () => {
  const templates = createTemplates({dirs: [builtInWebTemplatesDir]})

  it('should render every page kind without an unknown variable', async () => {
    for (const [name, page] of Object.entries(builtInContexts())) {
      expect(templates.has(name)).toBe(true)
      const html = await templates.render(name, page)
      expect(html, name).toMatch(/^<!doctype html>/)
      expect(html, name).toContain('</html>')
    }
  })

  it('should produce HTML without a single parse error', async () => {
    for (const [name, page] of Object.entries(builtInContexts())) {
      const html = await templates.render(name, page)
      const errors: string[] = []
      fromHtml(html, {
        onerror(error) {
          const line = html.split('\n')[(error.line ?? 1) - 1]
          errors.push(`${name}.liquid output ${error.line}:${error.column} ${error.reason}\n  ${line}`)
        }
      })
      expect(errors).toEqual([])
    }
  })

  it('should render when every optional field is absent', async () => {
    const bare = postPage({related: [], tags: [], authors: [], description: ''})
    const pages: Array<[string, PageContext]> = [
      ['post', context('post', {post: bare})],
      ['page', context('page', {post: {...bare, page: true}})],
      ['home', context('home', {posts: []})],
      ['404', context('404')]
    ]
    for (const [name, page] of pages) {
      await expect(templates.render(name, page), name).resolves.toContain('<main id="main"')
    }
  })

  it('should print `raw` only on fields whose name ends in Html', () => {
    const files = fs.readdirSync(builtInWebTemplatesDir, {recursive: true, encoding: 'utf8'}).filter((name) => name.endsWith('.liquid'))
    expect(files.length).toBeGreaterThan(8)
    for (const name of files) {
      const text = fs.readFileSync(path.join(builtInWebTemplatesDir, name), 'utf8')
      for (const match of text.matchAll(/\{\{-?\s*([\w.]+)[^}]*\|\s*raw\b/g)) {
        expect(match[1], `${name}: ${match[0]}`).toMatch(/Html$/)
      }
    }
  })

  it('should escape a hostile post title everywhere and keep the body HTML', async () => {
    const hostile = '<script>alert("x")</script>'
    const page = context('post', {
      pageTitle: hostile,
      pageDescription: hostile,
      post: postPage({title: hostile, contentHtml: '<p>Body <code>&lt;b&gt;</code></p>'})
    })
    const html = await templates.render('post', page)
    expect(html).not.toContain('<script>alert')
    expect(html).toContain('<title>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</title>')
    expect(html).toContain('<p>Body <code>&lt;b&gt;</code></p>')
  })

  it('should fill the head: canonical, social cards, feeds and JSON-LD', async () => {
    const page = builtInContexts().post!
    page.ogImage = 'https://notes.example/assets/covers/canary.png'
    page.jsonLdHtml = '{"@type":"BlogPosting"}'
    const html = await templates.render('post', page)
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<link rel="canonical" href="https://notes.example/">')
    expect(html).toContain('<meta property="og:type" content="article">')
    expect(html).toContain('<meta property="og:image" content="https://notes.example/assets/covers/canary.png">')
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image">')
    expect(html).toContain('<link rel="alternate" type="application/rss+xml" title="Model Notes (RSS)" href="/feed.xml">')
    expect(html).toContain('type="application/atom+xml"')
    expect(html).toContain('type="application/feed+json"')
    expect(html).toContain('<script type="application/ld+json">{"@type":"BlogPosting"}</script>')
    expect(html).toContain('<meta name="color-scheme" content="light dark">')
    expect(html).toContain('<meta property="article:modified_time" content="2026-10-09T00:00:00.000Z">')
  })

  it('should add the KaTeX stylesheet only to pages with math', async () => {
    const page = builtInContexts().post!
    expect(await templates.render('post', page)).not.toContain('katex.min.css')
    expect(await templates.render('post', {...page, hasMath: true})).toContain('<link rel="stylesheet" href="/assets/katex/katex.min.css">')
  })

  it('should link the subscribe box to the subscribe URL, else to the RSS feed', async () => {
    const withUrl = await templates.render('404', context('404'))
    expect(withUrl).toContain('<a class="button" href="https://letters.example/join">')
    const without = await templates.render('404', context('404', {site: {...site, subscribeUrl: ''}}))
    expect(without).toContain('<a class="button" href="/feed.xml">')
  })

  it('should mark drafts only when drafts are shown', async () => {
    const draft = context('home', {posts: [postView({draft: true})]})
    expect(await templates.render('home', draft)).not.toContain('badge-draft')
    expect(await templates.render('home', {...draft, showDrafts: true})).toContain('<span class="badge badge-draft">Draft</span>')
  })

  it('should mark the current page in the navigation', async () => {
    const html = await templates.render('archive', context('archive', {url: '/archive/', archive: []}))
    expect(html).toContain('<a href="/archive/" aria-current="page">Archive</a>')
    expect(html).toContain('<a href="/tags/">Tags</a>')
  })

  it('should show "Continue reading" only for posts with more than their excerpt', async () => {
    const html = await templates.render('home', context('home', {posts: [postView({hasMore: false})]}))
    expect(html).not.toContain('Continue reading')
    expect(await templates.render('home', context('home', {posts: [postView()]}))).toContain('Continue reading')
  })

  it('should give the table of contents twice (inline and side) only when asked', async () => {
    const page = builtInContexts().post!
    const html = await templates.render('post', page)
    expect(html.match(/<a href="#why">Why<\/a>/g)).toHaveLength(2)
    const without = await templates.render('post', {...page, post: {...page.post!, showToc: false}})
    expect(without).not.toContain('class="toc')
  })

  it('should redirect an alias with a refresh, a canonical link and a plain link', async () => {
    const html = await templates.render('redirect', builtInContexts().redirect!)
    expect(html).toContain('<meta http-equiv="refresh" content="0; url=/posts/canary/">')
    expect(html).toContain('<link rel="canonical" href="https://notes.example/posts/canary/">')
    expect(html).toContain('<a href="/posts/canary/">/posts/canary/</a>')
    expect(html).toContain('<meta name="robots" content="noindex">')
  })

  it('should keep the toggle hidden until the script shows it', async () => {
    const html = await templates.render('home', builtInContexts().home!)
    expect(html).toMatch(/<button class="theme-toggle" type="button" aria-pressed="false" hidden>/)
    expect(html).toContain('<script src="/assets/theme.js"></script>')
    expect(html).toContain('<a class="skip-link" href="#main">')
  })
})

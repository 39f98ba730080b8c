/**
 * The site's machine-read outputs, read the way their readers read them: RSS
 * and Atom through a real feed parser, JSON Feed by its 1.1 spec, the sitemap
 * through an XML validator, and a post page's canonical, OpenGraph, Twitter
 * and JSON-LD metadata. Plus a hostile title, kept as text everywhere.
 */
import {parseFeed} from '@rowanmanning/feed-parser'
import {XMLParser, XMLValidator} from 'fast-xml-parser'
import type {Element, Root as HastRoot} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toString} from 'mdast-util-to-string'
import fs from 'node:fs'
import path from 'node:path'
import {visit} from 'unist-util-visit'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {loadConfig} from '../src/source/config.js'
import type {Post} from '../src/source/post.js'
import {loadSite} from '../src/source/site.js'
import {htmlFiles, projectRoot, removeBuiltSites, sampleSite, tempSite, type BuiltSite} from './helpers/site.js'

const origin = 'https://shadowtraffic.example'

afterAll(() => {
  removeBuiltSites()
})

/** Normalised text of an HTML fragment or document. */
function text(html: string): string {
  return toString(fromHtml(html, {fragment: true})).replace(/\s+/g, ' ').trim()
}

/** Every element of a tree matching `test`. */
function elements(tree: HastRoot, test: (element: Element) => boolean): Element[] {
  const found: Element[] = []
  visit(tree, 'element', (element: Element) => {
    if (test(element)) found.push(element)
  })
  return found
}

function hasClass(element: Element, name: string): boolean {
  const value = element.properties['className']
  return Array.isArray(value) && value.includes(name)
}

/** Every URL-valued attribute in an HTML fragment, with the element that holds it. */
function urls(html: string): Array<{tag: string; attribute: string; value: string}> {
  const found: Array<{tag: string; attribute: string; value: string}> = []
  for (const element of elements(fromHtml(html, {fragment: true}), () => true)) {
    for (const attribute of ['href', 'src', 'poster', 'cite', 'action', 'data'] as const) {
      const value = element.properties[attribute]
      if (typeof value === 'string') found.push({tag: element.tagName, attribute, value})
    }
    const srcSet = element.properties['srcSet']
    if (Array.isArray(srcSet)) {
      for (const candidate of srcSet) {
        found.push({tag: element.tagName, attribute: 'srcset', value: String(candidate).split(/\s+/)[0]!})
      }
    }
  }
  return found
}

/** The `content` attribute of `<meta property|name=key>`. */
function meta(tree: HastRoot, key: string): string | undefined {
  const found = elements(
    tree,
    (element) => element.tagName === 'meta' && (element.properties['property'] === key || element.properties['name'] === key)
  )
  const value = found[0]?.properties['content']
  return typeof value === 'string' ? value : undefined
}

/** A post's publication instant, as its frontmatter gives it. */
function published(post: Post): Date {
  return new Date(post.datetime ?? `${post.date}T00:00:00Z`)
}

const read = (site: BuiltSite, relative: string) => fs.readFileSync(path.join(site.site, relative), 'utf8')

/** One JSON Feed 1.1 item, as far as we check it. */
interface JsonFeedItem {
  id: string
  url?: string
  title?: string
  content_html?: string
  content_text?: string
  summary?: string
  date_published?: string
  date_modified?: string
  tags?: string[]
  authors?: Array<{name?: string; url?: string}>
}

describe('feeds, sitemap and metadata of the sample site', () => {
  let site: BuiltSite
  /** Published posts (not pages, not drafts), newest first, as the sources say. */
  let posts: Post[]
  /** Every date the content gives (`YYYY-MM-DD`): publication and update dates. */
  let contentDays: Set<string>

  beforeAll(async () => {
    site = await sampleSite()
    const {config} = await loadConfig(projectRoot)
    const loaded = await loadSite(config)
    posts = loaded.published.filter((post) => !post.page && !post.draft)
    contentDays = new Set(
      loaded.all.flatMap((post) => [post.date, post.updated, post.datetime ? published(post).toISOString().slice(0, 10) : undefined])
        .filter((day): day is string => day !== undefined)
    )
    // The sample keeps at least one draft and one page, so leaving them out is tested.
    expect(loaded.all.some((post) => post.draft)).toBe(true)
    expect(loaded.all.some((post) => post.page)).toBe(true)
  })

  for (const [name, file] of [
    ['RSS 2.0', 'feed.xml'],
    ['Atom', 'atom.xml']
  ] as const) {
    describe(name, () => {
      it('should parse and describe the site', () => {
        const feed = parseFeed(read(site, file))
        expect(feed.meta.type).toBe(name === 'Atom' ? 'atom' : 'rss')
        expect(feed.title).toBe('Shadow Traffic')
        expect(feed.url).toBe(`${origin}/`)
        expect(feed.self).toBe(`${origin}/${file}`)
      })

      it('should hold every published post, newest first, and no draft or page', () => {
        const feed = parseFeed(read(site, file))
        expect(feed.items.map((item) => item.url)).toEqual(posts.map((post) => `${origin}${post.url}`))
        expect(feed.items.map((item) => item.title)).toEqual(posts.map((post) => post.title))
      })

      it("should carry each post's full content, as its page shows it", () => {
        const feed = parseFeed(read(site, file))
        for (const [index, post] of posts.entries()) {
          const item = feed.items[index]!
          const page = fromHtml(read(site, post.outputPath))
          const body = elements(page, (element) => hasClass(element, 'post-content'))[0]
          expect(body, post.outputPath).toBeDefined()
          expect(text(item.content ?? ''), post.url).toBe(toString(body!).replace(/\s+/g, ' ').trim())
        }
      })

      it('should make every link and image in the content absolute', () => {
        const feed = parseFeed(read(site, file))
        const relative: string[] = []
        for (const item of feed.items) {
          for (const url of urls(item.content ?? '')) {
            if (!/^(https?:|mailto:)/.test(url.value)) relative.push(`${item.url}: <${url.tag} ${url.attribute}="${url.value}">`)
          }
        }
        expect(relative).toEqual([])
        // The sample links to its own assets and headings: those must point at the site.
        const own = feed.items.flatMap((item) => urls(item.content ?? '')).filter((url) => url.value.startsWith(`${origin}/`))
        expect(own.some((url) => url.tag === 'img')).toBe(true)
        expect(own.some((url) => url.value.includes('/#') || /\/posts\/[^/]+\/#/.test(url.value))).toBe(true)
      })

      it('should date each post from its frontmatter, never from the clock', () => {
        const feed = parseFeed(read(site, file))
        for (const [index, post] of posts.entries()) {
          const item = feed.items[index]!
          if (name === 'RSS 2.0') expect(item.published?.toISOString(), post.url).toBe(published(post).toISOString())
          else {
            expect(item.updated?.toISOString(), post.url).toBe(
              post.updated ? new Date(`${post.updated}T00:00:00Z`).toISOString() : published(post).toISOString()
            )
          }
        }
        const newest = posts[0]!
        const feedDate = name === 'Atom' ? feed.updated : (feed.updated ?? feed.published)
        expect(feedDate?.toISOString().slice(0, 10)).toBe(newest.updated ?? newest.date)
        // Every date anywhere in the file is one the content gives.
        const raw = read(site, file)
        const found = [
          ...[...raw.matchAll(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g)].map((match) => match[0].slice(0, 10)),
          ...[...raw.matchAll(/\w{3}, \d{2} \w{3} \d{4} [\d:]+ GMT/g)].map((match) => new Date(match[0]).toISOString().slice(0, 10))
        ]
        expect(found.length).toBeGreaterThan(posts.length)
        expect(found.filter((day) => !contentDays.has(day))).toEqual([])
      })

      it('should tag and credit each post', () => {
        const feed = parseFeed(read(site, file))
        for (const [index, post] of posts.entries()) {
          const item = feed.items[index]!
          expect(item.categories.map((category) => category.label ?? category.term), post.url).toEqual(post.tags)
          if (name === 'Atom') expect(item.categories.every((category) => category.term !== '')).toBe(true)
          expect(item.authors.length, post.url).toBeGreaterThan(0)
        }
      })
    })
  }

  describe('JSON Feed', () => {
    let feed: {
      version: string
      title: string
      home_page_url?: string
      feed_url?: string
      items: JsonFeedItem[]
      [key: string]: unknown
    }

    beforeAll(() => {
      feed = JSON.parse(read(site, 'feed.json')) as typeof feed
    })

    it('should be JSON Feed 1.1 with its required and expected top-level fields', () => {
      expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
      expect(feed.title).toBe('Shadow Traffic')
      expect(feed.home_page_url).toBe(`${origin}/`)
      expect(feed.feed_url).toBe(`${origin}/feed.json`)
      expect(Array.isArray(feed.items)).toBe(true)
      // 1.1 replaced `author` with `authors`.
      expect(feed).not.toHaveProperty('author')
    })

    it('should hold every published post with an id, full HTML content and content dates', () => {
      expect(feed.items.map((item) => item.url)).toEqual(posts.map((post) => `${origin}${post.url}`))
      for (const [index, post] of posts.entries()) {
        const item = feed.items[index]!
        expect(typeof item.id).toBe('string')
        expect(item.id.length).toBeGreaterThan(0)
        expect(item.title).toBe(post.title)
        expect(typeof item.content_html).toBe('string')
        expect(item.date_published).toBe(published(post).toISOString())
        if (post.updated) expect(item.date_modified).toBe(new Date(`${post.updated}T00:00:00Z`).toISOString())
        expect(item).not.toHaveProperty('author')
        expect(item.authors?.length).toBeGreaterThan(0)
        const page = fromHtml(read(site, post.outputPath))
        const body = elements(page, (element) => hasClass(element, 'post-content'))[0]!
        expect(text(item.content_html!)).toBe(toString(body).replace(/\s+/g, ' ').trim())
        for (const url of urls(item.content_html!)) {
          expect(url.value, `${post.url}: <${url.tag} ${url.attribute}>`).toMatch(/^(https?:|mailto:)/)
        }
      }
    })
  })

  describe('sitemap.xml and robots.txt', () => {
    it('should be valid XML in the sitemap namespace', () => {
      const xml = read(site, 'sitemap.xml')
      expect(XMLValidator.validate(xml)).toBe(true)
      expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    })

    it('should list every HTML page but the 404 page and alias redirects', () => {
      const parsed = new XMLParser({isArray: (name) => name === 'url'}).parse(read(site, 'sitemap.xml')) as {
        urlset: {url: Array<{loc: string; lastmod?: string}>}
      }
      const listed = parsed.urlset.url.map((entry) => entry.loc).sort()
      const redirects = htmlFiles(site.site).filter((relative) => read(site, relative).includes('http-equiv="refresh"'))
      expect(redirects.length).toBeGreaterThan(0)
      const expected = htmlFiles(site.site)
        .filter((relative) => relative !== '404.html' && !redirects.includes(relative))
        .map((relative) => `${origin}/${relative.replace(/index\.html$/, '')}`)
        .sort()
      expect(listed).toEqual(expected)
    })

    it('should date entries from the content: a post by its update or publication day', () => {
      const parsed = new XMLParser({isArray: (name) => name === 'url', parseTagValue: false}).parse(read(site, 'sitemap.xml')) as {
        urlset: {url: Array<{loc: string; lastmod?: string}>}
      }
      const byLoc = new Map(parsed.urlset.url.map((entry) => [entry.loc, entry.lastmod]))
      for (const post of posts) {
        expect(byLoc.get(`${origin}${post.url}`), post.url).toBe(post.updated ?? post.date)
      }
      for (const [loc, lastmod] of byLoc) {
        if (lastmod === undefined) continue
        expect(lastmod, loc).toMatch(/^\d{4}-\d{2}-\d{2}$/)
        expect(contentDays.has(lastmod), `${loc} ${lastmod}`).toBe(true)
      }
    })

    it('should name the sitemap in robots.txt', () => {
      expect(read(site, 'robots.txt').split('\n')).toContain(`Sitemap: ${origin}/sitemap.xml`)
    })
  })

  describe('metadata of a post page', () => {
    const slug = 'feature-stores-without-the-hype'
    let tree: HastRoot
    let post: Post

    beforeAll(() => {
      post = posts.find((candidate) => candidate.slug === slug)!
      expect(post).toBeDefined()
      tree = fromHtml(read(site, post.outputPath))
    })

    it('should name its canonical URL', () => {
      const links = elements(tree, (element) => element.tagName === 'link' && String(element.properties['rel']) === 'canonical')
      expect(links.map((element) => element.properties['href'])).toEqual([`${origin}/posts/${slug}/`])
    })

    it('should carry OpenGraph and Twitter card metadata', () => {
      expect(meta(tree, 'og:type')).toBe('article')
      expect(meta(tree, 'og:title')).toBe(post.title)
      expect(meta(tree, 'og:url')).toBe(`${origin}/posts/${slug}/`)
      expect(meta(tree, 'og:site_name')).toBe('Shadow Traffic')
      expect(meta(tree, 'og:description')).toBe(post.description)
      expect(meta(tree, 'description')).toBe(post.description)
      expect(meta(tree, 'article:published_time')).toBe(post.datetime ?? post.date)
      expect(meta(tree, 'twitter:card')).toMatch(/^summary(_large_image)?$/)
      expect(meta(tree, 'twitter:title')).toBe(post.title)
      expect(meta(tree, 'twitter:description')).toBe(post.description)
      const image = meta(tree, 'og:image')
      if (image !== undefined) {
        expect(image).toMatch(new RegExp(`^${origin}/`))
        expect(meta(tree, 'twitter:card')).toBe('summary_large_image')
      }
    })

    it('should describe itself as a schema.org BlogPosting in JSON-LD', () => {
      const scripts = elements(
        tree,
        (element) => element.tagName === 'script' && element.properties['type'] === 'application/ld+json'
      )
      expect(scripts.length).toBe(1)
      const data = JSON.parse(toString(scripts[0]!)) as Record<string, unknown>
      expect(data['@context']).toBe('https://schema.org')
      expect(data['@type']).toBe('BlogPosting')
      expect(data['headline']).toBe(post.title)
      expect(data['description']).toBe(post.description)
      expect(data['datePublished']).toBe(post.datetime ?? post.date)
      expect(Number.isNaN(Date.parse(String(data['datePublished'])))).toBe(false)
      expect(data['url']).toBe(`${origin}/posts/${slug}/`)
      expect(data['mainEntityOfPage']).toBe(`${origin}/posts/${slug}/`)
      expect(data['author']).toEqual([{'@type': 'Person', name: 'Tove Marlow'}])
      expect(data['publisher']).toMatchObject({'@type': 'Organization', name: 'Shadow Traffic'})
    })
  })
})

describe('a title that tries to end the script element', () => {
  const hostile = 'Evil </script><script>alert(1)</script> & <b>bold</b>'
  const description = 'Quietly </script><script>alert(2)</script> done'
  const clock = new Date('2099-06-15T12:34:56Z')
  let site: BuiltSite

  beforeAll(async () => {
    // The clock is far from every content date: any date leaking from it shows.
    vi.useFakeTimers({toFake: ['Date']})
    vi.setSystemTime(clock)
    try {
      site = await tempSite(
        {
          'hostile.md': [
            '---',
            `title: ${JSON.stringify(hostile)}`,
            'date: 2026-05-02',
            `description: ${JSON.stringify(description)}`,
            'tags: ["</script><script>alert(3)</script>"]',
            '---',
            '',
            'A [link home](/) and a [jump](#below), with `]]>` in code and a bare ]]> too.',
            '',
            '## Below',
            '',
            'The end & the < sign.',
            ''
          ].join('\n'),
          'plain.md': '---\ntitle: Rock & roll\ndate: 2026-05-01\n---\n\nTom & Jerry, where a < b.\n\nMore.\n'
        },
        `title: Hostile\nbaseUrl: ${origin}/\nauthors:\n  - id: me\n    name: "Me </script>"\n`
      )
    } finally {
      vi.useRealTimers()
    }
  })

  it('should keep it text in every page: no script but the theme and JSON-LD', () => {
    for (const relative of htmlFiles(site.site)) {
      const html = read(site, relative)
      const tree = fromHtml(html)
      for (const script of elements(tree, (element) => element.tagName === 'script')) {
        const type = script.properties['type']
        if (type === 'application/ld+json') {
          expect(() => JSON.parse(toString(script)), relative).not.toThrow()
        } else {
          expect(String(script.properties['src']), relative).toMatch(/^\/assets\/theme\/theme\.js\?v=[0-9a-f]{10}$/)
          expect(toString(script), relative).toBe('')
        }
      }
      expect(html, relative).not.toMatch(/<script>alert/i)
      expect(elements(tree, (element) => element.tagName === 'b'), relative).toEqual([])
    }
    const tree = fromHtml(read(site, 'posts/hostile/index.html'))
    expect(toString(elements(tree, (element) => element.tagName === 'title')[0]!)).toBe(hostile)
    expect(toString(elements(tree, (element) => element.tagName === 'h1')[0]!)).toBe(hostile)
    expect(meta(tree, 'og:title')).toBe(hostile)
    expect(meta(tree, 'description')).toBe(description)
  })

  it('should keep it text in the JSON-LD', () => {
    const tree = fromHtml(read(site, 'posts/hostile/index.html'))
    const script = elements(tree, (element) => element.properties['type'] === 'application/ld+json')[0]!
    expect(toString(script)).not.toMatch(/<\/script/i)
    const data = JSON.parse(toString(script)) as Record<string, unknown>
    expect(data['headline']).toBe(hostile)
    expect(data['description']).toBe(description)
  })

  it('should keep it text in RSS, Atom and JSON Feed', () => {
    for (const file of ['feed.xml', 'atom.xml']) {
      const xml = read(site, file)
      expect(XMLValidator.validate(xml), file).toBe(true)
      const feed = parseFeed(xml)
      expect(feed.items.map((item) => item.title), file).toEqual([hostile, 'Rock & roll'])
    }
    const json = JSON.parse(read(site, 'feed.json')) as {items: JsonFeedItem[]}
    expect(json.items.map((item) => item.title)).toEqual([hostile, 'Rock & roll'])
    expect(json.items[0]!.summary).toBe(description)
  })

  it('should escape what Atom and RSS declare as HTML (Atom titles and summaries, RSS descriptions)', () => {
    // A reader renders these as HTML: after XML decoding they must hold no markup of ours.
    const parser = new XMLParser({ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'entry' || name === 'item'})
    const atom = parser.parse(read(site, 'atom.xml')) as {
      feed: {entry: Array<{title: {'#text': string; '@_type': string}; summary?: {'#text': string; '@_type': string}}>}
    }
    for (const entry of atom.feed.entry) {
      for (const field of [entry.title, entry.summary]) {
        if (!field) continue
        if (field['@_type'] === 'html') expect(field['#text']).not.toMatch(/<(script|\/script|b>)/i)
      }
    }
    const rss = parser.parse(read(site, 'feed.xml')) as {rss: {channel: {item: Array<{description?: string}>}}}
    for (const item of rss.rss.channel.item) {
      if (item.description) expect(item.description).not.toMatch(/<(script|\/script)/i)
    }
    // The fallback summary of a post without a description is text too.
    const plain = parseFeed(read(site, 'feed.xml')).items[1]!
    expect(plain.description).toBe('Tom & Jerry, where a < b.')
  })

  it('should keep the content, code and a literal `]]>` intact in the feeds', () => {
    for (const file of ['feed.xml', 'atom.xml']) {
      const content = parseFeed(read(site, file)).items[0]!.content ?? ''
      expect(text(content), file).toContain('with ]]> in code and a bare ]]> too.')
      expect(text(content), file).toContain('The end & the < sign.')
      expect(urls(content).map((url) => url.value), file).toEqual([`${origin}/`, `${origin}/posts/hostile/#below`, `${origin}/posts/hostile/#below`])
    }
  })

  it('should take no date from the clock: not in feeds, sitemap or pages', () => {
    for (const relative of ['feed.xml', 'atom.xml', 'feed.json', 'sitemap.xml', ...htmlFiles(site.site)]) {
      expect(read(site, relative), relative).not.toContain('2099')
    }
  })

  it('should describe the page without double escaping', () => {
    const tree = fromHtml(read(site, 'posts/plain/index.html'))
    expect(meta(tree, 'description')).toBe('Tom & Jerry, where a < b.')
    expect(meta(tree, 'og:description')).toBe('Tom & Jerry, where a < b.')
  })
})

describe('the summary of a post without a description', () => {
  // Over 200 characters, with a word running across the 200th.
  const paragraph =
    'Night buses run on a timetable nobody reads, so the drivers keep their own: a notebook of corners where ' +
    'someone always waits, and a list of stops that are only ever empty. This is about those notebooks and ' +
    'what they say about a city after midnight.'
  let site: BuiltSite

  beforeAll(async () => {
    site = await tempSite(
      {'buses.md': `---\ntitle: Night buses\ndate: 2026-05-01\n---\n\n${paragraph}\n\nMore.\n`},
      `title: Buses\nbaseUrl: ${origin}/\n`
    )
  })

  /** Whether `summary` is the paragraph cut after a whole word, with an ellipsis, in 200 characters. */
  function cutAtAWord(summary: string | undefined): boolean {
    if (!summary?.endsWith('…') || summary.length > 200) return false
    const kept = summary.slice(0, -1)
    return paragraph.startsWith(kept) && /^[\s,;:.]/.test(paragraph.slice(kept.length)) && !/[\s,;:.]$/.test(kept)
  }

  it('should end the page description after a whole word, never inside one', () => {
    const description = meta(fromHtml(read(site, 'posts/buses/index.html')), 'description')
    expect(cutAtAWord(description), description).toBe(true)
  })

  it('should end the feed summary after a whole word as well', () => {
    const summary = parseFeed(read(site, 'feed.xml')).items[0]!.description
    expect(cutAtAWord(summary ?? undefined), summary ?? '').toBe(true)
  })
})

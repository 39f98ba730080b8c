/**
 * The site's files beside its pages: the RSS, Atom and JSON feeds of the
 * newest posts, the RSS feed of the newsletter's issues, sitemap.xml,
 * robots.txt and `_redirects`. Each is made from
 * what the site publishes, as text; nothing here writes a file.
 */
import {Feed} from 'feed'
import {plainExcerpt} from '../render/plain-text.js'
import type {ResolvedConfig} from '../source/config.js'
import type {Post} from '../source/post.js'
import type {Site} from '../source/site.js'
import type {WebIssue} from './plan.js'
import type {PostView, SiteView} from './views.js'
import {escapeXml, feedAttribute, feedHtml, feedText, xmlChars} from './xml.js'

/** The posts of the feeds: the 20 newest dated posts (pages have no date). */
export function feedPostsOf(site: Pick<Site, 'published'>): Post[] {
  return site.published.filter((post) => !post.page && post.date !== undefined).slice(0, 20)
}

/**
 * feed.xml (RSS), atom.xml and feed.json of `posts` (newest first), by
 * file name; `content` gives a post's body with absolute URLs.
 */
export function feedFiles(
  config: ResolvedConfig,
  siteView: SiteView,
  posts: Post[],
  views: Map<Post, PostView>,
  content: (post: Post) => string,
  absolute: (url: string) => string
): Map<string, string> {
  const newest = posts[0]
  const updated = newest ? new Date((newest.updated ?? newest.datetime ?? newest.date) + (newest.datetime ? '' : 'T00:00:00Z')) : new Date(0)
  const author = config.authors[0]
  // One `Feed` per format: an RSS category is element text where an Atom one is attributes, and `feed`
  // escapes the two differently (xml.ts), so each gets its values prepared for where they go.
  const feedFor = (format: 'rss' | 'atom'): Feed => {
    const feed = new Feed({
      title: feedText(config.title),
      description: feedText(config.description),
      id: absolute('/'),
      link: absolute('/'),
      language: feedText(config.language),
      updated,
      generator: 'letterpress',
      // The config's line is HTML (as MkDocs writes it); a feed's copyright is text.
      copyright:
        config.copyright !== undefined
          ? feedText(plainExcerpt(config.copyright) ?? '')
          : author
            ? feedText(`© ${siteView.copyrightYear} ${author.name}`)
            : '',
      feedLinks: {rss: absolute('/feed.xml'), atom: absolute('/atom.xml'), json: absolute('/feed.json')},
      ...(author
        ? {author: {name: feedText(author.name), ...(author.email ? {email: feedText(author.email)} : {}), ...(author.url ? {link: xmlChars(author.url)} : {})}}
        : {})
    })
    for (const post of posts) {
      const view = views.get(post)!
      const date = new Date(post.datetime ?? post.date + 'T00:00:00Z')
      feed.addItem({
        // HTML-escaped: Atom declares these `type="html"`, and RSS readers read titles and descriptions as HTML.
        title: feedHtml(escapeXml(post.title)),
        id: view.absoluteUrl,
        link: view.absoluteUrl,
        date: post.updated ? new Date(post.updated + 'T00:00:00Z') : date,
        published: date,
        description: feedHtml(escapeXml(view.description || plainExcerpt(view.excerptHtml) || '')),
        content: feedHtml(content(post)),
        category: post.tags.map((name) =>
          format === 'rss' ? {name: feedText(name)} : {name: feedAttribute(name), term: feedAttribute(name)}
        ),
        author: view.authors.map((name) => ({name: feedText(name)}))
      })
    }
    return feed
  }
  const items: Array<Record<string, unknown>> = []
  for (const post of posts) {
    const view = views.get(post)!
    const date = new Date(post.datetime ?? post.date + 'T00:00:00Z')
    items.push({
      id: view.absoluteUrl,
      url: view.absoluteUrl,
      title: post.title,
      content_html: content(post),
      ...(view.description ? {summary: view.description} : {}),
      date_published: date.toISOString(),
      ...(post.updated ? {date_modified: new Date(post.updated + 'T00:00:00Z').toISOString()} : {}),
      ...(post.tags.length > 0 ? {tags: post.tags} : {}),
      authors: view.authors.map((name) => ({name}))
    })
  }
  const files = new Map<string, string>()
  files.set('feed.xml', feedFor('rss').rss2())
  files.set('atom.xml', feedFor('atom').atom1())
  files.set(
    'feed.json',
    JSON.stringify(
      {
        version: 'https://jsonfeed.org/version/1.1',
        title: config.title,
        home_page_url: absolute('/'),
        feed_url: absolute('/feed.json'),
        ...(config.description ? {description: config.description} : {}),
        language: config.language,
        ...(author ? {authors: [{name: author.name, ...(author.url ? {url: author.url} : {})}]} : {}),
        items
      },
      null,
      2
    ) + '\n'
  )
  return files
}

/**
 * The newsletter's RSS 2.0 feed (`newsletter/feed.xml`): one item per
 * issue, newest first, with the whole issue as its web page shows it in
 * `content:encoded`, for the RSS-to-email campaigns of email services.
 * `issues` in any order; `webPage` gives an issue's page, absolute.
 */
export function issueFeedFile(config: ResolvedConfig, issues: readonly WebIssue[], feedUrl: string, webPage: (month: string) => string, absolute: (url: string) => string): string {
  const sorted = [...issues].sort((a, b) => b.summary.month.localeCompare(a.summary.month))
  const dateOf = (issue: WebIssue) => issue.emlHeaders?.date ?? new Date(`${issue.summary.month}-01T00:00:00Z`)
  const newest = sorted[0]
  const feed = new Feed({
    title: feedText(config.newsletter.name),
    description: feedText(`Every issue of ${config.newsletter.name}`),
    id: absolute('/newsletter/'),
    link: absolute('/newsletter/'),
    language: feedText(config.language),
    updated: newest ? dateOf(newest) : new Date(0),
    generator: 'letterpress',
    copyright: '',
    feedLinks: {rss: feedUrl}
  })
  for (const issue of sorted) {
    const page = webPage(issue.summary.month)
    feed.addItem({
      title: feedHtml(escapeXml(issue.summary.subject)),
      id: page,
      link: page,
      date: dateOf(issue),
      description: feedHtml(escapeXml(issue.summary.preheader)),
      content: feedHtml(issue.webHtml)
    })
  }
  return feed.rss2()
}

/** robots.txt: everything allowed, and where the sitemap is when the site has a base URL. */
export function robotsFile(config: ResolvedConfig, absolute: (url: string) => string): string {
  return `User-agent: *\nAllow: /\n${config.baseUrl ? `Sitemap: ${absolute('/sitemap.xml')}\n` : ''}`
}

/**
 * `_redirects` in the format Netlify and Cloudflare Pages read
 * (`/old/path/ /new/path/ 301`): every alias of a published post to the
 * post, one line each, sorted. `undefined` when no post has an alias. A
 * `_redirects` under posts/ is an asset and takes its place.
 */
export function redirectsFile(site: Site, sitePath: (url: string) => string): string | undefined {
  // The format separates its fields by spaces: any in a path are escaped.
  const field = (url: string) => sitePath(url).replace(/\s/g, (space) => encodeURIComponent(space))
  const lines = site.published
    .flatMap((post) =>
      post.frontmatter.aliases.map((alias) => {
        const from = alias.endsWith('/') || alias.endsWith('.html') ? alias : alias + '/'
        return `${field(from)} ${field(post.url)} 301`
      })
    )
    .sort()
  return lines.length === 0 ? undefined : `# The posts' aliases (old addresses), for hosts that read this file\n${lines.join('\n')}\n`
}

/** sitemap.xml: every HTML page but redirects and 404, with content dates (never the build time). */
export function sitemapFile(relativePaths: string[], site: Site, absolute: (url: string) => string): string {
  const modified = new Map<string, string>()
  for (const post of site.published) modified.set(post.outputPath, post.updated ?? post.date ?? '')
  const newest = site.published.find((post) => !post.page)?.date ?? ''
  const redirects = new Set(
    site.published.flatMap((post) =>
      post.frontmatter.aliases.map((alias) => (alias.endsWith('.html') ? alias : alias.replace(/\/?$/, '/') + 'index.html').slice(1))
    )
  )
  const urls = relativePaths
    .filter((relative) => relative.endsWith('.html') && relative !== '404.html' && !redirects.has(relative))
    .sort()
    .map((relative) => {
      const url = '/' + relative.replace(/index\.html$/, '')
      const lastmod = modified.get(relative) ?? newest
      return `  <url>\n    <loc>${escapeXml(absolute(url))}</loc>\n${lastmod ? `    <lastmod>${lastmod}</lastmod>\n` : ''}  </url>`
    })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`
}


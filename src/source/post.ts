/**
 * The transform stage: a parsed tree plus its frontmatter becomes a `Post`
 * (title, slug, dates, URL, excerpt, headings), and then, once every post is
 * known, its links and images are resolved against the site (`resolveLinks`).
 *
 * Pure: it reads no files. What exists on disk comes in as a `SiteIndex`.
 */
import slugify from '@sindresorhus/slugify'
import GithubSlugger from 'github-slugger'
import type {Element} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {Heading, Html, Paragraph, PhrasingContent, Root, RootContent} from 'mdast'
import type {Position} from 'unist'
import {toString} from 'mdast-util-to-string'
import path from 'node:path/posix'
import {visit, SKIP} from '../syntax/walk.js'
import type {VFile} from 'vfile'
import type {ResolvedConfig} from './config.js'
import {parseDate} from './dates.js'
import {editDistance, type Frontmatter} from './frontmatter.js'
import {isAllowedUrl, onSite, unsafeUrlReason, unsafeUrlRule, urlProperties, urlScheme} from './url-policy.js'

/** One heading of a post, for its table of contents. */
export interface HeadingEntry {
  depth: number
  text: string
  id: string
}

/** A post (or standalone page) with everything the renderers need. */
export interface Post {
  /** The source file, holding the post's messages. */
  file: VFile
  /** Path relative to ROOT with `/` separators (`posts/2026/08/x.md`). */
  sourcePath: string
  /** The one parse. Renderers clone it before converting. */
  tree: Root
  frontmatter: Frontmatter
  title: string
  /** Whether the title came from the first `#` heading (which the page then does not repeat). */
  titleFromHeading: boolean
  slug: string
  /** Publication date as `YYYY-MM-DD` (absent only for pages). */
  date: string | undefined
  /** Full ISO datetime when the frontmatter gave one. */
  datetime: string | undefined
  /** Last update as `YYYY-MM-DD`. */
  updated: string | undefined
  /** `YYYY-MM` of `date`: the monthly issue this post belongs to. */
  month: string | undefined
  draft: boolean
  /** A standalone page (`page: true`). */
  page: boolean
  /** Site-relative URL with leading and trailing slash (`/posts/x/`). */
  url: string
  /** Output file relative to OUT/site (`posts/x/index.html`). */
  outputPath: string
  description: string | undefined
  tags: string[]
  categories: string[]
  authors: string[]
  /** Whether and how the post goes into its month's issue. */
  email: boolean | 'full' | 'card'
  /** The cover image, once resolved against the site. */
  cover?: CoverReference
  /** Top-level nodes before `<!-- more -->`, or `undefined` without the marker. */
  excerptLength: number | undefined
  headings: HeadingEntry[]
  words: number
  readingMinutes: number
}

/** What exists, so links and images can be checked and rewritten. */
export interface SiteIndex {
  /** Every non-Markdown file under posts/, relative to posts/ (`assets/x.png`). */
  assets: ReadonlySet<string>
  /** Every post by its path relative to posts/ (`2026/08/x.md`). */
  posts: ReadonlyMap<string, Post>
  /**
   * Every post by the URL paths that reach it (`urlIndex`): its permalink,
   * its aliases and its old URLs. `null`: more than one post claims it.
   */
  urls?: ReadonlyMap<string, Post | null>
  /** The site's `baseUrl`, so an absolute link to this site resolves like a path. */
  baseUrl?: string | undefined
  /** The content folder relative to ROOT (`posts`, or an MkDocs project's `docs`); default `posts`. */
  folder?: string
}

/** `sourcePath` relative to the content folder `folder` (`posts/2026/x.md` → `2026/x.md`). */
export function inContentFolder(sourcePath: string, folder = 'posts'): string {
  return sourcePath.startsWith(folder + '/') ? sourcePath.slice(folder.length + 1) : sourcePath
}

/**
 * Every post by the URL paths that reach it, without the base path: its
 * permalink (`/posts/x/`), its `aliases:` and, for dated posts, each of
 * `oldPermalinks` expanded (an earlier site's URL scheme). A permalink
 * outranks an alias, which outranks an old URL; two posts with the same
 * old URL make it ambiguous (`null`).
 */
export function urlIndex(posts: readonly Post[], oldPermalinks: readonly string[] = []): Map<string, Post | null> {
  const index = new Map<string, Post | null>()
  const tiers: Array<(post: Post) => string[]> = [
    (post) => [post.url],
    (post) => post.frontmatter.aliases,
    (post) => (post.page ? [] : oldPermalinks.map((pattern) => expandPermalink(pattern, post.slug, post.date)))
  ]
  for (const tier of tiers) {
    const claimed = new Map<string, Post | null>()
    for (const post of posts) {
      for (const url of tier(post)) {
        const key = urlKey(url)
        if (index.has(key)) continue
        const other = claimed.get(key)
        claimed.set(key, other === undefined || other === post ? post : null)
      }
    }
    for (const [key, post] of claimed) index.set(key, post)
  }
  return index
}

/** A site path as `urlIndex` keys it: decoded, leading and trailing `/`, no `index.html`. */
function urlKey(url: string): string {
  let key = decodeSafe(url).replace(/\/index\.html$/, '/')
  if (!key.startsWith('/')) key = '/' + key
  // `expandPermalink` ends every URL with `/`; an old scheme's `/:slug.html` names a file.
  key = key.replace(/\.html\/$/, '.html')
  if (!key.endsWith('/') && !key.endsWith('.html')) key += '/'
  return key.replace(/\/{2,}/g, '/')
}

const datePrefix = /^(\d{4})-(\d{2})-(\d{2})-/

/**
 * Make the `Post` of one parsed file. Problems (missing date, missing title)
 * become messages on `file`.
 */
export function createPost(
  tree: Root,
  file: VFile,
  frontmatter: Frontmatter,
  config: Pick<ResolvedConfig, 'permalink' | 'drafts' | 'language'>
): Post {
  const sourcePath = file.path
  const own = path.basename(sourcePath, path.extname(sourcePath))
  // A post in its own folder (`my-post/index.md`, a Hugo page bundle) is named by the folder.
  const base = own.toLowerCase() === 'index' && path.dirname(sourcePath).includes('/') ? path.basename(path.dirname(sourcePath)) : own

  // When the frontmatter itself could not be read, its absent title and
  // date are consequences, not separate problems: say nothing more.
  const unreadable = file.messages.some(
    (message) => message.fatal && /^frontmatter-(yaml|not-mapping|unterminated)$/.test(message.ruleId ?? '')
  )
  // A key that is there but was refused (a wrong type, an impossible date) has its own error at its line.
  const refused = (key: string) => {
    const line = frontmatter.positions?.[key]?.start.line
    return line !== undefined && file.messages.some((message) => message.fatal && message.line === line)
  }

  // Title: frontmatter, else the first level-1 heading, else the file name.
  let title = frontmatter.title
  let titleFromHeading = false
  if (title === undefined) {
    const first = tree.children.find(
      (node): node is Heading => node.type === 'heading' && node.depth === 1
    )
    if (first) {
      title = toString(first).trim()
      titleFromHeading = true
    }
  }
  if (!title) {
    if (!unreadable && !refused('title')) {
      file.message(
        'No title: add `title:` to the frontmatter or start the post with a `# Heading`',
        {place: {line: 1, column: 1}, ruleId: 'title-missing', source: 'letterpress'}
      )
    }
    title = titleFromFileName(base, config.language)
  }

  const slug = frontmatter.slug ?? slugify(base.replace(datePrefix, ''), {decamelize: false})
  if (slug === '') {
    // The URL would be the permalink's folder itself (`/posts/`), or the home page for a page.
    file.message(
      `The file name \`${path.basename(sourcePath)}\` gives no slug (no letters or digits${datePrefix.test(base) ? ' after the date' : ''}): ` +
        'rename the file or add `slug:` to the frontmatter',
      {place: {line: 1, column: 1}, ruleId: 'slug-empty', source: 'letterpress'}
    ).fatal = true
  }

  // Jekyll's `_posts/2026-01-14-slug.md` carries the date in its name.
  const named = datePrefix.exec(base)
  const date = frontmatter.date ?? (named && !frontmatter.page && !refused('date') ? fileNameDate(named) : undefined)
  // A post without a date cannot be placed in lists, feeds or an issue. It
  // is an error, except when previewing drafts: then it shows as a draft.
  const undated = !date && !frontmatter.page
  if (undated && !unreadable && !refused('date')) {
    const hint = dateInBody(tree)
    file.message(
      'No date: add `date: YYYY-MM-DD` to the frontmatter, or `page: true` if this is a standalone page' +
        (hint ? ` (line ${hint.line} mentions ${hint.text})` : '') +
        (config.drafts ? '; shown as a draft until then' : ''),
      {place: {line: 1, column: 1}, ruleId: 'date-missing', source: 'letterpress'}
    ).fatal = !config.drafts
  }

  reportUnsafeRawHtmlUrls(tree, file)
  const headings = collectHeadings(tree)
  const words = countWords(tree)
  const url = frontmatter.page ? `/${slug}/` : expandPermalink(config.permalink, slug, date)

  return {
    file,
    sourcePath,
    tree,
    frontmatter,
    title,
    titleFromHeading,
    slug,
    date,
    datetime: frontmatter.datetime,
    updated: frontmatter.updated,
    month: date?.slice(0, 7),
    draft: frontmatter.draft || undated,
    page: frontmatter.page,
    url,
    outputPath: url.slice(1) + 'index.html',
    description: frontmatter.description,
    tags: frontmatter.tags,
    categories: frontmatter.categories,
    authors: frontmatter.authors,
    email: frontmatter.email,
    excerptLength: excerptLength(tree),
    headings,
    words,
    readingMinutes: frontmatter.readtime ?? Math.max(1, Math.round(words / 230))
  }
}

/** The short words English title case leaves in lower case inside a title. */
const minorWords = new Set('a an and as at but by for from in into nor of on or per the to via vs with'.split(' '))

/**
 * The title of a post without one, from its file name (`legal-tech` →
 * `Legal Tech`): in English, title case (every word capitalised but the
 * short joining ones inside it); in other languages, the first word
 * capitalised. A word with capitals of its own (`iOS`, `LLM`) is kept.
 */
export function titleFromFileName(base: string, language: string): string {
  const words = base.replace(datePrefix, '').replace(/[-_]+/g, ' ').trim().split(/\s+/)
  const english = /^en\b/i.test(language)
  const capitalised = (word: string) => {
    let first = word.charAt(0).toUpperCase()
    try {
      first = word.charAt(0).toLocaleUpperCase(language)
    } catch {
      // Not a language tag Intl knows: the letter's own capital.
    }
    return first + word.slice(1)
  }
  return words
    .map((word, index) => {
      if (/\p{Lu}/u.test(word) || (index > 0 && !english)) return word
      const inside = index > 0 && index < words.length - 1
      return inside && minorWords.has(word) ? word : capitalised(word)
    })
    .join(' ')
}

/** The date of a `YYYY-MM-DD-` file name prefix, when it is a real day. */
function fileNameDate(match: RegExpExecArray): string | undefined {
  const parsed = parseDate(`${match[1]}-${match[2]}-${match[3]}`)
  return 'reason' in parsed ? undefined : parsed.date
}

/**
 * When `url` has a scheme the URL policy refuses, put a `url-unsafe`
 * warning on `file` at `place`, naming `what` it is, and return true.
 * (A path without a scheme is left to the path checks.)
 */
export function reportUnsafeUrl(file: VFile, url: string, what: string, place: Position | undefined): boolean {
  if (urlScheme(url) === undefined || isAllowedUrl(url)) return false
  file.message(`${unsafeUrlReason(url, what)}; it is left out of the page and the email`, {
    ...(place ? {place} : {}),
    ruleId: unsafeUrlRule,
    source: 'letterpress'
  })
  return true
}

/** How a message names a link site: `Link`, `Image` or `Link definition`. */
export function linkWhat(node: Pick<LinkSite, 'type'>): string {
  return node.type === 'image' ? 'Image' : node.type === 'definition' ? 'Link definition' : 'Link'
}

/**
 * Put a `url-unsafe` warning on `file` at each raw HTML node of `tree` with
 * a URL the URL policy refuses (`<a href="javascript:...">`): both
 * renderers drop it, and this says where it is.
 */
export function reportUnsafeRawHtmlUrls(tree: Root, file: VFile): void {
  visit(tree, 'html', (node: Html) => {
    // Only a value with a colon can hold a URL with a scheme: most raw HTML is never parsed here.
    if (!node.value.includes(':')) return
    visit(fromHtml(node.value, {fragment: true}), 'element', (element: Element) => {
      for (const key of urlProperties) {
        const value = element.properties[key]
        if (value === undefined || value === null) continue
        const urls = Array.isArray(value) ? value.map((entry) => String(entry).trim().split(/\s+/)[0] ?? '') : [String(value)]
        const what = `\`${key === 'srcSet' ? 'srcset' : key.toLowerCase()}\` of \`<${element.tagName}>\``
        for (const url of urls) reportUnsafeUrl(file, url, what, node.position)
      }
    })
  })
}

/**
 * Expand a permalink pattern (`/posts/:slug/`, `/:year/:month/:slug/`).
 * The result always starts and ends with `/`.
 */
export function expandPermalink(pattern: string, slug: string, date: string | undefined): string {
  const [year = '0000', month = '00', day = '00'] = (date ?? '').split('-')
  let url = pattern
    .replaceAll(':slug', slug)
    .replaceAll(':year', year)
    .replaceAll(':month', month)
    .replaceAll(':day', day)
  if (!url.startsWith('/')) url = '/' + url
  if (!url.endsWith('/')) url += '/'
  return url.replace(/\/{2,}/g, '/')
}

/** Number of top-level nodes before `<!-- more -->`, if present. */
function excerptLength(tree: Root): number | undefined {
  const index = tree.children.findIndex(
    (node) => node.type === 'html' && /^<!--\s*more\s*-->$/i.test((node as Html).value.trim())
  )
  return index === -1 ? undefined : index
}

/**
 * Give every heading a unique id (attr-list `#id` first, else a GitHub-style
 * slug of its text) and list them. The ids live in the tree, so both
 * renderers and the checker's anchor test agree.
 */
function collectHeadings(tree: Root): HeadingEntry[] {
  const slugger = new GithubSlugger()
  const entries: HeadingEntry[] = []
  // Reserve ids the author set by hand so generated ones do not take them.
  visit(tree, 'heading', (node) => {
    const id = node.data?.attributes?.id
    if (id) slugger.slug(id)
  })
  visit(tree, 'heading', (node) => {
    const text = toString(node).trim()
    const given = node.data?.attributes?.id
    const id = given ?? (slugger.slug(text) || slugger.slug('section'))
    node.data ??= {}
    node.data.hProperties = {...node.data.hProperties, id}
    entries.push({depth: node.depth, text, id})
  })
  return entries
}

function countWords(tree: Root): number {
  let count = 0
  visit(tree, (node) => {
    if (node.type === 'code' || node.type === 'yaml' || node.type === 'html') return SKIP
    if (node.type === 'text' || node.type === 'inlineCode') {
      count += (node.value.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []).length
    }
    return undefined
  })
  return count
}

const monthNames =
  'january|february|march|april|may|june|july|august|september|october|november|december'

/** A date as authors write one in a post's text: `December 12, 2022`, `12 Dec. 2022`, `2022-12-12`. */
const bodyDate = (() => {
  const month = `(?:${monthNames}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\.?`
  const day = '\\d{1,2}(?:st|nd|rd|th)?'
  return new RegExp(`\\b(?:${month}\\s+${day},?\\s+\\d{4}|${day}\\s+${month},?\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2})\\b`, 'i')
})()

/** A date an author wrote in the body instead of the frontmatter, as a hint. */
function dateInBody(tree: Root): {line: number; text: string} | undefined {
  const pattern = new RegExp(`\\b(?:(?:${monthNames})\\s+\\d{1,2},\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2})\\b`, 'i')
  for (const node of tree.children.slice(0, 5)) {
    if (node.type !== 'paragraph' && node.type !== 'heading') continue
    const match = pattern.exec(toString(node))
    if (match && node.position) return {line: node.position.start.line, text: `“${match[0]}”`}
  }
  return undefined
}

/** How a reference in a post resolved. */
export interface ResolvedReference {
  kind: 'link' | 'image'
  /** As written. */
  original: string
  /** `external`, `anchor`, `post`, `asset` or `missing`. */
  target: 'external' | 'anchor' | 'post' | 'asset' | 'missing'
  /** For `post` and `asset`: path relative to posts/. */
  resolved?: string
  /** The heading anchor (`#id`), without the `#`. */
  hash?: string
  /** For images: the alt text. */
  alt?: string
  line?: number
  column?: number
}

/** A link, image or link definition of a post, in document order: all that resolving it needs. */
export interface LinkSite {
  type: 'link' | 'image' | 'definition'
  url: string
  /** For images. */
  alt?: string
  position?: Position
}

/** Every link, image and link definition of a tree, in document order. */
export function collectLinks(tree: Root): LinkSite[] {
  const links: LinkSite[] = []
  visit(tree, (node) => {
    if (node.type !== 'link' && node.type !== 'image' && node.type !== 'definition') return
    links.push({
      type: node.type,
      url: node.url,
      ...(node.type === 'image' ? {alt: node.alt ?? ''} : {}),
      ...(node.position ? {position: node.position} : {})
    })
  })
  return links
}

/**
 * Put the URLs `resolveLinks` chose into the tree: `urls[i]` (when set)
 * replaces the URL of the i-th node `collectLinks` found.
 */
export function applyLinkUrls(tree: Root, urls: ReadonlyArray<string | undefined>): void {
  let at = 0
  visit(tree, (node) => {
    if (node.type !== 'link' && node.type !== 'image' && node.type !== 'definition') return
    const url = urls[at++]
    if (url !== undefined) node.url = url
  })
}

/**
 * Resolve every link and image of a post against the site:
 * relative paths against the post's folder, `/x` against posts/, `\` read as
 * `/` with a warning, `.md` links become that post's URL, assets become
 * site-absolute paths. Missing targets are warnings naming the line.
 * Rewrites the URLs in `post.tree`; returns what it found, for the checker.
 */
export function resolveReferences(post: Post, site: SiteIndex, basePath = '/'): ResolvedReference[] {
  const {references, urls} = resolveLinks(post, collectLinks(post.tree), site, basePath)
  applyLinkUrls(post.tree, urls)
  return references
}

/**
 * `resolveReferences` without the tree: resolves `links` (from
 * `collectLinks`), puts its messages on `post.file`, and returns the new URL
 * of each link (`undefined`: unchanged) for `applyLinkUrls`.
 */
export function resolveLinks(
  post: Post,
  links: readonly LinkSite[],
  site: SiteIndex,
  basePath = '/'
): {references: ResolvedReference[]; urls: Array<string | undefined>} {
  const found: ResolvedReference[] = []
  const urls: Array<string | undefined> = []
  const postDir = path.dirname(inContentFolder(post.sourcePath, site.folder))

  for (const node of links) {
    const target = {url: node.url}
    resolveOne(node, target)
    urls.push(target.url === node.url ? undefined : target.url)
  }
  return {references: found, urls}

  function resolveOne(node: LinkSite, target: {url: string}): void {
      const kind = node.type === 'image' ? 'image' : 'link'
      const place = node.position?.start
      const reference: ResolvedReference = {
        kind,
        original: target.url,
        target: 'external',
        ...(node.type === 'image' ? {alt: node.alt ?? ''} : {}),
        ...(place ? {line: place.line, column: place.column} : {})
      }
      found.push(reference)

      let url = target.url
      // Left as written: both renderers drop it by the same policy; this says where it is.
      if (reportUnsafeUrl(post.file, url, linkWhat(node), node.position)) return
      const own = kind === 'link' && site.baseUrl ? ownSitePath(url, site.baseUrl) : undefined
      if (own !== undefined) {
        // An absolute link to this site: a post's URL resolves; the rest of
        // the site (tags, archive, feeds) stays as written, unless it is
        // close to a post's URL (a typo worth a warning).
        if (own.hash !== undefined) reference.hash = decodeSafe(own.hash)
        const other = findByUrl(own.path)
        if (other) toPost(other, own.hash)
        else if (other === null) ambiguous()
        else if (nearestUrls(own.path).length > 0) missingUrl(own.path)
        return
      }
      if (url === '' || /^[a-z][a-z\d+.-]*:/i.test(url) || url.startsWith('//')) return
      if (url.startsWith('#')) {
        reference.target = 'anchor'
        reference.hash = decodeSafe(url.slice(1))
        return
      }
      if (url.includes('\\')) {
        const fixed = url.replaceAll('\\', '/')
        post.file.message(
          `Backslash path \`${url}\`: read as \`${fixed}\`; write it with forward slashes`,
          {place: node.position, ruleId: 'path-backslash', source: 'letterpress'}
        )
        url = fixed
      }

      const hashIndex = url.indexOf('#')
      const hash = hashIndex === -1 ? undefined : url.slice(hashIndex + 1)
      const withoutHash = hashIndex === -1 ? url : url.slice(0, hashIndex)
      const queryIndex = withoutHash.indexOf('?')
      const pathPart = queryIndex === -1 ? withoutHash : withoutHash.slice(0, queryIndex)
      const decoded = decodeSafe(pathPart)
      const joined = decoded.startsWith('/')
        ? path.normalize(decoded.slice(1))
        : path.normalize(path.join(postDir, decoded))
      if (hash !== undefined) reference.hash = decodeSafe(hash)

      if (joined.startsWith('..')) {
        reference.target = 'missing'
        post.file.message(
          `${kind === 'image' ? 'Image' : 'Link'} \`${target.url}\` points outside ${site.folder ?? 'posts'}/`,
          {place: node.position, ruleId: kind === 'image' ? 'image-missing' : 'link-missing', source: 'letterpress'}
        )
        return
      }

      const other = site.posts.get(joined) ?? site.posts.get(joined.replace(/\/$/, '') + '.md')
      if (joined.endsWith('.md') || other) {
        if (other) {
          toPost(other, hash)
          return
        }
        reference.target = 'missing'
        post.file.message(`Link to \`${target.url}\`: no such post (looked for ${site.folder ?? 'posts'}/${joined})`, {
          place: node.position,
          ruleId: 'link-missing',
          source: 'letterpress'
        })
        return
      }

      if (site.assets.has(joined) || site.assets.has(joined.replace(/\/$/, '') + '/index.html')) {
        reference.target = 'asset'
        reference.resolved = joined
        target.url = basePath + encodeURI(joined) + (hash === undefined ? '' : '#' + hash)
        return
      }

      // A site path that is no file may be a post's URL (permalink, alias, old URL).
      if (kind === 'link' && decoded.startsWith('/')) {
        const byUrl = findByUrl(decoded)
        if (byUrl) {
          toPost(byUrl, hash)
          return
        }
        if (byUrl === null) {
          ambiguous()
          return
        }
      }

      reference.target = 'missing'
      // Keep the link pointing where the file should be, so publishing it later fixes the page.
      target.url = basePath + encodeURI(joined)
      const near = kind === 'link' && decoded.startsWith('/') ? didYouMean(nearestUrls(decoded)) : ''
      post.file.message(
        `${kind === 'image' ? 'Image' : 'Link target'} \`${reference.original}\` not found (looked for ${site.folder ?? 'posts'}/${joined})${near}`,
        {place: node.position, ruleId: kind === 'image' ? 'image-missing' : 'link-missing', source: 'letterpress'}
      )

      /** The link reaches `other`: check its anchor against that post, point at its URL. */
      function toPost(other: Post, linkHash: string | undefined): void {
        reference.target = 'post'
        reference.resolved = inContentFolder(other.sourcePath, site.folder)
        target.url = basePath + other.url.slice(1) + (linkHash === undefined ? '' : '#' + linkHash)
      }

      function ambiguous(): void {
        reference.target = 'missing'
        post.file.message(
          `Link \`${reference.original}\` is the old URL of more than one post; link to the one meant by its .md path`,
          {place: node.position, ruleId: 'link-missing', source: 'letterpress'}
        )
      }

      function missingUrl(sitePath: string): void {
        reference.target = 'missing'
        post.file.message(
          `Link \`${reference.original}\` is no post's URL on this site${didYouMean(nearestUrls(sitePath))}`,
          {place: node.position, ruleId: 'link-missing', source: 'letterpress'}
        )
      }
    }

  /** The post a site path reaches by URL, written with or without the base path; `null`: several. */
  function findByUrl(sitePath: string): Post | null | undefined {
    if (!site.urls) return undefined
    const found = site.urls.get(urlKey(sitePath))
    if (found !== undefined || basePath === '/' || !sitePath.startsWith(basePath)) return found
    return site.urls.get(urlKey('/' + sitePath.slice(basePath.length)))
  }

  /** Current URLs (with the base path) of the posts whose slug is closest to the last segment of `sitePath`. */
  function nearestUrls(sitePath: string): string[] {
    if (!site.urls) return []
    const wanted = decodeSafe(sitePath).replace(/\/index\.html$/, '').split('/').filter(Boolean).at(-1) ?? ''
    const scored = new Map<Post, number>()
    for (const candidate of site.urls.values()) {
      if (!candidate || scored.has(candidate)) continue
      const distance = editDistance(wanted, candidate.slug)
      const longest = Math.max(wanted.length, candidate.slug.length)
      // Close means a typo or two (a third of the slug at most), never a whole other word.
      if (distance <= Math.max(1, Math.floor(longest / 3)) && distance < longest) scored.set(candidate, distance)
    }
    return [...scored]
      .sort((a, b) => a[1] - b[1] || a[0].url.localeCompare(b[0].url))
      .slice(0, 3)
      .map(([candidate]) => basePath + candidate.url.slice(1))
  }
}

/** ` (did you mean /posts/b/?)`, or nothing without candidates. */
function didYouMean(urls: readonly string[]): string {
  return urls.length === 0 ? '' : `; did you mean ${urls.join(' or ')}?`
}

/**
 * The site path (and `#hash`) of an absolute http(s) URL on the host of
 * `baseUrl` and under its path, else `undefined`.
 */
function ownSitePath(url: string, baseUrl: string): {path: string; hash: string | undefined} | undefined {
  const parsed = onSite(url, baseUrl)
  return parsed && {path: decodeSafe(parsed.pathname), hash: parsed.hash ? parsed.hash.slice(1) : undefined}
}

/** Where a post's `cover:` image is. */
export interface CoverReference {
  /** Site path with the base path (`/assets/covers/x.png`). */
  url: string
  /** Path relative to posts/. */
  resolved: string
}

/**
 * Resolve a post's `cover:` like an image in its body (relative to the
 * post's folder, `/` for posts/, backslashes read as slashes). A missing
 * file, or a URL the URL policy refuses, is a warning at the `cover:` line.
 */
export function resolveCover(post: Post, site: SiteIndex, basePath = '/'): CoverReference | undefined {
  const cover = post.frontmatter.cover
  const place = post.frontmatter.positions?.cover
  if (cover && reportUnsafeUrl(post.file, cover, 'Cover', place)) return undefined
  if (!cover || /^[a-z][a-z\d+.-]*:/i.test(cover) || cover.startsWith('//')) return undefined
  const written = cover.replaceAll('\\', '/')
  if (written !== cover) {
    post.file.message(`Backslash path \`${cover}\`: read as \`${written}\`; write it with forward slashes`, {
      place,
      ruleId: 'path-backslash',
      source: 'letterpress'
    })
  }
  const postDir = path.dirname(inContentFolder(post.sourcePath, site.folder))
  const decoded = decodeSafe(written)
  const joined = decoded.startsWith('/') ? path.normalize(decoded.slice(1)) : path.normalize(path.join(postDir, decoded))
  if (joined.startsWith('..') || !site.assets.has(joined)) {
    post.file.message(`Cover \`${cover}\` not found (looked for ${site.folder ?? 'posts'}/${joined})`, {
      place,
      ruleId: 'image-missing',
      source: 'letterpress'
    })
    return undefined
  }
  return {url: basePath + encodeURI(joined), resolved: joined}
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/**
 * The paragraph that opens a post's text, for an excerpt, a meta
 * description, a feed summary or an issue's preheader: the first top-level
 * paragraph that says something, past a lead-in line that is only a date
 * (`December 12, 2022 📑 ONGOING`), a short line of only emphasis
 * (`**Updated**`; a long one in italics is a standfirst, and kept), only
 * badges (images, code, emoji) or only fine print (`<sup>Thanks to…</sup>`);
 * the first paragraph when every one is such a line.
 */
export function leadParagraph(tree: Root): Paragraph | undefined {
  const paragraphs = tree.children.filter((node): node is Paragraph => node.type === 'paragraph')
  return paragraphs.find((paragraph) => !isLeadIn(paragraph)) ?? paragraphs[0]
}

/** Inline nodes that make a line a label rather than a sentence. */
const decorations = new Set(['strong', 'emphasis', 'delete', 'inlineCode', 'image', 'imageReference', 'emoji', 'html', 'break', 'mark'])

/** Whether `paragraph` is a lead-in line (see `leadParagraph`). */
function isLeadIn(paragraph: Paragraph): boolean {
  const decorative = (node: PhrasingContent): boolean =>
    decorations.has(node.type) ||
    (node.type === 'text' && !/[\p{L}\p{N}]/u.test(node.value)) ||
    // A badge links its image (`[![build](badge.svg)](ci)`).
    ((node.type === 'link' || node.type === 'linkReference') && node.children.every((child) => child.type === 'image' || child.type === 'imageReference'))
  // A label, not a standfirst in italics: at most twelve words, image descriptions aside.
  if (paragraph.children.every(decorative)) return words(toString(paragraph, {includeImageAlt: false})).length <= 12
  // Fine print: an acknowledgement or a credit, all of it inside `<sup>`, `<sub>` or `<small>`.
  const first = paragraph.children[0]
  const last = paragraph.children.at(-1)
  const opening = first?.type === 'html' ? /^<(sup|sub|small)\b[^>]*>$/i.exec(first.value.trim()) : null
  if (opening && last !== first && last?.type === 'html' && last.value.trim().toLowerCase() === `</${opening[1]!.toLowerCase()}>`) return true
  // A date with at most three words beside it (`Posted on 12 Dec 2022`, `2022-12-12 · ONGOING`).
  const text = toString(paragraph)
  const pattern = new RegExp(bodyDate.source, 'gi')
  if (!pattern.test(text)) return false
  return words(text.replace(pattern, ' ')).length <= 3
}

/** The words of `text` (runs of letters and digits). */
function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? []
}

/** Top-level nodes of the excerpt, or `undefined` when the post has no marker. */
export function excerptNodes(post: Post): RootContent[] | undefined {
  return post.excerptLength === undefined
    ? undefined
    : post.tree.children.slice(0, post.excerptLength).filter((node) => node.type !== 'yaml')
}

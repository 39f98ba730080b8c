/**
 * Loads a whole ROOT: every post read, decoded, parsed once, its frontmatter
 * validated, turned into a `Post`, then every link and image resolved against
 * the rest of the site. Every problem of every file is collected, none thrown.
 */
import {access, constants} from 'node:fs/promises'
import path from 'node:path'
import {visit} from '../syntax/walk.js'
import {VFile} from 'vfile'
import type {ResolvedConfig} from './config.js'
import {readFrontmatter} from './frontmatter.js'
import {ContentLimitError, stackLimitError} from './guard.js'
import {findContent, loadPost, type SkipKind} from './load.js'
import {reportMigrationProblems} from './migrate.js'
import {createParser, parseFile, type Parser} from './parse.js'
import type {Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {statSync, type Stats} from 'node:fs'
import {basePathOf} from './urls.js'
import {localDate} from './dates.js'
import {isScheduled, publishNow, type PublishNow} from './schedule.js'
import {sitePathProblem} from './url-policy.js'
import {
  applyLinkUrls,
  createPost,
  leadParagraph,
  resolveCover,
  resolveLinks,
  type LinkSite,
  urlIndex,
  type Post,
  inContentFolder,
  type ResolvedReference,
  type SiteIndex
} from './post.js'

/** Everything known about a site's content. */
export interface Site {
  config: ResolvedConfig
  /** Every post and page that parsed, drafts included, sorted newest first. */
  all: Post[]
  /**
   * What gets published: `all` without drafts (unless `config.drafts`) and
   * without posts dated after now (unless `config.future`).
   */
  published: Post[]
  /** Posts dated after now that would otherwise be published: held back unless `config.future`, oldest first. */
  scheduled: Post[]
  /** Every file with messages: posts, plus the config file. */
  files: VFile[]
  /** Every non-Markdown file under posts/, relative to posts/. */
  assets: string[]
  /** How each post's links and images resolved, by source path. */
  references: Map<string, ResolvedReference[]>
  /** What is known of each post without its tree. */
  facts: Map<Post, PostFacts>
}

/** Options for `loadSite`. */
export interface LoadSiteOptions {
  /** Reuse a parser across runs (dev server). */
  parser?: Parser | undefined
  /** Where the posts come from (default: each read and parsed here, by `parsePost`). */
  posts?: PostLoader | undefined
  /** Called as each post is read (from wherever the loader keeps it, or parsed): how many are done of how many. */
  onPost?: ((done: number, total: number) => void) | undefined
}

/**
 * Gives a site's posts: for every source path found under the content
 * folder, in the same order, the post read and parsed (`parsePost`) or
 * taken from wherever the loader keeps posts it parsed before; `onPost`
 * hears each one done.
 */
export type PostLoader = (sourcePaths: readonly string[], parser: Parser, onPost?: (done: number, total: number) => void) => Promise<ParsedPost[]>

/** Read and parse each post here, one after another. */
function parseEach(config: ResolvedConfig): PostLoader {
  return async (sourcePaths, parser, onPost) => {
    const parsed: ParsedPost[] = []
    for (const sourcePath of sourcePaths) {
      parsed.push(await parsePost(config, sourcePath, parser))
      onPost?.(parsed.length, sourcePaths.length)
    }
    return parsed
  }
}

/**
 * Load and validate every post under `config.postsDir`. Never throws for a
 * content problem: each becomes a message on its file.
 */
export async function loadSite(config: ResolvedConfig, options: LoadSiteOptions = {}): Promise<Site> {
  const parser = options.parser ?? createParser()
  const files: VFile[] = []
  const skipped = (relPath: string, reason: string, kind: SkipKind) => {
    files.push(pathProblem(config.root, relPath, reason, kind === 'unreadable-folder' ? 'file-unreadable' : 'symlink-skipped', kind === 'unreadable-folder'))
  }
  const {posts: sources, assets} = await findContent(config.root, {
    onSkip: skipped,
    exclude: [config.outDir, config.cacheDir],
    folder: config.contentFolder,
    postsUnder: config.postsUnder
  })
  if (sources.length === 0 && assets.length === 0) files.push(...missingPostsFolder(config))
  files.push(...(await unreadableAssets(config, assets)))
  const all: Post[] = []
  const facts = new Map<Post, PostFacts>()
  for (const read of await (options.posts ?? parseEach(config))(sources, parser, options.onPost)) {
    files.push(read.file)
    if (read.post) {
      all.push(read.post)
      facts.set(read.post, read.facts)
    }
  }

  checkOutputPaths(all)

  const postIndex = siteIndex(config, all, assets)
  const references = new Map<string, ResolvedReference[]>()
  for (const post of all) references.set(post.sourcePath, resolvePost(config, post, facts.get(post)!, postIndex))

  checkAnchorsAndAlt(all, postIndex.posts, references, facts)

  // Newest first; pages (no date) last, by title; ties broken by path so output is stable.
  all.sort(
    (a, b) =>
      (b.datetime ?? b.date ?? '').localeCompare(a.datetime ?? a.date ?? '') ||
      a.sourcePath.localeCompare(b.sourcePath)
  )
  const shown = all.filter((post) => config.drafts || !post.draft)
  const now = publishNow(config)
  const scheduled = shown.filter((post) => isScheduled(post, now)).reverse()
  for (const post of scheduled) noteScheduled(post, now, config.future)
  const held = new Set(config.future ? [] : scheduled)
  const published = shown.filter((post) => !held.has(post))
  return {config, all, published, scheduled, files, assets, references, facts}
}

/**
 * What a build of a site publishes, counted the one way `build` and `check`
 * both report it: posts (pages are not counted), and those it read but
 * leaves out.
 */
export interface PostCounts {
  /** Posts published. */
  posts: number
  unpublished: {
    /** Drafts, left out without `drafts`. */
    drafts: number
    /** Posts dated after now, held back until their date without `future`. */
    scheduled: number
  }
}

/** Count the posts of `site` as `PostCounts` says. */
export function countPosts(site: Site): PostCounts {
  const published = new Set(site.published)
  const counts: PostCounts = {posts: 0, unpublished: {drafts: 0, scheduled: 0}}
  for (const post of site.all) {
    if (post.page) continue
    if (published.has(post)) counts.posts++
    else if (post.draft && !site.config.drafts) counts.unpublished.drafts++
    else counts.unpublished.scheduled++
  }
  return counts
}

/**
 * Say at a scheduled post's `date:` when it goes live, and whether this
 * build holds it back (`post-scheduled`); once per file, as `dev` loads
 * a post's file again only when it changed.
 */
function noteScheduled(post: Post, now: PublishNow, future: boolean): void {
  const when = post.datetime ?? post.date!
  // Today as `goesLiveAt` counts days: UTC under SOURCE_DATE_EPOCH, else the machine's calendar.
  const today = now.fixed ? new Date(now.time).toISOString().slice(0, 10) : localDate(new Date(now.time))
  const reason = future
    ? `Scheduled: goes live on ${when} (today is ${today}); built with --future it is published now`
    : `Scheduled: goes live on ${when} (today is ${today}); until then it is left out of the site, the feeds, ` +
      'the sitemap and the issues (build with --future to publish it now)'
  const start = post.frontmatter.positions['date']?.start
  const place = start ? {line: start.line, column: start.column} : {line: 1, column: 1}
  if (post.file.messages.some((message) => message.ruleId === 'post-scheduled' && message.reason === reason)) return
  post.file.message(reason, {place, ruleId: 'post-scheduled', source: 'letterpress'})
}

/** Posts by path under the content folder and by URL, and the assets: what links resolve against. */
function siteIndex(config: ResolvedConfig, posts: readonly Post[], assets: readonly string[]): SiteIndex & {posts: Map<string, Post>} {
  const index = new Map<string, Post>()
  const folder = config.contentFolder
  for (const post of posts) index.set(inContentFolder(post.sourcePath, folder), post)
  return {assets: new Set(assets), posts: index, folder, urls: urlIndex(posts, config.links.oldPermalinks), baseUrl: config.baseUrl}
}

/** Resolve a post's links and cover against the site (`facts.urls`, its tree's URLs, `post.cover`). */
function resolvePost(
  config: ResolvedConfig,
  post: Post,
  own: PostFacts,
  index: SiteIndex
): ResolvedReference[] {
  const basePath = basePathOf(config)
  const resolved = resolveLinks(post, own.links, index, basePath)
  own.urls = resolved.urls
  if (own.tree) applyLinkUrls(own.tree, resolved.urls)
  const cover = resolveCover(post, index, basePath)
  if (cover) post.cover = cover
  return resolved.references
}

/**
 * Read (or take as `bytes`) and parse one post of a loaded site again, its links resolved
 * against the site as loaded (the dev server's preview of a saved post,
 * which needs its URL and aliases unchanged). `undefined` when it no
 * longer parses into a post.
 */
export async function reloadPost(
  site: Site,
  sourcePath: string,
  parser: Parser,
  bytes?: Uint8Array
): Promise<{post: Post; facts: PostFacts} | undefined> {
  const parsed = await parsePost(site.config, sourcePath, parser, bytes)
  if (!parsed.post || parsed.file.messages.some((message) => message.fatal)) return undefined
  // The site's index as loaded. The post in it is the one loaded, which only its links to itself read, for its
  // URL: a reload whose URL or aliases changed is of no use to the preview, which renders the whole site again.
  resolvePost(site.config, parsed.post, parsed.facts, loadedIndex(site))
  return parsed
}

/**
 * The index of a loaded site that `reloadPost` resolves against, made once
 * per site (3-4 ms at 1,000 posts): `dev` has it made after each render,
 * before the next save.
 */
export function loadedIndex(site: Site): SiteIndex {
  let index = loadedIndexes.get(site)
  if (!index) loadedIndexes.set(site, (index = siteIndex(site.config, site.all, site.assets)))
  return index
}

const loadedIndexes = new WeakMap<Site, SiteIndex>()

/** What the rest of a build needs to know of a post without its tree (which may not be parsed at all). */
export interface PostFacts {
  /**
   * What the loader that gave the post keeps it under, so that later stages
   * can tell it unchanged (`''` from `parsePost` alone).
   */
  key: string
  /** Links, images and definitions as written, in document order. */
  links: LinkSite[]
  /** Their URLs as this build resolved them (`undefined`: unchanged). */
  urls: Array<string | undefined>
  /** Every id an anchor may name: headings, attr-list ids, footnotes. */
  ids: string[]
  hasMath: boolean
  /** The text of the paragraph that opens the post (`leadParagraph`; an issue's default preheader), if any. */
  firstParagraph: string | undefined
  /**
   * A digest of what an issue shows of the post as a card, made by the
   * loader that gave it, so that an issue can be told unchanged (`''` from
   * `parsePost` alone).
   */
  card: string
  /** The tree, once parsed in this process. */
  tree?: Root
}

/** A post just read and parsed, or a file that could not be (its messages say why). */
export type ParsedPost = {file: VFile; post?: undefined; facts?: undefined} | {file: VFile; post: Post; facts: PostFacts}

/** Read (unless `bytes` are given), decode, parse and validate one post. */
export async function parsePost(
  config: ResolvedConfig,
  sourcePath: string,
  parser: Parser,
  bytes?: Uint8Array
): Promise<ParsedPost> {
  const file = await loadPost(config.root, sourcePath, bytes)
  if (file.messages.some((message) => message.fatal) && typeof file.value !== 'string') return {file}
  if (typeof file.value === 'string' && file.value.trim() === '') {
    // Nothing to publish, so nothing more to say (no title, no date): one warning.
    file.message('Empty file: nothing to publish, so it is left out', {
      place: {line: 1, column: 1},
      ruleId: 'post-empty',
      source: 'letterpress'
    })
    return {file}
  }
  try {
    const tree = await parseFile(parser, file)
    const frontmatter = readFrontmatter(tree, file, {rename: config.frontmatter.rename})
    const post = createPost(tree, file, frontmatter, config)
    reportMigrationProblems(tree, file)
    const first = leadParagraph(tree)
    const facts: PostFacts = {
      key: '',
      urls: [],
      firstParagraph: first ? toString(first) : undefined,
      card: '',
      tree,
      ...scanTree(post)
    }
    return {file, post, facts}
  } catch (error) {
    // A post over a content limit (or too deep for the stack) is the
    // author's to fix: say where and why, without a stack trace.
    const limit = error instanceof ContentLimitError ? error : stackLimitError(error, 'parser')
    if (limit) {
      file.message(limit.reason, {
        place: {line: limit.line, column: limit.column},
        ruleId: limit.ruleId,
        source: 'letterpress'
      }).fatal = true
    } else {
      // A parser or plugin failure on one post must not take the others down.
      file.message(`Could not parse this post: ${(error as Error).message}`, {
        place: {line: 1, column: 1},
        ruleId: 'parse-failed',
        source: 'letterpress'
      }).fatal = true
    }
    return {file}
  }
}

/**
 * Parse a post's text again into the tree its first parse made (heading
 * ids set, links as written); the messages are not repeated.
 */
export function reparse(post: Post, parser: Parser, config: ResolvedConfig): Root {
  const scratch = new VFile({path: post.sourcePath, value: String(post.file.value)})
  const tree = parser.runSync(parser.parse(scratch), scratch) as Root
  createPost(tree, scratch, readFrontmatter(tree, scratch, {rename: config.frontmatter.rename}), config)
  return tree
}

/**
 * In one walk of a freshly parsed post: its links, images and definitions
 * as written, every id an anchor may name, and whether it has math.
 */
function scanTree(post: Post): Pick<PostFacts, 'links' | 'ids' | 'hasMath'> {
  const links: LinkSite[] = []
  const ids = new Set(post.headings.map((heading) => heading.id))
  let math = false
  visit(post.tree, (node) => {
    if (node.type === 'link' || node.type === 'image' || node.type === 'definition') {
      links.push({
        type: node.type,
        url: node.url,
        ...(node.type === 'image' ? {alt: node.alt ?? ''} : {}),
        ...(node.position ? {position: node.position} : {})
      })
    } else if (node.type === 'math' || node.type === 'inlineMath') math = true
    const id = node.data?.hProperties?.['id'] ?? node.data?.attributes?.id
    if (typeof id === 'string') ids.add(id)
    // GFM footnotes render with these ids.
    if (node.type === 'footnoteDefinition') ids.add(`user-content-fn-${node.identifier.toLowerCase()}`)
    if (node.type === 'footnoteReference') ids.add(`user-content-fnref-${node.identifier.toLowerCase()}`)
  })
  return {links, ids: [...ids], hasMath: math}
}

/**
 * Links to `#anchors` (in the same post or another post) must name a
 * heading or another id in that post; images need alt text for readers who
 * cannot see them. Both are warnings at the link or image.
 */
function checkAnchorsAndAlt(
  posts: Post[],
  postIndex: ReadonlyMap<string, Post>,
  references: ReadonlyMap<string, ResolvedReference[]>,
  facts: ReadonlyMap<Post, PostFacts>
): void {
  const idsOf = new Map<Post, Set<string>>()
  const ids = (post: Post) => {
    let set = idsOf.get(post)
    if (!set) {
      set = new Set(facts.get(post)?.ids ?? [])
      idsOf.set(post, set)
    }
    return set
  }
  for (const post of posts) {
    for (const reference of references.get(post.sourcePath) ?? []) {
      const place = reference.line === undefined ? undefined : {line: reference.line, column: reference.column ?? 1}
      if (reference.kind === 'image' && reference.alt === '') {
        post.file.message(`Image \`${reference.original}\` has no alt text: describe it for readers who cannot see it`, {
          place,
          ruleId: 'image-alt-missing',
          source: 'letterpress'
        })
      }
      if (!reference.hash) continue
      const target = reference.target === 'anchor' ? post : reference.target === 'post' ? postIndex.get(reference.resolved!) : undefined
      if (!target || ids(target).has(reference.hash)) continue
      const where = target === post ? 'this post' : target.sourcePath
      post.file.message(`Link to \`#${reference.hash}\`: no heading or id with that name in ${where}`, {
        place,
        ruleId: 'anchor-missing',
        source: 'letterpress'
      })
    }
  }
}

/**
 * A ROOT without a posts/ folder is not a site: most likely the wrong
 * `--root`. An error (`posts-missing`) rather than an empty site built.
 */
function missingPostsFolder(config: ResolvedConfig): VFile[] {
  let stats: Stats | undefined
  try {
    stats = statSync(config.postsDir)
  } catch {
    stats = undefined
  }
  if (stats?.isDirectory()) return []
  const found = stats ? 'is not a folder' : 'does not exist'
  const folder = config.contentFolder
  const reason = `ROOT has no ${folder}/ folder (${config.postsDir} ${found}): nothing to publish; check --root, or create ${folder}/ for the posts`
  return [pathProblem(config.root, folder, reason, 'posts-missing', true)]
}

/** A message about a path under posts/ that is not a post (a link, a folder, an asset), at its line 1. */
function pathProblem(root: string, relPath: string, reason: string, ruleId: string, fatal: boolean): VFile {
  const file = new VFile({cwd: root, path: relPath})
  file.message(reason, {place: {line: 1, column: 1}, ruleId, source: 'letterpress'}).fatal = fatal
  return file
}

/**
 * Assets are copied only once everything has rendered: one that cannot be
 * read must fail the build here, with its name, not halfway through writing.
 */
async function unreadableAssets(config: ResolvedConfig, assets: string[]): Promise<VFile[]> {
  const problems: VFile[] = []
  await Promise.all(
    assets.map(async (asset) => {
      try {
        await access(path.join(config.postsDir, ...asset.split('/')), constants.R_OK)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'it is gone' : code
        problems.push(
          pathProblem(config.root, `${config.contentFolder}/${asset}`, `Cannot read this file: ${why}; it could not be published`, 'file-unreadable', true)
        )
      }
    })
  )
  return problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** First path segments the site's own pages and files use. */
const builtInSegments: Record<string, string> = {
  archive: 'archive page',
  tags: 'tag pages',
  categories: 'category pages',
  newsletter: 'newsletter pages',
  page: 'home page pagination',
  assets: 'assets folder',
  'feed.xml': 'RSS feed',
  'atom.xml': 'Atom feed',
  'feed.json': 'JSON feed',
  'sitemap.xml': 'sitemap',
  'robots.txt': 'robots.txt',
  '404.html': 'page for missing pages'
}

/** What a URL of the site's own would collide with, if anything (`/` is the home page). */
function reservedUrl(url: string): string | undefined {
  if (url === '/') return 'home page'
  const first = url.split('/')[1] ?? ''
  return Object.hasOwn(builtInSegments, first) ? builtInSegments[first] : undefined
}

/** Two posts with one URL, a URL of the site's own pages, or a URL that would escape the site, are errors naming the files. */
function checkOutputPaths(posts: Post[]): void {
  const byUrl = new Map<string, Post>()
  for (const post of posts) {
    // No slug is an error of its own (`slug-empty`); its URL is no URL to compare.
    if (post.slug === '') continue
    const slugPlace = post.frontmatter.positions?.slug ?? {line: 1, column: 1}
    if (sitePathProblem(post.url)) {
      post.file.message(`URL \`${post.url}\` would leave the site; use a slug of letters, digits and dashes`, {
        place: slugPlace,
        ruleId: 'permalink-unsafe',
        source: 'letterpress'
      }).fatal = true
      continue
    }
    const claimed = [post.url, ...post.frontmatter.aliases]
    for (const [at, url] of claimed.entries()) {
      const key = url.endsWith('/') ? url : url + '/'
      const place = at === 0 ? slugPlace : (post.frontmatter.positions?.aliases ?? slugPlace)
      const builtIn = reservedUrl(key)
      if (builtIn) {
        post.file.message(
          `URL \`${key}\` belongs to the site's ${builtIn}: give this ${post.page ? 'page' : 'post'} another \`${at === 0 ? 'slug' : 'aliases'}:\``,
          {place, ruleId: 'slug-reserved', source: 'letterpress'}
        ).fatal = true
        continue
      }
      const other = byUrl.get(key)
      if (other && other !== post) {
        post.file.message(
          `Same URL \`${key}\` as ${other.sourcePath}: give one of them another \`slug:\``,
          {place, ruleId: 'slug-duplicate', source: 'letterpress'}
        ).fatal = true
        other.file.message(
          `Same URL \`${key}\` as ${post.sourcePath}: give one of them another \`slug:\``,
          {place: other.frontmatter.positions?.slug ?? {line: 1, column: 1}, ruleId: 'slug-duplicate', source: 'letterpress'}
        ).fatal = true
      } else byUrl.set(key, post)
    }
  }
}

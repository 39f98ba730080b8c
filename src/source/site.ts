/**
 * Loads a whole ROOT: every post read, decoded, parsed once, its frontmatter
 * validated, turned into a `Post`, then every link and image resolved against
 * the rest of the site. Every problem of every file is collected, none thrown.
 */
import {access, constants} from 'node:fs/promises'
import path from 'node:path'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import type {ResolvedConfig} from './config.js'
import {decodePost} from './encoding.js'
import {readFrontmatter} from './frontmatter.js'
import {ContentLimitError, stackLimitError} from './guard.js'
import {findContent, loadPost, type SkipKind} from './load.js'
import {reportMigrationProblems} from './migrate.js'
import {createParser, parseFile, type Parser} from './parse.js'
import type {Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {readFileSync, statSync, type Stats} from 'node:fs'
import v8 from 'node:v8'
import {pipelineVersion} from '../pipeline/warm.js'
import {localDate} from '../cli/new.js'
import {isScheduled, publishNow, type PublishNow} from './schedule.js'
import {sitePathProblem} from './url-policy.js'
import {cardDigest} from '../render/excerpt.js'
import type {LoadJob} from '../pipeline/pool.js'
import {memoKey, restoreMessages, storeMessages, type Memo, type StoredMessage} from '../pipeline/memo.js'
import {
  applyLinkUrls,
  createPost,
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
  parser?: Parser
  /** Take unchanged posts from here, and keep new ones in it. */
  memo?: Memo | undefined
  /**
   * Parse the posts the memo lacks elsewhere (a pool of worker threads),
   * given their bytes and keys; what it returns goes into the memo, and
   * anything it leaves out is parsed here.
   */
  prefill?: ((jobs: LoadJob[], accept: (sourcePath: string, loaded: LoadedPost) => void) => Promise<unknown>) | undefined
  /**
   * Read each source through this cache (dev): a file whose size and
   * times are unchanged since the last load is neither read nor hashed again.
   */
  sources?: SourceCache | undefined
}

/** A source's bytes and memo key, as `loadSite` read them. */
export interface SourceRead {
  bytes: Uint8Array
  key: string
}

/**
 * Remembers each source's bytes and memo key by its file's size, inode and
 * modification and change times, for a process that loads the same ROOT
 * again and again (the dev server). `forget` the paths a watcher saw change:
 * those are read again whatever their times say.
 */
export interface SourceCache {
  read(config: ResolvedConfig, sourcePath: string, version: string): SourceRead | undefined
  forget(sourcePaths: Iterable<string>): void
}

/** An empty `SourceCache`. */
export function createSourceCache(): SourceCache {
  const known = new Map<string, {stamp: string; read: SourceRead}>()
  return {
    read(config, sourcePath, version) {
      const file = path.join(config.root, sourcePath)
      let stat: Stats
      try {
        stat = statSync(file)
      } catch {
        known.delete(sourcePath)
        return undefined
      }
      const stamp = [stat.size, stat.ino, stat.mtimeMs, stat.ctimeMs, version, config.root, config.permalink, config.drafts].join('\0')
      const before = known.get(sourcePath)
      if (before?.stamp === stamp) return before.read
      const read = readSource(config, sourcePath, version)
      if (read) known.set(sourcePath, {stamp, read})
      else known.delete(sourcePath)
      return read
    },
    forget(sourcePaths) {
      for (const sourcePath of sourcePaths) known.delete(sourcePath)
    }
  }
}

/** A source's bytes and memo key, or `undefined` when it cannot be read (`loadPost` says why). */
function readSource(config: ResolvedConfig, sourcePath: string, version: string): SourceRead | undefined {
  try {
    // Small files, one after another: a synchronous read costs less than a trip through the thread pool.
    const bytes = readFileSync(path.join(config.root, sourcePath))
    return {bytes, key: postKey(config, sourcePath, bytes, version)}
  } catch {
    return undefined
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
  const version = options.memo ? pipelineVersion() : ''
  // With a memo, each source is read and keyed once, here; the memo has most of them already.
  const reads = new Map<string, SourceRead>()
  if (options.memo) {
    for (const sourcePath of sources) {
      const read = options.sources ? options.sources.read(config, sourcePath, version) : readSource(config, sourcePath, version)
      if (read) reads.set(sourcePath, read)
    }
  }
  if (options.memo && options.prefill) {
    const jobs: LoadJob[] = []
    for (const [sourcePath, {bytes, key}] of reads) if (!options.memo.has('post', key)) jobs.push({sourcePath, bytes, key})
    const memo = options.memo
    // What the prefill leaves out (a pool that failed) is parsed below, as without one.
    if (jobs.length > 0) {
      await options.prefill(jobs, (sourcePath, loaded) => {
        const key = reads.get(sourcePath)?.key
        if (key === undefined) return
        memoizePost(memo, key, loaded.record, loaded.tree)
      })
    }
  }
  for (const sourcePath of sources) {
    const read = await readPost(config, sourcePath, parser, options.memo, reads.get(sourcePath))
    reads.delete(sourcePath)
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
  const now = publishNow()
  const scheduled = shown.filter((post) => isScheduled(post, now)).reverse()
  for (const post of scheduled) noteScheduled(post, now, config.future)
  const held = new Set(config.future ? [] : scheduled)
  const published = shown.filter((post) => !held.has(post))
  return {config, all, published, scheduled, files, assets, references, facts}
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
  const basePath = config.baseUrl ? new URL(config.baseUrl).pathname : '/'
  const resolved = resolveLinks(post, own.links, index, basePath)
  own.urls = resolved.urls
  if (own.tree) applyLinkUrls(own.tree, resolved.urls)
  const cover = resolveCover(post, index, basePath)
  if (cover) post.cover = cover
  return resolved.references
}

/**
 * Read and parse one post of a loaded site again, its links resolved
 * against the rest of the site as loaded (the dev server's preview of a
 * saved post). `undefined` when it no longer parses into a post.
 */
export async function reloadPost(site: Site, sourcePath: string, parser: Parser): Promise<{post: Post; facts: PostFacts} | undefined> {
  const parsed = await parsePost(site.config, sourcePath, parser, undefined, '')
  if (!parsed.post || parsed.file.messages.some((message) => message.fatal)) return undefined
  const others = site.all.filter((post) => post.sourcePath !== sourcePath)
  resolvePost(site.config, parsed.post, parsed.facts, siteIndex(site.config, [...others, parsed.post], site.assets))
  return parsed
}

/** What the rest of a build needs to know of a post without its tree (which may not be parsed at all). */
export interface PostFacts {
  /** The post's memo key: its bytes, path and the parse-relevant config, under this letterpress. */
  key: string
  /** Links, images and definitions as written, in document order. */
  links: LinkSite[]
  /** Their URLs as this build resolved them (`undefined`: unchanged). */
  urls: Array<string | undefined>
  /** Every id an anchor may name: headings, attr-list ids, footnotes. */
  ids: string[]
  hasMath: boolean
  /** The text of the first paragraph (an issue's default preheader), if any. */
  firstParagraph: string | undefined
  /** What the post shows as an issue's card, hashed (`cardDigest`). */
  card: string
  /** The tree, once parsed in this process. */
  tree?: Root
}

/** A post parsed elsewhere (a worker): its record and serialized tree, as the memo keeps them. */
export interface LoadedPost {
  record: PostRecord
  tree: Uint8Array | undefined
}

/** A post as the memo keeps it: everything but its tree and file. */
export interface PostRecord {
  /** The decoded text; `true` in the memo, which keeps it apart (bucket `text`, same key: see `memoizePost`). */
  value: string | true | undefined
  data: {bytes?: unknown; encodingFixes?: unknown}
  messages: StoredMessage[]
  post?: Omit<Post, 'file' | 'tree' | 'cover'>
  links: LinkSite[]
  ids: string[]
  hasMath: boolean
  firstParagraph: string | undefined
  card: string
}

/**
 * A post's tree as parsed (heading ids set, links as written), serialized.
 * The memo keeps it apart from the post's record (bucket `tree`, same key),
 * read only when something needs the tree: taking it back costs a small
 * part of parsing again, for the posts an issue shows beside a changed one.
 */
export function postTree({facts}: ParsedPost): Uint8Array | undefined {
  return facts?.tree ? v8.serialize(facts.tree) : undefined
}

/** The memo key of a post: its path and bytes, the config its parse depends on, and letterpress. */
export function postKey(config: ResolvedConfig, sourcePath: string, bytes: Uint8Array, version: string): string {
  return memoKey('post', version, config.permalink, config.drafts, JSON.stringify(config.frontmatter.rename), sourcePath, bytes)
}

/** A post just read and parsed, or a file that could not be (its messages say why). */
export type ParsedPost = {file: VFile; post?: undefined; facts?: undefined} | {file: VFile; post: Post; facts: PostFacts}

/**
 * Read, decode, parse and validate one post, or take all of that from the
 * memo when its bytes (and letterpress, and the config it depends on) are
 * unchanged. A memoised post's tree is parsed again only if something asks
 * for it (`post.tree`), and then exactly as the first time.
 */
async function readPost(
  config: ResolvedConfig,
  sourcePath: string,
  parser: Parser,
  memo: Memo | undefined,
  read: SourceRead | undefined
): Promise<ParsedPost> {
  const bytes = read?.bytes
  const key = read?.key ?? ''
  const record = read ? memo?.get<PostRecord>('post', key) : undefined
  if (record) return restorePost(config, sourcePath, key, record, parser, memo)
  const parsed = await parsePost(config, sourcePath, parser, bytes, key)
  if (read && memo) memoizePost(memo, key, postRecord(parsed), postTree(parsed))
  return parsed
}

/**
 * Keep a post in the memo under its key, as three entries: the record
 * every build reads (bucket `post`), and, apart, what only parsing again
 * needs (its text, bucket `text`) or what only an issue showing it needs
 * (its tree, bucket `tree`). At 1,000 posts of 9 KB that is 5 MB of
 * records read instead of 15 MB.
 */
export function memoizePost(memo: Memo, key: string, record: PostRecord, tree: Uint8Array | undefined): void {
  if (typeof record.value === 'string') {
    memo.set('text', key, record.value)
    memo.set('post', key, {...record, value: true})
  } else memo.set('post', key, record)
  if (tree) memo.set('tree', key, tree)
}

/** A post from its memo record: its file with the messages it had, its fields, and a tree parsed only when asked for. */
export function restorePost(
  config: ResolvedConfig,
  sourcePath: string,
  key: string,
  record: PostRecord,
  parser: Parser,
  memo: Memo | undefined
): ParsedPost {
  const file = new VFile({cwd: config.root, path: sourcePath})
  // The text itself is taken back from the memo only if something asks for it (parsing again): a big site's
  // posts would otherwise hold every source in memory for the whole build.
  if (record.value === true) {
    memo?.keep('text', key)
    lazyValue(file, () => {
      const text = memo?.get<unknown>('text', key)
      return typeof text === 'string' ? text : sourceText(config, sourcePath)
    })
  } else if (record.value !== undefined) file.value = record.value
  Object.assign(file.data, record.data)
  restoreMessages(file, record.messages)
  if (!record.post) return {file}
  const post = {...record.post, file} as Post
  const facts: PostFacts = {
    key,
    links: record.links,
    urls: [],
    ids: record.ids,
    hasMath: record.hasMath,
    firstParagraph: record.firstParagraph,
    card: record.card
  }
  memo?.keep('tree', key)
  Object.defineProperty(post, 'tree', {
    enumerable: true,
    configurable: true,
    get() {
      if (!facts.tree) {
        const stored = memo?.get<Uint8Array>('tree', key)
        let tree: Root | undefined
        try {
          tree = stored ? (v8.deserialize(stored) as Root) : undefined
        } catch {
          // A damaged entry: parse again.
        }
        facts.tree = tree?.type === 'root' ? tree : reparse(post, parser, config)
        applyLinkUrls(facts.tree, facts.urls)
      }
      return facts.tree
    },
    set(tree: Root) {
      facts.tree = tree
    }
  })
  return {file, post, facts}
}

/** A source's text read again (when its memo entry went missing since it was restored). */
function sourceText(config: ResolvedConfig, sourcePath: string): string {
  try {
    return decodePost(readFileSync(path.join(config.root, sourcePath))).text
  } catch {
    return ''
  }
}

/** Give `file` a value made on first use (and kept from then on). */
function lazyValue(file: VFile, make: () => string): void {
  const keep = (value: VFile['value']) => {
    Object.defineProperty(file, 'value', {value, writable: true, enumerable: true, configurable: true})
    return value
  }
  Object.defineProperty(file, 'value', {
    enumerable: true,
    configurable: true,
    get: () => keep(make()),
    set: keep
  })
}

/** What the memo keeps of a post just parsed. */
export function postRecord({file, post, facts}: ParsedPost): PostRecord {
  const {file: _file, tree: _tree, cover: _cover, ...fields} = post ?? ({} as Post)
  return {
    value: typeof file.value === 'string' ? file.value : undefined,
    data: {bytes: file.data.bytes, encodingFixes: file.data.encodingFixes},
    messages: storeMessages(file),
    ...(post ? {post: fields} : {}),
    links: facts?.links ?? [],
    ids: facts?.ids ?? [],
    hasMath: facts?.hasMath ?? false,
    firstParagraph: facts?.firstParagraph,
    card: facts?.card ?? ''
  }
}

/** Read (unless `bytes` are given), decode, parse and validate one post. */
export async function parsePost(
  config: ResolvedConfig,
  sourcePath: string,
  parser: Parser,
  bytes: Uint8Array | undefined,
  key: string
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
    const first = tree.children.find((node) => node.type === 'paragraph')
    const facts: PostFacts = {
      key,
      urls: [],
      firstParagraph: first ? toString(first) : undefined,
      card: cardDigest(post),
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

/** Parse a memoised post again, exactly as its first parse left it (heading ids); messages are not repeated. */
function reparse(post: Post, parser: Parser, config: ResolvedConfig): Root {
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

/**
 * A site's posts as a build loads them: each source read and keyed once
 * (its bytes, its path, the config its parse depends on and this
 * letterpress); a post whose key the memo has is taken back from it without
 * parsing (its tree parsed again only if something asks for it), the rest
 * are parsed (in worker threads when a pool runs) and filed in the memo for
 * the next build. `loadSite` does the same with the posts either way.
 */
import type {Root} from 'mdast'
import {readFileSync, statSync, type Stats} from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import {VFile} from 'vfile'
import type {ResolvedConfig} from '../source/config.js'
import {decodePost} from '../source/encoding.js'
import type {Parser} from '../source/parse.js'
import {applyLinkUrls, type LinkSite, type Post} from '../source/post.js'
import {loadSite, parsePost, reparse, type ParsedPost, type PostFacts, type PostLoader, type Site} from '../source/site.js'
import {cardDigest} from '../render/excerpt.js'
import {memoKey, restoreMessages, storeMessages, type Memo, type StoredMessage} from './memo.js'
import {step} from './instrument.js'
import {fileHash, pipelineVersion} from './warm.js'

/** A post to parse elsewhere (a worker): its path, its bytes as read here, and its memo key. */
export interface LoadJob {
  sourcePath: string
  bytes: Uint8Array
  key: string
}

/** A post parsed elsewhere (a worker): its record and serialized tree, as the memo keeps them. */
export interface LoadedPost {
  record: PostRecord
  tree: Uint8Array | undefined
}

/** A post as the memo keeps it: everything but its tree and file. */
export interface PostRecord {
  /** The decoded text; `true` in the memo, which reads it from the source again when asked (see `memoizePost`). */
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

/** Options for `loadMemoizedSite`. */
export interface MemoizedLoadOptions {
  /** Reuse a parser across runs (dev server). */
  parser?: Parser | undefined
  /** Take unchanged posts from here, and keep new ones in it; without a memo every post is parsed. */
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
  /** Called as each post is read (from the memo or parsed): how many are done of how many. */
  onPost?: ((done: number, total: number) => void) | undefined
  /**
   * The content hash of each source as the build's input fingerprint read
   * it (see `fileHash`), by absolute path: a post the memo has is then
   * keyed without being read again.
   */
  hashes?: ReadonlyMap<string, string> | undefined
  /** Called for a source whose bytes, read to be parsed, are not what `hashes` says: it changed since it was hashed. */
  onMoved?: ((sourcePath: string) => void) | undefined
}

/** Load and validate a whole site (`loadSite`), its posts through the memo when there is one. */
export function loadMemoizedSite(config: ResolvedConfig, options: MemoizedLoadOptions = {}): Promise<Site> {
  const {memo, parser} = options
  return loadSite(config, {parser, posts: memo ? memoizedPosts(config, memo, options) : undefined, onPost: options.onPost})
}

/** The posts of a site through `memo`: every source read and keyed, then each taken from the memo or parsed. */
function memoizedPosts(config: ResolvedConfig, memo: Memo, options: MemoizedLoadOptions): PostLoader {
  return async (sourcePaths, parser, onPost) => {
    const version = pipelineVersion()
    // Each source is read and keyed once, here; the memo has most of them already.
    const reads = new Map<string, SourceRead>()
    for (const sourcePath of sourcePaths) {
      const hash = options.hashes?.get(path.join(config.root, sourcePath))
      const read = options.sources ? options.sources.read(config, sourcePath, version) : hash ? {hash, key: postKey(config, sourcePath, hash, version)} : readSource(config, sourcePath, version)
      if (read) reads.set(sourcePath, read)
    }
    step('sources keyed')
    const bytesOf = (sourcePath: string, read: SourceRead) => {
      const whole = withBytes(config, sourcePath, version, read)
      if (whole && whole.hash !== read.hash) options.onMoved?.(sourcePath)
      return whole
    }
    if (options.prefill) await prefillMemo(memo, reads, bytesOf, options.prefill)
    const parsed: ParsedPost[] = []
    for (const sourcePath of sourcePaths) {
      parsed.push(await readPost(config, sourcePath, parser, memo, reads.get(sourcePath), bytesOf))
      reads.delete(sourcePath)
      onPost?.(parsed.length, sourcePaths.length)
    }
    step('posts from the memo or parsed')
    return parsed
  }
}

/** Have `prefill` parse the posts the memo lacks, and file what it gives back under each one's key. */
async function prefillMemo(
  memo: Memo,
  reads: Map<string, SourceRead>,
  bytesOf: BytesOf,
  prefill: NonNullable<MemoizedLoadOptions['prefill']>
): Promise<void> {
  const jobs: LoadJob[] = []
  for (const [sourcePath, read] of reads) {
    if (memo.has('post', read.key)) continue
    const whole = bytesOf(sourcePath, read)
    if (!whole) continue
    reads.set(sourcePath, whole)
    jobs.push({sourcePath, bytes: whole.bytes, key: whole.key})
  }
  // What the prefill leaves out (a pool that failed) is parsed afterwards, as without one.
  if (jobs.length === 0) return
  await prefill(jobs, (sourcePath, loaded) => {
    const key = reads.get(sourcePath)?.key
    if (key === undefined) return
    memoizePost(memo, key, loaded.record, loaded.tree)
  })
}

/** A source's memo key and content hash, and its bytes once read (a post the memo has is not read). */
export interface SourceRead {
  bytes?: Uint8Array | undefined
  hash: string
  key: string
}

/** `withBytes` for one load (which hears of a source that changed since it was hashed). */
type BytesOf = (sourcePath: string, read: SourceRead) => (SourceRead & {bytes: Uint8Array}) | undefined

/**
 * `read` with its bytes, read now if need be; keyed again when they are not
 * what its hash says (the file changed since it was hashed): a post is
 * always kept under the key of the bytes it was parsed from. `undefined`
 * when the file cannot be read (`loadPost` says why).
 */
function withBytes(config: ResolvedConfig, sourcePath: string, version: string, read: SourceRead): (SourceRead & {bytes: Uint8Array}) | undefined {
  if (read.bytes) return read as SourceRead & {bytes: Uint8Array}
  const fresh = readSource(config, sourcePath, version)
  if (!fresh) return undefined
  return fresh.hash === read.hash ? {...read, bytes: fresh.bytes} : fresh
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
function readSource(config: ResolvedConfig, sourcePath: string, version: string): (SourceRead & {bytes: Uint8Array}) | undefined {
  try {
    // Small files, one after another: a synchronous read costs less than a trip through the thread pool.
    const bytes = readFileSync(path.join(config.root, sourcePath))
    const hash = fileHash(bytes)
    return {bytes, hash, key: postKey(config, sourcePath, hash, version)}
  } catch {
    return undefined
  }
}

/** The memo key of a post: its path and content hash (`fileHash`), the config its parse depends on, and letterpress. */
export function postKey(config: ResolvedConfig, sourcePath: string, hash: string, version: string): string {
  return memoKey('post', version, config.permalink, config.drafts, JSON.stringify(config.frontmatter.rename), sourcePath, hash)
}

/**
 * Read (unless `bytes` are given), decode, parse and validate one post
 * (`parsePost`), with what the memo keeps of it besides: its key, and the
 * digest of what an issue shows of it as a card (`cardDigest`), made from
 * its tree as parsed, before its links are resolved. The digest lets an
 * issue whose cards show the same as before be reused although a post's
 * bytes changed further down.
 */
export async function parseForMemo(
  config: ResolvedConfig,
  sourcePath: string,
  parser: Parser,
  bytes: Uint8Array | undefined,
  key: string
): Promise<ParsedPost> {
  const parsed = await parsePost(config, sourcePath, parser, bytes)
  if (parsed.post) {
    parsed.facts.key = key
    parsed.facts.card = cardDigest(parsed.post)
  }
  return parsed
}

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
  memo: Memo,
  read: SourceRead | undefined,
  bytesOf: BytesOf
): Promise<ParsedPost> {
  const record = read ? memo.get<PostRecord>('post', read.key) : undefined
  if (record) return restorePost(config, sourcePath, read!.key, record, parser, memo)
  const whole = read && bytesOf(sourcePath, read)
  const parsed = await parseForMemo(config, sourcePath, parser, whole?.bytes, whole?.key ?? '')
  if (whole) memoizePost(memo, whole.key, postRecord(parsed), postTree(parsed))
  return parsed
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

/**
 * Keep a post in the memo under its key: the record every build reads
 * (bucket `post`), and apart from it the tree, which only an issue showing
 * the post needs (bucket `tree`). Its text is not kept: it is the source
 * itself, read again only if the post must be parsed again.
 */
export function memoizePost(memo: Memo, key: string, record: PostRecord, tree: Uint8Array | undefined): void {
  memo.set('post', key, typeof record.value === 'string' ? {...record, value: true} : record)
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
  const file = restoreFile(config, sourcePath, record)
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
  lazyTree(post, facts, () => storedTree(memo, key) ?? reparse(post, parser, config))
  return {file, post, facts}
}

/** A post's file from its memo record: its data and messages, its text read again from the source only when asked for. */
function restoreFile(config: ResolvedConfig, sourcePath: string, record: PostRecord): VFile {
  const file = new VFile({cwd: config.root, path: sourcePath})
  // Only parsing again reads the text: a big site's posts would otherwise hold every source in memory for the
  // whole build.
  if (record.value === true) lazyValue(file, () => sourceText(config, sourcePath))
  else if (record.value !== undefined) file.value = record.value
  Object.assign(file.data, record.data)
  restoreMessages(file, record.messages)
  return file
}

/** A post's tree as the memo keeps it (`postTree`), or `undefined` when it is missing or damaged. */
function storedTree(memo: Memo | undefined, key: string): Root | undefined {
  const stored = memo?.get<Uint8Array>('tree', key)
  let tree: Root | undefined
  try {
    tree = stored ? (v8.deserialize(stored) as Root) : undefined
  } catch {
    // A damaged entry: parse again.
  }
  return tree?.type === 'root' ? tree : undefined
}

/** Give `post` a tree made on first use (`make`), its links as this build resolved them (`facts.urls`). */
function lazyTree(post: Post, facts: PostFacts, make: () => Root): void {
  Object.defineProperty(post, 'tree', {
    enumerable: true,
    configurable: true,
    get() {
      if (!facts.tree) {
        facts.tree = make()
        applyLinkUrls(facts.tree, facts.urls)
      }
      return facts.tree
    },
    set(tree: Root) {
      facts.tree = tree
    }
  })
}

/** A source's text, read again (the memo keeps the bytes' key, not the text). */
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

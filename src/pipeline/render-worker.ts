/**
 * A render worker (a `worker_threads` thread, see pool.ts). It does the
 * per-post work of a cold build for the posts it is given: parse them
 * (returning what the memo keeps of each), render them for the web once
 * the main thread has resolved their links, and build the issues of the
 * months they belong to. It keeps its posts' trees between those steps, so
 * each post is parsed once, and answers only with plain data: the main
 * thread files the answers in the memo and goes on as if it had found them
 * there.
 */
import type {Root} from 'mdast'
import v8 from 'node:v8'
import zlib from 'node:zlib'
import {isMainThread, parentPort, workerData} from 'node:worker_threads'
import {absoluteFor} from '../source/urls.js'
import {renderWebPost} from './render-posts.js'
import {createIssueContext, type IssueContext, type IssuePlan} from '../email/issue.js'
import {buildMemoizedIssue, memoizedMjml} from './issues.js'
import {createDiskMemo, createMemoryMemo, type Memo} from './memo.js'
import {createParser, type Parser} from '../source/parse.js'
import type {IssueJob, RenderJob, WorkerReply, WorkerRequest} from './pool.js'
import type {Post} from '../source/post.js'
import {applyLinkUrls} from '../source/post.js'
import {createWebRenderer, type WebRenderer} from '../web/render.js'
import {parsePost, type PostFacts, type Site} from '../source/site.js'
import {parseForMemo, postRecord, postTree, restorePost, type PostRecord} from './posts.js'
import {fieldsRead, watchedContext, type PageJob, type RenderedPage} from './pages.js'
import {stringsOf, type ResolvedConfig} from '../source/config.js'
import {webTemplateDirs} from '../web/site-views.js'
import {createTemplates, type Templates} from '../web/templates.js'
import type {PostView} from '../web/views.js'
import {createSearchIndexer} from '../web/search.js'

let config: ResolvedConfig | undefined
/** The worker's parser, made with its first job (this module is also part of the main thread's bundle, which parses nothing here). */
let parser: Parser | undefined
const parserOf = (): Parser => (parser ??= createParser())
/**
 * The posts this worker parsed. Their trees are kept serialized (a tenth
 * of the memory of a live tree) and taken back for each job, so a worker's
 * memory does not grow with every post of a big site.
 */
const posts = new Map<string, {post: Post; facts: PostFacts; tree: Uint8Array}>()
/**
 * A big site's build without the memo's packs to take posts back from:
 * held trees are deflated too (a fifth of their serialized size again, for
 * a few percent of the parse's time), so its workers hold a few hundred MB,
 * not gigabytes.
 */
let compact = false
const packTree = (serialized: Uint8Array): Uint8Array => (compact ? zlib.deflateSync(serialized, {level: 1}) : serialized)
const unpackTree = (held: Uint8Array): Uint8Array => (compact ? zlib.inflateSync(held) : held)
/**
 * Posts rendered here whose issue this worker builds next (`RenderJob.keep`),
 * live as the render left them: the issue takes each once, and none is kept
 * for a big site's build (whose workers keep as little as they can).
 */
const live = new Map<string, {post: Post; facts: PostFacts}>()
let renderer: Promise<WebRenderer> | undefined
/** The issue context's memo: whichever memo the current `issues` request collects into. */
const made: Memo & {to: Memo} = {
  to: createMemoryMemo(),
  has: (bucket, key) => made.to.has(bucket, key),
  get: <T>(bucket: string, key: string) => made.to.get<T>(bucket, key),
  set: (bucket, key, value) => made.to.set(bucket, key, value),
  replace: (bucket, key, value) => made.to.replace(bucket, key, value),
  keep: (bucket, key) => made.to.keep(bucket, key),
  commit: (options) => made.to.commit(options)
}
let issueContext: Promise<IssueContext> | undefined
let templates: Templates | undefined
/** The search index being made here, a batch of documents at a time (`RenderPool.searchIndexer`). */
let indexing: ReturnType<typeof createSearchIndexer> | undefined

function site(): Site {
  return {config: config!, all: [], published: [], scheduled: [], files: [], assets: [], references: new Map(), facts: new Map()}
}

/** The build's memo on disk, read only: where a stateless worker takes its posts back from. */
let stored: Memo | undefined

/**
 * Whether posts parsed here are held for the later jobs: not on a big site
 * whose posts go to the memo's packs as they are parsed (then every job
 * takes its posts back from there).
 */
let holding = true

/** Keep a post parsed here, its tree serialized as it was parsed (links as written); not when the memo on disk has it. */
function hold(post: Post, facts: PostFacts, tree: Uint8Array | undefined): void {
  if (stored || !holding) return
  const {tree: _tree, ...rest} = facts
  posts.set(post.sourcePath, {post, facts: rest, tree: packTree(tree ?? v8.serialize(post.tree))})
}

/** A post from the memo on disk, by its key: its fields, and its tree as parsed. */
function fromMemo(sourcePath: string, key: string): {post: Post; facts: PostFacts; tree: Uint8Array} | undefined {
  const record = key ? stored?.get<PostRecord>('post', key) : undefined
  const tree = record ? stored!.get<Uint8Array>('tree', key) : undefined
  if (!record || !(tree instanceof Uint8Array)) return undefined
  const restored = restorePost(config!, sourcePath, key, record, parserOf(), stored)
  if (!restored.post || !record.post) return undefined
  // The record's fields without the restored post's tree getter (which would parse again): the tree is given here.
  return {post: {...record.post, file: restored.file} as Post, facts: restored.facts, tree}
}

/**
 * A post with a live tree for one job, its links resolved as the main
 * thread says; parsed here if it was not given to this worker to load.
 * Messages go to the one file the post keeps.
 */
async function local(sourcePath: string, key: string, urls: ReadonlyArray<string | undefined>): Promise<{post: Post; facts: PostFacts}> {
  const own = posts.get(sourcePath)
  let held = own ? {...own, tree: unpackTree(own.tree)} : fromMemo(sourcePath, key)
  if (!held) {
    const parsed = await parsePost(config!, sourcePath, parserOf())
    if (!parsed.post) throw new Error(`${sourcePath} no longer parses`)
    const {tree: _tree, ...facts} = parsed.facts
    held = {post: parsed.post, facts, tree: v8.serialize(parsed.post.tree)}
    hold(parsed.post, parsed.facts, held.tree)
  }
  const tree = v8.deserialize(held.tree) as Root
  applyLinkUrls(tree, urls)
  return {post: {...held.post, tree}, facts: {...held.facts, tree}}
}

async function render(jobs: RenderJob[]) {
  const web = await (renderer ??= createWebRenderer(config!))
  const absolute = absoluteFor(config!)
  const done = []
  for (const job of jobs) {
    const {post, facts} = await local(job.sourcePath, job.key, job.urls)
    // Search's text of the body, made here from the body's tree rather than from its HTML again on the main thread.
    const {searchText, ...rendered} = await renderWebPost(post, facts, web, absolute, job.inFeed, {searchText: job.searchText})
    done.push([job.sourcePath, rendered, searchText] as const)
    if (job.keep && holding && !compact) live.set(job.sourcePath, {post, facts})
  }
  return done
}

async function issues(jobs: IssueJob[]) {
  const web = await (renderer ??= createWebRenderer(config!))
  const context = await (issueContext ??= createIssueContext(site(), {highlight: web.highlight, mjmlCache: memoizedMjml(made)}))
  const done = []
  // The email parts, MJML and lint findings made here, for the main thread's memo (parts under the keys it gave).
  const parts = createMemoryMemo()
  made.to = parts
  for (const job of jobs) {
    const partKeys = new Map(job.posts.map((entry) => [entry.sourcePath, entry.partKey]))
    const byPath = new Map<string, Post>()
    for (const entry of job.posts) {
      const kept = live.get(entry.sourcePath)
      live.delete(entry.sourcePath)
      const {post} = kept ?? (await local(entry.sourcePath, entry.key, entry.urls))
      if (entry.cover) post.cover = entry.cover
      else delete post.cover
      byPath.set(entry.sourcePath, post)
    }
    const leads = job.leads.map((sourcePath) => byPath.get(sourcePath)!)
    const cards = job.cards.map((sourcePath) => byPath.get(sourcePath)!)
    const plan: IssuePlan = {
      month: job.month,
      number: job.number,
      posts: [...leads, ...cards],
      leads,
      cards,
      note: job.note ? context.notes.get(job.month) : undefined,
      subject: job.subject,
      preheader: job.preheader,
      date: new Date(job.date)
    }
    done.push([job.month, await buildMemoizedIssue(site(), plan, context, {memo: parts, keyOf: (post) => partKeys.get(post.sourcePath)})] as const)
  }
  const entries = ['part', 'mjml', 'lint'].flatMap((bucket) => parts.entries(bucket).map(([key, value]) => [bucket, key, value] as const))
  return {issues: done, entries}
}

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'init':
      config = request.config
      compact = request.compact
      holding = request.hold
      return {type: 'ok'}
    case 'stored':
      // Every post this worker parsed is in the memo's packs now: taken back from there by key, held no more.
      stored = createDiskMemo(request.memoFolder, {readOnly: true})
      posts.clear()
      live.clear()
      return {type: 'ok'}
    case 'load': {
      const records = []
      for (const item of request.items) {
        const parsed = await parseForMemo(config!, item.sourcePath, parserOf(), item.bytes, item.key)
        const tree = postTree(parsed)
        if (parsed.post) hold(parsed.post, parsed.facts, tree)
        records.push([item.sourcePath, {record: postRecord(parsed), tree}] as const)
      }
      return {type: 'load', records}
    }
    case 'render':
      return {type: 'render', rendered: await render(request.items)}
    case 'issues':
      return {type: 'issues', ...(await issues(request.items))}
    case 'index':
      indexing ??= createSearchIndexer(request.groups)
      for (const document of request.documents) indexing.add(document)
      return {type: 'ok'}
    case 'index-json': {
      const json = (indexing ?? createSearchIndexer(request.groups)).json()
      indexing = undefined
      return {type: 'index-json', json}
    }
    case 'pages':
      // The posts held for their renders and issues are done with by now: let them go.
      posts.clear()
      live.clear()
      issueContext = undefined
      return {type: 'pages', pages: await pages(request.views, request.pages)}
  }
}

/** Render pages as the main thread would (see `PageEmitter`), with which fields of the views in `views` each read. */
async function pages(views: PostView[], jobs: PageJob[]): Promise<RenderedPage[]> {
  const web = (templates ??= createTemplates({dirs: webTemplateDirs(config!), strings: stringsOf(config!)}))
  const viewSet = new Set<object>(views)
  const done: RenderedPage[] = []
  for (const job of jobs) {
    const read = new Set<string>()
    const html = await web.render(job.template, watchedContext(job.context, viewSet, read))
    done.push([html, fieldsRead(read)])
  }
  return done
}

/**
 * Answer the pool's requests on this thread. A worker runs it from the
 * start-up bundle (see pool.ts), or as this module when it is started as
 * its own entry (`workerData.renderWorker === 'module'`).
 */
export function serveRenderWorker(): void {
  // One request at a time, answered in the order they came: the pool matches answers to requests by that order.
  let previous: Promise<void> = Promise.resolve()
  parentPort!.on('message', (request: WorkerRequest) => {
    previous = previous.then(() =>
      answer(request).then(
        (reply) => parentPort!.postMessage(reply),
        (error: unknown) =>
          parentPort!.postMessage({type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error)})
      )
    )
  })
}

if (!isMainThread && (workerData as {renderWorker?: unknown} | null)?.renderWorker === 'module') serveRenderWorker()

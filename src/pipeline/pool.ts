/**
 * The render pool of a cold build: worker threads (render-worker.ts) that
 * parse posts, render them for the web and build issues in parallel, so a
 * build uses every core. The pool is only a faster way to fill the memo:
 * the main thread asks it for the entries it is missing, files the answers
 * under the same keys it would have used itself, and renders everything
 * else exactly as without it. Each post is parsed by one worker, which
 * keeps its tree for the later steps; posts are handed out by month, so a
 * month's issue finds its posts in one worker.
 *
 * Any failure of the pool (a worker that cannot start, or dies) only costs
 * time: the main thread then renders what is missing itself.
 */
import os from 'node:os'
import {Worker} from 'node:worker_threads'
import type {RenderedPost} from './render-posts.js'
import type {ResolvedConfig} from '../source/config.js'
import type {MemoizedIssue} from './issues.js'
import type {CoverReference} from '../source/post.js'
import type {LoadedPost, LoadJob} from './posts.js'
import type {PageJob, RenderedPage} from './pages.js'
import type {PostView} from '../web/views.js'
import type {SearchDocument} from '../web/search.js'

/** A post to render, with its links as the main thread resolved them. */
export interface RenderJob {
  sourcePath: string
  /** The post's memo key. */
  key: string
  urls: Array<string | undefined>
  inFeed: boolean
  /** Whether search finds the post: then its text for search is made too. */
  searchText: boolean
  /** The worker builds an issue showing the post next: it keeps the post's live tree for it. */
  keep?: boolean
}

/** An issue to build, as the main thread planned it. */
export interface IssueJob {
  month: string
  number: number
  leads: string[]
  cards: string[]
  note: boolean
  subject: string
  preheader: string
  /** ISO date. */
  date: string
  posts: Array<{
    sourcePath: string
    /** The post's memo key. */
    key: string
    urls: Array<string | undefined>
    cover: CoverReference | undefined
    partKey: string | undefined
  }>
}

/** Posts per load or render request. */
const loadBatch = 50
/** Issues per request. */
const issueBatch = 1
/** Search documents per request (some 8 KB of text each), and how many such requests may wait on a worker at once. */
const indexBatch = 64
const indexBatchesOut = 8

/** What the main thread asks a worker. */
export type WorkerRequest =
  /**
   * With `hold`, a worker holds the posts it parses (serialized; deflated
   * too when `compact`) for the later jobs, until `stored` tells it to take
   * each back from the memo on disk by its key instead; without, it holds
   * none (a big site whose posts go to the memo's packs as they are parsed).
   */
  | {type: 'init'; config: ResolvedConfig; compact: boolean; hold: boolean}
  | {type: 'load'; items: LoadJob[]}
  | {type: 'render'; items: RenderJob[]}
  | {type: 'issues'; items: IssueJob[]}
  | {type: 'stored'; memoFolder: string}
  /** Pages to render: their templates and contexts, with every post view they show (see `PageRenderers`). */
  | {type: 'pages'; views: PostView[]; pages: PageJob[]}
  /** A batch of documents for the search index this worker is making anew (one index at a time; see `RenderPool.searchIndexer`). */
  | {type: 'index'; documents: SearchDocument[]; groups: number}
  /** That index, done, as JSON: the worker lets it go. */
  | {type: 'index-json'; groups: number}

/** What a worker answers. */
export type WorkerReply =
  | {type: 'ok'}
  | {type: 'load'; records: ReadonlyArray<readonly [string, LoadedPost]>}
  | {type: 'render'; rendered: ReadonlyArray<readonly [string, RenderedPost, string | undefined]>}
  | {type: 'issues'; issues: ReadonlyArray<readonly [string, MemoizedIssue]>; entries: ReadonlyArray<readonly [string, string, unknown]>}
  | {type: 'pages'; pages: ReadonlyArray<RenderedPage>}
  | {type: 'index-json'; json: string}
  | {type: 'error'; message: string}

/**
 * The fewest posts to parse that workers are started for: below it,
 * threads cost more than they save (each loads the pipeline, the
 * highlighter and the templates for itself). With LETTERPRESS_WORKERS set,
 * any number of posts uses them. Read when a build starts.
 */
export function poolThreshold(): number {
  return process.env['LETTERPRESS_WORKERS'] === undefined ? 240 : 1
}

/** A running pool. */
export interface RenderPool {
  /** Worker threads running. */
  size: number
  /** Parse posts, spread over the workers by month; each record is given to `accept` as it arrives. */
  load(jobs: LoadJob[], accept: (sourcePath: string, loaded: LoadedPost) => void): Promise<void>
  /**
   * Render posts, each in the worker that parsed it (any worker, with a memo
   * on disk); each given to `accept` as it arrives, with its text for search
   * (`renderedText` of its body) when its job asked for it.
   */
  render(jobs: RenderJob[], accept: (sourcePath: string, rendered: RenderedPost, searchText: string | undefined) => void): Promise<void>
  /**
   * Build issues, each in the worker that holds most of its posts; by
   * month, with the memo entries made for them (email parts, compiled MJML)
   * as [bucket, key, value].
   */
  issues(
    jobs: IssueJob[],
    accept: (issues: ReadonlyArray<readonly [string, MemoizedIssue]>, entries: ReadonlyArray<readonly [string, string, unknown]>) => void
  ): Promise<void>
  /**
   * `render` and `issues` at once. Each worker takes, issue by issue, the
   * renders of that issue's posts it parsed, then the issue (which reuses
   * the trees those renders took back), then the renders of posts in no
   * issue of its own; so no worker waits for the other between renders and
   * issues, and a post's tree is taken back once for both.
   */
  renderAndIssues(
    renders: RenderJob[],
    issues: IssueJob[],
    acceptRender: (sourcePath: string, rendered: RenderedPost, searchText: string | undefined) => void,
    acceptIssues: (issues: ReadonlyArray<readonly [string, MemoizedIssue]>, entries: ReadonlyArray<readonly [string, string, unknown]>) => void
  ): Promise<void>
  /**
   * From now on take posts back from the memo on disk in `folder` (which
   * holds every post parsed so far) instead of holding them: a big site's
   * workers then keep nothing between jobs.
   */
  readStored(folder: string): Promise<void>
  /**
   * Render pages on the least busy worker: each page's HTML and the fields
   * its templates read of the post views it shows. `views` holds every
   * post view the contexts show (the same objects), so the worker can tell
   * which objects are views.
   */
  pages(views: PostView[], pages: PageJob[]): Promise<ReadonlyArray<RenderedPage>>
  /**
   * A search index made anew on the least busy worker, its documents sent
   * in batches as they are added (a few batches out at a time), so neither
   * thread holds every text at once. It fails as the pool does.
   */
  searchIndexer(groups: number): {add(document: SearchDocument): Promise<void>; json(): Promise<string>}
  close(): Promise<void>
}

/**
 * How many workers a build gets: LETTERPRESS_WORKERS when set (0 turns
 * them off), else one per core up to 4 (none on one core).
 */
export function poolSize(): number {
  const wanted = process.env['LETTERPRESS_WORKERS']
  if (wanted !== undefined && /^\d+$/.test(wanted.trim())) return Math.min(Number(wanted), 16)
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length
  return cores > 1 ? Math.min(cores, 4) : 0
}

/**
 * Start `size` workers for a build of `config`, or `undefined` when they
 * cannot run here (running from TypeScript sources under a test runner, or
 * `size` 0).
 */
export async function openRenderPool(
  config: ResolvedConfig,
  size = poolSize(),
  /** Cap each worker's old generation (MB), so it collects before garbage piles up (a big site's build). */
  heapLimitMb?: number,
  /** A big site's build: workers keep the trees they hold deflated, and a modest young generation. */
  big = false,
  /** Whether workers hold the posts they parse for their later jobs (else they take them back from the memo's packs). */
  hold = true
): Promise<RenderPool | undefined> {
  const script = new URL('./render-worker.js', import.meta.url)
  if (size < 1 || !import.meta.url.endsWith('.js')) return undefined
  // A worker that runs out of its heap fails the pool, and the main thread does the rest.
  const bundle = startupBundle()
  const workers = Array.from(
    {length: size},
    () =>
      new Worker(bundle ? bundleWorker(bundle) : script, {
        ...(bundle ? {eval: true} : {workerData: {renderWorker: 'module'}}),
        // A post's parse and render make tens of MB of short-lived nodes: with a 48 MB young generation the
        // scavenges took a sixth of a worker's time at 1,000 posts (a tenth with 128 MB, for about 180 MB more
        // at peak). A big site's workers take 32 MB and a capped old generation: uncapped, V8 let each grow to
        // gigabytes at 10,000 posts; capped at 384 MB a 3,000-post build peaked at 1.0 GB instead of 1.4 GB,
        // for a tenth more time (16 MB of young generation took a fifth more time and saved nothing).
        resourceLimits: heapLimitMb ? {maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: heapLimitMb} : {maxYoungGenerationSizeMb: 128}
      })
  )
  const owner = new Map<string, number>()
  /** Whether the workers keep nothing between jobs (after `readStored`): then any worker can take any job. */
  let stateless = false

  /**
   * Each worker's requests awaiting an answer, oldest first: a worker
   * answers its requests in the order they came, and may be sent the next
   * before it has answered the last (pages are, so it never waits on the
   * main thread).
   */
  const waiting = workers.map(() => [] as Array<{resolve: (reply: WorkerReply) => void; reject: (error: Error) => void}>)
  workers.forEach((worker, index) => {
    const failAll = (error: Error) => {
      for (const pending of waiting[index]!.splice(0)) pending.reject(error)
    }
    worker.on('message', (reply: WorkerReply) => {
      const pending = waiting[index]!.shift()
      if (!pending) return
      if (reply.type === 'error') pending.reject(new Error(`render worker: ${reply.message}`))
      else pending.resolve(reply)
    })
    worker.on('error', failAll)
    worker.on('exit', (code) => failAll(new Error(`render worker stopped (exit ${code})`)))
  })
  /** The worker with the fewest requests waiting (for work any worker can do). */
  const leastBusy = () => waiting.reduce((best, queue, at) => (queue.length < waiting[best]!.length ? at : best), 0)
  const ask = (index: number, request: WorkerRequest): Promise<WorkerReply> =>
    new Promise((resolve, reject) => {
      waiting[index]!.push({resolve, reject})
      workers[index]!.postMessage(request)
    })

  try {
    await Promise.all(workers.map((_, index) => ask(index, {type: 'init', config, compact: big, hold})))
  } catch {
    await Promise.all(workers.map((worker) => worker.terminate()))
    return undefined
  }

  /** Split `jobs` into one list per worker; `prefer` picks a worker or leaves it to the balance. */
  const split = <T>(jobs: T[], weight: (job: T) => number, prefer: (job: T) => number | undefined): T[][] => {
    const lists: T[][] = workers.map(() => [])
    const loads = workers.map(() => 0)
    const free: T[] = []
    for (const job of jobs) {
      const index = prefer(job)
      if (index === undefined) free.push(job)
      else {
        lists[index]!.push(job)
        loads[index]! += weight(job)
      }
    }
    for (const job of free.sort((a, b) => weight(b) - weight(a))) {
      const index = loads.indexOf(Math.min(...loads))
      lists[index]!.push(job)
      loads[index]! += weight(job)
    }
    return lists
  }

  /**
   * Send each worker's list in batches, each answer handled as it comes, so
   * neither side holds every result at once. Workers that keep nothing
   * (since `readStored`) take batches from one queue, so none stands idle.
   */
  const dispatch = async <T>(lists: T[][], batch: number, send: (index: number, items: T[]) => Promise<void>) => {
    if (stateless) {
      const queue = lists.flat()
      let next = 0
      await Promise.all(
        workers.map(async (_, index) => {
          while (next < queue.length) {
            const items = queue.slice(next, next + batch)
            next += batch
            await send(index, items)
          }
        })
      )
      return
    }
    await Promise.all(
      lists.map(async (items, index) => {
        for (const list of batches(items, batch)) await send(index, list)
      })
    )
  }

  /** Issues split over the workers, each to the worker that parsed most of its posts. */
  const splitIssues = (jobs: IssueJob[]) =>
    split(
      jobs,
      (job) => job.posts.length,
      (job) => {
        const counts = workers.map(() => 0)
        for (const post of job.posts) {
          const index = owner.get(post.sourcePath)
          if (index !== undefined) counts[index]!++
        }
        const best = Math.max(...counts)
        return best === 0 ? undefined : counts.indexOf(best)
      }
    )

  const pool: RenderPool = {
    size,
    async load(jobs, accept) {
      // Whole months to one worker, the biggest months first, each to the next worker free: posts parse at
      // uneven speeds, and a split made up front left one worker idle while the other finished its share.
      // Workers that keep nothing (a big site's) have no use for whole months: they take batches, and end
      // together (at 10,000 posts a month of 400 posts kept one worker busy a second or two after the other).
      const months = new Map<string, LoadJob[]>()
      for (const job of hold ? jobs : []) {
        const month = monthOf(job.bytes) ?? `#${months.size % workers.length}`
        const list = months.get(month)
        if (list) list.push(job)
        else months.set(month, [job])
      }
      const queue = hold ? [...months.values()].sort((a, b) => b.length - a.length) : batches(jobs, loadBatch)
      let next = 0
      await Promise.all(
        workers.map(async (_, index) => {
          while (next < queue.length) {
            const group = queue[next++]!
            for (const items of batches(group, loadBatch)) {
              const reply = await ask(index, {type: 'load', items})
              if (reply.type !== 'load') continue
              for (const [sourcePath, loaded] of reply.records) {
                owner.set(sourcePath, index)
                accept(sourcePath, loaded)
              }
            }
          }
        })
      )
    },
    async render(jobs, accept) {
      const lists = split(jobs, () => 1, (job) => owner.get(job.sourcePath))
      await dispatch(lists, loadBatch, async (index, items) => {
        const reply = await ask(index, {type: 'render', items})
        if (reply.type === 'render') for (const [sourcePath, post, searchText] of reply.rendered) accept(sourcePath, post, searchText)
      })
    },
    async issues(jobs, accept) {
      await dispatch(splitIssues(jobs), issueBatch, async (index, items) => {
        const reply = await ask(index, {type: 'issues', items})
        if (reply.type === 'issues') accept(reply.issues, reply.entries)
      })
    },
    async renderAndIssues(renders, issues, acceptRender, acceptIssues) {
      if (stateless) {
        // Any worker takes any job: two queues side by side.
        await Promise.all([pool.render(renders, acceptRender), pool.issues(issues, acceptIssues)])
        return
      }
      const byPath = new Map(renders.map((job) => [job.sourcePath, job]))
      const sequences: WorkerRequest[][] = splitIssues(issues).map((list, index) =>
        list.flatMap((issue) => {
          // This issue's posts that this worker parsed (or nobody did), rendered just before it.
          const own: RenderJob[] = []
          for (const post of issue.posts) {
            const job = byPath.get(post.sourcePath)
            const parsedBy = owner.get(post.sourcePath)
            if (!job || (parsedBy !== undefined && parsedBy !== index)) continue
            byPath.delete(post.sourcePath)
            own.push({...job, keep: true})
          }
          return [...batches(own, loadBatch).map((items): WorkerRequest => ({type: 'render', items})), {type: 'issues', items: [issue]}]
        })
      )
      split([...byPath.values()], () => 1, (job) => owner.get(job.sourcePath)).forEach((rest, index) => {
        for (const items of batches(rest, loadBatch)) sequences[index]!.push({type: 'render', items})
      })
      const handle = (reply: WorkerReply) => {
        if (reply.type === 'render') for (const [sourcePath, post, searchText] of reply.rendered) acceptRender(sourcePath, post, searchText)
        else if (reply.type === 'issues') acceptIssues(reply.issues, reply.entries)
      }
      await Promise.all(
        sequences.map(async (sequence, index) => {
          // Two requests out at a time: the worker starts the next while the main thread files the answer before.
          const out: Array<Promise<void>> = []
          for (const request of sequence) {
            const answered = ask(index, request).then(handle)
            answered.catch(() => undefined)
            out.push(answered)
            if (out.length >= 2) await out.shift()
          }
          await Promise.all(out)
        })
      )
    },
    async pages(views, pages) {
      const reply = await ask(leastBusy(), {type: 'pages', views, pages})
      if (reply.type !== 'pages') throw new Error(`render worker: expected pages, got ${reply.type}`)
      return reply.pages
    },
    searchIndexer(groups) {
      const index = leastBusy()
      let batch: SearchDocument[] = []
      const sent: Array<Promise<WorkerReply>> = []
      const send = async () => {
        const documents = batch
        batch = []
        const reply = ask(index, {type: 'index', documents, groups})
        // Awaited in turn below; a failure meanwhile is not an unhandled rejection.
        reply.catch(() => undefined)
        sent.push(reply)
        while (sent.length > indexBatchesOut) await sent.shift()
      }
      return {
        async add(document) {
          batch.push(document)
          if (batch.length >= indexBatch) await send()
        },
        async json() {
          if (batch.length > 0) await send()
          while (sent.length > 0) await sent.shift()
          const reply = await ask(index, {type: 'index-json', groups})
          if (reply.type !== 'index-json') throw new Error(`render worker: expected a search index, got ${reply.type}`)
          return reply.json
        }
      }
    },
    async readStored(folder) {
      await Promise.all(workers.map((_, index) => ask(index, {type: 'stored', memoFolder: folder})))
      stateless = true
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()))
    }
  }
  return pool
}

/** The start-up bundle this process runs from (bin/startup.js marks it), if it does. */
function startupBundle(): {file: string; startup: string} | undefined {
  const mark = (globalThis as Record<symbol, unknown>)[Symbol.for('letterpress.bundle')] as {file?: unknown; startup?: unknown} | undefined
  return typeof mark?.file === 'string' && typeof mark.startup === 'string' ? {file: mark.file, startup: mark.startup} : undefined
}

/**
 * A worker's script that loads the start-up bundle with its code cache, as
 * the main thread did, and serves the pool from it: some 750 modules
 * neither resolved, read nor compiled again in every worker.
 */
function bundleWorker(bundle: {file: string; startup: string}): string {
  return `import(${JSON.stringify(bundle.startup)}).then((startup) => startup.loadBundle(${JSON.stringify(bundle.file)}, 'worker').cli.serveRenderWorker())`
}

/** `items` in lists of at most `size`. */
function batches<T>(items: T[], size: number): T[][] {
  const lists: T[][] = []
  for (let at = 0; at < items.length; at += size) lists.push(items.slice(at, at + size))
  return lists
}

/**
 * The `YYYY-MM` a post's frontmatter dates it in, read roughly (only to
 * keep a month's posts in one worker; a wrong guess costs a parse, never a
 * wrong result).
 */
function monthOf(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 2048)).toString('latin1')
  return /^(?:date|created):\s*["']?(\d{4}-\d{2})/m.exec(head)?.[1]
}

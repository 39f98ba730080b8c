/**
 * `letterpress dev`: the site and every issue rendered in memory (drafts
 * on), served over node:http on 127.0.0.1, re-rendered when a source
 * changes, with open pages reloaded through Server-Sent Events. Content and
 * template errors never stop it: pages keep the last good render and show
 * the errors in an overlay until they are fixed.
 */
import fs from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {devClientScript, devClientVersion, devPrefix, injectDevClient} from './client.js'
import {contentType, isSubresource} from './content-type.js'
import {createDevBuild, hashOutput, shortHash, type DevSnapshot} from './dev-build.js'
import {emailPreviewPath, renderEmailIndex, renderEmailPreview} from './email-preview.js'
import {watchSite, type SiteWatcher} from './watch.js'
import {loadConfig} from '../source/config.js'
import {isSearchData} from '../web/search.js'
import {assetVersion} from '../web/theme.js'
import type {Diagnostic} from '../source/report.js'
import type {OutputContent} from '../pipeline/write.js'

/** Options for `startDevServer`. */
export interface DevServerOptions {
  /** Absolute ROOT (must exist). */
  root: string
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number
  /** Show posts dated after now (`--future`); else they wait for their date, as in `build`. */
  future?: boolean
  /** Called after every render attempt, good or not, with the paths that caused it. */
  onRebuild?: (snapshot: DevSnapshot, changedPaths: readonly string[]) => void
  /** A render that threw (a bug) or a watcher that broke; the server keeps going. */
  onError?: (error: Error) => void
  /** Quiet time after a change before rendering (default 15 ms). */
  debounceMs?: number
  /** Watch ROOT for changes (default true; without it, only `rebuild` renders). */
  watch?: boolean
  /**
   * After a saved post's page is sent early, how long the rest of the site
   * waits at most for the pages told to reload to load again (default
   * 500 ms): the browser's requests are answered at once, not between
   * renders.
   */
  reloadWaitMs?: number
}

/** A running dev server. */
export interface DevServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string
  /** The site's home page on this server (origin plus the site's base path). */
  url: string
  /** Settles after the first render. */
  ready: Promise<DevSnapshot>
  /** The current state. */
  snapshot(): DevSnapshot
  /**
   * Render again because `changedPaths` (relative to ROOT) changed; queued
   * behind a render in progress, and merged with other queued requests.
   */
  rebuild(changedPaths: readonly string[]): Promise<DevSnapshot>
  /** Stop watching, end every connection, close the port. */
  close(): Promise<void>
}

/** Why the server could not start (port taken, ...). */
export class DevServerError extends Error {}

/** Most messages the overlay lists of each severity; the terminal has them all. */
const overlayLimit = 50

type DevResponse =
  | {kind: 'body'; status: number; type: string; body: string | Uint8Array; page: boolean}
  | {kind: 'file'; status: number; type: string; file: string}
  | {kind: 'redirect'; status: number; location: string}

interface EventClient {
  response: http.ServerResponse
  path: string
  hash: string
}

/**
 * Start serving ROOT. Resolves once the port is open (the first render
 * runs in the background; requests wait for it).
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const clients = new Set<EventClient>()
  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.onError?.(error as Error)
      if (!response.headersSent) response.writeHead(500, {'Content-Type': 'text/plain; charset=utf-8'})
      response.end('letterpress dev: internal error\n')
    })
  })
  // Event streams stay open; nothing else should keep a socket around.
  server.keepAliveTimeout = 2000

  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      reject(
        new DevServerError(
          error.code === 'EADDRINUSE'
            ? `port ${options.port} on 127.0.0.1 is in use; pass --port N (or --port 0 for any free port)`
            : `cannot listen on 127.0.0.1:${options.port}: ${error.message}`
        )
      )
    }
    server.once('error', failed)
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', failed)
      resolve()
    })
  })
  const {port} = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  // The posts' folder is known from the config (an MkDocs project's is its docs_dir).
  const contentFolder = options.watch === false ? undefined : (await loadConfig(options.root)).config.contentFolder
  const build = createDevBuild({
    root: options.root,
    origin,
    future: options.future ?? false,
    ...(options.onError ? {onCrash: options.onError} : {})
  })

  let building = false
  let closed = false
  let notifiedGeneration = 0
  let running: Promise<void> | undefined
  const queued = new Set<string>()
  let waiters: Array<(snapshot: DevSnapshot) => void> = []
  /** Pages told to reload by a saved post's early render, not yet connected again. */
  let reloading: {paths: string[]; finish: () => void} | undefined

  const rebuild = (changedPaths: readonly string[]): Promise<DevSnapshot> => {
    for (const changed of changedPaths) queued.add(changed)
    const done = new Promise<DevSnapshot>((resolve) => waiters.push(resolve))
    running ??= drain()
    return done
  }

  async function drain(): Promise<void> {
    while (waiters.length > 0) {
      const batch = waiters
      waiters = []
      const changed = [...queued].sort()
      queued.clear()
      building = true
      broadcastState()
      let snapshot: DevSnapshot
      try {
        snapshot = await build.rebuild(changed, {
          // The saved post's page reaches the browser before the rest of the site is rendered again, which waits
          // until the pages told to reload have loaded (their script connects again), so they load at once.
          onFirstPages: (early) => (closed ? undefined : reloaded(notify(early)))
        })
      } catch (error) {
        options.onError?.(error as Error)
        snapshot = build.snapshot()
      }
      building = false
      if (!closed) {
        options.onRebuild?.(snapshot, changed)
        notify(snapshot)
      }
      for (const resolve of batch) resolve(snapshot)
    }
    running = undefined
  }

  const ready = rebuild([])
  let watcher: SiteWatcher | undefined =
    options.watch === false
      ? undefined
      : watchSite({
          root: options.root,
          ...(contentFolder ? {contentFolder} : {}),
          ...(options.debounceMs !== undefined ? {debounceMs: options.debounceMs} : {}),
          // A saved post's preview starts with the save's first event and runs while the quiet time passes.
          onStart: (paths) => {
            if (!running) build.anticipate(paths)
          },
          onChange: (paths) => void rebuild(paths),
          onError: (error) => options.onError?.(error)
        })

  const keepAlive = setInterval(() => {
    for (const client of clients) client.response.write(': keep-alive\n\n')
  }, 20_000)
  keepAlive.unref()

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, {Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8'})
      response.end('letterpress dev only answers GET and HEAD\n')
      return
    }
    // Only this machine's names: a page elsewhere that rebinds its own host name to 127.0.0.1
    // must not be able to read the drafts.
    const host = (request.headers.host ?? '').toLowerCase()
    if (!allowedHosts.has(host)) {
      response.writeHead(403, {'Content-Type': 'text/plain; charset=utf-8'})
      response.end(`letterpress dev answers ${origin} only\n`)
      return
    }
    const url = new URL(request.url ?? '/', origin)
    const pathname = decodePath(url.pathname)
    if (pathname === undefined) {
      response.writeHead(400, {'Content-Type': 'text/plain; charset=utf-8'})
      response.end('Bad request path\n')
      return
    }
    if (pathname === `${devPrefix}client.js`) {
      const lasting = url.searchParams.get('v') === devClientVersion
      send(request, response, {kind: 'body', status: 200, type: contentType('client.js'), body: devClientScript, page: false}, lasting)
      return
    }
    await ready
    if (pathname === `${devPrefix}events`) {
      openEvents(request, response, url)
      return
    }
    if (pathname === `${devPrefix}status`) {
      const snapshot = build.snapshot()
      const body = JSON.stringify({
        generation: snapshot.generation,
        building,
        failed: snapshot.failed,
        stats: snapshot.stats,
        diagnostics: snapshot.diagnostics
      }, null, 2)
      send(request, response, {kind: 'body', status: 200, type: contentType('status.json'), body, page: false})
      return
    }
    const resolved = resolve(pathname, build.snapshot())
    if (resolved.kind === 'redirect' && url.search) resolved.location += url.search
    const version = url.searchParams.get('v')
    if (resolved.kind === 'file' && version !== null) {
      // A file linked with the version of its bytes (the theme's) is kept by the browser for as long as they
      // are the same: a page that reloads then asks for nothing but itself.
      fs.readFile(resolved.file, (error, bytes) => {
        if (error || assetVersion(bytes) !== version) {
          send(request, response, resolved)
          return
        }
        response.writeHead(resolved.status, {...lastingHeaders, 'Content-Type': resolved.type, 'Content-Length': bytes.length})
        response.end(request.method === 'HEAD' ? undefined : bytes)
      })
      return
    }
    send(request, response, resolved)
  }

  function send(request: http.IncomingMessage, response: http.ServerResponse, resolved: DevResponse, lasting = false): void {
    const headers: http.OutgoingHttpHeaders = lasting ? {...lastingHeaders} : {'Cache-Control': 'no-store'}
    if (resolved.kind === 'redirect') {
      response.writeHead(resolved.status, {...headers, Location: resolved.location})
      response.end()
      return
    }
    headers['Content-Type'] = resolved.type
    if (resolved.kind === 'file') {
      fs.stat(resolved.file, (error, stat) => {
        if (error || !stat.isFile()) {
          send(request, response, notFound(build.snapshot()))
          return
        }
        response.writeHead(resolved.status, {...headers, 'Content-Length': stat.size})
        if (request.method === 'HEAD') response.end()
        else fs.createReadStream(resolved.file).on('error', () => response.destroy()).pipe(response)
      })
      return
    }
    const body = resolved.page
      ? injectDevClient(String(resolved.body), {hash: shortHash(resolved.body), basePath: build.snapshot().basePath})
      : resolved.body
    response.writeHead(resolved.status, {...headers, 'Content-Length': Buffer.byteLength(body)})
    response.end(request.method === 'HEAD' ? undefined : body)
  }

  function openEvents(request: http.IncomingMessage, response: http.ServerResponse, url: URL): void {
    const client: EventClient = {
      response,
      path: decodePath(url.searchParams.get('path') ?? '/') ?? '/',
      hash: url.searchParams.get('hash') ?? ''
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive'
    })
    response.write('retry: 1000\n\n')
    clients.add(client)
    request.on('close', () => clients.delete(client))
    if (reloading) {
      const at = reloading.paths.indexOf(client.path)
      if (at !== -1) reloading.paths.splice(at, 1)
      if (reloading.paths.length === 0) reloading.finish()
    }
    const snapshot = build.snapshot()
    event(client, 'state', stateOf(snapshot))
    // The page may be older than the render that finished while it loaded.
    if (snapshot.generation > 0 && pageHash(client.path, snapshot) !== client.hash) event(client, 'reload', {})
  }

  /** Settles once a page has connected again at each of `paths` (a reloaded page has loaded), or after `options.reloadWaitMs`. */
  function reloaded(paths: string[]): Promise<void> | undefined {
    if (paths.length === 0) return undefined
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        if (reloading?.finish === finish) reloading = undefined
        resolve()
      }
      const timer = setTimeout(finish, options.reloadWaitMs ?? 500)
      reloading = {paths, finish}
    })
  }

  function event(client: EventClient, name: string, data: unknown): void {
    client.response.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)
  }

  function broadcastState(): void {
    const state = stateOf(build.snapshot())
    for (const client of clients) event(client, 'state', state)
  }

  /**
   * After a render: reload the pages whose response changed (all of them
   * when a style, script or image did; not for the search index and texts,
   * which a page reads only when its search box is used). Returns the paths
   * of the pages told.
   */
  function notify(snapshot: DevSnapshot): string[] {
    const told: string[] = []
    const advanced = snapshot.generation !== notifiedGeneration
    notifiedGeneration = snapshot.generation
    const everyPage =
      advanced && [...snapshot.changedOutputs].some((name) => name.startsWith('site/') && isSubresource(name) && !isSearchData(name.slice('site/'.length)))
    const state = stateOf(snapshot)
    for (const client of clients) {
      event(client, 'state', state)
      if (!advanced) continue
      const hash = pageHash(client.path, snapshot)
      if (everyPage || hash !== client.hash) {
        client.hash = hash
        event(client, 'reload', {})
        told.push(client.path)
      }
    }
    return told
  }

  function stateOf(snapshot: DevSnapshot) {
    const errors: Diagnostic[] = snapshot.diagnostics.filter((item) => item.severity === 'error')
    const warnings = snapshot.diagnostics.filter((item) => item.severity === 'warning')
    return {
      generation: snapshot.generation,
      building,
      failed: snapshot.failed,
      errorCount: errors.length,
      warningCount: warnings.length,
      errors: errors.slice(0, overlayLimit),
      warnings: warnings.slice(0, overlayLimit),
      stats: snapshot.stats
    }
  }

  return {
    origin,
    get url() {
      return origin + build.snapshot().basePath
    },
    ready,
    snapshot: () => build.snapshot(),
    rebuild,
    async close() {
      closed = true
      reloading?.finish()
      watcher?.close()
      watcher = undefined
      clearInterval(keepAlive)
      for (const client of clients) client.response.end()
      clients.clear()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}

/** Decode a URL path; `undefined` when it is malformed or holds a NUL. */
function decodePath(raw: string): string | undefined {
  try {
    const decoded = decodeURIComponent(raw)
    return decoded.includes('\0') ? undefined : decoded
  } catch {
    return undefined
  }
}

/** What a path answers from a snapshot: a site file, an email preview page, a redirect or the 404 page. */
/** For what is asked for by the version of its bytes: the same URL never means other bytes. */
const lastingHeaders: http.OutgoingHttpHeaders = {'Cache-Control': 'public, max-age=31536000, immutable'}

function resolve(pathname: string, snapshot: DevSnapshot): DevResponse {
  if (pathname === devPrefix || pathname === devPrefix.slice(0, -1)) {
    return {kind: 'redirect', status: 302, location: emailPreviewPath}
  }
  if (pathname.startsWith(devPrefix)) return resolveDev(pathname, snapshot)
  if (snapshot.generation === 0) return waiting(snapshot)

  const base = snapshot.basePath
  if (!pathname.startsWith(base)) {
    if (pathname === '/' || pathname + '/' === base) return {kind: 'redirect', status: 302, location: base}
    return notFound(snapshot)
  }
  let relative = pathname.slice(base.length)
  if (relative === '' || relative.endsWith('/')) relative += 'index.html'
  const key = `site/${relative}`
  const content = snapshot.outputs.get(key)
  if (content !== undefined) return output(key, content, 200)
  if (snapshot.outputs.has(`${key}/index.html`)) return {kind: 'redirect', status: 301, location: `${pathname}/`}
  return notFound(snapshot)
}

function resolveDev(pathname: string, snapshot: DevSnapshot): DevResponse {
  const rest = pathname.slice(emailPreviewPath.length)
  if (!pathname.startsWith(emailPreviewPath)) return plainNotFound()
  if (rest === '') {
    return {kind: 'body', status: 200, type: contentType('page.html'), body: renderEmailIndex(snapshot), page: true}
  }
  const match = /^(\d{4}-\d{2})(\/(issue\.(?:html|txt|eml|mjml|json))?)?$/.exec(rest)
  if (!match) return plainNotFound()
  const [, month, slash, file] = match as unknown as [string, string, string | undefined, string | undefined]
  if (!slash) return {kind: 'redirect', status: 301, location: `${emailPreviewPath}${month}/`}
  if (file) {
    const content = snapshot.outputs.get(`email/${month}/${file}`)
    if (content === undefined) return plainNotFound()
    // The email itself goes out as built: no dev client in it.
    const resolved = output(`email/${month}/${file}`, content, 200)
    return resolved.kind === 'body' ? {...resolved, page: false} : resolved
  }
  const page = renderEmailPreview(snapshot, month)
  if (page === undefined) {
    if (snapshot.generation === 0) return waiting(snapshot)
    return {kind: 'body', status: 404, type: contentType('page.html'), body: renderEmailIndex(snapshot), page: true}
  }
  return {kind: 'body', status: 200, type: contentType('page.html'), body: page, page: true}
}

function output(key: string, content: OutputContent, status: number): DevResponse {
  const type = contentType(key)
  if (typeof content === 'object' && 'copyFrom' in content) return {kind: 'file', status, type, file: content.copyFrom}
  return {kind: 'body', status, type, body: content, page: type.startsWith('text/html')}
}

function notFound(snapshot: DevSnapshot): DevResponse {
  const page = snapshot.outputs.get('site/404.html')
  if (typeof page === 'string') return {kind: 'body', status: 404, type: contentType('page.html'), body: page, page: true}
  return {
    kind: 'body',
    status: 404,
    type: contentType('page.html'),
    body: '<!doctype html><html lang="en"><meta charset="utf-8"><title>Not found</title><body><h1>Not found</h1></body></html>',
    page: true
  }
}

function plainNotFound(): DevResponse {
  return {kind: 'body', status: 404, type: contentType('page.txt'), body: 'Not found\n', page: false}
}

/** Before the first good render: a page that shows the errors and reloads once the site renders. */
function waiting(snapshot: DevSnapshot): DevResponse {
  const body =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>letterpress dev: no good render yet</title>' +
    '<style>body{margin:0;display:grid;place-items:center;min-height:100vh;font:15px/1.5 system-ui,sans-serif;color:#1b2130;background:#f3f4f7}' +
    'main{max-width:34rem;padding:24px}h1{font-size:20px;margin:0 0 8px}p{margin:0;color:#5f6878}</style></head>' +
    '<body><main><h1>The site has not rendered yet</h1>' +
    `<p>${snapshot.stats.errors > 0 ? 'Fix the errors in the panel' : 'Wait a moment'}: this page reloads by itself once the site renders.</p>` +
    '</main></body></html>'
  return {kind: 'body', status: 503, type: contentType('page.html'), body, page: true}
}

/** The hash a page's client holds for `pathname`: of the response body before the client was added. */
function pageHash(pathname: string, snapshot: DevSnapshot): string {
  const resolved = resolve(pathname, snapshot)
  if (resolved.kind === 'redirect') return shortHash(`redirect ${resolved.location}`)
  if (resolved.kind === 'file') return hashOutput({copyFrom: resolved.file})
  return shortHash(resolved.body)
}

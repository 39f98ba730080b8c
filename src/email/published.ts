/**
 * Whether the site's own files an issue points at are on the web: the
 * pages, images and covers under `baseUrl` that its HTML links to or
 * shows (`publishedUrls`), each asked for over HTTP (`checkPublished`).
 * An issue sent before the site is deployed shows broken images and links
 * to pages that do not exist yet; `send` runs this before the first
 * message. Third-party links are not asked for: they are not the site's
 * to publish.
 */
import type {Element, Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {visit} from '../syntax/walk.js'

/** What became of one URL. */
export interface PublishedUrl {
  url: string
  /** The final HTTP status (after redirects), when the server answered. */
  status?: number
  /** Why there is no answer (`ENOTFOUND`, `ECONNREFUSED`, `no answer within 10000 ms`), when there is none. */
  error?: string
}

/** What `checkPublished` found. */
export interface PublishedCheck {
  /** How many URLs were asked for. */
  checked: number
  /** Answered with a status that is not 2xx (after redirects). */
  missing: PublishedUrl[]
  /** Not answered at all. */
  unreachable: PublishedUrl[]
}

/** Options for `checkPublished`. */
export interface PublishedCheckOptions {
  /** Limit for each request, in milliseconds (default 10000). */
  timeoutMs?: number | undefined
  /** Requests at a time (default 4). */
  concurrency?: number | undefined
}

const urlAttributes = ['href', 'src', 'background'] as const
const cssUrl = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/g

/**
 * The URLs under `baseUrl` that `html` links to or loads (`href`, `src`,
 * `background`, `srcset`, CSS `url()` in `style`), without their query and
 * fragment (a static host serves the same file whatever they are), each
 * once, in order of first appearance. URLs with a merge tag are left out:
 * they differ per recipient.
 */
export function publishedUrls(html: string, baseUrl: string): string[] {
  const base = new URL(baseUrl)
  const found = new Set<string>()
  const add = (value: string) => {
    if (/\{\{|%7B%7B/i.test(value)) return
    let url: URL
    try {
      url = new URL(value.trim(), base)
    } catch {
      return
    }
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return
    url.search = ''
    url.hash = ''
    found.add(url.href)
  }
  const tree: Root = fromHtml(html)
  visit(tree, 'element', (node: Element) => {
    for (const key of urlAttributes) {
      const value = node.properties[key]
      if (value !== undefined && value !== null) add(String(value))
    }
    const srcset = node.properties['srcSet']
    if (srcset !== undefined && srcset !== null) {
      for (const candidate of Array.isArray(srcset) ? srcset.map(String) : String(srcset).split(/,\s+/)) add(candidate.trim().split(/\s+/)[0] ?? '')
    }
    const style = node.properties['style']
    if (typeof style === 'string') for (const match of style.matchAll(cssUrl)) add(match[1] ?? match[2] ?? match[3] ?? '')
  })
  return [...found]
}

/**
 * Ask for each of `urls` with HEAD (GET when the server does not allow
 * HEAD), following redirects, a few at a time, each bounded in time.
 * Never rejects: every URL ends up answered (`status`) or not (`error`).
 */
export async function checkPublished(urls: readonly string[], options: PublishedCheckOptions = {}): Promise<PublishedCheck> {
  const timeoutMs = options.timeoutMs ?? 10_000
  const results: PublishedUrl[] = new Array(urls.length)
  let next = 0
  const worker = async () => {
    while (next < urls.length) {
      const index = next++
      results[index] = await askFor(urls[index]!, timeoutMs)
    }
  }
  await Promise.all(Array.from({length: Math.min(options.concurrency ?? 4, urls.length)}, worker))
  return {
    checked: urls.length,
    missing: results.filter((result) => result.status !== undefined && (result.status < 200 || result.status > 299)),
    unreachable: results.filter((result) => result.error !== undefined)
  }
}

async function askFor(url: string, timeoutMs: number): Promise<PublishedUrl> {
  try {
    let response = await request(url, 'HEAD', timeoutMs)
    // Some hosts answer HEAD with 405 Method Not Allowed (or 501) while serving GET.
    if (response.status === 405 || response.status === 501) response = await request(url, 'GET', timeoutMs)
    return {url, status: response.status}
  } catch (error) {
    return {url, error: networkReason(error, timeoutMs)}
  }
}

async function request(url: string, method: 'HEAD' | 'GET', timeoutMs: number): Promise<Response> {
  const response = await fetch(url, {method, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs), headers: {'user-agent': 'letterpress'}})
  // Only the status matters: do not download the body.
  await response.body?.cancel().catch(() => {})
  return response
}

/** A failed request in a few words: the system's error code, or the timeout. */
function networkReason(error: unknown, timeoutMs: number): string {
  const failure = error as {name?: string; message?: string; cause?: {code?: string; message?: string}}
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') return `no answer within ${timeoutMs} ms`
  return failure.cause?.code ?? failure.cause?.message ?? failure.message ?? String(error)
}

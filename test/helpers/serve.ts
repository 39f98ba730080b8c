/**
 * A built site served over HTTP on 127.0.0.1, for the browser tests.
 */
import fs from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {chromium, type Browser} from 'playwright-core'
import {chromiumArgs, chromiumPath} from './tools.js'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8'
}

/** A static server for `root` on 127.0.0.1 at a free port, as a static host serves a built site. */
export async function serveSite(root: string): Promise<{origin: string; close: () => Promise<void>}> {
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    let file = path.join(root, pathname)
    if (!file.startsWith(root)) file = path.join(root, '404.html')
    if (pathname.endsWith('/')) file = path.join(file, 'index.html')
    const found = fs.existsSync(file) && fs.statSync(file).isFile()
    const served = found ? file : path.join(root, '404.html')
    response.writeHead(found ? 200 : 404, {
      'content-type': types[path.extname(served)] ?? 'application/octet-stream',
      'cache-control': 'no-store'
    })
    fs.createReadStream(served).pipe(response)
  })
  // Bounded: a stuck request cannot keep the suite alive.
  server.requestTimeout = 10_000
  server.headersTimeout = 10_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** `root` served as `serveSite` does, and a Chromium to read it with; `close` stops both. */
export async function browseSite(root: string): Promise<{origin: string; browser: Browser; close: () => Promise<void>}> {
  const server = await serveSite(root)
  try {
    const browser = await chromium.launch({executablePath: chromiumPath, args: chromiumArgs, timeout: 30_000})
    return {
      origin: server.origin,
      browser,
      close: async () => {
        await browser.close()
        await server.close()
      }
    }
  } catch (error) {
    await server.close()
    throw error
  }
}

/**
 * Content types for what the dev server sends, by file extension. A static
 * host decides these from the name too, so the preview behaves the same.
 */
import path from 'node:path'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  // Feeds as XML so a browser shows them instead of downloading them.
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  // The MJML source and the .eml are for reading in the browser, not saving.
  '.mjml': 'text/plain; charset=utf-8',
  '.eml': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.bmp': 'image/bmp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.csv': 'text/csv; charset=utf-8',
  '.ipynb': 'application/json; charset=utf-8'
}

/** The `Content-Type` for a file name; `application/octet-stream` when unknown. */
export function contentType(name: string): string {
  return types[path.extname(name).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * Whether a file is something pages load (style, script, image, font,
 * media): when one changes, every open page reloads, since any page may
 * use it.
 */
export function isSubresource(name: string): boolean {
  const type = contentType(name)
  return (
    type.startsWith('text/css') ||
    type.startsWith('text/javascript') ||
    type.startsWith('image/') ||
    type.startsWith('font/') ||
    type.startsWith('audio/') ||
    type.startsWith('video/')
  )
}

/**
 * The URL policy (README, "Security"): which URLs may become a live link,
 * image or cover, on the web and in email alike, and which settings of
 * letterpress.yml may hold.
 *
 * Allowed: `http:`, `https:`, `mailto:` and `tel:` URLs, the chat schemes
 * GitHub's sanitizer allows in links (`irc:`, `ircs:`, `xmpp:`), and URLs
 * without a scheme (site paths, paths relative to the page, `#anchors`,
 * `//host/...`).
 * Every other scheme (`javascript:`, `vbscript:`, `data:`, `file:`, ...)
 * is unsafe: the renderers drop such a URL, and the stage that reads it
 * from a post or the config says so at its own line (`url-unsafe`).
 *
 * No dependency: this is the lowest stage, imported by the config, the
 * transform stage and both renderers.
 */

/** Schemes a URL may have; everything else is dropped. */
export const allowedUrlSchemes: readonly string[] = ['http', 'https', 'mailto', 'tel', 'irc', 'ircs', 'xmpp']

/** The hast properties that hold a URL (`srcSet`: a list of `URL width` candidates). */
export const urlProperties: readonly string[] = ['href', 'src', 'srcSet', 'action', 'formAction', 'poster', 'cite', 'background', 'xLinkHref']

/** The rule id of a message about an unsafe URL. */
export const unsafeUrlRule = 'url-unsafe'

/**
 * The scheme of `url`, lower-cased, as a browser reads it, or `undefined`
 * when it has none. Browsers ignore control characters and spaces around
 * and inside a scheme (`java\nscript:`), so this does too.
 */
export function urlScheme(url: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const squeezed = url.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '')
  return /^([a-z][a-z\d+.-]*):/i.exec(squeezed)?.[1]?.toLowerCase()
}

/**
 * Whether `url` may become a live link or image: an allowed scheme, or no
 * scheme at all. A leading backslash is refused too: browsers read `\\host`
 * as `//host`, so it is not the relative path it looks like.
 */
export function isAllowedUrl(url: string): boolean {
  const scheme = urlScheme(url)
  // eslint-disable-next-line no-control-regex
  if (scheme === undefined) return !url.replace(/^[\u0000-\u0020\u007f-\u009f]+/, '').startsWith('\\')
  return allowedUrlSchemes.includes(scheme)
}

/**
 * Why `url` (a scheme's URL, as written) is refused, for a message that
 * names `what` it is (`Cover`, `Link`, `Setting \`subscribeUrl\``), or
 * `undefined` when the policy allows it.
 */
export function unsafeUrlReason(url: string, what: string): string | undefined {
  if (isAllowedUrl(url)) return undefined
  const scheme = urlScheme(url)
  return (
    `${what} \`${shownUrl(url)}\` ` +
    (scheme ? `uses \`${scheme}:\`` : 'starts with a backslash') +
    `: only http, https, mailto, tel, irc, ircs and xmpp URLs and paths on the site may be links or images`
  )
}

/** `url` for a one-line message: control characters as escapes, at most 80 characters. */
function shownUrl(url: string): string {
  // eslint-disable-next-line no-control-regex
  const visible = url.replace(/[\u0000-\u001f\u007f-\u009f`]/g, (character) =>
    character === '`' ? "'" : '\\u' + character.charCodeAt(0).toString(16).padStart(4, '0')
  )
  return visible.length > 80 ? visible.slice(0, 79) + '…' : visible
}

/**
 * `url` parsed, when it is an absolute http(s) URL on the site: the host of
 * `baseUrl` (either scheme) and under its path; else `undefined`. What a
 * link to the site's own pages and the email's campaign parameters both
 * ask of a URL.
 */
export function onSite(url: string, baseUrl: string): URL | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined
  try {
    const parsed = new URL(url)
    const base = new URL(baseUrl)
    return parsed.host === base.host && parsed.pathname.startsWith(base.pathname) ? parsed : undefined
  } catch {
    return undefined
  }
}

/**
 * Why `text`, a path on this site that pages are written to (a permalink
 * pattern, an alias), could lead out of the site or to another host, or
 * reach a different file than the URL names; `undefined` when it is safe.
 * Refused: a broken %-escape, backslashes or control characters, encoded
 * dots, slashes, backslashes or NUL (the output is written as the path
 * reads, a web server decodes the request first), a scheme or `//host`,
 * and `.` or `..` segments.
 */
export function sitePathProblem(text: string): string | undefined {
  let decoded = text
  try {
    decoded = decodeURIComponent(text)
  } catch {
    return 'has a broken %-escape'
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F\\]/.test(decoded)) return 'must not contain backslashes or control characters'
  if (/%(?:2e|2f|5c|00)/i.test(text)) return 'must not contain encoded dots, slashes or backslashes (`%2e`, `%2f`, `%5c`)'
  if (/^[a-z][a-z\d+.-]*:/i.test(text) || text.startsWith('//')) return 'must be a path on this site, not an address on another host'
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) {
    return 'must not contain `.` or `..` segments: every URL must stay inside the site'
  }
  return undefined
}

/**
 * Site URLs from the config: a post's `url` is a path from the site's root
 * (`/posts/slug/`); on the page it sits under `baseUrl`'s path, and in feeds,
 * sitemaps, canonical links and emails it is absolute. Every stage turns
 * paths into URLs through these.
 */
import type {ResolvedConfig} from './config.js'

/** The path `baseUrl` puts the site under (`/` without one, or for a site at a host's root). */
export function basePathOf(config: Pick<ResolvedConfig, 'baseUrl'>): string {
  return config.baseUrl ? new URL(config.baseUrl).pathname : '/'
}

/** A site path (`/posts/slug/`) as the pages link it: under the base path. */
export function sitePathFor(config: Pick<ResolvedConfig, 'baseUrl'>): (url: string) => string {
  const basePath = basePathOf(config)
  return (url) => basePath + url.replace(/^\//, '')
}

/** A site path made absolute with the base URL (left as it is without one). */
export function absoluteFor(config: Pick<ResolvedConfig, 'baseUrl'>): (url: string) => string {
  return (url) => (config.baseUrl ? new URL(url.replace(/^\//, ''), config.baseUrl).href : url)
}

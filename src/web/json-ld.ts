/**
 * JSON-LD (schema.org) for a page's `<script type="application/ld+json">`:
 * a post as a BlogPosting, the home page as a WebSite.
 */
import type {ResolvedConfig} from '../source/config.js'
import type {Post} from '../source/post.js'
import type {PostView} from './views.js'

/** JSON-LD for a `<script>`: `<` escaped so no value can end the element. */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
}

/** A post as a BlogPosting. */
export function postJsonLd(post: Post, view: PostView, config: ResolvedConfig, absolute: (url: string) => string): string {
  return safeJson({
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: post.title,
    datePublished: view.datetime,
    ...(view.updated ? {dateModified: view.updated} : {}),
    ...(post.description ? {description: post.description} : {}),
    url: absolute(post.url),
    mainEntityOfPage: absolute(post.url),
    author: view.authors.map((name) => ({'@type': 'Person', name})),
    ...(post.tags.length > 0 ? {keywords: post.tags.join(', ')} : {}),
    publisher: {'@type': 'Organization', name: config.title}
  })
}

/** The site as a WebSite (on the home page). */
export function websiteJsonLd(config: ResolvedConfig, absolute: (url: string) => string): string {
  return safeJson({
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    name: config.title,
    ...(config.description ? {description: config.description} : {}),
    url: absolute('/')
  })
}

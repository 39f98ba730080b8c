/**
 * The site plan on its own: which pages the sample site publishes, what each
 * shows and in what order, worked out without rendering or writing a file.
 */
import {beforeAll, describe, expect, it} from 'vitest'
import {loadConfig} from '../src/source/config.js'
import type {Post} from '../src/source/post.js'
import {loadSite, type Site} from '../src/source/site.js'
import {planSite, type PlannedPage, type SiteFacts, type WebIssue} from '../src/web/plan.js'
import {createRelated} from '../src/web/related.js'
import {collectTerms, postViewMaker, siteViewOf} from '../src/web/site-views.js'
import type {PostView} from '../src/web/views.js'
import {projectRoot} from './helpers/site.js'

let site: Site
let facts: SiteFacts

beforeAll(async () => {
  const {config} = await loadConfig(projectRoot)
  site = await loadSite(config)
  const posts = site.published.filter((post) => !post.page)
  const sitePath = (url: string) => url
  const tags = collectTerms(posts, (post) => post.tags, sitePath, 'tags')
  const categories = collectTerms(posts, (post) => post.categories, sitePath, 'categories')
  const viewOf = postViewMaker(config, {tags, categories}, new Map())
  const views = new Map<Post, PostView>(site.published.map((post) => [post, viewOf(post, {excerptHtml: '<p>An excerpt.</p>', hasMore: true})]))
  facts = {
    config,
    published: site.published,
    views,
    siteView: siteViewOf(config, posts, site.published.filter((post) => post.page), false),
    tags,
    categories,
    issues: [],
    related: createRelated(posts),
    hasMath: (post) => post.slug.includes('drift')
  }
}, 60_000)

const paths = (pages: PlannedPage[]) => pages.map((page) => page.path)

describe('site plan', () => {
  it('should give every published post and page one page at its URL, posts first', () => {
    const pages = planSite(facts)
    const own = pages.filter((page) => page.kind === 'post')
    expect(own.map((page) => page.kind === 'post' && page.post)).toEqual(site.published)
    for (const page of own) expect('/' + page.path).toBe(page.kind === 'post' ? page.post.url + 'index.html' : '')
    expect(pages.slice(0, 1)[0]!.kind).toBe('post')
    expect(paths(pages).at(-1)).toBe('404.html')
  })

  it('should page the home page and each tag by postsPerPage', () => {
    const pages = paths(planSite(facts))
    const posts = site.published.filter((post) => !post.page)
    const homePages = Math.ceil(posts.length / facts.config.postsPerPage)
    expect(homePages).toBeGreaterThan(1)
    expect(pages).toContain('index.html')
    expect(pages).toContain(`page/${homePages}/index.html`)
    expect(pages).not.toContain(`page/${homePages + 1}/index.html`)
    for (const term of facts.tags.values()) expect(pages).toContain(`tags/${term.slug}/index.html`)
    expect(pages).toContain('tags/index.html')
    expect(pages).toContain('archive/index.html')
  })

  it('should add a redirect page for each alias, pointing at the post', () => {
    const pages = planSite(facts)
    const aliased = site.published.find((post) => post.frontmatter.aliases.length > 0)!
    expect(aliased).toBeDefined()
    const alias = aliased.frontmatter.aliases[0]!
    const redirect = pages.find((page) => page.template === 'redirect' && '/' + page.path === alias.replace(/\/?$/, '/') + 'index.html')
    expect(redirect?.kind === 'list' && redirect.context.redirectTo).toBe(aliased.url)
  })

  it('should link each post to the older and newer one, and mark math only where the post has it', () => {
    const pages = planSite(facts).filter((page) => page.kind === 'post' && !page.post.page)
    const [first, second] = pages
    if (first?.kind !== 'post' || second?.kind !== 'post') throw new Error('expected two post pages')
    expect(first.neighbours.next).toBeUndefined()
    expect(first.neighbours.previous?.url).toBe(second.view.url)
    expect(second.neighbours.next?.url).toBe(first.view.url)
    for (const page of pages) {
      if (page.kind !== 'post') continue
      expect(page.context('<p>body</p>').hasMath).toBe(page.post.slug.includes('drift'))
      expect(page.context('<p>body</p>').post?.contentHtml).toBe('<p>body</p>')
    }
  })

  it('should plan the newsletter pages only when there are issues', () => {
    expect(paths(planSite(facts)).filter((path) => path.startsWith('newsletter/'))).toEqual([])
    const issue = (month: string, number: number): WebIssue => ({
      summary: {month, number, subject: `Issue ${number}`, preheader: '', posts: []},
      webHtml: `<p>Issue ${number}</p>`
    })
    const pages = planSite({...facts, issues: [issue('2026-09', 1), issue('2026-10', 2)]})
    expect(paths(pages).filter((path) => path.startsWith('newsletter/'))).toEqual([
      'newsletter/index.html',
      'newsletter/2026-10/index.html',
      'newsletter/2026-09/index.html'
    ])
    const newest = pages.find((page) => page.path === 'newsletter/2026-10/index.html')
    expect(newest?.kind === 'list' && newest.context.issue?.previous?.url).toBe('/newsletter/2026-09/')
  })
})

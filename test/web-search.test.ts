/**
 * Search as a reader uses it, in a real Chromium: nothing of search is
 * downloaded before the box is used; `/` focuses it, a word found only in
 * one post's body lists that post with the word marked, and Enter opens it;
 * Escape closes the results. Also what the index holds (no drafts) and
 * `search: false`. Screenshots of the open results land in /tmp/shots/search/.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {Browser} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import MiniSearch from 'minisearch'
import {buildSearchIndex, updateSearchIndex} from '../src/web/search.js'
import {browseSite} from './helpers/serve.js'
import {projectRoot, removeBuiltSites, tempSite, type BuiltSite} from './helpers/site.js'
import {hasChromium} from './helpers/tools.js'

const shots = '/tmp/shots/search'

const posts: Record<string, string> = {
  '2026-01-05-tidepools.md': '---\ntitle: Walking the tidepools\ndate: 2026-01-05\n---\n\nThe shore at low tide.\n\n## Later\n\nUnder a rock we found a quillwort growing, which nobody expected.\n',
  '2026-02-10-quillwort-notes.md': '---\ntitle: Quillwort field notes\ndate: 2026-02-10\n---\n\nA plant of shallow lakes.\n',
  '2026-03-01-harbour.md': '---\ntitle: The harbour in March\ndate: 2026-03-01\n---\n\nBoats, gulls and a marmalade sandwich.\n',
  '2026-03-02-secret.md': '---\ntitle: Unfinished\ndate: 2026-03-02\ndraft: true\n---\n\nA zanzibarite draft nobody should find.\n'
}

/** The search index of a built site, as the browser's script would receive it. */
function indexOf(site: BuiltSite): {documentIds: Record<string, string>; storedFields: Record<string, {title: string}>} {
  const file = fs.readFileSync(path.join(site.site, 'search', 'index.js'), 'utf8')
  return JSON.parse(/^letterpressSearch\.index\((.*)\);\n$/s.exec(file)![1]!) as ReturnType<typeof indexOf>
}

describe('the search index', () => {
  afterAll(removeBuiltSites)

  it('brought up to date after an edit is byte for byte the one made anew, and finds what it finds', () => {
    const before = [
      {url: '/a/', title: 'Tidepools', text: 'Rocks and weed at low tide.'},
      {url: '/b/', title: 'Harbour', text: 'Boats and a marmalade sandwich.'}
    ]
    const after = [before[0]!, {url: '/b/', title: 'Harbour', text: 'Boats and a quillwort.'}, {url: '/c/', title: 'Gulls', text: 'Loud.'}]
    const updated = updateSearchIndex(buildSearchIndex(before, 1), 1, [before[1]!], after.slice(1))
    const fresh = buildSearchIndex(after, 1)
    // A build from the cache writes the same bytes as one without.
    expect(updated).toBe(fresh)
    expect(updateSearchIndex(fresh, 1, [], [])).toBe(fresh)
    const options = {idField: 'url', fields: ['title', 'text'], storeFields: ['title', 'url', 'group']}
    for (const query of ['marmalade', 'quillwort', 'boats', 'gulls', 'tide']) {
      const found = (json: string) => MiniSearch.loadJSON(json, options).search(query).map((result) => [result.id, result['title'], Math.round(result.score * 1000)])
      expect(found(updated), query).toEqual(found(fresh))
    }
  })

  it('holds every published post but no draft, even in a build that shows drafts', async () => {
    const site = await tempSite(posts, 'title: Shore notes\n', {drafts: true})
    expect(fs.existsSync(path.join(site.site, 'posts', 'secret', 'index.html'))).toBe(true)
    const urls = Object.values(indexOf(site).documentIds).sort()
    expect(urls).toEqual(['/posts/harbour/', '/posts/quillwort-notes/', '/posts/tidepools/'])
    const texts = fs.readdirSync(path.join(site.site, 'search', 'text')).map((name) => fs.readFileSync(path.join(site.site, 'search', 'text', name), 'utf8'))
    expect(texts.join('')).not.toContain('zanzibarite')
    expect(texts.join('')).toContain('Later Under a rock we found a quillwort growing')
  }, 120_000)

  it('is left out, with its box, by `search: false`', async () => {
    const site = await tempSite(posts, 'title: Shore notes\nsearch: false\n')
    expect(fs.existsSync(path.join(site.site, 'search'))).toBe(false)
    expect(fs.existsSync(path.join(site.site, 'assets', 'theme', 'search.js'))).toBe(false)
    expect(fs.readFileSync(path.join(site.site, 'index.html'), 'utf8')).not.toContain('site-search')
  }, 120_000)
})

describe.skipIf(!hasChromium())('search in a real browser', () => {
  let browser: Browser
  let origin: string
  let close: (() => Promise<void>) | undefined

  beforeAll(async () => {
    ;({origin, browser, close} = await browseSite((await tempSite(posts, 'title: Shore notes\n')).site))
    fs.mkdirSync(shots, {recursive: true})
  }, 180_000)

  afterAll(async () => {
    await close?.()
    removeBuiltSites()
  })

  it('loads nothing of search before use; `/`, a body word, Enter opens the post', async () => {
    const page = await browser.newPage({viewport: {width: 1280, height: 800}})
    const requested: string[] = []
    page.on('request', (request) => requested.push(new URL(request.url()).pathname))
    await page.goto(origin + '/posts/harbour/', {waitUntil: 'load'})
    await page.waitForTimeout(300)
    expect(requested.filter((url) => /search/.test(url))).toEqual([])

    await page.keyboard.press('/')
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('site-search-input')
    await page.keyboard.type('marmalade')
    const option = page.locator('#site-search-results [role="option"]')
    await option.first().waitFor({timeout: 10_000})
    expect(await option.count()).toBe(1)
    expect(await option.locator('.site-search-title').textContent()).toBe('The harbour in March')
    await page.locator('#site-search-results mark').first().waitFor({timeout: 10_000})
    expect(await option.locator('.site-search-excerpt mark').textContent()).toBe('marmalade')
    expect(await page.locator('.site-search [role="status"]').textContent()).toBe('1 result')
    expect(requested.some((url) => url.endsWith('/search/index.js'))).toBe(true)

    // A title match ranks above a body match of the same word.
    await page.fill('#site-search-input', 'quillwort')
    await page.waitForFunction('document.querySelectorAll(\'#site-search-results [role="option"]\').length === 2')
    const titles = await page.locator('#site-search-results .site-search-title').allTextContents()
    expect(titles).toEqual(['Quillwort field notes', 'Walking the tidepools'])
    await page.locator('#site-search-option-1 .site-search-excerpt mark').waitFor({timeout: 10_000})
    for (const [width, height] of [[1280, 800], [375, 740]] as const) {
      await page.setViewportSize({width, height})
      await page.screenshot({path: path.join(shots, `search-${width}.png`)})
    }
    await page.emulateMedia({colorScheme: 'dark'})
    await page.screenshot({path: path.join(shots, 'search-375-dark.png')})
    // The open results pass axe (serious and critical findings), in dark as in light.
    await page.addScriptTag({path: path.join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js')})
    for (const scheme of ['dark', 'light'] as const) {
      await page.emulateMedia({colorScheme: scheme})
      const serious = await page.evaluate(`axe.run(document.querySelector('.site-search'), {resultTypes: ['violations']}).then((result) => result.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id + ': ' + violation.nodes.map((node) => node.html).join(' ')))`)
      expect(serious, scheme).toEqual([])
    }
    await page.setViewportSize({width: 1280, height: 800})

    // Arrows choose, Enter opens the one chosen.
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await page.getAttribute('#site-search-input', 'aria-activedescendant')).toBe('site-search-option-1')
    await Promise.all([page.waitForURL(origin + '/posts/tidepools/'), page.keyboard.press('Enter')])
    await page.close()
  }, 60_000)

  it('Escape closes the results; a click on one opens it', async () => {
    const page = await browser.newPage({viewport: {width: 375, height: 740}})
    await page.goto(origin + '/', {waitUntil: 'load'})
    await page.click('#site-search-input')
    await page.keyboard.type('tide')
    const option = page.locator('#site-search-results [role="option"]')
    await option.first().waitFor({timeout: 10_000})
    expect(await page.getAttribute('#site-search-input', 'aria-expanded')).toBe('true')
    await page.keyboard.press('Escape')
    expect(await page.isHidden('#site-search-results')).toBe(true)
    expect(await page.getAttribute('#site-search-input', 'aria-expanded')).toBe('false')
    await page.keyboard.type('s')
    await option.first().waitFor({timeout: 10_000})
    await Promise.all([page.waitForURL(origin + '/posts/tidepools/'), option.first().click()])
    await page.close()
  }, 60_000)
})

/**
 * The sample site as a reader sees it: served over HTTP to a real Chromium
 * at phone and desktop widths, in light and dark. Checks layout (no sideways
 * scrolling), accessibility (axe-core: no serious or critical violations),
 * the interactive constructs (collapsible admonitions, content tabs by
 * keyboard) and the theme toggle. Screenshots land in /tmp/web-shots/.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {Browser, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {browseSite} from './helpers/serve.js'
import {projectRoot, removeBuiltSites, sampleSite} from './helpers/site.js'
import {hasChromium} from './helpers/tools.js'

const available = hasChromium()
const shots = '/tmp/web-shots'
const axeScript = path.join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js')

/**
 * The pages under test: the home page, the two posts with the most
 * constructs, a tag page, the archive, the newsletter's list of issues and
 * an issue's web page (the email's inline-styled body inside the theme).
 */
const pages = [
  {name: 'home', url: '/'},
  {name: 'post-feature-stores', url: '/posts/feature-stores-without-the-hype/'},
  {name: 'post-evaluating-llm', url: '/posts/evaluating-llm-features/'},
  {name: 'tag', url: '/tags/feast/'},
  {name: 'archive', url: '/archive/'},
  {name: 'newsletter', url: '/newsletter/'},
  {name: 'issue', url: '/newsletter/2026-09/'}
] as const
const widths = [375, 1280] as const
const schemes = ['light', 'dark'] as const

/**
 * Findings we do not hold the theme to, each with its reason. A newsletter
 * issue's web page shows the email's body with the email's own inline
 * colours; its code comments (#6e7781 on #f6f8fa, 4.27:1) are the email
 * renderer's palette, reported there, not something the web theme sets.
 */
const exemptions = [{rule: 'color-contrast', within: '.issue-sheet pre'}]

/** One axe-core violation, as much as we print. */
interface AxeViolation {
  id: string
  impact: string | null
  help: string
  helpUrl: string
  nodes: Array<{target: string[]; html: string; failureSummary?: string}>
}

/** Relative luminance (0 black .. 1 white) of a CSS `rgb()`/`rgba()` colour. */
function luminance(colour: string): number {
  const [r = 0, g = 0, b = 0] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => {
    const channel = Number(part) / 255
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

describe.skipIf(!available)('the sample site in a real browser', () => {
  let browser: Browser
  let origin: string
  let close: (() => Promise<void>) | undefined

  beforeAll(async () => {
    ;({origin, browser, close} = await browseSite((await sampleSite()).site))
    fs.mkdirSync(shots, {recursive: true})
  }, 180_000)

  afterAll(async () => {
    await close?.()
    removeBuiltSites()
  })

  /** A fresh page (own context: storage does not leak between tests), loaded and settled. */
  async function open(url: string, width: number, colorScheme: 'light' | 'dark'): Promise<Page> {
    const context = await browser.newContext({viewport: {width, height: 900}, colorScheme})
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    // Offline: anything not from our server is refused, so a stray external request shows as a failure.
    await page.route('**/*', (route) =>
      route.request().url().startsWith(origin) ? route.continue() : route.abort()
    )
    const response = await page.goto(origin + url, {waitUntil: 'load', timeout: 20_000})
    expect(response?.status(), url).toBe(200)
    await page.evaluate('document.fonts.ready')
    expect(errors, `script errors on ${url}`).toEqual([])
    return page
  }

  async function seriousViolations(page: Page): Promise<AxeViolation[]> {
    await page.addScriptTag({path: axeScript})
    const violations = (await page.evaluate(
      `axe.run(document, {resultTypes: ['violations']}).then((result) => result.violations.map((violation) => ({
        ...violation,
        nodes: violation.nodes.filter((node) => !(${JSON.stringify(exemptions)}).some((exemption) =>
          exemption.rule === violation.id && document.querySelector(node.target[0])?.closest(exemption.within)))
      })).filter((violation) => violation.nodes.length > 0))`
    )) as AxeViolation[]
    return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
  }

  function describeViolations(violations: AxeViolation[]): string {
    return violations
      .map(
        (violation) =>
          `${violation.impact} ${violation.id}: ${violation.help} (${violation.helpUrl})\n` +
          violation.nodes
            .slice(0, 8)
            .map((node) => `  ${node.target.join(' ')}\n    ${node.html.slice(0, 200)}\n    ${(node.failureSummary ?? '').replace(/\n/g, '\n    ')}`)
            .join('\n')
      )
      .join('\n\n')
  }

  for (const {name, url} of pages) {
    for (const width of widths) {
      for (const scheme of schemes) {
        // Concurrent: each test has its own browser context, and axe dominates the time.
        it.concurrent(`should lay out ${url} at ${width} px in ${scheme} without sideways scrolling or serious axe violations`, async ({expect}) => {
          const page = await open(url, width, scheme)
          try {
            const layout = (await page.evaluate(
              `({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
                 wide: [...document.querySelectorAll('main *')]
                   .filter((element) => {
                     const box = element.getBoundingClientRect()
                     if (box.width === 0 || box.right <= window.innerWidth + 1) return false
                     // Inside a horizontally scrollable box (code, tables) is fine: the box scrolls, not the page.
                     for (let parent = element.parentElement; parent; parent = parent.parentElement) {
                       const overflow = getComputedStyle(parent).overflowX
                       if ((overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') && parent.getBoundingClientRect().right <= window.innerWidth + 1) return false
                     }
                     return true
                   })
                   .slice(0, 5)
                   .map((element) => element.tagName.toLowerCase() + (element.className ? '.' + String(element.className).split(' ').join('.') : ''))})`
            )) as {scrollWidth: number; innerWidth: number; wide: string[]}
            expect(layout.wide, 'elements sticking out of the page').toEqual([])
            expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth)

            // Lazy images below the fold load now, so the screenshot shows them; none may be broken.
            const broken = await page.evaluate(`(async () => {
              for (const image of document.querySelectorAll('img[loading=lazy]')) image.loading = 'eager'
              await Promise.all([...document.images].map((image) => image.complete ? null : new Promise((resolve) => { image.onload = image.onerror = resolve })))
              return [...document.images].filter((image) => image.naturalWidth === 0).map((image) => image.src)
            })()`)
            expect(broken, 'images that did not load').toEqual([])

            const violations = await seriousViolations(page)
            expect(describeViolations(violations), `${violations.length} serious or critical axe violations`).toBe('')

            await page.screenshot({path: path.join(shots, `${name}-${width}-${scheme}.png`), fullPage: true})
          } finally {
            await page.context().close()
          }
        })
      }
    }
  }

  it('should open a collapsible admonition when its summary is clicked', async () => {
    const page = await open('/posts/evaluating-llm-features/', 375, 'light')
    try {
      // The first closed one, held by position: once open, `:not([open])` would no longer find it.
      const index = (await page.evaluate(
        "[...document.querySelectorAll('.post-content details')].findIndex((element) => !element.open)"
      )) as number
      expect(index).toBeGreaterThanOrEqual(0)
      const details = page.locator('.post-content details').nth(index)
      const body = details.locator(':scope > :not(summary)').first()
      expect(await details.getAttribute('open')).toBeNull()
      expect(await body.isVisible()).toBe(false)
      await details.locator(':scope > summary').click()
      expect(await details.getAttribute('open')).toBe('')
      expect(await body.isVisible()).toBe(true)
    } finally {
      await page.context().close()
    }
  })

  it('should switch content tabs from the keyboard', async () => {
    const page = await open('/posts/feature-stores-without-the-hype/', 1280, 'light')
    try {
      const set = page.locator('.post-content .tabbed-set').first()
      const radios = set.locator(':scope > input[type=radio]')
      const blocks = set.locator(':scope > .tabbed-content > .tabbed-block')
      expect(await radios.count()).toBeGreaterThanOrEqual(2)
      expect(await blocks.nth(0).isVisible()).toBe(true)
      expect(await blocks.nth(1).isVisible()).toBe(false)
      await radios.nth(0).focus()
      await page.keyboard.press('ArrowRight')
      expect(await radios.nth(1).isChecked()).toBe(true)
      expect(await blocks.nth(1).isVisible()).toBe(true)
      expect(await blocks.nth(0).isVisible()).toBe(false)
      // The focused tab's label shows it has focus (keyboard users must see where they are).
      const focusRing = (await page.evaluate(
        `(() => { const style = getComputedStyle(document.querySelector('.post-content .tabbed-set .tabbed-labels > label:nth-child(2)')); return style.outlineStyle + ' ' + style.boxShadow })()`
      )) as string
      expect(focusRing).not.toBe('none none')
    } finally {
      await page.context().close()
    }
  })

  it('should let keyboard users scroll a table wider than a phone', async () => {
    const page = await open('/posts/evaluating-llm-features/', 375, 'light')
    try {
      const index = (await page.evaluate(
        "[...document.querySelectorAll('.post-content .table-wrap')].findIndex((wrap) => wrap.scrollWidth > wrap.clientWidth)"
      )) as number
      expect(index, 'a table that overflows at 375 px').toBeGreaterThanOrEqual(0)
      const wrap = page.locator('.post-content .table-wrap').nth(index)
      expect(await wrap.getAttribute('role')).toBe('region')
      expect(await wrap.getAttribute('aria-label')).toMatch(/^Table/)
      await wrap.focus()
      for (let step = 0; step < 5; step++) await page.keyboard.press('ArrowRight')
      await expect
        .poll(() => page.evaluate(`document.querySelectorAll('.post-content .table-wrap')[${index}].scrollLeft`) as Promise<number>)
        .toBeGreaterThan(0)
    } finally {
      await page.context().close()
    }
  })

  it('should request nothing that fails on the home, a post, tags, archive, newsletter and 404 pages', async () => {
    for (const url of ['/', '/posts/evaluating-llm-features/', '/tags/', '/tags/feast/', '/archive/', '/newsletter/', '/no-such-page/']) {
      const context = await browser.newContext({viewport: {width: 1280, height: 900}})
      const page = await context.newPage()
      const failed: string[] = []
      page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText ?? ''}`))
      page.on('response', (response) => {
        // The 404 page's own status is its point; nothing it asks for may fail.
        if (response.status() >= 400 && !(url === '/no-such-page/' && response.request().isNavigationRequest())) {
          failed.push(`${response.url()} ${response.status()}`)
        }
      })
      try {
        await page.goto(origin + url, {waitUntil: 'networkidle', timeout: 20_000})
        expect(failed, url).toEqual([])
        // The icon is linked, so no browser asks for /favicon.ico.
        expect(await page.locator('link[rel=icon]').count(), url).toBe(1)
      } finally {
        await context.close()
      }
    }
  })

  for (const width of [1024, 1280]) {
    it(`should show the title, six links and the toggle on one row at ${width} px`, async () => {
      const page = await open('/', width, 'light')
      try {
        const rows = (await page.evaluate(`(() => {
          const middle = (element) => { const box = element.getBoundingClientRect(); return Math.round(box.top + box.height / 2) }
          const links = [...document.querySelectorAll('.site-nav a')]
          return {count: links.length, middles: [...new Set(links.map(middle))], title: middle(document.querySelector('.site-title')), toggle: middle(document.querySelector('.theme-toggle'))}
        })()`)) as {count: number; middles: number[]; title: number; toggle: number}
        expect(rows.count).toBe(6)
        expect(rows.middles, 'the links are on one row').toHaveLength(1)
        expect(Math.abs(rows.middles[0]! - rows.title)).toBeLessThanOrEqual(4)
        expect(Math.abs(rows.toggle - rows.title)).toBeLessThanOrEqual(4)
      } finally {
        await page.context().close()
      }
    })
  }

  it('should scroll a wide table inside its own box at 375 px, with readable columns', async () => {
    const page = await open('/posts/feature-stores-without-the-hype/', 375, 'light')
    try {
      // The options table: three columns of prose, which a phone used to squeeze to a word a line.
      const table = (await page.evaluate(`(() => {
        const wrap = [...document.querySelectorAll('.post-content .table-wrap')].find((each) => each.textContent.includes('what you operate'))
        const cells = [...wrap.querySelectorAll('th')].map((cell) => Math.round(cell.getBoundingClientRect().width))
        return {scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, right: wrap.getBoundingClientRect().right, cells, page: document.documentElement.scrollWidth}
      })()`)) as {scrollWidth: number; clientWidth: number; right: number; cells: number[]; page: number}
      expect(table.scrollWidth, 'the table is wider than its box').toBeGreaterThan(table.clientWidth)
      expect(table.right).toBeLessThanOrEqual(375)
      expect(table.page, 'the page itself does not scroll sideways').toBeLessThanOrEqual(375)
      for (const width of table.cells) expect(width).toBeGreaterThanOrEqual(140)
    } finally {
      await page.context().close()
    }
  })

  for (const reducedMotion of ['no-preference', 'reduce'] as const) {
    it(`should mark the section in view in the table of contents as the reader scrolls (${reducedMotion} motion)`, async () => {
      const context = await browser.newContext({viewport: {width: 1280, height: 900}, reducedMotion})
      const page = await context.newPage()
      try {
        await page.goto(origin + '/posts/evaluating-llm-features/', {waitUntil: 'load'})
        const current = () => page.evaluate(`[...document.querySelectorAll('.toc-side a[aria-current="true"]')].map((link) => link.textContent)`) as Promise<string[]>
        const entries = (await page.evaluate(`[...document.querySelectorAll('.toc-side a')].map((link) => [link.getAttribute('href').slice(1), link.textContent])`)) as Array<[string, string]>
        expect(entries.length).toBeGreaterThanOrEqual(5)
        // Down two sections, further down, then back up: the mark follows.
        for (const [id, text] of [entries[2]!, entries[4]!, entries[1]!]) {
          await page.evaluate(`window.scrollTo({top: document.getElementById(${JSON.stringify(id)}).getBoundingClientRect().top + window.scrollY - 100, behavior: 'instant'})`)
          await expect.poll(current, {timeout: 5000}).toEqual([text])
        }
        const transition = (await page.evaluate(`getComputedStyle(document.querySelector('.toc-side a')).transitionDuration`)) as string
        if (reducedMotion === 'reduce') expect(transition.split(', ').every((duration) => parseFloat(duration) < 0.01)).toBe(true)
      } finally {
        await context.close()
      }
    })
  }

  it("should follow the reader's dark preference", async () => {
    const light = await open('/', 1280, 'light')
    const dark = await open('/', 1280, 'dark')
    try {
      const background = (page: Page) => page.evaluate('getComputedStyle(document.body).backgroundColor') as Promise<string>
      const colour = (page: Page) => page.evaluate('getComputedStyle(document.body).color') as Promise<string>
      expect(luminance(await background(light))).toBeGreaterThan(0.8)
      expect(luminance(await background(dark))).toBeLessThan(0.05)
      expect(luminance(await colour(dark))).toBeGreaterThan(0.5)
    } finally {
      await light.context().close()
      await dark.context().close()
    }
  })

  it('should flip the theme with the toggle and remember it across a reload', async () => {
    const page = await open('/posts/feature-stores-without-the-hype/', 375, 'light')
    try {
      const background = async () => luminance((await page.evaluate('getComputedStyle(document.body).backgroundColor')) as string)
      const toggle = page.locator('.theme-toggle')
      expect(await toggle.isVisible()).toBe(true)
      expect(await toggle.getAttribute('aria-pressed')).toBe('false')
      expect(await background()).toBeGreaterThan(0.8)

      await toggle.click()
      expect(await toggle.getAttribute('aria-pressed')).toBe('true')
      expect(await background()).toBeLessThan(0.05)

      await page.reload({waitUntil: 'load'})
      expect(await background()).toBeLessThan(0.05)
      expect(await page.locator('.theme-toggle').getAttribute('aria-pressed')).toBe('true')

      await page.locator('.theme-toggle').click()
      expect(await background()).toBeGreaterThan(0.8)
      await page.reload({waitUntil: 'load'})
      expect(await background()).toBeGreaterThan(0.8)
    } finally {
      await page.context().close()
    }
  })
})

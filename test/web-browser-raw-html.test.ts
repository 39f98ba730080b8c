/**
 * `rawHtml: sanitize` in a real Chromium: a post whose raw HTML tries to
 * cover the page and clobber what the theme script reads still works as a
 * page (tabs, collapsibles, the theme toggle, wrapped tables, links to the
 * author's anchors), with no script error; the same checks pass on the
 * post without raw HTML in the default mode.
 */
import {chromium, type Browser, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {postMarkdown} from './fixtures/raw-html-sanitize/post.js'
import {serveSite} from './helpers/serve.js'
import {removeBuiltSites, tempSite} from './helpers/site.js'
import {chromiumArgs, chromiumPath, hasChromium} from './helpers/tools.js'

const available = hasChromium()
const postUrl = '/posts/socks/'

const modes = [
  {name: 'rawHtml: sanitize, with hostile raw HTML', hostile: true, config: 'title: Socks\nrawHtml: sanitize\n'},
  {name: 'the default rawHtml, without raw HTML', hostile: false, config: 'title: Socks\n'}
] as const

describe.skipIf(!available)('raw HTML and the page features in a real browser', () => {
  let browser: Browser
  const servers: Array<{origin: string; close: () => Promise<void>}> = []

  beforeAll(async () => {
    for (const mode of modes) {
      const site = await tempSite({'socks.md': postMarkdown({hostile: mode.hostile})}, mode.config)
      servers.push(await serveSite(site.site))
    }
    browser = await chromium.launch({executablePath: chromiumPath, args: chromiumArgs, timeout: 30_000})
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    for (const server of servers) await server.close()
    removeBuiltSites()
  })

  /** The post in a fresh context, loaded, with the script errors it raised. */
  async function open(origin: string, url: string, height = 900): Promise<{page: Page; errors: string[]}> {
    const context = await browser.newContext({viewport: {width: 1280, height}})
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    // Offline: the author's links and frames to other hosts load nothing.
    await page.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()))
    const response = await page.goto(origin + url, {waitUntil: 'load', timeout: 20_000})
    expect(response?.status()).toBe(200)
    return {page, errors}
  }

  modes.forEach((mode, index) => {
    describe(mode.name, () => {
      it('should run the theme script without an error and let nothing cover the page', async () => {
        const {page, errors} = await open(servers[index]!.origin, postUrl)
        try {
          expect(errors, 'script errors').toEqual([])
          const atCentre = (await page.evaluate(`(() => {
            const element = document.elementFromPoint(window.innerWidth / 2, window.innerHeight / 2)
            return {inMain: !!element?.closest('main'), link: element?.closest('a')?.textContent ?? null}
          })()`)) as {inMain: boolean; link: string | null}
          expect(atCentre.inMain, 'the page content is at the centre').toBe(true)
          expect(atCentre.link).not.toBe('Covering link')
          // The script ran to its end: the toggle it reveals is there and works.
          const toggle = page.locator('.theme-toggle')
          expect(await toggle.isVisible()).toBe(true)
          const before = await page.evaluate(`document.documentElement.getAttribute('data-theme')`)
          await toggle.click()
          expect(await page.evaluate(`document.documentElement.getAttribute('data-theme')`)).not.toBe(before)
          expect(await page.locator('.post-content .table-wrap > table').count()).toBe(1)
        } finally {
          await page.context().close()
        }
      })

      it('should switch content tabs when a tab is clicked', async () => {
        const {page, errors} = await open(servers[index]!.origin, postUrl)
        try {
          const set = page.locator('.post-content .tabbed-set').first()
          const blocks = set.locator(':scope > .tabbed-content > .tabbed-block')
          expect(await blocks.nth(0).isVisible()).toBe(true)
          expect(await blocks.nth(1).isVisible()).toBe(false)
          await set.locator('.tabbed-labels > label').nth(1).click()
          expect(await set.locator(':scope > input[type=radio]').nth(1).isChecked()).toBe(true)
          expect(await blocks.nth(1).isVisible()).toBe(true)
          expect(await blocks.nth(0).isVisible()).toBe(false)
          expect(errors).toEqual([])
        } finally {
          await page.context().close()
        }
      })

      it('should open a collapsible admonition when its summary is clicked', async () => {
        const {page} = await open(servers[index]!.origin, postUrl)
        try {
          const details = page.locator('.post-content details').first()
          expect(await details.getAttribute('open')).toBeNull()
          await details.locator(':scope > summary').click()
          expect(await details.getAttribute('open')).toBe('')
        } finally {
          await page.context().close()
        }
      })
    })
  })

  describe("links to the author's anchors (rawHtml: sanitize)", () => {
    /** Whether the author's landing spot is inside the viewport. */
    const landingInView = (page: Page) =>
      page.evaluate(`(() => {
        const box = document.getElementById('user-content-landing').getBoundingClientRect()
        return box.top >= 0 && box.bottom <= window.innerHeight
      })()`) as Promise<boolean>

    it("should take a link in the post to the author's anchor", async () => {
      const {page} = await open(servers[0]!.origin, postUrl, 400)
      try {
        expect(await landingInView(page), 'out of view before the click').toBe(false)
        await page.getByRole('link', {name: 'the landing spot'}).click()
        await expect.poll(() => landingInView(page)).toBe(true)
      } finally {
        await page.context().close()
      }
    })

    it('should take a link from elsewhere to #landing to the prefixed anchor', async () => {
      const {page, errors} = await open(servers[0]!.origin, postUrl + '#landing', 400)
      try {
        await expect.poll(() => landingInView(page)).toBe(true)
        expect(errors).toEqual([])
      } finally {
        await page.context().close()
      }
    })
  })
})

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {chromium, type Browser} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildIssue} from '../src/email/issue.js'
import {fixtureRoot, loadFixtureSite} from './fixtures/email/site.js'
import {chromiumPath, hasChromium} from './helpers/tools.js'

const executable = chromiumPath
const available = hasChromium()

describe.skipIf(!available)('issue.html in a real browser', () => {
  let browser: Browser
  let file: string
  let dir: string

  beforeAll(async () => {
    const build = await buildIssue(await loadFixtureSite(), '2026-05')
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-email-browser-'))
    file = path.join(dir, 'issue.html')
    fs.writeFileSync(file, build.files.get('issue.html')!)
    browser = await chromium.launch({
      executablePath: executable,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
    })
  })

  afterAll(async () => {
    await browser?.close()
    if (dir) fs.rmSync(dir, {recursive: true, force: true})
  })

  async function open(width: number, colorScheme: 'light' | 'dark') {
    const page = await browser.newPage({viewport: {width, height: 900}, colorScheme})
    // Offline: the site's images come from the fixture folder, anything else is refused.
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url())
      if (url.protocol === 'file:') return route.continue()
      const local = path.join(fixtureRoot, 'posts', decodeURIComponent(url.pathname))
      if (url.host === 'notes.example' && fs.existsSync(local)) return route.fulfill({path: local})
      return route.abort()
    })
    await page.goto('file://' + file)
    await page.waitForLoadState('networkidle')
    return page
  }

  for (const width of [375, 600]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`should fit ${width} px without sideways scrolling (${colorScheme})`, async () => {
        const page = await open(width, colorScheme)
        // Page scripts are strings: the project's TypeScript has no DOM types.
        const {scrollWidth, clientWidth} = (await page.evaluate(
          '({scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth})'
        )) as {scrollWidth: number; clientWidth: number}
        expect(scrollWidth).toBeLessThanOrEqual(clientWidth)
        // Nothing inside the content column is wider than the column.
        const overflowing = await page.evaluate(
          "[...document.querySelectorAll('.lp-content *')]" +
            '.filter((element) => element.getBoundingClientRect().right > document.documentElement.clientWidth + 1)' +
            '.map((element) => element.tagName)'
        )
        expect(overflowing).toEqual([])
        await page.close()
      })
    }
  }

  it('should switch the page and text to the dark palette when the reader prefers dark', async () => {
    const light = await open(600, 'light')
    const dark = await open(600, 'dark')
    const colours = async (page: typeof light) =>
      (await page.evaluate(
        "({page: getComputedStyle(document.body).backgroundColor, sheet: getComputedStyle(document.querySelector('.lp-sheet')).backgroundColor, text: getComputedStyle(document.querySelector('.lp-content p')).color})"
      )) as {page: string; sheet: string; text: string}
    const [lightColours, darkColours] = await Promise.all([colours(light), colours(dark)])
    expect(lightColours.sheet).toBe('rgb(255, 255, 255)')
    expect(darkColours.sheet).not.toBe(lightColours.sheet)
    expect(darkColours.page).not.toBe(lightColours.page)
    expect(darkColours.text).not.toBe(lightColours.text)
    await Promise.all([light.close(), dark.close()])
  })
})

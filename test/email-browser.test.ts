/**
 * Issues in a real browser (Chromium, through playwright-core), as readers
 * see them on a phone (375 px) and on a desktop client (600 px), in light
 * and in dark mode: the fixture issue, every issue of the project's sample
 * site, the showcase issue that uses every construct of the dialect, and
 * two issues compacted to fit the size budget (a compact list of cards, a
 * lead cut at its excerpt).
 * Screenshots land in /tmp/email-shots/ for people to look at.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {chromium, type Browser, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderOutputs} from '../src/pipeline/build.js'
import {loadConfig} from '../src/source/config.js'
import {buildIssue} from '../src/email/issue.js'
import type {OutputContent} from '../src/pipeline/write.js'
import {writeBigMonth, writeLongRead} from './fixtures/email/big-month.js'
import {fixtureConfig, fixtureRoot, loadFixtureSite} from './fixtures/email/site.js'
import {chromiumPath, hasChromium} from './helpers/tools.js'

const available = hasChromium()
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const showcaseRoot = fileURLToPath(new URL('./fixtures/email/showcase/', import.meta.url))
const shotsDir = path.join(os.tmpdir(), 'email-shots')

/** One issue to open: its HTML and where its site's images come from. */
interface IssueUnderTest {
  name: string
  html: string
  host: string
  postsDir: string
}

function text(value: OutputContent | undefined): string {
  if (value === undefined) throw new Error('missing output')
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  return fs.readFileSync(value.copyFrom, 'utf8')
}

/**
 * What the reader cannot read or has to scroll sideways for, on the open
 * page: the page wider than the window, elements of the email sticking out
 * of it, and text whose contrast with what is behind it is under 3:1 (the
 * least WCAG allows even for large text). Page scripts are strings: the
 * project's TypeScript has no DOM types.
 */
const inspect = `(() => {
  const width = document.documentElement.clientWidth
  // Inside a box that scrolls sideways (a wide table's), content may run past the window: the box scrolls, the page does not.
  const scrolled = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      if (/auto|scroll/.test(getComputedStyle(node).overflowX)) return true
    }
    return false
  }
  const overflowing = [...document.querySelectorAll('body *')]
    .filter((element) => element.getBoundingClientRect().right > width + 1 && !scrolled(element))
    .map((element) => element.tagName.toLowerCase() + (element.className ? '.' + element.className : ''))
  // Table cells: content wider than the cell, or a word cut across two lines ("Signa" / "l"). A break
  // after a hyphen is a break between words.
  const cut = []
  for (const cell of document.querySelectorAll('.lp-table td, .lp-table th')) {
    if (cell.scrollWidth > cell.clientWidth + 1) cut.push('overflows its cell: "' + cell.textContent.trim().slice(0, 40) + '"')
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // A text on one line cuts no word: measure the words of those that wrap only.
      const whole = document.createRange()
      whole.selectNodeContents(node)
      if (new Set([...whole.getClientRects()].map((box) => Math.round(box.top))).size < 2) continue
      for (const match of node.data.matchAll(/[^\\s-]+/g)) {
        const range = document.createRange()
        range.setStart(node, match.index)
        range.setEnd(node, match.index + match[0].length)
        const lines = new Set([...range.getClientRects()].filter((box) => box.width > 0).map((box) => Math.round(box.top)))
        if (lines.size > 1) cut.push('word cut: "' + match[0] + '"')
      }
    }
  }
  const rgba = (value) => {
    const [r, g, b, a = 1] = value.match(/[\\d.]+/g).map(Number)
    return {r, g, b, a}
  }
  const luminance = ({r, g, b}) => {
    const channel = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
  }
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor)
      if (colour.a > 0.5) return colour
    }
    return {r: 255, g: 255, b: 255, a: 1}
  }
  const unreadable = []
  for (const element of document.body.querySelectorAll('*')) {
    const own = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim() !== '')
    if (!own) continue
    const style = getComputedStyle(element)
    if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0' || element.closest('[style*="display:none"]')) continue
    const box = element.getBoundingClientRect()
    if (box.width === 0 || box.height === 0) continue
    const [fore, back] = [luminance(rgba(style.color)), luminance(background(element))]
    const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05)
    if (ratio < 3) unreadable.push(element.tagName.toLowerCase() + ' "' + element.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2))
  }
  return {scrollWidth: document.documentElement.scrollWidth, clientWidth: width, overflowing, unreadable, cut}
})()`

describe.skipIf(!available)('issues in a real browser', () => {
  let browser: Browser
  let dir: string
  const issues: IssueUnderTest[] = []

  beforeAll(async () => {
    fs.mkdirSync(shotsDir, {recursive: true})
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-email-browser-'))
    const fixture = await buildIssue(await loadFixtureSite(), '2026-05')
    issues.push({name: 'fixture-2026-05', html: text(fixture.files.get('issue.html')), host: 'notes.example', postsDir: path.join(fixtureRoot, 'posts')})
    const showcase = await buildIssue(await loadFixtureSite(fixtureConfig, {}, showcaseRoot), '2026-07')
    issues.push({name: 'showcase-2026-07', html: text(showcase.files.get('issue.html')), host: 'notes.example', postsDir: path.join(showcaseRoot, 'posts')})
    // Issues over the size budget, in their compacted forms: a 45-post
    // month as a compact list, and a lead cut at its excerpt.
    const big = path.join(dir, 'big-month')
    fs.cpSync(fixtureRoot, big, {recursive: true})
    writeBigMonth(big, '2026-03', 45, [3, 20])
    const compact = await buildIssue(await loadFixtureSite(fixtureConfig, {}, big), '2026-03')
    issues.push({name: 'compact-2026-03', html: text(compact.files.get('issue.html')), host: 'notes.example', postsDir: path.join(big, 'posts')})
    writeLongRead(big, 300)
    const cut = await buildIssue(await loadFixtureSite(fixtureConfig, {}, big), '2026-05')
    issues.push({name: 'lead-cut-2026-05', html: text(cut.files.get('issue.html')), host: 'notes.example', postsDir: path.join(big, 'posts')})
    const {config, file} = await loadConfig(projectRoot)
    const sample = await renderOutputs(config, file)
    const host = new URL(config.baseUrl!).host
    for (const [name, content] of [...sample.outputs].sort(([a], [b]) => a.localeCompare(b))) {
      const month = /^email\/(\d{4}-\d{2})\/issue\.html$/.exec(name)?.[1]
      if (month) issues.push({name: `sample-${month}`, html: text(content), host, postsDir: config.postsDir})
    }
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
    })
  })

  afterAll(async () => {
    await browser?.close()
    if (dir) fs.rmSync(dir, {recursive: true, force: true})
  })

  async function open(issue: IssueUnderTest, width: number, colorScheme: 'light' | 'dark'): Promise<Page> {
    const file = path.join(dir, `${issue.name}.html`)
    fs.writeFileSync(file, issue.html)
    const page = await browser.newPage({viewport: {width, height: 900}, colorScheme})
    // Offline: the site's images come from its posts folder, anything else is refused.
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url())
      if (url.protocol === 'file:') return route.continue()
      const local = path.join(issue.postsDir, decodeURIComponent(url.pathname))
      if (url.host === issue.host && local.startsWith(issue.postsDir) && fs.existsSync(local)) return route.fulfill({path: local})
      return route.abort()
    })
    await page.goto('file://' + file)
    await page.waitForLoadState('networkidle')
    return page
  }

  it('should have the sample site\'s issues to look at', () => {
    expect(issues.map((issue) => issue.name)).toEqual(
      expect.arrayContaining(['fixture-2026-05', 'showcase-2026-07', 'compact-2026-03', 'lead-cut-2026-05', 'sample-2026-09'])
    )
  })

  for (const width of [375, 600]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`should fit ${width} px without sideways scrolling, keep every text readable and every table cell's words whole (${colorScheme})`, async () => {
        const problems: Record<string, string[]> = {}
        for (const issue of issues) {
          const page = await open(issue, width, colorScheme)
          const found = (await page.evaluate(inspect)) as {scrollWidth: number; clientWidth: number; overflowing: string[]; unreadable: string[]; cut: string[]}
          await page.screenshot({path: path.join(shotsDir, `${issue.name}-${width}-${colorScheme}.png`), fullPage: true})
          await page.close()
          const list = [
            ...(found.scrollWidth > found.clientWidth ? [`page is ${found.scrollWidth} px wide`] : []),
            ...found.overflowing.map((element) => `sticks out: ${element}`),
            ...found.unreadable.map((element) => `low contrast: ${element}`),
            ...found.cut.map((problem) => `table cell ${problem}`)
          ]
          if (list.length > 0) problems[issue.name] = list
        }
        expect(problems).toEqual({})
      }, 180_000)
    }
  }

  it('should switch the page, text and callout titles to the dark palette when the reader prefers dark', async () => {
    const showcase = issues.find((issue) => issue.name === 'showcase-2026-07')!
    const light = await open(showcase, 600, 'light')
    const dark = await open(showcase, 600, 'dark')
    const colours = async (page: Page) =>
      (await page.evaluate(
        `({page: getComputedStyle(document.body).backgroundColor,
          sheet: getComputedStyle(document.querySelector('.lp-sheet')).backgroundColor,
          text: getComputedStyle(document.querySelector('.lp-content p')).color,
          titles: [...document.querySelectorAll('.lp-callout-title')].map((cell) => getComputedStyle(cell).backgroundColor),
          tab: getComputedStyle(document.querySelector('.lp-tab-title')).color,
          footnote: getComputedStyle(document.querySelector('.lp-footnote')).color})`
      )) as {page: string; sheet: string; text: string; titles: string[]; tab: string; footnote: string}
    const [lightColours, darkColours] = await Promise.all([colours(light), colours(dark)])
    expect(lightColours.sheet).toBe('rgb(255, 255, 255)')
    expect(darkColours.sheet).not.toBe(lightColours.sheet)
    expect(darkColours.page).not.toBe(lightColours.page)
    expect(darkColours.text).not.toBe(lightColours.text)
    // Every callout kind (aliases, GitHub alerts and directives included) gets its dark title row.
    expect(darkColours.titles.length).toBeGreaterThan(15)
    darkColours.titles.forEach((colour, index) => expect(colour, `callout ${index}`).not.toBe(lightColours.titles[index]))
    // Accent and muted roles keep their colour in dark mode, not the body text's.
    expect(darkColours.tab).not.toBe(darkColours.text)
    expect(darkColours.footnote).not.toBe(darkColours.text)
    await Promise.all([light.close(), dark.close()])
  })
})

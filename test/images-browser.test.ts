/**
 * Images in a real Chromium: at a phone's and a desktop's width (one device
 * pixel per CSS pixel) the browser takes the variant `srcset` and `sizes`
 * mean it to take, a small cover keeps its own width, and a thumbnail shows
 * in the list. Screenshots land in /tmp/shots/images/.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {chromium, type Browser} from 'playwright-core'
import sharp from 'sharp'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../src/pipeline/build.js'
import {serveSite} from './helpers/serve.js'
import {chromiumArgs, chromiumPath, hasChromium} from './helpers/tools.js'

const available = hasChromium()
const shots = '/tmp/shots/images'
let root: string
let server: {origin: string; close: () => Promise<void>} | undefined
let browser: Browser | undefined

function png(width: number, height: number, background: {r: number; g: number; b: number}): Promise<Buffer> {
  return sharp({create: {width, height, channels: 3, background}}).png().toBuffer()
}

beforeAll(async () => {
  if (!available) return
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-images-browser-'))
  const write = (relative: string, content: string | Buffer) => {
    const file = path.join(root, relative)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, content)
  }
  write('letterpress.yml', 'title: Image Notes\nbaseUrl: https://images.example/\nnewsletter:\n  from: Images <letters@images.example>\n')
  write(
    'posts/2026/09/figures.md',
    [
      '---',
      'title: Figures at every width',
      'date: 2026-09-03',
      'cover: ../../assets/small-cover.png',
      '---',
      '',
      '![A wide chart](../../assets/wide.png)',
      '',
      'The chart above is 2000 pixels wide; the browser takes the copy its column needs.',
      '',
      '![A second chart](../../assets/second.jpg)',
      ''
    ].join('\n')
  )
  write('posts/assets/wide.png', await png(2000, 1000, {r: 13, g: 106, b: 97}))
  write('posts/assets/second.jpg', await sharp(await png(1200, 600, {r: 200, g: 150, b: 40})).jpeg().toBuffer())
  write('posts/assets/small-cover.png', await png(320, 160, {r: 90, g: 60, b: 140}))
  const result = await build({root, outDir: path.join(root, 'dist')})
  expect(result.errors).toBe(0)
  server = await serveSite(path.join(root, 'dist', 'site'))
  browser = await chromium.launch({executablePath: chromiumPath, args: chromiumArgs, timeout: 30_000})
  fs.mkdirSync(shots, {recursive: true})
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  if (root) fs.rmSync(root, {recursive: true, force: true})
})

describe.skipIf(!available)('images in Chromium', () => {
  for (const [width, wanted] of [
    [375, 480],
    [1280, 800]
  ] as const) {
    it(`should take the ${wanted} px variant at ${width} px and keep a small cover its own size`, async () => {
      const context = await browser!.newContext({viewport: {width, height: 900}, deviceScaleFactor: 1})
      try {
        const page = await context.newPage()
        await page.goto(`${server!.origin}/posts/figures/`, {waitUntil: 'load'})
        for (const image of await page.locator('.prose img').all()) await image.scrollIntoViewIfNeeded()
        await page.waitForFunction('[...document.images].every((image) => image.complete && image.naturalWidth > 0)', undefined, {timeout: 15_000})
        const sources = await page.$$eval('.prose img', (images) => images.map((image) => (image as unknown as {currentSrc: string}).currentSrc))
        expect(sources.map((source) => new URL(source).pathname)).toEqual([`/assets/wide-png-${wanted}.webp`, `/assets/second-jpg-${wanted}.webp`])
        const cover = await page.$eval('.post-cover img', (image) => {
          const box = image.getBoundingClientRect()
          return {shown: Math.round(box.width), source: new URL((image as unknown as {currentSrc: string}).currentSrc).pathname}
        })
        expect(cover).toEqual({shown: width === 375 ? Math.min(320, cover.shown) : 320, source: '/assets/small-cover-png-320.webp'})
        expect(cover.shown).toBeLessThanOrEqual(320)
        await page.evaluate('window.scrollTo(0, 0)')
        await page.screenshot({path: path.join(shots, `post-${width}.png`), fullPage: true})
        await page.goto(`${server!.origin}/`, {waitUntil: 'load'})
        const thumb = await page.$eval('.post-summary-thumb img', (image) => Math.round(image.getBoundingClientRect().width))
        expect(thumb).toBe(112)
        await page.screenshot({path: path.join(shots, `home-${width}.png`)})
      } finally {
        await context.close()
      }
    }, 60_000)
  }
})

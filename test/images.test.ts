/**
 * Images as a reader and an author meet them: which widths and formats a
 * local image is made in (never wider than the original; GIF and SVG kept;
 * JPEG for email, PNG when it has transparency), the files a build writes
 * next to the original, made once and taken from the cache afterwards, the
 * cover's social card and the site's default card, email's image URLs,
 * and a broken image reported where it is used, its page still built.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import {afterEach, describe, expect, it} from 'vitest'
import {build} from '../src/pipeline/build.js'
import {check} from '../src/pipeline/check.js'
import {encodedImages} from '../src/pipeline/images.js'
import {allVariants, cardVariant, emailImageUrl, emailVariant, webVariants, webVariantWidths} from '../src/render/images.js'
import {hasAlpha, readImageSize} from '../src/render/media.js'

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, {recursive: true, force: true})
})

function temporary(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `letterpress-images-${name}-`))
  made.push(dir)
  return dir
}

/** A real PNG of the given size, opaque or with an alpha channel. */
function png(width: number, height: number, alpha = false): Promise<Buffer> {
  const background = alpha ? {r: 20, g: 120, b: 110, alpha: 0.5} : {r: 20, g: 120, b: 110}
  return sharp({create: {width, height, channels: alpha ? 4 : 3, background}}).png().toBuffer()
}

describe('the variants of an image', () => {
  it('should come in the standard widths below the original, and the original width, never wider', () => {
    expect(webVariantWidths(2400)).toEqual([480, 800, 1200, 1600, 2400])
    expect(webVariantWidths(1000)).toEqual([480, 800, 1000])
    expect(webVariantWidths(800)).toEqual([480, 800])
    expect(webVariantWidths(320)).toEqual([320])
    for (const width of [1, 320, 479, 480, 481, 1600, 5000]) {
      const variants = webVariants('/assets/a.png', {width, height: 100})
      expect(Math.max(...variants.map((variant) => variant.width))).toBe(width)
      expect(variants.every((variant) => variant.format === 'webp')).toBe(true)
    }
  })

  it('should name variants by the original, its extension and the width, next to it', () => {
    expect(webVariants('/assets/figure.png', {width: 1000, height: 500}).map((variant) => [variant.url, variant.height])).toEqual([
      ['/assets/figure-png-480.webp', 240],
      ['/assets/figure-png-800.webp', 400],
      ['/assets/figure-png-1000.webp', 500]
    ])
    // A WebP original is its own full-width variant.
    expect(webVariants('/a/photo.webp', {width: 600, height: 300}).map((variant) => variant.url)).toEqual(['/a/photo-webp-480.webp', '/a/photo.webp'])
  })

  it('should leave GIFs, SVGs and remote images as they are', () => {
    for (const url of ['/assets/spin.gif', '/assets/logo.svg', 'https://example.com/a.png']) {
      expect(url.startsWith('/') ? allVariants(url, {width: 2000, height: 1000}) : []).toEqual([])
      expect(emailImageUrl(url, {width: 2000, height: 1000})).toBe(url)
    }
  })

  it('should give email twice its column at most, PNG for transparency and JPEG otherwise', () => {
    expect(emailVariant('/a/chart.png', {width: 2000, height: 1000})).toMatchObject({url: '/a/chart-png-1104.jpg', width: 1104, height: 552, format: 'jpeg'})
    expect(emailVariant('/a/logo.png', {width: 2000, height: 1000, alpha: true})).toMatchObject({url: '/a/logo-png-1104.png', format: 'png'})
    expect(emailVariant('/a/photo.webp', {width: 600, height: 400, alpha: true})).toMatchObject({url: '/a/photo-webp-600.png', width: 600})
    // Already JPEG and narrow enough: the original itself.
    expect(emailVariant('/a/photo.jpg', {width: 900, height: 600})).toMatchObject({url: '/a/photo.jpg', original: true})
    expect(emailImageUrl('/a/photo.jpg', {width: 1500, height: 1000})).toBe('/a/photo-jpg-1104.jpg')
    expect(emailImageUrl('/a/photo.jpg', undefined)).toBe('/a/photo.jpg')
  })

  it('should give a cover a card 1200 pixels wide at most, in JPEG or PNG', () => {
    expect(cardVariant('/c/cover.png', {width: 1600, height: 800})).toMatchObject({url: '/c/cover-png-1200.jpg', width: 1200, height: 600})
    expect(allVariants('/c/cover.png', {width: 1600, height: 800}, true).map((variant) => variant.url)).toContain('/c/cover-png-1200.jpg')
    expect(allVariants('/c/cover.png', {width: 1600, height: 800}, false).map((variant) => variant.url)).not.toContain('/c/cover-png-1200.jpg')
  })

  it('should tell a PNG with an alpha channel from an opaque one', async () => {
    const folder = temporary('alpha')
    fs.writeFileSync(path.join(folder, 'opaque.png'), await png(40, 20))
    fs.writeFileSync(path.join(folder, 'clear.png'), await png(40, 20, true))
    fs.writeFileSync(path.join(folder, 'clear.webp'), await sharp(await png(40, 20, true)).webp({lossless: true}).toBuffer())
    expect(await readImageSize(path.join(folder, 'opaque.png'))).toEqual({width: 40, height: 20})
    expect(await readImageSize(path.join(folder, 'clear.png'))).toEqual({width: 40, height: 20, alpha: true})
    expect((await readImageSize(path.join(folder, 'clear.webp')))?.alpha).toBe(true)
    expect(hasAlpha(new Uint8Array([1, 2, 3]))).toBe(false)
  })
})

/** A site with a post showing a 1000 px figure and a 320 px cover, and a second post. */
async function imageSite(): Promise<{root: string; out: string}> {
  const root = temporary('root')
  const write = (relative: string, content: string | Buffer) => {
    const file = path.join(root, relative)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, content)
  }
  write('letterpress.yml', 'title: Image Notes\nbaseUrl: https://images.example/\nnewsletter:\n  from: Images <letters@images.example>\ntheme:\n  image: assets/card.png\n  logo: assets/logo.svg\n')
  write(
    'posts/2026/09/figures.md',
    '---\ntitle: Figures\ndate: 2026-09-03\ncover: ../../assets/small-cover.png\n---\n\nA chart first.\n\n![A chart](../../assets/figure.png)\n\n![A spinner](../../assets/spin.gif)\n'
  )
  write('posts/2026/10/words.md', '---\ntitle: Only words\ndate: 2026-10-08\n---\n\nNo pictures here.\n')
  write('posts/assets/figure.png', await png(1000, 500))
  write('posts/assets/small-cover.png', await png(320, 160))
  write('posts/assets/card.png', await png(2400, 1260))
  write('posts/assets/logo.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32" viewBox="0 0 120 32"><rect width="120" height="32" rx="6" fill="#0d6a61"/><circle cx="16" cy="16" r="9" fill="#fff"/></svg>\n')
  write('posts/assets/spin.gif', Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'))
  return {root, out: path.join(temporary('out'), 'out')}
}

describe('images in a build', () => {
  it('should write the variants next to the original, use them in the page, and make each once', async () => {
    const {root, out} = await imageSite()
    const before = encodedImages()
    const first = await build({root, outDir: out})
    expect(first.diagnostics.map((message) => message.message)).toEqual([])
    expect(first.errors).toBe(0)
    expect(first.warnings).toBe(0)
    const site = path.join(out, 'site')
    const assets = fs.readdirSync(path.join(site, 'assets')).sort()
    expect(assets).toEqual([
      'card-png-1200.jpg',
      'card.png',
      'figure-png-1000.webp',
      'figure-png-1000.jpg',
      'figure-png-480.webp',
      'figure-png-800.webp',
      'figure.png',
      'logo-svg-240.png',
      'logo.svg',
      'small-cover-png-320.jpg',
      'small-cover-png-320.webp',
      'small-cover.png',
      'spin.gif',
      ...assets.filter((name) => name === 'theme' || name === 'search')
    ].sort())
    // figure: three WebPs and an email JPEG; the cover: a WebP and a JPEG (email and card are the same file); the
    // site's card: a JPEG 1200 pixels wide; the SVG logo: a PNG for email.
    expect(encodedImages() - before).toBe(8)
    const siteCard = await sharp(path.join(site, 'assets', 'card-png-1200.jpg')).metadata()
    expect([siteCard.format, siteCard.width, siteCard.height]).toEqual(['jpeg', 1200, 630])
    const made = await sharp(path.join(site, 'assets', 'figure-png-800.webp')).metadata()
    expect([made.format, made.width, made.height]).toEqual(['webp', 800, 400])

    const page = fs.readFileSync(path.join(site, 'posts', 'figures', 'index.html'), 'utf8')
    expect(page).toContain('<source type="image/webp" srcset="/assets/figure-png-480.webp 480w, /assets/figure-png-800.webp 800w, /assets/figure-png-1000.webp 1000w" sizes="(max-width: 808px) calc(100vw - 2rem), 744px">')
    expect(page).toContain('<img src="/assets/spin.gif" alt="A spinner" loading="lazy" decoding="async" width="1" height="1">')
    // The cover is small: its card is itself at 320 px, with its size; it is loaded first.
    expect(page).toContain('<meta property="og:image" content="https://images.example/assets/small-cover-png-320.jpg">')
    expect(page).toContain('<meta property="og:image:width" content="320">')
    expect(page).toMatch(/<img src="\/assets\/small-cover.png" alt="" width="320" height="160" decoding="async" fetchpriority="high">/)
    // A post without a cover, and every other page, is shared with the site's card, made 1200 pixels wide.
    const words = fs.readFileSync(path.join(site, 'posts', 'words', 'index.html'), 'utf8')
    expect(words).toContain('<meta property="og:image" content="https://images.example/assets/card-png-1200.jpg">')
    expect(words).toContain('<meta property="og:image:width" content="1200">')
    expect(words).toContain('<meta property="og:image:height" content="630">')
    const archive = fs.readFileSync(path.join(site, 'archive', 'index.html'), 'utf8')
    expect(archive).toContain('<meta property="og:image" content="https://images.example/assets/card-png-1200.jpg">')
    // The archive shows the cover beside its post, small; a month without covers has no column for them.
    expect(archive).toMatch(/<ul class="archive-list with-thumbs">\s*<li>\s*<span class="archive-thumb"><picture><source type="image\/webp" srcset="\/assets\/small-cover-png-320.webp 320w" sizes="3.5rem">/)
    expect(archive).toMatch(/<ul class="archive-list">\s*<li>\s*<a href="\/posts\/words\/">Only words<\/a>/)
    // The home page lists the cover as a thumbnail with its variants.
    expect(fs.readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('srcset="/assets/small-cover-png-320.webp 320w" sizes="7rem"')
    // Email: the figure at twice the column in JPEG, absolute.
    const email = fs.readFileSync(path.join(out, 'email', '2026-09', 'issue.html'), 'utf8')
    expect(email).toContain('src="https://images.example/assets/figure-png-1000.jpg"')
    // The SVG logo, which Gmail and Outlook do not show, is a PNG in the email, drawn at twice the size it is shown.
    expect(email).toMatch(/<img[^>]*src="https:\/\/images.example\/assets\/logo-svg-240.png"[^>]*>/)
    expect(email).not.toContain('logo.svg')
    const shownLogo = /<img[^>]*src="https:\/\/images.example\/assets\/logo-svg-240.png"[^>]*>/.exec(email)![0]
    expect(shownLogo).toMatch(/width="120"/)
    expect(shownLogo).toMatch(/height="32"/)
    const logo = await sharp(path.join(site, 'assets', 'logo-svg-240.png')).metadata()
    expect([logo.format, logo.width, logo.height]).toEqual(['png', 240, 64])

    // One post edited: the render runs again, no image is made again.
    fs.appendFileSync(path.join(root, 'posts', '2026', '10', 'words.md'), '\nA second paragraph.\n')
    const again = encodedImages()
    const second = await build({root, outDir: out})
    expect(second.errors).toBe(0)
    expect(encodedImages()).toBe(again)
    expect(fs.existsSync(path.join(site, 'assets', 'figure-png-800.webp'))).toBe(true)
    // check names no other problem and makes nothing either.
    const checked = await check({root})
    expect(checked.warnings).toBe(0)
    expect(encodedImages()).toBe(again)
  })

  it('should warn where a broken image is shown and still build its page with the original', async () => {
    const {root, out} = await imageSite()
    fs.writeFileSync(path.join(root, 'posts', 'assets', 'figure.png'), 'not a picture at all\n')
    // A valid header over no picture data: sharp cannot decode it.
    const header = (await png(900, 300)).subarray(0, 33)
    fs.writeFileSync(path.join(root, 'posts', 'assets', 'small-cover.png'), Buffer.concat([header, Buffer.alloc(16)]))
    const result = await build({root, outDir: out})
    expect(result.errors).toBe(0)
    const messages = result.diagnostics.filter((message) => message.rule === 'image-unreadable')
    expect(messages.map((message) => [path.basename(message.file), message.line, message.column])).toEqual([
      ['figures.md', 4, 1],
      ['figures.md', 9, 1]
    ])
    const page = fs.readFileSync(path.join(out, 'site', 'posts', 'figures', 'index.html'), 'utf8')
    expect(page).toContain('<img src="/assets/figure.png" alt="A chart" decoding="async">')
    // The undecodable cover's variants are its own bytes, so the page shows it wherever the browser looks.
    expect(fs.readFileSync(path.join(out, 'site', 'assets', 'small-cover-png-480.webp'))).toEqual(fs.readFileSync(path.join(root, 'posts', 'assets', 'small-cover.png')))
    const checked = await check({root})
    expect(checked.diagnostics.filter((message) => message.rule === 'image-unreadable')).toHaveLength(2)
  })
})

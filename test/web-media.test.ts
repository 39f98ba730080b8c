/**
 * Images and links on the web: lazy loading, sizes read from local files
 * before the render, attr-list attributes winning, `rel` on external links.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {deflateSync} from 'node:zlib'
import type {Properties} from 'hast'
import type {Root} from 'mdast'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import {createParser, parseFile} from '../src/source/parse.js'
import {toWebHast, webHastToHtml} from '../src/web/render.js'
import {measureImages, readImageSize, type ImageSizes} from '../src/render/media.js'
import {createWebRenderContext, type WebRenderContextOptions} from '../src/web/handlers/render-context.js'

const parser = createParser()

async function parse(markdown: string): Promise<Root> {
  return parseFile(parser, new VFile({value: markdown, path: 'input.md'}))
}

function render(tree: Root, options: WebRenderContextOptions = {}): string {
  const context = createWebRenderContext(options)
  return webHastToHtml(toWebHast(tree, {handlers: context.handlers()}))
}

/** What an attr list (`{ ... }` after the node) leaves on images and links. */
function setProperties(tree: Root, type: 'image' | 'link', properties: Properties): void {
  visit(tree, type, (node) => {
    node.data = {...node.data, hProperties: {...node.data?.hProperties, ...properties}}
  })
}

const crcTable = Array.from({length: 256}, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** A valid grey PNG of the given size. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 0 // greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80)
  for (let row = 0; row < height; row++) rows[row * (width + 1)] = 0 // filter: none
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0))
  ])
}

let folder: string
/** Site URL to file, as the build's resolver does for `/assets/...`. */
const resolve = (url: string) =>
  url.startsWith('/assets/') ? path.join(folder, decodeURI(url.slice('/assets/'.length))) : undefined

beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'letterpress-media-'))
  writeFileSync(path.join(folder, 'drift chart.png'), png(640, 360))
  writeFileSync(path.join(folder, 'pipeline.png'), png(120, 80))
  writeFileSync(path.join(folder, 'notes.txt'), 'not an image\n')
})

afterAll(() => {
  rmSync(folder, {recursive: true, force: true})
})

describe('measureImages', () => {
  it('should read the size of a generated PNG', async () => {
    expect(await readImageSize(path.join(folder, 'pipeline.png'))).toEqual({width: 120, height: 80})
  })

  it('should measure local images, including referenced ones, and skip the rest', async () => {
    const tree = await parse(
      [
        '![Drift](/assets/drift%20chart.png) ![Again](/assets/drift%20chart.png)',
        '',
        '![Remote](https://example.com/a.png) ![Missing](/assets/gone.png) ![Text](/assets/notes.txt)',
        '',
        '![Pipeline][pipe]',
        '',
        '[pipe]: /assets/pipeline.png',
        ''
      ].join('\n')
    )
    const sizes = await measureImages([tree], resolve)
    expect(Object.fromEntries(sizes)).toEqual({
      '/assets/drift%20chart.png': {width: 640, height: 360},
      '/assets/pipeline.png': {width: 120, height: 80}
    })
  })
})

describe('images on the web', () => {
  const sizes: ImageSizes = new Map([
    ['/assets/pipeline.png', {width: 120, height: 80}],
    ['/assets/drift.png', {width: 640, height: 360}]
  ])

  it('should load the first image at once and the rest lazily, asynchronously, with the measured size and WebP variants', async () => {
    const html = render(await parse('![The pipeline](/assets/pipeline.png "Stages")\n\n![Drift](/assets/drift.png)\n'), {imageSizes: sizes})
    expect(html).toBe(
      '<p><picture><source type="image/webp" srcset="/assets/pipeline-png-120.webp 120w" sizes="(max-width: 184px) calc(100vw - 2rem), 120px">' +
        '<img src="/assets/pipeline.png" alt="The pipeline" title="Stages" decoding="async" width="120" height="80"></picture></p>\n' +
        '<p><picture><source type="image/webp" srcset="/assets/drift-png-480.webp 480w, /assets/drift-png-640.webp 640w" sizes="(max-width: 704px) calc(100vw - 2rem), 640px">' +
        '<img src="/assets/drift.png" alt="Drift" loading="lazy" decoding="async" width="640" height="360"></picture></p>'
    )
  })

  it('should make every image of an excerpt lazy', async () => {
    const tree = await parse('![The pipeline](/assets/pipeline.png)\n')
    const html = webHastToHtml(toWebHast(tree, {handlers: createWebRenderContext({imageSizes: sizes}).handlers({permalinks: false})}))
    expect(html).toContain('loading="lazy"')
  })

  it('should add lazy loading to images without a known size', async () => {
    const html = render(await parse('![First](https://example.com/0.png)\n\n![Remote](https://example.com/a.png)\n'))
    expect(html).toBe('<p><img src="https://example.com/0.png" alt="First" decoding="async"></p>\n<p><img src="https://example.com/a.png" alt="Remote" loading="lazy" decoding="async"></p>')
  })

  it('should let attr-list attributes override the defaults', async () => {
    const tree = await parse('![Drift](/assets/drift.png)\n')
    setProperties(tree, 'image', {loading: 'eager', className: ['center'], width: 320})
    const html = render(tree, {imageSizes: sizes})
    // Only the width was given: the height follows the file's aspect ratio.
    // The picture is shown 320 pixels wide: `sizes` says so.
    expect(html).toBe(
      '<p><picture><source type="image/webp" srcset="/assets/drift-png-480.webp 480w, /assets/drift-png-640.webp 640w" sizes="(max-width: 384px) calc(100vw - 2rem), 320px">' +
        '<img src="/assets/drift.png" alt="Drift" loading="eager" class="center" width="320" decoding="async" height="180"></picture></p>'
    )
  })

  it('should keep both sides when the author gave both', async () => {
    const tree = await parse('![Drift](/assets/drift.png)\n')
    setProperties(tree, 'image', {width: '100', height: '100'})
    expect(render(tree, {imageSizes: sizes})).toContain('width="100" height="100"')
  })

  it('should treat image references like images', async () => {
    const html = render(await parse('![Flow][f]\n\n[f]: /assets/pipeline.png\n'), {imageSizes: sizes})
    expect(html).toBe(
      '<p><picture><source type="image/webp" srcset="/assets/pipeline-png-120.webp 120w" sizes="(max-width: 184px) calc(100vw - 2rem), 120px">' +
        '<img src="/assets/pipeline.png" alt="Flow" decoding="async" width="120" height="80"></picture></p>'
    )
  })

  it('should keep GIFs, SVGs and images whose author gave a srcset as they are', async () => {
    const gifs: ImageSizes = new Map([['/assets/spin.gif', {width: 900, height: 600}], ['/assets/logo.svg', {width: 900, height: 600}]])
    const html = render(await parse('![Spin](/assets/spin.gif) ![Logo](/assets/logo.svg)\n'), {imageSizes: gifs})
    expect(html).not.toContain('<picture>')
    expect(html).toContain('src="/assets/spin.gif"')
    const tree = await parse('![Drift](/assets/drift.png)\n')
    setProperties(tree, 'image', {srcSet: '/assets/own.webp 640w'})
    expect(render(tree, {imageSizes: sizes})).not.toContain('<picture>')
  })

  it('should keep plain remark images without a build context', async () => {
    expect(await renderFragment('![A](/a.png)\n')).toBe('<p><img src="/a.png" alt="A"></p>')
  })
})

describe('links on the web', () => {
  it('should add rel="noopener" to external http(s) links only', async () => {
    const tree = await parse(
      '[paper](https://arxiv.org/abs/1) [old](HTTP://example.com) [post](/posts/x/) [top](#intro) [mail](mailto:a@b.c)\n'
    )
    expect(render(tree)).toBe(
      '<p><a href="https://arxiv.org/abs/1" rel="noopener">paper</a> <a href="HTTP://example.com" rel="noopener">old</a> <a href="/posts/x/">post</a> <a href="#intro">top</a> <a href="mailto:a@b.c">mail</a></p>'
    )
  })

  it('should treat links to the site itself as internal', async () => {
    const tree = await parse('[home](https://blog.example.org/about/) [other](https://example.org/)\n')
    expect(render(tree, {baseUrl: 'https://blog.example.org/'})).toBe(
      '<p><a href="https://blog.example.org/about/">home</a> <a href="https://example.org/" rel="noopener">other</a></p>'
    )
  })

  it('should keep attr-list attributes and merge rel', async () => {
    const tree = await parse('[me](https://social.example/@me)\n')
    setProperties(tree, 'link', {className: ['badge'], rel: ['me']})
    expect(render(tree)).toBe('<p><a href="https://social.example/@me" class="badge" rel="me noopener">me</a></p>')
  })

  it('should treat link references like links', async () => {
    const tree = await parse('See [the docs][d] and [missing][].\n\n[d]: https://docs.example.com\n')
    expect(render(tree)).toBe('<p>See <a href="https://docs.example.com" rel="noopener">the docs</a> and [missing][].</p>')
  })

  it('should keep plain remark links without a build context', async () => {
    expect(await renderFragment('[x](https://example.com)\n')).toBe('<p><a href="https://example.com">x</a></p>')
  })
})

/**
 * A machine where sharp's platform part is missing (an install that
 * skipped optional packages, or copied node_modules from another system):
 * the build still publishes every page with the original images, and says
 * once, at the first image, what is wrong and how to mend it, instead of a
 * paragraph of advice at every image.
 */
import fs from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {build} from '../src/pipeline/build.js'
import {tempRoots} from './helpers/files.js'

// What sharp throws when its binary for this platform is not installed, raised as its module is read.
vi.mock('sharp', () => ({
  get default(): never {
    throw new Error('Could not load the "sharp" module using the linux-x64 runtime\nPossible solutions:\n- Ensure optional dependencies can be installed')
  }
}))

const roots = tempRoots('images-missing')
afterEach(() => roots.remove())

/** A PNG's signature and IHDR: enough for its size to be read, which needs no sharp. */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const length = Buffer.alloc(4)
  length.writeUInt32BE(13)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), length, Buffer.from('IHDR'), ihdr, Buffer.alloc(4)])
}

describe('a build without a working sharp', () => {
  it('should say so once, at the first image, and publish the originals', async () => {
    const root = roots.root({
      'letterpress.yml': 'title: Field notes\nbaseUrl: https://notes.example\n',
      'posts/charts.md': '---\ntitle: Charts\ndate: 2026-09-01\n---\n\nThe chart:\n\n![A chart](assets/chart.png)\n\n![A map](assets/map.png)\n'
    })
    fs.mkdirSync(path.join(root, 'posts', 'assets'))
    fs.writeFileSync(path.join(root, 'posts', 'assets', 'chart.png'), pngHeader(1000, 500))
    fs.writeFileSync(path.join(root, 'posts', 'assets', 'map.png'), pngHeader(900, 600))
    const out = path.join(root, 'dist')
    const result = await build({root, outDir: out})
    expect(result.errors).toBe(0)
    const said = result.diagnostics.filter((message) => message.rule?.startsWith('image-'))
    expect(said.map((message) => [message.rule, path.basename(message.file), message.line])).toEqual([['image-library-missing', 'charts.md', 8]])
    expect(said[0]!.message).toContain('Could not load the "sharp" module using the linux-x64 runtime')
    expect(said[0]!.message).toContain('npm install --include=optional sharp')
    expect(said[0]!.message).not.toContain('Possible solutions')
    // The page names the variants; each is the original's bytes.
    const site = path.join(out, 'site')
    expect(fs.readFileSync(path.join(site, 'posts', 'charts', 'index.html'), 'utf8')).toContain('/assets/chart-png-800.webp 800w')
    expect(fs.readFileSync(path.join(site, 'assets', 'chart-png-800.webp'))).toEqual(fs.readFileSync(path.join(root, 'posts', 'assets', 'chart.png')))
  })
})

/**
 * The web renderer reads a post's tree without changing it (the email
 * renderer reads the same tree after it): every sample post rendered twice,
 * body, excerpt and feed body, gives the same HTML both times and leaves
 * its tree deep-equal to what it was before.
 */
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {loadConfig} from '../src/source/config.js'
import {loadSite} from '../src/source/site.js'
import {createWebRenderer} from '../src/web/render.js'
import {renderPostForWeb} from '../src/web/post.js'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const hasSample = fs.existsSync(path.join(projectRoot, 'posts')) && fs.existsSync(path.join(projectRoot, 'letterpress.yml'))

describe.skipIf(!hasSample)('web render of the sample posts', () => {
  it('leaves every tree as it was and renders the same HTML twice', async () => {
    const {config} = await loadConfig(projectRoot)
    const site = await loadSite(config)
    expect(site.all.length).toBeGreaterThan(0)
    const renderer = await createWebRenderer(config)
    const absolute = (url: string) => new URL(url, 'https://example.com/').href
    for (const post of site.all) {
      const before = structuredClone(post.tree)
      const first = await renderPostForWeb(post, renderer, absolute, true)
      expect(post.tree, post.sourcePath).toStrictEqual(before)
      const second = await renderPostForWeb(post, renderer, absolute, true)
      expect(second, post.sourcePath).toStrictEqual(first)
      expect(post.tree, post.sourcePath).toStrictEqual(before)
    }
  })
})

/**
 * The web and email renderers read a post's tree without changing it (both
 * read the same tree, and neither copies it): every sample post rendered
 * twice, body, excerpt and feed body on the web, full and excerpt in the
 * email, gives the same HTML both times and leaves its tree deep-equal to
 * what it was before.
 */
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {loadConfig} from '../src/source/config.js'
import {loadSite} from '../src/source/site.js'
import {createWebRenderer} from '../src/web/render.js'
import {renderPostForWeb} from '../src/web/post.js'
import {renderEmailHtml} from '../src/email/render.js'
import {createHighlight} from '../src/render/highlight.js'
import {excerptTree} from '../src/render/excerpt.js'

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

describe.skipIf(!hasSample)('email render of the sample posts', () => {
  it('leaves every tree as it was and renders the same HTML twice', async () => {
    const {config} = await loadConfig(projectRoot)
    const site = await loadSite(config)
    expect(site.all.length).toBeGreaterThan(0)
    const highlight = await createHighlight()
    await highlight.prepare(site.all.map((post) => post.tree))
    const baseUrl = 'https://example.com/'
    for (const post of site.all) {
      const excerpt = excerptTree(post)
      const before = structuredClone({full: post.tree, excerpt})
      const render = () =>
        [post.tree, excerpt].flatMap((tree) => [
          renderEmailHtml(tree, {baseUrl, pageUrl: baseUrl, highlight, dropFirstHeading: post.titleFromHeading}),
          renderEmailHtml(tree, {baseUrl, pageUrl: baseUrl, highlight, dropFirstHeading: post.titleFromHeading, utm: {source: 'newsletter', campaign: 'x'}})
        ])
      const first = render()
      expect({full: post.tree, excerpt}, post.sourcePath).toStrictEqual(before)
      expect(render(), post.sourcePath).toStrictEqual(first)
      expect({full: post.tree, excerpt}, post.sourcePath).toStrictEqual(before)
    }
  })
})

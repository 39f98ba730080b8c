/**
 * OUT/site/_redirects: the posts' aliases in the format Netlify and
 * Cloudflare Pages read, beside the redirect pages every host serves.
 */
import fs from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {removeBuiltSites, tempSite} from './helpers/site.js'

afterAll(() => {
  removeBuiltSites()
})

const post = (title: string, extra: string) => `---\ntitle: ${title}\ndate: 2026-03-02\n${extra}---\n\nAbout ${title.toLowerCase()}.\n`

describe('_redirects', () => {
  it('should list every alias of a published post, 301 to the post, sorted', async () => {
    const built = await tempSite(
      {
        'wheel.md': post('Wheel throwing', 'aliases: [/2019/wheel/, /throwing.html]\n'),
        'clay.md': post('Reclaiming clay', 'aliases: /clay/\n'),
        'draft.md': post('Unfinished', 'draft: true\naliases: [/unfinished/]\n'),
        'plain.md': post('No aliases', '')
      },
      'baseUrl: https://studio.example/\n'
    )
    expect(fs.readFileSync(path.join(built.site, '_redirects'), 'utf8')).toBe(
      "# The posts' aliases (old addresses), for hosts that read this file\n" +
        '/2019/wheel/ /posts/wheel/ 301\n' +
        '/clay/ /posts/clay/ 301\n' +
        '/throwing.html /posts/wheel/ 301\n'
    )
    // The redirect pages stay, for hosts without a redirect file (GitHub Pages).
    expect(fs.existsSync(path.join(built.site, '2019/wheel/index.html'))).toBe(true)
  })

  it('should put a project page’s base path on both sides', async () => {
    const built = await tempSite({'kiln.md': post('Kiln log', 'aliases: [/old-kiln/]\n')}, 'baseUrl: https://someone.github.io/studio/\n')
    expect(fs.readFileSync(path.join(built.site, '_redirects'), 'utf8')).toContain('/studio/old-kiln/ /studio/posts/kiln/ 301\n')
  })

  it('should write no _redirects when no post has an alias', async () => {
    const built = await tempSite({'kiln.md': post('Kiln log', '')})
    expect(fs.existsSync(path.join(built.site, '_redirects'))).toBe(false)
  })
})

/**
 * `check` as the author's safety net for links: anchors in the same post and
 * in other posts (linked by their .md path), and images without alt text.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {check} from '../src/pipeline/check.js'
import type {Diagnostic} from '../src/source/report.js'

let root: string
let found: Diagnostic[]

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-links-'))
  fs.mkdirSync(path.join(root, 'posts', '2026'), {recursive: true})
  fs.writeFileSync(
    path.join(root, 'posts', '2026', 'a.md'),
    [
      '---',
      'title: A',
      'date: 2026-01-02',
      '---',
      '',
      '## Real heading',
      '',
      '[ok](#real-heading) [bad](#nope) [other](b.md#second) [other bad](b.md#gone) [note](#user-content-fn-1)',
      '',
      '![](chart.png) ![A chart](chart.png)',
      '',
      '## Custom { #mine }',
      '',
      '[by id](#mine) and a claim.[^1]',
      '',
      '[^1]: Its source.',
      ''
    ].join('\n')
  )
  fs.writeFileSync(path.join(root, 'posts', '2026', 'b.md'), '---\ntitle: B\ndate: 2026-01-03\n---\n\n## Second\n')
  fs.writeFileSync(path.join(root, 'posts', '2026', 'chart.png'), 'not really a png')
  found = (await check({root})).diagnostics
})

afterAll(() => {
  fs.rmSync(root, {recursive: true, force: true})
})

describe('check on links and images', () => {
  it('should report an anchor that names no heading in the same post, at the link', () => {
    const anchors = found.filter((item) => item.rule === 'anchor-missing')
    expect(anchors.map((item) => [item.line, item.column])).toEqual([
      [8, 21],
      [8, 55]
    ])
    expect(anchors[0]!.message).toContain('#nope')
    expect(anchors[1]!.message).toContain('posts/2026/b.md')
  })

  it('should accept headings, attr-list ids and footnotes as anchors', () => {
    expect(found.some((item) => item.message.includes('#mine'))).toBe(false)
    expect(found.some((item) => item.message.includes('user-content-fn-1'))).toBe(false)
  })

  it('should report an image without alt text, once, at the image', () => {
    const alt = found.filter((item) => item.rule === 'image-alt-missing')
    expect(alt.map((item) => [item.line, item.column])).toEqual([[10, 1]])
    expect(alt[0]!.severity).toBe('warning')
  })
})

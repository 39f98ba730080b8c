/**
 * A cold build big enough to use worker threads gives exactly what the same
 * build on one thread gives: the same files, byte for byte, and the same
 * messages. Runs the real CLI (the workers run compiled code).
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'
import {poolThreshold} from '../src/pipeline/pool.js'
import {fileHashes} from './helpers/files.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-workers-'))
afterAll(() => fs.rmSync(work, {recursive: true, force: true}))

/** Sixty posts over five months: links between them, images, code, math, admonitions, a broken link. */
function makeSite(root: string): void {
  const write = (relative: string, text: string | Buffer) => {
    const file = path.join(root, relative)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, text)
  }
  write('letterpress.yml', 'title: Pipeline Weather\nbaseUrl: https://weather.example/\n')
  write('posts/assets/chart.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"></svg>\n')
  for (let index = 0; index < 60; index++) {
    const month = String(6 + (index % 5)).padStart(2, '0')
    const day = String(1 + (index % 27)).padStart(2, '0')
    const next = (index + 1) % 60
    write(
      `posts/2026/${month}/note-${index}.md`,
      [
        '---',
        `title: Forecast number ${index}`,
        `date: 2026-${month}-${day}`,
        `tags: [${index % 2 ? 'drift' : 'latency'}, weekly]`,
        ...(index % 7 === 0 ? ['email: full'] : []),
        '---',
        '',
        `The queue was ${index % 3 ? 'calm' : 'busy'} this week; see [the next note](../${String(6 + (next % 5)).padStart(2, '0')}/note-${next}.md).`,
        '',
        '<!-- more -->',
        '',
        '## What moved',
        '',
        `!!! ${index % 2 ? 'warning' : 'tip'} "Watch the backlog"`,
        '    Retries doubled after the deploy; the ==hot path== stayed flat :rocket:.',
        '',
        '```python',
        `def backlog(size={index}):`,
        '    return size * 2',
        '```',
        '',
        ...(index % 4 === 0 ? ['Latency grows like $O(n \\log n)$ here.', ''] : []),
        ...(index % 5 === 0 ? ['![The weekly chart](/assets/chart.svg)', ''] : []),
        ...(index === 13 ? ['A link to [a note that is gone](../06/missing.md).', ''] : []),
        '| week | p99 |',
        '| --- | --- |',
        `| ${index} | ${100 + index} ms |`,
        ''
      ].join('\n')
    )
  }
}

function build(root: string, out: string, workers: string) {
  const result = spawnSync(process.execPath, [bin, 'build', '--root', root, '--out', out], {
    encoding: 'utf8',
    timeout: 240_000,
    env: {...process.env, LETTERPRESS_WORKERS: workers, LETTERPRESS_TIMINGS: '1'}
  })
  const stderr = result.stderr.replace(/ in \d+\.\d+ s/, ' in N s').replace(/-> .*$/m, '')
  return {
    code: result.status,
    pool: /\[timing\] pool: (\d+) workers/.exec(stderr)?.[1],
    pagesOnWorkers: Number(/\[timing\] +pages \((\d+) rendered on the workers\)/.exec(stderr)?.[1] ?? 0),
    stderr: stderr.replace(/^\[timing\].*\n/gm, '')
  }
}

describe('a cold build on worker threads', () => {
  it('should write the same bytes and say the same things as on one thread', () => {
    const one = path.join(work, 'one')
    const two = path.join(work, 'two')
    makeSite(one)
    makeSite(two)
    const single = build(one, path.join(work, 'out-one'), '0')
    const parallel = build(two, path.join(work, 'out-two'), '2')
    expect(single.code).toBe(0)
    expect(single.stderr).toContain('posts/2026/09/note-13.md:21:11')
    expect(single.stderr).toContain('link-missing')
    expect(single.pool).toBeUndefined()
    expect(parallel.pool).toBe('2')
    // Pages too are rendered on the workers, and come out the same.
    expect(single.pagesOnWorkers).toBe(0)
    expect(parallel.pagesOnWorkers).toBeGreaterThan(60)
    expect(parallel.stderr).toEqual(single.stderr)
    const a = fileHashes(path.join(work, 'out-one'))
    expect(a.size).toBeGreaterThan(100)
    expect(fileHashes(path.join(work, 'out-two'))).toEqual(a)
    // The memo the workers filled serves the next build like any other.
    fs.appendFileSync(path.join(two, 'posts/2026/07/note-1.md'), '\nOne more line.\n')
    fs.appendFileSync(path.join(one, 'posts/2026/07/note-1.md'), '\nOne more line.\n')
    const again = build(two, path.join(work, 'out-two'), '2')
    expect(again.code).toBe(0)
    build(one, path.join(work, 'out-one'), '0')
    expect(fileHashes(path.join(work, 'out-two'))).toEqual(fileHashes(path.join(work, 'out-one')))
  }, 300_000)
})

describe('a template that fails on one page, on worker threads', () => {
  it('should stop the build with the same message, at the template\'s line, as on one thread', () => {
    // Two pages fail, in batches of their own: the message is the first page's in the plan, as on one thread.
    const template = '<h1>{{ post.title }}</h1>\n{% if post.title == "Forecast number 33" or post.title == "Forecast number 3" %}\n{{ post.title | no_such_filter }}\n{% endif %}\n'
    const outs: Array<ReturnType<typeof build>> = []
    for (const [name, workers] of [['fail-one', '0'], ['fail-two', '2']] as const) {
      const root = path.join(work, name)
      makeSite(root)
      fs.mkdirSync(path.join(root, 'templates', 'web'), {recursive: true})
      fs.writeFileSync(path.join(root, 'templates', 'web', 'post.liquid'), template)
      outs.push(build(root, path.join(work, `out-${name}`), workers))
      expect(fs.existsSync(path.join(work, `out-${name}`)), name).toBe(false)
    }
    const [single, parallel] = outs as [ReturnType<typeof build>, ReturnType<typeof build>]
    expect(single.code).toBe(1)
    expect(single.stderr).toMatch(/templates\/web\/post\.liquid:3:\d+ +error .*no_such_filter.*rendering \/posts\/note-\d+\/\)/)
    expect(parallel.pool).toBe('2')
    expect(parallel.code).toBe(1)
    expect(parallel.stderr).toEqual(single.stderr)
  }, 300_000)
})

describe('LETTERPRESS_WORKERS in a program that uses letterpress as a library', () => {
  it('should count from when a build starts, not from when letterpress was imported', () => {
    const before = process.env['LETTERPRESS_WORKERS']
    try {
      delete process.env['LETTERPRESS_WORKERS']
      expect(poolThreshold()).toBe(240)
      process.env['LETTERPRESS_WORKERS'] = '2'
      expect(poolThreshold()).toBe(1)
    } finally {
      if (before === undefined) delete process.env['LETTERPRESS_WORKERS']
      else process.env['LETTERPRESS_WORKERS'] = before
    }
  })
})

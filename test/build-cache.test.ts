/**
 * The build cache as an author meets it: a second build with nothing changed
 * does nothing and says so; any change to what a build reads (a post, an
 * asset, a template, the config, an issue note, letterpress itself) builds
 * again and gives exactly what a build without any cache gives; a damaged
 * cache or a tampered OUT is never trusted.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, describe, expect, it} from 'vitest'
import {inputFingerprint, readWarmRecord, warmBuild, writeWarmRecord} from '../src/pipeline/warm.js'
import {build, buildFrom, type BuildResult} from '../src/pipeline/build.js'
import {openStaging, writeTree, type WriteContent} from '../src/pipeline/write.js'
import {check} from '../src/pipeline/check.js'
import {loadConfig} from '../src/source/config.js'
import {issue} from '../src/pipeline/newsletter.js'
import {forgetMemoBucket, memoEntries} from '../src/pipeline/memo.js'
import {fileHashes} from './helpers/files.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, {recursive: true, force: true})
})

function temporary(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `letterpress-cache-${name}-`))
  made.push(dir)
  return dir
}

/** A small site with two posts in two months, an image and a config. */
function makeSite(): {root: string; out: string} {
  const root = temporary('root')
  const write = (relative: string, text: string | Buffer) => {
    const file = path.join(root, relative)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, text)
  }
  write('letterpress.yml', 'title: Cache Notes\nbaseUrl: https://cache.example/\n')
  write(
    'posts/2026/09/warmup.md',
    '---\ntitle: Warming the feature store\ndate: 2026-09-03\ntags: [cache]\n---\n\nThe first read is slow; the rest are not.\n\n![A chart of hit rates](../../assets/hits.png)\n'
  )
  write(
    'posts/2026/10/eviction.md',
    '---\ntitle: Eviction without tears\ndate: 2026-10-08\ntags: [cache]\n---\n\nLeast recently used is a fine default until it is not.\n'
  )
  write('posts/assets/hits.png', png(4, 3))
  return {root, out: path.join(temporary('out'), 'out')}
}

/** A valid PNG header of the given size (enough for image-size and for copying). */
function png(width: number, height: number): Buffer {
  const header = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')
  const size = Buffer.alloc(8)
  size.writeUInt32BE(width, 0)
  size.writeUInt32BE(height, 4)
  return Buffer.concat([header, size, Buffer.from('0806000000', 'hex'), Buffer.alloc(16)])
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()])
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort()
}

/** The build memo's folder under `root`. */
function memoFolder(root: string): string {
  return path.join(root, '.cache', 'letterpress', 'memo')
}

/** The keys the build memo under `root` holds in `bucket`, sorted. */
function memoKeys(root: string, bucket: string): string[] {
  return [...(memoEntries(memoFolder(root)).get(bucket) ?? [])].sort()
}

/** The memo key each page of OUT was made from, as the last build recorded it. */
function pageKeys(root: string): Map<string, string> {
  const folder = path.join(root, '.cache', 'letterpress')
  const [name] = fs.readdirSync(folder).filter((entry) => /^build-.*\.json$/.test(entry))
  const record = JSON.parse(fs.readFileSync(path.join(folder, name!), 'utf8')) as {keys: Record<string, string>}
  return new Map(Object.entries(record.keys))
}

/** Every file under `folder` with its size. */
function filesIn(folder: string): Array<[string, number]> {
  return (fs.readdirSync(folder, {recursive: true, encoding: 'utf8'}) as string[])
    .map((name): [string, fs.Stats] => [name, fs.statSync(path.join(folder, name))])
    .filter(([, stat]) => stat.isFile())
    .map(([name, stat]) => [name, stat.size])
}

/** A build of a copy of `root` with no cache at all, into a fresh OUT. */
async function uncachedBuild(root: string): Promise<Map<string, string>> {
  const copy = temporary('copy')
  fs.cpSync(root, copy, {recursive: true})
  fs.rmSync(path.join(copy, '.cache'), {recursive: true, force: true})
  const out = path.join(temporary('out'), 'out')
  const result = await build({root: copy, outDir: out})
  expect(result.errors).toBe(0)
  return fileHashes(out)
}

describe('the warm build', () => {
  it('should do nothing the second time, with the same messages, and leave OUT as it was', async () => {
    const {root, out} = makeSite()
    const first = await build({root, outDir: out})
    expect(first.written).toBe(true)
    expect(first.unchanged).toBeUndefined()
    const before = fileHashes(out)
    const mtimes = fs.statSync(path.join(out, 'site', 'index.html')).mtimeMs
    const second = await build({root, outDir: out})
    expect(second.unchanged).toBe(true)
    expect(second.diagnostics).toEqual(first.diagnostics)
    expect([second.posts, second.pages, second.errors, second.warnings]).toEqual([first.posts, first.pages, first.errors, first.warnings])
    expect(fileHashes(out)).toEqual(before)
    expect(fs.statSync(path.join(out, 'site', 'index.html')).mtimeMs).toBe(mtimes)
  })

  it("should see an edit that keeps a post's size and modification time, with its files' hashes kept from the last build", async () => {
    const {root, out} = makeSite()
    const file = path.join(root, 'posts/2026/10/eviction.md')
    // A whole second an hour ago, which the edit below puts back exactly.
    const then = Math.floor(Date.now() / 1000) - 3600
    fs.utimesSync(file, then, then)
    // Hashes are kept only for files last changed over two seconds before the build.
    await new Promise((resolve) => setTimeout(resolve, 2100))
    expect((await build({root, outDir: out})).errors).toBe(0)
    const kept = JSON.parse(fs.readFileSync(path.join(root, '.cache', 'letterpress', 'input-hashes.json'), 'utf8')) as {files: Record<string, unknown>}
    expect(Object.keys(kept.files)).toContain(file)
    expect((await build({root, outDir: out})).unchanged).toBe(true)

    const size = fs.statSync(file).size
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('fine default', 'firm default'))
    fs.utimesSync(file, then, then)
    expect([fs.statSync(file).size, fs.statSync(file).mtimeMs]).toEqual([size, then * 1000])
    const again = await build({root, outDir: out})
    expect(again.unchanged).toBeUndefined()
    expect(fs.readFileSync(path.join(out, 'site', 'posts', 'eviction', 'index.html'), 'utf8')).toContain('firm default')
  })

  const changes: Array<{kind: string; change: (root: string) => void; expect: (changed: string[]) => void}> = [
    {
      kind: 'a post',
      change: (root) => {
        const file = path.join(root, 'posts/2026/10/eviction.md')
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('fine default', 'sound default'))
      },
      expect: (changed) => {
        expect(changed).toContain('site/posts/eviction/index.html')
        expect(changed).toContain('email/2026-10/issue.html')
        expect(changed).not.toContain('site/posts/warmup/index.html')
        expect(changed).not.toContain('email/2026-09/issue.html')
      }
    },
    {
      kind: 'an asset',
      change: (root) => fs.writeFileSync(path.join(root, 'posts/assets/hits.png'), png(8, 6)),
      expect: (changed) => {
        expect(changed).toContain('site/assets/hits.png')
        // The page reserves the image's new size.
        expect(changed).toContain('site/posts/warmup/index.html')
        expect(changed).not.toContain('site/posts/eviction/index.html')
      }
    },
    {
      kind: 'a template',
      change: (root) => {
        fs.mkdirSync(path.join(root, 'templates/web'), {recursive: true})
        fs.writeFileSync(path.join(root, 'templates/web/404.liquid'), '<!doctype html><title>Lost</title><p>Nothing here.</p>\n')
      },
      expect: (changed) => expect(changed).toEqual(['site/404.html'])
    },
    {
      kind: 'the config',
      change: (root) => fs.writeFileSync(path.join(root, 'letterpress.yml'), 'title: Cache Letters\nbaseUrl: https://cache.example/\n'),
      expect: (changed) => {
        expect(changed).toContain('site/index.html')
        expect(changed).toContain('email/2026-09/issue.eml')
      }
    },
    {
      kind: "a post's tags",
      change: (root) =>
        fs.writeFileSync(
          path.join(root, 'posts/2026/10/eviction.md'),
          '---\ntitle: Eviction without tears\ndate: 2026-10-08\ntags: [storage]\n---\n\nLeast recently used is a fine default until it is not.\n'
        ),
      expect: (changed) => {
        // The other post no longer shares a tag with it, so no longer lists it as related.
        expect(changed).toContain('site/posts/warmup/index.html')
        expect(changed).toContain('site/tags/storage/index.html')
      }
    },
    {
      kind: 'the month of a post (a second post joins its issue)',
      change: (root) =>
        fs.writeFileSync(
          path.join(root, 'posts/2026/10/admission.md'),
          '---\ntitle: Admission before eviction\ndate: 2026-10-20\ntags: [cache]\n---\n\nAn item read once should not push out one read daily.\n\n```python\nif hits[key] > 1:\n    admit(key)\n```\n'
        ),
      expect: (changed) => {
        // The issue is made again around the unchanged post's memoised tree and email parts.
        expect(changed).toContain('email/2026-10/issue.html')
        expect(changed).toContain('email/2026-10/issue.txt')
        expect(changed).not.toContain('email/2026-09/issue.html')
      }
    },
    {
      kind: 'an issue note',
      change: (root) => {
        fs.mkdirSync(path.join(root, 'issues'), {recursive: true})
        fs.writeFileSync(path.join(root, 'issues/2026-09.md'), '---\nsubject: September, warmed up\n---\n\nA short month.\n')
      },
      expect: (changed) => {
        expect(changed).toContain('email/2026-09/issue.html')
        expect(changed).not.toContain('email/2026-10/issue.html')
      }
    }
  ]

  for (const {kind, change, expect: expectChanged} of changes) {
    it(`should build again after a change to ${kind}, exactly as a build without a cache`, async () => {
      const {root, out} = makeSite()
      await build({root, outDir: out})
      const before = fileHashes(out)
      change(root)
      const again = await build({root, outDir: out})
      expect(again.unchanged).toBeUndefined()
      expect(again.errors).toBe(0)
      const after = fileHashes(out)
      expectChanged(changedFiles(before, after))
      expect(after).toEqual(await uncachedBuild(root))
    })
  }

  it('should not trust a record made by another version of letterpress', async () => {
    const {root, out} = makeSite()
    const {config, file} = await loadConfig(root, {outDir: out})
    const text = String(file.value)
    await build({root, outDir: out})
    expect(inputFingerprint(config, text, 'one')).not.toBe(inputFingerprint(config, text, 'two'))
    expect(readWarmRecord(config, inputFingerprint(config, text)!)).toBeDefined()
    expect(readWarmRecord(config, inputFingerprint(config, text, 'a later release')!)).toBeUndefined()
  })

  it('should rebuild OUT when a file in it was edited, removed or added', async () => {
    const {root, out} = makeSite()
    await build({root, outDir: out})
    const good = fileHashes(out)
    for (const tamper of [
      () => fs.appendFileSync(path.join(out, 'site/index.html'), '<!-- edited by hand -->'),
      () => fs.rmSync(path.join(out, 'site/feed.xml')),
      () => fs.writeFileSync(path.join(out, 'site/stray.html'), 'not ours')
    ]) {
      tamper()
      const again = await build({root, outDir: out})
      expect(again.unchanged).toBeUndefined()
      expect(fileHashes(out)).toEqual(good)
    }
  })

  it('should ignore a truncated or foreign record and write a good one again', async () => {
    const {root, out} = makeSite()
    await build({root, outDir: out})
    const records = path.join(root, '.cache', 'letterpress')
    const [name] = fs.readdirSync(records).filter((entry) => entry.startsWith('build-'))
    const record = path.join(records, name!)
    const good = fileHashes(out)
    for (const damage of [
      () => fs.writeFileSync(record, fs.readFileSync(record, 'utf8').slice(0, 40)),
      () => fs.writeFileSync(record, JSON.stringify({format: 1, fingerprint: 'x', outputs: 'no'})),
      () => fs.writeFileSync(record, '\0\0\0')
    ]) {
      damage()
      const again = await build({root, outDir: out})
      expect(again.unchanged).toBeUndefined()
      expect(again.errors).toBe(0)
      expect(fileHashes(out)).toEqual(good)
      expect((await build({root, outDir: out})).unchanged).toBe(true)
    }
  })

  it('should make damaged or foreign memo entries again instead of trusting them', async () => {
    const {root, out} = makeSite()
    await build({root, outDir: out})
    const memo = memoFolder(root)
    const packs = fs.readdirSync(memo)
    expect(packs).toHaveLength(1)
    const pack = path.join(memo, packs[0]!)
    const good = fs.readFileSync(pack)
    const edit = (line: string) => fs.appendFileSync(path.join(root, 'posts/2026/09/warmup.md'), `\n${line}\n`)
    const damages: Array<[string, () => void]> = [
      // Bytes changed inside the entries (their hashes no longer match), then inside the index.
      ['entries', () => fs.writeFileSync(pack, Buffer.from(good.map((byte, at) => (at < good.length / 2 && at % 7 === 0 ? byte ^ 0x5a : byte))))],
      ['index', () => fs.writeFileSync(pack, Buffer.from(good.map((byte, at) => (at === good.length - 40 ? byte ^ 0x5a : byte))))],
      ['cut short', () => fs.writeFileSync(pack, good.subarray(0, good.length - 100))],
      ['emptied', () => fs.writeFileSync(pack, '')],
      ['foreign', () => fs.writeFileSync(pack, Buffer.alloc(good.length, 0x41))]
    ]
    for (const [at, [, damage]] of damages.entries()) {
      damage()
      // A change somewhere, so the build does not stop at the warm check.
      edit(`One more line, ${at}.`)
      const again = await build({root, outDir: out})
      expect(again.errors).toBe(0)
      expect(fileHashes(out)).toEqual(await uncachedBuild(root))
      // The next damage is to the first build's pack again, alone.
      fs.rmSync(memo, {recursive: true})
      fs.mkdirSync(memo)
      fs.writeFileSync(pack, good)
    }
  })

  it('should write a cache no bigger than the site it built, as a few files, and keep it readable when a build stops', async () => {
    const {root, out} = makeSite()
    for (let index = 0; index < 30; index++) {
      const month = String((index % 6) + 1).padStart(2, '0')
      fs.writeFileSync(
        path.join(root, `posts/2026/10/bulk-${index}.md`),
        `---\ntitle: Bulk note ${index}\ndate: 2026-${month}-1${index % 10}\ntags: [bulk, t${index % 4}]\n---\n\n` +
          `Paragraph ${index} about caches, with *emphasis* and \`code\`.\n\n`.repeat(12) +
          '```python\nfor key in keys:\n    cache[key] = load(key)\n```\n'
      )
    }
    expect((await build({root, outDir: out})).errors).toBe(0)
    const cache = filesIn(memoFolder(root))
    const site = filesIn(out)
    const size = (files: Array<[string, number]>) => files.reduce((sum, [, bytes]) => sum + bytes, 0)
    expect(size(cache)).toBeGreaterThan(0)
    expect(size(cache)).toBeLessThanOrEqual(size(site))
    expect(cache.length).toBeLessThanOrEqual(2)
    // What OUT and the sources hold already is not kept again.
    expect(memoKeys(root, 'page')).toEqual([])
    expect(memoKeys(root, 'text')).toEqual([])

    // A build stopped halfway leaves its unfinished pack beside the last good one: ignored, then cleared.
    const memo = memoFolder(root)
    const [pack] = fs.readdirSync(memo)
    fs.writeFileSync(path.join(memo, `999999999999.pack.${process.pid}.tmp`), fs.readFileSync(path.join(memo, pack!)).subarray(0, 500))
    fs.appendFileSync(path.join(root, 'posts/2026/09/warmup.md'), '\nOne more line.\n')
    const before = memoKeys(root, 'post')
    expect((await build({root, outDir: out})).errors).toBe(0)
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
    expect(fs.readdirSync(memo).filter((name) => name.endsWith('.tmp'))).toEqual([])
    // The unchanged posts' records were read from the last good pack, and kept.
    const after = memoKeys(root, 'post')
    expect(before.filter((key) => !after.includes(key)).length).toBeLessThanOrEqual(1)
  })

  it("should make an issue again around its unchanged posts' memoised trees and email parts, exactly as without a cache", async () => {
    const {root, out} = makeSite()
    const admission = path.join(root, 'posts/2026/10/admission.md')
    const text = (body: string) => `---\ntitle: Admission before eviction\ndate: 2026-10-20\ntags: [cache]\n---\n\n${body}\n\n\`\`\`python\nif hits[key] > 1:\n    admit(key)\n\`\`\`\n`
    fs.writeFileSync(admission, text('An item read once should not push out one read daily.'))
    await build({root, outDir: out})
    const made = memoKeys(root, 'part')
    expect(made.length).toBeGreaterThan(2)
    // The python block's patterns as JavaScript regexes, for the next build's highlighter.
    expect(memoKeys(root, 'regexes')).toHaveLength(1)
    const before = fileHashes(out)
    fs.writeFileSync(admission, text('An item read once should not push out one read every day, so it waits at the door.'))
    await build({root, outDir: out})
    const changed = changedFiles(before, fileHashes(out))
    expect(changed).toContain('email/2026-10/issue.html')
    expect(changed).not.toContain('email/2026-09/issue.html')
    // The other post of the month kept its parts; the edited one has new ones.
    const kept = memoKeys(root, 'part').filter((key) => made.includes(key))
    expect(kept.length).toBeGreaterThan(0)
    expect(memoKeys(root, 'part').length).toBeGreaterThan(kept.length)
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
  })

  it("should reuse an issue when a card's post changes below its excerpt, and make it again when the excerpt changes", async () => {
    const {root, out} = makeSite()
    // October's lead is the first post; this one is a card, showing what comes before `<!-- more -->`.
    const admission = path.join(root, 'posts/2026/10/admission.md')
    const text = (excerpt: string, rest: string) =>
      `---\ntitle: Admission before eviction\ndate: 2026-10-20\ntags: [cache]\n---\n\n${excerpt}\n\n<!-- more -->\n\n${rest}\n`
    fs.writeFileSync(admission, text('An item read once should not push out one read daily.', 'Count the reads first.'))
    await build({root, outDir: out})
    const entries = () => memoKeys(root, 'issue')
    const made = entries()
    let before = fileHashes(out)

    fs.writeFileSync(admission, text('An item read once should not push out one read daily.', 'Count the reads first, then admit.'))
    expect((await build({root, outDir: out})).errors).toBe(0)
    let changed = changedFiles(before, fileHashes(out))
    expect(changed).toContain('site/posts/admission/index.html')
    expect(changed.filter((name) => name.startsWith('email/'))).toEqual([])
    // Taken from the memo whole: no issue was made again.
    expect(entries()).toEqual(made)
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))

    before = fileHashes(out)
    fs.writeFileSync(admission, text('An item read once should wait at the door.', 'Count the reads first, then admit.'))
    expect((await build({root, outDir: out})).errors).toBe(0)
    changed = changedFiles(before, fileHashes(out))
    expect(changed).toContain('email/2026-10/issue.html')
    expect(fs.readFileSync(path.join(out, 'email/2026-10/issue.txt'), 'utf8')).toContain('should wait at the door')
    expect(entries()).not.toEqual(made)
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
  })

  it('should render a list again only when a field its templates read of a post changed', async () => {
    const {root, out} = makeSite()
    const eviction = path.join(root, 'posts/2026/10/eviction.md')
    const text = (rest: string) =>
      `---\ntitle: Eviction without tears\ndate: 2026-10-08\ntags: [cache]\nemail: card\n---\n\nLeast recently used is a fine default until it is not.\n\n<!-- more -->\n\n${rest}\n`
    fs.writeFileSync(eviction, text('Measure first.'))
    await build({root, outDir: out})
    // The pages made again: those whose key changed in the build's record.
    const names = () => pageKeys(root)
    const changed = (before: Map<string, string>) => [...names()].filter(([file, key]) => before.get(file) !== key).map(([file]) => file)
    // The search index and the text group holding the post follow every edit of a text; pages are the rest.
    const newPages = (before: Map<string, string>) => changed(before).filter((file) => !file.startsWith('site/search/')).length

    // A few more words: the same reading time, excerpt and everything else a list (or the issue, where the post is
    // a card) shows. Only the post's own page, which shows its body, is rendered again; the home, tag, archive,
    // "related" and issue pages keep their keys.
    let before = names()
    fs.writeFileSync(eviction, text('Measure first, then choose.'))
    expect((await build({root, outDir: out})).errors).toBe(0)
    expect(newPages(before)).toBe(1)
    expect(changed(before).filter((file) => file.startsWith('site/search/')).sort()).toEqual(['site/search/index.js', expect.stringMatching(/^site\/search\/text\/\d+\.js$/)])
    expect(fs.readFileSync(path.join(out, 'site/posts/eviction/index.html'), 'utf8')).toContain('then choose')
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))

    // Nine hundred words more: a longer reading time, which every list shows.
    before = names()
    fs.writeFileSync(eviction, text('Measure first, then choose. ' + 'Count the misses. '.repeat(300)))
    expect((await build({root, outDir: out})).errors).toBe(0)
    expect(newPages(before)).toBeGreaterThan(3)
    expect(fs.readFileSync(path.join(out, 'site/index.html'), 'utf8')).toMatch(/[3-9]&nbsp;min read/)
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
  })

  it('should render a list again on any change to a post when its template reads the whole post view', async () => {
    const {root, out} = makeSite()
    const builtIn = fs.readFileSync(path.join(project, 'templates/web/partials/post-summary.liquid'), 'utf8')
    fs.mkdirSync(path.join(root, 'templates/web/partials'), {recursive: true})
    // `json` lists every field: the word count too.
    fs.writeFileSync(
      path.join(root, 'templates/web/partials/post-summary.liquid'),
      builtIn.replace('</article>', '<script type="application/json">{{ entry | json }}</script></article>')
    )
    const eviction = path.join(root, 'posts/2026/10/eviction.md')
    await build({root, outDir: out})
    fs.appendFileSync(eviction, '\nTwo words.\n')
    expect((await build({root, outDir: out})).errors).toBe(0)
    expect(fs.readFileSync(path.join(out, 'site/index.html'), 'utf8')).toMatch(/&#34;words&#34;:1[0-9]/)
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
  })

  it("should take an issue's lint findings from the memo when its email comes out the same, and still report them", async () => {
    const {root, out} = makeSite()
    fs.mkdirSync(path.join(root, 'templates/email/partials'), {recursive: true})
    fs.writeFileSync(
      path.join(root, 'templates/email/partials/footer.mjml.liquid'),
      '<mj-section><mj-column><mj-text>\n  <a href="/about/">About us</a> <a href="{{ footer.unsubscribeUrl | raw }}">Leave</a>\n</mj-text></mj-column></mj-section>\n'
    )
    const first = await build({root, outDir: out})
    const footerWarning = (result: typeof first) =>
      result.diagnostics.filter((item) => item.file === 'templates/email/partials/footer.mjml.liquid' && item.rule === 'email-url')
    // One finding per issue, each on the footer template line.
    expect(footerWarning(first)).toHaveLength(2)
    const made = memoKeys(root, 'lint')
    expect(made).toHaveLength(2)
    const before = fileHashes(out)
    // New tags: the post and its issue are made again, but the email itself is the same.
    const file = path.join(root, 'posts/2026/10/eviction.md')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('tags: [cache]', 'tags: [cache, storage]'))
    const again = await build({root, outDir: out})
    expect(again.unchanged).toBeUndefined()
    expect(changedFiles(before, fileHashes(out))).not.toContain('email/2026-10/issue.html')
    expect(memoKeys(root, 'lint')).toEqual(made)
    expect(footerWarning(again)).toEqual(footerWarning(first))
    expect(JSON.parse(fs.readFileSync(path.join(out, 'email/2026-10/issue.json'), 'utf8')).warnings).toContainEqual(
      expect.objectContaining({rule: 'email-url', file: 'templates/email/partials/footer.mjml.liquid', line: 2})
    )
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
  })

  it("should parse a post again from its source when its cached tree is gone, exactly as without a cache", async () => {
    const {root, out} = makeSite()
    await build({root, outDir: out})
    await forgetMemoBucket(memoFolder(root), 'tree')
    expect(memoKeys(root, 'tree')).toEqual([])
    expect(memoKeys(root, 'post').length).toBeGreaterThan(0)
    // A second post in October: its issue is made again, and needs the first one's tree.
    fs.writeFileSync(
      path.join(root, 'posts/2026/10/admission.md'),
      '---\ntitle: Admission before eviction\ndate: 2026-10-20\ntags: [cache]\n---\n\nAn item read once should not push out one read daily.\n'
    )
    const again = await build({root, outDir: out})
    expect(again.errors).toBe(0)
    const issue = fs.readFileSync(path.join(out, 'email/2026-10/issue.html'), 'utf8')
    expect(issue).toContain('Least recently used is a fine default')
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
  })

  it("should render a post's page again from its memoised body, or from the post when the body is gone, exactly as without a cache", async () => {
    const {root, out} = makeSite()
    await build({root, outDir: out})
    const builtIn = fs.readFileSync(path.join(project, 'templates/web/post.liquid'), 'utf8')
    const override = (mark: string) => {
      fs.mkdirSync(path.join(root, 'templates/web'), {recursive: true})
      fs.writeFileSync(path.join(root, 'templates/web/post.liquid'), builtIn.replace('{% endblock %}', `<!-- ${mark} -->{% endblock %}`))
    }
    // Every post page is rendered again; the bodies come from the memo.
    override('first edition')
    expect((await build({root, outDir: out})).errors).toBe(0)
    const page = () => fs.readFileSync(path.join(out, 'site/posts/warmup/index.html'), 'utf8')
    expect(page()).toContain('first edition')
    expect(page()).toContain('The first read is slow; the rest are not.')
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))

    await forgetMemoBucket(memoFolder(root), 'body')
    override('second edition')
    expect((await build({root, outDir: out})).errors).toBe(0)
    expect(page()).toContain('second edition')
    expect(page()).toContain('The first read is slow; the rest are not.')
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
  })

  it('should write each build into the OUT the last one replaced, never over a file OUT still holds, and end as an uncached build', async () => {
    const {root, out} = makeSite()
    await build({root, outDir: out})
    const extra = path.join(root, 'posts/2026/10/admission.md')
    fs.writeFileSync(extra, '---\ntitle: Admission before eviction\ndate: 2026-10-20\ntags: [admission]\n---\n\nRead once, wait outside.\n')
    await build({root, outDir: out})
    const spare = fs.readdirSync(path.join(root, '.cache', 'letterpress')).filter((name) => name.startsWith('spare-'))
    expect(spare).toHaveLength(1)
    // A page OUT holds now, unchanged by the build before, so shared with the replaced OUT kept aside.
    const page = path.join(out, 'site/posts/eviction/index.html')
    const kept = path.join(temporary('kept'), 'eviction.html')
    fs.linkSync(page, kept)
    const before = fs.readFileSync(page, 'utf8')
    // The next build changes that page and drops the extra post (its page and tag must go).
    fs.rmSync(extra)
    const file = path.join(root, 'posts/2026/10/eviction.md')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('fine default', 'sound default'))
    await build({root, outDir: out})
    expect(fs.readFileSync(page, 'utf8')).toContain('sound default')
    expect(fs.readFileSync(kept, 'utf8')).toBe(before)
    expect(fs.existsSync(path.join(out, 'site/posts/admission'))).toBe(false)
    expect(fs.existsSync(path.join(out, 'site/tags/admission'))).toBe(false)
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
  })

  it('should turn folders into files and files into folders when it writes into a replaced OUT', async () => {
    const parent = temporary('write')
    const target = path.join(parent, 'out')
    const spare = path.join(parent, 'cache', 'spare')
    const write = async (files: Record<string, string>) => {
      const staging = openStaging(target, undefined, {spare})
      const tree = new Map<string, WriteContent>()
      for (const [relative, text] of Object.entries(files)) tree.set(relative, staging.put(relative, text))
      await writeTree(target, tree, {staging})
      const found: Record<string, string> = {}
      for (const relative of fs.readdirSync(target, {recursive: true, encoding: 'utf8'}) as string[]) {
        const full = path.join(target, relative)
        if (fs.statSync(full).isFile()) found[relative.split(path.sep).join('/')] = fs.readFileSync(full, 'utf8')
      }
      expect(found).toEqual(files)
      expect(fs.readdirSync(parent).filter((name) => name !== 'cache')).toEqual(['out'])
    }
    await write({'x/index.html': 'x as a folder', y: 'y as a file', 'deep/a/b/c.html': 'deep'})
    await write({x: 'x as a file', 'y/index.html': 'y as a folder'})
    // This one is written into the first OUT: each clash is cleared, and what it held beyond is gone.
    await write({x: 'x a file again', 'y/index.html': 'y a folder again', 'deep/a': 'a file where a folder was'})
    expect(fs.existsSync(spare)).toBe(true)
    await write({'x/index.html': 'x a folder again', y: 'y a file again'})
  })

  it('should key a post by the bytes it parsed when the file changed after the fingerprint read it', async () => {
    const {root, out} = makeSite()
    await build({root, outDir: out})
    const post = path.join(root, 'posts/2026/10/eviction.md')
    const first = fs.readFileSync(post, 'utf8')
    const second = first.replace('a fine default', 'a second default')
    const page = () => fs.readFileSync(path.join(out, 'site/posts/eviction/index.html'), 'utf8')
    // Fingerprinted as the second text, then put back to the first before the posts are loaded.
    fs.writeFileSync(post, second)
    const warm = await warmBuild({root, outDir: out})
    expect(warm.result).toBeUndefined()
    fs.writeFileSync(post, first)
    expect((await buildFrom(warm as Exclude<typeof warm, {result: BuildResult}>, {root, outDir: out})).errors).toBe(0)
    expect(page()).toContain('a fine default')
    // Had the first text been kept under the second's key, this build would show it.
    fs.writeFileSync(post, second)
    expect((await build({root, outDir: out})).errors).toBe(0)
    expect(page()).toContain('a second default')
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
  })

  it("should link an unchanged issue's files from OUT without its files in the memo, and make the issue again when OUT's copy was edited", async () => {
    const {root, out} = makeSite()
    await build({root, outDir: out})
    // The issue's files are kept apart from the issue: a build that links them from OUT never reads them.
    expect(memoKeys(root, 'issue-files')).toEqual(memoKeys(root, 'issue'))
    await forgetMemoBucket(memoFolder(root), 'issue-files')
    const september = path.join(out, 'email/2026-09/issue.eml')
    const inode = fs.statSync(september).ino
    fs.appendFileSync(path.join(root, 'posts/2026/10/eviction.md'), '\nOne more line.\n')
    expect((await build({root, outDir: out})).errors).toBe(0)
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
    expect(fs.statSync(september).ino).toBe(inode)

    // September's text part edited by hand, and its files gone from the memo again: the issue is made anew.
    await forgetMemoBucket(memoFolder(root), 'issue-files')
    fs.writeFileSync(path.join(out, 'email/2026-09/issue.txt'), 'edited by hand')
    fs.appendFileSync(path.join(root, 'posts/2026/10/eviction.md'), '\nAnd another.\n')
    expect((await build({root, outDir: out})).errors).toBe(0)
    expect(fs.readFileSync(path.join(out, 'email/2026-09/issue.txt'), 'utf8')).toContain('Warming the feature store')
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
  })

  it('should link unchanged pages from OUT by the key they were made from, and remake one edited by hand', async () => {
    const {root, out} = makeSite()
    await build({root, outDir: out})
    // The memo keeps no pages: unchanged pages can only come from OUT itself.
    expect(memoKeys(root, 'page')).toEqual([])
    // Pages the edit below does not change: one edited by hand in OUT, one left alone.
    fs.writeFileSync(path.join(out, 'site', 'tags', 'index.html'), 'edited by hand')
    const untouched = path.join(out, 'site', '404.html')
    const inode = fs.statSync(untouched).ino
    fs.appendFileSync(path.join(root, 'posts/2026/09/warmup.md'), '\nOne more line.\n')
    const again = await build({root, outDir: out})
    expect(again.errors).toBe(0)
    expect(fileHashes(out)).toEqual(await uncachedBuild(root))
    // The same file, linked into the new OUT rather than written again.
    expect(fs.statSync(untouched).ino).toBe(inode)
  })

  it('should write the same site when post bodies are read back from the memo instead of held in memory', async () => {
    const {root, out} = makeSite()
    const expected = await uncachedBuild(root)
    const edit = (site: string) => fs.appendFileSync(path.join(site, 'posts/2026/09/warmup.md'), '\nOne more line.\n')
    const other = makeSite()
    edit(other.root)
    const expectedEdited = await uncachedBuild(other.root)
    // A budget of one character: every body is read back from the memo.
    process.env['LETTERPRESS_BODY_BUDGET'] = '1'
    try {
      const first = await build({root, outDir: out})
      expect(first.errors).toBe(0)
      expect(fileHashes(out)).toEqual(expected)
      edit(root)
      await build({root, outDir: out})
      expect(fileHashes(out)).toEqual(expectedEdited)
    } finally {
      delete process.env['LETTERPRESS_BODY_BUDGET']
    }
  })

  it('should reuse the memo for what did not change and still report every message', async () => {
    const {root, out} = makeSite()
    fs.writeFileSync(path.join(root, 'posts/2026/10/eviction.md'), '---\ntitle: Eviction without tears\ndate: 2026-10-08\n---\n\nSee [the missing note](nowhere.md) and ![](../../assets/hits.png).\n')
    const first = await build({root, outDir: out})
    const rules = first.diagnostics.map((item) => `${item.file}:${item.line} ${item.rule}`)
    expect(rules).toContain('posts/2026/10/eviction.md:6 link-missing')
    expect(rules).toContain('posts/2026/10/eviction.md:6 image-alt-missing')
    fs.appendFileSync(path.join(root, 'posts/2026/09/warmup.md'), '\nOne more line.\n')
    const again = await build({root, outDir: out})
    expect(again.unchanged).toBeUndefined()
    expect(again.diagnostics).toEqual(first.diagnostics)
  })

  it('should fingerprint a site whose posts hold looping links, and build it warm the second time', async () => {
    const {root, out} = makeSite()
    fs.symlinkSync('.', path.join(root, 'posts', 'again'))
    fs.symlinkSync(root, path.join(root, 'posts', 'home'))
    const {config, file} = await loadConfig(root, {outDir: out})
    expect(inputFingerprint(config, String(file.value))).toMatch(/^[0-9a-f]{64}$/)
    const first = await build({root, outDir: out})
    expect(first.errors).toBe(0)
    expect((await build({root, outDir: out})).unchanged).toBe(true)
  })

  it('should give issue and check exactly what they give without a cache, and leave check writing nothing', async () => {
    const {root, out} = makeSite()
    await build({root, outDir: out})
    const copy = temporary('nocache')
    fs.cpSync(root, copy, {recursive: true})
    fs.rmSync(path.join(copy, '.cache'), {recursive: true, force: true})

    const issueOut = path.join(temporary('issue'), 'out')
    const made = await issue({root, month: '2026-10', outDir: issueOut})
    expect(made.errors).toBe(0)
    const built = fileHashes(path.join(out, 'email', '2026-10'))
    expect(fileHashes(path.join(issueOut, 'email', '2026-10'))).toEqual(built)

    const cacheBefore = fileHashes(path.join(root, '.cache'))
    const cached = await check({root})
    expect(fileHashes(path.join(root, '.cache'))).toEqual(cacheBefore)
    expect(cached.diagnostics).toEqual((await check({root: copy})).diagnostics)
  })

  it('should keep the record beside the cache only and never trust it for another OUT', async () => {
    const {root, out} = makeSite()
    const {config, file} = await loadConfig(root, {outDir: out})
    await build({root, outDir: out})
    const other = path.join(temporary('other'), 'out')
    const {config: otherConfig} = await loadConfig(root, {outDir: other})
    writeWarmRecord(config, 'f', {diagnostics: [], posts: 0, unpublished: {drafts: 0, scheduled: 0}, pages: 0})
    expect(readWarmRecord(otherConfig, inputFingerprint(otherConfig, String(file.value))!)).toBeUndefined()
    expect((await build({root, outDir: other})).unchanged).toBeUndefined()
  })
})

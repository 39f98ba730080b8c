import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {VFile} from 'vfile'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {decodeFile, findContent, findPosts, loadPost} from '../src/source/load.js'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixtures = path.join(projectRoot, 'test', 'fixtures', 'load')
const shared = path.resolve(projectRoot, '..', 'shared')
const update = process.env.UPDATE_FIXTURES === '1'

/** Messages the way `check --format json` shows them, minus the file. */
function messagesOf(file: VFile) {
  return file.messages.map((message) => ({
    line: message.line,
    column: message.column,
    severity: message.fatal ? 'error' : 'warning',
    rule: message.ruleId,
    message: message.reason
  }))
}

describe('loadPost fixtures', async () => {
  const cases = (await readdir(fixtures)).sort()
  it.each(cases)('should load %s as expected', async (name) => {
    const folder = path.join(fixtures, name)
    const file = await loadPost(folder, 'input.md')
    const messages = messagesOf(file)
    const messagesPath = path.join(folder, 'messages.json')
    if (update) await writeFile(messagesPath, JSON.stringify(messages, null, 2) + '\n')
    expect(existsSync(messagesPath), `${messagesPath} is missing: run with UPDATE_FIXTURES=1 and review it`).toBe(true)
    expect(String(file.value ?? '')).toBe(await readFile(path.join(folder, 'output.md'), 'utf8'))
    if (file.messages.some((message) => message.fatal)) expect(file.value).toBeUndefined()
    expect(messages).toEqual(JSON.parse(await readFile(messagesPath, 'utf8')))
    expect(file.messages.every((message) => message.source === 'letterpress')).toBe(true)
  })
})

describe('loadPost', () => {
  it('should set path relative to root, cwd and the size in bytes', async () => {
    const file = await loadPost(path.join(fixtures, 'mojibake-mac-roman'), 'input.md')
    expect(file.cwd).toBe(path.join(fixtures, 'mojibake-mac-roman'))
    expect(file.path).toBe('input.md')
    const bytes = await readFile(path.join(fixtures, 'mojibake-mac-roman', 'input.md'))
    expect(file.data.bytes).toBe(bytes.length)
    expect(file.data.encodingFixes?.length).toBe(8)
  })

  it('should group the repairs of one line into one warning listing them all', async () => {
    const file = await loadPost(path.join(fixtures, 'mojibake-mac-roman'), 'input.md')
    const [first, second] = file.messages
    expect(first?.reason).toBe('Repaired mojibake ‚Äô -> ’, <U+F8FF>üôè -> 🙏 (UTF-8 read as Mac Roman)')
    expect([first?.line, first?.column]).toEqual([5, 9])
    expect(second?.reason).toBe(
      'Repaired mojibake ‚Äô -> ’ ×2, ‚Äú -> “, ‚Äì -> –, ‚Äù -> ”, ‚§µÔ∏è -> ⤵️ (UTF-8 read as Mac Roman)'
    )
    expect([second?.line, second?.column]).toEqual([7, 3])
  })

  it('should give a fatal message, not a throw, for a missing file', async () => {
    const file = await loadPost(fixtures, 'no-such-post.md')
    expect(file.value).toBeUndefined()
    expect(messagesOf(file)).toEqual([
      {line: 1, column: 1, severity: 'error', rule: 'file-unreadable', message: 'Cannot read this file: no such file'}
    ])
  })

  it('should give a fatal message for a folder named like a post', async () => {
    const file = await loadPost(path.dirname(fixtures), 'load')
    expect(file.messages[0]?.ruleId).toBe('file-unreadable')
    expect(file.messages[0]?.fatal).toBe(true)
  })

  it('should refuse a path outside the root', async () => {
    const inside = await loadPost(fixtures, '../load/empty/input.md')
    expect(inside.path).toBe('empty/input.md')
    expect(inside.messages).toEqual([])
    const outside = await loadPost(path.join(fixtures, 'empty'), '../binary/input.md')
    expect(outside.messages[0]?.ruleId).toBe('path-outside-root')
    expect(outside.messages[0]?.fatal).toBe(true)
  })

  it('should decode bytes read elsewhere into a file, with the same messages', () => {
    const file = new VFile({path: '<stdin>'})
    expect(decodeFile(new TextEncoder().encode('One ‚Äôtwo‚Äô\n'), file)).toBe('One ’two’\n')
    expect(messagesOf(file)).toEqual([
      {
        line: 1,
        column: 5,
        severity: 'warning',
        rule: 'encoding-mojibake',
        message: 'Repaired mojibake ‚Äô -> ’ ×2 (UTF-8 read as Mac Roman)'
      }
    ])
    const binary = new VFile({path: 'x.md'})
    expect(decodeFile(Uint8Array.from([0, 1, 2]), binary)).toBeUndefined()
    expect(binary.messages[0]?.ruleId).toBe('encoding-binary')
    expect(binary.data.bytes).toBe(3)
  })

  it('should use / separators in file.path', async () => {
    const file = await loadPost(fixtures, path.join('empty', 'input.md'))
    expect(file.path).toBe('empty/input.md')
    expect(file.messages).toEqual([])
  })
})

describe('loadPost on the shared seed and corpus', () => {
  const corpus = path.join(shared, 'corpus')
  it.skipIf(!existsSync(path.join(shared, 'seed', 'whats-new-in-mlops.md')))('should repair every mojibake of the seed post and point at each line', async () => {
    const file = await loadPost(path.join(shared, 'seed'), 'whats-new-in-mlops.md')
    const text = String(file.value)
    expect(text).not.toMatch(/‚Äô|‚Äú|‚Äù|üìú|‚§µ|\uF8FF/)
    expect(text).toContain('it’s')
    expect(text).toContain('📜')
    expect(text).toContain('⤵️')
    expect(text).toContain('“')
    const warnings = file.messages.filter((message) => message.ruleId === 'encoding-mojibake')
    expect(warnings.map((message) => message.line)).toEqual([14, 16, 32, 41, 45, 47, 53, 57, 65, 87, 90, 98])
    expect(warnings.every((message) => message.reason.endsWith('(UTF-8 read as Mac Roman)'))).toBe(true)
    expect(warnings.every((message) => message.fatal === false)).toBe(true)
    expect([warnings[0]?.line, warnings[0]?.column]).toEqual([14, 221])
    expect(warnings[0]?.reason).toBe('Repaired mojibake ‚Äô -> ’ ×5 (UTF-8 read as Mac Roman)')
    expect(warnings[9]?.reason).toContain('‚§µÔ∏è -> ⤵️')
    expect(file.messages.length).toBe(warnings.length)
  })

  it.skipIf(!existsSync(path.join(corpus, 'about.md')))('should leave the corpus as it is, Kühl included', async () => {
    for (const name of (await readdir(corpus)).filter((entry) => entry.endsWith('.md'))) {
      const file = await loadPost(corpus, name)
      expect(file.messages, name).toEqual([])
      expect(String(file.value), name).toBe(await readFile(path.join(corpus, name), 'utf8'))
    }
    const about = await loadPost(corpus, 'about.md')
    expect(String(about.value)).toContain('Niklas Kühl')
  })
})

describe('findPosts and findContent', () => {
  let root: string
  let outside: string
  const skipped: Array<[string, string]> = []

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'letterpress-load-'))
    outside = await mkdtemp(path.join(os.tmpdir(), 'letterpress-outside-'))
    const files = [
      'posts/zebra.md',
      'posts/2024/03/feature-stores.md',
      'posts/2024/03/diagram.png',
      'posts/2024/Shadow-Deploys.MD',
      'posts/assets/cover.jpg',
      'posts/about.md',
      'posts/.drafts/secret.md',
      'posts/.DS_Store',
      'posts/node_modules/pkg/readme.md',
      'posts/Zulu.md',
      'notes/outside-posts.md',
      'shared-images/logo.svg'
    ]
    for (const file of files) {
      await mkdir(path.dirname(path.join(root, file)), {recursive: true})
      await writeFile(path.join(root, file), '# x\n')
    }
    await writeFile(path.join(outside, 'leak.md'), 'secret')
    // A loop back up, a link to a folder inside ROOT, one outside, one broken.
    await symlink('..', path.join(root, 'posts/2024/loop'))
    await symlink('../shared-images', path.join(root, 'posts/images'))
    await symlink(outside, path.join(root, 'posts/elsewhere'))
    await symlink('missing.md', path.join(root, 'posts/broken.md'))
  })

  afterAll(async () => {
    await rm(root, {recursive: true, force: true})
    await rm(outside, {recursive: true, force: true})
  })

  it('should list every Markdown post under posts/, sorted, relative to ROOT', async () => {
    expect(await findPosts(root)).toEqual([
      'posts/2024/03/feature-stores.md',
      'posts/2024/Shadow-Deploys.MD',
      'posts/Zulu.md',
      'posts/about.md',
      'posts/zebra.md'
    ])
  })

  it('should list every other file under posts/, relative to posts/', async () => {
    expect((await findContent(root)).assets).toEqual(['2024/03/diagram.png', 'assets/cover.jpg', 'images/logo.svg'])
  })

  it('should report the links it skipped', async () => {
    await findContent(root, {onSkip: (rel, reason) => skipped.push([rel, reason])})
    expect(skipped.map(([rel]) => rel).sort()).toEqual(['posts/2024/loop', 'posts/broken.md', 'posts/elsewhere'])
  })

  it('should give nothing when there is no posts folder', async () => {
    expect(await findContent(path.join(root, 'notes'))).toEqual({posts: [], assets: []})
  })
})

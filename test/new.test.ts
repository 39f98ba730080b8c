/**
 * `letterpress new`: where the draft goes, what its frontmatter says, that
 * nothing is ever overwritten, and that the result builds.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {VFile} from 'vfile'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {readFrontmatter} from '../src/source/frontmatter.js'
import {detectLayout, newPost, NewPostError, postPath, postText} from '../src/cli/new.js'
import {localDate} from '../src/source/dates.js'
import {createParser, parseFile} from '../src/source/parse.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const temps: string[] = []

function tempRoot(files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-new-'))
  temps.push(root)
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), {recursive: true})
    fs.writeFileSync(path.join(root, relative), text)
  }
  return root
}

afterAll(() => {
  for (const root of temps) fs.rmSync(root, {recursive: true, force: true})
})

describe('postText', () => {
  it('should write a title YAML reads back exactly, whatever its punctuation', async () => {
    const parser = createParser()
    for (const title of [
      'Shadow deployments: a primer',
      '"Quoted" and \'single\' # not a comment',
      '- looks like a list',
      '@at, `ticks`, {braces}, [brackets] & *stars*',
      'yes',
      '2026',
      'Feature stores ✨ without the hype',
      'Back\\slash and trailing spaces'
    ]) {
      const file = new VFile({path: 'posts/x.md', value: postText(title, '2026-11-27')})
      const tree = await parseFile(parser, file)
      const frontmatter = readFrontmatter(tree, file)
      expect(file.messages.map((message) => message.reason), title).toEqual([])
      expect(frontmatter.title).toBe(title)
      expect(frontmatter.date).toBe('2026-11-27')
      expect(frontmatter.draft).toBe(true)
      expect(frontmatter.tags).toEqual([])
    }
  })
})

describe('detectLayout', () => {
  it('should default to year and month folders', () => {
    expect(detectLayout([])).toEqual({folders: 'year-month', datePrefix: false})
    expect(postPath(detectLayout([]), '2026-11-07', 'a-post')).toBe('2026/11/a-post.md')
  })

  it('should follow the layout most posts use, ignoring pages at the top', () => {
    const sample = ['posts/about.md', 'posts/now.md', 'posts/2026/08/a.md', 'posts/2026/09/b.md', 'posts/2026/09/2026-09-03-c.md']
    expect(detectLayout(sample)).toEqual({folders: 'year-month', datePrefix: false})
    const byYear = ['posts/2025/x.md', 'posts/2026/y.md', 'posts/2026/10/z.md']
    expect(postPath(detectLayout(byYear), '2026-11-07', 'p')).toBe('2026/p.md')
    const jekyll = ['posts/2026-01-02-x.md', 'posts/2026-02-03-y.md', 'posts/about.md']
    const flatDated = new Set(['posts/2026-01-02-x.md', 'posts/2026-02-03-y.md'])
    expect(postPath(detectLayout(jekyll, flatDated), '2026-11-07', 'p')).toBe('2026-11-07-p.md')
    const daily = ['posts/2026/11/01/x.md', 'posts/2026/11/02/y.md']
    expect(postPath(detectLayout(daily), '2026-11-07', 'p')).toBe('2026/11/07/p.md')
  })
})

describe('newPost', () => {
  const now = new Date(2026, 10, 27, 23, 30)

  it('should write a draft dated with the local calendar day in the year/month folder', async () => {
    const root = tempRoot({'posts/2026/10/older.md': '---\ntitle: Older\ndate: 2026-10-01\n---\n\nText.\n'})
    const result = await newPost({root, title: '  Serving  models: the boring parts ', now})
    expect(result.sourcePath).toBe('posts/2026/11/serving-models-the-boring-parts.md')
    expect(result.date).toBe(localDate(now))
    expect(result.date).toBe('2026-11-27')
    const text = fs.readFileSync(result.file, 'utf8')
    expect(text).toMatch(/^---\ntitle: "Serving models: the boring parts"\ndate: 2026-11-27\ndraft: true\ntags: \[\]\n---\n\n\S/)
  })

  it('should write into an MkDocs project\'s blog posts folder, in the layout its posts use', async () => {
    const root = tempRoot({
      'mkdocs.yml': 'site_name: Notes\nplugins:\n  - blog\n',
      'docs/blog/posts/2026/older.md': '---\ndate: 2026-10-01\n---\n\n# Older\n'
    })
    const result = await newPost({root, title: 'Next one', now})
    expect(result.sourcePath).toBe('docs/blog/posts/2026/next-one.md')
  })

  it('should never overwrite, nor take a slug another post has', async () => {
    const root = tempRoot({'posts/2026/08/welcome.md': 'Hello\n'})
    const first = await newPost({root, title: 'GPU queues', now})
    fs.writeFileSync(first.file, 'my words\n')
    await expect(newPost({root, title: 'GPU Queues!', now})).rejects.toThrow(/already exists/)
    expect(fs.readFileSync(first.file, 'utf8')).toBe('my words\n')
    const clash = newPost({root, title: 'Welcome', now})
    await expect(clash).rejects.toBeInstanceOf(NewPostError)
    await expect(clash).rejects.toThrow('posts/2026/08/welcome.md already has the slug `welcome`')
  })

  it('should refuse a title without letters or digits, and a missing root', async () => {
    const root = tempRoot()
    await expect(newPost({root, title: '   ', now})).rejects.toMatchObject({kind: 'usage'})
    await expect(newPost({root, title: '!!!', now})).rejects.toMatchObject({kind: 'usage'})
    await expect(newPost({root: path.join(root, 'missing'), title: 'X', now})).rejects.toMatchObject({kind: 'usage'})
  })
})

describe('letterpress new (CLI)', () => {
  let root: string

  function run(args: string[]) {
    const result = spawnSync(process.execPath, [bin, ...args], {cwd: root, encoding: 'utf8', timeout: 150_000})
    return {code: result.status, stdout: result.stdout, stderr: result.stderr}
  }

  beforeAll(() => {
    root = tempRoot()
    fs.cpSync(path.join(project, 'posts'), path.join(root, 'posts'), {recursive: true})
    fs.copyFileSync(path.join(project, 'letterpress.yml'), path.join(root, 'letterpress.yml'))
    run(['--version'])
  }, 160_000)

  it('should scaffold a draft that check accepts and build --drafts publishes', () => {
    const created = run(['new', 'Rollbacks that actually roll back'])
    expect(created.code, created.stderr).toBe(0)
    const today = localDate(new Date())
    const relative = `posts/${today.slice(0, 4)}/${today.slice(5, 7)}/rollbacks-that-actually-roll-back.md`
    expect(created.stdout.trim()).toBe(relative.split('/').join(path.sep))
    expect(fs.existsSync(path.join(root, relative))).toBe(true)

    const checked = run(['check'])
    expect(checked.code, checked.stdout + checked.stderr).toBe(0)
    expect(checked.stdout).not.toContain('rollbacks-that-actually-roll-back')

    const built = run(['build', '--drafts', '--out', 'dist'])
    expect(built.code, built.stderr).toBe(0)
    const page = path.join(root, 'dist', 'site', 'posts', 'rollbacks-that-actually-roll-back', 'index.html')
    expect(fs.readFileSync(page, 'utf8')).toContain('Rollbacks that actually roll back')
  }, 120_000)

  it('should cut the slug of a very long title at a word, to at most 80 characters', () => {
    const title = Array.from({length: 100}, (_, index) => `word${index}`).join(' ')
    const created = run(['new', title])
    expect(created.code, created.stderr).toBe(0)
    const name = path.basename(created.stdout.trim())
    expect(name).toBe(`${Array.from({length: 13}, (_, index) => `word${index}`).join('-')}.md`)
    expect(name.length - '.md'.length).toBeLessThanOrEqual(80)
    // The title stays whole.
    expect(fs.readFileSync(path.join(root, created.stdout.trim()), 'utf8')).toContain(`title: "${title}"`)
  }, 60_000)

  it('should say why a post cannot be written, as a usage error without a stack trace', () => {
    const year = localDate(new Date()).slice(0, 4)
    const blocked = tempRoot({[`posts/${year}`]: 'a file where the year folder should be\n'})
    const result = spawnSync(process.execPath, [bin, 'new', 'Blocked', '--root', blocked], {encoding: 'utf8', timeout: 60_000})
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(new RegExp(`^letterpress: cannot write posts/${year}/\\d{2}/blocked\\.md: part of the path is a file, not a folder\n$`))
  }, 60_000)

  it('should exit 1 rather than overwrite, and 2 without a title', () => {
    const again = run(['new', 'Rollbacks that actually roll back'])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/^letterpress: posts\/.*rollbacks-that-actually-roll-back\.md already exists/)
    expect(again.stderr).not.toMatch(/\n\s+at /)
    const missing = run(['new'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('a title is required')
  }, 60_000)
})

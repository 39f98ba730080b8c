import {existsSync} from 'node:fs'
import {readdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Root} from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {parseDate, readFrontmatter} from '../src/source/frontmatter.js'
import {loadPost} from '../src/source/load.js'
import {createParser} from '../src/source/parse.js'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixtures = path.join(projectRoot, 'test', 'fixtures', 'frontmatter')
const shared = path.resolve(projectRoot, '..', 'shared')
const update = process.env.UPDATE_FIXTURES === '1'

// Only remark-frontmatter matters here; the whole dialect is tried once below.
const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml'])

function read(markdown: string) {
  const file = new VFile({path: 'posts/x.md', value: markdown})
  const tree = processor.parse(file) as Root
  const frontmatter = readFrontmatter(tree, file)
  const messages = file.messages.map((message) => ({
    line: message.line,
    column: message.column,
    severity: message.fatal ? 'error' : 'warning',
    rule: message.ruleId,
    message: message.reason
  }))
  return {frontmatter, messages, file}
}

/** `line:column rule` of each message, for compact assertions. */
function places(markdown: string): string[] {
  return read(markdown).messages.map((message) => `${message.line}:${message.column} ${message.rule}`)
}

async function expectFile(file: string, actual: unknown): Promise<void> {
  const text = JSON.stringify(actual, null, 2) + '\n'
  if (update) await writeFile(file, text)
  expect(existsSync(file), `${file} is missing: run with UPDATE_FIXTURES=1 and review it`).toBe(true)
  expect(actual).toEqual(JSON.parse(await readFile(file, 'utf8')))
}

describe('readFrontmatter fixtures', async () => {
  const cases = (await readdir(fixtures)).sort()
  it.each(cases)('should read %s as expected', async (name) => {
    const folder = path.join(fixtures, name)
    const {frontmatter, messages} = read(await readFile(path.join(folder, 'input.md'), 'utf8'))
    await expectFile(path.join(folder, 'frontmatter.json'), frontmatter)
    await expectFile(path.join(folder, 'messages.json'), messages)
  })
})

describe('readFrontmatter', () => {
  it('should read a complete frontmatter into typed values', () => {
    const {frontmatter, messages} = read(
      '---\ntitle: Canary releases\ndate: 2024-05-31\ntags: mlops\nslug: Canary\nemail: full\n---\nBody\n'
    )
    expect(messages).toEqual([])
    expect(frontmatter).toMatchObject({
      title: 'Canary releases',
      date: '2024-05-31',
      tags: ['mlops'],
      categories: [],
      authors: [],
      slug: 'canary',
      email: 'full',
      draft: false,
      page: false,
      aliases: [],
      extra: {}
    })
    expect(frontmatter.datetime).toBeUndefined()
  })

  it('should record where each key is, from the key to the end of its value', () => {
    const {frontmatter} = read('---\ntitle: A\nslug:   my-post\n---\n')
    expect(frontmatter.positions.slug).toEqual({
      start: {line: 3, column: 1, offset: 13},
      end: {line: 3, column: 16, offset: 28}
    })
  })

  it('should point a YAML syntax error at its line and column in the .md file', () => {
    expect(places('---\ntitle: ok\nbad: [1, 2\n---\n')).toEqual(['3:6 frontmatter-yaml'])
    expect(places('\n')).toEqual(['1:1 post-empty'])
  })

  it('should point an unclosed `[` or `{` at the line that opened it, not where YAML noticed', () => {
    const {messages} = read('---\ntags: [drift,\n  monitoring\ndate: 2026-01-02\nextra: {a: "}"\n---\n')
    expect(messages.map((message) => `${message.line}:${message.column} ${message.message}`)).toEqual([
      '2:7 Invalid YAML: this `[` list is never closed; add the closing `]`',
      '5:8 Invalid YAML: this `{` mapping is never closed; add the closing `}`'
    ])
  })

  it('should refuse an alias inside the node it names, at the alias, and read the rest', () => {
    const {frontmatter, messages} = read('---\ntitle: Loops\ntags: &t [mlops, *t]\nnotes: &n {again: *n}\n---\n')
    // The tag that has no value is also not text, which `tags` asks for.
    expect(messages.map((message) => `${message.line}:${message.column} ${message.severity} ${message.rule}`)).toEqual([
      '3:18 error frontmatter-yaml',
      '3:18 error frontmatter-type',
      '4:19 error frontmatter-yaml'
    ])
    expect(messages[0]!.message).toBe('`*t` names the anchor it is inside of, so it has no value')
    expect(frontmatter?.title).toBe('Loops')
  })

  it('should point an impossible date at its value', () => {
    const {messages} = read('---\ntitle: x\ndate:   2024-13-45\n---\n')
    expect(messages).toEqual([
      {
        line: 3,
        column: 9,
        severity: 'error',
        rule: 'frontmatter-date-invalid',
        message: '`date` "2024-13-45" is not a date: there is no month 13'
      }
    ])
  })

  it('should name the key, what was found and what was expected for a wrong type', () => {
    const {messages} = read('---\ndraft: "maybe"\n---\n')
    expect(messages).toEqual([
      {
        line: 2,
        column: 8,
        severity: 'error',
        rule: 'frontmatter-type',
        message: '`draft` should be `true` or `false`; found text "maybe"'
      }
    ])
  })

  it('should point at the offending list item', () => {
    expect(places('---\ntags:\n  - a\n  - b\n  - {c: 1}\n---\n')).toEqual(['5:5 frontmatter-type'])
  })

  it('should report every problem in the file, not only the first', () => {
    expect(places('---\ndate: 2024-02-30\ndraft: perhaps\nslug: a/b\naliases: [x]\n---\n')).toEqual([
      '2:7 frontmatter-date-invalid',
      '3:8 frontmatter-type',
      '4:7 slug-unsafe',
      '5:11 alias-unsafe'
    ])
  })

  it.each([
    ['..'],
    ['a/b'],
    ['a\\\\b'],
    ['%2e%2e'],
    ['a\\u0000b'],
    ['my_post'],
    ['two words'],
    ['café'],
    ['']
  ])('should refuse the slug "%s" as unsafe', (slug) => {
    const {frontmatter, messages} = read(`---\nslug: "${slug}"\n---\n`)
    expect(frontmatter.slug).toBeUndefined()
    expect(messages.map((message) => [message.line, message.column, message.rule])).toEqual([[2, 7, 'slug-unsafe']])
  })

  it('should lower-case a safe slug', () => {
    expect(read('---\nslug: Model-Cards-101\n---\n').frontmatter.slug).toBe('model-cards-101')
  })

  it('should default email to true for posts and false for pages', () => {
    expect(read('---\ntitle: x\n---\n').frontmatter.email).toBe(true)
    expect(read('---\npage: true\n---\n').frontmatter.email).toBe(false)
    expect(read('---\npage: true\nemail: card\n---\n').frontmatter.email).toBe('card')
  })

  it('should report a frontmatter that never closes at line 1', () => {
    const {messages, frontmatter} = read('---\ntitle: x\n\nBody\n')
    expect(messages.map((message) => [message.line, message.column, message.rule, message.severity])).toEqual([
      [1, 1, 'frontmatter-unterminated', 'error']
    ])
    expect(frontmatter.title).toBeUndefined()
  })

  it('should not take a leading thematic break followed by a blank line for frontmatter', () => {
    expect(places('---\n\nA post that opens with a rule.\n')).toEqual([])
  })

  it('should leave a file without frontmatter alone', () => {
    const {frontmatter, messages} = read('# About\n\nText.\n')
    expect(messages).toEqual([])
    expect(frontmatter).toEqual({
      draft: false,
      tags: [],
      categories: [],
      authors: [],
      email: true,
      aliases: [],
      page: false,
      extra: {},
      positions: {}
    })
  })

  it('should keep unknown keys for templates', () => {
    const {frontmatter} = read('---\nhero: {image: a.png, dark: true}\nrank: 3\n---\n')
    expect(frontmatter.extra).toEqual({hero: {image: 'a.png', dark: true}, rank: 3})
  })

  it('should work with the whole dialect parser', () => {
    const file = new VFile({path: 'posts/x.md', value: '---\ntitle: Dialect\ndate: 2024-01-02\n---\n# Heading\n'})
    const frontmatter = readFrontmatter(createParser().parse(file), file)
    expect(frontmatter).toMatchObject({title: 'Dialect', date: '2024-01-02'})
    expect(file.messages).toEqual([])
  })
})

describe('parseDate', () => {
  it.each([
    ['2024-02-29', {date: '2024-02-29'}],
    ['2000-02-29', {date: '2000-02-29'}],
    ['2024-05-31T09:30:00Z', {date: '2024-05-31', datetime: '2024-05-31T09:30:00.000Z'}],
    ['2024-05-31T09:30:00.25+02:00', {date: '2024-05-31', datetime: '2024-05-31T07:30:00.250Z'}],
    ['2024-05-31 23:30 -5', {date: '2024-05-31', datetime: '2024-06-01T04:30:00.000Z'}],
    ['2024-05-31t09:30', {date: '2024-05-31', datetime: '2024-05-31T09:30:00.000Z'}],
    ['0099-01-01T00:00:00Z', {date: '0099-01-01', datetime: '0099-01-01T00:00:00.000Z'}]
  ])('should read %s', (text, expected) => {
    expect(parseDate(text)).toEqual(expected)
  })

  it.each(['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-1-5', '24-01-05', '2024-01-01T24:00', '2024-01-01T10:60', '2024-01-01T10:00+15:00', 'yesterday'])(
    'should refuse %s',
    (text) => {
      expect(parseDate(text)).toHaveProperty('reason')
    }
  )

  it('should not depend on the time zone of the machine', () => {
    // Dates are computed in UTC from the text; nothing reads the local zone.
    const before = process.env.TZ
    const results: unknown[] = []
    for (const zone of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
      process.env.TZ = zone
      results.push(read('---\ndate: 2024-03-10T01:30:00\nupdated: 2024-03-31\n---\n').frontmatter)
    }
    process.env.TZ = before
    expect(results[1]).toEqual(results[0])
    expect(results[2]).toEqual(results[0])
  })
})

describe('readFrontmatter on the shared seed and corpus', () => {
  const corpus = path.join(shared, 'corpus')
  it.skipIf(!existsSync(path.join(shared, 'seed', 'whats-new-in-mlops.md')))('should read the seed post frontmatter', async () => {
    const file = await loadPost(path.join(shared, 'seed'), 'whats-new-in-mlops.md')
    const frontmatter = readFrontmatter(processor.parse(file) as Root, file)
    expect(frontmatter).toMatchObject({
      title: 'What\'s new in MLOps?',
      date: '2022-10-23',
      draft: true,
      categories: ['MachineLearning'],
      tags: ['machine learning', 'software engineering', 'best practices']
    })
    expect(file.messages.filter((message) => message.ruleId?.startsWith('frontmatter'))).toEqual([])
  })

  it.skipIf(!existsSync(path.join(corpus, 'intro-llms.md')))('should read every corpus post without frontmatter errors', async () => {
    for (const name of (await readdir(corpus)).filter((entry) => entry.endsWith('.md'))) {
      const file = await loadPost(corpus, name)
      readFrontmatter(processor.parse(file) as Root, file)
      expect(file.messages, name).toEqual([])
    }
    const file = await loadPost(corpus, 'intro-llms.md')
    expect(readFrontmatter(processor.parse(file) as Root, file).categories).toEqual(['2023'])
  })
})

describe('readFrontmatter on arbitrary input', () => {
  it('should never throw, and place every message inside the frontmatter block (property)', async () => {
    const {default: fc} = await import('fast-check')
    const pieces = ['title', 'date', 'tags', 'slug', 'draft', 'email', 'aliases', 'x', ':', ': ', '- ', '\n', '  ', '\t',
      '"', "'", '[', ']', '{', '}', ',', '&a ', '*a', '*b', '!!str ', '!!binary ', '? ', '#', '2024-02-30', 'yes', '..', '/', '%', '|', '>', '~', 'null']
    const body = fc.array(fc.constantFrom(...pieces), {maxLength: 40}).map((parts) => parts.join(''))
    fc.assert(
      fc.property(body, (yaml) => {
        const markdown = `---\n${yaml}\n---\nBody\n`
        const {messages} = read(markdown)
        const last = markdown.split('\n').length
        for (const message of messages) {
          expect(message.line).toBeGreaterThanOrEqual(1)
          expect(message.line).toBeLessThanOrEqual(last)
          expect(message.column).toBeGreaterThanOrEqual(1)
          expect(message.rule).toMatch(/^[a-z]+(-[a-z0-9]+)+$/)
        }
      }),
      {numRuns: 2000}
    )
  })
})

describe('readFrontmatter: keys other blog tools write', () => {
  function readWith(markdown: string, rename: Record<string, string>) {
    const file = new VFile({path: 'posts/x.md', value: markdown})
    const tree = processor.parse(file) as Root
    const frontmatter = readFrontmatter(tree, file, {rename})
    return {frontmatter, messages: file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.reason}`)}
  }

  it('should read a human date beside an ISO `published` that agrees, silently', () => {
    const {frontmatter, messages} = read('---\ntitle: T\ndate: 14 January 2026\npublished: 2026-01-14\n---\n')
    expect(messages).toEqual([])
    expect(frontmatter.date).toBe('2026-01-14')
  })

  it('should refuse an ambiguous date at its value, saying why', () => {
    const {messages} = read('---\ntitle: T\ndate: 03/04/2026\n---\n')
    expect(messages).toEqual([
      {
        line: 3,
        column: 7,
        severity: 'error',
        rule: 'frontmatter-date-ambiguous',
        message: '`date` "03/04/2026" could be 3 April or 4 March; write 2026-04-03 (or 2026-03-04)'
      }
    ])
  })

  it('should warn at the second of two date keys that disagree, and keep the first', () => {
    const {frontmatter, messages} = read('---\ntitle: T\ndate: 14 January 2026\npublished: 2026-01-15\n---\n')
    expect(frontmatter.date).toBe('2026-01-14')
    expect(messages).toEqual([
      {
        line: 4,
        column: 1,
        severity: 'warning',
        rule: 'frontmatter-conflict',
        message: '`published` (2026-01-15) disagrees with `date` (2026-01-14, line 3); `date` is used'
      }
    ])
  })

  it('should take the time of day from a second date key on the same day', () => {
    const {frontmatter, messages} = read('---\ndate: 2026-01-14\npubDate: 2026-01-14T09:00:00Z\n---\n')
    expect(messages).toEqual([])
    expect(frontmatter).toMatchObject({date: '2026-01-14', datetime: '2026-01-14T09:00:00.000Z'})
  })

  it('should map Astro, Hugo, Jekyll and MkDocs keys onto letterpress fields', () => {
    const {frontmatter, messages} = read(
      '---\npubDate: Jan 14, 2026\nupdatedDate: 2026-01-20\nheroImage: ./hero.png\nexcerpt: Short.\ncategory: notes\n' +
        'readtime: 7\npin: true\nlinks: [a.md]\nexpiryDate: 2027-01-01\n---\n'
    )
    expect(messages).toEqual([])
    expect(frontmatter).toMatchObject({
      date: '2026-01-14',
      updated: '2026-01-20',
      cover: './hero.png',
      description: 'Short.',
      categories: ['notes'],
      readtime: 7,
      extra: {pin: true, links: ['a.md'], expiryDate: '2027-01-01'}
    })
    // The cover's position is the heroImage line, for messages about the image.
    expect(frontmatter.positions.cover?.start.line).toBe(4)
  })

  it('should read Jekyll `published: false` as a draft', () => {
    expect(read('---\ndate: 2026-01-14\npublished: false\n---\n').frontmatter.draft).toBe(true)
  })

  it('should read renamed keys as letterpress keys, with messages at the author\'s own line and key', () => {
    const {frontmatter, messages} = readWith('---\ntitle: T\ntopics: [a, b]\nhero: 42\n---\n', {topics: 'tags', hero: 'draft'})
    expect(frontmatter.tags).toEqual(['a', 'b'])
    expect(messages).toEqual(['4:7 frontmatter-type `hero` should be `true` or `false`; found number 42'])
  })

  it('should warn when a renamed key meets the key it is renamed to', () => {
    const {frontmatter, messages} = readWith('---\ntags: [a]\ntopics: [b]\n---\n', {topics: 'tags'})
    expect(frontmatter.tags).toEqual(['a'])
    expect(messages).toEqual(['3:1 frontmatter-conflict `topics` is read as `tags`, which `tags` gives already; this one is ignored'])
  })

  it('should keep a key renamed to an unknown name for templates under that name', () => {
    const {frontmatter, messages} = readWith('---\nmood: calm\n---\n', {mood: 'feeling'})
    expect(messages).toEqual([])
    expect(frontmatter.extra).toEqual({feeling: 'calm'})
  })
})

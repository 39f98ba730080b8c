/**
 * Every XML file the build writes (RSS, Atom, the sitemap) stays
 * well-formed, and reads back as written, whatever the site's title, the
 * posts' titles, tags, categories and descriptions, or the authors' names
 * hold: `<`, `&`, quotes, `]]>`, a literal `&amp;`, control characters.
 * Built through the CLI; checked with a strict XML 1.0 parser (the JDK's),
 * fast-xml-parser's validator, and fast-xml-parser for the values.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {XMLParser, XMLValidator} from 'fast-xml-parser'
import {fromHtml} from 'hast-util-from-html'
import {toString} from 'mdast-util-to-string'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {hasJava, xmlWellFormedErrors} from './helpers/tools.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-feeds-xml-'))
const out = path.join(work, 'out')

// Written as YAML double-quoted escapes in the files below, so the control characters are real.
const siteTitle = "R&D <Notes> \"quoted\" 'single' ]]> &amp; \u0001bell"
const siteDescription = 'All <about> & "more" ]]> &amp; \u0002'
const authorName = "Ann \"A&B\" <ann> O'Neil ]]> &amp;\u0003"
const postTitle = "List<T> & \"R&D\" 'it' ]]> &amp; done\u0007"
const postDescription = 'Less <than> & "more" ]]> &amp; end\u000b'
const tags = ['List<T>', 'R&D', '"q"', "it's", ']]>', '&amp;', 'a\u0001b']
const categories = ['Ops & <Dev>', '"cat"']

/** A value as YAML double-quoted text, with every control character as an escape. */
function yaml(value: string): string {
  // eslint-disable-next-line no-control-regex
  return '"' + value.replace(/["\\]/g, (character) => '\\' + character).replace(/[\u0000-\u001f]/g, (character) => '\\x' + character.charCodeAt(0).toString(16).padStart(2, '0')) + '"'
}

/** What XML can carry of a value: XML 1.0 has no way to write these control characters. */
function inXml(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
}

/** The text of an HTML-typed feed field (Atom `type="html"`, RSS titles and descriptions), as a reader shows it. */
function htmlText(html: string): string {
  return toString(fromHtml(html, {fragment: true}))
}

const read = (name: string) => fs.readFileSync(path.join(out, 'site', name), 'utf8')
const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => ['entry', 'item', 'category', 'author', 'link', 'url'].includes(name)
})

beforeAll(() => {
  const root = path.join(work, 'root')
  fs.mkdirSync(path.join(root, 'posts'), {recursive: true})
  fs.writeFileSync(
    path.join(root, 'letterpress.yml'),
    [
      `title: ${yaml(siteTitle)}`,
      `description: ${yaml(siteDescription)}`,
      'baseUrl: https://notes.example/',
      'authors:',
      '  - id: ann',
      `    name: ${yaml(authorName)}`,
      '    email: ann@notes.example',
      '    url: https://ann.example/?a=1&b=2',
      ''
    ].join('\n')
  )
  fs.writeFileSync(
    path.join(root, 'posts', '2026-04-03-hostile.md'),
    [
      '---',
      `title: ${yaml(postTitle)}`,
      'date: 2026-04-03',
      `description: ${yaml(postDescription)}`,
      `tags: [${tags.map(yaml).join(', ')}]`,
      `categories: [${categories.map(yaml).join(', ')}]`,
      'authors: [ann]',
      '---',
      '',
      'A body with a control \u0001 character, a `]]>` and a bare ]]>, & and <.',
      ''
    ].join('\n')
  )
  const result = spawnSync(process.execPath, [bin, 'build', '--root', root, '--out', out], {cwd: work, encoding: 'utf8', timeout: 120_000})
  expect(result.status, result.stderr).toBe(0)
}, 180_000)

afterAll(() => fs.rmSync(work, {recursive: true, force: true}))

describe('the XML the build writes, for hostile titles, tags and names', () => {
  const files = ['feed.xml', 'atom.xml', 'sitemap.xml']

  it.runIf(hasJava())('should be well-formed XML 1.0 to a strict parser', () => {
    expect(xmlWellFormedErrors(files.map((name) => path.join(out, 'site', name)))).toEqual([])
  })

  it('should pass fast-xml-parser\'s validator', () => {
    for (const name of files) expect(XMLValidator.validate(read(name)), name).toBe(true)
  })

  it('should read back in Atom as written', () => {
    const {feed} = parser.parse(read('atom.xml')) as {
      feed: {
        title: string
        subtitle: string
        rights: string
        author: Array<{name: string; uri: string}>
        entry: Array<{
          title: {'#text': string; '@_type': string}
          summary: {'#text': string; '@_type': string}
          content: {'#text': string}
          author: Array<{name: string}>
          category: Array<{'@_term': string; '@_label': string}>
        }>
      }
    }
    expect(feed.title).toBe(inXml(siteTitle))
    expect(feed.subtitle).toBe(inXml(siteDescription))
    expect(feed.rights).toBe(`© 2026 ${inXml(authorName)}`)
    expect(feed.author.map((author) => [author.name, author.uri])).toEqual([[inXml(authorName), 'https://ann.example/?a=1&b=2']])
    const [entry] = feed.entry
    expect(entry!.title['@_type']).toBe('html')
    expect(htmlText(entry!.title['#text'])).toBe(inXml(postTitle))
    expect(htmlText(entry!.summary['#text'])).toBe(inXml(postDescription))
    expect(htmlText(entry!.content['#text'])).toBe('A body with a control  character, a ]]> and a bare ]]>, & and <.')
    expect(entry!.author.map((author) => author.name)).toEqual([inXml(authorName)])
    expect(entry!.category.map((category) => category['@_term'])).toEqual(tags.map(inXml))
    expect(entry!.category.map((category) => category['@_label'])).toEqual(tags.map(inXml))
  })

  it('should read back in RSS as written', () => {
    const {rss} = parser.parse(read('feed.xml')) as {
      rss: {channel: {title: string; description: string; copyright: string; item: Array<{title: string; description: string; author: string[]; category: string[]}>}}
    }
    expect(rss.channel.title).toBe(inXml(siteTitle))
    expect(rss.channel.description).toBe(inXml(siteDescription))
    expect(rss.channel.copyright).toBe(`© 2026 ${inXml(authorName)}`)
    const [item] = rss.channel.item
    expect(htmlText(item!.title)).toBe(inXml(postTitle))
    expect(htmlText(item!.description)).toBe(inXml(postDescription))
    expect(item!.author).toEqual([inXml(authorName)])
    expect(item!.category).toEqual(tags.map(inXml))
  })

  it('should keep JSON Feed valid JSON, with every value exactly as written', () => {
    const json = JSON.parse(read('feed.json')) as {title: string; description: string; authors: Array<{name: string}>; items: Array<{title: string; summary: string; tags: string[]; authors: Array<{name: string}>}>}
    expect(json.title).toBe(siteTitle)
    expect(json.description).toBe(siteDescription)
    expect(json.authors).toEqual([{name: authorName, url: 'https://ann.example/?a=1&b=2'}])
    expect(json.items.map((item) => [item.title, item.summary, item.tags, item.authors])).toEqual([[postTitle, postDescription, tags, [{name: authorName}]]])
  })

  it('should list the post in the sitemap', () => {
    const {urlset} = parser.parse(read('sitemap.xml')) as {urlset: {url: Array<{loc: string}>}}
    expect(urlset.url.map((entry) => entry.loc)).toContain('https://notes.example/posts/hostile/')
  })
})

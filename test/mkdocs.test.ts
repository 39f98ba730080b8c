/**
 * An MkDocs project read as it is: mkdocs.yml settings, the blog plugin's
 * folders and URL format, .authors.yml; and the config's frontmatter
 * mapping.
 */
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {VFile} from 'vfile'
import {afterAll, describe, expect, it} from 'vitest'
import {loadConfig} from '../src/source/config.js'
import {readAuthorsFile, readMkdocsConfig} from '../src/source/mkdocs.js'
import {messageLines, tempRoots} from './helpers/files.js'

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'import', 'mkdocs-blog')
const {root, remove} = tempRoots('mkdocs')
afterAll(remove)
const messages = messageLines

/** Nine levels of lists of aliases of the level above: about 10^9 values if expanded. */
const aliasBomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
  .concat(['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((name, i) => `${name}: &${name} [${Array(10).fill('*' + 'abcdefgh'[i]).join(', ')}]`))
  .join('\n')

describe('readMkdocsConfig', () => {
  it('should read the site settings and the blog plugin, tolerating !!python/name tags', () => {
    const file = new VFile({path: 'mkdocs.yml'})
    const project = readMkdocsConfig(fs.readFileSync(path.join(fixture, 'mkdocs.yml'), 'utf8'), file)
    expect(messages(file)).toEqual([])
    expect(project).toEqual({
      settings: {
        title: 'Lamplight Notes',
        description: 'Short letters about keeping small machines running.',
        baseUrl: 'https://lamplight.example.org/',
        copyright: 'Copyright &copy; 2026 Ada Lamplight',
        permalink: '/blog/:year/:month/:slug/',
        newsletter: {
          social: [
            {name: 'Mastodon', url: 'https://social.example.org/@lamplight'},
            {name: 'Code', url: 'https://github.com/lamplight-example'}
          ]
        },
        // Material shows `extra.social` in the footer; so does letterpress.
        theme: {
          footerLinks: [
            {title: 'Mastodon', url: 'https://social.example.org/@lamplight'},
            {title: 'Code', url: 'https://github.com/lamplight-example'}
          ]
        }
      },
      docsDir: 'docs',
      postsUnder: 'blog/posts',
      authorsFile: 'blog/.authors.yml'
    })
  })

  it('should use MkDocs defaults without a blog plugin: docs/blog/posts, {date}/{slug} with yyyy/MM/dd', () => {
    const project = readMkdocsConfig('site_name: Plain\n', new VFile())
    expect(project).toMatchObject({docsDir: 'docs', postsUnder: 'blog/posts', settings: {permalink: '/blog/:year/:month/:day/:slug/'}})
  })

  it('should follow docs_dir, blog_dir, post_dir and authors_file', () => {
    const project = readMkdocsConfig(
      'docs_dir: site\nplugins:\n  - blog:\n      blog_dir: news\n      post_dir: "{blog}/entries"\n      authors_file: people.yml\n      post_url_format: "{slug}"\n',
      new VFile()
    )
    expect(project).toEqual({
      settings: {permalink: '/news/:slug/'},
      docsDir: 'site',
      postsUnder: 'news/entries',
      authorsFile: 'people.yml'
    })
  })

  it('should warn at post_url_format about a placeholder it cannot fill', () => {
    const file = new VFile({path: 'mkdocs.yml'})
    const project = readMkdocsConfig('plugins:\n  - blog:\n      post_url_format: "{categories}/{slug}"\n', file)
    expect(project.settings.permalink).toBe('/blog/:slug/')
    expect(messages(file)).toEqual([
      '3:24 config-invalid Setting `post_url_format` in mkdocs.yml: {categories} is not read; left out of the URLs'
    ])
  })

  it('should report broken YAML at its line as a config error', () => {
    const file = new VFile({path: 'mkdocs.yml'})
    readMkdocsConfig('site_name: A\nnav: [one, two\nplugins: []\n', file)
    expect(file.messages.some((message) => message.ruleId === 'config-yaml' && message.fatal && message.line === 2)).toBe(true)
  })

  it('should refuse nested aliases that would expand past the limit, at the alias, reading nothing', () => {
    const file = new VFile({path: 'mkdocs.yml'})
    const project = readMkdocsConfig(`site_name: A\nextra:\n  ${aliasBomb.replaceAll('\n', '\n  ')}\n`, file)
    expect(project.settings.title).toBeUndefined()
    const problem = file.messages.find((message) => message.ruleId === 'config-yaml')
    expect(problem?.fatal).toBe(true)
    expect(problem?.reason).toMatch(/^Too many YAML aliases/)
    expect(problem?.line).toBeGreaterThan(3)
  })
})

describe('readAuthorsFile', () => {
  it('should read the blog plugin format and warn about an author without a name, naming the line', () => {
    const file = new VFile({path: 'mkdocs.yml'})
    const authors = readAuthorsFile(
      'authors:\n  ada:\n    name: Ada\n    avatar: a.png\n    url: https://a.example\n  nobody:\n    description: no name\n',
      file,
      'docs/blog/.authors.yml'
    )
    expect(authors).toEqual([{id: 'ada', name: 'Ada', avatar: 'a.png', url: 'https://a.example'}])
    expect(file.messages.map((message) => message.reason)).toEqual([
      'Author `nobody` needs a mapping with at least `name`; left out (docs/blog/.authors.yml:7:5)'
    ])
  })

  it('should read no authors from a file whose aliases would expand past the limit', () => {
    const file = new VFile({path: 'mkdocs.yml'})
    const authors = readAuthorsFile(`${aliasBomb}\nauthors:\n  ada:\n    name: *i\n`, file, 'posts/.authors.yml')
    expect(authors).toEqual([])
    expect(file.messages.map((message) => message.reason)).toEqual([expect.stringMatching(/^Too many YAML aliases.*\(posts\/\.authors\.yml:3:\d+\)$/)])
  })
})

describe('loadConfig with mkdocs.yml and no letterpress.yml', () => {
  it('should read posts from docs_dir/blog_dir/posts and authors from .authors.yml', async () => {
    const dir = root({
      'mkdocs.yml': 'site_name: Elsewhere\ndocs_dir: pages\nplugins:\n  - blog:\n      blog_dir: journal\n',
      'pages/journal/.authors.yml': 'authors:\n  kim:\n    name: Kim Reed\n'
    })
    const {config, file} = await loadConfig(dir)
    expect(messages(file)).toEqual([])
    expect(file.path).toBe('mkdocs.yml')
    expect(config).toMatchObject({
      title: 'Elsewhere',
      contentFolder: 'pages',
      postsDir: path.join(dir, 'pages'),
      postsUnder: 'journal/posts',
      permalink: '/journal/:year/:month/:day/:slug/',
      authors: [{id: 'kim', name: 'Kim Reed'}]
    })
  })

  it('should prefer letterpress.yml when both are there', async () => {
    const dir = root({'mkdocs.yml': 'site_name: MkDocs name\n', 'letterpress.yml': 'title: Letterpress name\n'})
    const {config} = await loadConfig(dir)
    expect(config).toMatchObject({title: 'Letterpress name', contentFolder: 'posts', postsUnder: ''})
  })
})

describe('letterpress.yml: frontmatter.rename and posts/.authors.yml', () => {
  it('should read the mapping and the authors file beside the posts', async () => {
    const dir = root({
      'letterpress.yml': 'title: Notes\nfrontmatter:\n  rename:\n    topics: tags\n    hero: cover\n',
      'posts/.authors.yml': 'authors:\n  lee:\n    name: Lee Park\n'
    })
    const {config, file} = await loadConfig(dir)
    expect(messages(file)).toEqual([])
    expect(config.frontmatter.rename).toEqual({topics: 'tags', hero: 'cover'})
    expect(config.authors).toEqual([{id: 'lee', name: 'Lee Park'}])
  })

  it('should refuse a mapping to something that is not a key, at its line', async () => {
    const dir = root({'letterpress.yml': 'frontmatter:\n  rename:\n    topics: [tags]\n'})
    const {file} = await loadConfig(dir)
    expect(file.messages.map((message) => `${message.line} ${message.ruleId}`)).toEqual(['3 config-invalid'])
  })
})

/**
 * How a post opens and is navigated, as real posts written for MkDocs need
 * it: an excerpt past a lead-in line of a date or badges (on the home page,
 * in the meta description, the feeds and the issue), a table of contents
 * from the post's own top heading level with `toc:` in the frontmatter, and
 * titles from file names in title case.
 */
import fs from 'node:fs'
import {toString} from 'mdast-util-to-string'
import {VFile} from 'vfile'
import {afterAll, describe, expect, it} from 'vitest'
import {firstParagraph} from '../src/render/excerpt.js'
import {resolveConfig} from '../src/source/config.js'
import {readFrontmatter} from '../src/source/frontmatter.js'
import {createParser} from '../src/source/parse.js'
import {createPost, leadParagraph, titleFromFileName, type Post} from '../src/source/post.js'
import {tableOfContents} from '../src/web/plan.js'
import {removeBuiltSites, tempSite} from './helpers/site.js'

afterAll(() => removeBuiltSites())

const parser = createParser()

/** One post parsed as the site loader would, as `posts/<name>`. */
function post(markdown: string, name = 'x.md', language = 'en'): Post {
  const file = new VFile({path: `posts/${name}`, value: markdown})
  const tree = parser.runSync(parser.parse(file), file)
  return createPost(tree, file, readFrontmatter(tree, file), resolveConfig('/site', {language}))
}

const dated = '---\ntitle: Notes\ndate: 2026-03-01\n---\n\n'
const lead = (markdown: string) => {
  const paragraph = leadParagraph(post(dated + markdown).tree)
  return paragraph ? toString(paragraph) : undefined
}

describe('the paragraph that opens a post', () => {
  it('should skip a bold date line with an emoji and a status badge', () => {
    expect(lead('**December 12, 2022** :bookmark_tabs: `ONGOING`\n\nMLOps needs many moving parts.\n')).toBe('MLOps needs many moving parts.')
  })

  it('should skip a line of only emphasis, only badges, or a date with a word or two', () => {
    expect(lead('*Updated for 2026*\n\nThe text.\n')).toBe('The text.')
    expect(lead('[![build](https://ci.example/badge.svg)](https://ci.example/) ![coverage](cov.svg)\n\nThe text.\n')).toBe('The text.')
    expect(lead('Posted on 12 Dec 2022\n\nThe text.\n')).toBe('The text.')
    expect(lead('2022-12-12 · ONGOING\n\nThe text.\n')).toBe('The text.')
  })

  it('should skip fine print, and keep a standfirst written in italics', () => {
    expect(
      lead('**May 15, 2023**\n\n<sup> * Thanks to [Andy](https://example.org/) for the review.</sup>\n\n*This article explores what large language models are, how they are built, and where they fail.*\n\nBody.\n')
    ).toBe('This article explores what large language models are, how they are built, and where they fail.')
  })

  it('should keep a sentence that starts with a date, or has emphasis in it', () => {
    expect(lead('On December 12, 2022 we moved the whole stack to a queue of our own.\n\nLater.\n')).toBe(
      'On December 12, 2022 we moved the whole stack to a queue of our own.'
    )
    expect(lead('The **whole** stack moved.\n\nLater.\n')).toBe('The whole stack moved.')
  })

  it('should fall back to the first paragraph when every one is a lead-in line', () => {
    expect(lead('**Draft**\n\n*More soon*\n')).toBe('Draft')
  })

  it('should be what an issue card shows', () => {
    const card = firstParagraph(post(dated + '**March 1, 2026**\n\nThe kiln reached cone six.\n'))
    expect(card && toString(card)).toBe('The kiln reached cone six.')
  })

  it('should open the home page excerpt, the meta description, the feeds and the issue', async () => {
    const {site, out} = await tempSite(
      {
        '2026/kiln.md': dated.replace('Notes', 'Kiln log') + '**March 1, 2026** :fire: `ONGOING`\n\nThe kiln reached cone six on the second firing.\n\n## Next\n\nGlazes.\n'
      },
      'title: Studio\nbaseUrl: https://studio.example/\n'
    )
    const home = fs.readFileSync(`${site}/index.html`, 'utf8')
    expect(home).toContain('<p>The kiln reached cone six on the second firing.</p>')
    expect(home).not.toContain('ONGOING')
    const page = fs.readFileSync(`${site}/posts/kiln/index.html`, 'utf8')
    expect(page).toContain('<meta name="description" content="The kiln reached cone six on the second firing.">')
    for (const feed of ['feed.xml', 'atom.xml', 'feed.json']) {
      const text = fs.readFileSync(`${site}/${feed}`, 'utf8')
      expect(text, feed).toContain('The kiln reached cone six on the second firing.')
      expect(text.split('ONGOING').length, feed).toBeLessThanOrEqual(2) // only in the full content, never the summary
    }
    const issue = JSON.parse(fs.readFileSync(`${out}/email/2026-03/issue.json`, 'utf8')) as {preheader: string}
    expect(issue.preheader).toBe('The kiln reached cone six on the second firing.')
  })
})

describe('the table of contents', () => {
  const sections = (mark: string, count: number, words = 40) =>
    Array.from({length: count}, (_, index) => `${mark} Part ${index + 1}\n\n${'word '.repeat(words)}\n\n${mark}# Detail ${index + 1}\n\nMore.\n`).join('\n')

  it('should list a post structured with ### by its own top level, and show it when the post is long', () => {
    const {toc, showToc} = tableOfContents(post(dated + sections('###', 3, 320)))
    expect(toc.map((entry) => `${entry.level} ${entry.text}`)).toEqual([
      '1 Part 1', '2 Detail 1', '1 Part 2', '2 Detail 2', '1 Part 3', '2 Detail 3'
    ])
    expect(showToc).toBe(true)
  })

  it('should leave out the title heading and keep the rule for short posts', () => {
    const short = post('---\ndate: 2026-03-01\n---\n\n# Kiln log\n\n' + sections('##', 3))
    const {toc, showToc} = tableOfContents(short)
    expect(toc[0]).toEqual({depth: 2, level: 1, text: 'Part 1', id: 'part-1'})
    expect(toc.some((entry) => entry.text === 'Kiln log')).toBe(false)
    expect(showToc).toBe(false)
  })

  it('should follow `toc: true` and `toc: false` in the frontmatter, and MkDocs’ `hide: [toc]`', () => {
    expect(tableOfContents(post('---\ntitle: A\ndate: 2026-03-01\ntoc: true\n---\n\n' + sections('##', 1))).showToc).toBe(true)
    expect(tableOfContents(post('---\ntitle: A\ndate: 2026-03-01\ntoc: false\n---\n\n' + sections('##', 4, 400))).showToc).toBe(false)
    expect(tableOfContents(post('---\ntitle: A\ndate: 2026-03-01\nhide: [toc]\n---\n\n' + sections('##', 4, 400))).showToc).toBe(false)
    // Nothing to list: no box, whatever the frontmatter says.
    expect(tableOfContents(post('---\ntitle: A\ndate: 2026-03-01\ntoc: true\n---\n\nNo headings.\n')).showToc).toBe(false)
  })

  it('should say at its line that `toc` takes true or false', () => {
    const file = new VFile({path: 'posts/x.md', value: '---\ntitle: A\ntoc: maybe\n---\n'})
    readFrontmatter(parser.parse(file), file)
    expect(file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`)).toEqual(['3:6 frontmatter-type'])
  })

  it('should show the box on the page with `toc: true`', async () => {
    const {site} = await tempSite({'2026/kiln.md': '---\ntitle: Kiln log\ndate: 2026-03-01\ntoc: true\n---\n\n### Loading\n\nShelves.\n\n### Firing\n\nHeat.\n'}, 'title: Studio\n')
    const html = fs.readFileSync(`${site}/posts/kiln/index.html`, 'utf8')
    expect(html).toContain('<li class="toc-level-1"><a href="#loading">Loading</a></li>')
  })
})

describe('titles from file names', () => {
  it('should be in title case in English, keeping short joining words and words with capitals', () => {
    expect(titleFromFileName('legal-tech', 'en')).toBe('Legal Tech')
    expect(titleFromFileName('2024-01-14-the-state-of-mlops-in-2024', 'en-GB')).toBe('The State of Mlops in 2024')
    expect(titleFromFileName('notes_on_iOS_and_LLM-apps', 'en')).toBe('Notes on iOS and LLM Apps')
    expect(titleFromFileName('what-to-look-for', 'en')).toBe('What to Look For')
  })

  it('should capitalise only the first word in other languages', () => {
    expect(titleFromFileName('über-die-brücke', 'de')).toBe('Über die brücke')
  })

  it('should name a post without a title, with the warning that says so', () => {
    const untitled = post('---\ndate: 2026-03-01\n---\n\nText.\n', 'legal-tech.md')
    expect(untitled.title).toBe('Legal Tech')
    expect(untitled.file.messages.map((message) => message.ruleId)).toEqual(['title-missing'])
  })
})

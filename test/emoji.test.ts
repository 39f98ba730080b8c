/**
 * Emoji shortcodes `:name:` (pymdownx.emoji with GitHub's gemoji names):
 * fixtures against the Python reference (see `inline-helpers.ts` for the
 * normalisation), then the node, positions, markup and round trip.
 */
import {existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type {Paragraph} from 'mdast'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import type {Emoji} from '../src/syntax/mdast.js'
import {emojiByName} from '../src/syntax/emoji/index.js'
import {setUpInlineTests} from './inline-helpers.js'

const {expectRoundTrip, expectRoundTripProperty, find, parse, render, slice, stringify, withoutPositions} =
  setUpInlineTests('emoji')

const plain = unified().use(remarkParse).use(remarkGfm, {singleTilde: false})

describe('emoji shortcodes', () => {
  it('should make an emoji node with its name, character and position', () => {
    const markdown = 'Shipped :rocket: today'
    const emoji = find(parse(markdown), 'emoji')
    expect(emoji.name).toBe('rocket')
    expect(emoji.value).toBe('🚀')
    expect(slice(markdown, emoji)).toBe(':rocket:')
    expect(emoji.position?.start).toEqual({line: 1, column: 9, offset: 8})
  })

  it('should read a run of shortcodes right after a word', () => {
    const markdown = 'cluster:boom::boom:'
    const paragraph = parse(markdown).children[0] as Paragraph
    expect(paragraph.children.map((node) => node.type)).toEqual(['text', 'emoji', 'emoji'])
    expect(paragraph.children.slice(1).map((node) => slice(markdown, node))).toEqual([
      ':boom:',
      ':boom:'
    ])
  })

  it('should know GitHub names, `+1` and `-1` included', () => {
    const paragraph = parse(':+1: :-1: :t-rex: :non-potable_water:').children[0] as Paragraph
    const emoji = paragraph.children.filter((node): node is Emoji => node.type === 'emoji')
    expect(emoji.map((node) => node.value)).toEqual(['👍', '👎', '🦖', '🚱'])
  })

  it('should leave unknown names, capitals and code exactly as plain remark does', () => {
    const markdown = ':nope: :Rocket: `:rocket:` 10:30:00 :: \\:rocket: [a](http://x/:rocket:)'
    expect(withoutPositions(parse(markdown))).toEqual(withoutPositions(plain.parse(markdown)))
  })

  it('should render the character in a span named by its Unicode description', () => {
    expect(render(':boom:')).toBe(
      '<p><span class="emoji" role="img" aria-label="collision">💥</span></p>'
    )
  })

  it('should use the character in image alt text', () => {
    // pymdownx leaves `:rocket:` in alt; the character reads better.
    expect(render('![:rocket: launch](l.png)')).toBe('<p><img src="l.png" alt="🚀 launch"></p>')
  })

  it('should escape a literal shortcode but not other colons when serializing', () => {
    const tree = parse('a')
    const paragraph = tree.children[0] as Paragraph
    paragraph.children = [{type: 'text', value: 'say :rocket: at 10:30:00'}]
    expect(stringify(tree)).toBe('say \\:rocket: at 10:30:00\n')
    expect(expectRoundTrip('say \\:rocket: and :rocket::rocket:')).toBe(
      'say \\:rocket: and :rocket::rocket:\n'
    )
    // `:b:` is a name too: escaping must not skip the colon it ends on.
    expect(expectRoundTrip(':boom:b\\:boom:')).toBe(':boom:b\\:boom:\n')
  })

  it('should index every gemoji name once, built at load', () => {
    expect(emojiByName.get('bookmark_tabs')?.emoji).toBe('📑')
    expect(emojiByName.size).toBeGreaterThan(1800)
  })

  it('should round-trip any mix of colons and names', () => {
    expectRoundTripProperty([':', '::', ':boom:', 'boom', ':b:', '+1', ':+1:', '10:30'])
  })

  it('should be part of the dialect', async () => {
    expect(await renderFragment('Done :tada:')).toContain('<span class="emoji"')
  })

  const seed = fileURLToPath(new URL('../../shared/seed/whats-new-in-mlops.md', import.meta.url))
  const corpus = fileURLToPath(new URL('../../shared/corpus/legal-tech.md', import.meta.url))

  it.skipIf(!existsSync(seed) || !existsSync(corpus))(
    'should read the shortcodes of the real posts',
    () => {
      const names = (file: string) => {
        const list: string[] = []
        visit(parse(readFileSync(file, 'utf8')), 'emoji', (node) => {
          list.push(node.name)
        })
        return list
      }

      expect(names(seed)).toContain('bookmark_tabs')
      expect(names(corpus).filter((name) => name === 'boom').length).toBeGreaterThanOrEqual(4)
    }
  )
})

import fc from 'fast-check'
import type {Nodes, Root} from 'mdast'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {createParser, createParserWithEveryPass} from '../src/source/parse.js'

// The parser skips GFM's autolink-literal pass on a tree where no text node
// could hold an autolink literal. These check that it parses every text as
// the parser that always runs the pass does.

const shortcut = createParser()
const everyPass = createParserWithEveryPass()

const parse = (parser: typeof shortcut, text: string): Root => parser.parse(new VFile({value: text, path: 'post.md'}))

/** Every link's URL in the tree, in document order. */
function linkUrls(tree: Root): string[] {
  const urls: string[] = []
  const walk = (node: Nodes) => {
    if (node.type === 'link') urls.push(node.url)
    if ('children' in node) for (const child of node.children) walk(child)
  }
  walk(tree)
  return urls
}

describe('the autolink-literal shortcut', () => {
  // Texts remark-gfm links only in its pass over the tree (its syntax extension leaves them as text), one for each
  // thing the shortcut looks for; then texts it links while parsing, and texts with nothing to link.
  it.each([
    ['a bracketed https address', 'Mirror: [https://example.com/docs] for now.', ['https://example.com/docs']],
    ['a bracketed address in capitals', 'Mirror: [HTTP://EXAMPLE.COM] for now.', ['HTTP://EXAMPLE.COM']],
    ['a quoted www address', 'He said "www.example.com" was down.', ['http://www.example.com']],
    ['a bracketed www address in capitals', 'Try [WWW.EXAMPLE.COM] instead.', ['http://WWW.EXAMPLE.COM']],
    ['a bracketed email address', 'Write to [editor@example.net] please.', ['mailto:editor@example.net']],
    ['an email address in emphasis', 'Or _desk@example.org_ at night.', ['mailto:desk@example.org']],
    ['a www address in prose', 'Read www.example.com for more.', ['http://www.example.com']],
    ['a literal inside a list in an admonition', '!!! note\n    - see https://example.com/a', ['https://example.com/a']],
    ['a literal in a table cell', '| a |\n| - |\n| [www.example.io] |', ['http://www.example.io']],
    // remark-gfm links the address in it as an email: its syntax extension reads that before the pass runs.
    ['an xmpp address', 'Chat at xmpp:team@example.org/desk now.', ['mailto:team@example.org']],
    ['an address inside code only', 'Run `curl [https://example.com]` first.', []],
    ['a written link only', 'A [link](https://example.com/) and no literal.', ['https://example.com/']],
    ['nothing to link', 'Plain prose, with no address at all.', []]
  ])('should link %s as the pass would', (_, text, urls) => {
    const tree = parse(shortcut, text)
    expect(linkUrls(tree)).toEqual(urls)
    expect(tree).toEqual(parse(everyPass, text))
  })

  it('should parse any text of address-like pieces as the parser that always runs the pass', () => {
    const piece = fc.constantFrom(
      'www', '.', 'http', 's', '://', '@', 'mailto:', 'xmpp:', 'example', 'com', 'org', '/', '-', '_', '+',
      'W', 'HTTP', 'a', 'Z', '9', ' ', '\n', '\n\n', '*', '_', '`', '[', ']', '(', ')', '<', '>', '"', "'",
      '!!! note\n    ', '- ', '| '
    )
    fc.assert(
      fc.property(fc.array(piece, {maxLength: 40}), (pieces) => {
        const text = pieces.join('')
        expect(parse(shortcut, text)).toEqual(parse(everyPass, text))
      }),
      {numRuns: 300}
    )
  })
})

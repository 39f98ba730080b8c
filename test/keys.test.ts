/**
 * Keyboard keys `++ctrl+alt+del++` (pymdownx.keys): fixtures against the
 * Python reference (see `inline-helpers.ts`), then the node, the key table,
 * positions and round trips.
 */
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import {lookupKey, quotedKeyLabel} from '../src/syntax/keys/index.js'
import {setUpInlineTests} from './inline-helpers.js'

const {expectRoundTrip, expectRoundTripProperty, find, parse, render, slice, stringify} =
  setUpInlineTests('keys')

describe('keys', () => {
  it('should keep the source and the keys, names in lower case', () => {
    const markdown = 'Press ++Ctrl+Alt+"My Key"++ now'
    const keys = find(parse(markdown), 'keys')
    expect(keys.value).toBe('Ctrl+Alt+"My Key"')
    expect(keys.keys).toEqual(['ctrl', 'alt', '"My Key"'])
    expect(slice(markdown, keys)).toBe('++Ctrl+Alt+"My Key"++')
  })

  it('should match names in any case (pymdownx only knows lower case)', () => {
    expect(render('++Ctrl+C++')).toBe(
      '<p><span class="keys"><kbd class="key-control">Ctrl</kbd><span>+</span><kbd class="key-c">C</kbd></span></p>'
    )
  })

  it('should show quoted keys as their text, escapes resolved', () => {
    expect(render('++"a \\" b"++')).toBe('<p><span class="keys"><kbd>a " b</kbd></span></p>')
    expect(quotedKeyLabel("' spaced '")).toBe('spaced')
  })

  it('should leave the whole thing as text if one name is unknown', () => {
    expect(render('++ctrl+warp++ ++ctrl++x')).toBe(
      '<p>++ctrl+warp++ <span class="keys"><kbd class="key-control">Ctrl</kbd></span>x</p>'
    )
  })

  it('should close at the first `++` after a key', () => {
    expect(render('++a+b++c++ +++ctrl++')).toBe(
      '<p><span class="keys"><kbd class="key-a">A</kbd><span>+</span><kbd class="key-b">B</kbd></span>c++ +<span class="keys"><kbd class="key-control">Ctrl</kbd></span></p>'
    )
  })

  it('should know the common keys and their aliases', () => {
    expect(lookupKey('ctrl')).toEqual({name: 'control', label: 'Ctrl'})
    expect(lookupKey('CMD')).toEqual({name: 'command', label: 'Cmd'})
    expect(lookupKey('del')).toEqual({name: 'delete', label: 'Del'})
    expect(lookupKey('left')).toEqual({name: 'arrow-left', label: 'Left'})
    expect(lookupKey('f12')).toEqual({name: 'f12', label: 'F12'})
    expect(lookupKey('q')).toEqual({name: 'q', label: 'Q'})
    expect(lookupKey('7')).toEqual({name: '7', label: '7'})
    expect(lookupKey('space')).toEqual({name: 'space', label: 'Space'})
    expect(lookupKey('warp')).toBeUndefined()
  })

  it('should write keys from their source and escape `++` in text', () => {
    const tree = parse('++Ctrl+Shift+"P"++')
    expect(stringify(tree)).toBe('++Ctrl+Shift+"P"++\n')
    tree.children = [{type: 'paragraph', children: [{type: 'text', value: 'C++ and ++ctrl++'}]}]
    expect(stringify(tree)).toBe('C++ and \\++ctrl++\n')
  })

  it('should round-trip keys', () => {
    expectRoundTrip('++ctrl+alt+del++ and \\++esc++ and ++"a+b"++ and C++')
  })

  it('should round-trip any mix of pluses and key names', () => {
    expectRoundTripProperty(['+', '++', '+++', 'ctrl', 'alt', '"q"', "'", '++ctrl+c++'])
  })

  it('should be part of the dialect', async () => {
    expect(await renderFragment('++enter++')).toBe(
      '<p><span class="keys"><kbd class="key-enter">Enter</kbd></span></p>'
    )
  })
})

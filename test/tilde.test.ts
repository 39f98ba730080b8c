/**
 * `~subscript~` (pymdownx.tilde) next to GFM `~~strikethrough~~`: fixtures
 * against the Python reference (see `inline-helpers.ts`), then positions,
 * escapes and round trips.
 */
import {describe, expect, it} from 'vitest'
import {renderFragment} from '../src/index.js'
import {setUpInlineTests} from './inline-helpers.js'

const {expectRoundTrip, expectRoundTripProperty, find, parse, render, slice, stringify} =
  setUpInlineTests('tilde')

describe('subscript', () => {
  it('should span the sequences and touch letters', () => {
    const markdown = 'H~2~O'
    const subscript = find(parse(markdown), 'subscript')
    expect(slice(markdown, subscript)).toBe('~2~')
    expect(subscript.position?.start.offset).toBe(1)
  })

  it('should leave `~~` to strikethrough and longer runs as text', () => {
    // pymdownx reads `~~~x~~~` as `<del><sub>`; GFM owns `~~` here.
    expect(render('~~a~~ ~b~ ~~~c~~~')).toBe('<p><del>a</del> <sub>b</sub> ~~~c~~~</p>')
  })

  it('should read `\\ ` as a space and refuse other whitespace', () => {
    expect(render('~a\\ b~ ~a b~ ~a\tb~')).toBe('<p><sub>a b</sub> ~a b~ ~a\tb~</p>')
  })

  it('should pair the first closer after an opener', () => {
    expect(render('~a~b~ ~a\\~b~')).toBe('<p><sub>a</sub>b~ <sub>a~b</sub></p>')
  })

  it('should write whitespace in a subscript as character references', () => {
    const tree = parse('~a\\ b~')
    expect(stringify(tree)).toBe('~a&#x20;b~\n')
  })

  it('should round-trip subscripts beside strikethrough', () => {
    expectRoundTrip('x~i~ and ~~gone~~ and ~*a*~ and \\~n~ and ~a\\~b~')
  })

  it('should round-trip any mix of tildes', () => {
    expectRoundTripProperty(['~', '~~', '~~~', '~a~', '~~a~~', '\\ ', '\t'])
  })

  it('should be part of the dialect', async () => {
    expect(await renderFragment('CO~2~ ~~old~~')).toBe('<p>CO<sub>2</sub> <del>old</del></p>')
  })
})

import fc from 'fast-check'
import iconv from 'iconv-lite'
import {describe, expect, it} from 'vitest'
import {decodePost, repairMojibake} from '../src/source/encoding.js'

const utf8 = (text: string) => new TextEncoder().encode(text)

/** What a tool that read UTF-8 as Mac Roman (as macOS does) wrote back. */
function asMacRoman(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => (byte === 0xf0 ? '\uF8FF' : iconv.decode(Buffer.from([byte]), 'macintosh')))
    .join('')
}

/** What a tool that read UTF-8 as Windows-1252 (as browsers do) wrote back. */
function asWindows1252(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = iconv.decode(Buffer.from([byte]), 'windows-1252')
      return char === '\uFFFD' ? String.fromCharCode(byte) : char
    })
    .join('')
}

/** Every non-ASCII character some legacy charset here can produce. */
const legacyChars = new Set<string>()
for (let byte = 0x80; byte < 0x100; byte++) {
  legacyChars.add(iconv.decode(Buffer.from([byte]), 'macintosh'))
  legacyChars.add(iconv.decode(Buffer.from([byte]), 'windows-1252'))
  legacyChars.add(String.fromCharCode(byte))
}
legacyChars.add('\uF8FF')

/**
 * Text people really write: words in several scripts, symbols and emoji,
 * with punctuation attached the way typography attaches it (`“café…”`,
 * `l’été\u00a0»`), separated by white space.
 */
const words = [
  'model', 'pipeline', 'drift', 'Kühl', 'café', 'naïve', 'résumé', 'Déjà', 'vu', 'Straße', 'Ærøskøbing',
  'São', 'Paulo', 'AÇÃO', 'señor', 'año', 'Zürich', 'Øresund', 'façade', 'crème', 'brûlée', 'coöperate',
  'Łódź', 'Kraków', 'zażółć', 'gęślą', 'jaźń', 'Dvořák', 'Škoda', 'București', 'ștafetă', 'țară', 'l’été',
  'Ελληνικά', 'λόγος', 'Привет', 'данные', 'שלום', 'مرحبا', '日本語', '機械学習', '한국어', 'Tiếng', 'Việt',
  'CAFÉ', 'NESTLÉ', 'ÉCOLE', 'touché', 'voilà', 'it’s', 'don’t', 'naïveté', 'Æsir', 'créée', 'Müßiggang'
]
const symbols = ['🚀', '📜', '⤵️', '👍🏽', '❤️', '1️⃣', '∑', '√2', '≈', '→', '20°C', '€5', '£3', '½', '5µs', '±1', '©', '—', '–', '…', '•']
const before = ['', '', '', '“', '‘', '„', '«', '«\u00a0', '(', '¿', '¡', '—', '‚']
const after = ['', '', '', '”', '’', '’s', '…', '…”', '.”', '—', '»', '\u00a0»', '™', '®', '“', '‘', '.', ',', ')', '?!']
const separators = [' ', ' ', ' ', '\n', '\u00a0', '\r\n', '\t', ' — ', '\n\n']

const token = fc.oneof(
  fc.tuple(fc.constantFrom(...before), fc.constantFrom(...words), fc.constantFrom(...after)).map((part) => part.join('')),
  fc.constantFrom(...symbols)
)
const realisticText = fc
  .array(fc.tuple(token, fc.constantFrom(...separators)), {maxLength: 30})
  .map((parts) => parts.map((part) => part.join('')).join(''))

/**
 * Any code point except lone surrogates and the control characters that
 * make bytes binary rather than text.
 */
const anyChar = fc
  .integer({min: 0, max: 0x10ffff})
  .filter((code) => (code < 0xd800 || code > 0xdfff) && (code >= 0x20 || code === 9 || code === 10 || code === 13) && code !== 0x7f)
  .map((code) => String.fromCodePoint(code))

describe('decodePost', () => {
  it('should return plain UTF-8 unchanged, with no fixes and no problem', () => {
    const result = decodePost(utf8('# Title\n\nPlain text, café and 🚀.\n'))
    expect(result).toEqual({text: '# Title\n\nPlain text, café and 🚀.\n', fixes: [], bom: false})
  })

  it('should drop a UTF-8 byte order mark', () => {
    const result = decodePost(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('---\ntitle: x\n---\n')]))
    expect(result.text).toBe('---\ntitle: x\n---\n')
    expect(result.bom).toBe(true)
    expect(result.problem).toBeUndefined()
  })

  it('should accept an empty file', () => {
    expect(decodePost(new Uint8Array())).toEqual({text: '', fixes: [], bom: false})
  })

  it('should repair UTF-8 read as Mac Roman, recording line, column and charset', () => {
    const result = decodePost(utf8('Intro\nThe team‚Äôs model \uF8FFüìú ships ‚§µÔ∏è\n'))
    expect(result.text).toBe('Intro\nThe team’s model 📜 ships ⤵️\n')
    expect(result.fixes).toEqual([
      {line: 2, column: 9, offset: 14, original: '‚Äô', replacement: '’', charset: 'mac-roman'},
      {line: 2, column: 20, offset: 25, original: '\uF8FFüìú', replacement: '📜', charset: 'mac-roman'},
      {line: 2, column: 31, offset: 36, original: '‚§µÔ∏è', replacement: '⤵️', charset: 'mac-roman'}
    ])
  })

  it('should repair UTF-8 read as Windows-1252, including its undefined bytes', () => {
    const result = decodePost(utf8('It\u00e2\u20ac\u2122s the caf\u00c3\u00a9 \u00e2\u20ac\u0153x\u00e2\u20ac\u009d'))
    expect(result.text).toBe('It’s the café “x”')
    expect(result.fixes.map((fix) => [fix.column, fix.original, fix.replacement, fix.charset])).toEqual([
      [3, 'â€™', '’', 'windows-1252'],
      [15, 'Ã©', 'é', 'windows-1252'],
      [18, 'â€œ', '“', 'windows-1252'],
      [22, 'â€\u009d', '”', 'windows-1252']
    ])
  })

  it('should count columns in the text as stored, and lines after CRLF and CR', () => {
    const result = decodePost(utf8('a\r\nb\rc ‚Äô\n‚Äú'))
    expect(result.fixes.map((fix) => [fix.line, fix.column])).toEqual([
      [3, 3],
      [4, 1]
    ])
  })

  it('should repair mojibake next to a legitimate accented letter and leave the letter', () => {
    expect(decodePost(utf8('café‚Äôs')).text).toBe('café’s')
    expect(decodePost(utf8('Kühl√©')).text).toBe('Kühlé')
  })

  it.each([
    'Niklas Kühl',
    'café',
    'naïve',
    'Straße“',
    '“École”',
    '«École»',
    'l’été\u00a0»',
    '1990—é',
    'CAFÉ™',
    'NESTLÉ®',
    '“It’s a café…”',
    'AÇÃO',
    'Ærøskøbing',
    'µs ±5 °C',
    '≈ «É»'
  ])('should leave legitimately accented text alone: %s', (text) => {
    expect(decodePost(utf8(text))).toEqual({text, fixes: [], bom: false})
  })

  it('should read invalid UTF-8 as Windows-1252 with a warning, never U+FFFD', () => {
    const bytes = Uint8Array.from([...utf8('caf'), 0xe9, 0x0a, ...utf8('x '), 0x92, 0x81, ...utf8(' “ok”')])
    const result = decodePost(bytes)
    expect(result.text).toBe('café\nx ’\u0081 “ok”')
    expect(result.text).not.toContain('\uFFFD')
    expect(result.problem).toMatchObject({ruleId: 'encoding-latin1', fatal: false})
    expect(result.problem?.bytes).toEqual([
      {line: 1, column: 4, byte: 0xe9, char: 'é'},
      {line: 2, column: 3, byte: 0x92, char: '’'},
      {line: 2, column: 4, byte: 0x81, char: '\u0081'}
    ])
  })

  it('should read a UTF-16 file with a byte order mark, with a warning', () => {
    const le = decodePost(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# Hi café', 'utf16le')]))
    expect(le.text).toBe('# Hi café')
    expect(le.problem?.ruleId).toBe('encoding-utf16')
    const be = Buffer.from('\uFEFF# Hi', 'utf16le').swap16()
    expect(decodePost(be).text).toBe('# Hi')
  })

  it('should refuse bytes with a NUL as binary, with no text', () => {
    const result = decodePost(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))
    expect(result.text).toBe('')
    expect(result.problem).toMatchObject({ruleId: 'encoding-binary', fatal: true})
  })

  it('should refuse bytes that are mostly control characters as binary', () => {
    const bytes = Uint8Array.from([1, 2, 3, 4, 5, 65, 66, 67, 6, 7])
    expect(decodePost(bytes).problem?.ruleId).toBe('encoding-binary')
    // A form feed or an escape sequence in real text is no reason.
    expect(decodePost(utf8('page\fbreak \u001b[1mbold\u001b[0m')).problem).toBeUndefined()
  })

  it('should return valid UTF-8 without mojibake unchanged (property)', () => {
    // Mojibake is two or more adjacent legacy-charset characters; break every
    // such pair with a space so the text is mojibake-free by construction.
    const text = fc.array(anyChar, {maxLength: 200}).map((chars) => {
      let out = ''
      let previousLegacy = false
      for (const char of chars) {
        const legacy = legacyChars.has(char)
        out += (legacy && previousLegacy ? ' ' : '') + char
        previousLegacy = legacy
      }
      return out
    })
    fc.assert(
      fc.property(text, (value) => {
        const result = decodePost(utf8(value))
        // A leading U+FEFF is a byte order mark by definition.
        expect(result.text).toBe(value.startsWith('\uFEFF') ? value.slice(1) : value)
        expect(result.fixes).toEqual([])
      }),
      {numRuns: 500}
    )
  })

  it('should return real multilingual text unchanged (property)', () => {
    fc.assert(
      fc.property(realisticText, (value) => {
        expect(repairMojibake(value)).toEqual({text: value, fixes: []})
      }),
      {numRuns: 1000}
    )
  })

  it('should undo Mac Roman and Windows-1252 mojibake of real text (property)', () => {
    fc.assert(
      fc.property(realisticText, fc.constantFrom(asMacRoman, asWindows1252), (value, garble) => {
        expect(decodePost(utf8(garble(value))).text).toBe(value)
      }),
      {numRuns: 1000}
    )
  })
})

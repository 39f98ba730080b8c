/**
 * Bytes to text: UTF-8 (BOM dropped), with mojibake repaired and the
 * failures of other encodings reported instead of hidden.
 *
 * Mojibake is UTF-8 that was once decoded in a legacy single-byte charset
 * and saved again, so every multi-byte character became two to four
 * characters of that charset (`’` → `‚Äô` via Mac Roman, `â€™` via
 * Windows-1252). The repair works on maximal runs of non-ASCII characters that
 * all exist in that charset: each run is encoded back to its bytes, and every
 * stretch of those bytes that is valid multi-byte UTF-8 is a candidate. A
 * candidate is accepted only when the characters it decodes to are plausible
 * text (see `kind` and `plausible`), which keeps legitimately accented words
 * (`Kühl`, `café`, `naïve`, `Straße“`, `«École»`, `l’été »`) untouched.
 */
import iconv from 'iconv-lite'

/** A legacy charset that UTF-8 text is found mis-decoded in. */
export type MojibakeCharset = 'mac-roman' | 'windows-1252'

/** One repaired mojibake sequence. */
export interface EncodingFix {
  /** 1-based line in the decoded text before repair (lines never change). */
  line: number
  /** 1-based column (UTF-16 code units) in the text before repair. */
  column: number
  /** 0-based offset in the text before repair. */
  offset: number
  /** The mojibake as found (`‚Äô`). */
  original: string
  /** What it was repaired to (`’`). */
  replacement: string
  /** The charset the UTF-8 had been mis-decoded in. */
  charset: MojibakeCharset
}

/** A byte that is not part of valid UTF-8 and was read as Windows-1252. */
export interface InvalidByte {
  /** 1-based line in the decoded text. */
  line: number
  /** 1-based column (UTF-16 code units) in the decoded text. */
  column: number
  /** The byte value. */
  byte: number
  /** The character it was read as. */
  char: string
}

/** Something about the bytes that the author should hear about. */
export interface EncodingProblem {
  /**
   * `encoding-binary` (fatal: no text), `encoding-latin1` (bytes that are not
   * UTF-8, read as Windows-1252) or `encoding-utf16` (a UTF-16 file, read).
   */
  ruleId: 'encoding-binary' | 'encoding-latin1' | 'encoding-utf16'
  /** What was found and what is expected, for the message. */
  reason: string
  /** Whether the file cannot be used at all. */
  fatal: boolean
  /** For `encoding-latin1`: every byte read as Windows-1252, in order. */
  bytes?: InvalidByte[]
}

/** The result of `decodePost`. */
export interface DecodedPost {
  /** The text, repaired; empty when `problem.fatal`. */
  text: string
  /** Every mojibake repair, in document order. */
  fixes: EncodingFix[]
  /** Whether a UTF-8 byte order mark was dropped. */
  bom: boolean
  /** Set when the bytes were not clean UTF-8 (or not text at all). */
  problem?: EncodingProblem
}

/** Human names of the charsets, for messages. */
export const charsetNames: Record<MojibakeCharset, string> = {
  'mac-roman': 'Mac Roman',
  'windows-1252': 'Windows-1252'
}

interface Table {
  /** Byte → character. */
  decode: string[]
  /** Character code → byte, for the non-ASCII characters of the charset. */
  encode: Map<number, number>
}

const tables: Record<MojibakeCharset, Table> = {
  'mac-roman': buildTable('macintosh', (byte, char) => {
    // iconv-lite leaves 0xF0 (the Apple logo) unmapped; macOS decodes it to
    // U+F8FF, and that is what the mojibake of every emoji starts with.
    if (byte === 0xf0) return '\uF8FF'
    return char
  }),
  'windows-1252': buildTable('windows-1252', (byte, char) =>
    // The five undefined bytes decode to C1 controls, as browsers (WHATWG)
    // and Latin-1 do; never to U+FFFD.
    char === '\uFFFD' ? String.fromCharCode(byte) : char
  )
}

// Aliases that other decoders produce for the same byte.
// Mac Roman 0xDB was `¤` until 1998 and is `€` since; iconv-lite has `¤`.
tables['mac-roman'].encode.set(0x20ac, 0xdb)
// Latin-1 (not Windows-1252) reads 0x80–0x9F as C1 controls.
for (let byte = 0x80; byte < 0xa0; byte++) tables['windows-1252'].encode.set(byte, byte)

const charsets = Object.keys(tables) as MojibakeCharset[]

function buildTable(name: string, patch: (byte: number, char: string) => string): Table {
  const all = new Uint8Array(256)
  for (let byte = 0; byte < 256; byte++) all[byte] = byte
  const chars = [...iconv.decode(Buffer.from(all), name)]
  const decode: string[] = []
  const encode = new Map<number, number>()
  for (let byte = 0; byte < 256; byte++) {
    const char = patch(byte, chars[byte] ?? '\uFFFD')
    decode.push(char)
    if (byte >= 0x80) encode.set(char.codePointAt(0) ?? 0, byte)
  }
  return {decode, encode}
}

const utf8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})

/**
 * Decode the bytes of one post.
 *
 * - UTF-8, with or without BOM (dropped): decoded, then mojibake repaired.
 * - UTF-16 with a BOM, or mostly-ASCII UTF-16 without one (`utf16WithoutBom`):
 *   decoded, with an `encoding-utf16` problem.
 * - Binary (a NUL byte, or more than 10% control bytes): fatal
 *   `encoding-binary`, empty text.
 * - Invalid UTF-8 otherwise: every valid UTF-8 sequence is kept, every byte
 *   that fits none is read as Windows-1252 (never U+FFFD), with an
 *   `encoding-latin1` problem listing them. A file that is entirely
 *   Windows-1252 thus reads as Windows-1252.
 *
 * Valid UTF-8 without mojibake comes back unchanged. An empty file gives `''`.
 */
export function decodePost(bytes: Uint8Array): DecodedPost {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const littleEndian = bytes[0] === 0xff
    try {
      const text = new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be', {fatal: true}).decode(bytes)
      return {
        ...repairMojibake(text),
        bom: false,
        problem: {
          ruleId: 'encoding-utf16',
          reason: `File is UTF-16 (${littleEndian ? 'little' : 'big'}-endian); read it, but save it as UTF-8`,
          fatal: false
        }
      }
    } catch {
      // Not valid UTF-16 after all: judge it as bytes below.
    }
  }

  const unmarked = utf16WithoutBom(bytes)
  if (unmarked) {
    return {
      ...repairMojibake(unmarked.text),
      bom: false,
      problem: {
        ruleId: 'encoding-utf16',
        reason: `File is UTF-16 (${unmarked.littleEndian ? 'little' : 'big'}-endian) without a byte order mark; read it, but save it as UTF-8`,
        fatal: false
      }
    }
  }

  const binary = binaryReason(bytes)
  if (binary) {
    return {text: '', fixes: [], bom: false, problem: {ruleId: 'encoding-binary', reason: binary, fatal: true}}
  }

  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
  const body = bom ? bytes.subarray(3) : bytes

  let text: string
  let problem: EncodingProblem | undefined
  try {
    text = utf8.decode(body)
  } catch {
    const mixed = decodeMixed(body)
    text = mixed.text
    const lines = lineStarts(text)
    const invalid = mixed.invalid.map(({offset, byte}) => {
      const {line, column} = toPoint(lines, offset)
      return {line, column, byte, char: text[offset] ?? ''}
    })
    problem = {
      ruleId: 'encoding-latin1',
      reason: `File is not valid UTF-8: read ${invalid.length} byte${invalid.length === 1 ? '' : 's'} as Windows-1252; save it as UTF-8`,
      fatal: false,
      bytes: invalid
    }
  }

  const repaired = repairMojibake(text)
  return problem ? {...repaired, bom, problem} : {...repaired, bom}
}

/**
 * The text of UTF-16 without a byte order mark, recognised as encoding
 * detectors (uchardet, `file`) do: an even number of bytes where, in most
 * two-byte units, one byte of a fixed side is 0 and the other is printable
 * ASCII, and which decodes as valid UTF-16 to text without NULs or other
 * binary control characters. UTF-8 text never has NUL bytes; neither do
 * the files people write in other scripts, whose UTF-16 this cannot tell
 * from binary (they are left to `binaryReason`).
 */
function utf16WithoutBom(bytes: Uint8Array): {text: string; littleEndian: boolean} | undefined {
  if (bytes.length < 2 || bytes.length % 2 !== 0) return undefined
  let little = 0
  let big = 0
  const printable = (byte: number | undefined) => byte !== undefined && ((byte >= 0x20 && byte < 0x7f) || byte === 9 || byte === 10 || byte === 13)
  for (let index = 0; index < bytes.length; index += 2) {
    const first = bytes[index]
    const second = bytes[index + 1]
    if (second === 0 && printable(first)) little++
    else if (first === 0 && printable(second)) big++
  }
  const units = bytes.length / 2
  const littleEndian = little >= big
  // Mostly ASCII, in one byte order only.
  if (Math.max(little, big) < units * 0.6 || Math.min(little, big) > units * 0.05) return undefined
  let text: string
  try {
    text = new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be', {fatal: true}).decode(bytes)
  } catch {
    return undefined
  }
  if (/[\u0000-\u0008\u000E-\u001A\u001C-\u001F\u007F]/.test(text)) return undefined
  return {text, littleEndian}
}

/** Why these bytes are not text, or `undefined` when they may be. */
function binaryReason(bytes: Uint8Array): string | undefined {
  let controls = 0
  for (const byte of bytes) {
    if (byte === 0) return 'File contains NUL bytes: this is a binary file, not Markdown'
    // Tab, LF, VT, FF, CR and ESC (ANSI colours) do turn up in text.
    if ((byte < 0x20 && byte !== 9 && byte !== 10 && byte !== 11 && byte !== 12 && byte !== 13 && byte !== 27) || byte === 0x7f) {
      controls++
    }
  }
  if (bytes.length > 0 && controls / bytes.length > 0.1) {
    return `File is ${Math.round((controls / bytes.length) * 100)}% control characters: this is a binary file, not Markdown`
  }
  return undefined
}

/**
 * Decode UTF-8 where valid and Windows-1252 byte by byte where not, so a
 * mostly-UTF-8 file with a few stray legacy bytes keeps its UTF-8 intact.
 */
function decodeMixed(bytes: Uint8Array): {text: string; invalid: Array<{offset: number; byte: number}>} {
  const decode = tables['windows-1252'].decode
  const invalid: Array<{offset: number; byte: number}> = []
  let text = ''
  let index = 0
  let asciiStart = 0
  while (index < bytes.length) {
    const byte = bytes[index] ?? 0
    if (byte < 0x80) {
      index++
      continue
    }
    text += Buffer.from(bytes.subarray(asciiStart, index)).toString('latin1')
    const length = utf8SequenceLength(bytes, index)
    if (length > 0) {
      text += utf8.decode(bytes.subarray(index, index + length))
      index += length
    } else {
      invalid.push({offset: text.length, byte})
      text += decode[byte] ?? ''
      index++
    }
    asciiStart = index
  }
  text += Buffer.from(bytes.subarray(asciiStart)).toString('latin1')
  return {text, invalid}
}

/**
 * Length of the valid multi-byte UTF-8 sequence starting at `index`, or 0.
 * Rejects overlong forms, surrogates and code points past U+10FFFF, as the
 * WHATWG decoder does.
 */
function utf8SequenceLength(bytes: ArrayLike<number>, index: number): number {
  const lead = bytes[index] ?? 0
  let length: number
  let low = 0x80
  let high = 0xbf
  if (lead >= 0xc2 && lead <= 0xdf) length = 2
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3
    if (lead === 0xe0) low = 0xa0
    if (lead === 0xed) high = 0x9f
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4
    if (lead === 0xf0) low = 0x90
    if (lead === 0xf4) high = 0x8f
  } else return 0
  if (index + length > bytes.length) return 0
  const second = bytes[index + 1] ?? 0
  if (second < low || second > high) return 0
  for (let next = 2; next < length; next++) {
    const byte = bytes[index + next] ?? 0
    if (byte < 0x80 || byte > 0xbf) return 0
  }
  return length
}

interface Candidate {
  start: number
  end: number
  replacement: string
  charset: MojibakeCharset
}

/**
 * Find and repair mojibake in `text`. Fix positions refer to `text` as
 * given. Exported for tests and for tools that already hold a string.
 */
export function repairMojibake(text: string): {text: string; fixes: EncodingFix[]} {
  // Cheap exit: mojibake needs two adjacent non-ASCII characters.
  if (!/[^\0-\x7F]{2}/.test(text)) return {text, fixes: []}

  const found = charsets.map((charset) => findCandidates(text, charset))
  // When a stretch reads as mojibake in both charsets, the file's dominant
  // one wins: a file is garbled one way, not both.
  const weight = found.map((list) => list.reduce((sum, c) => sum + c.end - c.start, 0))
  const preferred = charsets[weight[1]! > weight[0]! ? 1 : 0]
  const all = found
    .flat()
    .sort(
      (a, b) =>
        b.end - b.start - (a.end - a.start) ||
        Number(b.charset === preferred) - Number(a.charset === preferred) ||
        a.start - b.start
    )

  const accepted: Candidate[] = []
  const claimed = new Uint8Array(text.length)
  for (const candidate of all) {
    if (claimed.subarray(candidate.start, candidate.end).every((unit) => unit === 0)) {
      claimed.fill(1, candidate.start, candidate.end)
      accepted.push(candidate)
    }
  }
  if (accepted.length === 0) return {text, fixes: []}
  accepted.sort((a, b) => a.start - b.start)

  const lines = lineStarts(text)
  const fixes: EncodingFix[] = []
  let result = ''
  let last = 0
  for (const candidate of accepted) {
    const {line, column} = toPoint(lines, candidate.start)
    fixes.push({
      line,
      column,
      offset: candidate.start,
      original: text.slice(candidate.start, candidate.end),
      replacement: candidate.replacement,
      charset: candidate.charset
    })
    result += text.slice(last, candidate.start) + candidate.replacement
    last = candidate.end
  }
  result += text.slice(last)
  return {text: result, fixes}
}

/** Every plausible repair of `text` read as mojibake of `charset`. */
function findCandidates(text: string, charset: MojibakeCharset): Candidate[] {
  const {encode} = tables[charset]
  const candidates: Candidate[] = []
  let index = 0
  while (index < text.length) {
    const code = text.charCodeAt(index)
    if (code < 0x80 || !encode.has(code)) {
      index++
      continue
    }
    // A maximal run of non-ASCII characters of this charset. All of them
    // are in the BMP, so one code unit is one byte.
    const start = index
    const bytes: number[] = []
    while (index < text.length) {
      const byte = encode.get(text.charCodeAt(index))
      if (byte === undefined) break
      bytes.push(byte)
      index++
    }
    if (bytes.length < 2) continue

    // Split the run at bytes that belong to no UTF-8 sequence: legitimate
    // characters next to mojibake (`é‚Äô`) stay as they are.
    let at = 0
    while (at < bytes.length) {
      let end = at
      let length: number
      while ((length = utf8SequenceLength(bytes, end)) > 0) end += length
      if (end === at) {
        at++
        continue
      }
      const replacement = utf8.decode(Uint8Array.from(bytes.slice(at, end)))
      const before = charBefore(text, start + at)
      if (replacement.length < end - at && plausible(replacement, before)) {
        candidates.push({start: start + at, end: start + end, replacement, charset})
      }
      at = end
    }
  }
  return candidates
}

const forbidden = /[\p{Cc}\p{Cn}\p{Co}\p{Cs}]/u
const markBase = /[\p{L}\p{N}\p{S}]/u
const letter = /\p{L}/u
const mark = /\p{M}/u

// The combining marks that decomposed (NFD) Latin text is made of: grave,
// acute, circumflex, tilde, macron, breve, dot, diaeresis, ring, double
// acute, caron, cedilla, ogonek. Other marks in U+0300–U+036F come from
// pairs like Mac Roman `Ã©` (U+0329), which is Windows-1252 mojibake of `é`.
const latinMarks = new Set([
  0x300, 0x301, 0x302, 0x303, 0x304, 0x306, 0x307, 0x308, 0x30a, 0x30b, 0x30c, 0x327, 0x328
])

/** How a decoded character counts towards a repair being believable. */
type Kind = 'common' | 'rare' | 'never'

/**
 * Sort one decoded character. `common` is what UTF-8 mojibake mostly hides
 * (Latin letters, punctuation, symbols, emoji). `rare` is what two or three
 * legitimate characters that happen to form valid UTF-8 decode to (`«É` in
 * Mac Roman → `ǃ`, `é »` in Windows-1252 → U+983B): believable only when the
 * same stretch holds more of it, as a word of another script does. `never`
 * ends the candidate (IPA, NKo, Armenian...: `ß“` → U+07D3).
 */
function kind(code: number, char: string): Kind {
  if (code < 0x800) {
    if (code >= 0xa0 && code <= 0x17f) return 'common'
    // Romanian ș ț, the one everyday use of Latin Extended-B.
    if (code >= 0x218 && code <= 0x21b) return 'common'
    if (code >= 0x180 && code <= 0x24f) return 'rare'
    if (latinMarks.has(code)) return 'common'
    // Greek, Cyrillic, Hebrew, Arabic.
    if ((code >= 0x370 && code <= 0x52f) || (code >= 0x590 && code <= 0x6ff)) return 'rare'
    return 'never'
  }
  if (
    (code >= 0x1e00 && code <= 0x1eff) || // Latin Extended Additional (Vietnamese)
    (code >= 0x2000 && code <= 0x2bff) || // punctuation, currency, arrows, math, dingbats
    (code >= 0x3000 && code <= 0x303f) || // CJK punctuation
    (code >= 0xfe00 && code <= 0xfe0f) || // variation selectors (emoji presentation)
    (code >= 0xff00 && code <= 0xffef) || // full-width forms
    (code >= 0x10000 && !letter.test(char)) // emoji and other astral symbols
  ) {
    return 'common'
  }
  return 'rare'
}

/**
 * Whether `decoded` (the repair of one stretch) looks like what an author
 * wrote, given the character `before` the stretch.
 */
function plausible(decoded: string, before: string | undefined): boolean {
  if (forbidden.test(decoded)) return false
  const first = decoded.codePointAt(0) ?? 0
  if (mark.test(String.fromCodePoint(first))) {
    // A leading mark combines with the character before the stretch, so it
    // must be one that decomposed Latin or emoji use, on a base.
    const known = latinMarks.has(first) || (first >= 0xfe00 && first <= 0xfe0f) || first === 0x20e3
    if (!known || !before || !markBase.test(before)) return false
  }
  let rare = 0
  for (const char of decoded) {
    const found = kind(char.codePointAt(0) ?? 0, char)
    if (found === 'never') return false
    if (found === 'rare') rare++
  }
  return rare !== 1
}

/** The whole character (surrogate pair included) ending before `index`. */
function charBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined
  const low = text.charCodeAt(index - 1)
  const pair = low >= 0xdc00 && low <= 0xdfff && index >= 2
  return text.slice(pair ? index - 2 : index - 1, index)
}

/** Offsets where each line starts (after `\n`, `\r\n` or a lone `\r`). */
function lineStarts(text: string): number[] {
  const starts = [0]
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code === 10) starts.push(index + 1)
    else if (code === 13) {
      if (text.charCodeAt(index + 1) === 10) index++
      starts.push(index + 1)
    }
  }
  return starts
}

/** 1-based line and column of `offset`. */
function toPoint(starts: number[], offset: number): {line: number; column: number} {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((starts[middle] ?? 0) <= offset) low = middle
    else high = middle - 1
  }
  return {line: low + 1, column: offset - (starts[low] ?? 0) + 1}
}

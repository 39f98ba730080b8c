/**
 * Math for email: TeX turned into plain Unicode text with real `<sup>` and
 * `<sub>` (HTML) or Unicode super- and subscript letters (plain text).
 *
 * Why not KaTeX: its HTML needs a stylesheet and web fonts that email
 * clients strip, and its MathML is ignored by Gmail and Outlook. Unicode
 * text shows everywhere, is selectable and reads aloud. The converter knows
 * the everyday subset (Greek, operators, relations, arrows, `\frac`,
 * `\sqrt`, accents, `\text`, `\mathbb`, `\left`/`\right`, scripts); for
 * anything else (`\begin{...}`, `\binom`, colours) it gives up, and the
 * renderers show the TeX source in a code span instead, which is honest
 * and still readable to the people who write TeX in a newsletter.
 */

/** A piece of converted math: text, or a super-/subscript of more pieces. */
export type MathSegment =
  | {type: 'text'; value: string}
  | {type: 'sup' | 'sub'; children: MathSegment[]}

/** TeX could not be converted (an unknown command or construct). */
class Unsupported extends Error {}

const symbols: Readonly<Record<string, string>> = {
  // Greek.
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'ϕ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ',
  Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  // Operators and relations.
  times: '×', cdot: '·', pm: '±', mp: '∓', div: '÷', ast: '∗', star: '⋆', circ: '∘', bullet: '•',
  le: '≤', leq: '≤', ge: '≥', geq: '≥', ne: '≠', neq: '≠', approx: '≈', sim: '∼', simeq: '≃',
  cong: '≅', equiv: '≡', propto: '∝', ll: '≪', gg: '≫', prec: '≺', succ: '≻',
  in: '∈', notin: '∉', ni: '∋', subset: '⊂', subseteq: '⊆', supset: '⊃', supseteq: '⊇',
  cup: '∪', cap: '∩', setminus: '∖', emptyset: '∅', varnothing: '∅',
  forall: '∀', exists: '∃', nexists: '∄', neg: '¬', lnot: '¬', land: '∧', wedge: '∧', lor: '∨',
  vee: '∨', oplus: '⊕', otimes: '⊗', odot: '⊙', perp: '⊥', top: '⊤', bot: '⊥', parallel: '∥',
  infty: '∞', partial: '∂', nabla: '∇', sum: '∑', prod: '∏', coprod: '∐', int: '∫', iint: '∬',
  oint: '∮', hbar: 'ℏ', ell: 'ℓ', Re: 'ℜ', Im: 'ℑ', aleph: 'ℵ', prime: '′', angle: '∠',
  triangle: '△', square: '□', degree: '°', surd: '√',
  // Arrows.
  to: '→', rightarrow: '→', leftarrow: '←', gets: '←', leftrightarrow: '↔', Rightarrow: '⇒',
  Leftarrow: '⇐', Leftrightarrow: '⇔', implies: '⟹', iff: '⟺', mapsto: '↦', uparrow: '↑',
  downarrow: '↓', longrightarrow: '⟶', longleftarrow: '⟵',
  // Dots and delimiters.
  ldots: '…', dots: '…', cdots: '⋯', vdots: '⋮', ddots: '⋱',
  mid: '|', vert: '|', lvert: '|', rvert: '|', Vert: '‖', lVert: '‖', rVert: '‖',
  langle: '⟨', rangle: '⟩', lceil: '⌈', rceil: '⌉', lfloor: '⌊', rfloor: '⌋',
  lbrace: '{', rbrace: '}', backslash: '\\',
  // Spacing.
  quad: ' ', qquad: '  ', enspace: ' ', thinspace: ' '
}

/** Control symbols (`\,`, `\{`, ...). */
const controlSymbols: Readonly<Record<string, string>> = {
  ',': ' ', ':': ' ', ';': ' ', '>': ' ', ' ': ' ', '!': '', '{': '{', '}': '}', '%': '%', '$': '$',
  '&': '&', '#': '#', '_': '_', '|': '‖'
}

const functionNames = new Set([
  'ln', 'log', 'lg', 'exp', 'sin', 'cos', 'tan', 'cot', 'sec', 'csc', 'sinh', 'cosh', 'tanh',
  'arcsin', 'arccos', 'arctan', 'max', 'min', 'sup', 'inf', 'lim', 'liminf', 'limsup', 'arg',
  'det', 'dim', 'ker', 'deg', 'gcd', 'hom', 'Pr', 'mod', 'bmod'
])

/** Commands that only change size or style: they print nothing. */
const silent = new Set([
  'displaystyle', 'textstyle', 'scriptstyle', 'scriptscriptstyle', 'limits', 'nolimits',
  'big', 'Big', 'bigg', 'Bigg', 'left', 'right', 'middle', 'bigl', 'bigr', 'Bigl', 'Bigr',
  'biggl', 'biggr', 'Biggl', 'Biggr'
])

const accents: Readonly<Record<string, string>> = {
  hat: '\u0302', widehat: '\u0302', bar: '\u0304', overline: '\u0305', tilde: '\u0303',
  widetilde: '\u0303', dot: '\u0307', ddot: '\u0308', vec: '\u20D7', check: '\u030C',
  acute: '\u0301', grave: '\u0300', breve: '\u0306'
}

/** Commands whose argument is text, printed as written. */
const textCommands = new Set([
  'text', 'textrm', 'textit', 'textbf', 'textsf', 'texttt', 'textnormal', 'mathrm', 'mathit',
  'mathsf', 'mathtt', 'mathnormal', 'operatorname', 'mbox'
])

const doubleStruck: Readonly<Record<string, string>> = {C: 'ℂ', H: 'ℍ', N: 'ℕ', P: 'ℙ', Q: 'ℚ', R: 'ℝ', Z: 'ℤ'}
const script: Readonly<Record<string, string>> = {
  B: 'ℬ', E: 'ℰ', F: 'ℱ', H: 'ℋ', I: 'ℐ', L: 'ℒ', M: 'ℳ', R: 'ℛ'
}

/** Styled alphabets: first code point of A, of a, of 0 (when it has digits), holes. */
const alphabets: Readonly<Record<string, {upper: number; lower: number | undefined; digits: number | undefined; holes: Readonly<Record<string, string>>}>> = {
  mathbb: {upper: 0x1d538, lower: 0x1d552, digits: 0x1d7d8, holes: doubleStruck},
  mathbf: {upper: 0x1d400, lower: 0x1d41a, digits: 0x1d7ce, holes: {}},
  boldsymbol: {upper: 0x1d400, lower: 0x1d41a, digits: 0x1d7ce, holes: {}},
  mathcal: {upper: 0x1d49c, lower: undefined, digits: undefined, holes: script},
  mathscr: {upper: 0x1d49c, lower: undefined, digits: undefined, holes: script}
}

const superscripts: Readonly<Record<string, string>> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '−': '⁻', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', ' ': ' ',
  a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ', f: 'ᶠ', g: 'ᵍ', h: 'ʰ', i: 'ⁱ', j: 'ʲ', k: 'ᵏ', l: 'ˡ',
  m: 'ᵐ', n: 'ⁿ', o: 'ᵒ', p: 'ᵖ', r: 'ʳ', s: 'ˢ', t: 'ᵗ', u: 'ᵘ', v: 'ᵛ', w: 'ʷ', x: 'ˣ', y: 'ʸ',
  z: 'ᶻ', A: 'ᴬ', B: 'ᴮ', D: 'ᴰ', E: 'ᴱ', G: 'ᴳ', H: 'ᴴ', I: 'ᴵ', J: 'ᴶ', K: 'ᴷ', L: 'ᴸ', M: 'ᴹ',
  N: 'ᴺ', O: 'ᴼ', P: 'ᴾ', R: 'ᴿ', T: 'ᵀ', U: 'ᵁ', V: 'ⱽ', W: 'ᵂ', β: 'ᵝ', γ: 'ᵞ', δ: 'ᵟ',
  θ: 'ᶿ', φ: 'ᵠ', ϕ: 'ᵠ', χ: 'ᵡ', '⊤': 'ᵀ', '∗': '*', '*': '*', '′': '′'
}

const subscripts: Readonly<Record<string, string>> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '−': '₋', '-': '₋', '=': '₌', '(': '₍', ')': '₎', ' ': ' ',
  a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ',
  s: 'ₛ', t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ', β: 'ᵦ', γ: 'ᵧ', ρ: 'ᵨ', φ: 'ᵩ', ϕ: 'ᵩ', χ: 'ᵪ'
}

/**
 * Convert TeX to segments, or `undefined` when it uses something outside
 * the supported subset (the caller then shows the source).
 */
export function texToSegments(tex: string): MathSegment[] | undefined {
  try {
    const parser = new TexParser(tex)
    const segments = parser.sequence(false)
    return normalise(segments)
  } catch (error) {
    if (error instanceof Unsupported) return undefined
    throw error
  }
}

/**
 * Segments as one line of plain text: scripts as Unicode super- and
 * subscript letters when every character has one, else `^(...)`/`_(...)`.
 */
export function segmentsToText(segments: MathSegment[]): string {
  let result = ''
  for (const segment of segments) {
    if (segment.type === 'text') {
      result += segment.value
      continue
    }
    const inner = segmentsToText(segment.children)
    const table = segment.type === 'sup' ? superscripts : subscripts
    const mapped = [...inner].map((character) => table[character])
    if (mapped.every((character) => character !== undefined)) result += mapped.join('')
    else {
      const marker = segment.type === 'sup' ? '^' : '_'
      result += [...inner].length === 1 ? marker + inner : `${marker}(${inner})`
    }
  }
  return result
}

/** TeX as plain text (Unicode), or `undefined` when unsupported. */
export function texToText(tex: string): string | undefined {
  const segments = texToSegments(tex)
  return segments === undefined ? undefined : segmentsToText(segments)
}

/** Merge adjacent text, collapse spaces, trim the ends. */
function normalise(segments: MathSegment[]): MathSegment[] {
  const merged: MathSegment[] = []
  for (const segment of segments) {
    const last = merged.at(-1)
    if (segment.type === 'text') {
      if (segment.value === '') continue
      if (last?.type === 'text') last.value += segment.value
      else merged.push({type: 'text', value: segment.value})
    } else {
      merged.push({type: segment.type, children: normalise(segment.children)})
    }
  }
  for (const segment of merged) {
    // NFC: accents become precomposed letters (ŷ) where Unicode has them, which more fonts draw well.
    if (segment.type === 'text') segment.value = segment.value.replace(/ {2,}/g, ' ').normalize('NFC')
  }
  const first = merged[0]
  if (first?.type === 'text') first.value = first.value.trimStart()
  const last = merged.at(-1)
  if (last?.type === 'text') last.value = last.value.trimEnd()
  return merged.filter((segment) => segment.type !== 'text' || segment.value !== '')
}

function plain(segments: MathSegment[]): string {
  return segments.map((segment) => (segment.type === 'text' ? segment.value : plain(segment.children))).join('')
}

/** Whether an argument needs parentheses when written inline (`(a − b)/c`, but `aᵢ/eᵢ`). */
function needsParentheses(segments: MathSegment[]): boolean {
  const base = segments
    .map((segment) => (segment.type === 'text' ? segment.value : ''))
    .join('')
    .trim()
  return !/^(?:\p{L}|[\d.]+)$/u.test(base)
}

/** TeX's atom classes, which decide the spacing between atoms. */
type Kind = 'ord' | 'op' | 'bin' | 'rel' | 'open' | 'close' | 'punct' | 'space'

interface Atom {
  segments: MathSegment[]
  kind: Kind
}

const relations = new Set([...'=<>≤≥≠≈∼≃≅≡∝≪≫≺≻∈∉∋⊂⊆⊃⊇→←↔⇒⇐⇔⟹⟺↦↑↓⟶⟵∣∥⊥:'])
const binaries = new Set([...'+−×·±∓÷∗⋆∘•∪∩∖∧∨⊕⊗⊙'])
const openings = new Set([...'([{⟨⌈⌊'])
const closings = new Set([...')]}⟩⌉⌋'])
const largeOperators = new Set([...'∑∏∐∫∬∮'])

function classify(value: string): Kind {
  if (relations.has(value)) return 'rel'
  if (binaries.has(value)) return 'bin'
  if (openings.has(value)) return 'open'
  if (closings.has(value)) return 'close'
  if (largeOperators.has(value)) return 'op'
  if (value === ',' || value === ';') return 'punct'
  return 'ord'
}

function text(value: string, kind: Kind = classify(value)): Atom {
  return {segments: [{type: 'text', value}], kind}
}

/** Join atoms with TeX's spacing: around relations and binary operators, after punctuation and operators. */
function join(atoms: Atom[], tight: boolean): MathSegment[] {
  const out: MathSegment[] = []
  // Scripts are set tight, as TeX sets script style without medium spaces.
  if (tight) {
    for (const atom of atoms) out.push(...atom.segments)
    return out
  }
  let previous: Kind | undefined
  let previousHasScripts = false
  for (const atom of atoms) {
    let kind = atom.kind
    // A binary operator with nothing to its left is a sign (`-x`, `(-1)`).
    if (kind === 'bin' && (previous === undefined || !['ord', 'close'].includes(previous))) kind = 'ord'
    let space = false
    if (previous !== undefined && previous !== 'space' && kind !== 'space') {
      if (kind === 'rel' && previous !== 'rel' && previous !== 'open') space = true
      else if (previous === 'rel' && kind !== 'close' && kind !== 'punct') space = true
      else if (kind === 'bin' || previous === 'bin') space = true
      else if (previous === 'punct') space = true
      else if (previous === 'op' && (kind === 'ord' || kind === 'op')) space = true
      else if (kind === 'op' && (previous === 'ord' || previous === 'close')) space = true
      else if (previous === 'op' && kind === 'open' && previousHasScripts) space = true
    }
    if (space) out.push({type: 'text', value: ' '})
    out.push(...atom.segments)
    previous = kind
    previousHasScripts = atom.segments.some((segment) => segment.type !== 'text')
  }
  return out
}

class TexParser {
  private index = 0
  /** Inside a super- or subscript. */
  private tight = false
  constructor(private readonly source: string) {}

  /** Parse until the end, or until `}` when `inGroup`. */
  sequence(inGroup: boolean): MathSegment[] {
    const atoms: Atom[] = []
    while (this.index < this.source.length) {
      const character = this.source[this.index]!
      if (character === '}') {
        if (!inGroup) throw new Unsupported('unbalanced }')
        this.index++
        return join(atoms, this.tight)
      }
      if (character === '^' || character === '_') {
        this.index++
        this.script(atoms, character === '^' ? 'sup' : 'sub')
        continue
      }
      if (/\s/.test(character)) {
        // Math mode ignores spaces; spacing comes from the atoms' classes.
        this.index++
        continue
      }
      const atom = this.atom()
      if (atom) atoms.push(atom)
    }
    if (inGroup) throw new Unsupported('unclosed {')
    return join(atoms, this.tight)
  }

  private script(atoms: Atom[], type: 'sup' | 'sub'): void {
    const outer = this.tight
    this.tight = true
    const argument = this.argument()
    this.tight = outer
    const value = plain(argument).trim()
    let base = atoms.at(-1)
    if (!base) {
      base = {segments: [], kind: 'ord'}
      atoms.push(base)
    }
    if (type === 'sup' && (value === '∘' || value === '°')) base.segments.push({type: 'text', value: '°'})
    else if (type === 'sup' && /^′+$/.test(value)) base.segments.push({type: 'text', value})
    else base.segments.push({type, children: argument})
  }

  /** One atom: a group, a command with its arguments, or a character. */
  private atom(): Atom | undefined {
    const character = this.source[this.index]!
    if (character === '{') {
      this.index++
      return {segments: this.sequence(true), kind: 'ord'}
    }
    if (character === '\\') return this.command()
    this.index++
    if (character === '&' || character === '#' || character === '%') throw new Unsupported(character)
    if (character === '-') return text('−')
    if (character === '*') return text('∗')
    if (character === "'") return text('′', 'ord')
    if (character === '~') return text('\u00a0', 'space')
    return text(character)
  }

  /** A command argument: a group or a single token. */
  private argument(): MathSegment[] {
    this.skipSpaces()
    const character = this.source[this.index]
    if (character === undefined || character === '}' || character === '^' || character === '_') {
      throw new Unsupported('missing argument')
    }
    return this.atom()?.segments ?? []
  }

  /** A group's raw text (for `\text{...}`), with TeX escapes undone. */
  private rawArgument(): string {
    this.skipSpaces()
    if (this.source[this.index] !== '{') {
      const character = this.source[this.index]
      if (character === undefined) throw new Unsupported('missing argument')
      this.index++
      return character
    }
    let depth = 0
    let value = ''
    while (this.index < this.source.length) {
      const character = this.source[this.index++]!
      if (character === '\\') {
        const next = this.source[this.index++]
        if (next === undefined) throw new Unsupported('trailing backslash')
        if (/[a-zA-Z]/.test(next)) throw new Unsupported('command in text')
        value += controlSymbols[next] ?? next
        continue
      }
      if (character === '{') {
        depth++
        if (depth === 1) continue
      } else if (character === '}') {
        depth--
        if (depth === 0) return value
      }
      value += character
    }
    throw new Unsupported('unclosed {')
  }

  private skipSpaces(): void {
    while (this.index < this.source.length && /\s/.test(this.source[this.index]!)) this.index++
  }

  private command(): Atom | undefined {
    this.index++
    const first = this.source[this.index]
    if (first === undefined) throw new Unsupported('trailing backslash')
    if (!/[a-zA-Z]/.test(first)) {
      this.index++
      const value = controlSymbols[first]
      if (value === undefined) throw new Unsupported('\\' + first)
      return text(value, /^\s*$/.test(value) ? 'space' : 'ord')
    }
    let name = ''
    while (this.index < this.source.length && /[a-zA-Z]/.test(this.source[this.index]!)) {
      name += this.source[this.index++]
    }
    if (this.source[this.index] === '*' && name === 'operatorname') this.index++

    if (silent.has(name)) {
      if (/^(?:left|right|middle|big|Big|bigg|Bigg)[lr]?$/.test(name)) return this.delimiter(name)
      return undefined
    }
    const symbol = symbols[name]
    if (symbol !== undefined) {
      if (/^\s+$/.test(symbol)) return text(symbol, 'space')
      if (name === 'mid') return text(symbol, 'rel')
      if (name === 'lvert' || name === 'lVert') return text(symbol, 'open')
      if (name === 'rvert' || name === 'rVert') return text(symbol, 'close')
      if (name === 'lbrace') return text(symbol, 'open')
      if (name === 'rbrace') return text(symbol, 'close')
      return text(symbol)
    }
    if (functionNames.has(name)) return text(name === 'bmod' ? 'mod' : name, name === 'bmod' ? 'bin' : 'op')
    if (textCommands.has(name)) return text(this.rawArgument(), name === 'operatorname' ? 'op' : 'ord')

    const alphabet = alphabets[name]
    if (alphabet) {
      const value = plain(this.argument())
      return text([...value].map((character) => styled(character, alphabet)).join(''), 'ord')
    }
    const accent = accents[name]
    if (accent !== undefined) {
      const value = plain(this.argument()).trim()
      if ([...value].length !== 1) throw new Unsupported('accent over several characters')
      return text(value + accent, 'ord')
    }
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
      const numerator = this.argument()
      const denominator = this.argument()
      return {segments: [...wrap(numerator), {type: 'text', value: '/'}, ...wrap(denominator)], kind: 'ord'}
    }
    if (name === 'sqrt') {
      const segments: MathSegment[] = []
      this.skipSpaces()
      if (this.source[this.index] === '[') {
        const end = this.source.indexOf(']', this.index)
        if (end === -1) throw new Unsupported('unclosed [')
        const index = new TexParser(this.source.slice(this.index + 1, end)).sequence(false)
        this.index = end + 1
        segments.push({type: 'sup', children: index})
      }
      const radicand = this.argument()
      const value = plain(normalise(radicand))
      segments.push({type: 'text', value: '√'})
      segments.push(...(/^(?:\d+|\p{L})$/u.test(value) ? radicand : wrap(radicand, true)))
      return {segments, kind: 'ord'}
    }
    if (name === 'not') {
      const next = plain(this.argument()).trim()
      const negated: Record<string, string> = {'=': '≠', '∈': '∉', '⊂': '⊄', '⊆': '⊈', '≡': '≢', '∼': '≁', '<': '≮', '>': '≯'}
      const value = negated[next]
      if (value === undefined) throw new Unsupported('\\not')
      return text(value, 'rel')
    }
    throw new Unsupported('\\' + name)
  }

  /** The delimiter after `\left`, `\right`, `\big`... (`.` prints nothing). */
  private delimiter(name: string): Atom | undefined {
    this.skipSpaces()
    const character = this.source[this.index]
    if (character === undefined) return undefined
    if (character === '.') {
      this.index++
      return undefined
    }
    let value: string
    if (character === '\\') {
      const atom = this.command()
      value = atom ? plain(atom.segments) : ''
    } else if (/[()[\]|/<>]/.test(character)) {
      this.index++
      value = character === '<' ? '⟨' : character === '>' ? '⟩' : character
    } else {
      return undefined
    }
    if (name === 'left') return text(value, 'open')
    if (name === 'right') return text(value, 'close')
    if (name === 'middle') return text(value, 'rel')
    return text(value, value === '|' || value === '‖' ? (name.endsWith('l') ? 'open' : name.endsWith('r') ? 'close' : 'ord') : classify(value))
  }
}

function wrap(segments: MathSegment[], always = false): MathSegment[] {
  const trimmed = normalise(segments)
  if (!always && !needsParentheses(trimmed)) return trimmed
  return [{type: 'text', value: '('}, ...trimmed, {type: 'text', value: ')'}]
}

function styled(
  character: string,
  alphabet: {upper: number; lower: number | undefined; digits: number | undefined; holes: Readonly<Record<string, string>>}
): string {
  const hole = alphabet.holes[character]
  if (hole !== undefined) return hole
  const code = character.codePointAt(0)!
  if (character >= 'A' && character <= 'Z') return String.fromCodePoint(alphabet.upper + code - 65)
  if (character >= 'a' && character <= 'z') {
    if (alphabet.lower === undefined) throw new Unsupported('no lower-case letters in this alphabet')
    return String.fromCodePoint(alphabet.lower + code - 97)
  }
  if (character >= '0' && character <= '9') {
    if (alphabet.digits === undefined) throw new Unsupported('no digits in this alphabet')
    return String.fromCodePoint(alphabet.digits + code - 48)
  }
  if (character === ' ') return ''
  throw new Unsupported('styled ' + character)
}

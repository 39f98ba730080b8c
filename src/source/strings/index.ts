/**
 * The words of the web theme and the email, in the site's `language`: one
 * table per shipped language (`en.ts` holds every key), a site's own
 * `strings:` over it, and the one formatter of a string (placeholders,
 * plural forms). Web and email templates read it through Liquid's `t`
 * filter; the web and email renderers through `Strings.text`.
 *
 * A language tag falls back by its subtags: `de-AT` reads `de-at`, then
 * `de`, then English for what is still missing.
 */
import {de} from './de.js'
import {en, type StringKey} from './en.js'
import {fr} from './fr.js'
import {editDistance} from '../frontmatter.js'
import {placeholders, type Message, type StringTable} from './table.js'

export {en, type StringKey} from './en.js'
export {placeholders, pluralCategories, type Message, type PluralForms, type StringTable} from './table.js'

/** The tables letterpress ships, by lower-case language tag. */
export const shippedTables: Readonly<Record<string, StringTable>> = {en, de, fr}

/** A value a placeholder takes. */
export type StringParams = Readonly<Record<string, string | number>>

/** The strings of one site: its language's table under its own `strings:`. */
export interface Strings {
  /** The site's `language` as configured. */
  readonly language: string
  /** Whether `key` is a string of the tables. */
  has(key: string): key is StringKey
  /**
   * The text of `key` with its placeholders filled from `params` (`count`
   * chooses the plural form). `escape` is applied to the table's own text,
   * not to the values, which are put in as given.
   * Throws on an unknown key or a placeholder without a value.
   */
  text(key: StringKey, params?: StringParams, escape?: (text: string) => string): string
}

/**
 * The shipped tables `language` reads, most specific first: `de-AT` gives
 * `de-at` (when shipped) then `de`; English is always last.
 */
export function tablesFor(language: string): StringTable[] {
  const parts = language.toLowerCase().replaceAll('_', '-').split('-')
  const tables: StringTable[] = []
  for (let length = parts.length; length > 0; length--) {
    const table = shippedTables[parts.slice(0, length).join('-')]
    if (table && !tables.includes(table)) tables.push(table)
  }
  if (!tables.includes(en)) tables.push(en)
  return tables
}

/** Whether letterpress ships a table for `language` or a language it falls back to (English counts). */
export function hasShippedTable(language: string): boolean {
  return tablesFor(language).length > 1 || /^en(?:[-_]|$)/i.test(language)
}

/** The strings of a site in `language`, with the site's own `overrides` (keys the tables lack are ignored). */
export function createStrings(language: string, overrides: StringTable = {}): Strings {
  const tables = [overrides, ...tablesFor(language)]
  const rules = pluralRules(language)
  const has = (key: string): key is StringKey => Object.hasOwn(en, key)
  return {
    language,
    has,
    text(key, params = {}, escape = (text) => text) {
      if (!has(key)) throw new Error(`Unknown string \`${key}\`: the keys are those of the English table (src/source/strings/en.ts)`)
      const message = tables.find((table) => Object.hasOwn(table, key))![key]!
      return fill(chooseForm(message, params, rules, key), params, escape, key)
    }
  }
}

function chooseForm(message: Message, params: StringParams, rules: Intl.PluralRules, key: string): string {
  if (typeof message === 'string') return message
  const count = params['count']
  if (typeof count !== 'number') throw new Error(`String \`${key}\` has plural forms: give it a number as \`count\``)
  return message[rules.select(count)] ?? message.other
}

function fill(text: string, params: StringParams, escape: (text: string) => string, key: string): string {
  let result = ''
  let last = 0
  for (const match of text.matchAll(/\{(\w+)\}/g)) {
    const name = match[1]!
    const value = params[name]
    if (value === undefined) throw new Error(`String \`${key}\` needs a value for \`{${name}}\``)
    result += escape(text.slice(last, match.index)) + String(value)
    last = match.index + match[0].length
  }
  return result + escape(text.slice(last))
}

// Making an Intl.PluralRules costs more than using one: one per language.
const rulesByLanguage = new Map<string, Intl.PluralRules>()

function pluralRules(language: string): Intl.PluralRules {
  let rules = rulesByLanguage.get(language)
  if (!rules) {
    try {
      rules = new Intl.PluralRules(language)
    } catch {
      rules = new Intl.PluralRules('en')
    }
    rulesByLanguage.set(language, rules)
  }
  return rules
}

/**
 * What is wrong with a site's own string `key` = `message` (`undefined`
 * when nothing): a key the tables do not have (with the nearest one), or
 * placeholders other than the English string's.
 */
export function overrideProblem(key: string, message: Message): string | undefined {
  if (!Object.hasOwn(en, key)) {
    const near = nearestKey(key)
    return `Unknown string \`${key}\`: ${near ? `did you mean \`${near}\`?` : 'the keys are those of the English table (README, “Languages”)'}`
  }
  const expected = placeholders(en[key as StringKey])
  const got = placeholders(message)
  const unknown = got.filter((name) => !expected.includes(name))
  if (unknown.length > 0) {
    const known = expected.length > 0 ? expected.map((name) => `\`{${name}}\``).join(', ') : 'none'
    return `String \`${key}\` uses ${unknown.map((name) => `\`{${name}}\``).join(', ')}, which it is not given; its placeholders: ${known}`
  }
  if (typeof message !== 'string') {
    if (message.other === undefined) return `String \`${key}\` has plural forms but no \`other\``
    if (typeof en[key as StringKey] === 'string') return `String \`${key}\` is not given a count: write it as one text, not as plural forms`
  }
  return undefined
}

/** The key of the tables `key` is a typo of (a few edits away, or the same name in another group), if any. */
function nearestKey(key: string): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const known of Object.keys(en)) {
    const distance = editDistance(key.toLowerCase(), known.toLowerCase())
    if (distance <= 3 && distance < bestDistance) {
      best = known
      bestDistance = distance
    }
  }
  return best ?? Object.keys(en).find((known) => known.endsWith(`.${key}`))
}

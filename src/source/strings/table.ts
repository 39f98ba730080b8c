/**
 * What a table of strings is made of: each key's text, or its plural forms
 * by `Intl.PluralRules` category, chosen by the `count` placeholder.
 */

/** The plural categories of `Intl.PluralRules`; `other` is the one every language has. */
export const pluralCategories = ['zero', 'one', 'two', 'few', 'many', 'other'] as const

/** A string's forms by plural category; `other` is required. */
export type PluralForms = {readonly [category in (typeof pluralCategories)[number]]?: string} & {readonly other: string}

/** One string: a text, or its plural forms. */
export type Message = string | PluralForms

/** A table of strings (a shipped language, or a site's own `strings:`). */
export type StringTable = Readonly<Record<string, Message>>

/** The `{name}` placeholders of a message, sorted, each once (across all its plural forms). */
export function placeholders(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message)
  const names = new Set<string>()
  for (const text of texts) for (const match of text.matchAll(/\{(\w+)\}/g)) names.add(match[1]!)
  return [...names].sort()
}

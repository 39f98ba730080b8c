/**
 * The emoji shortcode names the dialect knows: GitHub's (the `gemoji`
 * package), which cover what MkDocs authors write (`:boom:`, `:heart:`,
 * `:+1:`...). Built once, when the module loads.
 */
import {gemoji, type Gemoji} from 'gemoji'

/** Every shortcode name (aliases included) to its gemoji record. */
export const emojiByName: ReadonlyMap<string, Gemoji> = new Map(
  gemoji.flatMap((record) => record.names.map((name) => [name, record] as const))
)

/** Length of the longest name: the tokenizer looks no further. */
export const emojiNameMaxLength: number = Math.max(
  ...[...emojiByName.keys()].map((name) => name.length)
)

/**
 * Whether a character code can be part of a shortcode name: ASCII lower
 * case letters, digits, `_`, `+` and `-` (all gemoji names use only these).
 */
export function emojiNameCode(code: number | null): boolean {
  return (
    code !== null &&
    ((code >= 97 && code <= 122) /* a-z */ ||
      (code >= 48 && code <= 57) /* 0-9 */ ||
      code === 95 /* _ */ ||
      code === 43 /* + */ ||
      code === 45) /* - */
  )
}

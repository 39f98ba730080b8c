/**
 * The part of MJML 5's API the email build uses (the package ships no
 * types). `mjml2html` returns a Promise in MJML 5.
 */
declare module 'mjml' {
  /** One validation problem, at a line of the MJML source. */
  export interface MjmlError {
    line: number
    message: string
    tagName: string
    formattedMessage: string
  }
  /** What a compile gives back. */
  export interface MjmlResult {
    html: string
    errors: MjmlError[]
  }
  /** Compile MJML to HTML; at validation level `strict` errors are thrown (with `errors`). */
  export default function mjml2html(source: string, options?: Record<string, unknown>): Promise<MjmlResult>
}

/**
 * What building issues needs, made once per build and shared by every
 * issue: the notes, the highlighter, the email templates and the files
 * their messages land on.
 */
import path from 'node:path'
import {VFile} from 'vfile'
import {createHighlight, type Highlight} from '../render/highlight.js'
import type {ImageSize} from '../render/media.js'
import {createParser, type Parser} from '../source/parse.js'
import type {Site} from '../source/site.js'
import {stringsOf} from '../source/config.js'
import type {Strings} from '../source/strings/index.js'
import {loadIssueNotes, type IssueNote} from './notes.js'
import {builtInEmailTemplatesDir, createEmailTemplates, type EmailTemplates, type MjmlCache} from './templates.js'

/** What building issues needs, made once per build and shared by every issue. */
export interface IssueContext {
  notes: ReadonlyMap<string, IssueNote>
  /**
   * Files whose messages belong with the posts' in `build` and `check`: the
   * notes' files, then the email templates' (`templateFiles`, `lintFile`).
   */
  files: VFile[]
  /**
   * One file per email template in use (paths relative to ROOT for the
   * site's own templates, absolute for the built-in ones), by absolute
   * path. The email-safety lint's findings land on them as warnings, at
   * the template line that holds what was found when it can be found, else
   * on `lintFile`: the renderer's own output is lint-clean, so only
   * templates can add what the lint rejects.
   */
  templateFiles: ReadonlyMap<string, VFile>
  /** The file of `issue.mjml.liquid`, for findings no template line explains. */
  lintFile: VFile
  highlight: Highlight
  templates: EmailTemplates
  /** Image sizes by site path, filled as issues are built. */
  imageSizes: Map<string, ImageSize>
  sourceDateEpoch: number | undefined
  /** A `mailto:` address for List-Unsubscribe besides the merge tag, if any. */
  unsubscribeMailto: string | undefined
  /** The site's words, for what the renderer adds ("Notes", "Links:"); the templates have them too. */
  strings: Strings
}

/** Options for `createIssueContext`. */
export interface IssueContextOptions {
  /** The build's parser (for the notes); one is made otherwise. */
  parser?: Parser | undefined
  /** The build's highlighter; one is made otherwise. */
  highlight?: Highlight | undefined
  /** Template folders, first wins (default: ROOT/templates/email, then the built-in ones). */
  templateDirs?: string[] | undefined
  /** Override SOURCE_DATE_EPOCH (seconds). */
  sourceDateEpoch?: number | undefined
  /** `mailto:` URL (or address) added to List-Unsubscribe. */
  unsubscribeMailto?: string | undefined
  /** Where compiled MJML may be kept and taken back (see `EmailTemplatesOptions.mjmlCache`). */
  mjmlCache?: MjmlCache | undefined
}

/** Load the notes and make the highlighter and templates shared by every issue of a build. */
export async function createIssueContext(site: Site, options: IssueContextOptions = {}): Promise<IssueContext> {
  const parser = options.parser ?? createParser()
  const [{notes, files}, highlight] = await Promise.all([
    loadIssueNotes(site.config.root, parser),
    options.highlight ?? createHighlight()
  ])
  const strings = stringsOf(site.config)
  const templates = createEmailTemplates({
    dirs: options.templateDirs ?? [path.join(site.config.templatesDir, 'email'), builtInEmailTemplatesDir],
    mjmlCache: options.mjmlCache,
    strings
  })
  const mailto = options.unsubscribeMailto
  const root = site.config.root
  const shown = (file: string) => (file.startsWith(root + path.sep) ? path.relative(root, file).split(path.sep).join('/') : file)
  const templateFiles = new Map(templates.templateFiles().map((file) => [file, new VFile({path: shown(file)})]))
  const main = templates.templateFile('issue.mjml.liquid')
  const lintFile = (main === undefined ? undefined : templateFiles.get(main)) ?? new VFile({path: 'templates/email/issue.mjml.liquid'})
  return {
    notes,
    files: [...files, ...new Set([...templateFiles.values(), lintFile])],
    templateFiles,
    lintFile,
    highlight,
    templates,
    imageSizes: new Map(),
    sourceDateEpoch: options.sourceDateEpoch ?? site.config.sourceDateEpoch,
    unsubscribeMailto: mailto === undefined ? undefined : mailto.startsWith('mailto:') ? mailto : `mailto:${mailto}`,
    strings
  }
}

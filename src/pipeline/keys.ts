/**
 * The memo keys of a build: each names everything one result was made from
 * (letterpress itself, the config, the templates in use, the post, the
 * files it shows and where its links lead), so a result is reused exactly
 * while those are unchanged.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {ResolvedConfig} from '../source/config.js'
import type {Post} from '../source/post.js'
import type {Site} from '../source/site.js'
import {createDiskMemo, memoKey, type Memo} from './memo.js'
import {folderHash, pipelineVersion} from './warm.js'

/** What the memo keys of one build share: letterpress, the config, the templates in use. */
export interface MemoVersions {
  /** Everything a post's web render depends on besides the post and what it links to. */
  render: string
  /** Everything a web page depends on besides its context. */
  web: string
  /** Everything an issue depends on besides its plan and posts. */
  email: string
  /** The bytes of the site files a post links to or shows (images are measured). */
  assetKey: (site: Site, post: Post) => string
}

/** The versions every memo key of a build of `config` starts from. */
export function memoVersions(config: ResolvedConfig): MemoVersions {
  const version = pipelineVersion()
  const assetHashes = new Map<string, string>()
  const assetHash = (relative: string) => {
    let hash = assetHashes.get(relative)
    if (hash === undefined) {
      try {
        hash = memoKey(fs.readFileSync(path.join(config.postsDir, ...relative.split('/'))))
      } catch {
        hash = 'missing'
      }
      assetHashes.set(relative, hash)
    }
    return hash
  }
  return {
    render: memoKey(version, config),
    web: memoKey(version, config, folderHash(path.join(config.templatesDir, 'web'))),
    email: memoKey(version, config, folderHash(path.join(config.templatesDir, 'email'))),
    assetKey(site, post) {
      const parts: string[] = []
      for (const reference of site.references.get(post.sourcePath) ?? []) {
        if (reference.target === 'asset' && reference.resolved) parts.push(reference.resolved, assetHash(reference.resolved))
      }
      if (post.cover) parts.push(post.cover.resolved, assetHash(post.cover.resolved))
      return parts.join('\0')
    }
  }
}

/**
 * The memo of ROOT on disk (ROOT/.cache/letterpress/memo, pack files).
 * `build` commits it after writing OUT, which writes one new pack;
 * `issue` and `send` keep what they add without pruning; `check` only
 * reads it.
 */
export function diskMemo(config: ResolvedConfig, options: {readOnly?: boolean} = {}): Memo {
  return createDiskMemo(path.join(config.cacheDir, 'letterpress', 'memo'), options)
}

/** The memo key of a post's web render: the post, where its links lead, the files it shows, and the build's versions. */
export function renderKey(site: Site, post: Post, inFeed: boolean, versions: MemoVersions): string | undefined {
  const facts = site.facts.get(post)
  return facts ? memoKey('render', versions.render, facts.key, facts.urls, versions.assetKey(site, post), inFeed) : undefined
}

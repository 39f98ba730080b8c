/**
 * What an issue shows of a post as a card: its excerpt, as a tree of its
 * own. Also the card's digest, made when the post is parsed, which lets an
 * issue whose cards show the same as before be reused although a post's
 * bytes changed further down (see `issueKey`).
 */
import {createHash} from 'node:crypto'
import v8 from 'node:v8'
import type {Paragraph, Root, RootContent} from 'mdast'
import {visit} from '../syntax/walk.js'
import {excerptNodes, leadParagraph, type Post} from '../source/post.js'

/**
 * `text` on one line (runs of white space as one space) and at most `max`
 * characters: cut at the last word boundary in the second half, trailing
 * punctuation dropped, and an ellipsis added. What a page description, a
 * feed summary or an email preheader shows of a longer text.
 */
export function shorten(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim()
  if (clean.length <= max) return clean
  const cut = clean.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '') + '…'
}

/** The paragraph that opens the post's text (`leadParagraph`: past a lead-in line of a date or badges), if any. */
export function firstParagraph(post: Post): Paragraph | undefined {
  return leadParagraph(post.tree)
}

/** Top-level nodes plus the definitions they may refer to (kept from the whole tree). */
export function withDefinitions(nodes: RootContent[], tree: Root, footnotes: boolean): Root {
  const children = [...nodes]
  for (const node of tree.children) {
    if (children.includes(node)) continue
    if (node.type === 'definition' || (footnotes && node.type === 'footnoteDefinition')) children.push(node)
  }
  const root: Root = structuredClone({type: 'root', children})
  if (!footnotes) {
    // An excerpt's footnote calls would point at notes it does not show.
    visit(root, 'footnoteReference', (_node, index, parent) => {
      if (parent && index !== undefined) {
        parent.children.splice(index, 1)
        return index
      }
      return undefined
    })
  }
  return root
}

/** What a card shows: the excerpt up to `<!-- more -->`, else the description, else the opening paragraph. */
export function excerptTree(post: Post): Root {
  const nodes = excerptNodes(post)
  if (nodes && nodes.length > 0) return withDefinitions(nodes, post.tree, false)
  if (post.description) {
    return {type: 'root', children: [{type: 'paragraph', children: [{type: 'text', value: post.description}]}]}
  }
  const first = firstParagraph(post)
  return withDefinitions(first ? [first] : [], post.tree, false)
}

/**
 * A hash of everything a card can show of a post, from its freshly parsed
 * tree: the excerpt tree with its positions (messages about it keep their
 * lines) and every field of the post but its word count, which any edit
 * changes and no email shows (the reading time, which emails show, is in).
 * Links are hashed as written; where they lead is part of an issue's key
 * on its own. The `<!-- more -->` marker's own place is in too (a lead cut
 * there says its line).
 */
export function cardDigest(post: Post): string {
  const fields: Record<string, unknown> = {}
  for (const name of Object.keys(post) as Array<keyof Post>) {
    if (name !== 'file' && name !== 'tree' && name !== 'words') fields[name] = post[name]
  }
  const marker = post.excerptLength === undefined ? undefined : post.tree.children[post.excerptLength]?.position
  return createHash('sha256')
    .update(v8.serialize([excerptTree(post), fields, marker ?? null]))
    .digest('hex')
}

/**
 * The build's dealings with the file system, through the real CLI: the
 * modes of what it writes, an old output it cannot remove, two builds into
 * one OUT, a full disk, symbolic links under posts/ and what `dev` watches.
 * Cases that need a folder the build cannot write run the CLI as `nobody`
 * when the tests run as root (root ignores modes), and are skipped only
 * when that is not possible.
 */
import {spawn, spawnSync, type SpawnSyncOptions} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {describeFsError} from '../src/pipeline/write.js'
import {fileHashes} from './helpers/files.js'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(project, 'bin', 'letterpress.js')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-file-system-'))
// Readable by an unprivileged user, for the cases that run the CLI as one.
fs.chmodSync(work, 0o755)

/** A user id without privileges, for the cases root would not be stopped in. */
const nobody = 65534
const isRoot = process.getuid?.() === 0
let canDropPrivileges = false

interface Run {
  code: number | null
  stderr: string
  stdout: string
}

/** Run the CLI; `umask` runs it under that umask (through sh), `uid` as that user. */
function cli(args: string[], options: {uid?: number; umask?: string} = {}): Run {
  const spawnOptions: SpawnSyncOptions = {cwd: work, encoding: 'utf8', timeout: 120_000}
  if (options.uid !== undefined) Object.assign(spawnOptions, {uid: options.uid, gid: options.uid})
  const result =
    options.umask === undefined
      ? spawnSync(process.execPath, [bin, ...args], spawnOptions)
      : spawnSync('sh', ['-c', `umask ${options.umask} && exec "$0" "$@"`, process.execPath, bin, ...args], spawnOptions)
  return {code: result.status, stderr: String(result.stderr), stdout: String(result.stdout)}
}

const post = (title: string, date: string) => `---\ntitle: ${title}\ndate: ${date}\n---\n\nA paragraph about ${title.toLowerCase()}.\n`

let cases = 0

/** A small site in its own folder: ROOT, and OUT inside `parent` (outside ROOT unless `out` says otherwise). */
function makeSite(options: {outInRoot?: boolean} = {}): {dir: string; root: string; parent: string; out: string; write: (relative: string, text: string) => void} {
  const dir = path.join(work, `case-${++cases}`)
  const root = path.join(dir, 'root')
  const parent = options.outInRoot ? root : path.join(dir, 'parent')
  const out = path.join(parent, options.outInRoot ? 'dist' : 'out')
  const write = (relative: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, relative)), {recursive: true})
    fs.writeFileSync(path.join(root, relative), text)
  }
  write('letterpress.yml', 'title: Field Notes\nbaseUrl: https://notes.example/\n')
  write('posts/2026/03/queues.md', post('Queues', '2026-03-02'))
  write('posts/assets/note.txt', 'plain text asset\n')
  fs.mkdirSync(parent, {recursive: true})
  return {dir, root, parent, out, write}
}

function build(site: {root: string; out: string}, options: {uid?: number; umask?: string} = {}): Run {
  return cli(['build', '--root', site.root, '--out', site.out], options)
}

function chownTree(target: string, uid: number): void {
  fs.lchownSync(target, uid, uid)
  if (fs.lstatSync(target).isDirectory()) for (const entry of fs.readdirSync(target)) chownTree(path.join(target, entry), uid)
}

const mode = (target: string) => (fs.statSync(target).mode & 0o777).toString(8)

beforeAll(() => {
  // Compile once (bin/letterpress.js does it when src/ is newer), as this user: `nobody` cannot write lib/.
  cli(['--version'])
  if (isRoot) {
    const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(bin)}, 4)`], {uid: nobody, gid: nobody})
    canDropPrivileges = probe.status === 0
  }
}, 150_000)

afterAll(() => {
  fs.rmSync(work, {recursive: true, force: true})
})

describe('the modes of the output', () => {
  it.for([
    ['022', '755', '644'],
    ['027', '750', '640']
  ])('should follow the umask (%s): OUT, its folders and files like any other tool', ([umask, folder, file]) => {
    const site = makeSite()
    const check = () => {
      for (const target of ['', 'site', 'site/posts/queues', 'email', 'email/2026-03']) expect([target, mode(path.join(site.out, target))]).toEqual([target, folder])
      for (const target of ['site/index.html', 'site/posts/queues/index.html', 'email/2026-03/issue.html']) {
        expect([target, mode(path.join(site.out, target))]).toEqual([target, file])
      }
      // A copied asset keeps its own mode, as `cp` keeps it.
      expect(mode(path.join(site.out, 'site/assets/note.txt'))).toBe(mode(path.join(site.root, 'posts/assets/note.txt')))
    }
    const first = build(site, {umask})
    expect(first.code, first.stderr).toBe(0)
    check()
    // The next build writes into the output it replaced (kept in the cache): the same modes.
    site.write('posts/2026/03/streams.md', post('Streams', '2026-03-09'))
    const second = build(site, {umask})
    expect(second.code, second.stderr).toBe(0)
    expect(fs.existsSync(path.join(site.out, 'site/posts/streams/index.html'))).toBe(true)
    check()
  })
})

describe('an old output that cannot be removed', () => {
  it('should say OUT holds the new build, and later builds should go on and clean up once they can', (context) => {
    if (isRoot && !canDropPrivileges) {
      context.skip('running as root without a way to drop privileges: a read-only folder does not stop this user')
      return
    }
    const uid = isRoot ? nobody : undefined
    const site = makeSite()
    if (uid !== undefined) chownTree(site.dir, uid)
    const as = uid === undefined ? {} : {uid}
    expect(build(site, as).code).toBe(0)
    // A read-only OUT: it can be renamed aside (its parent is writable) but what it holds cannot be removed.
    fs.chmodSync(site.out, 0o555)
    site.write('posts/2026/04/batches.md', post('Batches', '2026-04-01'))
    if (uid !== undefined) chownTree(site.root, uid)

    const swapped = build(site, as)
    expect(swapped.code, swapped.stderr).toBe(0)
    expect(swapped.stderr).toMatch(
      /^letterpress: warning: .+\/parent\/out holds the new build; the old output could not be removed from .+\/parent\/\.out\.new-[0-9a-f]+\.old: permission denied on .+; the next build tries again$/m
    )
    expect(swapped.stderr).not.toMatch(/previous output is unchanged/)
    expect(fs.existsSync(path.join(site.out, 'site/posts/batches/index.html'))).toBe(true)
    const leftovers = fs.readdirSync(site.parent).filter((name) => name !== 'out')
    expect(leftovers).toHaveLength(1)

    // The leftover does not stop the next build; it is named, with what to do.
    site.write('posts/2026/04/windows.md', post('Windows', '2026-04-08'))
    if (uid !== undefined) chownTree(site.root, uid)
    const next = build(site, as)
    expect(next.code, next.stderr).toBe(0)
    expect(next.stderr).toMatch(/^letterpress: warning: could not remove .+\/\.out\.new-[0-9a-f]+\.old, left by an earlier build: permission denied on .+; remove it by hand$/m)
    expect(fs.existsSync(path.join(site.out, 'site/posts/windows/index.html'))).toBe(true)

    // Once it can be removed, the next build does (even one with nothing to write).
    fs.chmodSync(path.join(site.parent, leftovers[0]!), 0o755)
    const clean = build(site, as)
    expect(clean.code, clean.stderr).toBe(0)
    expect(clean.stderr).not.toMatch(/warning: could not remove/)
    expect(fs.readdirSync(site.parent)).toEqual(['out'])
  })
})

describe('a file in OUT that cannot be removed at all', () => {
  // An immutable file (chattr +i) stops even root; it needs CAP_LINUX_IMMUTABLE and a file system that has the flag.
  const probe = path.join(work, 'immutable-probe')
  fs.writeFileSync(probe, '')
  const immutable = spawnSync('chattr', ['+i', probe]).status === 0
  spawnSync('chattr', ['-i', probe])
  fs.rmSync(probe, {force: true})

  it.skipIf(!immutable)('should not stop later builds, which name the folder it keeps', () => {
    const site = makeSite()
    const locked = path.join(site.out, 'site/assets/note.txt')
    const leftovers = () => fs.readdirSync(site.parent).filter((name) => name !== 'out')
    try {
      expect(build(site).code).toBe(0)
      expect(spawnSync('chattr', ['+i', locked]).status).toBe(0)
      // Each build writes something new; the replaced outputs are recycled, one of them holding the locked file.
      for (const [index, slug] of ['batches', 'windows', 'joins'].entries()) {
        site.write(`posts/2026/04/${slug}.md`, post(slug[0]!.toUpperCase() + slug.slice(1), `2026-04-0${index + 1}`))
        const run = build(site)
        expect(run.code, run.stderr).toBe(0)
        expect(fs.existsSync(path.join(site.out, `site/posts/${slug}/index.html`))).toBe(true)
        expect(run.stderr).not.toMatch(/^\s+at /m)
      }
      const stuck = leftovers()
      expect(stuck).toHaveLength(1)
      const last = build(site)
      expect(last.stderr).toMatch(new RegExp(`^letterpress: warning: could not remove .+/${escape(stuck[0]!)}, left by an earlier build: not permitted on .+/note\\.txt`, 'm'))
    } finally {
      for (const name of leftovers()) spawnSync('chattr', ['-R', '-i', path.join(site.parent, name)])
      spawnSync('chattr', ['-R', '-i', site.dir])
    }
    // Once it can be removed, it is.
    const clean = build(site)
    expect(clean.code, clean.stderr).toBe(0)
    expect(leftovers()).toEqual([])
  })
})

describe('two builds into one OUT', () => {
  it('should refuse the second while the first writes, and let the first finish', async () => {
    const site = makeSite()
    // Enough files that the first build is still writing when it is paused.
    const bytes = Buffer.alloc(16 * 1024, 3)
    fs.mkdirSync(path.join(site.root, 'posts/assets/bulk'), {recursive: true})
    for (let index = 0; index < 100; index++) fs.writeFileSync(path.join(site.root, `posts/assets/bulk/${index}.bin`), bytes)
    const first = spawn(process.execPath, [bin, 'build', '--root', site.root, '--out', site.out], {stdio: ['ignore', 'ignore', 'pipe']})
    let firstErr = ''
    first.stderr!.on('data', (chunk: Buffer) => (firstErr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)))
    // Pause the first build as soon as its staging folder appears: it holds OUT from then until it is let go.
    let paused = false
    const watcher = fs.watch(site.parent, (_event, name) => {
      if (!paused && String(name).startsWith('.out.new-')) {
        paused = true
        first.kill('SIGSTOP')
      }
    })
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (paused) resolve()
          else if (first.exitCode !== null) reject(new Error(`the first build ended before it started writing:\n${firstErr}`))
          if (paused || first.exitCode !== null) clearInterval(timer)
        }, 10)
      })
      const second = build(site)
      expect(second.code, second.stderr).toBe(1)
      expect(second.stderr).toMatch(new RegExp(`^letterpress: another build is writing ${escape(site.out)} \\(pid ${first.pid}\\); wait for it to finish, or stop it$`, 'm'))
      expect(second.stderr).not.toMatch(/^\s+at /m)
    } finally {
      watcher.close()
      first.kill('SIGCONT')
    }
    expect(await exited, firstErr).toBe(0)
    expect(fs.existsSync(path.join(site.out, 'site/assets/bulk/99.bin'))).toBe(true)
    // The lock is beside OUT while a build runs, never in it, and gone after.
    expect(fs.readdirSync(site.parent)).toEqual(['out'])
    expect(fs.existsSync(path.join(site.out, '.out.lock'))).toBe(false)
  }, 120_000)

  it('should take over the lock of a build that was killed', () => {
    const site = makeSite()
    expect(build(site).code).toBe(0)
    site.write('posts/2026/04/batches.md', post('Batches', '2026-04-01'))
    // A process that has ended: its pid is not alive.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'}).stdout
    fs.writeFileSync(path.join(site.parent, '.out.lock'), `${gone}\n${os.hostname()}\n`)
    const run = build(site)
    expect(run.code, run.stderr).toBe(0)
    expect(fs.existsSync(path.join(site.out, 'site/posts/batches/index.html'))).toBe(true)
    expect(fs.readdirSync(site.parent)).toEqual(['out'])
  })

  it('should let check, and a build of the same ROOT into another OUT, run while a build holds OUT', () => {
    const site = makeSite()
    // This test's own process stands for a running build.
    const lock = path.join(site.parent, '.out.lock')
    fs.writeFileSync(lock, `${process.pid}\n${os.hostname()}\n`)
    const refused = build(site)
    expect(refused.code, refused.stderr).toBe(1)
    expect(refused.stderr).toMatch(new RegExp(`^letterpress: another build is writing ${escape(site.out)} \\(pid ${process.pid}\\)`, 'm'))
    expect(fs.readdirSync(site.parent)).toEqual(['.out.lock'])
    // check writes nothing and takes no lock.
    const checked = cli(['check', '--root', site.root])
    expect(checked.code, checked.stderr).toBe(0)
    // The cache is shared safely (its entries are written whole): the same ROOT builds into another OUT meanwhile.
    const preview = build({root: site.root, out: path.join(site.dir, 'preview')})
    expect(preview.code, preview.stderr).toBe(0)
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${process.pid}\n${os.hostname()}\n`)
  })
})

describe('why a write failed', () => {
  it.for([
    ['ENOSPC', /^the disk is full \(writing \/o\/x\)$/],
    ['EDQUOT', /^the disk quota is used up/],
    ['EROFS', /^\/o\/x is on a read-only file system$/],
    ['EACCES', /^permission denied on \/o\/x$/],
    ['EPERM', /^not permitted on \/o\/x \(permissions, or a locked or immutable file\)$/],
    ['ENAMETOOLONG', /^the path is too long for the file system: \/o\/x$/],
    ['ENOTDIR', /^\/o\/x is in the way: part of that path is a file, not a folder$/],
    ['EIO', /^input\/output error on \/o\/x/]
  ] as const)('should say what %s means', ([code, words]) => {
    const error = Object.assign(new Error(code), {code, path: '/o/x'})
    expect(describeFsError(error, '/o')).toMatch(words)
  })

  it('should name the path it was given when the error names none', () => {
    expect(describeFsError(Object.assign(new Error('x'), {code: 'ENOSPC'}), '/o')).toBe('the disk is full (writing /o)')
  })

  // A real full disk: a 1 MB tmpfs, mounted in a user and mount namespace of its own (no privileges needed).
  const namespaces = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], {encoding: 'utf8'}).status === 0
  it.skipIf(!namespaces)('should say the disk is full, not ask to fix the permissions, and leave OUT as it was', () => {
    const site = makeSite()
    const script = [
      'set -u',
      `mount -t tmpfs -o size=1m tmpfs "$PARENT" || exit 97`,
      `"$NODE" "$BIN" build --root "$ROOT" --out "$PARENT/out" >/dev/null 2>&1 || exit 98`,
      `find "$PARENT/out" -type f | sort | xargs sha256sum > "$WORK/before.txt"`,
      `head -c 2000000 /dev/zero > "$ROOT/posts/assets/big.bin"`,
      `"$NODE" "$BIN" build --root "$ROOT" --out "$PARENT/out" 2> "$WORK/stderr.txt"`,
      `echo $? > "$WORK/code.txt"`,
      `ls -A "$PARENT" > "$WORK/parent.txt"`,
      `find "$PARENT/out" -type f | sort | xargs sha256sum > "$WORK/after.txt"`
    ].join('\n')
    const env = {...process.env, PARENT: site.parent, NODE: process.execPath, BIN: bin, ROOT: site.root, WORK: site.dir}
    const run = spawnSync('unshare', ['-rm', 'sh', '-c', script], {env, encoding: 'utf8', timeout: 120_000})
    expect(run.status, run.stderr).toBe(0)
    const read = (name: string) => fs.readFileSync(path.join(site.dir, name), 'utf8')
    expect(read('code.txt').trim(), read('stderr.txt')).toBe('2')
    expect(read('stderr.txt')).toMatch(
      /^letterpress: cannot write the output folder .+\/parent\/out: the disk is full \(writing .+\); the previous output is unchanged \(free some space or choose another --out\)$/m
    )
    expect(read('stderr.txt')).not.toMatch(/permission/)
    expect(read('parent.txt').trim()).toBe('out')
    expect(read('after.txt')).toBe(read('before.txt'))
  })
})

describe('symbolic links to files under posts/', () => {
  it('should skip links into OUT, the cache or outside ROOT with a warning at the link, and publish links inside ROOT', () => {
    const site = makeSite({outInRoot: true})
    expect(build(site).code).toBe(0)
    const record = fs.readdirSync(path.join(site.root, '.cache/letterpress')).find((name) => name.endsWith('.json'))!
    const outside = path.join(site.dir, 'secret.txt')
    fs.writeFileSync(outside, 'not for publishing\n')
    site.write('shared/logo.txt', 'a file kept beside posts/\n')
    // A folder whose name only begins with two dots is inside ROOT all the same.
    site.write('..kept/badge.txt', 'a file in a folder named ..kept\n')
    const assets = path.join(site.root, 'posts/assets')
    fs.symlinkSync(`../../.cache/letterpress/${record}`, path.join(assets, 'record.json'))
    fs.symlinkSync('../../dist/site/index.html', path.join(assets, 'home.html'))
    fs.symlinkSync(outside, path.join(assets, 'secret.txt'))
    fs.symlinkSync('../../shared/logo.txt', path.join(assets, 'logo.txt'))
    fs.symlinkSync('../../..kept/badge.txt', path.join(assets, 'badge.txt'))

    const run = build(site)
    expect(run.code, run.stderr).toBe(0)
    const skipped = (name: string, why: string) =>
      new RegExp(`^posts/assets/${escape(name)}:1:1 {2}warning {2}Skipped this symbolic link: ${escape(why)} {2}symlink-skipped$`, 'm')
    expect(run.stderr).toMatch(skipped('record.json', 'it leads into the output folder or the cache, which are never published'))
    expect(run.stderr).toMatch(skipped('home.html', 'it leads into the output folder or the cache, which are never published'))
    expect(run.stderr).toMatch(skipped('secret.txt', 'it leads outside the site root, which is never published'))
    const published = fileHashes(path.join(site.out, 'site/assets'))
    expect([...published.keys()].filter((name) => !name.startsWith('theme/') && !name.startsWith('search/')).sort()).toEqual(['badge.txt', 'logo.txt', 'note.txt'])
  })
})

describe('dev and symbolic links', () => {
  const procInotify = fs.existsSync('/proc/self/fdinfo')
  it.skipIf(!procInotify)('should not watch folders that links lead to outside ROOT or into the cache', async () => {
    const site = makeSite()
    // A big folder elsewhere (as / or a home folder would be), linked from posts/.
    const elsewhere = path.join(site.dir, 'elsewhere')
    for (let index = 0; index < 40; index++) fs.mkdirSync(path.join(elsewhere, `folder-${index}`, 'inner'), {recursive: true})
    fs.symlinkSync(elsewhere, path.join(site.root, 'posts/elsewhere'))
    fs.mkdirSync(path.join(site.root, '.cache/letterpress/memo'), {recursive: true})
    fs.symlinkSync('../.cache', path.join(site.root, 'posts/cache'))
    // A link that stays inside ROOT is followed, as the build follows it.
    fs.mkdirSync(path.join(site.root, 'shared/figures'), {recursive: true})
    fs.symlinkSync('../shared', path.join(site.root, 'posts/shared'))

    const child = spawn(process.execPath, [bin, 'dev', '--root', site.root, '--port', '0'], {stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          const done = /http:\/\/127\.0\.0\.1:\d+/.test(stdout) || child.exitCode !== null
          if (!done) return
          clearInterval(timer)
          if (child.exitCode !== null) reject(new Error(`dev ended:\n${stderr}`))
          else resolve()
        }, 20)
      })
      const watched = inotifyInodes(child.pid!)
      const inode = (folder: string) => fs.statSync(folder).ino
      expect(watched.has(inode(path.join(site.root, 'posts')))).toBe(true)
      expect(watched.has(inode(path.join(site.root, 'shared/figures')))).toBe(true)
      const outsideFolders = [elsewhere, ...fs.readdirSync(elsewhere).map((name) => path.join(elsewhere, name))]
      expect(outsideFolders.filter((folder) => watched.has(inode(folder)))).toEqual([])
      for (const folder of ['.cache', '.cache/letterpress', '.cache/letterpress/memo']) {
        expect([folder, watched.has(inode(path.join(site.root, folder)))]).toEqual([folder, false])
      }
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGINT')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
  }, 120_000)
})

/** The inodes a process watches with inotify, from /proc/PID/fdinfo (Linux). */
function inotifyInodes(pid: number): Set<number> {
  const inodes = new Set<number>()
  const folder = `/proc/${pid}/fdinfo`
  for (const fd of fs.readdirSync(folder)) {
    let text: string
    try {
      text = fs.readFileSync(path.join(folder, fd), 'utf8')
    } catch {
      continue
    }
    for (const match of text.matchAll(/^inotify wd:\S+ ino:([0-9a-f]+) /gm)) inodes.add(Number.parseInt(match[1]!, 16))
  }
  return inodes
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

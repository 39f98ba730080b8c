/**
 * `push`: the issue created as a draft at Listmonk or Buttondown through
 * their HTTP APIs. Each API is faked on 127.0.0.1 (port 0, bounded in
 * time); the fake checks the documented request (method, path, auth
 * header, JSON fields, the issue's HTML with that service's merge tags)
 * and answers as the service does. The key never shows: not in a dry run,
 * not in an error, not even when the service echoes it.
 */
import {execFile, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {PushError} from '../src/email/push.js'
import {push} from '../src/pipeline/push.js'
import {fixtureConfig, fixtureRoot} from './fixtures/email/site.js'
import {projectRoot} from './helpers/site.js'
import {contentDated} from './helpers/files.js'

const month = '2026-05'
const listmonkToken = 'lm-token-9f8e7d'
const buttondownKey = 'bd-key-1a2b3c'

interface Received {
  method: string
  path: string
  authorization: string
  contentType: string
  body: Record<string, unknown>
}

/** A fake API: records each request and answers with `answer(request)`; `hang` never answers. */
async function fakeApi(answer: (request: Received) => {status: number; body: unknown} | 'hang') {
  const received: Received[] = []
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const entry: Received = {
        method: request.method ?? '',
        path: request.url ?? '',
        authorization: request.headers.authorization ?? '',
        contentType: request.headers['content-type'] ?? '',
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {}
      }
      received.push(entry)
      const reply = answer(entry)
      if (reply === 'hang') return
      response.writeHead(reply.status, {'content-type': 'application/json'})
      response.end(JSON.stringify(reply.body))
    })
  })
  server.requestTimeout = 10_000
  server.headersTimeout = 10_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  servers.push(server)
  return {origin: `http://127.0.0.1:${port}`, received}
}

const servers: http.Server[] = []
const dated = contentDated('push')
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** The email fixture site as a ROOT with its config file (the sample config keeps letterpress's own unsubscribe field). */
let root: string
beforeAll(() => {
  root = dated.folder()
  fs.cpSync(fixtureRoot, root, {recursive: true})
  const config = {...fixtureConfig, newsletter: {...fixtureConfig.newsletter, unsubscribe: '{{unsubscribe_url}}'}}
  fs.writeFileSync(path.join(root, 'letterpress.json'), JSON.stringify(config, null, 2))
})

function listmonkEnv(origin: string): Record<string, string> {
  return {LISTMONK_URL: origin, LISTMONK_USER: 'letterpress-api', LISTMONK_TOKEN: listmonkToken, LISTMONK_LISTS: '3, 7'}
}

/** What `push` throws, as a `PushError`. */
async function pushError(promise: Promise<unknown>): Promise<PushError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught
  )
  expect(error).toBeInstanceOf(PushError)
  return error as PushError
}

describe('push to Listmonk', () => {
  it('should create a draft campaign with POST /api/campaigns, the token header and the issue as HTML with Listmonk\'s tags', async () => {
    const api = await fakeApi(() => ({status: 200, body: {data: {id: 42, status: 'draft', name: 'x'}}}))
    const result = await push({root, month, to: 'listmonk', env: listmonkEnv(api.origin)})
    expect(api.received).toHaveLength(1)
    const [request] = api.received
    expect(request).toMatchObject({method: 'POST', path: '/api/campaigns', authorization: `token letterpress-api:${listmonkToken}`})
    expect(request!.contentType).toMatch(/^application\/json/)
    const body = request!.body
    expect(body).toMatchObject({lists: [3, 7], type: 'regular', content_type: 'html', subject: result.issue!.summary.subject})
    expect(typeof body['name']).toBe('string')
    const html = String(body['body'])
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('href="{{ UnsubscribeURL }}"')
    expect(html).toContain('href="{{ MessageURL }}"')
    expect(html).not.toContain('{{unsubscribe_url}}')
    expect(String(body['altbody'])).toContain('Unsubscribe: {{ UnsubscribeURL }}')
    expect(result.draft).toEqual({service: 'listmonk', id: '42', url: `${api.origin}/admin/campaigns/42`})
  }, 60_000)

  it('should show the service\'s message on an error answer, without the token even when the service echoes it', async () => {
    const api = await fakeApi(() => ({status: 403, body: {message: `permission denied for token ${listmonkToken}`}}))
    const error = await pushError(push({root, month, to: 'listmonk', env: listmonkEnv(api.origin)}))
    expect(error.ruleId).toBe('push-http')
    expect(error.message).toContain('403')
    expect(error.message).toContain('permission denied for token ***')
    expect(error.message).not.toContain(listmonkToken)
  }, 60_000)

  it('should name what is missing when the environment lacks access, before sending anything', async () => {
    const error = await pushError(push({root, month, to: 'listmonk', env: {LISTMONK_URL: 'http://127.0.0.1:9', LISTMONK_TOKEN: listmonkToken}}))
    expect(error.ruleId).toBe('push-key-missing')
    expect(error.message).toContain('LISTMONK_USER, LISTMONK_LISTS')
    expect(error.message).not.toContain(listmonkToken)
  })

  it('should fail with push-network when nothing listens, and when the service does not answer in time', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const {port} = closed.address() as AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    const refused = await pushError(push({root, month, to: 'listmonk', env: listmonkEnv(`http://127.0.0.1:${port}`)}))
    expect(refused.ruleId).toBe('push-network')
    expect(refused.message).toContain('Could not reach Listmonk')
    expect(refused.message).not.toContain(listmonkToken)

    const silent = await fakeApi(() => 'hang')
    const late = await pushError(push({root, month, to: 'listmonk', env: listmonkEnv(silent.origin), timeoutMs: 500}))
    expect(late.ruleId).toBe('push-network')
    expect(late.message).toContain('no answer within')
  }, 60_000)
})

describe('push to Buttondown', () => {
  it('should create a draft email with POST /v1/emails, the Token header and the issue as HTML with Buttondown\'s tags', async () => {
    const api = await fakeApi(() => ({status: 201, body: {id: 'd3adb33f', status: 'draft'}}))
    const result = await push({root, month, to: 'buttondown', env: {BUTTONDOWN_API_KEY: buttondownKey, BUTTONDOWN_API_URL: api.origin}})
    const [request] = api.received
    expect(request).toMatchObject({method: 'POST', path: '/v1/emails', authorization: `Token ${buttondownKey}`})
    expect(request!.body).toMatchObject({status: 'draft', subject: result.issue!.summary.subject})
    const html = String(request!.body['body'])
    expect(html).toContain('href="{{ unsubscribe_url }}"')
    expect(html).toContain('href="{{ email_url }}"')
    expect(result.draft).toEqual({service: 'buttondown', id: 'd3adb33f', url: undefined})
  }, 60_000)

  it('should show field errors as the service words them', async () => {
    const api = await fakeApi(() => ({status: 400, body: {subject: ['This field may not be blank.']}}))
    const error = await pushError(push({root, month, to: 'buttondown', env: {BUTTONDOWN_API_KEY: buttondownKey, BUTTONDOWN_API_URL: api.origin}}))
    expect(error.ruleId).toBe('push-http')
    expect(error.message).toContain('subject: This field may not be blank.')
  }, 60_000)

  it('should describe the request on a dry run, key redacted, and send nothing', async () => {
    const api = await fakeApi(() => ({status: 500, body: {}}))
    const result = await push({root, month, to: 'buttondown', dryRun: true, env: {BUTTONDOWN_API_KEY: buttondownKey, BUTTONDOWN_API_URL: api.origin}})
    expect(api.received).toHaveLength(0)
    expect(result.request).toContain(`POST ${api.origin}/v1/emails`)
    expect(result.request).toContain('authorization: Token ***')
    expect(result.request).toContain('"status": "draft"')
    expect(result.request).not.toContain(buttondownKey)
  }, 60_000)
})

describe('letterpress push', () => {
  const cli = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'letterpress.js'), 'push', month, '--root', root, ...args], {
      encoding: 'utf8',
      env: {...process.env, ...env, NO_COLOR: '1'},
      timeout: 60_000
    })

  it('should print neither the key in a dry run nor in an error, and say which rule failed', async () => {
    const dry = cli(['--to', 'buttondown', '--dry-run'], {BUTTONDOWN_API_KEY: buttondownKey, BUTTONDOWN_API_URL: 'http://127.0.0.1:9'})
    expect(dry.status, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('authorization: Token ***')
    expect(dry.stdout + dry.stderr).not.toContain(buttondownKey)

    const api = await fakeApi(() => ({status: 500, body: {detail: `internal error with key ${buttondownKey}`}}))
    // Asynchronous: the fake API answers from this process.
    const failed = await new Promise<{status: number | null; stdout: string; stderr: string}>((resolve) => {
      const child = execFile(
        process.execPath,
        [path.join(projectRoot, 'bin', 'letterpress.js'), 'push', month, '--root', root, '--to', 'buttondown'],
        {env: {...process.env, BUTTONDOWN_API_KEY: buttondownKey, BUTTONDOWN_API_URL: api.origin, NO_COLOR: '1'}, timeout: 60_000},
        (_error, stdout, stderr) => resolve({status: child.exitCode, stdout, stderr})
      )
    })
    expect(failed.status).toBe(1)
    expect(failed.stderr).toContain('push-http')
    expect(failed.stderr).toContain('internal error with key ***')
    expect(failed.stdout + failed.stderr).not.toContain(buttondownKey)

    const missing = cli(['--to', 'listmonk'], {LISTMONK_URL: '', LISTMONK_USER: '', LISTMONK_TOKEN: '', LISTMONK_LISTS: ''})
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain('push-key-missing')
    expect(missing.stderr).not.toMatch(/\n\s+at /)
  }, 120_000)
})

// Operations: --check-config, .env, the token CLI, JSON logs without secrets, SIGTERM losing nothing.
import { describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryPath, startService, randomToken, test } from './lib/harness.mjs';

// Runs the binary once, to completion, in its own directory with only the given environment.
function runOnce(args, env, dir = mkdtempSync(join(tmpdir(), 'ff-cli-'))) {
  const result = spawnSync(binaryPath(), args, {
    cwd: dir,
    env: { PATH: process.env.PATH, DATA_DIR: join(dir, 'data'), DATABASE_URL: `sqlite:${join(dir, 'calls.db')}`, ...env },
    encoding: 'utf8',
    timeout: 20000,
  });
  return { ...result, dir };
}

describe('configuration check', () => {
  test('wrong values stop start-up naming each variable, with secrets masked', () => {
    const result = runOnce(['--check-config'], {
      SIP_TRANSPORT: 'SCTP',
      PORT: '70000',
      SIP_USERS: 'op1:TopSecret42:10a1:Иванов',
      DATABASE_URL: 'mysql://user:DbSecret99@db/x',
      CORS_ORIGIN: 'not an origin',
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /SIP_TRANSPORT="SCTP" is invalid: expected UDP, TCP or TLS/);
    assert.match(result.stderr, /PORT="70000"/);
    assert.match(result.stderr, /SIP_USERS/);
    assert.match(result.stderr, /CORS_ORIGIN/);
    assert.doesNotMatch(result.stderr + result.stdout, /TopSecret42|DbSecret99/);
  });

  test('a good configuration is printed with passwords masked, and the environment wins over .env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-cli-'));
    writeFileSync(join(dir, '.env'), '# PBX\nSIP_SERVER=pbx.example.test\nSIP_PORT=5080\nPORT=4000\nSIP_USERS="op1:EnvFilePass1:1001:Иванов И.И."\n');
    const result = runOnce(['--check-config'], { PORT: '4100' }, dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /configuration is valid/);
    assert.match(result.stdout, /pbx\.example\.test:5080/);
    assert.match(result.stdout, /:4100/);
    assert.match(result.stdout, /1001\s+op1\s+Иванов И\.И\./);
    assert.doesNotMatch(result.stdout, /EnvFilePass1/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a malformed .env line is reported with its line number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-cli-'));
    writeFileSync(join(dir, '.env'), 'PORT=3009\nthis line has no equals sign\n');
    const result = runOnce(['--check-config'], {}, dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /\.env:2/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('token command line', () => {
  let service;
  after(async () => service?.stop());

  test('a token created from the shell works on the running service; revoking it locks it out', async () => {
    service = await startService();
    const env = { DATABASE_URL: `sqlite:${join(service.dir, 'calls.db')}`, DATA_DIR: service.dataDir };
    const created = runOnce(['token', 'create', '--role', 'operator', '--extension', '1001', '--name', 'Иванов'], env);
    assert.equal(created.status, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^fft_[A-Za-z0-9_-]{43}$/);
    assert.doesNotMatch(created.stderr, new RegExp(token));

    // The service reloads tokens from the database every few seconds: wait for it, bounded.
    const authorized = async (expected) => {
      for (let i = 0; i < 100; i++) {
        const { status } = await service.api('GET', '/api/calls/active', undefined, token);
        if (status === expected) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    };
    assert.ok(await authorized(200), 'the new token was never accepted');

    const listed = runOnce(['token', 'list'], env);
    const line = listed.stdout.split('\n').find((l) => l.includes('Иванов'));
    assert.ok(line, listed.stdout);
    assert.doesNotMatch(listed.stdout, new RegExp(token));
    const id = line.split(/\s+/)[0];
    const revoked = runOnce(['token', 'revoke', id], env);
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.ok(await authorized(401), 'the revoked token was still accepted');
  });

  test('an operator token without an extension is refused with a clear message', () => {
    const result = runOnce(['token', 'create', '--role', 'operator', '--name', 'x'], {});
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--extension is required/);
  });
});

describe('logs and shutdown', () => {
  test('JSON logs are one object per line and never contain a token or a password', async () => {
    const service = await startService({ env: { LOG_FORMAT: 'json', LOG_LEVEL: 'debug' } });
    const operator = await service.createToken('operator', '1001');
    await service.api('GET', '/api/calls/active', undefined, operator);
    await service.api('GET', '/api/calls/active', undefined, 'fft_wrongwrongwrongwrongwrong');
    await service.terminate();
    const text = service.output();
    await service.stop();
    const lines = text.split('\n').filter(Boolean);
    assert.ok(lines.length > 0);
    for (const line of lines) {
      let entry = null;
      try {
        entry = JSON.parse(line);
      } catch {
        // A sanitizer's report, say: the whole output shows what it was.
        assert.fail(`a log line that is not JSON: ${line.slice(0, 200)}\n--- the service's output ---\n${text.slice(-6000)}`);
      }
      assert.ok(entry.time && entry.level && typeof entry.message === 'string', line);
    }
    for (const secret of [service.adminToken, operator, 'pass-one', 'pass-two']) assert.ok(!text.includes(secret), `log contains ${secret}`);
  });

  test('SIGTERM exits 0 after writing every call record', async () => {
    const service = await startService({ adminToken: randomToken() });
    const ids = [];
    for (let i = 0; i < 20; i++) {
      const { call } = await service.simulate('/inbound', { from: `+7999123${String(i).padStart(4, '0')}`, extension: '1001' });
      await service.simulate(`/calls/${call.id}/answered`);
      await service.simulate(`/calls/${call.id}/ended`, { reason: 'completed' });
      ids.push(call.id);
    }
    const exit = await service.terminate();
    assert.deepEqual(exit, { code: 0, signal: null });
    await service.start();
    const { status, body } = await service.api('GET', '/api/calls/logs?limit=100');
    assert.equal(status, 200);
    assert.equal(body.total, 20);
    for (const call of body.calls) {
      assert.ok(ids.includes(call.id));
      assert.equal(call.status, 'ended');
      assert.equal(call.endReason, 'completed');
    }
    await service.stop();
  });
});

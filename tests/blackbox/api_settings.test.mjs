// The settings page's API against the real binary: PBX settings and PBX users, validated, stored,
// applied live, kept across a restart, and passwords that never come back.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import { startService, test } from './lib/harness.mjs';

describe('settings', () => {
  let service;

  before(async () => {
    service = await startService({ env: { SIP_SERVER: 'pbx.example.test', SIP_PORT: '5080' } });
  });
  after(async () => service?.stop());

  test('PBX settings start from the environment', async () => {
    const result = await service.api('GET', '/api/settings/pbx');
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(result.body.settings, {
      server: 'pbx.example.test',
      port: 5080,
      transport: 'UDP',
      rtpPortMin: 5700,
      rtpPortMax: 5750,
      stunServer: '',
    });
  });

  test('PBX settings are validated field by field', async () => {
    const cases = [
      [{ port: 0 }, /^port/],
      [{ port: 'five' }, /^port/],
      [{ transport: 'SCTP' }, /^transport/],
      [{ server: 'bad host name!' }, /server/],
      [{ rtpPortMin: 6000, rtpPortMax: 5000 }, /rtpPort/],
    ];
    for (const [body, field] of cases) {
      const result = await service.api('PUT', '/api/settings/pbx', body);
      assert.equal(result.status, 400, JSON.stringify(body));
      assert.equal(result.body.code, 'VALIDATION_FAILED');
      assert.match(result.body.error, field);
    }
    assert.equal((await service.api('GET', '/api/settings/pbx')).body.settings.port, 5080, 'nothing was saved');
  });

  test('saved PBX settings apply at once and survive a restart', async () => {
    const saved = await service.api('PUT', '/api/settings/pbx', {
      server: 'sip.example.test',
      port: 5061,
      transport: 'tls',
      stunServer: 'stun.example.test:3478',
    });
    assert.equal(saved.status, 200, saved.text);
    assert.equal(saved.body.success, true);
    assert.equal(saved.body.settings.transport, 'TLS');
    assert.equal(saved.body.settings.rtpPortMin, 5700, 'absent fields keep their value');
    await service.restart();
    const reloaded = await service.api('GET', '/api/settings/pbx');
    assert.equal(reloaded.body.settings.server, 'sip.example.test');
    assert.equal(reloaded.body.settings.port, 5061);
    assert.equal(reloaded.body.settings.stunServer, 'stun.example.test:3478');
  });

  test('users come from SIP_USERS and never show a password', async () => {
    const result = await service.api('GET', '/api/settings/users');
    assert.equal(result.status, 200);
    assert.deepEqual(result.body.users.map((u) => u.extension), ['1001', '1002', '1003']);
    const [first] = result.body.users;
    assert.equal(first.username, 'operator1');
    assert.equal(first.displayName, 'Иванов И.И.');
    assert.equal(first.passwordSet, true);
    assert.equal('password' in first, false);
    assert.ok(!/pass-one|pass-two|pass-three/.test(result.text));
  });

  test('users are created, changed and deleted; passwords stay write-only', async () => {
    const created = await service.api('POST', '/api/settings/users', {
      extension: '1005',
      username: 'operator5',
      password: 'very-secret-5',
      displayName: 'Новиков Н.Н.',
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.user.extension, '1005');
    assert.ok(!created.text.includes('very-secret-5'));

    const duplicate = await service.api('POST', '/api/settings/users', { extension: '1005', username: 'x', password: 'y-secret' });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.code, 'CONFLICT');

    for (const [body, field] of [
      [{ username: 'u', password: 'p-secret' }, /^extension/],
      [{ extension: '1006', password: 'p-secret' }, /^username/],
      [{ extension: '1006', username: 'u' }, /^password/],
      [{ extension: 'abc', username: 'u', password: 'p-secret' }, /extension/],
    ]) {
      const refused = await service.api('POST', '/api/settings/users', body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.match(refused.body.error, field);
    }

    const changed = await service.api('PUT', '/api/settings/users/1005', { displayName: 'Новиков Н.' });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.user.displayName, 'Новиков Н.');
    assert.equal(changed.body.user.passwordSet, true, 'an absent password keeps the old one');
    const renamed = await service.api('PUT', '/api/settings/users/1005', { extension: '1099' });
    assert.equal(renamed.status, 400);
    const missing = await service.api('PUT', '/api/settings/users/1099', { displayName: 'x' });
    assert.equal(missing.status, 404);

    // The new extension can dial at once: settings apply live.
    const dial = await service.api('POST', '/api/calls/dial', { from: '1005', to: '+79991234567' });
    assert.equal(dial.status, 200, dial.text);
    await service.api('POST', `/api/calls/hangup/${dial.body.call.id}`);

    const deleted = await service.api('DELETE', '/api/settings/users/1005');
    assert.equal(deleted.status, 200);
    assert.equal((await service.api('DELETE', '/api/settings/users/1005')).status, 404);
    const gone = await service.api('POST', '/api/calls/dial', { from: '1005', to: '+79991234567' });
    assert.equal(gone.status, 400);
    assert.match(gone.body.error, /^from/);
  });

  test('after the first change the database list is the whole list, across restarts', async () => {
    await service.api('DELETE', '/api/settings/users/1003');
    await service.restart();
    const users = await service.api('GET', '/api/settings/users');
    assert.deepEqual(users.body.users.map((u) => u.extension), ['1001', '1002']);
    assert.ok(!/pass-one|pass-two|very-secret/.test(users.text));
  });
});

// Two instances of the service sharing one PostgreSQL and one Redis, both registering the same operator lines
// at Kamailio, with their consoles and phones; and what the cluster lab tests ask of them.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { delay, withTimeout } from './lab.mjs';
import { startPostgres } from './postgres_server.mjs';
import { startRedis } from './redis_server.mjs';
import { adminToken, eventually, healthBecomes, startService, until } from './service.mjs';

// The lab has no npm packages of its own: the client comes from the black-box suite's install.
const { io } = createRequire(new URL('../../blackbox/package.json', import.meta.url))('socket.io-client');

export const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Operator Two' },
];
export const customerNumber = '+79991234567';
export const secondCustomerNumber = '+79991234568';

// PostgreSQL, Redis, the PBX, instance "ff-1" and instance "ff-2" with both lines registered at the PBX
// (two contacts per extension), a supervisor console on each, operator 1's phone at ff-1 and operator 2's at
// ff-2. Started in this order, so the lab stops them the other way round. With `storage: 'sqlite'` there is
// no PostgreSQL: each instance keeps its own SQLite file (`database` is then null).
export async function cluster(lab, { pstn, phoneOptions = [{}, {}], withPhones = true, storage = 'postgres' } = {}) {
  const database = storage === 'postgres' ? lab.track('postgres', await startPostgres()) : null;
  const redis = await startRedis(lab);
  const pbx = await lab.kamailio({ users, pstn });
  const instances = [];
  for (const id of ['ff-1', 'ff-2']) {
    const env = { REDIS_URL: redis.url, INSTANCE_ID: id, ...(database ? { DATABASE_URL: database.url } : {}) };
    instances.push(await startService(lab, { pbx, lines: users, env }));
  }
  for (const service of instances) {
    await healthBecomes(service, (health) => health.registeredUsers === 2 && health.status === 'ok', 15000, 'both lines and Redis');
  }
  for (const { extension } of users) {
    await until(() => pbx.contacts(extension), (contacts) => contacts.length === 2, 10000, `both instances' contacts for ${extension}`);
  }
  const consoles = [];
  for (const service of instances) consoles.push(await service.console());
  const phones = [];
  for (const [index, service] of (withPhones ? instances : []).entries()) {
    const user = users[index];
    phones.push(
      await lab.phone({ username: user.username, password: user.password, registrar: `127.0.0.1:${service.sipPort}`, ...phoneOptions[index] }),
    );
    await eventually(consoles[index].events, 'line:state', (line) => line.extension === user.extension && line.deviceRegistered, 5000);
  }
  // Each instance must know the others' lines and phones before a forked INVITE reaches it: they are in
  // ff:telephony.
  for (const [index, id] of ['ff-1', 'ff-2'].entries()) {
    const extension = users[index].extension;
    await until(
      async () => telephonyLines(await redis.command('HGET', 'ff:telephony', id)),
      (lines) => lines.some((line) => line.extension === extension && line.registered && line.deviceRegistered === withPhones),
      10000,
      `${extension}'s line${withPhones ? ' and phone' : ''} in ff:telephony for ${id}`,
    );
  }
  return { database, redis, pbx, instances, consoles, phones };
}

// An instance's line states in ff:telephony, stored as {"lines": [...]} or as the bare array: only where the
// phones are matters here, the behaviour is what the tests prove.
export function telephonyLines(text) {
  const stored = JSON.parse(text ?? '[]');
  return Array.isArray(stored) ? stored : stored.lines ?? [];
}

export function customerPhone(lab, number = customerNumber, options = {}) {
  return lab.phone({ username: number, audio: { frequency: 700 }, ...options });
}

// The instance that owns an active call in Redis (ff:calls), or null when Redis lists no such call.
export async function ownerInRedis(redis, id) {
  const entry = await redis.command('HGET', 'ff:calls', id);
  return entry ? JSON.parse(entry).owner : null;
}

// The ids in GET /api/calls/active, as the admin (every call) or as the given token sees them.
export async function activeIds(service, token = adminToken) {
  const response = await fetch(`${service.baseUrl}/api/calls/active`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return JSON.parse(text).calls.map((call) => call.id);
}

// An operator's CRM screen on an instance: its token (made there) and a socket that records its events.
export async function operatorScreen(lab, service, extension) {
  const created = await service.api('POST', '/api/tokens', { name: `operator ${extension}`, role: 'operator', extension });
  assert.equal(created.status, 201, created.text);
  const socket = io(service.baseUrl, { auth: { token: created.body.token }, reconnection: false, transports: ['websocket'] });
  lab.track(`socket of ${extension}`, { stop: async () => socket.disconnect(), log: () => '' });
  const events = [];
  socket.onAny((name, payload) => events.push({ name, payload, at: Date.now() }));
  const snapshot = await withTimeout(
    new Promise((resolve, reject) => {
      socket.once('calls:snapshot', resolve);
      socket.once('connect_error', reject);
    }),
    5000,
    `the socket of ${extension} to connect`,
  );
  return { token: created.body.token, events, snapshot };
}

// The shared call log as one instance reads it: every row with this id.
export async function logRows(service, id) {
  const response = await service.api('GET', '/api/calls/logs?limit=100');
  assert.equal(response.status, 200, response.text);
  return { rows: response.body.calls.filter((call) => call.id === id), total: response.body.total };
}

export async function loggedOnce(service, id, predicate, what) {
  const { rows } = await until(() => logRows(service, id), ({ rows }) => rows.length >= 1 && predicate(rows[0]), 10000, what);
  assert.equal(rows.length, 1, `the call is in the log once: ${JSON.stringify(rows)}`);
  return rows[0];
}

// The customer calls operator 1's extension; operator 1 answers on the phone at ff-1. Resolves with the id.
export async function answeredAtOne(centre, customer, extension = '1001', phoneIndex = 0) {
  const phone = centre.phones[phoneIndex];
  const since = Date.now();
  await customer.dial(`sip:${extension}@127.0.0.1:${centre.pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  await phone.answer();
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  const answered = await eventually(centre.consoles[phoneIndex].events, 'call:answered', (call) => call.extension === extension, 5000, since);
  return answered.payload.id;
}

// Checks `condition` over and over until `deadline` (a time): fails at the first time it does not hold.
export async function holdsFor(condition, deadline, what) {
  while (Date.now() < deadline) {
    assert.ok(await condition(), `${what}: broken ${deadline - Date.now()} ms before the end of the watch`);
    await delay(200);
  }
}

export const sinceMark = (phone, mark, type) => phone.events.slice(mark).filter((event) => event.type === type);

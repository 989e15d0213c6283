// A PBX that goes away and comes back, with the default settings (registrations of 300 s): the service's
// OPTIONS probe notices the silence within seconds (sip:disconnected, the lines' state, /health), and the
// moment the PBX answers again every line registers again, so a customer's call reaches the operator at
// once even though the restarted PBX forgot every registration.
import assert from 'node:assert/strict';
import { labTest } from './lib/lab.mjs';
import { eventually, healthBecomes, startService } from './lib/service.mjs';

const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Operator Two' },
];
const customerNumber = '+79991234567';
const lineState = (extension, registered) => (line) => line.extension === extension && line.registered === registered;

labTest('PBX outage with default settings: reported within 10 s, lines back at once, a call right after reaches the operator', async (lab, t) => {
  let pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users });
  await healthBecomes(service, (h) => h.registeredUsers === 2, 10000, 'both lines registered');
  const { events } = await service.console();
  const phone = await lab.phone({ username: 'operator1', password: 'pass-one', registrar: `127.0.0.1:${service.sipPort}` });
  await eventually(events, 'line:state', (line) => line.extension === '1001' && line.deviceRegistered, 5000);

  const stopped = Date.now();
  await pbx.stop();
  const down = await eventually(events, 'sip:disconnected', () => true, 10000, stopped);
  assert.equal(down.payload.connected, false);
  const failed = await eventually(events, 'line:state', lineState('1001', false), 1000, stopped);
  assert.match(failed.payload.detail, /^the PBX at 127\.0\.0\.1:\d+ over UDP does not answer/);
  const health = await service.health();
  assert.equal(health.connected, false, `/health while the PBX is away: ${JSON.stringify(health)}`);
  assert.equal(health.registeredUsers, 0);

  // The PBX restarts with no registration in memory, as many do after a reboot.
  pbx = await lab.kamailio({ users, port: pbx.port });
  const back = Date.now();
  assert.deepEqual(await pbx.contacts('1001'), [], 'the restarted PBX knows no line');
  const up = await eventually(events, 'sip:connected', () => true, 5000, back);
  for (const extension of ['1001', '1002']) await eventually(events, 'line:state', lineState(extension, true), 5000, back);
  assert.equal((await pbx.contacts('1001')).length, 1, 'line 1001 registered again at the PBX');

  const customer = await lab.phone({ username: customerNumber });
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  const created = await eventually(events, 'call:new', (call) => call.extension === '1001', 5000, back);
  assert.equal(created.payload.from, customerNumber);
  await customer.hangup();
  await eventually(events, 'call:ended', (call) => call.id === created.payload.id, 5000, back);
  t.diagnostic(`outage reported ${(down.at - stopped) / 1000} s after the PBX stopped, lines up ${(up.at - back) / 1000} s after it was back`);
}, { timeoutMs: 90000 });

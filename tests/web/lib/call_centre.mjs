// The lab call centre the console tests drive: Kamailio as the PBX, the real service with two operators'
// lines, a CRM that knows one customer, operators' phones registered to the service, customers' phones
// behind the PBX, and tokens for the pages. The service can be killed and started again on its ports.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { registerContact } from '../../lab/lib/lab.mjs';
import { eventually, healthBecomes, startService } from '../../lab/lib/service.mjs';

export const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Анна Смирнова' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Борис Котов' },
];
export const customerNumber = '+79991234567';
export const customerShown = '+7 (999) 123-45-67';
export const customerName = 'Иван Петров';

// A CRM that knows one customer, for the popup's card (CUSTOMER_LOOKUP_URL).
async function startCrm(lab) {
  const server = createServer((request, response) => {
    const phone = new URL(request.url, 'http://crm').searchParams.get('phone');
    if (phone !== customerNumber) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ id: 'cust-42', name: customerName, phone }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  lab.track('crm', { stop: () => new Promise((resolve) => server.close(resolve)), log: () => '' });
  return `http://127.0.0.1:${server.address().port}/customers?phone={phone}`;
}

// PBX (numbers go to `pstn` when given), CRM, the service with both lines registered (and `env` besides), a
// supervisor's socket.
export async function callCentre(lab, { pstn, env = {} } = {}) {
  const crm = await startCrm(lab);
  const pbx = await lab.kamailio({ users, pstn });
  const service = await startService(lab, { pbx, lines: users, env: { CUSTOMER_LOOKUP_URL: crm, ...env } });
  await healthBecomes(service, (health) => health.registeredUsers === 2, 10000, 'both lines registered');
  const console = await service.console();
  return { pbx, service, console };
}

export async function token(service, role, extension, name) {
  const created = await service.api('POST', '/api/tokens', { name, role, ...(extension ? { extension } : {}) });
  assert.equal(created.status, 201, created.text);
  return created.body.token;
}

// A baresip phone registered to the service as operator `index`.
export async function operatorPhone(lab, { service, console }, index, options = {}) {
  const user = users[index];
  const phone = await lab.phone({ username: user.username, password: user.password, registrar: `127.0.0.1:${service.sipPort}`, ...options });
  await eventually(console.events, 'line:state', (line) => line.extension === user.extension && line.deviceRegistered, 5000);
  return phone;
}

// A SIPp phone registered as operator1's: it rings, and picks up only an INVITE with the auto-answer
// headers, which is how the service answers a call from the CRM; a cancelled ringing counts as a call too.
export async function scriptedOperatorPhone(lab, service, { calls = 2 } = {}) {
  const phone = await lab.sipp({ scenario: 'uas_ring_then_autoanswer', calls });
  const status = await registerContact({
    server: `127.0.0.1:${service.sipPort}`,
    username: users[0].username,
    password: users[0].password,
    contact: `sip:${users[0].username}@127.0.0.1:${phone.port}`,
    expires: 300,
  });
  assert.equal(status, 200, 'the scripted phone registers to the service');
  return phone;
}

export function customerPhone(lab, options = {}) {
  return lab.phone({ username: customerNumber, ...options });
}

// Kills the service outright (a crash: no call:ended, no goodbye to the sockets), then starts it again on
// the same HTTP and SIP ports with the same data, as a supervisor restarting it would.
export async function crashAndRestart(service) {
  const { port, sipPort } = service;
  const wrapper = service.process.child;
  process.kill(-wrapper.pid, 'SIGKILL');
  await service.process.exited;
  service.process = null;
  return async function restart() {
    service.settings.env = { ...service.settings.env, PORT: String(port) };
    service.settings.fixedSipPort = sipPort;
    await service.launch(2);
    service.port = port;
    service.baseUrl = `http://127.0.0.1:${port}`;
    assert.ok(await service.waitReady(), `the service starts again on port ${port}:\n${service.log().slice(-3000)}`);
  };
}

// SIP over TLS, end to end: a throwaway CA and certificates made with openssl for each run, Kamailio's tls
// module as the PBX, the service's lines registering to it over TLS (the PBX's certificate verified with
// SIP_TLS_CA, and refused when another CA signed it), a baresip phone registering to the service's TLS
// listener, and the start-up refusing certificate files that cannot work.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, labTest } from './lib/lab.mjs';
import { removeDir } from './lib/processes.mjs';
import { eventually, healthBecomes, Service, startService, until } from './lib/service.mjs';

const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Operator Two' },
];

function openssl(dir, args) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

// A CA and, per name, a key and a certificate it signed for 127.0.0.1 (server and client use).
function makeCertificates(lab, caName, names) {
  const dir = mkdtempSync(join(tmpdir(), 'ff-lab-tls-'));
  lab.track(`certificates ${caName}`, { stop: async () => removeDir(dir), log: () => '' });
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${caName}`]);
  const files = { dir, ca: join(dir, 'ca.pem') };
  for (const name of names) {
    writeFileSync(
      join(dir, `${name}.ext`),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' +
        'keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n',
    );
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}.lab`]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
    files[name] = { certificate: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  }
  return files;
}

// The service with lines over TLS to the PBX's TLS port, its own TLS listener on a free port.
async function tlsService(lab, pbx, { certificate, key, ca, env = {} }) {
  const tlsPort = await freePort();
  const tmp = mkdtempSync(join(tmpdir(), 'ff-lab-service-tmp-'));
  lab.track('service tmp', { stop: async () => removeDir(tmp), log: () => '' });
  const service = await startService(lab, {
    pbx,
    pbxPort: pbx.tlsPort,
    lines: users,
    transport: 'TLS',
    env: {
      SIP_TLS_CERT: certificate,
      SIP_TLS_KEY: key,
      ...(ca ? { SIP_TLS_CA: ca } : {}),
      SIP_TLS_LISTEN: `127.0.0.1:${tlsPort}`,
      TMPDIR: tmp,
      ...env,
    },
  });
  return { service, tlsPort, tmp };
}

labTest('TLS: the lines register to the PBX over TLS, the PBX certificate verified with SIP_TLS_CA; the key never reaches the log or the disk', async (lab) => {
  const certs = makeCertificates(lab, 'Lab CA', ['pbx', 'service']);
  const pbx = await lab.kamailio({ users, tls: certs.pbx });
  const { service, tlsPort, tmp } = await tlsService(lab, pbx, { ...certs.service, ca: certs.ca });

  const health = await healthBecomes(service, (h) => h.registeredUsers === 2, 10000, 'both lines registered over TLS');
  assert.equal(health.connected, true);
  const listed = await service.api('GET', '/api/settings/users');
  for (const line of listed.body.users) {
    assert.equal(line.registered, true, JSON.stringify(line));
    assert.equal(line.detail, `registered at 127.0.0.1:${pbx.tlsPort} over TLS`);
  }
  // The PBX saw the REGISTERs arrive over TLS and keeps TLS contacts for both extensions.
  assert.match(pbx.log(), /REGISTER operator1 \(extension 1001\) from 127\.0\.0\.1:\d+ over tls/);
  assert.match(pbx.log(), /REGISTER operator2 \(extension 1002\) from 127\.0\.0\.1:\d+ over tls/);
  for (const extension of ['1001', '1002']) {
    const contacts = await pbx.contacts(extension);
    assert.equal(contacts.length, 1, `contacts of ${extension}: ${contacts}`);
    // Its TLS listener, not the UDP port with ";transport=tls" appended: the PBX calls the line there.
    assert.match(contacts[0], new RegExp(`^<?sip:operator[12]@127\\.0\\.0\\.1:${tlsPort};transport=tls`, 'i'));
  }

  const log = service.log();
  assert.match(log, new RegExp(`sips:127\\.0\\.0\\.1:${tlsPort} \\(TLS, PBX certificate verified\\)`));
  const keyBody = readFileSync(certs.service.key, 'utf8').split('\n')[1];
  assert.ok(!log.includes(keyBody), 'a line of the private key is in the service log');
  assert.ok(!log.includes('PRIVATE KEY'), 'the service log mentions a PEM private key');
  // The private copy Sofia read the certificate from is gone once the stack listens.
  assert.deepEqual(readdirSync(tmp), []);
}, { timeoutMs: 60000 });

labTest('TLS: a PBX whose certificate another CA signed is refused when SIP_TLS_CA is set, and accepted without it', async (lab) => {
  const ours = makeCertificates(lab, 'Our CA', ['service']);
  const theirs = makeCertificates(lab, 'Unknown CA', ['pbx']);
  const pbx = await lab.kamailio({ users: [users[0]], tls: theirs.pbx });

  const strict = await tlsService(lab, pbx, { ...ours.service, ca: ours.ca, env: { SIP_USERS: 'operator1:pass-one:1001:Operator One' } });
  // Sofia drops a connection whose certificate fails without failing the REGISTER on it: the line learns
  // of it from the PBX probe (SIP_PBX_PROBE_INTERVAL), as of a silent PBX, and the detail says what to check.
  const refused = await until(
    async () => (await strict.service.api('GET', '/api/settings/users')).body?.users?.[0],
    (line) => line && line.detail !== 'waiting to register' && !/registering/.test(line.detail),
    10000,
    'the line to fail',
  );
  assert.equal(refused.registered, false, JSON.stringify(refused));
  assert.match(refused.detail, /^the PBX at 127\.0\.0\.1:\d+ over TLS does not answer \(.*; is its certificate signed by SIP_TLS_CA\?\)$/, JSON.stringify(refused));
  assert.match(strict.service.log(), /err 20:unable to get local issuer certificate/);
  assert.equal((await pbx.contacts('1001')).length, 0, 'the PBX registered a line whose TLS should have failed');

  // The same PBX without SIP_TLS_CA: encrypted, not authenticated, and registered.
  const lax = await tlsService(lab, pbx, { ...ours.service, env: { SIP_USERS: 'operator1:pass-one:1001:Operator One' } });
  await healthBecomes(lax.service, (h) => h.registeredUsers === 1, 10000, 'the line registered without verification');
  assert.match(lax.service.log(), new RegExp(`sips:127\\.0\\.0\\.1:${lax.tlsPort} \\(TLS\\)`));
}, { timeoutMs: 90000 });

labTest('TLS: a phone registers to the service over TLS (SIP_TLS_LISTEN) and gets its calls there', async (lab) => {
  const certs = makeCertificates(lab, 'Lab CA', ['service', 'phone']);
  // On one host the service reaches the phone at its Contact (baresip's own TLS listener), so the phone
  // needs a certificate too; a phone elsewhere is reached over the connection it registered on.
  const phoneIdentity = join(certs.dir, 'phone-identity.pem');
  writeFileSync(phoneIdentity, readFileSync(certs.phone.certificate, 'utf8') + readFileSync(certs.phone.key, 'utf8'));
  const pbx = await lab.kamailio({ users });
  // Lines over UDP: the TLS listener for phones needs only the service's own certificate.
  const tlsPort = await freePort();
  const service = await startService(lab, {
    pbx,
    lines: users,
    env: { SIP_TLS_CERT: certs.service.certificate, SIP_TLS_KEY: certs.service.key, SIP_TLS_LISTEN: `127.0.0.1:${tlsPort}` },
  });
  await healthBecomes(service, (h) => h.registeredUsers === 2, 10000, 'both lines registered');
  const console = await service.console();

  const phone = await lab.phone({
    username: 'operator1',
    password: 'pass-one',
    registrar: `127.0.0.1:${tlsPort}`,
    transport: 'tls',
    tlsCafile: certs.ca,
    tlsCertificate: phoneIdentity,
    autoAnswer: true,
  });
  await eventually(console.events, 'line:state', (line) => line.extension === '1001' && line.deviceRegistered, 5000);
  assert.match(service.log(), /REGISTER for 1001 from 127\.0\.0\.1:\d+ answered 200/);
  assert.match(phone.log(), /\{0\/TLS\/v4\} 200 OK/, 'the phone registered over TLS');

  // A customer calls the line through the PBX: the INVITE reaches the phone over its TLS connection.
  const customer = await lab.sipp({ scenario: 'uac_invite', remote: pbx.address, service: 'operator1', durationMs: 1000 });
  const incoming = await phone.waitFor('CALL_ESTABLISHED', { timeoutMs: 10000 });
  assert.ok(incoming);
  assert.equal(await customer.result(), 0, customer.log());
  await phone.waitFor('CALL_CLOSED', { timeoutMs: 10000 });
  const answered = await eventually(console.events, 'call:ended', (call) => call.extension === '1001', 5000);
  assert.equal(answered.payload.endReason, 'completed');
}, { timeoutMs: 60000 });

// Start-up only: the service must refuse, naming the variable and the problem, without printing the key.
async function startupOutput(lab, env) {
  const pbxPort = await freePort();
  const service = lab.track('pjsip-service (refused)', new Service({ pbx: null, pbxPort, lines: users, env }));
  const process = await service.launch();
  const { code } = await process.exited;
  const output = process.output();
  service.process = null;
  return { code, output };
}

labTest('TLS: start-up refuses a missing file, a key of another certificate and a file without a certificate, naming the variable', async (lab) => {
  const certs = makeCertificates(lab, 'Lab CA', ['service', 'other']);
  const tlsPort = await freePort();
  const base = { SIP_TLS_CERT: certs.service.certificate, SIP_TLS_KEY: certs.service.key, SIP_TLS_LISTEN: `127.0.0.1:${tlsPort}` };

  const missing = await startupOutput(lab, { ...base, SIP_TLS_CERT: join(certs.dir, 'nowhere.pem') });
  assert.notEqual(missing.code, 0);
  assert.match(missing.output, /SIP_TLS_CERT="[^"]*nowhere\.pem" is invalid: expected an existing file \(not found\)/);

  const alone = await startupOutput(lab, { SIP_TLS_CERT: certs.service.certificate });
  assert.notEqual(alone.code, 0);
  assert.match(alone.output, /SIP_TLS_KEY="" is invalid: expected the private key of SIP_TLS_CERT/);

  const mismatch = await startupOutput(lab, { ...base, SIP_TLS_KEY: certs.other.key });
  assert.notEqual(mismatch.code, 0);
  assert.match(mismatch.output, /SIP_TLS_KEY \([^)]*other\.key\): this private key does not belong to the certificate in SIP_TLS_CERT/);
  const keyBody = readFileSync(certs.other.key, 'utf8').split('\n')[1];
  assert.ok(!mismatch.output.includes(keyBody), 'the refused key is printed');

  const notPem = await startupOutput(lab, { ...base, SIP_TLS_CERT: certs.service.key, SIP_TLS_KEY: certs.service.key });
  assert.notEqual(notPem.code, 0);
  assert.match(notPem.output, /SIP_TLS_CERT \([^)]*service\.key\): no PEM certificate in it/);
}, { timeoutMs: 60000 });

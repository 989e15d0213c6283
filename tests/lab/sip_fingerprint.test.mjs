// What the service's SIP says about itself: by default no User-Agent (and no Server) header in the requests
// it sends the PBX nor in its answers to a scanner, so the product cannot be told from the outside;
// SIP_USER_AGENT puts a name of the admin's choice there. The "PBX" here is a UDP socket of the test that
// records what reaches it, so every header the service sends is seen as sent.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { labTest, optionsRequest, sendUdp } from './lib/lab.mjs';
import { startService, until } from './lib/service.mjs';

const users = [{ username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' }];

async function recordingPbx(lab) {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const received = [];
  socket.on('message', (message) => received.push(message.toString()));
  lab.track('recording PBX', { stop: async () => socket.close(), log: () => received.join('\n') });
  return { port: socket.address().port, received };
}

const header = (message, name) => message.split('\r\n').find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`));

async function whatTheServiceSays(lab, env) {
  const pbx = await recordingPbx(lab);
  const service = await startService(lab, { pbxPort: pbx.port, lines: users, env });
  const register = await until(async () => pbx.received.find((m) => m.startsWith('REGISTER ')), Boolean, 5000, 'a REGISTER at the PBX');
  const probe = await until(async () => pbx.received.find((m) => m.startsWith('OPTIONS ')), Boolean, 5000, 'an OPTIONS at the PBX');
  const answer = await sendUdp('127.0.0.1', service.sipPort, optionsRequest('127.0.0.1', service.sipPort), 2000, (text) => /^SIP\/2\.0 [2-6]/.test(text));
  assert.ok(answer, 'the service answers OPTIONS');
  return { register, probe, answer };
}

labTest('by default the service names no product in its SIP: no User-Agent or Server header, sent or answered', async (lab) => {
  const { register, probe, answer } = await whatTheServiceSays(lab, {});
  for (const [what, message] of [['REGISTER', register], ['OPTIONS to the PBX', probe], ['answer to OPTIONS', answer]]) {
    assert.equal(header(message, 'User-Agent'), undefined, `${what}:\n${message}`);
    assert.equal(header(message, 'Server'), undefined, `${what}:\n${message}`);
    assert.doesNotMatch(message, /sofia-sip|pjsip-service/i, `${what} names the product:\n${message}`);
  }
});

labTest('SIP_USER_AGENT names the service as the admin chose, in requests and answers', async (lab) => {
  const { register, answer } = await whatTheServiceSays(lab, { SIP_USER_AGENT: 'Centre gateway/2' });
  assert.equal(header(register, 'User-Agent'), 'User-Agent: Centre gateway/2');
  assert.equal(header(answer, 'User-Agent'), 'User-Agent: Centre gateway/2');
});

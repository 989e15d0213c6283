// GET /api/calls/:callId/recording against the simulated service: the simulator plays the recording's
// conversion (a file written where the service keeps recordings, or a failure with its reason), and the API
// serves it with one byte range under the call's rights, or says why there is nothing to serve.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import { startService, test } from './lib/harness.mjs';
import { connectWithSnapshot } from './lib/socket_helpers.mjs';

// Stand-in bytes: the API serves a recording's file as it is, whatever is in it.
const audio = Buffer.from(Array.from({ length: 5000 }, (_, index) => index % 251));

describe('call recordings', () => {
  let service;
  let anna;
  let boris;

  before(async () => {
    service = await startService();
    anna = await service.createToken('operator', '1001', 'Anna');
    boris = await service.createToken('operator', '1002', 'Boris');
  });
  after(async () => service?.stop());

  async function recordedCall(extension, from) {
    const call = (await service.simulate('/inbound', { from, extension })).call;
    await service.simulate(`/calls/${call.id}/recording-started`);
    await service.simulate(`/calls/${call.id}/answered`);
    const ended = (await service.simulate(`/calls/${call.id}/ended`, { reason: 'completed' })).call;
    assert.equal(ended.recording.status, 'processing');
    return ended;
  }

  async function fetchRecording(id, token, headers = {}) {
    const response = await fetch(`${service.baseUrl}/api/calls/${id}/recording`, {
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    });
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body, json: () => JSON.parse(body.toString()) };
  }

  test('a ready recording is served whole and by range to the call\'s operator, and refused to another', async () => {
    const call = await recordedCall('1001', '+79995550001');
    const made = (await service.simulate(`/calls/${call.id}/recording`, { status: 'ready', durationSeconds: 12.5, audioBase64: audio.toString('base64') })).call;
    assert.deepEqual(made.recording, { status: 'ready', url: `/api/calls/${call.id}/recording`, durationSeconds: 12.5, bytes: audio.length, reason: null, instance: null });
    const logged = await service.api('GET', `/api/calls/logs/phone/${encodeURIComponent('+79995550001')}`);
    assert.deepEqual(logged.body.calls[0].recording, made.recording);

    const whole = await fetchRecording(call.id, anna);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-type'), 'audio/ogg');
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    assert.deepEqual(whole.body, audio);

    const middle = await fetchRecording(call.id, anna, { Range: 'bytes=1000-1999' });
    assert.equal(middle.status, 206);
    assert.equal(middle.headers.get('content-range'), `bytes 1000-1999/${audio.length}`);
    assert.deepEqual(middle.body, audio.subarray(1000, 2000));
    const tail = await fetchRecording(call.id, undefined, { Range: 'bytes=-10' });
    assert.equal(tail.status, 401);
    const last = await fetchRecording(call.id, service.adminToken, { Range: 'bytes=-10' });
    assert.equal(last.status, 206);
    assert.deepEqual(last.body, audio.subarray(audio.length - 10));
    const beyond = await fetchRecording(call.id, anna, { Range: `bytes=${audio.length}-` });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${audio.length}`);
    const several = await fetchRecording(call.id, anna, { Range: 'bytes=0-1,5-6' });
    assert.equal(several.status, 200, 'several ranges: the whole file');
    assert.equal(several.body.length, audio.length);

    const refused = await fetchRecording(call.id, boris);
    assert.equal(refused.status, 403);
    assert.match(refused.json().error, /1002/);
  });

  test('a recording not made yet, failed, or never made says why; an unknown call is 404', async () => {
    const processing = await recordedCall('1001', '+79995550002');
    const early = await fetchRecording(processing.id, anna);
    assert.equal(early.status, 409);
    assert.equal(early.json().code, 'RECORDING_NOT_READY');

    const failed = await recordedCall('1001', '+79995550003');
    const marked = (await service.simulate(`/calls/${failed.id}/recording`, { status: 'failed', reason: 'the capture holds no G.711 audio of either side' })).call;
    assert.equal(marked.recording.status, 'failed');
    assert.equal(marked.recording.url, null);
    const why = await fetchRecording(failed.id, anna);
    assert.equal(why.status, 404);
    assert.equal(why.json().code, 'RECORDING_FAILED');
    assert.match(why.json().error, /no G\.711 audio/);

    const plain = (await service.simulate('/inbound', { from: '+79995550004', extension: '1001' })).call;
    await service.simulate(`/calls/${plain.id}/answered`);
    const unrecorded = (await service.simulate(`/calls/${plain.id}/ended`, { reason: 'completed' })).call;
    assert.equal(unrecorded.recording, null);
    const none = await fetchRecording(plain.id, anna);
    assert.equal(none.status, 404);
    assert.equal(none.json().code, 'RECORDING_NOT_FOUND');

    const missed = (await service.simulate('/inbound', { from: '+79995550005', extension: '1001' })).call;
    await service.simulate(`/calls/${missed.id}/recording-started`);
    const unanswered = (await service.simulate(`/calls/${missed.id}/ended`, { reason: 'missed' })).call;
    assert.equal(unanswered.recording, null, 'a call nobody answered keeps no recording');

    assert.equal((await fetchRecording('6f1c7a52-6a9e-4d0e-9d7f-0b7b1b0f4a99', anna)).status, 404);
    const odd = await fetchRecording('not-a-call-id', service.adminToken);
    assert.equal(odd.status, 404);
    assert.equal(odd.json().code, 'CALL_NOT_FOUND');
    const traversal = await fetchRecording('..%2F..%2Fetc%2Fpasswd', service.adminToken);
    assert.equal(traversal.status, 404, 'no file outside the recordings is ever served');
    assert.ok(traversal.json().code.endsWith('NOT_FOUND'));
  });

  test('a recording\'s file is announced on the stream once it is made', async () => {
    const { socket } = await connectWithSnapshot(service.baseUrl, { auth: { token: anna } });
    try {
      const call = await recordedCall('1001', '+79995550006');
      // The call's earlier updates (recording started, answered) may still be on their way: the one awaited is
      // the update that carries the file.
      const announced = new Promise((resolve) =>
        socket.on('call:updated', (updated) => updated.id === call.id && updated.recording?.status === 'ready' && resolve(updated)));
      await service.simulate(`/calls/${call.id}/recording`, { status: 'ready', durationSeconds: 3, audioBase64: audio.toString('base64') });
      const updated = await announced;
      assert.equal(updated.recording.url, `/api/calls/${call.id}/recording`);
      assert.equal(updated.status, 'ended');
    } finally {
      socket.disconnect(); // an open socket would keep the test process alive past a failure
    }
  });

  test('recording on request: a wrong action is 400, and with RECORDING=off the answer says so', async () => {
    const call = (await service.simulate('/inbound', { from: '+79995550007', extension: '1001' })).call;
    const wrong = await service.api('POST', `/api/calls/${call.id}/recording`, { action: 'pause' }, anna);
    assert.equal(wrong.status, 400, wrong.text);
    assert.match(wrong.body.error, /^action/);
    const off = await service.api('POST', `/api/calls/${call.id}/recording`, { action: 'start' }, anna);
    assert.equal(off.status, 409, off.text);
    assert.equal(off.body.code, 'RECORDING_OFF');
    await service.simulate(`/calls/${call.id}/ended`, { reason: 'missed' });
  });
});

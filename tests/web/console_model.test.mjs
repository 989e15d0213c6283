// The console's logic that needs no browser: the active-calls model the page draws from, the operators'
// states on the supervisor's board, and how numbers and durations are written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { operatorState } from '../../web/console/board.js';
import { ActiveCalls } from '../../web/console/calls.js';
import { audioLines, audioProblem, recordingState } from '../../web/console/labels.js';
import { formatPhone, looksLikePhone } from '../../web/shared/phone.js';
import { formatDuration } from '../../web/shared/time.js';

const call = (id, fields = {}) => ({ id, extension: '1001', status: 'ringing', direction: 'inbound', startTime: '2026-01-01T10:00:00.000Z', ...fields });
const own = (call) => call.extension === '1001';

test('an ended call never comes back, neither by a late event nor by a list read before it ended', () => {
  const calls = new ActiveCalls(own);
  calls.apply('call:new', call('a'));
  calls.apply('call:ended', call('a', { status: 'ended', endReason: 'missed' }));
  calls.apply('call:updated', call('a', { customer: { id: 'c', name: 'late' } }));
  calls.replace([call('a'), call('b')]);
  assert.deepEqual(calls.list().map((item) => item.id), ['b']);
});

test('a fresh list replaces everything: calls that ended while offline are dropped', () => {
  const calls = new ActiveCalls(own);
  calls.apply('call:new', call('a'));
  calls.apply('call:answered', call('a', { status: 'answered' }));
  calls.replace([]);
  assert.deepEqual(calls.list(), []);
});

test('an operator loses a call transferred to another extension, and never sees other extensions\' calls', () => {
  const calls = new ActiveCalls(own);
  const seen = [];
  calls.subscribe((change) => seen.push(change.gone));
  calls.apply('call:new', call('a', { status: 'answered' }));
  calls.apply('call:new', call('a', { status: 'answered', extension: '1002' }));
  calls.apply('call:new', call('b', { extension: '1003' }));
  assert.deepEqual(calls.list(), []);
  assert.deepEqual(seen, [false, true, true]);
});

test('the board: a call outranks the line; no line or no phone is "line down"', () => {
  const line = { extension: '1001', registered: true, deviceRegistered: true };
  assert.equal(operatorState(line, []), 'idle');
  assert.equal(operatorState({ ...line, registered: false }, []), 'down');
  assert.equal(operatorState({ ...line, deviceRegistered: false }, []), 'down');
  assert.equal(operatorState(line, [call('a')]), 'ringing');
  assert.equal(operatorState(line, [call('a', { status: 'held' })]), 'held');
  assert.equal(operatorState(line, [call('a', { status: 'held' }), call('b', { status: 'answered' })]), 'talking');
  assert.equal(operatorState(line, [call('a', { extension: '1002' })]), 'idle');
});

test('numbers and durations as the pages write them', () => {
  assert.equal(formatPhone('+79991234567'), '+7 (999) 123-45-67');
  assert.equal(formatPhone('+441234567890'), '+441234567890');
  assert.equal(formatPhone('1001'), '1001');
  assert.equal(formatPhone(null), '');
  assert.ok(looksLikePhone('8 (999) 123-45-67'));
  assert.ok(looksLikePhone('+7 999 123-45-67'));
  assert.ok(!looksLikePhone('позвонить'));
  assert.ok(!looksLikePhone('1'));
  assert.equal(formatDuration(0), '0:00');
  assert.equal(formatDuration(65), '1:05');
  assert.equal(formatDuration(3725), '1:02:05');
});

test('a call\'s audio problem in words: who was not heard, from the media report', () => {
  const media = (customer, operator, flags = {}) => ({
    media: { customerToOperator: { packets: customer, lost: null, jitterMs: null }, operatorToCustomer: { packets: operator, lost: 2, jitterMs: 5 }, oneWay: false, noAudio: false, ...flags },
  });
  assert.equal(audioProblem(call('a', media(0, 900, { oneWay: true }))), 'оператор не слышал клиента');
  assert.equal(audioProblem(call('a', media(900, 0, { oneWay: true }))), 'клиент не слышал оператора');
  assert.equal(audioProblem(call('a', media(0, 0, { noAudio: true }))), 'нет звука в обе стороны');
  assert.equal(audioProblem(call('a', media(900, 900))), '');
  assert.equal(audioProblem(call('a')), '', 'no report: the service did not carry the audio');
  assert.deepEqual(audioLines(call('a', media(0, 900, { oneWay: true }))), [
    'клиент → оператор: 0 пакетов',
    'оператор → клиент: 900 пакетов, потеряно 2, джиттер 5 мс',
  ]);
});

test('a call\'s recording in words until its file is ready, and why it failed', () => {
  assert.equal(recordingState({}), '');
  assert.equal(recordingState({ recording: { status: 'recording' } }), 'идёт запись');
  assert.equal(recordingState({ recording: { status: 'paused' } }), 'запись остановлена');
  assert.equal(recordingState({ recording: { status: 'processing' } }), 'запись готовится');
  assert.equal(recordingState({ recording: { status: 'failed', reason: 'rtpengine wrote no capture for the call' } }),
    'запись не удалась: rtpengine wrote no capture for the call');
  assert.equal(recordingState({ recording: { status: 'ready', url: '/api/calls/x/recording' } }), '', 'the player says it');
});

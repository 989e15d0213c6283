// The queues' configuration over the API: an admin puts a queue on one of the service's lines with operators'
// lines as members; every field is checked and a refusal names it; the lines must exist and a line cannot be
// both a queue's line and a member; the queues are kept over a restart and every role may read them.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startService, test } from './lib/harness.mjs';

let service;
let anna;

const delivery = {
  name: 'Доставка',
  strategy: 'round-robin',
  members: [{ extension: '1001', tier: 1 }, { extension: '1002' }, { extension: '1003', tier: 2 }],
  ringSeconds: 20,
  maxWaitSeconds: 120,
  overflowNumber: '8 (999) 000-00-09',
};

before(async () => {
  service = await startService();
  anna = await service.createToken('operator', '1001');
  const line = await service.api('POST', '/api/settings/users', { extension: '2000', username: 'queue-delivery', password: 'queue-secret', displayName: 'Очередь доставки' });
  assert.equal(line.status, 201, line.text);
});

after(async () => {
  await service?.stop();
});

test('an admin puts a queue on a line; every role reads it; it is kept over a restart', async () => {
  const put = await service.api('PUT', '/api/queues/2000', delivery);
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.body.queue, {
    extension: '2000',
    name: 'Доставка',
    strategy: 'round-robin',
    members: [{ extension: '1001', tier: 1 }, { extension: '1002', tier: 1 }, { extension: '1003', tier: 2 }],
    ringSeconds: 20,
    maxWaitSeconds: 120,
    overflowNumber: '+79990000009',
  });
  const read = await service.api('GET', '/api/queues', undefined, anna);
  assert.equal(read.status, 200, read.text);
  assert.deepEqual(read.body.queues, [{ ...put.body.queue, waiting: [] }], 'with nobody waiting');
  const byOperator = await service.api('PUT', '/api/queues/2000', delivery, anna);
  assert.equal(byOperator.status, 403);

  await service.restart();
  const kept = await service.api('GET', '/api/queues');
  assert.deepEqual(kept.body.queues, [{ ...put.body.queue, waiting: [] }]);

  const changed = await service.api('PUT', '/api/queues/2000', { name: 'Доставка', strategy: 'ringall', members: [{ extension: '1002' }] });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.body.queue.ringSeconds, 15, 'defaults for what is left out');
  assert.equal(changed.body.queue.maxWaitSeconds, 300);
  assert.equal(changed.body.queue.overflowNumber, null);
  assert.equal((await service.api('GET', '/api/queues')).body.queues.length, 1, 'replaced, not added');
});

test('a queue that does not fit is refused with the field named', async () => {
  const refusals = [
    [{ ...delivery, strategy: 'random' }, /strategy must be ringall, round-robin, longest-idle or fewest-calls/],
    [{ ...delivery, name: '' }, /name must be text of 1 to 64 bytes/],
    [{ ...delivery, members: [] }, /members must be a list of 1 to 100 members/],
    [{ ...delivery, members: [{ extension: '1001' }, { extension: '1001' }] }, /member 1001 is listed twice/],
    [{ ...delivery, members: [{ extension: '1001', tier: 10 }] }, /member 1001: tier must be a whole number from 1 to 9/],
    [{ ...delivery, ringSeconds: 2 }, /ringSeconds must be a whole number from 5 to 120/],
    [{ ...delivery, maxWaitSeconds: 'long' }, /maxWaitSeconds must be a whole number from 10 to 3600/],
    [{ ...delivery, overflowNumber: 'soon' }, /overflowNumber must be a phone number/],
    [{ ...delivery, members: [{ extension: '1009' }] }, /member 1009 is not one of the service's lines/],
    [{ ...delivery, members: [{ extension: '2000' }] }, /the queue's own line 2000 cannot be its member/],
  ];
  for (const [body, message] of refusals) {
    const answer = await service.api('PUT', '/api/queues/2000', body);
    assert.equal(answer.status, 400, `${JSON.stringify(body)}: ${answer.text}`);
    assert.equal(answer.body.code, 'VALIDATION_FAILED');
    assert.match(answer.body.error, message);
  }
  const notALine = await service.api('PUT', '/api/queues/2999', delivery);
  assert.equal(notALine.status, 400);
  assert.match(notALine.body.error, /extension 2999 must be one of the service's lines/);
  // A member's line cannot carry a queue of its own while it is a member elsewhere.
  await service.api('PUT', '/api/queues/2000', delivery);
  const memberAsQueue = await service.api('PUT', '/api/queues/1002', { ...delivery, members: [{ extension: '1003' }] });
  assert.equal(memberAsQueue.status, 400);
  assert.match(memberAsQueue.body.error, /line 1002 is a member of queue "Доставка"/);
});

test('a line a queue uses cannot be deleted; a queue removed is gone; removing it again is 404', async () => {
  await service.api('PUT', '/api/queues/2000', delivery);
  const queueLine = await service.api('DELETE', '/api/settings/users/2000');
  assert.equal(queueLine.status, 400, queueLine.text);
  assert.match(queueLine.body.error, /extension 2000 is the line of queue "Доставка"; change the queue first/);
  const member = await service.api('DELETE', '/api/settings/users/1003');
  assert.equal(member.status, 400, member.text);
  assert.match(member.body.error, /extension 1003 is a member of queue "Доставка"/);
  const removed = await service.api('DELETE', '/api/queues/2000');
  assert.equal(removed.status, 200, removed.text);
  assert.deepEqual((await service.api('GET', '/api/queues')).body.queues, []);
  const again = await service.api('DELETE', '/api/queues/2000');
  assert.equal(again.status, 404);
  assert.match(again.body.error, /no queue on line 2000/);
});

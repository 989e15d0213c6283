// A console behind a load balancer links a customer, an order and a note through instance two to a call that
// rings at instance one: each link is carried out by the owner (instance one), announced once to the clients
// of every instance, leaves the call's owner as it was, and is logged once. With a SQLite file per instance
// (only the owner's log has the call) and with one shared PostgreSQL.
import assert from 'node:assert/strict';
import { labTest } from './lib/lab.mjs';
import { eventually, until } from './lib/service.mjs';
import { cluster, customerNumber, customerPhone, loggedOnce, ownerInRedis } from './lib/cluster.mjs';

// Each link as the CRM sends it to instance two, and how the call shows it.
const links = [
  {
    path: 'customer',
    body: { customerId: 'c-42', customerName: 'Иван Петров', customerPhone: '8 (999) 123-45-67' },
    shown: (call) => call.customer?.id === 'c-42' && call.customer.name === 'Иван Петров' && call.customer.phone === customerNumber,
  },
  { path: 'order', body: { orderId: 'ORD-7' }, shown: (call) => call.orders.some((order) => order.orderId === 'ORD-7') },
  { path: 'notes', body: { note: 'перезвонить завтра в 10:00' }, shown: (call) => call.notes.some((note) => note.text === 'перезвонить завтра в 10:00') },
];
const everyLink = (call) => links.every(({ shown }) => shown(call));

async function activeCall(service, id) {
  const active = await service.api('GET', '/api/calls/active');
  assert.equal(active.status, 200, active.text);
  return active.body.calls.find((call) => call.id === id);
}

for (const storage of ['sqlite', 'postgres']) {
  labTest(`cluster links (${storage}): a customer, an order and a note linked through instance two reach the call at instance one, once`, async (lab) => {
    const centre = await cluster(lab, { storage });
    const [one, two] = centre.instances;
    const [phone] = centre.phones;
    const customer = await customerPhone(lab);

    await customer.dial(`sip:1001@127.0.0.1:${centre.pbx.port}`);
    await phone.waitFor('CALL_INCOMING');
    const created = await eventually(centre.consoles[1].events, 'call:new', (call) => call.extension === '1001', 5000);
    const { id } = created.payload;
    await eventually(centre.consoles[0].events, 'call:new', (call) => call.id === id, 5000);
    assert.equal(await ownerInRedis(centre.redis, id), 'ff-1');

    for (const { path, body, shown } of links) {
      const since = Date.now();
      const linked = await two.api('POST', `/api/calls/${id}/${path}`, body);
      assert.equal(linked.status, 200, `${path} through instance two: ${linked.text}`);
      assert.equal(linked.body.success, true);
      assert.equal(linked.body.call.id, id);
      assert.equal(linked.body.call.status, 'ringing', `the live call, not a stored copy: ${linked.text}`);
      assert.ok(shown(linked.body.call), `${path} in the answer: ${linked.text}`);
      for (const { events } of centre.consoles) await eventually(events, 'call:updated', (call) => call.id === id && shown(call), 5000, since);
    }

    // The call is still instance one's, everywhere; both instances list it with everything linked.
    assert.equal(await ownerInRedis(centre.redis, id), 'ff-1', 'Redis still names instance one as the owner');
    for (const service of centre.instances) {
      const listed = await activeCall(service, id);
      assert.ok(listed, `the call listed by ${service.baseUrl}`);
      assert.ok(everyLink(listed), `everything linked, as listed by ${service.baseUrl}: ${JSON.stringify(listed)}`);
    }
    const late = await two.console(); // a client connecting now gets the linked call in its snapshot
    assert.ok(everyLink(late.snapshot.calls.find((call) => call.id === id)), JSON.stringify(late.snapshot));

    // The caller gives up: the call ends at instance one, and every client hears of it.
    await customer.hangup();
    for (const { events } of centre.consoles) await eventually(events, 'call:ended', (call) => call.id === id, 5000);
    for (const service of centre.instances) await until(() => activeCall(service, id), (call) => call === undefined, 3000, `the call gone from ${service.baseUrl}`);

    // One call:updated per link on the clients of each instance: the owner announced each change once.
    for (const [index, { events }] of centre.consoles.entries()) {
      const updates = events.filter((event) => event.name === 'call:updated' && event.payload.id === id);
      assert.equal(updates.length, links.length, `call:updated on instance ${index + 1}'s console: ${JSON.stringify(updates)}`);
    }

    // Each link once in the log: the owner's, and with PostgreSQL the one both instances read.
    const logs = storage === 'postgres' ? centre.instances : [one];
    for (const service of logs) {
      const row = await loggedOnce(service, id, (call) => call.status === 'ended', `call ${id} ended in the log of ${service.baseUrl}`);
      assert.equal(row.customer?.id, 'c-42', JSON.stringify(row));
      assert.deepEqual(row.orders.map((order) => order.orderId), ['ORD-7'], JSON.stringify(row));
      assert.deepEqual(row.notes.map((note) => note.text), ['перезвонить завтра в 10:00'], JSON.stringify(row));
    }
  }, { timeoutMs: 90000 });
}

// Which of the centre's numbers the customer dialled, and what they chose in the PBX's IVR: SIPp callers
// through Kamailio carry P-Called-Party-ID, Diversion, History-Info and an IVR header; the call (call:new),
// its name from DIALLED_NAMES, the log, and the history and statistics filtered by the dialled number.
import assert from 'node:assert/strict';
import { labTest } from './lib/lab.mjs';
import { callCentre, callWithHeaders } from './lib/call_centre.mjs';
import { adminToken, until } from './lib/service.mjs';

const env = {
  DIALLED_NAMES: '+74951234567=Пицца на Ленина; 8 (495) 765-43-21 = Суши Мастер',
  IVR_HEADER: 'X-IVR-Choice',
};

async function get(service, path) {
  const response = await fetch(`${service.baseUrl}${path}`, { headers: { Authorization: `Bearer ${adminToken}` } });
  return { status: response.status, body: await response.json() };
}

labTest('the dialled number comes from P-Called-Party-ID, Diversion or History-Info with its name, the IVR choice from IVR_HEADER; the history and the statistics filter on it', async (lab) => {
  const centre = await callCentre(lab, { env });
  const called = await callWithHeaders(lab, centre, ['P-Called-Party-ID: <sip:+74951234567@pbx.lab>', 'X-IVR-Choice: 2']);
  assert.equal(called.dialledNumber, '+74951234567');
  assert.equal(called.dialledName, 'Пицца на Ленина');
  assert.equal(called.ivrChoice, '2');
  const diverted = await callWithHeaders(lab, centre, ['Diversion: <sip:84957654321@pbx.lab>;reason=unconditional']);
  assert.equal(diverted.dialledNumber, '+74957654321', 'as the log keeps numbers: E.164');
  assert.equal(diverted.dialledName, 'Суши Мастер', 'DIALLED_NAMES in any written form names it');
  assert.equal(diverted.ivrChoice, null);
  const history = await callWithHeaders(lab, centre, ['History-Info: <sip:+74950000001@pbx.lab>;index=1, <sip:1001@pbx.lab>;index=1.1']);
  assert.equal(history.dialledNumber, '+74950000001');
  assert.equal(history.dialledName, null);
  const plain = await callWithHeaders(lab, centre, []);
  assert.equal(plain.dialledNumber, null, 'the line the PBX routed to is no dialled number');

  const { service } = centre;
  const logged = await until(() => get(service, '/api/calls/logs?dialled=%2B74951234567'),
    (answer) => answer.body.calls?.length === 1, 5000, 'the call to the pizza number in the log');
  assert.equal(logged.body.calls[0].id, called.id);
  assert.equal(logged.body.calls[0].dialledName, 'Пицца на Ленина');
  assert.equal(logged.body.calls[0].ivrChoice, '2');
  const sushi = await get(service, `/api/calls/logs?dialled=${encodeURIComponent('8 495 765-43-21')}`);
  assert.deepEqual(sushi.body.calls.map((call) => call.id), [diverted.id]);
  const day = new Date().toISOString().slice(0, 10);
  const stats = await get(service, `/api/calls/stats/1001?from=${day}&to=${day}&dialled=%2B74951234567`);
  assert.equal(stats.status, 200, JSON.stringify(stats.body));
  assert.equal(stats.body.stats.totalCalls, 1);
  assert.equal(stats.body.stats.dialledNumber, '+74951234567');
  const all = await get(service, `/api/calls/stats/1001?from=${day}&to=${day}`);
  assert.equal(all.body.stats.totalCalls, 4);
  const refused = await get(service, '/api/calls/logs?dialled=pizza');
  assert.equal(refused.status, 400);
  assert.match(refused.body.error, /^dialled must be one of the centre's phone numbers/);
});

labTest('DIALLED_NUMBER_ORDER=diversion reads Diversion before P-Called-Party-ID', async (lab) => {
  const centre = await callCentre(lab, { env: { ...env, DIALLED_NUMBER_ORDER: 'diversion,pcpid' } });
  const call = await callWithHeaders(lab, centre, ['P-Called-Party-ID: <sip:+74951234567@pbx.lab>', 'Diversion: <sip:+74957654321@pbx.lab>']);
  assert.equal(call.dialledNumber, '+74957654321');
});

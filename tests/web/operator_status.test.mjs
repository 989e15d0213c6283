// The operator's status in the console: the header offers "Доступен" and a pause for each PAUSE_REASONS
// reason; the choice reaches the supervisor's board live with its reason and a running duration, and the
// operator's line is then busy (486, tests/lab/operator_states.test.mjs proves the SIP side).
import assert from 'node:assert/strict';
import { labTest } from '../lab/lib/lab.mjs';
import { startBrowser } from './lib/browser.mjs';
import { callCentre, operatorPhone, token } from './lib/call_centre.mjs';

const uiTimeoutMs = 5000;

labTest('an operator pauses for lunch from the header; the supervisor\'s board shows it live, then available again', async (lab) => {
  const centre = await callCentre(lab);
  const { service } = centre;
  await operatorPhone(lab, centre, 0);
  const browser = await startBrowser(lab);
  const anna = await browser.open(service, '/', { token: await token(service, 'operator', '1001', 'Анна Смирнова') });
  const lead = await browser.open(service, '/', { token: await token(service, 'supervisor', null, 'Старший смены') });
  await lead.click('[role=tab][data-tab=board]', { timeout: uiTimeoutMs });
  const annaOnBoard = '#board .operator[data-extension="1001"] .operator-state';
  await lead.waitForSelector(`${annaOnBoard}[data-operator-state=available]`, { timeout: uiTimeoutMs });
  assert.equal(await anna.isVisible('#my-status'), true);
  assert.equal(await lead.isVisible('#my-status'), false, 'a supervisor without an extension has no status of its own');

  await anna.selectOption('#my-status-choice', 'paused:обед', { timeout: uiTimeoutMs });
  await lead.waitForSelector(`${annaOnBoard}[data-operator-state=paused]`, { timeout: uiTimeoutMs });
  assert.match(await lead.textContent(annaOnBoard), /Пауза: обед · \d+:\d\d/);
  await anna.waitForSelector('body[data-my-state=paused]', { timeout: uiTimeoutMs });
  assert.match(await anna.textContent('#my-status-state'), /Пауза: обед/);
  const listed = await service.api('GET', '/api/operators');
  assert.equal(listed.body.operators.find((one) => one.extension === '1001').reason, 'обед');

  await anna.selectOption('#my-status-choice', 'available');
  await lead.waitForSelector(`${annaOnBoard}[data-operator-state=available]`, { timeout: uiTimeoutMs });
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 60000 });

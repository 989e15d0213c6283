// The operator console: log in with a token, then follow the service's stream (calls, lines) and keep
// every part of the page in step with it. Reconnects by itself; while offline a banner says so, and the
// calls are re-read as soon as the stream is back.
import { ApiClient } from '../shared/api.js';
import { element } from '../shared/dom.js';
import { forgetToken, storedToken, storeToken } from '../shared/session.js';
import { connectStream } from '../shared/stream.js';
import { mountActiveCalls } from './active_calls.js';
import { mountBoard } from './board.js';
import { mountBrowserPhone } from './browser_phone.js';
import { ActiveCalls, Lines } from './calls.js';
import { Callbacks, mountCallbacks } from './callbacks.js';
import { mountDialer } from './dialer.js';
import { mountHistory } from './history.js';
import { mountPopup } from './popup.js';
import { mountMyStatus, OperatorStates } from './operator_status.js';
import { mountQueues, Queues } from './queues.js';
import { mountStats } from './stats.js';

const roleLabels = { operator: 'оператор', supervisor: 'старший смены', admin: 'администратор' };
const retryMs = 2000;

const byId = (id) => document.getElementById(id);

function showLogin(message = '') {
  byId('app').hidden = true;
  byId('login').hidden = false;
  byId('login-error').textContent = message;
  byId('login-token').focus();
}

function logout(message = '') {
  forgetToken();
  // A fresh page drops the stream and every timer; the login form tells why.
  window.sessionStorage.setItem('ff.loginMessage', message);
  window.location.reload();
}

const connectionListeners = [];

function setOffline(offline) {
  byId('offline-banner').hidden = !offline;
  // The stylesheet dims what may be out of date; the browser tests wait on it too.
  document.body.dataset.connection = offline ? 'offline' : 'online';
  for (const listener of connectionListeners) listener(offline);
}

// Who the token belongs to; waits out a service that is down rather than asking for the token again.
async function whoAmI(api) {
  for (;;) {
    try {
      return await api.get('/api/me');
    } catch (error) {
      if (error.status === 401) return null;
      if (error.status !== 0) throw error;
      setOffline(true);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}

function mountTabs(me) {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  if (me.role !== 'operator') byId('board-tab').hidden = false;
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      for (const other of tabs) {
        other.setAttribute('aria-selected', String(other === tab));
        byId(`tab-${other.dataset.tab}`).hidden = other !== tab;
      }
    });
  }
}

function mountHeader(me, lines) {
  byId('who-name').textContent = me.name || 'без имени';
  byId('who-role').textContent = `${roleLabels[me.role] ?? me.role}${me.extension ? `, доб. ${me.extension}` : ''}`;
  byId('logout').addEventListener('click', () => logout());
  if (me.role === 'admin') {
    byId('who-name').before(element('a', { href: '/admin/settings.html', className: 'link settings-link' }, 'Настройки АТС'), ' ');
  }
  const state = byId('sip-state');
  const show = () => {
    const registered = lines.list().filter((line) => line.registered).length;
    if (document.body.dataset.connection === 'offline') state.textContent = 'Состояние АТС неизвестно: нет связи с сервисом';
    else if (lines.connected) state.textContent = `АТС на связи · линий: ${registered} из ${lines.list().length}`;
    else state.textContent = 'АТС не на связи';
  };
  lines.subscribe(show);
  connectionListeners.push(show);
  show();
}

async function start(token) {
  const api = new ApiClient(token, { onUnauthorized: (why) => logout(`Токен не принят: ${why}`) });
  const me = await whoAmI(api);
  if (!me) {
    forgetToken();
    showLogin('Токен не принят: проверьте его или попросите новый у администратора');
    return;
  }
  byId('login').hidden = true;
  byId('app').hidden = false;

  // An operator's calls, and those a queue rings them for with others at once (ringall).
  const calls = new ActiveCalls((call) => !me.extension || call.extension === me.extension || (call.offeredTo ?? []).includes(me.extension));
  const lines = new Lines();
  const operators = new OperatorStates();
  const context = { api, me, calls, lines, operators, callbacks: new Callbacks(), queues: new Queues() };
  mountHeader(me, lines);
  mountMyStatus(context);
  mountTabs(me);
  mountActiveCalls(context);
  mountPopup(context);
  mountBoard(context);
  const history = mountHistory(context);
  const stats = mountStats(context);
  const callbacks = mountCallbacks(context);
  const queues = mountQueues(context);

  const reread = async () => {
    try {
      calls.replace((await api.get('/api/calls/active')).calls ?? []);
      operators.replace(await api.get('/api/operators'));
    } catch {
      // Offline again: the next connection re-reads.
    }
  };

  const socket = connectStream(token, {
    onOnline: () => {
      setOffline(false);
      reread();
      history.load();
      callbacks.load();
      queues.load();
    },
    onOffline: () => setOffline(true),
    onRefused: (why) => logout(`Токен не принят: ${why}`),
    onEvent: (name, payload) => {
      if (name === 'calls:snapshot') {
        lines.replace(payload.sip);
        calls.replace(payload.calls ?? []);
      } else if (name === 'sip:connected' || name === 'sip:disconnected') {
        lines.replace(payload);
      } else if (name === 'line:state') {
        lines.update(payload);
      } else if (name.startsWith('call:')) {
        calls.apply(name, payload);
      } else if (name === 'operator:state') {
        operators.update(payload);
      } else if (name.startsWith('callback:')) {
        context.callbacks.apply(name, payload);
      } else if (name === 'operator:reasons') {
        operators.setPauseReasons(payload.pauseReasons);
      } else if (name === 'queue:state') {
        context.queues.update(payload);
      }
    },
  });
  context.browserPhone = mountBrowserPhone(context, socket);
  mountDialer(context);
  history.load();
  stats.load();
  callbacks.load();
  queues.load();
}

byId('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = byId('login-token').value.trim();
  if (!token) return;
  storeToken(token);
  start(token).catch((error) => showLogin(error.message));
});

const token = storedToken();
if (token) {
  start(token).catch((error) => showLogin(error.message));
} else {
  showLogin(window.sessionStorage.getItem('ff.loginMessage') ?? '');
  window.sessionStorage.removeItem('ff.loginMessage');
}

// "Телефон в браузере": the console as one more phone of the operator's extension (README "Browser phone").
// The switch is remembered per browser; the microphone is opened first, so a page without one never takes a
// call it cannot carry. The device id is kept per tab, so that a reload takes the tab's call back.
import { element } from '../shared/dom.js';
import { formatPhone } from '../shared/phone.js';
import { notify } from './notice.js';
import { LegConnection, microphones, openMicrophone, ringTone, watchLevel } from './phone_media.js';

const switchKey = 'ff.browserPhone';
const deviceKey = 'ff.phoneDevice';
const ackTimeoutMs = 10000;
const keypadDigits = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

const byId = (id) => document.getElementById(id);

export function mountBrowserPhone(context, socket) {
  const card = byId('phone');
  if (!context.me.extension) return { deviceId: () => null }; // a phone belongs to an operator's extension
  card.hidden = false;
  const toggle = byId('phone-switch');
  const status = byId('phone-status');
  const controls = byId('phone-controls');
  const micChoice = byId('phone-mic');
  const level = byId('phone-level');
  const legList = byId('phone-legs');
  const audioElement = byId('phone-audio');

  const phone = {
    deviceId: null,
    iceServers: [],
    microphone: null,
    stopLevel: null,
    stopRing: null,
    legs: new Map(), // legId -> { callId, caller, state: 'ringing'|'connecting'|'talking', connection, muted }
  };
  // For the browser tests and for support: what the page's audio did.
  window.ffPhone = {
    state: () => ({ deviceId: phone.deviceId, legs: [...phone.legs].map(([id, leg]) => ({ id, state: leg.state, callId: leg.callId })) }),
    audioStats: async () => {
      const talking = [...phone.legs.values()].find((leg) => leg.connection);
      return talking ? talking.connection.audioStats() : null;
    },
  };

  const say = (text, { error = false } = {}) => {
    status.textContent = text;
    status.classList.toggle('field-error', error);
  };

  const emit = (name, payload) => new Promise((resolve) => {
    socket.timeout(ackTimeoutMs).emit(name, payload, (timeout, reply) => {
      resolve(timeout ? { success: false, error: 'сервис не ответил', code: 'TIMEOUT' } : reply);
    });
  });

  const ringing = () => [...phone.legs.values()].some((leg) => leg.state === 'ringing');
  const updateRing = () => {
    if (ringing() && !phone.stopRing) phone.stopRing = ringTone();
    if (!ringing() && phone.stopRing) {
      phone.stopRing();
      phone.stopRing = null;
    }
  };

  function render() {
    legList.replaceChildren(...[...phone.legs].map(([legId, leg]) => {
      const who = leg.caller ? formatPhone(leg.caller) : 'звонок';
      const buttons = leg.state === 'ringing'
        ? [element('button', { className: 'primary answer', onclick: () => answer(legId) }, 'Ответить'),
           element('button', { className: 'danger reject', onclick: () => hangUp(legId) }, 'Отклонить')]
        : [element('button', { className: 'mute', 'aria-pressed': String(leg.muted), onclick: () => mute(legId) }, leg.muted ? 'Включить микрофон' : 'Выключить микрофон'),
           element('button', { className: 'danger hangup', onclick: () => hangUp(legId) }, 'Положить трубку')];
      const words = { ringing: 'Звонит', connecting: 'Соединяем…', talking: 'Разговор' }[leg.state];
      return element('li', { dataset: { leg: legId, state: leg.state } },
        element('p', {}, element('strong', {}, who), ` · ${words}`),
        element('div', { className: 'row' }, buttons),
        leg.state === 'talking'
          ? element('div', { className: 'keypad' }, keypadDigits.map((digit) =>
              element('button', { dataset: { dtmf: digit }, onclick: () => leg.connection?.sendDigit(digit) }, digit)))
          : null);
    }));
    updateRing();
  }

  function forget(legId) {
    const leg = phone.legs.get(legId);
    if (!leg) return;
    leg.connection?.close();
    phone.legs.delete(legId);
    render();
  }

  // The service's offer answered, or the page's own offer made; the SDP goes back on the socket.
  async function connect(legId, offer) {
    const leg = phone.legs.get(legId);
    leg.connection?.close();
    leg.connection = new LegConnection(phone.microphone, phone.iceServers, audioElement);
    leg.state = 'connecting';
    render();
    try {
      const sdp = offer ? await leg.connection.answer(offer) : await leg.connection.offer();
      const reply = await emit('phone:sdp', { legId, sdp });
      if (!reply?.success) throw new Error(reply?.error ?? 'сервис не принял ответ');
      if (offer) leg.state = 'talking';
    } catch (error) {
      notify(`Не удалось соединить звонок: ${error.message}`, { error: true });
      await emit('phone:hangup', { legId });
      forget(legId);
      return;
    }
    render();
  }

  function answer(legId) {
    const leg = phone.legs.get(legId);
    if (leg?.state === 'ringing') connect(legId, leg.offer);
  }

  async function hangUp(legId) {
    await emit('phone:hangup', { legId });
    forget(legId);
  }

  function mute(legId) {
    const leg = phone.legs.get(legId);
    if (!leg) return;
    leg.muted = !leg.muted;
    for (const track of phone.microphone?.getAudioTracks() ?? []) track.enabled = !leg.muted;
    render();
  }

  socket.on('phone:incoming', ({ legId, callId, caller, sdp, autoAnswer }) => {
    const known = phone.legs.get(legId);
    phone.legs.set(legId, { ...(known ?? { muted: false }), callId, caller, offer: sdp, state: 'ringing', connection: known?.connection });
    if (autoAnswer || known) connect(legId, sdp); // the operator's own click-to-call, or a call taken back after a reload
    else render();
  });
  socket.on('phone:sdp', async ({ legId, type, sdp }) => {
    const leg = phone.legs.get(legId);
    if (!leg?.connection) return;
    if (type === 'answer') {
      await leg.connection.accept(sdp);
      leg.state = 'talking';
      render();
      return;
    }
    const answerSdp = await leg.connection.answer(sdp); // a new offer: hold, the customer's answer, a restart
    await emit('phone:sdp', { legId, sdp: answerSdp });
  });
  socket.on('phone:ended', ({ legId }) => forget(legId));
  socket.on('phone:lost', ({ reason }) => turnOff(`Телефон в браузере отключён: ${reason}`));

  async function fillMicrophones() {
    const chosen = micChoice.value;
    const list = await microphones();
    micChoice.replaceChildren(...list.map((device, index) => element('option', { value: device.deviceId }, device.label || `Микрофон ${index + 1}`)));
    if (chosen) micChoice.value = chosen;
  }

  async function useMicrophone(deviceId) {
    const microphone = await openMicrophone(deviceId);
    phone.stopLevel?.();
    for (const track of phone.microphone?.getTracks() ?? []) track.stop();
    phone.microphone = microphone;
    phone.stopLevel = watchLevel(microphone, (value) => { level.value = value; });
    for (const leg of phone.legs.values()) leg.connection?.replaceMicrophone(microphone);
  }

  // One attach per socket: the socket's connect and the switch may both ask for one, in either order, and
  // the service refuses a second one (which would turn the phone off, and its calls with it).
  let attaching = null;
  function attach() {
    if (phone.deviceId) return Promise.resolve();
    attaching ??= attachNow().finally(() => { attaching = null; });
    return attaching;
  }

  async function attachNow() {
    const reply = await emit('phone:attach', { deviceId: window.sessionStorage.getItem(deviceKey) ?? undefined });
    if (!reply?.success) {
      const refused = reply?.code === 'PHONE_UNAVAILABLE';
      turnOff(`Телефон в браузере недоступен: ${reply?.error ?? 'нет ответа'}`);
      toggle.disabled = refused; // nothing the operator can do here: the admin must turn the media on
      return;
    }
    phone.deviceId = reply.deviceId;
    phone.iceServers = reply.iceServers ?? [];
    window.sessionStorage.setItem(deviceKey, reply.deviceId);
    document.body.dataset.phone = 'on';
    say(`Телефон включён: звонки на доб. ${reply.extension} звонят здесь`);
  }

  async function turnOn() {
    say('Включаем микрофон…');
    try {
      await useMicrophone(micChoice.value || undefined);
    } catch (error) {
      turnOff(error.message);
      return;
    }
    controls.hidden = false;
    await fillMicrophones();
    if (socket.connected) await attach();
  }

  function turnOff(message = 'Телефон выключен') {
    for (const legId of [...phone.legs.keys()]) forget(legId);
    if (phone.deviceId && socket.connected) socket.emit('phone:detach', {}, () => {});
    phone.deviceId = null;
    window.sessionStorage.removeItem(deviceKey);
    phone.stopLevel?.();
    phone.stopLevel = null;
    for (const track of phone.microphone?.getTracks() ?? []) track.stop();
    phone.microphone = null;
    controls.hidden = true;
    toggle.checked = false;
    document.body.dataset.phone = 'off';
    say(message, { error: message !== 'Телефон выключен' });
  }

  toggle.addEventListener('change', () => {
    window.localStorage.setItem(switchKey, toggle.checked ? 'on' : 'off');
    if (toggle.checked) turnOn();
    else turnOff();
  });
  micChoice.addEventListener('change', () => useMicrophone(micChoice.value).catch((error) => say(error.message, { error: true })));
  // A reconnected socket is a new one at the service: the device is attached again (its calls come back).
  socket.on('connect', () => {
    if (toggle.checked && phone.microphone && !phone.deviceId) attach();
  });
  socket.on('disconnect', () => {
    phone.deviceId = null; // the service keeps the device a few seconds for this page to take it back
    if (toggle.checked) say('Нет связи с сервисом: телефон вернётся, как только связь восстановится', { error: true });
  });

  if (window.localStorage.getItem(switchKey) === 'on') {
    toggle.checked = true;
    turnOn();
  }
  return { deviceId: () => phone.deviceId };
}

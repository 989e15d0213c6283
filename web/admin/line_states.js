// Every line's state, live: the snapshot on each (re)connection, then line:state and sip:* events. Listeners
// get the whole map (extension -> {registered, deviceRegistered, detail}) after every change.
export function watchLines(token, { onChange, onOnline, onOffline, onRefused }) {
  const lines = new Map();
  const socket = window.io({ auth: { token } });
  const replaceAll = (list) => {
    lines.clear();
    for (const line of list ?? []) lines.set(line.extension, line);
    onChange(lines, null);
  };
  socket.on('connect', () => onOnline());
  socket.on('disconnect', (reason) => {
    onOffline(reason);
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error) => (socket.active ? onOffline(error.message) : onRefused(error.message)));
  socket.on('calls:snapshot', ({ sip }) => replaceAll(sip?.lines));
  socket.on('sip:connected', ({ lines: list }) => replaceAll(list));
  socket.on('sip:disconnected', ({ lines: list }) => replaceAll(list));
  socket.on('line:state', (line) => {
    lines.set(line.extension, { ...lines.get(line.extension), ...line });
    onChange(lines, line.extension);
  });
  return { lines, close: () => socket.close() };
}

// The line's registration at the PBX in a few words, and the class that colours it.
export function lineBadge(line) {
  if (!line) return { text: 'нет данных', kind: 'muted' };
  if (line.registered) return { text: 'зарегистрирована', kind: 'ok' };
  return { text: line.detail ? `не зарегистрирована: ${line.detail}` : 'не зарегистрирована', kind: 'bad' };
}

export function deviceBadge(line) {
  if (!line) return { text: 'нет данных', kind: 'muted' };
  return line.deviceRegistered ? { text: 'телефон подключён', kind: 'ok' } : { text: 'телефон не подключён', kind: 'muted' };
}

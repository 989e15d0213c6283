// The active calls this page shows, kept from the stream's call:* events and replaced by the full list
// after every (re)connection, so that a call that ended while the page was offline does not linger.
const finished = new Set(['ended']);

export class ActiveCalls {
  // `visible(call)`: whether this page's user should see the call (an operator only its own extension's).
  constructor(visible) {
    this.visible = visible;
    this.calls = new Map();
    this.ended = new Set(); // ids seen ending: a late event must not bring them back
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
  }

  // The authoritative list (snapshot or /api/calls/active): whatever is not in it is gone.
  replace(calls) {
    const fresh = new Map();
    for (const call of calls) {
      if (this.visible(call) && !this.ended.has(call.id) && !finished.has(call.status)) fresh.set(call.id, call);
    }
    this.calls = fresh;
    this.notify({ kind: 'replaced' });
  }

  apply(name, call) {
    if (name === 'call:ended' || finished.has(call.status)) this.ended.add(call.id);
    const gone = this.ended.has(call.id) || !this.visible(call);
    if (gone) this.calls.delete(call.id);
    else this.calls.set(call.id, call);
    this.notify({ kind: 'event', name, call, gone });
  }

  get(id) {
    return this.calls.get(id);
  }

  list() {
    return [...this.calls.values()].sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
  }

  notify(change) {
    for (const listener of this.listeners) listener(change);
  }
}

// The operators' lines (snapshot's sip.lines, then line:state), for transfers and the supervisor's board.
export class Lines {
  constructor() {
    this.lines = new Map();
    this.connected = false;
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
  }

  replace(status) {
    if (!status) return;
    this.connected = Boolean(status.connected);
    if (Array.isArray(status.lines)) this.lines = new Map(status.lines.map((line) => [line.extension, line]));
    this.notify();
  }

  update(line) {
    this.lines.set(line.extension, { ...this.lines.get(line.extension), ...line });
    this.notify();
  }

  list() {
    return [...this.lines.values()].sort((a, b) => a.extension.localeCompare(b.extension, 'ru', { numeric: true }));
  }

  get(extension) {
    return this.lines.get(extension);
  }

  notify() {
    for (const listener of this.listeners) listener();
  }
}

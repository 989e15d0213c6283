// The parent's side of the benchmarks' client processes (socketio_client_process.mjs): forks them with
// their shares of the clients, waits until every client is connected, marks the measured phase, collects
// what each one recorded and its CPU. Every process forked here is killed when the parent exits.
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), 'socketio_client_process.mjs');
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

// Kills every client process still running (a Ctrl-C handler calls it before exiting).
export function killClientProcesses() {
  for (const child of running) child.kill('SIGKILL');
}

// `clients` spread over `processes` children (the first ones take one more when it does not divide);
// each expects `callsPerClient` call:new deliveries per client it holds. Resolves once all are connected.
export async function startClientProcesses({ base, token, clients, processes, callsPerClient, record, warmupPrefix, client = 'official' }) {
  const count = Math.max(1, Math.min(processes, clients));
  const shares = Array.from({ length: count }, (_, i) => Math.floor(clients / count) + (i < clients % count ? 1 : 0));
  const children = shares.map((share) => {
    const options = { base, token, clients: share, expected: share * callsPerClient, record, warmupPrefix, client };
    // serialization "advanced": typed arrays of latencies cross as buffers, not JSON.
    const child = fork(entry, [JSON.stringify(options)], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    running.add(child);
    const state = { child, share, done: false, messages: [] };
    state.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }));
    state.next = (type) => new Promise((resolve, reject) => {
      const listener = (message) => {
        if (message.type === type || message.type === 'error') {
          child.off('message', listener);
          if (message.type === 'error') reject(new Error(`client process ${child.pid}: ${message.message}`));
          else resolve(message);
        }
      };
      child.on('message', listener);
      state.exited.then(({ code, signal }) => reject(new Error(`client process ${child.pid} exited (${code ?? signal}) before "${type}"`)));
    });
    state.connected = state.next('connected');
    state.finished = state.next('done').then(() => { state.done = true; }, () => {});
    return state;
  });
  try {
    await Promise.all(children.map((c) => c.connected));
  } catch (error) {
    for (const { child } of children) child.kill('SIGKILL');
    throw error;
  }
  return {
    shares,
    pids: children.map((c) => c.child.pid),
    start() {
      for (const { child } of children) child.send({ type: 'start' });
    },
    // Resolves true once every process has had all its deliveries, false after `timeoutMs`.
    async waitDone(timeoutMs) {
      let timer;
      const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
      const all = Promise.all(children.map((c) => c.finished)).then(() => true);
      const done = await Promise.race([all, timeout]);
      clearTimeout(timer);
      return done && children.every((c) => c.done);
    },
    // Every process's record, in fork order; the processes close their clients and exit.
    async finish() {
      const results = await Promise.all(children.map((c) => {
        const result = c.next('result');
        c.child.send({ type: 'finish' });
        return result;
      }));
      await Promise.all(children.map((c) => c.exited));
      return results.map((result, i) => ({ ...result, pid: children[i].child.pid, cpuPercent: (100 * result.cpuSeconds) / result.seconds }));
    },
  };
}

// A STUN server of the lab's own: coturn in STUN-only mode on 127.0.0.1 (no TURN, no CLI, no database),
// stopped with the lab session.
import { join } from 'node:path';
import { freePort, labDir, LabProcess } from './processes.mjs';

export async function startStunServer(lab) {
  const dir = labDir('stun');
  const port = await freePort();
  const process = new LabProcess('turnserver', 'turnserver', [
    '-n', '--stun-only', '--no-cli', '--listening-ip=127.0.0.1', `--listening-port=${port}`, '--log-file=stdout',
    '--simple-log', '--no-tls', '--no-dtls', `--pidfile=${join(dir, 'turnserver.pid')}`,
  ], { cwd: dir, logFile: join(dir, 'turnserver.log') });
  await process.waitForOutput(/IO method/, 5000, 'coturn to start');
  return lab.track('STUN server', { process, address: `127.0.0.1:${port}`, stop: () => process.stop(), log: () => process.output() });
}

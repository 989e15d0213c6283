// An rtpengine of the lab's own (Debian's rtpengine-daemon, userspace only), for a service given
// RTPENGINE_URL: media on `address` (a loopback address of its own, so whose SDP a phone got shows), ng
// control on a free port of 127.0.0.1. Stopped with the lab session, its output in a failure's logs.
import { join } from 'node:path';
import { freePort, labDir, LabProcess } from './processes.mjs';

export async function startRtpengine(lab, { address, portMin, portMax }) {
  const dir = labDir('rtpengine');
  const ngPort = await freePort();
  const process = new LabProcess('rtpengine', 'rtpengine', [
    '--config-file=none', '--foreground', '--table=-1', '--log-stderr', `--interface=${address}`,
    `--listen-ng=127.0.0.1:${ngPort}`, `--port-min=${portMin}`, `--port-max=${portMax}`,
  ], { cwd: dir, logFile: join(dir, 'rtpengine.log') });
  await process.waitForOutput(/Startup complete/, 5000, 'rtpengine to start');
  const part = { process, url: `udp:127.0.0.1:${ngPort}`, address, stop: () => process.stop(), log: () => process.output() };
  return lab.track(`rtpengine ${address}`, part);
}

// Debian's sipvicious (svmap, svwar, svcrack) run as an attacker would, from a loopback address of its own
// so that the service tells it apart from the PBX and the phones, bounded in time. Each run is one
// process; its output (the tool's log on stderr, its result table on stdout) is returned for the test to read.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, labDir, LabProcess, removeDir } from './processes.mjs';

// svwar and svcrack ignore their -b option: this wrapper binds them where asked (see its comment). It runs
// under Debian's Python, where the package installed them (the tools' own #! line), whatever else is on PATH.
const python = '/usr/bin/python3';
const boundRunner = join(dirname(fileURLToPath(import.meta.url)), 'sipvicious_from.py');

class SipviciousRun {
  constructor(tool, args, { from, timeoutSeconds }) {
    this.tool = tool;
    this.args = args;
    this.from = from;
    this.timeoutSeconds = timeoutSeconds;
    this.dir = labDir(tool);
  }

  async run() {
    const localPort = await freePort();
    // -x: the address its requests name in Via and Contact, where answers come back.
    const args = [...this.args, '-b', this.from, '-x', this.from, '-P', String(localPort)];
    // Its own timeout inside the lab's: the tools stop by themselves once answers stop coming, this only
    // bounds a tool that the service keeps answering for ever.
    this.process = new LabProcess(this.tool, 'timeout', ['--kill-after=2', String(this.timeoutSeconds), python, boundRunner, this.from, this.tool, ...args], {
      cwd: this.dir,
      logFile: join(this.dir, `${this.tool}.log`),
      // Sessions (-s) would go to ~/.sipvicious: a throwaway home.
      env: { PATH: process.env.PATH, HOME: this.dir, LANG: 'C.UTF-8' },
    });
    const started = Date.now();
    const { code, signal } = await this.process.exited;
    return { code, signal, output: this.process.output(), seconds: (Date.now() - started) / 1000, command: `${this.tool} ${args.join(' ')}` };
  }

  log() {
    return this.process ? this.process.output() : '';
  }

  async stop() {
    if (this.process) await this.process.stop(1000);
    removeDir(this.dir);
  }
}

// Runs `tool` with `args` from the address `from` (127.0.0.x) and resolves with {code, signal, output,
// seconds, command} once it has ended (killed after `timeoutSeconds`: code 124).
export async function sipvicious(lab, tool, args, { from, timeoutSeconds = 40 }) {
  const run = lab.track(`${tool} from ${from}`, new SipviciousRun(tool, args, { from, timeoutSeconds }));
  return run.run();
}

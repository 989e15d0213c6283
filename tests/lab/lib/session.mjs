// labTest(): a Node test with a lab session that stops everything it started (also when the test fails)
// and appends the logs of every part to the failure, so a red run says what the PBX and phones saw.
import { test } from 'node:test';
import { startBaresip } from './baresip.mjs';
import { startKamailio } from './kamailio.mjs';
import { killLabProcessesOnSignals, withTimeout } from './processes.mjs';
import { startSipp } from './sipp.mjs';

killLabProcessesOnSignals();

export class LabSession {
  constructor() {
    this.parts = []; // {name, part}, in start order
  }

  track(name, part) {
    this.parts.push({ name, part });
    return part;
  }

  async kamailio(options) {
    return this.track('kamailio', await startKamailio(options));
  }

  async phone(options) {
    return this.track(`baresip ${options.username ?? options.extension}`, await startBaresip(options));
  }

  async sipp(options) {
    return this.track(`sipp ${options.scenario}`, await startSipp(options));
  }

  logs() {
    return this.parts
      .map(({ name, part }) => `===== ${name} =====\n${(part.log() ?? '').slice(-6000)}`)
      .join('\n');
  }

  // Newest first: phones and peers leave before the PBX they talk to.
  async stopAll() {
    const errors = [];
    for (const { name, part } of this.parts.reverse()) {
      try {
        await withTimeout(part.stop(), 10000, `${name} to stop`);
      } catch (error) {
        errors.push(error);
      }
    }
    this.parts = [];
    if (errors.length) throw errors[0];
  }
}

// test(name, fn) where fn receives a LabSession; `timeoutMs` bounds the whole test.
export function labTest(name, fn, { timeoutMs = 60000 } = {}) {
  return test(name, { timeout: timeoutMs }, async (t) => {
    const lab = new LabSession();
    try {
      await fn(lab, t);
    } catch (error) {
      error.message = `${error.message}\n${lab.logs()}`;
      throw error;
    } finally {
      await lab.stopAll();
    }
  });
}

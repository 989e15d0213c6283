// The service's binaries for the benchmarks: the one named by an environment variable, or built as Release in
// build-bench/ (configured with the test targets, as the simulated binary is one, whichever benchmark configured
// the directory first).
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// `target`: pjsip-service or pjsip-service-simulated-sip; `override`: a path given by the environment.
export function releaseBinary(target, override) {
  if (override) return resolve(override);
  const build = join(root, 'build-bench');
  console.error(`building ${target} (Release) in build-bench/ ...`);
  execFileSync('cmake', ['-S', root, '-B', build, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release', '-DFF_BUILD_TESTS=ON'],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('cmake', ['--build', build, '-j', '2', '--target', target], { stdio: ['ignore', 'ignore', 'inherit'] });
  return join(build, 'src', target);
}

// Makes sure the real servers the end-to-end tests start are installed: today Debian's
// `prometheus`. On a fresh machine of this project's kind (Debian, root) it installs them with
// apt-get, so that `npm ci && npm test` needs nothing installed by hand; elsewhere it says what
// to install and lets the tests report what is missing.
import { execFileSync, spawnSync } from 'node:child_process';

const NEEDED = [{ binary: 'prometheus', override: 'PROMETHEUS_BIN', debianPackage: 'prometheus' }];

const onPath = (binary) => spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
const missing = NEEDED.filter(({ binary, override }) => !process.env[override] && !onPath(binary));

if (missing.length > 0) {
  const packages = missing.map((m) => m.debianPackage);
  const canInstall = process.getuid?.() === 0 && onPath('apt-get');
  if (!canInstall) {
    console.warn(`end-to-end tests need the Debian package(s) ${packages.join(', ')}: install them (sudo apt-get install ${packages.join(' ')}) or set ${missing.map((m) => m.override).join(', ')}.`);
  } else {
    console.log(`installing ${packages.join(', ')} for the end-to-end tests (apt-get)...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
  }
}

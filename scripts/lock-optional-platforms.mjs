// The registry mirror here does not serve @swc/core's binaries for other platforms, so `npm install`
// leaves them out of package-lock.json and `npm ci` then refuses the lock as out of sync. This adds
// the missing optional entries (skipped at install on this platform). Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const platforms = {
  'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  'linux-arm-gnueabihf': { os: ['linux'], cpu: ['arm'] },
  'linux-ppc64-gnu': { os: ['linux'], cpu: ['ppc64'] },
  'linux-s390x-gnu': { os: ['linux'], cpu: ['s390x'] },
  'win32-arm64-msvc': { os: ['win32'], cpu: ['arm64'] },
  'win32-ia32-msvc': { os: ['win32'], cpu: ['ia32'] },
  'win32-x64-msvc': { os: ['win32'], cpu: ['x64'] },
};
let added = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  if (!key.endsWith('node_modules/@swc/core') || !pkg.optionalDependencies) continue;
  const base = key.slice(0, -'@swc/core'.length);
  for (const [name, version] of Object.entries(pkg.optionalDependencies)) {
    const entry = `${base}${name}`;
    const platform = platforms[name.replace('@swc/core-', '')];
    if (lock.packages[entry] || !platform) continue;
    lock.packages[entry] = {
      version,
      ...platform,
      license: 'Apache-2.0 AND MIT',
      optional: true,
      engines: { node: '>=10' },
    };
    added += 1;
  }
}
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} optional platform entries`);

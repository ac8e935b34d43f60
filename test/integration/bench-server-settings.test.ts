import { describe, expect, it } from 'vitest';
import { describeSettings, serverSettings, WRITE_SETTINGS } from '../../bench/server-settings';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('the settings a benchmark result carries', () => {
  it('reads every one of them from the real server', async () => {
    const settings = await serverSettings(ADMIN_URL);
    // A misspelled name would be "unknown" and the result would silently lack it.
    for (const name of WRITE_SETTINGS) expect(settings[name], name).not.toBe('unknown');
    expect(settings.server_version).toMatch(/^\d+/);
    expect(settings.shared_buffers).toMatch(/^\d+[kMG]B$/);
    expect(describeSettings(settings)).toContain(`shared_buffers ${settings.shared_buffers}`);
  });
});

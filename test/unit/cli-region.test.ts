import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../../src/cli/args';

const env = { FERRY_TOKEN: 'env-token' };
const command = (argv: string[]) => {
  const inv = parseCli(argv, env);
  if (inv.kind !== 'run') throw new Error('expected a command, got help');
  return inv.command;
};

describe('ferry import locale options', () => {
  it('passes region, national-id scheme and date order, normalised', () => {
    expect(
      command([
        'import',
        'sg.csv',
        '--source',
        'loyalty-users',
        '--region',
        'sg',
        '--national-id-scheme',
        'SG',
        '--date-order',
        'dd/mm/yyyy',
      ]),
    ).toMatchObject({
      name: 'import',
      region: 'SG',
      nationalIdScheme: 'sg',
      dateOrder: 'DD/MM/YYYY',
    });
  });

  it('leaves them out when not given, so the api decides', () => {
    const parsed = command(['import', 'th.csv', '--source', 'loyalty-users']);
    expect(parsed).not.toHaveProperty('region');
    expect(parsed).not.toHaveProperty('nationalIdScheme');
  });

  it.each([
    [['--region', 'Singapore'], '--region must be an ISO 3166-1 alpha-2 country code'],
    [['--national-id-scheme', 'nric'], '--national-id-scheme must be one of th, sg, my, any'],
    [['--date-order', 'YYYY/MM/DD'], '--date-order must be one of DD/MM/YYYY, MM/DD/YYYY'],
  ])('refuses %j', (extra, message) => {
    expect(() => parseCli(['import', 'x.csv', '--source', 'loyalty-users', ...extra], env)).toThrow(UsageError);
    expect(() => parseCli(['import', 'x.csv', '--source', 'loyalty-users', ...extra], env)).toThrow(message);
  });
});

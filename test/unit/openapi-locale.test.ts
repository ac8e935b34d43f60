import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIONAL_ID_CHECKERS, NATIONAL_ID_SCHEMES } from '../../src/domain/national-id';
import { startFakeApp, type FakeApp } from './http-fake-app';

let fake: FakeApp;
let doc: any;
beforeAll(async () => {
  fake = await startFakeApp();
  doc = await (await fetch(`${fake.url}/api/openapi.json`)).json();
});
afterAll(async () => fake?.close());

describe("the OpenAPI document of an import's locale", () => {
  it('documents region, nationalIdScheme and dateOrder on uploads, with an example id per scheme', () => {
    const form = doc.paths['/api/imports'].post.requestBody.content['multipart/form-data'].schema;
    expect(form.properties.region).toMatchObject({ type: 'string' });
    expect(form.properties.region.description).toContain('DEFAULT_REGION');
    expect(form.properties.nationalIdScheme.enum).toEqual([...NATIONAL_ID_SCHEMES]);
    for (const scheme of ['th', 'sg', 'my'] as const)
      expect(form.properties.nationalIdScheme.description).toContain(NATIONAL_ID_CHECKERS[scheme].example);
    expect(form.properties.dateOrder.enum).toEqual(['DD/MM/YYYY', 'MM/DD/YYYY']);
  });

  it('shows the locale an import was read under in its detail', () => {
    const detail = doc.paths['/api/imports/{id}'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(detail.properties.locale.properties)).toEqual([
      'region',
      'nationalIdScheme',
      'dateOrder',
      'dateEra',
    ]);
  });
});

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pactFileName, writePactFile } from './write.js';

const pact = (consumer: string) => ({
  consumer: { name: consumer },
  provider: { name: 'logistics' },
  interactions: [],
  metadata: { pactSpecification: { version: '4.0' } },
});

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writePactFile', () => {
  it('writes <consumer>-<provider>.json whole, replacing the earlier file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-write-'));
    await writePactFile(dir, pact('web'));
    const file = await writePactFile(dir, { ...pact('web'), metadata: { second: true } });
    expect(JSON.parse(readFileSync(file, 'utf8')).metadata).toEqual({ second: true });
    expect(readdirSync(dir)).toEqual(['web-logistics.json']);
  });

  it('fails with CUTOVER_OUTPUT_FAILED naming the file and leaves no temporary file behind', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-write-'));
    mkdirSync(join(dir, 'web-logistics.json'));
    await expect(writePactFile(dir, pact('web'))).rejects.toMatchObject({
      code: 'CUTOVER_OUTPUT_FAILED',
      details: { file: join(dir, 'web-logistics.json') },
    });
    expect(readdirSync(dir)).toEqual(['web-logistics.json']);
  });

  it('keeps names from traffic from steering the path', () => {
    expect(pactFileName({ consumer: { name: '../../etc/x' }, provider: { name: 'a b' } })).toBe('__.._etc_x-a_b.json');
  });
});

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearRoutingArtifacts, writeRoutingArtifacts } from './artifacts.js';
import { decide, type GateDecision } from './decide.js';
import { GATEWAYS, renderRouting, ROUTING_FILES } from './routing.js';
import { evidenceFrom, NOW, policy, report, result } from './__fixtures__/evidence.js';

function decision(outcome: 'allowed' | 'blocked'): GateDecision {
  const r = report();
  if (outcome === 'blocked')
    r.results[0] = result({
      targets: {
        monolith: r.results[0]!.targets.monolith,
        candidate: { outcome: 'fail', status: 500, mismatches: [], timingMs: 4 },
      },
    });
  const made = decide({
    policy: policy((y) => y.replace('requireAllOperationsExercised: true', 'requireAllOperationsExercised: false')),
    evidence: { reports: [evidenceFrom(r, 'verify.json')], problems: [] },
    candidateVersion: '1.4.0',
    now: NOW,
  });
  expect(made.outcome).toBe(outcome);
  return made;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-artifacts-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes every gateway's artifact as an earlier run would have left it, and a file of the user's. */
function leaveEarlierRun(): void {
  for (const name of Object.values(ROUTING_FILES).flat()) writeFileSync(join(dir, name), 'earlier');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
}

describe('ROUTING_FILES', () => {
  it('names exactly the files each gateway renders, so clearing can miss none', () => {
    const allowed = decision('allowed');
    for (const gateway of GATEWAYS)
      expect(renderRouting(allowed, { gateway }).map((a) => a.file)).toEqual([...ROUTING_FILES[gateway]]);
  });
});

describe('clearRoutingArtifacts', () => {
  it("removes every gateway's earlier artifact, says which, and leaves other files", async () => {
    leaveEarlierRun();
    expect(clearRoutingArtifacts(dir).sort()).toEqual(Object.values(ROUTING_FILES).flat().sort());
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });

  it('finds nothing to remove in a missing folder', () => {
    expect(clearRoutingArtifacts(join(dir, 'absent'))).toEqual([]);
  });

  it('fails with a coded error naming the file it cannot remove', () => {
    mkdirSync(join(dir, ROUTING_FILES.json[0], 'inside'), { recursive: true });
    expect(() => clearRoutingArtifacts(dir)).toThrow(
      expect.objectContaining({
        code: 'CUTOVER_OUTPUT_FAILED',
        message: expect.stringContaining(join(dir, 'cutover-weights.json')),
      }),
    );
  });
});

describe('writeRoutingArtifacts', () => {
  it("writes an allowed decision's artifacts for the gateways asked, and no earlier run's artifact survives", async () => {
    leaveEarlierRun();
    const written = await writeRoutingArtifacts(decision('allowed'), join(dir), ['json']);
    expect(written).toEqual([{ path: join(dir, 'cutover-weights.json'), description: expect.any(String) }]);
    expect((await readdir(dir)).sort()).toEqual(['cutover-weights.json', 'notes.txt']);
  });

  it('creates the folder when it is missing', async () => {
    const out = join(dir, 'deploy', 'routing');
    await writeRoutingArtifacts(decision('allowed'), out, ['nginx', 'envoy']);
    expect((await readdir(out)).sort()).toEqual([...ROUTING_FILES.envoy, ...ROUTING_FILES.nginx].sort());
  });

  it('writes nothing for a blocked decision, and removes what an earlier run left', async () => {
    leaveEarlierRun();
    expect(await writeRoutingArtifacts(decision('blocked'), dir, GATEWAYS)).toEqual([]);
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });

  it('removes what it wrote when a later artifact cannot be rendered, and throws that error', async () => {
    // nginx writes the upstream name as a bare word and refuses this one; the JSON weights, written first, do not.
    const noUpstreams = decision('allowed');
    noUpstreams.policy.candidate.upstream = 'tracking service';
    await expect(writeRoutingArtifacts(noUpstreams, dir, ['json', 'nginx'])).rejects.toThrow(/upstream/);
    expect(existsSync(join(dir, 'cutover-weights.json'))).toBe(false);
  });
});

import { readFileSync } from 'node:fs';
import type { ShadowEvidence } from '@cutover/core';
import { runCommand } from './processes.js';

/** Shipments of the example data, one unknown id, and each tracking page: what the web and mobile apps ask. */
const SHIPMENTS = ['SHP-1001', 'SHP-1002', 'SHP-1003', 'SHP-1004', 'SHP-1005', 'SHP-9999'];
export const GENERATED_PATHS = SHIPMENTS.flatMap((id) => [
  `/api/tracking/${id}`,
  `/api/tracking/${id}/events?limit=5`,
  `/api/tracking/${id}/eta`,
]);

export interface ShadowStepResult {
  code: number | null;
  evidence: ShadowEvidence;
  /** Requests sent through the proxy, and how many answered with the monolith's status. */
  sent: number;
}

/**
 * Runs `cutover shadow` in front of the monolith for a few seconds, sends generated traffic (every
 * tracking page of every shipment, `rounds` times) through it as the apps would, and returns the
 * evidence it wrote: what the candidate answers differently on live requests, before any shift.
 */
export async function shadowGeneratedTraffic(options: {
  cli: string;
  monolith: string;
  candidate: string;
  out: string;
  openapi: string;
  rounds?: number;
  echo?: (line: string) => void;
}): Promise<ShadowStepResult> {
  let traffic: Promise<number> | undefined;
  const send = async (proxy: string): Promise<number> => {
    let sent = 0;
    for (let round = 0; round < (options.rounds ?? 3); round++)
      for (const path of GENERATED_PATHS) {
        const res = await fetch(proxy + path, { headers: { Accept: 'application/json', 'X-Client': 'web-app' } });
        await res.arrayBuffer();
        sent++;
      }
    return sent;
  };
  const args = ['shadow', '--monolith', options.monolith, '--candidate', options.candidate, '--listen', '0'];
  // It stops by itself once it has seen the generated requests.
  const total = GENERATED_PATHS.length * (options.rounds ?? 3);
  args.push('--out', options.out, '--openapi', options.openapi, '--requests', String(total));
  const { code } = await runCommand(process.execPath, [options.cli, ...args], {
    env: { NO_COLOR: '1' },
    timeoutMs: 90_000,
    echo: (line) => {
      options.echo?.(line);
      const proxy = /listening on (http:\/\/\S+)/.exec(line)?.[1];
      if (proxy && !traffic) traffic = send(proxy);
    },
  });
  if (!traffic) throw new Error(`cutover shadow exited (${code}) without listening`);
  const sent = await traffic;
  const evidence = JSON.parse(readFileSync(options.out, 'utf8')) as ShadowEvidence;
  return { code, evidence, sent };
}

/** The kinds of difference shadow traffic showed, most frequent first, one line each with an example. */
export function describeShadow(evidence: ShadowEvidence): string[] {
  const lines: string[] = [];
  for (const route of evidence.routes)
    for (const d of route.differences) {
      const e = d.examples[0];
      lines.push(
        `${route.method} ${route.path}: ${d.kind} ${d.path} on ${d.count} of ${route.compared} live requests${e ? ` (e.g. ${e.request.path}: ${e.message})` : ''}`,
      );
    }
  return lines;
}

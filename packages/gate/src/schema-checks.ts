/** Whether the candidate's exchange for one interaction keeps the OpenAPI document (policy `schema` rules). */
import {
  parseJsonPath,
  splitPointer,
  type Difference,
  type InteractionResult,
  type SchemaViolation,
} from '@cutover/core';
import type { ReasonCode } from './evidence.js';
import type { RouteRules } from './policy.js';
import { show, type BlockReason, type CitedResult, type Findings } from './reasons.js';

/**
 * The parity difference (counted or noise) at a schema violation's instance path: `status`,
 * `header/<name>`, or a JSON pointer into the body.
 */
function differenceAt(parity: InteractionResult['parity'], instancePath: string): Difference | undefined {
  const all = [...parity.differences, ...parity.noise];
  if (instancePath === 'status') return all.find((d) => d.kind === 'status');
  if (instancePath.startsWith('header/')) {
    const name = instancePath.slice('header/'.length).toLowerCase();
    return all.find((d) => d.kind === 'header' && d.path.toLowerCase() === name);
  }
  if (instancePath !== '' && !instancePath.startsWith('/')) return undefined;
  const pointer = splitPointer(instancePath);
  return all.find((d) => {
    if (d.kind === 'header' || d.kind === 'status') return false;
    const segments = parseJsonPath(d.path);
    return segments !== undefined && segments.length === pointer.length && segments.every((s, i) => s === pointer[i]);
  });
}

/**
 * `schema-not-checked` without a schema check, `schema-regression` per error the candidate has and
 * the monolith has not, `schema-baseline` per error both share unless the policy allows a baseline.
 * Each violation says what the monolith's check found at the same place.
 */
export function schemaFindings({ result, base, who }: CitedResult, rules: RouteRules): Findings {
  const findings: Findings = { reasons: [], notes: [] };
  if (!rules.schema.required) return findings;
  const schema = result.schema;
  if (!schema) {
    findings.reasons.push({
      ...base,
      code: 'schema-not-checked',
      message: `${who}: no schema check was recorded (verify with --openapi)`,
    });
    return findings;
  }
  const monolithJudged = ['pass', 'fail'].includes(result.targets.monolith?.outcome ?? '');
  const cite = (code: ReasonCode, v: SchemaViolation, what: string): BlockReason => {
    const at = v.instancePath || '/';
    const shared = schema.monolith.filter((m) => m.on === v.on && m.instancePath === v.instancePath);
    const monolith = !monolithJudged ? 'not checked' : shared.length > 0 ? 'violated' : 'not violated';
    const said =
      monolith === 'not checked'
        ? 'the monolith gave no response to check'
        : monolith === 'violated'
          ? `the monolith also violates the document there (${[...new Set(shared.map((m) => m.code))].join(', ')})`
          : 'the monolith does not violate the document there';
    // The results carry values only where parity saw a difference; cite them when they do.
    const d = v.on === 'response' ? differenceAt(result.parity, v.instancePath) : undefined;
    return {
      ...base,
      code,
      violation: {
        code: v.code,
        on: v.on,
        instancePath: v.instancePath,
        schemaPath: v.schemaPath,
        rule: v.rule,
        message: v.message,
        monolith,
      },
      ...(d ? { difference: { kind: d.kind, path: d.path, monolith: d.monolith, candidate: d.candidate } } : {}),
      message:
        `${who}: ${what} at ${v.on} ${at} (${v.code}, ${v.schemaPath}): ${v.message}; ` +
        (d ? `monolith ${show(d.monolith)}, candidate ${show(d.candidate)}; ${said}` : said),
    };
  };
  for (const v of schema.regressions.filter((x) => x.severity !== 'warning'))
    findings.reasons.push(
      cite('schema-regression', v, 'the candidate breaks the OpenAPI document where the monolith does not'),
    );
  const baseline = schema.baseline.filter((x) => x.severity !== 'warning');
  if (baseline.length > 0) {
    if (rules.schema.allowBaseline)
      findings.notes.push(`${who}: ${baseline.length} schema violation(s) shared with the monolith accepted`);
    else
      for (const v of baseline)
        findings.reasons.push(
          cite(
            'schema-baseline',
            v,
            'the candidate breaks the OpenAPI document (as the monolith does; the policy allows no baseline)',
          ),
        );
  }
  return findings;
}

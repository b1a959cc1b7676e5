/** Content from outside that would run if a page printed it as markup: every page test uses it. */
const RTL_EMOJI = '\u202Egnp.exe עברית 🚀';
export const HOSTILE = {
  consumer: 'Web <script>window.__pwned=1</script>',
  provider: '"><img src=x onerror="window.__pwned=2">',
  text: `<script>window.__pwned=3</script>"><img src=x onerror=window.__pwned=4> javascript:alert(1) ${RTL_EMOJI} ${'long'.repeat(600)}`,
  link: 'javascript:window.__pwned=5',
};

export function hostilePact() {
  return {
    consumer: { name: HOSTILE.consumer },
    provider: { name: HOSTILE.provider },
    interactions: [
      {
        type: 'Synchronous/HTTP',
        key: 'h1',
        description: `get ${HOSTILE.text}`,
        providerStates: [{ name: `state ${HOSTILE.text}` }],
        request: {
          method: 'GET',
          path: '/api/tracking/1',
          headers: { 'X-Evil': [HOSTILE.text] },
        },
        response: {
          status: 200,
          headers: { 'Content-Type': ['application/json'] },
          body: {
            contentType: 'application/json',
            encoded: false,
            content: { homepage: HOSTILE.link, note: HOSTILE.text },
          },
        },
      },
      {
        type: 'Asynchronous/Messages',
        key: 'm1',
        description: `message ${HOSTILE.text}`,
        contents: { contentType: 'application/json', encoded: false, content: { event: HOSTILE.text } },
        metadata: { topic: HOSTILE.link },
      },
    ],
    metadata: { pactSpecification: { version: '4.0' } },
  };
}

export function hostileVerification() {
  return {
    success: false,
    providerApplicationVersion: '2.0.0-candidate',
    testResults: [
      {
        interactionDescription: `get ${HOSTILE.text}`,
        success: false,
        mismatches: [{ attribute: 'schema', identifier: '/email', description: HOSTILE.text }],
        cutover: {
          route: { method: 'GET', path: '/api/tracking/1' },
          targets: { monolith: { outcome: 'pass', status: 200 }, candidate: { outcome: 'fail', status: 200 } },
          parity: {
            status: 'differs',
            differences: [
              {
                kind: 'extra',
                path: '$.email',
                monolith: null,
                candidate: HOSTILE.text,
                message: "the candidate's response has a field the monolith's does not",
              },
            ],
            noise: [
              {
                kind: 'value',
                path: '$.generatedAt',
                monolith: '2026-01-01T10:00:00Z',
                candidate: '2026-01-01T10:00:01Z',
                message: 'varies between two samples of the monolith',
                noise: 'sampled',
              },
            ],
          },
        },
      },
    ],
  };
}

export function decision(
  decidedAt: string,
  currentWeight: number,
  nextWeight: number,
  outcome: 'allowed' | 'blocked',
  reasons: { code: string; message: string }[],
) {
  return {
    format: 'cutover.gate-decision/v1',
    decidedAt,
    policy: { source: 'contracts/cutover.yaml', provider: 'logistics' },
    candidateVersion: `candidate ${HOSTILE.consumer}`,
    outcome,
    routes: [
      {
        name: 'tracking',
        methods: ['GET'],
        path: '/api/tracking/**',
        outcome,
        currentWeight,
        nextWeight,
        interactions: 4,
        reasons,
        notes: [],
      },
      {
        name: HOSTILE.text.slice(0, 200),
        methods: ['GET'],
        path: HOSTILE.link,
        outcome: 'blocked',
        currentWeight: 0,
        nextWeight: 0,
        interactions: 1,
        reasons: [{ code: 'parity-differs', message: HOSTILE.text }],
        notes: [],
      },
    ],
  };
}

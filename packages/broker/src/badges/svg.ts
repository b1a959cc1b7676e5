import { escapeXml } from '@cutover/core';

export type BadgeColor = 'green' | 'red' | 'orange' | 'blue' | 'grey';

const FILL: Record<BadgeColor, string> = {
  // Contrast of white text on each fill is at least 4.5:1 (WCAG AA).
  green: '#2e7d32',
  red: '#c62828',
  orange: '#a84300',
  blue: '#1565c0',
  grey: '#5f6368',
};

// Verdana at 11px: narrow, average and wide characters, close enough to fit the text in its box.
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[ilj.,:;'|!()[\]]/.test(ch) ? 3.5 : /[mwMW@%]/.test(ch) ? 10 : ch > '\u2000' ? 11 : 7;
  return Math.ceil(width);
}

const MAX = 60;
const clip = (text: string) => ([...text].length > MAX ? `${[...text].slice(0, MAX - 1).join('')}…` : text);

/** A flat two-part badge (label | message), as shields.io draws them; every text is XML-escaped. */
export function badgeSvg(label: string, message: string, color: BadgeColor): string {
  const l = clip(label);
  const m = clip(message);
  const lw = textWidth(l) + 10;
  const mw = textWidth(m) + 10;
  const w = lw + mw;
  const title = escapeXml(`${l}: ${m}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${title}">
<title>${title}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${FILL[color]}"/><rect width="${w}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${lw / 2}" y="14">${escapeXml(l)}</text>
<text x="${lw + mw / 2}" y="14">${escapeXml(m)}</text>
</g>
</svg>
`;
}

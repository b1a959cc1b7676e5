import { UsageError } from '@cutover/core';

/** A location prefix written into nginx config: a path of plain characters, nothing nginx would read as syntax. */
const LOCATION = /^\/[A-Za-z0-9._~/-]*$/;
/** host:port of the receiver, or an upstream / cluster name. */
const ADDRESS = /^[A-Za-z0-9._-]+(:\d{1,5})?$/;

function checked(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value))
    throw new UsageError(`${what} ${JSON.stringify(value)} cannot be written into gateway config`);
  return value;
}

/**
 * The nginx configuration that mirrors a location's requests to `cutover shadow --gateway`:
 * `mirror` sends a copy of each request (body included) to an internal location that passes it to
 * the receiver with its original URI and Host; nginx discards the receiver's answer, so callers
 * keep getting the monolith's. The receiver answers at once; the short timeouts bound what a dead
 * receiver can cost a keep-alive connection.
 *
 * @example
 * nginxMirrorConfig({ location: '/api/tracking/', monolith: 'monolith', receiver: '127.0.0.1:8090' })
 */
export function nginxMirrorConfig(options: { location: string; monolith: string; receiver: string }): string {
  const location = checked(options.location, LOCATION, 'the location');
  const monolith = checked(options.monolith, ADDRESS, 'the monolith upstream');
  const receiver = checked(options.receiver, ADDRESS, 'the receiver address');
  return `# cutover shadow --gateway: nginx mirrors ${location} to cutover and discards its answers.
location ${location} {
    mirror /_cutover_shadow;
    mirror_request_body on;
    proxy_pass http://${monolith};
}

location = /_cutover_shadow {
    internal;
    proxy_pass http://${receiver}$request_uri;
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $remote_addr;
    proxy_connect_timeout 100ms;
    proxy_send_timeout 1s;
    proxy_read_timeout 1s;
}
`;
}

/**
 * The Envoy route (YAML, for a `route_config`'s virtual host) that mirrors a prefix to the
 * receiver's cluster. Envoy sends the copy with `-shadow` appended to the Host (authority); it does
 * not matter, as cutover sends each service the Host of its own URL.
 *
 * @example
 * envoyMirrorRoute({ prefix: '/api/tracking/', monolith: 'monolith', receiver: 'cutover_shadow' })
 */
export function envoyMirrorRoute(options: { prefix: string; monolith: string; receiver: string }): string {
  const prefix = checked(options.prefix, LOCATION, 'the prefix');
  const monolith = checked(options.monolith, ADDRESS, 'the monolith cluster');
  const receiver = checked(options.receiver, ADDRESS, 'the receiver cluster');
  return `# cutover shadow --gateway: Envoy mirrors ${prefix} to the ${receiver} cluster and discards its answers.
- match: { prefix: "${prefix}" }
  route:
    cluster: ${monolith}
    request_mirror_policies:
      - cluster: ${receiver}
        runtime_fraction:
          default_value: { numerator: 100, denominator: HUNDRED }
`;
}

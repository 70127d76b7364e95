/**
 * The renderer's Content-Security-Policy, one definition for both ways it is served (Electron's
 * app scheme and the browser host): only its own scripts (no eval, no inline script), no
 * plugins, no forms, never framed. Each way adds the image and connection sources it needs.
 */
export function rendererContentSecurityPolicy(extra: {
  readonly imageSources?: readonly string[];
  readonly connectSources?: readonly string[];
}): string {
  const connect = extra.connectSources ?? [];
  return [
    "default-src 'self'",
    ["img-src 'self' data: blob:", ...(extra.imageSources ?? [])].join(' '),
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    ...(connect.length > 0 ? [["connect-src 'self'", ...connect].join(' ')] : []),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
